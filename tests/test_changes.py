"""What changed between two releases, from their N-Quads dumps (maillage/pipeline/changes.py),
its RDF (changes.ttl, maillage/changelog.py) and its Markdown (changes.md)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import OWL, RDFS, SKOS

from maillage.changelog import changes_quads, read_changes
from maillage.namespaces import MLG
from maillage.pipeline.changes import diff_dumps, in_default_graph
from maillage.pipeline.changes_markdown import changes_markdown
from maillage.rdfio import serialise

BASE = "https://w3id.org/maillage/"
ID = BASE + "id/"
ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology" / "maillage.ttl"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = str(SKOS.prefLabel)
CLASSIFICATION = "http://www.w3.org/ns/org#classification"
BEGINNING = "http://www.w3.org/2006/time#hasBeginning"
EXACT = "http://www.w3.org/ns/oa#exact"
REPLACED_BY = "http://purl.org/dc/terms/isReplacedBy"
KIND = BASE + "concept/kind/"


def iri(local: str) -> str:
    return local if local.startswith("http") else ID + local


def term(value):
    if isinstance(value, tuple):
        text, language = value
        return ox.Literal(text, language=language)
    return ox.NamedNode(iri(value))


def claim(key: str, quote: str, rank: str = "NormalRank") -> list[tuple]:
    """A claim's description in the default graph."""
    c = f"claim/{key}"
    return [
        (c, RDF_TYPE, str(MLG.Claim)),
        (c, str(MLG.quote), f"{c}/quote"),
        (f"{c}/quote", EXACT, (quote, None)),
        (c, str(MLG.rank), str(MLG[rank])),
    ]


def stated(key: str, triples: list[tuple]) -> list[tuple]:
    """Triples a claim states: in its named graph and in the default graph."""
    return [(*t, f"claim/{key}") for t in triples] + triples


def conflict(slug: str, label: str, *claims: str) -> list[tuple]:
    c = f"conflict/{slug}"
    found = [(c, RDF_TYPE, str(MLG.Conflict)), (c, str(RDFS.label), (label, "fr"))]
    return found + [(c, str(MLG.conflictClaim), f"claim/{k}") for k in claims]


def dump(path: Path, rows: list[tuple]) -> Path:
    quads = []
    for row in rows:
        s, p, o = term(row[0]), ox.NamedNode(row[1]), row[2]
        o = ox.Literal(o[0], language=o[1]) if isinstance(o, tuple) and o[1] else o
        o = ox.Literal(o[0]) if isinstance(o, tuple) else o
        o = ox.NamedNode(iri(o)) if isinstance(o, str) else o
        graph = ox.NamedNode(iri(row[3])) if len(row) > 3 else ox.DefaultGraph()
        quads.append(ox.Quad(s, p, o, graph))
    path.write_bytes(gzip.compress(ox.serialize(quads, format=ox.RdfFormat.N_QUADS)))
    return path


NXU_CLAIM = "004/luc-marta-de-andrade-nxu"
NXU_QUOTE = "fondateur de U-Need et du think tank NXU (Next Humanity)"


def release_a() -> list[tuple]:
    return [
        *claim(NXU_CLAIM, NXU_QUOTE),
        *stated(
            NXU_CLAIM,
            [
                ("org/nxu", LABEL, ("NXU", "fr")),
                ("org/nxu", CLASSIFICATION, KIND + "think-tank"),
                ("org/next-humanity", LABEL, ("Next Humanity", "fr")),
                ("org/next-humanity", CLASSIFICATION, KIND + "think-tank"),
            ],
        ),
        ("org/nxu#lifespan", BEGINNING, "org/nxu#beginning"),
        *claim("001/old-club", "Le vieux club"),
        *stated("001/old-club", [("org/old-club", LABEL, ("Vieux club", "fr"))]),
        *claim("002/a", "créé en 2019", "PreferredRank"),
        *claim("002/b", "créé en 2018", "DeprecatedRank"),
        *conflict("creation", "Date de création", "002/a", "002/b"),
        *conflict("settled", "Réglé", "002/a"),
        ("org/unchanged", LABEL, ("Inchangé", "fr")),
        ("org/withdrawn", LABEL, ("Retiré", "fr")),
    ]


