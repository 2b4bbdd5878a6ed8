"""Pages for people (server/routes/pages.py), in process: what the home, resource, document,
query and API pages show, that they load nothing from elsewhere, and the HTML error pages."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from mini_release import write_release
from rdflib import Graph, URIRef
from rdflib.namespace import VOID

from maillage.pipeline import readme
from maillage.rdfio import prefixes
from maillage.release_reader import Claim, ClaimRef, ReleaseReader
from maillage.settings import REPO_ROOT, Settings
from server.app import create_app
from server.document_view import located, segments
from server.site import TEMPLATES
from server.summary import summarise

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
BASE = "https://w3id.org/maillage/"


@pytest.fixture(scope="module")
def settings(built) -> Settings:
    return Settings(var_dir=built[0].var_dir)


@pytest.fixture(scope="module")
def client(settings):
    """No lifespan: the pages never start the SPARQL workers."""
    client = TestClient(create_app(settings))
    yield client
    client.close()


@pytest.fixture(scope="module")
def reader(settings, release) -> ReleaseReader:
    return ReleaseReader(release, settings.base_iri)


class Links(HTMLParser):
    """Every href and src of a page, and the text of its elements by id."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.urls.append((tag, value))
            if name == "id" and value:
                self.ids.add(value)


def parse(page: str) -> Links:
    links = Links()
    links.feed(page)
    return links


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url, headers=BROWSER)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


# --- Home ---------------------------------------------------------------------------------------


def test_home_shows_the_counts_of_void(client, release):
    text = page(client, "/")
    void = Graph().parse(release / "void.ttl")
    dataset = URIRef(f"{BASE}releases/{release.name}")  # the release's own VoID
    triples = int(void.value(dataset, VOID.triples))
    assert f"{triples:,}".replace(",", "\u202f") in html.unescape(text)
    organisations = next(
        int(void.value(p, VOID.entities))
        for p in void.objects(dataset, VOID.classPartition)
        if void.value(p, VOID["class"]) == URIRef("http://www.w3.org/ns/org#Organization")
    )
    assert re.search(rf"<strong>{organisations}</strong> organisations", text)


def test_each_counter_lists_as_many_resources_as_it_counts(settings, release, store):
    """The query behind "15 events" answers 15 rows (a resource with two labels is one row)."""
    counts = summarise(ReleaseReader(release, settings.base_iri)).counts
    assert len(counts) > 5
    for count in counts:
        rows = list(store.query(count.query, use_default_graph_as_union=False))
        assert len(rows) == count.value, count.label
        assert len({row["resource"] for row in rows}) == count.value


def listed_on(client, url: str) -> list[str]:
    """The resource links of an A–Z list, every page followed."""
    found, text = [], page(client, url)
    while True:
        found += re.findall(r'<li><a href="(/id/[^"]+)"', text)
        following = re.search(r'<a rel="next" href="([^"]+)"', text)
        if following is None:
            return found
        text = page(client, html.unescape(following.group(1)))


def test_each_home_counter_opens_an_a_to_z_list_of_as_many_resources(client, settings, release):
    """ "83 organisations" on the home page links to a list of the 83, over its pages."""
    text = page(client, "/")
    counters = re.findall(r'<a href="(/browse/[^"]+)"><strong>([\d\u202f]+)</strong>', text)
    counts = summarise(ReleaseReader(release, settings.base_iri)).counts
    assert len(counters) == len(counts) > 5
    for href, value in counters:
        listed = listed_on(client, href)
        assert len(listed) == len(set(listed)) == int(value.replace("\u202f", "")), href


def test_a_to_z_list_in_french_order_with_letters(client):
    text = html.unescape(page(client, "/browse/organisations"))
    names = re.findall(r'<li><a href="/id/[^"]+"[^>]*>([^<]+)</a>', text)
    assert len(names) == 50 and 'rel="next" href="/browse/organisations?page=2"' in text
    firsts = [
        next(c for c in unicodedata.normalize("NFKD", n).upper() if c.isalnum()) for n in names
    ]
    assert firsts == sorted(firsts)  # « École » among the E, not after Z
    assert '<a href="/browse/organisations?letter=K">K</a>' in text
    kaliop = html.unescape(page(client, "/browse/organisations?letter=K"))
    assert re.findall(r'<li><a href="(/id/[^"]+)"', kaliop) == ["/id/org/kaliop"]
    assert "org:Organization" in kaliop


