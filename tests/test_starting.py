"""The early answers of a starting server (server/starting.py): the same bytes and headers as
the whole app for every prepared document and 303, and for SPARQL queries once its own worker is
ready, from a module that imports no FastAPI (nor the SPARQL layer before it listens)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from mini_release import ALPHA, BASE, BETA, write_release

from maillage.settings import REPO_ROOT, Settings
from server import processes
from server.app import create_app
from server.representations import DESCRIPTIONS, HTML
from server.sparql_protocol import HANDLERS, PATH
from server.starting import QUERIES_PATH, QUERY_METHODS, EarlyApp

IGNORED = {"date", "server", "connection"}
"""Written by each server; the early answers close the connection (checked on its own)."""
PATHS = [iri.removeprefix(BASE) for iri in (ALPHA, BETA)]
ACCEPTS = [None, "text/turtle", "application/ld+json", "*/*;q=0.1, text/turtle;q=0"]
CROSS_ORIGIN = {"Origin": "https://example.org"}
STARTUP_S = 60.0


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Settings:
    var = tmp_path_factory.mktemp("var")
    write_release(var)
    return Settings(var_dir=var)


@pytest.fixture(scope="module")
def clients(settings):
    """A client of the early answers (no lifespan: nothing is relayed), one of the whole app."""
    with TestClient(create_app(settings)) as whole:
        yield TestClient(EarlyApp(settings, workers_ready=-1, queries=False)), whole


@pytest.fixture(scope="module")
def query_clients(settings):
    """A client of the early answers with their lifespan (their query worker started; the HTTP
    workers never say they are ready), one of the whole app."""
    workers_ready, ready = os.pipe()
    try:
        with (
            TestClient(EarlyApp(settings, workers_ready)) as early,
            TestClient(create_app(settings)) as whole,
        ):
            # its worker started (or its error), not a request waiting for ever
            early.portal.call(asyncio.wait_for, early.app.queries_ready, STARTUP_S)
            yield early, whole
    finally:
        os.close(workers_ready)
        os.close(ready)


def same(
    early: TestClient, whole: TestClient, method: str, url: str, headers: dict, body=b""
) -> None:
    first, second = (
        client.request(method, url, headers=headers, content=body, follow_redirects=False)
        for client in (early, whole)
    )
    assert first.status_code == second.status_code, url
    assert first.content == second.content, url
    assert _headers(first) == _headers(second), url
    assert first.headers["connection"] == "close", url  # the early process is about to exit


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


SELECT = quote("SELECT ?o WHERE { ?o a <http://www.w3.org/ns/org#Organization> }", safe="")
CONSTRUCT = quote("CONSTRUCT WHERE { ?s a ?t } LIMIT 3", safe="")
QUERIES = [
    ("GET", f"/sparql?query={SELECT}", {}, b""),
    ("GET", f"/sparql?query={SELECT}&format=csv", CROSS_ORIGIN, b""),
    ("HEAD", f"/sparql?query={SELECT}", {"Accept": "application/sparql-results+xml"}, b""),
    ("GET", f"/sparql?query={CONSTRUCT}", {"Accept": "text/turtle", **CROSS_ORIGIN}, b""),
    ("GET", "/sparql?query=SELEKT", {"Accept": "application/json"}, b""),
    ("GET", f"/sparql?query={SELECT}", {"Accept": "image/png"}, b""),
    ("GET", "/sparql", {"Accept": "text/turtle"}, b""),
    ("GET", "/sparql", {"Accept": "text/html"}, b""),
    ("POST", "/sparql", {"Content-Type": "application/sparql-query"}, b"ASK { ?s ?p ?o }"),
    ("POST", "/sparql", {"Content-Type": "application/x-www-form-urlencoded"}, b"update=CLEAR+ALL"),
    ("POST", "/sparql", {"Content-Type": "text/plain", **CROSS_ORIGIN}, b"ASK {}"),
]


@pytest.mark.parametrize(("method", "url", "headers", "body"), QUERIES)
def test_queries_are_answered_as_the_whole_app_answers_them(
    query_clients, method, url, headers, body
):
    """Answers, errors, the Service Description and its redirect, CORS and the security
    headers: the same from the early process's worker as from the whole app."""
    same(*query_clients, method, url, headers, body)


def test_a_query_the_client_has_is_not_sent_again(query_clients):
    early, whole = query_clients
    etag = whole.get(f"/sparql?query={SELECT}").headers["etag"]
    again = early.get(f"/sparql?query={SELECT}", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_the_early_queries_take_what_the_sparql_layer_takes():
    """``server/starting.py`` names the path and methods without importing the SPARQL layer."""
    assert (PATH, frozenset(HANDLERS)) == (QUERIES_PATH, QUERY_METHODS)


def test_the_early_answers_import_no_fastapi():
    """What ``maillage serve`` imports before it forks the early process: no FastAPI, pydantic,
    PyLD or requests (the half second of CPU the early process does without), nor rdflib's
    SPARQL grammar (imported by the early process once it listens), nor a WebSocket library
    (no route is one: uvicorn runs with ``ws="none"``)."""
    heavy = ["fastapi", "pydantic", "pyld", "requests", "jinja2", "rdflib.plugins.sparql"]
    heavy += ["wsproto", "websockets"]
    code = (
        "import sys, maillage.cli, server.processes; "
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]", done.stderr


def test_the_early_answers_say_once_they_have_started(settings):
    """``maillage serve`` imports the whole server once the early process answers, which it
    says when its lifespan has started (``on_started``), not before."""
    said = []
    workers_ready, ready = os.pipe()
    try:
        app = EarlyApp(settings, workers_ready, queries=False, on_started=lambda: said.append(1))
        assert said == []
        with TestClient(app) as early:
            assert said == [1]
            assert early.get(PATHS[0], headers={"Accept": "text/turtle"}).status_code == 200
        assert said == [1]
    finally:
        os.close(workers_ready)
        os.close(ready)


@pytest.mark.parametrize("writer", ["a byte", "its end", "nothing"])
def test_the_parent_waits_for_the_early_answers_until_they_start_or_exit(monkeypatch, writer):
    """The parent's wait (``server/processes.py``) ends on the early process's byte, on the end
    of its pipe (it exited: no release, or it failed), and otherwise at its bound."""
    monkeypatch.setattr(processes, "EARLY_START_WAIT_S", 0.5 if writer == "nothing" else 60.0)
    early_started, started = os.pipe()
    if writer == "a byte":
        os.write(started, b"1")
    elif writer == "its end":
        os.close(started)
    begun = time.monotonic()
    processes._await_early_answers(early_started)
    waited = time.monotonic() - begun
    with pytest.raises(OSError):
        os.fstat(early_started)  # closed: the HTTP workers forked next do not hold it
    if writer == "nothing":
        os.close(started)
        assert waited >= 0.5
    else:
        assert waited < 60.0
