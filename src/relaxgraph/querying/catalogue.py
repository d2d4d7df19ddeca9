"""The query catalogue: named, annotated SPARQL queries shipped in ``queries/``.

Each ``.rq`` file starts with a header a machine can read::

    #+ summary: Side effects of a drug
    #+ description: Every side effect the guide attributes to the drug, with where it says so.
    #+ tags: drug, side-effect, provenance
    #+ param: drug | entity:Drug | baclofen | The drug, by label, brand name or identifier

A parameter line is ``name | type | default | description``. Types: ``entity``
(optionally ``entity:Kind``, resolved by label, synonym or identifier), ``iri``,
``string``, ``integer``, ``decimal``, ``boolean``. The query uses ``?name``; the value
is bound as an RDF term, never spliced into the text.

On the embedded engine a bound term is written into the text as a constant by pyoxigraph's
own serialiser (see :mod:`relaxgraph.querying._inline`). A query whose header says ``#+ bind:
values`` gets its terms in a ``VALUES`` block at the start of its ``WHERE`` instead, which
Oxigraph plans better for some shapes (``benchmarks/bench_params.py`` measures both); a test
checks that either way the answers equal those of plain substitution.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import pyoxigraph as ox

from .._iris import PREFIXES
from ..errors import CatalogueError, QueryError, UnknownParameterError, UnknownQueryError
from .sparql import Engine, Result, Term, run, strip_comments_and_strings

__all__ = [
    "CatalogueQuery",
    "Param",
    "get",
    "internal",
    "is_sparql",
    "load_catalogue",
    "parse_query_file",
    "to_rdf",
]

PARAM_TYPES = ("entity", "iri", "string", "integer", "decimal", "boolean")
_XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class Param:
    """One declared parameter of a catalogue query."""

    name: str
    type: str
    default: str | None
    description: str

    @property
    def kind(self) -> str | None:
        """For ``entity:Drug``, ``Drug``; else None."""
        return self.type.split(":", 1)[1] if ":" in self.type else None

    @property
    def base_type(self) -> str:
        return self.type.split(":", 1)[0]


@dataclass(frozen=True)
class CatalogueQuery:
    """A named query of the catalogue."""

    name: str
    summary: str
    description: str
    tags: tuple[str, ...]
    params: tuple[Param, ...]
    text: str
    source: str = field(default="", compare=False)
    #: How the embedded engine receives bound terms: ``constant`` or ``values``.
    bind_with: str = "constant"

    @property
    def form(self) -> str:
        """``select``, ``ask``, ``construct`` or ``describe``."""
        from .sparql import query_kind

        return query_kind(self.text)

    @property
    def ordered(self) -> bool:
        """Whether the query orders its results (a top-level ORDER BY)."""
        return bool(
            re.search(
                r"\bORDER\s+BY\b[^{}]*$", strip_comments_and_strings(self.text), re.IGNORECASE
            )
        )

    def variables_used(self) -> set[str]:
        """Variable names the query text uses."""
        return set(
            re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", strip_comments_and_strings(self.text))
        )

    def bind(self, engine: Engine | None = None, **values: Any) -> dict[str, Term]:
        """Bindings for ``values`` (defaults fill the rest); entity names are resolved on ``engine``."""
        declared = {p.name: p for p in self.params}
        for key in values:
            if key not in declared:
                raise UnknownParameterError(key, list(declared))
        bindings: dict[str, Term] = {}
        for p in self.params:
            raw = values.get(p.name, p.default)
            if raw is None or raw == "":
                continue
            bindings[p.name] = _coerce(p, raw, engine)
        return bindings

    def run(
        self,
        engine: Engine | None = None,
        *,
        timeout: float | None = None,
        memory_limit: int | None = None,
        **values: Any,
    ) -> Result:
        """Run the query on ``engine`` (default: the bundled graph) with parameters ``values``.

        With ``timeout`` or ``memory_limit`` it runs in a child process (see
        :func:`relaxgraph.querying.sparql.run`).
        """
        if engine is None:
            from ..api import default_engine

            engine = default_engine()
        text, bindings = self.prepare(engine, self.bind(engine, **values))
        return run(engine, text, bindings, timeout=timeout, memory_limit=memory_limit)

    def prepare(self, engine: Engine, bindings: dict[str, Term]) -> tuple[str, dict[str, Term]]:
        """The text and bindings to send to ``engine``: for ``#+ bind: values`` on the
        embedded engine, the terms in a leading ``VALUES`` block (and no bindings left)."""
        from ..storage.engines import OxigraphEngine

        if self.bind_with != "values" or not bindings or not isinstance(engine, OxigraphEngine):
            return self.text, bindings
        text = _with_values(self.text, bindings)
        return (text, {}) if text is not None else (self.text, bindings)


def _with_values(text: str, bindings: Mapping[str, Term]) -> str | None:
    """``text`` with ``VALUES (?a ?b) { (ta tb) }`` opening its top-level ``WHERE`` group; the
    terms written by pyoxigraph's serialiser. ``None`` if a term is not an IRI or literal."""
    if not all(isinstance(t, (ox.NamedNode, ox.Literal)) for t in bindings.values()):
        return None
    from ._inline import _TOKENS

    opening = None
    previous = ""
    for m in _TOKENS.finditer(text):
        if m.lastgroup == "skip":
            continue
        if m.group() == "{" and previous == "WHERE":
            opening = m.end()
            break
        previous = m.group().upper()
    if opening is None:
        return None
    names = " ".join(f"?{k}" for k in bindings)
    terms = " ".join(str(t) for t in bindings.values())
    block = f"\n  VALUES ({names}) {{ ({terms}) }}"
    return text[:opening] + block + text[opening:]


