"""``/reconcile``: the Reconciliation Service API, 0.2 (OpenRefine 3) and 1.0-draft, on the
release built from the repository. Every answer is validated against the Community Group's JSON
schema of its version; every refusal is a 400 (never a 500) whose one sentence says what is wrong
and where, and the service keeps answering."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from reconciliation_schemas import validate

from maillage.settings import Settings
from server.app import create_app

ORG = "http://www.w3.org/ns/org#Organization"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DRAFT = "/reconcile/1.0-draft"


def form_post(client, **fields):
    return client.post("/reconcile", content=urlencode(fields), headers=FORM)


def first_candidate(body, key="q0"):
    return body[key]["result"][0]


# --- Manifests ----------------------------------------------------------------------------------


def test_the_02_manifest_is_valid_and_points_at_this_server(client):
    response = client.get("/reconcile")
    assert response.status_code == 200
    manifest = response.json()
    validate("0.2", "manifest", manifest)
    assert manifest["versions"] == ["0.2"]
    assert manifest["identifierSpace"] == "https://w3id.org/maillage/"
    assert manifest["view"]["url"] == "http://testserver/{{id}}"
    assert manifest["suggest"]["entity"] == {
        "service_url": "http://testserver/reconcile",
        "service_path": "/suggest/entity",
    }
    assert manifest["preview"]["url"] == "http://testserver/reconcile/preview?id={{id}}"
    assert {t["name"] for t in manifest["defaultTypes"]} == {
        "Organisation",
        "Personne",
        "Événement",
        "Site",
        "Commune",
        "Département",
        "Région",
    }


def test_the_draft_manifest_is_valid_for_10_draft_only(client):
    manifest = client.get(DRAFT).json()
    validate("1.0-draft", "manifest", manifest)
    assert manifest["versions"] == ["1.0-draft"]
    assert manifest["suggest"] == {"entity": True, "type": True, "property": True}
    assert manifest["batchSize"] == Settings().reconcile_max_queries
    with pytest.raises(AssertionError):  # a 0.2 client cannot read its suggest services
        validate("0.2", "manifest", manifest)


def test_the_view_and_the_preview_open_our_pages(client):
    candidate = first_candidate(
        client.get("/reconcile", params={"queries": '{"q0": {"query": "Kaliop"}}'}).json()
    )
    view = client.get("/reconcile").json()["view"]["url"].replace("{{id}}", candidate["id"])
    page = client.get(view.removeprefix("http://testserver"), headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "Kaliop" in page.text


# --- Reconciliation ----------------------------------------------------------------------------


def test_a_batch_by_get_and_by_post_form_as_openrefine_sends_it(client):
    batch = {
        "q0": {"query": "Kaliop SAS", "type": ORG, "type_strict": "should"},
        "q1": {"query": "AD'OCC"},
        "q2": {"query": "Minalogic"},
    }
    by_get = client.get("/reconcile", params={"queries": json.dumps(batch)})
    by_post = form_post(client, queries=json.dumps(batch))
    assert by_get.status_code == by_post.status_code == 200
    assert by_get.json() == by_post.json()
    body = by_post.json()
    validate("0.2", "reconciliation-result-batch", body)
    kaliop = first_candidate(body)
    assert (kaliop["id"], kaliop["name"], kaliop["match"]) == ("id/org/kaliop", "Kaliop", True)
    assert kaliop["type"] == [{"id": ORG, "name": "Organisation"}]
    assert {"id": "name", "value": 100.0} in kaliop["features"]
    assert first_candidate(body, "q1")["id"] == "id/org/ad-occ"
    assert not any(c["match"] for c in body["q2"]["result"])


def test_jsonp_wraps_the_answer(client):
    response = client.get("/reconcile", params={"callback": "jQuery123_4"})
    assert response.headers["content-type"].startswith("application/javascript")
    assert response.text.startswith("/**/jQuery123_4(") and response.text.endswith(");")
    manifest = json.loads(response.text[len("/**/jQuery123_4(") : -2])
    validate("0.2", "manifest", manifest)


def test_limit_and_type_narrow_the_candidates(client):
    batch = {"q0": {"query": "Digital", "limit": 2}, "q1": {"query": "Toulouse", "type": "commune"}}
    body = client.get("/reconcile", params={"queries": json.dumps(batch)}).json()
    validate("0.2", "reconciliation-result-batch", body)
    assert len(body["q0"]["result"]) == 2
    assert [c["id"] for c in body["q1"]["result"]] == ["id/commune/31555"]


def test_a_list_of_types_admits_any_of_them_and_namesakes_are_no_match(client):
    communes_and_departements = [
        "http://rdf.insee.fr/def/geo#Commune",
        "http://rdf.insee.fr/def/geo#Departement",
    ]
    batch = {"q0": {"query": "Paris", "type": communes_and_departements}}
    body = client.get("/reconcile", params={"queries": json.dumps(batch)}).json()
    validate("0.2", "reconciliation-result-batch", body)
    found = body["q0"]["result"]
    assert {c["id"] for c in found} == {"id/commune/75056", "id/departement/75"}
    assert not any(c["match"] for c in found)  # the commune and the département: both « Paris »


def test_the_draft_match_answers_a_json_batch_in_order(client):
    body = {
        "queries": [
            {"conditions": [{"matchType": "name", "propertyValue": "Kaliop"}]},
            {
                "type": ORG,
                "limit": 3,
                "conditions": [
                    {"matchType": "name", "propertyValue": "Digital"},
                    {
                        "matchType": "property",
                        "propertyId": "foundingDate",
                        "propertyValue": "2011",
                        "required": True,
                        "matchQuantifier": "all",
                    },
                ],
            },
            {"conditions": [{"matchType": "id", "propertyValue": "id/org/digital-113"}]},
        ]
    }
    response = client.post(f"{DRAFT}/match", json=body, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    answer = response.json()
    validate("1.0-draft", "reconciliation-result-batch", answer)
    first, dated, by_id = (r["candidates"] for r in answer["results"])
    assert first[0]["id"] == "id/org/kaliop" and first[0]["match"]
    assert [c["id"] for c in dated] == ["id/org/digital-place"]  # the others differ: left out
    assert {"id": "property:foundingDate", "value": 1}.items() <= dated[0]["features"][-1].items()
    assert by_id[0]["id"] == "id/org/digital-113"


def test_a_full_iri_is_an_identifier_too(client):
    body = {
        "queries": [
            {
                "conditions": [
                    {"matchType": "id", "propertyValue": "https://w3id.org/maillage/id/org/kaliop"}
                ]
            }
        ]
    }
    answer = client.post(f"{DRAFT}/match", json=body).json()
    assert answer["results"][0]["candidates"][0]["id"] == "id/org/kaliop"


# --- Data extension ----------------------------------------------------------------------------


EXTEND = {
    "ids": ["id/org/digital-113", "id/org/digital-place", "id/org/unknown"],
    "properties": [
        {"id": "mergedFrom"},
        {"id": "foundingDate"},
        {"id": "dissolutionDate"},
        {"id": "commune", "settings": {"limit": 2}},
        {"id": "family"},
        {"id": "insee"},
    ],
}


def test_extend_returns_entities_as_reconciled_entities(client):
    by_get = client.get("/reconcile", params={"extend": json.dumps(EXTEND)})
    by_post = form_post(client, extend=json.dumps(EXTEND))
    assert by_get.json() == by_post.json()
    body = by_get.json()
    validate("0.2", "data-extension-response", body)
    assert [m["id"] for m in body["meta"]] == [p["id"] for p in EXTEND["properties"]]
    d113 = body["rows"]["id/org/digital-113"]
    assert {"id": "id/org/digital-place", "name": "Digital Place"} in d113["mergedFrom"]
    assert d113["foundingDate"] == [{"date": "2019-02-05T00:00:00Z"}]
    assert d113["dissolutionDate"] == []
    assert len(d113["commune"]) == 2
    assert d113["family"] == [
        {"id": "concept/family/clusters-poles", "name": "Clusters et pôles de compétitivité"}
    ]
    place = body["rows"]["id/org/digital-place"]
    assert place["foundingDate"] == [{"str": "2011"}]  # a year: never given a day
    assert place["dissolutionDate"] == [{"date": "2019-02-05T00:00:00Z"}]
    assert {"str": "31555"} in place["insee"]
    assert all(v == [] for v in body["rows"]["id/org/unknown"].values())


def test_the_draft_extend_answers_rows_as_a_list(client):
    body = client.post(f"{DRAFT}/extend", json=EXTEND).json()
    validate("1.0-draft", "data-extension-response", body)
    assert [r["id"] for r in body["rows"]] == EXTEND["ids"]
    assert body["rows"][0]["properties"][0]["id"] == "mergedFrom"
    # the test bench sends a GET with extend= to the draft endpoint: answered as 0.2 does
    bench = client.get(DRAFT, params={"extend": json.dumps(EXTEND)}).json()
    validate("0.2", "data-extension-response", bench)


@pytest.mark.parametrize("root", ["/reconcile", DRAFT])
def test_properties_are_proposed_per_type(client, root):
    body = client.get(
        f"{root}/extend/propose", params={"type": "http://xmlns.com/foaf/0.1/Person"}
    ).json()
    validate("0.2", "data-extension-property-proposal", body)
    validate("1.0-draft", "data-extension-property-proposal", body)
    assert {p["id"] for p in body["properties"]} >= {"name", "headOf", "memberOf"}
    assert "foundingDate" not in {p["id"] for p in body["properties"]}
    limited = client.get(f"{root}/extend/propose", params={"type": ORG, "limit": 3}).json()
    assert len(limited["properties"]) == 3 and limited["limit"] == 3


# --- Suggest and preview -----------------------------------------------------------------------


@pytest.mark.parametrize("root", ["/reconcile", DRAFT])
def test_suggest_entities_types_and_properties(client, root):
    entities = client.get(f"{root}/suggest/entity", params={"prefix": "digi"}).json()
    assert entities["result"][0] == {
        "id": "id/org/digital-113",
        "name": "Digital 113",
        "notable": [{"id": ORG, "name": "Organisation"}],
    }
    events = client.get(f"{root}/suggest/entity", params={"prefix": "digi", "type": "event"}).json()
    assert {e["id"] for e in events["result"]} >= {"id/event/digiworld"}
    assert all(e["notable"][0]["name"] == "Événement" for e in events["result"])
    by_id = client.get(f"{root}/suggest/entity", params={"prefix": "id/org/kaliop"}).json()
    assert by_id["result"][0]["id"] == "id/org/kaliop"
    types = client.get(f"{root}/suggest/type", params={"prefix": "dép"}).json()
    assert [t["name"] for t in types["result"]] == ["Département"]
    properties = client.get(f"{root}/suggest/property", params={"prefix": "comm"}).json()
    assert [p["id"] for p in properties["result"]] == ["commune"]
    for version in ("0.2", "1.0-draft"):
        validate(version, "suggest-entities-response", entities)
        validate(version, "suggest-entities-response", events)
        validate(version, "suggest-types-response", types)
        validate(version, "suggest-properties-response", properties)


def test_the_preview_is_a_small_french_page_others_may_frame(client):
    response = client.get("/reconcile/preview", params={"id": "id/org/digital-113"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="fr">' in response.text
    assert "Digital 113" in response.text and "Clusters et pôles" in response.text
    assert "frame-ancestors *" in response.headers["content-security-policy"]
    assert "x-frame-options" not in response.headers
    missing = client.get(f"{DRAFT}/preview", params={"id": "id/org/nobody"})
    assert missing.status_code == 404 and "id/org/nobody" in missing.json()["detail"]


def test_cross_origin_clients_are_let_in(client):
    preflight = client.options(
        f"{DRAFT}/match",
        headers={
            "Origin": "http://bench.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,accept-language",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] in ("*", "http://bench.example")
    answer = client.get("/reconcile", headers={"Origin": "http://bench.example"})
    assert answer.headers["access-control-allow-origin"] == "*"


# --- Bad input ---------------------------------------------------------------------------------


def queries(n: int) -> str:
    return json.dumps({f"q{i}": {"query": "Kaliop"} for i in range(n)})


BAD = [
    ("GET", "/reconcile", {"queries": "{bad"}, "queries is not JSON"),
    ("POST", "/reconcile", {"queries": "[1, 2]"}, "queries must be a JSON object"),
    ("GET", "/reconcile", {"queries": '{"q0": "Kaliop"}'}, "queries.q0 must be a query object"),
    ("GET", "/reconcile", {"queries": '{"q0": {"query": 3}}'}, "queries.q0.query must be a string"),
    (
        "GET",
        "/reconcile",
        {"queries": '{"q0": {"query": "a", "type": "Q5"}}'},
        "queries.q0.type: unknown type 'Q5'",
    ),
    (
        "GET",
        "/reconcile",
        {"queries": '{"q0": {"query": "a", "limit": 500}}'},
        "queries.q0.limit is 500; a query may ask for at most 25",
    ),
    (
        "GET",
        "/reconcile",
        {"queries": '{"q0": {"query": "a", "limit": -1}}'},
        "queries.q0.limit must be a positive integer",
    ),
    (
        "GET",
        "/reconcile",
        {"queries": '{"q0": {"query": "a", "colour": "red"}}'},
        "queries.q0 has an unknown field 'colour'",
    ),
    (
        "GET",
        "/reconcile",
        {"queries": '{"q0": {"query": "a", "properties": [{"pid": "age", "v": 3}]}}'},
        "queries.q0.properties[0].pid: unknown property 'age'",
    ),
    (
        "GET",
        "/reconcile",
        {"queries": '{"q0": {"query": "a", "properties": [{"pid": "commune"}]}}'},
        "queries.q0.properties[0] has no value v",
    ),
    (
        "GET",
        "/reconcile",
        {"queries": '{"q0": {}}'},
        "queries.q0 has neither a query nor properties",
    ),
    (
        "POST",
        "/reconcile",
        {"queries": queries(10_000)},
        "queries holds 10000 queries; at most 100",
    ),
    ("POST", "/reconcile", {"queries": "[" * 100_000}, "queries is nested too deeply"),
    (
        "POST",
        "/reconcile",
        {"queries": json.dumps({"q0": {"query": "Kaliop " * 100}})},
        "queries.q0.query is 700 characters long; at most 500",
    ),
    (
        "POST",
        "/reconcile",
        {
            "queries": json.dumps(
                {"q0": {"query": "a", "properties": [{"pid": "insee", "v": "1"}] * 21}}
            )
        },
        "queries.q0.properties holds 21 properties; at most 20",
    ),
    (
        "POST",
        "/reconcile",
        {
            "queries": json.dumps(
                {"q0": {"query": "a", "properties": [{"pid": "insee", "v": ["1"] * 51}]}}
            )
        },
        "queries.q0.properties[0].v holds 51 values; at most 50",
    ),
    (
        "POST",
        "/reconcile",
        {"extend": json.dumps({"ids": ["id/org/kaliop"], "properties": [{"id": "name"}] * 51})},
        "extend.properties holds 51 properties; at most 50",
    ),
    ("GET", "/reconcile", {"extend": "{}"}, "extend.ids must be an array"),
    (
        "GET",
        "/reconcile",
        {"extend": '{"ids": ["id/org/kaliop"], "properties": [{"id": "colour"}]}'},
        "extend.properties[0].id: unknown property 'colour'",
    ),
    (
        "GET",
        "/reconcile",
        {"extend": json.dumps({"ids": ["x"] * 101, "properties": []})},
        "extend.ids holds 101 identifiers; at most 100",
    ),
    ("GET", "/reconcile", {"callback": "alert(1)"}, "callback must be a JavaScript function name"),
    (
        "POST",
        f"{DRAFT}/match",
        '{"queries": [{"conditions": []}]}',
        "queries[0].conditions is empty",
    ),
    (
        "POST",
        f"{DRAFT}/match",
        '{"queries": [{"conditions": [{"matchType": "name"}]}]}',
        "queries[0].conditions[0] has no propertyValue",
    ),
    (
        "POST",
        f"{DRAFT}/match",
        '{"queries": [{"conditions": [{"matchType": "smell", "propertyValue": "x"}]}]}',
        "queries[0].conditions[0].matchType must be name, id or property",
    ),
    (
        "POST",
        f"{DRAFT}/match",
        '{"queries": [{"conditions": [{"matchType": "property", "propertyId": "commune", "propertyValue": "x", "matchQualifier": "geo"}]}]}',
        "matchQualifier: this service supports none",
    ),
    ("POST", f"{DRAFT}/match", "not json", "the body is not JSON"),
    (
        "POST",
        f"{DRAFT}/extend",
        '{"ids": "id/org/kaliop", "properties": []}',
        "the body.ids must be an array",
    ),
    (
        "GET",
        "/reconcile/suggest/entity",
        {"prefix": "a", "limit": "1000"},
        "limit is 1000; at most 25",
    ),
    ("GET", "/reconcile/suggest/entity", {"prefix": "a", "type": "Q5"}, "type: unknown type 'Q5'"),
    (
        "GET",
        "/reconcile/suggest/entity",
        {"prefix": "x" * 10_000},
        "prefix is 10000 characters long",
    ),
    ("GET", "/reconcile/suggest/colour", {"prefix": "a"}, "no suggest service for 'colour'"),
    ("GET", "/reconcile/extend/propose", {}, "type is missing"),
    ("GET", "/reconcile/preview", {}, "id is missing"),
]


@pytest.mark.parametrize(("method", "path", "given", "sentence"), BAD, ids=[b[3][:40] for b in BAD])
def test_bad_input_gets_a_400_that_says_what_and_where(client, method, path, given, sentence):
    if method == "GET":
        response = client.get(path, params=given)
    elif isinstance(given, dict):
        response = client.post(path, content=urlencode(given), headers=FORM)
    else:
        response = client.post(path, content=given, headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    detail = response.json()["detail"]
    assert sentence in detail
    assert detail.endswith(".") and detail.count(". ") == 0  # one sentence
    still = client.get("/reconcile", params={"queries": '{"q0": {"query": "Kaliop"}}'})
    assert first_candidate(still.json())["id"] == "id/org/kaliop"


def test_a_body_too_long_to_read_gets_413(client):
    response = form_post(client, queries="x" * 2_000_001)
    assert response.status_code == 413
    assert "at most 2000000" in response.json()["detail"]


def test_a_post_that_is_not_a_form_is_refused(client):
    response = client.post("/reconcile", json={"queries": {}})
    assert response.status_code == 400
    assert "is a form (application/x-www-form-urlencoded)" in response.json()["detail"]


def test_the_limits_are_settings(built):
    settings = Settings(
        var_dir=built[0].var_dir, reconcile_max_queries=2, reconcile_max_candidates=3
    )
    small = TestClient(create_app(settings))  # no lifespan: no SPARQL workers needed
    try:
        refused = small.get("/reconcile", params={"queries": queries(3)})
        assert refused.status_code == 400
        assert refused.json()["detail"] == "queries holds 3 queries; at most 2 per request."
        assert small.get("/reconcile", params={"queries": queries(2)}).status_code == 200
        too_many = small.get("/reconcile", params={"queries": '{"q0": {"query": "a", "limit": 4}}'})
        assert "at most 3" in too_many.json()["detail"]
        assert small.get(DRAFT).json()["batchSize"] == 2
    finally:
        small.close()


ODD_IDENTIFIERS = ["Digital 1", "id/org/a b", "<x>", '"', "http://[bad", "\x00\x1f", "é" * 150]


@pytest.mark.parametrize("odd", ODD_IDENTIFIERS)
def test_text_that_is_no_identifier_is_answered_never_a_500(client, odd):
    """What a user types into a suggest box may reach every place an identifier is read."""
    for root in ("/reconcile", DRAFT):
        suggested = client.get(f"{root}/suggest/entity", params={"prefix": odd})
        assert suggested.status_code == 200
        validate("0.2", "suggest-entities-response", suggested.json())
        assert client.get(f"{root}/preview", params={"id": odd}).status_code == 404
    extended = client.get(
        "/reconcile",
        params={"extend": json.dumps({"ids": [odd], "properties": [{"id": "commune"}]})},
    )
    assert extended.json()["rows"] == {odd: {"commune": []}}
    by_id = {"queries": [{"conditions": [{"matchType": "id", "propertyValue": odd}]}]}
    assert client.post(f"{DRAFT}/match", json=by_id).json() == {"results": [{"candidates": []}]}
    valued = {"q0": {"query": "Kaliop", "properties": [{"pid": "commune", "v": {"id": odd}}]}}
    answer = client.get("/reconcile", params={"queries": json.dumps(valued)})
    assert first_candidate(answer.json())["id"] == "id/org/kaliop"


@pytest.mark.parametrize("path", ["/reconcile", DRAFT, "/reconcile/suggest/type?prefix=c"])
def test_head_is_answered_where_get_is(client, path):
    head, get = client.head(path), client.get(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]
