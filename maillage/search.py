"""The full-text index of a release, shared by the build that writes it and the server that reads
it: its table, and the one way text is folded for matching, so that what is indexed and what is
asked meet (accents, case, hyphens and apostrophes ignored: ``AD’OCC`` = ``adocc``).

A query is text, never FTS5 syntax: each of its words becomes a quoted FTS5 string.
"""

from __future__ import annotations

import re
import unicodedata

from maillage.namespaces import DCTERMS, FOAF, IGEO, RDFS, SCHEMA, SKOS

TABLE = "search"
"""The FTS5 table: ``iri``, ``label``, ``class`` and ``description`` are shown (not indexed);
``names`` and ``text`` are the folded names and descriptions, matched."""
COLUMNS = ("iri", "label", "class", "description", "names", "text")
TOKENIZER = "unicode61 remove_diacritics 2"
NAME_WEIGHT = 10.0
"""How much more a word of a name counts than a word of a description (BM25 column weight)."""
QUOTE_TABLE = "quote"
"""An FTS5 table of quotes: each active claim's verbatim quote once for each resource the claim
is about: ``iri``, ``claim`` and ``exact`` are shown (not indexed), ``text`` is the folded quote,
matched. Its rowid is the resource's rowid in :data:`TABLE` shifted by :data:`QUOTE_SHIFT` bits,
plus the quote's rank among the resource's, so that a match names its resource without reading
the row. Apart from :data:`TABLE` so that a resource quoted often does not rank lower for its
names (BM25 weighs a word by the length of its row)."""
QUOTE_COLUMNS = ("iri", "claim", "exact", "text")
QUOTE_SHIFT = 20
"""Up to 2**20 quotes per resource."""
ENTITY_TABLE = "entity"
"""A plain table ``(id, iri)``: the rowid of each resource in :data:`TABLE` and its IRI (unique),
to join matches (rowids) with the facet table (IRIs) without reading the FTS5 rows."""
PREFIX_TABLE = "prefix"
"""A plain table ``(key, tier, size, id)`` for autocomplete and exact names: for each name of a
resource (``id``, its rowid in :data:`TABLE`) and each of its words, the name from that word on,
squeezed (``digitalplace``, ``place``); ``tier`` 0 for the whole name, 1 from a later word;
``size`` the name's length. Indexed on ``key``: a prefix is a range of keys."""
MATCHED = ("names", "text")
"""The columns of both tables that are indexed and matched; the others are only shown."""

NAMES = (
    SKOS.prefLabel,
    RDFS.label,
    SCHEMA.name,
    FOAF.name,
    DCTERMS.title,
    IGEO.nom,
    SKOS.altLabel,
    SCHEMA.alternateName,
)
"""Where a resource's names are, the one a page shows first: indexed by the build, compared by
the reconciliation service (``server/reconcile/``)."""

JOINERS = re.compile(r"[\-\u2010\u2011\u2012\u2013\u2014'\u2019\u02bc\u2018`´]")
"""Hyphens, dashes and apostrophes: ``AD’OCC``, ``AD'OCC`` and ``ADOCC`` are one word."""
WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower case, without accents, hyphens or apostrophes: ``AD’OCC`` → ``adocc``."""
    decomposed = unicodedata.normalize("NFKD", JOINERS.sub("", text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def indexed(text: str) -> str:
    """What is matched for ``text``: its words joined (``adocc``, ``frenchsouth``) and, when a
    hyphen or apostrophe split them, also apart (``l’agence`` is found by ``agence``)."""
    joined = fold(text)
    apart = fold(JOINERS.sub(" ", text))
    return joined if apart == joined else f"{joined} {apart}"


def squeezed(name: str) -> str:
    """A name without its spaces (``digitalplace`` finds « Digital Place »)."""
    return "".join(WORD.findall(fold(name)))


def words(query: str) -> list[str]:
    """The words of a query, folded; control characters and punctuation are not words."""
    return WORD.findall(fold(query))


def match_expression(terms: list[str], every_word: bool = True) -> str:
    """An FTS5 expression in which every term is a quoted string (nothing of the query is
    syntax, and a term is made of word characters only): all of them, or any."""
    return (" " if every_word else " OR ").join(f'"{term}"' for term in terms)


FACET_TABLE = "facet"
"""A plain table beside the FTS5 one: ``(iri, facet, value, label)``, one row per resource,
facet and value, indexed on ``(iri)`` (covering: ``(iri, facet, value, label)``) and on
``(facet, value)``."""
FACET_CLASS = "class"
"""Each ``rdf:type`` IRI; label: the class's French label, or its CURIE."""
FACET_FAMILY = "family"
"""Each ``org:classification`` concept of the ``family:`` scheme; label: its French prefLabel."""
FACET_KIND = "kind"
"""Each ``org:classification`` concept of the ``kind:`` scheme; label: its French prefLabel."""
FACET_COMMUNE = "commune"
"""Each commune of ours the resource is in (``maillage/places.py``); label: its name."""
FACET_INSEE = "insee"
"""The INSEE code of each such commune (``31555``); label: the commune's name."""
FACET_FOUNDED = "founded"
"""The year of ``schema:foundingDate`` (``2019``); label: the same."""
FACETS = (FACET_CLASS, FACET_FAMILY, FACET_KIND, FACET_COMMUNE, FACET_INSEE, FACET_FOUNDED)

NAME_TABLE = "name"
"""A plain table beside the FTS5 one: ``(iri, name)``, one row per name of an indexed resource
(each of :data:`NAMES`, as written), indexed on ``(iri)``: the reconciliation service compares
a query with every name of a candidate without reading the store."""
