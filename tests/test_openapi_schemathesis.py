"""The HTTP API against its own description (issue 12): schemathesis reads ``/openapi.json`` from
a real server (uvicorn on a free port, the query workers running, over the small release of
``mini_release.py``), sends requests generated from it to every operation, and checks every
answer against it: no 5xx, every status code and content type documented, the documented
headers, the ``Allow`` of a 405, schema-invalid input refused. Its run is seeded and bounded
(:data:`EXAMPLES` per operation).

One check is left out, ``positive_data_acceptance`` (a request the schema allows must not get a
4xx): several parameters are languages that JSON Schema cannot state, SPARQL in ``query=`` and
the reconciliation protocol's JSON in ``queries=``, so a schema-valid request is often wrong
SPARQL or JSON and rightly gets 400 with a sentence, which the status code check covers.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from mini_release import served

from maillage.formats import RDF_SYNTAXES

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
EXAMPLES = 25
SEED = 20261206


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    with served(tmp_path_factory.mktemp("var")) as url:
        yield url


def test_every_answer_is_documented(base, tmp_path):
    run = subprocess.run(
        [
            str(SCHEMATHESIS),
            "run",
            f"{base}/openapi.json",
            "--checks",
            "all",
            "--exclude-checks",
            "positive_data_acceptance",
            "--max-examples",
            str(EXAMPLES),
            "--seed",
            str(SEED),
            "--workers",
            "2",
            "--no-color",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = run.stdout[-6000:] + run.stderr[-2000:]
    assert run.returncode == 0, report
    assert "47/47" in run.stdout, report  # every operation was selected and tested


def test_the_description_names_what_linked_data_answers(base):
    described = httpx.get(f"{base}/openapi.json").json()["paths"]["/id/{path}"]["get"]
    answers = described["responses"]
    assert {"200", "301", "302", "303", "304", "400", "404", "406", "410"} <= set(answers)
    rdf = {f.media_type for f in RDF_SYNTAXES}
    assert set(answers["200"]["content"]) == rdf | {"text/html"}  # no application/json
    assert rdf <= set(answers["404"]["content"])
    assert "Location" in answers["303"]["headers"]
    assert "422" not in answers  # FastAPI's validation error: a text path is taken as it comes
    paths = httpx.get(f"{base}/openapi.json").json()["paths"]
    assert "422" in paths["/sitemap/{number}.xml"]["get"]["responses"]  # a number


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        ("/sparql", "GET, HEAD, OPTIONS, POST"),
        ("/reconcile", "GET, HEAD, POST"),  # two routes, one a method: Starlette named one
        ("/catalog", "GET, HEAD"),
        ("/id/org/alpha", "GET, HEAD"),
    ],
)
def test_a_405_names_every_method_of_the_path(base, path, methods):
    reply = httpx.put(f"{base}{path}")
    assert reply.status_code == 405
    assert reply.headers["allow"] == methods


@pytest.mark.parametrize(
    "path", ["/id/%1C", "/def/org%1C", "/timeline/org/%1C", "/timeline/org/a%1C.json"]
)
def test_a_path_that_is_no_iri_is_not_found(base, path):
    """Found by schemathesis: a control character made pyoxigraph refuse the IRI (500)."""
    assert httpx.get(f"{base}{path}").status_code == 404
