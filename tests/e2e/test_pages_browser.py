"""The pages in a real browser: Debian's headless Chromium, driven by Selenium through Debian's
chromedriver, against a real server (uvicorn, on a port the system chose). Each page must show
data, not an error, and load nothing from anywhere but this server.

Chromium is installed by the project (``make browser``, which ``make install`` runs)."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from maillage.pipeline import readme
from maillage.settings import REPO_ROOT

WAIT_S = 20


def visit(browser: WebDriver, url: str) -> None:
    """Load ``url``; fails on a console error or a resource from another origin."""
    browser.get_log("browser")  # forget what earlier pages logged
    browser.get(url)
    WebDriverWait(browser, WAIT_S).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


def assert_clean(browser: WebDriver, origin: str) -> None:
    errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
    loaded = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    elsewhere = [u for u in loaded if not u.startswith(origin + "/")]
    assert not elsewhere, elsewhere


def text_of(browser: WebDriver, selector: str) -> str:
    return browser.find_element(By.CSS_SELECTOR, selector).text


def test_home_shows_the_dataset(browser, base_url):
    visit(browser, base_url + "/")
    assert "Maillage" in browser.title
    counts = browser.find_elements(By.CSS_SELECTOR, ".counts li strong")
    assert counts and all(int(c.text.replace("\u202f", "")) > 0 for c in counts)
    assert len(browser.find_elements(By.CSS_SELECTOR, "ol.documents li")) == 5
    assert browser.find_elements(By.CSS_SELECTOR, "table.downloads tbody tr")
    assert_clean(browser, base_url)


def test_resource_page_through_the_303(browser, base_url):
    visit(browser, base_url + "/id/org/digital-113")
    assert urlsplit(browser.current_url).path == "/id/org/digital-113.html"
    assert text_of(browser, "h1") == "Digital 113"
    assert "org:Organization" in text_of(browser, ".types")
    sources = browser.find_elements(By.CSS_SELECTOR, "a.source")
    assert sources
    assert_clean(browser, base_url)
    sources[0].click()
    WebDriverWait(browser, WAIT_S).until(lambda d: "/document/" in d.current_url)
    selected = browser.find_elements(By.CSS_SELECTOR, ".source-text a.quote.selected mark")
    assert selected and selected[0].is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, ".claim-card.selected").is_displayed()


def test_document_page_marks_its_quotes(browser, base_url):
    visit(browser, base_url + "/document/001?claim=d113-naissance#claim-d113-naissance")
    assert "Digital 113" in text_of(browser, "h1")
    assert len(browser.find_elements(By.CSS_SELECTOR, ".source-text mark")) > 10
    selected = browser.find_elements(By.CSS_SELECTOR, "a.quote.selected mark")
    assert "baptisée Digital 113" in " ".join(m.text for m in selected)
    card = browser.find_element(By.CSS_SELECTOR, "#card-d113-naissance")
    assert card.is_displayed() and "préférée" in card.text  # its rank, in French
    assert_clean(browser, base_url)


def test_document_page_greys_the_listed_sentences_with_their_reason(browser, base_url, tmp_path):
    visit(browser, base_url + "/document/001")
    listed = browser.find_elements(By.CSS_SELECTOR, ".source-text .listed")
    heading = next(e for e in listed if e.text == "Un souci de visibilité")
    assert heading.get_attribute("title") == "Pas d’affirmation : heading"
    after = browser.execute_script(
        "return getComputedStyle(arguments[0], '::after').content", heading
    )
    assert after == '" [heading]"'
    grey = heading.value_of_css_property("color")
    quoted = browser.find_element(By.CSS_SELECTOR, ".source-text a.quote mark")
    assert grey != quoted.value_of_css_property("color")
    assert len(listed) > 10 and all(e.is_displayed() for e in listed)
    assert_clean(browser, base_url)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", heading)
    browser.save_screenshot(str(tmp_path / "document-listed.png"))  # to look at: --basetemp


def test_query_page_runs_a_query(browser, base_url):
    examples = readme.example_queries(readme.read(REPO_ROOT))
    visit(browser, base_url + "/query")
    WebDriverWait(browser, WAIT_S).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".CodeMirror"))
    tabs = [t.text for t in browser.find_elements(By.CSS_SELECTOR, ".tabsList .tab")]
    assert len(tabs) == max(1, len(examples))
    assert all(any(e.title in tab for tab in tabs) for e in examples)
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    WebDriverWait(browser, WAIT_S).until(
        lambda d: (
            d.find_elements(By.CSS_SELECTOR, ".yasr tbody tr td")
            or d.find_elements(By.CSS_SELECTOR, ".yasr .errorResult")
        )
    )
    assert not browser.find_elements(By.CSS_SELECTOR, ".yasr .errorResult")
    assert browser.find_elements(By.CSS_SELECTOR, ".yasr tbody tr td")
    assert_clean(browser, base_url)


def test_each_home_counter_opens_its_a_to_z_list(browser, base_url):
    """ "83 organisations" opens the A–Z list of the 83 organisations: no SPARQL, no click on ▶."""
    visit(browser, base_url + "/")
    counters = [
        (
            int(a.find_element(By.TAG_NAME, "strong").text.replace("\u202f", "")),
            a.get_attribute("href"),
        )
        for a in browser.find_elements(By.CSS_SELECTOR, ".counts li a")
    ]
    assert len(counters) > 5
    for value, href in counters:
        visit(browser, href)
        assert urlsplit(href).path.startswith("/browse/")
        assert int(text_of(browser, ".total").replace("\u202f", "")) == value, href
        shown = browser.find_elements(By.CSS_SELECTOR, ".browse-list li a")
        assert len(shown) == min(value, 50), href
        assert_clean(browser, base_url)


def test_a_journalist_reaches_kaliop_from_the_home_page(browser, base_url, tmp_path):
    """Home → "organisations" → letter K → Kaliop's page, by clicks only."""
    visit(browser, base_url + "/")
    browser.find_element(By.CSS_SELECTOR, '.counts a[href="/browse/organisations"]').click()
    WebDriverWait(browser, WAIT_S).until(lambda d: "/browse/organisations" in d.current_url)
    browser.find_element(By.LINK_TEXT, "K").click()
    WebDriverWait(browser, WAIT_S).until(lambda d: "letter=K" in d.current_url)
    browser.save_screenshot(str(tmp_path / "browse-k.png"))  # to look at: --basetemp
    assert_clean(browser, base_url)
    browser.find_element(By.LINK_TEXT, "Kaliop").click()
    WebDriverWait(browser, WAIT_S).until(lambda d: "/id/org/kaliop" in d.current_url)
    assert text_of(browser, "h1") == "Kaliop"
    assert_clean(browser, base_url)


