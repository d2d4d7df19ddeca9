"""``relaxgraph report``: the annotated guide (HTML or Markdown)."""

from __future__ import annotations

import click

from ._common import engine_options, handle_errors, open_engine, write_output


@click.command()
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (default: stdout)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "markdown"]),
    default="html",
    show_default=True,
    help="html (one self-contained, printable page) or markdown (for terminals and diffs).",
)
@click.option(
    "--guide",
    "guide",
    type=click.Path(exists=True, dir_okay=False),
    help="The guide's text file: show its full text (checked against the quotes) instead of the quotes only.",
)
@engine_options
@handle_errors
def report(
    output: str | None,
    fmt: str,
    guide: str | None,
    store: str | None,
    endpoint: str | None,
    infer: bool,
    backend: str,
) -> None:
    """Write the annotated guide: every claim highlighted by its verdict, with reason and evidence.

    \b
    The guide itself is not redistributed: by default the page holds the verbatim quotes the
    graph has, in document order within their sections ("…" marks text left out). With
    --guide PATH it shows the whole text, after checking that every quote is at its offsets.
    The HTML page is offline (no request to another host) and printable; click, tap or press
    Enter on a highlight for the reason and evidence.
    \b
    Exit codes: 0 written; 2 bad input (an unreadable --guide, a text that is not the guide).
    Examples:
      relaxgraph report -o guide.html
      relaxgraph report --format markdown | less
      relaxgraph report --guide the-guide.txt -o guide.html
    """
    from pathlib import Path

    from ..views.report import render_report

    text = Path(guide).read_text(encoding="utf-8") if guide else None
    engine = open_engine(store, endpoint, infer, backend)
    page = render_report(engine, fmt="markdown" if fmt == "markdown" else "html", guide_text=text)
    write_output(page, output)
