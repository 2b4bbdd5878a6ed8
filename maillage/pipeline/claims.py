"""Stage 2: claim files (``data/claims/NNN.yaml``) → claims, each a few triples and a quote.

Every error names the file and line: YAML syntax, an unknown property or class (a typo),
an unknown reference, a malformed date or number. See ``docs/claims-format.md``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from rdflib import RDF, TIME, XSD, Literal, URIRef
from rdflib.term import Node

from maillage.errors import DataError, DataErrors
from maillage.identifiers import IdentifierError, entity_kind, hash_iri, resolve_reference
from maillage.namespaces import ORG
from maillage.pipeline.dates import IN_XSD
from maillage.pipeline.vocabulary import Vocabulary
from maillage.yamlfile import (
    line_of,
    load_nodes,
    mapping_items,
    scalar_text,
    sequence_items,
)

CLAIM_FIELDS = {"id", "quote", "says", "inferred", "note", "as_of"}
CLAIM_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGES = ("fr", "en")
DATE_KINDS = ("date", "month", "year")
INTERVAL_KINDS = {ORG.memberDuring: ("membership",), TIME.hasTime: ("site",)}
"""Where a curator may write an interval ``{begin: …, end: …}``: under a membership or a site."""
INSTANT_NAMES = {"begin": "beginning", "end": "end"}


@dataclass(frozen=True)
class Statement:
    subject: URIRef
    predicate: URIRef
    object: Node
    line: int


@dataclass
class Claim:
    """What one quote of one document says."""

    doc_id: str
    id: str
    quote: str
    path: Path
    line: int
    statements: list[Statement] = field(default_factory=list)
    inferred: str | None = None
    note: str | None = None
    as_of: Literal | None = None
    """When the quote places its facts at another time than the document's date."""

    @property
    def key(self) -> str:
        """The claim's name across files: ``001/d113-naissance``."""
        return f"{self.doc_id}/{self.id}"


def load_claims(claims_dir: Path, vocabulary: Vocabulary, known_docs: set[str]) -> list[Claim]:
    """Every claim of every file, in file order; all errors of all files reported together."""
    claims: list[Claim] = []
    errors: list[DataError] = []
    for path in sorted(claims_dir.glob("*.yaml")):
        try:
            claims.extend(load_claim_file(path, vocabulary, known_docs))
        except DataErrors as found:
            errors.extend(found.errors)
        except DataError as error:
            errors.append(error)
    if errors:
        raise DataErrors(errors)
    return claims


def load_claim_file(path: Path, vocabulary: Vocabulary, known_docs: set[str]) -> list[Claim]:
    root = load_nodes(path)
    top = dict(mapping_items(path, root, "a claim file"))
    for needed in ("document", "claims"):
        if needed not in top:
            raise DataError(path, line_of(root), f"missing '{needed}'")
    doc_id = scalar_text(path, top["document"], "document")
    if doc_id not in known_docs:
        raise DataError(path, line_of(top["document"]), f"unknown document {doc_id!r}")
    reader = _ClaimReader(path, doc_id, vocabulary)
    claims, errors, seen = [], [], {}
    for node in sequence_items(path, top["claims"], "claims"):
        try:
            claim = reader.claim(node)
        except DataError as error:
            errors.append(error)
            continue
        if claim.id in seen:
            errors.append(
                DataError(
                    path, claim.line, f"claim id {claim.id!r} already used at line {seen[claim.id]}"
                )
            )
        seen[claim.id] = claim.line
        claims.append(claim)
    if errors:
        raise DataErrors(errors)
    return claims


