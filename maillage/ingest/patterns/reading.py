"""The machinery the patterns share: masks, the reader of one document, names and
references, what « il », « elle », « le cluster » stand for."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from maillage.identifiers import slug_of
from maillage.ingest.dates import (
    DateValue,
    FoundDate,
    clause_tokens,
    find_dates,
    is_planned,
)
from maillage.ingest.lexicon import Lexicon
from maillage.ingest.proposals import Mention, Proposal

# --- Masks: each mention becomes its kind's mark followed by filler, same length --------------

FILL = "\ue000"
PERSON, ORG, COMMUNE, PLACE, EVENT, OTHER = (
    "\ue001",
    "\ue002",
    "\ue003",
    "\ue004",
    "\ue005",
    "\ue006",
)
MARKS = PERSON + ORG + COMMUNE + PLACE + EVENT + OTHER
ORG_CLASSES = {
    "org:Organization",
    "org:FormalOrganization",
    "org:OrganizationalUnit",
    "org:OrganizationalCollaboration",
}
PLACE_CLASSES = {"igeo:Departement", "igeo:Region", "schema:Place"}
EVENT_CLASSES = {"schema:Event", "schema:EventSeries"}


def m(mark: str, name: str | None = None) -> str:
    """The regular expression of one masked mention of a kind (a named group if ``name``)."""
    body = f"{mark}{FILL}*"
    return f"(?P<{name}>{body})" if name else body


WORDS = r"(?:\s+(?:[a-zà-ÿœæ][\w’'-]*|d[’']|l[’']))*?\s*"
"""Lower-case connecting words: « de la », « du cluster », « à la sécurité et à la »."""
PREP = r"(?:de\s+la\s+|de\s+l[’']|du\s+|des\s+|de\s+|d[’']|chez\s+|à\s+la\s+|au\s+|à\s+l[’']|à\s+)"
SEPARATOR = r"\s*(?:,\s*et|,|et|ou)\s+"
ASIDE = r"(?:\s*\([^()]*\)|\s+-[^-]*-)?"
"""A parenthesis or a dash-enclosed aside after a name: « Ciboulette (logiciels…) »."""


@dataclass(frozen=True)
class Where:
    start: int
    end: int


@dataclass
class Sentence:
    start: int
    end: int
    mentions: list[Mention]
    text: str = ""


@dataclass
class Reader:
    """One document being read: its text, masks, sentences, and the claims proposed so far."""

    text: str
    masked: str
    published: DateValue | None
    doc: Any
    words: Lexicon
    by_start: dict[int, Mention]
    sentences: list[Sentence]
    proposals: list[Proposal] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    said: set[str] = field(default_factory=set)
    nodes: set[str] = field(default_factory=set)

    # --- helpers the patterns share ----------------------------------------------------------

    def mention_at(self, start: int) -> Mention:
        return self.by_start[start]

    def mention_of(self, found: re.Match, offset: int, *groups: str) -> Mention:
        """The mention a pattern's group holds, the first of ``groups`` that matched (the
        alternatives of one pattern name theirs ``org``, ``org2``…), ``found`` being a match in
        the text from ``offset`` on."""
        group = next(g for g in groups if found[g])
        return self.mention_at(offset + found.start(group))

    def label(self, mention: Mention) -> str:
        return re.sub(r"\s+", " ", mention.text).strip()

    def tokens(self, start: int, end: int) -> list:
        if self.doc is None:
            return []
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return list(span) if span is not None else []

    def planned(self, start: int, end: int) -> bool:
        """Whether the clause around [start, end) speaks of the future or of an intent."""
        tokens = self.tokens(start, end)
        heads = [t for token in tokens for t in clause_tokens(token)]
        return is_planned(tokens) or is_planned(heads)

    def dates(self, start: int, end: int, future: bool = False) -> list[FoundDate]:
        found = find_dates(self.text[start:end], self.published, future)
        return [
            FoundDate(
                d.start + start, d.end + start, d.text, d.value, d.end_value, d.inferred, d.part
            )
            for d in found
        ]

    def new_node(self, iri: str) -> str:
        """A node IRI not yet used by this document's proposals (two figures of one subject,
        measure and year are two nodes: ``…-2``)."""
        candidate, n = iri, 2
        while candidate in self.nodes:
            candidate, n = f"{iri}-{n}", n + 1
        self.nodes.add(candidate)
        return candidate

    def claim_id(self, wanted: str) -> str:
        base = slug(wanted)[:80].strip("-") or "claim"
        candidate, n = base, 2
        while candidate in self.ids:
            candidate, n = f"{base}-{n}", n + 1
        self.ids.add(candidate)
        return candidate

    def propose(
        self,
        kind: str,
        wanted_id: str,
        where: Where,
        says: dict[str, dict[str, Any]],
        pattern: str,
        score: float,
        mentions: list[Mention] = (),
        inferred: str | None = None,
        note: str | None = None,
        as_of: dict[str, str] | None = None,
    ) -> None:
        """One proposal: ``says`` plus the declarations of the new entities it names."""
        key = repr(sorted((s, sorted(p.items(), key=str)) for s, p in says.items()))
        if key in self.said:
            return
        self.said.add(key)
        says = {**says}
        for mention in mentions:
            if mention.state == "new" and mention.ref and mention.ref not in says:
                says[mention.ref] = declaration(mention, self.label(mention))
        start, end = trimmed(self.text, where.start, where.end)
        self.proposals.append(
            Proposal(
                id=self.claim_id(wanted_id),
                kind=kind,
                quote=self.text[start:end],
                says=says,
                start=start,
                end=end,
                score=score,
                pattern=pattern,
                inferred=inferred,
                note=note,
                as_of=as_of,
            )
        )


def declaration(mention: Mention, label: str) -> dict[str, Any]:
    """A new entity as the curated claims declare one: its type and its label."""
    key = "skos:prefLabel" if mention.cls.startswith(("org:", "foaf:")) else "rdfs:label"
    if mention.cls in EVENT_CLASSES:
        key = "schema:name"
    return {"a": mention.cls, key: {"fr": label}}


def of(name: str) -> str:
    """« de » before a name, « d’ » before a vowel: « Siège d’Ardoise », « Siège de Numéria »."""
    return f"d’{name}" if name[:1].lower() in "aeiouyàâéèêîïôœ" else f"de {name}"


FEMININE_SITES = ("antenne", "agence", "implantation", "délégation")


def planned_word(noun: str) -> str:
    return "prévue" if noun.lower() in FEMININE_SITES else "prévu"


slug = slug_of
"""Lower-case ASCII words joined by ``-``: « Saint-Félix-Lauragais » → saint-felix-lauragais."""


def ref_slug(ref: str) -> str:
    return ref.split("/", 1)[1] if "/" in ref else slug(ref)


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " ,;:\n\t":
        start += 1
    while end > start and text[end - 1] in " ,;:\n\t":
        end -= 1
    return start, end


def mark_of(mention: Mention) -> str:
    if mention.ref is None or mention.state == "ambiguous":
        return OTHER
    if mention.cls == "foaf:Person":
        return PERSON
    if mention.cls in ORG_CLASSES:
        return ORG
    if mention.cls == "igeo:Commune":
        return COMMUNE
    if mention.cls in PLACE_CLASSES:
        return PLACE
    if mention.cls in EVENT_CLASSES:
        return EVENT
    return OTHER


def masked_text(text: str, mentions: list[Mention]) -> str:
    chars = list(text)
    for mention in mentions:
        if mention.end <= mention.start:
            continue
        chars[mention.start] = mark_of(mention)
        for i in range(mention.start + 1, mention.end):
            chars[i] = FILL
    return "".join(chars)


def repeated(text: str, mentions: list[Mention]) -> list[Mention]:
    """The other occurrences of a name a mention gives (« Ardoise … Ardoise rassemble … »), written
    the same, as whole words, where no mention is: the same entity each time."""
    taken = [(x.start, x.end) for x in mentions]
    found: list[Mention] = []
    names = {x.text: x for x in mentions if x.ref and x.state != "ambiguous" and len(x.text) > 2}
    for name, mention in sorted(names.items(), key=lambda kv: -len(kv[0])):
        if mark_of(mention) not in (PERSON, ORG, EVENT, OTHER) and not (
            mention.ref.startswith("region/")
        ):
            continue
        for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            span = (match.start(), match.end())
            if any(a < span[1] and span[0] < b for a, b in taken):
                continue
            taken.append(span)
            found.append(
                replace(
                    mention,
                    start=span[0],
                    end=span[1],
                    reason=f"the name of the mention at {mention.start}, written again",
                )
            )
    return found


def subject_org(reader, sentence, previous, at) -> tuple[Mention | None, bool]:
    """The organisation a sentence speaks of: its first organisation named before ``at`` and not
    as a former one (« l'ex-Y »); else the first of the previous sentence."""
    for mention in sentence.mentions:
        if mention.start >= at:
            break
        if mark_of(mention) == ORG and not re.search(
            r"(?:ex-|ancien(?:ne)?\s+)$",
            reader.text[max(0, mention.start - 8) : mention.start],
            re.IGNORECASE,
        ):
            return mention, False
    if any(mark_of(x) == PERSON for x in sentence.mentions if x.start < at):
        return None, False
    return last_org(previous, reader.text[sentence.start : at])


ANAPHOR = re.compile(
    r"(?:^|[^\w’'])(?:il|elle|ils|elles|celui-ci|celle-ci|(?:le|la|l[’']|cette|ce|cet)\s*"
    r"(?P<noun>cluster|association|structure|réseau|société|entreprise|groupe|grappe|"
    r"collectivité|pôle|incubateur|organisation|manifestation|événement|évènement|salon|"
    r"édition|rendez-vous|forum|conférence))(?![\w’'])",
    re.IGNORECASE,
)
"""« elle », « le cluster », « la manifestation »: the sentence speaks of something named before."""
EVENT_ANAPHORS = {
    "manifestation",
    "événement",
    "évènement",
    "salon",
    "édition",
    "rendez-vous",
    "forum",
    "conférence",
}


def _in_parentheses(before: str) -> bool:
    return before.count("(") > before.count(")")


def text_of_sentence(sentence, mention) -> str:
    """The text of ``sentence`` before ``mention`` (sentences keep a reference to their text)."""
    return sentence.text[: mention.start - sentence.start]


def last_org(previous, text: str = "il") -> tuple[Mention | None, bool]:
    """What « il », « elle », « le cluster », « la manifestation » at the start of ``text``
    stand for: the organisation (or, for an event noun, the event; for a pronoun, also a région)
    the previous sentence named last. Without such a word, nothing: the proposal is not made
    from a guess. The proposal says so in its note."""
    found = ANAPHOR.search(text)
    if previous is None or found is None:
        return None, False
    noun = (found["noun"] or "").lower()
    wanted = (EVENT,) if noun in EVENT_ANAPHORS else (ORG,) if noun else (ORG, PLACE, OTHER)
    for mention in reversed(previous.mentions):
        if _in_parentheses(text_of_sentence(previous, mention)):
            continue
        if mention.ref is None or (
            mark_of(mention) == PLACE and not mention.ref.startswith("region/")
        ):
            continue
        if mark_of(mention) in wanted:
            return mention, True
    return None, False


def marks_in(reader: Reader, start: int, end: int, mark: str) -> list[Mention]:
    return [reader.mention_at(i) for i in range(start, end) if reader.masked[i] == mark]


def sentence_of(reader: Reader, offset: int) -> tuple[int, int]:
    for sentence in reader.sentences:
        if sentence.start <= offset < sentence.end:
            return sentence.start, sentence.end
    return offset, offset


ORG_LIST = (
    rf"{m(ORG)}(?:{ASIDE}{SEPARATOR}(?:de\s+la\s+|de\s+l[’']|du\s+|de\s+|d[’'])?"
    rf"(?:[a-zà-ÿ][\w’'-]*\s+){{0,2}}{m(ORG)})*"
)


COMMUNE_LIST = rf"{m(COMMUNE)}(?:\s*(?:,\s*et|,|et|ou)\s+(?:à\s+)?{m(COMMUNE)})*"
SITED = r"(?:basée?s?|implantée?s?|installée?s?|située?s?|établie?s?|localisée?s?|présente?s?)"
