"""The timeline of a release: every dated fact the documents state (foundings and ends, changes,
events, memberships begun, ended or attested, figures, other dated works) and each document's
date, placed by the first and the last day its date may mean (the bounds the build derives,
contract C14), with the claims that state it.

Read through the release's one reader (``maillage/release_reader.py``), with quad patterns as it
does. Which properties are dated, and which properties bound them, is read from the release's own
vocabulary (``mlg:boundOf``), so a dated property added to the contract is placed without a change
here. A date is shown at the precision of its source: ``2019`` spans the year, ``2017-03`` the
month. A fact without a date (every fact of an undated document that carries no date of its own)
has no place on a timeline.

An organisation's timeline holds what is linked to it (its founding, its figures, its
memberships, the changes and events it takes part in), what is linked to those changes and
events in turn (their sub-events, series and figures, the events about a change), up to
:data:`REACH` links away, and the documents that state something about it.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, FOAF, TIME, XSD

from maillage.namespaces import ORG, SCHEMA
from maillage.release_reader import (
    DEFAULT,
    TYPE,
    ClaimRef,
    DocumentInfo,
    ReleaseReader,
    by_rank,
    named,
)

KINDS = (
    ("document", "Documents", (FOAF.Document,)),
    ("organisation", "Organisations", (ORG.Organization,)),
    ("change", "Changes", (ORG.ChangeEvent,)),
    ("event", "Events", (SCHEMA.Event, SCHEMA.EventSeries)),
    ("membership", "Memberships", (ORG.Membership,)),
    ("figure", "Figures", ("Observation",)),
    ("other", "Other dated facts", ()),
)
"""Each kind of item: its key, the title of its row, and the classes of the resources it holds
(in this order: the first class a resource has decides); a bare name is a term of ours."""
TITLES = {key: title for key, title, _classes in KINDS}

WHAT = {
    str(SCHEMA.foundingDate): "founded",
    str(SCHEMA.dissolutionDate): "ended",
    str(SCHEMA.startDate): "held",
    str(SCHEMA.endDate): "ends",
    str(SCHEMA.dateCreated): "created",
    "plannedDate": "planned for",
}
"""What a dated property says of its date, in a few words put before it (``founded 2011``); a
bare name is a term of ours. ``dcterms:date`` says it by kind (:data:`DATED`)."""
DATED = {"document": "published", "figure": "as of", "change": "took place"}
"""What ``dcterms:date`` (or any dated property not in :data:`WHAT`) says, by kind of item."""
SPAN = (str(SCHEMA.startDate), str(SCHEMA.endDate))
"""The two dated properties that make one item spanning from the first to the second."""

DISSOLUTION = str(SCHEMA.dissolutionDate)
"""Derived by the build from the date of the change that ended the organisation (C14)."""
MEMBERSHIP_TIMES = (
    (TIME.hasBeginning, "began"),
    (TIME.hasEnd, "ended"),
    (TIME.inside, "attested"),
)
"""What a membership's interval (``org:memberDuring``) says at each of its instants."""

PRECISIONS = {
    str(XSD.date): "day",
    str(XSD.gYearMonth): "month",
    str(XSD.gYear): "year",
}
"""How precise a dated value is, from its datatype."""

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""The months' names on the pages (English, whatever the server's locale)."""

PASSING = tuple(named(c) for c in (SCHEMA.Event, SCHEMA.EventSeries, ORG.ChangeEvent))
"""What an organisation's timeline reaches through: its events and changes lead to theirs."""
REACH = 3
"""How many links away from an organisation its timeline looks."""
INSTANT = named(TIME.Instant)
"""The time model's instants: placed through what they date (memberships), not on their own."""


@dataclass(frozen=True)
class Moment:
    """A date as the source gives it, and the first and last day it may mean."""

    value: str
    """As published: ``2019-02-05``, ``2017-03`` or ``2019``."""
    precision: str
    """``day``, ``month`` or ``year``."""
    earliest: dt.date
    latest: dt.date

    @property
    def text(self) -> str:
        """``5 February 2019``, ``March 2017``, ``2019``."""
        month = f"{MONTHS[self.earliest.month - 1]} {self.earliest.year}"
        if self.precision == "day":
            return f"{self.earliest.day} {month}"
        if self.precision == "month":
            return month
        return self.value[:4] if self.precision == "year" else self.value

    def as_json(self) -> dict:
        return {
            "value": self.value,
            "precision": self.precision,
            "earliest": self.earliest.isoformat(),
            "latest": self.latest.isoformat(),
        }


