"""The build's validation (SHACL Core in pyshacl, the SPARQL constraints in Oxigraph,
``maillage/pipeline/validation.py``) finds exactly what pyshacl alone finds: every result, with
the same focus node, path, value, source shape, constraint component, severity and messages,
on every example of ``shapes/examples/`` and on a generated release mutated so that every SPARQL
constraint and several Core constraints fail."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from maillage.build import ontology_paths, shape_paths
from maillage.namespaces import IGEO, MLG, OA, ORG, SCHEMA, SH, SKOS, TIME
from maillage.pipeline.validation import (
    findings,
    load_shapes,
    validate_graph,
    validate_graph_with_pyshacl_only,
)
from maillage.settings import Settings

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # `bench/` is scripts, not an installed package
    sys.path.insert(0, str(REPO))

from bench.generate import DATASET_FILE, generate  # noqa: E402
from bench.release import default_graph, load_dataset  # noqa: E402

EXAMPLES = sorted((REPO / "shapes" / "examples").glob("*.ttl"))
SETTINGS = Settings()
SHAPES = load_shapes(shape_paths(SETTINGS))
SPARQL_SHAPES = set(SHAPES.subjects(SH.sparql, None))
ID = "https://w3id.org/maillage/id/"


def assert_same_findings(data: Graph, ontology: Graph, processes: int = 1) -> Counter:
    reference = validate_graph_with_pyshacl_only(data, SHAPES, ontology)
    before = len(data)
    ours = validate_graph(data, SHAPES, ontology, processes)
    assert len(data) == before, "validate_graph must give the data back unchanged"
    expected, found = findings(reference.report), findings(ours.report)
    assert found == expected, f"missed: {expected - found}\nextra: {found - expected}"
    assert (ours.violations, ours.warnings) == (reference.violations, reference.warnings)
    assert ours.conforms == reference.conforms
    return found


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_gives_pyshacls_results(example):
    assert_same_findings(Graph().parse(example), Graph())


def test_every_sparql_shape_has_an_invalid_example_checked_here():
    named = {p.name.split("-")[0] for p in EXAMPLES if "-invalid-" in p.name}
    assert {str(s).rsplit("/", 1)[1] for s in SPARQL_SHAPES} <= named


# ---- a generated release, mutated -----------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Graph:
    out = tmp_path_factory.mktemp("generated")
    generate(out, 6_000, 7)
    return default_graph(load_dataset(out / DATASET_FILE))


def first(graph: Graph, predicate, obj=None) -> tuple:
    return min(
        graph.subject_objects(predicate)
        if obj is None
        else ((s, obj) for s in graph.subjects(predicate, obj))
    )


def replace(graph: Graph, triple: tuple, obj) -> None:
    graph.remove(triple)
    graph.add((triple[0], triple[1], obj))


def mutate(graph: Graph) -> None:
    """One breach of each SPARQL constraint, and of a few Core ones."""
    org, site = first(graph, ORG.hasPrimarySite)
    graph.remove((org, ORG.hasSite, site))  # OrganizationPrimarySiteShape
    membership, organisation = first(graph, ORG.organization)
    interval = graph.value(membership, ORG.memberDuring)
    graph.add((interval, TIME.hasEnd, graph.value(interval, TIME.hasBeginning)))
    graph.add((organisation, MLG.latestDissolutionDate, Literal("1900-01-01", datatype=XSD.date)))
    annotation, _ = first(graph, OA.motivatedBy)
    replace(graph, (annotation, OA.motivatedBy, OA.describing), OA.assessing)  # AnnotationShape
    for territory in (IGEO.Commune, IGEO.Departement, IGEO.Region):
        node, _ = first(graph, RDF.type, territory)
        code = graph.value(node, IGEO.codeINSEE)
        replace(graph, (node, IGEO.codeINSEE, code), Literal(code[:-1] + "0"))
    blank = BNode()
    graph.add((org, SCHEMA.address, blank))  # NoBlankNodeShape
    graph.add((blank, SCHEMA.streetAddress, Literal("1 rue anonyme")))
    dated, latest = first(graph, MLG.latestDate)
    graph.remove((dated, MLG.latestDate, latest))  # DateBoundsShape
    graph.add((URIRef(ID + "org/untyped"), RDFS.label, Literal("x", lang="fr")))  # warning
    other, label = first(graph, SKOS.prefLabel, None)
    graph.remove((other, SKOS.prefLabel, label))  # Core: minCount / qualified counts
    graph.add((org, ORG.hasSite, URIRef(ID + "site/nowhere")))  # Core: sh:class


@pytest.mark.parametrize("processes", [1, 2, 3])
def test_a_mutated_generated_release_gives_pyshacls_results(generated, processes):
    data = Graph()
    for triple in generated:
        data.add(triple)
    mutate(data)
    ontology = load_shapes(ontology_paths(SETTINGS))
    found = assert_same_findings(data, ontology, processes)
    shapes = {key[3] for key in found}
    assert shapes >= SPARQL_SHAPES, f"not breached: {SPARQL_SHAPES - shapes}"
    components = {key[4] for key in found}
    assert {SH.ClassConstraintComponent, SH.SPARQLConstraintComponent} <= components
