"""The site of ``relaxgraph serve``: home, entity pages with content negotiation, the query page.

:class:`SitePages` answers every path but the SPARQL endpoint's own (``/sparql``):

- ``/`` the home page (to a browser; RDF clients asking ``/`` get the service description);
- ``/id/NAME`` an entity (the local name of its IRI ``https://w3id.org/relaxgraph/id/NAME``):
  HTML to a browser, Turtle, N-Triples or JSON-LD to a client by ``Accept`` (with q-values;
  ``?format=ttl|nt|jsonld`` wins), ``Vary: Accept``, 406 for a type it cannot offer;
- ``/query`` the catalogue and the SPARQL editor; ``/network``; ``/guide`` the annotated guide
  (when the library has one); ``/static/...`` the package's scripts and styles;
- ``/api/prepare?name=QUERY&PARAM=VALUE`` a catalogue query with its parameters bound (entity
  names resolved), as the SPARQL text the page then sends to ``/sparql``: every query a page
  runs goes through the endpoint's guard, time limit and row cap.

Pages are rendered by :class:`relaxgraph.views.site.SiteRenderer` and kept (the store is
read-only while served).
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from typing import Any

from ..errors import RelaxgraphError, RequestRefusedError
from ..views.site import STATIC_FILES, Limits, SiteRenderer, static_file

__all__ = ["INLINE_CSP", "SITE_CSP", "SitePages", "entity_format"]

#: The pages' Content-Security-Policy: scripts and styles from this server only.
SITE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)

#: The annotated guide and the WebGL network view are self-contained pages (scripts and styles
#: inline), as the library writes them: they may run their own inline scripts, and load nothing.
INLINE_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'none'; form-action 'none'; "
    "frame-ancestors 'none'; "
    "base-uri 'none'"
)

#: Media type -> format of an entity's description (the first is the default for ``*/*``).
ENTITY_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
_FORMAT_PARAM = {"html": "html", "ttl": "ttl", "turtle": "ttl", "nt": "nt", "jsonld": "jsonld",
                 "json-ld": "jsonld", "rdfxml": "rdfxml", "rdf": "rdfxml"}  # fmt: skip
_TYPES = {
    "html": "text/html; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
_HTML = "text/html; charset=utf-8"
_MAX_CACHED = 1024

Answer = tuple[int, bytes, str, list[tuple[str, str]]]


def entity_format(accept: str) -> str | None:
    """The format of an entity's description for an ``Accept`` header, or None (406).

    >>> entity_format("text/html,application/xhtml+xml,*/*;q=0.8")
    'html'
    >>> entity_format("text/turtle;q=0.9, application/ld+json")
    'jsonld'
    >>> entity_format("image/png") is None
    True
    """
    from .endpoint import _choose

    return _choose(accept, ENTITY_TYPES)


class SitePages:
    """The site's pages over ``engine`` (an embedded engine: the pages are rendered here)."""

    def __init__(
        self, engine: Any, *, timeout: float = 30.0, max_rows: int = 10_000, report: Any = None
    ):
        self.renderer = SiteRenderer(
            engine,
            mode="live",
            limits=Limits(timeout, max_rows),
            report=report if report is not None else report_function(engine),
        )
        self._cache: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def _page(self, key: str, make: Any) -> bytes:
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        body: bytes = make().encode("utf-8")
        with self._lock:
            if len(self._cache) >= _MAX_CACHED:
                self._cache.clear()
            self._cache[key] = body
        return body

    def home_wanted(self, accept: str) -> bool:
        """Whether a request for ``/`` with ``accept`` wants the home page (else RDF)."""
        fmt = entity_format(accept)
        return fmt == "html"

    def respond(self, path: str, method: str, accept: str, query_string: str) -> Answer:
        """The answer for a site path (a :class:`RequestRefusedError` for a bad one)."""
        r = self.renderer
        if not self._known(path):
            raise self._not_found(path)
        if method not in ("GET", "HEAD"):
            raise RequestRefusedError(
                405, f"method {method[:20]} is not allowed on {path[:80]}: the pages answer GET",
                [("Allow", "GET, HEAD")],
            )  # fmt: skip
        if path == "/":
            return 200, self._page("home", r.home), _HTML, _page_headers()
        if path == "/query":
            return 200, self._page("query", r.query), _HTML, _page_headers()
        if path == "/network":
            page = self._page("network", r.network)
            csp = INLINE_CSP if r.network_is_webgl() else SITE_CSP
            return 200, page, _HTML, [("Content-Security-Policy", csp)]
        if path == "/guide" and r.report is not None:
            page = self._page("guide", lambda: r.guide() or "")
            return 200, page, _HTML, [("Content-Security-Policy", INLINE_CSP)]
        if path.startswith("/id/"):
            return self._entity(path[len("/id/") :], accept, query_string)
        if path.startswith("/static/") and path[len("/static/") :] in STATIC_FILES:
            name = path[len("/static/") :]
            return 200, static_file(name), STATIC_FILES[name], [("Cache-Control", "max-age=3600")]
        if path == "/api/prepare":
            return self._prepare(query_string)
        raise self._not_found(path)

    def _not_found(self, path: str) -> RequestRefusedError:
        shown = "".join(ch if ch.isprintable() else "?" for ch in path[:100])
        return RequestRefusedError(
            404,
            f"not found: {shown} (pages: /, /id/NAME, /query, /network"
            + (", /guide" if self.renderer.report is not None else "")
            + "; the SPARQL endpoint is /sparql)",
        )

    def _known(self, path: str) -> bool:
        if path in ("/", "/query", "/network", "/api/prepare"):
            return True
        if path == "/guide":
            return self.renderer.report is not None
        if path.startswith("/static/"):
            return path[len("/static/") :] in STATIC_FILES
        return path.startswith("/id/")

    def _entity(self, slug: str, accept: str, query_string: str) -> Answer:
        r = self.renderer
        iri = r.iri_of(urllib.parse.unquote(slug))
        if iri is None:
            shown = "".join(ch if ch.isprintable() else "?" for ch in slug[:100])
            raise RequestRefusedError(
                404, f"no entity {shown!r} in the graph; the home page lists every entity"
            )
        params = urllib.parse.parse_qs(query_string, max_num_fields=20)
        asked = [v.strip().lower() for v in params.get("format", []) if v.strip()]
        if asked:
            fmt = _FORMAT_PARAM.get(asked[0])
            if fmt is None:
                raise RequestRefusedError(
                    400,
                    f"unknown format {asked[0][:40]!r}; use html, ttl, nt, jsonld or rdfxml",
                )
        else:
            found = entity_format(accept)
            if found is None:
                raise RequestRefusedError(
                    406,
                    "an entity is offered as text/html, text/turtle, application/n-triples, "
                    "application/ld+json or application/rdf+xml",
                )
            fmt = found
        if fmt == "html":
            return 200, self._page("id:" + iri, lambda: r.entity(iri)), _HTML, _page_headers()
        body = r.entity_rdf(iri, fmt)
        return 200, body, _TYPES[fmt], [("Link", f'<{iri}>; rel="describes"')]

    def _prepare(self, query_string: str) -> Answer:
        from ..querying._inline import inline
        from ..querying.catalogue import get

        params = urllib.parse.parse_qs(query_string, keep_blank_values=False, max_num_fields=50)
        names = params.pop("name", [])
        try:
            if len(names) != 1:
                raise RequestRefusedError(400, "give one catalogue query: name=QUERY")
            entry = get(names[0])
            values = {k: v[0] for k, v in params.items()}
            bindings = entry.bind(self.renderer.engine, **values)
            prepared, rest = entry.prepare(self.renderer.engine, bindings)
            text = inline(prepared, rest) if rest else prepared
            if text is None:
                raise RequestRefusedError(
                    400, f"the parameters of {entry.name} cannot be written into its text"
                )
        except RequestRefusedError as exc:
            return exc.status, _json({"error": exc.message}), "application/json", []
        except RelaxgraphError as exc:
            return 400, _json({"error": str(exc)}), "application/json", []
        return 200, _json({"text": text}), "application/json", []


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _page_headers() -> list[tuple[str, str]]:
    return [("Content-Security-Policy", SITE_CSP)]


def report_function(engine: Any) -> Any:
    """The annotated guide's renderer (``views.report.render_report``), or None without one."""
    try:
        from ..views import report  # type: ignore[attr-defined, unused-ignore]
    except ImportError:
        return None
    render = getattr(report, "render_report", None)
    if render is None:
        return None
    return lambda: render(engine, fmt="html")
