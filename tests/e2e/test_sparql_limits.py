"""The limits, proved on a live server: the deadline really stops a query (its worker process
is killed and replaced) while light queries keep answering, and so does the memory cap;
per-client concurrency gets 429 with Retry-After; results over the row or byte cap are an error,
never a cut 200."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest
from sparql_live import LABEL, ORG_CLASS, ORG_COUNT, TYPE, live_server, write_release

from maillage.layout import STORE_DIR
from maillage.settings import Settings
from server.app import create_app

DEADLINE_S = 2.0
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
"""A cartesian product over all ~1,000 triples: 10⁹ rows, hours of work."""
LIGHT = f"SELECT ?label WHERE {{ ?org <{LABEL}> ?label }} LIMIT 1"
JSON = "application/sparql-results+json"


def settings(tmp_path_factory, **limits) -> Settings:
    return Settings(var_dir=write_release(tmp_path_factory.mktemp("var")), **limits)


@pytest.fixture(scope="module")
def deadline_server(tmp_path_factory):
    app = create_app(settings(tmp_path_factory, query_timeout_s=DEADLINE_S))
    with live_server(app.state.settings, app) as base:
        yield base + "/sparql", app.state.sparql.engine


class Heavy(threading.Thread):
    """Sends the heavy query from another thread and keeps its answer and duration."""

    def __init__(self, endpoint: str, query: str = HEAVY) -> None:
        super().__init__(name="heavy-query")
        self.endpoint = endpoint
        self.query = query
        self.response: httpx.Response | None = None
        self.seconds = 0.0

    def run(self) -> None:
        started = time.monotonic()
        self.response = httpx.get(self.endpoint, params={"query": self.query}, timeout=90)
        self.seconds = time.monotonic() - started


def light_queries_while(heavy: Heavy, client: httpx.Client, endpoint: str) -> list[float]:
    durations = []
    while heavy.is_alive():
        started = time.monotonic()
        response = client.get(endpoint, params={"query": LIGHT})
        durations.append(time.monotonic() - started)
        assert response.status_code == 200, response.text
        time.sleep(0.1)
    return durations


def test_deadline_stops_a_heavy_query_while_light_ones_answer(deadline_server):
    endpoint, engine = deadline_server
    pids_before = set(engine.worker_pids())
    heavy = Heavy(endpoint)
    heavy.start()
    time.sleep(0.3)
    with httpx.Client(timeout=10) as client:
        durations = light_queries_while(heavy, client, endpoint)
        heavy.join()
        assert heavy.response.status_code == 503
        assert f"{DEADLINE_S:g} s deadline" in heavy.response.text
        assert DEADLINE_S <= heavy.seconds < DEADLINE_S + 1.5
        assert len(durations) >= 5 and max(durations) < 1.0
        assert client.get(endpoint, params={"query": LIGHT}).status_code == 200
    killed = pids_before - set(engine.worker_pids())
    assert len(killed) == 1
    gone = Path(f"/proc/{killed.pop()}")
    assert until(lambda: not gone.exists()), f"worker {gone.name} outlived its kill"
    assert until(lambda: len(engine.worker_pids()) == 2)


def until(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.fixture(scope="module")
def one_query_per_client(tmp_path_factory):
    limits = {"query_timeout_s": DEADLINE_S, "client_max_concurrent": 1}
    with live_server(settings(tmp_path_factory, **limits)) as base:
        yield base + "/sparql"


def test_a_client_over_its_concurrency_limit_gets_429(one_query_per_client):
    heavy = Heavy(one_query_per_client)
    heavy.start()
    time.sleep(0.3)
    refused = httpx.get(one_query_per_client, params={"query": LIGHT})
    heavy.join()
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "2"
    assert "retry in 2 s" in refused.text
    assert heavy.response.status_code == 503
    assert httpx.get(one_query_per_client, params={"query": LIGHT}).status_code == 200


@pytest.fixture(scope="module")
def capped(tmp_path_factory):
    limits = {"result_max_rows": 100, "result_max_bytes": 20_000}
    with live_server(settings(tmp_path_factory, **limits)) as base:
        yield base + "/sparql"


ORGS = f"SELECT ?org WHERE {{ ?org <{TYPE}> <{ORG_CLASS}> }}"
TRIPLES = f"CONSTRUCT {{ ?org <{TYPE}> <{ORG_CLASS}> }} WHERE {{ ?org <{TYPE}> <{ORG_CLASS}> }}"


@pytest.mark.parametrize("result_format", ["json", "xml", "csv", "tsv"])
def test_rows_up_to_the_cap_are_answered(capped, result_format):
    response = httpx.get(capped, params={"query": ORGS + " LIMIT 100", "format": result_format})
    assert response.status_code == 200
    assert response.text.count("https://w3id.org/maillage/id/org/o") == 100


@pytest.mark.parametrize("result_format", ["json", "xml", "csv", "tsv"])
def test_rows_over_the_cap_are_an_error(capped, result_format):
    response = httpx.get(capped, params={"query": ORGS + " LIMIT 101", "format": result_format})
    assert response.status_code == 422
    assert "more than 100 rows (result_max_rows)" in response.text


@pytest.mark.parametrize("result_format", ["turtle", "ntriples", "jsonld", "nquads"])
def test_triples_over_the_cap_are_an_error(capped, result_format):
    assert ORG_COUNT > 100
    response = httpx.get(capped, params={"query": TRIPLES, "format": result_format})
    assert response.status_code == 422
    assert "more than 100 triples" in response.text
    response = httpx.get(capped, params={"query": TRIPLES + " LIMIT 100", "format": result_format})
    assert response.status_code == 200


def test_bytes_over_the_cap_are_an_error(capped):
    long = "SELECT (CONCAT(STR(?org), STR(?org), STR(?org), STR(?org), STR(?org)) AS ?x) WHERE { ?org ?p ?o } LIMIT 100"
    response = httpx.get(capped, params={"query": long})
    assert response.status_code == 422
    assert "larger than 20000 bytes (result_max_bytes)" in response.text


MEMORY_MIB = 256
HUGE_SORT = (
    "SELECT ?a ?b ?c ?d ?e ?f WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f } "
    "ORDER BY ?a ?b ?c ?d ?e ?f LIMIT 1"
)
"""Sorting a cartesian product of all ~1,000 triples three times: 10⁹ rows held before the
first comes out, far more than a capped worker may allocate."""


@pytest.fixture(scope="module")
def memory_capped(tmp_path_factory):
    limits = {"query_worker_memory_mib": MEMORY_MIB, "query_timeout_s": 60.0}
    app = create_app(settings(tmp_path_factory, **limits))
    with live_server(app.state.settings, app) as base:
        yield base + "/sparql", app.state.sparql.engine


def test_a_query_over_the_memory_cap_is_stopped_while_others_answer(memory_capped):
    endpoint, engine = memory_capped
    pids_before = set(engine.worker_pids())
    heavy = Heavy(endpoint, HUGE_SORT)
    heavy.start()
    time.sleep(0.3)
    with httpx.Client(timeout=10) as client:
        light_queries_while(heavy, client, endpoint)
        heavy.join()
        assert heavy.response.status_code == 422, heavy.response.text
        assert f"more than the {MEMORY_MIB} MiB" in heavy.response.text
        assert "query_worker_memory_mib" in heavy.response.text
        assert heavy.seconds < 30  # the cap stopped it, not the 60 s deadline
        assert client.get(endpoint, params={"query": LIGHT}).status_code == 200
    assert len(pids_before - set(engine.worker_pids())) == 1
    assert until(lambda: len(engine.worker_pids()) == 2)


@pytest.fixture(scope="module")
def idle_server(tmp_path_factory):
    """Every query that came back from a worker is run in the HTTP worker when it is alone
    there (query_idle_ms), none otherwise (query_quick_ms 0); a 2 s deadline for the heavy one."""
    app = create_app(
        settings(
            tmp_path_factory, query_timeout_s=DEADLINE_S, query_quick_ms=0, query_idle_ms=10_000
        )
    )
    with live_server(app.state.settings, app) as base:
        yield base + "/sparql", app.state.sparql, app.state.release


def test_a_query_runs_in_the_http_worker_only_when_it_is_alone_there(idle_server, monkeypatch):
    """query_idle_ms: a query seen before runs in the HTTP worker when that worker serves one
    client's requests one after the other (``Endpoint.idle``); while another request is in
    progress there (here a heavy query that a worker runs to its deadline), the same query goes
    to a worker. Both ways answer it alike."""
    endpoint, sparql, _ = idle_server
    engine = sparql.engine
    calls = []
    run_quick = engine.run_quick

    def recording(*args, **kwargs):
        result = run_quick(*args, **kwargs)
        calls.append((kwargs.get("idle", args[4] if len(args) > 4 else False), result is not None))
        return result

    monkeypatch.setattr(engine, "run_quick", recording)
    with httpx.Client(timeout=30) as client:
        first = client.get(endpoint, params={"query": LIGHT})  # to a worker, remembered
        deadline = time.monotonic() + 30
        while not (calls and calls[-1] == (True, True)):  # until the store is open here
            assert time.monotonic() < deadline, calls
            alone = client.get(endpoint, params={"query": LIGHT})
            assert alone.content == first.content
        heavy = Heavy(endpoint)
        heavy.start()
        while sparql.engine_slots.borrowed_tokens < 1:  # the heavy query is in a worker
            time.sleep(0.01)
        calls.clear()
        beside = client.get(endpoint, params={"query": LIGHT})
        heavy.join()
    assert beside.status_code == 200 and beside.content == first.content
    assert calls == [(False, False)]  # not alone: answered by a worker
    assert heavy.response.status_code == 503


def open_here(path: Path) -> int:
    """How many of this process's file descriptors are open on ``path``."""
    return sum(1 for fd in Path("/proc/self/fd").iterdir() if fd.resolve() == path.resolve())


def test_the_queries_run_in_the_http_worker_share_its_store_handle(idle_server):
    """The queries an HTTP worker runs itself (query_quick_ms, query_idle_ms) use the store
    handle it opened for descriptions: a handle of their own would keep RocksDB caches that
    nothing drops (at 1M after the bench's runs, 624 MiB in all against 586 MiB, over the
    600 MiB bound). Each handle keeps each of the store's table files open, so once a query
    has run here (this process is the HTTP worker), each is open once."""
    endpoint, sparql, release = idle_server
    tables = sorted((release / STORE_DIR).glob("*.sst"))
    assert tables
    response = httpx.get(endpoint, params={"query": LIGHT}, headers={"Accept": JSON})
    assert response.status_code == 200
    assert until(lambda: sparql.engine.run_quick(LIGHT, JSON, idle=True) is not None)
    assert [open_here(table) for table in tables] == [1] * len(tables)
