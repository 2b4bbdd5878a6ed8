"""Following a retired IRI with real clients, on a real server (uvicorn on a free port) serving
release B of ``release_history``: A published NXU twice, as ``org/nxu`` and as the duplicate
``org/next-humanity``; B merged the duplicate (its redirects.yaml record). The old IRI, asked in
every format with curl, rdflib and Chromium, answers 301 to NXU's IRI, which answers 303 to its
description (200), or, asked as a document (``.ttl``), 301 to NXU's document in that format. A
withdrawn IRI of the real data answers 410 in every format, saying when and why. The retired
IRIs' triples stay queryable at /sparql."""

from __future__ import annotations

import gzip
import json
import subprocess
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from curl_client import curl, hops
from ld_server import LiveServer, serving
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS

from maillage.layout import DEFAULT_NTRIPLES, RELEASES_DIR
from server.representations import DESCRIPTIONS, HTML

BASE = "https://w3id.org/maillage/"
OLD, NEW = "id/org/next-humanity", "id/org/nxu"
WITHDRAWN = "id/site/airbus-toulouse"
RDF = [r for r in DESCRIPTIONS if r is not HTML]
RDFLIB_FORMATS = {
    "ttl": "turtle",
    "jsonld": "json-ld",
    "nt": "nt",
    "rdf": "xml",
    "trig": "trig",
    "nq": "nquads",
}


@pytest.fixture(scope="module")
def server(release_history, tmp_path_factory) -> Iterator[LiveServer]:
    log = tmp_path_factory.mktemp("server") / "server.log"
    with serving(release_history.settings.var_dir, log) as live:
        yield live


def dump_subjects(release_history, release: str) -> dict[str, set[str]]:
    """A release's default-graph dump: the predicates said of each subject."""
    path = release_history.settings.var_dir / RELEASES_DIR / release / DEFAULT_NTRIPLES
    said: dict[str, set[str]] = {}
    for quad in ox.parse(gzip.decompress(path.read_bytes()), format=ox.RdfFormat.N_TRIPLES):
        said.setdefault(quad.subject.value, set()).add(quad.predicate.value)
    return said


def test_a_described_the_duplicate_and_b_says_only_that_it_is_replaced(release_history):
    assert release_history.duplicate == BASE + OLD and release_history.survivor == BASE + NEW
    in_a = dump_subjects(release_history, release_history.a)[BASE + OLD]
    assert {str(SKOS.prefLabel), "http://www.w3.org/ns/org#classification"} <= in_a
    in_b = dump_subjects(release_history, release_history.b)[BASE + OLD]
    assert in_b == {str(OWL.deprecated), str(DCTERMS.isReplacedBy), *RETIREMENT}


RETIREMENT = {str(DCTERMS.modified), str(SKOS.changeNote)}


