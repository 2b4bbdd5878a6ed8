"""Figures in a sentence: value, unit, measure and qualifier, as ``mlg:Observation`` takes them.

« plus de 350 membres » is 350 ``unit:member`` of ``measure:members`` with ``qualifier:plus-de``;
« 1,2 M€ » is 1200000 ``unit:euro``; « une quarantaine de membres » is 40 with
``qualifier:une-quarantaine``. Only the terms of the concept schemes are used
(``ontology/concepts.ttl``: ``measure:``, ``unit:``, ``qualifier:``): a number whose unit is not
one of them, or whose measure the words do not tell (« 70 000 personnes » is ``measure:jobs``
only next to « emploie »), is left out. A curator adds a figure more easily than they find a
wrong one.

What the figure is about, its date and whether it is planned are the sentence's business
(``maillage.ingest.patterns``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from maillage.search import fold

WORD_NUMBERS = {
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "quinze": 15,
    "vingt": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
    "cent": 100,
    "mille": 1000,
}
APPROXIMATIONS = {
    "dizaine": (10, "qualifier:environ"),
    "vingtaine": (20, "qualifier:environ"),
    "trentaine": (30, "qualifier:environ"),
    "quarantaine": (40, "qualifier:une-quarantaine"),
    "cinquantaine": (50, "qualifier:environ"),
    "soixantaine": (60, "qualifier:environ"),
    "centaine": (100, "qualifier:une-centaine"),
    "millier": (1000, "qualifier:environ"),
}
"""« une quarantaine de » and « une centaine de » have a qualifier of their own; the others are
read as ``qualifier:environ`` with their round value, and the proposal says so in a note."""
QUALIFIERS = {
    "plus de": "qualifier:plus-de",
    "près de": "qualifier:pres-de",
    "pres de": "qualifier:pres-de",
    "environ": "qualifier:environ",
    "moins de": "qualifier:moins-de",
    "au moins": "qualifier:au-moins",
    "pas moins de": "qualifier:au-moins",
}
MULTIPLIERS = {
    "k": 1_000,
    "m": 1_000_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "md": 1_000_000_000,
    "mds": 1_000_000_000,
    "milliard": 1_000_000_000,
    "milliards": 1_000_000_000,
}

_SPACE = r"[ \u00a0\u202f]"
_QUALIFIER = (
    r"(?:(?P<qualifier>pas moins de|plus de|près de|pres de|environ|moins de|au moins)\s+)?"
)
_DIGITS = rf"(?P<digits>\d{{1,3}}(?:{_SPACE}\d{{3}})+(?:,\d+)?|\d+(?:,\d+)?)"
_WORD = r"(?P<word>" + "|".join(WORD_NUMBERS) + r")"
_APPROX = r"une\s+(?P<approx>" + "|".join(APPROXIMATIONS) + r")\s+(?:de|d[’'])"
_MULT = (
    r"(?:\s*(?P<mult>k|Mds|Md|M|milliards?|millions?)(?=\s*(?:€|d[’']euros|euros)|\s|$|[.,;)]))?"
)
_CURRENCY = r"(?:\s*(?P<euro>€|d[’']euros|euros))?"
_PERCENT = r"(?:\s*(?P<percent>%|pour\s?cent))?"
_NOUN = r"(?:\s*(?P<noun>[^\W\d_][\w’'-]*))?"
FIGURE = re.compile(
    rf"(?<![\w,.]){_QUALIFIER}(?:{_APPROX}|{_DIGITS}|{_WORD}\b){_MULT}{_CURRENCY}{_PERCENT}{_NOUN}",
    re.IGNORECASE,
)
RANK = re.compile(
    r"(?<!\w)(?P<rank>\d+)(?:e|ème|eme)\s+(?:place|rang)\b"
    r"|\b(?P<ordinal>première|premier|deuxième|second|seconde|troisième|quatrième|cinquième)"
    r"\s+(?:région|place)\b",
    re.IGNORECASE,
)
ORDINALS = {
    "premier": 1,
    "première": 1,
    "deuxième": 2,
    "second": 2,
    "seconde": 2,
    "troisième": 3,
    "quatrième": 4,
    "cinquième": 5,
}
DEFINITE = re.compile(r"(?:\b(?:les|des|ces|leurs|nos|vos|ses|aux)|l[’']un des)\s+$", re.IGNORECASE)
"""« les deux clusters », « l'un des trois clusters »: a reference, not a count."""


