"""Which words to look for in the names of the release's full-text index, so that a query finds
its candidates in a few milliseconds at a million triples.

The words of the names column and how many resources hold each are read once, when the service
starts (``fts5vocab``). A query is looked for twice: with every one of its words (a word the names
hold nowhere stands for the closest words they hold: small typos), which is narrow; and with any
of its rarest words and its words run together (``AD OCC`` → ``adocc``), which finds a name
that lacks a word of the query or has one more, while never asking BM25 to rank thousands of
names that share a common word (« réseaux », « numérique »)."""

from __future__ import annotations

from collections import defaultdict

from rapidfuzz import fuzz, process

from maillage.search import TABLE

TYPO_CUTOFF = 80
"""How close (rapidfuzz ratio, 0–100) an indexed word must be to stand for a word found nowhere."""
TYPO_MIN_LENGTH = 4
TYPO_LENGTH_SPREAD = 2
"""A typo's stand-in is at most this many letters longer or shorter, and starts alike."""
TYPO_CHOICES = 3
MAX_WORDS = 12
"""Most words of one query looked for (a name has fewer)."""
BROAD_DOCUMENTS = 400
"""The broad search takes the query's rarest words until they are held by this many names (at
least one word)."""


def quoted(term: str) -> str:
    return f'"{term}"'


class NameWords:
    """The words of the index's names column and how many resources hold each."""

    def __init__(self, connection, lock) -> None:
        with lock:
            connection.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.name_words "
                f"USING fts5vocab(main, {TABLE}, col)"
            )
            rows = connection.execute(
                "SELECT term, doc FROM temp.name_words WHERE col = 'names'"
            ).fetchall()
        self.documents = dict(rows)
        self.alike: dict[tuple[str, int], list[str]] = defaultdict(list)
        """Words by their first letter and length: where a typo's stand-in is looked for."""
        for term in self.documents:
            self.alike[term[0], len(term)].append(term)

    def alternatives(self, word: str) -> list[str]:
        """The word itself when names hold it, else the closest words they hold."""
        if word in self.documents:
            return [word]
        if len(word) < TYPO_MIN_LENGTH:
            return []
        near = [
            term
            for length in range(len(word) - TYPO_LENGTH_SPREAD, len(word) + TYPO_LENGTH_SPREAD + 1)
            for term in self.alike.get((word[0], length), ())
        ]
        found = process.extract(
            word, near, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF, limit=TYPO_CHOICES
        )
        return [term for term, _score, _i in found]

    def expressions(self, words: list[str], squeezed: str) -> list[str]:
        """The two FTS5 expressions (over the names column) of a query's words: every word, and
        any of the rarest ones or the words run together. Empty when nothing can match."""
        choices = [
            alternatives for w in words[:MAX_WORDS] if (alternatives := self.alternatives(w))
        ]
        together = self.alternatives(squeezed) if squeezed and squeezed not in words else []
        found = []
        if choices:
            found.append(" AND ".join(f"({' OR '.join(map(quoted, c))})" for c in choices))
        broad = self.rarest(choices) + together
        if broad:
            found.append(" OR ".join(map(quoted, dict.fromkeys(broad))))
        return [f"names : ({expression})" for expression in found]

    def rarest(self, choices: list[list[str]]) -> list[str]:
        terms = sorted({t for c in choices for t in c}, key=lambda t: (self.documents[t], t))
        kept, held = [], 0
        for term in terms:
            if kept and held + self.documents[term] > BROAD_DOCUMENTS:
                break
            kept.append(term)
            held += self.documents[term]
        return kept
