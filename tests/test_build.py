"""The build: provenance offsets, determinism, the release files, and failures that say
file:line and leave the live release untouched."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil

import pytest
from rdflib import RDF, VOID, Graph, URIRef
from release_queries import copy_inputs

from maillage.build import build_release
from maillage.cli import main
from maillage.layout import MANIFEST, PENDING_RELEASE_ID, release_iri
from maillage.pipeline.provenance import normalise
from maillage.pipeline.release import publish, release_id
from maillage.releases import history
from maillage.settings import Settings

RELEASE_FILES = {
    "maillage.ttl",
    "maillage.jsonld",
    "maillage.nt.gz",
    "maillage-all.trig",
    "maillage-all.nq.gz",
    "ontology.ttl",
    "ontology.jsonld",
    "shapes.ttl",
    "shapes.jsonld",
    "validation-report.ttl",
    "void.ttl",
    "conflicts.md",
    "conflicts.ttl",
    "changes.ttl",
    "changes.md",
    "context.jsonld",
    "catalog.ttl",
    "examples.json",
    "search.sqlite",
    "network.json",
    "manifest.json",
}
DOCUMENTS = {f"documents/{n:03}.txt" for n in range(5)}


def test_every_quote_is_found_at_its_recorded_offsets(built):
    _settings, build, _directory = built
    assert len(build.inputs.claims) >= 100
    for claim in build.inputs.claims:
        where = build.graph.locations[claim.key]
        text = build.inputs.documents[claim.doc_id].text
        assert text[where.start : where.end] == where.exact
        assert normalise(where.exact) == normalise(claim.quote), claim.key


def test_release_has_every_file_and_the_manifest_matches(release):
    assert {p.name for p in release.iterdir()} == RELEASE_FILES | {"store", "documents"}
    manifest = json.loads((release / "manifest.json").read_text())
    assert set(manifest["files"]) == (RELEASE_FILES | DOCUMENTS) - {"manifest.json"}
    for name, entry in manifest["files"].items():
        data = (release / name).read_bytes()
        assert entry == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def test_dumps_have_no_blank_nodes(release):
    for name in ("maillage.nt.gz", "maillage-all.nq.gz"):
        text = gzip.decompress((release / name).read_bytes()).decode()
        assert text and "_:" not in text


def test_jsonld_embeds_our_published_context(release):
    """Nothing to fetch: the dump carries the context published as ``context.jsonld``."""
    document = json.loads((release / "maillage.jsonld").read_text())
    published = json.loads((release / "context.jsonld").read_text())
    assert document["@context"] == published["@context"]
    assert len(document["@graph"]) > 100


def test_two_builds_are_byte_identical(release, tmp_path):
    _build, again = build_release(Settings(var_dir=tmp_path / "var"))
    for name in sorted(RELEASE_FILES | DOCUMENTS):
        assert (again / name).read_bytes() == (release / name).read_bytes(), name
    assert again.name == release.name
    assert [switch[0] for switch in history(tmp_path / "var")] == [again.name]


def test_a_release_directory_is_reused_only_for_the_same_files(release, tmp_path):
    """The id is the address of what is published: files changed by new build code (the inputs
    unchanged) make a new release rather than reusing the old directory with stale files."""
    published = json.loads((release / MANIFEST).read_text())["files"]
    files = {name: (release / name).read_bytes() for name in published}
    changed = files | {"network.json": files["network.json"] + b" "}
    var = tmp_path / "var"
    first = publish(files, var, release_id(files), lambda staging: None)
    second = publish(changed, var, release_id(changed), lambda staging: None)
    again = publish(files, var, release_id(files), lambda staging: None)
    assert second != first and (second / "network.json").read_bytes() == changed["network.json"]
    assert again == first and (var / "current").resolve() == first.resolve()


@pytest.fixture
def workspace(tmp_path, release):
    """A copy of the inputs, with a copy of the session's good release live in its var/."""
    settings = Settings(root=copy_inputs(tmp_path / "repo"), var_dir=tmp_path / "var")
    live = settings.var_dir / "releases" / release.name
    shutil.copytree(release, live)
    (settings.var_dir / "current").symlink_to(live.relative_to(settings.var_dir))
    return settings, live


def _break(path, old: str, new: str) -> int:
    """Replace the first ``old`` in a file; returns the 1-based line changed."""
    text = path.read_text(encoding="utf-8")
    index = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:index].count("\n") + 1


