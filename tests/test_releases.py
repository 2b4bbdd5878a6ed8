"""The releases kept on disk: each switch of the live release is recorded with its time, the
oldest releases beyond the setting are removed (never the live one), and ``maillage releases``
lists them."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import RDF

from maillage.cli import main
from maillage.errors import DataError
from maillage.layout import CURRENT, MANIFEST, RELEASES_DIR
from maillage.pipeline.release import publish, release_id
from maillage.releases import HISTORY, Archive, history, releases_on_disk
from maillage.settings import Settings
from server import errors
from server.app import create_app


def release_files(text: str) -> dict[str, bytes]:
    return {"maillage.ttl": text.encode(), "documents/000.txt": b"texte"}


def published(var, text: str, kept: int | None = None):
    files = release_files(text)
    return publish(files, var, release_id(files), lambda staging: None, kept=kept)


def test_each_switch_is_recorded_in_order_and_the_oldest_are_removed(tmp_path):
    var = tmp_path / "var"
    first = published(var, "a", kept=2)
    second = published(var, "b", kept=2)
    third = published(var, "c", kept=2)
    assert [release for release, _when in history(var)] == [first.name, second.name, third.name]
    assert not first.exists() and second.exists() and third.exists()
    listed = releases_on_disk(var)
    assert [p.release for p in listed] == [second.name, third.name]
    assert [p.live for p in listed] == [False, True]
    assert all(when.endswith("Z") and len(when) == 20 for p in listed for when in p.live_from)


def test_the_live_release_is_never_removed_and_a_rollback_is_a_switch(tmp_path):
    var = tmp_path / "var"
    old = published(var, "a")
    new = published(var, "b")
    again = published(var, "a", kept=1)  # back to the first files: the same id, made live again
    assert again == old and (var / CURRENT).resolve() == old.resolve()
    assert not new.exists()
    assert [release for release, _ in history(var)] == [old.name, new.name, old.name]
    published(var, "a", kept=1)  # already live: nothing to record
    assert len(history(var)) == 3
    (only,) = releases_on_disk(var)
    assert only.live_from == tuple(when for _, when in history(var)[::2])


def test_a_broken_history_line_is_named_with_its_file_and_line(tmp_path):
    var = tmp_path / "var"
    published(var, "a")
    with (var / RELEASES_DIR / HISTORY).open("a") as log:
        log.write("{not json\n")
    with pytest.raises(DataError, match=rf"{HISTORY}:2: not a release history line"):
        history(var)


def test_maillage_releases_lists_them_with_the_live_one_marked(tmp_path, monkeypatch, capsys):
    var = tmp_path / "var"
    monkeypatch.setenv("MAILLAGE_VAR_DIR", str(var))
    assert main(["releases"]) == 0
    assert "no release in" in capsys.readouterr().out
    old, new = published(var, "a"), published(var, "b")
    assert main(["releases"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith(old.name) and "← live" not in lines[1]
    assert lines[2].startswith(new.name) and lines[2].endswith("← live")
    assert f"{len(release_files('b'))}  " in lines[2]
    assert (new / MANIFEST).exists()


def test_the_archive_says_what_was_live_when(release_history):
    """A then B, each with the time it went live; before A, A answers (RFC 7089, 4.5.3)."""
    h = release_history
    archive = Archive(h.settings.var_dir, h.settings.base_iri)
    assert [p.release for p in archive.releases] == [h.a, h.b]
    assert archive.live.release == h.b and archive.went_live(h.a) == h.a_live_from
    assert archive.live_at(h.a_live_from - timedelta(days=400)).release == h.a
    assert archive.live_at(h.b_live_from - timedelta(seconds=1)).release == h.a
    assert archive.live_at(h.b_live_from).release == h.b
    assert archive.previous(h.b).release == h.a and archive.next(h.b) is None
    assert archive.get("0000000000000000") is None
    old, rdf_type = archive.reader(h.a), ox.NamedNode(str(RDF.type))
    assert old is archive.reader(h.a) and old.values(ox.NamedNode(h.duplicate), rdf_type)
    assert not archive.reader(h.b).values(ox.NamedNode(h.duplicate), rdf_type)


def test_the_merge_is_published_in_b_and_the_changed_claim_differs(release_history):
    h = release_history
    archive = Archive(h.settings.var_dir, h.settings.base_iri)
    a, b = archive.reader(h.a), archive.reader(h.b)
    kind = ox.NamedNode("http://www.w3.org/ns/org#classification")
    nxu = ox.NamedNode(h.survivor)
    assert [o.value.rsplit("/", 1)[1] for o in a.values(nxu, kind)] == ["think-tank"]
    assert [o.value.rsplit("/", 1)[1] for o in b.values(nxu, kind)] == ["association"]
    replaced = ox.NamedNode("http://purl.org/dc/terms/isReplacedBy")
    assert b.values(ox.NamedNode(h.duplicate), replaced) == [nxu]


def test_an_unknown_release_is_answered_with_the_list(release_history):
    h = release_history
    client = TestClient(create_app(Settings(var_dir=h.settings.var_dir)))
    error = errors.unknown_release("feedfacefeedface", client.app.state.archive)
    assert error.status_code == 404
    assert f"{h.a} (live from 2026-01-15T09:00:00Z), {h.b} (live from" in error.detail


def test_a_copy_served_alone_is_named_by_its_manifest(release_history, tmp_path):
    """``maillage serve --release DIR``: the copy's folder may have any name."""
    h = release_history
    copy = tmp_path / "release"
    shutil.copytree(
        h.settings.var_dir / "releases" / h.b, copy, ignore=shutil.ignore_patterns("store")
    )
    archive = Archive(tmp_path / "var", h.settings.base_iri, served=copy)
    assert [p.release for p in archive.releases] == [h.b] and archive.live.directory == copy
    served_in_place = Archive(
        h.settings.var_dir, h.settings.base_iri, served=h.settings.var_dir / "releases" / h.a
    )
    assert served_in_place.live.release == h.a and served_in_place.went_live(h.a) == h.a_live_from
