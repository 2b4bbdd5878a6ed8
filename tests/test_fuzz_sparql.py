"""Fuzzing the SPARQL endpoint (issue 12): a seeded smoke of ``bench.fuzz``, whose 10,000-query
run is a stage of ``make bench``.

Three hundred queries drawn from the grammar strategies and from mutations of the W3C suite, the
same ones every run (fixed seed), are sent to a real server (uvicorn on a free port, the query
workers running pyoxigraph) over a small release. Every answer must be 200 with a body that
parses in the type it says, or 400, 413, 422, 429 or 503 with a sentence saying why.
"""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from sparql_live import live_server, organisation_quads, protocol_quads, write_release

from bench import fuzz
from maillage.settings import Settings

SMOKE_QUERIES = 300
SEED = 12


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    """A server over ~50 quads: a cartesian product of three patterns passes the row cap (422)
    instead of running to the deadline."""
    quads = protocol_quads() + organisation_quads()[:40] + organisation_quads()[-1:]
    var_dir = write_release(tmp_path_factory.mktemp("var"), "\n".join(quads) + "\n")
    settings = Settings(var_dir=var_dir, query_timeout_s=2.0, query_max_chars=2_000)
    with live_server(settings) as base:
        yield base


def test_no_query_gets_an_undesigned_answer(endpoint):
    batch = fuzz.drawn(SMOKE_QUERIES, SEED)
    assert len(batch) == SMOKE_QUERIES
    tally = fuzz.fuzz(endpoint, batch, threads=2)
    assert not tally.problems, tally.report()
    # The drawn queries reach every layer: some run, some are refused by the parser or policy.
    assert tally.statuses[200] >= SMOKE_QUERIES // 5, tally.report()
    assert tally.statuses[400] >= SMOKE_QUERIES // 10, tally.report()


@pytest.mark.parametrize("number", ["-1.5", "-.5", "-25.829"])
def test_a_negative_decimal_is_answered(endpoint, number):
    """The fuzzer's first 500: rdflib's parser, which the policy runs, raised a TypeError on a
    negative decimal (rdflib issue #2962), so any query holding one failed."""
    reply = httpx.get(
        endpoint + "/sparql",
        params={"query": f"SELECT ?x WHERE {{ VALUES ?x {{ {number} }} }}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert reply.status_code == 200, reply.text
    [row] = reply.json()["results"]["bindings"]
    assert row["x"]["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"
    assert Decimal(row["x"]["value"]) == Decimal(number)


@pytest.mark.parametrize(
    ("status", "content_type", "body", "wrong"),
    [
        (500, "text/plain", b"Internal Server Error", "status 500"),
        (404, "application/json", b'{"detail": "not found: x"}', "status 404"),
        (400, "text/plain", b"Bad Request", "without a sentence"),
        (503, "application/json", b'{"detail": ""}', "without a sentence"),
        (200, "application/sparql-results+json", b'{"results": {}}', "without a head"),
        (200, "text/turtle", b"<a> <b> .", "does not parse"),
        (200, "text/html", b"<p>hello</p>", "unexpected media type"),
    ],
)
def test_the_judge_catches_what_breaks_the_rule(status, content_type, body, wrong):
    answer = fuzz.Answer("ASK {}", "GET", "*/*", status, content_type, body)
    assert wrong in (fuzz.judge(answer) or "")


@pytest.mark.parametrize(
    ("status", "content_type", "body"),
    [
        (400, "text/plain", b"SPARQL syntax error at line 1, column 5: expected '{'\n"),
        (503, "application/json", b'{"detail": "query stopped: it ran past the 2 s deadline"}'),
        (200, "application/sparql-results+json", b'{"head": {}, "boolean": true}'),
        (200, "text/turtle; charset=utf-8", b"<http://a> <http://b> <http://c> ."),
    ],
)
def test_the_judge_passes_designed_answers(status, content_type, body):
    assert fuzz.judge(fuzz.Answer("ASK {}", "GET", "*/*", status, content_type, body)) is None
