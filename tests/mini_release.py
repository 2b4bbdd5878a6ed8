"""A small release written by hand (with the real release writer and store), so the server's
tests know every statement they check and do not wait for a full build."""

from __future__ import annotations

import contextlib
import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from maillage.layout import CATALOG_TURTLE, NETWORK, SEARCH_INDEX, document_file
from maillage.layout import EXAMPLES as EXAMPLES_FILE
from maillage.pipeline.catalog import catalog_file
from maillage.pipeline.network import network_file
from maillage.pipeline.release import publish
from maillage.pipeline.search_index import search_database
from maillage.rdfio import context_document, gzipped
from maillage.settings import REPO_ROOT, Settings
from maillage.store import STORE_DIR, create_store
from maillage.yamlfile import load_nodes, to_python

BASE = "https://w3id.org/maillage/"
ALPHA = BASE + "id/org/alpha"
BETA = BASE + "id/org/beta"
CLAIM_IDENTITY = BASE + "id/claim/001/alpha-identite"
CLAIM_MEMBER = BASE + "id/claim/001/alpha-membre"
CLAIM_OLD = BASE + "id/claim/001/alpha-fondation"
QUOTE_MEMBER = "Alpha, membre de Beta depuis toujours"
RELEASE_ID = "0123456789abcdef"

PREFIXES = """
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <http://schema.org/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix mlg: <https://w3id.org/maillage/def/> .
@prefix mlgsh: <https://w3id.org/maillage/shapes/> .
@prefix id: <https://w3id.org/maillage/id/> .
@prefix kind: <https://w3id.org/maillage/concept/kind/> .
"""

DATA = (
    PREFIXES
    + """
<https://w3id.org/maillage/id/org/alpha> a org:Organization ;
    skos:prefLabel "Alpha"@fr ; rdfs:label "Alpha"@fr ;
    org:classification kind:cluster ;
    org:memberOf <https://w3id.org/maillage/id/org/beta> ;
    schema:areaServed <https://w3id.org/maillage/id/region/76> .
<https://w3id.org/maillage/id/org/beta> a org:Organization ;
    skos:prefLabel "Bêta"@fr ; rdfs:label "Bêta"@fr ;
    org:hasMember <https://w3id.org/maillage/id/org/alpha> .
<https://w3id.org/maillage/id/region/76> a <http://rdf.insee.fr/def/geo#Region> ;
    skos:prefLabel "Occitanie"@fr ; rdfs:label "Occitanie"@fr ;
    skos:closeMatch <http://id.insee.fr/geo/region/76> .
kind:cluster a skos:Concept ; skos:prefLabel "cluster"@fr ;
    skos:inScheme <https://w3id.org/maillage/concept/kind> .
<https://w3id.org/maillage/concept/kind> a skos:ConceptScheme ; skos:prefLabel "kinds"@en .
<https://w3id.org/maillage/id/document/001> a foaf:Document ;
    rdfs:label "Alpha rejoint Beta"@fr ; dcterms:title "Alpha rejoint Beta"@fr .
"""
    + "".join(
        f"""
<{claim}> a mlg:Claim, prov:Entity ; rdfs:label "Claim {claim[-20:]}"@en ;
    prov:wasDerivedFrom <https://w3id.org/maillage/id/document/001> ;
    mlg:rank mlg:{rank} ; mlg:quote <{claim}/quote> .
<{claim}/quote> a oa:TextQuoteSelector ; oa:exact "{quote}" .
"""
        for claim, rank, quote in (
            (CLAIM_IDENTITY, "NormalRank", "Alpha, un cluster"),
            (CLAIM_MEMBER, "PreferredRank", QUOTE_MEMBER),
            (CLAIM_OLD, "DeprecatedRank", "Alpha, fondée en 1900"),
        )
    )
    + f"""
<{CLAIM_OLD}> mlg:losesTo <{CLAIM_IDENTITY}> .
<{CLAIM_IDENTITY}> {{
    id:org\\/alpha a org:Organization ; skos:prefLabel "Alpha"@fr ; rdfs:label "Alpha"@fr ;
        org:classification kind:cluster ;
        schema:areaServed <https://w3id.org/maillage/id/region/76> .
}}
<{CLAIM_MEMBER}> {{
    id:org\\/alpha org:memberOf id:org\\/beta .
    id:org\\/beta org:hasMember id:org\\/alpha .
}}
<{CLAIM_OLD}> {{
    id:org\\/alpha schema:foundingDate "1900"^^xsd:gYear .
}}
"""
)

