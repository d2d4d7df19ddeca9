"""Namespace IRIs and SPARQL prefixes as plain strings.

This module imports nothing, so code that only needs the IRIs (a command-line
entry point, a query catalogue) can have them without paying for ``rdflib``.
:mod:`relaxgraph.namespaces` builds the ``rdflib`` namespaces from these strings.
"""

from __future__ import annotations

RGO_NS = "https://w3id.org/relaxgraph/ontology#"
"""The ontology: classes, properties, evidence and flag kinds (prefix ``rgo:``)."""

RG_NS = "https://w3id.org/relaxgraph/id/"
"""Entities, statements, quotes, flags and sections (prefix ``rg:``)."""

RGSH_NS = "https://w3id.org/relaxgraph/shapes#"
"""SHACL shapes (prefix ``rgsh:``)."""

SCHEMA_NS = "http://schema.org/"
"""schema.org, written with its ``http`` namespace everywhere in relaxgraph.

(``rdflib.namespace.SDO`` uses ``https://schema.org/``; relaxgraph does not use it.)
"""

PREFIXES: dict[str, str] = {
    "rg": RG_NS,
    "rgo": RGO_NS,
    "rgsh": RGSH_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": SCHEMA_NS,
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": "http://purl.org/dc/terms/",
    "obo": "http://purl.obolibrary.org/obo/",
    "sh": "http://www.w3.org/ns/shacl#",
}
"""Prefix -> namespace IRI, for SPARQL queries and serialisations everywhere."""


def prefixes_sparql(prefixes: dict[str, str] | None = None) -> str:
    """Return SPARQL ``PREFIX`` lines for ``prefixes`` (default: :data:`PREFIXES`).

    >>> prefixes_sparql({"rgo": RGO_NS})
    'PREFIX rgo: <https://w3id.org/relaxgraph/ontology#>\\n'
    """
    items = (PREFIXES if prefixes is None else prefixes).items()
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in items)
