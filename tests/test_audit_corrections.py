"""The reading audit's corrections (issue 8 point 4, data/curation/audit-2026-12.yaml), each as
the question a user asks of the built release."""

from __future__ import annotations

from release_queries import ask, select


def test_the_merged_clusters_were_born_in_the_former_regions(store):
    # « nées en Occitanie Ouest et Est »: région 76 exists only since 2016
    assert ask(store, "ASK { id:org/digital-place schema:foundingLocation id:region/73 }")
    assert ask(store, "ASK { id:org/frenchsouth-digital schema:foundingLocation id:region/91 }")
    assert not ask(store, "ASK { ?o schema:foundingLocation id:region/76 }")
    assert ask(
        store,
        """ASK { GRAPH ?c { id:org/digital-place schema:foundingLocation id:region/73 }
        ?c mlg:inferred true ; mlg:inferenceNote ?why }""",
    )


def test_the_2017_planned_offices_are_the_future_clusters(store):
    planned = select(
        store,
        """SELECT ?o { ?o mlg:plannedSite ?s . ?s geo:sfWithin/igeo:codeINSEE "81065" }""",
    )  # Castres
    assert [r["o"].rsplit("/", 1)[1] for r in planned] == ["digital-113"]
    assert not ask(
        store,
        "ASK { VALUES ?o { id:org/digital-place id:org/frenchsouth-digital } ?o mlg:plannedSite ?s }",
    )


def test_the_joint_members_figure_is_neither_clusters_count(store):
    # Digital Place's own 2017 count is « environ 200 », not the joint « près de 400 »
    values = select(
        store,
        """SELECT ?v { id:org/digital-place mlg:observation ?f .
        ?f mlg:measure measure:members ; schema:value ?v }""",
    )
    assert [r["v"] for r in values] == ["200"]
    assert ask(
        store,
        """ASK { ?f mlg:jointOf id:org/digital-place, id:org/frenchsouth-digital ;
        schema:value 400 ; mlg:qualifier qualifier:pres-de .
        id:change/fusion-digital-113 mlg:observation ?f }""",
    )


def test_cote_toulouse_is_not_the_commune_of_toulouse(store):
    assert not ask(store, "ASK { id:event/innovation-it-day schema:location ?where }")
    assert not ask(store, "ASK { id:event/green-it-day schema:location ?where }")
    assert ask(
        store,
        """ASK { ?edition schema:superEvent id:event/innovation-it-day ;
        schema:location/geo:sfWithin/igeo:codeINSEE "31254" }""",
    )  # the 2017 edition, at Diagora in Labège


def test_a_target_is_not_a_count(store):
    counts = select(
        store,
        """SELECT ?v { id:org/digital-113 mlg:observation ?f .
        ?f mlg:measure measure:members ; schema:value ?v } ORDER BY ?v""",
    )
    assert [r["v"] for r in counts] == ["350", "400"]  # plus de 350 (2019), plus de 400 (2025)
    assert ask(
        store,
        """ASK { id:org/digital-113 mlg:target ?t . ?t a mlg:Target ;
        mlg:measure measure:members ; schema:value 400 FILTER NOT EXISTS { ?t a mlg:Observation } }""",
    )
    assert not ask(store, "ASK { ?s mlg:observation ?t . ?t a mlg:Target }")
    assert not ask(store, "ASK { ?f mlg:qualifier qualifier:objectif }")


def test_digital_113s_own_figures_leave_out_its_members_revenue_and_jobs(store):
    own = select(
        store,
        """SELECT ?m ?v { id:org/digital-113 mlg:observation ?f .
        ?f mlg:measure ?m ; schema:value ?v VALUES ?m { measure:revenue measure:jobs } }""",
    )
    assert own == []
    members = select(
        store,
        """SELECT ?m ?v { id:org/digital-113 mlg:observation ?f .
        ?f mlg:measure ?m ; schema:value ?v
        VALUES ?m { measure:member-revenue measure:member-jobs } } ORDER BY ?v""",
    )
    assert [r["v"] for r in members] == ["17000", "1200000000"]
    assert ask(
        store,
        """ASK { id:org/digital-113 mlg:observation ?f .
        ?f mlg:measure measure:budget ; schema:value 1200000 }""",
    )


