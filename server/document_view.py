"""A document's text cut into segments at the quote boundaries of its claims, so that a template
can mark every quote (quotes overlap and nest) and anchor each claim where its quote begins.

Offsets are ``oa:start``/``oa:end`` of the claims' ``oa:TextPositionSelector``, in Unicode code
points of the text as stored: Python's ``str`` indexes the same way.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from maillage.release_reader import Claim, ClaimRef


@dataclass
class Segment:
    text: str
    claims: list[ClaimRef] = field(default_factory=list)
    """The claims whose quote covers this segment, innermost (shortest quote) first."""
    anchors: list[ClaimRef] = field(default_factory=list)
    """The claims whose quote begins here."""
    selected: bool = False


def located(claim: Claim, text: str) -> bool:
    """The claim's offsets give back its quote (white space compared loosely, as the build
    matches quotes after collapsing runs of white space)."""
    if claim.start is None or claim.end is None or not 0 <= claim.start < claim.end <= len(text):
        return False
    return " ".join(text[claim.start : claim.end].split()) == " ".join(claim.exact.split())


def segments(text: str, claims: list[Claim], selected: str | None = None) -> list[Segment]:
    """``text`` split at every quote start and end; ``selected`` is a claim's local id."""
    placed = [c for c in claims if located(c, text)]
    cuts = sorted({0, len(text)} | {c.start for c in placed} | {c.end for c in placed})
    result = []
    for begin, finish in itertools.pairwise(cuts):
        covering = [c for c in placed if c.start <= begin and finish <= c.end]
        covering.sort(key=lambda c: (c.end - c.start, c.ref.iri))
        result.append(
            Segment(
                text=text[begin:finish],
                claims=[c.ref for c in covering],
                anchors=[c.ref for c in placed if c.start == begin],
                selected=any(c.ref.local_id == selected for c in covering),
            )
        )
    return result
