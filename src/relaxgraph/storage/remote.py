"""A remote SPARQL 1.1 endpoint as an :class:`~relaxgraph.querying.sparql.Engine`; pushing the graph to one.

Standard library only (:mod:`urllib`). Works with any SPARQL 1.1 Protocol endpoint
(Virtuoso, QLever, GraphDB, Fuseki, Neptune, ``relaxgraph serve``).

Credentials come from the arguments or from the environment variables
``RELAXGRAPH_ENDPOINT_USER`` and ``RELAXGRAPH_ENDPOINT_PASSWORD``; HTTP basic and digest
authentication are both answered (Virtuoso's ``/sparql-auth`` asks for digest).
``RELAXGRAPH_ENDPOINT_GRAPH`` names the graph queries see (``default-graph-uri``), e.g. the
named graph ``relaxgraph push`` filled, so a shared server's other data stays out of the answers.

Parameters are sent as a ``VALUES`` block, never spliced into the query text: each term
is checked and written in SPARQL's own syntax (an IRI that could end the ``<...>`` early
is refused; a literal's quotes, backslashes and line breaks are escaped).

An endpoint is not trusted: every request has a total time limit (connect, send and read
together), every answer a size limit (``RELAXGRAPH_ENDPOINT_MAX_BYTES``, default 256 MiB),
and an answer that is not a well-formed SPARQL result (wrong shape, bad terms, nesting too
deep) is refused with :class:`~relaxgraph.errors.EndpointAnswerError`. An answer the
endpoint cut short (Virtuoso's ``ResultSetMaxRows``, said in ``X-SPARQL-MaxRows``) is never
passed on as whole: :class:`~relaxgraph.errors.PartialResultError`.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import math
import os
import re
import secrets
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from email.message import Message
from typing import Any

import pyoxigraph as ox

from ..errors import (
    EndpointAnswerError,
    EndpointError,
    EndpointTimeoutError,
    EndpointURLError,
    PartialResultError,
    QueryError,
)
from ..querying.sparql import (
    Engine,
    RawResult,
    Term,
    check_timeout,
    query_kind,
    strip_comments_and_strings,
)

__all__ = [
    "ENV_GRAPH",
    "ENV_MAX_BYTES",
    "ENV_PASSWORD",
    "ENV_USER",
    "RemoteEngine",
    "push",
    "sparql_term",
    "with_values",
]

ENV_USER = "RELAXGRAPH_ENDPOINT_USER"
ENV_PASSWORD = "RELAXGRAPH_ENDPOINT_PASSWORD"
ENV_GRAPH = "RELAXGRAPH_ENDPOINT_GRAPH"
ENV_MAX_BYTES = "RELAXGRAPH_ENDPOINT_MAX_BYTES"

#: The largest answer read from an endpoint, unless ``$RELAXGRAPH_ENDPOINT_MAX_BYTES`` says otherwise.
DEFAULT_MAX_BYTES = 256 << 20

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_GRAPH_ACCEPT = (
    "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8, application/rdf+xml;q=0.5"
)
_RESULTS_ACCEPT = "application/sparql-results+json, application/json;q=0.9"

# --- writing terms safely ----------------------------------------------------------------------

_BAD_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_LANG = re.compile(r"^[A-Za-z]+(?:-[A-Za-z0-9]+)*$")
_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def _iri(value: str) -> str:
    if not value or _BAD_IRI.search(value):
        raise QueryError(
            f"cannot bind the IRI {value!r}: an IRI may not contain spaces, control characters "
            'or any of <>"{}|^`\\'
        )
    return f"<{value}>"


def sparql_term(term: Term) -> str:
    """``term`` written in SPARQL syntax, safe to place in a query.

    >>> sparql_term(ox.NamedNode("https://w3id.org/relaxgraph/id/baclofen"))
    '<https://w3id.org/relaxgraph/id/baclofen>'
    >>> print(sparql_term(ox.Literal('say "hi"\\n')))
    "say \\"hi\\"\\n"
    >>> sparql_term(ox.Literal("baclofène", language="fr"))
    '"baclofène"@fr'
    >>> print(sparql_term(ox.Literal('x" } ; DROP ALL ; #')))
    "x\\" } ; DROP ALL ; #"

    (pyoxigraph already refuses an IRI with ``>`` in it; the check here is for any IRI
    that reaches this function by another way.)
    """
    if isinstance(term, ox.NamedNode):
        return _iri(term.value)
    if isinstance(term, ox.Literal):
        text = '"' + "".join(_ESCAPES.get(c, c) for c in term.value) + '"'
        if term.language:
            if not _LANG.match(term.language):
                raise QueryError(f"cannot bind a literal with the language tag {term.language!r}")
            return f"{text}@{term.language}"
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return text  # a plain literal: some stores (Virtuoso) tell "x" from "x"^^xsd:string
        return f"{text}^^{_iri(datatype)}"
    if isinstance(term, ox.BlankNode):
        raise QueryError(
            "a blank node cannot be bound as a parameter of a remote query (name it by IRI)"
        )
    raise QueryError(f"cannot bind {term!r}: not an RDF term")


def _skip_to_group(text: str) -> int | None:
    """Index just after the ``{`` that opens the query's outermost WHERE group, or None."""
    kind = query_kind(text)
    depth_paren = depth_brace = 0
    seen_where = False
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if c in "\"'":
            triple = text[i : i + 3] == c * 3
            if triple:
                j = text.find(c * 3, i + 3)
                i = n if j < 0 else j + 3
                continue
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if c == "<":  # an IRI (no spaces) or a comparison operator
            m = re.match(r"<[^<>\"{}|^`\\\s]*>", text[i:])
            if m:
                i += m.end()
                continue
        if c == "(":
            depth_paren += 1
        elif c == ")":
            depth_paren -= 1
        elif c == "{":
            if depth_paren == 0 and depth_brace == 0 and (seen_where or kind in ("select", "ask")):
                return i + 1
            depth_brace += 1
        elif c == "}":
            depth_brace -= 1
        elif (
            c in "wW"
            and depth_brace == 0
            and depth_paren == 0
            and text[i : i + 5].upper() == "WHERE"
        ):
            before = text[i - 1] if i else " "
            after = text[i + 5] if i + 5 < n else " "
            if not (before.isalnum() or before in "_?$:") and not (
                after.isalnum() or after in "_:"
            ):
                seen_where = True
        i += 1
    return None


def with_values(text: str, bindings: Mapping[str, Term]) -> str:
    """``text`` with ``bindings`` added as a ``VALUES`` block, never spliced into the query.

    The block opens the outermost WHERE group, so the values are in place before the
    group's filters, aggregates and limits are evaluated, as they are when Oxigraph or
    rdflib pre-bind a variable. A query with no WHERE group gets a trailing ``VALUES``.

    >>> with_values("SELECT ?x WHERE { ?drug ?p ?x }", {"drug": ox.NamedNode("http://x/d")})
    'SELECT ?x WHERE { VALUES (?drug) { (<http://x/d>) }\\n ?drug ?p ?x }'
    """
    if not bindings:
        return text
    names = list(bindings)
    for name in names:
        if not _VARNAME.match(name):
            raise QueryError(f"cannot bind {name!r}: not a SPARQL variable name")
    head = " ".join(f"?{name}" for name in names)
    row = " ".join(sparql_term(bindings[name]) for name in names)
    block = f"VALUES ({head}) {{ ({row}) }}"
    at = _skip_to_group(text)
    if at is None:
        return f"{text}\n{block}\n"
    return f"{text[:at]} {block}\n{text[at:]}"


# --- HTTP ------------------------------------------------------------------------------------

_ERROR_BODY_BYTES = 64 << 10  # read at most this much of an error page
_MESSAGE_CHARS = 300  # quote at most this much of a server's message
_URL_CHARS = 200  # and of a URL that is not one
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + " ..."


def _size(n: int) -> str:
    for unit in ("bytes", "KiB", "MiB"):
        if n < 1024:
            return f"{n:g} {unit}"
        n //= 1024
    return f"{n:g} GiB"


def _max_bytes_from_env() -> int:
    raw = os.environ.get(ENV_MAX_BYTES, "").strip()
    if not raw:
        return DEFAULT_MAX_BYTES
    if not raw.isdigit() or int(raw) <= 0:
        raise EndpointURLError(f"{ENV_MAX_BYTES} must be a positive number of bytes, not {raw!r}")
    return int(raw)


def check_url(url: str, what: str = "endpoint") -> str:
    """``url`` if it is an http(s) URL with a host; :class:`EndpointURLError` (exit 2) otherwise.

    >>> check_url("http://localhost:8890/sparql")
    'http://localhost:8890/sparql'
    """
    shown = repr(_short(url, _URL_CHARS)) if isinstance(url, str) else repr(url)
    expected = "expected http://HOST[:PORT]/PATH"
    if not isinstance(url, str):
        raise EndpointURLError(f"not an {what} URL: {shown} ({expected})")
    if _CONTROL.search(url) or " " in url:
        raise EndpointURLError(
            f"not an {what} URL: {shown} has spaces or control characters ({expected})"
        )
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number 0-65535
    except ValueError as exc:
        raise EndpointURLError(f"not an {what} URL: {shown}: {exc} ({expected})") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise EndpointURLError(f"not an {what} URL: {shown} ({expected})")
    return url


def _seconds(timeout: float) -> float:
    """The one time-limit check (:func:`~relaxgraph.querying.sparql.check_timeout`); never ``None``."""
    seconds = check_timeout(timeout, "timeout")
    assert seconds is not None
    return seconds


class _Watch:
    """The sockets of one request; :meth:`expire` shuts them so that no read blocks past the limit."""

    def __init__(self) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def add(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shutdown(sock)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


_LOCAL = threading.local()


def _watch_socket(sock: socket.socket | None) -> None:
    watch = getattr(_LOCAL, "watch", None)
    if watch is not None:
        watch.add(sock)


class _HTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _watch_socket(self.sock)


class _HTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _watch_socket(self.sock)


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        context = getattr(self, "_context", None)
        return self.do_open(_HTTPSConnection, req, context=context)


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) URLs only (urllib would also follow one to ftp)."""

    max_redirections = 5

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        scheme = urllib.parse.urlsplit(newurl).scheme.lower()
        if scheme not in ("http", "https"):
            raise EndpointAnswerError(
                f"{req.full_url} redirected to a {scheme or 'relative'} URL; "
                "only http and https are followed"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _ReusingDigest(urllib.request.HTTPDigestAuthHandler):
    """Digest authentication that answers the last challenge up front on later requests.

    A server that challenges a large upload (a Graph Store PUT) may close the connection
    before the body is sent; answering up front avoids the failed first attempt.
    """

    def __init__(self, manager: urllib.request.HTTPPasswordMgr):
        super().__init__(manager)
        self._challenge: dict[str, str] | None = None

    def http_error_auth_reqed(self, auth_header: str, host: str, req: Any, headers: Any) -> Any:
        challenge = headers.get(auth_header, "")
        scheme, _, rest = challenge.partition(" ")
        if scheme.lower() == "digest":
            items = urllib.request.parse_http_list(rest)
            self._challenge = urllib.request.parse_keqv_list([i for i in items if "=" in i])
        return super().http_error_auth_reqed(auth_header, host, req, headers)

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        if self._challenge is not None and not req.has_header("Authorization"):
            answer = self.get_authorization(req, self._challenge)
            if answer:
                req.add_unredirected_header("Authorization", f"Digest {answer}")
        return req

    https_request = http_request


def _site(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def _opener(
    urls: list[str], user: str | None, password: str | None
) -> urllib.request.OpenerDirector:
    """An opener that answers basic and digest challenges from the servers of ``urls``.

    Credentials are registered for each named server as a whole, so that ``/sparql``,
    ``/sparql-auth`` and ``/sparql-graph-crud-auth`` of one Virtuoso all get them; a server
    the caller did not name never does.
    """
    handlers: list[urllib.request.BaseHandler] = [_HTTPHandler(), _HTTPSHandler(), _Redirects()]
    if user is not None:
        manager = urllib.request.HTTPPasswordMgrWithPriorAuth()
        for url in urls:
            manager.add_password(None, _site(url), user, password or "")
        handlers += [_ReusingDigest(manager), urllib.request.HTTPBasicAuthHandler(manager)]
    return urllib.request.build_opener(*handlers)


def _server_message(body: bytes, content_type: str, sent: str | None = None) -> str:
    """A short window of a server's error message: never the request it may echo back.

    Virtuoso appends the whole query or update to its messages; that part is cut, and when
    the message names a line of ``sent``, that line is quoted instead (shortened).
    """
    text = body[:_ERROR_BODY_BYTES].decode("utf-8", "replace")
    if "html" in content_type or text.lstrip().startswith("<"):
        text = re.sub(r"<[^>]+>", " ", text)
        import html

        text = html.unescape(text)
    for marker in ("SPARQL query:", "SPARQL request:"):
        at = text.find(marker)
        if at > 0:
            text = text[:at]
    if sent:
        head = sent.strip()[:40]
        at = text.find(head) if len(head) >= 20 else -1
        if at > 0:
            text = text[:at]
    text = re.sub(r"\s+", " ", _CONTROL.sub(" ", text)).strip()
    text = _short(text, _MESSAGE_CHARS)
    m = re.search(r"\bline (\d+)\b", text)
    if sent and m:
        lines = sent.splitlines()
        n = int(m.group(1))
        if 0 < n <= len(lines):
            text += f" [line {n} of the request: {_short(lines[n - 1].strip(), 120)}]"
    return text


class _Http:
    """Requests to one endpoint: a total time limit, a size limit, errors that teach."""

    def __init__(
        self,
        url: str,
        user: str | None,
        password: str | None,
        timeout: float,
        *,
        also: tuple[str, ...] = (),
        max_bytes: int | None = None,
    ):
        self.url = check_url(url)
        for other in also:
            check_url(other)
        self.user = user
        self.timeout = _seconds(timeout)
        self.max_bytes = max_bytes if max_bytes is not None else _max_bytes_from_env()
        self.opener = _opener([url, *also], user, password)

    def request(
        self,
        url: str,
        *,
        method: str = "POST",
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        sent: str | None = None,
    ) -> tuple[bytes, Message]:
        """The body and headers of the answer; :class:`EndpointError` (or a subclass) on failure.

        Connecting, sending and reading all end within ``timeout`` seconds together
        (:class:`EndpointTimeoutError`); an answer larger than ``max_bytes`` is refused
        before more of it is read. ``sent`` is the request text, for quoting in errors.
        """
        req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
        watch = _Watch()
        timer = threading.Timer(self.timeout, watch.expire)
        timer.daemon = True
        previous = getattr(_LOCAL, "watch", None)
        _LOCAL.watch = watch
        timer.start()
        try:
            return self._send(url, req, watch, sent)
        finally:
            timer.cancel()
            _LOCAL.watch = previous

    def _send(
        self, url: str, req: urllib.request.Request, watch: _Watch, sent: str | None
    ) -> tuple[bytes, Message]:
        try:
            with self.opener.open(req, timeout=self.timeout) as response:
                body = self._read(url, response)
                headers = response.headers
        except urllib.error.HTTPError as exc:
            if watch.expired:
                raise self._timed_out(url) from None
            try:
                body = exc.read(_ERROR_BODY_BYTES) if exc.fp is not None else b""
            except (OSError, http.client.HTTPException):
                body = b""
            content_type = exc.headers.get("Content-Type", "") if exc.headers else ""
            raise self._http_error(url, exc.code, body, content_type, sent) from None
        except EndpointError:
            raise
        except ValueError as exc:  # urllib's digest handler on a scheme it does not know
            raise EndpointError(f"{url}: {_short(str(exc), _MESSAGE_CHARS)}") from None
        except urllib.error.URLError as exc:
            if watch.expired:
                raise self._timed_out(url) from None
            raise self._unreachable(url, exc.reason) from None
        except (OSError, http.client.HTTPException) as exc:
            if watch.expired or isinstance(exc, TimeoutError):
                raise self._timed_out(url) from None
            if isinstance(exc, http.client.HTTPException) and not isinstance(exc, OSError):
                raise EndpointAnswerError(
                    f"{url} broke off or garbled its answer ({type(exc).__name__}: "
                    f"{_short(_CONTROL.sub(' ', str(exc)), 120)})"
                ) from None
            raise self._unreachable(url, exc) from None
        if watch.expired:  # a read cut short by the time limit can look like the end
            raise self._timed_out(url)
        return body, headers

    def _read(self, url: str, response: Any) -> bytes:
        limit = self.max_bytes
        length = response.headers.get("Content-Length", "")
        if length.strip().isdigit() and int(length) > limit:
            raise self._too_big(url)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = response.read(min(1 << 16, limit + 1 - total))
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise self._too_big(url)
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_big(self, url: str) -> EndpointAnswerError:
        return EndpointAnswerError(
            f"{url} sent more than {_size(self.max_bytes)}; stopped reading it. "
            f"Narrow the query (LIMIT, a more specific pattern), or raise the limit with "
            f"{ENV_MAX_BYTES}=BYTES"
        )

    def authenticate(self, url: str) -> None:
        """Meet the server's authentication with a request without a body (a HEAD).

        Later requests then carry credentials from the start; wrong credentials fail here,
        before a large upload. Any answer other than 401/403 is fine.
        """
        try:
            self.request(url, method="HEAD")
        except EndpointError as exc:
            if "credentials" in str(exc) or isinstance(exc, EndpointTimeoutError):
                raise

    def _timed_out(self, url: str) -> EndpointTimeoutError:
        return EndpointTimeoutError(
            f"{url} did not answer in full within {self.timeout:g} s (the time limit); the "
            "server may be overloaded or unreachable, or the query too broad (add a LIMIT or "
            "a more specific pattern), or raise the limit with --timeout SECONDS",
            self.timeout,
        )

    def _unreachable(self, url: str, reason: object) -> EndpointError:
        host = urllib.parse.urlsplit(url).netloc
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return self._timed_out(url)
        if isinstance(reason, socket.gaierror):
            return EndpointError(
                f"cannot reach {url}: the host name {host.split(':')[0]!r} does not resolve (DNS); "
                "check the URL"
            )
        if isinstance(reason, (BrokenPipeError, ConnectionResetError)):
            return EndpointError(
                f"{url} closed the connection while the request was sent "
                "(the server may limit the request size or refuse the credentials)"
            )
        if isinstance(reason, ConnectionRefusedError):
            return EndpointError(
                f"cannot reach {url}: connection refused at {host}; "
                "is the SPARQL server running on that port?"
            )
        return EndpointError(f"cannot reach {url}: {_short(_CONTROL.sub(' ', str(reason)), 200)}")

    def _http_error(
        self, url: str, status: int, body: bytes, content_type: str, sent: str | None = None
    ) -> EndpointError:
        message = _server_message(body, content_type, sent)
        if status in (401, 403):
            if self.user is None:
                what = (
                    f"asks for credentials (HTTP {status}) and none were given: "
                    f"set {ENV_USER} and {ENV_PASSWORD}"
                )
            else:
                what = (
                    f"refused the credentials of user {self.user!r} (HTTP {status}): "
                    f"check {ENV_USER} and {ENV_PASSWORD}"
                )
            error = EndpointError(f"{url} {what}")
        elif status == 400:
            error = EndpointError(f"{url} rejected the request (HTTP 400): {message}")
        else:
            error = EndpointError(f"{url} answered HTTP {status}: {message}")
        error.status = status  # type: ignore[attr-defined]
        return error


def _credentials(user: str | None, password: str | None) -> tuple[str | None, str | None]:
    if user is None:
        user = os.environ.get(ENV_USER) or None
    if password is None:
        password = os.environ.get(ENV_PASSWORD)
    return user, password


# --- checking what an endpoint sends -------------------------------------------------------------

_TERM_TYPES = ("uri", "literal", "typed-literal", "bnode")
_BNODE_SAFE = re.compile(r"[A-Za-z0-9]")


def _bnode_label(value: str) -> str:
    """A blank node label any parser accepts, one-to-one with the endpoint's label.

    Virtuoso labels blank nodes ``nodeID://b10001``, which is no blank node label; letters
    and digits are kept and every other character (``_`` too) becomes ``_XX`` (its UTF-8
    bytes in hex), so two labels stay two labels and one node stays one node across answers.

    >>> _bnode_label("nodeID://b10001")
    'nodeID_3A_2F_2Fb10001'
    """
    out = []
    for c in value:
        if c.isascii() and _BNODE_SAFE.match(c):
            out.append(c)
        else:
            out.extend(f"_{b:02X}" for b in c.encode("utf-8"))
    return "".join(out) or "_"


def _bad_answer(url: str, what: str) -> EndpointAnswerError:
    return EndpointAnswerError(f"{url} answered with {what}; it is not a SPARQL endpoint answer")


def _check_term(url: str, value: Any) -> None:
    if not isinstance(value, dict):
        raise _bad_answer(url, f"a binding that is not a JSON object ({_short(repr(value), 80)})")
    kind = value.get("type")
    if kind not in _TERM_TYPES:
        raise _bad_answer(url, f"a term of unknown type {_short(repr(kind), 40)}")
    if not isinstance(value.get("value"), str):
        raise _bad_answer(url, "a term without a string value")
    for key in ("datatype", "xml:lang"):
        if key in value and not isinstance(value[key], str):
            raise _bad_answer(url, f"a term whose {key} is not a string")
    if kind == "typed-literal":  # SPARQL 1.0 style (Virtuoso)
        value["type"] = "literal"
    elif kind == "bnode":
        value["value"] = _bnode_label(value["value"])


def _results_document(url: str, data: bytes, content_type: str) -> dict[str, Any]:
    """The SPARQL JSON results in ``data``, checked for shape and rewritten where needed."""
    try:
        doc = json.loads(data)
    except RecursionError:
        raise _bad_answer(url, "JSON nested too deeply") from None
    except ValueError:
        raise EndpointAnswerError(
            f"{url} did not answer with SPARQL JSON results "
            f"(Content-Type {_short(content_type, 80) or 'none'}): "
            + _server_message(data[:500], content_type)
        ) from None
    if not isinstance(doc, dict):
        raise _bad_answer(url, f"a JSON {type(doc).__name__} instead of an object")
    if "boolean" in doc:
        if not isinstance(doc["boolean"], bool):
            raise _bad_answer(url, "an ASK answer that is not true or false")
        return {"head": {}, "boolean": doc["boolean"]}
    head, results = doc.get("head"), doc.get("results")
    if not isinstance(head, dict) or not isinstance(results, dict):
        raise _bad_answer(url, "JSON without the 'head' and 'results' of SPARQL results")
    names = head.get("vars", [])
    if not isinstance(names, list) or not all(
        isinstance(n, str) and _VARNAME.match(n) for n in names
    ):
        raise _bad_answer(url, "a 'head' whose 'vars' are not variable names")
    rows = results.get("bindings")
    if not isinstance(rows, list):
        raise _bad_answer(url, "results without a list of 'bindings'")
    for row in rows:
        if not isinstance(row, dict):
            raise _bad_answer(url, "a solution that is not a JSON object")
        for name, value in row.items():
            if name not in names:
                raise _bad_answer(url, f"a value for {_short(repr(name), 40)}, not one of its vars")
            _check_term(url, value)
    return {"head": {"vars": names}, "results": {"bindings": rows}}


def _validated(url: str, doc: dict[str, Any]) -> bytes:
    """``doc`` as JSON bytes, after checking every term parses as RDF (bad IRIs, tags, numbers)."""
    data = json.dumps(doc, ensure_ascii=False).encode()
    problem = _invalid_rdf(data)
    if problem is not None:
        raise _bad_answer(url, f"a term that is not valid RDF ({problem})")
    return data


def _invalid_rdf(data: bytes) -> str | None:
    """Why SPARQL JSON results ``data`` do not parse as RDF terms, or None.

    The pyoxigraph results object lives and dies inside this call: it may only be dropped on the
    thread that made it, and an exception raised while it was a local kept it alive in the
    traceback until some other thread's garbage collection dropped it (a RuntimeError)."""
    try:
        parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        if isinstance(parsed, ox.QuerySolutions):
            for _ in parsed:
                pass
    except (SyntaxError, ValueError, TypeError) as exc:
        return _short(_CONTROL.sub(" ", str(exc)), 200)
    return None


def _top_level_limit(text: str) -> int | None:
    """The LIMIT of the query's outermost level, if it has one."""
    body = strip_comments_and_strings(text)
    m = re.search(
        r"\bLIMIT\s+(\d+)(?:\s+OFFSET\s+\d+)?\s*(?:VALUES\b[^{}]*\{[^{}]*\})?\s*$", body, re.I
    )
    if m is None:
        m = re.search(r"\bOFFSET\s+\d+\s+LIMIT\s+(\d+)\s*$", body, re.I)
    return int(m.group(1)) if m else None


def _to_ntriples(url: str, data: bytes, content_type: str) -> bytes:
    mime = content_type.split(";")[0].strip().lower()
    if mime in ("application/n-triples", "text/plain", "text/ntriples", ""):
        fmt = ox.RdfFormat.N_TRIPLES
    else:
        fmt = ox.RdfFormat.from_media_type(mime) or ox.RdfFormat.TURTLE
    if fmt == ox.RdfFormat.RDF_XML and re.search(rb"<!(?:DOCTYPE|ENTITY)", data[: 1 << 20]):
        # entity declarations can expand a small answer into gigabytes ("billion laughs")
        raise _bad_answer(url, "RDF/XML that declares XML entities (refused: it can explode)")
    try:
        quads = ox.parse(data, format=fmt)
        return ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES) or b""
    except (SyntaxError, ValueError) as exc:
        message = _short(_CONTROL.sub(" ", str(exc)), 200)
        raise EndpointAnswerError(
            f"{url} sent a graph that does not parse as {fmt}: {message}"
        ) from None


