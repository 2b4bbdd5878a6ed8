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
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from maillage.identifiers import CANONICAL, mint_reference
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


# --- Cues ------------------------------------------------------------------------------------


def _folded_words(words: str) -> frozenset[str]:
    return frozenset(fold(word) for word in words.split())


ORG_CUES = _folded_words(
    "association agence cluster société entreprise start-up startup incubateur pôle "
    "groupe éditeur cabinet réseau fondation école syndicat collectif communauté "
    "pépinière accélérateur laboratoire think tank club studio institut opérateur "
    "fédération"
)
"""Words before a name that say it is an organisation's (« l'association Coorace »)."""
ORG_WORDS = _folded_words(
    "Valley Vallée Tech Lab Labs Digital Club Réseau Conseil Incubateur Cluster "
    "Association Groupe Solutions Technologies Technology Capital School Institut Agence "
    "Pôle Fondation Studio Village Corpus Consulting Systems Software France Group "
    "Partners Ventures Factory Hub Campus Université Academy"
)
"""Words within a name that make it an organisation's (« Zayo France », « IoT Valley »)."""
EVENT_WORDS = _folded_words(
    "Day Days Week Salon Forum Festival Journée Journées Semaine Rencontres Trophées "
    "Hackathon Sommet Tour Conférence Congrès Meetup Assises Nuit Summit Expo Show "
    "Challenge Convention"
)
"""Words within a name that make it an event's (« Green IT Day », « DigiWorld Week »)."""
PARTICLES = frozenset({"de", "du", "des", "d", "la", "le", "les", "l", "et", "van", "von", "by"})
"""Small words a name may have inside it (« Luc Marta de Andrade », « Le Village by CA »)."""
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
    label: str = ""
    """The model's label (``PER``, ``ORG``, ``LOC``, ``MISC``) for ``ner``."""

    @property
    def rank(self) -> tuple[int, int, int]:
        order = {"gazetteer": 0, "territories": 1, "ner": 2}[self.source]
        return (-(self.end - self.start), order, self.start)


def find_mentions(doc, knowledge: Knowledge) -> list[Mention]:
    """The mentions of a parsed text (``maillage.ingest.nlp.parse``), in text order, never
    overlapping, each linked, new or ambiguous."""
    text = doc.text
    words = Words.of(text)
    territory_refs = {p.ref for p in knowledge.territories.places}
    found = [
        *_gazetteer_spans(doc, words, knowledge.gazetteer, territory_refs),
        *_territory_spans(doc, words, knowledge.territories),
        *_entity_spans(doc),
    ]
    chosen = _without_overlaps(found)
    return _mentions(doc, chosen, knowledge)


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