ONTOLOGY = (
    PREFIXES
    + """
<https://w3id.org/maillage/def/> a owl:Ontology ; dcterms:title "Vocabulaire Maillage"@fr ;
    owl:versionIRI <https://w3id.org/maillage/def/1.0.0> .
mlg:Claim a owl:Class ; rdfs:isDefinedBy mlg: ;
    rdfs:label "affirmation"@fr , "claim"@en .
mlg:quote a owl:ObjectProperty ; rdfs:isDefinedBy mlg: ; rdfs:label "citation"@fr , "quote"@en .
kind:cluster a skos:Concept ; skos:prefLabel "cluster"@fr .
"""
)

SHAPES = (
    PREFIXES
    + """
mlgsh:OrganizationShape a sh:NodeShape ; sh:targetClass org:Organization ;
    sh:property <https://w3id.org/maillage/.well-known/genid/0a1b2c> .
<https://w3id.org/maillage/.well-known/genid/0a1b2c> sh:path skos:prefLabel ; sh:minCount 1 .
"""
)

VOID = (
    PREFIXES
    + """
<https://w3id.org/maillage/releases/0123456789abcdef> a void:Dataset, dcat:Dataset ;
    dcterms:title "Maillage"@fr ;
    void:triples 42 ; dcat:inSeries id:dataset\\/maillage .
id:dataset\\/maillage a void:Dataset, dcat:DatasetSeries ; dcterms:title "Maillage"@fr .
"""
)

CONFLICTS = "# Conflicts\n\nAlpha's founding date: 1900 loses to nothing better.\n"


def _default_and_claims() -> list[ox.Quad]:
    return sorted(ox.parse(DATA.encode(), format=ox.RdfFormat.TRIG), key=str)


EXAMPLES = [
    {
        "title": "Organisations",
        "description": "Every organisation.",
        "query": "SELECT ?o WHERE { ?o a <http://www.w3.org/ns/org#Organization> }\n",
    }
]
DOCUMENT = "Alpha, un cluster. Alpha, membre de Beta depuis toujours. Alpha, fondée en 1900.\n"


def release_files() -> dict[str, bytes]:
    """Every file of the release contract (``maillage/layout.py``); the catalogue is the
    pipeline's, from the repository's ``data/dataset.yaml``."""
    quads = _default_and_claims()
    default = [q.triple for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
    files = {
        "maillage.ttl": ox.serialize(default, format=ox.RdfFormat.TURTLE),
        "maillage-all.nq.gz": gzipped(ox.serialize(quads, format=ox.RdfFormat.N_QUADS)),
        "ontology.ttl": ONTOLOGY.encode(),
        "shapes.ttl": SHAPES.encode(),
        "void.ttl": VOID.encode(),
        "conflicts.md": CONFLICTS.encode(),
        "context.jsonld": (json.dumps(context_document(BASE), indent=1) + "\n").encode(),
        EXAMPLES_FILE: (json.dumps(EXAMPLES, indent=1) + "\n").encode(),
        document_file("001"): DOCUMENT.encode(),
    }
    meta = to_python(load_nodes(REPO_ROOT / "data" / "dataset.yaml"))
    files[CATALOG_TURTLE] = catalog_file(meta, files, BASE, RELEASE_ID)
    default_graph = Graph().parse(data=files["maillage.ttl"], format="turtle")
    files[SEARCH_INDEX] = search_database(default_graph)
    files[NETWORK] = network_file(default_graph)
    return files


def write_release(var_dir: Path) -> Path:
    """Write the release into ``var_dir`` (``var_dir/current`` → it); returns its directory."""
    files = release_files()
    nquads = gzip.decompress(files["maillage-all.nq.gz"])
    return publish(
        files, var_dir, RELEASE_ID, lambda staging: create_store(staging / STORE_DIR, nquads)
    )


@contextlib.contextmanager
def served(var_dir: Path, **settings: object) -> Iterator[str]:
    """The release written into ``var_dir`` and served by a real server (uvicorn on a free port,
    the query workers running) with ``settings``; yields its base URL."""
    from sparql_live import live_server

    write_release(var_dir)
    with live_server(Settings(var_dir=var_dir, **settings)) as url:
        yield url
