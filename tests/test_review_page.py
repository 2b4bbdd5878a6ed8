"""The review page's content (``maillage/ingest/review.py``) and ``maillage review NNN``; the page
in a browser is ``tests/e2e/test_review_page_browser.py``."""

from __future__ import annotations

import dataclasses

from proposal_samples import FIGURE, ROLE, TEXT, at, sample_proposals

from maillage.cli import main
from maillage.ingest.proposals import Mention, Proposals, write_proposals
from maillage.ingest.review import sentence_rows, value_text
from maillage.pipeline.sources import load_documents


def test_each_claim_goes_beside_the_sentence_its_quote_starts_in():
    rows = sentence_rows(TEXT, sample_proposals("005", (ROLE, FIGURE)))
    assert [[c.id for c in row.claims] for row in rows] == [[ROLE.id], [FIGURE.id], []]
    assert [row.unclaimed for row in rows] == [False, False, True]
    assert [p.mention for p in rows[1].pieces] == [2, None, 3, None]  # Kaliop, …, Saint-Jean, .
    assert "".join(p.text for p in rows[1].pieces) == rows[1].sentence.text


def test_a_quote_the_build_would_place_elsewhere_is_flagged():
    second = at("Kaliop", 2)
    kaliop = dataclasses.replace(
        FIGURE, id="kaliop", quote="Kaliop", start=second[0], end=second[1]
    )
    lost = dataclasses.replace(FIGURE, id="lost", quote="Kaliop emploie 12 salariés")
    rows = sentence_rows(TEXT, Proposals("005", "test", claims=[kaliop, lost, FIGURE]))
    assert rows[1].warnings == {
        "kaliop": "its quote occurs earlier (sentence 1): the build would anchor it there, at its "
        "first occurrence; lengthen it to make it unique",
        "lost": "its quote is not in the text: `maillage check` would refuse it",
    }
    assert rows[0].warnings == {}


def test_a_mention_over_a_sentence_end_is_cut_at_it():
    end = TEXT.index("\n")
    over = Mention(end - 6, end + 7, TEXT[end - 6 : end + 7], "new", "org:Organization", 0.5,
                   "ner", "test", ref="org/x")  # fmt: skip
    rows = sentence_rows(TEXT, Proposals("005", "test", [over]))
    assert rows[0].pieces[-1].text == "bilan." and rows[0].pieces[-1].mention == 0
    assert rows[1].pieces[0].text == "Kaliop" and rows[1].pieces[0].mention == 0


def test_values_are_written_as_in_claim_files():
    assert value_text({"fr": "Jean Dupont"}) == '{fr: "Jean Dupont"}'
    assert value_text(["org/a", "org/b"]) == "[org/a, org/b]"
    assert value_text({"int": 120}) == "{int: 120}"
    assert value_text({"fr": "Kaliop"}) == '{fr: "Kaliop"}'  # words quoted, references not
    assert value_text({"date": "2019-02-05"}) == "{date: 2019-02-05}"


def test_maillage_review_writes_the_page_under_build(repo, capsys):
    document = load_documents(repo / "data" / "sources")["004"]
    start = document.text.index("Ogoxi")
    mention = Mention(start, start + 5, "Ogoxi", "new", "org:Organization", 0.7, "ner", "spaCy ORG",
                      ref="org/ogoxi")  # fmt: skip
    write_proposals(repo / "data", Proposals("004", "test", [mention]))

    assert main(["review", "004"]) == 0

    page = repo / "build" / "review" / "004.html"
    assert capsys.readouterr().out == f"review page of document 004: {page}\n"
    html = page.read_text(encoding="utf-8")
    assert 'class="mention state-new"' in html and ">Ogoxi<" in html
    assert "<link" not in html and "src=" not in html  # self-contained: nothing to load


def test_maillage_review_without_proposals_says_what_writes_them(repo, capsys):
    assert main(["review", "004"]) == 1
    assert "`maillage propose 004` writes them" in capsys.readouterr().err
    assert main(["review", "042"]) == 1
    assert "no document 042 in" in capsys.readouterr().err
    assert not (repo / "build").exists()
