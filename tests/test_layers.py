"""Layers: each source in its own named graph, declared once in ``layers.toml`` (issue 11, item 2)."""

from __future__ import annotations

import csv
import io
import json
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import relaxgraph
from relaxgraph.cli import cli
from relaxgraph.data.layer_registry import (
    LAYER_NAMESPACE,
    Layer,
    attribution_markdown,
    layers,
    load_layers,
    read_registry,
    registry,
    restrict,
    union_triples,
)
from relaxgraph.errors import (
    DataFileError,
    InvalidArgumentError,
    LayerRegistryError,
    UnknownEntityError,
    UnknownLayerError,
)
from relaxgraph.querying.sparql import run
from relaxgraph.storage.engines import OxigraphEngine, connect
from relaxgraph.storage.store import bundled_store, load_files, open_store

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
PACKAGE = Path(relaxgraph.__file__).parent


def count(engine: object, text: str = COUNT) -> int:
    return int(run(engine, text).rows()[0].n)  # type: ignore[arg-type]


def file_triples(layer: Layer) -> set[ox.Triple]:
    """The triples of a layer's files, parsed on their own (what its named graph must hold)."""
    found: set[ox.Triple] = set()
    for name in layer.files:
        fmt = ox.RdfFormat.TURTLE if name.endswith(".ttl") else ox.RdfFormat.N_TRIPLES
        found |= {q.triple for q in ox.parse((PACKAGE / name).read_bytes(), format=fmt)}
    return found


def _ground(t: ox.Triple) -> bool:
    return not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)


SHIPPED = registry().layers
DEFAULT = [layer for layer in SHIPPED if not layer.optional]


# --- the registry ----------------------------------------------------------------------------


def test_todays_layers_are_declared() -> None:
    assert [layer.id for layer in SHIPPED] == [
        "ontology",
        "guide",
        "curation",
        "identifiers",
        "reference",
        "entailed",
        "assessments",
    ]
    assert [layer.id for layer in SHIPPED if layer.optional] == ["entailed"]
    assert registry().get("guide").graph == LAYER_NAMESPACE + "guide"


@pytest.mark.parametrize("layer", SHIPPED, ids=lambda layer: layer.id)
def test_every_layer_has_a_licence_attribution_source_and_builder(layer: Layer) -> None:
    for field in ("licence", "attribution", "source", "version", "builder", "title"):
        assert getattr(layer, field).strip(), f"layer {layer.id} has no {field}"
    assert layer.files and all((PACKAGE / f).is_file() for f in layer.files)


@pytest.mark.parametrize("missing", ["licence", "attribution"])
def test_a_layer_without_licence_or_attribution_is_refused(tmp_path: Path, missing: str) -> None:
    text = (PACKAGE / "data" / "layers.toml").read_text(encoding="utf-8")
    broken = "\n".join(line for line in text.splitlines() if not line.startswith(f"{missing} = "))
    path = tmp_path / "layers.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(LayerRegistryError, match=f"has no {missing}"):
        read_registry(path)


@pytest.mark.parametrize(
    "entry,message",
    [
        ('graph = "http://example.org/g"', "must be an IRI under"),
        ('files = ["x.owl"]', "neither Turtle"),
        ('licence = "MIT"\nshiped = false', "unknown field"),
        ('licence = "MIT"\nshipped = 1', "must be true or false"),
        ('licence = "MIT"\nbuild = "x:y"', "build is for a layer with shipped = false"),
    ],
)
def test_bad_registry_entries_teach(tmp_path: Path, entry: str, message: str) -> None:
    fields = {
        "id": '"x"',
        "graph": f'"{LAYER_NAMESPACE}x"',
        "title": '"t"',
        "description": '"d"',
        "source": '"s"',
        "version": '"1"',
        "licence": '"MIT"',
        "attribution": '"a"',
        "files": '["x.ttl"]',
        "builder": '"b"',
    }
    key = entry.split(" = ")[0]
    lines = [f"{k} = {v}" for k, v in fields.items() if k != key]
    path = tmp_path / "layers.toml"
    path.write_text("[[layer]]\n" + "\n".join([*lines, entry]) + "\n", encoding="utf-8")
    with pytest.raises(LayerRegistryError, match=message):
        read_registry(path)


