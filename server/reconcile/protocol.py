"""Reading the requests of the Reconciliation Service API, versions 0.2 (``queries=`` and
``extend=``, JSON in a GET parameter or a POST form, as OpenRefine 3 sends them) and 1.0-draft
(JSON bodies), into one model; and refusing what cannot be answered with one sentence saying what
is wrong and where (``queries.q3.limit: …``)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from server.reconcile.vocabulary import (
    PROPERTIES,
    PROPERTY_BY_ID,
    TYPE_BY_IRI,
    TYPE_BY_KEY,
    EntityType,
    Property,
)

DEFAULT_CANDIDATES = 5
"""Candidates per query when the query gives no ``limit``."""
MAX_BODY_BYTES = 2_000_000
"""Longest request body or parameter read (413 beyond): ten thousand short queries fit, so a
batch too large is refused for its size in queries, which says more."""
MAX_NAME_CHARS = 500
"""Longest name a query may give (400 beyond): a name, not a text."""
MAX_CONSTRAINTS = 20
"""Most property constraints (0.2 ``properties``, 1.0-draft ``conditions``) in one query."""
MAX_VALUES = 50
"""Most values one constraint may give."""
MAX_EXTENDED = 50
"""Most properties one data extension may ask for."""
MAX_PREFIX_CHARS = 200
"""Longest suggest prefix (400 beyond): a name, or its first letters."""
QUANTIFIERS = ("any", "all", "none")


class BadRequest(ValueError):
    """A request the service cannot answer; the message is the 400's one sentence."""


@dataclass(frozen=True)
class Supplied:
    """A value supplied in a query: a string, a number or an entity (``ref`` its identifier)."""

    text: str
    ref: str = ""


@dataclass(frozen=True)
class Constraint:
    property: Property
    values: tuple[Supplied, ...]
    required: bool = False
    quantifier: str = "any"


@dataclass
class Query:
    key: str
    text: str = ""
    types: tuple[EntityType, ...] = ()
    """The candidates' types (any of them); none: any of the service's types."""
    limit: int = DEFAULT_CANDIDATES
    constraints: list[Constraint] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    """Identifiers the candidates must have (1.0-draft's ``matchType: id``)."""


@dataclass(frozen=True)
class Limits:
    queries: int
    candidates: int
    ids: int


@dataclass(frozen=True)
class Extension:
    ids: list[str]
    properties: list[tuple[Property, int]]
    """Each property asked, with its ``limit`` setting (0: every value)."""


# --- JSON ---------------------------------------------------------------------------------------


def parsed(text: str, where: str) -> Any:
    if len(text) > MAX_BODY_BYTES:
        raise BadRequest(f"{where} is {len(text)} characters long; at most {MAX_BODY_BYTES}.")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise BadRequest(f"{where} is not JSON: {error}.") from None
    except RecursionError:
        raise BadRequest(f"{where} is nested too deeply to be read.") from None


def expect(value: Any, kind: type | tuple[type, ...], where: str, what: str) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _kinds(kind)):
        raise BadRequest(f"{where} must be {what}, not {describe(value)}.")
    return value


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {shortened(value)!r}"
    if isinstance(value, list):
        return "an array"
    return "an object"


def shortened(text: str, length: int = 40) -> str:
    return text if len(text) <= length else text[:length] + "…"


def unknown_keys(value: dict, allowed: tuple[str, ...], where: str) -> None:
    extra = sorted(set(value) - set(allowed))
    if extra:
        raise BadRequest(
            f"{where} has an unknown field {shortened(extra[0])!r}; its fields are "
            + ", ".join(allowed)
            + "."
        )


# --- Shared parts -------------------------------------------------------------------------------


def entity_type(value: Any, where: str) -> EntityType:
    """A type by its IRI or its short name (``organisation``)."""
    expect(value, str, where, "a type identifier")
    found = TYPE_BY_IRI.get(value) or TYPE_BY_KEY.get(value)
    if found is None:
        known = ", ".join(TYPE_BY_IRI)
        raise BadRequest(f"{where}: unknown type {shortened(value)!r}; the types are {known}.")
    return found


def prop(value: Any, where: str) -> Property:
    expect(value, str, where, "a property identifier")
    found = PROPERTY_BY_ID.get(value)
    if found is None:
        known = ", ".join(p.id for p in PROPERTIES)
        raise BadRequest(
            f"{where}: unknown property {shortened(value)!r}; the properties are {known}."
        )
    return found


