"""The headers of dereferencing, shared by the router (``routes/resources.py``) and the prepared
responses in front of it (``prepared.py``), so that both answer alike: the ``303 See Other``
from ``{base}{path}`` to a description document, and what every description document carries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote

from maillage.identifiers import Base
from maillage.settings import Settings
from server.memento import original
from server.representations import DESCRIPTIONS, Representation, by_extension, link_header

NAMESPACES = ("id", "def", "concept", "shapes", ".well-known/genid")
"""The parts of our namespace that name things (non-information resources)."""
EXTENSIONS = by_extension(DESCRIPTIONS)


class Described(Protocol):
    def exists(self, iri: str) -> bool: ...


@dataclass(frozen=True)
class Located:
    """Where a path lands in a release: the described resource (``path``, after the base) and,
    for a description document, its format (None: the resource itself, answered with 303)."""

    path: str
    representation: Representation | None


def requested(path: str) -> tuple[str, Representation | None]:
    """``path`` split into the resource's path and the format its extension asks for (the whole
    path and None when the extension is none of ours)."""
    stem, dot, extension = path.rpartition(".")
    representation = EXTENSIONS.get(extension) if dot else None
    return (stem, representation) if representation is not None else (path, None)


def locate(described: Described, iris: Base, path: str) -> Located | None:
    """``path`` (after the base) in ``described``'s release: a described IRI, or a document of
    one by extension (``x.ttl`` of ``x`` or ``x/``); None when neither. The live release's
    router and the mementos of past releases read paths alike with it."""
    if described.exists(iris.at(path)):
        return Located(path, None)
    stem, representation = requested(path)
    if representation is None:
        return None
    for candidate in (stem, stem + "/"):
        if described.exists(iris.at(candidate)):
            return Located(candidate, representation)
    return None


def redirect_headers(settings: Settings, path: str, extension: str) -> dict[str, str]:
    """The 303 from ``{base}{path}`` to its ``.{extension}`` document."""
    return {
        "Location": quote(document_url(settings, path, extension), safe=":/%#?=@[]!$&'()*+,;"),
        "Vary": "Accept, Accept-Datetime",
        "Link": link_header(alternates(settings, path), *memento_links(settings, path)),
        "Cache-Control": f"public, max-age={settings.cache_max_age_s}",
    }


def document_headers(settings: Settings, path: str, iri: str, extension: str) -> dict[str, str]:
    """What every description document of ``iri`` (the ``.{extension}`` one) carries besides
    its ETag and caching."""
    own = memento_links(settings, document_path(path, extension))
    return {
        "Link": link_header(alternates(settings, path), f'<{iri}>; rel="describes"', *own),
        "Vary": "Accept-Datetime",
    }


def memento_links(settings: Settings, path: str) -> list[str]:
    """``/{path}`` is its own TimeGate and has a TimeMap (Memento, ``routes/memento.py``)."""
    return original(settings.served_base, path, ()).links()


def document_path(path: str, extension: str) -> str:
    """The path of the ``.{extension}`` description of ``{base}{path}``."""
    return f"{path.rstrip('/')}.{extension}"


def document_url(settings: Settings, path: str, extension: str) -> str:
    """Where the ``.{extension}`` description of ``{base}{path}`` is served."""
    return settings.served_base + document_path(path, extension)


def alternates(settings: Settings, path: str) -> list[tuple[str, str]]:
    """Every description document of ``{base}{path}``: (URL, media type)."""
    return [(document_url(settings, path, r.extension), r.media_type) for r in DESCRIPTIONS]
