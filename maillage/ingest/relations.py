"""The relations a list of claims states, per kind, as tuples two lists of claims compare on.

One function reads curated claims (``data/claims/NNN.yaml``) and proposed ones
(``Proposal.says``): each claim's ``says`` (reference → property → value(s), in the claim-file
syntax, as YAML loads it). The nodes of all the claims are merged first (a figure's value and its
date are often two claims), then each kind of relation of ``RELATION_KINDS`` is read off them:

=========== ======================================================================================
kind        tuples
=========== ======================================================================================
role        ``(member, organisation, role)`` of an ``org:Membership`` with ``org:role``
membership  ``(member, organisation)``: ``org:memberOf``, ``org:hasMember``, a Membership with no
            role
merger      ``(change, facet, value)``: ``original``/``resulting`` organisation, ``date``,
            ``plannedDate``
founding    ``(organisation, "date", date)``, ``(organisation, "place", territory)``
site        ``(organisation, link, commune)``: ``org:hasSite``, ``org:hasPrimarySite`` or
            ``mlg:plannedSite`` to a site, read as the commune it is in
event       ``(event, facet, value)``: ``startDate``, ``endDate``, ``location`` (a venue read as
            its commune), ``organizer``, ``performer``, ``superEvent``, ``eventStatus`` (that an
            event exists is an entity, measured by the entity recall, not a relation)
figure      ``(about, link, value, unit, qualifier)`` and ``(about, link, value, unit, "date",
            date)``; ``link`` is ``observation`` or ``target`` (a planned value)
=========== ======================================================================================

What does not count: the IRI spelling of a membership, site, figure or change node (they are
read by what they say), the labels (names are not relations), the classifications and themes.
What counts: the person, organisation and role; the value (``{int: 1200000}`` =
``{decimal: 1200000.0}``), unit and qualifier; dates at their precision (``{year: 2019}`` is not
``{date: 2019-02-05}``). Entities are compared by reference after :class:`Entities` has followed
them: a proposed new entity whose minted reference differs from the curated one but whose label
folds the same (:func:`words`, compared without their spaces: case, accents, hyphens,
apostrophes, punctuation and spaces ignored) stands for the curated one. Change and event nodes
are minted by curators and by the patterns alike, so :func:`compare` aligns them by content
before counting (see there).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from maillage.search import JOINERS, WORD, fold

Says = Mapping[str, Mapping[str, Any]]
Value = Any
"""A normalised value: a reference or term (``str``), ``Decimal``, or a tagged tuple
(``("year", "2019")``, ``("text", "digital 113")``, ``("interval", begin, end)``)."""
Nodes = dict[str, dict[str, set[Value]]]
"""Subject → property → values, merged over claims."""

KINDS = ("role", "membership", "merger", "founding", "site", "event", "figure")
"""The relation kinds of ``proposals.RELATION_KINDS`` (``entity`` declares, it relates nothing)."""
ALIGNED = ("merger", "event")
"""Kinds whose tuples start with a node that curators and patterns mint each their own way."""
NAMED_KINDS = ("org", "person", "event", "work")
"""References to named things, which a minted reference may stand for (by label)."""
TERRITORY_KINDS = ("commune", "departement", "region")
LABELS = (
    "skos:prefLabel",
    "skos:altLabel",
    "rdfs:label",
    "schema:name",
    "schema:alternateName",
    "foaf:name",
)
DATE_KINDS = ("date", "month", "year")
NUMBER_KINDS = ("int", "decimal")
TEXT_KINDS = ("fr", "en", "text")
SITE_LINKS = {"org:hasSite": "site", "org:hasPrimarySite": "primary", "mlg:plannedSite": "planned"}
EVENT_TYPES = {"schema:Event", "schema:EventSeries"}
EVENT_FACETS = {
    "schema:startDate": "startDate",
    "schema:endDate": "endDate",
    "schema:location": "location",
    "schema:organizer": "organizer",
    "schema:performer": "performer",
    "schema:superEvent": "superEvent",
    "schema:eventStatus": "eventStatus",
}
CHANGE_FACETS = {
    "org:originalOrganization": "original",
    "org:resultingOrganization": "resulting",
    "dcterms:date": "date",
    "mlg:plannedDate": "plannedDate",
}
FIGURE_LINKS = {"mlg:observation": "observation", "mlg:target": "target"}


def is_reference(value: object) -> bool:
    """``org/digital-113``, ``commune/31555`` (not ``role:president`` nor a literal)."""
    return isinstance(value, str) and "/" in value and ":" not in value


def ref_kind(ref: str) -> str:
    return ref.partition("/")[0]


def words(text: str) -> str:
    """A text folded to its words, one space between: ``« AD’OCC » Région`` → ``ad occ region``
    (case, accents, hyphens, apostrophes and punctuation ignored)."""
    return " ".join(WORD.findall(fold(JOINERS.sub(" ", text))))


def squeezed(label: str) -> str:
    """A folded label without its spaces: « Digital Place » = « DigitalPlace »."""
    return label.replace(" ", "")


# --- Values and nodes --------------------------------------------------------------------------


def normalise(raw: Any, resolve: Callable[[str], str]) -> Value:
    """A claim-file value as a comparable one: references followed, numbers as ``Decimal``,
    dates tagged with their precision, texts folded."""
    if isinstance(raw, str):
        text = raw.strip()
        return resolve(text) if is_reference(text) else text
    if isinstance(raw, dt.date):  # a date written unquoted outside {date: …}
        return ("date", raw.isoformat())
    if isinstance(raw, Mapping) and set(raw) <= {"begin", "end"} and raw:
        return ("interval", *(normalise(raw.get(end), resolve) for end in ("begin", "end")))
    if isinstance(raw, Mapping) and len(raw) == 1:
        ((kind, inner),) = raw.items()
        if kind in DATE_KINDS:
            return (kind, inner.isoformat() if isinstance(inner, dt.date) else str(inner))
        if kind in NUMBER_KINDS:
            return number(inner)
        if kind in TEXT_KINDS:
            return ("text", words(str(inner)))
        if kind == "iri":
            return ("iri", str(inner))
    if raw is None:
        return None
    return ("other", repr(raw))


def number(raw: object) -> Decimal | tuple[str, str]:
    try:
        return Decimal(str(raw).replace(",", "."))
    except InvalidOperation:
        return ("other", str(raw))


def values_of(raw: Any) -> list[Any]:
    return list(raw) if isinstance(raw, list) else [raw]


def merge(says_list: Iterable[Says], resolve: Callable[[str], str] | None = None) -> Nodes:
    """The nodes of every claim's ``says``, merged by subject (after following references)."""
    resolve = resolve or (lambda ref: ref)
    nodes: Nodes = {}
    for says in says_list:
        for subject, body in (says or {}).items():
            node = nodes.setdefault(resolve(str(subject)), {})
            for prop, raw in (body or {}).items():
                node.setdefault(str(prop), set()).update(
                    normalise(value, resolve) for value in values_of(raw)
                )
    return nodes


