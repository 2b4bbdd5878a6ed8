"""``/releases/{id}`` and ``/releases.atom`` over two real releases (``release_history``: A with a
duplicate of NXU, B merging it and changing NXU's kind): the page names what changed, the RDF
is the release's description and its changes, the feed is Atom (RFC 4287) read by feedparser."""

from __future__ import annotations

import json
import shutil
from xml.etree import ElementTree as ET

import feedparser
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from maillage.layout import release_iri
from maillage.settings import Settings
from server.app import create_app

ATOM = "{http://www.w3.org/2005/Atom}"
QUOTE = (
    "fondateur de U-Need (infra cyber, datas IA, management de projets) et du think tank NXU "
    "(Next Humanity)"
)
MLG = "https://w3id.org/maillage/def/"


@pytest.fixture(scope="module")
def http(release_history) -> TestClient:
    return TestClient(create_app(Settings(var_dir=release_history.settings.var_dir)))


def page(http, path: str, lang: str = "fr") -> str:
    response = http.get(f"{path}?lang={lang}", headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def test_b_page_names_the_merged_duplicate_nxu_and_the_claim_with_its_quote(http, release_history):
    h = release_history
    text = page(http, f"/releases/{h.b}", "en")
    assert f"Release {h.b}" in text
    assert "Went live on 2026-03-01 09:00 UTC." in text
    assert f'<a href="/releases/{h.a}" rel="prev">' in text
    assert "Entities removed (1)" in text and "Entities changed (1)" in text
    assert '<a href="/id/org/next-humanity"><span lang="fr">Next Humanity</span></a>' in text
    assert 'replaced by <a href="/id/org/nxu">' in text
    assert "<code>org:classification</code>" in text
    assert '<a href="/id/claim/004/luc-marta-de-andrade-nxu">' in text
    assert f"« {QUOTE} »" in text


def test_the_page_speaks_french_by_default(http, release_history):
    text = page(http, f"/releases/{release_history.b}")
    assert "Entités retirées (1)" in text and "Ce qui a changé" in text
    assert "remplacée par" in text


def test_a_page_says_it_is_the_first_release(http, release_history):
    text = page(http, f"/releases/{release_history.a}", "en")
    assert "The first release: there is no earlier release" in text
    assert f'<a href="/releases/{release_history.b}" rel="next">' in text


@pytest.mark.parametrize("extension", ["ttl", "jsonld", "nt", "rdf"])
def test_the_rdf_is_the_release_description_and_its_changes(http, release_history, extension):
    h = release_history
    b, a = release_iri(h.settings.base_iri, h.b), release_iri(h.settings.base_iri, h.a)
    response = http.get(f"/releases/{h.b}.{extension}")
    assert response.status_code == 200
    quads = set(ox.parse(response.content, format=ox.RdfFormat.from_extension(extension)))
    node = ox.NamedNode(b)
    revision = ox.NamedNode("http://www.w3.org/ns/prov#wasRevisionOf")
    assert ox.Quad(node, revision, ox.NamedNode(a)) in quads
    dataset = ox.NamedNode("http://www.w3.org/ns/dcat#Dataset")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert ox.Quad(node, rdf_type, dataset) in quads  # the catalogue's description
    quotes = {q.object.value for q in quads if q.predicate.value == MLG + "quoteText"}
    assert quotes == {QUOTE}


def test_the_rdf_is_negotiated_by_accept(http, release_history):
    response = http.get(f"/releases/{release_history.b}", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert "Accept" in response.headers["vary"]
    assert f"/releases/{release_history.b}.jsonld" in response.headers["link"]


def test_an_unknown_release_is_a_404_naming_the_releases_kept(http, release_history):
    for path in ("/releases/0000dead", "/releases/0000dead.ttl"):
        response = http.get(path, headers={"Accept": "text/turtle"})
        assert response.status_code == 404
        assert "0000dead" in response.text
        assert release_history.a in response.text and release_history.b in response.text


def test_the_feed_is_atom_newest_first_with_each_release_changes(http, release_history):
    h = release_history
    response = http.get("/releases.atom?lang=en")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert [e.id for e in feed.entries] == [
        release_iri(h.settings.base_iri, h.b),
        release_iri(h.settings.base_iri, h.a),
    ]
    newest = feed.entries[0]
    assert newest.link.endswith(f"/releases/{h.b}")
    assert newest.updated == "2026-03-01T09:00:00Z"
    assert f"Since release {h.a}" in newest.summary
    assert "entities 0 added, 1 removed, 1 changed" in newest.summary
    assert "Next Humanity" in newest.content[0].value and "NXU" in newest.content[0].value
    assert "The first release" in feed.entries[1].summary
    assert feed.feed.updated == "2026-03-01T09:00:00Z"


def test_the_feed_has_every_element_rfc_4287_requires(http):
    """atom:feed: id, title, updated, an author (or one per entry), a self link; atom:entry:
    id, title, updated, and an alternate link or content (RFC 4287, 4.1.1 and 4.1.2)."""
    root = ET.fromstring(http.get("/releases.atom").content)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert len(root.findall(f"{ATOM}{name}")) == 1, name
    rels = {link.get("rel") for link in root.findall(f"{ATOM}link")}
    assert {"self", "alternate"} <= rels
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        for name in ("id", "title", "updated", "summary"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        alternates = [e for e in entry.findall(f"{ATOM}link") if e.get("rel") == "alternate"]
        assert len(alternates) == 1


def test_every_link_of_the_feed_resolves_even_for_a_release_without_changes(
    release_history, tmp_path
):
    """A release built before changes were recorded (no changes.md in its manifest) gets no
    link to one."""
    h = release_history
    var = tmp_path / "var"
    shutil.copytree(h.settings.var_dir, var, symlinks=True)
    old = var / "releases" / h.a
    manifest = json.loads((old / "manifest.json").read_text())
    for name in ("changes.md", "changes.ttl"):
        del manifest["files"][name]
        (old / name).unlink()
    (old / "manifest.json").write_text(json.dumps(manifest))
    with TestClient(create_app(Settings(var_dir=var))) as client:
        root = ET.fromstring(client.get("/releases.atom").content)
        links = [link.get("href") for link in root.iter(f"{ATOM}link")]
        assert any(href.endswith(f"/releases/{h.b}/downloads/changes.md") for href in links)
        assert not any(f"/releases/{h.a}/downloads/" in href for href in links)
        for href in links:
            assert client.get(href.removeprefix("http://testserver")).status_code == 200, href
