"""The query engine on its own (``maillage.store.QueryRunner``): worker processes that open the
store read-only, are killed at the deadline or when they die, and are replaced."""

from __future__ import annotations

import asyncio
import ctypes.util
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from sparql_live import connections, silent_listener, write_release

from maillage.formats import RESULT_SYNTAXES
from maillage.store import (
    DEFAULT_GRAPH,
    STORE_DIR,
    EngineFailure,
    EngineUnavailable,
    Limits,
    QueryError,
    QueryRunner,
    QueryTimeout,
    ResultTooLarge,
)
from maillage.store.results import LEAST_ROW_BYTES, CapPassed, RowCounter, serialise
from maillage.store.workers import QUERY_WORKER_NICENESS

JSON = "application/sparql-results+json"
BASE = "https://w3id.org/maillage/sparql"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    return write_release(tmp_path_factory.mktemp("var")) / "current" / STORE_DIR


@pytest.fixture
def runner(store_dir):
    engine = QueryRunner(
        store_dir, Limits(1.0, 1000, 1_000_000), 2, "https://w3id.org/maillage/sparql"
    )
    engine.start()
    yield engine
    engine.close()


def wait_for(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.05)


def is_dead(pid: int) -> bool:
    """Whether the kernel has finished killing ``pid`` (gone, or a zombie not yet reaped)."""
    try:
        return state(pid) in ("Z", "X")
    except FileNotFoundError:
        return True


def state(pid: int) -> str:
    """``pid``'s state letter in ``/proc``: S asleep, R running, Z a zombie…"""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def test_a_query_runs_in_a_worker(runner):
    result = runner.run("ASK { ?s ?p ?o }", JSON)
    assert result.media_type == JSON
    assert result.body == b'{"head":{},"boolean":true}'


def woken(runner) -> dict[int, int]:
    """How many times each worker's main thread, where it waits for its queries, was woken,
    read once every worker waits (asleep: a worker just started may not yet be)."""
    wait_for(lambda: all(state(pid) == "S" for pid in runner.worker_pids()))
    return {
        pid: int(
            Path(f"/proc/{pid}/status").read_text().split("voluntary_ctxt_switches:")[1].split()[0]
        )
        for pid in runner.worker_pids()
    }


@pytest.mark.parametrize("mode", ["thread", "event loop"])
def test_queries_one_after_the_other_go_to_the_worker_that_answered_last(runner, mode):
    """The idle workers are a stack: a query goes to the worker that answered last, whose
    caches (RocksDB's blocks, the processor's) hold what the previous query read. One client's
    queries then all run in one worker, as they would in one engine's thread."""
    run = runner.run if mode == "thread" else lambda *a: asyncio.run(runner.run_async(*a))
    run("ASK { ?s ?p ?o }", JSON)
    before = woken(runner)
    for _ in range(6):
        assert b"true" in run("ASK { ?s ?p ?o }", JSON).body
    grown = sorted(count - before[pid] for pid, count in woken(runner).items())
    assert grown[0] == 0 and grown[1] > 0, grown  # 6 or fewer: a task can beat the wait


def test_the_default_graph_can_be_named_in_the_protocol_dataset(runner):
    result = runner.run(
        "ASK { ?s ?p ?o }", JSON, default_graph_uris=[DEFAULT_GRAPH], named_graph_uris=[]
    )
    assert b"true" in result.body
    result = runner.run("ASK { GRAPH ?g { ?s ?p ?o } }", JSON, [DEFAULT_GRAPH], [])
    assert b"false" in result.body


def test_the_deadline_kills_the_worker_and_a_replacement_starts(runner):
    before = set(runner.worker_pids())
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="1 s deadline"):
        runner.run(HEAVY, JSON)
    assert 1.0 <= time.monotonic() - started < 3.0  # answered at the deadline, not at the end
    wait_for(lambda: len(runner.worker_pids()) == 2)
    assert len(before & set(runner.worker_pids())) == 1
    assert b"true" in runner.run("ASK {}", JSON).body


