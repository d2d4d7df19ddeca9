"""Benchmark: the site's pages in headless Chromium, served by ``relaxgraph serve`` (site on).

Measures in one run, medians of ``--runs`` fresh page loads each:

- the size of each kind of page (its HTML) and of everything it loads (scripts, styles);
- time to first render: navigation start to the first contentful paint, and to "ready"
  (the page's script has run and its network, if any, has drawn once) for the home page, an
  entity page (baclofen, the largest), the network page and the query page;
- the query page with a 1,000-row result: from the click on Run to the table drawn (the query
  ``SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 1000`` through /sparql), then the switch to the
  network view of the same result.

Usage: ``python benchmarks/bench_pages.py [--runs 5]``. The server listens on 127.0.0.1;
requests to any other host are blocked and counted (there must be none).
Needs Debian's chromium at /usr/bin/chromium and the playwright package.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
READY = "() => !!(window.relaxgraph && relaxgraph.ready && relaxgraph.drawn)"
PAGES = [("home", ""), ("entity (baclofen)", "id/baclofen"), ("network", "network"),
         ("query", "query")]  # fmt: skip
BIG_QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 1000"


def page_load(context: Any, url: str, blocked: list[str], base: str) -> dict[str, float | int]:
    page = context.new_page()
    sizes: dict[str, int] = {}

    def on_response(response: Any) -> None:
        try:
            sizes[response.url] = len(response.body())
        except Exception:
            sizes[response.url] = 0

    page.on("response", on_response)
    page.route(
        "**/*",
        lambda route: (
            (blocked.append(route.request.url), route.abort())
            if not route.request.url.startswith((base, "data:"))
            else route.continue_()
        ),
    )
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function(READY, timeout=120_000)
    ready = (time.perf_counter() - started) * 1000
    fcp = page.evaluate(
        "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || 0"
    )
    html = sizes.get(url, 0)
    page.close()
    return {"fcp": float(fcp), "ready": ready, "html": html, "total": sum(sizes.values())}


def big_result(context: Any, base: str, blocked: list[str]) -> dict[str, float]:
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: (
            (blocked.append(route.request.url), route.abort())
            if not route.request.url.startswith((base, "data:"))
            else route.continue_()
        ),
    )
    page.goto(base + "query")
    page.wait_for_function(READY, timeout=60_000)
    page.click(".CodeMirror")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(BIG_QUERY)
    started = time.perf_counter()
    page.click("#run")
    page.wait_for_function(
        "() => relaxgraph.ready && document.querySelectorAll('#result-table tbody tr').length >= 1000",
        timeout=120_000,
    )
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => r(0)))")
    table = (time.perf_counter() - started) * 1000
    rows = page.evaluate("() => document.querySelectorAll('#result-table tbody tr').length")
    started = time.perf_counter()
    page.click("#view-network")
    page.wait_for_function(READY, timeout=120_000)
    network = (time.perf_counter() - started) * 1000
    page.close()
    return {"table": table, "network": network, "rows": float(rows)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from relaxgraph.server.endpoint import SparqlServer
    from relaxgraph.storage.store import bundled_store

    blocked: list[str] = []
    with (
        SparqlServer(bundled_store(), port=0, site=True, max_rows=10_000) as server,
        sync_playwright() as p,
    ):
        base = server.url[: -len("sparql")]
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            # the server renders each page once and keeps it; the first load pays for that
            cold = {name: page_load(context, base + path, blocked, base) for name, path in PAGES}
            print(f"{'page':<20} {'HTML':>9} {'with assets':>12} {'first paint':>12} "
                  f"{'ready':>9} {'ready (first load)':>18}")  # fmt: skip
            for name, path in PAGES:
                runs = [page_load(context, base + path, blocked, base) for _ in range(args.runs)]
                fcp = statistics.median(r["fcp"] for r in runs)
                ready = statistics.median(r["ready"] for r in runs)
                print(
                    f"{name:<20} {runs[0]['html'] / 1024:>7.1f} KB {runs[0]['total'] / 1024:>9.0f} KB "
                    f"{fcp:>9.0f} ms {ready:>6.0f} ms {cold[name]['ready']:>15.0f} ms"
                )
            big = [big_result(context, base, blocked) for _ in range(args.runs)]
            print(
                f"\nquery page, {int(big[0]['rows'])}-row result: table drawn "
                f"{statistics.median(b['table'] for b in big):.0f} ms after Run; network view "
                f"{statistics.median(b['network'] for b in big):.0f} ms after the switch "
                f"(medians of {args.runs})"
            )
            print(f"requests to other hosts: {len(blocked)}")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
