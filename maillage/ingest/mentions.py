"""What a text names, and what each name stands for.

Three sources of mentions, in this order of trust: the gazetteer (the names we publish,
``maillage.ingest.gazetteer``), the territories of Occitanie (``maillage.ingest.territories``)
and the model's named entities (``maillage.ingest.nlp``) for what neither knows. Where they
overlap, the longest span wins, and at equal length the gazetteer, then the territories.

Every mention ends in one of three states (``maillage.ingest.proposals.Mention``):

- **linked** to an existing resource, with a score and the reason;
- **new**: a resource to create, its IRI minted by ``maillage.identifiers.mint_reference`` and
  its class guessed from the model's label and the words around it; existing resources with a
  similar name are listed in ``resembles``;
- **ambiguous**, with its candidates (a name several resources share, a commune name several
  communes share and that the context does not resolve).

Precision first: a one-word name links only when written with its capitals and not as the
first word of a sentence that the model does not read as a proper noun; an acronym only in
capitals; a small commune's name only where the model sees a place or « à » precedes it. A
name the model finds but that looks like a common word, a heading in capitals or initials
makes no mention at all.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from rdflib import Graph

from maillage.identifiers import CANONICAL, mint_reference
from maillage.ingest.entities import (
    Guess,
    event_titles,
    listed_names,
    name_around,
    named_entities,
    opens_sentence,
    text_of,
)
from maillage.ingest.gazetteer import Entry, Gazetteer
from maillage.ingest.names import ARTICLES, Words, key, written_as_name
from maillage.ingest.proposals import Candidate, Mention
from maillage.ingest.territories import Place, Territories, occitanie, resolve
from maillage.namespaces import TERRITORY_KINDS
from maillage.search import WORD, fold


@dataclass(frozen=True)
class Knowledge:
    """What mentions are linked against: the names of a graph, and Occitanie's territories."""

    gazetteer: Gazetteer
    territories: Territories

    @classmethod
    def from_release(cls, release_dir: Path, base: str = CANONICAL.iri) -> Knowledge:
        """The live release's names (``var/current``, or any release directory)."""
        return cls(Gazetteer.from_release(release_dir, base), occitanie())

    @classmethod
    def from_graph(cls, graph: Graph, base: str = CANONICAL.iri) -> Knowledge:
        """The names of an rdflib Graph or Dataset (every graph of it)."""
        return cls(Gazetteer.from_graph(graph, base), occitanie())

    @property
    def origin(self) -> str:
        return f"gazetteer of {self.gazetteer.origin}, territories of Occitanie (COG)"


PLACE_CUES = frozenset({"a", "au", "aux", "du", "en", "dans", "(", "vers", "pres", "sur"})
"""Words before a small commune's or a département's name that make it a place (folded)."""

SCORES = {
    "exact": 1.0,
    "folded": 0.95,
    "alternative": 0.9,
    "without article": 0.85,
    "one word": 0.9,
}


# --- Spans found -----------------------------------------------------------------------------


@dataclass
class Found:
    start: int
    end: int
    source: str
    """``gazetteer``, ``territories`` or ``ner``."""
    entries: tuple[Entry, ...] = ()
    places: tuple[Place, ...] = ()
    lowered: bool = False
    """For ``gazetteer``: an institution's name written in lower case (« la région Occitanie »)."""
    guess: Guess | None = None
    """For ``ner``: what the name is (``maillage.ingest.entities``)."""

    @property
    def rank(self) -> tuple[int, int, int]:
        order = {"gazetteer": 0, "territories": 1, "ner": 2}[self.source]
        return (-(self.end - self.start), order, self.start)


