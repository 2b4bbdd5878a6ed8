"""The SPARQL 1.1 Protocol at ``/sparql``, read-only and bounded, as one ASGI layer that
imports no FastAPI: :class:`Front`. The whole app puts it outside its stack
(``server/routes/sparql.py``, which also declares the routes for the API description), and the
early answers of a starting server use it too (``server/starting.py``), so a query gets the
same answer, byte for byte, from either.

GET ``?query=``, POST form-encoded or ``application/sparql-query``; ``default-graph-uri`` and
``named-graph-uri``; the result format by ``Accept`` or ``format``. Without a query, GET answers
the Service Description (browsers are sent to ``/query``). Every query is checked by
:mod:`server.sparql_policy`, then run by the endpoint's :class:`~maillage.store.QueryEngine`,
awaited on the event loop (the embedded engine's worker pipes are watched by the loop: no
thread). Errors are sentences: ``{"detail": …}`` JSON, as the server's other errors, for a
client whose ``Accept`` prefers JSON (the SPARQL JSON results type or ``application/json``),
``text/plain`` for every other client.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import functools
import math
import time
import types
from collections.abc import Iterator, Mapping
from pathlib import Path
from urllib.parse import parse_qs

import anyio
import pyoxigraph as ox
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from maillage import sparql_syntax, store
from maillage.rdfio import prefixes
from maillage.settings import Settings
from server import errors, security_headers, service_description
from server.negotiation import NotAcceptable, choose
from server.prepared import encoded_headers
from server.representations import cached_response
from server.sparql_formats import JSON_RESULTS, Wanted, description_media_type
from server.sparql_policy import CheckedQuery, Policy

PATH = "/sparql"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
ALLOW = "GET, HEAD, POST, OPTIONS"
SD_TYPES = [*service_description.MEDIA_TYPES, "text/html"]
QUERY_PAGE = "/query"
IDLE_AFTER_S = 1.0
"""How long a process must have served one request at a time to be taken for idle."""
IDLE_GAP_S = 0.005
"""…and its last request must have ended this recently: one client's requests in a row, not
the first request after a pause (new clients may be connecting then: a query run on the event
loop would leave them all to the other HTTP workers)."""


@dataclasses.dataclass
class Endpoint:
    """What the routes share: the settings, the policy, the engine and the client counters."""

    settings: Settings
    policy: Policy
    engine: store.QueryEngine
    release_bound: bool = True
    """The engine answers from the release, so a GET's answer holds as long as the release
    (ETag and Cache-Control, like a description); a remote store's data may change."""
    running: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    in_progress: int = 0
    """Requests of any kind in progress in this process, counted by :class:`Front` (the
    outermost layer) when it stands."""
    shared_at: float = -math.inf
    """When a request last began while another was in progress here (``time.monotonic``)."""
    ended_at: float = -math.inf
    """When the last request here ended."""
    counting: bool = False
    """Whether a :class:`Front` counts them: one does when ``query_idle_ms`` is set (without
    counting, no query is taken for idle)."""

    @property
    def idle(self) -> bool:
        """Whether this process serves one request at a time: the one in progress is alone,
        and none has had company for ``IDLE_AFTER_S``. Its queries may then run here for
        longer (``query_idle_ms``): its client waits for them anyway, and a server with
        several clients at once is not taken for idle between two of their requests."""
        if not self.counting or self.in_progress != 1:
            return False
        now = time.monotonic()
        return now - self.shared_at > IDLE_AFTER_S and now - self.ended_at < IDLE_GAP_S

    engine_slots: anyio.CapacityLimiter = dataclasses.field(init=False)
    parser_slots: anyio.CapacityLimiter = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        """As many queries run, and are parsed, at once as there are workers."""
        self.engine_slots = anyio.CapacityLimiter(self.settings.query_workers)
        self.parser_slots = anyio.CapacityLimiter(self.settings.query_workers)

    @property
    def retry_after_s(self) -> int:
        """A slot is free at the latest when the running queries reach their deadline."""
        return math.ceil(self.settings.query_timeout_s)

    @contextlib.contextmanager
    def client_slot(self, host: str) -> Iterator[None]:
        if self.running[host] >= self.settings.client_max_concurrent:
            raise errors.too_many_requests(self.retry_after_s)
        self.running[host] += 1
        try:
            yield
        finally:
            self.running[host] -= 1
            if not self.running[host]:
                del self.running[host]


