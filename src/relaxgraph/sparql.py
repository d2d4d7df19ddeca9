"""Running SPARQL: engines, safe parameter binding, time limits and results.

An :class:`Engine` answers a query text with parameters bound as RDF terms (never
spliced into the text). Three engines share one interface: :class:`OxigraphEngine`
(the embedded default), :class:`RdflibEngine` (rdflib's own store, for comparison)
and, in :mod:`relaxgraph.remote`, a SPARQL 1.1 Protocol endpoint. Every engine hands
back the W3C result format (SPARQL JSON results, or N-Triples for graphs) so a
:class:`Result` looks the same whichever engine produced it.
"""

from __future__ import annotations

import os
import re
import select
import signal
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, Protocol

import pyoxigraph as ox

from ._iris import PREFIXES
from .errors import QueryError, QuerySyntaxError, QueryTimeoutError, UpdateRefusedError

__all__ = [
    "QUERY_FORMATS",
    "Engine",
    "OxigraphEngine",
    "RdflibEngine",
    "Result",
    "Term",
    "check_syntax",
    "python_value",
    "query_kind",
    "run",
]

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Kind = Literal["select", "ask", "graph"]

#: Output formats for SELECT/ASK results (W3C SPARQL 1.1 result formats) and graphs.
QUERY_FORMATS = ("table", "csv", "tsv", "json", "xml", "ttl", "nt")

_RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}
_GRAPH_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}

_UPDATE_KEYWORDS = (
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "CREATE",
    "DROP",
    "COPY",
    "MOVE",
    "ADD",
    "WITH",
)
_PROLOGUE = re.compile(r"\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>)|(?:BASE\s+<[^>]*>))", re.IGNORECASE)


def strip_comments_and_strings(text: str) -> str:
    """``text`` with IRIs, string literals and comments blanked out, for keyword scanning.

    >>> strip_comments_and_strings('PREFIX x: <http://a/b#> # note\\nSELECT ("#" AS ?s) {}')
    'PREFIX x: <> \\nSELECT ("" AS ?s) {}'
    """
    text = re.sub(r"<[^<>\"{}|^`\\\s]*>", "<>", text)
    text = re.sub(r"'''.*?'''|\"\"\".*?\"\"\"", '""', text, flags=re.DOTALL)
    text = re.sub(r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'", '""', text)
    return re.sub(r"#[^\n]*", "", text)


def query_kind(text: str) -> str:
    """The form of a SPARQL request: ``select``, ``ask``, ``construct``, ``describe`` or ``update``.

    >>> query_kind("PREFIX ex: <http://x/> SELECT * WHERE { ?s ?p ?o }")
    'select'
    >>> query_kind("# comment\\nDROP ALL")
    'update'
    """
    body = strip_comments_and_strings(text)
    while True:
        m = _PROLOGUE.match(body)
        if not m:
            break
        body = body[m.end() :]
    word = body.strip().split(None, 1)[0].upper() if body.strip() else ""
    word = re.split(r"[^A-Z]", word)[0]
    if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
        return word.lower()
    if word in _UPDATE_KEYWORDS:
        return "update"
    return "unknown"


def _refuse_updates(text: str) -> None:
    if query_kind(text) == "update":
        body = strip_comments_and_strings(text)
        while (m := _PROLOGUE.match(body)) is not None:
            body = body[m.end() :]
        raise UpdateRefusedError(body.split(None, 1)[0].upper())


_POSITION = re.compile(r"error at (\d+):(\d+): ?(.*)", re.DOTALL)


def syntax_error(exc: SyntaxError, text: str, source: str = "query") -> QuerySyntaxError:
    """Turn pyoxigraph's parser message into a :class:`QuerySyntaxError` with line and column."""
    message = str(exc.msg if getattr(exc, "msg", None) else exc)
    m = _POSITION.search(message)
    if m:
        return QuerySyntaxError(m.group(3).strip(), text, int(m.group(1)), int(m.group(2)), source)
    return QuerySyntaxError(message, text, None, None, source)


_SYNTAX_STORE: ox.Store | None = None


def check_syntax(text: str, source: str = "query") -> str:
    """Parse ``text`` as a SPARQL query and return its form; raise :class:`QuerySyntaxError` if it does not parse.

    Updates are refused with :class:`UpdateRefusedError`.
    """
    global _SYNTAX_STORE
    _refuse_updates(text)
    if _SYNTAX_STORE is None:
        _SYNTAX_STORE = ox.Store()
    try:
        result = _SYNTAX_STORE.query(text, prefixes=None)
    except SyntaxError as exc:
        raise syntax_error(exc, text, source) from None
    if isinstance(result, ox.QueryBoolean):
        return "ask"
    if isinstance(result, ox.QuerySolutions):
        return "select"
    return "graph"


@dataclass(frozen=True)
class RawResult:
    """What an engine hands back: the result form and its W3C serialization."""

    kind: Kind
    data: bytes  # SPARQL JSON results for select/ask, N-Triples for graphs


class Engine(Protocol):
    """Something that answers SPARQL queries."""

    #: A short name for messages and benchmarks.
    name: str

    def execute(self, text: str, bindings: Mapping[str, Term]) -> RawResult:
        """Run one query with ``bindings`` substituted for its variables."""
        ...

    def update(self, text: str) -> None:
        """Run one SPARQL update."""
        ...


def as_bytes(data: bytes | None) -> bytes:
    """pyoxigraph's serializers return bytes when given no output file; say so to the type checker."""
    if data is None:  # pragma: no cover - only when an output file was given
        raise TypeError("expected serialized bytes")
    return data


def _raw_from_ox(result: Any) -> RawResult:
    if isinstance(result, ox.QueryBoolean):
        return RawResult("ask", as_bytes(result.serialize(format=ox.QueryResultsFormat.JSON)))
    if isinstance(result, ox.QuerySolutions):
        return RawResult("select", as_bytes(result.serialize(format=ox.QueryResultsFormat.JSON)))
    return RawResult("graph", as_bytes(ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)))


