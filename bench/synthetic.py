"""The synthetic Occitanie: organisations, people, sites, events, figures and mergers, as claims.

Each function returns the claims one entity gives rise to, with the triples the real build would
publish for them, materialised triples included (``docs/data-model.md``, end): inverse
properties, ``rdfs:label``, ``foaf:name``, ``org:Organization`` for subclasses, ``org:hasSite``
from ``org:hasPrimarySite``, ``org:headOf`` for head roles; the bounds of dates are added when a
claim is written (``bench.nquads.with_date_bounds``). Every triple is stated by exactly one claim,
so the default graph has no duplicate line.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from bench.nquads import A, date, integer, iri, lang, term

ID = "https://w3id.org/maillage/id/"
PLACES = ("Garonne", "Pyrène", "Cévennes", "Canal", "Midi", "Lauragais", "Aubrac", "Causses")
PLACES += ("Camargue", "Minervois", "Quercy", "Comminges", "Vallespir", "Albigeois")
TRADES = ("Numérique", "Data", "Logiciel", "Cloud", "Cyber", "Robotique", "Web", "Conseil")
TRADES += ("Systèmes", "Réseaux", "Studio", "Santé Connectée", "Énergie", "Spatial")
FIRST_NAMES = ("Camille", "Louis", "Léa", "Hugo", "Chloé", "Jules", "Manon", "Arthur", "Inès")
FIRST_NAMES += ("Paul", "Sarah", "Nathan", "Claire", "Marc", "Anne", "Pierre", "Julie", "Karim")
LAST_NAMES = ("Martin", "Bernard", "Garcia", "Roux", "Fabre", "Vidal", "Marty", "Bonnet")
LAST_NAMES += ("Delmas", "Cazals", "Rouquette", "Azéma", "Bousquet", "Lafon", "Sabatier")
COMPANY_KINDS = ("entreprise", "start-up", "editeur-logiciel", "studio", "entreprise")
THEMES = ("ia", "cybersecurite", "data", "cloud", "iot", "e-sante", "robotique", "green-it")
THEMES += ("aeronautique-spatial", "fintech", "industrie-4-0", "realite-virtuelle")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août")
MONTHS += ("septembre", "octobre", "novembre", "décembre")
CLUSTER_SHARE = 40
"""One organisation in this many is a cluster; the rest join clusters by Zipf popularity."""
MERGER_EVERY = 97
"""Every so many organisations, a company results from the merger of the two before it."""
CONFLICT_EVERY = 50
"""Every so many organisations, a later document gets the founding year wrong (deprecated)."""


@dataclass
class Claim:
    """What one sentence of one document states; its document is chosen when it is written."""

    slug: str
    sentence: str
    triples: list[tuple[str, str, str]]
    rank: str = "normal"
    inferred: str | None = None
    loses_to: Claim | None = None
    reason: dict[str, str] = field(default_factory=dict)
    iri: str = ""


@dataclass
class Conflict:
    slug: str
    topic: dict[str, str]
    reason: dict[str, str]
    rule: str
    claims: tuple[Claim, Claim]
    about: str
    """The resource both claims are about (``mlg:conflictAbout``)."""


@dataclass(frozen=True)
class Commune:
    iri: str
    name: str


@dataclass
class World:
    """What the generator draws from and what it remembers for the query mix."""

    rng: random.Random
    communes: list[Commune]
    commune_weights: list[float]
    head_roles: list[str]
    clusters: list[tuple[str, str]] = field(default_factory=list)
    cluster_weights: list[float] = field(default_factory=list)
    picked: dict[str, list[str]] = field(default_factory=dict)
    words: Counter = field(default_factory=Counter)
    conflicts: list[Conflict] = field(default_factory=list)
    recent: list[str] = field(default_factory=list)

    def commune(self) -> Commune:
        return self.rng.choices(self.communes, cum_weights=self.commune_weights)[0]

    def cluster(self) -> tuple[str, str]:
        return self.rng.choices(self.clusters, cum_weights=self.cluster_weights)[0]

    def recent_names(self, _index: int) -> list[str]:
        """The two companies written just before the current one."""
        return self.recent[-3:-1]

    def remember(self, kind: str, iri_text: str) -> None:
        self.picked.setdefault(kind, []).append(iri_text)


def zipf_cumulative(count: int, exponent: float = 1.0) -> list[float]:
    total, cumulative = 0.0, []
    for rank in range(1, count + 1):
        total += 1.0 / rank**exponent
        cumulative.append(total)
    return cumulative


def slugify(text: str) -> str:
    table = str.maketrans("àâäéèêëîïôöûùüçÉÈ’'", "aaaeeeeiioouuucee--")
    cleaned = "".join(c if c.isalnum() else "-" for c in text.lower().translate(table))
    return "-".join(part for part in cleaned.split("-") if part)


def our(path: str) -> str:
    return iri(ID + path)


# ---- organisations --------------------------------------------------------------------------


def organisation_claims(world: World, index: int) -> list[Claim]:
    """A cluster every ``CLUSTER_SHARE`` organisations, otherwise a company."""
    if index % CLUSTER_SHARE == 0:
        return cluster_claims(world, index)
    return company_claims(world, index)


def company_name(world: World, index: int) -> str:
    return f"{world.rng.choice(PLACES)} {world.rng.choice(TRADES)} {index}"


def identity_claim(world: World, node: str, name: str, types: list[str], kinds: list[str]):
    triples = [(node, A, term(t)) for t in [*types, "org:Organization"]]
    triples += [(node, term("skos:prefLabel"), lang(name)), (node, term("rdfs:label"), lang(name))]
    triples += [(node, term("org:classification"), term(f"concept:{k}")) for k in kinds]
    theme = world.rng.choice(THEMES)
    triples.append((node, term("dcterms:subject"), term(f"concept:theme/{theme}")))
    if world.rng.random() < 0.1:
        triples.append((node, term("skos:altLabel"), lang(name.upper())))
    world.words.update(word.lower() for word in name.split() if word.isalpha())
    sentence = f"{name} est une structure du numérique d'Occitanie, spécialisée en {theme}."
    return Claim(f"{slugify(name)}-identite", sentence, triples)


def founding_claims(world: World, node: str, name: str, slug: str, index: int) -> list[Claim]:
    year = world.rng.randint(1990, 2022)
    where = world.commune()
    founded = Claim(
        f"{slug}-creation",
        f"{name} a été créée en {year} à {where.name}.",
        [
            (node, term("schema:foundingDate"), date(str(year))),
            (node, term("schema:foundingLocation"), where.iri),
        ],
    )
    if world.rng.random() < 0.15:
        founded.inferred = "year from the document's publication date; the text gives none"
    if index % CONFLICT_EVERY != 1:
        return [founded]
    return [founded, *founding_conflict(world, founded, node, name, slug, year)]


def founding_conflict(world: World, winner: Claim, node: str, name: str, slug: str, year: int):
    """A later, retrospective document that gets the founding year wrong: deprecated."""
    wrong = year + 1
    loser = Claim(
        f"{slug}-creation-retrospective",
        f"Fondée en {wrong}, {name} a grandi depuis.",
        [(node, term("schema:foundingDate"), date(str(wrong)))],
        rank="deprecated",
        loses_to=winner,
        reason={
            "fr": "Le document contemporain de la création prime sur le récit rétrospectif.",
            "en": "The document contemporary with the founding wins over the retrospective one.",
        },
    )
    winner.rank = "preferred"
    topic = {"fr": f"Année de création de {name}", "en": f"Founding year of {name}"}
    world.conflicts.append(
        Conflict(f"{slug}-creation", topic, loser.reason, "contemporaneous", (winner, loser), node)
    )
    return [loser]


def site_claim(world: World, node: str, name: str, slug: str, primary: bool) -> Claim:
    where = world.commune()
    site = our(f"site/{slug}-{'siege' if primary else 'antenne'}")
    world.remember("sites", site[1:-1])
    label = f"{'Siège' if primary else 'Antenne'} de {name} ({where.name})"
    triples = [(node, term("org:hasSite"), site)]
    if primary:
        triples.append((node, term("org:hasPrimarySite"), site))
    triples += [
        (site, A, term("org:Site")),
        (site, term("rdfs:label"), lang(label)),
        (site, term("geo:sfWithin"), where.iri),
    ]
    verb = "a son siège" if primary else "a ouvert une antenne"
    return Claim(
        f"{slug}-{'siege' if primary else 'antenne'}", f"{name} {verb} à {where.name}.", triples
    )


def interval_triples(node: str, start: str, end: str | None) -> list[tuple[str, str, str]]:
    during = node[:-1] + "/during>"
    triples = [(node, term("org:memberDuring"), during), (during, A, term("time:Interval"))]
    for edge, value in (("hasBeginning", start), ("hasEnd", end)):
        if value:
            instant = node[:-1] + f"/{edge[3:].lower()}>"
            triples += [
                (during, term(f"time:{edge}"), instant),
                (instant, A, term("time:Instant")),
                (instant, term("time:inXSDDate"), date(value)),
            ]
    return triples


def membership_triples(member: str, organisation: str, role: str, node: str) -> list:
    return [
        (node, A, term("org:Membership")),
        (node, term("org:member"), member),
        (node, term("org:organization"), organisation),
        (node, term("org:role"), term(f"concept:role/{role}")),
        (member, term("org:hasMembership"), node),
    ]


def random_interval(world: World) -> tuple[str, str | None]:
    year = world.rng.randint(2008, 2024)
    start = f"{year}-{world.rng.randint(1, 12):02d}-01"
    if world.rng.random() < 0.3:
        return start, f"{year + world.rng.randint(1, 5)}-12-31"
    return start, None


def adhesion_claim(world: World, node: str, name: str, slug: str, cluster: tuple[str, str]):
    cluster, cluster_name = cluster
    membership = our(f"membership/{slug}-{cluster.rsplit('/', 1)[1][:-1]}-adherent")
    start, end = random_interval(world)
    triples = membership_triples(node, cluster, "adherent", membership)
    triples += interval_triples(membership, start, end)
    triples += [
        (membership, term("rdfs:label"), lang(f"Adhésion de {name} à {cluster_name}")),
        (node, term("org:memberOf"), cluster),
        (cluster, term("org:hasMember"), node),
    ]
    day, month, year = int(start[8:]), MONTHS[int(start[5:7]) - 1], start[:4]
    sentence = f"{name} a rejoint {cluster_name} le {day} {month} {year}."
    return Claim(f"{slug}-adhesion-{cluster.rsplit('/', 1)[1][:-1]}", sentence, triples)


def head_claims(world: World, node: str, name: str, slug: str, role: str) -> list[Claim]:
    first, last = world.rng.choice(FIRST_NAMES), world.rng.choice(LAST_NAMES)
    person_name = f"{first} {last}"
    person_slug = f"{slugify(person_name)}-{slug}"
    person = our(f"person/{person_slug}")
    world.remember("people", person[1:-1])
    identity = Claim(
        f"{person_slug}-identite",
        f"{person_name} est une figure de l'écosystème numérique régional.",
        [
            (person, A, term("foaf:Person")),
            (person, term("skos:prefLabel"), lang(person_name)),
            (person, term("foaf:name"), lang(person_name)),
            (person, term("rdfs:label"), lang(person_name)),
        ],
    )
    membership = our(f"membership/{person_slug}-{role}")
    triples = membership_triples(person, node, role, membership)
    triples += interval_triples(membership, *random_interval(world))
    if role in world.head_roles:
        triples.append((person, term("org:headOf"), node))
    said = f"{person_name}, {role.replace('-', ' ')} de {name}, a présenté la feuille de route."
    return [identity, Claim(f"{person_slug}-{role}", said, triples)]


def figure_claim(world: World, subject: str, slug: str, measure: str, unit: str, value: int, year):
    figure = our(f"figure/{slug}-{measure}-{year}")
    triples = [
        (subject, term("mlg:observation"), figure),
        (figure, A, term("mlg:Observation")),
        (figure, term("mlg:measure"), term(f"concept:measure/{measure}")),
        (figure, term("schema:value"), integer(value)),
        (figure, term("mlg:unit"), term(f"concept:unit/{unit}")),
        (figure, term("dcterms:date"), date(str(year))),
        (figure, term("rdfs:label"), lang(f"{measure} de {slug} ({year})")),
    ]
    qualifier = world.rng.choice(("", "", "environ", "plus-de", "pres-de"))
    if qualifier:
        triples.append((figure, term("mlg:qualifier"), term(f"concept:qualifier/{qualifier}")))
    words = f"{qualifier.replace('-', ' ')} {value}".strip()
    return Claim(
        f"{slug}-{measure}-{year}", f"En {year}, {slug} comptait {words} {unit}s.", triples
    )


def company_claims(world: World, index: int) -> list[Claim]:
    name = company_name(world, index)
    slug = slugify(name)
    node = our(f"org/{slug}")
    world.remember("organisations", node[1:-1])
    world.recent = [*world.recent[-2:], name]
    kind = world.rng.choice(COMPANY_KINDS)
    claims = [identity_claim(world, node, name, ["org:FormalOrganization"], [f"kind/{kind}"])]
    claims += founding_claims(world, node, name, slug, index)
    claims.append(site_claim(world, node, name, slug, primary=True))
    if world.rng.random() < 0.15:
        claims.append(site_claim(world, node, name, slug, primary=False))
    joined = {world.cluster() for _ in range(world.rng.choice((1, 1, 2)))}
    for cluster in sorted(joined):
        claims.append(adhesion_claim(world, node, name, slug, cluster))
    if world.rng.random() < 0.6:
        role = world.rng.choice(("president", "pdg", "directeur-general", "cofondateur"))
        claims += head_claims(world, node, name, slug, role)
    if world.rng.random() < 0.3:
        jobs, year = world.rng.randint(3, 400), world.rng.randint(2015, 2025)
        claims.append(figure_claim(world, node, slug, "jobs", "job", jobs, year))
    if index % MERGER_EVERY == 3:
        claims.append(merger_claim(world, node, name, slug, index))
    return claims


def merger_claim(world: World, node: str, name: str, slug: str, index: int) -> Claim:
    originals = [our(f"org/{slugify(n)}") for n in world.recent_names(index)]
    change = our(f"change/fusion-{slug}")
    year = world.rng.randint(2012, 2024)
    triples = [
        (change, A, term("org:ChangeEvent")),
        (change, term("rdfs:label"), lang(f"Fusion donnant naissance à {name}")),
        (change, term("org:resultingOrganization"), node),
        (node, term("org:resultedFrom"), change),
        (change, term("dcterms:date"), date(f"{year}-{world.rng.randint(1, 12):02d}")),
    ]
    for original in originals:
        triples += [
            (change, term("org:originalOrganization"), original),
            (original, term("org:changedBy"), change),
        ]
    if world.rng.random() < 0.2:
        triples.append((change, term("mlg:plannedDate"), date(str(year - 1))))
    return Claim(f"fusion-{slug}", f"La fusion a donné naissance à {name} en {year}.", triples)


# ---- clusters, their units, events and figures -----------------------------------------------


def cluster_claims(world: World, index: int) -> list[Claim]:
    name = f"Cluster {world.rng.choice(TRADES)} {world.rng.choice(PLACES)} {index // CLUSTER_SHARE}"
    slug = slugify(name)
    node = our(f"org/{slug}")
    world.remember("organisations", node[1:-1])
    world.clusters.append((node, name))
    world.cluster_weights[:] = zipf_cumulative(len(world.clusters))
    kinds = ["kind/cluster", "family/clusters-poles"]
    claims = [identity_claim(world, node, name, ["org:OrganizationalCollaboration"], kinds)]
    claims += founding_claims(world, node, name, slug, index)
    claims.append(site_claim(world, node, name, slug, primary=True))
    claims += head_claims(world, node, name, slug, "president")
    for year in (2019, 2022, 2025):
        members = world.rng.randint(20, 600)
        claims.append(figure_claim(world, node, slug, "members", "member", members, year))
    if index % (2 * CLUSTER_SHARE) == 0:
        claims.append(unit_claim(world, node, name, slug))
    claims += event_claims(world, node, name, slug)
    return claims


def unit_claim(world: World, parent: str, parent_name: str, parent_slug: str) -> Claim:
    name = f"Programme d'accélération de {parent_name}"
    node = our(f"org/{parent_slug}-programme")
    world.remember("organisations", node[1:-1])
    triples = identity_claim(
        world, node, name, ["org:OrganizationalUnit"], ["kind/accelerateur"]
    ).triples
    triples += [
        (node, term("org:subOrganizationOf"), parent),
        (parent, term("org:hasSubOrganization"), node),
    ]
    return Claim(f"{parent_slug}-programme", f"{parent_name} porte {name}.", triples)


def event_claims(world: World, organiser: str, name: str, slug: str) -> list[Claim]:
    series_name = f"Rencontres de {name}"
    series = our(f"event/{slug}-rencontres")
    where = world.commune()
    world.remember("events", series[1:-1])
    triples = [
        (series, A, term("schema:EventSeries")),
        (series, term("schema:name"), lang(series_name)),
        (series, term("rdfs:label"), lang(series_name)),
        (series, term("schema:organizer"), organiser),
        (series, term("schema:location"), where.iri),
    ]
    said = f"{name} organise chaque année les {series_name} à {where.name}."
    claims = [Claim(f"{slug}-rencontres", said, triples)]
    first = world.rng.randint(2012, 2021)
    for year in range(first, 2026):
        claims.append(edition_claim(world, series, series_name, organiser, slug, year))
    return claims


def edition_claim(world: World, series: str, series_name: str, organiser: str, slug, year):
    edition_name = f"{series_name} {year}"
    edition = our(f"event/{slug}-rencontres-{year}")
    world.remember("events", edition[1:-1])
    month, day = world.rng.randint(1, 12), world.rng.randint(1, 27)
    triples = [
        (edition, A, term("schema:Event")),
        (edition, term("schema:name"), lang(edition_name)),
        (edition, term("rdfs:label"), lang(edition_name)),
        (edition, term("schema:superEvent"), series),
        (series, term("schema:subEvent"), edition),
        (edition, term("schema:organizer"), organiser),
        (edition, term("schema:startDate"), date(f"{year}-{month:02d}-{day:02d}")),
        (edition, term("schema:endDate"), date(f"{year}-{month:02d}-{day + 1:02d}")),
    ]
    triples += venue_triples(world, edition, slug, year)
    if year == 2025:
        triples.append((edition, term("schema:eventStatus"), term("schema:EventScheduled")))
    participants = world.rng.randint(50, 3000)
    figure = figure_claim(
        world,
        edition,
        f"{slug}-rencontres-{year}",
        "participants",
        "participant",
        participants,
        year,
    )
    said = f"L'édition {year} des {series_name} a réuni {participants} participants."
    return Claim(f"{slug}-rencontres-{year}", said, triples + figure.triples)


def venue_triples(world: World, edition: str, slug: str, year: int) -> list:
    where = world.commune()
    if world.rng.random() < 0.5:
        return [(edition, term("schema:location"), where.iri)]
    venue = our(f"site/{slug}-lieu-{year}")
    world.remember("sites", venue[1:-1])
    return [
        (edition, term("schema:location"), venue),
        (venue, A, term("org:Site")),
        (venue, term("rdfs:label"), lang(f"Centre des congrès de {where.name} ({year})")),
        (venue, term("geo:sfWithin"), where.iri),
    ]
