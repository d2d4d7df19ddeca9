"""A read-only SPARQL 1.1 Protocol endpoint over the graph (``relaxgraph serve``).

The HTTP side is `waitress <https://docs.pylonsproject.org/projects/waitress/>`_, a
maintained production WSGI server: a bounded number of connections, a time limit on
receiving each request (headers and body, so a client sending one byte at a time is cut
off), limits on header and body sizes, correct ``Content-Length`` and chunked bodies, and a
listen backlog sized for bursts. The query side is :mod:`relaxgraph.server._workers`: query text
is checked by :func:`relaxgraph.querying.guard.check_query_text` here, then parsed and evaluated only
in a disposable child process with a time, CPU and memory limit, so a query that crashes the
engine costs its own request and nothing else.

The endpoint answers ``GET`` and ``POST`` queries at ``/sparql`` (and ``/``), negotiates the
format (SPARQL JSON, XML, CSV, TSV; Turtle, N-Triples, RDF/XML or JSON-LD for graphs; the
customary ``format``/``output`` parameters win over ``Accept``), sends CORS headers (and
answers the ``OPTIONS`` preflight) so pages on other origins can query it, refuses updates,
caps a result at ``max_rows`` (saying so in ``X-SPARQL-MaxRows``), serves a SPARQL 1.1
Service Description at ``GET /sparql`` without a query and a query page at ``/``.

>>> import pyoxigraph as ox, urllib.request
>>> with SparqlServer(ox.Store(), port=0) as server:
...     with urllib.request.urlopen(server.url + "?query=ASK%7B%7D") as r:
...         r.read()
b'{"head":{},"boolean":true}'
"""

from __future__ import annotations

import contextlib
import html
import logging
import math
import os
import re
import socket
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from types import TracebackType
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask
from waitress.utilities import Error as WaitressError

from ..errors import FederationRefusedError, QueryTooComplexError, RequestRefusedError
from ..querying.guard import MAX_QUERY_CHARS, check_query_text
from ..querying.sparql import query_kind
from ._workers import CONTENT_TYPES, DEFAULT_GRAPH_IRI, QueryPool, serialize_graph

if TYPE_CHECKING:
    from .pages import SitePages

__all__ = ["DEFAULT_GRAPH_IRI", "Example", "SparqlServer", "negotiate"]

#: Media type -> result format, for SELECT/ASK results (first is the default).
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: Media type -> graph format, for CONSTRUCT/DESCRIBE results (first is the default).
GRAPH_TYPES = {
    "text/turtle": "ttl",
    "application/turtle": "ttl",
    "application/x-turtle": "ttl",
    "text/n3": "ttl",
    "text/rdf+n3": "ttl",
    "application/n3": "ttl",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/rdf+xml": "rdfxml",
    "application/xml": "rdfxml",
    "text/xml": "rdfxml",
    "application/ld+json": "jsonld",
    "application/x-json+ld": "jsonld",
    "application/json": "jsonld",
}
#: ``format=`` / ``output=`` / ``results=`` values (Virtuoso, Fuseki, SPARQLWrapper):
#: name -> (format for SELECT/ASK, format for graphs). Media types are accepted too.
FORMAT_NAMES: dict[str, tuple[str | None, str | None]] = {
    "json": ("json", "jsonld"),
    "srj": ("json", None),
    "xml": ("xml", "rdfxml"),
    "srx": ("xml", None),
    "csv": ("csv", None),
    "tsv": ("tsv", None),
    "turtle": (None, "ttl"),
    "ttl": (None, "ttl"),
    "n3": (None, "ttl"),
    "nt": (None, "nt"),
    "ntriples": (None, "nt"),
    "n-triples": (None, "nt"),
    "rdf": (None, "rdfxml"),
    "rdfxml": (None, "rdfxml"),
    "rdf+xml": (None, "rdfxml"),
    "rdf/xml": (None, "rdfxml"),
    "jsonld": (None, "jsonld"),
    "json-ld": (None, "jsonld"),
}
_FORMAT_PARAMS = ("format", "output", "results")
_HTML = "text/html"
_MAX_RESULT_BYTES = 64 << 20
_MAX_BODY = 4 << 20  # bytes of a request body: room for the guard's longest query, form-encoded
_MAX_HEADERS = 64 << 10
_LINGER_SECONDS = 5.0  # how long a refused client may go on sending before we close
_LINGER_BYTES = 64 << 20
_EXPOSED = "X-SPARQL-MaxRows, X-Relaxgraph-Capped, Content-Type, Content-Length"
_ALLOWED_HEADERS = "Accept, Accept-Language, Content-Type, Content-Language, X-Requested-With"
_TOKENS = re.compile(r"^[A-Za-z0-9\-, ]{0,500}$")
_HOST = re.compile(r"^(?:[A-Za-z0-9.\-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$")
_READ_ONLY = "refused: this endpoint is read-only (SPARQL Update is not allowed)"
_COMMON_HEADERS = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", _EXPOSED),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
]
_PAGE_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'"
)
_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS_NS = "http://www.w3.org/ns/formats/"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")


