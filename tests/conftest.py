"""Shared fixtures: a release built once from the repository's real inputs, and a SPARQL store
(pyoxigraph) loaded from its N-Quads dump."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
import pytest

from maillage.build import build_release
from maillage.settings import Settings


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    settings = Settings(var_dir=tmp_path_factory.mktemp("var"))
    build, directory = build_release(settings)
    return settings, build, directory


@pytest.fixture(scope="session")
def release(built) -> Path:
    return built[2]


@pytest.fixture(scope="session")
def store(release) -> ox.Store:
    store = ox.Store()
    data = gzip.decompress((release / "maillage-all.nq.gz").read_bytes())
    store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
    return store
