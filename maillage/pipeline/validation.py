"""Stage 6: the SHACL gate. Violations block a release; warnings are reported.

Who checks what: pyshacl, the validator of record, checks every shape's SHACL Core constraints
on the data merged with the ontology, as it always has. The shapes' SHACL-SPARQL constraints
(``sh:sparql``, seven in ``shapes/``) are run by Oxigraph over the same merged graph and
reported in pyshacl's form, into pyshacl's report (:mod:`maillage.pipeline.sparql_constraints`):
pyshacl parses and runs such a query once per focus node in rdflib's engine, which cost most of
the validation time at 1M triples. pyshacl runs with its bookkeeping made cheaper
(:mod:`maillage.pipeline.pyshacl_speedups`, same decisions).
:func:`validate_graph_with_pyshacl_only` runs everything in pyshacl as shipped; the equivalence
test (``tests/test_validation_equivalence.py``) proves both find the same results.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate
from pyshacl.rdfutil.inoculate import inoculate
from rdflib import RDF, Graph, Literal, URIRef

from maillage.namespaces import SH
from maillage.pipeline import core_partition as partition
from maillage.pipeline import sparql_constraints as sparql


@dataclass(frozen=True)
class ValidationResult:
    report: Graph
    violations: int
    warnings: int
    text: str

    @property
    def conforms(self) -> bool:
        return self.violations == 0


def load_shapes(shape_files: list[Path]) -> Graph:
    shapes = Graph()
    for path in shape_files:
        shapes.parse(path)
    return shapes


def validate_graph(
    data: Graph, shapes: Graph, ontology: Graph, processes: int = 1
) -> ValidationResult:
    """Validate with SHACL Core (pyshacl) + SPARQL constraints (Oxigraph), no inference (the
    build materialises). ``data`` gets the ontology's axioms during the call, as pyshacl's own
    copy would, and is given back unchanged: copying a 1M-triple graph cost 15 s and its size
    again in memory. With ``processes`` > 1, pyshacl checks the shapes in ``processes`` - 1
    forked processes (they share the graph), each a share of the shapes, while this one runs
    the SPARQL constraints (:mod:`maillage.pipeline.core_partition`)."""
    core = sparql.without_sparql_constraints(shapes)
    with ontology_mixed_in(data, ontology) as mixed:
        groups = partition.shape_groups(core, mixed, processes - 1) if processes > 1 else []
        with partition.in_children(mixed, core, groups) as children:
            if groups:
                report, text = partition.empty_report(core)
            else:
                report, text = partition.validate_core(mixed, core, None)
            found = sparql_results(mixed, shapes)
            for triples, child_text in children():
                partition.merge_report(report, triples)
                text += partition.body(child_text)
        sparql.add_to_report(report, mixed, shapes, found)
        text += "".join(sorted(sparql.description(r, mixed, shapes) for r in found))
    return _result(report, text)


def sparql_results(data: Graph, shapes: Graph) -> list[sparql.Result]:
    store = sparql.oxigraph_store([data])
    return [
        result
        for constraint in sparql.sparql_constraints(shapes)
        for result in sparql.evaluate(store, shapes, constraint)
    ]


def validate_graph_with_pyshacl_only(
    data: Graph, shapes: Graph, ontology: Graph
) -> ValidationResult:
    """Every constraint, SPARQL ones included, in pyshacl: the reference the equivalence test
    compares :func:`validate_graph` with (too slow for a large build)."""
    _conforms, report, text = validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    return _result(report, text)


@contextlib.contextmanager
def ontology_mixed_in(data: Graph, ontology: Graph) -> Iterator[Graph]:
    """``data`` with the ontology axioms pyshacl mixes in (``inoculate``) added for the time of
    the block, then removed (those ``data`` already held stay)."""
    added = [triple for triple in inoculate(Graph(), ontology) if triple not in data]
    for triple in added:
        data.add(triple)
    try:
        yield data
    finally:
        for triple in added:
            data.remove(triple)


def findings(report: Graph) -> Counter:
    """Each result of a report as its reader sees it (focus node, path, value, source shape,
    constraint component, severity, messages; blank nodes keep their ids), counted."""
    return Counter(
        (
            report.value(r, SH.focusNode),
            report.value(r, SH.resultPath),
            report.value(r, SH.value),
            report.value(r, SH.sourceShape),
            report.value(r, SH.sourceConstraintComponent),
            report.value(r, SH.resultSeverity),
            frozenset(report.objects(r, SH.resultMessage)),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    )


def _result(report: Graph, text: str) -> ValidationResult:
    violations, warnings = _count(report, SH.Violation), _count(report, SH.Warning)
    (root,) = report.subjects(SH.conforms, None)
    report.set((root, SH.conforms, Literal(violations == 0)))
    results = violations + warnings + _count(report, SH.Info)
    return ValidationResult(
        report=report,
        violations=violations,
        warnings=warnings,
        text=_with_header(text, violations == 0, results),
    )


def _with_header(text: str, conforms: bool, results: int) -> str:
    """pyshacl's header (« Conforms », « Results (N) ») for all the results."""
    header = f"Validation Report\nConforms: {conforms}\n"
    return header + (f"Results ({results}):\n" if results else "") + partition.body(text)


def _count(report: Graph, severity: URIRef) -> int:
    return sum(1 for _ in report.subjects(SH.resultSeverity, severity))
