"""What the endpoint refuses, on a live server: SERVICE and graphs from elsewhere (proved with a
local listener that must receive nothing), updates, malformed queries (with the position), bad
Accept headers (406 listing the offers), huge queries (413), other bodies (415). Bad input never
gets a 5xx."""

from __future__ import annotations

import contextlib
import threading

import httpx
import pyoxigraph as ox
import pytest
from sparql_live import CLAIM, LABEL, connections, live_server, silent_listener, write_release

from maillage.settings import Settings
from maillage.store import GRAPH_MEDIA_TYPES, SOLUTION_MEDIA_TYPES

TRIPLE = "?s ?p ?o"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    var_dir = write_release(tmp_path_factory.mktemp("var"))
    with live_server(Settings(var_dir=var_dir)) as base:
        yield base + "/sparql"


@pytest.fixture(scope="module")
def client():
    with httpx.Client(timeout=30) as shared:
        yield shared


@pytest.fixture
def listener():
    with silent_listener() as (url, sock):
        yield url, sock


def test_the_listener_would_see_an_unguarded_engine(listener):
    """The proof below is not vacuous: pyoxigraph alone does call a SERVICE IRI."""
    url, sock = listener
    caller = threading.Thread(target=_unguarded_service_call, args=(url,), daemon=True)
    caller.start()
    assert connections(sock, wait_s=10) == 1
    caller.join(timeout=10)


def _unguarded_service_call(url: str) -> None:
    # The listener closes the connection: an error here is all this test expects.
    with contextlib.suppress(OSError, RuntimeError):
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{url}> {{ {TRIPLE} }} }}"))


SERVICE_QUERIES = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ VALUES ?svc {{ <{url}> }} SERVICE ?svc {{ ?s ?p ?o }} }}",
    "PREFIX x: <{url}> CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE x: {{ ?s ?p ?o }} }}",
    "DESCRIBE ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("template", SERVICE_QUERIES)
@pytest.mark.parametrize("method", ["GET", "POST-form", "POST-direct"])
def test_service_is_refused_and_nothing_goes_out(client, endpoint, listener, template, method):
    url, sock = listener
    response = send(client, endpoint, template.format(url=url), method)
    assert response.status_code == 400
    assert "SERVICE is refused" in response.text
    assert connections(sock, wait_s=0.1) == 0


def send(client, endpoint: str, query: str, method: str = "GET", **params) -> httpx.Response:
    if method == "GET":
        return client.get(endpoint, params={"query": query, **params})
    if method == "POST-form":
        return client.post(endpoint, data={"query": query, **params})
    headers = {"Content-Type": "application/sparql-query"}
    return client.post(endpoint, content=query.encode(), params=params, headers=headers)


def test_an_escaped_service_is_a_service(client, endpoint, listener):
    url, sock = listener
    response = send(client, endpoint, f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ {TRIPLE} }} }}")
    assert response.status_code == 400
    assert "SERVICE is refused" in response.text
    assert connections(sock, wait_s=0.1) == 0


def test_escaped_quotes_cannot_hide_a_service_from_the_policy(client, endpoint, listener):
    """Regression: SPARQL expands ``\\u0022`` before parsing (rdflib does), pyoxigraph only inside
    strings. Read raw, this query has a SERVICE between two strings; expanded, the SERVICE is
    inside a string. The engine must be given the text the policy read."""
    url, sock = listener
    query = (
        'SELECT ?x WHERE { VALUES ?x { "a\\u0022 " } '
        f"SERVICE <{url}> {{ {TRIPLE} }} "
        'VALUES ?y { " \\u0022b" } }'
    )
    response = send(client, endpoint, query)
    assert connections(sock, wait_s=0.1) == 0
    assert response.status_code == 200
    values = [row["x"]["value"] for row in response.json()["results"]["bindings"]]
    assert values[0] == "a" and "SERVICE" in values[1] and values[2] == "b"


@pytest.mark.parametrize("line_end", ["\r", "\r\n", "\\u000D"])
def test_a_carriage_return_ends_a_comment_for_the_policy_too(client, endpoint, listener, line_end):
    """Regression: pyoxigraph ends a comment at a lone CR, rdflib's parser did not."""
    url, sock = listener
    query = f"SELECT * WHERE {{ # comment{line_end} SERVICE <{url}> {{ {TRIPLE} }}\n}}"
    response = send(client, endpoint, query, "POST-direct")
    assert response.status_code == 400
    assert "SERVICE is refused" in response.text
    assert connections(sock, wait_s=0.1) == 0


