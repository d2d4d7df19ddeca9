"""Running SPARQL: engines, safe parameter binding, time limits and results.

An :class:`Engine` answers a query text with parameters bound as RDF terms (never
spliced into the text). The engines live in :mod:`relaxgraph.storage.engines`
(:class:`~relaxgraph.storage.engines.OxigraphEngine`, the embedded default, and
:class:`~relaxgraph.storage.engines.RdflibEngine`) and :mod:`relaxgraph.storage.remote`
(a SPARQL 1.1 Protocol endpoint); they share one interface. Every engine hands
back the W3C result format (SPARQL JSON results, or N-Triples for graphs) so a
:class:`Result` looks the same whichever engine produced it.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import signal
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, Protocol

import pyoxigraph as ox

from .._iris import PREFIXES
from ..errors import (
    InvalidArgumentError,
    QueryError,
    QueryMemoryError,
    QuerySyntaxError,
    QueryTimeoutError,
    RelaxgraphError,
    ResultTooLargeError,
    UpdateRefusedError,
)
from .guard import check_query_text

__all__ = [
    "DEFAULT_MEMORY_LIMIT",
    "DEFAULT_TIMEOUT",
    "GRAPH_FORMATS",
    "MAX_TIMEOUT",
    "QUERY_FORMATS",
    "SELECT_FORMATS",
    "Engine",
    "Result",
    "Term",
    "check_memory_limit",
    "check_syntax",
    "check_timeout",
    "python_value",
    "query_kind",
    "run",
]

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Kind = Literal["select", "ask", "graph"]

#: Output formats for SELECT/ASK results (W3C SPARQL 1.1 result formats) and graphs.
_RESULT_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}
_GRAPH_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}
#: The formats :meth:`Result.serialize` writes a SELECT or ASK result in.
SELECT_FORMATS: tuple[str, ...] = tuple(_RESULT_FORMATS)
#: The formats :meth:`Result.serialize` writes a graph (CONSTRUCT, DESCRIBE) in.
GRAPH_FORMATS: tuple[str, ...] = tuple(_GRAPH_FORMATS)
#: Every format a query result can be written in: ``table`` (for people, see
#: :func:`relaxgraph.api.format_result`), then :data:`SELECT_FORMATS` and :data:`GRAPH_FORMATS`.
#: ``relaxgraph query --format`` offers exactly these.
QUERY_FORMATS: tuple[str, ...] = ("table", *SELECT_FORMATS, *GRAPH_FORMATS)

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
_PROLOGUE = re.compile(
    r"\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>)|(?:BASE\s+<[^>]*>)|(?:VERSION\s+\"[^\"]*\"))",
    re.IGNORECASE,
)

#: The longest time limit accepted, in seconds (one day).
MAX_TIMEOUT = 86_400.0
#: The time limit of the command line's queries, and of federated library queries.
DEFAULT_TIMEOUT = 10.0
#: Memory a query may use beyond what the process already holds, unless told otherwise (bytes).
DEFAULT_MEMORY_LIMIT = 2 * 2**30


def strip_bom(text: str) -> str:
    """``text`` without a leading UTF-8 byte-order mark (editors on Windows write one).

    >>> strip_bom("\\ufeffSELECT * {}")
    'SELECT * {}'
    """
    return text[1:] if text.startswith("\ufeff") else text


def check_timeout(value: float | None, option: str = "--timeout") -> float | None:
    """A validated time limit in seconds: a finite number above 0 and at most :data:`MAX_TIMEOUT`.

    ``None`` means no limit. Anything else raises :class:`InvalidArgumentError` (a ``ValueError``).

    >>> check_timeout(2.5)
    2.5
    >>> check_timeout(float("nan"))
    Traceback (most recent call last):
    ...
    relaxgraph.errors.InvalidArgumentError: --timeout nan is not a time limit: give a number of seconds above 0 and at most 86400 (one day).
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidArgumentError(
            f"{option} {value!r} is not a time limit: give a number of seconds, such as 10"
        )
    seconds = float(value)
    if not math.isfinite(seconds) or seconds <= 0 or seconds > MAX_TIMEOUT:
        raise InvalidArgumentError(
            f"{option} {seconds:g} is not a time limit: give a number of seconds above 0 and at "
            f"most {MAX_TIMEOUT:g} (one day)."
        )
    return seconds


