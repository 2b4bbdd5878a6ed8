"""Our IRIs minted and parsed under one base (maillage/identifiers.py), and a release built and
served under another base than the canonical one: every page then mints and parses under it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from maillage.build import build_release
from maillage.identifiers import CANONICAL, Base, claim_iri, document_iri, entity_kind
from maillage.settings import Settings
from server.app import create_app

OTHER = "https://example.org/m/"
BROWSER = {"accept": "text/html"}


@pytest.mark.parametrize("base", [CANONICAL, Base(OTHER)], ids=["canonical", "other"])
def test_what_is_minted_parses_back(base):
    assert base.claim_key(base.claim("001", "d113-naissance")) == ("001", "d113-naissance")
    assert base.document_id(base.document("004")) == "004"
    assert base.term_name(base.term("DeprecatedRank")) == "DeprecatedRank"
    assert base.path(base.at("id/org/digital-113")) == "id/org/digital-113"
    assert base.sparql == base.iri + "sparql"
    assert base.claim_graphs == base.iri + "id/claim/"


def test_other_forms_do_not_parse():
    base = Base(OTHER)
    assert base.claim_key(OTHER + "id/claim/001/d113-naissance/quote") is None
    assert base.claim_key(OTHER + "id/claim/001") is None
    assert base.claim_key(CANONICAL.claim("001", "d113-naissance")) is None  # another base
    assert base.document_id(OTHER + "id/document/001/text") is None
    assert base.document_id(OTHER + "id/org/digital-113") is None
    assert base.term_name(OTHER + "def/") is None
    assert base.path("https://example.org/other") is None


def test_the_canonical_functions_mint_under_the_canonical_base():
    assert str(claim_iri("001", "x")) == CANONICAL.claim("001", "x")
    assert str(document_iri("001")) == CANONICAL.document("001")
    assert entity_kind(CANONICAL.at("id/org/digital-113")) == "org"
    assert entity_kind(CANONICAL.at("id/commune/31555")) is None
    assert entity_kind(CANONICAL.document("001")) is None


def test_pages_of_a_release_under_another_base(tmp_path):
    settings = Settings(base_iri=OTHER, var_dir=tmp_path / "var")
    build_release(settings)
    with TestClient(create_app(settings)) as client:
        text = client.get("/id/org/digital-113.html", headers=BROWSER).text
        assert f"<code>{OTHER}id/org/digital-113</code>" in text
        assert f'href="{OTHER}' not in text  # ours link here
        assert 'href="/document/001?claim=d113-naissance#claim-d113-naissance"' in text
        assert 'href="/id/conflict/fusion-digital-113-origines"' in text
        document = client.get("/document/001", headers=BROWSER)
        assert document.status_code == 200 and "d113-naissance" in document.text
        claim = client.get("/id/claim/001/d113-naissance.html", headers=BROWSER).text
        assert "L’affirmation" in claim and "préférée" in claim
        home = client.get("/", headers=BROWSER).text
        assert "Which clusters merged into Digital 113" in home
