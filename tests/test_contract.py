"""The public query contract (README, C1–C14), each clause checked by SPARQL against the built
release, loaded in pyoxigraph. Each test fails if its clause breaks; none passes on empty data."""

from __future__ import annotations

from release_queries import ask, select

ENTITY_KINDS_FILTER = """
FILTER(REGEX(STR(?s), "^https://w3id.org/maillage/id/(org|person|site|event|membership|change|figure|work)/"))
"""


TIME_DERIVED = (
    "schema:dissolutionDate",
    "mlg:earliestDissolutionDate",
    "mlg:latestDissolutionDate",
    "time:hasEnd",
    "mlg:possiblyFrom",
    "mlg:certainlyFrom",
    "mlg:certainlyUntil",
    "mlg:possiblyUntil",
)
"""What the time model reads off several claims at once: in the default graph only (C11); an
organisation's end is also its ``#end`` instant. A curated end (``time:hasEnd``) is in its claim
graph too."""


def test_c1_every_organisation_is_an_org_organization_with_one_french_label(store):
    orgs = select(store, "SELECT DISTINCT ?o { ?o a org:Organization }")
    assert len(orgs) >= 40
    assert not ask(
        store,
        "ASK { ?o a ?sub . VALUES ?sub { org:FormalOrganization org:OrganizationalUnit org:OrganizationalCollaboration } FILTER NOT EXISTS { ?o a org:Organization } }",
    )
    bad = select(
        store,
        """SELECT ?o (COUNT(DISTINCT ?l) AS ?n) { ?o a org:Organization
        OPTIONAL { ?o skos:prefLabel ?l FILTER(LANG(?l) = "fr") } } GROUP BY ?o HAVING (?n != 1)""",
    )
    assert bad == []
    assert not ask(store, "ASK { ?o a org:Organization FILTER NOT EXISTS { ?o rdfs:label ?l } }")


def test_c1_variants_classifications_and_founding_dates(store):
    assert ask(store, 'ASK { id:org/ekitia skos:altLabel "Occitanie Data"@fr }')
    assert ask(store, "ASK { id:org/digital-113 org:classification family:clusters-poles }")
    assert not ask(
        store,
        "ASK { ?o org:classification ?c FILTER NOT EXISTS { ?c a skos:Concept ; skos:inScheme ?s } }",
    )
    assert ask(store, 'ASK { id:org/la-melee schema:foundingDate "2000"^^xsd:gYear }')
    assert not ask(
        store,
        """ASK { ?o schema:foundingDate ?d
        FILTER(DATATYPE(?d) NOT IN (xsd:date, xsd:gYearMonth, xsd:gYear)) }""",
    )


def test_c2_people_have_a_name_and_a_label(store):
    people = select(store, "SELECT ?p { ?p a foaf:Person }")
    assert len(people) >= 10
    assert not ask(
        store, "ASK { ?p a foaf:Person FILTER NOT EXISTS { ?p foaf:name ?n ; skos:prefLabel ?l } }"
    )
    assert ask(store, 'ASK { id:person/pierre-deniset foaf:name "Pierre Deniset"@fr }')


def test_c3_memberships_and_heads(store):
    assert not ask(
        store,
        """ASK { ?m a org:Membership
        FILTER NOT EXISTS { ?m org:member ?a ; org:organization ?o ; org:role ?r . ?r a skos:Concept } }""",
    )
    assert ask(
        store,
        """ASK { ?m a org:Membership ; org:member id:person/pierre-deniset ;
        org:organization id:org/frenchsouth-digital ; org:role role:president }""",
    )
    assert ask(store, "ASK { id:person/daniel-benchimol org:headOf id:org/digital-place }")
    assert not ask(
        store,
        """ASK { ?m org:member ?p ; org:organization ?o ; org:role ?r .
        ?r org:roleProperty org:headOf FILTER NOT EXISTS { ?p org:headOf ?o } }""",
    )


