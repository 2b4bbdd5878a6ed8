"""The time model (contract C14, ``docs/data-model.md`` « Time: which reading to make »).

The documents rarely say when a fact began or ended; they say it held when they were written.
So each dated document is an OWL-Time instant (``…/id/document/001#date``), and a claim that
places its facts at another time (``as_of`` in its claim file) has its own
(``…/id/claim/001/…#as-of``). Memberships, actual sites and organisations get an interval
(``#during``, ``#lifespan``) ``time:inside`` each instant at which an active claim states them,
with a beginning and an end where the text gives them. An organisation that is an original
organisation of a dated change, and not its result, ends at that date
(``schema:dissolutionDate``): a document dated after its end (or before its founding) speaks
of its past (or future) and attests nothing of it, its memberships or its sites (unless its
claim has ``as_of``).

What each claim attests goes into its claim graph (and so into the default graph); what the
build reads off several claims at once (dissolution, the end of a lifespan, the four
``mlg:possibly…``/``mlg:certainly…`` days) goes into the default graph only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import DCTERMS, RDF, TIME, Graph, Literal, URIRef

from maillage.identifiers import hash_iri
from maillage.namespaces import MLG, ORG, SCHEMA
from maillage.pipeline.dates import IN_XSD, as_date, date_bounds, first_and_last_day

Triple = tuple[URIRef, URIRef, object]
READING = (MLG.possiblyFrom, MLG.certainlyFrom, MLG.certainlyUntil, MLG.possiblyUntil)
"""The four days the build derives on every interval (default graph only)."""
INTERVAL_NAMES = {"org": "lifespan"}
"""The hash name of a resource's interval: ``#lifespan`` for an organisation, else ``#during``."""


@dataclass(frozen=True)
class Instant:
    """The time at which a claim's facts are attested: its document's date, or its ``as_of``."""

    iri: URIRef
    first: dt.date
    last: dt.date
    as_of: bool


@dataclass(frozen=True)
class Timed:
    """A resource that holds during an interval: a membership, an actual site, an organisation."""

    resource: URIRef
    interval: URIRef
    link: URIRef
    """``org:memberDuring`` for a membership, ``time:hasTime`` otherwise."""
    kind: str
    """``membership``, ``site`` or ``org``."""
    organisations: frozenset[URIRef]
    """Whose end bounds it: a membership's organisation, a site's, the organisation itself."""


def interval_iri(resource: URIRef, kind: str) -> URIRef:
    return hash_iri(resource, INTERVAL_NAMES.get(kind, "during"))


def instant(iri: URIRef, value: Literal, as_of: bool = False) -> Instant:
    first, last = first_and_last_day(value)
    return Instant(iri, first, last, as_of)


def instant_triples(iri: URIRef, value: Literal) -> Iterator[Triple]:
    """``iri a time:Instant ; time:inXSD… value`` at the value's precision, and its bounds."""
    yield iri, RDF.type, TIME.Instant
    yield iri, IN_XSD[value.datatype], value
    yield from date_bounds(iri, IN_XSD[value.datatype], value)


def add_time(default: Graph, claim_graphs: dict[URIRef, Graph], instants: dict) -> None:
    """The time model, for the active claims (the keys of ``instants``, each mapped to the
    instant it attests at, or None when its document is undated and it has no ``as_of``)."""
    ends = add_dissolutions(default)
    timed = timed_resources(default)
    figures = frozenset(default.subjects(RDF.type, MLG.Observation))
    lives = organisation_lives(default, ends)
    for claim in sorted(instants):
        graph = claim_graphs[claim]
        found = list(claim_time(graph, timed, instants[claim], lives, figures))
        for triple in found:
            graph.add(triple)
            default.add(triple)
    for thing in timed:
        for triple in reading(default, thing, ends):
            default.add(triple)


# --- Organisations that end -------------------------------------------------------------------


