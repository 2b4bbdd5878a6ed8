"""Searching the release's full-text index (``search.sqlite``, written by the build), opened
read-only. Words of the query are quoted (never FTS5 syntax); a word found nowhere is replaced by
the closest indexed word (``montpelier`` → ``montpellier``), so small typos still find; and
when no resource holds every word, the hits hold some."""

from __future__ import annotations

import difflib
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from maillage.search import NAME_WEIGHT, TABLE, fold, match_expression, words

MAX_QUERY_CHARS = 200
"""Longer queries are refused (400): a name or a few words is what the index answers."""
MAX_WORDS = 12
SNIPPET_CHARS = 160
TYPO_CUTOFF = 0.8
"""How close (difflib's ratio) an indexed word must be to stand for a word found nowhere."""


class BadQuery(ValueError):
    """A query the search cannot answer; the message is the 400's one sentence."""


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    class_iri: str
    snippet: str


class SearchIndex:
    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.lock = threading.Lock()
        self.vocabulary = self._vocabulary()
        self.known = frozenset(self.vocabulary)

    def _vocabulary(self) -> list[str]:
        with self.lock:
            self.connection.execute(
                f"CREATE VIRTUAL TABLE temp.vocabulary USING fts5vocab(main, {TABLE}, row)"
            )
            return [term for (term,) in self.connection.execute("SELECT term FROM vocabulary")]

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """The best hits for every word of the query; failing that, for every word once each
        word found nowhere is corrected; failing that, for any of these words."""
        terms = checked_terms(query)
        if not terms:
            return []
        found = self._matching(terms, limit)
        if found:
            return found
        corrected = self._corrected(terms)
        return (corrected != terms and self._matching(corrected, limit)) or self._matching(
            corrected, limit, every_word=False
        )

    def _matching(self, terms: list[str], limit: int, every_word: bool = True) -> list[Hit]:
        sql = (
            f"SELECT iri, label, class, description FROM {TABLE} WHERE {TABLE} MATCH ? "
            f"ORDER BY instr(' ' || names || ' ', ?) > 0 DESC, "
            f"bm25({TABLE}, 0, 0, 0, 0, ?, 1), iri LIMIT ?"
        )
        expression = match_expression(terms, every_word)
        with self.lock:
            rows = self.connection.execute(
                sql, (expression, named_exactly(terms), NAME_WEIGHT, limit)
            ).fetchall()
        return [Hit(iri, label, kind, snippet(text, terms)) for iri, label, kind, text in rows]

    def _corrected(self, terms: list[str]) -> list[str]:
        """Each term, or the closest indexed word when it is indexed nowhere."""
        return [
            term
            if term in self.known
            else next(iter(difflib.get_close_matches(term, self.vocabulary, 1, TYPO_CUTOFF)), term)
            for term in terms
        ]


def named_exactly(terms: list[str]) -> str:
    """What a resource's ``names`` hold when one of its names is the query, as written by the
    build: the name without spaces, then its words."""
    return f" {''.join(terms)} {' '.join(terms)} "


def checked_terms(query: str) -> list[str]:
    if len(query) > MAX_QUERY_CHARS:
        raise BadQuery(f"the query is {len(query)} characters long; at most {MAX_QUERY_CHARS}.")
    return words(query)[:MAX_WORDS]


def snippet(text: str, terms: list[str]) -> str:
    """Up to :data:`SNIPPET_CHARS` of the description, around the first word of the query it
    holds (folded character by character, so positions stay those of the text)."""
    if len(text) <= SNIPPET_CHARS:
        return text
    folded = "".join((fold(c) or " ")[:1] for c in text)
    found = [i for i in (folded.find(t) for t in terms) if i >= 0]
    start = max(0, min(found, default=0) - SNIPPET_CHARS // 3)
    piece = text[start : start + SNIPPET_CHARS]
    return ("…" if start else "") + piece + ("…" if start + SNIPPET_CHARS < len(text) else "")
