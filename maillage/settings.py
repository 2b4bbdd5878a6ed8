"""The one settings object. Nothing else in the project reads the environment.

Every setting has a default, a documentation line (``docs/settings.md`` is checked against this
module by the tests) and is read from ``MAILLAGE_<NAME>`` when set.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path

from maillage.identifiers import Base
from maillage.layout import CURRENT

REPO_ROOT = Path(__file__).resolve().parent.parent
"""Where the package's sources are: the repository in a checkout, ``site-packages`` once
installed from a wheel (then there is no repository)."""
CHECKOUT = REPO_ROOT if (REPO_ROOT / "pyproject.toml").is_file() else None
"""The repository this package runs from, or None for an installed package."""


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names the key."""


@dataclasses.dataclass(frozen=True)
class Settings:
    """Where things are, what the canonical base is, and the limits of the service."""

    base_iri: str = "https://w3id.org/maillage/"
    """Canonical base of every IRI we mint; the ontology is under ``{base_iri}def/``."""
    root: Path | None = CHECKOUT
    """Repository root: sources, claims, curation, reference, ontology and shapes live under it.
    Only building needs it; None (an installed package, no checkout) can still serve."""
    var_dir: Path = (CHECKOUT or Path()) / "var"
    """Releases go to ``var_dir/releases/<id>``; ``var_dir/current`` points at the live one."""
    releases_kept: int = 10
    """How many releases ``var_dir/releases/`` keeps: after each build the oldest beyond this
    number (by the last time they were live) are removed; the live one is never removed."""
    release_dir: Path | None = None
    """The release directory to serve (``maillage serve --release DIR``): a copy of a release
    anywhere, which the server serves with nothing else. None: ``var_dir/current``."""
    host: str = "127.0.0.1"
    """Address the server listens on."""
    port: int = 8000
    """Port the server listens on."""
    public_base: str = ""
    """Address the server answers for the canonical base (``http://HOST:PORT/`` when empty), so a
    local server serves the canonical IRIs under its own address."""
    query_timeout_s: float = 30.0
    """Deadline of one SPARQL query, enforced by killing its worker process."""
    query_max_chars: int = 20_000
    """Longest SPARQL query accepted (characters); longer gets 413 before parsing."""
    result_max_rows: int = 10_000
    """Most solutions or triples one query may return; more is an error, never a truncated 200."""
    result_max_bytes: int = 50_000_000
    """Largest serialised result of one query (bytes); larger is an error, never truncated."""
    sparql_endpoint: str = ""
    """A remote SPARQL 1.1 query service that answers ``/sparql`` instead of the release's
    embedded store (``maillage/store/remote.py``); empty: the embedded store."""
    sparql_endpoint_default_graph: str = ""
    """The IRI under which the remote store holds our default graph, when its own default graph
    is the union of its graphs (Virtuoso); empty: its default graph is ours."""
    query_workers: int = 2
    """Worker processes running SPARQL queries (each opens the store read-only)."""
    query_worker_memory_mib: int = 1024
    """Most memory one query worker may allocate (MiB, its data segment: ``RLIMIT_DATA``); a
    query that needs more is stopped, answered 422, and its worker replaced."""
    query_worker_recycle_mib: int = 160
    """A query worker whose private resident memory (not shared with other processes) is above
    this (MiB) after a query is replaced by a fresh one, which drops what the store keeps per
    handle (caches and table readers: about 120 MiB at 1M, 250 MiB at 10M once warm; a fresh
    worker about 25): the workers' memory stays under ``http_workers × query_workers`` times
    this; 0: never replaced for its size."""
    query_quick_ms: float = 4.0
    """A query whose same text, dataset and format came back from a query worker within this
    (milliseconds, round trip included) is run again in the HTTP worker itself, without the
    round trip; 0: every query goes to a worker."""
    query_idle_ms: float = 0.0
    """The same, up to this (milliseconds), for a query that finds its HTTP worker serving one
    client's requests one after the other (``server.sparql_protocol.Endpoint.idle``): that
    client waits for the query anyway, and the round trip to a worker costs the HTTP worker
    about a millisecond of CPU at one client; 0 (the default: 100 measured no gain on the
    1-client mix, 0.932× raw Oxigraph against 0.933× over 100 s each): only ``query_quick_ms``
    applies."""
    query_worker_malloc: str = "mimalloc"
    """The malloc the query workers use, a library name as ``ctypes.util.find_library`` takes
    it, preloaded (``LD_PRELOAD``) into their forkserver; empty, or not installed: glibc's."""
    client_max_concurrent: int = 4
    """Queries one client address may have running at once; more gets 429 with Retry-After."""
    cache_max_age_s: int = 3600
    """``Cache-Control: max-age`` of descriptions, downloads, the catalogue and VoID; clients
    revalidate with the ETag after it."""
    description_cache_entries: int = 4096
    """Rendered descriptions (one IRI in one format) the server keeps in memory."""
    network_max_nodes: int = 2000
    """The most nodes a view of the network (``/network``) draws: the whole network keeps its
    most connected ones, a neighbourhood its nearest."""
    http_workers: int = 2
    """Server processes answering HTTP on the same socket (one per core). Each has its own query
    workers, description cache and per-client query counts."""
    validation_processes: int = 2
    """Processes pyshacl validates a build in (one per core), each checking a share of the
    shapes on the same graph (forked, so the graph is shared)."""
    reconcile_max_queries: int = 100
    """Most queries in one reconciliation batch (``/reconcile``); a larger batch gets 400."""
    reconcile_max_candidates: int = 25
    """Most candidates one reconciliation query (or suggest) may ask for with ``limit``."""
    reconcile_max_ids: int = 100
    """Most entities in one data extension request (``extend=``)."""
    ingest_max_bytes: int = 10_000_000
    """Largest file ``maillage ingest`` reads (bytes); a larger one is refused before reading."""
    access_log: bool = False
    """Log every request (uvicorn's access log): off by default, it halves the throughput of
    cheap requests; a reverse proxy in front usually logs them."""

    @property
    def checkout(self) -> Path:
        """The repository root, for what only a build reads; an error when there is none."""
        if self.root is None:
            raise SettingsError(
                "MAILLAGE_ROOT is not set and this package is not a checkout: building needs "
                "the repository (serving a release does not)"
            )
        return self.root

    @property
    def sources_dir(self) -> Path:
        return self.checkout / "data" / "sources"

    @property
    def claims_dir(self) -> Path:
        return self.checkout / "data" / "claims"

    @property
    def curation_dir(self) -> Path:
        return self.checkout / "data" / "curation"

    @property
    def reference_dir(self) -> Path:
        return self.checkout / "data" / "reference"

    @property
    def ontology_dir(self) -> Path:
        return self.checkout / "ontology"

    @property
    def shapes_dir(self) -> Path:
        return self.checkout / "shapes"

    @property
    def current_release(self) -> Path:
        """The release the server serves and queries run on."""
        return self.release_dir or self.var_dir / CURRENT

    @property
    def iris(self) -> Base:
        """Our IRIs under ``base_iri``, minted and parsed (``maillage/identifiers.py``)."""
        return Base(self.base_iri)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read ``MAILLAGE_*`` variables; a bad value stops with a sentence naming the key."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for field in dataclasses.fields(cls):
            key = f"MAILLAGE_{field.name.upper()}"
            if key in environ:
                values[field.name] = _convert(key, environ[key], field.type)
        values.update(overrides)
        settings = cls(**values)
        settings.check()
        return settings

    def check(self) -> None:
        if not self.base_iri.startswith(("http://", "https://")) or not self.base_iri.endswith("/"):
            raise SettingsError(
                f"MAILLAGE_BASE_IRI must be an http(s) IRI ending with '/': {self.base_iri!r}"
            )
        if not 0 <= self.port <= 65535:
            raise SettingsError(f"MAILLAGE_PORT must be between 0 and 65535: {self.port}")
        for name in ("query_timeout_s", "query_max_chars", "result_max_rows", "result_max_bytes"):
            if getattr(self, name) <= 0:
                raise SettingsError(f"MAILLAGE_{name.upper()} must be positive")
        for name in (
            "query_workers",
            "query_worker_memory_mib",
            "client_max_concurrent",
            "description_cache_entries",
            "network_max_nodes",
            "http_workers",
            "validation_processes",
            "reconcile_max_queries",
            "reconcile_max_candidates",
            "reconcile_max_ids",
            "ingest_max_bytes",
        ):
            if getattr(self, name) < 1:
                raise SettingsError(f"MAILLAGE_{name.upper()} must be at least 1")
        if self.cache_max_age_s < 0:
            raise SettingsError("MAILLAGE_CACHE_MAX_AGE_S must not be negative")
        for name in ("query_quick_ms", "query_idle_ms", "query_worker_recycle_mib"):
            if getattr(self, name) < 0:
                raise SettingsError(f"MAILLAGE_{name.upper()} must not be negative")
        if self.sparql_endpoint and not self.sparql_endpoint.startswith(("http://", "https://")):
            raise SettingsError(
                f"MAILLAGE_SPARQL_ENDPOINT must be an http(s) URL: {self.sparql_endpoint!r}"
            )
        if self.public_base and not self.public_base.endswith("/"):
            raise SettingsError(f"MAILLAGE_PUBLIC_BASE must end with '/': {self.public_base!r}")

    def export_to_environment(self) -> None:
        """Write every field to its ``MAILLAGE_*`` variable, for the server's worker processes,
        which read their settings from the environment (``server.app.app_from_environment``)."""
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            text = "" if value is None else str(value).lower() if isinstance(value, bool) else value
            os.environ[f"MAILLAGE_{field.name.upper()}"] = str(text)

    @property
    def served_base(self) -> str:
        """Where the canonical base is served: ``public_base`` or this server's own address."""
        return self.public_base or f"http://{self.host}:{self.port}/"


def _convert(key: str, raw: str, kind: object) -> object:
    if kind in ("float", float):
        try:
            return float(raw)
        except ValueError:
            raise SettingsError(f"{key} must be a number, got {raw!r}") from None
    if kind in ("int", int):
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"{key} must be an integer, got {raw!r}") from None
    if kind in ("Path", Path):
        return Path(raw)
    if kind == "Path | None":
        return Path(raw) if raw else None
    if kind in ("bool", bool):
        return _boolean(key, raw)
    return raw


def _boolean(key: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise SettingsError(f"{key} must be true or false, got {raw!r}")
