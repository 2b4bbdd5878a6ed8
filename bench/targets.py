"""Issue 12's targets, judged on a run's record: one row per figure, one column per size, each
cell the figure and whether it met its target at that size. A figure the run did not measure
says so; a size where the issue sets no target shows the figure alone.

The record of a size is what ``bench.run`` writes (``bench/results/<run>.jsonl``, one line per
size): ``build`` is the ``release-timings.json`` that ``bench.release`` writes beside the
dataset, ``engines`` what each engine measured, ``overhead`` what ``bench.overhead`` measured.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

OURS, RAW = "maillage", "oxigraph"
RUNAWAY = "q13-cartesian"
"""The query that never finishes (a cartesian product): the one that must meet the deadline."""
MET, MISSED = "met", "missed"
NOT_MEASURED = "not measured"


@dataclass(frozen=True)
class Bound:
    """``value < limit`` (``below``) or ``value >= limit``, and how the target is written."""

    limit: float
    text: str
    below: bool = True

    def met(self, value: float) -> bool:
        return value < self.limit if self.below else value >= self.limit


@dataclass(frozen=True)
class Reading:
    """A figure as read from a size's record: the value judged, and how it is shown."""

    value: float | None
    shown: str
    failed: bool = False
    """The figure could not be judged as measured (a run with errors): the target is missed."""


@dataclass(frozen=True)
class Target:
    figure: str
    bounds: dict[str, Bound | None]
    """By size name; ``*`` for the sizes not named. A size with no bound has no target."""
    read: Callable[[dict], Reading | None]

    def bound(self, size: str) -> Bound | None:
        return self.bounds.get(size, self.bounds.get("*"))

    def written(self) -> str:
        """The target as the table's second column writes it: the one for every size, then the
        sizes that have another, or none."""
        default = self.bounds.get("*")
        texts = [default.text] if default else []
        for size, bound in self.bounds.items():
            if size != "*":
                texts.append(f"{size}: {bound.text}" if bound else f"none at {size}")
        return "; ".join(texts)

    def cell(self, size: dict) -> str:
        """The figure at this size and whether it met its target (or why it is not judged)."""
        reading = self.read(size)
        if reading is None:
            return NOT_MEASURED
        bound = self.bound(size["size"])
        if bound is None or (reading.value is None and not reading.failed):
            return f"{reading.shown}; no target at {size['size']}"
        if reading.failed:
            return f"{reading.shown}: {MISSED}"
        return f"{reading.shown}: {MET if bound.met(reading.value) else MISSED}"

    def verdict(self, size: dict) -> str | None:
        """``met``, ``missed``, or None when not measured or no target at this size."""
        cell = self.cell(size)
        for word in (MISSED, MET):
            if cell.endswith(f": {word}"):
                return word
        return None


# ---- reading the figures --------------------------------------------------------------------


def ours(size: dict) -> dict:
    return size.get("engines", {}).get(OURS, {})


def run(size: dict, engine: str, mix: str, clients: str) -> dict | None:
    return size.get("engines", {}).get(engine, {}).get("throughput", {}).get(mix, {}).get(clients)


def errors_of(found: dict) -> str:
    return f"our run had {found['errors']} error{'s' if found['errors'] != 1 else ''}"


def overhead(size: dict) -> Reading | None:
    value = size.get("overhead", {}).get("median_overhead_ms")
    return None if value is None else Reading(value, f"{value:.2f} ms")


def mix_ratio(clients: str) -> Callable[[dict], Reading | None]:
    """Ours ÷ raw Oxigraph on the SPARQL mix: judged on the overhead stage's run, where both
    servers run at once and take turns (``bench.overhead``), when the record has it; the ratio
    of the two engines' own runs, measured minutes apart, is shown beside it. Errors in either
    of our runs are a miss; a record without the alternated run is judged on the engines' own
    runs."""

    def read(size: dict) -> Reading | None:
        in_turn = sequential(size)
        alternated = size.get("overhead", {}).get("mix", {}).get(clients)
        if alternated is None or (in_turn is not None and in_turn.failed):
            return in_turn  # errors in our own run are a miss, whatever the alternated run
        if alternated.get(OURS) is None:
            return Reading(None, "our alternated run had errors", failed=True)
        if not alternated.get(RAW):
            return in_turn
        ratio = alternated[OURS] / alternated[RAW]
        beside = f"; {in_turn.shown} in turn" if in_turn else ""
        return Reading(ratio, f"{ratio:.2f}× (alternated{beside})")

    def sequential(size: dict) -> Reading | None:
        mine, raw = run(size, OURS, "sparql", clients), run(size, RAW, "sparql", clients)
        if mine is None or raw is None:
            return None
        if mine["errors"]:
            return Reading(None, errors_of(mine), failed=True)
        if not mine["requests"] or not raw["requests"] or raw["errors"]:
            return None  # raw Oxigraph's run is no reference: nothing to divide by
        ratio = mine["requests_per_s"] / raw["requests_per_s"]
        return Reading(ratio, f"{ratio:.2f}×")

    return read