def find_mentions(doc, knowledge: Knowledge) -> list[Mention]:
    """The mentions of a parsed text (``maillage.ingest.nlp.parse``), in text order, never
    overlapping, each linked, new or ambiguous."""
    words = Words.of(text_of(doc))
    territories = knowledge.territories
    territory_refs = {p.ref for p in territories.places}
    known = list(_gazetteer_spans(doc, words, knowledge.gazetteer, territory_refs))
    covered = bytearray(len(text_of(doc)) + 1)
    for span in known:
        covered[span.start : span.end] = b"\x01" * (span.end - span.start)

    def blocked(start: int, end: int) -> bool:
        return any(covered[start:end])

    def is_place(word: str) -> bool:
        return any(
            p.kind != "commune" or p.population >= 10_000 for p in territories.named(key(word))
        )

    places = list(_territory_spans(doc, words, territories))
    around = [
        name_around(doc, p.start, p.end, blocked, all(q.kind == "commune" for q in p.places))
        for p in places
    ]
    named = [
        *named_entities(doc, blocked, is_place),
        *(n for n in around if n is not None),
        *event_titles(doc, blocked),
    ]
    found = [
        *known,
        *places,
        *(Found(n.start, n.end, "ner", guess=n.guess) for n in named),
    ]
    chosen = _without_overlaps(found)
    everything = bytearray(len(text_of(doc)) + 1)
    for span in chosen:
        everything[span.start : span.end] = b"\x01" * (span.end - span.start)
    organisations = [(f.start, f.end) for f in chosen if _organisation(f)]
    listed = listed_names(doc, lambda a, b: any(everything[a:b]), organisations)
    found = [*chosen, *(Found(n.start, n.end, "ner", guess=n.guess) for n in listed)]
    return _mentions(doc, _without_overlaps(found), knowledge)


def _organisation(span: Found) -> bool:
    if span.source == "ner":
        return span.guess is not None and span.guess.kind == "org"
    return span.source == "gazetteer" and any(e.cls == "org:Organization" for e in span.entries)


def _without_overlaps(found: list[Found]) -> list[Found]:
    """The longest spans first, then the most trusted source; a span overlapping one kept is
    dropped."""
    kept: list[Found] = []
    taken = bytearray(max((f.end for f in found), default=0))
    for span in sorted(found, key=lambda f: f.rank):
        if not any(taken[span.start : span.end]):
            kept.append(span)
            taken[span.start : span.end] = b"\x01" * (span.end - span.start)
    return sorted(kept, key=lambda f: f.start)


def _reads_as_name(doc, start: int, end: int, labels=("PER", "ORG", "MISC")) -> bool:
    """A one-word span is a name unless it opens a sentence and the model does not see a name
    there (« Mission », « Continental est un mot »)."""
    if not opens_sentence(text_of(doc), start):
        return True
    return any(e.start_char <= start and end <= e.end_char and e.label_ in labels for e in doc.ents)


def _previous_word(text: str, start: int) -> str:
    before = re.findall(r"\w+|\(", text[max(0, start - 30) : start])
    return fold(before[-1]) if before else ""


def _gazetteer_spans(
    doc, words: Words, gazetteer: Gazetteer, territory_refs: set[str]
) -> Iterable[Found]:
    text = text_of(doc)
    for window in words.windows(gazetteer.longest):
        entries = [
            e
            for e in [*gazetteer.named(window.key), *_without_article(gazetteer, window.key)]
            if e.ref not in territory_refs
        ]
        if not entries:
            continue
        written = text[window.start : window.end]
        lowered = [e for e in entries if _institution_in_lower_case(text, window.start, e)]
        entries = [e for e in entries if written_as_name(written, e.name)] or lowered
        if not entries:
            continue
        if window.words == 1 and (
            len(window.key) < 3 or not _reads_as_name(doc, window.start, window.end)
        ):
            continue
        qualifier = QUALIFIER.match(text, window.end)
        if window.words == 1 and qualifier:  # « CCI régionale » is not « CCI »
            why = f"« {written} » and its qualifier: another body than {entries[0].ref}"
            guess = Guess("org", "org:Organization", 0.5, why)
            yield Found(window.start, qualifier.end(), "ner", guess=guess)
            continue
        yield Found(
            window.start, window.end, "gazetteer", entries=tuple(entries), lowered=bool(lowered)
        )


QUALIFIER = re.compile(
    r" (?:régional|départemental|territorial|national|local|métropolitain)e?s?\b"
)
"""A lower-case adjective after a one-word name that makes it another body's (« CCI
régionale »)."""
INSTITUTIONS = ("Région ",)
"""Names of institutions a text may write in lower case after « la » (« soutenus par la
région Occitanie »: the Région, as the curators read it, not the territory)."""


def _institution_in_lower_case(text: str, start: int, entry: Entry) -> bool:
    return (
        entry.name.startswith(INSTITUTIONS)
        and text[start : start + 1].islower()
        and text[max(0, start - 3) : start] == "la "
    )


