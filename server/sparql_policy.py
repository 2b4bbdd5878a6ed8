"""What a public SPARQL request may ask, decided before any engine sees the query.

The query is parsed with rdflib's SPARQL 1.1 parser (parsing only: rdflib never evaluates a
public query, since its engine, like pyoxigraph's, would fetch ``SERVICE`` and ``FROM`` IRIs).
Refused, each with a sentence saying why: a query longer than ``query_max_chars`` (413), a
syntax error (400, with its line, column and a short expectation: :mod:`maillage.sparql_syntax`),
a prefix declared neither by the query nor by the endpoint (400, listing those it declares), an
update, ``SERVICE`` anywhere, and a
``FROM``/``FROM NAMED``/``default-graph-uri``/``named-graph-uri`` naming a graph that is not
ours. Our graphs are the named graphs of the claims, under ``{base_iri}id/claim/``, and the
default graph (named ``urn:x-rdflib:default`` in a protocol parameter, as rdflib's ``Dataset``
sends it).
"""

from __future__ import annotations

import collections
import dataclasses
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from urllib.parse import urljoin

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.parser import Query, UpdateUnit, expandUnicodeEscapes
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef

from maillage import sparql_syntax
from maillage.identifiers import Base
from maillage.sparql_syntax import PARSER_LOCK
from maillage.store import DEFAULT_GRAPH
from server import errors

DEFAULT_GRAPH_ALIASES = frozenset({"urn:x-rdflib:default"})
"""Protocol graph names taken to mean the store's default graph."""

PARSER_RECURSION_LIMIT = 20_000
"""pyparsing recurses once per triple pattern of a group (about ten frames each): Python's
default limit of 1,000 refuses a group of ~90 patterns, 20,000 parses any query within the
default ``query_max_chars``. Deeper nesting gets a 400 instead."""

CHECKED_QUERIES_KEPT = 1024
"""Allowed queries remembered with their check (at most ``query_max_chars`` each): portals and
crawlers send the same queries again, and parsing one costs 40–50 ms of Python (``bench/``)."""

FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


@dataclasses.dataclass(frozen=True)
class CheckedQuery:
    """A query allowed to run, with its form and the protocol dataset (``None``: the query's)."""

    text: str
    form: str
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


