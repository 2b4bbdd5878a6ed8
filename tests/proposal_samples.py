"""Hand-made proposals, as ``maillage ingest`` writes them, for the tests of what reads them (the
proposals file, ``maillage accept``, the review page). A module of its own, like
``release_queries``: a made-up text (``TEXT``), two claims on it (a role with an inferred
``as_of``, a figure with no date) and a mention of each state, at their offsets in ``TEXT``."""

from __future__ import annotations

from pathlib import Path

from maillage.cli import main
from maillage.ingest.proposals import Candidate, Mention, Proposal, Proposals, Span

TEXT = (
    "Jean Dupont, président de Kaliop, présente le bilan.\n"
    "Kaliop emploie 120 salariés à Saint-Jean.\n"
    "Il faisait beau ce jour-là.\n"
)


def at(words: str, occurrence: int = 1) -> tuple[int, int]:
    """Start and end of the ``occurrence``-th ``words`` in ``TEXT``."""
    start = -1
    for _ in range(occurrence):
        start = TEXT.index(words, start + 1)
    return start, start + len(words)


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
    start=at("Jean Dupont, président de Kaliop")[0],
    end=at("Jean Dupont, président de Kaliop")[1],
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
    start=at("Kaliop emploie 120 salariés")[0],
    end=at("Kaliop emploie 120 salariés")[1],
    score=0.8,
    pattern="« X emploie N salariés »",
    note="no date in the sentence",
)
MENTIONS = [
    Mention(*at("Jean Dupont"), "Jean Dupont", "new", "foaf:Person", 0.8, "ner", "spaCy PER",
            ref="person/jean-dupont",
            resembles=(Candidate("person/jean-dupond", "Jean Dupond", 0.9, "similar name"),)),
    Mention(*at("Kaliop"), "Kaliop", "linked", "org:Organization", 1.0, "gazetteer",
            "label « Kaliop » of org/kaliop", ref="org/kaliop"),
    Mention(*at("Kaliop", 2), "Kaliop", "linked", "org:Organization", 1.0, "gazetteer",
            "label « Kaliop » of org/kaliop", ref="org/kaliop"),
    Mention(*at("Saint-Jean"), "Saint-Jean", "ambiguous", "igeo:Commune", 0.5, "territories",
            "2 communes of Occitanie have this name",
            candidates=(Candidate("commune/31506", "Saint-Jean (31)", 0.5, "homonym"),
                        Candidate("commune/12345", "Saint-Jean (12)", 0.5, "homonym"))),
]  # fmt: skip


UNCLAIMED = Span(*at("Il faisait beau ce jour-là."), "Il faisait beau ce jour-là.")


def sample_proposals(doc_id: str = "005", claims: tuple[Proposal, ...] = (ROLE,)) -> Proposals:
    return Proposals(doc_id, "test", list(MENTIONS), list(claims), [UNCLAIMED])


def ingest_excerpt(path: Path) -> int:
    """``maillage ingest`` of the ``excerpt`` fixture's article, with its date and address."""
    url = "https://www.usine-digitale.fr/article/operation-fusion-pour-les-deux-clusters.N485984"
    title = "Opération fusion pour les deux clusters du numérique d’Occitanie (extrait)"
    given = [
        "--url",
        url,
        "--date",
        "2017-01-12",
        "--title",
        title,
        "--publisher",
        "L'Usine Digitale",
    ]
    return main(["ingest", str(path), *given])
