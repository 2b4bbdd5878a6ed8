"""The server over a remote store (oxigraph serve-read-only, Virtuoso 7) answers the example
queries and a query mix with the same results as over the embedded store.

Results are compared as multisets of rows (order is not compared), each term as
(type, value, datatype, language). Normalisations, each a legitimate difference:
- ``GROUP_CONCAT``: the order of the concatenated items is undefined; items are sorted.
- ``xsd:integer`` and ``xsd:decimal`` literals are compared by numeric value: Virtuoso stores
  an integer past 32 bits (8000000000 in our figures) as a decimal and returns it so.
Any other difference is a disagreement, printed; a known wrong answer of an engine is an
``xfail`` that fails if the answer becomes right (strict), with the counts in its reason.
"""

from __future__ import annotations

import collections
import decimal

import pytest
from tests_remote_queries import MIX

from maillage.settings import REPO_ROOT

EXAMPLES = sorted((REPO_ROOT / "docs" / "queries").glob("*.rq"))
QUERIES = {path.stem: path.read_text() for path in EXAMPLES} | MIX
CONCATENATED = {"documents"}
KNOWN_WRONG: dict[tuple[str, str], str] = {
    ("virtuoso", "m06-events-dated-fr"): (
        "Virtuoso 7.2.5 compares xsd:gYearMonth and xsd:gYear start dates with an xsd:date in a "
        "FILTER (a type error in SPARQL 1.1: the row is dropped) and keeps 7 events the "
        "embedded store and oxigraph leave out, 12 rows instead of 5"
    ),
    ("virtuoso", "m10-sub-organisations"): (
        "Virtuoso 7.2.5 answers 500 to a transitive path (org:subOrganizationOf+) with neither "
        "end bound; the embedded store returns 5 rows"
    ),
}
NUMERIC = {f"http://www.w3.org/2001/XMLSchema#{name}" for name in ("integer", "decimal")}
"""(engine, query) → why the remote's answer is wrong."""


def test_the_mix_is_not_empty():
    assert len(EXAMPLES) >= 3 and len(MIX) >= 10


def rows(client, query: str) -> collections.Counter:
    response = client.post(
        "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    if "boolean" in body:
        return collections.Counter([body["boolean"]])
    return collections.Counter(row(binding) for binding in body["results"]["bindings"])


def row(binding: dict) -> frozenset:
    return frozenset((name, term(name, value)) for name, value in binding.items())


def term(name: str, value: dict) -> tuple:
    text = value["value"]
    if value.get("datatype") in NUMERIC:
        return ("numeric", decimal.Decimal(text))
    if name in CONCATENATED:
        text = " ".join(sorted(text.split(" ")))
    return (
        value["type"].replace("typed-literal", "literal"),
        text,
        value.get("datatype"),
        value.get("xml:lang"),
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_same_results_as_the_embedded_store(name, remote, embedded):
    engine, client = remote
    expected = rows(embedded, QUERIES[name])
    if (engine, name) in KNOWN_WRONG:
        response = client.post("/sparql", data={"query": QUERIES[name]})
        if response.status_code != 200:
            pytest.xfail(
                f"{KNOWN_WRONG[engine, name]}: {response.status_code} {response.text[:200]}"
            )
    got = rows(client, QUERIES[name])
    missing, extra = expected - got, got - expected
    report = (
        f"{engine} on {name}: {sum(got.values())} rows against {sum(expected.values())} "
        f"embedded; {sum(missing.values())} missing, {sum(extra.values())} extra; "
        f"first missing {list(missing)[:2]}, first extra {list(extra)[:2]}"
    )
    print(report)
    if (engine, name) in KNOWN_WRONG:
        assert missing or extra, f"{engine} now answers {name} right: drop it from KNOWN_WRONG"
        pytest.xfail(f"{KNOWN_WRONG[engine, name]}: {report}")
    assert not missing and not extra, report
    assert sum(expected.values()) > 0 or name.startswith("ask"), (
        f"{name} returns nothing: it proves nothing"
    )
