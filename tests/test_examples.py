"""The README's example queries run on the built release and their printed output is current."""

from __future__ import annotations

from maillage.examples import BEGIN, END, examples_markdown, load_examples
from maillage.settings import REPO_ROOT
from maillage.store import open_read_only


def test_there_are_three_examples_or_more(built):
    settings, _build, _directory = built
    assert len(load_examples(settings)) >= 3


def test_readme_shows_the_real_output_of_every_example(built, release):
    settings, _build, _directory = built
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme[readme.index(BEGIN) : readme.index(END) + len(END)]
    expected = examples_markdown(settings, open_read_only(release))
    assert shown == expected, "README examples are stale: run `python -m maillage.examples`"
    assert expected.count("| --- |") >= 3
