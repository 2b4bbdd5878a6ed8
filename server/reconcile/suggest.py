"""Suggest (auto-completion) of entities, types and properties by the first letters of a name:
``/reconcile/suggest/entity?prefix=digi`` → Digital 113, Digital Place… Entities are found in the
names of the release's full-text index, the last word as a prefix; an identifier of ours as the
prefix suggests that entity."""

from __future__ import annotations

from maillage.search import fold, match_expression, words
from server.reconcile.matching import Matcher
from server.reconcile.results import types
from server.reconcile.vocabulary import PROPERTIES, TYPES, EntityType

MAX_PREFIX_WORDS = 12


def entities(matcher: Matcher, prefix: str, kind: EntityType | None, most: int) -> list[dict]:
    found = [c for c in [matcher.by_ref(prefix.strip())] if c is not None and prefix.strip()]
    terms = words(prefix)[:MAX_PREFIX_WORDS]
    if terms:
        expression = f"names : ({match_expression(terms)}*)"
        found += matcher.named(expression, most, (kind,) if kind else ())
    kept = {c.ref: c for c in found if c.types and (kind is None or kind.iri in c.types)}
    return [suggested(c) for c in list(kept.values())[:most]]


def suggested(candidate) -> dict:
    shown = {"id": candidate.ref, "name": candidate.name, "notable": types(candidate)}
    if candidate.description:
        shown["description"] = candidate.description
    return shown


def starts(prefix: str, *names: str) -> bool:
    wanted = fold(prefix).strip()
    return any(
        fold(name).startswith(wanted) or any(w.startswith(wanted) for w in words(name))
        for name in names
    )


def entity_types(prefix: str, most: int) -> list[dict]:
    return [
        {"id": t.iri, "name": t.name, "description": t.description}
        for t in TYPES
        if starts(prefix, t.name, t.key, t.iri)
    ][:most]


def properties(prefix: str, most: int) -> list[dict]:
    return [
        {"id": p.id, "name": p.name, "description": p.description}
        for p in PROPERTIES
        if starts(prefix, p.name, p.id)
    ][:most]
