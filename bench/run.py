"""The benchmark: ``python -m bench.run`` (``make bench``), or ``--smoke`` (in ``make test``).

For each size: generate the dataset (``bench.generate``) and release it with the build's own
stages (``bench.release``) unless already done, then start each engine on that release —
our server, the raw ``oxigraph serve-read-only``, rdflib-endpoint, and two of ours behind a
caching nginx (``bench.scaleout``, throughput only) — and measure cold start,
per-query latency and result counts (checked against the embedded engine), throughput at
1, 8 and 32 clients for dereferencing, the SPARQL mix and dump downloads, memory, and the
runaway-query test; the per-query overhead over raw Oxigraph and the SPARQL mix on each,
both running, alternately (``bench.overhead``: the mix's target is judged on this run, the
machine's drift falling on both alike); and, in process, search, autocomplete and a
reconciliation batch (``bench.search``), and the diff of the release with 1 % of its claims
changed (``bench.diff``).
Prints a table of figures and ratios from the same run and writes it to
``bench/results/``. An engine over its time budget at a size is not run at the larger sizes.
Sizes 100k and 1M by default; 10M on its own (``--sizes 10M``, ``make bench SIZES=10M``): ours
and raw Oxigraph only, no diff stage (:data:`SEPARATE_ENGINES`).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import signal
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from bench import diff as diff_stage
from bench import engines, measure, overhead
from bench import search as search_stage
from bench.generate import SIZES, generate
from bench.load import throughput, wrk_path
from bench.release import TIMINGS_FILE, release, shown
from bench.report import summary, write_report
from maillage.store import STORE_DIR

DATA = Path(__file__).parent / "data"
RESULTS = Path(__file__).parent / "results"
ENGINES = ("maillage", "oxigraph", "rdflib-endpoint", "nginx")
"""``nginx``: two of our servers behind Debian's nginx as a caching proxy (bench.scaleout)."""
BASE = "https://w3id.org/maillage/"
SEPARATE_RELEASES = ("10M",)
"""Sizes whose release is built by its own command: the table shows its build figures when
``bench/data/<size>/release-timings.json`` exists, even when the size is not run."""
SEPARATE_ENGINES = ("maillage", "oxigraph")
"""The engines run at such a size (``make bench SIZES=10M``): ours against raw Oxigraph.
rdflib-endpoint would hold the graph in Python (6 GiB at 10M) and is over its time budget from
1M; nginx's two replicas would double the server's memory on a machine the release fills."""
SKIPPED_AT_SEPARATE = {
    "diff": "not run at a separately released size: bench.diff's targets are at 1M (issue 10),"
    " and its sets of lines would hold 3 GiB at 10M",
}
SKOS_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")


@dataclasses.dataclass
class Options:
    sizes: list[str]
    engines: list[str]
    clients: list[int]
    seconds: float
    runs: int
    query_budget_s: float
    engine_budget_s: float
    query_timeout_s: float
    seed: int = 1


def prepared_release(size: str, seed: int) -> tuple[Path, dict, dict]:
    """The release of the generated dataset of ``size`` (built when missing), its sample and
    the build figures."""
    directory = DATA / size
    if not (directory / "dataset.json").exists():
        generate(directory, SIZES[size], seed)
    timings = directory / "release-timings.json"
    current = directory / "var" / "current"
    if not (current / "manifest.json").exists() or not timings.exists():
        figures = release(directory)
        timings.write_text(json.dumps(figures, indent=1))
    sample = json.loads((directory / "sample.json").read_text())
    sample["organisation_label"] = label_of(current, sample["organisations"][0])
    return current.resolve(), sample, json.loads(timings.read_text())


def label_of(release_dir: Path, iri: str) -> str:
    store = ox.Store.read_only(str(release_dir / STORE_DIR))
    for quad in store.quads_for_pattern(ox.NamedNode(iri), SKOS_LABEL, None, ox.DefaultGraph()):
        if quad.object.language == "fr":
            return quad.object.value
    raise ValueError(f"no French label for {iri}")


