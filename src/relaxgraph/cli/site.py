"""``relaxgraph site``: write the browser workbench as a static site that opens from file://."""

from __future__ import annotations

import click

from ._common import handle_errors


@click.command()
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="DIR",
    help="The folder to write (new, empty, or an earlier site, which is replaced whole).",
)
@click.option(
    "--store",
    metavar="PATH",
    help="Write the pages of an on-disk store (made with `relaxgraph load`) instead of the bundled graph.",
)
@handle_errors
def site(output: str, store: str | None) -> None:
    """Write the site's pages as static files: open DIR/index.html in a browser.

    \b
    The same pages `relaxgraph serve` answers: home (layers, counts, licences, every
    entity), a page per entity (id/NAME.html, with id/NAME.ttl, .nt and .jsonld), the
    network, the annotated guide (when the library has it) and the query page. On the
    static site the query page shows each catalogue query with the result it has with its
    default parameters, computed now; your own SPARQL, other parameter values and every
    download format need `relaxgraph serve`. No page asks another host for anything.
    Written into a new folder that then takes DIR's place: nothing half-written on error.
    Example:
      relaxgraph site -o site && xdg-open site/index.html
    """
    from ..views.site import write_site

    engine = None
    if store is not None:
        from ..storage.engines import connect

        engine = connect(store=store)
    written = write_site(output, engine)
    click.echo(f"Wrote the site to {written} (open {written}/index.html).", err=True)
