"""One converter between IRIs and CURIEs, for the project's namespaces and the identifier schemes.

Built with :mod:`curies` from two sources, each kept once: the namespaces of
:data:`relaxgraph._iris.PREFIXES` (``rg:``, ``rgo:``, ``rdfs:`` ...) and the shipped prefix map
``identifier_prefixes.json`` (generated from bioregistry by ``tools/build_prefixes.py``), whose
URI prefixes are the record pages the knowledge base cites:

>>> compact("https://w3id.org/relaxgraph/id/baclofen")
'rg:baclofen'
>>> expand("rgo:treats")
'https://w3id.org/relaxgraph/ontology#treats'
>>> identifier_curie("drugbank", "DB00181"), identifier_curie("chebi", "CHEBI:2972")
('drugbank:DB00181', 'CHEBI:2972')
>>> record_url("chebi", "CHEBI:2972")
'https://www.ebi.ac.uk/chebi/searchId.do?chebiId=CHEBI:2972'
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from .._iris import PREFIXES

if TYPE_CHECKING:
    import curies

__all__ = [
    "Scheme",
    "compact",
    "converter",
    "expand",
    "identifier_curie",
    "record_url",
    "schemes",
]


@dataclass(frozen=True)
class Scheme:
    """An identifier scheme as the shipped prefix map gives it."""

    property: str  # the rgo: property's local name ("pubchemCompound")
    prefix: str  # the CURIE prefix ("pubchem.compound")
    uri_prefix: str  # the record page, without the local part
    written_with_prefix: bool  # the identifier is written as its CURIE ("CHEBI:2972")
    uri_prefix_synonyms: tuple[str, ...] = ()


@cache
def schemes() -> dict[str, Scheme]:
    """The identifier schemes by rgo: property local name, read once from the shipped map."""
    data = json.loads((files("relaxgraph.data") / "identifier_prefixes.json").read_text("utf-8"))
    out: dict[str, Scheme] = {}
    for s in data["schemes"]:
        out[s["property"]] = Scheme(
            s["property"],
            s["prefix"],
            s["uri_prefix"],
            bool(s["written_with_prefix"]),
            tuple(s.get("uri_prefix_synonyms") or ()),
        )
    return out


@cache
def converter() -> curies.Converter:
    """The one converter: project namespaces plus identifier schemes."""
    import curies

    records = [curies.Record(prefix=p, uri_prefix=ns) for p, ns in PREFIXES.items()]
    records += [
        curies.Record(
            prefix=s.prefix,
            uri_prefix=s.uri_prefix,
            uri_prefix_synonyms=list(s.uri_prefix_synonyms),
        )
        for s in schemes().values()
    ]
    return curies.Converter(records)


def compact(iri: str) -> str:
    """An IRI as a CURIE when a known prefix fits (the longest), else unchanged.

    >>> compact("http://example.org/x")
    'http://example.org/x'
    """
    return converter().compress(iri, passthrough=True) or iri


def expand(curie: str) -> str | None:
    """The IRI of a CURIE, or None if its prefix is unknown."""
    return converter().expand(curie)


def identifier_curie(prop: str, value: str) -> str:
    """The CURIE of an identifier held by ``rgo:<prop>`` (its written form if that is one)."""
    scheme = schemes()[prop]
    return value if scheme.written_with_prefix else f"{scheme.prefix}:{value}"


def record_url(prop: str, value: str) -> str | None:
    """The record page of an identifier held by ``rgo:<prop>``, or None for an unknown scheme."""
    if prop not in schemes():
        return None
    return expand(identifier_curie(prop, value))
