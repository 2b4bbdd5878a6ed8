"""Stage 1: the documents, exactly as given, and their metadata (``data/sources/sources.yaml``).

A document whose bytes no longer match its recorded SHA-256 stops the build.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from maillage.errors import DataError
from maillage.yamlfile import line_of, load_nodes, mapping_items, sequence_items, to_python

METADATA_FILE = "sources.yaml"
REQUIRED = ("id", "file", "sha256", "title", "title_from", "url", "language", "date_from")
DATE_KEYS = ("date", "month", "year")


@dataclass(frozen=True)
class Document:
    """One source document and what we know about it."""

    id: str
    path: Path
    text: str
    sha256: str
    title: str
    title_from: str
    url: str
    language: str
    date: tuple[str, str] | None
    """(precision, value): ("date", "2019-02-06"), ("month", "2017-01"), ("year", "2015")."""
    date_from: str
    publisher: str | None
    publisher_from: str | None
    headline: str | None
    headline_from: str | None


def load_documents(sources_dir: Path) -> dict[str, Document]:
    """Read the metadata file, check every document's bytes against its hash."""
    meta_path = sources_dir / METADATA_FILE
    root = load_nodes(meta_path)
    entries = dict(mapping_items(meta_path, root, "sources.yaml"))
    if "documents" not in entries:
        raise DataError(meta_path, line_of(root), "missing 'documents' list")
    documents: dict[str, Document] = {}
    for node in sequence_items(meta_path, entries["documents"], "documents"):
        document = _document(meta_path, node, sources_dir)
        if document.id in documents:
            raise DataError(meta_path, line_of(node), f"document id {document.id!r} twice")
        documents[document.id] = document
    return documents


def _document(meta_path: Path, node, sources_dir: Path) -> Document:
    record = to_python(node)
    if not isinstance(record, dict):
        raise DataError(meta_path, line_of(node), "each document must be a mapping")
    missing = [key for key in REQUIRED if not record.get(key)]
    if missing:
        raise DataError(meta_path, line_of(node), f"document lacks {', '.join(missing)}")
    path = sources_dir / record["file"]
    if not path.is_file():
        raise DataError(meta_path, line_of(node), f"document file {record['file']} not found")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != record["sha256"]:
        raise DataError(
            meta_path,
            line_of(node),
            f"{record['file']} does not match its recorded SHA-256 "
            f"(recorded {record['sha256']}, found {digest}): the document changed",
        )
    return Document(
        id=str(record["id"]),
        path=path,
        text=data.decode("utf-8"),
        sha256=digest,
        title=record["title"],
        title_from=record["title_from"],
        url=record["url"],
        language=record["language"],
        date=_date(meta_path, line_of(node), record.get("date")),
        date_from=record["date_from"],
        publisher=record.get("publisher"),
        publisher_from=record.get("publisher_from"),
        headline=record.get("headline"),
        headline_from=record.get("headline_from"),
    )


def _date(meta_path: Path, line: int, value: object) -> tuple[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or len(value) != 1 or next(iter(value)) not in DATE_KEYS:
        raise DataError(meta_path, line, "date must be one of {date: …}, {month: …}, {year: …}")
    ((precision, text),) = value.items()
    return precision, str(text)