@pytest.mark.parametrize(
    ("query", "marked"),
    [
        ("SELECT ?o WHERE { ?o a org:Organization ; skos:prefLabel ?l }", False),
        ("SELECT ?o WHERE { ?o a nope:Organization ; skos:prefLabel ?l }", True),
    ],
)
def test_the_editor_knows_the_predeclared_prefixes(browser, base_url, query, marked):
    """A query without PREFIX lines is not marked as an error; an unknown prefix still is."""
    visit(browser, base_url + "/query?" + urlencode({"query": query, "title": "Prefixes"}))
    WebDriverWait(browser, WAIT_S).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr tbody td, .yasr .errorResult")
    )
    icons = browser.find_elements(By.CSS_SELECTOR, ".CodeMirror .parseErrorIcon")
    assert bool(icons) == marked
    assert bool(browser.find_elements(By.CSS_SELECTOR, ".yasr tbody a.iri")) != marked


def test_query_results_link_canonical_iris_to_this_server(browser, base_url, tmp_path):
    iri = "https://w3id.org/maillage/id/org/digital-113"
    query = f"SELECT ?org WHERE {{ ?org a <http://www.w3.org/ns/org#Organization> FILTER(?org = <{iri}>) }}"
    visit(browser, base_url + "/query?" + urlencode({"query": query, "title": "Digital 113"}))
    WebDriverWait(browser, WAIT_S).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr tbody a.iri")
    )
    link = browser.find_element(By.CSS_SELECTOR, ".yasr tbody a.iri")
    assert link.text == iri
    assert link.get_attribute("href") == base_url + "/id/org/digital-113"
    browser.save_screenshot(str(tmp_path / "query-results.png"))  # to look at: --basetemp
    assert_clean(browser, base_url)
    query_window = browser.current_window_handle
    link.click()  # a new tab, so that the results stay
    WebDriverWait(browser, WAIT_S).until(lambda d: len(d.window_handles) == 2)
    browser.switch_to.window(next(h for h in browser.window_handles if h != query_window))
    try:
        WebDriverWait(browser, WAIT_S).until(lambda d: d.find_elements(By.CSS_SELECTOR, "h1"))
        assert urlsplit(browser.current_url).netloc == urlsplit(base_url).netloc
        assert urlsplit(browser.current_url).path == "/id/org/digital-113.html"
        assert text_of(browser, "h1") == "Digital 113"
        assert text_of(browser, ".resource-head .iri code") == iri
    finally:
        browser.close()
        browser.switch_to.window(query_window)


