"""The remote engine over real HTTP: bound parameters, results, credentials and failures."""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pyoxigraph as ox
import pytest

from relaxgraph.errors import (
    EndpointError,
    EndpointTimeoutError,
    EndpointURLError,
    QueryError,
    QueryTimeoutError,
)
from relaxgraph.querying.sparql import run
from relaxgraph.server.endpoint import SparqlServer
from relaxgraph.storage.engines import OxigraphEngine
from relaxgraph.storage.remote import (
    ENV_GRAPH,
    ENV_PASSWORD,
    ENV_USER,
    RemoteEngine,
    push,
    sparql_term,
    with_values,
)
from relaxgraph.storage.store import bundled_store

EX = "http://example.org/"
Handler = Callable[[BaseHTTPRequestHandler, bytes], tuple[int, dict[str, str], bytes]]


class FakeEndpoint:
    """A tiny HTTP server whose answers a test scripts; it records every request."""

    def __init__(self, answer: Handler):
        self.requests: list[dict[str, Any]] = []
        outer = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _any(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": body,
                    }
                )
                status, headers, data = answer(self, body)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _any

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/sparql"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def form(self, i: int = -1) -> dict[str, list[str]]:
        return urllib.parse.parse_qs(self.requests[i]["body"].decode())


@pytest.fixture
def fake() -> Iterator[Callable[[Handler], FakeEndpoint]]:
    made: list[FakeEndpoint] = []

    def make(answer: Handler) -> FakeEndpoint:
        made.append(FakeEndpoint(answer))
        return made[-1]

    yield make
    for f in made:
        f.close()


@pytest.fixture(autouse=True)
def _no_env_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_USER, raising=False)
    monkeypatch.delenv(ENV_PASSWORD, raising=False)
    monkeypatch.delenv(ENV_GRAPH, raising=False)


SELECT_JSON = json.dumps(
    {
        "head": {"vars": ["x"]},
        "results": {
            "bindings": [
                {
                    "x": {
                        "type": "typed-literal",
                        "datatype": "http://www.w3.org/2001/XMLSchema#int",
                        "value": "3",
                    }
                }
            ]
        },
    }
).encode()


def ok_json(handler: BaseHTTPRequestHandler, body: bytes) -> tuple[int, dict[str, str], bytes]:
    return 200, {"Content-Type": "application/sparql-results+json"}, SELECT_JSON


# --- terms and VALUES ------------------------------------------------------------------------


def test_literals_are_escaped_not_spliced() -> None:
    evil = 'x" } ; DROP ALL ; SELECT * { "'
    written = sparql_term(ox.Literal(evil))
    # the whole thing parses back as one literal equal to the input
    parsed = ox.Store().query(f"SELECT ?v WHERE {{ BIND({written} AS ?v) }}")
    assert [s["v"] for s in parsed] == [ox.Literal(evil)]
    assert sparql_term(ox.Literal("tab\tline\nback\\")) == '"tab\\tline\\nback\\\\"'
    assert sparql_term(
        ox.Literal("5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    ) == ('"5"^^<http://www.w3.org/2001/XMLSchema#integer>')


@pytest.mark.parametrize(
    "bad", ["http://x/a b", "http://x/a>", 'http://x/"', "http://x/{", "http://x/\\", ""]
)
def test_unsafe_iris_are_refused(bad: str) -> None:
    from relaxgraph.storage.remote import _iri

    with pytest.raises(QueryError, match="cannot bind the IRI"):
        _iri(bad)


def test_blank_nodes_and_bad_names_cannot_be_bound() -> None:
    with pytest.raises(QueryError, match="blank node"):
        sparql_term(ox.BlankNode())
    with pytest.raises(QueryError, match="variable name"):
        with_values("SELECT * WHERE { ?s ?p ?o }", {"o }": ox.Literal("x")})


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s WHERE { ?s ?p ?o }",
        "SELECT ?s { ?s ?p ?o }",
        "PREFIX ex: <http://example.org/>\n"
        "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ex:p ?o } GROUP BY ?s",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "ASK { ?s ?p ?o }",
        "SELECT ?s WHERE { ?s ?p ?o FILTER(?o != '}') } # { a comment\n",
        "SELECT (EXISTS { ?s ?p ?o } AS ?e) ?s WHERE { ?s ?p ?o }",
        "DESCRIBE ?s WHERE { ?s ?p ?o }",
    ],
)
def test_values_block_parses_and_restricts(query: str) -> None:
    store = ox.Store()
    store.extend(
        [
            ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("1")),
            ox.Quad(ox.NamedNode(EX + "b"), ox.NamedNode(EX + "p"), ox.Literal("2")),
        ]
    )
    bindings = {"s": ox.NamedNode(EX + "a")}
    rewritten = with_values(query, bindings)
    assert "VALUES (?s) { (<http://example.org/a>) }" in rewritten
    ours = run(OxigraphEngine(store), rewritten)
    native = run(OxigraphEngine(store), query, bindings)
    assert ours.kind == native.kind
    if ours.kind == "select":
        assert sorted(map(str, ours.terms)) == sorted(map(str, native.terms))
    elif ours.kind == "graph":
        assert sorted(map(str, ours.triples)) == sorted(map(str, native.triples))
    else:
        assert ours.boolean == native.boolean