def _without_article(gazetteer: Gazetteer, name_key: str) -> list[Entry]:
    """Entries whose name, without its leading article, is this key (« Mêlée Numérique » for
    « La Mêlée Numérique »): found only when the text omits the article."""
    for article in ("la", "le", "les", "l"):
        for entry in gazetteer.named(article + name_key):
            first = WORD.findall(entry.name)[:1]
            if first and fold(first[0]) == article and entry not in gazetteer.named(name_key):
                yield entry


def _territory_spans(doc, words: Words, territories: Territories) -> Iterable[Found]:
    text = text_of(doc)
    places_seen = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "LOC"]
    for window in words.windows(territories.longest):
        places = territories.named(window.key)
        if not places:
            continue
        written = text[window.start : window.end]
        places = [p for p in places if written_as_name(written, p.name)]
        if not places or (
            window.words == 1 and not _reads_as_name(doc, window.start, window.end, ("LOC",))
        ):
            continue
        obvious = any(
            p.kind == "region" or p.population >= 10_000 or len(WORD.findall(p.name)) > 1
            for p in places
        )
        cued = any(s <= window.start and window.end <= e for s, e in places_seen) or (
            _previous_word(text, window.start) in PLACE_CUES | ARTICLES
        )
        if obvious or cued:
            yield Found(window.start, window.end, "territories", places=tuple(places))


# --- Mentions --------------------------------------------------------------------------------


def _mentions(doc, chosen: list[Found], knowledge: Knowledge) -> list[Mention]:
    text = text_of(doc)
    sure = [f.places[0] for f in chosen if f.source == "territories" and len(f.places) == 1]
    minted: dict[str, str] = {}
    taken = set(knowledge.gazetteer.taken)
    guesses: dict[str, Guess] = {}  # one guess per name in a document: the surest
    for span in chosen:
        if span.guess is not None:
            name = key(text[span.start : span.end])
            if name not in guesses or span.guess.score > guesses[name].score:
                guesses[name] = span.guess
    mentions = []
    for span in chosen:
        written = text[span.start : span.end]
        if span.source == "gazetteer":
            mention = _in_context(span, written, text, knowledge, minted, taken)
            mention = mention or _gazetteer_mention(span, written)
        elif span.source == "territories":
            after = text[span.end : span.end + 60]
            mention = _place_mention(span, written, knowledge.territories, after, sure)
        else:
            guess = guesses[key(written)]
            mention = _new_mention(span, written, guess, knowledge, minted, taken)
        if mention is not None:
            mentions.append(mention)
    return mentions


EVENT_CONTEXT = ("événement", "événementiel", "rendez-vous", "participants", "édition")
ORG_CONTEXT = ("cluster", "clusters", "association", "membres", "adhérents", "hub")
CONTEXT_CUES = {
    "event": {fold(word): word for word in EVENT_CONTEXT},
    "org": {fold(word): word for word in ORG_CONTEXT},
}
"""Words around a name that say whether it names an event or an organisation, where one name
is both's (« l’événement phare La Mêlée Numérique », « La Mêlée Numérique, l'un des trois
clusters »)."""


def _context_kind(text: str, start: int, end: int) -> tuple[str, str] | None:
    """The kind the words around a mention, in its sentence, say it is, and the closest word
    that says it; None when they say nothing or both."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = SENTENCE_BREAK.split(text[max(line_start, start - 100) : start])[-1]
    after = SENTENCE_BREAK.split(text[end : min(line_end, end + 60)])[0]
    before, after = _words_of(before), _words_of(after)
    near = sorted(
        [(len(before) - i, w) for i, w in enumerate(before)]
        + [(i + 1, w) for i, w in enumerate(after)]
    )
    said = {kind for _, w in near for kind, cues in CONTEXT_CUES.items() if w in cues}
    if len(said) != 1:
        return None
    (kind,) = said
    closest = next(w for _, w in near if w in CONTEXT_CUES[kind])
    return kind, CONTEXT_CUES[kind][closest]


def _event_word_right_before(text: str, start: int) -> str | None:
    """An event's word among the three words right before a name (« l’événement phare »)."""
    before = _words_of(SENTENCE_BREAK.split(text[max(0, start - 60) : start])[-1])[-3:]
    cues = CONTEXT_CUES["event"]
    return next((cues[w] for w in reversed(before) if w in cues), None)


