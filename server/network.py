"""The release's network (``network.json``, written by the build), read once and kept in memory:
the whole network, or an entity's neighbourhood, as the nodes and edges a view draws.

A neighbourhood is every node within ``hops`` edges of the focus (either direction) and every
edge between them. A view holds at most ``max_nodes`` nodes: the whole network keeps its most
connected nodes, a neighbourhood the nearest (breadth first); the view says how many it left out.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from maillage.network import FORMAT_VERSION

MAX_HOPS = 3
"""A neighbourhood reaches at most this many edges away from its focus."""
DEFAULT_HOPS = 2


class UnreadableNetwork(RuntimeError):
    """``network.json`` is absent or of another format version: rebuild the release."""


@dataclass
class View:
    """What one view draws."""

    nodes: list[dict]
    edges: list[dict]
    total: int
    """Nodes in its scope before the cap (the linked nodes of the network, or the
    neighbourhood's): ``len(nodes) < total`` when some were left out."""
    distance: dict[str, int] = field(default_factory=dict)
    """For a neighbourhood: how many edges away from the focus each node is."""

    @property
    def truncated(self) -> bool:
        return len(self.nodes) < self.total


@dataclass(frozen=True)
class Graph:
    """``network.json`` as read: nodes by IRI, edges, and the edges touching each node."""

    nodes: dict[str, dict]
    edges: list[dict]
    touching: dict[str, list[int]]
    families: dict[str, dict[str, str]]


class Network:
    """The nodes and edges of one release, read on first use (a release never changes)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._loaded: Graph | None = None

    def _data(self) -> Graph:
        with self._lock:
            if self._loaded is None:
                self._loaded = self._read()
        return self._loaded

    def _read(self) -> Graph:
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UnreadableNetwork(f"{self.path} is missing: rebuild the release") from None
        if document.get("version") != FORMAT_VERSION:
            raise UnreadableNetwork(
                f"{self.path} is of format {document.get('version')!r}, this server reads "
                f"{FORMAT_VERSION}: rebuild the release"
            )
        nodes = {node["iri"]: node for node in document["nodes"]}
        edges = document["edges"]
        touching: dict[str, list[int]] = {}
        for index, edge in enumerate(edges):
            edge["id"] = f"e{index}"
            touching.setdefault(edge["source"], []).append(index)
            if edge["target"] != edge["source"]:
                touching.setdefault(edge["target"], []).append(index)
        return Graph(nodes, edges, touching, document["families"])

    # --- Public -------------------------------------------------------------------------------

    def node(self, iri: str) -> dict | None:
        return self._data().nodes.get(iri)

    def families(self) -> dict[str, dict[str, str]]:
        """The network families of its organisations: concept IRI → its names (fr, en)."""
        return self._data().families

    def degree(self, iri: str) -> int:
        return len(self._data().touching.get(iri, ()))

    def whole(self, max_nodes: int) -> View:
        """Every node with at least one edge; past ``max_nodes``, the most connected."""
        touching = self._data().touching
        linked = sorted(touching, key=lambda iri: (-len(touching[iri]), iri))
        kept = linked[:max_nodes]
        return self._view(kept, len(linked))

    def neighbourhood(self, focus: str, hops: int, max_nodes: int) -> View:
        """The nodes within ``hops`` edges of ``focus`` (the nearest first, at most
        ``max_nodes``) and the edges between them."""
        graph = self._data()
        edges, touching = graph.edges, graph.touching
        distance = {focus: 0}
        queue = deque([focus])
        while queue:
            iri = queue.popleft()
            if distance[iri] == hops:
                continue
            for index in touching.get(iri, ()):
                edge = edges[index]
                other = edge["target"] if edge["source"] == iri else edge["source"]
                if other not in distance:
                    distance[other] = distance[iri] + 1
                    queue.append(other)
        ordered = sorted(distance, key=lambda iri: (distance[iri], iri))
        view = self._view(ordered[:max_nodes], len(ordered))
        view.distance = {iri: distance[iri] for iri in ordered[:max_nodes]}
        return view

    def _view(self, kept: list[str], total: int) -> View:
        graph = self._data()
        chosen = set(kept)
        indexes = {
            i
            for iri in kept
            for i in graph.touching.get(iri, ())
            if graph.edges[i]["source"] in chosen and graph.edges[i]["target"] in chosen
        }
        edges = [graph.edges[i] for i in sorted(indexes)]
        return View([graph.nodes[iri] for iri in kept], edges, total)
