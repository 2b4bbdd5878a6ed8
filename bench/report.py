"""The benchmark's table: figures and ratios from one run, result-count disagreements, and the
issue's targets with pass or miss. Written to ``<out>/<run>.md``, ``<out>/<run>.jsonl`` (the
raw record, one line per size) and ``<out>/latest.md``."""

from __future__ import annotations

import argparse
import json
import math
import os
from pathlib import Path

from bench import targets
from bench.release import TIMINGS_FILE

OURS, RAW, PEER, PROXY = "maillage", "oxigraph", "rdflib-endpoint", "nginx"
MIX_NAMES = {
    "deref": "deref (ours: the document; others: the equivalent CONSTRUCT q14)",
    "page": "deref, others' cheapest page (q08 CONSTRUCT: no claims, fewer triples) vs our"
    " document: the raw engines' best case",
    "sparql": "SPARQL mix (no runaway, no naive query)",
    "download": "dump downloads",
}


def write_report(record: dict, out: Path, smoke: bool = False) -> str:
    out.mkdir(parents=True, exist_ok=True)
    table = render(record, smoke)
    (out / f"{record['run']}.md").write_text(table)
    (out / "latest.md").write_text(table)
    with (out / f"{record['run']}.jsonl").open("w") as raw:
        for size in record["sizes"]:
            line = {"run": record["run"], "options": record["options"], **size}
            raw.write(json.dumps(line, sort_keys=True) + "\n")
    return table


def read_record(path: Path) -> dict:
    """A run back from its ``.jsonl`` (one line per size), to render it again."""
    sizes = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    options = sizes[0].get("options", {})
    return {"run": sizes[0]["run"], "options": options, "sizes": sizes}


def render(record: dict, smoke: bool) -> str:
    options = record["options"]
    lines = [f"# Benchmark run {record['run']}" + (" (smoke)" if smoke else ""), ""]
    if options:
        lines.append(
            f"{options['seconds']:g} s per throughput run, clients {options['clients']}, "
            f"{options['runs']} warm runs per query (budget {options['query_budget_s']:g} s "
            f"a query), our query timeout {options['query_timeout_s']:g} s. The machine: "
            f"{os.cpu_count()} cores, shared with the load generator (wrk, one thread)."
        )
    lines += ["", *issue_targets(record)]
    for size in record["sizes"]:
        lines += render_size(size)
    return "\n".join(lines) + "\n"


def issue_targets(record: dict) -> list[str]:
    """Issue 12's figures against their targets, every size of the run in one table
    (bench.targets), and where the build figures come from."""
    lines = ["## Issue 12, target by target", "", targets.table(record["sizes"]), ""]
    for size in record["sizes"]:
        build = size.get("build", {})
        if "release" in build:
            served = " (released alone, not served in this run)" * bool(size.get("released_only"))
            lines.append(
                f"- {size['size']}: build figures of release {build['release']}{served}, from "
                f"its {TIMINGS_FILE} (written {build.get('timings_written', 'at an unknown time')})"
            )
    return [*lines, ""]


def summary(record: dict, out: Path) -> str:
    """What ``bench.run`` prints: the targets table, and where the whole run is kept."""
    kept = out / f"{record['run']}.md"
    return "\n".join(
        [*issue_targets(record), f"The whole run: {kept} (raw: {kept.with_suffix('.jsonl')})"]
    )


def render_size(size: dict) -> list[str]:
    lines = ["", f"## {size['size']}", ""]
    lines += _build(size["build"])
    if size.get("released_only"):
        return [*lines, "Released by its own command, not served in this run.", ""]
    lines += _engines(size)
    lines += _latency(size)
    lines += _overhead(size)
    lines += _throughput(size)
    lines += _runaway(size)
    lines += _search(size)
    lines += _diff(size)
    for name, why in size["skipped"].items():
        lines.append(f"- skipped {name}: {why}")
    return lines


def _search(size: dict) -> list[str]:
    """The search stage (bench.search): search, autocomplete and a reconciliation batch."""
    if "search" not in size:
        return []
    from bench.search import table  # the stage renders its own table

    return [
        "### Search, autocomplete, reconciliation (bench.search, in process)",
        "",
        table(size["search"]),
        "",
    ]


def _diff(size: dict) -> list[str]:
    """The diff stage (bench.diff): what changed with 1 % of the claims changed."""
    if "diff" not in size:
        return []
    from bench.diff import table  # the stage renders its own table

    return ["### What changed between releases (bench.diff)", "", table(size["diff"]), ""]


