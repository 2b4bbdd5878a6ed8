"""The quotes of the release's search index: each active claim's verbatim quote (``oa:exact``),
attached to the resources the claim is about, so that a word of a quote finds them. A claim is
about the resources under ``id/`` its graph names, as subject or object (« président de Digital
Place » is about Daniel Benchimol and Digital Place), territories excepted (a commune named in a
quote is where something is, not what the quote is about) and concepts and classes too (the
role « président » is not what the quote is about).
Deprecated claims (``mlg:rank mlg:DeprecatedRank``) lost to others and are not searched."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping

from rdflib import RDF, Graph, Literal, URIRef

from maillage.namespaces import ID, MLG, OA, TERRITORY_KINDS

Mention = tuple[str, str]
"""A claim's IRI and an IRI its graph names (as subject or object)."""
NOT_ABOUT = tuple(str(ID[f"{kind}/"]) for kind in TERRITORY_KINDS)


def mentions(claims: Mapping[URIRef, Graph]) -> Iterator[Mention]:
    """The IRIs each claim's graph names, from the build's claim graphs."""
    for claim, graph in claims.items():
        for s, _p, o in graph:
            for term in (s, o):
                if isinstance(term, URIRef):
                    yield str(claim), str(term)


def quotes_about(
    graph: Graph, mentioned: Iterable[Mention], searchable: set[str]
) -> dict[str, list[tuple[str, str]]]:
    """For each searchable resource, the (claim IRI, quote) of every active claim about it, by
    claim IRI."""
    exact = active_quotes(graph)
    about: dict[str, set[str]] = defaultdict(set)
    for claim, iri in mentioned:
        if claim in exact and iri in searchable and is_about(iri):
            about[iri].add(claim)
    return {iri: [(c, exact[c]) for c in sorted(claims)] for iri, claims in about.items()}


def is_about(iri: str) -> bool:
    """Whether a claim naming ``iri`` is about it: a resource under ``id/`` (not a concept,
    a class or a term of ours), not a territory."""
    return iri.startswith(str(ID)) and not iri.startswith(NOT_ABOUT)


def active_quotes(graph: Graph) -> dict[str, str]:
    """The verbatim quote of each claim that is not deprecated."""
    found = {}
    for claim in graph.subjects(RDF.type, MLG.Claim):
        if (claim, MLG.rank, MLG.DeprecatedRank) in graph:
            continue
        for quote in graph.objects(claim, MLG.quote):
            for exact in graph.objects(quote, OA.exact):
                if isinstance(exact, Literal):
                    found[str(claim)] = str(exact)
    return found
