"""What changed between two releases, from their N-Quads dumps (``maillage-all.nq.gz``).

Built for a million quads: the dumps are compared as sets of lines (pyoxigraph writes each quad
as one canonical line, so equal quads are equal lines), holding only the previous release's
lines and, from both, the few things the report names (claims, quotes, labels, conflicts).
Only the lines that differ are parsed as RDF. The release files ``changes.ttl`` and
``changes.md`` and ``maillage diff`` are written from the result (:class:`Changes`).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

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
    GraphCounts,
    changes_quads,
    read_changes,
)
from maillage.layout import ALL_NQUADS, CHANGES_MARKDOWN, CHANGES_TURTLE, CURRENT, release_iri
from maillage.namespaces import MLG, OA, RDF, RDFS, SKOS
from maillage.pipeline.changes_markdown import changes_markdown
from maillage.rdfio import FileOnDisk, serialise, sha256_hex
from maillage.retired import DEPRECATED, REASON, REPLACED_BY, RETIRED_ON

TYPE = f"<{RDF.type}>".encode()
PREF_LABEL = f"<{SKOS.prefLabel}>".encode()
LABEL = f"<{RDFS.label}>".encode()
QUOTE = f"<{MLG.quote}>".encode()
EXACT = f"<{OA.exact}>".encode()
RANK = f"<{MLG.rank}>".encode()
CONFLICT_CLAIM = f"<{MLG.conflictClaim}>".encode()
CLAIM_CLASS = f"<{MLG.Claim}>".encode()
CONFLICT_CLASS = f"<{MLG.Conflict}>".encode()
RETIREMENT = {f"<{iri}>".encode() for iri in (DEPRECATED, REPLACED_BY, RETIRED_ON, REASON)}
"""What a release says of a retired IRI (``maillage/retired.py``): a subject with only these is
no longer described."""


def read_lines(path: Path) -> Iterator[bytes]:
    """The lines of an N-Quads dump, gzipped (``.gz``) or not, without their line ends."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as dump:
        for line in dump:
            line = line.rstrip(b"\r\n")
            if line and not line.startswith(b"#"):
                yield line


def in_default_graph(line: bytes) -> bool:
    """Whether an N-Quads line (subject, predicate, object, optional graph, '.') has no graph.

    IRIs and blank nodes hold no space; a literal's last space-separated piece holds its closing
    quote: so a line is in a named graph when its last term is an IRI or a blank node standing
    alone and the object is not that term."""
    body = line[: line.rindex(b".")].rstrip()
    subject_end = body.index(b" ")
    predicate_end = body.index(b" ", subject_end + 1)
    rest = body[predicate_end + 1 :]
    if rest[:1] != b'"':
        return b" " not in rest
    last = rest[rest.rfind(b" ") + 1 :]
    return b'"' in last


