"""Candidates for a reconciliation query and their scores.

Candidates come from the release's full-text index (``search.sqlite``: the names column only,
``retrieval.py`` says which words are looked for). Each candidate's names (preferred
and alternative) are then compared with the query by rapidfuzz, with case, accents, hyphens,
apostrophes, legal forms (SAS, SARL, association…), articles (« l’ », « la », « de »…) and word
order ignored; an acronym meets the initials of a name. Property constraints add to the score
when they agree and take from it when they differ; ``features`` give each part.

A candidate is a ``match`` only when it is clearly right: a high score, its name close to the
query, no property disagreeing, and a clear margin over the next candidate.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from maillage.search import (
    FACET_CLASS,
    FACET_TABLE,
    JOINERS,
    NAME_TABLE,
    TABLE,
    WORD,
    fold,
)
from server.reconcile.protocol import Constraint, Query, Supplied
from server.reconcile.retrieval import NameWords
from server.reconcile.values import Value, Values
from server.reconcile.vocabulary import TYPES, EntityType
from server.search import SearchIndex

LEGAL_FORMS = frozenset(
    [
        "sa",
        "sas",
        "sasu",
        "sarl",
        "eurl",
        "sci",
        "scop",
        "scic",
        "sem",
        "spl",
        "gie",
        "eirl",
        "snc",
        "selarl",
        "ste",
        "societe",
        "cie",
        "association",
        "asso",
        "assoc",
        "loi",
        "1901",
        "inc",
        "ltd",
        "llc",
        "gmbh",
        "plc",
    ]
)
"""Words that say what legal form a body has, not which body it is."""
ARTICLES = frozenset(
    [
        "l",
        "la",
        "le",
        "les",
        "d",
        "de",
        "du",
        "des",
        "et",
        "the",
        "of",
        "and",
        "a",
        "au",
        "aux",
        "en",
    ]
)
"""Words a name may gain or lose without naming another body."""
RETRIEVED = 40
"""Candidates read from the index for one query, before scoring."""
AGREE_BONUS = 10.0
"""What a property that agrees adds to the score."""
DISAGREE_PENALTY = 30.0
"""What a property that differs takes from it."""
ACRONYM_SCORE = 90.0
"""The name similarity of an acronym that is the initials of a name (« TBS »)."""
NUMBER_MISMATCH_CAP = 60.0
"""Most name similarity two names with different numbers get (« Digital 113 », « Digital 112 »)."""
MATCH_SCORE = 90.0
"""Least score of a match."""
MATCH_NAME = 90.0
"""Least name similarity of a match."""
MATCH_MARGIN = 10.0
"""Least lead of a match over the next candidate."""
AGREES, UNKNOWN, DIFFERS = 1, 0, -1
DOTTED = re.compile(r"(?<=\b\w)\.")
"""The dots of an abbreviation (« S.A.S. » is « SAS »)."""


@dataclass(frozen=True)
class NameForm:
    """A name as compared: its significant words, spaced and run together."""

    words: tuple[str, ...]

    @classmethod
    @functools.lru_cache(maxsize=65_536)
    def of(cls, name: str) -> NameForm:
        """A name's form (cached: the same names come back query after query)."""
        every = WORD.findall(fold(JOINERS.sub(" ", DOTTED.sub("", name))))
        significant = tuple(w for w in every if w not in LEGAL_FORMS and w not in ARTICLES)
        return cls(significant or tuple(every))

    @property
    def spaced(self) -> str:
        return " ".join(self.words)

    @property
    def squeezed(self) -> str:
        return "".join(self.words)

    @property
    def initials(self) -> str:
        return "".join(w[0] for w in self.words) if len(self.words) > 1 else ""

    @property
    def numbers(self) -> frozenset[str]:
        return frozenset(w for w in self.words if w.isdigit())


def similarity(query: NameForm, name: NameForm) -> float:
    """0–100: word order ignored (token sort), spaces ignored (run together), an acronym against
    initials; different numbers keep two names apart."""
    if not query.words or not name.words:
        return 0.0
    score = max(
        fuzz.token_sort_ratio(query.spaced, name.spaced),
        fuzz.ratio(query.squeezed, name.squeezed),
    )
    if query.squeezed in (name.initials, name.initials.rstrip("0123456789")) or (
        name.squeezed == query.initials
    ):
        score = max(score, ACRONYM_SCORE)
    if query.numbers and name.numbers and query.numbers != name.numbers:
        score = min(score, NUMBER_MISMATCH_CAP)
    return round(score, 1)


