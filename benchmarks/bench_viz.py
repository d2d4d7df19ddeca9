"""Benchmark: relaxgraph's network view against stock pyvis, on synthetic graphs.

For graphs of 100, 1k, 10k and 50k nodes (pharmacology-shaped, seeded), measures in one run:

- generation time: ours is ``relaxgraph.views.viz.render(graph)`` (layout included); stock pyvis is
  ``Network(directed=True)`` + ``add_node``/``add_edge`` for every node and edge +
  ``generate_html()`` with its default options (``cdn_resources="in_line"``, the only mode that
  draws without network access);
- file size;
- time to first draw in headless Chromium: from navigation start to vis-network's first
  ``afterDrawing`` event (with physics, that comes after stabilisation). Requests leaving the
  page are blocked and counted. Stock pyvis's wait is capped (``--cap``, default 60 s).

Usage: ``python benchmarks/bench_viz.py [--sizes 100,1000,10000,50000] [--runs 3] [--cap 60]``.
Medians of ``--runs`` runs up to 1k nodes; one run above (said in the table).
Needs Debian's chromium at /usr/bin/chromium and the playwright package (no browser download).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
RG = "https://w3id.org/relaxgraph/id/"

# share of nodes per kind, roughly the shape of the real graph (drugs are the hubs)
SHARES = [
    ("Drug", 0.10), ("BrandName", 0.08), ("DrugClass", 0.01), ("Receptor", 0.03),
    ("MechanismOfAction", 0.03), ("Disease", 0.10), ("Symptom", 0.05), ("TherapeuticEffect", 0.08),
    ("SideEffect", 0.25), ("WithdrawalSymptom", 0.04), ("Statistic", 0.13), ("CaseStudy", 0.05),
    ("Person", 0.05),
]  # fmt: skip
EDGE_RULES = [  # (subject kind, property, object kind, links per subject)
    ("Drug", "rgo:hasSideEffect", "SideEffect", 6),
    ("Drug", "rgo:treats", "Disease", 3),
    ("Drug", "rgo:treats", "Symptom", 2),
    ("Drug", "rgo:targets", "Receptor", 1),
    ("Drug", "rgo:hasMechanism", "MechanismOfAction", 1),
    ("Drug", "rdf:type", "DrugClass", 1),
    ("Drug", "rgo:hasTherapeuticEffect", "TherapeuticEffect", 3),
    ("Drug", "rgo:hasWithdrawalSymptom", "WithdrawalSymptom", 1),
    ("BrandName", "rgo:brandOf", "Drug", 1),
    ("Statistic", "rgo:aboutDrug", "Drug", 1),
    ("Statistic", "rgo:population", "Disease", 1),
    ("Statistic", "rgo:measure", "TherapeuticEffect", 1),
    ("CaseStudy", "rgo:aboutDrug", "Drug", 1),
    ("CaseStudy", "rgo:subject", "Person", 1),
    ("Person", "rgo:hasCondition", "Disease", 1),
]


def synthetic(n: int, seed: int = 1) -> nx.MultiDiGraph:
    """A seeded graph of ``n`` entities shaped like relaxgraph's (about 3 links per entity)."""
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    by_kind: dict[str, list[str]] = {}
    i = 0
    for kind, share in SHARES:
        for _ in range(max(1, round(n * share))):
            if i >= n:
                break
            iri = f"{RG}{kind.lower()}-{i:06d}"
            by_kind.setdefault(kind, []).append(iri)
            flagged = kind == "Statistic" and rng.random() < 0.3
            graph.add_node(
                iri, kind=kind, label=f"{kind} {i}", synonyms=[f"alias {i}"], identifiers={},
                iri=iri, curie=f"rg:{iri[len(RG):]}", flagged=flagged,
                flags=[{"kind": "UnsupportedStatistic", "reason": "no source"}] if flagged else [],
                evidence=[{"section": "Section", "section_number": 3, "quote": f"quote {i}", "start": i,
                           "end": i + 8, "evidence_kind": "GeneralStatement"}],
            )  # fmt: skip
            i += 1
    for subject, prop, obj, per in EDGE_RULES:
        targets = by_kind.get(obj, [])
        if not targets:
            continue
        weights = [
            1.0 / (r + 1) ** 0.8 for r in range(len(targets))
        ]  # popular targets (drowsiness)
        for s in by_kind.get(subject, []):
            for o in set(rng.choices(targets, weights=weights, k=per)):
                graph.add_edge(
                    s, o, key=prop, label=prop.split(":")[1], predicate=prop, flagged=False, flags=[],
                    evidence=[{"section": "Section", "quote": "a quote", "start": 1, "end": 8}],
                )  # fmt: skip
    # every entity is linked to something, as in the real graph
    rules = {obj: (subject, prop) for subject, prop, obj, _ in EDGE_RULES}
    rules.update(
        {subject: (obj, prop) for subject, prop, obj, _ in EDGE_RULES if subject not in rules}
    )
    for node in sorted(n for n in graph if graph.degree(n) == 0):
        other, prop = rules[graph.nodes[node]["kind"]]
        if by_kind.get(other):
            graph.add_edge(
                rng.choice(by_kind[other]), node, key=prop, label=prop.split(":")[1], predicate=prop,
                flagged=False, flags=[], evidence=[],
            )  # fmt: skip
    return graph


def ours(graph: nx.MultiDiGraph) -> str:
    from relaxgraph.views.viz import render

    return render(graph, title="benchmark")


HOOK = 'network.once("afterDrawing", function () { window.__firstDraw = performance.now(); });'


