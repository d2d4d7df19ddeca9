"""The annotated guide: the guide's text with every claim highlighted by its verdict.

:func:`render_report` returns one self-contained page (HTML, printable, no request to another
host, all text escaped) or its Markdown version. The guide itself is not redistributed (see the
guide layer's attribution), so by default the page is built from what the graph holds: the
verbatim quotes of the claims and reviewed passages, in document order within their sections,
with "…" where the guide's text between two quotes is left out. Given the guide's text
(``guide_text``, e.g. ``relaxgraph report --guide PATH``), the page shows the whole text, after
checking that every quote lies at its recorded offsets.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Literal

from ..checking.assessment import (
    SEVERITY,
    VERDICT_LABELS,
    VERDICT_NAMES,
    Assessed,
    read_assessments,
    summary,
)
from ..errors import RelaxgraphError

__all__ = ["GuideMismatchError", "render_report"]

SECTIONS_QUERY = "report-sections"
GAP = " \u2026 "


class GuideMismatchError(RelaxgraphError, ValueError):
    """The text given as the guide is not the text the graph's quotes come from."""

    exit_code = 2


@dataclass
class Section:
    number: int
    title: str
    untitled: bool
    start: int
    end: int
    parent: int | None
    items: list[int] = field(default_factory=list)  # indexes of assessments with a passage here


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    text: str
    covering: tuple[int, ...]  # indexes of the assessments whose passage covers it
    gap_before: bool


def _sections(engine: Any) -> tuple[str, list[Section]]:
    from ..querying.catalogue import internal
    from ..querying.sparql import run

    title = "The guide"
    out: list[Section] = []
    for row in run(engine, internal(SECTIONS_QUERY).text).terms:
        t, number, heading, label, start, end, parent = (
            None if x is None else x.value for x in row
        )
        title = t or title
        out.append(
            Section(
                int(number),  # type: ignore[arg-type]
                heading or label or f"section {number}",
                heading is None,
                int(start),  # type: ignore[arg-type]
                int(end),  # type: ignore[arg-type]
                int(parent) if parent else None,
            )
        )
    out.sort(key=lambda s: s.number)
    return title, out


def _known_text(items: Sequence[Assessed], guide_text: str | None) -> dict[int, str]:
    """Offset -> character, from the quotes (or the whole guide, checked against the quotes)."""
    chars: dict[int, str] = {}
    for item in items:
        for p in item.passages:
            if guide_text is not None and guide_text[p.start : p.end] != p.exact:
                raise GuideMismatchError(
                    f"the text given as the guide does not match the graph's quote at offset"
                    f" {p.start} ({p.exact[:40]!r}); give the guide file the graph was built from,"
                    " or leave out --guide to build the page from the quotes"
                )
            for i, ch in enumerate(p.exact):
                chars[p.start + i] = ch
    if guide_text is not None:
        return dict(enumerate(guide_text))
    return chars


def _segments(sec: Section, items: Sequence[Assessed], chars: dict[int, str]) -> list[Segment]:
    cuts = {sec.start, sec.end}
    spans: list[tuple[int, int, int]] = []
    for index in sec.items:
        for p in items[index].passages:
            if sec.start <= p.start < sec.end:
                spans.append((p.start, p.end, index))
                cuts.update((p.start, min(p.end, sec.end)))
    # contiguous runs of known text inside the section
    positions = sorted(i for i in chars if sec.start <= i < sec.end)
    runs: list[tuple[int, int]] = []
    for i in positions:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    out: list[Segment] = []
    for run_start, run_end in runs:
        bounds = sorted(c for c in cuts if run_start < c < run_end)
        edges = [run_start, *bounds, run_end]
        for k, (a, b) in enumerate(itertools.pairwise(edges)):
            covering = tuple(sorted({i for s, e, i in spans if s <= a and b <= e}))
            text = "".join(chars[j] for j in range(a, b))
            out.append(Segment(a, b, text, covering, k == 0 and run_start != sec.start))
    return out


def _worst(indexes: Iterable[int], items: Sequence[Assessed]) -> str:
    return min((items[i].verdict for i in indexes), key=SEVERITY.index)


def _data(engine: Any, guide_text: str | None) -> tuple[str, list[Section], list[Assessed]]:
    if engine is None:
        from ..api import default_engine

        engine = default_engine()
    title, sections = _sections(engine)
    items = [i for i in read_assessments(engine) if i.passages]
    items.sort(key=lambda i: (i.passages[0].start, i.statement is None, i.iri))
    for index, item in enumerate(items):
        start = item.passages[0].start
        for sec in sections:
            if any(sec.start <= p.start < sec.end for p in item.passages):
                sec.items.append(index)
        if not any(s.start <= start < s.end for s in sections):  # pragma: no cover - defensive
            continue
    return title, sections, items


