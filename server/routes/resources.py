"""Dereferencing: every IRI of our namespace resolves on this server (``docs/http-api.md``).

``{base}id/org/digital-113`` is served at ``{served}id/org/digital-113``: a non-information
resource, answered with ``303 See Other`` to its description document, chosen by ``Accept``:
``…/digital-113.html`` for a browser, ``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``, ``.trig``,
``.nq`` for RDF clients. The documents are served at those URLs by extension. ``/def/`` (the
ontology) and ``/shapes/`` have their documents at ``/def.ttl`` and ``/shapes.ttl`` (and so on).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request, Response

from maillage.descriptions import Description
from maillage.layout import CONTEXT
from maillage.settings import Settings
from server import errors, openapi, retired_view, routing
from server.dereferencing import (
    EXTENSIONS,
    NAMESPACES,
    alternates,
    document_headers,
    locate,
    redirect_headers,
    requested,
)
from server.description_cache import DescriptionCache
from server.i18n import vary
from server.negotiation import NotAcceptable
from server.prepared import PreparedDocuments
from server.representations import (
    HTML,
    JSON_LD,
    N_QUADS,
    N_TRIPLES,
    RDF_XML,
    TRIG,
    TURTLE,
    Representation,
    cached_response,
    link_header,
    negotiate_description,
)
from server.routes.memento import timegate
from server.site import cached_page

WHOLE = ("def", "shapes")
"""Served as whole documents at ``/def.{ext}`` and ``/shapes.{ext}``."""

router = APIRouter(tags=["linked data"])


HtmlPage = Callable[[Request, str, Description], Response]
"""Renders the HTML description of an IRI (the pages' resource page, ``routes/pages.py``)."""


def install(app: FastAPI, html_page: HtmlPage) -> None:
    """The dereferencing routes (over ``app.state.descriptions``), with the prepared responses
    in front and ``html_page`` for the ``.html`` documents."""
    app.state.html_page = html_page
    app.include_router(router)
    app.add_middleware(
        PreparedDocuments, descriptions=app.state.descriptions, settings=app.state.settings
    )


def cache(request: Request) -> DescriptionCache:
    return request.app.state.descriptions


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def resolve(request: Request, path: str) -> Response:
    """``path`` (after the base) is a thing (303), a document of one (200), a retired IRI or
    its document (301 to the successor, 410 when withdrawn), or nothing (404); with
    ``Accept-Datetime``, a TimeGate (``routes/memento.py``)."""
    dated = timegate(request)
    if dated is not None:
        return dated
    described = cache(request)
    iris = settings_of(request).iris
    found = locate(described, iris, path)
    if found is None:
        stem, representation = requested(path)
        return not_found(request, iris.at(stem), representation)
    retired = described.retired.get(iris.at(found.path))
    if retired is not None:
        return retired_view.answer(request, retired, found.representation)
    if found.representation is None:
        return see_other(request, path)
    return document(request, found.path, found.representation)


def see_other(request: Request, path: str) -> Response:
    try:
        extension = negotiate_description(request.headers.get("accept")).extension
    except NotAcceptable as refused:
        raise _not_acceptable(request, path, refused.offered) from None
    headers = redirect_headers(settings_of(request), path, extension)
    if extension == HTML.extension and request.url.query:
        headers["Location"] += "?" + request.url.query  # the page's own options (?asOf=…)
    return Response(status_code=303, headers=headers)


def document(request: Request, path: str, representation: Representation) -> Response:
    """The description of ``{base}{path}`` in one format."""
    settings = settings_of(request)
    iri = settings.iris.at(path)
    headers = document_headers(settings, path, iri, representation.extension)
    if representation is HTML:
        return _html(request, iri, headers)
    body = cache(request).render(iri, representation)
    return cached_response(
        request, body, representation.media_type, headers, settings.cache_max_age_s
    )


def _html(request: Request, iri: str, headers: dict[str, str]) -> Response:
    response = request.app.state.html_page(request, iri, cache(request).describe(iri))
    vary(response, headers.pop("Vary"))
    response.headers.update(headers)
    return cached_page(request, response, settings_of(request).cache_max_age_s)


def not_found(request: Request, iri: str, representation: Representation | None) -> Response:
    """404 in the format asked for (by extension, else by Accept; HTML goes to the pages)."""
    if representation is None:
        try:
            representation = negotiate_description(request.headers.get("accept"))
        except NotAcceptable:
            representation = None
    if representation is None or representation is HTML:
        raise errors.not_found(iri)
    body = _empty_document(representation, iri)
    return Response(
        body, status_code=404, media_type=representation.media_type, headers={"Vary": "Accept"}
    )


def _empty_document(representation: Representation, iri: str) -> str:
    """An RDF document with no statement that says what was not found, where the syntax can."""
    safe = quote(iri, safe=":/?#[]@!$&'()*+,;=%~")
    if representation in (TURTLE, N_TRIPLES, TRIG, N_QUADS):
        return f"# not found: <{safe}>\n"
    if representation is JSON_LD:
        # @index is carried by JSON-LD and never into RDF: readers in safe mode accept it
        return json.dumps({"@graph": [], "@index": f"not found: {safe}"}) + "\n"
    if representation is RDF_XML:
        return '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n'
    raise ValueError(f"no empty document for {representation.media_type}")


def _not_acceptable(request: Request, path: str, offered: list[str]) -> Exception:
    error = errors.not_acceptable(offered)
    error.headers = {"Link": link_header(alternates(settings_of(request), path))}
    return error


def _namespace_route(namespace: str):
    def dereference(request: Request, path: str) -> Response:
        return resolve(request, f"{namespace}/{path}")

    dereference.__name__ = f"dereference_{namespace.replace('.well-known/', '')}"
    dereference.__doc__ = f"An IRI under ``{namespace}/``: 303 to its description, or a document."
    return dereference


def _whole_route(namespace: str):
    def whole_document(request: Request, extension: str) -> Response:
        representation = EXTENSIONS.get(extension)
        if representation is None:
            return not_found(request, settings_of(request).iris.at(namespace), None)
        return resolve(request, f"{namespace}/.{extension}")

    whole_document.__name__ = f"{namespace}_document"
    whole_document.__doc__ = f"The whole ``{namespace}/`` namespace as one document."
    return whole_document


for _namespace in NAMESPACES:
    routing.get_and_head(
        router,
        f"/{_namespace}/{{path:path}}",
        _namespace_route(_namespace),
        responses=openapi.DEREFERENCING,
    )
for _namespace in WHOLE:
    routing.get_and_head(
        router,
        f"/{_namespace}.{{extension}}",
        _whole_route(_namespace),
        responses=openapi.DEREFERENCING,
    )


@routing.get(router, "/context.jsonld", responses=openapi.CONTEXT)
def context(request: Request) -> Response:
    """Our JSON-LD context (the prefixes), the one every JSON-LD document of ours refers to."""
    body = (request.app.state.release / CONTEXT).read_bytes()
    max_age = settings_of(request).cache_max_age_s
    return cached_response(request, body, JSON_LD.media_type, {}, max_age)
