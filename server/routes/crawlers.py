"""For crawlers: ``/robots.txt`` (pages allowed; the services whose every URL runs a query,
``/sparql``, ``/search`` and ``/reconcile``, not; the sitemap named) and ``/sitemap.xml`` (the
sitemap protocol, sitemaps.org 0.9): the main pages and the page of every IRI of ours the
release describes, absolute on this server, each with the release's date as ``<lastmod>``. Past
50,000 URLs, ``/sitemap.xml`` is a sitemap index of ``/sitemap/{n}.xml`` files of at most 50,000
URLs each."""

from __future__ import annotations

from xml.sax.saxutils import escape

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Request, Response

from maillage.layout import DATASET
from maillage.namespaces import DCTERMS
from maillage.rdfio import rebased
from maillage.release_reader import named
from maillage.settings import Settings
from server import errors, openapi, routing
from server.dereferencing import document_url
from server.routes.resources import NAMESPACES
from server.summary import COUNTED_CLASSES

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000
"""The protocol's limit per sitemap file."""
MAIN_PAGES = (
    "",
    "timeline",
    "network",
    "query",
    "downloads/",
    "releases",
    "docs",
    *(f"browse/{slug}" for slug, _, _ in COUNTED_CLASSES),
)
"""Pages of the site besides the resource pages (paths on this server): the A–Z lists too."""
DISALLOWED = ("/sparql", "/search", "/reconcile")
"""Not for crawlers: every URL there runs a query, and their query strings are endless (each
page they would find is listed in the sitemap and linked from the A–Z lists)."""
XML = "application/xml"
SKOLEM = ".well-known/genid/"
PAGED = tuple(f"{namespace}/" for namespace in NAMESPACES)
"""Where our IRIs dereference to a page (not ``downloads/``, ``sparql``: files and services)."""
"""Blank nodes of the shapes, named for RDF: not pages anyone looks for."""

router = APIRouter(tags=["crawlers"])


def install(app: FastAPI) -> None:
    app.state.page_paths = None  # listed on the first request: a scan of the whole release
    app.state.release_date = release_date(app.state.reader)
    app.include_router(router)


def release_date(reader) -> str | None:
    """The day the release was made (the dataset's ``dcterms:modified``, else its
    ``dcterms:issued``): when each of its pages last changed."""
    dataset = ox.NamedNode(rebased(str(DATASET), reader.ours.iri))
    for predicate in (DCTERMS.modified, DCTERMS.issued):
        found = reader.first(dataset, named(predicate))
        if found is not None:
            return found.value
    return None


def listed_pages(request: Request) -> list[str]:
    state = request.app.state
    if state.page_paths is None:
        kept = [iri for iri in state.reader.iris() if iri not in state.descriptions.retired]
        state.page_paths = page_paths(kept, state.settings)  # retired ones answer 301 or 410
    return state.page_paths


def page_paths(iris: list[str], settings: Settings) -> list[str]:
    """Paths on this server (no leading slash) of the main pages, then of each IRI's HTML page
    (IRIs with a fragment live on their resource's page; the shapes' skolem nodes are left out)."""
    resources = {
        document_url(settings, path, "html").removeprefix(settings.served_base)
        for path in (settings.iris.path(iri) for iri in iris if "#" not in iri)
        if path and path.startswith(PAGED) and not path.startswith(SKOLEM)
    }
    return list(MAIN_PAGES) + sorted(resources)


def chunks(paths: list[str], size: int = MAX_URLS) -> list[list[str]]:
    return [paths[i : i + size] for i in range(0, len(paths), size)] or [[]]


def lastmod(day: str | None) -> str:
    return f"<lastmod>{escape(day)}</lastmod>" if day else ""


def urlset(paths: list[str], base: str, day: str | None = None) -> str:
    modified = lastmod(day)
    urls = "".join(f"<url><loc>{escape(base + p)}</loc>{modified}</url>\n" for p in paths)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n{urls}</urlset>\n'
    )


def sitemap_index(count: int, base: str, day: str | None = None) -> str:
    modified = lastmod(day)
    maps = "".join(
        f"<sitemap><loc>{escape(f'{base}sitemap/{n}.xml')}</loc>{modified}</sitemap>\n"
        for n in range(1, count + 1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="{SITEMAP_NS}">\n{maps}</sitemapindex>\n'
    )


def served_base(request: Request) -> str:
    return request.app.state.settings.served_base


def day(request: Request) -> str | None:
    return request.app.state.release_date


def xml_response(body: str) -> Response:
    return Response(body, media_type=XML)


@routing.get(router, "/sitemap.xml", responses=openapi.SITEMAP)
def sitemap(request: Request) -> Response:
    """The sitemap of every page (or, past 50,000 URLs, the index of ``/sitemap/{n}.xml``)."""
    parts = chunks(listed_pages(request))
    if len(parts) == 1:
        return xml_response(urlset(parts[0], served_base(request), day(request)))
    return xml_response(sitemap_index(len(parts), served_base(request), day(request)))


@routing.get(router, "/sitemap/{number}.xml", responses=openapi.SITEMAP_PART)
def sitemap_part(request: Request, number: int) -> Response:
    """The ``number``-th sitemap of the index (1-based), when there are more than 50,000 URLs."""
    parts = chunks(listed_pages(request))
    if len(parts) == 1 or not 1 <= number <= len(parts):
        raise errors.not_found(f"/sitemap/{number}.xml (see /sitemap.xml)")
    return xml_response(urlset(parts[number - 1], served_base(request), day(request)))


@routing.get(router, "/robots.txt", responses=openapi.ROBOTS)
def robots(request: Request) -> Response:
    """Crawlers may read every page but not run queries (SPARQL, search, reconciliation); the
    sitemap is named."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), "Allow: /"]
    lines.append(f"Sitemap: {served_base(request)}sitemap.xml")
    return Response("\n".join(lines) + "\n", media_type="text/plain")
