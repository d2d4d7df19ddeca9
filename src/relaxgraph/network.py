"""The graph as a :class:`networkx.MultiDiGraph` of entities, for analysis and drawing.

Nodes are the things a person asks about (drugs, classes, receptors, conditions, effects,
side effects, claims such as statistics and case studies ...); provenance (statements,
quotes, sections, the source document, class-list entries, flags) never becomes a node but
is folded into attributes: every edge carries the guide's evidence for it (section heading,
verbatim quote, offsets, evidence kind) and every flag that concerns it.

The projection is built with a handful of SPARQL queries, so it works on any
:class:`~relaxgraph.sparql.Engine`, a remote endpoint included.

Node attributes: ``kind`` (the most specific ``rgo:`` class, e.g. ``"SideEffect"``),
``label``, ``synonyms``, ``identifiers`` (scheme -> value), ``iri``, ``curie``,
``description``, ``properties`` (literal values by property label), ``evidence``,
``flagged`` and ``flags``.
Edge keys are property CURIEs (``"rgo:hasSideEffect"``); edge attributes: ``label``,
``predicate`` (the IRI), ``evidence`` and ``flags`` (and ``flagged``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._iris import PREFIXES, RG_NS, RGO_NS

if TYPE_CHECKING:
    import networkx as nx
    import pyoxigraph as ox

    from .sparql import Engine

__all__ = [
    "PROVENANCE_KINDS",
    "compact",
    "find_node",
    "flatten_for_export",
    "from_entities",
    "from_triples",
    "neighbourhood",
    "to_networkx",
]

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
SKOS = PREFIXES["skos"]
OWL = PREFIXES["owl"]

#: rgo: classes whose members are provenance, folded into attributes instead of drawn.
PROVENANCE_KINDS = frozenset(
    {
        "GuideStatement", "CuratedStatement", "Quote", "Section", "SourceDocument",
        "ClassList", "ClassListEntry", "Flag", "EvidenceKind", "FlagKind",
    }
)  # fmt: skip

# Predicates that carry provenance, never drawn as edges even between two entities.
_PROVENANCE_PREDICATES = frozenset(
    RGO_NS + p
    for p in (
        "evidence",
        "evidenceKind",
        "flags",
        "flagKind",
        "inList",
        "listsClass",
        "listedExample",
    )
) | {RDF + "subject", RDF + "predicate", RDF + "object"}

# Labels for the few non-rgo predicates that link two entities.
_BUILTIN_LABELS = {
    RDF + "type": "is a",
    RDFS + "subClassOf": "subclass of",
    SKOS + "closeMatch": "close match",
    SKOS + "exactMatch": "exact match",
    SKOS + "broader": "broader",
    SKOS + "narrower": "narrower",
    SKOS + "related": "related",
    OWL + "sameAs": "same as",
}

_LABEL = RDFS + "label"
_ALT = SKOS + "altLabel"
_PREF = SKOS + "prefLabel"
_DESCRIPTIONS = (SKOS + "definition", RDFS + "comment")

_PREFIX_LINES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

_Q_TYPES = (
    _PREFIX_LINES
    + f"""SELECT ?s ?type WHERE {{
  ?s a ?type .
  FILTER(isIRI(?s) && STRSTARTS(STR(?type), "{RGO_NS}") && !STRSTARTS(STR(?s), "{RGO_NS}"))
}}"""
)

# Direct links; _catalogue takes the closure (an open-ended `rdfs:subClassOf+` fails on Virtuoso).
_Q_SUBCLASSES = (
    _PREFIX_LINES
    + """SELECT ?sub ?sup WHERE { ?sub rdfs:subClassOf ?sup . FILTER(isIRI(?sub) && isIRI(?sup)) }"""
)

# Every triple whose subject has an rgo: type (entities, and some provenance we drop in Python).
_Q_TRIPLES = (
    _PREFIX_LINES
    + f"""SELECT DISTINCT ?s ?p ?o WHERE {{
  ?s a ?type .
  FILTER(isIRI(?s) && STRSTARTS(STR(?type), "{RGO_NS}") && !STRSTARTS(STR(?s), "{RGO_NS}"))
  ?s ?p ?o .
}}"""
)

_Q_PROPERTIES = (
    _PREFIX_LINES
    + """SELECT ?p ?label ?isid WHERE {
  { ?p rdfs:label ?label .
    VALUES ?ptype { owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty rdf:Property }
    ?p a ?ptype . }
  UNION
  { ?p rdfs:subPropertyOf* rgo:identifier . BIND(true AS ?isid) }
}"""
)

# The quote ?q's words, offsets and section, shared by the statement and entity queries.
_QUOTE_FIELDS = """
  OPTIONAL { ?q oa:exact ?exact }
  OPTIONAL { ?q oa:start ?start }
  OPTIONAL { ?q oa:end ?end }
  OPTIONAL { ?q dcterms:isPartOf ?sec .
             OPTIONAL { ?sec rgo:heading ?heading }
             OPTIONAL { ?sec rgo:sectionNumber ?num } }
