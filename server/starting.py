"""What a server answers while it starts, before FastAPI and the rest of it are imported.

Importing the whole server (FastAPI and its OpenAPI models, the routes, the pages' templates)
takes about half a second of CPU, and each HTTP worker then builds its app. ``maillage serve``
does not make a client wait for that to dereference an IRI: a process forked as soon as this
module is imported (``server/processes.py``) answers on the same socket with :class:`EarlyApp`
until the first HTTP worker is ready. :class:`EarlyApp` answers the prepared description
documents and their 303s itself, in the same layers as the whole app (CORS, then the security
headers, then :class:`~server.prepared.PreparedDocuments`), so the answer is the same byte for
byte. It answers SPARQL queries too, as soon as its own query worker has opened the store
(:class:`EarlyQueries`: the whole app's ``/sparql`` layer, :class:`server.sparql_protocol.Front`,
on one worker from the same forkserver), which is sooner than the HTTP workers; any other
request (a page, a 404) waits for the workers and is relayed to them. Every answer from this
process says ``Connection: close``: it is about to exit, and a client's next request should
reach whoever listens then.

This module imports no FastAPI (``tests/test_starting.py`` checks it), nor, before the process
listens, the SPARQL layer (rdflib's SPARQL grammar, about 0.1 s): :class:`EarlyQueries` imports
it in a thread while descriptions are answered.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from starlette.middleware.cors import CORSMiddleware

from maillage.layout import MANIFEST
from maillage.release_reader import ReleaseReader
from maillage.settings import Settings
from server.description_cache import DescriptionCache
from server.prepared import ASGIApp, PreparedDocuments, Scope
from server.security_headers import SecurityHeaders

CORS = {
    "allow_origins": ["*"],
    "allow_methods": ["GET", "HEAD", "POST", "OPTIONS"],
    "allow_headers": ["*"],
    "expose_headers": ["*"],
}
"""The CORS layer's options, the whole app's and the early answers' (``server/app.py``)."""


class NoRelease(RuntimeError):
    """The server was started before any release was built."""


def live_release(settings: Settings) -> Path:
    current = settings.current_release
    if not (current / MANIFEST).is_file():
        raise NoRelease(f"no release at {current}: run `maillage build` (or `make build`) first")
    return current.resolve()


def with_outer_layers(app: ASGIApp) -> ASGIApp:
    """``app`` inside the layers every response goes through: CORS outermost, then the security
    headers (the whole app adds them in this order, ``server/app.py``)."""
    return CORSMiddleware(SecurityHeaders(app), **CORS)


async def _not_prepared(scope: Scope, receive: Callable, send: Callable) -> None:
    raise AssertionError("EarlyApp answers only what PreparedDocuments prepares")


QUERIES_PATH = "/sparql"
QUERY_METHODS = frozenset({"GET", "HEAD", "POST"})
"""What :class:`EarlyQueries` takes: :data:`server.sparql_protocol.PATH` and the methods of its
``HANDLERS`` (not imported here: ``tests/test_starting.py`` checks they are the same)."""
EARLY_QUERY_WORKERS = 1
"""The early answers' query workers: one, for the second or so until the HTTP workers' own
start; a query that finds it busy waits, as it would for any worker, within the deadline."""


class EarlyQueries:
    """The early process's SPARQL endpoint: :meth:`start` (in a thread) imports the SPARQL layer,
    opens the endpoint on :data:`EARLY_QUERY_WORKERS` worker and waits until it is ready.
    A query that comes first waits for whichever is ready first, this or the HTTP workers
    (then it is relayed); if this could not start, every query is relayed."""

    def __init__(self, settings: Settings, release: Path) -> None:
        self.settings = dataclasses.replace(
            settings, query_workers=EARLY_QUERY_WORKERS, query_quick_ms=0, query_idle_ms=0
        )
        self.release = release
        self.front: ASGIApp | None = None
        self.endpoint: Any = None

    @staticmethod
    def takes(scope: Scope) -> bool:
        return scope["path"] == QUERIES_PATH and scope["method"] in QUERY_METHODS

    def start(self) -> None:
        """Blocking: import, open, start the worker (raises what the engine raises)."""
        from server.sparql_protocol import Front, open_endpoint

        self.endpoint = open_endpoint(self.settings, self.release)
        self.endpoint.engine.start()
        self.front = Front.in_place_of(CORSMiddleware(_not_prepared, **CORS), self.endpoint)

    def close(self) -> None:
        if self.endpoint is not None:
            self.endpoint.engine.close()


HOP_BY_HOP = {b"connection", b"keep-alive", b"transfer-encoding", b"date", b"server"}
"""Headers of a relayed answer that this process's server writes itself (``date`` and
``server`` as uvicorn always does, the framing of its own connection)."""
FORWARDED = {b"x-forwarded-for", b"x-forwarded-proto"}
RELAY_TIMEOUTS = {"connect": 30.0, "read": None, "write": None, "pool": None}
"""A relayed request waits as long as the worker takes (a query has its own deadline)."""


