"""The public query contract (README, C1–C13) on the generated data: the clauses of
tests/test_contract.py that hold for any data, each also asserting that what it quantifies over
exists, so none passes on empty data."""

from __future__ import annotations

from generated_queries import ask, count

ENTITY_KINDS = "(org|person|site|event|membership|change|figure|work)"
HEAD_SUBCLASSES = "org:FormalOrganization org:OrganizationalUnit org:OrganizationalCollaboration"


def test_c1_organisations(generated_store):
    s = generated_store
    assert count(s, "SELECT (COUNT(DISTINCT ?o) AS ?n) { ?o a org:Organization }") >= 10
    assert not ask(
        s,
        f"""ASK {{ ?o a ?sub VALUES ?sub {{ {HEAD_SUBCLASSES} }}
        FILTER NOT EXISTS {{ ?o a org:Organization }} }}""",
    )
    assert not ask(
        s,
        """ASK { { SELECT ?o (COUNT(DISTINCT ?l) AS ?n) { ?o a org:Organization
        OPTIONAL { ?o skos:prefLabel ?l FILTER(LANG(?l) = "fr") } } GROUP BY ?o } FILTER(?n != 1) }""",
    )
    assert not ask(s, "ASK { ?o a org:Organization FILTER NOT EXISTS { ?o rdfs:label ?l } }")
    assert ask(s, "ASK { ?o a org:Organization ; org:classification ?c ; schema:foundingDate ?d }")
    assert not ask(
        s,
        "ASK { ?o org:classification ?c FILTER NOT EXISTS { ?c a skos:Concept ; skos:inScheme ?s } }",
    )
    assert not ask(
        s,
        """ASK { ?o schema:foundingDate ?d
        FILTER(DATATYPE(?d) NOT IN (xsd:date, xsd:gYearMonth, xsd:gYear)) }""",
    )


def test_c2_c3_people_memberships_and_heads(generated_store):
    s = generated_store
    assert count(s, "SELECT (COUNT(?p) AS ?n) { ?p a foaf:Person }") >= 5
    assert not ask(
        s, "ASK { ?p a foaf:Person FILTER NOT EXISTS { ?p foaf:name ?n ; skos:prefLabel ?l } }"
    )
    assert ask(s, "ASK { ?p org:headOf ?o . ?o a org:Organization }")
    assert not ask(
        s,
        """ASK { ?m a org:Membership
        FILTER NOT EXISTS { ?m org:member ?a ; org:organization ?o ; org:role ?r . ?r a skos:Concept } }""",
    )
    assert not ask(
        s,
        """ASK { ?m org:member ?p ; org:organization ?o ; org:role ?r .
        ?r org:roleProperty org:headOf FILTER NOT EXISTS { ?p org:headOf ?o } }""",
    )
    assert ask(s, "ASK { ?m a org:Membership ; org:memberDuring/time:hasBeginning ?b }")


def test_c4_c5_inverse_properties_are_both_materialised(generated_store):
    for forward, backward in [
        ("org:memberOf", "org:hasMember"),
        ("org:subOrganizationOf", "org:hasSubOrganization"),
    ]:
        assert ask(generated_store, f"ASK {{ ?a {forward} ?b }}"), forward
        assert not ask(
            generated_store, f"ASK {{ ?a {forward} ?b FILTER NOT EXISTS {{ ?b {backward} ?a }} }}"
        )
        assert not ask(
            generated_store, f"ASK {{ ?b {backward} ?a FILTER NOT EXISTS {{ ?a {forward} ?b }} }}"
        )


def test_c6_changes(generated_store):
    s = generated_store
    assert ask(
        s,
        """ASK { ?c a org:ChangeEvent ; org:originalOrganization ?o ;
        org:resultingOrganization ?r ; dcterms:date ?d }""",
    )
    assert not ask(
        s, "ASK { ?c org:originalOrganization ?o FILTER NOT EXISTS { ?o org:changedBy ?c } }"
    )
    assert not ask(
        s, "ASK { ?c org:resultingOrganization ?o FILTER NOT EXISTS { ?o org:resultedFrom ?c } }"
    )


