"""Where the shipped data lives: the layer registry, the ontology, the knowledge base, shapes and queries.

Found with :mod:`importlib.resources`, so they load from an installed wheel as well
as from an editable install.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

__all__ = [
    "attribution_file",
    "check_files",
    "data_files",
    "ontology_dir",
    "queries_dir",
    "registry_file",
    "shapes_file",
]


def ontology_dir() -> Traversable:
    """The shipped ``ontology/`` folder."""
    return files("relaxgraph") / "ontology"


def queries_dir() -> Traversable:
    """The shipped ``queries/`` folder (the catalogue)."""
    return files("relaxgraph") / "queries"


def data_files() -> list[Traversable]:
    """The files that make up the graph: those of every non-optional layer of ``layers.toml``,
    in the registry's order (the ontology first)."""
    from .layer_registry import registry

    reg = registry()
    return [reg.file(layer, name) for layer in reg.select() for name in layer.files]


def registry_file() -> Traversable:
    """The layer registry (``layers.toml``)."""
    return files("relaxgraph.data") / "layers.toml"


def attribution_file() -> Traversable:
    """``ATTRIBUTION.md``: each layer's source, licence and attribution (made from the registry)."""
    return files("relaxgraph.data") / "ATTRIBUTION.md"


def shapes_file() -> Traversable:
    """The SHACL shapes."""
    return ontology_dir() / "shapes.ttl"


def check_files() -> list[Traversable]:
    """The integrity-check queries (``ontology/checks/*.rq``), sorted by name."""
    checks = ontology_dir() / "checks"
    if not checks.is_dir():
        return []
    return sorted((f for f in checks.iterdir() if f.name.endswith(".rq")), key=lambda f: f.name)