def test_attribution_file_is_generated_from_the_registry() -> None:
    shipped = (PACKAGE / "data" / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert shipped == attribution_markdown(), (
        "ATTRIBUTION.md is out of date: python -m relaxgraph.data.layer_registry > "
        "src/relaxgraph/data/ATTRIBUTION.md"
    )
    for layer in SHIPPED:
        assert layer.licence in shipped and layer.attribution in shipped


# --- named graphs and the union --------------------------------------------------------------


def test_each_layer_is_in_its_own_named_graph() -> None:
    store = bundled_store()
    assert not list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert set(store.named_graphs()) == {layer.node for layer in DEFAULT}
    for layer in DEFAULT:
        in_graph = {q.triple for q in store.quads_for_pattern(None, None, None, layer.node)}
        expected = file_triples(layer)
        assert len(in_graph) == len(expected)
        # (literals compare after the store's canonical form: "80.0"^^xsd:decimal is 80)
        assert {(t.subject, t.predicate) for t in in_graph if _ground(t)} == {
            (t.subject, t.predicate) for t in expected if _ground(t)
        }


def test_shipped_layers_are_disjoint() -> None:
    """The union counts a triple once per layer that holds it: keep the layers disjoint."""
    seen: set[ox.Triple] = set()
    for layer in DEFAULT:
        triples = file_triples(layer)
        assert not seen & triples, f"{layer.id} repeats triples of an earlier layer"
        seen |= triples


def test_queries_see_the_union_and_can_name_a_layer() -> None:
    engine = connect()
    sizes = {s.layer.id: s.triples for s in layers()}
    assert count(engine) == sum(sizes[layer.id] for layer in DEFAULT)
    guide = registry().get("guide").graph
    assert (
        count(engine, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{guide}> {{ ?s ?p ?o }} }}")
        == (sizes["guide"])
    )
    assert count(connect(layers=["guide"])) == sizes["guide"]
    assert count(connect(layers=["curation", "identifiers"])) == (
        sizes["curation"] + sizes["identifiers"]
    )
    assert count(connect(layers=["entailed"])) == sizes["entailed"]
    assert count(connect(layers=["identifiers"], backend="rdflib")) == sizes["identifiers"]


def test_a_layer_selection_answers_catalogue_queries_from_those_layers_only() -> None:
    everything = relaxgraph.query("side-effects", drug="baclofen").rows()
    without_guide = connect(layers=["ontology", "curation", "identifiers"])
    assert everything
    with pytest.raises(UnknownEntityError):  # baclofen's label is the guide's
        relaxgraph.query("side-effects", drug="baclofen", engine=without_guide)
    drugs = "SELECT ?d WHERE { ?d a <https://w3id.org/relaxgraph/ontology#Drug> }"
    assert run(connect(), drugs).rows()
    assert not run(connect(layers=["ontology", "identifiers"]), drugs).rows()


def test_load_returns_the_union_or_the_layers_asked_for() -> None:
    sizes = {s.layer.id: s.triples for s in layers()}
    assert len(relaxgraph.load()) == sum(sizes[layer.id] for layer in DEFAULT)
    assert len(relaxgraph.load(layers=["identifiers"])) == sizes["identifiers"]
    assert len(relaxgraph.load(store="memory", layers=["curation"])) == sizes["curation"]
    with pytest.raises(UnknownLayerError, match="did you mean 'guide'"):
        relaxgraph.load(layers=["gide"])


def test_unknown_or_misplaced_layer_selections_teach() -> None:
    with pytest.raises(UnknownLayerError, match="did you mean 'curation'"):
        connect(layers=["curaton"])
    with pytest.raises(InvalidArgumentError, match="not an endpoint"):
        connect(endpoint="http://127.0.0.1:9/sparql", layers=["guide"])
    with pytest.raises(InvalidArgumentError, match="at least one"):
        connect(layers=[])


# --- adding a layer takes one registry entry and its file -------------------------------------

TINY = """\
[[layer]]
id = "tiny"
graph = "https://w3id.org/relaxgraph/graph/tiny"
title = "A tiny test layer"
description = "One fact, to show that a layer needs only this entry and its file."
source = "Written for the test."
version = "1"
licence = "CC0-1.0"
attribution = "No attribution required (CC0)."
files = ["tiny.ttl"]
builder = "written by hand"
"""


