"""Stage 7: write a release atomically.

Files are written into ``var/releases/.tmp-<id>``, renamed to ``var/releases/<id>`` once complete,
and only then does ``var/current`` switch to it (a symlink replaced with one ``rename``). A build
that fails or is interrupted before the switch leaves the live release as it was.

Each switch to another release is appended to ``var/releases/history.jsonl`` with the time it
went live; past releases stay as they are, and the oldest beyond ``kept`` are removed (never the
live one).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from maillage.errors import DataError
from maillage.layout import CURRENT, MANIFEST, RELEASES_DIR
from maillage.rdfio import write_bytes

HISTORY = "history.jsonl"
"""Beside the releases (``var/releases/``), not in any: one JSON line each time a release goes live
(``{"release": id, "live_from": "…Z"}``), oldest first; never rewritten, only appended to."""


def release_id(files: dict[str, bytes]) -> str:
    """Content address of what the release publishes (each file's name and SHA-256): the same
    files give the same id, and any change to them (of the data, or of the code that builds
    them) a new one, so that an existing release directory is reused only when it holds
    exactly these files."""
    digest = hashlib.sha256()
    for name, entry in entries(files).items():
        digest.update(name.encode() + b"\0" + entry["sha256"].encode() + b"\0")
    return digest.hexdigest()[:16]


def entries(files: dict[str, bytes]) -> dict[str, dict]:
    """Name → size and SHA-256 of each file, sorted by name (the manifest's ``files``)."""
    return {
        name: {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in sorted(files.items())
    }


def manifest(files: dict[str, bytes], release: str) -> bytes:
    return (json.dumps({"release": release, "files": entries(files)}, indent=2) + "\n").encode()


def publish(
    files: dict[str, bytes],
    var_dir: Path,
    release: str,
    index: Callable[[Path], None],
    kept: int | None = None,
) -> Path:
    """Write the files as release ``release`` and make it current; returns its directory.

    ``index`` builds, inside the staging directory, what the server needs besides the files
    (the on-disk store); it is not part of the manifest. ``kept``: how many releases to keep
    (the live one always among them); None keeps every one.
    """
    releases = var_dir / RELEASES_DIR
    releases.mkdir(parents=True, exist_ok=True)
    final = releases / release
    if not final.exists():
        staging = releases / f".tmp-{release}-{os.getpid()}"
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir()
        for name, data in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            write_bytes(staging / name, data)
        write_bytes(staging / MANIFEST, manifest(files, release))
        index(staging)
        staging.replace(final)
    went_live = _live_release(var_dir) != release
    _switch_current(var_dir, final)
    if went_live:
        _record_live(releases, release, datetime.now(UTC))
    if kept is not None:
        prune(var_dir, kept)
    return final


@dataclass(frozen=True)
class Published:
    """A release on disk, with the times it went live (first one first)."""

    release: str
    directory: Path
    live_from: tuple[str, ...]
    live: bool
    switches: tuple[int, ...]
    """The positions of its switches in the history (times may tie within a second)."""


def history(var_dir: Path) -> list[tuple[str, str]]:
    """(release id, time it went live) for each switch, oldest first."""
    path = var_dir / RELEASES_DIR / HISTORY
    if not path.exists():
        return []
    switches = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            record = json.loads(line)
            switches.append((record["release"], record["live_from"]))
        except (ValueError, KeyError, TypeError) as error:
            raise DataError(path, number, f"not a release history line ({error})") from None
    return switches


def releases_on_disk(var_dir: Path) -> list[Published]:
    """Every release directory, in the order they first went live (never-live ones last)."""
    root = var_dir / RELEASES_DIR
    if not root.is_dir():
        return []
    times: dict[str, list[str]] = {}
    switches: dict[str, list[int]] = {}
    for position, (release, when) in enumerate(history(var_dir)):
        times.setdefault(release, []).append(when)
        switches.setdefault(release, []).append(position)
    live = _live_release(var_dir)
    found = [
        Published(
            d.name, d, tuple(times.get(d.name, ())), d.name == live, tuple(switches.get(d.name, ()))
        )
        for d in root.iterdir()
        if d.is_dir() and not d.name.startswith(".")
    ]
    return sorted(found, key=lambda p: (not p.switches, p.switches[:1], p.release))


def prune(var_dir: Path, kept: int) -> list[str]:
    """Remove the releases beyond the ``kept`` most recently live, never the live one; returns
    the ids removed."""
    by_recency = sorted(
        releases_on_disk(var_dir), key=lambda p: (p.live, p.switches[-1:]), reverse=True
    )
    removed = [p for p in by_recency[max(kept, 1) :] if not p.live]
    for published in removed:
        shutil.rmtree(published.directory)
    return [p.release for p in removed]


def _live_release(var_dir: Path) -> str | None:
    link = var_dir / CURRENT
    return link.resolve().name if link.is_symlink() else None


def _record_live(releases: Path, release: str, when: datetime) -> None:
    line = json.dumps({"release": release, "live_from": when.strftime("%Y-%m-%dT%H:%M:%SZ")})
    with (releases / HISTORY).open("a", encoding="utf-8") as history_file:
        history_file.write(line + "\n")


def _switch_current(var_dir: Path, target: Path) -> None:
    link = var_dir / CURRENT
    temporary = var_dir / f".current-{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(target.relative_to(var_dir))
    temporary.replace(link)
