"""Writing bound parameters into a query as constants, where that means the same.

Oxigraph plans a query whose parameter arrives through ``substitutions`` without knowing its
value, and often plans it far worse than the same query with the term written in (measured
in ``benchmarks/bench_params.py``). :func:`inline` writes each bound term into the text in
its N-Triples form, produced by pyoxigraph's own serialiser (``str(term)``, which escapes
quotes and line breaks and refuses invalid IRIs), never by pasting user text, and only in
positions where a constant means what the binding means:

- in a ``SELECT`` list, ``?x`` becomes ``(<term> AS ?x)``, so the column stays;
- in ``ORDER BY``, ``?x`` becomes ``(<term>)``;
- anywhere else (triple patterns, expressions, ``CONSTRUCT`` templates), the term itself.

Where a constant cannot stand (``SELECT *``, ``AS ?x``, ``BOUND(?x)``, ``VALUES``, ``GROUP
BY``), or the term is a blank node or a triple, :func:`inline` returns ``None`` and the caller
binds through ``substitutions`` as before.

>>> import pyoxigraph as ox
>>> inline("SELECT ?d ?l WHERE { ?d <p> ?l } ORDER BY ?d", {"d": ox.NamedNode("http://x/a")})
'SELECT (<http://x/a> AS ?d) ?l WHERE { <http://x/a> <p> ?l } ORDER BY (<http://x/a>)'
>>> inline("SELECT * WHERE { ?d <p> ?l }", {"d": ox.NamedNode("http://x/a")}) is None
True
>>> inline('SELECT ?t { FILTER(?t = "?t") }', {"t": ox.Literal('a"} #')})
'SELECT ("a\\\\"} #" AS ?t) { FILTER("a\\\\"} #" = "?t") }'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

__all__ = ["inline"]

# Things that are not code: IRIs, strings and comments (consumed whole, left to right), then
# the code tokens that matter here.
_TOKENS = re.compile(
    r"""(?P<skip><[^<>"{}|^`\\\s]*>"""
    r"""|'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\""""
    r"""|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\#[^\n]*)"""
    r"""|(?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)"""
    r"""|(?P<word>(?<![\w:?$])[A-Za-z]+(?![\w:]))"""
    r"""|(?P<star>\*)|(?P<open>[({])|(?P<close>[)}])""",
    re.DOTALL,
)
_PROJECTION_ENDS = {"WHERE", "FROM"}


def inline(text: str, bindings: Mapping[str, Any]) -> str | None:
    """``text`` with every bound variable written as its term, or ``None`` where that would
    change the query's meaning (see the module's docstring)."""
    if not bindings:
        return text
    terms: dict[str, str] = {}
    for name, term in bindings.items():
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            return None
        terms[name] = str(term)
    projected = _projected(text, set(terms))
    if projected is None:
        return None
    # With one subquery, a variable both SELECT lists name is bound by the inner one; the outer
    # list keeps the plain variable (SPARQL refuses to bind it twice).
    keep = projected[0] & projected[1] if len(projected) == 2 else set()
    return _rewrite(text, terms, keep)


def _projected(text: str, names: set[str]) -> list[set[str]] | None:
    """For each SELECT, in text order, the bound variables its list names at the top level;
    ``None`` when more than two SELECTs name one (the nesting is not followed here)."""
    lists: list[set[str]] = []
    projection = False
    depth = 0
    for m in _TOKENS.finditer(text):
        kind, token = m.lastgroup, m.group()
        if kind == "word" and token.upper() == "SELECT":
            lists.append(set())
            projection, depth = True, 0
        elif (kind == "word" and token.upper() in _PROJECTION_ENDS) or token == "{":
            projection = False
        elif projection and kind in ("open", "close"):
            depth += 1 if token == "(" else -1
        elif projection and kind == "var" and depth == 0 and token[1:] in names:
            lists[-1].add(token[1:])
    if len(lists) > 2 and any(lists):
        return None
    return lists


def _rewrite(text: str, terms: dict[str, str], keep: set[str]) -> str | None:
    selects = -1
    out: list[str] = []
    last = 0
    projection = False  # between SELECT and its WHERE / FROM / first "{"
    depth = 0  # parentheses inside the projection
    order_by = False
    previous = ""  # the last code token (upper-cased word or bracket)
    before_previous = ""
    for m in _TOKENS.finditer(text):
        kind = m.lastgroup
        if kind == "skip":
            continue
        token = m.group()
        if kind == "word":
            word = token.upper()
            if word == "SELECT":
                projection, depth = True, 0
                selects += 1
            elif word in _PROJECTION_ENDS:
                projection = False
            elif word == "BY" and previous == "GROUP":
                return None
            elif word == "BY" and previous == "ORDER":
                order_by = True
            elif word in ("LIMIT", "OFFSET", "VALUES", "HAVING"):
                order_by = False
            token = word
        elif kind == "star":
            if projection and depth == 0 and previous in ("SELECT", "DISTINCT", "REDUCED"):
                return None  # SELECT *: a written-in term would drop its column
        elif kind == "open":
            if token == "{":
                projection = False
                order_by = False
            elif projection:
                depth += 1
        elif kind == "close":
            if token == ")" and projection:
                depth -= 1
            elif token == "}":
                order_by = False
        elif kind == "var":
            name = token[1:]
            if name in terms:
                if previous in ("AS", "VALUES") or (previous == "(" and before_previous == "BOUND"):
                    return None
                if previous == "VALUES" or _in_values(text, m.start()):
                    return None
                if projection and depth == 0 and selects == 0 and name in keep:
                    replacement = token
                elif projection and depth == 0:
                    replacement = f"({terms[name]} AS ?{name})"
                elif order_by and depth == 0 and previous != "(":
                    replacement = f"({terms[name]})"
                else:
                    replacement = terms[name]
                out.append(text[last : m.start()])
                out.append(replacement)
                last = m.end()
        before_previous, previous = previous, token if kind != "var" else "?"
    out.append(text[last:])
    return "".join(out)


_VALUES_HEAD = re.compile(r"VALUES\s*\(?[\s?$\w]*$", re.IGNORECASE)


def _in_values(text: str, position: int) -> bool:
    """Whether the variable at ``position`` is in a ``VALUES`` header (``VALUES (?a ?b)``)."""
    return _VALUES_HEAD.search(text[max(0, position - 200) : position]) is not None
