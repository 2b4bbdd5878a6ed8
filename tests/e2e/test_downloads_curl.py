"""``/downloads/`` with curl against a live server: every release file byte for byte with its
media type, Content-Length, ETag (its SHA-256), Last-Modified; 304 on If-None-Match and
If-Modified-Since; byte ranges (206, 416, If-Range); the index in JSON and HTML."""

from __future__ import annotations

import hashlib
import json

import pytest
from curl_client import curl
from ld_server import running_server
from mini_release import release_files

MEDIA_TYPES = {
    "maillage.ttl": "text/turtle",
    "maillage-all.nq.gz": "application/gzip",
    "ontology.ttl": "text/turtle",
    "shapes.ttl": "text/turtle",
    "void.ttl": "text/turtle",
    "conflicts.md": "text/markdown",
    "context.jsonld": "application/ld+json",
    "manifest.json": "application/json",
    "catalog.ttl": "text/turtle",
    "examples.json": "application/json",
    "search.sqlite": "application/vnd.sqlite3",
    "network.json": "application/json",
    "documents/001.txt": "text/plain",
}
"""What each file is served as, written out here (not derived from ``maillage/formats.py``)."""
NAMES = sorted([*release_files(), "manifest.json"])


def manifest(ld_server) -> dict:
    return json.loads((ld_server.release / "manifest.json").read_bytes())


def test_the_index_lists_every_file_with_size_and_checksum(ld_server):
    reply = curl(ld_server.url + "downloads/")
    assert reply.status == 200
    assert reply.header("content-type") == "application/json"
    listing = {f["name"]: f for f in json.loads(reply.body)["files"]}
    assert sorted(listing) == NAMES
    for name, entry in manifest(ld_server)["files"].items():
        assert listing[name]["bytes"] == entry["bytes"]
        assert listing[name]["sha256"] == entry["sha256"]
        assert listing[name]["url"] == ld_server.url + "downloads/" + name


def test_the_index_is_a_page_for_a_browser(ld_server):
    reply = curl(ld_server.url + "downloads/", "-H", "Accept: text/html")
    assert reply.header("content-type").startswith("text/html")
    assert b"maillage-all.nq.gz" in reply.body
    assert manifest(ld_server)["files"]["maillage.ttl"]["sha256"].encode() in reply.body


@pytest.mark.parametrize("name", NAMES)
def test_every_file_is_served_byte_for_byte(ld_server, name):
    reply = curl(ld_server.url + "downloads/" + name)
    assert reply.status == 200
    expected = (ld_server.release / name).read_bytes()
    assert reply.body == expected
    digest = hashlib.sha256(expected).hexdigest()
    assert reply.header("etag") == f'"{digest}"'
    assert reply.header("content-length") == str(len(expected))
    assert reply.header("content-type").split(";")[0] == MEDIA_TYPES[name]
    assert reply.header("last-modified")
    assert reply.header("accept-ranges") == "bytes"
    if name != "manifest.json":
        assert manifest(ld_server)["files"][name]["sha256"] == digest


def test_conditional_requests_get_304(ld_server):
    url = ld_server.url + "downloads/maillage.ttl"
    first = curl(url)
    assert curl(url, "-H", f"If-None-Match: {first.header('etag')}").status == 304
    assert curl(url, "-H", 'If-None-Match: "other"').status == 200
    since = first.header("last-modified")
    assert curl(url, "-H", f"If-Modified-Since: {since}").status == 304
    assert curl(url, "-H", "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT").status == 200


def test_a_byte_range_is_206(ld_server):
    url = ld_server.url + "downloads/maillage-all.nq.gz"
    data = (ld_server.release / "maillage-all.nq.gz").read_bytes()
    reply = curl(url, "--range", "10-19")
    assert reply.status == 206
    assert reply.body == data[10:20]
    assert reply.header("content-range") == f"bytes 10-19/{len(data)}"
    assert curl(url, "--range", "-5").body == data[-5:]


def test_a_range_past_the_end_is_416(ld_server):
    url = ld_server.url + "downloads/maillage.ttl"
    size = (ld_server.release / "maillage.ttl").stat().st_size
    reply = curl(url, "--range", f"{size + 10}-{size + 20}")
    assert reply.status == 416
    assert reply.header("content-range") == f"bytes */{size}"


def test_if_range_resumes_only_the_same_file(ld_server):
    url = ld_server.url + "downloads/maillage.ttl"
    etag = curl(url, "--head").header("etag")
    assert curl(url, "--range", "0-3", "-H", f"If-Range: {etag}").status == 206
    assert curl(url, "--range", "0-3", "-H", 'If-Range: "changed"').status == 200


def test_unknown_files_are_404(ld_server):
    assert curl(ld_server.url + "downloads/nothing.ttl").status == 404
    assert curl(ld_server.url + "downloads/..%2Fmanifest.json").status == 404
    assert curl(ld_server.url + "downloads/store").status == 404


def test_the_catalogue_and_void_are_served(ld_server):
    catalog = curl(ld_server.url + "catalog", "-H", "Accept: application/rdf+xml")
    assert catalog.status == 200
    assert catalog.header("content-type") == "application/rdf+xml"
    assert "Accept" in catalog.header("vary")
    void = curl(ld_server.url + ".well-known/void")
    assert void.header("content-type").startswith("text/turtle")
    assert b"void:triples" in void.body or b"rdfs.org/ns/void#triples" in void.body
    assert curl(ld_server.url + "catalog", "-H", "Accept: image/png").status == 406
    etag = catalog.header("etag")
    again = curl(
        ld_server.url + "catalog",
        "-H",
        "Accept: application/rdf+xml",
        "-H",
        f"If-None-Match: {etag}",
    )
    assert again.status == 304
    assert curl(ld_server.url + "catalog.jsonld").header("content-type") == "application/ld+json"


@pytest.fixture(scope="module")
def ld_server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("var")) as server:
        yield server
