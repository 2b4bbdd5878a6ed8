"""The release's full-text index (``search.sqlite``): one row per resource of ours that has a
name or a description, with its IRI, the label a page shows, its class and its words folded as
``maillage/search.py`` says; beside it the quotes of the claims about each of these resources
(``search_quotes.py``) and their facets (``search_facets.py``). Built here, at build time; the
server only reads it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from maillage.namespaces import CANONICAL_BASE, ID, SCHEMA
from maillage.pipeline.search_facets import write_facets
from maillage.pipeline.search_quotes import Mention, quotes_about
from maillage.search import (
    COLUMNS,
    ENTITY_TABLE,
    MATCHED,
    NAME_TABLE,
    NAMES,
    PREFIX_TABLE,
    QUOTE_COLUMNS,
    QUOTE_SHIFT,
    QUOTE_TABLE,
    TABLE,
    TOKENIZER,
    WORD,
    fold,
    indexed,
    squeezed,
)

DESCRIPTIONS = (SCHEMA.description, DCTERMS.description, SKOS.definition, RDFS.comment)
LEFT_OUT = (str(ID["claim/"]),)
"""Claims are read through what they state, not searched for (their labels are their keys)."""


def search_database(
    graph: Graph, vocabulary: Graph | None = None, mentioned: Iterable[Mention] = ()
) -> bytes:
    """The index as the bytes of an SQLite database: the FTS5 table of names and descriptions,
    the one of the quotes of the claims about each resource (``mentioned``: what each claim's
    graph names) and the facets of the same resources (classes labelled from ``vocabulary``,
    the ontology, when given)."""
    connection = sqlite3.connect(":memory:")
    create_fts(connection, TABLE, COLUMNS)
    subjects = sorted(searchable(graph))
    rows = [row for subject in subjects if (row := index_row(graph, subject))]
    connection.executemany(f"INSERT INTO {TABLE} VALUES (?, ?, ?, ?, ?, ?)", rows)
    create_fts(connection, QUOTE_TABLE, QUOTE_COLUMNS)
    quotes = quotes_about(graph, mentioned, {row[0] for row in rows})
    quoted = list(quote_rows(connection, quotes))
    connection.executemany(
        f"INSERT INTO {QUOTE_TABLE}(rowid, iri, claim, exact, text) VALUES (?, ?, ?, ?, ?)",
        quoted,
    )
    write_entities(connection)
    write_prefixes(connection, graph)
    write_facets(connection, graph, vocabulary or Graph(), [row[0] for row in rows])
    write_names(connection, graph, [row[0] for row in rows])
    for table in (TABLE, QUOTE_TABLE):
        connection.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
    connection.commit()
    data = connection.serialize()
    connection.close()
    return data


def create_fts(connection: sqlite3.Connection, table: str, columns: tuple[str, ...]) -> None:
    """An FTS5 table whose columns are shown (unindexed) but for those matched, named in
    :data:`MATCHED`."""
    listed = ", ".join(name if name in MATCHED else f"{name} UNINDEXED" for name in columns)
    connection.execute(f"CREATE VIRTUAL TABLE {table} USING fts5({listed}, tokenize='{TOKENIZER}')")


def quote_rows(connection: sqlite3.Connection, quotes: dict[str, list[tuple[str, str]]]):
    """One row per resource and claim about it: a rowid naming the resource (its rowid in the
    main table, shifted) and the quote's rank, its IRI, the claim, the quote and the quote
    folded."""
    for entity, iri in connection.execute(f"SELECT rowid, iri FROM {TABLE} ORDER BY rowid"):
        for rank, (claim, exact) in enumerate(quotes.get(iri, [])):
            yield (entity << QUOTE_SHIFT) + rank, iri, claim, exact, indexed(exact)


def write_entities(connection: sqlite3.Connection) -> None:
    connection.execute(
        f"CREATE TABLE {ENTITY_TABLE} (id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE)"
    )
    connection.execute(f"INSERT INTO {ENTITY_TABLE} SELECT rowid, iri FROM {TABLE}")


def write_prefixes(connection: sqlite3.Connection, graph: Graph) -> None:
    connection.execute(
        f"CREATE TABLE {PREFIX_TABLE} (key TEXT NOT NULL, tier INTEGER NOT NULL, "
        "size INTEGER NOT NULL, id INTEGER NOT NULL)"
    )
    entities = connection.execute(f"SELECT rowid, iri FROM {TABLE}").fetchall()
    rows = {
        row
        for entity, iri in entities
        for name in literals(graph, URIRef(iri), NAMES)
        for row in prefix_rows(entity, name)
    }
    connection.executemany(f"INSERT INTO {PREFIX_TABLE} VALUES (?, ?, ?, ?)", sorted(rows))
    connection.execute(f"CREATE INDEX {PREFIX_TABLE}_key ON {PREFIX_TABLE} (key)")


def prefix_rows(entity: int, name: str):
    """``(key, tier, size, id)`` for the name and each word of it on (see PREFIX_TABLE)."""
    parts = WORD.findall(fold(name))
    for start in range(len(parts)):
        yield "".join(parts[start:]), 0 if start == 0 else 1, len(name), entity


def write_names(connection: sqlite3.Connection, graph: Graph, iris: list[str]) -> None:
    """The name table (``maillage/search.py``): every name of each indexed resource."""
    connection.execute(f"CREATE TABLE {NAME_TABLE} (iri TEXT NOT NULL, name TEXT NOT NULL)")
    rows = [(iri, name) for iri in iris for name in literals(graph, URIRef(iri), NAMES)]
    connection.executemany(f"INSERT INTO {NAME_TABLE} VALUES (?, ?)", rows)
    connection.execute(f"CREATE INDEX {NAME_TABLE}_iri ON {NAME_TABLE} (iri)")


def searchable(graph: Graph) -> set[URIRef]:
    """Our resources (no hash IRI, no claim) with a name or a description."""
    return {
        subject
        for predicate in NAMES + DESCRIPTIONS
        for subject in graph.subjects(predicate, None)
        if isinstance(subject, URIRef)
        and str(subject).startswith(CANONICAL_BASE)
        and "#" not in subject
        and not str(subject).startswith(LEFT_OUT)
    }


def index_row(graph: Graph, subject: URIRef) -> tuple[str, ...] | None:
    names = literals(graph, subject, NAMES)
    descriptions = literals(graph, subject, DESCRIPTIONS)
    if not names and not descriptions:
        return None
    label = preferred(graph, subject) or (names or [str(subject)])[0]
    return (
        str(subject),
        label,
        class_of(graph, subject),
        " ".join(descriptions),
        " ".join(squeezed(n) + " " + indexed(n) for n in names),
        " ".join(indexed(d) for d in descriptions),
    )


def literals(graph: Graph, subject: URIRef, predicates: tuple[URIRef, ...]) -> list[str]:
    found = [
        str(o)
        for predicate in predicates
        for o in sorted(graph.objects(subject, predicate))
        if isinstance(o, Literal)
    ]
    return list(dict.fromkeys(found))


def preferred(graph: Graph, subject: URIRef) -> str | None:
    """The first name in French (or without a language), in the order of :data:`NAMES`."""
    for predicate in NAMES:
        for o in sorted(graph.objects(subject, predicate)):
            if isinstance(o, Literal) and o.language in ("fr", None):
                return str(o)
    return None


def class_of(graph: Graph, subject: URIRef) -> str:
    """One class of the resource (ours first, then the others, by IRI), "" when untyped."""
    types = sorted(str(t) for t in graph.objects(subject, RDF.type))
    ours = [t for t in types if t.startswith(CANONICAL_BASE)]
    return (ours or types or [""])[0]
