"""Stage 4: conflicts between claims, ranked by a curator (``data/curation/conflicts.yaml``).

Every claim keeps its place in its claim graph; a rank says whether it reaches the default
graph. ``preferred`` and ``normal`` claims do, ``deprecated`` ones do not and are linked to the
claims they lose to, with the reason. A claim deprecated by any conflict is deprecated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from maillage.errors import DataError
from maillage.pipeline.claims import Claim
from maillage.yamlfile import line_of, load_nodes, mapping_items, sequence_items, to_python

RANKS = ("preferred", "normal", "deprecated")
RANK_ORDER = {"deprecated": 0, "preferred": 1, "normal": 2}
"""When a claim is ranked by several conflicts, the first of this order wins."""


@dataclass
class Conflict:
    id: str
    topic: dict[str, str]
    reason: dict[str, str]
    rule: str
    claims: dict[str, list[str]] = field(default_factory=dict)
    """rank → claim keys (``001/d113-naissance``)."""
    line: int = 0

    def members(self) -> list[tuple[str, str]]:
        return [(rank, key) for rank in RANKS for key in self.claims.get(rank, [])]


def load_conflicts(path: Path, claims: dict[str, Claim]) -> list[Conflict]:
    if not path.exists():
        return []
    root = load_nodes(path)
    top = dict(mapping_items(path, root, "conflicts file"))
    conflicts = []
    for node in sequence_items(path, top.get("conflicts", root), "conflicts"):
        conflicts.append(_conflict(path, node, claims))
    return conflicts


def _conflict(path: Path, node, claims: dict[str, Claim]) -> Conflict:
    fields = dict(mapping_items(path, node, "a conflict"))
    for needed in ("id", "topic", "reason", "rule", "claims"):
        if needed not in fields:
            raise DataError(path, line_of(node), f"a conflict needs '{needed}'")
    conflict = Conflict(
        id=to_python(fields["id"]),
        topic=_bilingual(path, fields["topic"], "topic"),
        reason=_bilingual(path, fields["reason"], "reason"),
        rule=to_python(fields["rule"]),
        line=line_of(node),
    )
    for rank, keys_node in mapping_items(path, fields["claims"], "claims"):
        if rank not in RANKS:
            raise DataError(path, line_of(keys_node), f"unknown rank {rank!r} (expected {RANKS})")
        keys = []
        for key_node in sequence_items(path, keys_node, rank):
            key = to_python(key_node)
            if key not in claims:
                raise DataError(path, line_of(key_node), f"no claim {key!r} (write NNN/claim-id)")
            keys.append(key)
        conflict.claims[rank] = keys
    if len(conflict.members()) < 2:
        raise DataError(path, conflict.line, "a conflict involves at least two claims")
    return conflict


def _bilingual(path: Path, node, what: str) -> dict[str, str]:
    value = to_python(node)
    if not isinstance(value, dict) or set(value) != {"fr", "en"}:
        raise DataError(path, line_of(node), f"{what} must give both fr and en")
    return value


def claim_ranks(conflicts: list[Conflict]) -> dict[str, str]:
    """The rank of every claim named by a conflict (the others are normal)."""
    ranks: dict[str, str] = {}
    for conflict in conflicts:
        for rank, key in conflict.members():
            current = ranks.get(key)
            if current is None or RANK_ORDER[rank] < RANK_ORDER[current]:
                ranks[key] = rank
    return ranks


def winners_over(conflicts: list[Conflict], key: str) -> list[tuple[str, Conflict]]:
    """The claims a deprecated claim loses to, with the conflict that says so."""
    return [
        (winner, conflict)
        for conflict in conflicts
        if key in conflict.claims.get("deprecated", [])
        for winner in conflict.claims.get("preferred", [])
    ]
