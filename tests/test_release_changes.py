"""What changed between two real releases (``release_history``: A with a duplicate of NXU, B
merging it and changing NXU's kind): the build's ``changes.ttl`` and ``changes.md``, and
``maillage diff`` on the command line."""

from __future__ import annotations

import subprocess
import sys

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV

from maillage.build import build_release
from maillage.changelog import read_changes
from maillage.layout import CHANGES_MARKDOWN, CHANGES_TURTLE, RELEASES_DIR, release_iri
from maillage.namespaces import MLG, ORG
from maillage.releases import history

QUOTE = "fondateur de U-Need (infra cyber, datas IA, management de projets) et du think tank NXU (Next Humanity)"


@pytest.fixture(scope="module")
def history_dirs(release_history):
    root = release_history.settings.var_dir / RELEASES_DIR
    return root / release_history.a, root / release_history.b


@pytest.fixture(scope="module")
def b_changes(release_history, history_dirs):
    base = release_history.settings.base_iri
    data = (history_dirs[1] / CHANGES_TURTLE).read_bytes()
    return read_changes(data, release_iri(base, release_history.b))


def test_the_first_release_says_it_has_no_predecessor(release_history, history_dirs):
    text = (history_dirs[0] / CHANGES_MARKDOWN).read_text()
    assert text.startswith(f"# Changes in release {release_history.a}\n")
    assert "The first release: there is no earlier release" in text
    graph = Graph().parse(history_dirs[0] / CHANGES_TURTLE)
    a_iri = URIRef(release_iri(release_history.settings.base_iri, release_history.a))
    assert (a_iri, PROV.wasRevisionOf, None) not in graph
    assert (a_iri, MLG.claimGraphTriples, None) in graph


def test_b_revises_a_and_names_the_merged_duplicate_as_removed(release_history, b_changes):
    assert b_changes.previous == release_history.a
    removed = {e.entity: e for e in b_changes.entities_of("removed")}
    assert set(removed) == {release_history.duplicate}
    merged = removed[release_history.duplicate]
    assert merged.label == "Next Humanity"
    assert merged.replaced_by == release_history.survivor
    assert merged.claims == (release_history.changed_claim,)


def test_b_names_nxu_changed_with_its_kind_and_the_claim_with_its_quote(release_history, b_changes):
    changed = {e.entity: e for e in b_changes.entities_of("changed")}
    nxu = changed[release_history.survivor]
    assert str(ORG.classification) in nxu.properties
    assert nxu.claims == (release_history.changed_claim,)
    claim = b_changes.claim(release_history.changed_claim)
    assert claim.kind == "changed" and claim.quote == QUOTE
    assert claim.triples_added == 1  # kind:association instead of kind:think-tank
    assert not b_changes.entities_of("added") and not b_changes.claims_of("added")


def test_b_changes_ttl_is_about_b_and_revises_a(release_history, history_dirs):
    base = release_history.settings.base_iri
    graph = Graph().parse(history_dirs[1] / CHANGES_TURTLE)
    b_iri = URIRef(release_iri(base, release_history.b))
    assert (b_iri, PROV.wasRevisionOf, URIRef(release_iri(base, release_history.a))) in graph
    assert (None, MLG.quoteText, Literal(QUOTE)) in graph
    assert "pending-release-id" not in (history_dirs[1] / CHANGES_TURTLE).read_text()


def test_b_changes_md_names_them_for_people(release_history, history_dirs):
    text = (history_dirs[1] / CHANGES_MARKDOWN).read_text()
    assert f"Compared with release {release_history.a}." in text
    assert "## Entities removed" in text
    assert f"[org/next-humanity]({release_history.duplicate}) « Next Humanity »" in text
    assert f"replaced by [org/nxu]({release_history.survivor})" in text
    assert "`org:classification`" in text
    assert f"« {QUOTE} »" in text


def run(settings, *args: str) -> subprocess.CompletedProcess:
    env = {"MAILLAGE_VAR_DIR": str(settings.var_dir), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "maillage.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_maillage_diff_prints_the_same_changes(release_history, history_dirs):
    done = run(release_history.settings, "diff", release_history.a[:6], release_history.b)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (history_dirs[1] / CHANGES_MARKDOWN).read_text()


def test_maillage_diff_names_unknown_ids_and_fails(release_history):
    done = run(release_history.settings, "diff", "0000dead", release_history.b)
    assert done.returncode != 0
    assert done.stdout == ""
    message = done.stderr.strip()
    assert "'0000dead'" in message and message.count("\n") == 0
    assert release_history.a in message and release_history.b in message  # the releases kept


def test_rebuilding_the_same_inputs_gives_the_same_release(release_history):
    """The changes of a rebuild are the live release's own, not an empty diff against
    itself: same inputs, same files, same id, and no new switch in the history."""
    before = history(release_history.settings.var_dir)
    _build, directory = build_release(release_history.settings)
    assert directory.name == release_history.b
    assert history(release_history.settings.var_dir) == before
