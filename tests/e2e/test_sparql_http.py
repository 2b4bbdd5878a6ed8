"""Protocol details over plain HTTP: content negotiation with q-values, the ``format`` override,
``Vary``, HEAD, OPTIONS, CORS (errors included), the Service Description and the hand-over of
browsers to the query page."""

from __future__ import annotations

import httpx
import pytest
from sparql_live import live_server, write_release

from maillage.settings import Settings

SELECT = "SELECT ?x WHERE { BIND(1 AS ?x) }"
CONSTRUCT = "CONSTRUCT { <urn:a> <urn:b> 1 } WHERE {}"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    var_dir = write_release(tmp_path_factory.mktemp("var"))
    with live_server(Settings(var_dir=var_dir)) as base:
        yield base + "/sparql"


@pytest.fixture(scope="module")
def client():
    with httpx.Client(timeout=30) as shared:
        yield shared


def media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0]


@pytest.mark.parametrize(
    ("query", "accept", "expected"),
    [
        (SELECT, None, "application/sparql-results+json"),
        (SELECT, "*/*", "application/sparql-results+json"),
        (
            SELECT,
            "text/csv;q=0.5, application/sparql-results+xml",
            "application/sparql-results+xml",
        ),
        (SELECT, "application/sparql-results+json;q=0.1, text/*;q=0.9", "text/csv"),
        (SELECT, "text/tab-separated-values, text/csv;q=0.9", "text/tab-separated-values"),
        (SELECT, "application/json", "application/sparql-results+json"),
        (SELECT, BROWSER, "application/sparql-results+xml"),
        (CONSTRUCT, None, "text/turtle"),
        (CONSTRUCT, "application/ld+json;q=0.9, text/turtle;q=0.1", "application/ld+json"),
        (CONSTRUCT, "application/n-triples", "application/n-triples"),
        (CONSTRUCT, "application/trig, application/n-quads;q=0.5", "application/trig"),
        (CONSTRUCT, "application/*", "application/n-triples"),
        (
            "ASK {}",
            "text/turtle, application/sparql-results+xml;q=0.2",
            "application/sparql-results+xml",
        ),
    ],
)
def test_accept_with_q_values(client, endpoint, query, accept, expected):
    headers = {"Accept": accept} if accept else {}
    response = client.get(endpoint, params={"query": query}, headers=headers)
    assert response.status_code == 200
    assert media_type(response) == expected
    assert "Accept" in response.headers["vary"]


@pytest.mark.parametrize(
    ("query", "name", "expected"),
    [
        (SELECT, "json", "application/sparql-results+json"),
        (SELECT, "xml", "application/sparql-results+xml"),
        (SELECT, "csv", "text/csv"),
        (SELECT, "tsv", "text/tab-separated-values"),
        (SELECT, "text/csv", "text/csv"),
        (CONSTRUCT, "turtle", "text/turtle"),
        (CONSTRUCT, "ntriples", "application/n-triples"),
        (CONSTRUCT, "jsonld", "application/ld+json"),
        (CONSTRUCT, "rdfxml", "application/rdf+xml"),
        (CONSTRUCT, "trig", "application/trig"),
        (CONSTRUCT, "nquads", "application/n-quads"),
        (CONSTRUCT, "json", "application/ld+json"),
        (CONSTRUCT, "xml", "application/rdf+xml"),
    ],
)
def test_format_parameter_wins_over_accept(client, endpoint, query, name, expected):
    for method in ("GET", "POST"):
        params = {"query": query, "format": name}
        headers = {"Accept": "application/sparql-results+json, text/turtle"}
        if method == "GET":
            response = client.get(endpoint, params=params, headers=headers)
        else:
            response = client.post(endpoint, data=params, headers=headers)
        assert response.status_code == 200
        assert media_type(response) == expected


def test_results_are_right_in_each_format(client, endpoint):
    def answer(name: str) -> str:
        return client.get(endpoint, params={"query": SELECT, "format": name}).text

    assert '"value":"1"' in answer("json")
    assert "<literal datatype=" in answer("xml") and ">1</literal>" in answer("xml")
    assert answer("csv").splitlines() == ["x", "1"]
    assert answer("tsv").splitlines() == ["?x", "1"]


def test_relative_iris_resolve_against_the_canonical_endpoint(client, endpoint):
    response = client.get(endpoint, params={"query": "SELECT ?x WHERE { BIND(<id/x> AS ?x) }"})
    assert (
        response.json()["results"]["bindings"][0]["x"]["value"] == "https://w3id.org/maillage/id/x"
    )


def test_head_answers_like_get_without_a_body(client, endpoint):
    response = client.head(endpoint, params={"query": SELECT, "format": "csv"})
    assert response.status_code == 200
    assert media_type(response) == "text/csv"
    assert response.content == b""
    response = client.head(endpoint, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert media_type(response) == "text/turtle"


def test_options_lists_the_methods(client, endpoint):
    response = client.options(endpoint)
    assert response.status_code == 204
    assert response.headers["allow"] == "GET, HEAD, POST, OPTIONS"


def test_cors_preflight_and_headers_on_answers_and_errors(client, endpoint):
    origin = {"Origin": "https://example.org"}
    preflight = client.options(
        endpoint,
        headers={
            **origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
    for params in ({"query": SELECT}, {"query": "ASK {"}, {"update": "CLEAR ALL"}):
        response = client.get(endpoint, params=params, headers=origin)
        assert response.headers["access-control-allow-origin"] == "*"


def test_errors_are_plain_text_sentences(client, endpoint):
    response = client.get(endpoint, params={"query": "ASK {"})
    assert response.status_code == 400
    assert media_type(response) == "text/plain"
    assert response.text.startswith("SPARQL syntax error at line 1, column 6")


def test_a_browser_is_sent_to_the_query_page(client, endpoint):
    response = client.get(endpoint, headers={"Accept": BROWSER})
    assert response.status_code == 303
    assert response.headers["location"] == "/query"
    assert "Accept" in response.headers["vary"]


def test_the_service_description_by_format_parameter(client, endpoint):
    response = client.get(endpoint, params={"format": "jsonld"}, headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert media_type(response) == "application/ld+json"


def test_the_service_description_refuses_what_it_cannot_be(client, endpoint):
    response = client.get(endpoint, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 406
    assert "text/turtle" in response.text


def test_other_methods_are_not_allowed(client, endpoint):
    response = client.put(endpoint, params={"query": "ASK {}"})
    assert response.status_code == 405
