"""Hostile query text on the embedded path (CLI and library): no crash, no outside request,
bounded time and memory, nothing left running (issue 10, items 1, 2, 4, 5, 9, 13, 14)."""

from __future__ import annotations

import http.server
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import relaxgraph
from relaxgraph import errors
from relaxgraph.querying.sparql import RawResult, _in_child, check_syntax, run
from relaxgraph.storage.engines import connect

DEEP = "SELECT * WHERE " + "{" * 3000 + "}" * 3000
DEEP_FILTER = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
FLAT_UNIONS = "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 10_000) + " }"
NESTED_TRIPLES = "SELECT * { " + "<< " * 20_000 + "?s ?p ?o" + " >> ?p ?o" * 20_000 + " }"
LONG_CHAIN = "SELECT * { FILTER(" + "+".join(["1"] * 20_000) + " = 1) }"
HOSTILE = [DEEP, DEEP_FILTER, FLAT_UNIONS, NESTED_TRIPLES, LONG_CHAIN]
MEMORY_HOG = "SELECT * { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"
# Counts 5,573^3 solutions: runs for hours in constant memory.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def cli(
    *args: str, ceiling: int = 2 * 2**30, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``relaxgraph ARGS`` with an address-space ceiling, so that no test can take the
    machine's memory even if a limit inside relaxgraph failed."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))

    return subprocess.run(
        [sys.executable, "-m", "relaxgraph", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=cap,
    )


def one_line_error(proc: subprocess.CompletedProcess[str], code: int) -> str:
    assert proc.returncode == code, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), proc.stderr[-2000:]
    return lines[0]


# --- item 1: nested and oversized queries ----------------------------------------------


@pytest.mark.parametrize("text", HOSTILE, ids=["braces", "parens", "unions", "<<", "chain"])
def test_cli_refuses_absurd_queries_before_parsing(text: str, tmp_path: Path) -> None:
    if len(text) < 100_000:  # longer arguments exceed the system's limit (MAX_ARG_STRLEN)
        assert "limit" in one_line_error(cli("query", "-e", text), 2)
    query_file = tmp_path / "deep.rq"
    query_file.write_text(text)
    assert "limit" in one_line_error(cli("query", "--file", str(query_file)), 2)
    one_line_error(cli("viz", "--file", str(query_file), "-o", str(tmp_path / "v.html")), 2)
    assert not (tmp_path / "v.html").exists()


def test_library_refuses_absurd_queries_and_the_interpreter_lives() -> None:
    for text in HOSTILE:
        with pytest.raises(errors.QueryTooComplexError):
            relaxgraph.query(text)
    assert relaxgraph.query("SELECT (1 AS ?x) {}").rows()[0].x == 1


def test_a_crash_in_the_child_costs_only_the_child() -> None:
    import ctypes

    def crash() -> RawResult:
        ctypes.string_at(0)  # a segmentation fault, as a parser stack overflow gives
        return RawResult("ask", b"")

    with pytest.raises(errors.QueryError, match="SIGSEGV"):
        _in_child(crash, 30)
    assert relaxgraph.query("ASK {}").boolean is True


def test_syntax_is_checked_in_a_child_for_library_text() -> None:
    before = time.perf_counter()
    with pytest.raises(errors.QuerySyntaxError) as caught:
        relaxgraph.query("SELECT * WHERE { ?s ?p }")
    assert caught.value.line == 1 and caught.value.column is not None
    assert time.perf_counter() - before < 10


# --- item 2: SERVICE, and parse-only syntax checks ---------------------------------------


class Canary:
    """A loopback HTTP server that counts the requests it gets (there must be none)."""

    def __init__(self) -> None:
        hits: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                self.send_response(500)
                self.end_headers()

            do_POST = do_GET

            def log_message(self, *args: object) -> None:
                pass

        self.hits = hits
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def canary() -> Iterator[Canary]:
    server = Canary()
    yield server
    server.close()


