"""A beginner's mistakes get one short line: where (line and column) and what was expected or
found; never the parser's list of Unicode character classes. The policy (rdflib's grammar) and
the engine (pyoxigraph) both know the predeclared prefixes."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from starlette.exceptions import HTTPException

from maillage.identifiers import Base
from maillage.namespaces import PREFIXES
from maillage.rdfio import prefixes
from maillage.settings import REPO_ROOT
from maillage.sparql_syntax import engine_message, explain, with_prefixes
from server.sparql_policy import Policy

BASE = "https://w3id.org/maillage/"
KNOWN = prefixes(BASE)
DUMP_MARKERS = ("\\u{", "..=", "Expected {", "SelectQuery", "^")

MISTAKES = [
    # (what, query, position, phrase)
    ("missing object", "SELECT * WHERE { ?s ?p }", "line 1, column 24", "expected a term"),
    ("missing object", "SELECT ?s\nWHERE {\n  ?s ?p\n}", "line 3, column 8", "after '?s ?p'"),
    ("unclosed brace", "SELECT * WHERE { ?s ?p ?o", "line 1, column 26", "'{' opened at line 1"),
    ("extra brace", "SELECT * WHERE { ?s ?p ?o } }", "line 1, column 29", "'}' closes nothing"),
    ("crossed brackets", "ASK { FILTER(?o = 1 }", "line 1, column 21", "'(' opened at line 1"),
    ("bad keyword", "SELEKT * WHERE { ?s ?p ?o }", "line 1, column 1", "did you mean SELECT?"),
    ("bad keyword", "SELECT * { ?s ?p ?o }\nLIMT 5", "line 2, column 1", "did you mean LIMIT?"),
    ("stray character", "SELECT * WHERE { ?s ?p ?o . ~ }", "line 1, column 29", "character '~'"),
    ("unclosed string", 'SELECT * { ?s ?p "abc }', "line 1, column 18", "string is not closed"),
    ("missing BY", "SELECT * { ?s ?p ?o } ORDER ?s", "line 1, column 29", "expected BY"),
    ("bad limit", "SELECT * { ?s ?p ?o } LIMIT x", "line 1, column 29", "a whole number"),
    ("empty filter", "ASK {\n  FILTER(?o > ) }", "line 2, column 15", "expected an expression"),
    ("empty query", "", "line 1, column 1", "SELECT, CONSTRUCT, DESCRIBE, ASK"),
    ("bare name", "ASK { ?s a Organization }", "line 1, column 12", "neither a keyword nor"),
    ("missing prefix", "SELECT * {\n  ?s a nope:Thing }", "line 2, column 8", "'nope:' is not"),
]


@pytest.fixture(scope="module")
def policy() -> Policy:
    return Policy(Base(BASE), 20_000, KNOWN)


@pytest.mark.parametrize(("what", "query", "where", "phrase"), MISTAKES)
def test_each_mistake_gets_its_position_and_a_short_sentence(policy, what, query, where, phrase):
    with pytest.raises(HTTPException) as refused:
        policy.check(query)
    message = refused.value.detail
    assert refused.value.status_code == 400
    assert where in message and phrase in message, (what, message)
    assert "\n" not in message
    assert not any(marker in message for marker in DUMP_MARKERS), message


@pytest.mark.parametrize(("what", "query", "where", "phrase"), MISTAKES)
def test_the_command_line_explains_the_same_mistakes(what, query, where, phrase):
    """``maillage query`` has no policy: it explains what pyoxigraph refused the same way."""
    with pytest.raises(SyntaxError) as refused:
        ox.Store().query(query, prefixes=KNOWN)
    message = explain(query, KNOWN) or engine_message(str(refused.value))
    assert where in message and phrase in message, (what, message)


def test_an_undeclared_prefix_is_named_with_every_known_one(policy):
    with pytest.raises(HTTPException) as refused:
        policy.check("SELECT ?o WHERE { ?o a org:Organization ; fooo:bar ?x }")
    message = refused.value.detail
    assert "'fooo:' is not declared" in message and "line 1, column 43" in message
    assert all(f" {name}:" in message for name in PREFIXES)
    assert message.count(".") <= message.count(":") and "\n" not in message


def test_no_prefix_line_is_needed_and_a_declared_one_wins(policy):
    policy.check("SELECT ?o WHERE { ?o a org:Organization ; skos:prefLabel ?l }")
    policy.check("PREFIX nope: <urn:x#> SELECT ?o WHERE { ?o a nope:Thing }")
    store = ox.Store()
    store.add(
        ox.Quad(ox.NamedNode(f"{BASE}id/org/a"), ox.NamedNode(f"{BASE}def/p"), ox.Literal("1"))
    )
    ours = "SELECT ?o WHERE { id:org\\/a mlg:p ?o }"
    assert len(list(store.query(ours, prefixes=KNOWN))) == 1
    overridden = "PREFIX mlg: <urn:other#> " + ours
    assert len(list(store.query(overridden, prefixes=KNOWN))) == 0


def test_prefix_lines_are_added_only_for_prefixes_the_query_leaves_undeclared():
    text = with_prefixes("PREFIX org: <urn:mine#> SELECT * { ?o a org:X }", KNOWN)
    assert "PREFIX org: <urn:mine#>" in text and f"PREFIX org: <{KNOWN['org']}>" not in text
    assert f"PREFIX mlg: <{BASE}def/>" in text
    assert list(ox.Store().query(text)) == []


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("SELECT * { ?s a nope:Thing }", "line 1, column 27: prefix not found"),
        ("SELECT (?s AS ?s) { ?s ?p ?o }", "column 31: the SELECT overrides an existing variable"),
        ("SELECT * { ?s ?p ?o } LIMIT 5 LIMIT 6", "column 37: expected one of OFFSET, VALUES"),
        ("SELECT ?p (STR(?o) AS ?t) { ?s ?p ?o } GROUP BY ?p", "column 51: the SELECT contains"),
    ],
)
def test_the_engine_message_keeps_what_it_says_and_drops_the_character_classes(query, said):
    """Errors only pyoxigraph finds (rdflib parses these) still say where and what."""
    with pytest.raises(SyntaxError) as refused:
        ox.Store().query(query)
    message = engine_message(str(refused.value))
    assert message.startswith("syntax error at line 1, column") and said in message, message
    assert "\n" not in message
    assert not any(marker in message for marker in DUMP_MARKERS), message


@pytest.mark.parametrize("doc", ["README.md", "docs/sparql.md"])
def test_the_docs_list_every_predeclared_prefix(doc):
    text = (REPO_ROOT / doc).read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([\w-]+):` \| `([^`]+)` \|$", text, re.M)
    assert dict(rows) == KNOWN