def _ranked(accept: str) -> list[str]:
    """The media ranges of an ``Accept`` header, best first (ties keep their order)."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")[:100]):
        fields = [f.strip() for f in part.split(";")]
        mime, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
                if not math.isfinite(q):
                    q = 0.0
        if q > 0 and mime:
            ranked.append((-q, i, mime))
    return [mime for _, _, mime in sorted(ranked)]


def _choose(accept: str, offers: dict[str, str]) -> str | None:
    default = next(iter(offers.values()))
    if not accept.strip():
        return default
    for mime in _ranked(accept):
        if mime in offers:
            return offers[mime]
        if mime == "*/*":
            return default
        if mime.endswith("/*"):
            family = mime[:-1]
            for offered, fmt in offers.items():
                if offered.startswith(family):
                    return fmt
    return None


def negotiate(accept: str, graph: bool) -> str | None:
    """The result format for an ``Accept`` header, or ``None`` if nothing offered is acceptable.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", graph=False)
    'xml'
    >>> negotiate("text/html,application/xhtml+xml,*/*;q=0.8", graph=False)
    'json'
    >>> negotiate("", graph=True)
    'ttl'
    >>> negotiate("application/rdf+xml", graph=True)
    'rdfxml'
    >>> negotiate("image/png", graph=False) is None
    True
    """
    return _choose(accept, GRAPH_TYPES if graph else RESULT_TYPES)


@dataclass(frozen=True)
class Example:
    """A query shown on the page."""

    name: str
    summary: str
    text: str


_BUILT_IN = [
    Example(
        "drugs",
        "Every drug with its label",
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX rgo: <https://w3id.org/relaxgraph/ontology#>\n"
        "SELECT ?drug ?label WHERE { ?drug a rgo:Drug ; rdfs:label ?label } ORDER BY ?label",
    ),
    Example(
        "triples",
        "How many triples the graph holds",
        "SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }",
    ),
]


def catalogue_examples() -> list[Example]:
    """The query catalogue as page examples (two built-in examples if it cannot be read)."""
    try:
        from ..querying.catalogue import load_catalogue

        return [Example(q.name, q.summary, q.text) for q in load_catalogue().values()]
    except Exception:  # the catalogue is optional for the server
        return list(_BUILT_IN)


# --- waitress, tightened -------------------------------------------------------------------


class _RequestTimeout(WaitressError):  # type: ignore[misc]
    code = 408
    reason = "Request Timeout"


class _OneLineErrorTask(ErrorTask):  # type: ignore[misc]
    """waitress's error answers (bad framing, sizes, time), as one line with our headers."""

    def execute(self) -> None:
        error = self.request.error
        self.status = f"{error.code} {error.reason}"
        self.response_headers.extend(
            [("Content-Type", "text/plain; charset=utf-8"), *_COMMON_HEADERS]
        )
        self.set_close_on_finish()
        body = f"{error.code} {error.reason}: {_explain(error)}\n".encode()
        self.content_length = len(body)
        self.write(body)


def _explain(error: Any) -> str:
    code = error.code
    if code == 413:
        return f"the request body is larger than {_MAX_BODY >> 20} MB (a query may be at most {MAX_QUERY_CHARS:,} characters)"
    if code == 431:
        return f"the request headers are larger than {_MAX_HEADERS >> 10} KB"
    if code == 408:
        return str(error.body)
    detail = " ".join(str(error.body).split())[:200]
    return f"malformed HTTP request ({detail})" if code == 400 else detail


