"""Every sentence of every document accounted for: claimed, or listed with its reason.

A sentence is *claimed* when the quote of at least one claim (deprecated ones included: they still
record what the document says) overlaps it, at the place the build found the quote. Otherwise it
is *listed* in ``data/curation/sentences.yaml`` with a reason from the concept scheme
``unclaimed`` (``ontology/concepts.ttl``) and, when useful, a note. A listing names its sentence
by document and text (the whole sentence or a prefix of it that only it starts with; white space
compared loosely, as quotes are), never by offsets. A listing that matches no sentence, or a
sentence that a claim also covers, is stale: an error with its file:line. A sentence neither
claimed nor listed fails the build with the document's file, line:column and the sentence.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from maillage.errors import DataError, DataErrors
from maillage.namespaces import CONCEPT
from maillage.pipeline.provenance import QuoteLocation, normalise
from maillage.pipeline.sentences import Sentence, split_sentences
from maillage.pipeline.sources import Document
from maillage.yamlfile import line_of, load_nodes, mapping_items, scalar_text, sequence_items

CURATION_FILE = "sentences.yaml"
REASON_SCHEME = "unclaimed"
"""The concept scheme of the reasons (``unclaimed:opinion``…)."""
FIELDS = ("text", "reason", "note", "occurrence")


@dataclass(frozen=True)
class Listing:
    """One entry of ``sentences.yaml``."""

    doc_id: str
    text: str
    reason: str
    line: int
    note: str | None = None
    occurrence: int | None = None


@dataclass
class Account:
    """One document's sentences, and what accounts for each."""

    doc_id: str
    path: Path
    sentences: list[Sentence]
    claimed: dict[int, list[str]] = field(default_factory=dict)
    """Sentence index → keys of the claims whose quote overlaps it."""
    listed: dict[int, Listing] = field(default_factory=dict)

    @property
    def unaccounted(self) -> list[Sentence]:
        return [
            s
            for i, s in enumerate(self.sentences)
            if i not in self.claimed and i not in self.listed
        ]

    def listed_sentences(self) -> list[tuple[Sentence, Listing]]:
        return [(self.sentences[i], self.listed[i]) for i in sorted(self.listed)]


def reason_slugs(concepts: Graph) -> set[str]:
    """The reasons a listing may give: the concepts of the scheme ``unclaimed``."""
    scheme = URIRef(f"{CONCEPT}{REASON_SCHEME}")
    prefix = f"{CONCEPT}{REASON_SCHEME}/"
    return {str(c)[len(prefix) :] for c in concepts.subjects(SKOS.inScheme, scheme)}


def load_listings(path: Path, documents: set[str], reasons: set[str]) -> list[Listing]:
    """The entries of ``sentences.yaml``: ``documents: {"001": [{text, reason, note?}…]}``."""
    if not path.exists():
        return []
    top = dict(mapping_items(path, load_nodes(path), CURATION_FILE))
    if "documents" not in top:
        raise DataError(path, 1, f"{CURATION_FILE} needs a 'documents' mapping")
    listings = []
    for doc_id, entries in mapping_items(path, top["documents"], "documents"):
        if doc_id not in documents:
            raise DataError(path, line_of(entries), f"no document {doc_id!r} in sources.yaml")
        for node in sequence_items(path, entries, f"the sentences of document {doc_id}"):
            listings.append(_listing(path, doc_id, node, reasons))
    return listings


def _listing(path: Path, doc_id: str, node, reasons: set[str]) -> Listing:
    fields = dict(mapping_items(path, node, "a listed sentence"))
    for name in fields:
        if name not in FIELDS:
            raise DataError(path, line_of(node), f"unknown field {name!r} (known: {FIELDS})")
    for needed in ("text", "reason"):
        if needed not in fields:
            raise DataError(path, line_of(node), f"a listed sentence needs {needed!r}")
    reason = scalar_text(path, fields["reason"], "reason")
    if reason not in reasons:
        known = ", ".join(sorted(reasons))
        raise DataError(path, line_of(fields["reason"]), f"unknown reason {reason!r} ({known})")
    occurrence = None
    if "occurrence" in fields:
        text = scalar_text(path, fields["occurrence"], "occurrence")
        if not text.isdigit() or int(text) < 1:
            raise DataError(path, line_of(fields["occurrence"]), "occurrence: 1, 2, 3…")
        occurrence = int(text)
    note = scalar_text(path, fields["note"], "note") if "note" in fields else None
    text = normalise(scalar_text(path, fields["text"], "text"))
    return Listing(doc_id, text, reason, line_of(node), note, occurrence)