def test_a_worker_that_dies_during_a_query_is_an_engine_failure(runner):
    errors = []

    def heavy() -> None:
        try:
            runner.run(HEAVY, JSON)
        except EngineFailure as error:
            errors.append(error)

    pids = set(runner.worker_pids())
    thread = threading.Thread(target=heavy)
    thread.start()
    time.sleep(0.3)
    for pid in pids:  # one is running the query, the other idles: both die
        os.kill(pid, signal.SIGKILL)
    thread.join()
    assert errors and "stopped unexpectedly" in str(errors[0])
    wait_for(lambda: all(is_dead(pid) for pid in pids))  # SIGKILL is delivered asynchronously
    assert b"true" in runner.run("ASK {}", JSON).body  # the idle one is found dead and replaced
    wait_for(lambda: len(runner.worker_pids()) == 2 and not pids & set(runner.worker_pids()))


def forkserver_pid() -> int:
    """The forkserver that forks (and reaps) the query workers."""
    from multiprocessing import forkserver

    return forkserver._forkserver._forkserver_pid


def test_a_worker_found_dead_when_handed_a_query_is_replaced_and_the_query_runs(runner):
    """Regression (issue 7): a worker killed while idle stays a zombie until the forkserver reaps
    it, and ``is_alive()`` says True until then; the query handed to it met a broken pipe and
    failed with ``EngineFailure``. Freezing the forkserver holds that window open."""
    before = woken(runner)
    assert b"true" in runner.run("ASK {}", JSON).body
    (idle,) = (pid for pid, count in woken(runner).items() if count > before[pid])  # next taken
    os.kill(forkserver_pid(), signal.SIGSTOP)
    try:
        os.kill(idle, signal.SIGKILL)
        wait_for(lambda: is_dead(idle))
        for _ in range(2):  # the first is handed to the dead worker, and runs in another
            assert b"true" in runner.run("ASK {}", JSON).body
    finally:
        os.kill(forkserver_pid(), signal.SIGCONT)
    wait_for(lambda: len(runner.worker_pids()) == 2 and idle not in runner.worker_pids())


def test_caps_are_errors(store_dir):
    engine = QueryRunner(store_dir, Limits(5.0, 3, 300), 1, "https://w3id.org/maillage/sparql")
    try:
        with pytest.raises(ResultTooLarge, match="more than 3 rows"):
            engine.run("SELECT ?s WHERE { ?s ?p ?o } LIMIT 4", JSON)
        with pytest.raises(ResultTooLarge, match="larger than 300 bytes"):
            engine.run("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 3", JSON)
        assert engine.run("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3", "text/csv").body.count(b"\n") == 4
    finally:
        engine.close()


def test_a_missing_store_stops_start_up_with_a_sentence(tmp_path):
    engine = QueryRunner(
        tmp_path / "nothing", Limits(1.0, 10, 1000), 1, "https://w3id.org/maillage/sparql"
    )
    with pytest.raises(EngineFailure, match="could not open"):
        engine.start()
    started = time.monotonic()  # the server starts it in the background: queries get the sentence
    with pytest.raises(EngineFailure, match="could not open"):
        engine.run("ASK {}", JSON)
    with pytest.raises(EngineFailure, match="could not open"):
        asyncio.run(engine.run_async("ASK {}", JSON))
    assert time.monotonic() - started < 1.0  # at once, not after waiting for a worker
    engine.close()


