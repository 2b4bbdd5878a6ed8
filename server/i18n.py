"""The interface's language: French by default, English on request (``docs/http-api.md``,
"Languages of the pages").

One table, :data:`MESSAGES`, holds every text our pages show around the data, in both languages;
templates call ``t("key")`` and get it in the page's language (``lang``). The language of a page
is negotiated here, once: ``?lang=fr|en`` wins, else the browser's ``Accept-Language`` (its q-values
and wildcards), else French. Data values keep their own language tag (``lang`` on their element),
whatever the interface's language.

A message is trusted markup (it may hold a link); the values put into it with ``t("key", x=…)``
are escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from server.negotiation import quality

LANGUAGES = ("fr", "en")
"""The interface's languages, the default first."""
DEFAULT = LANGUAGES[0]
PARAMETER = "lang"
"""``?lang=en``: the query parameter that chooses the language of a page, whatever the browser
asks for."""
NAMES = {"fr": "Français", "en": "English"}
"""Each language in itself, as the language switch offers it."""

MESSAGES: dict[str, dict[str, str]] = {
    # base.html: every page
    "site.skip": {"fr": "Aller au contenu", "en": "Skip to content"},
    "site.nav": {"fr": "Site", "en": "Site"},
    "site.browse": {"fr": "Parcourir", "en": "Browse"},
    "site.documents": {"fr": "Documents", "en": "Documents"},
    "site.timeline": {"fr": "Chronologie", "en": "Timeline"},
    "site.query": {"fr": "Requêtes", "en": "Query"},
    "site.downloads": {"fr": "Téléchargements", "en": "Downloads"},
    "site.vocabulary": {"fr": "Vocabulaire", "en": "Vocabulary"},
    "site.api": {"fr": "API HTTP", "en": "HTTP API"},
    "site.search": {"fr": "Rechercher", "en": "Search"},
    "site.search-go": {"fr": "OK", "en": "Go"},
    "site.search-region": {"fr": "Tout le site", "en": "Whole site"},
    "site.language": {"fr": "Langue", "en": "Language"},
    "site.license": {
        "fr": 'Données : <a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence" '
        'rel="license"><span lang="fr">Licence Ouverte</span> / '
        '<span lang="en">Open Licence</span> 2.0 (Etalab)</a>. '
        "Chaque énoncé renvoie aux mots du document qui l’énonce.",
        "en": 'Data: <a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence" '
        'rel="license"><span lang="fr">Licence Ouverte</span> / Open Licence 2.0 (Etalab)</a>. '
        "Every statement links to the words of the document that states it.",
    },
    "site.sparql": {"fr": "Point d’accès SPARQL", "en": "SPARQL endpoint"},
    "site.catalog": {"fr": "Catalogue (DCAT)", "en": "Catalogue (DCAT)"},
    # home.html
    "home.title": {"fr": "Accueil", "en": "Home"},
    "home.release": {
        "fr": "Version de données <code>{release}</code>",
        "en": "Release <code>{release}</code>",
    },
    "home.version": {"fr": ", version {version}", "en": ", version {version}"},
    "home.issued": {"fr": ", publiée le {issued}", "en": ", issued {issued}"},
    "home.resolves": {
        "fr": "Chaque IRI sous <code>https://w3id.org/maillage/</code> se résout sur ce serveur : "
        "en page dans un navigateur, en RDF pour un programme.",
        "en": "Every IRI under <code>https://w3id.org/maillage/</code> resolves on this server: "
        "as a page in a browser, as RDF for a program.",
    },
    "home.counts": {"fr": "Ce qu’il contient", "en": "What it holds"},
    "home.conflicts": {"fr": "Là où les documents divergent", "en": "Where the documents disagree"},
    "home.conflicts-lead": {
        "fr": "Les désaccords sont gardés et classés, jamais effacés : chacun a sa page avec ses "
        "affirmations, leurs citations et la raison de leur rang (tous dans "
        '<a href="/downloads/conflicts.md">le rapport des conflits</a>, aussi en '
        '<a href="/downloads/conflicts.ttl">Turtle</a>).',
        "en": "Disagreements are kept and ranked, never dropped: each has a page with its claims, "
        "their quotes and the reason for their ranks (all of them in "
        '<a href="/downloads/conflicts.md">the conflicts report</a>, also as '
        '<a href="/downloads/conflicts.ttl">Turtle</a>).',
    },
    "home.documents": {"fr": "Les documents", "en": "The documents"},
    "home.documents-lead": {
        "fr": "Chaque fait a été lu dans l’un de ces documents par une personne qui a relevé les "
        "mots exacts qui l’énoncent. Ouvrez un document pour voir son texte, chaque citation "
        'marquée. La <a href="/timeline">chronologie</a> place dans le temps chaque fait daté, '
        "et chaque document.",
        "en": "Each fact was read in one of these documents by a curator, who recorded the exact "
        "words that state it. Open a document to see its text with every quote marked. The "
        '<a href="/timeline">timeline</a> places every dated fact, and each document, in time.',
    },
    "home.date-unknown": {"fr": "date inconnue", "en": "date unknown"},
    "home.claims": {"fr": "{count} affirmations", "en": "{count} claims"},
    "home.examples": {"fr": "Exemples de requêtes", "en": "Example queries"},
    "home.examples-lead": {
        "fr": 'Écrivez les vôtres sur la <a href="/query">page de requêtes</a>, ou envoyez du '
        "SPARQL 1.1 à <code>/sparql</code> depuis n’importe quel client. Le vocabulaire est "
        'documenté à <a href="/def/">/def/</a> (aussi '
        '<a href="/downloads/ontology.ttl">ontology.ttl</a>).',
        "en": 'Write your own on the <a href="/query">query page</a>, or send SPARQL 1.1 to '
        "<code>/sparql</code> from any client. The vocabulary is documented at "
        '<a href="/def/">/def/</a> (also <a href="/downloads/ontology.ttl">ontology.ttl</a>).',
    },
    "home.downloads": {"fr": "Téléchargements", "en": "Downloads"},
    "home.downloads-lead": {
        "fr": "Les fichiers de cette version, avec leur SHA-256 "
        '(<a href="/downloads/manifest.json">manifest.json</a> les liste aussi ; '
        '<a href="/downloads/">tous les fichiers</a>, <a href="/catalog">le catalogue</a>).',
        "en": "The files of this release, with their SHA-256 "
        '(<a href="/downloads/manifest.json">manifest.json</a> lists them too; '
        '<a href="/downloads/">every file</a>, <a href="/catalog">the catalogue</a>).',
    },
    "files.file": {"fr": "fichier", "en": "file"},
    "files.what": {"fr": "contenu", "en": "what"},
    "files.size": {"fr": "taille", "en": "size"},
    "files.bytes": {"fr": "{count} octets", "en": "{count} bytes"},
    "files.media-type": {"fr": "type de média", "en": "media type"},
    # The classes the home page counts and lists (server/summary.py's slugs)
    "class.organisations": {"fr": "organisations", "en": "organisations"},
    "class.people": {"fr": "personnes", "en": "people"},
    "class.roles": {"fr": "rôles", "en": "roles"},
    "class.sites": {"fr": "sites et lieux", "en": "sites and venues"},
    "class.events": {"fr": "événements", "en": "events"},
    "class.event-series": {"fr": "séries d’événements", "en": "event series"},
    "class.changes": {"fr": "fusions et autres changements", "en": "mergers and other changes"},
    "class.figures": {"fr": "chiffres", "en": "figures"},
    "class.documents": {"fr": "documents", "en": "documents"},
    "class.conflicts": {"fr": "conflits", "en": "conflicts"},
    "total.claims": {"fr": "affirmations", "en": "claims"},
    "total.triples": {
        "fr": "triplets dans le graphe par défaut",
        "en": "triples in the default graph",
    },
    "total.entities": {
        "fr": "ressources avec un IRI à nous",
        "en": "resources with an IRI of ours",
    },
    # error.html
    "error.not-found": {"fr": "Introuvable", "en": "Not found"},
    "error.status": {"fr": "Erreur {status}", "en": "Error {status}"},
    "error.nothing": {
        "fr": "Rien n’est publié à cette adresse.",
        "en": "Nothing is published at this address.",
    },
    "error.requested": {
        "fr": "Demandé : <code>{path}</code>",
        "en": "Requested: <code>{path}</code>",
    },
    "error.home": {"fr": "Accueil", "en": "Home"},
    "error.query": {"fr": "Interroger les données", "en": "Query the data"},
}
"""Every text of the interface: key → language → text (trusted markup, ``{name}`` for values)."""


