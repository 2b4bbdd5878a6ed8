"""Figures: what each is about, its date, observed or planned."""

from __future__ import annotations

import re
from typing import Any

from maillage.ingest.dates import (
    FoundDate,
    clause_tokens,
    document_year,
    is_planned,
)
from maillage.ingest.figures import Figure, find_figures
from maillage.ingest.patterns.events import edition
from maillage.ingest.patterns.reading import (
    ANAPHOR,
    ASIDE,
    COMMUNE,
    EVENT,
    ORG,
    ORG_LIST,
    OTHER,
    PLACE,
    Reader,
    Sentence,
    Where,
    last_org,
    mark_of,
    marks_in,
    of,
    ref_slug,
    slug,
)
from maillage.ingest.proposals import Mention

# --- Figures -----------------------------------------------------------------------------------

SUBJECT_MARKS = (ORG, EVENT, PLACE, COMMUNE, OTHER)


def figures(reader: Reader, sentence: Sentence, previous) -> None:
    """Each figure of the sentence (``maillage.ingest.figures``): what it is about (the nearest
    organisation, event or place named before it in the sentence, else the sentence's subject
    from the previous one), its date (a year in its clause, else the publication's, inferred),
    and whether it is planned (``mlg:Target`` linked by ``mlg:target``)."""
    s0 = sentence.start
    sentence_text = reader.text[s0 : sentence.end]

    def about_org(at: int) -> bool:
        subject, _ = _figure_subject(reader, sentence, previous, s0 + at)
        return subject is not None and mark_of(subject) == ORG

    for figure in find_figures(sentence_text, about_org):
        _propose_figure(reader, sentence, previous, figure)


SOURCE = re.compile(r"(?:\bselon|\bd[’']après|\bsource\s*:)[^,;()]*$", re.IGNORECASE)
"""« Selon la Région, … », « (source : Insee) »: who says it, not what it is about."""


def _figure_subject(reader, sentence, previous, at) -> tuple[Mention | None, bool]:
    """What a figure at ``at`` is about: the subject of its verb in spaCy's parse when that is a
    mention or « il », « elle », « le cluster » (then the previous sentence's), else the nearest
    organisation, event or work named before it, a région, or one named just after it
    (« rien qu'au BIC de Gaillac », « … en Bretagne »)."""
    grammatical = _grammatical_subject(reader, sentence, previous, at)
    if grammatical is not None:
        return grammatical
    before = [
        x
        for x in sentence.mentions
        if x.end <= at
        and mark_of(x) in SUBJECT_MARKS
        and x.ref is not None
        and not (mark_of(x) == COMMUNE and x.cls != "igeo:Commune")
        and not SOURCE.search(reader.text[sentence.start : x.start])
    ]
    named = [x for x in before if mark_of(x) in (ORG, EVENT, OTHER)]
    if named:
        return named[-1], False
    regions = [x for x in before if x.ref and x.ref.startswith("region/")]
    if regions:
        return regions[-1], False
    after = [
        x
        for x in sentence.mentions
        if x.start >= at
        and x.ref is not None
        and (mark_of(x) in (ORG, OTHER) or x.ref.startswith("region/"))
        and not re.search(
            r"\(\s*(?:source|selon)[^()]*$", reader.text[sentence.start : x.start], re.IGNORECASE
        )
        and re.fullmatch(
            r"[^.;:,()]*?\b(?:au|à\s+la|à\s+l[’']|à|en|chez|de)\s*", reader.text[at : x.start]
        )
        and len(reader.text[at : x.start].split()) <= 14
    ]
    if after:
        return after[0], False
    return last_org(previous, reader.text[sentence.start : sentence.end])


PERSONAL = {"il", "elle", "ils", "elles"}


