"""The search stage of the benchmark (``bench.search``) on the small generated dataset, so
that it cannot rot: it builds only what it needs (index and store) from the N-Quads, answers
every request of each kind, finds the right organisations, and renders its table. Nothing here
asserts a speed: the figures belong to ``make bench`` (docs/performance.md)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from bench.search import LEAN_DIR, TARGETS_MS, lean_release, measure, table
from maillage.layout import SEARCH_INDEX
from maillage.search import FACET_TABLE, QUOTE_TABLE


@pytest.fixture(scope="module")
def lean(generated):
    return lean_release(generated, report=lambda _line: None)


@pytest.fixture(scope="module")
def figures(lean, generated):
    sample = json.loads((generated / "sample.json").read_text())
    return measure(lean, sample, runs=1)


def test_it_builds_the_index_and_the_store_once(lean, generated):
    assert lean == generated / LEAN_DIR
    index = sqlite3.connect(f"file:{lean / SEARCH_INDEX}?mode=ro", uri=True)
    for table_name in ("search", QUOTE_TABLE, FACET_TABLE):
        (rows,) = index.execute(f"SELECT count(*) FROM {table_name}").fetchone()
        assert rows > 0, table_name
    stamp = (lean / "built-from.json").stat().st_mtime
    assert lean_release(generated, report=lambda _line: None) == lean
    assert (lean / "built-from.json").stat().st_mtime == stamp  # not built again


def test_every_kind_is_measured(figures):
    assert set(figures["kinds"]) == set(TARGETS_MS)
    for kind, found in figures["kinds"].items():
        assert found["requests"] >= 1, kind
        assert 0 < found["p50_ms"] <= found["p95_ms"] <= found["max_ms"], kind


def test_the_answers_are_the_right_organisations(figures):
    assert figures["found"] == {
        "search": "10/10",
        "search misspelt": "10/10",
        "suggest": "10/10",
        "reconcile": "10/10",
    }


def test_the_batch_is_ten_queries_as_openrefine_sends_them(figures):
    (batch,) = figures["kinds"]["reconcile"]["asked"]
    assert len(batch) == 10
    assert all(q["type"] == "http://www.w3.org/ns/org#Organization" for q in batch)


def test_the_table(figures):
    rendered = table(figures)
    assert "| search | 10 × 1 |" in rendered and "| reconcile | 1 × 1 |" in rendered
    assert rendered.startswith("Right first answers: search 10/10")