class OxigraphEngine:
    """The embedded default: a pyoxigraph :class:`~pyoxigraph.Store`."""

    name = "oxigraph"

    def __init__(self, store: ox.Store):
        self.store = store

    def execute(self, text: str, bindings: Mapping[str, Term]) -> RawResult:
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]
        substitutions = {ox.Variable(k): v for k, v in bindings.items()}
        try:
            result = self.store.query(text, substitutions=substitutions or None)
            return _raw_from_ox(result)
        except SyntaxError as exc:
            raise syntax_error(exc, text) from None
        except (OSError, RuntimeError, ValueError, TypeError) as exc:
            raise QueryError(f"the store could not answer: {exc}") from None

    def update(self, text: str) -> None:
        try:
            self.store.update(text)
        except SyntaxError as exc:
            raise syntax_error(exc, text, "update") from None


class RdflibEngine:
    """rdflib's own SPARQL engine over an :class:`rdflib.Graph` (slower; for comparison and interop)."""

    name = "rdflib"

    def __init__(self, graph: Any):
        self.graph = graph

    def execute(self, text: str, bindings: Mapping[str, Term]) -> RawResult:
        from ._convert import term_to_rdflib

        init = {k: term_to_rdflib(v) for k, v in bindings.items()}
        try:
            result = self.graph.query(text, initBindings=init)
        except Exception as exc:  # rdflib raises pyparsing errors and others
            if exc.__class__.__name__ == "ParseException":
                line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
                raise QuerySyntaxError(str(exc), text, line, col) from None
            raise QueryError(f"rdflib could not run the query: {exc}") from None
        if result.type == "CONSTRUCT" or result.type == "DESCRIBE":
            return RawResult("graph", result.serialize(format="nt") or b"")
        data = result.serialize(format="json")
        return RawResult("ask" if result.type == "ASK" else "select", data or b"")

    def update(self, text: str) -> None:
        self.graph.update(text)


def python_value(term: Term | None) -> Any:
    """A result term as a plain Python value: numbers as numbers, booleans as bool, the rest as str.

    >>> python_value(ox.Literal("80", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")))
    80.0
    >>> python_value(ox.NamedNode("https://w3id.org/relaxgraph/id/baclofen"))
    'https://w3id.org/relaxgraph/id/baclofen'
    """
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value.rsplit("#", 1)[-1]
        try:
            if dt in _INTEGER_TYPES:
                return int(term.value)
            if dt in ("decimal", "double", "float"):
                return float(Decimal(term.value)) if dt == "decimal" else float(term.value)
            if dt == "boolean":
                return term.value in ("true", "1")
        except ValueError:
            return term.value
        return term.value
    return term.value


_INTEGER_TYPES = {
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte",
}  # fmt: skip


