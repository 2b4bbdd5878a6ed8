"""The processes of ``maillage serve`` with ``http_workers`` HTTP workers (2 by default).

::

    maillage serve                 the parent: binds the socket, supervises (uvicorn)
    ├─ resource tracker            one for the whole tree (multiprocessing)
    ├─ forkserver                  one for the whole tree; forks every query worker
    │  └─ query worker × http_workers × query_workers   the store open read-only
    │     (+ one for the early answers while they last)
    ├─ early answers               while the HTTP workers start, then gone (server/starting.py)
    └─ HTTP worker × http_workers  forked from the parent once it has imported the server

In order, from launch: the parent imports only what answering a description document needs
(no FastAPI), binds the socket, starts the forkserver (``maillage.store.workers``), and forks
the process of early answers, which opens the release and answers descriptions on the socket at
once, and queries once its own query worker is up (``server/starting.py``: ``EarlyQueries``).
Once that process answers (a byte on a pipe: until then it has a core to itself), the parent
imports the whole server, once for every worker, and forks the HTTP workers, which
share those imported pages copy-on-write; each builds its app, opens the release and starts its
query workers from the shared forkserver. When the first HTTP worker is ready, the parent
tells the early process (a byte on a pipe): it stops listening, relays to the workers the
requests it was holding for them, and exits once they are answered. It also stops if the
parent dies first (``PR_SET_PDEATHSIG``).

Measured in docs/performance.md, « The process tree: cold start and memory ».
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import select
import signal
import socket
from multiprocessing.process import BaseProcess

import uvicorn
import uvicorn.lifespan.on  # this and the next two: what the early process's server loads,
import uvicorn.loops.auto  # imported before it is forked (no WebSocket protocol: ws="none")
import uvicorn.protocols.http.auto
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Multiprocess

from maillage.settings import Settings
from maillage.store.workers import start_forkserver
from server.starting import EarlyApp, NoRelease

APP = "server.app:app_from_environment"
"""What each HTTP worker builds (``uvicorn --factory``), its settings from ``MAILLAGE_*``."""
FIRST_WORKER_READY_S = 120.0
"""How long the early answers may wait for the first HTTP worker before they stop anyway."""
PR_SET_PDEATHSIG = 1
EARLY_START_WAIT_S = 2.0
"""How long the parent waits for the early answers to start before importing the whole server."""
EARLY_STOP_S = 30.0
"""How long the early process may take to finish what it answers once told to stop."""


def serve(settings: Settings, options: dict) -> int:
    """Serve with ``settings.http_workers`` HTTP workers (uvicorn ``options``) until stopped;
    the settings must also be in the environment (``Settings.export_to_environment``). The exit
    status: 0, or uvicorn's start-up failure when an HTTP worker could not build its app (the
    supervisor then stops the server: every worker would fail alike)."""
    config = uvicorn.Config(APP, factory=True, workers=settings.http_workers, **options)
    listening = config.bind_socket()
    start_forkserver(settings.query_worker_malloc)  # one for every worker's query workers
    workers_ready, ready = os.pipe()
    early_started, started = os.pipe()
    early = _fork(_answer_early, settings, listening, options, workers_ready, started)
    os.close(workers_ready)
    os.close(started)
    try:
        _await_early_answers(early_started)
        import server.app  # noqa: F401 - the whole server, imported once for every worker

        gc.freeze()  # what is imported stays shared: the workers' collections do not touch it
        _fork_http_workers()
        workers = Workers(config, [listening], early, ready)
        workers.run()
    finally:
        os.close(ready)
        _stop(early)
    failed = any(process.exitcode == STARTUP_FAILURE for process in workers.processes)
    return STARTUP_FAILURE if failed else 0


class Workers(Multiprocess):
    """uvicorn's supervisor of the HTTP workers, which also tells the early answers when the
    first worker is ready (a byte on ``ready``), and reaps them once they have stopped."""

    def __init__(
        self, config: uvicorn.Config, sockets: list, early: BaseProcess, ready: int
    ) -> None:
        super().__init__(config, sockets)
        self.early: BaseProcess | None = early
        self.ready = ready

    def init_processes(self) -> None:
        super().init_processes()
        self.processes[0].wait_until_ready(FIRST_WORKER_READY_S, self.should_exit)
        with contextlib.suppress(OSError):  # the early process is gone already
            os.write(self.ready, b"1")

    def keep_subprocess_alive(self) -> None:
        if self.early is not None and not self.early.is_alive():  # reaps it
            self.early = None
        super().keep_subprocess_alive()


def _await_early_answers(early_started: int) -> None:
    """Wait until the early process has started answering (a byte on ``early_started``, or its
    end when that process has exited), for ``EARLY_START_WAIT_S`` at most. Importing the whole
    server takes a core for half a second, and this machine has two: measured at 10M, ten
    starts each, alternately, the first description came at 0.42 s (median; 0.48 s at most)
    after this wait against 0.47 s (0.54 s) without it, the first SPARQL answer at 0.69 s
    against 0.76 s; the HTTP workers are ready that much later (docs/performance.md)."""
    try:
        select.select([early_started], [], [], EARLY_START_WAIT_S)
    finally:
        os.close(early_started)


def _answer_early(
    settings: Settings,
    listening: socket.socket,
    options: dict,
    workers_ready: int,
    started: int,
) -> None:
    """The early process: :class:`server.starting.EarlyApp` on the socket until the workers are
    ready (``workers_ready`` becomes readable), or the parent is gone; once it answers, it says
    so on ``started`` (which it closes when it exits in any case)."""
    _stop_with_parent()
    try:
        app = EarlyApp(settings, workers_ready, on_started=lambda: _say(started))
    except NoRelease:
        return  # the HTTP workers say so
    config = uvicorn.Config(app, lifespan="on", **{**options, "log_level": "warning"})
    app.server = uvicorn.Server(config)
    app.server.run(sockets=[listening])


def _say(fd: int) -> None:
    with contextlib.suppress(OSError):  # the parent has stopped waiting
        os.write(fd, b"1")
    os.close(fd)


def _stop_with_parent() -> None:
    """SIGTERM this process when its parent dies (Linux ``prctl(PR_SET_PDEATHSIG)``), so that
    early answers never outlive a server stopped before its workers were ready."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _fork(target, *args) -> BaseProcess:
    process = multiprocessing.get_context("fork").Process(
        target=target, args=args, name="maillage-early"
    )
    process.start()
    return process


def _stop(process: BaseProcess) -> None:
    if process.is_alive():
        process.terminate()
    process.join(EARLY_STOP_S)
    if process.is_alive():
        process.kill()
        process.join()


def _fork_http_workers() -> None:
    """Have uvicorn fork its HTTP worker processes from this one, which has imported the whole
    server, instead of spawning fresh interpreters that each import it again: about half a
    second of CPU per worker. uvicorn takes its process context from
    ``uvicorn._subprocess.spawn``; uvicorn is pinned (pyproject.toml)."""
    from uvicorn import _subprocess

    _subprocess.spawn = multiprocessing.get_context("fork")