def account(
    documents: dict[str, Document],
    claimed: dict[str, list[tuple[str, QuoteLocation]]],
    listings: list[Listing],
    path: Path,
) -> dict[str, Account]:
    """Each document's account; stale listings raise :class:`DataErrors`.

    ``claimed`` maps a document id to its claims' keys and quote locations.
    """
    accounts = {}
    for doc_id, doc in documents.items():
        accounts[doc_id] = _claimed_account(doc, claimed.get(doc_id, []))
    errors = []
    for listing in listings:
        try:
            _place(accounts[listing.doc_id], listing, path)
        except DataError as error:
            errors.append(error)
    if errors:
        raise DataErrors(errors)
    return accounts


def _claimed_account(doc: Document, quotes: list[tuple[str, QuoteLocation]]) -> Account:
    result = Account(doc.id, doc.path, split_sentences(doc.text))
    for index, sentence in enumerate(result.sentences):
        keys = [key for key, where in quotes if sentence.overlaps(where.start, where.end)]
        if keys:
            result.claimed[index] = keys
    return result


def _place(account_: Account, listing: Listing, path: Path) -> None:
    index = _matching_sentence(account_, listing, path)
    sentence = account_.sentences[index]
    where = f"document {listing.doc_id}, {sentence.line}:{sentence.column}"
    if index in account_.claimed:
        claims = ", ".join(account_.claimed[index])
        raise DataError(
            path,
            listing.line,
            f"stale entry: the sentence ({where}) is claimed by {claims}; remove the entry",
        )
    if index in account_.listed:
        other = account_.listed[index].line
        raise DataError(path, listing.line, f"the sentence ({where}) is listed at line {other}")
    account_.listed[index] = listing


def _matching_sentence(account_: Account, listing: Listing, path: Path) -> int:
    texts = [normalise(s.text) for s in account_.sentences]
    found = [i for i, t in enumerate(texts) if t == listing.text]
    found = found or [i for i, t in enumerate(texts) if t.startswith(listing.text)]
    shown = listing.text if len(listing.text) <= 80 else listing.text[:79] + "…"
    if not found:
        raise DataError(
            path,
            listing.line,
            f"stale entry: no sentence of document {listing.doc_id} is or begins with {shown!r}",
        )
    if listing.occurrence is not None:
        if listing.occurrence > len(found):
            raise DataError(
                path,
                listing.line,
                f"occurrence {listing.occurrence}: {shown!r} matches {len(found)} sentence(s)",
            )
        return found[listing.occurrence - 1]
    if len(found) > 1:
        places = ", ".join(
            f"{account_.sentences[i].line}:{account_.sentences[i].column}" for i in found
        )
        raise DataError(
            path,
            listing.line,
            f"{shown!r} matches {len(found)} sentences of document {listing.doc_id} "
            f"({places}): give more of the text, or 'occurrence'",
        )
    return found[0]


def unaccounted_errors(accounts: dict[str, Account], listings_path: Path) -> list[DataError]:
    """One error per sentence neither claimed nor listed, at the document's line:column."""
    return [
        DataError(
            account_.path,
            sentence.line,
            f"sentence neither claimed nor listed in {listings_path.name}: {sentence.text!r}",
            column=sentence.column,
        )
        for account_ in accounts.values()
        for sentence in account_.unaccounted
    ]


def sentences_table(accounts: dict[str, Account]) -> str:
    """Per document: sentences, claimed, listed, unaccounted and the share accounted for; then
    the listed sentences by reason (what ``maillage check`` prints)."""
    header = ("document", "sentences", "claimed", "listed", "unaccounted", "accounted")
    rows = [_row(doc_id, [a]) for doc_id, a in sorted(accounts.items())]
    rows.append(_row("all", list(accounts.values())))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [f"sentences of the documents, claimed or listed in {CURATION_FILE}:"]
    for row in [header, *rows]:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells))
    reasons = Counter(listing.reason for a in accounts.values() for listing in a.listed.values())
    listed = ", ".join(f"{reason} {n}" for reason, n in sorted(reasons.items()))
    lines.append(f"listed, by reason: {listed or 'none'}")
    return "\n".join(lines) + "\n"


def _row(name: str, accounts: list[Account]) -> tuple[str, ...]:
    total = sum(len(a.sentences) for a in accounts)
    claimed = sum(len(a.claimed) for a in accounts)
    listed = sum(len(a.listed) for a in accounts)
    missing = sum(len(a.unaccounted) for a in accounts)
    share = 100.0 * (total - missing) / total if total else 100.0
    return (name, str(total), str(claimed), str(listed), str(missing), f"{share:.1f} %")
