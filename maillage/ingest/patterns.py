"""Proposed claims: general French constructions read over a document's sentences and mentions.

``propose_claims(doc, mentions, document)`` reads each sentence (``split_sentences``, the
sentences ``maillage check`` accounts for) with the mentions found in it (``Mention``: linked,
new or ambiguous) and proposes the claims of the contract, each a claim file's claim with its
verbatim quote:

- roles: « X, présidente de Y », « X (directeur général adjoint de Y) », « X et Z, présidents de
  Y et W », « Y, présidé par X », « X est fondateur de Y », co-présidents;
- memberships: « Y est membre de W », « Y adhère à W », « W compte parmi ses membres Y, Z »;
- mergers: « la fusion de A et B », « né(e) de la fusion de A et B, C… », « A et B souhaitent
  fusionner » (planned: no result, a planned date);
- founding: « créé(e) en 2011 », « née à Albi en 2004, Y », « fondée en février 2015 »;
- sites: « basé(e) à », « implanté(e) à », « le siège de Y est situé à », « antennes à A, B et
  C », « prévoit d'ouvrir des bureaux à » (planned sites), « Y (Albi) », « Y à Millau »;
- events: « un forum organisé par Y à Millau le 3 mai », « E aura lieu le 12 juin à
  Gaillac », « E (Albi, chaque printemps) », « E de Y à Millau », « Y, organisateur de E »;
- figures (``maillage.ingest.figures``): value, unit, measure, qualifier, what it is about and
  its date; a figure of a planned clause is an ``mlg:Target``.

The patterns are regular expressions over the sentence in which every mention is masked by its
kind (person, organisation, commune, other place, event), so « X, présidente de Y » is one
expression whatever the names; spaCy's parse gives the tense (``maillage.ingest.dates``). Only
mentions with a reference (linked or new) take part: an ambiguous one is left to the curator.
Every value comes from the declared vocabulary (``ontology/``), every new entity a proposal names
is declared in it (type and ``skos:prefLabel``), and a value not in the words (a year from the
publication date) goes in a claim of its own marked ``inferred``, as curators write them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from maillage.ingest.dates import (
    DateValue,
    FoundDate,
    clause_tokens,
    document_year,
    find_dates,
    is_planned,
    published_on,
)
from maillage.ingest.figures import Figure, find_figures
from maillage.ingest.lexicon import Lexicon, lexicon
from maillage.ingest.proposals import Mention, Proposal
from maillage.pipeline.sentences import split_sentences

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


def slug(text: str) -> str:
    """Lower-case ASCII words joined by ``-``: « Saint-Félix-Lauragais » → saint-felix-lauragais."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


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


# --- Entry point -------------------------------------------------------------------------------


def propose_claims(doc, mentions: list[Mention], document) -> list[Proposal]:
    """The claims proposed for ``document`` (``maillage.pipeline.sources.Document``: id, text,
    date), read from its spaCy parse ``doc`` (or None: then no tense is read, nothing is planned)
    and its ``mentions``, in text order."""
    text = document.text
    words = lexicon()
    named = [x for x in mentions if not words.role_slug(x.text)]  # « P-dg » is no organisation
    ordered = sorted([*named, *repeated(text, named)], key=lambda x: x.start)
    reader = Reader(
        text=text,
        masked=masked_text(text, ordered),
        published=published_on(document.date),
        doc=doc,
        words=words,
        by_start={x.start: x for x in ordered},
        sentences=[
            Sentence(
                s.start,
                s.end,
                [x for x in ordered if s.start <= x.start and x.end <= s.end],
                text[s.start : s.end],
            )
            for s in split_sentences(text)
        ],
    )
    for index, sentence in enumerate(reader.sentences):
        previous = reader.sentences[index - 1] if index else None
        for pattern in PATTERNS:
            pattern(reader, sentence, previous)
    return sorted(reader.proposals, key=lambda p: (p.start, p.end))


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


# --- Roles ----------------------------------------------------------------------------------

PERSON_LIST = rf"{m(PERSON)}(?:{SEPARATOR}{m(PERSON)})*"


def role_regex(reader: Reader) -> re.Pattern:
    return re.compile(rf"(?P<role>{reader.words.role_pattern})(?![\w-])", re.IGNORECASE)


def marks_in(reader: Reader, start: int, end: int, mark: str) -> list[Mention]:
    return [reader.mention_at(i) for i in range(start, end) if reader.masked[i] == mark]


def roles(reader: Reader, sentence: Sentence, previous) -> None:
    """« X, présidente de Y, et directrice générale de Z », « X (directeur général de Y) »,
    « X et Z, présidents de Y et W », « le président de Y, X », « Y, présidé par X »."""
    role_re = role_regex(reader)
    masked = reader.masked
    people_re = re.compile(
        rf"(?P<people>{PERSON_LIST})\s*(?:[,(]|\best\s+|\ba\s+été\s+élue?\s+)\s*"
    )
    for people in people_re.finditer(masked, sentence.start, sentence.end):
        persons = marks_in(reader, people.start(), people.end("people"), PERSON)
        _role_chain(reader, sentence, previous, persons, people.end(), role_re)
    for found in re.finditer(
        rf"(?P<org>{m(ORG)}){ASIDE}\s*,?\s*(?:qui\s+est\s+|est\s+)?(?P<verb>co-?présidée?s?|présidée?s?|fondée?s?|cofondée?s?)\s+par\s+(?P<people>{PERSON_LIST})",
        masked[sentence.start : sentence.end],
    ):
        org = reader.mention_at(sentence.start + found.start("org"))
        verb = found["verb"].lower()
        role = (
            "president" if "présid" in verb else ("cofondateur" if "cof" in verb else "fondateur")
        )
        persons = marks_in(
            reader,
            sentence.start + found.start("people"),
            sentence.start + found.end("people"),
            PERSON,
        )
        note = (
            "co-chair (« co-présidé »): each is recorded as president" if "co" in verb[:3] else None
        )
        for person in persons:
            _propose_role(
                reader,
                person,
                org,
                role,
                Where(sentence.start + found.start(), sentence.start + found.end()),
                f"« Y, {found['verb']} par X »",
                0.85,
                note,
            )
    for found in re.finditer(
        rf"(?:\b[Ll]e\s+|\b[Ll]a\s+|\b[Ll][’'])(?P<role>{reader.words.role_pattern})\s+{PREP}(?P<org>{m(ORG)}),\s*(?P<person>{m(PERSON)})",
        masked[sentence.start : sentence.end],
        re.IGNORECASE,
    ):
        slug_ = reader.words.role_slug(found["role"])
        if slug_:
            org = reader.mention_at(sentence.start + found.start("org"))
            person = reader.mention_at(sentence.start + found.start("person"))
            _propose_role(
                reader,
                person,
                org,
                slug_,
                Where(sentence.start + found.start("role"), sentence.start + found.end()),
                "« le président de Y, X »",
                0.8,
            )


