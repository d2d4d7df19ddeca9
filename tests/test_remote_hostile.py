"""Hostile and broken endpoints: bounded time, bounded memory, one-line errors, no traceback.

Each endpoint here is a small server on 127.0.0.1 written for the test (a raw socket, so
that it can misbehave below HTTP too). Every server thread stops by itself within
``_LIFETIME`` seconds, and all of them stop when the test ends.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pyoxigraph as ox
import pytest

from relaxgraph.errors import (
    EndpointAnswerError,
    EndpointError,
    EndpointTimeoutError,
    EndpointURLError,
    QueryTimeoutError,
    RelaxgraphError,
)
from relaxgraph.querying.sparql import run
from relaxgraph.storage.remote import ENV_GRAPH, ENV_MAX_BYTES, ENV_PASSWORD, ENV_USER, RemoteEngine

# A pyoxigraph object dropped on another thread than its own is an "unraisable" RuntimeError
# that pytest only warns about; here it fails the test (a bad answer once left one behind).
pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")

_LIFETIME = 20.0  # no server thread lives longer than this
Serve = Callable[[socket.socket, "RawServer"], None]


class RawServer:
    """A loopback TCP server that hands each connection to ``serve`` in a thread."""

    def __init__(self, serve: Serve):
        self.serve = serve
        self.sent = 0  # bytes the handlers sent, for checks on how much a client read
        self.connections = 0
        self.stop = threading.Event()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.started = time.monotonic()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def alive(self) -> bool:
        return not self.stop.is_set() and time.monotonic() - self.started < _LIFETIME

    def _accept(self) -> None:
        while self.alive():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(1.0)
            with contextlib.suppress(OSError):
                self.serve(conn, self)

    def send(self, conn: socket.socket, data: bytes) -> None:
        conn.sendall(data)
        self.sent += len(data)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        self.sock.close()


def read_request(conn: socket.socket) -> bytes:
    """The request's head and body (by Content-Length), read within the socket timeout."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def answer(
    status: str, body: bytes, content_type: str = "application/sparql-results+json"
) -> Serve:
    def serve(conn: socket.socket, server: RawServer) -> None:
        read_request(conn)
        head = (
            f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        server.send(conn, head.encode() + body)

    return serve


@pytest.fixture
def raw() -> Iterator[Callable[[Serve], RawServer]]:
    made: list[RawServer] = []

    def make(serve: Serve) -> RawServer:
        made.append(RawServer(serve))
        return made[-1]

    yield make
    for server in made:
        server.close()


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (ENV_USER, ENV_PASSWORD, ENV_GRAPH, ENV_MAX_BYTES, "RELAXGRAPH_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> Any:
    full = dict(os.environ)
    for name in (ENV_USER, ENV_PASSWORD, ENV_GRAPH, ENV_MAX_BYTES, "RELAXGRAPH_ENDPOINT"):
        full.pop(name, None)
    full.update(env or {})
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-m", "relaxgraph", *args],
        capture_output=True,
        env=full,
        timeout=timeout,
    )
    out.seconds = time.monotonic() - started  # type: ignore[attr-defined]
    return out


def one_line_error(out: Any, code: int) -> str:
    stderr = out.stderr.decode("utf-8", "replace")
    assert out.returncode == code, stderr
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), stderr
    assert b"\x1b" not in out.stderr and b"\x1b" not in out.stdout
    return lines[0]


# --- time (issue 10, item 9) ---------------------------------------------------------------------


def black_hole(conn: socket.socket, server: RawServer) -> None:
    """Accept, read the request, and never answer."""
    while server.alive():
        try:
            if not conn.recv(65536):
                return
        except TimeoutError:
            continue


