"""The releases kept on disk and when each went live, read by the pipeline (to prune and to
compare) and by the server (``/releases``, the catalogue series, Memento).

``var/releases/<id>/`` holds each release, immutable once written; ``var/releases/history.jsonl``
records each switch of the live release with its UTC time, oldest first, only ever appended to.
An :class:`Archive` is a snapshot of both, taken once (the server takes it when it starts, as it
resolves the live release then).
"""

from __future__ import annotations

import bisect
import json
import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from maillage.errors import DataError
from maillage.layout import CURRENT, MANIFEST, RELEASES_DIR
from maillage.release_reader import ReleaseReader

HISTORY = "history.jsonl"
"""Beside the releases (``var/releases/``), not in any: one JSON line each time a release goes live
(``{"release": id, "live_from": "…Z"}``), oldest first; never rewritten, only appended to."""
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
"""How the history writes a time: UTC, to the second."""


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


def parse_time(text: str) -> datetime:
    """A history time (``2026-03-01T09:00:00Z``) as an aware UTC datetime."""
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=UTC)


def format_time(when: datetime) -> str:
    return when.astimezone(UTC).strftime(TIME_FORMAT)


def release_of(directory: Path) -> str:
    """The id of the release in ``directory``, from its manifest (a copy may be named anyhow)."""
    return json.loads((directory / MANIFEST).read_text(encoding="utf-8"))["release"]


def live_release(var_dir: Path) -> str | None:
    """The id of the live release (where ``var/current`` points), or None before the first."""
    link = var_dir / CURRENT
    return link.resolve().name if link.is_symlink() else None


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
    live = live_release(var_dir)
    found = [
        Published(
            d.name, d, tuple(times.get(d.name, ())), d.name == live, tuple(switches.get(d.name, ()))
        )
        for d in root.iterdir()
        if d.is_dir() and not d.name.startswith(".")
    ]
    return sorted(found, key=lambda p: (not p.switches, p.switches[:1], p.release))


class Archive:
    """The releases kept and their history, as they were when this object was made.

    ``served``: the live release when it is not ``var_dir/current`` (``maillage serve --release
    DIR``: a copy of a release anywhere, listed with no history unless it is one of
    ``var_dir``'s). ``live_reader``: the reader the caller already holds on the live release
    (the server's), so that it is not opened twice; the others are opened on first use and kept.
    """

    def __init__(
        self,
        var_dir: Path,
        base: str,
        live_reader: ReleaseReader | None = None,
        served: Path | None = None,
    ) -> None:
        self.var_dir = var_dir
        self.base = base
        self.releases: list[Published] = [
            replace(p, live=p.directory.resolve() == served.resolve()) if served else p
            for p in releases_on_disk(var_dir)
            if p.switches
        ]
        if served is not None and not any(p.live for p in self.releases):
            self.releases.append(Published(release_of(served), served, (), True, ()))
        self._by_id = {p.release: p for p in self.releases}
        kept = [(parse_time(when), release) for release, when in history(var_dir)]
        self.switches: list[tuple[datetime, str]] = [s for s in kept if s[1] in self._by_id]
        """(time, release id) of each switch to a release still on disk, oldest first."""
        self._readers: dict[str, ReleaseReader] = {}
        if live_reader is not None and self.live is not None:
            self._readers[self.live.release] = live_reader
        self._lock = threading.Lock()

    @property
    def live(self) -> Published | None:
        return next((p for p in self.releases if p.live), None)

    def get(self, release: str) -> Published | None:
        return self._by_id.get(release)

    def went_live(self, release: str) -> datetime | None:
        """When the release first went live (UTC)."""
        published = self._by_id.get(release)
        return parse_time(published.live_from[0]) if published and published.live_from else None

    def live_at(self, when: datetime) -> Published | None:
        """The release live at ``when``: the last switch at or before it; before the first
        switch, the first release (RFC 7089, 4.5.3: the first memento answers earlier dates).
        With no history (a release served from elsewhere), the live one."""
        if not self.switches:
            return self.live
        times = [time for time, _release in self.switches]
        position = bisect.bisect_right(times, when) - 1
        return self._by_id[self.switches[max(position, 0)][1]]

    def previous(self, release: str) -> Published | None:
        return self._neighbour(release, -1)

    def next(self, release: str) -> Published | None:
        return self._neighbour(release, +1)

    def _neighbour(self, release: str, step: int) -> Published | None:
        ids = [p.release for p in self.releases]
        if release not in ids:
            return None
        position = ids.index(release) + step
        return self.releases[position] if 0 <= position < len(ids) else None

    def reader(self, release: str) -> ReleaseReader:
        """A reader on a kept release, opened once; KeyError for a release not kept."""
        published = self._by_id[release]
        with self._lock:
            if release not in self._readers:
                self._readers[release] = ReleaseReader(published.directory, self.base)
            return self._readers[release]
