"""The public API: every name in ``relaxgraph.__all__``, how it behaves on good and bad input.

Each public name is exercised here (``test_every_public_name_is_tested`` checks that), and
the doctests in ``src/relaxgraph`` run when pytest collects the package.
"""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import relaxgraph
from relaxgraph import (
    AmbiguousEntityError,
    Engine,
    Entity,
    QueryError,
    QuerySyntaxError,
    QueryTimeoutError,
    RelaxgraphError,
    Result,
    UnknownEntityError,
    UnknownParameterError,
    UnknownQueryError,
)

RG = "https://w3id.org/relaxgraph/id/"
HERE = Path(__file__).resolve()


@pytest.fixture(autouse=True)
def _in_empty_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test in an empty folder, so a file written unasked would show."""
    monkeypatch.chdir(tmp_path)


# --- the shape of the API -----------------------------------------------------------------


def test_all_is_small_sorted_and_resolves() -> None:
    names = relaxgraph.__all__
    assert len(names) <= 25
    assert names == sorted(names, key=lambda n: (not n[0].isupper(), n))
    for name in names:
        value = getattr(relaxgraph, name)
        assert value is not None
        assert inspect.getdoc(value), f"{name} has no docstring"
    assert set(dir(relaxgraph)) >= set(names)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        relaxgraph.nope  # noqa: B018


def test_every_public_name_is_tested() -> None:
    source = HERE.read_text(encoding="utf-8") + (HERE.parent / "test_analytics.py").read_text(
        encoding="utf-8"
    )
    for name in relaxgraph.__all__:
        assert f"relaxgraph.{name}" in source or f"    {name},\n" in source, name


def test_callables_are_functions_not_modules() -> None:
    # Importing every module and sub-package must not rebind a public function to a module
    # of the same name (a sub-package called ``query`` would replace relaxgraph.query).
    import importlib
    import pkgutil

    for module in pkgutil.walk_packages(relaxgraph.__path__, "relaxgraph."):
        if module.name != "relaxgraph.__main__":
            importlib.import_module(module.name)
    for name in relaxgraph.__all__:
        value = getattr(relaxgraph, name)
        assert name == "analytics" or not inspect.ismodule(value), name
    names = ("connect", "describe", "export", "layers", "lookup", "queries", "query", "validate")
    for name in names:
        assert inspect.isfunction(getattr(relaxgraph, name)), name
    assert relaxgraph.analytics is importlib.import_module("relaxgraph.views.analytics")


def test_layers_lists_each_layer_with_its_licence() -> None:
    summary = relaxgraph.layers()
    assert [s.layer.id for s in summary][:2] == ["ontology", "guide"]
    assert all(s.triples > 0 and s.layer.licence and s.layer.attribution for s in summary)


def test_import_is_light() -> None:
    code = (
        "import sys, relaxgraph\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'rdflib', 'networkx', 'pyvis', 'pandas'})\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"import relaxgraph imported {out.stdout.strip()}"
    assert out.stderr == ""


def test_package_is_typed() -> None:
    assert (Path(relaxgraph.__file__).parent / "py.typed").is_file()


# --- load, connect ------------------------------------------------------------------------


def test_load_gives_a_fresh_rdflib_graph() -> None:
    import rdflib

    g = relaxgraph.load()
    assert isinstance(g, rdflib.Graph)
    assert len(g) > 1000
    assert relaxgraph.load() is not g


def test_connect_gives_an_engine() -> None:
    engine: Engine = relaxgraph.connect()
    assert engine.name == "oxigraph"
    result = relaxgraph.query("drugs-sharing-class", engine, drug="vecuronium")
    assert [r.otherLabel for r in result.rows()] == ["succinylcholine"]
    rdflib_engine = relaxgraph.connect(backend="rdflib")
    again = relaxgraph.query("drugs-sharing-class", rdflib_engine, drug="vecuronium")
    assert again.rows() == result.rows()


# --- query, queries, Result ---------------------------------------------------------------


def test_queries_lists_the_catalogue() -> None:
    catalogue = relaxgraph.queries()
    assert "side-effects" in catalogue and "statistics" in catalogue
    assert list(catalogue) == sorted(catalogue)
    for entry in catalogue.values():
        assert entry.summary and entry.text


def test_query_by_name_with_a_brand_name() -> None:
    result = relaxgraph.query("side-effects", drug="Lioresal")
    assert isinstance(result, Result)
    rows = result.rows()
    # "Common Side Effects of Baclofen": drowsiness, dizziness, nausea and vomiting,
    # headache, muscle weakness.
    assert sorted({r.sideEffectLabel for r in rows}) == [
        "dizziness", "drowsiness", "headache", "muscle weakness", "nausea", "vomiting",
    ]  # fmt: skip
    assert all(r.section == "Common Side Effects of Baclofen" for r in rows)
    assert rows[0]._fields == ("drug", "sideEffect", "sideEffectLabel", "section", "quote")


def test_numbers_come_back_as_numbers() -> None:
    rows = relaxgraph.query("statistics").rows()
    # The guide's table has nine cells; six more figures are attributed to studies and surveys.
    assert len(rows) == 15
    assert all(isinstance(r.percentage, float) for r in rows)
    assert max(r.percentage for r in rows) == 95.0
    assert sorted(r.percentage for r in rows if r.populationLabel == "multiple sclerosis")[:3] == [
        75.0, 80.0, 90.0,
    ]  # fmt: skip


def test_to_dataframe() -> None:
    import pandas as pd

    frame = relaxgraph.query("statistics").to_dataframe()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == 15
    assert frame["percentage"].dtype.kind == "f"
    assert frame["percentage"].max() == 95.0


def test_serialize() -> None:
    result = relaxgraph.query("drugs-sharing-class", drug="vecuronium")
    csv = result.serialize("csv").decode()
    assert csv.splitlines()[0].split(",") == ["drug", "other", "otherLabel", "classLabel"]
    assert "succinylcholine" in csv


def test_any_sparql_with_default_prefixes_and_bound_values() -> None:
    text = "SELECT ?drug ?label WHERE { ?drug a rgo:Drug ; rdfs:label ?label } ORDER BY ?label"
    labels = [r.label for r in relaxgraph.query(text).rows()]
    assert labels == [
        "baclofen", "dantrolene sodium", "diazepam", "hyoscine butylbromide",
        "methocarbamol", "succinylcholine", "vecuronium",
    ]  # fmt: skip
    one = relaxgraph.query(text, drug=relaxgraph.lookup("diazepam")).rows()
    assert [r.label for r in one] == ["diazepam"]
    # A string is bound as a literal, never spliced into the text.
    injected = relaxgraph.query(
        "SELECT ?label ?drug WHERE { ?drug rdfs:label ?label }", label='x" } UNION { ?s ?p ?o'
    )
    assert injected.rows() == []
    ask = relaxgraph.query("ASK { rg:vecuronium a rg:neuromuscular-blocking-agents }")
    assert ask.boolean is True
    number = relaxgraph.query("SELECT ?s ?pct WHERE { ?s rgo:percentage ?pct }", pct=95).rows()
    assert number == [] or all(r.pct == 95 for r in number)


def test_query_errors_say_where_and_what() -> None:
    with pytest.raises(QuerySyntaxError) as bad:
        relaxgraph.query("SELECT ?x WHERE {\n  ?x rdfs:label ?y\n  FILTR(?y)\n}")
    assert bad.value.line == 3
    assert bad.value.column is not None
    assert "line 3" in str(bad.value)
    with pytest.raises(UnknownQueryError) as unknown:
        relaxgraph.query("side-efects")
    assert "side-effects" in unknown.value.suggestions
    with pytest.raises(UnknownParameterError) as param:
        relaxgraph.query("side-effects", drgu="baclofen")
    assert "drug" in param.value.suggestions
    with pytest.raises(QueryError, match="refused"):
        relaxgraph.query("DELETE WHERE { ?s ?p ?o }")
    # A bound variable need not be selected: the term is written into the pattern.
    assert relaxgraph.query(
        "SELECT ?label WHERE { ?d rdfs:label ?label }", d=relaxgraph.lookup("baclofen")
    ).rows() == [("baclofen",)]
    with pytest.raises(QueryError, match="list it after SELECT"):  # where it cannot be written
        relaxgraph.query(
            "SELECT ?label WHERE { ?d rdfs:label ?label FILTER(BOUND(?d)) }",
            d=relaxgraph.lookup("baclofen"),
        )
    with pytest.raises(QueryError, match="cannot bind a list"):
        relaxgraph.query("SELECT * WHERE { ?s ?p ?o }", s=[1])
    assert issubclass(QuerySyntaxError, QueryError)
    assert issubclass(QueryError, RelaxgraphError)


def test_query_timeout() -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with pytest.raises(QueryTimeoutError) as stopped:
        relaxgraph.query(slow, timeout=0.5)
    assert stopped.value.seconds == 0.5


# --- lookup, describe ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "iri"),
    [
        ("baclofen", RG + "baclofen"),
        ("BACLOFEN", RG + "baclofen"),
        ("CHEBI:2972", RG + "baclofen"),
        ("DB00181", RG + "baclofen"),
        ("rg:baclofen", RG + "baclofen"),
        ("Lioresal", RG + "lioresal"),
        ("GABA-B receptors", RG + "gaba-b-receptor"),  # a synonym as written in the guide
    ],
)
def test_lookup(name: str, iri: str) -> None:
    entity = relaxgraph.lookup(name)
    assert isinstance(entity, Entity)
    assert entity.iri == iri


def test_lookup_kind_and_brand() -> None:
    assert relaxgraph.lookup("Lioresal", kind="Drug").iri == RG + "baclofen"
    assert relaxgraph.lookup("Robaxin", kind="Drug").label == "methocarbamol"
    assert relaxgraph.lookup("vecuronium").kind == "Drug"


def test_unknown_entity_names_the_closest() -> None:
    with pytest.raises(UnknownEntityError) as unknown:
        relaxgraph.lookup("vecuronim")
    assert unknown.value.suggestions[0] == "vecuronium"
    assert "did you mean 'vecuronium'" in str(unknown.value)
    assert isinstance(unknown.value, LookupError)
    with pytest.raises(UnknownEntityError):
        relaxgraph.lookup("drowsiness", kind="Drug")


def test_ambiguous_entity() -> None:
    assert issubclass(AmbiguousEntityError, UnknownEntityError)
    error = AmbiguousEntityError(
        "x", [relaxgraph.lookup("baclofen"), relaxgraph.lookup("diazepam")]
    )
    assert error.suggestions == ["rg:baclofen", "rg:diazepam"]


def test_describe() -> None:
    desc = relaxgraph.describe("Lioresal")
    assert desc.iri == RG + "lioresal" and desc.kind == "BrandName"
    baclofen = relaxgraph.describe("baclofen")
    side = {r.value_label: r for r in baclofen.relations if r.property.endswith("hasSideEffect")}
    assert side["drowsiness"].quote is not None
    assert "drowsiness" in side["drowsiness"].quote.lower()
    assert side["muscle weakness"].flag  # flagged: the guide contradicts itself
    assert "baclofen" in baclofen.text()
    with pytest.raises(UnknownEntityError):
        relaxgraph.describe("baclofne")


# --- validate, export, to_networkx, visualize ---------------------------------------------


def test_validate() -> None:
    report = relaxgraph.validate()
    assert report.conforms
    assert report.checks and all(c.passed for c in report.checks)
    assert report.text().endswith("valid")


@pytest.mark.parametrize(
    ("fmt", "start"), [("ttl", b"@prefix"), ("nt", b"<"), ("csv", b"subject,")]
)
def test_export(fmt: str, start: bytes) -> None:
    data = relaxgraph.export(fmt)
    assert data.startswith(start)
    assert b"baclofen" in data
    with pytest.raises(ValueError, match="unknown export format"):
        relaxgraph.export("docx")


def test_to_networkx_is_a_projection() -> None:
    import networkx as nx

    g = relaxgraph.to_networkx()
    assert isinstance(g, nx.MultiDiGraph)
    node = g.nodes[RG + "baclofen"]
    assert node["kind"] == "Drug" and node["label"] == "baclofen"
    edge = g.edges[RG + "baclofen", RG + "drowsiness", "rgo:hasSideEffect"]
    assert edge["label"] == "has side effect"
    assert edge["evidence"][0]["section"] == "Common Side Effects of Baclofen"
    kinds = {d["kind"] for _, d in g.nodes(data=True)}
    assert not kinds & {"Quote", "GuideStatement", "Section", "Flag"}  # provenance is attributes
    assert all(isinstance(n, str) and n.startswith("http") for n in g)  # no literal nodes


def test_visualize_returns_an_inline_page_and_writes_nothing(tmp_path: Path) -> None:
    page = relaxgraph.visualize(focus="vecuronium", depth=1)
    assert isinstance(page, str)
    assert "vecuronium" in page
    assert page._repr_html_().startswith("<iframe srcdoc=")
    assert list(tmp_path.iterdir()) == []


# --- no noise ----------------------------------------------------------------------------


def test_calls_print_nothing_and_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    relaxgraph.query("side-effects", drug="Lioresal").rows()
    relaxgraph.lookup("baclofen")
    relaxgraph.describe("vecuronium")
    relaxgraph.export("graphml")
    relaxgraph.analytics.explain_path("diazepam", "baclofen")
    for bad in (
        lambda: relaxgraph.lookup("nothing-like-this"),
        lambda: relaxgraph.query("SELECT ?x {"),
        lambda: relaxgraph.query("no-such-query"),
    ):
        with pytest.raises(RelaxgraphError):
            bad()
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    assert list(tmp_path.iterdir()) == []
