"""The one table of formats: media type, file extension, pyoxigraph format, what people call it,
and its names in the registries we cite (EU file types, W3C ``formats:``). Every other table of
media types (SPARQL results, downloads, the catalogue, VoID, the service description) is derived
from this one.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

IANA = "https://www.iana.org/assignments/media-types/"
"""Where a media type is registered: its IRI in DCAT (``dcat:mediaType``)."""


@dataclass(frozen=True)
class Format:
    media_type: str
    extension: str
    """The file extension, without its dot."""
    label: str
    """What people call it: ``Turtle``, ``N-Triples``."""
    rdf_format: ox.RdfFormat | None = None
    """For RDF syntaxes: pyoxigraph's parser and serialiser."""
    results_format: ox.QueryResultsFormat | None = None
    """For SPARQL result syntaxes: pyoxigraph's parser and serialiser."""
    eu_file_type: str | None = None
    """The EU Publications Office file type (``…/authority/file-type/RDF_TURTLE``)."""
    w3c_name: str | None = None
    """The term of ``http://www.w3.org/ns/formats/`` (a service description's result format)."""


TURTLE = Format("text/turtle", "ttl", "Turtle", ox.RdfFormat.TURTLE, None, "RDF_TURTLE", "Turtle")
JSON_LD = Format(
    "application/ld+json", "jsonld", "JSON-LD", ox.RdfFormat.JSON_LD, None, "JSON_LD", "JSON-LD"
)
N_TRIPLES = Format(
    "application/n-triples",
    "nt",
    "N-Triples",
    ox.RdfFormat.N_TRIPLES,
    None,
    "RDF_N_TRIPLES",
    "N-Triples",
)
RDF_XML = Format(
    "application/rdf+xml", "rdf", "RDF/XML", ox.RdfFormat.RDF_XML, None, "RDF_XML", "RDF_XML"
)
TRIG = Format("application/trig", "trig", "TriG", ox.RdfFormat.TRIG, None, "RDF_TRIG", "TriG")
N_QUADS = Format(
    "application/n-quads", "nq", "N-Quads", ox.RdfFormat.N_QUADS, None, "RDF_N_QUADS", "N-Quads"
)
RESULTS_JSON = Format(
    "application/sparql-results+json",
    "srj",
    "SPARQL results in JSON",
    None,
    ox.QueryResultsFormat.JSON,
    None,
    "SPARQL_Results_JSON",
)
RESULTS_XML = Format(
    "application/sparql-results+xml",
    "srx",
    "SPARQL results in XML",
    None,
    ox.QueryResultsFormat.XML,
    None,
    "SPARQL_Results_XML",
)
CSV = Format("text/csv", "csv", "CSV", None, ox.QueryResultsFormat.CSV, "CSV", "SPARQL_Results_CSV")
TSV = Format(
    "text/tab-separated-values",
    "tsv",
    "TSV",
    None,
    ox.QueryResultsFormat.TSV,
    "TSV",
    "SPARQL_Results_TSV",
)
HTML = Format("text/html", "html", "HTML")
MARKDOWN = Format("text/markdown", "md", "Markdown")
JSON = Format("application/json", "json", "JSON", eu_file_type="JSON")
TEXT = Format("text/plain", "txt", "plain text", eu_file_type="TXT")
GZIP = Format("application/gzip", "gz", "gzip", eu_file_type="GZIP")
SQLITE = Format("application/vnd.sqlite3", "sqlite", "SQLite database")

FORMATS = (
    TURTLE,
    N_TRIPLES,
    JSON_LD,
    RDF_XML,
    TRIG,
    N_QUADS,
    RESULTS_JSON,
    RESULTS_XML,
    CSV,
    TSV,
    HTML,
    MARKDOWN,
    JSON,
    TEXT,
    GZIP,
    SQLITE,
)
RDF_SYNTAXES = tuple(f for f in FORMATS if f.rdf_format is not None)
"""What a graph or a dataset can be written as, Turtle first."""
RESULT_SYNTAXES = tuple(f for f in FORMATS if f.results_format is not None)
"""What SELECT and ASK solutions can be written as, JSON first."""
BY_MEDIA_TYPE = {f.media_type: f for f in FORMATS}
BY_EXTENSION = {f.extension: f for f in FORMATS}
COMPRESSIONS = (GZIP,)


class UnknownFormat(ValueError):
    """A file name whose extension is in no table."""


@dataclass(frozen=True)
class FileFormat:
    """What a file of ours is: its content's format, possibly compressed."""

    content: Format
    compression: Format | None = None

    @property
    def media_type(self) -> str:
        """What the file is served as: a compressed file is served as the archive it is."""
        return (self.compression or self.content).media_type

    @property
    def label(self) -> str:
        """``Turtle``; ``N-Triples, gzip-compressed``."""
        if self.compression is None:
            return self.content.label
        return f"{self.content.label}, {self.compression.label}-compressed"


def of_file(name: str) -> FileFormat:
    """The format of a file from its name: ``maillage.nt.gz`` is N-Triples, gzip-compressed."""
    parts = name.rsplit("/", 1)[-1].split(".")
    if len(parts) < 2 or parts[-1] not in BY_EXTENSION:
        raise UnknownFormat(f"no format known for the file {name!r}")
    last = BY_EXTENSION[parts[-1]]
    if last in COMPRESSIONS and len(parts) >= 3 and parts[-2] in BY_EXTENSION:
        return FileFormat(BY_EXTENSION[parts[-2]], last)
    return FileFormat(last)
