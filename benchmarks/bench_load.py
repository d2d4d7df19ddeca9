"""How long loading the bundled graph takes, each way, side by side.

    python benchmarks/bench_load.py [--runs 7]

Prints the median of ``--runs`` calls in one process (after one warm-up call) for:
``relaxgraph.load()`` (rdflib Graph over Oxigraph, the default), ``load(store="memory")``
(rdflib's own store), ``load(infer=True)`` (with the OWL-RL closure), the Oxigraph store the
CLI uses, and rdflib parsing the same Turtle files itself, with ratios to the default.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any


def median_time(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    result = fn()  # warm-up: imports, caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    import rdflib

    from relaxgraph.data import _resources
    from relaxgraph.storage.graph import load
    from relaxgraph.storage.store import bundled_store

    def rdflib_parse() -> rdflib.Graph:
        g = rdflib.Graph()
        for f in _resources.data_files():
            g.parse(data=f.read_bytes(), format="turtle")
        return g

    cases: list[tuple[str, Callable[[], Any], int]] = [
        ("relaxgraph.load()  [rdflib API, Oxigraph store]", load, args.runs),
        ('relaxgraph.load(store="memory")', lambda: load(store="memory"), args.runs),
        ("bundled_store()  [pyoxigraph, what the CLI uses]", bundled_store, args.runs),
        ("rdflib Graph().parse(...) of the same files", rdflib_parse, args.runs),
        (
            "relaxgraph.load(infer=True)  [OWL-RL closure]",
            lambda: load(infer=True),
            max(1, args.runs // 3),
        ),
    ]
    rows = []
    for name, fn, runs in cases:
        seconds, result = median_time(fn, runs)
        rows.append((name, seconds, len(result), runs))
    base = rows[0][1]
    print(f"{'what':52} {'median':>9} {'triples':>8} {'runs':>5} {'vs load()':>10}")
    for name, seconds, n, runs in rows:
        print(f"{name:52} {seconds * 1000:7.1f}ms {n:8d} {runs:5d} {seconds / base:9.2f}x")


if __name__ == "__main__":
    main()
