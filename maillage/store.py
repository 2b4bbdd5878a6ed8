"""The store adapter: the only module that runs queries on an engine.

A release carries an on-disk Oxigraph store (``store/``, built from ``maillage-all.nq.gz`` when
the release is written) so a server opens it read-only instead of re-parsing the dumps.

Public SPARQL goes through a :class:`QueryEngine`. The one we ship, :class:`QueryRunner`, runs
each query in a worker process holding the store read-only: pyoxigraph cannot cancel a query, so
the deadline is enforced by killing the worker and starting a replacement. Where Linux allows it,
a worker also leaves the network before opening the store (new user and network namespaces), so
a ``SERVICE`` the policy missed could not go out either. Results are serialised
in the worker and counted against the row and byte caps; over a cap is an error, never a cut.
A remote SPARQL 1.1 store (through SPARQLWrapper) can replace it by implementing the same
:meth:`QueryEngine.run`.
"""

from __future__ import annotations

import abc
import ctypes
import dataclasses
import io
import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Iterable, Iterator, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

import pyoxigraph as ox

from maillage.formats import RDF_SYNTAXES, RESULT_SYNTAXES
from maillage.layout import STORE_DIR

SOLUTION_FORMATS = {f.media_type: f.results_format for f in RESULT_SYNTAXES}
GRAPH_FORMATS = {f.media_type: f.rdf_format for f in RDF_SYNTAXES}
SOLUTION_MEDIA_TYPES = tuple(SOLUTION_FORMATS)
"""What SELECT and ASK results can be written as, the default first."""
GRAPH_MEDIA_TYPES = tuple(GRAPH_FORMATS)
"""What CONSTRUCT and DESCRIBE results can be written as, the default first."""
DEFAULT_GRAPH = "DEFAULT"
"""Stands for the store's default graph in a list of graph names (not an IRI: no scheme)."""

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
QUERY_WORKER_NICENESS = 10
"""Query workers run at a lower CPU priority than the server: a long query takes what the
dereferencing and the light requests leave, instead of half the machine
(``docs/performance.md``)."""
WORKER_START_S = 30.0
"""How long a worker may take to open the store before start-up fails."""


def create_store(directory: Path, nquads: bytes) -> None:
    """Write an on-disk store holding the given N-Quads (all graphs)."""
    store = ox.Store(str(directory))
    store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    store.optimize()
    store.flush()
    del store


def open_read_only(release_dir: Path) -> ox.Store:
    return ox.Store.read_only(str(release_dir / STORE_DIR))


# ---- the engine interface -------------------------------------------------------------------


class QueryError(Exception):
    """A query did not produce a result; the message says why, for the client."""


class QuerySyntaxError(QueryError):
    """The engine's parser refused the query (the message carries the position)."""


class QueryEvaluationError(QueryError):
    """The query parsed but could not be evaluated (an unsupported function, for instance)."""


class ResultTooLarge(QueryError):
    """The result passed ``result_max_rows`` or ``result_max_bytes``."""


