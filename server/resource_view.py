"""A resource description (an rdflib graph) turned into what its page shows: a label, types,
statements grouped by kind, incoming links, and for every statement the claims that state it."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, SKOS
from rdflib.term import Node

from maillage.namespaces import IGEO, OA, PREFIXES, SCHEMA
from server.knowledge import LABELS, ClaimRef, Knowledge, Triple, preferred
from server.site import local_href

NAMES = {*LABELS, SKOS.altLabel, SKOS.hiddenLabel, IGEO.nom, SCHEMA.alternateName}
ELSEWHERE = {OWL.sameAs, SKOS.closeMatch, SKOS.exactMatch, IGEO.codeINSEE, DCTERMS.identifier}
CLASSIFYING = {URIRef("http://www.w3.org/ns/org#classification"), DCTERMS.subject, SKOS.inScheme}
PROVENANCE_NAMESPACES = (str(PROV), str(OA))
PROVENANCE_TERMS = (
    "quote",
    "rank",
    "losesTo",
    "rankReason",
    "inferred",
    "inferenceNote",
    "sha256",
    "dateDerivation",
    "publisherDerivation",
    "titleFromFirstSentence",
    "conflictClaim",
)
GROUPS = ("Names", "Facts", "Relations", "Classification", "Elsewhere", "Provenance")


@dataclass
class Value:
    term: Node
    text: str
    href: str | None = None
    lang: str | None = None
    note: str = ""
    """The datatype of a literal or the short name of an IRI, shown small."""
    sources: list[ClaimRef] = field(default_factory=list)


@dataclass
class Row:
    predicate: URIRef
    label: str
    curie: str
    href: str
    values: list[Value] = field(default_factory=list)


@dataclass
class Group:
    title: str
    rows: list[Row]


@dataclass
class ResourceView:
    iri: str
    href: str
    label: Value
    types: list[Value]
    groups: list[Group]
    incoming: list[Row]
    withheld: list[tuple[Row, Value]]
    """Statements about the resource that only deprecated (or otherwise withheld) claims make."""


def curie(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


class Describer:
    """Builds the view of one resource; holds the label cache of one page."""

    def __init__(self, knowledge: Knowledge, description: Graph, iri: str) -> None:
        self.knowledge = knowledge
        self.settings = knowledge.settings
        self.iris = knowledge.iris
        self.graph = description
        self.node = URIRef(iri)
        self.sources = knowledge.statement_sources(iri)
        self._labels: dict[Node, Literal | None] = {}

    def view(self) -> ResourceView:
        outgoing = [(p, o) for p, o in self.graph.predicate_objects(self.node) if p != RDF.type]
        return ResourceView(
            iri=str(self.node),
            href=local_href(str(self.node), self.settings),
            label=self.value(self.node),
            types=[self.value(t) for t in sorted(set(self.graph.objects(self.node, RDF.type)))],
            groups=self.groups(outgoing),
            incoming=self.incoming(),
            withheld=self.withheld(),
        )

    # --- Values -------------------------------------------------------------------------------

    def label_of(self, node: Node) -> Literal | None:
        if node not in self._labels:
            found = [
                o
                for predicate in LABELS
                for o in self.graph.objects(node, predicate)
                if isinstance(o, Literal)
            ]
            local = preferred(found, "fr") if found else None
            self._labels[node] = local or self.knowledge.label(node) or self.vocabulary(node)
        return self._labels[node]

    def vocabulary(self, node: Node) -> Literal | None:
        return self.knowledge.term_label(node)

    def value(self, term: Node, sources: list[ClaimRef] | None = None) -> Value:
        sources = sources or []
        if isinstance(term, Literal):
            datatype = curie(str(term.datatype)) if term.datatype else ""
            return Value(term, str(term), lang=term.language, note=datatype, sources=sources)
        text = str(term)
        label = self.label_of(term)
        short = curie(text)
        if short == text and self.iris.path(text) is not None:
            short = self.iris.path(text)
        return Value(
            term,
            str(label) if label is not None else short,
            href=local_href(text, self.settings),
            lang=label.language if label is not None else None,
            note=short if label is not None else "",
            sources=sources,
        )

    def row(self, predicate: URIRef) -> Row:
        label = self.vocabulary(predicate)
        short = curie(str(predicate))
        return Row(
            predicate,
            str(label) if label is not None else short,
            short,
            local_href(str(predicate), self.settings),
        )

    # --- Grouping -----------------------------------------------------------------------------

    def kind(self, predicate: URIRef, values: list[Node]) -> str:
        text = str(predicate)
        if predicate in NAMES:
            return "Names"
        if predicate in ELSEWHERE:
            return "Elsewhere"
        if text.startswith(PROVENANCE_NAMESPACES) or self.iris.term_name(text) in PROVENANCE_TERMS:
            return "Provenance"
        if predicate == DCTERMS.source or text.endswith("Derivation"):
            return "Provenance"
        concepts = self.iris.concepts
        if predicate in CLASSIFYING or all(str(v).startswith(concepts) for v in values):
            return "Classification"
        if all(isinstance(v, Literal) for v in values):
            return "Facts"
        return "Relations"

    def groups(self, statements: list[tuple[Node, Node]]) -> list[Group]:
        by_predicate: dict[URIRef, list[Node]] = {}
        for predicate, obj in sorted(statements):
            by_predicate.setdefault(predicate, []).append(obj)
        grouped: dict[str, list[Row]] = {title: [] for title in GROUPS}
        for predicate, objects in by_predicate.items():
            row = self.row(predicate)
            for obj in objects:
                row.values.append(self.value(obj, self.sources.get((self.node, predicate, obj))))
            row.values.sort(key=lambda v: v.text.casefold())
            grouped[self.kind(predicate, objects)].append(row)
        return [Group(title, rows) for title, rows in grouped.items() if rows]

    def incoming(self) -> list[Row]:
        rows: dict[URIRef, Row] = {}
        for subject, predicate in sorted(self.graph.subject_predicates(self.node)):
            if subject == self.node or predicate in (RDF.subject, RDF.object):
                continue
            if predicate == PROV.wasDerivedFrom and self.knowledge.claim_ref(subject):
                continue  # a document's claims: its page lists them with their quotes
            if predicate == self.knowledge.term("conflictAbout"):
                continue  # the page lists the conflicts about it in a section of their own
            row = rows.setdefault(predicate, self.row(predicate))
            row.values.append(
                self.value(subject, self.sources.get((subject, predicate, self.node)))
            )
        for row in rows.values():
            row.values.sort(key=lambda v: v.text.casefold())
        return list(rows.values())

    def withheld(self) -> list[tuple[Row, Value]]:
        """Claimed statements (outgoing) that the default graph does not hold."""
        found = []
        for triple, claims in sorted(self.sources.items()):
            s, p, o = triple
            if s != self.node or triple in self.graph or self.knowledge.in_default_graph(triple):
                continue
            found.append((self.row(p), self.value(o, claims)))
        return found


def is_claim(description: Graph, iri: str, knowledge: Knowledge) -> bool:
    return (URIRef(iri), RDF.type, knowledge.term("Claim")) in description


def is_conflict(description: Graph, iri: str, knowledge: Knowledge) -> bool:
    return (URIRef(iri), RDF.type, knowledge.term("Conflict")) in description


def document_id(description: Graph, iri: str, knowledge: Knowledge) -> str | None:
    """``001`` when ``iri`` is one of our source documents."""
    doc_id = knowledge.iris.document_id(iri)
    if doc_id is not None and (URIRef(iri), RDF.type, FOAF.Document) in description:
        return doc_id
    return None


def triple_rows(describer: Describer, triples: list[Triple]) -> list[tuple[Value, Row, Value]]:
    """Subject, property, object of each triple of a claim, labelled for display."""
    return [(describer.value(s), describer.row(p), describer.value(o)) for s, p, o in triples]
