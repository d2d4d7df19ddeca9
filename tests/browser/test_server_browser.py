"""A page from another origin queries ``relaxgraph serve`` with fetch() in Debian's chromium (CORS)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from relaxgraph.server.endpoint import SparqlServer
from relaxgraph.storage.store import bundled_store

pytestmark = pytest.mark.browser

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>elsewhere</title></head>
<body><script>
const endpoint = %(endpoint)r;
const select = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 3";
async function run() {
  const out = {};
  // a simple GET (no preflight)
  let r = await fetch(endpoint + "?query=" + encodeURIComponent(select),
                      {headers: {"Accept": "application/sparql-results+json"}});
  out.get = {status: r.status, rows: (await r.json()).results.bindings.length};
  // a POST of the query itself: not a "simple" request, so the browser sends a preflight
  r = await fetch(endpoint, {method: "POST", body: "ASK { ?s ?p ?o }",
                             headers: {"Content-Type": "application/sparql-query",
                                       "Accept": "application/sparql-results+json"}});
  out.post = {status: r.status, answer: (await r.json()).boolean};
  // a capped result: the cap is announced in an exposed header
  r = await fetch(endpoint + "?query=" + encodeURIComponent("SELECT * { ?s ?p ?o }"));
  out.capped = {status: r.status, header: r.headers.get("X-SPARQL-MaxRows"),
                rows: (await r.json()).results.bindings.length};
  // a graph as JSON-LD
  r = await fetch(endpoint + "?query=" + encodeURIComponent(
      "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 4"),
      {headers: {"Accept": "application/ld+json"}});
  out.jsonld = {status: r.status, type: r.headers.get("Content-Type"),
                nodes: (await r.json()).length};
  // an error is readable too
  r = await fetch(endpoint + "?query=" + encodeURIComponent("SELECT * WHERE { ?s ?p }"));
  out.error = {status: r.status, text: await r.text()};
  return out;
}
run().then(o => { window.results = o; }, e => { window.results = {failed: String(e)}; });
</script></body></html>
"""


@pytest.fixture(scope="module")
def endpoint() -> Iterator[SparqlServer]:
    with SparqlServer(bundled_store(), port=0, max_rows=25, examples=[]) as s:
        yield s


@pytest.fixture(scope="module")
def other_origin(endpoint: SparqlServer) -> Iterator[str]:
    """A second loopback port serving one page (a different origin from the endpoint)."""
    page = (PAGE % {"endpoint": endpoint.url}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/page.html"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_page_on_another_origin_queries_the_endpoint(
    browser: Any, endpoint: SparqlServer, other_origin: str
) -> None:
    assert other_origin.split("/")[2] != endpoint.url.split("/")[2]  # really cross-origin
    context = browser.new_context()
    try:
        page = context.new_page()
        seen: list[tuple[str, str]] = []
        page.on("request", lambda r: seen.append((r.method, r.url)))
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
        page.goto(other_origin)
        page.wait_for_function("() => window.results !== undefined", timeout=60_000)
        results = page.evaluate("window.results")
    finally:
        context.close()
    assert "failed" not in results, results
    assert results["get"] == {"status": 200, "rows": 3}
    assert results["post"] == {"status": 200, "answer": True}
    assert results["capped"] == {"status": 200, "header": "25", "rows": 25}
    assert results["jsonld"]["status"] == 200
    assert results["jsonld"]["type"] == "application/ld+json"
    assert results["jsonld"]["nodes"] >= 1
    assert results["error"]["status"] == 400
    assert results["error"]["text"].startswith("SPARQL syntax error")
    assert all(url.startswith("http://127.0.0.1:") for _, url in seen)
    assert console == [] or all("400" in c for c in console)  # only the deliberate error
