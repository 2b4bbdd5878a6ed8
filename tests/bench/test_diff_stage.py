"""The diff stage of the benchmark (``bench.diff``) on the small generated dataset, so that it
cannot rot: it changes 1 % of the claims, the diff finds exactly those, and the table renders.
Nothing here asserts a speed: the figures belong to ``make bench`` (docs/release.md)."""

from __future__ import annotations

import json
import shutil

import pytest

from bench.diff import SHARE, WORK_DIR, chosen_claims, measure, table
from maillage.pipeline.changes import read_lines


@pytest.fixture(scope="module")
def generated(generated, tmp_path_factory):
    """A copy of the generated N-Quads: the stage writes beside them."""
    copy = tmp_path_factory.mktemp("diff-stage")
    shutil.copy(generated / "maillage-all.nq", copy / "maillage-all.nq")
    return copy


def test_one_claim_in_a_hundred_changes_and_the_diff_finds_each(generated):
    figures = measure(generated, seed=3)
    claims = sum(1 for line in read_lines(generated / "maillage-all.nq") if b"def/Claim>" in line)
    assert figures["claims_changed_in_input"] == round(claims * SHARE) > 0
    found = figures["found"]
    assert found["claims_changed"] == figures["claims_changed_in_input"]
    assert found["claims_added"] == found["claims_removed"] == 0
    assert found["entities_changed"] >= found["claims_changed"] // 2
    assert found["entities_added"] == found["entities_removed"] == 0
    assert figures["seconds"] > 0 and figures["peak_rss_mib"] > 0


def test_the_changelog_names_the_chosen_claims_with_their_revised_quotes(generated):
    measure(generated, seed=3)
    chosen = chosen_claims(generated / "maillage-all.nq", SHARE, seed=3)
    text = (generated / WORK_DIR / "changes.md").read_text()
    for token in chosen:
        iri = token.decode()[1:-1]
        key = iri.split("/claim/", 1)[1]
        line = next(line for line in text.splitlines() if line.startswith(f"- [{key}]({iri})"))
        assert "(révisé) » (was « " in line


def test_the_table_says_whether_the_targets_are_met(generated):
    figures = json.loads(json.dumps(measure(generated, seed=3)))
    rendered = table(figures)
    assert "| diff (read both dumps, compare, write changes.ttl and changes.md) |" in rendered
    assert "< 60 s (met)" in rendered and "< 2048 MiB (met)" in rendered
