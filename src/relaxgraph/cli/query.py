"""Commands that read the graph: query, queries, describe, stats, validate, export, build, demo."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..api import DESCRIBE_FORMATS, EXPORT_FORMATS, STATS_FORMATS
from ..querying.sparql import GRAPH_FORMATS, QUERY_FORMATS
from ._common import engine_options, handle_errors, open_engine, parse_params, write_output

FORMAT_CHOICE = click.Choice(QUERY_FORMATS)
DEFAULT_TIMEOUT = 10.0


def _print_result(result: Any, fmt: str | None, output: str | None) -> None:
    from ..api import format_result
    from ..errors import InvalidArgumentError

    if fmt is None:
        piped = output is not None or not sys.stdout.isatty()
        fmt = "ttl" if result.kind == "graph" else ("tsv" if piped else "table")
    try:
        data = format_result(result, fmt)
    except InvalidArgumentError as exc:  # a format that does not fit this result: usage
        raise click.UsageError(str(exc)) from None
    write_output(data, output)


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

    SPARQL text may use the usual prefixes (rg:, rgo:, rdfs:, skos:, oa: ...) without PREFIX
    lines, as relaxgraph.query() does; errors give the line and column in the text as written.

    \b
    Examples:
      relaxgraph query side-effects --param drug=Lioresal
      relaxgraph query drugs-by-class --format csv > drugs.csv
      relaxgraph query --file my.rq --format json
      relaxgraph query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
      relaxgraph query -e 'SELECT ?drug WHERE { ?drug a rgo:Drug }'
    """
    import time

    from .. import api
    from ..errors import QueryTimeoutError
    from ..querying.sparql import check_memory_limit, check_timeout

    started = time.monotonic()
    sources = [s for s in (name, file, inline) if s]
    if len(sources) != 1:
        raise click.UsageError(
            "give exactly one of NAME, --file FILE or -e SPARQL (see `relaxgraph queries`)"
        )
    limit = check_timeout(timeout)
    memory = check_memory_limit(memory_limit)
    assert limit is not None
    if name is not None and api.is_sparql(name):  # the library's one rule: SPARQL text
        name, inline = None, name
    if inline is not None:
        text, label = inline, "query"
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
        _update(store, text, label, allow_service)
        return
    if name is None:  # untrusted text: checked and parsed before any store is opened
        api.prepare_sparql(text, label, allow_service=allow_service)
    else:
        text = name
    engine = open_engine(store, endpoint, infer, backend, timeout=limit, memory_limit=memory)
    if hasattr(engine, "timeout"):  # a remote endpoint: entity look-ups too
        engine.timeout = limit
    remaining = limit - (time.monotonic() - started)
    if remaining <= 0:
        raise QueryTimeoutError(limit)
    try:
        result = api.query(
            text,
            engine,
            timeout=remaining,
            memory_limit=memory,
            allow_service=allow_service,
            **parse_params(params),
        )
    except QueryTimeoutError as exc:
        if type(exc) is not QueryTimeoutError:  # an endpoint's own, more precise message
            raise
        raise QueryTimeoutError(limit) from None  # the whole command's limit, not what was left
    _print_result(result, fmt, output)


def _update(store: str, text: str, label: str, allow_service: tuple[str, ...]) -> None:
    """Apply a SPARQL update to ``store``, under the store's writer lock (no lost update)."""
    from ..querying.guard import check_query_text
    from ..querying.sparql import strip_bom
    from ..storage.engines import OxigraphEngine
    from ..storage.store import writable_store

    text = strip_bom(text)
    check_query_text(text, allow_service=allow_service, source=label)
    with writable_store(store) as writable:
        OxigraphEngine(writable).update(text)
    click.echo("update applied", err=True)


def _read_query_file(file: str) -> str:
    """The text of a query file: UTF-8 (a byte-order mark is dropped), or a one-line error."""
    from ..errors import QueryError
    from ..querying.sparql import strip_bom
    from ..views._terminal import not_utf8

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
        raise QueryError(not_utf8(file, exc)) from None


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
    from ..querying.catalogue import load_catalogue, to_rdf

    catalogue = load_catalogue()
    items = [q for q in catalogue.values() if tag is None or tag in q.tags]
    if fmt == "ttl":
        import pyoxigraph as ox

        from .._iris import PREFIXES
        from ..querying.sparql import as_bytes

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
    from ..views.table import format_table

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
    type=click.Choice(DESCRIBE_FORMATS),
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
      relaxgraph describe CHEBI:2972
      relaxgraph describe Lioresal --format ttl
    """
    from .. import api

    engine = open_engine(store, endpoint, infer, backend)
    if fmt in GRAPH_FORMATS:
        write_output(api.describe_graph(entity, engine).serialize(fmt), None)
        return
    write_output(api.format_description(api.describe(entity, engine), fmt), None)


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(STATS_FORMATS),
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
    from .. import api

    counts = api.stats(open_engine(store, endpoint, infer, backend))
    write_output(api.format_stats(counts, fmt), None)


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
    from ..checking.validation import validate as run_validation

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
    from ..views.exporting import export as run_export

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
    from ..data.build import build_graph

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
    from ..demo import run_demo
    from ..errors import OutputPathError

    try:
        run_demo(output_dir, echo=click.echo)
    except OSError as exc:  # a folder that cannot be made or written
        raise OutputPathError(
            f"cannot write into {output_dir}: {exc.strerror or exc}; give a folder you can write to"
        ) from None
