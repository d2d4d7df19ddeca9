"""Benchmark: the WebGL network view (sigma.js) against today's canvas view (vis-network).

For graphs of 10k, 50k and 100k nodes with three links per node (pharmacology-shaped, seeded:
``bench_viz.synthetic`` topped up with side-effect links), measures in one run:

- page generation in Python: ``relaxgraph.views.webgl.render`` (its layout, igraph's
  Fruchterman-Reingold per component, timed on its own too) and ``relaxgraph.views.viz.render``
  (the canvas view, physics off as ``physics="auto"`` chooses at these sizes, hub layout);
- file size;
- first draw in headless Chromium: from navigation start to the first frame shown
  (``relaxgraph.firstDrawMs``: for WebGL the first animation frame after sigma's first render,
  for the canvas view vis-network's first ``afterDrawing``). The canvas view's wait is capped
  (``--cap``) and reported as "over N s";
- frame time while panning: the page records ``requestAnimationFrame`` timestamps while the
  mouse drags the drawing (Playwright's mouse, 40 moves of 12 px); the median interval between
  frames, and frames per second from it. Each view pans as a user would: the canvas view hides
  links while dragging above 500 nodes (vis-network's ``hideEdgesOnDrag``), the WebGL view
  above :data:`relaxgraph.views.webgl.HIDE_EDGES_ON_MOVE` links (sigma's ``hideEdgesOnMove``).

Every run opens the page in a fresh browser context with requests to any other host blocked
and counted. Medians of ``--runs`` runs.

Usage: ``python benchmarks/bench_webgl.py [--sizes 10000,50000,100000] [--runs 3] [--cap 90]``.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_viz import ARGS, CHROMIUM, synthetic

LOCAL = ("file:", "data:", "blob:", "about:")

RECORD = """() => { window.__frames = []; window.__recording = true;
  const tick = t => { if (!window.__recording) return; window.__frames.push(t); requestAnimationFrame(tick); };
  requestAnimationFrame(tick); }"""
STOP = """() => { window.__recording = false; const f = window.__frames, d = [];
  for (let i = 1; i < f.length; i++) d.push(f[i] - f[i - 1]);
  d.sort((a, b) => a - b);
  return d.length ? [d[Math.floor(d.length / 2)], d[Math.floor(0.9 * (d.length - 1))]] : null; }"""
# Moves the view a little in every animation frame, so that every frame redraws everything
# (links included): the sustained frame time, whatever the input's pace. Stops after
# `frames` frames or `budget` ms.
REDRAW = """async ([frames, budget]) => {
  const r = window.relaxgraph, times = [], start = performance.now();
  const move = r.renderer
    ? () => { const c = r.renderer.getCamera(), s = c.getState(); c.setState({x: s.x + 0.001 * s.ratio, y: s.y}); }
    : () => { const p = r.network.getViewPosition(); r.network.moveTo({position: {x: p.x + 4 / r.network.getScale(), y: p.y}}); };
  await new Promise(done => { const tick = t => { times.push(t);
    if (times.length > frames || t - start > budget) return done(); move(); requestAnimationFrame(tick); };
    requestAnimationFrame(tick); });
  const d = []; for (let i = 1; i < times.length; i++) d.push(times[i] - times[i - 1]);
  d.sort((a, b) => a - b); return d.length ? d[Math.floor(d.length / 2)] : null; }"""


def graph_of(n: int, seed: int = 1) -> Any:
    """``bench_viz.synthetic(n)`` with drug -> side-effect links added up to three links per node."""
    graph = synthetic(n, seed)
    rng = random.Random(seed)
    drugs = [v for v, d in graph.nodes(data=True) if d["kind"] == "Drug"]
    effects = [v for v, d in graph.nodes(data=True) if d["kind"] == "SideEffect"]
    prop = "rgo:hasSideEffect"
    edges = graph.number_of_edges()
    while edges < 3 * n:
        u, v = rng.choice(drugs), rng.choice(effects)
        if not graph.has_edge(u, v, key=prop):
            edges += 1
            graph.add_edge(
                u, v, key=prop, label="hasSideEffect", predicate=prop, flagged=False, flags=[],
                evidence=[{"section": "Section", "quote": "a quote", "start": 1, "end": 8}],
            )  # fmt: skip
    return graph


def open_and_pan(browser: Any, path: Path, cap: float) -> dict[str, Any]:
    """First draw (s, None past ``cap``), median frame interval while panning (ms), blocked requests."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    blocked: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(LOCAL):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    out: dict[str, Any] = {
        "draw": None, "frame": None, "frame90": None, "redraw": None, "blocked": 0,
    }  # fmt: skip
    try:
        page.goto(path.as_uri(), wait_until="commit", timeout=cap * 1000)
        try:
            page.wait_for_function(
                "() => !!(window.relaxgraph && typeof relaxgraph.firstDrawMs === 'number')",
                timeout=cap * 1000,
                polling=100,
            )
        except Exception as exc:  # playwright's TimeoutError
            if "Timeout" in type(exc).__name__ or "Timeout" in str(exc):
                return out
            raise
        out["draw"] = float(page.evaluate("relaxgraph.firstDrawMs")) / 1000.0
        page.wait_for_timeout(500)  # let the first frames settle
        box = page.locator("#rg-graph").bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.evaluate(RECORD)
        page.mouse.down()
        for i in range(1, 41):
            page.mouse.move(x + 12 * (i if i <= 20 else 40 - i), y + 3 * (i % 7))
        page.mouse.up()
        drag = page.evaluate(STOP)
        out["frame"], out["frame90"] = drag if drag else (None, None)
        out["redraw"] = page.evaluate(REDRAW, [15, 15_000])
        out["blocked"] = len(blocked)
        return out
    finally:
        context.close()


