"""The dereferencing rules, checked with curl against a live server: 303 to a description
document chosen by Accept, documents by extension, Vary, Link, 406, 404 in the negotiated
format, 304, HEAD, CORS, and the ontology and shapes served whole (docs/http-api.md)."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from curl_client import curl
from ld_server import running_server
from mini_release import ALPHA, BASE, BETA, CLAIM_MEMBER, CLAIM_OLD, QUOTE_MEMBER
from pyld import jsonld
from rdflib import Graph, URIRef

from maillage.rdfio import refusing_loader

LICENSE = "https://www.etalab.gouv.fr/licence-ouverte-open-licence"
ORG = "http://www.w3.org/ns/org#"
MEMBER_OF = ORG + "memberOf"
FOUNDING = "http://schema.org/foundingDate"
EXTENSIONS = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
    "trig": "application/trig",
    "nq": "application/n-quads",
}


def local(server, iri: str) -> str:
    return server.url + iri[len(BASE) :]


def parsed(body: bytes, extension: str = "ttl") -> set[tuple[str, str, str, str]]:
    """(subject, predicate, object, graph) of a reply, as text; JSON-LD through PyLD with a
    loader that refuses every URL (the context is embedded)."""
    if extension == "jsonld":
        options = {"documentLoader": refusing_loader, "format": "application/n-quads"}
        body = jsonld.to_rdf(json.loads(body), options).encode()
        extension = "nq"
    quads = ox.parse(body, format=ox.RdfFormat.from_extension(extension))
    return {
        (q.subject.value, q.predicate.value, _text(q.object), _text(q.graph_name)) for q in quads
    }


def _text(term) -> str:
    return "" if isinstance(term, ox.DefaultGraph) else term.value


def holds(quads, s=None, p=None, o=None, g=None) -> bool:
    pattern = (s, p, o, g)
    return any(
        all(want is None or want == got for want, got in zip(pattern, q, strict=True))
        for q in quads
    )


@pytest.mark.parametrize(
    ("accept", "extension"),
    [
        (None, "ttl"),
        ("*/*", "ttl"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
        ("application/ld+json", "jsonld"),
        ("application/n-triples", "nt"),
        ("text/turtle;q=0.5, application/rdf+xml", "rdf"),
        ("application/trig", "trig"),
    ],
)
def test_a_thing_is_303_to_the_document_the_client_prefers(ld_server, accept, extension):
    options = ["-H", f"Accept: {accept}"] if accept else []
    reply = curl(local(ld_server, ALPHA), *options)
    assert reply.status == 303
    assert reply.header("location") == local(ld_server, ALPHA) + "." + extension
    assert "Accept" in reply.header("vary")
    assert f'<{LICENSE}>; rel="license"' in reply.header("link")


def test_following_the_303_gives_the_description(ld_server):
    reply = curl(local(ld_server, ALPHA), "--location", "-H", "Accept: text/turtle")
    assert reply.status == 200
    assert reply.header("content-type").startswith("text/turtle")
    quads = parsed(reply.body)
    assert holds(quads, ALPHA, MEMBER_OF, BETA)
    assert holds(quads, BETA, ORG + "hasMember", ALPHA), "incoming link"
    assert holds(quads, BETA, "http://www.w3.org/2004/02/skos/core#prefLabel", "Bêta")
    assert holds(quads, CLAIM_MEMBER + "/quote", "http://www.w3.org/ns/oa#exact", QUOTE_MEMBER)


@pytest.mark.parametrize("extension", sorted(EXTENSIONS))
def test_every_extension_serves_its_format(ld_server, extension):
    media = EXTENSIONS[extension]
    reply = curl(local(ld_server, ALPHA) + "." + extension)
    assert reply.status == 200
    assert reply.header("content-type").split(";")[0] == media
    assert reply.header("etag")
    assert "max-age=" in reply.header("cache-control")
    link = reply.header("link")
    assert f'<{LICENSE}>; rel="license"' in link
    for other, other_media in EXTENSIONS.items():
        alternate = f'<{local(ld_server, ALPHA)}.{other}>; rel="alternate"; type="{other_media}"'
        assert alternate in link
    assert holds(parsed(reply.body, extension), ALPHA, MEMBER_OF, BETA)


def test_the_html_page_is_a_page(ld_server):
    reply = curl(local(ld_server, ALPHA) + ".html")
    assert reply.status == 200
    assert reply.header("content-type").startswith("text/html")
    assert b"Alpha" in reply.body


def test_named_graphs_say_which_claim_states_what(ld_server):
    trig = parsed(curl(local(ld_server, ALPHA) + ".trig").body, "trig")
    assert holds(trig, ALPHA, MEMBER_OF, BETA, CLAIM_MEMBER)
    assert holds(trig, ALPHA, FOUNDING, None, CLAIM_OLD)
    assert not holds(trig, ALPHA, FOUNDING, None, "")
    turtle = parsed(curl(local(ld_server, ALPHA) + ".ttl").body)
    assert not holds(turtle, ALPHA, FOUNDING), "only a deprecated claim says it: not asserted"


def test_no_acceptable_format_is_406_listing_the_offers(ld_server):
    reply = curl(local(ld_server, ALPHA), "-H", "Accept: image/png")
    assert reply.status == 406
    assert b"text/turtle" in reply.body and b"application/ld+json" in reply.body


@pytest.mark.parametrize(
    ("options", "media"),
    [
        (["-H", "Accept: text/turtle"], "text/turtle"),
        (["-H", "Accept: application/ld+json"], "application/ld+json"),
        (["-H", "Accept: application/rdf+xml"], "application/rdf+xml"),
        (["-H", "Accept: text/html"], "text/html"),
    ],
)
def test_an_unknown_iri_is_404_in_the_negotiated_format(ld_server, options, media):
    reply = curl(ld_server.url + "id/org/nobody", *options)
    assert reply.status == 404
    assert reply.header("content-type").split(";")[0] == media
    assert "Accept" in reply.header("vary")


def test_an_unknown_document_is_404_in_the_format_of_its_extension(ld_server):
    reply = curl(ld_server.url + "id/org/nobody.nt")
    assert reply.status == 404
    assert reply.header("content-type") == "application/n-triples"
    assert parsed(reply.body, "nt") == set()


def test_a_known_etag_gets_304(ld_server):
    url = local(ld_server, ALPHA) + ".jsonld"
    etag = curl(url).header("etag")
    assert curl(url, "-H", f"If-None-Match: {etag}").status == 304
    assert curl(url, "-H", 'If-None-Match: "something-else"').status == 200


def test_head_answers_the_headers_without_the_body(ld_server):
    reply = curl(local(ld_server, ALPHA) + ".ttl", "--head")
    assert reply.status == 200
    assert reply.header("content-type").startswith("text/turtle")
    assert reply.body == b""


def test_cors_on_descriptions_and_on_errors(ld_server):
    origin = ["-H", "Origin: https://example.org"]
    assert curl(local(ld_server, ALPHA) + ".ttl", *origin).header("access-control-allow-origin")
    missing = curl(ld_server.url + "id/org/nobody", *origin)
    assert missing.status == 404 and missing.header("access-control-allow-origin")


def test_the_ontology_resolves_whole_and_term_by_term(ld_server):
    whole = curl(ld_server.url + "def/")
    assert whole.status == 303 and whole.header("location") == ld_server.url + "def.ttl"
    assert holds(parsed(curl(ld_server.url + "def.ttl").body), BASE + "def/Claim")
    version = curl(ld_server.url + "def/1.0.0", "--location")
    assert holds(parsed(version.body), BASE + "def/Claim")
    term = curl(ld_server.url + "def/Claim")
    assert term.header("location") == ld_server.url + "def/Claim.ttl"


def test_the_shapes_resolve_whole_and_shape_by_shape(ld_server):
    assert curl(ld_server.url + "shapes/").header("location") == ld_server.url + "shapes.ttl"
    shapes = parsed(curl(ld_server.url + "shapes.ttl").body)
    assert holds(shapes, BASE + "shapes/OrganizationShape")
    shape = curl(ld_server.url + "shapes/OrganizationShape", "--location")
    assert shape.status == 200


def test_the_json_ld_context_is_served(ld_server):
    reply = curl(ld_server.url + "context.jsonld")
    assert reply.status == 200
    assert reply.header("content-type") == "application/ld+json"
    assert json.loads(reply.body)["@context"]["org"] == ORG
    etag = reply.header("etag")
    assert curl(ld_server.url + "context.jsonld", "-H", f"If-None-Match: {etag}").status == 304


@pytest.fixture(scope="module")
def ld_server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("var")) as server:
        yield server


def test_text_plain_gets_n_triples_as_rdflib_asks_for_it(ld_server):
    """rdflib's ``Graph.parse(url, format="nt")`` sends ``Accept: text/plain, */*;q=0.1``
    (N-Triples' type before RDF 1.1): it must get N-Triples, not Turtle its parser cannot read."""
    reply = curl(local(ld_server, ALPHA), "-H", "Accept: text/plain, */*;q=0.1")
    assert reply.status == 303 and reply.header("location").endswith("/id/org/alpha.nt")
    graph = Graph().parse(local(ld_server, ALPHA), format="nt")
    assert (URIRef(ALPHA), URIRef(MEMBER_OF), URIRef(BETA)) in graph
