"""What a build reads of the live release, from its default-graph dump, once: the IRIs it
describes (an entity IRI may not disappear without a record in ``redirects.yaml``,
:func:`maillage.build.check_iris_kept`) and its claims, so that a claim that disappears is
published as removed and its IRI answers 410 Gone instead of 404 (docs/identifiers.md,
« Claims that disappear »).

A claim is not an entity: curators split, merge and rename claims as they re-read the
documents, and a record per claim would be busywork. But a claim IRI is cited as the source of
a fact, so it never just vanishes: the build writes, for every claim of the live release that
is no longer among the claims, and for every claim the live release already lists as removed,

    <claim> owl:deprecated true ;
        skos:changeNote "Removed from the claims after release <id> …"@en .

the id being the last release that published it (its memento, RFC 7089, is reachable through
the claim IRI's TimeGate while that release is kept). The same inputs on the same live release
give the same statements, so a rebuild is still the same release.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef

from maillage.layout import CURRENT, DEFAULT_NTRIPLES
from maillage.namespaces import CANONICAL_BASE, MLG, RDF
from maillage.retired import DEPRECATED, REASON, REASON_LANGUAGE

CLAIM_CLASS = ox.NamedNode(str(MLG.Claim))
TYPE = ox.NamedNode(str(RDF.type))
IS_DEPRECATED = ox.NamedNode(DEPRECATED)
CHANGE_NOTE = ox.NamedNode(REASON)
TRUE = Literal(True)


@dataclass(frozen=True)
class LiveRelease:
    """The live release as the next build sees it; IRIs under the canonical base."""

    release: str
    subjects: frozenset[str]
    """Every IRI the default graph describes (is the subject of a triple)."""
    claims: frozenset[str]
    removed_claims: dict[str, str]
    """Claims it lists as removed (``owl:deprecated``), each with its note."""


def read_live(var_dir: Path, base: str) -> LiveRelease | None:
    """The live release of ``var_dir`` (its IRIs under ``base``), or None before the first."""
    live = var_dir / CURRENT
    if not (live / DEFAULT_NTRIPLES).is_file():
        return None
    dump = gzip.decompress((live / DEFAULT_NTRIPLES).read_bytes())
    subjects: set[str] = set()
    claims: set[str] = set()
    deprecated: set[str] = set()
    notes: dict[str, str] = {}
    for quad in ox.parse(dump, format=ox.RdfFormat.N_TRIPLES):
        if not isinstance(quad.subject, ox.NamedNode):
            continue
        iri = canonical(quad.subject.value, base)
        subjects.add(iri)
        if quad.predicate == TYPE and quad.object == CLAIM_CLASS:
            claims.add(iri)
        elif quad.predicate == IS_DEPRECATED and is_claim(iri):
            deprecated.add(iri)
        elif quad.predicate == CHANGE_NOTE and is_claim(iri):
            notes[iri] = quad.object.value
    removed = {iri: notes.get(iri, "") for iri in deprecated}
    return LiveRelease(live.resolve().name, frozenset(subjects), frozenset(claims), removed)


def canonical(iri: str, base: str) -> str:
    """``iri`` under the canonical base (the dumps use the build's ``base``)."""
    return CANONICAL_BASE + iri[len(base) :] if iri.startswith(base) else iri


def is_claim(iri: str) -> bool:
    return iri.startswith(CANONICAL_BASE + "id/claim/") and "#" not in iri


def removed_claims(live: LiveRelease | None, claims: set[str]) -> dict[str, str]:
    """Claim IRI → note, for each claim published before and no longer among ``claims``."""
    if live is None:
        return {}
    note = (
        f"Removed from the claims after release {live.release}, the last release that "
        "published it: no claim of the documents has this IRI any more."
    )
    removed = dict.fromkeys(live.claims - claims, note)
    for iri, earlier in live.removed_claims.items():
        if iri not in claims:
            removed[iri] = earlier or note
    return removed


def removal_triples(removed: dict[str, str]) -> list[tuple[URIRef, URIRef, Literal]]:
    """The statements a release publishes about each removed claim."""
    return [
        triple
        for iri, note in sorted(removed.items())
        for triple in (
            (URIRef(iri), URIRef(DEPRECATED), TRUE),
            (URIRef(iri), URIRef(REASON), Literal(note, lang=REASON_LANGUAGE)),
        )
    ]
