"""One read model of a release, in pyoxigraph terms: its store (opened once, read-only), the
release files the store does not hold (ontology, shapes, VoID: in memory), the documents' texts,
and the lookups that descriptions and pages make on them (labels, claims, documents, conflicts).

Every lookup is a quad pattern with bound terms: no query text is ever assembled. A release never
changes under a reader, so one reader serves a process (``maillage/descriptions.py`` describes
from it, and the server's pages read it).
"""

from __future__ import annotations

import hashlib
import threading
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from maillage.identifiers import Base
from maillage.layout import DOCUMENTS_DIR, ONTOLOGY_TURTLE, SHAPES_TURTLE, VOID_TURTLE
from maillage.namespaces import DCTERMS, FOAF, OA, ORG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS
from maillage.store import open_read_only

SIDECAR_FILES = (ONTOLOGY_TURTLE, SHAPES_TURTLE, VOID_TURTLE)
"""Release files whose statements are not in the store: read into memory at start-up."""
WHOLE_DOCUMENTS = {"def/": ONTOLOGY_TURTLE, "shapes/": SHAPES_TURTLE}
"""Namespace IRIs whose description is a whole release file (the ontology, the shapes)."""

DEFAULT = ox.DefaultGraph()
LABELS = tuple(
    ox.NamedNode(str(p))
    for p in (SKOS.prefLabel, RDFS.label, SCHEMA.name, FOAF.name, DCTERMS.title)
)
"""Where a resource's name is; :func:`preferred` says which one a page shows."""
TYPE = ox.NamedNode(str(RDF.type))
VERSION_IRI = ox.NamedNode(str(OWL.versionIRI))
DERIVED_FROM = ox.NamedNode(str(PROV.wasDerivedFrom))
TRUE = ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))

RANKS = ("preferred", "normal", "deprecated")
"""How claims are listed: the rank a conflict prefers first."""


def by_rank(ref: ClaimRef) -> tuple[int, str]:
    return (RANKS.index(ref.rank) if ref.rank in RANKS else len(RANKS), ref.iri)


def term_order(term) -> tuple:
    """IRIs, then blank nodes, then literals, each by value (as rdflib orders its terms)."""
    kind = 0 if isinstance(term, ox.NamedNode) else 1 if isinstance(term, ox.BlankNode) else 2
    return (kind, term.value, str(term))


def triple_order(triple) -> tuple:
    """A triple (or a quad's triple) by subject, predicate and object."""
    return tuple(term_order(t) for t in (triple.subject, triple.predicate, triple.object))


def preferred(literals: list[ox.Literal], language: str) -> ox.Literal | None:
    """The label shown: in ``language``, else English, else without a language, else any; among
    equals, the first of ``literals`` (callers list them in :data:`LABELS` order)."""
    for wanted in (language, "en", None):
        for literal in literals:
            if (literal.language or None) == wanted:
                return literal
    return literals[0] if literals else None


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


@dataclass(frozen=True)
class ListedSentence:
    """A sentence listed as carrying no claim (``data/curation/sentences.yaml``), as the release
    publishes it: an ``oa:assessing`` annotation whose body is its reason."""

    start: int
    end: int
    exact: str
    reason: str
    """The reason's English label (``unclaimed:opinion`` → « opinion »)."""
    note: str | None


@dataclass
class Claim:
    ref: ClaimRef
    exact: str = ""
    start: int | None = None
    end: int | None = None
    inferred: bool = False
    notes: list[ox.Literal] = field(default_factory=list)
    """Inference notes, curator notes and rank reasons, as given."""
    loses_to: list[str] = field(default_factory=list)
    triples: list[ox.Triple] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentInfo:
    iri: str
    id: str
    title: str
    date: str
    publisher: str
    source: str
    claims: int