def test_values_apply_before_aggregates() -> None:
    """A trailing VALUES would join after COUNT; ours restricts the pattern, as pre-binding does."""
    store = ox.Store()
    p = ox.NamedNode(EX + "p")
    store.extend([ox.Quad(ox.NamedNode(EX + s), p, ox.Literal(s)) for s in "abc"])
    # ?s is not projected, so Oxigraph's substitutions cannot pre-bind it; VALUES can
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert (
        run(OxigraphEngine(store), with_values(q, {"s": ox.NamedNode(EX + "a")})).rows()[0].n == 1
    )


# --- over HTTP ---------------------------------------------------------------------------------


def test_query_is_posted_form_encoded_with_bindings_and_graph(
    fake: Callable[[Handler], FakeEndpoint],
) -> None:
    ep = fake(ok_json)
    engine = RemoteEngine(ep.url, default_graph=EX + "g")
    result = run(engine, "SELECT ?x WHERE { ?d ?p ?x }", {"d": ox.NamedNode(EX + "d")}, timeout=5)
    request = ep.requests[-1]
    assert request["method"] == "POST"
    assert request["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert request["headers"]["Accept"].startswith("application/sparql-results+json")
    form = ep.form()
    assert form["default-graph-uri"] == [EX + "g"]
    assert "VALUES (?d) { (<http://example.org/d>) }" in form["query"][0]
    # Virtuoso's SPARQL 1.0 "typed-literal" reads as a literal
    assert result.rows()[0].x == 3


def test_graph_from_the_environment(
    fake: Callable[[Handler], FakeEndpoint], monkeypatch: pytest.MonkeyPatch
) -> None:
    ep = fake(ok_json)
    monkeypatch.setenv(ENV_GRAPH, EX + "pushed")
    run(RemoteEngine(ep.url), "SELECT ?x WHERE { ?s ?p ?x }")
    assert ep.form()["default-graph-uri"] == [EX + "pushed"]


def test_graph_results_in_turtle_are_accepted(fake: Callable[[Handler], FakeEndpoint]) -> None:
    ttl = f"@prefix ex: <{EX}> . ex:a ex:p ex:b .".encode()
    ep = fake(lambda h, b: (200, {"Content-Type": "text/turtle"}, ttl))
    triples = run(RemoteEngine(ep.url), "CONSTRUCT WHERE { ?s ?p ?o }").triples
    assert triples == [
        ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.NamedNode(EX + "b"))
    ]
    assert "application/n-triples" in ep.requests[-1]["headers"]["Accept"]


