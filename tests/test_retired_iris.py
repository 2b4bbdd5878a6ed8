"""Retired IRIs on the server (data/curation/redirects.yaml, published in the release as
maillage/retired.py says): a replaced IRI answers 301 to its successor in the form it was asked
(its IRI → the successor's IRI, its ``.ttl`` → the successor's ``.ttl``), a withdrawn one 410,
each with a body in every description format saying when and why; the prepared hot path never
answers 200 for either, and the sitemap leaves them out."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from maillage.retired import read_retired
from server.representations import DESCRIPTIONS, HTML

BASE = "https://w3id.org/maillage/"
REPLACED, SUCCESSOR = "id/org/la-melee-numerique", "id/org/la-melee"
WITHDRAWN = "id/site/airbus-toulouse"
DEPRECATED = "http://www.w3.org/2002/07/owl#deprecated"
REPLACED_BY = "http://purl.org/dc/terms/isReplacedBy"
MODIFIED = "http://purl.org/dc/terms/modified"
CHANGE_NOTE = "http://www.w3.org/2004/02/skos/core#changeNote"
RDF = [r for r in DESCRIPTIONS if r is not HTML]


def statements(body: bytes, representation) -> dict[str, set[str]]:
    """What the body says of the retired IRI: predicate → values, parsed by pyoxigraph."""
    said: dict[str, set[str]] = {}
    for quad in ox.parse(body, format=representation.rdf_format):
        if quad.subject.value.removeprefix(BASE) in (REPLACED, WITHDRAWN):
            said.setdefault(quad.predicate.value, set()).add(quad.object.value)
    return said


@pytest.fixture(scope="module")
def served(client) -> str:
    """Where the app says it is served (its Location headers are absolute)."""
    return client.app.state.settings.served_base


def get(client, url: str, **headers: str):
    return client.get(url, headers=headers, follow_redirects=False)


@pytest.mark.parametrize("representation", RDF, ids=lambda r: r.extension)
def test_a_replaced_document_moves_to_the_successors_document_in_its_format(
    client, served, representation
):
    ext = representation.extension
    for _ in range(2):  # the second time too: the prepared hot path never answers 200
        reply = get(client, f"/{REPLACED}.{ext}")
        assert reply.status_code == 301
        assert reply.headers["location"] == f"{served}{SUCCESSOR}.{ext}"
        assert reply.headers["content-type"].split(";")[0] == representation.media_type
        said = statements(reply.content, representation)
        assert said[REPLACED_BY] == {BASE + SUCCESSOR}
        assert said[DEPRECATED] == {"true"} and said[MODIFIED] == {"2026-12-05"}
    followed = client.get(f"/{REPLACED}.{ext}")
    assert followed.status_code == 200 and followed.url == f"{served}{SUCCESSOR}.{ext}"


@pytest.mark.parametrize("representation", DESCRIPTIONS, ids=lambda r: r.extension)
def test_a_replaced_iri_moves_to_the_successors_iri_whatever_is_accepted(
    client, served, representation
):
    reply = get(client, f"/{REPLACED}", accept=representation.media_type)
    assert reply.status_code == 301
    assert reply.headers["location"] == f"{served}{SUCCESSOR}"  # which answers 303, as any thing
    assert "Accept" in reply.headers["vary"]
    assert reply.headers["content-type"].split(";")[0] == representation.media_type
    then = get(client, reply.headers["location"], accept=representation.media_type)
    assert then.status_code == 303
    assert then.headers["location"] == f"{served}{SUCCESSOR}.{representation.extension}"


def test_the_page_of_a_replaced_iri_names_its_successor_and_keeps_the_language(client, served):
    reply = get(client, f"/{REPLACED}.html?lang=en")
    assert reply.status_code == 301
    assert reply.headers["location"] == f"{served}{SUCCESSOR}.html?lang=en"
    page = reply.text
    assert "Identifier replaced" in page and 'href="/id/org/la-melee">La Mêlée</a>' in page
    assert "5 December 2026" in page and "One association under two IRIs" in page


def test_a_concept_replaced_by_a_term_moves_to_the_terms_description(client, served):
    reply = get(client, "/concept/qualifier/objectif.ttl")
    assert reply.headers["location"] == f"{served}def/Target.ttl"
    assert client.get(reply.headers["location"]).status_code == 200


@pytest.mark.parametrize("representation", RDF, ids=lambda r: r.extension)
def test_a_withdrawn_iri_is_gone_in_every_format_saying_when_and_why(
    client, served, representation
):
    for url, headers in (
        (f"/{WITHDRAWN}.{representation.extension}", {}),
        (f"/{WITHDRAWN}", {"accept": representation.media_type}),
    ):
        for _ in range(2):
            reply = get(client, url, **headers)
            assert reply.status_code == 410 and "location" not in reply.headers
            assert reply.headers["content-type"].split(";")[0] == representation.media_type
            said = statements(reply.content, representation)
            assert said[DEPRECATED] == {"true"} and said[MODIFIED] == {"2026-12-05"}
            assert REPLACED_BY not in said
            assert any("the site was a guess" in note for note in said[CHANGE_NOTE])


@pytest.mark.parametrize(
    ("url", "headers", "words"),
    [
        (f"/{WITHDRAWN}.html", {}, ("Identifiant retiré", "5 décembre 2026")),
        (f"/{WITHDRAWN}", {"accept": "text/html"}, ("Identifiant retiré", "rien ne le remplace")),
        (f"/{WITHDRAWN}.html?lang=en", {}, ("Identifier withdrawn", "5 December 2026")),
    ],
)
def test_a_withdrawn_iri_has_a_page_saying_when_and_why(client, served, url, headers, words):
    reply = get(client, url, **headers)
    assert reply.status_code == 410
    assert reply.headers["content-type"].startswith("text/html")
    for word in (*words, "the site was a guess"):
        assert word in reply.text


def test_head_answers_as_get(client, served):
    moved = client.head(f"/{REPLACED}.ttl", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == f"{served}{SUCCESSOR}.ttl"
    assert client.head(f"/{WITHDRAWN}.nt").status_code == 410


def test_an_iri_that_accepts_no_format_still_moves(client, served):
    reply = get(client, f"/{REPLACED}", accept="image/png")
    assert reply.status_code == 301 and reply.headers["location"] == f"{served}{SUCCESSOR}"
    assert get(client, f"/{WITHDRAWN}", accept="image/png").status_code == 410


def test_the_sitemap_lists_no_retired_iri(client, served):
    listed = client.get("/sitemap.xml").text  # one file: fewer than 50,000 pages
    assert f"/{SUCCESSOR}.html<" in listed
    assert f"/{REPLACED}.html<" not in listed and f"/{WITHDRAWN}.html<" not in listed


def test_a_chain_of_retirements_is_followed_to_its_last_successor():
    """The build refuses a successor that is itself retired; a release that holds a chain
    anyway (a → b → c) still sends a to c, and one that ends withdrawn (x → y, gone) is gone."""
    store = ox.Store()
    deprecated, replaced_by = ox.NamedNode(DEPRECATED), ox.NamedNode(REPLACED_BY)
    for old, new in (("a", "b"), ("b", "c"), ("x", "y"), ("y", None), ("p", "q"), ("q", "p")):
        node = ox.NamedNode(BASE + old)
        store.add(ox.Quad(node, deprecated, ox.Literal(True)))
        if new is not None:
            store.add(ox.Quad(node, replaced_by, ox.NamedNode(BASE + new)))
    retired = read_retired(store)
    assert retired[BASE + "a"].successor == BASE + "c"
    assert retired[BASE + "b"].successor == BASE + "c"
    assert retired[BASE + "x"].withdrawn and retired[BASE + "y"].withdrawn
    assert retired[BASE + "p"].successor == BASE + "q"  # a cycle: the recorded successor
