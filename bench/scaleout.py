"""Scale-out: stateless replicas of one immutable release behind a caching nginx.

A release never changes once published, so any number of ``maillage serve`` processes on the
same release answer every request identically (same bytes, same ETag) and share nothing: they
scale out behind an HTTP cache. :func:`start` starts ``replicas`` of them on free ports, each with
the proxy's address as ``MAILLAGE_PUBLIC_BASE`` (the links and the 303 ``Location`` they write
point at the proxy), then Debian's nginx (``bench/nginx.conf.j2``), unprivileged and in the
foreground with every path under a run directory; it stops them all on exit.

    with start(Path("var")) as cluster:      # cluster.url is the proxy
        httpx.get(cluster.url + "/id/org/digital-113.ttl").headers["x-cache-status"]

``python -m bench.scaleout --var var --port 8080`` runs it in the foreground; the benchmark and
``tests/e2e/test_scaleout.py`` call :func:`start`. ``docs/scale-out.md`` explains the set-up.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import jinja2

from maillage.settings import REPO_ROOT, Settings

NGINX = Path("/usr/sbin/nginx")
TEMPLATE = Path(__file__).with_name("nginx.conf.j2")
MAILLAGE = REPO_ROOT / ".venv" / "bin" / "maillage"
READY_TIMEOUT_S = 120.0
REPLICA_ENV = {"MAILLAGE_HTTP_WORKERS": "1"}
"""Each replica is one server process: the replicas, not uvicorn's workers, use the cores."""


@dataclass
class ScaleOut:
    url: str
    """The proxy, ``http://127.0.0.1:PORT`` (no trailing slash)."""
    replica_urls: list[str]
    replicas: list[subprocess.Popen]
    nginx: subprocess.Popen
    run_dir: Path
    """nginx.conf, the pid file, logs (error.log, access.log, replica-N.log), temp and cache."""
    var_dir: Path
    """The replicas' MAILLAGE_VAR_DIR: they serve ``var_dir/current``."""

    @property
    def pids(self) -> dict[str, int]:
        """``nginx`` and ``replica-0``, ``replica-1``…: the leader of each process group."""
        named = {f"replica-{i}": p.pid for i, p in enumerate(self.replicas)}
        return {"nginx": self.nginx.pid, **named}

    def stop_replica(self, index: int) -> None:
        """Stop one replica (its whole process group), as a crash or a rolling restart would."""
        stop(self.replicas[index])


class NginxMissing(RuntimeError):
    """Debian's nginx is not installed."""


def nginx_binary() -> Path:
    if not os.access(NGINX, os.X_OK):
        raise NginxMissing(
            f"{NGINX} not found: the scale-out needs Debian's nginx; `make tools` installs it "
            "(apt-get install nginx)"
        )
    return NGINX


def render_config(
    run_dir: Path,
    port: int,
    replica_ports: list[int],
    query_timeout_s: float = Settings.query_timeout_s,
    *,
    access_log: bool = False,
    workers: str = "auto",
) -> str:
    """The nginx configuration: listen on ``port``, proxy to the replicas, cache under
    ``run_dir``. The read timeout is the SPARQL deadline plus 15 s."""
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    template = environment.from_string(TEMPLATE.read_text(encoding="utf-8"))
    return template.render(
        run=run_dir,
        port=port,
        replicas=[f"127.0.0.1:{p}" for p in replica_ports],
        read_timeout_s=int(query_timeout_s) + 15,
        query_timeout_s=f"{query_timeout_s:g}",
        workers=workers,
        access_log=f"{run_dir}/access.log maillage" if access_log else "off",
        keys_zone_mb=32,
        max_size="4g",
    )


@contextlib.contextmanager
def start(
    release_var_dir: Path,
    port: int = 0,
    replicas: int = 2,
    settings_env: Mapping[str, str] | None = None,
    *,
    run_dir: Path | None = None,
    access_log: bool = False,
) -> Iterator[ScaleOut]:
    """``replicas`` servers on ``release_var_dir/current`` behind nginx on ``port`` (0: a free
    one). ``settings_env`` adds ``MAILLAGE_*`` variables for the replicas (e.g. a higher
    ``MAILLAGE_CLIENT_MAX_CONCURRENT`` for a load generator that is one client address)."""
    nginx = nginx_binary()
    var_dir = Path(release_var_dir).resolve()
    if not (var_dir / "current" / "manifest.json").is_file():
        raise FileNotFoundError(f"no release at {var_dir / 'current'}: run `make build` first")
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**REPLICA_ENV, **(settings_env or {})}
    with contextlib.ExitStack() as stack:
        run = _run_directory(stack, run_dir)
        ports, processes = _replicas(stack, replicas, var_dir, url + "/", env, run)
        timeout = Settings.from_env({**os.environ, **env}).query_timeout_s  # the replicas' own
        config = run / "nginx.conf"
        config.write_text(render_config(run, port, ports, timeout, access_log=access_log))
        proxy = _spawn(
            [str(nginx), "-c", str(config), "-p", str(run), "-g", "daemon off;"], {}, run
        )
        stack.callback(stop, proxy)
        _wait_until_ready(url + "/downloads/", proxy, run / "error.log")
        replica_urls = [f"http://127.0.0.1:{p}" for p in ports]
        yield ScaleOut(url, replica_urls, processes, proxy, run, var_dir)


