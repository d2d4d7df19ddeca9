"""What parsing and running untrusted query text in child processes costs.

Two figures, medians, alternated run by run so that load on the machine hits both alike:

- cold command line: ``python -m relaxgraph query -e TEXT`` from this checkout against the
  same command from another checkout (``--baseline SRC``, e.g. a worktree of ``main``);
- warm library: ``check_syntax`` in process against in a child, and ``run`` in process
  against in a child (time and memory limits), in one process.

    python benchmarks/bench_isolation.py --baseline ../main/src
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def cold(src: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(src)}
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "relaxgraph", "query", "-e", QUERY],
        capture_output=True,
        check=True,
        env=env,
    )
    return time.perf_counter() - t0


def warm(runs: int) -> dict[str, float]:
    from relaxgraph.querying.sparql import check_syntax, run
    from relaxgraph.storage.engines import connect

    engine = connect()
    cases = {
        "check_syntax in process": lambda: check_syntax(QUERY),
        "check_syntax in a child": lambda: check_syntax(QUERY, isolate=True),
        "run in process": lambda: run(engine, QUERY),
        "run in a child (limits)": lambda: run(engine, QUERY, timeout=10, memory_limit=2**31),
    }
    out = {}
    for name, call in cases.items():
        call()
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            call()
            times.append(time.perf_counter() - t0)
        out[name] = statistics.median(times)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--baseline", type=Path, help="src folder of the checkout to compare with")
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    here = HERE.parent / "src"
    if args.baseline:
        mine, base = [], []
        for _ in range(args.runs):
            mine.append(cold(here))
            base.append(cold(args.baseline))
        m, b = statistics.median(mine) * 1000, statistics.median(base) * 1000
        print(f"cold `query -e`: this checkout {m:.0f} ms, baseline {b:.0f} ms ({m / b:.2f}x)")
    for name, seconds in warm(args.runs * 5).items():
        print(f"{name}: {seconds * 1000:.2f} ms")


if __name__ == "__main__":
    main()