def stock_pyvis(graph: nx.MultiDiGraph) -> str:
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    for node, data in graph.nodes(data=True):
        net.add_node(node, label=data["label"], title=data["kind"])
    for u, v, _key, data in graph.edges(keys=True, data=True):
        net.add_edge(u, v, label=data["label"])
    return str(net.generate_html())


def instrument_stock(page_html: str) -> str:
    """Add a first-draw hook to stock pyvis's page (the same event ours records)."""
    anchor = "network = new vis.Network(container, data, options);"
    assert anchor in page_html
    return page_html.replace(anchor, anchor + "\n" + HOOK, 1)


def first_draw(browser: Any, path: Path, expression: str, cap: float) -> tuple[float | None, int]:
    """Seconds from navigation start to the first draw (None past ``cap``), and blocked requests."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    blocked: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(("file:", "data:", "blob:", "about:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    try:
        page.goto(path.as_uri(), wait_until="commit", timeout=cap * 1000)
        page.wait_for_function(
            f"() => typeof ({expression}) === 'number'", timeout=cap * 1000, polling=100
        )
        ms = page.evaluate(f"() => {expression}")
        return float(ms) / 1000.0, len(blocked)
    except Exception as exc:  # playwright's TimeoutError
        if "Timeout" in type(exc).__name__ or "Timeout" in str(exc):
            return None, len(blocked)
        raise
    finally:
        context.close()


def fmt_s(value: float | None, cap: float) -> str:
    return f"> {cap:g} s" if value is None else f"{value:.2f} s"


def ratio(a: float | None, b: float | None, cap: float) -> str:
    if a is None or a == 0:
        return "n/a"
    if b is None:
        return f"> {cap / a:.0f}x"
    return f"{b / a:.0f}x" if b / a >= 10 else f"{b / a:.1f}x"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000,50000")
    parser.add_argument("--runs", type=int, default=3, help="runs per size up to 1k nodes (median)")
    parser.add_argument("--cap", type=float, default=60.0, help="stock pyvis draw wait, seconds")
    parser.add_argument(
        "--stock-limit",
        type=int,
        default=20000,
        help="skip stock pyvis above this many nodes (its add_node/add_edge are quadratic)",
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for n in sizes:
            graph = synthetic(n)
            runs = args.runs if n <= 1000 else 1
            gen, draw, blocked_ours = [], [], 0
            for r in range(runs):
                t = time.perf_counter()
                page = ours(graph)
                gen.append(time.perf_counter() - t)
                path = Path(tmp) / f"ours-{n}-{r}.html"
                path.write_text(page, encoding="utf-8")
                d, blocked_ours = first_draw(
                    browser, path, "window.relaxgraph && window.relaxgraph.firstDrawMs", 300
                )
                draw.append(d if d is not None else float("inf"))
            row = {
                "n": n, "edges": graph.number_of_edges(), "runs": runs,
                "gen": statistics.median(gen), "size": path.stat().st_size, "draw": statistics.median(draw),
                "blocked": blocked_ours, "physics": "on" if '"physics":true' in page else "off",
            }  # fmt: skip
            print(f"ours   {n:>6} nodes: gen {row['gen']:.2f} s, {row['size'] / 1e6:.1f} MB, "
                  f"draw {row['draw']:.2f} s", file=sys.stderr, flush=True)  # fmt: skip
            if n <= args.stock_limit:
                sgen, sdraw = [], []
                stock_runs = runs if n <= 100 else 1
                for r in range(stock_runs):
                    t = time.perf_counter()
                    spage = stock_pyvis(graph)
                    sgen.append(time.perf_counter() - t)
                    spath = Path(tmp) / f"stock-{n}-{r}.html"
                    spath.write_text(instrument_stock(spage), encoding="utf-8")
                    d, blocked = first_draw(browser, spath, "window.__firstDraw", args.cap)
                    sdraw.append(d)
                done = [d for d in sdraw if d is not None]
                row.update(
                    sgen=statistics.median(sgen), ssize=spath.stat().st_size,
                    sdraw=statistics.median(done) if len(done) == len(sdraw) else None,
                    sblocked=blocked, sruns=stock_runs,
                )  # fmt: skip
                print(f"stock  {n:>6} nodes: gen {row['sgen']:.2f} s, draw {fmt_s(row['sdraw'], args.cap)}",
                      file=sys.stderr, flush=True)  # fmt: skip
            rows.append(row)
        browser.close()

    print()
    print(
        "| nodes | edges | runs | ours: generate | ours: file | ours: first draw | physics "
        "| pyvis: generate | pyvis: file | pyvis: first draw | draw speed-up | generate speed-up "
        "| requests to other hosts (ours / pyvis) |"
    )
    print("|---:|---:|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---|")
    for r in rows:
        runs = f"median of {r['runs']}" if r["runs"] > 1 else "1"
        if "sgen" in r:
            sruns = "" if r["sruns"] == r["runs"] else " (1 run)"
            stock = (f"{r['sgen']:.2f} s{sruns} | {r['ssize'] / 1e6:.1f} MB | {fmt_s(r['sdraw'], args.cap)} | "
                     f"{ratio(r['draw'], r['sdraw'], args.cap)} | {ratio(r['gen'], r['sgen'], args.cap)} | "
                     f"{r['blocked']} / {r['sblocked']}")  # fmt: skip
        else:
            stock = f"skipped (> {args.stock_limit:,} nodes: minutes of add_node/add_edge) | | | | | {r['blocked']} / -"
        print(f"| {r['n']:,} | {r['edges']:,} | {runs} | {r['gen']:.2f} s | {r['size'] / 1e6:.1f} MB | "
              f"{r['draw']:.2f} s | {r['physics']} | {stock} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
