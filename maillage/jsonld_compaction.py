"""Compact JSON-LD written straight from pyoxigraph's expanded output, for a context of prefixes.

What PyLD's ``jsonld.compact`` gives for a flat default graph and a context that only declares
prefixes, computed in one pass: each IRI becomes the shortest compact IRI a prefix allows
(ties: the lexicographically least; an IRI equal to a prefix's namespace becomes the prefix
itself where a property or type is expected), ``xsd:string`` literals plain strings, language
tags in lower case, one-element arrays their element, several nodes a ``@graph``. PyLD compacted
a 1M-triple dump in 49 s (133 s under load): it expands, builds an inverse context and
selects a term for every value. ``tests/test_jsonld_compaction.py`` checks the text is PyLD's,
byte for byte, on the release's files and on edge cases; ``rdfio.to_jsonld`` falls back to
PyLD for what this does not cover (named graphs, an empty document).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator

import pyoxigraph as ox

GEN_DELIM_END = re.compile(r".*[:/?#\[\]@]$")


class IriConfusedWithPrefix(ValueError):
    """An absolute IRI that reads as a compact IRI of the context (``schema:x`` as an IRI):
    PyLD refuses it too."""


class Compactor:
    """IRI and value compaction for one context of prefixes (``{prefix: namespace}``)."""

    def __init__(self, context: dict[str, str]) -> None:
        self.prefixes = [
            (term, namespace)
            for term, namespace in context.items()
            if ":" not in term and GEN_DELIM_END.match(namespace)
        ]
        self.terms: dict[str, str] = {}
        for term, namespace in sorted(context.items(), key=lambda tn: (len(tn[0]), tn[0])):
            self.terms.setdefault(namespace, term)
        self.context = context
        self.vocab_iris: dict[str, str] = {}
        self.node_iris: dict[str, str] = {}

    def vocab(self, iri: str) -> str:
        """A property or a type (``vocab`` compaction)."""
        found = self.vocab_iris.get(iri)
        if found is None:
            found = self.vocab_iris[iri] = self.terms.get(iri) or self._curie(iri)
        return found

    def node(self, iri: str) -> str:
        """A node's ``@id`` or an ``{"@id": …}`` value."""
        found = self.node_iris.get(iri)
        if found is None:
            found = self.node_iris[iri] = self._curie(iri)
        return found

    def _curie(self, iri: str) -> str:
        candidate = None
        for term, namespace in self.prefixes:
            if namespace == iri or not iri.startswith(namespace):
                continue
            curie = term + ":" + iri[len(namespace) :]
            if curie in self.context:
                continue
            if candidate is None or (len(curie), curie) < (len(candidate), candidate):
                candidate = curie
        if candidate is not None:
            return candidate
        for term, _namespace in self.prefixes:
            if iri.startswith(term + ":"):
                raise IriConfusedWithPrefix(f"IRI {iri} reads as a compact IRI of {term}:")
        return iri

    def value(self, value: dict):
        if "@id" in value:
            return {"@id": self.node(value["@id"])}
        if "@language" in value:
            return {"@language": value["@language"].lower(), "@value": value["@value"]}
        if "@type" in value:
            return {"@type": self.vocab(value["@type"]), "@value": value["@value"]}
        return value["@value"]

    def node_object(self, node: dict, types: list[str]) -> dict:
        """One node of the expanded document (its ``rdf:type`` values given apart, as ``@type``)."""
        compacted: dict = {"@id": self.node(node["@id"])}
        if types:
            compacted["@type"] = _single(types, self.vocab)
        for key, values in node.items():
            if key != "@id":
                compacted[self.vocab(key)] = _single(values, self.value)
        return compacted


def _single(items: list, compact) -> object:
    return compact(items[0]) if len(items) == 1 else [compact(item) for item in items]


def compacted_document(nodes: list[dict], types: list[list[str]], context: dict) -> dict:
    """The compacted document of flat ``nodes`` (each with its list of types)."""
    compactor = Compactor(context["@context"])
    objects = [compactor.node_object(n, t) for n, t in zip(nodes, types, strict=True)]
    if len(objects) == 1:
        return {**context, **objects[0]}
    return {**context, "@graph": objects}


# ---- written node by node, without the expanded document -----------------------------------

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class NotFlat(ValueError):
    """Quads that are not a flat default graph of several subjects, each in one run."""


def compacted_text(quads: list[ox.Quad], context: dict) -> str | None:
    """The text ``json.dumps(compacted_document(…), ensure_ascii=False, indent=1,
    sort_keys=True)`` gives, written one node at a time from the quads (no expanded document in
    memory: at 1M triples it took 2 GiB). None when the quads are not a flat default graph of
    several subjects, each in one run (``rdfio.quads`` sorts them so): the caller compacts the
    whole document then."""
    pieces: list[str] = []
    try:
        write_compacted(quads, context, pieces.append)
    except NotFlat:
        return None
    return "".join(pieces)


def write_compacted(quads: Iterable[ox.Quad], context: dict, write: Callable[[str], object]):
    """:func:`compacted_text`'s text given to ``write`` piece by piece, as the quads come (a
    10M-triple dump is never held); :class:`NotFlat` when they are not a flat default graph of
    several subjects, each in one run."""
    compactor = Compactor(context["@context"])
    head = _dumps(context["@context"])
    write('{\n "@context": ' + _indented(head, " ").lstrip() + ',\n "@graph": [\n')
    count = -1
    for count, (node, types) in enumerate(_nodes(_flat(quads))):
        text = _indented(_dumps(compactor.node_object(node, types)), "  ")
        write(",\n" + text if count else text)
    if count < 1:
        raise NotFlat("one subject: the document is a node, not a @graph")
    write("\n ]\n}")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)


def _indented(text: str, margin: str) -> str:
    return margin + text.replace("\n", "\n" + margin)


def _flat(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """The quads, checked as they pass: default graph, each subject in one run, no literal as
    a type (else :class:`NotFlat`)."""
    seen: set = set()
    previous = None
    for quad in quads:
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            raise NotFlat("a quad in a named graph")
        if quad.subject != previous:
            if quad.subject in seen:
                raise NotFlat(f"subject {quad.subject} in two runs")
            previous = quad.subject
            seen.add(previous)
        if quad.predicate.value == RDF_TYPE and isinstance(quad.object, ox.Literal):
            raise NotFlat("a literal as a type")
        yield quad


def _nodes(quads: Iterable[ox.Quad]) -> Iterator[tuple[dict, list[str]]]:
    """Each subject's node as pyoxigraph writes it expanded (values in quad order), and its
    types, one subject at a time."""
    current: tuple[dict, list[str]] | None = None
    for quad in quads:
        subject = _id(quad.subject)
        if current is None or subject != current[0]["@id"]:
            if current is not None:
                yield current
            current = ({"@id": subject}, [])
        predicate, value = quad.predicate.value, _expanded(quad.object)
        if predicate == RDF_TYPE:
            current[1].append(value["@id"])
        else:
            current[0].setdefault(predicate, []).append(value)
    if current is not None:
        yield current


def _id(term) -> str:
    return "_:" + term.value if isinstance(term, ox.BlankNode) else term.value


def _expanded(term) -> dict:
    if isinstance(term, ox.NamedNode | ox.BlankNode):
        return {"@id": _id(term)}
    if term.language:
        return {"@language": term.language, "@value": term.value}
    if term.datatype.value == XSD_STRING:
        return {"@value": term.value}
    return {"@type": term.datatype.value, "@value": term.value}
