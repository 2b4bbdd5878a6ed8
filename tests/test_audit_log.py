"""The curation log of the December 2026 reading audit (data/curation/audit-2026-12.yaml): every
item has a decision and its reason, and names claims that exist, so a reviewer can follow each
correction to its quote."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from maillage.build import read_inputs
from maillage.settings import Settings

DECISIONS = {
    "claimed",
    "no-fact",
    "corrected",
    "flagged",
    "dropped",
    "merged",
    "conflict",
    "modelled",
}


@pytest.fixture(scope="module")
def log() -> list[dict]:
    settings = Settings()
    path = settings.curation_dir / "audit-2026-12.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["items"]


@pytest.fixture(scope="module")
def claim_keys() -> set[str]:
    return {claim.key for claim in read_inputs(Settings()).claims}


def test_every_item_has_a_decision_and_a_reason(log):
    ids = Counter(item["id"] for item in log)
    assert [i for i, n in ids.items() if n > 1] == []
    for item in log:
        assert item["decision"] in DECISIONS, item["id"]
        assert item["audit"].strip() and item["reason"].strip(), item["id"]


def test_the_claims_named_by_the_log_exist(log, claim_keys):
    missing = [(i["id"], k) for i in log for k in i.get("claims", []) if k not in claim_keys]
    assert missing == []


def test_each_of_the_17_omissions_is_claimed_or_said_to_carry_no_fact(log, claim_keys):
    omissions = [i for i in log if i["section"] == "§2 omissions"]
    assert len(omissions) == 17
    assert {i["decision"] for i in omissions} <= {"claimed", "no-fact"}
    assert all(i["claims"] for i in omissions)
