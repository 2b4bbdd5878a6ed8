"""The releases kept as a series (issue 10, points 1 and 6), on two releases built by the real
build (``release_history``: A, then B): ``/catalog`` is a ``dcat:DatasetSeries`` whose members are
the releases, in the order they went live, each with its version, dates, neighbours and own
files; ``/releases`` lists them for people and as DCAT; each release has its own VoID; an unknown
release id is a 404 naming the releases kept."""

from __future__ import annotations

import html
import json

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS, VOID, XSD

from maillage.layout import release_iri
from maillage.settings import Settings
from server.app import create_app

BASE = "https://w3id.org/maillage/"
SERIES = URIRef(BASE + "id/dataset/maillage")
SPDX = Namespace("http://spdx.org/rdf/terms#")
MLG = Namespace(BASE + "def/")
DCAT3 = Namespace("http://www.w3.org/ns/dcat#")
"""DCAT 3's terms (rdflib's closed DCAT namespace predates ``prev``, ``next``, ``first``...)."""
BROWSER = {"accept": "text/html"}


@pytest.fixture(scope="module")
def history(release_history):
    return release_history


@pytest.fixture(scope="module")
def client(history) -> TestClient:
    return TestClient(create_app(Settings(var_dir=history.settings.var_dir)))


@pytest.fixture(scope="module")
def catalog(client) -> Graph:
    reply = client.get("/catalog", headers={"accept": "text/turtle"})
    assert reply.status_code == 200
    return Graph().parse(data=reply.text, format="turtle")


def member(release: str) -> URIRef:
    return URIRef(release_iri(BASE, release))


def manifest(history, release: str) -> dict:
    path = history.settings.var_dir / "releases" / release / "manifest.json"
    return json.loads(path.read_text())


def void_of(history, release: str) -> Graph:
    return Graph().parse(history.settings.var_dir / "releases" / release / "void.ttl")


def test_the_catalogue_is_a_series_of_the_releases_in_the_order_they_went_live(history, catalog):
    a, b = member(history.a), member(history.b)
    assert (SERIES, RDF.type, DCAT3.DatasetSeries) in catalog
    assert set(catalog.subjects(DCAT3.inSeries, SERIES)) == {a, b}
    assert catalog.value(SERIES, DCAT3.first) == a
    assert catalog.value(SERIES, DCAT3.last) == b
    assert catalog.value(a, DCAT3.next) == b and catalog.value(b, DCAT3.prev) == a
    assert catalog.value(a, DCAT3.prev) is None and catalog.value(b, DCAT3.next) is None
    catalogue = next(catalog.subjects(RDF.type, DCAT.Catalog))
    assert {a, b, SERIES} <= set(catalog.objects(catalogue, DCAT.dataset))
    for node, release, went_live in (
        (a, history.a, history.a_live_from),
        (b, history.b, history.b_live_from),
    ):
        assert (node, RDF.type, DCAT.Dataset) in catalog
        assert catalog.value(node, DCAT3.version) == Literal(release)
        assert catalog.value(node, DCTERMS.identifier) == Literal(str(node))
        issued = Literal(went_live.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)
        assert catalog.value(node, DCTERMS.issued) == issued
    live = Literal(history.b_live_from.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)
    assert list(catalog.objects(SERIES, DCTERMS.modified)) == [live]


def test_each_release_has_its_own_files_with_their_checksums(history, catalog):
    for release in (history.a, history.b):
        files = manifest(history, release)["files"]
        found = {}
        for dist in catalog.objects(member(release), DCAT.distribution):
            url = str(catalog.value(dist, DCAT.downloadURL))
            checksum = catalog.value(dist, SPDX.checksum)
            found[url] = str(catalog.value(checksum, SPDX.checksumValue))
        where = f"{BASE}releases/{release}/downloads/"
        # every file but the catalogue itself (it describes the files before it)
        assert found == {where + n: e["sha256"] for n, e in files.items() if n != "catalog.ttl"}
    assert files["maillage.ttl"] != manifest(history, history.a)["files"]["maillage.ttl"]


def test_the_series_keeps_the_live_files_where_harvesters_found_them(history, catalog):
    files = manifest(history, history.b)["files"]
    urls = {
        str(catalog.value(d, DCAT.downloadURL)) for d in catalog.objects(SERIES, DCAT.distribution)
    }
    assert {BASE + "downloads/" + n for n in files if n != "catalog.ttl"} <= urls
    assert catalog.value(SERIES, DCTERMS.identifier) == Literal(str(SERIES))


def test_releases_lists_them_newest_first_with_counts_from_their_void(history, client):
    reply = client.get("/releases", headers=BROWSER)
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/html")
    text = html.unescape(reply.text)
    assert text.index(f'href="/releases/{history.b}"') < text.index(f'href="/releases/{history.a}"')
    assert '<time datetime="2026-01-15T09:00:00Z">2026-01-15 09:00 UTC</time>' in text
    assert '<time datetime="2026-03-01T09:00:00Z">2026-03-01 09:00 UTC</time>' in text
    for release in (history.a, history.b):
        void = void_of(history, release)
        node = member(release)
        for predicate in (VOID.triples, VOID.entities, MLG.claimCount):
            count = f"{int(void.value(node, predicate)):,}".replace(",", "\u202f")
            assert f'<td class="number">{count}</td>' in text
        assert f'href="/releases/{release}/downloads/"' in text
        assert f'href="/releases/{release}/downloads/void.ttl"' in text
    live_row = text[text.index(f'href="/releases/{history.b}"') :].split("</tr>")[0]
    assert "en ligne" in live_row
    english = html.unescape(client.get("/releases?lang=en", headers=BROWSER).text)
    assert "<h1>Releases</h1>" in english and "Went live" in english


