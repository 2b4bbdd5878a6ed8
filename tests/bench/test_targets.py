"""The targets table of ``make bench`` (bench.targets, printed by bench.run), on hand-made run
records: a missed target says missed, a figure the run did not measure says so, and the bound
is the one the issue sets at that size."""

from __future__ import annotations

import copy

from bench import targets
from bench.report import render, summary


def wrk(rate: float, p50_ms: float = 1.0, errors: int = 0) -> dict:
    return {"requests": int(rate * 10), "requests_per_s": rate, "p50_ms": p50_ms, "errors": errors}


def size_record(size: str) -> dict:
    """A size where every figure is measured and every target met."""
    sparql = {"1": wrk(95), "8": wrk(190), "32": wrk(185)}
    raw_sparql = {"1": wrk(100), "8": wrk(200), "32": wrk(200)}
    return {
        "size": size,
        "build": {
            "release": "0123456789abcdef",
            "total_seconds": 80.0,
            "cpu_seconds": 150.0,
            "peak_rss_mib": 1400.0,
            "children_peak_rss_mib": 900.0,
            "validation_processes": 2,
            "timings_written": "2026-12-06 10:00 UTC",
            "stages": {},
        },
        "reference": {"q01-label": 1, "q13-cartesian": None},
        "overhead": {"median_overhead_ms": 0.4, "queries": {}},
        "engines": {
            "maillage": {
                "first_deref_s": 0.4,
                "cold_start_s": 0.8,
                "rss_mib": 700.0,
                "pss_mib": 550.0,
                "latency": [
                    {"query": "q01-label", "rows": 1, "median_ms": 1, "p99_ms": 2, "status": "ok"}
                ],
                "throughput": {
                    "deref": {"1": wrk(9000, p50_ms=0.1), "32": wrk(30000)},
                    "sparql": sparql,
                },
                "runaway": {
                    "q13-cartesian": {
                        "status": 503,
                        "seconds": 10.2,
                        "limit_s": 10.0,
                        "kept": 0.6,
                        "deref_before": 100,
                        "deref_during": 60,
                        "message": "query stopped: it ran past the 10 s deadline",
                    }
                },
            },
            "oxigraph": {"throughput": {"deref": {"32": wrk(700)}, "sparql": raw_sparql}},
        },
        "skipped": {},
    }


def cells(size: dict) -> dict[str, str]:
    return {target.figure: target.cell(size) for target in targets.TARGETS}


def test_every_target_met_says_met():
    found = cells(size_record("1M"))
    assert all(cell.endswith(": met") for cell in found.values()), found
    assert found["SPARQL mix ÷ raw Oxigraph, 8 clients"] == "0.95×: met"
    assert found["server memory after the runs (whole process tree)"] == (
        "PSS 550 MiB, RSS 700 MiB: met"  # judged on PSS, both shown
    )


def test_a_missed_target_says_missed():
    size = size_record("1M")
    size["overhead"]["median_overhead_ms"] = 0.88
    size["build"]["total_seconds"] = 120.0
    size["engines"]["maillage"]["throughput"]["sparql"]["32"] = wrk(150)
    size["engines"]["maillage"]["first_deref_s"] = 0.5  # the bound is strict
    found = cells(size)
    assert found["per-query overhead over raw Oxigraph, p50 (median of the light queries)"] == (
        "0.88 ms: missed"
    )
    assert found["build + validate (bench.release, wall)"] == "120.0 s, 150 CPU s: missed"
    assert found["SPARQL mix ÷ raw Oxigraph, 32 clients"] == "0.75×: missed"
    assert found["cold start to first dereference"] == "0.50 s: missed"
    assert found["cold start to first SPARQL answer"] == "0.80 s: met"


def test_a_run_with_errors_or_a_wrong_answer_is_a_miss_not_a_figure():
    size = size_record("100k")
    ours = size["engines"]["maillage"]
    ours["throughput"]["sparql"]["8"] = wrk(400, errors=12)  # faster, but with errors
    ours["runaway"]["q13-cartesian"]["status"] = 500
    ours["latency"][0]["rows"] = 2
    found = cells(size)
    assert found["SPARQL mix ÷ raw Oxigraph, 8 clients"] == "our run had 12 errors: missed"
    assert found[RUNAWAY_FIGURE] == "HTTP 500 after 10.20 s (limit 10 s): missed"
    assert found["result counts equal the embedded engine's"] == "differ on q01-label: missed"


