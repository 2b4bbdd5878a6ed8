"""The DCAT-AP 3 catalogue of a release: the dataset, each downloadable file, the SPARQL service.

Built at build time from ``data/dataset.yaml`` (title, description, licence, publisher, dates,
temporal coverage) and the release's files (sizes, SHA-256), and written into the release as
``catalog.ttl``: the server serves it and reads nothing of the checkout. It passes the
official DCAT-AP 3.0.1 shapes (``tests/conformance/test_dcat_ap.py``) and gives what the
data.gouv.fr harvester reads: ``dct:identifier``, licence on the dataset and on each
distribution, download URLs, media types, checksums, temporal coverage, and spatial coverage
as a geometry literal.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef

from maillage.formats import IANA, UnknownFormat, of_file
from maillage.identifiers import Base
from maillage.layout import DATASET, contents, release_iri
from maillage.namespaces import GEO, ID, SPDX
from maillage.pipeline.release import entries
from maillage.rdfio import quads, serialise

LOCN = Namespace("http://www.w3.org/ns/locn#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
EU = "http://publications.europa.eu/resource/authority/"
DCAT_VERSION = URIRef("http://www.w3.org/ns/dcat#version")
"""DCAT 3's ``dcat:version`` (rdflib's closed DCAT namespace predates it)."""
DCAT_HAS_CURRENT_VERSION = URIRef("http://www.w3.org/ns/dcat#hasCurrentVersion")
"""DCAT 3: the dataset → the release that is its version when the release is built."""
OGC_RDF_WKT = URIRef("http://www.opengis.net/rdf#wktLiteral")
"""The WKT datatype the data.gouv.fr harvester reads (GeoDCAT-AP's); ``dcat:bbox`` carries the
GeoSPARQL one."""

CATALOG = ID["dataset/catalog"]
SERVICE = ID["dataset/sparql"]
PUBLISHER = URIRef(f"{DATASET}/publisher")

INSEE_REGION = URIRef("http://id.insee.fr/geo/region/76")
OUR_REGION = ID["region/76"]

KEYWORDS = {
    "fr": ("économie numérique", "réseaux", "clusters", "Occitanie", "données liées"),
    "en": ("digital economy", "networks", "clusters", "Occitanie", "linked data"),
}


def catalog_graph(meta: dict, manifest: dict, base: str, release: str) -> Graph:
    """The catalogue of release ``release``; ``meta`` is ``data/dataset.yaml``, ``manifest`` the
    release's manifest (its ``files``); download URLs are under ``{base}downloads/``."""
    g = Graph()
    g.bind("dcat", DCAT)
    g.bind("dct", DCTERMS)
    _catalog(g, meta, base)
    _dataset(g, meta, base)
    g.add((DATASET, DCAT_HAS_CURRENT_VERSION, URIRef(release_iri(base, release))))
    _service(g, meta, base)
    _service_distribution(g, meta, base)
    _publisher(g, meta)
    _licence(g, URIRef(meta["license"]))
    _spatial(g, meta["spatial"])
    for name, entry in sorted(manifest["files"].items()):
        _distribution(g, meta, name, entry, base)
    return g


def catalog_file(meta: dict, files: dict[str, bytes], base: str, release: str) -> bytes:
    """``catalog.ttl``: the catalogue of ``files`` (every file of the release but itself and the
    manifest), sorted, so equal inputs give equal bytes."""
    graph = catalog_graph(meta, {"files": entries(files)}, base, release)
    return serialise(quads(graph, base), ox.RdfFormat.TURTLE, base)


def _texts(g: Graph, node: URIRef, prop: URIRef, values: dict[str, str]) -> None:
    for lang, text in values.items():
        g.add((node, prop, Literal(text.strip(), lang=lang)))


def _typed(g: Graph, node: URIRef, cls: URIRef, **labels: str) -> URIRef:
    g.add((node, RDF.type, cls))
    for lang, text in labels.items():
        g.add((node, SKOS.prefLabel, Literal(text, lang=lang)))
    return node


def _date(value: object) -> Literal:
    return Literal(str(value), datatype=XSD.date)


def _catalog(g: Graph, meta: dict, base: str) -> None:
    g.add((CATALOG, RDF.type, DCAT.Catalog))
    _texts(g, CATALOG, DCTERMS.title, {"fr": "Catalogue Maillage", "en": "Maillage catalogue"})
    _texts(g, CATALOG, DCTERMS.description, meta["description"])
    g.add((CATALOG, DCTERMS.publisher, PUBLISHER))
    g.add((CATALOG, DCTERMS.license, URIRef(meta["license"])))
    g.add((CATALOG, DCTERMS.issued, _date(meta["issued"])))
    g.add((CATALOG, DCTERMS.modified, _date(meta["issued"])))
    g.add((CATALOG, FOAF.homepage, _typed(g, URIRef(base), FOAF.Document)))
    g.add((CATALOG, DCAT.dataset, DATASET))
    g.add((CATALOG, DCAT.service, SERVICE))
    _languages(g, CATALOG)
    _spatial_links(g, CATALOG)
    scheme = URIRef(EU + "data-theme")
    g.add((CATALOG, DCAT.themeTaxonomy, _typed(g, scheme, SKOS.ConceptScheme)))
    g.add((scheme, DCTERMS.title, Literal("Data theme", lang="en")))


def _languages(g: Graph, node: URIRef) -> None:
    for code in ("FRA", "ENG"):
        g.add(
            (
                node,
                DCTERMS.language,
                _typed(g, URIRef(EU + "language/" + code), DCTERMS.LinguisticSystem),
            )
        )


def _dataset(g: Graph, meta: dict, base: str) -> None:
    d = DATASET
    g.add((d, RDF.type, DCAT.Dataset))
    _texts(g, d, DCTERMS.title, meta["title"])
    _texts(g, d, DCTERMS.description, meta["description"])
    g.add((d, DCTERMS.identifier, Literal(str(d))))
    g.add((d, DCTERMS.publisher, PUBLISHER))
    g.add((d, DCTERMS.license, URIRef(meta["license"])))
    g.add((d, DCTERMS.issued, _date(meta["issued"])))
    g.add((d, DCTERMS.modified, _date(meta["issued"])))
    g.add((d, DCAT_VERSION, Literal(str(meta["version"]))))
    g.add((d, DCAT.landingPage, _typed(g, URIRef(base), FOAF.Document)))
    g.add((d, DCAT.contactPoint, _contact(g, meta, base)))
    _languages(g, d)
    _keywords_and_theme(g, d)
    frequency = _typed(g, URIRef(EU + "frequency/IRREG"), DCTERMS.Frequency, en="irregular")
    g.add((d, DCTERMS.accrualPeriodicity, frequency))
    _temporal(g, meta["temporal"])
    _spatial_links(g, d)


def _keywords_and_theme(g: Graph, node: URIRef) -> None:
    for lang, words in KEYWORDS.items():
        for word in words:
            g.add((node, DCAT.keyword, Literal(word, lang=lang)))
    theme = _typed(g, URIRef(EU + "data-theme/ECON"), SKOS.Concept, en="Economy and finance")
    g.add((theme, SKOS.inScheme, URIRef(EU + "data-theme")))
    g.add((node, DCAT.theme, theme))


def _contact(g: Graph, meta: dict, base: str) -> URIRef:
    contact = URIRef(f"{DATASET}/contact")
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal(meta["publisher"])))
    g.add((contact, VCARD.hasURL, URIRef(base)))
    return contact


