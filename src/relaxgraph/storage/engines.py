"""Choosing where queries run: the bundled graph in memory, an on-disk store, or an endpoint."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import pyoxigraph as ox

from ..errors import InvalidArgumentError
from ..querying.sparql import Engine, OxigraphEngine, RdflibEngine, check_timeout

__all__ = ["connect"]

Backend = Literal["oxigraph", "rdflib"]
BACKENDS = ("oxigraph", "rdflib")


def connect(
    *,
    store: str | None = None,
    endpoint: str | None = None,
    infer: bool = False,
    backend: Backend = "oxigraph",
    timeout: float | None = None,
    memory_limit: int | None = None,
    layers: Sequence[str] | None = None,
) -> Engine:
    """Open an :class:`~relaxgraph.querying.sparql.Engine`.

    - no arguments: the bundled graph in an in-memory Oxigraph store (the default);
    - ``store=PATH``: an on-disk Oxigraph store made with ``relaxgraph load``;
    - ``endpoint=URL``: a remote SPARQL 1.1 endpoint (credentials from the environment,
      see :mod:`relaxgraph.storage.remote`);
    - ``backend="rdflib"``: the bundled graph in rdflib's in-memory store (slower);
    - ``infer=True``: answer over the RDFS/OWL-RL closure (embedded stores only). For a
      ``store``, the closure is computed on demand, in a child process bounded by ``timeout``
      seconds and ``memory_limit`` bytes when given;
    - ``layers=["guide", ...]``: the default graph is only those layers (ids of
      ``relaxgraph layers``), with the bundled graph or a store; by default it is the union
      of every layer. A query can also name a layer: ``GRAPH <layer graph IRI> { ... }``.

    Raises :class:`~relaxgraph.errors.InvalidArgumentError` (a ``ValueError``) for
    arguments that do not go together.
    """
    if backend not in BACKENDS:
        raise InvalidArgumentError(
            f"unknown backend {str(backend)[:40]!r}; use one of {', '.join(BACKENDS)}"
        )
    timeout = check_timeout(timeout, "timeout")
    if layers is not None:
        layers = _check_layers(layers, endpoint)
    if endpoint is not None:
        if store is not None:
            from ..errors import EndpointURLError

            raise EndpointURLError(
                "give either a store or an endpoint, not both (--store PATH or --endpoint URL)"
            )
        from .remote import RemoteEngine

        return RemoteEngine(endpoint)
    if store is not None:
        from .store import open_store

        ox_store = open_store(store)  # read-only: the closure is a new store
    elif infer and layers is None:
        from ..checking.reasoning import bundled_closure

        ox_store = bundled_closure()
    else:
        from .store import bundled_store

        ox_store = bundled_store(_to_load(layers))
    if layers is not None:
        from ..data.layer_registry import restrict

        ox_store = restrict(ox_store, layers)  # only those layers' graphs
    if infer and (store is not None or layers is not None):
        ox_store = _closure_within(ox_store, timeout, memory_limit)
    if backend == "rdflib":
        import rdflib

        from ..querying._convert import ox_to_rdflib

        graph = rdflib.Graph()
        for quad in ox_store:
            graph.add(ox_to_rdflib(quad))
        return RdflibEngine(graph)
    return OxigraphEngine(ox_store)


def _to_load(layers: Sequence[str] | None) -> list[str] | None:
    """The bundled layers to load for a selection: the default ones and any optional ones named."""
    if layers is None:
        return None
    from ..data.layer_registry import registry

    reg = registry()
    return [layer.id for layer in reg.layers if not layer.optional or layer.id in layers]


def _check_layers(layers: Sequence[str], endpoint: str | None) -> list[str]:
    if isinstance(layers, str):
        layers = [layers]
    if endpoint is not None:
        raise InvalidArgumentError(
            "layers work with the bundled graph or a store, not an endpoint: name a graph "
            "in the query (GRAPH <...> { }) or set RELAXGRAPH_ENDPOINT_GRAPH"
        )
    if not layers:
        raise InvalidArgumentError("layers=[] selects nothing: name at least one layer")
    from ..data.layer_registry import registry

    reg = registry()
    for layer_id in layers:
        reg.get(layer_id)  # UnknownLayerError, with the closest ids
    return list(layers)


def _closure_within(store: ox.Store, timeout: float | None, memory_limit: int | None) -> ox.Store:
    """The OWL 2 RL closure of ``store``; computed in a child process when there is a limit,
    so that inference over a large store stops at the limit like a query does."""
    import os

    from ..checking.reasoning import closure

    if (timeout is None and memory_limit is None) or not hasattr(os, "fork"):
        return closure(store)
    from ..querying.sparql import RawResult, _in_child, as_bytes

    def compute() -> RawResult:
        inferred = closure(store)
        return RawResult("graph", as_bytes(inferred.dump(format=ox.RdfFormat.N_QUADS)))

    raw = _in_child(compute, timeout, memory_limit)
    result = ox.Store()
    result.bulk_load(raw.data, format=ox.RdfFormat.N_QUADS)
    return result
