"""The A–Z lists behind ``/browse/{slug}``: every resource of a counted class (the home page's
counters, ``server/summary.py``), sorted in French order ignoring accents and case (« Écully »
with E), filtered by first letter, network family (``org:classification`` in scheme
``family:``) and commune (``geo:sfWithin`` of the resource, of its sites or of its location),
then cut into pages. Read from the release's one reader, by quad patterns."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import pyoxigraph as ox

from maillage.namespaces import GEO, ORG, SCHEMA
from maillage.places import COMMUNES
from maillage.places import places as shared_places
from maillage.release_reader import DEFAULT, TYPE, ReleaseReader, named
from server.summary import COUNTED_CLASSES, class_iri

PAGE_SIZE = 50
"""Entries per page of a list."""
LETTERS = (*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", "#")
"""The letter filters; ``#`` gathers names that start with a digit or a sign."""
FAMILIES = "concept/family/"
CLASSIFICATION = named(ORG.classification)
WITHIN = named(GEO.sfWithin)
LOCATION = named(SCHEMA.location)


class BadFilter(ValueError):
    """A filter that names nothing we know (an unknown family, commune or letter)."""


@dataclass(frozen=True)
class Entry:
    iri: str
    label: str
    language: str | None
    key: str

    @property
    def letter(self) -> str:
        first = self.key[:1].upper()
        return first if first in LETTERS[:-1] else "#"


@dataclass(frozen=True)
class Option:
    code: str
    label: str


def sort_key(text: str) -> str:
    """French order for a list: accents and case ignored (É with E, œ as oe), apostrophes and
    leading signs skipped."""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "Oe"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.casefold().lstrip("«»\"' .-_([").strip()


def browsed_class(reader: ReleaseReader, slug: str) -> tuple[str, str] | None:
    """The label and class IRI of the list ``slug``, or None."""
    for known, label, cls in COUNTED_CLASSES:
        if known == slug:
            return label, class_iri(reader, cls)
    return None


def entries(reader: ReleaseReader, cls: str) -> list[Entry]:
    """Every resource of ``cls`` in the default graph, once, in list order."""
    subjects = {
        q.subject.value
        for q in reader.quads(None, TYPE, ox.NamedNode(cls), DEFAULT)
        if isinstance(q.subject, ox.NamedNode)
    }
    found = []
    for iri in subjects:
        label = reader.label(ox.NamedNode(iri), "fr")
        text = label.value if label is not None else iri
        found.append(Entry(iri, text, label.language if label else None, sort_key(text)))
    return sorted(found, key=lambda e: (e.key, e.label, e.iri))


def families(reader: ReleaseReader) -> list[Option]:
    """The network families organisations are classified in, by their French name."""
    prefix = reader.ours.at(FAMILIES)
    found = {
        q.object.value
        for q in reader.quads(None, CLASSIFICATION, None, DEFAULT)
        if q.object.value.startswith(prefix)
    }
    return _options(reader, found, prefix)


def communes(reader: ReleaseReader) -> list[Option]:
    """The communes something is placed in (``geo:sfWithin`` or ``schema:location``)."""
    prefix = reader.ours.at(COMMUNES)
    found = {
        q.object.value
        for predicate in (WITHIN, LOCATION)
        for q in reader.quads(None, predicate, None, DEFAULT)
        if q.object.value.startswith(prefix)
    }
    return _options(reader, found, prefix)


def _options(reader: ReleaseReader, iris: set[str], prefix: str) -> list[Option]:
    options = []
    for iri in iris:
        label = reader.label(ox.NamedNode(iri), "fr")
        options.append(Option(iri.removeprefix(prefix), label.value if label else iri))
    return sorted(options, key=lambda o: (sort_key(o.label), o.code))


def in_family(reader: ReleaseReader, iri: str, family: str) -> bool:
    return any(reader.quads(ox.NamedNode(iri), CLASSIFICATION, ox.NamedNode(family), DEFAULT))


def places(reader: ReleaseReader, iri: str) -> set[str]:
    """Where a resource is, by the one rule of ``maillage/places.py``, read from the release."""
    return shared_places(iri, lambda s, p: iri_values(reader, s, p))


def iri_values(reader: ReleaseReader, subject: str, predicate: str) -> list[str]:
    return [
        o.value
        for o in reader.values(ox.NamedNode(subject), ox.NamedNode(predicate))
        if isinstance(o, ox.NamedNode)
    ]


def filtered(
    reader: ReleaseReader,
    listed: list[Entry],
    letter: str | None,
    family: str | None,
    commune: str | None,
) -> list[Entry]:
    """The entries that pass each filter given; an unknown filter value is a :class:`BadFilter`."""
    if letter is not None and letter not in LETTERS:
        raise BadFilter(f"letter {letter[:50]!r}: give one of A to Z, or #")
    family_iri = _known(reader, family, FAMILIES, families(reader), "network family")
    commune_iri = _known(reader, commune, COMMUNES, communes(reader), "commune")
    return [
        e
        for e in listed
        if (letter is None or e.letter == letter)
        and (family_iri is None or in_family(reader, e.iri, family_iri))
        and (commune_iri is None or commune_iri in places(reader, e.iri))
    ]


def _known(reader, code: str | None, prefix: str, options: list[Option], what: str):
    if code is None:
        return None
    if code not in {o.code for o in options}:
        known = ", ".join(o.code for o in options)
        raise BadFilter(f"unknown {what} {code[:50]!r}: give one of {known}")
    return reader.ours.at(prefix + code)


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def page_of(listed: list[Entry], page: int) -> list[Entry]:
    return listed[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
