"""The soak's code (``bench/soak.py``, 10 minutes at 32 clients in ``make bench``), run for a few
seconds on the small release of ``mini_release.py`` against a real server (uvicorn on a free
port, the query workers running): every kind of request of the mix is answered, and nothing but
200, 303 and the designed 429 and 503. No speed or memory figure is asserted here: they belong
to ``make bench``.
"""

from __future__ import annotations

import pytest
from mini_release import ALPHA, BASE, BETA, CLAIM_MEMBER, served

from bench import soak

SECONDS = 8.0
CLIENTS = 8


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    with served(tmp_path_factory.mktemp("var"), query_timeout_s=2.0) as url:
        yield url


def small_plan(release_files: list[str]) -> soak.Plan:
    return soak.plan(
        BASE,
        [ALPHA, BETA, CLAIM_MEMBER],
        [
            "SELECT ?o WHERE { ?o a org:Organization }",
            "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
            "ASK { ?s skos:prefLabel ?name }",
        ],
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }",
        [f"/downloads/{name}" for name in release_files],
        [{"q": "Alpha"}, {"q": "bêta"}],
        [{"q": "Al"}],
        [{"q0": {"query": "Alpha", "type": "http://www.w3.org/ns/org#Organization"}}],
    )


def test_every_kind_is_answered_as_designed(base):
    files = ["maillage.ttl", "maillage-all.nq.gz", "void.ttl"]
    tally = soak.soak(base, small_plan(files), SECONDS, CLIENTS)
    report = soak.report(tally, SECONDS, CLIENTS, 0)
    assert not tally.undesigned(), report
    assert not tally.failures, report
    for kind in ("dereference", "page", "sparql", "download", "search", "reconcile"):
        assert tally.answers[(kind, 200)] > 0, report