def render_report(
    graph: Any = None,
    *,
    fmt: Literal["html", "markdown"] = "html",
    guide_text: str | None = None,
) -> str:
    """The annotated guide as one self-contained page.

    ``graph`` is an engine as the other views take (default: the bundled graph); ``fmt`` is
    ``"html"`` (printable, offline, highlights with reason and evidence on click, hover or
    keyboard) or ``"markdown"`` (for terminals and diffs). ``guide_text`` is the guide's full
    text; without it the page shows the quotes the graph holds, in order, with "…" for gaps.
    """
    if fmt not in ("html", "markdown"):
        raise GuideMismatchError(f"unknown report format {fmt!r}; use html or markdown")
    title, sections, items = _data(graph, guide_text)
    chars = _known_text(items, guide_text)
    if fmt == "markdown":
        return _markdown(title, sections, items, chars, guide_text is not None)
    return _html(title, sections, items, chars, guide_text is not None)


# ------------------------------------------------------------------------------------------
# HTML
# ------------------------------------------------------------------------------------------
def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _spelled(kind: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", " ", kind).lower()


def _safe_link(url: str | None) -> str | None:
    return url if url and re.fullmatch(r"https?://[^\s\"'<>]+", url) else None


def _entry_html(n: int, item: Assessed) -> str:
    verdict = VERDICT_NAMES[item.verdict]
    where = item.passages[0]
    section = f"\u00a7 {where.section}" if where.section else ""
    evidence = []
    for ev in item.evidence:
        link = _safe_link(ev.link)
        text = _e(ev.text)
        if link:
            text += f' <a href="{_e(link)}" rel="noreferrer noopener" target="_blank">record</a>'
        evidence.append(f'<li><span class="ek">{_e(ev.kind)}</span> {text}</li>')
    ev_html = (
        f'<ul class="ev">{"".join(evidence)}</ul>'
        if evidence
        else '<p class="ev none">No evidence beyond the reason.</p>'
    )
    kind = f' <span class="kind">{_e(item.kind_name.replace("-", " "))}</span>' if item.kind else ""
    source = (
        f"reviewed passage {_e(item.review_id)}"
        if item.review_id
        else f"claim: {_e(item.claim)}"
        + (f" ({_e(_spelled(item.evidence_kind))})" if item.evidence_kind else "")
    )
    return (
        f'<li class="entry v-{verdict}" id="a-{n}" data-verdict="{verdict}">'
        f'<p><span class="badge v-{verdict}">{_e(VERDICT_LABELS[item.verdict])}</span>{kind}'
        f' <span class="meta">{section} \u00b7 {source} \u00b7 {_e(item.method.lower())}'
        f"{' (' + _e(item.check) + ' check)' if item.check else ''}</span></p>"
        f"<blockquote>{_e(where.exact)}</blockquote>"
        f'<p class="reason">{_e(item.reason)}</p>{ev_html}'
        f'<p class="meta"><a href="#t-{n}">show in the text</a></p></li>'
    )


def _html(
    title: str, sections: list[Section], items: list[Assessed], chars: dict[int, str], full: bool
) -> str:
    counts = summary(items)
    verdicts = [v for v in SEVERITY]
    rows = "".join(
        f'<tr><td><span class="badge v-{VERDICT_NAMES[v]}">{_e(VERDICT_LABELS[v])}</span></td>'
        f"<td>{counts.get('statements', {}).get('verdict', {}).get(VERDICT_NAMES[v], 0)}</td>"
        f"<td>{counts.get('passages', {}).get('verdict', {}).get(VERDICT_NAMES[v], 0)}</td>"
        f'<td><a href="#v-{VERDICT_NAMES[v]}">list</a></td></tr>'
        for v in verdicts
    )
    kinds = sorted(
        {k for scope in counts.values() for k in scope["kind"] if k != "none"},
        key=lambda k: -sum(s["kind"].get(k, 0) for s in counts.values()),
    )
    kind_rows = "".join(
        f"<tr><td>{_e(k.replace('-', ' '))}</td>"
        f"<td>{counts.get('statements', {}).get('kind', {}).get(k, 0)}</td>"
        f"<td>{counts.get('passages', {}).get('kind', {}).get(k, 0)}</td></tr>"
        for k in kinds
    )
    toc = "".join(
        f'<li class="{"sub" if s.parent else ""}"><a href="#s-{s.number}">{_e(s.title)}</a>'
        f' <span class="n">{len(s.items)}</span></li>'
        for s in sections
    )
    body = []
    placed: set[int] = set()
    for sec in sections:
        level = "h3" if sec.parent else "h2"
        heading = f"<em>({_e(sec.title)})</em>" if sec.untitled else _e(sec.title)
        parts = []
        for seg in _segments(sec, items, chars):
            if seg.gap_before:
                parts.append(f'<span class="gap">{_e(GAP)}</span>')
            text = _e(seg.text)
            if seg.covering:
                worst = VERDICT_NAMES[_worst(seg.covering, items)]
                first = items[seg.covering[0]]
                tip = f"{VERDICT_LABELS[first.verdict]}: {first.reason}"
                if len(seg.covering) > 1:
                    tip += f" (+{len(seg.covering) - 1} more)"
                ids = " ".join(f"a-{i}" for i in seg.covering)
                starts = [
                    i
                    for i in seg.covering
                    if i not in placed and items[i].passages[0].start == seg.start
                ]
                placed.update(starts)
                parts.extend(f'<span id="t-{i}"></span>' for i in starts)
                parts.append(
                    f'<a class="hl v-{worst}" href="#a-{seg.covering[0]}" data-a="{ids}"'
                    f' title="{_e(tip)}">{text}</a>'
                )
            else:
                parts.append(text)
        text_html = "".join(parts) or '<span class="gap">(no claim quoted in this section)</span>'
        body.append(
            f'<section id="s-{sec.number}"><{level}>{sec.number}. {heading}</{level}>'
            f'<div class="text">{text_html}</div></section>'
        )
    entries_by_verdict = []
    for v in verdicts:
        name = VERDICT_NAMES[v]
        entries = [_entry_html(i, it) for i, it in enumerate(items) if it.verdict == v]
        entries_by_verdict.append(
            f'<section class="verdict" id="v-{name}"><h2><span class="badge v-{name}">'
            f"{_e(VERDICT_LABELS[v])}</span> ({len(entries)})</h2>"
            f'<ol class="entries">{"".join(entries) or "<li>None.</li>"}</ol></section>'
        )
    source_note = (
        "The guide's full text, given with --guide."
        if full
        else "The guide itself is not redistributed: this page shows the verbatim quotes relaxgraph"
        " holds, in document order; \u201c\u2026\u201d marks text left out."
    )
    legend = "".join(
        f'<li><span class="swatch v-{VERDICT_NAMES[v]}"></span>{_e(VERDICT_LABELS[v])}</li>'
        for v in verdicts
    )
    template = resources.files(__package__).joinpath("_report_template.html").read_text("utf-8")
    values = {
        "TITLE": _e(f"Annotated guide: {title}"),
        "DOC_TITLE": _e(title),
        "SOURCE_NOTE": _e(source_note),
        "SUMMARY_ROWS": rows,
        "KIND_ROWS": kind_rows,
        "LEGEND": legend,
        "TOC": toc,
        "BODY": "".join(body),
        "ENTRIES": "".join(entries_by_verdict),
        "TOTALS": _e(
            json.dumps(
                {
                    s: sum(counts.get(s, {}).get("verdict", {}).values())
                    for s in ("statements", "passages")
                }
            )
        ),
    }
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: values[m.group(1)], template)