def test_virtuoso_style_ask_answer(fake: Callable[[Handler], FakeEndpoint]) -> None:
    doc = {
        "head": {"vars": ["__ASK_RETVAL"]},
        "results": {"bindings": [{"__ASK_RETVAL": {"type": "typed-literal", "value": "0"}}]},
    }
    ep = fake(
        lambda h, b: (
            200,
            {"Content-Type": "application/sparql-results+json"},
            json.dumps(doc).encode(),
        )
    )
    assert run(RemoteEngine(ep.url), "ASK { ?s ?p ?o }").boolean is False


def _basic(user: str, password: str) -> Handler:
    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def answer(h: BaseHTTPRequestHandler, body: bytes) -> tuple[int, dict[str, str], bytes]:
        if h.headers.get("Authorization") != expected:
            return 401, {"WWW-Authenticate": 'Basic realm="sparql"'}, b"no"
        return ok_json(h, body)

    return answer


def test_basic_credentials_from_the_environment(
    fake: Callable[[Handler], FakeEndpoint], monkeypatch: pytest.MonkeyPatch
) -> None:
    ep = fake(_basic("reader", "s3cret"))
    with pytest.raises(EndpointError, match=f"asks for credentials.*{ENV_USER}.*{ENV_PASSWORD}"):
        run(RemoteEngine(ep.url), "SELECT ?x WHERE {}")
    monkeypatch.setenv(ENV_USER, "reader")
    monkeypatch.setenv(ENV_PASSWORD, "wrong")
    with pytest.raises(
        EndpointError, match=f"refused the credentials of user 'reader'.*{ENV_PASSWORD}"
    ):
        run(RemoteEngine(ep.url), "SELECT ?x WHERE {}")
    monkeypatch.setenv(ENV_PASSWORD, "s3cret")
    assert run(RemoteEngine(ep.url), "SELECT ?x WHERE {}").rows()[0].x == 3


def test_server_message_is_passed_through_on_400(fake: Callable[[Handler], FakeEndpoint]) -> None:
    ep = fake(
        lambda h, b: (400, {"Content-Type": "text/plain"}, b"SP030: syntax error at '}' before '}'")
    )
    with pytest.raises(EndpointError, match=r"HTTP 400.*SP030: syntax error at '}'"):
        run(RemoteEngine(ep.url), "SELECT * WHERE { ?s ?p }")


def test_other_http_errors(fake: Callable[[Handler], FakeEndpoint]) -> None:
    ep = fake(lambda h, b: (503, {"Content-Type": "text/html"}, b"<html><b>Overloaded</b></html>"))
    with pytest.raises(EndpointError, match="HTTP 503: Overloaded"):
        run(RemoteEngine(ep.url), "SELECT * WHERE { ?s ?p ?o }")


def test_unreachable_endpoint() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(EndpointError, match=r"connection refused.*is the SPARQL server running"):
        run(RemoteEngine(f"http://127.0.0.1:{port}/sparql"), "ASK {}")


def test_unknown_host() -> None:
    with pytest.raises(EndpointError, match="does not resolve"):
        run(RemoteEngine("http://relaxgraph-no-such-host.invalid/sparql", timeout=10), "ASK {}")


def test_not_a_url() -> None:
    with pytest.raises(EndpointURLError, match="not an endpoint URL") as e:
        RemoteEngine("localhost:8890")
    assert e.value.exit_code == 2 and isinstance(e.value, ValueError)


def test_timeout(fake: Callable[[Handler], FakeEndpoint]) -> None:
    def slow(h: BaseHTTPRequestHandler, body: bytes) -> tuple[int, dict[str, str], bytes]:
        time.sleep(2)
        return ok_json(h, body)

    ep = fake(slow)
    with pytest.raises(EndpointTimeoutError, match=r"did not answer in full within 0.3 s") as e:
        run(RemoteEngine(ep.url, timeout=0.3), "SELECT * WHERE { ?s ?p ?o }")
    assert isinstance(e.value, QueryTimeoutError) and e.value.exit_code == 3