def test_the_mix_is_judged_on_the_run_where_both_servers_took_turns():
    """The overhead stage runs the mix on ours and raw Oxigraph alternately (bench.overhead):
    its ratio is judged, the engines' own runs (minutes apart) shown beside it."""
    size = size_record("100k")
    size["engines"]["maillage"]["throughput"]["sparql"]["1"] = wrk(86)  # 0.86× in turn
    size["overhead"]["mix"] = {
        "1": {"maillage": 91.0, "oxigraph": 100.0},
        "8": {"maillage": 170.0, "oxigraph": 200.0},
        "32": {"maillage": None, "oxigraph": 200.0},  # our alternated run had errors
    }
    found = cells(size)
    assert found["SPARQL mix ÷ raw Oxigraph, 1 client"] == "0.91× (alternated; 0.86× in turn): met"
    assert found["SPARQL mix ÷ raw Oxigraph, 8 clients"] == (
        "0.85× (alternated; 0.95× in turn): missed"
    )
    assert found["SPARQL mix ÷ raw Oxigraph, 32 clients"] == (
        "our alternated run had errors: missed"
    )
    size["engines"]["maillage"]["throughput"]["sparql"]["1"] = wrk(95, errors=3)
    assert cells(size)["SPARQL mix ÷ raw Oxigraph, 1 client"] == "our run had 3 errors: missed"


def test_a_figure_not_measured_says_not_measured():
    size = size_record("1M")
    del size["overhead"]
    del size["engines"]["oxigraph"]
    del size["engines"]["maillage"]["pss_mib"]
    found = cells(size)
    assert found["per-query overhead over raw Oxigraph, p50 (median of the light queries)"] == (
        "not measured"
    )
    assert found["SPARQL mix ÷ raw Oxigraph, 1 client"] == "not measured"
    assert found["server memory after the runs (whole process tree)"] == (
        "RSS 700 MiB (PSS not measured): missed"  # no PSS: judged on the summed RSS
    )


def test_the_bound_is_the_one_the_issue_sets_at_that_size():
    small, large = size_record("100k"), size_record("10M")
    for size in (small, large):
        size["build"]["total_seconds"] = 1000.0
        size["engines"]["maillage"]["pss_mib"] = 800.0
    small_cells, large_cells = cells(small), cells(large)
    build, memory = (
        "build + validate (bench.release, wall)",
        ("server memory after the runs (whole process tree)"),
    )
    assert small_cells[build] == "1000.0 s, 150 CPU s; no target at 100k"
    assert large_cells[build] == "1000.0 s, 150 CPU s: met"  # < 30 min at 10M
    assert small_cells[memory].endswith(": missed")  # < 600 MiB up to 1M
    assert large_cells[memory].endswith(": met")  # < 1 GiB at 10M
    assert large_cells["SPARQL mix ÷ raw Oxigraph, 1 client"] == "0.95×; no target at 10M"
    large["engines"]["maillage"]["throughput"]["sparql"]["8"] = wrk(190, errors=1)
    assert cells(large)["SPARQL mix ÷ raw Oxigraph, 8 clients"] == (
        "our run had 1 error; no target at 10M"  # errors, but no target to miss
    )
    # main 1,400 + one forked child at 900 MiB: judged on the sum
    assert cells(size_record("1M"))[
        "build peak memory (the process tree: PSS, else RSS summed)"
    ] == ("≤ 2,300 MiB (RSS: main 1,400 + 1 × child 900; PSS not measured): met")
    measured = size_record("1M")
    measured["build"]["tree_peak_pss_mib"] = 3100.0  # PSS over the tree, judged when measured
    assert cells(measured)["build peak memory (the process tree: PSS, else RSS summed)"] == (
        "PSS 3,100 MiB (RSS: main 1,400 + 1 × child 900): missed"
    )


def test_one_table_holds_every_size_and_is_printed(tmp_path):
    missed = size_record("1M")
    missed["overhead"]["median_overhead_ms"] = 0.88
    record = {"run": "20261206T120000Z", "options": {}, "sizes": [size_record("100k"), missed]}
    text = summary(copy.deepcopy(record), tmp_path)
    assert text.count("| figure | target | 100k | 1M |") == 1
    row = next(line for line in text.splitlines() if line.startswith("| per-query overhead"))
    assert row.endswith("| < 0.5 ms | 0.40 ms: met | 0.88 ms: missed |")
    assert f"The whole run: {tmp_path / '20261206T120000Z.md'}" in text
    assert "## Issue 12, target by target" in render(record, smoke=False)