def _run_build(settings, monkeypatch, capsys) -> tuple[int, str, str]:
    """``maillage build``: its status, what it said on stderr and on stdout."""
    monkeypatch.setenv("MAILLAGE_ROOT", str(settings.root))
    monkeypatch.setenv("MAILLAGE_VAR_DIR", str(settings.var_dir))
    status = main(["build"])
    said = capsys.readouterr()
    return status, said.err, said.out


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('quote: "', 'quote: "NOT IN THE TEXT ', "not found in document"),
        ("skos:prefLabel:", "skos:prefLabell:", "unknown property 'skos:prefLabell'"),
        ("{year: 20", "{year: 2o", "is not a valid gYear"),
    ],
    ids=["bad-quote", "typoed-property", "malformed-date"],
)
def test_a_bad_claim_fails_with_file_and_line_and_keeps_the_live_release(
    workspace, monkeypatch, capsys, old, new, expected
):
    settings, live = workspace
    path = settings.claims_dir / "001.yaml"
    line = _break(path, old, new)
    before = {p.name: p.read_bytes() for p in live.iterdir() if p.is_file()}
    status, err, _out = _run_build(settings, monkeypatch, capsys)
    assert status == 1
    assert expected in err
    location = f"{path}:"
    assert location in err
    reported = int(err.split(location, 1)[1].split(":", 1)[0])
    assert reported in (line, line - 1, line - 2, line - 3)  # the claim's line or the value's line
    assert (settings.var_dir / "current").resolve() == live.resolve()
    assert {p.name: p.read_bytes() for p in live.iterdir() if p.is_file()} == before


def test_a_changed_document_is_refused(workspace, monkeypatch, capsys):
    settings, live = workspace
    document = next(settings.sources_dir.glob("002_*.txt"))
    document.write_bytes(document.read_bytes() + b" ")
    status, err, _out = _run_build(settings, monkeypatch, capsys)
    assert status == 1
    assert "does not match its recorded SHA-256" in err and "sources.yaml:" in err
    assert (settings.var_dir / "current").resolve() == live.resolve()


def test_an_interrupted_build_leaves_current_in_place(workspace, monkeypatch):
    settings, live = workspace
    from maillage.pipeline import release as release_module

    def crash(*_args):
        raise KeyboardInterrupt

    _break(settings.root / "data" / "dataset.yaml", 'version: "', 'version: "9')
    monkeypatch.setattr(release_module, "write_bytes", crash)
    with pytest.raises(KeyboardInterrupt):
        build_release(settings)
    assert (settings.var_dir / "current").resolve() == live.resolve()
    assert (live / "manifest.json").is_file()


def test_the_canonical_base_is_a_setting(tmp_path):
    settings = Settings(base_iri="https://example.org/m/", var_dir=tmp_path / "var")
    _build, directory = build_release(settings)
    text = gzip.decompress((directory / "maillage-all.nq.gz").read_bytes()).decode()
    assert "<https://example.org/m/id/org/digital-113>" in text
    assert "https://w3id.org/maillage/" not in text
    void = (directory / "void.ttl").read_text()
    assert f"https://example.org/m/releases/{directory.name}/downloads/maillage.ttl" in void


def test_void_lists_only_the_rdf_dumps_of_the_dataset_as_data_dumps(release):
    """The release's own dumps, where they stay once another release is live."""
    void = Graph().parse(release / "void.ttl")
    node = URIRef(release_iri("https://w3id.org/maillage/", release.name))
    where = f"https://w3id.org/maillage/releases/{release.name}/downloads/"
    assert all(str(o).startswith(where) for o in void.objects(node, VOID.dataDump))
    dumps = {str(o).rsplit("/", 1)[-1] for o in void.objects(node, VOID.dataDump)}
    assert dumps == {
        "maillage.ttl",
        "maillage.jsonld",
        "maillage.nt.gz",
        "maillage-all.trig",
        "maillage-all.nq.gz",
    }


