"""A resource's values for each property of the service (``vocabulary.PROPERTIES``): what data
extension returns and what property constraints are compared with. Classes, communes, INSEE codes,
family and kind come from the search index's ``facet`` table (the build placed each resource
there by the browse lists' rule, ``maillage/places.py``); the rest from the release's store, by
quad patterns on bound terms (no query text is assembled)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from maillage.namespaces import GEO, IGEO, ORG, SCHEMA, SKOS
from maillage.release_reader import ReleaseReader
from maillage.retired import Retired
from maillage.search import (
    FACET_CLASS,
    FACET_COMMUNE,
    FACET_FAMILY,
    FACET_INSEE,
    FACET_KIND,
    FACET_TABLE,
    NAME_TABLE,
    fold,
)
from server.reconcile.vocabulary import PROPERTY_BY_ID, TYPES
from server.search import SearchIndex


def node(term) -> ox.NamedNode:
    return ox.NamedNode(str(term))


ALT_NAMES = (node(SKOS.altLabel), node(SCHEMA.alternateName))
CODE = node(IGEO.codeINSEE)
DEFAULT = ox.DefaultGraph()


@dataclass(frozen=True)
class Value:
    """One value: an entity of ours (``ref`` its identifier, ``text`` its name), or a literal
    (``text``, its lexical form; ``kind`` says text, date or code)."""

    kind: str
    text: str
    ref: str = ""
    keys: tuple[str, ...] = ()
    """Other strings a supplied value may match it by, folded (an entity's names and codes)."""


class Values:
    """Property values and names of the release's resources."""

    def __init__(
        self,
        reader: ReleaseReader,
        index: SearchIndex,
        retired: Mapping[str, Retired] | None = None,
    ) -> None:
        self.reader = reader
        self.index = index
        self.retired = retired or {}
        """The release's retired IRIs (``maillage/retired.py``): never a candidate (the search
        index holds none), their values are their successor's."""
        self.readers: dict[str, Callable[[ox.NamedNode], list[Value]]] = {
            "name": self.name,
            "altLabel": lambda n: self.literals(n, ALT_NAMES, "text"),
            "description": lambda n: self.literals(n, (node(SCHEMA.description),), "text"),
            "family": lambda n: self.faceted(n, FACET_FAMILY),
            "kind": lambda n: self.faceted(n, FACET_KIND),
            "commune": lambda n: self.faceted(n, FACET_COMMUNE),
            "insee": self.insee,
            "foundingDate": lambda n: self.literals(n, (node(SCHEMA.foundingDate),), "date"),
            "dissolutionDate": lambda n: self.literals(n, (node(SCHEMA.dissolutionDate),), "date"),
            "site": lambda n: self.related(n, ORG.hasSite),
            "headOffice": lambda n: self.related(n, ORG.hasPrimarySite),
            "members": lambda n: self.related(n, ORG.hasMember),
            "memberOf": lambda n: self.related(n, ORG.memberOf),
            "heads": lambda n: self.entities(self.subjects(ORG.headOf, n)),
            "headOf": lambda n: self.related(n, ORG.headOf),
            "parent": lambda n: self.related(n, ORG.subOrganizationOf),
            "subOrganizations": lambda n: self.related(n, ORG.hasSubOrganization),
            "mergedFrom": lambda n: self.changed(n, ORG.resultedFrom, ORG.originalOrganization),
            "mergedInto": lambda n: self.changed(n, ORG.changedBy, ORG.resultingOrganization),
            "funder": lambda n: self.related(n, SCHEMA.funder),
            "organizer": lambda n: self.related(n, SCHEMA.organizer),
            "location": lambda n: self.related(n, SCHEMA.location),
            "startDate": lambda n: self.literals(n, (node(SCHEMA.startDate),), "date"),
            "endDate": lambda n: self.literals(n, (node(SCHEMA.endDate),), "date"),
            "within": lambda n: self.related(n, GEO.sfWithin),
        }
        assert set(self.readers) == set(PROPERTY_BY_ID), "a property without a reader"

    # --- What the protocol asks ---------------------------------------------------------------

    def of(self, iri: str, property_id: str) -> list[Value]:
        return self.readers[property_id](ox.NamedNode(iri))

    def names(self, iri: str) -> list[str]:
        """Every name of a resource (the search index's name table)."""
        sql = f"SELECT name FROM {NAME_TABLE} WHERE iri = ?"
        with self.index.lock:
            return [name for (name,) in self.index.connection.execute(sql, (iri,))]

    def label(self, iri: str) -> str:
        literal = self.reader.label(ox.NamedNode(iri))
        return literal.value if literal is not None else iri

    def types(self, iri: str) -> list[str]:
        """The service's types the resource has (``vocabulary.TYPES`` order)."""
        classes = {value for value, _ in self.facet(iri, FACET_CLASS)}
        return [t.iri for t in TYPES if t.iri in classes]

    def facet(self, iri: str, facet: str) -> list[tuple[str, str]]:
        """``(value, label)`` of each row of the facet table for a resource and a facet."""
        sql = f"SELECT value, label FROM {FACET_TABLE} WHERE iri = ? AND +facet = ? ORDER BY value"
        with self.index.lock:
            return self.index.connection.execute(sql, (iri, facet)).fetchall()

    def ref(self, iri: str) -> str:
        """The identifier of a resource in the protocol: its path under the base."""
        return self.reader.ours.path(iri) or iri

    def iri(self, ref: str) -> str | None:
        """The IRI an identifier stands for (a path under the base, or an IRI of ours); None
        when it cannot be one (``Digital 1``, typed into a suggest box, is no identifier)."""
        iri = ref if self.reader.ours.path(ref) is not None else self.reader.ours.at(ref)
        try:
            ox.NamedNode(iri)
        except ValueError:
            return None
        return iri

    def current(self, ref: str) -> str | None:
        """The IRI an identifier stands for now: :meth:`iri`, or a replaced IRI's successor;
        None when it is withdrawn (nothing holds its values any more) or no identifier."""
        iri = self.iri(ref)
        retired = self.retired.get(iri) if iri is not None else None
        return iri if retired is None else retired.successor

    # --- Readers ------------------------------------------------------------------------------

    def name(self, subject: ox.NamedNode) -> list[Value]:
        label = self.reader.label(subject)
        return [Value("text", label.value)] if label is not None else []

    def literals(self, subject: ox.NamedNode, predicates, kind: str) -> list[Value]:
        found = (
            o.value
            for predicate in predicates
            for o in self.reader.values(subject, predicate)
            if isinstance(o, ox.Literal)
        )
        return [Value(kind, text) for text in dict.fromkeys(found)]

    def related(self, subject: ox.NamedNode, predicate) -> list[Value]:
        return self.entities(
            o for o in self.reader.values(subject, node(predicate)) if isinstance(o, ox.NamedNode)
        )

    def subjects(self, predicate, obj: ox.NamedNode) -> list[ox.NamedNode]:
        found = (q.subject for q in self.reader.quads(None, node(predicate), obj, DEFAULT))
        return sorted({s for s in found if isinstance(s, ox.NamedNode)}, key=lambda s: s.value)

    def changed(self, subject: ox.NamedNode, to_change, to_other) -> list[Value]:
        """The other organisations of the changes a link leads to (a merger's originals, or its
        result)."""
        others = (
            other
            for change in self.reader.values(subject, node(to_change))
            for other in self.reader.values(change, node(to_other))
            if isinstance(other, ox.NamedNode) and other != subject
        )
        return self.entities(others)

    def faceted(self, subject: ox.NamedNode, facet: str) -> list[Value]:
        """A facet's values as entities (communes, concepts), with their labels."""
        return [
            self.entity(ox.NamedNode(value), label)
            for value, label in self.facet(subject.value, facet)
        ]

    def insee(self, subject: ox.NamedNode) -> list[Value]:
        """A territory's own code, else those of the communes the resource is in."""
        own = self.literals(subject, (CODE,), "code")
        found = [v for v, _ in self.facet(subject.value, FACET_INSEE)]
        return own or [Value("code", code) for code in dict.fromkeys(found)]

    def entities(self, nodes: Iterable[ox.NamedNode]) -> list[Value]:
        unique = dict.fromkeys(nodes)
        return [self.entity(n) for n in unique]

    def entity(self, subject: ox.NamedNode, label: str = "") -> Value:
        names = self.names(subject.value)
        codes = [o.value for o in self.reader.values(subject, CODE) if isinstance(o, ox.Literal)]
        keys = tuple(dict.fromkeys(fold(k) for k in [*names, *codes, label] if k))
        return Value("entity", label or self.label(subject.value), self.ref(subject.value), keys)
