"""Search (``/search``, over the release's ``search.sqlite``), in process on the release built
from the repository: the first hit of each query of the table, the bad inputs (never a 500), the
JSON shape, the page, the search box of every page, and the index opened read-only."""

from __future__ import annotations

import html
import sqlite3

import pytest

from maillage.layout import MANIFEST, SEARCH_INDEX
from maillage.search import words
from server.search import MAX_QUERY_CHARS, SUGGESTIONS

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
    assert set(body) == {"query", "filters", "total", "hits", "facets"}
    assert body["query"] == "digital 113"
    assert body["filters"] == {}
    assert 1 < len(body["hits"]) <= 20
    assert body["total"] >= len(body["hits"])
    assert set(body["facets"]) == {"class", "family", "commune"}
    first = body["hits"][0]
    assert set(first) == {"iri", "label", "class", "snippet", "quote", "href"}
    assert first == {
        "iri": ID + "org/digital-113",
        "label": "Digital 113",
        "class": "http://www.w3.org/ns/org#Organization",
        "snippet": first["snippet"],
        "quote": first["quote"],
        "href": "/id/org/digital-113",
    }
    assert all(
        hit["quote"] is None or set(hit["quote"]) == {"claim", "document", "href"}
        for hit in body["hits"]
    )
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
    total = answer(client, "kaliop")["total"]
    assert f"{total} résultats pour « kaliop »" in page
    assert 'value="kaliop"' in page
    english = client.get("/search?q=kaliop&lang=en", headers=BROWSER).text
    assert f"{total} results for “kaliop”" in english
    assert '<input type="hidden" name="lang" value="en">' in english


def test_the_page_says_when_nothing_matches(client):
    page = client.get("/search?q=zzzzqqqq", headers=BROWSER).text
    assert "0 résultats" in page and "Rien dans la version ne correspond" in page
    english = client.get("/search?q=zzzzqqqq&lang=en", headers=BROWSER).text
    assert "0 results" in english and "Nothing in the release matches" in english


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


# --- Facets ---------------------------------------------------------------------------------

FACETED = ["toulouse", "digital", "montpellier", "numérique"]


def answer(client, query: str, **filters) -> dict:
    response = client.get("/search", params={"q": query, **filters}, headers=JSON)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("query", FACETED)
def test_each_facet_count_is_the_total_its_filter_gives(client, query):
    body = answer(client, query)
    assert any(body["facets"].values())
    for name, options in body["facets"].items():
        for option in options:
            assert option["label"] and option["iri"].startswith("http")
            narrowed = answer(client, query, **{name: option["value"]})
            assert narrowed["total"] == option["count"], (name, option)
            assert narrowed["filters"] == {name: option["value"]}


def test_facets_count_by_class_family_and_commune(client):
    facets = answer(client, "digital 113")["facets"]
    classes = {o["value"]: o for o in facets["class"]}
    assert classes["org:Organization"]["label"] == "organisation"
    assert classes["org:Organization"]["iri"] == "http://www.w3.org/ns/org#Organization"
    families = {o["value"]: o["label"] for o in facets["family"]}
    assert families["clusters-poles"] == "Clusters et pôles de compétitivité"
    communes = {o["value"]: o for o in facets["commune"]}
    assert communes["31555"]["label"] == "Toulouse"
    assert communes["31555"]["iri"] == ID + "commune/31555"


def test_filters_narrow_the_hits_and_combine(client):
    everything = answer(client, "digital")
    organisations = answer(client, "digital", **{"class": "org:Organization"})
    in_toulouse = answer(client, "digital", **{"class": "org:Organization", "commune": "31555"})
    assert everything["total"] > organisations["total"] > in_toulouse["total"] > 0
    assert ID + "org/digital-113" in {h["iri"] for h in in_toulouse["hits"]}
    typed = client.app.state.search.connection.execute(
        "SELECT iri FROM facet WHERE facet = 'class' AND value = ?",
        ("http://www.w3.org/ns/org#Organization",),
    )
    assert {h["iri"] for h in organisations["hits"]} <= {iri for (iri,) in typed}
    assert in_toulouse["facets"]["commune"][0] == {
        "value": "31555",
        "iri": ID + "commune/31555",
        "label": "Toulouse",
        "count": in_toulouse["total"],
    }