def _role_chain(
    reader: Reader, sentence: Sentence, previous, persons: list[Mention], pos: int, role_re
) -> None:
    """From ``pos``, right after « X, » or « X ( »: one or more « role de Y » joined by commas
    or « et »; a role whose organisation is not a mention (« de la structure ») is skipped."""
    masked, end = reader.masked, sentence.end
    skipped = False
    while pos < end:
        aside = re.match(r"(?:[a-zà-ÿ][\w’'-]*\s*){1,3},\s*", masked[pos:end])
        if aside and not skipped and not role_re.match(masked, pos, end):
            pos, skipped = pos + aside.end(), True  # « X, entrepreneur toulousain, fondateur de Y »
        ex = re.match(r"(?:ex-|ancien(?:ne)?s?\s+)", masked[pos:end], re.IGNORECASE)
        if ex:
            return
        possessive = re.match(r"(?:son|sa|leur)\s+", masked[pos:end], re.IGNORECASE)
        at = pos + (possessive.end() if possessive else 0)
        found = role_re.match(masked, at, end)
        if not found:
            return
        role = reader.words.role_slug(found["role"])
        segment_end = _segment_end(masked, found.end(), end, role_re)
        if possessive:
            orgs = [x for x in sentence.mentions if x.end <= pos and mark_of(x) == ORG][-1:]
            where = Where(persons[0].start, found.end())
            note = (
                f"« {possessive[0].strip()} {found['role']} »: the organisation is the last one "
                "named before it in the sentence"
            )
            if not orgs:
                last, _ = _last_org(previous, "il")
                orgs = [last] if last is not None and mark_of(last) == ORG else []
                note = (
                    f"« {possessive[0].strip()} {found['role']} »: the organisation is the last "
                    "one the previous sentence names"
                )
        else:
            orgs, org_end = _orgs_after(reader, found.end(), segment_end)
            where = Where(persons[0].start, org_end)
            note = None
        if role and orgs:
            pattern = "« X, rôle de Y »" if not possessive else "« Y …, X, son rôle »"
            if len(persons) > 1 and len(orgs) == len(persons):
                note = (
                    "« respectivement » is not written: the people and the organisations are "
                    "paired in the order of the two lists"
                )
                for person, org in zip(persons, orgs, strict=True):
                    _propose_role(
                        reader,
                        person,
                        org,
                        role,
                        where,
                        "« X et Z, présidents de Y et W »",
                        0.75,
                        note,
                    )
            elif len(persons) == 1 or CO_CHAIR_WORD.match(found["role"]):
                for person in persons:
                    for org in orgs:
                        co = (
                            "co-chair: each is recorded as president"
                            if CO_CHAIR_WORD.match(found["role"])
                            else None
                        )
                        _propose_role(
                            reader,
                            person,
                            org,
                            role,
                            where,
                            pattern,
                            0.85 if not possessive else 0.6,
                            note or co,
                        )
        pos = segment_end
        joiner = re.match(r"\s*(?:,\s*et|,|et|;)\s*", masked[pos:end])
        if not joiner:
            return
        pos += joiner.end()


CO_CHAIR_WORD = re.compile(r"co-?présidente?s?$", re.IGNORECASE)


def _segment_end(masked: str, pos: int, end: int, role_re) -> int:
    """Where the complement of a role ends: at a comma, a parenthesis, a semicolon, the end of
    the sentence, or « et » followed by another role."""
    depth = 0
    i = pos
    while i < end:
        c = masked[i]
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                return i
            depth -= 1
        elif (depth == 0 and c in ',;.!?«»"') or (
            depth == 0 and masked.startswith(" et ", i) and role_re.match(masked, i + 4)
        ):
            return i
        i += 1
    return end


def _and_another_role(masked: str, i: int, role_re) -> bool:
    return masked.startswith(" et ", i) and role_re.match(masked, i + 4) is not None


def _orgs_after(reader: Reader, pos: int, end: int) -> tuple[list[Mention], int]:
    """The organisation(s) a role is of: « de Y », « du cluster Y », « chez Y », « Y » right
    after the role, and « et du think tank W » after it."""
    masked = reader.masked
    first = re.match(rf"{WORDS}(?P<org>{m(ORG)})", masked[pos:end])
    if not first or re.search(r"[A-Z]", masked[pos : pos + first.start("org")]):
        return [], pos
    orgs = [reader.mention_at(pos + first.start("org"))]
    at = pos + first.end()
    while True:
        more = re.match(
            rf"{ASIDE}\s*(?:,\s*et|,|et)\s+(?:{PREP}(?:[a-zà-ÿ][\w’'-]*\s+){{0,3}})?(?P<org>{m(ORG)})",
            masked[at:],
        )
        if not more:
            break
        orgs.append(reader.mention_at(at + more.start("org")))
        at += more.end()
    return orgs, at


def _propose_role(reader, person, org, role, where, pattern, score, note=None) -> None:
    p, o = ref_slug(person.ref), ref_slug(org.ref)
    membership = f"membership/{p}-{o}-{role}"
    sentence_dates = [
        d
        for d in reader.dates(*_sentence_of(reader, where.start))
        if d.value and d.value.precision == "date"
    ]
    as_of, inferred = None, None
    if len(sentence_dates) == 1:
        as_of = sentence_dates[0].value.as_value()
        if sentence_dates[0].inferred:
            inferred = f"as_of: {sentence_dates[0].inferred}"
    reader.propose(
        "role",
        f"{p}-{o}-{role}",
        where,
        {
            membership: {
                "a": "org:Membership",
                "org:member": person.ref,
                "org:organization": org.ref,
                "org:role": f"role:{role}",
            }
        },
        pattern,
        score,
        [person, org],
        inferred=inferred,
        note=note,
        as_of=as_of,
    )


def _sentence_of(reader: Reader, offset: int) -> tuple[int, int]:
    for sentence in reader.sentences:
        if sentence.start <= offset < sentence.end:
            return sentence.start, sentence.end
    return offset, offset


# --- Memberships ----------------------------------------------------------------------------


def memberships(reader: Reader, sentence: Sentence, previous) -> None:
    """« Y est membre de W », « Y adhère à W », « Y a rejoint W », « W compte parmi ses
    membres Y, Z et V » (organisations; a person member is a role, ``role:membre``)."""
    part = reader.masked[sentence.start : sentence.end]
    for found in re.finditer(
        rf"(?P<member>{m(ORG)}){ASIDE}\s*,?\s*(?:qui\s+)?(?:est|sont|est\s+devenue?|sont\s+devenus|,)\s*(?:aussi\s+|également\s+|désormais\s+)?(?:un\s+|une\s+)?(?:membres?|adhérente?s?)\s+{PREP}(?:[a-zà-ÿ][\w’'-]*\s+){{0,2}}(?P<org>{m(ORG)})"
        rf"|(?P<member2>{m(ORG)})\s+(?:adhère|adhèrent|a\s+adhéré|ont\s+adhéré|a\s+rejoint|ont\s+rejoint)\s+(?:à\s+|au\s+)?(?:la\s+|le\s+|l[’'])?(?:[a-zà-ÿ][\w’'-]*\s+){{0,2}}(?P<org2>{m(ORG)})",
        part,
        re.IGNORECASE,
    ):
        member = reader.mention_at(
            sentence.start + (found.start("member") if found["member"] else found.start("member2"))
        )
        org = reader.mention_at(
            sentence.start + (found.start("org") if found["org"] else found.start("org2"))
        )
        _propose_member(
            reader,
            member,
            org,
            Where(sentence.start + found.start(), sentence.start + found.end()),
            "« Y est membre de W »",
        )
    for found in re.finditer(
        rf"(?P<org>{m(ORG)})[^.;]{{0,60}}?\bparmi\s+ses\s+(?:membres|adhérents)\s+(?P<list>{m(ORG)}(?:{ASIDE}{SEPARATOR}{m(ORG)})*)",
        part,
        re.IGNORECASE,
    ):
        org = reader.mention_at(sentence.start + found.start("org"))
        for member in marks_in(
            reader, sentence.start + found.start("list"), sentence.start + found.end("list"), ORG
        ):
            _propose_member(
                reader,
                member,
                org,
                Where(sentence.start + found.start(), sentence.start + found.end()),
                "« W compte parmi ses membres Y, Z »",
            )


