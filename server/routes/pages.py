"""Pages for people: the home page, resource pages (called by the dereferencing routes for
``text/html``), document pages with their quotes marked, the query page (YASGUI) and the OpenAPI
page. Server-rendered, and everything they load is served from here."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Query, Request
from starlette.responses import HTMLResponse

from maillage.asof import BadDate, parse_day
from maillage.descriptions import Description
from maillage.formats import JSON_LD, N_TRIPLES, RDF_XML, TURTLE
from maillage.layout import read_examples
from maillage.rdfio import prefixes
from maillage.release_reader import Claim, ReleaseReader
from maillage.settings import Settings
from server.asof_view import AsOf, as_of_view
from server.dereferencing import document_url
from server.disputes import disputes
from server.document_view import segments
from server.errors import bad_request, not_found
from server.i18n import language_of, translate
from server.resource_view import Describer, claim_rows, document_id, is_claim, is_conflict
from server.routes.network import network_href
from server.routes.timeline import timeline_href
from server.site import install_error_pages, local_href, mount_static, render
from server.structured_data import dataset_jsonld, entity_jsonld
from server.summary import summarise

router = APIRouter(include_in_schema=False)

ALTERNATES = (TURTLE, JSON_LD, N_TRIPLES, RDF_XML)
"""The descriptions a resource page links to (``<link rel="alternate">`` and in the text)."""


def install(app: FastAPI) -> None:
    """Routes (over ``app.state.reader`` and ``app.state.descriptions``), static files (ours
    and the vendored npm packages) and HTML error pages."""
    app.state.examples = read_examples(app.state.release)
    app.state.summary = summarise(app.state.reader)
    app.include_router(router)
    mount_static(app)
    install_error_pages(app)


def reader(request: Request) -> ReleaseReader:
    return request.app.state.reader


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    r = reader(request)
    context = {
        "summary": request.app.state.summary,
        "documents": r.documents(),
        "conflicts": r.conflicts(language_of(request)),
        "examples": request.app.state.examples,
        "structured_data": dataset_jsonld(
            request.app.state.catalog.quads, settings_of(request).served_base
        ),
    }
    return render(request, "home.html", context)


@router.get("/document/{doc_id}", response_class=HTMLResponse)
def document_page(
    request: Request,
    doc_id: str,
    claim: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    r = reader(request)
    description = request.app.state.descriptions.describe(r.ours.document(doc_id))
    if description is None or document_id(description, r) is None:
        raise not_found(f"document {doc_id}")
    return resource_page(request, description, selected=claim)


def render_resource_html(request: Request, iri: str, description: Description) -> HTMLResponse:
    """The HTML of a resource's description: what the dereferencing routes answer a browser."""
    return resource_page(request, description, selected=request.query_params.get("claim"))


def render_memento_html(request: Request, release: str, description: Description) -> HTMLResponse:
    """The HTML of a resource's description in a past release (a memento, ``routes/memento.py``):
    the same page, read from that release, under a notice that says which and since when."""
    archive = request.app.state.archive
    went_live = archive.went_live(release)
    notice = {
        "release": release,
        "since": f"{went_live:%Y-%m-%d %H:%M}",
        "current": local_href(description.iri, settings_of(request)).rstrip("/") + ".html",
    }
    return resource_page(
        request,
        description,
        selected=request.query_params.get("claim"),
        release=archive.reader(release),
        memento=notice,
    )


