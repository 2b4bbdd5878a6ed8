"""The facet table of the release's search index (``search.sqlite``), on the release built from
the repository: Digital 113's facets as the documents give them, one row per resource, facet
and value, the indexes the reconciliation service uses, and communes read by the same rule as
the browse lists' commune filter."""

from __future__ import annotations

import sqlite3

import pytest

from maillage.layout import SEARCH_INDEX
from maillage.search import FACET_TABLE, FACETS
from server import browse_view

ID = "https://w3id.org/maillage/id/"
ORGANIZATION = "http://www.w3.org/ns/org#Organization"


@pytest.fixture(scope="module")
def index(release):
    connection = sqlite3.connect(f"file:{release / SEARCH_INDEX}?mode=ro", uri=True)
    yield connection
    connection.close()


def facets_of(index, iri: str) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    rows = index.execute(f"SELECT facet, value, label FROM {FACET_TABLE} WHERE iri = ?", (iri,))
    for facet, value, label in rows:
        found.setdefault(facet, {})[value] = label
    return found


def test_digital_113_has_its_class_family_kind_communes_and_founding_year(index):
    facets = facets_of(index, ID + "org/digital-113")
    assert facets["class"] == {ORGANIZATION: "organisation"}
    family = "https://w3id.org/maillage/concept/family/clusters-poles"
    assert facets["family"] == {family: "Clusters et pôles de compétitivité"}
    assert facets["kind"] == {"https://w3id.org/maillage/concept/kind/cluster": "cluster"}
    assert facets["commune"][ID + "commune/31555"] == "Toulouse"
    assert facets["insee"]["31555"] == "Toulouse"
    assert facets["founded"] == {"2019": "2019"}
    # its head office and its four other sites (documents 000 and 001)
    assert set(facets["insee"]) == {"31555", "34172", "30189", "11069", "66136"}


def test_a_commune_is_in_itself_and_has_its_insee_code(index):
    facets = facets_of(index, ID + "commune/34172")
    assert facets["commune"] == {ID + "commune/34172": "Montpellier"}
    assert facets["insee"] == {"34172": "Montpellier"}
    assert facets["class"]["http://rdf.insee.fr/def/geo#Commune"] == "commune"


def test_an_event_is_in_the_commune_of_its_location(index):
    facets = facets_of(index, ID + "event/la-melee-numerique")
    assert ID + "commune/31555" in facets["commune"]


def test_the_table_its_indexes_and_its_facet_names(index):
    columns = [(c[1], c[2], c[3]) for c in index.execute(f"PRAGMA table_info({FACET_TABLE})")]
    assert columns == [(name, "TEXT", 1) for name in ("iri", "facet", "value", "label")]
    indexed = {
        tuple(c[2] for c in index.execute(f"PRAGMA index_info({name})"))
        for (name,) in index.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", (FACET_TABLE,)
        )
    }
    assert indexed == {("iri", "facet", "value", "label"), ("facet", "value")}  # by iri, covering
    used = {facet for (facet,) in index.execute(f"SELECT DISTINCT facet FROM {FACET_TABLE}")}
    assert used == set(FACETS)
    rows = index.execute(
        f"SELECT count(*), count(DISTINCT iri || facet || value) FROM {FACET_TABLE}"
    )
    total, distinct = rows.fetchone()
    assert total == distinct  # one row per resource, facet and value


def test_every_faceted_resource_is_a_search_hit_candidate(index):
    orphans = index.execute(
        f"SELECT count(*) FROM {FACET_TABLE} WHERE iri NOT IN (SELECT iri FROM search)"
    )
    assert orphans.fetchone() == (0,)


@pytest.mark.parametrize("code", ["31555", "34172"])
def test_the_commune_facet_agrees_with_the_browse_lists_filter(client, index, code):
    reader = client.app.state.reader
    listed = browse_view.entries(reader, ORGANIZATION)
    browsed = {e.iri for e in browse_view.filtered(reader, listed, None, None, code)}
    faceted = {
        iri
        for (iri,) in index.execute(
            f"SELECT f.iri FROM {FACET_TABLE} f JOIN {FACET_TABLE} c ON c.iri = f.iri "
            "WHERE f.facet = 'insee' AND f.value = ? AND c.facet = 'class' AND c.value = ?",
            (code, ORGANIZATION),
        )
    }
    assert browsed and faceted == browsed
