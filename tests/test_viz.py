"""The HTML page, without a browser: self-contained, deterministic, data escaped; the CLI."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from relaxgraph.cli import cli
from relaxgraph.storage.engines import OxigraphEngine
from relaxgraph.views.network import to_networkx
from relaxgraph.views.viz import PHYSICS_THRESHOLD, HTMLView, page_data, render, visualize

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


def test_cli_writes_only_the_named_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli, ["viz", "--focus", "baclofen", "--depth", "1", "-o", "out.html"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(tmp_path)) == ["out.html"]
    assert (tmp_path / "out.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


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
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], code: int, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    full = ["viz", *args] if "-o" in args else ["viz", *args, "-o", "out.html"]
    result = CliRunner().invoke(cli, full)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert os.listdir(tmp_path) == []


def test_cli_draws_a_catalogue_construct(tmp_path: Path) -> None:
    out = tmp_path / "q.html"
    result = CliRunner().invoke(
        cli,
        ["viz", "--query", "entity-neighbourhood", "--param", "entity=baclofen", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    data = embedded_data(out.read_text(encoding="utf-8"))
    assert "baclofen" in [row[0].lower() for row in data["nodes"]]


# --- the vendored vis-network ------------------------------------------------------------


def test_vendored_vis_network_is_the_recorded_file_with_its_licences() -> None:
    import hashlib
    import tomllib
    from importlib.resources import files

    from relaxgraph.views.viz import VIS_NETWORK_SHA256, VIS_NETWORK_VERSION, vis_network_js

    static = files("relaxgraph.views") / "static"
    script = (static / "vis-network.min.js").read_bytes()
    assert hashlib.sha256(script).hexdigest() == VIS_NETWORK_SHA256
    assert f"@version {VIS_NETWORK_VERSION}".encode() in script[:400]
    assert b"Apache License" in (static / "LICENSE-APACHE-2.0").read_bytes()
    assert b"MIT License" in (static / "LICENSE-MIT").read_bytes()
    assert VIS_NETWORK_SHA256 in (static / "README.md").read_text(encoding="utf-8")
    assert vis_network_js() in visualize(engine_for("viz_small.ttl"))
    assert "sourceMappingURL" not in vis_network_js()  # the page names no other file
    root = Path(__file__).resolve().parents[1]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not [d for d in project["dependencies"] if d.startswith("pyvis")]
    for source in (root / "src" / "relaxgraph").rglob("*.py"):
        assert "import pyvis" not in source.read_text(encoding="utf-8"), source


# --- legal but unusual data --------------------------------------------------------------

BIDI_AND_CONTROLS = re.compile(
    "[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


def test_unusual_values_make_a_page_with_strict_json() -> None:
    page = visualize(engine_for("viz_edge_cases.ttl"))
    data = embedded_data(page)
    raw = re.search(r'id="rg-data">(.*?)</script>', page, re.S).group(1)  # type: ignore[union-attr]
    json.loads(raw, parse_constant=lambda c: pytest.fail(f"JSON holds {c}"))
    rows = {d["iri"]: (row, d) for row, d in zip(data["nodes"], data["nodeDetails"], strict=True)}
    _, drug = rows["https://w3id.org/relaxgraph/id/odd-drug"]
    measures = next(v for k, v in drug["properties"].items() if k.startswith("measure"))
    assert sorted(measures) == ["INF", "NaN"]  # XSD's spelling, as text
    assert drug["properties"]["count"] == ["123456789012345678901234567890"]  # exact, as text
    starts = [e.get("start") for e in drug["evidence"]]
    assert starts == [5, "five", "NaN"]  # numbers first, then the rest; nothing lost
    assert not BIDI_AND_CONTROLS.search(json.dumps(data, ensure_ascii=False))


def test_bidi_controls_and_control_characters_are_shown_not_obeyed() -> None:
    data = page_data(to_networkx(engine_for("viz_edge_cases.ttl")))
    labels = [row[0] for row in data["nodes"]]
    assert "harmless\ufffdtxt.exe\ufffd and \ufffdisolated\ufffd" in labels
    assert "odd\ufffddrug\ufffd[2J\ufffd" in labels
    assert not BIDI_AND_CONTROLS.search(json.dumps(data, ensure_ascii=False))
    title = page_data(nx_graph_with_label("x\u202eyz"), title="t\u202eitle")["title"]
    assert title == "t\ufffditle"


def nx_graph_with_label(label: str) -> Any:
    import networkx as nx

    graph = nx.MultiDiGraph()
    graph.add_node("https://w3id.org/relaxgraph/id/x", kind="Drug", label=label)
    graph.add_node("https://w3id.org/relaxgraph/id/y", kind="SideEffect", label="y")
    graph.add_edge(
        "https://w3id.org/relaxgraph/id/x", "https://w3id.org/relaxgraph/id/y",
        key="rgo:hasSideEffect", label="has side effect " + label,
    )  # fmt: skip
    return graph


def test_a_huge_label_is_drawn_cut_and_kept_whole_for_the_details() -> None:
    from relaxgraph.views.viz import LABEL_LIMIT

    huge = "Baclofen " + "x" * 200_000
    data = page_data(nx_graph_with_label(huge))
    drawn = data["nodes"][0][0]
    assert len(drawn) <= LABEL_LIMIT and drawn.endswith("\u2026") and huge.startswith(drawn[:-1])
    assert data["nodeDetails"][0]["label"] == huge
    assert "label" not in data["nodeDetails"][1]  # short labels are not repeated
    (prop,) = data["props"]
    assert len(prop["label"]) <= LABEL_LIMIT and prop["fullLabel"] == "has side effect " + huge
    assert len(page_data(nx_graph_with_label("x"), title=huge)["title"]) <= 200


# --- bad arguments -----------------------------------------------------------------------


def test_bad_arguments_raise_relaxgraph_errors_before_any_work(tmp_path: Path) -> None:
    from relaxgraph.errors import InvalidArgumentError, OutputPathError
    from relaxgraph.views.network import neighbourhood

    engine = engine_for("viz_small.ttl")
    for call in (
        lambda: visualize(engine, focus="baclofen", depth=-1),
        lambda: visualize(engine, physics="fast"),  # type: ignore[arg-type]
        lambda: to_networkx(engine, focus="baclofen", depth=-2),
        lambda: to_networkx(engine, depth=1),
        lambda: neighbourhood(to_networkx(engine), "https://w3id.org/relaxgraph/id/baclofen", -1),
    ):
        with pytest.raises(InvalidArgumentError) as info:
            call()
        assert isinstance(info.value, ValueError)
    for output in (tmp_path, tmp_path / "missing" / "g.html"):
        with pytest.raises(OutputPathError) as where:
            visualize(engine, output=output)
        assert isinstance(where.value, OSError) and str(output) in str(where.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--focus", "baclofen", "--depth", "-1"], "-1"), (["-o", "."], "is a folder")],
)
def test_cli_viz_bad_arguments_exit_2_with_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    full = ["viz", *args] if "-o" in args else ["viz", *args, "-o", "out.html"]
    result = CliRunner().invoke(cli, full)
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and message in errors[0], result.output
    assert "Traceback" not in result.output
    assert os.listdir(tmp_path) == []


def test_large_layouts_need_numpy_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """networkx's spring layout needs scipy from 500 nodes on; the hub layout stays below."""
    import networkx as nx

    from relaxgraph.views.viz import layout

    sizes: list[int] = []
    spring = nx.spring_layout

    def recording(graph: Any, *args: Any, **kwargs: Any) -> Any:
        sizes.append(len(graph))
        return spring(graph, *args, **kwargs)

    monkeypatch.setattr(nx, "spring_layout", recording)
    graph = nx.MultiDiGraph()
    for i in range(1, 25_000):  # one large component, plus 300 small ones that each get an anchor
        graph.add_edge(f"m{i // 40}", f"m{i}", key="k")
    for t in range(300):
        graph.add_edges_from([(f"t{t}a", f"t{t}b"), (f"t{t}b", f"t{t}c"), (f"t{t}c", f"t{t}a")])
    pos = layout(graph)
    assert len(pos) == graph.number_of_nodes()
    assert sizes and max(sizes) < 500
