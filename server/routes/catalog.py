"""Metadata for harvesters: the DCAT-AP 3 catalogue at ``/catalog``, the releases kept at
``/releases`` and VoID at ``/.well-known/void``, each by content negotiation (Turtle, JSON-LD,
N-Triples, RDF/XML; a page for a browser but for VoID), from the live release's ``catalog.ttl``
and ``void.ttl`` (both written by the build) and, for the series of releases, from every release
kept (``server/series.py``)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Request, Response

from maillage.layout import VOID_TURTLE
from maillage.settings import Settings
from server import errors, openapi, routing
from server.catalog_view import catalog_view
from server.i18n import language_of, vary
from server.negotiation import NotAcceptable, choose
from server.representations import (
    CATALOGUE,
    HTML,
    LICENSE,
    RDF_GRAPHS,
    Representation,
    by_extension,
    cached_response,
    link_header,
    serialise,
)
from server.routes.downloads import archived_path
from server.series import compose, releases_quads
from server.site import cached_page, render

router = APIRouter(tags=["metadata"])


class MetadataDocument:
    """One graph, rendered once per format on first request. Its JSON-LD carries our context
    inline (as every JSON-LD document of ours), so a harvester needs nothing else."""

    def __init__(self, path: str, items: list[ox.Quad], base: str) -> None:
        self.path = path
        self.quads = items
        self.base = base
        self.rendered: dict[Representation, bytes] = {}

    def render(self, representation: Representation) -> bytes:
        if representation not in self.rendered:
            self.rendered[representation] = serialise(self.quads, representation, self.base)
        return self.rendered[representation]


def release_document(release: Path, name: str, path: str, base: str) -> MetadataDocument:
    """The release file ``name`` (Turtle, written by the build), served at ``/{path}``."""
    parsed = ox.parse(path=str(release / name), format=ox.RdfFormat.TURTLE)
    return MetadataDocument(path, sorted(parsed, key=str), base)


def void_document(release: Path, settings: Settings) -> MetadataDocument:
    return release_document(release, VOID_TURTLE, ".well-known/void", settings.base_iri)


def install(app: FastAPI) -> None:
    settings: Settings = app.state.settings
    app.state.series = compose(app.state.archive, settings.base_iri)
    app.state.catalog = MetadataDocument("catalog", app.state.series.quads, settings.base_iri)
    app.state.releases = MetadataDocument(
        "releases", releases_quads(app.state.series), settings.base_iri
    )
    app.state.void = void_document(app.state.release, settings)
    app.include_router(router)


def negotiated(
    request: Request, document: MetadataDocument, offered: tuple[Representation, ...]
) -> Response:
    try:
        media = choose(request.headers.get("accept"), [r.media_type for r in offered])
    except NotAcceptable as refused:
        raise errors.not_acceptable(refused.offered) from None
    representation = next(r for r in offered if r.media_type == media)
    return respond(request, document, representation, {"Vary": "Accept"})


def respond(
    request: Request,
    document: MetadataDocument,
    representation: Representation,
    headers: dict[str, str],
) -> Response:
    settings: Settings = request.app.state.settings
    if document is not request.app.state.releases:
        alternates = [
            (f"{settings.served_base}{document.path}.{r.extension}", r.media_type)
            for r in (CATALOGUE if document is request.app.state.catalog else RDF_GRAPHS)
        ]
        headers = {**headers, "Link": link_header(alternates)}
    if representation is HTML:
        if document is request.app.state.releases:
            return releases_page(request, headers)
        return catalog_page(request, document, headers)
    body = document.render(representation)
    return cached_response(
        request, body, representation.media_type, headers, settings.cache_max_age_s
    )


@routing.get(router, "/catalog", responses=openapi.CATALOGUE_ANSWERS)
def catalog(request: Request) -> Response:
    """The DCAT-AP 3 catalogue: dataset, distributions (files, SPARQL), licence, coverage; a
    page for a browser (``Accept: text/html``)."""
    return negotiated(request, request.app.state.catalog, CATALOGUE)


@routing.get(router, "/catalog.{extension}", responses=openapi.CATALOGUE_BY_EXTENSION)
def catalog_as(request: Request, extension: str) -> Response:
    """The catalogue in one format: ``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``, or ``.html``."""
    return _by_extension(request, request.app.state.catalog, extension, CATALOGUE)


@routing.get(router, "/releases", responses=openapi.CATALOGUE_ANSWERS)
def releases(request: Request) -> Response:
    """Every release kept, newest first, with when it went live, its counts and its files: a
    page for a browser, or the series and its members as DCAT (Turtle, JSON-LD, N-Triples,
    RDF/XML)."""
    return negotiated(request, request.app.state.releases, CATALOGUE)


@routing.get(router, "/.well-known/void", responses=openapi.VOID)
def void(request: Request) -> Response:
    """The release's VoID description (statistics, partitions, linksets, dumps)."""
    return negotiated(request, request.app.state.void, RDF_GRAPHS)


@routing.get(router, "/.well-known/void.{extension}", responses=openapi.VOID_BY_EXTENSION)
def void_as(request: Request, extension: str) -> Response:
    """VoID in one format: ``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``."""
    return _by_extension(request, request.app.state.void, extension, RDF_GRAPHS)


def _by_extension(
    request: Request,
    document: MetadataDocument,
    extension: str,
    offered: tuple[Representation, ...],
) -> Response:
    extensions = by_extension(offered)
    representation = extensions.get(extension)
    if representation is None:
        known = ", ".join(f".{e}" for e in extensions)
        raise errors.not_found(f"/{document.path}.{extension} (formats: {known})")
    return respond(request, document, representation, {})


def catalog_page(request: Request, document: MetadataDocument, headers: dict[str, str]) -> Response:
    """The catalogue for people, from the same quads as its RDF."""
    settings: Settings = request.app.state.settings
    view = catalog_view(document.quads, language_of(request), settings)
    response = render(
        request, "catalog.html", {"catalog": view, "rdf": RDF_GRAPHS, "etalab": LICENSE}
    )
    for name, value in headers.items():
        response.headers[name] = value
    vary(response, "Accept-Language")
    return cached_page(request, response, settings.cache_max_age_s)


def releases_page(request: Request, headers: dict[str, str]) -> Response:
    """The releases kept for people: one row each, newest first."""
    settings: Settings = request.app.state.settings
    series = request.app.state.series
    response = render(
        request,
        "releases.html",
        {"members": series.newest_first(), "rdf": RDF_GRAPHS, "archived": archived_path},
    )
    for name, value in headers.items():
        response.headers[name] = value
    vary(response, "Accept-Language")
    return cached_page(request, response, settings.cache_max_age_s)
