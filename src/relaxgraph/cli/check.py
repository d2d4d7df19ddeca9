"""``relaxgraph check``: how the guide's claims fare, by verdict and by kind of problem."""

from __future__ import annotations

from typing import Any

import click

from ._common import engine_options, handle_errors, open_engine, write_output

VERDICTS = (
    "contradicted",
    "inconsistent",
    "unsupported",
    "imprecise",
    "not-checkable",
    "supported",
)
SCOPES = ("statements", "passages")
LIST_COLUMNS = ("verdict", "kind", "method", "section", "claim", "quote", "reason", "evidence")


def _summary_rows(summary: dict[str, dict[str, dict[str, int]]]) -> list[tuple[str, str, int, int]]:
    """(group, value, statements, passages) rows: verdicts in severity order, then kinds."""
    rows: list[tuple[str, str, int, int]] = []

    def count(scope: str, group: str, value: str) -> int:
        return summary.get(scope, {}).get(group, {}).get(value, 0)

    for verdict in VERDICTS:
        rows.append(
            (
                "verdict",
                verdict,
                count("statements", "verdict", verdict),
                count("passages", "verdict", verdict),
            )
        )
    kinds = sorted({k for scope in summary.values() for k in scope["kind"]} - {"none"})
    for kind in [*kinds, "none"]:
        rows.append(
            ("kind", kind, count("statements", "kind", kind), count("passages", "kind", kind))
        )
    return rows


def _list_row(item: Any) -> list[str]:
    first = item.passages[0] if item.passages else None
    return [
        item.verdict_name,
        item.kind_name,
        item.method.lower(),
        "" if first is None or first.section is None else str(first.section),
        item.claim,
        first.exact if first else "",
        item.reason,
        " ; ".join(e.link or e.iri for e in item.evidence),
    ]


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="table, csv or json.",
)
@click.option("--list", "listing", is_flag=True, help="List every assessment, not only the counts.")
@click.option(
    "--verdict",
    "verdicts",
    multiple=True,
    type=click.Choice(VERDICTS),
    help="With --list: only these verdicts (repeatable).",
)
@click.option(
    "--fail-on",
    "fail_on",
    multiple=True,
    type=click.Choice(VERDICTS),
    help="Exit 1 when some guide statement has this verdict (repeatable), e.g. in CI.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file.")
@engine_options
@handle_errors
def check(
    fmt: str,
    listing: bool,
    verdicts: tuple[str, ...],
    fail_on: tuple[str, ...],
    output: str | None,
    store: str | None,
    endpoint: str | None,
    infer: bool,
    backend: str,
) -> None:
    """How the guide's claims fare: counts by verdict and by kind of problem.

    \b
    Every guide statement has one assessment (computed against the reference layer where it
    allows, curated otherwise); every reviewed passage has one too. Verdicts, most severe first:
    contradicted, inconsistent (with the guide itself), unsupported (no source given),
    imprecise (supported but imprecise or oversimplified), not-checkable, supported.
    \b
    Exit codes: 0 the summary (or list) was written; 1 --fail-on found a statement with that
    verdict; 2 bad input (an unknown option value, an unwritable --output).
    Examples:
      relaxgraph check
      relaxgraph check --list --verdict contradicted
      relaxgraph check --format json -o check.json
      relaxgraph check --fail-on contradicted
    """
    from ..checking.assessment import read_assessments, summary

    engine = open_engine(store, endpoint, infer, backend)
    items = read_assessments(engine)
    if not items:
        click.echo(
            "Note: the graph holds no assessments; load the assessments layer"
            " (it is in the default graph, or --layer assessments).",
            err=True,
        )
    counts = summary(items)
    shown = [i for i in items if not verdicts or i.verdict_name in verdicts]
    write_output(_render(fmt, listing, counts, shown), output)
    hit = sorted({i.verdict_name for i in items if i.statement and i.verdict_name in fail_on})
    if hit:
        n = sum(1 for i in items if i.statement and i.verdict_name in fail_on)
        click.echo(f"check: {n} guide statements are {' or '.join(hit)}", err=True)
        raise SystemExit(1)


def _render(fmt: str, listing: bool, counts: Any, items: list[Any]) -> str:
    rows = _summary_rows(counts)
    if fmt == "json":
        import json

        data: dict[str, Any] = {
            scope: {
                "total": sum(counts.get(scope, {}).get("verdict", {}).values()),
                "by_verdict": {
                    v: counts.get(scope, {}).get("verdict", {}).get(v, 0) for v in VERDICTS
                },
                "by_kind": dict(sorted(counts.get(scope, {}).get("kind", {}).items())),
            }
            for scope in SCOPES
        }
        if listing:
            data["assessments"] = [i.as_dict() for i in items]
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        if listing:
            writer.writerow(LIST_COLUMNS)
            writer.writerows(_list_row(i) for i in items)
        else:
            writer.writerow(("group", "value", *SCOPES))
            writer.writerows(rows)
        return out.getvalue()
    from ..views._terminal import printable
    from ..views.table import format_table

    total = {s: sum(counts.get(s, {}).get("verdict", {}).values()) for s in SCOPES}
    head = (
        f"Assessments of the guide: {total['statements']} statements (every claim),"
        f" {total['passages']} reviewed passages"
    )
    parts = [head, format_table(["", "value", *SCOPES], [list(r) for r in rows])]
    if listing:
        parts.append(
            format_table(
                ["verdict", "kind", "§", "claim", "reason"],
                [[r[0], r[1], r[3], r[4], r[6]] for r in (_list_row(i) for i in items)],
            )
        )
    return printable("\n\n".join(parts), keep_newlines=True) + "\n"
