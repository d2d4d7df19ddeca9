"""Conversion between pyoxigraph and rdflib terms.

Plain literals stay plain: Oxigraph types them ``xsd:string``, rdflib keeps them
untyped, so ``Literal("x")`` from rdflib matches what comes back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

if TYPE_CHECKING:
    from rdflib.term import Node

__all__ = ["ox_to_rdflib", "rdflib_to_ox", "term_to_ox", "term_to_rdflib"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def term_to_rdflib(term: Any) -> Node:
    """One pyoxigraph term as an rdflib term."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


def term_to_ox(term: Any) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """One rdflib term as a pyoxigraph term."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to a pyoxigraph term")


def ox_to_rdflib(quad: ox.Quad | ox.Triple) -> tuple[Node, Node, Node]:
    """A pyoxigraph triple or quad as an rdflib triple (the graph name is dropped)."""
    return (
        term_to_rdflib(quad.subject),
        term_to_rdflib(quad.predicate),
        term_to_rdflib(quad.object),
    )


def rdflib_to_ox(triple: tuple[Any, Any, Any]) -> ox.Quad:
    """An rdflib triple as a pyoxigraph quad in the default graph."""
    s, p, o = triple
    return ox.Quad(term_to_ox(s), term_to_ox(p), term_to_ox(o))  # type: ignore[arg-type]
