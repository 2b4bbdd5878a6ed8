"""``/releases/{id}/downloads/`` with curl against a live server over two releases built by the
real build (``release_history``): the files of the release that is no longer live are served
byte for byte with the same headers as ``/downloads/`` (SHA-256 ETag, Range, 304), and an
unknown id is a 404 naming the releases kept."""

from __future__ import annotations

import hashlib
import json

import pytest
from curl_client import curl
from ld_server import serving


@pytest.fixture(scope="module")
def server(release_history, tmp_path_factory):
    log = tmp_path_factory.mktemp("server") / "server.log"
    with serving(release_history.settings.var_dir, log) as live:
        yield live.url


def old_file(release_history, name: str) -> bytes:
    var_dir = release_history.settings.var_dir
    return (var_dir / "releases" / release_history.a / name).read_bytes()


def test_the_old_release_lists_its_own_files(server, release_history):
    a = release_history.a
    reply = curl(f"{server}releases/{a}/downloads/")
    assert reply.status == 200 and reply.header("content-type") == "application/json"
    listing = json.loads(reply.body)
    assert listing["release"] == a
    manifest = json.loads(old_file(release_history, "manifest.json"))
    files = {f["name"]: f for f in listing["files"]}
    assert sorted(files) == sorted([*manifest["files"], "manifest.json"])
    for name, entry in manifest["files"].items():
        assert files[name]["sha256"] == entry["sha256"]
        assert files[name]["url"] == f"{server}releases/{a}/downloads/{name}"
    page = curl(f"{server}releases/{a}/downloads/", "-H", "Accept: text/html")
    assert page.header("content-type").startswith("text/html")
    assert f'href="/releases/{a}/downloads/maillage.ttl"'.encode() in page.body


@pytest.mark.parametrize("name", ["maillage.ttl", "maillage-all.nq.gz", "void.ttl"])
def test_an_old_file_is_served_byte_for_byte_with_its_sha256_etag(server, release_history, name):
    expected = old_file(release_history, name)
    reply = curl(f"{server}releases/{release_history.a}/downloads/{name}")
    assert reply.status == 200
    assert reply.body == expected
    assert reply.header("etag") == f'"{hashlib.sha256(expected).hexdigest()}"'
    assert reply.header("content-length") == str(len(expected))
    assert reply.header("accept-ranges") == "bytes"
    live = curl(f"{server}downloads/{name}")
    assert live.body != expected  # B changed it: the old bytes come from A
    assert live.header("etag") != reply.header("etag")


def test_a_range_and_a_conditional_request_on_an_old_file(server, release_history):
    url = f"{server}releases/{release_history.a}/downloads/maillage.ttl"
    data = old_file(release_history, "maillage.ttl")
    part = curl(url, "--range", "100-199")
    assert part.status == 206
    assert part.body == data[100:200]
    assert part.header("content-range") == f"bytes 100-199/{len(data)}"
    beyond = curl(url, "--range", f"{len(data) + 1}-{len(data) + 9}")
    assert beyond.status == 416 and beyond.header("content-range") == f"bytes */{len(data)}"
    etag = curl(url, "--head").header("etag")
    assert curl(url, "-H", f"If-None-Match: {etag}").status == 304
    assert curl(url, "-H", 'If-None-Match: "other"').status == 200


def test_an_unknown_release_is_404_with_the_list(server, release_history):
    reply = curl(f"{server}releases/ffffffffffffffff/downloads/maillage.ttl")
    assert reply.status == 404
    detail = json.loads(reply.body)["detail"]
    assert release_history.a in detail and release_history.b in detail
    assert "2026-01-15T09:00:00Z" in detail and "/releases" in detail
