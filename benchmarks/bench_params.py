"""Every catalogue query, embedded against raw pyoxigraph and rdflib, side by side.

One command::

    python benchmarks/bench_params.py --sizes 100000,1000000 --data rgparams

For each size it writes (or reuses) a synthetic graph from ``synth.py``, loads it with the
bundled graph into an in-memory Oxigraph store and into an rdflib ``Graph``, binds each
catalogue query's default parameters once (outside the timing), and times, in one process:

- ``embedded``: ``CatalogueQuery.prepare`` then ``sparql.run``, the result's terms read: what
  the library and the command line do (bound terms written in as constants where that means
  the same, see ``relaxgraph.querying._inline``, or in a leading VALUES block for ``#+ bind: values``);
- ``raw subst``: pyoxigraph's ``Store.query(text, substitutions=...)``, every term read: the
  plain way to bind parameters in pyoxigraph;
- ``raw const``: ``Store.query`` of the text with the terms written in, every term read;
- ``rdflib``: ``Graph.query(text, initBindings=...)``, every row listed; a run longer than
  ``--rdflib-cap`` seconds is stopped and shown as ``>cap``.

Figures are medians of ``--runs`` runs after one warm-up (rdflib: ``--rdflib-runs``). The
row counts of the four are compared; a mismatch is flagged in the table.
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


class _Cap(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Cap


def _time(go: Callable[[], int], runs: int, cap: float | None = None) -> tuple[float, int]:
    """Median seconds of ``runs`` timed calls after a warm-up, and the row count."""
    if cap is not None:
        signal.signal(signal.SIGALRM, _alarm)
    times = []
    rows = -1
    for i in range(runs + 1):
        if cap is not None:
            signal.setitimer(signal.ITIMER_REAL, cap)
        t0 = time.perf_counter()
        try:
            rows = go()
        except _Cap:
            return float("inf"), -1
        except Exception as exc:  # rdflib fails on some queries (e.g. ORDER BY over unbound)
            if cap is None:
                raise
            print(f"rdflib failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            return float("nan"), -2
        finally:
            if cap is not None:
                signal.setitimer(signal.ITIMER_REAL, 0)
        if i:
            times.append(time.perf_counter() - t0)
        elif cap is not None and time.perf_counter() - t0 > cap / 4:
            return time.perf_counter() - t0, rows  # slow: one run is the figure
    return statistics.median(times), rows


def _read(result: Any) -> int:
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        return 1
    if isinstance(result, ox.QuerySolutions):
        return len([tuple(solution) for solution in result])
    return len(list(result))


def measure(
    size: int, data_dir: Path, runs: int, rdflib_runs: int, cap: float, only: set[str] | None = None
) -> list[dict[str, Any]]:
    import pyoxigraph as ox
    import rdflib
    from synth import write_ntriples

    from relaxgraph.data import _resources
    from relaxgraph.querying._convert import term_to_rdflib
    from relaxgraph.querying._inline import inline
    from relaxgraph.querying.catalogue import load_catalogue
    from relaxgraph.querying.sparql import run
    from relaxgraph.storage.engines import OxigraphEngine
    from relaxgraph.storage.store import load_files

    data = data_dir / f"synth-{size}.nt"
    if not data.exists():
        write_ntriples(data, size)
    engine = OxigraphEngine(load_files([data], None, replace=True).store)
    store = engine.store
    graph = rdflib.Graph()
    for f in _resources.data_files():
        graph.parse(str(f), format="turtle")
    graph.parse(data, format="nt")
    out = []
    for name, q in load_catalogue().items():
        if only and name not in only:
            continue
        bindings = q.bind(engine)
        subs: dict[Any, Any] = {ox.Variable(k): v for k, v in bindings.items()}
        written = inline(q.text, bindings)
        init = {k: term_to_rdflib(v) for k, v in bindings.items()}
        text, prepared = q.prepare(engine, bindings)  # as the CLI and the library do
        emb, n_emb = _time(lambda: len(run(engine, text, prepared)), runs)  # noqa: B023
        raw, n_raw = _time(lambda: _read(store.query(q.text, substitutions=subs or None)), runs)  # noqa: B023
        const, n_const = (
            _time(lambda: _read(store.query(written)), runs)  # noqa: B023
            if written is not None and bindings
            else (float("nan"), n_raw)
        )
        rdf, n_rdf = _time(
            lambda: len(list(graph.query(q.text, initBindings=init))),  # noqa: B023
            rdflib_runs,
            cap,
        )
        row = {
            "query": name, "size": size, "rows": n_emb, "embedded": emb, "raw_subst": raw,
            "raw_const": const, "rdflib": rdf,
            "same_rows": n_emb == n_raw == n_const and n_rdf in (-1, -2, n_emb),
        }  # fmt: skip
        out.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    return out


def _ms(x: float, cap: float) -> str:
    if x == float("inf"):
        return f">{cap * 1000:,.0f}"
    if x != x:  # nan: no parameter to write in, or rdflib failed
        return "-"
    return f"{x * 1000:,.1f}" if x < 1 else f"{x * 1000:,.0f}"


def table(rows: list[dict[str, Any]], cap: float) -> str:
    size = rows[0]["size"]
    lines = [
        f"### {size:,} triples (median ms)",
        "",
        "| query | rows | embedded | raw subst | raw const | rdflib | raw subst / embedded "
        "| rdflib / embedded |",
        "|---|---|---|---|---|---|---|---|",
    ]
    slower = []
    for r in rows:
        emb = r["embedded"]
        rdf = r["rdflib"]
        if rdf != rdf:
            vs_rdf = "rdflib fails"
        elif rdf == float("inf"):
            vs_rdf = f">{cap / emb:,.0f}x"
        else:
            vs_rdf = f"{rdf / emb:,.1f}x"
        if rdf < emb:
            slower.append(r["query"])
        flag = "" if r["same_rows"] else " (rows differ!)"
        lines.append(
            f"| {r['query']} | {r['rows']}{flag} | {_ms(emb, cap)} | {_ms(r['raw_subst'], cap)} "
            f"| {_ms(r['raw_const'], cap)} | {_ms(rdf, cap)} | {r['raw_subst'] / emb:,.1f}x "
            f"| {vs_rdf} |"
        )
    lines += [
        "",
        f"Slower embedded than on rdflib: {', '.join(slower) if slower else 'none'}.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated triple counts")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rdflib-runs", type=int, default=3)
    parser.add_argument(
        "--rdflib-cap", type=float, default=60.0, help="seconds before an rdflib run is stopped"
    )
    parser.add_argument("--data", type=Path, default=Path("rgparams"), help="folder for the graphs")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--queries", help="comma-separated catalogue query names (default: all)")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    everything = []
    for size in (int(s) for s in args.sizes.split(",")):
        only = set(args.queries.split(",")) if args.queries else None
        rows = measure(size, args.data, args.runs, args.rdflib_runs, args.rdflib_cap, only)
        everything += rows
        print(table(rows, args.rdflib_cap) + "\n", flush=True)
    if args.json:
        args.json.write_text(json.dumps(everything, indent=1))


if __name__ == "__main__":
    main()
