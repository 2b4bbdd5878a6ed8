"""Retired identifiers (data/curation/redirects.yaml): an IRI retired by a merge of duplicates is
published as replaced by its successor, never dropped silently, and the build refuses a claim
that still uses a retired IRI or a successor that names nothing, saying file:line; and a
conflict's curated ``about:`` must name resources its claims name."""

from __future__ import annotations

import pytest
from release_queries import ask, copy_inputs, select

from maillage.build import read_inputs
from maillage.errors import DataError, DataErrors
from maillage.settings import Settings


def test_the_melee_merge_is_published_and_boissiers_seat_is_found_from_la_melee(store):
    assert ask(store, "ASK { id:org/la-melee-numerique dcterms:isReplacedBy id:org/la-melee }")
    # the retired IRI says only that it is retired, when and why, in the default graph alone
    assert select(
        store, "SELECT ?p { GRAPH ?g { id:org/la-melee-numerique ?p ?o } }"
    ) == [] and not ask(store, "ASK { ?s ?p id:org/la-melee-numerique }")
    assert {
        r["p"]: r["o"] for r in select(store, "SELECT ?p ?o { id:org/la-melee-numerique ?p ?o }")
    }.keys() == {
        "http://www.w3.org/2002/07/owl#deprecated",
        "http://purl.org/dc/terms/isReplacedBy",
        "http://purl.org/dc/terms/modified",
        "http://www.w3.org/2004/02/skos/core#changeNote",
    }
    assert ask(
        store,
        """ASK { ?m org:member id:person/philippe-boissier ; org:organization id:org/la-melee ;
        org:role role:administrateur . id:org/la-melee skos:altLabel "La Mêlée Numérique"@fr ;
        skos:prefLabel "La Mêlée"@fr }""",
    )


def test_every_replaced_iri_points_to_a_described_resource(store):
    rows = select(
        store,
        """SELECT ?old ?new { ?old dcterms:isReplacedBy ?new
        FILTER(STRSTARTS(STR(?old), "https://w3id.org/maillage/id/"))
        FILTER NOT EXISTS { ?new a ?type } }""",
    )
    assert rows == []  # (the successor of a concept is an ontology term, in ontology.ttl)
    replaced = {
        r["old"].removeprefix("https://w3id.org/maillage/"): r["new"].rsplit("/", 1)[1]
        for r in select(
            store,
            """SELECT ?old ?new { ?old dcterms:isReplacedBy ?new
            FILTER(STRSTARTS(STR(?old), "https://w3id.org/maillage/")) }""",
        )
    }
    assert replaced["id/work/plan-ia-region-occitanie"] == "strategie-regionale-ia"
    assert replaced["id/site/digital-113-toulouse"] == "digital-113-siege"
    assert replaced["concept/qualifier/objectif"] == "Target"
    # withdrawn IRIs have no successor, and are published with the day and the reason
    assert not ask(store, "ASK { ?s ?p id:site/airbus-toulouse }")
    assert not ask(store, "ASK { id:site/airbus-toulouse dcterms:isReplacedBy ?new }")
    assert ask(
        store,
        """ASK { id:site/airbus-toulouse owl:deprecated true ;
        dcterms:modified "2026-12-05"^^xsd:date ; skos:changeNote ?why
        FILTER(LANG(?why) = "en" && CONTAINS(?why, "the site was a guess")) }""",
    )
    retired = select(store, "SELECT ?old { ?old owl:deprecated true }")
    assert len(retired) == 10  # every entry of data/curation/redirects.yaml


@pytest.fixture
def inputs(tmp_path):
    settings = Settings(root=copy_inputs(tmp_path / "repo"), var_dir=tmp_path / "var")
    return settings, settings.curation_dir / "redirects.yaml"


def _append(path, text: str) -> int:
    """Append a redirect; returns the line of its first field."""
    before = path.read_text(encoding="utf-8")
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def _errors(settings) -> list[DataError]:
    with pytest.raises((DataError, DataErrors)) as raised:
        read_inputs(settings)
    error = raised.value
    return error.errors if isinstance(error, DataErrors) else [error]


def test_a_retired_iri_still_used_by_a_claim_is_refused_at_the_claims_line(inputs):
    settings, redirects = inputs
    line = _append(
        redirects,
        "  - iri: org/tic-valley\n    replaced_by: org/la-melee\n"
        "    date: 2026-12-05\n    reason: a test\n",
    )
    claims_file = settings.claims_dir / "002.yaml"
    used_at = next(
        n
        for n, text in enumerate(claims_file.read_text(encoding="utf-8").splitlines(), 1)
        if text.strip() == "org/tic-valley:"
    )
    messages = [str(e) for e in _errors(settings)]
    at_lines = [
        int(m.split(f"{claims_file}:", 1)[1].split(":", 1)[0])
        for m in messages
        if "retired IRI https://w3id.org/maillage/id/org/tic-valley" in m
        and f"redirects.yaml:{line}" in m
    ]
    assert at_lines and all(used_at < n <= used_at + 4 for n in at_lines), messages


def test_a_successor_that_names_nothing_is_refused_at_the_redirects_line(inputs):
    settings, redirects = inputs
    line = _append(
        redirects,
        "  - iri: org/nowhere-old\n    replaced_by: org/nowhere-new\n"
        "    date: 2026-12-05\n    reason: a test\n",
    )
    messages = [str(e) for e in _errors(settings)]
    assert any(
        m.startswith(f"{redirects}:{line}: ")
        and "org/nowhere-new" in m
        and "described nowhere" in m
        for m in messages
    ), messages


def test_a_redirect_is_either_replaced_or_withdrawn(inputs):
    settings, redirects = inputs
    line = _append(
        redirects, "  - iri: org/nowhere-old\n    date: 2026-12-05\n    reason: a test\n"
    )
    messages = [str(e) for e in _errors(settings)]
    assert messages == [
        f"{redirects}:{line}: give either 'replaced_by: <successor>' or 'withdrawn: true'"
    ]


def test_a_curated_about_must_be_named_by_the_conflicts_claims(inputs):
    settings, _redirects = inputs
    conflicts = settings.curation_dir / "conflicts.yaml"
    text = conflicts.read_text(encoding="utf-8")
    old = "    about: [org/french-tech-montpellier, org/french-tech-mediterranee]\n"
    line = text[: text.index(old)].count("\n") + 1
    conflicts.write_text(
        text.replace(old, "    about: [org/french-tech-montpellier, org/airbus]\n"),
        encoding="utf-8",
    )
    messages = [str(e) for e in _errors(settings)]
    assert messages == [
        f"{conflicts}:{line}: https://w3id.org/maillage/id/org/airbus is named by none of its claims"
    ]
