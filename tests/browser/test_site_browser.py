"""The site in Debian's chromium: served by ``relaxgraph serve`` and written by ``relaxgraph site``.

Every test records console messages, page errors, dialogs and requests: no page may ask
another host for anything, log an error, or run code from a label. axe-core (the PyPI package
``axe-playwright-python``) checks every kind of page: no serious or critical violation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from relaxgraph.server.endpoint import SparqlServer

pytestmark = pytest.mark.browser

LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
HOSTILE = "<img src=x onerror=alert(1)>"
READY = "() => !!(window.relaxgraph && relaxgraph.ready && relaxgraph.drawn)"
#: Chromium's software GL logs a performance note (a warning) when a WebGL canvas is read back;
#: it is the browser's, not the page's: every other console message fails the tests.
GL_DRIVER_NOTE = re.compile(r"^\[\.WebGL-0x[0-9a-f]+\]GL Driver Message \(OpenGL, Performance, ")


def hostile_store() -> Any:
    import pyoxigraph as ox

    from relaxgraph.storage.store import bundled_store

    store = bundled_store()
    fixture = Path(__file__).parents[1] / "fixtures" / "viz_hostile.ttl"
    store.load(path=str(fixture), format=ox.RdfFormat.TURTLE)
    assessment = Path(__file__).parents[1] / "fixtures" / "site_assessment.ttl"
    store.load(path=str(assessment), format=ox.RdfFormat.TURTLE)
    return store


class Visit:
    """A page with every console message, page error, dialog and request recorded."""

    def __init__(self, page: Any, base: str):
        self.page = page
        self.base = base
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.console.append((m.type, m.text)))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def go(self, url: str) -> Visit:
        self.page.goto(url)
        self.wait()
        return self

    def wait(self) -> None:
        self.page.wait_for_function(READY, timeout=60_000)

    def elsewhere(self) -> list[str]:
        return [
            u for u in self.requests if not (u.startswith(self.base) or u.startswith(LOCAL_SCHEMES))
        ]

    def problems(self) -> list[str]:
        shown = [t for kind, t in self.console if kind in ("error", "warning")]
        return [t for t in shown if not GL_DRIVER_NOTE.match(t)] + self.errors

    def check_clean(self) -> None:
        assert self.elsewhere() == []
        assert self.problems() == []
        assert self.dialogs == []
        assert self.page.evaluate("() => window.__pwned === undefined")

    def axe(self) -> list[str]:
        from axe_playwright_python.sync_playwright import Axe

        options: dict[str, Any] = {"resultTypes": ["violations"]}
        if self.base.startswith("file:"):
            # axe's preload reads the style sheets with XMLHttpRequest, which chromium refuses
            # (and logs) on file://; it serves only the css-orientation-lock rule
            options["preload"] = False
        results = Axe().run(self.page, options=options)
        return [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]


@pytest.fixture(scope="module")
def server() -> Iterator[SparqlServer]:
    with SparqlServer(hostile_store(), port=0, site=True, timeout=10, max_rows=2000) as s:
        yield s


@pytest.fixture
def visit(browser: Any, server: SparqlServer) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield Visit(context.new_page(), server.url[: -len("sparql")])
    finally:
        context.close()


def test_home_entity_query_network_walkthrough(visit: Visit) -> None:
    page = visit.go(visit.base).page
    assert "What is in the graph, by layer" in page.inner_text("main")
    assert visit.axe() == []
    # every entity is a link to its page, listed by kind
    page.locator("details", has=page.locator("a[href='id/baclofen']")).locator("summary").click()
    page.click("main a[href='id/baclofen']")
    visit.wait()
    assert page.url.endswith("/id/baclofen")
    assert page.inner_text("h1") == "baclofen"
    assert int(page.get_attribute("#network", "data-nodes") or 0) > 5
    assert page.locator("a[href^='https://www.ebi.ac.uk/chebi/']").count() == 1
    assert visit.axe() == []
    page.click("main a[href='../id/lioresal']")
    visit.wait()
    assert page.inner_text("h1") == "Lioresal"
    # the query page: a catalogue query with a parameter from the form
    page.click("header a:text-is('Query')")
    visit.wait()
    assert "Time limit 10 s" in page.inner_text("#limits")
    assert visit.axe() == []
    page.click("button.example[data-name='drugs-for-condition']")
    visit.wait()
    field = page.locator("#param-condition")
    assert field.get_attribute("list") == "names-Condition"
    assert page.locator("#names-Condition option[value='multiple sclerosis']").count() == 1
    field.fill("multiple sclerosis")
    field.press("Enter")
    visit.wait()
    assert "rows" in page.inner_text("#status")
    table = page.inner_text("#result-table")
    assert "baclofen" in table
    assert page.locator("#result-table a[href='id/baclofen']").count() >= 1
    # downloads go through the endpoint, in every format
    hrefs = page.eval_on_selector_all("#downloads a", "as => as.map(a => a.textContent)")
    assert hrefs == ["CSV", "TSV", "JSON", "XML"]
    # the network, and back
    page.click("#view-network")
    visit.wait()
    assert page.is_visible("#result-network canvas")
    assert int(page.get_attribute("#result-network", "data-nodes") or 0) >= 2
    assert page.get_attribute("#view-network", "aria-pressed") == "true"
    page.click("#view-table")
    assert page.is_visible("#result-table table") and not page.is_visible("#result-network")
    # sortable columns
    page.click("#result-table th >> nth=0 >> button")
    assert page.get_attribute("#result-table th >> nth=0", "aria-sort") == "ascending"
    page.click("#result-table th >> nth=0 >> button")
    assert page.get_attribute("#result-table th >> nth=0", "aria-sort") == "descending"
    assert visit.axe() == []
    page.click("header a:text-is('Network')")
    visit.wait()
    assert int(page.get_attribute("#network", "data-nodes") or 0) > 100
    assert visit.axe() == []
    visit.check_clean()


def test_home_page_finds_an_entity_by_name(visit: Visit) -> None:
    page = visit.go(visit.base).page
    assert page.locator("#names-all option[value='Lioresal']").count() == 1
    page.fill("#find-name", "no such thing")
    page.press("#find-name", "Enter")
    assert "No entity is called that" in page.inner_text("#find-error")
    page.fill("#find-name", "lioresal")  # any case; a brand name opens the brand's page
    page.press("#find-name", "Enter")
    visit.wait()
    assert page.url.endswith("/id/lioresal") and page.inner_text("h1") == "Lioresal"
    visit.go(visit.base)
    page.fill("#find-name", HOSTILE)
    page.press("#find-name", "Enter")
    visit.wait()
    assert page.url.endswith("/id/hostile-drug")
    visit.check_clean()


def test_construct_result_as_a_network(visit: Visit) -> None:
    page = visit.go(visit.base + "query?example=entity-neighbourhood").page
    page.click("#run")
    visit.wait()
    assert "triples" in page.inner_text("#status")
    labels = page.eval_on_selector_all("#downloads a", "as => as.map(a => a.textContent)")
    assert labels == ["Turtle", "N-Triples", "JSON-LD"]
    page.click("#view-network")
    visit.wait()
    assert int(page.get_attribute("#result-network", "data-edges") or 0) > 0
    visit.check_clean()


def test_numbers_sort_as_numbers(visit: Visit) -> None:
    page = visit.go(visit.base + "query").page
    page.click(".CodeMirror")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text("SELECT ?n WHERE { VALUES ?n { 10 9 100 2.5 } }")
    page.click("#run")
    visit.wait()
    page.click("#result-table th >> nth=0 >> button")
    cells = page.eval_on_selector_all(
        "#result-table tbody td", "tds => tds.map(t => t.textContent)"
    )
    assert cells == ["2.5", "9", "10", "100"]
    visit.check_clean()


def test_syntax_error_is_shown_at_its_position(visit: Visit) -> None:
    page = visit.go(visit.base + "query").page
    page.click(".CodeMirror")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type("SELECT * WHERE { ?s ?p }")
    page.click("#run")
    visit.wait()
    error = page.inner_text("#error")
    assert "400" in error and "line 1, column" in error
    assert page.locator(".error-mark").count() == 1
    # updates are refused
    page.click(".CodeMirror")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type("INSERT DATA { <a:b> <a:c> <a:d> }")
    page.click("#run")
    visit.wait()
    assert "read-only" in page.inner_text("#error")
    # the editor completes this graph's prefixes without asking any other host
    page.click(".CodeMirror")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type("PREFIX rg")
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".CodeMirror-hints", timeout=10_000)
    assert "rgo: <https://w3id.org/relaxgraph/ontology#>" in page.inner_text(".CodeMirror-hints")
    assert visit.elsewhere() == []
    assert visit.errors == [] and visit.dialogs == []


def test_hostile_labels_stay_inert(visit: Visit) -> None:
    page = visit.go(visit.base + "id/hostile-drug").page
    assert page.inner_text("h1") == HOSTILE
    assert page.locator("main img").count() == 0 and page.locator("main svg").count() == 0
    visit.go(visit.base + "id/hostile-effect")
    visit.go(visit.base + "query?example=side-effects")
    page.fill("#param-drug", HOSTILE)
    page.press("#param-drug", "Enter")
    visit.wait()
    page.click("#view-network")
    visit.wait()
    visit.go(visit.base)
    visit.check_clean()


def test_keyboard_narrow_screen_and_print(browser: Any, server: SparqlServer) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        visit = Visit(context.new_page(), server.url[: -len("sparql")])
        for path in ("", "id/baclofen", "query", "network"):
            page = visit.go(visit.base + path).page
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 320, (path, width)
        # keyboard: the first Tab reaches the skip link, which moves focus to the content
        page = visit.go(visit.base + "id/baclofen").page
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.className") == "skip"
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main"
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.tagName") == "A"
        # a catalogue query found, run and sorted with the keyboard only
        page = visit.go(visit.base + "query").page
        page.focus("#cat-filter")
        page.keyboard.type("side effects of a drug")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.dataset.name") == "side-effects"
        page.keyboard.press("Enter")
        visit.wait()
        assert "dizziness" in page.inner_text("#result-table")
        page.focus("#view-network")
        page.keyboard.press("Enter")
        visit.wait()
        assert page.is_visible("#result-network")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")
        assert page.is_visible("#result-table")
        page = visit.go(visit.base + "id/baclofen").page
        # printed: no navigation, no canvas, the content stays
        page.emulate_media(media="print")
        assert not page.is_visible("header") and not page.is_visible("#network")
        assert page.is_visible("h1")
        visit.check_clean()
    finally:
        context.close()


def test_guide_is_linked_only_when_the_library_has_it(visit: Visit) -> None:
    from relaxgraph.server.pages import report_function

    page = visit.go(visit.base).page
    has_guide = report_function(None) is not None
    assert page.locator("header a:text-is('Annotated guide')").count() == int(has_guide)
    if not has_guide:
        response = page.goto(visit.base + "guide")
        assert response is not None and response.status == 404
        return
    page.click("header a:text-is('Annotated guide')")
    page.wait_for_load_state()
    assert visit.axe() == []
    page.click("main a[href*='id/baclofen']")
    visit.wait()
    assert page.inner_text("h1") == "baclofen"
    visit.check_clean()


STAND_IN_REPORT = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>The annotated guide'
    "</title></head><body><main><h1>The annotated guide</h1><p>its text</p></main></body></html>"
)


def test_guide_page_links_to_entities(browser: Any) -> None:
    """The site's side of /guide (navigation, links to the entities), with a stand-in report."""
    from relaxgraph.server.pages import SitePages
    from relaxgraph.storage.engines import OxigraphEngine

    store = hostile_store()
    with SparqlServer(store, port=0, site=True) as server:
        server.site = SitePages(OxigraphEngine(store), report=lambda: STAND_IN_REPORT)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            visit = Visit(context.new_page(), server.url[: -len("sparql")])
            page = visit.go(visit.base).page
            page.click("header a:text-is('Annotated guide')")
            page.wait_for_load_state()
            assert page.inner_text("h1") == "The annotated guide"
            assert visit.axe() == []
            page.click("a[href='id/baclofen']")
            visit.wait()
            assert page.inner_text("h1") == "baclofen"
            assert "test verdict" in page.inner_text("#h-claims + div, .claims")
            visit.check_clean()
        finally:
            context.close()


