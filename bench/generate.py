"""A deterministic, Occitanie-shaped dataset at a chosen size, shaped like ``maillage-all.nq.gz``.

Usage::

    python -m bench.generate --triples 100k --seed 1 --out bench/data/100k

``--triples`` is 10k, 100k, 1M, 10M or an integer: the number of quads of the dataset (default
graph and claim graphs together, what the store holds), reached within a few per cent by
scaling the number of organisations. The same size and seed give byte-identical files:

``maillage-all.nq``
    N-Quads, written as generated (never held in memory): the reference data the real build
    puts in the default graph (``data/reference/territories.ttl``, ``ontology/concepts.ttl``),
    then claim by claim its named graph, its statements in the default graph (unless
    deprecated) and its provenance (``mlg:Claim``, rank, quote, Web Annotation selectors), then
    the documents and the conflicts.
``documents/NNN.txt``
    The synthetic documents: every quote is at ``oa:start``/``oa:end`` (code points) in them.
``dataset.json``
    Size, seed, counts and the SHA-256 of the N-Quads.
``sample.json``
    What a benchmark needs: IRIs to dereference (organisations, people, sites, events, in a
    seeded random order) and the parameters of the query mix (an anchor cluster with the most
    members, a date inside many membership intervals, a commune, a word of many names).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import XSD, Literal, URIRef

from bench.documents import DocumentStream
from bench.nquads import TRUE, A, iri, lang, line, string, term, typed, with_date_bounds
from bench.synthetic import Claim, Commune, Conflict, World, organisation_claims, zipf_cumulative
from maillage.pipeline.dates import date_bounds

REPO_ROOT = Path(__file__).resolve().parent.parent
TERRITORIES = REPO_ROOT / "data" / "reference" / "territories.ttl"
CONCEPTS = REPO_ROOT / "ontology" / "concepts.ttl"
DATASET_FILE = "maillage-all.nq"
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "10M": 10_000_000}
REGION = "https://w3id.org/maillage/id/region/76"
FIRST_COMMUNES = ("31555", "34172")
"""Toulouse and Montpellier are the most popular communes; the others follow by code."""
CALIBRATION_ORGANISATIONS = 1_000
SAMPLE_SIZE = 300
ANCHOR_DATE = "2020-06-30"
ID = "https://w3id.org/maillage/id/"
RANKS = {"normal": "NormalRank", "preferred": "PreferredRank", "deprecated": "DeprecatedRank"}


def parse_size(text: str) -> int:
    if text in SIZES:
        return SIZES[text]
    if text.isdigit() and int(text) > 0:
        return int(text)
    raise argparse.ArgumentTypeError(f"--triples is one of {', '.join(SIZES)} or an integer")


# ---- the world: real territories and concepts -----------------------------------------------


def reference_quads() -> list[ox.Quad]:
    """What the real build adds to the default graph from reference data and the vocabulary."""
    found = []
    for path in (TERRITORIES, CONCEPTS):
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            found.append(ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph()))
            found.extend(bound_quads(quad))
    return sorted(set(found), key=str)


def bound_quads(quad: ox.Quad) -> list[ox.Quad]:
    """The bounds of a dated quad, as the build derives them (``maillage/pipeline/dates.py``)."""
    value = quad.object
    if not isinstance(value, ox.Literal):
        return []
    dated = Literal(value.value, datatype=URIRef(value.datatype.value))
    day = ox.NamedNode(str(XSD.date))
    return [
        ox.Quad(quad.subject, ox.NamedNode(str(p)), ox.Literal(str(o), datatype=day))
        for _s, p, o in date_bounds(quad.subject, URIRef(quad.predicate.value), dated)
    ]


def occitanie_communes(quads: list[ox.Quad]) -> list[Commune]:
    within, names = {}, {}
    for q in quads:
        if q.predicate.value == term("geo:sfWithin")[1:-1]:
            within[q.subject.value] = q.object.value
        elif q.predicate.value == term("skos:prefLabel")[1:-1] and "/commune/" in q.subject.value:
            names[q.subject.value] = q.object.value
    ours = [c for c in names if within.get(within.get(c, ""), "") == REGION]
    ours.sort(key=lambda c: (c.rsplit("/", 1)[1] not in FIRST_COMMUNES, c.rsplit("/", 1)[1]))
    return [Commune(iri(c), names[c]) for c in ours]


def head_roles(quads: list[ox.Quad]) -> list[str]:
    head = term("org:headOf")[1:-1]
    return sorted(
        q.subject.value.rsplit("/", 1)[1]
        for q in quads
        if q.predicate.value == term("org:roleProperty")[1:-1] and q.object.value == head
    )


def new_world(seed: int, quads: list[ox.Quad]) -> World:
    communes = occitanie_communes(quads)
    return World(random.Random(seed), communes, zipf_cumulative(len(communes)), head_roles(quads))


# ---- writing claims -------------------------------------------------------------------------


def write_claim(sink: Sink, claim: Claim, document: str, quote) -> None:
    """The claim's named graph, its statements in the default graph, and its provenance."""
    graph, triples = iri(claim.iri), with_date_bounds(claim.triples)
    sink.write([line(s, p, o, graph) for s, p, o in triples], named=True)
    default = [] if claim.rank == "deprecated" else [line(s, p, o) for s, p, o in triples]
    sink.write(default + provenance_lines(claim, document, quote))


