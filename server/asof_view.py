"""A resource page as of a day (``?asOf=YYYY-MM-DD``): what holds, or is attested, then.

The statuses are those of ``maillage/asof.py``, over the days the build derived (contract C14);
this module finds, for each statement a page shows, the fact whose time it is:

- ``org:headOf``, ``org:memberOf``, ``org:hasMember``: the memberships behind them;
- ``org:hasSite``, ``org:hasPrimarySite``, ``org:siteOf``: the site's time;
- any other link to or from a membership (``org:memberDuring``), an organisation (its lifespan,
  ``time:hasTime``), an actual site (``time:hasTime``) or a figure (``mlg:observation``:
  attested, unknown within its date, or superseded by a later one of its measure and unit).

What does not hold is hidden; what is unknown is shown, marked so, with what the documents do
say; the rest (literals, names, classifications, documents, events and changes, and what an
event or a change says: it is about its own time) is timeless and shown. A page whose own
resource does not hold on the day says so in a banner. Only the HTML page is filtered.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import pyoxigraph as ox

from maillage.asof import (
    FigureDate,
    Mark,
    Reading,
    Status,
    When,
    any_status,
    figure_status,
    latest_figures,
    status,
    what_is_known,
)
from maillage.namespaces import DCTERMS, ORG, SCHEMA, TIME
from maillage.release_reader import DEFAULT, TYPE, ReleaseReader, named
from server.resource_view import Group, ResourceView, Row, Value

READING = ("possiblyFrom", "certainlyFrom", "certainlyUntil", "possiblyUntil")
"""Our terms for the days the build derives on an interval, in :class:`Reading`'s order."""
IN_XSD = tuple(named(TIME[name]) for name in ("inXSDDate", "inXSDgYearMonth", "inXSDgYear"))
MARKS = {
    "beginning": named(TIME.hasBeginning),
    "end": named(TIME.hasEnd),
    "attested": named(TIME.inside),
}
HAS_TIME, MEMBER_DURING = named(TIME.hasTime), named(ORG.memberDuring)
MEMBER, ORGANIZATION, ROLE = (named(ORG[n]) for n in ("member", "organization", "role"))
ROLE_PROPERTY, HEAD_OF = named(ORG.roleProperty), named(ORG.headOf)
CHANGED_BY, HAS_SITE = named(ORG.changedBy), named(ORG.hasSite)
ORIGINAL, RESULTING = named(ORG.originalOrganization), named(ORG.resultingOrganization)
FOUNDED, DISSOLVED = named(SCHEMA.foundingDate), named(SCHEMA.dissolutionDate)
DATE = named(DCTERMS.date)

MEMBERSHIP_LINKS = {str(ORG.headOf): True, str(ORG.memberOf): False, str(ORG.hasMember): False}
"""Statements memberships stand behind, and whether only head roles count."""
SITE_LINKS = {str(ORG.hasSite): "object", str(ORG.hasPrimarySite): "object"}
SITE_LINKS[str(ORG.siteOf)] = "subject"
KINDS = {
    str(ORG.Membership): "membership",
    str(ORG.Organization): "organisation",
    str(ORG.Site): "site",
    str(SCHEMA.Event): "timeless",
    str(SCHEMA.EventSeries): "timeless",
    str(ORG.ChangeEvent): "timeless",
}
"""Classes whose members have a time of their own (figures: ``mlg:Observation``, below)."""
FACT_VERBS = {
    Status.HOLDS: "Holds on",
    Status.DOES_NOT_HOLD: "Does not hold on",
    Status.UNKNOWN: "Unknown at",
}
FIGURE_VERBS = {
    Status.HOLDS: "Attested by",
    Status.DOES_NOT_HOLD: "Not yet attested on",
    Status.UNKNOWN: "Unknown at",
}
"""How a banner begins, for a membership or a site, and for a figure."""
OUR_PAGES = ("/id/", "/concept/")
"""Links that keep the day: to resource pages, which read it too."""


