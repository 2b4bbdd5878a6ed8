"""The data changelog for people (``changes.md``, and what ``maillage diff`` prints): what changed
in a release since its predecessor. Its RDF twin is ``changes.ttl`` (``maillage/changelog.py``)."""

from __future__ import annotations

from maillage.changelog import (
    ADDED,
    CHANGED,
    CLOSED,
    OPENED,
    REMOVED,
    RERANKED,
    Changes,
    ClaimChange,
    ConflictChange,
    EntityChange,
)
from maillage.namespaces import curie

TITLES = {ADDED: "added", REMOVED: "removed", CHANGED: "changed"}
CONFLICT_TITLES = {
    OPENED: "opened",
    CLOSED: "closed",
    RERANKED: "re-ranked",
    CHANGED: "changed",
}


def changes_markdown(changes: Changes, release: str, base: str) -> str:
    """The changelog of release ``release`` (its id), IRIs under ``base``."""
    lines = [f"# Changes in release {release}", ""]
    if changes.previous is None:
        counts = changes.default_graph.triples, changes.claim_graphs.triples
        lines += [
            "The first release: there is no earlier release to compare it with. It holds "
            f"{counts[0]} triples in its default graph and {counts[1]} in its claim graphs.",
        ]
        return "\n".join(lines) + "\n"
    lines += [
        f"Compared with release {changes.previous}.",
        "",
        *summary(changes),
    ]
    for kind in (REMOVED, ADDED, CHANGED):
        found = changes.entities_of(kind)
        if found:
            lines += ["", f"## Entities {TITLES[kind]}", ""]
            lines += [entity_line(e, base) for e in found]
    for kind in (REMOVED, ADDED, CHANGED):
        found = changes.claims_of(kind)
        if found:
            lines += ["", f"## Claims {TITLES[kind]}", ""]
            lines += [claim_line(c, base) for c in found]
    if changes.conflicts:
        lines += ["", "## Conflicts", ""]
        lines += [conflict_line(c, base) for c in changes.conflicts]
    return "\n".join(lines) + "\n"


def summary(changes: Changes) -> list[str]:
    """The counts: entities and claims added, removed, changed; conflicts; triples per graph."""
    counts = changes.counts()
    conflicts = ", ".join(
        f"{counts[f'conflicts_{kind}']} {title}" for kind, title in CONFLICT_TITLES.items()
    )
    default, claims = changes.default_graph, changes.claim_graphs
    graphs = sum(1 for c in changes.claims if c.triples_added or c.triples_removed)
    return [
        "| | added | removed | changed |",
        "| --- | --- | --- | --- |",
        *(
            f"| {what} | {counts[f'{what}_added']} | {counts[f'{what}_removed']} "
            f"| {counts[f'{what}_changed']} |"
            for what in ("entities", "claims")
        ),
        "",
        f"Conflicts: {conflicts}.",
        "",
        f"Triples: default graph +{default.added} −{default.removed} ({default.triples} now); "
        f"claim graphs +{claims.added} −{claims.removed} in {graphs} graph(s) "
        f"({claims.triples} now).",
    ]


def entity_line(change: EntityChange, base: str) -> str:
    text = f"- {link(change.entity, base)}"
    if change.label:
        text += f" « {change.label} »"
    details = []
    if change.replaced_by:
        details.append(f"replaced by {link(change.replaced_by, base)}")
    if change.properties:
        details.append("properties " + ", ".join(f"`{curie(p)}`" for p in change.properties))
    if change.claims:
        details.append("claims " + ", ".join(link(c, base) for c in change.claims))
    return text + (": " + "; ".join(details) if details else "")


def claim_line(change: ClaimChange, base: str) -> str:
    text = f"- {link(change.claim, base)}"
    if change.triples_added or change.triples_removed:
        text += f" (its graph +{change.triples_added} −{change.triples_removed})"
    text += f": « {change.quote} »"
    if change.previous_quote is not None:
        text += f" (was « {change.previous_quote} »)"
    if change.rank or change.previous_rank:
        text += f"; rank {_rank(change.previous_rank)} → {_rank(change.rank)}"
    return text


def conflict_line(change: ConflictChange, base: str) -> str:
    text = f"- {CONFLICT_TITLES[change.kind]}: {link(change.conflict, base)}"
    if change.label:
        text += f" « {change.label} »"
    if change.claims:
        text += ": claims " + ", ".join(link(c, base) for c in change.claims)
    return text


def link(iri: str, base: str) -> str:
    """``[org/nxu](https://…/id/org/nxu)``; claims as ``[004/claim-id](…)``."""
    ids = base + "id/"
    shown = iri[len(ids) :] if iri.startswith(ids) else iri
    shown = shown.removeprefix("claim/")
    return f"[{shown}]({iri})"


def _rank(iri: str | None) -> str:
    if not iri:
        return "none"
    return iri.rsplit("/", 1)[-1].removesuffix("Rank").lower()
