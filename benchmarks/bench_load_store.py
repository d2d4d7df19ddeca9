"""`relaxgraph load FILE --store NEW` against raw pyoxigraph `bulk_load` of the same file.

    python benchmarks/bench_load_store.py [--triples 300000] [--runs 7] [--data DIR]

Makes a synthetic N-Triples file (``synth.py``) once, then in each round, interleaved, runs in
fresh processes: raw pyoxigraph (``Store(DB).bulk_load(path=FILE)``, the store closed at exit)
and the command line as a user types it (``relaxgraph load FILE --store DB``: progress bar,
crash-safe build beside and swap, the bundled graph, the summary's quad count). Both into a
new folder each time. Then the same steps in one process, to show where the time goes.
Prints medians and ratios side by side.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).parent


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--data", type=Path, default=None, help="folder for the data (kept)")
    parser.add_argument(
        "--formats",
        action="store_true",
        help="also RDF/XML and JSON-LD of the same triples, in process (their checks' cost)",
    )
    args = parser.parse_args()

    folder = args.data or Path(tempfile.mkdtemp(prefix="rg-bench-load-"))
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / f"synth-{args.triples}.nt"
    if not data.exists():
        sys.path.insert(0, str(HERE))
        from synth import write_ntriples

        write_ntriples(data, args.triples)
    db = folder / "db"
    raw = (
        "import sys, pyoxigraph as ox\n"
        "ox.Store(sys.argv[1]).bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_TRIPLES)\n"
    )
    commands = {
        "raw pyoxigraph bulk_load (process)": [sys.executable, "-c", raw, str(db), str(data)],
        "relaxgraph load --store (process)": [
            sys.executable,
            "-m",
            "relaxgraph",
            "load",
            str(data),
            "--store",
            str(db),
        ],
    }

    import pyoxigraph as ox

    from relaxgraph.storage.store import load_files

    def raw_in_process() -> None:
        store = ox.Store(str(db))
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES)
        del store

    def load_in_process(bundled: bool) -> Callable[[], None]:
        def run() -> None:
            report = load_files([data], db, bundled=bundled)
            del report

        return run

    steps: dict[str, Callable[[], None]] = {
        "raw bulk_load (in process)": raw_in_process,
        "load_files (in process)": load_in_process(True),
        "load_files, no bundled graph (in process)": load_in_process(False),
    }
    other: dict[str, tuple[str, Callable[[], None]]] = {}
    if args.formats:
        for ext, fmt in ((".rdf", ox.RdfFormat.RDF_XML), (".jsonld", ox.RdfFormat.JSON_LD)):
            path = data.with_suffix(ext)
            if not path.exists():
                ox.serialize(ox.parse(path=str(data)), output=str(path), format=fmt)

            def raw_other(path: Path = path, fmt: ox.RdfFormat = fmt) -> None:
                store = ox.Store(str(db))
                store.bulk_load(path=str(path), format=fmt)
                del store

            def load_other(path: Path = path) -> None:
                report = load_files([path], db, bundled=False)
                del report

            steps[f"raw bulk_load {ext} (in process)"] = raw_other
            steps[f"load_files {ext}, no bundled graph"] = load_other
            other[f"load_files {ext}, no bundled graph"] = (
                f"raw bulk_load {ext} (in process)",
                load_other,
            )
    times: dict[str, list[float]] = {name: [] for name in [*commands, *steps]}
    for _ in range(args.runs):
        for name, command in commands.items():
            shutil.rmtree(db, ignore_errors=True)
            times[name].append(
                timed(lambda c=command: subprocess.run(c, check=True, capture_output=True))
            )
        for name, step in steps.items():
            shutil.rmtree(db, ignore_errors=True)
            times[name].append(timed(step))
    shutil.rmtree(db, ignore_errors=True)

    medians = {name: statistics.median(ts) for name, ts in times.items()}
    base = {name: medians["raw pyoxigraph bulk_load (process)"] for name in commands}
    base |= {name: medians["raw bulk_load (in process)"] for name in steps}
    base |= {name: medians[raw_name] for name, (raw_name, _) in other.items()}
    base |= {name: medians[name] for name in steps if name.startswith("raw bulk_load .")}
    print(
        f"{args.triples:,} triples ({data.stat().st_size / 1e6:.0f} MB of N-Triples), {args.runs} runs"
    )
    print(f"{'what':45} {'median s':>9} {'vs raw':>7}  runs")
    for name, ts in times.items():
        print(
            f"{name:45} {medians[name]:9.3f} {medians[name] / base[name]:6.2f}x  "
            + " ".join(f"{t:.2f}" for t in ts)
        )


if __name__ == "__main__":
    main()
