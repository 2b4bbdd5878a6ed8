"""Shared fixtures: a release built once from the repository's real inputs, and a SPARQL store
(pyoxigraph) loaded from its N-Quads dump."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from maillage.build import build_release
from maillage.settings import Settings
from server.app import create_app

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # `bench/` is scripts, not an installed package: tests import it
    sys.path.insert(0, str(REPO))


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    settings = Settings(var_dir=tmp_path_factory.mktemp("var"))
    build, directory = build_release(settings)
    return settings, build, directory


@pytest.fixture(scope="module")
def client(built):
    """The app on the session's release, in process. No lifespan: no query workers start, so a
    module whose routes run SPARQL defines its own client."""
    client = TestClient(create_app(Settings(var_dir=built[0].var_dir)))
    yield client
    client.close()


@pytest.fixture(scope="session")
def release(built) -> Path:
    return built[2]


@pytest.fixture(scope="session")
def store(release) -> ox.Store:
    store = ox.Store()
    data = gzip.decompress((release / "maillage-all.nq.gz").read_bytes())
    store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
    return store


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """A private copy of the build's inputs that the ``maillage`` commands use (``MAILLAGE_ROOT``),
    with its own ``var/`` beside it: for tests that write under ``data/`` or build."""
    from release_queries import copy_inputs

    root = copy_inputs(tmp_path / "repo")
    monkeypatch.setenv("MAILLAGE_ROOT", str(root))
    monkeypatch.setenv("MAILLAGE_VAR_DIR", str(tmp_path / "var"))
    return root


@pytest.fixture
def live_repo(repo, built, monkeypatch) -> Path:
    """``repo`` with the session's release live: what ``maillage ingest`` links mentions to."""
    monkeypatch.setenv("MAILLAGE_VAR_DIR", str(built[0].var_dir))
    return repo


EXCERPT_PARAGRAPHS = (
    "Ensemble, les groupements",
    "Pour Pierre Deniset, président",
    "Le projet de fusion",
)


@pytest.fixture
def excerpt(repo, tmp_path) -> Path:
    """A new article to ingest, real but cut short: three paragraphs of document 003
    (L'Usine Digitale, 2017: the two clusters' presidents, founding dates and members)."""
    from maillage.pipeline.sources import load_documents

    text = load_documents(repo / "data" / "sources")["003"].text
    kept = [line for line in text.split("\n") if line.startswith(EXCERPT_PARAGRAPHS)]
    assert len(kept) == len(EXCERPT_PARAGRAPHS)
    path = tmp_path / "fusion-clusters.txt"
    path.write_text("\n\n".join(kept) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def release_history(tmp_path_factory):
    """Two releases, A then B (B merges a duplicate of A and changes a claim), in their own
    ``var/``, with fixed times in the history (``tests/history.py``)."""
    from history import build_history

    return build_history(tmp_path_factory.mktemp("history"))
