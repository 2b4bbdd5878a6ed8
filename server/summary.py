"""The home page's facts, all from the release: counts from ``void.ttl`` (through the release's
reader, which holds it in memory) and the files with
their sizes and checksums from ``manifest.json``, what each holds from the release contract
(``maillage/layout.py``) and its format from ``maillage/formats.py``."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, VOID

from maillage.formats import FileFormat, UnknownFormat, of_file
from maillage.layout import MANIFEST, contents, release_iri
from maillage.namespaces import ORG, SCHEMA
from maillage.release_reader import ReleaseReader, named, preferred
from server.i18n import LANGUAGES

COUNTED_CLASSES = (
    ("organisations", "organisations", ORG.Organization),
    ("people", "people", FOAF.Person),
    ("roles", "roles", ORG.Membership),
    ("sites", "sites and venues", ORG.Site),
    ("events", "events", SCHEMA.Event),
    ("event-series", "event series", SCHEMA.EventSeries),
    ("changes", "mergers and other changes", ORG.ChangeEvent),
    ("figures", "figures", "def/Observation"),
    ("documents", "documents", FOAF.Document),
    ("conflicts", "conflicts", "def/Conflict"),
)
"""The classes the home page counts, in order: the slug of their A–Z list (``/browse/{slug}``),
what they are called and the class; ``def/…`` is under the canonical base."""


@dataclass(frozen=True)
class Count:
    label: str
    value: int
    query: str = ""
    """A SPARQL query listing what is counted (the same resources as its A–Z list)."""
    slug: str = ""
    """Its A–Z list is ``/browse/{slug}``."""
    key: str = ""
    """What it is called in the interface's messages (``server/i18n.py``)."""

    @property
    def href(self) -> str:
        return f"/browse/{self.slug}"


@dataclass(frozen=True)
class Download:
    name: str
    size: int
    sha256: str
    media_type: str
    description: str
    description_fr: str
    """What it holds, in French (``description`` is in English)."""
    where: str = "/downloads/"
    """The path of its release's files on this server (``/releases/{id}/downloads/`` for a
    release kept that is not the live one)."""

    @property
    def href(self) -> str:
        return f"{self.where}{self.name}"


@dataclass(frozen=True)
class Summary:
    release: str
    title: dict[str, str]
    """In each language of the interface (``fr``, ``en``), from the dataset's own labels."""
    description: dict[str, str]
    version: str
    issued: str
    license: str
    counts: list[Count]
    totals: list[Count]
    downloads: list[Download]


def summarise(reader: ReleaseReader) -> Summary:
    manifest = json.loads((reader.release / MANIFEST).read_text(encoding="utf-8"))
    dataset = ox.NamedNode(release_iri(reader.ours.iri, manifest["release"]))

    def text(predicate: URIRef, language: str = "en") -> str:
        found = [o for o in reader.values(dataset, named(predicate)) if isinstance(o, ox.Literal)]
        chosen = preferred(found, language)
        return chosen.value if chosen is not None else ""

    def texts(predicate: URIRef) -> dict[str, str]:
        return {language: text(predicate, language) for language in LANGUAGES}

    licence = reader.first(dataset, named(DCTERMS.license))
    return Summary(
        release=manifest["release"],
        title=texts(DCTERMS.title),
        description=texts(DCTERMS.description),
        version=text(OWL.versionInfo),
        issued=text(DCTERMS.issued),
        license=licence.value if licence is not None else "",
        counts=class_counts(reader, dataset),
        totals=totals(reader, dataset),
        downloads=downloads(manifest),
    )


def class_counts(reader: ReleaseReader, dataset: ox.NamedNode) -> list[Count]:
    entities = {}
    for partition in reader.values(dataset, named(VOID.classPartition)):
        cls, count = reader.first(partition, named(VOID["class"])), _number(reader, partition)
        if cls is not None:
            entities[cls.value] = count
    counts = []
    for slug, label, cls in COUNTED_CLASSES:
        iri = class_iri(reader, cls)
        if iri in entities:
            counts.append(
                Count(label, entities[iri], listing_query(URIRef(iri)), slug, f"class.{slug}")
            )
    return counts


def class_iri(reader: ReleaseReader, cls: URIRef | str) -> str:
    return str(cls) if isinstance(cls, URIRef) else reader.ours.at(cls)


def totals(reader: ReleaseReader, dataset: ox.NamedNode) -> list[Count]:
    found = []
    for key, label, predicate in (
        ("claims", "claims", ox.NamedNode(reader.ours.term("claimCount"))),
        ("triples", "triples in the default graph", named(VOID.triples)),
        ("entities", "resources with an IRI of ours", named(VOID.entities)),
    ):
        value = reader.first(dataset, predicate)
        if value is not None:
            found.append(Count(label, int(value.value), key=f"total.{key}"))
    return found


def _number(reader: ReleaseReader, partition) -> int:
    found = reader.first(partition, named(VOID.entities))
    return int(found.value) if found is not None else 0


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


def download(name: str, size: int, sha256: str, where: str = "/downloads/") -> Download:
    """A file with what it holds and its format, both its own (``layout.CONTENTS``,
    ``formats.of_file``): ``maillage.nt.gz`` is the default graph, N-Triples, gzip-compressed."""
    french, what = contents(name)
    try:
        found = of_file(name)
        media, label, label_fr = found.media_type, found.label, french_label(found)
    except UnknownFormat:
        media, label, label_fr = "application/octet-stream", "", ""
    return Download(
        name, size, sha256, media, described(what, label), described(french, label_fr), where
    )


FRENCH_LABELS = {"plain text": "texte brut"}
"""The formats whose name is not the same in French (``maillage/formats.py`` names them)."""


def french_label(found: FileFormat) -> str:
    """``Turtle``; ``texte brut``; ``N-Triples, compressé en gzip``."""
    content = FRENCH_LABELS.get(found.content.label, found.content.label)
    if found.compression is None:
        return content
    return f"{content}, compressé en {found.compression.label}"


def described(what: str, label: str) -> str:
    """``Le graphe par défaut (Turtle)``: what a file holds and its format, capitalised."""
    description = f"{what} ({label})" if what and label else what or label
    return description[:1].upper() + description[1:]
