"""Two releases over time, built by the real build from copies of the repository's inputs: A, in
which NXU is described twice (a duplicate, as curation makes them), then B, in which the
duplicate is merged into ``org/nxu`` (with its record in ``redirects.yaml``) and one claim
changed (NXU's kind). The times the history records are set to fixed dates, so that tests can
ask what was live when.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from release_queries import copy_inputs

from maillage.build import build_release
from maillage.layout import RELEASES_DIR
from maillage.releases import HISTORY, format_time, history
from maillage.settings import Settings

BASE = "https://w3id.org/maillage/"
CLAIMS = "data/claims/004.yaml"
CLAIM = "luc-marta-de-andrade-nxu"
NXU = """      org/nxu:
        a: org:Organization
        skos:prefLabel: {fr: "NXU"}
        skos:altLabel: {en: "Next Humanity"}
        org:classification: kind:think-tank
"""
DUPLICATE = """      org/next-humanity:
        a: org:Organization
        skos:prefLabel: {fr: "Next Humanity"}
        org:classification: kind:think-tank
"""
MERGED = """  - iri: org/next-humanity
    replaced_by: org/nxu
    date: 2026-02-20
    reason: >-
      NXU and « Next Humanity » are one think tank (« du think tank NXU (Next Humanity) »,
      document 004): the second IRI was a duplicate.
"""
A_LIVE_FROM = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
B_LIVE_FROM = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class History:
    settings: Settings
    """The settings of the copied inputs, with their own ``var_dir`` (B is live)."""
    a: str
    b: str
    duplicate: str = BASE + "id/org/next-humanity"
    survivor: str = BASE + "id/org/nxu"
    changed_claim: str = BASE + f"id/claim/004/{CLAIM}"
    a_live_from: datetime = A_LIVE_FROM
    b_live_from: datetime = B_LIVE_FROM


def edit(root: Path, name: str, old: str, new: str) -> None:
    """Replace ``old`` (which must be there once) by ``new`` in the input file ``name``."""
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {path} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def with_duplicate(root: Path) -> None:
    """A's inputs: NXU also described as ``org/next-humanity``."""
    edit(root, CLAIMS, NXU, NXU + DUPLICATE)


def merged(root: Path) -> None:
    """B's inputs: the duplicate gone, retired as replaced by ``org/nxu``, and NXU's kind
    changed in the same claim."""
    edit(root, CLAIMS, NXU + DUPLICATE, NXU.replace("kind:think-tank", "kind:association"))
    edit(root, "data/curation/redirects.yaml", "retired:\n", "retired:\n" + MERGED)


def set_times(var_dir: Path, times: list[datetime]) -> None:
    """Rewrite the history's times (one per switch, in order), as if each switch had happened
    then: the releases are built within seconds, the tests ask about months."""
    path = var_dir / RELEASES_DIR / HISTORY
    switches = history(var_dir)
    assert len(switches) == len(times), (switches, times)
    lines = [
        json.dumps({"release": release, "live_from": format_time(when)})
        for (release, _), when in zip(switches, times, strict=True)
    ]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def build_history(root: Path) -> History:
    """Copy the inputs under ``root``, build A, merge the duplicate, build B."""
    checkout = copy_inputs(root / "checkout")
    settings = Settings(root=checkout, var_dir=root / "var")
    with_duplicate(checkout)
    _build, a = build_release(settings)
    merged(checkout)
    _build, b = build_release(settings)
    set_times(settings.var_dir, [A_LIVE_FROM, B_LIVE_FROM])
    return History(settings, a.name, b.name)
