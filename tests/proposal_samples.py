"""Hand-made proposals, as ``maillage ingest`` writes them, for the tests of what reads them (the
proposals file, ``maillage accept``, the review page). A module of its own, like
``release_queries``: the claims are a role, with an inferred ``as_of``, and a dated-less figure;
the mentions one of each state."""

from __future__ import annotations

from maillage.ingest.proposals import Candidate, Mention, Proposal, Proposals, Span

ROLE = Proposal(
    id="jean-dupont-kaliop-president",
    kind="role",
    quote="Jean Dupont, président de Kaliop",
    says={
        "membership/jean-dupont-kaliop-president": {
            "a": "org:Membership",
            "org:member": "person/jean-dupont",
            "org:organization": "org/kaliop",
            "org:role": "role:president",
        },
        "person/jean-dupont": {"a": "foaf:Person", "skos:prefLabel": {"fr": "Jean Dupont"}},
    },
    start=0,
    end=32,
    score=0.9,
    pattern="« X, président de Y »",
    as_of={"date": "2019-02-05"},
    inferred="as_of: year 2019 from the document's publication date (2019-02-06)",
)
FIGURE = Proposal(
    id="kaliop-salaries",
    kind="figure",
    quote="Kaliop emploie 120 salariés",
    says={
        "org/kaliop": {"mlg:observation": "figure/kaliop-salaries"},
        "figure/kaliop-salaries": {
            "a": "mlg:Observation",
            "mlg:measure": "measure:employees",
            "schema:value": {"int": 120},
            "mlg:unit": "unit:person",
        },
    },
    start=34,
    end=61,
    score=0.8,
    pattern="« X emploie N salariés »",
    note="no date in the sentence",
)
MENTIONS = [
    Mention(0, 11, "Jean Dupont", "new", "foaf:Person", 0.8, "ner", "spaCy PER",
            ref="person/jean-dupont",
            resembles=(Candidate("person/jean-dupond", "Jean Dupond", 0.9, "similar name"),)),
    Mention(26, 32, "Kaliop", "linked", "org:Organization", 1.0, "gazetteer",
            "label « Kaliop » of org/kaliop", ref="org/kaliop"),
    Mention(40, 50, "Saint-Jean", "ambiguous", "igeo:Commune", 0.5, "territories",
            "2 communes of Occitanie have this name",
            candidates=(Candidate("commune/31506", "Saint-Jean (31)", 0.5, "homonym"),
                        Candidate("commune/12345", "Saint-Jean (12)", 0.5, "homonym"))),
]  # fmt: skip


def sample_proposals(doc_id: str = "005", claims: tuple[Proposal, ...] = (ROLE,)) -> Proposals:
    return Proposals(doc_id, "test", list(MENTIONS), list(claims), [Span(60, 80, "Rien.")])
