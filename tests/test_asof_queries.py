"""The "as of" example queries (``docs/queries/*as-of*.rq``, in the README) on the release built
from the real documents: their answers at the dates they ask about are what the documents say,
and agree with the reading the pages make (``maillage/asof.py``)."""

from __future__ import annotations

from datetime import date

import pyoxigraph as ox
import pytest

from maillage.asof import FigureDate, Status, latest_figures
from maillage.settings import REPO_ROOT

QUERIES = REPO_ROOT / "docs" / "queries"
ID = "https://w3id.org/maillage/id/"


def answers(store: ox.Store, name: str) -> list[dict[str, str]]:
    """Each solution of the example ``name`` as ``{variable: value}`` (unbound ones left out)."""
    query = (QUERIES / name).read_text(encoding="utf-8")
    solutions = store.query(query)
    names = [v.value for v in solutions.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in solutions]


def at(rows: list[dict[str, str]], day: str) -> list[dict[str, str]]:
    return [row for row in rows if row["asOf"] == day]


# --- Figures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def figures(store) -> list[dict[str, str]]:
    return answers(store, "07-as-of-latest-figures.rq")


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
