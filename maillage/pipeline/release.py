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
from datetime import UTC, datetime
from pathlib import Path

from maillage.layout import CURRENT, MANIFEST, RELEASES_DIR
from maillage.rdfio import byte_size, sha256_hex, write_bytes
from maillage.releases import HISTORY, format_time, live_release, releases_on_disk


def release_id(files: dict[str, bytes]) -> str:
    """Content address of what the release publishes (each file's name and SHA-256): the same
    files give the same id, and any change to them (of the data, or of the code that builds
    them) a new one, so that an existing release directory is reused only when it holds
    exactly these files. The files that name their own release (``layout.NAMES_ITS_RELEASE``)
    are hashed as written with ``layout.PENDING_RELEASE_ID``, then written again with the id
    (``maillage/build.py``)."""
    digest = hashlib.sha256()
    for name, entry in entries(files).items():
        digest.update(name.encode() + b"\0" + entry["sha256"].encode() + b"\0")
    return digest.hexdigest()[:16]


def entries(files: dict[str, bytes]) -> dict[str, dict]:
    """Name → size and SHA-256 of each file, sorted by name (the manifest's ``files``)."""
    return {
        name: {"bytes": byte_size(data), "sha256": sha256_hex(data)}
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
    went_live = live_release(var_dir) != release
    _switch_current(var_dir, final)
    if went_live:
        _record_live(releases, release, datetime.now(UTC))
    if kept is not None:
        prune(var_dir, kept)
    return final


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


def _record_live(releases: Path, release: str, when: datetime) -> None:
    line = json.dumps({"release": release, "live_from": format_time(when)})
    with (releases / HISTORY).open("a", encoding="utf-8") as history_file:
        history_file.write(line + "\n")


def _switch_current(var_dir: Path, target: Path) -> None:
    link = var_dir / CURRENT
    temporary = var_dir / f".current-{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(target.relative_to(var_dir))
    temporary.replace(link)
