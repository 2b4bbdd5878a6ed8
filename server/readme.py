"""What the pages take from README.md, so that it is written once: the example queries (section
"Example queries": each fenced ``sparql`` block, titled by the heading or sentence before it) and
what each release file holds (the table of "What a release holds")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

FENCE = re.compile(r"^(```+|~~~+)\s*([\w-]*)\s*$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
TABLE_ROW = re.compile(r"^\|(.+)\|\s*$")
CODE_SPAN = re.compile(r"`([^`]+)`")
QUERY_KEYWORDS = ("PREFIX", "BASE", "SELECT", "CONSTRUCT", "ASK", "DESCRIBE")


@dataclass(frozen=True)
class ExampleQuery:
    title: str
    description: str
    query: str


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


def file_descriptions(markdown: str) -> dict[str, str]:
    """Release file name → what it holds, from the table of "What a release holds"."""
    descriptions: dict[str, str] = {}
    for line in section(markdown, "What a release holds"):
        row = TABLE_ROW.match(line)
        if not row:
            continue
        cells = [cell.strip() for cell in row.group(1).split("|")]
        if len(cells) < 2:
            continue
        for name in CODE_SPAN.findall(cells[0]):
            descriptions[name] = plain(cells[1])
    return descriptions


def read(root: Path) -> str:
    return (root / "README.md").read_text(encoding="utf-8")
