"""The release contract in one place: the names of what a release directory holds, which the
pipeline writes and the server reads. A release is the unit of deployment: the server needs this
directory and the installed package, nothing of the checkout.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from maillage.namespaces import ID

RELEASES_DIR = "releases"
"""Under the var directory: one directory per release, named by its id."""
CURRENT = "current"
"""Under the var directory: the link to the live release."""
MANIFEST = "manifest.json"
"""Size and SHA-256 of every other file (the store excepted)."""
STORE_DIR = "store"
"""The on-disk pyoxigraph store the SPARQL endpoint and the pages query (not in the manifest)."""

DEFAULT_TURTLE = "maillage.ttl"
DEFAULT_JSONLD = "maillage.jsonld"
DEFAULT_NTRIPLES = "maillage.nt.gz"
ALL_TRIG = "maillage-all.trig"
ALL_NQUADS = "maillage-all.nq.gz"
ONTOLOGY_TURTLE = "ontology.ttl"
ONTOLOGY_JSONLD = "ontology.jsonld"
SHAPES_TURTLE = "shapes.ttl"
SHAPES_JSONLD = "shapes.jsonld"
VALIDATION_REPORT = "validation-report.ttl"
CONTEXT = "context.jsonld"
CONFLICTS_MARKDOWN = "conflicts.md"
CONFLICTS_TURTLE = "conflicts.ttl"
CHANGES_TURTLE = "changes.ttl"
"""What changed since the predecessor (``maillage/changelog.py``), about the release's IRI."""
CHANGES_MARKDOWN = "changes.md"
"""The same changes for people: the data changelog."""
VOID_TURTLE = "void.ttl"
"""VoID statistics, the RDF dumps and example resources (``/.well-known/void``)."""
CATALOG_TURTLE = "catalog.ttl"
"""The DCAT-AP 3 catalogue (``/catalog``)."""
EXAMPLES = "examples.json"
"""The example queries of the home and query pages (taken from README.md at build time)."""
SEARCH_INDEX = "search.sqlite"
"""The full-text index (SQLite FTS5) behind ``/search``, written by the build, read-only here."""
NETWORK = "network.json"
"""The network of organisations, people and events (``maillage/network.py``) behind ``/network``,
written by the build from the default graph, read once by the server."""
DOCUMENTS_DIR = "documents"
"""The source documents' texts, ``documents/<id>.txt``, exactly as the build read them."""

DATA_DUMPS = (DEFAULT_TURTLE, DEFAULT_JSONLD, DEFAULT_NTRIPLES, ALL_TRIG, ALL_NQUADS)
"""The files holding the dataset itself (VoID's ``void:dataDump``): the vocabulary, the shapes,
the reports and the context describe it."""

RELEASE_PATH = "releases/"
"""Under the base: each release's own IRI, ``{base}releases/<id>`` (its page on the server)."""
PENDING_RELEASE_ID = "pending-release-id"
"""The id a file that names its own release is first written with: the id is the SHA-256
address of the files, so it is computed over these files written with this placeholder, and
they are then written again with the id (``maillage/build.py: build_release``)."""
NAMES_ITS_RELEASE = (CHANGES_TURTLE, CHANGES_MARKDOWN, VOID_TURTLE, CATALOG_TURTLE)
"""The release files that name their release, written last, in this order (each may describe
the files before it)."""


def release_iri(base: str, release: str) -> str:
    """The IRI of release ``release`` (a ``dcat:Dataset``, member of the dataset's series)."""
    return f"{base}{RELEASE_PATH}{release}"


DATASET = ID["dataset/maillage"]
"""The dataset's IRI (under the canonical base): VoID, DCAT and the service description."""
CATALOG = ID["dataset/catalog"]
"""The DCAT catalogue's IRI (``/catalog`` describes it)."""

CONTENTS = {
    "maillage.": ("le graphe par défaut", "the default graph"),
    "maillage-all.": (
        "le graphe par défaut et un graphe nommé par affirmation",
        "the default graph and one named graph per claim",
    ),
    "ontology.": (
        "le vocabulaire : termes OWL et schémas de concepts SKOS",
        "the vocabulary: OWL terms and SKOS concept schemes",
    ),
    "shapes.": ("les formes SHACL", "the SHACL shapes"),
    "validation-report.": ("le rapport SHACL de cette version", "the SHACL report of this release"),
    "conflicts.": (
        "les désaccords entre documents et leur classement",
        "the disagreements between documents and their ranking",
    ),
    "context.": ("le contexte JSON-LD", "the JSON-LD context"),
    "changes.": (
        "ce qui a changé depuis la version précédente",
        "what changed since the previous release",
    ),
    "void.": ("statistiques VoID et fichiers RDF", "VoID statistics and the RDF dumps"),
    "catalog.": ("le catalogue DCAT-AP", "the DCAT-AP catalogue"),
    "examples.": ("les requêtes d'exemple", "the example queries"),
    "search.": (
        "l'index plein texte (SQLite FTS5) de la recherche",
        "the full-text index (SQLite FTS5) behind the search",
    ),
    "network.": (
        "le réseau des organisations, personnes et événements (JSON)",
        "the network of organisations, people and events (JSON)",
    ),
    "manifest.": ("taille et SHA-256 de chaque fichier", "size and SHA-256 of every file"),
}
"""What each file holds (French, English), by the start of its name."""


def document_file(doc_id: str) -> str:
    """The release file holding a document's text."""
    return f"{DOCUMENTS_DIR}/{doc_id}.txt"


def contents(name: str) -> tuple[str, str]:
    """What the release file ``name`` holds, in French and English ("" when unknown)."""
    if name.startswith(f"{DOCUMENTS_DIR}/"):
        doc_id = name[len(DOCUMENTS_DIR) + 1 :].rsplit(".", 1)[0]
        return (f"le texte du document {doc_id}", f"the text of document {doc_id}")
    for prefix, texts in CONTENTS.items():
        if name.startswith(prefix):
            return texts
    return ("", "")


@dataclass(frozen=True)
class ExampleQuery:
    """One example query of ``examples.json``."""

    title: str
    description: str
    query: str


def read_examples(release: Path) -> list[ExampleQuery]:
    """The example queries of a release (``examples.json``, a list of objects)."""
    entries = json.loads((release / EXAMPLES).read_text(encoding="utf-8"))
    return [ExampleQuery(**entry) for entry in entries]