def _build(build: dict) -> list[str]:
    stages = build.get("stages", {})
    lines = [
        "### Build (bench.release: the build's own stages)",
        "",
        "| stage | s | CPU s | peak RSS MiB |",
    ]
    lines.append("| --- | --- | --- | --- |")
    for name, f in stages.items():
        cpu = f.get("cpu_seconds", 0)
        lines.append(f"| {name} | {f['seconds']:.2f} | {cpu:.2f} | {f['peak_rss_mib']:.0f} |")
    total, peak = build.get("total_seconds", 0), build.get("peak_rss_mib", 0)
    cpu, children = build.get("cpu_seconds", 0), build.get("children_peak_rss_mib", 0)
    lines.append(f"| **total** | **{total:.1f}** | {cpu:.1f} | {peak:.0f} |")
    lines.append(f"| validation children (peak of the largest) | | | {children:.0f} |")
    triples = build.get("default_graph_triples")
    return [*lines, "", f"Default-graph triples: {triples}.", ""]


def _engines(size: dict) -> list[str]:
    lines = [
        "### Engines",
        "",
        "| engine | cold start s: first deref / deref + SPARQL | after the runs, MiB: PSS / RSS |",
        "| --- | --- | --- |",
    ]
    for name, figures in size["engines"].items():
        if "cold_start_s" not in figures:
            continue
        first, both = figures["first_deref_s"], figures["cold_start_s"]
        pss, rss = (_number(figures.get(k), "{:.0f}") for k in ("pss_mib", "rss_mib"))
        lines.append(f"| {name} | {first:.2f} / {both:.2f} | {pss} / {rss} |")
    lines.append("")
    equivalence = size["engines"].get(OURS, {}).get("equivalence")
    if equivalence:
        lines += [
            f"Our description documents hold what the CONSTRUCT q14 returns on the embedded "
            f"engine, but for vocabulary labels (from ontology.ttl, not in the store), for "
            f"{equivalence['equal']} of {equivalence['iris']} sampled IRIs; the CONSTRUCT "
            f"returns {equivalence['share']:.0%} of our triples.",
            "",
        ]
        lines += [f"- differs: {iri}" for iri in equivalence["differing"]]
    return lines


def _number(value, template: str) -> str:
    return "–" if value is None else template.format(value)


def _latency(size: dict) -> list[str]:
    names = [n for n in size["engines"] if "latency" in size["engines"][n]]
    header = "| query | reference rows | " + " | ".join(f"{n} ms (p50 / p99), rows" for n in names)
    lines = ["### Per-query latency, sequential keep-alive client", "", header + " |"]
    lines.append("| --- " * (2 + len(names)) + "|")
    disagreements = []
    by_engine = {n: {q["query"]: q for q in size["engines"][n]["latency"]} for n in names}
    for query, expected in size["reference"].items():
        cells = []
        for name in names:
            found = by_engine[name].get(query)
            cells.append(_latency_cell(found))
            answered = found and found["rows"] is not None and expected is not None
            if answered and found["rows"] != expected:
                disagreements.append(f"{name} {query}: {found['rows']} rows, expected {expected}")
        lines.append(f"| {query} | {expected} | " + " | ".join(cells) + " |")
    lines.append("")
    if disagreements:
        lines += ["Result counts that differ from the embedded engine:", ""]
        lines += [f"- {d}" for d in disagreements]
    else:
        lines.append("Every answered query has the embedded engine's result count.")
    lines.append("")
    for other in (RAW, PEER):
        if other in by_engine and OURS in by_engine:
            lines.append(_geomean_line(by_engine[OURS], by_engine[other], other))
    return [*lines, ""]


def _geomean_line(ours: dict, other: dict, name: str) -> str:
    """Geometric mean over the queries both answered of our median ÷ theirs."""
    ratios = [
        ours[q]["median_ms"] / other[q]["median_ms"]
        for q in ours
        if q in other and ours[q]["median_ms"] and other[q]["median_ms"]
    ]
    if not ratios:
        return f"- latency ÷ {name}: no query answered by both"
    mean = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    return f"- latency, ours ÷ {name}: geometric mean {mean:.2f}× over {len(ratios)} queries"


