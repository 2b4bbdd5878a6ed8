"""The interface's language (server/i18n.py): French by default, English by ``Accept-Language``
or ``?lang=en``; the page says which (``<html lang>``, ``Content-Language``), caches keep the two
apart (``Vary``, ETags), and every text a template asks for is in the one table, in both."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from maillage.timeline import Moment
from server.i18n import LANGUAGES, MESSAGES, date_text, from_accept_language, translate
from server.site import TEMPLATES_DIR

BROWSER = {"accept": "text/html"}
PAGES = ("/", "/browse/organisations", "/search?q=kaliop", "/timeline", "/query", "/nope")
"""Pages of every template this helper converted (the 404 is error.html)."""


def html_lang(text: str) -> str:
    return re.search(r'<html lang="([a-z]+)">', text).group(1)


@pytest.mark.parametrize("path", PAGES)
def test_a_page_is_french_by_default_and_says_so(client, path):
    response = client.get(path, headers=BROWSER)
    assert html_lang(response.text) == "fr"
    assert response.headers["content-language"] == "fr"
    assert "Accept-Language" in response.headers["vary"]
    assert "Aller au contenu" in response.text


@pytest.mark.parametrize("path", PAGES)
def test_a_page_is_english_when_the_browser_prefers_it(client, path):
    response = client.get(path, headers={**BROWSER, "accept-language": "en-GB,en;q=0.9,fr;q=0.5"})
    assert html_lang(response.text) == "en"
    assert response.headers["content-language"] == "en"
    assert "Skip to content" in response.text and "Aller au contenu" not in response.text


def test_the_lang_parameter_wins_over_the_browser(client):
    english = client.get("/?lang=en", headers={**BROWSER, "accept-language": "fr"})
    assert html_lang(english.text) == "en" and "What it holds" in english.text
    french = client.get("/?lang=fr", headers={**BROWSER, "accept-language": "en"})
    assert html_lang(french.text) == "fr" and "Ce qu’il contient" in french.text
    unknown = client.get("/?lang=de", headers={**BROWSER, "accept-language": "en"})
    assert html_lang(unknown.text) == "en"  # not a language of ours: the browser decides


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "fr"),
        ("", "fr"),
        ("en", "en"),
        ("en-US", "en"),
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("fr;q=0.5, en", "en"),
        ("de, en;q=0.3", "en"),
        ("de", "fr"),
        ("*", "fr"),
        ("en;q=0", "fr"),
        ("en;q=0.8, fr;q=0.8", "en"),  # a tie: the header's order
        ("en;q=nonsense, fr", "fr"),
    ],
)
def test_accept_language_is_read_with_its_weights(header, language):
    assert from_accept_language(header) == language


def test_the_switch_leads_to_the_same_page_in_the_other_language(client):
    text = client.get("/browse/organisations?letter=K", headers=BROWSER).text
    assert (
        'href="/browse/organisations?letter=K&amp;lang=en" hreflang="en" lang="en">English' in text
    )
    assert '<strong aria-current="true" lang="fr">Français</strong>' in text
    back = client.get("/browse/organisations?letter=K&lang=en", headers=BROWSER).text
    assert (
        'href="/browse/organisations?letter=K&amp;lang=fr" hreflang="fr" lang="fr">Français' in back
    )
    assert (
        '<link rel="alternate" hreflang="fr" href="/browse/organisations?letter=K&amp;lang=fr">'
        in back
    )


def test_the_site_search_keeps_a_language_the_url_asked_for(client):
    asked = client.get("/?lang=en", headers=BROWSER).text
    assert '<input type="hidden" name="lang" value="en">' in asked
    assert 'name="lang"' not in client.get("/", headers=BROWSER).text


def test_a_resource_page_has_one_etag_per_language(client):
    """A shared cache or a browser that holds the French page never gets a 304 for English."""
    path = "/id/org/digital-113.html"
    french = client.get(path, headers=BROWSER)
    english = client.get(path, headers={**BROWSER, "accept-language": "en"})
    assert french.headers["etag"] != english.headers["etag"]
    assert "Accept-Language" in french.headers["vary"]
    revalidated = client.get(
        path, headers={**BROWSER, "accept-language": "en", "if-none-match": french.headers["etag"]}
    )
    assert revalidated.status_code == 200 and html_lang(revalidated.text) == "en"
    same = client.get(path, headers={**BROWSER, "if-none-match": french.headers["etag"]})
    assert same.status_code == 304


def test_every_message_is_in_every_language():
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(text.strip() for text in texts.values()), key


def test_every_key_a_template_names_is_in_the_table():
    named = set()
    for template in TEMPLATES_DIR.glob("*.html"):
        named |= set(re.findall(r"""\bt\(\s*["']([^"']+)["']""", template.read_text()))
    assert named, "no template calls t()"
    prefixes = {n for n in named if n.endswith(".")}  # t("class." ~ slug): some key per prefix
    assert all(any(k.startswith(p) for k in MESSAGES) for p in prefixes), prefixes
    assert named - prefixes <= set(MESSAGES), sorted(named - prefixes - set(MESSAGES))


def test_values_put_into_a_message_are_escaped():
    assert translate("error.requested", "en", path="<script>") == (
        "Requested: <code>&lt;script&gt;</code>"
    )


@pytest.mark.parametrize(
    ("value", "precision", "earliest", "latest", "french"),
    [
        ("2019-02-05", "day", "2019-02-05", "2019-02-05", "5 février 2019"),
        ("2017-03-01", "day", "2017-03-01", "2017-03-01", "1er mars 2017"),
        ("2017-03", "month", "2017-03-01", "2017-03-31", "mars 2017"),
        ("2019", "year", "2019-01-01", "2019-12-31", "2019"),
    ],
)
def test_a_timeline_date_reads_in_each_language(value, precision, earliest, latest, french):
    moment = Moment(
        value, precision, dt.date.fromisoformat(earliest), dt.date.fromisoformat(latest)
    )
    assert date_text(moment.as_json(), "fr") == french
    assert date_text(moment.as_json(), "en") == moment.text  # as the timeline's JSON gives it


def test_the_timeline_speaks_the_page_language(client):
    french = client.get("/timeline/org/digital-place", headers=BROWSER).text
    assert '<span class="verb">créée</span> <time datetime="2011">2011</time>' in french
    assert 'data-group="Changements"' in client.get("/timeline", headers=BROWSER).text
    english = client.get("/timeline/org/digital-place?lang=en", headers=BROWSER).text
    assert '<span class="verb">founded</span> <time datetime="2011">2011</time>' in english


def test_a_count_of_one_is_singular(client):
    french = client.get("/", headers=BROWSER).text
    english = client.get("/?lang=en", headers=BROWSER).text
    changes = re.search(r'href="/browse/changes"><strong>(\d+)</strong> ([^<]+)</a>', french)
    assert changes, "the home page counts the changes"
    if changes.group(1) == "1":
        assert changes.group(2) == "fusion ou autre changement"
        assert "<strong>1</strong> merger or other change</a>" in english
    else:
        assert changes.group(2) == "fusions et autres changements"
