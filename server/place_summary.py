"""The sentences of events, changes, sites, conflicts and territories (communes, départements,
régions): a part of :class:`server.entity_summary.Summariser`, which says what the sentences are
and how they are read."""

from __future__ import annotations

from server import phrasing as ph
from server.sentence import Clause, Facts, Part, of_names, semicolons

WORDS = {
    "event": {"fr": "Événement", "en": "Event"},
    "series": {"fr": "Série d’événements", "en": "Event series"},
    "merger": {"fr": "fusion", "en": "merger"},
    "change": {"fr": "changement", "en": "change"},
}


class HappeningsAndPlaces(Facts):
    """Clauses of the resources that happen (events, changes) or are somewhere."""

    # --- Events -------------------------------------------------------------------------------

    def _event(self, lang: str) -> list[Clause]:
        return self.happening(WORDS["event"][lang], False, lang)

    def _series(self, lang: str) -> list[Clause]:
        return self.happening(WORDS["series"][lang], True, lang)

    def happening(self, noun: str, feminine: bool, lang: str) -> list[Clause]:
        """« Événement organisé par X le 22 mai 2015 à Montpellier ; avec A et B ; … »."""
        clause = [Part(noun)]
        organisers = self.many(self.node, "organizer")
        if organisers:
            verb = ph.agreed("organisé", feminine) if lang == "fr" else "organised"
            clause += [
                Part(f" {verb} {'par' if lang == 'fr' else 'by'} "),
                *self.names(organisers, lang),
            ]
        clause += self.when(lang) + self.where(lang)
        performers = self.many(self.node, "performer")
        within = self.many(self.node, "superEvent")
        return [
            clause,
            [Part("avec " if lang == "fr" else "with "), *self.names(performers, lang)]
            if performers
            else [],
            [
                Part("dans le cadre " if lang == "fr" else "part "),
                *of_names(self.names(within, lang), lang),
            ]
            if within
            else [],
            self.headline_figure(self.node, lang),
        ]

    def when(self, lang: str) -> Clause:
        start, end = self.dated(self.node, "startDate"), self.dated(self.node, "endDate")
        if start is None:
            return []
        if end is None or end == start:
            return [Part(f" {ph.on_date(start, lang)}")]
        first, last = ph.date_text(start, lang), ph.date_text(end, lang)
        return [Part(f" du {first} au {last}" if lang == "fr" else f" from {first} to {last}")]

    def where(self, lang: str) -> Clause:
        places = self.many(self.node, "location")
        if not places:
            return []
        return [Part(" à " if lang == "fr" else " in "), *self.names(places, lang)]

    # --- Changes, sites, conflicts ------------------------------------------------------------

    def _change(self, lang: str) -> list[Clause]:
        """« Fusion de A et B dans C le 5 février 2019 (prévue pour mars 2017) »."""
        originals = self.many(self.node, "originalOrganization")
        results = self.many(self.node, "resultingOrganization")
        merger = len(originals) > 1 and not set(results) & set(originals)
        clause = [Part(ph.capitalised(WORDS["merger" if merger else "change"][lang]))]
        if originals:
            clause += [Part(" "), *of_names(self.names(originals, lang), lang)]
        if results:
            clause += [Part(" dans " if lang == "fr" else " into "), *self.names(results, lang)]
        date, planned = self.dated(self.node, "date"), self.dated(self.node, "plannedDate")
        if date is not None:
            clause.append(Part(f" {ph.on_date(date, lang)}"))
        if planned is not None:
            words = "prévue pour" if lang == "fr" else "planned for"
            clause.append(Part(f" ({words} {ph.date_text(planned, lang)})"))
        return [clause]

    def _site(self, lang: str) -> list[Clause]:
        """« Siège de Digital 113 à Toulouse », « Site prévu de Digital 113 à Alès »."""
        primary, actual = self.pointing("hasPrimarySite"), self.pointing("hasSite")
        planned = self.pointing("plannedSite")
        words = {
            "fr": ("Siège", "Site", "Site prévu"),
            "en": ("Head office", "Site", "Planned site"),
        }
        for owners, word in zip((primary, actual, planned), words[lang], strict=True):
            if owners:
                clause = [Part(word + " "), *of_names(self.names(owners, lang), lang)]
                break
        else:
            clause = [Part(words[lang][1])]
        return [clause + self.where_within(lang)]

    def where_within(self, lang: str) -> Clause:
        places = self.many(self.node, "sfWithin")
        return (
            [Part(" à " if lang == "fr" else " in "), *self.names(places, lang)] if places else []
        )

    def _conflict(self, lang: str) -> list[Clause]:
        """« Désaccord sur Digital 113 et … : 4 affirmations de 3 documents »."""
        claims = self.many(self.node, "conflictClaim")
        documents = {ref.document for c in claims if (ref := self.reader.claim_ref(c))}
        about = self.many(self.node, "conflictAbout")
        clause = [Part("Désaccord" if lang == "fr" else "Disagreement")]
        if about:
            clause += [Part(" sur " if lang == "fr" else " about "), *self.names(about, lang)]
        counted = (
            f"{len(claims)} affirmations de {len(documents)} documents"
            if lang == "fr"
            else f"{len(claims)} claims from {len(documents)} documents"
        )
        return [[*clause, Part(("\u00a0: " if lang == "fr" else ": ") + counted)]]

    # --- Territories --------------------------------------------------------------------------

    def _commune(self, lang: str) -> list[Clause]:
        """« Commune de Haute-Garonne (31), en Occitanie ; code INSEE 31555 ; chef-lieu de … »."""
        clause = [Part("Commune")]
        for department in self.many(self.node, "sfWithin"):
            clause += [Part(" "), *of_names([self.territory(department, lang)], lang)]
            for region in self.many(department, "sfWithin"):
                clause += [Part(", en " if lang == "fr" else ", "), self.name(region, lang)]
        return [clause, self.insee(lang), self.chef_lieu_of(lang), self.what_is_here(lang)]

    def territory(self, node, lang: str) -> Part:
        """« Haute-Garonne (31) »: a name with its INSEE code."""
        part, code = self.name(node, lang), self.one(node, "codeINSEE")
        return Part(f"{part.text} ({code.value})", part.href, part.lang) if code else part

    def insee(self, lang: str) -> Clause:
        code = self.one(self.node, "codeINSEE")
        words = "code INSEE " if lang == "fr" else "INSEE code "
        return [Part(words + code.value)] if code is not None else []

    def chef_lieu_of(self, lang: str) -> Clause:
        of = self.pointing("chefLieu")
        return [Part("chef-lieu "), *of_names(self.names(of, lang), lang)] if of else []

    def what_is_here(self, lang: str) -> Clause:
        """« 14 organisations y ont un site ; lieu de 7 événements », each count linking to the
        A–Z list filtered by the commune (``maillage/places.py`` reads both the same way)."""
        sites = self.pointing("sfWithin")
        owners = {o for s in sites for o in self.pointing("hasSite", s)}
        events = {e for place in [self.node, *sites] for e in self.pointing("location", place)}
        code = self.one(self.node, "codeINSEE")
        lists = f"?commune={code.value}" if code is not None else None
        clauses = []
        if owners:
            n = len(owners)
            counted = f"{n} organisation{'s' if n > 1 else ''}"
            rest = (" y ont un site" if n > 1 else " y a un site") if lang == "fr" else ""
            if lang == "en":
                rest = " have a site there" if n > 1 else " has a site there"
            clauses.append([self.listed_as(counted, "organisations", lists), Part(rest)])
        if events:
            n, s = len(events), "s" if len(events) > 1 else ""
            counted = f"{n} événement{s}" if lang == "fr" else f"{n} event{s}"
            words = "lieu de " if lang == "fr" else "venue of "
            clauses.append([Part(words), self.listed_as(counted, "events", lists)])
        return semicolons(clauses, lang)

    def listed_as(self, text: str, slug: str, query: str | None) -> Part:
        return Part(text, f"/browse/{slug}{query}" if query else None)

    def _departement(self, lang: str) -> list[Clause]:
        clause = [Part("Département")]
        code = self.one(self.node, "codeINSEE")
        if code is not None:
            clause.append(Part(f" {code.value}"))
        for region in self.many(self.node, "sfWithin"):
            clause += [Part(", en " if lang == "fr" else ", in "), self.name(region, lang)]
        return [clause, self.chef_lieu(lang)]

    def chef_lieu(self, lang: str) -> Clause:
        town = self.one(self.node, "chefLieu")
        if town is None:
            return []
        return [Part("chef-lieu\u00a0: " if lang == "fr" else "chef-lieu: "), self.name(town, lang)]

    def _region(self, lang: str) -> list[Clause]:
        """« Région (code INSEE 76) ; chef-lieu : Toulouse ; remplace … », or a former one."""
        start, end = self.dated(self.node, "startDate"), self.dated(self.node, "endDate")
        successors = self.many(self.node, "isReplacedBy")
        clause = [Part("Région" if lang == "fr" else "Region")]
        if end is not None:
            former = "Ancienne région" if lang == "fr" else "Former region"
            clause = [Part(former)]
            if start is not None:
                first, last = ph.date_text(start, lang), ph.date_text(end, lang)
                span = f" du {first} au {last}" if lang == "fr" else f" from {first} to {last}"
                clause.append(Part(span))
        if successors:
            words = ", remplacée par " if lang == "fr" else ", replaced by "
            clause += [Part(words), *self.names(successors, lang)]
        predecessors = self.many(self.node, "replaces")
        replaces = (
            [Part("remplace " if lang == "fr" else "replaces "), *self.names(predecessors, lang)]
            if predecessors
            else []
        )
        return [clause, self.insee(lang), self.chef_lieu(lang), replaces]
