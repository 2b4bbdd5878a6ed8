"""Memento (RFC 7089) over the releases kept: TimeGates, Mementos and TimeMaps.

- Every IRI of ours and every description document (``/id/org/nxu``, ``/id/org/nxu.ttl``,
  ``/def.ttl``) is its own TimeGate (pattern 1.1, ``server/memento.py``): with
  ``Accept-Datetime`` the dereferencing routes hand the request to :func:`timegate`, which
  answers ``302 Found`` to the memento of the release live at that datetime.
- ``/releases/{release}/{path}`` is the memento: what ``/{path}`` answered while that release
  was live (a 303 to its documents for an IRI, the document for a document), with
  ``Memento-Datetime`` (when the release went live) and the ``Link`` relations.
- ``/timemap/{path}`` lists the mementos of ``/{path}`` (``application/link-format``).
"""

from __future__ import annotations

import re

from fastapi import APIRouter, FastAPI, HTTPException, Request, Response
from starlette.convertors import Convertor, register_url_convertor

from maillage.releases import Archive
from maillage.retired import Retired
from maillage.settings import Settings
from server import errors, openapi, retired_view, routing
from server.dereferencing import NAMESPACES, Located, document_path
from server.i18n import vary
from server.memento import (
    ACCEPT_DATETIME,
    LINK_FORMAT,
    BadDatetime,
    Original,
    http_date,
    link,
    link_header,
    memento_url,
    parse_accept_datetime,
)
from server.negotiation import NotAcceptable
from server.release_descriptions import ReleaseDescriptions
from server.representations import (
    DESCRIPTIONS,
    HTML,
    LICENSE,
    cached_response,
    negotiate_description,
)
from server.site import cached_page


class OurPath(Convertor[str]):
    """A path of our namespace after the base: ``id/org/nxu``, ``id/org/nxu.ttl``, ``def.ttl``
    (so that ``/releases/{release}/downloads/…`` and the like are left to their routes)."""

    regex = "(?:" + "|".join(re.escape(n) for n in NAMESPACES) + r")[/.].*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("ours", OurPath())

router = APIRouter(tags=["linked data"])


def install(app: FastAPI) -> None:
    """The memento and TimeMap routes, over ``app.state.archive``; the TimeGates are the
    dereferencing routes (``routes/resources.py`` calls :func:`timegate`)."""
    app.state.release_descriptions = ReleaseDescriptions(
        app.state.archive, app.state.descriptions, app.state.settings
    )
    app.include_router(router)


def archive_of(request: Request) -> Archive:
    return request.app.state.archive


def described(request: Request) -> ReleaseDescriptions:
    return request.app.state.release_descriptions


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def timegate(request: Request) -> Response | None:
    """The answer to ``Accept-Datetime`` on ``/{path}``: 302 to the memento of the release live
    then (its first memento before it), 404 when that release did not describe it, 400 for a
    datetime that is not an HTTP-date; None (answer as without the header) when no release kept
    describes it."""
    header = request.headers.get(ACCEPT_DATETIME)
    if header is None:
        return None
    try:
        when = parse_accept_datetime(header)
    except BadDatetime as bad:
        raise errors.bad_request(str(bad)) from None
    resource = described(request).original(request.scope["path"][1:])
    if not resource.mementos:
        return None
    live = archive_of(request).live_at(when)
    memento = resource.at(when, live.release if live else None)
    headers = {
        "Vary": "Accept-Datetime",
        "Link": link_header([*resource.links(), *resource.memento_links(memento)]),
        "Cache-Control": f"public, max-age={settings_of(request).cache_max_age_s}",
    }
    if memento is None:
        raise HTTPException(
            status_code=404,
            detail=f"not found: {resource.url} was not described by release {live.release}, "
            f"live at {http_date(when)}; its TimeMap lists the releases that describe it: "
            f"{resource.timemap}",
            headers=headers,
        )
    location = memento.url + (f"?{request.url.query}" if request.url.query else "")
    return Response(status_code=302, headers={**headers, "Location": location})


