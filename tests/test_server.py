"""The served endpoint (``relaxgraph serve``), tested over real HTTP."""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest
import rdflib

from relaxgraph.server.endpoint import DEFAULT_GRAPH_IRI, Example, SparqlServer
from relaxgraph.storage.engines import OxigraphEngine
from relaxgraph.storage.store import bundled_store

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
LABELS = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?c ?label WHERE { ?c rdfs:label ?label } ORDER BY ?c LIMIT 5"
)
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 7"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return bundled_store()


@pytest.fixture(scope="module")
def server(store: ox.Store) -> Iterator[SparqlServer]:
    evil = Example(
        "x</pre><script>alert(1)</script>", "<b>bold</b> & more", "SELECT * {} # </textarea>"
    )
    examples = [Example("labels", "Five labels", LABELS), evil]
    with SparqlServer(
        OxigraphEngine(store), port=0, timeout=2.0, max_rows=1000, examples=examples
    ) as s:
        yield s


def get(url: str, accept: str | None = None) -> tuple[int, str, bytes]:
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def post(
    url: str, body: bytes, content_type: str, accept: str | None = None
) -> tuple[int, str, bytes]:
    headers = {"Content-Type": content_type}
    if accept:
        headers["Accept"] = accept
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def q(server: SparqlServer, query: str, **extra: str) -> str:
    return server.url + "?" + urllib.parse.urlencode({"query": query, **extra})


def test_listens_on_loopback_by_default(server: SparqlServer) -> None:
    assert server.url.startswith("http://127.0.0.1:")


def test_get_json_by_default(server: SparqlServer, store: ox.Store) -> None:
    status, ctype, body = get(q(server, COUNT))
    assert status == 200 and ctype == "application/sparql-results+json"
    doc = json.loads(body)
    assert int(doc["results"]["bindings"][0]["n"]["value"]) == len(store)


@pytest.mark.parametrize(
    ("accept", "ctype"),
    [
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("text/csv;q=0.2, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "application/sparql-results+json"),
    ],
)
def test_content_negotiation_for_results(server: SparqlServer, accept: str, ctype: str) -> None:
    status, got, body = get(q(server, LABELS), accept)
    assert status == 200 and got.split(";")[0] == ctype
    if ctype == "text/csv":
        rows = list(csv.reader(io.StringIO(body.decode())))
        assert rows[0] == ["c", "label"] and len(rows) == 6
    if ctype.endswith("xml"):
        assert body.count(b"<result>") == 5


def test_graphs_in_turtle_or_ntriples(server: SparqlServer) -> None:
    status, ctype, body = get(q(server, CONSTRUCT))
    assert status == 200 and ctype.startswith("text/turtle")
    assert len(list(ox.parse(body, format=ox.RdfFormat.TURTLE))) == 7
    status, ctype, body = get(q(server, CONSTRUCT), "application/n-triples")
    assert status == 200 and ctype == "application/n-triples"
    assert len(body.decode().strip().splitlines()) == 7


def test_format_parameter(server: SparqlServer) -> None:
    status, ctype, _ = get(q(server, LABELS, format="tsv"))
    assert status == 200 and ctype.startswith("text/tab-separated-values")
    # a graph format for a SELECT: the Accept header decides (SPARQLWrapper sends both)
    status, ctype, _ = get(q(server, LABELS, format="ttl"), "text/csv")
    assert status == 200 and ctype.startswith("text/csv")
    status, _, body = get(q(server, LABELS, format="pdf"))
    assert status == 400 and b"unknown format 'pdf'" in body


@pytest.mark.parametrize(
    ("params", "ctype"),
    [
        ({"format": "json"}, "application/sparql-results+json"),
        ({"output": "xml"}, "application/sparql-results+xml"),
        ({"results": "csv"}, "text/csv"),
        ({"format": "text/tab-separated-values"}, "text/tab-separated-values"),
        ({"format": "application/sparql-results+xml"}, "application/sparql-results+xml"),
    ],
)
def test_customary_format_parameters_win_over_accept(
    server: SparqlServer, params: dict[str, str], ctype: str
) -> None:
    status, got, _ = get(q(server, LABELS, **params), "application/sparql-results+json;q=0.1")
    assert status == 200 and got.split(";")[0] == ctype


@pytest.mark.parametrize(
    ("fmt", "ctype"),
    [
        ("json", "application/ld+json"),
        ("xml", "application/rdf+xml"),
        ("rdf+xml", "application/rdf+xml"),
        ("json-ld", "application/ld+json"),
        ("turtle", "text/turtle"),
        ("n3", "text/turtle"),
        ("nt", "application/n-triples"),
    ],
)
def test_format_names_for_graphs(server: SparqlServer, fmt: str, ctype: str) -> None:
    status, got, body = get(q(server, CONSTRUCT, format=fmt))
    assert status == 200 and got.split(";")[0] == ctype
    rdflib_format = {"application/ld+json": "json-ld", "application/rdf+xml": "xml"}.get(
        ctype, "turtle" if ctype == "text/turtle" else "nt"
    )
    assert len(rdflib.Graph().parse(data=body, format=rdflib_format)) == 7


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")],
)
def test_graphs_in_rdfxml_and_jsonld(server: SparqlServer, accept: str, rdflib_format: str) -> None:
    status, ctype, body = get(q(server, CONSTRUCT), accept)
    assert status == 200 and ctype.split(";")[0] == accept
    assert len(rdflib.Graph().parse(data=body, format=rdflib_format)) == 7


