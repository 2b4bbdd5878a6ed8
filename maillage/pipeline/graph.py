"""Stage 5: claims, provenance, ranks and reference data → the published graphs.

``KnowledgeGraph.default`` holds the non-deprecated statements, the claim metadata, documents,
conflicts, territories and concept schemes; ``KnowledgeGraph.claims`` one named graph per claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import DCTERMS, FOAF, PROV, RDF, RDFS, TIME, XSD, Graph, Literal, URIRef

from maillage.identifiers import (
    claim_iri,
    claim_part_iri,
    conflict_iri,
    document_iri,
    hash_iri,
)
from maillage.namespaces import CONCEPT, MLG, OA, SCHEMA, SKOS
from maillage.pipeline.accounting import REASON_SCHEME, Account, Listing
from maillage.pipeline.claims import Claim
from maillage.pipeline.conflicts import HELD_OUT, Conflict, claim_ranks, preferred_over
from maillage.pipeline.dates import add_date_bounds
from maillage.pipeline.materialise import head_roles, materialise_claim, materialise_heads
from maillage.pipeline.provenance import (
    CONTEXT_CHARS,
    NormalisedText,
    QuoteLocation,
    locate_quote,
)
from maillage.pipeline.redirects import Redirect, retirement_triples
from maillage.pipeline.sentences import Sentence
from maillage.pipeline.sources import Document
from maillage.pipeline.time import Instant, add_time, instant, instant_triples

RANK_IRIS = {
    "preferred": MLG.PreferredRank,
    "normal": MLG.NormalRank,
    "deprecated": MLG.DeprecatedRank,
    "agreeing": MLG.NormalRank,  # true, not deprecated: it agrees (mlg:agreesWith)
}
DATE_TYPES = {"date": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}


@dataclass
class KnowledgeGraph:
    default: Graph
    claims: dict[URIRef, Graph]
    locations: dict[str, QuoteLocation]
    ranks: dict[str, str]


def build_graph(
    documents: dict[str, Document],
    claims: list[Claim],
    conflicts: list[Conflict],
    reference: list[Path],
    concepts: Graph,
    redirects: list[Redirect] = (),
) -> KnowledgeGraph:
    ranks = claim_ranks(conflicts)
    texts = {doc_id: NormalisedText(doc.text) for doc_id, doc in documents.items()}
    locations = {c.key: locate_quote(c, texts[c.doc_id]) for c in claims}
    claim_graphs = {claim_iri(c.doc_id, c.id): _claim_graph(c) for c in claims}
    active = {claim_iri(c.doc_id, c.id) for c in claims if ranks.get(c.key) not in HELD_OUT}
    materialise_heads(claim_graphs, active, head_roles(concepts))

    default = Graph()
    for iri in sorted(active):
        default += claim_graphs[iri]
    attested_at = {
        claim_iri(c.doc_id, c.id): attestation(c, documents[c.doc_id])
        for c in claims
        if claim_iri(c.doc_id, c.id) in active
    }
    for document in documents.values():
        _describe_document(default, document)
    for claim in claims:
        _describe_claim(
            default, claim, locations[claim.key], ranks.get(claim.key, "normal"), conflicts
        )
    for conflict in conflicts:
        _describe_conflict(default, conflict)
    add_time(default, claim_graphs, attested_at)  # reads the instants of documents and claims
    for path in reference:
        default.parse(path)
    default += concepts
    for triple in retirement_triples(redirects):  # retired IRIs (data/curation/redirects.yaml)
        default.add(triple)
    add_date_bounds(default)  # documents' and reference data's dates; the claims' have theirs
    return KnowledgeGraph(default, claim_graphs, locations, ranks)


def document_date(doc: Document) -> Literal | None:
    if not doc.date:
        return None
    precision, value = doc.date
    return Literal(value, datatype=DATE_TYPES[precision])


def attestation(claim: Claim, doc: Document) -> Instant | None:
    """The instant a claim attests its facts at: its ``as_of``, else its document's date, else
    none (document 004 is undated: its claims attest nothing)."""
    if claim.as_of is not None:
        return instant(hash_iri(claim_iri(claim.doc_id, claim.id), "as-of"), claim.as_of, True)
    date = document_date(doc)
    return None if date is None else instant(hash_iri(document_iri(doc.id), "date"), date)


def _claim_graph(claim: Claim) -> Graph:
    graph = Graph(identifier=claim_iri(claim.doc_id, claim.id))
    for statement in claim.statements:
        graph.add((statement.subject, statement.predicate, statement.object))
    materialise_claim(graph)
    return graph


def _describe_document(g: Graph, doc: Document) -> None:
    iri = document_iri(doc.id)
    g.add((iri, RDF.type, FOAF.Document))
    g.add((iri, DCTERMS.identifier, Literal(doc.id)))
    g.add((iri, DCTERMS.title, Literal(doc.title, lang=doc.language)))
    g.add((iri, RDFS.label, Literal(doc.title, lang=doc.language)))
    if doc.title_from == "first-sentence":
        g.add((iri, MLG.titleFromFirstSentence, Literal(True)))
    if doc.headline:
        g.add((iri, SCHEMA.headline, Literal(doc.headline, lang=doc.language)))
    date = document_date(doc)
    if date is not None:
        g.add((iri, DCTERMS.date, date))
        g.add((iri, TIME.hasTime, hash_iri(iri, "date")))
        for triple in instant_triples(hash_iri(iri, "date"), date):
            g.add(triple)
    g.add((iri, MLG.dateDerivation, Literal(doc.date_from, lang="en")))
    if doc.publisher:
        g.add((iri, DCTERMS.publisher, Literal(doc.publisher)))
        g.add((iri, MLG.publisherDerivation, Literal(doc.publisher_from, lang="en")))
    g.add((iri, DCTERMS.language, Literal(doc.language, datatype=XSD.language)))
    g.add((iri, DCTERMS.source, URIRef(doc.url)))
    g.add((iri, MLG.sha256, Literal(doc.sha256)))


def _describe_claim(g: Graph, claim: Claim, where: QuoteLocation, rank: str, conflicts) -> None:
    iri = claim_iri(claim.doc_id, claim.id)
    doc, part = (
        document_iri(claim.doc_id),
        lambda name: claim_part_iri(claim.doc_id, claim.id, name),
    )
    quote, position, target, annotation = (
        part("quote"),
        part("position"),
        part("target"),
        part("annotation"),
    )
    g.add((iri, RDF.type, MLG.Claim))
    g.add((iri, RDF.type, PROV.Entity))
    g.add((iri, RDFS.label, Literal(f"Claim {claim.key}", lang="en")))
    g.add((iri, PROV.wasDerivedFrom, doc))
    g.add((iri, MLG.rank, RANK_IRIS[rank]))
    g.add((iri, MLG.quote, quote))
    if claim.inferred:
        g.add((iri, MLG.inferred, Literal(True)))
        g.add((iri, MLG.inferenceNote, Literal(claim.inferred, lang="en")))
    if claim.note:
        g.add((iri, SKOS.note, Literal(claim.note, lang="en")))
    if claim.as_of is not None:
        g.add((iri, MLG.asOf, hash_iri(iri, "as-of")))
        for triple in instant_triples(hash_iri(iri, "as-of"), claim.as_of):
            g.add(triple)
    for rank, link in (("deprecated", MLG.losesTo), ("agreeing", MLG.agreesWith)):
        for winner, conflict in preferred_over(conflicts, claim.key, rank):
            winner_doc, winner_id = winner.split("/", 1)
            g.add((iri, link, claim_iri(winner_doc, winner_id)))
            for lang, text in conflict.reason.items():
                g.add((iri, MLG.rankReason, Literal(text, lang=lang)))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(where.exact)))
    g.add((quote, OA.prefix, Literal(where.prefix)))
    g.add((quote, OA.suffix, Literal(where.suffix)))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, Literal(where.start, datatype=XSD.nonNegativeInteger)))
    g.add((position, OA.end, Literal(where.end, datatype=XSD.nonNegativeInteger)))
    g.add((target, RDF.type, OA.SpecificResource))
    g.add((target, OA.hasSource, doc))
    g.add((target, OA.hasSelector, quote))
    g.add((target, OA.hasSelector, position))
    g.add((annotation, RDF.type, OA.Annotation))
    g.add((annotation, OA.motivatedBy, OA.describing))
    g.add((annotation, OA.hasBody, iri))
    g.add((annotation, OA.hasTarget, target))


def describe_listed_sentences(
    g: Graph, accounts: dict[str, Account], documents: dict[str, Document]
) -> None:
    """Each listed sentence as a Web Annotation: a curator's assessment (``oa:assessing``) of
    the sentence, whose body is the reason (a concept of ``unclaimed``), targeting the sentence
    in its document with a quote and a position selector. Its IRIs hang off the document's:
    ``…/id/document/001#sentence-33-47`` (line 33, column 47)."""
    for doc_id, account in accounts.items():
        doc = document_iri(doc_id)
        text = documents[doc_id].text
        for sentence, listing in account.listed_sentences():
            _describe_listed(g, doc, text, sentence, listing)


