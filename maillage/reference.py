"""The territory reference: communes, départements and régions as RDF, generated from official data.

Current territories come from the npm package ``@etalab/decoupage-administratif`` (INSEE's Code
officiel géographique, Licence Ouverte), installed by ``npm install``; the former régions
Midi-Pyrénées (73) and Languedoc-Roussillon (91), which the current COG no longer has, come from
``data/reference/former-regions.csv`` (copied from etalab/geohisto). Wikidata links are read from
the reviewed ``data/curation/wikidata-links.csv``: only rows of confidence ``C2`` (two independent
sources) become ``owl:sameAs``. No code, name or coordinate is typed here: every value is read from
those files, and a selected code the package does not have is an error.

The package ships no coordinates, and no official package on npm or PyPI ships commune centroids, so
the territories carry no geometry.

Run from the repository root after ``npm install``: ``python -m maillage.reference``.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from maillage.namespaces import GEO, ID, IGEO, SCHEMA

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_NAME = "@etalab/decoupage-administratif"
DEFAULT_PACKAGE_DIR = Path("node_modules") / PACKAGE_NAME
DEFAULT_OUTPUT = Path("data/reference/territories.ttl")
FORMER_REGIONS_CSV = REPO_ROOT / "data/reference/former-regions.csv"
WIKIDATA_LINKS_CSV = REPO_ROOT / "data/curation/wikidata-links.csv"

CLAIMS_DIR = REPO_ROOT / "data/claims"
NAMED = re.compile(
    r"(?<![\w/])(commune|departement)/((?:[0-9]{2}|2A|2B)[0-9]{3}|[0-9]{2,3}|2A|2B)\b"
)
"""``commune/30007``, ``departement/46`` written in a claim file: the territories it names."""

WHOLE_REGIONS = ("76",)
"""Régions all of whose départements are included."""

GEOHISTO_REGIONS = URIRef(
    "https://github.com/etalab/geohisto/blob/0dd0a0d3bdd9e6b608634f1b8d73e4de9112e04f"
    "/exports/regions/regions.csv"
)
LICENCE_OUVERTE = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence")
DATASET = ID["dataset/territories"]
INSEE_GEO = "http://id.insee.fr/geo/"
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"

CLASSES = {"commune": IGEO.Commune, "departement": IGEO.Departement, "region": IGEO.Region}
QID = re.compile(r"^Q[1-9][0-9]*$")
CONFIDENCES = ("C2", "C", "S", "U")
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class ReferenceDataError(Exception):
    """The inputs of the territory reference are missing, inconsistent or lack a selected code."""


@dataclass(frozen=True)
class Territory:
    kind: str
    code: str
    nom: str
    within: tuple[str, str] | None = None
    """(kind, code) of the territory it lies directly in."""
    chef_lieu: str | None = None
    """INSEE code of the chef-lieu commune."""

    @property
    def iri(self) -> URIRef:
        return territory_iri(self.kind, self.code)


def territory_iri(kind: str, code: str) -> URIRef:
    return ID[f"{kind}/{code}"]


def package_url(version: str) -> URIRef:
    return URIRef(f"https://www.npmjs.com/package/{PACKAGE_NAME}/v/{version}")


def named_in(text: str) -> set[str]:
    """The communes and départements a claim file's text names: ``{"commune/30007", …}``."""
    return {f"{kind}/{code}" for kind, code in NAMED.findall(text)}


def named_territories(claims_dir: Path = CLAIMS_DIR) -> dict[str, set[str]]:
    """The communes and départements the claim files name, by kind: the reference holds those,
    so a claim a curator accepts may name any commune of the COG, and ``make territories`` adds
    it."""
    named: dict[str, set[str]] = {"commune": set(), "departement": set()}
    for path in sorted(claims_dir.glob("*.yaml")):
        for reference in named_in(path.read_text(encoding="utf-8")):
            kind, _, code = reference.partition("/")
            named[kind].add(code)
    return named


