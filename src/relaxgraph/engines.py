"""Choosing where queries run: the bundled graph in memory, an on-disk store, or an endpoint."""

from __future__ import annotations

from typing import Literal

import pyoxigraph as ox

from .errors import InvalidArgumentError
from .sparql import Engine, OxigraphEngine, RdflibEngine, check_timeout

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
) -> Engine:
    """Open an :class:`~relaxgraph.sparql.Engine`.

    - no arguments: the bundled graph in an in-memory Oxigraph store (the default);
    - ``store=PATH``: an on-disk Oxigraph store made with ``relaxgraph load``;
    - ``endpoint=URL``: a remote SPARQL 1.1 endpoint (credentials from the environment,
      see :mod:`relaxgraph.remote`);
    - ``backend="rdflib"``: the bundled graph in rdflib's in-memory store (slower);
    - ``infer=True``: answer over the RDFS/OWL-RL closure (embedded stores only). For a
      ``store``, the closure is computed on demand, in a child process bounded by ``timeout``
      seconds and ``memory_limit`` bytes when given.

    Raises :class:`~relaxgraph.errors.InvalidArgumentError` (a ``ValueError``) for
    arguments that do not go together.
    """
    if backend not in BACKENDS:
        raise InvalidArgumentError(
            f"unknown backend {str(backend)[:40]!r}; use one of {', '.join(BACKENDS)}"
        )
    timeout = check_timeout(timeout, "timeout")
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

        ox_store = open_store(store)  # read-only: the closure is a new store
        if infer:
            ox_store = _closure_within(ox_store, timeout, memory_limit)
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


def _closure_within(store: ox.Store, timeout: float | None, memory_limit: int | None) -> ox.Store:
    """The OWL 2 RL closure of ``store``; computed in a child process when there is a limit,
    so that inference over a large store stops at the limit like a query does."""
    import os

    from .reasoning import closure

    if (timeout is None and memory_limit is None) or not hasattr(os, "fork"):
        return closure(store)
    from .sparql import RawResult, _in_child, as_bytes

    def compute() -> RawResult:
        inferred = closure(store)
        return RawResult("graph", as_bytes(inferred.dump(format=ox.RdfFormat.N_QUADS)))

    raw = _in_child(compute, timeout, memory_limit)
    result = ox.Store()
    result.bulk_load(raw.data, format=ox.RdfFormat.N_QUADS)
    return result