@pytest.mark.parametrize(
    ("media", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ],
)
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_releases_as_rdf_is_the_series_and_its_members(history, client, media, rdflib_format):
    reply = client.get("/releases", headers={"accept": media})
    assert reply.status_code == 200
    assert reply.headers["content-type"].split(";")[0] == media
    if media == "application/ld+json":
        assert isinstance(json.loads(reply.text)["@context"], dict)
    graph = Graph().parse(data=reply.text, format=rdflib_format)
    assert set(graph.subjects(DCAT3.inSeries, SERIES)) == {member(history.a), member(history.b)}
    assert graph.value(member(history.b), DCAT3.prev) == member(history.a)
    assert (None, RDF.type, DCAT.Catalog) not in graph


def test_each_release_has_its_own_void_and_the_well_known_one_is_the_live_one(
    history, client, catalog
):
    for release in (history.a, history.b):
        void = void_of(history, release)
        node = member(release)
        dumps = {str(d) for d in void.objects(node, VOID.dataDump)}
        assert f"{BASE}releases/{release}/downloads/maillage.ttl" in dumps
        assert int(void.value(node, VOID.triples)) > 10000
        assert (node, DCAT3.inSeries, SERIES) in void
        linked = URIRef(f"{BASE}releases/{release}/downloads/void.ttl")
        assert (node, RDFS.seeAlso, linked) in catalog
    served = client.get(f"/releases/{history.a}/downloads/void.ttl")
    assert served.status_code == 200
    assert Graph().parse(data=served.text, format="turtle").value(
        member(history.a), VOID.triples
    ) == void_of(history, history.a).value(member(history.a), VOID.triples)
    well_known = Graph().parse(data=client.get("/.well-known/void").text, format="turtle")
    assert (member(history.b), RDF.type, VOID.Dataset) in well_known
    assert (member(history.a), RDF.type, VOID.Dataset) not in well_known
    assert well_known.value(SERIES, VOID.sparqlEndpoint) == URIRef(BASE + "sparql")


def test_the_catalogue_page_lists_the_releases_in_the_series(history, client):
    text = html.unescape(client.get("/catalog", headers=BROWSER).text)
    section = text[text.index('id="members-title"') :]
    assert section.index(history.a) < section.index(history.b)
    assert f'<a href="/releases/{history.a}/downloads/">' in section
    live_item = section[section.index(history.b) :].split("</li>")[0]
    assert "<strong>en ligne</strong>" in live_item


def test_an_old_release_s_downloads_page_says_it_is_no_longer_live(history, client):
    old = html.unescape(client.get(f"/releases/{history.a}/downloads/", headers=BROWSER).text)
    assert f"La version <code>{history.a}</code> n’est plus en ligne" in old
    live = html.unescape(client.get(f"/releases/{history.b}/downloads/", headers=BROWSER).text)
    assert "plus en ligne" not in live


def test_an_unknown_release_is_404_naming_the_releases_kept(history, client):
    for path in ("/releases/0000000000000000/downloads/", "/releases/nope/downloads/void.ttl"):
        reply = client.get(path)
        assert reply.status_code == 404
        detail = reply.json()["detail"]
        assert history.a in detail and history.b in detail and "/releases" in detail
    missing = client.get(f"/releases/{history.a}/downloads/nothing.ttl")
    assert missing.status_code == 404
    assert f"/releases/{history.a}/downloads/" in missing.json()["detail"]


@pytest.fixture(scope="module")
def with_an_older_release(history, tmp_path_factory):
    """A copy of the two releases in which A was built before releases had their own IRI: its
    catalogue does not describe it, and its VoID counts the dataset (``id/dataset/maillage``)."""
    import shutil

    var_dir = tmp_path_factory.mktemp("older") / "var"
    shutil.copytree(history.settings.var_dir, var_dir, symlinks=True)
    a = var_dir / "releases" / history.a
    catalog = Graph().parse(a / "catalog.ttl")
    old = str(member(history.a))
    for triple in list(catalog):
        if any(str(term).startswith(old) for term in triple):
            catalog.remove(triple)
    (a / "catalog.ttl").write_text(catalog.serialize(format="turtle"))
    void = (a / "void.ttl").read_text()
    (a / "void.ttl").write_text(void.replace(f"<{old}>", f"<{SERIES}>"))
    return TestClient(create_app(Settings(var_dir=var_dir)))


def test_a_release_built_before_the_series_is_listed_but_not_a_member(
    history, with_an_older_release
):
    client = with_an_older_release
    graph = Graph().parse(data=client.get("/catalog").text, format="turtle")
    b = member(history.b)
    assert set(graph.subjects(DCAT3.inSeries, SERIES)) == {b}
    assert graph.value(SERIES, DCAT3.first) == b == graph.value(SERIES, DCAT3.last)
    assert graph.value(b, DCAT3.prev) is None
    text = html.unescape(client.get("/releases", headers=BROWSER).text)
    assert f'href="/releases/{history.a}"' in text
    triples = int(void_of(history, history.a).value(member(history.a), VOID.triples))
    assert f'<td class="number">{triples:,}</td>'.replace(",", "\u202f") in text
