"""One path from the command line to the library (issue 11, item 5).

The same inputs go through ``relaxgraph ...`` and through the library functions it is a thin
layer over, and give the same answers: the same bytes, the same error message (with the same
line and column) and the error's own exit code.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

import relaxgraph
from relaxgraph import api
from relaxgraph.cli import cli
from relaxgraph.cli._common import _message_lines
from relaxgraph.errors import InvalidArgumentError, RelaxgraphError


def invoke(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout_bytes, result.stderr


def same_error(error: RelaxgraphError, code: int, err: str) -> None:
    """The CLI failed with the library error's exit code and printed its message."""
    assert code == error.exit_code
    assert err == "Error: " + "\n".join(_message_lines(str(error))) + "\n"


def with_newline(data: bytes) -> bytes:
    return data if not data or data.endswith(b"\n") else data + b"\n"


# --- queries: catalogue names, -e text, NAME that is SPARQL ------------------------------------

CATALOGUE = [
    ("side-effects", {"drug": "Lioresal"}),
    ("side-effects", {"drug": "CHEBI:2972"}),
    ("drugs-for-condition", {}),
    ("drugs-by-class", {}),
    ("entity-neighbourhood", {"entity": "vecuronium"}),
]


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
@pytest.mark.parametrize(("name", "params"), CATALOGUE)
def test_a_catalogue_query(name: str, params: dict[str, str], fmt: str) -> None:
    result = relaxgraph.query(name, **params)
    if result.kind == "graph" and fmt != "table":
        fmt = "nt"
    args = [f"--param={k}={v}" for k, v in params.items()]
    code, out, err = invoke("query", name, *args, "--format", fmt)
    assert code == 0, err
    assert out == with_newline(api.format_result(result, fmt))


SPARQL = [
    "SELECT ?o WHERE { ?s rdfs:label ?o } ORDER BY ?o LIMIT 5",  # the API's prefixes
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?o WHERE { ?s rdfs:label ?o } ORDER BY ?o LIMIT 5",
    "# a comment first\nSELECT (COUNT(*) AS ?n) WHERE { ?d a rgo:Drug }",
    "ASK { rg:baclofen rdfs:label ?l }",
    "CONSTRUCT { rg:baclofen rdfs:label ?l } WHERE { rg:baclofen rdfs:label ?l }",
]


@pytest.mark.parametrize("text", SPARQL)
def test_sparql_text_with_and_without_prefixes(text: str) -> None:
    result = relaxgraph.query(text)
    fmt = "nt" if result.kind == "graph" else "json"
    code, out, err = invoke("query", "-e", text, "--format", fmt)
    assert code == 0, err
    assert out == with_newline(result.serialize(fmt))
    # SPARQL given where a NAME goes takes the same path (the library's is_sparql rule)
    code, again, err = invoke("query", text, "--format", fmt)
    assert (code, again) == (0, out), err


def test_a_query_file_gets_the_prefixes_too(tmp_path: Path) -> None:
    f = tmp_path / "q.rq"
    f.write_text(SPARQL[0])
    code, out, err = invoke("query", "--file", str(f), "--format", "json")
    assert code == 0, err
    assert out == with_newline(relaxgraph.query(SPARQL[0]).serialize("json"))


BAD = [
    ("query", "sideeffects"),  # an unknown catalogue name
    ("query", "SELECT ?o WHERE {\n  ?s rdfs:label }"),  # syntax error on line 2, prefixes added
    ("query", "SELECT ?o WHERE { ?s rdfs:label ?o } LIMT 3"),  # line 1
    ("query", "PREFIX ex: <http://x/>\nSELECT * WHERE { ?s ex:p ?o . ?o ex:q }"),
    ("side-effects", "drug=baclofne"),  # an unknown entity: exit 4
    ("side-effects", "dose=3"),  # a parameter the query does not declare
]


@pytest.mark.parametrize(("kind", "value"), BAD)
def test_the_same_error_from_both(kind: str, value: str) -> None:
    if kind == "query":
        with pytest.raises(RelaxgraphError) as info:
            relaxgraph.query(value)
        code, _, err = invoke("query", "-e", value) if "{" in value else invoke("query", value)
    else:
        key, v = value.split("=", 1)
        with pytest.raises(RelaxgraphError) as info:
            relaxgraph.query(kind, **{key: v})
        code, _, err = invoke("query", kind, "--param", value)
    same_error(info.value, code, err)


