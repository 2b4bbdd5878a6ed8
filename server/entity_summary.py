"""The sentence that opens an entity's page: what the thing is, in French and in English, built
from the release's default graph only (never from outside it, never guessed).

« Cluster créé le 5 février 2019 par la fusion de Digital Place et FrenchSouth.digital ; siège à
Toulouse ; sites à Carcassonne, Montpellier, Nîmes et Perpignan ; plus de 400 membres en 2025 ».

A sentence is a list of :class:`Part` (text, or a name linking to its page), its clauses joined
by semicolons. Each clause is made by a small method from a few statements about the resource:
for an organisation its kinds, founding (at its precision) and the change it resulted from, its
end and the change that ended it, its sites' communes, its latest headline figure and its heads;
for a person their roles; for an event its date, place and organiser; for a place its
département, région and what is there; for a change, a figure, a site, a conflict, what they say.
The words are in ``server/phrasing.py``."""

from __future__ import annotations

from maillage.namespaces import FOAF, IGEO, MLG, ORG, SCHEMA
from maillage.release_reader import TYPE, ReleaseReader, term_order
from maillage.settings import Settings
from server import phrasing as ph
from server.browse_view import sort_key
from server.place_summary import WORDS, HappeningsAndPlaces
from server.sentence import Clause, Part, capitalised_clause, listed, of_names, semicolons, sentence
from server.site import local_href

CLASSES = {
    "organisation": ORG.Organization,
    "person": FOAF.Person,
    "series": SCHEMA.EventSeries,
    "event": SCHEMA.Event,
    "change": ORG.ChangeEvent,
    "membership": ORG.Membership,
    "site": ORG.Site,
    "commune": IGEO.Commune,
    "departement": IGEO.Departement,
    "region": IGEO.Region,
    "target": MLG.Target,
    "figure": MLG.Observation,
    "conflict": MLG.Conflict,
}
"""What a resource is for its sentence, the first class it has in this order."""
FEMININE_KINDS = {
    "agence-regionale",
    "association",
    "banque",
    "chambre-consulaire",
    "collectivite",
    "communaute",
    "entreprise",
    "grappe-entreprises",
    "organisation-patronale",
    "start-up",
}
"""Kinds (``kind:`` notations) whose French name is feminine: « association créée en 2011 »."""
MASCULINE_KINDS = {
    "accelerateur",
    "club-affaires",
    "cluster",
    "collectif-informel",
    "conseil-developpement",
    "editeur-logiciel",
    "etablissement-enseignement",
    "etablissement-public",
    "fablab",
    "fonds-investissement",
    "grand-groupe",
    "groupement-entreprises",
    "incubateur",
    "institut-recherche",
    "label-french-tech",
    "laboratoire",
    "media",
    "meetup",
    "organisme-etudes",
    "pole-competitivite",
    "programme-public",
    "reseau-national",
    "studio",
    "think-tank",
}
ORGANISATION = {"fr": "Organisation", "en": "Organisation"}
HEADLINE_MEASURES = ("members", "participants", "visitors", "member-companies", "companies")
"""The figures a sentence may give, in order of preference; the latest of the first found."""
ORDINAL_UNITS = {"rank"}


