"""The SPARQL 1.1 Service Description of ``/sparql``, with the endpoint's limits stated in it
and the prefixes it declares for every query (``sh:declare``, as SHACL declares prefixes:
Service Description has no term for them; docs/decisions.md)."""

from __future__ import annotations

import functools

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from maillage.formats import (
    BY_MEDIA_TYPE,
    JSON_LD,
    N_TRIPLES,
    RDF_SYNTAXES,
    RDF_XML,
    RESULT_SYNTAXES,
    TURTLE,
)
from maillage.layout import DATASET
from maillage.namespaces import DCTERMS, MLG, SD, SH
from maillage.rdfio import prefixes, quads
from maillage.settings import Settings
from server.representations import serialise

FORMATS = Namespace("http://www.w3.org/ns/formats/")
RESULT_FORMATS = tuple(f.w3c_name for f in (*RESULT_SYNTAXES, *RDF_SYNTAXES))
"""What ``/sparql`` writes, as terms of ``formats:``."""
MEDIA_TYPES = tuple(f.media_type for f in (TURTLE, JSON_LD, N_TRIPLES, RDF_XML))
"""What the description can be written as, the default first (rdflib knows each by its media
type)."""


def describe(endpoint: str, settings: Settings) -> Graph:
    g = Graph()
    g.bind("sd", SD)
    g.bind("formats", FORMATS)
    g.bind("mlg", MLG)
    service = URIRef(endpoint)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in RESULT_FORMATS:
        g.add((service, SD.resultFormat, FORMATS[name]))
    g.add((service, DCTERMS.title, Literal("Maillage SPARQL endpoint", lang="en")))
    g.add((service, DCTERMS.title, Literal("Point d'accès SPARQL de Maillage", lang="fr")))
    _dataset(g, service)
    _limits(g, service, settings)
    _prefixes(g, service, settings.base_iri)
    return g


def _prefixes(g: Graph, service: URIRef, base_iri: str) -> None:
    """``sh:declare [ sh:prefix "org" ; sh:namespace "…"^^xsd:anyURI ]``, one per prefix."""
    g.bind("sh", SH)
    for name, namespace in sorted(prefixes(base_iri).items()):
        declaration = URIRef(f"{service}#prefix-{name}")
        g.add((service, SH.declare, declaration))
        g.add((declaration, SH.prefix, Literal(name)))
        g.add((declaration, SH.namespace, Literal(namespace, datatype=XSD.anyURI)))


def _dataset(g: Graph, service: URIRef) -> None:
    default_graph = URIRef(f"{service}#default-graph")
    g.add((service, SD.defaultDataset, DATASET))
    g.add((DATASET, RDF.type, SD.Dataset))
    g.add((DATASET, SD.defaultGraph, default_graph))
    g.add((default_graph, RDF.type, SD.Graph))


def _limits(g: Graph, service: URIRef, settings: Settings) -> None:
    values = (
        (MLG.queryTimeoutSeconds, Literal(str(settings.query_timeout_s), datatype=XSD.decimal)),
        (MLG.queryMaxCharacters, Literal(settings.query_max_chars)),
        (MLG.resultMaxRows, Literal(settings.result_max_rows)),
        (MLG.resultMaxBytes, Literal(settings.result_max_bytes)),
        (MLG.clientMaxConcurrentQueries, Literal(settings.client_max_concurrent)),
    )
    for predicate, value in values:
        g.add((service, predicate, value))
    g.add((service, RDFS.comment, Literal(_sentence_en(settings), lang="en")))
    g.add((service, RDFS.comment, Literal(_sentence_fr(settings), lang="fr")))


def _sentence_en(s: Settings) -> str:
    return (
        f"Read-only SPARQL 1.1 endpoint. Each query runs under a {s.query_timeout_s:g} s "
        f"deadline (503 past it), may be {s.query_max_chars} characters long (413 beyond) and "
        f"return at most {s.result_max_rows} rows or triples and {s.result_max_bytes} bytes "
        f"(422 beyond, never a cut result) with at most {s.query_worker_memory_mib} MiB of "
        f"memory (422 beyond); a client may run {s.client_max_concurrent} queries "
        "at once (429 with Retry-After beyond). Updates, SERVICE and graphs other than the "
        "default graph and the claim graphs are refused with 400."
    )


def _sentence_fr(s: Settings) -> str:
    return (
        f"Point d'accès SPARQL 1.1 en lecture seule. Chaque requête a {s.query_timeout_s:g} s "
        f"au plus (503 au-delà), au plus {s.query_max_chars} caractères (413 au-delà), et rend "
        f"au plus {s.result_max_rows} lignes ou triplets et {s.result_max_bytes} octets "
        f"(422 au-delà, jamais un résultat tronqué) avec au plus {s.query_worker_memory_mib} "
        "Mio de mémoire (422 au-delà) ; un client peut lancer "
        f"{s.client_max_concurrent} requêtes à la fois (429 avec Retry-After au-delà). Les "
        "mises à jour, SERVICE et les graphes autres que le graphe par défaut et ceux des "
        "affirmations sont refusés (400)."
    )


@functools.lru_cache(maxsize=32)
def document(endpoint: str, settings: Settings, media_type: str) -> bytes:
    """The description written as ``media_type`` (kept: the event loop writes it): sorted and
    with no blank node, so every server process writes the same bytes (and the same ETag) in
    every format, as the catalogue does."""
    items = quads(describe(endpoint, settings), settings.base_iri)
    return serialise(items, BY_MEDIA_TYPE[media_type], settings.base_iri)
