"""Every commune, département and région of Occitanie, from the official reference data, to link
the places a text names: the COG package ``@etalab/decoupage-administratif`` read as
``maillage/reference.py`` reads it (the current communes of région 76, its 13 départements and
the région), and the two former régions Midi-Pyrénées and Languedoc-Roussillon
(``data/reference/former-regions.csv``).

A name several communes share (« Saint-Jean ») is resolved by its context (:func:`resolve`): a
département named beside it (« Saint-Jean (31) », « Saint-Jean, en Haute-Garonne »), else the
département the text's other places are in; otherwise it stays ambiguous, with its candidates.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from maillage.ingest.names import Words, key
from maillage.reference import (
    DEFAULT_PACKAGE_DIR,
    REPO_ROOT,
    package_rows,
    read_former_regions,
)

REGION = "76"
"""Occitanie."""
CLASSES = {"commune": "igeo:Commune", "departement": "igeo:Departement", "region": "igeo:Region"}


@dataclass(frozen=True)
class Place:
    kind: str
    """``commune``, ``departement`` or ``region``."""
    code: str
    name: str
    departement: str | None = None
    """The département a commune is in (a département's own code for a département)."""
    population: int = 0

    @property
    def ref(self) -> str:
        return f"{self.kind}/{self.code}"

    @property
    def cls(self) -> str:
        return CLASSES[self.kind]

    @property
    def label(self) -> str:
        """``Saint-Jean (31)`` for a commune, the name for the others."""
        return f"{self.name} ({self.departement})" if self.kind == "commune" else self.name


@dataclass
class Territories:
    places: list[Place]
    by_key: dict[str, list[Place]] = field(init=False)
    departements: dict[str, Place] = field(init=False)
    longest: int = field(init=False)
    """The most words a name has (« Saint-Laurent-de-Neste »: 4)."""

    def __post_init__(self) -> None:
        self.by_key = defaultdict(list)
        for place in self.places:
            self.by_key[key(place.name)].append(place)
        for places in self.by_key.values():
            places.sort(key=lambda p: (-_rank(p), -p.population, p.code))
        self.departements = {p.code: p for p in self.places if p.kind == "departement"}
        self.longest = max(len(p.name.replace("-", " ").split()) for p in self.places)

    def named(self, name_key: str) -> list[Place]:
        """The places with this name (its key), régions and départements before communes,
        communes the most populous first."""
        return self.by_key.get(name_key, [])

    def departement_of(self, place: Place) -> Place | None:
        return self.departements.get(place.departement or "")

    def departement_after(self, after: str) -> Place | None:
        """The département named right after a mention, by its number or name in parentheses
        or after a comma or « dans », « en » (« Saint-Jean (31) », « Saint-Jean, en
        Haute-Garonne », « Saint-Jean dans le Gard »): within :data:`BESIDE` characters."""
        close = after[:BESIDE]
        number = DEPARTEMENT_NUMBER.match(close)
        if number and number.group(1) in self.departements:
            return self.departements[number.group(1)]
        by_key = {key(d.name): d for d in self.departements.values()}
        for window in Words.of(close).windows(4):
            if window.key in by_key and DEPARTEMENT_LEAD.fullmatch(close[: window.start]):
                return by_key[window.key]
        return None


BESIDE = 30
DEPARTEMENT_NUMBER = re.compile(r"\s*\(\s*([0-9]{2}|2A|2B)\s*\)")
DEPARTEMENT_LEAD = re.compile(
    r"\s*(?:\(|,?\s*(?:dans|en)\s+(?:le\s+|la\s+|les\s+|l['’]\s*)?|,\s*)\s*", re.IGNORECASE
)
"""What may stand between a commune's name and its département's: `` (``, ``, ``, `` dans
le ``, ``, en ``."""


def _rank(place: Place) -> int:
    return {"region": 2, "departement": 1}.get(place.kind, 0)


def read_places(package_dir: Path) -> list[Place]:
    """The communes, départements and régions of Occitanie, and its two former régions."""
    departements = [
        row for row in package_rows(package_dir, "departements.json") if row["region"] == REGION
    ]
    communes = [
        row
        for row in package_rows(package_dir, "communes.json")
        if row.get("region") == REGION and row.get("type") == "commune-actuelle"
    ]
    regions = [row for row in package_rows(package_dir, "regions.json") if row["code"] == REGION]
    return [
        *(Place("region", row["code"], row["nom"]) for row in regions),
        *(Place("region", row["code"], row["nom"]) for row in read_former_regions()),
        *(Place("departement", row["code"], row["nom"], row["code"]) for row in departements),
        *(
            Place(
                "commune",
                row["code"],
                row["nom"],
                row["departement"],
                int(row.get("population") or 0),
            )
            for row in communes
        ),
    ]


@functools.cache
def occitanie(package_dir: Path = REPO_ROOT / DEFAULT_PACKAGE_DIR) -> Territories:
    """Occitanie's territories, read once per process."""
    return Territories(read_places(package_dir))


@dataclass(frozen=True)
class Resolution:
    place: Place | None
    """The place chosen, or None when the context does not decide."""
    score: float
    reason: str


def resolve(
    candidates: list[Place],
    territories: Territories,
    after: str,
    elsewhere: Iterable[Place],
) -> Resolution:
    """Which of several places of one name a mention is: the one whose département is named
    right after it (``after``: the text that follows the mention), else the one in the
    département where most of the text's other places (``elsewhere``, linked without doubt)
    are; else none."""
    if len(candidates) == 1:
        return Resolution(candidates[0], 1.0, "the only place of Occitanie with this name")
    count = f"{len(candidates)} places of Occitanie have this name"
    named = territories.departement_after(after)
    if named is not None:
        chosen = [c for c in candidates if c.departement == named.code]
        if len(chosen) == 1:
            return Resolution(chosen[0], 0.95, f"{count}; the text names {named.name} beside it")
    around = Counter(p.departement for p in elsewhere if p.departement)
    ranked = Counter({c.code: around[c.departement] for c in candidates})
    (best, best_count), *rest = ranked.most_common() or [("", 0)]
    if best_count and (not rest or rest[0][1] < best_count):
        place = next(c for c in candidates if c.code == best)
        departement = territories.departement_of(place)
        others = sorted({p.name for p in elsewhere if p.departement == place.departement})
        return Resolution(
            place,
            0.8,
            f"{count}; the text's other places in {departement.name if departement else '?'} "
            f"({', '.join(others)}) decide",
        )
    return Resolution(None, round(1 / len(candidates), 3), f"{count}; the context does not decide")
