"""The triples the build adds to what curators wrote (``docs/data-model.md``, last section).

Each materialised triple goes into the claim graph of the triple it comes from, so the default
graph never holds a domain statement that no claim backs.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import FOAF, RDF, RDFS, SKOS, Graph, URIRef

from maillage.namespaces import ID, ORG, SCHEMA
from maillage.pipeline.dates import date_bounds

ORGANIZATION_SUBCLASSES = frozenset(
    {ORG.FormalOrganization, ORG.OrganizationalUnit, ORG.OrganizationalCollaboration}
)
INVERSES = {
    ORG.memberOf: ORG.hasMember,
    ORG.hasMember: ORG.memberOf,
    ORG.subOrganizationOf: ORG.hasSubOrganization,
    ORG.hasSubOrganization: ORG.subOrganizationOf,
    ORG.originalOrganization: ORG.changedBy,
    ORG.resultingOrganization: ORG.resultedFrom,
    ORG.member: ORG.hasMembership,
    SCHEMA.superEvent: SCHEMA.subEvent,
}
IMPLIED = {ORG.hasPrimarySite: ORG.hasSite}
LABEL_SOURCES = (SKOS.prefLabel, SCHEMA.name)
PERSON_PREFIX = str(ID) + "person/"


def materialise_claim(graph: Graph) -> None:
    """Add, inside one claim graph, what its own triples imply."""
    for s, p, o in list(graph):
        for triple in _implied(s, p, o):
            graph.add(triple)


def _implied(s, p, o) -> Iterable[tuple]:
    if p == RDF.type and o in ORGANIZATION_SUBCLASSES:
        yield s, RDF.type, ORG.Organization
    if p == RDF.type and o == SCHEMA.EventSeries:
        yield s, RDF.type, SCHEMA.Event
    if p in INVERSES and isinstance(o, URIRef):
        yield o, INVERSES[p], s
    if p in IMPLIED:
        yield s, IMPLIED[p], o
    yield from date_bounds(s, p, o)
    if p in LABEL_SOURCES:
        yield s, RDFS.label, o
        if str(s).startswith(PERSON_PREFIX) and p == SKOS.prefLabel:
            yield s, FOAF.name, o


def head_roles(concepts: Graph) -> frozenset[URIRef]:
    """Roles whose holder heads the organisation (``org:roleProperty org:headOf``)."""
    return frozenset(
        r for r in concepts.subjects(ORG.roleProperty, ORG.headOf) if isinstance(r, URIRef)
    )


def materialise_heads(
    claim_graphs: dict[URIRef, Graph], active: set[URIRef], heads: frozenset
) -> None:
    """``?person org:headOf ?org`` for head-role memberships, in the claim stating the role.

    Member and organisation may be stated by other claims; only active (non-deprecated) claims
    are read, so a deprecated membership never makes anyone a head.
    """
    members: dict[URIRef, set] = {}
    organisations: dict[URIRef, set] = {}
    for iri in active:
        graph = claim_graphs[iri]
        for m, who in graph.subject_objects(ORG.member):
            members.setdefault(m, set()).add(who)
        for m, org in graph.subject_objects(ORG.organization):
            organisations.setdefault(m, set()).add(org)
    for iri in sorted(active):
        graph = claim_graphs[iri]
        for m, role in list(graph.subject_objects(ORG.role)):
            if role in heads:
                for who in members.get(m, ()):
                    for org in organisations.get(m, ()):
                        graph.add((who, ORG.headOf, org))