def test_c4_c5_inverse_properties_are_both_materialised(store):
    for forward, backward in [
        ("org:memberOf", "org:hasMember"),
        ("org:subOrganizationOf", "org:hasSubOrganization"),
    ]:
        assert ask(store, f"ASK {{ ?a {forward} ?b }}"), forward
        assert not ask(store, f"ASK {{ ?a {forward} ?b FILTER NOT EXISTS {{ ?b {backward} ?a }} }}")
        assert not ask(store, f"ASK {{ ?b {backward} ?a FILTER NOT EXISTS {{ ?a {forward} ?b }} }}")


def test_c6_the_digital_113_merger(store):
    rows = select(
        store,
        """SELECT ?original { id:change/fusion-digital-113 a org:ChangeEvent ;
        org:originalOrganization ?original ; org:resultingOrganization id:org/digital-113 }""",
    )
    assert {r["original"].rsplit("/", 1)[1] for r in rows} == {
        "digital-place",
        "frenchsouth-digital",
    }
    assert ask(store, "ASK { id:change/fusion-digital-113 dcterms:date ?d }")
    assert ask(store, "ASK { id:org/digital-113 org:resultedFrom id:change/fusion-digital-113 }")
    assert ask(store, "ASK { id:org/digital-place org:changedBy id:change/fusion-digital-113 }")
    assert not ask(
        store, "ASK { ?c org:originalOrganization ?o FILTER NOT EXISTS { ?o org:changedBy ?c } }"
    )


def test_c7_actual_sites_are_in_communes_and_planned_sites_are_not_sites(store):
    assert not ask(
        store, "ASK { ?o org:hasPrimarySite ?s FILTER NOT EXISTS { ?o org:hasSite ?s } }"
    )
    assert not ask(
        store,
        "ASK { ?o org:hasSite ?s FILTER NOT EXISTS { ?s a org:Site ; geo:sfWithin ?c . ?c a igeo:Commune } }",
    )
    assert ask(
        store,
        """ASK { id:org/digital-113 org:hasPrimarySite ?s . ?s geo:sfWithin ?c .
        ?c igeo:codeINSEE "31555" }""",
    )
    assert ask(store, "ASK { ?o mlg:plannedSite ?s . ?s geo:sfWithin ?c }")
    assert not ask(store, "ASK { ?o mlg:plannedSite ?s ; org:hasSite ?s }")


def test_c8_territories_from_official_codes(store):
    assert ask(
        store,
        """ASK { ?t a igeo:Commune ; igeo:codeINSEE "31555" ; skos:prefLabel "Toulouse"@fr ;
        geo:sfWithin ?d . ?d a igeo:Departement ; igeo:codeINSEE "31" ; geo:sfWithin ?r .
        ?r a igeo:Region ; igeo:codeINSEE "76" }""",
    )
    assert not ask(
        store,
        """ASK { ?t a ?type VALUES ?type { igeo:Commune igeo:Departement igeo:Region }
        FILTER NOT EXISTS { ?t igeo:codeINSEE ?code ; skos:prefLabel ?l } }""",
    )
    assert not ask(
        store,
        "ASK { ?c a igeo:Commune FILTER NOT EXISTS { ?c geo:sfWithin ?d . ?d a igeo:Departement } }",
    )
    assert ask(store, "ASK { id:region/73 a igeo:Region } ") and ask(
        store, "ASK { id:region/91 a igeo:Region }"
    )
    assert not ask(
        store,
        "ASK { ?c a igeo:Commune ; geo:hasGeometry ?g FILTER NOT EXISTS { ?g geo:asWKT ?w } }",
    )


