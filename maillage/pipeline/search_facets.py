"""The facets of the release's search index (``search.sqlite``'s ``facet`` table, described in
``maillage/search.py``): for each indexed resource, its classes, network family and kind, the
communes it is in (by the browse lists' rule, ``maillage/places.py``) with their INSEE codes,
and its founding year. Search counts hits by them and the reconciliation service matches on
them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from maillage.namespaces import CANONICAL_BASE, CONCEPT, IGEO, ORG, SCHEMA, curie
from maillage.places import communes_of
from maillage.search import (
    FACET_CLASS,
    FACET_COMMUNE,
    FACET_FAMILY,
    FACET_FOUNDED,
    FACET_INSEE,
    FACET_KIND,
    FACET_TABLE,
)

FRENCH_NAMES = (SKOS.prefLabel, RDFS.label, SCHEMA.name, IGEO.nom)
"""Where a facet value's French label is (a class's in the ontology, a concept's or a
commune's in the data)."""
SCHEMES = {FACET_FAMILY: f"{CONCEPT}family/", FACET_KIND: f"{CONCEPT}kind/"}
"""The classification facets and the namespace of their concepts."""

Row = tuple[str, str, str, str]


def write_facets(connection: sqlite3.Connection, graph: Graph, vocabulary: Graph, iris) -> None:
    """The facet table and its indexes, with the rows of every resource of ``iris``."""
    connection.execute(
        f"CREATE TABLE {FACET_TABLE} (iri TEXT NOT NULL, facet TEXT NOT NULL, "
        "value TEXT NOT NULL, label TEXT NOT NULL)"
    )
    rows = sorted({row for iri in iris for row in facet_rows(graph, vocabulary, iri)})
    connection.executemany(f"INSERT INTO {FACET_TABLE} VALUES (?, ?, ?, ?)", rows)
    connection.execute(  # covering: counting facets of matches reads the index only
        f"CREATE INDEX {FACET_TABLE}_iri ON {FACET_TABLE} (iri, facet, value, label)"
    )
    connection.execute(f"CREATE INDEX {FACET_TABLE}_value ON {FACET_TABLE} (facet, value)")


def facet_rows(graph: Graph, vocabulary: Graph, iri: str) -> Iterator[Row]:
    subject = URIRef(iri)
    for cls in graph.objects(subject, RDF.type):
        label = french_label((vocabulary, graph), cls) or curie(str(cls))
        yield iri, FACET_CLASS, str(cls), label
    for concept in graph.objects(subject, ORG.classification):
        for facet, namespace in SCHEMES.items():
            if str(concept).startswith(namespace):
                yield iri, facet, str(concept), french_label((graph,), concept) or str(concept)
    yield from commune_rows(graph, iri)
    for date in graph.objects(subject, SCHEMA.foundingDate):
        year = str(date)[:4]
        if year.isdigit():
            yield iri, FACET_FOUNDED, year, year


def commune_rows(graph: Graph, iri: str) -> Iterator[Row]:
    for commune in communes_of(iri, lambda s, p: iri_objects(graph, s, p), CANONICAL_BASE):
        node = URIRef(commune)
        name = french_label((graph,), node) or commune
        yield iri, FACET_COMMUNE, commune, name
        for code in graph.objects(node, IGEO.codeINSEE):
            yield iri, FACET_INSEE, str(code), name


def iri_objects(graph: Graph, subject: str, predicate: str) -> list[str]:
    return [
        str(o) for o in graph.objects(URIRef(subject), URIRef(predicate)) if isinstance(o, URIRef)
    ]


def french_label(graphs: tuple[Graph, ...], node) -> str | None:
    """The first French name of ``node`` in :data:`FRENCH_NAMES` order, in the first graph that
    has one."""
    for graph in graphs:
        for predicate in FRENCH_NAMES:
            for o in sorted(graph.objects(node, predicate)):
                if isinstance(o, Literal) and o.language == "fr":
                    return str(o)
    return None
