"""Real SPARQL clients against a live server: SPARQLWrapper in every result format and request
method, rdflib's SPARQLStore and SPARQLConnector, and plain httpx for the remaining syntaxes."""

from __future__ import annotations

import csv
import io
import json

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlconnector import SPARQLConnector
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.util import from_n3
from sparql_live import CLAIM, LABEL, ORG, ORG_COUNT, live_server, write_release
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from maillage.settings import Settings
from maillage.store import GRAPH_MEDIA_TYPES

LABELS = f"SELECT ?label WHERE {{ <{ORG}o1> <{LABEL}> ?label }}"
CONSTRUCT = (
    f"CONSTRUCT {{ ?org <{LABEL}> ?label }} WHERE {{ ?org <{LABEL}> ?label }} ORDER BY ?org LIMIT 3"
)
# rdflib 7.6 (and SPARQLWrapper on top of it) builds ConjunctiveGraphs and warns about it.
RDFLIB_DEPRECATION = pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"
)


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    var_dir = write_release(tmp_path_factory.mktemp("var"))
    with live_server(Settings(var_dir=var_dir)) as base:
        yield base + "/sparql"


def wrapper(endpoint: str, query: str, result_format: str, method: str = "GET") -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(result_format)
    if method != "GET":
        client.setMethod(POST)
        client.setRequestMethod(URLENCODED if method == "POST-form" else POSTDIRECTLY)
    return client


def labels_from(result_format: str, converted) -> list[str]:
    if result_format == JSON:
        return [row["label"]["value"] for row in converted["results"]["bindings"]]
    if result_format == XML:
        return [node.firstChild.data for node in converted.getElementsByTagName("literal")]
    text = converted.decode()
    if result_format == CSV:
        return [row[0] for row in list(csv.reader(io.StringIO(text)))[1:]]
    return [from_n3(line.split("\t")[0]).value for line in text.splitlines()[1:]]