class QueryTimeout(QueryError):
    """The query ran past its deadline and was stopped."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"query stopped: it ran past the {seconds:g} s deadline")


class EngineBusy(QueryError):
    """No engine capacity became free in time."""


class EngineFailure(QueryError):
    """The engine itself failed (a worker died, the store could not be read)."""


@dataclasses.dataclass(frozen=True)
class Result:
    media_type: str
    body: bytes


@dataclasses.dataclass(frozen=True)
class Limits:
    timeout_s: float
    max_rows: int
    max_bytes: int


class QueryEngine(abc.ABC):
    """Runs a read-only SPARQL query and returns its serialised result."""

    @abc.abstractmethod
    def run(
        self,
        query: str,
        media_type: str,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
    ) -> Result:
        """Run ``query`` on the dataset the graph lists name (the store's own when both are
        ``None``) and write the result as ``media_type``, one of ``SOLUTION_MEDIA_TYPES`` for
        SELECT/ASK or ``GRAPH_MEDIA_TYPES`` for CONSTRUCT/DESCRIBE. Raises a :class:`QueryError`.
        """

    def start(self) -> None:  # noqa: B027 - engines without resources need not override it
        """Acquire what the engine needs (processes, connections)."""

    def close(self) -> None:  # noqa: B027
        """Release it."""


# ---- the worker pool ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Task:
    query: str
    media_type: str
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None


@dataclasses.dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    offline: bool = False

    def stop(self) -> None:
        self.process.kill()
        self.process.join()
        self.conn.close()
        self.process.close()


_ERRORS: dict[str, type[QueryError]] = {
    "syntax": QuerySyntaxError,
    "evaluation": QueryEvaluationError,
    "too_large": ResultTooLarge,
    "engine": EngineFailure,
}


class _FoundDead(Exception):
    """The worker was dead before the task reached it: the query never ran."""


class QueryRunner(QueryEngine):
    """``workers`` processes, each with the store open read-only, run one query at a time."""

    def __init__(
        self,
        store_dir: Path,
        limits: Limits,
        workers: int,
        base_iri: str,
        prefixes: dict[str, str] | None = None,
    ) -> None:
        """``prefixes``: declared for every query (a query's own PREFIX overrides one) and used
        to write Turtle results."""
        self._store_dir = store_dir
        self._limits = limits
        self._size = workers
        self._options = {"base_iri": base_iri, "prefixes": dict(prefixes or {})}
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload([__name__])
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._live: list[_Worker] = []
        self._replacements: list[threading.Thread] = []
        self._started = self._closed = False

    def start(self) -> None:
        """Start the workers; fails if they cannot open the store."""
        with self._lock:
            if self._started:
                return
            self._started = True
        for _ in range(self._size):
            self._add(self._spawn())

    def close(self) -> None:
        with self._lock:
            self._closed = True
            replacements = list(self._replacements)
        for thread in replacements:
            thread.join()
        with self._lock:
            workers, self._live = self._live, []
        for worker in workers:
            worker.stop()

    @property
    def offline(self) -> bool:
        """Whether every worker runs without network (see :func:`_leave_the_network`)."""
        with self._lock:
            return bool(self._live) and all(worker.offline for worker in self._live)

    def worker_pids(self) -> list[int]:
        """Process ids of the live workers (for monitoring and tests)."""
        with self._lock:
            return [worker.process.pid for worker in self._live]

    def run(
        self,
        query: str,
        media_type: str,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
    ) -> Result:
        self.start()
        task = _Task(query, media_type, _tuple(default_graph_uris), _tuple(named_graph_uris))
        for _ in range(self._size + 1):
            worker = self._take()
            try:
                reply = self._exchange(worker, task)
            except _FoundDead:
                self._replace(worker)
                continue  # the query never reached that worker: another one runs it
            except (QueryTimeout, EngineFailure):
                self._replace(worker)
                raise
            self._idle.put(worker)
            return _result(reply, media_type)
        raise EngineFailure("every query worker was found dead; replacements are starting")

    def _take(self) -> _Worker:
        """An idle worker that has not visibly died (one that has is replaced, not used)."""
        while True:
            try:
                worker = self._idle.get(timeout=self._limits.timeout_s + WORKER_START_S)
            except queue.Empty:
                raise EngineBusy("every query worker stayed busy; retry later") from None
            if worker.process.is_alive():
                return worker
            self._replace(worker)

    def _exchange(self, worker: _Worker, task: _Task) -> tuple:
        """Send ``task`` and wait for the reply. ``is_alive()`` cannot see every dead worker:
        a killed one counts as alive until the forkserver has reaped it, and its socket stays
        open until its last thread has exited. A worker that never read the task (the send
        fails, or the socket is reset: it closed with the task unread) raises
        :class:`_FoundDead`; one that read it and closed (end of file) died running it."""
        try:
            worker.conn.send(task)
        except OSError:
            raise _FoundDead from None
        try:
            if not worker.conn.poll(self._limits.timeout_s):
                raise QueryTimeout(self._limits.timeout_s)
            return worker.conn.recv()
        except ConnectionResetError:
            raise _FoundDead from None
        except (EOFError, OSError) as error:
            raise EngineFailure(f"the query worker stopped unexpectedly ({error!r})") from None

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve,
            args=(child, str(self._store_dir), self._limits, self._options),
            name="maillage-query",
            daemon=True,
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        reply = _receive(parent) if parent.poll(WORKER_START_S) else ("failed", "no answer")
        if reply[0] != "ready":
            worker.stop()
            raise EngineFailure(f"a query worker could not open {self._store_dir}: {reply[-1]}")
        worker.offline = reply[1]
        return worker

    def _add(self, worker: _Worker) -> None:
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._live.append(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` now; a thread reaps it and starts its replacement, so the caller
        answers at once (reaping waits on the forkserver, which may be slow under load)."""
        with self._lock:
            if worker not in self._live:
                return  # already stopped by close()
            self._live.remove(worker)
            worker.process.kill()
            thread = threading.Thread(
                target=self._respawn, args=(worker,), name="maillage-respawn", daemon=True
            )
            self._replacements.append(thread)
            thread.start()  # under the lock, so that close() never joins an unstarted thread

    def _respawn(self, dead: _Worker) -> None:
        try:
            dead.stop()
            if self._closed:
                return
            self._add(self._spawn())
        except EngineFailure:
            pass  # the pool shrinks; queries wait for the others (EngineBusy when none is left)
        finally:
            with self._lock:
                self._replacements.remove(threading.current_thread())


def _tuple(graphs: Sequence[str] | None) -> tuple[str, ...] | None:
    return None if graphs is None else tuple(graphs)


def _receive(conn: Connection) -> tuple:
    try:
        return conn.recv()
    except EOFError:
        return ("failed", "it exited")


def _result(reply: tuple, media_type: str) -> Result:
    if reply[0] == "ok":
        return Result(media_type, reply[1])
    raise _ERRORS[reply[1]](reply[2])


# ---- inside a worker process ----------------------------------------------------------------


class _TooLarge(Exception):
    """Raised from inside a serialiser to stop it when a cap is passed."""


def _serve(conn: Connection, store_dir: str, limits: Limits, options: dict) -> None:
    """A worker's life: open the store, then answer tasks until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    os.nice(QUERY_WORKER_NICENESS)
    offline = _leave_the_network()
    try:
        store = ox.Store.read_only(store_dir)
    except OSError as error:
        conn.send(("failed", str(error)))
        return
    conn.send(("ready", offline))
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        conn.send(_answer(store, task, limits, options))


def _leave_the_network() -> bool:
    """Move this process into new, empty user and network namespaces (Linux ``unshare``): no
    socket can reach anything from here, so a ``SERVICE`` that got past the policy fails instead
    of going out. Called while the process has one thread, before the store is opened. False
    where the system does not allow it; the policy is then the only guard."""
    try:
        unshare = getattr(ctypes.CDLL(None, use_errno=True), "unshare", None)
    except OSError:
        return False
    return unshare is not None and unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0


def _answer(store: ox.Store, task: _Task, limits: Limits, options: dict) -> tuple:
    try:
        results = store.query(
            task.query, base_iri=options["base_iri"], prefixes=options["prefixes"], **_dataset(task)
        )
        return ("ok", _serialise(results, task.media_type, limits, options["prefixes"]))
    except SyntaxError as error:
        return ("error", "syntax", str(error))
    except _TooLarge as error:
        return ("error", "too_large", str(error))
    except (RuntimeError, ValueError) as error:
        return ("error", "evaluation", str(error))
    except OSError as error:
        return ("error", "engine", str(error))


def _dataset(task: _Task) -> dict:
    """The protocol dataset: when either list is given, both define the dataset exactly."""
    if task.default_graphs is None and task.named_graphs is None:
        return {}
    return {
        "default_graph": [_graph(name) for name in task.default_graphs or ()],
        "named_graphs": [ox.NamedNode(name) for name in task.named_graphs or ()],
    }


def _graph(name: str) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if name == DEFAULT_GRAPH else ox.NamedNode(name)


def write_result(results, media_type: str, limits: Limits, prefixes: dict[str, str]) -> bytes:
    """Write parsed results (solutions, a boolean, or triples for a graph ``media_type``) as
    the worker does, under the same caps: used by engines that get results from elsewhere."""
    try:
        if media_type in GRAPH_FORMATS:
            return _serialise_graph(results, GRAPH_FORMATS[media_type], limits, prefixes)
        return _serialise(results, media_type, limits, prefixes)
    except _TooLarge as error:
        raise ResultTooLarge(str(error)) from None


def _serialise(results, media_type: str, limits: Limits, prefixes: dict[str, str]) -> bytes:
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
            raise _TooLarge(f"the result has more than {max_rows} triples (result_max_rows)")
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
            raise _TooLarge(f"the result is larger than {self._max_bytes} bytes (result_max_bytes)")
        if self._max_lines is not None:
            self._lines += bytes(data).count(b"\n")
            if self._lines > self._max_lines:
                rows = self._max_lines - 1
                raise _TooLarge(f"the result has more than {rows} rows (result_max_rows)")
        return size

    def getvalue(self) -> bytes:
        return self._buffer.getvalue()