@dataclass
class Facts:
    """What one release's dump says that the report names, beside its lines."""

    base: bytes
    described: set[bytes] = field(default_factory=set)
    """Entity IRIs (``<…>``) the default graph describes (not only retires)."""
    claims: set[bytes] = field(default_factory=set)
    conflicts: set[bytes] = field(default_factory=set)
    labels: dict[bytes, bytes] = field(default_factory=dict)
    """Entity or conflict → the line of its label (skos:prefLabel, rdfs:label; French first)."""
    quote_of: dict[bytes, bytes] = field(default_factory=dict)
    exact: dict[bytes, bytes] = field(default_factory=dict)
    conflict_claims: dict[bytes, list[bytes]] = field(default_factory=dict)
    default_triples: int = 0
    claim_triples: int = 0

    def note(self, line: bytes) -> None:
        subject, predicate, rest = line.split(b" ", 2)
        default = in_default_graph(line)
        if default:
            self.default_triples += 1
        else:
            self.claim_triples += 1
            return
        ids = self.base
        if predicate == TYPE:
            if rest.startswith(CLAIM_CLASS):
                self.claims.add(subject)
            elif rest.startswith(CONFLICT_CLASS):
                self.conflicts.add(subject)
        elif predicate == QUOTE:
            self.quote_of[subject] = rest.split(b" ", 1)[0]
        elif predicate == EXACT and subject.startswith(ids + b"claim/"):
            self.exact[subject] = line
        elif predicate == CONFLICT_CLAIM:
            self.conflict_claims.setdefault(subject, []).append(rest.split(b" ", 1)[0])
        elif predicate in (PREF_LABEL, LABEL) and self.better_label(subject, rest):
            self.labels[subject] = line
        if predicate not in RETIREMENT and _entity_token(ids, subject):
            self.described.add(subject)

    def better_label(self, subject: bytes, rest: bytes) -> bool:
        """A label of an entity or conflict, the first one or a French one."""
        if not _labelled(self.base, subject):
            return False
        return subject not in self.labels or rest.endswith(b'"@fr .')

    def quote(self, claim: str) -> str | None:
        node = self.quote_of.get(f"<{claim}>".encode())
        line = self.exact.get(node) if node else None
        return _object_value(line) if line else None

    def label(self, iri: str) -> str:
        line = self.labels.get(f"<{iri}>".encode())
        return _object_value(line) if line else ""


def _entity_token(ids: bytes, subject: bytes) -> bool:
    return (
        subject.startswith(ids)
        and b"#" not in subject
        and not subject.startswith(ids + b"claim/")
        and not subject.startswith(ids + b"conflict/")
    )


def _labelled(ids: bytes, subject: bytes) -> bool:
    return _entity_token(ids, subject) or subject.startswith(ids + b"conflict/")


def _object_value(line: bytes) -> str:
    quad = next(iter(ox.parse(line + b"\n", format=ox.RdfFormat.N_QUADS)))
    return quad.object.value


def diff_dumps(previous: Path | None, current: Path, base: str) -> Changes:
    """The changes from the release whose dump is ``previous`` (None: no predecessor) to the
    one whose dump is ``current``; ``base`` is the releases' base IRI."""
    before = read_lines(previous) if previous is not None else None
    return diff_lines(before, read_lines(current), base)


def diff_lines(previous: Iterable[bytes] | None, current: Iterable[bytes], base: str) -> Changes:
    """:func:`diff_dumps` on the dumps' lines."""
    ids = f"<{base}id/".encode()
    before, after = Facts(ids), Facts(ids)
    lines: set[bytes] = set()
    for line in previous or ():
        lines.add(line)
        before.note(line)
    added: list[bytes] = []  # with no previous release every line is new: none is kept
    for line in current:
        after.note(line)
        if line in lines:
            lines.discard(line)
        elif previous is not None:
            added.append(line)
    counts = (GraphCounts(0, 0, after.default_triples), GraphCounts(0, 0, after.claim_triples))
    if previous is None:
        return Changes(None, *counts)
    return compare(before, after, _parsed(lines), _parsed(added), base)


def diff_releases(previous: Path | None, current: Path, base: str) -> Changes:
    """The changes between two release directories (their ``maillage-all.nq.gz``)."""
    dump = previous / ALL_NQUADS if previous is not None else None
    changes = diff_dumps(dump, current / ALL_NQUADS, base)
    changes.previous = previous.name if previous is not None else None
    return changes


def changes_since_live(var_dir: Path, dump: bytes | FileOnDisk, base: str) -> Changes:
    """The changes of the release being built (``dump``: its ``maillage-all.nq.gz``, held or
    on disk) since the live one. When the live release holds the same data (a rebuild), its own
    changes, so that the same inputs give the same files (and the same release)."""
    live = var_dir / CURRENT
    if not (live / ALL_NQUADS).is_file():
        return diff_lines(None, _lines(dump), base)
    live_id = live.resolve().name
    same = FileOnDisk.of(live / ALL_NQUADS).sha256 == sha256_hex(dump)
    if same and (live / CHANGES_TURTLE).is_file():
        return read_changes((live / CHANGES_TURTLE).read_bytes(), release_iri(base, live_id))
    changes = diff_lines(read_lines(live / ALL_NQUADS), _lines(dump), base)
    changes.previous = live_id
    return changes


