"""Results written in the requested format under the row and byte caps: over a cap stops the
writer (an error, never a cut). Used inside the query workers and by the remote engine."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from maillage.formats import RDF_SYNTAXES, RESULT_SYNTAXES
from maillage.store.interface import Limits, ResultTooLarge

SOLUTION_FORMATS = {f.media_type: f.results_format for f in RESULT_SYNTAXES}
GRAPH_FORMATS = {f.media_type: f.rdf_format for f in RDF_SYNTAXES}
SOLUTION_MEDIA_TYPES = tuple(SOLUTION_FORMATS)
"""What SELECT and ASK results can be written as, the default first."""
GRAPH_MEDIA_TYPES = tuple(GRAPH_FORMATS)
"""What CONSTRUCT and DESCRIBE results can be written as, the default first."""


class CapPassed(Exception):
    """Raised from inside a serialiser to stop it when a cap is passed."""


def write_result(results, media_type: str, limits: Limits, prefixes: dict[str, str]) -> bytes:
    """Write parsed results (solutions, a boolean, or triples for a graph ``media_type``) as
    the worker does, under the same caps: used by engines that get results from elsewhere."""
    try:
        if media_type in GRAPH_FORMATS:
            return _serialise_graph(results, GRAPH_FORMATS[media_type], limits, prefixes)
        return serialise(results, media_type, limits, prefixes)
    except CapPassed as error:
        raise ResultTooLarge(str(error)) from None


def serialise(results, media_type: str, limits: Limits, prefixes: dict[str, str]) -> bytes:
    if isinstance(results, ox.QueryTriples):
        return _serialise_graph(results, _format(GRAPH_FORMATS, media_type), limits, prefixes)
    result_format = _format(SOLUTION_FORMATS, media_type)
    if isinstance(results, ox.QueryBoolean):
        return results.serialize(format=result_format)
    return _serialise_solutions(results, result_format, limits)


def _format(formats: dict, media_type: str):
    if media_type not in formats:
        raise ValueError(f"this result cannot be written as {media_type}")
    return formats[media_type]


def _serialise_solutions(
    solutions: ox.QuerySolutions, result_format: ox.QueryResultsFormat, limits: Limits
) -> bytes:
    """Rows are counted on a first, TSV writing (one line per row, after a header line) that
    stops at the cap; the final format is then written from it (TSV round-trips every term)."""
    tsv = _CappedOutput(limits.max_bytes, max_lines=limits.max_rows + 1)
    solutions.serialize(tsv, format=ox.QueryResultsFormat.TSV)
    if result_format == ox.QueryResultsFormat.TSV:
        return tsv.getvalue()
    output = _CappedOutput(limits.max_bytes)
    reread = ox.parse_query_results(tsv.getvalue(), format=ox.QueryResultsFormat.TSV)
    reread.serialize(output, format=result_format)
    return output.getvalue()


def _serialise_graph(
    triples: ox.QueryTriples, rdf_format: ox.RdfFormat, limits: Limits, prefixes: dict[str, str]
) -> bytes:
    output = _CappedOutput(limits.max_bytes)
    rows: Iterable = _capped(triples, limits.max_rows)
    if rdf_format in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        rows = (ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in rows)
    ox.serialize(rows, output, rdf_format, prefixes=prefixes)
    return output.getvalue()


def _capped(triples: Iterable[ox.Triple], max_rows: int) -> Iterator[ox.Triple]:
    for count, triple in enumerate(triples, start=1):
        if count > max_rows:
            raise CapPassed(f"the result has more than {max_rows} triples (result_max_rows)")
        yield triple


class _CappedOutput(io.RawIOBase):
    """A bytes buffer that stops the writer once it holds more than the caps allow."""

    def __init__(self, max_bytes: int, max_lines: int | None = None) -> None:
        super().__init__()
        self._buffer = io.BytesIO()
        self._max_bytes = max_bytes
        self._max_lines = max_lines
        self._lines = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        size = self._buffer.write(data)
        if self._buffer.tell() > self._max_bytes:
            raise CapPassed(f"the result is larger than {self._max_bytes} bytes (result_max_bytes)")
        if self._max_lines is not None:
            self._lines += bytes(data).count(b"\n")
            if self._lines > self._max_lines:
                rows = self._max_lines - 1
                raise CapPassed(f"the result has more than {rows} rows (result_max_rows)")
        return size

    def getvalue(self) -> bytes:
        return self._buffer.getvalue()
