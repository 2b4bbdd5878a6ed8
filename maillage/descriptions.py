"""What a dereferenced IRI of our namespace returns: its description.

A description holds the resource's own statements, the labels of the resources it points to,
its incoming links with the labels of their subjects, and, for every statement, the claims that
assert it (their named graphs) with their quote and document. It is an RDF dataset: the default
part holds what the default graph says (statements, labels, claim metadata and quotes); the
named part repeats each statement inside the claim graphs that assert it, so TriG, N-Quads and
JSON-LD keep which claim says what. A statement only a deprecated claim makes appears in the
named part alone.

Descriptions depend on the release only, so a caller may compute them once per release and keep
them (the server caches them; ``iris()`` lists every IRI to precompute). Every lookup is a
``quads_for_pattern`` with bound terms on the release's reader (``maillage/release_reader.py``):
no SPARQL text is built.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from maillage.namespaces import MLG, OA, RDFS, SKOS
from maillage.release_reader import DEFAULT, DERIVED_FROM, ReleaseReader, preferred

LABEL_PROPERTIES = (ox.NamedNode(str(RDFS.label)), ox.NamedNode(str(SKOS.prefLabel)))
QUOTE = ox.NamedNode(str(MLG.quote))
RANK = ox.NamedNode(str(MLG.rank))
EXACT = ox.NamedNode(str(OA.exact))


@dataclass(frozen=True)
class Statement:
    """One triple around the described resource, and the claim graphs that state it."""

    subject: ox.NamedNode | ox.BlankNode
    predicate: ox.NamedNode
    object: ox.NamedNode | ox.BlankNode | ox.Literal
    asserted: bool
    """In the default graph; false when only deprecated claims state it."""
    claims: tuple[str, ...]
    """IRIs of the claim graphs holding it, sorted."""


@dataclass(frozen=True)
class ClaimSummary:
    iri: str
    quote: str | None
    document: str | None
    rank: str | None


@dataclass(frozen=True)
class Description:
    iri: str
    outgoing: tuple[Statement, ...]
    incoming: tuple[Statement, ...]
    claims: dict[str, ClaimSummary]
    labels: dict[str, tuple[ox.Literal, ...]]
    graph: tuple[ox.Quad, ...]
    """The content of the named graph this IRI names (claims), else empty."""
    default_part: tuple[ox.Triple, ...]
    named_part: tuple[ox.Quad, ...] = field(default=())

    def label(self, iri: str, lang: str = "fr") -> str | None:
        """The label of ``iri`` the description carries, chosen as the pages choose."""
        found = preferred(list(self.labels.get(iri, ())), lang)
        return found.value if found is not None else None

    @property
    def quads(self) -> list[ox.Quad]:
        """The whole description as a dataset, sorted."""
        default = [ox.Quad(t.subject, t.predicate, t.object, DEFAULT) for t in self.default_part]
        return default + list(self.named_part)

    @property
    def triples(self) -> list[ox.Triple]:
        """The default part alone, for formats without named graphs."""
        return list(self.default_part)


class Descriptions:
    """Builds descriptions from a release, through its reader."""

    def __init__(self, reader: ReleaseReader) -> None:
        self.reader = reader
        self.quads = reader.quads
        self.exists = reader.exists
        self.iris = reader.iris

    def describe(self, iri: str) -> Description | None:
        if not self.exists(iri):
            return None
        node = ox.NamedNode(iri)
        outgoing = _statements(self.quads(node))
        incoming = _statements(self.quads(None, None, node))
        hashed = [q for h in self._hash_nodes(node) for q in self.quads(h)]
        graph = tuple(sorted(self.reader.store.quads_for_pattern(None, None, None, node), key=str))
        claim_iris = sorted({c for s in (*outgoing, *incoming) for c in s.claims})
        claim_triples = [t for c in claim_iris for t in self._claim_triples(ox.NamedNode(c))]
        claims = {c: _claim_summary(c, claim_triples) for c in claim_iris}
        mentioned = _mentioned(outgoing, incoming, graph, claim_triples)
        label_triples = [t for m in sorted(mentioned) for t in self._labels(ox.NamedNode(m))]
        default = {
            *(_triple(s) for s in (*outgoing, *incoming) if s.asserted),
            *claim_triples,
            *label_triples,
            *self.reader.whole.get(iri, ()),
            *(q.triple for q in hashed if isinstance(q.graph_name, ox.DefaultGraph)),
        }
        named = {
            *(
                ox.Quad(s.subject, s.predicate, s.object, ox.NamedNode(c))
                for s in (*outgoing, *incoming)
                for c in s.claims
            ),
            *graph,
            *(q for q in hashed if not isinstance(q.graph_name, ox.DefaultGraph)),
        }
        return Description(
            iri=iri,
            outgoing=outgoing,
            incoming=incoming,
            claims=claims,
            labels=_label_map(label_triples),
            graph=graph,
            default_part=tuple(sorted(default, key=lambda t: (t.subject != node, str(t)))),
            named_part=tuple(sorted(named, key=str)),
        )

    def _hash_nodes(self, node: ox.NamedNode) -> list[ox.NamedNode]:
        """The nodes that hang off ``node`` (``…#during``, ``…#beginning``, ``…#date``): reached
        from it through nodes of its own, they are described with it (a browser asks for the
        resource, never for the fragment)."""
        prefix = node.value + "#"
        found: list[ox.NamedNode] = []
        todo = [node]
        while todo:
            for quad in self.quads(todo.pop()):
                target = quad.object
                if (
                    isinstance(target, ox.NamedNode)
                    and target.value.startswith(prefix)
                    and target not in found
                ):
                    found.append(target)
                    todo.append(target)
        return sorted(found, key=lambda n: n.value)

    def _claim_triples(self, claim: ox.NamedNode) -> list[ox.Triple]:
        """A claim's metadata, its quote selector and the label of its document."""
        triples = [q.triple for q in self.quads(claim, None, None, DEFAULT)]
        for quad in self.quads(claim, QUOTE, None, DEFAULT):
            triples += [q.triple for q in self.quads(quad.object, None, None, DEFAULT)]
        for quad in self.quads(claim, DERIVED_FROM, None, DEFAULT):
            triples += self._labels(quad.object)
        return triples

    def _labels(self, node: ox.NamedNode) -> list[ox.Triple]:
        return [
            q.triple for prop in LABEL_PROPERTIES for q in self.quads(node, prop, None, DEFAULT)
        ]


def _statements(quads: Iterable[ox.Quad]) -> tuple[Statement, ...]:
    """Group quads by triple: asserted when in the default graph, claims from graph names."""
    asserted: set[ox.Triple] = set()
    claims: dict[ox.Triple, set[str]] = {}
    for quad in quads:
        graph_claims = claims.setdefault(quad.triple, set())
        if isinstance(quad.graph_name, ox.DefaultGraph):
            asserted.add(quad.triple)
        else:
            graph_claims.add(quad.graph_name.value)
    statements = [
        Statement(t.subject, t.predicate, t.object, t in asserted, tuple(sorted(found)))
        for t, found in claims.items()
    ]
    return tuple(
        sorted(statements, key=lambda s: (str(s.predicate), str(s.subject), str(s.object)))
    )


def _triple(statement: Statement) -> ox.Triple:
    return ox.Triple(statement.subject, statement.predicate, statement.object)


def _mentioned(outgoing, incoming, graph, claim_triples) -> set[str]:
    """IRIs whose labels the description carries: objects, subjects, predicates, documents."""
    terms = [t for s in outgoing for t in (s.predicate, s.object)]
    terms += [t for s in incoming for t in (s.subject, s.predicate)]
    terms += [t for q in graph for t in (q.subject, q.predicate, q.object)]
    terms += [t.object for t in claim_triples if t.predicate == DERIVED_FROM]
    return {t.value for t in terms if isinstance(t, ox.NamedNode)}


def _claim_summary(claim: str, triples: list[ox.Triple]) -> ClaimSummary:
    about = {}
    for t in triples:
        if t.subject.value == claim:
            about.setdefault(t.predicate, t.object)
    quote_node = about.get(QUOTE)
    exact = next(
        (t.object.value for t in triples if t.subject == quote_node and t.predicate == EXACT),
        None,
    )
    return ClaimSummary(
        iri=claim,
        quote=exact,
        document=_value(about.get(DERIVED_FROM)),
        rank=_value(about.get(RANK)),
    )


def _value(term) -> str | None:
    return None if term is None else term.value


def _label_map(triples: list[ox.Triple]) -> dict[str, tuple[ox.Literal, ...]]:
    labels: dict[str, set[ox.Literal]] = {}
    for t in triples:
        if isinstance(t.object, ox.Literal):
            labels.setdefault(t.subject.value, set()).add(t.object)
    return {iri: tuple(sorted(found, key=str)) for iri, found in labels.items()}
