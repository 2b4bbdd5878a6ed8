"""The timelines (server/routes/timeline.py over maillage/timeline.py), in process on the release
built from the repository: each item is a dated statement of the release, placed by its bounds,
with the claims whose graphs hold it, and every claim link leads to its quote."""

from __future__ import annotations

import html
import re
import shutil
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest

from maillage.layout import ONTOLOGY_TURTLE, STORE_DIR
from maillage.release_reader import ReleaseReader
from maillage.settings import REPO_ROOT
from maillage.store import create_store
from maillage.timeline import Timeline

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
JSON = {"accept": "application/json"}
BASE = "https://w3id.org/maillage/"
XSD = "http://www.w3.org/2001/XMLSchema#"
DATATYPES = {"day": XSD + "date", "month": XSD + "gYearMonth", "year": XSD + "gYear"}
TIME = "http://www.w3.org/2006/time#"
DATATYPES_TIME = {
    "day": ox.NamedNode(TIME + "inXSDDate"),
    "month": ox.NamedNode(TIME + "inXSDgYearMonth"),
    "year": ox.NamedNode(TIME + "inXSDgYear"),
}
ORG_MEMBER_DURING = ox.NamedNode("http://www.w3.org/ns/org#memberDuring")
ORG_ORIGINAL = ox.NamedNode("http://www.w3.org/ns/org#originalOrganization")
DCTERMS_DATE = ox.NamedNode("http://purl.org/dc/terms/date")
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def timeline(client, path: str) -> dict:
    response = client.get(path, headers=JSON)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/json"
    return response.json()


def by_id(data: dict) -> dict[str, dict]:
    return {item["id"]: item for item in data["items"]}


def one(data: dict, resource: str, what: str) -> dict:
    found = [i for i in data["items"] if i["resource"] == BASE + resource and i["what"] == what]
    assert len(found) == 1, [i["id"] for i in data["items"]]
    return found[0]


# --- What the documents date -------------------------------------------------------------------


def test_digital_113_timeline_from_the_documents(client, store):
    data = timeline(client, "/timeline/org/digital-113")
    assert data["organisation"]["iri"] == BASE + "id/org/digital-113"
    merger = one(data, "id/change/fusion-digital-113", "took place")
    assert merger["date"] == {
        "value": "2019-02-05",
        "precision": "day",
        "earliest": "2019-02-05",
        "latest": "2019-02-05",
        "text": "5 February 2019",
    }
    assert [c["id"] for c in merger["claims"]] == ["d113-naissance-date"]
    planned = one(data, "id/change/fusion-digital-113", "planned for")
    assert planned["date"]["value"] == "2017-03" and planned["date"]["latest"] == "2017-03-31"
    assert one(data, "id/org/digital-113", "founded")["date"]["value"] == "2019-02-05"
    assembly = one(data, "id/event/digital-113-assemblee-2019-06", "held")
    assert (assembly["date"]["precision"], assembly["date"]["text"]) == ("month", "June 2019")
    members = one(data, "id/figure/digital-113-membres-2019", "as of")
    assert (members["date"]["earliest"], members["date"]["latest"]) == ("2019-01-01", "2019-12-31")
    assert members["detail"] == "plus de 350" and members["unit"] == "member"
    documents = {
        i["resource"]: i["date"]["value"] for i in data["items"] if i["kind"] == "document"
    }
    assert documents == dated_documents_about(store, BASE + "id/org/digital-113")
    assert documents[BASE + "id/document/001"] == "2019-02-06"


def dated_documents_about(store, iri: str) -> dict[str, str]:
    """The documents with a claim stating something about ``iri``, and their dates."""
    query = f"""
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT DISTINCT ?document ?date WHERE {{
          GRAPH ?claim {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?q <{iri}> }} }}
          ?claim prov:wasDerivedFrom ?document . ?document dcterms:date ?date
        }}"""
    return {row["document"].value: row["date"].value for row in store.query(query)}


