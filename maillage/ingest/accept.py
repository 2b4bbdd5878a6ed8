"""``maillage accept NNN ID…``: the proposed claims a curator accepts, moved unchanged from
``data/proposals/NNN.yaml`` into ``data/claims/NNN.yaml``.

Only the claim-file fields move (``Proposal.as_claim``: ``id``, ``quote``, ``says``, ``inferred``,
``note``, ``as_of``); the kind, offsets, score and pattern stay behind with the proposals that are
left. The claim file is created with its ``document:`` header when there is none; a hand-written
one is appended to, never rewritten, so its comments and layout survive: the new text is the old
text plus the accepted claims, and it must read back as the old claims followed by the accepted
ones (otherwise, say a file whose ``claims:`` list is not its last entry, nothing is written).

Everything is checked before anything is written: an id that is not proposed, an id given twice
and an id the claim file already has are refused in one sentence. Then each file is written beside
itself and renamed into place (a reader sees the old file or the new one): the claim file first,
then the proposals without the accepted claims.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from maillage.ingest.proposals import (
    Proposal,
    Proposals,
    as_records,
    dump_yaml,
    proposals_path,
    read_proposals,
    write_atomically,
)
from maillage.pipeline.claims import LANGUAGES
from maillage.reference import in_reference, named_in

CLAIMS_DIR = "claims"
"""Under the data directory: ``data/claims/NNN.yaml``."""
TERRITORIES = "reference/territories.ttl"
"""Under the data directory: the territories a claim may name."""


class AcceptError(Exception):
    """A claim that cannot be accepted: one sentence saying which and why."""


@dataclass(frozen=True)
class Accepted:
    ids: tuple[str, ...]
    claims_file: Path
    created: bool
    """True when the claim file did not exist before."""
    proposals_file: Path
    remaining: int
    """Proposed claims left in the proposals file."""
    territories_to_add: tuple[str, ...] = ()
    """Communes or départements the accepted claims name that ``data/reference/territories.ttl``
    does not hold yet (``commune/30007``): ``make territories`` adds them, before the build."""


def claims_path(data_dir: Path, doc_id: str) -> Path:
    return data_dir / CLAIMS_DIR / f"{doc_id}.yaml"


def accept(data_dir: Path, doc_id: str, ids: Sequence[str]) -> Accepted:
    """Move the proposed claims ``ids`` of document ``doc_id`` into its claim file; the errors
    name the files from the repository's root (``data/claims/005.yaml``)."""
    proposals = _proposals(data_dir, doc_id)
    target = claims_path(data_dir, doc_id)
    existing = _existing_claims(target, _named(data_dir, target), doc_id)
    already = [i for i in ids if i in {claim.get("id") for claim in existing}]
    if already:
        raise AcceptError(
            f"{_listed(already)} already in {_named(data_dir, target)}: nothing written (a claim "
            f"is accepted once)."
        )
    chosen = _chosen(proposals, ids, _named(data_dir, proposals_path(data_dir, doc_id)))
    old_text = target.read_text(encoding="utf-8") if target.is_file() else None
    new_text = claims_text(old_text, doc_id, [c.as_claim() for c in chosen])
    _require_appended(_named(data_dir, target), new_text, existing, chosen)
    moved = {c.id for c in chosen}
    left = replace(proposals, claims=[c for c in proposals.claims if c.id not in moved])
    source = proposals_path(data_dir, doc_id)
    write_atomically(target, new_text)  # the claim file first: if the second write failed,
    write_atomically(source, dump_yaml(as_records(left)))  # accepting again says it is in
    named = named_in(claims_text(None, doc_id, [c.as_claim() for c in chosen]))
    missing = tuple(sorted(named - in_reference(data_dir / TERRITORIES)))
    return Accepted(
        tuple(c.id for c in chosen), target, old_text is None, source, len(left.claims), missing
    )


def accepted_claims(path: Path) -> list[dict[str, Any]]:
    """The claims of the claim file ``path`` (``data/claims/NNN.yaml``), if there is one."""
    return _existing_claims(path, path, path.stem)


def _named(data_dir: Path, path: Path) -> Path:
    return path.relative_to(data_dir.parent)


def _proposals(data_dir: Path, doc_id: str) -> Proposals:
    path = proposals_path(data_dir, doc_id)
    if not path.is_file():
        raise AcceptError(
            f"there are no proposals for document {doc_id} ({_named(data_dir, path)} does not "
            f"exist): "
            f"`maillage propose {doc_id}` writes them."
        )
    return read_proposals(data_dir, doc_id)


