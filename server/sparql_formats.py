"""Which format a SPARQL result is written in: ``Accept`` with q-values (through
:mod:`server.negotiation`), or a ``format`` parameter, which wins.

A ``format`` value is a name (``json``, ``xml``, ``csv``, ``tsv``, ``turtle``, ``ntriples``,
``jsonld``, ``rdfxml``, ``trig``, ``nquads`` and the spellings SPARQLWrapper sends) or a media
type, or a comma-separated list of them (as SPARQLWrapper sends it; unknown items in a list are
ignored). ``json`` and ``xml`` mean the SPARQL results formats for SELECT/ASK and JSON-LD and
RDF/XML for CONSTRUCT/DESCRIBE. Values naming the same type are one request; different types, a 400.
"""

from __future__ import annotations

import dataclasses
import functools

from maillage.store import GRAPH_MEDIA_TYPES, SOLUTION_MEDIA_TYPES
from server import errors
from server.negotiation import NotAcceptable, choose

JSON_RESULTS, XML_RESULTS, CSV, TSV = SOLUTION_MEDIA_TYPES
TURTLE, NTRIPLES, JSONLD, RDFXML, TRIG, NQUADS = GRAPH_MEDIA_TYPES

SOLUTION_NAMES = {"json": JSON_RESULTS, "xml": XML_RESULTS, "csv": CSV, "tsv": TSV}
GRAPH_NAMES = {
    "turtle": TURTLE,
    "ttl": TURTLE,
    "n3": TURTLE,  # Turtle is N3 without its extensions: what SPARQLWrapper's N3 gets
    "ntriples": NTRIPLES,
    "nt": NTRIPLES,
    "jsonld": JSONLD,
    "json-ld": JSONLD,
    "json": JSONLD,
    "rdfxml": RDFXML,
    "rdf+xml": RDFXML,
    "rdf": RDFXML,
    "xml": RDFXML,
    "trig": TRIG,
    "nquads": NQUADS,
    "nq": NQUADS,
}
ACCEPT_ALIASES = {"application/json": JSON_RESULTS, "application/xml": XML_RESULTS}
"""Generic types some clients ask for, answered with the SPARQL results type."""
ALL_MEDIA_TYPES = [*SOLUTION_MEDIA_TYPES, *GRAPH_MEDIA_TYPES]
ACCEPT_HEADERS_KEPT = 256
"""Accept headers whose negotiation is remembered: clients send the same few again and again,
and negotiating one anew cost about 20 µs a query (``docs/performance.md``)."""


@dataclasses.dataclass(frozen=True)
class Wanted:
    """What the client asked for: ``format`` values (lower-cased, non-empty) or Accept."""

    formats: tuple[str, ...]
    accept: str

    @classmethod
    def read(cls, formats: list[str], accept: str | None) -> Wanted:
        items = {item.strip().lower() for value in formats for item in value.split(",")}
        items.discard("")
        known = tuple(sorted(item for item in items if _known(item)))
        if items and not known:
            raise errors.bad_request(
                f"unknown format {', '.join(sorted(items))!r}; use one of: json, xml, csv, tsv, "
                "turtle, ntriples, jsonld, rdfxml, trig, nquads, or a media type"
            )
        return cls(known, accept or "")

    def check_possible(self) -> None:
        """406 before any parsing when no query form could be answered as asked."""
        if not self.formats and _negotiated(self.accept, None) is None:
            raise errors.not_acceptable(ALL_MEDIA_TYPES)

    def media_type(self, returns_graph: bool) -> str:
        offered = GRAPH_MEDIA_TYPES if returns_graph else SOLUTION_MEDIA_TYPES
        if self.formats:
            return _by_name(self.formats, returns_graph, list(offered))
        chosen = _negotiated(self.accept, returns_graph)
        if chosen is None:
            raise errors.not_acceptable(list(offered))
        return chosen


@functools.lru_cache(maxsize=ACCEPT_HEADERS_KEPT)
def _negotiated(accept: str, returns_graph: bool | None) -> str | None:
    """The media type ``accept`` gets for a graph (True), for solutions (False) or for either
    (None: whether any query form could be answered); None if none is acceptable."""
    if returns_graph is None:
        offered, aliases = [*ALL_MEDIA_TYPES, *ACCEPT_ALIASES], {}
    elif returns_graph:
        offered, aliases = list(GRAPH_MEDIA_TYPES), {}
    else:
        offered, aliases = [*SOLUTION_MEDIA_TYPES, *ACCEPT_ALIASES], ACCEPT_ALIASES
    try:
        chosen = choose(accept, offered)
    except NotAcceptable:
        return None
    return aliases.get(chosen, chosen)


def _known(item: str) -> bool:
    return item in SOLUTION_NAMES or item in GRAPH_NAMES or item in ALL_MEDIA_TYPES


def _by_name(formats: tuple[str, ...], returns_graph: bool, offered: list[str]) -> str:
    names = GRAPH_NAMES if returns_graph else SOLUTION_NAMES
    chosen = {names.get(name, name) for name in formats}
    if len(chosen) > 1:
        raise errors.bad_request("the format parameters disagree: " + ", ".join(sorted(chosen)))
    media_type = chosen.pop()
    if media_type not in offered:
        raise errors.not_acceptable(offered)
    return media_type


def description_media_type(wanted: Wanted, offered: list[str]) -> str:
    """The Service Description's format (``offered``: RDF types and ``text/html``)."""
    if wanted.formats:
        return _by_name(wanted.formats, True, offered)
    try:
        return choose(wanted.accept, offered)
    except NotAcceptable:
        raise errors.not_acceptable(offered) from None
