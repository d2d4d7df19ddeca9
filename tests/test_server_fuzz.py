"""The HTTP part of the fuzz corpus: malformed, hostile and odd requests to ``relaxgraph serve``.

Each case is data: the raw bytes sent on a fresh connection, the status expected, and a
word the one-line message must contain. The server runs as ``relaxgraph serve`` in a
subprocess; afterwards its log must hold no traceback and it must still answer.
"""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

Q = urllib.parse.quote


class Case(NamedTuple):
    name: str
    raw: bytes
    status: int
    needle: str


def get(target: str, *headers: str) -> bytes:
    lines = [f"GET {target} HTTP/1.1", "Host: 127.0.0.1", *headers, "Connection: close", "", ""]
    return "\r\n".join(lines).encode("latin-1")


def post(body: bytes, ctype: str | None, *headers: str, length: str | None = None) -> bytes:
    lines = ["POST /sparql HTTP/1.1", "Host: 127.0.0.1", "Connection: close", *headers]
    if ctype is not None:
        lines.append(f"Content-Type: {ctype}")
    lines.append(f"Content-Length: {len(body) if length is None else length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


FORM = "application/x-www-form-urlencoded"
SPARQL = "application/sparql-query"
ASK = "ASK%7B%7D"

CASES = [
    # -- the request line --------------------------------------------------------------------
    Case("garbage", b"GARBAGE\r\n\r\n", 400, "malformed"),
    Case("method only", b"GET\r\n\r\n", 400, "malformed"),
    Case("no version (HTTP/0.9 style)", b"GET /sparql?query=ASK%7B%7D\r\n\r\n", 200, "boolean"),
    Case(
        "unknown version",
        b"GET /sparql?query=ASK%7B%7D HTTP/9.9\r\nHost: x\r\n\r\n",
        200,
        "boolean",
    ),
    Case("lowercase method", b"get /sparql HTTP/1.1\r\nHost: x\r\n\r\n", 400, "malformed"),
    Case(
        "unknown method",
        b"BREW /sparql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        405,
        "not allowed",
    ),
    Case(
        "TRACE",
        b"TRACE /sparql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        405,
        "not allowed",
    ),
    Case("PUT", post(b"x", "text/plain").replace(b"POST", b"PUT", 1), 405, "read-only"),
    Case(
        "DELETE",
        b"DELETE /sparql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        405,
        "read-only",
    ),
    Case("PATCH", post(b"x", "text/plain").replace(b"POST", b"PATCH", 1), 405, "read-only"),
    Case(
        "CONNECT",
        b"CONNECT example.org:443 HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\n\r\n",
        404,
        "not found",
    ),
    Case(
        "absolute URI to another host",
        get("http://example.org/sparql?query=" + ASK),
        200,
        "boolean",
    ),
    Case(
        "NUL in the path",
        b"GET /spa\x00rql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        404,
        "not found: /spa?rql",
    ),
    Case(
        "space in the path",
        b"GET /sp arql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        400,
        "malformed",
    ),
    Case("10 KB path", get("/" + "a" * 10_000), 404, "not found"),
    Case("100 KB path", get("/" + "a" * 100_000), 431, "headers are larger"),
    Case("path traversal", get("/../../etc/passwd"), 404, "not found"),
    Case("encoded traversal", get("/%2e%2e/%2e%2e/etc/passwd"), 404, "not found"),
    Case("unknown path", get("/admin"), 404, "not found"),
    # -- headers -----------------------------------------------------------------------------
    Case("header without colon", b"GET /sparql HTTP/1.1\r\nHost x\r\n\r\n", 400, "malformed"),
    Case(
        "bare LF line ends",
        b"GET /sparql?query=ASK%7B%7D HTTP/1.1\nHost: x\n\n",
        408,
        "not received within",
    ),
    Case("bare CR in a header", b"GET /sparql HTTP/1.1\r\nHost: x\rY: z\r\n\r\n", 400, "malformed"),
    Case(
        "obsolete line folding",
        b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nX: a\r\n folded\r\n\r\n",
        200,
        "boolean",
    ),
    Case("space before colon", b"GET /sparql HTTP/1.1\r\nHost : x\r\n\r\n", 400, "malformed"),
    Case(
        "NUL in a header", b"GET /sparql HTTP/1.1\r\nHost: x\r\nX: a\x00b\r\n\r\n", 400, "malformed"
    ),
    Case(
        "100 KB header",
        get("/sparql?query=" + ASK, "X-Big: " + "a" * 100_000),
        431,
        "headers are larger",
    ),
    Case(
        "6,000 headers",
        get("/sparql?query=" + ASK, *[f"X-{i}: {i}" for i in range(6000)]),
        431,
        "headers are larger",
    ),
    Case(
        "huge Accept",
        get("/sparql?query=" + ASK, "Accept: " + ",".join(["text/x"] * 5000)),
        406,
        "none of the requested types",
    ),
    Case(
        "Accept with NaN q",
        get("/sparql?query=" + ASK, "Accept: text/csv;q=nan, application/sparql-results+xml"),
        200,
        "boolean",
    ),
    Case(
        "Accept nonsense",
        get("/sparql?query=" + ASK, "Accept: ;;;,,,q=,/"),
        406,
        "none of the requested types",
    ),
    Case(
        "hostile Host header",
        b"GET /sparql HTTP/1.1\r\nHost: <evil> .\r\nX-Forwarded-Host: evil\r\nConnection: close\r\n\r\n",
        200,
        "sd:endpoint <http://127.0.0.1:",
    ),
    Case("non-ASCII header value", get("/sparql?query=" + ASK, "X-Name: caf\xe9"), 200, "boolean"),
    # -- bodies and lengths -----------------------------------------------------------------
    Case(
        "Content-Length -1", post(b"ASK{}", SPARQL, length="-1"), 400, "Content-Length is invalid"
    ),
    Case(
        "Content-Length abc", post(b"ASK{}", SPARQL, length="abc"), 400, "Content-Length is invalid"
    ),
    Case(
        "Content-Length +5", post(b"ASK{}", SPARQL, length="+5"), 400, "Content-Length is invalid"
    ),
    Case(
        "Content-Length 0x5", post(b"ASK{}", SPARQL, length="0x5"), 400, "Content-Length is invalid"
    ),
    Case(
        "Content-Length 1e3", post(b"ASK{}", SPARQL, length="1e3"), 400, "Content-Length is invalid"
    ),
    Case(
        "Content-Length empty", post(b"ASK{}", SPARQL, length=""), 400, "Content-Length is invalid"
    ),
    Case("two Content-Lengths", post(b"ASK{}", SPARQL, "Content-Length: 7"), 400, "Content-Length"),
    Case(
        "Content-Length 2**64", post(b"ASK{}", SPARQL, length=str(2**64)), 413, "larger than 4 MB"
    ),
    Case(
        "Content-Length 10 MB",
        post(b"ASK{}", SPARQL, length=str(10 << 20)),
        413,
        "larger than 4 MB",
    ),
    Case("short body", post(b"ASK{}", SPARQL, length="50"), 408, "not received within"),
    Case("headers never end", b"GET /sparql HTTP/1.1\r\nHost: x\r\n", 408, "not received within"),
    Case(
        "chunked",
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nASK\r\n2\r\n{}\r\n0\r\n\r\n",
        200,
        "boolean",
    ),
    Case(
        "chunked bad size",
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nASK\r\n0\r\n\r\n",
        400,
        "malformed",
    ),
    Case(
        "chunked negative size",
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\n\r\n-3\r\nASK\r\n0\r\n\r\n",
        400,
        "malformed",
    ),
    Case(
        "chunked huge size",
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFF\r\nASK\r\n",
        408,
        "not received within",
    ),
    Case(
        "chunked without end",
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nASK\r\n",
        408,
        "not received within",
    ),
    Case(
        "chunked and Content-Length",
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n3\r\nASK\r\n2\r\n{}\r\n0\r\n\r\n",
        200,
        "boolean",
    ),
    Case(
        "unknown transfer encoding",
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nTransfer-Encoding: gzip\r\n\r\nASK{}",
        501,
        "Transfer-Encoding",
    ),
    Case("POST without Content-Type", post(b"query=" + ASK.encode(), None), 415, "Content-Type"),
    Case("POST with empty Content-Type", post(b"query=" + ASK.encode(), ""), 415, "Content-Type"),
    Case("POST JSON", post(b'{"query": "ASK{}"}', "application/json"), 415, "cannot read"),
    Case(
        "POST multipart",
        post(b"--x\r\n\r\nASK{}\r\n--x--", "multipart/form-data; boundary=x"),
        415,
        "cannot read",
    ),
    Case("POST form without query", post(b"nothing=here", FORM), 400, "no `query` field"),
    Case("POST empty form", post(b"", FORM), 400, "no `query` field"),
    Case("POST empty query body", post(b"", SPARQL), 400, "the query is empty"),
    Case("POST body not UTF-8", post(b"ASK {\xff\xfe}", SPARQL), 400, "not UTF-8"),
    Case("POST form not UTF-8", post(b"query=%FF%FE", FORM), 400, "not UTF-8"),
    Case(
        "POST update",
        post(b"INSERT DATA { <a:b> <a:b> <a:b> }", "application/sparql-update"),
        403,
        "read-only",
    ),
    Case("POST form update", post(b"update=DROP%20ALL", FORM), 403, "read-only"),
    Case(
        "POST two queries", post(b"query=ASK%7B%7D&query=ASK%7B%7D", FORM), 400, "exactly one query"
    ),
    Case(
        "POST 5,000 form fields",
        post(("&".join(f"f{i}=1" for i in range(5000))).encode(), FORM),
        400,
        "cannot be read",
    ),
    # -- parameters --------------------------------------------------------------------------
    Case("GET update", get("/sparql?update=DROP%20ALL"), 403, "read-only"),
    Case(
        "GET query is an update",
        get("/sparql?query=" + Q("DELETE WHERE { ?s ?p ?o }")),
        403,
        "read-only",
    ),
    Case("GET empty query", get("/sparql?query="), 400, "the query is empty"),
    Case("GET query not UTF-8", get("/sparql?query=%FF"), 400, "not UTF-8"),
    Case("GET unknown format", get("/sparql?format=pdf&query=" + ASK), 400, "unknown format"),
    Case(
        "GET format too long",
        get("/sparql?format=" + "x" * 5000 + "&query=" + ASK),
        400,
        "unknown format",
    ),
    Case(
        "GET unknown default graph",
        get("/sparql?default-graph-uri=http%3A%2F%2Fg&query=" + ASK),
        400,
        "no such graph",
    ),
    Case(
        "GET default graph not an IRI",
        get("/sparql?default-graph-uri=%20&query=" + ASK),
        400,
        "not an IRI",
    ),
    Case(
        "GET syntax error",
        get("/sparql?query=" + Q("SELECT * WHERE { ?s ?p }")),
        400,
        "SPARQL syntax error",
    ),
    Case(
        "GET nested 3,000",
        get("/sparql?query=" + Q("ASK " + "{" * 3000 + "}" * 3000)),
        400,
        "the limit is 128",
    ),
    Case(
        "GET SERVICE",
        get("/sparql?query=" + Q("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")),
        403,
        "federation is off",
    ),
    Case(
        "GET unknown function",
        get("/sparql?query=" + Q("SELECT (<http://x/f>(1) AS ?x) {}")),
        400,
        "cannot be evaluated",
    ),
    Case("GET LOAD", get("/sparql?query=" + Q("LOAD <http://127.0.0.1:9/x>")), 403, "read-only"),
    Case(
        "GET not acceptable",
        get("/sparql?query=" + ASK, "Accept: image/png"),
        406,
        "none of the requested types",
    ),
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "relaxgraph",
                "serve",
                "--port",
                "0",
                "--timeout",
                "10",
                "--request-timeout",
                "2",
            ],
            stderr=out,
        )
    try:
        deadline = time.monotonic() + 60
        port = None
        while port is None and time.monotonic() < deadline:
            m = re.search(r"http://127\.0\.0\.1:(\d+)/sparql", log.read_text())
            port = int(m.group(1)) if m else None
            time.sleep(0.05)
        assert port, log.read_text()
        yield port, log
        assert proc.poll() is None, "the server died"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def exchange(port: int, raw: bytes, wait: float = 15) -> bytes:
    """Send ``raw`` on a new connection; everything the server answers until it closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as conn:
        # the server may refuse before reading it all; its answer still counts
        with contextlib.suppress(OSError):
            conn.sendall(raw)
        chunks = []
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                chunk = conn.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 60
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_http_request(served: tuple[int, Path], case: Case) -> None:
    port, _log = served
    started = time.monotonic()
    answer = exchange(port, case.raw)
    took = time.monotonic() - started
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
    assert status_line.startswith("HTTP/1."), (case.name, answer[:300])
    status = int(status_line.split()[1])
    text = body.decode("utf-8", "replace")
    assert (status, case.needle in text) == (case.status, True), (case.name, status, text[:300])
    if status >= 400 and not text.startswith("SPARQL syntax error"):
        assert text.count("\n") == 1 and len(text) < 600, text[:300]
    assert b"Traceback" not in answer and b"python" not in head.lower()
    print(f"{case.name}: {status} in {took * 1000:.0f} ms")


def test_no_traceback_in_the_log_and_still_alive(served: tuple[int, Path]) -> None:
    port, log = served
    answer = exchange(port, get("/sparql?query=" + ASK))
    assert answer.startswith(b"HTTP/1.1 200")
    text = log.read_text()
    assert "Traceback" not in text and 'File "' not in text
