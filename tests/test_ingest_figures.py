"""Figures: value, unit, measure and qualifier read from French text (maillage/ingest/figures.py),
on invented sentences and on the seed documents' own constructions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from maillage.ingest.figures import find_figures


def read(text: str, about_organisation: bool = True):
    return [
        (f.text, f.value, f.unit, f.measure, f.qualifier)
        for f in find_figures(text, lambda _at: about_organisation)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Le réseau Ardoise rassemble plus de 1 200 adhérents",
            (
                "plus de 1 200 adhérents",
                1200,
                "unit:member",
                "measure:members",
                "qualifier:plus-de",
            ),
        ),
        (
            "Ardoise dispose d'un budget de 1,2 M€",
            ("1,2 M€", 1200000, "unit:euro", "measure:budget", None),
        ),
        (
            "un chiffre d'affaires cumulé de 3,5 Mds €",
            ("3,5 Mds €", 3500000000, "unit:euro", "measure:revenue", None),
        ),
        (
            "elle fédère une quarantaine de membres",
            (
                "une quarantaine de membres",
                40,
                "unit:member",
                "measure:members",
                "qualifier:une-quarantaine",
            ),
        ),
        (
            "Elle accompagne une centaine de start-up",
            (
                "une centaine de start-up",
                100,
                "unit:startup",
                "measure:startups-supported",
                "qualifier:une-centaine",
            ),
        ),
        (
            "la grappe rassemble environ 80 adhérents",
            ("environ 80 adhérents", 80, "unit:member", "measure:members", "qualifier:environ"),
        ),
        (
            "près de 52 500 salariés",
            ("près de 52 500 salariés", 52500, "unit:person", "measure:jobs", "qualifier:pres-de"),
        ),
        (
            "un taux de croissance annuel de 3 %",
            ("3 %", 3, "unit:percent", "measure:growth-rate", None),
        ),
        (
            "moins de 20% des salariés du secteur sont des femmes",
            ("moins de 20%", 20, "unit:percent", "measure:women-share", "qualifier:moins-de"),
        ),
        (
            "le salon a réuni 100 exposants",
            ("100 exposants", 100, "unit:exhibitor", "measure:exhibitors", None),
        ),
        (
            "Ardoise reçoit 150 appels par an",
            ("150 appels", 150, "unit:call-per-year", "measure:calls", None),
        ),
        (
            "une formation de 4 jours",
            ("4 jours", 4, "unit:day", "measure:duration", None),
        ),
        (
            "organisé depuis quatre ans",
            ("quatre ans", 4, "unit:year", "measure:years-running", None),
        ),
        (
            "son classement à la 8e place des éditeurs",
            ("8e place", 8, "unit:rank", "measure:ranking", None),
        ),
        (
            "un taux de 1,5 % de croissance",
            ("1,5 %", Decimal("1.5"), "unit:percent", "measure:growth-rate", None),
        ),
    ],
)
def test_value_unit_measure_and_qualifier(text, expected):
    assert read(text) == [expected]


def test_shares_of_one_budget_each_take_their_own_words():
    assert [
        f[3] for f in read("financé à 70 % en autofinancement et à 30 % par des subventions")
    ] == [
        "measure:self-financing-share",
        "measure:subsidy-share",
    ]


def test_members_totals_after_soit_are_the_members_not_the_organisation():
    figures = read("Ardoise rassemble 90 membres (soit 2 M€ de chiffre d'affaires et 800 emplois)")
    assert [f[3] for f in figures] == [
        "measure:members",
        "measure:member-revenue",
        "measure:member-jobs",
    ]


def test_companies_an_organisation_gathers_are_its_member_companies():
    assert read("Ardoise rassemble 300 entreprises")[0][3] == "measure:member-companies"
    assert read("la filière regroupe 8 000 entreprises", False)[0][3] == "measure:companies"
    assert read("la pépinière héberge 40 entreprises")[0][3] == "measure:companies-hosted"


def test_an_approximation_without_its_own_concept_is_about_its_round_value():
    (figure,) = find_figures("une trentaine de participants")
    assert (figure.value, figure.qualifier) == (30, "qualifier:environ")
    assert figure.note == "« une trentaine » read as about 30 (qualifier:environ)"


@pytest.mark.parametrize(
    "text",
    [
        "les deux clusters fusionnent",  # a reference to things named, not a count
        "l'un des trois clusters de la région",
        "le Wagon 113 ouvre ses portes",  # a number in a name
        "Ardoise a levé 2,5 M€ auprès d'un fonds",  # euros with no measure of ours
        "70 000 personnes ont visité le site",  # persons with no measure the words give
        "un projet à 6 milliards",  # no unit
        "Commentaire 1 à écrit le 25/05/2015 à 19:26",
    ],
)
def test_no_figure_without_a_unit_and_a_measure_of_ours(text):
    assert read(text) == []
