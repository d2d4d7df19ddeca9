"""Write the README picture: the real viewer page, drawn in headless Chromium, saved as a PNG.

Draws the neighbourhood of baclofen (depth 1) from the bundled graph with
``relaxgraph.visualize``, opens the HTML from a temporary folder in Debian's chromium
(through Playwright; no browser download), waits for the layout to settle, selects
baclofen's details (identifiers, evidence) in the side panel, and saves ``docs/img/graph.png``.

Usage: ``python scripts/screenshot.py [--focus baclofen] [--depth 2] [-o docs/img/graph.png]``
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
    args = parser.parse_args(argv)

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


if __name__ == "__main__":
    raise SystemExit(main())