def release_b() -> list[tuple]:
    return [
        *claim(NXU_CLAIM, NXU_QUOTE),
        *stated(
            NXU_CLAIM,
            [
                ("org/nxu", LABEL, ("NXU", "fr")),
                ("org/nxu", CLASSIFICATION, KIND + "association"),
            ],
        ),
        ("org/next-humanity", REPLACED_BY, "org/nxu"),
        ("org/next-humanity", str(OWL.deprecated), ("true", None)),
        ("org/nxu#lifespan", BEGINNING, "org/nxu#start"),
        # a claim that disappears is published as removed (maillage/pipeline/live.py)
        ("claim/001/old-club", str(OWL.deprecated), ("true", None)),
        ("claim/001/old-club", str(SKOS.changeNote), ("Removed from the claims", "en")),
        *claim("003/new-club", "Un nouveau club"),
        *stated("003/new-club", [("org/new-club", LABEL, ("Nouveau club", "fr"))]),
        *claim("002/a", "créé en 2019", "DeprecatedRank"),
        *claim("002/b", "créé en 2018", "PreferredRank"),
        *conflict("creation", "Date de création", "002/a", "002/b"),
        *conflict("new-one", "Nouveau", "003/new-club"),
        ("org/unchanged", LABEL, ("Inchangé", "fr")),
        ("org/withdrawn", str(OWL.deprecated), ("true", None)),
        ("org/withdrawn", str(SKOS.changeNote), ("Not an organisation", "en")),
    ]


@pytest.fixture(scope="module")
def changes(tmp_path_factory):
    directory = tmp_path_factory.mktemp("dumps")
    a = dump(directory / "a.nq.gz", release_a())
    b = dump(directory / "b.nq.gz", release_b())
    found = diff_dumps(a, b, BASE)
    found.previous = "aaaa"
    return found


def by_entity(changes, local: str):
    return next(e for e in changes.entities if e.entity == ID + local)


def test_a_merged_duplicate_is_removed_and_names_its_successor(changes):
    removed = by_entity(changes, "org/next-humanity")
    assert removed.kind == "removed"
    assert removed.label == "Next Humanity"
    assert removed.replaced_by == ID + "org/nxu"
    assert removed.claims == (ID + "claim/" + NXU_CLAIM,)


def test_a_changed_entity_names_its_properties_and_claims(changes):
    nxu = by_entity(changes, "org/nxu")
    assert nxu.kind == "changed"
    assert nxu.label == "NXU"
    assert nxu.properties == (BEGINNING, CLASSIFICATION)  # #lifespan counts as the entity's
    assert nxu.claims == (ID + "claim/" + NXU_CLAIM,)


def test_a_changed_claim_carries_its_verbatim_quote_and_graph_counts(changes):
    change = changes.claim(ID + "claim/" + NXU_CLAIM)
    assert change.kind == "changed"
    assert change.quote == NXU_QUOTE
    assert change.previous_quote is None
    assert (change.triples_added, change.triples_removed) == (1, 3)


def test_added_and_removed_entities_and_claims(changes):
    assert [e.entity for e in changes.entities_of("added")] == [ID + "org/new-club"]
    assert {e.entity for e in changes.entities_of("removed")} == {
        ID + "org/old-club",
        ID + "org/next-humanity",
        ID + "org/withdrawn",
    }
    assert by_entity(changes, "org/withdrawn").replaced_by is None  # withdrawn, not replaced
    assert ID + "org/unchanged" not in {e.entity for e in changes.entities}
    added = changes.claims_of("added")
    assert [(c.claim, c.quote) for c in added] == [(ID + "claim/003/new-club", "Un nouveau club")]
    removed = changes.claims_of("removed")
    assert [(c.claim, c.quote) for c in removed] == [(ID + "claim/001/old-club", "Le vieux club")]


def test_conflicts_opened_closed_and_reranked(changes):
    kinds = {c.conflict.rsplit("/", 1)[-1]: c for c in changes.conflicts}
    assert {name: c.kind for name, c in kinds.items()} == {
        "creation": "reranked",
        "new-one": "opened",
        "settled": "closed",
    }
    assert kinds["creation"].claims == (ID + "claim/002/a", ID + "claim/002/b")
    assert kinds["settled"].label == "Réglé"
    rank = changes.claim(ID + "claim/002/a")
    assert (rank.previous_rank, rank.rank) == (str(MLG.PreferredRank), str(MLG.DeprecatedRank))


def test_triples_added_and_removed_per_graph(changes):
    a, b = release_a(), release_b()
    named_a = sum(1 for row in a if len(row) == 4)
    named_b = sum(1 for row in b if len(row) == 4)
    assert changes.claim_graphs.triples == named_b
    assert changes.default_graph.triples == len(b) - named_b
    per_claim = sum(c.triples_added for c in changes.claims)
    assert changes.claim_graphs.added == per_claim
    removed = sum(c.triples_removed for c in changes.claims)
    assert changes.claim_graphs.removed == removed
    assert named_b - named_a == changes.claim_graphs.added - changes.claim_graphs.removed
    default_a, default_b = len(a) - named_a, len(b) - named_b
    assert default_b - default_a == changes.default_graph.added - changes.default_graph.removed


