"""Writing the graph out: RDF serialisations, GraphML/GEXF for Gephi and Cytoscape, CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

import pyoxigraph as ox

from ._iris import PREFIXES
from .sparql import as_bytes

__all__ = ["EXPORT_FORMATS", "export", "network_bytes"]

_RDF = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
#: Formats :func:`export` writes.
EXPORT_FORMATS = (*_RDF, "graphml", "gexf", "csv")


def _triples(engine: Any) -> list[ox.Triple]:
    store = getattr(engine, "store", None)
    if isinstance(store, ox.Store):
        return [q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    all_triples = getattr(engine, "all_triples", None)
    if callable(all_triples):  # a remote endpoint: in pages if it cuts long answers
        return list(all_triples())
    from .sparql import run

    return run(engine, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").triples


def _text(term: Any) -> str:
    return term.value if hasattr(term, "value") else str(term)


def export(format: str = "ttl", engine: Any | None = None) -> bytes:
    """The graph in ``format`` (one of :data:`EXPORT_FORMATS`) as bytes.

    ``graphml`` and ``gexf`` write the entity network of :func:`relaxgraph.network.to_networkx`
    (entities as nodes, relations as edges); ``csv`` writes one triple a row.

    >>> export("nt")[:1]
    b'<'
    """
    if engine is None:
        from .engines import connect

        engine = connect()
    if format in _RDF:
        triples = _triples(engine)
        triples.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        prefixes = dict(PREFIXES) if format in ("ttl", "xml") else None
        if format == "jsonld":
            return as_bytes(ox.serialize(triples, format=_RDF[format]))
        return as_bytes(ox.serialize(triples, format=_RDF[format], prefixes=prefixes))
    if format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["subject", "predicate", "object", "object_datatype", "object_language"])
        for t in sorted(
            _triples(engine), key=lambda t: (str(t.subject), str(t.predicate), str(t.object))
        ):
            s, p, o = _text(t.subject), t.predicate.value, t.object
            if isinstance(o, ox.Literal):
                writer.writerow(
                    [
                        s,
                        p,
                        o.value,
                        o.datatype.value,
                        o.language or "",
                    ]
                )
            else:
                writer.writerow([s, p, _text(o), "", ""])
        return buffer.getvalue().encode()
    if format in ("graphml", "gexf"):
        from .network import to_networkx

        return network_bytes(to_networkx(engine), format)
    raise ValueError(f"unknown export format {format!r}; use one of {', '.join(EXPORT_FORMATS)}")


def network_bytes(graph: Any, format: str) -> bytes:
    """A networkx graph from :func:`relaxgraph.network.to_networkx` as GraphML or GEXF bytes.

    List and dict attributes (identifiers, evidence) are flattened to text first,
    as both formats hold only scalars.
    """
    import networkx as nx

    from .network import flatten_for_export

    flat = flatten_for_export(graph)
    out = io.BytesIO()
    if format == "graphml":
        nx.write_graphml(flat, out)
    elif format == "gexf":
        nx.write_gexf(flat, out)
    else:
        raise ValueError(f"a network is written as graphml or gexf, not {format!r}")
    return out.getvalue()
