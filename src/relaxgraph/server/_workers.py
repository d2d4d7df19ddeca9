"""Untrusted SPARQL runs in disposable processes: the query workers of ``relaxgraph serve``.

When the endpoint starts, it forks one *fork server*: a single-threaded process that
holds the graph (an in-memory store, inherited copy-on-write) or only the path of an
on-disk store. The fork server never reads query text. For each query it forks one
short-lived child, and only that child parses and evaluates the text, under

- a wall-clock alarm (``SIGALRM``, default action: the kernel ends the process even inside
  a native call) and a CPU-time limit, both from the query's time limit;
- an address-space limit (``RLIMIT_AS``): what it may allocate beyond the graph;
- the row cap and a byte cap, checked while solutions are read, so a huge result is never
  built.

A child that crashes (a parser stack overflow, an allocation failure) costs its own
request only: the fork server reports how it ended (its wait status and last words on
stderr) and the next query gets a fresh child. The HTTP server's threads never fork and
never parse; ``SIGKILL`` on parent death (``PR_SET_PDEATHSIG``) means no child outlives
the endpoint, even if the endpoint itself is killed.

>>> import pyoxigraph as ox
>>> with QueryPool(ox.Store(), workers=1, timeout=10) as pool:
...     reply = pool.run({"op": "query", "text": "ASK {}", "formats": ["json", None]})
>>> reply.status, reply.body
(200, b'{"head":{},"boolean":true}')
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import json
import math
import os
import resource
import select
import signal
import socket
import struct
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import pyoxigraph as ox

from .._iris import PREFIXES
from ..errors import QueryTimeoutError, RelaxgraphError, RequestRefusedError, StoreError
from ..querying.sparql import term_json

__all__ = ["DEFAULT_GRAPH_IRI", "QueryPool", "Reply", "quote_window"]

#: The name ``default-graph-uri`` may use for the store's default graph (where the bundled data
#: lives); the same IRI that ``relaxgraph push`` fills on other servers, so a client configured
#: with ``RELAXGRAPH_ENDPOINT_GRAPH`` for a pushed copy also works against ``serve``.
DEFAULT_GRAPH_IRI = "https://w3id.org/relaxgraph/graph"

_RESULT_WRITERS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}
_GRAPH_WRITERS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}
#: The Content-Type of each result format.
CONTENT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
_GRACE = 5.0  # seconds the parent waits beyond a child's own alarm before giving up on it
_STATUS = struct.Struct("!i")
_MAX_MESSAGE = 300  # characters of a parser or engine message quoted back
_MAX_BYTES = 64 << 20  # default size of the largest result served (the body stops at a row)


@dataclass
class Reply:
    """A query child's answer: an HTTP status, a body, its type and extra headers."""

    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def error(cls, status: int, message: str) -> Reply:
        return cls(status, (message + "\n").encode())


# --- the parent's side ----------------------------------------------------------------------


