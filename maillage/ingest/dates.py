"""French dates in a document's text, resolved against its publication date.

« le 5 février » in an article of 2019-02-06 is 2019-02-05: the year is the document's, and the
value says so (``inferred``), as curators write it (docs/claims-format.md). A date the text gives
in full (« en février 2015 », « le 25/05/2015 », « en 2019 ») is stated, not inferred. A date
without a year in an undated document is found but has no value: nothing is guessed.

Whether a clause speaks of the future (« aura lieu », « devrait », « prévue ») is read from
spaCy's morphology and a short list of words of intent: such a clause makes a *planned* value
(``mlg:Target``, ``mlg:plannedSite``, ``schema:EventScheduled``), never a fact.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from maillage.timeline import MONTHS as MONTH_NAMES  # the notes are in English, as curators'

MONTHS = {
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
}
_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
_YEAR = r"(?P<year>(?:19|20)\d{2})(?![\d])"
_DAY = r"(?P<day>1er|[12]\d|3[01]|0?[1-9])"

DAY_MONTH = re.compile(
    rf"(?<![\w/]){_DAY}(?:\s+(?:et|au)\s+(?P<day2>[12]\d|3[01]|0?[1-9]))?\s+{_MONTH}"
    rf"(?:\s+{_YEAR})?\b",
    re.IGNORECASE,
)
"""« 5 février », « 4 et 5 juin 2015 », « 1er mars »."""
NUMERIC = re.compile(r"(?<![\d/])(?P<day>[0-3]?\d)/(?P<m>[01]?\d)/(?P<year>(?:19|20)\d{2})(?!\d)")
"""« 25/05/2015 »."""
MONTH_ONLY = re.compile(
    rf"\b(?:(?P<part>début|fin|mi-?)\s*|en\s+|d[’']|de\s+|à\s+la\s+fin\s+)(?:de\s+|d[’'])?{_MONTH}"
    rf"(?:\s+{_YEAR})?\b",
    re.IGNORECASE,
)
"""« en juin », « fin mars », « à la fin mars 2017 », « en février 2015 »."""
YEAR_ONLY = re.compile(rf"(?<![\d.,])(?<!\d[\s\u00a0\u202f]){_YEAR}")
"""« en 2019 », « (source : Insee, 2021) »; not the thousands of « 17 000 »."""

PLANNING_WORDS = frozenset(
    {
        "prévu",
        "prévue",
        "prévus",
        "prévues",
        "prévoit",
        "prévoient",
        "prévoir",
        "devrait",
        "devraient",
        "ambition",
        "objectif",
        "souhaite",
        "souhaitent",
        "souhait",
        "envisage",
        "envisagent",
        "projette",
        "prochainement",
        "prochain",
        "prochaine",
        "future",
        "futur",
    }
)
"""Words of intent or schedule: a clause with one of them speaks of what is planned."""


@dataclass(frozen=True)
class DateValue:
    """A date at the precision the text gives: ("date", "2019-02-05"), ("month", "2017-03"),
    ("year", "2019"); written in claim files as ``{date: 2019-02-05}``."""

    precision: str
    value: str

    def as_value(self) -> dict[str, str]:
        return {self.precision: self.value}

    @property
    def year(self) -> int:
        return int(self.value[:4])


@dataclass(frozen=True)
class FoundDate:
    """A date expression of the text and what it means."""

    start: int
    end: int
    text: str
    value: DateValue | None
    """None when the text gives no year and the document has no date."""
    end_value: DateValue | None = None
    """The last day of a range (« les 4 et 5 juin 2015 »)."""
    inferred: str | None = None
    """Why the year is not in the words: said in the claim's ``inferred``."""
    part: str | None = None
    """« fin », « début », « mi »: a part of the month, which stays at month precision."""


def published_on(date: tuple[str, str] | None) -> DateValue | None:
    """A document's date (``Document.date``) as a DateValue."""
    return None if date is None else DateValue(*date)


def find_dates(text: str, published: DateValue | None, future: bool = False) -> list[FoundDate]:
    """Every date expression of ``text``, in text order, not overlapping (the most precise
    reading of a stretch wins: « 5 février 2019 » is one date, not a day and a year).

    ``future``: the clause speaks of what is to come, so a month without a year that falls before
    the publication date is the next year's (« le 29 juin » announced in January is this June;
    « en février » announced in June is next February)."""
    found: list[FoundDate] = []
    for pattern, reader in (
        (NUMERIC, _numeric),
        (DAY_MONTH, _day_month),
        (MONTH_ONLY, _month_only),
        (YEAR_ONLY, _year_only),
    ):
        for match in pattern.finditer(text):
            if any(match.start() < f.end and f.start < match.end() for f in found):
                continue
            date = reader(match, published, future)
            if date is not None:
                found.append(date)
    return sorted(found, key=lambda f: f.start)


