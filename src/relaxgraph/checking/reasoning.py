"""RDFS and OWL 2 RL inference on demand (computed with owlrl)."""

from __future__ import annotations

from typing import Literal

import pyoxigraph as ox

__all__ = ["bundled_closure", "closure"]

Profile = Literal["rdfs", "owlrl"]


def closure(store: ox.Store, profile: Profile = "owlrl") -> ox.Store:
    """Return a new in-memory store holding ``store``'s triples and their entailments.

    ``profile="owlrl"`` computes the OWL 2 RL closure (which includes RDFS's rules on
    classes and properties); ``"rdfs"`` the RDFS closure only. Axiomatic triples that
    say nothing about the data (such as ``rdf:_1 a rdfs:ContainerMembershipProperty``)
    are left out, so the result stays readable.
    """
    import owlrl
    import rdflib

    from ..querying._convert import ox_to_rdflib, rdflib_to_ox

    graph = rdflib.Graph()
    from ..data.layer_registry import union_triples

    for triple in union_triples(store):  # the default graph and the layer graphs
        graph.add(ox_to_rdflib(triple))
    semantics = owlrl.OWLRL_Semantics if profile == "owlrl" else owlrl.RDFS_Semantics
    owlrl.DeductiveClosure(semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    result = ox.Store()
    result.extend(rdflib_to_ox(t) for t in graph if _keep(t))
    return result


def _keep(triple: tuple[object, object, object]) -> bool:
    from rdflib import Literal

    # owlrl asserts literals as subjects in some rules; RDF does not allow them.
    return not isinstance(triple[0], Literal) and not isinstance(triple[1], Literal)


def bundled_closure() -> ox.Store:
    """The bundled graph with its OWL 2 RL entailments, precomputed (the ``entailed`` layer).

    The same triples :func:`closure` derives, except those about blank nodes (the
    ontology's ``owl:unionOf`` lists) and reflexive ``owl:sameAs``; a test keeps the
    file in step with the data. Loads in milliseconds where owlrl takes seconds.
    """
    from ..data.layer_registry import registry
    from ..storage.store import bundled_store

    reg = registry()
    return bundled_store([*(layer.id for layer in reg.select()), "entailed"])
