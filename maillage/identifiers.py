"""The identifier contract in code: how our IRIs are minted and how claim files name things.

Readable, stable IRIs under one canonical base: ``id/{kind}/{slug}`` for entities,
``id/{commune|departement|region}/{INSEE code}`` for territories, ``id/document/{NNN}``,
``id/claim/{NNN}/{claim-id}`` for claim graphs. Slugs never change once published.
"""

from __future__ import annotations

import re

from rdflib import URIRef

from maillage.namespaces import ENTITY_KINDS, ID, PREFIXES, TERRITORY_KINDS

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
INSEE_CODE = {
    "commune": re.compile(r"^(?:[0-9]{2}|2A|2B)[0-9]{3}$"),
    "departement": re.compile(r"^(?:[0-9]{2}|2A|2B|97[1-6])$"),
    "region": re.compile(r"^[0-9]{2}$"),
}
CURIE = re.compile(r"^([a-z][a-z0-9]*):([A-Za-z_][A-Za-z0-9_.-]*)$")


class IdentifierError(ValueError):
    """A reference in a claim file that is not one of our identifier forms."""


def entity_iri(kind: str, slug: str) -> URIRef:
    if kind not in ENTITY_KINDS:
        raise IdentifierError(f"unknown kind {kind!r} (expected one of {', '.join(ENTITY_KINDS)})")
    if not SLUG.match(slug):
        raise IdentifierError(f"bad slug {slug!r}: lower-case ascii words joined by '-'")
    return ID[f"{kind}/{slug}"]


def territory_iri(kind: str, code: str) -> URIRef:
    if not INSEE_CODE[kind].match(code):
        raise IdentifierError(f"{code!r} is not an INSEE {kind} code")
    return ID[f"{kind}/{code}"]


def document_iri(doc_id: str) -> URIRef:
    return ID[f"document/{doc_id}"]


def claim_iri(doc_id: str, claim_id: str) -> URIRef:
    return ID[f"claim/{doc_id}/{claim_id}"]


def claim_part_iri(doc_id: str, claim_id: str, part: str) -> URIRef:
    """Nodes hanging off a claim: its quote and position selectors, target and annotation."""
    return ID[f"claim/{doc_id}/{claim_id}/{part}"]


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
