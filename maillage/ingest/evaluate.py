"""``make eval-ingest``: leave-one-out over the documents, ingest measured against the curators.

For each document, the knowledge ingest links against is built from the OTHER documents' claims
only (the pipeline's :func:`~maillage.pipeline.graph.build_graph` on the claim files without
that document, no release), then ingest proposes on that document's text, and the proposals are
compared with the document's curated claims (:mod:`maillage.ingest.relations`). Printed: entity
recall, linking precision, per-kind recall and precision of the relations, the figures whose
value, unit and qualifier are all right, the sentences proposed against the curated ones, the
time per article once the model is loaded, the cold start and the peak RSS, each beside its
target. The table goes to ``build/eval-ingest/table.md``, the misses (every curated entity or
relation not found, every wrong link, every extra relation) to ``build/eval-ingest/misses.md``.

    python -m maillage.ingest.evaluate [--documents 001,003] [--out build/eval-ingest]
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import re
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import RDFS, SKOS, Graph

from maillage.build import Inputs, read_inputs, reference_paths
from maillage.identifiers import ID
from maillage.ingest import relations as rel
from maillage.ingest.proposals import Mention, Proposals
from maillage.pipeline.conflicts import Conflict
from maillage.pipeline.graph import KnowledgeGraph, build_graph
from maillage.pipeline.provenance import NormalisedText, locate_quote
from maillage.pipeline.sentences import split_sentences
from maillage.pipeline.sources import Document
from maillage.search import JOINERS, WORD, fold
from maillage.settings import Settings

ENTITY_KINDS = (*rel.NAMED_KINDS, *rel.TERRITORY_KINDS)
"""What a document names: organisations, people, events, works and territories (sites,
memberships, figures and changes are the curators' nodes, not names in the text)."""
TARGETS = {
    "entity recall": (0.90, "≥ 90 %"),
    "linking precision": (0.97, "≥ 97 %"),
    "relation recall": (0.60, "≥ 60 %"),
    "relation precision": (0.75, "≥ 75 %"),
    "figures recall": (0.80, "≥ 80 %"),
}
MAX_NAME_WORDS = 8
SECONDS_PER_ARTICLE, COLD_SECONDS, RSS_BYTES = 10.0, 30.0, 1.5 * 2**30
OUT = Path("build") / "eval-ingest"


# --- The curated side --------------------------------------------------------------------------


@dataclass
class Curated:
    """Everything curated, read once: the pipeline's inputs, each document's claims as their
    file holds them, every label and every reference."""

    settings: Settings
    inputs: Inputs
    says: dict[str, list[dict[str, Any]]]
    """Document → its claims as YAML loads them (``id``, ``quote``, ``says``…)."""
    territory_labels: dict[str, set[str]]

    @classmethod
    def read(cls, settings: Settings) -> Curated:
        inputs = read_inputs(settings)
        says = {
            doc_id: _claim_records(settings.claims_dir / f"{doc_id}.yaml")
            for doc_id in inputs.documents
        }
        return cls(settings, inputs, says, _territory_labels(reference_paths(settings)))

    def nodes(self, doc_ids: Iterable[str]) -> rel.Nodes:
        return rel.merge(claim["says"] for doc in doc_ids for claim in self.says[doc])

    @functools.cached_property
    def labels(self) -> dict[str, set[str]]:
        found = rel.labels(self.nodes(self.inputs.documents))
        for ref, names in self.territory_labels.items():
            found.setdefault(ref, set()).update(names)
        return found

    @functools.cached_property
    def names(self) -> dict[str, set[str]]:
        """The labels that name an entity: of the kinds a text names, and eight words at most
        (a photo's caption used as its name describes it, it does not name it)."""
        return {
            ref: {label for label in labels if len(label.split()) <= MAX_NAME_WORDS}
            for ref, labels in self.labels.items()
            if rel.ref_kind(ref) in ENTITY_KINDS
        }

    @functools.cached_property
    def known(self) -> set[str]:
        return rel.references(self.nodes(self.inputs.documents)) | set(self.territory_labels)

    def knowledge_graph(self, left_out: str) -> KnowledgeGraph:
        """The graph of every document's claims but ``left_out``'s, as the build makes it."""
        inputs = self.inputs
        documents = {k: d for k, d in inputs.documents.items() if k != left_out}
        claims = [c for c in inputs.claims if c.doc_id != left_out]
        conflicts = [c for c in (_without(c, left_out) for c in inputs.conflicts) if c.claims]
        return build_graph(
            documents,
            claims,
            conflicts,
            reference_paths(self.settings),
            inputs.concepts,
            inputs.redirects,
        )

    def quote_spans(self, doc_id: str) -> dict[str, tuple[int, int]]:
        """Claim id → where its quote is in the document's text."""
        text = NormalisedText(self.inputs.documents[doc_id].text)
        spans = {}
        for claim in self.inputs.claims:
            if claim.doc_id == doc_id:
                where = locate_quote(claim, text)
                spans[claim.id] = (where.start, where.end)
        return spans


def _claim_records(path: Path) -> list[dict[str, Any]]:
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("claims") or []


def _without(conflict: Conflict, doc_id: str) -> Conflict:
    kept = {
        rank: [key for key in keys if not key.startswith(f"{doc_id}/")]
        for rank, keys in conflict.claims.items()
    }
    return dataclasses.replace(conflict, claims={rank: keys for rank, keys in kept.items() if keys})


def _territory_labels(paths: list[Path]) -> dict[str, set[str]]:
    graph = Graph()
    for path in paths:
        graph.parse(path)
    found: dict[str, set[str]] = {}
    for prop in (RDFS.label, SKOS.prefLabel, SKOS.altLabel):
        for subject, label in graph.subject_objects(prop):
            ref = str(subject).removeprefix(str(ID))
            if rel.ref_kind(ref) in rel.TERRITORY_KINDS:
                found.setdefault(ref, set()).add(rel.words(str(label)))
    return found


class FoldedText:
    """A text folded as :func:`relations.words` folds labels, each character mapped back to its
    offset in the original, to find where the text names something."""

    def __init__(self, text: str) -> None:
        chars, origin = [" "], [0]
        for index, char in enumerate(text):
            folded = fold(char) if WORD.fullmatch(char) and not JOINERS.match(char) else " "
            for out in folded:
                if not (out == " " and chars[-1] == " "):
                    chars.append(out)
                    origin.append(index)
        if chars[-1] != " ":
            chars.append(" ")
            origin.append(len(text))
        self.folded = "".join(chars)
        self.origin = origin

    def find(self, label: str) -> list[tuple[int, int]]:
        """Where a folded label is, over whole words, spaces or not (« Digital Place » and
        « DigitalPlace » for ``digital place``; not ``lot`` inside « pilote »)."""
        body = " ?".join(re.escape(c) for c in rel.squeezed(label))
        return [
            (self.origin[m.start()], self.origin[m.end() - 1] + 1)
            for m in re.finditer(f"(?<= ){body}(?= )", self.folded)
        ]


@dataclass(frozen=True)
class Occurrence:
    start: int
    end: int
    ref: str


def occurrences(text: str, names: dict[str, set[str]]) -> list[Occurrence]:
    """Every place the text names a curated entity by one of its labels."""
    folded = FoldedText(text)
    return [
        Occurrence(start, end, ref)
        for ref, labels in names.items()
        for label in labels
        for start, end in folded.find(label)
    ]


# --- Proposing ---------------------------------------------------------------------------------


@dataclass
class Ingest:
    """What proposes (:func:`maillage.ingest.propose.propose`), what it needs loaded first (the
    model) and how it reads the knowledge from a graph; a test may give its own."""

    describe: str
    load: Callable[[], Any]
    knowledge: Callable[[Graph], Any]
    propose: Callable[[Document, Any], Proposals]

    @classmethod
    def default(cls) -> Ingest:
        from maillage.ingest import nlp
        from maillage.ingest.mentions import Knowledge
        from maillage.ingest.propose import propose

        return cls(
            f"maillage.ingest.propose ({nlp.described()})", nlp.load, Knowledge.from_graph, propose
        )


# --- One document ------------------------------------------------------------------------------


@dataclass
class Links:
    right: list[Mention] = field(default_factory=list)
    wrong: list[tuple[Mention, str]] = field(default_factory=list)
    """A wrong link and why it is judged wrong."""


@dataclass
class DocumentResult:
    doc_id: str
    named: set[str]
    """Curated entities the document names (a label in its text)."""
    found: set[str]
    unnamed: set[str]
    """Curated entities whose labels are not in the text (composed names, inferences)."""
    other_kind: dict[str, str]
    """Curated entity → the new entity proposed for its name with another kind (found)."""
    missed: dict[str, str]
    """Curated entity named but not found → what ingest made of the text there."""
    links: Links
    stated_by: dict[tuple[str, tuple], list[str]]
    """(kind, relation) → the curated claims without which the document no longer states it."""
    quotes: dict[str, str]
    new: int
    ambiguous: int
    scores: dict[str, rel.Score]
    figures: tuple[int, int, int]
    figure_misses: Counter
    sentences: tuple[int, int, int]
    """(curated, proposed, both): sentences a curated / a proposed quote overlaps."""
    seconds: float
    knowledge_seconds: float


def evaluate_document(
    curated: Curated, doc_id: str, proposals: Proposals, seconds: float, knowledge_seconds: float
) -> DocumentResult:
    records = curated.says[doc_id]
    mine = curated.nodes([doc_id])
    others = [d for d in curated.inputs.documents if d != doc_id]
    known = rel.references(curated.nodes(others))
    entities = rel.Entities(
        curated_labels=curated.labels,
        known=curated.known,
        new=rel.references(mine) - known - set(curated.territory_labels),
        proposed_labels=rel.labels(rel.merge(p.says for p in proposals.claims)),
    )
    for mention in proposals.mentions:
        if mention.ref and mention.state == "new":
            entities.name(mention.ref, mention.text)
    text = curated.inputs.documents[doc_id].text
    named_here = occurrences(text, curated.names)
    named = {o.ref for o in named_here} & rel.references(mine)
    unnamed = {r for r in rel.references(mine) if rel.ref_kind(r) in ENTITY_KINDS} - named
    found = {entities(m.ref) for m in proposals.mentions if m.ref and m.state in ("linked", "new")}
    other_kind = _found_as_other_kind(proposals.mentions, named - found - known, curated.names)
    found = (found & named) | set(other_kind)
    spans = curated.quote_spans(doc_id)
    missed = {
        ref: _what_is_there(ref, named_here, proposals.mentions, text, ref in known)
        for ref in named - found
    }
    mine_rels = rel.relations((r["says"] for r in records), context=curated.nodes(curated.says))
    theirs = rel.relations(
        (p.says for p in proposals.claims), resolve=entities, context=curated.nodes(others)
    )
    figures_mine, figures_theirs = rel.figure_values(mine_rels), rel.figure_values(theirs)
    return DocumentResult(
        doc_id=doc_id,
        named=named,
        found=found,
        unnamed=unnamed,
        other_kind=other_kind,
        missed=missed,
        links=_judge_links(proposals.mentions, records, spans, named_here, curated.labels),
        new=sum(m.state == "new" for m in proposals.mentions),
        ambiguous=sum(m.state == "ambiguous" for m in proposals.mentions),
        scores=rel.compare(mine_rels, theirs),
        stated_by=stated_by(records, curated.nodes(others)),
        quotes={r["id"]: r["quote"] for r in records},
        figures=rel.counter_score(figures_mine, figures_theirs),
        figure_misses=figures_mine - figures_theirs,
        sentences=_sentences(text, spans.values(), [(p.start, p.end) for p in proposals.claims]),
        seconds=seconds,
        knowledge_seconds=knowledge_seconds,
    )


def stated_by(
    records: list[dict[str, Any]], context: rel.Nodes
) -> dict[tuple[str, tuple], list[str]]:
    """(kind, relation) → the ids of the claims without which the claims no longer state it,
    or when several state it, of those that name everything it relates; to show a missed
    relation with its quotes."""
    whole = rel.relations((r["says"] for r in records), context=context)
    found: dict[tuple[str, tuple], list[str]] = {}
    for index, record in enumerate(records):
        rest = rel.relations(
            (r["says"] for i, r in enumerate(records) if i != index), context=context
        )
        for kind in rel.KINDS:
            for tup in whole.by_kind[kind] - rest.by_kind[kind]:
                found.setdefault((kind, tup), []).append(record["id"])
    refs_of = {r["id"]: rel.references(rel.merge([r["says"]])) for r in records}
    for kind, tuples in whole.by_kind.items():
        for tup in tuples:  # stated more than once: the claims that name all it relates
            if (kind, tup) not in found:
                refs = {v for v in tup if rel.is_reference(v)}
                found[(kind, tup)] = [cid for cid, used in refs_of.items() if refs <= used]
    return found


def _found_as_other_kind(
    mentions: list[Mention], missing: set[str], names: dict[str, set[str]]
) -> dict[str, str]:
    """A new entity proposed for the name of a curated one of another kind (« GreenConcept »
    minted as an organisation, curated as a work): found, with the wrong kind. ``missing`` holds
    only entities new to the knowledge: proposing a known one as new is a link missed."""
    by_label = {rel.squeezed(label): ref for ref in sorted(missing) for label in names[ref]}
    found: dict[str, str] = {}
    for mention in mentions:
        ref = by_label.get(rel.squeezed(rel.words(mention.text)))
        if mention.state == "new" and mention.ref and ref:
            found.setdefault(ref, mention.ref)
    return found


def _what_is_there(
    ref: str, named_here: list[Occurrence], mentions: list[Mention], text: str, known: bool
) -> str:
    """Where the text names a curated entity ingest did not find, and what ingest made of it."""
    spots = [o for o in named_here if o.ref == ref]
    overlapping = [
        (spot, [m for m in mentions if m.start < spot.end and spot.start < m.end]) for spot in spots
    ]

    def telling(item: tuple[Occurrence, list[Mention]]) -> tuple[bool, bool, int]:
        """A spot a mention covers exactly first, then one a mention overlaps, then the first."""
        spot, there = item
        exact = any((m.start, m.end) == (spot.start, spot.end) for m in there)
        return (not exact, not there, spot.start)

    spot, there = min(overlapping, key=telling)
    made = ", ".join(f"« {m.text} » {m.state} {m.ref or ''}".rstrip() for m in there)
    where = "known from the other documents" if known else "new to the other documents"
    return f"« {text[spot.start : spot.end]} » at {spot.start} ({where}): {made or 'no mention'}"


def _judge_links(
    mentions: list[Mention],
    records: list[dict[str, Any]],
    spans: dict[str, tuple[int, int]],
    named_here: list[Occurrence],
    labels: dict[str, set[str]],
) -> Links:
    """Each link to an existing IRI judged right or wrong (:func:`judge`)."""
    links = Links()
    refs_of = {r["id"]: rel.references(rel.merge([r["says"]])) for r in records}
    everywhere = set().union(*refs_of.values())
    for mention in mentions:
        if mention.state != "linked" or not mention.ref:
            continue
        quoting = [cid for cid, (a, b) in spans.items() if a < mention.end and mention.start < b]
        used = set().union(*(refs_of[cid] for cid in quoting))
        covering = [o for o in named_here if o.start <= mention.start and mention.end <= o.end]
        wrong = judge(mention, used, covering, labels.get(mention.ref, set()), everywhere)
        if wrong:
            links.wrong.append((mention, wrong))
        else:
            links.right.append(mention)
    return links


def judge(
    mention: Mention,
    used: set[str],
    covering: list[Occurrence],
    labels: set[str],
    everywhere: set[str],
) -> str | None:
    """Why a link is wrong, or None when it is right. Right: a curated claim quoting the mention
    uses the IRI. Wrong: the longest curated name the text has around the mention is another
    entity's, one those claims use when there are some (« La Mêlée Numérique » linked to the
    organisation La Mêlée, « Montpellier » inside « BIC de Montpellier »). Right: the mention is
    one of the IRI's labels (« Toulouse » for commune/31555 where no claim places anything in
    Toulouse), or the document's claims use it elsewhere. Else wrong."""
    if mention.ref in used:
        return None
    if used:  # what the curators read there (« la grande région Occitanie » is the territory)
        covering = [o for o in covering if o.ref in used or o.ref == mention.ref]
    longest = max((o.end - o.start for o in covering), default=0)
    there = sorted({o.ref for o in covering if o.end - o.start == longest})
    if there and mention.ref not in there:
        return f"the text names {', '.join(there)} here"
    if rel.squeezed(rel.words(mention.text)) in {rel.squeezed(label) for label in labels}:
        return None
    if mention.ref in everywhere:
        return None
    return "not one of its labels, and no curated claim of the document uses it"


def _sentences(
    text: str, curated: Iterable[tuple[int, int]], proposed: Iterable[tuple[int, int]]
) -> tuple[int, int, int]:
    sentences = split_sentences(text)
    mine = {s for s in sentences for a, b in curated if s.overlaps(a, b)}
    theirs = {s for s in sentences for a, b in proposed if s.overlaps(a, b)}
    return len(mine), len(theirs), len(mine & theirs)


# --- Every document ----------------------------------------------------------------------------


@dataclass
class Report:
    ingest: str
    documents: list[DocumentResult]
    load_seconds: float
    cold_seconds: float
    peak_rss: int

    def total(self, kind: str) -> rel.Score:
        return combined(tagged(d.scores[kind], d.doc_id) for d in self.documents)

    def overall(self) -> rel.Score:
        return combined(tagged(self.total(kind), kind) for kind in rel.KINDS)

    def figures(self) -> tuple[int, int, int]:
        return tuple(sum(d.figures[i] for d in self.documents) for i in range(3))

    def entity_recall(self) -> float | None:
        return rel.ratio(sum(len(d.found) for d in self.documents), self._named())

    def _named(self) -> int:
        return sum(len(d.named) for d in self.documents)

    def linking_precision(self) -> float | None:
        right = sum(len(d.links.right) for d in self.documents)
        return rel.ratio(right, right + sum(len(d.links.wrong) for d in self.documents))

    def seconds_per_article(self) -> float:
        return max((d.seconds for d in self.documents), default=0.0)


def tagged(score: rel.Score, *tag: str) -> rel.Score:
    """The score with each tuple prefixed (by its document, its kind), to add scores up."""
    return rel.Score(*({(*tag, *t) for t in part} for part in score.parts()))


def combined(scores: Iterable[rel.Score]) -> rel.Score:
    return sum(scores, rel.Score(set(), set(), set()))


def run(settings: Settings, doc_ids: list[str] | None = None, ingest: Ingest | None = None):
    """Leave-one-out over ``doc_ids`` (every document when None)."""
    started = time.perf_counter()
    ingest = ingest or Ingest.default()
    curated = Curated.read(settings)
    evaluation_only = time.perf_counter() - started
    tick = time.perf_counter()
    ingest.load()
    load_seconds = time.perf_counter() - tick
    results, cold = [], None
    for doc_id in doc_ids or sorted(curated.inputs.documents):
        tick = time.perf_counter()
        graph = curated.knowledge_graph(doc_id)
        evaluation_only += time.perf_counter() - tick
        tick = time.perf_counter()
        knowledge = ingest.knowledge(graph.default)
        knowledge_seconds = time.perf_counter() - tick
        tick = time.perf_counter()
        proposals = ingest.propose(curated.inputs.documents[doc_id], knowledge)
        seconds = time.perf_counter() - tick
        if cold is None:  # imports, model, knowledge and a first article; not the evaluation's work
            cold = time.perf_counter() - _process_start() - evaluation_only
        results.append(evaluate_document(curated, doc_id, proposals, seconds, knowledge_seconds))
    return Report(ingest.describe, results, load_seconds, cold or 0.0, _peak_rss())


def _process_start() -> float:
    """When this process started, on the :func:`time.perf_counter` clock."""
    try:
        import psutil

        return time.perf_counter() - (time.time() - psutil.Process().create_time())
    except ImportError:
        return PROCESS_IMPORTED


PROCESS_IMPORTED = time.perf_counter()


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux


# --- The table ---------------------------------------------------------------------------------


def percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f} %"