def _grammatical_subject(reader, sentence, previous, at) -> tuple[Mention | None, bool] | None:
    """The subject (``nsubj``) of the verb the figure depends on, followed up through infinitives,
    coordinated verbs and nouns (« …, et affiche l'ambition d'atteindre 400 adhérents »)."""
    tokens = reader.tokens(at, at + 1)
    if not tokens:
        return None
    node = tokens[0]
    for _ in range(12):
        if node.pos_ in ("VERB", "AUX"):
            subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubj:pass")]
            if subjects:
                found = (_subject_mention(reader, sentence, previous, t) for t in subjects)
                return next((f for f in found if f is not None), None)
            between = _named_before_verb(sentence, node)
            if between is not None:
                return between, False
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _named_before_verb(sentence, verb) -> Mention | None:
    """« … et orientent les start-up — la French Tech Y, par exemple, a suivi 600 start-up »: a
    conjugated verb the parse gave no subject, with a name between it and the verb it hangs on,
    is that name's."""
    conjugated = "Fin" in verb.morph.get("VerbForm") or any(
        c.dep_.startswith("aux") for c in verb.children
    )
    if not conjugated or verb.head.i == verb.i or verb.head.idx > verb.idx:
        return None
    named = [
        m
        for m in sentence.mentions
        if verb.head.idx < m.start and m.end <= verb.idx and mark_of(m) in (ORG, EVENT, OTHER)
    ]
    return named[-1] if named else None


def joint_subjects(reader, sentence, at) -> list[Mention]:
    """« A et B rassemblent 400 adhérents »: a figure of several together, each of them named as
    the subject of its verb (the figure is not each one's)."""
    listed = re.search(
        rf"(?P<list>{ORG_LIST}){ASIDE}\s+[a-zà-ÿ]+ent\s+[^,;.()]*$",
        reader.masked[sentence.start : at],
    )
    if listed:  # « A (…) et B rassemblent 400 adhérents », whatever the parse says
        start = sentence.start
        found = marks_in(reader, start + listed.start("list"), start + listed.end("list"), ORG)
        if len(found) > 1:
            return found
    tokens = reader.tokens(at, at + 1)
    node = tokens[0] if tokens else None
    while node is not None and node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        node = node.head
    if node is None:
        return []
    subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubj:pass")]
    if not subjects:
        return []
    heads = [subjects[0], *[c for c in subjects[0].children if c.dep_ == "conj"]]
    found = []
    for token in heads:
        for mention in sentence.mentions:
            covers = mention.start <= token.idx < mention.end
            if covers and mark_of(mention) == ORG and mention not in found:
                found.append(mention)
    return found if len(found) > 1 else []


def _subject_mention(reader, sentence, previous, token) -> tuple[Mention | None, bool] | None:
    for mention in sentence.mentions:
        if mention.start <= token.idx < mention.end and mention.ref is not None:
            if mark_of(mention) in (ORG, EVENT, OTHER) or mention.ref.startswith("region/"):
                return mention, False
            return None
    word = token.text.lower()
    if word in PERSONAL:
        earlier = _named_earlier(reader, sentence, token.idx)
        if earlier is not None:  # « Le calculateur Y, implanté à C, …, il consomme 30 % »
            return earlier, False
    if word in PERSONAL or (
        token.pos_ == "NOUN" and ANAPHOR.fullmatch(f"{_determiner(token)} {token.text}")
    ):
        found = last_org(previous, word if word in PERSONAL else f"le {token.text}")
        return found if found[0] is not None else None
    return None


def _merger_of(reader, joint: list[Mention]) -> str | None:
    """The merger this document proposes whose original organisations are exactly ``joint``:
    what brings them together, from which their joint figure is linked."""
    wanted = {x.ref for x in joint}
    for proposal in reader.proposals:
        for subject, props in proposal.says.items():
            originals = (
                props.get("org:originalOrganization") if subject.startswith("change/") else None
            )
            if originals and set(originals) == wanted:
                return subject
    return None


