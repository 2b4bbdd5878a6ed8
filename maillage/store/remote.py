"""A :class:`~maillage.store.QueryEngine` over a remote SPARQL 1.1 service, through SPARQLWrapper.

Chosen by the ``sparql_endpoint`` setting; the policy (``server/sparql_policy.py``) has checked
every query before it gets here, so no ``SERVICE``, update or foreign graph reaches the remote,
and the only request ever made is to the configured endpoint.

Same limits and errors as the embedded engine: the remote is asked for SPARQL XML results (or
Turtle for CONSTRUCT/DESCRIBE); the answer is parsed and written again by the embedded engine's
own writer (:func:`maillage.store.write_result`), in the format the client negotiated, so rows
and bytes are counted the same way and every result format is offered whatever the remote
writes. The deadline is the socket timeout of each read *and* a wall-clock bound on the whole
exchange.

The dataset means the same as with the embedded engine. A remote loaded like ours (the dump's
default graph as its default graph: ``oxigraph load``) gets the protocol dataset as given. A
remote whose query default graph is the union of all graphs (Virtuoso) holds our default graph
under an IRI, ``sparql_endpoint_default_graph``; every query is then sent with an explicit
dataset: that graph as the default graph and our claim graphs (listed once at start) as the named
graphs, an empty graph standing for an empty list. The endpoint's predeclared prefixes are sent
as ``PREFIX`` lines before the query, for those the query does not declare itself.
"""

from __future__ import annotations

import concurrent.futures
import functools
import threading
import time
import urllib.error
from collections.abc import Sequence

import pyoxigraph as ox
from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parser import parseQuery
from SPARQLWrapper import CONSTRUCT, POST, SELECT, TURTLE, URLENCODED, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from maillage import formats, sparql_syntax, store

EMPTY_GRAPH = "urn:x-maillage:empty-graph"
"""A graph no remote holds: stands for an empty default graph or an empty list of named graphs."""
CHUNK = 65_536
MESSAGE = 600
"""Characters of a remote's error kept in ours (Virtuoso's echo the whole query)."""
RAW_BYTES_FACTOR = 4
"""The remote's XML may be several times larger than the result we write: it is read up to
``RAW_BYTES_FACTOR × result_max_bytes``, and what we write is held to ``result_max_bytes``."""
SOLUTION_PARSERS = {
    f.media_type: f.results_format for f in formats.RESULT_SYNTAXES if f is not formats.CSV
}
"""What a remote's solutions are read from (CSV loses term kinds: never asked for)."""
GRAPH_PARSERS = {
    **{f.media_type: f.rdf_format for f in formats.RDF_SYNTAXES},
    "application/turtle": formats.TURTLE.rdf_format,  # an old name some stores still send
}
CLAIM_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
"""Every graph (ours are kept by namespace). Not ``SELECT DISTINCT ?g``: Virtuoso 7.2.5 does not
answer it within seconds while it answers this at once."""