class QueryPool:
    """A bounded pool of query processes behind a single-threaded fork server.

    ``source`` is an in-memory :class:`pyoxigraph.Store` (shared copy-on-write) or the path of
    an on-disk store (each child opens it read-only, so no RocksDB thread ever crosses a fork).
    At most ``workers`` queries run at once; a request that cannot get a worker within
    ``queue_wait`` seconds is answered 503. ``memory_mb`` bounds what one query may allocate.
    """

    def __init__(
        self,
        source: ox.Store | str | os.PathLike[str],
        *,
        workers: int = 2,
        timeout: float = 30.0,
        memory_mb: int = 1024,
        queue_wait: float | None = None,
        allow_service: tuple[str, ...] = (),
    ):
        self.workers = workers
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.queue_wait = timeout if queue_wait is None else queue_wait
        self.allow_service = allow_service
        self._slots = threading.BoundedSemaphore(workers)
        self._lock = threading.Lock()
        self._closed = False
        store = source if isinstance(source, ox.Store) else None
        path = None if isinstance(source, ox.Store) else str(Path(source))
        parent_end, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the fork server
            code = 0
            try:
                parent_end.close()
                _ForkServer(child_end, parent, store, path, self._limits()).serve()
            except BaseException:  # pragma: no cover - nothing to report to
                code = 1
            finally:
                os._exit(code)
        child_end.close()
        self._ctrl = parent_end
        self._pid = pid

    def _limits(self) -> dict[str, Any]:
        return {
            "timeout": self.timeout,
            "memory_mb": self.memory_mb,
            "allow_service": list(self.allow_service),
        }

    @property
    def pid(self) -> int:
        """The fork server's process id."""
        return self._pid

    def run(self, request: dict[str, Any]) -> Reply:
        """Send ``request`` to a fresh query child and return its :class:`Reply`."""
        if self._closed:
            return Reply.error(503, "the endpoint is shutting down")
        if not self._slots.acquire(timeout=self.queue_wait):
            reply = Reply.error(
                503,
                f"the endpoint is busy: {self.workers} queries are running and none finished "
                f"within {self.queue_wait:g} s; try again shortly",
            )
            reply.headers.append(("Retry-After", "5"))
            return reply
        try:
            return self._run(request)
        finally:
            self._slots.release()

    def _run(self, request: dict[str, Any]) -> Reply:
        data_parent, data_child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        status_parent, status_child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        with data_parent, status_parent:
            try:
                with self._lock:
                    socket.send_fds(
                        self._ctrl, [b"q"], [data_child.fileno(), status_child.fileno()]
                    )
            except OSError:
                return Reply.error(503, "the query service has stopped; restart `relaxgraph serve`")
            finally:
                data_child.close()
                status_child.close()
            payload = json.dumps(request).encode()
            deadline = time.monotonic() + self.timeout + _GRACE
            try:
                data_parent.settimeout(self.timeout + _GRACE)
                data_parent.sendall(struct.pack("!Q", len(payload)) + payload)
                data_parent.shutdown(socket.SHUT_WR)
            except OSError:
                pass  # the child is gone: its status says why
            answer = _read_all(data_parent, deadline, limit=None)
            reply = _parse_answer(answer)
            if reply is not None:
                return reply
            last_words = _read_all(status_parent, time.monotonic() + _GRACE, limit=1 << 16)
            return self._explain_death(last_words, timed_out=time.monotonic() >= deadline)

    def _explain_death(self, last_words: bytes | None, timed_out: bool) -> Reply:
        if self._closed:
            return Reply.error(503, "the endpoint is shutting down; the query was stopped")
        if timed_out or last_words is None or len(last_words) < _STATUS.size:
            return _timeout_reply(self.timeout)
        (status,) = _STATUS.unpack(last_words[-_STATUS.size :])
        stderr = last_words[: -_STATUS.size].decode("utf-8", "replace")
        code = os.waitstatus_to_exitcode(status)
        sig = -code if code < 0 else 0
        if sig in (signal.SIGALRM, signal.SIGXCPU):
            return _timeout_reply(self.timeout)
        if "memory allocation" in stderr or "MemoryError" in stderr:
            return _memory_reply(self.memory_mb)
        what = f"signal {signal.Signals(sig).name}" if sig else f"exit code {code}"
        _log(f"query process ended by {what}: {_one_line(stderr) or 'no message'}")
        if sig == signal.SIGKILL:
            return Reply.error(
                503,
                f"the query process was killed ({what}), probably for lack of memory; "
                "narrow the query (LIMIT, a more specific pattern)",
            )
        return Reply.error(
            500,
            f"the query process crashed ({what}); the endpoint is still up. "
            "Simplify the query; if it is valid SPARQL, please report it",
        )

    def close(self) -> None:
        """Stop the fork server; it kills any query still running. Waits for it to exit."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(OSError):
            self._ctrl.shutdown(socket.SHUT_RDWR)
        self._ctrl.close()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            pid, _ = os.waitpid(self._pid, os.WNOHANG)
            if pid:
                return
            time.sleep(0.01)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)

    def __enter__(self) -> QueryPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _read_all(sock: socket.socket, deadline: float, limit: int | None) -> bytes | None:
    """Everything ``sock`` sends until EOF, or ``None`` if ``deadline`` passes first."""
    chunks: list[bytes] = []
    size = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(1 << 20)
        except TimeoutError:
            return None
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if limit is not None and size > limit:
            chunks = [b"".join(chunks)[-limit:]]
            size = len(chunks[0])
    return b"".join(chunks)


def _parse_answer(answer: bytes | None) -> Reply | None:
    """A complete answer from a child (header length, JSON header, body), or ``None``."""
    if answer is None or len(answer) < 8:
        return None
    (n,) = struct.unpack("!Q", answer[:8])
    if len(answer) < 8 + n:
        return None
    head = json.loads(answer[8 : 8 + n])
    body = answer[8 + n :]
    if len(body) != head["length"]:
        return None
    return Reply(head["status"], body, head["content_type"], [(k, v) for k, v in head["headers"]])


def _timeout_reply(timeout: float) -> Reply:
    message = str(QueryTimeoutError(timeout)).replace("--timeout SECONDS", "serve --timeout")
    return Reply.error(503, message)


def _memory_reply(memory_mb: int) -> Reply:
    return Reply.error(
        503,
        f"the query needed more memory than this endpoint allows one query ({memory_mb} MB) "
        "and was stopped; narrow it (LIMIT, a more specific pattern, no ORDER BY over "
        "everything) or raise the limit with serve --memory-limit MB",
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())[:_MAX_MESSAGE]


def _log(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(f"relaxgraph serve: {message}\n")
        sys.stderr.flush()


# --- the fork server --------------------------------------------------------------------------


def _die_with_parent(parent: int) -> None:
    """Ask Linux to ``SIGKILL`` this process when its parent dies (and check it has not yet)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)