def test_workers_that_could_not_start_are_started_again(store_dir, tmp_path):
    """Queries are told at once that SPARQL is unavailable and when to retry (the 503 of the
    endpoint), while the workers are started again in the background; once the store can be
    opened, the next query answers."""
    missing = tmp_path / "store"
    engine = QueryRunner(
        missing, Limits(5.0, 10, 1000), 2, "https://w3id.org/maillage/sparql", restart_every_s=0.2
    )
    try:
        with pytest.raises(EngineFailure, match="could not open"):
            engine.start()
        with pytest.raises(EngineUnavailable, match=r"could not start .* tries again") as told:
            engine.run("ASK {}", JSON)
        assert told.value.retry_after_s == 1
        with pytest.raises(EngineUnavailable):
            asyncio.run(engine.run_async("ASK {}", JSON))
        shutil.copytree(store_dir, missing)  # repaired, as an operator would
        wait_for(lambda: len(engine.worker_pids()) == 2)
        assert engine.run("ASK {}", JSON).body == b'{"head":{},"boolean":true}'
        assert asyncio.run(engine.run_async("ASK {}", JSON)).body == b'{"head":{},"boolean":true}'
    finally:
        engine.close()


def test_close_stops_every_worker(store_dir):
    engine = QueryRunner(store_dir, Limits(1.0, 10, 1000), 2, "https://w3id.org/maillage/sparql")
    engine.start()
    pids = engine.worker_pids()
    engine.close()
    assert engine.worker_pids() == []
    wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in pids))


def test_a_closed_engine_starts_again_and_answers(store_dir):
    """An application's lifespan may run more than once on the same app (a test client opened
    twice): the engine it closed must start its workers again, not hand out stopped ones."""
    engine = QueryRunner(store_dir, Limits(5.0, 10, 1000), 2, "https://w3id.org/maillage/sparql")
    engine.start()
    first = set(engine.worker_pids())
    engine.close()
    engine.start()
    try:
        for _ in range(3):  # more queries than workers: every idle one is a live one
            assert engine.run("ASK {}", JSON).body
        assert len(engine.worker_pids()) == 2
        assert not first & set(engine.worker_pids())
    finally:
        engine.close()
    assert engine.worker_pids() == []


def test_the_workers_run_queries_with_rocksdb_counters_off(runner):
    """Each worker turns RocksDB's per-thread counters off before its first query (about 8 %
    of a heavy query's time, docs/performance.md)."""
    assert runner.engine_counters_off
    assert runner.run("ASK { ?s ?p ?o }", JSON).body


def test_a_service_that_reached_a_worker_could_not_leave_it(runner):
    """Defence in depth, below the policy: the workers have no network at all."""
    if not runner.offline:
        pytest.skip("this system does not allow unprivileged user and network namespaces")
    with silent_listener() as (url, sock):
        with pytest.raises(QueryError):
            runner.run(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", JSON)
        assert connections(sock) == 0


HOSTILE = [
    "plain",
    'x},{"y\\" <result> a,b\r\nc\nd\ttab',
    '[{"},{"}]',
    "\\",
    '\\"',
    "\\\\",
    'a"b""c',
    "é ü 中文 \U0001f600",
    "",
    "},{",
    "[{",
    "<result></result>",
]
"""Literals that look like the marks the counter looks for, or hide quotes and backslashes."""


@pytest.mark.parametrize(
    "result_format",
    [
        ox.QueryResultsFormat.JSON,
        ox.QueryResultsFormat.XML,
        ox.QueryResultsFormat.CSV,
        ox.QueryResultsFormat.TSV,
    ],
)
def test_rows_are_counted_in_the_written_bytes_whatever_the_chunks(result_format):
    """The row cap is counted on the way, in the bytes Oxigraph writes: the count must equal
    the number of solutions for literals that mimic the layout, split anywhere."""
    store = ox.Store()
    subject = ox.NamedNode("https://w3id.org/maillage/id/org/x")
    for i, text in enumerate(HOSTILE):
        store.add(ox.Quad(subject, ox.NamedNode(f"https://e/p{i}"), ox.Literal(text)))
    store.add(
        ox.Quad(ox.BlankNode("b"), ox.NamedNode("https://e/q"), ox.Literal("x", language="fr"))
    )
    queries = [
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o }",
        "SELECT ?o ?unbound WHERE { ?s ?p ?o }",
        "SELECT * WHERE { VALUES ?x { UNDEF UNDEF UNDEF } }",
        "SELECT * WHERE { }",
        "SELECT ?x WHERE { FILTER(false) }",
    ]
    rng = random.Random(7)
    for query in queries:
        written = store.query(query).serialize(format=result_format)
        expected = len(list(store.query(query)))
        for _ in range(60):
            counter = RowCounter(result_format)
            cuts = sorted(
                rng.sample(range(len(written) + 1), min(len(written), rng.randint(0, 12)))
            )
            for start, end in zip([0, *cuts], [*cuts, len(written)], strict=True):
                counter.feed(written[start:end])
            assert counter.rows == expected, (query, written, cuts)


