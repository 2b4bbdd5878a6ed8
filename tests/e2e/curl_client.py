"""Real ``curl`` for the end-to-end tests: run it, parse its ``--include`` output."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, list[str]]
    body: bytes

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return ", ".join(values) if values else None


def parse(raw: bytes) -> Reply:
    """curl -i output; after redirects (-L) the last response counts."""
    head, _, body = raw.partition(b"\r\n\r\n")
    while body.startswith(b"HTTP/"):
        head, _, body = body.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, list[str]] = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return Reply(int(status_line.split()[1]), headers, body)


def curl(url: str, *options: str) -> Reply:
    done = subprocess.run(
        ["curl", "--silent", "--show-error", "--include", *options, url],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return parse(done.stdout)


def hops(raw: bytes) -> list[tuple[int, str | None]]:
    """curl -i -L output: each response's status and Location, in order (curl writes the
    headers of every response and the body of the last one only)."""
    found = []
    rest = raw
    while rest.startswith(b"HTTP/"):
        head, _, rest = rest.partition(b"\r\n\r\n")
        reply = parse(head + b"\r\n\r\n")
        found.append((reply.status, reply.header("location")))
    return found
