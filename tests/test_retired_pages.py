"""The pages derived from an IRI (its timeline, its neighbourhood in the network, its
reconciliation preview) answer for a retired IRI as the IRI does (``server/retired_view.py``):
301 to the same page of its successor, query kept, or 410 with the page that says when and why;
and no list a user reads (search, its suggestions, the A–Z lists, reconciliation candidates)
ever shows a retired IRI. On the session's release, with the real retirements of
data/curation/redirects.yaml."""

from __future__ import annotations

import json

import pytest
from reconciliation_schemas import validate

from server.browse_view import entries
from server.summary import COUNTED_CLASSES, class_iri

BASE = "https://w3id.org/maillage/"
REPLACED, SUCCESSOR = "org/la-melee-numerique", "org/la-melee"
WITHDRAWN = "site/airbus-toulouse"
DRAFT = "/reconcile/1.0-draft"


@pytest.fixture(scope="module")
def served(client) -> str:
    return client.app.state.settings.served_base


@pytest.fixture(scope="module")
def retired(client) -> set[str]:
    """Every retired IRI of the release, as the server reads them."""
    found = set(client.app.state.descriptions.retired)
    assert {BASE + "id/" + REPLACED, BASE + "id/" + WITHDRAWN} <= found
    return found


def get(client, url: str, **headers: str):
    return client.get(url, headers=headers, follow_redirects=False)


# --- Timelines and neighbourhoods ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("asked", "moved_to"),
    [
        ("/timeline/org/la-melee-numerique?lang=en", f"timeline/{SUCCESSOR}?lang=en"),
        ("/timeline/org/la-melee-numerique.json", f"timeline/{SUCCESSOR}.json"),
        (f"/network/{REPLACED}?hops=1&lang=en", f"network/{SUCCESSOR}?hops=1&lang=en"),
        (f"/network/{REPLACED}.json?hops=3", f"network/{SUCCESSOR}.json?hops=3"),
        (f"/network?focus={BASE}id/{REPLACED}&hops=1", f"network/{SUCCESSOR}?hops=1"),
        (f"/network?focus={BASE}id/{REPLACED}", f"network/{SUCCESSOR}"),
    ],
)
def test_a_replaced_iris_page_moves_to_the_same_page_of_its_successor(
    client, served, asked, moved_to
):
    reply = get(client, asked)
    assert reply.status_code == 301
    assert reply.headers["location"] == served + moved_to
    followed = get(client, "/" + moved_to)
    assert followed.status_code == 200  # the successor has that page
    assert f'id/{REPLACED}"' not in followed.text  # no link to the retired IRI


def test_the_moved_page_says_why_in_the_format_asked(client):
    page = get(client, f"/network/{REPLACED}?lang=en")
    assert page.headers["content-type"].startswith("text/html")
    assert "Identifier replaced" in page.text and "One association under two IRIs" in page.text
    data = get(client, "/timeline/org/la-melee-numerique", accept="application/json")
    assert data.status_code == 301 and "Accept" in data.headers["vary"]
    assert data.json()["replaced_by"] == BASE + "id/" + SUCCESSOR


@pytest.mark.parametrize(
    ("asked", "accept"),
    [
        (f"/network/{WITHDRAWN}", "application/json"),
        (f"/network/{WITHDRAWN}.json", "text/html"),
        (f"/network?focus={BASE}id/{WITHDRAWN}&hops=2", "application/json"),
    ],
)
def test_a_withdrawn_iris_page_is_gone_saying_when_and_why_as_json(client, asked, accept):
    reply = get(client, asked, accept=accept)
    assert reply.status_code == 410 and "location" not in reply.headers
    body = reply.json()
    assert body["iri"] == BASE + "id/" + WITHDRAWN and body["replaced_by"] is None
    assert body["date"] == "2026-12-05" and "the site was a guess" in body["detail"]


@pytest.mark.parametrize(
    ("lang", "words"),
    [("fr", ("Identifiant retiré", "5 décembre 2026")), ("en", ("Identifier withdrawn",))],
)
def test_a_withdrawn_iris_page_is_gone_with_the_retired_page(client, lang, words):
    reply = get(client, f"/network/{WITHDRAWN}?lang={lang}", accept="text/html")
    assert reply.status_code == 410
    assert reply.headers["content-type"].startswith("text/html")
    for word in (*words, "the site was a guess"):
        assert word in reply.text


def test_an_iri_never_published_is_still_not_found(client):
    assert get(client, "/timeline/org/nobody").status_code == 404
    assert get(client, "/network/org/nobody").status_code == 404


# --- Reconciliation -----------------------------------------------------------------------------


@pytest.mark.parametrize("root", ["/reconcile", DRAFT])
@pytest.mark.parametrize("ref", [f"id/{REPLACED}", f"{BASE}id/{REPLACED}"])
def test_the_preview_of_a_replaced_id_moves_to_its_successors_preview(client, served, root, ref):
    reply = get(client, f"{root}/preview?id={ref}")
    assert reply.status_code == 301
    assert reply.headers["location"] == f"{served}{root.lstrip('/')}/preview?id=id/{SUCCESSOR}"
    followed = get(client, f"{root}/preview?id=id/{SUCCESSOR}")
    assert followed.status_code == 200 and "La Mêlée" in followed.text


