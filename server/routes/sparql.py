"""``/sparql`` in the whole app: the engine started and stopped with it, the routes declared
(for the API description, and for a request the front does not take), and
:class:`server.sparql_protocol.Front` put outside its stack. What the endpoint does is in
:mod:`server.sparql_protocol`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import anyio
from fastapi import APIRouter, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from starlette.responses import Response

from maillage import store
from server import openapi
from server.sparql_protocol import ALLOW, DIRECT, FORM, PATH, Front, get, open_endpoint, post

router = APIRouter()


def install(app: FastAPI, engine: store.QueryEngine | None = None) -> None:
    """Mount ``/sparql`` with an engine (by default worker processes over the release's store)
    started and stopped with the application. The queries it runs in this process share the
    release reader's store handle."""
    state = app.state
    state.sparql = open_endpoint(state.settings, state.release, engine, state.reader.store)
    engine = state.sparql.engine
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
    PATH,
    summary="SPARQL query (GET) or Service Description",
    openapi_extra=GET_DOC,
    responses=openapi.SPARQL,
)
@router.head(PATH, include_in_schema=False)
async def sparql_get(request: Request) -> Response:
    return await get(request.app.state.sparql, request)


@router.post(
    PATH,
    summary="SPARQL query (POST form or application/sparql-query)",
    openapi_extra=POST_DOC,
    responses=openapi.SPARQL,
)
async def sparql_post(request: Request) -> Response:
    return await post(request.app.state.sparql, request)


@router.options(PATH, include_in_schema=False)
async def sparql_options() -> Response:
    return Response(status_code=204, headers={"Allow": ALLOW})


def _install_front(app: FastAPI) -> None:
    """Put :class:`~server.sparql_protocol.Front` outside the application's middleware stack
    when it is built (at the first request or lifespan), if CORS answers every origin with ``*``
    (else the front would have to mirror origins: the stack does)."""
    build = app.build_middleware_stack

    def build_with_front():
        stack = build()
        cors = [m for m in app.user_middleware if m.cls is CORSMiddleware]
        if len(cors) != 1:
            return stack
        layer = CORSMiddleware(stack, *cors[0].args, **cors[0].kwargs)
        if not layer.allow_all_origins or layer.allow_credentials:
            return stack
        return Front.in_place_of(layer, app.state.sparql)

    app.build_middleware_stack = build_with_front
