"""Helper processes of the tests (servers started on a free loopback port): pick the port, stop
the process."""

from __future__ import annotations

import socket
import subprocess


def free_port() -> int:
    """A loopback port free now (for a program that cannot take an open socket)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen, timeout_s: float = 30) -> None:
    """SIGTERM, then SIGKILL if it has not exited within ``timeout_s``."""
    process.terminate()
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
