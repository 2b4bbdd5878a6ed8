"""The review page of one ingested document: a static HTML file a curator opens from disk.

It shows the document's text sentence by sentence, every mention marked by its state (linked,
new, ambiguous: a style and a word each, not a colour alone; the link, score, reason and
candidates on hover and on keyboard focus, and in the table of mentions), the proposed claims
beside the sentence they quote (kind, pattern, quote, what they say, the ``maillage accept``
command to copy), the sentences that carry nothing, and the new entities that resemble existing
ones (possible duplicates).

The page is one self-contained file: the site's stylesheet (``server/static/site.css``, read as a
file: the pipeline never imports the web stack) and the page's own are inlined, with one small
inline script (Escape dismisses a mention's details, WCAG 1.4.13); no request, nothing loaded from
elsewhere. It is the curator's, never published: it goes to
``build/review/NNN.html`` in the checkout, which git ignores.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from maillage.identifiers import IdentifierError, resolve_reference
from maillage.ingest.accept import TEXT_KEYS, accepted_claims, claims_path
from maillage.ingest.proposals import (
    MENTION_STATES,
    RELATION_KINDS,
    Mention,
    Proposal,
    Proposals,
    proposals_path,
    write_atomically,
)
from maillage.pipeline.provenance import NormalisedText, normalise
from maillage.pipeline.sentences import Sentence, split_sentences
from maillage.pipeline.sources import Document
from maillage.settings import REPO_ROOT

REVIEW_DIR = Path("build") / "review"
"""Under the checkout: ``build/review/NNN.html`` (git ignores ``build/``)."""
SITE_CSS = REPO_ROOT / "server" / "static" / "site.css"
"""The site's stylesheet, read as a file (in a checkout and in an installed package alike)."""
TEMPLATES = Path(__file__).parent / "templates"
STATE_WORDS = {"linked": "linked", "new": "new entity", "ambiguous": "ambiguous"}
STATE_MARKS = {"linked": "✓", "new": "+", "ambiguous": "?"}
"""What each state is called on the page, and its mark in the text, beside its style."""


def review_path(root: Path, doc_id: str) -> Path:
    return root / REVIEW_DIR / f"{doc_id}.html"


@dataclass(frozen=True)
class Piece:
    """A run of a sentence's text: plain, or (part of) a mention."""

    text: str
    mention: int | None = None
    """The mention's index in the proposals (its anchor ``#mention-N``), or None."""


@dataclass
class SentenceRow:
    """One sentence of the document, and the proposed claims whose quote starts in it."""

    number: int
    sentence: Sentence
    pieces: list[Piece]
    claims: list[Proposal] = field(default_factory=list)
    continued: list[str] = field(default_factory=list)
    """Ids of the claims started in an earlier sentence whose quote runs on into this one."""
    unclaimed: bool = False
    accepted: list[str] = field(default_factory=list)
    """Ids of the claims of the claim file whose quote starts in this sentence."""
    warnings: dict[str, str] = field(default_factory=dict)
    """Claim id → what the build would make of its quote, when it is not what was proposed."""


def quote_span(text: NormalisedText, quote: str) -> tuple[int, int] | None:
    """Where the build finds ``quote`` in the text (its first occurrence, white space compared
    loosely: ``provenance.locate_quote``), or None."""
    needle = normalise(quote)
    hits = text.find_all(needle) if needle else []
    return text.span(hits[0], len(needle)) if hits else None


def quote_warning(text: NormalisedText, claim: Proposal, rows: list[SentenceRow]) -> str | None:
    """What the build would make of the claim's quote, when it is not what was proposed: not
    found (``maillage check`` refuses it), or found first in another sentence (the build anchors
    a quote at its first occurrence)."""
    span = quote_span(text, claim.quote)
    if span is None:
        return "its quote is not in the text: `maillage check` would refuse it"
    if span[0] == claim.start:
        return None
    first = next((r.number for r in rows if r.sentence.overlaps(*span)), None)
    return (
        f"its quote occurs earlier (sentence {first}): the build would anchor it there, at its "
        f"first occurrence; lengthen it to make it unique"
    )


