"""The W3C Entity Reconciliation Community Group's JSON Schemas, to validate what ``/reconcile``
answers: ``validate("0.2", "reconciliation-result-batch", body)``.

The schemas are ``../shared/test-suites/reconciliation/specs/<version>/schemas/*.json``, copied
unchanged from reconciliation-api/specs. They cross-reference each other by ``$id`` (``type.json``,
``lang.json``…) and the manifests point at Swagger 2.0's schema by its web address
(``http://swagger.io/v2/schema.json``), which is ``openapi.json`` beside them: every reference is
resolved from these files, nothing is fetched. The specs repository checks its examples with ajv 6
(``ajv-cli@3``), which reads them as JSON Schema draft 7 with formats checked; so do we.

A ``schema_name`` is a file's name without ``.json`` (``manifest``), optionally followed by a JSON
pointer into it (``reconciliation-result-batch#/properties/results``) to validate a part.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT7

from maillage.settings import REPO_ROOT

SPECS = REPO_ROOT.parent / "shared" / "test-suites" / "reconciliation" / "specs"
"""One folder per version of the protocol, each with ``schemas/`` and ``examples/``."""
VERSIONS = ("0.2", "1.0-draft")


class SchemaViolation(AssertionError):
    """A document breaks a schema; the message names each JSON path and the rule it breaks."""


def schemas_dir(version: str) -> Path:
    if version not in VERSIONS:
        raise ValueError(f"unknown reconciliation API version {version!r}: one of {VERSIONS}")
    return SPECS / version / "schemas"


@functools.cache
def schema_files(version: str) -> dict[str, dict[str, Any]]:
    """``{name: schema}`` for every ``schemas/<name>.json`` of ``version``."""
    return {
        path.stem: json.loads(path.read_text())
        for path in sorted(schemas_dir(version).glob("*.json"))
    }


def schema_id(schema: dict[str, Any]) -> str:
    return schema["$id"].rstrip("#")


def refuse_to_fetch(uri: str) -> Resource:
    """The registry's fallback: a reference to anything but these files is an error, not a fetch."""
    raise NoSuchResource(ref=uri)


@functools.cache
def registry(version: str) -> Registry:
    """Every schema of ``version`` under its ``$id``, read as draft 7 (their ``$schema`` is the
    undated ``http://json-schema.org/schema#``; ajv 6 reads that as draft 7)."""
    resources = [
        (schema_id(schema), DRAFT7.create_resource(schema))
        for schema in schema_files(version).values()
    ]
    return Registry(retrieve=refuse_to_fetch).with_resources(resources)


@functools.cache
def validator(version: str, schema_name: str) -> Draft7Validator:
    name, _, pointer = schema_name.partition("#")
    schemas = schema_files(version)
    if name not in schemas:
        raise ValueError(f"no schema {name!r} for version {version}: one of {sorted(schemas)}")
    schema = schemas[name] if not pointer else {"$ref": f"{schema_id(schemas[name])}#{pointer}"}
    return Draft7Validator(
        schema, registry=registry(version), format_checker=Draft7Validator.FORMAT_CHECKER
    )


def describe(error: ValidationError) -> str:
    """``at $.results[0].candidates[0]: 'name' is a required property (rule: required at
    #/properties/results/…)``; for a failed oneOf/anyOf, the branch that came closest too."""
    rule = "/".join(str(part) for part in error.schema_path)
    text = f"at {error.json_path}: {error.message} (rule: {error.validator} at #/{rule})"
    if error.context:
        closest = best_match(error.context)
        text += f"; closest branch: at {closest.json_path}: {closest.message}"
    return text


def violations(version: str, schema_name: str, document: Any) -> list[str]:
    errors = validator(version, schema_name).iter_errors(document)
    return [describe(error) for error in sorted(errors, key=lambda e: list(map(str, e.path)))]


def validate(version: str, schema_name: str, document: Any) -> None:
    """Raise :class:`SchemaViolation` unless ``document`` is valid against the Community Group's
    schema ``schema_name`` of ``version`` (``"0.2"`` or ``"1.0-draft"``)."""
    found = violations(version, schema_name, document)
    if found:
        lines = "\n  ".join(found)
        raise SchemaViolation(
            f"not a valid {schema_name} ({version}), {len(found)} error(s):\n  {lines}"
        )
