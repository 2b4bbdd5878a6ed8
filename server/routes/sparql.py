"""``/sparql``: the SPARQL 1.1 Protocol, read-only and bounded.

GET ``?query=``, POST form-encoded or ``application/sparql-query``; ``default-graph-uri`` and
``named-graph-uri``; the result format by ``Accept`` or ``format``. Without a query, GET answers
the Service Description (browsers are sent to ``/query``). Every query is checked by
:mod:`server.sparql_policy`, then run by the app's :class:`~maillage.store.QueryEngine`, awaited
on the event loop (the embedded engine's worker pipes are watched by the loop: no thread).
Errors are sentences: ``{"detail": …}`` JSON, as the server's other errors, for a client whose
``Accept`` prefers JSON (the SPARQL JSON results type or ``application/json``), ``text/plain``
for every other client.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import functools
import logging
import math
import types
from collections.abc import AsyncIterator, Iterator, Mapping
from urllib.parse import parse_qs

import anyio
from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from maillage import sparql_syntax, store
from maillage.rdfio import prefixes
from maillage.settings import Settings
from server import errors, openapi, security_headers, service_description
from server.negotiation import NotAcceptable, choose
from server.prepared import encoded_headers
from server.representations import cached_response
from server.sparql_formats import JSON_RESULTS, Wanted, description_media_type
from server.sparql_policy import CheckedQuery, Policy

router = APIRouter()

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
ALLOW = "GET, HEAD, POST, OPTIONS"
SD_TYPES = [*service_description.MEDIA_TYPES, "text/html"]
QUERY_PAGE = "/query"


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


def install(app: FastAPI, engine: store.QueryEngine | None = None) -> None:
    """Mount ``/sparql`` with an engine (by default worker processes over the release's store)
    started and stopped with the application."""
    settings: Settings = app.state.settings
    release_bound = engine is None and not settings.sparql_endpoint
    engine = engine or store.open_engine(settings, app.state.release)
    policy = Policy(settings.iris, settings.query_max_chars, prefixes(settings.base_iri))
    app.state.sparql = Endpoint(settings, policy, engine, release_bound)
    app.include_router(router)
    _install_front(app)
    outer = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(running_app: FastAPI) -> AsyncIterator[object]:
        # started, not awaited: the server answers everything else (descriptions first of
        # all) while the query workers open the store; a query meanwhile waits for them, and
        # one after a failure to start gets its sentence (QueryRunner.start)
        starting = asyncio.get_running_loop().run_in_executor(None, engine.start)
        starting.add_done_callback(_say_if_failed)
        try:
            async with outer(running_app) as state:
                yield state
        finally:
            with contextlib.suppress(store.QueryError):
                await starting
            await anyio.to_thread.run_sync(engine.close)

    app.router.lifespan_context = lifespan


def _say_if_failed(starting: asyncio.Future) -> None:
    if not starting.cancelled() and starting.exception() is not None:
        logging.getLogger("uvicorn.error").error("SPARQL: %s", starting.exception())


# ---- routes -------------------------------------------------------------------------------


def _parameter(name: str, description: str, many: bool = False) -> dict:
    schema = {"type": "array", "items": {"type": "string"}} if many else {"type": "string"}
    return {"name": name, "in": "query", "description": description, "schema": schema}


GRAPH_PARAMETERS = [
    _parameter("default-graph-uri", "a graph of the default graph (repeatable)", many=True),
    _parameter("named-graph-uri", "a named graph of the dataset (repeatable)", many=True),
    _parameter("format", "json, xml, csv, tsv, turtle, ntriples, jsonld, rdfxml, trig, nquads"),
]
QUERY_PARAMETER = _parameter("query", "the SPARQL query; without it: the Service Description")
GET_DOC = {"parameters": [QUERY_PARAMETER, *GRAPH_PARAMETERS]}
POST_DOC = {
    "parameters": GRAPH_PARAMETERS,
    "requestBody": {
        "content": {
            FORM: {"schema": {"type": "object", "properties": {"query": {"type": "string"}}}},
            DIRECT: {"schema": {"type": "string"}},
        }
    },
}


@router.get(
    "/sparql",
    summary="SPARQL query (GET) or Service Description",
    openapi_extra=GET_DOC,
    responses=openapi.SPARQL,
)
@router.head("/sparql", include_in_schema=False)
async def sparql_get(request: Request) -> Response:
    try:
        params = _parameters(request.scope["query_string"])
        if "query" not in params and "update" not in params:
            return _service_description(request, params)
        return await _answer(request, params)
    except HTTPException as error:
        return _error(request, error)


@router.post(
    "/sparql",
    summary="SPARQL query (POST form or application/sparql-query)",
    openapi_extra=POST_DOC,
    responses=openapi.SPARQL,
)
async def sparql_post(request: Request) -> Response:
    try:
        return await _answer(request, await _post_parameters(request))
    except HTTPException as error:
        return _error(request, error)


@router.options("/sparql", include_in_schema=False)
async def sparql_options() -> Response:
    return Response(status_code=204, headers={"Allow": ALLOW})


class Front:
    """The outermost ASGI layer: ``/sparql`` GET, HEAD and POST go straight to the route
    functions above, before the application's other layers (Starlette's error layer, FastAPI's
    telemetry and body limit, CORS, the security headers, the prepared documents) and its router:
    about 0.1 ms of Python per query on a loaded core, more than a light query's engine time.
    What those layers do to a ``/sparql`` answer is done here in one edit of its headers, from
    their own configuration: the security headers of every response
    (:data:`server.security_headers.ALWAYS`; a ``/sparql`` answer is never an HTML page), and
    CORS's (``Vary: Origin`` always, its allow and expose headers when the request has an
    ``Origin``); an unexpected error is a 500 as the error layer makes it. Anything else (OPTIONS,
    a CORS configuration that mirrors origins) goes through the whole stack, as before.
    ``tests/e2e/test_sparql_http.py`` checks that both ways give the same headers."""

    def __init__(self, app, cors_headers: list[tuple[bytes, bytes]]) -> None:
        self.app = app
        """The whole stack, which answers everything else."""
        self._cors = cors_headers

    async def __call__(self, scope, receive, send) -> None:
        handler = DIRECT_HANDLERS.get(scope.get("method")) if scope["type"] == "http" else None
        if handler is None or scope["path"] != "/sparql":
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
            response = await handler(Request(scope, receive))
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


def _install_front(app: FastAPI) -> None:
    """Put :class:`Front` outside the application's middleware stack when it is built (at the
    first request or lifespan), if CORS answers every origin with ``*`` (else the front would
    have to mirror origins: the stack does)."""
    build = app.build_middleware_stack

    def build_with_front():
        stack = build()
        cors = [m for m in app.user_middleware if m.cls is CORSMiddleware]
        if len(cors) != 1:
            return stack
        layer = CORSMiddleware(stack, *cors[0].args, **cors[0].kwargs)
        if not layer.allow_all_origins or layer.allow_credentials:
            return stack
        return Front(stack, encoded_headers(layer.simple_headers))

    app.build_middleware_stack = build_with_front


DIRECT_HANDLERS = {"GET": sparql_get, "HEAD": sparql_get, "POST": sparql_post}


# ---- reading a request --------------------------------------------------------------------


PARSED_KEPT = 256
"""Query strings (up to ``PARSED_MAX_BYTES``) whose parameters are remembered: a portal sends
the same few queries again and again, and decoding one took about 15 µs."""
PARSED_MAX_BYTES = 4096


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


async def _post_parameters(request: Request) -> dict[str, list[str]]:
    params = _parameters(request.scope["query_string"])
    media_type, charset = _content_type(request.headers.get("content-type"))
    body = await _body(request, request.app.state.sparql.settings.query_max_chars)
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


async def _answer(request: Request, params: Mapping[str, list[str]]) -> Response:
    endpoint: Endpoint = request.app.state.sparql
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
            checked.text, media_type, checked.default_graphs, checked.named_graphs
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


def _service_description(request: Request, params: Mapping[str, list[str]]) -> Response:
    settings: Settings = request.app.state.sparql.settings
    wanted = Wanted.read(params.get("format", []), request.headers.get("accept"))
    media_type = description_media_type(wanted, SD_TYPES)
    if media_type == "text/html":
        return RedirectResponse(QUERY_PAGE, status_code=303, headers={"Vary": "Accept"})
    endpoint = f"{settings.public_base}sparql" if settings.public_base else _here(request)
    body = service_description.document(endpoint, settings, media_type)
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


def _here(request: Request) -> str:
    return str(request.url.replace(query="", fragment=""))