class RemoteEngine(store.QueryEngine):
    """Queries sent to ``endpoint``; ``default_graph`` names our default graph on a remote whose
    own default graph is not ours (empty: it is)."""

    def __init__(
        self,
        endpoint: str,
        limits: store.Limits,
        query_base: str,
        graph_namespace: str,
        default_graph: str = "",
        prefixes: dict[str, str] | None = None,
    ) -> None:
        self.endpoint = endpoint
        self._limits = limits
        self._query_base = query_base
        self._graph_namespace = graph_namespace
        self._default_graph = default_graph
        self._prefixes = dict(prefixes or {})
        self._claim_graphs: tuple[str, ...] | None = None
        self._pool = concurrent.futures.ThreadPoolExecutor(8, thread_name_prefix="maillage-remote")
        self._lock = threading.Lock()

    def start(self) -> None:
        """List our claim graphs on the remote once (releases are immutable), when the dataset
        is explicit."""
        if self._default_graph and self._claim_graphs is None:
            self._claim_graphs = self._list_claim_graphs()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def run(
        self,
        query: str,
        media_type: str,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
    ) -> store.Result:
        self.start()
        query = sparql_syntax.with_prefixes(query, self._prefixes)
        dataset = self._dataset(query, default_graph_uris, named_graph_uris)
        pragmas = self._named_graphs() if dataset == ([self._default_graph], []) else ""
        graph = media_type in store.GRAPH_MEDIA_TYPES
        deadline = time.monotonic() + self._limits.timeout_s
        content_type, body = self._exchange(query, graph, dataset, deadline, pragmas)
        return store.Result(media_type, self._write(content_type, body, graph, media_type))

    # ---- the dataset ----------------------------------------------------------------------

    def _dataset(
        self, query: str, defaults: Sequence[str] | None, named: Sequence[str] | None
    ) -> tuple[list[str], list[str]]:
        """The ``default-graph-uri`` and ``named-graph-uri`` lists to send."""
        if defaults is not None or named is not None:
            return self._protocol_dataset(query, defaults or (), named or ())
        if not self._default_graph:
            return [], []
        has_from, has_from_named = dataset_clauses(query)
        if has_from or has_from_named:
            # the remote follows the query's clauses, but an absent FROM NAMED must mean "no
            # named graph" (Virtuoso would take every graph); an absent FROM is empty already
            return [], ([] if has_from_named else [EMPTY_GRAPH])
        return [self._default_graph], []

    def _named_graphs(self) -> str:
        """The claim graphs as the named graphs, in Virtuoso's pragmas. Not as ``named-graph-uri``
        parameters: Virtuoso echoes each in a response header and Python's HTTP client refuses
        a response with more than 100 headers. Not ``input:named-graph-exclude`` of the other
        graphs: Virtuoso then drops them from the default graph too."""
        graphs = self._claim_graphs or (EMPTY_GRAPH,)
        return "".join(f"define input:named-graph-uri <{name}>\n" for name in graphs)

    def _protocol_dataset(
        self, query: str, defaults: Sequence[str], named: Sequence[str]
    ) -> tuple[list[str], list[str]]:
        if self._default_graph and any(dataset_clauses(query)):
            raise store.QueryEvaluationError(
                "this endpoint's remote store merges the query's FROM/FROM NAMED with "
                "default-graph-uri/named-graph-uri instead of letting the parameters override "
                "them; send one or the other"
            )
        return [self._remote_graph(name) for name in defaults] or [EMPTY_GRAPH], list(named) or [
            EMPTY_GRAPH
        ]

    def _remote_graph(self, name: str) -> str:
        if name != store.DEFAULT_GRAPH:
            return name
        if not self._default_graph:
            raise store.QueryEvaluationError(
                "this endpoint's remote store cannot name its default graph in default-graph-uri; "
                "leave out both graph parameters to query the default graph"
            )
        return self._default_graph

    def _list_claim_graphs(self) -> tuple[str, ...]:
        deadline = time.monotonic() + self._limits.timeout_s
        content_type, body = self._exchange(CLAIM_GRAPHS, False, ([], []), deadline)
        solutions = ox.parse_query_results(body, format=_parser(SOLUTION_PARSERS, content_type))
        graphs = (row["g"] for row in solutions)
        names = {g.value for g in graphs if g.value.startswith(self._graph_namespace)}
        return tuple(sorted(name for name in names if _plain_iri(name)))

    # ---- the exchange ---------------------------------------------------------------------

    def _exchange(
        self,
        query: str,
        graph: bool,
        dataset: tuple[list[str], list[str]],
        deadline: float,
        pragmas: str = "",
    ) -> tuple[str, bytes]:
        """The remote's content type and body, within the deadline (a wall-clock bound on top of
        the socket timeout of each read)."""
        client = self._client(f"{pragmas}BASE <{self._query_base}> {query}", graph, dataset)
        future = self._pool.submit(self._fetch, client, deadline)
        try:
            return future.result(timeout=max(0.0, deadline - time.monotonic()))
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise store.QueryTimeout(self._limits.timeout_s) from None

    def _client(
        self, query: str, graph: bool, dataset: tuple[list[str], list[str]]
    ) -> SPARQLWrapper:
        client = SPARQLWrapper(self.endpoint)
        client.setMethod(POST)
        client.setRequestMethod(URLENCODED)
        client.setOnlyConneg(True)
        # set directly: setQuery would guess the form with a regex and warn on a miss
        client.queryString = query
        client.queryType = CONSTRUCT if graph else SELECT
        client.setReturnFormat(TURTLE if graph else XML)
        client.setTimeout(max(1, int(self._limits.timeout_s + 0.999)))
        for name in dataset[0]:
            client.addDefaultGraph(name)
        for name in dataset[1]:
            client.addNamedGraph(name)
        return client

    def _fetch(self, client: SPARQLWrapper, deadline: float) -> tuple[str, bytes]:
        try:
            response = client.query().response
        except QueryBadFormed as error:
            raise store.QuerySyntaxError(
                f"the remote store refused the query: {_body(error)}"
            ) from None
        except SPARQLWrapperException as error:
            raise store.EngineFailure(f"the remote store failed: {str(error)[:MESSAGE]}") from None
        except TimeoutError:
            raise store.QueryTimeout(self._limits.timeout_s) from None
        except (urllib.error.URLError, OSError) as error:
            raise self._connection_error(error) from None
        with response:
            _refuse_partial(response)
            body = self._read(response, deadline)
            return response.headers.get_content_type(), body

    def _read(self, response, deadline: float) -> bytes:
        limit = RAW_BYTES_FACTOR * self._limits.max_bytes
        chunks, size = [], 0
        try:
            while chunk := response.read1(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise store.ResultTooLarge(
                        f"the result is larger than {self._limits.max_bytes} bytes "
                        "(result_max_bytes)"
                    )
                if time.monotonic() > deadline:
                    raise store.QueryTimeout(self._limits.timeout_s)
                chunks.append(chunk)
        except TimeoutError:
            raise store.QueryTimeout(self._limits.timeout_s) from None
        except OSError as error:
            raise self._connection_error(error) from None
        return b"".join(chunks)

    def _connection_error(self, error: OSError) -> store.QueryError:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            return store.QueryTimeout(self._limits.timeout_s)
        return store.EngineFailure(f"the remote store at {self.endpoint} failed: {reason}")

    # ---- writing the answer ---------------------------------------------------------------

    def _write(self, content_type: str, body: bytes, graph: bool, media_type: str) -> bytes:
        outcome = self._try_write(content_type, body, graph, media_type)
        if isinstance(outcome, store.QueryError):
            raise outcome  # raised here, where no frame holds the parsed results any more
        return outcome

    def _try_write(
        self, content_type: str, body: bytes, graph: bool, media_type: str
    ) -> bytes | store.QueryError:
        """The written result, or the error to raise: pyoxigraph's parsed results must be freed
        in the thread that made them, which a traceback kept by a raised error would prevent."""
        try:
            results = (
                _triples(ox.parse(body, _parser(GRAPH_PARSERS, content_type)))
                if graph
                else ox.parse_query_results(body, format=_parser(SOLUTION_PARSERS, content_type))
            )
            return store.write_result(results, media_type, self._limits, self._prefixes)
        except store.QueryError as error:
            return type(error)(str(error))
        except SyntaxError as error:
            return store.EngineFailure(f"the remote store sent an unreadable result: {error}")


@functools.lru_cache(maxsize=1024)
def dataset_clauses(query: str) -> tuple[bool, bool]:
    """Whether the query has a ``FROM`` and a ``FROM NAMED`` clause (rdflib's parser, as the
    policy's; remembered, since the same queries come back)."""
    try:
        tree = parseQuery(query)[1]
    except ParseBaseException:
        return False, False
    # not tree.get(name, default): CompValue.get's second parameter is not a default
    clauses = tree["datasetClause"] if "datasetClause" in tree else ()  # noqa: SIM401
    named = ["named" in clause for clause in clauses]
    return (not all(named), any(named)) if named else (False, False)


def _plain_iri(name: str) -> bool:
    return not any(char in name for char in '<>"{}|^`\\ \n')


def _triples(quads) -> object:
    return (ox.Triple(quad.subject, quad.predicate, quad.object) for quad in quads)


def _parser(parsers: dict, content_type: str):
    if content_type not in parsers:
        raise store.EngineFailure(f"the remote store answered {content_type}, which we cannot read")
    return parsers[content_type]


def _refuse_partial(response) -> None:
    """Virtuoso answers a query stopped by its own time limit with part of the result and a 200
    (an "anytime" result, ``X-SQL-State: S1TAT``): that is a timeout, never an answer."""
    if response.headers.get("X-SQL-State"):
        state = response.headers["X-SQL-State"]
        raise store.EngineFailure(f"the remote store returned a partial result ({state})")


def _body(error: SPARQLWrapperException) -> str:
    text = str(error)
    return text.split("Response:\n", 1)[-1].strip()[:MESSAGE]
