"""The DCAT-AP catalogue as a page for people (``/catalog`` for a browser): what the catalogue says
of the dataset (the series), each distribution (format, size, checksum, licence), the SPARQL
service and the releases kept (the series' members), read from its quads and shown in the page's
language. Nothing is added that the catalogue does not state."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from maillage.settings import Settings
from server.site import local_href
from server.structured_data import DCAT, DCTERMS, FOAF, MEDIA_TYPES, RDF_TYPE, SKOS_PREF, Graph

SPDX = "http://spdx.org/rdf/terms#"
CHECKSUM_ALGORITHMS = {f"{SPDX}checksumAlgorithm_sha256": "SHA-256"}
"""SPDX's checksum algorithms, as the page names them."""


@dataclass(frozen=True)
class Distribution:
    title: str
    description: str | None
    href: str
    """Where it is followed from the page: on this server for our IRIs."""
    iri: str
    downloadable: bool
    """A file (``dcat:downloadURL``); otherwise a service reached at ``href``."""
    media_type: str | None
    compression: str | None
    size: int | None
    checksum: str | None
    algorithm: str | None
    license: str | None


@dataclass(frozen=True)
class Service:
    title: str | None
    href: str
    iri: str
    conforms_to: list[str]


@dataclass(frozen=True)
class SeriesMember:
    """A release kept, as the catalogue states it."""

    iri: str
    href: str
    version: str | None
    issued: str | None
    live: bool
    """The series' current version (``dcat:hasCurrentVersion``)."""


@dataclass(frozen=True)
class CatalogView:
    title: str | None
    dataset: str
    dataset_title: str | None
    description: str | None
    version: str | None
    issued: str | None
    modified: str | None
    license: str | None
    publisher: str | None
    temporal: tuple[str, str] | None
    spatial: list[str]
    keywords: list[str]
    distributions: list[Distribution]
    services: list[Service]
    members: list[SeriesMember]
    """First to last."""


def catalog_view(quads: list[ox.Quad], lang: str, settings: Settings) -> CatalogView:
    """The catalogue's dataset series, its distributions, services and members, in ``lang``."""
    graph = Graph(quads)
    catalog = next(graph.subjects(RDF_TYPE, ox.NamedNode(f"{DCAT}Catalog")))
    dataset = next(graph.subjects(RDF_TYPE, ox.NamedNode(f"{DCAT}DatasetSeries")))
    publisher = graph.first(dataset, f"{DCTERMS}publisher")
    return CatalogView(
        title=graph.text(catalog, f"{DCTERMS}title", lang),
        dataset=dataset.value,
        dataset_title=graph.text(dataset, f"{DCTERMS}title", lang),
        description=graph.text(dataset, f"{DCTERMS}description", lang),
        version=value(graph.first(dataset, f"{DCAT}version")),
        issued=value(graph.first(dataset, f"{DCTERMS}issued")),
        modified=value(graph.first(dataset, f"{DCTERMS}modified")),
        license=value(graph.first(dataset, f"{DCTERMS}license")),
        publisher=graph.text(publisher, f"{FOAF}name") if publisher is not None else None,
        temporal=period(graph, graph.first(dataset, f"{DCTERMS}temporal")),
        spatial=sorted(
            {
                name
                for place in graph.objects(dataset, f"{DCTERMS}spatial")
                if (name := graph.text(place, SKOS_PREF)) is not None
            }
        ),
        keywords=[
            k.value
            for k in graph.objects(dataset, f"{DCAT}keyword")
            if isinstance(k, ox.Literal) and k.language == lang
        ],
        distributions=[
            distribution(graph, d, lang, settings)
            for d in graph.objects(dataset, f"{DCAT}distribution")
        ],
        services=[
            service(graph, s, lang, settings) for s in graph.objects(catalog, f"{DCAT}service")
        ],
        members=members(graph, dataset, settings),
    )


def members(graph: Graph, series, settings: Settings) -> list[SeriesMember]:
    """The series' members from ``dcat:first`` along ``dcat:next``."""
    found = []
    current = graph.first(series, f"{DCAT}hasCurrentVersion")
    node = graph.first(series, f"{DCAT}first")
    while node is not None and len(found) < MAX_MEMBERS:
        found.append(
            SeriesMember(
                iri=node.value,
                href=local_href(node.value, settings),
                version=value(graph.first(node, f"{DCAT}version")),
                issued=value(graph.first(node, f"{DCTERMS}issued")),
                live=node == current,
            )
        )
        node = graph.first(node, f"{DCAT}next")
    return found


MAX_MEMBERS = 1000
"""A bound on the walk along ``dcat:next`` (the server composes a chain; a loop would not end)."""


def value(term) -> str | None:
    return term.value if term is not None else None


def period(graph: Graph, temporal) -> tuple[str, str] | None:
    if temporal is None:
        return None
    start, end = (graph.first(temporal, f"{DCAT}{bound}") for bound in ("startDate", "endDate"))
    return (start.value, end.value) if start is not None and end is not None else None


def distribution(graph: Graph, node, lang: str, settings: Settings) -> Distribution:
    download = graph.first(node, f"{DCAT}downloadURL")
    url = download or graph.first(node, f"{DCAT}accessURL")
    checksum = graph.first(node, f"{SPDX}checksum")
    size = graph.first(node, f"{DCAT}byteSize")
    algorithm = graph.first(checksum, f"{SPDX}algorithm") if checksum is not None else None
    return Distribution(
        title=graph.text(node, f"{DCTERMS}title", lang) or node.value,
        description=graph.text(node, f"{DCTERMS}description", lang),
        href=local_href(url.value, settings)
        if url is not None
        else local_href(node.value, settings),
        iri=url.value if url is not None else node.value,
        downloadable=download is not None,
        media_type=media(graph.first(node, f"{DCAT}mediaType")),
        compression=media(graph.first(node, f"{DCAT}compressFormat")),
        size=int(size.value) if size is not None else None,
        checksum=value(graph.first(checksum, f"{SPDX}checksumValue")) if checksum else None,
        algorithm=CHECKSUM_ALGORITHMS.get(algorithm.value) if algorithm is not None else None,
        license=value(graph.first(node, f"{DCTERMS}license")),
    )


def media(term) -> str | None:
    """``text/turtle`` from IANA's IRI of the media type."""
    return term.value.removeprefix(MEDIA_TYPES) if term is not None else None


def service(graph: Graph, node, lang: str, settings: Settings) -> Service:
    endpoint = graph.first(node, f"{DCAT}endpointURL")
    url = endpoint.value if endpoint is not None else node.value
    return Service(
        title=graph.text(node, f"{DCTERMS}title", lang),
        href=local_href(url, settings),
        iri=url,
        conforms_to=[c.value for c in graph.objects(node, f"{DCTERMS}conformsTo")],
    )
