"""The "as of" reading (``maillage/asof.py``) on plain dates: the facts of the documents about
Digital Place, written as the build derives them (C14), read at the dates the tests of the pages
and of the example queries use."""

from __future__ import annotations

from datetime import date

import pytest

from maillage.asof import (
    BadDate,
    FigureDate,
    Mark,
    Reading,
    Status,
    any_status,
    figure_status,
    latest_figures,
    parse_day,
    status,
    what_is_known,
)

D = date.fromisoformat
MERGER = D("2019-02-05")

DIGITAL_PLACE = Reading(D("2011-01-01"), D("2011-12-31"), MERGER, MERGER)
"""Founded 2011, dissolved by the merger of 5 February 2019."""
BENCHIMOL = Reading(None, D("2017-01-31"), MERGER, MERGER)
"""Attested president in January 2017 (003) and on 5 February 2019 (001)."""
MARCHAND = Reading(None, D("2015-05-22"), D("2015-05-22"), MERGER)
"""Attested directeur général on 22 May 2015 (002) only."""
DIGITAL_113 = Reading(MERGER, MERGER, D("2025-12-31"), None)
NOTHING = Reading()


@pytest.mark.parametrize(
    ("reading", "day", "expected"),
    [
        (DIGITAL_PLACE, "2016-06-01", Status.HOLDS),
        (DIGITAL_PLACE, "2010-06-01", Status.DOES_NOT_HOLD),
        (DIGITAL_PLACE, "2011-06-01", Status.UNKNOWN),  # founded "2011": which day is unknown
        (DIGITAL_PLACE, "2019-02-05", Status.HOLDS),
        (DIGITAL_PLACE, "2019-02-06", Status.DOES_NOT_HOLD),
        (DIGITAL_PLACE, "2020-01-01", Status.DOES_NOT_HOLD),
        (BENCHIMOL, "2016-06-01", Status.UNKNOWN),  # not placed at its head before 2017
        (BENCHIMOL, "2017-01-31", Status.HOLDS),
        (BENCHIMOL, "2018-06-01", Status.HOLDS),  # between two attestations: read as holding
        (BENCHIMOL, "2020-01-01", Status.DOES_NOT_HOLD),  # outlives no organisation
        (MARCHAND, "2015-05-22", Status.HOLDS),
        (MARCHAND, "2016-06-01", Status.UNKNOWN),
        (MARCHAND, "2014-01-01", Status.UNKNOWN),
        (MARCHAND, "2020-01-01", Status.DOES_NOT_HOLD),
        (DIGITAL_113, "2016-06-01", Status.DOES_NOT_HOLD),
        (DIGITAL_113, "2020-01-01", Status.HOLDS),
        (DIGITAL_113, "2030-01-01", Status.UNKNOWN),  # never known to end: not read as ended
        (NOTHING, "2020-01-01", Status.UNKNOWN),  # an undated document attests nothing
    ],
)
def test_status_as_of_a_day(reading, day, expected):
    assert status(reading, D(day)) is expected


def test_a_statement_holds_when_one_of_the_facts_behind_it_holds():
    assert any_status([Status.DOES_NOT_HOLD, Status.HOLDS]) is Status.HOLDS
    assert any_status([Status.DOES_NOT_HOLD, Status.UNKNOWN]) is Status.UNKNOWN
    assert any_status([Status.DOES_NOT_HOLD]) is Status.DOES_NOT_HOLD
    assert any_status([]) is Status.UNKNOWN


@pytest.mark.parametrize("text", ["2018-06-01", "2016-02-29"])
def test_a_day_is_parsed(text):
    assert parse_day(text) == D(text)


@pytest.mark.parametrize("text", ["2018-6-1", "2018-02-30", "2018", "2018-06", "01/06/2018", ""])
def test_anything_but_a_day_is_refused_with_what_was_expected_and_received(text):
    with pytest.raises(BadDate) as refused:
        parse_day(text)
    assert "YYYY-MM-DD" in str(refused.value) and repr(text) in str(refused.value)


def attested(text: str, earliest: str, latest: str | None = None) -> Mark:
    return Mark("attested", text, D(earliest), D(latest or earliest))


BENCHIMOL_MARKS = [
    attested("2019-02-05", "2019-02-05"),
    attested("2017-01", "2017-01-01", "2017-01-31"),
]


def test_what_is_known_says_the_next_or_the_last_attestation():
    assert what_is_known(BENCHIMOL_MARKS, D("2016-06-01")) == "attested from 2017-01"
    assert what_is_known([attested("2015-05-22", "2015-05-22")], D("2016-06-01")) == (
        "last attested 2015-05-22"
    )
    assert what_is_known(BENCHIMOL_MARKS, D("2020-01-01")) == "last attested 2019-02-05"
    assert what_is_known(BENCHIMOL_MARKS, D("2018-06-01")) == "attested 2017-01 and 2019-02-05"
    marchand = [attested("2015-05-22", "2015-05-22")]
    assert what_is_known(marchand, D("2016-06-01"), MARCHAND) == (
        "last attested 2015-05-22; at the latest until 2019-02-05"
    )


def test_what_is_known_names_the_beginning_and_end_at_their_precision():
    marks = [
        Mark("beginning", "2011", D("2011-01-01"), D("2011-12-31")),
        Mark("end", "2019-02-05", MERGER, MERGER),
    ]
    assert what_is_known(marks, D("2011-06-01")) == "began 2011; ended 2019-02-05"
    assert what_is_known([], D("2011-06-01")) == "no date known"


def figure(key: str, series: str, year: int | None) -> FigureDate:
    if year is None:
        return FigureDate(key, (series,))
    return FigureDate(key, (series,), date(year, 1, 1), date(year, 12, 31))


MEMBERS_2019 = figure("members-2019", "members", 2019)
MEMBERS_2025 = figure("members-2025", "members", 2025)
BUDGET_2019 = figure("budget-2019", "budget", 2019)
UNDATED = figure("calls", "calls", None)


def test_a_figure_is_attested_after_its_date_unknown_within_it_and_not_yet_before():
    assert figure_status(MEMBERS_2019, D("2020-01-01")) is Status.HOLDS
    assert figure_status(MEMBERS_2019, D("2019-06-01")) is Status.UNKNOWN
    assert figure_status(MEMBERS_2019, D("2016-06-01")) is Status.DOES_NOT_HOLD
    assert figure_status(UNDATED, D("2016-06-01")) is Status.UNKNOWN


def test_the_latest_attested_figure_of_a_series_supersedes_the_earlier_ones():
    figures = [MEMBERS_2019, MEMBERS_2025, BUDGET_2019, UNDATED]
    assert latest_figures(figures, D("2020-01-01")) == {
        "members-2019": Status.HOLDS,
        "members-2025": Status.DOES_NOT_HOLD,
        "budget-2019": Status.HOLDS,
        "calls": Status.UNKNOWN,
    }
    assert latest_figures(figures, D("2026-01-01"))["members-2019"] is Status.DOES_NOT_HOLD
    assert latest_figures(figures, D("2026-01-01"))["members-2025"] is Status.HOLDS
    assert latest_figures(figures, D("2025-06-01"))["members-2019"] is Status.HOLDS
    assert latest_figures(figures, D("2025-06-01"))["members-2025"] is Status.UNKNOWN
    two_of_2019 = [MEMBERS_2019, figure("target-2019", "members", 2019)]
    assert set(latest_figures(two_of_2019, D("2020-01-01")).values()) == {Status.HOLDS}
