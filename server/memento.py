"""Memento (RFC 7089) over the releases kept: the vocabulary of the protocol, with no route.

A description document of ours (``/id/org/nxu.ttl``) and the IRI it describes
(``/id/org/nxu``) are each an Original Resource (URI-R) whose state changes with each release.
Each is its own TimeGate (pattern 1.1 of RFC 7089 §4.1.1: URI-R = URI-G, 302-style negotiation,
distinct URI-M): with ``Accept-Datetime`` it answers ``302 Found`` to its Memento in the release
that was live at that datetime, ``/releases/{release}/{path}``; its TimeMap is
``/timemap/{path}``. ``routes/memento.py`` serves them; this module parses and writes what they
exchange: HTTP-dates, ``Link`` values and TimeMaps (``application/link-format``, RFC 7089 §5).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import quote

ACCEPT_DATETIME = "accept-datetime"
LINK_FORMAT = "application/link-format"
EXAMPLE_DATE = "Thu, 31 May 2007 20:35:00 GMT"
"""RFC 7089's own example of an ``Accept-Datetime`` value (§2.1.1)."""

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
HTTP_DATE = re.compile(
    rf"({'|'.join(DAYS)}), (\d\d) ({'|'.join(MONTHS)}) (\d{{4}}) (\d\d):(\d\d):(\d\d) GMT"
)
"""``rfc1123-date`` (RFC 7089 §2.1.1), the IMF-fixdate of RFC 7231 §7.1.1.1."""


URL_SAFE = ":/%#?=@[]!$&'()*+,;~"
"""What stays as it is when a URL is written into a header."""


class BadDatetime(ValueError):
    """An ``Accept-Datetime`` that is not an HTTP-date; the message says what and how."""


def parse_accept_datetime(value: str) -> datetime:
    """The UTC datetime of an ``Accept-Datetime`` header (RFC 7089 §2.1.1: an rfc1123-date, the
    HTTP-date of RFC 7231 §7.1.1.1)."""
    found = HTTP_DATE.fullmatch(value.strip())
    if found is None:
        raise BadDatetime(_format_expected(value))
    day_name, day, month, year, hour, minute, second = found.groups()
    try:
        when = datetime(
            int(year), MONTHS.index(month) + 1, int(day), int(hour), int(minute), int(second),
            tzinfo=UTC,
        )  # fmt: skip
    except ValueError as error:
        raise BadDatetime(f"{_format_expected(value)} ({error})") from None
    if DAYS[when.weekday()] != day_name:
        actual = DAYS[when.weekday()]
        raise BadDatetime(f"{_format_expected(value)} ({when:%d %b %Y} is a {actual})")
    return when


def _format_expected(value: str) -> str:
    return (
        f"Accept-Datetime {value!r} is not an HTTP-date: RFC 7089 (§2.1.1) asks for the format "
        f"of RFC 7231 (§7.1.1.1), in GMT, e.g. « {EXAMPLE_DATE} »"
    )


def http_date(when: datetime) -> str:
    """``Thu, 15 Jan 2026 09:00:00 GMT``: how ``Memento-Datetime`` and ``datetime`` are written."""
    return format_datetime(when.astimezone(UTC), usegmt=True)


def link(url: str, rel: str, **params: str) -> str:
    """One link value of a ``Link`` header or a TimeMap (RFC 8288): ``<url>; rel="…"; …``.
    Parameters are written in the order given (``from_`` is written ``from``)."""
    written = "".join(f'; {name.rstrip("_")}="{value}"' for name, value in params.items())
    return f'<{url}>; rel="{rel}"{written}'


@dataclass(frozen=True)
class Memento:
    """One past state of an Original Resource: where it is and since when (its release went
    live then)."""

    url: str
    datetime: datetime
    release: str


@dataclass(frozen=True)
class Original:
    """An Original Resource of ours, its TimeGate (itself) and its TimeMap, and its Mementos in
    the order their releases went live."""

    url: str
    timemap: str
    mementos: tuple[Memento, ...]

    def links(self) -> list[str]:
        """What every response about it carries: ``original``, ``timegate``, ``timemap``."""
        return [
            link(self.url, "original timegate"),
            link(self.timemap, "timemap", type=LINK_FORMAT),
        ]

    def memento_links(self, current: Memento | None = None) -> list[str]:
        """``first memento``, ``last memento`` and, around ``current``, ``prev``/``next``
        and ``current`` itself, one value per memento with its relations together."""
        if not self.mementos:
            return []
        rels: dict[Memento, list[str]] = {}
        rels.setdefault(self.mementos[0], []).append("first")
        if current is not None and current in self.mementos:
            index = self.mementos.index(current)
            if index > 0:
                rels.setdefault(self.mementos[index - 1], []).append("prev")
            rels.setdefault(current, [])
            if index + 1 < len(self.mementos):
                rels.setdefault(self.mementos[index + 1], []).append("next")
        rels.setdefault(self.mementos[-1], []).append("last")
        return [
            link(m.url, " ".join([*rels[m], "memento"]), datetime=http_date(m.datetime))
            for m in self.mementos
            if m in rels
        ]

    def timemap_document(self) -> str:
        """The TimeMap (RFC 7089 §5): the Original Resource, its TimeGate, the TimeMap itself
        with the span of its mementos, and every memento with its datetime, one link a line."""
        mementos = self.mementos
        span = {}
        if mementos:
            span = {"from_": http_date(mementos[0].datetime)}
            span["until"] = http_date(mementos[-1].datetime)
        values = [
            link(self.url, "original timegate"),
            link(self.timemap, "self", type=LINK_FORMAT, **span),
            *(
                link(m.url, _position(i, len(mementos)), datetime=http_date(m.datetime))
                for i, m in enumerate(mementos)
            ),
        ]
        return ",\n".join(values) + "\n"

    def at(self, when: datetime, live: str | None) -> Memento | None:
        """The memento a TimeGate answers for ``when``: the one from ``live`` (the release live
        then), or the first memento when ``when`` is before it, as RFC 7089 asks; None when the
        release live then did not describe the resource."""
        for memento in self.mementos:
            if memento.release == live:
                return memento
        if self.mementos and when < self.mementos[0].datetime:
            return self.mementos[0]
        return None


def _position(index: int, count: int) -> str:
    words = ["first"] if index == 0 else []
    if index == count - 1:
        words.append("last")
    return " ".join([*words, "memento"])


def link_header(values: Iterable[str]) -> str:
    return ", ".join(values)


def original(served_base: str, path: str, mementos: Sequence[Memento]) -> Original:
    """The Original Resource served at ``{served_base}{path}`` and its mementos."""
    return Original(
        url=url_of(served_base + path),
        timemap=timemap_url(served_base, path),
        mementos=tuple(sorted(mementos, key=lambda m: m.datetime)),
    )


def timemap_url(served_base: str, path: str) -> str:
    return url_of(f"{served_base}timemap/{path}")


def memento_url(served_base: str, release: str, path: str) -> str:
    return url_of(f"{served_base}releases/{release}/{path}")


def url_of(text: str) -> str:
    """A URL as headers carry it: what is not ASCII percent-encoded."""
    return quote(text, safe=URL_SAFE)