def _chosen(proposals: Proposals, ids: Sequence[str], path: Path) -> list[Proposal]:
    twice = sorted({i for i in ids if list(ids).count(i) > 1})
    if twice:
        raise AcceptError(f"{_listed(twice)} given twice: nothing written.")
    unknown = [i for i in ids if proposals.claim(i) is None]
    if unknown:
        proposed = ", ".join(c.id for c in proposals.claims)
        left = f"its claims: {proposed}" if proposed else "it proposes none left"
        raise AcceptError(
            f"{path} proposes no claim {' nor '.join(repr(i) for i in unknown)}: nothing written "
            f"({left})."
        )
    return [proposals.claim(i) for i in ids]


def _listed(ids: Sequence[str]) -> str:
    names = ", ".join(repr(i) for i in ids)
    return f"claim {names} is" if len(ids) == 1 else f"claims {names} are"


def _existing_claims(path: Path, name: Path, doc_id: str) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    try:
        top = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise AcceptError(f"{name} is not valid YAML ({_where(error)}): nothing written.") from None
    if not isinstance(top, dict) or str(top.get("document")) != doc_id:
        raise AcceptError(
            f'{path} is not the claim file of document {doc_id} (no `document: "{doc_id}"` '
            f"at its top): nothing written."
        )
    claims = top.get("claims") or []
    if not isinstance(claims, list):
        raise AcceptError(f"{name}: its `claims:` is not a list: nothing written.")
    return claims


def _where(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    return f"line {mark.line + 1}" if mark is not None else str(error)


def claims_text(old_text: str | None, doc_id: str, claims: list[dict[str, Any]]) -> str:
    """The claim file with ``claims`` added at its end: the old text kept byte for byte."""
    items = _indented(yaml.dump(_marked(claims), Dumper=ClaimDumper, **DUMP_OPTIONS))
    if old_text is None:
        return f'document: "{doc_id}"\nclaims:\n{items}'
    if old_text.rstrip().endswith("claims:"):  # a header with an empty list
        return old_text.rstrip() + "\n" + items
    return old_text.rstrip("\n") + "\n\n" + items


def _indented(text: str) -> str:
    return "".join(f"  {line}" if line.strip() else line for line in text.splitlines(True))


def _require_appended(
    path: Path, new_text: str, existing: list[dict[str, Any]], chosen: list[Proposal]
) -> None:
    """The appended text must read as the old claims then the accepted ones, else refuse."""
    try:
        claims = (yaml.safe_load(new_text) or {}).get("claims")
    except yaml.YAMLError:
        claims = None
    expected = yaml.safe_load(yaml.safe_dump([*existing, *(c.as_claim() for c in chosen)]))
    if claims != expected:
        raise AcceptError(
            f"{path} cannot be appended to (its `claims:` list is not the last thing in it, or "
            f"is written inline): move the list to the end of the file, nothing written."
        )


class ClaimDumper(yaml.SafeDumper):
    """Claims written as curators write them: texts in double quotes, values inline
    (``{fr: "Jean Dupont"}``, ``{int: 120}``, ``[a, b]``), everything else in blocks, keys in
    their order."""


class Text(str):
    """Words (a quote, a note, a label): double-quoted, as curators write them."""


TEXT_KEYS = frozenset({"quote", "inferred", "note", "text", *LANGUAGES})
"""The claim fields and the value kinds (``{fr: …}``, ``{text: …}``) whose strings are words;
references (``org/kaliop``, ``role:president``) stay plain."""


def _marked(value: Any, key: str | None = None) -> Any:
    """``value`` with the strings under ``TEXT_KEYS`` marked as ``Text``."""
    if isinstance(value, dict):
        return {k: _marked(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_marked(v, key) for v in value]
    return Text(value) if isinstance(value, str) and key in TEXT_KEYS else value


def _represent_text(dumper: yaml.SafeDumper, text: Text) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(text), style='"')


def _is_scalar(value: object) -> bool:
    return not isinstance(value, dict | list)


def _represent_mapping(dumper: yaml.SafeDumper, mapping: dict) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", mapping, flow_style=_is_value(mapping))


def _represent_list(dumper: yaml.SafeDumper, items: list) -> yaml.SequenceNode:
    values = bool(items) and all(_is_scalar(i) or _is_value(i) for i in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=values)


def _is_value(item: object) -> bool:
    """A literal in the claim-file syntax: ``{fr: …}``, ``{int: …}``, ``{date: …}``… (its one key
    is a value kind, never a property such as ``a`` or ``org:member``)."""
    if not isinstance(item, dict) or len(item) != 1:
        return False
    ((key, value),) = item.items()
    return ":" not in key and key != "a" and _is_scalar(value)


ClaimDumper.add_representer(Text, _represent_text)
ClaimDumper.add_representer(dict, _represent_mapping)
ClaimDumper.add_representer(list, _represent_list)
DUMP_OPTIONS = {"allow_unicode": True, "sort_keys": False, "width": 100_000}
