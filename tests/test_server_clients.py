"""The served endpoint with the SPARQL clients people already use: SPARQLWrapper and rdflib's SPARQLStore.

Each client runs in its default mode (SPARQLWrapper adds ``format``/``output``/``results``
parameters to every GET; SPARQLStore asks for XML results and RDF/XML graphs) and in every
return format it offers, against a real ``SparqlServer`` on loopback.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    N3,
    POST,
    RDF,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)

from relaxgraph.server.endpoint import SparqlServer
from relaxgraph.storage.store import bundled_store

RG = "https://w3id.org/relaxgraph/id/"
LABELS = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?c ?label WHERE { ?c rdfs:label ?label } ORDER BY ?c LIMIT 5"
)
ASK = f"ASK {{ <{RG}baclofen> ?p ?o }}"
CONSTRUCT = f"CONSTRUCT {{ <{RG}baclofen> ?p ?o }} WHERE {{ <{RG}baclofen> ?p ?o }}"
DESCRIBE = f"DESCRIBE <{RG}baclofen>"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return bundled_store()


@pytest.fixture(scope="module")
def server(store: ox.Store) -> Iterator[SparqlServer]:
    with SparqlServer(store, port=0, timeout=20, examples=[]) as s:
        yield s


@pytest.fixture(scope="module")
def baclofen_triples(store: ox.Store) -> int:
    return len(list(store.quads_for_pattern(ox.NamedNode(RG + "baclofen"), None, None, None)))


def wrapper(server: SparqlServer, query: str, fmt: str, post: bool = False) -> Any:
    client = SPARQLWrapper(server.url)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    if post:
        client.setMethod(POST)
        client.setRequestMethod(URLENCODED)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # SPARQLWrapper warns on `*/*`
        return client.query()


@pytest.mark.parametrize("post", [False, True], ids=["GET", "POST"])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_select_every_format(server: SparqlServer, fmt: str, post: bool) -> None:
    result = wrapper(server, LABELS, fmt, post)
    converted = result.convert()
    if fmt == JSON:
        rows = converted["results"]["bindings"]
        assert len(rows) == 5 and set(rows[0]) == {"c", "label"}
    elif fmt == XML:
        assert len(converted.getElementsByTagName("result")) == 5
    else:
        sep = "," if fmt == CSV else "\t"
        lines = converted.decode().strip().splitlines()
        assert len(lines) == 6 and lines[0].replace("?", "") == f"c{sep}label"


@pytest.mark.parametrize("post", [False, True], ids=["GET", "POST"])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_ask_every_format(server: SparqlServer, fmt: str, post: bool) -> None:
    converted = wrapper(server, ASK, fmt, post).convert()
    if fmt == JSON:
        assert converted["boolean"] is True
    elif fmt == XML:
        assert converted.getElementsByTagName("boolean")[0].firstChild.data == "true"
    else:
        assert b"true" in converted


@pytest.mark.parametrize("post", [False, True], ids=["GET", "POST"])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["CONSTRUCT", "DESCRIBE"])
@pytest.mark.parametrize("fmt", [XML, RDFXML, RDF, TURTLE, N3, JSONLD, JSON])
def test_sparqlwrapper_graphs_every_format(
    server: SparqlServer, baclofen_triples: int, fmt: str, query: str, post: bool
) -> None:
    result = wrapper(server, query, fmt, post)
    converted = result.convert()
    if isinstance(converted, bytes):  # Turtle and N3 come back as text
        converted = rdflib.Graph().parse(data=converted, format="turtle")
    assert isinstance(converted, rdflib.Graph)
    assert len(converted) >= baclofen_triples > 10
    assert (rdflib.URIRef(RG + "baclofen"), None, None) in converted


def test_sparqlwrapper_default_format_is_xml_and_works(server: SparqlServer) -> None:
    client = SPARQLWrapper(server.url)  # no setReturnFormat: XML, GET, format=xml params
    client.setQuery(CONSTRUCT)
    graph = client.queryAndConvert()
    assert isinstance(graph, rdflib.Graph) and len(graph) > 10


@pytest.fixture
def sparql_store(server: SparqlServer) -> Iterator[rdflib.Graph]:
    graph = rdflib.Graph(store=SPARQLStore(server.url))
    yield graph
    graph.close()


def test_sparqlstore_select(sparql_store: rdflib.Graph) -> None:
    rows = list(sparql_store.query(LABELS))
    assert len(rows) == 5
    assert all(isinstance(r.label, rdflib.Literal) for r in rows)  # type: ignore[union-attr]


def test_sparqlstore_ask(sparql_store: rdflib.Graph) -> None:
    assert sparql_store.query(ASK).askAnswer is True
    assert sparql_store.query(f"ASK {{ <{RG}no-such-thing> ?p ?o }}").askAnswer is False


@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["CONSTRUCT", "DESCRIBE"])
def test_sparqlstore_graphs(sparql_store: rdflib.Graph, baclofen_triples: int, query: str) -> None:
    result = sparql_store.query(query)
    assert result.graph is not None and len(result.graph) >= baclofen_triples


def test_sparqlstore_triples_pattern(sparql_store: rdflib.Graph, baclofen_triples: int) -> None:
    found = list(sparql_store.triples((rdflib.URIRef(RG + "baclofen"), None, None)))
    assert len(found) == baclofen_triples