def _coerce(p: Param, raw: Any, engine: Engine | None) -> Term:
    if isinstance(raw, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return raw
    base = p.base_type
    value = str(raw)
    try:
        if base == "entity":
            from .resolve import lookup

            if engine is None:
                from ..api import default_engine

                engine = default_engine()
            return ox.NamedNode(lookup(engine, value, p.kind))
        if base == "iri":
            return ox.NamedNode(_expand(value))
        if base == "string":
            return ox.Literal(value)
        if base == "integer":
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(_XSD + "integer"))
        if base == "decimal":
            from decimal import Decimal

            return ox.Literal(str(Decimal(value)), datatype=ox.NamedNode(_XSD + "decimal"))
        if base == "boolean":
            if value.lower() not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(value)
            truth = value.lower() in ("true", "1", "yes")
            return ox.Literal("true" if truth else "false", datatype=ox.NamedNode(_XSD + "boolean"))
    except (ValueError, ArithmeticError):
        raise QueryError(f"parameter {p.name!r} wants a {base} value, not {value!r}") from None
    raise QueryError(f"parameter {p.name!r} has an unknown type {p.type!r}")


def _expand(value: str) -> str:
    if "://" not in value and ":" in value:
        prefix, local = value.split(":", 1)
        if prefix in PREFIXES:
            return PREFIXES[prefix] + local
    if "://" not in value or any(c in value for c in '<>"{}|^`\\ '):
        raise ValueError(value)
    return value


_HEADER = re.compile(r"^#\+\s*([A-Za-z_]+)\s*:\s*(.*)$")


def parse_query_file(name: str, text: str, source: str = "") -> CatalogueQuery:
    """Parse one ``.rq`` file's header and body; raise :class:`CatalogueError` on a bad header.

    The text is checked by :func:`relaxgraph.querying.guard.check_query_text` first (no absurd nesting,
    no ``SERVICE``), as any query text is before a parser sees it.
    """
    from .guard import check_query_text

    check_query_text(text, source=source or f"query {name[:100]!r}")
    meta: dict[str, str] = {}
    params: list[Param] = []
    where = source or name
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#+"):
            if line.strip() and not line.startswith("#"):
                break
            continue
        m = _HEADER.match(line)
        if not m:
            raise CatalogueError(
                f"{where}:{number}: a header line reads '#+ key: value', not {line!r}"
            )
        key, value = m.group(1).lower(), m.group(2).strip()
        if key == "param":
            parts = [part.strip() for part in value.split("|")]
            if len(parts) != 4 or not parts[0] or parts[1].split(":")[0] not in PARAM_TYPES:
                raise CatalogueError(
                    f"{where}:{number}: a param line reads 'name | type | default | description' "
                    f"with type one of {', '.join(PARAM_TYPES)}; got {value!r}"
                )
            params.append(Param(parts[0], parts[1], parts[2] or None, parts[3]))
        elif key == "bind":
            if value not in ("constant", "values"):
                raise CatalogueError(
                    f"{where}:{number}: '#+ bind:' is 'constant' or 'values', not {value!r}"
                )
            meta[key] = value
        elif key in ("summary", "description", "tags"):
            meta[key] = (
                (meta[key] + " " + value).strip() if key == "description" and key in meta else value
            )
        else:
            raise CatalogueError(
                f"{where}:{number}: unknown header key {key!r} "
                "(summary, description, tags, param, bind)"
            )
    for key in ("summary", "description", "tags"):
        if not meta.get(key):
            raise CatalogueError(f"{where}: the header has no '#+ {key}:' line")
    tags = tuple(t.strip() for t in meta["tags"].split(",") if t.strip())
    return CatalogueQuery(
        name,
        meta["summary"],
        meta["description"],
        tags,
        tuple(params),
        text,
        where,
        meta.get("bind", "constant"),
    )


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, CatalogueQuery]:
    from ..data._resources import queries_dir

    found: dict[str, CatalogueQuery] = {}
    folder = queries_dir()
    for f in sorted(folder.iterdir(), key=lambda f: f.name):
        if f.name.endswith(".rq"):
            name = f.name[:-3]
            found[name] = parse_query_file(name, f.read_text(encoding="utf-8"), f"queries/{f.name}")
    return found