def in_reference(path: Path = REPO_ROOT / DEFAULT_OUTPUT) -> set[str]:
    """The territories a reference file describes: ``{"commune/31555", "region/76", …}`` (none
    when there is no such file)."""
    if not path.is_file():
        return set()
    graph = Graph().parse(path, format="turtle")
    prefix = str(ID)
    return {
        str(s)[len(prefix) :]
        for s in graph.subjects(RDF.type, None)
        if str(s).startswith(prefix) and str(s)[len(prefix) :].split("/")[0] in CLASSES
    }


def build_territories(
    package_dir: Path,
    former_regions_csv: Path = FORMER_REGIONS_CSV,
    wikidata_links_csv: Path = WIKIDATA_LINKS_CSV,
    claims_dir: Path = CLAIMS_DIR,
) -> Graph:
    """The territory reference graph, from the installed package and the two committed CSVs:
    the communes and départements the claims name, their départements and régions, and every
    département of the régions in ``WHOLE_REGIONS``."""
    version, cog_year = _package_version(package_dir)
    named = named_territories(claims_dir)
    communes = _select(
        package_rows(package_dir, "communes.json"),
        named["commune"],
        "commune",
        package_dir,
        keep=lambda row: row.get("type") == "commune-actuelle",
    )
    departements_by_code = _index(package_rows(package_dir, "departements.json"), "departement")
    wanted_departements = {c["departement"] for c in communes} | named["departement"]
    wanted_departements |= {
        code for code, row in departements_by_code.items() if row["region"] in WHOLE_REGIONS
    }
    departements = _select(
        list(departements_by_code.values()), sorted(wanted_departements), "departement", package_dir
    )
    wanted_regions = {d["region"] for d in departements} | set(WHOLE_REGIONS)
    regions = _select(
        package_rows(package_dir, "regions.json"), sorted(wanted_regions), "region", package_dir
    )

    territories = [
        *(
            Territory("commune", c["code"], c["nom"], ("departement", c["departement"]))
            for c in communes
        ),
        *(
            Territory("departement", d["code"], d["nom"], ("region", d["region"]), d["chefLieu"])
            for d in departements
        ),
        *(Territory("region", r["code"], r["nom"], None, r["chefLieu"]) for r in regions),
    ]
    former = read_former_regions(former_regions_csv)
    known = {(t.kind, t.code) for t in territories}
    for row in former:
        if ("region", row["code"]) in known:
            raise ReferenceDataError(
                f"{former_regions_csv}: région {row['code']} is in the current COG too"
            )
        if ("region", row["successor"]) not in known:
            raise ReferenceDataError(
                f"{former_regions_csv}: successor région {row['successor']} of {row['code']} "
                "is not in the extract"
            )
    territories += [
        Territory("region", row["code"], row["nom"], None, row["chef_lieu"]) for row in former
    ]

    graph = Graph(bind_namespaces="core")
    for prefix, namespace in (
        ("dcterms", DCTERMS),
        ("geo", GEO),
        ("igeo", IGEO),
        ("owl", OWL),
        ("prov", PROV),
        ("schema", SCHEMA),
        ("skos", SKOS),
    ):
        graph.bind(prefix, namespace)

    _describe_dataset(graph, version, cog_year)
    commune_codes = {t.code for t in territories if t.kind == "commune"}
    former_codes = {row["code"] for row in former}
    for territory in territories:
        _describe(
            graph,
            territory,
            commune_codes,
            former=territory.code in former_codes and territory.kind == "region",
        )
    for row in former:
        old, new = territory_iri("region", row["code"]), territory_iri("region", row["successor"])
        graph.add((old, SCHEMA.startDate, Literal(row["valid_from"], datatype=XSD.date)))
        graph.add((old, SCHEMA.endDate, Literal(row["valid_to"], datatype=XSD.date)))
        graph.add((old, DCTERMS.isReplacedBy, new))
        graph.add((new, DCTERMS.replaces, old))
        graph.add((old, PROV.wasDerivedFrom, GEOHISTO_REGIONS))

    for iri, qid in _read_wikidata_links(wikidata_links_csv, {t.iri for t in territories}):
        graph.add((iri, OWL.sameAs, URIRef(WIKIDATA_ENTITY + qid)))
    return graph


