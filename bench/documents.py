"""The synthetic documents claims quote: text, selectors and their description.

Claims go to documents in turn, ``per_document`` each; a document's text is its title, then for
each claim its sentence and a short trailer. Positions count code points, as the real build's
``oa:TextPositionSelector`` does, so ``text[start:end]`` is the quote.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.nquads import A, date, iri, lang, line, string, term, typed, with_date_bounds

ID = "https://w3id.org/maillage/id/"
CONTEXT = 32
"""Characters of ``oa:prefix`` and ``oa:suffix``, as in the real build."""
MAX_DOCUMENTS = 1000
"""Document identifiers have three digits (``dcterms:identifier``, shape ``^[0-9]{3}$``)."""
PUBLISHER = "Dépêches synthétiques Maillage"


@dataclass(frozen=True)
class Quote:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


class DocumentStream:
    def __init__(
        self, per_document: int, directory: Path | None, emit: Callable[[list[str]], None]
    ) -> None:
        self.per_document = per_document
        self.directory = directory
        self.emit = emit
        self.number = -1
        self.claims = 0
        self.parts: list[str] = []
        self.length = 0
        if directory:
            directory.mkdir(parents=True, exist_ok=True)

    @property
    def doc_id(self) -> str:
        return f"{self.number:03d}"

    def add(self, sentence: str) -> tuple[str, Quote]:
        """Append ``sentence`` to the current document; returns the document id and its quote."""
        if self.number < 0 or (
            self.claims >= self.per_document and self.number < MAX_DOCUMENTS - 1
        ):
            self._next_document()
        self.claims += 1
        tail = "".join(self.parts[-3:])[-CONTEXT:]
        trailer = f" (Rédaction, dépêche n° {self.claims:07d}.) "
        start = self.length
        self._append(sentence + trailer)
        quote = Quote(sentence, tail, trailer[:CONTEXT], start, start + len(sentence))
        return self.doc_id, quote

    def close(self) -> None:
        if self.number >= 0:
            self._finish()

    def _append(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def _next_document(self) -> None:
        if self.number >= 0:
            self._finish()
        self.number += 1
        self.claims, self.parts, self.length = 0, [], 0
        self._append(self.title() + "\n\n")

    def title(self) -> str:
        return f"Le numérique en Occitanie, dépêches n° {self.doc_id}"

    def _finish(self) -> None:
        data = "".join(self.parts).encode()
        if self.directory:
            (self.directory / f"{self.doc_id}.txt").write_bytes(data)
        self.emit(self.description(hashlib.sha256(data).hexdigest()))

    def description(self, sha256: str) -> list[str]:
        """The triples the real build writes for a document (``graph._describe_document``)."""
        node = iri(f"{ID}document/{self.doc_id}")
        published = (
            f"{2015 + self.number % 11}-{1 + self.number % 12:02d}-{1 + self.number % 28:02d}"
        )
        triples = [
            (node, A, term("foaf:Document")),
            (node, term("dcterms:identifier"), string(self.doc_id)),
            (node, term("dcterms:title"), lang(self.title())),
            (node, term("rdfs:label"), lang(self.title())),
            (node, term("dcterms:date"), date(published)),
            (node, term("mlg:dateDerivation"), lang("synthetic: from the document number", "en")),
            (node, term("dcterms:publisher"), string(PUBLISHER)),
            (node, term("mlg:publisherDerivation"), lang("synthetic", "en")),
            (node, term("dcterms:language"), typed("fr", "language")),
            (
                node,
                term("dcterms:source"),
                iri(f"https://example.org/maillage-bench/{self.doc_id}"),
            ),
            (node, term("mlg:sha256"), string(sha256)),
        ]
        return [line(s, p, o) for s, p, o in with_date_bounds(triples)]
