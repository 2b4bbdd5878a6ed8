"""The SHACL shapes (``shapes/``) against their examples (``shapes/examples/``).

Every node shape has a conforming example (``{Shape}-valid.ttl``: no result at all, not even a
warning) and at least one non-conforming example (``{Shape}-invalid-NN.ttl``, whose first line
says which constraint it breaks): every result it produces comes from that shape or one of its
property shapes, with the shape's severity. Validation runs as in the build, without inference
and without the ontology, so the examples carry every triple they rely on.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SH

SHAPES_DIR = Path(__file__).resolve().parents[1] / "shapes"
SHAPE_FILES = ("maillage-shapes.ttl", "maillage-warnings.ttl")
EXAMPLES_DIR = SHAPES_DIR / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.ttl"))
EXAMPLE_NAME = re.compile(r"^(?P<shape>[A-Za-z]+Shape)-(?:valid|invalid-\d{2})\.ttl$")
NAMED_IN_COMMENT = re.compile(r"mlgsh:([A-Za-z]+(?:-[A-Za-z0-9]+)?)")
MLGSH = Namespace("https://w3id.org/maillage/shapes/")
LICENCE = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence")


def _parse(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


SHAPES = _parse(*(SHAPES_DIR / name for name in SHAPE_FILES))
NODE_SHAPES = sorted(s for s in SHAPES.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef))
PROPERTY_SHAPES = sorted(
    set(SHAPES.objects(None, SH.property)) | set(SHAPES.subjects(RDF.type, SH.PropertyShape))
)


def shape_of(example: Path) -> URIRef:
    match = EXAMPLE_NAME.match(example.name)
    assert match, f"{example.name}: expected {{Shape}}-valid.ttl or {{Shape}}-invalid-NN.ttl"
    return MLGSH[match["shape"]]


def family(shape: URIRef) -> set:
    """The shape and its property shapes: where a result of this shape may come from."""
    return {shape, *SHAPES.objects(shape, SH.property)}


def results(example: Path) -> tuple[bool, list[tuple]]:
    """(conforms, [(source shape, severity, focus node, message)]) for one example."""
    conforms, report, _text = validate(
        _parse(example),
        shacl_graph=SHAPES,
        ont_graph=None,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    found = [
        (
            report.value(r, SH.sourceShape),
            report.value(r, SH.resultSeverity),
            report.value(r, SH.focusNode),
            report.value(r, SH.resultMessage),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    ]
    return conforms, found


def _describe(found: list[tuple]) -> str:
    return "\n".join(f"  {s} [{sev.split('#')[-1]}] on {f}: {m}" for s, sev, f, m in found)


def _languages(subject, predicate) -> set[str]:
    return {o.language for o in SHAPES.objects(subject, predicate) if isinstance(o, Literal)}


def test_there_are_examples_and_shapes():
    assert EXAMPLES, f"no example in {EXAMPLES_DIR}"
    assert len(NODE_SHAPES) >= 30
    assert len(PROPERTY_SHAPES) >= 100


@pytest.mark.parametrize(
    "example", [p for p in EXAMPLES if "-valid" in p.name], ids=lambda p: p.name
)
def test_valid_example_produces_no_result(example):
    shape = shape_of(example)
    assert shape in NODE_SHAPES, f"{example.name}: no node shape {shape}"
    conforms, found = results(example)
    assert conforms and not found, f"{example.name} should produce no result:\n{_describe(found)}"


@pytest.mark.parametrize(
    "example", [p for p in EXAMPLES if "-invalid-" in p.name], ids=lambda p: p.name
)
def test_invalid_example_fails_only_its_shape(example):
    shape = shape_of(example)
    assert shape in NODE_SHAPES, f"{example.name}: no node shape {shape}"
    first_line = example.read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("# ") and len(first_line) > 10, (
        f"{example.name}: the first line must be a comment naming the broken constraint"
    )
    severity = SHAPES.value(shape, SH.severity)
    conforms, found = results(example)
    mine = [r for r in found if r[0] in family(shape)]
    assert mine, f"{example.name}: no result from {shape}:\n{_describe(found)}"
    named = NAMED_IN_COMMENT.search(first_line)
    if named:
        assert MLGSH[named[1]] in {r[0] for r in mine}, (
            f"{example.name}: the comment names mlgsh:{named[1]}, which reports nothing:\n"
            f"{_describe(found)}"
        )
    others = [r for r in found if r[0] not in family(shape)]
    assert not others, f"{example.name}: results from other shapes:\n{_describe(others)}"
    assert {r[1] for r in mine} == {severity}
    if severity == SH.Violation:
        assert not conforms
    else:
        assert conforms, "warnings must not make the data non-conforming"


def test_every_node_shape_has_a_valid_and_an_invalid_example():
    names = {p.name for p in EXAMPLES}
    for shape in NODE_SHAPES:
        local = str(shape).removeprefix(str(MLGSH))
        assert f"{local}-valid.ttl" in names, f"no valid example for {local}"
        assert any(re.fullmatch(rf"{local}-invalid-\d{{2}}\.ttl", n) for n in names), (
            f"no invalid example for {local}"
        )


def test_every_example_names_an_existing_shape():
    for example in EXAMPLES:
        assert shape_of(example) in NODE_SHAPES, example.name


def test_shapes_are_named_under_the_shapes_namespace():
    for shape in NODE_SHAPES:
        assert re.fullmatch(rf"{re.escape(str(MLGSH))}[A-Z][A-Za-z]*Shape", str(shape)), shape
    for shape in PROPERTY_SHAPES:
        assert isinstance(shape, URIRef) and str(shape).startswith(str(MLGSH)), shape


@pytest.mark.parametrize("shape", NODE_SHAPES + PROPERTY_SHAPES, ids=lambda s: s.split("/")[-1])
def test_every_shape_has_messages_names_and_severity_in_french_and_english(shape):
    assert {"fr", "en"} <= _languages(shape, SH.message), f"{shape}: sh:message fr and en"
    for language in ("fr", "en"):
        messages = [m for m in SHAPES.objects(shape, SH.message) if m.language == language]
        assert len(messages) == 1, f"{shape}: one sh:message @{language}"
    name = SH.name if shape in PROPERTY_SHAPES else RDFS.label
    assert {"fr", "en"} <= _languages(shape, name), f"{shape}: {name} fr and en"
    assert SHAPES.value(shape, SH.severity) in (SH.Violation, SH.Warning), f"{shape}: sh:severity"


def test_sparql_constraints_have_messages_in_french_and_english():
    constraints = list(SHAPES.objects(None, SH.sparql))
    assert constraints
    for constraint in constraints:
        assert {"fr", "en"} <= _languages(constraint, SH.message), constraint


def test_warning_shapes_are_all_in_the_warnings_file():
    violations = _parse(SHAPES_DIR / "maillage-shapes.ttl")
    warnings = _parse(SHAPES_DIR / "maillage-warnings.ttl")
    assert set(violations.objects(None, SH.severity)) == {SH.Violation}
    assert set(warnings.objects(None, SH.severity)) == {SH.Warning}


@pytest.mark.parametrize("name", SHAPE_FILES)
def test_shape_files_have_an_ontology_header(name):
    graph = _parse(SHAPES_DIR / name)
    (ontology,) = graph.subjects(RDF.type, OWL.Ontology)
    assert {"fr", "en"} <= {t.language for t in graph.objects(ontology, DCTERMS.title)}
    assert (ontology, DCTERMS.license, LICENCE) in graph
    assert isinstance(graph.value(ontology, OWL.versionIRI), URIRef)
