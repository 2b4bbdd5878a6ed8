"""A GET on /sparql is answered from the release, so its answer can be cached as long as the
release: ETag and Cache-Control like a description, 304 on revalidation; a POST is not."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from mini_release import write_release

from maillage.settings import Settings
from server.app import create_app

QUERY = {"query": "ASK { ?s ?p ?o }"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    write_release(var)
    with TestClient(create_app(Settings(var_dir=var))) as test_client:
        yield test_client


def test_a_get_answer_carries_an_etag_and_revalidates(client):
    first = client.get("/sparql", params=QUERY)
    assert first.headers["cache-control"] == "public, max-age=3600"
    again = client.get("/sparql", params=QUERY, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_each_format_has_its_own_etag(client):
    json = client.get(
        "/sparql", params=QUERY, headers={"Accept": "application/sparql-results+json"}
    )
    xml = client.get("/sparql", params=QUERY, headers={"Accept": "application/sparql-results+xml"})
    assert json.headers["etag"] != xml.headers["etag"]
    assert "Accept" in json.headers["vary"]


def test_a_post_is_not_cacheable(client):
    posted = client.post("/sparql", data=QUERY)
    assert posted.status_code == 200
    assert "cache-control" not in posted.headers and "etag" not in posted.headers
