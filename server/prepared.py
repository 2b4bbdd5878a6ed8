"""The dereferencing hot path: description documents answered from prepared responses.

A release never changes under a running server, so the response to ``GET /id/org/x.ttl`` —
status, headers and body — is the same every time. This ASGI layer sits in front of FastAPI's
router (inside the CORS middleware, so CORS headers are added as for any response) and answers
such a request from a prepared response: no routing, no thread hop, no serialisation, no
hashing. A response is prepared on first request and kept (least recently used go first,
``description_cache_entries`` of them); everything else — the 303s, HTML pages, 404s, 406s,
``/def.ttl`` — goes on to the router, which answers with the same headers (``resources.py``).

Measured with ``bench/``: the router path costs about 1 ms of Python per request; this one a
few tens of microseconds (``docs/performance.md``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from maillage.settings import Settings
from server.description_cache import DescriptionCache
from server.representations import (
    DESCRIPTIONS,
    HTML,
    Representation,
    by_extension,
    etag_matches,
    etag_of,
)

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable, Callable], Awaitable[None]]

PREPARED_NAMESPACES = ("/id/", "/concept/", "/.well-known/genid/")
"""Paths whose documents are prepared; the whole-namespace documents go through the router."""
PREPARED = {ext: r for ext, r in by_extension(DESCRIPTIONS).items() if r is not HTML}


@dataclass(frozen=True)
class Prepared:
    etag: str
    headers: list[tuple[bytes, bytes]]
    body: bytes

    @property
    def not_modified_headers(self) -> list[tuple[bytes, bytes]]:
        return [(n, v) for n, v in self.headers if n not in (b"content-type", b"content-length")]


class PreparedDocuments:
    """ASGI middleware: prepared description documents, the rest to ``app``."""

    def __init__(self, app: ASGIApp, descriptions: DescriptionCache, settings: Settings) -> None:
        self.app = app
        self.descriptions = descriptions
        self.settings = settings
        self.prepared = lru_cache(maxsize=settings.description_cache_entries)(self._prepare)

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        prepared = self._lookup(scope)
        if prepared is None:
            await self.app(scope, receive, send)
            return
        if etag_matches(_header(scope, b"if-none-match"), prepared.etag):
            status, headers, body = 304, prepared.not_modified_headers, b""
        else:
            status, headers, body = 200, prepared.headers, prepared.body
        await send({"type": "http.response.start", "status": status, "headers": headers})
        if scope["method"] == "HEAD":
            body = b""
        await send({"type": "http.response.body", "body": body})

    def _lookup(self, scope: Scope) -> Prepared | None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return None
        path: str = scope["path"]
        if scope["query_string"] or not path.startswith(PREPARED_NAMESPACES):
            return None
        stem, dot, extension = path.rpartition(".")
        representation = PREPARED.get(extension) if dot else None
        if representation is None:
            return None
        return self.prepared(stem[1:], representation)

    def _prepare(self, path: str, representation: Representation) -> Prepared | None:
        """The response to ``{path}.{ext}``, as ``resources.document`` builds it; None when
        ``{base}{path}`` is not described (the router answers: 404, or the ``path/`` IRI)."""
        from server.routes.resources import document_headers

        iri = self.settings.base_iri + path
        if not self.descriptions.exists(iri):
            return None
        body = self.descriptions.render(iri, representation)
        etag = etag_of(body)
        headers = {
            **document_headers(self.settings, path, iri),
            "ETag": etag,
            "Cache-Control": f"public, max-age={self.settings.cache_max_age_s}",
            "Content-Type": _content_type(representation),
            "Content-Length": str(len(body)),
        }
        ordered = ["Content-Type", "ETag", "Cache-Control"]
        ordered += [name for name in headers if name not in ordered]
        encoded = [(n.lower().encode(), headers[n].encode("latin-1")) for n in ordered]
        return Prepared(etag, encoded, body)


def _content_type(representation: Representation) -> str:
    """As Starlette writes it: text types get a charset."""
    media = representation.media_type
    return f"{media}; charset=utf-8" if media.startswith("text/") else media


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None
