"""Every sentence accounted for: claimed, or listed in data/curation/sentences.yaml with its
reason. A sentence neither claimed nor listed fails the build at the document's line:column; a
stale listing is an error at its own line; `maillage check` prints the figures; the release
carries each listed sentence as a Web Annotation."""

from __future__ import annotations

import re

import pytest
from release_queries import copy_inputs

from maillage.build import check
from maillage.cli import main
from maillage.settings import Settings

LISTINGS = "data/curation/sentences.yaml"


@pytest.fixture
def inputs(tmp_path, monkeypatch) -> Settings:
    """A private copy of the inputs, which the commands below read."""
    settings = Settings(root=copy_inputs(tmp_path / "repo"), var_dir=tmp_path / "var")
    monkeypatch.setenv("MAILLAGE_ROOT", str(settings.root))
    monkeypatch.setenv("MAILLAGE_VAR_DIR", str(settings.var_dir))
    return settings


def edit(path, old: str, new: str) -> int:
    """Replace ``old`` (once in the file) by ``new``; returns the 1-based line of the change."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_every_sentence_of_every_document_is_accounted_for():
    _inputs, accounts = check(Settings())
    assert sorted(accounts) == ["000", "001", "002", "003", "004"]
    for doc_id, account in accounts.items():
        assert account.sentences and account.claimed and account.listed, doc_id
        assert account.unaccounted == [], doc_id
        assert not set(account.claimed) & set(account.listed), doc_id


def test_a_removed_listing_fails_the_build_with_the_document_line_column_and_sentence(
    inputs, capsys
):
    edit(
        inputs.root / LISTINGS, '    - text: "Un souci de visibilité"\n      reason: heading\n', ""
    )
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    document = inputs.sources_dir / "001_b799eb982d200720.txt"
    assert f"{document}:11:1: sentence neither claimed nor listed" in err
    assert "'Un souci de visibilité'" in err
    assert not (inputs.var_dir / "current").exists()


def test_check_prints_the_share_and_fails_on_an_unaccounted_sentence(inputs, capsys):
    edit(
        inputs.root / LISTINGS, '    - text: "Un souci de visibilité"\n      reason: heading\n', ""
    )
    assert main(["check"]) == 1
    out, err = capsys.readouterr()
    row = next(line for line in out.splitlines() if line.startswith("001 "))
    sentences, claimed, listed, unaccounted = (int(n) for n in row.split()[1:5])
    assert unaccounted == 1 and claimed + listed == sentences - 1
    assert row.endswith(f"{100 * (sentences - 1) / sentences:.1f} %")
    assert "001_b799eb982d200720.txt:11:1:" in err


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            '"Un souci de visibilité"',
            '"Un souci de lisibilité"',
            "stale entry: no sentence of document 001 is or begins with 'Un souci de lisibilité'",
        ),
        (
            '"Un souci de visibilité"',
            '"Le siège de Digital 113 est situé à Toulouse."',
            "stale entry: the sentence (document 001, 33:1) is claimed by 001/",
        ),
        (
            '"Soyez le premier à donner votre avis !"',
            '"Sujets les + lus"',
            "is listed at line",
        ),
        (
            "      occurrence: 2\n",
            "",
            "matches 2 sentences of document 003 (7:1, 14:1): give more of the text, or 'occurrence'",
        ),
        (
            '"Un souci de visibilité"\n      reason: heading',
            '"Un souci de visibilité"\n      reason: boring',
            "unknown reason 'boring' (advice, general, heading, metadata, navigation, opinion,",
        ),
    ],
    ids=["matches-nothing", "claimed-sentence", "listed-twice", "ambiguous", "unknown-reason"],
)
def test_a_bad_listing_is_an_error_at_its_line(inputs, capsys, old, new, expected):
    path = inputs.root / LISTINGS
    line = edit(path, old, new)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert expected in err
    reported = int(re.search(rf"{re.escape(str(path))}:(\d+):", err)[1])
    assert reported in (line - 1, line, line + 1)  # the entry's line or its field's


def test_check_prints_the_figures_of_each_document(capsys):
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    _inputs, accounts = check(Settings())
    rows = {line.split()[0]: line.split() for line in out.splitlines()[3:9]}
    for doc_id, account in accounts.items():
        figures = [len(account.sentences), len(account.claimed), len(account.listed), 0]
        assert [int(n) for n in rows[doc_id][1:5]] == figures
        assert rows[doc_id][5:] == ["100.0", "%"]
    assert rows["all"][1] == str(sum(len(a.sentences) for a in accounts.values()))
    reasons = out.splitlines()[9]
    assert reasons.startswith("listed, by reason: advice ")
    total = sum(int(n) for n in re.findall(r" (\d+)(?:,|$)", reasons))
    assert total == sum(len(a.listed) for a in accounts.values())


def test_the_release_carries_each_listed_sentence_as_an_annotation(built, store, release):
    _settings, build, _directory = built
    listed = sum(len(a.listed) for a in build.accounts.values())
    assert listed > 100
    rows = list(
        store.query(
            """PREFIX oa: <http://www.w3.org/ns/oa#>
            SELECT ?annotation ?reason ?start ?end ?exact WHERE {
              ?annotation a oa:Annotation ; oa:motivatedBy oa:assessing ; oa:hasBody ?reason ;
                oa:hasTarget ?target .
              ?target oa:hasSource <https://w3id.org/maillage/id/document/001> ;
                oa:hasSelector ?position, ?quote .
              ?position oa:start ?start ; oa:end ?end . ?quote oa:exact ?exact .
            }"""
        )
    )
    assert len(rows) == len(build.accounts["001"].listed)
    text = (release / "documents" / "001.txt").read_text(encoding="utf-8")
    for row in rows:
        assert text[int(row["start"].value) : int(row["end"].value)] == row["exact"].value
    heading = next(r for r in rows if r["exact"].value == "Un souci de visibilité")
    assert heading["annotation"].value == "https://w3id.org/maillage/id/document/001#sentence-11-1"
    assert heading["reason"].value == "https://w3id.org/maillage/concept/unclaimed/heading"
    total = store.query(
        "PREFIX oa: <http://www.w3.org/ns/oa#> "
        "SELECT (COUNT(*) AS ?n) { ?a oa:motivatedBy oa:assessing }"
    )
    assert int(next(total)["n"].value) == listed