class _Parser(HTTPRequestParser):  # type: ignore[misc]
    """Remembers when the first byte of the request arrived."""

    def __init__(self, adj: Any):
        super().__init__(adj)
        self.started = time.monotonic()


class _Channel(HTTPChannel):  # type: ignore[misc]
    """waitress's connection, with a lingering close.

    Closing a socket that still has unread input makes the kernel send a reset, so a client
    still sending a body we refused (too large, malformed) would see "connection reset"
    instead of our answer. Like nginx, half-close instead, read and drop what still arrives
    for a few seconds (bounded in bytes), then close.
    """

    parser_class = _Parser
    error_task_class = _OneLineErrorTask
    lingering = False
    linger_until = 0.0
    lingered = 0

    def handle_close(self) -> None:
        if self.lingering or not self.connected or self.socket is None:
            self.lingering = False
            super().handle_close()
            return
        try:
            self.socket.shutdown(socket.SHUT_WR)
        except OSError:
            super().handle_close()
            return
        self.lingering = True
        self.linger_until = time.monotonic() + _LINGER_SECONDS
        self.will_close = self.close_when_flushed = False

    def readable(self) -> bool:
        return True if self.lingering else bool(super().readable())

    def writable(self) -> bool:
        return False if self.lingering else bool(super().writable())

    def handle_read(self) -> None:
        if not self.lingering:
            super().handle_read()
            return
        try:
            data = self.socket.recv(1 << 16)
        except OSError:
            data = b""
        self.lingered += len(data)
        if not data or self.lingered > _LINGER_BYTES or time.monotonic() > self.linger_until:
            self.handle_close()


class _Server(TcpWSGIServer):  # type: ignore[misc]
    """waitress's TCP server, with a deadline for receiving a whole request."""

    channel_class = _Channel
    request_timeout = 30.0

    def maintenance(self, now: float) -> None:
        super().maintenance(now)
        cutoff = time.monotonic() - self.request_timeout
        for channel in list(self.active_channels.values()):
            if channel.lingering and time.monotonic() > channel.linger_until:
                channel.handle_close()
                continue
            request = channel.request
            if request is None or channel.requests or request.started > cutoff:
                continue
            with channel.requests_lock:
                if channel.request is not request or request.completed:
                    continue
                request.error = _RequestTimeout(
                    f"the request was not received within {self.request_timeout:g} s"
                )
                request.completed = True
                channel.request = None
                channel.requests.append(request)
                self.add_task(channel)


class _OneLine(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            text += f" ({exc.__class__.__name__}: {exc})"
        return "relaxgraph serve: " + " ".join(text.split())[:500]


def _quiet_waitress(log: bool) -> None:
    """waitress logs through :mod:`logging`; make it one line per event, never a traceback."""
    logger = logging.getLogger("waitress")
    if not any(isinstance(h.formatter, _OneLine) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_OneLine())
        logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.WARNING if log else logging.ERROR)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)


# --- the endpoint ---------------------------------------------------------------------------


