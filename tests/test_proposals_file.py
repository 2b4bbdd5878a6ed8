"""The proposals file (data/proposals/NNN.yaml): what ingest writes is what the review page,
``maillage accept`` and the evaluation read back, and its claims are claim-file claims."""

from __future__ import annotations

from maillage.ingest.proposals import (
    CLAIM_FIELDS,
    Candidate,
    Mention,
    Proposal,
    Proposals,
    Span,
    read_proposals,
    write_proposals,
)


def _proposals() -> Proposals:
    role = Proposal(
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
    mentions = [
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
    return Proposals("005", "test", mentions, [role], [Span(60, 80, "Une phrase sans fait.")])


def test_a_proposals_file_reads_back_as_written(tmp_path):
    proposals = _proposals()
    path = write_proposals(tmp_path, proposals)
    assert path == tmp_path / "proposals" / "005.yaml"
    assert read_proposals(tmp_path, "005") == proposals
    assert "président de Kaliop" in path.read_text(encoding="utf-8")  # text kept readable


def test_a_proposed_claim_is_a_claim_file_claim():
    claim = _proposals().claims[0].as_claim()
    assert set(claim) <= set(CLAIM_FIELDS)
    assert list(claim) == ["id", "quote", "as_of", "inferred", "says"]