def verdict(value: float | None, target: float, above: bool = True) -> str:
    if value is None:
        return "—"
    return "met" if (value >= target if above else value < target) else "**not met**"


def summary_rows(report: Report) -> list[tuple[str, str, str, str]]:
    overall = report.overall()
    found, curated, _proposed = report.figures()
    figures = {
        "entity recall": report.entity_recall(),
        "linking precision": report.linking_precision(),
        "relation recall": overall.recall,
        "relation precision": overall.precision,
        "figures recall": rel.ratio(found, curated),
    }
    rows = [
        (name, percent(value), TARGETS[name][1], verdict(value, TARGETS[name][0]))
        for name, value in figures.items()
    ]
    per_article, cold, rss = report.seconds_per_article(), report.cold_seconds, report.peak_rss
    rows += [
        (
            "seconds per article, model loaded (slowest)",
            f"{per_article:.2f} s",
            "< 10 s",
            verdict(per_article, SECONDS_PER_ARTICLE, above=False),
        ),
        ("cold start", f"{cold:.1f} s", "< 30 s", verdict(cold, COLD_SECONDS, above=False)),
        ("peak RSS", f"{rss / 2**20:.0f} MiB", "< 1.5 GiB", verdict(rss, RSS_BYTES, above=False)),
    ]
    return rows