def provenance_lines(claim: Claim, document: str, quote) -> list[str]:
    c, part = iri(claim.iri), lambda name: iri(f"{claim.iri}/{name}")
    q, position, target, annotation = (
        part("quote"),
        part("position"),
        part("target"),
        part("annotation"),
    )
    key = claim.iri[len(ID) + len("claim/") :]
    triples = [
        (c, A, term("mlg:Claim")),
        (c, A, term("prov:Entity")),
        (c, term("rdfs:label"), lang(f"Claim {key}", "en")),
        (c, term("prov:wasDerivedFrom"), document),
        (c, term("mlg:rank"), term(f"mlg:{RANKS[claim.rank]}")),
        (c, term("mlg:quote"), q),
        (q, A, term("oa:TextQuoteSelector")),
        (q, term("oa:exact"), string(quote.exact)),
        (q, term("oa:prefix"), string(quote.prefix)),
        (q, term("oa:suffix"), string(quote.suffix)),
        (position, A, term("oa:TextPositionSelector")),
        (position, term("oa:start"), typed(quote.start, "nonNegativeInteger")),
        (position, term("oa:end"), typed(quote.end, "nonNegativeInteger")),
        (target, A, term("oa:SpecificResource")),
        (target, term("oa:hasSource"), document),
        (target, term("oa:hasSelector"), q),
        (target, term("oa:hasSelector"), position),
        (annotation, A, term("oa:Annotation")),
        (annotation, term("oa:motivatedBy"), term("oa:describing")),
        (annotation, term("oa:hasBody"), c),
        (annotation, term("oa:hasTarget"), target),
    ]
    triples += inference_triples(c, claim) + ranking_triples(c, claim)
    return [line(s, p, o) for s, p, o in triples]


def inference_triples(c: str, claim: Claim) -> list[tuple[str, str, str]]:
    if not claim.inferred:
        return []
    return [
        (c, term("mlg:inferred"), TRUE),
        (c, term("mlg:inferenceNote"), lang(claim.inferred, "en")),
    ]


def ranking_triples(c: str, claim: Claim) -> list[tuple[str, str, str]]:
    if claim.loses_to is None:
        return []
    triples = [(c, term("mlg:losesTo"), iri(claim.loses_to.iri))]
    return triples + [
        (c, term("mlg:rankReason"), lang(text, language)) for language, text in claim.reason.items()
    ]


def conflict_lines(conflict: Conflict) -> list[str]:
    node = iri(f"{ID}conflict/{conflict.slug}")
    triples = [
        (node, A, term("mlg:Conflict")),
        (node, term("mlg:rankingRule"), string(conflict.rule)),
    ]
    triples += [
        (node, term("rdfs:label"), lang(text, language))
        for language, text in conflict.topic.items()
    ]
    triples += [
        (node, term("mlg:rankReason"), lang(text, language))
        for language, text in conflict.reason.items()
    ]
    triples += [(node, term("mlg:conflictClaim"), iri(c.iri)) for c in conflict.claims]
    triples.append((node, term("mlg:conflictAbout"), conflict.about))
    return [line(s, p, o) for s, p, o in triples]


