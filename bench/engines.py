"""The servers the benchmark compares, each started on the same release, on a free loopback
port, in its own process group, and always stopped.

- ``maillage``: our server, ``maillage serve`` on the release (``MAILLAGE_VAR_DIR``).
- ``oxigraph``: the raw Rust server, ``oxigraph serve-read-only`` on the release's own store
  directory: the same data with the same default graph, no Python in front. Our limit.
- ``rdflib-endpoint``: the Python peer, run as shipped (its CLI), loading the release's N-Quads
  dump (``maillage-all.nq.gz``, unzipped) into rdflib at start. Its CLI makes the default graph
  the union of all graphs; ours is the default graph alone. The claim graphs only repeat
  default-graph statements, except those of deprecated claims, so the counts can differ only
  where a deprecated statement joins: the run compares every count and prints any difference.

Each engine says how to ask it a SPARQL query and how to dereference an IRI: for us the
description document (``/id/org/x.ttl``); for the others the ``CONSTRUCT`` that returns the same
statements (``queries/q14-description.rq``: the run checks the equivalence, see
``measure.description_equivalence``), and, as the raw engines' best case, the small resource
page of ``queries/q08-resource-page.rq``.

Cold start is measured twice from launch: to the first good dereference and to the first good
SPARQL answer (our server answers descriptions before its query workers are up).
"""

from __future__ import annotations

import contextlib
import gzip
import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx
import psutil

from maillage.settings import REPO_ROOT

BIN = REPO_ROOT / ".venv" / "bin"
SPARQL_PATHS = {"maillage": "/sparql", "oxigraph": "/query", "rdflib-endpoint": "/"}
QUERIES = Path(__file__).parent / "queries"
DESCRIPTION_QUERY = QUERIES / "q14-description.rq"
PAGE_QUERY = QUERIES / "q08-resource-page.rq"
READY_TIMEOUT_S = 600.0
"""rdflib-endpoint parses the whole dump before it answers: minutes at 1M triples."""
READY_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"


@dataclass
class Engine:
    name: str
    url: str
    process: subprocess.Popen
    cold_start_s: float = 0.0
    """Launch to the first good answer to both a dereference and a SPARQL query."""
    first_deref_s: float = 0.0
    base_iri: str = "https://w3id.org/maillage/"
    log: Path | None = None
    extra: dict = field(default_factory=dict)

    def sparql_path(self, query: str) -> str:
        return f"{SPARQL_PATHS[self.name]}?query={quote(query, safe='')}"

    def deref_path(self, iri: str, extension: str = ".ttl") -> str:
        """Our description document, or the CONSTRUCT that returns the same statements."""
        if self.name == "maillage":
            return "/" + iri.removeprefix(self.base_iri) + extension
        return self.sparql_path(resource_query(DESCRIPTION_QUERY, iri))

    def page_path(self, iri: str) -> str:
        """The small resource-page CONSTRUCT (q08): a raw engine's cheapest dereference."""
        return self.sparql_path(resource_query(PAGE_QUERY, iri))

    def rss_mib(self) -> float:
        """Resident memory of the whole process tree (the server, its workers), summed: a page
        shared copy-on-write by several processes (a forked worker's imported modules) is
        counted once in each of them."""
        return sum(memory.rss for memory in self._tree_memory(full=False)) / 2**20

    def pss_mib(self) -> float:
        """Proportional memory of the whole process tree, summed (Linux): a page shared by
        ``n`` processes counts ``1/n`` in each, so the sum is the memory the tree really holds,
        the honest « in all » figure. 0 where the system does not say."""
        return sum(getattr(memory, "pss", 0) for memory in self._tree_memory(full=True)) / 2**20

    def _tree_memory(self, full: bool) -> list:
        try:
            root = psutil.Process(self.process.pid)
            processes = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []
        figures = []
        for process in processes:
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                figures.append(process.memory_full_info() if full else process.memory_info())
        return figures


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def resource_query(path: Path, iri: str) -> str:
    return path.read_text(encoding="utf-8").replace("{{organisation}}", iri)


