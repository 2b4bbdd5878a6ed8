"""The sentence that opens an entity's page (``server/entity_summary.py``), on the release built
from the real documents: what each clause says comes from the data (a founding date at its
precision, the merger, the head office, the latest figure with its qualifier, the heads, roles,
an event's date and place…), in French and in English; and the words around it
(``server/phrasing.py``)."""

from __future__ import annotations

import pytest

from maillage.release_reader import ReleaseReader
from maillage.settings import Settings
from server import phrasing as ph
from server.entity_summary import FEMININE_KINDS, MASCULINE_KINDS, summary
from server.sentence import plain

BASE = "https://w3id.org/maillage/"


@pytest.fixture(scope="module")
def settings(built) -> Settings:
    return Settings(var_dir=built[0].var_dir)


@pytest.fixture(scope="module")
def reader(settings, release) -> ReleaseReader:
    return ReleaseReader(release, settings.base_iri)


def said(reader, settings, path: str) -> dict[str, str]:
    return {lang: plain(parts) for lang, parts in summary(reader, settings, BASE + path).items()}


def test_digital_113_founded_by_the_merger_with_its_head_office_and_latest_figure(reader, settings):
    found = said(reader, settings, "id/org/digital-113")
    assert found["fr"] == (
        "Cluster créé le 5 février 2019 par la fusion de Digital Place et FrenchSouth.digital"
        "\u202f; siège à Toulouse\u202f; sites à Carcassonne, Montpellier, Nîmes et Perpignan"
        "\u202f; plus de 400 membres en 2025."
    )
    assert found["en"] == (
        "Cluster founded on 5 February 2019 by the merger of Digital Place and "
        "FrenchSouth.digital; head office in Toulouse; sites in Carcassonne, Montpellier, Nîmes "
        "and Perpignan; more than 400 members in 2025."
    )


def test_digital_place_founded_in_a_year_and_dissolved_by_the_merger(reader, settings):
    """A year stays a year (« en 2011 »); an association is feminine (« créée », « dissoute »);
    its heads come with their roles and the years their documents attest them."""
    found = said(reader, settings, "id/org/digital-place")["fr"]
    assert found.startswith("Association (cluster, grappe d'entreprises, groupement d'entreprises)")
    assert "créée en 2011 en Midi-Pyrénées" in found
    assert "dissoute le 5 février 2019 par la fusion dans Digital 113" in found
    assert "environ 200 membres en 2017" in found
    assert (
        "à sa tête : Daniel Benchimol (président, attesté 2017–2019) et Tony Marchand "
        "(directeur général, attesté 2015)" in found
    )
    english = said(reader, settings, "id/org/digital-place")["en"]
    assert "ended on 5 February 2019 by the merger into Digital 113" in english


def test_frenchsouth_digital_founded_in_a_month(reader, settings):
    assert "créée en février 2015" in said(reader, settings, "id/org/frenchsouth-digital")["fr"]
    assert "founded in February 2015" in said(reader, settings, "id/org/frenchsouth-digital")["en"]


def test_kaliop_a_company_and_its_head(reader, settings):
    assert said(reader, settings, "id/org/kaliop") == {
        "fr": "Entreprise\u202f; à sa tête : Pierre Deniset "
        "(président-directeur général, attesté 2015).",
        "en": "Company; headed by Pierre Deniset (chairman and chief executive, attested 2015).",
    }


def test_a_person_by_their_roles(reader, settings):
    found = said(reader, settings, "id/person/pierre-deniset")
    assert found["fr"] == (
        "Président de FrenchSouth.digital (attesté 2017–2019), président du conseil "
        "d'administration provisoire de FrenchSouth.digital (attesté 2015) et "
        "président-directeur général de Kaliop (attesté 2015)."
    )
    assert found["en"].startswith("President of FrenchSouth.digital (attested 2017–2019)")
    based = said(reader, settings, "id/person/luc-marta-de-andrade")["fr"]
    assert based.startswith("Personne basée à Toulouse\u202f; fondateur de NXU")


def test_an_event_by_its_organiser_date_and_place(reader, settings):
    found = said(reader, settings, "id/event/debat-la-lettre-m-montpellier-2015")
    assert found["fr"].startswith(
        "Événement organisé par La Lettre M le 22 mai 2015 à Montpellier\u202f; avec Katia Vidic"
    )
    assert found["en"].startswith("Event organised by La Lettre M on 22 May 2015 in Montpellier")
    series = said(reader, settings, "id/event/la-melee-numerique")["fr"]
    assert series == "Série d’événements organisée par La Mêlée à Toulouse."
    edition = said(reader, settings, "id/event/innovation-it-day-2017")["fr"]
    assert "dans le cadre d’Innovation IT Day" in edition


def test_toulouse_where_it_is_and_what_is_there(reader, settings, store):
    found = said(reader, settings, "id/commune/31555")["fr"]
    assert found.startswith(
        "Commune de Haute-Garonne (31), en Occitanie\u202f; code INSEE 31555\u202f; "
        "chef-lieu de Haute-Garonne, Midi-Pyrénées et Occitanie"
    )
    organisations = store.query(
        """SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {
          ?o <http://www.w3.org/ns/org#hasSite>|<http://www.w3.org/ns/org#hasPrimarySite> ?s .
          ?s <http://www.opengis.net/ont/geosparql#sfWithin>
             <https://w3id.org/maillage/id/commune/31555> }""",
        use_default_graph_as_union=False,
    )
    count = int(next(iter(organisations))["n"].value)
    assert f"{count} organisations y ont un site" in found


