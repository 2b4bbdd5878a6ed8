"""The shapes' SHACL-SPARQL constraints (``sh:sparql``), evaluated by Oxigraph, reported as pyshacl.

pyshacl runs a SPARQL constraint once per focus node, parsing its query again each time, in
rdflib's SPARQL engine: at 1M triples the seven constraints of ``shapes/`` cost more than all
of SHACL Core. Here each constraint's SELECT runs once, unchanged, in Oxigraph, on the same
graph (the data merged with the ontology, as pyshacl sees it), with ``$this`` left unbound;
each solution is then given to its focus nodes in Python:

- a solution that binds ``$this`` belongs to that focus node if it is one of the shape's
  targets (and is dropped otherwise);
- a solution that leaves ``$this`` unbound (the whole-graph constraints: their target is the
  dataset node, which the query does not read) belongs to every focus node.

This is SHACL's pre-binding of ``$this`` as long as a query binds ``$this`` with its own
triple patterns or only projects it, which every constraint of ``shapes/`` does;
``tests/test_validation_equivalence.py`` proves the results are pyshacl's on every example
and on a mutated generated release. Each result is the node pyshacl writes (focus node,
value, path, severity, source shape, source constraint, ``sh:SPARQLConstraintComponent``,
messages with their ``{?var}`` filled in) and the same text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox
from pyshacl.rdfutil import clone_blank_node, stringify_node
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from maillage.namespaces import OWL, SH, XSD
from maillage.pipeline.pyshacl_speedups import grouped_triples

TARGETS = (SH.targetNode, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
CLASS_INSTANCES = "SELECT DISTINCT ?this ?class WHERE { ?this a/rdfs:subClassOf* ?class }"
SUBJECTS_OF = "SELECT DISTINCT ?this ?property WHERE { ?this ?property ?any }"
OBJECTS_OF = "SELECT DISTINCT ?this ?property WHERE { ?any ?property ?this }"
XSD_STRING = str(XSD.string)
STORE_CHUNK = 50_000
"""Quads added to the SPARQL constraints' store per transaction."""


class UnsupportedConstraint(ValueError):
    """A SPARQL constraint this evaluator cannot run as pyshacl would: say which and why."""


@dataclass(frozen=True)
class SparqlConstraint:
    """One ``sh:sparql`` of a node shape, with what its results carry."""

    shape: URIRef
    node: Node
    select: str
    prefixes: dict[str, str]
    severity: URIRef
    shape_messages: tuple[Literal, ...]
    messages: tuple[Literal, ...]


@dataclass(frozen=True)
class Result:
    """A validation result of a SPARQL constraint, as pyshacl builds it."""

    constraint: SparqlConstraint
    focus: Node
    value: Node | None
    path: Node | None
    bindings: dict[str, Node]


# ---- reading the shapes ---------------------------------------------------------------------


def sparql_constraints(shapes: Graph) -> list[SparqlConstraint]:
    """Every active ``sh:sparql`` of the shapes graph, sorted by shape."""
    found = []
    for shape, node in sorted(shapes.subject_objects(SH.sparql)):
        if _deactivated(shapes, shape) or _deactivated(shapes, node):
            continue
        found.append(_constraint(shapes, shape, node))
    return found


def without_sparql_constraints(shapes: Graph) -> Graph:
    """A copy of the shapes graph whose shapes no longer point to their SPARQL constraints (what
    pyshacl still checks: SHACL Core). The constraint nodes stay, for the report to copy."""
    core = Graph()
    for prefix, namespace in shapes.namespace_manager.namespaces():
        core.namespace_manager.bind(prefix, namespace, override=True)
    for triple in shapes:
        if triple[1] != SH.sparql:
            core.add(triple)
    return core


def _constraint(shapes: Graph, shape: Node, node: Node) -> SparqlConstraint:
    if not isinstance(shape, URIRef) or (shape, RDF.type, SH.NodeShape) not in shapes:
        raise UnsupportedConstraint(f"{shape}: sh:sparql is evaluated on node shapes only")
    select = shapes.value(node, SH.select)
    if not isinstance(select, Literal):
        raise UnsupportedConstraint(f"{shape}: its sh:sparql has no sh:select")
    if re.search(r"[?$]failure\b", str(select)):
        raise UnsupportedConstraint(f"{shape}: ?failure is not supported")
    return SparqlConstraint(
        shape=shape,
        node=node,
        select=str(select),
        prefixes=_prefixes(shapes, node),
        severity=shapes.value(shape, SH.severity) or SH.Violation,
        shape_messages=tuple(shapes.objects(shape, SH.message)),
        messages=tuple(shapes.objects(node, SH.message)),
    )


