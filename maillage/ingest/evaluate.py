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
import importlib
import re
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
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
from maillage.search import JOINERS, WORD, fold, squeezed
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
                found.setdefault(ref, set()).add(squeezed(str(label)))
    return found


def words(text: str) -> str:
    """A text as folded words between spaces, to find a label in it word for word."""
    return " " + " ".join(WORD.findall(fold(JOINERS.sub(" ", text)))) + " "


# --- Proposing ---------------------------------------------------------------------------------


@dataclass
class Ingest:
    """What proposes: ``propose(document, knowledge)`` of ``maillage.ingest.propose`` when it
    exists, else its pieces (``nlp.parse``, ``mentions.find_mentions``,
    ``patterns.propose_claims``), each left out until it lands."""

    describe: str
    load: Callable[[], Any]
    knowledge: Callable[[Graph], Any]
    propose: Callable[[Document, Any], Proposals]

    @classmethod
    def find(cls) -> Ingest:
        nlp = _landed("nlp")
        if nlp is None:
            return cls("nothing (maillage.ingest.nlp has not landed)", _nothing, _nothing, _empty)
        mentions, patterns, propose = _landed("mentions"), _landed("patterns"), _landed("propose")
        knowledge = mentions.Knowledge.from_graph if mentions else _nothing
        if propose is not None:
            return cls("maillage.ingest.propose.propose", nlp.load, knowledge, propose.propose)
        pieces = [
            "nlp.parse",
            "mentions.find_mentions" if mentions else "(no mentions: not landed)",
            "patterns.propose_claims" if patterns else "(no claims: patterns not landed)",
        ]

        def by_pieces(document: Document, knowledge: Any) -> Proposals:
            doc = nlp.parse(document.text)
            found = mentions.find_mentions(doc, knowledge) if mentions else []
            claims = patterns.propose_claims(doc, found, document) if patterns else []
            return Proposals(document.id, " + ".join(pieces), list(found), list(claims))

        return cls(" + ".join(pieces), nlp.load, knowledge, by_pieces)


def _landed(module: str) -> ModuleType | None:
    """``maillage.ingest.<module>``, or None while it has not landed (an import error inside a
    module that exists is raised)."""
    name = f"maillage.ingest.{module}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name != name:
            raise
        return None


def _nothing(*_args: object) -> None:
    return None


def _empty(document: Document, _knowledge: object) -> Proposals:
    return Proposals(document.id, "nothing")


# --- One document ------------------------------------------------------------------------------


@dataclass
class Links:
    right: list[Mention] = field(default_factory=list)
    wrong: list[tuple[Mention, list[str]]] = field(default_factory=list)
    """A link to a reference that no curated claim quoting its span uses, with the references
    those claims use."""
    unjudged: list[Mention] = field(default_factory=list)
    """A link in a span no curated claim quotes (a sentence listed as stating nothing)."""


@dataclass
class DocumentResult:
    doc_id: str
    named: set[str]
    """Curated entities the document names (a label in its text)."""
    found: set[str]
    unnamed: set[str]
    """Curated entities whose labels are not in the text (composed names, inferences)."""
    links: Links
    new: int
    ambiguous: int
    scores: dict[str, rel.Score]
    figures: tuple[int, int, int]
    figure_misses: Counter
    sentences: tuple[int, int, int]
    """(curated, proposed, both): sentences a curated / a proposed quote overlaps."""
    seconds: float
    knowledge_seconds: float

    @property
    def missing(self) -> set[str]:
        return self.named - self.found


