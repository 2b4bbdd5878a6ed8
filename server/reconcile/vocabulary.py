"""What the reconciliation service offers: its types (the classes of the shapes, as the data has
them) and its properties (the contract's, README C1–C9), each with its identifier, its French
name and what its values are. One table each; the manifest, suggest, matching and extension read
them."""

from __future__ import annotations

from dataclasses import dataclass

from maillage.namespaces import FOAF, IGEO, ORG, SCHEMA


@dataclass(frozen=True)
class EntityType:
    key: str
    """A short name also accepted in queries (``organisation``)."""
    iri: str
    """The type's identifier in the protocol: the class IRI."""
    name: str
    description: str


TYPES = (
    EntityType("organisation", str(ORG.Organization), "Organisation", "org:Organization (C1)"),
    EntityType("person", str(FOAF.Person), "Personne", "foaf:Person (C2)"),
    EntityType("event", str(SCHEMA.Event), "Événement", "schema:Event (C9)"),
    EntityType("site", str(ORG.Site), "Site", "org:Site, lieu d’une organisation (C7)"),
    EntityType("commune", str(IGEO.Commune), "Commune", "igeo:Commune (C8)"),
    EntityType("departement", str(IGEO.Departement), "Département", "igeo:Departement (C8)"),
    EntityType("region", str(IGEO.Region), "Région", "igeo:Region (C8)"),
)
"""Every candidate has at least one of these types; a query's type must be one of them."""

TYPE_BY_IRI = {t.iri: t for t in TYPES}
TYPE_BY_KEY = {t.key: t for t in TYPES}
ORGANISATION = TYPE_BY_KEY["organisation"]


@dataclass(frozen=True)
class Property:
    id: str
    name: str
    description: str
    types: tuple[str, ...]
    """The keys of the types it is proposed for (data extension)."""
    kind: str
    """``entity`` (values are reconciled entities), ``text``, ``date`` or ``code``."""


ORGANISATIONS = ("organisation",)
PLACES = ("site", "commune", "departement", "region")
TERRITORIES = ("commune", "departement", "region")
ALL = tuple(t.key for t in TYPES)

PROPERTIES = (
    Property("name", "Nom", "le nom retenu (skos:prefLabel)", ALL, "text"),
    Property("altLabel", "Autres noms", "noms variants et anciens (skos:altLabel)", ALL, "text"),
    Property("description", "Description", "schema:description", ALL, "text"),
    Property(
        "family",
        "Famille de réseau",
        "org:classification dans le schéma family: (identifiant, ou nom de la famille)",
        ORGANISATIONS,
        "entity",
    ),
    Property(
        "kind",
        "Type d’organisation",
        "org:classification dans le schéma kind: (identifiant, ou nom du type)",
        ORGANISATIONS,
        "entity",
    ),
    Property(
        "commune",
        "Commune",
        "la commune où elle se trouve : de ses sites (org:hasSite/geo:sfWithin) pour une "
        "organisation, schema:location pour un événement (identifiant, nom ou code INSEE)",
        ("organisation", "event", "site"),
        "entity",
    ),
    Property(
        "insee",
        "Code INSEE",
        "le code INSEE de sa commune, ou le sien pour un territoire (igeo:codeINSEE)",
        ("organisation", "event", "site", *TERRITORIES),
        "code",
    ),
    Property(
        "foundingDate",
        "Date de création",
        "schema:foundingDate, à la précision de la source (une année suffit pour comparer)",
        ORGANISATIONS,
        "date",
    ),
    Property(
        "dissolutionDate",
        "Date de fin",
        "schema:dissolutionDate, déduite d’une fusion datée (C14)",
        ORGANISATIONS,
        "date",
    ),
    Property("site", "Sites", "org:hasSite (C7)", ORGANISATIONS, "entity"),
    Property("headOffice", "Siège", "org:hasPrimarySite (C7)", ORGANISATIONS, "entity"),
    Property("members", "Membres", "org:hasMember (C4)", ORGANISATIONS, "entity"),
    Property("memberOf", "Membre de", "org:memberOf (C4)", ("organisation", "person"), "entity"),
    Property(
        "heads",
        "Dirigeants",
        "les personnes qui la dirigent ou l’ont dirigée (org:headOf, C3)",
        ORGANISATIONS,
        "entity",
    ),
    Property("headOf", "Dirige", "org:headOf (C3)", ("person",), "entity"),
    Property("parent", "Organisation mère", "org:subOrganizationOf (C5)", ORGANISATIONS, "entity"),
    Property(
        "subOrganizations",
        "Sous-organisations",
        "org:hasSubOrganization (C5)",
        ORGANISATIONS,
        "entity",
    ),
    Property(
        "mergedFrom",
        "Issue de la fusion de",
        "les organisations d’origine du changement dont elle résulte (org:resultedFrom, C6)",
        ORGANISATIONS,
        "entity",
    ),
    Property(
        "mergedInto",
        "Fusionnée dans",
        "l’organisation résultant du changement qui l’a touchée (org:changedBy, C6)",
        ORGANISATIONS,
        "entity",
    ),
    Property("funder", "Financeurs", "schema:funder", ORGANISATIONS, "entity"),
    Property("organizer", "Organisateurs", "schema:organizer (C9)", ("event",), "entity"),
    Property("location", "Lieu", "schema:location (C9)", ("event",), "entity"),
    Property("startDate", "Date de début", "schema:startDate (C9)", ("event",), "date"),
    Property("endDate", "Date de fin", "schema:endDate (C9)", ("event",), "date"),
    Property(
        "within",
        "Situé dans",
        "geo:sfWithin : la commune d’un site, le département d’une commune, la région d’un "
        "département (C7, C8)",
        PLACES,
        "entity",
    ),
)
PROPERTY_BY_ID = {p.id: p for p in PROPERTIES}


def proposed(type_key: str | None) -> list[Property]:
    """The properties proposed for a type (all of them without one)."""
    return [p for p in PROPERTIES if type_key is None or type_key in p.types]
