"""What an engine is to the server: the interface every engine implements, its limits and the
errors a query can end with (each message is for the client)."""

from __future__ import annotations

import abc
import asyncio
import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from maillage.settings import Settings

DEFAULT_GRAPH = "DEFAULT"
"""Stands for the store's default graph in a list of graph names (not an IRI: no scheme)."""


class QueryError(Exception):
    """A query did not produce a result; the message says why, for the client."""


class QuerySyntaxError(QueryError):
    """The engine's parser refused the query (the message carries the position)."""


class QueryEvaluationError(QueryError):
    """The query parsed but could not be evaluated (an unsupported function, for instance)."""


class ResultTooLarge(QueryError):
    """The result passed ``result_max_rows`` or ``result_max_bytes``."""


class QueryOverMemory(QueryError):
    """The query needed more memory than its worker may hold (``query_worker_memory_mib``)."""

    def __init__(self, memory_mib: int) -> None:
        self.memory_mib = memory_mib
        super().__init__(
            f"query stopped: it needed more than the {memory_mib} MiB of memory a query may use "
            "(query_worker_memory_mib)"
        )


class QueryTimeout(QueryError):
    """The query ran past its deadline and was stopped."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"query stopped: it ran past the {seconds:g} s deadline")


class EngineBusy(QueryError):
    """No engine capacity became free in time."""


class EngineFailure(QueryError):
    """The engine itself failed (a worker died, the store could not be read)."""


class EngineUnavailable(EngineFailure):
    """The engine could not start (its query workers could not open the store); it is tried
    again every ``retry_after_s`` seconds, and a query meanwhile is told so (503)."""

    def __init__(self, reason: str, retry_after_s: int) -> None:
        self.retry_after_s = retry_after_s
        super().__init__(
            f"SPARQL is unavailable: the query workers could not start ({reason}); the server "
            f"tries again every {retry_after_s} s, and its operator should look if this lasts"
        )


@dataclasses.dataclass(frozen=True)
class Result:
    media_type: str
    body: bytes


@dataclasses.dataclass(frozen=True)
class Limits:
    timeout_s: float
    max_rows: int
    max_bytes: int
    memory_mib: int | None = None
    """A worker's memory cap (None: none)."""

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        """The deadline and caps of public queries: ``query_timeout_s``, ``result_max_rows``,
        ``result_max_bytes``, ``query_worker_memory_mib``."""
        return cls(
            settings.query_timeout_s,
            settings.result_max_rows,
            settings.result_max_bytes,
            settings.query_worker_memory_mib,
        )


class QueryEngine(abc.ABC):
    """Runs a read-only SPARQL query and returns its serialised result."""

    @abc.abstractmethod
    def run(
        self,
        query: str,
        media_type: str,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
    ) -> Result:
        """Run ``query`` on the dataset the graph lists name (the store's own when both are
        ``None``) and write the result as ``media_type``, one of ``SOLUTION_MEDIA_TYPES`` for
        SELECT/ASK or ``GRAPH_MEDIA_TYPES`` for CONSTRUCT/DESCRIBE. Raises a :class:`QueryError`.
        """

    async def run_async(
        self,
        query: str,
        media_type: str,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
    ) -> Result:
        """:meth:`run` for the event loop; by default in a thread (the embedded engine waits on
        its workers' pipes from the loop itself)."""
        return await asyncio.to_thread(
            self.run, query, media_type, default_graph_uris, named_graph_uris
        )

    def run_quick(
        self,
        query: str,
        media_type: str,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        idle: bool = False,
    ) -> Result | None:
        """The result at once, without waiting, where the engine knows the query to be quick
        (``idle``: the caller has nothing else to do meanwhile, so a longer query is quick
        enough); None (by default, always) where the query must go through :meth:`run_async`."""
        return None

    def start(self) -> None:  # noqa: B027 - engines without resources need not override it
        """Acquire what the engine needs (processes, connections)."""

    def close(self) -> None:  # noqa: B027
        """Release it."""