def sentence_rows(
    text: str, proposals: Proposals, accepted: dict[str, str] | None = None
) -> list[SentenceRow]:
    """The sentences with their mentions and the proposed claims; ``accepted`` (claim id →
    quote, from the claim file) marks the sentences already claimed."""
    sentences = split_sentences(text)
    unclaimed = {(s.start, s.end) for s in proposals.unclaimed_sentences}
    rows = [
        SentenceRow(
            number,
            sentence,
            _pieces(text, sentence, proposals.mentions),
            unclaimed=(sentence.start, sentence.end) in unclaimed,
        )
        for number, sentence in enumerate(sentences, start=1)
    ]
    normalised = NormalisedText(text)
    for claim in proposals.claims:
        touched = [row for row in rows if row.sentence.overlaps(claim.start, claim.end)]
        if not touched:  # a quote outside every sentence: shown with the first one
            touched = rows[:1]
        touched[0].claims.append(claim)
        for row in touched[1:]:
            row.continued.append(claim.id)
        warning = quote_warning(normalised, claim, rows)
        if warning:
            touched[0].warnings[claim.id] = warning
    for claim_id, quote in (accepted or {}).items():
        span = quote_span(normalised, quote)
        row = next((r for r in rows if span and r.sentence.overlaps(*span)), None)
        if row is not None:
            row.accepted.append(claim_id)
    return rows


def _pieces(text: str, sentence: Sentence, mentions: list[Mention]) -> list[Piece]:
    """The sentence cut at its mentions (clipped to the sentence when one runs over its end)."""
    pieces: list[Piece] = []
    cursor = sentence.start
    for index, mention in enumerate(mentions):
        start, end = max(mention.start, sentence.start), min(mention.end, sentence.end)
        if start >= end or start < cursor:
            continue
        if start > cursor:
            pieces.append(Piece(text[cursor:start]))
        pieces.append(Piece(text[start:end], index))
        cursor = end
    if cursor < sentence.end:
        pieces.append(Piece(text[cursor : sentence.end]))
    return pieces


def iri(ref: str | None) -> str:
    """The full IRI of a reference written as in claim files (``org/kaliop``)."""
    if ref is None:
        return ""
    try:
        return str(resolve_reference(ref))
    except IdentifierError:
        return ref


def value_text(value: Any, key: str | None = None) -> str:
    """A value of ``says`` written as a claim file writes it (``maillage accept``):
    ``org/kaliop``, ``{fr: "Kaliop"}``, ``[a, b]``."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {value_text(v, k)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(value_text(v, key) for v in value) + "]"
    if isinstance(value, str) and key in TEXT_KEYS:
        return f'"{value}"'
    return str(value)


def accept_command(doc_id: str, ids: list[str]) -> str:
    return f"maillage accept {doc_id} {' '.join(ids)}"


@functools.cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["iri"] = iri
    environment.filters["value_text"] = value_text
    environment.filters["score"] = lambda score: f"{score:.2f}"
    return environment


def render_review(
    document: Document,
    proposals: Proposals,
    proposals_file: str = "",
    claims_file: str = "",
    accepted: dict[str, str] | None = None,
) -> str:
    """The review page of ``document``, as one HTML string; ``accepted``: the claim file's
    claims (id → quote), shown beside their sentences."""
    mentions = proposals.mentions
    states = Counter(m.state for m in mentions)
    kinds = Counter(c.kind for c in proposals.claims)
    return (
        _environment()
        .get_template("review.html")
        .render(
            document=document,
            proposals=proposals,
            rows=sentence_rows(document.text, proposals, accepted),
            accepted=accepted or {},
            mentions=mentions,
            states=[(s, STATE_WORDS[s], states[s]) for s in MENTION_STATES],
            state_word=STATE_WORDS,
            state_mark=STATE_MARKS,
            kinds=[(k, kinds[k]) for k in RELATION_KINDS if kinds[k]],
            duplicates=[(i, m) for i, m in enumerate(mentions) if m.state == "new" and m.resembles],
            accept_all=accept_command(document.id, [c.id for c in proposals.claims]),
            accept_command=accept_command,
            proposals_file=proposals_file,
            claims_file=claims_file,
            style=Markup(_style()),
        )
    )


@functools.cache
def _style() -> str:
    """The site's stylesheet and the page's own, to inline (``</`` cannot occur in them)."""
    css = SITE_CSS.read_text(encoding="utf-8") + "\n" + (TEMPLATES / "review.css").read_text()
    if "</" in css:
        raise ValueError("a stylesheet to inline holds '</'")
    return css


def write_review(
    root: Path, document: Document, proposals: Proposals, proposals_file: Path | None = None
) -> Path:
    """``build/review/NNN.html`` under ``root`` (the checkout), written atomically."""
    data = root / "data"
    shown = proposals_file or proposals_path(data, document.id)
    claim_file = claims_path(data, document.id)
    html = render_review(
        document,
        proposals,
        proposals_file=str(_relative(shown, root)),
        claims_file=str(_relative(claim_file, root)),
        accepted={c.get("id"): c.get("quote", "") for c in accepted_claims(claim_file)},
    )
    path = review_path(root, document.id)
    write_atomically(path, html)
    return path


def _relative(path: Path, root: Path) -> Path:
    try:
        return path.relative_to(root)
    except ValueError:
        return path