def test_a_non_sparql_answer_is_reported(fake: Callable[[Handler], FakeEndpoint]) -> None:
    ep = fake(lambda h, b: (200, {"Content-Type": "text/html"}, b"<html>login page</html>"))
    with pytest.raises(EndpointError, match=r"did not answer with SPARQL JSON results.*login page"):
        run(RemoteEngine(ep.url), "SELECT * WHERE { ?s ?p ?o }")


# --- push ----------------------------------------------------------------------------------------


def _graph_store(graphs: dict[str, bytes]) -> Handler:
    def answer(h: BaseHTTPRequestHandler, body: bytes) -> tuple[int, dict[str, str], bytes]:
        graph = urllib.parse.parse_qs(urllib.parse.urlsplit(h.path).query)["graph"][0]
        existed = graph in graphs
        if h.command == "DELETE":
            graphs.pop(graph, None)
            return (204 if existed else 404), {}, b""
        graphs[graph] = body
        return (204 if existed else 201), {}, b""

    return answer


def test_push_with_graph_store_protocol_stages_then_puts(
    fake: Callable[[Handler], FakeEndpoint],
) -> None:
    graphs: dict[str, bytes] = {}
    ep = fake(_graph_store(graphs))
    store = bundled_store()
    gsp = ep.url.replace("/sparql", "/graph-store")
    n = push(store, ep.url, EX + "g", graph_store=gsp)
    assert n == len(store)
    calls = [(r["method"], r["path"]) for r in ep.requests if r["method"] != "HEAD"]
    target = "/graph-store?graph=http%3A%2F%2Fexample.org%2Fg"
    assert [m for m, _ in calls] == ["PUT", "PUT", "DELETE"]
    assert calls[0][1].startswith(target + "-relaxgraph-staging-")  # first the staging graph
    assert calls[1][1] == target and calls[2][1] == calls[0][1]
    put = ep.requests[-2]
    assert put["headers"]["Content-Type"].startswith("text/turtle")
    assert len(list(ox.parse(put["body"], format=ox.RdfFormat.TURTLE))) == n
    assert list(graphs) == [EX + "g"]


def test_push_with_sparql_update_replaces_the_graph(
    fake: Callable[[Handler], FakeEndpoint],
) -> None:
    """The updates, run on a real store, leave one copy of the graph, even when pushed twice."""
    target = ox.Store()

    def apply(h: BaseHTTPRequestHandler, body: bytes) -> tuple[int, dict[str, str], bytes]:
        target.update(urllib.parse.parse_qs(body.decode())["update"][0])
        return 204, {}, b""

    ep = fake(apply)
    source = bundled_store()
    for _ in range(2):
        assert push(source, ep.url, EX + "g", chunk_size=100) == len(source)
    updates = [ep.form(i)["update"][0] for i in range(len(ep.requests)) if ep.form(i)]
    # into a staging graph, then one MOVE onto the target: the target is never emptied first
    assert not any(u.startswith(f"DROP SILENT GRAPH <{EX}g>") for u in updates)
    assert updates[-1].startswith(f"MOVE GRAPH <{EX}g-relaxgraph-staging-")
    assert {g for g in target.named_graphs()} == {ox.NamedNode(EX + "g")}
    pushed = list(target.quads_for_pattern(None, None, None, ox.NamedNode(EX + "g")))
    assert len(pushed) == len(source)

    # blank nodes kept their links across chunks: same number of distinct blank nodes
    def blanks(quads: Any) -> int:
        return len(
            {t.value for q in quads for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)}
        )

    assert blanks(pushed) == blanks(source)


# --- through relaxgraph's own server ---------------------------------------------------------


def test_every_catalogue_query_through_http_matches_embedded() -> None:
    from relaxgraph.querying.catalogue import load_catalogue

    local = OxigraphEngine(bundled_store())
    with SparqlServer(
        local, port=0, max_rows=10**6
    ) as server:  # one store: blank node labels agree
        remote = RemoteEngine(server.url)
        queries = list(load_catalogue().values())
        assert queries
        for q in queries:
            bindings = q.bind(local)
            here = run(local, q.text, bindings)
            there = run(remote, q.text, bindings)
            assert there.kind == here.kind, q.name
            if here.kind == "select":
                key: Callable[[Any], str] = str
                a, b = list(map(key, here.terms)), list(map(key, there.terms))
                assert (a == b) if q.ordered else (sorted(a) == sorted(b)), q.name
            elif here.kind == "graph":
                assert len(here.triples) == len(there.triples), q.name
            else:
                assert here.boolean == there.boolean, q.name


