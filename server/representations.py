"""The RDF representations the server offers for descriptions, the catalogue and VoID:
media type, file extension and serialiser of each, and the headers every representation of a
resource carries (ETag, Cache-Control, Vary, Link to the alternates and to the licence)."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import pyoxigraph as ox

from maillage.formats import HTML, JSON_LD, N_QUADS, N_TRIPLES, RDF_XML, TRIG, TURTLE, Format
from maillage.rdfio import prefixes, to_jsonld
from server.negotiation import NotAcceptable, choose

if TYPE_CHECKING:  # FastAPI is not imported by the prepared documents (server/starting.py)
    from starlette.requests import Request
    from starlette.responses import Response

LICENSE = "https://www.etalab.gouv.fr/licence-ouverte-open-licence"


Representation = Format
"""A representation is one of the formats of ``maillage/formats.py`` (HTML has no RDF format:
the pages render it)."""


RDF_GRAPHS = (TURTLE, JSON_LD, N_TRIPLES, RDF_XML)
"""For single graphs (catalogue, VoID): Turtle first, so ``Accept: */*`` gets Turtle."""
CATALOGUE = (TURTLE, HTML, JSON_LD, N_TRIPLES, RDF_XML)
"""For the catalogue: :data:`RDF_GRAPHS` and its page for people; a browser asks for text/html
explicitly, ``*/*`` gets Turtle."""
DESCRIPTIONS = (TURTLE, HTML, JSON_LD, N_TRIPLES, RDF_XML, TRIG, N_QUADS)
"""For descriptions: a browser asks for text/html explicitly; ``*/*`` gets Turtle."""


ACCEPT_ALIASES = {"text/plain": N_TRIPLES}
"""Media types some clients still ask for, and the description they mean: rdflib's
``Graph.parse(url, format="nt")`` sends ``Accept: text/plain``, N-Triples' type before RDF 1.1."""


def negotiate_description(accept: str | None) -> Representation:
    """The description an Accept header asks for (its aliases included); NotAcceptable lists
    the offered types."""
    offered = [r.media_type for r in DESCRIPTIONS]
    try:
        media = choose(accept, [*offered, *ACCEPT_ALIASES])
    except NotAcceptable:
        raise NotAcceptable(offered) from None
    return ACCEPT_ALIASES.get(media) or by_media_type(DESCRIPTIONS)[media]


def by_media_type(offered: tuple[Representation, ...]) -> dict[str, Representation]:
    return {r.media_type: r for r in offered}


def by_extension(offered: tuple[Representation, ...]) -> dict[str, Representation]:
    return {r.extension: r for r in offered}


def serialise(quads: list[ox.Quad], representation: Representation, base: str) -> bytes:
    """Sorted quads → bytes; formats without named graphs get the default graph only."""
    fmt = representation.rdf_format
    if fmt is None:
        raise ValueError("HTML is rendered by the pages, not serialised")
    if fmt == ox.RdfFormat.JSON_LD:
        return to_jsonld(quads, base)
    if not fmt.supports_datasets:
        quads = [q.triple for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
    return ox.serialize(quads, format=fmt, prefixes=_used_prefixes(quads, base))


def _used_prefixes(items: list, base: str) -> dict[str, str]:
    """Our prefixes that the data uses, less ``id:`` (``id:org\\/digital-113`` reads worse than
    the full IRI)."""
    iris = {t.value for item in items for t in item if isinstance(t, ox.NamedNode)}
    return {
        name: namespace
        for name, namespace in prefixes(base).items()
        if name != "id" and any(iri.startswith(namespace) for iri in iris)
    }


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def not_modified(request: Request, etag: str) -> bool:
    """If-None-Match holds our ETag."""
    return etag_matches(request.headers.get("if-none-match"), etag)


def etag_matches(header: str | None, etag: str) -> bool:
    """An If-None-Match header value holds ``etag`` (weak comparison, as RFC 9110 asks for
    GET)."""
    if header is None:
        return False
    if header.strip() == "*":
        return True
    return etag in {tag.strip().removeprefix("W/") for tag in header.split(",")}


def link_header(alternates: list[tuple[str, str]], *extra: str) -> str:
    """``Link``: each alternate (URL, media type), the licence, and any extra link values."""
    links = [f'<{url}>; rel="alternate"; type="{media}"' for url, media in alternates]
    links.append(f'<{LICENSE}>; rel="license"')
    return ", ".join([*links, *extra])


def cached_response(
    request: Request, body: bytes, media_type: str, headers: dict[str, str], max_age: int
) -> Response:
    """200 with ETag and Cache-Control, or 304 when the client already has these bytes."""
    from starlette.responses import Response

    etag = etag_of(body)
    headers = {**headers, "ETag": etag, "Cache-Control": f"public, max-age={max_age}"}
    if not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)
