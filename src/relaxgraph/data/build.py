"""Building the merged graph from the data files (``relaxgraph build``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox

__all__ = ["build_graph"]


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