# --- reading a whole graph past a server's row limit (issue 12: the graph outgrew 10,000 rows) ---


def _capping_store_endpoint(
    store: ox.Store, *, rows: int, sort: int | None = None, nested: bool = True
) -> Handler:
    """An endpoint over ``store`` that cuts every answer at ``rows`` rows *without saying so*,
    and, like Virtuoso (error SR353), refuses an ORDER BY whose OFFSET + LIMIT passes ``sort``
    at the query's top level (or also in a subquery, with ``nested=False``)."""
    import re

    def answer(handler: BaseHTTPRequestHandler, body: bytes) -> tuple[int, dict[str, str], bytes]:
        query = urllib.parse.parse_qs(body.decode())["query"][0]
        window = re.search(r"OFFSET (\d+) LIMIT (\d+)\s*$", query)
        top_level = re.search(r"ORDER BY \?s \?p \?o OFFSET", query) is not None
        deep = sort is not None and window and int(window[1]) + int(window[2]) > sort
        if deep and (top_level or not nested):
            message = b"Virtuoso 22023 Error SR353: Sorted TOP clause specifies more rows"
            return 500, {"Content-Type": "text/plain"}, message
        result = store.query(query)
        assert isinstance(result, ox.QuerySolutions)
        doc = json.loads(result.serialize(format=ox.QueryResultsFormat.JSON))
        doc["results"]["bindings"] = doc["results"]["bindings"][:rows]
        return 200, {"Content-Type": "application/sparql-results+json"}, json.dumps(doc).encode()

    return answer


def _numbered_store(n: int) -> ox.Store:
    store = ox.Store()
    p = ox.NamedNode(EX + "p")
    store.extend(ox.Quad(ox.NamedNode(f"{EX}s{i}"), p, ox.Literal(str(i))) for i in range(n))
    return store


def test_a_silent_row_cap_is_detected_and_paged_through(
    fake: Callable[[Handler], FakeEndpoint],
) -> None:
    """An endpoint that cuts at 40 rows without a header: the whole 250 triples, not 40."""
    store = _numbered_store(250)
    endpoint = fake(_capping_store_endpoint(store, rows=40))
    triples = RemoteEngine(endpoint.url).all_triples()
    assert sorted(map(str, triples)) == sorted(str(q.triple) for q in store)


def test_a_server_that_sorts_only_so_far_is_paged_through_a_subquery(
    fake: Callable[[Handler], FakeEndpoint],
) -> None:
    """Virtuoso refuses OFFSET + LIMIT past 10,000 under ORDER BY (SR353); a subquery pages on."""
    store = _numbered_store(250)
    endpoint = fake(_capping_store_endpoint(store, rows=40, sort=100))
    triples = RemoteEngine(endpoint.url).all_triples()
    assert sorted(map(str, triples)) == sorted(str(q.triple) for q in store)
    queries = [endpoint.form(i)["query"][0] for i in range(len(endpoint.requests))]
    assert any(q.startswith("SELECT ?s ?p ?o WHERE { {") for q in queries)  # the subquery form


def test_a_server_that_refuses_every_deep_page_fails_with_the_cap_and_what_to_do(
    fake: Callable[[Handler], FakeEndpoint],
) -> None:
    from relaxgraph.errors import PartialResultError

    store = _numbered_store(250)
    endpoint = fake(_capping_store_endpoint(store, rows=40, sort=100, nested=False))
    with pytest.raises(PartialResultError, match=r"cuts answers at 40 rows.*ResultSetMaxRows"):
        RemoteEngine(endpoint.url).all_triples()
