"""The release describes itself: VoID statistics and DCAT distributions (``void.ttl``).

The VoID dataset is the release (``layout.release_iri(base, id)``): its counts, class
partitions and linksets, and its RDF dumps under ``/releases/{id}/downloads/``, where they stay
after other releases go live. The dataset over time (``layout.DATASET``, the series the release
is a member of) is named with what stays true of it: its SPARQL endpoint, which always answers
from the live release. ``/.well-known/void`` serves the live release's file.
"""

from __future__ import annotations

from collections import Counter

from rdflib import DCAT, DCTERMS, RDF, VOID, XSD, Graph, Literal, URIRef

from maillage.formats import IANA, of_file
from maillage.layout import DATA_DUMPS, DATASET, release_iri
from maillage.namespaces import CANONICAL_BASE, ID, MLG, OWL, PREFIXES, SKOS, SPDX
from maillage.pipeline.catalog import (
    DCAT_DATASET_SERIES,
    DCAT_IN_SERIES,
    distribution_iri,
    downloads_url,
)
from maillage.rdfio import byte_size, rebased, sha256_hex


def describe_dataset(
    meta: dict, default: Graph, claim_count: int, files: dict[str, bytes], base: str, release: str
) -> Graph:
    """The VoID of release ``release`` (its id, or the placeholder the build hashes with)."""
    g = Graph()
    node = URIRef(release_iri(base, release))
    g.add((node, RDF.type, VOID.Dataset))
    g.add((node, RDF.type, DCAT.Dataset))
    for lang in ("fr", "en"):
        g.add((node, DCTERMS.title, Literal(meta["title"][lang], lang=lang)))
        g.add((node, DCTERMS.description, Literal(meta["description"][lang], lang=lang)))
    g.add((node, DCTERMS.license, URIRef(meta["license"])))
    g.add((node, DCTERMS.publisher, Literal(meta["publisher"])))
    g.add((node, DCTERMS.issued, Literal(str(meta["issued"]), datatype=XSD.date)))
    g.add((node, OWL.versionInfo, Literal(meta["version"])))
    g.add((node, VOID.uriSpace, Literal(rebased(str(ID), base))))
    g.add((node, VOID.vocabulary, URIRef(str(MLG))))
    g.add((node, DCAT_IN_SERIES, DATASET))
    for example in example_resources(meta, default):
        g.add((node, VOID.exampleResource, example))
    _statistics(g, node, default, claim_count)
    where = downloads_url(base, release)
    for name, data in sorted(files.items()):
        _distribution(g, node, name, data, where)
    _series(g, meta, base)
    return g


def _series(g: Graph, meta: dict, base: str) -> None:
    """The dataset over time, with what stays true of it whichever release is live."""
    g.add((DATASET, RDF.type, VOID.Dataset))
    g.add((DATASET, RDF.type, DCAT_DATASET_SERIES))
    for lang in ("fr", "en"):
        g.add((DATASET, DCTERMS.title, Literal(meta["title"][lang], lang=lang)))
    g.add((DATASET, DCTERMS.issued, Literal(str(meta["issued"]), datatype=XSD.date)))
    g.add((DATASET, VOID.sparqlEndpoint, URIRef(base + "sparql")))
    g.add((DATASET, VOID.uriSpace, Literal(rebased(str(ID), base))))


def example_resources(meta: dict, default: Graph) -> list[URIRef]:
    """The resources ``data/dataset.yaml`` names as examples (``example_resources``, paths under
    the canonical base) that the default graph describes."""
    named = [URIRef(CANONICAL_BASE + path) for path in meta.get("example_resources", [])]
    return [iri for iri in named if (iri, None, None) in default]


def _count(g: Graph, node: URIRef, prop: URIRef, value: int) -> None:
    g.add((node, prop, Literal(value, datatype=XSD.integer)))


def _statistics(g: Graph, node: URIRef, default: Graph, claim_count: int) -> None:
    subjects = set(default.subjects())
    classes = Counter(o for _s, o in default.subject_objects(RDF.type))
    _count(g, node, VOID.triples, len(default))
    _count(g, node, VOID.distinctSubjects, len(subjects))
    _count(g, node, VOID.entities, sum(1 for s in subjects if str(s).startswith(str(ID))))
    _count(g, node, VOID.classes, len(classes))
    _count(g, node, VOID.properties, len(set(default.predicates())))
    _count(g, node, MLG.claimCount, claim_count)
    for cls, n in sorted(classes.items()):
        part = URIRef(f"{node}#class/{_slug(cls)}")
        g.add((node, VOID.classPartition, part))
        g.add((part, VOID["class"], cls))
        g.add((part, VOID.entities, Literal(n, datatype=XSD.integer)))
    _linkset(g, node, "insee", SKOS.closeMatch, default, "http://id.insee.fr/")
    _linkset(g, node, "wikidata", OWL.sameAs, default, "http://www.wikidata.org/entity/")


def _linkset(
    g: Graph, node: URIRef, name: str, predicate: URIRef, default: Graph, target: str
) -> None:
    links = sum(1 for _s, o in default.subject_objects(predicate) if str(o).startswith(target))
    linkset = URIRef(f"{node}#linkset/{name}")
    g.add((linkset, RDF.type, VOID.Linkset))
    g.add((linkset, VOID.subjectsTarget, node))
    g.add((linkset, VOID.objectsTarget, URIRef(target)))
    g.add((linkset, VOID.linkPredicate, predicate))
    g.add((linkset, VOID.triples, Literal(links, datatype=XSD.integer)))
    g.add((node, VOID.subset, linkset))


def _distribution(g: Graph, node: URIRef, name: str, data: bytes, where: str) -> None:
    """The same distribution (IRI, URL, checksum) as the catalogue's for the release."""
    dist = distribution_iri(node, name)
    url = URIRef(f"{where}{name}")
    checksum = URIRef(f"{dist}/checksum")
    g.add((node, DCAT.distribution, dist))
    if name in DATA_DUMPS:
        g.add((node, VOID.dataDump, url))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal(name)))
    g.add((dist, DCAT.downloadURL, url))
    g.add((dist, DCAT.accessURL, url))
    found = of_file(name)
    g.add((dist, DCAT.mediaType, URIRef(IANA + found.content.media_type)))
    if found.compression is not None:
        g.add((dist, DCAT.compressFormat, URIRef(IANA + found.compression.media_type)))
    g.add((dist, DCAT.byteSize, Literal(byte_size(data), datatype=XSD.nonNegativeInteger)))
    g.add((dist, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add(
        (
            checksum,
            SPDX.checksumValue,
            Literal(sha256_hex(data), datatype=XSD.hexBinary),
        )
    )


def _slug(iri: URIRef) -> str:
    """``org-Organization`` for org:Organization: readable and unique across vocabularies."""
    for prefix, namespace in PREFIXES.items():
        if str(iri).startswith(namespace):
            return f"{prefix}-{str(iri)[len(namespace) :]}"
    return str(iri).rsplit("/", 1)[-1]
