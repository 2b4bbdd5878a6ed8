"""RDF output: sorted, deterministic serialisation through pyoxigraph, JSON-LD through PyLD
with an offline document loader, and stable IRIs for the blank nodes of SHACL files."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from pyld import jsonld
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph

from maillage.namespaces import CANONICAL_BASE, PREFIXES

CONTEXT_PATH = "context.jsonld"
GENID = ".well-known/genid/"


class RemoteContextRefused(RuntimeError):
    """A JSON-LD document asked for a context that is not ours: nothing is fetched."""


def rebased(text: str, base: str) -> str:
    return base + text[len(CANONICAL_BASE) :] if text.startswith(CANONICAL_BASE) else text


def to_oxigraph(term, base: str):
    if isinstance(term, URIRef):
        return ox.NamedNode(rebased(str(term), base))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise ValueError(f"blank node {term!r} in published data: every node needs an IRI")


def quads(graph: Graph, base: str, graph_name: URIRef | None = None) -> list[ox.Quad]:
    name = ox.DefaultGraph() if graph_name is None else to_oxigraph(graph_name, base)
    found = [ox.Quad(*(to_oxigraph(t, base) for t in triple), name) for triple in graph]
    return sorted(found, key=str)


def prefixes(base: str) -> dict[str, str]:
    return {prefix: rebased(ns, base) for prefix, ns in PREFIXES.items()}


def serialise(items: Iterable[ox.Quad], fmt: ox.RdfFormat, base: str) -> bytes:
    items = list(items)
    if not fmt.supports_datasets:
        items = [q.triple for q in items]
    pfx = prefixes(base) if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    return ox.serialize(items, format=fmt, prefixes=pfx)


def gzipped(data: bytes) -> bytes:
    """Gzip with no timestamp and no file name, so equal inputs give equal bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as handle:
        handle.write(data)
    return buffer.getvalue()


def context_document(base: str) -> dict:
    """Our JSON-LD context: the project's prefixes. Served at ``{base}context.jsonld``."""
    return {"@context": dict(sorted(prefixes(base).items()))}


def offline_loader(base: str):
    """A PyLD document loader that knows our context and refuses every other URL."""
    ours = base + CONTEXT_PATH
    document = context_document(base)

    def load(url: str, _options=None) -> dict:
        if url != ours:
            raise RemoteContextRefused(f"remote JSON-LD context refused (no fetch): {url}")
        return {"contextUrl": None, "documentUrl": url, "document": document}

    return load


def to_jsonld(items: list[ox.Quad], base: str) -> bytes:
    """Compact JSON-LD with our served context, referenced by URL, never fetched."""
    nquads = serialise(items, ox.RdfFormat.N_QUADS, base).decode("utf-8")
    options = {"documentLoader": offline_loader(base)}
    expanded = jsonld.from_rdf(nquads, {"format": "application/n-quads", **options})
    context_url = base + CONTEXT_PATH
    compacted = jsonld.compact(expanded, context_url, options)
    compacted["@context"] = context_url
    return (json.dumps(compacted, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def skolemised(graph: Graph, base: str) -> Graph:
    """Blank nodes → stable IRIs derived from the graph's canonical form (same graph, same IRIs)."""
    canonical = to_canonical_graph(graph)
    result = Graph()

    def iri(term):
        return URIRef(f"{base}{GENID}{term}") if isinstance(term, BNode) else term

    for triple in canonical:
        result.add(tuple(iri(t) for t in triple))
    return result


def write_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(data)
