"""schema.org JSON-LD embedded in our pages, for search engines and dataset search: a ``Dataset``
on the home page built from the release's catalogue (``catalog.ttl``), and an ``Organization``,
``Person`` or ``Event`` on a resource page built from the release's data. The context is inline
(``@vocab`` schema.org), so the block parses with nothing fetched; :func:`script_json` makes it
safe inside ``<script>``."""

from __future__ import annotations

import json
from collections.abc import Iterable

import pyoxigraph as ox
from markupsafe import Markup

from maillage.release_reader import ReleaseReader, preferred

SCHEMA = "http://schema.org/"
CONTEXT = {"@vocab": SCHEMA}
"""Inline: no remote context, so any JSON-LD processor reads it offline."""
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCAT = "http://www.w3.org/ns/dcat#"
DCTERMS = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"
IGEO = "http://rdf.insee.fr/def/geo#"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"

ENTITY_TYPES = {
    f"{ORG}Organization": "Organization",
    f"{ORG}FormalOrganization": "Organization",
    f"{SCHEMA}Organization": "Organization",
    f"{FOAF}Person": "Person",
    f"{SCHEMA}Person": "Person",
    f"{SCHEMA}Event": "Event",
    f"{ORG}Site": "Place",
    f"{IGEO}Commune": "Place",
    f"{IGEO}Departement": "Place",
    f"{IGEO}Region": "Place",
}
"""Our classes and the schema.org type their pages carry."""
DATES = {
    "Organization": ("foundingDate", "dissolutionDate"),
    "Event": ("startDate", "endDate"),
    "Person": (),
    "Place": (),
}
LINKS = {
    "Organization": ("foundingLocation", "areaServed", "funder"),
    "Event": ("location", "organizer", "superEvent"),
    "Person": (),
    "Place": (),
}
"""schema.org properties our data uses as such, copied with the linked thing's name."""


def script_json(data: dict) -> Markup:
    """JSON for a ``<script type="application/ld+json">``: ``<``, ``>`` and ``&`` escaped as
    JSON's ``\\u`` escapes, so no text (``</script>``, ``<!--``) can end the block."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    for char in "<>&":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return Markup(text)


# --- The home page: the Dataset ---------------------------------------------------------------


def dataset_jsonld(catalog: Iterable[ox.Quad], page_url: str) -> dict:
    """The catalogue's ``dcat:Dataset`` as schema.org ``Dataset`` (Google's dataset-search
    properties), each ``dcat:downloadURL`` a ``DataDownload``."""
    graph = Graph(catalog)
    series = list(graph.subjects(RDF_TYPE, ox.NamedNode(f"{DCAT}DatasetSeries")))
    dataset = (
        series[0] if series else next(graph.subjects(RDF_TYPE, ox.NamedNode(f"{DCAT}Dataset")))
    )
    temporal = graph.first(dataset, f"{DCTERMS}temporal")
    publisher = graph.first(dataset, f"{DCTERMS}publisher")
    found: dict = {
        "@context": CONTEXT,
        "@type": "Dataset",
        "@id": dataset.value,
        "url": page_url,
        "name": graph.text(dataset, f"{DCTERMS}title", "en"),
        "description": graph.text(dataset, f"{DCTERMS}description", "en"),
        "license": graph.first(dataset, f"{DCTERMS}license").value,
        "keywords": sorted({k.value for k in graph.objects(dataset, f"{DCAT}keyword")}),
        "isAccessibleForFree": True,
        "creator": {"@type": "Organization", "name": graph.text(publisher, f"{FOAF}name")},
        "spatialCoverage": [
            {"@type": "Place", "@id": place.value, "name": graph.text(place, SKOS_PREF)}
            for place in graph.objects(dataset, f"{DCTERMS}spatial")
        ],
        "temporalCoverage": "/".join(
            graph.first(temporal, f"{DCAT}{end}").value for end in ("startDate", "endDate")
        ),
        "distribution": [
            distribution_jsonld(graph, d) for d in graph.objects(dataset, f"{DCAT}distribution")
        ],
    }
    found["distribution"] = [d for d in found["distribution"] if d is not None]
    return found


def distribution_jsonld(graph: Graph, distribution: ox.NamedNode) -> dict | None:
    """A downloadable file as ``DataDownload`` (None for a service, such as SPARQL)."""
    url = graph.first(distribution, f"{DCAT}downloadURL")
    if url is None:
        return None
    # what the URL serves: a compressed file is its compression's type (a .nt.gz is gzip)
    media = graph.first(distribution, f"{DCAT}compressFormat") or graph.first(
        distribution, f"{DCAT}mediaType"
    )
    found = {
        "@type": "DataDownload",
        "name": graph.text(distribution, f"{DCTERMS}title"),
        "contentUrl": url.value,
        "encodingFormat": media.value.removeprefix(MEDIA_TYPES),
    }
    size = graph.first(distribution, f"{DCAT}byteSize")
    if size is not None:
        found["contentSize"] = f"{size.value} B"
    return found


class Graph:
    """A few quads, looked up by subject and predicate."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.store = ox.Store()
        self.store.extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)

    def objects(self, subject, predicate: str) -> list:
        found = self.store.quads_for_pattern(subject, ox.NamedNode(predicate), None)
        return sorted((q.object for q in found), key=str)

    def subjects(self, predicate: ox.NamedNode, obj) -> Iterable:
        return (q.subject for q in self.store.quads_for_pattern(None, predicate, obj))

    def first(self, subject, predicate: str):
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def text(self, subject, predicate: str, language: str = "fr") -> str | None:
        literals = [o for o in self.objects(subject, predicate) if isinstance(o, ox.Literal)]
        chosen = preferred(literals, language)
        return chosen.value if chosen is not None else None


