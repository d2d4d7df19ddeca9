"""The WebGL page, without a browser: vendored scripts, the switch, compact data, the CLI."""

from __future__ import annotations

import hashlib
import json
import os
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from relaxgraph.cli import cli
from relaxgraph.errors import InvalidArgumentError
from relaxgraph.storage.engines import OxigraphEngine
from relaxgraph.views import webgl
from relaxgraph.views.network import to_networkx
from relaxgraph.views.viz import page_data, visualize

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def engine_for(name: str) -> OxigraphEngine:
    store = ox.Store()
    store.load(path=str(FIXTURES / name), format=ox.RdfFormat.TURTLE)
    return OxigraphEngine(store)


def embedded_data(page: str) -> Any:
    m = re.search(r'<script type="application/json" id="rg-data">(.*?)</script>', page, re.S)
    assert m is not None
    return json.loads(m.group(1))


def is_webgl(page: str) -> bool:
    return "new Sigma(graph" in page and "vis.Network" not in page


def bare_graph(n: int) -> nx.MultiDiGraph:
    """``n`` nodes in a chain (cheap to lay out), labelled like entities."""
    graph = nx.MultiDiGraph()
    for i in range(n):
        graph.add_node(f"urn:x:{i}", label=f"node {i}", kind="Drug")
    for i in range(n - 1):
        graph.add_edge(f"urn:x:{i}", f"urn:x:{i + 1}", key="rel", label="rel")
    return graph


# --- the vendored scripts -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "sha", "version", "licence"),
    [
        (("sigma", "sigma.min.js"), webgl.SIGMA_SHA256, webgl.SIGMA_VERSION, "Alexis Jacomy"),
        (
            ("graphology", "graphology.umd.min.js"),
            webgl.GRAPHOLOGY_SHA256,
            webgl.GRAPHOLOGY_VERSION,
            "Guillaume Plique",
        ),
    ],
)
def test_vendored_scripts_are_the_recorded_files_with_their_licences(
    path: tuple[str, str], sha: str, version: str, licence: str
) -> None:
    static = files("relaxgraph.views") / "static"
    folder = static / path[0]
    script = (folder / path[1]).read_bytes()
    assert hashlib.sha256(script).hexdigest() == sha
    licence_text = (folder / "LICENSE.txt").read_text(encoding="utf-8")
    assert "MIT" in licence_text or "Permission is hereby granted" in licence_text
    assert licence in licence_text
    readme = (static / "README.md").read_text(encoding="utf-8")
    assert sha in readme and f"{path[0]}` {version}" in readme
    # only the built bundle and licences are shipped: no sources, maps or package files
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [path[1], "LICENSE.txt"]
        + (["LICENSE-events.txt", "LICENSE-graphology-utils.txt"] if path[0] == "sigma" else [])
    )


def test_page_inlines_both_scripts_and_names_no_other_file() -> None:
    page = visualize(engine_for("viz_small.ttl"), renderer="webgl")
    assert webgl.sigma_js() in page and webgl.graphology_js() in page
    assert "sourceMappingURL" not in page
    tags = re.findall(r"<(script|link|img|iframe)\b([^>]*)>", page)
    assert all("src=" not in attrs and "href=" not in attrs for _, attrs in tags)
    assert "Content-Security-Policy" in page and "connect-src 'none'" in page


# --- the switch -----------------------------------------------------------------------------


def test_auto_switches_to_webgl_above_the_threshold() -> None:
    n = webgl.WEBGL_THRESHOLD
    assert not is_webgl(visualize(bare_graph(n)))
    assert is_webgl(visualize(bare_graph(n + 1)))
    assert not is_webgl(visualize(bare_graph(n + 1), renderer="canvas"))
    assert is_webgl(visualize(bare_graph(3), renderer="webgl"))


def test_unknown_renderer_is_refused_before_any_work(tmp_path: Path) -> None:
    out = tmp_path / "x.html"
    with pytest.raises(InvalidArgumentError, match="renderer is 'auto', 'canvas' or 'webgl'"):
        visualize(bare_graph(3), renderer="svg", output=out)  # type: ignore[arg-type]
    assert not out.exists()


# --- the data -------------------------------------------------------------------------------


