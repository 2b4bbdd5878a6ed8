"""Stage 4: conflicts between claims, ranked by a curator (``data/curation/conflicts.yaml``).

Every claim keeps its place in its claim graph; a rank says whether it reaches the default
graph. ``preferred`` and ``normal`` claims do, ``deprecated`` ones do not and are linked to the
claims they lose to, with the reason. A claim deprecated by any conflict is deprecated.

A claim that *agrees* with the preferred one (the same fact at a coarser precision: « en 2019 »
for « le 5 février » 2019) is not false, so it is not deprecated: it is ``agreeing``, published
with the normal rank and linked to the claims it agrees with (``mlg:agreesWith``). Its own
statements stay in its claim graph: the preferred claim already states the fact in the default
graph, more precisely, and a second, coarser value (a second date of one change) would break the
shapes that allow one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from maillage.errors import DataError
from maillage.identifiers import IdentifierError, entity_kind, resolve_reference
from maillage.pipeline.claims import Claim
from maillage.yamlfile import line_of, load_nodes, mapping_items, sequence_items, to_python

RANKS = ("preferred", "normal", "agreeing", "deprecated")
RANK_ORDER = {"deprecated": 0, "agreeing": 1, "preferred": 2, "normal": 3}
HELD_OUT = frozenset({"deprecated", "agreeing"})
"""The ranks whose claims' statements do not reach the default graph."""
"""When a claim is ranked by several conflicts, the first of this order wins."""


@dataclass
class Conflict:
    id: str
    topic: dict[str, str]
    reason: dict[str, str]
    rule: str
    claims: dict[str, list[str]] = field(default_factory=dict)
    """rank → claim keys (``001/d113-naissance``)."""
    about: list[URIRef] = field(default_factory=list)
    """The resources the conflict is about (:func:`topics`)."""
    line: int = 0

    def members(self) -> list[tuple[str, str]]:
        return [(rank, key) for rank in RANKS for key in self.claims.get(rank, [])]

    def claim_keys(self) -> list[str]:
        """Each claim once, even if listed under two ranks."""
        return list(dict.fromkeys(key for _rank, key in self.members()))


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
    for needed in ("id", "topic", "reason", "rule", "claims"):  # and, optionally, "about"
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
    members = [claims[key] for key in conflict.claim_keys()]
    conflict.about = topics(members)
    if "about" in fields:  # the curator names what an identity question is about
        conflict.about = _about(path, fields["about"], members)
    return conflict


def _about(path: Path, node, claims: list[Claim]) -> list[URIRef]:
    """The resources a curator says a conflict is about: each named by one of its claims."""
    named = {t for claim in claims for st in claim.statements for t in (st.subject, st.object)}
    about = []
    for item in sequence_items(path, node, "about"):
        try:
            resource = resolve_reference(str(to_python(item)))
        except IdentifierError as error:
            raise DataError(path, line_of(item), str(error)) from None
        if resource not in named:
            raise DataError(path, line_of(item), f"{resource} is named by none of its claims")
        about.append(resource)
    return sorted(about)


def topics(claims: list[Claim]) -> list[URIRef]:
    """What a conflict is about: the resources of ours that at least two of its claims name (as
    subject or value), or, when no two claims share one, those its claims say something about.

    « Which clusters merged into Digital 113 » is then about the merger, Digital 113 and the two
    clusters, not about the sites and towns that one of its claims also mentions."""
    named: Counter[URIRef] = Counter()
    subjects: set[URIRef] = set()
    for claim in claims:
        terms = {t for st in claim.statements for t in (st.subject, st.object)}
        named.update(t for t in terms if isinstance(t, URIRef) and entity_kind(str(t)))
        subjects |= {st.subject for st in claim.statements if entity_kind(str(st.subject))}
    shared = [term for term, count in named.items() if count >= 2]
    return sorted(shared or subjects)


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
    return preferred_over(conflicts, key, "deprecated")


def preferred_over(conflicts: list[Conflict], key: str, rank: str) -> list[tuple[str, Conflict]]:
    """The preferred claims of each conflict that ranks ``key`` as ``rank``: those a deprecated
    claim loses to, or those an agreeing claim agrees with."""
    return [
        (winner, conflict)
        for conflict in conflicts
        if key in conflict.claims.get(rank, [])
        for winner in conflict.claims.get("preferred", [])
    ]