"""

_Q_STATEMENTS = (
    _PREFIX_LINES
    + """SELECT ?st ?cls ?s ?p ?o ?q ?exact ?start ?end ?heading ?num ?ek ?source ?comment WHERE {
  VALUES ?cls { rgo:GuideStatement rgo:CuratedStatement }
  ?st a ?cls ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?st rgo:evidence ?q . """
    + _QUOTE_FIELDS
    + """  }
  OPTIONAL { ?st rgo:evidenceKind ?ek }
  OPTIONAL { ?st dcterms:source ?source }
  OPTIONAL { ?st rdfs:comment ?comment }
}"""
)

# Where the guide introduces an entity (rgo:evidence directly on it), and claims' evidence kind.
_Q_ENTITY_EVIDENCE = (
    _PREFIX_LINES
    + """SELECT ?e ?q ?exact ?start ?end ?heading ?num ?ek WHERE {
  ?e rgo:evidence ?q .
  FILTER NOT EXISTS { ?e a rgo:GuideStatement }
  FILTER NOT EXISTS { ?e a rgo:CuratedStatement }"""
    + _QUOTE_FIELDS
    + """
  OPTIONAL { ?e rgo:evidenceKind ?ek }
}"""
)

_Q_FLAGS = (
    _PREFIX_LINES
    + """SELECT ?flag ?target ?kind ?reason ?source ?listed WHERE {
  ?flag a rgo:Flag ; rgo:flags ?target .
  OPTIONAL { ?flag rgo:flagKind ?kind }
  OPTIONAL { ?flag rgo:reason ?reason }
  OPTIONAL { ?flag dcterms:source ?source }
  OPTIONAL { ?target rgo:listsClass ?listed }
}"""
)


def compact(iri: str) -> str:
    """An IRI as a CURIE when a known prefix fits (``rg:baclofen``), else unchanged.

    >>> compact("https://w3id.org/relaxgraph/ontology#hasSideEffect")
    'rgo:hasSideEffect'
    """
    best, best_prefix = "", ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(best):
            best, best_prefix = ns, prefix
    return f"{best_prefix}:{iri[len(best) :]}" if best else iri


def _local(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[-1]
    return iri


def _humanise(name: str) -> str:
    """``hasSideEffect`` -> ``has side effect``; ``baclofen-pump`` -> ``baclofen pump``.

    >>> _humanise("hasSideEffect"), _humanise("gaba-b-receptor")
    ('has side effect', 'gaba b receptor')
    """
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("-", " ").replace("_", " ")
    return " ".join(w if w.isupper() else w.lower() for w in spaced.split())


@dataclass
class _Catalogue:
    """Everything the queries found, before it is shaped into a graph."""

    types: dict[str, set[str]] = field(default_factory=dict)  # entity -> rgo local names
    superclasses: dict[str, set[str]] = field(default_factory=dict)  # rgo local -> rgo locals
    literals: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)  # entity -> (p, value)
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (s, p, o) with IRI object
    prop_labels: dict[str, str] = field(default_factory=dict)
    identifier_props: set[str] = field(default_factory=set)
    edge_evidence: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)
    # statement -> (subject, predicate, object, object is a literal)
    statements: dict[str, tuple[str, str, str, bool]] = field(default_factory=dict)
    node_evidence: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    node_evidence_kind: dict[str, str] = field(default_factory=dict)
    flags: list[tuple[str, str, dict[str, Any], str | None]] = field(default_factory=list)

    def entities(self) -> list[str]:
        return sorted(e for e, kinds in self.types.items() if not kinds & PROVENANCE_KINDS)

    def kind(self, iri: str) -> str:
        kinds = self.types.get(iri, set())
        specific = [
            k for k in kinds if not any(k in self.superclasses.get(o, ()) for o in kinds if o != k)
        ]
        return sorted(specific)[0] if specific else "Entity"


def _value(term: Any) -> Any:
    from .sparql import python_value

    return python_value(term)


def _text(term: Any) -> str | None:
    return None if term is None else str(term.value)


def _evidence_item(
    q: Any, exact: Any, start: Any, end: Any, heading: Any, num: Any, ek: Any
) -> dict[str, Any]:
    return {
        "section": _text(heading),
        "section_number": _value(num),
        "quote": _text(exact),
        "start": _value(start),
        "end": _value(end),
        "evidence_kind": _local(ek.value) if ek is not None else None,
        "quote_iri": _text(q),
    }


def _catalogue(engine: Engine) -> _Catalogue:
    import pyoxigraph as ox

    from .resolve import ancestors
    from .sparql import run

    cat = _Catalogue()
    for s, t in run(engine, _Q_TYPES).terms:
        assert s is not None and t is not None
        cat.types.setdefault(s.value, set()).add(t.value[len(RGO_NS) :])
    links = [(sub.value, sup.value) for sub, sup in run(engine, _Q_SUBCLASSES).terms if sub and sup]
    for sub_iri, sup_iris in ancestors(links).items():
        if sub_iri.startswith(RGO_NS):
            local = {sup[len(RGO_NS) :] for sup in sup_iris if sup.startswith(RGO_NS)}
            if local:
                cat.superclasses[sub_iri[len(RGO_NS) :]] = local
    for p, label, isid in run(engine, _Q_PROPERTIES).terms:
        assert p is not None
        english = isinstance(label, ox.Literal) and label.language in (None, "en")
        if label is not None and (english or p.value not in cat.prop_labels):
            cat.prop_labels[p.value] = label.value
        if _value(isid) is True:
            cat.identifier_props.add(p.value)
    entities = set(cat.entities())
    for s, p, o in run(engine, _Q_TRIPLES).terms:
        assert s is not None and p is not None and o is not None
        if s.value not in entities:
            continue
        if isinstance(o, ox.Literal):
            cat.literals.setdefault(s.value, []).append((p.value, o))
        elif isinstance(o, ox.NamedNode) and p.value not in _PROVENANCE_PREDICATES:
            cat.links.append((s.value, p.value, o.value))
    seen_quotes: set[tuple[str, str | None]] = set()
    for st, cls, s, p, o, q, exact, start, end, heading, num, ek, source, comment in run(
        engine, _Q_STATEMENTS
    ).terms:
        assert (
            st is not None and s is not None and p is not None and o is not None and cls is not None
        )
        is_literal = isinstance(o, ox.Literal)
        key = (s.value, p.value, str(o.value))
        cat.statements[st.value] = (s.value, p.value, str(o.value), is_literal)
        items = cat.edge_evidence.setdefault(key, [])
        if (st.value, _text(q)) in seen_quotes:
            continue
        seen_quotes.add((st.value, _text(q)))
        item = _evidence_item(q, exact, start, end, heading, num, ek)
        item["statement"] = compact(st.value)
        item["origin"] = "guide" if cls.value.endswith("GuideStatement") else "curated"
        item["source"] = _text(source)
        item["comment"] = _text(comment)
        if is_literal:
            item["value"] = _value(o)
        items.append(item)
    for e, q, exact, start, end, heading, num, ek in run(engine, _Q_ENTITY_EVIDENCE).terms:
        assert e is not None
        if ek is not None:
            cat.node_evidence_kind[e.value] = _local(ek.value)
        if q is not None:
            cat.node_evidence.setdefault(e.value, []).append(
                {**_evidence_item(q, exact, start, end, heading, num, ek), "origin": "guide"}
            )
    for flag, target, kind, reason, source, listed in run(engine, _Q_FLAGS).terms:
        assert flag is not None and target is not None
        info = {
            "flag": compact(flag.value),
            "kind": _local(kind.value) if kind is not None else None,
            "reason": _text(reason),
            "source": _text(source),
        }
        cat.flags.append((target.value, flag.value, info, _text(listed)))
    return cat


def _sort_key_evidence(item: dict[str, Any]) -> tuple[Any, ...]:
    return (
        item.get("start") is None,
        item.get("start") or 0,
        item.get("quote") or "",
        item.get("statement") or "",
    )


def _node_attrs(cat: _Catalogue, iri: str) -> dict[str, Any]:
    labels: list[tuple[bool, bool, str]] = []
    synonyms: list[str] = []
    identifiers: dict[str, str] = {}
    description = ""
    properties: dict[str, list[Any]] = {}
    for p, lit in sorted(cat.literals.get(iri, []), key=lambda x: (x[0], str(x[1].value))):
        value = lit.value
        if p in (_LABEL, _PREF):
            labels.append((p != _LABEL, lit.language not in (None, "en"), value))
        elif p == _ALT:
            synonyms.append(value)
        elif p in cat.identifier_props:
            identifiers.setdefault(_local(p), value)
        elif p in _DESCRIPTIONS:
            description = description or value
        else:
            name = cat.prop_labels.get(p) or _humanise(_local(p))
            properties.setdefault(name, []).append(_value(lit))
    label = min(labels)[2] if labels else _humanise(_local(iri))
    evidence = sorted(cat.node_evidence.get(iri, []), key=_sort_key_evidence)
    attrs: dict[str, Any] = {
        "kind": cat.kind(iri),
        "label": label,
        "synonyms": sorted(set(synonyms) - {label}),
        "identifiers": dict(sorted(identifiers.items())),
        "iri": iri,
        "curie": compact(iri),
        "description": description,
        "properties": properties,
        "evidence": evidence,
        "flagged": False,
        "flags": [],
    }
    if iri in cat.node_evidence_kind:
        attrs["evidence_kind"] = cat.node_evidence_kind[iri]
    return attrs


def _edge_label(cat: _Catalogue, p: str) -> str:
    return cat.prop_labels.get(p) or _BUILTIN_LABELS.get(p) or _humanise(_local(p))


def _build(
    cat: _Catalogue, nodes: Iterable[str], links: Iterable[tuple[str, str, str]]
) -> nx.MultiDiGraph:
    import networkx as nx

    graph = nx.MultiDiGraph()
    for iri in sorted(set(nodes)):
        graph.add_node(iri, **_node_attrs(cat, iri))
    for s, p, o in sorted(set(links)):
        if s not in graph or o not in graph:
            continue
        evidence = sorted(cat.edge_evidence.get((s, p, o), []), key=_sort_key_evidence)
        graph.add_edge(
            s, o, key=compact(p), label=_edge_label(cat, p), predicate=p,
            evidence=evidence, flags=[], flagged=False,
        )  # fmt: skip
    _attach_flags(cat, graph)
    return graph


def _attach_flags(cat: _Catalogue, graph: nx.MultiDiGraph) -> None:
    for target, _flag, info, listed in sorted(cat.flags, key=lambda f: (f[1], f[0])):
        places: list[tuple[str, Any]] = []
        if target in cat.statements:
            s, p, o, is_literal = cat.statements[target]
            key = compact(p)
            if not is_literal and graph.has_edge(s, o, key):
                places.append(("edge", (s, o, key)))
            elif s in graph:
                places.append(("node", s))
            if not is_literal and not graph.has_edge(s, o, key) and o in graph:
                places.append(("node", o))
        elif target in graph:
            places.append(("node", target))
        elif listed is not None and listed in graph:  # a class-list entry: mark the class it lists
            places.append(("node", listed))
        for where, ref in places:
            attrs = graph.edges[ref] if where == "edge" else graph.nodes[ref]
            entry = dict(info)
            if target in cat.statements:
                entry["statement"] = compact(target)
            if entry not in attrs["flags"]:
                attrs["flags"].append(entry)
                attrs["flagged"] = True


def _engine(source: Engine | None) -> Engine:
    if source is None:
        from .engines import connect

        return connect()
    return source


def _lookup(engine: Engine, name: str) -> str:
    """The IRI ``name`` names (label, synonym, identifier, CURIE or IRI; case-insensitive)."""
    from .resolve import lookup

    return lookup(engine, name)


def find_node(graph: nx.MultiDiGraph, name: str) -> str:
    """The node of ``graph`` that ``name`` names: its IRI, CURIE, label, a synonym or an identifier.

    Case-insensitive. Raises :class:`~relaxgraph.errors.UnknownEntityError` with the closest names.
    """
    from .errors import UnknownEntityError

    key = name.casefold().strip()
    hits: set[str] = set()
    names: set[str] = set()
    for node, data in graph.nodes(data=True):
        candidates = [node, data.get("curie", ""), data.get("label", ""), *data.get("synonyms", [])]
        ids = data.get("identifiers", {})
        candidates += list(ids.values()) + [f"{k}:{v}" for k, v in ids.items()]
        if node.startswith(RG_NS):
            candidates.append(node[len(RG_NS) :])
        names.update(c for c in candidates[2:] if c)
        if key in {c.casefold() for c in candidates if c}:
            hits.add(node)
    if len(hits) == 1:
        return hits.pop()
    if not hits:
        raise UnknownEntityError(name, sorted(names))
    raise UnknownEntityError(name, sorted(hits))


def neighbourhood(graph: nx.MultiDiGraph, centre: str, depth: int) -> nx.MultiDiGraph:
    """The nodes within ``depth`` links of ``centre`` (either way) and the edges among them."""
    import networkx as nx

    if depth < 0:
        raise ValueError("depth must be 0 or more")
    keep = nx.single_source_shortest_path_length(
        graph.to_undirected(as_view=True), centre, cutoff=depth
    )
    sub: nx.MultiDiGraph = graph.subgraph(sorted(keep)).copy()
    sub.graph["focus"] = centre
    sub.graph["depth"] = depth
    return sub


def to_networkx(
    source: Engine | None = None, *, focus: str | None = None, depth: int | None = None
) -> nx.MultiDiGraph:
    """The entities of the graph on ``source`` (default: the bundled graph) and their links.

    With ``focus`` (a label, synonym, identifier, CURIE or IRI), only the entities within
    ``depth`` links of it (default 1), in either direction.

    >>> import pyoxigraph as ox
    >>> from relaxgraph.sparql import OxigraphEngine
    >>> store = ox.Store()
    >>> store.load(b'''@prefix rgo: <https://w3id.org/relaxgraph/ontology#> .
    ... @prefix rg: <https://w3id.org/relaxgraph/id/> .
    ... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ... rg:baclofen a rgo:Drug ; rdfs:label "Baclofen" ; rgo:hasSideEffect rg:drowsiness .
    ... rg:drowsiness a rgo:SideEffect ; rdfs:label "Drowsiness" .''', format=ox.RdfFormat.TURTLE)
    >>> g = to_networkx(OxigraphEngine(store))
    >>> sorted(g.nodes[n]["label"] for n in g)
    ['Baclofen', 'Drowsiness']
    >>> [k for _, _, k in g.edges(keys=True)]
    ['rgo:hasSideEffect']
    """
    engine = _engine(source)
    cat = _catalogue(engine)
    graph = _build(cat, cat.entities(), cat.links)
    if focus is not None:
        centre = _lookup(engine, focus)
        if centre not in graph:
            centre = find_node(graph, focus)
        return neighbourhood(graph, centre, 1 if depth is None else depth)
    if depth is not None:
        raise ValueError("depth needs a focus")
    return graph


def from_entities(iris: Iterable[str], source: Engine | None = None) -> nx.MultiDiGraph:
    """The given entities and the links among them (IRIs that are not entities are left out)."""
    engine = _engine(source)
    cat = _catalogue(engine)
    wanted = set(iris) & set(cat.entities())
    return _build(cat, wanted, cat.links)


def from_triples(triples: Sequence[ox.Triple], source: Engine | None = None) -> nx.MultiDiGraph:
    """Project the triples of a CONSTRUCT (or DESCRIBE) result.

    Every IRI the triples link becomes a node, described as in :func:`to_networkx` when it
    is an entity of ``source``; triples with a literal object become node properties;
    ``rdf:type`` to a class that is not an entity sets no edge. Provenance (statements,
    quotes, sections, flags) is left out, as in :func:`to_networkx`.
    """
    import pyoxigraph as ox

    engine = _engine(source)
    cat = _catalogue(engine)
    entities = set(cat.entities())
    nodes: set[str] = set()
    links: set[tuple[str, str, str]] = set()
    extra_literals: dict[str, list[tuple[str, Any]]] = {}
    provenance = {iri for iri, kinds in cat.types.items() if kinds & PROVENANCE_KINDS}
    for t in triples:
        s, p, o = t.subject, t.predicate, t.object
        if (
            not isinstance(s, ox.NamedNode)
            or s.value in provenance
            or p.value in _PROVENANCE_PREDICATES
        ):
            continue
        if isinstance(o, ox.NamedNode) and o.value in provenance:
            continue
        if isinstance(o, ox.Literal):
            nodes.add(s.value)
            extra_literals.setdefault(s.value, []).append((p.value, o))
        elif isinstance(o, ox.NamedNode):
            if p.value == RDF + "type" and o.value not in entities:
                nodes.add(s.value)
                if o.value.startswith(RGO_NS) and s.value not in cat.types:
                    cat.types.setdefault(s.value, set()).add(o.value[len(RGO_NS) :])
                continue
            nodes.update((s.value, o.value))
            links.add((s.value, p.value, o.value))
    for iri, lits in extra_literals.items():
        if iri not in entities:
            cat.literals.setdefault(iri, []).extend(lits)
    return _build(cat, nodes, links)


def _flat(value: Any) -> Any:
    if isinstance(value, (bool, int, float, str)):
        return value
    if value is None:
        return ""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_flat(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(_flat(v)) for v in value)
    return str(value)


def _flat_evidence(items: list[dict[str, Any]]) -> str:
    return " | ".join(
        f"§{e.get('section_number') or '?'} {e.get('section') or ''}: "
        f"\u201c{e.get('quote') or ''}\u201d"
        f" [{e.get('start')}-{e.get('end')}]"
        if e.get("quote")
        else str(e.get("source") or e.get("statement") or "")
        for e in items
    )


def flatten_for_export(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` with only string, number or boolean attributes (for GraphML, GEXF).

    Lists are joined with ``"; "``, identifiers written ``scheme: value``, evidence as
    ``§section heading: “quote” [start-end]`` and flags as ``kind: reason``.
    """
    import networkx as nx

    flat = nx.MultiDiGraph()
    flat.graph.update({k: _flat(v) for k, v in graph.graph.items()})
    for node, data in graph.nodes(data=True):
        attrs = {
            k: _flat(v) for k, v in data.items() if k not in ("evidence", "flags", "properties")
        }
        attrs["evidence"] = _flat_evidence(data.get("evidence", []))
        attrs["flags"] = "; ".join(
            f"{f.get('kind')}: {f.get('reason')}" for f in data.get("flags", [])
        )
        for name, values in data.get("properties", {}).items():
            attrs[f"property: {name}"] = _flat(values)
        flat.add_node(node, **attrs)
    for u, v, key, data in graph.edges(keys=True, data=True):
        attrs = {k: _flat(val) for k, val in data.items() if k not in ("evidence", "flags")}
        attrs["evidence"] = _flat_evidence(data.get("evidence", []))
        attrs["flags"] = "; ".join(
            f"{f.get('kind')}: {f.get('reason')}" for f in data.get("flags", [])
        )
        flat.add_edge(u, v, key=key, **attrs)
    return flat
