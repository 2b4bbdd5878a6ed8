"""The embedded engine: ``workers`` processes, each with the store open read-only, run one query
at a time. pyoxigraph cannot cancel a query, so the deadline is enforced by killing the worker and
starting a replacement; where Linux allows it, a worker leaves the network before opening the
store (new user and network namespaces), so a ``SERVICE`` the policy missed could not go out."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import ctypes
import ctypes.util
import dataclasses
import functools
import logging
import math
import multiprocessing
import os
import pickle
import queue
import resource
import signal
import struct
import threading
import time
from collections.abc import Iterator, Sequence
from multiprocessing import forkserver, resource_tracker
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

import pyoxigraph as ox

from maillage.store import engine_counters
from maillage.store.interface import (
    DEFAULT_GRAPH,
    EngineBusy,
    EngineFailure,
    EngineUnavailable,
    Limits,
    QueryEngine,
    QueryError,
    QueryEvaluationError,
    QueryOverMemory,
    QuerySyntaxError,
    QueryTimeout,
    Result,
    ResultTooLarge,
)
from maillage.store.results import CapPassed, serialise

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
QUERY_WORKER_NICENESS = 10
"""A query still running after ``LOWER_PRIORITY_AFTER_S`` goes on at this lower CPU priority: a
long query takes what the dereferencing and the light requests leave, instead of half the
machine, while the light queries run at the engine's speed (``docs/performance.md``)."""
LOWER_PRIORITY_AFTER_S = 1.0
"""How long a query runs at the server's priority before it is lowered (the event-loop path)."""
QUICK_QUERIES_KEPT = 1024
"""Queries remembered as quick (:class:`_QuickQueries`), least recently run dropped first."""
QUICK_SLACK = 20
"""A quick query that takes this many times ``quick_s`` in the calling process is forgotten."""
IDLE_SLACK = 2
"""A query run here because the caller was idle (``idle_s``) that takes this many times
``idle_s`` is forgotten: it holds the caller's event loop for as long as it runs."""
READ_CHUNK = 1 << 20
"""Most bytes of a reply read at once on the event loop: a large reply is read as it arrives, a
pipeful at a time, between the loop's other work."""
OK, FAILED = b"k", b"e"
"""The first byte of a worker's reply: the result's bytes follow, or a pickled error."""
DIED_OF_MEMORY = (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS)
"""How a capped worker dies when an allocation fails: Rust and C++ abort (SIGABRT), C code that
does not check may crash. Python's own failures are a MemoryError, answered as such."""
EXIT_WAIT_S = 1.0
"""How long to wait for a dead worker's exit status (from the forkserver, which reaps it)."""
WORKER_START_S = 30.0
"""How long a worker may take to open the store before start-up fails."""
RESTART_EVERY_S = 5
"""After the workers failed to start, how often they are started again (the store may be
repaired, memory freed), and the ``Retry-After`` of the queries answered 503 meanwhile."""
FORKSERVER_PRELOAD = ["__main__", __name__]
"""What the forkserver imports once, so that each worker it forks has it: this module (the
engine) and the program's main module, which each worker would otherwise run again (the
console script, and the ``maillage.cli`` it imports) before it can serve."""


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
    counters_off: bool = False
    """RocksDB's performance counters are off in it (:mod:`maillage.store.engine_counters`)."""
    lowered: bool = False
    """Its query ran long and its priority was lowered: raised back after the query where this
    process may (a privileged one), else the worker is replaced rather than used again."""

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
"""The errors a worker reports in its reply (a query over the memory cap: :func:`_result`)."""


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
        restart_every_s: float = RESTART_EVERY_S,
        malloc: str = "",
        quick_s: float = 0.0,
        recycle_mib: int = 0,
        idle_s: float = 0.0,
        quick_store: ox.Store | None = None,
    ) -> None:
        """``prefixes``: declared for every query (a query's own PREFIX overrides one) and used
        to write Turtle results. ``restart_every_s``: how often the workers are started again
        after they failed to start. ``recycle_mib``: a worker whose private resident memory is
        above this after a query is replaced (0: never). ``quick_store``: the same store, already
        open in this process, for the queries run here (:class:`_QuickQueries`)."""
        self._store_dir = store_dir
        self._limits = limits
        self._size = workers
        self._options = {"base_iri": base_iri, "prefixes": dict(prefixes or {})}
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(FORKSERVER_PRELOAD)
        self._lock = threading.Lock()
        self._live: list[_Worker] = []
        self._replacements: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._reset()
        self._restart_every_s = restart_every_s
        self._malloc = malloc
        """The workers' malloc library, when this process launches their forkserver."""
        self._quick = (
            _QuickQueries(store_dir, limits, self._options, quick_s, idle_s, quick_store)
            if quick_s or idle_s
            else None
        )
        self._recycle_bytes = recycle_mib * 2**20

    def start(self) -> None:
        """Start the workers, all at once; fails if they cannot open the store, and then starts
        them again every ``restart_every_s`` seconds in the background until they can (every
        query meanwhile fails at once, with the sentence)."""
        with self._lock:
            if self._started:
                return
            self._started = True
        try:
            workers = self._start_workers()
        except EngineFailure as error:
            with self._lock:
                self._failure = str(error)
                self._idle.put(None)  # wakes whoever waits for a worker: it gets the failure
            self._restarting = threading.Thread(
                target=self._restart, name="maillage-restart", daemon=True
            )
            self._restarting.start()
            raise
        for worker in workers:
            self._add(worker)

    def _start_workers(self) -> list[_Worker]:
        """``workers`` workers with the store open, or the first failure (none left running)."""
        launched = [self._launch() for _ in range(self._size)]
        workers, failures = [], []
        for each in launched:
            try:
                workers.append(self._ready(*each))
            except EngineFailure as error:  # that worker is stopped already
                failures.append(error)
        if failures:
            for worker in workers:
                worker.stop()
            raise failures[0]
        return workers

    def _restart(self) -> None:
        """Start the workers again every ``restart_every_s`` until they start (or the engine
        closes); then queries are answered again."""
        while not self._stopping.wait(self._restart_every_s):
            try:
                workers = self._start_workers()
            except EngineFailure as error:
                self._failure = str(error)
                continue
            with self._lock:
                self._failure = None
                self._idle.drop_failure_marks()
            for worker in workers:
                self._add(worker)
            logging.getLogger(__name__).warning("SPARQL: the query workers started")
            return

    def close(self) -> None:
        """Stop every worker. :meth:`start` starts them again: an application's lifespan may
        run more than once on the same app (a test client opened twice)."""
        self._stopping.set()
        if self._restarting is not None:
            self._restarting.join()
        with self._lock:
            self._closed = True
            replacements = list(self._replacements)
        for thread in replacements:
            thread.join()
        with self._lock:
            workers, self._live = self._live, []
        for worker in workers:
            worker.stop()
        self._reset()

    def _reset(self) -> None:
        """As new (at creation, and once closed): no idle worker, no failure, not started."""
        with self._lock:
            self._idle = _IdleWorkers()
            """Idle workers (:class:`_IdleWorkers`); None once the workers failed to start."""
            self._started = self._closed = False
            self._failure: str | None = None
            """Why the workers could not start, while they cannot: every query is then answered
            so (:class:`EngineUnavailable`), and they are started again every
            ``restart_every_s``."""
            self._restarting: threading.Thread | None = None
            self._stopping.clear()

    @property
    def offline(self) -> bool:
        """Whether every worker runs without network (see :func:`_leave_the_network`)."""
        with self._lock:
            return bool(self._live) and all(worker.offline for worker in self._live)

    @property
    def engine_counters_off(self) -> bool:
        """Whether every worker runs its queries with RocksDB's counters off."""
        with self._lock:
            return bool(self._live) and all(worker.counters_off for worker in self._live)

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
            except (QueryTimeout, QueryOverMemory, EngineFailure):
                self._replace(worker)
                raise
            self._give_back(worker)
            return _result(reply, media_type, self._limits)
        raise EngineFailure("every query worker was found dead; replacements are starting")

    async def run_async(
        self,
        query: str,
        media_type: str,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
    ) -> Result:
        """:meth:`run` from the event loop, with no thread: the reply is awaited on the worker's
        pipe (``add_reader``), the deadline is a timer of the loop, and a query still running
        after ``LOWER_PRIORITY_AFTER_S`` has its worker's priority lowered."""
        if not self._started:
            await asyncio.to_thread(self.start)
        task = _Task(query, media_type, _tuple(default_graph_uris), _tuple(named_graph_uris))
        for _ in range(self._size + 1):
            worker = self._take_at_once() or await asyncio.to_thread(self._take)
            sent = time.perf_counter()
            try:
                reply = await self._exchange_async(worker, task)
            except _FoundDead:
                self._replace(worker)
                continue
            except (QueryTimeout, QueryOverMemory, EngineFailure, asyncio.CancelledError):
                self._replace(worker)  # cancelled: its reply would be read by the next query
                raise
            self._give_back(worker)
            if self._quick is not None and reply[0] == "ok":
                self._quick.note(task, time.perf_counter() - sent)
            return _result(reply, media_type, self._limits)
        raise EngineFailure("every query worker was found dead; replacements are starting")

    def run_quick(
        self,
        query: str,
        media_type: str,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        idle: bool = False,
    ) -> Result | None:
        """The result computed here at once if the same query came back quickly from a worker
        before (:class:`_QuickQueries`; within ``idle_s`` when the caller is ``idle``); None
        otherwise (it goes to a worker)."""
        if self._quick is None:
            return None
        task = _Task(query, media_type, _tuple(default_graph_uris), _tuple(named_graph_uris))
        reply = self._quick.run(task, idle)
        return None if reply is None else _result(reply, media_type, self._limits)

    def _give_back(self, worker: _Worker) -> None:
        """Back to the idle workers after a query, or replaced: when its priority was lowered
        and cannot be raised again, or when its private memory has grown past ``recycle_mib`` (a
        fresh worker holds only what opening the store takes; reading its size costs about 2 µs)."""
        lowered = worker.lowered and not _restore_priority(worker)
        if lowered or (self._recycle_bytes and _private_bytes(worker) > self._recycle_bytes):
            self._replace(worker)
        else:
            self._idle.put(worker)

    def _take_at_once(self) -> _Worker | None:
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            return None
        if worker is None:
            raise self._failed()
        if worker.process.is_alive():
            return worker
        self._replace(worker)
        return None

    async def _exchange_async(self, worker: _Worker, task: _Task) -> tuple:
        """:meth:`_exchange` on the event loop (same errors): the reply is read as it arrives
        (:class:`_ReplyReader`), the deadline and the lowering of priority are timers."""
        try:
            worker.conn.send(task)
        except OSError:
            raise _FoundDead from None
        loop = asyncio.get_running_loop()
        reader = _ReplyReader(worker.conn, loop)
        timeout = self._limits.timeout_s
        lowering = None
        if timeout > LOWER_PRIORITY_AFTER_S:
            lowering = loop.call_later(LOWER_PRIORITY_AFTER_S, _lower_priority, worker)
        try:
            message = await reader.read(timeout)
        except ConnectionResetError:
            raise _FoundDead from None
        except (EOFError, OSError) as error:
            raise await asyncio.to_thread(self._died, worker, error) from None
        finally:
            if lowering is not None:
                lowering.cancel()
        if message is None:
            raise QueryTimeout(self._limits.timeout_s)
        return _decode(message)

    def _take(self) -> _Worker:
        """An idle worker that has not visibly died (one that has is replaced, not used)."""
        while True:
            try:
                worker = self._idle.get(timeout=self._limits.timeout_s + WORKER_START_S)
            except queue.Empty:
                raise EngineBusy("every query worker stayed busy; retry later") from None
            if worker is None:
                raise self._failed()
            if worker.process.is_alive():
                return worker
            self._replace(worker)

    def _failed(self) -> EngineFailure:
        """What a query that found the failure mark is told: the workers could not start
        (503, :class:`EngineUnavailable`), or, when they have just started, to try again."""
        with self._lock:
            if self._failure is None:  # started since: the mark was stale
                return EngineBusy("the query workers have just started; retry at once")
            self._idle.put(None)  # for the next one who waits
            return EngineUnavailable(self._failure, math.ceil(self._restart_every_s))

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
            return _decode(worker.conn.recv_bytes())
        except ConnectionResetError:
            raise _FoundDead from None
        except (EOFError, OSError) as error:
            raise self._died(worker, error) from None

    def _died(self, worker: _Worker, error: Exception) -> QueryError:
        """Why a worker died running a query: its memory cap, or a failure of the engine."""
        worker.process.join(EXIT_WAIT_S)
        if self._limits.memory_mib and worker.process.exitcode in DIED_OF_MEMORY:
            return QueryOverMemory(self._limits.memory_mib)
        return EngineFailure(f"the query worker stopped unexpectedly ({error!r})")

    def _spawn(self) -> _Worker:
        return self._ready(*self._launch())

    def _launch(self) -> tuple[BaseProcess, Connection]:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve,
            args=(child, str(self._store_dir), self._limits, self._options),
            name="maillage-query",
            daemon=True,
        )
        with malloc_preloaded(self._malloc):  # in case this starts the forkserver
            process.start()
        child.close()
        return process, parent

    def _ready(self, process: BaseProcess, parent: Connection) -> _Worker:
        """The worker once it has opened the store; stopped, and an error, if it could not."""
        worker = _Worker(process, parent)
        reply = _receive(parent) if parent.poll(WORKER_START_S) else ("failed", "no answer")
        if reply[0] != "ready":
            process.join(EXIT_WAIT_S)
            cap = self._limits.memory_mib
            if cap and process.exitcode in DIED_OF_MEMORY:
                reply = (
                    "failed",
                    f"opening it needs more than the {cap} MiB a query worker may "
                    "hold (query_worker_memory_mib)",
                )
            worker.stop()
            raise EngineFailure(f"a query worker could not open {self._store_dir}: {reply[-1]}")
        worker.offline, worker.counters_off = reply[1], reply[2]
        return worker

    def _add(self, worker: _Worker) -> None:
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._live.append(worker)
        self._idle.put_under(worker)

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


PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def _private_bytes(worker: _Worker) -> int:
    """The worker's resident memory not shared with other processes (``/proc/<pid>/statm``:
    resident less shared pages), what replacing it frees; 0 where it cannot be read."""
    try:
        fd = os.open(f"/proc/{worker.process.pid}/statm", os.O_RDONLY)
    except OSError:
        return 0
    try:
        fields = os.read(fd, 128).split()
        return (int(fields[1]) - int(fields[2])) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0
    finally:
        os.close(fd)


class _IdleWorkers(queue.Queue):
    """The idle workers, a stack: a worker given back after a query (``put``) is the next one
    taken, its caches (RocksDB's blocks, the processor's) warm from the query before, and one
    client's queries all run in one worker, as in one engine's thread. Taken in turn, the mix at
    one client ran at 0.88× raw Oxigraph's rate against 0.91× (docs/performance.md). A new
    worker goes under the others (``put_under``): its caches are cold, and a worker that died
    idle under it is still reached by the next queries and replaced."""

    def _get(self) -> _Worker | None:
        return self.queue.pop()

    def put_under(self, worker: _Worker) -> None:
        with self.not_empty:
            self.queue.appendleft(worker)
            self.unfinished_tasks += 1
            self.not_empty.notify()

    def drop_failure_marks(self) -> None:
        """Take the failure marks (None) out, keeping every worker in its place."""
        with self.mutex:
            kept = [item for item in self.queue if item is not None]
            self.queue.clear()
            self.queue.extend(kept)


