"""The network view for large graphs: the same offline page, drawn with WebGL.

:func:`render` writes the graph of :mod:`relaxgraph.views.network` as one self-contained HTML
page that draws with sigma.js over a graphology graph (both MIT, shipped in
``relaxgraph/views/static/sigma`` and ``static/graphology`` with their licences, version and
sha256, and inlined). It keeps the canvas view's search (name, synonym or identifier), filters
by kind, details panel (labels, identifiers linked to their public pages, flags, the guide's
section and quote) and its safety: data reaches the page only as escaped JSON and is shown
through ``textContent`` and canvas text, under a Content-Security-Policy that forbids any fetch.

What differs from the canvas view (:mod:`relaxgraph.views.viz`): the layout is always the
one computed in Python (no physics, nothing computed in the browser at load); every node is a
disc in its kind's colour, flagged ones with a red ring; a link's details open from the
links listed under the selected node (and by clicking the link itself in graphs up to
:data:`EDGE_EVENT_LIMIT` links); the drawing pans with the arrow keys and zooms with + and -.

:func:`relaxgraph.views.viz.visualize` picks this view above :data:`WEBGL_THRESHOLD` nodes
(``renderer="auto"``), or when asked (``renderer="webgl"``).

The page's JSON is the canvas view's, made more compact: an evidence record shared by several
nodes or links is stored once, and an IRI that its CURIE spells out exactly is left out (the
page rebuilds it from the prefix table).
"""

from __future__ import annotations

import html
import json
import re
from importlib.resources import files
from typing import TYPE_CHECKING, Any, Literal

from .viz import SEED, TITLE_LIMIT, _cut, _json_for_script, _shown, details_panel_js, page_data

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "EDGE_EVENT_LIMIT",
    "FAST_DRAWING_LIMIT",
    "GRAPHOLOGY_SHA256",
    "GRAPHOLOGY_VERSION",
    "HIDE_EDGES_ON_MOVE",
    "RENDERERS",
    "SIGMA_SHA256",
    "SIGMA_VERSION",
    "WEBGL_THRESHOLD",
    "check_renderer",
    "graphology_js",
    "layout",
    "render",
    "sigma_js",
    "use_webgl",
    "webgl_page_data",
]

Renderer = Literal["auto", "canvas", "webgl"]

#: The renderers :func:`relaxgraph.views.viz.visualize` and ``relaxgraph viz --renderer`` accept.
RENDERERS: tuple[str, ...] = ("auto", "canvas", "webgl")

#: With ``renderer="auto"``, graphs with more nodes than this are drawn with WebGL. Chosen from
#: ``benchmarks/bench_webgl.py``: the canvas view pans below 30 frames per second from about
#: 1,000 nodes, and takes seconds to draw from a few thousand, while the WebGL view draws them
#: at once; below, the canvas view keeps what matters in small graphs (live layout, shapes per
#: kind, link labels).
WEBGL_THRESHOLD = 10_000

#: Up to this many links, a click on a link shows its details (sigma's edge picking costs a
#: second drawing of every link per frame); above, a link's details open from its node's list.
EDGE_EVENT_LIMIT = 5_000

#: Above this many nodes or links, the page draws with sigma's cheapest programs: nodes as
#: points, links as one-pixel lines without arrow heads. In headless chromium without a GPU
#: this makes a frame with every link drawn about 5-10x faster at 10k nodes and 30k links
#: (``benchmarks/bench_webgl.py``); below, links are drawn as arrows.
FAST_DRAWING_LIMIT = 5_000

#: Above this many links, links and labels are hidden while the drawing moves (sigma's
#: ``hideEdgesOnMove``, as the canvas view's ``hideEdgesOnDrag`` above 500 nodes): in a browser
#: without a GPU, drawing 100k links takes longer than a frame.
HIDE_EDGES_ON_MOVE = 10_000

#: The builds shipped in ``relaxgraph/views/static`` (see the README there).
SIGMA_VERSION = "3.0.3"
SIGMA_SHA256 = "58e30383ab428f832068d9d16a5215c65ba12430d438ed091c5703f398de9e16"
GRAPHOLOGY_VERSION = "0.26.0"
GRAPHOLOGY_SHA256 = "dc337efa23903f61e064c8e7e7f93a429e6855dccfc2458802b4ed30c621c087"

