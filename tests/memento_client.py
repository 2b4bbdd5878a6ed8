"""A Memento client written from RFC 7089 alone, for the tests: it knows nothing of our URLs.

Given an Original Resource's URI and a datetime, it finds the TimeGate from the resource's
``Link`` header (``rel="timegate"``), asks it with ``Accept-Datetime``, checks that the answer is
a TimeGate's (a 302 with ``Vary: accept-datetime`` and a ``Location``), follows the redirects
to the memento and checks that it is one (``Memento-Datetime`` and ``rel="original"``). It reads
TimeMaps (``application/link-format``) too. It runs over any ``httpx.Client``: FastAPI's
TestClient or a real one against a live server.

PyPI's ``memento-client`` (0.6.1, July 2017, unmaintained) is not used: when a resource is its
own TimeGate (``Vary: accept-datetime`` on it, as here) it goes to its default aggregator on
the web instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urljoin

import httpx

LINK = re.compile(r'\s*<([^>]*)>((?:\s*;\s*[\w*-]+\s*=\s*(?:"[^"]*"|[^;,]*))*)\s*(?:,|$)')
PARAM = re.compile(r'\s*;\s*([\w*-]+)\s*=\s*(?:"([^"]*)"|([^;,]*))')
REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class Link:
    url: str
    rels: frozenset[str]
    params: dict[str, str] = field(hash=False)

    @property
    def datetime(self) -> datetime | None:
        value = self.params.get("datetime")
        return None if value is None else parsedate_to_datetime(value)


def parse_links(header: str) -> list[Link]:
    """A ``Link`` header or a link-format document (RFC 8288; rel is a list of relations)."""
    links, position = [], 0
    text = header.strip()
    while position < len(text):
        found = LINK.match(text, position)
        if found is None:
            raise ValueError(f"not a link value at {position}: {text[position : position + 60]!r}")
        params = {
            m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3).strip()
            for m in PARAM.finditer(found.group(2))
        }
        rels = frozenset(params.pop("rel", "").lower().split())
        links.append(Link(found.group(1), rels, params))
        position = found.end()
    return links


def with_rel(links: list[Link], rel: str) -> list[Link]:
    return [link for link in links if rel in link.rels]


@dataclass(frozen=True)
class Found:
    """The memento the TimeGate chose, and the way there."""

    timegate: str
    chosen: str
    """The URI-M the TimeGate's 302 named."""
    response: httpx.Response
    """The memento's final answer (after its own redirects, e.g. a 303 to a document)."""
    memento_datetime: datetime
    original: str
    hops: list[httpx.Response]


class MementoClient:
    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def timegate_of(self, uri: str) -> str:
        """RFC 7089 §5 (discovery): the ``timegate`` link of the resource; a resource that
        varies on Accept-Datetime is its own."""
        response = self.http.head(uri, follow_redirects=False)
        found = with_rel(parse_links(response.headers.get("link", "")), "timegate")
        if found:
            return urljoin(uri, found[0].url)
        if "accept-datetime" in response.headers.get("vary", "").lower():
            return uri
        raise AssertionError(f"{uri} names no TimeGate: {dict(response.headers)}")

    def memento_at(self, uri: str, when: datetime, accept: str = "text/turtle") -> Found:
        timegate = self.timegate_of(uri)
        headers = {"Accept-Datetime": format_datetime(when, usegmt=True), "Accept": accept}
        answer = self.http.get(timegate, headers=headers, follow_redirects=False)
        if answer.status_code != 302:
            raise AssertionError(f"the TimeGate answered {answer.status_code}: {answer.text}")
        assert "accept-datetime" in answer.headers["vary"].lower()
        chosen = urljoin(timegate, answer.headers["location"])
        hops, response = [answer], self.http.get(chosen, headers=headers, follow_redirects=False)
        while response.status_code in REDIRECTS:
            hops.append(response)
            target = urljoin(str(response.url), response.headers["location"])
            response = self.http.get(target, headers=headers, follow_redirects=False)
        assert response.status_code == 200, (response.status_code, response.text)
        originals = with_rel(parse_links(response.headers["link"]), "original")
        assert originals, response.headers["link"]
        return Found(
            timegate=timegate,
            chosen=chosen,
            response=response,
            memento_datetime=parsedate_to_datetime(response.headers["memento-datetime"]),
            original=originals[0].url,
            hops=hops,
        )

    def timemap_of(self, uri: str) -> list[Link]:
        """The TimeMap the resource's ``timemap`` link names, read."""
        response = self.http.head(uri, follow_redirects=False)
        (timemap,) = with_rel(parse_links(response.headers["link"]), "timemap")
        answer = self.http.get(urljoin(uri, timemap.url))
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("application/link-format")
        return parse_links(answer.text)
