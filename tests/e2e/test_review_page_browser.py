"""The review page (``maillage review NNN``, ``maillage/ingest/review.py``) in headless Chromium,
opened from disk (``file://``) as a curator opens it: it renders with the site's look, marks every
mention by its state (a style, a mark and a word, not a colour alone), shows a mention's link,
score, reason and candidates on keyboard focus, puts each proposed claim and its ``maillage
accept`` command beside its sentence, lists the sentences that carry nothing and the possible
duplicates, loads nothing from anywhere, and axe-core finds no WCAG 2.1 A/AA violation.

Screenshots to look at go to the test's directory (``--basetemp``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from proposal_samples import FIGURE, ROLE, TEXT, ingest_excerpt, sample_proposals
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait
from test_accessibility import AXE, RUN_AXE, TAGS, report

from maillage.ingest.proposals import read_proposals, write_proposals
from maillage.ingest.review import write_review
from maillage.pipeline.sources import Document

WAIT_S = 30


@pytest.fixture
def page(tmp_path) -> Path:
    """The review page of a made-up document with a role, a figure, a mention of each state,
    a possible duplicate and a sentence that carries nothing, written as ``maillage review``."""
    document = Document(
        id="005",
        path=tmp_path / "data" / "sources" / "005_test.txt",
        text=TEXT,
        sha256="0" * 64,
        title="Un bilan chez Kaliop",
        title_from="given",
        url="https://example.org/bilan",
        language="fr",
        date=("date", "2026-03-02"),
        date_from="given",
        publisher="Exemple",
        publisher_from="given",
        headline=None,
        headline_from=None,
    )
    proposals = sample_proposals("005", (ROLE, FIGURE))
    write_proposals(tmp_path / "data", proposals)
    return write_review(tmp_path, document, proposals)


def open_page(browser: WebDriver, page: Path) -> None:
    browser.get_log("browser")  # forget what earlier pages logged
    browser.get(page.as_uri())
    WebDriverWait(browser, WAIT_S).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


def test_the_review_page_shows_mentions_claims_and_the_unclaimed(browser, page, tmp_path):
    assert page == tmp_path / "build" / "review" / "005.html"
    open_page(browser, page)
    browser.save_screenshot(str(tmp_path / "review.png"))

    assert browser.title == "Review of document 005 · Maillage"
    # The site's look: its stylesheet is in the page (the header's accent colour).
    header = browser.find_element(By.CSS_SELECTOR, "header.site")
    assert header.value_of_css_property("background-color") == "rgba(31, 78, 121, 1)"
    # Every mention marked, by state, with its word for those who do not see the style.
    marked = browser.find_elements(By.CSS_SELECTOR, "a.mention")
    assert [m.get_attribute("class") for m in marked] == [
        "mention state-new",
        "mention state-linked",
        "mention state-linked",
        "mention state-ambiguous",
    ]
    words = [m.find_element(By.CSS_SELECTOR, ".visually-hidden") for m in marked]
    assert [w.get_attribute("textContent") for w in words] == [
        " (new entity)",
        " (linked)",
        " (linked)",
        " (ambiguous)",
    ]
    styles = {m.value_of_css_property("border-bottom-style") for m in marked}
    assert styles == {"dashed", "solid", "double"}  # three styles, not three colours alone
    # Each claim beside its sentence, with its command.
    first = browser.find_element(By.ID, "sentence-1")
    card = first.find_element(By.ID, "claim-jean-dupont-kaliop-president")
    assert card.find_element(By.CSS_SELECTOR, "blockquote").text == ROLE.quote
    command = card.find_element(By.CSS_SELECTOR, "code.command").text
    assert command == "maillage accept 005 jean-dupont-kaliop-president"
    second = browser.find_element(By.ID, "sentence-2")
    assert second.find_element(By.ID, "claim-kaliop-salaries")
    # The sentence that carries nothing, marked and listed.
    third = browser.find_element(By.ID, "sentence-3")
    assert "nothing proposed" in third.text
    assert not third.find_elements(By.CSS_SELECTOR, ".claim-card")
    listed = browser.find_elements(By.CSS_SELECTOR, ".nothing-list li")
    assert [li.text for li in listed] == ["sentence 3, line 3: Il faisait beau ce jour-là."]
    # The possible duplicate, and nothing loaded from anywhere.
    duplicate = browser.find_element(By.CSS_SELECTOR, "#duplicates + p + .table-wrap tbody tr")
    assert "person/jean-dupont" in duplicate.text and "person/jean-dupond" in duplicate.text
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_a_mention_shows_its_link_and_candidates_on_focus(browser, page, tmp_path):
    open_page(browser, page)
    ambiguous = browser.find_element(By.CSS_SELECTOR, "a.mention.state-ambiguous")
    tip = ambiguous.find_element(By.CSS_SELECTOR, ".tip")
    assert not tip.is_displayed()

    browser.execute_script("arguments[0].focus()", ambiguous)  # as the Tab key would

    assert tip.is_displayed()
    assert "2 communes of Occitanie have this name" in tip.text
    assert "candidate commune/31506 Saint-Jean (31)" in tip.text
    assert ambiguous.get_attribute("aria-describedby") == tip.get_attribute("id")
    browser.save_screenshot(str(tmp_path / "review-focus.png"))
    linked = browser.find_element(By.CSS_SELECTOR, "a.mention.state-linked")
    browser.execute_script("arguments[0].focus()", linked)
    shown = linked.find_element(By.CSS_SELECTOR, ".tip")
    assert "https://w3id.org/maillage/id/org/kaliop" in shown.text
    assert "score 1.00" in shown.text
    linked.send_keys(Keys.ESCAPE)  # dismissed without moving the focus (WCAG 1.4.13)
    assert not shown.is_displayed()
    assert browser.switch_to.active_element == linked
    browser.execute_script("arguments[0].blur(); arguments[0].focus()", linked)
    assert shown.is_displayed()  # back when reached again


def test_the_review_page_violates_no_wcag_21_aa_rule(browser, page):
    """As it opens, and with a mention's details shown (its tooltip, on focus)."""
    assert AXE.is_file(), f"{AXE} is missing: run `make install` (axe-core, npm devDependency)"
    open_page(browser, page)
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    for state in ("page", "tooltip"):
        if state == "tooltip":
            mention = browser.find_element(By.CSS_SELECTOR, "a.mention.state-ambiguous")
            browser.execute_script("arguments[0].focus()", mention)
        violations = browser.execute_async_script(RUN_AXE, list(TAGS))
        assert not isinstance(violations, dict), violations
        assert violations == [], report(f"{page} ({state})", violations)


def test_the_page_of_a_real_ingest(browser, live_repo, excerpt, tmp_path):
    """``maillage ingest`` of a real article (three paragraphs of document 003), its page as
    written: every mention the proposals hold is marked, every proposed claim has its command,
    and axe-core finds nothing."""
    assert ingest_excerpt(excerpt) == 0
    proposals = read_proposals(live_repo / "data", "005")
    page = live_repo / "build" / "review" / "005.html"
    open_page(browser, page)
    browser.save_screenshot(str(tmp_path / "review-ingested.png"))

    marked = browser.find_elements(By.CSS_SELECTOR, "a.mention")
    assert [m.get_attribute("class").removeprefix("mention state-") for m in marked] == [
        m.state for m in proposals.mentions
    ]
    commands = [c.text for c in browser.find_elements(By.CSS_SELECTOR, ".proposal code.command")]
    assert commands == [f"maillage accept 005 {c.id}" for c in proposals.claims]
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    violations = browser.execute_async_script(RUN_AXE, list(TAGS))
    assert violations == [], report(str(page), violations)
