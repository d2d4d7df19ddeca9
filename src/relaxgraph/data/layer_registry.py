"""The layers of the graph: each source in its own named graph, declared once in ``layers.toml``.

A layer is one source of triples (the ontology, the guide's claims, our curation, the
identifiers, ...) with its title, source, version, licence, attribution, files and builder.
Each is loaded into its own named graph (``https://w3id.org/relaxgraph/graph/ID``); queries
see the union of the default graph and the layer graphs, unless told to see only some layers
(``connect(layers=[...])``, ``--layer ID``). A query names one layer with
``GRAPH <https://w3id.org/relaxgraph/graph/guide> { ... }``.

Adding a layer takes one ``[[layer]]`` entry in ``layers.toml`` and the builder that writes its
file(s); the loader, the union, ``relaxgraph layers`` and ``ATTRIBUTION.md`` follow from it.

>>> [layer.id for layer in registry().layers]
['ontology', 'guide', 'curation', 'identifiers', 'reference', 'assessments', 'entailed']
>>> registry().get("guide").graph
'https://w3id.org/relaxgraph/graph/guide'
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import DataFileError, LayerRegistryError, UnknownLayerError

__all__ = [
    "LAYER_NAMESPACE",
    "Layer",
    "LayerSummary",
    "Registry",
    "attribution_markdown",
    "data_dir",
    "layers",
    "load_layers",
    "read_registry",
    "registry",
    "restrict",
    "union_graphs",
    "union_options",
    "union_triples",
]

#: Every layer's named graph lives under this namespace; the union is made of these graphs.
LAYER_NAMESPACE = "https://w3id.org/relaxgraph/graph/"

_REQUIRED = (
    "id",
    "graph",
    "title",
    "description",
    "source",
    "version",
    "licence",
    "attribution",
    "files",
    "builder",
)
_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}


@dataclass(frozen=True)
class Layer:
    """One layer: a source of triples in its own named graph."""

    id: str
    graph: str
    title: str
    description: str
    source: str
    version: str
    licence: str
    attribution: str
    files: tuple[str, ...]
    builder: str
    #: Not part of the default graph unless asked for (e.g. the precomputed entailments).
    optional: bool = False
    #: In the wheel (``true``), or kept out of it: then its files are looked up in the data
    #: folder (:func:`data_dir`) and, when missing, made there by ``build`` on first use.
    shipped: bool = True
    #: ``module:function`` that writes the layer's files into the folder it is given
    #: (for a layer that is not shipped).
    build: str | None = None

    @property
    def node(self) -> ox.NamedNode:
        """The layer's named graph as a pyoxigraph node."""
        return ox.NamedNode(self.graph)


@dataclass(frozen=True)
class Registry:
    """The declared layers, in load order, and the folder their files are found in."""

    layers: tuple[Layer, ...]
    root: Traversable = field(repr=False)
    name: str = "layers.toml"

    @property
    def ids(self) -> list[str]:
        return [layer.id for layer in self.layers]

    def get(self, layer_id: str) -> Layer:
        """The layer with this id; :class:`UnknownLayerError` (with close ids) if none."""
        for layer in self.layers:
            if layer.id == layer_id:
                return layer
        raise UnknownLayerError(str(layer_id), self.ids)

    def select(self, ids: Iterable[str] | None = None) -> list[Layer]:
        """The layers named by ``ids`` (in registry order), or every non-optional layer."""
        if ids is None:
            return [layer for layer in self.layers if not layer.optional]
        wanted = list(ids)
        for layer_id in wanted:
            self.get(layer_id)  # raises for an unknown id
        return [layer for layer in self.layers if layer.id in wanted]

    def file(self, layer: Layer, name: str) -> Traversable:
        """A file of ``layer``: under the registry's root folder, or for a layer that is not
        shipped, in the data folder (built there by the layer's ``build`` on first use)."""
        if not layer.shipped:
            return _built_file(layer, name)
        found = self.root
        for part in name.split("/"):
            found = found / part
        return found

    def available(self, layer: Layer) -> bool:
        """Whether the layer's files are at hand without building anything."""
        if layer.shipped:
            return True
        return all((data_dir() / layer.id / name).is_file() for name in layer.files)


