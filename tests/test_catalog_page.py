"""The catalogue and the downloads for people: ``/catalog`` is a page of the site for a browser,
built from the release's ``catalog.ttl``, while RDF clients get the same RDF as before; the
``/downloads/`` listing is a page of the site too, and JSON for programs."""

from __future__ import annotations

import html
import json
import re

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
SPDX = Namespace("http://spdx.org/rdf/terms#")
LICENCE = "https://www.etalab.gouv.fr/licence-ouverte-open-licence"


@pytest.fixture(scope="module")
def catalog(release) -> Graph:
    return Graph().parse(release / "catalog.ttl")


def distributions(catalog: Graph) -> list[URIRef]:
    dataset = next(catalog.subjects(RDF.type, DCAT.Dataset))
    return list(catalog.objects(dataset, DCAT.distribution))


def test_a_browser_gets_the_catalogue_as_a_page_of_the_site(client, catalog):
    response = client.get("/catalog", headers=BROWSER)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert {"Accept", "Accept-Language"} <= {v.strip() for v in response.headers["vary"].split(",")}
    text = html.unescape(response.text)
    assert '<html lang="fr">' in text and '<header class="site">' in text
    assert "<h1>Catalogue Maillage</h1>" in text
    assert len(distributions(catalog)) > 10
    for distribution in distributions(catalog):
        title = str(catalog.value(distribution, DCTERMS.title))
        assert f">{title}</a>" in text, title
        size = catalog.value(distribution, DCAT.byteSize)
        if size is not None:
            assert f'title="{int(size)} octets"' in text, title
        checksum = catalog.value(distribution, SPDX.checksum)
        if checksum is not None:
            assert str(catalog.value(checksum, SPDX.checksumValue)) in text, title
    assert text.count(f'<a href="{LICENCE}" rel="license" lang="fr">Licence Ouverte 2.0</a>') > 10
    assert '<a href="/downloads/maillage.ttl" type="text/turtle">maillage.ttl</a>' in text
    assert "compressé en application/gzip" in text  # the .nt.gz and .nq.gz
    for extension in ("ttl", "jsonld", "nt", "rdf"):
        assert f'<a href="/catalog.{extension}"' in text


def test_the_catalogue_page_speaks_english_on_request(client, catalog):
    text = html.unescape(client.get("/catalog?lang=en", headers=BROWSER).text)
    dataset = next(catalog.subjects(RDF.type, DCAT.Dataset))
    title = next(t for t in catalog.objects(dataset, DCTERMS.title) if t.language == "en")
    assert f'<h2 id="dataset-title">{title}</h2>' in text
    assert "<h1>Maillage catalogue</h1>" in text and "Time covered" in text


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "text/turtle"),
        ("*/*", "text/turtle"),
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        # many RDF types at q=1, text/html nowhere: a tie, so the server's order, Turtle first
        (
            "application/rdf+xml, text/rdf+xml, text/xml;q=0.9, text/n3, text/turtle, "
            "application/n-triples, application/ld+json, */*;q=0.1",
            "text/turtle",
        ),
        ("text/html;q=0.5, text/turtle", "text/turtle"),
    ],
)
def test_rdf_clients_get_the_same_rdf_as_before(client, accept, media_type):
    headers = {"accept": accept} if accept else {}
    response = client.get("/catalog", headers=headers)
    assert response.headers["content-type"].split(";")[0] == media_type
    extension = {"text/turtle": "ttl", "application/ld+json": "jsonld"}.get(media_type)
    if extension:
        assert response.content == client.get(f"/catalog.{extension}").content


def test_the_page_is_also_at_catalog_html_and_revalidates(client):
    page = client.get("/catalog.html")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    again = client.get("/catalog.html", headers={"if-none-match": page.headers["etag"]})
    assert again.status_code == 304
    english = client.get("/catalog.html?lang=en", headers={"if-none-match": page.headers["etag"]})
    assert english.status_code == 200
    missing = client.get("/catalog.png")
    assert missing.status_code == 404 and ".html" in missing.json()["detail"]
    assert client.get("/.well-known/void.html").status_code == 404  # VoID stays RDF only


def test_the_downloads_are_a_page_of_the_site_for_a_browser(client, release):
    response = client.get("/downloads/", headers=BROWSER)
    assert response.headers["content-type"].startswith("text/html")
    text = html.unescape(response.text)
    assert '<html lang="fr">' in text and '<header class="site">' in text
    assert "<h1>Téléchargements</h1>" in text
    manifest = json.loads((release / "manifest.json").read_text())
    assert manifest["release"] in text
    for name, entry in manifest["files"].items():
        assert f'<a href="/downloads/{name}"' in text, name
        assert entry["sha256"] in text and f'title="{entry["bytes"]} octets"' in text, name
    assert '<a href="/downloads/manifest.json" type="application/json">' in text
    assert re.search(r"<td>Le graphe par défaut \(Turtle\)</td>", text)
    english = html.unescape(client.get("/downloads/?lang=en", headers=BROWSER).text)
    assert re.search(r"<td>The default graph \(Turtle\)</td>", english)


def test_programs_still_get_the_downloads_as_json(client, release):
    listing = client.get("/downloads/", headers={"accept": "*/*"}).json()
    manifest = json.loads((release / "manifest.json").read_text())
    assert {f["name"] for f in listing["files"]} == {*manifest["files"], "manifest.json"}
    assert listing["license"] == LICENCE and listing["release"] == manifest["release"]
