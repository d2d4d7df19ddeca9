"""A read-only SPARQL 1.1 Protocol endpoint over the graph (``relaxgraph serve``).

Standard library only (:mod:`http.server`). It listens on 127.0.0.1 unless told otherwise,
answers ``GET`` and ``POST`` queries at ``/sparql`` (and ``/``), negotiates the result
format (SPARQL JSON, XML, CSV, TSV; Turtle or N-Triples for graphs), refuses updates, stops
a query at its time limit, caps the size of a result, and shows a query page with the
catalogue's examples at ``/``.

>>> from relaxgraph.sparql import OxigraphEngine
>>> import pyoxigraph as ox, urllib.request
>>> with SparqlServer(OxigraphEngine(ox.Store()), port=0) as server:
...     with urllib.request.urlopen(server.url + "?query=ASK%7B%7D") as r:
...         r.read()
b'{"head":{},"boolean":true}'
"""

from __future__ import annotations

import html
import threading
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from .errors import (
    QueryError,
    QuerySyntaxError,
    QueryTimeoutError,
    RelaxgraphError,
    UpdateRefusedError,
)
from .sparql import Engine, Result, check_syntax, query_kind, run

__all__ = ["Example", "SparqlServer", "negotiate"]

#: Media type -> result format, for SELECT/ASK results and for graphs (first is the default).
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "text/plain": "nt",
}
_CONTENT_TYPE = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
}
_MAX_BODY = 1 << 20  # bytes of a POSTed query


def negotiate(accept: str, graph: bool) -> str | None:
    """The result format for an ``Accept`` header, or ``None`` if nothing offered is acceptable.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", graph=False)
    'xml'
    >>> negotiate("text/html,application/xhtml+xml,*/*;q=0.8", graph=False)
    'json'
    >>> negotiate("", graph=True)
    'ttl'
    >>> negotiate("image/png", graph=False) is None
    True
    """
    offers = GRAPH_TYPES if graph else RESULT_TYPES
    default = next(iter(offers.values()))
    if not accept.strip():
        return default
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        mime, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, i, mime))
    for _, _, mime in sorted(ranked):
        if mime in offers:
            return offers[mime]
        if mime in ("*/*", "application/*", "text/*"):
            family = mime.split("/")[0]
            for offered, fmt in offers.items():
                if family == "*" or offered.startswith(family + "/"):
                    return fmt if family != "*" else default
    return None


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
        from .catalogue import load_catalogue

        return [Example(q.name, q.summary, q.text) for q in load_catalogue().values()]
    except Exception:  # the catalogue is optional for the server
        return list(_BUILT_IN)