@dataclass
class Banner:
    """What a page says about its own resource on the day."""

    status: Status
    text: str
    links: list[Value] = field(default_factory=list)
    """The organisations a change the resource ended in resulted in."""


@dataclass
class AsOfPage:
    day: date
    banner: Banner | None
    hidden: int
    """Statements left out because they do not hold on the day."""


class AsOf:
    """The facts of one release, read as of one day."""

    def __init__(self, reader: ReleaseReader, day: date) -> None:
        self.reader = reader
        self.day = day
        self.observation = reader.term("observation").value
        self.defining = {*SITE_LINKS, self.observation}
        """Links to a site or a figure that make it what it is."""
        self.kinds_of = {**KINDS, reader.term("Observation").value: "figure"}
        self._kinds: dict[str, set[str]] = {}

    # --- What the release says ----------------------------------------------------------------

    def kinds(self, iri: str) -> set[str]:
        if iri not in self._kinds:
            types = self.reader.values(ox.NamedNode(iri), TYPE)
            self._kinds[iri] = {self.kinds_of[t.value] for t in types if t.value in self.kinds_of}
        return self._kinds[iri]

    def interval(self, iri: str) -> ox.NamedNode | None:
        node = ox.NamedNode(iri)
        found = self.reader.first(node, MEMBER_DURING) or self.reader.first(node, HAS_TIME)
        return found if isinstance(found, ox.NamedNode) else None

    def reading(self, interval: ox.NamedNode) -> Reading:
        days = [self.reader.first(interval, self.reader.term(name)) for name in READING]
        return Reading(*(None if d is None else _day(d) for d in days))

    def marks(self, interval: ox.NamedNode) -> list[Mark]:
        found = [
            self.mark(kind, instant)
            for kind, predicate in MARKS.items()
            for instant in self.reader.values(interval, predicate)
        ]
        return [m for m in found if m is not None]

    def mark(self, kind: str, instant) -> Mark | None:
        earliest, latest = self.bounds(instant)
        if earliest is None or latest is None:
            return None
        text = next((v.value for p in IN_XSD for v in self.reader.values(instant, p)), None)
        return Mark(kind, text or earliest.isoformat(), earliest, latest)

    def bounds(self, node) -> tuple[date | None, date | None]:
        found = [
            self.reader.first(node, self.reader.term(n)) for n in ("earliestDate", "latestDate")
        ]
        return tuple(None if d is None else _day(d) for d in found)

    def figure(self, iri: str) -> FigureDate:
        node = ox.NamedNode(iri)
        series = tuple(
            str(self.reader.first(node, self.reader.term(n))) for n in ("measure", "unit")
        )
        return FigureDate(iri, series, *self.bounds(node))

    # --- Statuses -----------------------------------------------------------------------------

    def of_fact(self, iri: str) -> When:
        """A membership, organisation or site, from its interval (unknown without one); a
        membership or a site does not hold on a day none of its organisations existed."""
        interval = self.interval(iri)
        if interval is None:
            when = When(Status.UNKNOWN, "no date known")
        else:
            reading = self.reading(interval)
            known = what_is_known(self.marks(interval), self.day, reading)
            when = When(status(reading, self.day), known)
        if when.status is Status.DOES_NOT_HOLD or "organisation" in self.kinds(iri):
            return when
        organisations = self.organisations_of(iri)
        absent = [o for o in organisations if self.of_fact(o.value).status is Status.DOES_NOT_HOLD]
        if organisations and len(absent) == len(organisations):
            names = ", ".join(self.name(o) for o in absent)
            return When(Status.DOES_NOT_HOLD, f"{names} did not exist then; {when.known}")
        return when

    def organisations_of(self, iri: str) -> list[ox.NamedNode]:
        """A membership's organisation, the organisations a site is a site of."""
        node = ox.NamedNode(iri)
        found = self.reader.values(node, ORGANIZATION)
        found += [q.subject for q in self.reader.quads(None, HAS_SITE, node, DEFAULT)]
        return [o for o in found if isinstance(o, ox.NamedNode)]

    def name(self, node: ox.NamedNode) -> str:
        label = self.reader.label(node)
        return label.value if label is not None else node.value

    def of_figure(self, iri: str, found: Status | None = None) -> When:
        figure = self.figure(iri)
        date_text = self.reader.first(ox.NamedNode(iri), DATE)
        known = "undated" if date_text is None else f"dated {date_text.value}"
        return When(found or figure_status(figure, self.day), known)

    def of_memberships(self, member: str, organisation: str, heads_only: bool) -> When | None:
        """The memberships of ``member`` in ``organisation`` (of a head role when
        ``heads_only``), read together; None when there is none."""
        found = [
            quad.subject.value
            for quad in self.reader.quads(None, MEMBER, ox.NamedNode(member), DEFAULT)
            if self.reader.first(quad.subject, ORGANIZATION) == ox.NamedNode(organisation)
            and (not heads_only or self.is_head(quad.subject))
        ]
        if not found:
            return None
        whens = [self.of_fact(m) for m in found]
        known = "; ".join(dict.fromkeys(p for w in whens for p in w.known.split("; ") if p))
        return When(any_status(w.status for w in whens), known)

    def is_head(self, membership) -> bool:
        return any(
            self.reader.first(role, ROLE_PROPERTY) == HEAD_OF
            for role in self.reader.values(membership, ROLE)
        )

    def of_statement(self, subject: str, predicate: str, obj: str, page: str) -> When | None:
        """The time of ``subject predicate obj`` shown on the page of ``page``; None when the
        statement is timeless, or is part of the page's own membership, site or figure (its
        banner says whether that held)."""
        if "timeless" in self.kinds(subject) or self.part_of_page(subject, predicate, obj, page):
            return None
        if predicate in MEMBERSHIP_LINKS:
            inverse = predicate == str(ORG.hasMember)
            member, organisation = (obj, subject) if inverse else (subject, obj)
            found = self.of_memberships(member, organisation, MEMBERSHIP_LINKS[predicate])
            if found is not None:
                return found
        if predicate in SITE_LINKS:
            site = obj if SITE_LINKS[predicate] == "object" else subject
            return self.of_fact(site) if self.interval(site) is not None else None
        other = obj if subject == page else subject
        kinds = self.kinds(other)
        if "figure" in kinds:
            return self.of_figure(other)
        if kinds & {"membership", "organisation"}:
            return self.of_fact(other)
        if "site" in kinds and self.interval(other) is not None:
            return self.of_fact(other)
        return None

    def part_of_page(self, subject: str, predicate: str, obj: str, page: str) -> bool:
        """A statement of a membership, site or figure page about its own fact: the membership's
        member, organisation and role, the site's organisation, the figure's subject."""
        if not self.kinds(page) & {"membership", "site", "figure"}:
            return False
        return subject == page or (obj == page and predicate in self.defining)

    # --- The page's own resource --------------------------------------------------------------

    def banner(self, iri: str, label: str, href) -> Banner | None:
        kinds = self.kinds(iri)
        if "organisation" in kinds:
            return self.organisation_banner(iri, label, href)
        if "figure" in kinds:
            when, verbs = self.of_figure(iri), FIGURE_VERBS
            known = f"this figure is {when.known}"
        elif "membership" in kinds or ("site" in kinds and self.interval(iri) is not None):
            when, verbs = self.of_fact(iri), FACT_VERBS
            known = when.known
        else:
            return None
        return Banner(when.status, f"{verbs[when.status]} {self.day.isoformat()}: {known}.")

    def organisation_banner(self, iri: str, label: str, href) -> Banner:
        node, day = ox.NamedNode(iri), self.day.isoformat()
        when = self.of_fact(iri)
        interval = self.interval(iri)
        reading = self.reading(interval) if interval is not None else Reading()
        if when.status is Status.HOLDS:
            return Banner(when.status, f"{label} existed on {day}: {when.known}.")
        if when.status is Status.UNKNOWN:
            return Banner(when.status, f"Unknown at {day} whether {label} existed: {when.known}.")
        if reading.possibly_from is not None and self.day < reading.possibly_from:
            founded = self.reader.first(node, FOUNDED)
            since = founded.value if founded is not None else reading.possibly_from.isoformat()
            return Banner(when.status, f"{label} did not exist yet on {day}: founded {since}.")
        dissolved = self.reader.first(node, DISSOLVED)
        on = dissolved.value if dissolved is not None else str(reading.possibly_until)
        results, merged = self.ended_in(node)
        if not results:
            return Banner(when.status, f"{label} no longer existed on {day}: dissolved on {on}.")
        verb = "merged into" if merged else "became"
        return Banner(
            when.status,
            f"{label} no longer existed on {day}. Dissolved on {on}: {verb}",
            [href(r) for r in results],
        )

    def ended_in(self, node: ox.NamedNode) -> tuple[list[ox.NamedNode], bool]:
        """The organisations the changes ``node`` is an original of resulted in, and whether one
        of them merged several."""
        results, merged = [], False
        for change in self.reader.values(node, CHANGED_BY):
            originals = self.reader.values(change, ORIGINAL)
            if node not in originals:
                continue
            results += [r for r in self.reader.values(change, RESULTING) if r != node]
            merged = merged or len(originals) > 1
        return results, merged