def test_a_service_keyword_in_a_string_is_not_a_service(client, endpoint):
    response = send(client, endpoint, 'SELECT ?x WHERE { BIND("SERVICE <http://x/> {}" AS ?x) }')
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("query", "params"),
    [
        ("SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}", {}),
        ("SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", {}),
        ("PREFIX r: <{url}> SELECT * FROM r:graph WHERE {{ ?s ?p ?o }}", {}),
        ("BASE <{url}> SELECT * FROM <graph> WHERE {{ ?s ?p ?o }}", {}),
        ("SELECT * WHERE {{ ?s ?p ?o }}", {"default-graph-uri": "{url}"}),
        ("SELECT * WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", {"named-graph-uri": "{url}"}),
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST-form", "POST-direct"])
def test_graphs_from_elsewhere_are_refused(client, endpoint, listener, query, params, method):
    url, sock = listener
    params = {name: value.format(url=url) for name, value in params.items()}
    response = send(client, endpoint, query.format(url=url), method, **params)
    assert response.status_code == 400
    assert "is not one of this endpoint's graphs" in response.text
    assert connections(sock, wait_s=0.1) == 0


@pytest.mark.parametrize(
    ("query", "params"),
    [
        (f"SELECT ?l FROM <{CLAIM}doc-a/c1> WHERE {{ ?s <{LABEL}> ?l }}", {}),
        (f"SELECT ?l WHERE {{ ?s <{LABEL}> ?l }}", {"default-graph-uri": f"{CLAIM}doc-a/c1"}),
        (
            f"PREFIX d: <{CLAIM}doc-a/> SELECT ?l FROM NAMED d:c1 WHERE {{ GRAPH ?g {{ ?s <{LABEL}> ?l }} }}",
            {},
        ),
    ],
)
def test_our_claim_graphs_may_be_named(client, endpoint, query, params):
    response = send(client, endpoint, query, **params)
    assert response.status_code == 200
    bindings = response.json()["results"]["bindings"]
    assert [row["l"]["value"] for row in bindings] == ["claimed name"]


def test_updates_are_refused(client, endpoint, listener):
    url, sock = listener
    load = f"LOAD <{url}>"
    attempts = [
        client.get(endpoint, params={"update": load}),
        client.post(endpoint, data={"update": load}),
        client.post(endpoint, content=load, headers={"Content-Type": "application/sparql-update"}),
        send(client, endpoint, load),
        send(client, endpoint, "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "POST-direct"),
        send(client, endpoint, "CLEAR ALL", "POST-form"),
    ]
    for response in attempts:
        assert response.status_code == 400
        assert "read-only" in response.text
    assert connections(sock, wait_s=0.1) == 0


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("ASK {", "line 1, column 6"),
        ("SELECT ?s\nWHERE {\n  ?s ?p\n}", "line 3, column 8"),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT x", "line 1, column"),
        ("SELEKT * WHERE { ?s ?p ?o }", "line 1, column 1"),
        ("", "line 1, column 1"),
    ],
)
def test_malformed_queries_get_400_with_the_position(client, endpoint, query, where):
    response = send(client, endpoint, query)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert "syntax error" in response.text and where in response.text


SPARQLWRAPPER_JSON = "application/sparql-results+json,application/json,text/javascript"


@pytest.mark.parametrize(
    ("accept", "json"),
    [
        ("application/sparql-results+json", True),
        ("application/json", True),
        (SPARQLWRAPPER_JSON, True),
        ("text/csv, application/sparql-results+json;q=0.5", True),
        ("*/*", False),
        ("text/csv", False),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", False),
        (None, False),
    ],
)
@pytest.mark.parametrize(
    ("query", "status", "phrase"),
    [
        ("SELECT * WHERE { ?s ?p }", 400, "line 1, column 24: expected a term"),
        ("ASK { ?s a nope:Thing }", 400, "the prefix 'nope:' is not declared"),
        ("CLEAR ALL", 400, "read-only"),
        ("ASK {}" + " " * 20_000, 413, "characters"),
    ],
)
def test_an_error_is_json_when_the_client_asked_for_json(
    client, endpoint, accept, json, query, status, phrase
):
    headers = {"Accept": accept} if accept else {}
    response = client.post(endpoint, data={"query": query}, headers=headers)
    assert response.status_code == status
    assert response.headers["vary"].startswith("Accept")
    if json:
        assert response.headers["content-type"] == "application/json"
        assert list(response.json()) == ["detail"] and phrase in response.json()["detail"]
    else:
        assert response.headers["content-type"].startswith("text/plain")
        assert phrase in response.text