def _words_of(text: str) -> list[str]:
    """The folded words of a text, an elided article apart (« l’événement » → « l »,
    « evenement »), hyphenated words whole (« rendezvous »)."""
    return WORD.findall(fold(ELIDED.sub(" ", text)))


SENTENCE_BREAK = re.compile(r"[.!?…](?:\s|$)")
ELIDED = re.compile(r"(?<=\b[lLdDjJnNsScCmMtT])[’']")


def _in_context(
    span: Found,
    written: str,
    text: str,
    knowledge: Knowledge,
    minted: dict[str, str],
    taken: set[str],
) -> Mention | None:
    """A name of an event and an organisation both, or an organisation's alternative label
    where the words around say an event, read by its context: the one its context says (0.8);
    a new event resembling the organisation when only the organisation has the name; None when
    the context says nothing (then the labels decide)."""
    refs = {e.ref for e in span.entries}
    kinds = {ref.partition("/")[0] for ref in refs}
    context = _context_kind(text, span.start, span.end)
    if context is None or not kinds <= set(CONTEXT_CUES):
        return None
    kind, cue = context
    right = [e for e in span.entries if e.ref.startswith(f"{kind}/")]
    if right and len(refs) > 1 and len({e.ref for e in right}) == 1:
        entry = max(right, key=lambda e: e.preferred)
        others = ", ".join(sorted(refs - {entry.ref}))
        why = f"{_how(entry, written)}; « {cue} » beside it: the {kind}, not {others}"
        return _linked(span, written, entry, 0.8, why)
    if not right and kind == "event" and not any(e.preferred for e in span.entries):
        cue = _event_word_right_before(text, span.start)
        if cue is None:  # « un événement clé : La Mêlée…, la DigiWorld Week de l’IDATE »
            return None
        guess = Guess("event", "schema:Event", 0.6, "")
        new = _new_mention(span, written, guess, knowledge, minted, taken)
        labels = tuple(
            Candidate(e.ref, e.label, 0.9, f"« {e.name} » is its alternative label")
            for e in span.entries
        )
        why = f"alternative label of {', '.join(sorted(refs))}, but « {cue} » beside it: an event"
        return replace(new, source="gazetteer", reason=why, resembles=labels + new.resembles)
    return None


def _gazetteer_mention(span: Found, written: str) -> Mention:
    by_ref: dict[str, list[Entry]] = {}
    for entry in span.entries:
        by_ref.setdefault(entry.ref, []).append(entry)
    communes = [ref for ref in by_ref if ref.startswith("commune/")]
    if len(by_ref) > 1 and len(communes) == 1 and all(_is_territory(ref) for ref in by_ref):
        entry = by_ref[communes[0]][0]
        others = ", ".join(sorted(set(by_ref) - set(communes)))
        return _linked(
            span, written, entry, 0.8, f"{_how(entry, written)}, the commune rather than {others}"
        )
    if len(by_ref) > 1:
        preferred = [ref for ref, entries in by_ref.items() if any(e.preferred for e in entries)]
        if len(preferred) == 1:
            ref = preferred[0]
            entry = next(e for e in by_ref[ref] if e.preferred)
            others = ", ".join(sorted(set(by_ref) - {ref}))
            return _linked(
                span,
                written,
                entry,
                0.75,
                f"label « {entry.name} » of {ref}; also an alternative label of {others}",
            )
        candidates = tuple(
            Candidate(ref, entries[0].label, round(1 / len(by_ref), 3), _how(entries[0], written))
            for ref, entries in sorted(by_ref.items())
        )
        return Mention(
            span.start,
            span.end,
            written,
            "ambiguous",
            span.entries[0].cls,
            round(1 / len(by_ref), 3),
            "gazetteer",
            f"{len(by_ref)} resources have the name « {written} »",
            candidates=candidates,
        )
    ((ref, entries),) = by_ref.items()
    entry = max(entries, key=lambda e: (e.name == written, _score(e, written), e.preferred))
    if span.lowered:
        why = f"{_how(entry, written)}; written in lower case after « la »: the institution"
        return _linked(span, written, entry, 0.6, why)
    return _linked(span, written, entry, _score(entry, written), _how(entry, written))


def _is_territory(ref: str) -> bool:
    return ref.partition("/")[0] in TERRITORY_KINDS