class SparqlServer:
    """A read-only SPARQL endpoint: a context manager, or :meth:`serve_forever`.

    ``source`` is an :class:`~relaxgraph.storage.engines.OxigraphEngine` or :class:`pyoxigraph.Store`
    (in memory), or the path of an on-disk store. ``port=0`` picks a free port (see
    :attr:`url`). ``timeout`` is the time limit of one query in seconds; ``max_rows`` caps
    the rows (or triples) of one result; ``workers`` queries run at once, each in its own
    process limited to ``memory_mb`` MB beyond the graph. ``allow_service`` lists the
    endpoints ``SERVICE`` may call (federation is off without it). ``connections`` bounds
    open connections; ``request_timeout`` is the time a client has to send one request.
    ``site=True`` also serves the browser workbench (:mod:`relaxgraph.server.pages`): the home
    page at ``/``, entity pages at ``/id/NAME``, ``/query``, ``/network`` and ``/guide``.
    """

    def __init__(
        self,
        source: Any,
        *,
        host: str = "127.0.0.1",
        port: int = 7878,
        timeout: float = 30.0,
        max_rows: int = 10_000,
        examples: Sequence[Example] | None = None,
        log: bool = False,
        workers: int = 2,
        memory_mb: int = 1024,
        allow_service: Sequence[str] = (),
        connections: int = 256,
        request_timeout: float = 30.0,
        idle_timeout: int = 15,
        site: bool = False,
    ):
        _check_limits(port, timeout, max_rows, workers, memory_mb, request_timeout)
        self.timeout = timeout
        self.max_rows = max_rows
        self.examples = list(examples) if examples is not None else catalogue_examples()
        self.log = log
        self.allow_service = tuple(allow_service)
        store = getattr(source, "store", source)
        if not isinstance(store, ox.Store | str | os.PathLike):
            raise TypeError("serve an OxigraphEngine, a pyoxigraph.Store or an on-disk store path")
        # The fork server must be forked before waitress starts any thread.
        self.pool = QueryPool(
            store,
            workers=workers,
            timeout=timeout,
            memory_mb=memory_mb,
            allow_service=self.allow_service,
        )
        try:
            self.named_graphs = self._probe()
            self.site: SitePages | None = _site(source, timeout, max_rows) if site else None
            _quiet_waitress(log)
            adj = Adjustments(
                host=host,
                port=port,
                ipv6=":" in host,
                threads=workers + 4,
                connection_limit=connections,
                channel_timeout=idle_timeout,
                cleanup_interval=1,
                max_request_header_size=_MAX_HEADERS,
                max_request_body_size=_MAX_BODY,
                backlog=1024,
                ident="relaxgraph",
                expose_tracebacks=False,
                log_socket_errors=False,
                asyncore_use_poll=True,  # select() breaks past 1,024 descriptors
                clear_untrusted_proxy_headers=False,
            )
            self._httpd = _Server(self, map={}, adj=adj)
            self._httpd.request_timeout = request_timeout
        except BaseException:
            self.pool.close()
            raise
        self._thread: threading.Thread | None = None
        self._closed = False

    def _probe(self) -> list[str]:
        reply = self.pool.run({"op": "probe"})
        if reply.status != 200:
            from ..errors import StoreError

            raise StoreError(reply.body.decode("utf-8", "replace").strip())
        import json

        graphs: list[str] = json.loads(reply.body)["named_graphs"]
        return graphs

    @property
    def url(self) -> str:
        """The endpoint's URL (``http://HOST:PORT/sparql``)."""
        host, port = self._httpd.effective_host, self._httpd.effective_port
        shown = f"[{host}]" if ":" in str(host) else str(host)
        return f"http://{shown}:{port}/sparql"

    def serve_forever(self) -> None:
        """Answer requests until :meth:`shutdown`, Ctrl-C or SIGTERM (then stop everything)."""
        try:
            wasyncore.loop(timeout=1, map=self._httpd._map, use_poll=True)
        finally:
            self.shutdown()

    def start(self) -> SparqlServer:
        """Answer requests in a background thread."""
        self._thread = threading.Thread(
            target=wasyncore.loop,
            kwargs={"timeout": 0.2, "map": self._httpd._map, "use_poll": True},
            daemon=True,
        )
        self._thread.start()
        return self

    def shutdown(self) -> None:
        """Stop answering: kill running queries, stop the threads, close every socket."""
        if self._closed:
            return
        self._closed = True
        self.pool.close()  # running queries end now, so the threads waiting on them return
        self._httpd.task_dispatcher.shutdown(cancel_pending=True, timeout=5)
        with contextlib.suppress(OSError):
            wasyncore.close_all(self._httpd._map)
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SparqlServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.shutdown()

    # --- WSGI -----------------------------------------------------------------------------

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        started = time.monotonic()
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            status, body, content_type, headers = self._respond(environ, method)
        except RequestRefusedError as exc:
            status, body = exc.status, (exc.message + "\n").encode()
            content_type, headers = "text/plain; charset=utf-8", exc.headers
        except Exception as exc:  # never a traceback: one line for the client and the log
            message = (
                f"internal error: {exc.__class__.__name__}: {' '.join(str(exc).split())[:200]}"
            )
            self._log(message)
            status, body = 500, (message + "\n").encode()
            content_type, headers = "text/plain; charset=utf-8", []
        all_headers = [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("Vary", "Accept"),
            *_COMMON_HEADERS,
            *headers,
        ]
        if content_type.startswith(_HTML) and not any(
            name == "Content-Security-Policy" for name, _ in headers
        ):
            all_headers.append(("Content-Security-Policy", _PAGE_CSP))
        start_response(f"{status} {_reason(status)}", all_headers)
        if self.log:
            took = (time.monotonic() - started) * 1000
            path = environ.get("PATH_INFO", "")[:100]
            self._log(f"{environ.get('REMOTE_ADDR', '-')} {method} {path} {status} {took:.0f} ms")
        return [] if method == "HEAD" else [body]

    def _log(self, message: str) -> None:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(f"relaxgraph serve: {message}\n")
            sys.stderr.flush()

    def _respond(
        self, environ: dict[str, Any], method: str
    ) -> tuple[int, bytes, str, list[tuple[str, str]]]:
        path = environ.get("PATH_INFO", "")
        if self.site is not None and self._for_site(environ, path, method):
            return self.site.respond(
                path, method, environ.get("HTTP_ACCEPT", ""), environ.get("QUERY_STRING", "")
            )
        if path not in ("/", "/sparql"):
            shown = "".join(ch if ch.isprintable() else "?" for ch in path[:100])
            raise RequestRefusedError(404, f"not found: {shown} (the endpoint is /sparql)")
        if method == "OPTIONS":
            return 204, b"", "text/plain; charset=utf-8", self._preflight(environ)
        params = _parse_qs(environ.get("QUERY_STRING", ""), "the URL")
        accept = environ.get("HTTP_ACCEPT", "")
        if method in ("GET", "HEAD"):
            if not _has_request(params):
                return self._describe(environ, accept, page=path == "/")
            return self._query(params, None, accept)
        if method == "POST":
            return self._post(environ, params, accept)
        raise RequestRefusedError(
            405,
            f"method {method[:20]} is not allowed: this read-only endpoint answers GET and POST",
            [("Allow", "GET, HEAD, POST, OPTIONS")],
        )

    def _for_site(self, environ: dict[str, Any], path: str, method: str) -> bool:
        """Whether the site answers: every path but /sparql, and / when a browser asks for a page."""
        if path == "/sparql" or self.site is None:
            return False
        if path != "/":
            return True
        if method not in ("GET", "HEAD"):
            return False
        params = _parse_qs(environ.get("QUERY_STRING", ""), "the URL")
        return not _has_request(params) and self.site.home_wanted(environ.get("HTTP_ACCEPT", ""))

    def _preflight(self, environ: dict[str, Any]) -> list[tuple[str, str]]:
        requested = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "")
        allowed = requested if requested and _TOKENS.match(requested) else _ALLOWED_HEADERS
        return [
            ("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS"),
            ("Access-Control-Allow-Headers", allowed),
            ("Access-Control-Max-Age", "86400"),
            ("Allow", "GET, HEAD, POST, OPTIONS"),
        ]

    def _post(
        self, environ: dict[str, Any], params: dict[str, list[str]], accept: str
    ) -> tuple[int, bytes, str, list[tuple[str, str]]]:
        raw_type = environ.get("CONTENT_TYPE", "")
        mime = raw_type.split(";")[0].strip().lower()
        if not mime:
            raise RequestRefusedError(
                415,
                "a POST needs a Content-Type: application/x-www-form-urlencoded (query=...) "
                "or application/sparql-query (the query as the body)",
            )
        if mime == "application/sparql-update":
            raise RequestRefusedError(403, _READ_ONLY)
        if mime not in ("application/x-www-form-urlencoded", "application/sparql-query"):
            raise RequestRefusedError(
                415,
                f"cannot read a {mime[:80]} body; send application/x-www-form-urlencoded "
                "or application/sparql-query",
            )
        body = _read_body(environ)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RequestRefusedError(
                400, f"the request body is not UTF-8 (byte {exc.start})"
            ) from None
        if mime == "application/sparql-query":
            return self._query(params, text, accept)
        for key, values in _parse_qs(text, "the form").items():
            params.setdefault(key, []).extend(values)
        if not _has_request(params):
            raise RequestRefusedError(400, "the form has no `query` field (query=SELECT ...)")
        return self._query(params, None, accept)

    def _query(
        self, params: dict[str, list[str]], body_query: str | None, accept: str
    ) -> tuple[int, bytes, str, list[tuple[str, str]]]:
        if "update" in params:
            raise RequestRefusedError(403, _READ_ONLY)
        queries = params.get("query", []) + ([body_query] if body_query is not None else [])
        if len(queries) != 1:
            raise RequestRefusedError(400, "give exactly one query (the `query` parameter)")
        text = queries[0]
        if not text.strip():
            raise RequestRefusedError(400, "the query is empty")
        if query_kind(text) == "update":
            raise RequestRefusedError(403, _READ_ONLY)
        try:
            check_query_text(text, allow_service=self.allow_service)
        except QueryTooComplexError as exc:
            raise RequestRefusedError(400, str(exc)) from None
        except FederationRefusedError as exc:
            raise RequestRefusedError(
                403, str(exc).replace("(--allow-service URL)", "(serve --allow-service URL)")
            ) from None
        formats = _formats(params, accept)
        reply = self.pool.run(
            {
                "op": "query",
                "text": text,
                "formats": formats,
                "default_graphs": params.get("default-graph-uri", []),
                "named_graphs": params.get("named-graph-uri", []),
                "max_rows": self.max_rows,
                "max_bytes": _MAX_RESULT_BYTES,
            }
        )
        if reply.status >= 500 and self.log:
            self._log(
                f"query answered {reply.status}: {reply.body[:200].decode('utf-8', 'replace').strip()}"
            )
        return reply.status, reply.body, reply.content_type, reply.headers

    # --- the page and the service description ------------------------------------------------

    def _describe(
        self, environ: dict[str, Any], accept: str, page: bool
    ) -> tuple[int, bytes, str, list[tuple[str, str]]]:
        pages = {_HTML: "html", "application/xhtml+xml": "html"}
        offers = {**pages, **GRAPH_TYPES} if page else {**GRAPH_TYPES, **pages}
        fmt = _choose(accept, offers)
        if fmt is None:
            raise RequestRefusedError(
                406,
                "the service description is offered as Turtle, N-Triples, RDF/XML or JSON-LD, "
                "and the query page as text/html",
            )
        if fmt == "html":
            return 200, self.page(), "text/html; charset=utf-8", []
        endpoint = self._public_url(environ)
        prefixes = {"sd": _SD, "format": _FORMATS_NS}
        body = serialize_graph(self.description(endpoint), fmt, prefixes)
        return 200, body, CONTENT_TYPES[fmt], []

    def _public_url(self, environ: dict[str, Any]) -> str:
        host = environ.get("HTTP_HOST", "")
        if host and _HOST.match(host):
            return f"http://{host}/sparql"
        return self.url

    def description(self, endpoint: str) -> list[ox.Triple]:
        """The SPARQL 1.1 Service Description of this endpoint, as triples."""
        sd = _SD
        service, dataset, default = ox.BlankNode(), ox.BlankNode(), ox.BlankNode()
        t = [
            ox.Triple(service, _RDF_TYPE, ox.NamedNode(sd + "Service")),
            ox.Triple(service, ox.NamedNode(sd + "endpoint"), ox.NamedNode(endpoint)),
            ox.Triple(
                service, ox.NamedNode(sd + "supportedLanguage"), ox.NamedNode(sd + "SPARQL11Query")
            ),
            ox.Triple(service, ox.NamedNode(sd + "defaultDataset"), dataset),
            ox.Triple(dataset, _RDF_TYPE, ox.NamedNode(sd + "Dataset")),
            ox.Triple(dataset, ox.NamedNode(sd + "defaultGraph"), default),
            ox.Triple(default, _RDF_TYPE, ox.NamedNode(sd + "Graph")),
            ox.Triple(
                dataset,
                _RDFS_COMMENT,
                ox.Literal(
                    f"default-graph-uri={DEFAULT_GRAPH_IRI} selects this default graph. "
                    f"Read-only; at most {self.max_rows} rows per result "
                    f"(X-SPARQL-MaxRows says when a result was cut); time limit {self.timeout:g} s."
                ),
            ),
        ]
        for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                     "SPARQL_Results_TSV", "Turtle", "N-Triples", "RDF_XML", "JSON-LD"):  # fmt: skip
            t.append(
                ox.Triple(
                    service, ox.NamedNode(sd + "resultFormat"), ox.NamedNode(_FORMATS_NS + name)
                )
            )
        if self.allow_service:
            t.append(
                ox.Triple(
                    service, ox.NamedNode(sd + "feature"), ox.NamedNode(sd + "BasicFederatedQuery")
                )
            )
        for name in self.named_graphs:
            node = ox.BlankNode()
            t.append(ox.Triple(dataset, ox.NamedNode(sd + "namedGraph"), node))
            t.append(ox.Triple(node, _RDF_TYPE, ox.NamedNode(sd + "NamedGraph")))
            t.append(ox.Triple(node, ox.NamedNode(sd + "name"), ox.NamedNode(name)))
        return t

    def page(self) -> bytes:
        """The HTML query page: a form, the examples, and a small script; everything escaped."""
        items = []
        for i, ex in enumerate(self.examples):
            items.append(
                f'<li><button type="button" data-example="{i}">{html.escape(ex.name)}</button> '
                f"{html.escape(ex.summary)}"
                f'<pre hidden id="example-{i}">{html.escape(ex.text)}</pre></li>'
            )
        first = (
            html.escape(self.examples[0].text)
            if self.examples
            else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
        )
        return _PAGE.format(
            examples="\n".join(items),
            first=first,
            timeout=f"{self.timeout:g}",
            max_rows=self.max_rows,
        ).encode()


