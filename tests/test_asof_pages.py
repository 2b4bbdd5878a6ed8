"""Resource pages as of a day (``?asOf=YYYY-MM-DD``, ``server/asof_view.py``), in process on the
release built from the real documents: what holds then is shown, what does not is hidden, what
the documents leave open is marked unknown with what they do say; an organisation that did not
exist says so. Only the HTML page changes."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pyoxigraph as ox
import pytest
from release_queries import example

BROWSER = {
    "accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "accept-language": "en",  # the banners say what the reading is in English
}
ID = "https://w3id.org/maillage/id/"
DIGITAL_PLACE = "/id/org/digital-place.html"
DIGITAL_113 = "/id/org/digital-113.html"


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
    found = re.search(r'<p class="as-of-banner[^"]*"[^>]*>(.*?)</p>', page, re.S)
    return text(found.group(1)) if found else ""


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url, headers=BROWSER)
    assert response.status_code == status, response.text[:800]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def by_text(values: list[Shown]) -> dict[str, Shown]:
    return {v.text: v for v in values}


# --- The merger of Digital Place and FrenchSouth.digital into Digital 113 (2019-02-05) ----------


def test_as_of_2016_digital_place_exists_and_its_heads_are_unknown(client):
    shown = page(client, DIGITAL_PLACE + "?asOf=2016-06-01")
    assert banner(shown).startswith("Digital Place existed on 2016-06-01")
    heads = by_text(rows(shown)["org:headOf"])
    assert set(heads) == {"Daniel Benchimol", "Tony Marchand"}
    benchimol, marchand = heads["Daniel Benchimol"], heads["Tony Marchand"]
    assert benchimol.mark == marchand.mark == "unknown at 2016-06-01"
    assert "attested from 2017-01" in benchimol.known  # 003, January 2017
    assert "last attested 2015-05-22" in marchand.known  # 002, 22 May 2015
    assert benchimol.href == "/id/person/daniel-benchimol?asOf=2016-06-01"


def test_a_head_behind_two_memberships_says_what_each_attests_once(client):
    """Pierre Deniset, interim chair of FrenchSouth.digital on 2015-05-22 (002), president from
    January 2017 (003): as of 2016-06-01 his heading it is unknown, between the two."""
    heads = rows(page(client, "/id/org/frenchsouth-digital.html?asOf=2016-06-01"))["org:headOf"]
    (deniset,) = [v for v in heads if v.text == "Pierre Deniset"]
    assert deniset.mark == "unknown at 2016-06-01"
    assert deniset.known == (
        "last attested 2015-05-22; at the latest until 2019-02-05; attested from 2017-01"
    )


def test_as_of_2018_digital_place_is_headed_by_benchimol(client):
    heads = by_text(rows(page(client, DIGITAL_PLACE + "?asOf=2018-06-01"))["org:headOf"])
    assert heads["Daniel Benchimol"].mark == ""  # holds: between January 2017 and 5 February 2019
    assert heads["Tony Marchand"].mark == "unknown at 2018-06-01"


def test_as_of_2020_digital_place_no_longer_exists_and_digital_113_does(client):
    shown = page(client, DIGITAL_PLACE + "?asOf=2020-01-01")
    assert banner(shown) == (
        "Digital Place no longer existed on 2020-01-01. "
        "Dissolved on 2019-02-05: merged into Digital 113 ."
    )
    assert 'href="/id/org/digital-113?asOf=2020-01-01"' in shown
    found = rows(shown)
    assert "org:headOf" not in found and "org:hasSite" not in found
    assert "org:organization" not in found  # its memberships do not outlive it
    assert {v.text for v in found["skos:prefLabel, rdfs:label"]} == {"Digital Place"}  # timeless
    classes = {v.href for v in found["org:classification"]}
    assert "/concept/kind/cluster?asOf=2020-01-01" in classes  # timeless
    assert banner(page(client, DIGITAL_113 + "?asOf=2020-01-01")).startswith(
        "Digital 113 existed on 2020-01-01"
    )


def test_as_of_2016_digital_113_did_not_exist_yet_nor_its_sites(client):
    shown = page(client, DIGITAL_113 + "?asOf=2016-06-01")
    assert banner(shown) == "Digital 113 did not exist yet on 2016-06-01: founded 2019-02-05."
    found = rows(shown)
    assert "org:hasSite" not in found and "org:hasPrimarySite" not in found
    assert "mlg:observation" not in found  # its figures are of 2019 and 2025


def test_digital_113_shows_its_latest_figure_of_each_measure(client):
    def figures(day: str) -> dict[str, Shown]:
        found = rows(page(client, f"{DIGITAL_113}?asOf={day}"))["mlg:observation"]
        return {v.href.split("?")[0].removeprefix("/id/figure/"): v for v in found}

    later = figures("2026-01-01")
    assert "digital-113-membres-2025" in later  # « plus de 400 membres », 2025
    assert "digital-113-membres-2019" not in later  # superseded
    assert later["digital-113-budget-2019"].mark == ""  # the latest budget there is
    june = figures("2019-06-01")
    assert "digital-113-membres-2025" not in june
    assert {v.mark for v in june.values()} == {"unknown at 2019-06-01"}
    assert {v.known for v in june.values()} == {"dated 2019"}


def test_a_membership_page_keeps_its_parts_and_says_it_ended(client):
    url = "/id/membership/tony-marchand-digital-place-directeur-general.html?asOf=2020-01-01"
    shown = page(client, url)
    assert banner(shown).startswith("Does not hold on 2020-01-01: last attested 2015-05-22")
    found = rows(shown)
    assert [v.text for v in found["org:organization"]] == ["Digital Place"]
    assert [v.text for v in found["org:member"]] == ["Tony Marchand"]


def test_the_cluster_concept_lists_the_clusters_of_the_day(client):
    def clusters(day: str) -> dict[str, Shown]:
        return by_text(
            rows(page(client, f"/concept/kind/cluster.html?asOf={day}"))["org:classification"]
        )

    before, after = clusters("2016-06-01"), clusters("2020-01-01")
    assert {"Digital Place", "FrenchSouth.digital"} <= set(before)
    assert before["Digital Place"].mark == ""
    assert "Digital 113" not in before
    assert "Digital 113" in after and after["Digital 113"].mark == ""
    assert not {"Digital Place", "FrenchSouth.digital"} & set(after)


def test_the_pages_and_the_example_queries_agree(client, store):
    """Who heads Digital Place, which clusters exist: the same answer, with the same statuses,
    on the pages and from the README's queries 04 and 05, at each date they ask about."""

    def on_page(url: str, curie: str) -> dict[str, str]:
        values = rows(page(client, url)).get(curie, [])
        return {v.text: "unknown" if v.mark else "holds" for v in values}

    for name, url, curie, column in (
        ("04-as-of-heads.rq", DIGITAL_PLACE, "org:headOf", "person"),
        ("05-as-of-clusters.rq", "/concept/kind/cluster.html", "org:classification", "cluster"),
    ):
        answers = example(store, name)
        for day in sorted({row["asOf"] for row in answers} | {"2020-01-01"}):
            queried = {r[column]: r["status"] for r in answers if r["asOf"] == day}
            assert on_page(f"{url}?asOf={day}", curie) == queried, (name, day)