def test_each_conflict_names_the_resources_it_is_about(store):
    """What two of a conflict's claims both name; else what its claims are about."""
    mlg, ids = "https://w3id.org/maillage/def/", "https://w3id.org/maillage/id/"
    rows = store.query(
        f"SELECT ?c ?r WHERE {{ ?c a <{mlg}Conflict> OPTIONAL {{ ?c <{mlg}conflictAbout> ?r }} }}"
    )
    about: dict[str, set[str]] = {}
    for row in rows:
        resource = row["r"].value.removeprefix(ids) if row["r"] else None
        about.setdefault(row["c"].value.removeprefix(ids + "conflict/"), set()).add(resource)
    assert len(about) == 14 and all(None not in found for found in about.values())
    assert about["fusion-digital-113-origines"] == {
        "change/fusion-digital-113",
        "org/digital-113",
        "org/digital-place",
        "org/frenchsouth-digital",
    }  # not the sites nor the towns that only one of its claims mentions
    assert about["fusion-digital-113-date"] == {"change/fusion-digital-113"}
    assert about["la-melee-numerique-cluster-ou-evenement"] == {
        "org/la-melee",
    }  # both claims name La Mêlée: the 2015 cluster is La Mêlée, the event is its own


def test_the_conflicts_report_says_what_each_conflict_is_about(release):
    report = (release / "conflicts.md").read_text(encoding="utf-8")
    section = report.split("## Which clusters merged into Digital 113")[1].split("\n## ")[0]
    about = next(line for line in section.splitlines() if line.startswith("About: "))
    assert "<https://w3id.org/maillage/id/org/digital-113>" in about
    assert "<https://w3id.org/maillage/id/change/fusion-digital-113>" in about
    assert "[001/d113-naissance](https://w3id.org/maillage/id/claim/001/d113-naissance)" in section


def test_void_gives_an_organisation_a_person_and_an_event_as_example_resources(release):
    void = Graph().parse(release / "void.ttl")
    default = Graph().parse(release / "maillage.ttl")
    node = URIRef(release_iri("https://w3id.org/maillage/", release.name))
    examples = set(void.objects(node, VOID.exampleResource))
    assert len(examples) == 3
    kinds = {
        "http://www.w3.org/ns/org#Organization",
        "http://xmlns.com/foaf/0.1/Person",
        "http://schema.org/Event",
    }
    found = {str(o) for example in examples for o in default.objects(example, RDF.type)}
    assert kinds <= found


def test_an_example_resource_not_in_the_data_is_refused_with_its_line(
    workspace, monkeypatch, capsys
):
    settings, live = workspace
    path = settings.root / "data" / "dataset.yaml"
    line = _break(path, "- id/person/", "- id/person/nobody-")
    status, err, _out = _run_build(settings, monkeypatch, capsys)
    assert status == 1
    assert f"{path}:{line}: example resource id/person/nobody-" in err
    assert "is not described in the default graph" in err
    assert (settings.var_dir / "current").resolve() == live.resolve()


def test_a_release_that_drops_an_iri_is_refused_until_it_is_retired(workspace, monkeypatch, capsys):
    """An IRI someone may link to never disappears silently: renaming NXU's IRI without a record
    in redirects.yaml is refused and names it; with the record, the release is published."""
    settings, live = workspace
    claims = settings.claims_dir / "004.yaml"
    claims.write_text(claims.read_text().replace("org/nxu", "org/next-humanity"))
    status, err, _out = _run_build(settings, monkeypatch, capsys)
    assert status == 1 and (settings.var_dir / "current").resolve() == live.resolve()
    assert "redirects.yaml: 1 IRI(s) of the live release" in err
    assert "  https://w3id.org/maillage/id/org/nxu\n" in err + "\n"
    redirects = settings.curation_dir / "redirects.yaml"
    redirects.write_text(
        redirects.read_text().replace(
            "retired:\n",
            "retired:\n  - iri: org/nxu\n    replaced_by: org/next-humanity\n"
            "    date: 2026-12-06\n    reason: a test of the rule\n",
            1,
        )
    )
    status, err, out = _run_build(settings, monkeypatch, capsys)
    assert status == 0, err
    assert (settings.var_dir / "current").resolve() != live.resolve()
    new = (settings.var_dir / "current").resolve().name
    assert (
        f"since release {live.name}: entities 1 added, 1 removed, 1 changed; claims 0 added, "
        f"0 removed, 1 changed (`maillage diff {live.name} {new}` lists them)"
    ) in out.splitlines()


def test_the_release_names_itself_with_its_id_and_nothing_keeps_the_placeholder(release):
    """The id addresses the files, so the files that name their release are hashed with a
    placeholder and then written with the id: none keeps the placeholder."""
    catalog = (release / "catalog.ttl").read_text()
    assert f"<https://w3id.org/maillage/releases/{release.name}>" in catalog
    for name in json.loads((release / MANIFEST).read_text())["files"]:
        assert PENDING_RELEASE_ID.encode() not in (release / name).read_bytes(), name