# --- Resource pages: Organization, Person, Event ----------------------------------------------


def entity_type(reader: ReleaseReader, iri: str) -> str | None:
    """The schema.org type of the thing at ``iri`` (Organization, Person, Event, Place)."""
    classes = {t.value for t in reader.values(ox.NamedNode(iri), RDF_TYPE)}
    for ours, theirs in ENTITY_TYPES.items():
        if ours in classes:
            return theirs
    return None


def entity_jsonld(reader: ReleaseReader, iri: str, page_url: str) -> dict | None:
    """What the page of ``iri`` shows that maps simply onto schema.org (None for other things)."""
    kind = entity_type(reader, iri)
    if kind is None:
        return None
    node = ox.NamedNode(iri)
    found: dict = {"@context": CONTEXT, "@type": kind, "@id": iri, "url": page_url}
    name = reader.label(node, "fr")
    if name is not None:
        found["name"] = name.value
    description = text_of(reader, node, f"{SCHEMA}description")
    if description is not None:
        found["description"] = description
    for prop in DATES[kind]:
        day = reader.first(node, ox.NamedNode(SCHEMA + prop))
        if isinstance(day, ox.Literal):
            found[prop] = day.value
    for prop in LINKS[kind]:
        linked = named_links(reader, reader.values(node, ox.NamedNode(SCHEMA + prop)))
        if linked:
            found[prop] = linked
    member_of = named_links(reader, memberships(reader, node, kind))
    if member_of:
        found["memberOf"] = member_of
    return found


def memberships(reader: ReleaseReader, node: ox.NamedNode, kind: str) -> list:
    """The organisations ``node`` is a member of (``org:Membership``, ``org:memberOf``)."""
    if kind in ("Event", "Place"):
        return []
    via = [
        reader.first(m, ox.NamedNode(f"{ORG}organization"))
        for m in (
            q.subject
            for q in reader.quads(None, ox.NamedNode(f"{ORG}member"), node, ox.DefaultGraph())
        )
    ]
    direct = reader.values(node, ox.NamedNode(f"{ORG}memberOf"))
    return sorted({o for o in via + direct if o is not None}, key=str)


def named_links(reader: ReleaseReader, nodes: list) -> list[dict]:
    found = []
    for linked in nodes:
        if not isinstance(linked, ox.NamedNode):
            continue
        item = {"@id": linked.value}
        label = reader.label(linked, "fr")
        if label is not None:
            item["name"] = label.value
        found.append(item)
    return found


def text_of(reader: ReleaseReader, node: ox.NamedNode, predicate: str) -> str | None:
    literals = [
        o for o in reader.values(node, ox.NamedNode(predicate)) if isinstance(o, ox.Literal)
    ]
    chosen = preferred(literals, "fr")
    return chosen.value if chosen is not None else None
