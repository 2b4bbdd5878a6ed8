"""A generated dataset → a release our server serves unchanged, timed stage by stage.

Usage::

    python -m bench.release bench/data/100k            # → bench/data/100k/var/current
    python -m bench.release --size 10M                 # generates bench/data/10M first if needed
    MAILLAGE_VAR_DIR=bench/data/100k/var .venv/bin/maillage serve

It runs the stages of the real build on the generated graph, with the project's own code: sort
the N-Quads (the default graph's lines, then the claims' by graph, as ``rdfio.quads`` sorts
them), write every dump from the sorted files with pyoxigraph (the JSON-LD compacted node by
node as ``rdfio.to_jsonld`` does), build the rdflib default graph, validate it with our shapes
(pyshacl, with the ontology and concepts as the build gives them), the vocabulary files, the
conflicts, the search index, VoID, then ``publish`` with ``create_store`` loading the N-Quads
file. Nothing holds the quads: the dumps are streamed to disk (``rdfio.write_dump``, published
as ``rdfio.FileOnDisk``) and the store is bulk-loaded from the file, so what a stage holds is
the rdflib graph (let go before the store) or the sorted lines, never both: that is what makes
a 10M release fit in 12 GiB. A violation stops it, as it stops the build. It prints (and writes
to ``release-timings.json`` beside the dataset) the seconds, CPU seconds, RSS and peak RSS of
each stage, and the peak PSS summed over the process and its children (``tree_peak_pss_mib``:
the validation's forked processes share the graph's pages, which their RSS counts again).
Settings come from the environment (``MAILLAGE_VALIDATION_PROCESSES``…).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import itertools
import json
import os
import resource
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path

import psutil
import pyoxigraph as ox
from rdflib import RDF, Graph, Literal, URIRef

from bench.generate import SIZES, generate
from maillage.build import (
    conflict_quads,
    ontology_paths,
    release_description,
    shape_paths,
    vocabulary_files,
)
from maillage.errors import ValidationFailed
from maillage.layout import ALL_NQUADS, EXAMPLES, NETWORK, PENDING_RELEASE_ID, SEARCH_INDEX
from maillage.namespaces import MLG
from maillage.pipeline import readme
from maillage.pipeline.changes import changes_since_live, in_default_graph
from maillage.pipeline.network import network_file
from maillage.pipeline.release import publish, release_id
from maillage.pipeline.search_index import search_database
from maillage.pipeline.validation import load_shapes, validate_graph
from maillage.rdfio import FileOnDisk, serialise, write_dump, write_jsonld
from maillage.settings import Settings
from maillage.store import STORE_DIR, create_store

DATASET_FILE = "maillage-all.nq"
DATA = Path(__file__).parent / "data"
TIMINGS_FILE = "release-timings.json"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
MIB = 1024 * 1024
CHILDREN = resource.RUSAGE_CHILDREN
FORKED_VALIDATION_MAX_TRIPLES = 2_000_000
"""Past this many default-graph triples the validation runs in one process whatever
``validation_processes`` says: a forked child copies every page of the graph it reads (Python's
reference counts write to each object read); at 10M the tree's PSS rose by 10 MiB/s on its way
past 12 GiB (docs/performance.md « A 10M release »)."""


# ---- measuring ------------------------------------------------------------------------------


def reset_peak_rss() -> bool:
    """Reset the kernel's high-water mark of this process's RSS (Linux), so each stage gets
    its own peak; False where that is not allowed (peaks are then cumulative)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_rss_mib() -> float:
    with contextlib.suppress(OSError):
        for text in Path("/proc/self/status").read_text().splitlines():
            if text.startswith("VmHWM:"):
                return int(text.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process and of its children that ended (the validation's)."""
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def children_peak_rss_mib() -> float:
    """The largest peak RSS of a child process that ended (0 if none)."""
    return resource.getrusage(CHILDREN).ru_maxrss / 1024


def pss_kib(pid: int) -> int:
    """A process's proportional set size (pages shared with others divided among them), 0
    when it is gone or the kernel does not say."""
    with contextlib.suppress(OSError, ValueError):
        for text in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if text.startswith("Pss:"):
                return int(text.split()[1])
    return 0


class TreePss:
    """The summed PSS of this process and its children (the validation's), sampled every
    ``period`` seconds on a thread: what the release really takes, the pages the children
    share with the main process after the fork counted once (their RSS counts them again)."""

    def __init__(self, period: float = 1.0) -> None:
        self.process, self.period, self.peak_kib = psutil.Process(), period, 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def sample(self) -> int:
        with contextlib.suppress(psutil.Error):
            pids = [self.process.pid, *(c.pid for c in self.process.children(recursive=True))]
            found = sum(pss_kib(pid) for pid in pids)
            self.peak_kib = max(self.peak_kib, found)
            return found
        return 0

    def _sample(self) -> None:
        while not self.stopped.wait(self.period):
            self.sample()

    def take_peak_mib(self) -> float:
        """The peak since the last call (then reset), in MiB."""
        self.sample()
        peak, self.peak_kib = self.peak_kib, 0
        return round(peak / 1024, 1)

    def stop(self) -> None:
        self.stopped.set()


class Stages:
    """Per-stage wall-clock seconds, CPU seconds (on a shared machine, the figure that does not
    depend on the others' load), RSS at the end, peak RSS during the stage, and the peak PSS
    summed over the process and its children (sampled each second)."""

    def __init__(self) -> None:
        self.figures: dict[str, dict[str, float]] = {}
        self.process = psutil.Process()
        self.tree = TreePss()

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        reset_peak_rss()
        self.tree.take_peak_mib()
        start, cpu = time.perf_counter(), cpu_seconds()
        yield
        self.figures[name] = {
            "seconds": round(time.perf_counter() - start, 3),
            "cpu_seconds": round(cpu_seconds() - cpu, 3),
            "rss_mib": round(self.process.memory_info().rss / MIB, 1),
            "peak_rss_mib": round(peak_rss_mib(), 1),
            "tree_peak_pss_mib": self.tree.take_peak_mib(),
        }


# ---- the stages -----------------------------------------------------------------------------


@dataclasses.dataclass
class Dataset:
    """The generated quads, sorted as ``rdfio.quads`` sorts them for the real build."""

    default: list[ox.Quad]
    named: list[ox.Quad]


def load_dataset(path: Path) -> Dataset:
    """Parse the N-Quads as written (a store would rewrite ``xsd:nonNegativeInteger`` literals
    as ``xsd:integer``: Oxigraph canonicalises numeric datatypes)."""
    default, named = [], []
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
        (default if isinstance(quad.graph_name, ox.DefaultGraph) else named).append(quad)
    default.sort(key=str)
    named.sort(key=lambda q: (q.graph_name.value, str(q)))
    return Dataset(default, named)


def default_graph(quads: Dataset | Iterable[ox.Quad]) -> Graph:
    """The default graph as an rdflib ``Graph`` (what pyshacl and VoID read), terms as rdflib's
    parsers make them (``xsd:string`` literals plain)."""
    graph, names = Graph(), {}

    def node(term):
        if isinstance(term, ox.NamedNode):
            found = names.get(term.value)
            if found is None:
                found = names[term.value] = URIRef(term.value)
            return found
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=node(term.datatype))

    for quad in quads.default if isinstance(quads, Dataset) else quads:
        graph.add((node(quad.subject), node(quad.predicate), node(quad.object)))
    return graph


@dataclasses.dataclass
class SortedDataset:
    """The dataset's lines sorted, in two N-Quads files: the default graph's (sorted as text,
    which is how ``rdfio.quads`` sorts quads: a line is the quad's text and ``" ."``), and the
    claims' (by graph IRI, then as text)."""

    default: Path
    named: Path

    def default_quads(self) -> Iterator[ox.Quad]:
        return ox.parse(path=str(self.default), format=ox.RdfFormat.N_QUADS)

    def named_quads(self) -> Iterator[ox.Quad]:
        return ox.parse(path=str(self.named), format=ox.RdfFormat.N_QUADS)

    def all_quads(self) -> Iterator[ox.Quad]:
        return itertools.chain(self.default_quads(), self.named_quads())


def graph_of(line: bytes) -> bytes:
    """The graph IRI of a named-graph N-Quads line (its last term before the '.', without its
    angle brackets: ``<a>`` sorts after ``<a-b>``, ``a`` before ``a-b``, as the IRIs sort)."""
    return line[: line.rindex(b".")].rstrip().rsplit(b" ", 1)[1].strip(b"<>")


def sort_dataset(path: Path, directory: Path) -> SortedDataset:
    """Sort the N-Quads file's lines into ``directory`` (its lines are held while sorting: 2 GB
    at 10M, and nothing else is)."""
    default: list[bytes] = []
    named: list[bytes] = []
    with path.open("rb") as handle:
        for line in handle:
            if line.strip() and not line.startswith(b"#"):
                line = line.rstrip(b"\r\n") + b"\n"
                (default if in_default_graph(line) else named).append(line)
    found = SortedDataset(directory / "default.nq", directory / "named.nq")
    default.sort()
    _write_lines(found.default, default)
    del default
    named.sort(key=lambda line: (graph_of(line), line))
    _write_lines(found.named, named)
    return found


def _write_lines(path: Path, lines: list[bytes]) -> None:
    with path.open("wb") as handle:
        handle.writelines(lines)


def vocabulary(settings: Settings) -> Graph:
    graph = Graph()
    for path in ontology_paths(settings):
        graph.parse(path)
    return graph


def dump_writers(base: str, directory: Path) -> dict[str, Callable[[SortedDataset], FileOnDisk]]:
    """Every data dump of a release, written as ``build.release_files`` writes them, but
    streamed from the sorted files into ``directory``."""
    fmt = ox.RdfFormat

    def dump(name: str, quads: str, form: ox.RdfFormat, packed: bool = False):
        return lambda d: write_dump(directory / name, getattr(d, quads)(), form, base, packed)

    return {
        "maillage.ttl": dump("maillage.ttl", "default_quads", fmt.TURTLE),
        "maillage.jsonld": lambda d: write_jsonld(
            directory / "maillage.jsonld", d.default_quads(), base
        ),
        "maillage.nt.gz": dump("maillage.nt.gz", "default_quads", fmt.N_TRIPLES, True),
        "maillage-all.trig": dump("maillage-all.trig", "all_quads", fmt.TRIG),
        "maillage-all.nq.gz": dump("maillage-all.nq.gz", "all_quads", fmt.N_QUADS, True),
    }


def conflicts_markdown(default: Graph) -> bytes:
    conflicts = sorted(str(c) for c in default.subjects(RDF.type, MLG.Conflict))
    lines = ["# Conflicts between documents", "", f"{len(conflicts)} conflicts (synthetic data)."]
    return "\n".join([*lines, "", *(f"- <{iri}>" for iri in conflicts)]).encode() + b"\n"


def mentions(named: Dataset | Iterable[ox.Quad]) -> Iterator[tuple[str, str]]:
    """The IRIs each claim's graph names (what the search index attaches its quote to)."""
    for quad in named.named if isinstance(named, Dataset) else named:
        for term in (quad.subject, quad.object):
            if isinstance(term, ox.NamedNode):
                yield quad.graph_name.value, term.value


def count_claims(default: Graph) -> int:
    return sum(1 for _ in default.subjects(RDF.type, MLG.Claim))


def release(dataset_dir: Path, var_dir: Path | None = None) -> dict:
    """Build, validate and publish the dataset in ``dataset_dir``; returns the figures."""
    settings = Settings.from_env(var_dir=var_dir or dataset_dir / "var")
    scratch = settings.var_dir / f".bench-release-{os.getpid()}"  # beside the releases: the
    scratch.mkdir(parents=True)  # dumps written there are moved into the release, not copied
    try:
        return released(settings, dataset_dir / DATASET_FILE, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def released(settings: Settings, nquads: Path, scratch: Path) -> dict:
    base, stages = settings.base_iri, Stages()
    with stages.stage("sort"):
        dataset = sort_dataset(nquads, scratch)
    files: dict[str, bytes | FileOnDisk] = {}
    for name, write in dump_writers(base, scratch).items():
        with stages.stage(f"dump {name}"):
            files[name] = write(dataset)
    with stages.stage("rdflib graph"):
        default = default_graph(dataset.default_quads())
    processes = validation_processes(settings, len(default))
    with stages.stage("validate"):
        shapes, ontology = load_shapes(shape_paths(settings)), vocabulary(settings)
        validation = validate_graph(default, shapes, ontology, processes)
    if not validation.conforms:
        raise ValidationFailed(validation.text)
    with stages.stage("vocabulary files"):
        files.update(vocabulary_files(settings, ontology, validation))
    with stages.stage("conflicts"):
        files["conflicts.ttl"] = serialise(conflict_quads(default, base), ox.RdfFormat.TURTLE, base)
        files["conflicts.md"] = conflicts_markdown(default)
    with stages.stage("search index"):
        files[SEARCH_INDEX] = search_database(default, ontology, mentions(dataset.named_quads()))
    with stages.stage("network"):
        files[NETWORK] = network_file(default)
    with stages.stage("changes"):
        changes = changes_since_live(settings.var_dir, files[ALL_NQUADS], base)
    with stages.stage("void"):
        files[EXAMPLES] = readme.examples_file(readme.read(settings.checkout))
        claims = count_claims(default)
        describe = partial(release_description, settings, default, claims, changes=changes)
        files.update(describe(files, PENDING_RELEASE_ID))
        identity = release_id(files)
        files.update(describe(files, identity))
    triples, warnings = len(default), validation.warnings
    del default, describe, validation  # the store is built from the file: the graph is let go
    gc.collect()
    with stages.stage("publish + store"):
        directory = publish(
            files,
            settings.var_dir,
            identity,
            lambda staging: create_store(staging / STORE_DIR, nquads),
        )
    stages.tree.stop()
    return summary(stages, directory, triples, warnings, processes)


def validation_processes(settings: Settings, triples: int) -> int:
    """The settings' ``validation_processes``, but one past
    :data:`FORKED_VALIDATION_MAX_TRIPLES`."""
    return settings.validation_processes if triples <= FORKED_VALIDATION_MAX_TRIPLES else 1


def shown(directory: Path) -> str:
    """The release directory relative to the repository when under it: results are committed,
    and a machine's absolute paths do not belong in them."""
    resolved = directory.resolve()
    root = Path(__file__).resolve().parent.parent
    return str(resolved.relative_to(root)) if resolved.is_relative_to(root) else resolved.name


def summary(stages: Stages, directory: Path, triples: int, warnings: int, processes: int) -> dict:
    return {
        "release": directory.name,
        "directory": str(directory),
        "default_graph_triples": triples,
        "violations": 0,
        "warnings": warnings,
        "total_seconds": round(sum(f["seconds"] for f in stages.figures.values()), 3),
        "cpu_seconds": round(sum(f["cpu_seconds"] for f in stages.figures.values()), 3),
        "peak_rss_mib": max(f["peak_rss_mib"] for f in stages.figures.values()),
        "tree_peak_pss_mib": max(f["tree_peak_pss_mib"] for f in stages.figures.values()),
        "validation_processes": processes,
        "children_peak_rss_mib": round(children_peak_rss_mib(), 1),
        "stages": stages.figures,
    }


def main(argv: list[str] | None = None, report: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.release", description=__doc__.split("\n")[0]
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "dataset", type=Path, nargs="?", help="a directory written by bench.generate"
    )
    where.add_argument(
        "--size",
        choices=sorted(SIZES),
        help="generate bench/data/SIZE first (seed 1) when it is not there, then release it",
    )
    parser.add_argument("--var", type=Path, help="where releases go (default: DATASET/var)")
    args = parser.parse_args(argv)
    if args.size:
        args.dataset = DATA / args.size
        if not (args.dataset / DATASET_FILE).exists():
            generate(args.dataset, SIZES[args.size], 1)
    figures = release(args.dataset, args.var)
    text = json.dumps(figures, indent=1)
    (args.dataset / TIMINGS_FILE).write_text(text + "\n")
    report(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
