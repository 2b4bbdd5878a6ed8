"""A document's text cut into segments at the quote boundaries of its claims, so that a template
can mark every quote (quotes overlap and nest) and anchor each claim where its quote begins, and
at the boundaries of its listed sentences (those that carry no claim), which it greys with their
reason.

Offsets are ``oa:start``/``oa:end`` of the claims' ``oa:TextPositionSelector``, in Unicode code
points of the text as stored: Python's ``str`` indexes the same way.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from maillage.release_reader import Claim, ClaimRef, ListedSentence


@dataclass
class Segment:
    text: str
    claims: list[ClaimRef] = field(default_factory=list)
    """The claims whose quote covers this segment, innermost (shortest quote) first."""
    anchors: list[ClaimRef] = field(default_factory=list)
    """The claims whose quote begins here."""
    selected: bool = False
    listed: ListedSentence | None = None
    """The listed sentence (one that carries no claim, with its reason) this segment is, if any."""


def located(claim: Claim, text: str) -> bool:
    """The claim's offsets give back its quote (white space compared loosely, as the build
    matches quotes after collapsing runs of white space)."""
    if claim.start is None or claim.end is None or not 0 <= claim.start < claim.end <= len(text):
        return False
    return " ".join(text[claim.start : claim.end].split()) == " ".join(claim.exact.split())


def segments(
    text: str,
    claims: list[Claim],
    selected: str | None = None,
    listed: list[ListedSentence] = (),
) -> list[Segment]:
    """``text`` split at every quote's and every listed sentence's start and end; ``selected``
    is a claim's local id."""
    placed = [c for c in claims if located(c, text)]
    sentences = [s for s in listed if 0 <= s.start < s.end <= len(text)]
    cuts = {0, len(text)} | {c.start for c in placed} | {c.end for c in placed}
    cuts |= {s.start for s in sentences} | {s.end for s in sentences}
    result = []
    for begin, finish in itertools.pairwise(sorted(cuts)):
        covering = [c for c in placed if c.start <= begin and finish <= c.end]
        covering.sort(key=lambda c: (c.end - c.start, c.ref.iri))
        result.append(
            Segment(
                text=text[begin:finish],
                claims=[c.ref for c in covering],
                anchors=[c.ref for c in placed if c.start == begin],
                selected=any(c.ref.local_id == selected for c in covering),
                listed=next((s for s in sentences if s.start <= begin and finish <= s.end), None),
            )
        )
    return result
