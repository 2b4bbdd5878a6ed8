"""The sentence splitter on the tricky spans of the real documents: abbreviations and numbers
that do not end a sentence, quotations cut into their sentences, headings and list items, and
page furniture kept as units of their own."""

from __future__ import annotations

import pytest

from maillage.pipeline.sentences import split_sentences
from maillage.pipeline.sources import load_documents
from maillage.settings import Settings

DOCUMENTS = load_documents(Settings().sources_dir)


def sentences_of(doc_id: str) -> list[str]:
    return [s.text for s in split_sentences(DOCUMENTS[doc_id].text)]


def the_sentence(doc_id: str, beginning: str) -> str:
    found = [t for t in sentences_of(doc_id) if t.startswith(beginning)]
    assert len(found) == 1, f"{beginning!r}: {found}"
    return found[0]


def test_every_document_is_cut():
    assert set(DOCUMENTS) == {"000", "001", "002", "003", "004"}
    assert all(len(sentences_of(doc_id)) > 30 for doc_id in DOCUMENTS)


@pytest.mark.parametrize("doc_id", sorted(DOCUMENTS))
def test_sentences_cover_every_word_once_at_their_offsets(doc_id):
    text = DOCUMENTS[doc_id].text
    sentences = split_sentences(text)
    covered = [False] * len(text)
    for s in sentences:
        assert text[s.start : s.end] == s.text == s.text.strip()
        lines = text.split("\n")
        assert lines[s.line - 1][s.column - 1 :].startswith(s.text)
        for index in range(s.start, s.end):
            assert not covered[index], f"{s.line}:{s.column} overlaps the sentence before"
            covered[index] = True
    lost = [i for i, c in enumerate(text) if not c.isspace() and not covered[i]]
    assert not lost, f"text in no sentence: {[text[i] for i in lost]}"


def test_a_number_with_a_comma_and_a_currency_does_not_end_a_sentence():
    budget = the_sentence("001", "Par ailleurs, Digital 113")
    assert "1,2 M€, financé à 60 %" in budget
    assert budget.endswith("(Région, Métropoles, Agglos).")
    assert "1,2 Md € de chiffre d'affaires" in the_sentence("001", "Digital 113 rassemble plus")


def test_abbreviations_do_not_end_a_sentence():
    deniset = the_sentence("002", '"Le DigiWorld a été un pilier')
    assert deniset.endswith(
        "président du Conseil d'administration provisoire du cluster régional et P-dg de Kaliop."
    )
    assert "la sportech, etc. mais aussi" in the_sentence("001", "Digital 113 permettra")
    assert [s.text for s in split_sentences("M. Dupont préside le cluster. Il est élu.")] == [
        "M. Dupont préside le cluster.",
        "Il est élu.",
    ]


def test_a_quotation_is_cut_into_its_sentences_with_its_marks_where_they_belong():
    quoted = [t for t in sentences_of("001") if "consensus" in t or "Digital 113 permettra" in t]
    assert quoted[0] == (
        "«\xa0La création d'une structure unique supposait de faire converger la vision des deux "
        "clusters pour aboutir à un consensus."
    )
    assert quoted[1].endswith(
        "entre la PME et l'ETI\xa0», explique Daniel Benchimol, président de Digital Place."
    )
    assert "« Tout est bon à prendre." in sentences_of("004")
    assert the_sentence("004", "Il faut que l’apprentissage").endswith("pas tous les trois ans ! »")
    assert the_sentence("003", "Pierre Deniset argumente").endswith('au CES de Las Vegas".')
    assert the_sentence("002", "Le fondement reste").endswith('très bien ainsi."')


def test_headings_list_items_and_page_furniture_are_units_of_their_own():
    lines = {(s.line, s.column): s.text for s in split_sentences(DOCUMENTS["001"].text)}
    assert lines[(11, 1)] == "Un souci de visibilité"
    assert lines[(37, 1)] == "|"
    bullet = {(s.line, s.column): s.text for s in split_sentences(DOCUMENTS["000"].text)}[(15, 3)]
    assert bullet.startswith("• Clusters et pôles de compétitivité") and bullet.endswith(
        "nationale."
    )
    assert "Crédits : @DR" in sentences_of("004")


def test_a_piece_that_cannot_start_a_sentence_joins_the_one_before():
    comment = the_sentence("002", "voyons plutôt une liaison")
    assert comment.endswith("données., et là il y a de l'exploitation énorme en perspective.")