def test_large_graph_network_page_is_the_webgl_view(
    browser: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the WebGL view's threshold (lowered here) /network is that view, with the site's links."""
    from relaxgraph.views import webgl

    monkeypatch.setattr(webgl, "WEBGL_THRESHOLD", 50)
    with SparqlServer(hostile_store(), port=0, site=True) as server:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            visit = Visit(context.new_page(), server.url[: -len("sparql")])
            page = visit.page
            page.goto(visit.base + "network")
            page.wait_for_function(
                "() => !!(window.relaxgraph && relaxgraph.kind === 'webgl' && relaxgraph.drawn)",
                timeout=60_000,
            )
            assert page.evaluate("() => relaxgraph.nodeCount") > 50
            page.click("nav[aria-label='Site'] a:text-is('Home')")
            visit.wait()
            assert "What is in the graph, by layer" in page.inner_text("main")
            visit.check_clean()
        finally:
            context.close()


# --- the static site ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from relaxgraph.storage.engines import OxigraphEngine
    from relaxgraph.views.site import write_site

    return write_site(tmp_path_factory.mktemp("site") / "site", OxigraphEngine(hostile_store()))


def test_static_site_from_file(browser: Any, site_dir: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        visit = Visit(context.new_page(), "file://")
        page = visit.go((site_dir / "index.html").as_uri()).page
        assert visit.axe() == []
        drugs = page.locator("details", has=page.locator("a[href='id/baclofen.html']"))
        drugs.locator("summary").press("Enter")  # by keyboard
        page.click("main a[href='id/baclofen.html']")
        visit.wait()
        assert page.inner_text("h1") == "baclofen"
        assert int(page.get_attribute("#network", "data-nodes") or 0) > 5
        assert visit.axe() == []
        page.click("main a[href='../id/dizziness.html']")
        visit.wait()
        assert page.inner_text("h1") == "dizziness"
        page.click("header a:text-is('Query')")
        visit.wait()
        assert "relaxgraph serve" in page.inner_text("#limits")
        page.click("button.example[data-name='side-effects']")
        visit.wait()
        assert page.is_disabled("#param-drug")
        assert "dizziness" in page.inner_text("#result-table")
        page.click("#view-network")
        visit.wait()
        assert int(page.get_attribute("#result-network", "data-nodes") or 0) >= 2
        page.click("#view-table")
        assert page.is_visible("#result-table table")
        # an edited query is not run from the results computed ahead
        page.click(".CodeMirror")
        page.keyboard.press("End")
        page.keyboard.insert_text(" LIMIT 1")
        page.click("#run")
        visit.wait()
        assert "needs relaxgraph serve" in page.inner_text("#error")
        page.click("button.example[data-name='side-effects']")
        visit.wait()
        # downloads are made in the page (blob:), none asks a server
        assert page.eval_on_selector_all(
            "#downloads a", "as => as.every(a => a.href.startsWith('blob:'))"
        )
        assert visit.axe() == []
        page.click("header a:text-is('Network')")
        visit.wait()
        assert visit.axe() == []
        visit.go((site_dir / "id" / "hostile-drug.html").as_uri())
        assert page.inner_text("h1") == HOSTILE
        visit.check_clean()
    finally:
        context.close()