class ReleaseReader:
    """A release, read: one store handle and the files beside it."""

    def __init__(self, release: Path, base: str) -> None:
        self.release = release
        self.ours = Base(base)
        self.store = open_read_only(release)
        self.sidecar = ox.Store()
        self.whole: dict[str, tuple[ox.Triple, ...]] = {}
        for name in SIDECAR_FILES:
            if (release / name).is_file():
                self._add_sidecar(name, _read_quads(release / name))
        self._lock = threading.Lock()
        self._texts: dict[str, tuple[str, str]] | None = None

    def _add_sidecar(self, name: str, quads: tuple[ox.Quad, ...]) -> None:
        """A release file read once: into the in-memory store, and kept whole when a namespace
        is served as that file. The parser's quads go in as they are (building each again in
        Python cost a server process about 60 ms at start-up)."""
        self.sidecar.extend(quads)
        for key, whole_name in WHOLE_DOCUMENTS.items():
            if whole_name == name:
                self._add_whole(self.ours.at(key), tuple(q.triple for q in quads))

    def _add_whole(self, iri: str, triples: tuple[ox.Triple, ...]) -> None:
        """A namespace served whole, and its version IRIs (``def/1.0.0``) with it."""
        self.whole[iri] = triples
        for t in triples:
            if t.subject.value == iri and t.predicate == VERSION_IRI:
                self.whole[t.object.value] = triples

    # --- Patterns -----------------------------------------------------------------------------

    def quads(self, s=None, p=None, o=None, g=None) -> Iterator[ox.Quad]:
        """Matching quads of the store and, for the default graph, of the in-memory files."""
        yield from self.store.quads_for_pattern(s, p, o, g)
        if g is None or isinstance(g, ox.DefaultGraph):
            yield from self.sidecar.quads_for_pattern(s, p, o, DEFAULT)

    def values(self, subject, predicate) -> list:
        """The objects of ``subject predicate`` in the default graph, in a stable order."""
        found = (q.object for q in self.quads(subject, predicate, None, DEFAULT))
        return sorted(found, key=term_order)

    def first(self, subject, predicate):
        found = self.values(subject, predicate)
        return found[0] if found else None

    def term(self, name: str) -> ox.NamedNode:
        """One of our vocabulary's terms, ``mlg:{name}``."""
        return ox.NamedNode(self.ours.term(name))

    def exists(self, iri: str) -> bool:
        """Whether the release mentions ``iri`` as a subject, object, predicate or graph."""
        if self.ours.path(iri) is None:
            return False
        try:
            node = ox.NamedNode(iri)
        except ValueError:  # not an IRI (a control character, a space): nothing mentions it
            return False
        return (
            iri in self.whole
            or _any(self.quads(node))
            or _any(self.quads(None, None, node))
            or _any(self.quads(None, node))
            or _any(self.store.quads_for_pattern(None, None, None, node))
        )

    def iris(self) -> list[str]:
        """Every IRI of our namespace the release mentions (a full scan: for precomputing)."""
        found = set(self.whole)
        for quad in self.quads():
            for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
                if isinstance(term, ox.NamedNode) and self.ours.path(term.value) is not None:
                    found.add(term.value)
        return sorted(found)

    # --- Labels -------------------------------------------------------------------------------

    def label(self, node, language: str = "fr") -> ox.Literal | None:
        """The name a page shows for ``node``; a membership is named by its parts."""
        if not isinstance(node, ox.NamedNode):
            return None
        found = [
            o
            for predicate in LABELS
            for o in self.values(node, predicate)
            if isinstance(o, ox.Literal)
        ]
        return preferred(found, language) or self.membership_label(node, language)

    def membership_label(self, node: ox.NamedNode, language: str) -> ox.Literal | None:
        """A role has no name of its own: « Pierre Deniset, président, FrenchSouth.digital »."""
        parts = [
            self.first(node, ox.NamedNode(ORG[name])) for name in ("member", "role", "organization")
        ]
        if parts[0] is None or parts[2] is None:
            return None
        names = [self.label(part, language) for part in parts if part is not None]
        if any(name is None for name in names):
            return None
        return ox.Literal(", ".join(name.value for name in names), language=language)

    # --- Claims -------------------------------------------------------------------------------

    def claim_ref(self, claim) -> ClaimRef | None:
        """The claim an IRI names, with its rank; None when it names no claim."""
        iri = claim.value if isinstance(claim, ox.NamedNode) else str(claim)
        key = self.ours.claim_key(iri)
        if key is None:
            return None
        rank = self.first(ox.NamedNode(iri), self.term("rank"))
        name = (self.ours.term_name(rank.value) if rank is not None else None) or "NormalRank"
        return ClaimRef(iri, *key, name.removesuffix("Rank").lower())

    def claim(self, iri: str) -> Claim | None:
        ref = self.claim_ref(iri)
        node = ox.NamedNode(iri)
        if ref is None or not self.values(node, TYPE):
            return None
        claim = Claim(ref)
        self._fill_metadata(claim, node)
        self._fill_position(claim, node)
        graph = self.store.quads_for_pattern(None, None, None, node)
        claim.triples = sorted((q.triple for q in graph), key=triple_order)
        return claim

    def _fill_metadata(self, claim: Claim, node: ox.NamedNode) -> None:
        term = self.term
        notes = (term("inferenceNote"), term("rankReason"), named(SKOS.note))
        for quad in sorted(self.quads(node, None, None, DEFAULT), key=triple_order):
            p, o = quad.predicate, quad.object
            if p == term("quote"):
                exact = self.first(o, named(OA.exact))
                claim.exact = exact.value if exact is not None else ""
            elif p == term("inferred"):
                claim.inferred = o == TRUE
            elif p in notes:
                claim.notes.append(o)
            elif p == term("losesTo"):
                claim.loses_to.append(o.value)
        claim.loses_to.sort()

    def _fill_position(self, claim: Claim, node: ox.NamedNode) -> None:
        has_body, has_target = named(OA.hasBody), named(OA.hasTarget)
        has_selector = named(OA.hasSelector)
        start, end = named(OA.start), named(OA.end)
        annotations = {q.subject for q in self.quads(None, has_body, node)}
        for annotation in sorted(annotations, key=term_order):
            for target in self.values(annotation, has_target):
                for selector in self.values(target, has_selector):
                    begin, finish = self.first(selector, start), self.first(selector, end)
                    if begin is not None and finish is not None:
                        claim.start, claim.end = int(begin.value), int(finish.value)
                        return

    def claims_of(self, document_iri: str) -> list[Claim]:
        """Every claim derived from a document, in the order of their quotes."""
        found = [
            self.claim(q.subject.value)
            for q in self.quads(None, DERIVED_FROM, ox.NamedNode(document_iri), DEFAULT)
        ]
        claims = [c for c in found if c is not None]
        return sorted(claims, key=lambda c: (c.start if c.start is not None else -1, c.ref.iri))

    def listed_sentences(self, document_iri: str) -> list[ListedSentence]:
        """The document's sentences listed as carrying no claim, in the order of the text."""
        found = []
        has_target, has_source = named(OA.hasTarget), named(OA.hasSource)
        for target in self.quads(None, has_source, ox.NamedNode(document_iri), DEFAULT):
            for annotation in self.quads(None, has_target, target.subject, DEFAULT):
                listed = self._listed(annotation.subject, target.subject)
                if listed is not None:
                    found.append(listed)
        return sorted(found, key=lambda s: s.start)

    def _listed(self, annotation: ox.NamedNode, target: ox.NamedNode) -> ListedSentence | None:
        if self.first(annotation, named(OA.motivatedBy)) != named(OA.assessing):
            return None
        selectors = self.values(target, named(OA.hasSelector))
        starts = [s for s in selectors if self.first(s, named(OA.start)) is not None]
        quotes = [s for s in selectors if self.first(s, named(OA.exact)) is not None]
        if not starts or not quotes:
            return None
        note = self.first(annotation, named(RDFS.comment))
        body = self.first(annotation, named(OA.hasBody))
        reason = self.label(body, "en")
        return ListedSentence(
            start=int(self.first(starts[0], named(OA.start)).value),
            end=int(self.first(starts[0], named(OA.end)).value),
            exact=self.first(quotes[0], named(OA.exact)).value,
            reason=reason.value if reason is not None else body.value.rsplit("/", 1)[-1],
            note=note.value if note is not None else None,
        )

    def statement_sources(self, iri: str) -> dict[ox.Triple, list[ClaimRef]]:
        """For each statement about ``iri`` or pointing at it, the claims that state it."""
        node = ox.NamedNode(iri)
        sources: dict[ox.Triple, set[ClaimRef]] = defaultdict(set)
        refs: dict[ox.NamedNode, ClaimRef | None] = {}
        for pattern in ((node, None, None), (None, None, node)):
            for quad in self.store.quads_for_pattern(*pattern):
                graph = quad.graph_name
                if isinstance(graph, ox.DefaultGraph):
                    continue
                if graph not in refs:
                    refs[graph] = self.claim_ref(graph)
                if refs[graph] is not None:
                    sources[quad.triple].add(refs[graph])
        return {triple: sorted(claims, key=by_rank) for triple, claims in sources.items()}

    # --- Conflicts ----------------------------------------------------------------------------

    def conflicts(self, language: str = "en") -> list[tuple[str, ox.Literal | None]]:
        """Every recorded disagreement between documents: its IRI and label in ``language``."""
        conflicts = self.quads(None, TYPE, self.term("Conflict"), DEFAULT)
        return _named([q.subject for q in conflicts], self.label, language)

    def conflicts_about(
        self, iri: str, language: str = "en"
    ) -> list[tuple[str, ox.Literal | None]]:
        """The disagreements about a resource (``mlg:conflictAbout``): IRI and label in
        ``language``."""
        about = self.quads(None, self.term("conflictAbout"), ox.NamedNode(iri), DEFAULT)
        return _named([q.subject for q in about], self.label, language)

    def conflict_claims(self, iri: str) -> list[Claim]:
        """The claims of a conflict, preferred first."""
        found = [
            self.claim(c.value) for c in self.values(ox.NamedNode(iri), self.term("conflictClaim"))
        ]
        return sorted((c for c in found if c is not None), key=lambda c: by_rank(c.ref))

    # --- Documents ----------------------------------------------------------------------------

    def documents(self) -> list[DocumentInfo]:
        found = [
            self.document_info(q.subject.value)
            for q in self.quads(None, TYPE, named(FOAF.Document), DEFAULT)
            if self.ours.document_id(q.subject.value) is not None
        ]
        return sorted(found, key=lambda d: d.id)

    def document_info(self, iri: str) -> DocumentInfo:
        node = ox.NamedNode(iri)
        claims = sum(1 for _ in self.quads(None, DERIVED_FROM, node, DEFAULT))

        def text(predicate) -> str:
            found = self.first(node, named(predicate))
            return found.value if found is not None else ""

        title = self.label(node)
        return DocumentInfo(
            iri=iri,
            id=self.ours.document_id(iri) or iri.rsplit("/", 1)[-1],
            title=title.value if title is not None else "",
            date=text(DCTERMS.date),
            publisher=text(DCTERMS.publisher),
            source=text(DCTERMS.source),
            claims=claims,
        )

    def document_text(self, doc_id: str) -> str | None:
        """The text as the release holds it (``documents/<id>.txt``), if it is the one the graph
        describes (same SHA-256 as the release's ``mlg:sha256`` of the document)."""
        with self._lock:
            if self._texts is None:
                self._texts = self._read_texts()
        text, digest = self._texts.get(doc_id, (None, None))
        recorded = self.first(ox.NamedNode(self.ours.document(doc_id)), self.term("sha256"))
        if text is None or recorded is None or recorded.value != digest:
            return None
        return text

    def _read_texts(self) -> dict[str, tuple[str, str]]:
        texts = {}
        for path in sorted((self.release / DOCUMENTS_DIR).glob("*.txt")):
            data = path.read_bytes()
            texts[path.stem] = (data.decode("utf-8"), hashlib.sha256(data).hexdigest())
        return texts


def _named(nodes: list, label, language: str) -> list[tuple[str, ox.Literal | None]]:
    found = [(node.value, label(node, language)) for node in set(nodes)]
    return sorted(found, key=lambda c: c[1].value if c[1] is not None else c[0])


def named(iri) -> ox.NamedNode:
    """An rdflib namespace member (``maillage/namespaces.py``) as a pyoxigraph term."""
    return ox.NamedNode(str(iri))


def _any(quads: Iterator[ox.Quad]) -> bool:
    return next(quads, None) is not None


def _read_quads(path: Path) -> tuple[ox.Quad, ...]:
    """A Turtle file's statements, in the default graph."""
    return tuple(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
