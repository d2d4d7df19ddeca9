"""``relaxgraph layers``: the layers of the graph, with their graphs, counts and licences."""

from __future__ import annotations

import click

from ._common import STORE_OPTION, handle_errors

#: Columns of the table and the CSV, in order (the JSON has every field of the registry).
COLUMNS = ("id", "graph", "triples", "licence", "attribution")


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="table, json (every field of the registry) or csv.",
)
@STORE_OPTION
@handle_errors
def layers(fmt: str, store: str | None) -> None:
    """List the layers: id, named graph, triple count, licence and attribution.

    \b
    Each layer is one source in its own named graph; queries see their union, and
    `--layer ID` (on query, describe, stats, export, viz) restricts them to some layers.
    Examples:
      relaxgraph layers
      relaxgraph layers --format json
      relaxgraph query -e 'SELECT * WHERE { GRAPH <https://w3id.org/relaxgraph/graph/curation> { ?s ?p ?o } } LIMIT 5'
    """
    from ..data.layer_registry import layers as list_layers

    source = None
    if store is not None:
        from ..storage.store import open_store

        source = open_store(store)
    rows = [summary.as_dict() for summary in list_layers(store=source)]
    shown = [  # a layer kept out of the wheel and not built yet has no count
        {**row, "triples": "not built" if row["triples"] is None else row["triples"]}
        for row in rows
    ]
    if fmt == "json":
        import json

        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows([row[c] for c in COLUMNS] for row in shown)
        click.echo(out.getvalue(), nl=False)
    else:
        click.echo(_table(shown))


def _table(rows: list[dict[str, object]]) -> str:
    """The layers as a table, then each layer's attribution wrapped to the terminal's width
    (a column of it would make every line of the table a few hundred characters long)."""
    import shutil
    import textwrap

    from ..views.table import format_table

    columns = [c for c in COLUMNS if c != "attribution"]
    width = max(60, min(shutil.get_terminal_size((100, 24)).columns, 120))
    parts = [format_table(columns, [[row[c] for c in columns] for row in rows]), "", "Attribution:"]
    for row in rows:
        parts.append(
            textwrap.fill(
                str(row["attribution"]),
                width=width,
                initial_indent=f"  {row['id']}: ",
                subsequent_indent="    ",
                break_on_hyphens=False,
            )
        )
    return "\n".join(parts)