def _describe_listed(
    g: Graph, doc: URIRef, text: str, sentence: Sentence, listing: Listing
) -> None:
    name = f"sentence-{sentence.line}-{sentence.column}"
    annotation, target, quote, position = (
        hash_iri(doc, name + suffix) for suffix in ("", "-target", "-quote", "-position")
    )
    g.add((annotation, RDF.type, OA.Annotation))
    g.add((annotation, OA.motivatedBy, OA.assessing))
    g.add((annotation, OA.hasBody, CONCEPT[f"{REASON_SCHEME}/{listing.reason}"]))
    g.add((annotation, OA.hasTarget, target))
    if listing.note:
        g.add((annotation, RDFS.comment, Literal(listing.note, lang="en")))
    g.add((target, RDF.type, OA.SpecificResource))
    g.add((target, OA.hasSource, doc))
    g.add((target, OA.hasSelector, quote))
    g.add((target, OA.hasSelector, position))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(sentence.text)))
    g.add(
        (quote, OA.prefix, Literal(text[max(0, sentence.start - CONTEXT_CHARS) : sentence.start]))
    )
    g.add((quote, OA.suffix, Literal(text[sentence.end : sentence.end + CONTEXT_CHARS])))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, Literal(sentence.start, datatype=XSD.nonNegativeInteger)))
    g.add((position, OA.end, Literal(sentence.end, datatype=XSD.nonNegativeInteger)))


def _describe_conflict(g: Graph, conflict: Conflict) -> None:
    iri = conflict_iri(conflict.id)
    g.add((iri, RDF.type, MLG.Conflict))
    for lang, text in conflict.topic.items():
        g.add((iri, RDFS.label, Literal(text, lang=lang)))
    for lang, text in conflict.reason.items():
        g.add((iri, MLG.rankReason, Literal(text, lang=lang)))
    g.add((iri, MLG.rankingRule, Literal(conflict.rule)))
    for _rank, key in conflict.members():
        doc_id, claim_id = key.split("/", 1)
        g.add((iri, MLG.conflictClaim, claim_iri(doc_id, claim_id)))
    for resource in conflict.about:
        g.add((iri, MLG.conflictAbout, resource))