def memento(request: Request, release: str, path: str) -> Response:
    """What ``/{path}`` answered while ``release`` was live, with ``Memento-Datetime``."""
    archive = archive_of(request)
    if archive.get(release) is None:
        raise errors.unknown_release(release, archive)
    went_live = archive.went_live(release)
    if went_live is None:
        raise errors.not_found(f"release {release} was never live: it has no mementos")
    found = described(request).locate(release, path)
    if found is None:
        timemap = described(request).original(path).timemap
        raise errors.not_found(f"/{path} in release {release} (its TimeMap: {timemap})")
    resource = described(request).original(path)
    current = next(m for m in resource.mementos if m.release == release)
    links = [*resource.links(), *resource.memento_links(current)]
    headers = {"Memento-Datetime": http_date(went_live)}
    retired = described(request).of(release).retired.get(settings_of(request).iris.at(found.path))
    if retired is not None:
        return _retired(request, release, found, retired, links, headers)
    if found.representation is None:
        return _see_other(request, release, found, links, headers)
    return _document(request, release, found, links, headers)


def _see_other(
    request: Request, release: str, found: Located, links: list[str], headers: dict[str, str]
) -> Response:
    """The memento of an IRI: 303 to its description in that release, chosen by Accept."""
    try:
        representation = negotiate_description(request.headers.get("accept"))
    except NotAcceptable as refused:
        raise errors.not_acceptable(refused.offered) from None
    served = settings_of(request).served_base
    location = memento_url(served, release, document_path(found.path, representation.extension))
    alternates = _alternates(served, release, found.path)
    return Response(
        status_code=303,
        headers={
            **headers,
            "Location": location,
            "Vary": "Accept",
            "Link": link_header([*links, *alternates]),
            "Cache-Control": f"public, max-age={settings_of(request).cache_max_age_s}",
        },
    )


def _document(
    request: Request, release: str, found: Located, links: list[str], headers: dict[str, str]
) -> Response:
    """The memento of a description document: the description from that release."""
    settings = settings_of(request)
    iri = settings.iris.at(found.path)
    cache = described(request).of(release)
    alternates = _alternates(settings.served_base, release, found.path)
    headers["Link"] = link_header([*links, *alternates, link(iri, "describes")])
    representation = found.representation
    if representation is HTML:
        page = request.app.state.memento_page(request, release, cache.describe(iri))
        page.headers.update(headers)
        return cached_page(request, page, settings.cache_max_age_s)
    body = cache.render(iri, representation)
    return cached_response(
        request, body, representation.media_type, headers, settings.cache_max_age_s
    )


def _retired(
    request: Request,
    release: str,
    found: Located,
    retired: Retired,
    links: list[str],
    headers: dict[str, str],
) -> Response:
    """A retired IRI in that release, answered as the dereferencing answers one
    (``retired_view.py``), in that release: 301 to its successor's memento in the same form
    (``…/old.ttl`` → ``…/new.ttl``), 410 for a withdrawn one; the body in the format asked."""
    settings = settings_of(request)
    served, representation = settings.served_base, found.representation
    alternates = _alternates(served, release, found.path)
    headers["Link"] = link_header([*links, *alternates, link(retired.iri, "describes")])
    successor = None if retired.withdrawn else settings.iris.path(retired.successor)
    if successor is not None:
        asked = (
            successor
            if representation is None
            else document_path(successor, representation.extension)
        )
        headers["Location"] = memento_url(served, release, asked)
    status = 410 if retired.withdrawn else 301
    try:
        body_format = representation or negotiate_description(request.headers.get("accept"))
    except NotAcceptable:
        body_format = None
    if body_format is HTML:
        response: Response = retired_view.page(request, retired, status)
        response.headers.update(headers)
    elif body_format is None:
        response = Response(status_code=status, headers=headers)
    else:
        body = described(request).of(release).render(retired.iri, body_format)
        response = Response(
            body, status_code=status, media_type=body_format.media_type, headers=headers
        )
    if representation is None:
        vary(response, "Accept")
    return response


def _alternates(served: str, release: str, path: str) -> list[str]:
    """The other documents of the same memento, and the licence."""
    documents = [
        link(memento_url(served, release, document_path(path, r.extension)), "alternate",
             type=r.media_type)
        for r in DESCRIPTIONS
    ]  # fmt: skip
    return [*documents, link(LICENSE, "license")]


def timemap(request: Request, path: str) -> Response:
    """The TimeMap of ``/{path}``: every memento of it, with its datetime."""
    resource: Original = described(request).original(path)
    if not resource.mementos:
        raise errors.not_found(f"{resource.url} in any release kept")
    body = resource.timemap_document().encode()
    max_age = settings_of(request).cache_max_age_s
    return cached_response(request, body, LINK_FORMAT, {}, max_age)


routing.get_and_head(router, "/releases/{release}/{path:ours}", memento, responses=openapi.MEMENTO)
routing.get_and_head(router, "/timemap/{path:ours}", timemap, responses=openapi.TIMEMAP)
