"""The viewer in a real browser: it draws, offline, with the graph's counts, search and evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from relaxgraph.storage.engines import OxigraphEngine
from relaxgraph.views.network import to_networkx
from relaxgraph.views.viz import visualize

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def engine_for(name: str) -> OxigraphEngine:
    store = ox.Store()
    store.load(path=str(FIXTURES / name), format=ox.RdfFormat.TURTLE)
    return OxigraphEngine(store)


def wait_until_still(page: Any) -> None:
    """Wait until the view and the nodes stop moving (a focus animation or the physics has
    ended): the same view and positions twice, 250 ms apart (a loaded machine may skip frames)."""
    page.wait_for_function(
        """() => new Promise(done => {
             const n = window.relaxgraph.network;
             const state = () => JSON.stringify([n.getViewPosition(), n.getScale(), n.getPositions()]);
             const a = state();
             setTimeout(() => done(a === state()), 250); })""",
        timeout=60_000,
    )


def click_node(page: Any, node_id: int) -> None:
    """Click on a node where it is drawn on the canvas (a real mouse click)."""
    wait_until_still(page)
    point = page.evaluate(
        """id => { const n = window.relaxgraph.network;
                   const p = n.canvasToDOM(n.getPositions([id])[id]);
                   const r = n.body.container.getBoundingClientRect();
                   return {x: r.left + p.x, y: r.top + p.y}; }""",
        node_id,
    )
    page.mouse.click(point["x"], point["y"])


def canvas_has_ink(page: Any) -> bool:
    return bool(
        page.evaluate(
            """() => { const c = document.querySelector('#rg-graph canvas');
                       const ctx = c.getContext('2d');
                       const d = ctx.getImageData(0, 0, c.width, c.height).data;
                       let ink = 0;
                       for (let i = 3; i < d.length; i += 4) if (d[i] > 0) ink++;
                       return ink > 500; }"""
        )
    )


def test_bundled_graph_draws_offline_with_all_nodes_and_edges(opened: Any, tmp_path: Path) -> None:
    graph = to_networkx()
    out = tmp_path / "graph.html"
    visualize(graph, output=out)
    opened.open(out)
    page = opened.page
    assert opened.console_errors() == []
    assert opened.external_requests() == []
    assert canvas_has_ink(page)
    counts = page.evaluate(
        "[relaxgraph.nodes.length, relaxgraph.edges.length,"
        " Object.keys(relaxgraph.network.body.nodes).length]"
    )
    assert counts[0] == graph.number_of_nodes()
    assert counts[1] == graph.number_of_edges()
    assert counts[2] >= graph.number_of_nodes()  # every node is in the drawing
    assert list(tmp_path.iterdir()) == [out]  # no lib/ folder, nothing else written


def test_search_finds_selects_and_click_shows_evidence(opened: Any, tmp_path: Path) -> None:
    out = tmp_path / "small.html"
    visualize(engine_for("viz_small.ttl"), output=out)
    opened.open(out)
    page = opened.page
    assert opened.console_errors() == [] and opened.external_requests() == []
    # typing a synonym in the search box lists the node; Enter selects it and shows details
    page.fill("#rg-search", "lighthead")
    assert page.locator("#rg-results li").first.inner_text().startswith("Dizziness")
    page.press("#rg-search", "Enter")
    dizziness = page.evaluate("relaxgraph.idOf('rg:dizziness')")
    assert page.evaluate("relaxgraph.network.getSelectedNodes()") == [dizziness]
    assert page.locator("#rg-details h3").inner_text() == "Dizziness"
    # a real click on the flagged statistic shows its flag, section and quoted evidence
    stat = page.evaluate("relaxgraph.idOf('rg:stat-ms-mobility')")
    click_node(page, stat)
    details = page.locator("#rg-details")
    page.wait_for_function(  # the click is handled by the next event-loop turns, not at once
        "id => document.querySelector('#rg-details').dataset.node === id", arg=str(stat)
    )
    assert details.get_attribute("data-node") == str(stat)
    text = details.inner_text()
    assert "Flagged: unsupported statistic" in text
    assert "Statistical data: Baclofen\u2019s effectiveness in various case studies" in text
    assert "Multiple Sclerosis 80% 75% 90%" in text
    assert "characters 14465\u201314495" in text
    # the drug's identifier is a link to its public page, opened without referrer
    click_node(page, page.evaluate("relaxgraph.idOf('rg:baclofen')"))
    link = page.locator("#rg-details a", has_text="DB00181")
    assert link.get_attribute("href") == "https://go.drugbank.com/drugs/DB00181"
    assert link.get_attribute("rel") == "noopener noreferrer"
    # an edge's details: the flagged mechanism link, with its quote
    edge = page.evaluate(
        "relaxgraph.edges.get().find(e => e.label.indexOf('has mechanism') >= 0).id"
    )
    page.evaluate(f"relaxgraph.showEdge({edge})")
    assert "By enhancing the activity of GABA receptors" in details.inner_text()
    assert "pharmacologically unsupported" in details.inner_text()
    # filters by kind hide and show nodes
    page.uncheck('#rg-legend input[data-kind="SideEffect"]')
    assert page.evaluate("relaxgraph.nodes.get({filter: n => n.hidden}).length") == 2
    assert opened.external_requests() == []


def test_hostile_labels_stay_inert(opened: Any, tmp_path: Path) -> None:
    out = tmp_path / "hostile.html"
    visualize(engine_for("viz_hostile.ttl"), output=out)
    page = opened.page
    page.on(
        "dialog", lambda d: (_ for _ in ()).throw(AssertionError(f"a dialog opened: {d.message}"))
    )
    opened.open(out)
    assert opened.console_errors() == []
    assert opened.external_requests() == []
    hostile = "<img src=x onerror=alert(1)>"
    ids = page.evaluate(f"relaxgraph.search({hostile!r})")
    assert len(ids) == 1
    page.evaluate(f"relaxgraph.select({ids[0]})")
    details = page.locator("#rg-details")
    assert details.locator("h3").inner_text() == hostile  # shown as text
    click_node(page, page.evaluate("relaxgraph.idOf('rg:hostile-effect')"))
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


UNSAFE = "[\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069\\u0000-\\u0008\\u000b-\\u001f]"


def test_huge_bidi_and_odd_labels_are_cut_neutralised_and_inert(
    opened: Any, tmp_path: Path
) -> None:
    engine = engine_for("viz_edge_cases.ttl")
    huge = "Baclofen " + "x" * 200_000
    engine.store.add(
        ox.Quad(
            ox.NamedNode("https://w3id.org/relaxgraph/id/odd-effect"),
            ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
            ox.Literal(huge),  # sorts before its other label, "effect", so it is the one drawn
        )
    )
    out = tmp_path / "odd.html"
    visualize(engine, output=out)
    page = opened.page
    page.on(
        "dialog", lambda d: (_ for _ in ()).throw(AssertionError(f"a dialog opened: {d.message}"))
    )
    opened.open(out)
    assert opened.console_errors() == []
    assert opened.external_requests() == []
    assert canvas_has_ink(page)
    # what the canvas draws: every label short, and none with a bidi or control character
    drawn = page.evaluate("relaxgraph.nodes.get().map(n => n.label)")
    assert max(len(label) for label in drawn) <= 82
    assert (
        page.evaluate(f"relaxgraph.nodes.get().filter(n => /{UNSAFE}/.test(n.label)).length") == 0
    )
    assert "harmless\ufffdtxt.exe\ufffd and \ufffdisolated\ufffd" in drawn
    # the huge label is whole in the details panel, and in the search
    effect = page.evaluate("relaxgraph.idOf('rg:odd-effect')")
    assert page.evaluate(f"relaxgraph.search({huge[-50:]!r})") == [effect]
    click_node(page, effect)
    details = page.locator("#rg-details")
    assert details.get_attribute("data-node") == str(effect)
    assert len(details.locator("h3").inner_text()) == len(huge)
    # the spoofing label is shown with its controls made visible, in an isolated box
    spoofed = page.evaluate("relaxgraph.idOf('rg:spoofed')")
    page.evaluate(f"relaxgraph.select({spoofed})")
    heading = details.locator("h3")
    assert heading.inner_text() == "harmless\ufffdtxt.exe\ufffd and \ufffdisolated\ufffd"
    assert heading.evaluate("h => getComputedStyle(h).unicodeBidi") == "plaintext"
    assert page.evaluate(f"/{UNSAFE}/.test(document.body.innerText)") is False
    # an edge's heading isolates each label from the arrows around it
    edge = page.evaluate(
        f"relaxgraph.edges.get().find(e => e.to === {spoofed} || e.from === {spoofed}).id"
    )
    page.evaluate(f"relaxgraph.showEdge({edge})")
    assert heading.locator("bdi").count() == 3
    assert page.evaluate("document.querySelectorAll('img, svg, iframe, script[src]').length") == 0
    assert opened.external_requests() == []


def test_reference_facts_show_apart_with_their_source_and_record(
    opened: Any, tmp_path: Path
) -> None:
    """Issue 12: what public sources say has its own section, style and legend key, with links."""
    from relaxgraph.views.network import neighbourhood

    baclofen = "https://w3id.org/relaxgraph/id/baclofen"
    out = tmp_path / "baclofen.html"
    visualize(neighbourhood(to_networkx(), baclofen, 1), output=out)
    opened.open(out)
    page = opened.page
    assert opened.console_errors() == [] and opened.external_requests() == []
    assert "reference layer, not the guide" in page.locator(".rg-flag-key").last.inner_text()
    click_node(page, page.evaluate("relaxgraph.idOf('rg:baclofen')"))
    details = page.locator("#rg-details")
    assert "what public sources say (39)" in details.inner_text().lower()  # h2: upper case
    target = page.locator(".rg-ref", has_text="has target: GABBR1 (agonist)")
    assert "Source: DrugCentral 2016" in target.inner_text()
    record = target.locator("a", has_text="record")
    assert record.get_attribute("href", timeout=5_000).startswith("https://")
    assert record.get_attribute("rel") == "noopener noreferrer"
    boxed = page.locator(".rg-ref", has_text="boxed warning: abrupt discontinuation")
    assert "intrathecal baclofen" in boxed.locator("blockquote").inner_text()
    href = boxed.locator("a", has_text="record").get_attribute("href")
    assert href is not None and href.startswith("https://api.fda.gov/drug/label.json?search=")
    # the guide's evidence and the reference facts are in different boxes
    assert page.locator(".rg-evidence .rg-ref, .rg-ref .rg-evidence").count() == 0
    assert opened.external_requests() == []
