"""The release's network (``network.json``): organisations, people and events, and the edges
between them that the default graph states (published facts only), as ``maillage/network.py``
names them. Built here, at build time, so that the server draws a neighbourhood from memory at
any size of the dataset instead of querying the store on every request.

Each edge keeps ``via``, the resource whose page shows it with its provenance: a membership, a
change, or the subject of the triple that states the edge.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import FOAF, RDFS, SKOS

from maillage.namespaces import CANONICAL_BASE, CONCEPT, MLG, ORG, SCHEMA
from maillage.network import FORMAT_VERSION
from maillage.pipeline.search_index import preferred

CLASSES = (
    ("organisation", ORG.Organization),
    ("person", FOAF.Person),
    ("event", SCHEMA.Event),
)
"""The class of a node, the first that applies (``maillage.network.NODE_CLASSES``)."""
FAMILY = str(CONCEPT["family/"])

DIRECT = (
    # (kind, property, True when the edge goes from the object to the subject)
    ("member", ORG.memberOf, False),
    ("head", ORG.headOf, False),
    ("suborganisation", ORG.subOrganizationOf, False),
    ("funder", SCHEMA.funder, True),
    ("organiser", SCHEMA.organizer, True),
    ("edition", SCHEMA.superEvent, False),
    ("performer", SCHEMA.performer, True),
    ("emerged", MLG.emergedFrom, False),
    ("linked", ORG.linkedTo, False),
)
"""Edges stated by one triple: its subject's page shows it with its provenance."""

Edge = dict[str, object]


def network_file(graph: Graph) -> bytes:
    """``network.json``: the same graph gives the same bytes."""
    nodes = network_nodes(graph)
    edges = sorted(
        {edge_key(e): e for e in network_edges(graph, set(nodes))}.values(), key=edge_key
    )
    families = sorted({f for node in nodes.values() for f in node["families"]})
    document = {
        "version": FORMAT_VERSION,
        "nodes": [nodes[iri] for iri in sorted(nodes)],
        "edges": edges,
        "families": {f: labels(graph, URIRef(f)) for f in families},
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def network_nodes(graph: Graph) -> dict[str, dict]:
    """Our organisations, people and events, by IRI."""
    nodes: dict[str, dict] = {}
    for key, cls in CLASSES:
        for subject in sorted(graph.subjects(RDF.type, cls)):
            iri = str(subject)
            if isinstance(subject, URIRef) and iri.startswith(CANONICAL_BASE) and iri not in nodes:
                nodes[iri] = {
                    "iri": iri,
                    "label": preferred(graph, subject) or iri,
                    "class": key,
                    "families": sorted(
                        str(c)
                        for c in graph.objects(subject, ORG.classification)
                        if str(c).startswith(FAMILY)
                    ),
                }
    return nodes


def network_edges(graph: Graph, nodes: set[str]) -> Iterator[Edge]:
    """Memberships and changes first, then the edges a single triple states (a membership's
    ``org:memberOf``/``org:headOf`` shortcut is not drawn twice)."""
    covered: set[tuple[str, str, str]] = set()
    for edge in [*membership_edges(graph), *change_edges(graph)]:
        if edge["source"] in nodes and edge["target"] in nodes:
            covered.add((str(edge["kind"]), str(edge["source"]), str(edge["target"])))
            if edge["kind"] == "head":
                covered.add(("member", str(edge["source"]), str(edge["target"])))
            yield edge
    for kind, predicate, reverse in DIRECT:
        for subject, obj in graph.subject_objects(predicate):
            source, target = (str(obj), str(subject)) if reverse else (str(subject), str(obj))
            if source in nodes and target in nodes and (kind, source, target) not in covered:
                yield {"kind": kind, "source": source, "target": target, "via": str(subject)}


def membership_edges(graph: Graph) -> Iterator[Edge]:
    """A membership: its member → its organisation, ``head`` when its role is a head role (the
    role carries ``org:roleProperty org:headOf``), with the role's name."""
    for membership in graph.subjects(RDF.type, ORG.Membership):
        member = graph.value(membership, ORG.member)
        organisation = graph.value(membership, ORG.organization)
        if member is None or organisation is None:
            continue
        role = graph.value(membership, ORG.role)
        head = role is not None and (role, ORG.roleProperty, ORG.headOf) in graph
        yield {
            "kind": "head" if head else "member",
            "source": str(member),
            "target": str(organisation),
            "via": str(membership),
            "label": labels(graph, role) if role is not None else {},
        }


def change_edges(graph: Graph) -> Iterator[Edge]:
    """A change (``org:ChangeEvent``): each original organisation → each resulting one."""
    for change in graph.subjects(RDF.type, ORG.ChangeEvent):
        results = set(graph.objects(change, ORG.resultingOrganization))
        for original in graph.objects(change, ORG.originalOrganization):
            for result in sorted(results - {original}):
                yield {
                    "kind": "merger",
                    "source": str(original),
                    "target": str(result),
                    "via": str(change),
                    "label": labels(graph, change),
                }


def labels(graph: Graph, subject: URIRef) -> dict[str, str]:
    """The resource's name in French and English, where it has one (``skos:prefLabel``, else
    ``rdfs:label``)."""
    found: dict[str, str] = {}
    for predicate in (SKOS.prefLabel, RDFS.label):
        for o in sorted(graph.objects(subject, predicate)):
            if isinstance(o, Literal) and o.language in ("fr", "en"):
                found.setdefault(o.language, str(o))
    return found


def edge_key(edge: Edge) -> tuple[str, str, str, str]:
    return (str(edge["source"]), str(edge["kind"]), str(edge["target"]), str(edge["via"]))
