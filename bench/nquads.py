"""N-Quads terms written as text, and the IRIs the synthetic dataset uses.

The generator writes millions of lines: terms are plain strings in N-Quads syntax, built once.
"""

from __future__ import annotations

import re

from rdflib import Literal, URIRef

from maillage.pipeline.dates import BOUNDED, first_and_last_day

BASE = "https://w3id.org/maillage/"
XSD = "http://www.w3.org/2001/XMLSchema#"

NAMESPACES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "http://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "oa": "http://www.w3.org/ns/oa#",
    "time": "http://www.w3.org/2006/time#",
    "mlg": BASE + "def/",
    "id": BASE + "id/",
    "concept": BASE + "concept/",
}


def iri(text: str) -> str:
    return f"<{text}>"


def term(curie: str) -> str:
    """``org:Site`` → ``<http://www.w3.org/ns/org#Site>``; ``id:org/x`` → our IRI."""
    prefix, local = curie.split(":", 1)
    return f"<{NAMESPACES[prefix]}{local}>"


A = term("rdf:type")


def escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def string(text: str) -> str:
    return f'"{escaped(text)}"'


def lang(text: str, language: str = "fr") -> str:
    return f'"{escaped(text)}"@{language}'


def typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def date(value: str) -> str:
    """An xsd:date, xsd:gYearMonth or xsd:gYear literal, by the precision of ``value``."""
    kind = {10: "date", 7: "gYearMonth", 4: "gYear"}[len(value)]
    return typed(value, kind)


def integer(value: int) -> str:
    return typed(value, "integer")


TRUE = typed("true", "boolean")


def line(s: str, p: str, o: str, graph: str | None = None) -> str:
    return f"{s} {p} {o} .\n" if graph is None else f"{s} {p} {o} {graph} .\n"


DATED = {
    iri(str(dated)): (iri(str(first)), iri(str(last))) for dated, (first, last) in BOUNDED.items()
}
TYPED = re.compile(r'^"([^"]*)"\^\^<([^>]*)>$')


def with_date_bounds(triples: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The triples and, after each dated one, the first and last day it may mean, as the build
    derives them (``maillage/pipeline/dates.py``)."""
    bounded = []
    for s, p, o in triples:
        bounded.append((s, p, o))
        match = TYPED.match(o) if p in DATED else None
        days = match and first_and_last_day(Literal(match[1], datatype=URIRef(match[2])))
        if days:
            bounded.append((s, DATED[p][0], typed(days[0].isoformat(), "date")))
            bounded.append((s, DATED[p][1], typed(days[1].isoformat(), "date")))
    return bounded
