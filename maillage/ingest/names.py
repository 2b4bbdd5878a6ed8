"""Names in a text, compared as the search compares them (``maillage.search.fold``): accents,
case, spaces, hyphens, apostrophes and dots ignored, so that ``DigitalPlace`` = ``Digital
Place`` and ``AD’OCC`` = ``AD'OCC`` = ``ADOCC``.

The gazetteer and the territories look up the same windows of the text: runs of consecutive
words on one line, joined by nothing but spaces, hyphens, apostrophes or dots.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from maillage.search import WORD, fold, squeezed

GAP = re.compile(r"[ \t\u00a0\u202f\-\u2010\u2011\u2012\u2013'\u2019\u02bc.]{0,3}")
"""What may stand between two words of one name: spaces, hyphens, apostrophes, a dot
(``FrenchSouth.digital``); never a line break, a comma or a parenthesis."""
ARTICLES = frozenset({"le", "la", "les", "l"})
"""Leading words a name may have that the text writes in lower case (« la Mêlée »)."""


def key(name: str) -> str:
    """The key a name is looked up by: its words folded and squeezed (``digitalplace``)."""
    return squeezed(name)


@dataclass(frozen=True)
class Window:
    start: int
    end: int
    key: str
    words: int


@dataclass(frozen=True)
class Words:
    """The words of a text with their offsets (code points), and which ones may continue a
    name started by the previous one."""

    text: str
    spans: tuple[tuple[int, int], ...]
    joined: tuple[bool, ...]
    """``joined[i]``: word ``i`` follows word ``i-1`` with only a name's gap between them."""

    @classmethod
    def of(cls, text: str) -> Words:
        spans = tuple(m.span() for m in WORD.finditer(text))
        joined = tuple(
            i > 0 and GAP.fullmatch(text, spans[i - 1][1], spans[i][0]) is not None
            for i in range(len(spans))
        )
        return cls(text, spans, joined)

    def windows(self, longest: int) -> Iterator[Window]:
        """Every run of 1 to ``longest`` joined words, with its key."""
        folded = [fold(self.text[s:e]) for s, e in self.spans]
        for first in range(len(self.spans)):
            parts: list[str] = []
            for last in range(first, min(first + longest, len(self.spans))):
                if last > first and not self.joined[last]:
                    break
                parts.append(folded[last])
                yield Window(self.spans[first][0], self.spans[last][1], "".join(parts), len(parts))


def written_as_name(text: str, name: str) -> bool:
    """Whether ``text`` is written with the capitals of ``name``: the first word of the name
    that is not an article starts with a capital in both, and a name in capitals (an acronym,
    ``CCI``) is in capitals in the text, or capitalised when it has four letters or more
    (``Idate`` for ``IDATE``)."""
    name_words = [w for w in WORD.findall(name) if fold(w) not in ARTICLES] or WORD.findall(name)
    text_words = [w for w in WORD.findall(text) if fold(w) not in ARTICLES] or WORD.findall(text)
    if not name_words or not text_words:
        return False
    first_name, first_text = name_words[0], text_words[0]
    if first_name[:1].isupper() and not first_text[:1].isupper():
        return False
    letters = "".join(name_words)
    if len(name_words) == 1 and letters.isupper() and len(letters) > 1:
        written = "".join(text_words)
        # « IDATE » is also written « Idate », as the press writes acronyms of four letters or
        # more; « CCI » only in capitals (« cci » is no name)
        return written.isupper() or (len(letters) >= 4 and written == written.capitalize())
    return True
