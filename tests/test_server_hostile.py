"""The served endpoint under hostile queries and signals: crashes, memory, federation, size, SIGTERM.

Every case checks the status and the one-line message, that the server answers a plain
query afterwards, and (for the refusals) how fast it refused.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from relaxgraph.server.endpoint import SparqlServer
from relaxgraph.storage.store import bundled_store

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
HUNGRY = "SELECT * { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"


@pytest.fixture(scope="module")
def server() -> Iterator[SparqlServer]:
    with SparqlServer(
        bundled_store(), port=0, timeout=8, memory_mb=400, workers=2, examples=[]
    ) as s:
        yield s


def ask(url: str, query: str, data: bytes | None = None, ctype: str = "") -> tuple[int, bytes]:
    if data is None:
        req = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}))
    else:
        req = urllib.request.Request(url, data=data, headers={"Content-Type": ctype})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def ask_quietly(url: str, query: str) -> None:
    """``ask``, for a thread whose server is about to be killed."""
    with contextlib.suppress(OSError):
        ask(url, query)


def alive(server: SparqlServer) -> bool:
    status, body = ask(server.url, COUNT)
    return status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 1000


def descendants(pid: int) -> set[int]:
    """Every living process below ``pid`` (from /proc), zombies excluded."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] == "Z":
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_crashing_worker_costs_one_request(server: SparqlServer) -> None:
    answers: list[tuple[int, bytes]] = []
    thread = threading.Thread(target=lambda: answers.append(ask(server.url, SLOW)))
    thread.start()
    deadline = time.monotonic() + 10
    while not descendants(server.pool.pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    (child,) = descendants(server.pool.pid)
    os.kill(child, signal.SIGSEGV)  # what a parser stack overflow does to the process
    thread.join(30)
    status, body = answers[0]
    assert status == 500
    assert body.decode().startswith("the query process crashed (signal SIGSEGV)")
    assert body.count(b"\n") == 1
    assert running(server.pool.pid) and alive(server)


def test_two_memory_hungry_queries_at_once(server: SparqlServer) -> None:
    answers: list[tuple[int, bytes, float]] = []

    def run() -> None:
        started = time.monotonic()
        answers.append((*ask(server.url, HUNGRY), time.monotonic() - started))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(answers) == 2
    for status, body, took in answers:
        assert status == 503, body
        assert b"more memory than this endpoint allows one query (400 MB)" in body
        assert took < 8  # the memory limit stopped it, not the time limit
    print(f"memory-hungry queries refused in {max(a[2] for a in answers):.2f} s")
    assert alive(server)


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("3,000 nested groups", "SELECT * WHERE " + "{" * 3000 + "}" * 3000),
        (
            "5,000 nested parentheses",
            "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "?o" + ")" * 5000 + ") }",
        ),
        (
            "10,000 flat UNIONs",
            "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 10_000) + " }",
        ),
    ],
)
def test_absurd_nesting_is_refused_before_parsing(
    server: SparqlServer, name: str, query: str
) -> None:
    started = time.monotonic()
    status, body = ask(server.url, "", query.encode(), "application/sparql-query")
    took = time.monotonic() - started
    assert status == 400 and b"the limit is" in body and body.count(b"\n") == 1
    print(f"{name}: refused in {took * 1000:.0f} ms")
    assert alive(server)


def test_a_huge_query_is_not_echoed_back(server: SparqlServer) -> None:
    # One long literal, not thousands of operators: the guard refuses those before parsing.
    one_line = 'SELECT * WHERE { ?s ?p ?o FILTER(?o != "' + "x" * 850_000 + '") ?oops }'
    assert len(one_line) > 800_000
    status, body = ask(server.url, "", one_line.encode(), "application/sparql-query")
    assert status == 400 and body.startswith(b"SPARQL syntax error in query, line 1, column")
    assert len(body) < 1000 and b"?oops" in body
    ten_mb = ("SELECT * WHERE { ?s ?p ?o } #" + "x" * (10 << 20)).encode()
    started = time.monotonic()
    status, body = ask(server.url, "", ten_mb, "application/sparql-query")
    print(f"10 MB query refused in {(time.monotonic() - started) * 1000:.0f} ms")
    assert status == 413 and len(body) < 300 and b"larger than 4 MB" in body
    assert alive(server)


def test_an_unknown_function_is_a_client_error(server: SparqlServer) -> None:
    status, body = ask(server.url, "SELECT (<http://example.org/nope>(1) AS ?x) {}")
    assert status == 400 and b"<http://example.org/nope>" in body


