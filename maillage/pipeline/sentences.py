"""A document's text cut into sentences, each with its offsets and line:column.

The cutting is pySBD's (rule-based sentence boundary disambiguation, its French rules: « M. »,
« etc. », numbers such as « 1,2 M€ » do not end a sentence). Around it, two choices of ours:

- A line is a unit of its own. The documents keep one paragraph, heading, list item, caption or
  piece of page furniture per line, so a sentence never runs across a line break, and a heading
  without a full stop is not glued to the paragraph after it.
- Quotation marks are hidden from pySBD (replaced by spaces of the same length, so offsets do not
  move). pySBD keeps a quotation whole; a quoted passage of five sentences would then be one unit,
  and a claim on the speaker's name would account for the four sentences of opinion in it too.

A piece pySBD cuts off that holds no letter or digit, or begins with a comma or a semicolon
(« données., et là… »), is joined to the sentence before it. Offsets are Unicode code points of
the text as stored, like ``oa:start``/``oa:end``.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import pysbd

LANGUAGE = "fr"
QUOTE_MARKS = '«»"“”„‹›'
OPENING_MARKS = "«“„‹"
HIDE_QUOTES = str.maketrans(dict.fromkeys(QUOTE_MARKS, " "))
CONTINUATION_STARTS = ",;"


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    line: int
    column: int
    """1-based, like the line."""

    def overlaps(self, start: int, end: int) -> bool:
        return start < self.end and self.start < end


@functools.cache
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language=LANGUAGE, clean=False)


def split_sentences(text: str) -> list[Sentence]:
    """Every sentence of ``text``, in order; blank lines hold none."""
    sentences: list[Sentence] = []
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        for start, end in _line_spans(line):
            sentences.append(
                Sentence(offset + start, offset + end, line[start:end], number, start + 1)
            )
        offset += len(line) + 1
    return sentences


def _line_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of one line, without surrounding white space."""
    if not line.strip():
        return []
    spans: list[tuple[int, int]] = []
    for start, end in _pieces(line):
        start, end = _trimmed(line, start, end)
        if start == end:
            continue
        if spans and _continues(line[start:end]):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _pieces(line: str) -> list[tuple[int, int]]:
    """pySBD's sentences of the line with its quotation marks hidden, as spans that cover the
    whole line: a mark between two sentences goes to the one it opens or closes."""
    hidden = line.translate(HIDE_QUOTES)
    found: list[tuple[int, int]] = []
    cursor = 0
    for piece in _segmenter().segment(hidden):
        words = piece.strip()
        if not words:
            continue
        start = hidden.index(words, cursor)
        cursor = start + len(words)
        found.append((start, cursor))
    cuts = [0]
    for (_, end), (start, _) in itertools.pairwise(found):
        cuts.append(_cut(line, end, start))
    cuts.append(len(line))
    return list(itertools.pairwise(cuts))


def _cut(line: str, end: int, start: int) -> int:
    """Where the gap ``line[end:start]`` between two sentences is cut: before the first
    opening quotation mark in it, else at the next sentence."""
    for index in range(end, start):
        char = line[index]
        if char in OPENING_MARKS or (char == '"' and not line[index + 1].isspace()):
            return index
    return start


def _trimmed(line: str, start: int, end: int) -> tuple[int, int]:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return start, end


def _continues(piece: str) -> bool:
    """A piece that cannot start a sentence: no word in it, or a leading comma."""
    return not any(c.isalnum() for c in piece) or piece[0] in CONTINUATION_STARTS