def start_forkserver(malloc: str = "") -> None:
    """Start this process's forkserver and resource tracker now: ``maillage serve`` calls it
    before it forks its HTTP workers, whose query workers then all come from one forkserver
    (about 47 MiB resident, 15 MiB proportional) and one tracker (13 MiB, 7 MiB) instead of a
    pair each (see :func:`_inherit_forkserver`). ``malloc``: the workers' malloc library
    (:func:`malloc_preloaded`)."""
    multiprocessing.get_context("forkserver").set_forkserver_preload(FORKSERVER_PRELOAD)
    with malloc_preloaded(malloc):
        forkserver.ensure_running()


@contextlib.contextmanager
def malloc_preloaded(library: str) -> Iterator[None]:
    """``LD_PRELOAD`` names ``library`` (as ``ctypes.util.find_library`` takes it: ``mimalloc``)
    while a forkserver may be launched: it is executed with this process's environment, and the
    workers it forks keep its malloc. pyoxigraph's engine spends about 12 % of a query in
    glibc's malloc; with mimalloc the heavy queries take 4–14 % less CPU (docs/performance.md).
    The memory cap holds (an allocation past ``RLIMIT_DATA`` fails, the engine aborts). Nothing
    when ``library`` is empty or not installed (said once)."""
    soname = _soname(library) if library else None
    if soname is None:
        yield
        return
    with _ENVIRONMENT:
        before = os.environ.get("LD_PRELOAD")
        os.environ["LD_PRELOAD"] = f"{soname} {before}" if before else soname
        try:
            yield
        finally:
            if before is None:
                del os.environ["LD_PRELOAD"]
            else:
                os.environ["LD_PRELOAD"] = before