def test_a_syntax_error_only_the_engine_finds_says_where_and_what(client, endpoint):
    response = send(client, endpoint, "SELECT ?p (STR(?o) AS ?t) { ?s ?p ?o } GROUP BY ?p")
    assert response.status_code == 400
    assert response.text == (
        "SPARQL syntax error at line 1, column 51: "
        "the SELECT contains an expression with a variable that is unbound\n"
    )


def test_an_error_found_by_the_engine_is_a_400_too(client, endpoint):
    response = send(client, endpoint, "SELECT (<urn:no-such-function>(1) AS ?x) WHERE {}")
    assert response.status_code == 400
    assert "could not be evaluated" in response.text


@pytest.mark.parametrize(
    ("query", "accept", "offered"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "image/png", SOLUTION_MEDIA_TYPES + GRAPH_MEDIA_TYPES),
        ("SELECT * WHERE { ?s ?p ?o }", "text/turtle", SOLUTION_MEDIA_TYPES),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "text/csv", GRAPH_MEDIA_TYPES),
        ("ASK {}", "application/sparql-results+json;q=0, text/html", SOLUTION_MEDIA_TYPES),
    ],
)
def test_unacceptable_accept_gets_406_with_the_offers(client, endpoint, query, accept, offered):
    response = client.get(endpoint, params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 406
    for media_type in offered:
        assert media_type in response.text


def test_a_format_the_query_form_cannot_have_is_406(client, endpoint):
    response = send(client, endpoint, "CONSTRUCT WHERE { ?s ?p ?o }", format="csv")
    assert response.status_code == 406
    assert "text/turtle" in response.text


def test_a_huge_query_gets_413(client, endpoint):
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 20_000
    for method in ("GET", "POST-form", "POST-direct"):
        response = send(client, endpoint, query, method)
        assert response.status_code == 413
        assert "20000 (query_max_chars)" in response.text


def test_a_huge_body_gets_413(client, endpoint):
    response = client.post(
        endpoint, content=b"x" * 1_000_000, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "application/json", "multipart/form-data; boundary=x"]
)
def test_other_bodies_get_415(client, endpoint, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post(endpoint, content=b"ASK {}", headers=headers)
    assert response.status_code == 415
    assert "application/sparql-query" in response.text


BAD_REQUESTS = [
    ("GET", "?query=%FF%FE", None, {}),
    ("GET", "?query=ASK%20%7B%7D&query=ASK%20%7B%7D", None, {}),
    ("GET", "?query=ASK%20%7B%7D&format=png", None, {}),
    ("GET", "?query=ASK%20%7B%7D&format=json&format=csv", None, {}),
    ("GET", "?query=ASK%20%7B%7D", None, {"Accept": "*/*;q=nonsense"}),
    ("GET", "?query=" + "%7B" * 3000, None, {}),
    ("GET", "?query=SELECT%20*%20WHERE%20" + "%7B" * 2000 + "%7D" * 2000, None, {}),
    (
        "GET",
        "?query=SELECT%20(" + "(" * 3000 + "1" + ")" * 3000 + "%20AS%20%3Fx)%20%7B%7D",
        None,
        {},
    ),
    (
        "GET",
        "?query=SELECT%20(%3C%3C(%20%3Ca%3E%20%3Cb%3E%20%3Cc%3E%20)%3E%3E%20AS%20%3Ft)%20%7B%7D",
        None,
        {},
    ),
    ("GET", "?query=%20", None, {}),
    ("GET", "?query=ASK%20%7B%7D&default-graph-uri=", None, {}),
    ("GET", "?query=ASK%20%7B%7D&named-graph-uri=not%20an%20iri", None, {}),
    ("POST", "", b"query=%ZZ", {"Content-Type": "application/x-www-form-urlencoded"}),
    ("POST", "", b"\xff\xfe", {"Content-Type": "application/sparql-query"}),
    ("POST", "", b"ASK {}", {"Content-Type": "application/sparql-query; charset=latin-1"}),
    (
        "POST",
        "",
        "query=ASK {}".encode("utf-16"),
        {"Content-Type": "application/x-www-form-urlencoded"},
    ),
    ("POST", "", b"", {"Content-Type": "application/x-www-form-urlencoded"}),
    ("PUT", "?query=ASK%20%7B%7D", None, {}),
    ("DELETE", "", None, {}),
]


@pytest.mark.parametrize(("method", "query_string", "body", "headers"), BAD_REQUESTS)
def test_bad_input_is_never_a_5xx(client, endpoint, method, query_string, body, headers):
    response = client.request(method, endpoint + query_string, content=body, headers=headers)
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
