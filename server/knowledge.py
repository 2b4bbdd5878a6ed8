"""What the pages read from a release: claims and their quotes, documents and their text, and
labels. Lookups are quad patterns on the read-only store (no query text is ever assembled), and
terms come back as rdflib terms so that they compare with a resource description."""

from __future__ import annotations

import hashlib
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDFS, SKOS, XSD
from rdflib.term import Node

from maillage.layout import DOCUMENTS_DIR
from maillage.namespaces import OA, ORG, SCHEMA
from maillage.settings import Settings
from maillage.store import open_read_only

LABELS = (SKOS.prefLabel, RDFS.label, SCHEMA.name, FOAF.name, DCTERMS.title)
"""Where a resource's name is, in order of preference."""

RANKS = ("PreferredRank", "NormalRank", "DeprecatedRank")

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class ClaimRef:
    """A claim as a statement's source: which document, which claim, which rank."""

    iri: str
    document: str
    local_id: str
    rank: str
    """``preferred``, ``normal`` or ``deprecated``."""

    @property
    def href(self) -> str:
        """The document page with this claim's quote selected and scrolled to."""
        return f"/document/{self.document}?claim={self.local_id}#claim-{self.local_id}"

    @property
    def anchor(self) -> str:
        return f"claim-{self.local_id}"


@dataclass
class Claim:
    ref: ClaimRef
    exact: str = ""
    start: int | None = None
    end: int | None = None
    inferred: bool = False
    notes: list[Literal] = field(default_factory=list)
    """Inference notes, curator notes and rank reasons, as given."""
    loses_to: list[str] = field(default_factory=list)
    triples: list[Triple] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentInfo:
    iri: str
    id: str
    title: str
    date: str
    publisher: str
    source: str
    claims: int