@dataclass(frozen=True)
class Unit:
    """What a noun counts: its unit, and its measure unless the context must tell."""

    unit: str
    measure: str | None


UNITS = {
    "membre": Unit("unit:member", "measure:members"),
    "adherent": Unit("unit:member", "measure:members"),
    "entreprise": Unit("unit:company", "measure:companies"),
    "emploi": Unit("unit:job", "measure:jobs"),
    "salarie": Unit("unit:person", "measure:jobs"),
    "personne": Unit("unit:person", None),
    "start-up": Unit("unit:startup", None),
    "startup": Unit("unit:startup", None),
    "exposant": Unit("unit:exhibitor", "measure:exhibitors"),
    "visiteur": Unit("unit:visitor", "measure:visitors"),
    "participant": Unit("unit:participant", "measure:participants"),
    "administrateur": Unit("unit:person", "measure:administrators"),
    "axe": Unit("unit:axis", "measure:axes"),
    "vague": Unit("unit:wave", "measure:waves"),
    "fablab": Unit("unit:fablab", "measure:fablabs"),
    "cluster": Unit("unit:cluster", "measure:clusters"),
    "dispositif": Unit("unit:structure", "measure:structures"),
    "structure": Unit("unit:structure", "measure:structures"),
    "appel": Unit("unit:call-per-year", None),
    "jour": Unit("unit:day", "measure:duration"),
    "an": Unit("unit:year", None),
    "annee": Unit("unit:year", None),
}
"""Nouns (folded, singular) and what they count, in the terms of ``ontology/concepts.ttl``."""

PERCENT_MEASURES = (
    (re.compile(r"croissance", re.I), "measure:growth-rate"),
    (re.compile(r"autofinanc", re.I), "measure:self-financing-share"),
    (re.compile(r"subvention", re.I), "measure:subsidy-share"),
    (re.compile(r"\bfemmes\b", re.I), "measure:women-share"),
    (re.compile(r"en moins\b|économi|réduction", re.I), "measure:savings-share"),
)
"""A percentage is a share of what the words around it say."""
GATHERING = re.compile(
    r"\b(?:rassembl|regroup|fédèr|feder|réuni|compt|représent|affich|revendiqu)\w*", re.I
)


@dataclass(frozen=True)
class Figure:
    """A figure of the text; offsets are those of the text given to ``find_figures``."""

    start: int
    end: int
    text: str
    value: int | Decimal
    unit: str
    measure: str
    qualifier: str | None
    noun: str
    """The word that names what is counted (« membres », « € », « % »): labels and slugs."""
    note: str | None = None

    def as_value(self) -> dict[str, str | int]:
        if isinstance(self.value, Decimal):
            return {"decimal": str(self.value)}
        return {"int": self.value}


def find_figures(
    text: str, about_organisation: Callable[[int], bool] = lambda _at: False
) -> list[Figure]:
    """The figures of a sentence, in text order. ``about_organisation(offset)`` says whether the
    figure at that offset is about an organisation (« Numéria rassemble 90 entreprises » are
    its member companies; « la filière regroupe 8 400 entreprises » are companies)."""
    figures = [f for m in FIGURE.finditer(text) if (f := _figure(m, text, about_organisation))]
    figures.extend(_rank(m) for m in RANK.finditer(text))
    return sorted(figures, key=lambda f: f.start)