def _propose_member(reader, member, org, where, pattern) -> None:
    if member.ref == org.ref:
        return
    reader.propose(
        "membership",
        f"{ref_slug(member.ref)}-membre-{ref_slug(org.ref)}",
        where,
        {member.ref: {"org:memberOf": org.ref}},
        pattern,
        0.8,
        [member, org],
    )


# --- Mergers ----------------------------------------------------------------------------------

ORG_LIST = (
    rf"{m(ORG)}(?:{ASIDE}{SEPARATOR}(?:de\s+la\s+|de\s+l[’']|du\s+|de\s+|d[’'])?"
    rf"(?:[a-zà-ÿ][\w’'-]*\s+){{0,2}}{m(ORG)})*"
)


def mergers(reader: Reader, sentence: Sentence, previous) -> None:
    """« la fusion de A et B », « née de la fusion, en 2019, de A et du cluster B, C … »,
    « A et B fusionnent en C », « A et B souhaitent fusionner » (planned)."""
    part = reader.masked[sentence.start : sentence.end]
    s0 = sentence.start
    for found in re.finditer(
        rf"(?P<born>(?:née?s?|issue?s?)\s+de\s+)?(?:la\s+|une\s+)?fusion(?:,[^,]{{0,30}},)?\s+(?:de\s+|d[’']|entre\s+)(?:la\s+|l[’'])?(?:[a-zà-ÿ][\w’'-]*\s+){{0,2}}(?P<list>{ORG_LIST})",
        part,
        re.IGNORECASE,
    ):
        originals = marks_in(reader, s0 + found.start("list"), s0 + found.end("list"), ORG)
        if len(originals) < 2:
            continue
        result, end = None, s0 + found.end()
        if found["born"]:
            before = [
                x for x in sentence.mentions if x.end <= s0 + found.start() and mark_of(x) == ORG
            ]
            after = re.match(
                rf"{ASIDE}\s*,\s*(?P<org>{m(ORG)})", reader.masked[s0 + found.end() : sentence.end]
            )
            if after:
                result = reader.mention_at(s0 + found.end() + after.start("org"))
                end = s0 + found.end() + after.end()
            elif before and re.fullmatch(
                r"\s*,?\s*(?:qui\s+est\s+|est\s+)?",
                reader.masked[before[-1].end : s0 + found.start()],
            ):
                result = before[-1]
            elif len(originals) > 2 and re.fullmatch(
                rf"{ASIDE}\s*,\s*", reader.masked[originals[-2].end : originals[-1].start]
            ):
                result, originals = originals[-1], originals[:-1]
        _propose_merger(
            reader,
            sentence,
            originals,
            result,
            Where(min([s0 + found.start()] + ([result.start] if result else [])), end),
            "« né de la fusion de A et B »" if found["born"] else "« la fusion de A et B »",
        )
    for found in re.finditer(
        rf"(?P<list>{ORG_LIST}){ASIDE}[^.;]{{0,80}}?\b(?P<verb>fusionnent|ont\s+fusionné|vont\s+fusionner|souhaitent\s+fusionner|veulent\s+fusionner|doivent\s+fusionner|fusionneront)(?:\s+(?:en|pour\s+former|pour\s+créer|pour\s+donner\s+naissance\s+à)\s+(?P<result>{m(ORG)}))?",
        part,
        re.IGNORECASE,
    ):
        originals = marks_in(reader, s0 + found.start("list"), s0 + found.end("list"), ORG)
        if len(originals) < 2:
            continue
        result = reader.mention_at(s0 + found.start("result")) if found["result"] else None
        _propose_merger(
            reader,
            sentence,
            originals,
            result,
            Where(s0 + found.start(), sentence.end),
            "« A et B fusionnent »",
        )


def _propose_merger(reader, sentence, originals, result, where, pattern) -> None:
    names = [reader.label(x) for x in originals]
    iri = "change/fusion-" + (
        ref_slug(result.ref) if result else "-".join(ref_slug(x.ref) for x in originals)
    )
    joined = " et ".join([", ".join(names[:-1]), names[-1]])
    label = f"Fusion {of(joined)}" + (f" en {reader.label(result)}" if result else "")
    says: dict[str, Any] = {
        "a": "org:ChangeEvent",
        "rdfs:label": {"fr": label},
        "org:originalOrganization": [x.ref for x in originals],
    }
    if result:
        says["org:resultingOrganization"] = result.ref
    planned = reader.planned(where.start, where.end)
    note = (
        "planned (« souhaitent », future tense): a planned date, never dcterms:date"
        if planned
        else None
    )
    reader.propose(
        "merger",
        iri.removeprefix("change/"),
        where,
        {iri: says},
        pattern,
        0.8,
        [*originals, *([result] if result else [])],
        note=note,
    )
    dates = [d for d in reader.dates(sentence.start, sentence.end, future=planned) if d.value]
    if dates:
        date = dates[0]
        prop = "mlg:plannedDate" if planned else "dcterms:date"
        reader.propose(
            "merger",
            f"{iri.removeprefix('change/')}-date",
            Where(min(where.start, date.start), max(where.end, date.end)),
            {iri: {prop: date.value.as_value()}},
            pattern + " + date",
            0.75,
            inferred=date.inferred,
        )


# --- Founding ---------------------------------------------------------------------------------

FOUNDED = (
    r"(?P<verb>créée?s?|fondée?s?|née?s?|lancée?s?)(?:\s+à\s+(?P<place>"
    + m(COMMUNE)
    + r"))?\s*,?\s+(?P<prep>en|le|au\s+cours\s+de\s+l[’']année)\s+"
)


def founding(reader: Reader, sentence: Sentence, previous) -> None:
    """« Y (créé en février 2015, …) », « Y, fondée en 2011 », « Y a été créée en 2011 »,
    « Née à Albi en 2004, Y est … » (and its place, ``schema:foundingLocation``)."""
    part = reader.masked[sentence.start : sentence.end]
    s0 = sentence.start
    for found in re.finditer(FOUNDED, part, re.IGNORECASE):
        if re.search(r"fusion", part[found.end() : found.end() + 20], re.IGNORECASE):
            continue
        dates = [
            d
            for d in reader.dates(s0 + found.start("prep"), sentence.end)
            if d.start <= s0 + found.end() + 1
        ]
        if not dates or dates[0].value is None:
            continue
        date = dates[0]
        org, where = _founded_org(reader, sentence, s0 + found.start(), date.end)
        if org is None:
            continue
        says: dict[str, Any] = {"schema:foundingDate": date.value.as_value()}
        if found["place"]:
            says["schema:foundingLocation"] = reader.mention_at(s0 + found.start("place")).ref
        reader.propose(
            "founding",
            f"{ref_slug(org.ref)}-fondation",
            where,
            {org.ref: says},
            f"« {found['verb'].lower()} en … »",
            0.85,
            [org],
            inferred=date.inferred,
        )


