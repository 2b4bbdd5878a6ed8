"""The ``/sparql`` front layer (``server/sparql_protocol.py: Front``) answers as the whole stack
would: same status, body and headers (CORS, the security headers, ``Vary``), with and without
``Origin``, for answers and errors, GET, HEAD and POST."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import pytest
from sparql_live import write_release

from maillage.settings import Settings
from server.app import create_app
from server.sparql_protocol import Front

SELECT = quote("SELECT ?x WHERE { BIND(1 AS ?x) }", safe="")
FORM = b"application/x-www-form-urlencoded"
REQUESTS = [
    ("GET", f"query={SELECT}", [], b""),
    ("GET", f"query={SELECT}", [(b"origin", b"https://example.org")], b""),
    ("HEAD", f"query={SELECT}", [(b"origin", b"https://example.org")], b""),
    ("GET", "query=SELEKT", [(b"origin", b"https://example.org")], b""),
    ("GET", "", [(b"accept", b"text/turtle")], b""),
    ("GET", "", [(b"accept", b"text/html")], b""),
    ("POST", "", [(b"content-type", FORM)], f"query={SELECT}".encode()),
    ("POST", "", [(b"content-type", b"text/plain")], b"ASK {}"),
    ("GET", f"query={SELECT}", [(b"accept", b"image/png"), (b"origin", b"null")], b""),
]


async def answer(app, method: str, query: str, headers: list, body: bytes, asgi=None) -> tuple:
    """``app``'s answer, through ``asgi`` (one of its layers) when given."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": "/sparql",
        "raw_path": b"/sparql",
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
        "state": {},
        "app": app,
    }
    messages = []

    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict) -> None:
        messages.append(message)

    await (asgi or app)(scope, receive, send)
    start, *rest = messages
    return start["status"], sorted(start["headers"]), b"".join(m.get("body", b"") for m in rest)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return create_app(Settings(var_dir=write_release(tmp_path_factory.mktemp("var"))))


@pytest.mark.parametrize(("method", "query", "headers", "body"), REQUESTS)
def test_the_front_answers_as_the_whole_stack(app, method, query, headers, body):
    async def both() -> tuple:
        async with app.router.lifespan_context(app):
            await answer(app, "GET", "query=ASK%7B%7D", [], b"")  # builds the stack
            front = app.middleware_stack
            assert isinstance(front, Front)
            await answer(app, method, query, headers, body, front.app)  # known to both now
            return (
                await answer(app, method, query, headers, body, front),
                await answer(app, method, query, headers, body, front.app),
            )

    through_front, through_stack = asyncio.run(both())
    assert through_front == through_stack