def labels(nodes: Nodes) -> dict[str, set[str]]:
    """Reference → its labels as :func:`words` folds them."""
    found: dict[str, set[str]] = {}
    for subject, node in nodes.items():
        for prop in LABELS:
            for value in node.get(prop, ()):
                if isinstance(value, tuple) and value[0] == "text" and value[1]:
                    found.setdefault(subject, set()).add(value[1])
    return found


def references(nodes: Nodes) -> set[str]:
    """Every reference the nodes use, as subject or as value."""
    found = set(nodes)
    for node in nodes.values():
        for values in node.values():
            found.update(v for v in values if is_reference(v))
    return found


# --- Relations ---------------------------------------------------------------------------------


@dataclass
class Relations:
    """What a list of claims states: kind → tuples, and the names of its event and change
    nodes (what :func:`compare` aligns them on)."""

    by_kind: dict[str, set[tuple]] = field(default_factory=lambda: {k: set() for k in KINDS})
    names: dict[str, set[str]] = field(default_factory=dict)

    def count(self) -> int:
        return sum(len(t) for t in self.by_kind.values())


def relations(
    says_list: Iterable[Says],
    resolve: Callable[[str], str] | None = None,
    context: Nodes | None = None,
) -> Relations:
    """The relations the claims state. ``resolve`` follows a reference to the one it stands for
    (:class:`Entities`); ``context`` holds nodes described elsewhere (a site's commune, written
    in another document's claims)."""
    nodes = merge(says_list, resolve)
    lookup = _Lookup(nodes, context or {})
    found = Relations()
    add = {kind: found.by_kind[kind].add for kind in KINDS}
    for subject, node in nodes.items():
        types = node.get("a", set())
        for tup in _roles_and_memberships(subject, node, types):
            add[tup[0]](tup[1:])
        for tup in _founding(subject, node):
            add["founding"](tup)
        for tup in _sites(subject, node, lookup):
            add["site"](tup)
        for tup in _figures(subject, node, lookup):
            add["figure"](tup)
        if "org:ChangeEvent" in types or ref_kind(subject) == "change":
            for tup in _facets(subject, node, CHANGE_FACETS, lookup):
                add["merger"](tup)
        if types & EVENT_TYPES or ref_kind(subject) == "event":
            for tup in _facets(subject, node, EVENT_FACETS, lookup):
                add["event"](tup)
    for subject in {t[0] for kind in ALIGNED for t in found.by_kind[kind]}:
        found.names[subject] = labels({subject: nodes.get(subject, {})}).get(subject, set())
    return found


