"""Per-query overhead over raw Oxigraph: our server and ``oxigraph serve-read-only`` run at the
same time on the same release, and each light query of the mix is sent to one then the other,
alternately, ``runs`` times, by one sequential keep-alive client per engine. The overhead of a
query is our p50 minus raw Oxigraph's p50; alternating makes the machine's load fall on both
alike (the engines are not measured minutes apart, as in the latency stage).

``--baseline DIR`` also starts the server of another checkout of the code (``git worktree add
DIR <commit>`` or ``git archive <commit> | tar -x -C DIR``), run from DIR with this
environment's packages, and sends each query to it in turn too: before and after a change,
in the same run.

    .venv/bin/python -m bench.overhead bench/data/100k        # after bench.run released it
    .venv/bin/python -m bench.overhead bench/data/100k --baseline /tmp/base
    .venv/bin/python -m bench.overhead bench/data/100k --baseline . \
        --baseline-env MAILLAGE_QUERY_QUICK_MS=0     # the same code, a setting changed

``--env`` sets a variable for our server, ``--baseline-env`` for the baseline's. ``--mix S``
also runs the SPARQL mix with wrk for S seconds at 1, 8 and 32 clients on each server, the
servers taken in turn at each client count (the order rotating), the runs longer when a
request is slow (:func:`mix_runs`, up to ``MIX_BUDGET`` times S on each server), and prints
each one's rate and its ratio to raw Oxigraph's; ``--mix-only`` skips the per-query overhead.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from bench import engines, load, measure

RUNS = 200
"""Requests per query and engine (after one warm-up each)."""
HEAVY_MS = 50.0
"""A query slower than this on raw Oxigraph runs ``RUNS // 10`` times: its overhead is noise."""


def measure_overhead(
    release_dir: Path,
    queries: dict[str, str],
    probe_iri: str,
    runs: int,
    baseline: Path | None = None,
    env: dict[str, str] | None = None,
    baseline_env: dict[str, str] | None = None,
    mix_s: float = 0.0,
    per_query: bool = True,
    mix_rounds: int = 0,
) -> dict:
    """For each light query: p50 of ours and of raw Oxigraph (ms) and their difference; with
    ``baseline``, also the p50 of that checkout's server and its difference. With ``mix_s``,
    the SPARQL mix on each server in turn (:func:`_mix`, ``mix_rounds`` runs each, by default
    ``MIX_ROUNDS``, fewer and longer at high latency) and the seconds of its runs."""
    light = {n: q for n, q in queries.items() if n not in measure.RUNAWAY}
    common = {"MAILLAGE_QUERY_TIMEOUT_S": "60"}
    env = {**common, **(env or {})}
    figures: dict = {"runs": runs, "queries": {}, "env": env}
    with contextlib.ExitStack() as stack:
        started = {}
        if baseline is not None:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="overhead-")))
            before = {**common, **(baseline_env or {})}
            figures["baseline_env"] = before
            started["baseline"] = stack.enter_context(
                _baseline(baseline, release_dir, work, before, probe_iri)
            )
        for name in ("maillage", "oxigraph"):
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="overhead-")))
            started[name] = stack.enter_context(
                engines.started(name, release_dir, work, env, probe_iri)
            )
        clients = {
            name: stack.enter_context(httpx.Client(base_url=engine.url, timeout=60))
            for name, engine in started.items()
        }
        for query_name, query in light.items() if per_query else ():
            figures["queries"][query_name] = _alternate(started, clients, query, runs)
        if mix_s:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="overhead-")))
            rounds = mix_rounds or MIX_ROUNDS
            figures["mix"], figures["mix_runs_s"] = _mix(
                started, list(light.values()), mix_s, work, rounds
            )
    found = [q for q in figures["queries"].values() if q["overhead_ms"] is not None]
    if found:
        figures["median_overhead_ms"] = round(statistics.median(q["overhead_ms"] for q in found), 3)
    if found and baseline is not None:
        figures["baseline_median_overhead_ms"] = round(
            statistics.median(q["baseline_overhead_ms"] for q in found), 3
        )
    return figures


MIX_CLIENTS = (1, 8, 32)
MIX_ROUNDS = 10
"""Each server's ``--mix`` seconds at a client count are cut into this many runs, the servers
taken in turn between them: a change of the machine's load falls on all of them alike, and
each run opens a new connection, which lands on either of our HTTP workers."""
MIX_S = 40.0
"""Each server's seconds of the mix at each client count in ``make bench`` (``bench.run``'s
overhead stage, on which the mix's target is judged). The same code at 100k, four stages each
at one client: 1.02, 0.87, 0.90 and 0.97× raw Oxigraph with 10 s in 5 runs, 0.93, 0.93, 0.93
and 0.94× with 40 s in 10 (docs/performance.md, « Where issue 12 stands, on 2026-12-07, second
session »): a 2 s run of one client holds about 200 requests, and the machine's moments fall
unevenly on five of them."""
MIX_REQUESTS_PER_CLIENT = 8
"""Requests each client should complete in one run. wrk counts only the requests completed
within its duration: each client's request in flight when it stops is lost, so a run where a
client completes n is short by up to 1/n of its count (half that on average), and by a
different amount on each server. At 1M and 32 clients a 2 s run completed about one request a
client and the ratio swung from 0.82 to 0.88×; at eight the loss stays under 1/8, a few per
cent summed over the runs, below the target's 10 % margin, for eight latencies a run."""
MIX_BUDGET = 4
"""The cap: a server's runs at one client count, lengthened, last at most this many times the
``--mix`` seconds (160 s for make bench's 40 s), however slow its requests."""


