"""The proposals file (data/proposals/NNN.yaml): what ingest writes is what the review page,
``maillage accept`` and the evaluation read back, and its claims are claim-file claims."""

from __future__ import annotations

from proposal_samples import sample_proposals

from maillage.ingest.proposals import CLAIM_FIELDS, Proposals, read_proposals, write_proposals


def _proposals() -> Proposals:
    return sample_proposals()


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
