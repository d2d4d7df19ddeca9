"""Writing the graph out: RDF serialisations, GraphML/GEXF for Gephi and Cytoscape, CSV.

:data:`EXPORT_FORMATS` is the one list of formats: the command line's ``--format`` choices
and :func:`relaxgraph.export` both take it from here.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pyoxigraph as ox

from .._iris import PREFIXES
from ..querying.sparql import as_bytes

__all__ = [
    "EXPORT_FORMATS",
    "NETWORK_FORMATS",
    "QUAD_FORMATS",
    "RDF_FORMATS",
    "export",
    "network_bytes",
]

#: RDF serialisations: Turtle, N-Triples, JSON-LD (with an ``@context``), RDF/XML.
RDF_FORMATS = ("ttl", "nt", "jsonld", "xml")
#: Dataset serialisations: each layer in its named graph (N-Quads, TriG).
QUAD_FORMATS = ("nq", "trig")
#: The entity network (see :func:`relaxgraph.views.network.to_networkx`), for Gephi and Cytoscape.
NETWORK_FORMATS = ("graphml", "gexf")
#: Formats :func:`export` writes.
EXPORT_FORMATS = (*RDF_FORMATS, *QUAD_FORMATS, *NETWORK_FORMATS, "csv")


def _check_format(format: str) -> None:
    if format not in EXPORT_FORMATS:
        from ..errors import InvalidArgumentError

        raise InvalidArgumentError(
            f"unknown export format {format!r}; use one of {', '.join(EXPORT_FORMATS)}"
        )


def _triples(engine: Any) -> list[ox.Triple]:
    store = getattr(engine, "store", None)
    if isinstance(store, ox.Store):
        from ..data.layer_registry import union_triples

        default_graph = getattr(engine, "dataset", {}).get("default_graph")
        if default_graph is None:
            return list(union_triples(store))
        return [  # the layers the engine was restricted to
            q.triple for g in default_graph for q in store.quads_for_pattern(None, None, None, g)
        ]
    all_triples = getattr(engine, "all_triples", None)
    if callable(all_triples):  # a remote endpoint: in pages if it cuts long answers
        return list(all_triples())
    from ..querying.catalogue import internal
    from ..querying.sparql import run

    return run(engine, internal("all-triples").text).triples


def _sorted_quads(engine: Any) -> list[ox.Quad]:
    """The layers, each in its named graph, for N-Quads and TriG; an engine without a local
    store (an endpoint, rdflib) gives its graph as the default graph."""
    store = getattr(engine, "store", None)
    if isinstance(store, ox.Store):
        from ..data.layer_registry import union_graphs

        default_graph = getattr(engine, "dataset", {}).get("default_graph")
        graphs = default_graph if default_graph is not None else union_graphs(store)
        quads = [q for g in graphs for q in store.quads_for_pattern(None, None, None, g)]
    else:
        quads = [ox.Quad(t.subject, t.predicate, t.object) for t in _triples(engine)]
    quads.sort(key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    return quads


def _sorted_triples(engine: Any) -> list[ox.Triple]:
    triples = _triples(engine)
    triples.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return triples


def _node_text(term: Any) -> str:
    """An IRI as itself, a blank node as ``_:id`` (so it cannot read back as an IRI)."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def _csv(triples: list[ox.Triple]) -> bytes:
    """One triple a row: subject, predicate, object, the object's datatype and language.

    Subjects and objects that are blank nodes are written ``_:id``; IRIs as they are;
    a literal object as its lexical form, with its datatype (and language) in their columns.
    """
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["subject", "predicate", "object", "object_datatype", "object_language"])
    for t in triples:
        o = t.object
        if isinstance(o, ox.Literal):
            row = [o.value, o.datatype.value, o.language or ""]
        else:
            row = [_node_text(o), "", ""]
        writer.writerow([_node_text(t.subject), t.predicate.value, *row])
    return buffer.getvalue().encode()


