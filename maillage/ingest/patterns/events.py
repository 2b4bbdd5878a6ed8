"""Events: organised, scheduled, signed, and the editions of a series."""

from __future__ import annotations

import re
from typing import Any

from maillage.ingest.dates import (
    FoundDate,
)
from maillage.ingest.patterns.reading import (
    ASIDE,
    COMMUNE,
    EVENT,
    ORG,
    Reader,
    Sentence,
    Where,
    m,
    marks_in,
    of,
    ref_slug,
    slug,
    subject_org,
)
from maillage.ingest.proposals import Mention

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
        org, from_previous = subject_org(reader, sentence, previous, s0 + found.start())
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
        org = reader.mention_of(found, s0, "org", "org2")
        event = reader.mention_of(found, s0, "event", "event2")
        reader.propose(
            "event",
            f"{ref_slug(event.ref)}-organisateur",
            Where(s0 + found.start(), s0 + found.end()),
            {event.ref: {"schema:organizer": org.ref}},
            "« Y, organisateur de E »",
            0.8,
            [event, org],
        )


def edition(reader, series: Mention, year: FoundDate, where: Where) -> str:
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
