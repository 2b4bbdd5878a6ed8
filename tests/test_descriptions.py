"""Descriptions (maillage/descriptions.py) on a small hand-made release, and every IRI of the
real release described."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from mini_release import (
    ALPHA,
    BASE,
    BETA,
    CLAIM_IDENTITY,
    CLAIM_MEMBER,
    CLAIM_OLD,
    QUOTE_MEMBER,
    write_release,
)

from maillage.descriptions import Descriptions
from maillage.release_reader import ReleaseReader

MEMBER_OF = "http://www.w3.org/ns/org#memberOf"
HAS_MEMBER = "http://www.w3.org/ns/org#hasMember"
FOUNDING = "http://schema.org/foundingDate"


@pytest.fixture(scope="module")
def described(tmp_path_factory) -> Descriptions:
    return Descriptions(ReleaseReader(write_release(tmp_path_factory.mktemp("var")), BASE))


@pytest.fixture(scope="module")
def alpha(described):
    return described.describe(ALPHA)


def statement(statements, predicate):
    found = [s for s in statements if s.predicate.value == predicate]
    assert len(found) == 1, predicate
    return found[0]


def test_outgoing_statements_carry_the_claims_that_state_them(alpha):
    member_of = statement(alpha.outgoing, MEMBER_OF)
    assert member_of.object.value == BETA
    assert member_of.asserted
    assert member_of.claims == (CLAIM_MEMBER,)


def test_incoming_links_and_the_labels_of_their_subjects(alpha):
    has_member = statement(alpha.incoming, HAS_MEMBER)
    assert has_member.subject.value == BETA
    assert alpha.label(BETA) == "Bêta"


def test_each_claim_comes_with_its_quote_document_and_rank(alpha):
    claim = alpha.claims[CLAIM_MEMBER]
    assert claim.quote == QUOTE_MEMBER
    assert claim.document == BASE + "id/document/001"
    assert claim.rank == BASE + "def/PreferredRank"
    assert alpha.label(claim.document) == "Alpha rejoint Beta"


def test_a_statement_only_a_deprecated_claim_makes_is_not_asserted(alpha):
    founding = statement(alpha.outgoing, FOUNDING)
    assert not founding.asserted
    assert founding.claims == (CLAIM_OLD,)
    assert all(t.predicate.value != FOUNDING for t in alpha.triples)
    assert any(
        q.predicate.value == FOUNDING and q.graph_name.value == CLAIM_OLD for q in alpha.quads
    )


def test_the_dataset_repeats_each_statement_in_its_claim_graphs(alpha):
    in_graphs = {(q.predicate.value, q.graph_name.value) for q in alpha.named_part}
    assert (MEMBER_OF, CLAIM_MEMBER) in in_graphs
    assert (HAS_MEMBER, CLAIM_MEMBER) in in_graphs


def test_the_described_resource_comes_first(alpha):
    assert alpha.triples[0].subject == ox.NamedNode(ALPHA)


def test_a_claim_describes_the_content_of_its_graph(described):
    claim = described.describe(CLAIM_IDENTITY)
    assert {q.graph_name.value for q in claim.graph} == {CLAIM_IDENTITY}
    assert claim.label(ALPHA) == "Alpha"


def test_ontology_and_shapes_are_described_whole(described):
    ontology = described.describe(BASE + "def/")
    terms = {t.subject.value for t in ontology.triples}
    assert BASE + "def/Claim" in terms
    assert set(described.describe(BASE + "def/1.0.0").triples) >= set(ontology.triples)
    shapes = described.describe(BASE + "shapes/")
    assert BASE + ".well-known/genid/0a1b2c" in {t.subject.value for t in shapes.triples}


def test_unknown_and_foreign_iris_have_no_description(described):
    assert described.describe(BASE + "id/org/nobody") is None
    assert described.describe("http://example.org/alpha") is None


def test_iris_lists_every_iri_of_our_namespace_and_each_is_described(described):
    iris = described.iris()
    assert {ALPHA, BETA, CLAIM_OLD, BASE + "def/", BASE + "id/dataset/maillage"} <= set(iris)
    assert all(i.startswith(BASE) for i in iris)
    assert all(described.describe(i) is not None for i in iris)


@pytest.mark.slow
def test_every_iri_of_the_real_release_is_described(release):
    described = Descriptions(ReleaseReader(release, BASE))
    iris = described.iris()
    assert len(iris) > 100
    for iri in iris:
        description = described.describe(iri)
        assert description is not None, iri
        assert description.quads, iri
