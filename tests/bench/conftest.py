"""Fixtures of the benchmark-data tests: a small generated dataset, its release, and the dataset
loaded in pyoxigraph (union of nothing: the default graph is the default graph, as in a release)."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # `bench/` is scripts, not an installed package
    sys.path.insert(0, str(REPO))

from generated_queries import SEED, SIZE  # noqa: E402

from bench.generate import DATASET_FILE, generate  # noqa: E402
from bench.release import release  # noqa: E402


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    generate(out, SIZE, SEED)
    return out


@pytest.fixture(scope="session")
def released(generated) -> dict:
    return release(generated)


@pytest.fixture(scope="session")
def generated_store(generated) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(generated / DATASET_FILE), format=ox.RdfFormat.N_QUADS)
    return store