def data_dir() -> Path:
    """Where layers that are not shipped live: ``$RELAXGRAPH_DATA``, else the user's cache
    folder (``$XDG_CACHE_HOME/relaxgraph/layers``, default ``~/.cache/relaxgraph/layers``)."""
    explicit = os.environ.get("RELAXGRAPH_DATA")
    if explicit:
        return Path(explicit)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "relaxgraph" / "layers"


def _built_file(layer: Layer, name: str) -> Path:
    folder = data_dir() / layer.id
    target = folder / name
    if target.is_file():
        return target
    if layer.build is None:
        raise DataFileError(
            str(target),
            f"layer {layer.id!r} is not shipped and not built: put its files in {folder} "
            f"(rebuild with: {layer.builder})",
        )
    _run_builder(layer, folder)
    if not target.is_file():
        raise DataFileError(
            str(target), f"the builder {layer.build} of layer {layer.id!r} did not write it"
        )
    return target


def _run_builder(layer: Layer, folder: Path) -> None:
    """Call the layer's ``module:function`` with a fresh folder, and move it in place when done
    (an interrupted build leaves nothing half-written)."""
    import importlib
    import shutil
    import tempfile

    assert layer.build is not None
    module_name, _, function_name = layer.build.partition(":")
    try:
        builder = getattr(importlib.import_module(module_name), function_name)
    except (ImportError, AttributeError):
        raise LayerRegistryError(
            layer.id, f"cannot find the builder {layer.build!r} (write it as module:function)"
        ) from None
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{layer.id}.", dir=folder.parent))
    try:
        builder(scratch)
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(scratch, folder)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# --- reading the registry --------------------------------------------------------------------