def _deactivated(shapes: Graph, node: Node) -> bool:
    return shapes.value(node, SH.deactivated) == Literal(True)


def _prefixes(shapes: Graph, node: Node) -> dict[str, str]:
    """The ``sh:declare`` of the ontologies named by the constraint's ``sh:prefixes``."""
    found = {}
    for ontology in shapes.objects(node, SH.prefixes):
        for declaration in shapes.objects(ontology, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            found[str(prefix)] = str(shapes.value(declaration, SH.namespace))
    return found


def focus_nodes(store: ox.Store, shapes: Graph, shape: URIRef) -> set[Node]:
    """The shape's targets in the data (SHACL Core's four kinds; a class target includes the
    instances of its subclasses, as pyshacl reads them)."""
    found: set[Node] = set(shapes.objects(shape, SH.targetNode))
    for target_class in shapes.objects(shape, SH.targetClass):
        found |= _query_nodes(store, CLASS_INSTANCES, {"class": target_class})
    for prop in shapes.objects(shape, SH.targetSubjectsOf):
        found |= _query_nodes(store, SUBJECTS_OF, {"property": prop})
    for prop in shapes.objects(shape, SH.targetObjectsOf):
        found |= _query_nodes(store, OBJECTS_OF, {"property": prop})
    if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
        found |= _query_nodes(store, CLASS_INSTANCES, {"class": shape})
    if (shape, SH.target, None) in shapes:
        raise UnsupportedConstraint(f"{shape}: SHACL-AF targets (sh:target) are not supported")
    return found


def _query_nodes(store: ox.Store, query: str, bound: dict[str, Node]) -> set[Node]:
    substitutions = {ox.Variable(name): to_oxigraph(term) for name, term in bound.items()}
    solutions = store.query(query, substitutions=substitutions, prefixes={"rdfs": str(RDFS)})
    return {from_oxigraph(solution["this"]) for solution in solutions}


# ---- the graph in Oxigraph ------------------------------------------------------------------


def oxigraph_store(graphs: Iterable[Graph]) -> ox.Store:
    """An in-memory Oxigraph store holding the union of ``graphs`` (blank nodes keep their ids,
    so a result names the node rdflib holds). Read subject by subject and predicate by
    predicate (:func:`~maillage.pipeline.pyshacl_speedups.grouped_triples`): each IRI is
    converted once. Added :data:`STORE_CHUNK` quads per transaction: one transaction for the
    whole graph held 170 MiB more at its peak at 1M, 2 GiB at 10M."""
    store = ox.Store()
    names: dict[Node, ox.NamedNode] = {}
    default = ox.DefaultGraph()

    def term(node):
        if isinstance(node, URIRef):
            found = names.get(node)
            if found is None:
                found = names[node] = ox.NamedNode(node)
            return found
        if isinstance(node, Literal) and node.datatype and not node.language:
            return ox.Literal(node, datatype=term(node.datatype))
        return to_oxigraph(node)

    for graph in graphs:
        groups = ((term(s), term(p), objects) for s, p, objects in grouped_triples(graph))
        quads = (
            ox.Quad(subject, predicate, term(o), default)
            for subject, predicate, objects in groups
            for o in objects
        )
        while chunk := list(islice(quads, STORE_CHUNK)):
            store.extend(chunk)
    return store


def to_oxigraph(node: Node):
    if isinstance(node, URIRef):
        return ox.NamedNode(node)
    if isinstance(node, BNode):
        return ox.BlankNode(node)
    if node.language:
        return ox.Literal(node, language=node.language)
    if node.datatype:
        return ox.Literal(node, datatype=ox.NamedNode(node.datatype))
    return ox.Literal(node)


def from_oxigraph(term) -> Node:
    """An Oxigraph term as rdflib's parsers make it (``xsd:string`` literals plain)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


# ---- evaluating -----------------------------------------------------------------------------


def evaluate(store: ox.Store, shapes: Graph, constraint: SparqlConstraint) -> list[Result]:
    """The constraint's results: its SELECT run once, each solution given to its focus nodes,
    duplicates of one focus node dropped (as pyshacl drops them)."""
    targets = focus_nodes(store, shapes, constraint.shape)
    results, seen = [], set()
    for bindings in _solutions(store, constraint):
        this = bindings.pop("this", None)
        for focus in _focus_of(this, targets):
            result = _result(constraint, focus, this, bindings)
            key = (focus, result.focus, result.path, result.value, *sorted(bindings.items()))
            if key not in seen:
                seen.add(key)
                results.append(result)
    return results


def _solutions(store: ox.Store, constraint: SparqlConstraint) -> Iterator[dict[str, Node]]:
    solutions = store.query(constraint.select, prefixes=constraint.prefixes)
    names = [variable.value for variable in solutions.variables]
    for solution in solutions:
        yield {name: from_oxigraph(solution[name]) for name in names if solution[name] is not None}


def _focus_of(this: Node | None, targets: set[Node]) -> Iterable[Node]:
    if this is None:
        return sorted(targets)
    return (this,) if this in targets else ()


def _result(
    constraint: SparqlConstraint, focus: Node, this: Node | None, bindings: dict[str, Node]
) -> Result:
    """pyshacl's reading of a solution: ``?value`` defaults to the focus node (node shapes)."""
    rest = dict(bindings)
    path, value = rest.pop("path", None), rest.pop("value", None)
    return Result(constraint, this or focus, value or focus, path, rest)


# ---- reporting as pyshacl -------------------------------------------------------------------


def messages(result: Result) -> list[Literal]:
    """The constraint's messages then the shape's, each once, with ``{?var}`` and ``{$var}``
    replaced by the solution's values; like pyshacl, the filled-in text loses its language."""
    constraint = result.constraint
    extra = [m for m in constraint.messages if m not in constraint.shape_messages]
    return [Literal(_filled(m, result)) for m in (*extra, *constraint.shape_messages)]


def _filled(message: Literal, result: Result) -> str:
    values = dict(result.bindings)
    values.update(this=result.focus, value=result.value)
    if result.path is not None:
        values["path"] = result.path
    text = str(message)
    for name, value in values.items():
        text = re.sub(f"{{[?$]{name}}}", str(value), text)
    return text


def add_to_report(report: Graph, data: Graph, shapes: Graph, results: list[Result]) -> None:
    """Add the results to pyshacl's report graph, as pyshacl adds its own."""
    (root,) = report.subjects(RDF.type, SH.ValidationReport)
    for result in results:
        node = BNode()
        report.add((root, SH.result, node))
        for triple in _result_triples(node, report, data, shapes, result):
            report.add(triple)


def _result_triples(node: BNode, report: Graph, data: Graph, shapes: Graph, result: Result):
    constraint = result.constraint
    yield node, RDF.type, SH.ValidationResult
    yield node, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent
    yield node, SH.sourceShape, constraint.shape
    yield node, SH.resultSeverity, constraint.severity
    yield node, SH.focusNode, _copied(data, result.focus, report)
    yield node, SH.value, _copied(data, result.value, report)
    if result.path is not None:
        yield node, SH.resultPath, _copied(shapes, result.path, report)
    yield node, SH.sourceConstraint, _copied(shapes, constraint.node, report)
    for message in messages(result):
        yield node, SH.resultMessage, message


def _copied(source: Graph, node: Node, report: Graph) -> Node:
    """A blank node is copied with its description, as pyshacl copies it."""
    return clone_blank_node(source, node, report, keepid=True) if isinstance(node, BNode) else node


def description(result: Result, data: Graph, shapes: Graph) -> str:
    """The text pyshacl writes for one result (shown when a build fails)."""
    constraint = result.constraint
    kind = "Constraint Violation" if constraint.severity == SH.Violation else "Validation Result"
    lines = [
        f"{kind} in SPARQLConstraintComponent ({SH.SPARQLConstraintComponent}):",
        f"\tSeverity: {stringify_node(shapes, constraint.severity)}",
        f"\tSource Shape: {stringify_node(shapes, constraint.shape)}",
        f"\tFocus Node: {stringify_node(data, result.focus)}",
        f"\tValue Node: {stringify_node(data, result.value)}",
    ]
    if result.path is not None:
        lines.append(f"\tResult Path: {stringify_node(shapes, result.path)}")
    lines.append(f"\tSource Constraint: {stringify_node(shapes, constraint.node)}")
    lines += [f"\tMessage: {m}" for m in sorted(messages(result))]
    return "\n".join(lines) + "\n"