def markdown(header: list[str], rows: list[Iterable[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def table(report: Report) -> str:
    """The whole report as Markdown: the targets, each document, each kind, speed."""
    parts = [
        f"Leave-one-out over {len(report.documents)} documents; ingest: {report.ingest}.",
        "",
        markdown(["measure", "figure", "target", ""], summary_rows(report)),
        "",
        markdown(
            [
                "document",
                "entities found / named",
                "links right / made",
                "new, ambiguous",
                "relations found / curated / proposed",
                "figures right / curated / proposed",
                "sentences both / curated / proposed",
                "seconds",
            ],
            [_document_row(d) for d in report.documents] + [_total_row(report)],
        ),
        "",
        markdown(
            ["kind", "curated", "proposed", "found", "recall", "precision"],
            [_kind_row(kind, report.total(kind)) for kind in rel.KINDS]
            + [_kind_row("all", report.overall())],
        ),
        "",
        f"Model load {report.load_seconds:.1f} s; knowledge built per document in "
        + ", ".join(f"{d.knowledge_seconds:.1f}" for d in report.documents)
        + " s; proposing per document "
        + ", ".join(f"{d.seconds:.2f}" for d in report.documents)
        + " s.",
    ]
    return "\n".join(parts) + "\n"


def _document_row(d: DocumentResult) -> list[str]:
    overall = combined(tagged(score, kind) for kind, score in d.scores.items())
    return [
        d.doc_id,
        f"{len(d.found)} / {len(d.named)}",
        f"{len(d.links.right)} / {len(d.links.right) + len(d.links.wrong)}",
        f"{d.new}, {d.ambiguous}",
        f"{len(overall.found)} / {overall.curated} / {overall.proposed}",
        f"{d.figures[0]} / {d.figures[1]} / {d.figures[2]}",
        f"{d.sentences[2]} / {d.sentences[0]} / {d.sentences[1]}",
        f"{d.seconds:.2f}",
    ]


def _total_row(report: Report) -> list[str]:
    docs = report.documents
    right = sum(len(d.links.right) for d in docs)
    judged = right + sum(len(d.links.wrong) for d in docs)
    overall = report.overall()
    figures = report.figures()
    sentences = [sum(d.sentences[i] for d in docs) for i in range(3)]
    return [
        "all",
        f"{sum(len(d.found) for d in docs)} / {report._named()}",
        f"{right} / {judged}",
        f"{sum(d.new for d in docs)}, {sum(d.ambiguous for d in docs)}",
        f"{len(overall.found)} / {overall.curated} / {overall.proposed}",
        f"{figures[0]} / {figures[1]} / {figures[2]}",
        f"{sentences[2]} / {sentences[0]} / {sentences[1]}",
        f"{sum(d.seconds for d in docs):.2f}",
    ]


def _kind_row(kind: str, score: rel.Score) -> list[str]:
    return [
        kind,
        score.curated,
        score.proposed,
        len(score.found),
        percent(score.recall),
        percent(score.precision),
    ]


def misses(report: Report) -> str:
    """Every curated entity not found, every wrong link, every missed and extra relation."""
    out = ["# Leave-one-out: the misses", ""]
    for d in report.documents:
        out += [f"## Document {d.doc_id}", ""]
        out += _listed(
            "curated entities the document names, not found",
            [f"{ref}: {what}" for ref, what in sorted(d.missed.items())],
        )
        out += _listed(
            "found, proposed new with another kind",
            [f"{ref} as {made}" for ref, made in sorted(d.other_kind.items())],
        )
        out += _listed("curated entities not named in the text (not counted)", sorted(d.unnamed))
        out += _listed(
            "wrong links",
            [f"« {m.text} » ({m.start}) → {m.ref}: {why}" for m, why in d.links.wrong],
        )
        for kind in rel.KINDS:
            score = d.scores[kind]
            out += _listed(f"{kind}: missed", sorted(_with_quote(d, kind, t) for t in score.missed))
            out += _listed(f"{kind}: extra", sorted(rel.show(t) for t in score.extra))
        out += _listed(
            "figures (value, unit, qualifier) missed",
            sorted(rel.show(t) for t in d.figure_misses.elements()),
        )
    return "\n".join(out) + "\n"


def _with_quote(d: DocumentResult, kind: str, tup: tuple) -> str:
    """A missed relation and the claim that states it, with its quote."""
    ids = d.stated_by.get((kind, tup), [])
    quoted = "; ".join(f"{cid}: « {_short(d.quotes[cid])} »" for cid in ids)
    return f"{rel.show(tup)} ← {quoted}"


def _short(text: str, most: int = 110) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def _listed(title: str, items: list[str]) -> list[str]:
    if not items:
        return []
    return [f"{title} ({len(items)}):", *(f"- {item}" for item in items), ""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m maillage.ingest.evaluate", description=__doc__)
    parser.add_argument("--documents", help="comma-separated document ids (default: all)")
    parser.add_argument("--out", type=Path, help=f"where to write table.md and misses.md ({OUT})")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    doc_ids = args.documents.split(",") if args.documents else None
    report = run(settings, doc_ids)
    out = args.out or (settings.root or Path()) / OUT
    out.mkdir(parents=True, exist_ok=True)
    text = table(report)
    (out / "table.md").write_text(text, encoding="utf-8")
    (out / "misses.md").write_text(misses(report), encoding="utf-8")
    sys.stdout.write(text)
    sys.stdout.write(f"\nwritten: {out / 'table.md'} and {out / 'misses.md'}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