def test_digital_place_timeline_from_the_documents(client):
    data = timeline(client, "/timeline/org/digital-place")
    founded = one(data, "id/org/digital-place", "founded")
    assert founded["date"]["precision"] == "year" and founded["date"]["text"] == "2011"
    assert (founded["date"]["earliest"], founded["date"]["latest"]) == ("2011-01-01", "2011-12-31")
    assert founded["claims"][0]["quote"].startswith("créé en 2011") and founded["detail"] == ""
    assert one(data, "id/change/fusion-digital-113", "took place")["date"]["value"] == "2019-02-05"
    assembly = one(data, "id/event/age-digital-place-fusion", "held")
    assert assembly["date"]["value"] == "2017-03"
    signing = one(data, "id/event/annonce-fusion-frenchsouth-digital-digital-place", "held")
    assert signing["date"]["value"] == "2017-01-12"  # reached through the merger it announces
    edition = one(data, "id/event/innovation-it-day-2016", "held")  # through its series
    assert edition["date"]["value"] == "2016"
    documents = sorted(i["id"] for i in data["items"] if i["kind"] == "document")
    assert documents == [f"document-{n}-date" for n in ("000", "001", "002", "003")]
    assert one(data, "id/document/003", "published")["date"]["precision"] == "month"
    # the other network's events are not Digital Place's
    assert not [i for i in data["items"] if "green-it-day" in i["resource"]]


def test_an_event_with_an_end_spans_to_it(client):
    data = timeline(client, "/timeline")
    signing = one(data, "id/event/signature-partenariat-digital-place-frenchsouth-digital", "held")
    assert (signing["date"]["value"], signing["end"]["value"]) == ("2015-06-04", "2015-06-05")


def test_every_item_is_a_dated_statement_of_the_release(client, store):
    """Each item's date is a value the default graph holds (on the resource, or on the instant a
    membership's interval links to), its bounds are the release's bounds, and each claim it
    cites holds the statement in its graph."""
    data = timeline(client, "/timeline")
    assert len(data["items"]) > 50
    for item in data["items"]:
        subject, predicate = ox.NamedNode(item["resource"]), ox.NamedNode(item["property"])
        date = item["date"]
        value = ox.Literal(date["value"], datatype=ox.NamedNode(DATATYPES[date["precision"]]))
        dated, stated = dated_statement(store, subject, predicate, value, item)
        assert list(store.quads_for_pattern(*dated, ox.DefaultGraph())), item["id"]
        for claim in item["claims"]:
            graph = ox.NamedNode(claim["claim"])
            assert list(store.quads_for_pattern(*stated, graph)), (item["id"], claim["id"])
        if item["kind"] != "document":
            assert item["claims"], item["id"]
        days = [q.object.value for q in store.quads_for_pattern(dated[0], None, None, None)]
        assert date["earliest"] in days and date["latest"] in days
    firsts = [i["date"]["earliest"] for i in data["items"]]
    assert firsts == sorted(firsts)


def dated_statement(store, subject, predicate, value, item):
    """The statement that dates an item, and the statement its claims hold: the same for a
    dated property; for a membership, the instant's value and the interval's link to it; for a
    dissolution (derived), the date of the change the organisation ended in."""
    if item["instant"] is not None:
        instant = ox.NamedNode(item["instant"])
        (interval,) = [
            q.object
            for q in store.quads_for_pattern(subject, ORG_MEMBER_DURING, None, ox.DefaultGraph())
        ]
        time_value = DATATYPES_TIME[item["date"]["precision"]]
        return (instant, time_value, value), (interval, predicate, instant)
    if predicate.value == "http://schema.org/dissolutionDate":
        (change,) = {q.subject for q in store.quads_for_pattern(None, ORG_ORIGINAL, subject, None)}
        return (subject, predicate, value), (change, DCTERMS_DATE, value)
    return (subject, predicate, value), (subject, predicate, value)


def test_the_undated_document_places_nothing_of_its_own(client):
    data = timeline(client, "/timeline")
    assert [d["id"] for d in data["undated_documents"]] == ["004"]
    assert not [i for i in data["items"] if i["resource"] == BASE + "id/document/004"]
    from_004 = [i for i in data["items"] if any(c["document"] == "004" for c in i["claims"])]
    assert all(i["date"]["value"] for i in from_004)  # only values dated by themselves