def measure_engine(engine, options: Options, queries, sample, release_dir, workdir, result):
    """Latency of the mix, throughput, memory; then the runaway queries, last, because the
    other engines cannot stop them and keep a core busy after the client has given up.
    Fills ``result`` as it goes, so what was measured before an :class:`OverBudget` stays."""
    result["cold_start_s"] = round(engine.cold_start_s, 3)
    result["first_deref_s"] = round(engine.first_deref_s, 3)
    light = {n: q for n, q in queries.items() if n not in measure.RUNAWAY}
    heavy = {n: q for n, q in queries.items() if n in measure.RUNAWAY}
    iris = deref_sample(sample)
    result["latency"] = latencies(engine, light, options)
    over = [q["query"] for q in result["latency"] if q["status"].startswith(("over", "no answer"))]
    if over:
        raise measure.OverBudget(f"over the {options.query_budget_s:g} s budget on {over}")
    if engine.name == "maillage":
        result["equivalence"] = measure.description_equivalence(engine, release_dir, iris[:20])
    result["throughput"] = {}
    for name, (paths, accept) in mixes(engine, light, iris, release_dir).items():
        result["throughput"][name] = runs = {}
        for clients in options.clients:
            found = throughput(engine.url, paths, accept, clients, options.seconds, workdir)
            runs[str(clients)] = dataclasses.asdict(found)
            # at most ``clients`` requests were in flight, each within the query budget
            drain_budget = clients * options.query_budget_s
            runs[str(clients)]["drain_s"] = measure.wait_until_idle(engine, drain_budget)
    result["rss_mib"] = round(engine.rss_mib(), 1)
    if hasattr(engine, "pss_mib"):  # bench.engines' proportional measure, where it has one
        result["pss_mib"] = round(engine.pss_mib(), 1)
    if engine.name == "maillage":
        deref = [engine.deref_path(iri) for iri in iris]
        result["runaway"] = {
            name: measure.runaway(engine, query, options.query_timeout_s, deref, workdir)
            for name, query in heavy.items()
        }
    result["latency"] += latencies(engine, heavy, options)


def mixes(engine, light: dict[str, str], iris: list[str], release_dir: Path) -> dict:
    """The request lists of the throughput runs: dereferencing (our documents, the equivalent
    CONSTRUCT elsewhere), the raw engines' cheapest page (q08), the SPARQL mix, downloads."""
    found = {"deref": ([engine.deref_path(iri) for iri in iris], "text/turtle")}
    if engine.name != "maillage":
        found["page"] = ([engine.page_path(iri) for iri in iris], "text/turtle")
    found["sparql"] = ([engine.sparql_path(q) for q in light.values()], measure.MIX_ACCEPT)
    if engine.name == "maillage":
        found["download"] = (download_paths(release_dir), "*/*")
    return found


def measure_scaleout(release_dir: Path, options: Options, sample: dict, workdir: Path) -> dict:
    """Dereferencing and downloads through nginx caching two of our servers (bench.scaleout)."""
    from bench import scaleout  # the scale-out engineer's module; optional until it lands

    iris = deref_sample(sample)
    env = {"MAILLAGE_CLIENT_MAX_CONCURRENT": "256"}
    paths = {
        "deref": ["/" + iri.removeprefix(BASE) + ".ttl" for iri in iris],
        "download": download_paths(release_dir),
    }
    with scaleout.start(release_dir.parent.parent, settings_env=env) as cluster:
        return {
            "throughput": {
                mix: {
                    str(clients): dataclasses.asdict(
                        throughput(cluster.url, listed, "*/*", clients, options.seconds, workdir)
                    )
                    for clients in options.clients
                }
                for mix, listed in paths.items()
            }
        }


def latencies(engine, queries: dict[str, str], options: Options) -> list[dict]:
    found = measure.latencies(engine, queries, options.runs, options.query_budget_s)
    return [dataclasses.asdict(latency) for latency in found]


def deref_sample(sample: dict) -> list[str]:
    kinds = ("organisations", "people", "sites", "events")
    return [iri for kind in kinds for iri in sample.get(kind, [])[:100]]


def download_paths(release_dir: Path) -> list[str]:
    names = json.loads((release_dir / "manifest.json").read_text())["files"]
    small = [n for n in names if n.endswith((".ttl", ".gz", ".jsonld")) and "ontology" not in n]
    return [f"/downloads/{name}" for name in sorted(small)]


def run_size(size: str, options: Options, over_budget: set[str]) -> dict:
    started = time.perf_counter()
    release_dir, sample, build = prepared_release(size, options.seed)
    queries = measure.load_queries(sample)
    build = {**build, "directory": shown(Path(build["directory"]))}  # results are committed
    figures: dict = {"size": size, "build": build, "engines": {}, "skipped": {}}
    figures["build"]["wall_s"] = round(time.perf_counter() - started, 1)
    figures["build"]["timings_written"] = timings_written(DATA / size)
    figures["reference"] = measure.reference_counts(release_dir, queries, options.query_budget_s)
    figures["search"] = search_stage.measure(release_dir, sample, options.runs)
    if size in SEPARATE_RELEASES:
        figures["skipped"].update(SKIPPED_AT_SEPARATE)
    else:
        figures["diff"] = diff_stage.measure(DATA / size, options.seed)
    for name in options.engines:
        if name in over_budget:
            figures["skipped"][name] = "over its time budget at a smaller size"
            continue
        if not runs_at(size, name):
            figures["skipped"][name] = f"not run at {size}: only {', '.join(SEPARATE_ENGINES)}"
            continue
        with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as work:
            run_engine(name, options, (release_dir, sample, queries), figures, Path(work))
        if name in figures["skipped"]:
            over_budget.add(name)
    if {"maillage", "oxigraph"} <= set(options.engines) - over_budget:
        probe = deref_sample(sample)[0]
        smoke = options.runs <= 2
        figures["overhead"] = overhead.measure_overhead(
            release_dir,
            queries,
            probe,
            5 if smoke else overhead.RUNS,
            mix_s=options.seconds if smoke else overhead.MIX_S,
            mix_rounds=1 if smoke else overhead.MIX_ROUNDS,
        )
    return figures


