"""``/reconcile``: the Reconciliation Service API, version 0.2 (OpenRefine 3: manifest,
``queries=`` and ``extend=`` by GET or POST form, JSONP ``callback=``) and, at
``/reconcile/1.0-draft``, version 1.0-draft (JSON bodies to ``/match`` and ``/extend``). Suggest,
property proposals and previews answer under both. Every refusal is a 400 (413 for a body too
long to read) whose JSON ``detail`` says in one sentence what is wrong and where."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, FastAPI, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse

from server import openapi, retired_view, routing
from server.reconcile import extension, manifest, preview, protocol, suggest
from server.reconcile.matching import Matcher
from server.reconcile.protocol import BadRequest, Limits
from server.reconcile.results import batch_02, batch_10
from server.reconcile.values import Values
from server.reconcile.vocabulary import PROPERTIES
from server.site import render

router = APIRouter(tags=["reconciliation"])

ROOT = "/reconcile"
DRAFT = "/reconcile/1.0-draft"
JSONP_CALLBACK = re.compile(r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$")
FORM = "application/x-www-form-urlencoded"
SUGGEST_KINDS = ("entity", "type", "property")


class Service:
    """What the routes share: the matcher, the values and the limits of the settings."""

    def __init__(self, app: FastAPI) -> None:
        settings = app.state.settings
        self.values = Values(app.state.reader, app.state.search, app.state.descriptions.retired)
        self.matcher = Matcher(app.state.search, self.values)
        self.limits = Limits(
            settings.reconcile_max_queries,
            settings.reconcile_max_candidates,
            settings.reconcile_max_ids,
        )
        self.base_iri = settings.base_iri
        self.public_base = settings.public_base

    def served(self, request: Request) -> str:
        """Where this server answers: the public base, else the address the client used."""
        return self.public_base or str(request.base_url)

    def answers(self, queries: list[protocol.Query]) -> list:
        return [(q.key, self.matcher.candidates(q)) for q in queries]


def install(app: FastAPI) -> None:
    app.state.reconcile = Service(app)
    app.include_router(router)


def service_of(request: Request) -> Service:
    return request.app.state.reconcile


def refused(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=status)


# --- Reading parameters ---------------------------------------------------------------------


async def parameters(request: Request) -> dict[str, str]:
    """The query string's parameters and, for a POST, the form's (OpenRefine posts its batches
    as ``application/x-www-form-urlencoded``)."""
    found = dict(request.query_params)
    if request.method == "POST":
        media = request.headers.get("content-type", FORM).split(";")[0].strip().lower()
        if media not in (FORM, ""):
            raise BadRequest(f"a POST to {ROOT} is a form ({FORM}), not {media}.")
        body = await read_body(request)
        try:
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise BadRequest("the form is not UTF-8.") from None
        found.update({key: items[-1] for key, items in form.items()})
    return found


async def read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > protocol.MAX_BODY_BYTES:
        raise TooLong(int(declared))
    body = await request.body()
    if len(body) > protocol.MAX_BODY_BYTES:
        raise TooLong(len(body))
    return body


class TooLong(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(
            f"the request body is {size} bytes long; at most {protocol.MAX_BODY_BYTES}."
        )


async def json_body(request: Request) -> object:
    body = await read_body(request)
    try:
        return protocol.parsed(body.decode("utf-8"), "the body")
    except UnicodeDecodeError:
        raise BadRequest("the body is not UTF-8.") from None


def bounded(params: dict[str, str], name: str, default: int, most: int) -> int:
    raw = params.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise BadRequest(f"{name} must be a positive integer, not {protocol.shortened(raw)!r}.")
    if int(raw) > most:
        raise BadRequest(f"{name} is {raw}; at most {most}.")
    return int(raw)


def as_json(document: object, params: dict[str, str]) -> Response:
    """JSON, or JSONP when a GET gives ``callback=`` (as 0.2 services do)."""
    callback = params.get("callback")
    if not callback:
        return JSONResponse(document)
    if len(callback) > 100 or not JSONP_CALLBACK.match(callback):
        raise BadRequest("callback must be a JavaScript function name (letters, digits, _ $ .).")
    body = f"/**/{callback}({json.dumps(document)});"
    return Response(body, media_type="application/javascript")


async def answered(request: Request, work: Callable[[], Response]) -> Response:
    try:
        return await work()
    except BadRequest as bad:
        return refused(str(bad))
    except TooLong as long:
        return refused(str(long), 413)


# --- Version 0.2 ----------------------------------------------------------------------------


@routing.get(router, ROOT, response_model=None, responses=openapi.RECONCILE)
@router.post(
    ROOT, response_model=None, responses=openapi.RECONCILE
)  # one route a method: OpenAPI needs an operation each
async def reconcile(request: Request) -> Response:
    """Version 0.2: the manifest (no parameter), a batch of queries (``queries=``) or a data
    extension (``extend=``), by GET or by POST form; ``callback=`` wraps the answer in JSONP."""

    async def work() -> Response:
        service = service_of(request)
        params = await parameters(request)
        if params.get("queries") is not None:
            queries = protocol.queries_02(params["queries"], service.limits)
            found = await run_in_threadpool(service.answers, queries)
            return as_json(batch_02(found), params)
        if params.get("extend") is not None:
            asked = protocol.extension_02(params["extend"], service.limits)
            answer = await run_in_threadpool(extension.response_02, service.values, asked)
            return as_json(answer, params)
        served = service.served(request)
        return as_json(manifest.manifest_02(service.base_iri, served, f"{served}reconcile"), params)

    return await answered(request, work)


# --- Version 1.0-draft ----------------------------------------------------------------------


@routing.get(router, DRAFT, response_model=None, responses=openapi.RECONCILE)
async def reconcile_draft(request: Request) -> Response:
    """Version 1.0-draft: the manifest. ``extend=`` as a parameter answers as 0.2 does (the
    Community Group's test bench sends its extension so)."""

    async def work() -> Response:
        service = service_of(request)
        params = dict(request.query_params)
        if params.get("extend") is not None:
            asked = protocol.extension_02(params["extend"], service.limits)
            return JSONResponse(
                await run_in_threadpool(extension.response_02, service.values, asked)
            )
        served = service.served(request)
        document = manifest.manifest_10(
            service.base_iri, served, f"{served}reconcile/1.0-draft", service.limits.queries
        )
        return JSONResponse(document)

    return await answered(request, work)


@routing.get(router, f"{DRAFT}/match", response_model=None, responses=openapi.RECONCILE)
@router.post(f"{DRAFT}/match", response_model=None, responses=openapi.RECONCILE)
async def match(request: Request) -> Response:
    """Version 1.0-draft: a batch of queries, the JSON body of a POST (or ``queries=`` of a
    GET)."""

    async def work() -> Response:
        service = service_of(request)
        if request.method == "POST":
            body = await json_body(request)
        else:
            body = protocol.parsed(request.query_params.get("queries", ""), "queries")
        queries = protocol.queries_10(body, service.limits)
        found = await run_in_threadpool(service.answers, queries)
        return JSONResponse(batch_10(found))

    return await answered(request, work)


@router.post(f"{DRAFT}/extend", response_model=None, responses=openapi.RECONCILE)
async def extend_draft(request: Request) -> Response:
    """Version 1.0-draft: a data extension, the JSON body of a POST."""

    async def work() -> Response:
        service = service_of(request)
        asked = protocol.extension(await json_body(request), "the body", service.limits)
        return JSONResponse(await run_in_threadpool(extension.response_10, service.values, asked))

    return await answered(request, work)


# --- Under both versions --------------------------------------------------------------------


def suggest_answer(request: Request, kind: str) -> Response:
    service = service_of(request)
    params = dict(request.query_params)
    if kind not in SUGGEST_KINDS:
        raise BadRequest(f"no suggest service for {kind!r}; there are entity, type and property.")
    most = bounded(params, "limit", protocol.DEFAULT_CANDIDATES * 2, service.limits.candidates)
    prefix = params.get("prefix", "")
    if len(prefix) > protocol.MAX_PREFIX_CHARS:
        raise BadRequest(
            f"prefix is {len(prefix)} characters long; at most {protocol.MAX_PREFIX_CHARS}."
        )
    if kind == "entity":
        wanted = params.get("type")
        kind_of = protocol.entity_type(wanted, "type") if wanted else None
        found = suggest.entities(service.matcher, prefix, kind_of, most)
    elif kind == "type":
        found = suggest.entity_types(prefix, most)
    else:
        found = suggest.properties(prefix, most)
    return as_json({"result": found}, params)


def propose_answer(request: Request) -> Response:
    params = dict(request.query_params)
    wanted = params.get("type", "")
    if not wanted:
        raise BadRequest("type is missing: give the type whose properties are proposed.")
    kind = protocol.entity_type(wanted, "type")
    most = bounded(params, "limit", 0, len(PROPERTIES)) or None
    return as_json(extension.proposal(kind.key, wanted, most), params)


def preview_answer(request: Request) -> Response:
    service = service_of(request)
    ref = request.query_params.get("id", "")
    if not ref:
        raise BadRequest("id is missing: give the identifier of the entity to preview.")
    iri = service.values.iri(ref)
    moved = iri and retired_view.derived_page(
        request,
        iri,
        lambda successor: f"{request.url.path}?id={quote(service.values.ref(successor))}",
        as_json=True,
        query="",
    )
    if moved:  # a retired identifier: 301 to its successor's preview, 410 when withdrawn
        return moved
    shown = preview.context(service.values, ref, service.served(request))
    if shown is None:
        return refused(f"no entity of ours has the identifier {protocol.shortened(ref)!r}.", 404)
    response = render(request, "reconcile_preview.html", shown)
    response.headers["Content-Security-Policy"] = preview.FRAME_POLICY
    return response


def shared_routes(prefix: str) -> None:
    async def suggest_route(request: Request, kind: str) -> Response:
        return await answered(request, lambda: run_in_threadpool(suggest_answer, request, kind))

    async def propose_route(request: Request) -> Response:
        return await answered(request, lambda: run_in_threadpool(propose_answer, request))

    async def preview_route(request: Request) -> Response:
        return await answered(request, lambda: run_in_threadpool(preview_answer, request))

    suggest_route.__doc__ = (
        "Suggest entities (``type=`` narrows), types or properties by ``prefix``."
    )
    propose_route.__doc__ = "The properties data extension offers for a ``type``."
    preview_route.__doc__ = "A small page showing the entity ``id``, for a frame."
    name = "draft" if prefix == DRAFT else "v02"
    for path, route, answers in (
        (f"{prefix}/suggest/{{kind}}", suggest_route, openapi.RECONCILE),
        (f"{prefix}/extend/propose", propose_route, openapi.RECONCILE),
        (f"{prefix}/preview", preview_route, openapi.PREVIEW),
    ):
        kind = route.__name__.removesuffix("_route")
        routing.get(router, path, name=f"{kind}_{name}", response_model=None, responses=answers)(
            route
        )


shared_routes(ROOT)
shared_routes(DRAFT)
