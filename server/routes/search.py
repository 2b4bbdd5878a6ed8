"""``/search?q=…``: the release's full-text index (``server/search.py``) as a page, or as JSON by
``Accept: application/json``. A query is text: whatever it holds gets hits, none, or a 400 that
says why in one sentence."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Query, Request, Response
from starlette.responses import JSONResponse

from maillage.formats import HTML, JSON
from maillage.layout import SEARCH_INDEX
from maillage.release_reader import ClaimRef
from server import errors, openapi, routing
from server.i18n import PARAMETER as LANGUAGE
from server.i18n import vary
from server.negotiation import NotAcceptable, choose
from server.resource_view import curie
from server.search import FACETS, MAX_QUERY_CHARS, BadQuery, Hit, Results, SearchIndex
from server.site import local_href, render

router = APIRouter(tags=["search"])

OFFERED = (HTML, JSON)
"""The page first (a browser, and ``*/*``), JSON by ``Accept``."""
LIMIT = 20
"""Hits per answer, best first."""


def install(app: FastAPI) -> None:
    app.state.search = SearchIndex(app.state.release / SEARCH_INDEX)
    app.include_router(router)


@routing.get(router, "/search", response_model=None, responses=openapi.SEARCH)
def search(
    request: Request,
    q: str = "",
    class_: Annotated[str | None, Query(alias="class")] = None,
    family: str | None = None,
    commune: str | None = None,
) -> Response:
    """Names and descriptions of our resources matching the words of ``q`` (accents, case,
    hyphens and apostrophes ignored; a misspelt word stands for the closest indexed one),
    counted by class, network family and commune, and narrowed by ``class`` (a CURIE),
    ``family`` and ``commune`` (an INSEE code): a page, or JSON (each hit's IRI, label, class
    and snippet, the total and the facets) by ``Accept``."""
    representation = chosen(request)
    given = {"class": class_, "family": family, "commune": commune}
    filters = {name: value for name, value in given.items() if value is not None}
    try:
        results = request.app.state.search.find(q, LIMIT, filters)
    except BadQuery as refused:
        raise errors.bad_request(str(refused)) from None
    shown = [as_json(hit, request) for hit in results.hits]
    if representation is JSON:
        body = {"query": q, "filters": filters, "total": results.total, "hits": shown}
        response: Response = JSONResponse({**body, "facets": facets_json(results)})
    else:
        for hit in shown:
            hit["curie"] = curie(hit["class"])
        context = {
            "query": q,
            "hits": shown,
            "total": results.total,
            "facets": facets_page(results, q, kept(request, filters)),
            "filters": removable(q, kept(request, filters)),
            "max_chars": MAX_QUERY_CHARS,
        }
        response = render(request, "search.html", context)
    vary(response, "Accept")
    return response


@routing.get(router, "/search/suggest", response_model=None, responses=openapi.SUGGEST)
def suggest(request: Request, q: str = "") -> JSONResponse:
    """Names that start with what was typed in ``q`` (each word a prefix, accents, case,
    hyphens and apostrophes ignored), for the search box's autocomplete: JSON, at most
    ``SUGGESTIONS``, none under ``SUGGEST_MIN_CHARS`` letters."""
    try:
        found = request.app.state.search.suggest(q)
    except BadQuery as refused:
        raise errors.bad_request(str(refused)) from None
    settings = request.app.state.settings
    suggestions = [
        {
            "iri": s.iri,
            "label": s.label,
            "class": s.class_iri,
            "class_label": s.class_label,
            "href": local_href(s.iri, settings),
        }
        for s in found
    ]
    return JSONResponse({"query": q, "suggestions": suggestions})


def facets_json(results: Results) -> dict[str, list[dict]]:
    return {
        name: [{"value": v.code, "iri": v.iri, "label": v.label, "count": v.count} for v in values]
        for name, values in results.facets.items()
    }


def kept(request: Request, filters: dict[str, str]) -> dict[str, str]:
    """The filters, and the language the URL asks for: what the page's links carry on."""
    lang = request.query_params.get(LANGUAGE)
    return {**filters, LANGUAGE: lang} if lang else filters


def facets_page(results: Results, q: str, filters: dict[str, str]) -> list[dict]:
    """Each facet with values, each value with the link that narrows the search to it."""
    return [
        {
            "name": facet.name,
            "options": [
                {
                    "label": v.label,
                    "code": v.code,
                    "count": v.count,
                    "current": filters.get(facet.name) == v.code,
                    "href": search_href(q, {**filters, facet.name: v.code}),
                }
                for v in results.facets.get(facet.name, [])
            ],
        }
        for facet in FACETS
        if results.facets.get(facet.name)
    ]


def removable(q: str, filters: dict[str, str]) -> list[dict]:
    """The filters in force, each with the link that lifts it."""
    return [
        {
            "name": name,
            "code": code,
            "href": search_href(q, {k: v for k, v in filters.items() if k != name}),
        }
        for name, code in filters.items()
        if name != LANGUAGE
    ]


def search_href(q: str, filters: dict[str, str]) -> str:
    return "/search?" + urlencode({"q": q, **filters})


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
        "quote": quoted_claim(hit.claim, request),
        "href": local_href(hit.iri, request.app.state.settings),
    }


def quoted_claim(claim: str | None, request: Request) -> dict | None:
    """The claim whose quote the snippet is, and where its document page shows it."""
    key = request.app.state.reader.ours.claim_key(claim) if claim else None
    if key is None:
        return None
    return {"claim": claim, "document": key[0], "href": ClaimRef(claim, *key, "normal").href}
