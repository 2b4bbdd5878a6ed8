"""Retired IRIs as a release publishes them, read back by the server (301 and 410).

The build writes, in the default graph, for every IRI of ``data/curation/redirects.yaml``
(``maillage/pipeline/redirects.py``)::

    <old> owl:deprecated true ;                 # a retired IRI (OWL 2: a deprecated IRI)
          dcterms:isReplacedBy <new> ;          # replaced: its successor (withdrawn: none)
          dcterms:modified "2026-12-05"^^xsd:date ;   # the day it was retired
          skos:changeNote "why …"@en .          # why, for whoever follows an old link

``owl:deprecated`` marks the IRIs of ours that are retired, apart from resources that are
replaced but still described (a former region is ``dcterms:isReplacedBy`` the new one, and
still answers 303). Pipeline and server both import this module; it does not import either.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, OWL, SKOS, XSD

DEPRECATED = str(OWL.deprecated)
REPLACED_BY = str(DCTERMS.isReplacedBy)
RETIRED_ON = str(DCTERMS.modified)
REASON = str(SKOS.changeNote)
REASON_LANGUAGE = "en"
"""The reasons in redirects.yaml are written in English (quoting the French documents)."""

_TRUE = ox.Literal("true", datatype=ox.NamedNode(str(XSD.boolean)))
_DEFAULT = ox.DefaultGraph()


@dataclass(frozen=True)
class Retired:
    """One retired IRI of a release."""

    iri: str
    successor: str | None
    """The final successor (chains followed); None when the IRI is withdrawn."""
    date: dt.date | None
    reason: str | None

    @property
    def withdrawn(self) -> bool:
        return self.successor is None


def retirement_triples(
    iri: str, successor: str | None, date: dt.date, reason: str
) -> list[tuple[str, str, str | dt.date | bool]]:
    """What the release says about one retired IRI: (subject, predicate, value) with the value
    an IRI (successor), a date, a boolean or a text in :data:`REASON_LANGUAGE`."""
    triples = [(iri, DEPRECATED, True), (iri, RETIRED_ON, date), (iri, REASON, reason)]
    if successor is not None:
        triples.insert(1, (iri, REPLACED_BY, successor))
    return triples


def read_retired(store) -> dict[str, Retired]:
    """Every retired IRI a release publishes, by IRI; ``store`` has ``quads_for_pattern`` (a
    pyoxigraph store or a ``ReleaseReader``'s)."""

    def values(subject: ox.NamedNode, predicate: str) -> list:
        quads = store.quads_for_pattern(subject, ox.NamedNode(predicate), None, _DEFAULT)
        return sorted((q.object for q in quads), key=str)

    direct: dict[str, Retired] = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode(DEPRECATED), _TRUE, _DEFAULT):
        node = quad.subject
        if not isinstance(node, ox.NamedNode):
            continue
        successors = values(node, REPLACED_BY)
        dates = values(node, RETIRED_ON)
        reasons = values(node, REASON)
        direct[node.value] = Retired(
            iri=node.value,
            successor=successors[0].value if successors else None,
            date=dt.date.fromisoformat(dates[0].value) if dates else None,
            reason=reasons[0].value if reasons else None,
        )
    return {iri: _final(retired, direct) for iri, retired in direct.items()}


def _final(retired: Retired, table: dict[str, Retired]) -> Retired:
    """``retired`` with its successor's successor, and so on, to one that is not retired (the
    build forbids chains in one file; a release holding one still sends to the end of it)."""
    seen = {retired.iri}
    successor = retired.successor
    while successor in table and successor not in seen:
        seen.add(successor)
        successor = table[successor].successor
        if successor is None:  # the chain ends withdrawn
            break
    if successor in seen:  # a cycle: no final successor, keep the recorded one
        successor = retired.successor
    return Retired(retired.iri, successor, retired.date, retired.reason)