class MissingMessage(KeyError):
    """A template asked for a key the table does not have."""


def language_of(request: Request) -> str:
    """The page's language: ``?lang=`` when it names one of ours, else ``Accept-Language``,
    else French."""
    asked = request.query_params.get(PARAMETER, "").strip().lower()
    if asked in LANGUAGES:
        return asked
    return from_accept_language(request.headers.get("accept-language"))


def from_accept_language(header: str | None) -> str:
    """The language of ours the header prefers (``en-GB`` is English; ``*`` any, so French);
    French when it names none of ours. Ties go to the header's order."""
    best: tuple[float, int] | None = None
    chosen = DEFAULT
    for order, part in enumerate((header or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        tag, weight = fields[0].lower(), quality(fields[1:])
        primary = DEFAULT if tag == "*" else tag.split("-")[0]
        if primary not in LANGUAGES or weight <= 0:
            continue
        key = (weight, -order)
        if best is None or key > best:
            best, chosen = key, primary
    return chosen


def translate(key: str, lang: str, **values: object) -> Markup:
    """The message ``key`` in ``lang``, with ``values`` escaped into it."""
    try:
        message = MESSAGES[key][lang]
    except KeyError:
        raise MissingMessage(f"no message {key!r} in {lang!r} (server/i18n.py MESSAGES)") from None
    return Markup(message).format(**values) if values else Markup(message)


def translator(lang: str) -> Callable[..., Markup]:
    """``t(key, **values)`` for one language: what templates call."""

    def t(key: str, **values: object) -> Markup:
        return translate(key, lang, **values)

    return t


def in_language(request: Request, lang: str) -> str:
    """This page's URL (path and query, empty parameters left out) in ``lang``: the language
    switch's link."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != PARAMETER and v]
    return request.url.path + "?" + urlencode([*query, (PARAMETER, lang)])


def page_context(request: Request) -> dict[str, object]:
    """What every template gets: ``lang``, ``t``, the switch to the other languages, and
    ``lang_asked``, the language the URL asks for (``?lang=``; forms carry it on)."""
    lang = language_of(request)
    return {
        "lang": lang,
        "lang_asked": lang if request.query_params.get(PARAMETER) else None,
        "t": translator(lang),
        "languages": [
            {"code": code, "name": NAMES[code], "href": in_language(request, code)}
            for code in LANGUAGES
        ],
    }


def mark_language(response: Response, lang: str) -> None:
    """``Content-Language``, and ``Vary: Accept-Language`` beside what the response varies on."""
    response.headers["Content-Language"] = lang
    vary(response, "Accept-Language")


def vary(response: Response, *fields: str) -> None:
    """Add ``fields`` to the response's ``Vary`` (once each), keeping what is there."""
    present = [v.strip() for v in response.headers.get("vary", "").split(",") if v.strip()]
    for name in fields:
        if name.lower() not in {p.lower() for p in present}:
            present.append(name)
    response.headers["Vary"] = ", ".join(present)
