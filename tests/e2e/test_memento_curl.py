"""Memento against a live server (uvicorn on a free port) over ``release_history``: curl follows
a TimeGate to the description as it was, reads a TimeMap and gets the 400 of a malformed
``Accept-Datetime``; the RFC client (``memento_client.py``) does the same over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pyoxigraph as ox
import pytest
from chromium import live_server
from curl_client import curl
from memento_client import MementoClient, parse_links, with_rel

CLASSIFICATION = ox.NamedNode("http://www.w3.org/ns/org#classification")
KIND = "https://w3id.org/maillage/concept/kind/"


@pytest.fixture(scope="module")
def server(release_history) -> Iterator[str]:
    with live_server(release_history.settings) as url:
        yield url


def path_of(iri: str) -> str:
    return iri.split("/maillage/", 1)[1]


def kinds(body: bytes, iri: str) -> set[str]:
    quads = ox.parse(body, format=ox.RdfFormat.TURTLE)
    return {
        q.object.value for q in quads if q.subject.value == iri and q.predicate == CLASSIFICATION
    }


def test_curl_follows_the_timegate_to_the_description_as_it_was(server, release_history):
    iri = release_history.survivor
    url = f"{server}/{path_of(iri)}"
    for when, release, kind in (
        ("Tue, 10 Feb 2026 12:00:00 GMT", release_history.a, "think-tank"),
        ("Fri, 10 Apr 2026 12:00:00 GMT", release_history.b, "association"),
        ("Mon, 01 Jun 2020 00:00:00 GMT", release_history.a, "think-tank"),
    ):
        reply = curl(
            url, "--location", "-H", f"Accept-Datetime: {when}", "-H", "Accept: text/turtle"
        )
        assert reply.status == 200
        went_live = (
            release_history.a_live_from
            if release == release_history.a
            else release_history.b_live_from
        )
        assert reply.header("memento-datetime") == went_live.strftime("%a, %d %b %Y %H:%M:%S GMT")
        links = parse_links(reply.header("link"))
        assert [link.url for link in with_rel(links, "original")] == [url + ".ttl"]
        assert kinds(reply.body, iri) == {KIND + kind}
    first = curl(url, "-H", "Accept-Datetime: Tue, 10 Feb 2026 12:00:00 GMT")
    assert first.status == 302
    assert first.header("location") == f"{server}/releases/{release_history.a}/{path_of(iri)}"
    assert "Accept-Datetime" in first.header("vary")


def test_curl_reads_the_timemap_and_gets_the_400(server, release_history):
    path = path_of(release_history.survivor)
    reply = curl(f"{server}/timemap/{path}")
    assert reply.status == 200 and reply.header("content-type") == "application/link-format"
    mementos = with_rel(parse_links(reply.body.decode()), "memento")
    assert [m.url for m in mementos] == [
        f"{server}/releases/{release_history.a}/{path}",
        f"{server}/releases/{release_history.b}/{path}",
    ]
    refused = curl(f"{server}/{path}.ttl", "-H", "Accept-Datetime: 10/02/2026")
    assert refused.status == 400
    assert "« Thu, 31 May 2007 20:35:00 GMT »" in refused.body.decode()


def test_the_rfc_client_over_real_http(server, release_history):
    with httpx.Client() as http:
        client = MementoClient(http)
        found = client.memento_at(
            f"{server}/{path_of(release_history.survivor)}", datetime(2026, 2, 10, tzinfo=UTC)
        )
        assert found.memento_datetime == release_history.a_live_from
        assert kinds(found.response.content, release_history.survivor) == {KIND + "think-tank"}
        assert len(with_rel(client.timemap_of(found.timegate), "memento")) == 2