def test_a_new_layer_is_one_registry_entry_and_its_file(tmp_path: Path) -> None:
    (tmp_path / "layers.toml").write_text(TINY, encoding="utf-8")
    (tmp_path / "tiny.ttl").write_text(
        "<https://w3id.org/relaxgraph/id/baclofen> "
        '<http://www.w3.org/2000/01/rdf-schema#comment> "from the tiny layer" .\n',
        encoding="utf-8",
    )
    reg = read_registry(tmp_path / "layers.toml")
    store = bundled_store()
    load_layers(store, reg.select(), reg)
    engine = OxigraphEngine(store)
    comment = "SELECT ?c WHERE { <https://w3id.org/relaxgraph/id/baclofen> rdfs:comment ?c }"
    prefixed = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " + comment
    assert "from the tiny layer" in {r.c for r in run(engine, prefixed).rows()}  # the union
    by_name = "SELECT ?s ?c WHERE { GRAPH <https://w3id.org/relaxgraph/graph/tiny> { ?s ?p ?c } }"
    rows = run(engine, by_name).rows()
    assert [(r.s, r.c) for r in rows] == [
        ("https://w3id.org/relaxgraph/id/baclofen", "from the tiny layer")
    ]
    assert count(engine) == len(bundled_store()) + 1  # and the other layers are all there
    only = OxigraphEngine(restrict(store, ["tiny"], reg))
    assert count(only) == 1
    summary = layers(reg)
    assert [(s.layer.id, s.triples, s.layer.licence) for s in summary] == [("tiny", 1, "CC0-1.0")]
    assert "No attribution required (CC0)." in attribution_markdown(reg)


# --- stores, export, server, command line ----------------------------------------------------


