"""Memento's vocabulary (RFC 7089), without a server: ``Accept-Datetime`` read as the RFC writes
it, HTTP-dates written, ``Link`` values and the TimeMap in ``application/link-format``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from server.memento import (
    BadDatetime,
    Memento,
    http_date,
    memento_url,
    original,
    parse_accept_datetime,
)

SERVED = "http://127.0.0.1:8000/"
A = Memento(memento_url(SERVED, "aaaa", "id/org/nxu"), datetime(2026, 1, 15, 9, tzinfo=UTC), "aaaa")
B = Memento(memento_url(SERVED, "bbbb", "id/org/nxu"), datetime(2026, 3, 1, 9, tzinfo=UTC), "bbbb")
C = Memento(memento_url(SERVED, "cccc", "id/org/nxu"), datetime(2026, 4, 2, 7, tzinfo=UTC), "cccc")


def test_the_rfc_example_is_read_as_utc():
    assert parse_accept_datetime("Thu, 31 May 2007 20:35:00 GMT") == datetime(
        2007, 5, 31, 20, 35, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("2026-02-10", "is not an HTTP-date"),
        ("2026-02-10T12:00:00Z", "is not an HTTP-date"),
        ("Tue, 10 Feb 2026 12:00:00 UTC", "is not an HTTP-date"),  # GMT is the only zone
        ("Tuesday, 10-Feb-26 12:00:00 GMT", "is not an HTTP-date"),  # RFC 850, obsolete
        ("Tue, 10 Feb 2026 12:00 GMT", "is not an HTTP-date"),
        ("Mon, 30 Feb 2026 12:00:00 GMT", "day is out of range for month"),
        ("Mon, 10 Feb 2026 12:00:00 GMT", "10 Feb 2026 is a Tue"),
        ("", "is not an HTTP-date"),
    ],
)
def test_anything_else_is_refused_with_the_rfc_format_quoted(value, says):
    with pytest.raises(BadDatetime) as refused:
        parse_accept_datetime(value)
    message = str(refused.value)
    assert says in message
    assert "« Thu, 31 May 2007 20:35:00 GMT »" in message and "RFC 7089" in message


def test_http_dates_are_written_in_gmt_whatever_the_zone():
    assert http_date(datetime(2026, 1, 15, 9, tzinfo=UTC)) == "Thu, 15 Jan 2026 09:00:00 GMT"
    for when in (A.datetime, B.datetime, C.datetime):
        assert parse_accept_datetime(http_date(when)) == when


def test_the_timemap_lists_the_original_its_span_and_each_memento_in_time_order():
    resource = original(SERVED, "id/org/nxu", [B, A])
    assert resource.timemap_document() == (
        '<http://127.0.0.1:8000/id/org/nxu>; rel="original timegate",\n'
        '<http://127.0.0.1:8000/timemap/id/org/nxu>; rel="self"; type="application/link-format"'
        '; from="Thu, 15 Jan 2026 09:00:00 GMT"; until="Sun, 01 Mar 2026 09:00:00 GMT",\n'
        '<http://127.0.0.1:8000/releases/aaaa/id/org/nxu>; rel="first memento"'
        '; datetime="Thu, 15 Jan 2026 09:00:00 GMT",\n'
        '<http://127.0.0.1:8000/releases/bbbb/id/org/nxu>; rel="last memento"'
        '; datetime="Sun, 01 Mar 2026 09:00:00 GMT"\n'
    )


def test_a_single_memento_is_first_and_last():
    resource = original(SERVED, "id/org/nxu", [A])
    assert 'rel="first last memento"' in resource.timemap_document()
    assert resource.memento_links(A) == [
        '<http://127.0.0.1:8000/releases/aaaa/id/org/nxu>; rel="first last memento"'
        '; datetime="Thu, 15 Jan 2026 09:00:00 GMT"'
    ]


def test_a_memento_links_to_its_neighbours_and_the_ends():
    resource = original(SERVED, "id/org/nxu", [A, B, C])
    rels = [value.split('rel="')[1].split('"')[0] for value in resource.memento_links(B)]
    assert rels == ["first prev memento", "memento", "next last memento"]
    assert [v.split(">")[0][1:] for v in resource.memento_links()] == [A.url, C.url]
    assert resource.links() == [
        '<http://127.0.0.1:8000/id/org/nxu>; rel="original timegate"',
        '<http://127.0.0.1:8000/timemap/id/org/nxu>; rel="timemap"; type="application/link-format"',
    ]


def test_the_timegate_picks_the_release_live_then_or_the_first_memento_before_it():
    resource = original(SERVED, "id/org/nxu", [A, C])
    assert resource.at(datetime(2026, 2, 10, tzinfo=UTC), live="aaaa") == A
    assert resource.at(datetime(2020, 1, 1, tzinfo=UTC), live="aaaa") == A
    # the resource was not described by the release live in March: no memento for then
    assert resource.at(datetime(2026, 3, 10, tzinfo=UTC), live="bbbb") is None
    assert resource.at(datetime(2026, 5, 1, tzinfo=UTC), live="cccc") == C
    # described only from its second release: before that, its first memento
    later = original(SERVED, "id/org/new", [C])
    assert later.at(datetime(2026, 2, 10, tzinfo=UTC), live="aaaa") == C
