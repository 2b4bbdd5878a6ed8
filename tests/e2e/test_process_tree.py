"""``maillage serve`` as it runs by default (two HTTP workers forked from one parent, two query
workers each), started for real on a port of its own: what processes it runs, and that every
one of them answers (docs/performance.md, « The process tree: cold start and memory »)."""

from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
import os
import re
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest
import uvicorn
from mini_release import ALPHA, BASE, write_release
from processes import stop

from maillage.settings import REPO_ROOT, Settings
from server import processes
from server.app import create_app

MAILLAGE = REPO_ROOT / ".venv" / "bin" / "maillage"
SERVING = re.compile(r"maillage: serving .* on (http://\S+)/")
STARTUP_S = 60.0
ASK = "/sparql?query=ASK%20%7B%7D"


@contextlib.contextmanager
def serving(var_dir: Path, log: Path, **environment: str) -> Iterator[tuple[str, psutil.Process]]:
    """``maillage serve --port 0`` on the release in ``var_dir``: (its address, its process)."""
    env = {**os.environ, "MAILLAGE_VAR_DIR": str(var_dir), "MAILLAGE_HOST": "127.0.0.1"}
    with log.open("wb") as errors:
        process = subprocess.Popen(
            [str(MAILLAGE), "serve", "--port", "0"],
            env={**env, **environment},
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    try:
        found = SERVING.match(process.stdout.readline())
        assert found, log.read_text()
        yield found.group(1), psutil.Process(process.pid)
    finally:
        stop(process)
        process.stdout.close()


def answered(url: str, accept: str = "text/turtle") -> httpx.Response:
    """The first answer of a server that is starting (connections refused until it listens)."""
    deadline = time.monotonic() + STARTUP_S
    while True:
        try:
            return httpx.get(url, headers={"Accept": accept}, timeout=STARTUP_S)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def answered_200(url: str, accept: str) -> httpx.Response:
    """The first 200 (the query workers of a starting server may not be up yet)."""
    deadline = time.monotonic() + STARTUP_S
    while (reply := answered(url, accept)).status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.05)
    return reply


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory) -> Path:
    var = tmp_path_factory.mktemp("var")
    write_release(var)
    return var


def running(process: psutil.Process) -> bool:
    """Not exited (a process that has exited stays a zombie until its parent reaps it)."""
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def command_of(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline())
    except psutil.Error:  # exited meanwhile
        return ""


def test_one_forkserver_serves_every_http_worker(var_dir, tmp_path):
    """The parent starts the forkserver and the resource tracker before it forks its HTTP
    workers, which share them: one of each in the tree, not one per HTTP worker, and every
    query worker is the shared forkserver's child."""
    alpha = f"/{ALPHA.removeprefix(BASE)}.ttl"
    with serving(var_dir, tmp_path / "serve.log") as (url, parent):
        assert answered(url + alpha).status_code == 200
        for _ in range(8):  # both HTTP workers, whichever takes the connection
            reply = answered_200(url + ASK, "application/sparql-results+json")
            assert reply.json() == {"head": {}, "boolean": True}, reply.text
        deadline = time.monotonic() + STARTUP_S
        while not (tree := Tree(parent)).settled() and time.monotonic() < deadline:
            time.sleep(0.1)  # each HTTP worker starts its two as it starts; the early ones go
        assert len(tree.forkservers) == 1, tree.commands
        assert len(tree.trackers) == 1, tree.commands
        assert len(tree.http_workers) == 2, tree.commands
        assert len(tree.query_workers) == 4, tree.commands


class Tree:
    """The processes of a running ``maillage serve``, by role."""

    def __init__(self, parent: psutil.Process) -> None:
        everyone = [p for p in [parent, *parent.children(recursive=True)] if running(p)]
        self.commands = [command_of(p) for p in everyone]
        forked = [p for p in everyone if "multiprocessing.forkserver" in command_of(p)]
        self.forkservers = [p for p in forked if p.ppid() == parent.pid]
        self.trackers = [p for p in everyone if "resource_tracker" in command_of(p)]
        self.http_workers = [
            p for p in parent.children() if p not in self.forkservers + self.trackers
        ]
        self.query_workers = [p for p in forked if p not in self.forkservers]

    def settled(self) -> bool:
        """Every query worker started, and the early answers gone (server/processes.py)."""
        return len(self.query_workers) == 4 and len(self.http_workers) == 2


def test_query_workers_that_cannot_start_give_503_with_why_and_when(var_dir, tmp_path):
    """A memory cap too small to open the store: the query workers cannot start. Each query is
    answered 503 with the sentence and ``Retry-After`` (the server keeps starting them), never
    500; descriptions are answered meanwhile."""
    log = tmp_path / "serve.log"
    with serving(var_dir, log, MAILLAGE_QUERY_WORKER_MEMORY_MIB="64") as (url, _parent):
        alpha = f"/{ALPHA.removeprefix(BASE)}.ttl"
        assert answered(url + alpha).status_code == 200
        for _ in range(4):  # both HTTP workers, whichever takes the connection
            reply = answered(url + ASK, "text/csv")
            assert reply.status_code == 503, reply.text
            assert reply.headers["retry-after"] == "5"
            assert "the query workers could not start" in reply.text
            assert "query_worker_memory_mib" in reply.text
            assert "tries again every 5 s" in reply.text
        assert answered(url + alpha).status_code == 200
    assert "SPARQL: a query worker could not open" in log.read_text()