def test_the_preview_of_a_withdrawn_id_is_gone(client):
    reply = get(client, f"{DRAFT}/preview?id=id/{WITHDRAWN}")
    assert reply.status_code == 410
    assert "withdrawn on 2026-12-05" in reply.json()["detail"]


def test_extend_gives_a_replaced_id_its_successors_values_and_a_withdrawn_one_none(client):
    asked = {
        "ids": [f"id/{REPLACED}", f"id/{SUCCESSOR}", f"id/{WITHDRAWN}"],
        "properties": [{"id": "name"}, {"id": "commune"}, {"id": "foundingDate"}],
    }
    body = client.get("/reconcile", params={"extend": json.dumps(asked)}).json()
    validate("0.2", "data-extension-response", body)
    rows = body["rows"]
    assert rows[f"id/{SUCCESSOR}"]["name"] == [{"str": "La Mêlée"}]
    assert rows[f"id/{REPLACED}"] == rows[f"id/{SUCCESSOR}"]  # under the id asked
    assert all(values == [] for values in rows[f"id/{WITHDRAWN}"].values())
    draft = client.post(f"{DRAFT}/extend", json=asked).json()
    validate("1.0-draft", "data-extension-response", draft)
    assert [row["id"] for row in draft["rows"]] == asked["ids"]
    assert draft["rows"][0]["properties"] == draft["rows"][1]["properties"]


def test_la_melee_numerique_reconciles_to_la_melee_never_to_the_retired_id(client, retired):
    batch = {"q0": {"query": "La Mêlée Numérique"}, "q1": {"query": "La Mêlée Numérique"}}
    batch["q1"]["type"] = "http://www.w3.org/ns/org#Organization"
    body = client.get("/reconcile", params={"queries": json.dumps(batch)}).json()
    validate("0.2", "reconciliation-result-batch", body)
    for key in batch:
        candidates = [c["id"] for c in body[key]["result"]]
        assert candidates[0] == f"id/{SUCCESSOR}"
        assert not {BASE + c for c in candidates} & retired
    for root in ("/reconcile", DRAFT):
        suggested = client.get(f"{root}/suggest/entity", params={"prefix": "la mêlée"}).json()
        ids = [s["id"] for s in suggested["result"]]
        assert f"id/{SUCCESSOR}" in ids and not {BASE + i for i in ids} & retired


def test_a_replaced_id_given_to_match_stands_for_its_successor(client):
    """An ``id`` condition or a reconciled property value naming a replaced IRI (a project
    reconciled before the merge) is read as its successor; a withdrawn one names nothing."""
    by_id = {
        "queries": [
            {"conditions": [{"matchType": "id", "propertyValue": f"id/{REPLACED}"}]},
            {"conditions": [{"matchType": "id", "propertyValue": f"{BASE}id/{WITHDRAWN}"}]},
        ]
    }
    answer = client.post(f"{DRAFT}/match", json=by_id).json()
    validate("1.0-draft", "reconciliation-result-batch", answer)
    replaced, withdrawn = (r["candidates"] for r in answer["results"])
    assert [c["id"] for c in replaced] == [f"id/{SUCCESSOR}"] and replaced[0]["match"]
    assert withdrawn == []
    organised = {
        "q0": {
            "query": "La Mêlée Numérique",
            "type": "event",
            "properties": [{"pid": "organizer", "v": {"id": f"id/{REPLACED}"}}],
        }
    }
    body = client.get("/reconcile", params={"queries": json.dumps(organised)}).json()
    event = body["q0"]["result"][0]
    assert event["id"] == "id/event/la-melee-numerique"  # organised by La Mêlée
    assert {"id": "property:organizer", "value": 1} in event["features"]


# --- Search and the A–Z lists -------------------------------------------------------------------


def words_of(iri: str) -> str:
    """What someone who knew a retired IRI would type: the words of its last segment."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].replace("-", " ")


def test_search_and_its_suggestions_never_show_a_retired_iri(client, retired):
    for iri in sorted(retired):
        typed = words_of(iri)
        hits = client.get("/search", params={"q": typed}, headers={"Accept": "application/json"})
        assert hits.status_code == 200
        assert not {hit["iri"] for hit in hits.json()["hits"]} & retired, typed
        suggested = client.get("/search/suggest", params={"q": typed}).json()["suggestions"]
        assert not {s["iri"] for s in suggested} & retired, typed
    found = client.get(
        "/search", params={"q": "La Mêlée Numérique"}, headers={"Accept": "application/json"}
    )
    assert BASE + "id/" + SUCCESSOR in {hit["iri"] for hit in found.json()["hits"]}


def test_the_a_to_z_lists_never_show_a_retired_iri(client, retired):
    reader = client.app.state.reader
    listed = {
        e.iri for _, _, cls in COUNTED_CLASSES for e in entries(reader, class_iri(reader, cls))
    }
    assert BASE + "id/" + SUCCESSOR in listed
    assert not listed & retired