def _founded_org(
    reader: Reader, sentence: Sentence, at: int, date_end: int
) -> tuple[Mention | None, Where]:
    masked = reader.masked
    before = [x for x in sentence.mentions if x.end <= at and mark_of(x) == ORG]
    if before and re.fullmatch(
        r"\s*(?:\(|,|,?\s*(?:qui\s+)?(?:a\s+été|est|fut|avait\s+été)\s+)\s*",
        masked[before[-1].end : at],
    ):
        return before[-1], Where(before[-1].start, date_end)
    if not masked[sentence.start : at].strip():
        after = re.match(rf"[^,]*,\s*(?P<org>{m(ORG)})", masked[date_end : sentence.end])
        if after:
            org = reader.mention_at(date_end + after.start("org"))
            return org, Where(at, org.end)
    return None, Where(at, at)


# --- Sites -------------------------------------------------------------------------------------

COMMUNE_LIST = rf"{m(COMMUNE)}(?:\s*(?:,\s*et|,|et|ou)\s+(?:à\s+)?{m(COMMUNE)})*"
SITED = r"(?:basée?s?|implantée?s?|installée?s?|située?s?|établie?s?|localisée?s?|présente?s?)"


def sites(reader: Reader, sentence: Sentence, previous) -> None:
    """« Y, basé à C », « Y et Z, basés respectivement à C et D », « le siège de Y est situé à
    C », « Y a son siège à C », « des antennes à C, D et E » (and planned: « prévoit d'ouvrir
    des bureaux à C »), « Y (C) », « Y à C »."""
    s0, part = sentence.start, reader.masked[sentence.start : sentence.end]
    for found in re.finditer(
        rf"(?P<orgs>{ORG_LIST}){ASIDE}\s*[,(]?\s*(?:qui\s+est\s+|est\s+|sont\s+)?{SITED}\s+(?P<resp>respectivement\s+)?(?:à|au|en)\s+(?P<places>{COMMUNE_LIST})",
        part,
        re.IGNORECASE,
    ):
        if re.search(
            r"siège(?:\s+social)?\s+(?:de|du|d[’'])\s*$", part[: found.start()], re.IGNORECASE
        ):
            continue
        orgs = marks_in(reader, s0 + found.start("orgs"), s0 + found.end("orgs"), ORG)
        places = marks_in(reader, s0 + found.start("places"), s0 + found.end("places"), COMMUNE)
        where = Where(s0 + found.start(), s0 + found.end())
        if len(orgs) == len(places) and (len(orgs) == 1 or found["resp"]):
            for org, place in zip(orgs, places, strict=True):
                _propose_site(reader, org, place, where, "« Y, basé à C »", 0.85)
        elif len(orgs) == 1:
            for place in places:
                _propose_site(reader, orgs[0], place, where, "« Y, basé à C »", 0.8)
    for found in re.finditer(
        rf"\bsiège(?:\s+social)?\s+{PREP}(?P<org>{m(ORG)})\s+(?:est\s+|se\s+trouve\s+)?(?:situé\s+|installé\s+|basé\s+|implanté\s+)?(?:à|au)\s+(?P<place>{m(COMMUNE)})"
        rf"|(?P<org2>{m(ORG)})[^.;]{{0,40}}?(?:a|dont\s+le|possède)\s+(?:son\s+)?siège(?:\s+social)?\s+(?:est\s+)?(?:situé\s+|installé\s+)?(?:à|au)\s+(?P<place2>{m(COMMUNE)})",
        part,
        re.IGNORECASE,
    ):
        org = reader.mention_at(s0 + (found.start("org") if found["org"] else found.start("org2")))
        place = reader.mention_at(
            s0 + (found.start("place") if found["place"] else found.start("place2"))
        )
        _propose_site(
            reader,
            org,
            place,
            Where(s0 + found.start(), s0 + found.end()),
            "« le siège de Y est situé à C »",
            0.9,
            head_office=True,
        )
    for found in re.finditer(
        rf"(?P<verb>\b(?:ouvrir|ouvrant|ouverture|ouvrira|ouvriront)\b[^.;]{{0,40}}?)?\b(?P<what>antennes?|bureaux|bureau|agences?|établissements?|implantations?|délégations?|(?<=ouvrir\s)de\s+nouvelles|(?<=ouvrir\s)de\s+nouveaux)\s+(?:régionales?\s+|locales?\s+)?(?:à|au)\s+(?P<places>{COMMUNE_LIST}(?:{ASIDE}\s*,?\s*(?:ou\s+encore|et|ainsi\s+qu[’']|,)\s+(?:à\s+)?{COMMUNE_LIST})*)",
        part,
        re.IGNORECASE,
    ):
        org, from_previous = _subject_org(reader, sentence, previous, s0 + found.start())
        if org is None:
            continue
        places = marks_in(reader, s0 + found.start("places"), s0 + found.end("places"), COMMUNE)
        planned = bool(found["verb"]) or reader.planned(s0 + found.start(), s0 + found.end())
        start = org.start if not from_previous else s0 + found.start()
        note = (
            f"the organisation is read from the previous sentence ({reader.label(org)}): "
            "this one does not name it"
            if from_previous
            else None
        )
        what = found["what"]
        if what.lower().startswith("de "):  # « d'en ouvrir de nouvelles à »: the noun said before
            said = re.findall(r"\b(antennes?|bureaux|agences?)\b", part[: found.start()], re.I)
            what = said[-1] if said else "sites"
        for place in places:
            _propose_site(
                reader,
                org,
                place,
                Where(start, s0 + found.end()),
                f"« des {what} à C »",
                0.7 if not from_previous else 0.5,
                planned=planned,
                what=what,
                note=note,
            )
    for found in re.finditer(
        rf"(?<![\w’'])(?P<org>{m(ORG)})\s*\((?P<inside>[^()]*)\)",
        part,
    ):
        _parenthesised_places(
            reader,
            reader.mention_at(s0 + found.start("org")),
            s0 + found.start("inside"),
            s0 + found.end("inside"),
            Where(s0 + found.start(), s0 + found.end()),
        )
    for found in re.finditer(
        rf"(?:^|[,:;]\s*|\bet\s+|\bstudio\s+|\bsociété\s+|\bentreprise\s+|\bstart-up\s+)(?P<org>{m(ORG)})\s+à\s+(?P<place>{m(COMMUNE)})(?![\w-])",
        part,
    ):
        org = reader.mention_at(s0 + found.start("org"))
        place = reader.mention_at(s0 + found.start("place"))
        _propose_site(reader, org, place, Where(org.start, place.end), "« Y à C »", 0.6)


