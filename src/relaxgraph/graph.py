"""Loading the bundled graph as an :class:`rdflib.Graph`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import rdflib

__all__ = ["load"]

StoreKind = Literal["oxigraph", "memory"]


def load(*, store: StoreKind = "oxigraph", infer: bool = False) -> rdflib.Graph:
    """Return the whole bundled graph (ontology and knowledge base) as a fresh rdflib Graph.

    ``store="oxigraph"`` (default) keeps the triples in an Oxigraph store behind rdflib's
    API, so SPARQL on the returned graph is fast; ``store="memory"`` uses rdflib's own
    in-memory store. ``infer=True`` adds the RDFS/OWL-RL closure (computed with owlrl).

    >>> g = load()
    >>> len(g) > 1000
    True
    >>> load() is load()
    False
    """
    import rdflib
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    if infer:
        from .reasoning import bundled_closure

        ox_store = bundled_closure()
    else:
        from .store import bundled_store

        ox_store = bundled_store()
    if store == "oxigraph":
        from oxrdflib import OxigraphStore

        graph = rdflib.Graph(
            store=OxigraphStore(store=ox_store), identifier=DATASET_DEFAULT_GRAPH_ID
        )
    elif store == "memory":
        from ._convert import ox_to_rdflib

        graph = rdflib.Graph()
        graph += (ox_to_rdflib(t) for t in ox_store.quads_for_pattern(None, None, None))
    else:
        raise ValueError(f"unknown store {store!r}: use 'oxigraph' or 'memory'")
    _bind_prefixes(graph)
    return graph


def _bind_prefixes(graph: rdflib.Graph) -> None:
    from ._iris import PREFIXES

    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
