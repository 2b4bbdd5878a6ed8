"""Retired IRIs (``maillage/retired.py``): ``301 Moved Permanently`` to the successor of a
replaced IRI, ``410 Gone`` for a withdrawn one, each with a body in the format asked for.

The answer keeps the form of the request: the IRI itself (``/id/org/old``) moves to the
successor's IRI (``/id/org/new``), which answers 303 as any thing does; a description document
(``/id/org/old.ttl``, ``.html``…) moves to the successor's document in the same format. The body
is the retired IRI's description (what the release says of it: ``owl:deprecated``,
``dcterms:isReplacedBy``, the day and the reason) in RDF, or a short page for people.

The pages derived from an IRI (its timeline, its neighbourhood, its reconciliation preview) answer
alike through :func:`derived_page`: 301 to the same page of the successor, 410 with the page
above.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request, Response
from starlette.responses import HTMLResponse, JSONResponse

from maillage.release_reader import ReleaseReader, named
from maillage.retired import Retired
from maillage.settings import Settings
from server.dereferencing import alternates, document_path, document_url, memento_links
from server.i18n import date_text, language_of, vary
from server.negotiation import NotAcceptable
from server.representations import HTML, Representation, link_header, negotiate_description
from server.site import local_href, render


def answer(request: Request, retired: Retired, representation: Representation | None) -> Response:
    """The answer for ``retired`` asked as its IRI (``representation`` None: the body's format
    by ``Accept``) or as its ``.{extension}`` document."""
    settings: Settings = request.app.state.settings
    path = settings.iris.path(retired.iri) or ""
    body_format = representation or _negotiated(request)
    status = 410 if retired.withdrawn else 301
    asked = path if representation is None else document_path(path, representation.extension)
    headers = {
        "Link": link_header(
            alternates(settings, path),
            f'<{retired.iri}>; rel="describes"',
            *memento_links(settings, asked),  # still a TimeGate: its past states are kept
        ),
        "Cache-Control": f"public, max-age={settings.cache_max_age_s}",
    }
    if not retired.withdrawn:
        headers["Location"] = location(settings, retired.successor, representation, request)
    if body_format is HTML:
        response: Response = page(request, retired, status)
        response.headers.update(headers)
    elif body_format is None:
        response = Response(status_code=status, headers=headers)
    else:
        body = request.app.state.descriptions.render(retired.iri, body_format)
        response = Response(body, status_code=status, media_type=body_format.media_type)
        response.headers.update(headers)
    if representation is None:
        vary(response, "Accept")  # the body's format; the Location is the same for any
    vary(response, "Accept-Datetime")
    return response


def derived_page(
    request: Request,
    iri: str,
    successors_page: Callable[[str], str | None],
    *,
    suffix: str = "",
    as_json: bool = False,
    query: str | None = None,
) -> Response | None:
    """The answer of a page derived from ``iri`` (``/timeline/org/…``, ``/network/…``, a
    reconciliation preview) when ``iri`` is retired; None when it is not (the route answers as
    usual). Replaced: 301 to ``successors_page(successor)`` (a path on this server; None when
    the successor has no such page: then to the successor's IRI) and ``suffix`` (the form asked,
    ``.json``), with the request's query or ``query``. Withdrawn: 410 with the retired page, or
    as JSON (``as_json``) a ``detail`` sentence with the day and the reason."""
    retired: Retired | None = request.app.state.descriptions.retired.get(iri)
    if retired is None:
        return None
    settings: Settings = request.app.state.settings
    status = 410 if retired.withdrawn else 301
    if as_json:
        response: Response = JSONResponse(_gone_json(retired), status_code=status)
    else:
        response = page(request, retired, status)
    if not retired.withdrawn:
        page_path = successors_page(retired.successor)
        response.headers["Location"] = _moved_to(
            request, retired.successor, page_path and page_path + suffix, query
        )
    response.headers["Cache-Control"] = f"public, max-age={settings.cache_max_age_s}"
    vary(response, "Accept")
    return response


def _moved_to(request: Request, successor: str, path: str | None, query: str | None) -> str:
    settings: Settings = request.app.state.settings
    if path is None:
        return location(settings, successor, None, request)
    query = request.url.query if query is None else query
    joined = path + (("&" if "?" in path else "?") + query if query else "")
    return settings.served_base + joined.removeprefix("/")


def _gone_json(retired: Retired) -> dict:
    """What a JSON client reads of a retired IRI (the body of its 410, and of its 301)."""
    day = retired.date.isoformat() if retired.date else None
    if retired.withdrawn:
        detail = f"{retired.iri} was withdrawn" + (f" on {day}" if day else "")
    else:
        detail = f"{retired.iri} is replaced by {retired.successor}"
    return {
        "detail": detail + (f": {retired.reason}" if retired.reason else "."),
        "iri": retired.iri,
        "replaced_by": retired.successor,
        "date": day,
        "reason": retired.reason,
    }


def location(
    settings: Settings, successor: str, representation: Representation | None, request: Request
) -> str:
    """Where the successor is served, in the form asked (its IRI, or its document in the same
    format), with the request's query (``?lang=en`` for a page)."""
    path = settings.iris.path(successor)
    if path is None:  # not ours (the build only allows ours): the successor as it is
        url = successor
    elif representation is None:
        url = settings.served_base + path
    else:
        url = document_url(settings, path, representation.extension)
    return url + ("?" + request.url.query if request.url.query else "")


def _negotiated(request: Request) -> Representation | None:
    """The format ``Accept`` asks for; None when it accepts none of ours (a body-less answer:
    the status and ``Location`` are what counts)."""
    try:
        return negotiate_description(request.headers.get("accept"))
    except NotAcceptable:
        return None


def page(request: Request, retired: Retired, status: int) -> HTMLResponse:
    """A short page: what the IRI was, since when it is retired and why, and its successor."""
    reader: ReleaseReader = request.app.state.reader
    settings: Settings = request.app.state.settings
    lang = language_of(request)
    successor = None
    if retired.successor is not None:
        label = reader.label(named(retired.successor), lang)
        successor = {
            "iri": retired.successor,
            "href": local_href(retired.successor, settings),
            "name": label.value if label is not None else retired.successor,
        }
    day = retired.date.isoformat() if retired.date else None
    context = {
        "retired": retired,
        "status": status,
        "successor": successor,
        "date": date_text({"value": day, "precision": "day", "earliest": day}, lang)
        if day
        else None,
    }
    return render(request, "retired.html", context, status_code=status)