def _site(source: Any, timeout: float, max_rows: int) -> SitePages:
    """The site's pages (``relaxgraph.server.pages``), rendered from an engine in this process."""
    from ..storage.engines import OxigraphEngine
    from .pages import SitePages

    if isinstance(source, OxigraphEngine):
        engine = source
    elif isinstance(source, ox.Store):
        engine = OxigraphEngine(source)
    else:
        from ..storage.store import open_store

        engine = OxigraphEngine(open_store(source))
    return SitePages(engine, timeout=timeout, max_rows=max_rows)


def _check_limits(
    port: int, timeout: float, max_rows: int, workers: int, memory_mb: int, request_timeout: float
) -> None:
    from ..errors import ServerConfigError

    if not 0 <= port <= 65535:
        raise ServerConfigError(f"port {port} is not a TCP port; give 0 to 65535")
    for name, value in (("timeout", timeout), ("request_timeout", request_timeout)):
        if not (math.isfinite(value) and value > 0):
            raise ServerConfigError(f"{name} {value!r} is not a time limit; give seconds above 0")
    if max_rows < 1 or workers < 1 or memory_mb < 1:
        raise ServerConfigError("max_rows, workers and memory_mb must each be at least 1")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _has_request(params: dict[str, list[str]]) -> bool:
    return "query" in params or "update" in params


