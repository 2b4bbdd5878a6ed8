"""The remote engine keeps our limits and refusals: a remote that never answers gets our
timeout within limit + 1 s; an over-cap result our 422; SERVICE and updates are refused before
any byte goes to the remote; a remote that is down is our 500."""

from __future__ import annotations

import time

import pytest
from remote_servers import TIMEOUT_S, client, free_port
from sparql_live import connections, silent_listener

SERVICE = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"


def test_a_silent_remote_gets_our_timeout_within_the_limit(built):
    with silent_listener() as (url, listener), client(built[0], sparql_endpoint=url) as test_client:
        started = time.monotonic()
        response = test_client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        seconds = time.monotonic() - started
        assert response.status_code == 503, response.text
        assert f"{TIMEOUT_S:g} s deadline" in response.text
        assert TIMEOUT_S <= seconds < TIMEOUT_S + 1
        assert connections(listener) == 1


@pytest.mark.parametrize(
    "params",
    [{"query": SERVICE}, {"query": "CLEAR ALL"}, {"update": "INSERT DATA { <a:a> <a:b> <a:c> }"}],
)
def test_refused_queries_never_reach_the_remote(built, params):
    with silent_listener() as (url, listener), client(built[0], sparql_endpoint=url) as test_client:
        response = test_client.post("/sparql", data=params)
        assert response.status_code == 400, response.text
        assert connections(listener) == 0


def test_a_remote_that_is_down_is_an_engine_failure(built):
    endpoint = f"http://127.0.0.1:{free_port()}/sparql"
    with client(built[0], sparql_endpoint=endpoint) as test_client:
        response = test_client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert response.status_code == 500
        assert "remote store" in response.text


@pytest.fixture(params=["oxigraph", "virtuoso"])
def small_caps(request, built):
    changes = {"sparql_endpoint": request.getfixturevalue(f"{request.param}_url")}
    if request.param == "virtuoso":
        changes["sparql_endpoint_default_graph"] = "urn:x-maillage:default"
    with client(built[0], result_max_rows=100, result_max_bytes=20_000, **changes) as test_client:
        yield test_client


@pytest.mark.slow
def test_an_oversized_result_is_our_422(small_caps):
    rows = small_caps.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 101"})
    assert rows.status_code == 422 and "more than 100 rows (result_max_rows)" in rows.text
    graph = "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 101"
    triples = small_caps.get("/sparql", params={"query": graph})
    assert triples.status_code == 422 and "result_max_rows" in triples.text
    small = small_caps.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 10"})
    assert small.status_code == 200


@pytest.mark.slow
def test_every_result_format_is_offered(small_caps):
    for accept in ("text/csv", "text/tab-separated-values", "application/sparql-results+xml"):
        response = small_caps.get(
            "/sparql",
            params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"},
            headers={"Accept": accept},
        )
        assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    for accept in ("application/n-triples", "application/ld+json", "application/rdf+xml"):
        response = small_caps.get(
            "/sparql",
            params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3"},
            headers={"Accept": accept},
        )
        assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
