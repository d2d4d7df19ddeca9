"""The embedded engines, and choosing where queries run: the bundled graph in memory, an
on-disk store, or an endpoint (:func:`connect`).

:class:`OxigraphEngine` (the embedded default) and :class:`RdflibEngine` (rdflib's own
store, for comparison) implement :class:`~relaxgraph.querying.sparql.Engine`, as does
:class:`~relaxgraph.storage.remote.RemoteEngine` for a SPARQL 1.1 Protocol endpoint.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import pyoxigraph as ox

from ..errors import (
    InvalidArgumentError,
    QueryError,
    QuerySyntaxError,
    RelaxgraphError,
    ResultTooLargeError,
)
from ..querying.sparql import (
    Engine,
    RawResult,
    Term,
    _check_variable,
    _engine_failure,
    _solutions_json,
    as_bytes,
    check_timeout,
    syntax_error,
)

__all__ = ["OxigraphEngine", "RdflibEngine", "connect"]

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


def _raw_from_ox(result: Any, max_rows: int | None = None) -> RawResult:
    if isinstance(result, ox.QueryBoolean):
        return RawResult("ask", as_bytes(result.serialize(format=ox.QueryResultsFormat.JSON)))
    if isinstance(result, ox.QuerySolutions):
        if max_rows is None:
            data = as_bytes(result.serialize(format=ox.QueryResultsFormat.JSON))
            return RawResult("select", data)
        variables = [v.value for v in result.variables]
        rows = list(itertools.islice(result, max_rows + 1))
        if len(rows) > max_rows:
            raise ResultTooLargeError(max_rows)
        return RawResult("select", _solutions_json(variables, rows))
    if max_rows is None:
        return RawResult("graph", as_bytes(ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)))
    triples = list(itertools.islice(result, max_rows + 1))
    if len(triples) > max_rows:
        raise ResultTooLargeError(max_rows, "triples")
    return RawResult("graph", as_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)))


def _dataset_options(
    store: ox.Store, default_graph: Sequence[ox.NamedNode | ox.DefaultGraph] | None
) -> dict[str, Any]:
    """``store.query`` options that make the default graph the union of the layers (or ``default_graph``)."""
    if default_graph is None:
        from ..data.layer_registry import union_options

        return union_options(store)
    return {"default_graph": list(default_graph)}


class OxigraphEngine:
    """The embedded default: a pyoxigraph :class:`~pyoxigraph.Store`."""

    name = "oxigraph"

    def __init__(
        self,
        store: ox.Store,
        *,
        inline: bool = True,
        default_graph: Sequence[ox.NamedNode | ox.DefaultGraph] | None = None,
    ):
        self.store = store
        #: The graphs a query's default graph is made of: given, or the default graph and
        #: every layer graph of the store (:func:`relaxgraph.data.layer_registry.union_options`).
        self.dataset: dict[str, Any] = _dataset_options(store, default_graph)
        #: Write bound terms into the text as constants where that means the same
        #: (:mod:`relaxgraph.querying._inline`): Oxigraph plans such queries far better.
        self.inline = inline

    def execute(
        self, text: str, bindings: Mapping[str, Term], *, max_rows: int | None = None
    ) -> RawResult:
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]
        substitutions = {_check_variable(k): v for k, v in bindings.items()}
        written = None
        if substitutions and self.inline:
            from ..querying._inline import inline

            written = inline(text, bindings)
        try:
            if written is not None:
                try:
                    return _raw_from_ox(self.store.query(written, **self.dataset), max_rows)
                except SyntaxError:  # report (and run) the text as the caller wrote it
                    pass
            result = self.store.query(text, substitutions=substitutions or None, **self.dataset)
            return _raw_from_ox(result, max_rows)
        except SyntaxError as exc:
            raise syntax_error(exc, text) from None
        except RelaxgraphError:
            raise
        except (OSError, RuntimeError, ValueError, TypeError) as exc:
            raise _engine_failure(exc) from None
        except BaseException as exc:
            # A panic inside the engine (pyo3's PanicException derives from BaseException).
            if type(exc).__name__ == "PanicException":
                raise _engine_failure(exc) from None
            raise

    def update(self, text: str) -> None:
        try:
            self.store.update(text)
        except SyntaxError as exc:
            raise syntax_error(exc, text, "update") from None
        except (OSError, RuntimeError, ValueError, TypeError) as exc:
            raise _engine_failure(exc) from None


class RdflibEngine:
    """rdflib's own SPARQL engine over an :class:`rdflib.Graph` (slower; for comparison and interop)."""

    name = "rdflib"

    def __init__(self, graph: Any):
        self.graph = graph

    def execute(self, text: str, bindings: Mapping[str, Term]) -> RawResult:
        from ..querying._convert import term_to_rdflib

        init = {k: term_to_rdflib(v) for k, v in bindings.items()}
        try:
            result = self.graph.query(text, initBindings=init)
        except Exception as exc:  # rdflib raises pyparsing errors and others
            if exc.__class__.__name__ == "ParseException":
                line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
                raise QuerySyntaxError(str(exc), text, line, col) from None
            raise QueryError(f"rdflib could not run the query: {exc}") from None
        if result.type == "CONSTRUCT" or result.type == "DESCRIBE":
            return RawResult("graph", result.serialize(format="nt") or b"")
        data = result.serialize(format="json")
        return RawResult("ask" if result.type == "ASK" else "select", data or b"")

    def update(self, text: str) -> None:
        self.graph.update(text)