def test_inferences_the_audit_found_unflagged_are_flagged(store):
    for subject, predicate, obj in [
        ("id:org/python-montpellier", "org:hasSite", "id:site/python-montpellier"),
        ("id:org/bic-montpellier", "org:hasSite", "id:site/bic-montpellier"),
        ("id:org/epitech-toulouse", "org:hasSite", "id:site/epitech-toulouse"),
        ("id:org/pradeo", "schema:areaServed", "id:region/76"),
        ("id:org/bluemind", "schema:areaServed", "id:region/76"),
        ("id:org/digital-113", "schema:funder", "id:org/region-occitanie"),
        (
            "id:org/conseil-de-la-french-tech-montpellier",
            "org:subOrganizationOf",
            "id:org/french-tech-montpellier",
        ),
    ]:
        assert not ask(
            store,
            f"""ASK {{ GRAPH ?c {{ {subject} {predicate} {obj} }}
            FILTER NOT EXISTS {{ ?c mlg:inferred true }} }}""",
        ), (subject, predicate)
        assert ask(store, f"ASK {{ {subject} {predicate} {obj} }}"), (subject, predicate)
    # « À Toulouse, l'écosystème s'appuie sur … Airbus, Thales ou Continental »: no address
    assert not ask(
        store,
        "ASK { VALUES ?o { id:org/airbus id:org/thales id:org/continental } ?o org:hasSite ?s }",
    )


def test_properties_are_used_within_their_domains(store):
    assert not ask(store, "ASK { ?p a schema:Product ; schema:location ?where }")
    assert ask(
        store,
        """ASK { id:work/adastra a schema:Product ; dcterms:spatial ?c .
        ?c igeo:codeINSEE "34172" }""",
    )
    assert not ask(store, "ASK { ?f a mlg:Observation ; schema:about ?x }")
    assert not ask(store, "ASK { ?w a mlg:Programme ; schema:isPartOf ?x }")
    names = select(store, "SELECT ?n { id:event/digiworld schema:name ?n }")
    assert [r["n"] for r in names] == ["DigiWorld"]
    assert ask(store, 'ASK { id:event/digiworld schema:alternateName "DigiWorld Week"@fr }')


def test_role_labels_have_their_feminine_forms(store):
    # Katia Vidic is « ambassadrice de la French Tech Montpellier »: the role is found by its label
    assert ask(
        store,
        """ASK { ?m org:member id:person/katia-vidic ; org:role ?r .
        ?r skos:altLabel "ambassadrice"@fr }""",
    )
    for masculine, feminine in [
        ("président", "présidente"),
        ("directeur général", "directrice générale"),
        ("fondateur", "fondatrice"),
        ("délégué", "déléguée"),
        ("directeur d'agence", "directrice d'agence"),
    ]:
        assert ask(
            store,
            f"""ASK {{ ?r skos:inScheme <https://w3id.org/maillage/concept/role> ;
            skos:prefLabel "{masculine}"@fr ; skos:altLabel "{feminine}"@fr }}""",
        ), masculine
    assert not ask(store, "ASK { ?m org:role ?r FILTER(STRENDS(STR(?r), '/benevole')) }")
    assert ask(
        store,
        """ASK { id:membership/philippe-coste-french-tech-toulouse-directeur-delegue
        org:remuneration "bénévole"@fr ; org:role role:directeur-delegue }""",
    )


def test_the_region_as_a_body_is_linked_to_its_territory(store):
    assert ask(store, "ASK { id:org/region-occitanie schema:areaServed id:region/76 }")


def test_the_agreeing_claim_is_published_and_linked_not_deprecated(store):
    # « Issu de la fusion, en 2019 » (000) agrees with « le 5 février » 2019 (001)
    assert ask(
        store,
        """ASK { GRAPH id:claim/000/a-fusion-digital-113-date {
        id:change/fusion-digital-113 dcterms:date "2019"^^xsd:gYear }
        id:claim/000/a-fusion-digital-113-date mlg:agreesWith id:claim/001/d113-naissance-date }""",
    )
    assert not ask(store, 'ASK { id:change/fusion-digital-113 dcterms:date "2019"^^xsd:gYear }')


