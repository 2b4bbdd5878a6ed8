"""The query mix of the remote-engine tests: at least ten queries over our data."""

P = """PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
PREFIX geo: <http://www.opengis.net/ont/geosparql#>
PREFIX mlg: <https://w3id.org/maillage/def/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""
D113 = "<https://w3id.org/maillage/id/org/digital-113>"
MIX = {
    "m01-count-default": P + "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "m02-count-graphs": P
    + "SELECT (COUNT(DISTINCT ?g) AS ?n) (COUNT(*) AS ?q) WHERE { GRAPH ?g { ?s ?p ?o } }",
    "m03-org-labels-fr": P
    + 'SELECT ?o ?label WHERE { ?o a org:Organization ; skos:prefLabel ?label FILTER(LANG(?label) = "fr") }',
    "m04-regex-search": P
    + 'SELECT ?o ?label WHERE { ?o skos:prefLabel ?label FILTER regex(?label, "num", "i") } ORDER BY ?label',
    "m05-sites-per-place": P
    + "SELECT ?c (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o org:hasSite ?s . ?s geo:sfWithin ?c } GROUP BY ?c ORDER BY DESC(?n)",
    "m06-events-dated-fr": P
    + 'SELECT ?e ?name ?start WHERE { ?e schema:startDate ?start ; schema:name ?name FILTER(?start >= "2015-01-01"^^xsd:date && ?start < "2026-01-01"^^xsd:date) FILTER(LANG(?name) = "fr") }',
    "m07-figures-dated-en": P
    + 'SELECT ?f ?label ?date WHERE { ?f dcterms:date ?date ; mlg:measure/skos:prefLabel ?label FILTER(YEAR(?date) >= 2015) FILTER(LANG(?label) = "en") }',
    "m08-no-site": P
    + "SELECT ?o WHERE { ?o a org:Organization OPTIONAL { ?o org:hasSite ?s } FILTER(!BOUND(?s)) }",
    "m09-memberships": P
    + "SELECT ?m ?member ?org ?role WHERE { ?m a org:Membership ; org:member ?member ; org:organization ?org ; org:role ?role }",
    "m10-sub-organisations": P + "SELECT ?o ?parent WHERE { ?o org:subOrganizationOf+ ?parent }",
    "m11-figure-values": P + "SELECT ?f ?v WHERE { ?f schema:value ?v }",
    "m12-claims-of-digital-113": P + f"SELECT ?g ?p ?o WHERE {{ GRAPH ?g {{ {D113} ?p ?o }} }}",
    "m13-quotes": P
    + "SELECT ?claim ?exact WHERE { ?claim mlg:quote/oa:exact ?exact } ORDER BY ?claim LIMIT 50",
    "m14-ask": P + f"ASK {{ {D113} a org:Organization }}",
    "m15-types": P + "SELECT ?c (COUNT(*) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
    "m16-no-prefix-lines": "SELECT ?o ?label WHERE { ?o a org:Organization ; skos:prefLabel ?label }",
    "m17-own-prefix-wins": "PREFIX org: <http://www.w3.org/2004/02/skos/core#>\n"
    + "SELECT ?o ?label WHERE { ?o org:prefLabel ?label }",
}