def test_a_to_z_list_filtered_by_network_family(client, store):
    rows = store.query(
        "SELECT DISTINCT ?o WHERE { ?o a <http://www.w3.org/ns/org#Organization> ; "
        "<http://www.w3.org/ns/org#classification> "
        "<https://w3id.org/maillage/concept/family/clusters-poles> }",
        use_default_graph_as_union=False,
    )
    expected = {"/" + row["o"].value.removeprefix(BASE) for row in rows}
    listed = listed_on(client, "/browse/organisations?family=clusters-poles")
    assert "/id/org/digital-113" in listed and set(listed) == expected
    assert 0 < len(listed) < 50


def test_a_to_z_list_filtered_by_commune_through_sites(client):
    """Digital 113 is in Toulouse by its head office (a site), Kaliop is not."""
    listed = listed_on(client, "/browse/organisations?commune=31555")
    assert "/id/org/digital-113" in listed and "/id/org/kaliop" not in listed
    events = listed_on(client, "/browse/events?commune=31555")
    assert events and len(events) < len(listed_on(client, "/browse/events"))


def test_a_to_z_list_pages(client):
    first = listed_on(client, "/browse/organisations")
    second = re.findall(r'<li><a href="(/id/[^"]+)"', page(client, "/browse/organisations?page=2"))
    assert second == first[50:] and second


@pytest.mark.parametrize(
    ("url", "status", "said"),
    [
        ("/browse/organisations?page=0", 400, "page &#39;0&#39;: give a whole number from 1"),
        ("/browse/organisations?page=two", 400, "give a whole number from 1"),
        ("/browse/organisations?page=99", 404, "page 99 of this list: it has 2 page(s)"),
        ("/browse/organisations?family=nope", 400, "unknown network family &#39;nope&#39;"),
        ("/browse/organisations?commune=99999", 400, "unknown commune &#39;99999&#39;"),
        ("/browse/organisations?letter=%C3%89", 400, "give one of A to Z"),
        ("/browse/unicorns", 404, "the lists are: organisations, people"),
        ("/browse/organisations?family=" + "x" * 5000, 400, "unknown network family &#39;xxx"),
        ("/browse/organisations?page=" + "9" * 5000, 404, "it has 2 page(s)"),
    ],
)
def test_a_to_z_list_refuses_bad_parameters_with_a_page(client, url, status, said):
    assert said in page(client, url, status)


def test_home_lists_every_download_with_size_and_checksum(client, release):
    text = page(client, "/")
    files = json.loads((release / "manifest.json").read_text())["files"]
    assert files
    for name, entry in files.items():
        assert f'href="/downloads/{name}"' in text
        assert entry["sha256"] in text
        assert f'title="{entry["bytes"]} octets"' in text


def download_rows(text: str) -> dict[str, tuple[str, str]]:
    """File name → (media type shown, description) of the home page's downloads table."""
    rows = re.findall(
        r'<a href="/downloads/([^"]+)" type="([^"]+)">.*?<small class="note">([^<]+)</small>'
        r"</td>\s*<td>([^<]*)</td>",
        text,
        flags=re.S,
    )
    for _name, attribute, shown, _description in rows:
        assert attribute == shown
    return {name: (shown, html.unescape(description)) for name, _a, shown, description in rows}


def test_home_gives_each_download_its_own_description_and_real_media_type(client, release):
    rows = download_rows(page(client, "/"))
    assert rows["maillage.ttl"] == ("text/turtle", "Le graphe par défaut (Turtle)")
    assert rows["maillage.jsonld"] == ("application/ld+json", "Le graphe par défaut (JSON-LD)")
    assert rows["maillage.nt.gz"] == (
        "application/gzip",
        "Le graphe par défaut (N-Triples, compressé en gzip)",
    )
    in_english = download_rows(page(client, "/?lang=en"))
    assert in_english["maillage.nt.gz"] == (
        "application/gzip",
        "The default graph (N-Triples, gzip-compressed)",
    )
    assert rows["conflicts.md"][0] == "text/markdown"
    files = json.loads((release / "manifest.json").read_text())["files"]
    assert set(rows) == set(files)
    descriptions = [description for _media, description in rows.values()]
    assert all(descriptions) and len(set(descriptions)) == len(descriptions)
    for name, (media, _description) in rows.items():  # what /downloads/ serves it as
        assert client.head(f"/downloads/{name}").headers["content-type"].startswith(media)