def test_undated_events_are_named_not_placed(client, store):
    data = timeline(client, "/timeline")
    undated = [e["resource"] for e in data["undated_events"]]
    assert BASE + "id/event/digiworld" in undated
    placed = {i["resource"] for i in data["items"]}
    schema = "http://schema.org/"
    for iri in undated:
        event = ox.NamedNode(iri)
        assert iri not in placed
        for name in ("startDate", "endDate"):
            assert not list(store.quads_for_pattern(event, ox.NamedNode(schema + name), None))
        series = ox.NamedNode(schema + "EventSeries")
        assert not list(store.quads_for_pattern(event, TYPE, series, ox.DefaultGraph()))
    page = client.get("/timeline", headers=BROWSER).text
    assert 'href="/id/event/digiworld"' in page.split('id="undated-title"')[1]


def test_every_claim_link_leads_to_its_quote(client):
    data = timeline(client, "/timeline")
    links = {c["href"]: c for item in data["items"] for c in item["claims"]}
    assert links
    for href, claim in links.items():
        url = urlsplit(href)
        page = client.get(f"{url.path}?{url.query}", headers=BROWSER)
        assert page.status_code == 200, href
        assert f'id="{url.fragment}"' in page.text, href
        assert f'class="claim-card selected" id="card-{claim["id"]}"' in page.text, href
        assert claim["page"] == "/" + claim["claim"].removeprefix(BASE)
        claim_page = client.get(claim["page"] + ".html", headers=BROWSER)
        assert claim_page.status_code == 200, claim["claim"]
        shown = html.unescape(re.sub(r"<[^>]+>", "", claim_page.text))
        assert claim["quote"] and claim["quote"] in shown, claim["claim"]


def test_memberships_are_attested_at_their_documents_dates(client):
    """Benchimol heads Digital Place in January 2017 (003) and on 5 February 2019 (001's quote
    gives the day); Marchand is its directeur général on 22 May 2015 (002) only."""
    data = timeline(client, "/timeline/org/digital-place")
    memberships = [i for i in data["items"] if i["kind"] == "membership"]
    benchimol = [
        (i["what"], i["date"]["value"], [c["claim"] for c in i["claims"]])
        for i in memberships
        if i["resource"].endswith("/daniel-benchimol-digital-place-president")
    ]
    assert benchimol == [
        ("attested", "2017-01", [BASE + "id/claim/003/benchimol-president-digitalplace"]),
        ("attested", "2019-02-05", [BASE + "id/claim/001/presidents-digital-place-frenchsouth"]),
    ]
    marchand = [
        (i["what"], i["date"]["value"], i["instant"])
        for i in memberships
        if i["resource"].endswith("/tony-marchand-digital-place-directeur-general")
    ]
    assert marchand == [("attested", "2015-05-22", BASE + "id/document/002#date")]
    everywhere = timeline(client, "/timeline")["items"]
    assert not [
        i
        for i in everywhere
        if i["kind"] == "membership" and "004" in {c["document"] for c in i["claims"]}
    ]  # the undated document attests nothing


def test_merged_organisations_end_at_the_merger(client):
    data = timeline(client, "/timeline/org/digital-place")
    ended = one(data, "id/org/digital-place", "ended")
    assert ended["date"]["value"] == "2019-02-05"
    assert ended["detail"] == "Fusion de Digital Place et FrenchSouth.digital en Digital 113"
    assert [c["id"] for c in ended["claims"]] == ["d113-naissance-date"]
    frenchsouth = timeline(client, "/timeline/org/frenchsouth-digital")
    assert one(frenchsouth, "id/org/frenchsouth-digital", "ended")["date"]["value"] == "2019-02-05"
    assert not [
        i
        for i in timeline(client, "/timeline")["items"]
        if i["resource"] == BASE + "id/org/digital-113" and i["what"] == "ended"
    ]


