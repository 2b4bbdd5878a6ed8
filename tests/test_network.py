"""The network views (``/network``, ``/network/{path}``) on the release built from the real
documents: what Digital 113's neighbourhood holds, that only published facts make an edge (a
deprecated claim's does not), that every edge leads to the page that states it, and the errors."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

from maillage.layout import NETWORK
from maillage.namespaces import ID
from maillage.settings import Settings
from server.app import create_app

JSON = {"Accept": "application/json"}
D113 = str(ID["org/digital-113"])
DIGITAL_PLACE = str(ID["org/digital-place"])
FRENCHSOUTH = str(ID["org/frenchsouth-digital"])
MERGER = str(ID["change/fusion-digital-113"])


def neighbourhood(client: TestClient, path: str = "org/digital-113", **params) -> dict:
    response = client.get(f"/network/{path}", headers=JSON, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def edges(document: dict, kind: str) -> set[tuple[str, str, str]]:
    return {(e["source"], e["target"], e["via"]) for e in document["edges"] if e["kind"] == kind}


def labels(document: dict) -> dict[str, str]:
    return {n["id"]: n["label"] for n in document["nodes"]}


def test_digital_113_neighbourhood_holds_the_merger_its_events_and_the_heads(client):
    document = neighbourhood(client)
    assert document["focus"] == D113 and document["hops"] == 2
    assert edges(document, "merger") == {(DIGITAL_PLACE, D113, MERGER), (FRENCHSOUTH, D113, MERGER)}
    organised = {labels(document)[target] for source, target, _ in edges(document, "organiser")}
    assert {
        "Assemblée de Digital 113 (juin)",
        "Ateliers ouverts aux non-membres (Digital 113)",
    } <= organised
    heads = {(labels(document)[s], labels(document)[t]) for s, t, _ in edges(document, "head")}
    assert {
        ("Daniel Benchimol", "Digital Place"),
        ("Tony Marchand", "Digital Place"),
        ("Pierre Deniset", "FrenchSouth.digital"),
    } <= heads
    assert (str(ID["org/region-occitanie"]), D113, D113) in edges(document, "funder")
    distance = {n["label"]: n["distance"] for n in document["nodes"]}
    assert distance["Digital 113"] == 0 and distance["Digital Place"] == 1
    assert distance["Daniel Benchimol"] == 2


def test_a_membership_edge_names_its_role_and_leads_to_the_membership(client):
    document = neighbourhood(client)
    benchimol = next(
        e
        for e in document["edges"]
        if e["via"].endswith("daniel-benchimol-digital-place-president")
    )
    assert benchimol["kind"] == "head"
    assert benchimol["label"] == {"fr": "président", "en": "president"}
    assert benchimol["href"] == "/id/membership/daniel-benchimol-digital-place-president"


def test_one_hop_stops_at_the_neighbours(client):
    document = neighbourhood(client, hops="1")
    assert document["hops"] == 1
    assert {n["distance"] for n in document["nodes"]} == {0, 1}
    assert "Daniel Benchimol" not in labels(document).values()
    assert DIGITAL_PLACE in labels(document)


def test_focus_parameter_is_the_same_view_as_the_path(client):
    by_path = neighbourhood(client, hops="1")
    by_focus = client.get("/network", params={"focus": D113, "hops": "1"}, headers=JSON).json()
    assert by_focus == by_path


def test_only_published_facts_make_edges(client, release):
    """Two deprecated claims of document 000 say Digital 113 organises La Mêlée Numérique and
    that La Mêlée merged into it: neither is an edge. Every edge's statement is in the default
    graph."""
    document = neighbourhood(client, hops="1")
    melee, melee_numerique = str(ID["org/la-melee"]), str(ID["event/la-melee-numerique"])
    assert (D113, melee_numerique) not in {(s, t) for s, t, _ in edges(document, "organiser")}
    assert melee not in {s for s, _t, _ in edges(document, "merger")}
    default = Graph().parse(release / "maillage.ttl")
    network = json.loads((release / NETWORK).read_text())
    assert network["edges"]
    for edge in network["edges"]:
        via = URIRef(edge["via"])
        assert (via, None, None) in default, edge
        stated = {via, *default.objects(via, None)}  # what the edge's resource links
        assert {URIRef(edge["source"]), URIRef(edge["target"])} <= stated, edge


def test_every_edge_and_node_leads_to_a_page(client):
    document = client.get("/network", headers=JSON).json()
    hrefs = {e["href"] for e in document["edges"]} | {n["href"] for n in document["nodes"]}
    for href in sorted(hrefs):
        response = client.get(href, headers={"Accept": "text/html"}, follow_redirects=False)
        assert response.status_code in (200, 303), href


def test_whole_network_draws_every_linked_node(client, release):
    network = json.loads((release / NETWORK).read_text())
    linked = {e["source"] for e in network["edges"]} | {e["target"] for e in network["edges"]}
    document = client.get("/network.json").json()
    assert document["focus"] is None and document["truncated"] is False
    assert {n["id"] for n in document["nodes"]} == linked
    assert len(document["edges"]) == len(network["edges"])


def test_a_view_keeps_the_most_connected_nodes_past_the_setting(built):
    with TestClient(create_app(Settings(var_dir=built[0].var_dir, network_max_nodes=5))) as few:
        whole = few.get("/network.json").json()
        near = few.get("/network/org/digital-113.json").json()
    assert len(whole["nodes"]) == 5 and whole["truncated"] and whole["total_nodes"] > 5
    degree = {}
    for edge in json.loads((built[2] / NETWORK).read_text())["edges"]:
        for end in (edge["source"], edge["target"]):
            degree[end] = degree.get(end, 0) + 1
    kept = [degree[n["id"]] for n in whole["nodes"]]
    assert min(kept) >= sorted(degree.values(), reverse=True)[4]
    assert near["nodes"][0]["id"] == D113 and len(near["nodes"]) == 5
    assert max(n["distance"] for n in near["nodes"]) == 1


def test_the_page_lists_the_edges_as_links_and_embeds_the_graph(client):
    response = client.get("/network/org/digital-113", headers={"Accept": "text/html"})
    assert response.status_code == 200
    page = response.text
    assert 'id="network-data"' in page and "/static/vendor/cytoscape/cytoscape.min.js" in page
    assert 'href="/id/change/fusion-digital-113">fusionne dans</a>' in page
    assert '<a class="node node-organisation" href="/id/org/digital-place" lang="fr">' in page
    clusters = "https://w3id.org/maillage/concept/family/clusters-poles"
    assert f'<option value="{clusters}">Clusters et pôles de compétitivité (' in page
    assert response.headers["link"] == (
        '</network/org/digital-113.json>; rel="alternate"; type="application/json"'
    )


def test_entity_pages_link_to_their_neighbourhood(client):
    page = client.get("/id/org/digital-113.html").text
    assert 'href="/network/org/digital-113"' in page
    person = client.get("/id/person/daniel-benchimol.html").text
    assert 'href="/network/person/daniel-benchimol"' in person
    site = client.get("/id/site/digital-113-siege.html").text
    assert "/network/" not in site


@pytest.mark.parametrize("path", ["org/nope", "site/digital-113-siege", "org/nope.json"])
def test_not_a_node_is_404(client, path):
    response = client.get(f"/network/{path}", headers=JSON)
    assert response.status_code == 404
    assert "not an organisation, a person or an event" in response.json()["detail"]
    page = client.get(f"/network/{path}", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "<html" in page.text


def test_unknown_focus_iri_is_404(client):
    response = client.get("/network", params={"focus": "https://example.org/x"}, headers=JSON)
    assert response.status_code == 404


@pytest.mark.parametrize("hops", ["0", "4", "x", "-1", "1.5", ""])
def test_bad_hops_is_400(client, hops):
    response = client.get("/network/org/digital-113", params={"hops": hops}, headers=JSON)
    assert response.status_code == 400
    assert "hops must be a whole number from 1 to 3" in response.json()["detail"]


def test_hops_without_focus_is_400(client):
    response = client.get("/network", params={"hops": "2"}, headers=JSON)
    assert response.status_code == 400


def test_the_page_speaks_french_by_default_and_english_on_request(client):
    french = client.get("/network/org/digital-113", headers={"Accept": "text/html"})
    assert french.headers["content-language"] == "fr"
    assert "Réseau de" in french.text and ">fusionne dans</a>" in french.text
    english = client.get("/network/org/digital-113?lang=en", headers={"Accept": "text/html"})
    assert english.headers["content-language"] == "en"
    assert "Accept-Language" in english.headers["vary"] and "Accept" in english.headers["vary"]
    assert "Network of" in english.text and ">merges into</a>" in english.text
    assert "People (" in english.text  # the heading of the people's list
    page = client.get("/id/org/digital-113.html?lang=en").text
    assert 'Network of <span lang="fr">Digital 113</span></a>' in page