def test_home_links_documents_conflicts_queries_and_vocabulary(client, reader):
    urls = {url for _tag, url in parse(page(client, "/")).urls}
    documents = reader.documents()
    assert len(documents) == 5
    assert {f"/document/{d.id}" for d in documents} <= urls
    assert {"/downloads/conflicts.md", "/query", "/def/", "/docs"} <= urls
    for example in readme.example_queries(readme.read(REPO_ROOT)):
        assert any(parse_qs(urlsplit(u).query).get("query") == [example.query] for u in urls)


def test_every_page_loads_only_from_this_server(client):
    for url in ("/", "/document/001", "/query", "/id/org/digital-113.html", "/docs", "/nope"):
        response = client.get(url, headers=BROWSER)
        for tag, link in parse(response.text).urls:
            if tag in ("script", "link", "img"):
                assert link.startswith("/") and not link.startswith("//"), (url, link)
        if url != "/docs":
            assert "default-src 'self'" in response.headers["content-security-policy"]


# --- Resource pages -----------------------------------------------------------------------------


def test_resource_page_after_the_303(client):
    response = client.get("/id/org/digital-113", headers=BROWSER, follow_redirects=True)
    assert response.status_code == 200
    text = response.text
    assert '<h1 lang="fr">Digital 113</h1>' in text
    assert "org:Organization" in text
    assert "Ce qui pointe ici" in text  # incoming links (the merger that resulted in it, …)
    assert 'rel="alternate" type="text/turtle" href="/id/org/digital-113.ttl"' in text


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment))).strip()


@pytest.mark.parametrize(
    ("url", "begins"),
    [
        ("/id/org/digital-113.html", "Cluster créé le 5 février 2019 par la fusion de"),
        ("/id/org/kaliop.html", "Entreprise"),
        ("/id/person/pierre-deniset.html", "Président de FrenchSouth.digital"),
        ("/id/event/la-melee-numerique.html", "Série d’événements organisée par La Mêlée"),
        ("/id/commune/31555.html", "Commune de Haute-Garonne (31)"),
    ],
)
def test_an_entity_page_opens_with_a_sentence_saying_what_it_is(client, url, begins):
    text = page(client, url)  # French: the interface's default
    sentences = re.findall(r'<p class="summary">(.*?)</p>', text, re.S)
    assert len(sentences) == 1, url
    assert text_of(sentences[0]).startswith(begins)
    assert text.index('class="summary"') < text.index('<p class="iri">')  # at the top


def test_the_sentence_links_the_names_it_gives(client):
    text = page(client, "/id/org/digital-113.html?lang=en")
    english = re.search(r'<p class="summary">(.*?)</p>', text, re.S).group(1)
    assert text_of(english).startswith("Cluster founded on 5 February 2019 by the merger of")
    assert '<a href="/id/org/digital-place" lang="fr">Digital Place</a>' in english
    assert '<a href="/id/figure/digital-113-membres-2025">more than 400 members</a>' in english


def names_table(text: str) -> str:
    start = text.index('id="group-1"')
    return text[start : text.index("</table>", start)]


def test_a_communes_sentence_counts_what_its_lists_show(client):
    """« 12 organisations y ont un site ; lieu de 4 événements »: each count links to the A–Z
    list filtered by the commune, which lists as many."""
    text = page(client, "/id/commune/31555.html")
    sentence = re.search(r'<p class="summary">(.*?)</p>', text, re.S).group(1)
    counted = re.findall(r'<a href="(/browse/[^"]+)">(\d+) ', html.unescape(sentence))
    assert [href for href, _n in counted] == [
        "/browse/organisations?commune=31555",
        "/browse/events?commune=31555",
    ]
    for href, n in counted:
        assert len(listed_on(client, href)) == int(n), href