_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?\s*", re.IGNORECASE)


def check_memory_limit(value: str | int | None, option: str = "--memory-limit") -> int | None:
    """A memory limit in bytes from ``512M``, ``2G``, ``1.5GiB`` or a number of bytes; ``0`` or
    ``None`` means no limit. At least 64 MiB: less cannot run a query.

    >>> check_memory_limit("512M")
    536870912
    >>> check_memory_limit("lots")
    Traceback (most recent call last):
    ...
    relaxgraph.errors.InvalidArgumentError: --memory-limit 'lots' is not a size: give bytes or a number with K, M, G or T (such as 512M or 2G), or 0 for no limit.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidArgumentError(f"{option} {value!r} is not a size")
    if isinstance(value, int):
        size = value
    else:
        m = _SIZE.fullmatch(str(value))
        if m is None:
            raise InvalidArgumentError(
                f"{option} {str(value)[:40]!r} is not a size: give bytes or a number with K, M, "
                "G or T (such as 512M or 2G), or 0 for no limit."
            )
        size = int(float(m.group(1)) * 1024 ** " KMGT".index(m.group(2).upper() or " "))
    if size == 0:
        return None
    if size < 64 * 2**20 or size > 2**50:
        raise InvalidArgumentError(
            f"{option} {value} is out of range: give at least 64M (or 0 for no limit)"
        )
    return size


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
_FORMS = {"select": "select", "ask": "ask", "construct": "graph", "describe": "graph"}


def _parse_only(text: str, source: str) -> None:
    """Parse ``text`` with Oxigraph's own parser without evaluating it.

    pyoxigraph has no parse-only call, but ``Store.query`` parses the text before it converts
    its ``default_graph`` argument: given one it cannot convert, it raises ``SyntaxError`` for
    text that does not parse and ``TypeError`` for text that does, and never evaluates (so a
    ``SERVICE`` is never called). ``tests/test_engine_safety.py`` pins this with a canary.
    """
    global _SYNTAX_STORE
    if _SYNTAX_STORE is None:
        _SYNTAX_STORE = ox.Store()
    try:
        _SYNTAX_STORE.query(text, default_graph="not a graph")  # type: ignore[arg-type]
    except SyntaxError as exc:
        raise syntax_error(exc, text, source) from None
    except TypeError:
        return
    raise QueryError(  # pragma: no cover - only if pyoxigraph changes its argument handling
        "this version of pyoxigraph evaluated a query that should only have been parsed; "
        "pin pyoxigraph to a version relaxgraph was tested with"
    )


def check_syntax(
    text: str,
    source: str = "query",
    *,
    allow_service: Collection[str] | bool = False,
    isolate: bool = False,
) -> str:
    """Parse ``text`` as a SPARQL query and return its form: ``select``, ``ask`` or ``graph``.

    Nothing is evaluated and nothing is fetched. The text is first checked by
    :func:`relaxgraph.querying.guard.check_query_text` (too long, nested too deeply, or calling a
    ``SERVICE`` not in ``allow_service``), then parsed; with ``isolate`` the parse runs in a
    child process, so that even a parser crash costs only that process.

    Raises :class:`QuerySyntaxError` (with line and column), :class:`UpdateRefusedError`
    for an update, and the guard's errors.
    """
    text = strip_bom(text)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidArgumentError(
            f"the {source} is not valid UTF-8 text (at character {exc.start + 1}); save it as UTF-8"
        ) from None
    check_query_text(text, allow_service=allow_service, source=source.removeprefix("the "))
    _refuse_updates(text)
    if isolate and hasattr(os, "fork"):

        def parse() -> RawResult:
            _parse_only(text, source)
            return RawResult("ask", b"")

        _in_child(parse, _PARSE_TIMEOUT, DEFAULT_MEMORY_LIMIT)
    else:
        _parse_only(text, source)
    return _FORMS.get(query_kind(text), "select")


#: Time allowed for parsing one query in a child process (it takes milliseconds).
_PARSE_TIMEOUT = 30.0


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


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def term_json(term: Any) -> dict[str, Any]:
    """One term in the W3C SPARQL 1.1 (and 1.2, for triple terms) JSON results format."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    parts = ("subject", "predicate", "object")
    return {"type": "triple", "value": {k: term_json(getattr(term, k)) for k in parts}}


