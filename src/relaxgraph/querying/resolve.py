"""Finding an entity by what people call it: a label, a synonym, a brand name or an identifier.

Matching is case-insensitive. ``baclofen``, ``Lioresal``, ``CHEBI:2972``, ``chebi:2972``,
``rg:baclofen`` and the full IRI all name the same drug. When a parameter asks for a
drug and the name is a brand name, the brand's drug is returned.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .._iris import RG_NS, RGO_NS
from ..errors import AmbiguousEntityError, UnknownEntityError

__all__ = ["Entity", "EntityIndex", "ancestors", "index", "lookup"]

# Scheme names people put before an identifier's local form ("drugbank:DB00181").
_SCHEME_PREFIXES = (
    "drugbank", "atc", "pubchem", "pubchem.compound", "cid", "mesh", "rxnorm", "rxcui",
    "uniprot", "umls", "chebi", "hgnc", "mondo", "doid", "hp", "hpo",
)  # fmt: skip

# The SPARQL lives in queries/internal/ (entity-index, brands, subclass-links): direct
# subclass links only, the closure is taken here (see `ancestors`), since an open-ended path
# fails on Virtuoso 7 and these queries must run on any endpoint.


def ancestors(links: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """Every ancestor of each node of the direct ``(child, parent)`` links (a cycle is fine).

    >>> sorted(ancestors([("a", "b"), ("b", "c"), ("c", "b")])["a"])
    ['b', 'c']
    """
    parents: dict[str, set[str]] = {}
    for child, parent in links:
        parents.setdefault(child, set()).add(parent)
    closure: dict[str, set[str]] = {}
    for start in parents:
        seen: set[str] = set()
        todo = list(parents[start])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(parents.get(node, ()))
        closure[start] = seen
    return closure


@dataclass
class Entity:
    """One entity of the graph, with the names it is known by."""

    iri: str
    label: str = ""
    types: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)

    @property
    def curie(self) -> str:
        """The entity as a compact IRI (``rg:baclofen``)."""
        return compact(self.iri)

    @property
    def kind(self) -> str:
        """The local name of its most telling rgo: type (``Drug``, ``SideEffect`` ...)."""
        local = sorted(t[len(RGO_NS) :] for t in self.types if t.startswith(RGO_NS))
        return local[0] if local else "Entity"


def compact(iri: str) -> str:
    """``https://w3id.org/relaxgraph/id/baclofen`` → ``rg:baclofen`` (unchanged if no prefix fits).

    The one converter of :mod:`relaxgraph.data.identifiers` (project namespaces and identifier schemes).

    >>> compact("https://w3id.org/relaxgraph/ontology#hasSideEffect")
    'rgo:hasSideEffect'
    """
    from ..data.identifiers import compact as _compact

    return _compact(iri)


class EntityIndex:
    """Every name of every entity, built with three SPARQL queries (works on any engine)."""

    def __init__(self, engine: Any):
        from .catalogue import internal
        from .sparql import run

        self.entities: dict[str, Entity] = {}
        self._by_name: dict[str, set[str]] = {}
        for iri, name, how, typ in run(engine, internal("entity-index").text).terms:
            assert iri is not None and name is not None and typ is not None
            e = self.entities.setdefault(iri.value, Entity(iri.value))
            e.types.add(typ.value)
            e.names.add(name.value)
            if how is not None and how.value == "label" and not e.label:
                e.label = name.value
            self._add(name.value, iri.value)
        for e in self.entities.values():
            self._add(e.iri, e.iri)
            self._add(e.curie, e.iri)
            if e.iri.startswith(RG_NS):
                self._add(e.iri[len(RG_NS) :], e.iri)
        self.brand_of: dict[str, str] = {}
        for brand, drug in run(engine, internal("brands").text).terms:
            if brand is not None and drug is not None:
                self.brand_of[brand.value] = drug.value
        links = [
            (sub.value, sup.value)
            for sub, sup in run(engine, internal("subclass-links").text).terms
            if sub is not None and sup is not None
        ]
        #: each class -> its rgo: superclasses, itself included (rdfs:subClassOf*)
        self.superclasses: dict[str, set[str]] = {
            sub: {c for c in {sub, *sups} if c.startswith(RGO_NS)}
            for sub, sups in ancestors(links).items()
        }

    def _add(self, name: str, iri: str) -> None:
        self._by_name.setdefault(name.casefold().strip(), set()).add(iri)

    def is_a(self, entity: Entity, kind: str) -> bool:
        """Whether ``entity`` has rgo:``kind`` (or a subclass of it) among its types."""
        target = RGO_NS + kind
        return any(t == target or target in self.superclasses.get(t, ()) for t in entity.types)

    def candidates(self, name: str) -> list[Entity]:
        """Every entity that ``name`` names, case-insensitively."""
        key = name.casefold().strip()
        iris = set(self._by_name.get(key, set()))
        if not iris and ":" in key:
            scheme, local = key.split(":", 1)
            if scheme in _SCHEME_PREFIXES:
                iris |= self._by_name.get(local.strip(), set())
        return [self.entities[i] for i in sorted(iris)]

    def lookup(self, name: str, kind: str | None = None) -> Entity:
        """The one entity ``name`` names (of rgo:``kind`` if given).

        A brand name asked for as a ``Drug`` gives the brand's drug.
        Raises :class:`~relaxgraph.errors.UnknownEntityError` (with the closest names)
        or :class:`AmbiguousEntityError`.
        """
        found = self.candidates(name)
        if kind is not None:
            mapped: dict[str, Entity] = {}
            for e in found:
                if self.is_a(e, kind):
                    mapped[e.iri] = e
                elif kind == "Drug" and e.iri in self.brand_of:
                    drug = self.entities.get(self.brand_of[e.iri])
                    if drug is not None:
                        mapped[drug.iri] = drug
            found = [mapped[k] for k in sorted(mapped)]
        if len(found) == 1:
            return found[0]
        if not found:
            pool = list(self.entities.values())
            if kind is not None:
                pool = [e for e in pool if self.is_a(e, kind)]
            names = sorted({n for e in pool for n in e.names})
            raise UnknownEntityError(name, names)
        raise AmbiguousEntityError(name, found)


_CACHE: weakref.WeakKeyDictionary[Any, EntityIndex] = weakref.WeakKeyDictionary()


def index(engine: Any) -> EntityIndex:
    """The (cached) :class:`EntityIndex` of ``engine``."""
    try:
        return _CACHE[engine]
    except (KeyError, TypeError):
        built = EntityIndex(engine)
        with contextlib.suppress(TypeError):  # an engine that cannot be weakly referenced
            _CACHE[engine] = built
        return built


def lookup(engine: Any, name: str, kind: str | None = None) -> str:
    """The IRI of the entity ``name`` names on ``engine`` (see :meth:`EntityIndex.lookup`)."""
    return index(engine).lookup(name, kind).iri