def service_queries(url: str) -> list[str]:
    return [
        f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"ASK {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    ]


def test_check_syntax_only_parses(canary: Canary) -> None:
    forms = [check_syntax(q, allow_service=True) for q in service_queries(canary.url)]
    assert forms == ["select", "ask", "graph", "select"]
    # Evaluating an ASK over a huge cross product would take minutes: parsing takes no time.
    values = " ".join(str(i) for i in range(1000))
    slow = f"ASK {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} VALUES ?c {{ {values} }} }}"
    before = time.perf_counter()
    assert check_syntax(slow) == "ask"
    assert time.perf_counter() - before < 1
    assert canary.hits == []


def test_federation_is_off_unless_allowed(canary: Canary) -> None:
    for text in service_queries(canary.url):
        one_line_error(cli("query", "-e", text), 2)
        with pytest.raises(errors.FederationRefusedError):
            relaxgraph.query(text)
        with pytest.raises(errors.FederationRefusedError):
            check_syntax(text)
    # Allowing another endpoint does not allow this one.
    proc = cli("query", "-e", service_queries(canary.url)[0], "--allow-service", "http://a/")
    assert "federation is off" in one_line_error(proc, 2)
    assert canary.hits == []


def test_an_allowed_service_is_called_once_and_bounded_by_the_time_limit() -> None:
    black_hole = socket.socket()
    black_hole.bind(("127.0.0.1", 0))
    black_hole.listen(16)  # accepts connections and never answers
    url = f"http://127.0.0.1:{black_hole.getsockname()[1]}/sparql"
    try:
        before = time.monotonic()
        proc = cli("query", "-e", service_queries(url)[0], "--allow-service", url, "--timeout", "2")
        assert "time limit" in one_line_error(proc, 3)
        assert time.monotonic() - before < 30
    finally:
        black_hole.close()


def test_an_allowed_service_is_called(canary: Canary) -> None:
    proc = cli("query", "-e", service_queries(canary.url)[0], "--allow-service", canary.url)
    one_line_error(proc, 2)  # the canary answers 500
    assert len(canary.hits) == 1  # called by the query, not by the syntax check


# --- item 4: memory and rows -----------------------------------------------------------


def test_memory_limit_stops_a_query_cleanly_and_fast() -> None:
    before = time.monotonic()
    proc = cli("query", "-e", MEMORY_HOG, "--memory-limit", "256M", "--timeout", "60")
    line = one_line_error(proc, 3)
    assert "memory limit" in line and "256 MiB" in line
    assert time.monotonic() - before < 30


def test_library_memory_limit() -> None:
    with pytest.raises(errors.QueryMemoryError):
        relaxgraph.query(MEMORY_HOG, memory_limit="256M", timeout=60)
    with pytest.raises(errors.InvalidArgumentError):
        relaxgraph.query("ASK {}", memory_limit="lots")


def test_row_cap_is_checked_as_rows_come_and_matches_the_full_answer() -> None:
    engine = connect()
    everything = "SELECT * { ?s ?p ?o }"
    with pytest.raises(errors.ResultTooLargeError, match="more than 100 rows"):
        run(engine, everything, max_rows=100, timeout=30)
    with pytest.raises(errors.ResultTooLargeError, match="triples"):
        run(engine, "CONSTRUCT WHERE { ?s ?p ?o }", max_rows=100)
    capped = run(engine, everything, max_rows=100_000, timeout=30)
    whole = run(engine, everything)
    assert capped.variables == whole.variables
    assert sorted(map(str, capped.terms)) == sorted(map(str, whole.terms))
    assert len(capped) == len(whole) > 5_000


# --- item 5: nothing outlives the command ------------------------------------------------


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_runaway() -> tuple[subprocess.Popen[bytes], int]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "relaxgraph", "query", "-e", RUNAWAY, "--timeout", "600"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        kids = [k for k in _children(proc.pid) if _alive(k)]
        if kids:  # the parse child ends in milliseconds; the query's child runs on
            time.sleep(0.3)
            running = [k for k in _children(proc.pid) if k in kids and _alive(k)]
            if running:
                return proc, running[0]
        time.sleep(0.05)
    proc.kill()
    raise AssertionError("the query never started a child process")


def _gone(pid: int, within: float = 10) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_signals_leave_no_process_behind(sig: signal.Signals) -> None:
    proc, child = _start_runaway()
    try:
        time.sleep(0.5)  # let the query get going
        assert _alive(child)
        proc.send_signal(sig)
        code = proc.wait(timeout=10)
        assert _gone(child), f"the query process {child} outlived its command"
        if sig == signal.SIGINT:
            assert code == 130
            assert b"Traceback" not in (proc.stderr.read() if proc.stderr else b"")
    finally:
        if _alive(child):
            os.kill(child, signal.SIGKILL)
        proc.kill()
        proc.wait()
        if proc.stderr:
            proc.stderr.close()


def test_time_limit_stops_the_child() -> None:
    # Only children this call starts count: other tests' fixtures (a server, Virtuoso) may
    # still be children of this process.
    already = set(_children(os.getpid()))
    before = time.monotonic()
    with pytest.raises(errors.QueryTimeoutError):
        run(connect(), RUNAWAY, timeout=1)
    assert time.monotonic() - before < 10
    assert not [p for p in _children(os.getpid()) if p not in already and _alive(p)]


# --- item 9: time limits ------------------------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e300", "-1", "0"])
def test_bad_timeouts_are_one_line_errors(value: str) -> None:
    line = one_line_error(cli("query", "-e", "ASK {}", "--timeout", value), 2)
    assert "--timeout" in line


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 1e300, -1.0, 0.0])
def test_bad_timeouts_in_the_library_are_value_errors(value: float) -> None:
    with pytest.raises(errors.InvalidArgumentError) as caught:
        relaxgraph.query("ASK {}", timeout=value)
    assert isinstance(caught.value, ValueError)
    with pytest.raises(ValueError):
        run(connect(), "ASK {}", timeout=value)


