"""Resource pages as of a day (``?asOf=YYYY-MM-DD``, ``server/asof_view.py``), in process on the
release built from the real documents: what holds then is shown, what does not is hidden, what
the documents leave open is marked unknown with what they do say; an organisation that did not
exist says so. Only the HTML page changes."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from maillage.settings import Settings
from server.app import create_app

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
ID = "https://w3id.org/maillage/id/"
DIGITAL_PLACE = "/id/org/digital-place.html"
DIGITAL_113 = "/id/org/digital-113.html"


@pytest.fixture(scope="module")
def client(built):
    client = TestClient(create_app(Settings(var_dir=built[0].var_dir)))
    yield client
    client.close()


@dataclass(frozen=True)
class Shown:
    text: str
    href: str
    mark: str
    """``unknown at 2016-06-01`` when the page marks it so, else empty."""
    known: str


def text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def rows(page: str) -> dict[str, list[Shown]]:
    """Every value of the page's statement tables, by the property's CURIE."""
    found: dict[str, list[Shown]] = {}
    for row in re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", page, re.S):
        curie = re.search(r'<small class="curie">([^<]+)</small>', row)
        name = curie.group(1) if curie else text(re.search(r"<th.*?</th>", row, re.S).group(0))
        for item in re.findall(r"<li>(.*?)</li>", row, re.S):
            link = re.search(r'<a href="([^"]+)"[^>]*>(.*?)</a>', item, re.S)
            link = link or re.search(r'<span class="literal"()[^>]*>(.*?)</span>', item, re.S)
            mark = re.search(r'<span class="as-of-mark">(.*?)</span>', item)
            known = re.search(r'<small class="as-of-known">(.*?)</small>', item)
            found.setdefault(name, []).append(
                Shown(
                    text(link.group(2)),
                    html.unescape(link.group(1)),
                    text(mark.group(1)) if mark else "",
                    text(known.group(1)) if known else "",
                )
            )
    return found


def banner(page: str) -> str:
    found = re.search(r'<p class="as-of-banner[^"]*">(.*?)</p>', page, re.S)
    return text(found.group(1)) if found else ""


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url, headers=BROWSER)
    assert response.status_code == status, response.text[:800]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def by_text(values: list[Shown]) -> dict[str, Shown]:
    return {v.text: v for v in values}


# --- The form, the errors, and what asOf does not touch -----------------------------------------


def test_every_resource_page_has_a_date_picker_in_a_get_form(client):
    for url in (DIGITAL_PLACE, "/id/person/daniel-benchimol.html", "/concept/kind/cluster.html"):
        shown = page(client, url)
        form = re.search(r'<form class="as-of" method="get".*?</form>', shown, re.S)
        assert form and '<input type="date" id="as-of-day" name="asOf" value="">' in form.group(0)
        assert banner(shown) == "" and "as-of-mark" not in shown
    picked = page(client, DIGITAL_PLACE + "?asOf=2018-06-01")
    assert 'name="asOf" value="2018-06-01"' in picked


def test_an_empty_as_of_is_every_date(client):
    assert page(client, DIGITAL_PLACE + "?asOf=") == page(client, DIGITAL_PLACE)


@pytest.mark.parametrize("wrong", ["2016-6-1", "2019-02-30", "yesterday", "2016"])
def test_a_malformed_as_of_is_a_400_page_saying_what_is_expected(client, wrong):
    shown = page(client, f"{DIGITAL_PLACE}?asOf={wrong}", status=400)
    detail = text(re.search(r'<p class="error-detail">(.*?)</p>', shown, re.S).group(1))
    assert (
        detail
        == f"asOf must be a date written YYYY-MM-DD, for example 2018-06-01; received {wrong!r}"
    )
    as_json = client.get(f"{DIGITAL_PLACE}?asOf={wrong}", headers={"accept": "application/json"})
    assert as_json.status_code == 400 and as_json.json()["detail"] == detail


@pytest.mark.parametrize("extension", ["ttl", "jsonld", "nt", "rdf", "trig", "nq"])
def test_as_of_does_not_filter_the_rdf_descriptions(client, extension):
    url = f"/id/org/digital-place.{extension}"
    plain, dated = client.get(url), client.get(url + "?asOf=2020-01-01")
    assert plain.status_code == dated.status_code == 200
    assert plain.content == dated.content
    assert plain.headers["etag"] == dated.headers["etag"]


def test_the_303_keeps_the_day_for_a_browser_only(client):
    browser = client.get(
        "/id/org/digital-place?asOf=2020-01-01", headers=BROWSER, follow_redirects=False
    )
    assert browser.status_code == 303
    assert browser.headers["location"].endswith("/id/org/digital-place.html?asOf=2020-01-01")
    turtle = client.get(
        "/id/org/digital-place?asOf=2020-01-01",
        headers={"accept": "text/turtle"},
        follow_redirects=False,
    )
    assert turtle.status_code == 303
    assert turtle.headers["location"].endswith("/id/org/digital-place.ttl")
