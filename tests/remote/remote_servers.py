"""Private remote SPARQL stores for the remote-engine tests, loaded from a release's N-Quads dump:
``oxigraph serve-read-only`` (PyPI ``oxigraph``, in the venv) and Virtuoso 7 (Debian's
``virtuoso-opensource``), each on a free loopback port in a tmp directory, stopped by its pid.

A missing program is a failure, not a skip: ``make tools`` installs them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from processes import free_port, stop

from server.app import create_app

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"
DUMP = "maillage-all.nq.gz"
VIRTUOSO_DEFAULT_GRAPH = "urn:x-maillage:default"
"""The graph Virtuoso's bulk loader puts the dump's default-graph statements in."""
READY_S = 60.0
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {data}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMem = 500M

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 10
MaxQueryCostEstimationTime = 0
"""
"""``ResultSetMaxRows`` must be above ``result_max_rows`` (Debian's default, 10,000, equals ours:
Virtuoso would cut an over-cap result to exactly the cap and the cap would never be seen);
``MaxQueryExecutionTime`` 10 s, above our test deadline (3 s), so a runaway query stops on the
remote too; a Virtuoso timeout is a partial result with ``X-SQL-State``, which the adapter refuses."""


class RemoteUnavailable(RuntimeError):
    """A remote store could not be installed, started or loaded."""


def require(program: str, package: str) -> str:
    path = shutil.which(program) or (str(OXIGRAPH) if Path(program) == OXIGRAPH else None)
    if path is None or not Path(path).exists():
        raise RemoteUnavailable(
            f"{program} is not installed: the remote-store tests need it "
            f"(`{package}`; `make tools` installs it)"
        )
    return path


def wait_for(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + READY_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RemoteUnavailable(
                f"{url} exited ({process.returncode}): {log.read_text()[-2000:]}"
            )
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise RemoteUnavailable(f"{url} did not answer within {READY_S:g} s")


# ---- oxigraph --------------------------------------------------------------------------------


@contextlib.contextmanager
def oxigraph_server(release: Path, directory: Path) -> Iterator[str]:
    """``oxigraph load`` of the dump (default graph stays the default graph, claims stay named
    graphs), then ``serve-read-only`` on a free port; yields the query URL."""
    program = require(str(OXIGRAPH), "PyPI package oxigraph, in the venv")
    location = directory / "oxigraph"
    subprocess.run(
        [program, "load", "--location", str(location), "--file", str(release / DUMP)],
        check=True,
        capture_output=True,
    )
    port = free_port()
    log = directory / "oxigraph.log"
    command = [program, "serve-read-only", "--location", str(location), "--timeout-s", "10"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, "--bind", f"127.0.0.1:{port}"], stdout=output, stderr=output
        )
    try:
        url = f"http://127.0.0.1:{port}/query"
        wait_for(url, process, log)
        yield url
    finally:
        stop(process)


# ---- Virtuoso --------------------------------------------------------------------------------


@contextlib.contextmanager
def virtuoso_server(release: Path, directory: Path) -> Iterator[str]:
    """A private Virtuoso (own ini and database in ``directory``, loopback ports), the dump
    bulk-loaded (``ld_dir`` + ``rdf_loader_run``) with its default-graph statements in
    :data:`VIRTUOSO_DEFAULT_GRAPH`; yields the query URL."""
    program = require(VIRTUOSO, "Debian package virtuoso-opensource")
    require(ISQL, "Debian package virtuoso-opensource")
    db, data = directory / "virtuoso", directory / "virtuoso-data"
    db.mkdir()
    data.mkdir()
    shutil.copy(release / DUMP, data / DUMP)
    sql_port, http_port = free_port(), free_port()
    ini = db / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(db=db, data=data, sql_port=sql_port, http_port=http_port))
    log = db / "virtuoso.log"
    process = subprocess.Popen(
        [program, "+foreground", "+configfile", str(ini)],
        cwd=db,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{http_port}/sparql"
        wait_for(url, process, log)
        virtuoso_load(sql_port, data)
        yield url
    finally:
        stop(process)


def virtuoso_load(sql_port: int, data: Path) -> None:
    script = (
        f"ld_dir('{data}', '*.nq.gz', '{VIRTUOSO_DEFAULT_GRAPH}');\n"
        "rdf_loader_run();\n"
        "checkpoint;\n"
        "SELECT ll_file, ll_state, ll_error FROM DB.DBA.load_list;\n"
    )
    result = subprocess.run(
        [ISQL, f"127.0.0.1:{sql_port}", "dba", "dba"],
        input=script,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0 or "Error" in result.stdout or "NULL" not in result.stdout:
        raise RemoteUnavailable(f"the Virtuoso bulk load failed: {result.stdout}{result.stderr}")


TIMEOUT_S = 3.0
"""The query deadline of the servers under test."""


def client(settings, **changes):
    app = create_app(dataclasses.replace(settings, query_timeout_s=TIMEOUT_S, **changes))
    return TestClient(app, raise_server_exceptions=False)
