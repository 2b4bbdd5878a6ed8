"""The names we already publish, to link what a new text names: every label and alternative
label of the organisations, people, events and works (and territories) of a graph, looked up
as the search folds names (``maillage.ingest.names``).

Built from the live release (:meth:`Gazetteer.from_release`: its default graph, the dump
``maillage.nt.gz``) or from any rdflib graph (:meth:`Gazetteer.from_graph`: the evaluation
builds one from four documents' claims). Retired IRIs (``owl:deprecated``) are left out; every
reference of the graph is *taken*, so that a new resource never gets an IRI already used.
"""

from __future__ import annotations

import gzip
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.graph import ConjunctiveGraph

from maillage.identifiers import CANONICAL, Base
from maillage.ingest.names import key
from maillage.layout import DEFAULT_NTRIPLES
from maillage.namespaces import ENTITY_KINDS, OWL, PREFIXES, RDF, SKOS, TERRITORY_KINDS
from maillage.releases import release_of
from maillage.search import NAMES

Statement = tuple[str, str, str | None, str | None, str | None]
"""(subject, predicate, object IRI or None, literal text or None, its language or None)."""

NAMED_KINDS = ("org", "person", "event", "work", *TERRITORY_KINDS)
"""The resources whose names a text may use: not sites, memberships, figures or changes,
whose labels describe them (« Antenne de Digital 113 à Nîmes »)."""
ALTERNATIVE = {str(SKOS.altLabel), "http://schema.org/alternateName"}
NAME_PROPERTIES = {str(p) for p in NAMES}
CLASS_ORDER = (
    "org:Organization",
    "foaf:Person",
    "schema:Event",
    "mlg:Programme",
    "schema:SoftwareApplication",
    "schema:Product",
    "schema:Report",
    "igeo:Commune",
    "igeo:Departement",
    "igeo:Region",
)
"""The class a mention gets when its resource has several (an org:FormalOrganization is an
org:Organization; a schema:EventSeries a schema:Event): the first of these it has."""
NOT_NAMED = ("schema:Comment", "schema:ImageObject")
"""Works whose labels are captions, not names."""


@dataclass(frozen=True)
class Entry:
    ref: str
    """As in claim files: ``org/digital-place``."""
    name: str
    """The label or alternative label, as published."""
    cls: str
    preferred: bool
    """A label (``skos:prefLabel``, ``rdfs:label``…), not an alternative one."""
    label: str
    """The resource's label, to show (its first French preferred label)."""


@dataclass
class Gazetteer:
    entries: list[Entry]
    taken: frozenset[str]
    """Every reference the graph uses (retired ones included): not to be minted again."""
    origin: str
    """Where the names come from, for the proposals' ``proposed_by``."""
    by_key: dict[str, list[Entry]] = field(init=False)
    longest: int = field(init=False)

    def __post_init__(self) -> None:
        self.by_key = defaultdict(list)
        for entry in self.entries:
            if key(entry.name):
                self.by_key[key(entry.name)].append(entry)
        self.longest = max((len(e.name.split()) for e in self.entries), default=1) + 2

    def named(self, name_key: str) -> list[Entry]:
        return self.by_key.get(name_key, [])

    def labels(self) -> dict[str, Entry]:
        """One entry per resource (its label), for resemblance."""
        return {e.ref: e for e in self.entries if e.preferred}

    @classmethod
    def from_graph(cls, graph: Graph, base: str = CANONICAL.iri) -> Gazetteer:
        """From an rdflib graph, or every graph of a Dataset/ConjunctiveGraph."""
        if isinstance(graph, ConjunctiveGraph):
            triples = ((s, p, o) for s, p, o, _ in graph.quads((None, None, None, None)))
        else:
            triples = graph.triples((None, None, None))
        return cls.from_statements(
            _rdflib_statements(triples), Base(base), f"a graph of {len(graph)} statements"
        )

    @classmethod
    def from_release(cls, release_dir: Path, base: str = CANONICAL.iri) -> Gazetteer:
        """From a release's default graph (its ``maillage.nt.gz``)."""
        with gzip.open(release_dir / DEFAULT_NTRIPLES) as dump:
            quads = ox.parse(dump, format=ox.RdfFormat.N_TRIPLES)
            statements = list(_oxigraph_statements(quads))
        release = release_of(release_dir)
        return cls.from_statements(statements, Base(base), f"release {release}")

    @classmethod
    def from_statements(cls, statements: Iterable[Statement], base: Base, origin: str) -> Gazetteer:
        """From (subject, predicate, object IRI, literal text, its language) statements."""
        types: dict[str, set[str]] = defaultdict(set)
        names: dict[str, list[tuple[str, bool, str | None]]] = defaultdict(list)
        """ref → (name, preferred, language)"""
        retired: set[str] = set()
        taken: set[str] = set()
        for subject, predicate, iri, text, language in statements:
            ref = _reference(subject, base)
            if ref is None:
                continue
            taken.add(ref)
            if predicate == str(RDF.type) and iri:
                types[ref].add(_curie(iri))
            elif predicate == str(OWL.deprecated) and text == "true":
                retired.add(ref)
            elif predicate in NAME_PROPERTIES and text is not None:
                names[ref].append((text, predicate not in ALTERNATIVE, language))
        entries = []
        for ref in sorted(names.keys() - retired):
            if ref.partition("/")[0] not in NAMED_KINDS or types[ref] & set(NOT_NAMED):
                continue
            cls_ = next((c for c in CLASS_ORDER if c in types[ref]), None)
            if cls_ is None:
                continue
            label = _label(names[ref])
            entries += [
                Entry(ref, name, cls_, preferred, label)
                for name, preferred in sorted({(n, p) for n, p, _ in names[ref]})
            ]
        return cls(entries, frozenset(taken), origin)


def _label(names: list[tuple[str, bool, str | None]]) -> str:
    preferred = [n for n, p, lang in names if p and lang == "fr"] or [n for n, p, _ in names if p]
    return min(preferred or [n for n, _, _ in names])


def _reference(iri: str, base: Base) -> str | None:
    """``org/digital-place`` for an entity or territory IRI under the base; None otherwise."""
    path = base.path(iri)
    if not path or not path.startswith("id/") or "#" in path:
        return None
    ref = path[len("id/") :]
    return ref if ref.partition("/")[0] in (*ENTITY_KINDS, *TERRITORY_KINDS) else None


def _curie(iri: str) -> str:
    prefix, namespace = max(
        ((p, n) for p, n in PREFIXES.items() if iri.startswith(n)),
        key=lambda pn: len(pn[1]),
        default=(None, ""),
    )
    return f"{prefix}:{iri[len(namespace) :]}" if prefix else iri


def _rdflib_statements(triples) -> Iterator[Statement]:
    for s, p, o in triples:
        if isinstance(o, Literal):
            yield str(s), str(p), None, str(o), o.language
        else:
            yield str(s), str(p), str(o), None, None


def _oxigraph_statements(quads) -> Iterator[Statement]:
    for quad in quads:
        o = quad.object
        if isinstance(o, ox.Literal):
            yield quad.subject.value, quad.predicate.value, None, o.value, o.language
        else:
            yield quad.subject.value, quad.predicate.value, o.value, None, None
