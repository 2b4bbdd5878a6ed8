"""The territory reference generated from @etalab/decoupage-administratif: codes, hierarchy,
former régions, Wikidata links, determinism, and the committed file matching a fresh build."""

from __future__ import annotations

import json
import shutil

import pytest
from rdflib import BNode, Graph

from maillage.reference import (
    DEFAULT_OUTPUT,
    DEFAULT_PACKAGE_DIR,
    REPO_ROOT,
    ReferenceDataError,
    build_territories,
    serialize_territories,
)

PACKAGE_DIR = REPO_ROOT / DEFAULT_PACKAGE_DIR

pytestmark = pytest.mark.skipif(
    not (PACKAGE_DIR / "package.json").is_file(),
    reason=f"{DEFAULT_PACKAGE_DIR} is not installed (run `npm install`)",
)

PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <http://schema.org/>
PREFIX geo: <http://www.opengis.net/ont/geosparql#>
PREFIX igeo: <http://rdf.insee.fr/def/geo#>
PREFIX commune: <https://w3id.org/maillage/id/commune/>
PREFIX departement: <https://w3id.org/maillage/id/departement/>
PREFIX region: <https://w3id.org/maillage/id/region/>
PREFIX dataset: <https://w3id.org/maillage/id/dataset/>
"""


@pytest.fixture(scope="module")
def graph() -> Graph:
    return build_territories(PACKAGE_DIR)


def rows(graph: Graph, query: str) -> list[tuple[str, ...]]:
    return sorted(tuple(str(v) for v in row) for row in graph.query(PREFIXES + query))


def ask(graph: Graph, query: str) -> bool:
    return bool(graph.query(PREFIXES + query).askAnswer)


def test_toulouse_commune_departement_region(graph):
    assert rows(
        graph,
        """SELECT ?code ?name ?dep ?reg WHERE {
             ?commune a igeo:Commune, geo:Feature ; igeo:codeINSEE ?code ; skos:prefLabel ?name ;
                      geo:sfWithin ?d .
             ?d a igeo:Departement ; igeo:codeINSEE ?dep ; geo:sfWithin ?r .
             ?r a igeo:Region ; igeo:codeINSEE ?reg .
             FILTER (?commune = commune:31555) }""",
    ) == [("31555", "Toulouse", "31", "76")]
    # The code is a plain string, so SPARQL matches it as INSEE's own queries do.
    assert ask(graph, "ASK { commune:31555 igeo:codeINSEE '31555' }")
    assert ask(graph, 'ASK { commune:31555 rdfs:label "Toulouse"@fr ; igeo:nom "Toulouse"@fr }')


def test_only_direct_containment(graph):
    # commune -> département -> région, never commune -> région directly.
    assert not ask(graph, "ASK { ?c a igeo:Commune ; geo:sfWithin ?r . ?r a igeo:Region }")
    assert not ask(
        graph,
        "ASK { ?c a igeo:Commune FILTER NOT EXISTS { ?c geo:sfWithin ?d . ?d a igeo:Departement } }",
    )
    assert not ask(
        graph,
        "ASK { ?d a igeo:Departement FILTER NOT EXISTS { ?d geo:sfWithin ?r . ?r a igeo:Region } }",
    )


def test_castres_is_the_tarn_one(graph):
    assert rows(
        graph,
        """SELECT ?code ?dep WHERE { ?c a igeo:Commune ; skos:prefLabel "Castres"@fr ;
             igeo:codeINSEE ?code ; geo:sfWithin/igeo:codeINSEE ?dep }""",
    ) == [("81065", "81")]
    assert not ask(graph, "ASK { ?c igeo:codeINSEE '02142' }")


def test_counts_and_selection(graph):
    counts = dict(
        rows(
            graph,
            "SELECT ?type (COUNT(?t) AS ?n) WHERE { ?t a ?type ; igeo:codeINSEE ?c } GROUP BY ?type",
        )
    )
    assert counts == {
        "http://rdf.insee.fr/def/geo#Commune": "17",
        "http://rdf.insee.fr/def/geo#Departement": "14",
        "http://rdf.insee.fr/def/geo#Region": "4",
        "http://www.opengis.net/ont/geosparql#Feature": "35",
    }
    occitanie = rows(
        graph,
        "SELECT ?code WHERE { ?d a igeo:Departement ; igeo:codeINSEE ?code ; geo:sfWithin region:76 }",
    )
    assert len(occitanie) == 13
    assert {("12",), ("46",), ("81",), ("34",)} <= set(occitanie)
    assert ask(
        graph,
        "ASK { commune:75056 geo:sfWithin departement:75 . departement:75 geo:sfWithin region:11 }",
    )


def test_chef_lieu_only_when_the_commune_is_in_the_extract(graph):
    assert ask(
        graph,
        "ASK { region:76 igeo:chefLieu commune:31555 . departement:34 igeo:chefLieu commune:34172 }",
    )
    # Cahors (46042), chef-lieu of the Lot, is not one of the communes.
    assert not ask(graph, "ASK { departement:46 igeo:chefLieu ?c }")
    assert not ask(graph, "ASK { ?t igeo:chefLieu ?c FILTER NOT EXISTS { ?c a igeo:Commune } }")


def test_former_regions_replaced_by_occitanie(graph):
    assert rows(
        graph,
        """SELECT ?code ?name ?start ?end ?chef WHERE {
             ?r a igeo:Region ; igeo:codeINSEE ?code ; skos:prefLabel ?name ;
                schema:startDate ?start ; schema:endDate ?end ; dcterms:isReplacedBy region:76 ;
                igeo:chefLieu/igeo:codeINSEE ?chef .
             region:76 dcterms:replaces ?r .
             FILTER (datatype(?start) = xsd:date && datatype(?end) = xsd:date) }""",
    ) == [
        ("73", "Midi-Pyrénées", "1970-01-09", "2015-12-31", "31555"),
        ("91", "Languedoc-Roussillon", "1970-01-09", "2015-12-31", "34172"),
    ]
    # INSEE's code-based IRIs name current territories only.
    assert not ask(graph, "ASK { region:73 skos:closeMatch ?x }")
    assert ask(graph, "ASK { region:76 skos:closeMatch <http://id.insee.fr/geo/region/76> }")


def test_same_as_only_for_reviewed_c2_links(graph):
    assert rows(graph, "SELECT ?t ?q WHERE { ?t owl:sameAs ?q }") == [
        ("https://w3id.org/maillage/id/commune/31555", "http://www.wikidata.org/entity/Q7880"),
        ("https://w3id.org/maillage/id/commune/34172", "http://www.wikidata.org/entity/Q6441"),
        ("https://w3id.org/maillage/id/region/76", "http://www.wikidata.org/entity/Q18678265"),
    ]


def test_provenance(graph):
    version = json.loads((PACKAGE_DIR / "package.json").read_text(encoding="utf-8"))["version"]
    package = f"https://www.npmjs.com/package/@etalab/decoupage-administratif/v/{version}"
    assert ask(
        graph,
        f"""ASK {{ dataset:territories a prov:Entity ; prov:wasDerivedFrom <{package}> ;
                  dcterms:source <{package}> ;
                  dcterms:license <https://www.etalab.gouv.fr/licence-ouverte-open-licence> }}""",
    )
    assert not ask(
        graph,
        "ASK { ?t igeo:codeINSEE ?c FILTER NOT EXISTS { ?t dcterms:source dataset:territories } }",
    )


def test_no_blank_nodes(graph):
    assert not any(isinstance(term, BNode) for triple in graph for term in triple)


def test_deterministic_serialization(graph):
    assert serialize_territories(graph) == serialize_territories(build_territories(PACKAGE_DIR))


def test_committed_file_is_a_fresh_generation(graph):
    committed = REPO_ROOT / DEFAULT_OUTPUT
    assert committed.read_bytes() == serialize_territories(graph), (
        f"{DEFAULT_OUTPUT} is stale: run `python -m maillage.reference` and commit it"
    )


def test_a_missing_code_is_an_error(tmp_path):
    package = tmp_path / "decoupage-administratif"
    shutil.copytree(PACKAGE_DIR, package)
    communes = package / "data" / "communes.json"
    kept = [c for c in json.loads(communes.read_text(encoding="utf-8")) if c["code"] != "81065"]
    communes.write_text(json.dumps(kept), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="no commune with INSEE code 81065"):
        build_territories(package)


def test_the_reference_holds_every_commune_the_claims_name(tmp_path, graph):
    claims = tmp_path / "claims"
    shutil.copytree(REPO_ROOT / "data/claims", claims)
    (claims / "009.yaml").write_text(
        'document: "009"\nclaims:\n  - id: x\n    quote: "x"\n    says:\n'
        "      org/x:\n        schema:location: [commune/30003, commune/31555]\n",
        encoding="utf-8",
    )
    more = build_territories(PACKAGE_DIR, claims_dir=claims)
    query = "SELECT ?c WHERE { ?t a igeo:Commune ; igeo:codeINSEE ?c }"
    assert set(rows(more, query)) - set(rows(graph, query)) == {("30003",)}
    assert rows(more, "SELECT ?n WHERE { commune:30003 igeo:nom ?n }") == [("Aigues-Mortes",)]
    assert ask(more, "ASK { commune:30003 geo:sfWithin departement:30 }")