_SOURCE_MAP = re.compile(r"\n//# sourceMappingURL=\S*\s*$")


def _static(*parts: str) -> str:
    resource = files("relaxgraph.views") / "static"
    for part in parts:
        resource = resource / part
    return resource.read_text(encoding="utf-8")


def sigma_js() -> str:
    """sigma.js's standalone (UMD) build, as shipped in ``relaxgraph/views/static/sigma``."""
    return _static("sigma", "sigma.min.js")


def graphology_js() -> str:
    """graphology's standalone (UMD) build, as shipped in ``relaxgraph/views/static/graphology``.

    The trailing ``sourceMappingURL`` comment is dropped: the page refers to no other file.
    """
    return _SOURCE_MAP.sub("\n", _static("graphology", "graphology.umd.min.js"))


def use_webgl(renderer: str, n_nodes: int) -> bool:
    """Whether ``renderer`` (one of :data:`RENDERERS`) draws a graph of ``n_nodes`` with WebGL.

    >>> use_webgl("auto", WEBGL_THRESHOLD), use_webgl("auto", WEBGL_THRESHOLD + 1)
    (False, True)
    >>> use_webgl("canvas", 10**6), use_webgl("webgl", 3)
    (False, True)
    """
    check_renderer(renderer)
    return renderer == "webgl" or (renderer == "auto" and n_nodes > WEBGL_THRESHOLD)


def check_renderer(renderer: str) -> None:
    """Refuse an unknown renderer with :class:`~relaxgraph.errors.InvalidArgumentError`."""
    if renderer not in RENDERERS:
        from ..errors import InvalidArgumentError

        raise InvalidArgumentError(
            f"renderer is 'auto', 'canvas' or 'webgl', not {renderer!r}"
            f" (auto: WebGL above {WEBGL_THRESHOLD:,} nodes)"
        )


def _shared_evidence(data: dict[str, Any]) -> None:
    """Store each evidence record once, in ``data["evidence"]``; details refer to it by index."""
    table: list[Any] = []
    index: dict[str, int] = {}
    for records in (data["nodeDetails"], data["edgeDetails"]):
        for record in records:
            items = record.get("evidence")
            if not items:
                continue
            refs = []
            for item in items:
                key = json.dumps(item, sort_keys=True, ensure_ascii=False)
                if key not in index:
                    index[key] = len(table)
                    table.append(item)
                refs.append(index[key])
            record["evidence"] = refs
    data["evidence"] = table


def _implied_iris(data: dict[str, Any]) -> None:
    """Drop each node's IRI where its CURIE spells it out; ``data["prefixes"]`` expands them."""
    prefixes: dict[str, str] = {}
    for record in data["nodeDetails"]:
        curie, iri = record.get("curie"), record.get("iri")
        if not isinstance(curie, str) or not isinstance(iri, str) or ":" not in curie:
            continue
        prefix, local = curie.split(":", 1)
        if not local or not iri.endswith(local):
            continue
        namespace = iri[: len(iri) - len(local)]
        if prefixes.setdefault(prefix, namespace) == namespace:
            del record["iri"]
    data["prefixes"] = prefixes


#: Iterations of the force-directed layout (igraph's Fruchterman-Reingold on a grid).
LAYOUT_ITERATIONS = 300


def layout(graph: nx.MultiDiGraph, seed: int = SEED) -> dict[Any, tuple[float, float]]:
    """Node positions for the WebGL view, computed in Python, deterministic for a graph and seed.

    Each connected component gets igraph's Fruchterman-Reingold layout (C, with a grid that
    keeps repulsion local, so a step costs about linear time); the components are then packed
    in rows, largest first, so that small fragments sit beside the main drawing instead of
    drifting far from it. About 5 s for 100k nodes and 300k links on one core
    (``benchmarks/bench_webgl.py``). Link directions, repeats and self-links are ignored.
    """
    import random

    import igraph

    order = sorted(graph.nodes, key=str)
    if not order:
        return {}
    index = {node: i for i, node in enumerate(order)}
    pairs = {(min(index[u], index[v]), max(index[u], index[v])) for u, v in graph.edges() if u != v}
    simple = igraph.Graph(n=len(order), edges=sorted(pairs))
    groups: dict[int, list[int]] = {}
    for vertex, component in enumerate(simple.connected_components().membership):
        groups.setdefault(component, []).append(vertex)
    components = sorted(groups.values(), key=lambda vs: (-len(vs), vs[0]))
    # igraph draws from one global generator: seed it for this layout, then give it back.
    igraph.set_random_number_generator(random.Random(seed))
    try:
        shapes = [_component_shape(simple, vertices) for vertices in components]
    finally:
        igraph.set_random_number_generator(random)
    xy = _pack(shapes, components, len(order))
    return {node: xy[i] for i, node in enumerate(order)}


