"""What changed in each release kept, as ``/releases/{id}`` and ``/releases.atom`` show it: read
from the release's own ``changes.ttl`` (written by the build; ``maillage/changelog.py``), once
per release (a release never changes). Releases built before the build wrote it have none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pyoxigraph as ox
from starlette.requests import Request

from maillage.changelog import (
    ADDED,
    CHANGED,
    CLOSED,
    OPENED,
    REMOVED,
    RERANKED,
    Changes,
    read_changes,
)
from maillage.layout import CHANGES_TURTLE, release_iri
from maillage.releases import Archive, Published
from server import errors

SHOWN = 200
"""At most this many entities, claims or conflicts of each kind on a page (the rest are in the
release's ``changes.md`` and ``changes.ttl``)."""
ENTITY_KINDS = (REMOVED, ADDED, CHANGED)
CONFLICT_KINDS = (OPENED, CLOSED, RERANKED, CHANGED)


@dataclass(frozen=True)
class ReleaseView:
    """One release kept: when it went live, its neighbours, its changes."""

    published: Published
    iri: str
    went_live: datetime | None
    previous: Published | None
    next: Published | None
    changes: Changes | None
    """None when the release has no ``changes.ttl`` (built before the build wrote one)."""


def kept_release(request: Request, release: str) -> Published:
    """The release kept with this id; a 404 naming the releases kept otherwise."""
    archive: Archive = request.app.state.archive
    published = archive.get(release)
    if published is None:
        raise errors.unknown_release(release, archive)
    return published


def release_view(request: Request, published: Published) -> ReleaseView:
    archive: Archive = request.app.state.archive
    release = published.release
    return ReleaseView(
        published=published,
        iri=release_iri(request.app.state.settings.base_iri, release),
        went_live=archive.went_live(release),
        previous=archive.previous(release),
        next=archive.next(release),
        changes=changes_of(request, published),
    )


def changes_of(request: Request, published: Published) -> Changes | None:
    """The release's changes, read once."""
    cache: dict[str, Changes | None] = request.app.state.release_changes
    if published.release not in cache:
        path = published.directory / CHANGES_TURTLE
        base = request.app.state.settings.base_iri
        cache[published.release] = (
            read_changes(path.read_bytes(), release_iri(base, published.release))
            if path.is_file()
            else None
        )
    return cache[published.release]


def changes_quads(request: Request, published: Published) -> list[ox.Quad]:
    """The release's ``changes.ttl`` as it is."""
    path = published.directory / CHANGES_TURTLE
    if not path.is_file():
        return []
    return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def description_quads(request: Request, published: Published) -> list[ox.Quad]:
    """What the catalogue says of the release (``server/series.py``): the release and its
    fragments (files, checksums), its dates and neighbours, with its changes."""
    iri = release_iri(request.app.state.settings.base_iri, published.release)
    own = f"{iri}#"
    series = request.app.state.series.quads
    about = [
        q
        for q in series
        if isinstance(q.subject, ox.NamedNode)
        and (q.subject.value == iri or q.subject.value.startswith(own))
    ]
    return sorted(set(about) | set(changes_quads(request, published)), key=str)


def shown(items: list, limit: int = SHOWN) -> tuple[list, int]:
    """The first ``limit`` items and how many more there are."""
    return items[:limit], max(0, len(items) - limit)