@dataclass(frozen=True)
class Source:
    """A claim that states an item, and its quote."""

    ref: ClaimRef
    quote: str


@dataclass(frozen=True)
class Item:
    key: str
    """Unique on a timeline, usable as an HTML id: ``change-fusion-digital-113-date`` (the
    resource's path and the dated property's name)."""
    kind: str
    """One of :data:`KINDS`."""
    property: str
    """The dated property (of the resource) that gives the date."""
    what: str
    """What happened at the date: ``founded``, ``planned for``… (:data:`WHAT`)."""
    resource: str
    label: ox.Literal | None
    start: Moment
    end: Moment | None
    """The end of an item that spans (an event with its end date), else None."""
    sources: tuple[Source, ...]
    detail: str = ""
    """A figure's value (``plus de 350``), a document's publisher."""
    unit: str = ""
    """A figure's unit (``member``)."""
    instant: str | None = None
    """For a membership's beginning, end or attestation: the ``time:Instant`` that dates it."""

    @property
    def title(self) -> str:
        return TITLES[self.kind]

    @property
    def first_day(self) -> dt.date:
        return self.start.earliest

    @property
    def last_day(self) -> dt.date:
        return (self.end or self.start).latest


class Timeline:
    """The dated items of one release, read once (a release never changes under its reader)."""

    def __init__(self, reader: ReleaseReader) -> None:
        self.reader = reader
        self.classes = [(key, {self.term(c) for c in classes}) for key, _t, classes in KINDS]
        self.what = {self.term(p).value: phrase for p, phrase in WHAT.items()}
        self._lock = threading.Lock()
        self._items: list[Item] | None = None

    def term(self, name) -> ox.NamedNode:
        """An IRI of another vocabulary, or a bare name: a term of ours (under our base)."""
        return self.reader.term(name) if ":" not in str(name) else named(name)

    # --- Public -------------------------------------------------------------------------------

    def items(self) -> list[Item]:
        """Every item of the release, in the order of their dates."""
        with self._lock:
            if self._items is None:
                self._items = sorted(self._read_items(), key=_order)
        return self._items

    def is_organisation(self, iri: str) -> bool:
        try:
            node = ox.NamedNode(iri)
        except ValueError:  # not an IRI (a control character, a space): no organisation
            return False
        return named(ORG.Organization) in self.reader.values(node, TYPE)

    def of_organisation(self, iri: str) -> list[Item]:
        """The items of an organisation's timeline (see the module's description)."""
        related = self.related(iri)
        documents = self.documents_about(iri)
        return [
            item
            for item in self.items()
            if (item.resource in documents if item.kind == "document" else item.resource in related)
        ]

    def undated_documents(self) -> list[DocumentInfo]:
        """The documents without a date: their facts are placed only by dates of their own."""
        return [d for d in self.reader.documents() if not d.date]

    def undated_events(self, within: set[str] | None = None) -> list[tuple[str, ox.Literal | None]]:
        """The events no document dates (not the series: their editions are), among ``within``
        when given: named under a timeline, never placed on it. Their IRIs and names."""
        placed = {item.resource for item in self.items()}
        series = named(SCHEMA.EventSeries)
        found = [
            (quad.subject.value, self.reader.label(quad.subject, "fr"))
            for quad in self.reader.quads(None, TYPE, named(SCHEMA.Event), DEFAULT)
            if quad.subject.value not in placed
            and (within is None or quad.subject.value in within)
            and series not in self.reader.values(quad.subject, TYPE)
        ]
        return sorted(found, key=lambda e: (e[1].value if e[1] else e[0]).casefold())

    # --- Reading the release ------------------------------------------------------------------

    def bounds(self) -> dict[str, tuple[ox.NamedNode, ox.NamedNode]]:
        """Each dated property and the properties of its first and last day (``mlg:boundOf``
        in the release's vocabulary; ``earliest…`` and ``latest…`` by name)."""
        found: dict[str, dict[str, ox.NamedNode]] = {}
        for quad in self.reader.quads(None, self.reader.term("boundOf"), None, DEFAULT):
            name = self.reader.ours.term_name(quad.subject.value) or ""
            end = "earliest" if name.startswith("earliest") else "latest"
            if name.startswith(("earliest", "latest")):
                found.setdefault(quad.object.value, {})[end] = quad.subject
        return {p: (b["earliest"], b["latest"]) for p, b in found.items() if len(b) == 2}

    def _read_items(self) -> list[Item]:
        dated = self.dated()
        items = []
        for subject, moments in sorted(dated.items(), key=lambda s: s[0].value):
            items.extend(self.items_of(subject, moments))
        items.extend(self.membership_items(dated))
        return items

    def dated(self) -> dict[ox.NamedNode, dict[str, Moment]]:
        """Every resource with a dated value, and its moments by dated property."""
        dated: dict[ox.NamedNode, dict[str, Moment]] = {}
        for predicate, (earliest, latest) in self.bounds().items():
            for quad in self.reader.quads(None, ox.NamedNode(predicate), None, DEFAULT):
                moment = self.moment(quad.subject, quad.object, earliest, latest)
                if isinstance(quad.subject, ox.NamedNode) and moment is not None:
                    dated.setdefault(quad.subject, {})[predicate] = moment
        return dated

    def moment(self, subject, value, earliest, latest) -> Moment | None:
        if not isinstance(value, ox.Literal) or value.datatype.value not in PRECISIONS:
            return None
        first, last = self.reader.first(subject, earliest), self.reader.first(subject, latest)
        if first is None or last is None:
            return None
        return Moment(
            value.value,
            PRECISIONS[value.datatype.value],
            dt.date.fromisoformat(first.value),
            dt.date.fromisoformat(last.value),
        )

    def items_of(self, subject: ox.NamedNode, moments: dict[str, Moment]) -> list[Item]:
        """The items of one dated resource: one per dated property, a start and its end as one
        item. Only what a claim states, and documents' dates, are placed (not reference data)."""
        types = self.reader.values(subject, TYPE)
        if INSTANT in types:
            return []
        kind = self.kind_of(types)
        sources = self.reader.statement_sources(subject.value)
        detail, unit = self.detail(subject, kind)
        common = {"kind": kind, "resource": subject.value, "detail": detail, "unit": unit}
        common["label"] = self.reader.label(subject, "fr")
        items = []
        for predicate, moment in sorted(moments.items()):
            end = moments.get(SPAN[1]) if predicate == SPAN[0] else None
            if predicate == SPAN[1] and SPAN[0] in moments:
                continue  # part of the start's item
            dated = [(predicate, moment)] + ([(SPAN[1], end)] if end else [])
            claims, said = self.claims_of(subject, dated, sources), {}
            if not claims and predicate == DISSOLUTION:
                claims, said["detail"] = self.ended_by_change(subject, moment)
            if not claims and kind != "document":
                continue
            what = self.what.get(predicate) or DATED.get(kind, "dated")
            key = self.key_of(subject, predicate)
            items.append(
                Item(
                    key,
                    property=predicate,
                    what=what,
                    start=moment,
                    end=end,
                    sources=claims,
                    **{**common, **said},
                )
            )
        return items

    def key_of(self, subject: ox.NamedNode, predicate: str) -> str:
        """``change-fusion-digital-113-date``: the resource's path and the property's name."""
        return f"{self.slug_of(subject)}-{predicate.rsplit('/', 1)[-1].rsplit('#', 1)[-1]}"

    def slug_of(self, node: ox.NamedNode) -> str:
        """``document-003-date`` for ``{base}id/document/003#date``: usable as an HTML id."""
        path = (self.reader.ours.path(node.value) or node.value).removeprefix("id/")
        return path.replace("/", "-").replace("#", "-")

    def ended_by_change(self, organisation: ox.NamedNode, moment: Moment):
        """The claims that date the change an organisation ended in (its dissolution date is
        derived from that date, C14), and the change's name."""
        changes = self.reader.quads(None, named(ORG.originalOrganization), organisation, DEFAULT)
        for change in sorted({q.subject for q in changes}, key=lambda n: n.value):
            if organisation in self.reader.values(change, named(ORG.resultingOrganization)):
                continue
            date = self.reader.first(change, named(DCTERMS.date))
            if date is not None and date.value == moment.value:
                sources = self.reader.statement_sources(change.value)
                claims = self.claims_of(change, [(str(DCTERMS.date), moment)], sources)
                label = self.reader.label(change, "fr")
                return claims, label.value if label is not None else change.value
        return (), ""

    def membership_items(self, dated: dict[ox.NamedNode, dict[str, Moment]]) -> list[Item]:
        """A membership began, ended, or is attested (``time:inside``) at an instant: one item
        each, cited by the claims whose graphs hold that link (contract C14)."""
        items = []
        for quad in self.reader.quads(None, named(ORG.memberDuring), None, DEFAULT):
            membership, interval = quad.subject, quad.object
            label = self.reader.label(membership, "fr")
            for predicate, what in MEMBERSHIP_TIMES:
                for instant in self.reader.values(interval, named(predicate)):
                    moments = list(dated.get(instant, {}).values())
                    refs = self.graphs_holding(interval, named(predicate), instant)
                    if not moments or not refs:
                        continue
                    key = f"{self.slug_of(membership)}-{what}-{self.slug_of(instant)}"
                    items.append(
                        Item(
                            key,
                            "membership",
                            str(predicate),
                            what,
                            membership.value,
                            label,
                            moments[0],
                            None,
                            tuple(Source(ref, self.quote(ref)) for ref in refs),
                            instant=instant.value,
                        )
                    )
        return items

    def graphs_holding(self, subject, predicate, value) -> list[ClaimRef]:
        """The claims whose graphs hold a statement, best rank first."""
        refs = (
            self.reader.claim_ref(q.graph_name)
            for q in self.reader.store.quads_for_pattern(subject, predicate, value, None)
            if isinstance(q.graph_name, ox.NamedNode)
        )
        return sorted({r for r in refs if r is not None}, key=by_rank)

    def claims_of(self, subject, dated: list[tuple[str, Moment]], sources) -> tuple[Source, ...]:
        """The claims that state these dated values of ``subject``, best rank first."""
        refs: set[ClaimRef] = set()
        for triple, claims in sources.items():
            if triple.subject != subject:
                continue
            for predicate, moment in dated:
                if triple.predicate.value == predicate and triple.object.value == moment.value:
                    refs.update(claims)
        return tuple(Source(ref, self.quote(ref)) for ref in sorted(refs, key=by_rank))

    def quote(self, ref: ClaimRef) -> str:
        claim = self.reader.claim(ref.iri)
        return claim.exact if claim is not None else ""

    def detail(self, subject: ox.NamedNode, kind: str) -> tuple[str, str]:
        """A figure's value with the text's qualifier (``plus de 350``) and its unit (in English,
        as the page's words are); a document's publisher."""
        if kind == "document":
            return self.reader.document_info(subject.value).publisher, ""
        value = self.reader.first(subject, named(SCHEMA.value))
        if kind != "figure" or value is None:
            return "", ""
        qualifier = self.reader.first(subject, self.reader.term("qualifier"))
        unit = self.reader.first(subject, self.reader.term("unit"))
        said = self.reader.label(qualifier, "fr") if qualifier is not None else None
        unit_label = self.reader.label(unit, "en") if unit is not None else None
        detail = " ".join(t for t in (said.value if said else "", number(value.value)) if t)
        return detail, unit_label.value if unit_label is not None else ""

    def kind_of(self, types: list) -> str:
        for key, classes in self.classes:
            if classes.intersection(types):
                return key
        return "other"

    # --- An organisation's reach --------------------------------------------------------------

    def related(self, iri: str) -> set[str]:
        """``iri`` and the resources up to :data:`REACH` links away, through events and changes
        only (a person or a place does not lead further)."""
        start = ox.NamedNode(iri)
        seen, frontier = {start}, [start]
        for depth in range(REACH):
            found = []
            for node in frontier:
                if depth and not any(t in PASSING for t in self.reader.values(node, TYPE)):
                    continue
                for neighbour in self.neighbours(node):
                    if neighbour not in seen:
                        seen.add(neighbour)
                        found.append(neighbour)
            frontier = found
        return {node.value for node in seen}

    def neighbours(self, node: ox.NamedNode) -> set[ox.NamedNode]:
        """Our resources linked with ``node`` in the default graph, either way."""
        ours = self.reader.ours.ids
        linked = {
            q.object for q in self.reader.quads(node, None, None, DEFAULT) if q.predicate != TYPE
        }
        linked |= {q.subject for q in self.reader.quads(None, None, node, DEFAULT)}
        return {n for n in linked if isinstance(n, ox.NamedNode) and n.value.startswith(ours)}

    def documents_about(self, iri: str) -> set[str]:
        """The documents with a claim that states something about ``iri``."""
        ids = {ref.document for refs in self.reader.statement_sources(iri).values() for ref in refs}
        return {self.reader.ours.document(doc_id) for doc_id in ids}


def number(text: str) -> str:
    """``52500`` → ``52 500`` (a narrow no-break space); other values as they are."""
    try:
        return f"{int(text):,}".replace(",", "\u202f")
    except ValueError:
        return text


def _order(item: Item) -> tuple:
    kinds = [key for key, _title, _classes in KINDS]
    return (item.first_day, item.last_day, kinds.index(item.kind), item.key)
