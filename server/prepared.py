"""The dereferencing hot path: description documents answered from prepared responses.

A release never changes under a running server, so the response to ``GET /id/org/x.ttl`` —
status, headers and body — is the same every time. This ASGI layer sits in front of FastAPI's
router (inside the CORS middleware, so CORS headers are added as for any response) and answers
such a request, and the ``303 See Other`` from the resource's IRI to it, from a prepared
response: no routing, no thread hop, no serialisation, no hashing. A response is prepared on
first request and kept (least recently used go first, ``description_cache_entries`` of them);
everything else — HTML pages, 404s, 406s, ``/def.ttl``, the 301s and 410s of retired IRIs —
goes on to the router, which answers with the same headers (both take them from
``dereferencing.py``).

Measured with ``bench/``: the router path costs about 1 ms of Python per request; this one a
few tens of microseconds (``docs/performance.md``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from maillage.settings import Settings
from server.dereferencing import document_headers, redirect_headers
from server.description_cache import DescriptionCache
from server.negotiation import NotAcceptable
from server.representations import (
    DESCRIPTIONS,
    HTML,
    Representation,
    by_extension,
    etag_matches,
    etag_of,
    negotiate_description,
)

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable, Callable], Awaitable[None]]

PREPARED_NAMESPACES = ("/id/", "/concept/", "/.well-known/genid/")
"""Paths whose documents are prepared; the whole-namespace documents go through the router."""
NEGOTIATIONS_KEPT = 256
"""Distinct Accept headers remembered with the media type they choose (clients send few)."""
PREPARED = {ext: r for ext, r in by_extension(DESCRIPTIONS).items() if r is not HTML}


@dataclass(frozen=True)
class Prepared:
    status: int
    etag: str | None
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
        self.redirect = lru_cache(maxsize=settings.description_cache_entries)(self._redirect)
        self.negotiate = lru_cache(maxsize=NEGOTIATIONS_KEPT)(_negotiate)

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        prepared = self._lookup(scope)
        if prepared is None:
            await self.app(scope, receive, send)
            return
        if prepared.etag and etag_matches(_header(scope, b"if-none-match"), prepared.etag):
            status, headers, body = 304, prepared.not_modified_headers, b""
        else:
            status, headers, body = prepared.status, prepared.headers, prepared.body
        await send({"type": "http.response.start", "status": status, "headers": headers})
        if scope["method"] == "HEAD":
            body = b""
        await send({"type": "http.response.body", "body": body})

    def lookup(self, scope: Scope) -> Prepared | None:
        """The prepared response to this request; None when the router answers it."""
        return self._lookup(scope)

    def _lookup(self, scope: Scope) -> Prepared | None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return None
        path: str = scope["path"]
        if scope["query_string"] or not path.startswith(PREPARED_NAMESPACES):
            return None
        if _header(scope, b"accept-datetime") is not None:
            return None  # a TimeGate's answer (routes/memento.py)
        iri = self.settings.iris.at(path[1:])
        if iri in self.descriptions.retired:
            return None  # 301 or 410: the router answers
        if self.descriptions.exists(iri):
            media_type = self.negotiate(_header(scope, b"accept"))
            return None if media_type is None else self.redirect(path[1:], media_type)
        stem, dot, extension = path.rpartition(".")
        representation = PREPARED.get(extension) if dot else None
        if representation is None:
            return None
        return self.prepared(stem[1:], representation)

    def _redirect(self, path: str, media_type: str) -> Prepared:
        """The 303 from ``{base}{path}`` to its document in ``media_type``, as
        ``resources.see_other`` builds it."""
        extension = next(r.extension for r in DESCRIPTIONS if r.media_type == media_type)
        headers = {**redirect_headers(self.settings, path, extension), "Content-Length": "0"}
        return Prepared(303, None, encoded_headers(headers), b"")

    def _prepare(self, path: str, representation: Representation) -> Prepared | None:
        """The response to ``{path}.{ext}``, as ``resources.document`` builds it; None when
        ``{base}{path}`` is not described or is retired (the router answers: 404, 301 or 410,
        or the ``path/`` IRI)."""
        iri = self.settings.iris.at(path)
        if iri in self.descriptions.retired or not self.descriptions.exists(iri):
            return None
        body = self.descriptions.render(iri, representation)
        etag = etag_of(body)
        headers = {
            **document_headers(self.settings, path, iri, representation.extension),
            "ETag": etag,
            "Cache-Control": f"public, max-age={self.settings.cache_max_age_s}",
            "Content-Type": _content_type(representation),
            "Content-Length": str(len(body)),
        }
        return Prepared(200, etag, encoded_headers(headers), body)


def encoded_headers(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    """Headers as ASGI sends them: lower-case names, Latin-1 bytes."""
    return [(name.lower().encode(), value.encode("latin-1")) for name, value in headers.items()]


def _negotiate(accept: str | None) -> str | None:
    """The description media type an Accept header asks for; None when it accepts none (the
    router answers 406)."""
    try:
        return negotiate_description(accept).media_type
    except NotAcceptable:
        return None


def _content_type(representation: Representation) -> str:
    """As Starlette writes it: text types get a charset."""
    media = representation.media_type
    return f"{media}; charset=utf-8" if media.startswith("text/") else media


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None
