"""Data extension: the values of the asked properties for each asked entity. Entities come back as
reconciled entities (``{"id", "name"}``), text and codes as ``{"str"}``, full dates as
``{"date"}`` (ISO date-time at midnight UTC, as the schemas require) and dates known only to the
month or the year as ``{"str"}`` (« 2015-02 »), never given a day they do not have."""

from __future__ import annotations

import re

from server.reconcile.protocol import Extension
from server.reconcile.values import Value, Values
from server.reconcile.vocabulary import TYPE_BY_KEY, Property, proposed

FULL_DATE = re.compile(r"^-?\d{4}-\d{2}-\d{2}$")


def cell(value: Value) -> dict:
    if value.kind == "entity":
        return {"id": value.ref, "name": value.text}
    if value.kind == "date" and FULL_DATE.match(value.text):
        return {"date": f"{value.text}T00:00:00Z"}
    return {"str": value.text}


def meta(extension: Extension) -> list[dict]:
    return [{"id": p.id, "name": p.name} for p, _ in extension.properties]


def cells(values: Values, ref: str, prop: Property, most: int) -> list[dict]:
    """The values of ``ref``, under ``ref`` as asked: those of its successor if it is replaced,
    none if it is withdrawn (docs/http-api.md, « Retired identifiers »)."""
    iri = values.current(ref)
    found = values.of(iri, prop.id) if iri is not None else []
    return [cell(v) for v in (found[:most] if most else found)]


def response_02(values: Values, extension: Extension) -> dict:
    rows = {
        ref: {p.id: cells(values, ref, p, most) for p, most in extension.properties}
        for ref in extension.ids
    }
    return {"meta": meta(extension), "rows": rows}


def response_10(values: Values, extension: Extension) -> dict:
    rows = [
        {
            "id": ref,
            "properties": [
                {"id": p.id, "values": cells(values, ref, p, most)}
                for p, most in extension.properties
            ],
        }
        for ref in extension.ids
    ]
    return {"meta": meta(extension), "rows": rows}


def proposal(type_key: str | None, type_id: str, most: int | None) -> dict:
    """The properties proposed for a type (``/extend/propose?type=…``)."""
    offered = proposed(type_key if type_key in TYPE_BY_KEY else None)
    shown = offered[:most] if most else offered
    answer: dict = {
        "type": type_id,
        "properties": [{"id": p.id, "name": p.name, "description": p.description} for p in shown],
    }
    if most:
        answer["limit"] = most
    return answer


PROPERTY_SETTINGS = [
    {
        "name": "limit",
        "label": "Nombre de valeurs",
        "type": "number",
        "default": 0,
        "help_text": "Au plus ce nombre de valeurs par propriété (0 : toutes).",
    }
]
"""0.2's ``property_settings`` (1.0-draft names them ``propertySettings`` with ``id`` and
``helpText``: ``manifest.py`` renames)."""
