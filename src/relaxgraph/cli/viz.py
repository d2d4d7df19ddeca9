"""``relaxgraph viz``: write an interactive, offline HTML view of the graph."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import engine_options, handle_errors, open_engine, parse_params


@click.command()
@click.option(
    "-o",
    "--output",
    default="relaxgraph.html",
    show_default=True,
    metavar="FILE",
    help="Where to write the page (written atomically; nothing else is written).",
)
@click.option(
    "--focus",
    metavar="ENTITY",
    help="Draw only this entity's neighbourhood (label, synonym or identifier).",
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="With --focus: how many links away from the entity to draw.",
)
@click.option(
    "--query",
    "query_name",
    metavar="NAME",
    help="Draw a catalogue query's result: a CONSTRUCT's graph or the entities a SELECT returns.",
)
@click.option(
    "-f",
    "--file",
    "file",
    type=click.Path(dir_okay=False),
    help="Draw the result of the SPARQL query in this file.",
)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter of the --query.",
)
@click.option(
    "--physics",
    type=click.Choice(["auto", "on", "off"]),
    default="auto",
    show_default=True,
    help="auto: a live layout for small graphs, a precomputed one above 500 nodes.",
)
@click.option(
    "--renderer",
    type=click.Choice(["auto", "canvas", "webgl"]),
    default="auto",
    show_default=True,
    help="auto: the canvas view up to 10,000 nodes, WebGL (sigma.js) above; webgl ignores --physics.",
)
@click.option("--title", metavar="TEXT", help="The page's title.")
@click.option(
    "--open", "open_browser", is_flag=True, help="Open the page in the web browser afterwards."
)
@engine_options
@handle_errors
def viz(
    output: str, focus: str | None, depth: int, query_name: str | None, file: str | None,
    params: tuple[str, ...], physics: str, renderer: str, title: str | None, open_browser: bool,
    store: str | None, endpoint: str | None, infer: bool, backend: str,
) -> None:  # fmt: skip
    """Write an interactive, offline HTML view of the graph (one file, no network needed).

    \b
    Examples:
      relaxgraph viz -o graph.html
      relaxgraph viz --focus baclofen --depth 2 -o baclofen.html --open
      relaxgraph viz --query entity-neighbourhood --param entity=Lioresal
      relaxgraph viz --file my-construct.rq
      relaxgraph viz --store big.db --renderer webgl -o big.html
    """
    if query_name is not None and file is not None:
        raise click.UsageError("give either --query NAME or --file FILE, not both")
    if params and query_name is None:
        raise click.UsageError("--param works with --query NAME")
    from ..views.viz import check_output, visualize

    target = Path(output)
    check_output(target)  # before any work: a folder, or a missing folder, is refused
    query: str | None = query_name
    if file is not None:  # read and checked as `relaxgraph query --file` does
        from ..api import prepare_sparql
        from .query import _read_query_file

        query = _read_query_file(file)
        prepare_sparql(query, file)  # the usual prefixes; a parser crash costs only a child
    engine = open_engine(store, endpoint, infer, backend)
    page = visualize(
        engine, focus=focus, depth=depth, query=query, params=parse_params(params) or None,
        output=target, physics=physics, title=title, renderer=renderer,  # type: ignore[arg-type]
    )  # fmt: skip
    click.echo(f"wrote {output} ({len(page.encode('utf-8')) / 1e6:.1f} MB)", err=True)
    if open_browser:
        import webbrowser

        webbrowser.open(target.resolve().as_uri())
