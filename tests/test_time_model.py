"""The time model (README C14 « Dates and time », docs/data-model.md « Time: which reading to
make »), by SPARQL on the built release: document instants, attestations, the end of merged
organisations, the four days of each interval and the « as of » reading users make of them."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import TIME, XSD
from release_queries import ask, copy_inputs, select

from maillage.build import build_release, ontology_paths, reference_paths
from maillage.errors import DataErrors, ValidationFailed
from maillage.pipeline.claims import load_claim_file
from maillage.pipeline.vocabulary import load_vocabulary
from maillage.settings import Settings

ID = Namespace("https://w3id.org/maillage/id/")
MLG = Namespace("https://w3id.org/maillage/def/")
BENCHIMOL = "id:membership/daniel-benchimol-digital-place-president"
MARCHAND = "id:membership/tony-marchand-digital-place-directeur-general"
AS_OF_001 = "https://w3id.org/maillage/id/claim/001/presidents-digital-place-frenchsouth#as-of"


def as_of(store: ox.Store, interval: str, day: str) -> str:
    """The documented reading (docs/data-model.md) of one interval at one day."""
    rows = select(
        store,
        f"""SELECT ?state {{
        BIND({interval} AS ?i)
        OPTIONAL {{ ?i mlg:certainlyFrom ?cf }} OPTIONAL {{ ?i mlg:certainlyUntil ?cu }}
        OPTIONAL {{ ?i mlg:possiblyFrom ?pf }} OPTIONAL {{ ?i mlg:possiblyUntil ?pu }}
        BIND("{day}"^^xsd:date AS ?d)
        BIND(IF(BOUND(?cf) && BOUND(?cu) && ?cf <= ?d && ?d <= ?cu, "holds",
             IF((BOUND(?pf) && ?d < ?pf) || (BOUND(?pu) && ?d > ?pu), "does not hold", "unknown"))
             AS ?state) }}""",
    )
    assert len(rows) == 1, interval
    return rows[0]["state"]


def during(membership: str) -> str:
    return f"<{membership.replace('id:', 'https://w3id.org/maillage/id/')}#during>"


def lifespan(organisation: str) -> str:
    return f"<https://w3id.org/maillage/id/org/{organisation}#lifespan>"


def test_dated_documents_are_instants_at_their_precision_and_004_has_none(store):
    assert ask(
        store,
        """ASK { id:document/001 time:hasTime ?t . ?t a time:Instant ;
        time:inXSDDate "2019-02-06"^^xsd:date ; mlg:earliestDate "2019-02-06"^^xsd:date ;
        mlg:latestDate "2019-02-06"^^xsd:date }""",
    )
    assert ask(
        store,
        """ASK { id:document/003 time:hasTime ?t . ?t time:inXSDgYearMonth "2017-01"^^xsd:gYearMonth ;
        mlg:earliestDate "2017-01-01"^^xsd:date ; mlg:latestDate "2017-01-31"^^xsd:date }""",
    )
    instants = select(store, "SELECT ?d { ?d a foaf:Document ; time:hasTime ?t }")
    assert sorted(r["d"].rsplit("/", 1)[1] for r in instants) == ["000", "001", "002", "003"]


def test_every_membership_a_dated_document_states_is_attested_at_its_date(store):
    stated = select(
        store,
        """SELECT DISTINCT ?m ?c { GRAPH ?c { ?m a org:Membership }
        ?c mlg:rank ?rank FILTER(?rank != mlg:DeprecatedRank)
        ?c prov:wasDerivedFrom ?d . ?d dcterms:date ?date }""",
    )
    assert len(stated) >= 19  # « bénévole » is no membership of its own (audit 2026-12)
    missing = select(
        store,
        """SELECT ?m ?c { GRAPH ?c { ?m a org:Membership }
        ?c mlg:rank ?rank FILTER(?rank != mlg:DeprecatedRank)
        ?c prov:wasDerivedFrom ?d . ?d time:hasTime ?docdate ; mlg:latestDate ?x .
        OPTIONAL { ?c mlg:asOf ?asof }
        BIND(COALESCE(?asof, ?docdate) AS ?at)
        ?at mlg:earliestDate ?first .
        ?m org:organization ?o .
        OPTIONAL { ?o mlg:latestDissolutionDate ?ended }
        FILTER(BOUND(?asof) || !BOUND(?ended) || ?first <= ?ended)
        FILTER NOT EXISTS { ?m org:memberDuring ?i . GRAPH ?c { ?i time:inside ?at } } }""",
    )
    assert missing == []
    assert not ask(
        store, "ASK { ?m a org:Membership FILTER NOT EXISTS { ?m org:memberDuring ?i } }"
    )


def test_the_attestations_of_the_digital_place_heads(store):
    def instants(membership: str) -> set[str]:
        rows = select(store, f"SELECT ?at {{ {membership} org:memberDuring/time:inside ?at }}")
        return {r["at"] for r in rows}

    assert instants(BENCHIMOL) == {str(ID["document/003#date"]), AS_OF_001}
    assert instants(MARCHAND) == {str(ID["document/002#date"])}
    assert ask(
        store,
        f"""ASK {{ <{AS_OF_001}> a time:Instant ; time:inXSDDate "2019-02-05"^^xsd:date .
        id:claim/001/presidents-digital-place-frenchsouth mlg:asOf <{AS_OF_001}> }}""",
    )


def test_merged_clusters_end_at_the_merger_and_nothing_of_theirs_outlives_them(store):
    ended = select(store, "SELECT ?o ?d { ?o schema:dissolutionDate ?d } ORDER BY ?o")
    assert [(r["o"].rsplit("/", 1)[1], r["d"]) for r in ended] == [
        ("digital-place", "2019-02-05"),
        ("frenchsouth-digital", "2019-02-05"),
    ]
    assert ask(
        store,
        """ASK { id:org/digital-place schema:dissolutionDate "2019-02-05"^^xsd:date ;
        mlg:latestDissolutionDate "2019-02-05"^^xsd:date ; time:hasTime ?l .
        ?l time:hasEnd ?e . ?e time:inXSDDate "2019-02-05"^^xsd:date }""",
    )
    outliving = select(
        store,
        """SELECT ?x ?day { ?o mlg:latestDissolutionDate ?ended .
        { ?x org:organization ?o ; org:memberDuring ?i } UNION { ?o org:hasSite ?x . ?x time:hasTime ?i }
        { ?i time:inside|time:hasEnd ?t . ?t mlg:earliestDate ?day } UNION { ?i mlg:possiblyUntil ?day }
        FILTER(?day > ?ended) }""",
    )
    assert outliving == []
    assert not ask(
        store,
        """ASK { ?o mlg:latestDissolutionDate ?ended .
        { ?x org:organization ?o ; org:memberDuring ?i } UNION { ?o org:hasSite ?x . ?x time:hasTime ?i }
        FILTER NOT EXISTS { ?i mlg:possiblyUntil ?u }
        FILTER NOT EXISTS { ?live org:hasSite ?x FILTER NOT EXISTS { ?live schema:dissolutionDate ?e } }
        }""",
    )  # a site shared with an organisation that did not end (Cap Omega's) has no bound
    assert ask(store, "ASK { ?o schema:dissolutionDate ?d ; org:hasSite ?s . ?s time:hasTime ?i }")
    assert not ask(store, "ASK { ?o schema:dissolutionDate ?d ; mlg:plannedSite ?s }")


def test_a_document_attests_nothing_outside_an_organisation_s_life(store):
    """003 (January 2017) speaks of the future cluster that became Digital 113 (founded
    2019-02-05); 000 (2025) names the merged clusters: neither attests them."""
    assert ask(
        store,
        "ASK { GRAPH ?c { id:org/digital-113 ?p ?o } ?c prov:wasDerivedFrom id:document/003 }",
    )
    assert not ask(
        store,
        f"ASK {{ {lifespan('digital-113')} time:inside ?t . id:document/003 time:hasTime ?t }}",
    )
    assert not ask(
        store,
        f"ASK {{ {lifespan('digital-place')} time:inside ?t . id:document/000 time:hasTime ?t }}",
    )
    contradictory = select(
        store,
        """SELECT ?i { { ?i mlg:possiblyFrom ?p ; mlg:certainlyFrom ?c FILTER(?c < ?p) }
        UNION { ?i mlg:possiblyUntil ?p ; mlg:certainlyUntil ?c FILTER(?c > ?p) } }""",
    )
    assert contradictory == []


def test_nothing_from_document_004_attests_anything(store):
    assert not ask(
        store,
        """ASK { GRAPH ?c { ?i time:inside ?at } ?c prov:wasDerivedFrom id:document/004 }""",
    )
    assert not ask(store, "ASK { id:document/004 time:hasTime ?t }")
    sztulman = "id:membership/marc-sztulman-cyber-occ-president"
    assert ask(store, f"ASK {{ {sztulman} org:memberDuring ?i . ?i a time:Interval }}")
    assert not ask(
        store, f"ASK {{ {sztulman} org:memberDuring ?i . ?i ?p ?o FILTER(?p != rdf:type) }}"
    )
    assert as_of(store, during(sztulman), "2024-01-01") == "unknown"


@pytest.mark.parametrize(
    ("interval", "day", "state"),
    [
        (during(BENCHIMOL), "2016-06-01", "unknown"),
        (during(BENCHIMOL), "2018-06-01", "holds"),
        (during(BENCHIMOL), "2020-01-01", "does not hold"),
        (during(MARCHAND), "2015-05-22", "holds"),
        (during(MARCHAND), "2016-06-01", "unknown"),
        (lifespan("digital-place"), "2010-06-01", "does not hold"),
        (lifespan("digital-place"), "2016-06-01", "holds"),
        (lifespan("digital-place"), "2020-01-01", "does not hold"),
        (lifespan("frenchsouth-digital"), "2016-06-01", "holds"),
        (lifespan("frenchsouth-digital"), "2020-01-01", "does not hold"),
        (lifespan("digital-113"), "2016-06-01", "does not hold"),
        (lifespan("digital-113"), "2020-01-01", "holds"),
    ],
)
def test_as_of_readings_from_the_documents(store, interval, day, state):
    assert as_of(store, interval, day) == state


def test_the_reading_is_derived_in_the_default_graph_only(store):
    assert ask(store, f"ASK {{ {during(BENCHIMOL)} mlg:certainlyFrom ?d }}")
    assert not ask(store, "ASK { GRAPH ?g { ?i mlg:certainlyFrom|mlg:possiblyUntil ?d } }")
    assert not ask(store, "ASK { GRAPH ?g { ?o schema:dissolutionDate ?d } }")


def test_actual_sites_and_figures_are_dated(store):
    assert ask(
        store,
        """ASK { id:org/digital-place org:hasSite ?s . ?s time:hasTime ?i .
        ?i time:inside ?t ; mlg:possiblyUntil "2019-02-05"^^xsd:date .
        id:document/003 time:hasTime ?t }""",
    )
    undated = select(
        store,
        """SELECT ?f { ?f a mlg:Observation ; dcterms:date ?d
        FILTER NOT EXISTS { ?f time:hasTime ?t . ?t a time:Instant ; mlg:earliestDate ?e } }""",
    )
    assert undated == []
    assert not ask(
        store,
        "ASK { ?f a mlg:Observation ; time:hasTime ?t FILTER NOT EXISTS { ?f dcterms:date ?d } }",
    )


def test_every_event_series_is_an_event(store):
    events = select(store, "SELECT DISTINCT ?e { ?e a schema:Event }")
    assert len(events) == 24
    assert not ask(store, "ASK { ?e a schema:EventSeries FILTER NOT EXISTS { ?e a schema:Event } }")


def test_hash_nodes_come_with_their_resource_when_dereferenced(client):
    membership = URIRef(ID["membership/daniel-benchimol-digital-place-president"])
    interval = URIRef(f"{membership}#during")
    response = client.get("/id/membership/daniel-benchimol-digital-place-president.ttl")
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle", publicID=str(membership))
    assert (interval, TIME.inside, URIRef(AS_OF_001)) in graph
    assert (interval, MLG.certainlyFrom, Literal("2017-01-31", datatype=XSD.date)) in graph
    document = Graph().parse(data=client.get("/id/document/003.ttl").text, format="turtle")
    instant = URIRef(ID["document/003#date"])
    assert (instant, TIME.inXSDgYearMonth, Literal("2017-01", datatype=XSD.gYearMonth)) in document
    organisation = Graph().parse(data=client.get("/id/org/digital-place.nt").text, format="nt")
    end = URIRef(ID["org/digital-place#end"])
    assert (end, TIME.inXSDDate, Literal("2019-02-05", datatype=XSD.date)) in organisation


# --- Claim-file syntax: as_of and intervals -----------------------------------------------------

CLAIM_FILE = """document: "002"
claims:
  - id: example
    quote: "anything"
    as_of: {as_of}
    says:
      {subject}:
        {predicate}: {value}