def test_not_acceptable(server: SparqlServer) -> None:
    status, _, body = get(q(server, COUNT), "image/png")
    assert status == 406 and b"application/sparql-results+json" in body


def test_post_form_and_direct_query(server: SparqlServer) -> None:
    form = urllib.parse.urlencode({"query": COUNT}).encode()
    status, _, body = post(server.url, form, "application/x-www-form-urlencoded", "text/csv")
    assert status == 200 and body.decode().splitlines()[0] == "n"
    status, _, body = post(server.url, LABELS.encode(), "application/sparql-query")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 5


def test_malformed_query_is_400_with_the_parsers_message(server: SparqlServer) -> None:
    status, ctype, body = get(q(server, "SELECT * WHERE { ?s ?p }"))
    assert status == 400 and ctype.startswith("text/plain")
    text = body.decode()
    assert text.startswith("SPARQL syntax error in query, line 1, column")
    assert re.search(r"expected|unexpected|error", text.split(":", 1)[1], re.IGNORECASE)


@pytest.mark.parametrize(
    ("how", "body", "ctype"),
    [
        ("form", b"update=DROP%20ALL", "application/x-www-form-urlencoded"),
        ("query", b"query=DROP%20ALL", "application/x-www-form-urlencoded"),
        (
            "query",
            b"query=PREFIX%20a%3A%20%3Chttp%3A%2F%2Fa%2F%3E%20CLEAR%20ALL",
            "application/x-www-form-urlencoded",
        ),
        (
            "direct",
            b"INSERT DATA { <http://a> <http://b> <http://c> }",
            "application/sparql-update",
        ),
    ],
)
def test_updates_are_refused(
    server: SparqlServer, store: ox.Store, how: str, body: bytes, ctype: str
) -> None:
    before = len(store)
    status, _, answer = post(server.url, body, ctype)
    assert status == 403 and b"read-only" in answer
    assert len(store) == before


def test_other_methods_are_refused(server: SparqlServer) -> None:
    req = urllib.request.Request(server.url, data=b"", method="PUT")
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(req, timeout=30)
    assert info.value.code == 405


def test_a_slow_query_is_stopped(server: SparqlServer) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    status, _, body = get(q(server, slow))
    assert status == 503 and b"stopped after 2 s" in body
    assert get(q(server, COUNT))[0] == 200  # and the server still answers