# ------------------------------------------------------------------------------------------
# Markdown
# ------------------------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


def _md(text: str) -> str:
    """Markdown-inert text: markup characters escaped, HTML and line breaks neutralised."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _markdown(
    title: str, sections: list[Section], items: list[Assessed], chars: dict[int, str], full: bool
) -> str:
    counts = summary(items)
    lines = [f"# Annotated guide: {_md(title)}", ""]
    lines.append(
        "The guide's full text."
        if full
        else "Built from the verbatim quotes relaxgraph holds; \u2026 marks text left out."
    )
    lines += ["", "| verdict | statements | reviewed passages |", "|---|---|---|"]
    for v in SEVERITY:
        name = VERDICT_NAMES[v]
        lines.append(
            f"| {_md(VERDICT_LABELS[v])} | {counts.get('statements', {}).get('verdict', {}).get(name, 0)}"
            f" | {counts.get('passages', {}).get('verdict', {}).get(name, 0)} |"
        )
    lines.append("")
    for sec in sections:
        marks = "###" if sec.parent else "##"
        heading = f"_({_md(sec.title)})_" if sec.untitled else _md(sec.title)
        lines += [f"{marks} {sec.number}. {heading}", ""]
        text = []
        for seg in _segments(sec, items, chars):
            if seg.gap_before:
                text.append(" \u2026 ")
            if seg.covering:
                refs = "".join(
                    f"[^a{i}]"
                    for i in seg.covering
                    if any(p.start == seg.start for p in items[i].passages)
                )
                worst = VERDICT_NAMES[_worst(seg.covering, items)].upper()
                text.append(f"**{_md(seg.text)}** \\[{worst}\\]{refs}")
            else:
                text.append(_md(seg.text))
        lines += ["".join(text) or "_(no claim quoted in this section)_", ""]
    lines += ["## Assessments", ""]
    for i, item in enumerate(items):
        kind = f" ({_md(item.kind_name.replace('-', ' '))})" if item.kind else ""
        evidence = "; ".join(
            _md(e.text) + (f" <{e.link}>" if _safe_link(e.link) else "") for e in item.evidence
        )
        lines.append(
            f"[^a{i}]: **{_md(VERDICT_LABELS[item.verdict])}**{kind}: {_md(item.reason)}"
            + (f" Evidence: {evidence}" if evidence else "")
        )
    return "\n".join(lines) + "\n"
