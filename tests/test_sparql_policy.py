"""The policy remembers the queries it allowed (parsing one costs tens of milliseconds), and
only those: a refused query is checked, and refused, every time."""

from __future__ import annotations

import pytest
from starlette.exceptions import HTTPException

from maillage.identifiers import Base
from maillage.rdfio import prefixes
from server.sparql_policy import CHECKED_QUERIES_KEPT, Policy

BASE = "https://w3id.org/maillage/"


@pytest.fixture
def policy() -> Policy:
    return Policy(Base(BASE), 20_000, prefixes(BASE))


def test_an_allowed_query_is_remembered_with_its_dataset(policy):
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    assert policy.known(query) is None
    checked = policy.check(query)
    assert policy.known(query) == checked
    claim = f"{BASE}id/claim/x"
    assert policy.known(query, [claim]) is None  # another protocol dataset is another check
    assert policy.check(query, [claim]).default_graphs == (claim,)


def test_a_refused_query_is_not_remembered(policy):
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    for _ in range(2):
        with pytest.raises(HTTPException) as refused:
            policy.check(query)
        assert refused.value.status_code == 400 and "SERVICE" in refused.value.detail
        assert policy.known(query) is None


def test_the_memory_is_bounded(policy):
    first = "ASK { ?s ?p 0 }"
    policy.check(first)
    for n in range(1, CHECKED_QUERIES_KEPT + 1):
        policy.check(f"ASK {{ ?s ?p {n} }}")
    assert policy.known(first) is None
    assert policy.known(f"ASK {{ ?s ?p {CHECKED_QUERIES_KEPT} }}") is not None


def test_queries_checked_at_once_in_threads_are_all_allowed(policy):
    """rdflib's parser is not thread-safe; the policy parses one query at a time."""
    from concurrent.futures import ThreadPoolExecutor

    queries = [
        f"SELECT ?o ?l WHERE {{ ?o a ?t ; ?p ?l . OPTIONAL {{ ?o ?q {n} }} }} ORDER BY ?l LIMIT 5"
        for n in range(40)
    ]
    with ThreadPoolExecutor(8) as pool:
        checked = list(pool.map(policy.check, queries))
    assert [c.form for c in checked] == ["SELECT"] * len(queries)
