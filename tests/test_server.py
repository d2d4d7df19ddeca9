"""The served endpoint (``relaxgraph serve``), tested over real HTTP."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from relaxgraph.server import Example, SparqlServer
from relaxgraph.sparql import OxigraphEngine
from relaxgraph.store import bundled_store

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
LABELS = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?c ?label WHERE { ?c rdfs:label ?label } ORDER BY ?c LIMIT 5"
)
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 7"


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
    status, _, body = get(q(server, LABELS, format="ttl"))
    assert status == 400 and b"unknown format" in body


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


def test_result_size_cap(server: SparqlServer) -> None:
    status, _, body = get(q(server, "SELECT * WHERE { ?s ?p ?o }"))
    assert status == 400 and b"cap of 1000" in body and b"LIMIT" in body
    assert get(q(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 1000"))[0] == 200


def test_dataset_parameters_are_refused_clearly(server: SparqlServer) -> None:
    status, _, body = get(q(server, COUNT, **{"default-graph-uri": "http://g"}))
    assert status == 400 and b"default-graph-uri" in body


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
    from relaxgraph.catalogue import load_catalogue

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
