"""The viewer colours the guide's claims by verdict (issue 13): legend, link colours, details."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from relaxgraph.views.network import from_entities, neighbourhood, to_networkx
from relaxgraph.views.viz import page_data, visualize

pytestmark = pytest.mark.browser


def test_links_are_coloured_by_verdict_and_the_details_show_reason_and_evidence(
    opened: Any, tmp_path: Path
) -> None:
    graph = neighbourhood(to_networkx(), "https://w3id.org/relaxgraph/id/baclofen", 1)
    data = page_data(graph)
    verdicts = [d.get("verdict") for d in data["edgeDetails"]]
    contradicted = verdicts.index("Contradicted")
    # a link the verdict colours (a flagged link keeps the flag's red dashes)
    supported = next(
        j for j, v in enumerate(verdicts) if v == "Supported" and not data["edges"][j][3]
    )
    out = tmp_path / "baclofen.html"
    visualize(graph, output=out)
    opened.open(out)
    page = opened.page
    assert opened.console_errors() == [] and opened.external_requests() == []
    assert page.locator("#rg-verdict-key li").count() == 6
    colour = page.evaluate(f"relaxgraph.edges.get({supported}).color.color")
    assert colour == "#2e9d57"
    page.evaluate(f"relaxgraph.showEdge({contradicted})")
    box = page.locator("#rg-details .rg-assessment").first
    assert box.is_visible()
    text = box.inner_text()
    assert text.startswith("Verdict: contradicted")
    reason = data["edgeDetails"][contradicted]["assessments"][0]["reason"]
    assert reason in text
    links = box.locator("a")
    assert links.count() >= 1 and (links.first.get_attribute("href") or "").startswith("https://")
    assert opened.console_errors() == [] and opened.external_requests() == []


def test_page_data_carries_one_verdict_per_assessed_link() -> None:
    graph = from_entities(["https://w3id.org/relaxgraph/id/baclofen"])
    for _u, _v, data in graph.edges(data=True):
        for a in data.get("assessments", []):
            assert a["verdict"] and a["reason"]