@pytest.mark.parametrize("result_format", list(LEAST_ROW_BYTES))
@pytest.mark.parametrize("variables", ["", "?x"])
def test_the_row_cap_holds_at_its_boundary_for_the_smallest_rows(result_format, variables):
    """Rows that bind nothing are the smallest a writer makes: a result short enough to go
    uncounted (``LEAST_ROW_BYTES``) still cannot hold one row too many. At the cap the result
    is written whole; one row over, it is refused. With a cap of 50 the test is near tight: JSON
    at 4 bytes a row, or XML at 20, would let the row over the cap through uncounted."""
    cap = 50
    limits = Limits(10.0, cap, 1_000_000)
    media_type = next(f.media_type for f in RESULT_SYNTAXES if f.results_format == result_format)
    store = ox.Store()

    def results(rows: int):
        values = " ".join(["UNDEF" if variables else "()"] * rows)
        return store.query(
            f"SELECT {variables or '*'} WHERE {{ VALUES {variables or '()'} {{ {values} }} }}"
        )

    at_cap = serialise(results(cap), media_type, limits, {})
    assert at_cap == results(cap).serialize(format=result_format)
    with pytest.raises(CapPassed, match=f"more than {cap} rows"):
        serialise(results(cap + 1), media_type, limits, {})


def test_a_long_query_goes_on_at_a_lower_priority(store_dir):
    """Light queries run at the server's priority; one still running after
    LOWER_PRIORITY_AFTER_S goes on at QUERY_WORKER_NICENESS, so it takes what is left."""
    engine = QueryRunner(
        store_dir, Limits(3.0, 1000, 1_000_000), 1, "https://w3id.org/maillage/sparql"
    )
    engine.start()
    (pid,) = engine.worker_pids()
    niceness = []

    async def run() -> None:
        assert b"true" in (await engine.run_async("ASK {}", JSON)).body
        niceness.append(os.getpriority(os.PRIO_PROCESS, pid))
        heavy = asyncio.ensure_future(engine.run_async(HEAVY, JSON))
        while os.getpriority(os.PRIO_PROCESS, pid) != QUERY_WORKER_NICENESS and not heavy.done():
            await asyncio.sleep(0.05)
        niceness.append(os.getpriority(os.PRIO_PROCESS, pid))
        with pytest.raises(QueryTimeout):
            await heavy

    try:
        asyncio.run(run())
    finally:
        engine.close()
    assert niceness == [os.getpriority(os.PRIO_PROCESS, 0), QUERY_WORKER_NICENESS]