def _temporal(g: Graph, temporal: dict) -> None:
    period = URIRef(f"{DATASET}/temporal")
    g.add((DATASET, DCTERMS.temporal, period))
    g.add((period, RDF.type, DCTERMS.PeriodOfTime))
    g.add((period, DCAT.startDate, _date(temporal["start"])))
    g.add((period, DCAT.endDate, _date(temporal["end"])))


def _spatial_links(g: Graph, node: URIRef) -> None:
    for place in (INSEE_REGION, OUR_REGION):
        g.add((node, DCTERMS.spatial, place))


def _spatial(g: Graph, spatial: dict) -> None:
    """The région by INSEE's IRI and by ours, each with the approximate WKT box of
    ``data/dataset.yaml`` (the harvester reads geometries only) and a note saying it is one."""
    box = wkt_box(tuple(spatial["bbox"]))
    for region in (INSEE_REGION, OUR_REGION):
        g.add((region, RDF.type, DCTERMS.Location))
        g.add((region, SKOS.prefLabel, Literal("Occitanie", lang="fr")))
        for lang, note in spatial["bbox_note"].items():
            g.add((region, SKOS.editorialNote, Literal(note, lang=lang)))
        g.add((region, DCAT.bbox, Literal(box, datatype=GEO.wktLiteral)))
        g.add((region, LOCN.geometry, Literal(box, datatype=OGC_RDF_WKT)))


def wkt_box(bbox: tuple[float, float, float, float]) -> str:
    west, south, east, north = bbox
    ring = [(west, south), (east, south), (east, north), (west, north), (west, south)]
    return "POLYGON((" + ", ".join(f"{x} {y}" for x, y in ring) + "))"