class _Refused(Exception):
    def __init__(self, status: HTTPStatus, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class SparqlServer:
    """A read-only SPARQL endpoint over ``engine``: a context manager, or :meth:`serve_forever`.

    ``port=0`` picks a free port (see :attr:`url`). ``timeout`` is the time limit of one
    query in seconds; ``max_rows`` caps the rows (or triples) of one result.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        host: str = "127.0.0.1",
        port: int = 7878,
        timeout: float = 30.0,
        max_rows: int = 10_000,
        examples: Sequence[Example] | None = None,
        log: bool = False,
    ):
        self.engine = engine
        self.timeout = timeout
        self.max_rows = max_rows
        self.examples = list(examples) if examples is not None else catalogue_examples()
        self.log = log
        self._httpd = ThreadingHTTPServer((host, port), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The endpoint's URL (``http://HOST:PORT/sparql``)."""
        host, port = self._httpd.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{name}]" if ":" in name else name
        return f"http://{shown}:{port}/sparql"

    def serve_forever(self) -> None:
        """Answer requests until :meth:`shutdown` (or Ctrl-C)."""
        self._httpd.serve_forever()

    def start(self) -> SparqlServer:
        """Answer requests in a background thread."""
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def shutdown(self) -> None:
        """Stop answering and close the socket."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> SparqlServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.shutdown()

    # --- answering -----------------------------------------------------------------------

    def answer(
        self, params: dict[str, list[str]], body_query: str | None, accept: str
    ) -> tuple[bytes, str]:
        """The body and content type answering one request; raises :class:`_Refused`."""
        if "update" in params:
            raise _Refused(
                HTTPStatus.FORBIDDEN,
                "refused: this endpoint is read-only (SPARQL Update is not allowed)",
            )
        queries = params.get("query", []) + ([body_query] if body_query is not None else [])
        if len(queries) != 1:
            raise _Refused(HTTPStatus.BAD_REQUEST, "give exactly one query (the `query` parameter)")
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            raise _Refused(
                HTTPStatus.BAD_REQUEST,
                "this endpoint serves one default graph: default-graph-uri and named-graph-uri "
                "are not supported "
                "(use FROM / GRAPH in the query instead)",
            )
        text = queries[0]
        if query_kind(text) == "update":
            raise _Refused(
                HTTPStatus.FORBIDDEN,
                "refused: this endpoint is read-only (SPARQL Update is not allowed)",
            )
        try:
            form = check_syntax(text)  # in this process: the parser's message, before any fork
        except UpdateRefusedError:
            raise _Refused(
                HTTPStatus.FORBIDDEN,
                "refused: this endpoint is read-only (SPARQL Update is not allowed)",
            ) from None
        except QuerySyntaxError as exc:
            raise _Refused(HTTPStatus.BAD_REQUEST, str(exc)) from None
        graph = form == "graph"
        requested = (params.get("format") or [""])[0]
        if requested:
            fmt: str | None = (
                requested
                if requested in (GRAPH_TYPES if graph else RESULT_TYPES).values()
                else None
            )
            if fmt is None:
                raise _Refused(
                    HTTPStatus.BAD_REQUEST, f"unknown format {requested!r} for this query"
                )
        else:
            fmt = negotiate(accept, graph)
        if fmt is None:
            offered = ", ".join(GRAPH_TYPES if graph else RESULT_TYPES)
            raise _Refused(
                HTTPStatus.NOT_ACCEPTABLE,
                f"cannot answer in any type of Accept: {accept}; offered: {offered}",
            )
        try:
            result = run(self.engine, text, timeout=self.timeout)
        except QueryTimeoutError as exc:
            raise _Refused(
                HTTPStatus.SERVICE_UNAVAILABLE,
                str(exc).replace("--timeout SECONDS", "serve --timeout"),
            ) from None
        except QueryError as exc:
            raise _Refused(HTTPStatus.BAD_REQUEST, str(exc)) from None
        self._check_size(result)
        return result.serialize(fmt), _CONTENT_TYPE[fmt]

    def _check_size(self, result: Result) -> None:
        if result.kind == "ask":
            return
        n = len(result)
        if n > self.max_rows:
            unit = "triples" if result.kind == "graph" else "rows"
            raise _Refused(
                HTTPStatus.BAD_REQUEST,
                f"the result has {n} {unit}, more than this endpoint's cap of {self.max_rows}; "
                f"add LIMIT {self.max_rows} (or narrow the query)",
            )

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


def _handler_for(server: SparqlServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "relaxgraph"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            if server.log:
                super().log_message(format, *args)

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            if content_type.startswith("text/html"):
                self.send_header(
                    "Content-Security-Policy",
                    "default-src 'none'; script-src 'unsafe-inline'; "
                    "style-src 'unsafe-inline'; connect-src 'self'",
                )
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _error(self, status: int, message: str) -> None:
            self._send(status, (message + "\n").encode(), "text/plain; charset=utf-8")

        def _dispatch(self, params: dict[str, list[str]], body_query: str | None) -> None:
            path = urllib.parse.urlsplit(self.path).path
            if path not in ("/", "/sparql"):
                self._error(HTTPStatus.NOT_FOUND, f"not found: {path} (the endpoint is /sparql)")
                return
            if path == "/" and not params and body_query is None:
                self._send(HTTPStatus.OK, server.page(), "text/html; charset=utf-8")
                return
            try:
                body, content_type = server.answer(
                    params, body_query, self.headers.get("Accept", "")
                )
            except _Refused as exc:
                self._error(exc.status, exc.message)
                return
            except RelaxgraphError as exc:
                self._error(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc))
                return
            except Exception as exc:  # never leave the client without an answer
                self._error(
                    HTTPStatus.INTERNAL_SERVER_ERROR,
                    f"internal error: {exc.__class__.__name__}: {exc}",
                )
                return
            self._send(HTTPStatus.OK, body, content_type)

        def do_GET(self) -> None:
            query = urllib.parse.urlsplit(self.path).query
            self._dispatch(urllib.parse.parse_qs(query, keep_blank_values=True), None)

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > _MAX_BODY:
                self._error(
                    HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"a query may be at most {_MAX_BODY} bytes"
                )
                self.close_connection = True
                return
            raw = self.rfile.read(length) if length else b""
            mime = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            params = urllib.parse.parse_qs(
                urllib.parse.urlsplit(self.path).query, keep_blank_values=True
            )
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                self._error(HTTPStatus.BAD_REQUEST, "the request body is not UTF-8")
                return
            if mime == "application/sparql-update":
                self._error(
                    HTTPStatus.FORBIDDEN,
                    "refused: this endpoint is read-only (SPARQL Update is not allowed)",
                )
                return
            if mime == "application/sparql-query":
                self._dispatch(params, text)
                return
            if mime in ("application/x-www-form-urlencoded", ""):
                for key, values in urllib.parse.parse_qs(text, keep_blank_values=True).items():
                    params.setdefault(key, []).extend(values)
                self._dispatch(params, None)
                return
            self._error(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                f"cannot read a {mime} body; "
                "send application/x-www-form-urlencoded or application/sparql-query",
            )

        def do_PUT(self) -> None:
            self._error(HTTPStatus.METHOD_NOT_ALLOWED, "refused: this endpoint is read-only")

        do_DELETE = do_PATCH = do_PUT

    return Handler


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
<p>Read-only SPARQL 1.1 endpoint at <code>/sparql</code> (GET or POST <code>query</code>).
Results as JSON, XML, CSV or TSV; graphs as Turtle or N-Triples.
Time limit {timeout} s; at most {max_rows} rows.</p>
<form id="form" method="get" action="/sparql">
<textarea name="query" id="query" spellcheck="false">{first}</textarea>
<p><label>Format <select name="format" id="format">
<option value="">table</option><option>json</option><option>csv</option>
<option>tsv</option><option>xml</option>
<option>ttl</option><option>nt</option></select></label> <button type="submit">Run</button></p>
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
    var n = document.createElement("p"); n.textContent = data.results.bindings.length + " rows";
    out.appendChild(n); out.appendChild(table);
  }}).catch(function (e) {{ out.textContent = ""; err.textContent = String(e); }});
}});
</script>
</body></html>
"""
