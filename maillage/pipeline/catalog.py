"""The DCAT-AP 3 catalogue of a release: the dataset as a series, the release as its member, each
downloadable file, the SPARQL service.

Built at build time from ``data/dataset.yaml`` (title, description, licence, publisher, dates,
temporal coverage) and the release's files (sizes, SHA-256), and written into the release as
``catalog.ttl``: the server serves it and reads nothing of the checkout.

The dataset (``layout.DATASET``) is a ``dcat:DatasetSeries`` (and a ``dcat:Dataset``, as DCAT 3
makes every series one) whose distributions are the live files under ``/downloads/``: what
harvesters have read so far stays where it was. The release is a ``dcat:Dataset`` of its own,
``layout.release_iri(base, id)``, member of the series (``dcat:inSeries``), with ``dcat:version``
its id and its files under ``/releases/{id}/downloads/``. What depends on the other releases
(``dcat:prev``/``dcat:next``, ``dcat:first``/``dcat:last``, when each went live) is not known
here: the server adds it from the releases kept (``server/routes/catalog.py``).

It passes the official DCAT-AP 3.0.1 shapes (``tests/conformance/test_dcat_ap.py``) and gives
what the data.gouv.fr harvester reads: ``dct:identifier``, licence on the dataset and on each
distribution, download URLs, media types, checksums, temporal coverage, and spatial coverage
as a geometry literal.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef

from maillage.formats import IANA, UnknownFormat, of_file
from maillage.identifiers import Base
from maillage.layout import CATALOG, DATASET, VOID_TURTLE, contents, release_iri
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
DCAT_DATASET_SERIES = URIRef("http://www.w3.org/ns/dcat#DatasetSeries")
DCAT_IN_SERIES = URIRef("http://www.w3.org/ns/dcat#inSeries")
OGC_RDF_WKT = URIRef("http://www.opengis.net/rdf#wktLiteral")
"""The WKT datatype the data.gouv.fr harvester reads (GeoDCAT-AP's); ``dcat:bbox`` carries the
GeoSPARQL one."""

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
    release's manifest (its ``files``). The series' download URLs are under ``{base}downloads/``
    (the live files), the release's under ``{base}releases/{release}/downloads/``."""
    g = Graph()
    g.bind("dcat", DCAT)
    g.bind("dct", DCTERMS)
    member = URIRef(release_iri(base, release))
    _catalog(g, meta, base)
    g.add((CATALOG, DCAT.dataset, member))
    _dataset(g, meta, base)
    g.add((DATASET, DCAT_HAS_CURRENT_VERSION, member))
    _member(g, meta, base, member, release)
    _service(g, meta, base)
    _service_distribution(g, meta, base)
    _publisher(g, meta)
    _licence(g, URIRef(meta["license"]))
    _spatial(g, meta["spatial"])
    for name, entry in sorted(manifest["files"].items()):
        series_file = URIRef(f"{DATASET}/distribution/{name}")
        _distribution(g, meta, DATASET, series_file, name, entry, f"{base}downloads/")
        member_file = distribution_iri(member, name)
        _distribution(g, meta, member, member_file, name, entry, downloads_url(base, release))
    return g


def distribution_iri(member: URIRef, name: str) -> URIRef:
    """A file of a release as a distribution: a fragment of the release's IRI (its page on the
    server lists its files), ``…/releases/{id}#distribution/{name}``."""
    return URIRef(f"{member}#distribution/{name}")


def downloads_url(base: str, release: str) -> str:
    """Where the files of release ``release`` stay downloadable, live or not."""
    return f"{release_iri(base, release)}/downloads/"


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
    """The dataset over time: a series (DCAT 3 makes a series a dataset, and the catalogue's
    ``dcat:dataset`` wants one, so both types are stated). Its ``dcterms:modified`` is replaced by
    the server with the time the live release went live."""
    d = DATASET
    g.add((d, RDF.type, DCAT_DATASET_SERIES))
    _describe(g, meta, base, d, meta["title"], URIRef(f"{DATASET}/temporal"))
    g.add((d, DCTERMS.identifier, Literal(str(d))))
    g.add((d, DCTERMS.issued, _date(meta["issued"])))
    g.add((d, DCTERMS.modified, _date(meta["issued"])))
    g.add((d, DCAT.landingPage, _typed(g, URIRef(base), FOAF.Document)))
    frequency = _typed(g, URIRef(EU + "frequency/IRREG"), DCTERMS.Frequency, en="irregular")
    g.add((d, DCTERMS.accrualPeriodicity, frequency))


def _member(g: Graph, meta: dict, base: str, member: URIRef, release: str) -> None:
    """The release as a dataset of its own, member of the series, with its VoID (its counts)
    as ``rdfs:seeAlso``; when it went live (``dcterms:issued``) is added by the server, which
    knows."""
    titles = {
        lang: f"{text.strip()} ({VERSION_WORD[lang]} {release})"
        for lang, text in meta["title"].items()
    }
    _describe(g, meta, base, member, titles, URIRef(f"{member}#temporal"))
    g.add((member, DCTERMS.identifier, Literal(str(member))))
    g.add((member, DCAT_VERSION, Literal(release)))
    g.add((member, DCAT_IN_SERIES, DATASET))
    g.add((member, DCAT.landingPage, _typed(g, member, FOAF.Document)))
    g.add((member, RDFS.seeAlso, URIRef(downloads_url(base, release) + VOID_TURTLE)))


VERSION_WORD = {"fr": "version", "en": "release"}
"""How a member's title names its release."""


def _describe(
    g: Graph, meta: dict, base: str, node: URIRef, titles: dict[str, str], period: URIRef
) -> None:
    """What the series and each release say alike: title, description, publisher, licence,
    contact, languages, keywords, theme, temporal and spatial coverage."""
    g.add((node, RDF.type, DCAT.Dataset))
    _texts(g, node, DCTERMS.title, titles)
    _texts(g, node, DCTERMS.description, meta["description"])
    g.add((node, DCTERMS.publisher, PUBLISHER))
    g.add((node, DCTERMS.license, URIRef(meta["license"])))
    g.add((node, DCAT.contactPoint, _contact(g, meta, base)))
    _languages(g, node)
    _keywords_and_theme(g, node)
    _temporal(g, node, period, meta["temporal"])
    _spatial_links(g, node)


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


def _temporal(g: Graph, node: URIRef, period: URIRef, temporal: dict) -> None:
    g.add((node, DCTERMS.temporal, period))
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


def _distribution(
    g: Graph, meta: dict, dataset: URIRef, dist: URIRef, name: str, entry: dict, where: str
) -> None:
    """File ``name`` of ``dataset``, downloadable at ``where`` + its name."""
    url = URIRef(f"{where}{name}")
    g.add((dataset, DCAT.distribution, dist))
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
