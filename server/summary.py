"""The home page's facts, all from the release: counts from ``void.ttl`` and the files with
their sizes and checksums from ``manifest.json``, what each holds from the release contract
(``maillage/layout.py``) and its format from ``maillage/formats.py``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, VOID

from maillage.formats import UnknownFormat, of_file
from maillage.layout import DATASET, MANIFEST, contents
from maillage.namespaces import ORG, SCHEMA
from maillage.rdfio import rebased
from maillage.settings import Settings

COUNTED_CLASSES = (
    ("organisations", ORG.Organization),
    ("people", FOAF.Person),
    ("roles", ORG.Membership),
    ("sites and venues", ORG.Site),
    ("events", SCHEMA.Event),
    ("event series", SCHEMA.EventSeries),
    ("mergers and other changes", ORG.ChangeEvent),
    ("figures", "def/Observation"),
    ("documents", FOAF.Document),
    ("conflicts", "def/Conflict"),
)
"""The classes the home page counts, in order; ``def/…`` is under the canonical base."""


@dataclass(frozen=True)
class Count:
    label: str
    value: int
    query: str = ""
    """A SPARQL query listing what is counted, for a link to the query page."""


@dataclass(frozen=True)
class Download:
    name: str
    size: int
    sha256: str
    media_type: str
    description: str

    @property
    def href(self) -> str:
        return f"/downloads/{self.name}"


@dataclass(frozen=True)
class Summary:
    release: str
    title: str
    description: str
    version: str
    issued: str
    license: str
    counts: list[Count]
    totals: list[Count]
    downloads: list[Download]


def summarise(release: Path, settings: Settings) -> Summary:
    manifest = json.loads((release / MANIFEST).read_text(encoding="utf-8"))
    void = Graph().parse(release / "void.ttl", format="turtle")
    dataset = URIRef(rebased(str(DATASET), settings.base_iri))

    def text(predicate: URIRef) -> str:
        found = [o for o in void.objects(dataset, predicate) if isinstance(o, Literal)]
        english = [o for o in found if o.language == "en"]
        return str((english or found or [""])[0])

    return Summary(
        release=manifest["release"],
        title=text(DCTERMS.title),
        description=text(DCTERMS.description),
        version=text(OWL.versionInfo),
        issued=text(DCTERMS.issued),
        license=str(void.value(dataset, DCTERMS.license) or ""),
        counts=class_counts(void, dataset, settings),
        totals=totals(void, dataset, settings),
        downloads=downloads(manifest),
    )


def class_counts(void: Graph, dataset: URIRef, settings: Settings) -> list[Count]:
    entities = {}
    for partition in void.objects(dataset, VOID.classPartition):
        cls = void.value(partition, VOID["class"])
        entities[cls] = int(void.value(partition, VOID.entities) or 0)
    counts = []
    for label, cls in COUNTED_CLASSES:
        iri = cls if isinstance(cls, URIRef) else URIRef(settings.iris.at(cls))
        if iri in entities:
            counts.append(Count(label, entities[iri], listing_query(iri)))
    return counts


def totals(void: Graph, dataset: URIRef, settings: Settings) -> list[Count]:
    found = []
    for label, predicate in (
        ("claims", URIRef(settings.iris.term("claimCount"))),
        ("triples in the default graph", VOID.triples),
        ("resources with an IRI of ours", VOID.entities),
    ):
        value = void.value(dataset, predicate)
        if value is not None:
            found.append(Count(label, int(value)))
    return found


def listing_query(cls: URIRef) -> str:
    """One row per resource counted (a resource with two labels is still one), so that the
    results say as many entries as the counter."""
    return (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n\n"
        "SELECT ?resource (MIN(?name) AS ?label) WHERE {\n"
        f"  ?resource a <{cls}> .\n"
        "  OPTIONAL { ?resource rdfs:label ?name }\n"
        "}\nGROUP BY ?resource\nORDER BY ?label ?resource\n"
    )


def downloads(manifest: dict) -> list[Download]:
    return [
        download(name, int(entry["bytes"]), entry["sha256"])
        for name, entry in sorted(manifest["files"].items())
    ]


def download(name: str, size: int, sha256: str) -> Download:
    """A file with what it holds and its format, both its own (``layout.CONTENTS``,
    ``formats.of_file``): ``maillage.nt.gz`` is the default graph, N-Triples, gzip-compressed."""
    _french, what = contents(name)
    try:
        found = of_file(name)
        media, label = found.media_type, found.label
    except UnknownFormat:
        media, label = "application/octet-stream", ""
    description = f"{what} ({label})" if what and label else what or label
    return Download(name, size, sha256, media, description[:1].upper() + description[1:])
