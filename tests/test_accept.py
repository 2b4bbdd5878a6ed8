"""``maillage accept NNN ID…`` (issue 11, point 3): proposed claims moved unchanged into the claim
file (created with its header, or appended to with its comments kept), and refused in one
sentence with nothing written for an id that is not proposed, given twice or already accepted."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from proposal_samples import FIGURE, ROLE, sample_proposals

from maillage.cli import main
from maillage.ingest.proposals import (
    Proposal,
    proposals_path,
    read_proposals,
    write_proposals,
)

HAND_WRITTEN = """document: "009"
# A comment the curator wrote, which must survive.
claims:
  # --- Kaliop ---
  - id: kaliop-nom
    quote: "Kaliop"
    says:
      org/kaliop:
        skos:prefLabel: {fr: "Kaliop"}  # inline comment
"""


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    """A repository's data directory holding only the proposals of document 009."""
    monkeypatch.setenv("MAILLAGE_ROOT", str(tmp_path))
    write_proposals(tmp_path / "data", sample_proposals("009", (ROLE, FIGURE)))
    return tmp_path / "data"


def files(data: Path) -> dict[str, bytes]:
    return {str(p.relative_to(data)): p.read_bytes() for p in data.rglob("*") if p.is_file()}


def test_accepted_claims_go_unchanged_into_a_new_claim_file(data, capsys):
    assert main(["accept", "009", "jean-dupont-kaliop-president"]) == 0

    claim_file = data / "claims" / "009.yaml"
    text = claim_file.read_text(encoding="utf-8")
    assert text.startswith('document: "009"\nclaims:\n  - id: jean-dupont-kaliop-president\n')
    assert yaml.safe_load(text) == {"document": "009", "claims": [ROLE.as_claim()]}
    assert '    quote: "Jean Dupont, président de Kaliop"\n' in text  # as curators write it
    assert '        skos:prefLabel: {fr: "Jean Dupont"}\n' in text
    left = read_proposals(data, "009")
    assert [c.id for c in left.claims] == ["kaliop-salaries"]  # moved, not copied
    assert left.mentions and left.unclaimed_sentences  # the rest of the file is kept
    out = capsys.readouterr().out
    assert "accepted 1 claim(s) into" in out and "(created)" in out
    assert "1 proposed claim(s) left" in out


def test_a_hand_written_claim_file_is_appended_to_with_its_comments(data):
    claim_file = data / "claims" / "009.yaml"
    claim_file.parent.mkdir()
    claim_file.write_text(HAND_WRITTEN, encoding="utf-8")

    assert main(["accept", "009", "kaliop-salaries", "jean-dupont-kaliop-president"]) == 0

    text = claim_file.read_text(encoding="utf-8")
    assert text.startswith(HAND_WRITTEN)  # byte for byte, comments included
    claims = yaml.safe_load(text)["claims"]
    assert [c["id"] for c in claims] == ["kaliop-nom", "kaliop-salaries", ROLE.id]
    assert claims[1:] == [FIGURE.as_claim(), ROLE.as_claim()]  # in the order given
    assert read_proposals(data, "009").claims == []


@pytest.mark.parametrize(
    ("ids", "says"),
    [
        (["no-such-claim"], "proposes no claim 'no-such-claim': nothing written (its claims: "),
        (["kaliop-salaries", "kaliop-salaries"], "claim 'kaliop-salaries' is given twice"),
        (["kaliop-nom"], "claim 'kaliop-nom' is already in data/claims/009.yaml: nothing written"),
    ],
)
def test_a_bad_id_is_refused_in_one_sentence_with_nothing_written(data, capsys, ids, says):
    claim_file = data / "claims" / "009.yaml"
    claim_file.parent.mkdir()
    claim_file.write_text(HAND_WRITTEN, encoding="utf-8")
    before = files(data)

    assert main(["accept", "009", *ids]) == 1

    error = capsys.readouterr().err
    assert error.startswith("maillage accept: ") and says in error
    assert error.count("\n") == 1
    assert files(data) == before


def test_an_id_already_in_the_claim_file_is_refused(data, capsys):
    assert main(["accept", "009", "kaliop-salaries"]) == 0
    capsys.readouterr()
    assert main(["accept", "009", "kaliop-salaries"]) == 1  # accepted twice
    assert "claim 'kaliop-salaries' is already in data/claims/009.yaml" in capsys.readouterr().err
    # The curator copied it back into the proposals (say, from an older proposals file).
    proposals = read_proposals(data, "009")
    proposals.claims.append(FIGURE)
    write_proposals(data, proposals)
    capsys.readouterr()
    before = files(data)

    assert main(["accept", "009", "kaliop-salaries"]) == 1

    error = capsys.readouterr().err
    assert "claim 'kaliop-salaries' is already in" in error and "nothing written" in error
    assert files(data) == before


def test_a_claim_list_that_is_not_last_is_not_appended_to(data, capsys):
    claim_file = data / "claims" / "009.yaml"
    claim_file.parent.mkdir()
    claim_file.write_text(
        'claims:\n  - id: kaliop-nom\n    quote: "Kaliop"\n    says: {org/kaliop: {a: org:Organization}}\n'
        'document: "009"\n',
        encoding="utf-8",
    )
    before = files(data)

    assert main(["accept", "009", "kaliop-salaries"]) == 1

    assert "cannot be appended to" in capsys.readouterr().err
    assert files(data) == before


def test_no_proposals_file_says_which_command_writes_it(data, capsys):
    proposals_path(data, "009").unlink()

    assert main(["accept", "009", "kaliop-salaries"]) == 1

    assert "`maillage propose 009` writes them" in capsys.readouterr().err


def test_a_commune_the_reference_lacks_is_named_with_the_command_that_adds_it(data, capsys):
    reference = data / "reference" / "territories.ttl"
    reference.parent.mkdir()
    reference.write_bytes(
        (Path(__file__).parent.parent / "data/reference/territories.ttl").read_bytes()
    )
    site = Proposal(
        id="kaliop-sites",
        kind="site",
        quote=ROLE.quote,
        says={"org/kaliop": {"schema:location": ["commune/31555", "commune/30003"]}},
        start=ROLE.start,
        end=ROLE.end,
        score=0.5,
        pattern="test",
    )
    write_proposals(data, sample_proposals("009", (ROLE, site)))

    assert main(["accept", "009", "kaliop-sites"]) == 0

    out = capsys.readouterr().out  # Toulouse (31555) is in the reference; Aigues-Mortes is not
    assert "commune/30003: not in data/reference/territories.ttl yet; `make territories`" in out
    assert "31555" not in out
