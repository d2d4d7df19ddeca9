"""The served endpoint under many and slow clients: connection limits, request deadlines, a load test.

Loopback only, bounded in count and time. The load test prints its latency percentiles.
"""

from __future__ import annotations

import http.client
import json
import random
import socket
import statistics
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from relaxgraph.server.endpoint import SparqlServer
from relaxgraph.storage.store import bundled_store

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
LABELS = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?c ?label WHERE { ?c rdfs:label ?label } ORDER BY ?c LIMIT 20"
)
DRUGS = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX rgo: <https://w3id.org/relaxgraph/ontology#>\n"
    "SELECT ?d ?l WHERE { ?d a rgo:Drug ; rdfs:label ?l } ORDER BY ?l"
)
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 50"


@pytest.fixture(scope="module")
def server() -> Iterator[SparqlServer]:
    with SparqlServer(
        bundled_store(),
        port=0,
        timeout=20,
        workers=2,
        connections=120,
        request_timeout=2,
        examples=[],
    ) as s:
        yield s


def address(server: SparqlServer) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(server.url)
    return parts.hostname or "", parts.port or 0


def query(server: SparqlServer, text: str, accept: str = "") -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(*address(server), timeout=60)
    try:
        conn.request(
            "GET",
            "/sparql?" + urllib.parse.urlencode({"query": text}),
            headers={"Accept": accept} if accept else {},
        )
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def slow_client(server: SparqlServer, request: bytes, pause: float) -> bytes:
    """Send ``request`` one byte at a time, ``pause`` seconds apart; return the answer."""
    with socket.create_connection(address(server), timeout=30) as s:
        try:
            for i in range(len(request)):
                s.sendall(request[i : i + 1])
                time.sleep(pause)
        except OSError:
            pass  # cut off by the server: its answer is below
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def request_bytes(text: str) -> bytes:
    target = "/sparql?" + urllib.parse.urlencode({"query": text})
    return f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()


def test_slow_clients_are_cut_off_and_do_not_block_others(server: SparqlServer) -> None:
    threads_before = threading.active_count()
    answers: list[bytes] = []
    slow = [
        threading.Thread(
            target=lambda: answers.append(slow_client(server, request_bytes(COUNT), 0.05))
        )
        for _ in range(150)  # more than the connection limit (120)
    ]
    started = time.monotonic()
    for t in slow:
        t.start()
    time.sleep(0.5)
    waits = []
    for _ in range(10):  # meanwhile, plain clients are served (once a slot frees up)
        asked = time.monotonic()
        status, _ = query(server, COUNT)
        waits.append(time.monotonic() - asked)
        assert status == 200
    print(f"\nplain client during 150 slow ones: longest wait {max(waits):.2f} s")
    for t in slow:
        t.join(60)
    took = time.monotonic() - started
    assert len(answers) == 150
    # those accepted at once were cut off at the deadline; those that waited in the listen
    # queue had sent their whole request by then, and were answered
    cut = [a for a in answers if a.split(b" ", 2)[1] == b"408"]
    assert all(b"not received within 2 s" in a for a in cut)
    assert len(cut) >= 100
    assert all(a.split(b" ", 2)[1] in (b"408", b"200") for a in answers)
    assert took < 20
    assert threading.active_count() - threads_before <= 2  # no thread per client
    assert query(server, COUNT)[0] == 200


def test_a_slow_client_within_the_deadline_is_answered(server: SparqlServer) -> None:
    answer = slow_client(server, request_bytes("ASK {}"), 0.005)  # about 0.4 s
    assert answer.startswith(b"HTTP/1.1 200 ") and answer.endswith(b'"boolean":true}')


def test_chunked_body_then_a_second_request_on_the_same_connection(server: SparqlServer) -> None:
    raw = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n3\r\nASK\r\n2\r\n{}\r\n0\r\n\r\n"
        b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection(address(server), timeout=30) as s:
        s.sendall(raw)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    assert data.count(b"HTTP/1.1 200 OK") == 2
    assert data.count(b'{"head":{},"boolean":true}') == 2


