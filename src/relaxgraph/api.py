"""The few calls a notebook needs: ask a question, name an entity, list the catalogue, write out.

These wrap the modules that do the work (:mod:`relaxgraph.querying.catalogue`, :mod:`relaxgraph.querying.resolve`,
:mod:`relaxgraph.views.exporting`) so that ``import relaxgraph`` is enough:

>>> import relaxgraph
>>> rows = relaxgraph.query("statistics").rows()
>>> isinstance(rows[0].percentage, float)
True
>>> relaxgraph.lookup("Lioresal").label
'Lioresal'

When no ``engine`` is given, every call here uses one shared engine over the bundled graph,
opened on first use (see :func:`default_engine`); :func:`relaxgraph.connect` opens others.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Collection
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

import pyoxigraph as ox

from .errors import InvalidArgumentError, QueryError, QuerySyntaxError
from .querying.catalogue import CatalogueQuery, get, internal, is_sparql, load_catalogue
from .querying.resolve import Entity, index
from .querying.sparql import (
    DEFAULT_MEMORY_LIMIT,
    DEFAULT_TIMEOUT,
    GRAPH_FORMATS,
    QUERY_FORMATS,
    SELECT_FORMATS,
    Engine,
    Result,
    Term,
    check_memory_limit,
    check_syntax,
    check_timeout,
    run,
    strip_bom,
)
from .views.description import Description
from .views.description import describe as _describe
from .views.exporting import EXPORT_FORMATS
from .views.exporting import export as _export_engine

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "DESCRIBE_FORMATS",
    "EXPORT_FORMATS",
    "QUERY_FORMATS",
    "STATS_FORMATS",
    "default_engine",
    "describe",
    "describe_graph",
    "export",
    "format_description",
    "format_result",
    "format_stats",
    "is_sparql",
    "lookup",
    "prepare_sparql",
    "queries",
    "query",
    "stats",
]

#: How :func:`describe` can be written (``relaxgraph describe --format``).
DESCRIBE_FORMATS: tuple[str, ...] = ("table", *GRAPH_FORMATS, "json")
#: How :func:`stats` can be written (``relaxgraph stats --format``).
STATS_FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json")

_XSD = "http://www.w3.org/2001/XMLSchema#"


@lru_cache(maxsize=1)
def default_engine() -> Engine:
    """The engine the convenience calls use when none is given: the bundled graph, opened once.

    It is shared by :func:`query`, :func:`lookup` and the default arguments of
    :mod:`relaxgraph.analytics`, so names are indexed once per process. Nothing here ever
    writes to it; open a separate engine with :func:`relaxgraph.connect` to change data.

    >>> default_engine() is default_engine()
    True
    """
    from .storage.engines import connect

    return connect()


def _engine(engine: Engine | None) -> Engine:
    return default_engine() if engine is None else engine


def queries() -> dict[str, CatalogueQuery]:
    """The query catalogue: every named query, sorted by name (each with ``summary``, ``params``, ``text``).

    >>> catalogue = queries()
    >>> catalogue["side-effects"].summary
    'Side effects of a drug, with where the guide says so'
    >>> [p.name for p in catalogue["side-effects"].params]
    ['drug']
    """
    return dict(sorted(load_catalogue().items()))


def _term(name: str, value: Any) -> Term:
    """A Python value as the RDF term bound to ``?name`` in a SPARQL text."""
    if isinstance(value, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return value
    if isinstance(value, Entity):
        return ox.NamedNode(value.iri)
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(_XSD + "boolean"))
    if isinstance(value, int):
        try:
            return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + "integer"))
        except ValueError:  # more digits than Python converts to text (sys.int_info)
            raise InvalidArgumentError(
                f"parameter {name!r}: the integer is too large to bind (more than "
                "4,300 digits); give a smaller number"
            ) from None
    if isinstance(value, float) and not math.isfinite(value):
        lexical = "NaN" if math.isnan(value) else ("INF" if value > 0 else "-INF")
        return ox.Literal(lexical, datatype=ox.NamedNode(_XSD + "double"))
    if isinstance(value, (float, Decimal)):
        if isinstance(value, Decimal) and not value.is_finite():
            raise InvalidArgumentError(
                f"parameter {name!r}: {value} is not a decimal number; give a finite one"
            )
        return ox.Literal(str(Decimal(str(value))), datatype=ox.NamedNode(_XSD + "decimal"))
    if isinstance(value, str):
        return ox.Literal(value)
    raise QueryError(
        f"parameter {name!r}: cannot bind a {type(value).__name__}; give a str, number, bool, "
        "an Entity (from relaxgraph.lookup) or a pyoxigraph term"
    )


def query(
    name_or_sparql: str,
    engine: Engine | None = None,
    *,
    timeout: float | None = None,
    memory_limit: int | str | None = None,
    allow_service: Collection[str] | bool = False,
    **params: Any,
) -> Result:
    """Run a catalogue query by name, or any SPARQL query text, and return its :class:`Result`.

    For a catalogue query, ``params`` are its declared parameters (entities by label, synonym
    or identifier). For SPARQL text, each ``params`` value is bound to the variable of that
    name as an RDF term (a ``str`` as a plain literal, numbers and booleans typed, an
    :class:`~relaxgraph.querying.resolve.Entity` as its IRI); it is never spliced into the text.

    ``result.rows()`` gives named tuples of Python values (numbers as numbers),
    ``result.to_dataframe()`` a pandas DataFrame.

    >>> [r.sideEffectLabel for r in query("side-effects", drug="Lioresal").rows()][:3]
    ['dizziness', 'drowsiness', 'headache']
    >>> query("SELECT ?drug ?label WHERE { ?drug rdfs:label ?label }",
    ...       drug=lookup("vecuronium")).rows()
    [Row(drug='https://w3id.org/relaxgraph/id/vecuronium', label='vecuronium')]
    >>> query("sideeffects")
    Traceback (most recent call last):
    ...
    relaxgraph.errors.UnknownQueryError: unknown query 'sideeffects'; did you mean 'side-effects', ...

    SPARQL text is untrusted: it is checked (:func:`relaxgraph.querying.guard.check_query_text`), parsed
    in a child process and run in one, under ``memory_limit`` (bytes, or a size such as
    ``"512M"``; default 2 GiB beyond what this process holds; ``0`` for none) and
    ``timeout`` seconds, so that no query can crash or exhaust the calling interpreter.
    ``SERVICE`` calls are refused unless ``allow_service`` lists their endpoints (or is
    ``True``); a federated query gets a 10 s time limit when none is given. Catalogue
    queries run in this process unless a limit is given.

    Raises :class:`~relaxgraph.errors.UnknownQueryError` for a name that is not in the
    catalogue (with the closest names), :class:`~relaxgraph.errors.QuerySyntaxError` (with
    line and column) for text that does not parse,
    :class:`~relaxgraph.errors.QueryTimeoutError` past ``timeout`` seconds,
    :class:`~relaxgraph.errors.QueryMemoryError` past the memory limit and
    :class:`~relaxgraph.errors.InvalidArgumentError` (a ``ValueError``) for a bad limit or
    parameter name.
    """
    if not isinstance(name_or_sparql, str):
        raise InvalidArgumentError(
            f"query() takes a catalogue query name or SPARQL text, not {type(name_or_sparql).__name__}"
        )
    timeout = check_timeout(timeout, "timeout")
    limit = check_memory_limit(memory_limit, "memory_limit")
    if not is_sparql(name_or_sparql):
        entry = get(name_or_sparql)  # an unknown name: UnknownQueryError with the closest names
        return entry.run(_engine(engine), timeout=timeout, memory_limit=limit, **params)
    text = prepare_sparql(name_or_sparql, allow_service=allow_service)
    bindings = {key: _term(key, value) for key, value in params.items()}
    if memory_limit is None:
        limit = DEFAULT_MEMORY_LIMIT
    if allow_service and timeout is None:
        timeout = DEFAULT_TIMEOUT
    try:
        return run(
            _engine(engine),
            text,
            bindings,
            timeout=timeout,
            memory_limit=limit,
            allow_service=allow_service,
        )
    except QueryError as exc:
        if bindings and "projection" in str(exc):
            raise QueryError(
                f"{exc}. A parameter binds a variable the query returns: list it after SELECT "
                f"(or use SELECT *). Parameters given: {', '.join(sorted(bindings))}"
            ) from None
        raise


#: Texts :func:`prepare_sparql` has checked, with what it made of them (a few, newest last).
_PREPARED: dict[tuple[str, bool | frozenset[str]], str] = {}
_PREPARED_MAX = 32


def prepare_sparql(
    text: str, source: str = "query", *, allow_service: Collection[str] | bool = False
) -> str:
    """SPARQL text as it is run: the usual prefixes it uses but does not declare are added
    (:data:`relaxgraph._iris.PREFIXES`), and it is checked and parsed in a child process.

    The one way SPARQL text from a caller, ``relaxgraph query -e`` or ``--file`` is read.
    Errors name ``source`` and give line and column in the text as written, not as prefixed.
    A text checked once is not parsed again.

    >>> prepare_sparql("SELECT * { ?s rdfs:label ?o }").splitlines()[0]
    'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>'
    >>> prepare_sparql("SELECT * {\\n ?s rdfs:label }")
    Traceback (most recent call last):
    ...
    relaxgraph.errors.QuerySyntaxError: SPARQL syntax error in query, line 2, column 16: ...
    """
    text = strip_bom(text)
    key = (text, allow_service if isinstance(allow_service, bool) else frozenset(allow_service))
    if key in _PREPARED:
        return _PREPARED[key]
    added, full = _with_prefixes(text)
    try:
        check_syntax(full, source, allow_service=allow_service, isolate=True)
    except QuerySyntaxError as exc:  # report the position in the text as the caller wrote it
        line = exc.line - added if exc.line is not None else None
        raise QuerySyntaxError(exc.parser_message, text, line, exc.column, exc.source) from None
    if len(_PREPARED) >= _PREPARED_MAX:
        with contextlib.suppress(KeyError, StopIteration, RuntimeError):  # another thread's
            del _PREPARED[next(iter(_PREPARED))]
    _PREPARED[key] = full
    return full


def _with_prefixes(text: str) -> tuple[int, str]:
    """``text`` with PREFIX lines for the usual prefixes it uses but does not declare.

    Returns how many lines were added, and the text.

    >>> _with_prefixes("SELECT * { ?s rdfs:label ?o }")
    (1, 'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\\nSELECT * { ?s rdfs:label ?o }')
    """
    import re

    from ._iris import PREFIXES
    from .querying.sparql import strip_comments_and_strings

    body = strip_comments_and_strings(text)
    declared = {m.lower() for m in re.findall(r"PREFIX\s+([\w.-]*):", body, re.IGNORECASE)}
    used = set(re.findall(r"(?<![\w?$<])([A-Za-z][\w.-]*):[\w-]", body))
    lines = [
        f"PREFIX {p}: <{PREFIXES[p]}>\n"
        for p in sorted(used)
        if p in PREFIXES and p.lower() not in declared
    ]
    return len(lines), "".join(lines) + text


def lookup(name: str, kind: str | None = None, engine: Engine | None = None) -> Entity:
    """The entity ``name`` names: a label, synonym, brand name or identifier (any case).

    ``kind`` narrows to an ``rgo:`` class (``"Drug"``, ``"SideEffect"`` ...); asked for a
    ``Drug``, a brand name gives the brand's drug.

    >>> lookup("CHEBI:2972").label
    'baclofen'
    >>> lookup("Lioresal", kind="Drug").curie
    'rg:baclofen'
    >>> from relaxgraph import UnknownEntityError
    >>> try:
    ...     lookup("baclofne")
    ... except UnknownEntityError as error:
    ...     print(error.suggestions)
    ['baclofen', 'metaxalone', 'clonazepam']

    Raises :class:`~relaxgraph.errors.UnknownEntityError` naming the closest names, or
    :class:`~relaxgraph.errors.AmbiguousEntityError` when the name fits several entities.
    """
    if not isinstance(name, str) or not name.strip():
        raise InvalidArgumentError(
            f"lookup() takes a name (a label, synonym or identifier such as 'baclofen'), "
            f"not {name!r}"[:200]
        )
    return index(_engine(engine)).lookup(name, kind)


def describe(name: str, engine: Engine | None = None) -> Description:
    """Everything the graph says about the entity ``name``, with where the guide says it.

    ``.relations`` lists each fact (property, value, section, quote, evidence kind, flag);
    ``.text()`` is a readable summary.

    >>> d = describe("vecuronium")
    >>> d.label, d.kind
    ('vecuronium', 'Drug')
    >>> sorted(r.value_label for r in d.relations if r.property.endswith("#type"))
    ['drug', 'neuromuscular blocking agents']
    """
    return _describe(name, _engine(engine))


def export(format: str = "ttl", source: Engine | nx.MultiDiGraph | None = None) -> bytes:
    """The graph in ``format`` as bytes; nothing is written to disk.

    ``format`` is one of ``ttl``, ``nt``, ``jsonld``, ``xml`` (RDF), ``csv`` (one triple a
    row), ``graphml`` or ``gexf`` (the entity network, for Gephi and Cytoscape).
    ``source`` is an engine (default: the bundled graph) or, for ``graphml`` and ``gexf``,
    a network from :func:`relaxgraph.to_networkx` (a neighbourhood, say).

    >>> export("graphml")[:5]
    b'<?xml'
    >>> b"baclofen" in export("ttl")
    True
    """
    if _is_graph(source):
        from .views.exporting import network_bytes

        return network_bytes(source, format)
    return _export_engine(format, _engine(cast("Engine | None", source)))


def _is_graph(value: object) -> bool:
    return hasattr(value, "nodes") and hasattr(value, "edges") and hasattr(value, "graph")


def describe_graph(name: str, engine: Engine | None = None) -> Result:
    """The triples about the entity ``name`` and its statements (the catalogue's
    ``entity-neighbourhood``), as a graph :class:`Result`: ``describe --format ttl``.

    >>> b"baclofen" in describe_graph("Lioresal").serialize("nt")
    True
    """
    return query("entity-neighbourhood", engine, entity=name)


def stats(engine: Engine | None = None) -> dict[str, int]:
    """Counts: triples, distinct subjects, entities of each ``rgo:`` class, flags by kind.

    The SPARQL is ``queries/internal/stats.rq`` and ``triples.rq``.

    >>> counts = stats()
    >>> counts["triples"] > counts["subjects"] > counts["type Drug"] > 0
    True
    """
    engine = _engine(engine)
    triples = run(engine, internal("triples").text).terms[0][0]
    counts = {"triples": int(triples.value) if triples is not None else 0}
    for what, count in run(engine, internal("stats").text).terms:
        if what is not None:
            counts[what.value] = int(count.value) if count is not None else 0
    return counts


def _check_format(fmt: str, allowed: tuple[str, ...], what: str) -> None:
    if fmt not in allowed:
        raise InvalidArgumentError(
            f"{what} is written as {', '.join(allowed)}, not {str(fmt)[:40]!r}"
        )


def format_result(result: Result, fmt: str) -> bytes:
    """``result`` written in ``fmt``, one of :data:`QUERY_FORMATS`: ``table`` for people
    (an ASK as yes or no, a graph as Turtle), the W3C formats otherwise.

    >>> format_result(query("ASK { ?s ?p ?o }"), "table")
    b'yes'

    Raises :class:`~relaxgraph.errors.InvalidArgumentError` for a format the result's kind
    cannot be written in (a graph as csv, a SELECT as ttl).
    """
    from .views.table import format_table

    _check_format(fmt, QUERY_FORMATS, "a query result")
    if fmt == "table":
        if result.kind == "select":
            return format_table(result.variables, result.terms).encode()
        if result.kind == "ask":
            return b"yes" if result.boolean else b"no"
        return result.serialize("ttl")
    if result.kind == "graph" and fmt not in GRAPH_FORMATS:
        raise InvalidArgumentError(
            f"a CONSTRUCT result is written as {' or '.join(GRAPH_FORMATS)}, not {fmt}"
        )
    if result.kind != "graph" and fmt in GRAPH_FORMATS:
        raise InvalidArgumentError(
            f"a {result.kind.upper()} result is written as table, {', '.join(SELECT_FORMATS)}, "
            f"not {fmt}"
        )
    return result.serialize(fmt)


def format_stats(counts: dict[str, int], fmt: str) -> bytes:
    """:func:`stats`'s counts written in ``fmt``, one of :data:`STATS_FORMATS`.

    >>> format_stats({"triples": 3}, "csv")
    b'what,count\\ntriples,3'
    """
    _check_format(fmt, STATS_FORMATS, "stats")
    if fmt == "json":
        import json

        return json.dumps(counts, indent=2).encode()
    rows = [(what, str(count)) for what, count in counts.items()]
    if fmt == "table":
        from .views.table import format_table

        return format_table(["what", "count"], rows).encode()
    sep = "," if fmt == "csv" else "\t"
    return "\n".join([f"what{sep}count"] + [f"{k}{sep}{v}" for k, v in rows]).encode()


def format_description(description: Description, fmt: str) -> bytes:
    """:func:`describe`'s answer written as ``table`` (readable text) or ``json``; for
    ``ttl`` and ``nt`` see :func:`describe_graph`."""
    _check_format(fmt, ("table", "json"), "a description")
    if fmt == "json":
        import json
        from dataclasses import asdict

        return json.dumps(asdict(description), indent=2, ensure_ascii=False).encode()
    return description.text().encode()