def test_c7_c8_sites_in_communes_of_official_territories(generated_store):
    s = generated_store
    assert ask(s, "ASK { ?o org:hasPrimarySite ?s . ?s geo:sfWithin ?c . ?c a igeo:Commune }")
    assert not ask(s, "ASK { ?o org:hasPrimarySite ?s FILTER NOT EXISTS { ?o org:hasSite ?s } }")
    assert not ask(
        s,
        """ASK { ?o org:hasSite ?s
        FILTER NOT EXISTS { ?s a org:Site ; geo:sfWithin ?c . ?c a igeo:Commune } }""",
    )
    assert not ask(
        s,
        """ASK { ?t a ?type VALUES ?type { igeo:Commune igeo:Departement igeo:Region }
        FILTER NOT EXISTS { ?t igeo:codeINSEE ?code ; skos:prefLabel ?l } }""",
    )
    assert not ask(
        s, """ASK { ?t igeo:codeINSEE ?code FILTER(!STRENDS(STR(?t), CONCAT("/", ?code))) }"""
    )


def test_c9_events_series_editions_and_places(generated_store):
    s = generated_store
    assert ask(s, "ASK { ?e a schema:Event ; schema:superEvent ?s . ?s a schema:EventSeries }")
    assert ask(s, "ASK { ?e schema:eventStatus schema:EventScheduled }")
    assert not ask(
        s,
        """ASK { ?e a ?t VALUES ?t { schema:Event schema:EventSeries }
        FILTER NOT EXISTS { ?e schema:name ?n } }""",
    )
    assert not ask(
        s,
        """ASK { ?e schema:location ?l FILTER NOT EXISTS {
        { ?l a igeo:Commune } UNION { ?l a org:Site ; geo:sfWithin ?c . ?c a igeo:Commune } } }""",
    )
    assert not ask(
        s,
        """ASK { ?e schema:startDate|schema:endDate ?d
        FILTER(DATATYPE(?d) NOT IN (xsd:date, xsd:gYearMonth, xsd:gYear)) }""",
    )


def test_c10_figures_are_typed_observations(generated_store):
    s = generated_store
    assert count(s, "SELECT (COUNT(?f) AS ?n) { ?f a mlg:Observation }") >= 5
    assert not ask(
        s,
        """ASK { ?f a mlg:Observation FILTER NOT EXISTS { ?f schema:value ?v ; mlg:unit ?u ;
        mlg:measure ?m FILTER(DATATYPE(?v) IN (xsd:integer, xsd:decimal)) } }""",
    )
    assert not ask(s, "ASK { ?f a mlg:Observation FILTER NOT EXISTS { ?s mlg:observation ?f } }")


def test_c11_every_domain_statement_is_backed_by_a_claim(generated_store):
    s = generated_store
    assert not ask(
        s,
        f"""ASK {{ ?s ?p ?o
        FILTER(REGEX(STR(?s), "^https://w3id.org/maillage/id/{ENTITY_KINDS}/"))
        FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }} }}""",
    )
    assert count(s, "SELECT (COUNT(?c) AS ?n) { ?c a mlg:Claim }") >= 100
    assert not ask(
        s,
        """ASK { ?c a mlg:Claim FILTER NOT EXISTS { ?c prov:wasDerivedFrom ?d .
        ?d a foaf:Document ; dcterms:title ?t . ?c mlg:quote ?q . ?q oa:exact ?text } }""",
    )
    assert not ask(s, "ASK { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?g a mlg:Claim } }")
    assert ask(s, "ASK { ?c mlg:inferred true ; mlg:inferenceNote ?why }")


def test_c12_deprecated_claims_stay_out_of_the_default_graph(generated_store):
    s = generated_store
    assert ask(s, "ASK { ?c mlg:rank mlg:DeprecatedRank }")
    assert ask(s, "ASK { ?x a mlg:Conflict ; mlg:conflictClaim ?a, ?b FILTER(?a != ?b) }")
    assert not ask(
        s,
        """ASK { ?c mlg:rank mlg:DeprecatedRank . GRAPH ?c { ?s ?p ?o } ?s ?p ?o .
        FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } ?g mlg:rank ?r FILTER(?r != mlg:DeprecatedRank) } }""",
    )
    assert not ask(
        s,
        """ASK { ?c mlg:rank mlg:DeprecatedRank FILTER NOT EXISTS {
        ?c mlg:losesTo ?w ; mlg:rankReason ?why . ?w a mlg:Claim } }""",
    )


def test_c13_identifiers_are_under_one_base_and_never_blank(generated_store):
    s = generated_store
    assert not ask(s, "ASK { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }")
    assert not ask(
        s,
        """ASK { ?s a ?type FILTER(STRSTARTS(STR(?type), "https://w3id.org/maillage/")
        && !STRSTARTS(STR(?type), "https://w3id.org/maillage/def/")) }""",
    )