def _figure(match: re.Match, text: str, about_organisation) -> Figure | None:
    if DEFINITE.search(text[: match.start()]) and not match["qualifier"]:
        return None
    value, qualifier, note = _value(match)
    if value is None:
        return None
    unit, noun, end = _unit(match)
    if unit is None:
        return None
    before, after = text[: match.start()], text[match.end() :]
    measure = _measure(unit, noun, before, after, about_organisation(match.start()), text)
    if measure is None:
        return None
    start = match.start()
    return Figure(
        start, end, text[start:end], value, unit.unit, measure, qualifier, noun.lower(), note
    )


def _value(match: re.Match) -> tuple[int | Decimal | None, str | None, str | None]:
    qualifier = QUALIFIERS.get((match["qualifier"] or "").lower())
    if match["approx"]:
        value, own = APPROXIMATIONS[match["approx"].lower()]
        note = None
        if own == "qualifier:environ":
            note = f"« une {match['approx'].lower()} » read as about {value} (qualifier:environ)"
        return value, qualifier or own, note
    if match["word"]:
        number = Decimal(WORD_NUMBERS[match["word"].lower()])
    else:
        number = Decimal(re.sub(_SPACE, "", match["digits"]).replace(",", "."))
    if match["mult"]:
        number *= MULTIPLIERS[match["mult"].lower()]
    if number == number.to_integral_value():
        return int(number), qualifier, None
    return number.normalize(), qualifier, None


def _unit(match: re.Match) -> tuple[Unit | None, str, int]:
    """The unit and the noun that names it, and where the figure's words end."""
    if match["percent"]:
        return Unit("unit:percent", None), "%", match.end("percent")
    if match["euro"]:
        return Unit("unit:euro", None), "€", match.end("euro")
    if match["mult"] and match["mult"].lower() in ("m", "md", "mds"):
        return None, "", match.end()
    noun = match["noun"] or ""
    key = fold(noun)
    for candidate in (key, key.removesuffix("s"), key.removesuffix("x")):
        if candidate in UNITS:
            return UNITS[candidate], noun, match.end("noun")
    return None, noun, match.end()


def _measure(unit: Unit, noun: str, before: str, after: str, of_org: bool, text: str) -> str | None:
    if unit.unit == "unit:percent":
        for window in (after[:40], before[-60:]):
            found = next((m for pattern, m in PERCENT_MEASURES if pattern.search(window)), None)
            if found:
                return found
        return None
    soit = re.search(r"\(\s*soit\b[^)]*$", before) is not None
    if unit.unit == "unit:euro":
        if re.search(r"chiffre d[’']affaires", after[:40] + before[-40:], re.I):
            return "measure:member-revenue" if soit else "measure:revenue"
        if re.search(r"budget|doté|dotation", before[-60:], re.I):
            return "measure:budget"
        return None
    if soit and unit.unit == "unit:job":
        return "measure:member-jobs"
    if unit.unit == "unit:company":
        if re.search(r"héberg", before[-60:], re.I):
            return "measure:companies-hosted"
        if re.search(r"accompagn", text, re.I):
            return "measure:companies-supported"
        if of_org and GATHERING.search(before[-60:]):
            return "measure:member-companies"
    if unit.unit == "unit:startup":
        if re.search(r"accompagn|suivi|incub", text, re.I):
            return "measure:startups-supported"
        return None
    if unit.unit == "unit:person" and unit.measure is None:
        return "measure:jobs" if re.search(r"emplo", before[-60:], re.I) else None
    if unit.unit == "unit:call-per-year":
        return "measure:calls" if re.match(r"\s*par an\b", after) else None
    if unit.unit == "unit:year":
        return "measure:years-running" if re.search(r"depuis|fait\s*$", before[-20:]) else None
    return unit.measure


def _rank(match: re.Match) -> Figure:
    value = int(match["rank"]) if match["rank"] else ORDINALS[match["ordinal"].lower()]
    return Figure(
        match.start(), match.end(), match[0], value, "unit:rank", "measure:ranking", None, "rang"
    )
