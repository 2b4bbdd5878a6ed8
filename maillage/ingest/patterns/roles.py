"""Roles and memberships: « X, présidente de Y », « Y est membre de W »."""

from __future__ import annotations

import re

from maillage.ingest.patterns.reading import (
    ASIDE,
    ORG,
    PERSON,
    PREP,
    SEPARATOR,
    WORDS,
    Reader,
    Sentence,
    Where,
    last_org,
    m,
    mark_of,
    marks_in,
    ref_slug,
    sentence_of,
)
from maillage.ingest.proposals import Mention

# --- Roles ----------------------------------------------------------------------------------

PERSON_LIST = rf"{m(PERSON)}(?:{SEPARATOR}{m(PERSON)})*"


def role_regex(reader: Reader) -> re.Pattern:
    return re.compile(rf"(?P<role>{reader.words.role_pattern})(?![\w-])", re.IGNORECASE)


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
                last, _ = last_org(previous, "il")
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
        for d in reader.dates(*sentence_of(reader, where.start))
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
        member = reader.mention_of(found, sentence.start, "member", "member2")
        org = reader.mention_of(found, sentence.start, "org", "org2")
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
