"""What the layers cost: every catalogue query over the bundled graph, three layouts side by side.

- ``default``: every triple in the default graph (the layout before layers);
- ``layers``: each layer in its named graph, the default graph the list of the graphs
  (``default_graph=[...]``: what relaxgraph falls back to when a store also holds named
  graphs that are not layers);
- ``as-union``: the same store queried with pyoxigraph's ``use_default_graph_as_union=True``
  (what relaxgraph does when every named graph is a layer's, as in the bundled graph).

Each query runs ``--repeat`` times per layout, interleaved; the medians are printed with the
ratios to ``default``, and the answers are checked equal.

    python benchmarks/bench_layers.py --repeat 15
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

import pyoxigraph as ox

from relaxgraph.api import queries
from relaxgraph.data.layer_registry import union_graphs, union_triples
from relaxgraph.storage.engines import OxigraphEngine
from relaxgraph.storage.store import bundled_store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    layered = bundled_store()
    flat = ox.Store()
    flat.extend(ox.Quad(t.subject, t.predicate, t.object) for t in union_triples(layered))
    engine = OxigraphEngine(layered)
    assert engine.dataset == {"use_default_graph_as_union": True}  # what relaxgraph runs
    runs: dict[str, dict[str, Any]] = {
        "default": {"store": flat, "options": {}},
        "layers": {"store": layered, "options": {"default_graph": union_graphs(layered)}},
        "as-union": {"store": layered, "options": {"use_default_graph_as_union": True}},
    }
    totals = {name: 0.0 for name in runs}
    print(
        f"{'query':32} {'default ms':>10} {'layers ms':>10} {'ratio':>6} {'as-union ms':>11} {'ratio':>6}"
    )
    for name, entry in sorted(queries().items()):
        text, bindings = entry.prepare(engine, entry.bind(engine))  # defaults
        subs = {ox.Variable(k): v for k, v in bindings.items()} or None
        times: dict[str, list[float]] = {k: [] for k in runs}
        answers: dict[str, Any] = {}
        for _ in range(args.repeat):
            for layout, run in runs.items():
                started = time.perf_counter()
                result = run["store"].query(text, substitutions=subs, **run["options"])
                answer = _materialise(result)
                times[layout].append(time.perf_counter() - started)
                answers[layout] = answer
        assert answers["default"] == answers["layers"] == answers["as-union"], name
        medians = {k: statistics.median(v) * 1000 for k, v in times.items()}
        for k in totals:
            totals[k] += medians[k]
        print(
            f"{name:32} {medians['default']:10.2f} {medians['layers']:10.2f} "
            f"{medians['layers'] / medians['default']:6.2f} {medians['as-union']:11.2f} "
            f"{medians['as-union'] / medians['default']:6.2f}"
        )
    print(
        f"{'sum of medians':32} {totals['default']:10.2f} {totals['layers']:10.2f} "
        f"{totals['layers'] / totals['default']:6.2f} {totals['as-union']:11.2f} "
        f"{totals['as-union'] / totals['default']:6.2f}"
    )


def _materialise(result: Any) -> Any:
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        return sorted(str([row[i] for i in range(len(result.variables))]) for row in result)
    return sorted(str(t) for t in result)


if __name__ == "__main__":
    main()