def test_one_row_per_name(client):
    """rdfs:label, skos:prefLabel (and foaf:name, schema:name) giving the same string are one
    « Name » row with the name once; alternative names are listed once each."""
    names = names_table(page(client, "/id/person/pierre-deniset.html"))
    assert names.count(">Pierre Deniset<") == 1
    assert re.search(r'<th scope="row">Nom<small class="curie">[^<]*foaf:name', names)
    assert "skos:prefLabel" in names and "rdfs:label" in names
    names = names_table(page(client, "/id/org/digital-place.html"))
    assert names.count(">Digital Place<") == 1 and names.count(">DigitalPlace<") == 1
    assert "Autres noms" in names
    assert "Other names" in names_table(page(client, "/id/org/digital-place.html?lang=en"))


def test_canonical_iris_link_to_this_server_and_show_as_they_are(client):
    """Until w3id.org redirects to us (and on a mirror after), a link to the canonical IRI would
    leave the site; our pages link to the same path here and show the IRI itself."""
    pages = ("/", "/id/org/digital-113.html", "/document/001", "/id/claim/001/d113-naissance.html")
    for url in pages:
        text = page(client, url)
        hrefs = [u for _t, u in parse(text).urls]
        assert not [u for u in hrefs if u.startswith(BASE)], url
    text = page(client, "/id/org/digital-113.html")
    assert f"<code>{BASE}id/org/digital-113</code>" in text
    hrefs = {u for _t, u in parse(text).urls}
    assert {"/id/org/french-tech-toulouse", "/id/region/76", "/def/carriedBy"} <= hrefs


def test_a_resource_page_links_to_the_conflicts_about_it(client, store):
    text = page(client, "/id/org/digital-113.html")
    section = text[text.index('id="disputed-title"') :]
    assert 'href="/id/conflict/fusion-digital-113-origines"' in section
    assert "Quels clusters ont fusionné pour former Digital 113" in section
    english = page(client, "/id/org/digital-113.html?lang=en")
    assert "Which clusters merged into Digital 113" in english
    pairs = store.query(f"SELECT ?c ?r WHERE {{ ?c <{BASE}def/conflictAbout> ?r }}")
    pairs = [(row["c"].value, row["r"].value) for row in pairs]
    assert len(pairs) >= 7
    for conflict, resource in pairs:
        hrefs = {u for _t, u in parse(page(client, resource[len(BASE) - 1 :] + ".html")).urls}
        assert conflict[len(BASE) - 1 :] in hrefs, resource
    assert "disputed-title" not in page(client, "/id/org/french-tech-toulouse.html")


def test_figures_show_their_value_unit_qualifier_and_date(client):
    """« plus de 350 membres (2019) », linking to the figure, its name beside it, its source the
    claim that states its value; a target apart; in English on an English page."""
    text = page(client, "/id/org/digital-113.html")
    figures = text[text.index(">Chiffres</h2>") : text.index("</table>", text.index(">Chiffres"))]
    item = re.search(
        r'<li><a href="/id/figure/digital-113-membres-2019">plus de 350 membres \(2019\)</a>'
        r".*?</li>",
        figures,
        re.S,
    )
    assert item is not None
    assert '<small class="note" lang="fr">Membres de Digital 113 (2019)</small>' in item.group(0)
    assert 'href="/document/001?claim=d113-membres#claim-d113-membres"' in item.group(0)
    assert ">400 membres (2019)</a>" in figures  # the target, as its own row
    assert ">1\u202f200\u202f000\u202f€ (2019)</a>" in figures
    english = page(client, "/id/org/digital-113.html?lang=en")
    assert ">more than 350 members (2019)</a>" in english and ">€1,200,000 (2019)</a>" in english


def test_dates_and_numbers_read_in_the_pages_language(client):
    """A date at its precision and a number as the language writes them; the value as
    published beside, with its datatype."""
    french = page(client, "/id/org/digital-place.html")
    assert re.search(
        r'<span class="literal">5 février 2019</span> <small class="note">xsd:date · 2019-02-05',
        french,
    )
    assert '<span class="literal">2011</span> <small class="note">xsd:gYear</small>' in french
    english = page(client, "/id/figure/digital-113-budget-2019.html?lang=en")
    assert '<span class="literal">1,200,000</span> <small class="note">xsd:integer · 1200000' in (
        english
    )
    assert '<span class="literal">1 January 2019</span>' in english


