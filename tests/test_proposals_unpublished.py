"""Proposals are never published (issue 11, point 3): a release built with a proposals file in
``data/proposals/`` holds nothing of it; once ``maillage accept`` has moved a claim into the claim
file, ``maillage check`` and ``maillage build`` take it and the release publishes it with its quote,
exactly as the same claim written by hand.

The proposed claim is a real one: document 004's ``ogoxi`` (an organisation, its site and its
commune, stated by its own words), cut out of the test's copy of ``data/claims/004.yaml`` and put
in ``data/proposals/004.yaml`` as ingest would write it. Its sentence stays accounted for by
another claim, so the repository builds without it."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pyoxigraph as ox
import yaml

from maillage.cli import main
from maillage.ingest.proposals import (
    Mention,
    Proposal,
    Proposals,
    Span,
    proposals_path,
    write_proposals,
)
from maillage.layout import ALL_NQUADS, CURRENT

CLAIM = "ogoxi"
PROPOSAL_NOTE = "a note only the proposal has"
MARKS = ("/org/ogoxi", "/site/ogoxi-", "claim/004/ogoxi", PROPOSAL_NOTE)
"""What the proposal alone would publish: its entities' IRIs, its claim's IRI, its note."""
PROPOSED_BY = "maillage ingest (test): proposals file for the never-published test"


def cut_claim(claims_file: Path, claim_id: str) -> dict:
    """Remove the claim ``claim_id`` from a hand-written claim file; return it as parsed."""
    text = claims_file.read_text(encoding="utf-8")
    (claim,) = [c for c in yaml.safe_load(text)["claims"] if c["id"] == claim_id]
    block = re.search(rf"(?ms)^  - id: {claim_id}\n.*?(?=^  (?:- id:|#)|\Z)", text)
    claims_file.write_text(text[: block.start()] + text[block.end() :], encoding="utf-8")
    return claim


def proposals_for(claim: dict, document_text: str) -> Proposals:
    start = document_text.index(claim["quote"])
    end = start + len(claim["quote"])
    proposal = Proposal(
        id=claim["id"],
        kind="site",
        quote=claim["quote"],
        says=claim["says"],
        start=start,
        end=end,
        score=0.8,
        pattern="« X (activité, commune) »",
        note=PROPOSAL_NOTE,  # not the hand-written note: tells what is published apart
    )
    mention = Mention(start, start + 5, "Ogoxi", "new", "org:Organization", 0.7, "ner",
                      f"spaCy ORG, {PROPOSAL_NOTE}", ref="org/ogoxi")  # fmt: skip
    unclaimed = Span(start, end, PROPOSAL_NOTE)
    return Proposals("004", PROPOSED_BY, [mention], [proposal], [unclaimed])


def published_text(release: Path) -> str:
    """Every file of the release as text (compressed dumps decompressed), but the documents'
    own texts, which hold the article's words whatever is claimed, and the SPARQL store, a copy
    of the N-Quads dump read below."""
    texts = []
    for path in sorted(release.rglob("*")):
        if not path.is_file() or "documents" in path.parts or "store" in path.parts:
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        texts.append(data.decode("utf-8", errors="replace"))
    return "\n".join(texts)


def quads_naming(release: Path, mark: str) -> set[str]:
    store = ox.Store()
    store.bulk_load(gzip.decompress((release / ALL_NQUADS).read_bytes()), ox.RdfFormat.N_QUADS)
    return {str(q) for q in store if any(mark in str(term) for term in q)}


def test_proposals_are_not_published_until_accepted(repo, built, capsys):
    data = repo / "data"
    claim = cut_claim(data / "claims" / "004.yaml", CLAIM)
    document = next((data / "sources").glob("004_*.txt")).read_text(encoding="utf-8")
    write_proposals(data, proposals_for(claim, document))
    hand_written = (data / "claims" / "004.yaml").read_text(encoding="utf-8")

    assert main(["build"]) == 0
    release = (repo.parent / "var" / CURRENT).resolve()
    text = published_text(release)
    for mark in (*MARKS, PROPOSED_BY, "proposals/004", "« X (activité, commune) »"):
        assert mark not in text, mark
    assert not quads_naming(release, "ogoxi")

    capsys.readouterr()
    assert main(["accept", "004", CLAIM]) == 0
    assert proposals_path(data, "004").is_file()  # what is left: the mentions, the sentences
    assert (data / "claims" / "004.yaml").read_text(encoding="utf-8").startswith(hand_written)
    assert main(["check"]) == 0
    assert main(["build"]) == 0

    release = (repo.parent / "var" / CURRENT).resolve()
    accepted = quads_naming(release, "ogoxi")
    quote = f'"{claim["quote"]}"'
    assert any("oa#exact" in q and quote in q for q in accepted)  # published with its quote
    assert any("/org/ogoxi" in q and "prefLabel" in q for q in accepted)
    assert any("core#note" in q and PROPOSAL_NOTE in q for q in accepted)
    # The accepted claim publishes what the hand-written one published, but its note, which
    # the test changed to tell it from the original: the same entities, site, commune, quote.
    original = {q for q in quads_naming(built[2], "ogoxi") if "core#note" not in q}
    assert {q for q in accepted if "core#note" not in q} == original
    assert PROPOSED_BY not in published_text(release)