def test_result_size_cap_cuts_and_says_so(server: SparqlServer) -> None:
    with urllib.request.urlopen(q(server, "SELECT * WHERE { ?s ?p ?o }"), timeout=60) as r:
        assert r.status == 200
        assert r.headers["X-SPARQL-MaxRows"] == "1000"
        assert "LIMIT and OFFSET" in r.headers["X-Relaxgraph-Capped"]
        assert len(json.loads(r.read())["results"]["bindings"]) == 1000
    with urllib.request.urlopen(q(server, "CONSTRUCT WHERE { ?s ?p ?o }"), timeout=60) as r:
        assert r.status == 200 and r.headers["X-SPARQL-MaxRows"] == "1000"
        assert len(list(ox.parse(r.read(), format=ox.RdfFormat.TURTLE))) == 1000
    with urllib.request.urlopen(
        q(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 1000"), timeout=60
    ) as r:
        assert r.status == 200 and r.headers["X-SPARQL-MaxRows"] is None


def test_default_graph_uri_names_the_default_graph(server: SparqlServer, store: ox.Store) -> None:
    plain = json.loads(get(q(server, COUNT))[2])
    named = get(q(server, COUNT, **{"default-graph-uri": DEFAULT_GRAPH_IRI}))
    assert named[0] == 200 and json.loads(named[2]) == plain
    status, _, body = get(q(server, COUNT, **{"default-graph-uri": "http://g"}))
    assert status == 400 and b"default-graph-uri" in body and b"<http://g>" in body
    assert DEFAULT_GRAPH_IRI.encode() in body
    status, _, body = get(q(server, COUNT, **{"named-graph-uri": "not an iri"}))
    assert status == 400 and b"not an IRI" in body


def test_dataset_parameters_select_named_graphs() -> None:
    store = ox.Store()
    g1, g2 = ox.NamedNode("http://example.org/g1"), ox.NamedNode("http://example.org/g2")
    p = ox.NamedNode("http://example.org/p")
    store.add(ox.Quad(ox.NamedNode("http://example.org/a"), p, ox.Literal("in g1"), g1))
    store.add(ox.Quad(ox.NamedNode("http://example.org/b"), p, ox.Literal("in g2"), g2))
    store.add(ox.Quad(ox.NamedNode("http://example.org/c"), p, ox.Literal("default")))
    select = "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o"
    with SparqlServer(store, port=0, examples=[]) as s:

        def values(**params: str | list[str]) -> list[str]:
            url = s.url + "?" + urllib.parse.urlencode({"query": select, **params}, doseq=True)
            status, _, body = get(url)
            assert status == 200, body
            return [b["o"]["value"] for b in json.loads(body)["results"]["bindings"]]

        assert values() == ["default"]
        assert values(**{"default-graph-uri": g1.value}) == ["in g1"]
        assert values(**{"default-graph-uri": [g1.value, g2.value]}) == ["in g1", "in g2"]
        assert values(**{"default-graph-uri": [DEFAULT_GRAPH_IRI, g2.value]}) == [
            "default",
            "in g2",
        ]
        graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        url = s.url + "?" + urllib.parse.urlencode({"query": graphs, "named-graph-uri": g2.value})
        rows = json.loads(get(url)[2])["results"]["bindings"]
        assert [r["g"]["value"] for r in rows] == [g2.value]
        description = rdflib.Graph().parse(data=get(s.url)[2], format="turtle")
        names = {str(o) for o in description.objects(None, SD.name)}
        assert names == {g1.value, g2.value}


def test_relaxgraphs_own_client_with_endpoint_graph(server: SparqlServer) -> None:
    env = {**os.environ, "RELAXGRAPH_ENDPOINT_GRAPH": DEFAULT_GRAPH_IRI}
    env.pop("RELAXGRAPH_ENDPOINT", None)
    args = ["query", "side-effects", "--param", "drug=baclofen", "--format", "csv"]
    remote = subprocess.run(
        [sys.executable, "-m", "relaxgraph", *args, "--endpoint", server.url],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    embedded = subprocess.run(
        [sys.executable, "-m", "relaxgraph", *args], capture_output=True, text=True, timeout=120
    )
    assert remote.returncode == 0, remote.stderr
    assert sorted(remote.stdout.splitlines()) == sorted(embedded.stdout.splitlines())
    assert len(remote.stdout.splitlines()) > 3


def test_cors_preflight_and_headers(server: SparqlServer) -> None:
    req = urllib.request.Request(
        server.url,
        method="OPTIONS",
        headers={
            "Origin": "http://127.0.0.1:1",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, accept",
        },
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status == 204
        assert r.headers["Access-Control-Allow-Origin"] == "*"
        assert "POST" in r.headers["Access-Control-Allow-Methods"]
        assert "content-type" in r.headers["Access-Control-Allow-Headers"].lower()
        assert int(r.headers["Access-Control-Max-Age"]) > 0
    with urllib.request.urlopen(q(server, COUNT), timeout=30) as r:
        assert r.headers["Access-Control-Allow-Origin"] == "*"
        assert "X-SPARQL-MaxRows" in r.headers["Access-Control-Expose-Headers"]


@pytest.mark.parametrize("path", ["/sparql?query=ASK%7B%7D", "/", "/sparql", "/nothing"])
def test_security_headers_and_vary(server: SparqlServer, path: str) -> None:
    url = server.url.replace("/sparql", "") + path
    req = urllib.request.Request(url)
    try:
        r = urllib.request.urlopen(req, timeout=30)
    except urllib.error.HTTPError as exc:
        r = exc
    headers = r.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Vary"] == "Accept"
    assert headers["Server"] == "relaxgraph"
    assert "python" not in str(headers).lower()


def test_post_needs_a_content_type(server: SparqlServer) -> None:
    parts = urllib.parse.urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    conn.request("POST", "/sparql", body=b"query=ASK%7B%7D", headers={})
    answer = conn.getresponse()
    body = answer.read()
    conn.close()
    assert answer.status == 415
    assert b"Content-Type" in body and b"application/sparql-query" in body
    status, _, body = post(server.url, b"<x/>", "application/xml")
    assert status == 415 and b"cannot read a application/xml body" in body


def test_carriage_return_survives_xml_results(server: SparqlServer) -> None:
    text = 'SELECT ?x WHERE { BIND("a\\rb\\r\\nc" AS ?x) }'
    status, ctype, body = get(q(server, text), "application/sparql-results+xml")
    assert status == 200 and ctype == "application/sparql-results+xml"
    ns = "{http://www.w3.org/2005/sparql-results#}"
    literal = ElementTree.fromstring(body).find(f".//{ns}literal")
    assert literal is not None and literal.text == "a\rb\r\nc"
    graph = 'CONSTRUCT { <http://a> <http://b> ?x } WHERE { BIND("a\\rb" AS ?x) }'
    status, _, body = get(q(server, graph), "application/rdf+xml")
    assert status == 200
    assert [str(o) for o in rdflib.Graph().parse(data=body, format="xml").objects()] == ["a\rb"]


def test_service_description(server: SparqlServer) -> None:
    status, ctype, body = get(server.url)
    assert status == 200 and ctype.startswith("text/turtle")
    g = rdflib.Graph().parse(data=body, format="turtle")
    service = g.value(predicate=rdflib.RDF.type, object=SD.Service)
    assert service is not None
    assert str(g.value(service, SD.endpoint)) == server.url
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    formats = {str(o).rsplit("/", 1)[-1] for o in g.objects(service, SD.resultFormat)}
    assert {"SPARQL_Results_JSON", "SPARQL_Results_XML", "RDF_XML", "JSON-LD"} <= formats
    assert (service, SD.feature, SD.BasicFederatedQuery) not in g  # federation is off
    status, ctype, body = get(server.url, "application/ld+json")
    assert status == 200 and ctype == "application/ld+json"
    assert len(rdflib.Graph().parse(data=body, format="json-ld")) == len(g)
    status, ctype, body = get(server.url, "text/html,application/xhtml+xml,*/*;q=0.8")
    assert status == 200 and ctype.startswith("text/html") and b"<form" in body


def test_query_page_lists_examples_escaped(server: SparqlServer) -> None:
    status, ctype, body = get(server.url[: -len("sparql")])
    page = body.decode()
    assert status == 200 and ctype.startswith("text/html")
    assert "labels" in page and "Five labels" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)" in page
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt; &amp; more" in page
    assert "</textarea>" in page and page.count("</textarea>") == 1  # the example's one is escaped
    assert not re.search(r"(src|href)=\"https?:", page)  # nothing fetched from elsewhere


def test_unknown_path(server: SparqlServer) -> None:
    assert get(server.url.replace("/sparql", "/nothing"))[0] == 404


def test_default_page_shows_the_catalogue() -> None:
    from relaxgraph.querying.catalogue import load_catalogue

    with SparqlServer(OxigraphEngine(ox.Store()), port=0) as s:
        page = get(s.url[: -len("sparql")])[2].decode()
    names = list(load_catalogue())
    assert names and all(n in page for n in names)


def test_serve_command_over_http() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "relaxgraph", "serve", "--port", "0", "--timeout", "10"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        m = re.search(r"(http://127\.0\.0\.1:\d+/sparql)", line)
        assert m, line
        status, _, body = get(
            m.group(1) + "?" + urllib.parse.urlencode({"query": COUNT}), "text/csv"
        )
        assert status == 200 and int(body.decode().split()[-1]) > 1000
        status, _, _ = post(m.group(1), b"update=DROP%20ALL", "application/x-www-form-urlencoded")
        assert status == 403
    finally:
        proc.terminate()
        proc.wait(timeout=30)