def changes_files(changes: Changes, release: str, base: str) -> dict[str, bytes]:
    """``changes.ttl`` and ``changes.md`` of release ``release``."""
    previous = release_iri(base, changes.previous) if changes.previous else None
    found = changes_quads(changes, release_iri(base, release), previous, base)
    return {
        CHANGES_TURTLE: serialise(found, ox.RdfFormat.TURTLE, base),
        CHANGES_MARKDOWN: changes_markdown(changes, release, base).encode(),
    }


def _lines(gzipped_dump: bytes | FileOnDisk) -> Iterator[bytes]:
    if isinstance(gzipped_dump, FileOnDisk):
        yield from read_lines(gzipped_dump.path)
        return
    for line in gzip.decompress(gzipped_dump).split(b"\n"):
        if line and not line.startswith(b"#"):
            yield line


def _parsed(lines: Iterable[bytes]) -> list[ox.Quad]:
    data = b"\n".join(sorted(lines)) + b"\n"
    return list(ox.parse(data, format=ox.RdfFormat.N_QUADS))


def compare(
    before: Facts, after: Facts, removed: list[ox.Quad], added: list[ox.Quad], base: str
) -> Changes:
    """Changes from the quads only one side has, and what each side says of claims, labels,
    quotes and conflicts."""
    diff = _Diff(base)
    diff.take(removed, "-")
    diff.take(added, "+")
    claims = _claim_changes(diff, before, after)
    return Changes(
        previous="",
        default_graph=GraphCounts(
            diff.default_counts["+"], diff.default_counts["-"], after.default_triples
        ),
        claim_graphs=GraphCounts(
            sum(n["+"] for n in diff.graph_counts.values()),
            sum(n["-"] for n in diff.graph_counts.values()),
            after.claim_triples,
        ),
        entities=_entity_changes(diff, before, after, claims),
        claims=sorted(claims.values(), key=lambda c: c.claim),
        conflicts=_conflict_changes(diff, before, after),
    )


class _Diff:
    """The differing quads, sorted by what they touch."""

    def __init__(self, base: str) -> None:
        self.ids = base + "id/"
        self.default_counts = {"+": 0, "-": 0}
        self.graph_counts: dict[str, dict[str, int]] = {}
        self.properties: dict[str, set[str]] = {}
        self.entity_claims: dict[str, set[str]] = {}
        self.claim_subjects: dict[str, set[str]] = {}
        """Claim → subjects of its description in the default graph that changed."""
        self.ranks: dict[str, dict[str, str]] = {}
        self.replaced_by: dict[str, str] = {}
        self.conflict_subjects: set[str] = set()

    def take(self, quads: list[ox.Quad], sign: str) -> None:
        for quad in quads:
            subject = quad.subject.value if isinstance(quad.subject, ox.NamedNode) else ""
            entity = self.entity_of(subject)
            if isinstance(quad.graph_name, ox.DefaultGraph):
                self.default_counts[sign] += 1
                self.default_quad(quad, subject, entity, sign)
            else:
                graph = quad.graph_name.value
                self.graph_counts.setdefault(graph, {"+": 0, "-": 0})[sign] += 1
                if entity:
                    self.entity_claims.setdefault(entity, set()).add(graph)

    def default_quad(self, quad: ox.Quad, subject: str, entity: str | None, sign: str) -> None:
        predicate = quad.predicate.value
        if entity:
            if predicate == REPLACED_BY and sign == "+":
                self.replaced_by[entity] = quad.object.value
            self.properties.setdefault(entity, set()).add(predicate)
        elif subject.startswith(self.ids + "claim/"):
            self.claim_subjects.setdefault(subject, set()).add(predicate)
            if predicate == str(MLG.rank):
                self.ranks.setdefault(subject, {})[sign] = quad.object.value
        elif subject.startswith(self.ids + "conflict/"):
            self.conflict_subjects.add(subject)

    def entity_of(self, subject: str) -> str | None:
        """The entity a subject is or belongs to (``id/org/x#lifespan`` → ``id/org/x``)."""
        iri = subject.split("#", 1)[0]
        local = iri[len(self.ids) :]
        if not iri.startswith(self.ids) or local.startswith(("claim/", "conflict/")):
            return None
        return iri