@dataclass
class _Lookup:
    nodes: Nodes
    context: Nodes

    def values(self, ref: str, prop: str) -> set[Value]:
        return self.nodes.get(ref, {}).get(prop) or self.context.get(ref, {}).get(prop) or set()

    def place(self, ref: Value) -> Value:
        """A site or venue as the commune it is in (its own reference when that is unknown)."""
        if is_reference(ref) and ref_kind(ref) == "site":
            within = sorted(self.values(ref, "geo:sfWithin"), key=str)
            if within:
                return within[0]
        return ref

    def about(self, figure: str) -> list[tuple[str, str]]:
        """What links to a figure node, and how (``observation``/``target``)."""
        found = [
            (subject, link)
            for nodes in (self.nodes, self.context)
            for subject, node in nodes.items()
            for prop, link in FIGURE_LINKS.items()
            if figure in node.get(prop, ())
        ]
        return sorted(set(found)) or [(None, _figure_link(self.values(figure, "a")))]


def _figure_link(types: set[Value]) -> str:
    return "target" if "mlg:Target" in types else "observation"


def _roles_and_memberships(subject: str, node, types) -> Iterable[tuple]:
    if "org:Membership" in types or node.keys() >= {"org:member", "org:organization"}:
        for member in node.get("org:member", ()):
            for org in node.get("org:organization", ()):
                roles = node.get("org:role") or set()
                for role in roles:
                    yield ("role", member, org, role)
                if not roles:
                    yield ("membership", member, org)
    for org in node.get("org:memberOf", ()):
        yield ("membership", subject, org)
    for member in node.get("org:hasMember", ()):
        yield ("membership", member, subject)


def _founding(subject: str, node) -> Iterable[tuple]:
    for date in node.get("schema:foundingDate", ()):
        yield (subject, "date", date)
    for place in node.get("schema:foundingLocation", ()):
        yield (subject, "place", place)


def _sites(subject: str, node, lookup: _Lookup) -> Iterable[tuple]:
    for prop, link in SITE_LINKS.items():
        for site in node.get(prop, ()):
            yield (subject, link, lookup.place(site))


def _figures(subject: str, node, lookup: _Lookup) -> Iterable[tuple]:
    types = node.get("a", set())
    if not ({"mlg:Observation", "mlg:Target"} & types or "schema:value" in node):
        return
    units = sorted(node.get("mlg:unit", ()), key=str) or [None]
    qualifiers = sorted(node.get("mlg:qualifier", ()), key=str) or [None]
    for about, link in lookup.about(subject):
        for value in node.get("schema:value", ()):
            for unit in units:
                for qualifier in qualifiers:
                    yield (about, link, value, unit, qualifier)
                for date in node.get("dcterms:date", ()):
                    yield (about, link, value, unit, "date", date)


def _facets(subject: str, node, facets: dict[str, str], lookup: _Lookup) -> Iterable[tuple]:
    for prop, facet in facets.items():
        for value in node.get(prop, ()):
            yield (subject, facet, lookup.place(value) if facet == "location" else value)


# --- Following references ------------------------------------------------------------------------


@dataclass
class Entities:
    """Follows a proposed reference to the curated one it stands for.

    A reference the curated side knows (``known``: used by a curated claim, or a territory)
    stands for itself. A named thing's reference the curated side does not know (a new entity,
    minted) stands for the curated reference of the same kind whose label folds the same as one
    of its labels (its mention's text, its ``skos:prefLabel``/``schema:name``…), among ``new``:
    the curated entities new to the knowledge ingest linked against (proposing a known entity as
    new makes a duplicate, not the entity). ``new`` None: among every curated reference."""

    curated_labels: dict[str, set[str]]
    """Curated reference → folded labels."""
    known: set[str]
    new: set[str] | None = None
    proposed_labels: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_label: dict[str, list[str]] = {}
        for ref, folded in sorted(self.curated_labels.items()):
            if self.new is None or ref in self.new:
                for label in folded:
                    self._by_label.setdefault(squeezed(label), []).append(ref)

    def __call__(self, ref: str) -> str:
        if ref in self.known or ref_kind(ref) not in NAMED_KINDS:
            return ref
        for label in sorted(self.proposed_labels.get(ref, ())):
            same_kind = [
                r for r in self._by_label.get(squeezed(label), ()) if ref_kind(r) == ref_kind(ref)
            ]
            if same_kind:
                return same_kind[0]
        return ref

    def name(self, ref: str, label: str) -> None:
        """Record a label of a proposed reference (a mention's text)."""
        folded = words(label)
        if folded:
            self.proposed_labels.setdefault(ref, set()).add(folded)