def test_the_source_badges_have_a_legend_before_the_first_of_them(client):
    for url in ("/id/org/digital-113.html", "/id/org/digital-place.html?lang=en"):
        text = page(client, url)
        legend = text.index('class="sources-legend"')
        assert legend < text.index('<a class="source rank-')
        shown = text_of(text[legend : text.index("</aside>", legend)])
        for sign in ("001·2", "✓", "001"):
            assert sign in shown
    english = text_of(text[legend : text.index("</aside>", legend)])
    assert "the second claim of document 001 that makes the same statement" in english
    assert "struck through: deprecated, not retained" in english
    assert "✓ preferred" in english
    css = client.get("/static/site.css").text
    assert re.search(r"\.source\.rank-deprecated \{[^}]*line-through", css)  # not colour alone
    preferred = re.search(r'<a class="source rank-preferred"[^>]*>(.*?)</a>', text, re.S)
    assert preferred and '<span aria-hidden="true">✓</span>' in preferred.group(1)
    assert "sources-legend" not in page(client, "/id/departement/09.html")  # no badge there


def test_a_page_lists_the_conflicts_about_the_changes_it_comes_from(client):
    """Digital 113's page lists « Quand Digital 113 a été créé », which is about the merger
    it resulted from, saying so; titles in the page's language."""
    text = page(client, "/id/org/digital-113.html")
    section = text[
        text.index('id="disputed-title"') : text.index(
            "</section>", text.index('id="disputed-title"')
        )
    ]
    item = re.search(
        r'<li><a href="/id/conflict/fusion-digital-113-date">(.*?)</li>', section, re.S
    )
    assert item and "Quand Digital 113 a été créé" in item.group(1)
    assert 'href="/id/change/fusion-digital-113"' in item.group(1)
    english = page(client, "/id/org/digital-113.html?lang=en")
    assert (
        '<a href="/id/conflict/fusion-digital-113-date">When Digital 113 was created</a>' in english
    )
    place = page(client, "/id/person/pierre-deniset.html")
    assert 'href="/id/conflict/titre-pierre-deniset"' in place


def test_each_statement_links_to_its_quote(client, reader):
    text = page(client, "/id/org/digital-113.html")
    sources = {u for _t, u in parse(text).urls if u.startswith("/document/")}
    expected = {
        ref.href
        for triple, refs in reader.statement_sources(BASE + "id/org/digital-113").items()
        for ref in refs
        if triple.subject == ox.NamedNode(BASE + "id/org/digital-113")
    }
    assert expected and expected <= sources
    for href in sorted(expected)[:5]:
        path, _, anchor = href.partition("#")
        target = parse(page(client, path))
        assert anchor in target.ids and f"card-{anchor.removeprefix('claim-')}" in target.ids


def test_claim_page_shows_quote_in_context_and_triples(client):
    text = page(client, "/id/claim/001/d113-naissance.html")
    assert "L’affirmation" in text and "Ses triplets" in text
    assert '<a class="quote depth-1"' in text
    assert 'href="/document/001?claim=d113-naissance#claim-d113-naissance"' in text


def test_a_claim_card_keeps_what_places_it_in_time_apart(client):
    """What the build adds to a claim to date it (the interval, its attestation by the document's
    date) is not shown as if the quote said it: it sits apart, folded, under its own heading."""
    text = page(client, "/document/002?claim=marchand")
    card = text.split('id="card-marchand"', 1)[1].split("</li>", 1)[0]
    stated, _, in_time = card.partition('<details class="in-time">')
    assert "org:role" in stated and "directeur général" in stated
    assert "time:inside" not in stated and "org:memberDuring" not in stated
    assert "Placée dans le temps par la construction, à la date de son document" in in_time
    assert "time:inside" in in_time and "id/document/002#date" in in_time


def test_conflicts_are_listed_and_show_their_ranked_quotes(client, reader):
    conflicts = reader.conflicts()
    assert conflicts
    home = {url for _t, url in parse(page(client, "/")).urls}
    for iri, _label in conflicts:
        path = iri.removeprefix(BASE)
        assert f"/{path}" in home
        claims = reader.conflict_claims(iri)
        text = page(client, f"/{path}.html")
        assert "Les affirmations en conflit" in text and len(claims) >= 2
        assert all(f'href="{c.ref.href}"' in text for c in claims)
        assert text.count('<span class="rank rank-') >= len(claims)