class Policy:
    """The checks, configured with our IRIs (graph namespace and query base), the length cap
    and the prefixes the endpoint declares for every query."""

    def __init__(self, iris: Base, max_chars: int, prefixes: Mapping[str, str]) -> None:
        self.graph_namespace = iris.claim_graphs
        self.query_base = iris.sparql
        self.max_chars = max_chars
        self.prefixes = dict(prefixes)
        self._allowed: collections.OrderedDict[tuple, CheckedQuery] = collections.OrderedDict()
        self._lock = threading.Lock()

    def check_length(self, query: str) -> None:
        if len(query) > self.max_chars:
            raise errors.payload_too_large(
                f"the query has {len(query)} characters; this endpoint accepts at most "
                f"{self.max_chars} (query_max_chars)"
            )

    def protocol_dataset(
        self, default_graph_uris: Sequence[str], named_graph_uris: Sequence[str]
    ) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
        """``default-graph-uri``/``named-graph-uri`` checked; ``(None, None)`` when absent."""
        if not default_graph_uris and not named_graph_uris:
            return None, None
        defaults = tuple(self._graph("default-graph-uri", uri) for uri in default_graph_uris)
        for uri in named_graph_uris:
            self._ours("named-graph-uri", uri)
        return defaults, tuple(named_graph_uris)

    def check(
        self,
        query: str,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> CheckedQuery:
        """The query, allowed to run; raises an HTTPException (400 or 413) saying why not.
        An allowed query is remembered (refusals are not): parsing it again would give the same
        answer, and rdflib's parser takes tens of milliseconds."""
        key = (query, tuple(default_graph_uris), tuple(named_graph_uris))
        checked = self.known(*key)
        if checked is None:
            checked = self._check(*key)
            with self._lock:
                self._allowed[key] = checked
                if len(self._allowed) > CHECKED_QUERIES_KEPT:
                    self._allowed.popitem(last=False)
        return checked

    def known(
        self,
        query: str,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> CheckedQuery | None:
        """The check of a query allowed before, without parsing; None when not remembered."""
        key = (query, tuple(default_graph_uris), tuple(named_graph_uris))
        with self._lock:
            checked = self._allowed.get(key)
            if checked is not None:
                self._allowed.move_to_end(key)
        return checked

    def _check(
        self, query: str, default_graph_uris: tuple[str, ...], named_graph_uris: tuple[str, ...]
    ) -> CheckedQuery:
        self.check_length(query)
        defaults, named = self.protocol_dataset(default_graph_uris, named_graph_uris)
        text = canonical_text(query)
        parsed = parse(text)
        self._check_prefixes(text, parsed)
        refuse_service(parsed[1])
        self._check_dataset_clauses(parsed)
        return CheckedQuery(text, FORMS[parsed[1].name], defaults, named)

    def _graph(self, parameter: str, uri: str) -> str:
        if uri in DEFAULT_GRAPH_ALIASES:
            return DEFAULT_GRAPH
        self._ours(parameter, uri)
        return uri

    def _ours(self, where: str, uri: str) -> None:
        if not uri.startswith(self.graph_namespace):
            raise errors.bad_request(
                f"{where} <{uri}> is not one of this endpoint's graphs: they are the default "
                f"graph and the claim graphs under <{self.graph_namespace}>; this endpoint reads "
                "nothing from elsewhere"
            )

    def _check_prefixes(self, text: str, parsed: ParseResults) -> None:
        names = (node for node in _nodes(parsed) if node.name == "pname")
        used = {str(_field(node, "prefix") or "") for node in names}
        problem = sparql_syntax.undeclared_prefix(text, used, self.prefixes)
        if problem:
            raise errors.bad_request(problem)

    def _check_dataset_clauses(self, parsed: ParseResults) -> None:
        prefixes, base = _prologue(parsed[0], self.query_base, self.prefixes)
        for clause in _field(parsed[1], "datasetClause") or ():
            keyword, iri = (
                ("FROM NAMED", clause["named"])
                if "named" in clause
                else ("FROM", clause["default"])
            )
            self._ours(keyword, _resolve(iri, prefixes, base))


def canonical_text(query: str) -> str:
    """The query as SPARQL reads it, which is the text the policy checks and the engine runs.

    Codepoint escapes (``\\uXXXX``, ``\\UXXXXXXXX``) are expanded, as SPARQL 1.1 §19.2 says
    they are before parsing: pyoxigraph reads an escaped quote inside a string as a character of
    the string, so the original text could hide a ``SERVICE`` inside what rdflib's parser reads as
    a string, and not pyoxigraph. Line ends become ``\\n``: pyoxigraph ends a ``#`` comment at a
    lone ``\\r``, rdflib does not, which could hide a ``SERVICE`` from the policy in a comment.
    """
    try:
        text = expandUnicodeEscapes(query)
        text.encode("utf-8")
    except ValueError as error:  # UnicodeEncodeError included: a lone surrogate
        raise errors.bad_request(f"the query holds an invalid code point escape: {error}") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse(text: str) -> ParseResults:
    """rdflib's parse tree of a query whose escapes are expanded already (expanding twice would
    change it); a 400 with line, column and what was expected if it is not a query."""
    try:
        return _parse_with_room(lambda t: Query.parse_string(t, parse_all=True), text)
    except ParseBaseException:
        if _is_update(text):
            raise errors.the_server_is_read_only() from None
        raise errors.bad_request(
            "SPARQL " + _parse_with_room(sparql_syntax.describe, text)
        ) from None


def refuse_service(tree: CompValue) -> None:
    """400 if a ``SERVICE`` pattern appears anywhere (subqueries, EXISTS, OPTIONAL…)."""
    for node in _nodes(tree):
        if node.name == "ServiceGraphPattern":
            raise errors.bad_request(
                "SERVICE is refused: this endpoint makes no request to other services; "
                "query them directly and combine the results on your side"
            )


def _is_update(text: str) -> bool:
    """Whether ``text`` holds at least one update operation (an empty text is a valid update)."""
    try:
        update = _parse_with_room(lambda t: UpdateUnit.parse_string(t, parse_all=True)[0], text)
    except ParseBaseException:
        return False
    return bool(_field(update, "request"))


def _parse_with_room(parser, text: str):
    if sys.getrecursionlimit() < PARSER_RECURSION_LIMIT:
        sys.setrecursionlimit(PARSER_RECURSION_LIMIT)
    try:
        with PARSER_LOCK:
            return parser(text)
    except RecursionError:
        raise errors.bad_request(
            "the query nests too deeply for this endpoint's parser; flatten it"
        ) from None


def _nodes(value: object) -> Iterator[CompValue]:
    """Every CompValue of a parse tree, depth first, without recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, ParseResults | list | tuple):
            stack.extend(item)


def _prologue(
    prologue: ParseResults, query_base: str, predeclared: Mapping[str, str]
) -> tuple[dict[str, str], str]:
    prefixes = dict(predeclared)
    base = query_base
    for declaration in prologue:
        if declaration.name == "Base":
            base = urljoin(base, str(declaration["iri"]))
        elif declaration.name == "PrefixDecl":
            prefix = _field(declaration, "prefix") or ""
            prefixes[prefix] = urljoin(base, str(declaration["iri"]))
    return prefixes, base


def _resolve(iri: object, prefixes: dict[str, str], base: str) -> str:
    if isinstance(iri, URIRef):
        return urljoin(base, str(iri))
    prefix = _field(iri, "prefix") or ""
    if prefix not in prefixes:
        raise errors.bad_request(f"the prefix '{prefix}:' is used but not declared")
    return prefixes[prefix] + (_field(iri, "localname") or "")


def _field(node: CompValue, name: str) -> object:
    """A field of a parse-tree node or None (``CompValue.get`` returns the key when absent)."""
    return dict.get(node, name)