def add_dissolutions(default: Graph) -> dict[URIRef, Literal]:
    """``schema:dissolutionDate`` of each original organisation of a dated change that is not
    its result, and the end of its lifespan; returns organisation → that date."""
    ends: dict[URIRef, Literal] = {}
    for change in sorted(set(default.subjects(ORG.originalOrganization, None))):
        date = narrowest(default.objects(change, DCTERMS.date))
        if date is None:
            continue
        for organisation in sorted(default.objects(change, ORG.originalOrganization)):
            if (change, ORG.resultingOrganization, organisation) in default:
                continue
            if organisation not in ends or _last(date) < _last(ends[organisation]):
                ends[organisation] = date
    for organisation, date in ends.items():
        lifespan, end = interval_iri(organisation, "org"), hash_iri(organisation, "end")
        default.add((organisation, SCHEMA.dissolutionDate, date))
        for triple in date_bounds(organisation, SCHEMA.dissolutionDate, date):
            default.add(triple)
        default.add((organisation, TIME.hasTime, lifespan))
        default.add((lifespan, RDF.type, TIME.Interval))
        default.add((lifespan, TIME.hasEnd, end))
        for triple in instant_triples(end, date):
            default.add(triple)
    return ends


def organisation_lives(default: Graph, ends: dict) -> dict[URIRef, tuple]:
    """Each organisation's known life: its founding's first day and its dissolution's last day
    (``None`` where unknown). A document dated wholly outside it speaks of the organisation's past
    or future, not of its present."""
    lives: dict[URIRef, tuple] = {}
    for organisation, founded in default.subject_objects(SCHEMA.foundingDate):
        if isinstance(founded, Literal) and first_and_last_day(founded) is not None:
            known = lives.get(organisation, (None, None))[0]
            first = _first(founded) if known is None else min(known, _first(founded))
            lives[organisation] = (first, None)
    for organisation, date in ends.items():
        lives[organisation] = (lives.get(organisation, (None, None))[0], _last(date))
    return lives


def narrowest(values: Iterable) -> Literal | None:
    """Of a change's dates, the most precise (2019-02-05 rather than 2019)."""
    dated = [v for v in values if isinstance(v, Literal) and first_and_last_day(v) is not None]
    if not dated:
        return None
    return min(dated, key=lambda v: (_last(v) - _first(v), _first(v), str(v)))


def _first(value: Literal) -> dt.date:
    return first_and_last_day(value)[0]


def _last(value: Literal) -> dt.date:
    return first_and_last_day(value)[1]


# --- What each claim attests ------------------------------------------------------------------


def timed_resources(default: Graph) -> list[Timed]:
    """Every membership, every actual site (``org:hasSite``) and every organisation."""
    found = []
    for membership in sorted(set(default.subjects(RDF.type, ORG.Membership))):
        organisations = frozenset(default.objects(membership, ORG.organization))
        found.append(_timed(membership, ORG.memberDuring, "membership", organisations))
    for site in sorted(set(default.objects(None, ORG.hasSite))):
        organisations = frozenset(default.subjects(ORG.hasSite, site))
        found.append(_timed(site, TIME.hasTime, "site", organisations))
    for organisation in sorted(set(default.subjects(RDF.type, ORG.Organization))):
        found.append(_timed(organisation, TIME.hasTime, "org", frozenset({organisation})))
    return found


def _timed(resource: URIRef, link: URIRef, kind: str, organisations: frozenset) -> Timed:
    return Timed(resource, interval_iri(resource, kind), link, kind, organisations)


def claim_time(
    graph: Graph, timed: list[Timed], attested_at: Instant | None, lives: dict, figures: frozenset
) -> Iterator[Triple]:
    """What one claim graph says in time: the interval of each timed resource it states, the
    instant it attests it at, an organisation's beginning from its founding date, a figure's
    date as an instant."""
    for thing in timed:
        organisations = _stated_for(graph, thing)
        if not organisations:
            continue
        yield thing.resource, thing.link, thing.interval
        yield thing.interval, RDF.type, TIME.Interval
        if _attests(graph, thing, organisations, attested_at, lives):
            yield thing.interval, TIME.inside, attested_at.iri
    yield from _foundings(graph)
    yield from _figure_dates(graph, figures)