class Knowledge:
    """Per application: the release's store, opened read-only on first use, and the documents."""

    def __init__(self, settings: Settings, release: Path) -> None:
        self.settings = settings
        self.release = release
        self.iris = settings.iris
        self._lock = threading.Lock()
        self._store: ox.Store | None = None
        self._texts: dict[str, tuple[str, str]] | None = None
        self._vocabulary: Graph | None = None

    @property
    def store(self) -> ox.Store:
        with self._lock:
            if self._store is None:
                self._store = open_read_only(self.release)
            return self._store

    def term(self, name: str) -> URIRef:
        """One of our vocabulary's terms, ``mlg:{name}``."""
        return URIRef(self.iris.term(name))

    def quads(self, s=None, p=None, o=None, g=None):
        """Quads matching a pattern of rdflib terms (None is a wildcard; ``g=False`` is the
        default graph), as rdflib triples with the graph name."""
        graph = ox.DefaultGraph() if g is False else _ox(g)
        for quad in self.store.quads_for_pattern(_ox(s), _ox(p), _ox(o), graph):
            name = quad.graph_name
            yield (
                to_rdflib(quad.subject),
                to_rdflib(quad.predicate),
                to_rdflib(quad.object),
                None if isinstance(name, ox.DefaultGraph) else to_rdflib(name),
            )

    def values(self, subject: Node, predicate: Node) -> list[Node]:
        return [o for _s, _p, o, _g in self.quads(subject, predicate, None, False)]

    def first(self, subject: Node, predicate: Node) -> Node | None:
        found = self.values(subject, predicate)
        return min(found) if found else None

    def describe(self, iri: str) -> Graph:
        """The statements of the default graph about ``iri`` (for pages that are not reached
        through dereferencing, such as ``/document/NNN``)."""
        graph = Graph()
        for s, p, o, _g in self.quads(URIRef(iri), None, None, False):
            graph.add((s, p, o))
        return graph

    # --- Claims -------------------------------------------------------------------------------

    def claim_ref(self, claim: Node) -> ClaimRef | None:
        key = self.iris.claim_key(str(claim))
        if key is None:
            return None
        rank = self.first(claim, self.term("rank"))
        name = (self.iris.term_name(str(rank)) if rank is not None else None) or "NormalRank"
        return ClaimRef(str(claim), *key, name.removesuffix("Rank").lower())

    def claim(self, iri: str) -> Claim | None:
        ref = self.claim_ref(URIRef(iri))
        if ref is None or not self.values(URIRef(iri), RDF.type):
            return None
        claim = Claim(ref)
        self._fill_metadata(claim)
        self._fill_position(claim)
        claim.triples = sorted((s, p, o) for s, p, o, _g in self.quads(g=URIRef(iri)))
        return claim

    def _fill_metadata(self, claim: Claim) -> None:
        term = self.term
        for _s, p, o, _g in self.quads(URIRef(claim.ref.iri), None, None, False):
            if p == term("quote"):
                claim.exact = str(self.first(o, OA.exact) or "")
            elif p == term("inferred"):
                claim.inferred = o == Literal(True)
            elif p in (term("inferenceNote"), term("rankReason"), SKOS.note):
                claim.notes.append(o)
            elif p == term("losesTo"):
                claim.loses_to.append(str(o))
        claim.loses_to.sort()

    def _fill_position(self, claim: Claim) -> None:
        for annotation in (s for s, *_ in self.quads(None, OA.hasBody, URIRef(claim.ref.iri))):
            for target in self.values(annotation, OA.hasTarget):
                for selector in self.values(target, OA.hasSelector):
                    start, end = self.first(selector, OA.start), self.first(selector, OA.end)
                    if start is not None and end is not None:
                        claim.start, claim.end = int(start), int(end)
                        return

    def claims_of(self, document_iri: str) -> list[Claim]:
        """Every claim derived from a document, in the order of their quotes."""
        claims = [
            self.claim(str(s))
            for s, *_ in self.quads(None, PROV.wasDerivedFrom, URIRef(document_iri), False)
        ]
        found = [c for c in claims if c is not None]
        return sorted(found, key=lambda c: (c.start if c.start is not None else -1, c.ref.iri))

    def statement_sources(self, iri: str) -> dict[Triple, list[ClaimRef]]:
        """For each statement about ``iri`` or pointing at it, the claims that state it."""
        resource = URIRef(iri)
        sources: dict[Triple, set[ClaimRef]] = defaultdict(set)
        refs: dict[Node, ClaimRef | None] = {}
        for pattern in ((resource, None, None), (None, None, resource)):
            for s, p, o, g in self.quads(*pattern):
                if g is None:
                    continue
                if g not in refs:
                    refs[g] = self.claim_ref(g)
                if refs[g] is not None:
                    sources[(s, p, o)].add(refs[g])
        order = {f"{rank.removesuffix('Rank').lower()}": n for n, rank in enumerate(RANKS)}
        return {
            triple: sorted(claims, key=lambda c: (order.get(c.rank, 9), c.iri))
            for triple, claims in sources.items()
        }

    def in_default_graph(self, triple: Triple) -> bool:
        return any(True for _ in self.quads(*triple, False))

    # --- Labels -------------------------------------------------------------------------------

    def labels(self, iris: set[Node], language: str = "fr") -> dict[Node, Literal]:
        found = {}
        for iri in iris:
            if isinstance(iri, URIRef):
                label = self.label(iri, language)
                if label is not None:
                    found[iri] = label
        return found

    def label(self, iri: Node, language: str = "fr") -> Literal | None:
        for predicate in LABELS:
            candidates = [o for o in self.values(iri, predicate) if isinstance(o, Literal)]
            if candidates:
                return preferred(candidates, language)
        return self.membership_label(iri, language)

    def membership_label(self, iri: Node, language: str) -> Literal | None:
        """A role has no name of its own: « Pierre Deniset, président, FrenchSouth.digital »."""
        parts = [self.first(iri, ORG[name]) for name in ("member", "role", "organization")]
        if parts[0] is None or parts[2] is None:
            return None
        names = [self.label(part, language) for part in parts if part is not None]
        if any(name is None for name in names):
            return None
        return Literal(", ".join(str(name) for name in names), lang=language)

    def term_label(self, term: Node) -> Literal | None:
        """The English label of a class or property, from the release's ``ontology.ttl``."""
        with self._lock:
            if self._vocabulary is None:
                self._vocabulary = Graph()
                path = self.release / "ontology.ttl"
                if path.is_file():
                    self._vocabulary.parse(path, format="turtle")
        for predicate in (RDFS.label, SKOS.prefLabel):
            found = [o for o in self._vocabulary.objects(term, predicate) if isinstance(o, Literal)]
            if found:
                return preferred(found, "en")
        return None

    def conflicts(self) -> list[tuple[str, Literal | None]]:
        """Every recorded disagreement between documents: its IRI and English label."""
        found = [
            (str(s), self.label(s, "en"))
            for s, *_ in self.quads(None, RDF.type, self.term("Conflict"), False)
        ]
        return sorted(found, key=lambda c: str(c[1] or c[0]))

    def conflicts_about(self, iri: str) -> list[tuple[str, Literal | None]]:
        """The disagreements about a resource (``mlg:conflictAbout``): IRI and English label."""
        about = self.term("conflictAbout")
        found = [
            (str(s), self.label(s, "en")) for s, *_ in self.quads(None, about, URIRef(iri), False)
        ]
        return sorted(found, key=lambda c: str(c[1] or c[0]))

    def conflict_claims(self, iri: str) -> list[Claim]:
        """The claims of a conflict, preferred first."""
        claims = [self.claim(str(c)) for c in self.values(URIRef(iri), self.term("conflictClaim"))]
        order = {rank.removesuffix("Rank").lower(): n for n, rank in enumerate(RANKS)}
        found = [c for c in claims if c is not None]
        return sorted(found, key=lambda c: (order.get(c.ref.rank, 9), c.ref.iri))

    # --- Documents ----------------------------------------------------------------------------

    def documents(self) -> list[DocumentInfo]:
        found = [
            self.document_info(str(s))
            for s, *_ in self.quads(None, RDF.type, FOAF.Document, False)
            if self.iris.document_id(str(s)) is not None
        ]
        return sorted(found, key=lambda d: d.id)

    def document_info(self, iri: str) -> DocumentInfo:
        node = URIRef(iri)
        claims = sum(1 for _ in self.quads(None, PROV.wasDerivedFrom, node, False))
        return DocumentInfo(
            iri=iri,
            id=self.iris.document_id(iri) or iri.rsplit("/", 1)[-1],
            title=str(self.label(node) or ""),
            date=str(self.first(node, DCTERMS.date) or ""),
            publisher=str(self.first(node, DCTERMS.publisher) or ""),
            source=str(self.first(node, DCTERMS.source) or ""),
            claims=claims,
        )

    def document_text(self, doc_id: str) -> str | None:
        """The text as the release holds it (``documents/<id>.txt``), if it is the one the graph
        describes (same SHA-256 as the release's ``mlg:sha256`` of the document)."""
        with self._lock:
            if self._texts is None:
                self._texts = self._read_texts()
        text, digest = self._texts.get(doc_id, (None, None))
        recorded = self.first(URIRef(self.iris.document(doc_id)), self.term("sha256"))
        if text is None or recorded is None or str(recorded) != digest:
            return None
        return text

    def _read_texts(self) -> dict[str, tuple[str, str]]:
        texts = {}
        for path in sorted((self.release / DOCUMENTS_DIR).glob("*.txt")):
            data = path.read_bytes()
            texts[path.stem] = (data.decode("utf-8"), hashlib.sha256(data).hexdigest())
        return texts


def preferred(literals: list[Literal], language: str) -> Literal:
    """The literal in ``language``, else English, else one without a language, else any."""
    for wanted in (language, "en", None):
        matching = sorted(lit for lit in literals if lit.language == wanted)
        if matching:
            return matching[0]
    return sorted(literals)[0]


def to_rdflib(term) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unexpected term {term!r}")


def _ox(term: Node | None):
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        datatype = term.datatype or XSD.string
        return ox.Literal(str(term), datatype=ox.NamedNode(str(datatype)))
    raise TypeError(f"unexpected term {term!r}")