def read_registry(
    path: str | os.PathLike[str] | Traversable, root: Traversable | None = None
) -> Registry:
    """Read a layer registry (TOML, ``[[layer]]`` tables); files are found next to it unless ``root``.

    A missing field, a graph outside :data:`LAYER_NAMESPACE`, a duplicate id or graph, or a
    file with an unknown extension raises :class:`~relaxgraph.errors.LayerRegistryError`.
    """
    source: Traversable = Path(path) if isinstance(path, str | os.PathLike) else path
    label = str(path)
    try:
        document = tomllib.loads(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LayerRegistryError(
            label, f"cannot read the registry ({exc.strerror or exc})"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise LayerRegistryError(label, f"not valid TOML: {exc}") from None
    entries = document.get("layer")
    if not isinstance(entries, list) or not entries:
        raise LayerRegistryError(label, "no [[layer]] entries: declare at least one layer")
    parsed = tuple(_layer(label, i, entry) for i, entry in enumerate(entries, start=1))
    for attribute in ("id", "graph"):
        seen: set[str] = set()
        for layer in parsed:
            value = getattr(layer, attribute)
            if value in seen:
                raise LayerRegistryError(label, f"two layers have the {attribute} {value!r}")
            seen.add(value)
    if root is None:
        root = source.parent if isinstance(source, Path) else files("relaxgraph")
    return Registry(parsed, root, label)


def _layer(label: str, index: int, entry: Any) -> Layer:
    where = f"layer {index}"
    if not isinstance(entry, dict):
        raise LayerRegistryError(label, f"{where} is not a table")
    missing = [key for key in _REQUIRED if not entry.get(key)]
    if missing:
        name = entry.get("id", where)
        raise LayerRegistryError(
            label,
            f"layer {name!r} has no {', '.join(missing)}: every layer declares "
            + ", ".join(_REQUIRED),
        )
    unknown = sorted(set(entry) - {*_REQUIRED, "optional", "shipped", "build"})
    if unknown:
        raise LayerRegistryError(
            label, f"layer {entry['id']!r}: unknown field(s) {', '.join(unknown)}"
        )
    texts = {key: entry[key] for key in _REQUIRED if key != "files"}
    for key, value in texts.items():
        if not isinstance(value, str):
            raise LayerRegistryError(label, f"layer {entry['id']!r}: {key} must be a string")
    graph = texts["graph"]
    if not graph.startswith(LAYER_NAMESPACE) or len(graph) == len(LAYER_NAMESPACE):
        raise LayerRegistryError(
            label,
            f"layer {entry['id']!r}: graph {graph!r} must be an IRI under {LAYER_NAMESPACE} "
            f"(e.g. {LAYER_NAMESPACE}{entry['id']})",
        )
    paths = entry["files"]
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise LayerRegistryError(label, f"layer {entry['id']!r}: files must be a list of paths")
    for p in paths:
        if Path(p).suffix not in _FORMATS:
            raise LayerRegistryError(
                label,
                f"layer {entry['id']!r}: {p!r} is neither Turtle (.ttl) nor N-Triples (.nt)",
            )
    flags = {
        key: entry.get(key, default) for key, default in (("optional", False), ("shipped", True))
    }
    for key, value in flags.items():
        if not isinstance(value, bool):
            raise LayerRegistryError(label, f"layer {entry['id']!r}: {key} must be true or false")
    build = entry.get("build")
    if build is not None and (not isinstance(build, str) or ":" not in build):
        raise LayerRegistryError(
            label, f"layer {entry['id']!r}: build must be 'module:function', not {build!r}"
        )
    if build is not None and flags["shipped"]:
        raise LayerRegistryError(
            label, f"layer {entry['id']!r}: build is for a layer with shipped = false"
        )
    return Layer(
        **texts,
        files=tuple(paths),
        optional=flags["optional"],
        shipped=flags["shipped"],
        build=build,
    )


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The shipped registry (``relaxgraph/data/layers.toml``), read once; its files are paths
    inside the package (``ontology/...``)."""
    return read_registry(files("relaxgraph.data") / "layers.toml", root=files("relaxgraph"))


# --- layers in a store -----------------------------------------------------------------------


def load_layers(store: ox.Store, chosen: Sequence[Layer], where: Registry | None = None) -> None:
    """Parse each layer's files into its named graph of ``store``.

    A malformed file raises :class:`~relaxgraph.errors.DataFileError` (file, line, the parser's
    message); nothing of that file is added.
    """
    reg = where or registry()
    for layer in chosen:
        for name in layer.files:
            _parse_into(store, reg.file(layer, name), name, layer.node)


def _parse_into(store: ox.Store, source: Traversable, name: str, graph: ox.NamedNode) -> None:
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise DataFileError(name, f"cannot read the file ({exc.strerror or exc})") from None
    try:
        store.load(data, format=_FORMATS[Path(name).suffix], to_graph=graph)
    except SyntaxError as exc:
        from ..storage.store import _message

        raise DataFileError(name, _message(exc), exc.lineno, exc.offset) from None


def union_graphs(store: ox.Store) -> list[ox.NamedNode | ox.DefaultGraph]:
    """The graphs queries see by default: the default graph and every layer graph in ``store``."""
    named = sorted(
        (g for g in store.named_graphs() if isinstance(g, ox.NamedNode) and _is_layer(g)),
        key=lambda g: g.value,
    )
    return [ox.DefaultGraph(), *named]


def union_options(store: ox.Store) -> dict[str, Any]:
    """``Store.query`` options that make the default graph the union of the layers.

    ``{}`` for a store without layer graphs; ``use_default_graph_as_union`` when every named
    graph is a layer's (as fast as the default graph alone: ``benchmarks/bench_layers.py``);
    else the explicit list of :func:`union_graphs`, which leaves other named graphs out.
    """
    named = list(store.named_graphs())
    layer_graphs = [g for g in named if isinstance(g, ox.NamedNode) and _is_layer(g)]
    if not layer_graphs:
        return {}
    if len(layer_graphs) == len(named):
        return {"use_default_graph_as_union": True}
    return {"default_graph": union_graphs(store)}


def _is_layer(graph: ox.NamedNode) -> bool:
    return graph.value.startswith(LAYER_NAMESPACE)


def union_triples(store: ox.Store) -> Iterator[ox.Triple]:
    """Every triple of the default graph and of the layer graphs (the union queries see)."""
    for graph in union_graphs(store):
        for quad in store.quads_for_pattern(None, None, None, graph):
            yield quad.triple


def layer_graphs(
    store: ox.Store, ids: Iterable[str], where: Registry | None = None
) -> list[ox.NamedNode]:
    """The named graphs of the layers ``ids``; :class:`UnknownLayerError` when ``store`` lacks one."""
    reg = where or registry()
    nodes = []
    for layer_id in ids:
        layer = reg.get(layer_id)
        if not store.contains_named_graph(layer.node):
            raise UnknownLayerError(
                layer_id,
                [
                    g.value.removeprefix(LAYER_NAMESPACE)
                    for g in union_graphs(store)
                    if isinstance(g, ox.NamedNode)
                ],
            )
        nodes.append(layer.node)
    return nodes


def restrict(store: ox.Store, ids: Iterable[str], where: Registry | None = None) -> ox.Store:
    """A new in-memory store holding only the layer graphs ``ids`` of ``store``, so that the
    union queries see is those layers (``GRAPH <...>`` still names each)."""
    nodes = layer_graphs(store, ids, where)
    result = ox.Store()
    for node in nodes:
        result.extend(store.quads_for_pattern(None, None, None, node))
    return result


# --- listing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LayerSummary:
    """A layer as ``relaxgraph layers`` lists it: the registry entry and its triple count."""

    layer: Layer
    #: None for a layer that is not shipped and not built yet (listing never builds).
    triples: int | None

    def as_dict(self) -> dict[str, Any]:
        row = asdict(self.layer)
        row["files"] = list(self.layer.files)
        row["triples"] = self.triples
        return row


def layers(where: Registry | None = None, *, store: ox.Store | None = None) -> list[LayerSummary]:
    """Every layer of the registry with its triple count (the optional ones included).

    Counted in the layers' own files, or in ``store`` (e.g. an on-disk store made by
    ``relaxgraph load``) when given: there a layer that was not loaded counts 0.

    >>> [(s.layer.id, s.layer.licence) for s in layers()][:2]
    [('ontology', 'MIT'), ('guide', 'MIT')]
    >>> all(s.triples > 0 for s in layers())
    True
    """
    reg = where or registry()
    counted = [layer for layer in reg.layers if store is not None or reg.available(layer)]
    if store is None:
        store = ox.Store()
        load_layers(store, counted, reg)
    return [
        LayerSummary(
            layer,
            sum(1 for _ in store.quads_for_pattern(None, None, None, layer.node))
            if layer in counted
            else None,
        )
        for layer in reg.layers
    ]


def attribution_markdown(where: Registry | None = None) -> str:
    """``ATTRIBUTION.md``: each layer's title, source, version, licence and attribution."""
    reg = where or registry()
    lines = [
        "# Attribution",
        "",
        "Generated from `layers.toml` by `python -m relaxgraph.data.layer_registry`; do not edit by hand.",
        "The graph is made of these layers, each in its own named graph.",
    ]
    for layer in reg.layers:
        lines += [
            "",
            f"## {layer.title} (`{layer.id}`)",
            "",
            f"- graph: <{layer.graph}>",
            f"- source: {layer.source}",
            f"- version: {layer.version}",
            f"- licence: {layer.licence}",
            f"- attribution: {layer.attribution}",
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - regenerates ATTRIBUTION.md
    print(attribution_markdown(), end="")
