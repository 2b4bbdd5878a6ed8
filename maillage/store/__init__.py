"""The store adapter: the only module that runs queries on an engine.

A release carries an on-disk Oxigraph store (``store/``, built from ``maillage-all.nq.gz`` when
the release is written) so a server opens it read-only instead of re-parsing the dumps.

Public SPARQL goes through a :class:`QueryEngine`. The one we ship, :class:`QueryRunner`, runs
each query in a worker process holding the store read-only: pyoxigraph cannot cancel a query, so
the deadline is enforced by killing the worker and starting a replacement. Where Linux allows it,
a worker also leaves the network before opening the store (new user and network namespaces), so
a ``SERVICE`` the policy missed could not go out either. Results are serialised
in the worker and counted against the row and byte caps; over a cap is an error, never a cut.
A remote SPARQL 1.1 store (through SPARQLWrapper) can replace it by implementing the same
:meth:`QueryEngine.run`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from maillage.layout import STORE_DIR
from maillage.store.interface import (
    DEFAULT_GRAPH,
    EngineBusy,
    EngineFailure,
    EngineUnavailable,
    Limits,
    QueryEngine,
    QueryError,
    QueryEvaluationError,
    QueryOverMemory,
    QuerySyntaxError,
    QueryTimeout,
    Result,
    ResultTooLarge,
)
from maillage.store.results import GRAPH_MEDIA_TYPES, SOLUTION_MEDIA_TYPES, write_result
from maillage.store.workers import WORKER_START_S, QueryRunner

if TYPE_CHECKING:
    from maillage.settings import Settings

__all__ = [
    "DEFAULT_GRAPH",
    "GRAPH_MEDIA_TYPES",
    "SOLUTION_MEDIA_TYPES",
    "STORE_DIR",
    "WORKER_START_S",
    "EngineBusy",
    "EngineFailure",
    "EngineUnavailable",
    "Limits",
    "QueryEngine",
    "QueryError",
    "QueryEvaluationError",
    "QueryOverMemory",
    "QueryRunner",
    "QuerySyntaxError",
    "QueryTimeout",
    "Result",
    "ResultTooLarge",
    "create_store",
    "open_engine",
    "open_read_only",
    "write_result",
]


def create_store(directory: Path, nquads: bytes | Path) -> None:
    """Write an on-disk store holding the given N-Quads (all graphs): bytes, or a file read as
    it loads (a 10M release's 2 GB are never held)."""
    store = ox.Store(str(directory))
    if isinstance(nquads, Path):
        store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    else:
        store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
    store.optimize()
    store.flush()
    del store


def open_read_only(release_dir: Path) -> ox.Store:
    """The release's store, for reading descriptions (public SPARQL goes through an engine)."""
    return ox.Store.read_only(str(release_dir / STORE_DIR))


def open_engine(
    settings: Settings,
    release_dir: Path,
    workers: int | None = None,
    opened: ox.Store | None = None,
) -> QueryEngine:
    """The engine public queries run on, under the settings' deadline and caps: the remote store
    when ``sparql_endpoint`` is set, else ``workers`` (default ``query_workers``) processes on the
    release's store. ``opened``: that store, already open in this process (the release
    reader's), which the queries run here share (``query_quick_ms``, ``query_idle_ms``)."""
    from maillage.rdfio import prefixes

    limits = Limits.from_settings(settings)
    known = prefixes(settings.base_iri)
    if settings.sparql_endpoint:
        from maillage.store.remote import RemoteEngine

        return RemoteEngine(
            settings.sparql_endpoint,
            limits,
            query_base=settings.iris.sparql,
            graph_namespace=settings.iris.claim_graphs,
            default_graph=settings.sparql_endpoint_default_graph,
            prefixes=known,
        )
    size = settings.query_workers if workers is None else workers
    return QueryRunner(
        release_dir / STORE_DIR,
        limits,
        size,
        settings.iris.sparql,
        known,
        malloc=settings.query_worker_malloc,
        quick_s=settings.query_quick_ms / 1000,
        idle_s=settings.query_idle_ms / 1000,
        recycle_mib=settings.query_worker_recycle_mib,
        quick_store=opened,
    )
