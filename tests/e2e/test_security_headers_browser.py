"""The pages' Content-Security-Policy in a real browser (Debian's headless Chromium through
Selenium, against a real server on a port the system chose): the pages that run scripts — the
home page's search suggestions, a resource page, a document, the query page (YASGUI), the network
(Cytoscape.js), the timeline (vis-timeline), the API page (Swagger UI) — do what they do under the
policy, with no violation: none reported to the page (``securitypolicyviolation`` events,
recorded from before the page's first script) and none in the console (Chromium logs « Refused
to … because it violates the following Content Security Policy directive »). And the policy is in
force: an inline script is refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait
from test_network_browser import drawn
from test_pages_browser import WAIT_S, visit
from test_search_browser import OPTIONS, typed

RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""
"""Run by Chromium in every new document before its own scripts (DevTools protocol)."""


@pytest.fixture(scope="module")
def browser(browser: WebDriver) -> Iterator[WebDriver]:
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS})
    yield browser


def violations(browser: WebDriver) -> list[str]:
    """What the page was refused, as events and as console messages."""
    events = browser.execute_script("return window.cspViolations")
    assert events is not None, "the recorder did not run"
    logged = [
        e["message"]
        for e in browser.get_log("browser")
        if "Content Security Policy" in e["message"]
    ]
    return events + logged


def test_home_page_suggests_under_the_policy(browser, base_url):
    visit(browser, base_url + "/")
    typed(browser, "kali")
    assert browser.find_element(By.CSS_SELECTOR, OPTIONS).text.startswith("Kaliop")
    assert (found := violations(browser)) == [], "\n".join(found)


def test_resource_and_document_pages_under_the_policy(browser, base_url):
    visit(browser, base_url + "/id/org/digital-113.html")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Digital 113"
    assert (found := violations(browser)) == [], "\n".join(found)
    visit(browser, base_url + "/document/001?claim=d113-naissance#claim-d113-naissance")
    assert browser.find_elements(By.CSS_SELECTOR, "a.quote.selected mark")
    assert (found := violations(browser)) == [], "\n".join(found)


def test_query_page_runs_a_query_under_the_policy(browser, base_url):
    visit(browser, base_url + "/query")
    WebDriverWait(browser, WAIT_S).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".CodeMirror"))
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    WebDriverWait(browser, WAIT_S).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".yasr tbody tr td")
    )
    assert (found := violations(browser)) == [], "\n".join(found)


def test_network_is_drawn_under_the_policy(browser, base_url):
    visit(browser, base_url + "/network/org/digital-113")
    figures = drawn(browser)
    assert figures["nodes"] == figures["expected_nodes"] > 1
    assert (found := violations(browser)) == [], "\n".join(found)


def test_timeline_and_api_page_under_the_policy(browser, base_url):
    visit(browser, base_url + "/timeline")
    WebDriverWait(browser, WAIT_S).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".vis-item"))
    assert (found := violations(browser)) == [], "\n".join(found)
    visit(browser, base_url + "/docs")
    WebDriverWait(browser, WAIT_S).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".opblock"))
    assert (found := violations(browser)) == [], "\n".join(found)


def test_an_inline_script_is_refused(browser, base_url):
    visit(browser, base_url + "/")
    ran = browser.execute_script(
        "const s = document.createElement('script');"
        "s.textContent = 'window.injected = true';"
        "document.body.appendChild(s);"
        "return window.injected === true"
    )
    assert not ran
    refused = browser.execute_script("return window.cspViolations")
    assert refused and refused[0].startswith("script-src-elem inline"), refused
