"""The HTML page, without a browser: self-contained, deterministic, data escaped; the CLI."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from relaxgraph.cli import cli
from relaxgraph.network import to_networkx
from relaxgraph.sparql import OxigraphEngine
from relaxgraph.viz import PHYSICS_THRESHOLD, HTMLView, page_data, render, visualize

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def engine_for(name: str) -> OxigraphEngine:
    store = ox.Store()
    store.load(path=str(FIXTURES / name), format=ox.RdfFormat.TURTLE)
    return OxigraphEngine(store)


def embedded_data(page: str) -> dict:  # type: ignore[type-arg]
    m = re.search(r'<script type="application/json" id="rg-data">(.*?)</script>', page, re.S)
    assert m is not None
    return json.loads(m.group(1))  # type: ignore[no-any-return]


def test_page_is_self_contained() -> None:
    page = visualize(engine_for("viz_small.ttl"))
    assert isinstance(page, HTMLView) and isinstance(page, str)
    # no element loads anything: no src= or href= attribute outside the data and scripts
    tags = re.findall(r"<(script|link|img|iframe)\b([^>]*)>", page)
    assert all("src=" not in attrs and "href=" not in attrs for _, attrs in tags)
    assert "cdn" not in page.lower().split("<script>", 1)[0]
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "vis.Network" in page and "vis-network" in page  # the library is inlined


def test_page_data_counts_match_the_graph() -> None:
    graph = to_networkx(engine_for("viz_small.ttl"))
    data = embedded_data(render(graph))
    assert len(data["nodes"]) == graph.number_of_nodes()
    assert len(data["edges"]) == graph.number_of_edges()
    assert sum(k["count"] for k in data["kinds"]) == graph.number_of_nodes()
    assert sum(row[5] for row in data["nodes"]) == 1  # the flagged statistic
    assert sum(row[3] for row in data["edges"]) == 1  # the flagged mechanism link
    assert data["physics"] is True


def test_output_is_deterministic(tmp_path: Path) -> None:
    a = visualize(engine_for("viz_small.ttl"), output=tmp_path / "a.html")
    b = visualize(engine_for("viz_small.ttl"), output=tmp_path / "b.html")
    assert a == b
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_hostile_data_cannot_break_out_of_the_data_element() -> None:
    page = visualize(engine_for("viz_hostile.ttl"))
    data_part = re.search(r'id="rg-data">(.*?)</script>', page, re.S)
    assert data_part is not None
    raw = data_part.group(1)
    assert "<" not in raw and ">" not in raw and "&" not in raw
    labels = [row[0] for row in json.loads(raw)["nodes"]]
    assert "<img src=x onerror=alert(1)>" in labels
    assert "onerror=alert(1)" not in page.replace(raw, "")


def test_physics_switches_off_above_the_threshold() -> None:
    import networkx as nx

    graph = nx.MultiDiGraph()
    n = PHYSICS_THRESHOLD + 1
    for i in range(n):
        graph.add_node(f"n{i:05d}", kind="SideEffect" if i % 3 else "Drug", label=f"node {i}")
    for i in range(1, n):
        graph.add_edge(
            f"n{(i // 3) * 3:05d}", f"n{i:05d}", key="rgo:hasSideEffect", label="has side effect"
        )
    data = page_data(graph)
    assert data["physics"] is False and data["options"]["physics"]["enabled"] is False
    xs = {(row[3], row[4]) for row in data["nodes"]}
    assert len(xs) > 0.95 * n  # positions computed in Python, nearly all distinct
    assert page_data(graph, physics="on")["physics"] is True


def test_repr_html_is_an_iframe_with_escaped_srcdoc() -> None:
    page = visualize(engine_for("viz_hostile.ttl"))
    frame = page._repr_html_()
    assert frame.startswith("<iframe srcdoc=")
    assert "<script" not in frame  # every tag of the page is escaped inside the attribute
    assert 'sandbox="allow-scripts' in frame


def test_cli_writes_only_the_named_file(tmp_path: Path) -> None:
    runner = CliRunner()
    before = set(os.listdir(tmp_path))
    with runner.isolated_filesystem(temp_dir=tmp_path) as cwd:
        result = runner.invoke(
            cli, ["viz", "--focus", "baclofen", "--depth", "1", "-o", "out.html"]
        )
        assert result.exit_code == 0, result.output
        assert sorted(os.listdir(cwd)) == ["out.html"]
        assert Path(cwd, "out.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert set(os.listdir(tmp_path)) - before  # only the isolated folder appeared


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--focus", "no-such-entity-at-all"], 4, "unknown entity"),
        (["--query", "no-such-query"], 2, "unknown query"),
        (["-o", "missing-folder/out.html"], 2, "does not exist"),
        (["--file", "missing.rq"], 2, "no query file"),
    ],
)
def test_cli_bad_input_is_one_line_and_writes_nothing(
    tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    runner = CliRunner()
    with runner.isolated_filesystem(temp_dir=tmp_path) as cwd:
        full = ["viz", *args] if "-o" in args else ["viz", *args, "-o", "out.html"]
        result = runner.invoke(cli, full)
        assert result.exit_code == code, result.output
        assert message in result.output
        assert "Traceback" not in result.output
        assert os.listdir(cwd) == []


def test_cli_draws_a_catalogue_construct(tmp_path: Path) -> None:
    out = tmp_path / "q.html"
    result = CliRunner().invoke(
        cli,
        ["viz", "--query", "entity-neighbourhood", "--param", "entity=baclofen", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    data = embedded_data(out.read_text(encoding="utf-8"))
    assert "baclofen" in [row[0].lower() for row in data["nodes"]]