def trickle(conn: socket.socket, server: RawServer) -> None:
    """Answer one byte at a time, each well within any per-read timeout, forever."""
    read_request(conn)
    server.send(conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n\r\n")
    while server.alive():
        server.send(conn, b" ")
        time.sleep(0.1)


@pytest.mark.parametrize("serve", [black_hole, trickle], ids=["black-hole", "trickle"])
def test_an_endpoint_that_never_finishes_is_given_up_at_the_time_limit(
    raw: Callable[[Serve], RawServer], serve: Serve
) -> None:
    server = raw(serve)
    started = time.monotonic()
    with pytest.raises(EndpointTimeoutError, match=r"within 1 s \(the time limit\)") as e:
        run(RemoteEngine(server.url, timeout=1), "ASK {}")
    assert time.monotonic() - started < 3
    assert isinstance(e.value, QueryTimeoutError) and e.value.exit_code == 3


def test_cli_gives_up_on_a_black_hole_at_timeout_with_exit_3(
    raw: Callable[[Serve], RawServer],
) -> None:
    server = raw(black_hole)
    # inline SPARQL, and a catalogue query whose entity parameter is looked up at the endpoint
    for args in (["-e", "ASK {}"], ["side-effects", "--param", "drug=baclofen"]):
        out = cli("query", *args, "--endpoint", server.url, "--timeout", "1.5")
        line = one_line_error(out, 3)
        assert "within 1.5 s" in line
        assert out.seconds < 1.5 + 5  # the interpreter's start-up, not a 60 s default


def test_a_time_limit_that_is_not_a_number_is_refused() -> None:
    for bad in (float("nan"), float("inf"), 0, -1):
        with pytest.raises(RelaxgraphError, match="is not a time limit") as caught:
            RemoteEngine("http://127.0.0.1:9/sparql", timeout=bad)
        assert isinstance(caught.value, ValueError)


# --- memory (issue 10, item 4) -------------------------------------------------------------------


def endless(conn: socket.socket, server: RawServer) -> None:
    """A 200 answer with no length that streams JSON-ish bytes until the client hangs up."""
    read_request(conn)
    server.send(conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n\r\n")
    chunk = b'{"head": {"vars": ["x"]}, "results": {"bindings": [' + b" " * 65536
    while server.alive():
        server.send(conn, chunk)


def test_an_endless_answer_is_cut_at_the_size_limit(raw: Callable[[Serve], RawServer]) -> None:
    server = raw(endless)
    started = time.monotonic()
    with pytest.raises(EndpointAnswerError, match=r"sent more than 1 MiB.*RELAXGRAPH_ENDPOINT"):
        run(RemoteEngine(server.url, max_bytes=1 << 20, timeout=30), "SELECT * WHERE { ?s ?p ?o }")
    assert time.monotonic() - started < 10
    time.sleep(0.3)  # what the server got out before the client hung up: socket buffers, no more
    assert server.sent < 16 << 20


def test_cli_size_limit_from_the_environment(raw: Callable[[Serve], RawServer]) -> None:
    server = raw(endless)
    out = cli(
        "query", "-e", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", server.url,
        env={ENV_MAX_BYTES: str(2 << 20)},
    )  # fmt: skip
    assert "sent more than 2 MiB" in one_line_error(out, 5)


def test_a_declared_length_over_the_limit_is_refused_before_reading(
    raw: Callable[[Serve], RawServer],
) -> None:
    def huge(conn: socket.socket, server: RawServer) -> None:
        read_request(conn)
        server.send(conn, b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n{")

    server = raw(huge)
    with pytest.raises(EndpointAnswerError, match="sent more than 1 MiB"):
        run(RemoteEngine(server.url, max_bytes=1 << 20), "ASK {}")


def test_an_endless_error_page_is_not_read_whole(raw: Callable[[Serve], RawServer]) -> None:
    def endless_500(conn: socket.socket, server: RawServer) -> None:
        read_request(conn)
        server.send(conn, b"HTTP/1.1 500 Oops\r\nContent-Type: text/plain\r\n\r\n")
        while server.alive():
            server.send(conn, b"x" * 65536)

    server = raw(endless_500)
    with pytest.raises(EndpointError, match="HTTP 500") as e:
        run(RemoteEngine(server.url, timeout=10), "ASK {}")
    assert len(str(e.value)) < 500


# --- hostile answers (issue 10, item 11) ---------------------------------------------------------

_VARS = {"head": {"vars": ["x"]}}


def results(*bindings: Any) -> bytes:
    return json.dumps({**_VARS, "results": {"bindings": list(bindings)}}).encode()


BAD_ANSWERS = {
    "deep-json": b'{"head": {"vars": ["x"]}, "results": {"bindings": [' + b"[" * 100_000,
    "deep-json-object": b'{"head": {"vars": ["x"]}, "x": ' + b'{"a": ' * 100_000,
    "not-json": b"<html>login</html>",
    "json-array": b"[1, 2, 3]",
    "no-results": b'{"head": {"vars": ["x"]}}',
    "bindings-not-a-list": json.dumps({**_VARS, "results": {"bindings": {"x": 1}}}).encode(),
    "row-not-an-object": results("x"),
    "term-not-an-object": results({"x": "http://example.org/a"}),
    "unknown-term-type": results({"x": {"type": "spaceship", "value": "a"}}),
    "value-not-a-string": results({"x": {"type": "literal", "value": 5}}),
    "iri-with-space": results({"x": {"type": "uri", "value": "http://example.org/a b"}}),
    "iri-with-angle": results({"x": {"type": "uri", "value": "http://example.org/a>b"}}),
    "bad-language-tag": results({"x": {"type": "literal", "value": "a", "xml:lang": "en us!"}}),
    "datatype-not-an-iri": results({"x": {"type": "literal", "value": "a", "datatype": "not iri"}}),
    "variable-not-in-head": results({"y": {"type": "literal", "value": "a"}}),
    "bad-variable-name": json.dumps(
        {"head": {"vars": ["x y"]}, "results": {"bindings": []}}
    ).encode(),
    "boolean-not-a-boolean": b'{"head": {}, "boolean": "yes"}',
    "escape-bytes": b"\x1b]0;pwned\x07\x1b[2J not json",
}


@pytest.mark.parametrize("body", list(BAD_ANSWERS.values()), ids=list(BAD_ANSWERS))
def test_a_hostile_answer_is_a_clear_error(raw: Callable[[Serve], RawServer], body: bytes) -> None:
    server = raw(answer("200 OK", body))
    with pytest.raises(EndpointAnswerError) as e:
        run(RemoteEngine(server.url), "SELECT ?x WHERE { ?x ?p ?o }").rows()
    message = str(e.value)
    assert server.url in message and len(message) < 600
    assert "\x1b" not in message and "\n" not in message


@pytest.mark.parametrize("name", ["deep-json", "iri-with-space", "escape-bytes"])
def test_cli_hostile_answer_is_one_line_exit_5(
    raw: Callable[[Serve], RawServer], name: str
) -> None:
    server = raw(answer("200 OK", BAD_ANSWERS[name]))
    out = cli("query", "-e", "SELECT ?x WHERE { ?x ?p ?o }", "--endpoint", server.url)
    assert server.url in one_line_error(out, 5)


BAD_GRAPHS = {
    "turtle-garbage": (b"this is not turtle {", "text/turtle"),
    "ntriples-garbage": (b"<http://a> <http://b> .\n", "application/n-triples"),
    "billion-laughs": (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description rdf:about="http://a"><rdf:value>&b;</rdf:value></rdf:Description>'
        b"</rdf:RDF>",
        "application/rdf+xml",
    ),
}


@pytest.mark.parametrize("body,content_type", list(BAD_GRAPHS.values()), ids=list(BAD_GRAPHS))
def test_a_hostile_graph_answer_is_a_clear_error(
    raw: Callable[[Serve], RawServer], body: bytes, content_type: str
) -> None:
    server = raw(answer("200 OK", body, content_type))
    with pytest.raises(EndpointAnswerError, match=server.url):
        run(RemoteEngine(server.url), "CONSTRUCT WHERE { ?s ?p ?o }")


def test_escape_bytes_in_an_error_page_do_not_reach_the_terminal(
    raw: Callable[[Serve], RawServer],
) -> None:
    page = b"\x1b]0;pwned\x07\x1b[2J\x1b[31mSP030: syntax error" + b"\n" * 50
    server = raw(answer("400 Bad Request", page, "text/plain"))
    out = cli("query", "-e", "ASK {}", "--endpoint", server.url)
    assert "SP030: syntax error" in one_line_error(out, 5)


def test_garbled_http_is_a_clear_error(raw: Callable[[Serve], RawServer]) -> None:
    def garbled(conn: socket.socket, server: RawServer) -> None:
        read_request(conn)
        server.send(conn, b"NOT HTTP AT ALL\r\n\r\n")

    server = raw(garbled)
    with pytest.raises(EndpointError, match=server.url):
        run(RemoteEngine(server.url), "ASK {}")


def test_a_redirect_to_another_scheme_is_not_followed(raw: Callable[[Serve], RawServer]) -> None:
    def to_ftp(conn: socket.socket, server: RawServer) -> None:
        read_request(conn)
        server.send(conn, b"HTTP/1.1 302 Found\r\nLocation: ftp://127.0.0.1/x\r\n\r\n")

    server = raw(to_ftp)
    with pytest.raises(EndpointAnswerError, match="redirected to a ftp URL"):
        run(RemoteEngine(server.url), "SELECT * WHERE { ?s ?p ?o }")


def test_virtuoso_blank_node_labels_work_in_every_format(
    raw: Callable[[Serve], RawServer],
) -> None:
    """Virtuoso labels blank nodes ``nodeID://b10001``: not a label pyoxigraph accepts as is."""
    body = results(
        {"x": {"type": "bnode", "value": "nodeID://b10001"}},
        {"x": {"type": "bnode", "value": "nodeID://b10002"}},
        {"x": {"type": "bnode", "value": "nodeID://b10001"}},
    )
    server = raw(answer("200 OK", body))
    result = run(RemoteEngine(server.url), "SELECT ?x WHERE { ?x ?p ?o }")
    terms = [row[0] for row in result.terms]
    assert all(isinstance(t, ox.BlankNode) for t in terms)
    assert terms[0] == terms[2] != terms[1]  # one node stays one node, two stay two
    assert len(result.rows()) == 3
    for fmt in ("xml", "csv", "tsv", "json"):
        assert b"b10001" in result.serialize(fmt)
    for fmt in ("table", "csv", "tsv", "xml"):
        out = cli("query", "-e", "SELECT ?x WHERE { ?x ?p ?o }", "--endpoint", server.url,
                  "--format", fmt)  # fmt: skip
        assert out.returncode == 0, out.stderr
        assert b"b10001" in out.stdout and b"b10002" in out.stdout


# --- malformed URLs and conflicting sources (issue 10, item 11) ---------------------------------

BAD_URLS = [
    "localhost:8890",
    "ftp://127.0.0.1/sparql",
    "http://",
    "http:///sparql",
    "http://[::1/sparql",
    "http://127.0.0.1:99999/sparql",
    "http://127.0.0.1:port/sparql",
    "http://exa mple.org/sparql",
    "http://127.0.0.1/spa\x1b[2Jrql",
    "",
    "file:///etc/passwd",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_malformed_endpoint_url_is_refused(url: str) -> None:
    with pytest.raises(EndpointURLError, match="not an endpoint URL") as e:
        RemoteEngine(url)
    assert isinstance(e.value, ValueError) and e.value.exit_code == 2


@pytest.mark.parametrize("url", ["http://[::1/sparql", "http://127.0.0.1:99999/sparql", "ftp://x/"])
def test_cli_malformed_endpoint_url_exit_2(url: str) -> None:
    for args in (["query", "-e", "ASK {}"], ["push"], ["export", "--format", "nt"]):
        assert "not an endpoint URL" in one_line_error(cli(*args, "--endpoint", url), 2)


def test_cli_malformed_update_and_graph_store_urls_exit_2() -> None:
    ok = "http://127.0.0.1:9/sparql"
    for option in ("--update-url", "--graph-store"):
        out = cli("push", "--endpoint", ok, option, "http://[::1/x")
        assert "URL" in one_line_error(out, 2)


def test_store_and_endpoint_together_are_refused(tmp_path: Any) -> None:
    import relaxgraph

    with pytest.raises(RelaxgraphError, match="not both") as e:
        relaxgraph.connect(store=str(tmp_path / "s"), endpoint="http://127.0.0.1:9/sparql")
    assert isinstance(e.value, ValueError) and e.value.exit_code == 2
    out = cli(
        "query",
        "-e",
        "ASK {}",
        "--store",
        str(tmp_path / "s"),
        "--endpoint",
        "http://127.0.0.1:9/sparql",
    )
    assert "not both" in one_line_error(out, 2)
