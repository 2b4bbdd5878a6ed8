"""What each route can answer, for ``/openapi.json``: every status code with its media types.

One table: the answers are built from the formats the routes offer (``maillage/formats.py``
through ``server/representations.py``), so a format added there is documented here. A route
declares its answers with ``responses=`` (one of the constants below), and
:func:`describe` (``server/app.py``'s OpenAPI document) makes the declared ``200`` the whole
truth: FastAPI would otherwise add ``application/json`` to every ``200``.
``tests/test_openapi_schemathesis.py`` checks with schemathesis that the server answers nothing
undocumented.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from maillage.formats import (
    HTML,
    JSON,
    RDF_SYNTAXES,
    RESULT_SYNTAXES,
    TEXT,
    Format,
)
from maillage.releases import release_of
from server import routing
from server.representations import CATALOGUE, DESCRIPTIONS, RDF_GRAPHS

Responses = dict[int | str, dict]

ERRORS = (JSON, HTML)
"""An error is ``{"detail": "…"}``, or the site's error page for a browser (``server/site.py``)."""
LOCATION = {"Location": {"description": "where to go", "schema": {"type": "string"}}}
ATOM = "application/atom+xml"
LINK_FORMAT = "application/link-format"
XML = "application/xml"
JAVASCRIPT = "application/javascript"
SPARQL_QUERY = "application/sparql-query"
FORM = "application/x-www-form-urlencoded"


def content(formats: Iterable[Format | str]) -> dict[str, dict]:
    """The ``content`` of an answer: each media type (a format's or a string)."""
    types = (f if isinstance(f, str) else f.media_type for f in formats)
    return {media_type: {} for media_type in dict.fromkeys(types)}


def answer(
    status: int, description: str, formats: Iterable[Format | str] = (), **more
) -> Responses:
    """One status code: what it means here and the media types of its body (none: no body)."""
    described: dict = {"description": description, **more}
    found = content(formats)
    if found:
        described["content"] = found
    return {status: described}


def merged(*answers: Responses) -> Responses:
    every: Responses = {}
    for one in answers:
        every.update(one)
    return every


def moved(status: int, description: str, formats: Iterable[Format | str] = ()) -> Responses:
    return answer(status, description, formats, headers=LOCATION)


NOT_MODIFIED = answer(304, "If-None-Match names the current ETag: no body")
NOT_ACCEPTABLE = answer(406, "Accept takes none of the media types offered (listed)", ERRORS)
BAD_REQUEST = answer(400, "a parameter is wrong: the sentence says which and why", ERRORS)
NOT_FOUND = answer(404, "nothing here: the sentence says what was looked for", ERRORS)
RETIRED_PAGE = merged(
    moved(301, "a replaced IRI: the same page of its successor", ERRORS),
    answer(410, "a withdrawn IRI: when and why", ERRORS),
)

DEREFERENCING = merged(
    answer(200, "the description document, in the format of its extension", DESCRIPTIONS),
    moved(
        301,
        "a replaced IRI, or its document: its successor's (what the release says of the "
        "retired IRI, in the format asked, or no body)",
        DESCRIPTIONS,
    ),
    moved(302, "with Accept-Datetime: the memento of the release live then (Memento)"),
    moved(303, "an IRI of a thing: its description document, chosen by Accept"),
    NOT_MODIFIED,
    answer(400, "Accept-Datetime is not an HTTP-date", ERRORS),
    answer(
        404,
        "not an IRI of ours: an RDF document with no statement (in the format asked) or the error",
        [*DESCRIPTIONS, JSON],
    ),
    NOT_ACCEPTABLE,
    answer(410, "a withdrawn IRI: what the release says of it, in the format asked", DESCRIPTIONS),
)
"""``/id/…``, ``/def/…``, ``/concept/…``, ``/shapes/…``, ``/def.ttl``… (``routes/resources.py``)."""

CONTEXT = merged(answer(200, "our JSON-LD context", ["application/ld+json"]), NOT_MODIFIED)

MEMENTO = merged(
    answer(200, "the description as that release published it", DESCRIPTIONS),
    moved(301, "an IRI retired in that release: its successor's memento", DESCRIPTIONS),
    moved(303, "the memento of an IRI: its description in that release, chosen by Accept"),
    NOT_MODIFIED,
    answer(404, "a release not kept or never live, or a path it does not describe", ERRORS),
    NOT_ACCEPTABLE,
    answer(410, "an IRI withdrawn in that release", DESCRIPTIONS),
)
TIMEMAP = merged(
    answer(200, "the TimeMap (RFC 7089)", [LINK_FORMAT]),
    NOT_MODIFIED,
    answer(404, "no release kept describes it", ERRORS),
)