SENTENCE_END = re.compile(r"(?:^|[.!?…:\n])[\s«»\"“”'‘’()\-–—]*$")
"""What precedes the first word of a sentence (or of a line, a heading)."""


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` is the first of a sentence or a line: its capital says
    nothing there. (The model's own sentence starts are not used: it cuts sentences at names
    it does not know.)"""
    return SENTENCE_END.search(text, max(0, start - 12), start) is not None


def _reads_as_name(doc, start: int, end: int, labels=("PER", "ORG", "MISC")) -> bool:
    """A one-word span is a name unless it opens a sentence and the model does not see a name
    there (« Mission », « Continental est un mot »)."""
    if not _opens_sentence(doc.text, start):
        return True
    return any(e.start_char <= start and end <= e.end_char and e.label_ in labels for e in doc.ents)


def _previous_word(text: str, start: int) -> str:
    before = re.findall(r"\w+|\(", text[max(0, start - 30) : start])
    return fold(before[-1]) if before else ""


def _gazetteer_spans(
    doc, words: Words, gazetteer: Gazetteer, territory_refs: set[str]
) -> Iterable[Found]:
    text = doc.text
    for window in words.windows(gazetteer.longest):
        entries = [
            e
            for e in [*gazetteer.named(window.key), *_without_article(gazetteer, window.key)]
            if e.ref not in territory_refs
        ]
        if not entries:
            continue
        written = text[window.start : window.end]
        entries = [e for e in entries if written_as_name(written, e.name)]
        if not entries:
            continue
        if window.words == 1 and (
            len(window.key) < 3 or not _reads_as_name(doc, window.start, window.end)
        ):
            continue
        yield Found(window.start, window.end, "gazetteer", entries=tuple(entries))


def _without_article(gazetteer: Gazetteer, name_key: str) -> list[Entry]:
    """Entries whose name, without its leading article, is this key (« Mêlée Numérique » for
    « La Mêlée Numérique »): found only when the text omits the article."""
    for article in ("la", "le", "les", "l"):
        for entry in gazetteer.named(article + name_key):
            first = WORD.findall(entry.name)[:1]
            if first and fold(first[0]) == article and entry not in gazetteer.named(name_key):
                yield entry


def _territory_spans(doc, words: Words, territories: Territories) -> Iterable[Found]:
    text = doc.text
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


def _entity_spans(doc) -> Iterable[Found]:
    for entity in doc.ents:
        span = _cleaned(doc, entity)
        if span is not None:
            yield Found(span[0], span[1], "ner", label=entity.label_)


def _cleaned(doc, entity) -> tuple[int, int] | None:
    """The entity's span without the lower-case words it starts with (« président de »), cut at
    a line break, and extended over the capitalised words that follow it on its line
    (« Toulouse Business » → « Toulouse Business School »)."""
    tokens = list(entity)
    newline = next((i for i, t in enumerate(tokens) if "\n" in t.text or t.is_space), None)
    tokens = tokens[:newline] if newline is not None else tokens
    while tokens and (
        not (tokens[0].text[:1].isupper() or tokens[0].text[:1] == "#")
        or (
            len(tokens) > 1
            and _opens_sentence(doc.text, tokens[0].idx)
            and tokens[0].pos_ not in ("PROPN", "X")
        )
    ):
        tokens.pop(0)  # « président de », or a sentence's first common noun (« Naissance de »)
    while tokens and not tokens[-1].text[-1:].isalnum():
        tokens.pop()
    if not tokens:
        return None
    last = tokens[-1]
    while (
        last.i + 1 < len(doc)
        and last.whitespace_ == " "
        and (doc[last.i + 1].text[:1].isupper() or doc[last.i + 1].like_num)
        and not _opens_sentence(doc.text, doc[last.i + 1].idx)
    ):
        last = doc[last.i + 1]
    return tokens[0].idx, last.idx + len(last.text)


# --- Mentions --------------------------------------------------------------------------------


def _mentions(doc, chosen: list[Found], knowledge: Knowledge) -> list[Mention]:
    text = doc.text
    sure = [f.places[0] for f in chosen if f.source == "territories" and len(f.places) == 1]
    minted: dict[str, str] = {}
    taken = set(knowledge.gazetteer.taken)
    mentions = []
    for span in chosen:
        written = text[span.start : span.end]
        if span.source == "gazetteer":
            mention = _gazetteer_mention(span, written)
        elif span.source == "territories":
            after = text[span.end : span.end + 60]
            mention = _place_mention(span, written, knowledge.territories, after, sure)
        else:
            mention = _new_mention(doc, span, written, knowledge.gazetteer, minted, taken)
        if mention is not None:
            mentions.append(mention)
    return mentions


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


@dataclass(frozen=True)
class Guess:
    kind: str
    cls: str
    score: float
    reason: str


def _new_mention(
    doc, span: Found, written: str, gazetteer: Gazetteer, minted: dict[str, str], taken: set[str]
) -> Mention | None:
    guess = _guess(doc, span, written)
    if guess is None:
        return None
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
        resembles=tuple(_resembling(written, guess.kind, gazetteer)),
    )


def _guess(doc, span: Found, written: str) -> Guess | None:
    """What kind of resource the model's entity is, or None when it does not look like a name
    (a common word, a heading in capitals, initials)."""
    tokens = list(doc.char_span(span.start, span.end, alignment_mode="expand"))
    names = [t for t in tokens if fold(t.text) not in PARTICLES and t.text.strip("’'-")]
    if not names or not (written[:1].isupper() or written.startswith("#")):
        return None
    if len(names) > 1 and written.isupper():
        return None  # a heading in capitals
    folded_words = {fold(t.text) for t in names}
    before = {fold(t.text) for t in doc[max(0, tokens[0].i - 3) : tokens[0].i]}
    org_cue = bool(before & ORG_CUES or folded_words & ORG_WORDS)
    event_cue = bool(folded_words & EVENT_WORDS)
    if len(names) == 1:
        return _one_word_guess(names[0], span.label, org_cue)
    if not all(t.text[:1].isupper() or t.like_num for t in names):
        return None
    if event_cue:
        return Guess("event", "schema:Event", 0.6, f"spaCy {span.label}, an event's word in it")
    if span.label == "PER" and not org_cue and _person_like(names):
        return Guess("person", "foaf:Person", 0.8, "spaCy PER")
    if span.label == "ORG" or org_cue:
        why = "spaCy ORG" if span.label == "ORG" else f"spaCy {span.label}, an organisation's cue"
        return Guess("org", "org:Organization", 0.7, why)
    if span.label == "MISC" and all(t.pos_ == "PROPN" for t in names):
        return Guess("org", "org:Organization", 0.5, "spaCy MISC, proper nouns")
    return None


def _person_like(names) -> bool:
    """Two to four capitalised words, no number (not « Twitter Facebook Linkedin Flipboard »)."""
    return 2 <= len(names) <= 4 and not any(t.like_num for t in names)


def _one_word_guess(token, label: str, org_cue: bool) -> Guess | None:
    """A one-word name: only an unknown word (no vector in the model) or one with a capital
    inside (« EasyMile »), never at the start of a sentence, never initials."""
    word = token.text
    if len(word) < 4 or word.isupper() or _opens_sentence(token.doc.text, token.idx):
        return None
    inner_capital = any(c.isupper() for c in word[1:])
    if not (token.is_oov or inner_capital):
        return None
    why = f"spaCy {label} on one word unknown to the model" + (
        ", after an organisation's cue" if org_cue else ""
    )
    return Guess("org", "org:Organization", 0.6 if org_cue else 0.5, why)


def _resembling(written: str, kind: str, gazetteer: Gazetteer) -> Iterable[Candidate]:
    """Existing resources of the same kind whose name is close to this one (possible
    duplicates), the closest first, at most three."""
    mine = key(written)
    my_words = {w for w in WORD.findall(fold(written)) if len(w) > 3}
    scored = []
    for entry in gazetteer.entries:
        if entry.ref.partition("/")[0] != kind:
            continue
        ratio = difflib.SequenceMatcher(None, mine, key(entry.name)).ratio()
        their_words = {w for w in WORD.findall(fold(entry.name)) if len(w) > 3}
        shared = my_words & their_words
        if ratio >= 0.8:
            scored.append((ratio, entry, "name similarity"))
        elif shared and shared in (my_words, their_words):
            scored.append((0.7, entry, f"shares « {' '.join(sorted(shared))} »"))
    best: dict[str, Candidate] = {}
    for score, entry, reason in sorted(scored, key=lambda s: -s[0]):
        best.setdefault(entry.ref, Candidate(entry.ref, entry.label, round(score, 3), reason))
    return list(best.values())[:3]
