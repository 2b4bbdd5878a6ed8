"""The SPARQL endpoint's JSON-LD graphs (CONSTRUCT, DESCRIBE) read offline by rdflib, PyLD and
jsonld.js give exactly the triples of the same query answered in N-Triples (a live server on a
small release)."""

from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest
from jsonld_readers import PARSERS, assert_same_graph, canonical, refuse_network
from ld_server import running_server
from mini_release import ALPHA

QUERIES = {
    "describe": f"DESCRIBE <{ALPHA}>",
    "construct": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
}


@pytest.fixture(scope="module")
def answers(tmp_path_factory) -> dict[str, tuple[bytes, bytes]]:
    """Each query's (JSON-LD, N-Triples) bodies, fetched before the network is refused."""
    found = {}
    with running_server(tmp_path_factory.mktemp("var")) as server:
        for name, query in QUERIES.items():
            bodies = []
            for media_type in ("application/ld+json", "application/n-triples"):
                reply = httpx.get(
                    server.url + "sparql", params={"query": query}, headers={"accept": media_type}
                )
                assert reply.status_code == 200, reply.text
                assert reply.headers["content-type"].startswith(media_type)
                bodies.append(reply.content)
            found[name] = tuple(bodies)
    return found


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("query", sorted(QUERIES))
def test_sparql_jsonld_is_its_ntriples_offline(answers, tmp_path, monkeypatch, query, parser):
    refuse_network(monkeypatch)
    jsonld_body, ntriples = answers[query]
    saved = tmp_path / f"{query}.jsonld"
    saved.write_bytes(jsonld_body)
    assert_same_graph(saved, parser, canonical(ntriples, ox.RdfFormat.N_TRIPLES))
