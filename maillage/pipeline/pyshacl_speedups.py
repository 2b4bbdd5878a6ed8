"""pyshacl made cheaper where a profile of the build's validation says it spends, same results.

pyshacl stays the validator of record: nothing here decides a result. At 100k triples a profile
of SHACL Core (cProfile, docs/performance.md « The build at 1M, round 2 ») found the time in
bookkeeping around the checks rather than in the checks:

- rdflib's ``Memory`` store keeps, for every triple, the graphs (contexts) it belongs to, and
  ``triples()`` checks and yields them for each triple it returns: a quarter of the validation.
  A graph that is a single context needs none of it: :func:`indexed_view` gives pyshacl a
  ``Graph`` reading the same store's three indexes directly (no copy).
- each shape, for each focus node it validates, looked its predicates up in a *list* of
  constraint parameters (20 million ``URIRef.__eq__`` at 100k): :class:`_ParameterList` is that
  list with a set beside it for ``in``. Same parameters, same order.
- a node shape's property shapes were validated once per focus node (98,000 calls of
  ``Shape.validate`` at 100k, each finding the shape's constraints again and building each
  constraint anew): :func:`_evaluate_property_shape` gives a property shape all the focus
  nodes at once, as pyshacl gives a shape its targets; a value node reached from two focus
  nodes (then pyshacl reports it twice) keeps pyshacl's own loop.
- every result was given its text description when made, although most are made inside an
  ``sh:or``, ``sh:not``, ``sh:node`` or ``sh:qualifiedValueShape`` and thrown away (15,691
  results made at 100k, 5 reported): :class:`_Description` writes it when the report is
  written. The report graph does not read it.
- a shape checked for an ``sh:or``, ``sh:and``, ``sh:xone``, ``sh:not`` or
  ``sh:qualifiedValueShape`` (:data:`_CONFORMANCE_ONLY`) is asked only whether a value node
  conforms: those components read the conformance, and its results only to log them in debug
  mode. :func:`_validate` marks such a call, and within it :func:`_make_v_result` makes each
  result as its severity alone (what ``Shape.validate`` reads to decide conformance when
  warnings are allowed), without its messages or text. ``sh:node`` is not among them: it nests
  its shape's results under ``sh:detail``.

:func:`applied` patches pyshacl for the time of a validation and restores it after. It is
written against one pyshacl version (:data:`PYSHACL_VERSION`, the one ``pyproject.toml`` pins):
``tests/test_pyshacl_speedups.py`` fails if another is installed, so the patch is read again
against the new code before it is trusted; ``tests/test_validation_equivalence.py`` proves the
findings are pyshacl's own, one for one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from importlib.metadata import version
from warnings import warn

import pyshacl.shape
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
from pyshacl.constraints.constraint_component import ConstraintComponent
from pyshacl.constraints.core.logical_constraints import (
    AndConstraintComponent,
    NotConstraintComponent,
    OrConstraintComponent,
    XoneConstraintComponent,
)
from pyshacl.constraints.core.shape_based_constraints import (
    PropertyConstraintComponent,
    QualifiedValueShapeConstraintComponent,
)
from pyshacl.consts import SH_resultSeverity
from pyshacl.errors import ReportableRuntimeError, ShapeRecursionWarning
from rdflib import BNode, Graph
from rdflib.paths import Path
from rdflib.plugins.stores.memory import Memory
from rdflib.store import Store
from rdflib.term import Node

PYSHACL_VERSION = "0.40.1"
_NO_CONTEXTS: tuple = ()
_EMPTY: dict = {}


class PyshaclVersionChanged(RuntimeError):
    """The installed pyshacl is not the one these patches were written against."""


class _ParameterList(list):
    """pyshacl's list of constraint parameters, with a set for membership (``in``).

    ``Shape.validate`` copies the list (``.copy()``) and appends the advanced-mode parameters
    to the copy before testing each of the shape's predicates with ``in``: both keep the set."""

    def __init__(self, items=()) -> None:
        super().__init__(items)
        self._members = set(self)

    def __contains__(self, item) -> bool:
        return item in self._members

    def copy(self) -> _ParameterList:
        return _ParameterList(self)

    def append(self, item) -> None:
        super().append(item)
        self._members.add(item)


