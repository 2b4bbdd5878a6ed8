"""What changed in each release: ``/releases/{id}`` (a page for people, or the release's
description and its changes as RDF, by content negotiation) and ``/releases.atom`` (an Atom feed
of the releases kept, newest first). Both read the releases' ``changes.ttl``
(``server/changes_view.py``)."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request, Response

from maillage.namespaces import curie
from maillage.settings import Settings
from server import errors, openapi, routing
from server.atom import ATOM, releases_feed
from server.changes_view import (
    CONFLICT_KINDS,
    ENTITY_KINDS,
    description_quads,
    kept_release,
    release_view,
    shown,
)
from server.i18n import language_of, vary
from server.representations import (
    CATALOGUE,
    HTML,
    by_extension,
    cached_response,
    link_header,
    serialise,
)
from server.routes.downloads import archived_path
from server.site import cached_page, chosen_format, render

router = APIRouter(tags=["metadata"])


def install(app: FastAPI) -> None:
    app.state.release_changes = {}
    app.include_router(router)


@routing.get(router, "/releases.atom", responses=openapi.FEED)
def feed(request: Request) -> Response:
    """An Atom feed (RFC 4287) of the releases kept, newest first: each entry links to the
    release's page and sums up what changed in it (in French, or English with ``?lang=en``)."""
    settings: Settings = request.app.state.settings
    body = releases_feed(request, language_of(request))
    response = cached_response(request, body, ATOM, {}, settings.cache_max_age_s)
    vary(response, "Accept-Language")
    return response


@routing.get(router, "/releases/{release}", responses=openapi.RELEASE)
def release_page(request: Request, release: str) -> Response:
    """One release kept: when it went live, its neighbours, its counts and what changed since
    its predecessor (entities, claims with their quotes, conflicts). A page for a browser, or
    its description (from the catalogue) and its ``changes.ttl`` as Turtle, JSON-LD,
    N-Triples or RDF/XML; ``/releases/{id}.ttl`` and the like for one format. 404 naming the
    releases kept for an unknown id."""
    name, dot, extension = release.partition(".")
    if dot:
        representation = by_extension(CATALOGUE).get(extension)
        if representation is None:
            known = ", ".join(f".{e}" for e in by_extension(CATALOGUE))
            raise errors.not_found(f"/releases/{release} (formats: {known})")
        return respond(request, name, representation, {})
    return respond(request, name, chosen_format(request, CATALOGUE), {"Vary": "Accept"})


def respond(request: Request, release: str, representation, headers: dict) -> Response:
    settings: Settings = request.app.state.settings
    published = kept_release(request, release)
    path = f"{settings.served_base}releases/{release}"
    alternates = [(f"{path}.{r.extension}", r.media_type) for r in CATALOGUE]
    headers = {**headers, "Link": link_header(alternates)}
    if representation is HTML:
        return page(request, published, headers)
    body = serialise(description_quads(request, published), representation, settings.base_iri)
    return cached_response(
        request, body, representation.media_type, headers, settings.cache_max_age_s
    )


def page(request: Request, published, headers: dict) -> Response:
    settings: Settings = request.app.state.settings
    view = release_view(request, published)
    changes = view.changes
    context = {
        "view": view,
        "members": {m.release: m for m in request.app.state.series.members},
        "downloads": archived_path(published.release),
        "entity_kinds": ENTITY_KINDS,
        "conflict_kinds": CONFLICT_KINDS,
        "entities": {k: shown(changes.entities_of(k)) for k in ENTITY_KINDS} if changes else {},
        "claims": {k: shown(changes.claims_of(k)) for k in ENTITY_KINDS} if changes else {},
        "conflicts": shown(changes.conflicts) if changes else ([], 0),
        "rdf": [r for r in CATALOGUE if r is not HTML],
        "short": lambda iri: iri.removeprefix(f"{settings.base_iri}id/").removeprefix("claim/"),
        "curie": curie,
        "rank": lambda iri: iri.rsplit("/", 1)[-1].removesuffix("Rank").lower(),
    }
    response = render(request, "release.html", context)
    for name, value in headers.items():
        response.headers[name] = value
    vary(response, "Accept-Language")
    return cached_page(request, response, settings.cache_max_age_s)
