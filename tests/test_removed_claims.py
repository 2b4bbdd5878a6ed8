"""A claim that disappears from the claims (renamed, merged, split) is published as removed,
naming the last release that had it, and its IRI answers 410 Gone rather than 404; the record
is carried from release to release, and a rebuild is still the same release."""

from __future__ import annotations

import gzip
import shutil

import pyoxigraph as ox
from fastapi.testclient import TestClient
from release_queries import copy_inputs

from maillage.build import build_release
from maillage.settings import Settings
from server.app import create_app

OLD = "https://w3id.org/maillage/id/claim/004/luc-marta-de-andrade-nxu"
NEW = OLD + "-think-tank"
NOTE = "http://www.w3.org/2004/02/skos/core#changeNote"


def statements(directory, subject: str) -> dict[str, str]:
    dump = gzip.decompress((directory / "maillage.nt.gz").read_bytes())
    return {
        q.predicate.value: q.object.value
        for q in ox.parse(dump, format=ox.RdfFormat.N_TRIPLES)
        if q.subject == ox.NamedNode(subject)
    }


def test_a_renamed_claim_is_published_as_removed_and_answers_gone(release, tmp_path):
    settings = Settings(root=copy_inputs(tmp_path / "repo"), var_dir=tmp_path / "var")
    live = settings.var_dir / "releases" / release.name
    shutil.copytree(release, live)
    (settings.var_dir / "current").symlink_to(live.relative_to(settings.var_dir))
    claims = settings.claims_dir / "004.yaml"
    claims.write_text(
        claims.read_text().replace(
            "id: luc-marta-de-andrade-nxu\n", "id: luc-marta-de-andrade-nxu-think-tank\n"
        )
    )

    _build, renamed = build_release(settings)
    said = statements(renamed, OLD)
    assert said["http://www.w3.org/2002/07/owl#deprecated"] == "true"
    assert said[NOTE].startswith(f"Removed from the claims after release {release.name}")
    assert "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" in statements(renamed, NEW)

    _build, again = build_release(settings)  # the same inputs: the same release
    assert again == renamed
    claims.write_text(claims.read_text().replace("kind:think-tank", "kind:association", 1))
    _build, later = build_release(settings)  # another change: the record is carried
    assert later != renamed and statements(later, OLD) == said

    with TestClient(create_app(Settings(var_dir=settings.var_dir))) as client:
        gone = client.get("/id/claim/004/luc-marta-de-andrade-nxu.ttl")
        assert gone.status_code == 410
        assert release.name in gone.text
        assert (
            client.get(
                "/id/claim/004/luc-marta-de-andrade-nxu", headers={"Accept": "text/turtle"}
            ).status_code
            == 410
        )