def _stated_for(graph: Graph, thing: Timed) -> frozenset:
    """The organisations a claim states ``thing`` for (empty when it does not state it)."""
    if thing.kind == "site":
        return frozenset(graph.subjects(ORG.hasSite, thing.resource))
    if (thing.resource, None, None) in graph:
        return thing.organisations
    return frozenset()


def _attests(graph, thing: Timed, organisations, attested_at: Instant | None, lives) -> bool:
    """Whether the claim attests that ``thing`` held at its instant: not when it has none (an
    undated document), not when it gives the end itself (it reports the past), and not when its
    document's date lies wholly outside the organisation's known life, after its end or before
    its founding (it speaks of its past or its future), unless the quote dates it (``as_of``)."""
    if attested_at is None:
        return False
    if attested_at.as_of:
        return True
    if (thing.interval, TIME.hasEnd, None) in graph:
        return False
    return any(_within(attested_at, lives.get(o, (None, None))) for o in organisations)


def _within(attested_at: Instant, life: tuple) -> bool:
    founded, ended = life
    if founded is not None and attested_at.last < founded:
        return False
    return ended is None or attested_at.first <= ended


def _foundings(graph: Graph) -> Iterator[Triple]:
    """An organisation's founding date is the beginning of its lifespan (same claim graph)."""
    for organisation, founded in sorted(graph.subject_objects(SCHEMA.foundingDate)):
        if not isinstance(founded, Literal) or founded.datatype not in IN_XSD:
            continue
        lifespan, beginning = interval_iri(organisation, "org"), hash_iri(organisation, "beginning")
        yield organisation, TIME.hasTime, lifespan
        yield lifespan, RDF.type, TIME.Interval
        yield lifespan, TIME.hasBeginning, beginning
        yield from instant_triples(beginning, founded)


def _figure_dates(graph: Graph, figures: frozenset) -> Iterator[Triple]:
    """A figure's date (``dcterms:date``) as an instant, ``#date`` (same claim graph)."""
    for figure, date in sorted(graph.subject_objects(DCTERMS.date)):
        if figure in figures and isinstance(date, Literal) and date.datatype in IN_XSD:
            yield figure, TIME.hasTime, hash_iri(figure, "date")
            yield from instant_triples(hash_iri(figure, "date"), date)


# --- The reading: from when, until when ------------------------------------------------------


def reading(default: Graph, thing: Timed, ends: dict) -> Iterator[Triple]:
    """``mlg:possiblyFrom``, ``mlg:certainlyFrom``, ``mlg:certainlyUntil``, ``mlg:possiblyUntil``
    of ``thing``'s interval (``docs/data-model.md`` says how to read them)."""
    interval = thing.interval
    if (interval, RDF.type, TIME.Interval) not in default:
        return
    beginnings = _bounds(default, default.objects(interval, TIME.hasBeginning))
    ends_given = _bounds(default, default.objects(interval, TIME.hasEnd))
    inside = _bounds(default, default.objects(interval, TIME.inside))
    possibly_until = [last for _first_day, last in ends_given]
    if thing.kind != "org" and thing.organisations and thing.organisations <= set(ends):
        cap = max(_last(ends[o]) for o in thing.organisations)
        possibly_until = [min(max(possibly_until, default=cap), cap)]
    days = {
        MLG.possiblyFrom: min((b[0] for b in beginnings), default=None),
        MLG.certainlyFrom: min((b[1] for b in (*beginnings, *inside)), default=None),
        MLG.certainlyUntil: max((b[0] for b in (*ends_given, *inside)), default=None),
        MLG.possiblyUntil: max(possibly_until, default=None),
    }
    for predicate in READING:
        if days[predicate] is not None:
            yield interval, predicate, as_date(days[predicate])


def _bounds(default: Graph, instants: Iterable) -> list[tuple[dt.date, dt.date]]:
    """The first and last day of each instant (from its ``mlg:earliestDate``/``latestDate``)."""
    found = []
    for node in instants:
        firsts = [dt.date.fromisoformat(str(v)) for v in default.objects(node, MLG.earliestDate)]
        lasts = [dt.date.fromisoformat(str(v)) for v in default.objects(node, MLG.latestDate)]
        if firsts and lasts:
            found.append((min(firsts), max(lasts)))
    return found
