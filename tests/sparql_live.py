"""A real server for the SPARQL tests: a tiny release written to a tmp ``var/`` and uvicorn on
``127.0.0.1:0`` in a background thread, serving ``create_app(Settings(var_dir=…))``.

The release holds, besides whatever a test adds: the W3C protocol suite's three data files, each
in a claim graph (``dataN.rdf`` under :data:`W3C_GRAPHS`, the suite's IRIs mapped into our
namespace), and :data:`ORG_COUNT` organisations with a label and a type in the default graph.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import uvicorn
from fastapi import FastAPI
from rdflib import Graph

from maillage.layout import DATASET, NETWORK, SEARCH_INDEX
from maillage.pipeline.network import network_file
from maillage.pipeline.release import MANIFEST, manifest
from maillage.pipeline.search_index import search_database
from maillage.settings import REPO_ROOT, Settings
from maillage.store import STORE_DIR, create_store
from server.app import create_app

PROTOCOL_SUITE = REPO_ROOT.parent / "shared" / "test-suites" / "sparql11-protocol"
"""The W3C suites sit beside the repository (``../shared/test-suites/``)."""
KASEI = "http://kasei.us/2009/09/sparql/data/"
W3C_GRAPHS = "https://w3id.org/maillage/id/claim/w3c-protocol/"
"""The suite's graphs ``<http://kasei.us/…/dataN.rdf>`` become ``<{W3C_GRAPHS}dataN.rdf>``."""
ORG = "https://w3id.org/maillage/id/org/"
CLAIM = "https://w3id.org/maillage/id/claim/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ORG_CLASS = "http://www.w3.org/ns/org#Organization"
ORG_COUNT = 500


def to_ours(text: str) -> str:
    """The suite's IRIs, raw or percent-encoded, mapped into our claim namespace."""
    for old, new in ((KASEI, W3C_GRAPHS), (quote(KASEI, safe=""), quote(W3C_GRAPHS, safe=""))):
        text = text.replace(old, new)
    return text


def protocol_quads() -> list[str]:
    quads = []
    for n in (1, 2, 3):
        triple = (PROTOCOL_SUITE / f"data{n}.nt").read_text().strip().removesuffix(".").strip()
        quads.append(f"{to_ours(triple)} <{W3C_GRAPHS}data{n}.rdf> .")
    return quads


def organisation_quads() -> list[str]:
    quads = []
    for i in range(ORG_COUNT):
        quads.append(f'<{ORG}o{i}> <{LABEL}> "Organisation {i}"@fr .')
        quads.append(f"<{ORG}o{i}> <{TYPE}> <{ORG_CLASS}> .")
    quads.append(f'<{ORG}o0> <{LABEL}> "claimed name" <{CLAIM}doc-a/c1> .')
    return quads


def write_release(var_dir: Path, nquads: str | None = None) -> Path:
    """A release like ``maillage build`` writes (dumps, VoID, manifest, store) holding
    ``nquads``, made current; returns ``var_dir``."""
    if nquads is None:
        nquads = "\n".join(protocol_quads() + organisation_quads()) + "\n"
    release = var_dir / "releases" / "test"
    (release / STORE_DIR).mkdir(parents=True)
    create_store(release / STORE_DIR, nquads.encode())
    files = release_files(nquads)
    for name, data in files.items():
        (release / name).write_bytes(data)
    (release / MANIFEST).write_bytes(manifest(files, "test"))
    (var_dir / "current").symlink_to(Path("releases") / "test")
    return var_dir


def release_files(nquads: str) -> dict[str, bytes]:
    store = ox.Store()
    store.load(nquads.encode(), format=ox.RdfFormat.N_QUADS)
    default = store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
    void = f"<{DATASET}> a <http://rdfs.org/ns/void#Dataset> .\n"
    return {
        "maillage-all.nq.gz": gzip.compress(nquads.encode(), mtime=0),
        "maillage.ttl": default,
        "void.ttl": void.encode(),
        "catalog.ttl": f"<{DATASET}> a <http://www.w3.org/ns/dcat#Dataset> .\n".encode(),
        "examples.json": b"[]\n",
        SEARCH_INDEX: search_database(Graph().parse(data=default, format="turtle")),
        NETWORK: network_file(Graph().parse(data=default, format="turtle")),
    }


@contextlib.contextmanager
def live_server(settings: Settings, app: FastAPI | None = None) -> Iterator[str]:
    """``app`` (by default ``create_app(settings)``) served by uvicorn on a free port; yields
    its base URL (no trailing slash)."""
    config = uvicorn.Config(
        app or create_app(settings),
        host="127.0.0.1",
        port=0,
        log_level="warning",
        lifespan="on",
        ws="none",
        http="h11",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    try:
        port = _port(server, thread)
        _wait_for_query_workers(server.config.app)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _wait_for_query_workers(app: FastAPI) -> None:
    """The server answers before its query workers are up (they start in the background):
    tests that count or kill them start once they are all there."""
    engine = app.state.sparql.engine
    wanted = app.state.settings.query_workers
    deadline = time.monotonic() + 60
    while hasattr(engine, "worker_pids") and len(engine.worker_pids()) < wanted:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server's query workers did not start")
        time.sleep(0.02)


def _port(server: uvicorn.Server, thread: threading.Thread) -> int:
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    return server.servers[0].sockets[0].getsockname()[1]


@contextlib.contextmanager
def silent_listener() -> Iterator[tuple[str, socket.socket]]:
    """A TCP listener on 127.0.0.1 that a test expects to receive no connection; yields its
    ``http://127.0.0.1:PORT/`` address and the socket (to check with :func:`connections`)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/", listener


def connections(listener: socket.socket, wait_s: float = 0.5) -> int:
    """How many connections arrived (waiting up to ``wait_s`` for a first one)."""
    count = 0
    listener.settimeout(wait_s)
    while True:
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            return count
        conn.close()
        count += 1
        listener.settimeout(0.05)
