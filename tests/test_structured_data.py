"""schema.org JSON-LD in the pages, ``/sitemap.xml`` and ``/robots.txt``, on the real release
(``server/structured_data.py``, ``server/routes/crawlers.py``)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from jsonld_readers import PARSERS, refuse_network
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from server.routes.crawlers import MAX_URLS, SITEMAP_NS, chunks, sitemap_index
from server.structured_data import script_json

BASE = "https://w3id.org/maillage/"
SCHEMA = "http://schema.org/"
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
DCAT_DOWNLOADS = """SELECT ?url { ?series a <http://www.w3.org/ns/dcat#DatasetSeries> ;
    <http://www.w3.org/ns/dcat#distribution> ?d .
    ?d <http://www.w3.org/ns/dcat#downloadURL> ?url }"""
"""The series' files (the live release's, under ``/downloads/``), not each release's own."""


def embedded(client: TestClient, path: str) -> tuple[str, dict]:
    reply = client.get(path)
    assert reply.status_code == 200, path
    blocks = SCRIPT.findall(reply.text)
    assert len(blocks) == 1, f"{path}: {len(blocks)} JSON-LD blocks"
    return blocks[0], json.loads(blocks[0])


def test_home_dataset_lists_every_download_of_the_catalogue(client, release):
    _, dataset = embedded(client, "/")
    catalogue = ox.Store()
    catalogue.load(path=str(release / "catalog.ttl"), format=ox.RdfFormat.TURTLE)
    downloads = {s["url"].value for s in catalogue.query(DCAT_DOWNLOADS)}
    assert len(downloads) >= 15
    assert {d["contentUrl"] for d in dataset["distribution"]} == downloads
    served = {f["url"]: f["media_type"] for f in client.get("/downloads/").json()["files"]}
    by_name = {url.rsplit("/downloads/", 1)[1]: media for url, media in served.items()}
    for d in dataset["distribution"]:
        name = d["contentUrl"].removeprefix(f"{BASE}downloads/")
        assert d["encodingFormat"] == by_name[name], name
    assert dataset["@type"] == "Dataset" and dataset["@context"] == {"@vocab": SCHEMA}
    assert dataset["license"] == "https://www.etalab.gouv.fr/licence-ouverte-open-licence"
    assert dataset["temporalCoverage"].startswith("2015") and "/2025" in dataset["temporalCoverage"]
    assert "Occitanie" in {p["name"] for p in dataset["spatialCoverage"]}
    assert dataset["name"] and dataset["description"] and dataset["creator"]["name"]


def test_digital_113_page_is_an_organization_with_its_founding_date(client):
    _, org = embedded(client, "/id/org/digital-113.html")
    assert org["@type"] == "Organization"
    assert org["@id"] == f"{BASE}id/org/digital-113"
    assert org["url"].endswith("/id/org/digital-113.html")
    assert org["name"] == "Digital 113"
    assert org["foundingDate"] == "2019-02-05"


def test_digital_place_carries_its_dissolution(client):
    _, org = embedded(client, "/id/org/digital-place.html")
    assert org["dissolutionDate"] == "2019-02-05"


def test_a_person_is_member_of_what_the_data_says(client):
    _, person = embedded(client, "/id/person/daniel-benchimol.html")
    assert person["@type"] == "Person"
    assert f"{BASE}id/org/digital-place" in {m["@id"] for m in person["memberOf"]}


def test_an_event_has_its_start_date(client):
    _, event = embedded(client, "/id/event/annonce-fusion-frenchsouth-digital-digital-place.html")
    assert event["@type"] == "Event"
    assert event["startDate"] == "2017-01-12"


@pytest.mark.parametrize("parser", PARSERS)
def test_embedded_jsonld_parses_offline_to_schema_org(client, tmp_path, monkeypatch, parser):
    refuse_network(monkeypatch)
    for path, iri, kind in [
        ("/", f"{BASE}id/dataset/maillage", "Dataset"),
        ("/id/org/digital-113.html", f"{BASE}id/org/digital-113", "Organization"),
    ]:
        text, _ = embedded(client, path)
        saved = tmp_path / "embedded.jsonld"
        saved.write_text(text, encoding="utf-8")
        nquads = PARSERS[parser](saved)
        assert f"<{iri}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{SCHEMA}{kind}>" in (
            nquads
        ), path


def test_script_json_cannot_close_the_script_element():
    text = script_json({"name": "</script><script>alert(1)</script> & <!--"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(str(text))["name"] == "</script><script>alert(1)</script> & <!--"


RETIRED = "SELECT ?s { ?s <http://www.w3.org/2002/07/owl#deprecated> true }"


def test_sitemap_lists_every_iri_with_a_page(client, store):
    reply = client.get("/sitemap.xml")
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(reply.content)
    assert root.tag == f"{{{SITEMAP_NS}}}urlset"
    locs = [e.text for e in root.iter(f"{{{SITEMAP_NS}}}loc")]
    assert len(locs) == len(set(locs)) <= MAX_URLS
    served = client.app.state.settings.served_base
    assert all(loc.startswith(served) for loc in locs)
    query = f"""SELECT DISTINCT ?s {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(isIRI(?s)
        && STRSTARTS(STR(?s), "{BASE}id/") && !CONTAINS(STR(?s), "#")) }}"""
    subjects = {row["s"].value for row in store.query(query)}
    query = query.replace("GRAPH ?g { ?s ?p ?o }", "?s ?p ?o")
    subjects |= {row["s"].value for row in store.query(query)}
    assert len(subjects) > 200
    retired = {row["s"].value for row in store.query(RETIRED)} & subjects  # 301 or 410
    assert f"{BASE}id/site/airbus-toulouse" in retired
    subjects -= retired
    listed = set(locs)
    assert not {s.replace(BASE, served, 1) + ".html" for s in retired} & listed
    missing = sorted(s for s in subjects if s.replace(BASE, served, 1) + ".html" not in listed)
    assert missing == []
    assert f"{served}id/org/digital-113.html" in listed and served in listed
    assert f"{served}browse/organisations" in listed
    for loc in locs:
        if "/id/" not in loc:
            assert client.get(loc.removeprefix(served.rstrip("/"))).status_code == 200, loc
    assert client.get("/id/org/digital-113.html").status_code == 200


def test_every_sitemap_url_was_last_modified_on_the_release_s_date(client, release):
    catalog = Graph().parse(release / "catalog.ttl")
    (day,) = {
        str(d) for d in catalog.objects(URIRef(f"{BASE}id/dataset/maillage"), DCTERMS.modified)
    }
    assert day == "2026-11-22"  # data/dataset.yaml
    root = ET.fromstring(client.get("/sitemap.xml").content)
    urls = list(root.iter(f"{{{SITEMAP_NS}}}url"))
    assert urls and all(u.findtext(f"{{{SITEMAP_NS}}}lastmod") == day for u in urls)
    index = ET.fromstring(sitemap_index(2, "http://h/", day))
    assert [e.text for e in index.iter(f"{{{SITEMAP_NS}}}lastmod")] == [day, day]


def test_past_the_limit_the_sitemap_is_an_index():
    paths = [f"id/x/{n}" for n in range(MAX_URLS + 1)]
    parts = chunks(paths)
    assert [len(p) for p in parts] == [MAX_URLS, 1]
    root = ET.fromstring(sitemap_index(len(parts), "http://h/"))
    assert root.tag == f"{{{SITEMAP_NS}}}sitemapindex"
    assert [e.text for e in root.iter(f"{{{SITEMAP_NS}}}loc")] == [
        "http://h/sitemap/1.xml",
        "http://h/sitemap/2.xml",
    ]


def test_one_sitemap_has_no_parts(client):
    assert client.get("/sitemap/1.xml").status_code == 404


def test_robots_allows_pages_keeps_crawlers_off_sparql_and_names_the_sitemap(client):
    reply = client.get("/robots.txt")
    assert reply.headers["content-type"].startswith("text/plain")
    lines = reply.text.splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /sparql" in lines and "Allow: /" in lines
    assert "Disallow: /search" in lines and "Disallow: /reconcile" in lines
    served = client.app.state.settings.served_base
    assert f"Sitemap: {served}sitemap.xml" in lines


def test_a_commune_page_is_a_place(client):
    _, place = embedded(client, "/id/commune/31555.html")
    assert place["@type"] == "Place"
    assert place["@id"] == f"{BASE}id/commune/31555" and place["name"] == "Toulouse"