def dated_changes(store: ox.Store) -> list[tuple[str, date, list[str], list[str]]]:
    """Every change the release dates: its IRI, the last day of its date, its original
    organisations that are not its result, its results."""
    found = store.query(
        """PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX mlg: <https://w3id.org/maillage/def/>
        SELECT ?c ?last (GROUP_CONCAT(DISTINCT STR(?o)) AS ?os) (GROUP_CONCAT(DISTINCT STR(?r)) AS ?rs)
        WHERE { GRAPH ?g { ?c a org:ChangeEvent } ?c mlg:latestDate ?last ;
                org:originalOrganization ?o ; org:resultingOrganization ?r
                FILTER NOT EXISTS { ?c org:resultingOrganization ?o } }
        GROUP BY ?c ?last"""
    )
    return [
        (
            row["c"].value,
            date.fromisoformat(row["last"].value),
            row["os"].value.split(),
            row["rs"].value.split(),
        )
        for row in found
    ]


def test_every_dated_change_ends_its_originals_and_not_its_results(client, store):
    changes = dated_changes(store)
    assert changes, "the documents record the merger into Digital 113"
    for _change, last, originals, results in changes:
        after = (last + timedelta(days=1)).isoformat()
        names = []
        for result in results:
            shown = banner(page(client, result.replace(ID, "/id/") + f".html?asOf={after}"))
            assert "existed on" in shown or "Unknown at" in shown, shown
            names.append(shown.split(" existed on")[0])
        for original in originals:
            shown = banner(page(client, original.replace(ID, "/id/") + f".html?asOf={after}"))
            assert (
                f"no longer existed on {after}. Dissolved on {last.isoformat()}: merged into"
                in shown
            )
            assert all(name in shown for name in names)


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


def test_a_page_as_of_a_day_has_no_sentence_for_every_date(client):
    """The opening sentence speaks of every date (« à sa tête : Daniel Benchimol … »): a page
    as of a day shows its banner instead."""
    assert '<p class="summary">' in page(client, DIGITAL_PLACE)
    assert '<p class="summary">' not in page(client, DIGITAL_PLACE + "?asOf=2020-01-01")
