"""Descriptions from every release kept, for Memento (``routes/memento.py``).

Each release kept gets its own :class:`DescriptionCache`, opened on first use (the live one is
the app's); a path of ours (``id/org/nxu``, ``id/org/nxu.ttl``, ``def.ttl``) is located in a
release as the dereferencing routes locate it in the live one; and the Original Resource at a
path is known with its mementos: one per release that went live and describes it.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from maillage.releases import Archive
from maillage.settings import Settings
from server.dereferencing import Located, locate
from server.description_cache import DescriptionCache
from server.memento import Memento, Original, memento_url, original


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
