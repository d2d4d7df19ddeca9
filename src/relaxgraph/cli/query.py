"""Commands that read the graph: query, queries, describe, stats, validate, export, build, demo."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..exporting import EXPORT_FORMATS
from ._common import (
    engine_options,
    handle_errors,
    open_engine,
    parse_params,
    selected_layers,
    write_output,
)

FORMAT_CHOICE = click.Choice(["table", "csv", "tsv", "json", "xml", "ttl", "nt"])
DEFAULT_TIMEOUT = 10.0


def _print_result(result: Any, fmt: str | None, output: str | None) -> None:
    from ..table import format_table

    if fmt is None:
        fmt = (
            "table"
            if (output is None and sys.stdout.isatty())
            else ("ttl" if result.kind == "graph" else "tsv")
        )
        if result.kind == "graph" and fmt == "table":
            fmt = "ttl"
    if fmt == "table":
        if result.kind == "select":
            write_output(format_table(result.variables, result.terms), output)
        elif result.kind == "ask":
            write_output("yes" if result.boolean else "no", output)
        else:
            write_output(result.serialize("ttl"), output)
        return
    if result.kind == "graph" and fmt not in ("ttl", "nt"):
        raise click.UsageError(f"a CONSTRUCT result is written as ttl or nt, not {fmt}")
    if result.kind != "graph" and fmt in ("ttl", "nt"):
        raise click.UsageError(
            f"a {result.kind.upper()} result is written as table, csv, tsv, json or xml, not {fmt}"
        )
    write_output(result.serialize(fmt), output)


@click.command()
@click.argument("name", required=False)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter of the catalogue query.",
)
@click.option(
    "-f",
    "--file",
    "file",
    type=click.Path(dir_okay=False),
    help="Run the SPARQL query in this file.",
)
@click.option("-e", "--execute", "inline", metavar="SPARQL", help="Run this SPARQL query text.")
@click.option(
    "--format",
    "fmt",
    type=FORMAT_CHOICE,
    default=None,
    help="Output format [default: table on a terminal; tsv (or ttl for graphs) in a pipe].",
)
@click.option(
    "-o", "--output", metavar="FILE", help="Write to FILE (atomically) instead of stdout."
)
@click.option(
    "--timeout",
    type=float,
    default=DEFAULT_TIMEOUT,
    show_default=True,
    metavar="SECONDS",
    help="Stop a query (and --infer's inference) that runs longer than this (at most 86400).",
)
@click.option(
    "--memory-limit",
    default="2G",
    show_default=True,
    metavar="SIZE",
    help="Stop an embedded query that needs more memory than this (512M, 2G; 0: no limit).",
)
@click.option(
    "--allow-service",
    "allow_service",
    multiple=True,
    metavar="URL",
    help="Let SERVICE call this endpoint (repeatable); federation is off otherwise.",
)
@click.option(
    "--allow-update",
    is_flag=True,
    help="Allow a SPARQL update (needs --store PATH: it writes there).",
)
@engine_options
@handle_errors
def query(
    name: str | None,
    params: tuple[str, ...],
    file: str | None,
    inline: str | None,
    fmt: str | None,
    output: str | None,
    timeout: float,
    memory_limit: str,
    allow_service: tuple[str, ...],
    allow_update: bool,
    store: str | None,
    endpoint: str | None,
    infer: bool,
    backend: str,
) -> None:
    """Run a catalogue query by NAME, a .rq file (--file) or inline SPARQL (-e).

    \b
    Examples:
      relaxgraph query side-effects --param drug=Lioresal
      relaxgraph query drugs-by-class --format csv > drugs.csv
      relaxgraph query --file my.rq --format json
      relaxgraph query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    """
    import time

    from ..engines import connect
    from ..errors import QueryTimeoutError
    from ..guard import check_query_text
    from ..sparql import check_memory_limit, check_syntax, check_timeout, run, strip_bom

    started = time.monotonic()
    sources = [s for s in (name, file, inline) if s]
    if len(sources) != 1:
        raise click.UsageError(
            "give exactly one of NAME, --file FILE or -e SPARQL (see `relaxgraph queries`)"
        )
    limit = check_timeout(timeout)
    memory = check_memory_limit(memory_limit)
    assert limit is not None
    bindings: dict[str, Any] = {}
    if inline is not None:
        text, label = strip_bom(inline), "the -e query"
    elif file is not None:
        text, label = _read_query_file(file), file
    if params and name is None:
        raise click.UsageError("--param works with a catalogue query NAME")
    if allow_update:
        if name is not None:
            raise click.UsageError(
                "--allow-update runs an update from --file or -e, not a catalogue query"
            )
        if store is None:
            raise click.UsageError(
                "--allow-update needs --store PATH: updates are written to a store you name"
            )
        from ..sparql import OxigraphEngine
        from ..store import writable_store

        check_query_text(text, allow_service=allow_service, source=label)
        with writable_store(store) as writable:  # the store's writer lock: no lost update
            OxigraphEngine(writable).update(text)
        click.echo("update applied", err=True)
        return
    if name is None:  # untrusted text: checked and parsed before any store is opened
        check_syntax(text, label, allow_service=allow_service, isolate=True)
    engine = connect(
        store=store,
        endpoint=endpoint,
        infer=infer,
        backend=backend,  # type: ignore[arg-type]
        timeout=limit,
        memory_limit=memory,
        layers=selected_layers(),
    )
    if hasattr(engine, "timeout"):  # a remote endpoint: entity look-ups too
        engine.timeout = limit
    if name is not None:
        from ..catalogue import get

        entry = get(name)
        label = f"queries/{name}.rq"
        text, bindings = entry.prepare(engine, entry.bind(engine, **parse_params(params)))
    remaining = limit - (time.monotonic() - started)
    if remaining <= 0:
        raise QueryTimeoutError(limit)
    try:
        result = run(
            engine,
            text,
            bindings,
            timeout=remaining,
            memory_limit=memory,
            allow_service=allow_service,
        )
    except QueryTimeoutError as exc:
        if type(exc) is not QueryTimeoutError:  # an endpoint's own, more precise message
            raise
        raise QueryTimeoutError(limit) from None  # the whole command's limit, not what was left
    _print_result(result, fmt, output)


def _read_query_file(file: str) -> str:
    """The text of a query file: UTF-8 (a byte-order mark is dropped), or a one-line error."""
    from ..errors import QueryError
    from ..sparql import strip_bom

    path = Path(file)
    try:
        if not path.is_file():
            raise QueryError(f"no query file {file!r}: give the path of a .rq file")
        data = path.read_bytes()
    except OSError as exc:
        raise QueryError(f"cannot read the query file {file!r}: {exc.strerror}") from None
    try:
        return strip_bom(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise QueryError(
            f"{file}: not UTF-8 text (byte {exc.start + 1}); save the query as UTF-8"
        ) from None


@click.command()
@click.option("--tag", help="Only queries with this tag.")
@click.option("-v", "--verbose", is_flag=True, help="Show descriptions and parameters.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "ttl", "json"]),
    default="table",
    show_default=True,
    help="table, or the catalogue as RDF (ttl) or JSON.",
)
@handle_errors
def queries(tag: str | None, verbose: bool, fmt: str) -> None:
    """List the query catalogue.

    \b
    Examples:
      relaxgraph queries
      relaxgraph queries --tag provenance --verbose
      relaxgraph queries --format ttl > catalogue.ttl
    """
    from ..catalogue import load_catalogue, to_rdf

    catalogue = load_catalogue()
    items = [q for q in catalogue.values() if tag is None or tag in q.tags]
    if fmt == "ttl":
        import pyoxigraph as ox

        from .._iris import PREFIXES
        from ..sparql import as_bytes

        prefixes = {**PREFIXES, "rgq": "https://w3id.org/relaxgraph/query/"}
        write_output(
            as_bytes(
                ox.serialize(
                    to_rdf({q.name: q for q in items}),
                    format=ox.RdfFormat.TURTLE,
                    prefixes=prefixes,
                )
            ),
            None,
        )
        return
    if fmt == "json":
        import json

        data = [
            {
                "name": q.name,
                "summary": q.summary,
                "description": q.description,
                "tags": list(q.tags),
                "params": [
                    {
                        "name": p.name,
                        "type": p.type,
                        "default": p.default,
                        "description": p.description,
                    }
                    for p in q.params
                ],
            }
            for q in items
        ]
        write_output(json.dumps(data, indent=2), None)
        return
    from ..table import format_table

    if not verbose:
        rows = [
            (q.name, q.summary, " ".join(f"{p.name}={p.default or ''}" for p in q.params))
            for q in items
        ]
        write_output(
            format_table(["name", "summary", "parameters (defaults)"], rows, width=200), None
        )
        return
    lines = []
    for q in items:
        lines.append(f"{q.name} — {q.summary}\n  {q.description}\n  tags: {', '.join(q.tags)}")
        for p in q.params:
            lines.append(
                f"  --param {p.name}=<{p.type}>  (default: {p.default or 'none'})  {p.description}"
            )
        lines.append("")
    write_output("\n".join(lines), None)


@click.command()
@click.argument("entity")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "ttl", "nt", "json"]),
    default="table",
    show_default=True,
)
@engine_options
@handle_errors
def describe(
    entity: str, fmt: str, store: str | None, endpoint: str | None, infer: bool, backend: str
) -> None:
    """Everything the graph says about ENTITY (a label, synonym or identifier), with where the guide says it.

    \b
    Examples:
      relaxgraph describe baclofen
      relaxgraph describe CHEBI:3392
      relaxgraph describe Lioresal --format ttl
    """
    engine = open_engine(store, endpoint, infer, backend)
    if fmt in ("ttl", "nt"):
        from ..catalogue import get
        from ..sparql import run

        entry = get("entity-neighbourhood")
        result = run(engine, entry.text, entry.bind(engine, entity=entity))
        write_output(result.serialize(fmt), None)
        return
    from ..description import describe as describe_entity

    desc = describe_entity(entity, engine)
    if fmt == "json":
        import json
        from dataclasses import asdict

        write_output(json.dumps(asdict(desc), indent=2, ensure_ascii=False), None)
        return
    write_output(desc.text(), None)


_STATS = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rgo: <https://w3id.org/relaxgraph/ontology#>
SELECT ?what (COUNT(DISTINCT ?x) AS ?count) WHERE {
  { ?x ?p ?o . BIND("subjects" AS ?what) }
  UNION { ?x a ?t . FILTER(STRSTARTS(STR(?t), STR(rgo:))) BIND(CONCAT("type ", STRAFTER(STR(?t), "#")) AS ?what) }
  UNION { ?x rgo:flagKind ?k . BIND(CONCAT("flag ", STRAFTER(STR(?k), "#")) AS ?what) }
}
GROUP BY ?what ORDER BY ?what
"""


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json"]),
    default="table",
    show_default=True,
)
@engine_options
@handle_errors
def stats(fmt: str, store: str | None, endpoint: str | None, infer: bool, backend: str) -> None:
    """Counts: triples, entities by type, statements, quotes and flags by kind.

    \b
    Example:
      relaxgraph stats
    """
    from ..sparql import run
    from ..table import format_table

    engine = open_engine(store, endpoint, infer, backend)
    triples = run(engine, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").terms[0][0]
    result = run(engine, _STATS)
    rows = [("triples", triples.value if triples is not None else "0")]
    rows += [(r[0].value if r[0] else "", r[1].value if r[1] else "") for r in result.terms]
    if fmt == "table":
        write_output(format_table(["what", "count"], rows), None)
    elif fmt == "json":
        import json

        write_output(json.dumps({k: int(v) for k, v in rows}, indent=2), None)
    else:
        sep = "," if fmt == "csv" else "\t"
        write_output("\n".join([f"what{sep}count"] + [f"{k}{sep}{v}" for k, v in rows]), None)


@click.command()
@click.option(
    "--no-shacl", is_flag=True, help="Skip the SHACL shapes (run only the integrity queries)."
)
@handle_errors
def validate(no_shacl: bool) -> None:
    """Check the graph against its SHACL shapes and integrity queries; exit 1 on any violation.

    \b
    Example:
      relaxgraph validate && echo valid
    """
    from ..validation import validate as run_validation

    report = run_validation(shacl=not no_shacl)
    click.echo(report.text())
    if not report.conforms:
        sys.exit(1)


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="ttl",
    show_default=True,
    help="RDF (ttl, nt, jsonld, xml), the entity network (graphml, gexf) or one triple a row (csv).",
)
@click.option(
    "-o", "--output", metavar="FILE", help="Write to FILE (atomically) instead of stdout."
)
@engine_options
@handle_errors
def export(
    fmt: str, output: str | None, store: str | None, endpoint: str | None, infer: bool, backend: str
) -> None:
    """Write the whole graph as RDF (ttl, nt, jsonld, xml), a network (graphml, gexf) or CSV triples.

    \b
    Examples:
      relaxgraph export --format nt -o relaxgraph.nt
      relaxgraph export --format graphml -o relaxgraph.graphml   # Gephi, Cytoscape
      relaxgraph export --format gexf -o relaxgraph.gexf         # Gephi
    """
    from ..exporting import export as run_export

    write_output(run_export(fmt, open_engine(store, endpoint, infer, backend)), output)


