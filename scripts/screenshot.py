"""Write the README picture: the real viewer page, drawn in headless Chromium, saved as a PNG.

Draws the neighbourhood of baclofen (depth 1) from the bundled graph with
``relaxgraph.visualize``, opens the HTML from a temporary folder in Debian's chromium
(through Playwright; no browser download), waits for the layout to settle, selects
baclofen's details (identifiers, evidence) in the side panel, and saves ``docs/img/graph.png``.

With ``--site`` it draws the site's pictures instead: ``relaxgraph serve``'s entity page of
baclofen (``docs/img/site-entity.png``) and its query page with a catalogue query run from the
form and its result drawn as a network (``docs/img/site-query.png``), from a server on 127.0.0.1.

Usage: ``python scripts/screenshot.py [--focus baclofen] [--depth 2] [-o docs/img/graph.png]``
or ``python scripts/screenshot.py --site``
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--focus", default="baclofen")
    parser.add_argument("--depth", type=int, default=1)
    parser.add_argument("--select", default="baclofen", help="the node whose details are shown")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "img" / "graph.png")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument(
        "--site", action="store_true", help="draw the site's entity and query pages instead"
    )
    args = parser.parse_args(argv)
    if args.site:
        return site_pictures(ROOT / "docs" / "img", args.width, args.height)

    from playwright.sync_api import sync_playwright

    from relaxgraph.views.viz import visualize

    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "graph.html"
        visualize(focus=args.focus, depth=args.depth, output=page_path)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(
                viewport={"width": args.width, "height": args.height}, device_scale_factor=1
            )
            outside: list[str] = []
            page.on(
                "request",
                lambda r: (
                    None
                    if r.url.startswith(("file:", "data:", "blob:", "about:"))
                    else outside.append(r.url)
                ),
            )
            page.goto(page_path.as_uri())
            page.wait_for_function(
                "() => !!(window.relaxgraph && relaxgraph.drawn && relaxgraph.stabilized)",
                timeout=180_000,
            )
            if args.select:
                page.evaluate(
                    """name => { const ids = relaxgraph.search(name);
                                 if (!ids.length) return;
                                 relaxgraph.showNode(ids[0]);
                                 relaxgraph.network.fit({animation: false}); }""",
                    args.select,
                )
            page.wait_for_timeout(800)
            args.output.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.output))
            browser.close()
    if outside:
        raise SystemExit(f"the page requested other hosts: {outside}")
    print(f"wrote {args.output}")
    return 0


def site_pictures(folder: Path, width: int, height: int) -> int:
    """The entity page and the query page of ``relaxgraph serve``, as PNGs in ``folder``."""
    from playwright.sync_api import sync_playwright

    from relaxgraph.server.endpoint import SparqlServer
    from relaxgraph.storage.store import bundled_store

    ready = "() => !!(window.relaxgraph && relaxgraph.ready && relaxgraph.drawn)"
    outside: list[str] = []
    folder.mkdir(parents=True, exist_ok=True)
    with SparqlServer(bundled_store(), port=0, site=True) as server, sync_playwright() as p:
        base = server.url[: -len("sparql")]
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
        page.on(
            "request",
            lambda r: None if r.url.startswith((base, "data:", "blob:")) else outside.append(r.url),
        )
        page.goto(base + "id/baclofen")
        page.wait_for_function(ready, timeout=60_000)
        page.wait_for_timeout(1500)  # let the neighbourhood settle
        page.screenshot(path=str(folder / "site-entity.png"))
        page.goto(base + "query")
        page.wait_for_function(ready, timeout=60_000)
        page.click("button.example[data-name='side-effects']")
        page.wait_for_function(ready, timeout=60_000)
        page.fill("#param-drug", "Lioresal")
        page.press("#param-drug", "Enter")
        page.wait_for_function(ready, timeout=60_000)
        page.click("#view-network")
        page.wait_for_function(ready, timeout=60_000)
        page.set_viewport_size({"width": width, "height": height + 500})  # the result too
        page.evaluate("() => window.scrollTo(0, 0)")
        page.wait_for_timeout(1500)
        page.screenshot(path=str(folder / "site-query.png"))
        browser.close()
    if outside:
        raise SystemExit(f"the pages requested other hosts: {outside}")
    print(f"wrote {folder / 'site-entity.png'} and {folder / 'site-query.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
