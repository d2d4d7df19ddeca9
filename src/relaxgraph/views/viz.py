"""An interactive network view of the graph: one self-contained, offline HTML file.

:func:`visualize` turns the entity network of :mod:`relaxgraph.views.network` into a page that
draws with vis-network (shipped in ``relaxgraph/views/static`` with its licences, and inlined),
with a legend and filters by kind, a search box, and a details panel that shows labels,
identifiers (linked to their public pages) and, for every fact from the guide, the section
and the quoted evidence. Flagged claims are drawn with a red border or a red dashed link.
What public sources say (the reference layer) is shown apart, in a section of its own with
each fact's source and a link to its record.

The page requests nothing from any host: the script, the data and the styles are inline,
and a Content-Security-Policy forbids any fetch. Data reaches the page only as JSON in a
``<script type="application/json">`` element (with ``<``, ``>`` and ``&`` escaped) and is
shown through ``textContent`` and canvas text, so a label can never run as code.

Small graphs settle with tuned physics from a layout computed in Python; above
:data:`PHYSICS_THRESHOLD` nodes physics is off and the Python layout is final, so the page
draws at once. The output is deterministic: sorted nodes and edges, fixed seeds, no dates.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import networkx as nx

    from ..querying.sparql import Engine

__all__ = [
    "KIND_STYLES",
    "PHYSICS_THRESHOLD",
    "VIS_NETWORK_SHA256",
    "VIS_NETWORK_VERSION",
    "HTMLView",
    "check_output",
    "render",
    "vis_network_js",
    "visualize",
]

Physics = Literal["auto", "on", "off"]

#: Above this many nodes, ``physics="auto"`` draws a layout computed in Python, without physics.
PHYSICS_THRESHOLD = 500

#: Layouts below this many nodes use networkx's spring layout; above, a faster hub layout.
SPRING_LIMIT = 400

#: Above this many nodes, links are drawn without labels (a selected node's links show theirs).
EDGE_LABEL_LIMIT = 1500

SEED = 7
FONT = "system-ui, sans-serif"

# kind -> (legend label, colour, vis-network shape). Hue families: drugs blue, classes orange,
# targets green, conditions purple, effects teal, side effects red, claims gold, people grey.
KIND_STYLES: dict[str, tuple[str, str, str]] = {
    "Drug": ("drug", "#2f6fdf", "dot"),
    "BrandName": ("brand name", "#8fb8f5", "dot"),
    "DrugClass": ("drug class", "#f08c00", "hexagon"),
    "Receptor": ("receptor", "#1a9e5a", "diamond"),
    "Neurotransmitter": ("neurotransmitter", "#7fd1a3", "diamond"),
    "MechanismOfAction": ("mechanism", "#4db6ac", "triangle"),
    "AnatomicalSite": ("anatomical site", "#a1887f", "square"),
    "Condition": ("condition", "#9c6ade", "square"),
    "Disease": ("disease", "#7b3fc4", "square"),
    "Symptom": ("symptom", "#c9a7f0", "square"),
    "TherapeuticEffect": ("therapeutic effect", "#13a3b8", "star"),
    "SideEffect": ("side effect", "#e8590c", "triangleDown"),
    "WithdrawalSymptom": ("withdrawal symptom", "#b3261e", "triangleDown"),
    "Tolerance": ("tolerance", "#5c6bc0", "dot"),
    "ToleranceSign": ("tolerance sign", "#9fa8da", "triangleDown"),
    "TreatmentAdjustment": ("treatment adjustment", "#3f51b5", "square"),
    "ComplementaryTherapy": ("complementary therapy", "#66a61e", "dot"),
    "DosageForm": ("dosage form", "#8d99ae", "square"),
    "AdministrationRoute": ("route", "#adb5bd", "square"),
    "Statistic": ("statistic (claim)", "#e6b800", "triangle"),
    "Price": ("price (claim)", "#c9a000", "hexagon"),
    "CaseStudy": ("case study (claim)", "#f2cc3d", "square"),
    "Testimonial": ("testimonial (claim)", "#f7dc6f", "dot"),
    "CitedStudy": ("cited study (claim)", "#d4a017", "diamond"),
    "Person": ("person", "#6c757d", "dot"),
    "Expert": ("expert", "#495057", "dot"),
    "Organization": ("organisation", "#ced4da", "hexagon"),
    "Journal": ("journal", "#b0b8c1", "hexagon"),
    "Program": ("programme", "#868e96", "hexagon"),
    # The reference layer (public sources, not the guide): slate blue, square-ish shapes.
    "ReferenceDrug": ("drug (reference only)", "#5b7aa6", "dot"),
    "SubstanceForm": ("substance form (reference)", "#a9bad3", "square"),
    "Target": ("target (reference)", "#3d8b7d", "diamond"),
}
_DEFAULT_STYLE = ("other", "#9e9e9e", "dot")


#: The vis-network build shipped in ``relaxgraph/views/static`` (see the README there).
VIS_NETWORK_VERSION = "9.1.2"
VIS_NETWORK_SHA256 = "6e30a2350474cdf92a0932c6d55b8adcb91929066817ed3eec7b87907a4612f3"

_SOURCE_MAP = re.compile(r"\n//# sourceMappingURL=\S*\s*$")


def vis_network_js() -> str:
    """vis-network's standalone script, as shipped in ``relaxgraph/views/static`` (its licences beside it).

    The trailing ``sourceMappingURL`` comment is dropped: the page refers to no other file.
    """
    script = (files("relaxgraph.views") / "static" / "vis-network.min.js").read_text(
        encoding="utf-8"
    )
    return _SOURCE_MAP.sub("\n", script)


def _template() -> str:
    return (files("relaxgraph.views") / "_viz_template.html").read_text(encoding="utf-8")


def details_panel_js() -> str:
    """The details panel both network views share (``_details_panel.js``), inlined in each page."""
    return (files("relaxgraph.views") / "_details_panel.js").read_text(encoding="utf-8")


def _json_for_script(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` survive as such."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# ---------------------------------------------------------------------------------------------
# Layout


def layout(graph: nx.MultiDiGraph, seed: int = SEED) -> dict[Any, tuple[float, float]]:
    """Node positions in pixels, computed in Python (deterministic for a given graph and seed).

    Up to :data:`SPRING_LIMIT` nodes: networkx's spring layout. Above: a hub layout that
    runs the spring layout on the best-connected nodes only and places every other node on
    a sunflower spiral around the neighbour it was reached from; linear in the graph size.
    """
    import networkx as nx

    order = list(graph.nodes)
    if not order:
        return {}
    simple = nx.Graph()
    simple.add_nodes_from(order)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    n = len(order)
    if n <= SPRING_LIMIT:
        pos = nx.spring_layout(simple, seed=seed, iterations=150 if n < 150 else 80)
        scale = 110.0 * math.sqrt(n) + 60.0
        return {node: (float(x) * scale, float(y) * scale) for node, (x, y) in pos.items()}
    return _hub_layout(simple, order, seed)


_GOLDEN = math.pi * (3.0 - math.sqrt(5.0))

# networkx's spring layout switches to a solver that needs scipy at 500 nodes; relaxgraph
# depends on numpy only, so the hub layout's skeleton stays below that.
_DENSE_SPRING_LIMIT = 499


def _hub_layout(simple: nx.Graph, order: list[Any], seed: int) -> dict[Any, tuple[float, float]]:
    import random

    import networkx as nx

    index = {node: i for i, node in enumerate(order)}
    degree = dict(simple.degree())
    by_degree = sorted(order, key=lambda v: (-degree[v], index[v]))
    rank = {node: r for r, node in enumerate(by_degree)}
    n = len(order)
    budget = max(30, min(400, int(2 * math.sqrt(n))))
    anchors = by_degree[:budget]
    anchor_set = set(anchors)
    # Components without an anchor get one each (their best-connected node), up to a limit;
    # the rest (small fragments and isolated nodes) go into a grid below the drawing.
    leftovers: list[list[Any]] = []
    for component in sorted(
        nx.connected_components(simple), key=lambda c: (-len(c), min(index[v] for v in c))
    ):
        if component & anchor_set:
            continue
        if len(anchors) < min(budget + 200, _DENSE_SPRING_LIMIT) and len(component) > 2:
            top = min(component, key=rank.__getitem__)
            anchors.append(top)
            anchor_set.add(top)
        else:
            leftovers.append(sorted(component, key=rank.__getitem__))
    # The anchors' own graph: linked when adjacent or when they share a neighbour.
    skeleton = nx.Graph()
    skeleton.add_nodes_from(anchors)
    for a in anchors:
        for b in simple[a]:
            if b in anchor_set:
                skeleton.add_edge(a, b, weight=2.0)
            else:
                for c in simple[b]:
                    if c in anchor_set and c != a:
                        w = skeleton.get_edge_data(a, c, {"weight": 0.0})["weight"]
                        skeleton.add_edge(a, c, weight=min(w + 0.5, 3.0))
    spread = 42.0 * math.sqrt(n)
    raw = nx.spring_layout(skeleton, seed=seed, iterations=60, weight="weight")
    pos: dict[Any, tuple[float, float]] = {
        a: (float(raw[a][0]) * spread, float(raw[a][1]) * spread) for a in anchors
    }
    # Everything else, breadth first from the anchors, on a spiral round its parent.
    children: dict[Any, int] = {}
    rng = random.Random(seed)
    turn = {a: rng.random() * 2 * math.pi for a in anchors}
    frontier = list(anchors)
    while frontier:
        nxt: list[Any] = []
        for parent in frontier:
            px, py = pos[parent]
            for child in sorted(simple[parent], key=rank.__getitem__):
                if child in pos:
                    continue
                k = children.get(parent, 0)
                children[parent] = k + 1
                angle = turn[parent] + k * _GOLDEN
                radius = 34.0 * math.sqrt(k + 1) + 30.0
                pos[child] = (px + radius * math.cos(angle), py + radius * math.sin(angle))
                turn[child] = angle
                nxt.append(child)
        frontier = nxt
    # Fragments without an anchor: a grid under the main drawing.
    if leftovers:
        ys = [y for _, y in pos.values()] or [0.0]
        xs = [x for x, _ in pos.values()] or [0.0]
        left, top = min(xs), max(ys) + 150.0
        width = max(max(xs) - left, 1200.0)
        x, y, row_height = left, top, 0.0
        singles = [c[0] for c in leftovers if len(c) == 1]
        leftovers = [c for c in leftovers if len(c) > 1]
        columns = max(1, int(width // 40.0))
        for k, node in enumerate(singles):  # isolated nodes: a tight grid
            pos[node] = (left + 40.0 * (k % columns), top + 40.0 * (k // columns))
        if singles:
            y = top + 40.0 * ((len(singles) - 1) // columns + 1) + 30.0
        for component in leftovers:
            size = 60.0 * math.sqrt(len(component)) + 40.0
            if x + size > left + width:
                x, y, row_height = left, y + row_height + 30.0, 0.0
            cx, cy = x + size / 2, y + size / 2
            for k, node in enumerate(component):
                radius = 0.0 if k == 0 else 30.0 * math.sqrt(k)
                pos[node] = (
                    cx + radius * math.cos(k * _GOLDEN),
                    cy + radius * math.sin(k * _GOLDEN),
                )
            x += size + 30.0
            row_height = max(row_height, size)
    return pos


# ---------------------------------------------------------------------------------------------
# Page data


def _options(n_nodes: int, physics: bool) -> dict[str, Any]:
    large = n_nodes > EDGE_LABEL_LIMIT
    options: dict[str, Any] = {
        "autoResize": True,
        "layout": {"randomSeed": SEED, "improvedLayout": False},
        "nodes": {
            "shape": "dot",
            "scaling": {
                "min": 10, "max": 42,
                "label": {"enabled": True, "min": 16, "max": 26, "drawThreshold": 6},
            },
            "font": {
                "size": 16, "face": FONT, "color": "#1f2328",
                "strokeWidth": 3, "strokeColor": "#ffffff",
            },
            "borderWidth": 1.5,
        },
        "edges": {
            # Arrows cost ~0.7 s of a 10k-node first draw; large graphs show them on selection.
            "arrows": {"to": {"enabled": not large, "scaleFactor": 0.5}},
            "color": {
                "color": "#9aa4ae", "highlight": "#1f2328", "hover": "#57606a", "inherit": False,
            },
            "width": 0.6 if large else 1.2,
            "selectionWidth": 2,
            "font": {
                "size": 11, "face": FONT, "color": "#57606a", "strokeWidth": 3,
                "strokeColor": "#ffffff", "align": "middle",
            },
            "scaling": {"label": {"enabled": False, "drawThreshold": 7}},
            "smooth": False if large else {"enabled": True, "type": "curvedCW", "roundness": 0.12},
        },
        "groups": {
            kind: {"color": {"background": colour, "border": "#1f2328",
                             "highlight": {"background": colour, "border": "#000000"},
                             "hover": {"background": colour, "border": "#000000"}},
                   "shape": shape}
            for kind, (_, colour, shape) in KIND_STYLES.items()
        },
        "interaction": {
            "hover": not large,
            "tooltipDelay": 300,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "navigationButtons": False,
            "keyboard": False,
        },
    }  # fmt: skip
    if physics:
        small = n_nodes <= 150  # overlap avoidance and long settling only where they are cheap
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -90,
                "centralGravity": 0.008,
                "springLength": 120,
                "springConstant": 0.06,
                "damping": 0.5,
                "avoidOverlap": 0.8 if small else 0.0,
            },
            "maxVelocity": 40,
            "minVelocity": 1.0,
            "timestep": 0.5,
            "stabilization": {
                "enabled": True,
                "iterations": 400 if small else 150,
                "updateInterval": 25,
                "fit": True,
            },
        }
    else:
        options["physics"] = {"enabled": False}
    return options


#: Labels drawn on the canvas are cut to this many characters; the details panel shows them whole.
LABEL_LIMIT = 80
#: The page's title is cut to this many characters.
TITLE_LIMIT = 200

# Bidirectional formatting characters (embeddings, overrides, isolates, marks): in a label they
# could reorder what is drawn (a right-to-left override makes "exe.txt" look like "txt.exe"),
# so the page shows each as U+FFFD instead. So are control characters (but tab and newline).
_UNSAFE_TEXT = re.compile(
    "[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\x00-\x08\x0b-\x1f\x7f-\x9f]"
)
_JS_SAFE_INT = 2**53


def _shown(text: str) -> str:
    """``text`` as the page shows it: bidirectional controls and control characters as U+FFFD."""
    return _UNSAFE_TEXT.sub("\ufffd", text) if _UNSAFE_TEXT.search(text) else text


def _cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters (an ellipsis ending the cut text)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _json_safe(value: Any) -> Any:
    """``value`` with only what JSON holds and JavaScript reads back exactly.

    Non-finite numbers become their XSD spelling (``NaN``, ``INF``, ``-INF``); integers
    beyond 2**53 become text; every string is :func:`_shown`.
    """
    kind = type(value)
    if kind is str:
        return _shown(value)
    if value is None or kind is bool:
        return value
    if kind is list:
        return [_json_safe(v) for v in value]
    if kind is dict:
        return {_shown(str(k)): _json_safe(v) for k, v in value.items()}
    if isinstance(value, int):
        return value if -_JS_SAFE_INT <= value <= _JS_SAFE_INT else str(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else ("INF" if value > 0 else "-INF")
    if isinstance(value, Mapping):
        return {_shown(str(k)): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [_json_safe(v) for v in items]
    return _shown(str(value))


_EMPTY: tuple[Any, ...] = (None, "", [], {})


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    """Drop empty fields (here and in evidence and flag items) so the page carries only what it shows."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if value in _EMPTY or key == "quote_iri":
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            value = [_clean(item) for item in value]
        out[key] = value
    return out