def test_c9_events_series_editions_and_places(store):
    assert ask(
        store,
        """ASK { ?e a schema:Event ; schema:superEvent id:event/la-melee-numerique ;
        schema:startDate "2023"^^xsd:gYear . id:event/la-melee-numerique a schema:EventSeries }""",
    )
    assert not ask(
        store,
        "ASK { ?e a ?t VALUES ?t { schema:Event schema:EventSeries } FILTER NOT EXISTS { ?e schema:name ?n } }",
    )
    assert not ask(
        store,
        """ASK { ?e schema:location ?l FILTER NOT EXISTS {
        { ?l a igeo:Commune } UNION { ?l a org:Site ; geo:sfWithin ?c . ?c a igeo:Commune } } }""",
    )
    assert not ask(
        store,
        """ASK { ?e schema:startDate|schema:endDate ?d
        FILTER(DATATYPE(?d) NOT IN (xsd:date, xsd:gYearMonth, xsd:gYear)) }""",
    )


def test_c10_figures_are_typed_observations(store):
    assert ask(
        store,
        """ASK { id:org/digital-113 mlg:observation ?f . ?f mlg:measure ?m ;
        schema:value 1200000 }""",
    )
    assert not ask(
        store,
        """ASK { ?f a mlg:Observation FILTER NOT EXISTS { ?f schema:value ?v ; mlg:unit ?u ;
        mlg:measure ?m FILTER(DATATYPE(?v) IN (xsd:integer, xsd:decimal)) } }""",
    )
    assert not ask(
        store, "ASK { ?f a mlg:Observation FILTER NOT EXISTS { ?s mlg:observation ?f } }"
    )


def test_c11_every_domain_statement_is_backed_by_a_claim(store):
    unbacked = select(
        store,
        f"""SELECT ?s ?p ?o {{ ?s ?p ?o {ENTITY_KINDS_FILTER}
        FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }}
        FILTER NOT EXISTS {{ ?s owl:deprecated true }}  # retired: data/curation/redirects.yaml
        FILTER(?p NOT IN ({", ".join(TIME_DERIVED)}))
        FILTER NOT EXISTS {{ ?ended schema:dissolutionDate ?d
          FILTER(STR(?s) = CONCAT(STR(?ended), "#end")) }} }} LIMIT 5""",
    )
    assert unbacked == []
    only_default = ", ".join(p for p in TIME_DERIVED if p != "time:hasEnd")
    derived_in_claims = select(
        store, f"SELECT ?p {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?p IN ({only_default})) }}"
    )
    assert derived_in_claims == []
    claims = select(store, "SELECT ?c { ?c a mlg:Claim }")
    assert len(claims) >= 100
    assert not ask(
        store,
        """ASK { ?c a mlg:Claim FILTER NOT EXISTS { ?c prov:wasDerivedFrom ?d .
        ?d a foaf:Document ; dcterms:title ?t . ?c ?p ?x . ?x oa:exact ?q } }""",
    )
    assert not ask(store, "ASK { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?g a mlg:Claim } }")
    undated = select(
        store, "SELECT ?d { ?d a foaf:Document FILTER NOT EXISTS { ?d dcterms:date ?x } }"
    )
    assert [r["d"].rsplit("/", 1)[1] for r in undated] == [
        "004"
    ]  # its date is unknown: none invented


def test_c12_deprecated_claims_stay_out_of_the_default_graph(store):
    deprecated = select(store, "SELECT ?c { ?c mlg:rank mlg:DeprecatedRank }")
    assert deprecated
    assert not ask(
        store,
        """ASK { ?c mlg:rank mlg:DeprecatedRank . GRAPH ?c { ?s ?p ?o } ?s ?p ?o .
        FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } ?g mlg:rank ?r FILTER(?r != mlg:DeprecatedRank) } }""",
    )
    assert not ask(
        store,
        """ASK { ?c mlg:rank mlg:DeprecatedRank FILTER NOT EXISTS {
        ?c mlg:losesTo ?w ; mlg:rankReason ?why . ?w a mlg:Claim } }""",
    )
    assert not ask(store, "ASK { id:org/la-melee org:changedBy id:change/fusion-digital-113 }")
    # agreeing is not losing: « en 2019 » (000) agrees with « le 5 février » 2019 (001)
    assert ask(
        store,
        """ASK { id:claim/000/a-fusion-digital-113-date mlg:rank mlg:NormalRank ;
        mlg:agreesWith id:claim/001/d113-naissance-date ; mlg:rankReason ?why
        FILTER NOT EXISTS { id:claim/000/a-fusion-digital-113-date mlg:losesTo ?x } }""",
    )
    dates = select(store, "SELECT ?d { id:change/fusion-digital-113 dcterms:date ?d }")
    assert [r["d"] for r in dates] == ["2019-02-05"]
    assert not ask(
        store, "ASK { ?c mlg:agreesWith ?p . ?c mlg:rank ?r FILTER(?r != mlg:NormalRank) }"
    )