_ENVIRONMENT = threading.Lock()
"""Held while ``LD_PRELOAD`` is changed (the environment is the process's, not a thread's)."""


@functools.cache
def _soname(library: str) -> str | None:
    found = ctypes.util.find_library(library)
    if found is None:
        logging.getLogger(__name__).warning(
            "query_worker_malloc: %s is not installed; the query workers use glibc's malloc "
            "(Debian: apt-get install libmimalloc2.0)",
            library,
        )
    return found


def _inherit_forkserver() -> None:
    """In a process just forked: use the forkserver its parent started, if any, while it runs.
    The standard library's check of it (``waitpid``) works only in the process that started
    it, and fails (``ChildProcessError``) in a forked child."""
    server = forkserver._forkserver
    server.ensure_running = functools.partial(_ensure_inherited_running, server)


os.register_at_fork(after_in_child=_inherit_forkserver)


def _ensure_inherited_running(server: forkserver.ForkServer) -> None:
    """``ForkServer.ensure_running`` for an inherited forkserver: keep it while it runs, else
    forget it and start one of this process's own."""
    with server._lock:
        pid = server._forkserver_pid
        if pid is not None and _running(pid):
            resource_tracker.ensure_running()
            return
        if server._forkserver_alive_fd is not None:
            os.close(server._forkserver_alive_fd)
        server._forkserver_pid = server._forkserver_alive_fd = server._forkserver_address = None
        server.__dict__.pop("ensure_running", None)  # the standard method again
    server.ensure_running()


