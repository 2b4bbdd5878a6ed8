"""SHACL Core on several cores: pyshacl run on a share of the shapes in each process.

pyshacl is pure Python, so one run uses one core. The shapes that have targets are shared out
between groups by their estimated cost (focus nodes × constraints); each group is validated by
pyshacl (``use_shapes``) in a process forked after the graph is built, so the graph is shared,
not copied or sent; each child sends back its report's triples, merged into one report (the
parent runs the SPARQL constraints meanwhile: ``validate_graph``). A shape without targets is
only ever checked through one that has them, so every result is found once, in one group.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from types import SimpleNamespace

from pyshacl import validate
from pyshacl.validator import Validator
from rdflib import RDF, RDFS, Graph, URIRef

from maillage.namespaces import OWL, SH
from maillage.pipeline import pyshacl_speedups as speedups

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
SHAPE_EXPECTING = (SH.property, SH.node, SH["not"], SH.qualifiedValueShape)
SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)
_SHARED: tuple[Graph, Graph] | None = None
"""The graph and shapes the forked children read (set only while they run)."""


def validate_core(data: Graph, core: Graph, group: list[URIRef] | None) -> tuple[Graph, str]:
    """pyshacl on ``data`` in place (no copy), for the shapes of ``group`` (None: all), with
    its bookkeeping made cheaper (:mod:`maillage.pipeline.pyshacl_speedups`)."""
    chosen = {} if group is None else {"use_shapes": group}
    with speedups.applied():
        _conforms, report, text = validate(
            speedups.indexed_view(data),
            shacl_graph=speedups.indexed_view(core),
            inference="none",
            advanced=True,
            allow_warnings=True,
            inplace=True,
            **chosen,
        )
    return report, text


def empty_report(core: Graph) -> tuple[Graph, str]:
    """pyshacl's report and text with no result, for the children's results to be merged in
    when this process validates no shape itself."""
    return Validator.create_validation_report(SimpleNamespace(graph=core), True, [])


def shape_groups(core: Graph, data: Graph, processes: int) -> list[list[URIRef] | None]:
    """``processes`` groups of the targeted shapes, balanced by cost; one process: [None]."""
    if processes <= 1:
        return [None]
    shapes = sorted(_targeted(core))
    costs = {shape: _cost(core, data, shape) for shape in shapes}
    groups: list[list[URIRef]] = [[] for _ in range(processes)]
    loads = [0] * processes
    for shape in sorted(shapes, key=lambda s: (-costs[s], s)):
        lightest = loads.index(min(loads))
        groups[lightest].append(shape)
        loads[lightest] += costs[shape]
    return [sorted(_with_named_parts(core, group)) for group in groups if group] or [None]


def _with_named_parts(core: Graph, shapes: list[URIRef]) -> set[URIRef]:
    """The shapes and every named shape they use (``sh:property``, ``sh:node``…): pyshacl's
    ``use_shapes`` skips a named shape it is not given, even one a given shape points to."""
    found, todo = set(), list(shapes)
    while todo:
        shape = todo.pop()
        if shape in found:
            continue
        if isinstance(shape, URIRef):
            found.add(shape)
        for predicate in SHAPE_EXPECTING:
            todo += core.objects(shape, predicate)
        for predicate in SHAPE_LISTS:
            for items in core.objects(shape, predicate):
                todo += core.items(items)
    return found


def _targeted(core: Graph) -> set[URIRef]:
    found = {s for target in TARGETS for s in core.subjects(target, None)}
    for kind in (RDFS.Class, OWL.Class):
        found |= {s for s in core.subjects(RDF.type, kind) if (s, RDF.type, SH.NodeShape) in core}
    if any(not isinstance(shape, URIRef) for shape in found):
        raise ValueError("a targeted shape must be named (an IRI) to be shared out")
    return found


def _cost(core: Graph, data: Graph, shape: URIRef) -> int:
    """Focus nodes × (1 + property shapes): what pyshacl's time grows with."""
    focus = len(list(core.objects(shape, SH.targetNode)))
    for target_class in core.objects(shape, SH.targetClass):
        focus += sum(1 for _ in data.subjects(RDF.type, target_class))
    for target in (SH.targetSubjectsOf, SH.targetObjectsOf):
        for prop in core.objects(shape, target):
            focus += sum(1 for _ in data.triples((None, prop, None)))
    return focus * (1 + len(list(core.objects(shape, SH.property))))


@contextlib.contextmanager
def in_children(
    data: Graph, core: Graph, groups: list[list[URIRef] | None]
) -> Iterator[Callable[[], Iterator[tuple[list, str]]]]:
    """Start one forked process per group; yield a function giving their (triples, text)."""
    global _SHARED
    if not groups:
        yield lambda: iter(())
        return
    _SHARED = (data, core)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=len(groups), mp_context=context) as pool:
            futures = [pool.submit(_validate_in_child, group) for group in groups]
            yield lambda: (future.result() for future in futures)
    finally:
        _SHARED = None


def _validate_in_child(group: list[URIRef]) -> tuple[list, str]:
    assert _SHARED is not None, "the graph is given to the children by fork"
    report, text = validate_core(*_SHARED, group)
    return list(report), text


def merge_report(report: Graph, triples: list) -> None:
    """A child's report triples into ``report``: its results hang from ``report``'s root."""
    (root,) = report.subjects(RDF.type, SH.ValidationReport)
    (child_root,) = {s for s, p, o in triples if p == RDF.type and o == SH.ValidationReport}
    for s, p, o in triples:
        if s != child_root:
            report.add((s, p, o))
        elif p == SH.result:
            report.add((root, SH.result, o))


def body(text: str) -> str:
    """pyshacl's text without its header (« Validation Report », « Conforms », « Results »)."""
    lines = text.splitlines(keepends=True)[2:]
    return "".join(line for line in lines if not line.startswith("Results ("))
