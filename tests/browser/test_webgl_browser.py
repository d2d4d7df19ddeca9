"""The WebGL view in a real browser: it draws offline, search and details work, labels stay inert.

Headless chromium has no GPU here: WebGL runs on SwiftShader, and chromium's GL driver logs a
performance note ("GPU stall due to ReadPixels") for each WebGL canvas it reads back to
composite the page. Those notes come from the browser, not from the page; every other
console message, warning or page error fails the tests.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest

from relaxgraph.storage.engines import OxigraphEngine
from relaxgraph.views import webgl
from relaxgraph.views.viz import visualize

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GL_DRIVER_NOTE = re.compile(r"^\[\.WebGL-0x[0-9a-f]+\]GL Driver Message \(OpenGL, Performance, ")


def engine_for(name: str) -> OxigraphEngine:
    store = ox.Store()
    store.load(path=str(FIXTURES / name), format=ox.RdfFormat.TURTLE)
    return OxigraphEngine(store)


def page_problems(opened: Any) -> list[str]:
    """Console errors, warnings and page errors, but chromium's own GL driver notes."""
    return [m for m in opened.console_errors() if not GL_DRIVER_NOTE.match(m)]


def drawing_colours(page: Any) -> int:
    """How many distinct colours the drawing area shows (a blank area shows one or two)."""
    from PIL import Image

    shot = Image.open(io.BytesIO(page.locator("#rg-graph").screenshot())).convert("RGB")
    return len(shot.getcolors(maxcolors=1_000_000) or [])


def wait_until_still(page: Any) -> None:
    page.wait_for_function(
        """() => new Promise(done => { const c = relaxgraph.renderer.getCamera(), a = c.getState();
             setTimeout(() => { const b = c.getState();
               done(!c.isAnimated() && a.x === b.x && a.y === b.y && a.ratio === b.ratio); }, 150); })""",
        timeout=30_000,
    )


def click_node(page: Any, node_id: int) -> None:
    """A real mouse click where the node is drawn, with the whole graph in view."""
    # camera.animate cancels a running animation (a search's focus on another node, which would
    # otherwise go on moving the camera after a setState) and calls back when it has arrived.
    page.evaluate(
        """() => new Promise(done => relaxgraph.renderer.getCamera().animate(
             {x: 0.5, y: 0.5, ratio: 1, angle: 0}, {duration: 50}, () => done(true)))"""
    )
    # Sigma picks the node under the mouse from what it last drew: let two frames be drawn with
    # the new camera first (on a loaded machine 150 ms may pass without one).
    page.evaluate(
        "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"
    )
    point = page.evaluate(f"relaxgraph.pointOf({node_id})")
    box = page.locator("#rg-graph").bounding_box()
    assert box is not None
    assert box["x"] <= point["x"] <= box["x"] + box["width"], (point, box)
    assert box["y"] <= point["y"] <= box["y"] + box["height"], (point, box)
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function(  # the click is handled by the next event-loop turns, not at once
        "id => document.querySelector('#rg-details').dataset.node === id", arg=str(node_id)
    )


def test_webgl_view_draws_offline_and_search_and_details_work(opened: Any, tmp_path: Path) -> None:
    out = tmp_path / "small.html"
    visualize(engine_for("viz_small.ttl"), renderer="webgl", output=out)
    opened.open(out, timeout_ms=60_000)
    page = opened.page
    assert page_problems(opened) == []
    assert opened.external_requests() == []
    assert page.evaluate("relaxgraph.kind") == "webgl"
    # sigma drew every node (each has display data and none is hidden), and pixels show it
    n = page.evaluate("relaxgraph.graph.order")
    assert n == page.evaluate("relaxgraph.nodeCount") > 5
    shown = page.evaluate(
        "relaxgraph.graph.nodes().filter(k => { const d = relaxgraph.renderer.getNodeDisplayData(k);"
        " return d && !d.hidden; }).length"
    )
    assert shown == n
    assert drawing_colours(page) > 20
    # search by synonym: the list shows the node, Enter selects it and fills the details
    page.fill("#rg-search", "lighthead")
    assert page.locator("#rg-results li").first.inner_text().startswith("Dizziness")
    page.press("#rg-search", "Enter")
    dizziness = page.evaluate("relaxgraph.idOf('rg:dizziness')")
    assert page.evaluate("relaxgraph.selectedNode()") == dizziness
    assert page.locator("#rg-details h3").inner_text() == "Dizziness"
    # a real click on the flagged statistic shows its flag, section and quoted evidence
    stat = page.evaluate("relaxgraph.idOf('rg:stat-ms-mobility')")
    click_node(page, stat)
    details = page.locator("#rg-details")
    assert details.get_attribute("data-node") == str(stat)
    text = details.inner_text()
    assert "Flagged: unsupported statistic" in text
    assert "Statistical data: Baclofen\u2019s effectiveness in various case studies" in text
    assert "Multiple Sclerosis 80% 75% 90%" in text
    assert "characters 14465\u201314495" in text
    # the drug's identifier links to its public page; its links are buttons to their details
    page.evaluate("relaxgraph.select('rg:baclofen')")
    link = page.locator("#rg-details a", has_text="DB00181")
    assert link.get_attribute("href") == "https://go.drugbank.com/drugs/DB00181"
    assert link.get_attribute("rel") == "noopener noreferrer"
    mechanism = page.locator("#rg-details ul.rg-links button", has_text="has mechanism")
    mechanism.focus()
    page.keyboard.press("Enter")  # by keyboard
    assert details.get_attribute("data-edge") is not None
    assert "By enhancing the activity of GABA receptors" in details.inner_text()
    assert "pharmacologically unsupported" in details.inner_text()
    # the drawing pans with the arrow keys
    wait_until_still(page)
    before = page.evaluate("relaxgraph.renderer.getCamera().getState().x")
    page.focus("#rg-graph")
    page.keyboard.press("ArrowRight")
    wait_until_still(page)
    assert page.evaluate("relaxgraph.renderer.getCamera().getState().x") > before
    # filters by kind hide nodes
    page.uncheck('#rg-legend input[data-kind="SideEffect"]')
    hidden = page.evaluate(
        "relaxgraph.graph.nodes().filter(k => relaxgraph.renderer.getNodeDisplayData(k).hidden).length"
    )
    assert hidden == 2
    assert page_problems(opened) == []
    assert opened.external_requests() == []