def _parenthesised_places(reader, org, start, end, where) -> None:
    """« Y (Albi) », « Y (Millau, Albi) », « Y (drones agricoles, Gaillac) »,
    « Y (Sète – 34) »: the communes a parenthesis gives after an organisation's name."""
    inside = reader.masked[start:end]
    items = [item.strip() for item in re.split(r",", inside)]
    places, offset = [], start
    for item in re.split(r"(,)", inside):
        stripped = item.strip()
        lead = len(item) - len(item.lstrip())
        if re.fullmatch(rf"{m(COMMUNE)}(?:\s*[–-]\s*\d{{2}})?", stripped):
            places.append(reader.mention_at(offset + lead))
        offset += len(item)
    last_is_place = items and re.fullmatch(rf"{m(COMMUNE)}(?:\s*[–-]\s*\d{{2}})?", items[-1])
    if not places or not (last_is_place or len(places) == len(items)):
        return
    for place in places:
        _propose_site(reader, org, place, where, "« Y (C) »", 0.7)


def _subject_org(reader, sentence, previous, at) -> tuple[Mention | None, bool]:
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
    return _last_org(previous, reader.text[sentence.start : at])


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


def _last_org(previous, text: str = "il") -> tuple[Mention | None, bool]:
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


def _propose_site(
    reader,
    org,
    place,
    where,
    pattern,
    score,
    head_office=False,
    planned=False,
    what=None,
    note=None,
) -> None:
    o, c = ref_slug(org.ref), slug(reader.label(place))
    name, town = reader.label(org), reader.label(place)
    if head_office:
        iri, prop, label = f"site/{o}-siege", "org:hasPrimarySite", f"Siège {of(name)} ({town})"
    elif planned:
        noun = (
            (what or "site").lower().rstrip("s")
            if what and not what.lower().endswith("aux")
            else "bureau"
        )
        iri, prop, label = (
            f"site/{o}-{c}",
            "mlg:plannedSite",
            f"{noun.capitalize()} {planned_word(noun)} {of(name)} à {town}",
        )
        note = (
            note
            or "planned (« prévoit », « ouvrir », future tense): mlg:plannedSite, never org:hasSite"
        )
    elif what:
        noun = what.lower().rstrip("s") if not what.lower().endswith("aux") else "bureau"
        iri, prop, label = (
            f"site/{o}-{c}",
            "org:hasSite",
            f"{noun.capitalize()} {of(name)} à {town}",
        )
    else:
        iri, prop, label = f"site/{o}-{c}", "org:hasSite", f"{name} ({town})"
    reader.propose(
        "site",
        f"{o}-site-{c}" if not head_office else f"{o}-siege",
        where,
        {
            org.ref: {prop: iri},
            iri: {"a": "org:Site", "rdfs:label": {"fr": label}, "geo:sfWithin": place.ref},
        },
        pattern,
        score,
        [org],
        note=note,
    )


# --- Events -------------------------------------------------------------------------------------

EVENT_NOUNS = (
    r"débat|conférence|salon|forum|atelier|rencontre|colloque|séminaire|hackathon|"
    r"assemblée\s+générale(?:\s+extraordinaire)?|assemblée|journée|soirée|festival|sommet|"
    r"webinaire|meetup|table\s+ronde|concours|remise\s+des\s+prix|cérémonie"
)


GATHERINGS = (
    r"assemblées?(?:\s+générales?)?(?:\s+extraordinaires?|\s+ordinaires?)?|réunions?|"
    r"conférences?|forums?|salons?|rencontres?|séminaires?|journées?|soirées?|colloques?"
)
SCHEDULED = r"(?:prévue?s?|programmée?s?|fixée?s?|annoncée?s?)"
SIGNED = (
    r"\b(?:un|une|le|la|l[’'])\s+(?:premier\s+|première\s+|nouvel(?:le)?\s+)?"
    r"(?P<noun>partenariat|accord|convention|contrat)\s+(?:a|avait|aurait)\s+été\s+signée?s?"
    r"(?P<rest>[^.;]{0,160})"
)


def scheduled_gatherings(reader: Reader, sentence: Sentence, previous) -> None:
    """« lors d'une assemblée prévue en juin », « des assemblées générales extraordinaires,
    prévues fin mars »: a scheduled event, organised by the organisation the sentence speaks
    of when it names one (or « le cluster » of the previous sentence)."""
    s0, part = sentence.start, reader.masked[sentence.start : sentence.end]
    for found in re.finditer(
        rf"\b(?:une?|l[’']|la|le|des|les|d[’'])\s*(?P<noun>{GATHERINGS})\s*,?\s+{SCHEDULED}"
        r"(?P<rest>[^.;]{0,40})",
        part,
        re.IGNORECASE,
    ):
        rest = s0 + found.start("rest")
        dates = [d for d in reader.dates(rest, rest + len(found["rest"]), future=True) if d.value]
        if not dates:
            continue
        org, from_previous = _subject_org(reader, sentence, previous, s0 + found.start())
        noun = re.sub(r"\s+", " ", found["noun"]).lower()
        singular = " ".join(
            w.removesuffix("s") if w != "rencontres" else w[:-1] for w in noun.split()
        )
        name = singular.capitalize() + (f" {of(reader.label(org))}" if org else "")
        date = dates[0].value
        iri = f"event/{slug(singular)}" + (f"-{ref_slug(org.ref)}" if org else "")
        iri += f"-{date.value}"
        says: dict[str, Any] = {
            "a": "schema:Event",
            "schema:name": {"fr": name},
            "schema:eventStatus": "schema:EventScheduled",
        }
        note = "announced: scheduled, not held"
        if org:
            says["schema:organizer"] = org.ref
            if from_previous:
                note += f"; the organiser is read from the previous sentence ({reader.label(org)})"
        if noun != singular:
            note += "; several are announced (one per organisation?): one event is proposed"
        where = Where(s0 + found.start(), dates[0].end)
        _propose_event(
            reader,
            iri,
            says,
            where,
            "« une assemblée prévue en juin »",
            0.6,
            [org] if org else [],
            dates[:1],
            True,
            note=note,
        )
    for found in re.finditer(SIGNED, part, re.IGNORECASE):
        rest_start = s0 + found.start("rest")
        rest = found["rest"]
        within = re.split(r"\blors\s+d", rest)[0]
        dates = [d for d in reader.dates(rest_start, rest_start + len(within)) if d.value]
        if not dates:
            continue
        towns = marks_in(reader, rest_start, rest_start + len(within), COMMUNE)
        series = marks_in(reader, rest_start + len(within), rest_start + len(rest), EVENT)[:1]
        noun = found["noun"].lower()
        iri = f"event/signature-{noun}-{dates[0].value.value}"
        says = {"a": "schema:Event", "schema:name": {"fr": f"Signature d’un {noun}"}}
        if towns:
            says["schema:location"] = [t.ref for t in towns] if len(towns) > 1 else towns[0].ref
        if series:
            says["schema:superEvent"] = series[0].ref
        end = max([dates[0].end] + [t.end for t in towns] + [e.end for e in series])
        where = Where(s0 + found.start(), end)
        _propose_event(
            reader,
            iri,
            says,
            where,
            "« un partenariat a été signé le … à C »",
            0.65,
            series,
            dates[:1],
            False,
        )


