"""A resource's description (``maillage/descriptions.py``) turned into what its page shows: a
label, types, statements grouped by kind, incoming links, and for every statement the claims
that state it. Terms are pyoxigraph's, as the release reader gives them."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, SKOS, XSD

from maillage.asof import When
from maillage.descriptions import Description, Statement
from maillage.namespaces import IGEO, OA, ORG, SCHEMA, curie
from maillage.release_reader import LABELS, TYPE, ClaimRef, ReleaseReader, by_rank, term_order
from maillage.settings import Settings
from server import phrasing as ph
from server.entity_summary import figure_text, summary
from server.i18n import translate
from server.sentence import Part
from server.site import local_href

MAIN_NAMES = (*(p.value for p in LABELS), str(IGEO.nom))
"""What a resource is called: one « Name » row for all of them (the same string given by
``rdfs:label``, ``skos:prefLabel`` and ``schema:name`` is one name)."""
OTHER_NAMES = tuple(map(str, (SKOS.altLabel, SCHEMA.alternateName, SKOS.hiddenLabel)))
"""Its alternative names: one « Other names » row, each name once."""
NAMES = {*MAIN_NAMES, *OTHER_NAMES}
ELSEWHERE = set(map(str, (OWL.sameAs, SKOS.closeMatch, SKOS.exactMatch, IGEO.codeINSEE)))
ELSEWHERE.add(str(DCTERMS.identifier))
CLASSIFYING = set(map(str, (ORG.classification, DCTERMS.subject, SKOS.inScheme)))
TIME = "http://www.w3.org/2006/time#"
DATING = {str(ORG.memberDuring), TIME + "hasTime"}
"""The links from a resource to the interval or instant that places it in time (C14)."""
TIME_CLASSES = {ox.NamedNode(TIME + "Interval"), ox.NamedNode(TIME + "Instant")}
NOT_INCOMING = set(map(str, (RDF.subject, RDF.object)))
"""Reification links to a resource: shown on the claim, not as links to the resource."""
FROM_DOCUMENT = {str(PROV.wasDerivedFrom), str(OA.hasSource)}
"""How a claim (and its Web Annotation target) points at its document."""
PROVENANCE_NAMESPACES = (str(PROV), str(OA))
PROVENANCE_TERMS = (
    "quote",
    "rank",
    "losesTo",
    "rankReason",
    "inferred",
    "inferenceNote",
    "sha256",
    "dateDerivation",
    "publisherDerivation",
    "titleFromFirstSentence",
    "conflictClaim",
)
GROUPS = ("Names", "Figures", "Facts", "Relations", "Classification", "Elsewhere", "Provenance")
FIGURES = ("observation", "target")
"""Our properties whose values are figures: shown as « plus de 350 membres (2019) »."""
PLAIN = {str(XSD.string), str(RDF.langString)}
VALUE, DATE = ox.NamedNode(str(SCHEMA.value)), ox.NamedNode(str(DCTERMS.date))
NUMBERS = {str(XSD.integer), str(XSD.decimal), str(XSD.nonNegativeInteger)}
"""Datatypes a page does not mention."""


@dataclass
class Value:
    term: str
    """The IRI, or the lexical form of a literal."""
    text: str
    href: str | None = None
    lang: str | None = None
    note: str = ""
    """The datatype of a literal or the short name of an IRI, shown small."""
    sources: list[ClaimRef] = field(default_factory=list)
    note_lang: str | None = None
    """The language of the note when it is a name (a figure's name beside its count)."""
    when: When | None = None
    """On a page as of a day, the time of the statement (``server/asof_view.py``); None when it
    is timeless or no day is asked for."""


@dataclass
class Row:
    predicate: str
    label: str
    curie: str
    href: str | None
    """The property's page; None for a row that gathers several properties (names)."""
    values: list[Value] = field(default_factory=list)
    lang: str | None = None
    """The language of the label when it is not the page's (a property named only in English)."""


@dataclass
class Group:
    title: str
    rows: list[Row]


@dataclass
class ResourceView:
    iri: str
    href: str
    label: Value
    types: list[Value]
    groups: list[Group]
    incoming: list[Row]
    withheld: list[tuple[Row, Value]]
    """Statements about the resource that only deprecated (or otherwise withheld) claims make."""
    sentence: dict[str, list[Part]] = field(default_factory=dict)
    """What it is, in a sentence per language (``server/entity_summary.py``)."""
    lang: str = "en"

    @property
    def has_sources(self) -> bool:
        """Whether a statement of the page shows its claims (then the page shows their legend)."""
        rows = [r for g in self.groups for r in g.rows] + self.incoming
        shown = [v for r in rows for v in r.values] + [v for _r, v in self.withheld]
        return any(v.sources for v in shown)


@dataclass(frozen=True)
class ClaimRows:
    """A claim's triples as its card shows them."""

    stated: list
    """What the claim's quote states."""
    in_time: list
    """What the build adds to place it in time (the interval, its attestation): shown apart."""


class Describer:
    """Builds the view of one resource; holds the label cache of one page."""

    def __init__(
        self, reader: ReleaseReader, settings: Settings, description: Description, lang: str = "en"
    ):
        self.reader = reader
        self.lang = lang
        """The page's language: property names, concepts' labels and figures are in it."""
        self.settings = settings
        self.ours = reader.ours
        self.description = description
        self.node = ox.NamedNode(description.iri)
        self.sources = reader.statement_sources(description.iri)
        self._labels: dict[str, ox.Literal | None] = {}

    def view(self) -> ResourceView:
        asserted = [s for s in self.description.outgoing if s.asserted]
        types = sorted({s.object.value for s in asserted if s.predicate == TYPE})
        return ResourceView(
            iri=self.description.iri,
            href=local_href(self.description.iri, self.settings),
            label=self.value(self.node),
            types=[self.value(ox.NamedNode(t)) for t in types],
            groups=self.groups([s for s in asserted if s.predicate != TYPE]),
            incoming=self.incoming(),
            withheld=self.withheld(),
            sentence=summary(self.reader, self.settings, self.description.iri),
            lang=self.lang,
        )

    # --- Values -------------------------------------------------------------------------------

    def label_of(self, node: ox.NamedNode) -> ox.Literal | None:
        """What a value or the page is called: in the page's language when the data has it (a
        concept, a property), else as the data is written (names are in French)."""
        if node.value not in self._labels:
            self._labels[node.value] = self.reader.label(node, self.lang)
        return self._labels[node.value]

    def value(self, term, sources: list[ClaimRef] | None = None) -> Value:
        sources = sources or []
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value
            note = "" if term.language or datatype in PLAIN else curie(datatype)
            text = self.literal_text(term.value, datatype)
            if text != term.value:
                note = f"{note} · {term.value}"
            return Value(term.value, text, lang=term.language, note=note, sources=sources)
        text = term.value
        label = self.label_of(term)
        short = curie(text)
        if short == text and self.ours.path(text) is not None:
            short = self.ours.path(text)
        return Value(
            text,
            label.value if label is not None else short,
            href=local_href(text, self.settings),
            lang=label.language if label is not None else None,
            note=short if label is not None else "",
            sources=sources,
        )

    def literal_text(self, lexical: str, datatype: str) -> str:
        """A date or a number as the page's language writes it: « 5 février 2019 », « 1 200 »;
        anything else, or what does not read as one, as it is."""
        try:
            if datatype in (ph.DATE, ph.YEAR_MONTH):
                return ph.date_text(ph.Dated(lexical, datatype), self.lang)
            if datatype in NUMBERS:
                return ph.number(lexical, self.lang)
        except (ValueError, IndexError):
            pass
        return lexical

    def row(self, predicate: ox.NamedNode) -> Row:
        label = self.reader.label(predicate, self.lang)
        short = curie(predicate.value)
        return Row(
            predicate.value,
            label.value if label is not None else short,
            short,
            local_href(predicate.value, self.settings),
            lang=label.language if label is not None and label.language != self.lang else None,
        )

    def sources_of(self, statement: Statement) -> list[ClaimRef]:
        triple = ox.Triple(statement.subject, statement.predicate, statement.object)
        return self.sources.get(triple, [])

    # --- Grouping -----------------------------------------------------------------------------

    def kind(self, predicate: str, values: list) -> str:
        if predicate in NAMES:
            return "Names"
        if self.ours.term_name(predicate) in FIGURES:
            return "Figures"
        if predicate in ELSEWHERE:
            return "Elsewhere"
        if predicate.startswith(PROVENANCE_NAMESPACES):
            return "Provenance"
        if self.ours.term_name(predicate) in PROVENANCE_TERMS:
            return "Provenance"
        if predicate == str(DCTERMS.source) or predicate.endswith("Derivation"):
            return "Provenance"
        concepts = self.ours.concepts
        if predicate in CLASSIFYING or all(
            isinstance(v, ox.NamedNode) and v.value.startswith(concepts) for v in values
        ):
            return "Classification"
        if all(isinstance(v, ox.Literal) for v in values):
            return "Facts"
        return "Relations"

    def groups(self, statements: list[Statement]) -> list[Group]:
        by_predicate: dict[str, list[Statement]] = {}
        for statement in sorted(statements, key=lambda s: s.predicate.value):
            by_predicate.setdefault(statement.predicate.value, []).append(statement)
        grouped: dict[str, list[Row]] = {title: [] for title in GROUPS}
        grouped["Names"] = self.name_rows(by_predicate)
        for predicate, found in by_predicate.items():
            if predicate in NAMES:
                continue
            row = self.row(found[0].predicate)
            kind = self.kind(predicate, [s.object for s in found])
            if kind == "Figures":
                row.values = self.figures(found)
            else:
                row.values = sorted(
                    (self.value(s.object, self.sources_of(s)) for s in found),
                    key=lambda v: v.text.casefold(),
                )
            grouped[kind].append(row)
        return [Group(title, rows) for title, rows in grouped.items() if rows]

    def name_rows(self, by_predicate: dict[str, list[Statement]]) -> list[Row]:
        """« Name »: each distinct name once (with its language) whatever properties give it;
        « Other names »: the alternative names that are not already a name."""
        main = self.merged_names(by_predicate, MAIN_NAMES, set())
        seen = {(v.text, v.lang) for v in main[0]}
        others = self.merged_names(by_predicate, OTHER_NAMES, seen)
        rows = (("resource.name", main), ("resource.other-names", others))
        return [
            Row(" ".join(given), self.text(key), ", ".join(map(curie, given)), None, values)
            for key, (values, given) in rows
            if values
        ]

    def text(self, key: str) -> str:
        """A message of the interface in the page's language (``server/i18n.py``)."""
        return str(translate(key, self.lang))

    def merged_names(self, by_predicate, predicates, seen: set) -> tuple[list[Value], list[str]]:
        values: dict[tuple, Value] = {}
        given = [p for p in predicates if p in by_predicate]
        for predicate in given:
            for statement in by_predicate[predicate]:
                literal = statement.object
                key = (literal.value, getattr(literal, "language", None) or None)
                if key in seen:
                    continue
                value = values.setdefault(key, self.value(literal))
                value.sources = merged(value.sources, self.sources_of(statement))
        ordered = sorted(values.values(), key=lambda v: (v.lang != "fr", v.text.casefold()))
        return ordered, given

    def figures(self, statements: list[Statement]) -> list[Value]:
        """Each figure as its count says it, « plus de 350 membres (2019) », linking to the
        figure; its name beside it; its sources the claims that state its value. Latest first."""
        values = []
        for statement in statements:
            figure = statement.object
            said = figure_text(self.reader, self.settings, figure.value, self.lang)
            value = self.value(figure, self.sources_of(statement))
            if said is not None:
                value.note, value.note_lang = value.text, value.lang
                value.text, value.lang = said, None
                value.sources = merged(value.sources, self.value_sources(figure))
            values.append(value)
        return sorted(values, key=lambda v: (-self.year(v.term), v.text.casefold()))

    def value_sources(self, figure: ox.NamedNode) -> list[ClaimRef]:
        stated = self.reader.statement_sources(figure.value)
        return [ref for t, refs in stated.items() if t.predicate == VALUE for ref in refs]

    def year(self, iri: str) -> int:
        found = self.reader.first(ox.NamedNode(iri), DATE)
        return int(found.value[:4]) if found is not None and found.value[:4].isdigit() else 0

    def incoming(self) -> list[Row]:
        rows: dict[str, Row] = {}
        claims = self.ours.claim_graphs
        pointing = (s for s in self.description.incoming if s.asserted)
        for statement in sorted(pointing, key=lambda s: (term_order(s.subject), s.predicate.value)):
            subject, predicate = statement.subject, statement.predicate
            if subject == self.node or predicate.value in NOT_INCOMING:
                continue
            if predicate.value in FROM_DOCUMENT and subject.value.startswith(claims):
                continue  # a document's claims: its page lists them with their quotes
            if predicate == self.reader.term("conflictAbout"):
                continue  # the page lists the conflicts about it in a section of their own
            row = rows.setdefault(predicate.value, self.row(predicate))
            row.values.append(self.value(subject, self.sources_of(statement)))
        for row in rows.values():
            row.values.sort(key=lambda v: v.text.casefold())
        return list(rows.values())

    def withheld(self) -> list[tuple[Row, Value]]:
        """Claimed statements (outgoing) that the default graph does not hold."""
        claimed = (s for s in self.description.outgoing if not s.asserted)
        return [
            (self.row(s.predicate), self.value(s.object, self.sources_of(s)))
            for s in sorted(claimed, key=lambda s: (s.predicate.value, term_order(s.object)))
        ]


def merged(refs: list[ClaimRef], more: list[ClaimRef]) -> list[ClaimRef]:
    """Two lists of claims as one, each claim once, in rank order."""
    return sorted({*refs, *more}, key=by_rank)


def has_type(description: Description, cls: str) -> bool:
    return any(
        s.asserted and s.predicate == TYPE and s.object.value == cls for s in description.outgoing
    )


def is_claim(description: Description, reader: ReleaseReader) -> bool:
    return has_type(description, reader.ours.term("Claim"))


def is_conflict(description: Description, reader: ReleaseReader) -> bool:
    return has_type(description, reader.ours.term("Conflict"))


def document_id(description: Description, reader: ReleaseReader) -> str | None:
    """``001`` when the description is of one of our source documents."""
    doc_id = reader.ours.document_id(description.iri)
    if doc_id is not None and has_type(description, str(FOAF.Document)):
        return doc_id
    return None


def triple_rows(describer: Describer, triples: list[ox.Triple]) -> list[tuple[Value, Row, Value]]:
    """Subject, property, object of each triple of a claim, labelled for display."""
    return [
        (describer.value(t.subject), describer.row(t.predicate), describer.value(t.object))
        for t in triples
    ]


def places_in_time(triple: ox.Triple) -> bool:
    """A triple the build adds to a claim to place what it states in time (contract C14): the
    link to an interval or instant (``org:memberDuring``, ``time:hasTime``) and the statements of
    those hash nodes (``#during``, ``#lifespan``…). The claim's text does not say them; its
    document's date (or its ``as_of``) does."""
    return (
        triple.predicate.value in DATING
        or ("#" in triple.subject.value and triple.predicate.value.startswith(TIME))
        or ("#" in triple.subject.value and triple.object in TIME_CLASSES)
    )


def claim_rows(describer: Describer, triples: list[ox.Triple]) -> ClaimRows:
    """A claim's triples for display: what its quote states, and apart what places it in time."""
    return ClaimRows(
        stated=triple_rows(describer, [t for t in triples if not places_in_time(t)]),
        in_time=triple_rows(describer, [t for t in triples if places_in_time(t)]),
    )
