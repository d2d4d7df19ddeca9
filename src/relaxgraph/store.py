"""The embedded store: Oxigraph, in memory by default.

The bundled graph is parsed with pyoxigraph's native parsers (no rdflib import), so the
command line answers a query in a fraction of a second.
"""

from __future__ import annotations

import re
from importlib.resources.abc import Traversable

import pyoxigraph as ox

from . import _resources
from .errors import DataFileError

__all__ = ["bundled_store", "parse_turtle_into"]


def parse_turtle_into(store: ox.Store, source: Traversable, *, name: str | None = None) -> None:
    """Parse one Turtle file into the default graph of ``store``.

    Raises :class:`DataFileError` naming the file, the line and the parser's message;
    on error nothing of that file is added.
    """
    label = name or str(source)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise DataFileError(label, f"cannot read the file ({exc.strerror or exc})") from None
    try:
        quads = list(ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=None))
    except SyntaxError as exc:
        line, column = _position(exc)
        raise DataFileError(label, _message(exc), line, column) from None
    store.extend(quads)


def _position(exc: SyntaxError) -> tuple[int | None, int | None]:
    return exc.lineno, exc.offset


def _message(exc: SyntaxError) -> str:
    text = str(exc.msg if exc.msg else exc)
    return re.sub(r"^Parser error at line \d+ column \d+: ", "", text)


def bundled_store() -> ox.Store:
    """A fresh in-memory Oxigraph store holding the bundled graph (ontology + knowledge base)."""
    store = ox.Store()
    for f in _resources.data_files():
        parse_turtle_into(store, f, name=f"ontology/{_relative(f)}")
    return store


def _relative(f: Traversable) -> str:
    return f"kb/{f.name}" if f.name != "relaxgraph.ttl" else f.name