def _running(pid: int) -> bool:
    """Whether process ``pid`` runs (exists and is not a zombie: a dead forkserver that its
    parent has not reaped yet still has a pid)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


class _QuickQueries:
    """Queries answered in the calling process (an HTTP worker) instead of a query worker: those
    whose same text, dataset and format came back from a worker, round trip included, within
    ``quick_s`` (a millisecond), and, when the caller is idle (it serves one client's requests
    one after the other), within ``idle_s`` (``query_idle_ms``). The release never changes
    under a running server, so such a query costs here what it cost there: what bounds it is
    its own past run, not a deadline (nothing can stop a query running in this process). It
    saves the round trip to the worker (a pipe write that wakes it, its reply read back: about
    0.1 ms warm, more than the light query itself; about a millisecond of the HTTP worker's CPU
    measured live at one client), and it runs on the event loop for about as long as the
    worker's answer took: a quick query always (others wait that long), a longer one only when
    no other request is there to wait. A run that takes ``QUICK_SLACK`` times ``quick_s``
    (``IDLE_SLACK`` times ``idle_s`` for the longer ones) forgets the query; a query whose text
    says ``SERVICE`` anywhere is never run here (this process has the network, the workers do
    not: :func:`_leave_the_network`). They run on ``store``, the handle this process already
    has open (the HTTP worker's release reader's): a second handle would keep caches of its own
    (RocksDB's blocks and table readers) that nothing drops (at 1M, with ``query_idle_ms`` on,
    the server held 624 MiB after the bench's runs against 586 MiB sharing the handle). Without
    ``store``, the store is opened here the first time a query is quick, in a thread, and
    until then quick queries go to the workers as before."""

    def __init__(
        self,
        store_dir: Path,
        limits: Limits,
        options: dict,
        quick_s: float,
        idle_s: float = 0.0,
        store: ox.Store | None = None,
    ) -> None:
        self._store_dir = store_dir
        self._limits = limits
        self._options = options
        self._quick_s = quick_s
        self._idle_s = idle_s
        self._known: collections.OrderedDict[_Task, tuple[float, bool]] = collections.OrderedDict()
        """Each query remembered: the longest a run of it may take here, and whether it may run
        here only when the caller is idle."""
        self._store = store
        self._tried = store is not None
        """Whether opening the store here was started (once: a failure is not retried)."""

    def note(self, task: _Task, seconds: float) -> None:
        """``task`` came back from a worker after ``seconds``."""
        if "service" in task.query.lower():
            return
        if seconds < self._quick_s:
            self._known[task] = (QUICK_SLACK * self._quick_s, False)
        elif seconds < self._idle_s:
            self._known[task] = (IDLE_SLACK * self._idle_s, True)
        else:
            return
        self._known.move_to_end(task)
        if len(self._known) > QUICK_QUERIES_KEPT:
            self._known.popitem(last=False)
        if not self._tried:
            self._tried = True
            threading.Thread(target=self._open, name="maillage-quick-store", daemon=True).start()

    def run(self, task: _Task, idle: bool = False) -> tuple | None:
        """The worker's reply for ``task``, computed here; None if it is not known as quick
        (quick enough when ``idle``)."""
        known = self._known.get(task) if self._store is not None else None
        if known is None or (known[1] and not idle):
            return None
        longest, _ = known
        engine_counters.turn_off_in_this_thread()
        begun = time.perf_counter()
        reply = _answer(self._store, task, self._limits, self._options, lead=b"")
        if time.perf_counter() - begun > longest:
            self._known.pop(task, None)
        else:
            self._known.move_to_end(task)
        return reply

    def _open(self) -> None:
        try:
            self._store = ox.Store.read_only(str(self._store_dir))
        except OSError as error:  # the workers go on answering everything
            logging.getLogger(__name__).warning("SPARQL: quick queries not run here: %s", error)


class _ReplyReader:
    """Reads one message of a worker (``Connection.send_bytes``'s framing: a 4-byte big-endian
    length, or -1 and an 8-byte one, then the bytes) on the event loop: at once if it is there,
    else as it arrives (``add_reader``), with no thread and no selector of its own. The pipe is
    non-blocking meanwhile, blocking again after (``Connection`` reads block)."""

    def __init__(self, conn: Connection, loop: asyncio.AbstractEventLoop) -> None:
        self._fd = conn.fileno()
        self._loop = loop
        self._buffer = bytearray()
        self._size: int | None = None
        self._waiter: asyncio.Future | None = None

    async def read(self, seconds: float) -> bytes | None:
        """The message, or None if it has not come within ``seconds``; EOFError if the worker
        closed its end (it died), ConnectionResetError if it closed with the task unread."""
        os.set_blocking(self._fd, False)
        try:
            if self._take_all():
                return bytes(self._buffer)
            self._waiter = self._loop.create_future()
            self._loop.add_reader(self._fd, self._readable)
            timer = self._loop.call_later(seconds, self._settle, None)
            try:
                return await self._waiter
            finally:
                timer.cancel()
                self._loop.remove_reader(self._fd)
        finally:
            os.set_blocking(self._fd, True)

    def _readable(self) -> None:
        try:
            if self._take_all():
                self._settle(bytes(self._buffer))
        except (EOFError, OSError) as error:
            if self._waiter is not None and not self._waiter.done():
                self._waiter.set_exception(error)

    def _settle(self, message: bytes | None) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(message)

    def _take_all(self) -> bool:
        """Read what the pipe holds; whether the whole message is read."""
        while not self._complete():
            try:
                chunk = os.read(self._fd, READ_CHUNK)
            except BlockingIOError:
                return False
            if not chunk:
                raise EOFError("the query worker closed its pipe")
            self._buffer += chunk
        return True

    def _complete(self) -> bool:
        if self._size is None and len(self._buffer) >= 4:
            (size,) = struct.unpack_from("!i", self._buffer)
            if size >= 0:
                self._size = size
                del self._buffer[:4]
            elif len(self._buffer) >= 12:
                (self._size,) = struct.unpack_from("!Q", self._buffer, 4)
                del self._buffer[:12]
        return self._size is not None and len(self._buffer) >= self._size


def _lower_priority(worker: _Worker) -> None:
    """The worker's thread that runs queries (its main thread: Linux priorities are per thread)
    goes on at ``QUERY_WORKER_NICENESS``."""
    try:
        os.setpriority(os.PRIO_PROCESS, worker.process.pid, QUERY_WORKER_NICENESS)
    except OSError:
        return  # already gone: the reply (its end of file) says so
    worker.lowered = True


def _restore_priority(worker: _Worker) -> bool:
    """Back to the server's priority, where this process may raise one (a privileged one);
    False where it may not (the worker is then replaced)."""
    try:
        os.setpriority(os.PRIO_PROCESS, worker.process.pid, os.getpriority(os.PRIO_PROCESS, 0))
    except OSError:
        return False
    worker.lowered = False
    return True


def _tuple(graphs: Sequence[str] | None) -> tuple[str, ...] | None:
    return None if graphs is None else tuple(graphs)


def _receive(conn: Connection) -> tuple:
    try:
        return conn.recv()
    except EOFError:
        return ("failed", "it exited")


def _decode(message: bytes) -> tuple:
    """A worker's reply: ``("ok", body)`` or the error tuple it pickled."""
    if message[:1] == OK:
        return ("ok", message[1:])
    return pickle.loads(message[1:])


def _result(reply: tuple, media_type: str, limits: Limits) -> Result:
    if reply[0] == "ok":
        return Result(media_type, reply[1])
    if reply[1] == "memory":
        raise QueryOverMemory(limits.memory_mib or 0)
    raise _ERRORS[reply[1]](reply[2])


# ---- inside a worker process ----------------------------------------------------------------


def _serve(conn: Connection, store_dir: str, limits: Limits, options: dict) -> None:
    """A worker's life: open the store, then answer tasks until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    offline = _leave_the_network()
    if limits.memory_mib:
        cap = limits.memory_mib * 2**20
        resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))
    try:
        store = ox.Store.read_only(store_dir)
    except OSError as error:
        conn.send(("failed", str(error)))
        return
    conn.send(("ready", offline, engine_counters.turn_off_in_this_thread()))
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        reply = _answer(store, task, limits, options)
        if reply[0] == "ok":
            conn.send_bytes(reply[1])  # OK and the result, written as one buffer
        else:
            conn.send_bytes(FAILED + pickle.dumps(reply))


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


def _answer(store: ox.Store, task: _Task, limits: Limits, options: dict, lead: bytes = OK) -> tuple:
    """The reply to ``task``: ``("ok", lead + result)`` or an error tuple."""
    try:
        results = store.query(
            task.query, base_iri=options["base_iri"], prefixes=options["prefixes"], **_dataset(task)
        )
        return ("ok", serialise(results, task.media_type, limits, options["prefixes"], lead))
    except SyntaxError as error:
        return ("error", "syntax", str(error))
    except CapPassed as error:
        return ("error", "too_large", str(error))
    except MemoryError:
        return ("error", "memory", "")
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
