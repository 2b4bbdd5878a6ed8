"""Which sizes ``make bench`` runs, and what runs at 10M: the default sizes are 100k and 1M; the
10M release runs on its own (``make bench SIZES=10M``), ours against raw Oxigraph only."""

from __future__ import annotations

import re
from pathlib import Path

from bench import run

REPO = Path(__file__).resolve().parents[2]


def test_make_bench_runs_100k_and_1m_and_10m_only_on_its_own():
    sizes = re.search(r"^SIZES \?= (.+)$", (REPO / "Makefile").read_text(), re.MULTILINE)
    assert sizes is not None and sizes.group(1).split(",") == ["100k", "1M"]
    assert set(run.SEPARATE_RELEASES) == {"10M"}


def test_at_10m_ours_runs_against_raw_oxigraph_only():
    assert [e for e in run.ENGINES if run.runs_at("10M", e)] == ["maillage", "oxigraph"]
    assert all(run.runs_at("1M", engine) for engine in run.ENGINES)
    assert "diff" in run.SKIPPED_AT_SEPARATE


def test_past_2m_triples_the_release_validates_in_one_process():
    """A forked validation child copies the graph's pages it reads: at 10M, one process."""
    from bench.release import validation_processes
    from maillage.settings import Settings

    settings = Settings(validation_processes=2)
    assert validation_processes(settings, 770_232) == 2  # 1M: both cores
    assert validation_processes(settings, 7_656_394) == 1  # 10M
