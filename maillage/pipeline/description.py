"""The release describes itself: VoID statistics and DCAT distributions."""

from __future__ import annotations

import hashlib
from collections import Counter

from rdflib import DCAT, DCTERMS, RDF, VOID, XSD, Graph, Literal, URIRef

from maillage.formats import IANA, of_file
from maillage.layout import DATA_DUMPS, DATASET
from maillage.namespaces import CANONICAL_BASE, ID, MLG, OWL, PREFIXES, SKOS, SPDX
from maillage.rdfio import rebased


def describe_dataset(
    meta: dict, default: Graph, claim_count: int, files: dict[str, bytes], base: str
) -> Graph:
    g = Graph()
    g.add((DATASET, RDF.type, VOID.Dataset))
    g.add((DATASET, RDF.type, DCAT.Dataset))
    for lang in ("fr", "en"):
        g.add((DATASET, DCTERMS.title, Literal(meta["title"][lang], lang=lang)))
        g.add((DATASET, DCTERMS.description, Literal(meta["description"][lang], lang=lang)))
    g.add((DATASET, DCTERMS.license, URIRef(meta["license"])))
    g.add((DATASET, DCTERMS.publisher, Literal(meta["publisher"])))
    g.add((DATASET, DCTERMS.issued, Literal(str(meta["issued"]), datatype=XSD.date)))
    g.add((DATASET, OWL.versionInfo, Literal(meta["version"])))
    g.add((DATASET, VOID.sparqlEndpoint, URIRef(base + "sparql")))
    g.add((DATASET, VOID.uriSpace, Literal(rebased(str(ID), base))))
    g.add((DATASET, VOID.vocabulary, URIRef(str(MLG))))
    for example in example_resources(meta, default):
        g.add((DATASET, VOID.exampleResource, example))
    _statistics(g, default, claim_count)
    for name, data in sorted(files.items()):
        _distribution(g, name, data, base)
    return g


def example_resources(meta: dict, default: Graph) -> list[URIRef]:
    """The resources ``data/dataset.yaml`` names as examples (``example_resources``, paths under
    the canonical base) that the default graph describes."""
    named = [URIRef(CANONICAL_BASE + path) for path in meta.get("example_resources", [])]
    return [iri for iri in named if (iri, None, None) in default]


def _count(g: Graph, prop: URIRef, value: int) -> None:
    g.add((DATASET, prop, Literal(value, datatype=XSD.integer)))


def _statistics(g: Graph, default: Graph, claim_count: int) -> None:
    subjects = set(default.subjects())
    classes = Counter(o for _s, o in default.subject_objects(RDF.type))
    _count(g, VOID.triples, len(default))
    _count(g, VOID.distinctSubjects, len(subjects))
    _count(g, VOID.entities, sum(1 for s in subjects if str(s).startswith(str(ID))))
    _count(g, VOID.classes, len(classes))
    _count(g, VOID.properties, len(set(default.predicates())))
    _count(g, MLG.claimCount, claim_count)
    for cls, n in sorted(classes.items()):
        part = URIRef(f"{DATASET}/class/{_slug(cls)}")
        g.add((DATASET, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(n, datatype=XSD.integer)))
    _linkset(g, "insee", SKOS.closeMatch, default, "http://id.insee.fr/")
    _linkset(g, "wikidata", OWL.sameAs, default, "http://www.wikidata.org/entity/")


def _linkset(g: Graph, name: str, predicate: URIRef, default: Graph, target: str) -> None:
    links = sum(1 for _s, o in default.subject_objects(predicate) if str(o).startswith(target))
    linkset = URIRef(f"{DATASET}/linkset/{name}")
    g.add((linkset, RDF.type, VOID.Linkset))
    g.add((linkset, VOID.subjectsTarget, DATASET))
    g.add((linkset, VOID.objectsTarget, URIRef(target)))
    g.add((linkset, VOID.linkPredicate, predicate))
    g.add((linkset, VOID.triples, Literal(links, datatype=XSD.integer)))
    g.add((DATASET, VOID.subset, linkset))


def _distribution(g: Graph, name: str, data: bytes, base: str) -> None:
    dist = URIRef(f"{DATASET}/distribution/{name}")
    url = URIRef(f"{base}downloads/{name}")
    checksum = URIRef(f"{dist}/checksum")
    g.add((DATASET, DCAT.distribution, dist))
    if name in DATA_DUMPS:
        g.add((DATASET, VOID.dataDump, url))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal(name)))
    g.add((dist, DCAT.downloadURL, url))
    g.add((dist, DCAT.accessURL, url))
    found = of_file(name)
    g.add((dist, DCAT.mediaType, URIRef(IANA + found.content.media_type)))
    if found.compression is not None:
        g.add((dist, DCAT.compressFormat, URIRef(IANA + found.compression.media_type)))
    g.add((dist, DCAT.byteSize, Literal(len(data), datatype=XSD.nonNegativeInteger)))
    g.add((dist, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add(
        (
            checksum,
            SPDX.checksumValue,
            Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary),
        )
    )


def _slug(iri: URIRef) -> str:
    """``org-Organization`` for org:Organization: readable and unique across vocabularies."""
    for prefix, namespace in PREFIXES.items():
        if str(iri).startswith(namespace):
            return f"{prefix}-{str(iri)[len(namespace) :]}"
    return str(iri).rsplit("/", 1)[-1]
