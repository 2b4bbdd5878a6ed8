"""The hot path (server/prepared.py) answers exactly as the router would: same status, headers
and bytes for every description document and 303, in every format, conditional or not, and
leaves to the router whatever it does not prepare."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from mini_release import ALPHA, BASE, BETA, write_release

from maillage.settings import Settings
from server.app import create_app
from server.prepared import PreparedDocuments
from server.representations import DESCRIPTIONS, HTML
from server.site import SERVER_DIR

IGNORED = {"date", "server"}
PATHS = [iri.removeprefix(BASE) for iri in (ALPHA, BETA)]
ACCEPTS = [None, "text/turtle", "application/ld+json", "text/html", "*/*;q=0.1, text/turtle;q=0"]


@pytest.fixture(scope="module")
def clients(tmp_path_factory):
    """A client of the app as it runs, and one of the same app with the hot path turned off."""
    var = tmp_path_factory.mktemp("var")
    write_release(var)
    settings = Settings(var_dir=var)
    with TestClient(create_app(settings)) as fast, TestClient(create_app(settings)) as slow:
        hot_path(slow.app)._lookup = lambda scope: None
        yield fast, slow


def hot_path(app) -> PreparedDocuments:
    """The app's PreparedDocuments layer, found along its middleware stack."""
    layer = app.middleware_stack
    while not isinstance(layer, PreparedDocuments):
        layer = layer.app
    return layer


def same(fast: TestClient, slow: TestClient, method: str, url: str, headers: dict) -> None:
    answers = [
        client.request(method, url, headers=headers, follow_redirects=False)
        for client in (fast, slow)
    ]
    first, second = answers
    assert first.status_code == second.status_code, url
    assert first.content == second.content, url
    assert _headers(first) == _headers(second), url


def _headers(response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k not in IGNORED}


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("representation", [r for r in DESCRIPTIONS if r is not HTML])
def test_documents_are_the_routers(clients, path, representation):
    fast, slow = clients
    url = f"/{path}.{representation.extension}"
    same(fast, slow, "GET", url, {})
    same(fast, slow, "HEAD", url, {"Origin": "https://example.org"})
    etag = fast.get(url).headers["etag"]
    same(fast, slow, "GET", url, {"If-None-Match": etag})
    same(fast, slow, "GET", url, {"If-None-Match": f'W/{etag}, "other"'})


@pytest.mark.parametrize("accept", ACCEPTS)
def test_redirects_are_the_routers(clients, accept):
    fast, slow = clients
    headers = {} if accept is None else {"Accept": accept}
    for path in PATHS:
        same(fast, slow, "GET", f"/{path}", headers)


@pytest.mark.parametrize(
    "url", ["/id/org/nobody.ttl", "/id/org/nobody", "/id/org/alpha.html", "/id/org/alpha.txt"]
)
def test_what_is_not_prepared_goes_to_the_router(clients, url):
    fast, slow = clients
    same(fast, slow, "GET", url, {"Accept": "text/turtle"})


def test_the_hot_path_answers_without_the_router(clients, monkeypatch):
    fast, slow = clients
    fast.get("/id/org/alpha.ttl")

    def no_router(*args):
        raise AssertionError("the router was called")

    monkeypatch.setattr("server.routes.resources.document", no_router)
    monkeypatch.setattr("server.routes.resources.see_other", no_router)
    assert fast.get("/id/org/alpha.ttl").status_code == 200
    assert fast.get("/id/org/alpha", follow_redirects=False).status_code == 303
    with pytest.raises(AssertionError, match="router"):  # the comparison's other side
        slow.get("/id/org/alpha.ttl")


def imported_modules(path: Path) -> set[str]:
    """Every module a source file imports, at its top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    return found | {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}


@pytest.mark.parametrize(
    ("module", "not_imported"),
    [
        ("prepared.py", "server.routes"),  # no cycle with the router
        ("routes/resources.py", "server.routes.pages"),  # the app installs the pages
    ],
)
def test_the_dereferencing_modules_do_not_climb_back(module, not_imported):
    imported = imported_modules(SERVER_DIR / module)
    assert not {m for m in imported if m.startswith(not_imported)}, imported