def seconds_of(key: str) -> Callable[[dict], Reading | None]:
    def read(size: dict) -> Reading | None:
        value = ours(size).get(key)
        return None if value is None else Reading(value, f"{value:.2f} s")

    return read


def build_seconds(size: dict) -> Reading | None:
    build = size.get("build", {})
    wall = build.get("total_seconds")
    if wall is None:
        return None
    cpu = build.get("cpu_seconds")
    spent = f", {cpu:.0f} CPU s" if cpu is not None else ""
    return Reading(wall, f"{wall:.1f} s{spent}")


def build_peak(size: dict) -> Reading | None:
    """Judged on the peak PSS summed over the build's process tree (``tree_peak_pss_mib``,
    sampled each second by bench.release) when measured; else on an upper bound, the main
    process's peak RSS plus each validation child's (forked: one process fewer than
    ``validation_processes``) as if at their peaks at once, the graph's pages they share with
    the main process counted twice."""
    build = size.get("build", {})
    main = build.get("peak_rss_mib")
    if main is None:
        return None
    child = build.get("children_peak_rss_mib", 0)
    children = max(build.get("validation_processes", 1) - 1, 0)
    rss = f"main {main:,.0f}" + (
        f" + {children} × child {child:,.0f}" if child and children else ""
    )
    bound = main + (child * children if child else 0)
    pss = build.get("tree_peak_pss_mib")
    if pss:
        return Reading(pss, f"PSS {pss:,.0f} MiB (RSS: {rss})")
    return Reading(bound, f"≤ {bound:,.0f} MiB (RSS: {rss}; PSS not measured)")


def server_memory(size: dict) -> Reading | None:
    """Judged on PSS (each shared page counted once) when measured, else on the summed RSS."""
    rss, pss = ours(size).get("rss_mib"), ours(size).get("pss_mib")
    if rss is None and pss is None:
        return None
    if pss is None:
        return Reading(rss, f"RSS {rss:.0f} MiB (PSS not measured)")
    shown = f"PSS {pss:.0f} MiB" + (f", RSS {rss:.0f} MiB" if rss is not None else "")
    return Reading(pss, shown)


def deref_p50(size: dict) -> Reading | None:
    single = run(size, OURS, "deref", "1")
    if single is None or not single["requests"]:
        return None
    if single["errors"]:
        return Reading(None, errors_of(single), failed=True)
    return Reading(single["p50_ms"], f"{single['p50_ms']:.2f} ms")


STOPPED_BY_A_LIMIT = (503, 422)
"""The deadline's answer, the memory cap's (docs/sparql.md)."""


def runaway_answer(size: dict) -> Reading | None:
    """Stopped by a limit, with a sentence: 503 at the deadline, or 422 when the query worker's
    memory cap stops it first (the cartesian query grows its intermediate result until one of
    them does; either is the designed answer). The seconds past the deadline (judged < 1 s):
    a stop at the memory cap comes before it. Any other status, or no sentence, is a miss."""
    found = ours(size).get("runaway", {}).get(RUNAWAY)
    if not found:
        return None
    status, seconds = found.get("status"), found.get("seconds", 0.0)
    shown = f"HTTP {status} after {seconds:.2f} s (limit {found['limit_s']:g} s)"
    if status == 422:
        shown += ", memory cap"
    if status not in STOPPED_BY_A_LIMIT or not found.get("message", "").strip():
        return Reading(None, shown, failed=True)
    return Reading(seconds - found["limit_s"], shown)


def runaway_kept(size: dict) -> Reading | None:
    found = ours(size).get("runaway", {}).get(RUNAWAY)
    return None if not found else Reading(found["kept"], f"{found['kept']:.0%}")


