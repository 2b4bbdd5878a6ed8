"""What content negotiation answers is in the OpenAPI description (issue 12).

schemathesis (``test_openapi_schemathesis.py``) sends no ``Accept`` header of its own: OpenAPI
ignores a parameter named ``Accept``, so a generator cannot vary it. Here every GET operation of
``/openapi.json`` whose path parameters have an example (and those without parameters) is
asked for with each ``Accept`` a client may send: each RDF syntax, HTML, JSON, the SPARQL result
types, ``*/*``, none, and a type nobody offers; redirects (301, 302, 303) are followed once,
with the same header. Every answer's status must be documented for its operation, and its media
type among those documented for that status.
"""

from __future__ import annotations

import re

import httpx
import pytest
from mini_release import served

from maillage.formats import FORMATS

ACCEPTS = [
    *(f.media_type for f in FORMATS),
    "*/*",
    None,
    "image/png",
    "text/html;q=0.5, application/ld+json",
]
QUERIES = {"/sparql": "?query=ASK%20%7B%7D", "/search": "?q=Alpha", "/search/suggest": "?q=Al"}
"""Operations asked with a parameter besides (without one, /sparql is its description)."""


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    with served(tmp_path_factory.mktemp("var")) as base, httpx.Client(base_url=base) as client:
        yield client, client.get("/openapi.json").json()["paths"]


def operations(paths: dict) -> list[tuple[str, str]]:
    """(path template, URL path) of every GET operation that can be asked for as it is."""
    found = []
    for template, methods in paths.items():
        if "get" not in methods:
            continue
        values = {
            p["name"]: p["example"]
            for p in methods["get"].get("parameters", [])
            if p["in"] == "path" and "example" in p
        }
        url = template.format(**values) if values or "{" not in template else None
        if url is not None:
            found.append((template, url))
            if template in QUERIES:
                found.append((template, url + QUERIES[template]))
    return found


def template_of(paths: dict, url: str) -> str | None:
    """The operation a URL path belongs to (the first whose template matches); None for a
    page left out of the description (``/query``)."""
    for template in paths:
        pattern = re.sub(r"\\\{(path|name)\\\}", ".+", re.escape(template))
        pattern = re.sub(r"\\\{[a-z]+\\\}", "[^/]+", pattern)
        if re.fullmatch(pattern, url):
            return template
    return None


def check(paths: dict, template: str, reply: httpx.Response) -> str | None:
    """What is undocumented in ``reply`` for the operation ``template``, or None."""
    documented = paths[template]["get"]["responses"]
    status = str(reply.status_code)
    if status not in documented:
        return f"{template}: {status} not documented ({sorted(documented)})"
    media_type = reply.headers.get("content-type", "").split(";")[0].strip()
    if reply.content and media_type not in documented[status].get("content", {}):
        return f"{template}: {status} as {media_type!r} not documented"
    return None


def test_every_negotiated_answer_is_documented(api):
    client, paths = api
    problems, asked, redirects = [], 0, 0
    for template, url in operations(paths):
        for accept in ACCEPTS:
            headers = {"Accept": accept} if accept else {}
            reply = client.get(url, headers=headers)
            asked += 1
            problems.append(check(paths, template, reply))
            target = httpx.URL(reply.headers.get("location", ""))
            followed_template = template_of(paths, target.path)
            if reply.status_code in (301, 302, 303) and followed_template:
                # by its path: the test server names itself by its settings' port, not its own
                followed = client.get(target.raw_path.decode(), headers=headers)
                problems.append(check(paths, followed_template, followed))
                redirects += 1
    problems = [p for p in problems if p]
    assert asked > 300 and redirects >= 10
    assert not problems, "\n".join(sorted(set(problems)))