class _IndexedMemory(Store):
    """A ``Memory`` store's triples, read from its indexes without context bookkeeping.

    Right only for a store holding a single graph (what :func:`indexed_view` checks): then
    every triple of the indexes is that graph's. Writes go to the store, in that graph. It says
    it is context and graph aware as ``Memory`` does: pyshacl wraps each graph in a ``Dataset``
    that asserts it (the wrapper reads and writes through the graph, never through contexts)."""

    context_aware = True
    graph_aware = True

    def __init__(self, graph: Graph) -> None:
        super().__init__()
        self._graph, self._memory = graph, graph.store
        self._spo = graph.store._Memory__spo
        self._pos = graph.store._Memory__pos
        self._osp = graph.store._Memory__osp

    def add(self, triple, context, quoted=False) -> None:
        self._memory.add(triple, self._graph, quoted)

    def remove(self, triple, context=None) -> None:
        self._memory.remove(triple, self._graph)

    def __len__(self, context=None) -> int:
        return len(self._graph)

    def triples(self, triple_pattern, context=None):
        s, p, o = triple_pattern
        if s is not None:
            yield from self._from_subject(s, p, o)
        elif p is not None:
            by_object = self._pos.get(p, {})
            objects = [o] if o is not None else list(by_object)
            for obj in objects:
                for subject in list(by_object.get(obj, ())):
                    yield (subject, p, obj), _NO_CONTEXTS
        elif o is not None:
            for subject, predicates in list(self._osp.get(o, {}).items()):
                for predicate in list(predicates):
                    yield (subject, predicate, o), _NO_CONTEXTS
        else:
            for subject in list(self._spo):
                yield from self._from_subject(subject, None, None)

    def _from_subject(self, s, p, o):
        by_predicate = self._spo.get(s)
        if by_predicate is None:
            return
        predicates = [p] if p is not None else list(by_predicate)
        for predicate in predicates:
            objects = by_predicate.get(predicate)
            if objects is None:
                continue
            if o is not None:
                if o in objects:
                    yield (s, predicate, o), _NO_CONTEXTS
            else:
                for obj in list(objects):
                    yield (s, predicate, obj), _NO_CONTEXTS


class _Description:
    """pyshacl's text of one result, written when first read: the report's text adds it to a
    string (``+``) after sorting the results by it (``<``)."""

    __slots__ = ("_text", "_write")

    def __init__(self, write) -> None:
        self._write, self._text = write, None

    def __str__(self) -> str:
        if self._text is None:
            self._text, self._write = self._write(), None
        return self._text

    def __add__(self, other) -> str:
        return str(self) + str(other)

    def __radd__(self, other) -> str:
        return str(other) + str(self)

    def __lt__(self, other) -> bool:
        return str(self) < str(other)

    def __gt__(self, other) -> bool:
        return str(self) > str(other)

    def __le__(self, other) -> bool:
        return str(self) <= str(other)

    def __ge__(self, other) -> bool:
        return str(self) >= str(other)

    def __eq__(self, other) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


_describe = ConstraintComponent.make_v_result_description


def _description_when_read(self, *args, **kwargs) -> _Description:
    return _Description(lambda: _describe(self, *args, **kwargs))


def _evaluate_property_shape(
    self, executor, prop_shape, target_graph, focus_value_nodes, potentially_recursive, path
):
    """pyshacl 0.40.1's ``PropertyConstraintComponent._evaluate_property_shape``, the property
    shape validated once for all the value nodes rather than once per value node."""
    found_prop_shape = self.shape.get_other_shape(prop_shape)
    if potentially_recursive and found_prop_shape in potentially_recursive:
        warn(ShapeRecursionWarning(path), stacklevel=2)
        return False, []
    if not found_prop_shape:
        raise ReportableRuntimeError(
            "SHACL PropertyShape not found: The shape referenced by sh:property does not exist. "
            f"Please check if the shape '{prop_shape}' is defined."
        )
    if not found_prop_shape.is_property_shape:
        raise ReportableRuntimeError(
            f"'{prop_shape}' exists but is not a well-formed SHACL PropertyShape. "
            "Ensure it has the correct type (sh:PropertyShape) and all required properties."
        )
    values = [v for value_nodes in focus_value_nodes.values() for v in value_nodes]
    if len(set(values)) == len(values) and not executor.focus_nodes:
        groups = [values] if values else []
    else:
        groups = values
    non_conformant, reports = False, []
    for focus in groups:
        conforms, found = found_prop_shape.validate(
            executor, target_graph, focus=focus, _evaluation_path=path[:]
        )
        non_conformant = non_conformant or not conforms
        reports.extend(found)
    return non_conformant, reports