CATALOGUE_ANSWERS = merged(
    answer(200, "the document, by Accept (a page for a browser)", CATALOGUE),
    NOT_MODIFIED,
    NOT_ACCEPTABLE,
)
CATALOGUE_BY_EXTENSION = merged(
    answer(200, "the document in the format of the extension", CATALOGUE),
    NOT_MODIFIED,
    answer(404, "an extension not offered (the sentence lists them)", ERRORS),
)
VOID = merged(answer(200, "VoID, by Accept", RDF_GRAPHS), NOT_MODIFIED, NOT_ACCEPTABLE)
VOID_BY_EXTENSION = merged(
    answer(200, "VoID in the format of the extension", RDF_GRAPHS),
    NOT_MODIFIED,
    answer(404, "an extension not offered (the sentence lists them)", ERRORS),
)
RELEASE = merged(
    answer(200, "the release: a page, or its description and changes", CATALOGUE),
    NOT_MODIFIED,
    answer(
        404, "a release not kept (the sentence lists those kept), or an unknown extension", ERRORS
    ),
    NOT_ACCEPTABLE,
)
FEED = merged(answer(200, "the Atom feed of the releases kept", [ATOM]), NOT_MODIFIED)

DOWNLOAD_FILES = (*RDF_SYNTAXES, JSON, TEXT, "text/markdown", "application/gzip")
"""What the release's files are served as (``maillage/formats.py``'s ``of_file``)."""
FILES_INDEX = merged(
    answer(
        200, "the files with size, SHA-256 and URL: JSON, or a page for a browser", [JSON, HTML]
    ),
    NOT_MODIFIED,
    answer(404, "a release not kept (the sentence lists those kept)", ERRORS),
    NOT_ACCEPTABLE,
)
DOWNLOAD = merged(
    answer(200, "the file, byte for byte", DOWNLOAD_FILES),
    answer(
        206,
        "the ranges asked (Range), one or several (multipart/byteranges)",
        [*DOWNLOAD_FILES, "multipart/byteranges"],
    ),
    NOT_MODIFIED,
    answer(400, "a malformed Range", ERRORS),
    answer(404, "no such file (or release kept)", ERRORS),
    answer(416, "a range past the end (Content-Range: bytes */SIZE)", ERRORS),
)

SITEMAP = answer(200, "the sitemap, or past 50,000 URLs the index of its parts", [XML])
SITEMAP_PART = merged(
    answer(200, "one part of the sitemap index", [XML]),
    answer(404, "no such part: one file holds every URL, or the number is past the last", ERRORS),
)
ROBOTS = answer(200, "what crawlers may read", [TEXT])

VIEW = merged(
    answer(200, "a page, or JSON by Accept (or the .json path)", [HTML, JSON]),
    NOT_ACCEPTABLE,
)
"""``/timeline``, ``/network`` and their ``.json``."""
TIMELINE_OF = merged(
    VIEW, RETIRED_PAGE, answer(404, "not an organisation of ours", ERRORS), BAD_REQUEST
)
NETWORK = merged(VIEW, RETIRED_PAGE, BAD_REQUEST, NOT_FOUND)
SEARCH = merged(
    answer(200, "the hits: a page, or JSON by Accept", [HTML, JSON]),
    BAD_REQUEST,
    NOT_ACCEPTABLE,
)
SUGGEST = merged(answer(200, "the suggestions", [JSON]), BAD_REQUEST)
BROWSE = merged(
    answer(200, "one page of the A–Z list", [HTML]),
    answer(400, "an unknown family, commune or letter, or a page that is not a number", ERRORS),
    answer(404, "an unknown list, or a page past its end", ERRORS),
)