def test_a_reply_of_many_pipefuls_reads_on_the_loop_as_in_a_thread(store_dir):
    """The event loop reads a reply as it arrives (``_ReplyReader``): a result far larger than
    a pipe holds (64 KiB) comes back whole, byte for byte what the blocking read gets, and a
    worker's error comes back as its error."""
    engine = QueryRunner(
        store_dir, Limits(10.0, 1_000_000, 50_000_000), 1, "https://w3id.org/maillage/sparql"
    )
    big = "SELECT ?s ?p ?o ?x WHERE { ?s ?p ?o . ?x ?y ?z } LIMIT 20000"
    try:
        blocking = engine.run(big, "text/tab-separated-values").body

        async def run() -> tuple[bytes, Exception | None]:
            body = (await engine.run_async(big, "text/tab-separated-values")).body
            try:
                await engine.run_async("SELECT ?s WHERE { ?s ?p ?o } LIMIT 2000001", "bad/type")
            except QueryError as error:
                return body, error
            return body, None

        on_the_loop, error = asyncio.run(run())
    finally:
        engine.close()
    assert len(blocking) > 4 * 65_536
    assert on_the_loop == blocking
    assert "cannot be written as bad/type" in str(error)


MALLOC_CHECK = """
import sys
from pathlib import Path
from maillage.store import Limits, QueryOverMemory, QueryRunner
if __name__ == "__main__":
    engine = QueryRunner(Path(sys.argv[1]), Limits(20.0, 10, 1000, 256), 1, "http://x/", malloc=sys.argv[2])
    engine.start()
    try:
        assert b"true" in engine.run("ASK {}", "application/sparql-results+json").body
        (pid,) = engine.worker_pids()
        print("mimalloc" if "libmimalloc" in Path(f"/proc/{pid}/maps").read_text() else "glibc")
        try:
            engine.run("SELECT ?a ?b ?c ?d ?e ?f WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f } "
                       "ORDER BY ?a ?b ?c ?d ?e ?f LIMIT 1", "text/csv")
        except QueryOverMemory:
            print("stopped at the cap")
    finally:
        engine.close()
"""