class EarlyApp:
    """ASGI app: the prepared description documents at once; SPARQL queries once its own worker
    is ready (:class:`EarlyQueries`, started with the app's lifespan when ``queries``); every
    other request waits until the HTTP workers are ready (``workers_ready`` becomes readable)
    and is relayed to them.

    On that signal this process stops listening (uvicorn's server, :attr:`server`, then shuts
    down once what it answers is answered), so a relayed request is taken by a worker. The
    relay sends the request as it came, with the client address and scheme this server derived
    (``X-Forwarded-For``, ``X-Forwarded-Proto``, trusted from the loopback by uvicorn's proxy
    headers, as any request from a local proxy), and sends the answer back as it came."""

    def __init__(
        self,
        settings: Settings,
        workers_ready: int,
        queries: bool = True,
        on_started: Callable[[], None] | None = None,
    ) -> None:
        self.settings = settings
        self.on_started = on_started
        """Called once this app has started (its lifespan), as it begins to answer."""
        release = live_release(settings)
        reader = ReleaseReader(release, settings.base_iri)
        self.documents = PreparedDocuments(
            _not_prepared, DescriptionCache(reader, settings), settings
        )
        self.prepared = with_outer_layers(self.documents)
        self.workers_ready_fd = workers_ready
        self.workers_ready = asyncio.Event()
        self.server: Any = None
        """The uvicorn server this app runs in (set by its process, ``server/processes.py``)."""
        self.queries = None
        """Where queries are answered here (not for a remote store: the workers relay those)."""
        if queries and not settings.sparql_endpoint:
            self.queries = EarlyQueries(settings, release)
        self.queries_ready: asyncio.Future | None = None

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        send = _closing(send)
        if self.documents.lookup(scope) is not None:
            await self.prepared(scope, receive, send)
        elif scope["type"] == "http":
            if self.queries is not None and self.queries.takes(scope) and await self._queries():
                await self.queries.front(scope, receive, send)
                return
            await self.workers_ready.wait()
            await relay(scope, receive, send, _workers_address(self.settings))

    async def _queries(self) -> bool:
        """Whether this process answers a query: its worker is ready, or becomes ready before
        the HTTP workers (waiting for whichever comes first)."""
        ready = self.queries_ready
        if ready is None:
            return False
        if not ready.done() and not self.workers_ready.is_set():
            workers = asyncio.ensure_future(self.workers_ready.wait())
            await asyncio.wait({ready, workers}, return_when=asyncio.FIRST_COMPLETED)
            workers.cancel()
        return ready.done() and not ready.cancelled() and ready.exception() is None

    async def _lifespan(self, receive: Callable, send: Callable) -> None:
        """At startup, watch for the workers' signal and start the queries' worker (in a
        thread); at shutdown, stop that worker."""
        await receive()  # lifespan.startup
        loop = asyncio.get_running_loop()
        loop.add_reader(self.workers_ready_fd, self._workers_started)
        if self.queries is not None:
            self.queries_ready = loop.run_in_executor(None, self.queries.start)
            self.queries_ready.add_done_callback(_say_if_failed)
        await send({"type": "lifespan.startup.complete"})
        if self.on_started is not None:
            self.on_started()
        await receive()  # lifespan.shutdown
        if self.queries_ready is not None:
            await asyncio.wait({self.queries_ready})  # a start under way ends first
            await loop.run_in_executor(None, self.queries.close)
        await send({"type": "lifespan.shutdown.complete"})

    def _workers_started(self) -> None:
        """Stop listening at once (the workers take every new connection), finish what is being
        answered (relayed requests included), then exit."""
        asyncio.get_running_loop().remove_reader(self.workers_ready_fd)
        for listening in self.server.servers:
            listening.close()
        self.server.should_exit = True
        self.workers_ready.set()


CLOSE = (b"connection", b"close")


def _closing(send: Callable) -> Callable:
    """``send`` with ``Connection: close`` on the answer: this process exits once the workers
    are ready, so a client must not keep a connection to it for its next request (it would find
    it closed, maybe as it sends); uvicorn closes the connection after an answer that says so.
    The next request opens a connection that whoever listens then takes."""

    async def send_closing(message: dict) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", ()), CLOSE]}
        await send(message)

    return send_closing


def _say_if_failed(starting: asyncio.Future) -> None:
    if not starting.cancelled() and starting.exception() is not None:
        message = "SPARQL: the early answers relay queries: %s"
        logging.getLogger("uvicorn.error").warning(message, starting.exception())


def _workers_address(settings: Settings) -> str:
    """Where this process reaches the workers: the loopback when they listen on every address
    (uvicorn trusts forwarded headers from 127.0.0.1 by default: ``FORWARDED_ALLOW_IPS``), else
    their own address (then a relayed request's client is this server's own address)."""
    host = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "localhost": "127.0.0.1", "::": "::1"}.get(
        settings.host, settings.host
    )
    return f"http://[{host}]:{settings.port}" if ":" in host else f"http://{host}:{settings.port}"


async def relay(scope: Scope, receive: Callable, send: Callable, address: str) -> None:
    """Send the request of ``scope`` to ``address`` and its answer back, both streamed."""
    import httpcore  # only here: a request that is not a prepared document, in the first second

    target = address + scope.get("raw_path", scope["path"].encode()).decode("latin-1")
    if scope["query_string"]:
        target += "?" + scope["query_string"].decode("latin-1")
    client = scope.get("client")
    headers = [(n, v) for n, v in scope["headers"] if n not in FORWARDED]
    headers += [(b"x-forwarded-proto", scope["scheme"].encode())]
    if client:
        headers.append((b"x-forwarded-for", client[0].encode()))

    async def body() -> AsyncIterator[bytes]:
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return
            yield message.get("body", b"")
            if not message.get("more_body", False):
                return

    extensions = {"timeout": RELAY_TIMEOUTS}
    async with (
        httpcore.AsyncConnectionPool() as pool,
        pool.stream(
            scope["method"], target, headers=headers, content=body(), extensions=extensions
        ) as answer,
    ):
        kept = [(n.lower(), v) for n, v in answer.headers if n.lower() not in HOP_BY_HOP]
        await send({"type": "http.response.start", "status": answer.status, "headers": kept})
        async for chunk in answer.aiter_stream():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b""})
