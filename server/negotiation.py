"""Content negotiation, in one place: Accept with q-values and wildcards, and explicit overrides
(a ``format`` parameter or a file extension) that win over Accept."""

from __future__ import annotations

from dataclasses import dataclass


class NotAcceptable(Exception):
    """No offered media type is acceptable; carries the offers for the 406 body."""

    def __init__(self, offered: list[str]) -> None:
        self.offered = offered
        super().__init__("not acceptable; offered: " + ", ".join(offered))


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    order: int

    def matches(self, media_type: str) -> bool:
        kind, _, sub = media_type.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def parse_accept(header: str | None) -> list[MediaRange]:
    """Media ranges of an Accept header; a missing or empty header accepts anything."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0, 0)]
    ranges = []
    for order, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, params = fields[0].lower(), fields[1:]
        if "/" not in media:
            continue
        kind, _, sub = media.partition("/")
        ranges.append(MediaRange(kind, sub, quality(params), order))
    return ranges


def quality(params: list[str]) -> float:
    """The ``q`` of a header element's parameters (Accept, Accept-Language): 1 when absent,
    0 when unreadable."""
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def choose(accept: str | None, offered: list[str]) -> str:
    """The offered type the client prefers; ties go to the server's order of ``offered``."""
    ranges = parse_accept(accept)
    best: tuple[float, int] | None = None
    chosen = None
    for index, media_type in enumerate(offered):
        quality = _quality_of(media_type, ranges)
        if quality <= 0:
            continue
        key = (quality, -index)
        if best is None or key > best:
            best, chosen = key, media_type
    if chosen is None:
        raise NotAcceptable(offered)
    return chosen


def _quality_of(media_type: str, ranges: list[MediaRange]) -> float:
    matching = [r for r in ranges if r.matches(media_type)]
    if not matching:
        return 0.0
    most_specific = max(matching, key=lambda r: (r.specificity, -r.order))
    return most_specific.q