def limit(value: Any, where: str, most: int) -> int:
    expect(value, int | float, where, "a positive integer")
    if not math.isfinite(value) or value != int(value) or value < 1:
        raise BadRequest(f"{where} must be a positive integer, not {value}.")
    if value > most:
        raise BadRequest(f"{where} is {int(value)}; a query may ask for at most {most}.")
    return int(value)


def supplied(value: Any, where: str) -> Supplied:
    if isinstance(value, dict):
        ref = expect(value.get("id"), str, f"{where}.id", "an entity identifier")
        return Supplied(str(value.get("name") or ref), ref)
    if isinstance(value, bool):
        return Supplied("true" if value else "false")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise BadRequest(f"{where} must be a finite number.")
        return Supplied(str(int(value)) if value == int(value) else str(value))
    expect(value, str, where, "a string, a number or an entity {id, name}")
    return Supplied(value)


def name(value: Any, where: str) -> str:
    expect(value, str, where, "a string")
    if len(value) > MAX_NAME_CHARS:
        raise BadRequest(f"{where} is {len(value)} characters long; at most {MAX_NAME_CHARS}.")
    return value


def values(value: Any, where: str) -> tuple[Supplied, ...]:
    items = value if isinstance(value, list) else [value]
    if not items:
        raise BadRequest(f"{where} is an empty array; give at least one value.")
    batch_size(len(items), where, MAX_VALUES, "values")
    return tuple(supplied(item, f"{where}[{i}]") for i, item in enumerate(items))


def batch_size(count: int, where: str, most: int, what: str) -> None:
    if count > most:
        raise BadRequest(f"{where} holds {count} {what}; at most {most} per request.")


# --- Version 0.2 --------------------------------------------------------------------------------

QUERY_FIELDS_02 = ("query", "type", "limit", "properties", "type_strict")


def queries_02(text: str, limits: Limits) -> list[Query]:
    """``queries={"q0": {"query": "Kaliop", "type": …, "limit": 3, "properties": […]}, …}``."""
    batch = expect(parsed(text, "queries"), dict, "queries", "a JSON object of queries by key")
    batch_size(len(batch), "queries", limits.queries, "queries")
    return [query_02(key, body, f"queries.{key}", limits) for key, body in batch.items()]


def query_02(key: str, body: Any, where: str, limits: Limits) -> Query:
    expect(body, dict, where, "a query object")
    unknown_keys(body, QUERY_FIELDS_02, where)
    query = Query(key)
    if "query" in body:
        query.text = name(body["query"], f"{where}.query")
    if body.get("type") is not None:
        given = body["type"]
        if isinstance(given, list):
            query.types = tuple(entity_type(t, f"{where}.type[{i}]") for i, t in enumerate(given))
        else:
            query.types = (entity_type(given, f"{where}.type"),)
    if body.get("limit") not in (None, 0):  # OpenRefine 3 may send 0 for "the default"
        query.limit = limit(body["limit"], f"{where}.limit", limits.candidates)
    if "type_strict" in body and body["type_strict"] not in ("any", "should", "all"):
        raise BadRequest(f"{where}.type_strict must be any, should or all.")
    mappings = expect(body.get("properties", []), list, f"{where}.properties", "an array")
    batch_size(len(mappings), f"{where}.properties", MAX_CONSTRAINTS, "properties")
    for i, mapping in enumerate(mappings):
        at = f"{where}.properties[{i}]"
        expect(mapping, dict, at, "an object {pid, v}")
        unknown_keys(mapping, ("pid", "v"), at)
        if "v" not in mapping:
            raise BadRequest(f"{at} has no value v.")
        query.constraints.append(
            Constraint(prop(mapping.get("pid"), f"{at}.pid"), values(mapping["v"], f"{at}.v"))
        )
    if not query.text.strip() and not query.constraints:
        raise BadRequest(f"{where} has neither a query nor properties.")
    return query


def extension_02(text: str, limits: Limits) -> Extension:
    """``extend={"ids": […], "properties": [{"id": "commune"}, …]}``."""
    return extension(parsed(text, "extend"), "extend", limits)