def test_the_early_answers_relay_what_they_do_not_prepare_once_a_worker_is_ready(var_dir):
    """The early process alone on the socket answers a description at once, and a query once its
    own query worker is up; a request for anything else (the API description, a 404) waits, and
    once a worker serves the same socket and the early process is told so, it is relayed to the
    worker and answered as the worker answers it; the early process then exits by itself."""
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen()
    port = listening.getsockname()[1]
    settings = Settings(var_dir=var_dir, host="127.0.0.1", port=port, query_workers=1)
    url = f"http://127.0.0.1:{port}"
    workers_ready, ready = os.pipe()
    early_started, started = os.pipe()
    fork = multiprocessing.get_context("fork")
    options = {"host": "127.0.0.1", "port": port, "access_log": False}
    early = fork.Process(
        target=processes._answer_early,
        args=(settings, listening, options, workers_ready, started),
    )
    early.start()
    os.close(started)
    worker = fork.Process(target=_worker, args=(settings, listening))
    try:
        alpha = f"{url}/{ALPHA.removeprefix(BASE)}.ttl"
        assert answered(alpha).status_code == 200
        # it said it answers (what the parent waits for before importing the whole server)
        assert select.select([early_started], [], [], STARTUP_S)[0]
        assert os.read(early_started, 1) == b"1"
        cross_origin = httpx.get(alpha, headers={"Origin": "https://example.org"}, timeout=60)
        assert cross_origin.headers["access-control-allow-origin"] == "*"
        kept = httpx.Client(timeout=STARTUP_S)  # one client, as a portal keeps it
        asked = kept.get(url + ASK)
        assert asked.json() == {"head": {}, "boolean": True}
        assert asked.headers["connection"] == "close"  # not kept to a process about to exit
        with concurrent.futures.ThreadPoolExecutor() as pool:
            api = pool.submit(httpx.get, f"{url}/openapi.json", timeout=STARTUP_S)
            page = pool.submit(httpx.get, f"{url}/id/org/nobody.ttl", timeout=STARTUP_S)
            deadline = time.monotonic() + STARTUP_S
            while len(clients_of(early.pid, port)) < 2:  # both taken by the early process
                assert time.monotonic() < deadline and not api.done() and not page.done()
                time.sleep(0.01)
            worker.start()
            os.write(ready, b"1")
            assert "/sparql" in api.result().json()["paths"]
            assert page.result().status_code == 404
            assert page.result().text == httpx.get(f"{url}/id/org/nobody.ttl", timeout=60).text
        early.join(STARTUP_S)
        assert early.exitcode == 0
        assert kept.get(url + ASK).json() == {"head": {}, "boolean": True}  # from the worker
        kept.close()
    finally:
        for process in (early, worker):
            if process.is_alive():
                process.terminate()
                process.join()
        os.close(ready)
        os.close(early_started)
        listening.close()


def clients_of(pid: int, port: int) -> list:
    """The connections process ``pid`` has accepted on ``port``."""
    return [
        c
        for c in psutil.Process(pid).net_connections("tcp")
        if c.status == psutil.CONN_ESTABLISHED and c.laddr.port == port
    ]


def _worker(settings: Settings, listening: socket.socket) -> None:
    uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning")).run(
        sockets=[listening]
    )


BROKEN_APP = """
import sys
import server.app
from maillage.cli import main

def create_app(settings):
    raise RuntimeError("the pages' assets are missing (a broken install)")

server.app.create_app = create_app  # inherited by the HTTP workers, forked from this process
sys.exit(main(["serve", "--port", "0"]))
"""


def test_http_workers_that_cannot_build_the_app_stop_the_server_with_why(var_dir, tmp_path):
    """Every HTTP worker would fail alike: the server exits non-zero and says why, instead of
    replacing its workers forever (uvicorn's supervisor restarts a worker that dies otherwise)."""
    env = {**os.environ, "MAILLAGE_VAR_DIR": str(var_dir), "MAILLAGE_HOST": "127.0.0.1"}
    process = subprocess.Popen(
        [sys.executable, "-c", BROKEN_APP],
        env=env,
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _, err = process.communicate(timeout=STARTUP_S)
    except subprocess.TimeoutExpired:
        stop(process)
        pytest.fail("the server kept running with HTTP workers that cannot start")
    assert process.returncode == uvicorn.config.STARTUP_FAILURE, err
    assert "the HTTP worker cannot start" in err
    assert "the pages' assets are missing (a broken install)" in err