def _claim_changes(diff: _Diff, before: Facts, after: Facts) -> dict[str, ClaimChange]:
    old, new = _iris(before.claims), _iris(after.claims)
    touched = set(diff.graph_counts) | {
        claim for claim in old | new for claim in [claim] if _claim_touched(diff, claim)
    }
    changes = {}
    for claim in sorted(touched | (old ^ new)):
        kind = ADDED if claim not in old else REMOVED if claim not in new else CHANGED
        counts = diff.graph_counts.get(claim, {"+": 0, "-": 0})
        quote = (before if kind == REMOVED else after).quote(claim) or ""
        earlier = before.quote(claim) if kind == CHANGED else None
        ranks = diff.ranks.get(claim, {}) if kind == CHANGED else {}
        changes[claim] = ClaimChange(
            claim=claim,
            kind=kind,
            quote=quote,
            previous_quote=earlier if earlier is not None and earlier != quote else None,
            triples_added=counts["+"],
            triples_removed=counts["-"],
            rank=ranks.get("+"),
            previous_rank=ranks.get("-"),
        )
    return changes


def _claim_touched(diff: _Diff, claim: str) -> bool:
    """Whether the claim's description (itself, its quote, its annotation…) changed."""
    return claim in diff.claim_subjects or any(
        subject.startswith(claim + "/") for subject in diff.claim_subjects
    )


def _entity_changes(
    diff: _Diff, before: Facts, after: Facts, claims: dict[str, ClaimChange]
) -> list[EntityChange]:
    old, new = _iris(before.described), _iris(after.described)
    touched = (set(diff.properties) | set(diff.entity_claims)) & (old | new)
    changes = []
    for entity in sorted(touched | (old ^ new)):
        kind = ADDED if entity not in old else REMOVED if entity not in new else CHANGED
        changes.append(
            EntityChange(
                entity=entity,
                kind=kind,
                label=(before if kind == REMOVED else after).label(entity),
                properties=tuple(sorted(diff.properties.get(entity, ())))
                if kind == CHANGED
                else (),
                claims=tuple(sorted(c for c in diff.entity_claims.get(entity, ()) if c in claims)),
                replaced_by=diff.replaced_by.get(entity) if kind == REMOVED else None,
            )
        )
    return changes


def _conflict_changes(diff: _Diff, before: Facts, after: Facts) -> list[ConflictChange]:
    old, new = before.conflicts, after.conflicts
    changes = []
    for token in sorted(old | new):
        conflict = token[1:-1].decode()
        claims_then = before.conflict_claims.get(token, [])
        claims_now = after.conflict_claims.get(token, [])
        if token not in old:
            kind, claims = OPENED, claims_now
        elif token not in new:
            kind, claims = CLOSED, claims_then
        else:
            claims = [c for c in claims_now if c[1:-1].decode() in diff.ranks]
            kind = RERANKED if claims else CHANGED
            if not claims and not _conflict_touched(diff, conflict):
                continue
        facts = before if kind == CLOSED else after
        changes.append(
            ConflictChange(
                conflict=conflict,
                kind=kind,
                label=facts.label(conflict),
                claims=tuple(sorted(c[1:-1].decode() for c in claims)),
            )
        )
    return changes


def _conflict_touched(diff: _Diff, conflict: str) -> bool:
    return conflict in diff.conflict_subjects


def _iris(tokens: set[bytes]) -> set[str]:
    return {token[1:-1].decode() for token in tokens}
