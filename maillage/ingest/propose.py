"""From a registered document to its proposals: what ``maillage ingest`` and ``maillage propose
NNN`` run.

``propose(document, knowledge)`` parses the text (``nlp.parse``), finds its mentions
(``mentions.find_mentions``), proposes the claims the parse supports
(``patterns.propose_claims``) and lists the sentences no proposal quotes from
(``maillage.pipeline.sentences.split_sentences``, the build's own cutting, each quote placed where
the build will find it). ``propose_document``
does it for a document of the repository against the live release's names, writes
``data/proposals/NNN.yaml`` and the review page, and leaves out the proposed claims the claim
file already has (accepted earlier, or written by hand under the same id).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from maillage.ingest import nlp
from maillage.ingest.accept import accepted_claims, claims_path
from maillage.ingest.mentions import Knowledge, find_mentions
from maillage.ingest.patterns import propose_claims
from maillage.ingest.proposals import (
    MENTION_STATES,
    RELATION_KINDS,
    Proposal,
    Proposals,
    Span,
    write_proposals,
)
from maillage.ingest.review import quote_span, write_review
from maillage.layout import MANIFEST
from maillage.pipeline.provenance import NormalisedText
from maillage.pipeline.sentences import split_sentences
from maillage.pipeline.sources import Document, load_documents
from maillage.settings import Settings


class ProposeError(Exception):
    """Nothing could be proposed: one sentence saying why and what to do."""


class NoRelease(ProposeError):
    """There is no live release whose names the mentions are linked against."""


def propose(document: Document, knowledge: Knowledge) -> Proposals:
    """Everything proposed for ``document``, its mentions linked against ``knowledge``."""
    doc = nlp.parse(document.text)
    mentions = find_mentions(doc, knowledge)
    claims = propose_claims(doc, mentions, document)
    return Proposals(
        document=document.id,
        proposed_by=proposed_by(knowledge),
        mentions=list(mentions),
        claims=list(claims),
        unclaimed_sentences=unclaimed_sentences(document.text, claims),
    )


def proposed_by(knowledge: Knowledge) -> str:
    """The model and its version, and where the names came from (the release's id)."""
    return f"maillage ingest: {nlp.described()}; {knowledge.origin}"


def unclaimed_sentences(text: str, claims: list[Proposal]) -> list[Span]:
    """The sentences of ``text`` that no claim's quote overlaps, the quotes placed where the
    build will find them once accepted: at their first occurrence (``locate_quote``)."""
    normalised = NormalisedText(text)
    quoted = [quote_span(normalised, c.quote) or (c.start, c.end) for c in claims]
    return [
        Span(s.start, s.end, s.text)
        for s in split_sentences(text)
        if not any(s.overlaps(start, end) for start, end in quoted)
    ]


@dataclass(frozen=True)
class Proposed:
    """What ``propose_document`` wrote, and what it left out."""

    proposals: Proposals
    proposals_file: Path
    review_page: Path
    sentences: int
    already_accepted: tuple[str, ...]
    """Ids proposed again that the claim file already has: left out of the proposals file."""

    def summary(self) -> list[str]:
        """What was found, in lines a terminal prints: mentions by state, claims by kind."""
        states = Counter(m.state for m in self.proposals.mentions)
        kinds = Counter(c.kind for c in self.proposals.claims)
        claims = ", ".join(f"{kinds[k]} {k}" for k in RELATION_KINDS if kinds[k]) or "none"
        lines = [
            f"mentions: {len(self.proposals.mentions)} ("
            + ", ".join(f"{states[s]} {s}" for s in MENTION_STATES)
            + ")",
            f"proposed claims: {len(self.proposals.claims)} ({claims})",
            f"sentences that no proposed claim quotes: "
            f"{len(self.proposals.unclaimed_sentences)} of {self.sentences}",
        ]
        if self.already_accepted:
            lines.append(f"left out, already in the claim file: {', '.join(self.already_accepted)}")
        return lines


def propose_document(settings: Settings, doc_id: str) -> Proposed:
    """Propose for the registered document ``doc_id`` against the live release; write its
    proposals file and its review page."""
    document = load_documents(settings.sources_dir).get(doc_id)
    if document is None:
        raise ProposeError(f"no document {doc_id} is registered in data/sources/sources.yaml.")
    release = settings.current_release
    if not (release / MANIFEST).is_file():
        raise NoRelease(
            f"there is no live release ({release} has none) to link the mentions against: "
            f"`maillage build`, then `maillage propose {doc_id}`."
        )
    try:
        proposals = propose(document, Knowledge.from_release(release, settings.base_iri))
    except nlp.ModelMissing as error:
        raise ProposeError(f"{error}, then `maillage propose {doc_id}`.") from None
    data = settings.checkout / "data"
    accepted = {claim.get("id") for claim in accepted_claims(claims_path(data, doc_id))}
    already = tuple(c.id for c in proposals.claims if c.id in accepted)
    proposals = replace(proposals, claims=[c for c in proposals.claims if c.id not in accepted])
    path = write_proposals(data, proposals)
    page = write_review(settings.checkout, document, proposals)
    return Proposed(proposals, path, page, len(split_sentences(document.text)), already)