def test_a_change_a_figure_a_target_a_region_a_conflict(reader, settings):
    assert said(reader, settings, "id/change/fusion-digital-113")["fr"] == (
        "Fusion de Digital Place et FrenchSouth.digital dans Digital 113 le 5 février 2019 "
        "(prévue pour mars 2017)."
    )
    assert said(reader, settings, "id/figure/digital-113-membres-2019")["en"] == (
        "Figure of Digital 113: more than 350 members in 2019."
    )
    assert said(reader, settings, "id/figure/digital-113-objectif-adherents")["fr"] == (
        "Objectif de Digital 113\u00a0: 400 membres (2019)."
    )
    assert said(reader, settings, "id/region/73")["en"].startswith(
        "Former region from 9 January 1970 to 31 December 2015, replaced by Occitanie"
    )
    assert said(reader, settings, "id/conflict/taille-digital-113")["fr"] == (
        "Désaccord sur Digital 113\u00a0: 5 affirmations de 3 documents."
    )


def test_every_name_in_a_sentence_links_to_its_page(reader, settings):
    parts = summary(reader, settings, BASE + "id/org/digital-113")
    links = {p.text: p.href for p in parts["en"] if p.href}
    assert links["Digital Place"] == "/id/org/digital-place"
    assert links["Toulouse"] == "/id/commune/31555"
    assert links["more than 400 members"] == "/id/figure/digital-113-membres-2025"
    french_names = {p.text for p in parts["en"] if p.lang == "fr"}
    assert {"Digital Place", "Toulouse"} <= french_names  # lang="fr" in the English sentence
    assert not [p for p in parts["fr"] if p.lang]


def test_every_kind_of_the_release_has_a_french_gender(store):
    kinds = store.query(
        "SELECT ?n WHERE { ?k <http://www.w3.org/2004/02/skos/core#inScheme> "
        "<https://w3id.org/maillage/concept/kind> ; "
        "<http://www.w3.org/2004/02/skos/core#notation> ?n }",
        use_default_graph_as_union=False,
    )
    notations = {row["n"].value for row in kinds}
    assert notations and notations <= FEMININE_KINDS | MASCULINE_KINDS
    assert not FEMININE_KINDS & MASCULINE_KINDS


# --- The words ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "datatype", "fr", "en"),
    [
        ("2019-02-05", ph.DATE, "le 5 février 2019", "on 5 February 2019"),
        ("2019-03-01", ph.DATE, "le 1er mars 2019", "on 1 March 2019"),
        ("2015-02", ph.YEAR_MONTH, "en février 2015", "in February 2015"),
        ("2011", ph.YEAR, "en 2011", "in 2011"),
    ],
)
def test_dates_at_their_precision(value, datatype, fr, en):
    date = ph.Dated(value, datatype)
    assert (ph.on_date(date, "fr"), ph.on_date(date, "en")) == (fr, en)


@pytest.mark.parametrize(
    ("count", "fr", "en"),
    [
        (ph.Count("350", "membre", qualifier="plus de"), "plus de 350 membres", None),
        (ph.Count("350", "member", qualifier="more than"), None, "more than 350 members"),
        (ph.Count("1", "membre"), "1 membre", None),
        (ph.Count("150", "appel par an"), "150 appels par an", None),
        (ph.Count("8400", "company"), None, "8,400 companies"),
        (ph.Count("52500", "personne", qualifier="près de"), "près de 52\u202f500 personnes", None),
        (ph.Count("24", "person"), None, "24 people"),
        (ph.Count("5", "axis"), None, "5 axes"),
        (ph.Count("60", "%", symbol=True), "60\u202f%", "60%"),
        (ph.Count("1200000", "€", symbol=True), "1\u202f200\u202f000\u202f€", "€1,200,000"),
        (ph.Count("40", "membre", qualifier="une quarantaine"), "une quarantaine de membres", None),
        (ph.Count("100", "exposant", qualifier="une centaine"), "une centaine d’exposants", None),
        (ph.Count("2", "rang", ordinal=True), "rang 2", None),
        (ph.Count("2.5", "jour"), "2,5 jours", None),
    ],
)
def test_counts_with_their_unit_and_qualifier(count, fr, en):
    if fr is not None:
        assert ph.count_text(count, "fr") == fr
    if en is not None:
        assert ph.count_text(count, "en") == en


def test_lists_and_elision():
    assert ph.joined(["A", "B", "C"], "fr") == "A, B et C"
    assert ph.joined(["A", "B"], "en") == "A and B"
    assert (ph.of("Kaliop"), ph.of("AD'OCC"), ph.of("Écully")) == (
        "de Kaliop",
        "d’AD'OCC",
        "d’Écully",
    )
    assert ph.agreed("dissous", True) == "dissoute" and ph.agreed("créé", False) == "créé"
