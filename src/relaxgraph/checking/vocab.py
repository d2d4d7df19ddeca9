"""What the ontology says about its own terms: which classes and properties are provenance.

The ontology marks every provenance term with ``rgo:layerRole rgo:Provenance`` (see
``ontology/README.md``); code asks this module instead of keeping a list:

>>> terms = provenance_terms()
>>> "https://w3id.org/relaxgraph/ontology#evidence" in terms.properties
True
>>> "https://w3id.org/relaxgraph/ontology#Quote" in terms.classes
True
>>> "https://w3id.org/relaxgraph/ontology#hasSideEffect" in terms
False
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from .._iris import PREFIXES, RGO_NS

if TYPE_CHECKING:
    from ..querying.sparql import Engine

__all__ = ["LAYER_ROLE", "PROVENANCE", "ProvenanceTerms", "provenance_terms"]

LAYER_ROLE = RGO_NS + "layerRole"
"""The annotation property that gives a term its layer role."""

PROVENANCE = RGO_NS + "Provenance"
"""The layer role of provenance terms."""

_OWL_CLASS = PREFIXES["owl"] + "Class"
_RDF_TYPE = PREFIXES["rdf"] + "type"


@dataclass(frozen=True)
class ProvenanceTerms:
    """The IRIs of the provenance classes and properties."""

    classes: frozenset[str]
    properties: frozenset[str]

    def __contains__(self, iri: object) -> bool:
        return iri in self.classes or iri in self.properties

    def __or__(self, other: ProvenanceTerms) -> ProvenanceTerms:
        return ProvenanceTerms(self.classes | other.classes, self.properties | other.properties)

    @property
    def kinds(self) -> frozenset[str]:
        """The local names of the ``rgo:`` provenance classes (``"Quote"``, ``"Flag"``, ...)."""
        return frozenset(c[len(RGO_NS) :] for c in self.classes if c.startswith(RGO_NS))


def _from_rows(rows: Iterable[tuple[str, bool]]) -> ProvenanceTerms:
    classes: set[str] = set()
    properties: set[str] = set()
    for iri, is_class in rows:
        (classes if is_class else properties).add(iri)
    return ProvenanceTerms(frozenset(classes), frozenset(properties - classes))


def from_turtle(data: bytes) -> ProvenanceTerms:
    """The provenance terms an ontology in Turtle declares."""
    import pyoxigraph as ox

    triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    marked = {
        t.subject.value
        for t in triples
        if t.predicate.value == LAYER_ROLE and t.object.value == PROVENANCE
    }
    classes = {
        t.subject.value
        for t in triples
        if t.predicate.value == _RDF_TYPE and t.object.value == _OWL_CLASS
    }
    return _from_rows((iri, iri in classes) for iri in marked)


def from_engine(engine: Engine) -> ProvenanceTerms:
    """The provenance terms declared in the data an engine holds (none if it lacks the ontology)."""
    from ..querying.catalogue import internal
    from ..querying.sparql import run

    rows = run(engine, internal("provenance-terms").text).terms
    return _from_rows((t.value, c is not None) for t, c in rows if t is not None)


@cache
def provenance_terms() -> ProvenanceTerms:
    """The provenance terms of the shipped ontology, read once."""
    from ..data._resources import ontology_dir

    return from_turtle((ontology_dir() / "relaxgraph.ttl").read_bytes())