def deref_ratio(size: dict) -> Reading | None:
    mine, raw = run(size, OURS, "deref", "32"), run(size, RAW, "deref", "32")
    if mine is None or raw is None or not raw["requests"] or raw["errors"]:
        return None
    if mine["errors"]:
        return Reading(None, errors_of(mine), failed=True)
    ratio = mine["requests_per_s"] / raw["requests_per_s"]
    return Reading(ratio, f"{ratio:.1f}×")


def answers_agree(size: dict) -> Reading | None:
    """Every query ours answered has the embedded engine's result count (1 = yes)."""
    expected, latency = size.get("reference", {}), ours(size).get("latency")
    if not latency:
        return None
    wrong = [
        row["query"]
        for row in latency
        if row["rows"] is not None
        and expected.get(row["query"]) is not None
        and row["rows"] != expected[row["query"]]
    ]
    if wrong:
        return Reading(0, f"differ on {', '.join(wrong)}")
    return Reading(1, f"{sum(r['rows'] is not None for r in latency)} queries agree")


# ---- the targets ----------------------------------------------------------------------------

MIB_600 = Bound(600, "< 600 MiB")
TARGETS = [
    Target(
        "per-query overhead over raw Oxigraph, p50 (median of the light queries)",
        {"*": Bound(0.5, "< 0.5 ms")},
        overhead,
    ),
    *(
        Target(
            f"SPARQL mix ÷ raw Oxigraph, {clients} client{'s' if clients != '1' else ''}",
            {"*": Bound(0.9, "≥ 0.9×", below=False), "10M": None},
            mix_ratio(clients),
        )
        for clients in ("1", "8", "32")
    ),
    Target(
        "cold start to first dereference", {"*": Bound(0.5, "< 0.5 s")}, seconds_of("first_deref_s")
    ),
    Target(
        "cold start to first SPARQL answer", {"*": Bound(1, "< 1 s")}, seconds_of("cold_start_s")
    ),
    Target(
        "build + validate (bench.release, wall)",
        {"1M": Bound(90, "< 90 s"), "10M": Bound(1800, "< 30 min")},
        build_seconds,
    ),
    Target(
        "build peak memory (the process tree: PSS, else RSS summed)",
        {"1M": Bound(3 * 1024, "< 3 GiB"), "10M": Bound(12 * 1024, "< 12 GiB")},
        build_peak,
    ),
    Target(
        "server memory after the runs (whole process tree)",
        {"*": MIB_600, "10M": Bound(1024, "< 1 GiB")},
        server_memory,
    ),
    Target("dereferencing p50, 1 client", {"*": Bound(3, "< 3 ms")}, deref_p50),
    Target(
        f"runaway query ({RUNAWAY}) stopped by the deadline (503) or the memory cap (422)",
        {"*": Bound(1, "stopped within limit + 1 s, with a sentence")},
        runaway_answer,
    ),
    Target(
        "dereferencing kept during the runaway query",
        {"*": Bound(0.5, "≥ 50 %", below=False)},
        runaway_kept,
    ),
    Target(
        "dereferencing ÷ raw Oxigraph's CONSTRUCT q14, 32 clients",
        {"*": Bound(0.5, "≥ 0.5×", below=False)},
        deref_ratio,
    ),
    Target(
        "result counts equal the embedded engine's",
        {"*": Bound(1, "all", below=False)},
        answers_agree,
    ),
]


def table(sizes: list[dict]) -> str:
    """The targets table of a run: figure, target, then one column per size."""
    names = [size["size"] for size in sizes]
    lines = [
        "| figure | target | " + " | ".join(names) + " |",
        "| --- | --- |" + " --- |" * len(names),
    ]
    for target in TARGETS:
        cells = " | ".join(target.cell(size) for size in sizes)
        lines.append(f"| {target.figure} | {target.written()} | {cells} |")
    return "\n".join(lines)


def verdict_table(rows: list[tuple[str, Bound, float | None, str]]) -> str:
    """A stage's own targets (the soak's, the fuzzing's): figure, target, what was measured,
    met or missed; ``None`` for a figure not measured."""
    lines = ["| figure | target | measured | |", "| --- | --- | --- | --- |"]
    for figure, bound, value, shown in rows:
        if value is None:
            lines.append(f"| {figure} | {bound.text} | {NOT_MEASURED} | – |")
            continue
        lines.append(
            f"| {figure} | {bound.text} | {shown} | {MET if bound.met(value) else MISSED} |"
        )
    return "\n".join(lines)