@pytest.mark.parametrize("method", ["GET", "POST-form", "POST-direct"])
@pytest.mark.parametrize("result_format", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select(endpoint, result_format, method):
    result = wrapper(endpoint, LABELS, result_format, method).query()
    assert labels_from(result_format, result.convert()) == ["Organisation 1"]


@pytest.mark.parametrize("result_format", [JSON, XML])
def test_sparqlwrapper_ask(endpoint, result_format):
    converted = wrapper(endpoint, f"ASK {{ <{ORG}o1> ?p ?o }}", result_format).query().convert()
    if result_format == JSON:
        assert converted["boolean"] is True
    else:
        assert converted.getElementsByTagName("boolean")[0].firstChild.data == "true"


def expected_construct() -> rdflib.Graph:
    g = rdflib.Graph()
    for i in sorted(range(ORG_COUNT), key=lambda i: f"{ORG}o{i}")[:3]:
        g.add(
            (
                rdflib.URIRef(f"{ORG}o{i}"),
                rdflib.URIRef(LABEL),
                rdflib.Literal(f"Organisation {i}", lang="fr"),
            )
        )
    return g


@pytest.mark.parametrize("result_format", [TURTLE, N3])
def test_sparqlwrapper_construct_as_turtle(endpoint, result_format):
    result = wrapper(endpoint, CONSTRUCT, result_format).query()
    assert result.info()["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=result.convert(), format="turtle")
    assert isomorphic(g, expected_construct())


@RDFLIB_DEPRECATION
@pytest.mark.parametrize("result_format", [JSONLD, RDFXML, XML])
def test_sparqlwrapper_construct_as_graph(endpoint, result_format):
    converted = wrapper(endpoint, CONSTRUCT, result_format).query().convert()
    g = rdflib.Graph()
    for triple in converted.triples((None, None, None)):
        g.add(triple)
    assert isomorphic(g, expected_construct())


@pytest.mark.parametrize("accept", GRAPH_MEDIA_TYPES)
def test_construct_in_every_rdf_syntax(endpoint, accept):
    """Each syntax read back with pyoxigraph's strict parsers."""
    response = httpx.post(endpoint, data={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    parsed = ox.parse(response.content, format=ox.RdfFormat.from_media_type(accept))
    triples = {(str(q.subject), str(q.predicate), str(q.object)) for q in parsed}
    expected = {(s.n3(), p.n3(), o.n3()) for s, p, o in expected_construct()}
    assert triples == expected


def test_jsonld_has_no_remote_context(endpoint):
    response = httpx.get(endpoint, params={"query": CONSTRUCT, "format": "jsonld"})
    assert response.headers["content-type"] == "application/ld+json"
    document = json.loads(response.content)
    contexts = [node.get("@context") for node in document if isinstance(node, dict)]
    assert not any(isinstance(c, str) for c in contexts)
    assert len(document) == 3


def test_describe(endpoint):
    response = httpx.get(endpoint, params={"query": f"DESCRIBE <{ORG}o2>"})
    g = rdflib.Graph().parse(data=response.content, format="turtle")
    assert (
        rdflib.URIRef(f"{ORG}o2"),
        rdflib.URIRef(LABEL),
        rdflib.Literal("Organisation 2", lang="fr"),
    ) in g


def test_sparqlwrapper_default_and_named_graphs(endpoint):
    client = wrapper(endpoint, f"SELECT ?label WHERE {{ ?s <{LABEL}> ?label }}", JSON)
    client.addDefaultGraph(f"{CLAIM}doc-a/c1")
    rows = client.query().convert()["results"]["bindings"]
    assert [r["label"]["value"] for r in rows] == ["claimed name"]
    client = wrapper(endpoint, "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", JSON)
    client.addNamedGraph(f"{CLAIM}doc-a/c1")
    rows = client.query().convert()["results"]["bindings"]
    assert [r["g"]["value"] for r in rows] == [f"{CLAIM}doc-a/c1"]


def test_sparqlwrapper_reports_syntax_errors_with_the_position(endpoint):
    with pytest.raises(QueryBadFormed, match="line 2, column"):
        wrapper(endpoint, "SELECT ?s\nWHERE { ?s ?p }", JSON).query()


def test_sparqlwrapper_update_is_refused(endpoint):
    client = wrapper(endpoint, f"INSERT DATA {{ <{ORG}x> <{LABEL}> 'x' }}", JSON, "POST-form")
    with pytest.raises(QueryBadFormed, match="read-only"):
        client.query()


@pytest.mark.parametrize("return_format", ["json", "xml"])
def test_rdflib_sparqlstore(endpoint, return_format):
    graph = rdflib.Graph(store=SPARQLStore(endpoint, returnFormat=return_format))
    rows = list(graph.query(LABELS))
    assert [str(row[0]) for row in rows] == ["Organisation 1"]
    labels = list(graph.triples((rdflib.URIRef(f"{ORG}o3"), rdflib.URIRef(LABEL), None)))
    assert [str(o) for _, _, o in labels] == ["Organisation 3"]
    assert len(graph) == 2 * ORG_COUNT


# rdflib's own Dataset.query goes through its deprecated API.
@pytest.mark.filterwarnings("ignore:Dataset.*is deprecated:DeprecationWarning")
def test_rdflib_dataset_over_sparqlstore_reads_the_default_graph(endpoint):
    """rdflib's Dataset names its default graph ``urn:x-rdflib:default`` in default-graph-uri;
    the endpoint takes it for its own default graph instead of answering nothing."""
    dataset = rdflib.Dataset(store=SPARQLStore(endpoint, returnFormat="json"))
    rows = list(dataset.query(LABELS))
    assert [str(row[0]) for row in rows] == ["Organisation 1"]


def test_rdflib_sparqlconnector_post(endpoint):
    connector = SPARQLConnector(query_endpoint=endpoint, returnFormat="xml", method="POST")
    assert connector.query(f"ASK {{ <{ORG}o1> ?p ?o }}").askAnswer is True
