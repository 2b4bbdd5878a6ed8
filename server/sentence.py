"""The pieces the sentences of entity pages are made of (``server/entity_summary.py``): a
:class:`Part` of text or a linked name, clauses put together with the typography of each language,
and :class:`Facts`, the few reads of the release's default graph that the clauses make."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from maillage.namespaces import FOAF, GEO, IGEO, MLG, ORG, SCHEMA, SKOS
from maillage.release_reader import DEFAULT, TYPE, ReleaseReader, named, term_order
from maillage.settings import Settings
from server import phrasing as ph
from server.browse_view import sort_key
from server.site import local_href

P = {
    name: named(ns[name.split(":")[-1]])
    for ns, names in (
        (ORG, ("classification", "resultedFrom", "changedBy", "originalOrganization")),
        (ORG, ("resultingOrganization", "hasSite", "hasPrimarySite", "headOf", "hasMembership")),
        (ORG, ("member", "organization", "role", "roleProperty", "memberDuring")),
        (SCHEMA, ("foundingDate", "dissolutionDate", "foundingLocation", "startDate")),
        (SCHEMA, ("endDate", "location", "organizer", "performer", "superEvent", "value")),
        (MLG, ("observation", "target", "measure", "unit", "qualifier", "plannedDate")),
        (MLG, ("plannedSite", "certainlyFrom", "certainlyUntil", "conflictAbout")),
        (MLG, ("conflictClaim",)),
        (GEO, ("sfWithin",)),
        (IGEO, ("codeINSEE", "chefLieu")),
        (FOAF, ("based_near",)),
        (SKOS, ("notation", "altLabel")),
    )
    for name in names
}
P["date"] = named("http://purl.org/dc/terms/date")
P["isReplacedBy"] = named("http://purl.org/dc/terms/isReplacedBy")
P["replaces"] = named("http://purl.org/dc/terms/replaces")


@dataclass(frozen=True)
class Part:
    """A piece of a sentence: words, or a name with the page it links to."""

    text: str
    href: str | None = None
    lang: str | None = None
    """The language of a name when it is not the sentence's (a French name in English)."""


Clause = list[Part]


def plain(parts: list[Part]) -> str:
    return "".join(p.text for p in parts)


class Facts:
    """What a resource's sentence reads: its statements and those of its neighbours."""

    def __init__(self, reader: ReleaseReader, settings: Settings, iri: str):
        self.reader, self.settings = reader, settings
        self.node = ox.NamedNode(iri)

    def values(self, node, predicate) -> list:
        return self.reader.values(node, predicate)

    def one(self, node, key: str):
        return self.reader.first(node, P[key])

    def many(self, node, key: str) -> list:
        return self.values(node, P[key])

    def pointing(self, key: str, node=None) -> list:
        quads = self.reader.quads(None, P[key], node or self.node, DEFAULT)
        return sorted({q.subject for q in quads}, key=term_order)

    def label(self, node, lang: str) -> ox.Literal | None:
        return self.reader.label(node, lang)

    def name(self, node, lang: str) -> Part:
        label = self.label(node, lang)
        text = label.value if label is not None else node.value
        other = label.language if label is not None and label.language != lang else None
        return Part(text, local_href(node.value, self.settings), other)

    def names(self, nodes: list, lang: str) -> Clause:
        ordered = sorted(nodes, key=lambda n: sort_key(self.name(n, lang).text))
        return listed([[self.name(n, lang)] for n in ordered], lang)

    def notation(self, node) -> str:
        found = self.one(node, "notation")
        return found.value if found is not None else node.value.rsplit("/", 1)[-1]

    def dated(self, node, key: str) -> ph.Dated | None:
        found = self.one(node, key)
        return ph.Dated(found.value, found.datatype.value) if found is not None else None

    def has_type(self, node, cls) -> bool:
        return any(t.value == str(cls) for t in self.values(node, TYPE))


# --- Assembling ---------------------------------------------------------------------------------


def listed(items: list[Clause], lang: str) -> Clause:
    """Clauses as a list: « A, B et C »."""
    out: Clause = []
    for i, item in enumerate(items):
        if i:
            last = i == len(items) - 1
            out.append(Part(f" {ph.AND[lang]} " if last else ", "))
        out += item
    return out


def semicolons(clauses: list[Clause], lang: str) -> Clause:
    """Clauses joined by semicolons (French typography: a narrow no-break space before)."""
    out: Clause = []
    for clause in (c for c in clauses if c):
        if out:
            out.append(Part("\u202f; " if lang == "fr" else "; "))
        out += clause
    return out


def sentence(clauses: list[Clause], lang: str) -> list[Part]:
    parts = semicolons(clauses, lang)
    if parts:
        first = parts[0]
        parts[0] = Part(ph.capitalised(first.text), first.href, first.lang)
        parts.append(Part("."))
    return parts


def of_names(names: Clause, lang: str) -> Clause:
    """« de Kaliop », « d'AD'OCC », "of Kaliop": before the names."""
    if lang != "fr":
        return [Part("of "), *names]
    first = names[0].text if names else ""
    return [Part("d’" if ph.of(first).startswith("d’") else "de "), *names]


def capitalised_clause(clause: Clause) -> Clause:
    if not clause:
        return clause
    first = clause[0]
    return [Part(ph.capitalised(first.text), first.href, first.lang), *clause[1:]]