def _solutions_json(variables: list[str], rows: list[Any]) -> bytes:
    """SELECT solutions as SPARQL JSON results (used when rows are counted as they come)."""
    import json

    bindings = [
        {
            name: term_json(term)
            for name, term in zip(variables, row, strict=True)
            if term is not None
        }
        for row in rows
    ]
    document = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False).encode()


def _check_variable(name: object) -> ox.Variable:
    try:
        if not isinstance(name, str):
            raise TypeError(name)
        return ox.Variable(name)
    except (TypeError, ValueError):
        shown = repr(name) if len(repr(name)) <= 60 else repr(name)[:60] + "…"
        raise InvalidArgumentError(
            f"{shown} is not a SPARQL variable name: use letters, digits and _ "
            "(no ?, spaces or punctuation), e.g. drug"
        ) from None


def _engine_failure(exc: BaseException) -> QueryError:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return QueryError(f"the store could not answer: {first[:500]}")


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


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this (child) process when its parent dies, however it dies."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux: the parent still kills it
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _limit_memory(limit: int) -> None:
    """Cap this process's address space at what it holds now plus ``limit`` bytes."""
    import resource

    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            held = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):  # pragma: no cover - no /proc: count from zero
        held = 0
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = held + limit
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _child_main(
    fn: Callable[[], RawResult], parent: int, out_fd: int, err_fd: int, memory_limit: int | None
) -> None:
    """Body of the forked child: never returns (always ends in ``os._exit``)."""
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C stops the child at once
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _die_with_parent(parent)
        import faulthandler

        faulthandler.disable()  # a crash here is reported by the parent, in one line
        os.dup2(err_fd, 2)  # the engine's own messages (an allocation failure) go to the parent
        if memory_limit is not None:
            _limit_memory(memory_limit)
        try:
            raw = fn()
            payload = b"O" + raw.kind.encode().ljust(6) + raw.data
        except BaseException as exc:
            import pickle

            if isinstance(exc, MemoryError) and memory_limit is not None:
                exc = QueryMemoryError(memory_limit)
            try:
                payload = b"E" + pickle.dumps(exc)
            except Exception:
                payload = b"E" + pickle.dumps(QueryError(str(exc)[:2000]))
        view = memoryview(payload)
        while view:
            n = os.write(out_fd, view)
            view = view[n:]
    except BaseException:
        status = 1
    finally:
        os._exit(status)


def _read_child(
    pid: int, out_fd: int, err_fd: int, timeout: float | None
) -> tuple[bytes, bytes, bool]:
    """Collect the child's answer and its stderr until both close or ``timeout`` passes.

    Returns ``(payload, stderr tail, timed out)``. Uses ``poll`` (no ``select`` limit on
    descriptor numbers); a KeyboardInterrupt propagates, and the caller kills the child.
    """
    import select
    import time

    deadline = None if timeout is None else time.monotonic() + timeout
    poller = select.poll()
    poller.register(out_fd, select.POLLIN)
    poller.register(err_fd, select.POLLIN)
    open_fds = {out_fd, err_fd}
    chunks: list[bytes] = []
    err = b""
    while open_fds:
        wait_ms = None
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return b"".join(chunks), err, True
            wait_ms = max(1, int(remaining * 1000))
        for fd, _ in poller.poll(wait_ms):
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                poller.unregister(fd)
                open_fds.discard(fd)
            elif fd == out_fd:
                chunks.append(chunk)
            else:
                err = (err + chunk)[-8192:]
    return b"".join(chunks), err, False