def runs_at(size: str, engine: str) -> bool:
    """Whether ``engine`` is measured at ``size`` (a separately released size: ours and raw
    Oxigraph only)."""
    return size not in SEPARATE_RELEASES or engine in SEPARATE_ENGINES


def released_only(sizes: list[str]) -> list[dict]:
    """The build figures of a release made by its own command and not served in this run (the
    10M: ``python -m bench.release --size 10M``, half an hour), when its timings file exists:
    the table shows them, and every other figure at that size as not measured."""
    found = []
    for size in SEPARATE_RELEASES:
        timings = DATA / size / TIMINGS_FILE
        if size in sizes or not timings.exists():
            continue
        build = json.loads(timings.read_text())
        build["directory"] = shown(Path(build["directory"]))
        build["timings_written"] = timings_written(DATA / size)
        found.append({"size": size, "build": build, "released_only": True, "engines": {}})
    return found


def timings_written(directory: Path) -> str:
    """When the release's timings were written (an earlier run's release is reused)."""
    written = (directory / TIMINGS_FILE).stat().st_mtime
    return datetime.datetime.fromtimestamp(written, datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def run_engine(name: str, options: Options, inputs: tuple, figures: dict, workdir: Path) -> None:
    """Measure one engine into ``figures``; past a budget, say so in ``figures['skipped']``."""
    release_dir, sample, queries = inputs
    env = {"MAILLAGE_QUERY_TIMEOUT_S": str(options.query_timeout_s)}
    begun = time.perf_counter()
    try:
        if name == "nginx":
            figures["engines"][name] = measure_scaleout(release_dir, options, sample, workdir)
            return
        result = figures["engines"].setdefault(name, {})
        probe = deref_sample(sample)[0]
        with engines.started(name, release_dir, workdir, env, probe) as engine:
            measure_engine(engine, options, queries, sample, release_dir, workdir, result)
    except measure.OverBudget as error:
        figures["skipped"][name] = f"stopped: {error}"
    except (RuntimeError, ImportError) as error:
        figures["skipped"][name] = f"not measured: {error}"
    spent = time.perf_counter() - begun
    if spent > options.engine_budget_s:
        figures["skipped"].setdefault(name, f"took {spent:.0f} s, over the engine budget")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", default="100k,1M", help=f"also {', '.join(SEPARATE_RELEASES)}, on its own"
    )
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=5, help="warm runs per query")
    parser.add_argument("--query-budget", type=float, default=60.0, help="seconds per query")
    parser.add_argument("--engine-budget", type=float, default=900.0, help="seconds per engine")
    parser.add_argument("--query-timeout", type=float, default=10.0, help="our server's limit")
    parser.add_argument("--smoke", action="store_true", help="10k, 1 s runs: it cannot rot")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    unknown = set(args.engines.split(",")) - set(ENGINES)
    if unknown:
        parser.error(f"unknown engines {sorted(unknown)}; known: {', '.join(ENGINES)}")
    wrk_path()  # fail now, not after the build, when wrk is missing
    options = Options(
        sizes=["10k"] if args.smoke else args.sizes.split(","),
        engines=args.engines.split(","),
        clients=[int(c) for c in args.clients.split(",")],
        seconds=1.0 if args.smoke else args.seconds,
        runs=2 if args.smoke else args.runs,
        query_budget_s=10.0 if args.smoke else args.query_budget,
        engine_budget_s=args.engine_budget,
        query_timeout_s=2.0 if args.smoke else args.query_timeout,
    )
    signal.signal(signal.SIGTERM, _interrupt)  # stop the engines (finally blocks) on a kill
    over_budget: set[str] = set()
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    record = {"run": stamp, "options": dataclasses.asdict(options), "sizes": []}
    for size in options.sizes:  # the report is rewritten after each size: a cut run keeps them
        record["sizes"].append(run_size(size, options, over_budget))
        write_report(record, args.out, smoke=args.smoke)
    if not args.smoke:
        record["sizes"] += released_only(options.sizes)
        write_report(record, args.out)
    print(summary(record, args.out))
    return 0


def _interrupt(_signal: int, _frame) -> None:
    raise KeyboardInterrupt("SIGTERM")


if __name__ == "__main__":
    raise SystemExit(main())