def _jsonld(triples: list[ox.Triple]) -> bytes:
    """JSON-LD compacted with relaxgraph's prefixes as its ``@context`` (rdflib's serialiser)."""
    import rdflib

    from ..querying._convert import ox_to_rdflib

    graph = rdflib.Graph()
    for triple in triples:
        graph.add(ox_to_rdflib(triple))
    text = graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
    ordered = _ordered(json.loads(text))
    return (json.dumps(ordered, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


def _ordered(value: Any, key: str = "") -> Any:
    """A JSON-LD value in one order: sets (every array but an ``@list``) sorted, keys sorted.

    rdflib writes a graph's nodes and values in the order of its hash-based sets, so the
    same graph would give different bytes from run to run.
    """
    if isinstance(value, dict):
        return {k: _ordered(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_ordered(v) for v in value]
        if key == "@list":
            return items
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def export(format: str = "ttl", engine: Any | None = None) -> bytes:
    """The graph in ``format`` (one of :data:`EXPORT_FORMATS`) as bytes.

    ``nq`` and ``trig`` write each layer in its named graph (see :mod:`relaxgraph.data.layer_registry`).
    ``graphml`` and ``gexf`` write the entity network of :func:`relaxgraph.views.network.to_networkx`
    (entities as nodes, relations as edges); ``csv`` writes one triple a row (blank nodes as
    ``_:id``); ``jsonld`` is compacted with the usual prefixes as its ``@context``.
    An unknown format raises :class:`~relaxgraph.errors.InvalidArgumentError` (a ``ValueError``).

    >>> export("nt")[:1]
    b'<'
    """
    _check_format(format)
    if engine is None:
        from ..api import default_engine

        engine = default_engine()
    if format in NETWORK_FORMATS:
        from .network import to_networkx

        return network_bytes(to_networkx(engine), format)
    if format in QUAD_FORMATS:
        quad_format = ox.RdfFormat.N_QUADS if format == "nq" else ox.RdfFormat.TRIG
        prefixes = dict(PREFIXES) if format == "trig" else None
        return as_bytes(ox.serialize(_sorted_quads(engine), format=quad_format, prefixes=prefixes))
    triples = _sorted_triples(engine)
    if format == "csv":
        return _csv(triples)
    if format == "jsonld":
        return _jsonld(triples)
    rdf_format = {
        "ttl": ox.RdfFormat.TURTLE,
        "nt": ox.RdfFormat.N_TRIPLES,
        "xml": ox.RdfFormat.RDF_XML,
    }[format]
    prefixes = dict(PREFIXES) if format in ("ttl", "xml") else None
    return as_bytes(ox.serialize(triples, format=rdf_format, prefixes=prefixes))


def network_bytes(graph: Any, format: str) -> bytes:
    """A networkx graph from :func:`relaxgraph.views.network.to_networkx` as GraphML or GEXF bytes.

    The graph is first flattened by :func:`relaxgraph.views.network.flatten_for_export`: node ids
    become XML tokens (``n0``, ``n1`` ...; the IRI is the ``iri`` attribute), edge ids are
    unique (``e0`` ...; the property's CURIE is the ``curie`` attribute), every attribute holds
    one type of scalar, and text holds only characters XML allows. GraphML is valid against
    the GraphML schema, with booleans written ``true``/``false``.
    """
    if format not in NETWORK_FORMATS:
        from ..errors import InvalidArgumentError

        raise InvalidArgumentError(f"a network is written as graphml or gexf, not {format!r}")
    import networkx as nx

    from .network import flatten_for_export

    flat = flatten_for_export(graph)
    out = io.BytesIO()
    if format == "graphml":
        writer = _graphml_writer_class()(encoding="utf-8", prettyprint=True)
        writer.add_graph_element(flat)
        writer.dump(out)
    else:
        for _u, _v, key, data in flat.edges(keys=True, data=True):
            data["id"] = key  # GEXF takes an edge's id from its "id" attribute
        nx.write_gexf(flat, out)
    return out.getvalue()


def _graphml_writer_class() -> type[Any]:
    """networkx's GraphML writer, with booleans as the schema spells them (``true``/``false``)."""
    from networkx.readwrite.graphml import GraphMLWriter

    class Writer(GraphMLWriter):  # type: ignore[misc]
        def add_data(
            self, name: str, element_type: Any, value: Any, scope: str = "all", default: Any = None
        ) -> Any:
            if element_type is bool:
                value = "true" if str(value) == "True" else "false"
            return super().add_data(name, element_type, value, scope, default)

    return Writer
