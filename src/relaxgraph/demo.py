"""The demo, the README's main job (``relaxgraph demo``): build the graph, run example
catalogue queries, and write the interactive network view."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["DEMO_QUERIES", "run_demo"]


DEMO_QUERIES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("drugs-by-class", {}),
    ("side-effects", {"drug": "baclofen"}),
    ("statistics-table", {}),
    ("flagged-claims", {}),
)


def run_demo(output_dir: str | Path, echo: Callable[[str], Any] = print) -> None:
    """Build the graph, run example queries, and write an interactive visualisation into ``output_dir``."""
    from .data.build import build_graph
    from .querying.catalogue import get
    from .storage.engines import connect
    from .views.table import format_table

    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    n = build_graph(None, folder / "relaxgraph.nt")
    echo(f"Built the graph: {n} triples -> {folder / 'relaxgraph.nt'}")
    engine = connect()
    for name, params in DEMO_QUERIES:
        entry = get(name)
        result = entry.run(engine, **params)
        shown = ", ".join(f"{k}={v}" for k, v in params.items())
        echo(
            f"\n$ relaxgraph query {name}{' --param ' + shown if shown else ''}   # {entry.summary}"
        )
        echo(format_table(result.variables, result.terms[:15]))
    from .views.viz import visualize

    html_path = folder / "relaxgraph.html"
    visualize(engine, output=html_path)
    echo(f"\nWrote the interactive graph: {html_path} (open it in any browser; it works offline)")
