"""Stage 3: find each quote in its document and describe where it is (W3C Web Annotation).

The match is exact after whitespace normalisation (runs of white space count as one space),
nothing fuzzier. Offsets are Unicode code points in the document as stored, so
``text[start:end]`` is the quote as it appears there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from maillage.errors import DataError
from maillage.pipeline.claims import Claim

CONTEXT_CHARS = 32
WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class QuoteLocation:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    occurrences: int


class NormalisedText:
    """A text with runs of white space collapsed, mapping each position back to the original."""

    def __init__(self, text: str) -> None:
        self.original = text
        chars: list[str] = []
        origin: list[int] = []
        previous_space = True
        for index, char in enumerate(text):
            if char.isspace():
                if previous_space:
                    continue
                char, previous_space = " ", True
            else:
                previous_space = False
            chars.append(char)
            origin.append(index)
        self.text = "".join(chars)
        self.origin = origin

    def find_all(self, needle: str) -> list[int]:
        found, start = [], self.text.find(needle)
        while start != -1:
            found.append(start)
            start = self.text.find(needle, start + 1)
        return found

    def span(self, start: int, length: int) -> tuple[int, int]:
        return self.origin[start], self.origin[start + length - 1] + 1


def normalise(text: str) -> str:
    return WHITESPACE.sub(" ", text).strip()


def locate_quote(claim: Claim, document: NormalisedText) -> QuoteLocation:
    """Where the claim's quote is; a quote not in the document is an error at the claim's line."""
    needle = normalise(claim.quote)
    hits = document.find_all(needle)
    if not hits:
        raise DataError(
            claim.path,
            claim.line,
            f"quote of claim {claim.id!r} not found in document {claim.doc_id}: {needle[:80]!r}",
        )
    start, end = document.span(hits[0], len(needle))
    text = document.original
    return QuoteLocation(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
        occurrences=len(hits),
    )
