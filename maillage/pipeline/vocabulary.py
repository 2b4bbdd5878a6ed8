"""What claim files may say: the terms declared in ``ontology/`` and the territories of
``data/reference/``. Anything else is a typo until the ontology declares it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from maillage.namespaces import CONCEPT, ID, TERRITORY_KINDS, curie

PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
CLASS_TYPES = (OWL.Class, RDFS.Class)


@dataclass(frozen=True)
class Vocabulary:
    properties: frozenset[URIRef]
    classes: frozenset[URIRef]
    terms: frozenset[URIRef]
    """Every IRI the ontology, the concept schemes or the reference data describe."""
    id_namespace: str = str(ID)

    def is_property(self, iri: URIRef) -> bool:
        return iri in self.properties

    def is_class(self, iri: URIRef) -> bool:
        return iri in self.classes

    def unknown_reference(self, iri: URIRef) -> str | None:
        """Why a reference is not acceptable, or None when it is."""
        text = str(iri)
        if text.startswith(self.id_namespace):
            kind = text[len(self.id_namespace) :].split("/", 1)[0]
            if kind in TERRITORY_KINDS and iri not in self.terms:
                return (
                    "not in the territory reference (data/reference/territories.ttl): "
                    "`make territories` adds the communes and départements the claims name, "
                    "from INSEE's COG"
                )
            return None
        if iri in self.terms:
            return None
        if text.startswith(str(CONCEPT)):
            return "no such concept in ontology/concepts.ttl"
        return "not declared in the ontology"

    def property_curies(self) -> list[str]:
        return [curie(str(p)) for p in sorted(self.properties)]


def load_vocabulary(ontology_files: list[Path], reference_files: list[Path]) -> Vocabulary:
    graph = Graph()
    for path in [*ontology_files, *reference_files]:
        graph.parse(path)
    properties = {s for t in PROPERTY_TYPES for s in graph.subjects(RDF.type, t)}
    classes = {s for t in CLASS_TYPES for s in graph.subjects(RDF.type, t)}
    terms = {s for s in graph.subjects() if isinstance(s, URIRef)}
    return Vocabulary(frozenset(properties), frozenset(classes), frozenset(terms))