def fmt_draw(value: float | None, cap: float) -> str:
    return f"over {cap:g} s" if value is None else f"{value:.2f} s"


def fmt_frame(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} ms ({1000.0 / value:.0f} fps)"


def ratio(webgl: float | None, canvas: float | None, cap: float | None = None) -> str:
    if webgl is None or webgl <= 0:
        return "n/a"
    if canvas is None:
        return f"> {cap / webgl:.1f}x" if cap is not None else "n/a"
    return f"{canvas / webgl:.1f}x"


def median(values: list[float | None]) -> float | None:
    done = [v for v in values if v is not None]
    return statistics.median(done) if len(done) == len(values) and done else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--runs", type=int, default=3, help="browser runs per view and size")
    parser.add_argument("--cap", type=float, default=90.0, help="first-draw wait, seconds")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from relaxgraph.views import viz, webgl

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for n in (int(s) for s in args.sizes.split(",")):
            graph = graph_of(n)
            row: dict[str, Any] = {"n": n, "edges": graph.number_of_edges()}
            t = time.perf_counter()
            webgl.layout(graph)
            row["layout"] = time.perf_counter() - t
            for name, render in (("webgl", webgl.render), ("canvas", viz.render)):
                t = time.perf_counter()
                html = render(graph, title="benchmark")
                row[f"{name}_gen"] = time.perf_counter() - t
                path = Path(tmp) / f"{name}-{n}.html"
                path.write_text(html, encoding="utf-8")
                row[f"{name}_size"] = path.stat().st_size
                del html
                draws, frames, frames90, redraws, blocked = [], [], [], [], 0
                for _ in range(args.runs):
                    result = open_and_pan(browser, path, args.cap)
                    draws.append(result["draw"])
                    frames.append(result["frame"])
                    frames90.append(result["frame90"])
                    redraws.append(result["redraw"])
                    blocked += result["blocked"]
                    if result["draw"] is None:
                        break  # over the cap once: not worth more runs
                row[f"{name}_draw"] = median(draws)
                row[f"{name}_frame"] = median(frames)
                row[f"{name}_frame90"] = median(frames90)
                row[f"{name}_redraw"] = median(redraws)
                row[f"{name}_runs"] = len(draws)
                row[f"{name}_blocked"] = blocked
                print(
                    f"{name:6} {n:>7} nodes: gen {row[f'{name}_gen']:.1f} s, "
                    f"{row[f'{name}_size'] / 1e6:.1f} MB, draws {draws}, drag frames {frames} "
                    f"(90th pct {frames90}), redraw {redraws}",
                    file=sys.stderr,
                    flush=True,
                )
            rows.append(row)
        browser.close()

    print()
    print(
        "| nodes | links | layout (WebGL) | generate: WebGL / canvas | page: WebGL / canvas "
        "| first draw: WebGL | first draw: canvas | ratio "
        "| drag, median frame: WebGL / canvas | drag, 90th percentile: WebGL / canvas | ratio "
        "| redraw every frame: WebGL / canvas | ratio | runs | requests to other hosts |"
    )
    print("|---:|---:|---:|---|---|---:|---:|---:|---|---|---:|---|---:|---|---|")
    for r in rows:
        print(
            f"| {r['n']:,} | {r['edges']:,} | {r['layout']:.1f} s "
            f"| {r['webgl_gen']:.1f} s / {r['canvas_gen']:.1f} s "
            f"| {r['webgl_size'] / 1e6:.1f} MB / {r['canvas_size'] / 1e6:.1f} MB "
            f"| {fmt_draw(r['webgl_draw'], args.cap)} | {fmt_draw(r['canvas_draw'], args.cap)} "
            f"| {ratio(r['webgl_draw'], r['canvas_draw'], args.cap)} "
            f"| {fmt_frame(r['webgl_frame'])} / {fmt_frame(r['canvas_frame'])} "
            f"| {fmt_frame(r['webgl_frame90'])} / {fmt_frame(r['canvas_frame90'])} "
            f"| {ratio(r['webgl_frame90'], r['canvas_frame90'])} "
            f"| {fmt_frame(r['webgl_redraw'])} / {fmt_frame(r['canvas_redraw'])} "
            f"| {ratio(r['webgl_redraw'], r['canvas_redraw'])} "
            f"| {r['webgl_runs']} / {r['canvas_runs']} | {r['webgl_blocked']} / {r['canvas_blocked']} |"
        )
    print(
        "\nratio: canvas / WebGL (above 1: WebGL faster). Frame times are medians over runs; "
        "'n/a' where the page never drew within the cap."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