def extension(body: Any, where: str, limits: Limits) -> Extension:
    expect(body, dict, where, "a JSON object {ids, properties}")
    unknown_keys(body, ("ids", "properties"), where)
    ids = expect(body.get("ids"), list, f"{where}.ids", "an array of identifiers")
    batch_size(len(ids), f"{where}.ids", limits.ids, "identifiers")
    for i, ref in enumerate(ids):
        expect(ref, str, f"{where}.ids[{i}]", "an identifier")
    asked = expect(body.get("properties"), list, f"{where}.properties", "an array of {id}")
    batch_size(len(asked), f"{where}.properties", MAX_EXTENDED, "properties")
    properties = []
    for i, item in enumerate(asked):
        at = f"{where}.properties[{i}]"
        expect(item, dict, at, "an object {id, settings}")
        unknown_keys(item, ("id", "settings"), at)
        settings = expect(item.get("settings", {}), dict, f"{at}.settings", "an object")
        unknown_keys(settings, ("limit",), f"{at}.settings")
        most = settings.get("limit", 0)
        if most not in (0, "0", "", None):
            most = limit(
                int(most) if isinstance(most, str) and most.isdigit() else most,
                f"{at}.settings.limit",
                10_000,
            )
        properties.append((prop(item.get("id"), f"{at}.id"), int(most or 0)))
    return Extension(list(ids), properties)


# --- Version 1.0-draft --------------------------------------------------------------------------

QUERY_FIELDS_10 = ("type", "limit", "conditions", "lang", "dir")
CONDITION_FIELDS = (
    "matchType",
    "propertyId",
    "propertyValue",
    "required",
    "matchQuantifier",
    "matchQualifier",
)


def queries_10(body: Any, limits: Limits) -> list[Query]:
    """``{"queries": [{"conditions": [{"matchType": "name", "propertyValue": "Kaliop"}]}]}``."""
    expect(body, dict, "the body", "a JSON object {queries}")
    unknown_keys(body, ("queries",), "the body")
    batch = expect(body.get("queries"), list, "queries", "an array of queries")
    batch_size(len(batch), "queries", limits.queries, "queries")
    return [query_10(str(i), item, f"queries[{i}]", limits) for i, item in enumerate(batch)]


def query_10(key: str, body: Any, where: str, limits: Limits) -> Query:
    expect(body, dict, where, "a query object")
    unknown_keys(body, QUERY_FIELDS_10, where)
    query = Query(key)
    if body.get("type") is not None:
        query.types = (entity_type(body["type"], f"{where}.type"),)
    if "limit" in body:
        query.limit = limit(body["limit"], f"{where}.limit", limits.candidates)
    conditions = expect(body.get("conditions"), list, f"{where}.conditions", "an array")
    if not conditions:
        raise BadRequest(f"{where}.conditions is empty; give at least one condition.")
    batch_size(len(conditions), f"{where}.conditions", MAX_CONSTRAINTS, "conditions")
    for i, condition in enumerate(conditions):
        read_condition(query, condition, f"{where}.conditions[{i}]")
    return query


def read_condition(query: Query, condition: Any, where: str) -> None:
    expect(condition, dict, where, "a condition object")
    unknown_keys(condition, CONDITION_FIELDS, where)
    kind = condition.get("matchType")
    if kind not in ("name", "id", "property"):
        raise BadRequest(f"{where}.matchType must be name, id or property.")
    if "propertyValue" not in condition:
        raise BadRequest(f"{where} has no propertyValue.")
    if condition.get("matchQualifier") is not None:
        raise BadRequest(f"{where}.matchQualifier: this service supports none.")
    given = values(condition["propertyValue"], f"{where}.propertyValue")
    if kind == "name":
        given_name = " ".join([query.text, *(v.text for v in given)]).strip()
        query.text = name(given_name, f"{where}.propertyValue")
    elif kind == "id":
        query.ids.extend(v.ref or v.text for v in given)
    else:
        quantifier = condition.get("matchQuantifier", "any")
        if quantifier not in QUANTIFIERS:
            raise BadRequest(f"{where}.matchQuantifier must be any, all or none.")
        required = expect(condition.get("required", False), bool, f"{where}.required", "a boolean")
        query.constraints.append(
            Constraint(
                prop(condition.get("propertyId"), f"{where}.propertyId"),
                given,
                required,
                quantifier,
            )
        )