def serialize_territories(graph: Graph) -> bytes:
    """Turtle, byte-for-byte the same for the same graph (rdflib sorts subjects and objects)."""
    header = (
        "# Generated by `python -m maillage.reference` from @etalab/decoupage-administratif,\n"
        "# data/reference/former-regions.csv and data/curation/wikidata-links.csv, for the\n"
        "# communes and départements data/claims/*.yaml name. Do not edit: `make territories`.\n"
    )
    return header.encode("utf-8") + graph.serialize(format="turtle", encoding="utf-8")


def write_territories(package_dir: Path, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(serialize_territories(build_territories(package_dir)))


# --- reading the inputs ------------------------------------------------------------------------


def _package_version(package_dir: Path) -> tuple[str, str | None]:
    """The package's version, and the COG year its README's version table gives for it."""
    manifest_path = package_dir / "package.json"
    if not manifest_path.is_file():
        raise ReferenceDataError(
            f"{manifest_path} not found: run `npm install` at the repository root first"
        )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("name") != PACKAGE_NAME:
        raise ReferenceDataError(
            f"{manifest_path} is not {PACKAGE_NAME} ({manifest.get('name')!r})"
        )
    version = manifest["version"]
    readme = package_dir / "README.md"
    year = None
    if readme.is_file():
        # "| 2026  | 6.0.0  | `npm install …` |": the "Millésimes et versions de package" table.
        row = re.compile(rf"^\|\s*([0-9]{{4}})\s*\|\s*{re.escape(version)}\s*\|", re.MULTILINE)
        match = row.search(readme.read_text(encoding="utf-8"))
        year = match.group(1) if match else None
    return version, year


def package_rows(package_dir: Path, name: str) -> list[dict]:
    """The rows of one of the package's data files (``communes.json``, ``departements.json``,
    ``regions.json``): the one reading of the package, for this module and ``maillage.ingest``."""
    path = package_dir / "data" / name
    if not path.is_file():
        raise ReferenceDataError(f"{path} not found: is {PACKAGE_NAME} installed (`npm install`)?")
    return json.loads(path.read_text(encoding="utf-8"))


def _index(rows: list[dict], kind: str) -> dict[str, dict]:
    index: dict[str, dict] = {}
    for row in rows:
        if row["code"] in index:
            raise ReferenceDataError(f"{PACKAGE_NAME}: {kind} code {row['code']} appears twice")
        index[row["code"]] = row
    return index


def _select(
    rows: list[dict],
    codes: Iterable[str],
    kind: str,
    package_dir: Path,
    keep: Callable[[dict], bool] = lambda row: True,
) -> list[dict]:
    """The rows with these codes, in code order; a missing code is an error."""
    index = _index([row for row in rows if keep(row)], kind)
    codes = sorted(set(codes))
    missing = [code for code in codes if code not in index]
    if missing:
        raise ReferenceDataError(
            f"{PACKAGE_NAME} ({package_dir}) has no {kind} with INSEE code "
            f"{', '.join(missing)}: the code is wrong or the territory changed in this COG"
        )
    return [index[code] for code in codes]


def _data_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """CSV rows with their 1-based line numbers; lines starting with '#' are comments."""
    lines = path.read_text(encoding="utf-8").splitlines()
    numbered = [(n, line) for n, line in enumerate(lines, 1) if line and not line.startswith("#")]
    reader = csv.DictReader(line for _, line in numbered)
    return [(numbered[i + 1][0], row) for i, row in enumerate(reader)]


def read_former_regions(path: Path = FORMER_REGIONS_CSV) -> list[dict[str, str]]:
    """The former régions (Midi-Pyrénées, Languedoc-Roussillon), checked, by code."""
    fields = ["code", "nom", "valid_from", "valid_to", "successor", "chef_lieu"]
    rows = []
    for line, row in _data_rows(path):
        if list(row) != fields:
            raise ReferenceDataError(f"{path}:{line}: expected columns {','.join(fields)}")
        if not (DATE.match(row["valid_from"]) and DATE.match(row["valid_to"])):
            raise ReferenceDataError(f"{path}:{line}: dates must be YYYY-MM-DD")
        rows.append(row)
    return sorted(rows, key=lambda row: row["code"])


def _read_wikidata_links(path: Path, territories: set[URIRef]) -> list[tuple[URIRef, str]]:
    """(territory IRI, QID) for the C2 rows; every row is checked, whatever its confidence."""
    links = []
    for line, row in _data_rows(path):
        iri = ID[row["iri_path"]]
        if iri not in territories:
            raise ReferenceDataError(f"{path}:{line}: {row['iri_path']} is not in the extract")
        if not QID.match(row["qid"]):
            raise ReferenceDataError(f"{path}:{line}: {row['qid']!r} is not a Wikidata QID")
        if row["confidence"] not in CONFIDENCES:
            raise ReferenceDataError(
                f"{path}:{line}: confidence {row['confidence']!r} is not one of "
                f"{', '.join(CONFIDENCES)}"
            )
        if not row["evidence"].strip():
            raise ReferenceDataError(f"{path}:{line}: no evidence for {row['qid']}")
        if row["confidence"] == "C2":
            links.append((iri, row["qid"]))
    return sorted(links)


# --- writing the graph -------------------------------------------------------------------------


def _describe_dataset(graph: Graph, version: str, cog_year: str | None) -> None:
    package = package_url(version)
    cog = f", Code officiel géographique {cog_year} de l'INSEE" if cog_year else ""
    graph.add((DATASET, RDF.type, PROV.Entity))
    graph.add((DATASET, RDFS.label, Literal("Territoires de référence de Maillage", lang="fr")))
    graph.add(
        (
            DATASET,
            RDFS.comment,
            Literal(
                f"Communes, départements et régions extraits du paquet npm {PACKAGE_NAME} "
                f"{version}{cog}; anciennes régions Midi-Pyrénées et Languedoc-Roussillon "
                "d'après etalab/geohisto (exports/regions/regions.csv, commit 0dd0a0d).",
                lang="fr",
            ),
        )
    )
    for source in (package, GEOHISTO_REGIONS):
        graph.add((DATASET, PROV.wasDerivedFrom, source))
        graph.add((DATASET, DCTERMS.source, source))
    graph.add((DATASET, DCTERMS.license, LICENCE_OUVERTE))


def _describe(graph: Graph, territory: Territory, communes: set[str], former: bool) -> None:
    iri = territory.iri
    name = Literal(territory.nom, lang="fr")
    graph.add((iri, RDF.type, CLASSES[territory.kind]))
    graph.add((iri, RDF.type, GEO.Feature))
    graph.add((iri, IGEO.codeINSEE, Literal(territory.code)))
    graph.add((iri, IGEO.nom, name))
    graph.add((iri, SKOS.prefLabel, name))
    graph.add((iri, RDFS.label, name))
    graph.add((iri, DCTERMS.source, DATASET))
    if territory.within:
        graph.add((iri, GEO.sfWithin, territory_iri(*territory.within)))
    if territory.chef_lieu in communes:
        graph.add((iri, IGEO.chefLieu, territory_iri("commune", territory.chef_lieu)))
    if not former:
        # INSEE's code-based IRIs (owl:sameAs synonyms of its versioned UUID IRIs in the COG
        # dump) denote current territories: a former région gets none.
        graph.add((iri, SKOS.closeMatch, URIRef(f"{INSEE_GEO}{territory.kind}/{territory.code}")))


if __name__ == "__main__":
    write_territories(REPO_ROOT / DEFAULT_PACKAGE_DIR, REPO_ROOT / DEFAULT_OUTPUT)
