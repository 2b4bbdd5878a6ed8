"""The benchmark at 10k, end to end, so that it cannot rot: it generates and releases the
dataset, starts the three engines (ours, the raw Oxigraph server, rdflib-endpoint), measures,
and writes its table. Nothing here asserts a speed: the figures belong to ``make bench``."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench.run import ENGINES
from maillage.settings import REPO_ROOT


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


def test_the_table_is_printed_and_written(smoke):
    out, _, printed = smoke
    table = (out / "latest.md").read_text()
    assert table.strip() in printed
    for section in ("### Build", "### Per-query latency", "### Throughput", "### Targets"):
        assert section in table


def test_every_engine_was_started_and_measured(smoke):
    _, record, _ = smoke
    assert record["skipped"] == {}
    assert set(record["engines"]) == set(ENGINES)
    for figures in record["engines"].values():
        assert figures["cold_start_s"] > 0 and figures["rss_mib"] > 0
        for by_clients in figures["throughput"].values():
            assert all(run["requests"] > 0 for run in by_clients.values())


def test_our_answers_are_the_embedded_engines(smoke):
    _, record, _ = smoke
    expected = record["reference"]
    ours = {row["query"]: row for row in record["engines"]["maillage"]["latency"]}
    answered = [name for name, count in expected.items() if count is not None]
    assert len(answered) >= 10
    for name in answered:
        assert ours[name]["rows"] == expected[name], name


def test_disagreements_are_reported_not_hidden(smoke):
    out, record, _ = smoke
    table = (out / "latest.md").read_text()
    differing = [
        (engine, row["query"])
        for engine, figures in record["engines"].items()
        for row in figures["latency"]
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
