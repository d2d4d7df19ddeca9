"""Exports: GraphML valid against the GraphML schema, GraphML and GEXF that networkx reads back
whole, CSV blank nodes, JSON-LD with a context, one list of formats, errors for bad arguments;
and ``relaxgraph.load()`` answering as an rdflib graph does.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import relaxgraph
from relaxgraph.cli import cli
from relaxgraph.errors import InvalidArgumentError, RelaxgraphError
from relaxgraph.storage.engines import OxigraphEngine
from relaxgraph.views.exporting import EXPORT_FORMATS, export, network_bytes
from relaxgraph.views.network import flatten_for_export, to_networkx

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"
XSD = "{http://www.w3.org/2001/XMLSchema}"
RG = "https://w3id.org/relaxgraph/id/"


def engine_for(name: str) -> OxigraphEngine:
    store = ox.Store()
    store.load(path=str(FIXTURES / name), format=ox.RdfFormat.TURTLE)
    return OxigraphEngine(store)


@pytest.fixture(scope="module")
def bundled() -> nx.MultiDiGraph:
    return to_networkx()


@pytest.fixture(scope="module")
def odd() -> nx.MultiDiGraph:
    return to_networkx(engine_for("viz_edge_cases.ttl"))


@pytest.fixture(scope="module")
def schema() -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(FIXTURES / "graphml-minimal.xsd"))


def schema_errors(schema: Any, data: bytes) -> list[str]:
    """The schema's complaints, then every data value that does not fit its key's attr.type."""
    errors = [str(e).splitlines()[0] for e in schema.iter_errors(io.BytesIO(data))]
    types = schema.maps.types
    root = ET.fromstring(data)
    keys = {k.get("id"): k for k in root.iter(GRAPHML_NS + "key")}
    scope_of = {GRAPHML_NS + "node": "node", GRAPHML_NS + "edge": "edge"}
    for owner in root.iter():
        if owner.tag not in scope_of:
            continue
        for item in owner.iter(GRAPHML_NS + "data"):
            key = keys[item.get("key")]
            kind = key.get("attr.type", "string")
            if key.get("for") not in ("all", scope_of[owner.tag]):
                errors.append(f"data {item.get('key')} on a {owner.tag} is for {key.get('for')}")
            if not types[XSD + kind].is_valid(item.text or ""):
                errors.append(f"{key.get('attr.name')}: {item.text!r} is not an xs:{kind}")
            if kind == "boolean" and item.text not in ("true", "false"):
                errors.append(f"{key.get('attr.name')}: boolean written {item.text!r}")
    return errors


# --- GraphML and GEXF --------------------------------------------------------------------


def test_bundled_graphml_is_valid_against_the_graphml_schema(
    bundled: nx.MultiDiGraph, schema: Any
) -> None:
    data = export("graphml")
    assert schema_errors(schema, data) == []
    root = ET.fromstring(data)
    edge_ids = [e.get("id") for e in root.iter(GRAPHML_NS + "edge")]
    assert len(edge_ids) == bundled.number_of_edges() == len(set(edge_ids))
    kinds = {k.get("attr.name"): k.get("attr.type") for k in root.iter(GRAPHML_NS + "key")}
    assert kinds["flagged"] == "boolean" and kinds["iri"] == "string"


def test_edge_case_graphml_and_gexf_are_well_formed_and_valid(
    odd: nx.MultiDiGraph, schema: Any
) -> None:
    for fmt in ("graphml", "gexf"):
        data = network_bytes(odd, fmt)
        root = ET.fromstring(data)  # raises on a file that is not well-formed XML
        text = data.decode("utf-8")
        assert "\x01" not in text and "\x1b" not in text and "\x07" not in text
        assert "odd\ufffddrug\ufffd[2J\ufffd" in text  # shown, not dropped
        assert root is not None
    assert schema_errors(schema, network_bytes(odd, "graphml")) == []


def read_back(data: bytes, fmt: str) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """Nodes by id and edges by id, with their attributes, as networkx reads the file."""
    if fmt == "graphml":
        graph = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
        edges = {k: dict(d) for _, _, k, d in graph.edges(keys=True, data=True)}
    else:
        graph = nx.read_gexf(io.BytesIO(data))
        edges = {}
        for _, _, d in graph.edges(data=True):
            attrs = dict(d)
            edges[attrs.pop("id")] = attrs
            attrs.pop("networkx_key", None)
    return {n: dict(d) for n, d in graph.nodes(data=True)}, edges


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
@pytest.mark.parametrize("which", ["bundled", "odd"])
def test_networkx_reads_back_every_attribute(
    fmt: str, which: str, request: pytest.FixtureRequest
) -> None:
    graph = request.getfixturevalue(which)
    flat = flatten_for_export(graph)
    nodes, edges = read_back(network_bytes(graph, fmt), fmt)
    assert nodes == {n: dict(d) for n, d in flat.nodes(data=True)}
    assert edges == {k: dict(d) for _, _, k, d in flat.edges(keys=True, data=True)}
    iris = {d["iri"] for d in nodes.values()}
    assert iris == set(graph.nodes)  # the IRI of every node survives as an attribute


def test_flattened_values_are_exact_where_they_can_be(odd: nx.MultiDiGraph) -> None:
    flat = flatten_for_export(odd)
    by_iri = {d["iri"]: d for _, d in flat.nodes(data=True)}
    drug = by_iri[RG + "odd-drug"]
    assert drug["property_measure_ratio_r_sum"] in ("INF; NaN", "NaN; INF")
    assert drug["property_count"] == "123456789012345678901234567890"  # beyond 64 bits: text
    assert by_iri[RG + "spoofed"]["property_count"] == "seven"
    assert by_iri[RG + "odd-effect"]["property_count"] == "7"  # one type per attribute
    assert drug["evidence"].index("[5-22]") < drug["evidence"].index("[five-6.5]")


# --- CSV, JSON-LD ------------------------------------------------------------------------


def term_of(text: str) -> ox.NamedNode | ox.BlankNode:
    return ox.BlankNode(text[2:]) if text.startswith("_:") else ox.NamedNode(text)


def test_csv_writes_blank_nodes_so_they_read_back_as_blank_nodes() -> None:
    import rdflib
    from rdflib.compare import isomorphic

    from relaxgraph.querying._convert import ox_to_rdflib

    engine = engine_for("viz_edge_cases.ttl")
    rows = list(csv.DictReader(io.StringIO(export("csv", engine).decode())))
    blank_subjects = [r["subject"] for r in rows if r["predicate"].endswith("#label")]
    assert any(s.startswith("_:") for s in blank_subjects)
    rebuilt = rdflib.Graph()
    for r in rows:
        if r["object_datatype"]:
            o: Any = ox.Literal(
                r["object"],
                **(
                    {"language": r["object_language"]}
                    if r["object_language"]
                    else {"datatype": ox.NamedNode(r["object_datatype"])}
                ),
            )
        else:
            o = term_of(r["object"])
        rebuilt.add(ox_to_rdflib(ox.Triple(term_of(r["subject"]), ox.NamedNode(r["predicate"]), o)))
    source = rdflib.Graph()
    for q in engine.store.quads_for_pattern(None, None, None):
        source.add(ox_to_rdflib(q))
    assert isomorphic(rebuilt, source)


def test_jsonld_has_a_context_and_reads_back_whole() -> None:
    import rdflib
    from rdflib.compare import isomorphic

    from relaxgraph._iris import PREFIXES

    engine = engine_for("viz_edge_cases.ttl")
    data = export("jsonld", engine)
    doc = json.loads(data)
    assert doc["@context"] == dict(PREFIXES)
    assert b'"rdfs:label"' in data  # compacted with the context
    back = rdflib.Graph().parse(data=data, format="json-ld")
    nt = rdflib.Graph().parse(data=export("nt", engine), format="nt")
    assert isomorphic(back, nt)


# --- one list of formats; bad arguments --------------------------------------------------


def test_export_help_lists_every_format_from_the_one_list() -> None:
    result = CliRunner().invoke(cli, ["export", "--help"])
    assert result.exit_code == 0
    assert "[" + "|".join(EXPORT_FORMATS) + "]" in result.output
    assert "gexf" in EXPORT_FORMATS
    from relaxgraph.cli.query import export as export_command

    (option,) = [p for p in export_command.params if p.name == "fmt"]
    assert tuple(option.type.choices) == EXPORT_FORMATS  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "call",
    [
        lambda: export("pdf"),
        lambda: export("yaml", engine_for("viz_small.ttl")),
        lambda: network_bytes(nx.MultiDiGraph(), "yaml"),
        lambda: relaxgraph.export("pdf", nx.MultiDiGraph()),
        lambda: relaxgraph.load(store="sqlite"),  # type: ignore[arg-type]
    ],
)
def test_unknown_formats_raise_a_relaxgraph_value_error(call: Any) -> None:
    with pytest.raises(
        InvalidArgumentError, match=r"unknown|use .oxigraph.|written as graphml or gexf"
    ) as info:
        call()
    assert isinstance(info.value, RelaxgraphError) and isinstance(info.value, ValueError)


def test_public_export_of_an_unknown_format_is_a_relaxgraph_error() -> None:
    with pytest.raises(RelaxgraphError, match="yaml") as caught:
        relaxgraph.export("yaml")
    assert isinstance(caught.value, ValueError)


def test_cli_export_of_an_unknown_format_is_exit_2_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "g.pdf"
    result = CliRunner().invoke(cli, ["export", "--format", "pdf", "-o", str(out)])
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "'pdf' is not one of" in errors[0]
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


# --- relaxgraph.load() as an rdflib user expects -----------------------------------------


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_load_gives_plain_literals_and_takes_bindings_of_unselected_variables(
    store: str,
) -> None:
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS

    g = relaxgraph.load(store=store)  # type: ignore[arg-type]
    baclofen = URIRef(RG + "baclofen")
    label = g.value(baclofen, RDFS.label)
    assert label == Literal("baclofen") and label.datatype is None
    assert (baclofen, RDFS.label, Literal("baclofen")) in g
    rows = g.query(
        "SELECT ?label WHERE { ?drug rdfs:label ?label }", initBindings={"drug": baclofen}
    )
    assert [tuple(r) for r in rows] == [(Literal("baclofen"),)]
    selected = g.query(
        "SELECT ?drug ?label WHERE { ?drug rdfs:label ?label }", initBindings={"drug": baclofen}
    )
    assert [tuple(r) for r in selected] == [(baclofen, Literal("baclofen"))]
    built = g.query(
        "CONSTRUCT { ?drug rdfs:label ?label } WHERE { ?drug rdfs:label ?label }",
        initBindings={"drug": baclofen},
    )
    assert set(built) == {(baclofen, RDFS.label, Literal("baclofen"))}


def test_cli_demo_into_an_unwritable_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    result = CliRunner().invoke(cli, ["demo", "-d", str(blocked / "demo")])
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "cannot write into" in errors[0]
    assert "Traceback" not in result.output
    assert blocked.read_text() == "not a folder"
