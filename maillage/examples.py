"""The README's example queries (``docs/queries/*.rq``) and their real output.

``python -m maillage.examples`` runs each against the live release and rewrites the README
section between the markers; a test checks the README matches, so the examples cannot drift.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from maillage.settings import Settings
from maillage.store import open_read_only

BEGIN, END = "<!-- examples:begin -->", "<!-- examples:end -->"


@dataclass(frozen=True)
class Example:
    path: Path
    title: str
    query: str


def load_examples(settings: Settings) -> list[Example]:
    examples = []
    for path in sorted((settings.checkout / "docs" / "queries").glob("*.rq")):
        query = path.read_text(encoding="utf-8")
        title = query.splitlines()[0].lstrip("# ").strip()
        examples.append(Example(path, title, query))
    return examples


def run_table(store: ox.Store, query: str) -> str:
    """A SELECT's solutions as a Markdown table."""
    solutions = store.query(query)
    names = [v.value for v in solutions.variables]
    rows = [[_cell(row[name]) for name in names] for row in solutions]
    lines = ["| " + " | ".join(names) + " |", "|" + " --- |" * len(names)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _cell(term) -> str:
    return "" if term is None else term.value.replace("|", "\\|").replace("\n", " ")


def examples_markdown(settings: Settings, store: ox.Store) -> str:
    parts = [BEGIN]
    for example in load_examples(settings):
        rel = example.path.relative_to(settings.checkout)
        parts += [f"### {example.title}", "", f"[`{rel}`]({rel})", "", "```sparql"]
        parts += [example.query.rstrip(), "```", "", run_table(store, example.query), ""]
    parts.append(END)
    return "\n".join(parts)


def readme_with_examples(readme: str, section: str) -> str:
    start, end = readme.index(BEGIN), readme.index(END) + len(END)
    return readme[:start] + section + readme[end:]


def main() -> int:
    settings = Settings.from_env()
    store = open_read_only(settings.current_release)
    readme = settings.checkout / "README.md"
    text = readme.read_text(encoding="utf-8")
    readme.write_text(readme_with_examples(text, examples_markdown(settings, store)), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
