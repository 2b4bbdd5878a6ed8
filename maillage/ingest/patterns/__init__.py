"""Proposed claims: general French constructions read over a document's sentences and mentions.

``propose_claims(doc, mentions, document)`` reads each sentence (``split_sentences``, the
sentences ``maillage check`` accounts for) with the mentions found in it (``Mention``: linked,
new or ambiguous) and proposes the claims of the contract, each a claim file's claim with its
verbatim quote:

- roles: « X, présidente de Y », « X (directeur général adjoint de Y) », « X et Z, présidents de
  Y et W », « Y, présidé par X », « X est fondateur de Y », co-présidents;
- memberships: « Y est membre de W », « Y adhère à W », « W compte parmi ses membres Y, Z »;
- mergers: « la fusion de A et B », « né(e) de la fusion de A et B, C… », « A et B souhaitent
  fusionner » (planned: no result, a planned date);
- founding: « créé(e) en 2011 », « née à Albi en 2004, Y », « fondée en février 2015 »;
- sites: « basé(e) à », « implanté(e) à », « le siège de Y est situé à », « antennes à A, B et
  C », « prévoit d'ouvrir des bureaux à » (planned sites), « Y (Albi) », « Y à Millau »;
- events: « un forum organisé par Y à Millau le 3 mai », « E aura lieu le 12 juin à
  Gaillac », « E (Albi, chaque printemps) », « E de Y à Millau », « Y, organisateur de E »;
- figures (``maillage.ingest.figures``): value, unit, measure, qualifier, what it is about and
  its date; a figure of a planned clause is an ``mlg:Target``.

The patterns are regular expressions over the sentence in which every mention is masked by its
kind (person, organisation, commune, other place, event), so « X, présidente de Y » is one
expression whatever the names; spaCy's parse gives the tense (``maillage.ingest.dates``). Only
mentions with a reference (linked or new) take part: an ambiguous one is left to the curator.
Every value comes from the declared vocabulary (``ontology/``), every new entity a proposal names
is declared in it (type and ``skos:prefLabel``), and a value not in the words (a year from the
publication date) goes in a claim of its own marked ``inferred``, as curators write them.
"""

from __future__ import annotations

from maillage.ingest.dates import published_on
from maillage.ingest.lexicon import lexicon
from maillage.ingest.patterns.events import events, scheduled_gatherings
from maillage.ingest.patterns.figures import figures
from maillage.ingest.patterns.organisations import founding, mergers
from maillage.ingest.patterns.reading import Reader, Sentence, masked_text, repeated
from maillage.ingest.patterns.roles import memberships, roles
from maillage.ingest.patterns.sites import sites, sites_in_names
from maillage.ingest.proposals import Mention, Proposal
from maillage.pipeline.sentences import split_sentences

PATTERNS = (
    roles,
    memberships,
    mergers,
    founding,
    sites,
    sites_in_names,
    events,
    scheduled_gatherings,
    figures,
)


def propose_claims(doc, mentions: list[Mention], document) -> list[Proposal]:
    """The claims proposed for ``document`` (``maillage.pipeline.sources.Document``: id, text,
    date), read from its spaCy parse ``doc`` (or None: then no tense is read, nothing is planned)
    and its ``mentions``, in text order."""
    text = document.text
    words = lexicon()
    named = [x for x in mentions if not words.role_slug(x.text)]  # « P-dg » is no organisation
    ordered = sorted([*named, *repeated(text, named)], key=lambda x: x.start)
    reader = Reader(
        text=text,
        masked=masked_text(text, ordered),
        published=published_on(document.date),
        doc=doc,
        words=words,
        by_start={x.start: x for x in ordered},
        sentences=[
            Sentence(
                s.start,
                s.end,
                [x for x in ordered if s.start <= x.start and x.end <= s.end],
                text[s.start : s.end],
            )
            for s in split_sentences(text)
        ],
    )
    for index, sentence in enumerate(reader.sentences):
        previous = reader.sentences[index - 1] if index else None
        for pattern in PATTERNS:
            pattern(reader, sentence, previous)
    return sorted(reader.proposals, key=lambda p: (p.start, p.end))
