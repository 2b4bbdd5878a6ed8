"""Mergers and founding: « née de la fusion de A et B », « créée en 2011 »."""

from __future__ import annotations

import re
from typing import Any

from maillage.ingest.patterns.reading import (
    ASIDE,
    COMMUNE,
    ORG,
    ORG_LIST,
    Reader,
    Sentence,
    Where,
    m,
    mark_of,
    marks_in,
    of,
    ref_slug,
)
from maillage.ingest.proposals import Mention

# --- Mergers ----------------------------------------------------------------------------------


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