def open_endpoint(
    settings: Settings,
    release: Path,
    engine: store.QueryEngine | None = None,
    opened: ox.Store | None = None,
) -> Endpoint:
    """The endpoint on ``engine``, by default the settings' own (worker processes over the
    release's store, or the remote store; ``opened``: that store as this process has it open
    already, for the queries it runs itself), not started yet."""
    release_bound = engine is None and not settings.sparql_endpoint
    engine = engine or store.open_engine(settings, release, opened=opened)
    policy = Policy(settings.iris, settings.query_max_chars, prefixes(settings.base_iri))
    return Endpoint(settings, policy, engine, release_bound)


async def get(endpoint: Endpoint, request: Request) -> Response:
    """A GET or HEAD: the answer to its query, or without one the Service Description."""
    try:
        params = _parameters(request.scope["query_string"])
        if "query" not in params and "update" not in params:
            return _service_description(endpoint, request, params)
        return await _answer(endpoint, request, params)
    except HTTPException as error:
        return _error(request, error)


async def post(endpoint: Endpoint, request: Request) -> Response:
    """A POST: form-encoded or ``application/sparql-query``."""
    try:
        return await _answer(endpoint, request, await _post_parameters(endpoint, request))
    except HTTPException as error:
        return _error(request, error)


HANDLERS = {"GET": get, "HEAD": get, "POST": post}