def events(reader: Reader, sentence: Sentence, previous) -> None:
    """« un débat organisé par Y à C le 22 mai », « E aura lieu le 29 juin à C », « E (C, …) »,
    « E de Y à C », « Y, organisateur de E », « Y organise E »."""
    s0, part = sentence.start, reader.masked[sentence.start : sentence.end]
    for found in re.finditer(
        rf"\b(?:un|une|le|la|l[’'])\s+(?P<noun>{EVENT_NOUNS})\s+(?:[a-zà-ÿ][\w’'-]*\s+){{0,3}}?organisée?\s+par\s+(?P<org>{m(ORG)})(?P<rest>[^.;]{{0,60}})",
        part,
        re.IGNORECASE,
    ):
        org = reader.mention_at(s0 + found.start("org"))
        rest_start = s0 + found.start("rest")
        before_start = max(s0, s0 + found.start() - 60)
        towns = marks_in(reader, rest_start, rest_start + len(found["rest"]), COMMUNE)[:1]
        planned = reader.planned(s0 + found.start(), s0 + found.end())
        dates = [d for d in reader.dates(before_start, s0 + found.end(), future=planned) if d.value]
        noun = re.sub(r"\s+", " ", found["noun"].lower())
        name = f"{noun.capitalize()} organisé par {reader.label(org)}" + (
            f" à {reader.label(towns[0])}" if towns else ""
        )
        year = f"-{dates[0].value.year}" if dates else ""
        iri = (
            f"event/{slug(noun)}-{ref_slug(org.ref)}"
            + (f"-{slug(reader.label(towns[0]))}" if towns else "")
            + year
        )
        says: dict[str, Any] = {
            "a": "schema:Event",
            "schema:name": {"fr": name},
            "schema:organizer": org.ref,
        }
        end = org.end
        if towns:
            says["schema:location"] = towns[0].ref
            end = max(end, towns[0].end)
        if planned:
            says["schema:eventStatus"] = "schema:EventScheduled"
        where = Where(s0 + found.start(), end)
        _propose_event(
            reader,
            iri,
            says,
            where,
            "« un débat organisé par Y à C »",
            0.75,
            [org],
            dates[:1],
            planned,
        )
    for found in re.finditer(
        rf"(?P<event>{m(EVENT)})[\s\"»”]*{ASIDE}[\s\"»”]*(?P<verb>aura\s+lieu|se\s+tiendra|se\s+déroulera|est\s+prévue?|sera\s+organisée?|sera\s+(?:à\s+nouveau\s+|de\s+nouveau\s+)?programmée?|sera\s+de\s+son\s+côté\s+(?:à\s+nouveau\s+)?programmée?|a\s+eu\s+lieu|s[’']est\s+tenue?|s[’']est\s+déroulée?)(?P<rest>[^.;]{{0,80}})",
        part,
        re.IGNORECASE,
    ):
        event = reader.mention_at(s0 + found.start("event"))
        rest_start = s0 + found.start("rest")
        planned = not re.match(r"a\s+eu|s[’']est", found["verb"], re.IGNORECASE)
        dates = [
            d
            for d in reader.dates(rest_start, rest_start + len(found["rest"]), future=planned)
            if d.value
        ]
        towns = marks_in(reader, rest_start, rest_start + len(found["rest"]), COMMUNE)[:1]
        if not dates and not towns:
            continue
        series = event.ref
        year = dates[0].value.year if dates else None
        iri = f"{series}-{year}" if year else series
        says: dict[str, Any] = {}
        if iri != series:
            says = {
                "a": "schema:Event",
                "schema:name": {"fr": f"{reader.label(event)} {year}"},
                "schema:superEvent": series,
            }
        if towns:
            says["schema:location"] = towns[0].ref
        if planned:
            says["schema:eventStatus"] = "schema:EventScheduled"
        end = max([found.start("rest") + s0] + [t.end for t in towns] + [d.end for d in dates])
        where = Where(event.start, end)
        if says:
            _propose_event(
                reader,
                iri,
                says,
                where,
                "« E aura lieu le … à C »",
                0.75,
                [event],
                dates[:1],
                planned,
            )
    for found in re.finditer(rf"(?P<event>{m(EVENT)})\s*\((?P<inside>[^()]*)\)", part):
        first = found["inside"].split(",")[0].strip()
        if re.fullmatch(m(COMMUNE), first):
            event = reader.mention_at(s0 + found.start("event"))
            place = reader.mention_at(s0 + found.start("inside") + found["inside"].index(first))
            reader.propose(
                "event",
                f"{ref_slug(event.ref)}-lieu",
                Where(s0 + found.start(), s0 + found.end()),
                {event.ref: {"schema:location": place.ref}},
                "« E (C) »",
                0.7,
                [event],
            )
    for found in re.finditer(
        rf"(?P<event>{m(EVENT)})\s+(?:de\s+l[’']|de\s+la\s+|du\s+|de\s+)(?P<org>{m(ORG)})(?:\s+à\s+(?P<place>{m(COMMUNE)}))?",
        part,
    ):
        event = reader.mention_at(s0 + found.start("event"))
        org = reader.mention_at(s0 + found.start("org"))
        says = {"schema:organizer": org.ref}
        if found["place"]:
            says["schema:location"] = reader.mention_at(s0 + found.start("place")).ref
        reader.propose(
            "event",
            f"{ref_slug(event.ref)}-{ref_slug(org.ref)}",
            Where(s0 + found.start(), s0 + found.end()),
            {event.ref: says},
            "« E de Y à C »",
            0.6,
            [event, org],
        )
    for found in re.finditer(
        rf"(?P<org>{m(ORG)}){ASIDE}\s*,\s*(?:l[’']|le\s+|la\s+)?(?:organisateur|organisatrice|organisateurs)\s+(?:du\s+|de\s+la\s+|de\s+l[’']|de\s+|des\s+)(?P<event>{m(EVENT)})"
        rf"|(?P<org2>{m(ORG)})\s+(?:organise|organisent|a\s+organisé|ont\s+organisé)\s+(?:le\s+|la\s+|l[’']|les\s+)?(?:[a-zà-ÿ][\w’'-]*\s+){{0,2}}(?P<event2>{m(EVENT)})",
        part,
        re.IGNORECASE,
    ):
        org = reader.mention_at(s0 + (found.start("org") if found["org"] else found.start("org2")))
        event = reader.mention_at(
            s0 + (found.start("event") if found["event"] else found.start("event2"))
        )
        reader.propose(
            "event",
            f"{ref_slug(event.ref)}-organisateur",
            Where(s0 + found.start(), s0 + found.end()),
            {event.ref: {"schema:organizer": org.ref}},
            "« Y, organisateur de E »",
            0.8,
            [event, org],
        )


def _edition(reader, series: Mention, year: FoundDate, where: Where) -> str:
    """« E (180 participants en 2016) », « En 2016, la manifestation avait réuni … »: the figure
    is about that year's edition of the series E, an event of its own."""
    iri = f"{series.ref}-{year.value.year}"
    reader.propose(
        "event",
        iri.removeprefix("event/"),
        where,
        {
            iri: {
                "a": "schema:Event",
                "schema:name": {"fr": f"{reader.label(series)} {year.value.year}"},
                "schema:superEvent": series.ref,
                "schema:startDate": year.value.as_value(),
            }
        },
        "« E (N participants en YYYY) »: that year's edition",
        0.7,
        [series],
    )
    return iri