def test_disk_store_gets_the_layers_in_their_named_graphs(tmp_path: Path) -> None:
    data = tmp_path / "extra.nt"
    data.write_text('<http://example.org/a> <http://example.org/p> "x" .\n', encoding="utf-8")
    db = tmp_path / "db"
    load_files([data], store_path=db)
    store = open_store(db)
    assert {layer.node for layer in DEFAULT} <= set(store.named_graphs())
    n = len(bundled_store())
    assert sum(1 for _ in union_triples(store)) == n + 1
    assert count(connect(store=str(db))) == n + 1
    assert count(connect(store=str(db), layers=["curation"])) == layers()[2].triples
    result = CliRunner().invoke(cli, ["layers", "--store", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    counted = {row["id"]: row["triples"] for row in json.loads(result.output)}
    assert counted["guide"] == layers()[1].triples and counted["entailed"] == 0


@pytest.mark.parametrize("fmt", ["nq", "trig"])
def test_export_as_quads_keeps_each_layer_in_its_graph(fmt: str) -> None:
    data = relaxgraph.export(fmt)
    rdf = ox.RdfFormat.N_QUADS if fmt == "nq" else ox.RdfFormat.TRIG
    quads = list(ox.parse(data, format=rdf))
    by_graph: dict[str, int] = {}
    for q in quads:
        by_graph[str(q.graph_name)] = by_graph.get(str(q.graph_name), 0) + 1
    sizes = {s.layer.id: s.triples for s in layers()}
    assert by_graph == {str(layer.node): sizes[layer.id] for layer in DEFAULT}
    assert relaxgraph.export(fmt) == data  # deterministic


def test_server_default_graph_is_the_union_and_a_layer_can_be_named() -> None:
    from relaxgraph.server.endpoint import SparqlServer

    sizes = {s.layer.id: s.triples for s in layers()}
    with SparqlServer(bundled_store(), port=0, examples=[]) as server:

        def n(**extra: str) -> int:
            url = server.url + "?" + urllib.parse.urlencode({"query": COUNT, **extra})
            with urllib.request.urlopen(url, timeout=60) as r:
                return int(json.loads(r.read())["results"]["bindings"][0]["n"]["value"])

        assert n() == sum(sizes[layer.id] for layer in DEFAULT)
        assert n(**{"default-graph-uri": LAYER_NAMESPACE + "curation"}) == sizes["curation"]


def test_layers_command_lists_ids_graphs_counts_licences() -> None:
    runner = CliRunner()
    table = runner.invoke(cli, ["layers"])
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert max(map(len, lines)) <= 120  # the attribution is wrapped below the table
    words = " ".join(table.output.split())
    for layer in SHIPPED:
        assert layer.id in table.output and layer.graph in table.output
        assert f"{layer.id}: {' '.join(layer.attribution.split())}" in words
    rows = list(
        csv.DictReader(io.StringIO(runner.invoke(cli, ["layers", "--format", "csv"]).output))
    )
    assert [r["id"] for r in rows] == [layer.id for layer in SHIPPED]
    assert all(r["licence"] and r["attribution"] and int(r["triples"]) > 0 for r in rows)
    doc = json.loads(runner.invoke(cli, ["layers", "--format", "json"]).output)
    assert doc[1]["graph"] == LAYER_NAMESPACE + "guide" and doc[1]["builder"]


def test_layer_option_on_the_command_line() -> None:
    runner = CliRunner()
    sizes = {s.layer.id: s.triples for s in layers()}
    one = runner.invoke(cli, ["query", "-e", COUNT, "--layer", "identifiers", "--format", "csv"])
    assert one.exit_code == 0, one.output
    assert one.output.split()[-1] == str(sizes["identifiers"])
    two = runner.invoke(
        cli, ["query", "-e", COUNT, "--layer", "guide", "--layer", "curation", "--format", "csv"]
    )
    assert two.output.split()[-1] == str(sizes["guide"] + sizes["curation"])
    bad = runner.invoke(cli, ["stats", "--layer", "gide"])
    assert bad.exit_code == 2
    assert "unknown layer 'gide'" in bad.output and "relaxgraph layers" in bad.output
    assert "Traceback" not in bad.output


def test_library_lists_layers() -> None:
    assert "layers" in relaxgraph.__all__
    summary = relaxgraph.layers()
    assert [s.layer.id for s in summary] == [layer.id for layer in SHIPPED]
    assert all(s.triples > 0 and s.layer.licence and s.layer.attribution for s in summary)


# --- a layer kept out of the wheel, built on first use ----------------------------------------

BUILT: list[Path] = []


def build_big(folder: Path) -> None:
    """The builder of the unshipped fixture layer: writes its one file (and counts its calls)."""
    BUILT.append(folder)
    (folder / "big.nt").write_text(
        "<https://w3id.org/relaxgraph/id/baclofen> "
        '<http://www.w3.org/2000/01/rdf-schema#comment> "built on demand" .\n',
        encoding="utf-8",
    )


BIG = (
    TINY.replace('id = "tiny"', 'id = "big"')
    .replace("graph/tiny", "graph/big")
    .replace(
        'files = ["tiny.ttl"]',
        f'files = ["big.nt"]\nshipped = false\nbuild = "{__name__}:build_big"',
    )
)


def test_an_unshipped_layer_is_built_on_first_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("RELAXGRAPH_DATA", str(data))
    (tmp_path / "layers.toml").write_text(BIG, encoding="utf-8")
    reg = read_registry(tmp_path / "layers.toml")
    big = reg.get("big")
    assert not big.shipped and not reg.available(big)
    assert [(s.layer.id, s.triples) for s in layers(reg)] == [("big", None)]  # listing never builds
    BUILT.clear()
    store = ox.Store()
    load_layers(store, reg.select(), reg)
    assert len(BUILT) == 1 and (data / "big" / "big.nt").is_file()
    assert count(OxigraphEngine(store)) == 1
    load_layers(ox.Store(), reg.select(), reg)
    assert len(BUILT) == 1  # built once, then read from the data folder
    assert [(s.layer.id, s.triples) for s in layers(reg)] == [("big", 1)]
    assert not list(data.glob(".big.*"))  # no scratch folder left behind


def test_an_unshipped_layer_without_builder_says_where_to_put_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELAXGRAPH_DATA", str(tmp_path / "data"))
    text = BIG.replace(f'build = "{__name__}:build_big"\n', "")
    (tmp_path / "layers.toml").write_text(text, encoding="utf-8")
    reg = read_registry(tmp_path / "layers.toml")
    with pytest.raises(DataFileError, match="not shipped and not built: put its files in"):
        load_layers(ox.Store(), reg.select(), reg)


def test_shipped_layers_are_in_the_package_and_unshipped_ones_are_not() -> None:
    """The wheel packages src/relaxgraph only: shipped files must be there, others outside."""
    for layer in SHIPPED:
        inside = all((PACKAGE / name).is_file() for name in layer.files)
        assert inside == layer.shipped, layer.id


def test_union_leaves_out_named_graphs_that_are_not_layers() -> None:
    store = bundled_store()
    n = len(store)
    other = ox.NamedNode("http://example.org/mine")
    store.add(
        ox.Quad(
            ox.NamedNode("http://example.org/a"),
            ox.NamedNode("http://example.org/p"),
            ox.Literal("x"),
            other,
        )
    )
    assert OxigraphEngine(bundled_store()).dataset == {"use_default_graph_as_union": True}
    engine = OxigraphEngine(store)
    assert "default_graph" in engine.dataset  # the explicit list, without <mine>
    assert count(engine) == n
    assert (
        count(
            engine, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/mine> { ?s ?p ?o } }"
        )
        == 1
    )
    assert count(OxigraphEngine(ox.Store())) == 0  # no layers: the default graph as before
