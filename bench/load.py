"""Throughput with ``wrk`` (Debian's package): one thread, N connections, rotating over a list
of request paths with an Accept header. A run with errors is reported with its error count;
the harness never reports it as a speed."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

LUA = """
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i], {["Accept"] = "%(accept)s"})
end
"""


@dataclass(frozen=True)
class Throughput:
    clients: int
    requests: int
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def clean(self) -> bool:
        return self.errors == 0 and self.requests > 0


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise RuntimeError("wrk is not installed: run `make tools` (Debian package wrk)")
    return found


def throughput(
    base_url: str, paths: list[str], accept: str, clients: int, seconds: float, workdir: Path
) -> Throughput:
    """``clients`` connections for ``seconds`` against ``paths`` in turn."""
    listing = workdir / f"paths-{abs(hash((base_url, accept, len(paths))))}.txt"
    listing.write_text("\n".join(paths) + "\n")
    script = workdir / "rotate.lua"
    script.write_text(LUA % {"paths": listing, "accept": accept})
    command = [wrk_path(), "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--latency"]
    output = subprocess.run(
        [*command, "-s", str(script), "--timeout", "60s", base_url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return parse(output, clients)


def parse(output: str, clients: int) -> Throughput:
    requests = int(_match(r"(\d+) requests in", output))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    if not requests:  # wrk prints no latency distribution then
        return Throughput(clients, 0, 0.0, 0.0, 0.0, errors)
    return Throughput(
        clients,
        requests,
        float(_match(r"Requests/sec:\s+([\d.]+)", output)),
        _milliseconds(_match(r"50%\s+([\d.]+\w+)", output)),
        _milliseconds(_match(r"99%\s+([\d.]+\w+)", output)),
        errors,
    )


def _match(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    if found is None:
        raise RuntimeError(f"wrk output without {pattern!r}:\n{text}")
    return found.group(1)


def _milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]
