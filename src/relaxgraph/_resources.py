"""Where the shipped data lives: the ontology, the knowledge base, shapes and queries.

Found with :mod:`importlib.resources`, so they load from an installed wheel as well
as from an editable install.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

__all__ = ["check_files", "data_files", "ontology_dir", "queries_dir", "shapes_file"]


def ontology_dir() -> Traversable:
    """The shipped ``ontology/`` folder."""
    return files("relaxgraph") / "ontology"


def queries_dir() -> Traversable:
    """The shipped ``queries/`` folder (the catalogue)."""
    return files("relaxgraph") / "queries"


def data_files() -> list[Traversable]:
    """The Turtle files that make up the graph: the ontology, then ``kb/*.ttl`` sorted by name."""
    onto = ontology_dir()
    kb = onto / "kb"
    kb_files = sorted((f for f in kb.iterdir() if f.name.endswith(".ttl")), key=lambda f: f.name)
    return [onto / "relaxgraph.ttl", *kb_files]


def shapes_file() -> Traversable:
    """The SHACL shapes."""
    return ontology_dir() / "shapes.ttl"


def check_files() -> list[Traversable]:
    """The integrity-check queries (``ontology/checks/*.rq``), sorted by name."""
    checks = ontology_dir() / "checks"
    if not checks.is_dir():
        return []
    return sorted((f for f in checks.iterdir() if f.name.endswith(".rq")), key=lambda f: f.name)
