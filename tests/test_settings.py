"""Settings: one object, every field documented, bad values stop with the key's name."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from maillage.settings import REPO_ROOT, Settings, SettingsError


def test_every_setting_is_documented():
    doc = (REPO_ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    fields = [f.name for f in dataclasses.fields(Settings)]
    assert fields
    for name in fields:
        assert f"`MAILLAGE_{name.upper()}`" in doc, name


def test_environment_overrides_defaults():
    settings = Settings.from_env({"MAILLAGE_PORT": "8080", "MAILLAGE_VAR_DIR": "/tmp/x"})
    assert settings.port == 8080
    assert settings.var_dir == Path("/tmp/x")


@pytest.mark.parametrize(
    ("env", "key"),
    [
        ({"MAILLAGE_PORT": "eighty"}, "MAILLAGE_PORT"),
        ({"MAILLAGE_BASE_IRI": "w3id.org"}, "MAILLAGE_BASE_IRI"),
    ],
)
def test_a_bad_value_names_its_key(env, key):
    with pytest.raises(SettingsError, match=key):
        Settings.from_env(env)