"""


@pytest.fixture(scope="module")
def vocabulary():
    settings = Settings()
    return load_vocabulary(ontology_paths(settings), reference_paths(settings))


def read(tmp_path, vocabulary, **fields):
    values = {
        "as_of": "{date: 2015-05-20}",
        "subject": "membership/jane-doe-kaliop-pdg",
        "predicate": "org:memberDuring",
        "value": "{begin: {year: 2012}, end: {month: 2015-04}}",
    }
    path = tmp_path / "002.yaml"
    path.write_text(CLAIM_FILE.format(**{**values, **fields}), encoding="utf-8")
    return path, load_claim_file(path, vocabulary, {"002"})


def test_a_claim_file_gives_as_of_and_an_interval(tmp_path, vocabulary):
    _path, (claim,) = read(tmp_path, vocabulary)
    assert claim.as_of == Literal("2015-05-20", datatype=XSD.date)
    membership = ID["membership/jane-doe-kaliop-pdg"]
    triples = {(s.subject, s.predicate, s.object) for s in claim.statements}
    interval = URIRef(f"{membership}#during")
    assert (membership, URIRef("http://www.w3.org/ns/org#memberDuring"), interval) in triples
    assert (interval, TIME.hasBeginning, URIRef(f"{membership}#beginning")) in triples
    begin, end = URIRef(f"{membership}#beginning"), URIRef(f"{membership}#end")
    assert (begin, TIME.inXSDgYear, Literal("2012", datatype=XSD.gYear)) in triples
    assert (end, TIME.inXSDgYearMonth, Literal("2015-04", datatype=XSD.gYearMonth)) in triples


@pytest.mark.parametrize(
    ("fields", "message", "line"),
    [
        ({"as_of": "{date: 2015-05-20, year: 2015}"}, "as_of is one of {date: …}", 5),
        ({"as_of": "{text: 2015}"}, "as_of is one of {date: …}", 5),
        ({"value": "{begin: {year: 2012}, until: {year: 2015}}"}, "an interval is {begin:", 8),
        ({"value": "{end: {month: 2015-13}}"}, "'2015-13' is not a valid gYearMonth", 8),
        ({"subject": "org/kaliop", "predicate": "time:hasTime"}, "goes under a site", 8),
        ({"predicate": "time:hasTime"}, "goes under a site", 8),
    ],
)
def test_a_bad_as_of_or_interval_fails_with_file_and_line(
    tmp_path, vocabulary, fields, message, line
):
    with pytest.raises(DataErrors) as raised:
        read(tmp_path, vocabulary, **fields)
    (error,) = raised.value.errors
    assert message in str(error)
    assert f"002.yaml:{line}" in str(error)


CURATED = """
  - id: deniset-ca-provisoire-duree
    quote: "rappelle Pierre Deniset, président du Conseil d'administration provisoire du cluster régional"
    says:
      membership/pierre-deniset-frenchsouth-digital-president-ca-provisoire:
        org:memberDuring: {begin: {year: 2014}, end: {month: 2016-03}}
