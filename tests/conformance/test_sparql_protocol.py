"""The W3C SPARQL 1.1 Protocol suite (``../shared/test-suites/sparql11-protocol/manifest.ttl``),
run request by request against a live server.

Adapted to our data, not excluded:

- the suite's graphs ``<http://kasei.us/2009/09/sparql/data/dataN.rdf>`` (its ``ut:graphData``)
  are loaded as claim graphs ``<https://w3id.org/maillage/id/claim/w3c-protocol/dataN.rdf>``, and
  every IRI of that namespace in the requests (raw or percent-encoded) is mapped the same way:
  the endpoint refuses graphs outside our namespace, which the suite never tests;
- the seven ``update_*`` tests expect a read-write service (2xx, then an ASK seeing the change).
  This endpoint is read-only, so each is run inverted: its first request, the update, must be
  refused with a 4xx (and the data must be unchanged afterwards).

No test of the suite is skipped.
"""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF
from sparql_live import PROTOCOL_SUITE, live_server, to_ours, write_release

from maillage.settings import Settings

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
TABULAR = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
BOOLEAN = {"application/sparql-results+json", "application/sparql-results+xml"}


def manifest() -> tuple[rdflib.Graph, list[rdflib.URIRef]]:
    g = rdflib.Graph().parse(PROTOCOL_SUITE / "manifest.ttl", format="turtle")
    root = next(g.subjects(RDF.type, MF.Manifest))
    return g, list(Collection(g, g.value(root, MF.entries)))


GRAPH, TESTS = manifest()


def test_the_suite_is_all_there():
    assert len(TESTS) == 34
    assert sum(str(t).rsplit("#", 1)[1].startswith("update_") for t in TESTS) == 7


def requests_of(test: rdflib.URIRef) -> list[dict]:
    g = GRAPH
    action = g.value(g.value(test, MF.action), HT.requests)
    return [_request(g, r) for r in Collection(g, action)]


def _request(g: rdflib.Graph, r: rdflib.term.Node) -> dict:
    headers = {}
    if (listed := g.value(r, HT.headers)) is not None:
        for h in Collection(g, listed):
            headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
    data = None
    if (body := g.value(r, HT.body)) is not None:
        encoding = str(g.value(body, CNT.characterEncoding) or "UTF-8")
        data = to_ours(str(g.value(body, CNT.chars))).encode(encoding)
    resp = g.value(r, HT.resp)
    return {
        "method": str(g.value(r, HT.methodName)),
        "path": to_ours(str(g.value(r, HT.absolutePath))),
        "headers": headers,
        "body": data,
        "status": {
            str(s).rsplit("StatusCode", 1)[1][0] for s in g.objects(resp, MF.expectedStatus)
        },
        "format": None if (f := g.value(resp, MF.expectedFormat)) is None else str(f),
        "boolean": None if (b := g.value(resp, MF.expectedBoolean)) is None else b.toPython(),
    }


def adapted(test: rdflib.URIRef) -> list[dict]:
    """The requests to send; an update test becomes "the update is refused with a 4xx"."""
    requests = requests_of(test)
    if str(test).rsplit("#", 1)[1].startswith("update_"):
        return [dict(requests[0], status={"4"}, format=None, boolean=None)]
    return requests


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    var_dir = write_release(tmp_path_factory.mktemp("var"))
    with live_server(Settings(var_dir=var_dir)) as base:
        yield base + "/sparql"


def send(endpoint: str, request: dict) -> tuple[int, str, bytes]:
    url = urlsplit(endpoint)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        path = request["path"].replace("/sparql/", url.path, 1)
        conn.request(request["method"], path, body=request["body"], headers=request["headers"])
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        conn.close()


def check_body(request: dict, content_type: str, payload: bytes) -> None:
    media_type = content_type.split(";")[0].strip().lower()
    if request["format"] == "boolean":
        assert media_type in BOOLEAN
        if media_type == "application/sparql-results+json":
            value = json.loads(payload)["boolean"]
        else:
            value = b"<boolean>true</boolean>" in payload
        if request["boolean"] is not None:
            assert value == request["boolean"]
    elif request["format"] == "tabular":
        assert media_type in TABULAR
    elif request["format"] == "RDF":
        rdflib.Graph().parse(data=payload, format=media_type)


@pytest.mark.parametrize("test", TESTS, ids=lambda t: str(t).rsplit("#", 1)[1])
def test_protocol(endpoint, test):
    for request in adapted(test):
        status, content_type, payload = send(endpoint, request)
        assert str(status)[0] in request["status"], (status, payload[:200])
        if status < 300:
            check_body(request, content_type, payload)


def test_updates_changed_nothing(endpoint):
    """After the refused updates (``CLEAR ALL`` among them) the suite's graphs are still there."""
    query = "ASK { GRAPH ?g { ?doc a <http://xmlns.com/foaf/0.1/Document> } }"
    request = {
        "method": "POST",
        "path": "/sparql/",
        "body": query.encode(),
        "headers": {"Content-Type": "application/sparql-query"},
    }
    status, _, payload = send(endpoint, request)
    assert status == 200
    assert json.loads(payload)["boolean"] is True