def test_unknown_document_is_a_404_page(client):
    text = page(client, "/document/999", status=404)
    assert "Introuvable" in text and "document 999" in text


# --- Document pages -----------------------------------------------------------------------------


def test_document_page_marks_every_claim(client, reader):
    for document in reader.documents():
        claims = reader.claims_of(document.iri)
        text = reader.document_text(document.id)
        assert claims and text
        assert all(located(claim, text) for claim in claims), document.id
        ids = parse(page(client, f"/document/{document.id}")).ids
        for claim in claims:
            assert {claim.ref.anchor, f"card-{claim.ref.local_id}"} <= ids


def test_document_page_greys_each_listed_sentence_with_its_reason(client, reader, built):
    accounts = built[1].accounts
    for document in reader.documents():
        listed = reader.listed_sentences(document.iri)
        assert len(listed) == len(accounts[document.id].listed) > 0
        text = page(client, f"/document/{document.id}")
        spans = re.findall(
            r'<span class="listed" data-reason="([^"]*)" title="([^"]*)">([^<]*)</span>', text
        )
        assert [html.unescape(s[2]) for s in spans] == [s.exact for s in listed]
        assert "Phrases sans affirmation" in text and "elles sont grisées" in text
    text = page(client, "/document/001")
    assert (
        '<span class="listed" data-reason="heading" title="Pas d’affirmation : heading">'
        "Un souci de visibilité</span>" in text
    )
    assert (
        'title="No claim: document metadata. The headline: the document&#39;s dcterms:title."'
        in page(client, "/document/002?lang=en")
    )
    quoted = re.findall(r'<a class="quote[^>]*><mark>([^<]*)</mark></a>', text)
    assert not any("Un souci de visibilité" in q for q in quoted)


def test_document_page_selects_the_claim_asked_for(client):
    text = page(client, "/document/001?claim=d113-naissance")
    assert 'class="claim-card selected" id="card-d113-naissance"' in text
    assert "quote depth-" in text and " selected" in text.split('id="text-title"')[1]


def test_the_text_is_escaped_and_kept_exactly():
    claims = [claim("a", 2, 9, "<b>&amp;"), claim("b", 5, 14, "&amp;</b> x")]
    text = "0 <b>&amp;</b> x 𝔘 end"
    rendered = TEMPLATES.env.from_string(
        '{% from "_macros.html" import segments_html %}{{ segments_html(s) }}'
    ).render(s=segments(text, claims, "b"))
    assert "<b>" not in rendered.replace("<mark>", "").replace("</mark>", "")
    assert html.unescape(re.sub(r"<[^>]+>", "", rendered)) == text


def test_segments_follow_nested_and_overlapping_quotes():
    text = "𝔘𝔘 abcdefghij"  # two characters outside the BMP: offsets count code points
    claims = [claim("outer", 3, 13, "abcdefghij"), claim("inner", 5, 8, "cde")]
    cut = segments(text, claims, "inner")
    assert [s.text for s in cut] == ["𝔘𝔘 ", "ab", "cde", "fghij"]
    assert [[c.local_id for c in s.claims] for s in cut] == [
        [],
        ["outer"],
        ["inner", "outer"],
        ["outer"],
    ]
    assert [s.selected for s in cut] == [False, False, True, False]
    assert [[a.local_id for a in s.anchors] for s in cut] == [[], ["outer"], ["inner"], []]


def test_a_claim_whose_offsets_miss_its_quote_is_not_marked():
    assert segments("abc def", [claim("x", 0, 3, "def")])[0].claims == []


def claim(local_id: str, start: int, end: int, exact: str) -> Claim:
    ref = ClaimRef(f"{BASE}id/claim/001/{local_id}", "001", local_id, "normal")
    return Claim(ref, exact=exact, start=start, end=end)


def test_pages_of_a_release_whose_texts_are_not_here(tmp_path):
    """A release built from other documents (the small hand-made one): pages still render, and
    a document whose text on this server is not the one the release used is not shown."""
    write_release(tmp_path)
    with TestClient(create_app(Settings(var_dir=tmp_path))) as mini:
        assert "Alpha rejoint Beta" in page(mini, "/")
        text = page(mini, "/document/001")
        assert "n’est pas sur ce serveur" in text and "<mark>" not in text
        assert '<h1 lang="fr">Alpha</h1>' in page(mini, "/id/org/alpha.html")