def evaluate_document(
    curated: Curated, doc_id: str, proposals: Proposals, seconds: float, knowledge_seconds: float
) -> DocumentResult:
    records = curated.says[doc_id]
    mine = curated.nodes([doc_id])
    entities = rel.Entities(
        curated_labels=curated.labels,
        known=curated.known,
        preferred=rel.references(mine),
        proposed_labels=rel.labels(rel.merge(p.says for p in proposals.claims)),
    )
    for mention in proposals.mentions:
        if mention.ref and mention.state == "new":
            entities.name(mention.ref, mention.text)
    text = curated.inputs.documents[doc_id].text
    named, unnamed = _named_entities(rel.references(mine), curated.labels, words(text))
    found = {entities(m.ref) for m in proposals.mentions if m.ref and m.state in ("linked", "new")}
    spans = curated.quote_spans(doc_id)
    others = [d for d in curated.inputs.documents if d != doc_id]
    mine_rels = rel.relations((r["says"] for r in records), context=curated.nodes(curated.says))
    theirs = rel.relations(
        (p.says for p in proposals.claims), resolve=entities, context=curated.nodes(others)
    )
    figures_mine, figures_theirs = rel.figure_values(mine_rels), rel.figure_values(theirs)
    return DocumentResult(
        doc_id=doc_id,
        named=named,
        found=found & named,
        unnamed=unnamed,
        links=_judge_links(proposals.mentions, records, spans),
        new=sum(m.state == "new" for m in proposals.mentions),
        ambiguous=sum(m.state == "ambiguous" for m in proposals.mentions),
        scores=rel.compare(mine_rels, theirs),
        figures=rel.counter_score(figures_mine, figures_theirs),
        figure_misses=figures_mine - figures_theirs,
        sentences=_sentences(text, spans.values(), [(p.start, p.end) for p in proposals.claims]),
        seconds=seconds,
        knowledge_seconds=knowledge_seconds,
    )


def _named_entities(
    refs: set[str], labels: dict[str, set[str]], text_words: str
) -> tuple[set[str], set[str]]:
    named, unnamed = set(), set()
    for ref in refs:
        if rel.ref_kind(ref) not in ENTITY_KINDS:
            continue
        spelled = labels.get(ref, set())
        if any(_in_words(label, text_words) for label in spelled):
            named.add(ref)
        else:
            unnamed.add(ref)
    return named, unnamed


def _in_words(label: str, text_words: str) -> bool:
    """Whether the squeezed label runs over whole words of the text (« Digital Place » or
    « DigitalPlace » for ``digitalplace``; not ``lot`` inside « pilote »)."""
    pattern = r"\s?".join(re.escape(c) for c in label)
    return re.search(r" " + pattern + r" ", text_words) is not None


def _judge_links(
    mentions: list[Mention], records: list[dict[str, Any]], spans: dict[str, tuple[int, int]]
) -> Links:
    links = Links()
    refs_of = {r["id"]: rel.references(rel.merge([r["says"]])) for r in records}
    for mention in mentions:
        if mention.state != "linked" or not mention.ref:
            continue
        quoting = [cid for cid, (a, b) in spans.items() if a < mention.end and mention.start < b]
        used = set().union(*(refs_of[cid] for cid in quoting)) if quoting else set()
        if not quoting:
            links.unjudged.append(mention)
        elif mention.ref in used:
            links.right.append(mention)
        else:
            kinds = sorted(r for r in used if rel.ref_kind(r) in ENTITY_KINDS)
            links.wrong.append((mention, kinds))
    return links


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
    ingest = ingest or Ingest.find()
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
                "links right / judged (unjudged)",
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
    judged = len(d.links.right) + len(d.links.wrong)
    return [
        d.doc_id,
        f"{len(d.found)} / {len(d.named)}",
        f"{len(d.links.right)} / {judged} ({len(d.links.unjudged)})",
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
        f"{right} / {judged} ({sum(len(d.links.unjudged) for d in docs)})",
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


def misses(report: Report, labels: dict[str, set[str]] | None = None) -> str:
    """Every curated entity not found, every wrong link, every missed and extra relation."""
    out = ["# Leave-one-out: the misses", ""]
    for d in report.documents:
        out += [f"## Document {d.doc_id}", ""]
        out += _listed("curated entities the document names, not found", sorted(d.missing))
        out += _listed("curated entities not named in the text (not counted)", sorted(d.unnamed))
        out += _listed(
            "wrong links (the references the curated claims quoting it use)",
            [f"« {m.text} » → {m.ref} ({', '.join(used) or 'none'})" for m, used in d.links.wrong],
        )
        out += _listed(
            "links in spans no curated claim quotes (not judged)",
            [f"« {m.text} » → {m.ref}" for m in d.links.unjudged],
        )
        for kind in rel.KINDS:
            score = d.scores[kind]
            out += _listed(f"{kind}: missed", sorted(rel.show(t) for t in score.missed))
            out += _listed(f"{kind}: extra", sorted(rel.show(t) for t in score.extra))
        out += _listed(
            "figures (value, unit, qualifier) missed",
            sorted(rel.show(t) for t in d.figure_misses.elements()),
        )
    return "\n".join(out) + "\n"


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
