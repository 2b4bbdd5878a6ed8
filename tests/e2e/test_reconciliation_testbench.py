"""A real client of our reconciliation service: the W3C Entity Reconciliation Community Group's
own test bench (``../shared/test-suites/reconciliation/testbench``, built by ``make testbench``
into ``build/testbench/dist``), served by a static HTTP server of its own on port 0, opened in
Debian's headless Chromium on our 1.0-draft endpoint, which the real server (uvicorn, port 0)
answers from the session's release.

The bench reads the manifest, then sends what a user asks for from its four tabs (match,
suggest, preview, extend); each test does what a user would and reads what the bench shows:
the candidates, the suggestions, the preview frame, the extended values, and its warnings when a
response breaks the Community Group's schemas. The bench does not show schema errors for
suggest and extend, so every JSON answer it received is also read back from Chromium (DevTools
protocol) and validated here with ``tests/reconciliation_schemas.py``.

The bench's « Services » tab looks up public services on Wikidata and OpenCorporates when it
loads: Chromium resolves no host but 127.0.0.1, so those lookups fail at once and nothing leaves
the machine."""

from __future__ import annotations

import contextlib
import functools
import json
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from chromium import chromium, live_server
from reconciliation_schemas import validate
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import WebDriverWait

from maillage.settings import REPO_ROOT

DIST = REPO_ROOT / "build" / "testbench" / "dist"
ENDPOINT = "/reconcile/1.0-draft"
"""The bench speaks 1.0-draft (JSON POSTs to ``…/match``); ``/reconcile`` itself is 0.2."""
ORGANISATION = "http://www.w3.org/ns/org#Organization"
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
WAIT_S = 20
SERVICES_TAB_LOOKUPS = ("https://query.wikidata.org/", "https://opencorporates.com/")
"""What the bench's « Services » tab fetches on load (blocked, see above)."""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # the bench's files, not worth a line each
        pass


@contextlib.contextmanager
def static_server(directory: Path) -> Iterator[str]:
    """``directory`` over HTTP on a port the system chose, in a thread."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def testbench_url() -> Iterator[str]:
    assert (DIST / "index.html").is_file(), f"{DIST} is missing: run `make testbench`"
    with static_server(DIST) as url:
        yield url


@pytest.fixture(scope="module")
def service_url(built) -> Iterator[str]:
    with live_server(built[0]) as url:
        yield url + ENDPOINT


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    """Screenshots of each step, to look at (``pytest --basetemp=DIR``)."""
    return tmp_path_factory.mktemp("testbench-shots")


@pytest.fixture(scope="module")
def bench(tmp_path_factory, testbench_url, service_url) -> Iterator[WebDriver]:
    """The bench, open on our endpoint, once its manifest is read (the endpoint field turns
    green and the four tabs appear)."""
    profile = tmp_path_factory.mktemp("chromium-profile-testbench")
    with chromium(profile, (OFFLINE,), network_log=True) as driver:
        driver.get(f"{testbench_url}/#/client/{quote(service_url, safe='')}")
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#endpointField"))
        wait(driver, lambda d: d.find_elements(By.ID, "test-bench-tabs-pane-reconcile"))
        yield driver


def wait(driver: WebDriver, condition, message: str = ""):
    return WebDriverWait(driver, WAIT_S).until(condition, message)


# --- What the bench received -----------------------------------------------------------------


SCHEMAS = {
    "/match": ("1.0-draft", "reconciliation-result-batch"),
    "/suggest/entity": ("1.0-draft", "suggest-entities-response"),
    "/suggest/type": ("1.0-draft", "suggest-types-response"),
    "/suggest/property": ("1.0-draft", "suggest-properties-response"),
    "": ("1.0-draft", "manifest"),
    "?extend": ("0.2", "data-extension-response"),
}
"""The schema of each answer, by the path after the endpoint. ``GET {endpoint}?extend=`` is the
0.2 form of a data extension, which the bench still sends (it reads ``rows[id][property]``, the
0.2 answer); the service answers it as 0.2, and it is checked so."""


def received(driver: WebDriver, service_url: str) -> list[tuple[str, int, str]]:
    """``(url, status, body)`` of each answer of the service the bench fetched since the last
    call (Chromium's performance log, bodies through the DevTools protocol)."""
    answers = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] != "Network.responseReceived":
            continue
        params = message["params"]
        url = params["response"]["url"]
        if params["type"] != "Fetch" or not url.startswith(service_url):
            continue
        body = driver.execute_cdp_cmd("Network.getResponseBody", {"requestId": params["requestId"]})
        answers.append((url, params["response"]["status"], body["body"]))
    return answers


def check_answers(driver: WebDriver, service_url: str) -> list[str]:
    """Every JSON answer received since the last call is a 200 valid against its schema; returns
    the paths answered."""
    paths = []
    for url, status, body in received(driver, service_url):
        assert status == 200, (url, status, body)
        parts = urlsplit(url)
        path = parts.path.removeprefix(urlsplit(service_url).path)
        if "extend" in parse_qs(parts.query):
            path += "?extend"
        version, schema = SCHEMAS[path]
        validate(version, schema, json.loads(body))
        paths.append(path)
    return paths


