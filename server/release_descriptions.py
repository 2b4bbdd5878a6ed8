"""Descriptions from every release kept, for Memento (``routes/memento.py``).

Each release kept gets its own :class:`DescriptionCache`, opened on first use (the live one is
the app's); a path of ours (``id/org/nxu``, ``id/org/nxu.ttl``, ``def.ttl``) is located in a
release as the dereferencing routes locate it in the live one; and the Original Resource at a
path is known with its mementos: one per release that went live and describes it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

from maillage.identifiers import Base
from maillage.releases import Archive
from maillage.settings import Settings
from server.description_cache import DescriptionCache
from server.memento import Memento, Original, memento_url, original
from server.representations import DESCRIPTIONS, Representation, by_extension

EXTENSIONS = by_extension(DESCRIPTIONS)


@dataclass(frozen=True)
class Located:
    """Where a path lands in a release: the described resource (``path``, after the base) and,
    for a description document, its format (None: the resource itself, answered with 303)."""

    path: str
    representation: Representation | None


def locate(described: DescriptionCache, iris: Base, path: str) -> Located | None:
    """``path`` (after the base) in ``described``'s release, as ``routes/resources.resolve``
    reads it: a described IRI, or a document of one by extension; None when neither."""
    if described.exists(iris.at(path)):
        return Located(path, None)
    stem, dot, extension = path.rpartition(".")
    representation = EXTENSIONS.get(extension) if dot else None
    if representation is None:
        return None
    for candidate in (stem, stem + "/"):
        if described.exists(iris.at(candidate)):
            return Located(candidate, representation)
    return None


class ReleaseDescriptions:
    """The releases of ``archive`` as descriptions: one cache per release, and the mementos of
    each Original Resource."""

    def __init__(self, archive: Archive, live: DescriptionCache, settings: Settings) -> None:
        self.archive = archive
        self.settings = settings
        self.caches: dict[str, DescriptionCache] = {}
        self._lock = threading.Lock()  # requests run on a thread pool
        if archive.live is not None:
            self.caches[archive.live.release] = live
        self.original = lru_cache(maxsize=settings.description_cache_entries)(self._original)

    def of(self, release: str) -> DescriptionCache:
        """The descriptions of a release kept (opened on first use)."""
        with self._lock:
            if release not in self.caches:
                reader = self.archive.reader(release)
                self.caches[release] = DescriptionCache(reader, self.settings)
            return self.caches[release]

    def locate(self, release: str, path: str) -> Located | None:
        return locate(self.of(release), self.settings.iris, path)

    def _original(self, path: str) -> Original:
        """The Original Resource served at ``path``, with a memento in each release that went
        live and describes it."""
        served = self.settings.served_base
        mementos = []
        for published in self.archive.releases:
            went_live = self.archive.went_live(published.release)
            if went_live is not None and self.locate(published.release, path) is not None:
                url = memento_url(served, published.release, path)
                mementos.append(Memento(url, went_live, published.release))
        return original(served, path, mementos)