def test_the_recount_of_002_flags_whose_post_and_claims_what_the_debate_did(store):
    # « Nous avons donc lancé le recrutement d'une personnalité »: who « nous » is, is a reading
    post = "id:membership/poste-personnalite-french-tech-montpellier"
    assert ask(store, f"ASK {{ {post} org:postIn id:org/french-tech-montpellier }}")
    assert not ask(
        store,
        f"""ASK {{ GRAPH ?c {{ {post} org:postIn ?o }}
        FILTER NOT EXISTS {{ ?c mlg:inferred true }} }}""",
    )
    # « Le débat a aussi été l'occasion de lister plusieurs idées … » states what the debate did
    assert ask(
        store,
        """ASK { GRAPH ?c { id:event/debat-la-lettre-m-montpellier-2015 schema:description ?d }
        ?c mlg:quote/oa:exact ?q FILTER(STRSTARTS(?q, "Le débat a aussi été l'occasion")) }""",
    )
    # « qui se reconfigurent pour tenter d'en sortir »: an attempt, not a done exit
    experience = select(
        store,
        """SELECT ?d { GRAPH ?c { id:org/digital-place schema:description ?d }
        ?c mlg:quote/oa:exact ?q FILTER(CONTAINS(?q, "sous-traitance")) }""",
    )
    assert [r["d"] for r in experience] and all("tenter de sortir" in r["d"] for r in experience)


def test_the_rereading_of_000_states_what_its_quotes_say(store):
    # « animation de bootcamps sur tout le territoire »: the sentence names no région
    assert not ask(
        store,
        """ASK { GRAPH ?c { id:org/coorace schema:areaServed id:region/76 }
        FILTER NOT EXISTS { ?c mlg:inferred true ; mlg:inferenceNote ?why } }""",
    )
    assert ask(store, "ASK { id:org/coorace schema:areaServed id:region/76 }")
    # « La Mêlée Numérique (Toulouse, chaque automne) »
    assert ask(
        store,
        'ASK { id:event/la-melee-numerique schema:description "chaque automne"@fr }',
    )
    # what the listed bodies offer, in the text's words
    for body, words in [
        ("montpel-libre", "coding-dojos"),
        ("numerique-pour-elles", "mentorat"),
        ("alter-incub", "hébergement"),
        ("ionis-361", "marchés pilotes"),
        ("wordpress-montpellier", "retours d’expérience"),
        ("cub-open", "petits-déjeuners"),
        ("cci", "réseaux existants"),
    ]:
        assert ask(
            store,
            f"""ASK {{ id:org/{body} schema:description ?d
            FILTER(CONTAINS(STR(?d), "{words}")) }}""",
        ), body
    # Digital Place's club activities of 2025 stay in their deprecated claim only
    assert not ask(
        store,
        """ASK { id:org/digital-place schema:description ?d
        FILTER(CONTAINS(STR(?d), "petits-déjeuners")) }""",
    )
    assert ask(
        store,
        """ASK { GRAPH id:claim/000/b-digital-place-club-affaires {
        id:org/digital-place schema:description ?d } }""",
    )


def test_the_recount_of_004_flags_read_sites_and_claims_what_it_found(store):
    # « À Toulouse, l'écosystème s'appuie sur l'IA-cluster Aniti »: a site read, flagged
    for org, site in [
        ("id:org/aniti", "id:site/aniti-toulouse"),
        ("id:org/ia-montpellier-mediterranee", "id:site/ia-montpellier-mediterranee-montpellier"),
    ]:
        assert ask(store, f"ASK {{ {org} org:hasSite {site} }}"), org
        assert not ask(
            store,
            f"""ASK {{ GRAPH ?c {{ {org} org:hasSite {site} }}
            FILTER NOT EXISTS {{ ?c mlg:inferred true }} }}""",
        ), org
    # no document says what kind of organisation the Medef is
    assert not ask(store, "ASK { id:org/medef org:classification ?k }")
    # « des entreprises capables de traiter des volumes importants de clients »
    for org in ("id:org/airbus-protect", "id:org/orange-cyber"):
        assert ask(
            store,
            f"""ASK {{ {org} schema:description ?d
            FILTER(CONTAINS(STR(?d), "volumes importants de clients")) }}""",
        ), org
    # the two sentences the accounting had listed: now facts about the Région and Toulouse
    assert ask(
        store,
        """ASK { GRAPH id:claim/004/region-accompagnement-entreprises-meme-logique {
        id:org/region-occitanie schema:description ?d } }""",
    )
    assert ask(
        store,
        """ASK { GRAPH id:claim/004/toulouse-ia-embarquees {
        id:commune/31555 dcterms:subject
        <https://w3id.org/maillage/concept/theme/aeronautique-spatial> } }""",
    )
