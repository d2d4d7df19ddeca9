"""relaxgraph: a knowledge graph of muscle-relaxant pharmacology, with provenance for every claim.

>>> import relaxgraph
>>> g = relaxgraph.load()          # the whole graph, a fresh rdflib.Graph
>>> len(g) > 1000
True

Names are imported lazily, so ``import relaxgraph`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Imported eagerly: the function shadows its module's name, so it must win the attribute.
from .connect import connect

if TYPE_CHECKING:
    from .graph import load

__all__ = [
    "connect",
    "load",
]

_LAZY: dict[str, str] = {
    "load": "relaxgraph.graph",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'relaxgraph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
