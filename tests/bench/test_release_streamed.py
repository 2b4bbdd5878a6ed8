"""The release bench/release.py streams (dumps written from the sorted N-Quads files, the store
bulk-loaded from the file, nothing holding the quads) holds the bytes the real build's writers
give when they hold every quad: the same sort, the same dumps, the same manifest entries; and
its memory figure counts its children (the validation's processes)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from subprocess import PIPE

import pyoxigraph as ox
import pytest

from bench.generate import DATASET_FILE
from bench.release import TreePss, load_dataset
from maillage.rdfio import FileOnDisk, gzipped, serialise, to_jsonld
from maillage.store import create_store

BASE = "https://w3id.org/maillage/"
FMT = ox.RdfFormat


@pytest.fixture(scope="module")
def held(generated) -> dict[str, bytes]:
    """Each dump as the build writes it: every quad held, sorted by ``str``."""
    dataset = load_dataset(generated / DATASET_FILE)
    every = dataset.default + dataset.named
    return {
        "maillage.ttl": serialise(dataset.default, FMT.TURTLE, BASE),
        "maillage.jsonld": to_jsonld(dataset.default, BASE),
        "maillage.nt.gz": gzipped(serialise(dataset.default, FMT.N_TRIPLES, BASE)),
        "maillage-all.trig": serialise(every, FMT.TRIG, BASE),
        "maillage-all.nq.gz": gzipped(serialise(every, FMT.N_QUADS, BASE)),
    }


def test_streamed_dumps_are_the_held_dumps_byte_for_byte(released, held):
    directory = Path(released["directory"])
    for name, data in held.items():
        assert (directory / name).read_bytes() == data, name


def test_manifest_names_the_streamed_dumps_by_their_bytes(released, held):
    entries = json.loads((Path(released["directory"]) / "manifest.json").read_text())["files"]
    for name, data in held.items():
        assert entries[name] == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def test_no_scratch_files_are_left_beside_the_releases(released):
    var = Path(released["directory"]).parent.parent
    assert not [p.name for p in var.iterdir() if p.name.startswith(".bench-release")]


def test_a_file_on_disk_is_sized_and_hashed_as_its_bytes(tmp_path):
    path = tmp_path / "dump.nq"
    path.write_bytes(b"<http://e/s> <http://e/p> <http://e/o> .\n")
    found = FileOnDisk.of(path)
    assert (found.size, found.sha256) == (
        len(path.read_bytes()),
        hashlib.sha256(path.read_bytes()).hexdigest(),
    )


def test_store_loaded_from_the_file_holds_what_the_bytes_give(generated, tmp_path):
    nquads = generated / DATASET_FILE
    create_store(tmp_path / "from-file", nquads)
    create_store(tmp_path / "from-bytes", nquads.read_bytes())
    stores = [ox.Store.read_only(str(tmp_path / name)) for name in ("from-file", "from-bytes")]
    from_file, from_bytes = (set(map(str, store)) for store in stores)
    assert from_file == from_bytes and len(from_file) > 0


def test_the_tree_pss_counts_a_child_process(released):
    """The release's peak PSS sums its children's (validation processes): a child holding
    64 MiB adds them."""
    tree = TreePss(period=60)
    alone = tree.sample()
    hold = "import sys; held = b'x' * (64 << 20); print('held', flush=True); sys.stdin.read()"
    with subprocess.Popen([sys.executable, "-c", hold], stdin=PIPE, stdout=PIPE) as child:
        try:
            assert child.stdout.readline() == b"held\n"
            with_child = tree.sample()
        finally:
            child.stdin.close()
            tree.stop()
    assert with_child - alone >= 60 * 1024
    assert released["tree_peak_pss_mib"] >= released["stages"]["validate"]["tree_peak_pss_mib"] > 0
