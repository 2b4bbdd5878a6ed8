"""``/search?q=…``: the release's full-text index (``server/search.py``) as a page, or as JSON by
``Accept: application/json``. A query is text: whatever it holds gets hits, none, or a 400 that
says why in one sentence."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request, Response
from starlette.responses import JSONResponse

from maillage.formats import HTML, JSON
from maillage.layout import SEARCH_INDEX
from server import errors, routing
from server.i18n import vary
from server.negotiation import NotAcceptable, choose
from server.resource_view import curie
from server.search import MAX_QUERY_CHARS, BadQuery, Hit, SearchIndex
from server.site import local_href, render

router = APIRouter(tags=["search"])

OFFERED = (HTML, JSON)
"""The page first (a browser, and ``*/*``), JSON by ``Accept``."""
LIMIT = 20
"""Hits per answer, best first."""


def install(app: FastAPI) -> None:
    app.state.search = SearchIndex(app.state.release / SEARCH_INDEX)
    app.include_router(router)


@routing.get(router, "/search", response_model=None)
def search(request: Request, q: str = "") -> Response:
    """Names and descriptions of our resources matching the words of ``q`` (accents, case,
    hyphens and apostrophes ignored; a misspelt word stands for the closest indexed one): a
    page, or JSON (each hit's IRI, label, class and snippet) by ``Accept``."""
    representation = chosen(request)
    try:
        hits = request.app.state.search.search(q, LIMIT)
    except BadQuery as refused:
        raise errors.bad_request(str(refused)) from None
    shown = [as_json(hit, request) for hit in hits]
    if representation is JSON:
        response: Response = JSONResponse({"query": q, "hits": shown})
    else:
        for hit in shown:
            hit["curie"] = curie(hit["class"])
        context = {"query": q, "hits": shown, "max_chars": MAX_QUERY_CHARS}
        response = render(request, "search.html", context)
    vary(response, "Accept")
    return response


def chosen(request: Request):
    try:
        media = choose(request.headers.get("accept"), [f.media_type for f in OFFERED])
    except NotAcceptable as refused:
        raise errors.not_acceptable(refused.offered) from None
    return next(f for f in OFFERED if f.media_type == media)


def as_json(hit: Hit, request: Request) -> dict:
    return {
        "iri": hit.iri,
        "label": hit.label,
        "class": hit.class_iri,
        "snippet": hit.snippet,
        "href": local_href(hit.iri, request.app.state.settings),
    }
