"""What changed between a release and its predecessor: the model, and its RDF (``changes.ttl``).

The pipeline computes it (``maillage/pipeline/changes.py``) and writes it; the server reads it
back from a release (``/releases/{id}``, ``/releases.atom``) without importing the pipeline. The
vocabulary is in ``ontology/maillage.ttl`` (mlg:EntityChange, mlg:ClaimChange, …) and
docs/release.md, "What changed between releases".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from maillage.namespaces import MLG, PROV, RDF, RDFS, VOID, XSD

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
OPENED, CLOSED, RERANKED = "opened", "closed", "reranked"
KINDS = {
    ADDED: MLG.Added,
    REMOVED: MLG.Removed,
    CHANGED: MLG.Modified,
    OPENED: MLG.Added,
    CLOSED: MLG.Removed,
    RERANKED: MLG.Reranked,
}
"""Each kind of change → the mlg:ChangeKind individual that says it in RDF (a conflict opened is
an mlg:Added conflict, one closed an mlg:Removed one)."""


@dataclass(frozen=True)
class ClaimChange:
    """A claim added, removed or changed (its named graph, its quote or its rank)."""

    claim: str
    kind: str
    quote: str
    """Its verbatim quote, in this release (in the predecessor for a removed claim)."""
    previous_quote: str | None = None
    """The quote in the predecessor, when it differs."""
    triples_added: int = 0
    triples_removed: int = 0
    """In the claim's named graph."""
    rank: str | None = None
    previous_rank: str | None = None
    """Rank IRIs (mlg:NormalRank…), given when the rank changed."""


@dataclass(frozen=True)
class EntityChange:
    """An entity (an IRI under ``{base}id/``, neither a claim, a conflict nor a hash IRI) added,
    removed or changed."""

    entity: str
    kind: str
    label: str
    properties: tuple[str, ...] = ()
    """Properties whose triples in the default graph changed (on the entity or its hash IRIs,
    ``#lifespan`` and the like); only for a changed entity (an added or removed one gains or
    loses them all)."""
    claims: tuple[str, ...] = ()
    """Claims whose named graph changed what it says about the entity."""
    replaced_by: str | None = None


@dataclass(frozen=True)
class ConflictChange:
    """A conflict opened, closed, re-ranked (a claim's rank changed) or otherwise changed."""

    conflict: str
    kind: str
    label: str
    claims: tuple[str, ...] = ()
    """Its claims whose rank changed (re-ranked), or all its claims (opened, closed)."""


@dataclass(frozen=True)
class GraphCounts:
    added: int
    removed: int
    triples: int
    """How many this release's graph(s) hold."""


@dataclass
class Changes:
    """Everything that changed from ``previous`` to this release (no predecessor: the first
    release, with only its counts)."""

    previous: str | None
    default_graph: GraphCounts
    claim_graphs: GraphCounts
    entities: list[EntityChange] = field(default_factory=list)
    claims: list[ClaimChange] = field(default_factory=list)
    conflicts: list[ConflictChange] = field(default_factory=list)

    def entities_of(self, kind: str) -> list[EntityChange]:
        return [e for e in self.entities if e.kind == kind]

    def claims_of(self, kind: str) -> list[ClaimChange]:
        return [c for c in self.claims if c.kind == kind]

    def conflicts_of(self, kind: str) -> list[ConflictChange]:
        return [c for c in self.conflicts if c.kind == kind]

    def claim(self, iri: str) -> ClaimChange | None:
        return next((c for c in self.claims if c.claim == iri), None)

    def counts(self) -> dict[str, int]:
        """How many of each: ``entities_added``, ``claims_changed``, ``conflicts_opened``…"""
        found = {f"entities_{k}": len(self.entities_of(k)) for k in (ADDED, REMOVED, CHANGED)}
        found |= {f"claims_{k}": len(self.claims_of(k)) for k in (ADDED, REMOVED, CHANGED)}
        kinds = (OPENED, CLOSED, RERANKED, CHANGED)
        return found | {f"conflicts_{k}": len(self.conflicts_of(k)) for k in kinds}


# ---- RDF --------------------------------------------------------------------------------------

