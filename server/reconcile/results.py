"""Reconciliation candidates as each version of the protocol writes them: 0.2's result batch (an
object keyed like the queries, ``{"q0": {"result": […]}}``) and 1.0-draft's (``{"results":
[{"candidates": […]}]}``, in the queries' order, with named features)."""

from __future__ import annotations

from server.reconcile.matching import Candidate
from server.reconcile.vocabulary import TYPE_BY_IRI


def types(candidate: Candidate) -> list[dict]:
    return [{"id": iri, "name": TYPE_BY_IRI[iri].name} for iri in candidate.types]


def candidate_02(candidate: Candidate) -> dict:
    shown = {
        "id": candidate.ref,
        "name": candidate.name,
        "score": candidate.score,
        "match": candidate.match,
        "type": types(candidate),
        "features": [{"id": f.id, "value": f.value} for f in candidate.features],
    }
    if candidate.description:
        shown["description"] = candidate.description
    return shown


def candidate_10(candidate: Candidate) -> dict:
    shown = candidate_02(candidate)
    shown["features"] = [{"id": f.id, "name": f.name, "value": f.value} for f in candidate.features]
    return shown


def batch_02(answers: list[tuple[str, list[Candidate]]]) -> dict:
    return {key: {"result": [candidate_02(c) for c in found]} for key, found in answers}


def batch_10(answers: list[tuple[str, list[Candidate]]]) -> dict:
    return {"results": [{"candidates": [candidate_10(c) for c in found]} for _, found in answers]}