@contextlib.contextmanager
def started(
    name: str, release: Path, workdir: Path, env: dict[str, str], probe_iri: str
) -> Iterator[Engine]:
    """Start ``name`` on ``release`` (a release directory), wait until it dereferences
    ``probe_iri`` and answers a query, stop it (its whole process group) in any case."""
    port = free_port()
    command, extra_env = COMMANDS[name](release, workdir, port, env)
    log = workdir / f"{name}.log"
    begun = time.perf_counter()
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            env={**os.environ, **extra_env},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    engine = Engine(name, f"http://127.0.0.1:{port}", process, log=log)
    try:
        engine.first_deref_s = wait_until_ready(engine, engine.deref_path(probe_iri), begun)
        ask = engine.sparql_path("ASK { ?s ?p ?o }")
        engine.cold_start_s = max(engine.first_deref_s, wait_until_ready(engine, ask, begun))
        yield engine
    finally:
        stop(process)


@contextlib.contextmanager
def ours(release: Path, env: dict[str, str], probe_iri: str) -> Iterator[Engine]:
    """Our server on ``release``, its log in a scratch directory, stopped in any case (the
    fuzzing and soak stages)."""
    with (
        tempfile.TemporaryDirectory(prefix="bench-maillage-") as workdir,
        started("maillage", release, Path(workdir), env, probe_iri) as engine,
    ):
        yield engine


READY_POLL_S = 0.01
"""How often a starting engine is asked, from one client: ``httpx.get`` builds a client, and
its TLS context, at each call (33 ms of CPU here), which took more than half a core from the
engine it was timing (two cores, an engine whose start is CPU-bound in three processes)."""


def wait_until_ready(engine: Engine, path: str, begun: float) -> float:
    """Seconds from launch to the first 200 answer to ``path``."""
    url = engine.url + path
    with httpx.Client(headers={"Accept": READY_ACCEPT}, timeout=READY_TIMEOUT_S) as client:
        while time.perf_counter() - begun < READY_TIMEOUT_S:
            if engine.process.poll() is not None:
                raise RuntimeError(f"{engine.name} exited; see {engine.log}")
            with contextlib.suppress(httpx.HTTPError):
                if client.get(url).status_code == 200:
                    return time.perf_counter() - begun
            time.sleep(READY_POLL_S)
    raise RuntimeError(f"{engine.name} did not answer within {READY_TIMEOUT_S} s")


def stop(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _maillage(release: Path, _workdir: Path, port: int, env: dict[str, str]):
    var = release.parent.parent  # var/releases/<id>
    settings = {
        "MAILLAGE_VAR_DIR": str(var),
        "MAILLAGE_PORT": str(port),
        "MAILLAGE_HOST": "127.0.0.1",
        # The load generator is one client address: let it open as many queries as it has
        # connections, as the other engines do (the limit is per client, for the public).
        "MAILLAGE_CLIENT_MAX_CONCURRENT": "256",
        **env,
    }
    return [str(BIN / "maillage"), "serve"], settings


def _oxigraph(release: Path, _workdir: Path, port: int, _env: dict[str, str]):
    command = [str(BIN / "oxigraph"), "serve-read-only", "--location", str(release / "store")]
    return [*command, "--bind", f"127.0.0.1:{port}"], {}


def _rdflib_endpoint(release: Path, workdir: Path, port: int, _env: dict[str, str]):
    dump = workdir / "maillage-all.nq"
    if not dump.exists():
        dump.write_bytes(gzip.decompress((release / "maillage-all.nq.gz").read_bytes()))
    command = [str(BIN / "rdflib-endpoint"), "serve", str(dump)]
    return [*command, "--host", "127.0.0.1", "--port", str(port)], {}


COMMANDS = {"maillage": _maillage, "oxigraph": _oxigraph, "rdflib-endpoint": _rdflib_endpoint}
