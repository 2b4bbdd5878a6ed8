"""Normalised bounds of dates published at source precision.

A document says "en 2019" or "juin 2019" as often as "le 5 février 2019", and we publish each at
its precision (``xsd:gYear``, ``xsd:gYearMonth``, ``xsd:date``). Engines disagree on such values:
``YEAR()`` of an ``xsd:gYear`` answers on pyoxigraph and is unbound in rdflib, and comparing a
``gYear`` with a date is an error. So each dated value also gets the first and the last day it
may mean, as ``xsd:date`` (``"2019"^^xsd:gYear`` → 2019-01-01 … 2019-12-31), on one pair of
properties per dated property. They are derived by the build from the dated value, never stated
by a document, and go into the graph of the triple they come from: its claim graph, or the
default graph for the dates of documents and reference data (territories).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator

from rdflib import DCTERMS, TIME, XSD, Graph, Literal

from maillage.namespaces import MLG, SCHEMA

BOUNDED = {
    DCTERMS.date: (MLG.earliestDate, MLG.latestDate),
    SCHEMA.foundingDate: (MLG.earliestFoundingDate, MLG.latestFoundingDate),
    SCHEMA.startDate: (MLG.earliestStartDate, MLG.latestStartDate),
    SCHEMA.endDate: (MLG.earliestEndDate, MLG.latestEndDate),
    SCHEMA.dateCreated: (MLG.earliestDateCreated, MLG.latestDateCreated),
    MLG.plannedDate: (MLG.earliestPlannedDate, MLG.latestPlannedDate),
    SCHEMA.dissolutionDate: (MLG.earliestDissolutionDate, MLG.latestDissolutionDate),
    TIME.inXSDDate: (MLG.earliestDate, MLG.latestDate),
    TIME.inXSDgYearMonth: (MLG.earliestDate, MLG.latestDate),
    TIME.inXSDgYear: (MLG.earliestDate, MLG.latestDate),
}
"""Each dated property and the pair of properties giving its value's first and last day (an
OWL-Time instant's ``time:inXSD…`` value has the bounds of a ``dcterms:date``)."""
IN_XSD = {
    XSD.date: TIME.inXSDDate,
    XSD.gYearMonth: TIME.inXSDgYearMonth,
    XSD.gYear: TIME.inXSDgYear,
}
"""The OWL-Time property that gives an instant at each precision (contract C14)."""


def as_date(day_: dt.date) -> Literal:
    return Literal(day_.isoformat(), datatype=XSD.date)


def date_bounds(subject, predicate, value) -> Iterator[tuple]:
    """The two bound triples of a dated triple (none for another triple)."""
    if predicate not in BOUNDED or not isinstance(value, Literal):
        return
    days = first_and_last_day(value)
    if days is None:
        return
    earliest, latest = BOUNDED[predicate]
    yield subject, earliest, as_date(days[0])
    yield subject, latest, as_date(days[1])


def first_and_last_day(value: Literal) -> tuple[dt.date, dt.date] | None:
    """The first and last day an ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear`` may mean."""
    text, datatype = str(value), value.datatype
    if datatype == XSD.date:
        day = dt.date.fromisoformat(text[:10])
        return day, day
    if datatype == XSD.gYearMonth:
        year, month = int(text[:4]), int(text[5:7])
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    if datatype == XSD.gYear:
        year = int(text[:4])
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    return None


def add_date_bounds(graph: Graph) -> None:
    """Add to ``graph`` the bounds of each of its dated triples."""
    for predicate in BOUNDED:
        for subject, value in list(graph.subject_objects(predicate)):
            for triple in date_bounds(subject, predicate, value):
                graph.add(triple)
