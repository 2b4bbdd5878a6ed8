"""The conflicts that concern an entity, for its page: those about it (``mlg:conflictAbout``),
and those about what it came from or ended in (the changes, ``org:resultedFrom``,
``org:changedBy``), its figures and its roles, each said once with the thing it is about.
Digital 113's page lists « Quand Digital 113 a été créé », which is about the merger."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from maillage.namespaces import MLG, ORG
from maillage.release_reader import DEFAULT, ReleaseReader, named
from maillage.settings import Settings
from server.site import local_href

THROUGH = tuple(
    named(p) for p in (ORG.resultedFrom, ORG.changedBy, MLG.observation, ORG.hasMembership)
)
"""What an entity's conflicts may be about besides itself."""


@dataclass(frozen=True)
class Through:
    """What a conflict is about, when it is not the entity itself: the merger, a figure."""

    text: str
    href: str
    lang: str | None


@dataclass(frozen=True)
class Dispute:
    href: str
    title: str
    lang: str | None
    """The title's language when it is not the page's."""
    through: list[Through] = field(default_factory=list)


def disputes(reader: ReleaseReader, settings: Settings, iri: str, lang: str) -> list[Dispute]:
    """The conflicts about ``iri`` first, then those about its changes, figures and roles."""
    node, about = ox.NamedNode(iri), reader.term("conflictAbout")
    found: dict[str, list[Through]] = {c.value: [] for c in conflicts_about(reader, node, about)}
    for predicate in THROUGH:
        for linked in reader.values(node, predicate):
            for conflict in conflicts_about(reader, linked, about):
                if conflict.value not in found or found[conflict.value]:
                    found.setdefault(conflict.value, []).append(
                        through(reader, settings, linked, lang)
                    )
    listed = [dispute(reader, settings, c, lang, t) for c, t in found.items()]
    return sorted(listed, key=lambda d: (bool(d.through), d.title.casefold()))


def conflicts_about(reader: ReleaseReader, node, about: ox.NamedNode) -> list:
    if not isinstance(node, ox.NamedNode):
        return []
    quads = reader.quads(None, about, node, DEFAULT)
    return sorted({q.subject for q in quads}, key=lambda n: n.value)


def through(reader: ReleaseReader, settings: Settings, node, lang: str) -> Through:
    label = reader.label(node, lang)
    text = label.value if label is not None else node.value
    other = label.language if label is not None and label.language != lang else None
    return Through(text, local_href(node.value, settings), other)


def dispute(reader, settings, iri: str, lang: str, about: list[Through]) -> Dispute:
    label = reader.label(ox.NamedNode(iri), lang)
    title = label.value if label is not None else iri
    other = label.language if label is not None and label.language != lang else None
    return Dispute(local_href(iri, settings), title, other, about)