def page_data(
    graph: nx.MultiDiGraph,
    *,
    physics: Physics = "auto",
    title: str = "relaxgraph",
    positions: Mapping[Any, tuple[float, float]] | None = None,
) -> dict[str, Any]:
    """The JSON the page draws: compact node and edge arrays, details, legend and options.

    ``positions`` (node -> x, y) replaces the layout :func:`layout` would compute.
    """
    if physics not in ("auto", "on", "off"):
        from ..errors import InvalidArgumentError

        raise InvalidArgumentError(f"physics is 'auto', 'on' or 'off', not {physics!r}")
    nodes = sorted(graph.nodes, key=str)
    n = len(nodes)
    use_physics = physics == "on" or (physics == "auto" and n <= PHYSICS_THRESHOLD)
    ids = {node: i for i, node in enumerate(nodes)}
    pos = layout(graph) if positions is None else positions
    kind_of = [str(graph.nodes[v].get("kind") or "Entity") for v in nodes]
    kind_names = sorted(
        set(kind_of), key=lambda k: (list(KIND_STYLES).index(k) if k in KIND_STYLES else 999, k)
    )
    kind_index = {k: i for i, k in enumerate(kind_names)}
    kinds = []
    for k in kind_names:
        label, colour, shape = KIND_STYLES.get(k, _DEFAULT_STYLE)
        if k not in KIND_STYLES:
            label = _cut(k, LABEL_LIMIT)
        kinds.append(
            {"kind": k, "label": label, "color": colour, "shape": shape, "count": kind_of.count(k)}
        )
    degree = dict(graph.degree())
    node_rows: list[list[Any]] = []
    node_details: list[dict[str, Any]] = []
    for i, v in enumerate(nodes):
        data = graph.nodes[v]
        x, y = pos.get(v, (0.0, 0.0))
        flagged = 1 if data.get("flagged") else 0
        label = str(data.get("label") or v)
        drawn = _cut(label, LABEL_LIMIT)
        node_rows.append(
            [drawn, kind_index[kind_of[i]], degree.get(v, 0), round(x, 1), round(y, 1), flagged]
        )
        node_details.append(
            _clean(
                {
                    "label": label if drawn != label else None,
                    "iri": str(data.get("iri") or v),
                    "curie": data.get("curie"),
                    "synonyms": list(data.get("synonyms") or []),
                    "identifiers": dict(data.get("identifiers") or {}),
                    "identifier_links": dict(data.get("identifier_links") or {}),
                    "description": data.get("description"),
                    "properties": dict(data.get("properties") or {}),
                    "evidence_kind": data.get("evidence_kind"),
                    "evidence": list(data.get("evidence") or []),
                    "flags": list(data.get("flags") or []),
                    "reference": list(data.get("reference") or []),
                }
            )
        )
    edges = sorted(
        graph.edges(keys=True, data=True), key=lambda e: (ids[e[0]], ids[e[1]], str(e[2]))
    )
    prop_index: dict[tuple[str, str, str], int] = {}
    props: list[dict[str, str]] = []
    edge_rows: list[list[int]] = []
    edge_details: list[dict[str, Any]] = []
    for u, v, key, data in edges:
        p = (str(key), str(data.get("label") or key), str(data.get("predicate") or key))
        if p not in prop_index:
            prop_index[p] = len(props)
            short = _cut(p[1], LABEL_LIMIT)
            prop = {"key": p[0], "label": short, "predicate": p[2]}
            if short != p[1]:
                prop["fullLabel"] = p[1]
            props.append(prop)
        edge_rows.append([ids[u], ids[v], prop_index[p], 1 if data.get("flagged") else 0])
        edge_details.append(
            _clean(
                {
                    "evidence": list(data.get("evidence") or []),
                    "flags": list(data.get("flags") or []),
                    "verdict": data.get("verdict"),
                    "assessments": list(data.get("assessments") or []),
                }
            )
        )
    data = {
        "title": _cut(title, TITLE_LIMIT),
        "physics": use_physics,
        "edgeLabels": n <= EDGE_LABEL_LIMIT,
        "kinds": kinds,
        "props": props,
        "nodes": node_rows,
        "edges": edge_rows,
        "nodeDetails": node_details,
        "edgeDetails": edge_details,
        "options": _options(n, use_physics),
    }
    safe: dict[str, Any] = _json_safe(data)
    return safe