class Canary:
    """A loopback listener that records every connection and never answers (a black hole)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.1)
        self.connections: list[socket.socket] = []
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections.append(conn)

    def close(self) -> None:
        self._stop = True
        self._thread.join()
        for c in self.connections:
            c.close()
        self.sock.close()


@pytest.fixture
def canary() -> Iterator[Canary]:
    c = Canary()
    yield c
    c.close()


def test_service_is_refused_and_reaches_nothing(server: SparqlServer, canary: Canary) -> None:
    for query in (
        f"SELECT * WHERE {{ SERVICE <{canary.url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{canary.url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{canary.url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    ):
        started = time.monotonic()
        status, body = ask(server.url, query)
        assert status == 403 and b"federation is off" in body, body
        assert b"serve --allow-service URL" in body
        assert time.monotonic() - started < 2
    time.sleep(0.3)
    assert canary.connections == []


def test_allowed_service_is_bounded_by_the_time_limit(canary: Canary) -> None:
    other = Canary()
    try:
        with SparqlServer(
            ox.Store(), port=0, timeout=2, allow_service=[canary.url], examples=[]
        ) as s:
            status, body = ask(s.url, f"SELECT * WHERE {{ SERVICE <{other.url}> {{ ?s ?p ?o }} }}")
            assert status == 403 and not other.connections
            started = time.monotonic()
            status, body = ask(s.url, f"SELECT * WHERE {{ SERVICE <{canary.url}> {{ ?s ?p ?o }} }}")
            took = time.monotonic() - started
            assert status == 503 and b"stopped after 2 s" in body
            assert took < 6
            assert len(canary.connections) >= 1  # it did call the allowed endpoint
    finally:
        other.close()


def start_serve(*args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "relaxgraph", "serve", "--port", "0", *args],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()
    m = re.search(r"(http://127\.0\.0\.1:\d+/sparql)", line)
    assert m, line
    return proc, m.group(1)


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_serve_and_every_query_process(how: signal.Signals) -> None:
    proc, url = start_serve("--timeout", "60")
    try:
        answers: list[tuple[int, bytes]] = []
        thread = threading.Thread(target=lambda: answers.append(ask(url, SLOW)), daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while len(descendants(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        below = descendants(proc.pid)
        assert len(below) >= 2  # the fork server and the running query
        started = time.monotonic()
        proc.send_signal(how)
        assert proc.wait(timeout=20) == 0
        took = time.monotonic() - started
        deadline = time.monotonic() + 5
        while any(running(p) for p in below) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [p for p in below if running(p)] == []
        assert took < 10
        thread.join(10)
        if answers:  # the client was answered before the socket closed
            assert answers[0][0] == 503
        assert proc.stderr is not None
        log = proc.stderr.read()
        assert "Traceback" not in log and "Stopped." in log
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_killing_serve_leaves_no_query_process() -> None:
    proc, url = start_serve("--timeout", "60")
    try:
        threading.Thread(target=ask_quietly, args=(url, SLOW), daemon=True).start()
        deadline = time.monotonic() + 20
        while len(descendants(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        below = descendants(proc.pid)
        assert len(below) >= 2
        proc.kill()  # no chance to clean up: the kernel must take the children with it
        proc.wait(timeout=20)
        deadline = time.monotonic() + 5
        while any(running(p) for p in below) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [p for p in below if running(p)] == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--timeout", "nan"], "--timeout nan"),
        (["--timeout", "inf"], "--timeout inf"),
        (["--timeout", "1e300"], "--timeout 1e+300"),
        (["--timeout", "-1"], "--timeout -1"),
        (["--timeout", "0"], "--timeout 0"),
        (["--port", "99999"], "--port 99999"),
        (["--port", "-5"], "--port -5"),
        (["--max-rows", "0"], "--max-rows 0"),
        (["--workers", "0"], "--workers 0"),
        (["--memory-limit", "1"], "--memory-limit 1"),
    ],
)
def test_bad_serve_options_are_refused_at_start(args: list[str], needle: str) -> None:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "relaxgraph", "serve", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and needle in lines[0]
    assert time.monotonic() - started < 30


def test_serve_a_store_on_disk(tmp_path: Path) -> None:
    data = tmp_path / "x.nt"
    data.write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n")
    store = tmp_path / "db"
    subprocess.run(
        [sys.executable, "-m", "relaxgraph", "load", str(data), "--store", str(store), "-q"],
        check=True,
        timeout=120,
    )
    proc, url = start_serve("--store", str(store))
    try:
        status, body = ask(url, "ASK { <http://example.org/a> <http://example.org/p> ?o }")
        assert status == 200 and json.loads(body)["boolean"] is True
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serve_a_missing_store_fails_at_start(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "relaxgraph",
            "serve",
            "--port",
            "0",
            "--store",
            str(tmp_path / "no"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and done.stderr.startswith("Error: ")
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
