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


def serialise(
    results, media_type: str, limits: Limits, prefixes: dict[str, str], lead: bytes = b""
) -> bytes:
    """``results`` written as ``media_type``, after ``lead`` (a worker's reply marker, written
    in the same buffer so that the result is not copied again; not counted in the caps)."""
    if isinstance(results, ox.QueryTriples):
        graph_format = _format(GRAPH_FORMATS, media_type)
        return _serialise_graph(results, graph_format, limits, prefixes, lead)
    result_format = _format(SOLUTION_FORMATS, media_type)
    if isinstance(results, ox.QueryBoolean):
        return lead + results.serialize(format=result_format)
    return _serialise_solutions(results, result_format, limits, lead)


def _format(formats: dict, media_type: str):
    if media_type not in formats:
        raise ValueError(f"this result cannot be written as {media_type}")
    return formats[media_type]


def _serialise_solutions(
    solutions: ox.QuerySolutions,
    result_format: ox.QueryResultsFormat,
    limits: Limits,
    lead: bytes = b"",
) -> bytes:
    """One writing, straight to ``result_format``: the rows are counted in the bytes as the
    writer produces them (:class:`RowCounter`), and the writer is stopped past either cap."""
    output = _CappedOutput(limits.max_bytes, RowCounter(result_format), limits.max_rows, lead)
    solutions.serialize(output, format=result_format)
    return output.getvalue()


LEAST_ROW_BYTES = {
    ox.QueryResultsFormat.JSON: 3,  # {} and the comma before the next ({} ends the last, then ]}})
    ox.QueryResultsFormat.XML: 17,  # <result></result>
    ox.QueryResultsFormat.CSV: 2,  # an empty line, \r\n
    ox.QueryResultsFormat.TSV: 1,  # an empty line, \n
}
"""The smallest row each of Oxigraph's writers can write (a solution that binds nothing):
``tests/test_sparql_engine.py`` checks the cap at its boundary with such rows. Results up to
``result_max_rows`` times this many bytes are not scanned at all (most results: at the
default 10,000 rows, JSON up to 30 kB), which saved 0.5 ms on a 20 kB JSON result."""


class RowCounter:
    """Counts the solutions in a SPARQL results document as its bytes arrive, in any chunks.

    Exact for Oxigraph's writers, whose layout is fixed (``tests/test_sparql_engine.py`` checks
    it against parsing on hostile literals): in TSV a row is a line (line ends in terms are
    escaped); in CSV a line end outside quotes (quotes inside a field are doubled); in XML a
    ``<result>`` tag (``<`` in text is escaped); in JSON a ``[{`` or ``},{`` outside strings
    (no backslash appears outside a string, and inside one a backslash escapes the next byte).
    The header line of TSV and CSV is not a row.
    """

    def __init__(self, result_format: ox.QueryResultsFormat) -> None:
        self._feed = {
            ox.QueryResultsFormat.TSV: self._lines,
            ox.QueryResultsFormat.CSV: self._csv,
            ox.QueryResultsFormat.XML: self._xml,
            ox.QueryResultsFormat.JSON: self._json,
        }[result_format]
        self._header = result_format in (ox.QueryResultsFormat.TSV, ox.QueryResultsFormat.CSV)
        self.least_row_bytes = LEAST_ROW_BYTES[result_format]
        """The fewest bytes a row takes in this format: a document of n bytes holds at most
        n / ``least_row_bytes`` rows, so a short one need not be counted."""
        self._marks = 0
        self._quoted = False  # inside a CSV field or a JSON string
        self._escaped = False  # a JSON string's backslash ended the previous chunk
        self._tail = b""  # the end of the previous chunk, for a mark cut in two

    @property
    def rows(self) -> int:
        return max(0, self._marks - 1) if self._header else self._marks

    def feed(self, data: bytes) -> None:
        self._feed(data)

    def _lines(self, data: bytes) -> None:
        self._marks += data.count(b"\n")

    def _csv(self, data: bytes) -> None:
        parts = data.split(b'"')
        self._marks += sum(p.count(b"\n") for p in parts[self._quoted :: 2])
        self._quoted ^= (len(parts) - 1) % 2 == 1

    def _xml(self, data: bytes) -> None:
        self._marks += self._count_across(data, (b"<result>",))

    def _json(self, data: bytes) -> None:
        if self._escaped:
            data, self._escaped = data[1:], False
        trailing = len(data) - len(data.rstrip(b"\\"))
        if trailing % 2:
            data, self._escaped = data[:-1], True
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
        parts = data.split(b'"')
        outside = parts[self._quoted :: 2]
        if not self._quoted:
            self._marks += self._count_across(outside[0], (b"[{", b"},{"))
            outside = outside[1:]
        elif len(parts) > 1:
            self._tail = b""
        for part in outside:
            self._marks += part.count(b"[{") + part.count(b"},{")
        if len(parts) % 2 == 0:
            self._quoted = not self._quoted
        if not self._quoted and len(parts) > 1:
            self._tail = parts[-1][-2:]

    def _count_across(self, data: bytes, marks: tuple[bytes, ...]) -> int:
        """Marks in ``data``, with those that began at the end of the previous chunk."""
        joined = self._tail + data
        found = sum(joined.count(m) - self._tail.count(m) for m in marks)
        self._tail = joined[-7:]
        return found


def _serialise_graph(
    triples: ox.QueryTriples,
    rdf_format: ox.RdfFormat,
    limits: Limits,
    prefixes: dict[str, str],
    lead: bytes = b"",
) -> bytes:
    output = _CappedOutput(limits.max_bytes, lead=lead)
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
    """A bytes buffer that stops the writer once it holds more than the caps allow.

    With a row counter, the row cap is the one reported when both are passed: past the byte
    cap the bytes are dropped and the rows still counted, up to the row cap or the end (a
    bounded cost: at most ``max_rows`` rows are written, as the row cap allows anyway)."""

    def __init__(
        self, max_bytes: int, rows: RowCounter | None = None, max_rows: int = 0, lead: bytes = b""
    ) -> None:
        super().__init__()
        self._buffer = io.BytesIO(lead)
        self._buffer.seek(len(lead))
        self._max_bytes = max_bytes
        self._lead = len(lead)
        self._rows = rows
        self._max_rows = max_rows
        self._over_bytes = False
        self._uncounted = 0 if rows is None else min(max_rows * rows.least_row_bytes, max_bytes)
        """Bytes that cannot hold more than ``max_rows`` rows: they are counted only once the
        document grows past them (most results never do: no scanning at all), and always
        before the byte cap drops any."""

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self._rows is not None:
            self._count(data)
        if not self._over_bytes:
            self._buffer.write(data)
            self._over_bytes = self._buffer.tell() - self._lead > self._max_bytes
            if self._over_bytes and self._rows is None:
                self._bytes_passed()
        return len(data)

    def _count(self, data) -> None:
        if self._uncounted is not None:
            if self._buffer.tell() - self._lead + len(data) <= self._uncounted:
                return
            self._rows.feed(self._buffer.getvalue()[self._lead :])  # what came before, at once
            self._uncounted = None
        self._rows.feed(bytes(data))
        if self._rows.rows > self._max_rows:
            raise CapPassed(f"the result has more than {self._max_rows} rows (result_max_rows)")

    def _bytes_passed(self) -> None:
        raise CapPassed(f"the result is larger than {self._max_bytes} bytes (result_max_bytes)")

    def getvalue(self) -> bytes:
        if self._over_bytes:
            self._bytes_passed()
        return self._buffer.getvalue()
