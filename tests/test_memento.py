"""Memento (RFC 7089) over two real releases (``release_history``: A live from 2026-01-15, with
the duplicate ``org/next-humanity``; B live from 2026-03-01, NXU classified as an association),
read with a client written against the RFC's headers (``memento_client.py``): the description
as it was at a datetime, the TimeMaps, the headers, and the refusals."""

from __future__ import annotations

from datetime import UTC, datetime

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from memento_client import MementoClient, parse_links, with_rel

from maillage.settings import Settings
from server.app import create_app

CLASSIFICATION = ox.NamedNode("http://www.w3.org/ns/org#classification")
PREF_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
REPLACED_BY = ox.NamedNode("http://purl.org/dc/terms/isReplacedBy")
EXTENSIONS = ("ttl", "nt", "rdf", "jsonld", "trig", "nq")
SERVED = "http://127.0.0.1:8000/"
FEBRUARY = datetime(2026, 2, 10, 12, tzinfo=UTC)
APRIL = datetime(2026, 4, 10, 12, tzinfo=UTC)
YEAR_2020 = datetime(2020, 6, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def history(release_history):
    return release_history


@pytest.fixture(scope="module")
def http(history) -> TestClient:
    return TestClient(create_app(Settings(var_dir=history.settings.var_dir)))


@pytest.fixture(scope="module")
def memento(http) -> MementoClient:
    return MementoClient(http)


def served(iri: str) -> str:
    return SERVED + iri.split("/maillage/", 1)[1]


def path_of(iri: str) -> str:
    return iri.split("/maillage/", 1)[1]


def kind(history, suffix: str) -> str:
    return history.survivor.split("/id/", 1)[0] + "/concept/kind/" + suffix


def objects(body: bytes, extension: str, iri: str, predicate: ox.NamedNode) -> set[str]:
    """The objects of ``<iri> predicate`` the document asserts (default graph), read with
    pyoxigraph in the document's syntax."""
    quads = ox.parse(body, format=ox.RdfFormat.from_extension(extension))
    return {
        q.object.value
        for q in quads
        if q.subject == ox.NamedNode(iri)
        and q.predicate == predicate
        and isinstance(q.graph_name, ox.DefaultGraph)
    }


def classifications(body: bytes, extension: str, iri: str) -> set[str]:
    return objects(body, extension, iri, CLASSIFICATION)


def test_february_gives_release_a_and_april_release_b(history, memento):
    for when, release, live_from, expected in (
        (FEBRUARY, history.a, history.a_live_from, "think-tank"),
        (APRIL, history.b, history.b_live_from, "association"),
    ):
        found = memento.memento_at(served(history.survivor), when)
        assert found.timegate == served(history.survivor)
        assert found.chosen == f"{SERVED}releases/{release}/{path_of(history.survivor)}"
        assert str(found.response.url) == found.chosen + ".ttl"
        assert found.memento_datetime == live_from
        assert found.original == served(history.survivor) + ".ttl"
        assert classifications(found.response.content, "ttl", history.survivor) == {
            kind(history, expected)
        }


def test_a_datetime_before_the_first_release_gives_the_first_memento(history, memento):
    found = memento.memento_at(served(history.survivor), YEAR_2020)
    assert found.chosen == f"{SERVED}releases/{history.a}/{path_of(history.survivor)}"
    assert found.memento_datetime == history.a_live_from


def test_a_description_document_is_its_own_timegate(history, memento):
    document = served(history.survivor) + ".jsonld"
    found = memento.memento_at(document, FEBRUARY, accept="application/ld+json")
    assert found.timegate == document
    assert found.chosen == f"{SERVED}releases/{history.a}/{path_of(history.survivor)}.jsonld"
    assert [hop.status_code for hop in found.hops] == [302]
    assert found.original == document
    assert classifications(found.response.content, "jsonld", history.survivor) == {
        kind(history, "think-tank")
    }


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_every_format_of_a_memento_holds_that_release_s_description(history, http, extension):
    for release, live_from, expected in (
        (history.a, "Thu, 15 Jan 2026 09:00:00 GMT", "think-tank"),
        (history.b, "Sun, 01 Mar 2026 09:00:00 GMT", "association"),
    ):
        response = http.get(f"{SERVED}releases/{release}/{path_of(history.survivor)}.{extension}")
        assert response.status_code == 200
        assert response.headers["memento-datetime"] == live_from
        found = classifications(response.content, extension, history.survivor)
        assert found == {kind(history, expected)}


def test_the_memento_headers_are_exact(history, http):
    path = path_of(history.survivor)
    a = f"{SERVED}releases/{history.a}/{path}"
    b = f"{SERVED}releases/{history.b}/{path}"
    answer = http.get(
        served(history.survivor),
        headers={"Accept-Datetime": "Tue, 10 Feb 2026 12:00:00 GMT"},
        follow_redirects=False,
    )
    assert answer.status_code == 302
    assert answer.headers["location"] == a
    assert answer.headers["vary"].startswith("Accept-Datetime")
    assert answer.headers["link"] == (
        f'<{SERVED}{path}>; rel="original timegate", '
        f'<{SERVED}timemap/{path}>; rel="timemap"; type="application/link-format", '
        f'<{a}>; rel="first memento"; datetime="Thu, 15 Jan 2026 09:00:00 GMT", '
        f'<{b}>; rel="next last memento"; datetime="Sun, 01 Mar 2026 09:00:00 GMT"'
    )
    thing = http.get(a, headers={"Accept": "application/n-triples"}, follow_redirects=False)
    assert thing.status_code == 303
    assert thing.headers["location"] == a + ".nt"
    assert thing.headers["memento-datetime"] == "Thu, 15 Jan 2026 09:00:00 GMT"
    document = http.get(b + ".ttl")
    assert document.headers["memento-datetime"] == "Sun, 01 Mar 2026 09:00:00 GMT"
    links = parse_links(document.headers["link"])
    assert [link.url for link in with_rel(links, "original")] == [f"{SERVED}{path}.ttl"]
    assert [link.url for link in with_rel(links, "timemap")] == [f"{SERVED}timemap/{path}.ttl"]
    assert [(link.url, sorted(link.rels)) for link in with_rel(links, "memento")] == [
        (a + ".ttl", ["first", "memento", "prev"]),
        (b + ".ttl", ["last", "memento"]),
    ]
    assert [link.url for link in with_rel(links, "describes")] == [history.survivor]
    etag = document.headers["etag"]
    assert http.get(b + ".ttl", headers={"If-None-Match": etag}).status_code == 304


def test_the_timemap_lists_both_releases(history, memento, http):
    path = path_of(history.survivor)
    links = memento.timemap_of(served(history.survivor))
    assert [(link.url, sorted(link.rels), link.params) for link in links] == [
        (f"{SERVED}{path}", ["original", "timegate"], {}),
        (
            f"{SERVED}timemap/{path}",
            ["self"],
            {
                "type": "application/link-format",
                "from": "Thu, 15 Jan 2026 09:00:00 GMT",
                "until": "Sun, 01 Mar 2026 09:00:00 GMT",
            },
        ),
        (
            f"{SERVED}releases/{history.a}/{path}",
            ["first", "memento"],
            {"datetime": "Thu, 15 Jan 2026 09:00:00 GMT"},
        ),
        (
            f"{SERVED}releases/{history.b}/{path}",
            ["last", "memento"],
            {"datetime": "Sun, 01 Mar 2026 09:00:00 GMT"},
        ),
    ]
    assert http.get(f"{SERVED}timemap/id/org/never-described").status_code == 404


def test_the_merged_duplicate_is_found_as_it_was(history, memento, http):
    """``org/next-humanity`` was described by A; B retires it: its TimeMap still names A's
    memento, which says what A said, and B's, which moves to the survivor's."""
    found = memento.memento_at(served(history.duplicate), FEBRUARY)
    labels = objects(found.response.content, "ttl", history.duplicate, PREF_LABEL)
    assert "Next Humanity" in labels
    timemap = http.get(f"{SERVED}timemap/{path_of(history.duplicate)}").text
    assert f"releases/{history.a}/{path_of(history.duplicate)}>" in timemap
    # B retired it: its memento in B moves, as B answered, to the survivor's memento in B
    later = memento.memento_at(served(history.duplicate), APRIL)
    assert [hop.status_code for hop in later.hops] == [302, 301, 303]
    survivor_in_b = f"{SERVED}releases/{history.b}/{path_of(history.survivor)}"
    assert later.hops[1].headers["location"] == survivor_in_b
    assert later.hops[1].headers["memento-datetime"] == "Sun, 01 Mar 2026 09:00:00 GMT"
    assert str(later.response.url) == survivor_in_b + ".ttl"
    assert objects(later.response.content, "ttl", history.duplicate, REPLACED_BY) == {
        history.survivor
    }
    document = http.get(
        f"{SERVED}releases/{history.b}/{path_of(history.duplicate)}.nt", follow_redirects=False
    )
    assert document.status_code == 301
    assert document.headers["location"] == survivor_in_b + ".nt"
    assert objects(document.content, "nt", history.duplicate, REPLACED_BY) == {history.survivor}


def test_the_memento_page_is_the_resource_page_of_that_release(history, http):
    url = f"{SERVED}releases/{history.a}/{path_of(history.survivor)}.html"
    page = http.get(url, params={"lang": "en"})
    assert page.status_code == 200
    assert page.headers["memento-datetime"] == "Thu, 15 Jan 2026 09:00:00 GMT"
    assert "Accept-Language" in page.headers["vary"]
    assert f"Description as release <code>{history.a}</code> published it" in page.text
    assert "live from 2026-01-15 09:00 (UTC)" in page.text
    assert f'href="/{path_of(history.survivor)}.html">Current description</a>' in page.text
    assert f'href="/releases/{history.a}/{path_of(history.survivor)}.ttl"' in page.text


def test_the_current_description_names_its_timegate_and_timemap(history, http):
    path = path_of(history.survivor)
    expected = [
        f'<{SERVED}{path}.ttl>; rel="original timegate"',
        f'<{SERVED}timemap/{path}.ttl>; rel="timemap"; type="application/link-format"',
    ]
    for _ in range(2):  # the router's answer, then the prepared one: the same headers
        response = http.get(served(history.survivor) + ".ttl")
        assert response.headers["vary"].startswith("Accept-Datetime")
        assert all(value in response.headers["link"] for value in expected)
        assert "memento-datetime" not in response.headers
    thing = http.get(served(history.survivor), follow_redirects=False)
    assert thing.headers["vary"].startswith("Accept, Accept-Datetime")
    assert f'<{SERVED}{path}>; rel="original timegate"' in thing.headers["link"]


def test_accept_datetime_gets_past_the_prepared_responses(history, http):
    document = served(history.survivor) + ".nt"
    assert http.get(document).status_code == 200  # prepared now
    dated = {"Accept-Datetime": "Tue, 10 Feb 2026 12:00:00 GMT"}
    answer = http.get(document, headers=dated, follow_redirects=False)
    assert answer.status_code == 302
    assert answer.headers["location"].endswith(
        f"releases/{history.a}/{path_of(history.survivor)}.nt"
    )


@pytest.mark.parametrize("value", ["2026-02-10", "Tue, 10 Feb 2026 12:00:00 CET", "demain"])
def test_a_malformed_accept_datetime_is_refused_with_the_rfc_format(history, http, value):
    for url in (served(history.survivor), served(history.survivor) + ".ttl"):
        answer = http.get(url, headers={"Accept-Datetime": value}, follow_redirects=False)
        assert answer.status_code == 400
        detail = answer.json()["detail"]
        assert repr(value) in detail and "« Thu, 31 May 2007 20:35:00 GMT »" in detail


def test_an_unknown_release_is_named_with_the_releases_kept(history, http):
    answer = http.get(f"{SERVED}releases/0000000000000000/{path_of(history.survivor)}.ttl")
    assert answer.status_code == 404
    detail = answer.json()["detail"]
    assert "0000000000000000" in detail and history.a in detail and history.b in detail


def test_what_a_release_does_not_describe_is_404(history, http):
    answer = http.get(f"{SERVED}releases/{history.a}/id/org/never-described.ttl")
    assert answer.status_code == 404
    assert "timemap/id/org/never-described.ttl" in answer.json()["detail"]
