"""Choosing where queries run: the bundled graph in memory, an on-disk store, or an endpoint."""

from __future__ import annotations

from typing import Literal

from .sparql import Engine, OxigraphEngine, RdflibEngine

__all__ = ["connect"]

Backend = Literal["oxigraph", "rdflib"]


def connect(
    *,
    store: str | None = None,
    endpoint: str | None = None,
    infer: bool = False,
    backend: Backend = "oxigraph",
) -> Engine:
    """Open an :class:`~relaxgraph.sparql.Engine`.

    - no arguments: the bundled graph in an in-memory Oxigraph store (the default);
    - ``store=PATH``: an on-disk Oxigraph store made with ``relaxgraph load``;
    - ``endpoint=URL``: a remote SPARQL 1.1 endpoint (credentials from the environment,
      see :mod:`relaxgraph.remote`);
    - ``backend="rdflib"``: the bundled graph in rdflib's in-memory store (slower);
    - ``infer=True``: answer over the RDFS/OWL-RL closure (embedded stores only).
    """
    if endpoint is not None:
        if store is not None:
            from .errors import EndpointURLError

            raise EndpointURLError(
                "give either a store or an endpoint, not both (--store PATH or --endpoint URL)"
            )
        from .remote import RemoteEngine

        return RemoteEngine(endpoint)
    if store is not None:
        from .store import open_store

        ox_store = open_store(store, read_only=not infer)
        if infer:
            from .reasoning import closure

            ox_store = closure(ox_store)
    elif infer:
        from .reasoning import bundled_closure

        ox_store = bundled_closure()
    else:
        from .store import bundled_store

        ox_store = bundled_store()
    if backend == "rdflib":
        import rdflib

        from ._convert import ox_to_rdflib

        graph = rdflib.Graph()
        for quad in ox_store:
            graph.add(ox_to_rdflib(quad))
        return RdflibEngine(graph)
    return OxigraphEngine(ox_store)