class _ClaimReader:
    def __init__(self, path: Path, doc_id: str, vocabulary: Vocabulary) -> None:
        self.path = path
        self.doc_id = doc_id
        self.vocabulary = vocabulary

    def error(self, node: yaml.Node, message: str) -> DataError:
        return DataError(self.path, line_of(node), message)

    def claim(self, node: yaml.Node) -> Claim:
        fields = dict(mapping_items(self.path, node, "a claim"))
        unknown = set(fields) - CLAIM_FIELDS
        if unknown:
            key = sorted(unknown)[0]
            raise self.error(
                node, f"unknown field {key!r} in a claim (expected {sorted(CLAIM_FIELDS)})"
            )
        for needed in ("id", "quote", "says"):
            if needed not in fields:
                raise self.error(node, f"a claim needs '{needed}'")
        claim_id = scalar_text(self.path, fields["id"], "id")
        if not CLAIM_ID.match(claim_id):
            raise self.error(fields["id"], f"claim id {claim_id!r}: lower-case words joined by '-'")
        claim = Claim(
            doc_id=self.doc_id,
            id=claim_id,
            quote=scalar_text(self.path, fields["quote"], "quote"),
            path=self.path,
            line=line_of(node),
            inferred=self.optional_text(fields.get("inferred"), "inferred"),
            note=self.optional_text(fields.get("note"), "note"),
            as_of=self.as_of(fields.get("as_of")),
        )
        claim.statements = self.statements(fields["says"])
        if not claim.statements:
            raise self.error(fields["says"], "a claim must say at least one thing")
        return claim

    def as_of(self, node: yaml.Node | None) -> Literal | None:
        """``as_of: {date: 2019-02-05}`` (or ``{month: …}``, ``{year: …}``)."""
        if node is None:
            return None
        return self.date_value(node, "as_of")

    def date_value(self, node: yaml.Node, what: str) -> Literal:
        items = mapping_items(self.path, node, what)
        if len(items) != 1 or items[0][0] not in DATE_KINDS:
            raise self.error(node, f"{what} is one of {{date: …}}, {{month: …}}, {{year: …}}")
        ((kind, inner),) = items
        return self.literal(inner, kind, scalar_text(self.path, inner, kind))

    def interval(self, subject: URIRef, predicate: URIRef, node: yaml.Node) -> list[Statement]:
        """``org:memberDuring: {begin: {year: 2017}, end: {month: 2019-02}}`` (or ``time:hasTime``
        under a site): the interval ``<subject#during>`` with its beginning and end instants."""
        kind = entity_kind(str(subject))
        if kind not in INTERVAL_KINDS.get(predicate, ()):
            allowed = " or ".join(INTERVAL_KINDS.get(predicate, ()))
            raise self.error(node, f"a {{begin:, end:}} interval goes under a {allowed}")
        parts = dict(mapping_items(self.path, node, "an interval"))
        unknown = set(parts) - {"begin", "end"}
        if unknown or not parts:
            raise self.error(node, "an interval is {begin: {year: …}, end: {month: …}}, or one")
        interval = hash_iri(subject, "during")
        line = line_of(node)
        found = [
            Statement(subject, predicate, interval, line),
            Statement(interval, RDF.type, TIME.Interval, line),
        ]
        for name, link in (("begin", TIME.hasBeginning), ("end", TIME.hasEnd)):
            if name in parts:
                value = self.date_value(parts[name], name)
                at = hash_iri(subject, INSTANT_NAMES[name])
                found.append(Statement(interval, link, at, line_of(parts[name])))
                found.append(Statement(at, RDF.type, TIME.Instant, line_of(parts[name])))
                found.append(Statement(at, IN_XSD[value.datatype], value, line_of(parts[name])))
        return found

    def optional_text(self, node: yaml.Node | None, what: str) -> str | None:
        return None if node is None else scalar_text(self.path, node, what)

    def statements(self, says: yaml.Node) -> list[Statement]:
        statements = []
        for subject_text, body in mapping_items(self.path, says, "says"):
            subject = self.reference(says, subject_text, body)
            if not str(subject).startswith(self.vocabulary.id_namespace):
                raise self.error(body, f"{subject_text!r}: subjects must be our resources")
            for predicate_text, value_node in mapping_items(self.path, body, subject_text):
                predicate = self.predicate(value_node, predicate_text)
                if predicate in INTERVAL_KINDS and isinstance(value_node, yaml.MappingNode):
                    statements.extend(self.interval(subject, predicate, value_node))
                    continue
                for obj_node in self.values(value_node):
                    obj = self.value(obj_node, predicate)
                    statements.append(Statement(subject, predicate, obj, line_of(obj_node)))
        return statements

    def reference(self, node: yaml.Node, text: str, anchor: yaml.Node | None = None) -> URIRef:
        try:
            iri = resolve_reference(text)
        except IdentifierError as error:
            raise self.error(anchor or node, str(error)) from None
        problem = self.vocabulary.unknown_reference(iri)
        if problem:
            raise self.error(anchor or node, f"{text!r}: {problem}")
        return iri

    def predicate(self, node: yaml.Node, text: str) -> URIRef:
        if text == "a":
            return RDF.type
        try:
            iri = resolve_reference(text)
        except IdentifierError as error:
            raise self.error(node, str(error)) from None
        if not self.vocabulary.is_property(iri):
            hint = difflib.get_close_matches(text, self.vocabulary.property_curies(), n=1)
            suggestion = f" (did you mean {hint[0]}?)" if hint else ""
            raise self.error(node, f"unknown property {text!r}{suggestion}")
        return iri

    def values(self, node: yaml.Node) -> list[yaml.Node]:
        if isinstance(node, yaml.SequenceNode):
            return sequence_items(self.path, node, "values")
        return [node]

    def value(self, node: yaml.Node, predicate: URIRef) -> Node:
        if isinstance(node, yaml.ScalarNode):
            iri = self.reference(node, str(node.value))
            if predicate == RDF.type and not self.vocabulary.is_class(iri):
                raise self.error(node, f"{node.value!r} is not a class of the vocabulary")
            return iri
        items = mapping_items(self.path, node, "a value")
        if len(items) != 1:
            raise self.error(node, "a value is one of {fr: …}, {int: …}, {date: …}, … (one key)")
        ((kind, inner),) = items
        text = scalar_text(self.path, inner, kind)
        return self.literal(inner, kind, text)

    def literal(self, node: yaml.Node, kind: str, text: str) -> Node:
        makers = {
            "text": lambda: Literal(text),
            "int": lambda: self.integer(node, text),
            "decimal": lambda: self.decimal(node, text),
            "date": lambda: self.date(node, text, "%Y-%m-%d", XSD.date),
            "month": lambda: self.date(node, text + "-01", "%Y-%m-%d", XSD.gYearMonth, text),
            "year": lambda: self.date(node, text + "-01-01", "%Y-%m-%d", XSD.gYear, text),
            "iri": lambda: self.external_iri(node, text),
        }
        if kind in LANGUAGES:
            return Literal(text, lang=kind)
        if kind not in makers:
            raise self.error(
                node, f"unknown value kind {kind!r} (expected {', '.join([*LANGUAGES, *makers])})"
            )
        return makers[kind]()

    def integer(self, node: yaml.Node, text: str) -> Literal:
        if not re.fullmatch(r"-?[0-9]+", text):
            raise self.error(node, f"{text!r} is not an integer")
        return Literal(text, datatype=XSD.integer)

    def decimal(self, node: yaml.Node, text: str) -> Literal:
        try:
            Decimal(text)
        except InvalidOperation:
            raise self.error(node, f"{text!r} is not a decimal number") from None
        if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text):
            raise self.error(node, f"{text!r}: write decimals as 1.2")
        return Literal(text, datatype=XSD.decimal)

    def date(self, node, probe: str, fmt: str, datatype: URIRef, lexical: str | None = None):
        lexical = lexical or probe
        pattern = {
            XSD.date: r"\d{4}-\d{2}-\d{2}",
            XSD.gYearMonth: r"\d{4}-\d{2}",
            XSD.gYear: r"\d{4}",
        }
        try:
            if not re.fullmatch(pattern[datatype], lexical):
                raise ValueError
            dt.datetime.strptime(probe, fmt)
        except ValueError:
            raise self.error(node, f"{lexical!r} is not a valid {datatype.split('#')[1]}") from None
        return Literal(lexical, datatype=datatype)

    def external_iri(self, node: yaml.Node, text: str) -> URIRef:
        if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", text):
            raise self.error(node, f"{text!r} is not an http(s) address")
        return URIRef(text)