def _numeric(match: re.Match, published, future) -> FoundDate | None:
    try:
        day = dt.date(int(match["year"]), int(match["m"]), int(match["day"]))
    except ValueError:
        return None
    return FoundDate(match.start(), match.end(), match[0], DateValue("date", day.isoformat()))


def _day_month(match: re.Match, published, future) -> FoundDate | None:
    month = MONTHS[match["month"].lower()]
    days = [_day_number(match["day"])] + ([int(match["day2"])] if match["day2"] else [])
    year, inferred = _year_for(match["year"], month, days[0], published, future, "day and month")
    if year is None:
        return FoundDate(match.start(), match.end(), match[0], None, inferred=inferred)
    try:
        values = [DateValue("date", dt.date(year, month, day).isoformat()) for day in days]
    except ValueError:
        return None
    last = values[-1] if len(values) > 1 else None
    return FoundDate(match.start(), match.end(), match[0], values[0], last, inferred)


def _month_only(match: re.Match, published, future) -> FoundDate | None:
    month = MONTHS[match["month"].lower()]
    year, inferred = _year_for(match["year"], month, None, published, future, "the month")
    part = (match["part"] or "").lower().rstrip("-") or None
    if "à la fin" in match[0].lower():
        part = "fin"
    start = match.start("part") if match["part"] else match.start("month")
    if match[0].lower().startswith("à la fin"):
        start = match.start()
    value = None if year is None else DateValue("month", f"{year:04d}-{month:02d}")
    return FoundDate(
        start, match.end(), match.string[start : match.end()], value, None, inferred, part
    )


def _year_only(match: re.Match, published, future) -> FoundDate | None:
    return FoundDate(match.start(), match.end(), match[0], DateValue("year", match["year"]))


def _day_number(text: str) -> int:
    return 1 if text.lower() == "1er" else int(text)


def _year_for(
    written: str | None,
    month: int,
    day: int | None,
    published: DateValue | None,
    future: bool,
    given: str,
) -> tuple[int | None, str | None]:
    """The year of a date: the one written, else the publication's (the next one for a future
    clause whose month has passed, the previous one for a past clause whose month is to come)."""
    if written:
        return int(written), None
    if published is None:
        return None, f"the text gives {given} only and the document has no date: no year"
    year = published.year
    shifted = ""
    if published.precision in ("date", "month"):
        pub_month = int(published.value[5:7])
        pub_day = int(published.value[8:10]) if published.precision == "date" else None
        if future and (month, day or 31) < (pub_month, pub_day or 1):
            year, shifted = year + 1, f": the next {MONTH_NAMES[month - 1]}"
        elif not future and (month, day or 1) > (pub_month, pub_day or 31):
            year, shifted = year - 1, f": the last {MONTH_NAMES[month - 1]} before it"
    return year, (
        f"year {year} from the document's publication date ({published.value}){shifted}; "
        f"the text gives {given} only"
    )


def document_year(published: DateValue | None) -> tuple[DateValue | None, str | None]:
    """The year a figure or fact with no date of its own describes: the document's, inferred."""
    if published is None:
        return None, None
    return (
        DateValue("year", str(published.year)),
        f"the text gives no date for the figure; year {published.year} from the document's "
        f"publication date ({published.value})",
    )


# --- The future ------------------------------------------------------------------------------


def is_planned_token(token) -> bool:
    """A spaCy token that makes its clause a plan: a verb in the future tense, « devrait », or a
    word of intent (« prévu », « ambition », « souhaite »…)."""
    text = token.text.lower()
    if text in PLANNING_WORDS or token.lemma_.lower() in {"prévoir", "ambition", "objectif"}:
        return True
    if token.pos_ in ("VERB", "AUX"):
        morph = token.morph
        if "Fut" in morph.get("Tense"):
            return True
        if token.lemma_ == "devoir" and "Cnd" in morph.get("Mood"):
            return True
    return False


def is_planned(tokens: Iterable) -> bool:
    """Whether a clause (its spaCy tokens) speaks of what is planned rather than what is."""
    return any(is_planned_token(token) for token in tokens)


def clause_tokens(token) -> list:
    """The tokens that decide the tense of the clause ``token`` is in: from ``token`` up its
    syntactic heads to the first finite verb, with that verb's auxiliaries. A figure inside
    parentheses is its own clause: the caller reads only the parenthesis then."""
    seen = [token]
    node = token
    while node.head.i != node.i:
        node = node.head
        seen.append(node)
        seen.extend(child for child in node.children if child.dep_.startswith("aux"))
        if node.pos_ in ("VERB", "AUX") and "Fin" in node.morph.get("VerbForm"):
            break
    return seen
