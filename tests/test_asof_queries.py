"""The "as of" example queries (``docs/queries/*-as-of-*.rq``, in the README) on the release
built from the real documents: their answers at the dates they ask about are what the documents
say (the merger of Digital Place and FrenchSouth.digital into Digital 113 on 2019-02-05), and
agree with the reading the pages make (``maillage/asof.py``, ``tests/test_asof_pages.py``)."""

from __future__ import annotations

from datetime import date

import pytest
from release_queries import example

from maillage.asof import FigureDate, Status, latest_figures


def at(rows: list[dict[str, str]], day: str) -> list[dict[str, str]]:
    return [row for row in rows if row["asOf"] == day]


def statuses(rows: list[dict[str, str]], day: str, name: str) -> dict[str, str]:
    return {row[name]: row["status"] for row in at(rows, day)}


# --- Heads, clusters, sites -------------------------------------------------------------------


def test_who_heads_digital_place(store):
    heads = example(store, "04-as-of-heads.rq")
    # Benchimol: president in January 2017 (003) and on 5 February 2019 (001, as_of); not placed
    # at its head before 2017. Marchand: directeur général on 22 May 2015 (002) only.
    assert statuses(heads, "2016-06-01", "person") == {
        "Daniel Benchimol": "unknown",
        "Tony Marchand": "unknown",
    }
    assert statuses(heads, "2018-06-01", "person") == {
        "Daniel Benchimol": "holds",
        "Tony Marchand": "unknown",
    }
    assert at(heads, "2020-01-01") == []  # merged into Digital 113 on 2019-02-05


def test_which_clusters_exist(store):
    clusters = example(store, "05-as-of-clusters.rq")
    before, after = (statuses(clusters, d, "cluster") for d in ("2016-06-01", "2020-01-01"))
    assert before["Digital Place"] == before["FrenchSouth.digital"] == "holds"
    assert "Digital 113" not in before
    assert after["Digital 113"] == "holds"
    assert not {"Digital Place", "FrenchSouth.digital"} & set(after)
    assert set(before.values()) | set(after.values()) <= {"holds", "unknown"}


def test_where_the_clusters_have_sites(store):
    sites = example(store, "06-as-of-sites.rq")
    before, after = at(sites, "2018-06-01"), at(sites, "2020-01-01")
    assert {row["organisation"] for row in before} == {"Digital Place"}  # not yet Digital 113
    assert {row["commune"] for row in before} == {"Toulouse", "Labège"}  # attested 2017-01
    assert {row["organisation"] for row in after} == {"Digital 113"}
    assert "Siège de Digital 113 (Toulouse)" in {row["site"] for row in after}


# --- Figures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def figures(store) -> list[dict[str, str]]:
    return example(store, "07-as-of-latest-figures.rq")


def test_no_figure_of_2019_is_attested_in_june_2019(figures):
    june = at(figures, "2019-06-01")
    assert june and {row["status"] for row in june} == {"unknown"}
    assert {row["date"] for row in june} == {"2019"}


def test_the_2025_member_count_supersedes_those_of_2019(figures):
    members = [row for row in at(figures, "2026-01-01") if row["measure"] == "members"]
    assert [(row["value"], row["date"], row["status"]) for row in members] == [
        ("400", "2025", "holds")
    ]
    budget = [row for row in at(figures, "2026-01-01") if row["measure"] == "budget"]
    assert [(row["value"], row["date"]) for row in budget] == [("1200000", "2019")]


def test_the_query_and_the_pages_read_figures_alike(store, figures):
    """The figures the query keeps at each date are those ``latest_figures`` keeps, with the
    same status, from the same bounds."""
    found = store.query(
        """PREFIX mlg: <https://w3id.org/maillage/def/>
        SELECT ?f ?m ?u ?from ?to WHERE {
          <https://w3id.org/maillage/id/org/digital-113> mlg:observation ?f .
          ?f mlg:measure ?m ; mlg:unit ?u ; mlg:earliestDate ?from ; mlg:latestDate ?to }"""
    )
    dated = [
        FigureDate(
            r["f"].value,
            (r["m"].value, r["u"].value),
            date.fromisoformat(r["from"].value),
            date.fromisoformat(r["to"].value),
        )
        for r in found
    ]
    for day in sorted({row["asOf"] for row in figures}):
        statuses = latest_figures(dated, date.fromisoformat(day))
        kept = sorted(s.value for s in statuses.values() if s is not Status.DOES_NOT_HOLD)
        assert sorted(row["status"] for row in at(figures, day)) == kept, day
