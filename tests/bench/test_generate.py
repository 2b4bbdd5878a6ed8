"""The benchmark generator (bench/generate.py): deterministic, at the size asked, its quotes in
its documents, and a sample.json whose parameters hold on the data."""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from generated_queries import SEED, SIZE, count, rows

from bench.generate import DATASET_FILE, SIZES, generate, parse_size

DEFAULT = ox.DefaultGraph()
ANCHOR_MEMBERS = "SELECT (COUNT(DISTINCT ?m) AS ?n) { ?anchor org:hasMember ?m }"


def files_of(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and "var" not in p.relative_to(directory).parts
    }


def test_the_same_size_and_seed_give_byte_identical_files(generated, tmp_path):
    generate(tmp_path, SIZE, SEED)
    first, second = files_of(generated), files_of(tmp_path)
    assert DATASET_FILE in first and "sample.json" in first
    assert any(name.startswith("documents/") for name in first)
    assert first.keys() == second.keys()
    assert [n for n in first if first[n] != second[n]] == []


def test_another_seed_gives_another_dataset(generated, tmp_path):
    generate(tmp_path, SIZE, SEED + 1)
    assert (tmp_path / DATASET_FILE).read_bytes() != (generated / DATASET_FILE).read_bytes()


def test_the_dataset_has_about_the_asked_number_of_quads(generated):
    described = json.loads((generated / "dataset.json").read_text())
    lines = (generated / DATASET_FILE).read_bytes().count(b"\n")
    assert described["quads"] == lines
    assert abs(lines - SIZE) / SIZE < 0.15
    digest = hashlib.sha256((generated / DATASET_FILE).read_bytes()).hexdigest()
    assert described["nquads_sha256"] == digest


@pytest.mark.parametrize("name", sorted(SIZES))
def test_named_sizes_and_integers_are_accepted(name):
    assert parse_size(name) == SIZES[name]
    assert parse_size(str(SIZES[name])) == SIZES[name]


@pytest.mark.parametrize("bad", ["", "1G", "-5", "0", "ten"])
def test_other_sizes_are_refused(bad):
    with pytest.raises(argparse.ArgumentTypeError):
        parse_size(bad)


QUOTES = """SELECT ?doc ?exact ?prefix ?suffix ?start ?end {
  ?target oa:hasSource ?doc ; oa:hasSelector ?q, ?p .
  ?q oa:exact ?exact ; oa:prefix ?prefix ; oa:suffix ?suffix .
  ?p oa:start ?start ; oa:end ?end }"""


def test_every_quote_is_at_its_position_in_its_document(generated, generated_store):
    quotes = rows(generated_store, QUOTES)
    assert len(quotes) > 100
    texts = {}
    for quote in quotes:
        doc_id = quote["doc"].rsplit("/", 1)[1]
        if doc_id not in texts:
            texts[doc_id] = (generated / "documents" / f"{doc_id}.txt").read_text()
        text, start, end = texts[doc_id], int(quote["start"]), int(quote["end"])
        assert text[start:end] == quote["exact"]
        assert text[:start].endswith(quote["prefix"]) and text[end:].startswith(quote["suffix"])


def test_every_document_carries_the_digest_of_its_text(generated, generated_store):
    documents = rows(generated_store, "SELECT ?d ?sha { ?d a foaf:Document ; mlg:sha256 ?sha }")
    assert len(documents) == len(list((generated / "documents").iterdir())) >= 1
    for document in documents:
        path = generated / "documents" / f"{document['d'].rsplit('/', 1)[1]}.txt"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == document["sha"]


def test_sample_iris_are_described_in_the_default_graph(generated, generated_store):
    sample = json.loads((generated / "sample.json").read_text())
    kinds = ("organisations", "people", "sites", "events")
    assert all(sample[kind] for kind in kinds)
    for kind in kinds:
        for iri in sample[kind]:
            found = generated_store.quads_for_pattern(ox.NamedNode(iri), None, None, DEFAULT)
            assert next(found, None) is not None, iri


def test_the_anchor_cluster_has_the_most_members(generated, generated_store):
    sample = json.loads((generated / "sample.json").read_text())
    anchor = count(generated_store, ANCHOR_MEMBERS, anchor=ox.NamedNode(sample["anchor_cluster"]))
    most = rows(
        generated_store,
        "SELECT (COUNT(?m) AS ?n) { ?c org:hasMember ?m } GROUP BY ?c ORDER BY DESC(?n) LIMIT 1",
    )
    assert anchor == int(most[0]["n"]) >= 2


def test_the_anchor_date_falls_inside_memberships_of_the_anchor_cluster(generated, generated_store):
    sample = json.loads((generated / "sample.json").read_text())
    members_then = count(
        generated_store,
        """SELECT (COUNT(DISTINCT ?m) AS ?n) {
          ?ms org:organization ?anchor ; org:member ?m ; org:memberDuring/time:hasBeginning/time:inXSDDate ?b
          OPTIONAL { ?ms org:memberDuring/time:hasEnd/time:inXSDDate ?e }
          FILTER(?b <= ?date && (!BOUND(?e) || ?e >= ?date)) }""".replace(
            "?date", f'"{sample["anchor_date"]}"^^xsd:date'
        ),
        anchor=ox.NamedNode(sample["anchor_cluster"]),
    )
    assert members_then >= 1


def test_the_commune_and_the_search_word_are_found(generated, generated_store):
    sample = json.loads((generated / "sample.json").read_text())
    commune = ox.NamedNode(sample["commune"])
    assert count(generated_store, "SELECT (COUNT(*) AS ?n) { ?s geo:sfWithin ?c }", c=commune) >= 1
    labels = rows(generated_store, "SELECT ?l { ?o a org:Organization ; skos:prefLabel ?l }")
    assert any(sample["search_word"] in label["l"].lower() for label in labels)


def test_the_biggest_cluster_grows_with_the_size(tmp_path):
    members = []
    for size in (SIZE, 4 * SIZE):
        out = tmp_path / str(size)
        generate(out, size, SEED)
        store = ox.Store()
        store.bulk_load(path=str(out / DATASET_FILE), format=ox.RdfFormat.N_QUADS)
        anchor = json.loads((out / "sample.json").read_text())["anchor_cluster"]
        members.append(count(store, ANCHOR_MEMBERS, anchor=ox.NamedNode(anchor)))
    assert members[1] > members[0]
