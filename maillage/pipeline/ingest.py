"""Registering a new document (issue 11, point 1): its text under ``data/sources/`` and its entry
in ``sources.yaml``, as the five were registered.

Everything is checked before anything is written (size, empty, binary, HTML without a main text,
language, date, already registered); then the text and the new ``sources.yaml`` are written to
temporary files beside their targets and renamed into place, so bad input leaves ``data/``
exactly as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date as calendar_date
from pathlib import Path

from maillage.pipeline.sentences import split_sentences
from maillage.pipeline.sources import METADATA_FILE, load_documents

LANGUAGE = "fr"
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
HTML_STARTS = ("<!doctype html", "<html")
DATE_FORMATS = (
    ("year", re.compile(r"\d{4}")),
    ("month", re.compile(r"\d{4}-(0[1-9]|1[0-2])")),
    ("date", re.compile(r"\d{4}-\d{2}-\d{2}")),
)
UNKNOWN_DATE = "unknown"
GIVEN = "given to `maillage ingest {option}`"


class IngestError(Exception):
    """Bad input to ``maillage ingest``: one sentence saying what and where."""


@dataclass(frozen=True)
class Registered:
    """A document just registered."""

    id: str
    path: Path
    sha256: str
    sentences: int


def parse_date(value: str | None) -> tuple[str, str] | None:
    """``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` (a real day) or ``unknown`` (None)."""
    if value is None or value == UNKNOWN_DATE:
        return None
    for precision, pattern in DATE_FORMATS:
        if pattern.fullmatch(value):
            if precision == "date":
                try:
                    calendar_date.fromisoformat(value)
                except ValueError:
                    break
            return precision, value
    raise IngestError(
        f"--date {value!r} is not a date the project accepts: YYYY, YYYY-MM, YYYY-MM-DD "
        f"or {UNKNOWN_DATE}."
    )


def read_text(path: Path, max_bytes: int) -> tuple[str, str | None]:
    """The document's text as it will be registered, and the HTML page's title if any."""
    if not path.is_file():
        raise IngestError(f"{path}: no such file.")
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(
            f"{path} is {size} bytes, over the limit of {max_bytes} (MAILLAGE_INGEST_MAX_BYTES)."
        )
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(f"{path} is empty: there is no text to register.")
    text = _decoded(path, data)
    if _is_html(path, text):
        return _main_text(path, text)
    return text, None


def _decoded(path: Path, data: bytes) -> str:
    nul = data.find(b"\x00")
    if nul >= 0:
        raise IngestError(f"{path} is binary (a NUL byte at offset {nul}), not text.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise IngestError(
            f"{path} is not UTF-8 text (byte {error.start} cannot be decoded)."
        ) from None


def _is_html(path: Path, text: str) -> bool:
    return path.suffix.lower() in HTML_SUFFIXES or text.lstrip()[:64].lower().startswith(
        HTML_STARTS
    )


def _main_text(path: Path, html: str) -> tuple[str, str | None]:
    """The article's main text, without navigation, comments or share buttons (trafilatura).

    Precision first and no fallback extractors (``fast``): the fallbacks return the menu of a
    page that has no article, which would register navigation as a document."""
    import trafilatura

    extracted = trafilatura.bare_extraction(
        html,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        with_metadata=True,
        fast=True,
    )
    text = (extracted.text or "").strip() if extracted is not None else ""
    if not text:
        raise IngestError(f"{path} is HTML without a main text (trafilatura found no article).")
    return text + "\n", (extracted.title or None)


def detected_language(text: str) -> str:
    """The most probable language of ``text`` (langdetect, with a fixed seed: reproducible)."""
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        return detect(text)
    except LangDetectException:
        return "none"


def require_french(path: Path, text: str) -> None:
    language = detected_language(text)
    if language != LANGUAGE:
        raise IngestError(
            f"{path} is not in French (langdetect says {language!r}): Maillage publishes from "
            f"French documents."
        )


def ingest(
    sources_dir: Path,
    path: Path,
    *,
    url: str,
    max_bytes: int,
    title: str | None = None,
    date: str | None = None,
    publisher: str | None = None,
) -> Registered:
    """Check everything, then register ``path`` under ``sources_dir``."""
    precision_date = parse_date(date)
    if not url.startswith(("http://", "https://")):
        raise IngestError(f"--url {url!r} is not an http(s) address.")
    text, page_title = read_text(path, max_bytes)
    require_french(path, text)
    data = text.encode("utf-8")
    sha256 = hashlib.sha256(data).hexdigest()
    documents = load_documents(sources_dir)
    for document in documents.values():
        if document.sha256 == sha256:
            raise IngestError(
                f"{path} is already registered as document {document.id} ({document.path.name})."
            )
    doc_id = f"{max((int(d) for d in documents), default=-1) + 1:03d}"
    name = f"{doc_id}_{sha256[:16]}.txt"
    entry = _entry(doc_id, name, sha256, text, url, title, page_title, precision_date, publisher)
    metadata = sources_dir / METADATA_FILE
    _write_both(sources_dir / name, data, metadata, _appended(metadata.read_text(), entry))
    return Registered(doc_id, sources_dir / name, sha256, len(split_sentences(text)))


def _entry(
    doc_id, name, sha256, text, url, title, page_title, date, publisher
) -> dict[str, object]:
    if title:
        title_from = GIVEN.format(option="--title")
    elif page_title:
        title, title_from = page_title, "the HTML page's title (trafilatura's metadata)"
    else:
        title, title_from = text.strip().split("\n", 1)[0].strip(), "the first line of the text"
    entry: dict[str, object] = {
        "id": doc_id,
        "file": name,
        "sha256": sha256,
        "title": title,
        "title_from": title_from,
    }
    if publisher:
        entry["publisher"] = publisher
        entry["publisher_from"] = GIVEN.format(option="--publisher")
    entry["url"] = url
    if date is not None:
        entry["date"] = {date[0]: date[1]}
        entry["date_from"] = GIVEN.format(option="--date")
    else:
        entry["date_from"] = "unknown: no publication date was given to `maillage ingest`"
    entry["language"] = LANGUAGE
    return entry


def _appended(metadata: str, entry: dict[str, object]) -> str:
    """``sources.yaml`` with one more document, written in the style of the others."""
    lines = []
    for index, (key, value) in enumerate(entry.items()):
        lead = "  - " if index == 0 else "    "
        lines.append(f"{lead}{key}: {_yaml_value(key, value)}")
    return metadata.rstrip("\n") + "\n" + "\n".join(lines) + "\n"


def _yaml_value(key: str, value: object) -> str:
    if isinstance(value, dict):
        ((precision, text),) = value.items()
        return f"{{{precision}: {text}}}"
    if key in ("file", "sha256", "language"):
        return str(value)
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _write_both(text_path: Path, data: bytes, metadata: Path, new_metadata: str) -> None:
    """Both files written beside their targets, then renamed: all or nothing under ``data/``."""
    staged: list[Path] = []
    try:
        staged.append(_staged(text_path, data))
        staged.append(_staged(metadata, new_metadata.encode("utf-8")))
        staged[0].replace(text_path)
        staged[1].replace(metadata)
    finally:
        for path in staged:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()


def _staged(target: Path, data: bytes) -> Path:
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    return Path(name)
