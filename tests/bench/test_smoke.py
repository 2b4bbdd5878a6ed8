"""The benchmark at 10k, end to end, so that it cannot rot: it generates and releases the
dataset, starts the three engines (ours, the raw Oxigraph server, rdflib-endpoint), measures,
and writes its table. Nothing here asserts a speed: the figures belong to ``make bench``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from bench.run import ENGINES
from maillage.settings import REPO_ROOT

NGINX = "/usr/sbin/nginx"


def test_the_load_generator_and_the_proxy_are_installed():
    """Not a skip: without them the benchmark cannot run, and `make test` must say so."""
    assert shutil.which("wrk"), "wrk is missing: `make tools` installs Debian's wrk"
    assert os.access(NGINX, os.X_OK), f"{NGINX} is missing: `make tools` installs Debian's nginx"


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench-results")
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--smoke", "--out", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (record,) = [json.loads(line) for line in next(out.glob("*.jsonl")).read_text().splitlines()]
    return out, record, done.stdout


def test_the_targets_are_printed_and_the_run_is_written(smoke):
    out, record, printed = smoke
    table = (out / "latest.md").read_text()
    targets = table[table.index("## Issue 12, target by target") : table.index("## 10k")]
    assert targets.strip() in printed  # the targets table, as kept
    assert f"The whole run: {out / record['run']}.md" in printed
    assert "| figure | target | 10k |" in targets
    for section in ("### Build", "### Per-query latency", "### Throughput"):
        assert section in table
    assert "### Per-query overhead over raw Oxigraph" in table


def test_the_overhead_is_measured_on_every_light_query(smoke):
    """Ours and raw Oxigraph, both running, answered each light query of the mix alike."""
    _, record, _ = smoke
    found = record["overhead"]["queries"]
    assert len(found) >= 10 and not {"q03-members-at-date-naive", "q13-cartesian"} & set(found)
    assert all(q["status"] == "ok" and q["ours_p50_ms"] > 0 for q in found.values()), found
    assert "median_overhead_ms" in record["overhead"]
    # the mix on both, in turn: what its target is judged on
    assert set(record["overhead"]["mix"]) == {"1", "8", "32"}
    for rates in record["overhead"]["mix"].values():
        assert set(rates) == {"maillage", "oxigraph"}, rates
    # one 1 s run each, never lengthened: the smoke stays short
    assert record["overhead"]["mix_runs_s"] == {"1": [1], "8": [1], "32": [1]}


def test_every_engine_was_started_and_measured(smoke):
    out, record, _ = smoke
    # A slow engine may pass its query budget on a loaded machine (rdflib-endpoint still works
    # through the queue a throughput run left): it is then stopped and the table says why.
    # Ours, the raw Oxigraph server and the proxy never may.
    assert not {"maillage", "oxigraph", "nginx"} & set(record["skipped"])
    table = (out / "latest.md").read_text()
    for name, why in record["skipped"].items():
        assert f"skipped {name}: {why}" in table
    assert set(record["engines"]) | set(record["skipped"]) == set(ENGINES)
    measured = {n: f for n, f in record["engines"].items() if n not in record["skipped"]}
    for name, figures in measured.items():
        if name != "nginx":  # the proxy is measured for throughput only
            assert figures["cold_start_s"] > 0 and figures["rss_mib"] > 0
        for mix, by_clients in figures["throughput"].items():
            assert set(by_clients) == {"1", "8", "32"}, (name, mix)
            # How many requests a 1 s run completes is a speed, not a behaviour: a slow engine
            # on a loaded machine may complete none. Ours must answer its cheap mixes.
            if name in ("maillage", "nginx") and mix != "sparql":
                assert any(run["requests"] > 0 for run in by_clients.values()), (name, mix)


def test_our_descriptions_are_what_the_raw_engines_are_asked(smoke):
    _, record, _ = smoke
    equivalence = record["engines"]["maillage"]["equivalence"]
    assert equivalence["iris"] > 0 and equivalence["equal"] == equivalence["iris"]


def test_our_answers_are_the_embedded_engines(smoke):
    _, record, _ = smoke
    expected = record["reference"]
    ours = {row["query"]: row for row in record["engines"]["maillage"]["latency"]}
    answered = [name for name, count in expected.items() if count is not None]
    assert len(answered) >= 10
    assert any(expected[name] for name in answered)  # not a suite of empty answers
    for name in answered:
        assert ours[name]["rows"] == expected[name], name


def test_disagreements_are_reported_not_hidden(smoke):
    out, record, _ = smoke
    table = (out / "latest.md").read_text()
    differing = [
        (engine, row["query"])
        for engine, figures in record["engines"].items()
        for row in figures.get("latency", [])  # the proxy runs throughput only
        if row["rows"] is not None
        and record["reference"][row["query"]] is not None
        and row["rows"] != record["reference"][row["query"]]
    ]
    for engine, query in differing:
        assert f"- {engine} {query}:" in table
    if not differing:
        assert "Every answered query has the embedded engine's result count." in table


def test_the_runaway_query_gets_a_clear_timeout(smoke):
    _, record, _ = smoke
    cartesian = record["engines"]["maillage"]["runaway"]["q13-cartesian"]
    assert cartesian["status"] == 503
    assert "deadline" in cartesian["message"] or "timeout" in cartesian["message"].lower()


WRK_WITH_ERRORS = """Running 1s test @ http://127.0.0.1:1234
  1 threads and 8 connections
  Latency Distribution
     50%  812.00us
     99%    2.10ms
  4000 requests in 1.00s, 1.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:   4000.00
"""


def test_a_run_with_errors_is_not_reported_as_speed():
    from bench.load import parse
    from bench.report import _cell, _ratio

    run = parse(WRK_WITH_ERRORS, 8)
    assert (run.requests, run.errors, run.p50_ms, run.p99_ms) == (4000, 10, 0.812, 2.1)
    assert not run.clean
    assert _cell(vars(run)) == "4000 (0.8) (10 errors)"
    assert _ratio(vars(run), vars(run)) == "–"
    nothing = parse("  0 requests in 1.00s, 0B read\nRequests/sec:      0.00\n", 32)
    assert _cell(vars(nothing)) == "none completed"