def test_a_known_value_that_nothing_found_has_is_no_hit_not_an_error(client):
    body = answer(client, "eye-tracking", family="clusters-poles")
    assert body["total"] == 0 and body["hits"] == []


BAD_FILTERS = [
    ({"class": "org:Nothing"}, "unknown class 'org:Nothing'"),
    ({"class": "http://example.org/C"}, "unknown class"),
    ({"family": "clusters"}, "unknown family 'clusters'"),
    ({"commune": "99999"}, "unknown commune '99999'"),
    ({"commune": ""}, "unknown commune ''"),
    ({"commune": "31555\x00"}, "unknown commune"),
    ({"family": "x" * 10_000}, "unknown family 'xxxxxxxx"),
    ({"class": "'; DROP TABLE facet; --"}, "unknown class"),
]


@pytest.mark.parametrize("headers", [JSON, BROWSER])
@pytest.mark.parametrize(("filters", "said"), BAD_FILTERS)
def test_a_bad_facet_value_is_a_one_sentence_400(client, headers, filters, said):
    response = client.get("/search", params={"q": "toulouse", **filters}, headers=headers)
    assert response.status_code == 400
    assert said in html.unescape(response.text)
    if headers is JSON:
        detail = response.json()["detail"]
        assert detail.count(". ") == 0 and detail.endswith(".") and len(detail) < 200


def test_the_page_links_each_facet_value_and_lifts_a_filter(client):
    page = client.get("/search?q=toulouse", headers=BROWSER).text
    assert page.index("</title>") < page.index('<nav class="search-facets"')
    facets = page[
        page.index('<nav class="search-facets"') : page.index("</nav>", page.index("search-facets"))
    ]
    assert (
        '<a href="/search?q=toulouse&amp;class=org%3AOrganization" lang="fr">organisation</a>'
        in facets
    )
    assert '<a href="/search?q=toulouse&amp;commune=31555" lang="fr">Toulouse</a>' in facets
    narrowed = client.get("/search?q=toulouse&class=org:Organization", headers=BROWSER).text
    assert '<strong aria-current="true" lang="fr">organisation</strong>' in narrowed
    assert '<a href="/search?q=toulouse">retirer' in narrowed
    total = answer(client, "toulouse", **{"class": "org:Organization"})["total"]
    assert f"{total} résultats pour « toulouse »" in narrowed


def test_the_page_s_links_keep_the_language_asked_for(client):
    page = client.get("/search?q=toulouse&lang=en", headers=BROWSER).text
    assert (
        '<a href="/search?q=toulouse&amp;lang=en&amp;commune=31555" lang="fr">Toulouse</a>' in page
    )
    narrowed = client.get("/search?q=toulouse&lang=en&commune=31555", headers=BROWSER).text
    assert '<a href="/search?q=toulouse&amp;lang=en">remove' in narrowed


# --- Quotes ---------------------------------------------------------------------------------

QUOTED = [
    ("antennes", "org/digital-113", "001/d113-antennes"),
    ("antenes", "org/digital-113", "001/d113-antennes"),
    ("issu de la fusion", "change/fusion-digital-113", "000/a-fusion-digital-113-date"),
    ("explique Benchimol", "person/daniel-benchimol", "001/benchimol-president-digital-place"),
    ("conseil administration provisoir", "org/kaliop", "002/deniset"),
]
"""A word of a claim's quote (or a misspelling of it) → a resource the claim is about, found
with that quote as its snippet, linked to the claim on its document's page."""


@pytest.mark.parametrize(("query", "expected", "claim"), QUOTED)
def test_a_word_of_a_quote_finds_what_the_claim_is_about(client, query, expected, claim):
    found = {hit["iri"]: hit for hit in hits(client, query)}
    assert ID + expected in found, sorted(found)
    hit = found[ID + expected]
    document, local = claim.split("/")
    assert hit["quote"] == {
        "claim": ID + "claim/" + claim,
        "document": document,
        "href": f"/document/{document}?claim={local}#claim-{local}",
    }
    text = client.app.state.reader.claim(ID + "claim/" + claim).exact
    assert hit["snippet"].strip("…") in text