# --- the engine ----------------------------------------------------------------------------------


class RemoteEngine:
    """A SPARQL 1.1 Protocol endpoint, queried over HTTP.

    ``default_graph`` (sent as ``default-graph-uri``; default: ``$RELAXGRAPH_ENDPOINT_GRAPH``)
    makes queries see only that named graph, e.g. the one :func:`push` filled.
    ``update_url`` is where updates go (by default ``url``; Virtuoso takes authenticated
    updates at ``/sparql-auth``). ``timeout`` bounds each request as a whole (connecting,
    sending and reading); ``max_bytes`` the size of each answer.
    """

    name = "remote"
    #: run() needs no child process for a time limit: each request ends within ``timeout``.
    in_process = True

    def __init__(
        self,
        url: str,
        *,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 60.0,
        default_graph: str | None = None,
        update_url: str | None = None,
        max_bytes: int | None = None,
    ):
        self.url = check_url(url)
        self.default_graph = default_graph or os.environ.get(ENV_GRAPH) or None
        self.update_url = check_url(update_url, "update") if update_url else url
        user, password = _credentials(user, password)
        self._http = _Http(
            url, user, password, timeout, also=(self.update_url,), max_bytes=max_bytes
        )
        self._row_cap: int | None = None  # the endpoint's row limit, once learned
        self._uncapped_up_to = 0  # graph answers up to this size are known to be whole
        self._nested_pages = False  # the endpoint sorts past its limit only in a subquery

    def __repr__(self) -> str:
        return f"RemoteEngine({self.url!r})"

    @property
    def timeout(self) -> float:
        """Seconds each request may take in all (the CLI sets it from ``--timeout``)."""
        return self._http.timeout

    @timeout.setter
    def timeout(self, seconds: float) -> None:
        self._http.timeout = _seconds(seconds)

    def _post(self, query: str, *, graph: bool, with_dataset: bool = True) -> tuple[bytes, Message]:
        form: list[tuple[str, str]] = [("query", query)]
        if self.default_graph and with_dataset:
            form.append(("default-graph-uri", self.default_graph))
        return self._http.request(
            self.url,
            data=urllib.parse.urlencode(form).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": _GRAPH_ACCEPT if graph else _RESULTS_ACCEPT,
            },
        )

    def execute(self, text: str, bindings: Mapping[str, Term]) -> RawResult:
        kind = query_kind(text)
        graph = kind in ("construct", "describe")
        data, headers = self._post(with_values(text, bindings), graph=graph)
        content_type = headers.get("Content-Type", "")
        self._refuse_partial(headers)
        if graph:
            triples = _to_ntriples(self.url, data, content_type)
            self._check_graph_whole(triples.count(b"\n"), headers)
            return RawResult("graph", triples)
        doc = _results_document(self.url, data, content_type)
        if "boolean" in doc:
            return RawResult("ask", json.dumps(doc).encode())
        rows = doc["results"]["bindings"]
        if kind == "ask":  # Virtuoso answers ASK as a one-row SELECT of ?__ASK_RETVAL
            values = [v.get("value") for row in rows for v in row.values()]
            answer = bool(values) and values[0] not in ("0", "false")
            return RawResult("ask", json.dumps({"head": {}, "boolean": answer}).encode())
        cap = _cap(headers)
        if cap is not None and len(rows) >= cap:
            limit = _top_level_limit(text)
            if limit is None or limit > cap:
                raise self._partial(cap, "rows")
        return RawResult("select", _validated(self.url, doc))

    def update(self, text: str) -> None:
        self._http.request(
            self.update_url,
            data=urllib.parse.urlencode([("update", text)]).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            sent=text,
        )

    # --- answers cut short ---

    def _refuse_partial(self, headers: Message) -> None:
        state = headers.get("X-SQL-State")
        if state:  # Virtuoso's "anytime" answer: what it found before its own time limit
            message = _short(_CONTROL.sub(" ", headers.get("X-SQL-Message", "")), 200)
            raise PartialResultError(
                f"{self.url} stopped the query at its own time limit and sent part of the "
                f"answer ({_short(state, 20)}: {message}); none of it is used. Narrow the "
                "query, or raise the server's limit (Virtuoso: MaxQueryExecutionTime)"
            )

    def _partial(self, cap: int, what: str) -> PartialResultError:
        return PartialResultError(
            f"{self.url} cut the answer short at {cap:,} {what} (its result limit); none of it "
            "is used. Narrow the query (LIMIT and OFFSET to take it in parts), or raise the "
            "server's limit (Virtuoso: ResultSetMaxRows). `relaxgraph export --endpoint` pages "
            "through on its own.",
            max_rows=cap,
        )

    def _check_graph_whole(self, n: int, headers: Message) -> None:
        """Virtuoso cuts CONSTRUCT answers at its row limit without saying so; find out."""
        if n == 0 or not headers.get("Server", "").startswith("Virtuoso"):
            return
        cap = self._row_cap if self._row_cap is not None else _cap(headers)
        if cap is None and n > self._uncapped_up_to:
            cap = self._probe_row_cap(n)
        if cap is not None and n >= cap:
            raise self._partial(cap, "triples")

    def _probe_row_cap(self, n: int) -> int | None:
        """Ask for ``n`` rows made of nothing; Virtuoso says ``X-SPARQL-MaxRows`` if it cuts them."""
        digits = max(1, math.ceil(math.log10(n + 1)))
        ten = " ".join(str(i) for i in range(10))
        blocks = " ".join(f"VALUES ?d{i} {{ {ten} }}" for i in range(digits))
        _, headers = self._post(
            f"SELECT ?d0 WHERE {{ {blocks} }} LIMIT {n}", graph=False, with_dataset=False
        )
        cap = _cap(headers)
        if cap is None:
            self._uncapped_up_to = n
        else:
            self._row_cap = cap
        return cap

    # --- the whole graph, page by page ---

    def all_triples(self) -> list[ox.Triple]:
        """Every triple queries see (the default graph), in pages if the endpoint cuts answers.

        The first answer is checked against the endpoint's count of the same triples: an
        endpoint that cuts answers at a row limit, whether it says so (Virtuoso's
        ``X-SPARQL-MaxRows``) or not (a short answer), is then read in pages of that size,
        ``ORDER BY ?s ?p ?o`` with ``OFFSET``/``LIMIT``. Where the endpoint refuses to sort
        past a limit of its own (Virtuoso's 10,000-row "sorted TOP", error SR353), the pages
        take the sorted query as a subquery, the form Virtuoso pages without that limit. The
        pages are checked against the count, and :class:`PartialResultError` says so when they
        disagree (the data changed meanwhile, or the endpoint's order is not total), so that a
        part is never passed on as the whole.
        """
        from ..querying.sparql import run

        select = "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"
        try:
            first: list[tuple[Term | None, ...]] | None = run(self, select).terms
            page = 0
        except PartialResultError as exc:
            if not exc.max_rows:
                raise
            first, page = None, exc.max_rows
        expected = self._count(select)
        if first is not None:
            if len(first) == expected:
                return self._triples_of(first)
            if not first or len(first) > expected:
                raise PartialResultError(
                    f"{self.url} sent {len(first):,} triples but counts {expected:,}; "
                    "nothing was written. Try again when the data has stopped changing"
                )
            page = len(first)  # a row limit the endpoint did not announce
        triples: list[ox.Triple] = []
        for offset in range(0, expected, page):
            rows = self._page(select, offset, page)
            if not rows:
                break
            triples.extend(self._triples_of(rows))
        if len(triples) != expected or len(set(triples)) != expected:
            raise PartialResultError(
                f"{self.url} holds {expected:,} triples but its pages of {page:,} gave "
                f"{len(set(triples)):,} different ones (the data changed meanwhile, or its "
                "ORDER BY is not a total order); nothing was written. Raise the server's row "
                "limit (Virtuoso: ResultSetMaxRows) above the graph's size",
                max_rows=page,
            )
        return triples

    def _count(self, select: str) -> int:
        from ..querying.sparql import run

        counted = run(self, f"SELECT (COUNT(*) AS ?n) WHERE {{ {select} }}").terms
        total = counted[0][0] if counted and counted[0] else None
        if not isinstance(total, ox.Literal) or not total.value.isdigit():
            raise _bad_answer(self.url, "a count that is not a number")
        return int(total.value)

    def _page(self, select: str, offset: int, page: int) -> list[tuple[Term | None, ...]]:
        """One page of ``select`` in a total order; as a subquery where the server asks for it."""
        from ..querying.sparql import run

        ordered = f"{select} ORDER BY ?s ?p ?o"
        nested = f"SELECT ?s ?p ?o WHERE {{ {{ {ordered} }} }} OFFSET {offset} LIMIT {page}"
        if self._nested_pages:
            return run(self, nested).terms
        try:
            return run(self, f"{ordered} OFFSET {offset} LIMIT {page}").terms
        except EndpointError as exc:
            if "SR353" not in str(exc):  # Virtuoso: "Sorted TOP clause specifies more than ..."
                raise
        self._nested_pages = True
        try:
            return run(self, nested).terms
        except EndpointError as exc:
            raise PartialResultError(
                f"{self.url} cuts answers at {page:,} rows and refuses to sort past its own "
                f"limit to read the rows after {offset:,}, even as a subquery ({exc}); "
                "nothing was written. Raise the server's row limit (Virtuoso: "
                "ResultSetMaxRows) above the graph's size",
                max_rows=page,
            ) from None

    def _triples_of(self, rows: list[tuple[Term | None, ...]]) -> list[ox.Triple]:
        try:
            return [ox.Triple(s, p, o) for s, p, o in rows]  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise _bad_answer(
                self.url, "a triple whose subject or predicate cannot be one"
            ) from None


