"""Loading the bundled graph as an :class:`rdflib.Graph`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pyoxigraph as ox
    import rdflib

__all__ = ["load"]

StoreKind = Literal["oxigraph", "memory"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def load(
    *, store: StoreKind = "oxigraph", infer: bool = False, layers: Sequence[str] | None = None
) -> rdflib.Graph:
    """Return the whole bundled graph (ontology and knowledge base) as a fresh rdflib Graph.

    The graph is the union of the layers (see :mod:`relaxgraph.data.layer_registry`); ``layers=["guide",
    ...]`` keeps only those layers (``"entailed"`` adds the precomputed entailments).

    ``store="oxigraph"`` (default) keeps the triples in an Oxigraph store behind rdflib's
    API, so SPARQL on the returned graph is fast; ``store="memory"`` uses rdflib's own
    in-memory store. ``infer=True`` adds the RDFS/OWL-RL closure (computed with owlrl).

    Either way the graph behaves as rdflib's own: plain literals come back untyped (equal
    to ``Literal("x")``), and ``initBindings`` may bind any variable of a query, selected
    or not.

    >>> g = load()
    >>> len(g) > 1000
    True
    >>> load() is load()
    False
    >>> from rdflib import Literal, URIRef
    >>> g.value(URIRef("https://w3id.org/relaxgraph/id/baclofen"), URIRef(
    ...     "http://www.w3.org/2000/01/rdf-schema#label")) == Literal("baclofen")
    True
    """
    import rdflib
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    if store not in ("oxigraph", "memory"):
        from ..errors import InvalidArgumentError

        raise InvalidArgumentError(f"unknown store {store!r}: use 'oxigraph' or 'memory'")
    from ..data.layer_registry import registry
    from .store import bundled_store

    if layers is None:
        chosen = [layer.id for layer in registry().select()] + (["entailed"] if infer else [])
        ox_store = _union_store(bundled_store(chosen))
    else:
        chosen = [layer.id for layer in registry().select(layers)]  # raises for an unknown id
        ox_store = _union_store(bundled_store(chosen))
        if infer:  # the closure of those layers (the shipped entailments are of them all)
            from ..checking.reasoning import closure

            ox_store = closure(ox_store)
    if store == "oxigraph":
        graph = rdflib.Graph(
            store=_store_class()(store=ox_store), identifier=DATASET_DEFAULT_GRAPH_ID
        )
    else:
        from ..querying._convert import ox_to_rdflib

        graph = rdflib.Graph()
        graph += (ox_to_rdflib(t) for t in ox_store.quads_for_pattern(None, None, None))
    _bind_prefixes(graph)
    return graph


def _union_store(layered: ox.Store) -> ox.Store:
    """A store whose default graph holds every triple of ``layered`` (rdflib sees one graph)."""
    import pyoxigraph as ox

    from ..data.layer_registry import union_triples

    union = ox.Store()
    union.extend(ox.Quad(t.subject, t.predicate, t.object) for t in union_triples(layered))
    return union


def _bind_prefixes(graph: rdflib.Graph) -> None:
    from .._iris import PREFIXES

    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)


def _plain(term: Any) -> Any:
    """An ``xsd:string`` literal as rdflib's plain literal (what ``Literal("x")`` is)."""
    from rdflib import Literal as RdfLiteral

    if isinstance(term, RdfLiteral) and str(term.datatype) == _XSD_STRING:
        return RdfLiteral(str(term))
    return term


@lru_cache(maxsize=1)
def _store_class() -> type[Any]:
    """oxrdflib's store, with rdflib's plain literals and rdflib's ``initBindings``."""
    import rdflib
    from oxrdflib import OxigraphStore

    class RelaxgraphStore(OxigraphStore):
        """Oxigraph behind rdflib's API, answering as rdflib's own stores do.

        Oxigraph types plain literals ``xsd:string``; rdflib leaves them untyped, so they are
        converted back on the way out. Oxigraph substitutes only variables a query selects;
        rdflib binds any, so a query whose bindings Oxigraph refuses is evaluated by rdflib's
        own SPARQL engine (over this store) instead.
        """

        def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[Any]:
            for (s, p, o), graphs in super().triples(triple_pattern, context):
                yield (s, p, _plain(o)), graphs

        def query(
            self,
            query: Any,
            initNs: Mapping[str, Any],  # rdflib's parameter names
            initBindings: Mapping[str, Any],
            queryGraph: Any,
            **kwargs: Any,
        ) -> Any:
            try:
                out = super().query(query, initNs, initBindings, queryGraph, **kwargs)
            except (RuntimeError, ValueError):
                if not initBindings:
                    raise
                # Oxigraph refuses bindings of variables the query does not select.
                raise NotImplementedError("evaluated by rdflib's engine") from None
            if out.type == "SELECT":
                out.bindings = [{v: _plain(t) for v, t in row.items()} for row in out.bindings]
            elif out.type == "CONSTRUCT" and out.graph is not None:
                graph = rdflib.Graph()
                graph += ((s, p, _plain(o)) for s, p, o in out.graph)
                out.graph = graph
            return out

    return RelaxgraphStore