def test_data_is_the_canvas_views_with_shared_evidence_and_implied_iris() -> None:
    graph = to_networkx(engine_for("viz_small.ttl"))
    data = webgl.webgl_page_data(graph)
    canvas = page_data(graph, physics="off")
    assert [row[:3] + row[5:] for row in data["nodes"]] == [
        row[:3] + row[5:] for row in canvas["nodes"]
    ]
    assert data["edges"] == canvas["edges"] and data["props"] == canvas["props"]
    assert data["kinds"] == canvas["kinds"]
    # evidence by index into one table, giving back exactly the canvas view's records
    for mine, theirs in zip(
        data["nodeDetails"] + data["edgeDetails"],
        canvas["nodeDetails"] + canvas["edgeDetails"],
        strict=True,
    ):
        assert [data["evidence"][i] for i in mine.get("evidence", [])] == theirs.get("evidence", [])
    for mine, theirs in zip(data["nodeDetails"], canvas["nodeDetails"], strict=True):
        # an IRI is left out only where prefix + local part gives it back
        if "iri" not in mine:
            prefix, local = mine["curie"].split(":", 1)
            assert data["prefixes"][prefix] + local == theirs["iri"]
    assert any("iri" not in d for d in data["nodeDetails"])
    assert "options" not in data and "physics" not in data


def test_shared_evidence_is_stored_once() -> None:
    graph = bare_graph(50)
    quote = {"section": "S", "quote": "the same words", "start": 1, "end": 15}
    for u, v, key in list(graph.edges(keys=True)):
        graph.edges[u, v, key]["evidence"] = [quote]
    data = webgl.webgl_page_data(graph)
    assert data["evidence"] == [quote]
    assert all(d == {"evidence": [0]} for d in data["edgeDetails"])


def test_layout_is_deterministic_finite_and_keeps_fragments_near() -> None:
    graph = bare_graph(300)
    for i in range(40):  # forty pairs apart from the chain
        graph.add_edge(f"urn:pair:{i}:a", f"urn:pair:{i}:b", key="rel")
    a, b = webgl.layout(graph), webgl.layout(graph)
    assert a == b and set(a) == set(graph.nodes)
    xs = [x for x, _ in a.values()]
    ys = [y for _, y in a.values()]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    assert all(abs(v) < 1e6 for v in xs + ys)
    # packed in rows: the drawing is not a long strip nor a main blob with far-flung pairs
    assert 0.2 < width / height < 5


def test_hostile_labels_stay_data() -> None:
    page = visualize(engine_for("viz_hostile.ttl"), renderer="webgl")
    for element in ("rg-data", "rg-details-data"):
        data_part = re.search(rf'id="{element}">(.*?)</script>', page, re.S)
        assert data_part is not None and len(data_part.group(1)) > 100
        assert "<" not in data_part.group(1) and ">" not in data_part.group(1)
    assert "<img src=x onerror" not in page


def test_output_is_deterministic(tmp_path: Path) -> None:
    a = visualize(engine_for("viz_small.ttl"), renderer="webgl", output=tmp_path / "a.html")
    b = visualize(engine_for("viz_small.ttl"), renderer="webgl", output=tmp_path / "b.html")
    assert a == b == (tmp_path / "a.html").read_text(encoding="utf-8")


# --- the command line -----------------------------------------------------------------------


def test_cli_renderer_switch(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["viz", "--renderer", "webgl", "-o", str(tmp_path / "g.html")])
    assert result.exit_code == 0, result.output
    assert os.listdir(tmp_path) == ["g.html"]
    assert is_webgl((tmp_path / "g.html").read_text(encoding="utf-8"))
    result = runner.invoke(cli, ["viz", "--renderer", "canvas", "-o", str(tmp_path / "c.html")])
    assert result.exit_code == 0, result.output
    assert not is_webgl((tmp_path / "c.html").read_text(encoding="utf-8"))


def test_cli_bad_renderer_is_one_line_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["viz", "--renderer", "svg", "-o", str(tmp_path / "g.html")])
    assert result.exit_code == 2
    assert "'svg' is not one of 'auto', 'canvas', 'webgl'" in result.output
    assert "Traceback" not in result.output
    assert os.listdir(tmp_path) == []