class Front:
    """The outermost ASGI layer: ``/sparql`` GET, HEAD and POST go straight to
    :data:`HANDLERS`, before the application's other layers (Starlette's error layer, FastAPI's
    telemetry and body limit, CORS, the security headers, the prepared documents) and its router:
    about 0.1 ms of Python per query on a loaded core, more than a light query's engine time.
    What those layers do to a ``/sparql`` answer is done here in one edit of its headers, from
    their own configuration: the security headers of every response
    (:data:`server.security_headers.ALWAYS`; a ``/sparql`` answer is never an HTML page), and
    CORS's (``Vary: Origin`` always, its allow and expose headers when the request has an
    ``Origin``); an unexpected error is a 500 as the error layer makes it. Anything else (OPTIONS,
    a CORS configuration that mirrors origins) goes through the whole stack, as before.
    ``tests/e2e/test_sparql_http.py`` checks that both ways give the same headers."""

    def __init__(self, app, endpoint: Endpoint, cors_headers: list[tuple[bytes, bytes]]) -> None:
        self.app = app
        """The whole stack, which answers everything else."""
        self.endpoint = endpoint
        self._cors = cors_headers
        endpoint.counting = endpoint.settings.query_idle_ms > 0

    @classmethod
    def in_place_of(cls, cors: CORSMiddleware, endpoint: Endpoint) -> Front:
        """The front in place of ``cors``, an app's outer CORS layer that answers every origin
        with ``*``: what the front does not take goes to that layer's app, and the front writes
        that layer's headers itself."""
        return cls(cors.app, endpoint, encoded_headers(cors.simple_headers))

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not self.endpoint.counting:  # nothing reads the counts: no work on every request
            await self._http(scope, receive, send)
            return
        self.endpoint.in_progress += 1
        if self.endpoint.in_progress > 1:
            self.endpoint.shared_at = time.monotonic()
        try:
            await self._http(scope, receive, send)
        finally:
            self.endpoint.in_progress -= 1
            self.endpoint.ended_at = time.monotonic()

    async def _http(self, scope, receive, send) -> None:
        handler = HANDLERS.get(scope["method"])
        if handler is None or scope["path"] != PATH:
            await self.app(scope, receive, send)
            return
        origin = any(name == b"origin" for name, _ in scope["headers"])
        started = False

        async def send_with_headers(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = self._headers(message.get("headers", ()), origin)
            await send(message)

        try:
            response = await handler(self.endpoint, Request(scope, receive))
            await response(scope, receive, send_with_headers)
        except Exception:
            if not started:
                failed = PlainTextResponse("Internal Server Error", status_code=500)
                await failed(scope, receive, send_with_headers)
            raise

    def _headers(self, headers, origin: bool) -> list[tuple[bytes, bytes]]:
        edited, vary = [], []
        for name, value in headers:
            if name == b"vary":
                vary.append(value)
            else:
                edited.append((name, value))
        edited.append((b"vary", b", ".join([*vary, b"Origin"])))
        if origin:
            cors = {name for name, _ in self._cors}
            edited = [(n, v) for n, v in edited if n not in cors] + self._cors
        return edited + security_headers.ALWAYS


# ---- reading a request --------------------------------------------------------------------


PARSED_KEPT = 256
"""Query strings (up to ``PARSED_MAX_BYTES``) whose parameters are remembered: a portal sends
the same few queries again and again, and decoding one took about 15 µs (a 4 kB one, 0.1 ms).
At most 256 × 8 kB and their decoded parameters are kept: about 4 MB a worker."""
PARSED_MAX_BYTES = 8192


def _parameters(raw: bytes) -> Mapping[str, list[str]]:
    """URL-encoded parameters, every value kept; not UTF-8 is a 400 (no silent replacement).
    Read-only: a short query string's parameters are shared by the requests that send it."""
    return _parsed(raw) if len(raw) <= PARSED_MAX_BYTES else _parse(raw)


@functools.lru_cache(maxsize=PARSED_KEPT)
def _parsed(raw: bytes) -> Mapping[str, list[str]]:
    return types.MappingProxyType(_parse(raw))


def _parse(raw: bytes) -> dict[str, list[str]]:
    try:
        return parse_qs(raw.decode("ascii"), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise errors.bad_request("parameters must be percent-encoded UTF-8") from None


async def _post_parameters(endpoint: Endpoint, request: Request) -> dict[str, list[str]]:
    params = _parameters(request.scope["query_string"])
    media_type, charset = _content_type(request.headers.get("content-type"))
    body = await _body(request, endpoint.settings.query_max_chars)
    if media_type == FORM:
        return _merge(params, _parameters(body))
    if media_type == UPDATE:
        raise errors.the_server_is_read_only()
    if media_type != DIRECT:
        raise errors.unsupported_media_type(media_type or "(none)", [FORM, DIRECT])
    if "query" in params:
        raise errors.bad_request("send the query once: in the body or in the URL, not both")
    if charset not in ("", "utf-8"):
        raise errors.unsupported_media_type(
            f"{DIRECT}; charset={charset}", [f"{DIRECT}; charset=utf-8"]
        )
    try:
        return _merge(params, {"query": [body.decode("utf-8")]})
    except UnicodeDecodeError:
        raise errors.bad_request("the query is not valid UTF-8") from None


def _content_type(header: str | None) -> tuple[str, str]:
    media_type, *params = (header or "").split(";")
    charset = ""
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.strip().lower(), charset


async def _body(request: Request, max_chars: int) -> bytes:
    """The body, refused with 413 once it cannot hold a query of ``max_chars`` characters
    (4 bytes a character, ×3 for percent-encoding, and room for the graph parameters)."""
    limit = 12 * max_chars + 65_536
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise errors.payload_too_large(f"the request body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _merge(*sources: Mapping[str, list[str]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for source in sources:
        for name, values in source.items():
            merged.setdefault(name, []).extend(values)
    return merged


def _single(params: Mapping[str, list[str]], name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise errors.bad_request(f"the parameter '{name}' was given {len(values)} times; send one")
    return values[0] if values else None


# ---- answering ----------------------------------------------------------------------------


async def _answer(
    endpoint: Endpoint, request: Request, params: Mapping[str, list[str]]
) -> Response:
    if "update" in params:
        raise errors.the_server_is_read_only()
    query = _single(params, "query")
    if query is None:
        raise errors.bad_request("no query: send it as the 'query' parameter or the body")
    endpoint.policy.check_length(query)
    wanted = Wanted.read(params.get("format", []), request.headers.get("accept"))
    wanted.check_possible()
    host = request.client.host if request.client else "unknown"
    with endpoint.client_slot(host):
        checked = await _check(endpoint, query, params)
        media_type = wanted.media_type(checked.returns_graph)
        result = await _run(endpoint, checked, media_type)
    headers = {"Vary": "Accept"}
    if request.method in ("GET", "HEAD") and endpoint.release_bound:
        max_age = endpoint.settings.cache_max_age_s
        return cached_response(request, result.body, result.media_type, headers, max_age)
    return Response(result.body, media_type=result.media_type, headers=headers)


async def _check(endpoint: Endpoint, query: str, params: Mapping[str, list[str]]) -> CheckedQuery:
    """The policy's answer: at once for a query it allowed before, else parsed in a thread."""
    graphs = (params.get("default-graph-uri", []), params.get("named-graph-uri", []))
    known = endpoint.policy.known(query, *graphs)
    if known is not None:
        return known
    return await anyio.to_thread.run_sync(
        endpoint.policy.check, query, *graphs, limiter=endpoint.parser_slots
    )


async def _run(endpoint: Endpoint, checked: CheckedQuery, media_type: str) -> store.Result:
    try:  # a query known to be quick needs no slot: it is answered here and now
        quick = endpoint.engine.run_quick(
            checked.text, media_type, checked.default_graphs, checked.named_graphs, endpoint.idle
        )
    except store.QueryError as error:
        raise _engine_error(endpoint, error) from None
    if quick is not None:
        return quick
    if not _free_slot_taken(endpoint):
        with anyio.move_on_after(endpoint.settings.query_timeout_s) as waiting:
            await endpoint.engine_slots.acquire()
        if waiting.cancelled_caught:
            raise _busy(endpoint)
    try:
        return await endpoint.engine.run_async(
            checked.text, media_type, checked.default_graphs, checked.named_graphs
        )
    except store.QueryError as error:
        raise _engine_error(endpoint, error) from None
    finally:
        endpoint.engine_slots.release()


def _free_slot_taken(endpoint: Endpoint) -> bool:
    """A free slot taken at once, without a cancel scope or a turn of the loop."""
    try:
        endpoint.engine_slots.acquire_nowait()
    except anyio.WouldBlock:
        return False
    return True


def _engine_error(endpoint: Endpoint, error: store.QueryError) -> HTTPException:
    if isinstance(error, store.QueryTimeout):
        return errors.query_timeout(error.seconds)
    if isinstance(error, store.ResultTooLarge):
        return HTTPException(422, f"{error}; add a LIMIT or narrow the query")
    if isinstance(error, store.QueryOverMemory):  # 422, not 503: retrying needs as much memory
        return HTTPException(
            422,
            f"{error}; narrow the query (fewer or more selective patterns, no ORDER BY or "
            "DISTINCT over a large intermediate result)",
        )
    if isinstance(error, store.QuerySyntaxError):
        return errors.bad_request(f"SPARQL {sparql_syntax.engine_message(str(error))}")
    if isinstance(error, store.QueryEvaluationError):
        return errors.bad_request(f"the query could not be evaluated: {error}")
    if isinstance(error, store.EngineBusy):
        return _busy(endpoint)
    if isinstance(error, store.EngineUnavailable):  # could not start; started again meanwhile
        retry = str(error.retry_after_s)
        return HTTPException(503, str(error), headers={"Retry-After": retry})
    return HTTPException(500, f"the query engine failed: {error}")


def _busy(endpoint: Endpoint) -> HTTPException:
    retry = str(endpoint.retry_after_s)
    return HTTPException(
        503, f"every query worker is busy; retry in {retry} s", headers={"Retry-After": retry}
    )


ERROR_TYPES = ["text/plain", "application/json", JSON_RESULTS]
"""What an error can be written as; a tie (``*/*``, no ``Accept``) goes to plain text."""


def _error(request: Request, error: HTTPException) -> Response:
    headers = {**(error.headers or {}), "Vary": "Accept"}
    if _error_type(request.headers.get("accept")) == "text/plain":
        return PlainTextResponse(f"{error.detail}\n", error.status_code, headers=headers)
    return JSONResponse({"detail": error.detail}, error.status_code, headers=headers)


def _error_type(accept: str | None) -> str:
    try:
        return choose(accept, ERROR_TYPES)
    except NotAcceptable:
        return "text/plain"


def _service_description(
    endpoint: Endpoint, request: Request, params: Mapping[str, list[str]]
) -> Response:
    settings = endpoint.settings
    wanted = Wanted.read(params.get("format", []), request.headers.get("accept"))
    media_type = description_media_type(wanted, SD_TYPES)
    if media_type == "text/html":
        return RedirectResponse(QUERY_PAGE, status_code=303, headers={"Vary": "Accept"})
    endpoint = f"{settings.public_base}sparql" if settings.public_base else _here(request)
    body = service_description.document(endpoint, settings, media_type)
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


def _here(request: Request) -> str:
    return str(request.url.replace(query="", fragment=""))