def test_a_syntax_error_points_into_the_text_as_written() -> None:
    text = "SELECT ?o WHERE {\n  ?s rdfs:label }"
    with pytest.raises(relaxgraph.QuerySyntaxError) as info:
        relaxgraph.query(text)
    assert (info.value.line, info.value.column) == (2, 17)
    code, _, err = invoke("query", "-e", text)
    assert code == 2 and "line 2, column 17" in err
    assert err.splitlines()[1] == "    ?s rdfs:label }"


def test_an_unknown_entity_exits_4_from_describe_too() -> None:
    with pytest.raises(relaxgraph.UnknownEntityError) as info:
        relaxgraph.describe("baclofne")
    code, _, err = invoke("describe", "baclofne")
    assert code == 4
    same_error(info.value, code, err)


# --- describe, stats, export --------------------------------------------------------------------


@pytest.mark.parametrize("entity", ["baclofen", "Lioresal", "CHEBI:2972", "vecuronium"])
@pytest.mark.parametrize("fmt", api.DESCRIBE_FORMATS)
def test_describe(entity: str, fmt: str) -> None:
    if fmt in ("ttl", "nt"):
        expected = api.describe_graph(entity).serialize(fmt)
    else:
        expected = api.format_description(relaxgraph.describe(entity), fmt)
    code, out, err = invoke("describe", entity, "--format", fmt)
    assert code == 0, err
    assert out == with_newline(expected)


@pytest.mark.parametrize("fmt", api.STATS_FORMATS)
def test_stats(fmt: str) -> None:
    counts = api.stats()
    assert counts["triples"] == len(relaxgraph.query("SELECT * WHERE { ?s ?p ?o }").rows())
    assert counts["type Drug"] == len(relaxgraph.query("SELECT ?d WHERE { ?d a rgo:Drug }").rows())
    code, out, err = invoke("stats", "--format", fmt)
    assert code == 0, err
    assert out == with_newline(api.format_stats(counts, fmt))
    if fmt == "json":
        assert json.loads(out) == counts


@pytest.mark.parametrize("fmt", api.EXPORT_FORMATS)
def test_export(fmt: str) -> None:
    code, out, err = invoke("export", "--format", fmt)
    assert code == 0, err
    assert out == with_newline(relaxgraph.export(fmt))


# --- one registry of formats, one rule for names, one default engine ----------------------------


def _choices(command: str, option: str = "fmt") -> tuple[str, ...]:
    found = cli.get_command(click.Context(cli), command)
    assert found is not None
    params = {p.name: p for p in found.params}
    choice = params[option].type
    assert isinstance(choice, click.Choice)
    return tuple(choice.choices)


def test_the_cli_offers_the_library_formats() -> None:
    from relaxgraph.querying.sparql import GRAPH_FORMATS, SELECT_FORMATS

    assert _choices("query") == api.QUERY_FORMATS == ("table", *SELECT_FORMATS, *GRAPH_FORMATS)
    assert _choices("describe") == api.DESCRIBE_FORMATS
    assert _choices("stats") == api.STATS_FORMATS
    assert _choices("export") == api.EXPORT_FORMATS


def test_a_format_the_result_cannot_take_is_refused_alike() -> None:
    result = relaxgraph.query("ASK { ?s ?p ?o }")
    with pytest.raises(InvalidArgumentError, match="not ttl"):
        api.format_result(result, "ttl")
    code, _, err = invoke("query", "-e", "ASK { ?s ?p ?o }", "--format", "ttl")
    assert code == 2 and "not ttl" in err


@pytest.mark.parametrize(
    ("text", "sparql"),
    [
        ("side-effects", False),
        ("sideeffects", False),
        ("SELECT * { ?s ?p ?o }", True),
        ("  # note\n prefix x: <http://x/>\n ask {}", True),
        ("{ ?s ?p ?o }", True),
        ("\ufeffDESCRIBE <http://x/>", True),
        ("INSERT DATA { <a:b> <a:c> <a:d> }", True),
    ],
)
def test_one_rule_tells_a_name_from_sparql(text: str, sparql: bool) -> None:
    from relaxgraph.querying.catalogue import is_sparql

    assert is_sparql(text) is sparql
    assert api.is_sparql is is_sparql


