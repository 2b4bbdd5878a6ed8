"""The endpoint and ``maillage query`` predeclare the contract's prefixes: a query with no PREFIX
line works by GET, POST form and POST direct; a query's own PREFIX wins; an undeclared prefix is
one sentence naming it and the known ones."""

from __future__ import annotations

import httpx
import pytest
from rdflib import Graph
from sparql_live import ORG_COUNT, live_server, write_release

from maillage.cli import main
from maillage.namespaces import PREFIXES, SH
from maillage.rdfio import prefixes
from maillage.settings import Settings

COUNT = "SELECT (COUNT(?o) AS ?n) WHERE { ?o a org:Organization ; rdfs:label ?l }"
METHODS = ["GET", "POST-form", "POST-direct"]


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    return write_release(tmp_path_factory.mktemp("var"))


@pytest.fixture(scope="module")
def endpoint(var_dir):
    with live_server(Settings(var_dir=var_dir)) as base:
        yield base + "/sparql"


def send(endpoint: str, query: str, method: str) -> httpx.Response:
    headers = {"Accept": "text/csv"}
    if method == "GET":
        return httpx.get(endpoint, params={"query": query}, headers=headers)
    if method == "POST-form":
        return httpx.post(endpoint, data={"query": query}, headers=headers)
    headers["Content-Type"] = "application/sparql-query"
    return httpx.post(endpoint, content=query.encode(), headers=headers)


@pytest.mark.parametrize("method", METHODS)
def test_a_query_without_prefix_lines_works(endpoint, method):
    response = send(endpoint, COUNT, method)
    assert response.status_code == 200, response.text
    assert response.text.split() == ["n", str(ORG_COUNT)]


@pytest.mark.parametrize("method", METHODS)
def test_the_query_s_own_prefix_wins(endpoint, method):
    response = send(endpoint, "PREFIX org: <urn:not-org#>\n" + COUNT, method)
    assert response.status_code == 200, response.text
    assert response.text.split() == ["n", "0"]


@pytest.mark.parametrize("method", METHODS)
def test_an_undeclared_prefix_is_named_with_the_known_ones(endpoint, method):
    response = send(endpoint, "SELECT * WHERE {\n  ?o a orgs:Organization }", method)
    assert response.status_code == 400
    message = response.text.strip()
    assert message.startswith("line 2, column 8: the prefix 'orgs:' is not declared")
    assert all(f" {name}:" in message for name in PREFIXES) and "\n" not in message


def test_maillage_query_knows_the_prefixes_too(var_dir, monkeypatch, capsys):
    monkeypatch.setenv("MAILLAGE_VAR_DIR", str(var_dir))
    assert main(["query", COUNT]) == 0
    assert capsys.readouterr().out.split() == ["n", str(ORG_COUNT)]
    assert main(["query", "SELECT * WHERE { ?s ?p }"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("maillage: SPARQL syntax error at line 1, column 24: expected a term")


def test_the_service_description_declares_them(endpoint):
    response = httpx.get(endpoint, headers={"Accept": "text/turtle"})
    description = Graph().parse(data=response.text, format="turtle")
    declared = {
        str(name): str(namespace)
        for declaration in description.objects(None, SH.declare)
        for name in description.objects(declaration, SH.prefix)
        for namespace in description.objects(declaration, SH.namespace)
    }
    assert declared == prefixes(Settings().base_iri)