def test_a_deprecated_claim_s_quote_finds_nothing_through_it(client):
    reader = client.app.state.reader
    deprecated = [
        q.subject.value
        for q in reader.quads(None, reader.term("rank"), reader.term("DeprecatedRank"))
    ]
    assert len(deprecated) == 3
    for claim in deprecated:
        quote = reader.claim(claim).exact[:MAX_QUERY_CHARS]
        assert all(
            hit["quote"] is None or hit["quote"]["claim"] != claim for hit in hits(client, quote)
        )
    # « Issu de la fusion, en 2019, de La Mêlée (Toulouse) … » lost: La Mêlée did not merge
    assert ID + "org/la-melee" not in {hit["iri"] for hit in hits(client, "issu de la fusion")}


def test_the_page_shows_the_quote_and_links_the_claim(client):
    page = client.get("/search?q=antennes", headers=BROWSER).text
    href = "/document/001?claim=d113-antennes#claim-d113-antennes"
    assert '<p class="snippet quoted"><q lang="fr">' in page
    assert f'<a href="{href}">citation de l’affirmation, document 001</a>' in page


# --- Autocomplete ---------------------------------------------------------------------------

PREFIXES = [
    ("kal", "org/kaliop"),
    ("Kali", "org/kaliop"),
    ("ad'o", "org/ad-occ"),
    ("AD’O", "org/ad-occ"),
    ("adoc", "org/ad-occ"),
    ("ad-o", "org/ad-occ"),
    ("digital pl", "org/digital-place"),
    ("digital 1", "org/digital-113"),
    ("la mel", "org/la-melee"),
    ("LA MÊL", "org/la-melee"),
    ("montp", "commune/34172"),
    ("toul", "commune/31555"),
    ("benchi", "person/daniel-benchimol"),
    ("frenchs", "org/frenchsouth-digital"),
]
"""What one has typed → the suggestion that must come first: prefixes of a name's words,
folded (accents, case, hyphens, apostrophes)."""


def suggestions(client, typed: str) -> list[dict]:
    response = client.get("/search/suggest", params={"q": typed})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()["suggestions"]


@pytest.mark.parametrize(("typed", "expected"), PREFIXES)
def test_the_first_suggestion_is_the_one_expected(client, typed, expected):
    found = suggestions(client, typed)
    assert found, f"no suggestion for {typed!r}"
    assert found[0]["iri"] == ID + expected


def test_a_suggestion_s_shape(client):
    body = client.get("/search/suggest?q=kal").json()
    assert body == {
        "query": "kal",
        "suggestions": [
            {
                "iri": ID + "org/kaliop",
                "label": "Kaliop",
                "class": "http://www.w3.org/ns/org#Organization",
                "class_label": "organisation",
                "href": "/id/org/kaliop",
            }
        ],
    }


def test_every_suggestion_starts_like_what_was_typed_and_they_are_few(client):
    found = suggestions(client, "mont")
    assert 1 < len(found) <= SUGGESTIONS
    assert all(any(w.startswith("mont") for w in words(s["label"])) for s in found)


@pytest.mark.parametrize("typed", ["", "k", " k ", "'", "-"])
def test_fewer_than_two_letters_suggest_nothing(client, typed):
    assert suggestions(client, typed) == []


@pytest.mark.parametrize("typed", NEVER_SYNTAX + CONTROL)
def test_what_is_typed_is_text_never_syntax(client, typed):
    assert isinstance(suggestions(client, typed), list)


def test_too_long_a_text_is_a_one_sentence_400(client):
    response = client.get("/search/suggest", params={"q": "k" * 10_000})
    assert response.status_code == 400
    assert response.json() == {"detail": "the query is 10000 characters long; at most 200."}


def test_the_header_s_search_form_offers_autocomplete_and_still_submits(client):
    page = client.get("/", headers=BROWSER).text
    header = page[page.index('<header class="site">') : page.index("</header>")]
    form = header[header.index('<form class="site-search"') : header.index("</form>")]
    assert 'action="/search" method="get"' in form and 'data-suggest="/search/suggest"' in form
    assert '<script src="/static/suggest.js" defer></script>' in page
    assert client.get("/static/suggest.js").status_code == 200
