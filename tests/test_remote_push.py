"""Pushing by SPARQL Update to a scripted loopback endpoint that applies the updates to a real store.

The endpoint imitates Virtuoso's limits: it refuses an update with more than ``limit``
triples, echoing the whole update in its message as Virtuoso does.
"""

from __future__ import annotations

import base64
import re
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from test_remote import FakeEndpoint, Handler

from relaxgraph.errors import EndpointError
from relaxgraph.storage.remote import ENV_GRAPH, ENV_PASSWORD, ENV_USER, push
from relaxgraph.storage.store import bundled_store

EX = "http://example.org/"
GRAPH = EX + "g"


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (ENV_USER, ENV_PASSWORD, ENV_GRAPH):
        monkeypatch.delenv(name, raising=False)


class UpdateStore:
    """An update endpoint over a real store, with a triple limit and scripted failures."""

    def __init__(self, limit: int = 10**9):
        self.store = ox.Store()
        self.limit = limit
        self.fail_from: int | None = None  # INSERT requests from this one on fail (1-based)
        self.inserts = 0
        self.sizes: list[int] = []

    def __call__(self, h: BaseHTTPRequestHandler, body: bytes) -> tuple[int, dict[str, str], bytes]:
        if h.command != "POST":
            return 405, {}, b""
        update = urllib.parse.parse_qs(body.decode())["update"][0]
        if "INSERT" in update:
            self.inserts += 1
            n = update.count(" .\n")
            if n > self.limit:
                text = f"Virtuoso 37000 Error SP031: SPARQL: Internal error: The length of generated SQL text has exceeded 10000 lines\n\nSPARQL query:\n{update}"
                return 400, {"Content-Type": "text/plain"}, text.encode()
            if self.fail_from is not None and self.inserts >= self.fail_from:
                return 500, {"Content-Type": "text/plain"}, b"Virtuoso 08C01 Error CL: injected"
            self.sizes.append(n)
        self.store.update(update)
        return 200, {}, b""

    def graph(self, iri: str = GRAPH) -> rdflib.Graph:
        g = rdflib.Graph()
        quads = self.store.quads_for_pattern(None, None, None, ox.NamedNode(iri))
        data = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES) or b""
        g.parse(data=data.decode(), format="nt")
        return g

    def graphs(self) -> set[str]:
        return {g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)}


def as_rdflib(store: ox.Store) -> rdflib.Graph:
    g = rdflib.Graph()
    data = ox.serialize([q.triple for q in store], format=ox.RdfFormat.N_TRIPLES) or b""
    g.parse(data=data.decode(), format="nt")
    return g


@pytest.fixture
def fake() -> Iterator[Callable[[Handler], FakeEndpoint]]:
    made: list[FakeEndpoint] = []

    def make(answer: Handler) -> FakeEndpoint:
        made.append(FakeEndpoint(answer))
        return made[-1]

    yield make
    for f in made:
        f.close()


def test_chunks_shrink_until_the_server_accepts_them(
    fake: Callable[[Handler], FakeEndpoint],
) -> None:
    target = UpdateStore(limit=300)
    ep = fake(target)
    source = bundled_store()
    assert push(source, ep.url, GRAPH, chunk_size=5000) == len(source)
    assert max(target.sizes) <= 300
    # pushed whole, and the same graph: blank nodes linked, every literal typed as before
    assert isomorphic(target.graph(), as_rdflib(source))
    assert target.graphs() == {GRAPH}  # the staging graph was moved, not left behind


def test_a_refused_update_is_quoted_briefly(fake: Callable[[Handler], FakeEndpoint]) -> None:
    ep = fake(UpdateStore(limit=0))
    with pytest.raises(EndpointError, match=r"SP031") as e:
        push(bundled_store(), ep.url, GRAPH, chunk_size=400)
    message = str(e.value)
    assert len(message) < 1000, message  # never the whole update (40 KB here)
    assert "left as it was" in message and re.search(r"a chunk of \d+ triples? \(", message)


def test_a_failed_repush_loses_nothing(fake: Callable[[Handler], FakeEndpoint]) -> None:
    old = ox.Store()
    old.add(ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("old")))
    target = UpdateStore()
    ep = fake(target)
    push(old, ep.url, GRAPH)
    before = target.graph()
    target.fail_from = target.inserts + 3  # the next push fails from its third INSERT on
    # (two chunks are in the staging graph by then; a refused chunk is halved and retried
    # until it is one group of triples, then the push gives up)
    with pytest.raises(EndpointError, match=r"left as it was.*injected"):
        push(bundled_store(), ep.url, GRAPH, chunk_size=200)
    assert isomorphic(target.graph(), before)  # the old graph, whole
    assert target.graphs() == {GRAPH}  # the staging graph was dropped
    target.fail_from = None
    push(bundled_store(), ep.url, GRAPH, chunk_size=200)  # and a re-push works
    assert isomorphic(target.graph(), as_rdflib(bundled_store()))


def test_decimals_and_other_datatypes_are_written_explicitly(
    fake: Callable[[Handler], FakeEndpoint],
) -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    source = ox.Store()
    s, p = ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p")
    for value, datatype in [("80", "decimal"), ("2.5", "decimal"), ("3", "integer"),
                            ("1e3", "double"), ("true", "boolean"), ("x", "string")]:  # fmt: skip
        source.add(ox.Quad(s, p, ox.Literal(value, datatype=ox.NamedNode(xsd + datatype))))
    target = UpdateStore()
    ep = fake(target)
    push(source, ep.url, GRAPH)
    sent = "".join(
        urllib.parse.parse_qs(r["body"].decode()).get("update", [""])[0] for r in ep.requests
    )
    assert f'"80"^^<{xsd}decimal>' in sent and f'"2.5"^^<{xsd}decimal>' in sent
    assert isomorphic(target.graph(), as_rdflib(source))


def test_credentials_go_to_the_update_url_too(fake: Callable[[Handler], FakeEndpoint]) -> None:
    """The query endpoint is open; updates at another path ask for credentials (as /sparql-auth)."""
    target = UpdateStore()
    expected = "Basic " + base64.b64encode(b"dba:s3cret").decode()

    def answer(h: BaseHTTPRequestHandler, body: bytes) -> tuple[int, dict[str, str], bytes]:
        if h.path.startswith("/update") and h.headers.get("Authorization") != expected:
            return 401, {"WWW-Authenticate": 'Basic realm="update"'}, b"no"
        return target(h, body)

    ep = fake(answer)
    update_url = ep.url.replace("/sparql", "/update")
    n = push(bundled_store(), ep.url, GRAPH, update_url=update_url, user="dba", password="s3cret")
    assert n == len(bundled_store()) and len(target.graph()) == n


def test_credentials_go_to_no_other_host(fake: Callable[[Handler], FakeEndpoint]) -> None:
    seen: list[Any] = []

    def record(h: BaseHTTPRequestHandler, body: bytes) -> tuple[int, dict[str, str], bytes]:
        seen.append(h.headers.get("Authorization"))
        return 401, {"WWW-Authenticate": 'Basic realm="x"'}, b"no"

    other = fake(record)
    ep = fake(UpdateStore())
    with pytest.raises(EndpointError):
        # the update URL is another server (here: another port) than the one named
        push(bundled_store(), ep.url, GRAPH, update_url=other.url, user="dba", password="s")
    # named explicitly, so it gets them; a redirect elsewhere would not (urllib's own rule)
    assert any(s and s.startswith("Basic ") for s in seen)