def _in_child(
    fn: Callable[[], RawResult], timeout: float | None, memory_limit: int | None = None
) -> RawResult:
    """Run ``fn`` in a forked child with a time and a memory limit, and hand back its result.

    pyoxigraph evaluates a query inside one native call that Python cannot interrupt, and
    its parser and evaluator can exhaust the stack or the memory; in a child process the time
    limit is a kill, the memory limit is the child's address space (``RLIMIT_AS``) and a crash
    costs only the child. Nothing outlives the call: the child is killed when the time is up,
    when the caller is interrupted (Ctrl-C), and, through ``PR_SET_PDEATHSIG``, when the
    calling process dies.
    """
    read_fd, write_fd = os.pipe()
    err_read, err_write = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        os.close(err_read)
        _child_main(fn, parent, write_fd, err_write, memory_limit)
    os.close(write_fd)
    os.close(err_write)
    reaped = False
    status = 0
    try:
        payload, err, timed_out = _read_child(pid, read_fd, err_read, timeout)
        if not timed_out:
            _, status = os.waitpid(pid, 0)
            reaped = True
    finally:
        os.close(read_fd)
        os.close(err_read)
        if not reaped:
            with contextlib.suppress(ProcessLookupError):  # it may have ended meanwhile
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    if timed_out:
        assert timeout is not None
        raise QueryTimeoutError(timeout)
    return _child_answer(payload, err, status, memory_limit)


def _child_answer(payload: bytes, err: bytes, status: int, memory_limit: int | None) -> RawResult:
    if payload[:1] == b"O":
        kind = payload[1:7].decode().strip()
        return RawResult(kind, payload[7:])  # type: ignore[arg-type]
    if payload[:1] == b"E":
        import pickle

        error = pickle.loads(payload[1:])
        if isinstance(error, RelaxgraphError):
            raise error
        if isinstance(error, KeyboardInterrupt):  # pragma: no cover - the child ignores SIGINT
            raise error
        raise _engine_failure(error)
    if memory_limit is not None and b"memory allocation of" in err:
        raise QueryMemoryError(memory_limit)
    how = (
        f"signal {signal.Signals(os.WTERMSIG(status)).name}"
        if os.WIFSIGNALED(status)
        else f"exit status {os.waitstatus_to_exitcode(status)}"
    )
    detail = err.decode("utf-8", "replace").strip().splitlines()
    said = f" ({detail[0][:200]})" if detail else ""
    raise QueryError(
        f"the query process ended without an answer ({how}){said}; the query may be too large "
        "or too deeply nested for the engine: simplify it"
    )


def run(
    engine: Engine,
    text: str,
    bindings: Mapping[str, Term] | None = None,
    *,
    timeout: float | None = None,
    memory_limit: int | None = None,
    max_rows: int | None = None,
    allow_service: Collection[str] | bool = False,
) -> Result:
    """Run a SPARQL query on ``engine`` and return its :class:`Result`.

    Parameters are bound as RDF terms, never spliced into the text. Updates are refused
    (see :class:`~relaxgraph.errors.UpdateRefusedError`). With ``timeout`` (seconds) or
    ``memory_limit`` (bytes beyond what this process holds) the query runs in a child
    process that is stopped when it passes either (:class:`QueryTimeoutError`,
    :class:`QueryMemoryError`). ``max_rows`` caps the rows (or triples) of the result,
    counted as they are produced (:class:`ResultTooLargeError`). The text is first checked by
    :func:`relaxgraph.querying.guard.check_query_text`; ``SERVICE`` may call only the endpoints in
    ``allow_service`` (or any, with ``True``).
    """
    text = strip_bom(text)
    check_query_text(text, allow_service=allow_service)
    _refuse_updates(text)
    timeout = check_timeout(timeout)
    binds = dict(bindings or {})
    for key in binds:
        _check_variable(key)

    def execute() -> RawResult:
        from ..storage.engines import OxigraphEngine

        if max_rows is not None and isinstance(engine, OxigraphEngine):
            return engine.execute(text, binds, max_rows=max_rows)
        return engine.execute(text, binds)

    isolate = timeout is not None or memory_limit is not None
    if not isolate or not hasattr(os, "fork") or getattr(engine, "in_process", False):
        result = Result.from_raw(execute())
    else:
        result = Result.from_raw(_in_child(execute, timeout, memory_limit))
    if max_rows is not None and result.kind != "ask" and len(result) > max_rows:
        raise ResultTooLargeError(max_rows, "triples" if result.kind == "graph" else "rows")
    return result