@pytest.mark.parametrize(
    ("path", "drawn"),
    [
        ("/timeline", "Lancement de Digital 113"),
        ("/timeline/org/digital-place", "Digital Place, créée"),
    ],
)
def test_timeline_draws_its_items_with_the_vendored_library(
    browser, base_url, tmp_path, path, drawn
):
    """vis-timeline (vendored) draws the list's items, one row per kind; selecting the merger
    brings its entry, with its claims, into view. Screenshots to look at: --basetemp."""
    visit(browser, base_url + path)
    WebDriverWait(browser, WAIT_S).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#timeline-chart[data-drawn] .vis-item")
    )
    rows = [
        e.text
        for e in browser.find_elements(By.CSS_SELECTOR, "#timeline-chart .vis-labelset .vis-label")
    ]
    assert rows[:3] == ["Documents", "Organisations", "Changements"]
    contents = [
        e.text for e in browser.find_elements(By.CSS_SELECTOR, "#timeline-chart .vis-item-content")
    ]
    assert drawn in contents
    browser.save_screenshot(str(tmp_path / f"timeline{path.replace('/', '-')}.png"))
    assert_clean(browser, base_url)
    merger = "Fusion de Digital Place et FrenchSouth.digital en Digital 113, a eu lieu"
    item = next(
        e
        for e in browser.find_elements(By.CSS_SELECTOR, "#timeline-chart .vis-item")
        if e.text == merger
    )
    item.click()
    entry = browser.find_element(By.ID, "change-fusion-digital-113-date")
    WebDriverWait(browser, WAIT_S).until(lambda d: "selected" in entry.get_attribute("class"))
    assert urlsplit(browser.current_url).fragment == "change-fusion-digital-113-date"
    assert "affirmation 001/d113-naissance-date" in entry.text and entry.is_displayed()


def test_a_page_as_of_a_day_through_the_date_picker(browser, base_url, tmp_path):
    """Digital Place as of 2016-06-01 (its heads unknown), then, through the date picker's GET
    form, as of 2020-01-01 (merged into Digital 113); both screenshots to look at: --basetemp."""
    visit(browser, base_url + "/id/org/digital-place?asOf=2016-06-01")
    assert urlsplit(browser.current_url).path == "/id/org/digital-place.html"
    picker = browser.find_element(By.CSS_SELECTOR, "form.as-of input[type=date][name=asOf]")
    assert picker.get_attribute("value") == "2016-06-01"
    assert text_of(browser, ".as-of-banner").startswith("Digital Place existed on 2016-06-01")
    marks = browser.find_elements(By.CSS_SELECTOR, ".as-of-mark")
    shown = [m for m in marks if m.is_displayed() and m.text == "inconnu au 2016-06-01"]
    assert len(shown) >= 2  # Benchimol and Marchand at its head, at least
    browser.save_screenshot(str(tmp_path / "as-of-2016-06-01.png"))
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", shown[-1])
    browser.save_screenshot(str(tmp_path / "as-of-2016-06-01-heads.png"))
    assert_clean(browser, base_url)
    browser.execute_script("arguments[0].value = '2020-01-01'", picker)
    browser.find_element(By.CSS_SELECTOR, "form.as-of button[type=submit]").click()
    WebDriverWait(browser, WAIT_S).until(lambda d: "asOf=2020-01-01" in d.current_url)
    banner = text_of(browser, ".as-of-banner")
    assert banner.startswith("Digital Place no longer existed on 2020-01-01")
    assert "merged into Digital 113" in banner
    assert not browser.find_elements(By.XPATH, "//a[normalize-space()='Daniel Benchimol']")
    browser.save_screenshot(str(tmp_path / "as-of-2020-01-01.png"))
    assert_clean(browser, base_url)
    browser.find_element(By.LINK_TEXT, "Digital 113").click()
    WebDriverWait(browser, WAIT_S).until(lambda d: "digital-113" in d.current_url)
    assert "asOf=2020-01-01" in browser.current_url
    assert text_of(browser, ".as-of-banner").startswith("Digital 113 existed on 2020-01-01")