def _service(g: Graph, meta: dict, base: str) -> None:
    s = SERVICE
    g.add((s, RDF.type, DCAT.DataService))
    _texts(
        g,
        s,
        DCTERMS.title,
        {"fr": "Point d'accès SPARQL de Maillage", "en": "Maillage SPARQL endpoint"},
    )
    endpoint = _typed(g, URIRef(Base(base).sparql), RDFS.Resource)
    g.add((s, DCAT.endpointURL, endpoint))
    g.add((s, DCAT.endpointDescription, endpoint))
    g.add((s, DCAT.servesDataset, DATASET))
    standard = URIRef("https://www.w3.org/TR/sparql11-protocol/")
    g.add((s, DCTERMS.conformsTo, _typed(g, standard, DCTERMS.Standard)))
    g.add((s, DCTERMS.publisher, PUBLISHER))
    g.add((s, DCTERMS.license, URIRef(meta["license"])))
    g.add((s, DCAT.contactPoint, URIRef(f"{DATASET}/contact")))
    _keywords_and_theme(g, s)


def _service_distribution(g: Graph, meta: dict, base: str) -> None:
    """The SPARQL endpoint as a distribution too (harvesters list it as an API)."""
    dist = URIRef(f"{DATASET}/distribution/sparql")
    g.add((DATASET, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    _texts(g, dist, DCTERMS.title, {"fr": "Point d'accès SPARQL", "en": "SPARQL endpoint"})
    _texts(
        g,
        dist,
        DCTERMS.description,
        {
            "fr": "Requêtes SPARQL 1.1 sur la version en ligne.",
            "en": "SPARQL 1.1 queries on the live release.",
        },
    )
    g.add((dist, DCAT.accessURL, URIRef(Base(base).sparql)))
    g.add((dist, DCAT.accessService, SERVICE))
    g.add((dist, DCTERMS.license, URIRef(meta["license"])))
    availability = _typed(g, URIRef(EU + "planned-availability/STABLE"), SKOS.Concept, en="stable")
    g.add((dist, DCATAP.availability, availability))


def _publisher(g: Graph, meta: dict) -> None:
    g.add((PUBLISHER, RDF.type, FOAF.Agent))
    g.add((PUBLISHER, FOAF.name, Literal(meta["publisher"])))


def _licence(g: Graph, licence: URIRef) -> None:
    g.add((licence, RDF.type, DCTERMS.LicenseDocument))
    g.add((licence, DCTERMS.identifier, Literal("etalab-2.0")))
    g.add((licence, RDFS.label, Literal("Licence Ouverte / Open Licence version 2.0", lang="fr")))
    kind = _typed(
        g, URIRef("http://purl.org/adms/licencetype/Attribution"), SKOS.Concept, en="Attribution"
    )
    g.add((licence, DCTERMS.type, kind))


def _distribution(g: Graph, meta: dict, name: str, entry: dict, base: str) -> None:
    dist = URIRef(f"{DATASET}/distribution/{name}")
    url = URIRef(f"{base}downloads/{name}")
    g.add((DATASET, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal(name)))
    _texts(g, dist, DCTERMS.description, _file_description(name))
    g.add((dist, DCAT.accessURL, url))
    g.add((dist, DCAT.downloadURL, url))
    g.add((dist, DCTERMS.license, URIRef(meta["license"])))
    g.add((dist, DCAT.byteSize, Literal(entry["bytes"], datatype=XSD.nonNegativeInteger)))
    availability = _typed(g, URIRef(EU + "planned-availability/STABLE"), SKOS.Concept, en="stable")
    g.add((dist, DCATAP.availability, availability))
    _formats(g, dist, name)
    _checksum(g, dist, entry["sha256"])


def _formats(g: Graph, dist: URIRef, name: str) -> None:
    try:
        found = of_file(name)
    except UnknownFormat:
        return
    media = _typed(g, URIRef(IANA + found.content.media_type), DCTERMS.MediaType)
    g.add((dist, DCAT.mediaType, media))
    if found.content.eu_file_type is not None:
        file_type = URIRef(EU + "file-type/" + found.content.eu_file_type)
        g.add((dist, DCTERMS.format, _typed(g, file_type, DCTERMS.MediaTypeOrExtent)))
    if found.compression is not None:
        archive = _typed(g, URIRef(IANA + found.compression.media_type), DCTERMS.MediaType)
        g.add((dist, DCAT.compressFormat, archive))


def _checksum(g: Graph, dist: URIRef, sha256: str) -> None:
    checksum = URIRef(f"{dist}/checksum")
    g.add((dist, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add(
        (checksum, SPDX.algorithm, _typed(g, SPDX.checksumAlgorithm_sha256, SPDX.ChecksumAlgorithm))
    )
    g.add((checksum, SPDX.checksumValue, Literal(sha256, datatype=XSD.hexBinary)))


def _file_description(name: str) -> dict[str, str]:
    fr, en = contents(name)
    if not fr:
        return {"fr": f"Maillage, {name}.", "en": f"Maillage, {name}."}
    return {"fr": f"Maillage, {name} : {fr}.", "en": f"Maillage, {name}: {en}."}
