"""Stage 6: the SHACL gate. Violations block a release; warnings are reported."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate
from rdflib import Graph, URIRef

from maillage.namespaces import SH


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


def validate_graph(data: Graph, shapes: Graph, ontology: Graph) -> ValidationResult:
    """Validate with SHACL Core + SPARQL constraints, no inference (the build materialises)."""
    _conforms, report, text = validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    return ValidationResult(
        report=report,
        violations=_count(report, SH.Violation),
        warnings=_count(report, SH.Warning),
        text=text,
    )


def _count(report: Graph, severity: URIRef) -> int:
    return sum(1 for _ in report.subjects(SH.resultSeverity, severity))