def _cap(headers: Message) -> int | None:
    raw = (headers.get("X-SPARQL-MaxRows") or "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


# --- pushing a graph ---------------------------------------------------------------------------

#: Default chunk limits for a push by SPARQL Update. Virtuoso 7 refuses an update of about
#: 1,450 triples or more of this graph (SP031: the generated SQL text is too long; SP030:
#: memory exhausted), so the default stays well below, and a refused chunk is halved and sent again.
DEFAULT_CHUNK_TRIPLES = 1000
DEFAULT_CHUNK_BYTES = 256 << 10


def _triples(source: ox.Store | Engine) -> list[ox.Triple]:
    if isinstance(source, ox.Store):
        from ..data.layer_registry import union_triples

        return list(union_triples(source))  # the default graph and the layers, as one graph
    if isinstance(source, RemoteEngine):
        return source.all_triples()
    from ..querying.sparql import run

    return run(source, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").triples


def _data_term(term: Any) -> str:
    """A term of the data written with its datatype spelled out (``"80"^^xsd:decimal``, not ``80``)."""
    if isinstance(term, ox.BlankNode):
        return f"_:{_bnode_label(term.value)}"
    return sparql_term(term)


def _groups(triples: list[ox.Triple]) -> list[tuple[str, int, bool]]:
    """The triples as (N-Triples lines, triple count, has blank nodes) groups to send whole.

    Triples that share a blank node form one group: a blank node label names a new node in
    every update request, so they must arrive together. Every other triple is a group.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    ground: list[ox.Triple] = []
    with_blank: list[tuple[ox.Triple, list[str]]] = []
    for t in triples:
        blanks = [term.value for term in (t.subject, t.object) if isinstance(term, ox.BlankNode)]
        if not blanks:
            ground.append(t)
            continue
        with_blank.append((t, blanks))
        for b in blanks[1:]:
            parent[find(b)] = find(blanks[0])
    linked: dict[str, list[ox.Triple]] = {}
    for t, blanks in with_blank:
        linked.setdefault(find(blanks[0]), []).append(t)

    def lines(group: list[ox.Triple]) -> str:
        return "".join(
            f"{_data_term(t.subject)} {_data_term(t.predicate)} {_data_term(t.object)} .\n"
            for t in group
        )

    out = [(lines(g), len(g), True) for g in linked.values()]
    out += [(lines([t]), 1, False) for t in ground]
    return out


def _may_be_too_big(exc: EndpointError) -> bool:
    """Whether a refused update might pass in smaller pieces (not a time-out or a refusal of credentials)."""
    if isinstance(exc, EndpointTimeoutError):
        return False
    status = getattr(exc, "status", None)
    if status is not None:
        return status in (400, 413, 500, 503)
    return "closed the connection" in str(exc)


def _note(exc: EndpointError, prefix: str) -> EndpointError:
    exc.args = (f"{prefix}{exc}",)
    return exc


def push(
    source: ox.Store | Engine,
    url: str,
    graph_iri: str,
    *,
    graph_store: str | None = None,
    update_url: str | None = None,
    user: str | None = None,
    password: str | None = None,
    timeout: float = 300.0,
    chunk_size: int = DEFAULT_CHUNK_TRIPLES,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
) -> int:
    """Upload the default graph of ``source`` into the named graph ``graph_iri`` of an endpoint.

    Idempotent: the named graph is replaced, so pushing twice leaves one copy. A push that
    fails leaves the named graph as it was.

    - With ``graph_store`` (a SPARQL 1.1 Graph Store Protocol URL, e.g. Virtuoso's
      ``/sparql-graph-crud-auth``): a ``PUT`` of the whole graph into a staging graph, and
      only when the server has accepted all of it, the same ``PUT`` into the named graph and
      a ``DELETE`` of the staging graph. (A ``PUT`` is not atomic everywhere: Virtuoso keeps
      the triples before a parse error and drops the rest of the graph.)
    - Otherwise, SPARQL 1.1 Update at ``update_url`` (default ``url``): the triples go into
      a new staging graph in chunks of at most ``chunk_size`` triples and ``chunk_bytes``
      bytes (a chunk the server refuses is halved and sent again, and later chunks keep the
      smaller size), then one ``MOVE`` replaces the named graph with the staging graph. If
      anything fails before the move, the staging graph is dropped and the named graph is
      untouched. Literals are written with their datatypes spelled out, so the pushed graph
      is the same graph (isomorphic) by either method.

    Returns the number of triples sent. Raises :class:`EndpointError` on failure.
    """
    target = _iri(graph_iri)
    if chunk_size < 1 or chunk_bytes < 1:
        raise QueryError(f"the chunk size must be at least 1, not {min(chunk_size, chunk_bytes)}")
    user, password = _credentials(user, password)
    if graph_store is not None:
        return _put_graph(_triples(source), graph_store, graph_iri, user, password, timeout)
    engine = RemoteEngine(url, user=user, password=password, timeout=timeout, update_url=update_url)
    triples = _triples(source)
    engine._http.authenticate(engine.update_url)
    if not triples:
        engine.update(f"DROP SILENT GRAPH {target}")
        return 0
    staging = _iri(f"{graph_iri}-relaxgraph-staging-{secrets.token_hex(8)}")
    try:
        _send_chunks(engine, _groups(triples), staging, chunk_size, chunk_bytes)
        engine.update(f"MOVE GRAPH {staging} TO GRAPH {target}")
    except EndpointError as exc:
        with contextlib.suppress(EndpointError):
            engine.update(f"DROP SILENT GRAPH {staging}")
        raise _note(exc, f"push stopped; {target} was left as it was: ") from None
    return len(triples)


def _put_graph(
    triples: list[ox.Triple],
    graph_store: str,
    graph_iri: str,
    user: str | None,
    password: str | None,
    timeout: float,
) -> int:
    """The Graph Store Protocol half of :func:`push`: staging PUT, PUT, DELETE staging."""
    http = _Http(graph_store, user, password, timeout)
    staging = f"{graph_iri}-relaxgraph-staging-{secrets.token_hex(8)}"
    _iri(staging)

    def at(graph: str) -> str:
        sep = "&" if "?" in graph_store else "?"
        return f"{graph_store}{sep}{urllib.parse.urlencode({'graph': graph})}"

    payload = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    # N-Triples is Turtle; text/turtle is the one media type every graph store accepts.
    headers = {"Content-Type": "text/turtle; charset=utf-8"}
    http.authenticate(at(staging))
    try:
        http.request(at(staging), method="PUT", data=payload, headers=headers)
    except EndpointError as exc:
        with contextlib.suppress(EndpointError):
            http.request(at(staging), method="DELETE")
        raise _note(exc, f"push stopped; <{graph_iri}> was left as it was: ") from None
    try:
        http.request(at(graph_iri), method="PUT", data=payload, headers=headers)
    except EndpointError as exc:
        raise _note(
            exc,
            f"push stopped while replacing <{graph_iri}>; the whole new graph is in "
            f"<{staging}> (delete it, or push again): ",
        ) from None
    with contextlib.suppress(EndpointError):
        http.request(at(staging), method="DELETE")
    return len(triples)


def _send_chunks(
    engine: RemoteEngine,
    groups: list[tuple[str, int, bool]],
    graph: str,
    chunk_size: int,
    chunk_bytes: int,
) -> None:
    """INSERT ``groups`` into ``graph``, halving the chunk whenever the server refuses one."""
    i = 0
    while i < len(groups):
        j, count, size, blank = i, 0, 0, False
        while j < len(groups):
            text, n, has_blank = groups[j]
            if j > i and (count + n > chunk_size or size + len(text) > chunk_bytes):
                break
            count, size, blank = count + n, size + len(text), blank or has_blank
            j += 1
        body = "".join(g[0] for g in groups[i:j])
        # INSERT DATA may not hold blank nodes on some stores (Virtuoso); a template may.
        if blank:
            update = f"INSERT {{ GRAPH {graph} {{\n{body}}} }} WHERE {{}}"
        else:
            update = f"INSERT DATA {{ GRAPH {graph} {{\n{body}}} }}"
        try:
            engine.update(update)
        except EndpointError as exc:
            if j - i > 1 and _may_be_too_big(exc):
                chunk_size = max(1, count // 2)
                chunk_bytes = max(1, size // 2)
                continue
            what = f"{count:,} triple{'s' if count != 1 else ''} ({_size(size)})"
            raise _note(exc, f"a chunk of {what} was refused: ") from None
        i = j
