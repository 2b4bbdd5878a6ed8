"""The network of a release, shared by the build that writes it (``network.json``,
``maillage/pipeline/network.py``) and the server that reads it (``server/network.py``): the
classes of its nodes and the kinds of its edges, each with its words in French and English.

A node is an organisation, a person or an event. An edge reads « source verb target »
(« Digital Place fusionne dans Digital 113 ») and keeps ``via``: the IRI of the resource whose
page shows the edge with its provenance (the membership, the change, or the subject of the
triple that states it).
"""

from __future__ import annotations

from dataclasses import dataclass

FORMAT_VERSION = 1
"""Of ``network.json``: the server refuses a file of another version (rebuild the release)."""


@dataclass(frozen=True)
class NodeClass:
    key: str
    fr: str
    en: str
    shape: str
    """The Cytoscape.js node shape, so that a class is told by its shape, not its colour only."""
    fr_plural: str
    en_plural: str


@dataclass(frozen=True)
class EdgeKind:
    key: str
    fr: str
    """The verb from source to target, in French: « fusionne dans »."""
    en: str
    line: str
    """The Cytoscape.js line style (``solid``, ``dashed``, ``dotted``)."""
    arrow: str
    """The Cytoscape.js target arrow shape (``triangle``, ``tee``, ``none``…)."""
    width: float = 1.6
    """The line's width in pixels: a headship and a merger are drawn thicker."""


NODE_CLASSES = (
    NodeClass(
        "organisation",
        "organisation",
        "organisation",
        "round-rectangle",
        "organisations",
        "organisations",
    ),
    NodeClass("person", "personne", "person", "ellipse", "personnes", "people"),
    NodeClass("event", "événement", "event", "diamond", "événements", "events"),
)
"""In this order: a resource of several of these classes is of the first."""

EDGE_KINDS = (
    EdgeKind("head", "dirige", "heads", "solid", "triangle", 2.8),
    EdgeKind("member", "est membre de", "is a member of", "solid", "vee"),
    EdgeKind("suborganisation", "fait partie de", "is part of", "dashed", "triangle-tee"),
    EdgeKind("merger", "fusionne dans", "merges into", "solid", "triangle", 4.5),
    EdgeKind("funder", "finance", "funds", "dashed", "square"),
    EdgeKind("organiser", "organise", "organises", "dotted", "diamond"),
    EdgeKind("edition", "est une édition de", "is an edition of", "dotted", "tee"),
    EdgeKind("performer", "intervient à", "speaks at", "dotted", "circle"),
    EdgeKind("emerged", "est issue de", "emerged from", "dashed", "chevron"),
    EdgeKind("linked", "est liée à", "is linked to", "solid", "none"),
)
"""Every kind of edge, in the order of the legend."""

CLASS_KEYS = tuple(c.key for c in NODE_CLASSES)
KIND_KEYS = tuple(k.key for k in EDGE_KINDS)
