"""Readable text tables of query results, for terminals and notebooks."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence

import pyoxigraph as ox

from ..querying.resolve import compact
from ._terminal import printable

__all__ = ["format_table", "term_text"]


def term_text(term: object) -> str:
    """A result term as a person reads it: IRIs compacted (``rg:baclofen``), literals as their value."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def format_table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], width: int | None = None
) -> str:
    """An aligned text table; long cells are cut with an ellipsis to fit the terminal.

    Control characters in the data (ESC, C0 and C1 controls, bidirectional overrides) are
    shown as escapes (``\\x1b``), so that a hostile label cannot drive the terminal.

    >>> print(format_table(["drug", "n"], [["rg:baclofen", 3]]))
    drug         n
    -----------  -
    rg:baclofen  3
    (1 row)
    """
    cells = [
        [term_text(c) if not isinstance(c, (str, int, float)) else str(c) for c in row]
        for row in rows
    ]
    # one line per row, and no control character from the data reaches the terminal
    cells = [[printable(" ".join(c.split())) for c in row] for row in cells]
    headers = [printable(h) for h in headers]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], len(c))
    if width is None and not sys.stdout.isatty():
        width = 10**6  # piped or captured: keep every character
    total = width or shutil.get_terminal_size((120, 24)).columns
    budget = max(total - 2 * (len(headers) - 1), 20)
    while sum(widths) > budget and max(widths) > 12:
        i = widths.index(max(widths))
        widths[i] -= 1

    def fit(text: str, w: int) -> str:
        return text if len(text) <= w else text[: max(w - 1, 0)] + "…"

    lines = ["  ".join(fit(h, w).ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(fit(c, w).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in cells
    ]
    n = len(cells)
    lines.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(lines)