_MARKER = re.compile(r"@@RG_(TITLE|DATA|VIS_JS|DETAILS_JS)@@")


def render(graph: nx.MultiDiGraph, *, physics: Physics = "auto", title: str = "relaxgraph") -> str:
    """The whole page for ``graph`` as one HTML string (see the module's description)."""
    data = _json_for_script(page_data(graph, physics=physics, title=title))
    script = vis_network_js()
    if "</script" in script.lower() or "<!--" in script:
        script = script.replace("</", "<\\/").replace("<!--", "<\\!--")
    parts = {
        "TITLE": html.escape(_shown(_cut(title, TITLE_LIMIT))),
        "DATA": data,
        "VIS_JS": script,
        "DETAILS_JS": details_panel_js(),
    }
    return _MARKER.sub(lambda m: parts[m.group(1)], _template())


class HTMLView(str):
    """The page as a string that also renders inline in Jupyter (in an ``<iframe srcdoc>``)."""

    height = 720

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(str(self), quote=True)}" '
            'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
            f'style="width: 100%; height: {self.height}px; border: 1px solid #d0d7de;" '
            'title="relaxgraph network view"></iframe>'
        )

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` atomically (a temporary file renamed into place).

        Raises :class:`~relaxgraph.errors.OutputPathError` (an ``OSError``) when ``path`` is
        a folder, its folder does not exist, or the file cannot be written.
        """
        from .._atomic import write_atomic
        from ..errors import OutputPathError, RelaxgraphError

        check_output(path)
        try:
            return write_atomic(path, str(self).encode("utf-8"))
        except RelaxgraphError as exc:
            raise OutputPathError(str(exc)) from None
        except OSError as exc:
            raise OutputPathError(f"cannot write {path}: {exc.strerror or exc}") from None


def check_output(path: str | Path) -> None:
    """Refuse, before any work, an output path that cannot be a new or replaced file.

    Raises :class:`~relaxgraph.errors.OutputPathError` (an ``OSError``) for a folder, or a
    path whose folder does not exist.
    """
    from ..errors import OutputPathError

    target = Path(path)
    if str(path) == "" or target.is_dir():
        raise OutputPathError(
            f"cannot write {str(path)!r}: it is a folder; give a file name such as graph.html"
        )
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputPathError(
            f"cannot write {path}: the folder {folder} does not exist; create it first"
        )


def _is_graph(value: Any) -> bool:
    return hasattr(value, "nodes") and hasattr(value, "edges") and hasattr(value, "graph")


def _query_graph(
    engine: Engine, query: str, params: Mapping[str, Any] | None
) -> tuple[nx.MultiDiGraph, str]:
    from ..api import query as run_query
    from ..querying.catalogue import is_sparql
    from .network import from_entities, from_triples

    if is_sparql(query):  # the one rule relaxgraph.query and the CLI use
        if params:
            from ..errors import InvalidArgumentError

            raise InvalidArgumentError(
                "params work with a catalogue query name, not with SPARQL text"
            )
        name = "query"
    else:
        name = query
    result = run_query(query, engine, **dict(params or {}))
    if result.kind == "graph":
        return from_triples(result.triples, engine), name
    if result.kind == "select":
        iris = {
            t.value
            for row in result.terms
            for t in row
            if t is not None and type(t).__name__ == "NamedNode"
        }
        return from_entities(iris, engine), name
    from ..errors import QueryError

    raise QueryError("an ASK query has no graph to draw; use a CONSTRUCT or a SELECT")


def visualize(
    source: nx.MultiDiGraph | Engine | None = None,
    *,
    focus: str | None = None,
    depth: int = 1,
    query: str | None = None,
    params: Mapping[str, Any] | None = None,
    output: str | Path | None = None,
    physics: Physics = "auto",
    title: str | None = None,
    renderer: Literal["auto", "canvas", "webgl"] = "auto",
) -> HTMLView:
    """Draw the graph as one self-contained, offline HTML page and return it.

    ``source`` is a :class:`networkx.MultiDiGraph` from :func:`relaxgraph.views.network.to_networkx`,
    an :class:`~relaxgraph.querying.sparql.Engine`, or None for the bundled graph. ``focus`` (a label,
    synonym or identifier) and ``depth`` draw a neighbourhood; ``query`` (a catalogue query
    name, with ``params``, or SPARQL text) draws a CONSTRUCT's graph or the entities a SELECT
    returns. ``physics`` is ``"auto"`` (on up to :data:`PHYSICS_THRESHOLD` nodes), ``"on"``
    or ``"off"``. ``renderer`` is ``"auto"`` (the WebGL view of :mod:`relaxgraph.views.webgl`
    above :data:`~relaxgraph.views.webgl.WEBGL_THRESHOLD` nodes, this canvas view up to it),
    ``"canvas"`` or ``"webgl"`` (which ignores ``physics``: its layout is always computed in
    Python). With ``output`` the page is also written there, atomically.

    The result is a ``str`` that renders inline in Jupyter.

    Bad arguments raise :class:`~relaxgraph.errors.RelaxgraphError` subclasses before any
    work: :class:`~relaxgraph.errors.InvalidArgumentError` (a ``ValueError``) for a negative
    ``depth``, an unknown ``physics`` or ``renderer``, :class:`~relaxgraph.errors.OutputPathError` (an
    ``OSError``) for an ``output`` that is a folder or in a missing folder.
    """
    from ..errors import InvalidArgumentError
    from .network import check_depth, find_node, neighbourhood, to_networkx
    from .webgl import check_renderer, use_webgl

    check_depth(depth)
    if physics not in ("auto", "on", "off"):
        raise InvalidArgumentError(f"physics is 'auto', 'on' or 'off', not {physics!r}")
    check_renderer(renderer)
    if output is not None:
        check_output(output)

    if _is_graph(source):
        graph: nx.MultiDiGraph = source
        if query is not None:
            raise InvalidArgumentError(
                "query needs an engine (or nothing, for the bundled graph), not a networkx graph"
            )
        if focus is not None:
            graph = neighbourhood(graph, find_node(graph, focus), depth)
        default_title = "relaxgraph"
    else:
        if source is None:
            from ..api import default_engine

            engine: Engine = default_engine()
        else:
            engine = source
        if query is not None:
            graph, name = _query_graph(engine, query, params)
            default_title = f"relaxgraph: {name}"
            if focus is not None:
                graph = neighbourhood(graph, find_node(graph, focus), depth)
        else:
            graph = to_networkx(engine, focus=focus, depth=depth if focus is not None else None)
            default_title = "relaxgraph"
    if focus is not None:
        centre = graph.graph.get("focus")
        label = graph.nodes[centre].get("label", focus) if centre in graph else focus
        default_title += (
            f": {label} and its neighbours within {depth} link{'s' if depth != 1 else ''}"
        )
    if use_webgl(renderer, graph.number_of_nodes()):
        from .webgl import render as render_webgl

        page = HTMLView(render_webgl(graph, title=title or default_title))
    else:
        page = HTMLView(render(graph, physics=physics, title=title or default_title))
    if output is not None:
        page.save(output)
    return page