def load_catalogue() -> dict[str, CatalogueQuery]:
    """Every catalogue query by name, sorted by name."""
    return dict(_catalogue())


_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def is_sparql(text: str) -> bool:
    """Whether ``text`` is SPARQL text rather than the name of a catalogue query.

    The one rule for every caller (:func:`relaxgraph.query`, :func:`relaxgraph.visualize`,
    ``relaxgraph query NAME``): text that starts like a query or an update (after any
    ``PREFIX``/``BASE`` lines and comments), or that holds a ``{``, is SPARQL; anything
    else is a name, which the catalogue then finds or refuses with the closest names.

    >>> is_sparql("side-effects"), is_sparql("SELECT * { ?s ?p ?o }"), is_sparql("{ ?s ?p ?o }")
    (False, True, True)
    >>> is_sparql("# a comment\\nASK {}"), is_sparql("sideeffects")
    (True, False)
    """
    from .sparql import query_kind, strip_bom

    text = strip_bom(text)
    return query_kind(text) != "unknown" or "{" in text


#: The folder, inside ``queries/``, of the queries relaxgraph runs for itself (``stats``,
#: ``describe``): same header, same loader, but not part of the public catalogue.
INTERNAL = "internal"


@cache
def internal(name: str) -> CatalogueQuery:
    """The internal query ``queries/internal/<name>.rq`` (not listed by :func:`load_catalogue`).

    >>> internal("stats").form
    'select'
    """
    from ..data._resources import queries_dir

    f = queries_dir() / INTERNAL / f"{name}.rq"
    if _PLAIN_NAME.fullmatch(name) is None or not f.is_file():
        raise UnknownQueryError(name, [])
    source = f"queries/{INTERNAL}/{f.name}"
    return parse_query_file(name, f.read_text(encoding="utf-8"), source)


def get(name: str) -> CatalogueQuery:
    """The catalogue query called ``name``; :class:`UnknownQueryError` suggests the closest names."""
    from ..data._resources import queries_dir

    if (
        _catalogue.cache_info().currsize == 0
        and _PLAIN_NAME.fullmatch(name) is not None
        and len(name) <= 100
    ):
        f = queries_dir() / f"{name}.rq"
        if f.is_file():  # read just this one file: a cold command line needs no more
            return parse_query_file(name, f.read_text(encoding="utf-8"), f"queries/{f.name}")
    catalogue = _catalogue()
    try:
        return catalogue[name]
    except KeyError:
        raise UnknownQueryError(name, list(catalogue)) from None


def to_rdf(catalogue: Mapping[str, CatalogueQuery] | None = None) -> list[ox.Triple]:
    """The catalogue as RDF, in the SIB SPARQL-examples style (SHACL executables + schema.org keywords)."""
    items = catalogue if catalogue is not None else _catalogue()
    sh = PREFIXES["sh"]
    rdf = PREFIXES["rdf"]
    rdfs = PREFIXES["rdfs"]
    schema = PREFIXES["schema"]
    dcterms = PREFIXES["dcterms"]
    base = "https://w3id.org/relaxgraph/query/"
    triples: list[ox.Triple] = []

    def add(s: Any, p: str, o: Any) -> None:
        triples.append(ox.Triple(s, ox.NamedNode(p), o))

    form_class = {
        "select": "SPARQLSelectExecutable",
        "construct": "SPARQLConstructExecutable",
        "ask": "SPARQLAskExecutable",
        "describe": "SPARQLExecutable",
    }
    form_prop = {"select": "select", "construct": "construct", "ask": "ask", "describe": "describe"}
    for q in items.values():
        node = ox.NamedNode(base + q.name)
        add(node, rdf + "type", ox.NamedNode(sh + form_class.get(q.form, "SPARQLExecutable")))
        add(node, rdfs + "label", ox.Literal(q.name))
        add(node, dcterms + "title", ox.Literal(q.summary))
        add(node, rdfs + "comment", ox.Literal(q.description, language="en"))
        add(node, sh + form_prop.get(q.form, "select"), ox.Literal(q.text))
        for tag in q.tags:
            add(node, schema + "keywords", ox.Literal(tag))
        for p in q.params:
            pnode = ox.NamedNode(f"{base}{q.name}#param-{p.name}")
            add(node, sh + "parameter", pnode)
            add(pnode, sh + "name", ox.Literal(p.name))
            add(pnode, sh + "description", ox.Literal(p.description))
            add(pnode, rdfs + "comment", ox.Literal(f"type: {p.type}"))
            if p.default is not None:
                add(pnode, sh + "defaultValue", ox.Literal(p.default))
    return triples
