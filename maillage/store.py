"""The store adapter: the only module that runs queries on an engine.

A release carries an on-disk Oxigraph store (``store/``, built from ``maillage-all.nq.gz`` when
the release is written) so a server opens it read-only instead of re-parsing the dumps.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

STORE_DIR = "store"


def create_store(directory: Path, nquads: bytes) -> None:
    """Write an on-disk store holding the given N-Quads (all graphs)."""
    store = ox.Store(str(directory))
    store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    store.optimize()
    store.flush()
    del store


def open_read_only(release_dir: Path) -> ox.Store:
    return ox.Store.read_only(str(release_dir / STORE_DIR))