# --- The page -------------------------------------------------------------------------------------


def as_of_view(view: ResourceView, as_of: AsOf, value_of) -> tuple[ResourceView, AsOfPage]:
    """``view`` with what does not hold on the day left out and what is unknown marked; links to
    our resource pages keep the day. ``value_of(node)`` labels a banner's links."""
    day = f"asOf={as_of.day.isoformat()}"
    hidden = 0

    def kept_rows(rows: list[Row], outgoing: bool) -> list[Row]:
        nonlocal hidden
        kept = []
        for row in rows:
            shown, dropped = _filtered(as_of, row, view.iri, outgoing)
            hidden += dropped
            shown.values = [_keeping_day(v, day) for v in shown.values]
            if shown.values:
                kept.append(shown)
        return kept

    groups = [Group(g.title, kept_rows(g.rows, outgoing=True)) for g in view.groups]
    incoming = kept_rows(view.incoming, outgoing=False)
    banner = as_of.banner(view.iri, view.label.text, lambda n: _keeping_day(value_of(n), day))
    view = replace(view, groups=[g for g in groups if g.rows], incoming=incoming)
    return view, AsOfPage(as_of.day, banner, hidden)


def _filtered(as_of: AsOf, row: Row, page: str, outgoing: bool) -> tuple[Row, int]:
    """The row's values that hold or are unknown on the day, and how many were left out."""
    figures = _latest_figures(as_of, row) if outgoing else {}
    kept = []
    for value in row.values:
        if value.href is None or not as_of.reader.ours.path(value.term):
            kept.append(value)
            continue
        if value.term in figures:
            when: When | None = as_of.of_figure(value.term, figures[value.term])
        elif outgoing:
            when = as_of.of_statement(page, row.predicate, value.term, page)
        else:
            when = as_of.of_statement(value.term, row.predicate, page, page)
        if when is None:
            kept.append(value)
        elif when.status is not Status.DOES_NOT_HOLD:
            kept.append(replace(value, when=replace(when, day=as_of.day)))
    return replace(row, values=kept), len(row.values) - len(kept)


def _latest_figures(as_of: AsOf, row: Row) -> dict[str, Status]:
    """A subject's figures (``mlg:observation``), the earlier of one series superseded."""
    if row.predicate != as_of.observation:
        return {}
    figures = [as_of.figure(v.term) for v in row.values if "figure" in as_of.kinds(v.term)]
    return latest_figures(figures, as_of.day)


def _keeping_day(value: Value, day: str) -> Value:
    if value.href is None or not value.href.startswith(OUR_PAGES) or "?" in value.href:
        return value
    path, hash_, fragment = value.href.partition("#")
    return replace(value, href=f"{path}?{day}{hash_}{fragment}")


def _day(literal) -> date:
    return date.fromisoformat(literal.value)