def resource_page(
    request: Request,
    description: Description,
    selected: str | None = None,
    release: ReleaseReader | None = None,
    memento: dict[str, str] | None = None,
) -> HTMLResponse:
    """A resource's page, from the live release or from ``release`` (a memento: ``memento``
    says which release and since when)."""
    r, settings, iri = release or reader(request), settings_of(request), description.iri
    describer = Describer(r, settings, description, language_of(request))
    view, as_of = describer.view(), None
    documents = local_href(iri, settings).rstrip("/")
    if memento is not None:  # the documents of the same memento
        documents = f"/releases/{memento['release']}{documents}"
    day = as_of_day(request)
    if day is not None:
        view, as_of = as_of_view(view, AsOf(r, day), describer.value)
    context = {
        "view": view,
        "as_of": as_of,
        "alternates": [(f.label, f"{documents}.{f.extension}", f.media_type) for f in ALTERNATES],
        "document": None,
        "claim": None,
        "conflict": None,
        "disputed": disputes(r, settings, iri, language_of(request)),
        "timeline": timeline_href(request, iri),
        "network": network_href(request, iri),
        "structured_data": None if memento else entity_jsonld(r, iri, page_url(settings, iri)),
        "memento": memento,
    }
    doc_id = document_id(description, r)
    if doc_id is not None:
        context["document"] = document_context(r, describer, iri, doc_id, selected)
    elif is_claim(description, r):
        context["claim"] = claim_context(r, describer, iri)
    elif is_conflict(description, r):
        context["conflict"] = [
            (claim, r.document_info(r.ours.document(claim.ref.document)))
            for claim in r.conflict_claims(iri)
        ]
    return render(request, "resource.html", context)


def page_url(settings: Settings, iri: str) -> str:
    """The absolute URL of the HTML page of ``iri`` on this server."""
    return document_url(settings, settings.iris.path(iri) or "", "html")


def as_of_day(request: Request):
    """The day of ``?asOf=YYYY-MM-DD`` (None when absent or empty: every date); 400 otherwise."""
    text = request.query_params.get("asOf")
    if not text:
        return None
    try:
        return parse_day(text)
    except BadDate as refused:
        raise bad_request(str(refused)) from None


def document_context(
    r: ReleaseReader, describer: Describer, iri: str, doc_id: str, selected: str | None
) -> dict:
    claims = r.claims_of(iri)
    listed = r.listed_sentences(iri)
    text = r.document_text(doc_id)
    return {
        "id": doc_id,
        "info": r.document_info(iri),
        "text_found": text is not None,
        "segments": segments(text, claims, selected, listed) if text is not None else [],
        "listed": listed,
        "claims": [(c, claim_rows(describer, c.triples)) for c in claims],
        "selected": selected,
    }


def claim_context(r: ReleaseReader, describer: Describer, iri: str) -> dict | None:
    claim = r.claim(iri)
    if claim is None:
        return None
    text = r.document_text(claim.ref.document) or ""
    excerpt = []
    if claim.start is not None and claim.end is not None:
        window = (max(0, claim.start - 240), min(len(text), claim.end + 240))
        excerpt = [
            s
            for s in segments(text[window[0] : window[1]], [shifted(claim, window[0])])
            if s.text.strip() or s.claims
        ]
    return {
        "claim": claim,
        "triples": claim_rows(describer, claim.triples),
        "excerpt": excerpt,
        "document": r.document_info(r.ours.document(claim.ref.document)),
        "loses_to": [describer.value(ox.NamedNode(other)) for other in claim.loses_to],
    }


def shifted(claim: Claim, offset: int) -> Claim:
    """The claim with its offsets relative to an excerpt starting at ``offset``."""
    return replace(claim, start=claim.start - offset, end=claim.end - offset)


@router.get("/query", response_class=HTMLResponse)
def query_page(
    request: Request,
    query: Annotated[str | None, Query()] = None,
    title: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    settings = settings_of(request)
    examples = request.app.state.examples
    config = {
        "endpoint": "/sparql",
        "base": settings.base_iri,
        "examples": [{"name": e.title, "query": e.query} for e in examples],
        "initial": {
            "name": title or str(translate("query.yours", language_of(request))),
            "query": query,
        }
        if query
        else None,
        "prefixes": prefixes(settings.base_iri),
        "labels": {
            name: str(translate(f"query.label.{name}", language_of(request)))
            for name in ("addTab", "editor", "endpoint", "tabName", "pageSize", "filter")
        },
    }
    context = {"examples": examples, "config": config, "prefixes": config["prefixes"]}
    return render(request, "query.html", context)


@router.get("/docs", response_class=HTMLResponse)
def openapi_page(request: Request) -> HTMLResponse:
    """Swagger UI from the vendored ``swagger-ui-dist`` (FastAPI's default loads a CDN), in the
    site's page: its header leads back to the site."""
    config = {"url": request.app.openapi_url or "/openapi.json", "validatorUrl": None}
    return render(request, "docs.html", {"config": config})