RECONCILE = merged(
    answer(
        200,
        "the manifest, a batch of results or an extension; JSONP with callback=",
        [JSON, JAVASCRIPT],
    ),
    answer(400, "bad input: the sentence says what and where", [JSON]),
    answer(413, "a body or parameter longer than 2,000,000 characters", [JSON]),
)
PREVIEW = merged(
    answer(200, "a small page naming the entity", [HTML]),
    moved(301, "a replaced identifier: its successor's preview", [JSON]),
    answer(400, "no identifier given, or not one of ours", [JSON]),
    answer(404, "no entity of ours has this identifier", [JSON]),
    answer(410, "a withdrawn identifier: when and why", [JSON]),
    answer(413, "a parameter longer than 2,000,000 characters", [JSON]),
)

SPARQL_ERRORS = [TEXT, JSON]
"""``text/plain``, or ``{"detail": …}`` when Accept prefers JSON (``server/sparql_protocol.py``)."""
SPARQL = merged(
    answer(
        200,
        "the result (SELECT and ASK: SPARQL JSON, XML, CSV, TSV; CONSTRUCT and DESCRIBE: an RDF "
        "syntax), or without a query the Service Description",
        [*RESULT_SYNTAXES, *RDF_SYNTAXES],
    ),
    moved(303, "a browser asking for the endpoint itself: the query page"),
    NOT_MODIFIED,
    answer(
        400,
        "a syntax error (line, column), an unknown prefix, an update, SERVICE, a graph "
        "not ours, a parameter given twice",
        SPARQL_ERRORS,
    ),
    answer(
        406, "the query form cannot be written in the type asked (the types it can)", SPARQL_ERRORS
    ),
    answer(413, "a query longer than query_max_chars", SPARQL_ERRORS),
    answer(415, "a POST body neither a form nor application/sparql-query (UTF-8)", SPARQL_ERRORS),
    answer(
        422,
        "the result passed result_max_rows or result_max_bytes, or the query needed more memory "
        "than query_worker_memory_mib",
        SPARQL_ERRORS,
    ),
    answer(429, "too many queries at once from this client (Retry-After)", SPARQL_ERRORS),
    answer(
        503,
        "past the deadline (query_timeout_s), or every worker busy (Retry-After)",
        SPARQL_ERRORS,
    ),
)


def describe(app: FastAPI) -> dict:
    """The OpenAPI document: FastAPI's, with each declared answer as the only one for its
    status (no ``application/json`` added to a ``200`` that is Turtle or a page)."""
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    _add_examples(document, examples(app))
    for route in routing.every_route(app):
        if not (isinstance(route, APIRoute) and route.include_in_schema and route.responses):
            continue
        for method in route.methods:
            operation = document["paths"][route.path_format][method.lower()]
            for status, declared in route.responses.items():
                operation["responses"][str(status)] = copy.deepcopy(declared)
            if 422 not in route.responses and not _validated(route):
                operation["responses"].pop("422", None)
    app.openapi_schema = document
    return document


def examples(app: FastAPI) -> dict[str, dict[str, str]]:
    """A value for the path parameters of some operations, which every release answers: what
    ``/docs`` fills in, and what schemathesis tries first."""
    release = release_of(app.state.release)  # its id (a copy served by --release may be renamed)
    by_extension = {"extension": "ttl"}
    return {
        "/id/{path}": {"path": "dataset/maillage"},
        "/def.{extension}": by_extension,
        "/shapes.{extension}": by_extension,
        "/catalog.{extension}": by_extension,
        "/.well-known/void.{extension}": by_extension,
        "/releases/{release}": {"release": release},
        "/releases/{release}/downloads/": {"release": release},
        "/releases/{release}/downloads/{name}": {"release": release, "name": "void.ttl"},
        "/downloads/{name}": {"name": "void.ttl"},
        "/reconcile/suggest/{kind}": {"kind": "entity"},
        "/reconcile/1.0-draft/suggest/{kind}": {"kind": "entity"},
    }


def _add_examples(document: dict, found: dict[str, dict[str, str]]) -> None:
    for path, values in found.items():
        for operation in document["paths"].get(path, {}).values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] in values:
                    parameter["example"] = values[parameter["name"]]


def _validated(route: APIRoute) -> bool:
    """Whether FastAPI can refuse a request to ``route`` with its 422 (a parameter it converts,
    a body it reads): not when every parameter is text, which it takes as it comes."""
    dependant = route.dependant
    parameters = [
        *dependant.path_params,
        *dependant.query_params,
        *dependant.header_params,
        *dependant.cookie_params,
    ]
    text = (str, str | None)
    return bool(dependant.body_params) or any(
        p.field_info.annotation not in text for p in parameters
    )