class Summariser(HappeningsAndPlaces):
    """The sentences of one resource, in each language."""

    def sentences(self) -> dict[str, list[Part]]:
        """``{"fr": [...], "en": [...]}``; empty when there is nothing to say."""
        kind = self.kind()
        if kind is None:
            return {}
        build = getattr(self, f"_{kind}")
        found = {lang: sentence([c for c in build(lang) if c], lang) for lang in ph.LANGUAGES}
        return found if all(found.values()) else {}

    def kind(self) -> str | None:
        types = {t.value for t in self.values(self.node, TYPE)}
        return next((k for k, cls in CLASSES.items() if str(cls) in types), None)

    # --- Organisations ------------------------------------------------------------------------

    def _organisation(self, lang: str) -> list[Clause]:
        return [
            self.founded(lang),
            self.ended(lang),
            self.sites(lang),
            self.headline_figure(self.node, lang),
            self.heads(lang),
        ]

    def kinds(self) -> list:
        found = [c for c in self.many(self.node, "classification") if "/kind/" in c.value]
        return sorted(found, key=lambda c: sort_key(self.name(c, "fr").text))

    def head_noun(self, lang: str) -> tuple[str, bool]:
        """« Association (cluster, grappe d'entreprises) » and whether it is feminine."""
        kinds = self.kinds()
        if not kinds:
            return ORGANISATION[lang], True
        labels = [self.name(k, lang).text for k in kinds]
        rest = f" ({', '.join(labels[1:])})" if labels[1:] else ""
        return ph.capitalised(labels[0]) + rest, self.notation(kinds[0]) in FEMININE_KINDS

    def founded(self, lang: str) -> Clause:
        noun, feminine = self.head_noun(lang)
        clause = [Part(noun)]
        date = self.dated(self.node, "foundingDate")
        changes = self.many(self.node, "resultedFrom")
        if date is not None:
            verb = ph.agreed("créé", feminine) if lang == "fr" else "founded"
            clause.append(Part(f" {verb} {ph.on_date(date, lang)}"))
        elif changes:
            clause.append(Part(" " + (ph.agreed("issu", feminine) if lang == "fr" else "formed")))
        clause += self.founding_place(lang)
        for change in changes:
            clause += self.by_change(change, lang, into=False)
        return clause

    def founding_place(self, lang: str) -> Clause:
        place = self.one(self.node, "foundingLocation")
        if place is None:
            return []
        word = "à" if self.has_type(place, IGEO.Commune) else "en"
        return [Part(f" {word if lang == 'fr' else 'in'} "), self.name(place, lang)]

    def by_change(self, change, lang: str, into: bool) -> Clause:
        """« par la fusion de A et B » (founding), « par la fusion dans C » (end)."""
        originals = self.many(change, "originalOrganization")
        results = self.many(change, "resultingOrganization")
        merger = len(originals) > 1 and not set(results) & set(originals)
        word = WORDS["merger" if merger else "change"][lang]
        link = Part(word, local_href(change.value, self.settings))
        if lang == "fr":
            head, linker = [Part(" par la "), link], " dans " if into else " de "
        else:
            head, linker = [Part(" by the "), link], " into " if into else " of "
        others = results if into else originals
        others = [o for o in others if o != self.node]
        return head + ([Part(linker), *self.names(others, lang)] if others else [])

    def ended(self, lang: str) -> Clause:
        date = self.dated(self.node, "dissolutionDate")
        if date is None:
            return []
        _noun, feminine = self.head_noun(lang)
        verb = ph.agreed("dissous", feminine) if lang == "fr" else "ended"
        clause = [Part(f"{verb} {ph.on_date(date, lang)}")]
        for change in self.many(self.node, "changedBy"):
            if self.node not in self.many(change, "resultingOrganization"):
                clause += self.by_change(change, lang, into=True)
        return clause

    def sites(self, lang: str) -> Clause:
        primary = self.many(self.node, "hasPrimarySite")
        others = [s for s in self.many(self.node, "hasSite") if s not in primary]
        clauses = []
        if primary:
            words = "siège à " if lang == "fr" else "head office in "
            clauses.append([Part(words), *self.places_of(primary, lang)])
        places = self.places_of(others, lang, leaving=primary)
        if places:
            several = len([p for p in places if p.href]) > 1
            words = ("sites à " if several else "site à ") if lang == "fr" else "sites in "
            if lang == "en" and not several:
                words = "site in "
            clauses.append([Part(words), *places])
        return semicolons(clauses, lang)

    def places_of(self, sites: list, lang: str, leaving: list = ()) -> Clause:
        """The communes the sites are in (once each), those of ``leaving`` left out."""
        left = {c for s in leaving for c in self.many(s, "sfWithin")}
        communes = {c for s in sites for c in self.many(s, "sfWithin")} - left
        return self.names(sorted(communes, key=term_order), lang) if communes else []

    def heads(self, lang: str) -> Clause:
        people = self.pointing("headOf")
        if not people:
            return []
        each = [[self.name(p, lang), *self.head_role(p, lang)] for p in people]
        return [Part("à sa tête : " if lang == "fr" else "headed by "), *listed(each, lang)]

    def head_role(self, person, lang: str) -> Clause:
        roles = [
            m
            for m in self.pointing("member", person)
            if self.one(m, "organization") == self.node and self.has_type(m, ORG.Membership)
        ]
        described = [self.role_words(m, lang) for m in roles]
        described = [d for d in described if d]
        separator = "\u202f; " if lang == "fr" else "; "
        return [Part(f" ({separator.join(described)})")] if described else []

    def role_words(self, membership, lang: str) -> str:
        """« président, attesté 2017–2019 »: the role and the years its documents attest it."""
        role = self.one(membership, "role")
        words = self.name(role, lang).text if role is not None else ""
        during = self.one(membership, "memberDuring")
        first = self.one(during, "certainlyFrom") if during is not None else None
        last = self.one(during, "certainlyUntil") if during is not None else None
        if first is not None and last is not None and first.value <= last.value:
            attested = "attesté" if lang == "fr" else "attested"
            words = f"{words}, {attested} {ph.years(first.value, last.value)}".lstrip(", ")
        return words

    # --- Figures ------------------------------------------------------------------------------

    def headline_figure(self, node, lang: str) -> Clause:
        figure = self.headline(node)
        if figure is None:
            return []
        return self.figure_words(figure, lang, dated=True)

    def headline(self, node):
        figures = [f for f in self.many(node, "observation") if self.dated(f, "date")]
        for measure in HEADLINE_MEASURES:
            found = [f for f in figures if self.measure(f) == measure]
            if found:
                return max(found, key=lambda f: (self.one(f, "date").value, f.value))
        return None

    def measure(self, figure) -> str | None:
        found = self.one(figure, "measure")
        return self.notation(found) if found is not None else None

    def count(self, figure, lang: str) -> ph.Count | None:
        value = self.one(figure, "value")
        if value is None:
            return None
        unit, qualifier = self.one(figure, "unit"), self.one(figure, "qualifier")
        symbol = self.symbol(unit) if unit is not None else None
        return ph.Count(
            value.value,
            unit=symbol or (self.name(unit, lang).text if unit is not None else ""),
            symbol=symbol is not None,
            ordinal=unit is not None and self.notation(unit) in ORDINAL_UNITS,
            qualifier=self.name(qualifier, lang).text if qualifier is not None else "",
        )

    def symbol(self, unit) -> str | None:
        """``%``, ``€``: a unit's alternative label when it is a sign, not a word."""
        signs = [a.value for a in self.many(unit, "altLabel") if not any(map(str.isalpha, a.value))]
        return signs[0] if signs else None

    def figure_words(self, figure, lang: str, dated: bool) -> Clause:
        """« plus de 400 membres en 2025 », linking to the figure's page."""
        count = self.count(figure, lang)
        if count is None:
            return []
        text = ph.count_text(count, lang)
        date = self.dated(figure, "date")
        clause = [Part(text, local_href(figure.value, self.settings))]
        if dated and date is not None:
            clause.append(Part(f" {ph.on_date(date, lang)}"))
        elif date is not None:
            clause.append(Part(f" ({ph.date_text(date, lang)})"))
        return clause

    def _figure(self, lang: str) -> list[Clause]:
        return [self.figure_of("observation", lang)]

    def _target(self, lang: str) -> list[Clause]:
        return [self.figure_of("target", lang)]

    def figure_of(self, key: str, lang: str) -> Clause:
        """« Chiffre de Digital 113 : plus de 350 membres en 2019 »."""
        words = {"observation": ("Chiffre", "Figure"), "target": ("Objectif", "Target")}[key]
        subjects = self.pointing(key)
        head = [Part(words[0] if lang == "fr" else words[1])]
        if subjects:
            head += [Part(" "), *of_names(self.names(subjects, lang), lang)]
        count = self.figure_words(self.node, lang, dated=key == "observation")
        return [*head, Part("\u00a0: " if lang == "fr" else ": "), *count] if count else head

    # --- People and memberships -----------------------------------------------------------

    def _person(self, lang: str) -> list[Clause]:
        place = self.many(self.node, "based_near")
        clauses = []
        if place:
            words = "Personne basée à " if lang == "fr" else "Person based in "
            clauses.append([Part(words), *self.names(place, lang)])
        roles = [self.membership_words(m, lang) for m in self.memberships()]
        if roles:
            roles[0] = capitalised_clause(roles[0]) if not clauses else roles[0]
            clauses.append(listed(roles, lang))
        return clauses

    def memberships(self) -> list:
        found = self.many(self.node, "hasMembership")
        return sorted(found, key=lambda m: self.order_of(self.one(m, "organization")))

    def order_of(self, node) -> str:
        return sort_key(self.name(node, "fr").text) if node is not None else ""

    def membership_words(self, membership, lang: str) -> Clause:
        """« président de FrenchSouth.digital (attesté 2017–2019) »."""
        organisation = self.one(membership, "organization")
        words = self.role_words(membership, lang)
        role, _, attested = words.partition(", ")
        role = role or ("membre" if lang == "fr" else "member")
        clause = [Part(role)]
        if organisation is not None:
            clause += [Part(" "), *of_names([self.name(organisation, lang)], lang)]
        return clause + ([Part(f" ({attested})")] if attested else [])

    def _membership(self, lang: str) -> list[Clause]:
        person = self.one(self.node, "member")
        clause = [self.name(person, lang), Part(", ")] if person is not None else []
        return [clause + self.membership_words(self.node, lang)]


def summary(reader: ReleaseReader, settings: Settings, iri: str) -> dict[str, list[Part]]:
    """The sentences that open the page of ``iri``, by language (empty when none applies)."""
    return Summariser(reader, settings, iri).sentences()


def figure_text(reader: ReleaseReader, settings: Settings, iri: str, lang: str) -> str | None:
    """« plus de 350 membres (2019) »: a figure as a page lists it; None without a value."""
    summariser = Summariser(reader, settings, iri)
    words = summariser.figure_words(summariser.node, lang, dated=False)
    return "".join(p.text for p in words) or None