@pytest.mark.skipif(
    ctypes.util.find_library("mimalloc") is None, reason="libmimalloc not installed (make tools)"
)
@pytest.mark.parametrize(("malloc", "used"), [("mimalloc", "mimalloc"), ("", "glibc")])
def test_the_workers_use_the_malloc_asked_for_and_stay_capped(store_dir, tmp_path, malloc, used):
    """query_worker_malloc is preloaded into the workers' forkserver (a fresh interpreter here,
    so that it launches its own), and a query past the memory cap is stopped with either."""
    script = tmp_path / "check.py"
    script.write_text(MALLOC_CHECK)
    run = subprocess.run(
        [sys.executable, str(script), str(store_dir), malloc],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split("\n")[:2] == [used, "stopped at the cap"]


def quick_runner(store_dir, quick_s: float) -> QueryRunner:
    engine = QueryRunner(
        store_dir, Limits(5.0, 3, 10_000), 1, "https://w3id.org/maillage/sparql", quick_s=quick_s
    )
    engine.start()
    return engine


def test_a_query_that_came_back_quickly_is_run_again_in_this_process(store_dir):
    """query_quick_ms: once a query came back from a worker within quick_s, the same query
    (text, dataset, format) is answered by run_quick in the calling process, with the same
    bytes and under the same caps; another format, another dataset or another text is not."""
    engine = quick_runner(store_dir, quick_s=5.0)  # every query here is quick
    select = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 2"
    try:
        assert engine.run_quick(select, JSON) is None  # never seen: it goes to a worker
        from_worker = asyncio.run(engine.run_async(select, JSON)).body
        wait_for(lambda: engine.run_quick(select, JSON) is not None)  # the store opens here
        assert engine.run_quick(select, JSON).body == from_worker
        assert engine.run_quick(select, "text/csv") is None
        assert engine.run_quick(select, JSON, [DEFAULT_GRAPH], []) is None
        assert engine.run_quick(select.replace("2", "3"), JSON) is None
        over_cap = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 4"
        with pytest.raises(ResultTooLarge):
            asyncio.run(engine.run_async(over_cap, JSON))
        assert engine.run_quick(over_cap, JSON) is None  # errors are not remembered
    finally:
        engine.close()


def test_a_longer_query_is_run_here_only_when_the_caller_is_idle(store_dir):
    """query_idle_ms: a query that came back within idle_s but not within quick_s is answered
    in the calling process only when the caller says it is idle, with the worker's bytes."""
    engine = QueryRunner(
        store_dir,
        Limits(5.0, 3, 10_000),
        1,
        "https://w3id.org/maillage/sparql",
        quick_s=1e-9,  # no round trip is that quick
        idle_s=5.0,
    )
    engine.start()
    select = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 2"
    try:
        from_worker = asyncio.run(engine.run_async(select, JSON)).body
        wait_for(lambda: engine.run_quick(select, JSON, idle=True) is not None)
        assert engine.run_quick(select, JSON, idle=True).body == from_worker
        assert engine.run_quick(select, JSON) is None  # not idle: it goes to a worker
    finally:
        engine.close()


def test_slow_queries_and_any_service_always_go_to_a_worker(store_dir):
    engine = quick_runner(store_dir, quick_s=1e-9)  # no round trip is that quick
    try:
        asyncio.run(engine.run_async("ASK {}", JSON))
        assert engine.run_quick("ASK {}", JSON) is None
    finally:
        engine.close()
    engine = quick_runner(store_dir, quick_s=5.0)
    service = 'SELECT ?s WHERE { ?s ?p "SERVICE" } LIMIT 1'  # harmless, but says SERVICE
    try:
        asyncio.run(engine.run_async(service, JSON))
        asyncio.run(engine.run_async("ASK {}", JSON))
        wait_for(lambda: engine.run_quick("ASK {}", JSON) is not None)
        assert engine.run_quick(service, JSON) is None
    finally:
        engine.close()


@pytest.mark.parametrize(
    "media_type", [JSON, "application/sparql-results+xml", "text/csv", "text/tab-separated-values"]
)
def test_the_row_cap_is_exact_when_counting_starts_late(store_dir, media_type):
    """Rows are counted only once the document outgrows the bytes that cannot hold more than
    the cap (a short result is never scanned); past that point the count is still exact."""
    engine = QueryRunner(
        store_dir, Limits(5.0, 50, 1_000_000), 1, "https://w3id.org/maillage/sparql"
    )

    def values(n: int) -> str:
        return "SELECT ?x WHERE { VALUES ?x { " + " ".join(str(i) for i in range(n)) + " } }"

    try:
        assert engine.run(values(50), media_type).body
        with pytest.raises(ResultTooLarge, match="more than 50 rows"):
            engine.run(values(51), media_type)
    finally:
        engine.close()


def test_a_worker_grown_past_recycle_mib_is_replaced_after_its_query(store_dir):
    """``query_worker_recycle_mib``: a worker resident above it once its query is answered is
    replaced (the answer is not delayed), on the thread path and on the event loop's."""
    engine = QueryRunner(store_dir, Limits(5.0, 10, 1000), 1, BASE, recycle_mib=1)  # any worker
    engine.start()
    try:
        for run in (engine.run, lambda *a: asyncio.run(engine.run_async(*a))):
            before = engine.worker_pids()
            assert b"true" in run("ASK { ?s ?p ?o }", JSON).body
            wait_for(lambda b=before: len(engine.worker_pids()) == 1 and engine.worker_pids() != b)
        assert b"true" in engine.run("ASK {}", JSON).body  # the fresh worker answers
    finally:
        engine.close()


def test_a_worker_below_recycle_mib_is_kept(store_dir):
    engine = QueryRunner(store_dir, Limits(5.0, 10, 1000), 1, BASE, recycle_mib=100_000)
    engine.start()
    try:
        before = engine.worker_pids()
        for _ in range(3):
            assert b"true" in engine.run("ASK { ?s ?p ?o }", JSON).body
            assert b"true" in asyncio.run(engine.run_async("ASK {}", JSON)).body
        assert engine.worker_pids() == before
    finally:
        engine.close()
