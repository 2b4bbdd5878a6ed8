"""What changed between two releases, at scale: the diff of ``maillage/pipeline/changes.py`` on a
generated dataset and a copy of it with 1 % of its claims changed, timed against its targets
(< 60 s, < 2 GiB peak RSS at 1M quads; issue 10).

Usage::

    python -m bench.diff bench/data/1M        # prints seconds and peak RSS against the targets

The previous release's dump is the release's ``maillage-all.nq.gz`` when ``bench.release`` has
built it, the generated ``maillage-all.nq`` otherwise (the same quads). The next one is written
beside it (``diff-bench/next.nq``) by changing one claim in a hundred, chosen with a seeded
random: its quote gets a revision mark, its named graph and the default graph gain a
``skos:note`` on the claim's first subject and its graph loses its last statement, and one of
those claims in ten changes rank. The diff then runs in a child process, as the build runs it:
read both dumps, compare, write ``changes.ttl`` and ``changes.md``; the child's wall-clock time
and peak RSS (its ``VmHWM``) are the figures.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from maillage.layout import ALL_NQUADS
from maillage.pipeline.changes import in_default_graph, read_lines

WORK_DIR = "diff-bench"
SHARE = 0.01
TARGET_SECONDS = 60.0
TARGET_RSS_MIB = 2048.0
BASE = "https://w3id.org/maillage/"
CLAIM_TYPE = (
    b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/maillage/def/Claim>"
)
EXACT = b"<http://www.w3.org/ns/oa#exact>"
RANK = b"<https://w3id.org/maillage/def/rank>"
NOTE = b"<http://www.w3.org/2004/02/skos/core#note>"
NORMAL, PREFERRED = (
    b"<https://w3id.org/maillage/def/NormalRank>",
    b"<https://w3id.org/maillage/def/PreferredRank>",
)


def previous_dump(dataset: Path) -> Path:
    """The release's dump when it was built, the generated N-Quads otherwise."""
    released = dataset / "var" / "current" / ALL_NQUADS
    return released if released.exists() else dataset / "maillage-all.nq"


def chosen_claims(dump: Path, share: float, seed: int) -> set[bytes]:
    """One claim in ``1/share`` (``<iri>`` tokens), seeded."""
    claims = sorted(
        line.split(b" ", 1)[0]
        for line in read_lines(dump)
        if line.split(b" ", 1)[1].startswith(CLAIM_TYPE)
    )
    count = max(1, round(len(claims) * share))
    return set(random.Random(seed).sample(claims, count))


def changed_lines(dump: Path, chosen: set[bytes]) -> Iterator[bytes]:
    """The dump with each chosen claim changed (see the module's docstring)."""
    last: dict[bytes, bytes] = {}
    noted: set[bytes] = set()
    reranked = set(sorted(chosen)[::10])
    for line in read_lines(dump):
        subject, predicate, _rest = line.split(b" ", 2)
        graph = None if in_default_graph(line) else line[:-2].rstrip().rsplit(b" ", 1)[1]
        if graph in chosen:
            if graph not in noted:
                noted.add(graph)
                yield from _note(subject, graph)
            if graph in last:
                yield last[graph]
            last[graph] = line  # held back: the last one is dropped
            continue
        if predicate == EXACT and subject.removesuffix(b"/quote>") + b">" in chosen:
            yield line.replace(b'" .', b' (r\xc3\xa9vis\xc3\xa9)" .', 1)
        elif predicate == RANK and subject in reranked:
            yield line.replace(NORMAL, PREFERRED)
        else:
            yield line


def _note(subject: bytes, graph: bytes) -> Iterator[bytes]:
    note = b'"r\xc3\xa9vis\xc3\xa9 (bench.diff)"@fr'
    yield b" ".join((subject, NOTE, note, graph, b"."))
    yield b" ".join((subject, NOTE, note, b"."))


def write_next(dataset: Path, seed: int) -> tuple[Path, Path, int]:
    """The previous dump, the next one (written once per seed) and how many claims changed."""
    previous = previous_dump(dataset)
    work = dataset / WORK_DIR
    work.mkdir(exist_ok=True)
    target, stamp = work / "next.nq", work / "next.json"
    built_from = {"previous": str(previous), "bytes": previous.stat().st_size, "seed": seed}
    if stamp.exists() and json.loads(stamp.read_text()).get("from") == built_from:
        return previous, target, json.loads(stamp.read_text())["claims_changed"]
    chosen = chosen_claims(previous, SHARE, seed)
    with target.open("wb") as out:
        for line in changed_lines(previous, chosen):
            out.write(line + b"\n")
    stamp.write_text(json.dumps({"from": built_from, "claims_changed": len(chosen)}) + "\n")
    return previous, target, len(chosen)


CHILD = """
import json, sys
from pathlib import Path
from maillage.changelog import changes_quads
from maillage.pipeline.changes import diff_dumps
from maillage.pipeline.changes_markdown import changes_markdown
from maillage.rdfio import serialise
import pyoxigraph as ox
previous, current, out, base = sys.argv[1:]
changes = diff_dumps(Path(previous), Path(current), base)
changes.previous = "previous"
release = base + "releases/next"
quads = changes_quads(changes, release, base + "releases/previous", base)
Path(out, "changes.ttl").write_bytes(serialise(quads, ox.RdfFormat.TURTLE, base))
Path(out, "changes.md").write_text(changes_markdown(changes, "next", base))
peak = next(l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM"))
print(json.dumps({"counts": changes.counts(), "peak_rss_mib": int(peak.split()[1]) / 1024}))
"""


def measure(dataset: Path, seed: int = 1) -> dict:
    """Seconds and peak RSS of the diff of the dataset and its changed copy, with its counts."""
    previous, current, claims = write_next(dataset, seed)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(previous), str(current), str(current.parent), BASE],
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    child = json.loads(done.stdout)
    return {
        "previous": str(previous.relative_to(dataset)),
        "claims_changed_in_input": claims,
        "seconds": round(seconds, 2),
        "peak_rss_mib": round(child["peak_rss_mib"], 1),
        "target_seconds": TARGET_SECONDS,
        "target_rss_mib": TARGET_RSS_MIB,
        "found": child["counts"],
    }


def table(figures: dict) -> str:
    met_time = "met" if figures["seconds"] < figures["target_seconds"] else "not met"
    met_rss = "met" if figures["peak_rss_mib"] < figures["target_rss_mib"] else "not met"
    found = figures["found"]
    return "\n".join(
        [
            f"{figures['claims_changed_in_input']} claims changed in the input; the diff found "
            f"{found['claims_changed']} claims changed, {found['entities_changed']} entities "
            f"changed, {found['conflicts_reranked']} conflicts re-ranked.",
            "",
            "| stage | s | peak RSS MiB | target |",
            "| --- | --- | --- | --- |",
            f"| diff (read both dumps, compare, write changes.ttl and changes.md) "
            f"| {figures['seconds']} | {figures['peak_rss_mib']} "
            f"| < {figures['target_seconds']:g} s ({met_time}), "
            f"< {figures['target_rss_mib']:g} MiB ({met_rss}) |",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.diff", description=__doc__.split("\n")[0]
    )
    parser.add_argument("dataset", type=Path, help="a directory written by bench.generate")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    figures = measure(args.dataset, args.seed)
    (args.dataset / "diff-timings.json").write_text(json.dumps(figures, indent=1) + "\n")
    print(table(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
