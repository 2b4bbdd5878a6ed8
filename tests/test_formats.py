"""The one table of formats (maillage/formats.py): it agrees with pyoxigraph, and a file's name
gives its real format, compression included."""

from __future__ import annotations

import pytest

from maillage.formats import (
    FORMATS,
    N_TRIPLES,
    RDF_SYNTAXES,
    RESULT_SYNTAXES,
    TURTLE,
    UnknownFormat,
    of_file,
)


@pytest.mark.parametrize("fmt", RDF_SYNTAXES, ids=lambda f: f.label)
def test_each_rdf_syntax_has_pyoxigraphs_media_type_and_extension(fmt):
    assert fmt.rdf_format.media_type == fmt.media_type
    assert fmt.rdf_format.file_extension == fmt.extension


@pytest.mark.parametrize("fmt", RESULT_SYNTAXES, ids=lambda f: f.label)
def test_each_result_syntax_has_pyoxigraphs_media_type_and_extension(fmt):
    assert fmt.results_format.media_type.split(";")[0] == fmt.media_type  # CSV: "; charset=utf-8"
    assert fmt.results_format.file_extension == fmt.extension


def test_media_types_and_extensions_are_each_given_once():
    assert len({f.media_type for f in FORMATS}) == len(FORMATS)
    assert len({f.extension for f in FORMATS}) == len(FORMATS)


def test_a_compressed_file_is_its_archive_format_of_its_content():
    found = of_file("maillage.nt.gz")
    assert found.content is N_TRIPLES
    assert found.media_type == "application/gzip"
    assert found.label == "N-Triples, gzip-compressed"


def test_a_plain_file_is_its_content_format():
    found = of_file("maillage.ttl")
    assert found.content is TURTLE and found.compression is None
    assert (found.media_type, found.label) == ("text/turtle", "Turtle")
    assert of_file("documents/001.txt").media_type == "text/plain"


@pytest.mark.parametrize("name", ["README", "data.xyz", "archive.gz.bak"])
def test_an_unknown_file_is_refused_with_its_name(name):
    with pytest.raises(UnknownFormat, match=name.replace(".", r"\.")):
        of_file(name)
