"""The whole path, in one direction: documents → claims → graph → validated release."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Graph, URIRef

from maillage.changelog import Changes
from maillage.errors import DataError, DataErrors, ValidationFailed
from maillage.layout import (
    ALL_NQUADS,
    ALL_TRIG,
    CATALOG_TURTLE,
    CONFLICTS_MARKDOWN,
    CONFLICTS_TURTLE,
    CONTEXT,
    DEFAULT_JSONLD,
    DEFAULT_NTRIPLES,
    DEFAULT_TURTLE,
    EXAMPLES,
    NAMES_ITS_RELEASE,
    NETWORK,
    ONTOLOGY_JSONLD,
    ONTOLOGY_TURTLE,
    PENDING_RELEASE_ID,
    SEARCH_INDEX,
    SHAPES_JSONLD,
    SHAPES_TURTLE,
    STORE_DIR,
    VALIDATION_REPORT,
    VOID_TURTLE,
    document_file,
)
from maillage.namespaces import CANONICAL_BASE, MLG
from maillage.pipeline import readme
from maillage.pipeline.accounting import (
    CURATION_FILE,
    Account,
    Listing,
    account,
    load_listings,
    reason_slugs,
    unaccounted_errors,
)
from maillage.pipeline.catalog import catalog_file
from maillage.pipeline.changes import changes_files, changes_since_live
from maillage.pipeline.claims import Claim, load_claims
from maillage.pipeline.conflicts import Conflict, load_conflicts
from maillage.pipeline.description import describe_dataset
from maillage.pipeline.graph import KnowledgeGraph, build_graph, describe_listed_sentences
from maillage.pipeline.live import LiveRelease, is_claim, read_live, removal_triples, removed_claims
from maillage.pipeline.network import network_file
from maillage.pipeline.provenance import NormalisedText, QuoteLocation, locate_quote
from maillage.pipeline.redirects import (
    Redirect,
    check_nothing_dropped,
    check_redirects,
    load_redirects,
)
from maillage.pipeline.release import publish, release_id
from maillage.pipeline.report import conflicts_markdown
from maillage.pipeline.search_index import search_database
from maillage.pipeline.search_quotes import mentions
from maillage.pipeline.sources import Document, load_documents
from maillage.pipeline.validation import ValidationResult, load_shapes, validate_graph
from maillage.pipeline.vocabulary import load_vocabulary
from maillage.rdfio import (
    context_document,
    gzipped,
    quads,
    serialise,
    skolemised,
    to_jsonld,
)
from maillage.settings import Settings
from maillage.store import create_store
from maillage.yamlfile import (
    line_of,
    load_nodes,
    mapping_items,
    scalar_text,
    sequence_items,
    to_python,
)

ONTOLOGY_FILES = ("maillage.ttl", "concepts.ttl")
SHAPE_FILES = ("maillage-shapes.ttl", "maillage-warnings.ttl")
REFERENCE_FILES = ("territories.ttl",)
DATASET_FILE = "data/dataset.yaml"
"""What the dataset says about itself: VoID and the DCAT catalogue."""


@dataclass
class Inputs:
    documents: dict[str, Document]
    claims: list[Claim]
    conflicts: list[Conflict]
    ontology: Graph
    concepts: Graph
    redirects: list[Redirect]
    listings: list[Listing]


@dataclass
class Build:
    inputs: Inputs
    graph: KnowledgeGraph
    validation: ValidationResult
    accounts: dict[str, Account]
    live: LiveRelease | None = None
    """The live release when the build began (None for the first)."""
    changes: Changes | None = None
    """What changed since the live release (computed with the release files)."""


def ontology_paths(settings: Settings) -> list[Path]:
    return [settings.ontology_dir / name for name in ONTOLOGY_FILES]


def reference_paths(settings: Settings) -> list[Path]:
    return [settings.reference_dir / name for name in REFERENCE_FILES]


def shape_paths(settings: Settings) -> list[Path]:
    return [settings.shapes_dir / name for name in SHAPE_FILES]


def read_inputs(settings: Settings) -> Inputs:
    """Stages 1–2 and the conflicts file: everything a curator edits, checked."""
    documents = load_documents(settings.sources_dir)
    vocabulary = load_vocabulary(ontology_paths(settings), reference_paths(settings))
    claims = load_claims(settings.claims_dir, vocabulary, set(documents))
    by_key = {claim.key: claim for claim in claims}
    conflicts = load_conflicts(settings.curation_dir / "conflicts.yaml", by_key)
    ontology, concepts = Graph(), Graph()
    ontology.parse(settings.ontology_dir / "maillage.ttl")
    concepts.parse(settings.ontology_dir / "concepts.ttl")
    redirects_path = settings.curation_dir / "redirects.yaml"
    redirects = load_redirects(redirects_path)
    check_redirects(redirects_path, redirects, claims, ontology + concepts)
    listings = load_listings(listings_path(settings), set(documents), reason_slugs(concepts))
    return Inputs(documents, claims, conflicts, ontology, concepts, redirects, listings)


def listings_path(settings: Settings) -> Path:
    return settings.curation_dir / CURATION_FILE


def check(settings: Settings) -> tuple[Inputs, dict[str, Account]]:
    """Syntax, vocabulary and quotes of every claim file, and the account of every sentence
    (stale listings are errors; unaccounted sentences are left to :func:`require_accounted`),
    without building."""
    inputs = read_inputs(settings)
    texts = {doc_id: NormalisedText(doc.text) for doc_id, doc in inputs.documents.items()}
    locations = {c.key: locate_quote(c, texts[c.doc_id]) for c in inputs.claims}
    return inputs, account_sentences(settings, inputs, locations)


def account_sentences(
    settings: Settings, inputs: Inputs, locations: dict[str, QuoteLocation]
) -> dict[str, Account]:
    quotes: dict[str, list[tuple[str, QuoteLocation]]] = {}
    for claim in inputs.claims:
        quotes.setdefault(claim.doc_id, []).append((claim.key, locations[claim.key]))
    return account(inputs.documents, quotes, inputs.listings, listings_path(settings))


def require_accounted(settings: Settings, accounts: dict[str, Account]) -> None:
    """Every sentence claimed or listed, or :class:`DataErrors` naming each other one."""
    errors = unaccounted_errors(accounts, listings_path(settings))
    if errors:
        raise DataErrors(errors)


def assemble(settings: Settings) -> Build:
    inputs = read_inputs(settings)
    graph = build_graph(
        inputs.documents,
        inputs.claims,
        inputs.conflicts,
        reference_paths(settings),
        inputs.concepts,
        inputs.redirects,
    )
    accounts = account_sentences(settings, inputs, graph.locations)
    require_accounted(settings, accounts)
    describe_listed_sentences(graph.default, accounts, inputs.documents)
    live = read_live(settings.var_dir, settings.base_iri)
    for triple in removal_triples(removed_claims(live, {str(iri) for iri in graph.claims})):
        graph.default.add(triple)
    shapes = load_shapes(shape_paths(settings))
    validation = validate_graph(
        graph.default, shapes, inputs.ontology + inputs.concepts, settings.validation_processes
    )
    return Build(inputs, graph, validation, accounts, live)


def release_files(settings: Settings, build: Build) -> dict[str, bytes]:
    base = settings.base_iri
    g = build.graph
    default_quads = quads(g.default, base)
    all_quads = default_quads + [
        q for iri in sorted(g.claims) for q in quads(g.claims[iri], base, iri)
    ]
    vocabulary = build.inputs.ontology + build.inputs.concepts
    claims_by_key = {c.key: c for c in build.inputs.claims}
    files = {
        DEFAULT_TURTLE: serialise(default_quads, ox.RdfFormat.TURTLE, base),
        DEFAULT_JSONLD: to_jsonld(default_quads, base),
        DEFAULT_NTRIPLES: gzipped(serialise(default_quads, ox.RdfFormat.N_TRIPLES, base)),
        ALL_TRIG: serialise(all_quads, ox.RdfFormat.TRIG, base),
        ALL_NQUADS: gzipped(serialise(all_quads, ox.RdfFormat.N_QUADS, base)),
        **vocabulary_files(settings, vocabulary, build.validation),
        CONFLICTS_MARKDOWN: conflicts_markdown(
            build.inputs.conflicts, claims_by_key, build.inputs.documents, base
        ).encode(),
        CONFLICTS_TURTLE: serialise(conflict_quads(g.default, base), ox.RdfFormat.TURTLE, base),
    }
    files.update(document_files(build.inputs.documents))
    check_example_resources(settings, g.default)
    files[EXAMPLES] = readme.examples_file(readme.read(settings.checkout))
    files[SEARCH_INDEX] = search_database(g.default, vocabulary, mentions(g.claims))
    files[NETWORK] = network_file(g.default)
    build.changes = changes_since_live(settings.var_dir, files[ALL_NQUADS], base)
    files.update(self_naming_files(settings, build, files, PENDING_RELEASE_ID))
    return files


def self_naming_files(
    settings: Settings, build: Build, files: dict[str, bytes], release: str
) -> dict[str, bytes]:
    """The files that name their release (``layout.NAMES_ITS_RELEASE``), so that the server
    reads nothing of the checkout: what changed since the live release, VoID and the DCAT
    catalogue (from ``data/dataset.yaml``), each listing every file before it. Written twice by
    :func:`build_release`: with the placeholder id, to compute the id, then with the id."""
    default, claims = build.graph.default, len(build.graph.claims)
    return release_description(settings, default, claims, files, release, build.changes)


def release_description(
    settings: Settings,
    default: Graph,
    claims: int,
    files: dict[str, bytes],
    release: str,
    changes: Changes | None,
) -> dict[str, bytes]:
    """:func:`self_naming_files` from the default graph and the number of claims (the
    benchmark's release has no :class:`Build`)."""
    meta = dataset_meta(settings)
    described = {name: data for name, data in files.items() if name not in NAMES_ITS_RELEASE}
    if changes is not None:
        described.update(changes_files(changes, release, settings.base_iri))
    described[VOID_TURTLE] = void_file(settings, meta, default, claims, described, release)
    described[CATALOG_TURTLE] = catalog_file(meta, described, settings.base_iri, release)
    return {name: described[name] for name in NAMES_ITS_RELEASE if name in described}


def check_example_resources(settings: Settings, default: Graph) -> None:
    """Every example resource of ``data/dataset.yaml`` is described in the default graph."""
    path = settings.checkout / DATASET_FILE
    entries = dict(mapping_items(path, load_nodes(path), "dataset.yaml"))
    if "example_resources" not in entries:
        return
    for node in sequence_items(path, entries["example_resources"], "example_resources"):
        name = scalar_text(path, node, "an example resource")
        if (URIRef(CANONICAL_BASE + name), None, None) not in default:
            raise DataError(
                path,
                line_of(node),
                f"example resource {name} is not described in the default graph",
            )


def document_files(documents: dict[str, Document]) -> dict[str, bytes]:
    """Each document's text exactly as read (its SHA-256 is the one the graph records), for the
    document pages."""
    return {document_file(key): doc.text.encode("utf-8") for key, doc in documents.items()}


def dataset_meta(settings: Settings) -> dict:
    """What the dataset says about itself (``data/dataset.yaml``)."""
    return to_python(load_nodes(settings.checkout / DATASET_FILE))


def vocabulary_files(
    settings: Settings, vocabulary: Graph, validation: ValidationResult
) -> dict[str, bytes]:
    """The release files that do not depend on the data: ontology, shapes, context, and the
    validation report."""
    base = settings.base_iri
    terms = quads(vocabulary, base)
    shapes = quads(skolemised(load_shapes(shape_paths(settings)), base), base)
    return {
        ONTOLOGY_TURTLE: serialise(terms, ox.RdfFormat.TURTLE, base),
        ONTOLOGY_JSONLD: to_jsonld(terms, base),
        SHAPES_TURTLE: serialise(shapes, ox.RdfFormat.TURTLE, base),
        SHAPES_JSONLD: to_jsonld(shapes, base),
        VALIDATION_REPORT: serialise(
            quads(skolemised(validation.report, base), base), ox.RdfFormat.TURTLE, base
        ),
        CONTEXT: _json(context_document(base)),
    }


def void_file(
    settings: Settings,
    meta: dict,
    default: Graph,
    claims: int,
    files: dict[str, bytes],
    release: str,
) -> bytes:
    """VoID statistics of the default graph and DCAT distributions of ``files``, about release
    ``release``."""
    base = settings.base_iri
    description = describe_dataset(meta, default, claims, files, base, release)
    return serialise(quads(description, base), ox.RdfFormat.TURTLE, base)


def build_release(settings: Settings) -> tuple[Build, Path]:
    """Build, validate, and publish only if there is no violation."""
    build = assemble(settings)
    if not build.validation.conforms:
        raise ValidationFailed(build.validation.text)
    files = release_files(settings, build)
    check_iris_kept(settings, build)
    release = release_id(files)
    files.update(self_naming_files(settings, build, files, release))
    nquads = gzip.decompress(files[ALL_NQUADS])
    directory = publish(
        files,
        settings.var_dir,
        release,
        lambda staging: create_store(staging / STORE_DIR, nquads),
        kept=settings.releases_kept,
    )
    return build, directory


def check_iris_kept(settings: Settings, build: Build) -> None:
    """Every entity IRI of the live release is still described, or retired in redirects.yaml
    (claims, which answer 410 once removed, and hash IRIs are not entities; see
    docs/identifiers.md)."""
    if build.live is None:
        return  # the first release: nothing to keep
    current = {str(s) for s in build.graph.default.subjects() if isinstance(s, URIRef)}
    check_nothing_dropped(
        settings.curation_dir / "redirects.yaml",
        {str(redirect.iri) for redirect in build.inputs.redirects},
        {iri for iri in build.live.subjects if _is_entity(iri)},
        current,
        build.live.release,
    )


def _is_entity(iri: str) -> bool:
    ids = CANONICAL_BASE + "id/"
    return iri.startswith(ids) and "#" not in iri and not is_claim(iri)


def conflict_quads(default: Graph, base: str) -> list[ox.Quad]:
    """The conflicts, their claims and quotes (``conflicts.ttl``)."""
    conflict_graph = Graph()
    for conflict in default.subjects(RDF.type, MLG.Conflict):
        conflict_graph += default.triples((conflict, None, None))
        for claim in default.objects(conflict, MLG.conflictClaim):
            conflict_graph += default.triples((claim, None, None))
            for quote in default.objects(claim, MLG.quote):
                conflict_graph += default.triples((quote, None, None))
    return quads(conflict_graph, base)


def _json(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