def test_every_convenience_path_uses_the_one_default_engine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without an engine, the CLI and the library run on api.default_engine(): nothing opens
    the bundled graph again (connect() is what would)."""
    import relaxgraph.storage.engines
    from relaxgraph.querying.catalogue import get
    from relaxgraph.views.description import describe
    from relaxgraph.views.exporting import export
    from relaxgraph.views.viz import visualize

    engine = api.default_engine()

    def no_second_engine(**kwargs: Any) -> Any:
        raise AssertionError(f"connect({kwargs}) opened another engine")

    monkeypatch.setattr(relaxgraph.storage.engines, "connect", no_second_engine)
    assert get("side-effects").run(drug="Lioresal").rows()
    assert get("side-effects").bind(drug="Lioresal")
    assert describe("Lioresal").label == "Lioresal"
    assert "vecuronium" in visualize(query="entity-neighbourhood", params={"entity": "vecuronium"})
    assert "baclofen" in visualize(query="SELECT ?d WHERE { ?d a rgo:Drug }")
    assert export("nt") == relaxgraph.export("nt")
    for args in (
        ["query", "side-effects"],
        ["query", "-e", "ASK {}"],
        ["describe", "baclofen"],
        ["stats"],
        ["export", "--format", "nt"],
    ):
        code, _, err = invoke(*args)
        assert code == 0, (args, err)
    assert api.default_engine() is engine


def test_internal_queries_are_not_in_the_catalogue() -> None:
    from relaxgraph.querying.catalogue import internal

    assert internal("stats").source == "queries/internal/stats.rq"
    assert internal("describe-relations").params[0].name == "e"
    names = set(relaxgraph.queries())
    assert not names & {"stats", "triples", "describe-relations"}
    code, out, _ = invoke("queries", "--format", "json")
    assert code == 0
    assert {q["name"] for q in json.loads(out)} == names
    with pytest.raises(relaxgraph.UnknownQueryError):
        relaxgraph.query("stats")


# --- --infer over a store being written -----------------------------------------------------------


def test_infer_over_a_store_opens_it_read_only(tmp_path: Path) -> None:
    """Inference makes a new store from the one on disk: it never needs the writer lock, so
    `query --infer --store` runs while another process (here: this one) writes the store."""
    from relaxgraph.storage.store import load_files, writable_store

    data = tmp_path / "d.ttl"
    data.write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<http://example.org/a> a <http://example.org/Cat> .\n"
        "<http://example.org/Cat> rdfs:subClassOf <http://example.org/Animal> .\n"
    )
    db = tmp_path / "db"
    load_files([data], db, bundled=False)
    text = "ASK { <http://example.org/a> a <http://example.org/Animal> }"
    with writable_store(db):
        engine = relaxgraph.connect(store=str(db), infer=True)
        assert relaxgraph.query(text, engine).boolean is True
        code, out, err = invoke(
            "query", "--infer", "--store", str(db), "-e", text, "--format", "json"
        )
        assert code == 0, err
        assert json.loads(out)["boolean"] is True


def test_viz_reads_a_query_file_as_query_does(tmp_path: Path) -> None:
    """`viz --file` takes the same prefixes and draws what visualize(query=...) draws."""
    from relaxgraph.views.viz import visualize

    text = "CONSTRUCT { ?d rdfs:label ?l } WHERE { ?d a rgo:Drug ; rdfs:label ?l }"
    f = tmp_path / "drugs.rq"
    f.write_text(text)
    page = tmp_path / "drugs.html"
    code, _, err = invoke("viz", "--file", str(f), "-o", str(page), "--title", "t")
    assert code == 0, err
    assert page.read_text(encoding="utf-8") == visualize(query=text, title="t")


# Where the code may still build SPARQL text, and why: everything else is a `.rq` file.
_SPARQL_BUILT_IN_CODE = {
    # the example queries offered on the endpoint's own HTML form (text for people to edit)
    "server/endpoint.py",
    # paging and batching built around a caller's query for a remote endpoint
    "storage/remote.py",
}


def _string_constants(tree: ast.AST) -> Iterator[tuple[int, str]]:
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            yield node.lineno, str(text)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            yield node.lineno, node.value


def test_no_sparql_is_written_inline_in_the_code() -> None:
    """Internal SPARQL lives in queries/internal/*.rq (issue 11): a query in a string fails here."""
    import relaxgraph

    root = Path(relaxgraph.__file__).parent
    query = re.compile(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b.*\bWHERE\s*\{", re.S)
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel in _SPARQL_BUILT_IN_CODE:
            continue
        for line, text in _string_constants(ast.parse(path.read_text(encoding="utf-8"))):
            if query.search(text):
                found.append(f"{rel}:{line}")
    assert found == [], f"SPARQL written inline (move it to queries/internal/): {found}"


def test_internal_queries_are_all_read_by_the_code() -> None:
    import relaxgraph
    from relaxgraph.data._resources import queries_dir

    root = Path(relaxgraph.__file__).parent
    code = "\n".join(p.read_text(encoding="utf-8") for p in root.rglob("*.py"))
    unused = [
        f.stem
        for f in sorted((queries_dir() / "internal").glob("*.rq"))
        if f'"{f.stem}"' not in code  # internal("name"), or a constant holding the name
    ]
    assert unused == []
