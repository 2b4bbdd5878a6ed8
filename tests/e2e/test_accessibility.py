"""Accessibility: axe-core (npm, a test-only dependency: ``node_modules/axe-core``, never served)
runs in headless Chromium on each page of :data:`PAGES`, with the rules of WCAG 2.1 levels A and
AA (what RGAA, the French public sites' standard, builds on), and finds no violation.

Whoever adds a page adds its URL to :data:`PAGES` (and, when a script draws part of it, what shows
that it is drawn to :data:`DRAWN`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from chromium import chromium
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from maillage.settings import REPO_ROOT

PAGES = (
    "/",
    "/?lang=en",
    "/id/org/digital-113.html",
    "/id/org/digital-113.html?lang=en",
    "/id/org/digital-place.html?asOf=2016-06-01",
    "/releases/{live}/id/org/digital-113.html?lang=en",
    "/id/person/daniel-benchimol.html",
    "/id/event/digiworld.html",
    "/id/commune/31555.html",
    "/id/figure/digital-place-adherents-2017.html",
    "/id/change/fusion-digital-113.html",
    "/id/conflict/fusion-digital-113-date.html",
    "/id/claim/001/d113-naissance.html",
    "/document/001?claim=d113-naissance",
    "/document/002?lang=en",
    "/id/org/kaliop.html",
    "/id/org/digital-place.html?lang=en",
    "/id/person/pierre-deniset.html?lang=en",
    "/id/event/debat-la-lettre-m-montpellier-2015.html",
    "/id/commune/31555.html?lang=en",
    "/browse/organisations",
    "/browse/people?lang=en",
    "/browse/organisations?letter=K&commune=31555",
    "/search?q=toulouse",
    "/search?q=toulouse&lang=en",
    "/search?q=antennes&class=org%3AOrganization",
    "/search?q=antennes&commune=31555&lang=en",
    "/timeline",
    "/timeline/org/digital-place",
    "/network",
    "/network/org/digital-113?lang=en",
    "/query",
    "/query?query=SELECT%20%3Fs%20WHERE%20%7B%20%3Fs%20a%20org%3AOrganization%20%7D%20LIMIT%205",
    "/downloads/",
    "/downloads/?lang=en",
    "/catalog",
    "/catalog?lang=en",
    "/releases",
    "/releases?lang=en",
    "/releases/{live}",
    "/releases/{live}?lang=en",
    "/docs",
    "/docs?lang=en",
    "/reconcile/preview?id=id/org/digital-113",
    "/reconcile/1.0-draft/preview?id=id/person/daniel-benchimol",
    "/no/such/page",
    "/id/site/airbus-toulouse.html",
    "/id/site/airbus-toulouse.html?lang=en",
)
"""Every kind of page, in French (the default) and some in English; ``{live}`` is the id of the
release served (a memento: the page read from a release kept)."""
DRAWN = {
    "/query": ".yasqe .CodeMirror",
    "/query?query=": ".yasr table.dataTable tbody tr",
    "/timeline": "#timeline-chart[data-drawn] .vis-item",
    "/network": "#network-graph[data-layout=done]",
    "/docs": ".swagger-ui .opblock",
}
"""A page whose script draws part of it is checked once that part is drawn: the longest
matching path prefix and the element that shows it."""
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WAIT_S = 30

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then((results) => done(results.violations.map((v) => ({
    rule: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
  }))))
  .catch((error) => done({error: String(error)}));
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator[WebDriver]:
    assert AXE.is_file(), f"{AXE} is missing: run `make install` (axe-core, npm devDependency)"
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as driver:
        driver.set_script_timeout(WAIT_S)
        yield driver


def drawn_when(path: str) -> str | None:
    matching = [prefix for prefix in DRAWN if path.startswith(prefix)]
    return DRAWN[max(matching, key=len)] if matching else None


def report(path: str, violations: list[dict]) -> str:
    lines = [f"{path}: {len(violations)} WCAG 2.1 A/AA rule(s) violated"]
    for v in violations:
        lines.append(f"- {v['rule']} ({v['impact']}): {v['help']} <{v['url']}>")
        for node in v["nodes"][:8]:
            lines.append(f"    {node['target']}: {node['summary'].splitlines()[-1].strip()}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.mark.parametrize("path", PAGES)
def test_the_page_violates_no_wcag_21_aa_rule(browser, base_url, built, path):
    browser.get(base_url + path.replace("{live}", built[2].name))
    WebDriverWait(browser, WAIT_S).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )
    selector = drawn_when(path)
    if selector is not None:
        WebDriverWait(browser, WAIT_S).until(lambda d: d.find_elements(By.CSS_SELECTOR, selector))
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    violations = browser.execute_async_script(RUN_AXE, list(TAGS))
    assert not isinstance(violations, dict), violations
    assert violations == [], report(path, violations)


def test_the_open_autocomplete_violates_no_wcag_21_aa_rule(browser, base_url):
    """The header's combobox with its list of suggestions open and one chosen (suggest.js)."""
    browser.get(base_url + "/")
    box = browser.find_element(By.ID, "site-search-q")
    box.click()
    box.send_keys("mont")
    options = "#site-search-q-options [role=option]"
    WebDriverWait(browser, WAIT_S).until(lambda d: d.find_elements(By.CSS_SELECTOR, options))
    box.send_keys(Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant")
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    violations = browser.execute_async_script(RUN_AXE, list(TAGS))
    assert not isinstance(violations, dict), violations
    assert violations == [], report("/ (autocomplete open)", violations)
