"""Reading facts "as of" a date (contract C14, ``docs/data-model.md``): pure functions over
dates, shared by the resource pages (``server/asof_view.py``) and the timeline.

The build derives, on the interval of every membership, site and organisation, four days
(``mlg:possiblyFrom``, ``mlg:certainlyFrom``, ``mlg:certainlyUntil``, ``mlg:possiblyUntil``).
As of a day D a fact *holds* when certainlyFrom ≤ D ≤ certainlyUntil, *does not hold* when
D < possiblyFrom or D > possiblyUntil, and is *unknown* otherwise: never read as false.

A figure is a dated observation, not a state: as of D it is *attested* (it holds) when its last
possible day is on or before D, *not yet* (does not hold) when its first possible day is after D,
*unknown* when D falls inside its date (a figure of 2019 as of 2019-06-01) or it has no date; and
among the attested figures of one measure and unit, only the latest holds: an earlier one is
superseded (does not hold).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
EXPECTED = "a date written YYYY-MM-DD, for example 2018-06-01"


class Status(Enum):
    HOLDS = "holds"
    DOES_NOT_HOLD = "does not hold"
    UNKNOWN = "unknown"


class BadDate(ValueError):
    """An ``asOf`` that is not a day: the message says what was expected and what came."""


def parse_day(text: str) -> date:
    """``2018-06-01`` → that day; anything else (``2018-6-1``, ``2018-02-30``, ``2018``)
    raises :class:`BadDate`."""
    if DAY.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise BadDate(f"asOf must be {EXPECTED}; received {text!r}")


@dataclass(frozen=True)
class Reading:
    """The derived reading of one interval (absent days are ``None``)."""

    possibly_from: date | None = None
    certainly_from: date | None = None
    certainly_until: date | None = None
    possibly_until: date | None = None


@dataclass(frozen=True)
class When:
    """What a page says about the time of a fact on a day: its status, and what the documents
    say (:func:`what_is_known`)."""

    status: Status
    known: str = ""
    day: date | None = None


def status(reading: Reading, day: date) -> Status:
    """Whether the fact read by ``reading`` holds, does not hold, or is unknown on ``day``."""
    start, until = reading.certainly_from, reading.certainly_until
    if start is not None and until is not None and start <= day <= until:
        return Status.HOLDS
    if reading.possibly_from is not None and day < reading.possibly_from:
        return Status.DOES_NOT_HOLD
    if reading.possibly_until is not None and day > reading.possibly_until:
        return Status.DOES_NOT_HOLD
    return Status.UNKNOWN


def any_status(statuses: Iterable[Status]) -> Status:
    """A statement several facts stand behind (``org:headOf`` from two memberships): it holds
    when one holds, is unknown when none holds and one is unknown, else does not hold."""
    found = set(statuses)
    for candidate in (Status.HOLDS, Status.UNKNOWN):
        if candidate in found:
            return candidate
    return Status.DOES_NOT_HOLD if found else Status.UNKNOWN


@dataclass(frozen=True)
class Mark:
    """A dated point known about a fact: its beginning, its end, or an attestation."""

    kind: str
    """``beginning``, ``end`` or ``attested``."""
    text: str
    """The date at the precision of its source: ``2017-01``, ``2019-02-05``, ``2011``."""
    earliest: date
    latest: date


def what_is_known(marks: Sequence[Mark], day: date, reading: Reading | None = None) -> str:
    """What the documents say about the time of a fact, around ``day``: its beginning and end,
    and the attestations on either side of the day (``began 2011; attested 2015-05-22 and
    2017-01``, ``last attested 2015-05-22``, ``attested from 2017-01``); with the ``reading``, the
    last possible day when no end is known (its organisation's dissolution)."""
    said = []
    for kind, verb in (("beginning", "began"), ("end", "ended")):
        said += [f"{verb} {m.text}" for m in _sorted(marks, kind)]
    attested = _sorted(marks, "attested")
    before = [m for m in attested if m.latest <= day]
    after = [m for m in attested if m.latest > day]
    if before and after:
        said.append(f"attested {before[-1].text} and {after[0].text}")
    elif before:
        said.append(f"last attested {before[-1].text}")
    elif after:
        said.append(f"attested from {after[0].text}")
    if reading is not None and reading.possibly_until is not None and not _sorted(marks, "end"):
        said.append(f"at the latest until {reading.possibly_until.isoformat()}")
    return "; ".join(said) or "no date known"


def _sorted(marks: Sequence[Mark], kind: str) -> list[Mark]:
    return sorted((m for m in marks if m.kind == kind), key=lambda m: (m.earliest, m.latest))


# --- Figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureDate:
    """A figure's date as bounds, and what a later figure may supersede it within."""

    key: str
    """The figure's IRI."""
    series: tuple[str, ...] = ()
    """Measure and unit: figures of one series supersede each other."""
    earliest: date | None = None
    latest: date | None = None


def figure_status(figure: FigureDate, day: date) -> Status:
    """Attested by ``day`` (holds), not yet (does not hold), or unknown (``day`` is inside its
    date, or it has none)."""
    if figure.earliest is None or figure.latest is None:
        return Status.UNKNOWN
    if figure.latest <= day:
        return Status.HOLDS
    if figure.earliest > day:
        return Status.DOES_NOT_HOLD
    return Status.UNKNOWN


def latest_figures(figures: Sequence[FigureDate], day: date) -> dict[str, Status]:
    """Each figure's status as of ``day`` among figures of the same subject: an attested figure
    is superseded (does not hold) by an attested one of its series that begins after it ends."""
    statuses = {f.key: figure_status(f, day) for f in figures}
    attested = [f for f in figures if statuses[f.key] is Status.HOLDS]
    for figure in figures:
        if statuses[figure.key] is Status.HOLDS and any(
            other.series == figure.series and other.earliest > figure.latest for other in attested
        ):
            statuses[figure.key] = Status.DOES_NOT_HOLD
    return statuses