def _named_earlier(reader, sentence, at: int) -> Mention | None:
    """The first organisation, event or work the sentence names before a pronoun at ``at``, not
    in a parenthesis nor as a source: what « il », « elle » most often stand for there."""
    for mention in sentence.mentions:
        if mention.start >= at:
            return None
        before = reader.text[sentence.start : mention.start]
        if mention.ref is None or mark_of(mention) not in (ORG, EVENT, OTHER):
            continue
        if before.count("(") > before.count(")") or SOURCE.search(before):
            continue
        return mention
    return None


def _determiner(token) -> str:
    return next((c.text for c in token.children if c.dep_ == "det"), "le")


def _clause(reader: Reader, sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    """The clause a figure is in: back to the last « ( », « ; », « : » or sentence start; a
    parenthesis closes it."""
    text = reader.text
    left = max(text.rfind(c, sentence.start, start) for c in "(;:") + 1
    left = max(left, sentence.start)
    opened = text.rfind("(", sentence.start, start) > text.rfind(")", sentence.start, start)
    right = text.find(")", end, sentence.end) if opened else -1
    return left, right if right != -1 else sentence.end


FOUNDING_YEAR = re.compile(
    r"(?:créée?s?|fondée?s?|née?s?|lancée?s?|depuis)\s+(?:à\s+\S+\s+)?en\s*$", re.IGNORECASE
)
FRAMING = re.compile(r"^\s*(?:en|depuis|sur)\s+(?:19|20)\d{2}\s*,", re.IGNORECASE)


def _stated_years(reader, sentence, start, end) -> list[FoundDate]:
    """The years the text gives for a figure: in its clause (a parenthesis counts as one word:
    « 9 000 personnes (source : Insee, 2021) »), or framing the sentence (« En 2023, elle … »);
    never a founding year (« créé en 2011, … rassemble 200 adhérents »)."""
    text, s0 = reader.text, sentence.start
    left = _clause_edge(text, start - 1, s0 - 1, -1)
    right = _clause_edge(text, end, sentence.end, 1)
    years = [
        d
        for d in reader.dates(left, right)
        if d.value and d.value.precision == "year" and not FOUNDING_YEAR.search(text[s0 : d.start])
    ]
    if not years and FRAMING.match(text[s0 : sentence.end]):
        years = [d for d in reader.dates(s0, s0 + FRAMING.match(text[s0:]).end()) if d.value]
    return years


def _clause_edge(text: str, i: int, stop: int, step: int) -> int:
    depth = 0
    opening, closing = ("(", ")") if step > 0 else (")", "(")
    while i != stop:
        c = text[i]
        if c == opening:
            depth += 1
        elif c == closing:
            if depth == 0:
                return i if step > 0 else i + 1
            depth -= 1
        elif depth == 0 and c in ",;:":
            return i if step > 0 else i + 1
        i += step
    return stop if step > 0 else stop + 1


def _figure_quote_start(reader, sentence, subject, start) -> int:
    """From the subject when it is close (« Numéria rassemble plus de 120 membres »), else
    from the start of the figure's clause (« un taux de croissance annuel de 3 % »)."""
    if subject is not None and 0 <= start - subject.start <= 60:
        return subject.start
    text = reader.text[sentence.start : start]
    cuts = [m.end() for m in re.finditer(r"[,;:(]\s*|\s+et\s+|\s+avec\s+", text)]
    return sentence.start + (cuts[-1] if cuts else 0)


def _propose_figure(reader, sentence, previous, figure: Figure) -> None:
    s0 = sentence.start
    start, end = s0 + figure.start, s0 + figure.end
    subject, from_previous = _figure_subject(reader, sentence, previous, start)
    joint = joint_subjects(reader, sentence, start)
    if joint:
        subject, from_previous = None, False
    clause_start, _ = _clause(reader, sentence, start, end)
    inside_parenthesis = reader.text[clause_start - 1 : clause_start] == "("
    tokens = reader.tokens(start, end)
    heads = tokens if inside_parenthesis else [t for token in tokens for t in clause_tokens(token)]
    stated = _stated_years(reader, sentence, start, end)
    planned = (is_planned(reader.tokens(clause_start, end)) or is_planned(heads)) and not (
        stated and reader.published and stated[0].value.year < reader.published.year
    )
    year_value, inferred = (stated[0].value, None) if stated else document_year(reader.published)
    measure_label = reader.words.measures.get(figure.measure, figure.noun)
    about = reader.label(subject) if subject else None
    subject_ref = subject.ref if subject else None
    merger = _merger_of(reader, joint) if joint else None
    if merger is not None:
        subject_ref = merger
    year = year_value.year if year_value else None
    if subject and mark_of(subject) == EVENT and stated and not planned and str(year) not in about:
        first = start if from_previous or subject.start < s0 else subject.start
        where = Where(min(first, stated[0].start), max(end, stated[0].end))
        subject_ref, about = edition(reader, subject, stated[0], where), f"{about} {year}"
    base = slug(
        (ref_slug(subject_ref) if subject_ref else "figure")
        + "-"
        + (figure.noun if figure.noun.isalpha() else measure_label)
    )
    iri = f"figure/{base}" + (f"-{year}" if year and not planned and str(year) not in base else "")
    if planned:
        iri = f"figure/{base}-objectif"
    iri = reader.new_node(iri)
    label = (
        measure_label[0].upper()
        + measure_label[1:]
        + (f" {of(about)}" if about else "")
        + (f" (annoncé en {year})" if planned and year else (f" ({year})" if year else ""))
    )
    node: dict[str, Any] = {
        "a": "mlg:Target" if planned else "mlg:Observation",
        "rdfs:label": {"fr": label},
        "mlg:measure": figure.measure,
        "schema:value": figure.as_value(),
        "mlg:unit": figure.unit,
    }
    if figure.qualifier:
        node["mlg:qualifier"] = figure.qualifier
    if joint:
        node["mlg:jointOf"] = [x.ref for x in joint]
    if stated:
        node["dcterms:date"] = stated[0].value.as_value()
    says: dict[str, Any] = {}
    if subject_ref is not None:
        says[subject_ref] = {("mlg:target" if planned else "mlg:observation"): iri}
    says[iri] = node
    quote_start = _figure_quote_start(
        reader, sentence, subject if not from_previous else None, start
    )
    quote_end = max(end, stated[0].end if stated and stated[0].start >= start else end)
    notes = [figure.note] if figure.note else []
    if planned:
        notes.append(
            "planned (future tense or a word of intent): an mlg:Target, not an observed value"
        )
    if from_previous:
        notes.append(f"what the figure is about is read from the previous sentence ({about})")
    if joint:
        names = " et ".join(reader.label(x) for x in joint)
        notes.append(
            f"a figure of {names} together (mlg:jointOf), not each one's: "
            + (
                f"linked from their merger ({merger}), which the document proposes"
                if merger
                else "link it from what brings them together, by hand"
            )
        )
    elif subject is None:
        notes.append("the sentence does not say what the figure is about: link it by hand")
    mentions = [subject] if subject else list(joint)
    reader.propose(
        "figure",
        iri.removeprefix("figure/"),
        Where(quote_start, quote_end),
        says,
        "« plus de N unités »",
        0.8 if subject and not from_previous else 0.6,
        mentions,
        note="; ".join(notes) or None,
    )
    if not stated and year_value is not None:
        if planned:
            inferred = (
                f"the text gives no date; {year} is the year the figure was announced "
                f"(publication date {reader.published.value}), not a deadline"
            )
        reader.propose(
            "figure",
            f"{iri.removeprefix('figure/')}-date",
            Where(start, end),
            {iri: {"dcterms:date": year_value.as_value()}},
            "the figure's date",
            0.7,
            inferred=inferred,
        )