MEMBERSHIP_WITH_ITS_TIMES = """
@prefix org: <http://www.w3.org/ns/org#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix mlg: <https://w3id.org/maillage/def/> .
<https://w3id.org/maillage/id/membership/m> a org:Membership ; org:memberDuring <https://w3id.org/maillage/id/membership/m#during> .
<https://w3id.org/maillage/id/membership/m#during> a time:Interval ;
    time:hasBeginning <https://w3id.org/maillage/id/membership/m#beginning> ;
    time:hasEnd <https://w3id.org/maillage/id/membership/m#end> .
<https://w3id.org/maillage/id/membership/m#beginning> a time:Instant ; time:inXSDgYear "2017"^^xsd:gYear ;
    mlg:earliestDate "2017-01-01"^^xsd:date ; mlg:latestDate "2017-12-31"^^xsd:date .
<https://w3id.org/maillage/id/membership/m#end> a time:Instant ; time:inXSDgYearMonth "2019-02"^^xsd:gYearMonth ;
    mlg:earliestDate "2019-02-01"^^xsd:date ; mlg:latestDate "2019-02-28"^^xsd:date .
<https://w3id.org/maillage/id/claim/009/m-mandat> {
    <https://w3id.org/maillage/id/membership/m#during>
        time:hasBeginning <https://w3id.org/maillage/id/membership/m#beginning> ;
        time:hasEnd <https://w3id.org/maillage/id/membership/m#end> .
}
"""


def test_a_membership_begins_and_ends_at_its_instants(tmp_path):
    """Where a claim gives a membership's beginning and end (curated ``{begin:, end:}``), the
    timeline places both, at their precision, cited by that claim."""
    quads = ox.parse(MEMBERSHIP_WITH_ITS_TIMES.encode(), format=ox.RdfFormat.TRIG)
    create_store(tmp_path / STORE_DIR, ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    shutil.copyfile(REPO_ROOT / "ontology" / "maillage.ttl", tmp_path / ONTOLOGY_TURTLE)
    items = Timeline(ReleaseReader(tmp_path, BASE)).items()
    assert [(i.what, i.start.value, i.start.precision, i.instant) for i in items] == [
        ("began", "2017", "year", BASE + "id/membership/m#beginning"),
        ("ended", "2019-02", "month", BASE + "id/membership/m#end"),
    ]
    assert {i.kind for i in items} == {"membership"}
    assert [[s.ref.local_id for s in i.sources] for i in items] == [["m-mandat"], ["m-mandat"]]


# --- The page and its formats ------------------------------------------------------------------


def test_the_page_lists_the_same_items_without_javascript(client):
    page = client.get("/timeline/org/digital-place", headers=BROWSER)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Accept" in page.headers["vary"]
    items = timeline(client, "/timeline/org/digital-place")["items"]
    listed = re.findall(r'<li id="([^"]+)" class="timeline-item', page.text)
    assert listed == [i["id"] for i in items]
    assert '<time datetime="2011">2011</time>' in page.text
    for item in items:
        for claim in item["claims"]:
            assert f'href="{claim["href"]}"'.replace("&", "&amp;") in page.text
    assert 'src="/static/vendor/vis-timeline/vis-timeline-graph2d.min.js"' in page.text
    assert client.get("/static/vendor/vis-timeline/vis-timeline-graph2d.min.js").status_code == 200


def test_json_by_accept_or_by_extension(client):
    for path in ("/timeline", "/timeline/org/digital-113"):
        by_accept = client.get(path, headers=JSON)
        by_extension = client.get(path + ".json")
        assert by_accept.json() == by_extension.json()
        assert f"<{path}.json>" in by_accept.headers["link"]
    assert (
        client.get("/timeline", headers={"accept": "*/*"})
        .headers["content-type"]
        .startswith("text/html")
    )
    refused = client.get("/timeline", headers={"accept": "image/png"})
    assert refused.status_code == 406 and "application/json" in refused.json()["detail"]


@pytest.mark.parametrize("path", ["/timeline/org/nope", "/timeline/org/nope.json"])
def test_an_unknown_organisation_is_not_found(client, path):
    page = client.get(path, headers=BROWSER)
    assert page.status_code == 404 and "not found: organisation nope" in page.text
    assert page.headers["content-type"].startswith("text/html")


def test_a_person_has_no_organisation_timeline(client):
    assert client.get("/timeline/org/pierre-deniset", headers=JSON).status_code == 404


def test_pages_link_to_the_timelines(client):
    home = client.get("/", headers=BROWSER).text
    assert 'href="/timeline"' in home
    organisation = client.get("/id/org/digital-place.html", headers=BROWSER).text
    assert 'href="/timeline/org/digital-place"' in organisation
    person = client.get("/id/person/pierre-deniset.html", headers=BROWSER).text
    assert "/timeline/org/" not in person