_original_property_shape = PropertyConstraintComponent._evaluate_property_shape
_shape_validate = pyshacl.shape.Shape.validate
_make_result = ConstraintComponent.make_v_result
_CONFORMANCE_ONLY = (
    OrConstraintComponent,
    AndConstraintComponent,
    XoneConstraintComponent,
    NotConstraintComponent,
    QualifiedValueShapeConstraintComponent,
)
_unread_depth = [0]
"""How many calls of ``Shape.validate`` under way were made for their conformance only."""


def _validate(self, executor, target_graph, focus=None, _evaluation_path=None):
    """``Shape.validate``, marking a call made by a component that reads its conformance only
    (the component is the last step of the evaluation path it passes)."""
    if not (_evaluation_path and isinstance(_evaluation_path[-1], _CONFORMANCE_ONLY)):
        return _shape_validate(self, executor, target_graph, focus, _evaluation_path)
    _unread_depth[0] += 1
    try:
        return _shape_validate(self, executor, target_graph, focus, _evaluation_path)
    finally:
        _unread_depth[0] -= 1


def _make_v_result(self, *args, **kwargs):
    """pyshacl's result, or within a call for conformance only, its severity alone."""
    if not _unread_depth[0]:
        return _make_result(self, *args, **kwargs)
    node = BNode()
    return "", node, [(node, SH_resultSeverity, self.shape.severity)]


class _IndexedGraph(Graph):
    """The view's ``Graph``: ``objects(s, p)`` with both given, pyshacl's most frequent read
    (a value node's types, a focus node's values), straight from the subject index."""

    def objects(self, subject=None, predicate=None, unique=False):
        if subject is None or predicate is None or isinstance(subject, list | Path):
            return super().objects(subject, predicate, unique)
        if isinstance(predicate, Path):
            return super().objects(subject, predicate, unique)
        return iter(list(self.store._spo.get(subject, _EMPTY).get(predicate, _EMPTY)))


def indexed_view(graph: Graph) -> Graph:
    """``graph`` as a ``Graph`` whose ``triples()`` reads its ``Memory`` store's indexes with
    no context bookkeeping, sharing its triples and prefixes; ``graph`` itself if its store is
    not a ``Memory`` holding that one graph only (then nothing is gained, nothing is risked)."""
    store = graph.store
    if type(graph) is not Graph or type(store) is not Memory:
        return graph
    if {context.identifier for context in store.contexts()} - {graph.identifier}:
        return graph
    view = _IndexedGraph(store=_IndexedMemory(graph), identifier=graph.identifier)
    view.namespace_manager = graph.namespace_manager
    return view


def grouped_triples(graph: Graph) -> Iterator[tuple[Node, Node, Iterable[Node]]]:
    """``graph``'s triples as (subject, predicate, objects), read from its store's index when
    :func:`indexed_view` can (each subject and predicate once), else one triple at a time."""
    view = indexed_view(graph)
    if isinstance(view.store, _IndexedMemory):
        for subject, predicates in view.store._spo.items():
            for predicate, objects in predicates.items():
                yield subject, predicate, objects
    else:
        for subject, predicate, obj in graph:
            yield subject, predicate, (obj,)


def check_version() -> None:
    installed = version("pyshacl")
    if installed != PYSHACL_VERSION:
        raise PyshaclVersionChanged(
            f"pyshacl {installed} is installed; maillage/pipeline/pyshacl_speedups.py patches "
            f"pyshacl {PYSHACL_VERSION}: read the patched functions again in the new version, "
            "then update PYSHACL_VERSION"
        )


@contextlib.contextmanager
def applied() -> Iterator[None]:
    """pyshacl patched for the block (see the module's docstring), restored after."""
    check_version()
    module = pyshacl.shape.module
    before = getattr(module, "CONSTRAINT_PARAMS", None)
    module.CONSTRAINT_PARAMS = (
        _ParameterList(ALL_CONSTRAINT_PARAMETERS),
        CONSTRAINT_PARAMETERS_MAP,
    )
    ConstraintComponent.make_v_result_description = _description_when_read
    ConstraintComponent.make_v_result = _make_v_result
    PropertyConstraintComponent._evaluate_property_shape = _evaluate_property_shape
    pyshacl.shape.Shape.validate = _validate
    try:
        yield
    finally:
        pyshacl.shape.Shape.validate = _shape_validate
        ConstraintComponent.make_v_result = _make_result
        ConstraintComponent.make_v_result_description = _describe
        PropertyConstraintComponent._evaluate_property_shape = _original_property_shape
        if before is None:
            del module.CONSTRAINT_PARAMS
        else:
            module.CONSTRAINT_PARAMS = before