@pytest.mark.parametrize("representation", DESCRIPTIONS, ids=lambda r: r.extension)
def test_curl_follows_the_old_iri_301_then_303_to_the_successors_description(
    server, representation
):
    raw = subprocess.run(
        ["curl", "-s", "-i", "-L", "-H", f"Accept: {representation.media_type}", server.url + OLD],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    document = f"{server.url}{NEW}.{representation.extension}"
    assert hops(raw) == [(301, server.url + NEW), (303, document), (200, None)]
    final = curl(server.url + OLD, "-L", "-H", f"Accept: {representation.media_type}")
    assert final.header("content-type").split(";")[0] == representation.media_type
    if representation is HTML:
        assert "<h1" in final.body.decode() and "NXU" in final.body.decode()
    else:
        assert holds_merge(final.body, representation.extension)


@pytest.mark.parametrize("representation", DESCRIPTIONS, ids=lambda r: r.extension)
def test_curl_follows_the_old_document_301_to_the_successors_document(server, representation):
    ext = representation.extension
    moved = curl(f"{server.url}{OLD}.{ext}")
    assert moved.status == 301 and moved.header("location") == f"{server.url}{NEW}.{ext}"
    assert moved.header("content-type").split(";")[0] == representation.media_type
    if representation is not HTML:  # the 301's own body says where it went
        said = parse(moved.body, ext)
        assert (URIRef(BASE + OLD), DCTERMS.isReplacedBy, URIRef(BASE + NEW)) in said
    final = curl(f"{server.url}{OLD}.{ext}", "-L")
    assert final.status == 200
    if representation is not HTML:
        assert holds_merge(final.body, ext)


# rdflib 7.6 parses JSON-LD, TriG and N-Quads through its own deprecated API.
@pytest.mark.filterwarnings("ignore:Dataset.*is deprecated:DeprecationWarning")
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("ext", [e for e in RDFLIB_FORMATS if e != "nq"], ids=str)
def test_rdflib_follows_the_old_iri_with_content_negotiation(server, ext):
    """rdflib asks for the format it is told to parse (Accept), follows 301 and 303 with
    urllib, and parses what it ends at. (Told ``nquads``, rdflib 7.6 sends every type it
    reads, Turtle among them at the same weight, so it gets Turtle: curl asks for N-Quads.)"""
    graph = Dataset() if ext in ("trig", "nq") else Graph()
    graph.parse(server.url + OLD, format=RDFLIB_FORMATS[ext])
    assert (URIRef(BASE + OLD), DCTERMS.isReplacedBy, URIRef(BASE + NEW)) in graph
    assert (URIRef(BASE + NEW), SKOS.prefLabel, Literal("NXU", lang="fr")) in graph


def test_rdflib_without_a_format_follows_the_old_iri_too(server):
    graph = Graph().parse(server.url + OLD)
    assert (URIRef(BASE + NEW), SKOS.prefLabel, Literal("NXU", lang="fr")) in graph


def test_chromium_lands_on_the_successors_page(server, browser):
    browser.get(server.url + OLD)
    assert browser.current_url == f"{server.url}{NEW}.html"
    assert "NXU" in browser.title


@pytest.mark.parametrize("representation", DESCRIPTIONS, ids=lambda r: r.extension)
def test_a_withdrawn_iri_of_the_real_data_is_gone_in_every_format(server, representation):
    for reply in (
        curl(f"{server.url}{WITHDRAWN}.{representation.extension}"),
        curl(server.url + WITHDRAWN, "-L", "-H", f"Accept: {representation.media_type}"),
    ):
        assert reply.status == 410 and reply.header("location") is None
        assert reply.header("content-type").split(";")[0] == representation.media_type
        if representation is HTML:
            text = reply.body.decode()
            assert "Identifiant retiré" in text and "5 décembre 2026" in text
            assert "the site was a guess" in text
        else:
            said = parse(reply.body, representation.extension)
            node = URIRef(BASE + WITHDRAWN)
            assert (node, OWL.deprecated, Literal(True)) in said
            assert said.value(node, DCTERMS.isReplacedBy) is None
            assert str(said.value(node, DCTERMS.modified)) == "2026-12-05"
            assert "the site was a guess" in str(said.value(node, SKOS.changeNote))


def test_the_retired_iris_stay_queryable(server):
    query = f"""PREFIX owl: <http://www.w3.org/2002/07/owl#>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    SELECT ?old ?new {{ ?old owl:deprecated true OPTIONAL {{ ?old dcterms:isReplacedBy ?new }}
    FILTER(?old IN (<{BASE}{OLD}>, <{BASE}{WITHDRAWN}>)) }} ORDER BY ?old"""
    reply = curl(
        server.url + "sparql",
        "--data-urlencode",
        f"query={query}",
        "-H",
        "Accept: application/sparql-results+json",
    )
    assert reply.status == 200
    rows = [
        (row["old"]["value"], row.get("new", {}).get("value"))
        for row in json.loads(reply.body)["results"]["bindings"]
    ]
    assert rows == [(BASE + OLD, BASE + NEW), (BASE + WITHDRAWN, None)]


def parse(body: bytes, ext: str) -> Graph:
    """A reply's statements (named graphs merged), read by pyoxigraph."""
    triples = [q.triple for q in ox.parse(body, format=ox.RdfFormat.from_extension(ext))]
    return Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")


def holds_merge(body: bytes, ext: str) -> bool:
    """NXU's description, as B publishes it: the duplicate replaced by it, its kind changed."""
    said = parse(body, ext)
    nxu = URIRef(BASE + NEW)
    return (URIRef(BASE + OLD), DCTERMS.isReplacedBy, nxu) in said and (
        nxu,
        URIRef("http://www.w3.org/ns/org#classification"),
        URIRef(BASE + "concept/kind/association"),
    ) in said
