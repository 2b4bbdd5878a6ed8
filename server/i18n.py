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
    "site.network": {"fr": "Réseau", "en": "Network"},
    "site.query": {"fr": "Requêtes", "en": "Query"},
    "site.downloads": {"fr": "Téléchargements", "en": "Downloads"},
    "site.vocabulary": {"fr": "Vocabulaire", "en": "Vocabulary"},
    "site.api": {"fr": "API HTTP", "en": "HTTP API"},
    "site.search": {"fr": "Rechercher", "en": "Search"},
    "site.search-go": {"fr": "OK", "en": "Go"},
    "site.search-region": {"fr": "Tout le site", "en": "Whole site"},
    "site.language": {"fr": "Langue", "en": "Language"},
    "site.suggest-label": {"fr": "Suggestions", "en": "Suggestions"},
    "site.suggest-status": {
        "fr": "Suggestions : {count} (flèches haut et bas pour choisir, Entrée pour ouvrir)",
        "en": "Suggestions: {count} (up and down arrows to choose, Enter to open)",
    },
    "site.suggest-none": {"fr": "Aucune suggestion", "en": "No suggestions"},
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
        'et chaque document ; le <a href="/network">réseau</a> dessine qui est membre de, '
        "dirige, finance ou organise quoi, et qui a fusionné dans quoi.",
        "en": "Each fact was read in one of these documents by a curator, who recorded the exact "
        "words that state it. Open a document to see its text with every quote marked. The "
        '<a href="/timeline">timeline</a> places every dated fact, and each document, in time; '
        'the <a href="/network">network</a> draws who is a member of, heads, funds or organises '
        "what, and who merged into what.",
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
    "class.organisations.one": {"fr": "organisation", "en": "organisation"},
    "class.people.one": {"fr": "personne", "en": "person"},
    "class.roles.one": {"fr": "rôle", "en": "role"},
    "class.sites.one": {"fr": "site ou lieu", "en": "site or venue"},
    "class.events.one": {"fr": "événement", "en": "event"},
    "class.event-series.one": {"fr": "série d’événements", "en": "event series"},
    "class.changes.one": {"fr": "fusion ou autre changement", "en": "merger or other change"},
    "class.figures.one": {"fr": "chiffre", "en": "figure"},
    "class.documents.one": {"fr": "document", "en": "document"},
    "class.conflicts.one": {"fr": "conflit", "en": "conflict"},
    "total.claims": {"fr": "affirmations", "en": "claims"},
    "total.triples": {
        "fr": "triplets dans le graphe par défaut",
        "en": "triples in the default graph",
    },
    "total.entities": {
        "fr": "ressources avec un IRI à nous",
        "en": "resources with an IRI of ours",
    },
    # browse.html
    "browse.title": {"fr": "{label}, de A à Z", "en": "{label}, A to Z"},
    "browse.count": {
        "fr": '<strong class="total">{total}</strong> sur {all} {label} (<code>{curie}</code>)',
        "en": '<strong class="total">{total}</strong> of {all} {label} (<code>{curie}</code>)',
    },
    "browse.under": {"fr": ", à la lettre {letter}", "en": " under {letter}"},
    "browse.in-family": {
        "fr": ", famille de réseau <code>{family}</code>",
        "en": ", network family <code>{family}</code>",
    },
    "browse.in-commune": {"fr": ", dans la commune {commune}", "en": ", in commune {commune}"},
    "browse.page-of": {"fr": ", page {page} sur {pages}", "en": ", page {page} of {pages}"},
    "browse.sorted": {
        "fr": "Dans l’ordre alphabétique français, sans tenir compte des accents ni des "
        "majuscules. Chacun mène à sa page.",
        "en": "Sorted in French order, accents and case ignored. Each links to its page.",
    },
    "browse.letters": {"fr": "Première lettre", "en": "First letter"},
    "browse.all-letters": {"fr": "Toutes", "en": "All"},
    "browse.family": {"fr": "Famille de réseau", "en": "Network family"},
    "browse.commune": {"fr": "Commune", "en": "Commune"},
    "browse.any": {"fr": "toutes", "en": "all"},
    "browse.filter": {"fr": "Filtrer", "en": "Filter"},
    "browse.none": {"fr": "Aucune entrée avec ces filtres.", "en": "None here with these filters."},
    "browse.pages": {"fr": "Pages", "en": "Pages"},
    "browse.previous": {"fr": "← précédente", "en": "← previous"},
    "browse.next": {"fr": "suivante →", "en": "next →"},
    "browse.page": {"fr": "page {page} sur {pages}", "en": "page {page} of {pages}"},
    # search.html
    "search.title": {"fr": "Recherche", "en": "Search"},
    "search.title-query": {"fr": "Recherche : {query}", "en": "Search: {query}"},
    "search.lead": {
        "fr": "Noms, autres noms, descriptions et citations des organisations, personnes, "
        "événements, lieux, documents et conflits de la version. Accents, majuscules, traits "
        "d’union et apostrophes ne comptent pas (<code>adocc</code> trouve AD’OCC), et un mot "
        "mal orthographié vaut pour le mot le plus proche que l’index contient. La même réponse "
        "existe en JSON avec <code>Accept: application/json</code>.",
        "en": "Names, other names, descriptions and quotes of the organisations, people, events, "
        "places, documents and conflicts of the release. Accents, case, hyphens and apostrophes "
        "do not matter (<code>adocc</code> finds AD’OCC), and a misspelt word stands for the "
        "closest word the index holds. The same answer is JSON with "
        "<code>Accept: application/json</code>.",
    },
    "search.region": {"fr": "Cette page", "en": "This page"},
    "search.words": {"fr": "Mots à chercher", "en": "Words to search for"},
    "search.submit": {"fr": "Chercher", "en": "Search"},
    "search.hits-one": {"fr": "1 résultat pour « {query} »", "en": "1 result for “{query}”"},
    "search.hits": {
        "fr": "{count} résultats pour « {query} »",
        "en": "{count} results for “{query}”",
    },
    "search.nothing": {
        "fr": 'Rien dans la version ne correspond à ces mots. La <a href="/query">page de '
        "requêtes</a> pose n’importe quelle question aux données en SPARQL.",
        "en": 'Nothing in the release matches these words. The <a href="/query">query page</a> '
        "asks the data anything in SPARQL.",
    },
    "search.first": {"fr": " (les {count} premiers)", "en": " (the first {count})"},
    "search.quote": {
        "fr": "citation de l’affirmation, document {document}",
        "en": "the claim’s quote, document {document}",
    },
    "search.nothing-filtered": {
        "fr": "Rien dans la version ne correspond à ces mots avec ces filtres. La "
        '<a href="/query">page de requêtes</a> pose n’importe quelle question aux données en '
        "SPARQL.",
        "en": "Nothing in the release matches these words with these filters. The "
        '<a href="/query">query page</a> asks the data anything in SPARQL.',
    },
    "search.narrowed": {"fr": "Restreint à", "en": "Narrowed to"},
    "search.remove": {
        "fr": 'retirer<span class="visually-hidden"> le filtre {facet}</span>',
        "en": 'remove<span class="visually-hidden"> the {facet} filter</span>',
    },
    "search.facets": {"fr": "Affiner les résultats", "en": "Narrow the results"},
    "search.facet.class": {"fr": "classe", "en": "class"},
    "search.facet.family": {"fr": "famille de réseau", "en": "network family"},
    "search.facet.commune": {"fr": "commune", "en": "commune"},
    # timeline.html
    "timeline.title": {"fr": "Chronologie", "en": "Timeline"},
    "timeline.title-of": {"fr": "Chronologie de {label}", "en": "Timeline of {label}"},
    "timeline.heading-of": {
        "fr": 'Chronologie de <a href="{href}" lang="fr">{label}</a>',
        "en": 'Timeline of <a href="{href}" lang="fr">{label}</a>',
    },
    "timeline.lead-of": {
        "fr": "Ce que les documents datent de {label} : sa création et sa fin, ses adhésions "
        "(commencées, terminées, attestées par un document daté), les changements et événements "
        "auxquels elle prend part (avec leurs sous-événements et leurs chiffres), ses chiffres, et "
        'les dates des documents qui en parlent. La <a href="/timeline">chronologie de tout le '
        "réseau</a> contient chaque fait daté.",
        "en": "What the documents date about {label}: its founding and end, its memberships "
        "(begun, ended, attested by a dated document), the changes and events it takes part in "
        "(with their sub-events and figures), its figures, and the dates of the documents that "
        'speak of it. The <a href="/timeline">whole network’s timeline</a> holds every dated '
        "fact.",
    },
    "timeline.lead": {
        "fr": "Chaque fait daté qu’énoncent les documents (créations et fins, changements, "
        "événements, adhésions, chiffres) et la date de chaque document. Chaque organisation a "
        "sa propre chronologie, liée depuis sa page.",
        "en": "Every dated fact the documents state (foundings and ends, changes, events, "
        "memberships, figures) and the date of each document. Each organisation has its own "
        "timeline, linked from its page.",
    },
    "timeline.reading": {
        "fr": "Une date est montrée aussi précise que son document la donne : « 2019 » couvre "
        "l’année, « mars 2017 » le mois. Une adhésion est « attestée » à la date de chaque "
        "document qui l’énonce (ou à la date que donne sa citation) ; entre deux de ses "
        "attestations, elle est lue comme valable tout du long. Chaque élément renvoie aux "
        'affirmations qui l’énoncent et à leurs citations. Aussi en <a href="{json}" '
        'type="application/json">JSON</a>.',
        "en": "A date is shown as precise as its document gives it: “2019” spans the year, "
        "“March 2017” the month. A membership is “attested” at the date of each document that "
        "states it (or at the date its quote gives); between two of its attestations it is read "
        "as holding throughout. Each item links to the claims that state it and to their quotes. "
        'Also as <a href="{json}" type="application/json">JSON</a>.',
    },
    "timeline.chart-hint": {
        "fr": "Faites glisser pour vous déplacer dans le temps, faites défiler ou pincez pour "
        "zoomer ; choisissez un élément pour le retrouver dans la liste ci-dessous.",
        "en": "Drag to move through time, scroll or pinch to zoom; select an item to find it in "
        "the list below.",
    },
    "timeline.count": {"fr": "{count} éléments datés", "en": "{count} dated items"},
    "timeline.none": {
        "fr": "Aucun fait à son sujet ne porte de date.",
        "en": "No fact about it carries a date.",
    },
    "timeline.claim": {"fr": "affirmation {document}/{id}", "en": "claim {document}/{id}"},
    "timeline.claim-title": {
        "fr": "Affirmation {document}/{id} ({rank}) : sa citation dans le document {document}",
        "en": "Claim {document}/{id} ({rank}): its quote in document {document}",
    },
    "timeline.document": {
        "fr": "Le document avec ses citations",
        "en": "The document with its quotes",
    },
    "timeline.undated": {"fr": "Hors de la chronologie", "en": "Not on the timeline"},
    "timeline.document-named": {"fr": "Document", "en": "Document"},
    "timeline.undated-documents": {
        "fr": "n’a pas de date : ses faits ne sont placés que là où ils portent une date propre.",
        "en": "has no date: its facts are placed only where they carry a date of their own.",
    },
    "timeline.undated-documents-many": {
        "fr": "n’ont pas de date : leurs faits ne sont placés que là où ils portent une date "
        "propre.",
        "en": "have no date: their facts are placed only where they carry a date of their own.",
    },
    "timeline.undated-event": {
        "fr": "Aucun document ne date cet événement (une série d’événements est datée par ses "
        "éditions) :",
        "en": "No document dates this event (an event series is dated by its editions):",
    },
    "timeline.undated-events": {
        "fr": "Aucun document ne date ces {count} événements (une série d’événements est datée "
        "par ses éditions) :",
        "en": "No document dates these {count} events (an event series is dated by its editions):",
    },
    # The rows of a timeline (maillage/timeline.py KINDS) and what an item says of its date
    "timeline.kind.document": {"fr": "Documents", "en": "Documents"},
    "timeline.kind.organisation": {"fr": "Organisations", "en": "Organisations"},
    "timeline.kind.change": {"fr": "Changements", "en": "Changes"},
    "timeline.kind.event": {"fr": "Événements", "en": "Events"},
    "timeline.kind.membership": {"fr": "Adhésions", "en": "Memberships"},
    "timeline.kind.figure": {"fr": "Chiffres", "en": "Figures"},
    "timeline.kind.other": {"fr": "Autres faits datés", "en": "Other dated facts"},
    "timeline.what.founded": {"fr": "créée", "en": "founded"},
    "timeline.what.ended": {"fr": "terminée", "en": "ended"},
    "timeline.what.held": {"fr": "a lieu", "en": "held"},
    "timeline.what.ends": {"fr": "se termine", "en": "ends"},
    "timeline.what.created": {"fr": "créé", "en": "created"},
    "timeline.what.planned for": {"fr": "prévu pour", "en": "planned for"},
    "timeline.what.published": {"fr": "publié", "en": "published"},
    "timeline.what.as of": {"fr": "au", "en": "as of"},
    "timeline.what.took place": {"fr": "a eu lieu", "en": "took place"},
    "timeline.what.began": {"fr": "commencée", "en": "began"},
    "timeline.what.attested": {"fr": "attestée", "en": "attested"},
    "timeline.what.dated": {"fr": "daté", "en": "dated"},
    # query.html
    "query.lead": {
        "fr": "SPARQL 1.1 sur le point d’accès <code>/sparql</code> (en lecture seule ; chaque "
        "requête a un délai). Chaque exemple du README est un onglet ; les résultats "
        "s’affichent sous l’éditeur.",
        "en": "SPARQL 1.1 on the endpoint <code>/sparql</code> (read-only; queries run under a "
        "deadline). Each example of the README is a tab; results show below the editor.",
    },
    "query.prefixes": {
        "fr": "Préfixes que toute requête peut employer sans les déclarer ({count})",
        "en": "Prefixes every query may use without declaring them ({count})",
    },
    "query.own-prefix": {
        "fr": "Une ligne <code>PREFIX</code> de votre requête remplace celle déclarée ici.",
        "en": "A <code>PREFIX</code> line of your own replaces the one declared here.",
    },
    "query.prefix": {"fr": "Préfixe", "en": "Prefix"},
    "query.namespace": {"fr": "Espace de noms", "en": "Namespace"},
    "query.noscript": {
        "fr": "L’éditeur de requêtes a besoin de JavaScript. Sans lui, envoyez une requête à "
        "<code>/sparql?query=…</code> ; les exemples sont ci-dessous.",
        "en": "The query editor needs JavaScript. Without it, send a query to "
        "<code>/sparql?query=…</code>; the examples are below.",
    },
    "query.examples": {
        "fr": "Les exemples de requêtes en texte",
        "en": "The example queries as text",
    },
    "query.yours": {"fr": "Votre requête", "en": "Your query"},
    "query.label.addTab": {"fr": "Ouvrir un nouvel onglet", "en": "Open a new tab"},
    "query.label.editor": {"fr": "Requête SPARQL", "en": "SPARQL query"},
    "query.label.endpoint": {"fr": "Point d’accès SPARQL", "en": "SPARQL endpoint"},
    "query.label.tabName": {"fr": "Nom de l’onglet", "en": "Name of the tab"},
    "query.label.pageSize": {"fr": "Lignes par page", "en": "Rows per page"},
    "query.label.filter": {"fr": "Filtrer les résultats", "en": "Filter the results"},
    # docs.html
    "docs.title": {"fr": "API HTTP", "en": "HTTP API"},
    "docs.lead": {
        "fr": 'Chaque route du serveur, décrite en OpenAPI (<a href="/openapi.json">'
        "openapi.json</a>) ; on peut l’essayer ici. Les textes de l’API sont en anglais.",
        "en": 'Every route of the server, described in OpenAPI (<a href="/openapi.json">'
        "openapi.json</a>); try it out here.",
    },
    "docs.noscript": {
        "fr": "Cette page a besoin de JavaScript ; sans lui, lisez "
        '<a href="/openapi.json">openapi.json</a>.',
        "en": 'This page needs JavaScript; without it, read <a href="/openapi.json">'
        "openapi.json</a>.",
    },
    # catalog.html, downloads.html
    "catalog.title": {"fr": "Catalogue", "en": "Catalogue"},
    "catalog.lead": {
        "fr": "Le catalogue DCAT-AP 3 de cette version : le jeu de données, chacun de ses fichiers "
        "avec son format, sa taille, sa somme de contrôle et sa licence, et le point d’accès "
        "SPARQL. Les programmes le reçoivent en RDF à la même adresse, selon leur en-tête "
        "<code>Accept</code>.",
        "en": "The DCAT-AP 3 catalogue of this release: the dataset, each of its files with its "
        "format, size, checksum and licence, and the SPARQL endpoint. Programs get it as RDF at "
        "the same address, by their <code>Accept</code> header.",
    },
    "catalog.as-rdf": {"fr": "Ce catalogue en", "en": "This catalogue as"},
    "catalog.identifier": {"fr": "Identifiant", "en": "Identifier"},
    "catalog.version": {"fr": "Version", "en": "Version"},
    "catalog.issued": {"fr": "Publié le", "en": "Issued"},
    "catalog.modified": {"fr": " (modifié le {day})", "en": " (modified {day})"},
    "catalog.temporal": {"fr": "Période couverte", "en": "Time covered"},
    "catalog.period": {"fr": "du {start} au {end}", "en": "from {start} to {end}"},
    "catalog.spatial": {"fr": "Territoire", "en": "Place covered"},
    "catalog.publisher": {"fr": "Éditeur", "en": "Publisher"},
    "catalog.license": {"fr": "Licence", "en": "Licence"},
    "catalog.keywords": {"fr": "Mots-clés", "en": "Keywords"},
    "catalog.distributions": {"fr": "Distributions", "en": "Distributions"},
    "catalog.distributions-lead": {
        "fr": "{count} distributions : les fichiers de la version (aussi listés dans "
        '<a href="/downloads/">les téléchargements</a>) et le point d’accès SPARQL.',
        "en": "{count} distributions: the files of the release (also listed in "
        '<a href="/downloads/">the downloads</a>) and the SPARQL endpoint.',
    },
    "catalog.format": {"fr": "Format", "en": "Format"},
    "catalog.checksum": {"fr": "Somme de contrôle", "en": "Checksum"},
    "catalog.compressed": {"fr": "compressé en {format}", "en": "compressed as {format}"},
    "catalog.service": {"fr": "un service, pas un fichier", "en": "a service, not a file"},
    "catalog.services": {"fr": "Services", "en": "Services"},
    "catalog.conforms": {"fr": "conforme à", "en": "conforms to"},
    "downloads.title": {"fr": "Téléchargements", "en": "Downloads"},
    "downloads.lead": {
        "fr": "Chaque fichier de la version <code>{release}</code>, octet pour octet, avec sa "
        "taille et son SHA-256 (l’ETag de sa réponse). Données sous "
        '<a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence" rel="license" '
        'lang="fr">Licence Ouverte 2.0</a>.',
        "en": "Every file of release <code>{release}</code>, byte for byte, with its size and "
        "SHA-256 (the ETag of its response). Data under the "
        '<a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence" rel="license" '
        'lang="fr">Licence Ouverte 2.0</a>.',
    },
    "downloads.archived": {
        "fr": "La version <code>{release}</code> n’est plus en ligne : ses fichiers restent ici, "
        'inchangés. <a href="/releases">Toutes les versions</a>, '
        '<a href="/downloads/">les fichiers de la version en ligne</a>.',
        "en": "Release <code>{release}</code> is no longer live: its files stay here, unchanged. "
        '<a href="/releases">Every release</a>, <a href="/downloads/">the live release’s '
        "files</a>.",
    },
    "downloads.meta": {
        "fr": "La même liste en JSON pour les programmes (<code>Accept: application/json</code>) ; "
        'le <a href="/catalog">catalogue</a> décrit chaque fichier en DCAT.',
        "en": "The same list as JSON for programs (<code>Accept: application/json</code>); the "
        '<a href="/catalog">catalogue</a> describes each file in DCAT.',
    },
    # release.html: one release and what changed in it (server/routes/changes.py)
    "release.title": {"fr": "Version {release}", "en": "Release {release}"},
    "release.went-live": {"fr": "En ligne depuis le {when} UTC.", "en": "Went live on {when} UTC."},
    "release.never-live": {"fr": "Jamais mise en ligne.", "en": "Never live."},
    "release.neighbours": {"fr": "Versions voisines", "en": "Neighbouring releases"},
    "release.previous": {"fr": "Précédente :", "en": "Previous:"},
    "release.next": {"fr": "Suivante :", "en": "Next:"},
    "release.none": {"fr": "aucune", "en": "none"},
    "release.all": {"fr": "Toutes les versions", "en": "All releases"},
    "release.feed": {"fr": "Flux Atom", "en": "Atom feed"},
    "release.counts": {"fr": "Contenu", "en": "Contents"},
    "release.downloads": {"fr": "Fichiers de cette version", "en": "This release's files"},
    "release.changes": {"fr": "Ce qui a changé", "en": "What changed"},
    "release.no-record": {
        "fr": "Cette version a été construite avant que la construction n'enregistre ses "
        "changements.",
        "en": "This release was built before the build recorded its changes.",
    },
    "release.first": {
        "fr": "La première version : aucune version antérieure à laquelle la comparer. Elle "
        "compte {triples} triplets dans son graphe par défaut et {claim_triples} dans ses graphes "
        "d'affirmations.",
        "en": "The first release: there is no earlier release to compare it with. It holds "
        "{triples} triples in its default graph and {claim_triples} in its claim graphs.",
    },
    "release.compared": {
        "fr": 'Par rapport à la version <a href="{href}"><code>{release}</code></a>.',
        "en": 'Compared with release <a href="{href}"><code>{release}</code></a>.',
    },
    "release.added": {"fr": "ajoutées", "en": "added"},
    "release.removed": {"fr": "retirées", "en": "removed"},
    "release.changed": {"fr": "modifiées", "en": "changed"},
    "release.conflict-counts": {
        "fr": "Conflits : {opened} ouverts, {closed} clos, {reranked} reclassés.",
        "en": "Conflicts: {opened} opened, {closed} closed, {reranked} re-ranked.",
    },
    "release.triples": {
        "fr": "Triplets : graphe par défaut +{added} −{removed} ({total} désormais) ; graphes "
        "d'affirmations +{claim_added} −{claim_removed} ({claim_total} désormais).",
        "en": "Triples: default graph +{added} −{removed} ({total} now); claim graphs "
        "+{claim_added} −{claim_removed} ({claim_total} now).",
    },
    "release.entities.removed": {"fr": "Entités retirées", "en": "Entities removed"},
    "release.entities.added": {"fr": "Entités ajoutées", "en": "Entities added"},
    "release.entities.changed": {"fr": "Entités modifiées", "en": "Entities changed"},
    "release.claims.removed": {"fr": "Affirmations retirées", "en": "Claims removed"},
    "release.claims.added": {"fr": "Affirmations ajoutées", "en": "Claims added"},
    "release.claims.changed": {"fr": "Affirmations modifiées", "en": "Claims changed"},
    "release.replaced-by": {"fr": "remplacée par", "en": "replaced by"},
    "release.properties": {"fr": "Propriétés :", "en": "Properties:"},
    "release.claims": {"fr": "Affirmations :", "en": "Claims:"},
    "release.graph": {
        "fr": "son graphe : +{added} −{removed} triplets",
        "en": "its graph: +{added} −{removed} triples",
    },
    "release.was": {"fr": "Citation précédente :", "en": "Earlier quote:"},
    "release.rank": {"fr": "Rang : {before} → {after}", "en": "Rank: {before} → {after}"},
    "release.conflicts": {"fr": "Conflits", "en": "Conflicts"},
    "release.conflict.opened": {"fr": "Ouvert :", "en": "Opened:"},
    "release.conflict.closed": {"fr": "Clos :", "en": "Closed:"},
    "release.conflict.reranked": {"fr": "Reclassé :", "en": "Re-ranked:"},
    "release.conflict.changed": {"fr": "Modifié :", "en": "Changed:"},
    "release.more": {
        "fr": "… et {count} de plus (tous dans changes.md et changes.ttl)",
        "en": "… and {count} more (all in changes.md and changes.ttl)",
    },
    # /releases.atom (server/atom.py)
    "atom.title": {"fr": "Maillage : versions publiées", "en": "Maillage: releases"},
    "atom.subtitle": {
        "fr": "Chaque version des données et ce qui a changé depuis la précédente.",
        "en": "Each release of the data and what changed since the previous one.",
    },
    "atom.entry-title": {"fr": "Version {release}", "en": "Release {release}"},
    "atom.no-changes": {
        "fr": "Version construite avant l'enregistrement des changements.",
        "en": "A release built before changes were recorded.",
    },
    "atom.first": {
        "fr": "La première version ({triples} triplets dans le graphe par défaut).",
        "en": "The first release ({triples} triples in the default graph).",
    },
    "atom.summary": {
        "fr": "Depuis la version {previous} : entités {entities_added} ajoutées, "
        "{entities_removed} retirées, {entities_changed} modifiées ; affirmations "
        "{claims_added} ajoutées, {claims_removed} retirées, {claims_changed} modifiées ; "
        "conflits {conflicts_opened} ouverts, {conflicts_closed} clos, {conflicts_reranked} "
        "reclassés.",
        "en": "Since release {previous}: entities {entities_added} added, {entities_removed} "
        "removed, {entities_changed} changed; claims {claims_added} added, {claims_removed} "
        "removed, {claims_changed} changed; conflicts {conflicts_opened} opened, "
        "{conflicts_closed} closed, {conflicts_reranked} re-ranked.",
    },
    "atom.more": {"fr": "… et {count} de plus", "en": "… and {count} more"},
    # releases.html
    "releases.title": {"fr": "Versions publiées", "en": "Releases"},
    "releases.lead": {
        "fr": "Les {count} versions conservées, de la plus récente à la plus ancienne : quand "
        "chacune a été mise en ligne (UTC), ce qu’elle contient et ses fichiers, qui restent "
        "téléchargeables. Chaque version est un jeu de données DCAT, membre de la série du "
        '<a href="/catalog">catalogue</a>.',
        "en": "The {count} releases kept, newest first: when each went live (UTC), what it "
        "holds and its files, which stay downloadable. Each release is a DCAT dataset, a "
        'member of the <a href="/catalog">catalogue</a>’s series.',
    },
    "releases.meta": {
        "fr": "La même liste en RDF (DCAT : la série et ses membres) pour les programmes, selon "
        "leur en-tête <code>Accept</code> (Turtle, JSON-LD, N-Triples, RDF/XML).",
        "en": "The same list as RDF (DCAT: the series and its members) for programs, by their "
        "<code>Accept</code> header (Turtle, JSON-LD, N-Triples, RDF/XML).",
    },
    "releases.release": {"fr": "Version", "en": "Release"},
    "releases.live": {"fr": "en ligne", "en": "live"},
    "releases.went-live": {"fr": "Mise en ligne", "en": "Went live"},
    "releases.triples": {"fr": "Triplets", "en": "Triples"},
    "releases.entities": {"fr": "Entités", "en": "Entities"},
    "releases.claims": {"fr": "Affirmations", "en": "Claims"},
    "releases.files": {"fr": "Fichiers", "en": "Files"},
    "releases.downloads": {"fr": "{count} fichiers", "en": "{count} files"},
    "catalog.members": {"fr": "Versions de la série", "en": "Releases in the series"},
    "catalog.members-lead": {
        "fr": "Le jeu de données est une série (<code>dcat:DatasetSeries</code>) : chaque version "
        'conservée en est un membre, avec ses propres fichiers (<a href="/releases">toutes les '
        "versions</a>). Les distributions ci-dessus sont celles de la version en ligne.",
        "en": "The dataset is a series (<code>dcat:DatasetSeries</code>): each release kept is "
        'a member, with its own files (<a href="/releases">every release</a>). The '
        "distributions above are the live release’s.",
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
    # retired.html: an IRI retired in data/curation/redirects.yaml (301, 410)
    "retired.replaced-title": {"fr": "Identifiant remplacé", "en": "Identifier replaced"},
    "retired.withdrawn-title": {"fr": "Identifiant retiré", "en": "Identifier withdrawn"},
    "retired.replaced-by": {
        "fr": "Cet identifiant n’est plus utilisé : ce qu’il nommait est décrit sous",
        "en": "This identifier is no longer used: what it named is described as",
    },
    "retired.withdrawn": {
        "fr": "Cet identifiant a été publié puis retiré : rien ne le remplace.",
        "en": "This identifier was published, then withdrawn: nothing replaces it.",
    },
    "retired.date": {"fr": "Retiré le", "en": "Retired on"},
    "retired.reason": {"fr": "Pourquoi", "en": "Why"},
    "retired.status": {
        "fr": "Réponse HTTP {status} ; ses triplets restent interrogeables "
        '(<a href="/query">SPARQL</a>).',
        "en": 'HTTP answer {status}; its triples stay queryable (<a href="/query">SPARQL</a>).',
    },
    # resource.html and _macros.html: entity, document, claim and conflict pages
    "resource.alternates": {"fr": "Cette description en", "en": "This description as"},
    "resource.timeline": {
        "fr": '<a href="{href}">Chronologie de {name}</a> : sa fondation et sa fin, ses '
        "appartenances, changements, événements, chiffres et documents dans le temps.",
        "en": '<a href="{href}">Timeline of {name}</a>: its founding and end, memberships, '
        "changes, events, figures and documents in time.",
    },
    "resource.as-of": {"fr": "Au {day}", "en": "As of {day}"},
    "resource.memento": {
        "fr": "Description telle que la publiait la version <code>{release}</code>, en ligne à "
        'partir du {since} (UTC). <a href="{href}">Description actuelle</a>.',
        "en": "Description as release <code>{release}</code> published it, live from {since} "
        '(UTC). <a href="{href}">Current description</a>.',
    },
    "resource.as-of-label": {"fr": "À la date du", "en": "As of"},
    "resource.as-of-show": {"fr": "Afficher", "en": "Show"},
    "resource.as-of-hint": {
        "fr": "Au {day} : appartenances, sites, organisations et chiffres sont montrés quand ils "
        'valent, ou sont attestés, ce jour-là, et marqués <span class="as-of-mark">inconnu au '
        "{day}</span> quand les documents ne les placent pas à cette date sans les exclure ; "
        "noms, classements et autres énoncés hors du temps sont montrés tels quels.",
        "en": "As of {day}: memberships, sites, organisations and figures are shown when they "
        'hold, or are attested, on that day, and marked <span class="as-of-mark">unknown at '
        "{day}</span> when the documents neither place them then nor rule them out; names, "
        "classifications and other timeless statements are shown as they are.",
    },
    "resource.as-of-hidden": {
        "fr": "Énoncés qui ne valaient pas à cette date, laissés de côté : {n}.",
        "en": "Statements that did not hold then, left out: {n}.",
    },
    "resource.every-date": {"fr": "Toutes les dates", "en": "Every date"},
    "resource.unknown-at": {"fr": "inconnu au {day}", "en": "unknown at {day}"},
    "resource.about-document": {"fr": "À propos du document", "en": "About the document"},
    "resource.date-unknown": {
        "fr": "date de publication inconnue",
        "en": "date of publication unknown",
    },
    "resource.original": {"fr": "Original :", "en": "Original:"},
    "resource.document-claims": {
        "fr": "Affirmations : {n} ; un passage surligné est la citation d’une ou plusieurs "
        "d’entre elles (plus foncé là où des citations se chevauchent).",
        "en": "Claims: {n}; a marked passage is the quote of one or more of them (darker where "
        "quotes overlap).",
    },
    "resource.document-listed": {
        "fr": "Phrases sans affirmation : {n} ; elles sont grisées, avec la raison de leur "
        'mise à l’écart (<span class="listed-key">opinion, texte de navigation…</span> ; la '
        "note éventuelle au survol).",
        "en": "Sentences that carry no claim: {n}; they are greyed, with the reason they were "
        'listed for (<span class="listed-key">opinion, navigation text…</span>; the note, if '
        "any, on hover).",
    },
    "resource.text": {"fr": "Texte", "en": "Text"},
    "resource.text-missing": {
        "fr": "Le texte du document {id} n’est pas sur ce serveur.",
        "en": "The text of document {id} is not on this server.",
    },
    "resource.claims": {"fr": "Affirmations", "en": "Claims"},
    "resource.inferred": {"fr": "déduite", "en": "inferred"},
    "resource.show-in-text": {"fr": "voir dans le texte", "en": "show in text"},
    "resource.the-claim": {"fr": "L’affirmation", "en": "The claim"},
    "resource.stated-by": {"fr": "Énoncée par le document", "en": "Stated by document"},
    "resource.rank": {"fr": " ; rang", "en": "; rank"},
    "resource.claim-inferred": {
        "fr": ' ; <span class="inferred">déduite</span> : une part de la valeur n’est pas dans '
        "les mots mais découle du contexte du document",
        "en": '; <span class="inferred">inferred</span>: part of the value is not in the words '
        "but follows from the document's context",
    },
    "resource.quote-in-document": {
        "fr": "Voir la citation dans tout le document",
        "en": "See the quote in the whole document",
    },
    "resource.loses-to": {"fr": "Perd face à :", "en": "Loses to:"},
    "resource.its-triples": {
        "fr": "Ses triplets (graphe nommé <code>{graph}</code>)",
        "en": "Its triples (named graph <code>{graph}</code>)",
    },
    "resource.in-time": {
        "fr": "Placée dans le temps par la construction, à la date de son document ou à son "
        "propre as_of (énoncés : {n} ; clause C14 du contrat)",
        "en": "Placed in time by the build, at its document's date or its own as_of "
        "(statements: {n}; contract C14)",
    },
    "resource.claims-in-conflict": {
        "fr": "Les affirmations en conflit",
        "en": "The claims in conflict",
    },
    "resource.show-in-document": {"fr": "voir dans le document", "en": "show in the document"},
    "resource.disputed": {
        "fr": "Là où les documents divergent à son sujet",
        "en": "Where the documents disagree about it",
    },
    "resource.disputed-hint": {
        "fr": "Chaque conflit a sa page, avec ses affirmations, leurs citations et la raison de "
        "leur rang.",
        "en": "Each conflict has a page with its claims, their quotes and the reason for their "
        "ranks.",
    },
    "resource.disputed-through": {"fr": "(au sujet de", "en": "(about"},
    "resource.group.Names": {"fr": "Noms", "en": "Names"},
    "resource.group.Figures": {"fr": "Chiffres", "en": "Figures"},
    "resource.group.Facts": {"fr": "Faits", "en": "Facts"},
    "resource.group.Relations": {"fr": "Relations", "en": "Relations"},
    "resource.group.Classification": {"fr": "Classement", "en": "Classification"},
    "resource.group.Elsewhere": {"fr": "Ailleurs", "en": "Elsewhere"},
    "resource.group.Provenance": {"fr": "Provenance", "en": "Provenance"},
    "resource.name": {"fr": "Nom", "en": "Name"},
    "resource.other-names": {"fr": "Autres noms", "en": "Other names"},
    "resource.incoming": {"fr": "Ce qui pointe ici", "en": "Pointing here"},
    "resource.incoming-hint": {
        "fr": "Les ressources qui ont {name} pour valeur d’une propriété.",
        "en": "Resources that name {name} as the value of a property.",
    },
    "resource.withheld": {"fr": "Affirmé, non retenu", "en": "Claimed, not retained"},
    "resource.withheld-hint": {
        "fr": "Des énoncés que certains documents font mais que le graphe par défaut ne garde "
        "pas : leurs affirmations ont perdu un conflit (dépréciées).",
        "en": "Statements some documents make but the default graph does not hold: their "
        "claims lost a conflict (deprecated).",
    },
    "resource.more": {"fr": "{n} de plus", "en": "{n} more"},
    "resource.source": {"fr": "source", "en": "source"},
    "resource.badge-title": {
        "fr": "Affirmation {document}/{claim} ({rank}) : sa citation dans le document {document}",
        "en": "Claim {document}/{claim} ({rank}): its quote in document {document}",
    },
    "resource.no-claim": {"fr": "Pas d’affirmation :", "en": "No claim:"},
    "resource.legend": {"fr": "Lire les sources", "en": "Reading the sources"},
    "resource.legend-lead": {
        "fr": "Chaque énoncé porte les affirmations qui le font : un badge par affirmation, "
        "nommé par son document ; il mène à sa citation dans le texte.",
        "en": "Each statement carries the claims that make it: one badge per claim, named by its "
        "document; it leads to its quote in the text.",
    },
    "resource.legend-normal": {
        "fr": "une affirmation du document 001 (rang normal : ni préférée ni dépréciée)",
        "en": "a claim of document 001 (normal rank: neither preferred nor deprecated)",
    },
    "resource.legend-second": {
        "fr": "la deuxième affirmation du document 001 qui fait le même énoncé (puis ·3…)",
        "en": "the second claim of document 001 that makes the same statement (then ·3…)",
    },
    "resource.legend-preferred": {
        "fr": "✓ préférée : retenue par un conflit où les documents divergent",
        "en": "✓ preferred: retained by a conflict where the documents disagree",
    },
    "resource.legend-deprecated": {
        "fr": "barrée : dépréciée, non retenue (elle a perdu un conflit) ; l’énoncé ne tient "
        "que si une autre affirmation le fait",
        "en": "struck through: deprecated, not retained (it lost a conflict); the statement "
        "stands only if another claim makes it",
    },
    "rank.preferred": {"fr": "préférée", "en": "preferred"},
    "rank.normal": {"fr": "normale", "en": "normal"},
    "rank.deprecated": {"fr": "dépréciée", "en": "deprecated"},
    # network.html (and the link on resource.html)
    "network.title": {"fr": "Réseau", "en": "Network"},
    "network.title-of": {"fr": "Réseau de {name}", "en": "Network of {name}"},
    "network.page-link": {
        "fr": '<a href="{href}">Réseau de {name}</a> : ses membres, dirigeants, fusions, '
        "financeurs et événements, dessinés.",
        "en": '<a href="{href}">Network of {name}</a>: its members, heads, mergers, funders and '
        "events, drawn.",
    },
    "network.links-1": {"fr": "1 lien", "en": "1 edge"},
    "network.links-n": {"fr": "{n} liens", "en": "{n} edges"},
    "network.away": {"fr": "à {distance}", "en": "{distance} away"},
    "network.lead-focus": {
        "fr": "Les organisations, personnes et événements à {distance} au plus de {name}, et "
        'tous les liens entre eux. Le <a href="/network">réseau entier</a> les relie tous.',
        "en": "The organisations, people and events at most {distance} away from {name}, and "
        'every edge between them. The <a href="/network">whole network</a> links them all.',
    },
    "network.lead-whole": {
        "fr": "Qui est membre de quoi, qui dirige, fait partie de, fusionne dans, finance ou "
        "organise quoi : les organisations, les personnes et les événements que relient les "
        "faits publiés. La page de chaque organisation, personne ou événement mène à son "
        "voisinage.",
        "en": "Who is a member of, heads, is part of, merges into, funds or organises what: the "
        "organisations, people and events that the published facts link. The page of each "
        "organisation, person or event leads to its neighbourhood.",
    },
    "network.distance": {"fr": "Distance", "en": "Distance"},
    "network.show": {"fr": "Afficher", "en": "Show"},
    "network.counts": {
        "fr": "{nodes} nœuds et {edges} liens",
        "en": "{nodes} nodes and {edges} edges",
    },
    "network.truncated-near": {
        "fr": ", les {shown} plus proches sur {total} (le réglage <code>network_max_nodes</code> "
        "en fixe le nombre)",
        "en": ", the {shown} nearest of {total} (the setting <code>network_max_nodes</code> says "
        "how many)",
    },
    "network.truncated-linked": {
        "fr": ", les {shown} plus reliés sur {total} (le réglage <code>network_max_nodes</code> "
        "en fixe le nombre)",
        "en": ", the {shown} most connected of {total} (the setting <code>network_max_nodes</code> "
        "says how many)",
    },
    "network.provenance": {
        "fr": "Chaque lien mène à la page qui le porte, avec les affirmations et les citations "
        'qui l’établissent. Aussi en <a href="{json}" type="application/json">JSON</a>.',
        "en": "Each edge leads to the page that holds it, with the claims and quotes that state "
        'it. Also as <a href="{json}" type="application/json">JSON</a>.',
    },
    "network.chart": {"fr": "Dessin du réseau", "en": "Drawing of the network"},
    "network.chart-alt": {
        "fr": "Dessin du réseau : {nodes} nœuds, {edges} liens. Les mêmes nœuds et liens sont "
        "listés plus bas.",
        "en": "Drawing of the network: {nodes} nodes, {edges} edges. The same nodes and edges "
        "are listed below.",
    },
    "network.find": {"fr": "Trouver un nœud", "en": "Find a node"},
    "network.fit": {"fr": "Tout voir", "en": "Show all"},
    "network.family": {"fr": "Famille de réseaux", "en": "Network family"},
    "network.family-all": {"fr": "toutes", "en": "all"},
    "network.found-1": {"fr": "1 nœud trouvé", "en": "1 node found"},
    "network.found-n": {"fr": "{n} nœuds trouvés", "en": "{n} nodes found"},
    "network.found-0": {"fr": "aucun nœud trouvé", "en": "no node found"},
    "network.laying-out": {"fr": "Mise en place de {n} nœuds…", "en": "Laying out {n} nodes…"},
    "network.hint": {
        "fr": "Glisser pour se déplacer, molette ou pincement pour zoomer ; un clic sur un nœud "
        "ouvre sa page, un clic sur un lien la page qui l’établit.",
        "en": "Drag to move, scroll or pinch to zoom; a click on a node opens its page, a click "
        "on an edge the page that states it.",
    },
    "network.legend": {"fr": "Légende", "en": "Legend"},
    "network.edges": {"fr": "Les liens", "en": "The edges"},
    "network.nodes": {"fr": "Les nœuds", "en": "The nodes"},
    "network.no-edge": {
        "fr": "Aucun fait publié ne relie {name} à une autre entité.",
        "en": "No published fact links {name} to another entity.",
    },
    "network.no-edge-whole": {
        "fr": "Aucun fait publié ne relie ces entités.",
        "en": "No published fact links these entities.",
    },
}
"""Every text of the interface: key → language → text (trusted markup, ``{name}`` for values)."""


MONTHS = {
    "fr": (
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip
"""The months' names in each language."""


def date_text(moment: dict, lang: str) -> str:
    """A date as precise as its source (``moment``: ``value``, ``precision``, ``earliest`` as
    the timeline gives it): ``5 février 2019``, ``1er mars 2017``, ``mars 2017``, ``2019``."""
    value, precision = moment["value"], moment["precision"]
    year, month, day = (int(part) for part in moment["earliest"].split("-"))
    named = f"{MONTHS[lang][month - 1]} {year}"
    if precision == "day":
        return f"{'1er' if day == 1 and lang == 'fr' else day} {named}"
    if precision == "month":
        return named
    return value[:4] if precision == "year" else value


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