def _parse_qs(text: str, where: str) -> dict[str, list[str]]:
    try:
        return urllib.parse.parse_qs(
            text, keep_blank_values=True, strict_parsing=False, errors="strict", max_num_fields=1000
        )
    except UnicodeDecodeError:
        raise RequestRefusedError(
            400, f"{where} holds percent-encoded bytes that are not UTF-8"
        ) from None
    except ValueError as exc:
        raise RequestRefusedError(400, f"{where} cannot be read: {exc}") from None


def _read_body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise RequestRefusedError(400, "the Content-Length is not a number") from None
    stream = environ["wsgi.input"]
    data: bytes = stream.read(length) if length > 0 else b""
    return data


def _formats(params: dict[str, list[str]], accept: str) -> list[str | None]:
    """``[format for SELECT/ASK, format for graphs]``: ``format``/``output`` first, then ``Accept``."""
    values = [v.strip().lower() for key in _FORMAT_PARAMS for v in params.get(key, [])]
    values = [v for v in values if v]
    results: str | None = None
    graph: str | None = None
    for value in values:
        r, g = FORMAT_NAMES.get(value, (RESULT_TYPES.get(value), GRAPH_TYPES.get(value)))
        results = results or r
        graph = graph or g
    if values and results is None and graph is None:
        known = ", ".join(sorted(FORMAT_NAMES))
        raise RequestRefusedError(
            400, f"unknown format {values[0][:40]!r}; use one of {known}, or a media type"
        )
    return [results or negotiate(accept, graph=False), graph or negotiate(accept, graph=True)]


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>relaxgraph SPARQL endpoint</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; max-width: 70em; }}
textarea {{ width: 100%; height: 14em; font-family: monospace; }}
table {{ border-collapse: collapse; margin-top: 1em; }}
td, th {{ border: 1px solid #ccc; padding: .2em .5em; vertical-align: top; }}
#error {{ color: #a00; white-space: pre-wrap; font-family: monospace; }}
li {{ margin: .2em 0; }}
</style></head>
<body>
<h1>relaxgraph SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 endpoint at <code>/sparql</code> (GET or POST <code>query</code>;
CORS open, so pages elsewhere can query it). Results as JSON, XML, CSV or TSV; graphs as
Turtle, N-Triples, RDF/XML or JSON-LD. Time limit {timeout} s; at most {max_rows} rows
(the <code>X-SPARQL-MaxRows</code> header says when a result was cut).</p>
<form id="form" method="get" action="/sparql">
<textarea name="query" id="query" spellcheck="false">{first}</textarea>
<p><label>Format <select name="format" id="format">
<option value="">table</option><option>json</option><option>csv</option>
<option>tsv</option><option>xml</option>
<option>ttl</option><option>nt</option><option>rdfxml</option><option>jsonld</option>
</select></label> <button type="submit">Run</button></p>
</form>
<div id="error"></div><div id="results"></div>
<h2>Examples</h2>
<ul>
{examples}
</ul>
<script>
document.querySelectorAll("button[data-example]").forEach(function (b) {{
  b.addEventListener("click", function () {{
    var text = document.getElementById("example-" + b.dataset.example).textContent;
    document.getElementById("query").value = text;
  }});
}});
document.getElementById("form").addEventListener("submit", function (ev) {{
  if (document.getElementById("format").value !== "") return;
  ev.preventDefault();
  var err = document.getElementById("error"), out = document.getElementById("results");
  err.textContent = ""; out.textContent = "Running...";
  var body = new URLSearchParams({{query: document.getElementById("query").value}});
  fetch("/sparql", {{method: "POST", body: body,
    headers: {{"Accept": "application/sparql-results+json, text/turtle;q=0.5"}}}})
  .then(function (r) {{ return r.text().then(function (t) {{ return [r, t]; }}); }})
  .then(function (rt) {{
    var r = rt[0], t = rt[1]; out.textContent = "";
    if (!r.ok) {{ err.textContent = r.status + ": " + t; return; }}
    if ((r.headers.get("Content-Type") || "").indexOf("json") < 0) {{
      var pre = document.createElement("pre"); pre.textContent = t; out.appendChild(pre); return;
    }}
    var data = JSON.parse(t);
    if ("boolean" in data) {{ out.textContent = String(data.boolean); return; }}
    var table = document.createElement("table"), head = table.insertRow();
    data.head.vars.forEach(function (v) {{
      var th = document.createElement("th"); th.textContent = v; head.appendChild(th);
    }});
    data.results.bindings.forEach(function (row) {{
      var tr = table.insertRow();
      data.head.vars.forEach(function (v) {{
        tr.insertCell().textContent = row[v] ? row[v].value : "";
      }});
    }});
    var n = document.createElement("p"), cap = r.headers.get("X-SPARQL-MaxRows");
    n.textContent = data.results.bindings.length + " rows" +
      (cap ? " (cut at the endpoint's cap of " + cap + ")" : "");
    out.appendChild(n); out.appendChild(table);
  }}).catch(function (e) {{ out.textContent = ""; err.textContent = String(e); }});
}});
</script>
</body></html>
"""
