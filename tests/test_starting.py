"""The early answers of a starting server (server/starting.py): the same bytes and headers as
the whole app for every prepared document and 303, from a module that imports no FastAPI."""

from __future__ import annotations

import subprocess
import sys

import pytest
from fastapi.testclient import TestClient
from mini_release import ALPHA, BASE, BETA, write_release

from maillage.settings import REPO_ROOT, Settings
from server.app import create_app
from server.representations import DESCRIPTIONS, HTML
from server.starting import EarlyApp

IGNORED = {"date", "server"}
PATHS = [iri.removeprefix(BASE) for iri in (ALPHA, BETA)]
ACCEPTS = [None, "text/turtle", "application/ld+json", "*/*;q=0.1, text/turtle;q=0"]
CROSS_ORIGIN = {"Origin": "https://example.org"}


@pytest.fixture(scope="module")
def clients(tmp_path_factory):
    """A client of the early answers (no lifespan: nothing is relayed), one of the whole app."""
    var = tmp_path_factory.mktemp("var")
    write_release(var)
    settings = Settings(var_dir=var)
    with TestClient(create_app(settings)) as whole:
        yield TestClient(EarlyApp(settings, workers_ready=-1)), whole


def same(early: TestClient, whole: TestClient, method: str, url: str, headers: dict) -> None:
    first, second = (
        client.request(method, url, headers=headers, follow_redirects=False)
        for client in (early, whole)
    )
    assert first.status_code == second.status_code, url
    assert first.content == second.content, url
    assert _headers(first) == _headers(second), url


def _headers(response) -> list[tuple[str, str]]:
    return [(k, v) for k, v in response.headers.multi_items() if k not in IGNORED]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("representation", [r for r in DESCRIPTIONS if r is not HTML])
def test_documents_are_the_whole_apps(clients, path, representation):
    early, whole = clients
    url = f"/{path}.{representation.extension}"
    etag = whole.get(url).headers["etag"]
    asked = [
        ("GET", {}),
        ("HEAD", CROSS_ORIGIN),
        ("GET", {"If-None-Match": etag, **CROSS_ORIGIN}),
        ("GET", {**CROSS_ORIGIN, "Cookie": "a=b"}),  # CORS then names the origin
    ]
    for method, headers in asked:
        same(early, whole, method, url, headers)


@pytest.mark.parametrize("accept", ACCEPTS)
def test_redirects_are_the_whole_apps(clients, accept):
    early, whole = clients
    headers = {} if accept is None else {"Accept": accept}
    for path in PATHS:
        same(early, whole, "GET", f"/{path}", {**headers, **CROSS_ORIGIN})


def test_the_early_answers_import_no_fastapi():
    """What ``maillage serve`` imports before it forks the early process: no FastAPI, pydantic,
    PyLD or requests (the half second of CPU the early process does without)."""
    heavy = ["fastapi", "pydantic", "pyld", "requests", "jinja2"]
    code = (
        "import sys, maillage.cli, server.processes; "
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]", done.stderr
