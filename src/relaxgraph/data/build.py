"""Building the merged graph from the data files, and the demo (the README's main job)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

__all__ = ["build_graph", "run_demo"]


def _source_files(source: str | Path | None) -> list[Any]:
    from . import _resources

    if source is None:
        return _resources.data_files()
    folder = Path(source)
    onto = folder / "relaxgraph.ttl"
    if not onto.is_file():
        from ..errors import DataFileError

        raise DataFileError(
            str(folder),
            "not an ontology folder: it has no relaxgraph.ttl (give the folder that holds relaxgraph.ttl and kb/)",
        )
    return [onto, *sorted((folder / "kb").glob("*.ttl"))]


def build_graph(source: str | Path | None = None, output: str | Path | None = None) -> int:
    """Parse every data file into one store and write it to ``output``; return the triple count.

    ``.nt`` and ``.ttl`` get the union of the layers; ``.nq`` and ``.trig`` each layer in its
    named graph (see :mod:`relaxgraph.data.layer_registry`).

    Every file is parsed before anything is written; a malformed file raises
    :class:`~relaxgraph.errors.DataFileError` (file, line, the parser's message) and no output appears.
    """
    from .._atomic import write_atomic
    from ..querying.sparql import as_bytes
    from ..storage.store import parse_turtle_into

    store = ox.Store()
    if source is None:  # the shipped layers, each in its named graph
        from .layer_registry import load_layers, registry

        reg = registry()
        load_layers(store, reg.select(), reg)
    else:
        for f in _source_files(source):
            parse_turtle_into(store, f, name=str(f))
    n = len(store)
    if output is not None:
        fmt = ox.RdfFormat.from_extension(Path(output).suffix.lstrip(".")) or ox.RdfFormat.N_TRIPLES
        from .._iris import PREFIXES

        prefixes = dict(PREFIXES) if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
        if fmt.supports_datasets:  # .nq, .trig: each layer in its named graph
            quads = sorted(store, key=lambda q: (str(q.graph_name), str(q.triple)))
            data = as_bytes(ox.serialize(quads, format=fmt, prefixes=prefixes))
        else:
            triples = sorted(
                (q.triple for q in store),
                key=lambda t: (str(t.subject), str(t.predicate), str(t.object)),
            )
            data = as_bytes(ox.serialize(triples, format=fmt, prefixes=prefixes))
        write_atomic(output, data)
    return n


DEMO_QUERIES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("drugs-by-class", {}),
    ("side-effects", {"drug": "baclofen"}),
    ("statistics-table", {}),
    ("flagged-claims", {}),
)


def run_demo(output_dir: str | Path, echo: Callable[[str], Any] = print) -> None:
    """Build the graph, run example queries, and write an interactive visualisation into ``output_dir``."""
    from ..querying.catalogue import get
    from ..storage.engines import connect
    from ..views.table import format_table

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
    from ..views.viz import visualize

    html_path = folder / "relaxgraph.html"
    visualize(engine, output=html_path)
    echo(f"\nWrote the interactive graph: {html_path} (open it in any browser; it works offline)")