_COUNTS = {
    "entities_added": MLG.entitiesAdded,
    "entities_removed": MLG.entitiesRemoved,
    "entities_changed": MLG.entitiesChanged,
    "claims_added": MLG.claimsAdded,
    "claims_removed": MLG.claimsRemoved,
    "claims_changed": MLG.claimsChanged,
    "conflicts_opened": MLG.conflictsOpened,
    "conflicts_closed": MLG.conflictsClosed,
    "conflicts_reranked": MLG.conflictsReranked,
}
_DCTERMS_REPLACED_BY = "http://purl.org/dc/terms/isReplacedBy"
_KIND_OF = {str(iri): kind for kind, iri in KINDS.items() if kind in (ADDED, REMOVED, CHANGED)}
_CONFLICT_KIND_OF = {
    str(MLG.Added): OPENED,
    str(MLG.Removed): CLOSED,
    str(MLG.Reranked): RERANKED,
    str(MLG.Modified): CHANGED,
}


def change_node(release_iri: str, kind: str, iri: str, base: str) -> str:
    """The IRI of the change record of ``iri`` in the release: ``{release}#entity/org/nxu``,
    ``#claim/004/…``, ``#conflict/…``."""
    local = iri[len(base + "id/") :] if iri.startswith(base + "id/") else iri
    return f"{release_iri}#{kind}/{local}" if kind == "entity" else f"{release_iri}#{local}"


def changes_quads(changes: Changes, release_iri: str, previous_iri: str | None, base: str):
    """The changes as triples about the release ``release_iri`` (sorted, default graph). The
    first release (no ``previous_iri``) has only the size of its graphs."""
    out = _Triples()
    release = ox.NamedNode(release_iri)
    default = ox.NamedNode(f"{release_iri}#default-graph")
    out.add(release, MLG.defaultGraphChange, default)
    out.add(default, RDF.type, MLG.GraphChange)
    out.add(default, VOID.triples, _integer(changes.default_graph.triples))
    out.add(release, MLG.claimGraphTriples, _integer(changes.claim_graphs.triples))
    if not previous_iri:
        return out.sorted()
    out.add(release, PROV.wasRevisionOf, ox.NamedNode(previous_iri))
    for name, value in changes.counts().items():
        if name in _COUNTS:
            out.add(release, _COUNTS[name], _integer(value))
    out.add(default, MLG.triplesAdded, _integer(changes.default_graph.added))
    out.add(default, MLG.triplesRemoved, _integer(changes.default_graph.removed))
    out.add(release, MLG.claimGraphTriplesAdded, _integer(changes.claim_graphs.added))
    out.add(release, MLG.claimGraphTriplesRemoved, _integer(changes.claim_graphs.removed))
    for change in changes.claims:
        _claim(out, release, change_node(release_iri, "claim", change.claim, base), change)
    for change in changes.entities:
        node = change_node(release_iri, "entity", change.entity, base)
        _entity(out, release, node, change, release_iri, base)
    for change in changes.conflicts:
        node = change_node(release_iri, "conflict", change.conflict, base)
        _conflict(out, release, node, change)
    return out.sorted()


def _node(out, release, link, cls, iri: str, kind: str, of: str, label: str = ""):
    """A change node: linked from the release, typed, with its kind, subject and label."""
    node = ox.NamedNode(iri)
    out.add(release, link, node)
    out.add(node, RDF.type, cls)
    out.add(node, MLG.changeKind, KINDS[kind])
    out.add(node, MLG.changeOf, ox.NamedNode(of))
    if label:
        out.add(node, RDFS.label, ox.Literal(label))
    return node


def _claim(out, release, iri: str, change: ClaimChange) -> None:
    node = _node(out, release, MLG.claimChange, MLG.ClaimChange, iri, change.kind, change.claim)
    out.add(node, MLG.quoteText, ox.Literal(change.quote))
    if change.previous_quote is not None:
        out.add(node, MLG.previousQuoteText, ox.Literal(change.previous_quote))
    out.add(node, MLG.triplesAdded, _integer(change.triples_added))
    out.add(node, MLG.triplesRemoved, _integer(change.triples_removed))
    if change.rank:
        out.add(node, MLG.currentRank, ox.NamedNode(change.rank))
    if change.previous_rank:
        out.add(node, MLG.previousRank, ox.NamedNode(change.previous_rank))


def _entity(out, release, iri: str, change: EntityChange, release_iri: str, base: str) -> None:
    kind, entity, label = change.kind, change.entity, change.label
    node = _node(out, release, MLG.entityChange, MLG.EntityChange, iri, kind, entity, label)
    for prop in change.properties:
        out.add(node, MLG.changedProperty, ox.NamedNode(prop))
    for claim in change.claims:
        out.add(node, MLG.claimChange, ox.NamedNode(change_node(release_iri, "claim", claim, base)))
    if change.replaced_by:
        out.add(ox.NamedNode(entity), _iri(_DCTERMS_REPLACED_BY), _iri(change.replaced_by))


