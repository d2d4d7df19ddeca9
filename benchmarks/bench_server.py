"""What the endpoint's isolation costs, and how it holds under load and attack, in one run.

    python benchmarks/bench_server.py [--runs 31] [--clients 50] [--requests 2000]

Prints, side by side: the median time of one small query embedded (in this process),
through ``SparqlServer`` over HTTP (a fresh query process per request), and the ratio; the
latency percentiles of valid queries under ``--clients`` concurrent clients sending
``--requests`` requests; the time to refuse each attack (deep nesting, a 10 MB body,
SERVICE, a memory-hungry query); and the highest resident memory of a query process
(its ceiling is ``--memory-limit`` beyond the graph). Loopback only; stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import threading
import time
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

QUERY = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?c ?label WHERE { ?c rdfs:label ?label } ORDER BY ?c LIMIT 20"
)
HUNGRY = "SELECT * { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"


def median_time(fn: Callable[[], Any], runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def request(
    host: str, port: int, method: str, target: str, body: bytes = b"", **headers: str
) -> int:
    conn = http.client.HTTPConnection(host, port, timeout=120)
    try:
        conn.request(method, target, body=body or None, headers=headers)
        r = conn.getresponse()
        r.read()
        return r.status
    finally:
        conn.close()


def peak_child_rss(pool_pid: int, stop: threading.Event, out: list[int]) -> None:
    """Sample the resident memory of the fork server's children until ``stop``."""
    import os

    best = 0
    while not stop.is_set():
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/status") as f:
                    status = f.read()
            except OSError:
                continue
            if f"\nPPid:\t{pool_pid}\n" not in status:
                continue
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    best = max(best, int(line.split()[1]) * 1024)
        time.sleep(0.01)
    out.append(best)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--memory-limit", type=int, default=1024, help="MB per query")
    args = parser.parse_args()

    from relaxgraph.querying.sparql import run
    from relaxgraph.server.endpoint import SparqlServer
    from relaxgraph.storage.engines import OxigraphEngine
    from relaxgraph.storage.store import bundled_store

    store = bundled_store()
    engine = OxigraphEngine(store)
    embedded = median_time(lambda: run(engine, QUERY), args.runs)
    with SparqlServer(store, port=0, examples=[], memory_mb=args.memory_limit) as server:
        parts = urllib.parse.urlsplit(server.url)
        host, port = parts.hostname or "", parts.port or 0
        target = "/sparql?" + urllib.parse.urlencode({"query": QUERY})
        served = median_time(lambda: request(host, port, "GET", target), args.runs)
        print(f"one query, median of {args.runs}:")
        print(f"  embedded        {embedded * 1000:8.2f} ms")
        print(f"  served (HTTP)   {served * 1000:8.2f} ms   ratio {served / embedded:.1f}x")

        latencies: list[float] = []
        lock = threading.Lock()

        def one(i: int) -> int:
            started = time.perf_counter()
            status = request(host, port, "GET", target)
            with lock:
                latencies.append(time.perf_counter() - started)
            return status

        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            statuses = list(pool.map(one, range(args.requests)))
        wall = time.perf_counter() - started
        q = statistics.quantiles(latencies, n=100)
        print(
            f"load: {args.requests} queries, {args.clients} clients, {wall:.1f} s "
            f"({args.requests / wall:.0f} req/s), non-200: {sum(s != 200 for s in statuses)}"
        )
        print(
            f"  p50 {q[49] * 1000:.0f} ms   p95 {q[94] * 1000:.0f} ms   "
            f"p99 {q[98] * 1000:.0f} ms   max {max(latencies) * 1000:.0f} ms"
        )

        def timed(name: str, fn: Callable[[], int]) -> None:
            start = time.perf_counter()
            status = fn()
            print(f"  {name:<34} {status}  {(time.perf_counter() - start) * 1000:8.1f} ms")

        def get(text: str) -> Callable[[], int]:
            return lambda: request(
                host, port, "GET", "/sparql?" + urllib.parse.urlencode({"query": text})
            )

        print("time to refuse each attack:")
        timed("3,000 nested groups", get("ASK " + "{" * 3000 + "}" * 3000))
        timed(
            "10,000 flat UNIONs", get("ASK { " + " UNION ".join(["{ ?s ?p ?o }"] * 10_000) + " }")
        )
        timed("SERVICE to another host", get("ASK { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"))
        big = b"ASK {} #" + b"x" * (10 << 20)
        timed(
            "10 MB body",
            lambda: request(
                host, port, "POST", "/sparql", big, **{"Content-Type": "application/sparql-query"}
            ),
        )
        stop, peak = threading.Event(), []
        sampler = threading.Thread(target=peak_child_rss, args=(server.pool.pid, stop, peak))
        sampler.start()
        timed(f"memory-hungry query (limit {args.memory_limit} MB)", get(HUNGRY))
        stop.set()
        sampler.join()
        print(f"highest resident memory of a query process: {peak[0] / (1 << 20):.0f} MB")


if __name__ == "__main__":
    main()
