"""``maillage query``: the engine the server uses, under the same deadline and caps, with the
endpoint's prefixes and readable errors (issue 7: it used to run with no deadline)."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from sparql_live import write_release

from maillage.cli import main

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    return write_release(tmp_path_factory.mktemp("var"))


@pytest.fixture
def env(monkeypatch, var_dir):
    monkeypatch.setenv("MAILLAGE_VAR_DIR", str(var_dir))
    monkeypatch.setenv("MAILLAGE_QUERY_TIMEOUT_S", "1")
    monkeypatch.setenv("MAILLAGE_RESULT_MAX_ROWS", "5")


def test_a_query_without_prefix_lines_answers_in_the_chosen_format(env, capsysbinary):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?o a org:Organization }"
    assert main(["query", query, "--format", "json"]) == 0
    assert b'"vars":["n"]' in capsysbinary.readouterr().out


def test_a_graph_query_answers_in_turtle(env, capsysbinary):
    assert main(["query", "CONSTRUCT WHERE { ?s a org:Organization } LIMIT 1"]) == 0
    graph = Graph().parse(data=capsysbinary.readouterr().out, format="turtle")
    assert [o for _, _, o in graph] == [URIRef("http://www.w3.org/ns/org#Organization")]


def test_the_deadline_stops_a_runaway_query(env, capsys):
    assert main(["query", HEAVY]) == 1
    assert "ran past the 1 s deadline" in capsys.readouterr().err


def test_the_row_cap_is_an_error_not_a_cut(env, capsys):
    assert main(["query", "SELECT * WHERE { ?s ?p ?o }"]) == 1
    assert "more than 5 rows" in capsys.readouterr().err
