"""The release bench/release.py makes from generated data: what the real build's release holds,
timed per stage, and served unchanged by our server (in process)."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from generated_queries import count
from rdflib import Graph
from rdflib.namespace import SKOS

from maillage.settings import Settings
from server.app import create_app

BASE = "https://w3id.org/maillage/"
RELEASE_FILES = (
    "maillage.ttl",
    "maillage.jsonld",
    "maillage.nt.gz",
    "maillage-all.trig",
    "maillage-all.nq.gz",
    "ontology.ttl",
    "shapes.ttl",
    "validation-report.ttl",
    "void.ttl",
    "context.jsonld",
    "conflicts.ttl",
    "conflicts.md",
    "manifest.json",
    "store",
)


@pytest.fixture(scope="module")
def client(released, generated):
    settings = Settings(var_dir=generated / "var")
    with TestClient(create_app(settings)) as client:
        yield client


def test_the_release_holds_every_file_of_a_real_release(released):
    directory = released["directory"]
    missing = [n for n in RELEASE_FILES if not (Path(directory) / n).exists()]
    assert missing == []
    manifest = json.loads((Path(directory) / "manifest.json").read_text())
    assert set(RELEASE_FILES) - {"manifest.json", "store"} <= set(manifest["files"])


def test_every_stage_is_timed_with_its_memory(released):
    stages = released["stages"]
    assert {"validate", "dump maillage.jsonld", "publish + store"} <= set(stages)
    for figures in stages.values():
        assert figures["seconds"] >= 0 and figures["peak_rss_mib"] > 0
    assert released["violations"] == 0


def test_a_sample_organisation_is_dereferenced(client, generated):
    organisation = json.loads((generated / "sample.json").read_text())["organisations"][0]
    response = client.get(organisation[len(BASE) - 1 :], headers={"accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle", publicID=str(client.base_url))
    labels = [
        str(o)
        for s, o in graph.subject_objects(SKOS.prefLabel)
        if s.endswith(organisation[len(BASE) :])
    ]
    assert labels, response.text[:500]


def test_the_sparql_endpoint_answers_on_the_generated_data(client, generated_store):
    query = "SELECT (COUNT(DISTINCT ?o) AS ?n) { ?o a <http://www.w3.org/ns/org#Organization> }"
    response = client.get(
        "/sparql", params={"query": query}, headers={"accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    served = int(response.json()["results"]["bindings"][0]["n"]["value"])
    expected = count(generated_store, query)
    assert served == expected > 0


def test_released_dumps_hold_the_default_graph(released, generated_store):
    ttl = Path(released["directory"]) / "maillage.ttl"
    dumped = ox.Store()
    dumped.bulk_load(path=str(ttl), format=ox.RdfFormat.TURTLE)
    assert len(dumped) == released["default_graph_triples"] > 0
