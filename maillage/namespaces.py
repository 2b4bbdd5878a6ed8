"""Every namespace and prefix the project uses, defined once."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

CANONICAL_BASE = "https://w3id.org/maillage/"

MLG = Namespace(CANONICAL_BASE + "def/")
MLGSH = Namespace(CANONICAL_BASE + "shapes/")
ID = Namespace(CANONICAL_BASE + "id/")
CONCEPT = Namespace(CANONICAL_BASE + "concept/")

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("http://schema.org/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
IGEO = Namespace("http://rdf.insee.fr/def/geo#")
OA = Namespace("http://www.w3.org/ns/oa#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SH = Namespace("http://www.w3.org/ns/shacl#")
VANN = Namespace("http://purl.org/vocab/vann/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

CONCEPT_SCHEMES = (
    "family",
    "kind",
    "role",
    "theme",
    "measure",
    "unit",
    "qualifier",
    "unclaimed",
)
"""Our SKOS concept schemes; each is also a prefix in claim files (``role:president``)."""

ENTITY_KINDS = (
    "org",
    "person",
    "site",
    "event",
    "membership",
    "change",
    "figure",
    "work",
)
"""Kinds of resources curators mint in claim files (``org/digital-113``)."""

TERRITORY_KINDS = ("commune", "departement", "region")

PREFIXES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "dcat": str(DCAT),
    "foaf": str(FOAF),
    "prov": str(PROV),
    "time": str(TIME),
    "void": str(VOID),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "geo": str(GEO),
    "igeo": str(IGEO),
    "oa": str(OA),
    "spdx": str(SPDX),
    "sh": str(SH),
    "vann": str(VANN),
    "sd": str(SD),
    "mlg": str(MLG),
    "mlgsh": str(MLGSH),
    "id": str(ID),
    **{scheme: f"{CONCEPT}{scheme}/" for scheme in CONCEPT_SCHEMES},
}
"""Prefixes for claim files, Turtle output and the JSON-LD context."""


def curie(iri: str) -> str:
    """``org:Organization`` for ``http://www.w3.org/ns/org#Organization``; the IRI itself when
    no prefix of :data:`PREFIXES` is its namespace."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def expanded(name: str) -> str:
    """The IRI a CURIE of :data:`PREFIXES` stands for (``org:Organization``); anything else as
    it is."""
    prefix, colon, local = name.partition(":")
    return PREFIXES[prefix] + local if colon and prefix in PREFIXES else name
