"""Sites: « basé à », « le siège de Y est situé à », antennas, planned offices."""

from __future__ import annotations

import re

from maillage.ingest.names import key
from maillage.ingest.patterns.reading import (
    ASIDE,
    COMMUNE,
    COMMUNE_LIST,
    ORG,
    ORG_LIST,
    PREP,
    SITED,
    Reader,
    Sentence,
    Where,
    m,
    mark_of,
    marks_in,
    of,
    planned_word,
    ref_slug,
    slug,
    subject_org,
)
from maillage.ingest.proposals import Mention
from maillage.ingest.territories import occitanie

# --- Sites -------------------------------------------------------------------------------------


def sites_in_names(reader: Reader, sentence: Sentence, previous) -> None:
    """« Python Albi », « BIC de Rodez »: a new organisation whose name ends with the name of a
    commune of the région (one commune has it, of 10,000 inhabitants or more) has a site there,
    read from its name only and marked ``inferred``. Known organisations have their sites."""
    for mention in sentence.mentions:
        if mark_of(mention) != ORG or mention.state != "new":
            continue
        name = reader.label(mention)
        words = name.split()
        for count in range(min(4, len(words) - 1), 0, -1):
            town = " ".join(words[-count:])
            places = [p for p in occitanie().named(key(town)) if p.kind == "commune"]
            if len(places) != 1 or places[0].population < 10_000:
                continue
            if not re.search(r"[A-Za-zÀ-ÿ]", " ".join(words[:-count])):
                break
            place = Mention(
                mention.end - len(town),
                mention.end,
                town,
                "linked",
                "igeo:Commune",
                1.0,
                "territories",
                f"the name « {name} »",
                ref=places[0].ref,
            )
            _propose_site(
                reader,
                mention,
                place,
                Where(mention.start, mention.end),
                "« Y C », the name",
                0.5,
                inferred=f"the commune is read from the name « {name} » only; the text gives "
                "no place",
            )
            break


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
        org = reader.mention_of(found, s0, "org", "org2")
        place = reader.mention_of(found, s0, "place", "place2")
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
        org, from_previous = subject_org(reader, sentence, previous, s0 + found.start())
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
    inferred=None,
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
        inferred=inferred,
    )