@dataclass
class Result:
    """The answer to one query, in the same shape whichever engine produced it."""

    kind: Kind
    data: bytes
    _solutions: list[tuple[Term | None, ...]] | None = field(default=None, repr=False)
    _variables: list[str] | None = field(default=None, repr=False)
    _triples: list[ox.Triple] | None = field(default=None, repr=False)

    @classmethod
    def from_raw(cls, raw: RawResult) -> Result:
        return cls(raw.kind, raw.data)

    def _parse(self) -> None:
        if self.kind == "graph":
            if self._triples is None:
                parsed = ox.parse(self.data, format=ox.RdfFormat.N_TRIPLES)
                self._triples = [q.triple for q in parsed]
            return
        if self._variables is None:
            parsed_results = ox.parse_query_results(self.data, format=ox.QueryResultsFormat.JSON)
            if isinstance(parsed_results, ox.QueryBoolean):
                self._variables, self._solutions = [], []
                return
            self._variables = [v.value for v in parsed_results.variables]
            self._solutions = [tuple(sol) for sol in parsed_results]

    @property
    def variables(self) -> list[str]:
        """The SELECT variables, in the query's order."""
        self._parse()
        return list(self._variables or [])

    @property
    def terms(self) -> list[tuple[Term | None, ...]]:
        """SELECT solutions as tuples of pyoxigraph terms (``None`` where unbound)."""
        self._parse()
        return list(self._solutions or [])

    @property
    def boolean(self) -> bool:
        """The answer of an ASK query."""
        if self.kind != "ask":
            raise QueryError("this result is not the answer of an ASK query")
        return bool(ox.parse_query_results(self.data, format=ox.QueryResultsFormat.JSON))

    @property
    def triples(self) -> list[ox.Triple]:
        """The triples of a CONSTRUCT or DESCRIBE result."""
        if self.kind != "graph":
            raise QueryError("this result is not a graph (use .rows for SELECT results)")
        self._parse()
        return list(self._triples or [])

    def rows(self) -> list[Any]:
        """SELECT solutions as named tuples of plain Python values (numbers as numbers)."""
        from collections import namedtuple

        cls = namedtuple("Row", self.variables, rename=True)  # type: ignore[misc]
        return [cls(*(python_value(t) for t in sol)) for sol in self.terms]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows() if self.kind == "select" else self.triples)

    def __len__(self) -> int:
        return (
            len(self.terms)
            if self.kind == "select"
            else len(self.triples)
            if self.kind == "graph"
            else 1
        )

    def serialize(self, format: str, prefixes: Mapping[str, str] | None = None) -> bytes:
        """The result in a W3C format: csv, tsv, json, xml (SELECT/ASK) or ttl, nt (graphs)."""
        if self.kind == "graph":
            if format not in _GRAPH_FORMATS:
                raise QueryError(f"a graph result is written as ttl or nt, not {format!r}")
            if format == "nt":
                return self.data
            used = prefixes if prefixes is not None else PREFIXES
            return as_bytes(
                ox.serialize(self.triples, format=ox.RdfFormat.TURTLE, prefixes=dict(used))
            )
        if format not in _RESULT_FORMATS:
            raise QueryError(
                f"a {self.kind.upper()} result is written as csv, tsv, json or xml, not {format!r}"
            )
        if format == "json":
            return self.data
        parsed = ox.parse_query_results(self.data, format=ox.QueryResultsFormat.JSON)
        return as_bytes(parsed.serialize(format=_RESULT_FORMATS[format]))

    def to_dataframe(self) -> Any:
        """The SELECT solutions as a pandas DataFrame (needs pandas)."""
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - depends on the environment
            raise QueryError(
                "to_dataframe() needs pandas: pip install 'relaxgraph[pandas]'"
            ) from None
        return pd.DataFrame([tuple(r) for r in self.rows()], columns=self.variables)


def _in_child(fn: Callable[[], RawResult], timeout: float) -> RawResult:
    """Run ``fn`` in a forked child and wait at most ``timeout`` seconds for it.

    pyoxigraph evaluates a query inside one native call that Python cannot interrupt,
    so the only reliable way to stop a runaway query is to run it in a child process.
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        try:
            raw = fn()
            payload = b"O" + raw.kind.encode().ljust(6) + raw.data
        except BaseException as exc:  # pragma: no cover - exercised through the parent
            import pickle

            try:
                payload = b"E" + pickle.dumps(exc)
            except Exception:
                payload = b"E" + pickle.dumps(QueryError(str(exc)))
        view = memoryview(payload)
        while view:
            n = os.write(write_fd, view)
            view = view[n:]
        os._exit(0)
    os.close(write_fd)
    import time

    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                os.kill(pid, signal.SIGKILL)
                raise QueryTimeoutError(timeout)
            ready, _, _ = select.select([read_fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
        os.waitpid(pid, 0)
    payload = b"".join(chunks)
    if payload[:1] == b"O":
        kind = payload[1:7].decode().strip()
        return RawResult(kind, payload[7:])  # type: ignore[arg-type]
    if payload[:1] == b"E":
        import pickle

        from .errors import RelaxgraphError

        error = pickle.loads(payload[1:])
        if isinstance(error, RelaxgraphError):
            raise error
        raise QueryError(f"the query failed: {error}")
    raise QueryError("the query process ended without an answer")


def run(
    engine: Engine,
    text: str,
    bindings: Mapping[str, Term] | None = None,
    *,
    timeout: float | None = None,
) -> Result:
    """Run a SPARQL query on ``engine`` and return its :class:`Result`.

    Parameters are bound as RDF terms, never spliced into the text. Updates are refused
    (see :class:`~relaxgraph.errors.UpdateRefusedError`). With ``timeout`` (seconds) the
    query runs in a child process that is stopped when the time is up.
    """
    _refuse_updates(text)
    binds = dict(bindings or {})
    if timeout is None or not hasattr(os, "fork") or getattr(engine, "in_process", False):
        return Result.from_raw(engine.execute(text, binds))
    return Result.from_raw(_in_child(lambda: engine.execute(text, binds), timeout))
