"""Questions answered on the entity network: who is most connected, which drugs are alike, how
two entities are linked, and which groups the graph falls into.

Every function works on the projection of :func:`relaxgraph.views.network.to_networkx` (entities as
nodes with ``kind`` and ``label``, relations as edges keyed by property). Pass it as
``graph=`` to reuse one (a neighbourhood works too); by default the whole bundled graph is
projected. Entities are named as everywhere else: a label, synonym, brand name, identifier,
CURIE or IRI, in any case.

>>> [s.label for s in similar_drugs("vecuronium", by=("classes",))]
['succinylcholine']
>>> print(explain_path("vecuronium", "succinylcholine"))
vecuronium -[is a]-> neuromuscular blocking agents <-[is a]- succinylcholine
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "ASPECTS",
    "Community",
    "Connected",
    "Path",
    "Similar",
    "Step",
    "communities",
    "drugs_sharing_class",
    "explain_path",
    "explain_paths",
    "most_connected",
    "similar_drugs",
]

#: What :func:`similar_drugs` can compare, and the edge keys each aspect follows from a drug.
ASPECTS: dict[str, tuple[str, ...]] = {
    "targets": ("rgo:targets",),
    "effects": ("rgo:hasTherapeuticEffect",),
    "side_effects": ("rgo:hasSideEffect",),
    "conditions": ("rgo:treats",),
    "classes": ("rdf:type",),
    "mechanisms": ("rgo:hasMechanism",),
}

_DEFAULT_ASPECTS = ("targets", "effects", "conditions", "classes")


def _graph(graph: nx.MultiDiGraph | None) -> nx.MultiDiGraph:
    if graph is not None:
        return graph
    from ..api import default_engine
    from .network import to_networkx

    return to_networkx(default_engine())


def _label(graph: nx.MultiDiGraph, node: str) -> str:
    return str(graph.nodes[node].get("label") or node)


def _node(graph: nx.MultiDiGraph, name: str) -> str:
    """The node ``name`` names (see :func:`relaxgraph.views.network.find_node`)."""
    from .network import find_node

    if name in graph:
        return name
    return find_node(graph, name)


def _drug(graph: nx.MultiDiGraph, name: str) -> str:
    """The drug node ``name`` names; a brand name gives its drug."""
    from ..errors import UnknownEntityError

    node = _node(graph, name)
    kind = graph.nodes[node].get("kind")
    if kind == "BrandName":
        drugs = sorted(v for _, v, k in graph.out_edges(node, keys=True) if k == "rgo:brandOf")
        if len(drugs) == 1:
            return str(drugs[0])
    if kind != "Drug":
        drug_names = sorted(
            d["label"] for _, d in graph.nodes(data=True) if d.get("kind") == "Drug"
        )
        raise UnknownEntityError(f"{name} (a {kind}, not a drug)", drug_names)
    return node


# --- most connected -----------------------------------------------------------------------


@dataclass(frozen=True)
class Connected:
    """An entity and how many links it has (in and out)."""

    node: str
    label: str
    kind: str
    degree: int
    neighbours: int


def most_connected(
    n: int = 10, *, kind: str | None = None, graph: nx.MultiDiGraph | None = None
) -> list[Connected]:
    """The ``n`` entities with the most links (``kind`` keeps one kind, e.g. ``"Drug"``).

    ``degree`` counts links in both directions; ``neighbours`` counts distinct entities
    linked. Ties are broken by label.

    >>> top = most_connected(3, kind="Drug")
    >>> [(c.label, c.degree) for c in top][:1]
    [('baclofen', 67)]
    """
    g = _graph(graph)
    ranked = []
    for node, data in g.nodes(data=True):
        if kind is not None and data.get("kind") != kind:
            continue
        linked = set(g.successors(node)) | set(g.predecessors(node))
        ranked.append(
            Connected(
                node, _label(g, node), str(data.get("kind")), int(g.degree(node)), len(linked)
            )
        )
    ranked.sort(key=lambda c: (-c.degree, c.label.casefold(), c.node))
    return ranked[:n]


# --- similar drugs ------------------------------------------------------------------------


@dataclass
class Similar:
    """A drug compared with another: what they share, aspect by aspect."""

    drug: str
    label: str
    score: int
    jaccard: float
    shared: dict[str, tuple[str, ...]] = field(default_factory=dict)
    shared_nodes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __str__(self) -> str:
        parts = "; ".join(f"{a}: {', '.join(items)}" for a, items in self.shared.items() if items)
        return f"{self.label} ({self.score} shared: {parts})"


def _items(g: nx.MultiDiGraph, drug: str, aspects: Sequence[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {a: set() for a in aspects}
    for _, target, key in g.out_edges(drug, keys=True):
        for aspect in aspects:
            if key in ASPECTS[aspect]:
                if aspect == "classes" and g.nodes[target].get("kind") != "DrugClass":
                    continue
                found[aspect].add(target)
    return found


def similar_drugs(
    drug: str,
    by: Iterable[str] = _DEFAULT_ASPECTS,
    *,
    graph: nx.MultiDiGraph | None = None,
) -> list[Similar]:
    """Other drugs that share targets, effects, conditions or classes with ``drug``, most alike first.

    ``by`` names the aspects compared (keys of :data:`ASPECTS`: ``targets``, ``effects``,
    ``side_effects``, ``conditions``, ``classes``, ``mechanisms``). Only what the graph says
    of each drug directly counts (a drug's class's effects are not the drug's). ``score`` is
    the number of shared items, ``jaccard`` the shared share of both drugs' items; drugs that
    share nothing are left out. ``shared`` gives the labels of the shared items by aspect.

    >>> [(s.label, s.score) for s in similar_drugs("baclofen")]
    [('diazepam', 3), ('dantrolene sodium', 2), ('methocarbamol', 1)]
    >>> similar_drugs("baclofen")[0].shared["effects"]
    ('muscle relaxation', 'reduction of muscle spasticity')
    """
    aspects = tuple(by)
    unknown = [a for a in aspects if a not in ASPECTS]
    if unknown:
        raise ValueError(f"unknown aspect {unknown[0]!r}; use some of {', '.join(ASPECTS)}")
    g = _graph(graph)
    centre = _drug(g, drug)
    mine = _items(g, centre, aspects)
    mine_all = set().union(*mine.values()) if mine else set()
    found: list[Similar] = []
    for other, data in g.nodes(data=True):
        if other == centre or data.get("kind") != "Drug":
            continue
        theirs = _items(g, other, aspects)
        shared = {a: mine[a] & theirs[a] for a in aspects}
        score = sum(len(s) for s in shared.values())
        if score == 0:
            continue
        union = mine_all | set().union(*theirs.values())
        found.append(
            Similar(
                other,
                _label(g, other),
                score,
                round(score / len(union), 4) if union else 0.0,
                {
                    a: tuple(sorted((_label(g, n) for n in s), key=str.casefold))
                    for a, s in shared.items()
                },
                {a: tuple(sorted(s)) for a, s in shared.items()},
            )
        )
    found.sort(key=lambda s: (-s.score, -s.jaccard, s.label.casefold()))
    return found


def drugs_sharing_class(drug: str, *, graph: nx.MultiDiGraph | None = None) -> list[Similar]:
    """Drugs placed in one of the same drug classes as ``drug`` (the classes in ``shared["classes"]``).

    Only classes the graph gives the drug directly count, as in the catalogue query
    ``drugs-sharing-class``.

    >>> [(s.label, s.shared["classes"]) for s in drugs_sharing_class("vecuronium")]
    [('succinylcholine', ('neuromuscular blocking agents',))]
    """
    return similar_drugs(drug, by=("classes",), graph=graph)


# --- explanation paths --------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One link of a path, read in the path's direction.

    ``forward`` is True when the graph's edge points the way the path walks
    (``source -[label]-> target``), False when the path walks it backwards.
    """

    source: str
    source_label: str
    key: str
    label: str
    target: str
    target_label: str
    forward: bool

    def __str__(self) -> str:
        arrow = f"-[{self.label}]->" if self.forward else f"<-[{self.label}]-"
        return f"{self.source_label} {arrow} {self.target_label}"


@dataclass(frozen=True)
class Path:
    """A chain of links between two entities, with labels for reading it aloud."""

    nodes: tuple[str, ...]
    labels: tuple[str, ...]
    steps: tuple[Step, ...]

    def __len__(self) -> int:
        return len(self.steps)

    def __str__(self) -> str:
        if not self.steps:
            return self.labels[0] if self.labels else ""
        text = self.labels[0]
        for step in self.steps:
            arrow = f"-[{step.label}]->" if step.forward else f"<-[{step.label}]-"
            text += f" {arrow} {step.target_label}"
        return text


def _step(g: nx.MultiDiGraph, u: str, v: str) -> Step:
    """The link from ``u`` to ``v``: a forward edge first, then by property key."""
    choices: list[tuple[bool, str, str]] = []
    if g.has_edge(u, v):
        choices += [(False, k, d.get("label") or k) for k, d in g[u][v].items()]
    if g.has_edge(v, u):
        choices += [(True, k, d.get("label") or k) for k, d in g[v][u].items()]
    backwards, key, label = min(choices)
    return Step(u, _label(g, u), key, str(label), v, _label(g, v), not backwards)


def explain_paths(
    a: str,
    b: str,
    *,
    graph: nx.MultiDiGraph | None = None,
    avoid: Iterable[str] = (),
) -> list[Path]:
    """Every shortest chain of links between ``a`` and ``b`` (edges walked either way).

    ``avoid`` names node kinds the chain may not pass through (e.g. ``("Statistic",)``).
    Paths are sorted by the labels along them. Raises :class:`networkx.NetworkXNoPath`
    when none exists.

    >>> [p.labels[1] for p in explain_paths("diazepam", "baclofen")]
    ['muscle relaxation', 'muscle spasticity', 'reduction of muscle spasticity']
    """
    import networkx as nx

    g = _graph(graph)
    start, end = _node(g, a), _node(g, b)
    blocked = set(avoid)
    view = g.to_undirected(as_view=True)
    if blocked:
        keep = [
            n for n, d in g.nodes(data=True) if d.get("kind") not in blocked or n in (start, end)
        ]
        view = view.subgraph(keep)
    paths = []
    for nodes in nx.all_shortest_paths(view, start, end):
        steps = tuple(_step(g, u, v) for u, v in pairwise(nodes))
        paths.append(Path(tuple(nodes), tuple(_label(g, n) for n in nodes), steps))
    paths.sort(key=lambda p: (tuple(x.casefold() for x in p.labels), p.nodes))
    return paths


def explain_path(
    a: str,
    b: str,
    *,
    graph: nx.MultiDiGraph | None = None,
    avoid: Iterable[str] = (),
) -> Path:
    """The shortest chain of links between ``a`` and ``b``, with node and edge labels.

    When several are equally short, the first by its labels (see :func:`explain_paths`).

    >>> path = explain_path("diazepam", "baclofen")
    >>> print(path)
    diazepam -[has therapeutic effect]-> muscle relaxation <-[has therapeutic effect]- baclofen
    >>> [str(step) for step in path.steps][1]
    'muscle relaxation <-[has therapeutic effect]- baclofen'
    """
    return explain_paths(a, b, graph=graph, avoid=avoid)[0]


# --- communities --------------------------------------------------------------------------


@dataclass(frozen=True)
class Community:
    """A group of entities more linked among themselves than to the rest.

    ``hub`` is the label of its most connected member; ``members`` are sorted by degree.
    """

    hub: str
    members: tuple[str, ...]
    labels: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.members)


def communities(
    *, graph: nx.MultiDiGraph | None = None, seed: int = 42, resolution: float = 1.0
) -> list[Community]:
    """The graph's communities (Louvain modularity on the undirected links, fixed ``seed``).

    Largest first. Every entity is in exactly one community.

    >>> groups = communities()
    >>> group = next(c for c in groups if "succinylcholine" in c.labels)
    >>> "neuromuscular blocking agents" in group.labels
    True
    """
    import networkx as nx

    g = _graph(graph)
    simple = nx.Graph()
    simple.add_nodes_from(sorted(g.nodes))
    for u, v in sorted((u, v) for u, v in g.edges() if u != v):
        if simple.has_edge(u, v):
            simple[u][v]["weight"] += 1
        else:
            simple.add_edge(u, v, weight=1)
    parts = nx.community.louvain_communities(
        simple, weight="weight", seed=seed, resolution=resolution
    )
    found = []
    for part in parts:
        members = sorted(part, key=lambda n: (-g.degree(n), _label(g, n).casefold(), n))
        labels = tuple(_label(g, n) for n in members)
        found.append(Community(labels[0], tuple(members), labels))
    found.sort(key=lambda c: (-len(c), c.hub.casefold()))
    return found
