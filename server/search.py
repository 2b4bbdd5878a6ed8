"""Searching the release's full-text index (``search.sqlite``, written by the build), opened
read-only. Words of the query are quoted (never FTS5 syntax); a word found nowhere is replaced by
the closest indexed word (``montpelier`` → ``montpellier``), so small typos still find; and
when no resource holds every word, the hits hold some. The hits are counted by class, network
family and commune (the index's facet table), and these facets narrow them."""

from __future__ import annotations

import difflib
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from maillage.namespaces import CANONICAL_BASE, CONCEPT, curie, expanded
from maillage.places import COMMUNES
from maillage.search import (
    FACET_CLASS,
    FACET_COMMUNE,
    FACET_FAMILY,
    FACET_TABLE,
    NAME_WEIGHT,
    TABLE,
    fold,
    match_expression,
    words,
)

MAX_QUERY_CHARS = 200
"""Longer queries are refused (400): a name or a few words is what the index answers."""
MAX_WORDS = 12
SNIPPET_CHARS = 160
TYPO_CUTOFF = 0.8
"""How close (difflib's ratio) an indexed word must be to stand for a word found nowhere."""


FACET_VALUES = 10
"""Values shown per facet, the most frequent first."""


class BadQuery(ValueError):
    """A query the search cannot answer; the message is the 400's one sentence."""


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    class_iri: str
    snippet: str


@dataclass(frozen=True)
class Facet:
    """A facet the search counts and filters by: its parameter, its rows in the facet table,
    and how a parameter's value (a CURIE, a code) names one of them."""

    name: str
    table_facet: str
    namespace: str
    """The IRIs of its values minus their code (``…/concept/family/`` + ``clusters-poles``);
    "" for classes, whose code is their CURIE."""
    hint: str

    def value(self, code: str) -> str:
        return self.namespace + code if self.namespace else expanded(code)

    def code(self, value: str) -> str:
        return value.removeprefix(self.namespace) if self.namespace else curie(value)


FACETS = (
    Facet("class", FACET_CLASS, "", "a class as its CURIE, such as org:Organization"),
    Facet("family", FACET_FAMILY, f"{CONCEPT}family/", "a network family, such as clusters-poles"),
    Facet(
        "commune",
        FACET_COMMUNE,
        CANONICAL_BASE + COMMUNES,
        "the INSEE code of a commune something is in, such as 31555",
    ),
)
"""The facets of a search, in the order they are shown."""


@dataclass(frozen=True)
class FacetValue:
    code: str
    iri: str
    label: str
    count: int


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    total: int
    """How many resources match (the hits are the first of them)."""
    facets: dict[str, list[FacetValue]]
    """For each facet's name, its most frequent values among all the matches."""


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
        return self.find(query, limit).hits

    def find(self, query: str, limit: int = 20, filters: dict[str, str] | None = None) -> Results:
        """The best hits for every word of the query; failing that, for every word once each
        word found nowhere is corrected; failing that, for any of these words. ``filters``
        (a facet's name → a code) keep the matches that have these values; the facets count
        what is kept."""
        terms = checked_terms(query)
        narrowed = self._narrowing(filters or {})
        if not terms:
            return Results([], 0, {})
        found = self._found(terms)
        if found is None:
            return Results([], 0, {})
        terms, expression = found
        with self.lock:
            return Results(
                self._hits(expression, terms, narrowed, limit),
                self._total(expression, narrowed),
                self._facets(expression, narrowed),
            )

    def _found(self, terms: list[str]) -> tuple[list[str], str] | None:
        """The first of the three readings of the query that something matches: its terms
        and its MATCH expression."""
        corrected = self._corrected(terms)
        for candidate, every_word in ((terms, True), (corrected, True), (corrected, False)):
            expression = match_expression(candidate, every_word)
            if self._matches(expression):
                return candidate, expression
        return None

    def _matches(self, expression: str) -> bool:
        sql = f"SELECT 1 FROM {TABLE} WHERE {TABLE} MATCH ? LIMIT 1"
        with self.lock:
            return self.connection.execute(sql, (expression,)).fetchone() is not None

    def _narrowing(self, filters: dict[str, str]) -> list[tuple[str, str]]:
        """The (table facet, value) pairs the filters ask for, each checked to exist."""
        narrowed = []
        for facet in FACETS:
            code = filters.get(facet.name)
            if code is None:
                continue
            value = facet.value(code)
            if not self._known(facet.table_facet, value):
                raise BadQuery(f"unknown {facet.name} {code[:50]!r}: give {facet.hint}.")
            narrowed.append((facet.table_facet, value))
        return narrowed

    def _known(self, table_facet: str, value: str) -> bool:
        sql = f"SELECT 1 FROM {FACET_TABLE} WHERE facet = ? AND value = ? LIMIT 1"
        with self.lock:
            return self.connection.execute(sql, (table_facet, value)).fetchone() is not None

    def _hits(self, expression, terms, narrowed, limit) -> list[Hit]:
        where, parameters = matching(expression, narrowed)
        sql = (
            f"SELECT iri, label, class, description FROM {TABLE} WHERE {where} "
            f"ORDER BY instr(' ' || names || ' ', ?) > 0 DESC, "
            f"bm25({TABLE}, 0, 0, 0, 0, ?, 1), iri LIMIT ?"
        )
        rows = self.connection.execute(
            sql, (*parameters, named_exactly(terms), NAME_WEIGHT, limit)
        ).fetchall()
        return [Hit(iri, label, kind, snippet(text, terms)) for iri, label, kind, text in rows]

    def _total(self, expression, narrowed) -> int:
        where, parameters = matching(expression, narrowed)
        return self.connection.execute(
            f"SELECT count(*) FROM {TABLE} WHERE {where}", parameters
        ).fetchone()[0]

    def _facets(self, expression, narrowed) -> dict[str, list[FacetValue]]:
        where, parameters = matching(expression, narrowed)
        counted = {}
        for facet in FACETS:
            sql = (
                f"SELECT value, label, count(*) AS n FROM {FACET_TABLE} WHERE facet = ? "
                f"AND iri IN (SELECT iri FROM {TABLE} WHERE {where}) "
                "GROUP BY value, label ORDER BY n DESC, label, value LIMIT ?"
            )
            rows = self.connection.execute(sql, (facet.table_facet, *parameters, FACET_VALUES))
            counted[facet.name] = [
                FacetValue(facet.code(value), value, label, n) for value, label, n in rows
            ]
        return counted

    def _corrected(self, terms: list[str]) -> list[str]:
        """Each term, or the closest indexed word when it is indexed nowhere."""
        return [
            term
            if term in self.known
            else next(iter(difflib.get_close_matches(term, self.vocabulary, 1, TYPO_CUTOFF)), term)
            for term in terms
        ]


def matching(expression: str, narrowed: list[tuple[str, str]]) -> tuple[str, tuple]:
    """The WHERE clause of the matches that have each narrowing facet value, and its
    parameters."""
    where = f"{TABLE} MATCH ?" + "".join(
        f" AND iri IN (SELECT iri FROM {FACET_TABLE} WHERE facet = ? AND value = ?)"
        for _ in narrowed
    )
    return where, (expression, *(part for pair in narrowed for part in pair))


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