def _conflict(out, release, iri: str, change: ConflictChange) -> None:
    kind, conflict, label = change.kind, change.conflict, change.label
    node = _node(out, release, MLG.conflictChange, MLG.ConflictChange, iri, kind, conflict, label)
    for claim in change.claims:
        out.add(node, MLG.involvedClaim, ox.NamedNode(claim))


class _Triples:
    def __init__(self) -> None:
        self.quads: set[ox.Quad] = set()

    def add(self, s, p, o) -> None:
        s, p, o = (_iri(t) if isinstance(t, str) else t for t in (s, p, o))
        self.quads.add(ox.Quad(s, p, o, ox.DefaultGraph()))

    def sorted(self) -> list[ox.Quad]:
        return sorted(self.quads, key=str)


def _iri(value) -> ox.NamedNode:
    return value if isinstance(value, ox.NamedNode) else ox.NamedNode(str(value))


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(str(XSD.integer)))


# ---- reading changes.ttl back -----------------------------------------------------------------


def read_changes(data: bytes, release_iri: str) -> Changes:
    """The changes a ``changes.ttl`` states about ``release_iri``."""
    store = _Index(ox.parse(data, format=ox.RdfFormat.TURTLE))
    release = release_iri
    previous = store.one(release, PROV.wasRevisionOf)
    default = store.one(release, MLG.defaultGraphChange)
    claims = {c: _read_claim(store, c) for c in store.all(release, MLG.claimChange)}
    return Changes(
        previous=previous.rsplit("/", 1)[-1] if previous else None,
        default_graph=GraphCounts(
            store.number(default, MLG.triplesAdded),
            store.number(default, MLG.triplesRemoved),
            store.number(default, VOID.triples),
        ),
        claim_graphs=GraphCounts(
            store.number(release, MLG.claimGraphTriplesAdded),
            store.number(release, MLG.claimGraphTriplesRemoved),
            store.number(release, MLG.claimGraphTriples),
        ),
        entities=sorted(
            (_read_entity(store, e, claims) for e in store.all(release, MLG.entityChange)),
            key=lambda e: e.entity,
        ),
        claims=sorted(claims.values(), key=lambda c: c.claim),
        conflicts=sorted(
            (_read_conflict(store, c) for c in store.all(release, MLG.conflictChange)),
            key=lambda c: c.conflict,
        ),
    )


def _read_claim(store: _Index, node: str) -> ClaimChange:
    return ClaimChange(
        claim=store.one(node, MLG.changeOf),
        kind=_KIND_OF[store.one(node, MLG.changeKind)],
        quote=store.one(node, MLG.quoteText) or "",
        previous_quote=store.one(node, MLG.previousQuoteText),
        triples_added=store.number(node, MLG.triplesAdded),
        triples_removed=store.number(node, MLG.triplesRemoved),
        rank=store.one(node, MLG.currentRank),
        previous_rank=store.one(node, MLG.previousRank),
    )


def _read_entity(store: _Index, node: str, claims: dict[str, ClaimChange]) -> EntityChange:
    entity = store.one(node, MLG.changeOf)
    return EntityChange(
        entity=entity,
        kind=_KIND_OF[store.one(node, MLG.changeKind)],
        label=store.one(node, RDFS.label) or "",
        properties=tuple(sorted(store.all(node, MLG.changedProperty))),
        claims=tuple(sorted(claims[c].claim for c in store.all(node, MLG.claimChange))),
        replaced_by=store.one(entity, _DCTERMS_REPLACED_BY),
    )


def _read_conflict(store: _Index, node: str) -> ConflictChange:
    return ConflictChange(
        conflict=store.one(node, MLG.changeOf),
        kind=_CONFLICT_KIND_OF[store.one(node, MLG.changeKind)],
        label=store.one(node, RDFS.label) or "",
        claims=tuple(sorted(store.all(node, MLG.involvedClaim))),
    )


class _Index:
    """Subject → predicate → values (IRIs and literals as strings) of a small graph."""

    def __init__(self, quads) -> None:
        self.values: dict[tuple[str, str], list[str]] = {}
        for quad in quads:
            key = (quad.subject.value, quad.predicate.value)
            self.values.setdefault(key, []).append(quad.object.value)

    def all(self, subject: str | None, predicate) -> list[str]:
        return sorted(self.values.get((subject, str(predicate)), [])) if subject else []

    def one(self, subject: str | None, predicate) -> str | None:
        found = self.all(subject, predicate)
        return found[0] if found else None

    def number(self, subject: str | None, predicate) -> int:
        value = self.one(subject, predicate)
        return int(value) if value is not None else 0