# --- Comparing ---------------------------------------------------------------------------------


@dataclass
class Score:
    """One kind's comparison: what both state, what only the curated claims state (missed),
    what only the proposals state (extra)."""

    found: set[tuple]
    missed: set[tuple]
    extra: set[tuple]

    @property
    def curated(self) -> int:
        return len(self.found) + len(self.missed)

    @property
    def proposed(self) -> int:
        return len(self.found) + len(self.extra)

    @property
    def recall(self) -> float | None:
        return ratio(len(self.found), self.curated)

    @property
    def precision(self) -> float | None:
        return ratio(len(self.found), self.proposed)

    def parts(self) -> tuple[set[tuple], set[tuple], set[tuple]]:
        return self.found, self.missed, self.extra

    def __add__(self, other: Score) -> Score:
        pairs = zip(self.parts(), other.parts(), strict=True)
        return Score(*(mine | theirs for mine, theirs in pairs))

    def __radd__(self, other: object) -> Score:  # sum() starts from 0
        return self if other == 0 else NotImplemented


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def compare(curated: Relations, proposed: Relations) -> dict[str, Score]:
    """Per kind, the tuples both state, the missed and the extra ones. Change and event nodes
    of the proposals are first aligned with the curated ones (:func:`align`), and renamed in
    every tuple (a figure about a merger)."""
    renamed = align(curated, proposed)
    scores = {}
    for kind in KINDS:
        mine = curated.by_kind[kind]
        theirs = {_renamed(t, renamed) for t in proposed.by_kind[kind]}
        scores[kind] = Score(mine & theirs, mine - theirs, theirs - mine)
    return scores


def _renamed(tup: tuple, renamed: dict[str, str]) -> tuple:
    """The tuple with aligned nodes renamed wherever they are (a figure about a merger too)."""
    return tuple(renamed.get(v, v) if isinstance(v, str) else v for v in tup)


def align(curated: Relations, proposed: Relations) -> dict[str, str]:
    """Proposed change or event node → the curated node it stands for: the same reference, else
    a common name, else the curated node of the same kind with which it shares the most facets
    (one at least); each curated node taken once, best pairs first."""
    renamed: dict[str, str] = {}
    for kind in ALIGNED:
        mine = _facets_by_node(curated.by_kind[kind])
        theirs = _facets_by_node(proposed.by_kind[kind])
        taken = {node for node in theirs if node in mine}
        pairs = []
        for node, facets in theirs.items():
            if node in mine:
                continue
            for candidate, wanted in mine.items():
                shared = len(facets & wanted)
                named = bool(proposed.names.get(node, set()) & curated.names.get(candidate, set()))
                if shared or named:
                    pairs.append((-(shared + 2 * named), node, candidate))
        for _score, node, candidate in sorted(pairs):
            if node not in renamed and candidate not in taken:
                renamed[node] = candidate
                taken.add(candidate)
    return renamed


def _facets_by_node(tuples: set[tuple]) -> dict[str, set[tuple]]:
    nodes: dict[str, set[tuple]] = {}
    for node, *facet in tuples:
        nodes.setdefault(node, set()).add(tuple(facet))
    return nodes


def figure_values(rels: Relations) -> Counter:
    """The figures' ``(value, unit, qualifier)``, whatever they are about and when."""
    return Counter(
        (value, unit, qualifier)
        for _about, _link, value, unit, qualifier, *rest in rels.by_kind["figure"]
        if not rest
    )


def counter_score(curated: Counter, proposed: Counter) -> tuple[int, int, int]:
    """(found, curated, proposed) of two multisets."""
    return sum((curated & proposed).values()), sum(curated.values()), sum(proposed.values())


def show(tup: tuple) -> str:
    """A tuple as a curator reads it: ``org/digital-113 · observation · 350 · unit:member``."""
    return " · ".join(_show_value(v) for v in tup)


def _show_value(value: Value) -> str:
    if value is None:
        return "—"
    if isinstance(value, tuple):
        return "{" + ": ".join(_show_value(v) for v in value) + "}"
    return str(value)