def _latency_cell(found: dict | None) -> str:
    if found is None:
        return "–"
    if found["median_ms"] is None:
        return f"{found['status']}"
    return f"{found['median_ms']:.1f} / {found['p99_ms']:.1f}, {found['rows']}"


def _overhead(size: dict) -> list[str]:
    """The overhead stage (bench.overhead): ours − raw Oxigraph at p50, query by query."""
    if "overhead" not in size:
        return []
    from bench.overhead import table  # the stage renders its own table

    return [
        "### Per-query overhead over raw Oxigraph (bench.overhead: both running, alternately)",
        "",
        table(size["overhead"]),
        "",
    ]


def _throughput(size: dict) -> list[str]:
    engines = size["engines"]
    lines = ["### Throughput (wrk, req/s and p50 ms; ratios are ours ÷ theirs)", ""]
    lines.append(
        f"| mix | clients | {OURS} | {PROXY} (2 of ours) | {RAW} | {PEER} | ÷ {RAW} | ÷ {PEER} |"
    )
    lines.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for mix in MIX_NAMES:
        ours_mix = "deref" if mix == "page" else mix
        for clients in _clients(engines, mix):
            ours = _run(engines, OURS, ours_mix, clients)
            proxy = _run(engines, PROXY, mix, clients)
            raw, peer = _run(engines, RAW, mix, clients), _run(engines, PEER, mix, clients)
            lines.append(
                f"| {mix} | {clients} | {_cell(ours)} | {_cell(proxy)} | {_cell(raw)} "
                f"| {_cell(peer)} | {_ratio(ours, raw)} | {_ratio(ours, peer)} |"
            )
    lines += ["", *(f"- {mix}: {what}" for mix, what in MIX_NAMES.items())]
    lines += _drains(engines)
    return [*lines, ""]


def _drains(engines: dict) -> list[str]:
    """Engines still working after the load generator left (they cannot cancel a request)."""
    return [
        f"- {name} was still busy {run['drain_s']:.1f} s after the {mix} run at {clients} clients"
        for name, figures in engines.items()
        for mix, by_clients in figures.get("throughput", {}).items()
        for clients, run in by_clients.items()
        if run.get("drain_s", 0) > 1
    ]


def _clients(engines: dict, mix: str) -> list[str]:
    found = {c for e in engines.values() for c in e.get("throughput", {}).get(mix, {})}
    return sorted(found, key=int)


def _run(engines: dict, name: str, mix: str, clients: str) -> dict | None:
    return engines.get(name, {}).get("throughput", {}).get(mix, {}).get(clients)


def _cell(run: dict | None) -> str:
    """A run with errors shows them; a run where nothing completed is not a speed."""
    if run is None:
        return "–"
    if not run["requests"]:
        return "none completed"
    errors = f" ({run['errors']} errors)" if run["errors"] else ""
    rate = run["requests_per_s"]
    shown = f"{rate:.0f}" if rate >= 10 else f"{rate:.2g}"
    return f"{shown} ({run['p50_ms']:.1f}){errors}"


def _clean(run: dict | None) -> bool:
    return bool(run) and run["requests"] > 0 and not run["errors"]


def _ratio(ours: dict | None, other: dict | None) -> str:
    """Ours ÷ theirs, only when both runs completed requests without errors."""
    if not _clean(ours) or not _clean(other):
        return "–"
    return f"{ours['requests_per_s'] / other['requests_per_s']:.2f}×"


def _runaway(size: dict) -> list[str]:
    runaway = size["engines"].get(OURS, {}).get("runaway", {})
    if not runaway:
        return []
    lines = ["### Runaway queries on our server", ""]
    lines.append(
        "| query | answer | after s | limit s | deref req/s before → during | kept | message |"
    )
    lines.append("| --- | --- | --- | --- | --- | --- | --- |")
    for name, found in runaway.items():
        message = " ".join(found.get("message", "").split())[:90].replace("|", "/")
        message = "(the result)" if found.get("status") == 200 else message
        lines.append(
            f"| {name} | HTTP {found.get('status')} | {found.get('seconds', 0):.2f} "
            f"| {found['limit_s']:g} | {found['deref_before']:.0f} → {found['deref_during']:.0f} "
            f"| {found['kept']:.0%} | {message} |"
        )
    return [*lines, ""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.report", description="Render a run's table again from its .jsonl."
    )
    parser.add_argument("jsonl", type=Path)
    args = parser.parse_args(argv)
    print(write_report(read_record(args.jsonl), args.jsonl.parent))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
