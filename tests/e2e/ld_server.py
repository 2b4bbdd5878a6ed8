"""A real server (uvicorn, in its own process, on a free port) serving a small hand-made
release (``tests/mini_release.py``), for the dereferencing and downloads tests, or any release
already built (``serving``).

Not a conftest: ``tests/test_build.py`` imports ``conftest`` by name, and a second conftest
module would shadow the first."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mini_release import write_release
from processes import stop

from maillage.layout import CURRENT
from maillage.settings import REPO_ROOT

STARTUP_S = 90


@dataclass(frozen=True)
class LiveServer:
    url: str
    release: Path


def _wait_until_ready(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{log.read_text()}")
        probe = subprocess.run(
            ["curl", "--silent", "--output", "/dev/null", "--write-out", "%{http_code}", url],
            capture_output=True,
            check=False,
        )
        if probe.stdout == b"200":
            return
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer in {STARTUP_S} s:\n{log.read_text()}")


@contextlib.contextmanager
def running_server(var_dir: Path) -> Iterator[LiveServer]:
    """The small hand-made release, written into ``var_dir`` and served."""
    write_release(var_dir)
    with serving(var_dir) as server:
        yield server


@contextlib.contextmanager
def serving(var_dir: Path, log: Path | None = None) -> Iterator[LiveServer]:
    """The live release of ``var_dir`` (built beforehand), served; the server's errors go to
    ``log`` (``var_dir/server.log`` by default)."""
    release = (var_dir / CURRENT).resolve()
    log = log or var_dir / "server.log"
    script = Path(__file__).with_name("live_server.py")
    with log.open("wb") as errors:
        process = subprocess.Popen(
            [sys.executable, str(script), str(var_dir)],
            stdout=subprocess.PIPE,
            stderr=errors,
            cwd=REPO_ROOT,
        )
    try:
        port = int(process.stdout.readline())
        url = f"http://127.0.0.1:{port}/"
        _wait_until_ready(url + "downloads/", process, log)
        yield LiveServer(url, release)
    finally:
        stop(process)
        process.stdout.close()
