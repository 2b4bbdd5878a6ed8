"""The network views in a real browser (Debian's headless Chromium through Selenium, as
``test_pages_browser.py``): Cytoscape.js draws every node of the view and its layout stops, a
click on a node leads to that node's page, and the whole network of a generated dataset of more
than 1,000 nodes is drawn too. Screenshots go to ``/tmp/shots/network/``, to look at.

The layout's time, which the page records (``data-layout-ms``), is printed (``pytest -s``) and
reported in docs/performance.md; no test asserts a time."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from chromium import live_server
from mini_release import release_files
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select, WebDriverWait
from test_pages_browser import WAIT_S, assert_clean, visit

from maillage.layout import NETWORK, SEARCH_INDEX
from maillage.pipeline.network import network_file
from maillage.pipeline.release import publish
from maillage.pipeline.search_index import search_database
from maillage.settings import REPO_ROOT, Settings
from maillage.store import STORE_DIR, create_store

if str(REPO_ROOT) not in sys.path:  # `bench/` is scripts, not an installed package
    sys.path.insert(0, str(REPO_ROOT))

from bench.generate import DATASET_FILE, generate
from bench.release import default_graph, load_dataset

SHOTS = Path("/tmp/shots/network")
GENERATED_QUADS = 150_000
"""Enough quads of the generated dataset for more than 1,000 linked nodes (about 7 per 1,000)."""
LAYOUT_WAIT_S = 120
"""How long a layout may run before the test gives up (a bound, not a measure)."""


def drawn(browser: WebDriver) -> dict:
    """Wait for the layout to stop; what the page says it drew."""
    WebDriverWait(browser, LAYOUT_WAIT_S).until(
        lambda d: d.execute_script(
            "const g = document.getElementById('network-graph');"
            "return g && g.dataset.layout === 'done'"
        )
    )
    return browser.execute_script(
        "const g = document.getElementById('network-graph');"
        "const data = JSON.parse(document.getElementById('network-data').textContent);"
        "return {nodes: +g.dataset.nodes, edges: +g.dataset.edges, ms: +g.dataset.layoutMs,"
        " expected_nodes: data.nodes.length, expected_edges: data.edges.length}"
    )


def shot(browser: WebDriver, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    graph = browser.find_element(By.ID, "network-graph")
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", graph)
    browser.save_screenshot(str(SHOTS / f"{name}.png"))


def test_whole_network_is_drawn(browser, base_url):
    visit(browser, base_url + "/network")
    figures = drawn(browser)
    assert figures["nodes"] == figures["expected_nodes"] > 50
    assert figures["edges"] == figures["expected_edges"] > 50
    assert browser.find_element(By.CSS_SELECTOR, ".network-legend").is_displayed()
    assert_clean(browser, base_url)
    shot(browser, "whole-network")
    print(f"\nwhole network: {figures}")
    # The family filter: the clusters and poles stand out, with their neighbours.
    family = "https://w3id.org/maillage/concept/family/clusters-poles"
    Select(browser.find_element(By.ID, "network-family")).select_by_value(family)
    matched, expected, faded = browser.execute_script(
        "const cy = document.getElementById('network-graph')._cyreg.cy;"
        "const data = JSON.parse(document.getElementById('network-data').textContent);"
        "return [cy.nodes('.match').map(n => n.id()).sort(),"
        f" data.nodes.filter(n => n.families.includes('{family}')).map(n => n.id).sort(),"
        " cy.nodes('.faded').length]"
    )
    assert matched == expected and "https://w3id.org/maillage/id/org/digital-113" in matched
    assert faded > 0
    shot(browser, "whole-network-clusters")


def test_digital_113_neighbourhood_and_a_click_on_a_node(browser, base_url):
    visit(browser, base_url + "/id/org/digital-113")
    browser.find_element(By.CSS_SELECTOR, ".network-link a").click()
    WebDriverWait(browser, WAIT_S).until(lambda d: "/network/org/digital-113" in d.current_url)
    figures = drawn(browser)
    assert figures["nodes"] == figures["expected_nodes"]
    labels = browser.execute_script(
        "return JSON.parse(document.getElementById('network-data').textContent)"
        ".nodes.map(n => n.label)"
    )
    assert {"Digital 113", "Digital Place", "FrenchSouth.digital"} <= set(labels)
    assert_clean(browser, base_url)
    shot(browser, "digital-113")
    print(f"\nDigital 113, 2 hops: {figures}")
    # A click on Digital Place's node, where Cytoscape drew it, opens its page.
    browser.execute_script(
        "const g = document.getElementById('network-graph');"
        "g.scrollIntoView({block: 'start'}); window.scrollBy(0, -1);"
    )
    x, y = browser.execute_script(
        "const cy = document.getElementById('network-graph')._cyreg.cy;"
        "const n = cy.getElementById('https://w3id.org/maillage/id/org/digital-place');"
        "const p = n.renderedPosition(); const r = cy.container().getBoundingClientRect();"
        "return [r.left + p.x, r.top + p.y];"
    )
    click_at(browser, x, y)
    WebDriverWait(browser, WAIT_S).until(lambda d: "/id/org/digital-place" in d.current_url)
    assert urlsplit(browser.current_url).path == "/id/org/digital-place.html"


def click_at(browser: WebDriver, x: float, y: float) -> None:
    """A real mouse click (press and release) at a point of the viewport."""
    for kind in ("mousePressed", "mouseReleased"):
        browser.execute_cdp_cmd(
            "Input.dispatchMouseEvent",
            {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
        )


# --- 1,000 nodes of the generated dataset -----------------------------------------------------


@pytest.fixture(scope="module")
def generated_url(tmp_path_factory) -> Iterator[str]:
    """A release of the generated dataset (``bench/generate.py``) with the files the server
    reads: its default graph, its network and search index, its store; the vocabulary, shapes
    and catalogue of the tests' small release. Not validated (SHACL on 150,000 quads takes
    minutes; ``tests/bench/`` checks the generated data against the shapes)."""
    root = tmp_path_factory.mktemp("generated-network")
    generate(root / "data", GENERATED_QUADS, seed=7)
    dataset = load_dataset(root / "data" / DATASET_FILE)
    default = default_graph(dataset)
    files = release_files()
    files["maillage.ttl"] = default.serialize(format="turtle").encode()
    files[SEARCH_INDEX] = search_database(default)
    files[NETWORK] = network_file(default)
    nquads = (root / "data" / DATASET_FILE).read_bytes()
    var_dir = root / "var"
    publish(files, var_dir, "generated", lambda s: create_store(s / STORE_DIR, nquads))
    with live_server(Settings(var_dir=var_dir)) as url:
        yield url


def test_a_thousand_nodes_are_drawn_and_the_page_answers(browser, generated_url):
    document = httpx.get(generated_url + "/network.json", timeout=60).json()
    assert len(document["nodes"]) >= 1000
    visit(browser, generated_url + "/network")
    figures = drawn(browser)
    assert figures["nodes"] == figures["expected_nodes"] >= 1000
    assert figures["edges"] == figures["expected_edges"]
    shot(browser, "generated-1000")
    # The page still answers: finding a node highlights it and its neighbours.
    label = document["nodes"][0]["label"]
    browser.find_element(By.ID, "network-find").send_keys(label)
    WebDriverWait(browser, WAIT_S).until(
        lambda d: d.find_element(By.ID, "network-status").text, "no answer to the search"
    )
    status = browser.find_element(By.ID, "network-status").text
    matched = browser.execute_script(
        "const cy = document.getElementById('network-graph')._cyreg.cy;"
        "return cy.nodes('.match').map(n => n.data('label'))"
    )
    assert label in matched and status.startswith(f"{len(matched)} "), (status, matched)
    assert_clean(browser, generated_url)
    shot(browser, "generated-1000-found")
    print(f"\ngenerated, whole network: {figures}")
