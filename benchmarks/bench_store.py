"""Stores side by side: load time, peak memory and the catalogue's query latencies.

One command::

    python benchmarks/bench_store.py                       # 10k, 100k, 1M triples
    python benchmarks/bench_store.py --sizes 10000,100000  # quicker
    python benchmarks/bench_store.py --sizes 10000000 --configs embedded,raw   # 10M, Oxigraph only

For each size it writes a synthetic pharmacology-shaped graph (``synth.py``), then, for each
configuration, starts fresh processes (so runs do not share caches or memory) that load the
bundled graph plus the synthetic file and time every catalogue query (parameters at their
defaults) and three whole-graph queries:

- ``rdflib``: rdflib's in-memory ``Graph()``, queried with ``Graph.query`` (the comparison);
- ``embedded``: relaxgraph's default, ``store.load_files()`` into an in-memory Oxigraph store,
  queried with ``sparql.run()`` and the result's terms read (what a library user gets);
- ``raw``: pyoxigraph itself, ``Store.bulk_load(path=...)``, ``Store.query()`` and the
  solutions listed: the practical limit for the embedded path;
- ``disk`` / ``raw-disk``: the same two on disk (``relaxgraph load --store``, crash-safe,
  against a plain ``bulk_load`` into a fresh folder).

Load times are medians over ``--load-runs`` fresh processes; query latencies are medians of
``--runs`` runs after one warm-up run, in the first of those processes; peak memory is that
process's maximum resident set size (``getrusage``), the interpreter and imports included.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CONFIGS = ("rdflib", "embedded", "raw", "disk", "raw-disk")

PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rg: <https://w3id.org/relaxgraph/id/>
PREFIX rgo: <https://w3id.org/relaxgraph/ontology#>
"""
#: Whole-graph queries (not in the catalogue), as in the issue's measurements.
EXTRA = {
    "bench:group-by": PREFIXES + "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p",
    "bench:two-hop": PREFIXES
    + "SELECT (COUNT(*) AS ?n) WHERE { ?drug rgo:hasSideEffect ?se . ?se rdfs:label ?label }",
    "bench:subclass-star": PREFIXES
    + "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a/rdfs:subClassOf* rg:muscle-relaxants }",
}


# --- the child process: one configuration, one size ----------------------------------------------


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _queries() -> list[tuple[str, str, dict[str, Any]]]:
    """(name, text, raw parameter values) for every catalogue query, then the extra ones."""
    from relaxgraph.querying.catalogue import load_catalogue

    out: list[tuple[str, str, dict[str, Any]]] = [
        (q.name, q.text, {}) for q in load_catalogue().values()
    ]
    return out + [(k, v, {}) for k, v in EXTRA.items()]


def child(
    config: str, data: Path, workdir: Path, runs: int, with_queries: bool, only_extra: bool = False
) -> dict[str, Any]:
    import pyoxigraph as ox

    from relaxgraph.data import _resources

    bundled = [Path(str(f)) for f in _resources.data_files()]
    result: dict[str, Any] = {"config": config}
    started = time.perf_counter()
    if config == "rdflib":
        import rdflib

        graph = rdflib.Graph()
        for f in bundled:
            graph.parse(f, format="turtle")
        graph.parse(data, format="nt")
        result["triples"] = len(graph)
    elif config in ("embedded", "disk"):
        from relaxgraph.storage.engines import OxigraphEngine
        from relaxgraph.storage.store import load_files

        target = workdir / "relaxgraph.db" if config == "disk" else None
        report = load_files([data], target, replace=True)
        engine = OxigraphEngine(report.store)
    else:  # raw, raw-disk
        folder = workdir / "raw.db"
        store = ox.Store(str(folder)) if config == "raw-disk" else ox.Store()
        for f in bundled:
            store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE)
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES)
        if config == "raw-disk":
            store.flush()
    result["load_s"] = time.perf_counter() - started
    if not with_queries:
        result["peak_mib"] = _peak_mib()
        return result

    from relaxgraph.querying.catalogue import load_catalogue
    from relaxgraph.querying.sparql import run
    from relaxgraph.storage.engines import OxigraphEngine

    catalogue = load_catalogue()
    # Bind the parameters once, on an Oxigraph engine over the same data, outside the timing.
    if config == "rdflib":
        from relaxgraph.querying._convert import term_to_rdflib

        binder: Any = OxigraphEngine(_bundled_ox())
    elif config in ("embedded", "disk"):
        binder = engine
    else:
        binder = OxigraphEngine(store)
    timings: dict[str, list[float]] = {}
    paired: dict[str, list[float]] = {}
    rows: dict[str, int] = {}
    for name, text, _ in _queries():
        if only_extra and name in catalogue:
            continue
        bindings = catalogue[name].bind(binder) if name in catalogue else {}
        if config in ("embedded", "disk") and name in catalogue:  # as the CLI and library do
            text, bindings = catalogue[name].prepare(engine, bindings)
        if config == "rdflib":
            init = {k: term_to_rdflib(v) for k, v in bindings.items()}

            def go(text: str = text, extra: Any = init) -> int:
                return len(list(graph.query(text, initBindings=extra)))
        elif config in ("embedded", "disk"):

            def go(text: str = text, extra: Any = bindings) -> int:
                r = run(engine, text, extra)
                return (
                    len(r.terms)
                    if r.kind == "select"
                    else len(r.triples)
                    if r.kind == "graph"
                    else 1
                )
        else:
            subs = {ox.Variable(k): v for k, v in bindings.items()}

            def go(text: str = text, extra: Any = subs) -> int:
                r = store.query(text, substitutions=extra or None)
                if isinstance(r, ox.QueryBoolean):
                    return 1
                if isinstance(r, ox.QuerySolutions):
                    return len([tuple(solution) for solution in r])  # read the terms, as run() does
                return len(list(r))

        rows[name] = go()  # warm-up
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            go()
            times.append(time.perf_counter() - t0)
        timings[name] = times
        if config == "embedded":  # the same query on the same store through pyoxigraph alone
            same: dict[Any, Any] = {ox.Variable(k): v for k, v in bindings.items()}
            raw_times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                r = engine.store.query(text, substitutions=same or None)
                if isinstance(r, ox.QuerySolutions):
                    [tuple(solution) for solution in r]
                elif not isinstance(r, ox.QueryBoolean):
                    list(r)
                raw_times.append(time.perf_counter() - t0)
            paired[name] = raw_times
    result["queries"] = timings
    if paired:
        result["raw_same_process"] = paired
    result["rows"] = rows
    result["peak_mib"] = _peak_mib()
    return result


