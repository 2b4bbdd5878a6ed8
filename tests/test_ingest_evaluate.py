"""The evaluation of ingest (issue 11, point 5): the relations a list of claims states
(maillage/ingest/relations.py), read the same way from curated claims and proposals, and the
leave-one-out that compares them (maillage/ingest/evaluate.py, ``make eval-ingest``)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from maillage.ingest import evaluate, relations
from maillage.ingest.proposals import Mention, Proposal, Proposals
from maillage.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CLAIM_FILES = sorted((ROOT / "data" / "claims").glob("*.yaml"))


def claims_of(doc_id: str) -> list[dict]:
    return yaml.safe_load((ROOT / "data" / "claims" / f"{doc_id}.yaml").read_text())["claims"]


def claim(doc_id: str, claim_id: str) -> dict:
    return copy.deepcopy(next(c for c in claims_of(doc_id) if c["id"] == claim_id))


def proposal(says: dict, kind: str = "role", quote: str = "…") -> Proposal:
    return Proposal(
        id="p", kind=kind, quote=quote, says=says, start=0, end=1, score=1.0, pattern="test"
    )


@pytest.mark.parametrize("path", CLAIM_FILES, ids=lambda p: p.stem)
def test_curated_claims_compared_with_themselves_are_all_found(path):
    says = [c["says"] for c in yaml.safe_load(path.read_text())["claims"]]
    mine, again = relations.relations(says), relations.relations(says)
    scores = relations.compare(mine, again)
    assert mine.count() > 0
    for kind, score in scores.items():
        assert not score.missed and not score.extra, kind
        assert score.recall in (1.0, None) and score.precision in (1.0, None)
    figures = relations.figure_values(mine)
    assert (
        relations.counter_score(figures, relations.figure_values(again))
        == (sum(figures.values()),) * 3
    )


def test_the_five_documents_state_every_kind():
    says = [c["says"] for path in CLAIM_FILES for c in yaml.safe_load(path.read_text())["claims"]]
    found = relations.relations(says).by_kind
    assert all(found[kind] for kind in relations.KINDS), {k: len(v) for k, v in found.items()}
    assert (
        "person/pierre-deniset",
        "org/frenchsouth-digital",
        "role:president",
    ) in found["role"]
    assert ("org/digital-113", "primary", "commune/31555") in found["site"]


def test_a_wrong_role_is_counted_wrong():
    curated = relations.relations([claim("001", "benchimol-president-digital-place")["says"]])
    wrong = claim("001", "benchimol-president-digital-place")["says"]
    wrong["membership/daniel-benchimol-digital-place-president"]["org:role"] = (
        "role:directeur-general"
    )
    score = relations.compare(curated, relations.relations([proposal(wrong).says]))["role"]
    assert not score.found
    assert score.missed == {("person/daniel-benchimol", "org/digital-place", "role:president")}
    assert score.extra == {
        ("person/daniel-benchimol", "org/digital-place", "role:directeur-general")
    }
    assert (score.recall, score.precision) == (0.0, 0.0)


def test_a_wrong_value_unit_or_qualifier_is_counted_wrong():
    records = [claim("001", "d113-membres"), claim("001", "d113-membres-date")]
    curated = relations.relations([r["says"] for r in records])
    for prop, value in [
        ("schema:value", {"int": 351}),
        ("mlg:unit", "unit:company"),
        ("mlg:qualifier", "qualifier:environ"),
    ]:
        wrong = copy.deepcopy(records[0]["says"])
        wrong["figure/digital-113-membres-2019"][prop] = value
        theirs = relations.relations([wrong, records[1]["says"]])
        figure = relations.compare(curated, theirs)["figure"]
        core = ("org/digital-113", "observation", relations.Decimal(350), "unit:member")
        assert (*core, "qualifier:plus-de") in figure.missed, prop
        assert relations.counter_score(
            relations.figure_values(curated), relations.figure_values(theirs)
        ) == (0, 1, 1)


def test_node_spelling_and_label_variants_do_not_count_dates_at_their_precision_do():
    curated_records = [claim("001", "d113-budget"), claim("001", "d113-budget-date")]
    curated = relations.relations([r["says"] for r in curated_records])
    proposed = {
        "figure/budget-de-digital-113": {
            "a": "mlg:Observation",
            "rdfs:label": {"fr": "budget"},
            "schema:value": {"decimal": 1200000.0},
            "mlg:unit": "unit:euro",
            "dcterms:date": {"date": "2019-02-06"},  # the publication day, not the year
        },
        "org/digital-113": {"mlg:observation": "figure/budget-de-digital-113"},
    }
    figure = relations.compare(curated, relations.relations([proposed]))["figure"]
    value = relations.Decimal(1200000)
    assert ("org/digital-113", "observation", value, "unit:euro", None) in figure.found
    assert figure.missed == {
        ("org/digital-113", "observation", value, "unit:euro", "date", ("year", "2019"))
    }


def test_a_new_entity_minted_another_way_stands_for_the_curated_one_of_the_same_label():
    curated = relations.relations([claim("001", "benchimol-president-digital-place")["says"]])
    says = {
        "membership/m1": {
            "a": "org:Membership",
            "org:member": "person/benchimol",
            "org:organization": "org/digital-place",
            "org:role": "role:president",
        },
        "person/benchimol": {"a": "foaf:Person", "skos:prefLabel": {"fr": "Daniel BENCHIMOL"}},
    }
    labels = {"person/daniel-benchimol": {"danielbenchimol"}, "org/digital-place": {"digitalplace"}}
    entities = relations.Entities(
        curated_labels=labels,
        known=set(labels),
        proposed_labels=relations.labels(relations.merge([says])),
    )
    assert entities("person/benchimol") == "person/daniel-benchimol"
    assert entities("person/someone-else") == "person/someone-else"
    role = relations.compare(curated, relations.relations([says], resolve=entities))["role"]
    assert role.found and not role.missed and not role.extra


def test_event_nodes_are_aligned_by_what_they_say():
    curated = relations.relations(
        [claim("001", "presentation-duplex")["says"], claim("001", "lancement-d113-date")["says"]]
    )
    proposed = {
        "event/presentation-5-fevrier": {
            "a": "schema:Event",
            "schema:startDate": {"date": "2019-02-05"},
            "schema:location": "commune/31555",
        }
    }
    event = relations.compare(curated, relations.relations([proposed]))["event"]
    assert event.found == {
        ("event/lancement-digital-113", "startDate", ("date", "2019-02-05")),
        ("event/lancement-digital-113", "location", "commune/31555"),
    }
    assert not event.extra
    assert event.missed == {("event/lancement-digital-113", "location", "commune/34172")}


@pytest.fixture(scope="module")
def curated():
    return evaluate.Curated.read(Settings())


def mention(text: str, document: str, state: str, ref: str | None, occurrence: int = 0):
    start = -1
    for _ in range(occurrence + 1):
        start = document.index(text, start + 1)
    return Mention(
        start, start + len(text), text, state, "org:Organization", 1.0, "test", "test", ref
    )


def test_entities_found_and_links_judged_against_the_claims_quoting_them(curated):
    text = curated.inputs.documents["001"].text
    found = Proposals(
        "001",
        "test",
        mentions=[
            mention("Emilie Ribou", text, "new", "person/ribou-e"),  # new to the others
            mention("Daniel Benchimol", text, "new", "person/daniel-benchimol-2"),  # known
            mention("Toulouse", text, "linked", "commune/31555", 2),  # « Le siège … à Toulouse »
            mention("Digital Place", text, "linked", "org/digital-113"),  # wrong
            mention("Occitanie", text, "ambiguous", None),
        ],
    )
    assert "Le siège de Digital 113 est situé à Toulouse" in text[found.mentions[1].start - 60 :]
    result = evaluate.evaluate_document(curated, "001", found, 0.0, 0.0)
    assert {"person/emilie-ribou", "commune/31555"} <= result.found
    assert result.missed["person/daniel-benchimol"].endswith(
        "(known from the other documents): « Daniel Benchimol » new person/daniel-benchimol-2"
    )
    assert result.missed["org/digital-place"].endswith(
        "(known from the other documents): « Digital Place » linked org/digital-113"
    )
    assert "org/region-occitanie" in result.unnamed  # the text says « Région » only
    assert [m.ref for m in result.links.right] == ["commune/31555"]
    assert [(m.text, m.ref) for m, _used in result.links.wrong] == [
        ("Digital Place", "org/digital-113")
    ]
    assert (result.new, result.ambiguous) == (2, 1)
    assert result.sentences[1] == 0 and result.sentences[0] > 20


@pytest.mark.slow
def test_leave_one_out_on_one_document_runs_end_to_end(tmp_path, capsys):
    """``make eval-ingest`` on one document (003, the shortest): the knowledge of the four
    others, ingest on its text (the model loaded), the table and the misses written."""
    assert evaluate.main(["--documents", "003", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    table = (tmp_path / "table.md").read_text()
    assert table in printed
    curated_count = relations.relations([c["says"] for c in claims_of("003")]).count()
    row = next(line for line in table.splitlines() if line.startswith("| 003 |"))
    assert f" / {curated_count} / " in row
    for measure in ("entity recall", "linking precision", "relation recall", "peak RSS"):
        assert f"| {measure} |" in table
    assert (tmp_path / "misses.md").read_text().startswith("# Leave-one-out: the misses")


def test_a_link_inside_a_longer_name_the_curators_read_there_is_wrong(curated):
    """« la grande région Occitanie » is the territory (no claim reads the Région there);
    « soutenus par la région Occitanie » is the Région as a funder (its claim uses
    org/region-occitanie), so linking its « Occitanie » to region/76 is wrong."""
    text = curated.inputs.documents["003"].text
    territory = text.index("grande région Occitanie") + len("grande région ")
    funder = text.index("soutenus par la région Occitanie") + len("soutenus par la région ")
    found = Proposals(
        "003",
        "test",
        mentions=[
            Mention(at, at + 9, "Occitanie", "linked", "igeo:Region", 1.0, "t", "t", "region/76")
            for at in (territory, funder)
        ],
    )
    links = evaluate.evaluate_document(curated, "003", found, 0.0, 0.0).links
    assert [m.start for m in links.right] == [territory]
    assert [(m.start, why) for m, why in links.wrong] == [
        (funder, "the text names org/region-occitanie here")
    ]


def test_a_figure_about_a_merger_minted_another_way_is_found():
    """« Ensemble, FrenchSouth.digital et Digital Place rassemblent près de 400 adhérents »: the
    joint figure hangs on the merger, whatever IRI each side mints for it."""
    curated = relations.relations(
        [claim("003", "fusion-projet")["says"], claim("003", "adherents-ensemble")["says"]]
    )
    change = next(ref for ref in claim("003", "adherents-ensemble")["says"] if "change/" in ref)
    proposed = copy.deepcopy(
        [claim("003", "fusion-projet")["says"], claim("003", "adherents-ensemble")["says"]]
    )
    text = yaml.safe_dump(proposed).replace(change, "change/fusion-de-deux-clusters")
    scores = relations.compare(curated, relations.relations(yaml.safe_load(text)))
    assert scores["figure"].found and not scores["figure"].missed and not scores["figure"].extra
    assert scores["merger"].found and not scores["merger"].extra
