"""The header's autocomplete in a real browser (Debian's headless Chromium through Selenium,
against a real server on a port the system chose): typing offers names from /search/suggest in
a WAI-ARIA combobox; the keyboard (Down, Up, Enter, Escape) and the mouse open or dismiss them;
the form still submits to /search. And the search page's facet links narrow the hits."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

WAIT_S = 20
BOX = "#site-search-q"
OPTIONS = "#site-search-q-options [role=option]"


def home(browser: WebDriver, base_url: str) -> None:
    browser.get(base_url + "/")
    WebDriverWait(browser, WAIT_S).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )
    browser.get_log("browser")


def typed(browser: WebDriver, text: str):
    """The box, once ``text`` is typed in it and the list shows suggestions."""
    box = browser.find_element(By.CSS_SELECTOR, BOX)
    box.click()
    box.send_keys(text)
    WebDriverWait(browser, WAIT_S).until(
        lambda d: (
            d.find_elements(By.CSS_SELECTOR, OPTIONS)
            and d.find_element(By.CSS_SELECTOR, OPTIONS).is_displayed()
        )
    )
    return box


def option_texts(browser: WebDriver) -> list[str]:
    return [o.text for o in browser.find_elements(By.CSS_SELECTOR, OPTIONS)]


def test_typing_kali_offers_kaliop_and_enter_opens_its_page(browser, base_url, tmp_path):
    home(browser, base_url)
    box = typed(browser, "kali")
    assert option_texts(browser)[0].startswith("Kaliop")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-autocomplete") == "list"
    listbox = browser.find_element(By.ID, box.get_attribute("aria-controls"))
    assert listbox.get_attribute("role") == "listbox"
    status = browser.find_element(By.CSS_SELECTOR, "form.site-search [role=status]")
    assert status.get_attribute("textContent").startswith("Suggestions : 1 (")
    box.send_keys(Keys.ARROW_DOWN)
    first = browser.find_element(By.CSS_SELECTOR, OPTIONS)
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    browser.save_screenshot(str(tmp_path / "suggest-kali.png"))
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, WAIT_S).until(lambda d: "/id/org/kaliop" in d.current_url)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Kaliop"
    errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


def test_a_click_on_a_suggestion_opens_its_page(browser, base_url):
    home(browser, base_url)
    typed(browser, "ad'o")
    assert option_texts(browser)[0].startswith("AD’OCC")
    browser.find_element(By.CSS_SELECTOR, OPTIONS).click()
    WebDriverWait(browser, WAIT_S).until(lambda d: "/id/org/ad-occ" in d.current_url)


def test_up_and_down_move_through_the_options_and_wrap(browser, base_url):
    home(browser, base_url)
    box = typed(browser, "mont")
    ids = [o.get_attribute("id") for o in browser.find_elements(By.CSS_SELECTOR, OPTIONS)]
    assert len(ids) > 2
    box.send_keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant") == ids[1]
    box.send_keys(Keys.ARROW_UP, Keys.ARROW_UP)
    assert box.get_attribute("aria-activedescendant") == ids[-1]
    selected = browser.find_elements(By.CSS_SELECTOR, OPTIONS + "[aria-selected=true]")
    assert [o.get_attribute("id") for o in selected] == [ids[-1]]


def test_escape_closes_the_list_then_empties_the_box(browser, base_url):
    home(browser, base_url)
    box = typed(browser, "toul")
    box.send_keys(Keys.ESCAPE)
    assert box.get_attribute("aria-expanded") == "false"
    assert not browser.find_element(By.CSS_SELECTOR, "#site-search-q-options").is_displayed()
    assert box.get_attribute("value") == "toul"
    box.send_keys(Keys.ESCAPE)
    assert box.get_attribute("value") == ""


def test_enter_without_a_chosen_suggestion_searches(browser, base_url):
    home(browser, base_url)
    box = typed(browser, "toulouse")
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, WAIT_S).until(lambda d: "/search?q=toulouse" in d.current_url)
    assert "toulouse" in browser.find_element(By.ID, "hits-title").text


def test_a_facet_link_narrows_the_hits(browser, base_url):
    browser.get(base_url + "/search?q=toulouse")
    heading = browser.find_element(By.ID, "hits-title").text
    facet = browser.find_element(By.CSS_SELECTOR, ".search-facets a[href*='class=org']")
    facet.click()
    WebDriverWait(browser, WAIT_S).until(lambda d: "class=org" in d.current_url)
    narrowed = browser.find_element(By.ID, "hits-title").text
    assert narrowed != heading
    hits = browser.find_elements(By.CSS_SELECTOR, ".search-hits > li")
    assert hits and all("org:" in h.text for h in hits)
