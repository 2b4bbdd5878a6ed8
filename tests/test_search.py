"""Search (``/search``, over the release's ``search.sqlite``), in process on the release built
from the repository: the first hit of each query of the table, the bad inputs (never a 500), the
JSON shape, the page, the search box of every page, and the index opened read-only."""

from __future__ import annotations

import sqlite3

import pytest

from maillage.layout import MANIFEST, SEARCH_INDEX
from server.search import MAX_QUERY_CHARS

ID = "https://w3id.org/maillage/id/"
JSON = {"accept": "application/json"}
BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}

FIRST_HITS = [
    ("kaliop", "org/kaliop"),
    ("Kaliop", "org/kaliop"),
    ("Digital 113", "org/digital-113"),
    ("digital-113", "org/digital-113"),
    ("AD'OCC", "org/ad-occ"),
    ("AD’OCC", "org/ad-occ"),
    ("adocc", "org/ad-occ"),
    ("ad-occ", "org/ad-occ"),
    ("digitalplace", "org/digital-place"),
    ("Digital Place", "org/digital-place"),
    ("la melee", "org/la-melee"),
    ("LA MÊLÉE", "org/la-melee"),
    ("la mêlée numérique", "event/la-melee-numerique"),
    ("Montpellier", "commune/34172"),
    ("montpellier", "commune/34172"),
    ("Toulouse", "commune/31555"),
    ("French Tech Montpellier", "org/french-tech-montpellier"),
    ("frenchsouth", "org/frenchsouth-digital"),
    ("FrenchSouth.digital", "org/frenchsouth-digital"),
    ("Montpelier", "commune/34172"),
    ("Kaliopp", "org/kaliop"),
    ("Digitl Place", "org/digital-place"),
]
"""Query → the IRI that must come first: case, accents, hyphens, apostrophes (straight and
typographic), names written together, and small typos."""

NEVER_SYNTAX = ['"', '""', "AND", "OR NOT", "NEAR(", "NEAR(a b", "*", "kal*", "^", "a:b", "(", ")"]
"""FTS5 operators and punctuation: text, never syntax."""
CONTROL = ["\x00", "\x01\x02", "kaliop\x1f", "\u202e", "\t\n"]


def hits(client, query: str) -> list[dict]:
    response = client.get("/search", params={"q": query}, headers=JSON)
    assert response.status_code == 200, response.text
    return response.json()["hits"]


@pytest.mark.parametrize(("query", "expected"), FIRST_HITS)
def test_the_first_hit_is_the_one_expected(client, query, expected):
    found = hits(client, query)
    assert found, f"no hit for {query!r}"
    assert found[0]["iri"] == ID + expected


def test_an_accent_or_a_case_changes_nothing(client):
    assert hits(client, "La Mêlée") == hits(client, "la melee")
    assert hits(client, "AD’OCC") == hits(client, "adocc")


@pytest.mark.parametrize("query", NEVER_SYNTAX + CONTROL + ["", "   "])
def test_a_query_is_text_never_syntax(client, query):
    response = client.get("/search", params={"q": query}, headers=JSON)
    assert response.status_code == 200
    assert isinstance(response.json()["hits"], list)


def test_operators_around_words_still_find_them(client):
    assert hits(client, '"kaliop')[0]["iri"] == ID + "org/kaliop"
    assert hits(client, "kaliop AND")[0]["iri"] == ID + "org/kaliop"  # no hit has both: any word
    assert hits(client, "NEAR(kaliop)")[0]["iri"] == ID + "org/kaliop"
    assert hits(client, "kaliop*")[0]["iri"] == ID + "org/kaliop"


@pytest.mark.parametrize("headers", [JSON, BROWSER])
def test_a_query_too_long_is_a_one_sentence_400(client, headers):
    response = client.get("/search", params={"q": "a" * 10_000}, headers=headers)
    assert response.status_code == 400
    assert f"at most {MAX_QUERY_CHARS}" in response.text


def test_a_query_of_the_longest_length_is_answered(client):
    query = ("montpellier " * 100)[:MAX_QUERY_CHARS]
    assert hits(client, query)[0]["iri"] == ID + "commune/34172"


def test_the_json_shape(client):
    response = client.get("/search?q=digital+113", headers=JSON)
    assert response.headers["content-type"] == "application/json"
    assert "Accept" in response.headers["vary"]
    body = response.json()
    assert body["query"] == "digital 113"
    assert 1 < len(body["hits"]) <= 20
    first = body["hits"][0]
    assert set(first) == {"iri", "label", "class", "snippet", "href"}
    assert first == {
        "iri": ID + "org/digital-113",
        "label": "Digital 113",
        "class": "http://www.w3.org/ns/org#Organization",
        "snippet": first["snippet"],
        "href": "/id/org/digital-113",
    }
    assert all(
        hit["label"] and hit["iri"].startswith("https://w3id.org/maillage/") for hit in body["hits"]
    )


def test_a_snippet_is_taken_from_the_description_around_the_words(client):
    snippets = [hit["snippet"] for hit in hits(client, "relais")]
    assert any("relais" in s.lower() for s in snippets)
    assert all(len(s) <= 162 for s in snippets)


def test_claims_are_not_hits(client):
    assert all("/id/claim/" not in hit["iri"] for hit in hits(client, "claim"))


def test_the_page_lists_the_hits_with_links(client):
    response = client.get("/search?q=kaliop", headers=BROWSER)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<a href="/id/org/kaliop" lang="fr">Kaliop</a>' in page
    assert "1 result for “kaliop”" in page
    assert 'value="kaliop"' in page


def test_the_page_says_when_nothing_matches(client):
    page = client.get("/search?q=zzzzqqqq", headers=BROWSER).text
    assert "0 results" in page and "Nothing in the release matches" in page


@pytest.mark.parametrize("path", ["/", "/search", "/timeline", "/id/org/kaliop"])
def test_every_page_has_a_labelled_search_box_in_its_header(client, path):
    page = client.get(path, headers=BROWSER).text
    header = page[page.index('<header class="site">') : page.index("</header>")]
    assert '<form class="site-search" action="/search" method="get" role="search"' in header
    assert '<label for="site-search-q">' in header
    assert 'id="site-search-q" type="search" name="q"' in header


def test_the_index_is_in_the_manifest_and_opened_read_only(client, release):
    assert SEARCH_INDEX in (release / MANIFEST).read_text()
    connection = client.app.state.search.connection
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        connection.execute("DELETE FROM search")