def test_c13_identifiers_are_readable_and_under_one_base(store):
    assert not ask(
        store, """ASK { ?t igeo:codeINSEE ?code FILTER(!STRENDS(STR(?t), CONCAT("/", ?code))) }"""
    )
    assert not ask(store, """ASK { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }""")
    assert not ask(
        store,
        """ASK { ?s a ?type FILTER(STRSTARTS(STR(?type), "https://w3id.org/maillage/")
        && !STRSTARTS(STR(?type), "https://w3id.org/maillage/def/")) }""",
    )


def test_c13_a_retired_iri_is_replaced_never_dropped(store):
    assert ask(store, "ASK { id:org/la-melee-numerique dcterms:isReplacedBy id:org/la-melee }")
    assert not ask(
        store,
        """ASK { ?old owl:deprecated true
        { ?old ?p ?o FILTER(?p NOT IN (owl:deprecated, dcterms:isReplacedBy, dcterms:modified,
          skos:changeNote)) } UNION { ?s ?q ?old } }""",
    )  # a retired IRI says only that it is retired, and nothing points to it
    assert not ask(
        store,
        """ASK { ?old dcterms:isReplacedBy ?new
        FILTER(REGEX(STR(?old), "/id/(org|person|site|event|membership|change|figure|work)/"))
        FILTER NOT EXISTS { ?old owl:deprecated true } }""",
    )  # (former régions are replaced too, and keep their own description)
    assert ask(
        store,
        """ASK { ?old dcterms:isReplacedBy ?new
        FILTER(REGEX(STR(?old), "/id/(org|person|site|event|membership|change|figure|work)/")) }""",
    )


def test_c14_every_date_has_its_first_and_last_day(store):
    assert ask(
        store,
        """ASK { id:org/la-melee schema:foundingDate "2000"^^xsd:gYear ;
        mlg:earliestFoundingDate "2000-01-01"^^xsd:date ;
        mlg:latestFoundingDate "2000-12-31"^^xsd:date }""",
    )
    dated = select(
        store,
        """SELECT ?s ?p ?d {
        VALUES (?p ?early ?late) {
          (dcterms:date mlg:earliestDate mlg:latestDate)
          (schema:foundingDate mlg:earliestFoundingDate mlg:latestFoundingDate)
          (schema:startDate mlg:earliestStartDate mlg:latestStartDate)
          (schema:endDate mlg:earliestEndDate mlg:latestEndDate)
          (schema:dateCreated mlg:earliestDateCreated mlg:latestDateCreated)
          (mlg:plannedDate mlg:earliestPlannedDate mlg:latestPlannedDate)
        }
        ?s ?p ?d
        FILTER NOT EXISTS { ?s ?early ?from ; ?late ?to
          FILTER(DATATYPE(?from) = xsd:date && DATATYPE(?to) = xsd:date && ?from <= ?to
                 && STRSTARTS(STR(?from), STR(?d)) && STRSTARTS(STR(?to), STR(?d))) } }""",
    )
    assert dated == []
    assert len(select(store, "SELECT ?s { ?s mlg:earliestStartDate ?d }")) >= 10