class _ForkServer:
    """Forks one child per query; reports how each ended; kills them all when told to stop."""

    def __init__(
        self,
        ctrl: socket.socket,
        parent: int,
        store: ox.Store | None,
        path: str | None,
        limits: dict[str, Any],
    ):
        self.ctrl = ctrl
        self.store = store
        self.path = path
        self.limits = limits
        self.children: dict[int, int] = {}  # pid -> the fd its wait status is written to
        _die_with_parent(parent)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the endpoint handles Ctrl-C for us
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_w, False)
        signal.set_wakeup_fd(self.wake_w)
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)

    def serve(self) -> None:
        try:
            while True:
                ready, _, _ = select.select([self.ctrl.fileno(), self.wake_r], [], [])
                if self.wake_r in ready:
                    os.read(self.wake_r, 4096)
                    self._reap()
                if self.ctrl.fileno() in ready and not self._fork_one():
                    return
        finally:
            for pid in list(self.children):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            for pid in list(self.children):
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, 0)

    def _fork_one(self) -> bool:
        try:
            msg, fds, _, _ = socket.recv_fds(self.ctrl, 16, 2)
        except OSError:
            return False
        if not msg:
            return False  # the endpoint closed us: stop
        if len(fds) != 2:
            for fd in fds:
                os.close(fd)
            return True
        data_fd, status_fd = fds
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                signal.set_wakeup_fd(-1)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                os.close(self.wake_r)
                os.close(self.wake_w)
                self.ctrl.close()
                for fd in self.children.values():
                    os.close(fd)
                _Child(data_fd, status_fd, parent, self.store, self.path, self.limits).run()
            except BaseException:
                code = 70
            finally:
                os._exit(code)
        os.close(data_fd)
        os.set_blocking(status_fd, False)
        self.children[pid] = status_fd
        return True

    def _reap(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            fd = self.children.pop(pid, None)
            if fd is None:
                continue
            with contextlib.suppress(OSError):
                os.write(fd, _STATUS.pack(status))
            os.close(fd)


# --- one query child ----------------------------------------------------------------------------


class _Child:
    """Reads one request, answers it within its limits, and exits."""

    def __init__(
        self,
        data_fd: int,
        status_fd: int,
        parent: int,
        store: ox.Store | None,
        path: str | None,
        limits: dict[str, Any],
    ):
        self.sock = socket.socket(fileno=data_fd)
        self.store = store
        self.path = path
        self.limits = limits
        _die_with_parent(parent)
        faulthandler.disable()  # a crash is reported by the parent, in one line
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for sig in (signal.SIGTERM, signal.SIGALRM, signal.SIGXCPU, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        os.dup2(status_fd, 2)  # a crash's last words (Rust's abort message) reach the parent
        os.close(status_fd)
        timeout = float(limits["timeout"])
        signal.setitimer(signal.ITIMER_REAL, timeout)
        cpu = math.ceil(timeout) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        extra = int(limits["memory_mb"]) << 20
        resource.setrlimit(resource.RLIMIT_AS, (_address_space() + extra, resource.RLIM_INFINITY))

    def run(self) -> None:
        request = self._read_request()
        try:
            reply = self._answer(request)
        except RequestRefusedError as exc:
            reply = Reply.error(exc.status, exc.message)
        except MemoryError:
            reply = _memory_reply(int(self.limits["memory_mb"]))
        except RelaxgraphError as exc:
            reply = Reply.error(400, _one_line(str(exc)))
        limit = int(request.get("max_bytes") or _MAX_BYTES) * 2
        if len(reply.body) > limit:
            reply = Reply.error(
                503,
                f"the result is {len(reply.body) >> 20} MB, more than this endpoint sends "
                f"({limit >> 20} MB); narrow the query or page with LIMIT and OFFSET",
            )
        head = json.dumps(
            {
                "status": reply.status,
                "content_type": reply.content_type,
                "headers": reply.headers,
                "length": len(reply.body),
            }
        ).encode()
        self.sock.sendall(struct.pack("!Q", len(head)) + head)
        self.sock.sendall(reply.body)
        self.sock.close()

    def _read_request(self) -> dict[str, Any]:
        header = self._recv_exactly(8)
        (n,) = struct.unpack("!Q", header)
        request: dict[str, Any] = json.loads(self._recv_exactly(n))
        return request

    def _recv_exactly(self, n: int) -> bytes:
        chunks: list[bytes] = []
        while n > 0:
            chunk = self.sock.recv(min(n, 1 << 20))
            if not chunk:
                raise EOFError("the request ended early")
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def _open(self) -> ox.Store:
        if self.store is not None:
            return self.store
        from ..storage.store import open_store

        assert self.path is not None
        try:
            return open_store(self.path)
        except StoreError as exc:
            raise RequestRefusedError(503, _one_line(str(exc))) from None

    def _answer(self, request: dict[str, Any]) -> Reply:
        store = self._open()
        if request["op"] == "probe":
            graphs = [g.value for _, g in zip(range(1000), store.named_graphs(), strict=False)]
            return Reply(200, json.dumps({"named_graphs": graphs}).encode(), "application/json")
        return _evaluate(store, {**request, "allow_service": self.limits["allow_service"]})


def _address_space() -> int:
    """This process's current virtual memory size, in bytes."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * resource.getpagesize()


def quote_window(text: str, line: int | None, column: int | None, width: int = 60) -> str:
    """Where a syntax error is: up to ``width`` characters of its line around ``column``, with a caret.

    >>> print(quote_window("SELECT * WHERE { ?s ?p }", 1, 24))
      SELECT * WHERE { ?s ?p }
                             ^
    >>> quote_window("x" * 100 + " oops " + "y" * 100, 1, 102, width=20).splitlines()
    ['  ...xxxxxxxxx oops yyyyy...', '               ^']
    """
    if not line or line < 1:
        return ""
    lines = text.split("\n")
    if line > len(lines):
        return ""
    source = lines[line - 1].replace("\r", "").replace("\t", " ")
    col = max(1, column or 1) - 1
    start = max(0, col - width // 2)
    end = min(len(source), start + width)
    shown = ("..." if start else "") + source[start:end] + ("..." if end < len(source) else "")
    caret = " " * (col - start + (3 if start else 0)) + "^"
    shown = "".join(ch if ch.isprintable() else "?" for ch in shown)
    return f"  {shown}\n  {caret}"


def _syntax_reply(exc: SyntaxError, text: str) -> Reply:
    from ..querying.sparql import syntax_error

    error = syntax_error(exc, text)
    where = f", line {error.line}, column {error.column}" if error.line else ""
    message = f"SPARQL syntax error in query{where}: {_one_line(error.parser_message)}"
    window = quote_window(text, error.line, error.column)
    return Reply.error(400, message + ("\n" + window if window else ""))


def _dataset(store: ox.Store, request: dict[str, Any]) -> dict[str, Any]:
    """``default-graph-uri`` / ``named-graph-uri`` as pyoxigraph's ``default_graph`` / ``named_graphs``."""
    options: dict[str, Any] = {}
    default: list[ox.NamedNode | ox.DefaultGraph] = []
    from ..data.layer_registry import union_graphs

    union = union_graphs(store)  # the default graph and the layer graphs: what queries see
    for iri in request.get("default_graphs") or []:
        if iri == DEFAULT_GRAPH_IRI:
            default.extend(g for g in union if g not in default)
        else:
            default.append(_known_graph(store, iri))
    named = [_known_graph(store, iri) for iri in request.get("named_graphs") or []]
    if default:
        options["default_graph"] = default
    elif len(union) > 1:
        from ..data.layer_registry import union_options

        options.update(union_options(store))
    if named:
        options["named_graphs"] = named
    return options


def _known_graph(store: ox.Store, iri: str) -> ox.NamedNode:
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        raise RequestRefusedError(
            400, f"not an IRI: {iri[:200]!r} (in default-graph-uri or named-graph-uri)"
        ) from None
    if not store.contains_named_graph(node):
        raise RequestRefusedError(
            400,
            f"default-graph-uri/named-graph-uri <{iri[:200]}>: this endpoint has no such graph. The default graph (the whole bundled data) "
            f"is also named <{DEFAULT_GRAPH_IRI}>; the service description (GET without a "
            "query) lists the named graphs",
        )
    return node


def _evaluate(store: ox.Store, request: dict[str, Any]) -> Reply:
    from ..querying.guard import check_query_text

    text: str = request["text"]
    check_query_text(text, allow_service=request.get("allow_service") or False)
    options = _dataset(store, request)
    try:
        result = store.query(text, **options)
    except SyntaxError as exc:
        return _syntax_reply(exc, text)
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        return Reply.error(400, f"the query cannot be evaluated: {_one_line(str(exc))}")
    results_format, graph_format = request["formats"]
    max_rows = int(request.get("max_rows") or 10_000)
    max_bytes = int(request.get("max_bytes") or _MAX_BYTES)
    try:
        if isinstance(result, ox.QueryBoolean):
            return _ask_reply(bool(result), results_format)
        if isinstance(result, ox.QuerySolutions):
            return _select_reply(result, results_format, max_rows, max_bytes)
        return _graph_reply(result, graph_format, max_rows, max_bytes)
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        return Reply.error(400, f"the query cannot be evaluated: {_one_line(str(exc))}")


def _not_acceptable(graph: bool) -> Reply:
    from .endpoint import GRAPH_TYPES, RESULT_TYPES

    offered = ", ".join(GRAPH_TYPES if graph else RESULT_TYPES)
    kind = "a graph (CONSTRUCT or DESCRIBE)" if graph else "solutions (SELECT or ASK)"
    return Reply.error(
        406, f"this query answers with {kind}; none of the requested types is offered: {offered}"
    )


def _size(term: Any) -> int:
    return len(str(term)) + 16


def _capped_headers(capped: int | None, unit: str) -> list[tuple[str, str]]:
    if capped is None:
        return []
    return [
        ("X-SPARQL-MaxRows", str(capped)),
        (
            "X-Relaxgraph-Capped",
            f"the result was cut at {capped} {unit} (this endpoint's cap); "
            "page with LIMIT and OFFSET to see the rest",
        ),
    ]


def _select_reply(
    solutions: ox.QuerySolutions, fmt: str | None, max_rows: int, max_bytes: int
) -> Reply:
    if fmt is None:
        return _not_acceptable(graph=False)
    variables = [v.value for v in solutions.variables]
    rows: list[dict[str, Any]] = []
    size = 0
    capped: int | None = None
    for solution in solutions:
        if len(rows) >= max_rows or size > max_bytes:
            capped = len(rows)
            break
        row = {}
        for name in variables:
            value = solution[name]
            if value is not None:
                row[name] = term_json(value)
                size += _size(value)
        rows.append(row)
    doc = json.dumps(
        {"head": {"vars": variables}, "results": {"bindings": rows}},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    return Reply(200, _results_in(doc, fmt), CONTENT_TYPES[fmt], _capped_headers(capped, "rows"))


def _ask_reply(answer: bool, fmt: str | None) -> Reply:
    if fmt is None:
        return _not_acceptable(graph=False)
    doc = b'{"head":{},"boolean":' + (b"true" if answer else b"false") + b"}"
    return Reply(200, _results_in(doc, fmt), CONTENT_TYPES[fmt])


def _results_in(doc: bytes, fmt: str) -> bytes:
    """SPARQL JSON results ``doc`` in ``fmt``; XML keeps carriage returns (``&#13;``)."""
    if fmt == "json":
        return doc
    parsed = ox.parse_query_results(doc, format=ox.QueryResultsFormat.JSON)
    data = parsed.serialize(format=_RESULT_WRITERS[fmt]) or b""
    if fmt == "xml":  # the writer leaves a raw CR in text, which an XML parser turns into LF
        data = data.replace(b"\r", b"&#13;")
    return data


def _graph_reply(triples: Iterator[Any], fmt: str | None, max_rows: int, max_bytes: int) -> Reply:
    if fmt is None:
        return _not_acceptable(graph=True)
    kept: list[Any] = []
    size = 0
    capped: int | None = None
    for triple in triples:
        if len(kept) >= max_rows or size > max_bytes:
            capped = len(kept)
            break
        kept.append(triple)
        size += _size(triple)
    return Reply(
        200, serialize_graph(kept, fmt), CONTENT_TYPES[fmt], _capped_headers(capped, "triples")
    )


def serialize_graph(triples: list[Any], fmt: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Triples in one of the graph formats (ttl, nt, rdfxml, jsonld)."""
    if fmt not in ("ttl", "rdfxml"):
        prefixes = None
    elif prefixes is None:
        prefixes = dict(PREFIXES)
    data = ox.serialize(triples, format=_GRAPH_WRITERS[fmt], prefixes=prefixes) or b""
    if fmt == "rdfxml":
        data = data.replace(b"\r", b"&#13;")
    return data