"""


def test_a_curated_beginning_and_end_give_the_reading_end_to_end(tmp_path):
    """A made-up interval (no document gives one) written in a copy of 002.yaml: the build turns
    it into instants with bounds, the claim that gives an end attests nothing at its date, and the
    four days follow from the beginning, the end, the attestation and the dissolution."""
    settings = Settings(root=copy_inputs(tmp_path / "repo"), var_dir=tmp_path / "var")
    claims = settings.claims_dir / "002.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").rstrip("\n") + "\n" + CURATED)
    build, _directory = build_release(settings)
    graph = build.graph.default
    membership = ID["membership/pierre-deniset-frenchsouth-digital-president-ca-provisoire"]
    interval = URIRef(f"{membership}#during")
    beginning, end = URIRef(f"{membership}#beginning"), URIRef(f"{membership}#end")
    assert (beginning, TIME.inXSDgYear, Literal("2014", datatype=XSD.gYear)) in graph
    assert (end, MLG.latestDate, Literal("2016-03-31", datatype=XSD.date)) in graph
    days = {p: str(graph.value(interval, MLG[p])) for p in ("possiblyFrom", "certainlyFrom")}
    days |= {p: str(graph.value(interval, MLG[p])) for p in ("certainlyUntil", "possiblyUntil")}
    assert days == {
        "possiblyFrom": "2014-01-01",
        "certainlyFrom": "2014-12-31",
        "certainlyUntil": "2016-03-01",
        "possiblyUntil": "2016-03-31",
    }
    curated = build.graph.claims[URIRef(ID["claim/002/deniset-ca-provisoire-duree"])]
    assert (interval, TIME.hasEnd, end) in curated
    assert (interval, TIME.inside, None) not in curated


def test_a_membership_that_outlives_its_organisation_blocks_the_release(tmp_path):
    settings = Settings(root=copy_inputs(tmp_path / "repo"), var_dir=tmp_path / "var")
    claims = settings.claims_dir / "002.yaml"
    late = CURATED.replace("end: {month: 2016-03}", "end: {year: 2020}")
    claims.write_text(claims.read_text(encoding="utf-8").rstrip("\n") + "\n" + late)
    with pytest.raises(ValidationFailed) as failed:
        build_release(settings)
    assert "OutlivedOrganizationShape" in str(failed.value)
    assert "pierre-deniset-frenchsouth-digital-president-ca-provisoire" in str(failed.value)
    assert not (settings.var_dir / "current").exists()
