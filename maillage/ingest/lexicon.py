"""The words the patterns read, taken from the concept schemes (``ontology/concepts.ttl``).

Role words are the French labels of the ``role:`` scheme (« président », « présidente »,
« directrice générale », « PDG »…) with their plurals, so a role the ontology gains is found
without touching the patterns, and a proposal never names a role that is not declared. Measure
labels name the figures (« Membres de Numéria (2024) »).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, Namespace
from rdflib.namespace import SKOS

from maillage.settings import Settings

CONCEPT = Namespace("https://w3id.org/maillage/concept/")
EXTRA_ROLE_WORDS = {
    "p-dg": "pdg",
    "p.-d.g.": "pdg",
    "co-fondateur": "cofondateur",
    "co-fondatrice": "cofondatrice",
}
"""Spellings the press uses that the scheme does not list (its label is the other spelling)."""
CO_CHAIR = re.compile(r"^co-?présidente?s?$", re.IGNORECASE)
"""« co-président(e)(s) »: each one chairs; ``role:president`` with a note."""
PREPOSITIONS = {"de", "du", "d'", "d’", "des", "à", "au", "aux"}


@dataclass(frozen=True)
class Lexicon:
    roles: dict[str, str]
    """Lower-case French label (and plural) → role slug:
    « directrices générales » → directeur-general."""
    measures: dict[str, str]
    """measure:slug → its French label (« membres », « chiffre d'affaires »)."""

    @property
    def role_pattern(self) -> str:
        """A regular expression alternative of every role word, longest first."""
        words = sorted(self.roles, key=len, reverse=True)
        escaped = (re.escape(w).replace(r"\ ", r"\s+").replace("'", "[’']") for w in words)
        return "|".join(escaped)

    def role_slug(self, words: str) -> str | None:
        key = re.sub(r"\s+", " ", words.lower()).replace("’", "'")
        if CO_CHAIR.match(key):
            return "president"
        return self.roles.get(key)


def plural(label: str) -> str:
    """« directeur général » → « directeurs généraux », « président du conseil » → « présidents
    du conseil »: the words before the first preposition take the plural."""
    words = label.split(" ")
    out = []
    for index, word in enumerate(words):
        if word in PREPOSITIONS or "'" in word or "’" in word:
            out.extend(words[index:])
            break
        if word.endswith(("s", "x")) or word.isupper():
            out.append(word)
        elif word.endswith("al"):
            out.append(word[:-2] + "aux")
        else:
            out.append(word + "s")
    return " ".join(out)


def concepts_path() -> Path:
    return Settings().ontology_dir / "concepts.ttl"


@cache
def lexicon(path: Path | None = None) -> Lexicon:
    graph = Graph()
    graph.parse(path or concepts_path())
    roles: dict[str, str] = {}
    measures: dict[str, str] = {}
    for concept, _, scheme in graph.triples((None, SKOS.inScheme, None)):
        slug = str(concept).rsplit("/", 1)[-1]
        labels = [
            str(label)
            for predicate in (SKOS.prefLabel, SKOS.altLabel)
            for label in graph.objects(concept, predicate)
            if getattr(label, "language", None) == "fr"
        ]
        if scheme == CONCEPT.role:
            for label in labels:
                for form in (label.lower(), plural(label.lower())):
                    roles.setdefault(form, slug)
        elif scheme == CONCEPT.measure:
            pref = graph.value(concept, SKOS.prefLabel)
            french = [str(x) for x in graph.objects(concept, SKOS.prefLabel) if x.language == "fr"]
            measures[f"measure:{slug}"] = french[0] if french else str(pref)
    for word, target in EXTRA_ROLE_WORDS.items():
        roles[word] = roles.get(target, target)
    for form in ("co-président", "coprésident", "co-présidente", "coprésidente"):
        roles[form] = roles[form + "s"] = "president"
    return Lexicon(roles, measures)