def _propose_event(reader, iri, says, where, pattern, score, mentions, dates, planned, note=None):
    """An event's claim, then its date's in a claim of its own (marked when inferred)."""
    reader.propose(
        "event", iri.removeprefix("event/"), where, {iri: says}, pattern, score, mentions, note=note
    )
    _event_date(reader, iri, dates, where, planned)


def _event_date(reader, iri, dates, where, planned) -> None:
    if not dates:
        return
    date = dates[0]
    says: dict[str, Any] = {"schema:startDate": date.value.as_value()}
    if date.end_value:
        says["schema:endDate"] = date.end_value.as_value()
    reader.propose(
        "event",
        f"{iri.removeprefix('event/')}-date",
        Where(min(where.start, date.start), max(where.end, date.end)),
        {iri: says},
        "the event's date",
        0.75,
        inferred=date.inferred,
    )


# --- Figures -----------------------------------------------------------------------------------

SUBJECT_MARKS = (ORG, EVENT, PLACE, COMMUNE, OTHER)


def figures(reader: Reader, sentence: Sentence, previous) -> None:
    """Each figure of the sentence (``maillage.ingest.figures``): what it is about (the nearest
    organisation, event or place named before it in the sentence, else the sentence's subject
    from the previous one), its date (a year in its clause, else the publication's, inferred),
    and whether it is planned (``mlg:Target`` linked by ``mlg:target``)."""
    s0 = sentence.start
    sentence_text = reader.text[s0 : sentence.end]

    def about_org(at: int) -> bool:
        subject, _ = _figure_subject(reader, sentence, previous, s0 + at)
        return subject is not None and mark_of(subject) == ORG

    for figure in find_figures(sentence_text, about_org):
        _propose_figure(reader, sentence, previous, figure)


SOURCE = re.compile(r"(?:\bselon|\bd[’']après|\bsource\s*:)[^,;()]*$", re.IGNORECASE)
"""« Selon la Région, … », « (source : Insee) »: who says it, not what it is about."""


def _figure_subject(reader, sentence, previous, at) -> tuple[Mention | None, bool]:
    """What a figure at ``at`` is about: the subject of its verb in spaCy's parse when that is a
    mention or « il », « elle », « le cluster » (then the previous sentence's), else the nearest
    organisation, event or work named before it, a région, or one named just after it
    (« rien qu'au BIC de Gaillac », « … en Bretagne »)."""
    grammatical = _grammatical_subject(reader, sentence, previous, at)
    if grammatical is not None:
        return grammatical
    before = [
        x
        for x in sentence.mentions
        if x.end <= at
        and mark_of(x) in SUBJECT_MARKS
        and x.ref is not None
        and not (mark_of(x) == COMMUNE and x.cls != "igeo:Commune")
        and not SOURCE.search(reader.text[sentence.start : x.start])
    ]
    named = [x for x in before if mark_of(x) in (ORG, EVENT, OTHER)]
    if named:
        return named[-1], False
    regions = [x for x in before if x.ref and x.ref.startswith("region/")]
    if regions:
        return regions[-1], False
    after = [
        x
        for x in sentence.mentions
        if x.start >= at
        and x.ref is not None
        and (mark_of(x) in (ORG, OTHER) or x.ref.startswith("region/"))
        and not re.search(
            r"\(\s*(?:source|selon)[^()]*$", reader.text[sentence.start : x.start], re.IGNORECASE
        )
        and re.fullmatch(
            r"[^.;:,()]*?\b(?:au|à\s+la|à\s+l[’']|à|en|chez|de)\s*", reader.text[at : x.start]
        )
        and len(reader.text[at : x.start].split()) <= 14
    ]
    if after:
        return after[0], False
    return _last_org(previous, reader.text[sentence.start : sentence.end])


PERSONAL = {"il", "elle", "ils", "elles"}


def _grammatical_subject(reader, sentence, previous, at) -> tuple[Mention | None, bool] | None:
    """The subject (``nsubj``) of the verb the figure depends on, followed up through infinitives,
    coordinated verbs and nouns (« …, et affiche l'ambition d'atteindre 400 adhérents »)."""
    tokens = reader.tokens(at, at + 1)
    if not tokens:
        return None
    node = tokens[0]
    for _ in range(12):
        if node.pos_ in ("VERB", "AUX"):
            subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubj:pass")]
            if subjects:
                found = (_subject_mention(reader, sentence, previous, t) for t in subjects)
                return next((f for f in found if f is not None), None)
            between = _named_before_verb(sentence, node)
            if between is not None:
                return between, False
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _named_before_verb(sentence, verb) -> Mention | None:
    """« … et orientent les start-up — la French Tech Y, par exemple, a suivi 600 start-up »: a
    conjugated verb the parse gave no subject, with a name between it and the verb it hangs on,
    is that name's."""
    conjugated = "Fin" in verb.morph.get("VerbForm") or any(
        c.dep_.startswith("aux") for c in verb.children
    )
    if not conjugated or verb.head.i == verb.i or verb.head.idx > verb.idx:
        return None
    named = [
        m
        for m in sentence.mentions
        if verb.head.idx < m.start and m.end <= verb.idx and mark_of(m) in (ORG, EVENT, OTHER)
    ]
    return named[-1] if named else None


def joint_subjects(reader, sentence, at) -> list[Mention]:
    """« A et B rassemblent 400 adhérents »: a figure of several together, each of them named as
    the subject of its verb (the figure is not each one's)."""
    listed = re.search(
        rf"(?P<list>{ORG_LIST}){ASIDE}\s+[a-zà-ÿ]+ent\s+[^,;.()]*$",
        reader.masked[sentence.start : at],
    )
    if listed:  # « A (…) et B rassemblent 400 adhérents », whatever the parse says
        start = sentence.start
        found = marks_in(reader, start + listed.start("list"), start + listed.end("list"), ORG)
        if len(found) > 1:
            return found
    tokens = reader.tokens(at, at + 1)
    node = tokens[0] if tokens else None
    while node is not None and node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        node = node.head
    if node is None:
        return []
    subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubj:pass")]
    if not subjects:
        return []
    heads = [subjects[0], *[c for c in subjects[0].children if c.dep_ == "conj"]]
    found = []
    for token in heads:
        for mention in sentence.mentions:
            covers = mention.start <= token.idx < mention.end
            if covers and mark_of(mention) == ORG and mention not in found:
                found.append(mention)
    return found if len(found) > 1 else []


def _subject_mention(reader, sentence, previous, token) -> tuple[Mention | None, bool] | None:
    for mention in sentence.mentions:
        if mention.start <= token.idx < mention.end and mention.ref is not None:
            if mark_of(mention) in (ORG, EVENT, OTHER) or mention.ref.startswith("region/"):
                return mention, False
            return None
    word = token.text.lower()
    if word in PERSONAL or (
        token.pos_ == "NOUN" and ANAPHOR.fullmatch(f"{_determiner(token)} {token.text}")
    ):
        found = _last_org(previous, word if word in PERSONAL else f"le {token.text}")
        return found if found[0] is not None else None
    return None


