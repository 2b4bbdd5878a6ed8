"""The direct JSON-LD compaction (``maillage/jsonld_compaction.py``) writes PyLD's document byte
for byte: on the release's data, ontology and shapes, on a generated dataset, and on the edge
cases of compaction (one node, an IRI equal to a namespace, blank nodes, datatypes, language
tags, several types, the longest of two matching namespaces)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from maillage import layout
from maillage.rdfio import RDF_TYPE, compacted_by_pyld, context_document, to_jsonld

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # `bench/` is scripts, not an installed package
    sys.path.insert(0, str(REPO))

from bench.generate import DATASET_FILE, generate  # noqa: E402

BASES = ("https://w3id.org/maillage/", "http://localhost:8000/")
SCHEMA = "http://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def by_pyld(quads: list[ox.Quad], base: str) -> bytes:
    """What ``to_jsonld`` wrote before: every document through PyLD."""
    expanded = json.loads(ox.serialize(quads, format=ox.RdfFormat.JSON_LD))
    compacted = compacted_by_pyld(expanded, context_document(base))
    return (json.dumps(compacted, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def assert_as_pyld(quads: list[ox.Quad], base: str) -> None:
    ours, theirs = to_jsonld(quads, base), by_pyld(quads, base)
    assert ours == theirs, _first_difference(ours, theirs)


def _first_difference(ours: bytes, theirs: bytes) -> str:
    a, b = ours.decode().splitlines(), theirs.decode().splitlines()
    for number, (left, right) in enumerate(zip(a, b, strict=False), 1):
        if left != right:
            return f"line {number}: ours {left!r}, PyLD {right!r}"
    return f"ours has {len(a)} lines, PyLD {len(b)}"


def nn(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def quad(s, p, o) -> ox.Quad:
    return ox.Quad(s, p, o, ox.DefaultGraph())


EDGE_CASES = {
    "one node": [quad(nn(SCHEMA + "x"), nn(SCHEMA + "name"), ox.Literal("x"))],
    "namespace IRIs": [
        quad(nn(SCHEMA), nn(RDF_TYPE), nn(SCHEMA)),
        quad(nn(SCHEMA), nn(SCHEMA), ox.Literal("a", language="FR")),
        quad(nn(SCHEMA), nn(SCHEMA), nn(SCHEMA)),
        quad(nn(SCHEMA + "y"), nn(SCHEMA), ox.Literal("1", datatype=nn(XSD + "integer"))),
    ],
    "blank nodes and types": [
        quad(ox.BlankNode("b0"), nn(RDF_TYPE), nn(SCHEMA + "Event")),
        quad(ox.BlankNode("b0"), nn(RDF_TYPE), nn("http://example.org/Other")),
        quad(ox.BlankNode("b0"), nn(SCHEMA + "about"), ox.BlankNode("b1")),
        quad(
            ox.BlankNode("b1"), nn(SCHEMA + "date"), ox.Literal("2020", datatype=nn(XSD + "gYear"))
        ),
        quad(ox.BlankNode("b1"), nn(SCHEMA + "about"), nn("http://example.org/no-prefix")),
        quad(ox.BlankNode("b1"), nn(SCHEMA + "about"), nn("https://w3id.org/maillage/id/org/x")),
        quad(ox.BlankNode("b1"), nn(SCHEMA + "text"), ox.Literal('« guillemets » "q" \\ \n')),
    ],
    "nested namespaces": [
        quad(nn("https://w3id.org/maillage/concept/family/x"), nn(SCHEMA + "p"), nn(SCHEMA)),
        quad(nn("https://w3id.org/maillage/concept/x"), nn(SCHEMA + "p"), ox.Literal("")),
        quad(nn("https://w3id.org/maillage/def/"), nn(RDF_TYPE), nn(SCHEMA + "Thing")),
    ],
}


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("case", sorted(EDGE_CASES))
def test_edge_cases_are_compacted_as_pyld_compacts_them(case, base):
    assert_as_pyld(sorted(EDGE_CASES[case], key=str), base)


def test_named_graphs_still_go_through_pyld():
    graph = nn("https://w3id.org/maillage/id/claim/x")
    quads = [ox.Quad(nn(SCHEMA + "x"), nn(SCHEMA + "name"), ox.Literal("x"), graph)]
    document = json.loads(to_jsonld(quads, BASES[0]))
    assert (document["@id"], document["@graph"][0]["@id"]) == ("id:claim/x", "schema:x")


@pytest.mark.parametrize(
    "name", [layout.DEFAULT_TURTLE, layout.ONTOLOGY_TURTLE, layout.SHAPES_TURTLE]
)
def test_the_release_files_are_compacted_as_pyld_compacts_them(release, name):
    quads = list(ox.parse(path=str(release / name), format=ox.RdfFormat.TURTLE))
    assert_as_pyld(sorted(quads, key=str), BASES[0])


def test_a_generated_dataset_is_compacted_as_pyld_compacts_it(tmp_path):
    generate(tmp_path, 6_000, 7)
    data = (tmp_path / DATASET_FILE).read_bytes()
    quads = [
        q
        for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)
        if isinstance(q.graph_name, ox.DefaultGraph)
    ]
    assert_as_pyld(sorted(quads, key=str), BASES[1])


def test_quads_out_of_order_are_compacted_as_pyld_compacts_them():
    a, b = nn(SCHEMA + "a"), nn(SCHEMA + "b")
    name = nn(SCHEMA + "name")
    quads = [quad(a, name, ox.Literal("1")), quad(b, name, ox.Literal("2"))]
    assert_as_pyld([*quads, quad(a, name, ox.Literal("3"))], BASES[0])
