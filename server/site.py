"""What every page for people shares: the templates, links to our IRIs on this server, the
static and vendored assets (npm packages copied into the package at install time: nothing is
fetched from a CDN, nothing read from ``node_modules``) and HTML error pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, Response

from maillage.settings import Settings
from server import errors, vendor
from server.i18n import date_text, language_of, mark_language, page_context, vary
from server.negotiation import NotAcceptable, choose
from server.representations import etag_of, not_modified
from server.structured_data import script_json

SERVER_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = SERVER_DIR / "templates"
STATIC_DIR = SERVER_DIR / "static"


def templates() -> Jinja2Templates:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["thousands"] = thousands
    environment.filters["size"] = size_filter
    environment.filters["moment"] = moment_filter
    environment.filters["local"] = local_filter
    environment.filters["jsonld"] = script_json
    return Jinja2Templates(env=environment, context_processors=[page_context])


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """A page of ours, in the request's language (``server/i18n.py``); its security headers are
    added on the way out (``server/security_headers.py``)."""
    response = TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)
    mark_language(response, language_of(request))
    return response


def cached_page(request: Request, response: Response, max_age: int) -> Response:
    """A page with the ETag of its bytes (so one per language) and ``Cache-Control``; 304 when
    the client already has these bytes."""
    etag = etag_of(bytes(response.body))
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    if not_modified(request, etag):
        kept = ("ETag", "Cache-Control", "Vary", "Content-Language")
        return Response(
            status_code=304, headers={k: response.headers[k] for k in kept if k in response.headers}
        )
    return response


def local_href(iri: str, settings: Settings) -> str:
    """Where an IRI is followed from our pages: ours on this server, others as they are."""
    path = settings.iris.path(iri)
    return iri if path is None else "/" + path


@pass_context
def local_filter(context, iri: str) -> str:
    """``{{ iri|local }}``: :func:`local_href` with the settings of the request's app."""
    return local_href(iri, context["request"].app.state.settings)


def thousands(value: int) -> str:
    """``4812`` → ``4 812`` (a narrow no-break space, as French and SI typography do)."""
    return f"{value:,}".replace(",", "\u202f")


SIZE_UNITS = {"fr": ("octets", "ko", "Mo"), "en": ("bytes", "kB", "MB")}
"""Byte counts as each language writes them (SI multiples)."""


def human_size(size: int, lang: str = "en") -> str:
    """``12345`` → ``12.3 kB`` (``12,3 ko`` in French)."""
    units = SIZE_UNITS[lang]
    for unit in units:
        if size < 1000 or unit == units[-1]:
            text = f"{size} {unit}" if unit == units[0] else f"{size:.1f} {unit}"
            return text.replace(".", ",") if lang == "fr" else text
        size /= 1000
    raise AssertionError("unreachable")


@pass_context
def moment_filter(context, moment: dict) -> str:
    """``{{ item.date|moment }}``: a timeline's date in the page's language."""
    return date_text(moment, context["lang"])


@pass_context
def size_filter(context, size: int) -> str:
    """``{{ bytes|size }}``: :func:`human_size` in the page's language."""
    return human_size(size, context["lang"])


TEMPLATES = templates()


def mount_static(app: FastAPI) -> None:
    """``/static/``: our CSS and scripts, and under ``vendor/`` the npm packages copied into the
    package at install time (``server/vendor.py``)."""
    absent = vendor.missing()
    if absent:
        raise vendor.MissingAssets(f"{absent[0]} is missing: run `make vendor` first")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")


def chosen_format(request: Request, offered: tuple, by_extension=None):
    """The format (of ``maillage.formats``) among ``offered`` to answer in: the one a file
    extension named, else the best for ``Accept`` (the first offered for ``*/*``); 406 when
    none is acceptable."""
    if by_extension is not None:
        return by_extension
    try:
        media = choose(request.headers.get("accept"), [f.media_type for f in offered])
    except NotAcceptable as refused:
        raise errors.not_acceptable(refused.offered) from None
    return next(f for f in offered if f.media_type == media)


def wants_html(request: Request) -> bool:
    """A browser's Accept prefers HTML; curl's ``*/*`` and API clients get the default body."""
    try:
        return choose(request.headers.get("accept"), ["application/json", "text/html"]) == (
            "text/html"
        )
    except NotAcceptable:
        return False


async def error_page(request: Request, exc: Exception) -> Response:
    """HTTP errors as a page for browsers, as FastAPI's JSON for everyone else."""
    assert isinstance(exc, StarletteHTTPException)
    if wants_html(request):
        context = {"status": exc.status_code, "detail": exc.detail, "path": request.url.path}
        response: Response = render(request, "error.html", context, status_code=exc.status_code)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
    else:
        response = await http_exception_handler(request, exc)
    vary(response, "Accept")
    return response


def install_error_pages(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, error_page)
