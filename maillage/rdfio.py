"""RDF output: sorted, deterministic serialisation through pyoxigraph, JSON-LD through PyLD
with our context embedded (nothing fetched), and stable IRIs for the blank nodes of SHACL files."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from maillage.jsonld_compaction import compacted_document, compacted_text, write_compacted
from maillage.namespaces import CANONICAL_BASE, PREFIXES

GENID = ".well-known/genid/"


class RemoteContextRefused(RuntimeError):
    """A JSON-LD document asked for a remote document (a context): nothing is fetched."""


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
    with gzip_writer(buffer) as handle:
        handle.write(data)
    return buffer.getvalue()


def gzip_writer(sink) -> gzip.GzipFile:
    return gzip.GzipFile(fileobj=sink, mode="wb", mtime=0, filename="")


# ---- dumps too large to hold: written to disk as they are serialised ------------------------

HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileOnDisk:
    """A release file written to disk rather than held in memory (a dump of a 10M release):
    where it is, its size and its SHA-256. It stands wherever a release file's bytes do
    (:func:`byte_size`, :func:`sha256_hex`, :func:`write_bytes`, which moves it in place)."""

    path: Path
    size: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> FileOnDisk:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(HASH_CHUNK):
                digest.update(chunk)
        return cls(path, path.stat().st_size, digest.hexdigest())


def byte_size(data: bytes | FileOnDisk) -> int:
    return data.size if isinstance(data, FileOnDisk) else len(data)


def sha256_hex(data: bytes | FileOnDisk) -> str:
    return data.sha256 if isinstance(data, FileOnDisk) else hashlib.sha256(data).hexdigest()


def write_dump(
    path: Path, items: Iterable[ox.Quad], fmt: ox.RdfFormat, base: str, compressed: bool = False
) -> FileOnDisk:
    """:func:`serialise` (gzipped as :func:`gzipped` does when ``compressed``) streamed into
    ``path``: the quads are read as they come, never held."""
    if not fmt.supports_datasets:
        items = (q.triple for q in items)
    pfx = prefixes(base) if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    with path.open("wb") as handle:
        if compressed:
            with gzip_writer(handle) as packed:
                ox.serialize(items, Unflushed(packed), fmt, prefixes=pfx)
        else:
            ox.serialize(items, handle, fmt, prefixes=pfx)
    return FileOnDisk.of(path)


class Unflushed:
    """A gzip stream pyoxigraph cannot flush: a flush mid-stream writes a sync marker, and the
    file would no longer be the bytes :func:`gzipped` gives."""

    def __init__(self, sink: gzip.GzipFile) -> None:
        self.write = sink.write

    def flush(self) -> None:
        """Nothing: the gzip stream is flushed once, when closed."""


def write_jsonld(path: Path, items: Iterable[ox.Quad], base: str) -> FileOnDisk:
    """:func:`to_jsonld` streamed into ``path`` from the sorted quads of a flat default graph
    (each subject in one run), one node at a time."""
    with path.open("w", encoding="utf-8") as handle:
        write_compacted(items, context_document(base), handle.write)
        handle.write("\n")
    return FileOnDisk.of(path)


def context_document(base: str) -> dict:
    """Our JSON-LD context: the project's prefixes. Served at ``{base}context.jsonld``."""
    return {"@context": dict(sorted(prefixes(base).items()))}


def refusing_loader(url: str, _options=None) -> dict:
    """A PyLD document loader that fetches nothing: every document we write embeds its context."""
    raise RemoteContextRefused(f"remote JSON-LD document refused (no fetch): {url}")


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def to_jsonld(items: list[ox.Quad], base: str) -> bytes:
    """Compact JSON-LD with our context embedded, so the file parses anywhere, offline.

    Compacted with our context (the prefixes, also published at ``{base}context.jsonld``): sorted
    quads of a flat default graph are written node by node (:mod:`maillage.jsonld_compaction`,
    PyLD's result in linear time); anything else is written expanded by pyoxigraph and compacted
    by PyLD with a loader that fetches nothing.
    """
    context = context_document(base)
    text = compacted_text(items, context)
    if text is not None:
        return (text + "\n").encode()
    expanded = json.loads(ox.serialize(items, format=ox.RdfFormat.JSON_LD))
    if expanded and not any("@graph" in node for node in expanded):
        types = [[t["@id"] for t in node.pop(RDF_TYPE, ())] for node in expanded]
        compacted = compacted_document(expanded, types, context)
    else:
        compacted = compacted_by_pyld(expanded, context)
    return (json.dumps(compacted, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def compacted_by_pyld(expanded: list, context: dict) -> dict:
    for node in _nodes(expanded):
        types = node.pop(RDF_TYPE, None)
        if types:
            node["@type"] = [t["@id"] for t in types]
    from pyld import jsonld  # imported here: 0.1 s (with requests) a starting server skips

    return jsonld.compact(expanded, context, {"documentLoader": refusing_loader})


def _nodes(document) -> Iterable[dict]:
    for node in document if isinstance(document, list) else [document]:
        yield node
        yield from _nodes(node.get("@graph", []))


def skolemised(graph: Graph, base: str) -> Graph:
    """Blank nodes → stable IRIs: each named by a hash of where it hangs and what it holds.

    Meant for tree-shaped blank nodes (SHACL shapes, lists, validation results): the same graph
    always gives the same IRIs, in linear time.
    """
    incoming: dict[BNode, list[tuple]] = {}
    outgoing: dict[BNode, list[tuple]] = {}
    for s, p, o in graph:
        if isinstance(o, BNode):
            incoming.setdefault(o, []).append((s, p))
        if isinstance(s, BNode):
            outgoing.setdefault(s, []).append((p, o))
    content: dict[BNode, str] = {}
    names: dict[BNode, str] = {}

    def content_of(node: BNode, depth: int = 0) -> str:
        if node not in content:
            if depth > 200:
                raise ValueError("blank node cycle: cannot skolemise")
            parts = sorted(
                p.n3() + " " + (content_of(o, depth + 1) if isinstance(o, BNode) else o.n3())
                for p, o in outgoing.get(node, [])
            )
            content[node] = "[" + " ; ".join(parts) + "]"
        return content[node]

    def name_of(node: BNode, depth: int = 0) -> str:
        if node not in names:
            if depth > 200:
                raise ValueError("blank node cycle: cannot skolemise")
            parents = sorted(
                (name_of(s, depth + 1) if isinstance(s, BNode) else s.n3()) + " " + p.n3()
                for s, p in incoming.get(node, [])
            )
            text = "|".join(parents) + content_of(node)
            names[node] = hashlib.sha256(text.encode()).hexdigest()[:24]
        return names[node]

    def iri(term):
        return URIRef(f"{base}{GENID}{name_of(term)}") if isinstance(term, BNode) else term

    result = Graph()
    for triple in graph:
        result.add(tuple(iri(t) for t in triple))
    return result


def write_bytes(path: Path, data: bytes | FileOnDisk) -> None:
    if isinstance(data, FileOnDisk):
        data.path.replace(path)
    else:
        path.write_bytes(data)