def _bundled_ox() -> Any:
    from relaxgraph.storage.store import bundled_store

    return bundled_store()


# --- the parent: sizes x configurations, then the tables -----------------------------------------


def run_child(
    config: str, data: Path, runs: int, with_queries: bool, timeout: float, only_extra: bool = False
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="rg-bench-") as work:
        cmd = [sys.executable, __file__, "--child", config, str(data), work, str(runs)]
        cmd += [str(int(with_queries)), str(int(only_extra))]
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return {"config": config, "error": f"timed out after {timeout:g} s"}
        if out.returncode != 0:
            return {"config": config, "error": out.stderr.strip().splitlines()[-1:] or ["failed"]}
        return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def measure(
    config: str, data: Path, runs: int, load_runs: int, timeout: float, only_extra: bool = False
) -> dict[str, Any]:
    first = run_child(config, data, runs, True, timeout, only_extra)
    if "error" in first:
        return first
    loads = [first["load_s"]]
    for _ in range(load_runs - 1):
        again = run_child(config, data, runs, False, timeout)
        if "error" in again:
            break
        loads.append(again["load_s"])
    first["loads"] = loads
    first["load_s"] = statistics.median(loads)
    return first


def _geomean(xs: list[float]) -> float:
    xs = [x for x in xs if x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def _ms(x: float) -> str:
    return f"{x * 1000:.1f}" if x < 10 else f"{x * 1000:.0f}"


def _all_names(by_config: dict[str, dict[str, Any]]) -> list[str]:
    names: list[str] = []
    for r in by_config.values():
        for name in r.get("queries", {}):
            if name not in names:
                names.append(name)
    return names


def report(results: dict[int, dict[str, dict[str, Any]]]) -> str:
    lines = ["## Load, memory and queries", ""]
    lines.append(
        "| triples | store | load s (median, runs) | peak RSS MiB | queries: sum of medians s "
        "| load vs raw | queries vs raw (geomean) | rdflib / this (queries, geomean) |"
    )
    lines.append("|---|---|---|---|---|---|---|---|")
    for size, by_config in results.items():
        raw = by_config.get("raw")
        rdf = by_config.get("rdflib")
        for config, r in by_config.items():
            if "error" in r:
                lines.append(f"| {size:,} | {config} | {r['error']} | | | | | |")
                continue
            med = {k: statistics.median(v) for k, v in r["queries"].items()}
            total = sum(med.values())
            partial = "" if len(med) == len(_all_names(by_config)) else f" ({len(med)} queries)"
            base = raw if config != "raw-disk" else by_config.get("raw")
            if config == "disk":
                base = by_config.get("raw-disk") or raw
            vs_load = vs_q = speed = ""
            if base and "error" not in base and base is not r:
                bmed = {k: statistics.median(v) for k, v in base["queries"].items()}
                vs_load = f"{r['load_s'] / base['load_s']:.2f}x"
                vs_q = f"{_geomean([med[k] / bmed[k] for k in med if bmed.get(k)]):.2f}x"
            if rdf and "error" not in rdf and rdf is not r:
                rmed = {k: statistics.median(v) for k, v in rdf["queries"].items()}
                shared = [k for k in med if k in rmed and med[k] > 0]
                speed = f"{_geomean([rmed[k] / med[k] for k in shared]):.1f}x"
                if len(shared) < len(med):
                    speed += f" ({len(shared)} queries)"
            loads = ", ".join(f"{x:.2f}" for x in r["loads"])
            lines.append(
                f"| {size:,} | {config} | {r['load_s']:.2f} ({loads}) | {r['peak_mib']:.0f} | {total:.3f}{partial} "
                f"| {vs_load} | {vs_q} | {speed} |"
            )
    largest = max(results)
    by_config = results[largest]
    configs = [c for c in by_config if "error" not in by_config[c]]
    lines += ["", f"## Query latency at {largest:,} triples (median ms)", ""]
    paired = by_config.get("embedded", {}).get("raw_same_process", {})
    lines.append(
        "| query | rows | "
        + " | ".join(configs)
        + " | embedded / raw | same process: embedded / raw | rdflib / embedded |"
    )
    lines.append("|---|---|" + "---|" * len(configs) + "---|---|---|")
    for name in _all_names(by_config):
        med = {
            c: statistics.median(by_config[c]["queries"][name])
            for c in configs
            if name in by_config[c]["queries"]
        }
        rows = next(by_config[c]["rows"][name] for c in configs if name in by_config[c]["rows"])
        ratio = (
            f"{med['embedded'] / med['raw']:.2f}"
            if "embedded" in med and "raw" in med and med["raw"]
            else ""
        )
        speed = (
            f"{med['rdflib'] / med['embedded']:.0f}x"
            if "rdflib" in med and "embedded" in med
            else ""
        )
        cells = " | ".join(_ms(med[c]) if c in med else "-" for c in configs)
        same = ""
        if name in paired and "embedded" in med:
            same = f"{med['embedded'] / statistics.median(paired[name]):.2f}"
        lines.append(f"| {name} | {rows} | {cells} | {ratio} | {same} | {speed} |")
    if paired:
        emb = by_config["embedded"]["queries"]
        ratios = [statistics.median(emb[k]) / statistics.median(v) for k, v in paired.items()]
        lines += [
            "",
            "Same process, same store: relaxgraph's query path (`sparql.run` + reading the terms) "
            "against pyoxigraph's `Store.query` + reading the terms: geometric mean "
            f"{_geomean(ratios):.2f}x over {len(ratios)} queries; sum of medians "
            f"{sum(statistics.median(v) for v in emb.values()):.3f} s against "
            f"{sum(statistics.median(v) for v in paired.values()):.3f} s.",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="10000,100000,1000000", help="comma-separated triple counts"
    )
    parser.add_argument("--configs", default=",".join(CONFIGS), help=f"from {', '.join(CONFIGS)}")
    parser.add_argument(
        "--runs", type=int, default=5, help="timed runs per query (after a warm-up)"
    )
    parser.add_argument("--load-runs", type=int, default=3, help="fresh processes per load time")
    parser.add_argument(
        "--rdflib-max", type=int, default=1_000_000, help="skip rdflib above this size"
    )
    parser.add_argument(
        "--rdflib-catalogue-max",
        type=int,
        default=100_000,
        help="above this size rdflib runs only the bench:* queries (its catalogue run takes too long)",
    )
    parser.add_argument(
        "--rdflib-runs", type=int, default=3, help="timed runs per query for rdflib"
    )
    parser.add_argument(
        "--data", default=None, help="folder for the generated files (default: a temp folder)"
    )
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per child process")
    parser.add_argument("--json", default=None, help="also write the raw figures here")
    args = parser.parse_args()

    sys.path.insert(0, str(HERE))
    from synth import write_ntriples

    sizes = [int(s) for s in args.sizes.split(",")]
    configs = [c for c in args.configs.split(",") if c]
    data_dir = Path(args.data) if args.data else Path(tempfile.mkdtemp(prefix="rg-bench-data-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    results: dict[int, dict[str, dict[str, Any]]] = {}
    for size in sizes:
        path = data_dir / f"synth-{size}.nt"
        if not path.exists():
            print(f"generating {size:,} triples -> {path}", file=sys.stderr)
            write_ntriples(path, size, seed=0)
        results[size] = {}
        for config in configs:
            if config == "rdflib" and size > args.rdflib_max:
                results[size][config] = {
                    "config": config,
                    "error": f"skipped above {args.rdflib_max:,} triples (--rdflib-max)",
                }
                continue
            print(f"{size:,} {config} ...", file=sys.stderr, flush=True)
            runs = args.rdflib_runs if config == "rdflib" else args.runs
            only_extra = config == "rdflib" and size > args.rdflib_catalogue_max
            results[size][config] = measure(
                config, path, runs, args.load_runs, args.timeout, only_extra
            )
    if args.json:
        Path(args.json).write_text(json.dumps({str(k): v for k, v in results.items()}, indent=1))
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores; runs per query {args.runs} "
        f"(+1 warm-up), load runs {args.load_runs}\n"
    )
    print(report(results))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _, _, config, data, work, runs, with_queries, only_extra = sys.argv
        figures = child(
            config,
            Path(data),
            Path(work),
            int(runs),
            bool(int(with_queries)),
            bool(int(only_extra)),
        )
        print(json.dumps(figures))
    else:
        main()
