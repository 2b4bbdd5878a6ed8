"""``deploy/w3id/.htaccess``, the file registered at w3id.org, run by Debian's Apache httpd in
front of a live server: a canonical IRI followed by curl, rdflib and SPARQLWrapper reaches the
right description in the format the client asks for, because the redirect keeps the path, the
extension and the query string and never picks a format (the client re-sends its Accept).

Fails, never skips, when apache2 is missing: ``make tools`` installs it."""

from __future__ import annotations

import json
import warnings

import pyoxigraph as ox
import pytest
import rdflib
import w3id_apache
from curl_client import curl
from ld_server import running_server
from mini_release import ALPHA, BASE, BETA
from pyld import jsonld
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper
from w3id_apache import running_w3id

from maillage.rdfio import refusing_loader

MEMBER_OF = "http://www.w3.org/ns/org#memberOf"
HTML_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.N_QUADS,  # read by PyLD, offline, into N-Quads
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
}


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """(our server's URL, the w3id stand-in's ``…/maillage/`` URL)."""
    var_dir = tmp_path_factory.mktemp("var")
    with running_server(var_dir) as server, running_w3id(server.url) as w3id:
        yield server.url, w3id


def on_w3id(w3id: str, iri: str) -> str:
    """The canonical IRI ``https://w3id.org/maillage/…`` on the stand-in."""
    return w3id + iri[len(BASE) :]


def triples(body: bytes, media_type: str) -> set[tuple[str, str, str]]:
    if media_type == "application/ld+json":
        options = {"documentLoader": refusing_loader, "format": "application/n-quads"}
        body = jsonld.to_rdf(json.loads(body), options).encode()
    parsed = ox.parse(body, format=FORMATS[media_type])
    return {(q.subject.value, q.predicate.value, q.object.value) for q in parsed}


@pytest.mark.parametrize("accept", [None, "text/turtle", "application/ld+json", HTML_ACCEPT])
def test_the_redirect_keeps_the_path_and_never_picks_a_format(servers, accept):
    server, w3id = servers
    options = ["-H", f"Accept: {accept}"] if accept else []
    reply = curl(on_w3id(w3id, ALPHA), *options)
    assert reply.status == 303
    assert reply.header("location") == server + "id/org/alpha"
    assert reply.header("access-control-allow-origin") == "*"


@pytest.mark.parametrize("media_type", sorted(FORMATS))
def test_curl_follows_a_canonical_iri_to_the_description_it_asks_for(servers, media_type):
    _server, w3id = servers
    reply = curl(on_w3id(w3id, ALPHA), "--location", "-H", f"Accept: {media_type}")
    assert reply.status == 200
    assert reply.header("content-type").split(";")[0] == media_type
    assert (ALPHA, MEMBER_OF, BETA) in triples(reply.body, media_type)


def test_curl_follows_a_canonical_iri_to_the_html_page(servers):
    _server, w3id = servers
    reply = curl(on_w3id(w3id, ALPHA), "--location", "-H", f"Accept: {HTML_ACCEPT}")
    assert reply.status == 200
    assert reply.header("content-type").startswith("text/html")
    assert f"<code>{ALPHA}</code>".encode() in reply.body
    assert b"Alpha" in reply.body


def test_an_extension_is_kept_whatever_the_client_accepts(servers):
    server, w3id = servers
    first = curl(on_w3id(w3id, ALPHA) + ".nt", "-H", "Accept: application/ld+json")
    assert first.header("location") == server + "id/org/alpha.nt"
    reply = curl(on_w3id(w3id, ALPHA) + ".nt", "--location", "-H", "Accept: application/ld+json")
    assert reply.header("content-type").split(";")[0] == "application/n-triples"
    assert (ALPHA, MEMBER_OF, BETA) in triples(reply.body, "application/n-triples")


@pytest.mark.parametrize(
    ("suffix", "rdf_format"),
    [("", None), ("", "turtle"), ("", "json-ld"), ("", "xml"), (".nt", None)],
)
def test_rdflib_parses_a_canonical_iri(servers, suffix, rdf_format):
    """rdflib negotiates (its Accept follows ``format``; without one it lists every syntax it
    reads and parses what the Content-Type says) and follows both 303s. N-Triples by extension:
    for ``format="nt"`` rdflib asks for ``text/plain``, which we do not offer (Turtle comes)."""
    _server, w3id = servers
    graph = rdflib.Graph()
    with warnings.catch_warnings():
        # rdflib 7.6's JSON-LD parser builds its own deprecated ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        graph.parse(on_w3id(w3id, ALPHA) + suffix, format=rdf_format)
    assert (rdflib.URIRef(ALPHA), rdflib.URIRef(MEMBER_OF), rdflib.URIRef(BETA)) in graph


def test_sparqlwrapper_queries_the_endpoint_through_its_canonical_iri(servers):
    _server, w3id = servers
    client = SPARQLWrapper(on_w3id(w3id, BASE + "sparql"))
    client.setQuery(f"SELECT ?o WHERE {{ <{ALPHA}> <{MEMBER_OF}> ?o }}")
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert [row["o"]["value"] for row in rows] == [BETA]


def test_sparqlwrapper_describes_a_resource_through_the_endpoint_iri(servers):
    _server, w3id = servers
    client = SPARQLWrapper(on_w3id(w3id, BASE + "sparql"))
    client.setQuery(f"DESCRIBE <{ALPHA}>")
    client.setReturnFormat(TURTLE)
    body = client.query().convert()
    assert (ALPHA, MEMBER_OF, BETA) in triples(body, "text/turtle")


def test_a_posted_query_keeps_its_method_and_body_through_the_redirect(servers):
    """307 for the endpoint: curl re-sends the POST, form and all, to our server."""
    server, w3id = servers
    query = f"SELECT ?o WHERE {{ <{ALPHA}> <{MEMBER_OF}> ?o }}"
    first = curl(on_w3id(w3id, BASE + "sparql"), "--data-urlencode", f"query={query}")
    assert first.status == 307
    assert first.header("location") == server + "sparql"
    reply = curl(
        on_w3id(w3id, BASE + "sparql"),
        "--location",
        "--data-urlencode",
        f"query={query}",
        "-H",
        "Accept: application/sparql-results+json",
    )
    assert reply.status == 200
    bindings = json.loads(reply.body)["results"]["bindings"]
    assert [row["o"]["value"] for row in bindings] == [BETA]


def test_a_missing_apache_is_a_clear_failure_not_a_skip(monkeypatch):
    monkeypatch.setattr(w3id_apache, "APACHE", w3id_apache.APACHE.with_name("no-such-apache2"))
    with pytest.raises(w3id_apache.ApacheMissing, match="make tools"):
        w3id_apache.require_apache()