# ---- the whole dataset ----------------------------------------------------------------------


class Sink:
    """Where lines go: a file and a digest, or nowhere (to count only, when calibrating)."""

    def __init__(self, path: Path | None) -> None:
        self.handle = path.open("wb", buffering=1 << 20) if path else None
        self.digest = hashlib.sha256()
        self.default = self.named = 0

    def write(self, lines: list[str], named: bool = False) -> None:
        if named:
            self.named += len(lines)
        else:
            self.default += len(lines)
        if self.handle:
            data = "".join(lines).encode()
            self.digest.update(data)
            self.handle.write(data)

    def close(self) -> None:
        if self.handle:
            self.handle.close()


def write_dataset(sink: Sink, organisations: int, seed: int, documents_dir: Path | None) -> World:
    reference = reference_quads()
    sink.write([f"{q.subject} {q.predicate} {q.object} .\n" for q in reference])
    world = new_world(seed, reference)
    per_document = max(40, math.ceil(organisations * 9 / 999))
    documents = DocumentStream(per_document, documents_dir, sink.write)
    for index in range(organisations):
        for claim in organisation_claims(world, index):
            doc_id, quote = documents.add(claim.sentence)
            claim.iri = f"{ID}claim/{doc_id}/{claim.slug}"
            write_claim(sink, claim, iri(f"{ID}document/{doc_id}"), quote)
    documents.close()
    for conflict in world.conflicts:
        sink.write(conflict_lines(conflict))
    return world


def organisations_for(target: int, seed: int) -> int:
    """How many organisations give about ``target`` quads (linear, from a dry run)."""
    fixed = Sink(None)
    write_dataset(fixed, 0, seed, None)
    probe = Sink(None)
    write_dataset(probe, CALIBRATION_ORGANISATIONS, seed, None)
    fixed_quads = fixed.default + fixed.named
    per_organisation = (probe.default + probe.named - fixed_quads) / CALIBRATION_ORGANISATIONS
    return max(2, round((target - fixed_quads) / per_organisation))


def sample(world: World, seed: int) -> dict:
    rng = random.Random(seed + 1)
    picked = {
        kind: rng.sample(found, min(SAMPLE_SIZE, len(found)))
        for kind, found in sorted(world.picked.items())
    }
    word = next(w for w, _n in world.words.most_common() if len(w) >= 5)
    return {
        **picked,
        "anchor_cluster": world.clusters[0][0][1:-1],
        "anchor_date": ANCHOR_DATE,
        "commune": world.communes[0].iri[1:-1],
        "search_word": word,
    }


def generate(out: Path, triples: int, seed: int) -> dict:
    """Write the dataset of about ``triples`` quads into ``out``; returns its description."""
    out.mkdir(parents=True, exist_ok=True)
    organisations = organisations_for(triples, seed)
    sink = Sink(out / DATASET_FILE)
    world = write_dataset(sink, organisations, seed, out / "documents")
    sink.close()
    description = {
        "target_quads": triples,
        "seed": seed,
        "organisations": organisations,
        "quads": sink.default + sink.named,
        "default_graph_triples": sink.default,
        "claim_graph_quads": sink.named,
        "nquads_sha256": sink.digest.hexdigest(),
        "file": DATASET_FILE,
    }
    _write_json(out / "dataset.json", description)
    _write_json(out / "sample.json", sample(world, seed))
    return description


def _write_json(path: Path, value: object) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def main(argv: list[str] | None = None, report: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--triples",
        type=parse_size,
        default=SIZES["10k"],
        help="10k, 100k, 1M, 10M or an integer: quads in the dataset",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="directory to write into")
    args = parser.parse_args(argv)
    report(json.dumps(generate(args.out, args.triples, args.seed), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
