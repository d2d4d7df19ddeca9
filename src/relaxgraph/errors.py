"""The exceptions relaxgraph raises.

Every error derives from :class:`RelaxgraphError`; each message names the bad input,
where it is, and what to do about it. The command line turns them into a one-line
message and an exit code (see ``relaxgraph --help``) instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .querying.resolve import Entity

__all__ = [
    "AmbiguousEntityError",
    "CatalogueError",
    "DataFileError",
    "EndpointAnswerError",
    "EndpointError",
    "EndpointTimeoutError",
    "EndpointURLError",
    "FederationRefusedError",
    "InputTooLargeError",
    "InvalidArgumentError",
    "InvalidIRIError",
    "LayerRegistryError",
    "OutputPathError",
    "PartialResultError",
    "QueryError",
    "QueryMemoryError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "QueryTooComplexError",
    "RelaxgraphError",
    "RequestRefusedError",
    "ResultTooLargeError",
    "ServerConfigError",
    "StoreBusyError",
    "StoreError",
    "UnknownEntityError",
    "UnknownLayerError",
    "UnknownParameterError",
    "UnknownQueryError",
    "UpdateRefusedError",
    "ValidationFailed",
]


class RelaxgraphError(Exception):
    """Root of every error relaxgraph raises on purpose."""

    #: Exit code the command line uses for this error: 2 (bad input) unless a subclass says
    #: otherwise. Only :class:`ValidationFailed` uses 1 ("validation found violations").
    exit_code: int = 2

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take their own constructor arguments, so rebuild from the message and
        # attributes instead: errors cross process boundaries (a query run under a time limit).
        return (_rebuild, (self.__class__, str(self), dict(self.__dict__)))


def _rebuild(cls: type[RelaxgraphError], message: str, state: dict[str, Any]) -> RelaxgraphError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class DataFileError(RelaxgraphError):
    """An RDF data file cannot be read or parsed.

    Carries the file, the line (and column when known) and the parser's message.
    """

    exit_code = 2

    def __init__(self, path: str, message: str, line: int | None = None, column: int | None = None):
        self.path = path
        self.line = line
        self.column = column
        self.parser_message = message
        where = path if line is None else f"{path}:{line}" + (f":{column}" if column else "")
        super().__init__(f"{where}: {message}")


class QueryError(RelaxgraphError):
    """A query cannot be run."""

    exit_code = 2


class QuerySyntaxError(QueryError):
    """A SPARQL query does not parse; carries the line and column of the problem."""

    def __init__(
        self, message: str, query: str, line: int | None, column: int | None, source: str = "query"
    ):
        self.query = query
        self.line = line
        self.column = column
        self.parser_message = message
        self.source = source
        where = f"{source}, line {line}, column {column}" if line else source
        text = f"SPARQL syntax error in {where}: {message}"
        lines = query.splitlines()
        if line and 0 < line <= len(lines):
            shown, caret = _window(lines[line - 1], column)
            text += f"\n  {shown}"
            if caret is not None:
                text += "\n  " + " " * caret + "^"
        super().__init__(text)


#: Characters of the offending line quoted on each side of a syntax error's column.
WINDOW = 60


def _window(line: str, column: int | None) -> tuple[str, int | None]:
    """At most ``2 * WINDOW`` characters of ``line`` around ``column`` (1-based), and where the
    caret goes in them: a huge one-line query is quoted, never echoed whole.

    >>> _window("x" * 1000 + "!" + "y" * 1000, 1001)[0].count("x")
    60
    """
    if column is None or column < 1:
        return (line[: 2 * WINDOW] + "…" if len(line) > 2 * WINDOW else line), None
    start = max(0, column - 1 - WINDOW)
    end = min(len(line), column - 1 + WINDOW)
    head = "…" if start > 0 else ""
    tail = "…" if end < len(line) else ""
    return head + line[start:end] + tail, len(head) + column - 1 - start


class UpdateRefusedError(QueryError):
    """A SPARQL update was sent where only queries are allowed."""

    def __init__(self, keyword: str):
        self.keyword = keyword
        super().__init__(
            f"refused: this is a SPARQL update ({keyword}), and `query` only reads. "
            "Run updates against a writable store you name explicitly: "
            "`relaxgraph query --allow-update --store PATH ...`."
        )


class QueryTooComplexError(QueryError):
    """A query is too long or nested too deeply to be parsed safely; refused before parsing."""


class FederationRefusedError(QueryError):
    """A query calls another endpoint (``SERVICE``) and federation was not allowed for it."""


class QueryTimeoutError(QueryError):
    """A query ran longer than its time limit and was stopped."""

    exit_code = 3

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(
            f"query stopped after {seconds:g} s (the time limit). "
            "Narrow it (LIMIT, a more specific pattern) or raise the limit with --timeout SECONDS."
        )


def _closest(word: str, candidates: Sequence[str], n: int = 3) -> list[str]:
    import difflib

    lowered = {c.lower(): c for c in candidates}
    hits = difflib.get_close_matches(word.lower(), list(lowered), n=n, cutoff=0.5)
    prefix = [c for c in candidates if c.lower().startswith(word.lower()) and c.lower() not in hits]
    return [lowered[h] for h in hits] + prefix[: max(0, n - len(hits))]


class _UnknownName(RelaxgraphError):
    kind = "name"
    hint = ""

    def __init__(self, name: str, candidates: Sequence[str] = ()):
        self.name = name
        self.suggestions = _closest(name, candidates) if len(name) <= 200 else []
        from .views._terminal import abbreviate

        shown = abbreviate(name, 80)
        text = f"unknown {self.kind} {shown!r}"
        if self.suggestions:
            text += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        else:
            text += "."
        if self.hint:
            text += f" {self.hint}"
        super().__init__(text)


class UnknownQueryError(_UnknownName, QueryError):
    """No catalogue query has this name."""

    kind = "query"
    hint = "List the catalogue with `relaxgraph queries`."


class UnknownParameterError(_UnknownName, QueryError):
    """A catalogue query was given a parameter it does not declare."""

    kind = "parameter"
    hint = "See the query's parameters with `relaxgraph queries --verbose`."


class UnknownEntityError(_UnknownName, LookupError):
    """No entity has this label, synonym or identifier."""

    kind = "entity"
    hint = "Name an entity by label, synonym or identifier (e.g. baclofen, Lioresal, CHEBI:2972)."
    exit_code = 4


class StoreError(RelaxgraphError):
    """A store path cannot be opened or written."""

    exit_code = 2


class EndpointError(RelaxgraphError):
    """A remote SPARQL endpoint cannot be reached or refuses the request."""

    exit_code = 5


class ValidationFailed(RelaxgraphError):
    """The graph does not conform to its SHACL shapes or fails an integrity check."""

    exit_code = 1


class InvalidArgumentError(RelaxgraphError, ValueError):
    """A value given to a command or call is out of range or of the wrong kind (a NaN time
    limit, a variable name that is not one, an unknown format, a negative depth ...)."""


class ServerConfigError(RelaxgraphError, ValueError):
    """An option of ``relaxgraph serve`` is out of range (a port, a time limit, a size)."""

    exit_code = 2


class QueryMemoryError(QueryError):
    """A query needed more memory than its limit and was stopped."""

    exit_code = 3

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(
            f"query stopped: it needed more than {limit / 2**20:,.0f} MiB of memory (the memory "
            "limit). Narrow it (LIMIT, a more specific pattern, no ORDER BY over a huge result) "
            "or raise the limit with --memory-limit SIZE."
        )


class ResultTooLargeError(QueryError):
    """A result has more rows (or triples) than the cap set for it; stopped as it was produced."""

    exit_code = 3

    def __init__(self, cap: int, unit: str = "rows"):
        self.cap = cap
        self.unit = unit
        super().__init__(
            f"the result has more than {cap:,} {unit}, the cap; add LIMIT {cap} or narrow the query"
        )


class EndpointURLError(EndpointError, ValueError):
    """An endpoint URL is malformed, or an endpoint was given together with a store.

    Nothing was sent anywhere; exit code 2 (bad input).
    """

    exit_code = 2


class EndpointTimeoutError(EndpointError, QueryTimeoutError):
    """A remote endpoint did not answer in full within the time limit (connect and read included)."""

    exit_code = 3

    def __init__(self, message: str, seconds: float):
        self.seconds = seconds
        RelaxgraphError.__init__(self, message)


class EndpointAnswerError(EndpointError):
    """A remote endpoint answered with something that is not a usable SPARQL result.

    Too large, nested too deeply, the wrong shape, or terms that are not valid RDF.
    """


class PartialResultError(EndpointError):
    """A remote endpoint cut its answer short (its row limit or its own time limit).

    ``max_rows`` is the endpoint's row limit when it said so (Virtuoso's ``X-SPARQL-MaxRows``).
    """

    def __init__(self, message: str, max_rows: int | None = None):
        self.max_rows = max_rows
        super().__init__(message)


class OutputPathError(RelaxgraphError, OSError):
    """A file cannot be written where it was asked for (``-o FILE``, ``output=``): a folder, a
    missing or read-only folder, a full disk. Nothing is left half-written.

    Also an :class:`OSError`, which is what it is.
    """

    exit_code = 2


class StoreBusyError(StoreError):
    """Another relaxgraph process is writing the store (a load or an update holds its lock)."""

    def __init__(self, store: str, pid: int | None) -> None:
        self.store = store
        self.pid = pid
        who = f"pid {pid}" if pid else "pid unknown"
        super().__init__(
            f"store {store} is being written by another relaxgraph process ({who}); "
            "try again when it ends"
        )


class InvalidIRIError(InvalidArgumentError):
    """A value that must be an absolute IRI (``load --graph``) is not one."""


class InputTooLargeError(DataFileError):
    """A data file is larger than the load's size limit, or would expand beyond it."""


class UnknownLayerError(_UnknownName, LookupError):
    """No layer of the registry has this id (``--layer ID``, ``layers=[...]``)."""

    kind = "layer"
    hint = "List the layers with `relaxgraph layers`."


class LayerRegistryError(DataFileError):
    """The layer registry (``layers.toml``) is malformed: a missing field, a bad IRI, a duplicate id."""


class CatalogueError(QueryError):
    """A catalogue file's header is malformed."""


class AmbiguousEntityError(UnknownEntityError):
    """A name fits more than one entity."""

    def __init__(self, name: str, matches: list[Entity]):
        self.matches = matches
        listed = ", ".join(f"{m.curie} ({m.label}, {m.kind})" for m in matches)
        Exception.__init__(
            self, f"{name!r} names more than one entity: {listed}. Use one of these identifiers."
        )
        self.name = name
        self.suggestions = [m.curie for m in matches]


class RequestRefusedError(RelaxgraphError):
    """The SPARQL endpoint refuses a request: the HTTP status, a one-line reason and any headers
    to send with it (``Allow``, ``Retry-After``)."""

    def __init__(self, status: int, message: str, headers: Sequence[tuple[str, str]] = ()):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = list(headers)
