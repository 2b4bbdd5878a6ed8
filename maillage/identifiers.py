"""The identifier contract in code: how our IRIs are minted and parsed, and how claim files
name things.

Readable, stable IRIs under one canonical base: ``id/{kind}/{slug}`` for entities,
``id/{commune|departement|region}/{INSEE code}`` for territories, ``id/document/{NNN}``,
``id/claim/{NNN}/{claim-id}`` for claim graphs, ``def/{name}`` for our terms. Slugs never change
once published. The pipeline mints under the canonical base (the release is rebased when
written); the server mints and parses under the configured one (``Settings.iris``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass

from rdflib import URIRef

from maillage.namespaces import CANONICAL_BASE, ENTITY_KINDS, ID, PREFIXES, TERRITORY_KINDS

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
INSEE_CODE = {
    "commune": re.compile(r"^(?:[0-9]{2}|2A|2B)[0-9]{3}$"),
    "departement": re.compile(r"^(?:[0-9]{2}|2A|2B|97[1-6])$"),
    "region": re.compile(r"^[0-9]{2}$"),
}
CURIE = re.compile(r"^([a-z][a-z0-9]*):([A-Za-z_][A-Za-z0-9_.-]*)$")


class IdentifierError(ValueError):
    """A reference in a claim file that is not one of our identifier forms."""


@dataclass(frozen=True)
class Base:
    """Our IRIs under one base: minted from their parts, and parsed back into them."""

    iri: str
    """``https://w3id.org/maillage/`` (the canonical base) or the configured one."""

    # --- Minting ------------------------------------------------------------------------------

    def at(self, path: str) -> str:
        """The IRI a path under the base names (``id/org/digital-113``)."""
        return self.iri + path

    def term(self, name: str) -> str:
        """One of our vocabulary's terms (``def/Claim``)."""
        return f"{self.iri}def/{name}"

    def document(self, doc_id: str) -> str:
        return f"{self.iri}id/document/{doc_id}"

    def claim(self, doc_id: str, claim_id: str) -> str:
        return f"{self.claim_graphs}{doc_id}/{claim_id}"

    @property
    def ids(self) -> str:
        return f"{self.iri}id/"

    @property
    def concepts(self) -> str:
        return f"{self.iri}concept/"

    @property
    def claim_graphs(self) -> str:
        """Where the names of our graphs, the claims, start."""
        return f"{self.iri}id/claim/"

    @property
    def sparql(self) -> str:
        """The base IRI of queries (``{base}sparql``, the endpoint's canonical IRI)."""
        return f"{self.iri}sparql"

    # --- Parsing ------------------------------------------------------------------------------

    def path(self, iri: str) -> str | None:
        """``id/org/digital-113`` for an IRI under the base; None for any other."""
        return _under(iri, self.iri)

    def term_name(self, iri: str) -> str | None:
        """``Claim`` for ``{base}def/Claim``; None for any other IRI."""
        name = _under(iri, self.term(""))
        return name if name and "/" not in name else None

    def document_id(self, iri: str) -> str | None:
        """``001`` for ``{base}id/document/001``; None for any other IRI."""
        doc_id = _under(iri, self.document(""))
        return doc_id if doc_id and "/" not in doc_id else None

    def claim_key(self, iri: str) -> tuple[str, str] | None:
        """``("001", "d113-naissance")`` for a claim's IRI; None for any other IRI (its quote or
        annotation nodes, ``…/d113-naissance/quote``, included)."""
        document, _, claim_id = (_under(iri, self.claim_graphs) or "").partition("/")
        if not document or not claim_id or "/" in claim_id:
            return None
        return document, claim_id


def _under(iri: str, prefix: str) -> str | None:
    return iri[len(prefix) :] if iri.startswith(prefix) else None


CANONICAL = Base(CANONICAL_BASE)


def entity_iri(kind: str, slug: str) -> URIRef:
    if kind not in ENTITY_KINDS:
        raise IdentifierError(f"unknown kind {kind!r} (expected one of {', '.join(ENTITY_KINDS)})")
    if not SLUG.match(slug):
        raise IdentifierError(f"bad slug {slug!r}: lower-case ascii words joined by '-'")
    return ID[f"{kind}/{slug}"]


LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae", "ß": "ss"})


def slug_of(name: str) -> str:
    """The slug a name gives at first publication: lower-case ASCII words joined by ``-``
    (``Cyber’Occ`` → ``cyber-occ``, ``Naïo Technologies`` → ``naio-technologies``)."""
    decomposed = unicodedata.normalize("NFKD", name.translate(LIGATURES))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return "-".join(re.findall(r"[a-z0-9]+", bare))


def mint_reference(kind: str, name: str, taken: Container[str]) -> str:
    """A new resource's reference as claim files write it (``org/digital-place``), its slug from
    ``name``, unique against ``taken`` (references already used): ``-2``, ``-3``… is added to a
    slug that is taken. The IRI it names is :func:`entity_iri`'s."""
    slug = slug_of(name)
    if not slug:
        raise IdentifierError(f"{name!r} has no letter or digit to make a slug of")
    candidate, number = slug, 1
    while f"{kind}/{candidate}" in taken:
        number += 1
        candidate = f"{slug}-{number}"
    entity_iri(kind, candidate)  # the kind and the slug are checked
    return f"{kind}/{candidate}"


def territory_iri(kind: str, code: str) -> URIRef:
    if not INSEE_CODE[kind].match(code):
        raise IdentifierError(f"{code!r} is not an INSEE {kind} code")
    return ID[f"{kind}/{code}"]


def document_iri(doc_id: str) -> URIRef:
    return URIRef(CANONICAL.document(doc_id))


def claim_iri(doc_id: str, claim_id: str) -> URIRef:
    return URIRef(CANONICAL.claim(doc_id, claim_id))


def claim_part_iri(doc_id: str, claim_id: str, part: str) -> URIRef:
    """Nodes hanging off a claim: its quote and position selectors, target and annotation."""
    return ID[f"claim/{doc_id}/{claim_id}/{part}"]


def hash_iri(resource: URIRef, name: str) -> URIRef:
    """A node that hangs off ``resource`` and is described with it (``…/id/document/001#date``,
    ``…/id/membership/…#during``): dereferencing the resource shows it."""
    return URIRef(f"{resource}#{name}")


def conflict_iri(slug: str) -> URIRef:
    return ID[f"conflict/{slug}"]


def resolve_reference(text: str) -> URIRef:
    """A reference in a claim file: ``org/slug``, ``commune/31555`` or ``prefix:name``."""
    if "/" in text and ":" not in text:
        kind, _, rest = text.partition("/")
        if kind in TERRITORY_KINDS:
            return territory_iri(kind, rest)
        return entity_iri(kind, rest)
    match = CURIE.match(text)
    if match and match.group(1) in PREFIXES:
        return URIRef(PREFIXES[match.group(1)] + match.group(2))
    if match:
        raise IdentifierError(f"unknown prefix {match.group(1)!r} in {text!r}")
    raise IdentifierError(
        f"{text!r} is neither a resource (org/slug, commune/31555) nor a term (prefix:name)"
    )


def is_ours(iri: str) -> bool:
    return iri.startswith(str(ID))


def entity_kind(iri: str) -> str | None:
    """``org`` for ``…/id/org/digital-113``: the kind of a resource curators mint, or None for
    any other IRI (territories, documents, claims, terms)."""
    path = iri[len(str(ID)) :] if is_ours(iri) else ""
    kind, _, slug = path.partition("/")
    return kind if kind in ENTITY_KINDS and SLUG.match(slug) else None
