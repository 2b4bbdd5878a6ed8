"""Dates at source precision carry normalised bounds, and one FILTER on the bounds gives the same
answer on our endpoint (pyoxigraph) and in rdflib over the Turtle dump, where a FILTER on the
dates themselves does not (``YEAR()`` of an ``xsd:gYear``, a ``gYear`` compared with a date)."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from rdflib import RDFS, SKOS, XSD, Graph, Literal

from maillage.namespaces import MLG
from maillage.pipeline.dates import BOUNDED, first_and_last_day
from maillage.rdfio import prefixes
from server.app import create_app

BASE = "https://w3id.org/maillage/"
QUERIES = {
    "started in 2019, maybe": """
        SELECT ?e ?start WHERE {
          ?e schema:startDate ?start ; mlg:earliestStartDate ?from ; mlg:latestStartDate ?to
          FILTER (?from <= "2019-12-31"^^xsd:date && ?to >= "2019-01-01"^^xsd:date)
        }""",
    "dated within 2019 for certain": """
        SELECT ?s ?date WHERE {
          ?s dcterms:date ?date ; mlg:earliestDate ?from ; mlg:latestDate ?to
          FILTER (?from >= "2019-01-01"^^xsd:date && ?to <= "2019-12-31"^^xsd:date)
        }""",
    "founding year": """
        SELECT ?o (YEAR(?from) AS ?year) WHERE { ?o mlg:earliestFoundingDate ?from }""",
    "started between 2015 and mid-2018": """
        SELECT ?e WHERE {
          ?e mlg:earliestStartDate ?from ; mlg:latestStartDate ?to
          FILTER (?from >= "2015-01-01"^^xsd:date && ?to <= "2018-06-30"^^xsd:date)
        }""",
    "in a month, maybe": """
        SELECT ?s ?p WHERE {
          VALUES (?p ?early ?late) {
            (schema:startDate mlg:earliestStartDate mlg:latestStartDate)
            (dcterms:date mlg:earliestDate mlg:latestDate)
          }
          ?s ?early ?from ; ?late ?to
          FILTER (?from <= "2019-02-28"^^xsd:date && ?to >= "2019-02-01"^^xsd:date)
        }""",
    "per year": """
        SELECT ?year (COUNT(?s) AS ?n) WHERE { ?s mlg:earliestDate ?from BIND (YEAR(?from) AS ?year) }
        GROUP BY ?year""",
}
RAW = {
    "YEAR() of the founding dates": """
        SELECT ?o (YEAR(?d) AS ?year) WHERE { ?o schema:foundingDate ?d }""",
    "start dates compared with a date": """
        SELECT ?e WHERE { ?e schema:startDate ?d FILTER (?d >= "2019-01-01"^^xsd:date) }""",
}


@pytest.fixture(scope="module")
def endpoint(built):
    with TestClient(create_app(built[0])) as client:
        yield client


@pytest.fixture(scope="module")
def dump(release) -> Graph:
    return Graph().parse(release / "maillage.ttl", format="turtle")


def on_endpoint(client: TestClient, query: str) -> set[tuple]:
    response = client.post(
        "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    names = body["head"]["vars"]
    return {
        tuple(row[name]["value"] if name in row else None for name in names)
        for row in body["results"]["bindings"]
    }


def in_rdflib(graph: Graph, query: str) -> set[tuple]:
    result = graph.query(query, initNs=prefixes(BASE))
    return {tuple(None if term is None else str(term) for term in row) for row in result}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_a_filter_on_the_bounds_gives_one_answer_everywhere(endpoint, dump, name):
    ours, rdflibs = on_endpoint(endpoint, QUERIES[name]), in_rdflib(dump, QUERIES[name])
    assert ours, f"{name}: no answer, it proves nothing"
    assert ours == rdflibs, f"{name}: endpoint only {ours - rdflibs}, rdflib only {rdflibs - ours}"


@pytest.mark.parametrize("name", sorted(RAW))
def test_the_same_filter_on_the_dates_themselves_does_not(endpoint, dump, name):
    """What docs/sparql.md warns about: the reason the bounds exist."""
    assert on_endpoint(endpoint, RAW[name]) != in_rdflib(dump, RAW[name])


def test_every_dated_value_has_its_first_and_last_day(dump):
    checked = 0
    for dated, (earliest, latest) in BOUNDED.items():
        for subject, value in dump.subject_objects(dated):
            first, last = first_and_last_day(value)
            assert dump.value(subject, earliest) == Literal(first.isoformat(), datatype=XSD.date)
            assert dump.value(subject, latest) == Literal(last.isoformat(), datatype=XSD.date)
            checked += 1
    assert checked > 50


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        (Literal("2019", datatype=XSD.gYear), "2019-01-01", "2019-12-31"),
        (Literal("2024-02", datatype=XSD.gYearMonth), "2024-02-01", "2024-02-29"),
        (Literal("2023-02", datatype=XSD.gYearMonth), "2023-02-01", "2023-02-28"),
        (Literal("2019-02-05", datatype=XSD.date), "2019-02-05", "2019-02-05"),
    ],
)
def test_first_and_last_day(value, first, last):
    assert first_and_last_day(value) == (dt.date.fromisoformat(first), dt.date.fromisoformat(last))


def test_the_ontology_declares_each_bound_with_what_it_bounds(release):
    ontology = Graph().parse(release / "ontology.ttl", format="turtle")
    for dated, pair in BOUNDED.items():
        for bound in pair:
            assert (bound, MLG.boundOf, dated) in ontology
            assert (bound, RDFS.range, XSD.date) in ontology
            for described in (RDFS.label, SKOS.definition):
                languages = {text.language for text in ontology.objects(bound, described)}
                assert languages == {"fr", "en"}, (bound, described)
