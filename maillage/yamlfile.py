"""YAML reading that keeps the line of every value, so data errors can say file:line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from maillage.errors import DataError


@dataclass(frozen=True)
class Located:
    """A value read from a YAML file with the 1-based line it starts on."""

    value: Any
    line: int


def load_nodes(path: Path) -> yaml.Node:
    """Parse a YAML file into nodes (which carry their marks); syntax errors get file:line."""
    try:
        with path.open(encoding="utf-8") as handle:
            node = yaml.compose(handle)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark else None
        raise DataError(path, line, f"YAML syntax: {error.problem}") from None
    if node is None:
        raise DataError(path, 1, "the file is empty")
    return node


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def to_python(node: yaml.Node) -> Any:
    """Plain Python value of a node (strings stay strings: no implicit dates or numbers)."""
    if isinstance(node, yaml.MappingNode):
        return {to_python(k): to_python(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [to_python(item) for item in node.value]
    return node.value


def mapping_items(path: Path, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node]]:
    """The (key, value node) pairs of a mapping; anything else is an error with its line."""
    if not isinstance(node, yaml.MappingNode):
        raise DataError(path, line_of(node), f"{what} must be a mapping (key: value)")
    items = []
    seen: set[str] = set()
    for key_node, value_node in node.value:
        key = to_python(key_node)
        if not isinstance(key, str):
            raise DataError(path, line_of(key_node), f"{what}: keys must be text")
        if key in seen:
            raise DataError(path, line_of(key_node), f"{what}: {key!r} is given twice")
        seen.add(key)
        items.append((key, value_node))
    return items


def sequence_items(path: Path, node: yaml.Node, what: str) -> list[yaml.Node]:
    if not isinstance(node, yaml.SequenceNode):
        raise DataError(path, line_of(node), f"{what} must be a list")
    return list(node.value)


def scalar_text(path: Path, node: yaml.Node, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise DataError(path, line_of(node), f"{what} must be a non-empty text")
    return str(node.value)
