"""The timelines: ``/timeline`` for the whole network and ``/timeline/org/{slug}`` for one
organisation. Each is a page (the vendored vis-timeline draws it; the same items are a plain
list, readable without JavaScript) and JSON, by ``Accept`` or with ``.json`` after the path.
The items come from ``maillage/timeline.py``, over the release's one reader."""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Request, Response
from starlette.responses import JSONResponse

from maillage.formats import HTML, JSON
from maillage.timeline import KINDS, Item, Moment, Source, Timeline
from server import errors, openapi, retired_view, routing
from server.i18n import vary
from server.site import chosen_format, local_href, render

router = APIRouter(tags=["timeline"])

OFFERED = (HTML, JSON)
"""What a timeline is offered as, the page first (a browser, and ``*/*``)."""
ORGANISATIONS = "id/org/"
"""``/timeline/org/{slug}`` is the timeline of ``{base}id/org/{slug}``."""


def install(app: FastAPI) -> None:
    """The routes, over the items of ``app.state.reader`` (read on first use, then kept)."""
    app.state.timeline = Timeline(app.state.reader)
    app.include_router(router)


def timeline_of(request: Request) -> Timeline:
    return request.app.state.timeline


@routing.get(router, "/timeline", response_model=None, responses=openapi.VIEW)
def network_timeline(request: Request) -> Response:
    """Every dated fact of the release and each document's date (HTML, or JSON by ``Accept``)."""
    return answer(request, "/timeline", None, chosen(request, None))


@routing.get(router, "/timeline.json", response_model=None, responses=openapi.VIEW)
def network_timeline_json(request: Request) -> Response:
    """``/timeline`` as JSON."""
    return answer(request, "/timeline", None, JSON)


@routing.get(router, "/timeline/org/{slug}", response_model=None, responses=openapi.TIMELINE_OF)
def organisation_timeline(request: Request, slug: str) -> Response:
    """An organisation's timeline (HTML, or JSON by ``Accept`` or with ``.json``)."""
    stem, dot, extension = slug.rpartition(".")
    extension_format = JSON if dot and extension == JSON.extension else None
    slug = stem if extension_format else slug
    iri = request.app.state.settings.iris.at(ORGANISATIONS + slug)
    representation = chosen(request, extension_format)
    moved = retired_view.derived_page(
        request,
        iri,
        lambda successor: timeline_href(request, successor),
        suffix=f".{JSON.extension}" if extension_format else "",
        as_json=representation is JSON,
    )
    if moved is not None:  # a retired IRI: 301 to its successor's timeline, or 410
        return moved
    if not timeline_of(request).is_organisation(iri):
        raise errors.not_found(f"organisation {slug}")
    return answer(request, f"/timeline/org/{slug}", iri, representation)


def timeline_href(request: Request, iri: str) -> str | None:
    """Where an organisation's timeline is (its page links to it); None for anything else."""
    slug = request.app.state.reader.ours.path(iri) or ""
    if not slug.startswith(ORGANISATIONS) or not timeline_of(request).is_organisation(iri):
        return None
    return "/timeline/org/" + slug.removeprefix(ORGANISATIONS)


def chosen(request: Request, by_extension):
    return chosen_format(request, OFFERED, by_extension)


def answer(request: Request, path: str, organisation: str | None, representation) -> Response:
    timeline = timeline_of(request)
    items = timeline.items() if organisation is None else timeline.of_organisation(organisation)
    context = page_context(request, path, organisation, items)
    if representation is JSON:
        response: Response = JSONResponse(as_json(context))
    else:
        response = render(request, "timeline.html", context)
    vary(response, "Accept")
    response.headers["Link"] = (
        f'<{path}.{JSON.extension}>; rel="alternate"; type="{JSON.media_type}"'
    )
    return response


def page_context(request: Request, path: str, organisation: str | None, items: list[Item]):
    reader, settings = request.app.state.reader, request.app.state.settings
    about = None
    if organisation is not None:
        label = reader.label(ox.NamedNode(organisation), "fr")
        about = {
            "iri": organisation,
            "label": label.value if label is not None else organisation,
            "href": local_href(organisation, settings),
        }
    return {
        "path": path,
        "json_href": f"{path}.{JSON.extension}",
        "organisation": about,
        "items": [shown(item, request) for item in items],
        "kinds": " ".join(key for key, _title, _classes in KINDS),
        "undated": timeline_of(request).undated_documents(),
        "undated_events": [
            {
                "resource": iri,
                "label": label.value if label else iri,
                "href": local_href(iri, settings),
            }
            for iri, label in timeline_of(request).undated_events(
                None if organisation is None else timeline_of(request).related(organisation)
            )
        ],
    }


def shown(item: Item, request: Request) -> dict:
    """An item as the page and the JSON show it: with the links followed from this server."""
    settings = request.app.state.settings
    document = request.app.state.reader.ours.document_id(item.resource)
    return {
        "id": item.key,
        "kind": item.kind,
        "group": item.title,
        "what": item.what,
        "property": item.property,
        "resource": item.resource,
        "href": f"/document/{document}"
        if item.kind == "document"
        else local_href(item.resource, settings),
        "label": item.label.value if item.label is not None else item.resource,
        "lang": item.label.language if item.label is not None else None,
        "detail": item.detail,
        "unit": item.unit,
        "date": moment(item.start),
        "end": moment(item.end) if item.end is not None else None,
        "instant": item.instant,
        "year": item.start.earliest.year,
        "claims": [claim(source, settings) for source in item.sources],
    }


def moment(value: Moment) -> dict:
    return {**value.as_json(), "text": value.text}


def claim(source: Source, settings) -> dict:
    """A claim that states an item: its IRI and page, its quote, and the quote in its document."""
    ref = source.ref
    return {
        "claim": ref.iri,
        "page": local_href(ref.iri, settings),
        "document": ref.document,
        "id": ref.local_id,
        "rank": ref.rank,
        "quote": source.quote,
        "href": ref.href,
    }


def as_json(context: dict) -> dict:
    return {
        "organisation": context["organisation"],
        "html": context["path"],
        "items": context["items"],
        "undated_documents": [
            {"document": d.iri, "id": d.id, "title": d.title} for d in context["undated"]
        ],
        "undated_events": context["undated_events"],
    }
