"""The validation alone on a generated dataset: SHACL Core in pyshacl as shipped against pyshacl
with our speed-ups (``maillage/pipeline/pyshacl_speedups.py``), back to back in one process on
the same graph, then the build's whole validation (``validate_graph``: Core + the SPARQL
constraints in Oxigraph) with one and with ``--processes`` processes.

    python -m bench.validation bench/data/100k [--processes 2] [--skip-shipped]

Prints CPU seconds (this process and its children: the figure a loaded machine does not move),
wall seconds, whether the two Core reports hold the same findings (and the same text), and the
peak RSS. ``--skip-shipped`` leaves out pyshacl as shipped (about 90 CPU seconds at 1M).
"""

from __future__ import annotations

import argparse
import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

from pyshacl import validate

from bench.release import DATASET_FILE, cpu_seconds, default_graph, load_dataset, vocabulary
from bench.release import peak_rss_mib as peak_mib
from maillage.build import shape_paths
from maillage.pipeline import core_partition as partition
from maillage.pipeline import sparql_constraints as sparql
from maillage.pipeline.validation import findings, load_shapes, ontology_mixed_in, validate_graph
from maillage.settings import Settings


@contextlib.contextmanager
def measured(name: str, rows: list[str]) -> Iterator[None]:
    start, cpu = time.perf_counter(), cpu_seconds()
    yield
    cpu, wall = cpu_seconds() - cpu, time.perf_counter() - start
    rows.append(f"| {name} | {cpu:.2f} | {wall:.2f} | {peak_mib():,.0f} |")


def shipped_core(data, core):
    """pyshacl's SHACL Core as shipped, on the graph in place (as ``validate_core`` runs it)."""
    _conforms, report, text = validate(
        data, shacl_graph=core, inference="none", advanced=True, allow_warnings=True, inplace=True
    )
    return report, text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path, help="a directory holding maillage-all.nq")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--skip-shipped", action="store_true")
    args = parser.parse_args(argv)
    settings = Settings()
    shapes, ontology = load_shapes(shape_paths(settings)), vocabulary(settings)
    data = default_graph(load_dataset(args.dataset / DATASET_FILE))
    print(f"{args.dataset}: {len(data):,} default-graph triples")
    rows = ["| validation | CPU s | wall s | peak RSS MiB so far |", "| --- | --- | --- | --- |"]
    core = sparql.without_sparql_constraints(shapes)
    with ontology_mixed_in(data, ontology) as mixed:
        if not args.skip_shipped:
            with measured("SHACL Core, pyshacl as shipped", rows):
                shipped, shipped_text = shipped_core(mixed, core)
        with measured("SHACL Core, pyshacl with our speed-ups", rows):
            ours, ours_text = partition.validate_core(mixed, core, None)
    for processes in sorted({1, args.processes}):
        with measured(f"validate_graph, {processes} process(es)", rows):
            result = validate_graph(data, shapes, ontology, processes)
    print("\n".join(rows))
    if not args.skip_shipped:
        found = findings(ours)
        same, text = findings(shipped) == found, shipped_text == ours_text
        print(f"Core results: {found.total()}, same findings as shipped: {same}, same text: {text}")
    print(f"validate_graph: {result.violations} violations, {result.warnings} warnings")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