def test_fifty_concurrent_clients_no_reset(server: SparqlServer) -> None:
    def one(i: int) -> int:
        return query(server, LABELS if i % 2 else COUNT)[0]

    with ThreadPoolExecutor(50) as pool:
        statuses = list(pool.map(one, range(500)))
    assert statuses == [200] * 500


# --- the load test ------------------------------------------------------------------------------


def _valid(server: SparqlServer, rng: random.Random) -> tuple[str, int]:
    text, accept = rng.choice(
        [
            (COUNT, ""),
            (LABELS, "text/csv"),
            (DRUGS, "application/sparql-results+xml"),
            (CONSTRUCT, "text/turtle"),
            (CONSTRUCT, "application/ld+json"),
            ("ASK { ?s ?p ?o }", "text/tab-separated-values"),
        ]
    )
    if rng.random() < 0.5:
        return "valid", query(server, text, accept)[0]
    conn = http.client.HTTPConnection(*address(server), timeout=60)
    try:
        body = urllib.parse.urlencode({"query": text})
        conn.request(
            "POST",
            "/sparql",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        r = conn.getresponse()
        r.read()
        return "valid", r.status
    finally:
        conn.close()


def _bad_query(server: SparqlServer, rng: random.Random) -> tuple[str, int]:
    text = rng.choice(
        [
            "SELECT * WHERE { ?s ?p }",
            "ASK " + "{" * 500 + "}" * 500,
            "DROP ALL",
            "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        ]
    )
    return "bad query", query(server, text)[0]


def _malformed(server: SparqlServer, rng: random.Random) -> tuple[str, int]:
    raw = rng.choice(
        [
            b"GARBAGE\r\n\r\n",
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
            b"GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        ]
    )
    with socket.create_connection(address(server), timeout=30) as s:
        s.sendall(raw)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return "malformed", int(data.split()[1])


def _slow(server: SparqlServer, rng: random.Random) -> tuple[str, int]:
    answer = slow_client(server, request_bytes("ASK {}"), 0.002)
    return "slow", int(answer.split()[1])


def test_load_mixed_requests(server: SparqlServer) -> None:
    """50 concurrent clients, 2,000 requests: valid, bad SPARQL, malformed HTTP and slow."""
    kinds: list[tuple[Callable[[SparqlServer, random.Random], tuple[str, int]], int]] = [
        (_valid, 70),
        (_bad_query, 12),
        (_malformed, 12),
        (_slow, 6),
    ]
    rng = random.Random(7)
    plan = rng.choices([k for k, _ in kinds], weights=[w for _, w in kinds], k=2000)
    latencies: list[float] = []
    results: list[tuple[str, int]] = []
    errors: list[str] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        started = time.monotonic()
        try:
            kind, status = plan[i](server, random.Random(i))
        except OSError as exc:  # a reset or a refused connection
            with lock:
                errors.append(f"{plan[i].__name__}: {exc!r}")
            return
        with lock:
            results.append((kind, status))
            if kind == "valid":
                latencies.append(time.monotonic() - started)

    started = time.monotonic()
    with ThreadPoolExecutor(50) as pool:
        list(pool.map(one, range(len(plan))))
    wall = time.monotonic() - started
    assert errors == []
    assert len(results) == 2000
    assert [s for k, s in results if k == "valid" and s != 200] == []
    assert {s for k, s in results if k == "bad query"} <= {400, 403}
    assert {s for k, s in results if k == "malformed"} <= {400, 404}
    assert {s for k, s in results if k == "slow"} == {200}
    assert query(server, COUNT)[0] == 200  # alive afterwards
    q = statistics.quantiles(latencies, n=100)
    print(
        f"\nload: 2000 requests, 50 clients, {wall:.1f} s ({2000 / wall:.0f} req/s); "
        f"valid queries ({len(latencies)}): p50 {q[49] * 1000:.0f} ms, "
        f"p95 {q[94] * 1000:.0f} ms, p99 {q[98] * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
    )
    assert wall < 240
    json.dumps({"p99_ms": q[98] * 1000})  # the figure the report quotes
