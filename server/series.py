"""The releases kept, as a series: what ``/releases`` lists and what ``/catalog`` adds to the live
release's catalogue.

Each release wrote at build time what it can say about itself (``catalog.ttl``: the dataset as a
series, the release as its member with its files; ``void.ttl``: its counts). What depends on the
other releases is composed here, once, from the archive the server took when it started: each
other release's description as a member, when each went live (``dcterms:issued``), its
neighbours (``dcat:prev``/``dcat:next``) and the series' ends (``dcat:first``/``dcat:last``).
The server reads only the releases; nothing here imports the pipeline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import pyoxigraph as ox

from maillage.layout import (
    CATALOG,
    CATALOG_TURTLE,
    DATASET,
    MANIFEST,
    VOID_TURTLE,
    release_iri,
)
from maillage.namespaces import MLG
from maillage.rdfio import rebased
from maillage.releases import Archive, Published, parse_time

DCAT = "http://www.w3.org/ns/dcat#"
DCTERMS = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
XSD_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCAT_DATASET = ox.NamedNode(f"{DCAT}Dataset")
DCAT_CATALOG = ox.NamedNode(f"{DCAT}Catalog")
DCAT_SERVICE = ox.NamedNode(f"{DCAT}DataService")
ISSUED = ox.NamedNode(f"{DCTERMS}issued")
MODIFIED = ox.NamedNode(f"{DCTERMS}modified")
COUNTED = {"triples": f"{VOID}triples", "entities": f"{VOID}entities", "claims": f"{MLG}claimCount"}
"""What ``/releases`` counts for each release, and where its ``void.ttl`` says it."""


@dataclass(frozen=True)
class Member:
    """One release kept, as ``/releases`` shows it."""

    release: str
    iri: str
    live: bool
    live_from: tuple[datetime, ...]
    """Each time it went live (UTC), first one first."""
    counts: dict[str, int | None]
    """``triples`` (in the default graph), ``entities``, ``claims``: from its ``void.ttl``."""
    files: int
    size: int
    """Its files (the manifest's, and the manifest) and their bytes."""
    described: bool
    """Its ``catalog.ttl`` describes it as a member of the series (releases built before the
    series was published do not, and are listed but left out of the catalogue's series)."""


@dataclass(frozen=True)
class Series:
    members: list[Member]
    """First-live order."""
    quads: list[ox.Quad]
    """The catalogue: the live release's ``catalog.ttl`` and what the archive adds."""

    def newest_first(self) -> list[Member]:
        return list(reversed(self.members))


def compose(archive: Archive, base: str) -> Series:
    """The series of the releases kept, read from each one's files."""
    live = archive.live
    if live is None:
        return Series([], [])
    catalogs = [read_turtle(p.directory / CATALOG_TURTLE) for p in archive.releases]
    members = [member(p, base, c) for p, c in zip(archive.releases, catalogs, strict=True)]
    quads = set(catalogs[archive.releases.index(live)])
    described_here = {q.subject for q in quads}
    for m, catalog in zip(members, catalogs, strict=True):
        if m.described and not m.live:
            quads |= member_quads(catalog, m.iri, base, described_here)
    described = [m for m in members if m.described]
    quads |= series_quads(described, base)
    latest = max((t for m in members if m.live for t in m.live_from), default=None)
    if latest is not None:
        quads = with_modified(quads, base, latest)
    return Series(members, sorted(quads, key=str))


def read_turtle(path: Path) -> list[ox.Quad]:
    if not path.is_file():
        return []
    return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def member(published: Published, base: str, catalog: list[ox.Quad]) -> Member:
    """A release kept, named by its manifest (a release served from a copy elsewhere, ``maillage
    serve --release DIR``, may sit in a directory of another name)."""
    manifest_bytes = (published.directory / MANIFEST).read_bytes()
    manifest = json.loads(manifest_bytes)
    files = manifest["files"]
    iri = release_iri(base, manifest["release"])
    node = ox.NamedNode(iri)
    return Member(
        release=manifest["release"],
        iri=iri,
        live=published.live,
        live_from=tuple(parse_time(t) for t in published.live_from),
        counts=counts(published.directory / VOID_TURTLE, node, base),
        files=len(files) + 1,
        size=sum(int(e["bytes"]) for e in files.values()) + len(manifest_bytes),
        described=ox.Quad(node, RDF_TYPE, DCAT_DATASET) in set(catalog),
    )


def counts(void: Path, release: ox.NamedNode, base: str) -> dict[str, int | None]:
    """The release's counts as its VoID states them: about the release itself, or, in releases
    built before each release had its own IRI, about the dataset."""
    quads = read_turtle(void)
    dataset = ox.NamedNode(rebased(str(DATASET), base))
    found: dict[str, int | None] = {}
    for key, predicate in COUNTED.items():
        values = {
            q.subject: int(q.object.value)
            for q in quads
            if q.predicate.value == predicate and q.subject in (release, dataset)
        }
        found[key] = values.get(release, values.get(dataset))
    return found


def member_quads(catalog: list[ox.Quad], iri: str, base: str, described_here: set) -> set[ox.Quad]:
    """What an earlier release's catalogue says of itself: the statements about the release and
    its fragments (files, checksums, period), and about the vocabularies' terms the live
    catalogue does not describe; the series, the catalogue and the service are the live one's."""
    own = f"{iri}#"

    def kept(subject) -> bool:
        value = subject.value
        if value == iri or value.startswith(own):
            return True
        return not value.startswith(base) and subject not in described_here

    return {q for q in catalog if isinstance(q.subject, ox.NamedNode) and kept(q.subject)}


def series_quads(members: list[Member], base: str) -> set[ox.Quad]:
    """Membership in the catalogue, the dates each went live, the order."""
    catalog = ox.NamedNode(rebased(str(CATALOG), base))
    series = ox.NamedNode(rebased(str(DATASET), base))
    nodes = [ox.NamedNode(m.iri) for m in members]
    quads = set()
    for m, node in zip(members, nodes, strict=True):
        quads.add(ox.Quad(catalog, ox.NamedNode(f"{DCAT}dataset"), node))
        if m.live_from:
            issued = date_time(m.live_from[0])
            quads.add(ox.Quad(node, ISSUED, issued))
            quads.add(ox.Quad(node, MODIFIED, issued))  # a release never changes
    for before, after in pairwise(nodes):
        quads.add(ox.Quad(after, ox.NamedNode(f"{DCAT}prev"), before))
        quads.add(ox.Quad(before, ox.NamedNode(f"{DCAT}next"), after))
    if nodes:
        quads.add(ox.Quad(series, ox.NamedNode(f"{DCAT}first"), nodes[0]))
        quads.add(ox.Quad(series, ox.NamedNode(f"{DCAT}last"), nodes[-1]))
    return quads


def with_modified(quads: set[ox.Quad], base: str, when: datetime) -> set[ox.Quad]:
    """The series and the catalogue last changed when the live release last went live."""
    changed = {
        ox.NamedNode(rebased(str(DATASET), base)),
        ox.NamedNode(rebased(str(CATALOG), base)),
    }
    kept = {q for q in quads if not (q.predicate == MODIFIED and q.subject in changed)}
    return kept | {ox.Quad(node, MODIFIED, date_time(when)) for node in changed}


def date_time(when: datetime) -> ox.Literal:
    """``2026-03-01T09:00:00+00:00``: UTC written as an offset, the form RDF libraries such as
    rdflib write back (they turn a ``Z`` into it), so every reader gets the same literal."""
    return ox.Literal(when.astimezone(UTC).isoformat(), datatype=XSD_DATETIME)


def releases_quads(series: Series) -> list[ox.Quad]:
    """``/releases`` as RDF: the series and its members, without the catalogue and the service
    around them."""
    around = {
        q.subject
        for q in series.quads
        if q.predicate == RDF_TYPE and q.object in (DCAT_CATALOG, DCAT_SERVICE)
    }
    return [q for q in series.quads if q.subject not in around]
