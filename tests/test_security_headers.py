"""The security headers (``server/security_headers.py``): every HTML page carries the policy that
keeps it offline and unframed, every response ``nosniff`` and its ``Referrer-Policy``; the API's
JSON and RDF get no page policy (other origins read them, CORS), and the reconciliation preview
keeps its own (other sites frame it)."""

from __future__ import annotations

import pytest

from server.reconcile.preview import FRAME_POLICY
from server.security_headers import EVERY_RESPONSE, HTML_PAGES, PAGE_POLICY

HTML = {"Accept": "text/html"}
PAGES = (
    "/",
    "/id/org/digital-113.html",
    "/document/001",
    "/browse/organisations",
    "/search?q=kaliop",
    "/timeline",
    "/timeline/org/digital-113",
    "/network",
    "/network/org/digital-113",
    "/query",
    "/docs",
    "/releases",
    "/catalog",
    "/downloads/",
    "/id/org/no-such-thing",
    "/no/such/page",
)
"""One page of each kind (the last two: the error page, 404), asked for as a browser asks."""
NOT_PAGES = (
    ("/id/org/digital-113.ttl", "text/turtle"),
    ("/id/org/digital-113.jsonld", "application/ld+json"),
    ("/def.ttl", "text/turtle"),
    ("/network.json", "application/json"),
    ("/timeline.json", "application/json"),
    ("/search/suggest?prefix=kal", "application/json"),
    ("/reconcile", "application/json"),
    ("/downloads/", "application/json"),
    ("/downloads/manifest.json", "application/json"),
    ("/static/site.css", "text/css"),
    ("/static/suggest.js", "text/javascript"),
    ("/no/such/page", "application/json"),
)
"""Answers that are not pages (the last: the error as JSON, for an API client)."""


def test_the_page_policy_allows_no_inline_script_nor_framing():
    assert PAGE_POLICY["script-src"] == "'self'"
    assert "unsafe" not in PAGE_POLICY["script-src"] + PAGE_POLICY["default-src"]
    assert PAGE_POLICY["frame-ancestors"] == "'none'"
    assert PAGE_POLICY["object-src"] == "'none'"


@pytest.mark.parametrize("path", PAGES)
def test_every_page_carries_the_security_headers(client, path):
    response = client.get(path, headers=HTML, follow_redirects=False)
    assert response.headers["content-type"].startswith("text/html"), response.status_code
    for name, value in {**EVERY_RESPONSE, **HTML_PAGES}.items():
        assert response.headers.get(name) == value, name
    assert response.headers.get_list("content-security-policy") == [
        HTML_PAGES["Content-Security-Policy"]
    ]


@pytest.mark.parametrize(("path", "media_type"), NOT_PAGES)
def test_other_answers_are_nosniff_without_a_page_policy(client, path, media_type):
    response = client.get(
        path, headers={"Accept": media_type, "Origin": "https://elsewhere.example"}
    )
    assert response.headers["content-type"].startswith(media_type), response.status_code
    for name, value in EVERY_RESPONSE.items():
        assert response.headers.get(name) == value, name
    assert "content-security-policy" not in response.headers
    assert "x-frame-options" not in response.headers
    assert response.headers["access-control-allow-origin"] == "*"  # CORS unchanged


def test_the_prepared_documents_and_their_303_are_nosniff(client):
    for _ in range(2):  # the second answer is the prepared one
        seen = client.get(
            "/id/org/digital-113", headers={"Accept": "text/turtle"}, follow_redirects=False
        )
        assert seen.status_code == 303
        assert seen.headers["x-content-type-options"] == "nosniff"
        document = client.get("/id/org/digital-113.nt")
        assert document.headers["x-content-type-options"] == "nosniff"
        assert document.headers.get_list("x-content-type-options") == ["nosniff"]
        etag = document.headers["etag"]
    again = client.get("/id/org/digital-113.nt", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["x-content-type-options"] == "nosniff"


def test_the_reconciliation_preview_keeps_its_own_policy(client):
    ref = client.get("/reconcile/suggest/entity?prefix=digital").json()["result"][0]["id"]
    response = client.get("/reconcile/preview", params={"id": ref})
    assert response.status_code == 200
    assert response.headers.get_list("content-security-policy") == [FRAME_POLICY]
    assert "x-frame-options" not in response.headers  # other sites frame it
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == EVERY_RESPONSE["Referrer-Policy"]
