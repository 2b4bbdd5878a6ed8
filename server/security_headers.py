"""The security headers, in one table and one ASGI layer: every response says
``X-Content-Type-Options: nosniff`` and its ``Referrer-Policy``; every HTML page also gets the
``Content-Security-Policy`` that keeps it offline and unframed, unless its route set its own
(the reconciliation preview, framed by other sites: ``server/reconcile/preview.py``). Only HTML
gets a policy: the JSON and RDF of the API are read from any origin (CORS), and a policy on them
would say nothing a browser applies.

The layer wraps only ``send`` and appends headers encoded once, so the prepared description
documents (``prepared.py``) stay cheap."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

from server.prepared import ASGIApp, Scope, encoded_headers

PAGE_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
"""What a page of ours may load, run and be framed by: nothing from elsewhere, no inline script
(``<script type="application/json">`` data blocks are not run), no ``eval``. Inline styles are
allowed: the vendored YASGUI (its table's column grips), Cytoscape.js and vis-timeline insert
``<style>`` elements with content of their own, and are refused without it (our templates and
scripts need none: ``tests/e2e/test_security_headers_browser.py``)."""

EVERY_RESPONSE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
"""On every response, HTML or not: the media type is the one we say; other sites see our origin
in ``Referer``, never a page's path or query."""

HTML_PAGES = {
    "Content-Security-Policy": "; ".join(f"{d} {v}" for d, v in PAGE_POLICY.items()),
    "X-Frame-Options": "DENY",
}
"""On HTML pages that have no policy of their own (``X-Frame-Options`` is ``frame-ancestors``
for browsers that predate it)."""


ALWAYS = encoded_headers(EVERY_RESPONSE)
ON_PAGES = encoded_headers(HTML_PAGES)
OWN_POLICY = b"content-security-policy"


def _is_page(headers: list[tuple[bytes, bytes]]) -> bool:
    """An HTML response whose route set no policy of its own."""
    html = False
    for name, value in headers:
        if name == OWN_POLICY:
            return False
        if name == b"content-type":
            html = value.startswith(b"text/html")
    return html


class SecurityHeaders:
    """ASGI middleware: :data:`EVERY_RESPONSE` on every response, :data:`HTML_PAGES` on pages."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                added = ALWAYS + ON_PAGES if _is_page(headers) else ALWAYS
                message["headers"] = headers + added
            await send(message)

        await self.app(scope, receive, send_with_headers)
