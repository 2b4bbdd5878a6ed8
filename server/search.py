"""Searching the release's full-text index (``search.sqlite``, written by the build), opened
read-only. Words of the query are quoted (never FTS5 syntax); a word found nowhere is replaced by
the closest indexed word (``montpelier`` → ``montpellier``), so small typos still find; and
when no resource holds every word, the hits hold some. The hits are counted by class, network
family and commune (the index's facet table), and these facets narrow them."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from maillage.namespaces import CANONICAL_BASE, CONCEPT, curie, expanded
from maillage.places import COMMUNES
from maillage.search import (
    ENTITY_TABLE,
    FACET_CLASS,
    FACET_COMMUNE,
    FACET_FAMILY,
    FACET_TABLE,
    NAME_WEIGHT,
    PREFIX_TABLE,
    QUOTE_SHIFT,
    QUOTE_TABLE,
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
"""How close (rapidfuzz's normalised Indel similarity) an indexed word must be to stand for a
word found nowhere."""


FACET_VALUES = 10
"""Values shown per facet, the most frequent first."""
SUGGESTIONS = 8
"""Names offered as one types, at most."""
SUGGEST_MIN_CHARS = 2
"""Fewer letters than this are not looked up (every name would start with them)."""


class BadQuery(ValueError):
    """A query the search cannot answer; the message is the 400's one sentence."""


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    class_iri: str
    snippet: str
    claim: str | None = None
    """The claim whose quote the snippet is, when the words were found in a quote rather than
    in the description."""


@dataclass(frozen=True)
class Suggestion:
    iri: str
    label: str
    class_iri: str
    class_label: str
    """The class's French label (from the facet table)."""


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


TIER = 1_000_000.0
"""Apart in the ordering key: a name that is the query (0), a match of the names and
descriptions (1), of a quote only (from 2, less the number of its quotes that match); BM25
orders within a tier (its scores are far below)."""
LAST_CHARACTER = chr(0x10FFFF)
"""Above every character: ``key < prefix + LAST_CHARACTER`` ends the range of a prefix."""


class SearchIndex:
    """The index, read-only; each search gathers its matches in a temporary table (the
    connection's own, in memory), so that the hits, the total and the facets count the same."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.lock = threading.RLock()  # re-entered: a word list is read on first use, under it
        self._lists: tuple[list[str], frozenset[str]] | None = None
        self.connection.execute(
            "CREATE TEMP TABLE found (id INTEGER PRIMARY KEY, key REAL, quote INTEGER)"
        )

    # The word lists are read on first use, not when the server starts: at 10M they take
    # seconds, which every first answer (a dereference, a query) would otherwise wait for. Read
    # under the index's lock only (no second lock, so no two locks taken in turn).
    @property
    def every_word(self) -> list[str]:
        """The words of names, descriptions and quotes (what a search corrects to)."""
        return self._word_lists()[0]

    @property
    def every_known(self) -> frozenset[str]:
        return self._word_lists()[1]

    def _word_lists(self) -> tuple[list[str], frozenset[str]]:
        with self.lock:
            if self._lists is None:
                every_word = sorted(set(self._words(TABLE)) | set(self._words(QUOTE_TABLE)))
                self._lists = (every_word, frozenset(every_word))
            return self._lists

    def _words(self, table: str) -> list[str]:
        """The words indexed in an FTS5 table."""
        with self.lock:
            self.connection.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_words "
                f"USING fts5vocab(main, {table}, row)"
            )
            return [term for (term,) in self.connection.execute(f"SELECT term FROM {table}_words")]

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        return self.find(query, limit).hits

    def suggest(self, typed: str, limit: int = SUGGESTIONS) -> list[Suggestion]:
        """The resources one of whose names starts with what was typed, folded and without its
        spaces (``ad'o`` → AD’OCC, ``digital pl`` → Digital Place), or has a word from which
        it does (``mel`` → La Mêlée): first those whose name starts like it, then the others,
        each by the length of the name (a range of the prefix table's keys, no FTS5)."""
        typed_key = "".join(checked_terms(typed))
        if len(typed_key) < SUGGEST_MIN_CHARS:
            return []
        sql = (
            f"SELECT s.iri, s.label, s.class, coalesce(f.label, '') FROM "
            f"(SELECT id, min(tier) AS tier, min(size) AS size FROM {PREFIX_TABLE} "
            "WHERE key >= ?1 AND key < ?2 GROUP BY id ORDER BY tier, size, id LIMIT ?3) AS p "
            f"CROSS JOIN {TABLE} AS s ON s.rowid = p.id "
            f"LEFT JOIN {FACET_TABLE} AS f "
            "ON f.iri = s.iri AND +f.facet = ?4 AND +f.value = s.class "  # by the iri index
            "ORDER BY p.tier, p.size, p.id"
        )
        parameters = (typed_key, typed_key + LAST_CHARACTER, limit, FACET_CLASS)
        with self.lock:
            rows = self.connection.execute(sql, parameters).fetchall()
        return [Suggestion(*row) for row in rows]

    def find(self, query: str, limit: int = 20, filters: dict[str, str] | None = None) -> Results:
        """The best hits for every word of the query; failing that, for every word once each
        word found nowhere is corrected; failing that, for any of these words. A resource
        matches by its names and descriptions or by a quote about it. ``filters`` (a facet's
        name → a code) keep the matches that have these values; the facets count what is
        kept."""
        terms = checked_terms(query)
        narrowed = self._narrowing(filters or {})
        if not terms:
            return Results([], 0, {})
        with self.lock:
            found = self._gathered(terms)
            if found is None:
                return Results([], 0, {})
            for facet, value in narrowed:
                self.connection.execute(
                    f"DELETE FROM found WHERE id NOT IN (SELECT e.id FROM {FACET_TABLE} AS f "
                    f"CROSS JOIN {ENTITY_TABLE} AS e ON e.iri = f.iri "
                    "WHERE f.facet = ? AND f.value = ?)",
                    (facet, value),
                )
            return Results(self._hits(found, limit), self._total(), self._facets())

    def _gathered(self, terms: list[str]) -> list[str] | None:
        """The matches of the first of the three readings of the query that matches something,
        gathered in ``found``; the terms of that reading."""
        corrected = self._corrected(terms)
        for candidate, every_word in ((terms, True), (corrected, True), (corrected, False)):
            if self._gather(candidate, match_expression(candidate, every_word)):
                return candidate
        return None

    def _gather(self, terms: list[str], expression: str) -> bool:
        """The resources whose names and descriptions match, by BM25, a name that is the query
        first; then those with a quote that matches, the most quoted first; each with its
        first matching quote. Rowids only: no row of the index is read."""
        self.connection.execute("DELETE FROM found")
        self.connection.execute(
            f"INSERT INTO found (id, key) SELECT rowid, ? + bm25({TABLE}, 0, 0, 0, 0, ?, 1) "
            f"FROM {TABLE} WHERE {TABLE} MATCH ?",
            (TIER, NAME_WEIGHT, expression),
        )
        self.connection.execute(
            f"UPDATE found SET key = key - ? WHERE id IN "
            f"(SELECT id FROM {PREFIX_TABLE} WHERE key = ? AND tier = 0)",
            (TIER, "".join(terms)),
        )
        self.connection.execute(
            f"INSERT INTO found (id, key, quote) SELECT rowid >> ?1, ?2 - count(*), min(rowid) "
            f"FROM {QUOTE_TABLE} WHERE {QUOTE_TABLE} MATCH ?3 GROUP BY rowid >> ?1 "
            "ORDER BY TRUE ON CONFLICT (id) DO UPDATE SET quote = excluded.quote",
            (QUOTE_SHIFT, 3 * TIER, expression),
        )
        return self.connection.execute("SELECT 1 FROM found LIMIT 1").fetchone() is not None

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

    def _hits(self, terms: list[str], limit: int) -> list[Hit]:
        rows = self.connection.execute(
            "SELECT s.iri, s.label, s.class, s.description, q.claim, q.exact FROM "
            "(SELECT id, key, quote FROM found ORDER BY key, id LIMIT ?) AS top "
            f"CROSS JOIN {TABLE} AS s ON s.rowid = top.id "
            f"LEFT JOIN {QUOTE_TABLE} AS q ON q.rowid = top.quote "
            "ORDER BY top.key, top.id",
            (limit,),
        )
        return [hit(*row, terms) for row in rows]

    def _total(self) -> int:
        return self.connection.execute("SELECT count(*) FROM found").fetchone()[0]

    def _facets(self) -> dict[str, list[FacetValue]]:
        """The most frequent values of each facet among the matches, in one pass."""
        names = [facet.table_facet for facet in FACETS]
        rows = self.connection.execute(
            "SELECT facet, value, label, n FROM (SELECT f.facet, f.value, f.label, "
            "count(*) AS n, row_number() OVER "
            "(PARTITION BY f.facet ORDER BY count(*) DESC, f.label, f.value) AS place "
            f"FROM found CROSS JOIN {ENTITY_TABLE} AS e ON e.id = found.id "
            f"CROSS JOIN {FACET_TABLE} AS f ON f.iri = e.iri "
            f"WHERE +f.facet IN ({', '.join('?' for _ in names)}) "
            "GROUP BY f.facet, f.value, f.label) WHERE place <= ? ORDER BY facet, place",
            (*names, FACET_VALUES),
        )
        counted: dict[str, list[FacetValue]] = {facet.name: [] for facet in FACETS}
        by_table = {facet.table_facet: facet for facet in FACETS}
        for table_facet, value, label, n in rows:
            facet = by_table[table_facet]
            counted[facet.name].append(FacetValue(facet.code(value), value, label, n))
        return counted

    def _corrected(self, terms: list[str]) -> list[str]:
        """Each term, or the closest indexed word when it is indexed nowhere."""
        return [term if term in self.every_known else self._closest(term) for term in terms]

    def _closest(self, term: str) -> str:
        found = process.extractOne(
            term, self.every_word, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF * 100
        )
        return found[0] if found else term


def checked_terms(query: str) -> list[str]:
    if len(query) > MAX_QUERY_CHARS:
        raise BadQuery(f"the query is {len(query)} characters long; at most {MAX_QUERY_CHARS}.")
    return words(query)[:MAX_WORDS]


def hit(iri, label, kind, description, claim, quote, terms: list[str]) -> Hit:
    """A hit, its snippet from the description when it holds a word of the query, else from
    the quote about it that matched best, if any."""
    if quote is not None and not holds(description, terms):
        return Hit(iri, label, kind, snippet(quote, terms), claim)
    return Hit(iri, label, kind, snippet(description, terms))


def holds(text: str, terms: list[str]) -> int:
    """How many of the query's words ``text`` holds (folded)."""
    folded = fold(text)
    return sum(1 for term in terms if term in folded)


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
