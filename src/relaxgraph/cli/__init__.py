"""The ``relaxgraph`` command line: a thin layer over the library.

Subcommands live in their own modules and are imported only when run, so
``relaxgraph --help`` and a cold ``relaxgraph query`` start fast.

Exit codes: 0 success; 1 validation found violations (nothing else exits 1); 2 bad input
(syntax error, unknown query, parameter or file, malformed data, a value out of range) and
any other relaxgraph error; 3 a query hit its time, memory or size limit; 4 unknown entity;
5 endpoint unreachable or refused; 130 interrupted.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

__all__ = ["main"]

# name -> (module, attribute, one-line help shown by `relaxgraph --help` without importing it)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "query": (
        "relaxgraph.cli.query",
        "query",
        "Run a catalogue query, a .rq file or inline SPARQL.",
    ),
    "queries": ("relaxgraph.cli.query", "queries", "List the query catalogue."),
    "describe": ("relaxgraph.cli.query", "describe", "Everything the graph says about one entity."),
    "stats": (
        "relaxgraph.cli.query",
        "stats",
        "Counts of entities, triples, statements and flags.",
    ),
    "validate": ("relaxgraph.cli.query", "validate", "Check SHACL shapes and integrity queries."),
    "export": (
        "relaxgraph.cli.query",
        "export",
        "Write the graph as ttl, nt, nq, trig, jsonld, xml, graphml, gexf or csv.",
    ),
    "build": ("relaxgraph.cli.query", "build", "Check every data file and write the merged graph."),
    "demo": (
        "relaxgraph.cli.query",
        "demo",
        "Build, run example queries and write a visualisation.",
    ),
    "check": (
        "relaxgraph.cli.check",
        "check",
        "How the guide's claims fare: counts by verdict and kind of problem.",
    ),
    "report": (
        "relaxgraph.cli.report",
        "report",
        "Write the annotated guide: every claim highlighted by verdict, with reason and evidence.",
    ),
    "viz": ("relaxgraph.cli.viz", "viz", "Write an interactive, offline HTML view of the graph."),
    "layers": (
        "relaxgraph.cli.layers",
        "layers",
        "List the layers: named graph, triple count, licence, attribution.",
    ),
    "load": ("relaxgraph.cli.store", "load", "Bulk-load RDF files into an on-disk store."),
    "push": ("relaxgraph.cli.store", "push", "Upload the graph to a SPARQL endpoint."),
    "serve": ("relaxgraph.cli.store", "serve", "Serve the graph as a read-only SPARQL endpoint."),
    "site": (
        "relaxgraph.cli.site",
        "site",
        "Write the browser workbench as a static site (opens from file://).",
    ),
}

EXIT_CODES = """\b
Exit codes:
  0    success
  1    validation found violations (`validate`), or `check --fail-on` found such claims
  2    bad input (SPARQL syntax, unknown query/parameter/file, malformed data, a value
       out of range such as --timeout nan) and any other error
  3    a query hit its time, memory or row limit (--timeout, --memory-limit)
  4    unknown entity
  5    endpoint unreachable or refused the request
  130  interrupted (Ctrl-C)
"""


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = COMMANDS.get(cmd_name)
        if spec is None:
            return None
        module = importlib.import_module(spec[0])
        command: click.Command = getattr(module, spec[1])
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:  # a usage error may quote a huge or hostile value
            from ..views._terminal import printable, shorten

            exc.message = printable(shorten(exc.message))  # type: ignore[misc]
            raise

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and name not in COMMANDS and not name.startswith("-"):
            import difflib

            close = difflib.get_close_matches(name, list(COMMANDS), n=3)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            ctx.fail(f"No such command {name!r}.{hint} See `relaxgraph --help`.")
        return super().resolve_command(ctx, args)


@click.group(
    cls=LazyGroup,
    epilog=EXIT_CODES,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(package_name="relaxgraph", prog_name="relaxgraph")
def cli() -> None:
    """relaxgraph: a knowledge graph of muscle-relaxant pharmacology, with provenance.

    \b
    Examples:
      relaxgraph queries
      relaxgraph query side-effects --param drug=Lioresal
      relaxgraph query -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --format csv
      relaxgraph describe baclofen
      relaxgraph viz -o graph.html --focus baclofen --depth 2

    Shell completion (bash): eval "$(_RELAXGRAPH_COMPLETE=bash_source relaxgraph)"
    """


def main(argv: list[str] | None = None) -> Any:
    """Entry point: run the CLI, turning relaxgraph's errors into a message and an exit code."""
    from ..errors import RelaxgraphError

    try:
        return cli.main(args=argv, prog_name="relaxgraph", standalone_mode=True)
    except RelaxgraphError as exc:  # raised outside a command's own handling
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
