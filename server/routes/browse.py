"""``/browse/{slug}``: the A–Z list of each class the home page counts (organisations, people,
events, sites, documents, conflicts…), paged, with filters by first letter, network family and
commune. Each entry links to its resource's page. The lists come from ``server/browse_view.py``."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Query, Request
from starlette.responses import HTMLResponse

from server import browse_view as view
from server import errors, openapi, routing
from server.i18n import PARAMETER
from server.resource_view import curie
from server.site import local_href, render

router = APIRouter(tags=["browse"])


def install(app: FastAPI) -> None:
    app.include_router(router)


@routing.get(router, "/browse/{slug}", response_class=HTMLResponse, responses=openapi.BROWSE)
def browse(
    request: Request,
    slug: str,
    letter: Annotated[str | None, Query()] = None,
    family: Annotated[str | None, Query()] = None,
    commune: Annotated[str | None, Query()] = None,
    page: Annotated[str, Query()] = "1",
) -> HTMLResponse:
    """The A–Z list of a class (HTML), ``PAGE_SIZE`` entries a page; ``letter``, ``family``
    and ``commune`` filter it. An unknown filter or a page number that is not a whole number
    ≥ 1 is a 400, a page past the end a 404."""
    reader = request.app.state.reader
    found = view.browsed_class(reader, slug)
    if found is None:
        known = ", ".join(s for s, _label, _cls in view.COUNTED_CLASSES)
        raise errors.not_found(f"list {slug[:50]!r} (the lists are: {known})")
    label, cls = found
    number = page_number(page)
    listed = view.entries(reader, cls)
    try:
        shown = view.filtered(reader, listed, letter, family, commune)
    except view.BadFilter as bad:
        raise errors.bad_request(str(bad)) from None
    pages = view.page_count(len(shown))
    if number > pages:
        raise errors.not_found(f"page {page[:50]} of this list: it has {pages} page(s)")
    filters = {"letter": letter, "family": family, "commune": commune}
    asked = {PARAMETER: request.query_params.get(PARAMETER)}  # the list's pages keep ?lang=
    settings = request.app.state.settings
    context = {
        "slug": slug,
        "label": label,
        "class_curie": curie(cls),
        "total": len(shown),
        "all": len(listed),
        "entries": [
            {"href": local_href(e.iri, settings), "label": e.label, "lang": e.language}
            for e in view.page_of(shown, number)
        ],
        "page": number,
        "pages": pages,
        "filters": filters,
        "letters": letters(slug, listed, filters),
        "families": view.families(reader) if slug == "organisations" else [],
        "communes": view.communes(reader),
        "href": lambda **changed: href(slug, {**filters, "page": None, **asked, **changed}),
    }
    return render(request, "browse.html", context)


def page_number(page: str) -> int:
    """The page asked for; a number too long to read is a page past the end of any list."""
    if not (page.isascii() and page.isdigit()) or int(page[:19]) < 1:
        raise errors.bad_request(f"page {page[:50]!r}: give a whole number from 1")
    return int(page) if len(page) < 19 else 10**18


def href(slug: str, parameters: dict) -> str:
    """The list's URL with these parameters (the empty ones left out)."""
    kept = {k: v for k, v in parameters.items() if v not in (None, "", 1)}
    return f"/browse/{slug}" + ("?" + urlencode(kept) if kept else "")


def letters(slug: str, listed: list[view.Entry], filters: dict) -> list[dict]:
    """A to Z (and #), each a filter link when some entry of the whole list starts with it."""
    present = {e.letter for e in listed}
    return [
        {
            "letter": letter,
            "href": href(slug, {**filters, "letter": letter}) if letter in present else None,
            "current": filters["letter"] == letter,
        }
        for letter in view.LETTERS
    ]
