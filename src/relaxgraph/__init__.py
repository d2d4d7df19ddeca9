"""relaxgraph: a knowledge graph of muscle-relaxant pharmacology, with provenance for every claim.

>>> import relaxgraph
>>> relaxgraph.query("drugs-sharing-class", drug="vecuronium").rows()[0].otherLabel
'succinylcholine'
>>> relaxgraph.lookup("Lioresal", kind="Drug").label
'baclofen'
>>> path = relaxgraph.analytics.explain_path("diazepam", "baclofen")
>>> print(path)
diazepam -[has therapeutic effect]-> muscle relaxation <-[has therapeutic effect]- baclofen

The whole API:

- the graph: :func:`load` (an rdflib Graph), :func:`connect` (an :class:`Engine` to query);
- questions: :func:`query` (a catalogue query by name, or any SPARQL) gives a :class:`Result`
  (``.rows()``, ``.to_dataframe()``, ``.serialize()``); :func:`queries` lists the catalogue;
- entities: :func:`lookup` (by label, synonym or identifier) gives an :class:`Entity`;
  :func:`describe` tells everything the graph says about one, with the guide's words;
- the data: :func:`validate` (SHACL and integrity checks), :func:`export` (RDF, CSV, GraphML, GEXF),
  :func:`layers` (each source in its own named graph, with its licence and attribution);
- networks: :func:`to_networkx`, the :mod:`~relaxgraph.analytics` module, :func:`visualize`;
- errors: every one derives from :class:`RelaxgraphError`.

Heavy libraries (rdflib, networkx, pyvis, pandas) are imported only when a call needs them,
so ``import relaxgraph`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import describe, export, lookup, queries, query
    from .checking.validation import validate
    from .errors import (
        AmbiguousEntityError,
        QueryError,
        QuerySyntaxError,
        QueryTimeoutError,
        RelaxgraphError,
        UnknownEntityError,
        UnknownParameterError,
        UnknownQueryError,
    )
    from .querying.resolve import Entity
    from .querying.sparql import Engine, Result
    from .storage.engines import connect
    from .storage.graph import load
    from .views import analytics
    from .views.network import to_networkx
    from .views.viz import visualize

__all__ = [
    "AmbiguousEntityError",
    "Engine",
    "Entity",
    "QueryError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "RelaxgraphError",
    "Result",
    "UnknownEntityError",
    "UnknownParameterError",
    "UnknownQueryError",
    "analytics",
    "connect",
    "describe",
    "export",
    "layers",
    "load",
    "lookup",
    "queries",
    "query",
    "to_networkx",
    "validate",
    "visualize",
]

# Every name is imported on first use, so ``import relaxgraph`` (and the command line's
# start-up) pays for nothing it does not call. No public function shares its module's name.
_LAZY: dict[str, tuple[str, str | None]] = {
    "analytics": ("relaxgraph.views.analytics", None),
    "connect": ("relaxgraph.storage.engines", "connect"),
    "describe": ("relaxgraph.api", "describe"),
    "export": ("relaxgraph.api", "export"),
    "layers": ("relaxgraph.data.layer_registry", "layers"),
    "load": ("relaxgraph.storage.graph", "load"),
    "lookup": ("relaxgraph.api", "lookup"),
    "queries": ("relaxgraph.api", "queries"),
    "query": ("relaxgraph.api", "query"),
    "to_networkx": ("relaxgraph.views.network", "to_networkx"),
    "validate": ("relaxgraph.checking.validation", "validate"),
    "visualize": ("relaxgraph.views.viz", "visualize"),
    "Entity": ("relaxgraph.querying.resolve", "Entity"),
    "Engine": ("relaxgraph.querying.sparql", "Engine"),
    "Result": ("relaxgraph.querying.sparql", "Result"),
    **{
        name: ("relaxgraph.errors", name)
        for name in (
            "AmbiguousEntityError",
            "QueryError",
            "QuerySyntaxError",
            "QueryTimeoutError",
            "RelaxgraphError",
            "UnknownEntityError",
            "UnknownParameterError",
            "UnknownQueryError",
        )
    },
}


def __getattr__(name: str) -> Any:
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'relaxgraph' has no attribute {name!r}") from None
    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