def test_the_fuzzing_says_whether_it_met_its_targets():
    from bench import fuzz

    tally = fuzz.Tally()
    tally.statuses.update({200: 4_000, 400: 5_999, 500: 1})
    lines = tally.report().splitlines()
    assert "| queries sent | ≥ 10,000 | 10,000 | met |" in lines
    assert "| answers 500 | 0 | 1 | missed |" in lines
    tally.statuses[500] = 0  # 9,999 queries: too few
    assert "| queries sent | ≥ 10,000 | 9,999 | missed |" in tally.targets().splitlines()


def test_the_soak_says_whether_it_met_its_targets():
    from bench import soak

    tally = soak.Tally()
    tally.answers.update({("dereference", 200): 1000, ("sparql", 503): 3, ("sparql", 500): 2})
    tally.rss_mib = [(0.0, 400.0), (60.0, 500.0), (600.0, 560.0)]  # +12 % after the warm-up
    lines = soak.targets(tally, 600, 32, warmup_s=60).splitlines()
    assert (
        "| RSS growth of the server's processes after the warm-up | < +10 % | +12.0% | missed |"
        in lines
    )
    assert "| answers other than 200, 303, 429, 503, or no answer | 0 | 2 | missed |" in lines
    assert "| duration (s) | ≥ 600 s | 600 s | met |" in lines
    short = soak.targets(soak.Tally(), 8, 8, warmup_s=0).splitlines()  # no memory sampled
    assert (
        "| RSS growth of the server's processes after the warm-up | < +10 % | not measured | – |"
        in short
    )
    assert "| clients | ≥ 32 | 8 | missed |" in short


def test_a_release_built_alone_shows_its_build_and_nothing_else(tmp_path, monkeypatch):
    """The 10M release is built by its own command: its build figures join the table of a
    run at other sizes, every other figure at 10M « not measured »."""
    import json

    from bench import run

    monkeypatch.setattr(run, "DATA", tmp_path)
    assert run.released_only(["100k", "1M"]) == []  # no timings file: no column
    (tmp_path / "10M").mkdir()
    build = {**size_record("10M")["build"], "directory": str(tmp_path / "10M/var/releases/x")}
    build.update(total_seconds=2000.0, peak_rss_mib=9000.0, children_peak_rss_mib=0)
    (tmp_path / "10M" / "release-timings.json").write_text(json.dumps(build))
    assert run.released_only(["10M"]) == []  # run at 10M: measured like the other sizes
    (alone,) = run.released_only(["100k", "1M"])
    found = cells(alone)
    assert found["build + validate (bench.release, wall)"] == "2000.0 s, 150 CPU s: missed"
    assert found["build peak memory (the process tree: PSS, else RSS summed)"] == (
        "≤ 9,000 MiB (RSS: main 9,000; PSS not measured): met"
    )
    measured = {
        "build + validate (bench.release, wall)",
        "build peak memory (the process tree: PSS, else RSS summed)",
    }
    assert {cell for figure, cell in found.items() if figure not in measured} == {"not measured"}
    record = {"run": "20261206T120000Z", "options": {}, "sizes": [size_record("1M"), alone]}
    text = render(record, smoke=False)
    assert "| figure | target | 1M | 10M |" in text
    assert "release 0123456789abcdef (released alone, not served in this run)" in text


RUNAWAY_FIGURE = (
    "runaway query (q13-cartesian) stopped by the deadline (503) or the memory cap (422)"
)


def test_the_runaway_query_is_met_when_a_limit_stops_it_with_a_sentence():
    size = size_record("1M")
    cartesian = size["engines"]["maillage"]["runaway"]["q13-cartesian"]
    cartesian.update(status=422, seconds=1.0, message="the query needed more than 1024 MiB")
    assert cells(size)[RUNAWAY_FIGURE] == "HTTP 422 after 1.00 s (limit 10 s), memory cap: met"
    cartesian.update(status=503, seconds=11.5)  # past the deadline by more than a second
    assert cells(size)[RUNAWAY_FIGURE] == "HTTP 503 after 11.50 s (limit 10 s): missed"
    cartesian.update(seconds=10.2, message="")  # in time, but no sentence says why
    assert cells(size)[RUNAWAY_FIGURE] == "HTTP 503 after 10.20 s (limit 10 s): missed"