def console_errors(driver: WebDriver) -> list[str]:
    """Severe console messages, but the blocked lookups of the « Services » tab."""
    return [
        e["message"]
        for e in driver.get_log("browser")
        if e["level"] == "SEVERE" and not e["message"].startswith(SERVICES_TAB_LOOKUPS)
    ]


def warnings_shown(driver: WebDriver) -> list[str]:
    """The bench's schema warnings (``Alert bsStyle="warning"``): for the manifest, above the
    tabs, and for a match response, beside the query."""
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".alert-warning")]


# --- Doing what a user does ---------------------------------------------------------------------


def open_tab(driver: WebDriver, key: str) -> WebElement:
    driver.find_element(By.ID, f"test-bench-tabs-tab-{key}").click()
    pane = driver.find_element(By.ID, f"test-bench-tabs-pane-{key}")
    wait(driver, lambda d: pane.is_displayed())
    return pane


def type_and_pick(
    driver: WebDriver,
    field: WebElement,
    text: str,
    label: str,
    menu_id: str | None = None,
    shot: Path | None = None,
) -> list[str]:
    """Type ``text`` in a suggest field and pick the suggestion named ``label`` once the service's
    answer lists it (after a screenshot of the menu to ``shot``); returns the names suggested.
    ``menu_id`` is the menu's id when the bench gives the field one; the items that came from the
    service are those with an id (not « Use custom path »)."""
    menu = f"//ul[@id='{menu_id}']" if menu_id else "//ul[contains(@class, 'rbt-menu')]"
    items = menu + "//a[contains(@class, 'dropdown-item')][.//span[@class='suggestItemId']]"
    field.send_keys(text)
    suggested: list[str] = []

    def pick(d: WebDriver) -> bool:
        try:
            found = d.find_elements(By.XPATH, items)
            suggested[:] = [
                i.find_element(By.CSS_SELECTOR, ".suggestItemLabel").text for i in found
            ]
            if label not in suggested:
                return False
            if shot:
                d.save_screenshot(str(shot))
            found[suggested.index(label)].click()
            return True
        except StaleElementReferenceException:  # the menu changed under us: the next answer
            return False

    wait(driver, pick, f"{label!r} is not suggested for {text!r} in {menu}: {suggested}")
    return suggested


def reconcile(driver: WebDriver, pane: WebElement, name: str) -> list[WebElement]:
    """Type ``name`` and press Reconcile; the candidates the bench lists once it has the answer."""
    field = pane.find_element(By.CSS_SELECTOR, "input[placeholder='Name']")
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.DELETE)
    field.send_keys(name)
    before = pane.find_elements(By.CSS_SELECTOR, ".list-group, .noResults, .resultsPlaceholder")
    pane.find_element(By.XPATH, ".//button[text()='Reconcile']").click()
    for shown in before:  # the previous answer goes first
        wait(driver, staleness_of(shown))
    wait(
        driver,
        lambda d: (
            not pane.find_elements(By.XPATH, ".//*[text()='Querying the service...']")
            and pane.find_elements(By.CSS_SELECTOR, ".list-group, .noResults, .resultsPlaceholder")
        ),
    )
    assert not pane.find_elements(By.CSS_SELECTOR, ".resultsPlaceholder"), "the match failed"
    return pane.find_elements(By.CSS_SELECTOR, ".list-group-item")


def heading(candidate: WebElement) -> str:
    return candidate.find_element(By.CSS_SELECTOR, ".list-group-item-heading").text


def fields(candidate: WebElement) -> dict[str, str]:
    """A candidate as the bench shows it: ``{"ID": …, "Types": …, "Feature name": …}``."""
    names = candidate.find_elements(By.CSS_SELECTOR, ".candidateField")
    values = candidate.find_elements(By.CSS_SELECTOR, ".candidateValue")
    return {n.text: v.text for n, v in zip(names, values, strict=True)}


# --- The tests, in the order a user goes -----------------------------------------------------------


def test_the_bench_accepts_the_manifest(bench, service_url, shots):
    field = bench.find_element(By.CSS_SELECTOR, "#endpointField")
    group = field.find_element(By.XPATH, "./ancestor::div[contains(@class, 'form-group')][1]")
    assert "has-success" in group.get_attribute("class")
    assert not warnings_shown(bench)
    pane = bench.find_element(By.ID, "test-bench-tabs-pane-reconcile")
    offered = pane.find_elements(By.CSS_SELECTOR, "input[name='reconcileType']")
    assert ORGANISATION in [o.get_attribute("value") for o in offered]
    for tab in ("suggest", "preview", "extend"):
        assert (
            bench.find_element(By.ID, f"test-bench-tabs-tab-{tab}").get_attribute("aria-disabled")
            != "true"
        )
    bench.save_screenshot(str(shots / "1-manifest.png"))
    assert check_answers(bench, service_url) == [""]
    assert not console_errors(bench)


