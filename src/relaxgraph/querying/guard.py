"""Checks on untrusted SPARQL text, run before any parser sees it.

Oxigraph's parser is recursive: a query nested a few thousand levels deep overflows its
stack and kills the process (a segmentation fault, not an exception). Federated queries
(``SERVICE <url>``) make the engine fetch another host. Both are refused here, by a scan of
the text that cannot itself fail on hostile input: it is linear, iterative and bounded by
:data:`MAX_QUERY_CHARS`.

>>> check_query_text("SELECT * WHERE { ?s ?p ?o }")
>>> check_query_text("SELECT * { VALUES ?x { " + " ".join(f"<http://x/{i}>" for i in range(5000)) + " } }")
>>> check_query_text("SELECT * WHERE " + "{" * 500 + "}" * 500)
Traceback (most recent call last):
...
relaxgraph.errors.QueryTooComplexError: the query nests 500 levels deep (brackets and parentheses); the limit is 128. Flatten it (fewer nested groups or parentheses).
>>> check_query_text("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
relaxgraph.errors.FederationRefusedError: refused: the query calls another endpoint (SERVICE <http://example.org/sparql>), and federation is off. Allow it explicitly (--allow-service URL) or remove the SERVICE clause.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from ..errors import FederationRefusedError, QueryTooComplexError

__all__ = [
    "MAX_ALTERNATIVES",
    "MAX_NESTING",
    "MAX_OPERATORS",
    "MAX_QUERY_CHARS",
    "check_query_text",
    "service_targets",
]

#: Longest query text accepted (characters).
MAX_QUERY_CHARS = 1_000_000
#: Deepest nesting of ``{`` ``(`` ``[`` accepted. The catalogue's deepest query nests 6.
MAX_NESTING = 128
#: Most ``UNION`` / ``||`` / ``&&`` operators in one query (each adds a level to the parser).
MAX_ALTERNATIVES = 1_000

# IRIs, strings and comments, in one alternation so that each is consumed whole, left to right.
_TOKEN = re.compile(
    r"""(?P<iri><[^<>"{}|^`\\\s]*>)"""
    r"""|(?P<long>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")"""
    r"""|(?P<short>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
    r"""|(?P<comment>\#[^\n]*)""",
    re.DOTALL,
)
#: Most operators, clauses and pattern separators in one query. Oxigraph builds (and then
#: optimises and evaluates) a tree as deep as a chain of them is long: measured with 0.5.13,
#: 10,000 ``+`` or ``!`` in a FILTER, 10,000 triple patterns or 3,000 BINDs overflow the stack.
MAX_OPERATORS = 2_000

_SERVICE = re.compile(r"(?<![\w:.\-])SERVICE(?![\w:\-])(?:\s+SILENT)?\s*(\S*)", re.IGNORECASE)
_ALTERNATIVES = re.compile(r"(?<![\w:])UNION(?![\w:])|\|\||&&", re.IGNORECASE)
_OPERATORS = re.compile(
    r"[!^]|[-+*/=<>|&]+|[.;,](?!\d)"
    r"|(?<![\w:?$])(?:OPTIONAL|MINUS|FILTER|BIND|VALUES|GRAPH|SERVICE|EXISTS|IN)(?![\w:])",
    re.IGNORECASE,
)
_TRIPLE_OPEN = re.compile(r"<<|>>")
_IRI_MARK = re.compile(r"<\d+>")


def _skeleton(text: str) -> tuple[str, list[str]]:
    """``text`` with each IRI replaced by ``<n>`` (its index in the list returned) and strings and
    comments blanked, so that brackets and keywords inside them do not count."""
    iris: list[str] = []

    def replace(m: re.Match[str]) -> str:
        if m.group("iri") is not None:
            iris.append(m.group("iri")[1:-1])
            return f"<{len(iris) - 1}>"
        return '""' if m.group("comment") is None else ""

    return _TOKEN.sub(replace, text), iris


def service_targets(text: str) -> list[str]:
    """The endpoints a query's ``SERVICE`` clauses call: IRIs, or ``?var`` for a variable.

    >>> service_targets('SELECT * { SERVICE SILENT <http://a/q> {} SERVICE ?e {} } # SERVICE <http://b>')
    ['http://a/q', '?e']
    """
    skeleton, iris = _skeleton(text)
    targets = []
    for m in _SERVICE.finditer(skeleton):
        word = m.group(1)
        iri = re.match(r"<(\d+)>", word)
        targets.append(iris[int(iri.group(1))] if iri else word.split("{")[0] or "?")
    return targets


def check_query_text(
    text: str, *, allow_service: Collection[str] | bool = False, source: str = "query"
) -> None:
    """Refuse query text that would crash the parser or reach the network.

    ``allow_service`` is ``False`` (no federation), ``True`` (any endpoint) or a collection
    of endpoint IRIs that ``SERVICE`` may call. Raises :class:`QueryTooComplexError` or
    :class:`FederationRefusedError`; returns ``None`` when the text may be parsed.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryTooComplexError(
            f"the {source} is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,}. "
            "Send a shorter query (move long VALUES lists into a data file and load it)."
        )
    skeleton, _ = _skeleton(text)
    depth = deepest = 0
    # Reified triples (``<< s p o >>``) nest too; count each ``<<`` / ``>>`` as one bracket.
    for ch in _TRIPLE_OPEN.sub(lambda m: "{" if m.group() == "<<" else "}", skeleton):
        if ch in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "})]":
            depth -= 1
    if deepest > MAX_NESTING:
        raise QueryTooComplexError(
            f"the {source} nests {deepest} levels deep (brackets and parentheses); the limit is "
            f"{MAX_NESTING}. Flatten it (fewer nested groups or parentheses)."
        )
    alternatives = len(_ALTERNATIVES.findall(skeleton))
    if alternatives > MAX_ALTERNATIVES:
        raise QueryTooComplexError(
            f"the {source} has {alternatives:,} UNION, || or && operators; the limit is "
            f"{MAX_ALTERNATIVES:,}. Use VALUES or IN (...) for long lists of alternatives."
        )
    # IRIs stand as <n> in the skeleton: their brackets are not comparison operators.
    operators = len(_OPERATORS.findall(_IRI_MARK.sub(" ", skeleton)))
    if operators > MAX_OPERATORS:
        raise QueryTooComplexError(
            f"the {source} has {operators:,} operators, clauses and pattern separators; the limit "
            f"is {MAX_OPERATORS:,}. Split it, or put long lists of values in VALUES (which has "
            "no limit)."
        )
    if allow_service is True:
        return
    allowed = set() if allow_service is False else set(allow_service)
    for target in service_targets(text):
        if target not in allowed:
            shown = f"<{target}>" if not target.startswith("?") else target
            raise FederationRefusedError(
                f"refused: the {source} calls another endpoint (SERVICE {shown}), and federation "
                "is off. Allow it explicitly (--allow-service URL) or remove the SERVICE clause."
            )
