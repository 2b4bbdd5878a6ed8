"""Where a resource is, read one way for everything that places things: the browse lists'
commune filter (``server/browse_view.py``) and the search index's ``commune`` facet
(``maillage/pipeline/search_facets.py``). A resource is where it, its sites (``org:hasSite``)
and its location (``schema:location``, a commune or a venue) are ``geo:sfWithin``, and at its
location itself.

The rule is written over a function giving the IRIs a subject points at by a predicate, so the
build (rdflib) and the server (the release's pyoxigraph store) apply the same one."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from maillage.namespaces import GEO, ORG, SCHEMA

PLACED_THROUGH = (str(ORG.hasSite), str(SCHEMA.location))
"""What a resource is placed by: its sites and its location."""
WITHIN = str(GEO.sfWithin)
COMMUNES = "id/commune/"
"""Where our communes' IRIs are, under the base."""

Objects = Callable[[str, str], Iterable[str]]
"""``objects(subject, predicate)``: the IRIs ``subject predicate ?o`` gives in the default graph."""


def places(iri: str, objects: Objects) -> set[str]:
    """The places ``iri`` is in: its sites and location, and what they and it are within."""
    found = {iri} | {o for predicate in PLACED_THROUGH for o in objects(iri, predicate)}
    within = {w for place in found for w in objects(place, WITHIN)}
    return (found - {iri}) | within


def communes_of(iri: str, objects: Objects, base: str) -> set[str]:
    """The communes of ours ``iri`` is in (a commune is in itself)."""
    prefix = base + COMMUNES
    return {place for place in places(iri, objects) | {iri} if place.startswith(prefix)}