def test_match_by_name(bench, service_url, shots):
    pane = open_tab(bench, "reconcile")
    candidates = reconcile(bench, pane, "Kaliop")
    assert candidates, "no candidate for Kaliop"
    assert heading(candidates[0]) == "Kaliop"
    assert fields(candidates[0])["ID"].endswith("org/kaliop")
    bench.save_screenshot(str(shots / "2-match-kaliop.png"))
    assert not warnings_shown(bench)
    candidates = reconcile(bench, pane, "AD'OCC")
    assert candidates and "AD'OCC" in heading(candidates[0]).upper().replace("’", "'")
    candidates = reconcile(bench, pane, "Qwzxv Tralala")
    assert not [c for c in candidates if "active" in c.get_attribute("class")]  # no match: true
    assert not warnings_shown(bench)
    assert check_answers(bench, service_url) == ["/match"] * 3
    assert not console_errors(bench)


def test_match_with_a_type_and_a_property(bench, service_url, shots):
    """« digital113 », organisations only, in Montpellier (commune): Digital 113 comes first
    and the bench shows the property agreeing."""
    pane = open_tab(bench, "reconcile")
    pane.find_element(By.CSS_SELECTOR, "button.add-button").click()
    card = wait(bench, lambda d: pane.find_element(By.CSS_SELECTOR, ".mapping-card"))
    type_and_pick(
        bench,
        card.find_element(By.CSS_SELECTOR, "input.rbt-input-main"),
        "Commu",
        "Commune",
        "mapping-property-0",
    )
    card.find_element(By.CSS_SELECTOR, "input[placeholder='Property value']").send_keys(
        "Montpellier"
    )
    pane.find_element(
        By.CSS_SELECTOR, f"input[name='reconcileType'][value='{ORGANISATION}']"
    ).click()
    candidates = reconcile(bench, pane, "digital113")
    sent = pane.find_element(
        By.XPATH, ".//ul[contains(., 'queries')]"
    ).text  # as the bench shows it
    assert "propertyId" in sent and "commune" in sent and ORGANISATION in sent
    bench.save_screenshot(str(shots / "3-match-type-property.png"))
    assert candidates and heading(candidates[0]) == "Digital 113"
    shown = fields(candidates[0])
    assert shown["Feature property:commune"] == "1", shown
    assert "Organisation" in shown["Types"]
    assert not warnings_shown(bench)
    paths = check_answers(bench, service_url)
    assert paths.count("/match") == 1 and "/suggest/property" in paths
    assert not console_errors(bench)


def test_suggest_entities_types_and_properties(bench, service_url, shots):
    pane = open_tab(bench, "suggest")
    entity, kind, prop = pane.find_elements(By.CSS_SELECTOR, "input.rbt-input-main")
    for field, text, label, menu in (
        (entity, "Kalio", "Kaliop", "entity-suggest-test"),
        (kind, "Organ", "Organisation", "type-suggest-test"),
        (prop, "Commu", "Commune", "property-suggest-test"),
    ):
        type_and_pick(bench, field, text, label, menu, shots / f"4-suggest-{menu}.png")
    assert sorted(set(check_answers(bench, service_url))) == [
        "/suggest/entity",
        "/suggest/property",
        "/suggest/type",
    ]
    assert not console_errors(bench)


def test_preview_in_a_frame(bench, service_url, shots):
    pane = open_tab(bench, "preview")
    type_and_pick(
        bench,
        pane.find_element(By.CSS_SELECTOR, "input.rbt-input-main"),
        "Digital 1",
        "Digital 113",
    )
    frame = wait(bench, lambda d: pane.find_element(By.TAG_NAME, "iframe"))
    assert frame.get_attribute("src").startswith(service_url + "/preview?id=")
    bench.save_screenshot(str(shots / "5-preview.png"))
    bench.switch_to.frame(frame)
    try:
        shown = wait(bench, lambda d: d.find_element(By.TAG_NAME, "body").text)
    finally:
        bench.switch_to.default_content()
    assert "Digital 113" in shown
    check_answers(bench, service_url)
    assert not console_errors(bench)  # a refused frame is logged here


def test_extend_an_entity(bench, service_url, shots):
    """Digital 113's communes, as the bench lists them: Montpellier among them, as an entity."""
    pane = open_tab(bench, "extend")
    entity, prop = pane.find_elements(By.CSS_SELECTOR, "input.rbt-input-main")
    type_and_pick(bench, entity, "Digital 1", "Digital 113")
    type_and_pick(bench, prop, "Commu", "Commune", "data-extension-property")
    pane.find_element(By.XPATH, ".//button[text()='Submit']").click()
    values = wait(bench, lambda d: pane.find_elements(By.CSS_SELECTOR, ".list-group-item"))
    bench.save_screenshot(str(shots / "6-extend.png"))
    assert not pane.find_elements(By.CSS_SELECTOR, ".resultsPlaceholder")
    shown = {heading(v): v.text.removeprefix(heading(v)).strip() for v in values}
    assert "Montpellier" in shown, shown
    assert shown["Montpellier"].endswith("34172")  # an entity: the bench shows its id
    assert "?extend" in check_answers(bench, service_url)
    assert not console_errors(bench)