def test_webgl_hostile_labels_stay_inert(opened: Any, tmp_path: Path) -> None:
    out = tmp_path / "hostile.html"
    visualize(engine_for("viz_hostile.ttl"), renderer="webgl", output=out)
    page = opened.page
    page.on(
        "dialog", lambda d: (_ for _ in ()).throw(AssertionError(f"a dialog opened: {d.message}"))
    )
    opened.open(out, timeout_ms=60_000)
    assert page_problems(opened) == []
    hostile = "<img src=x onerror=alert(1)>"
    ids = page.evaluate(f"relaxgraph.search({hostile!r})")
    assert len(ids) == 1
    page.evaluate(f"relaxgraph.select({ids[0]})")
    details = page.locator("#rg-details")
    assert details.locator("h3").inner_text() == hostile  # shown as text
    page.evaluate("relaxgraph.showEdge(0)")
    text = details.inner_text()
    assert "</script><script>window.__pwned = 'quote'</script><!--" in text
    assert "javascript:" in text  # the hostile source is text, not a link
    assert details.locator("a").count() == 0
    page.fill("#rg-search", "<svg")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('img, svg, iframe, script[src]').length") == 0
    assert opened.external_requests() == []


def test_auto_picks_webgl_above_the_threshold(opened: Any, tmp_path: Path) -> None:
    n = webgl.WEBGL_THRESHOLD + 1
    graph = nx.MultiDiGraph()
    for i in range(n):
        graph.add_node(f"urn:x:{i}", label=f"node {i}", kind="Drug" if i % 10 else "DrugClass")
    for i in range(1, n):
        graph.add_edge(f"urn:x:{i}", f"urn:x:{(i // 10) * 10}", key="rel", label="is a")
    out = tmp_path / "large.html"
    visualize(graph, output=out)  # renderer="auto"
    opened.open(out, timeout_ms=60_000)
    page = opened.page
    assert page.evaluate("relaxgraph.kind") == "webgl"
    assert page.evaluate("relaxgraph.graph.order") == n
    assert drawing_colours(page) > 5
    assert page.evaluate("relaxgraph.search('node 9999')[0]") == page.evaluate(
        "relaxgraph.idOf('urn:x:9999')"
    )
    assert page_problems(opened) == []
    assert opened.external_requests() == []


def test_without_webgl_the_page_says_what_to_do(browser: Any, tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "browser_conftest", Path(__file__).with_name("conftest.py")
    )
    assert spec is not None and spec.loader is not None
    settings = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(settings)  # the same chromium and flags as the other tests
    ARGS, CHROMIUM = settings.ARGS, settings.CHROMIUM
    out = tmp_path / "small.html"
    visualize(engine_for("viz_small.ttl"), renderer="webgl", output=out)
    no_webgl = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*ARGS, "--disable-webgl"]
    )
    try:
        page = no_webgl.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(out.resolve().as_uri())
        page.wait_for_function("() => !!(window.relaxgraph && relaxgraph.error)", timeout=30_000)
        status = page.locator("#rg-status")
        assert status.get_attribute("role") == "alert"
        assert "cannot draw with WebGL" in status.inner_text()
        assert "--renderer canvas" in status.inner_text()
        assert [
            u for u in requests if not u.startswith(("file:", "data:", "blob:", "about:"))
        ] == []
    finally:
        no_webgl.close()


def test_webgl_details_show_reference_facts_and_verdicts_like_the_canvas_view(
    opened: Any, tmp_path: Path
) -> None:
    """Both views share one details panel (views/_details_panel.js): the WebGL view too shows what
    public sources say about a node and the verdict on a claim (it showed neither before)."""
    from relaxgraph.storage.engines import connect

    out = tmp_path / "bundled.html"
    visualize(connect(), renderer="webgl", output=out)
    opened.open(out, timeout_ms=60_000)
    page = opened.page
    assert page.evaluate("relaxgraph.kind") == "webgl"
    page.evaluate("relaxgraph.select('rg:baclofen')")
    details = page.locator("#rg-details")
    text = details.text_content() or ""  # as written, not as styled (headings are upper case)
    assert "What public sources say" in text
    record = details.locator(".rg-ref a", has_text="record").first
    assert (record.get_attribute("href") or "").startswith("https://")
    details.locator("ul.rg-links button", has_text="has mechanism").first.click()
    assert details.get_attribute("data-edge") is not None
    assert "Verdict: " in (details.text_content() or "")
    assert page_problems(opened) == [] and opened.external_requests() == []
