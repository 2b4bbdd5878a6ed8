"""Every JSON-LD document we publish parses with nothing from the network, in three independent
processors (rdflib, PyLD, jsonld.js under node), to exactly the graph of its Turtle / N-Triples /
N-Quads sibling: the release's files, the catalogue, VoID, the service description, the whole
ontology and shapes, and the description of one resource of every class, as the server sends
them."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from jsonld_readers import PARSERS, assert_same_graph, canonical, refuse_network

from maillage import layout

BASE = "https://w3id.org/maillage/"
RELEASE_FILES = {
    layout.DEFAULT_JSONLD: layout.DEFAULT_TURTLE,
    layout.ONTOLOGY_JSONLD: layout.ONTOLOGY_TURTLE,
    layout.SHAPES_JSONLD: layout.SHAPES_TURTLE,
}
"""Each JSON-LD file of the release and its sibling in another syntax."""
CONTEXT_ONLY = {layout.CONTEXT}
"""Our context, published for reuse: a context and no data."""
SERVED = {
    "/catalog.jsonld": "/catalog.nt",
    "/.well-known/void.jsonld": "/.well-known/void.nt",
    "/def.jsonld": "/def.nt",
    "/shapes.jsonld": "/shapes.nt",
}
"""Each JSON-LD document the server builds or serves whole, and its sibling."""


@pytest.fixture
def no_network(monkeypatch):
    refuse_network(monkeypatch)


def test_every_jsonld_file_of_the_release_is_checked(release):
    found = {path.name for path in release.glob("*.jsonld")}
    assert set(RELEASE_FILES), "no JSON-LD file to check"
    assert found == set(RELEASE_FILES) | CONTEXT_ONLY


def test_release_jsonld_embeds_the_published_context(release):
    published = json.loads((release / layout.CONTEXT).read_text())["@context"]
    for name in RELEASE_FILES:
        document = json.loads((release / name).read_text())
        assert document["@context"] == published, f"{name}: context not embedded"


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("name", sorted(RELEASE_FILES))
def test_release_jsonld_is_its_turtle_sibling_offline(release, no_network, name, parser):
    expected = canonical((release / RELEASE_FILES[name]).read_bytes(), ox.RdfFormat.TURTLE)
    assert_same_graph(release / name, parser, expected)


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("path", sorted(SERVED))
def test_served_jsonld_is_its_sibling_offline(client, tmp_path, no_network, path, parser):
    reply = client.get(path)
    assert reply.status_code == 200, path
    assert reply.headers["content-type"].startswith("application/ld+json"), path
    sibling = client.get(SERVED[path])
    assert sibling.status_code == 200, SERVED[path]
    saved = tmp_path / "served.jsonld"
    saved.write_bytes(reply.content)
    assert_same_graph(saved, parser, canonical(sibling.content, ox.RdfFormat.N_TRIPLES))


@pytest.mark.parametrize("parser", PARSERS)
def test_service_description_jsonld_is_its_turtle_offline(client, tmp_path, no_network, parser):
    reply = client.get("/sparql", headers={"accept": "application/ld+json"})
    assert reply.headers["content-type"].startswith("application/ld+json")
    turtle = client.get("/sparql", headers={"accept": "text/turtle"})
    saved = tmp_path / "service.jsonld"
    saved.write_bytes(reply.content)
    assert_same_graph(saved, parser, canonical(turtle.content, ox.RdfFormat.TURTLE))


@pytest.fixture(scope="module")
def one_of_each_class(store) -> list[str]:
    """The first resource (by IRI) of every class that has one under our base; a hash IRI
    (``…/id/document/001#date``) is described with the resource it hangs off."""
    query = f"""SELECT ?class (MIN(STR(?s)) AS ?one) {{
        ?s a ?class FILTER(STRSTARTS(STR(?s), "{BASE}")) }} GROUP BY ?class"""
    return sorted({solution["one"].value.split("#", 1)[0] for solution in store.query(query)})


@pytest.mark.parametrize("parser", PARSERS)
def test_descriptions_of_each_class_are_their_nquads_offline(
    client, one_of_each_class, tmp_path, no_network, parser
):
    assert len(one_of_each_class) >= 10, one_of_each_class
    for iri in one_of_each_class:
        path = "/" + iri[len(BASE) :]
        reply = client.get(path + ".jsonld")
        assert reply.status_code == 200, path
        assert reply.headers["content-type"].startswith("application/ld+json"), path
        nquads = client.get(path + ".nq")
        saved = tmp_path / (path.strip("/").replace("/", "_") + ".jsonld")
        saved.write_bytes(reply.content)
        assert_same_graph(saved, parser, canonical(nquads.content, ox.RdfFormat.N_QUADS))


@pytest.mark.parametrize("parser", PARSERS)
def test_a_not_found_description_is_an_empty_graph_to_every_reader(
    client, tmp_path, no_network, parser
):
    """The 404 in JSON-LD says what was not found without adding a triple, and jsonld.js's
    safe mode accepts it (an unmapped ``error`` key was refused)."""
    reply = client.get("/id/org/nobody-at-all.jsonld")
    assert reply.status_code == 404 and "nobody-at-all" in reply.text
    saved = tmp_path / "missing.jsonld"
    saved.write_bytes(reply.content)
    assert PARSERS[parser](saved).strip() == ""  # read without error, and no statement
