"""The words around the data in the sentences of entity pages, in French and in English: dates at
their precision (« le 5 février 2019 », « en février 2015 », « en 2011 »), lists (« A, B et C »),
« de » before a name (« d'AD'OCC »), numbers (« 1 200 000 »), a count with its unit and qualifier
(« plus de 350 membres »), and the agreement of a French participle with the noun it follows.

Nothing here knows the data: it is given literals and labels (``server/entity_summary.py`` reads
them from the release) and returns text."""

from __future__ import annotations

from dataclasses import dataclass

from maillage.timeline import MONTHS as ENGLISH_MONTHS

LANGUAGES = ("fr", "en")

MONTHS = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "en": ENGLISH_MONTHS,
}
XSD = "http://www.w3.org/2001/XMLSchema#"
DATE, YEAR_MONTH, YEAR = XSD + "date", XSD + "gYearMonth", XSD + "gYear"
AND = {"fr": "et", "en": "and"}
VOWELS = set("aàâeéèêëiîïoôuùûyAÀÂEÉÈÊËIÎÏOÔUÙÛY")

FEMININE = {"créé": "créée", "dissous": "dissoute", "issu": "issue", "organisé": "organisée"}
"""The French participles our sentences use, masculine → feminine."""


# --- Dates --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dated:
    """A date as published: its lexical form and its datatype (the precision of the source)."""

    value: str
    datatype: str

    @property
    def year(self) -> str:
        return self.value[:4]


def date_text(date: Dated, lang: str) -> str:
    """``5 février 2019`` / ``5 February 2019``, ``février 2015``, ``2011``."""
    parts = date.value.split("-")
    if date.datatype == DATE and len(parts) == 3:
        day = "1er" if lang == "fr" and int(parts[2]) == 1 else str(int(parts[2]))
        return f"{day} {MONTHS[lang][int(parts[1]) - 1]} {parts[0]}"
    if date.datatype == YEAR_MONTH and len(parts) == 2:
        return f"{MONTHS[lang][int(parts[1]) - 1]} {parts[0]}"
    return date.value


def on_date(date: Dated, lang: str) -> str:
    """The date with its preposition: « le 5 février 2019 », « en 2011 »; "on 5 February 2019",
    "in 2011"."""
    text = date_text(date, lang)
    if date.datatype == DATE:
        return f"le {text}" if lang == "fr" else f"on {text}"
    return f"en {text}" if lang == "fr" else f"in {text}"


def years(first: str, last: str) -> str:
    """``2015`` or ``2017–2019``: the years of a span of days (ISO dates)."""
    return first[:4] if first[:4] == last[:4] else f"{first[:4]}–{last[:4]}"


# --- Words --------------------------------------------------------------------------------------


def joined(items: list[str], lang: str) -> str:
    """« A », « A et B », « A, B et C »."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {AND[lang]} {items[-1]}"


def of(name: str) -> str:
    """French « de » before a name, elided before a vowel: « de Kaliop », « d'AD'OCC »."""
    return f"d’{name}" if name[:1] in VOWELS else f"de {name}"


def agreed(participle: str, feminine: bool) -> str:
    """A French participle agreeing with its noun: ``créé`` → ``créée``."""
    return FEMININE.get(participle, participle + "e") if feminine else participle


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- Numbers and counts -------------------------------------------------------------------------


def number(value: str, lang: str) -> str:
    """``1200000`` → ``1 200 000`` (French, narrow no-break spaces) or ``1,200,000``; a decimal
    keeps its digits, with a comma in French."""
    whole, _, decimals = value.partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-') or '0'):,}"
    if lang == "fr":
        grouped = grouped.replace(",", "\u202f")
    if decimals.rstrip("0"):
        grouped += ("," if lang == "fr" else ".") + decimals.rstrip("0")
    return sign + grouped


def plural(label: str, lang: str) -> str:
    """A unit's label in the plural, its first word inflected: « membre » → « membres »,
    « appel par an » → « appels par an »; "company" → "companies", "person" → "people"."""
    first, space, rest = label.partition(" ")
    if lang == "fr":
        inflected = first if first[-1:] in "sxz" else first + "s"
    elif first == "person":
        inflected = "people"
    elif first.endswith("y") and first[-2:-1] not in "aeiou":
        inflected = first[:-1] + "ies"
    elif first.endswith("is"):
        inflected = first[:-2] + "es"
    else:
        inflected = first if first.endswith("s") else first + "s"
    return inflected + space + rest


@dataclass(frozen=True)
class Count:
    """A figure's value and the words of its unit and qualifier, in one language."""

    value: str
    unit: str = ""
    """The unit's label (singular), or its symbol (``%``, ``€``)."""
    symbol: bool = False
    ordinal: bool = False
    """A rank: « rang 2 »."""
    qualifier: str = ""
    """« plus de », « environ »…; « une centaine » stands for the number itself."""


def count_text(count: Count, lang: str) -> str:
    """« plus de 350 membres », « 60 % », "more than 350 members", "€1,200,000", « une
    quarantaine de membres », « rang 2 »."""
    shown = number(count.value, lang)
    if count.ordinal:
        return f"{count.unit} {shown}".strip()
    if count.symbol:
        if lang == "en" and count.unit == "€":
            counted = f"€{shown}"
        else:
            counted = f"{shown}\u202f{count.unit}" if lang == "fr" else f"{shown}{count.unit}"
    elif count.unit:
        unit = count.unit if _singular(count.value) else plural(count.unit, lang)
        counted = f"{shown} {unit}"
    else:
        counted = shown
    return _qualified(count, counted, lang)


def _qualified(count: Count, counted: str, lang: str) -> str:
    if not count.qualifier:
        return counted
    if _stands_for_number(count.qualifier):
        unit = plural(count.unit, lang) if count.unit and not count.symbol else ""
        if not unit:
            return f"{count.qualifier} ({counted})"
        if lang == "fr":
            return f"{count.qualifier} {of(unit)}"
        return f"{count.qualifier} {unit}"
    return f"{count.qualifier} {counted}"


def _stands_for_number(qualifier: str) -> bool:
    """« une centaine », "some forty": a qualifier that is itself the number."""
    return qualifier.startswith(("une ", "un ", "some "))


def _singular(value: str) -> bool:
    try:
        return abs(float(value)) < 2
    except ValueError:
        return False