def _score(entry: Entry, written: str) -> float:
    if fold(entry.name) != fold(written) and key(entry.name) != key(written):
        score = SCORES["without article"]
    elif not entry.preferred:
        score = SCORES["alternative"]
    elif entry.name == written:
        score = SCORES["exact"]
    else:
        score = SCORES["folded"]
    if len(WORD.findall(entry.name)) == 1:
        score *= SCORES["one word"]
    return round(score, 3)


def _how(entry: Entry, written: str) -> str:
    kind = "label" if entry.preferred else "alternative label"
    if key(entry.name) != key(written):
        return f"{kind} « {entry.name} » of {entry.ref}, without its article"
    if entry.name == written:
        return f"{kind} « {entry.name} » of {entry.ref}"
    return f"{kind} « {entry.name} » of {entry.ref} (accents, case or typography aside)"


def _linked(span: Found, written: str, entry: Entry, score: float, reason: str) -> Mention:
    return Mention(
        span.start, span.end, written, "linked", entry.cls, score, span.source, reason, entry.ref
    )


def _place_mention(
    span: Found,
    written: str,
    territories: Territories,
    after: str,
    sure: list[Place],
) -> Mention:
    places = list(span.places)
    resolution = resolve(places, territories, after, sure)
    if resolution.place is not None:
        place = resolution.place
        return Mention(
            span.start,
            span.end,
            written,
            "linked",
            place.cls,
            resolution.score,
            "territories",
            f"{place.label}, {place.ref}: {resolution.reason}",
            place.ref,
        )
    return Mention(
        span.start,
        span.end,
        written,
        "ambiguous",
        places[0].cls,
        resolution.score,
        "territories",
        resolution.reason,
        candidates=tuple(
            Candidate(
                p.ref,
                p.label,
                resolution.score,
                f"{p.label}, {p.population} inhabitants" if p.population else p.label,
            )
            for p in places
        ),
    )


# --- New entities ----------------------------------------------------------------------------


def _new_mention(
    span: Found,
    written: str,
    guess: Guess,
    knowledge: Knowledge,
    minted: dict[str, str],
    taken: set[str],
) -> Mention:
    name_key = f"{guess.kind}:{key(written)}"
    if name_key not in minted:
        minted[name_key] = mint_reference(guess.kind, written, taken)
        taken.add(minted[name_key])
    return Mention(
        span.start,
        span.end,
        written,
        "new",
        guess.cls,
        guess.score,
        "ner",
        guess.reason,
        minted[name_key],
        resembles=tuple(_resembling(written, guess.kind, knowledge)),
    )


def _resembling(written: str, kind: str, knowledge: Knowledge) -> Iterable[Candidate]:
    """Existing resources of the same kind whose name is close to this one, or contains its
    words or is contained in them, a place's name aside (possible duplicates: « Jean Dupond »
    and « Jean Dupont », « Nubbo » and « Incubateur Nubbo »; not « Epitech Montpellier » and
    « French Tech Montpellier »), the closest first, at most three."""
    my_words = _distinctive(written, knowledge.territories)
    mine = "".join(my_words)
    scored = []
    for entry in knowledge.gazetteer.entries:
        if entry.ref.partition("/")[0] != kind:
            continue
        their_words = _distinctive(entry.name, knowledge.territories)
        ratio = difflib.SequenceMatcher(None, mine, "".join(their_words)).ratio()
        shared = set(my_words) & set(their_words)
        if mine and my_words == their_words and key(written) != key(entry.name):
            scored.append((0.9, entry, "the same name but for a place's"))
        elif mine and ratio >= 0.8:
            scored.append((ratio, entry, "name similarity"))
        elif shared and shared in (set(my_words), set(their_words)):
            scored.append((0.7, entry, f"shares « {' '.join(sorted(shared))} »"))
    best: dict[str, Candidate] = {}
    for score, entry, reason in sorted(scored, key=lambda s: -s[0]):
        best.setdefault(entry.ref, Candidate(entry.ref, entry.label, round(score, 3), reason))
    return list(best.values())[:3]


def _distinctive(name: str, territories: Territories) -> list[str]:
    """The words of a name that may tell it apart, in order: not a place's name, nor a small
    word (« de », « la »)."""
    words = WORD.findall(fold(name))
    return [w for w in words if not territories.named(w) and (len(w) > 3 or len(words) == 1)]