def _determiner(token) -> str:
    return next((c.text for c in token.children if c.dep_ == "det"), "le")


def _clause(reader: Reader, sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    """The clause a figure is in: back to the last « ( », « ; », « : » or sentence start; a
    parenthesis closes it."""
    text = reader.text
    left = max(text.rfind(c, sentence.start, start) for c in "(;:") + 1
    left = max(left, sentence.start)
    opened = text.rfind("(", sentence.start, start) > text.rfind(")", sentence.start, start)
    right = text.find(")", end, sentence.end) if opened else -1
    return left, right if right != -1 else sentence.end


FOUNDING_YEAR = re.compile(
    r"(?:créée?s?|fondée?s?|née?s?|lancée?s?|depuis)\s+(?:à\s+\S+\s+)?en\s*$", re.IGNORECASE
)
FRAMING = re.compile(r"^\s*(?:en|depuis|sur)\s+(?:19|20)\d{2}\s*,", re.IGNORECASE)


def _stated_years(reader, sentence, start, end) -> list[FoundDate]:
    """The years the text gives for a figure: in its clause (a parenthesis counts as one word:
    « 9 000 personnes (source : Insee, 2021) »), or framing the sentence (« En 2023, elle … »);
    never a founding year (« créé en 2011, … rassemble 200 adhérents »)."""
    text, s0 = reader.text, sentence.start
    left = _clause_edge(text, start - 1, s0 - 1, -1)
    right = _clause_edge(text, end, sentence.end, 1)
    years = [
        d
        for d in reader.dates(left, right)
        if d.value and d.value.precision == "year" and not FOUNDING_YEAR.search(text[s0 : d.start])
    ]
    if not years and FRAMING.match(text[s0 : sentence.end]):
        years = [d for d in reader.dates(s0, s0 + FRAMING.match(text[s0:]).end()) if d.value]
    return years


def _clause_edge(text: str, i: int, stop: int, step: int) -> int:
    depth = 0
    opening, closing = ("(", ")") if step > 0 else (")", "(")
    while i != stop:
        c = text[i]
        if c == opening:
            depth += 1
        elif c == closing:
            if depth == 0:
                return i if step > 0 else i + 1
            depth -= 1
        elif depth == 0 and c in ",;:":
            return i if step > 0 else i + 1
        i += step
    return stop if step > 0 else stop + 1


def _figure_quote_start(reader, sentence, subject, start) -> int:
    """From the subject when it is close (« Numéria rassemble plus de 120 membres »), else
    from the start of the figure's clause (« un taux de croissance annuel de 3 % »)."""
    if subject is not None and 0 <= start - subject.start <= 60:
        return subject.start
    text = reader.text[sentence.start : start]
    cuts = [m.end() for m in re.finditer(r"[,;:(]\s*|\s+et\s+|\s+avec\s+", text)]
    return sentence.start + (cuts[-1] if cuts else 0)


def _propose_figure(reader, sentence, previous, figure: Figure) -> None:
    s0 = sentence.start
    start, end = s0 + figure.start, s0 + figure.end
    subject, from_previous = _figure_subject(reader, sentence, previous, start)
    joint = joint_subjects(reader, sentence, start)
    if joint:
        subject, from_previous = None, False
    clause_start, _ = _clause(reader, sentence, start, end)
    inside_parenthesis = reader.text[clause_start - 1 : clause_start] == "("
    tokens = reader.tokens(start, end)
    heads = tokens if inside_parenthesis else [t for token in tokens for t in clause_tokens(token)]
    stated = _stated_years(reader, sentence, start, end)
    planned = (is_planned(reader.tokens(clause_start, end)) or is_planned(heads)) and not (
        stated and reader.published and stated[0].value.year < reader.published.year
    )
    year_value, inferred = (stated[0].value, None) if stated else document_year(reader.published)
    measure_label = reader.words.measures.get(figure.measure, figure.noun)
    about = reader.label(subject) if subject else None
    subject_ref = subject.ref if subject else None
    year = year_value.year if year_value else None
    if subject and mark_of(subject) == EVENT and stated and not planned and str(year) not in about:
        first = start if from_previous or subject.start < s0 else subject.start
        where = Where(min(first, stated[0].start), max(end, stated[0].end))
        subject_ref, about = _edition(reader, subject, stated[0], where), f"{about} {year}"
    base = slug(
        (ref_slug(subject_ref) if subject else "figure")
        + "-"
        + (figure.noun if figure.noun.isalpha() else measure_label)
    )
    iri = f"figure/{base}" + (f"-{year}" if year and not planned and str(year) not in base else "")
    if planned:
        iri = f"figure/{base}-objectif"
    iri = reader.new_node(iri)
    label = (
        measure_label[0].upper()
        + measure_label[1:]
        + (f" {of(about)}" if about else "")
        + (f" (annoncé en {year})" if planned and year else (f" ({year})" if year else ""))
    )
    node: dict[str, Any] = {
        "a": "mlg:Target" if planned else "mlg:Observation",
        "rdfs:label": {"fr": label},
        "mlg:measure": figure.measure,
        "schema:value": figure.as_value(),
        "mlg:unit": figure.unit,
    }
    if figure.qualifier:
        node["mlg:qualifier"] = figure.qualifier
    if joint:
        node["mlg:jointOf"] = [x.ref for x in joint]
    if stated:
        node["dcterms:date"] = stated[0].value.as_value()
    says: dict[str, Any] = {}
    if subject_ref is not None:
        says[subject_ref] = {("mlg:target" if planned else "mlg:observation"): iri}
    says[iri] = node
    quote_start = _figure_quote_start(
        reader, sentence, subject if not from_previous else None, start
    )
    quote_end = max(end, stated[0].end if stated and stated[0].start >= start else end)
    notes = [figure.note] if figure.note else []
    if planned:
        notes.append(
            "planned (future tense or a word of intent): an mlg:Target, not an observed value"
        )
    if from_previous:
        notes.append(f"what the figure is about is read from the previous sentence ({about})")
    if joint:
        names = " et ".join(reader.label(x) for x in joint)
        notes.append(
            f"a figure of {names} together (mlg:jointOf), not each one's: link it from what "
            "brings them together, by hand"
        )
    elif subject is None:
        notes.append("the sentence does not say what the figure is about: link it by hand")
    mentions = [subject] if subject else list(joint)
    reader.propose(
        "figure",
        iri.removeprefix("figure/"),
        Where(quote_start, quote_end),
        says,
        "« plus de N unités »",
        0.8 if subject and not from_previous else 0.6,
        mentions,
        note="; ".join(notes) or None,
    )
    if not stated and year_value is not None:
        if planned:
            inferred = (
                f"the text gives no date; {year} is the year the figure was announced "
                f"(publication date {reader.published.value}), not a deadline"
            )
        reader.propose(
            "figure",
            f"{iri.removeprefix('figure/')}-date",
            Where(start, end),
            {iri: {"dcterms:date": year_value.as_value()}},
            "the figure's date",
            0.7,
            inferred=inferred,
        )


PATTERNS = (roles, memberships, mergers, founding, sites, events, scheduled_gatherings, figures)


def iter_kinds(proposals: list[Proposal]) -> Iterator[str]:
    return (p.kind for p in proposals)