def _run_directory(stack: contextlib.ExitStack, run_dir: Path | None) -> Path:
    """A directory nginx's workers can enter (when nginx starts as root its workers run as
    ``nobody``, so it is world-traversable, 0755), with an empty cache: entries left by an
    earlier run may be of another release."""
    if run_dir is None:
        run = Path(tempfile.mkdtemp(prefix="maillage-scaleout-"))
        stack.callback(shutil.rmtree, run, ignore_errors=True)
    else:
        run = Path(run_dir).resolve()
        run.mkdir(parents=True, exist_ok=True)
    run.chmod(0o755)
    shutil.rmtree(run / "cache", ignore_errors=True)
    for name in ("temp", "cache"):
        (run / name).mkdir(exist_ok=True)
    return run


def _replicas(
    stack: contextlib.ExitStack,
    count: int,
    var_dir: Path,
    public_base: str,
    env: Mapping[str, str],
    run: Path,
) -> tuple[list[int], list[subprocess.Popen]]:
    """Start every replica, then wait for each (their cold starts overlap); each is stopped when
    ``stack`` closes."""
    ports = [free_port() for _ in range(count)]
    processes = []
    for index, port in enumerate(ports):
        settings = {
            "MAILLAGE_VAR_DIR": str(var_dir),
            "MAILLAGE_HOST": "127.0.0.1",
            "MAILLAGE_PORT": str(port),
            "MAILLAGE_PUBLIC_BASE": public_base,
            **env,
        }
        process = _spawn([str(MAILLAGE), "serve"], settings, run, run / f"replica-{index}.log")
        stack.callback(stop, process)
        processes.append(process)
    for index, (port, process) in enumerate(zip(ports, processes, strict=True)):
        log = run / f"replica-{index}.log"
        _wait_until_ready(f"http://127.0.0.1:{port}/downloads/", process, log)
    return ports, processes


def _spawn(
    command: list[str], env: Mapping[str, str], cwd: Path, log: Path | None = None
) -> subprocess.Popen:
    """Its own process group (stopped as a whole), output to ``log`` (default: cwd/NAME.out)."""
    log = log or cwd / f"{Path(command[0]).name}.out"
    with log.open("wb") as output:
        return subprocess.Popen(
            command,
            env={**os.environ, **env},
            cwd=cwd,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _wait_until_ready(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            raise RuntimeError(f"{process.args[0]} exited ({process.returncode}):\n{tail}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within {READY_TIMEOUT_S} s; see {log}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the process group, SIGKILL after 15 s; waits for the leader."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    with contextlib.suppress(ProcessLookupError):  # workers left behind by a killed leader
        os.killpg(process.pid, signal.SIGKILL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.scaleout",
        description="Serve the live release as replicas behind a caching nginx, until Ctrl-C.",
    )
    parser.add_argument("--var", type=Path, default=Path("var"), help="holds current/ (var)")
    parser.add_argument("--port", type=int, default=8080, help="the proxy's port (8080)")
    parser.add_argument("--replicas", type=int, default=2, help="server processes (2)")
    parser.add_argument("--run-dir", type=Path, help="nginx's directory (default: a temporary)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)  # `kill PID` stops the replicas and nginx too
    with start(args.var, args.port, args.replicas, run_dir=args.run_dir, access_log=True) as out:
        print(f"nginx on {out.url}/ → replicas {', '.join(out.replica_urls)}", flush=True)
        print(f"configuration and logs in {out.run_dir}; Ctrl-C stops everything", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            out.nginx.wait()
    return 0


def _exit_on_sigterm(_signum: int, _frame: object) -> None:
    raise SystemExit(0)


if __name__ == "__main__":
    raise SystemExit(main())
