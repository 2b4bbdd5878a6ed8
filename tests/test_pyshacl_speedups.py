"""The pyshacl speed-ups (``maillage/pipeline/pyshacl_speedups.py``) are pinned to the pyshacl
they were read against, and their graph view answers every pattern as the graph does. That the
validation's findings stay pyshacl's own is ``tests/test_validation_equivalence.py``."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from itertools import product
from pathlib import Path

import pyshacl.shape
from rdflib import RDF, Dataset, Graph, Literal, URIRef

from maillage.namespaces import SH
from maillage.pipeline import pyshacl_speedups as speedups

REPO = Path(__file__).resolve().parents[1]
EX = "http://example.org/"


def test_the_patches_are_for_the_pinned_and_installed_pyshacl():
    """A new pyshacl fails here: read the patched functions again before moving the pin."""
    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    assert f"pyshacl=={speedups.PYSHACL_VERSION}" in dependencies
    assert version("pyshacl") == speedups.PYSHACL_VERSION


def small_graph() -> Graph:
    graph = Graph()
    a, b, c = (URIRef(EX + n) for n in "abc")
    knows, name = URIRef(EX + "knows"), URIRef(EX + "name")
    for triple in [(a, knows, b), (a, knows, c), (b, knows, c), (a, name, Literal("A"))]:
        graph.add(triple)
    graph.add((c, name, Literal("C", lang="fr")))
    return graph


def test_the_view_answers_every_pattern_as_the_graph_does():
    graph = small_graph()
    view = speedups.indexed_view(graph)
    assert view is not graph
    terms = {t for triple in graph for t in triple} | {URIRef(EX + "absent")}
    for pattern in product([None, *terms], repeat=3):
        assert sorted(view.triples(pattern)) == sorted(graph.triples(pattern)), pattern
    for subject, predicate in product([None, *terms], repeat=2):
        expected = sorted(graph.objects(subject, predicate))
        assert sorted(view.objects(subject, predicate)) == expected, (subject, predicate)
    assert len(view) == len(graph)


def test_writes_through_the_view_land_in_the_graph():
    graph = small_graph()
    view = speedups.indexed_view(graph)
    triple = (URIRef(EX + "d"), URIRef(EX + "knows"), URIRef(EX + "a"))
    view.add(triple)
    assert triple in graph and triple in view
    view.remove(triple)
    assert triple not in graph and triple not in view


def test_a_graph_sharing_its_store_is_not_viewed():
    """The indexes hold every graph of a store: a view is only right for a store of one."""
    dataset = Dataset()
    named = dataset.graph(URIRef(EX + "g"))
    named.add((URIRef(EX + "a"), URIRef(EX + "p"), URIRef(EX + "b")))
    dataset.default_graph.add((URIRef(EX + "x"), URIRef(EX + "p"), URIRef(EX + "y")))
    assert speedups.indexed_view(named) is named
    assert speedups.indexed_view(dataset) is dataset


def patched_functions() -> list:
    from pyshacl.constraints.constraint_component import ConstraintComponent
    from pyshacl.constraints.core.shape_based_constraints import PropertyConstraintComponent

    return [
        getattr(pyshacl.shape.module, "CONSTRAINT_PARAMS", None),
        pyshacl.shape.Shape.validate,
        ConstraintComponent.make_v_result,
        ConstraintComponent.make_v_result_description,
        PropertyConstraintComponent._evaluate_property_shape,
    ]


def test_pyshacl_is_patched_for_the_block_only():
    before = patched_functions()
    with speedups.applied():
        during = patched_functions()
        parameters, _map = pyshacl.shape.module.CONSTRAINT_PARAMS
        copy = parameters.copy()
        copy.append(URIRef(EX + "extra"))
        assert URIRef(EX + "extra") in copy and URIRef(EX + "extra") not in parameters
        assert list(copy) == [*parameters, URIRef(EX + "extra")]
    assert all(a is not b for a, b in zip(before[1:], during[1:], strict=True))
    assert all(a is b for a, b in zip(before, patched_functions(), strict=True))


SHARED_VALUE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:S a sh:NodeShape ; sh:targetClass ex:A ;
  sh:property [ sh:path ex:p ; sh:property [ sh:path ex:q ; sh:minCount 1 ] ] .
"""
SHARED_DATA = """
@prefix ex: <http://example.org/> .
ex:a1 a ex:A ; ex:p ex:b , ex:c .
ex:a2 a ex:A ; ex:p ex:b .
ex:c ex:q 1 .
"""


def result_count(report: Graph) -> int:
    return sum(1 for _ in report.subjects(RDF.type, SH.ValidationResult))


def test_a_value_reached_from_two_focus_nodes_is_reported_twice_as_pyshacl_does():
    """pyshacl validates a property shape once per (focus node, value node): ``ex:b``, reached
    from ``ex:a1`` and ``ex:a2``, breaks ``sh:minCount`` twice; given all value nodes at once
    it would be once, so that case keeps pyshacl's loop."""
    shapes = Graph().parse(data=SHARED_VALUE, format="turtle")
    data = Graph().parse(data=SHARED_DATA, format="turtle")
    _conforms, reference, _text = pyshacl.validate(data, shacl_graph=shapes, advanced=True)
    with speedups.applied():
        _conforms, ours, _text = pyshacl.validate(
            speedups.indexed_view(data), shacl_graph=speedups.indexed_view(shapes), advanced=True
        )
    assert result_count(reference) == 2
    assert result_count(ours) == result_count(reference)


def test_grouped_triples_are_the_graphs_triples():
    graph = small_graph()
    named = Dataset().graph(URIRef(EX + "g"))
    for triple in graph:
        named.add(triple)
    for source in (graph, named):
        found = [(s, p, o) for s, p, objects in speedups.grouped_triples(source) for o in objects]
        assert sorted(found) == sorted(graph)
