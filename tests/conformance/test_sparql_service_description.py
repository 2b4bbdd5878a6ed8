"""The W3C SPARQL 1.1 Service Description tests
(``../shared/test-suites/sparql11-protocol/service-description/manifest.ttl``): three tests
named in the manifest with no data or expected files, written here from their names.

- ``returns-rdf``: GET on the endpoint returns RDF (in every syntax we offer);
- ``has-endpoint-triple``: it holds ``?service sd:endpoint <the URL requested>``;
- ``conforms-to-schema``: checked with a SHACL rendering of the SD vocabulary's ranges and of
  what SPARQL 1.1 Service Description §3 requires (written here: the W3C gives no shapes).
"""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pyshacl
import pytest
import rdflib
from rdflib.namespace import RDF
from sparql_live import PROTOCOL_SUITE, live_server, write_release

from maillage.settings import Settings

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
MLG = rdflib.Namespace("https://w3id.org/maillage/def/")
SYNTAXES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}
SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <urn:test:> .

ex:Service a sh:NodeShape ; sh:targetClass sd:Service ;
  sh:property [ sh:path sd:endpoint ; sh:minCount 1 ; sh:nodeKind sh:IRI ] ;
  sh:property [ sh:path sd:supportedLanguage ; sh:minCount 1 ;
                sh:in ( sd:SPARQL10Query sd:SPARQL11Query sd:SPARQL11Update ) ] ;
  sh:property [ sh:path sd:resultFormat ; sh:minCount 1 ; sh:nodeKind sh:IRI ;
                sh:pattern "^http://www.w3.org/ns/formats/" ] ;
  sh:property [ sh:path sd:feature ; sh:class sd:Feature ] ;
  sh:property [ sh:path sd:defaultDataset ; sh:maxCount 1 ; sh:class sd:Dataset ] .
ex:Dataset a sh:NodeShape ; sh:targetClass sd:Dataset ;
  sh:property [ sh:path sd:defaultGraph ; sh:maxCount 1 ; sh:class sd:Graph ] ;
  sh:property [ sh:path sd:namedGraph ; sh:class sd:NamedGraph ] .
"""


def test_the_manifest_names_three_tests():
    manifest = rdflib.Graph().parse(PROTOCOL_SUITE / "service-description" / "manifest.ttl")
    tests = {str(t).rsplit("#", 1)[1] for t in manifest.subjects(RDF.type, None) if "#" in str(t)}
    assert tests == {"returns-rdf", "has-endpoint-triple", "conforms-to-schema"}


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    var_dir = write_release(tmp_path_factory.mktemp("var"))
    with live_server(Settings(var_dir=var_dir, query_timeout_s=12.5)) as base:
        yield base + "/sparql"


def description(endpoint: str, accept: str = "text/turtle") -> rdflib.Graph:
    response = httpx.get(endpoint, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    assert "Accept" in response.headers["vary"]
    return rdflib.Graph().parse(data=response.content, format=SYNTAXES[accept])


# rdflib 7.6's JSON-LD parser builds a ConjunctiveGraph internally and warns about it.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("accept", SYNTAXES)
def test_returns_rdf(endpoint, accept):
    assert len(description(endpoint, accept)) > 10


def test_returns_turtle_without_accept(endpoint):
    response = httpx.get(endpoint)
    assert response.headers["content-type"].startswith("text/turtle")


def test_has_endpoint_triple(endpoint):
    g = description(endpoint)
    service = rdflib.URIRef(endpoint)
    assert (service, RDF.type, SD.Service) in g
    assert (service, SD.endpoint, service) in g


def test_conforms_to_schema(endpoint):
    shapes = rdflib.Graph().parse(data=SHAPES, format="turtle")
    conforms, _, report = pyshacl.validate(description(endpoint), shacl_graph=shapes)
    assert conforms, report


def test_advertises_query_only_and_states_the_limits(endpoint):
    g = description(endpoint)
    service = rdflib.URIRef(endpoint)
    assert set(g.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query}
    assert g.value(service, MLG.queryTimeoutSeconds).toPython() == pytest.approx(12.5)
    assert g.value(service, MLG.queryMaxCharacters).toPython() == 20_000
    assert g.value(service, MLG.resultMaxRows).toPython() == 10_000
    comments = {c.language: str(c) for c in g.objects(service, rdflib.RDFS.comment)}
    assert "12.5 s" in comments["en"] and "12.5 s" in comments["fr"]


def test_every_format_is_the_same_bytes_in_every_process():
    """Each HTTP worker writes the description itself: with rdflib's set order it differed by
    hash seed (N-Triples, RDF/XML), so the workers answered one URL with different ETags."""
    program = (
        "import sys; from maillage.settings import Settings; "
        "from server.service_description import MEDIA_TYPES, document; "
        "s = Settings(); "
        "sys.stdout.buffer.write(b''.join(document(s.iris.sparql, s, m) for m in MEDIA_TYPES))"
    )
    bodies = {
        subprocess.run(
            [sys.executable, "-c", program],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(bodies) == 1 and b"prefix-org" in next(iter(bodies))