@dataclass(frozen=True)
class Feature:
    id: str
    name: str
    value: float | int | bool


@dataclass
class Candidate:
    iri: str
    ref: str
    name: str
    description: str
    types: list[str]
    names: list[str]
    """Every name of the candidate, compared with the query."""
    name_score: float = 0.0
    score: float = 0.0
    features: list[Feature] = field(default_factory=list)
    differs: bool = False
    match: bool = False


class Matcher:
    def __init__(self, index: SearchIndex, values: Values) -> None:
        self.index = index
        self.values = values
        self._words: NameWords | None = None

    @property
    def words(self) -> NameWords:
        """Read on first use, not when the server starts (seconds at 10M), under the index's
        lock only."""
        with self.index.lock:
            if self._words is None:
                self._words = NameWords(self.index.connection, self.index.lock)
            return self._words

    def candidates(self, query: Query) -> list[Candidate]:
        """The best ``query.limit`` candidates, best first, the first one marked when a match."""
        form = NameForm.of(query.text)
        found = [c for c in self.retrieved(query, form) if self.admitted(c, query)]
        for candidate in found:
            self.score(candidate, query, form)
        kept = [c for c in found if not self.refused(c, query)]
        kept.sort(key=lambda c: (-c.score, -c.name_score, fold(c.name), c.ref))
        if kept:
            kept[0].match = clearly_right(kept)
        return kept[: query.limit]

    # --- Retrieval ----------------------------------------------------------------------------

    def retrieved(self, query: Query, form: NameForm) -> list[Candidate]:
        if query.ids:
            return [c for c in map(self.by_ref, query.ids) if c is not None]
        given = [*WORD.findall(fold(query.text)), *form.words]
        words = [w for w in dict.fromkeys(given) if w not in LEGAL_FORMS and w not in ARTICLES]
        found: dict[str, Candidate] = {}
        for expression in self.words.expressions(words, form.squeezed):
            for candidate in self.named(expression, RETRIEVED, query.types):
                found.setdefault(candidate.iri, candidate)
        return list(found.values())

    def named(self, expression: str, count: int, kinds: tuple[EntityType, ...]) -> list[Candidate]:
        """The resources of the query's types (else of any of the service's types) whose names
        match an FTS5 expression, best first (BM25), with their names and classes (three
        statements, whatever the number of candidates). The unary ``+`` keeps SQLite on the facet
        table's ``iri`` index: with its ``(facet, value)`` index it would scan every resource of
        the type for each match (seconds at 1M triples)."""
        classes = [t.iri for t in kinds or TYPES]
        sql = (
            f"SELECT iri, label, description FROM {TABLE} s WHERE {TABLE} MATCH ? "
            f"AND EXISTS (SELECT 1 FROM {FACET_TABLE} f WHERE f.iri = s.iri AND +f.facet = ? "
            f"AND +f.value IN ({marks(classes)})) ORDER BY bm25({TABLE}) LIMIT ?"
        )
        parameters = (expression, FACET_CLASS, *classes, count)
        with self.index.lock:
            found = self.index.connection.execute(sql, parameters).fetchall()
            iris = [row[0] for row in found]
            names = self.grouped(f"SELECT iri, name FROM {NAME_TABLE} WHERE iri IN", iris)
            typed = self.grouped(
                f"SELECT iri, value FROM {FACET_TABLE} WHERE +facet = '{FACET_CLASS}' AND iri IN",
                iris,
            )
        return [
            Candidate(
                iri,
                self.values.ref(iri),
                label,
                short(description),
                [t.iri for t in TYPES if t.iri in typed.get(iri, ())],
                names.get(iri) or [label],
            )
            for iri, label, description in found
        ]

    def grouped(self, select: str, iris: list[str]) -> dict[str, list[str]]:
        """``{iri: [value, …]}`` of a two-column statement over some IRIs."""
        grouped: dict[str, list[str]] = {}
        for iri, value in self.index.connection.execute(f"{select} ({marks(iris)})", iris):
            grouped.setdefault(iri, []).append(value)
        return grouped

    def by_ref(self, ref: str) -> Candidate | None:
        """The entity an identifier names, when it is one of the service's types (a replaced
        identifier names its successor: a retired IRI is never a candidate)."""
        iri = self.values.current(ref)
        types = self.values.types(iri) if iri is not None else []
        if not types:
            return None
        label = self.values.label(iri)
        names = self.values.names(iri) or [label]
        descriptions = self.values.of(iri, "description")
        description = short(descriptions[0].text) if descriptions else ""
        return Candidate(iri, self.values.ref(iri), label, description, types, names)

    def admitted(self, candidate: Candidate, query: Query) -> bool:
        """One of the service's types, and the query's type when it gives one."""
        if not candidate.types:
            return False
        return not query.types or any(t.iri in candidate.types for t in query.types)

    # --- Scoring ------------------------------------------------------------------------------

    def score(self, candidate: Candidate, query: Query, form: NameForm) -> None:
        if query.text.strip():
            candidate.name_score = max(similarity(form, NameForm.of(n)) for n in candidate.names)
        else:
            candidate.name_score = 100.0
        score = candidate.name_score
        candidate.features.append(Feature("name", "Similarité du nom (0–100)", score))
        if query.types:
            kinds = " ou ".join(t.name for t in query.types)
            candidate.features.append(Feature("type", f"Type {kinds}", True))
        for constraint in query.constraints:
            agreement = self.agreement(candidate, constraint)
            candidate.features.append(
                Feature(
                    f"property:{constraint.property.id}",
                    f"{constraint.property.name} : 1 concorde, 0 inconnu, -1 diffère",
                    agreement,
                )
            )
            if agreement == AGREES:
                score += AGREE_BONUS
            elif agreement == DIFFERS:
                score -= DISAGREE_PENALTY
                candidate.differs = True
        candidate.score = round(min(100.0, max(0.0, score)), 1)

    def agreement(self, candidate: Candidate, constraint: Constraint) -> int:
        """Whether the candidate's values of the property agree with the supplied ones (any of
        them, all of them, or none of them, as the quantifier says)."""
        held = self.values.of(candidate.iri, constraint.property.id)
        if not held:
            return UNKNOWN
        met = [any(self.agrees(s, v) for v in held) for s in constraint.values]
        if constraint.quantifier == "all":
            return AGREES if all(met) else DIFFERS
        if constraint.quantifier == "none":
            return DIFFERS if any(met) else AGREES
        return AGREES if any(met) else DIFFERS

    def agrees(self, supplied: Supplied, value: Value) -> bool:
        if value.kind == "entity":
            ref = supplied.ref or supplied.text.strip()
            if self.values.ref(self.values.current(ref) or ref) == value.ref:
                return True
            return not supplied.ref and fold(supplied.text).strip() in value.keys
        if value.kind == "date":
            return dates_agree(supplied.text.strip(), value.text)
        if value.kind == "code":
            return supplied.text.strip().upper() == value.text.upper()
        return similarity(NameForm.of(supplied.text), NameForm.of(value.text)) >= MATCH_NAME

    def refused(self, candidate: Candidate, query: Query) -> bool:
        """A required condition that does not hold leaves the candidate out."""
        required = {f"property:{c.property.id}" for c in query.constraints if c.required}
        return any(f.id in required and f.value != AGREES for f in candidate.features)


DATE = re.compile(r"^(-?\d{4}(-\d{2}(-\d{2})?)?)(T[\d:.]*(Z|[+-][\d:]+)?)?$")
"""A date as a query gives it: a year, a month, a day, or a date-time (OpenRefine's)."""


def dates_agree(supplied: str, held: str) -> bool:
    """``2019`` agrees with ``2019-02-05`` and the other way round: the coarser precision is
    compared."""
    found = DATE.match(supplied)
    if found is None:
        return False
    day = found.group(1)
    shortest = min(len(day), len(held))
    return day[:shortest] == held[:shortest]


def clearly_right(ranked: list[Candidate]) -> bool:
    top = ranked[0]
    lead = top.score - ranked[1].score if len(ranked) > 1 else top.score
    return (
        top.score >= MATCH_SCORE
        and top.name_score >= MATCH_NAME
        and not top.differs
        and lead >= MATCH_MARGIN
    )


def marks(values: list[str]) -> str:
    """As many SQL parameters as values."""
    return ", ".join("?" for _ in values)


def short(text: str, length: int = 200) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
