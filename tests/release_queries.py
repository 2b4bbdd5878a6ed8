"""Helpers of the tests on the built release: a private copy of the build's inputs, and SPARQL
with the project prefixes (``id:org/x`` for our IRIs). A module of its own, not ``conftest``:
the test packages under ``tests/`` have conftests of their own, and ``import conftest`` would
find whichever came first."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyoxigraph as ox

from maillage.settings import REPO_ROOT

INPUT_DIRS = ("data", "ontology", "shapes")


def copy_inputs(destination: Path) -> Path:
    """A private copy of everything the build reads, for tests that break things."""
    for name in INPUT_DIRS:
        shutil.copytree(REPO_ROOT / name, destination / name)
    shutil.copyfile(REPO_ROOT / "README.md", destination / "README.md")  # the example queries
    return destination


PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
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
PREFIX id: <https://w3id.org/maillage/id/>
PREFIX role: <https://w3id.org/maillage/concept/role/>
PREFIX family: <https://w3id.org/maillage/concept/family/>
PREFIX measure: <https://w3id.org/maillage/concept/measure/>
PREFIX qualifier: <https://w3id.org/maillage/concept/qualifier/>
"""


OUR_IRI = re.compile(r"\bid:([a-z]+/[A-Za-z0-9/_-]+)")


def expand(query: str) -> str:
    """The project prefixes, and ``id:org/x`` written as the full IRI (SPARQL local names may not
    contain '/')."""
    return PREFIXES + OUR_IRI.sub(r"<https://w3id.org/maillage/id/\1>", query)


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    """Run a SELECT with the project prefixes; rows as {variable: value}."""
    solutions = store.query(expand(query))
    names = [v.value for v in solutions.variables]
    return [
        {name: (row[name].value if row[name] is not None else None) for name in names}
        for row in solutions
    ]


def ask(store: ox.Store, query: str) -> bool:
    return bool(store.query(expand(query)))


def example(store: ox.Store, name: str) -> list[dict[str, str]]:
    """The rows of the README's example query ``docs/queries/{name}``."""
    return select(store, (REPO_ROOT / "docs" / "queries" / name).read_text(encoding="utf-8"))