def test_the_first_release_has_only_its_counts(tmp_path):
    first = diff_dumps(None, dump(tmp_path / "a.nq.gz", release_a()), BASE)
    assert first.previous is None and not first.entities and not first.claims
    assert first.default_graph.triples == sum(1 for row in release_a() if len(row) == 3)
    text = changes_markdown(first, "aaaa", BASE)
    assert "The first release" in text


def test_same_dump_twice_changes_nothing(tmp_path):
    a = dump(tmp_path / "a.nq.gz", release_a())
    same = diff_dumps(a, a, BASE)
    assert not same.entities and not same.claims and not same.conflicts
    assert (same.default_graph.added, same.default_graph.removed) == (0, 0)


@pytest.mark.parametrize(
    ("line", "default"),
    [
        (b"<s> <p> <o> .", True),
        (b"<s> <p> <o> <g> .", False),
        (b'<s> <p> "a b c" .', True),
        (b'<s> <p> "a <b> c" <g> .', False),
        (b'<s> <p> "ends with <x>" .', True),
        (b'<s> <p> "x <y>"^^<http://t> .', True),
        (b'<s> <p> "x y"^^<http://t> <g> .', False),
        (b'<s> <p> "x y"@fr .', True),
        (b'<s> <p> "x \\" <y> ."@fr <g> .', False),
        (b"_:b <p> _:c .", True),
    ],
)
def test_the_graph_of_a_line_is_read_without_parsing(line, default):
    for short in (b"s", b"p", b"o", b"g", b"x", b"y", b"b"):
        line = line.replace(b"<" + short + b">", b"<http://" + short + b">")
    assert in_default_graph(line) is default
    quad = next(iter(ox.parse(line + b"\n", format=ox.RdfFormat.N_QUADS)))
    assert isinstance(quad.graph_name, ox.DefaultGraph) is default


def test_changes_ttl_reads_back_as_the_same_changes(changes):
    release = BASE + "releases/bbbb"
    data = serialise(
        changes_quads(changes, release, BASE + "releases/aaaa", BASE),
        ox.RdfFormat.TURTLE,
        BASE,
    )
    again = read_changes(data, release)
    assert again.previous == "aaaa"
    assert again.entities == changes.entities
    assert again.claims == changes.claims
    assert again.conflicts == changes.conflicts
    assert again.default_graph == changes.default_graph
    assert again.claim_graphs == changes.claim_graphs


def test_every_term_of_changes_ttl_is_declared_with_labels_and_definitions(changes):
    ontology = Graph().parse(ONTOLOGY)
    release = BASE + "releases/bbbb"
    quads = changes_quads(changes, release, BASE + "releases/aaaa", BASE)
    used = {q.predicate.value for q in quads} - {RDF_TYPE}
    used |= {q.object.value for q in quads if q.predicate.value == RDF_TYPE}
    used |= {q.object.value for q in quads if q.predicate.value == str(MLG.changeKind)}
    assert len(used) > 20
    for name in sorted(used):
        assert (URIRef(name), None, None) in ontology, f"{name} is not declared"
        if not name.startswith(str(MLG)):
            continue
        for described in (RDFS.label, SKOS.definition):
            languages = {o.language for o in ontology.objects(URIRef(name), described)}
            assert languages == {"fr", "en"}, (name, described)
        assert (URIRef(name), RDFS.isDefinedBy, URIRef(str(MLG))) in ontology
    for kind in (MLG.Added, MLG.Removed, MLG.Modified, MLG.Reranked):
        assert set(ontology.objects(kind, RDF.type)) == {OWL.NamedIndividual, MLG.ChangeKind}


def test_the_markdown_names_every_change(changes):
    text = changes_markdown(changes, "bbbb", BASE)
    assert text.startswith("# Changes in release bbbb\n")
    assert "Compared with release aaaa" in text
    assert "| entities | 1 | 3 | 1 |" in text
    assert (
        f"[org/next-humanity]({ID}org/next-humanity) « Next Humanity »: replaced by "
        f"[org/nxu]({ID}org/nxu)"
    ) in text
    assert "`org:classification`" in text
    assert f"[{NXU_CLAIM}]({ID}claim/{NXU_CLAIM}) (its graph +1 −3): « {NXU_QUOTE} »" in text
    assert "rank preferred → deprecated" in text
    assert "- re-ranked: [conflict/creation]" in text


def test_the_first_release_reads_back_with_its_sizes_only(tmp_path):
    first = diff_dumps(None, dump(tmp_path / "a.nq.gz", release_a()), BASE)
    release = BASE + "releases/aaaa"
    data = serialise(changes_quads(first, release, None, BASE), ox.RdfFormat.TURTLE, BASE)
    assert b"wasRevisionOf" not in data and b"triplesAdded" not in data
    again = read_changes(data, release)
    assert again.previous is None
    assert again.default_graph == first.default_graph
    assert again.claim_graphs == first.claim_graphs