def mix_runs(
    clients: int, requests: int, probe_s: int, seconds: float, rounds: int
) -> tuple[int, int]:
    """How many runs follow the first at a client count, and each one's whole seconds, given
    the first's ``probe_s`` seconds and the ``requests`` the slowest server completed in it.
    Unchanged, ``rounds - 1`` runs of ``probe_s``, when each of the ``clients`` completed
    :data:`MIX_REQUESTS_PER_CLIENT` requests, or with one run (the smoke's). Else each run lasts
    that many latencies, the latency read as ``probe_s * clients / requests`` (an upper bound:
    the request in flight at the end is not counted; not wrk's p50, the mix's heavy queries
    putting its mean above its median), and as many runs as fit with the probe in
    :data:`MIX_BUDGET` times ``seconds`` follow (``rounds - 1`` at most, one at least, cut to
    what the cap leaves when one is too long for it)."""
    wanted = MIX_REQUESTS_PER_CLIENT * clients
    if rounds == 1 or requests >= wanted:
        return rounds - 1, probe_s
    left = max(1, math.floor(MIX_BUDGET * seconds) - probe_s)
    length = min(left, math.ceil(probe_s * wanted / requests) if requests else left)
    return min(rounds - 1, left // length), length


def _mix(
    started: dict, queries: list[str], seconds: float, workdir: Path, rounds: int = MIX_ROUNDS
) -> tuple[dict, dict]:
    """Requests a second of the SPARQL mix on each server, at each client count, and the
    seconds of the runs: the requests completed in all the runs over their seconds, the servers
    taken in turn (the order rotating from run to run); None for a server that answered an
    error in any. The first run, ``seconds / rounds`` (wrk's whole seconds, at least one), is
    also the probe that :func:`mix_runs` lengthens the others by, alike on every server."""
    rates, lengths = {}, {}
    for clients in MIX_CLIENTS:
        probe_s = max(1, round(seconds / rounds))
        runs = [_turn(started, queries, clients, probe_s, workdir, 0)]
        slowest = min(run.requests for run in runs[0].values())
        count, length = mix_runs(clients, slowest, probe_s, seconds, rounds)
        runs += [_turn(started, queries, clients, length, workdir, t) for t in range(1, count + 1)]
        lengths[str(clients)] = [probe_s] + [length] * count
        rates[str(clients)] = {
            name: round(sum(run[name].requests for run in runs) / sum(lengths[str(clients)]), 1)
            if all(run[name].clean for run in runs)
            else None
            for name in started
        }
    return rates, lengths


def _turn(
    started: dict, queries: list[str], clients: int, seconds: int, workdir: Path, turn: int
) -> dict[str, load.Throughput]:
    """One run of the mix on each server, the order rotated by ``turn``."""
    names = list(started)
    found = {}
    for name in names[turn % len(names) :] + names[: turn % len(names)]:
        engine = started[name]
        paths = [engine.sparql_path(query) for query in queries]
        found[name] = load.throughput(
            engine.url, paths, measure.MIX_ACCEPT, clients, seconds, workdir
        )
        measure.wait_until_idle(engine, clients * 60.0)
    return found


@contextlib.contextmanager
def _baseline(
    checkout: Path, release: Path, workdir: Path, env: dict[str, str], probe_iri: str
) -> Iterator[engines.Engine]:
    """``maillage serve`` from another checkout: its modules first on the path, and run from
    it (the query workers' forkserver imports from its working directory)."""
    port = engines.free_port()
    command, settings = engines.COMMANDS["maillage"](release, workdir, port, env)
    checkout = checkout.resolve()
    log = workdir / "baseline.log"
    begun = time.perf_counter()
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=checkout,
            env={**os.environ, **settings, "PYTHONPATH": str(checkout)},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    engine = engines.Engine("maillage", f"http://127.0.0.1:{port}", process, log=log)
    try:
        engine.first_deref_s = engines.wait_until_ready(engine, engine.deref_path(probe_iri), begun)
        engines.wait_until_ready(engine, engine.sparql_path("ASK { ?s ?p ?o }"), begun)
        yield engine
    finally:
        engines.stop(process)


def _alternate(started: dict, clients: dict, query: str, runs: int) -> dict:
    accept = measure.NTRIPLES if measure.is_graph_query(query) else measure.JSON
    paths = {name: engine.sparql_path(query) for name, engine in started.items()}
    times: dict[str, list[float]] = {name: [] for name in started}
    count = runs
    for attempt in range(runs + 1):
        for name, client in clients.items():
            begun = time.perf_counter()
            reply = client.get(paths[name], headers={"Accept": accept})
            elapsed = (time.perf_counter() - begun) * 1000
            if reply.status_code != 200:
                return {"status": f"{name}: HTTP {reply.status_code}", "overhead_ms": None}
            if attempt:
                times[name].append(elapsed)
        if attempt == 5 and statistics.median(times["oxigraph"]) > HEAVY_MS:
            count = max(5, runs // 10)  # decided on five runs: one can be a load spike
        if attempt >= count:
            break
    p50 = {name: statistics.median(values) for name, values in times.items()}
    found = {
        "status": "ok",
        "runs": len(times["oxigraph"]),
        "ours_p50_ms": round(p50["maillage"], 3),
        "raw_p50_ms": round(p50["oxigraph"], 3),
        "overhead_ms": round(p50["maillage"] - p50["oxigraph"], 3),
    }
    if "baseline" in p50:
        found["baseline_p50_ms"] = round(p50["baseline"], 3)
        found["baseline_overhead_ms"] = round(p50["baseline"] - p50["oxigraph"], 3)
    return found


def table(figures: dict) -> str:
    baseline = "baseline_median_overhead_ms" in figures
    head = ["query", "runs", "ours p50 ms", "raw Oxigraph p50 ms", "overhead ms"]
    if baseline:
        head += ["baseline p50 ms", "baseline overhead ms"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for name, found in figures["queries"].items():
        if found["overhead_ms"] is None:
            lines.append(f"| {name} | – | – | – | {found['status']} |")
            continue
        row = [
            name,
            str(found["runs"]),
            f"{found['ours_p50_ms']:.2f}",
            f"{found['raw_p50_ms']:.2f}",
            f"{found['overhead_ms']:+.2f}",
        ]
        if baseline:
            row += [f"{found['baseline_p50_ms']:.2f}", f"{found['baseline_overhead_ms']:+.2f}"]
        lines.append("| " + " | ".join(row) + " |")
    median = figures.get("median_overhead_ms")
    if median is not None:
        lines += ["", f"Median overhead over the queries: {median:+.2f} ms (target < 0.5 ms)."]
    if baseline:
        before = figures["baseline_median_overhead_ms"]
        lines.append(f"Baseline's median overhead: {before:+.2f} ms.")
    if "mix" in figures:
        lines += ["", *_mix_table(figures["mix"], figures.get("mix_runs_s", {}))]
    return "\n".join(lines)


def _mix_table(mix: dict, runs_s: dict) -> list[str]:
    """Each server's rate and its ratio to raw Oxigraph's, and the seconds of each run when
    the record has them (not before the runs were lengthened at high latency)."""
    names = list(next(iter(mix.values())))
    head = ["SPARQL mix, clients", *(f"{n} req/s" for n in names)]
    head += [f"{n} ÷ raw" for n in names if n != "oxigraph"] + (["runs (s)"] if runs_s else [])
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for clients, rates in mix.items():
        raw = rates.get("oxigraph")
        shown = [f"{rates[n]:.1f}" if rates[n] is not None else "errors" for n in names]
        ratios = [
            f"{rates[n] / raw:.2f}" if rates[n] and raw else "–" for n in names if n != "oxigraph"
        ]
        runs = [", ".join(map(str, runs_s[clients]))] if runs_s else []
        lines.append(f"| {clients} | " + " | ".join(shown + ratios + runs) + " |")
    return lines


def _variables(assignments: list[str]) -> dict[str, str]:
    return dict(assignment.split("=", 1) for assignment in assignments)


def main(argv: list[str] | None = None) -> int:
    from bench.run import label_of  # bench.run imports this module

    parser = argparse.ArgumentParser(prog="python -m bench.overhead", description=__doc__)
    parser.add_argument("dataset", type=Path, help="a size's directory, e.g. bench/data/100k")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument(
        "--baseline", type=Path, help="another checkout of the code, measured in the same run"
    )
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--baseline-env", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--mix", type=float, default=0.0, metavar="SECONDS")
    parser.add_argument("--mix-only", action="store_true")
    args = parser.parse_args(argv)
    release_dir = (args.dataset / "var" / "current").resolve()
    sample = json.loads((args.dataset / "sample.json").read_text())
    sample["organisation_label"] = label_of(release_dir, sample["organisations"][0])
    probe = sample["organisations"][0]
    queries = measure.load_queries(sample)
    figures = measure_overhead(
        release_dir,
        queries,
        probe,
        args.runs,
        args.baseline,
        _variables(args.env),
        _variables(args.baseline_env),
        args.mix or (10.0 if args.mix_only else 0.0),
        per_query=not args.mix_only,
    )
    (args.dataset / "overhead.json").write_text(json.dumps(figures, indent=1))
    print(table(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
