"""The annotated guide in chromium: highlights, a click shows the reason, offline, no errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from relaxgraph.checking.assessment import read_assessments
from relaxgraph.storage.engines import OxigraphEngine
from relaxgraph.views.report import render_report

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


def open_page(browser: Any, path: Path) -> tuple[Any, Any, list[str], list[str]]:
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    return context, page, requests, problems


def test_the_report_highlights_claims_and_a_click_shows_the_reason(
    browser: Any, tmp_path: Path
) -> None:
    path = tmp_path / "guide.html"
    path.write_text(render_report(), encoding="utf-8")
    context, page, requests, problems = open_page(browser, path)
    try:
        marks = page.locator("a.hl")
        assert marks.count() > 200
        assert page.locator("a.hl.v-contradicted").count() > 0
        assert page.locator("#legend li").count() == 6
        # a click on a contradicted highlight opens the panel with its reason and evidence
        mark = page.locator("a.hl.v-contradicted").first
        ids = (mark.get_attribute("data-a") or "").split()
        mark.click()
        panel = page.locator("#panel")
        assert panel.is_visible()
        reason = page.locator(f"#{ids[0]} .reason").inner_text()
        assert reason and reason in panel.inner_text()
        assert panel.locator(".badge").first.is_visible()
        # the keyboard: Escape closes and gives focus back; Enter on a highlight opens again
        page.keyboard.press("Escape")
        assert not panel.is_visible()
        assert page.evaluate("document.activeElement.classList.contains('hl')")
        page.keyboard.press("Enter")
        assert panel.is_visible()
        # the hover text carries the verdict and the reason
        title = mark.get_attribute("title") or ""
        assert title.startswith("contradicted: ")
        # navigation by section and verdict
        page.locator("nav summary", has_text="Sections").click()
        assert page.locator("nav a[href='#s-17']").is_visible()
        assert page.locator("#v-contradicted .entry").count() == sum(
            1 for i in read_assessments() if i.verdict == "Contradicted" and i.passages
        )
        assert [u for u in requests if not u.startswith(LOCAL_SCHEMES)] == []
        assert problems == []
    finally:
        context.close()


def test_hostile_text_stays_text_in_the_browser(browser: Any, tmp_path: Path) -> None:
    store = ox.Store()
    store.load(path=str(FIXTURES / "report_hostile.ttl"), format=ox.RdfFormat.TURTLE)
    path = tmp_path / "hostile.html"
    path.write_text(render_report(OxigraphEngine(store)), encoding="utf-8")
    context, page, requests, problems = open_page(browser, path)
    try:
        page.locator("a.hl").first.click()
        assert page.locator("#panel").is_visible()
        assert page.evaluate("window.pwned === undefined")
        assert "<script>window.pwned=5</script>" in page.locator("#panel").inner_text()
        assert page.locator("img").count() == 0
        assert [u for u in requests if not u.startswith(LOCAL_SCHEMES)] == []
        assert problems == []
    finally:
        context.close()