# --- Query page, example queries ----------------------------------------------------------------


def test_query_page_has_yasgui_and_the_readme_examples(client):
    text = page(client, "/query")
    assert '<script src="/static/vendor/yasgui/yasgui.min.js"></script>' in text
    config = json.loads(
        html.unescape(re.search(r'id="query-config">(.*?)</script>', text, re.S).group(1))
    )
    examples = readme.example_queries(readme.read(REPO_ROOT))
    assert config["endpoint"] == "/sparql"
    assert [e["query"] for e in config["examples"]] == [e.query for e in examples]
    for asset in ("yasgui.min.js", "yasgui.min.css"):
        assert client.get(f"/static/vendor/yasgui/{asset}").status_code == 200


def test_query_page_lists_the_predeclared_prefixes(client):
    text = page(client, "/query")
    listed = re.findall(r"<td><code>([\w-]+):</code></td><td><code>([^<]+)</code>", text)
    assert dict(listed) == prefixes(BASE)


def test_query_page_takes_a_query_safely(client):
    hostile = 'SELECT * WHERE { ?s ?p "</script><script>alert(1)</script>" }'
    text = page(client, "/query?" + f"query={hostile}")
    assert "<script>alert(1)" not in text
    config = re.search(r'id="query-config">(.*?)</script>', text, re.S).group(1)
    assert json.loads(config)["initial"]["query"] == hostile


def test_the_readme_example_queries_run_on_the_release(store):
    examples = readme.example_queries(readme.read(REPO_ROOT))
    assert examples, "README.md has no example queries (section 'Example queries')"
    for example in examples:
        result = store.query(example.query)
        assert bool(result) if isinstance(result, bool) else list(result), example.title


def test_example_queries_are_read_from_the_readme_section():
    markdown = """# X
## Example queries

Intro.

### Organisations by town

Each organisation and its commune.

```sparql
SELECT ?o WHERE { ?o a ?c }
```

**Who runs what.** The heads of organisations:

```
PREFIX org: <http://www.w3.org/ns/org#>
ASK { ?p org:headOf ?o }
```

```bash
curl -d 'query=ASK {}' http://127.0.0.1:8000/sparql
```

## Documentation

```sparql
SELECT * {}
```
"""
    examples = readme.example_queries(markdown)
    assert [(e.title, e.description) for e in examples] == [
        ("Organisations by town", "Each organisation and its commune."),
        ("Who runs what", "The heads of organisations:"),
    ]
    assert examples[1].query.startswith("PREFIX org:")


# --- OpenAPI and errors -------------------------------------------------------------------------


def test_openapi_page_uses_the_vendored_swagger_ui(client):
    text = page(client, "/docs")
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in text
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"https?:", text)  # loads nothing
    assert re.search(r"<script[^>]+src=", text) and re.search(r"<link[^>]+href=", text)
    assert '"validatorUrl": null' in text
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert client.get(f"/static/vendor/swagger-ui/{asset}").status_code == 200
    assert client.get("/openapi.json").status_code == 200


def test_the_openapi_page_is_a_page_of_the_site_with_its_way_back(client):
    """The site's header (home, every section, the language switch) around Swagger UI, started
    from a file of ours: the page keeps the site's policy, no inline script."""
    response = client.get("/docs", headers=BROWSER)
    header = response.text[response.text.index('<header class="site">') :]
    assert '<a class="brand" href="/">Maillage</a>' in header
    assert 'href="/docs?lang=en"' in header
    assert '<script src="/static/docs.js"></script>' in response.text
    policy = dict(
        d.strip().split(" ", 1) for d in response.headers["content-security-policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert client.get("/static/docs.js").status_code == 200


def test_404_is_a_page_for_browsers_and_json_for_programs(client):
    response = client.get("/no/such/page", headers={**BROWSER, "origin": "https://example.org"})
    assert response.status_code == 404
    assert "<h1>Introuvable</h1>" in response.text
    assert response.headers["access-control-allow-origin"] == "*"
    assert "Accept" in response.headers["vary"]
    response = client.get("/no/such/page", headers={"accept": "*/*"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