def _component_shape(simple: Any, vertices: list[int]) -> list[tuple[float, float]]:
    """One component's own layout, its corner at (0, 0)."""
    if len(vertices) == 1:
        return [(0.0, 0.0)]
    if len(vertices) == 2:
        return [(0.0, 0.0), (1.0, 0.0)]
    sub = simple.subgraph(vertices)  # keeps the vertices' order
    grid = "grid" if len(vertices) > 200 else "nogrid"
    coords = sub.layout_fruchterman_reingold(niter=LAYOUT_ITERATIONS, grid=grid).coords
    x0 = min(x for x, _ in coords)
    y0 = min(y for _, y in coords)
    return [(float(x) - x0, float(y) - y0) for x, y in coords]


def _pack(
    shapes: list[list[tuple[float, float]]], components: list[list[int]], n: int
) -> list[tuple[float, float]]:
    """Place the components' shapes in rows (largest first), one unit of space between them."""
    widths = [max(x for x, _ in shape) for shape in shapes]
    heights = [max(y for _, y in shape) for shape in shapes]
    area = sum((w + 1.0) * (h + 1.0) for w, h in zip(widths, heights, strict=True))
    row_width = max(widths[0], 1.3 * area**0.5)
    xy: list[tuple[float, float]] = [(0.0, 0.0)] * n
    x = y = row_height = 0.0
    for shape, vertices, w, h in zip(shapes, components, widths, heights, strict=True):
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + 1.0, 0.0
        for vertex, (px, py) in zip(vertices, shape, strict=True):
            xy[vertex] = (round(x + px, 2), round(y + py, 2))
        x += w + 1.0
        row_height = max(row_height, h)
    return xy


def webgl_page_data(graph: nx.MultiDiGraph, *, title: str = "relaxgraph") -> dict[str, Any]:
    """The JSON the WebGL page draws: the canvas view's data (same rows, same safety), compacted."""
    data = page_data(graph, physics="off", title=title, positions=layout(graph))
    for key in ("options", "physics", "edgeLabels"):
        data.pop(key, None)
    n_edges = len(data["edges"])
    data["edgeEvents"] = n_edges <= EDGE_EVENT_LIMIT
    data["fast"] = max(len(data["nodes"]), n_edges) > FAST_DRAWING_LIMIT
    data["hideOnMove"] = n_edges > HIDE_EDGES_ON_MOVE
    _shared_evidence(data)
    _implied_iris(data)
    return data


_MARKER = re.compile(r"@@RG_(TITLE|DATA|DETAILS_JS|DETAILS|SIGMA_JS|GRAPHOLOGY_JS)@@")

#: What the page reads only when first needed (a search, a selection), in its own element.
_DETAIL_KEYS = ("nodeDetails", "edgeDetails", "evidence", "prefixes")


def _inline_script(script: str) -> str:
    if "</script" in script.lower() or "<!--" in script:
        return script.replace("</", "<\\/").replace("<!--", "<\\!--")
    return script


def _template() -> str:
    return (files("relaxgraph.views") / "_webgl_template.html").read_text(encoding="utf-8")


def render(graph: nx.MultiDiGraph, *, title: str = "relaxgraph") -> str:
    """The whole WebGL page for ``graph`` as one HTML string (see the module's description)."""
    data = webgl_page_data(graph, title=title)
    details = {key: data.pop(key) for key in _DETAIL_KEYS}
    parts = {
        "TITLE": html.escape(_shown(_cut(title, TITLE_LIMIT))),
        "DATA": _json_for_script(data),
        "DETAILS": _json_for_script(details),
        "SIGMA_JS": _inline_script(sigma_js()),
        "GRAPHOLOGY_JS": _inline_script(graphology_js()),
        "DETAILS_JS": details_panel_js(),
    }
    return _MARKER.sub(lambda m: parts[m.group(1)], _template())