@click.command()
@click.option(
    "--source",
    type=click.Path(file_okay=False),
    default=None,
    help="An ontology folder to build from (default: the shipped one).",
)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    default="relaxgraph.nt",
    show_default=True,
    help="Where to write the merged graph (.nt or .ttl).",
)
@handle_errors
def build(source: str | None, output: str) -> None:
    """Parse every data file, check the graph, and write it merged into one file.

    A malformed file stops the build with its name, line and the parser's message;
    nothing is written then.

    \b
    Example:
      relaxgraph build -o out/relaxgraph.nt
    """
    from ..build import build_graph

    n = build_graph(source, output)
    click.echo(f"wrote {output}: {n} triples", err=True)


@click.command()
@click.option(
    "-d",
    "--output-dir",
    default="relaxgraph-demo",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder for the merged graph and the visualisation.",
)
@handle_errors
def demo(output_dir: str) -> None:
    """The main job: build the graph, run example queries, write an interactive visualisation.

    \b
    Example:
      relaxgraph demo -d out && xdg-open out/relaxgraph.html
    """
    from ..build import run_demo
    from ..errors import OutputPathError

    try:
        run_demo(output_dir, echo=click.echo)
    except OSError as exc:  # a folder that cannot be made or written
        raise OutputPathError(
            f"cannot write into {output_dir}: {exc.strerror or exc}; give a folder you can write to"
        ) from None
