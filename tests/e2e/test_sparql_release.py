"""The endpoint over a release built from the repository (``maillage build``), through
SPARQLWrapper: it answers what the release's own VoID description says it holds."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from sparql_live import live_server
from SPARQLWrapper import JSON, SPARQLWrapper

from maillage.layout import release_iri

VOID = "http://rdfs.org/ns/void#"


@pytest.fixture(scope="module")
def endpoint(built):
    settings, _, _ = built
    with live_server(settings) as base:
        yield base + "/sparql"


def count(endpoint: str, query: str) -> int:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    return int(client.query().convert()["results"]["bindings"][0]["n"]["value"])


def void_triples(release) -> int:
    store = ox.Store()
    store.load(path=str(release / "void.ttl"), format=ox.RdfFormat.TURTLE)
    node = ox.NamedNode(release_iri("https://w3id.org/maillage/", release.name))
    (quad,) = store.quads_for_pattern(node, ox.NamedNode(VOID + "triples"), None)
    return int(quad.object.value)


@pytest.mark.slow
def test_the_default_graph_holds_what_void_counts(endpoint, release):
    assert count(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == void_triples(release)


@pytest.mark.slow
def test_every_claim_is_a_named_graph(endpoint, built):
    _, build, _ = built
    query = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count(endpoint, query) == len(build.inputs.claims) > 0
