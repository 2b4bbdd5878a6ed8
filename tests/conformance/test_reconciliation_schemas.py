"""The validator ``/reconcile``'s tests use (``tests/reconciliation_schemas.py``) against the
Community Group's own examples (``../shared/test-suites/reconciliation/specs/<version>/examples``).

The specs repository's ``test.sh`` runs, for each ``schemas/<name>.json``, every
``examples/<name>/valid/*.json`` (must pass) and ``examples/<name>/invalid/*.json`` (must fail)
with ``ajv test -s schemas/<name>.json -r 'schemas/*.json'``. We do the same, and go further on
the example folders it leaves out because they show a part of a schema (a candidate is an item of a
result batch, preview metadata is the manifest's ``preview``…): each is validated against that
part. Every example folder is either checked or listed below with the reason it cannot be."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reconciliation_schemas import (
    SPECS,
    VERSIONS,
    SchemaViolation,
    registry,
    schema_files,
    validate,
)
from referencing.exceptions import NoSuchResource

PARTS = {
    "reconciliation-candidate": {
        "0.2": "reconciliation-result-batch#/patternProperties/^.*$/properties/result/items",
        "1.0-draft": "reconciliation-result-batch#/properties/results/items/properties/candidates/items",
    },
    "preview-metadata": dict.fromkeys(VERSIONS, "manifest#/properties/preview"),
    "data-extension-metadata": dict.fromkeys(VERSIONS, "manifest#/properties/extend"),
    "suggest-metadata": {"0.2": "manifest#/properties/suggest/definitions/service_definition"},
    "security-scheme": dict.fromkeys(
        VERSIONS, "openapi#/definitions/securityDefinitions/additionalProperties"
    ),
}
"""Example folders that show a part of a schema: the schema and JSON pointer of that part (the
manifest's ``authentication`` is a Swagger 2.0 security scheme, ``openapi.json``)."""

NO_SCHEMA = {
    "flyout-response": "0.2 has no schema for the (deprecated) suggest flyout",
    "preview-response": "an HTML page (example.html), not JSON",
}

UPSTREAM_DISAGREEMENTS = {
    ("security-scheme", "http_basic_auth.json"): (
        "an OpenAPI 3 scheme (`type: http`), while the manifest's `authentication` refers to "
        "Swagger 2.0's schema, where HTTP basic is `type: basic`; the specs repository never "
        "checks this folder"
    ),
}
"""Valid examples the specs' own schemas reject; each must still be rejected (if a new copy of
the specs fixes it, this entry goes)."""


def examples() -> list[tuple[str, str, str, Path]]:
    return [
        (version, folder.name, verdict, path)
        for version in VERSIONS
        for folder in sorted((SPECS / version / "examples").iterdir())
        if folder.name not in NO_SCHEMA
        for verdict in ("valid", "invalid")
        for path in sorted((folder / verdict).glob("*.json"))
    ]


def schema_of(version: str, folder: str) -> str | None:
    if folder in schema_files(version):
        return folder
    return PARTS.get(folder, {}).get(version)


def example_id(example: tuple[str, str, str, Path]) -> str:
    version, folder, verdict, path = example
    return f"{version}/{folder}/{verdict}/{path.name}"


@pytest.mark.parametrize("example", examples(), ids=example_id)
def test_example(example: tuple[str, str, str, Path]) -> None:
    version, folder, verdict, path = example
    schema = schema_of(version, folder)
    assert schema is not None, f"{path}: no schema for {folder!r} (see PARTS and NO_SCHEMA)"
    document = json.loads(path.read_text())
    if verdict == "valid" and (folder, path.name) not in UPSTREAM_DISAGREEMENTS:
        validate(version, schema, document)
    else:
        with pytest.raises(SchemaViolation):
            validate(version, schema, document)


def test_every_example_folder_is_checked_or_explained() -> None:
    for version in VERSIONS:
        for folder in (SPECS / version / "examples").iterdir():
            assert schema_of(version, folder.name) or folder.name in NO_SCHEMA, (
                f"{folder}: no schema and no reason given in NO_SCHEMA"
            )


def test_each_version_has_examples_that_pass_and_fail() -> None:
    """The parametrised test above is not vacuous: the suite is where it should be."""
    for version in VERSIONS:
        verdicts = {verdict for v, _, verdict, _ in examples() if v == version}
        assert verdicts == {"valid", "invalid"}, f"{SPECS / version} has no examples"


def test_an_error_names_the_json_path_and_the_rule() -> None:
    result = {"results": [{"candidates": [{"id": "x", "name": "X", "features": [{"id": "f"}]}]}]}
    with pytest.raises(SchemaViolation) as raised:
        validate("1.0-draft", "reconciliation-result-batch", result)
    message = str(raised.value)
    assert "at $.results[0].candidates[0].features[0]: 'name' is a required property" in message
    assert "rule: required at #/properties/results/items/properties/candidates/items" in message
    assert "'value' is a required property" in message  # every error, not the first


def test_a_reference_to_another_file_resolves_offline() -> None:
    """The 0.2 manifest's ``authentication`` is ``http://swagger.io/v2/schema.json#/…``: it is
    ``openapi.json`` beside it, and anything outside these files is refused, never fetched."""
    manifest = {"versions": ["0.2"], "name": "n", "identifierSpace": "i", "schemaSpace": "s"}
    validate(
        "0.2",
        "manifest",
        manifest | {"authentication": {"type": "apiKey", "name": "k", "in": "query"}},
    )
    with pytest.raises(SchemaViolation, match=r"at \$\.authentication"):
        validate("0.2", "manifest", manifest | {"authentication": {"type": "apiKey"}})
    with pytest.raises(NoSuchResource, match=r"https://example\.org/elsewhere\.json"):
        registry("0.2").get_or_retrieve("https://example.org/elsewhere.json")


def test_unknown_version_or_schema_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"unknown reconciliation API version '0\.3'"):
        validate("0.3", "manifest", {})
    with pytest.raises(ValueError, match=r"no schema 'manifesto' for version 0\.2"):
        validate("0.2", "manifesto", {})
