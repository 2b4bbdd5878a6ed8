"""What the pages show from README.md, so that it is written once: the example queries (section
"Example queries": each fenced ``sparql`` block, titled by the heading or sentence before it),
extracted at build time into the release's ``examples.json`` (the server reads no README)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from maillage.layout import ExampleQuery

FENCE = re.compile(r"^(```+|~~~+)\s*([\w-]*)\s*$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
QUERY_KEYWORDS = ("PREFIX", "BASE", "SELECT", "CONSTRUCT", "ASK", "DESCRIBE")


def section(markdown: str, title: str) -> list[str]:
    """The lines under the level-2 heading ``title``, up to the next level-1 or level-2 one."""
    lines = markdown.splitlines()
    start = None
    in_fence = False
    for number, line in enumerate(lines):
        if FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else HEADING.match(line)
        if heading and len(heading.group(1)) <= 2:
            if start is not None:
                return lines[start:number]
            if heading.group(2).strip().lower() == title.lower():
                start = number + 1
    return lines[start:] if start is not None else []


def example_queries(markdown: str) -> list[ExampleQuery]:
    """The fenced SPARQL blocks of the "Example queries" section, in order."""
    examples: list[ExampleQuery] = []
    heading, prose, block, fence, language = "", [], None, "", ""
    for line in section(markdown, "Example queries"):
        opening = FENCE.match(line)
        if block is not None:
            if opening and line.strip().startswith(fence) and not opening.group(2):
                if is_query(language, block):
                    examples.append(example(heading, prose, block, len(examples) + 1))
                    heading, prose = "", []
                block = None
            else:
                block.append(line)
        elif opening:
            block, fence, language = [], opening.group(1), opening.group(2).lower()
        elif HEADING.match(line):
            heading, prose = HEADING.match(line).group(2), []
        elif line.strip():
            prose.append(line.strip())
    return examples


def is_query(language: str, lines: list[str]) -> bool:
    """A ``sparql`` block, or an unlabelled one whose first word is a SPARQL keyword."""
    if language in ("sparql", "rq"):
        return True
    words = [line.split()[0].upper() for line in lines if line.strip() and line.strip()[0] != "#"]
    return not language and bool(words) and words[0] in QUERY_KEYWORDS


def example(heading: str, prose: list[str], block: list[str], number: int) -> ExampleQuery:
    description = plain(" ".join(prose))
    title = plain(heading)
    if not title:
        title = first_sentence(description)
        description = description[len(title) :].lstrip(".:; ")
    return ExampleQuery(title or f"Example {number}", description, "\n".join(block).strip() + "\n")


def plain(text: str) -> str:
    """Markdown emphasis, links and code marks dropped: ``**C1** [x](y)`` → ``C1 x``."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`]+", "", text).strip()


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.:;])\s", text, maxsplit=1)[0].rstrip(".:;").strip()


def read(root: Path) -> str:
    return (root / "README.md").read_text(encoding="utf-8")


def examples_file(markdown: str) -> bytes:
    """The release's ``examples.json``: the example queries of README.md, in order."""
    examples = [example.__dict__ for example in example_queries(markdown)]
    return (json.dumps(examples, ensure_ascii=False, indent=1) + "\n").encode()
