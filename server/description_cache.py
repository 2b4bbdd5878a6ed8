"""Descriptions at request time: built once, rendered once per format, kept in memory.

A release never changes under a running server, so a description and each of its renderings
are computed on first request and served from memory after that (least recently used entries
go first: ``description_cache_entries`` renderings).
"""

from __future__ import annotations

from functools import lru_cache

from maillage.descriptions import Description, Descriptions
from maillage.release_reader import ReleaseReader
from maillage.retired import Retired, read_retired
from maillage.settings import Settings
from server.representations import Representation, serialise

DESCRIPTIONS_KEPT = 256
"""Built descriptions kept to render them in several formats (1 ms or so to rebuild one)."""


class DescriptionCache:
    def __init__(self, reader: ReleaseReader, settings: Settings) -> None:
        self.base = settings.base_iri
        self.library = Descriptions(reader)
        self.describe = lru_cache(maxsize=DESCRIPTIONS_KEPT)(self._describe)
        self.render = lru_cache(maxsize=settings.description_cache_entries)(self._render)
        self.exists = lru_cache(maxsize=settings.description_cache_entries)(self.library.exists)
        self.retired: dict[str, Retired] = read_retired(reader.store)
        """The release's retired IRIs (answered 301 or 410, never 200 or 303)."""

    def _describe(self, iri: str) -> Description | None:
        return self.library.describe(iri)

    def _render(self, iri: str, representation: Representation) -> bytes:
        description = self.describe(iri)
        if description is None:
            raise KeyError(iri)
        return serialise(description.quads, representation, self.base)