def test_inference_on_a_store_respects_the_time_limit(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from synth import write_ntriples

    data = tmp_path / "synth.nt"
    write_ntriples(data, 60_000)
    store = tmp_path / "store"
    load = cli("load", str(data), "--store", str(store))
    assert load.returncode == 0, load.stderr
    before = time.monotonic()
    proc = cli("query", "--store", str(store), "--infer", "-e", "ASK {}", "--timeout", "1")
    one_line_error(proc, 3)
    assert time.monotonic() - before < 15


# --- item 13: huge inputs are quoted, not echoed -----------------------------------------


def test_a_syntax_error_in_a_huge_line_quotes_a_window(tmp_path: Path) -> None:
    query_file = tmp_path / "huge.rq"
    query_file.write_text("SELECT * { ?s ?p ?o . " + "?s ?p ?o . " * 10 + "!" + "x" * 900_000 + "}")
    proc = cli("query", "--file", str(query_file))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr) < 1_000
    assert "^" in proc.stderr
    error = errors.QuerySyntaxError("boom", "y" * 10_000_000, 1, 5_000_000)
    assert len(str(error)) < 500


def test_unknown_query_names_are_shortened() -> None:
    proc = cli("query", "x" * 100_000)
    assert len(one_line_error(proc, 2)) < 300


# --- item 14 / issue 9 item 20: one error hierarchy, documented exit codes ---------------


def test_exit_codes_of_the_hierarchy() -> None:
    assert errors.RelaxgraphError.exit_code == 2
    assert errors.ValidationFailed.exit_code == 1
    everything = [getattr(errors, name) for name in errors.__all__]
    assert [e for e in everything if e.exit_code == 1] == [errors.ValidationFailed]


def test_library_errors_are_relaxgraph_errors() -> None:
    cases = [
        (lambda: relaxgraph.lookup(None), ValueError),  # type: ignore[arg-type]
        (lambda: relaxgraph.query("SELECT * {}", **{"bad name": 1}), ValueError),
        (lambda: run(connect(), "SELECT * {}", {"?x": relaxgraph.lookup("baclofen")}), ValueError),  # type: ignore[dict-item]
        (lambda: relaxgraph.query("SELECT ?x {}", x=10**5000), ValueError),
        (lambda: relaxgraph.query("ASK {}", timeout=float("nan")), ValueError),
        (lambda: connect(store="s", endpoint="http://127.0.0.1:1/sparql"), ValueError),
        (lambda: connect(backend="nope"), ValueError),  # type: ignore[arg-type]
        (lambda: relaxgraph.query("PREFIX f: <http://f/> SELECT (f:g(1) AS ?x) {}"), None),
    ]
    for call, also in cases:
        with pytest.raises(errors.RelaxgraphError) as caught:
            call()
        if also is not None:
            assert isinstance(caught.value, also), caught.value


def test_non_finite_floats_bind_as_doubles() -> None:
    rows = relaxgraph.query("SELECT ?x {}", x=float("inf")).rows()
    assert rows[0].x == float("inf")


def test_unknown_function_is_a_one_line_error() -> None:
    line = one_line_error(cli("query", "-e", "PREFIX f: <http://f/> SELECT (f:g(1) AS ?x) {}"), 2)
    assert "http://f/g" in line


def test_export_to_a_missing_folder_does_not_exit_1() -> None:
    proc = cli("export", "-o", "/nonexistent-relaxgraph-folder/x.ttl")
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr


def test_help_documents_the_exit_codes() -> None:
    proc = cli("--help")
    for text in ("1    validation found violations", "3    a query hit its time, memory"):
        assert text in proc.stdout


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    query_file = tmp_path / "bom.rq"
    query_file.write_bytes(b"\xef\xbb\xbfSELECT (1 AS ?x) {}")
    proc = cli("query", "--file", str(query_file), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["x", "1"]
    assert relaxgraph.query("\ufeffSELECT (1 AS ?x) {}").rows()[0].x == 1


def test_a_query_file_that_is_not_utf8_is_a_one_line_error(tmp_path: Path) -> None:
    query_file = tmp_path / "latin1.rq"
    query_file.write_bytes('SELECT ("caf\xe9" AS ?x) {}'.encode("latin-1"))
    assert "UTF-8" in one_line_error(cli("query", "--file", str(query_file)), 2)


def test_run_and_catalogue_files_are_guarded_too(canary: Canary) -> None:
    from relaxgraph.querying.catalogue import parse_query_file

    with pytest.raises(errors.QueryTooComplexError):
        run(connect(), DEEP)
    with pytest.raises(errors.FederationRefusedError):
        run(connect(), service_queries(canary.url)[0])
    header = "#+ summary: s\n#+ description: d\n#+ tags: t\n"
    with pytest.raises(errors.QueryTooComplexError):
        parse_query_file("deep", header + DEEP, "deep.rq")
    assert canary.hits == []
