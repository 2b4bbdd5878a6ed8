"""Shared fixtures: a release built once from the repository's real inputs, and a SPARQL store
(pyoxigraph) loaded from its N-Quads dump."""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from maillage.build import build_release
from maillage.settings import REPO_ROOT, Settings

INPUT_DIRS = ("data", "ontology", "shapes")


def copy_inputs(destination: Path) -> Path:
    """A private copy of everything the build reads, for tests that break things."""
    for name in INPUT_DIRS:
        shutil.copytree(REPO_ROOT / name, destination / name)
    return destination


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    settings = Settings(var_dir=tmp_path_factory.mktemp("var"))
    build, directory = build_release(settings)
    return settings, build, directory


@pytest.fixture(scope="session")
def release(built) -> Path:
    return built[2]


@pytest.fixture(scope="session")
def store(release) -> ox.Store:
    store = ox.Store()
    data = gzip.decompress((release / "maillage-all.nq.gz").read_bytes())
    store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
    return store


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
PREFIX mlg: <https://w3id.org/maillage/def/>
PREFIX id: <https://w3id.org/maillage/id/>
PREFIX role: <https://w3id.org/maillage/concept/role/>
PREFIX family: <https://w3id.org/maillage/concept/family/>
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
