"""SPARQL helpers of the benchmark-data tests: our prefixes, ``id:org/x`` for our IRIs."""

from __future__ import annotations

import re

import pyoxigraph as ox

SIZE = 6_000
"""Quads of the small generated dataset the benchmark-data tests share."""
SEED = 7

PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX schema: <http://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX geo: <http://www.opengis.net/ont/geosparql#>
PREFIX igeo: <http://rdf.insee.fr/def/geo#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX mlg: <https://w3id.org/maillage/def/>
"""
OUR_IRI = re.compile(r"\bid:([a-z]+/[A-Za-z0-9/_-]+)")


def rows(store: ox.Store, query: str, **bindings: ox.NamedNode) -> list[dict[str, str]]:
    """Run a SELECT; each ``?name`` of ``bindings`` is replaced by its IRI (test data only)."""
    text = PREFIXES + OUR_IRI.sub(r"<https://w3id.org/maillage/id/\1>", query)
    for name, value in bindings.items():
        text = text.replace(f"?{name}", str(value))
    solutions = store.query(text)
    names = [v.value for v in solutions.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in solutions]


def ask(store: ox.Store, query: str) -> bool:
    return bool(store.query(PREFIXES + OUR_IRI.sub(r"<https://w3id.org/maillage/id/\1>", query)))


def count(store: ox.Store, query: str, **bindings: ox.NamedNode) -> int:
    return int(rows(store, query, **bindings)[0]["n"])
