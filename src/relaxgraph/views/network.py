"""The graph as a :class:`networkx.MultiDiGraph` of entities, for analysis and drawing.

Nodes are the things a person asks about (drugs, classes, receptors, conditions, effects,
side effects, claims such as statistics and case studies ...); provenance (statements,
quotes, sections, the source document, class-list entries, flags) never becomes a node but
is folded into attributes: every edge carries the guide's evidence for it (section heading,
verbatim quote, offsets, evidence kind) and every flag that concerns it.

The projection is built with a handful of SPARQL queries, so it works on any
:class:`~relaxgraph.querying.sparql.Engine`, a remote endpoint included.

Node attributes: ``kind`` (the most specific ``rgo:`` class, e.g. ``"SideEffect"``),
``label``, ``synonyms``, ``identifiers`` (scheme -> value), ``identifier_links`` (scheme -> the
record page the data cites), ``iri``, ``curie``,
``description``, ``properties`` (literal values by property label), ``evidence``,
``flagged`` and ``flags``.
Edge keys are property CURIEs (``"rgo:hasSideEffect"``); edge attributes: ``label``,
``predicate`` (the IRI), ``evidence`` and ``flags`` (and ``flagged``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._iris import PREFIXES, RG_NS, RGO_NS
from ..checking.vocab import ProvenanceTerms, provenance_terms

if TYPE_CHECKING:
    import networkx as nx
    import pyoxigraph as ox

    from ..querying.sparql import Engine

__all__ = [
    "check_depth",
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


def __getattr__(name: str) -> frozenset[str]:
    # PROVENANCE_KINDS (the rgo: classes whose members are folded into attributes, not drawn) is
    # the ontology's answer (rgo:layerRole rgo:Provenance), read on first use: see relaxgraph.checking.vocab.
    if name == "PROVENANCE_KINDS":
        return provenance_terms().kinds
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


def compact(iri: str) -> str:
    """``https://w3id.org/relaxgraph/id/baclofen`` → ``rg:baclofen`` (unchanged if no prefix fits).

    The one converter of :mod:`relaxgraph.data.identifiers` (project namespaces and identifier schemes).

    >>> compact("https://w3id.org/relaxgraph/ontology#hasSideEffect")
    'rgo:hasSideEffect'
    """
    from ..data.identifiers import compact as _compact

    return _compact(iri)


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
    # statement -> its assessment (verdict, kind, reason, method, evidence), issue 13
    assessments: dict[str, dict[str, Any]] = field(default_factory=dict)
    # subject -> what the reference sources say about it (one dict per fact and record)
    reference: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # What the ontology marks as provenance (shipped, plus what the engine's data declares).
    provenance: ProvenanceTerms = field(default_factory=provenance_terms)

    def entities(self) -> list[str]:
        kinds = self.provenance.kinds
        return sorted(e for e, types in self.types.items() if not types & kinds)

    def kind(self, iri: str) -> str:
        kinds = self.types.get(iri, set())
        specific = [
            k for k in kinds if not any(k in self.superclasses.get(o, ()) for o in kinds if o != k)
        ]
        return sorted(specific)[0] if specific else "Entity"


def _value(term: Any) -> Any:
    from ..querying.sparql import python_value

    return python_value(term)


def _text(term: Any) -> str | None:
    return None if term is None else str(term.value)


_QuoteFields = tuple[Any, Any, Any, Any, Any]  # exact, start, end, heading, section number


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

    from ..checking.vocab import from_engine
    from ..querying.catalogue import internal
    from ..querying.resolve import ancestors
    from ..querying.sparql import run

    cat = _Catalogue()
    cat.provenance = provenance_terms() | from_engine(engine)
    for s, t in run(engine, internal("network-types").text).terms:
        assert s is not None and t is not None
        cat.types.setdefault(s.value, set()).add(t.value[len(RGO_NS) :])
    links = [
        (sub.value, sup.value)
        for sub, sup in run(engine, internal("subclass-links").text).terms
        if sub and sup
    ]
    for sub_iri, sup_iris in ancestors(links).items():
        if sub_iri.startswith(RGO_NS):
            local = {sup[len(RGO_NS) :] for sup in sup_iris if sup.startswith(RGO_NS)}
            if local:
                cat.superclasses[sub_iri[len(RGO_NS) :]] = local
    for p, label, isid in run(engine, internal("network-properties").text).terms:
        assert p is not None
        english = isinstance(label, ox.Literal) and label.language in (None, "en")
        if label is not None and (english or p.value not in cat.prop_labels):
            cat.prop_labels[p.value] = label.value
        if _value(isid) is True:
            cat.identifier_props.add(p.value)
    entities = set(cat.entities())
    for s, p, o in run(engine, internal("network-triples").text).terms:
        assert s is not None and p is not None and o is not None
        if s.value not in entities:
            continue
        if isinstance(o, ox.Literal):
            cat.literals.setdefault(s.value, []).append((p.value, o))
        elif isinstance(o, ox.NamedNode) and p.value not in cat.provenance.properties:
            cat.links.append((s.value, p.value, o.value))
    # The quote's words, offsets and section, joined to each statement and entity by its IRI.
    quotes: dict[str, _QuoteFields] = {
        q.value: (exact, start, end, heading, num)
        for q, exact, start, end, heading, num in run(engine, internal("network-quotes").text).terms
        if q is not None
    }
    no_quote: _QuoteFields = (None, None, None, None, None)
    seen_quotes: set[tuple[str, str | None]] = set()
    for st, cls, s, p, o, q, ek, source, comment in run(
        engine, internal("network-statements").text
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
        item = _evidence_item(q, *quotes.get(_text(q) or "", no_quote), ek)
        item["statement"] = compact(st.value)
        item["origin"] = "guide" if cls.value.endswith("GuideStatement") else "curated"
        item["source"] = _text(source)
        item["comment"] = _text(comment)
        if is_literal:
            item["value"] = _value(o)
        items.append(item)
    for e, q, ek in run(engine, internal("network-entity-evidence").text).terms:
        assert e is not None
        if ek is not None:
            cat.node_evidence_kind[e.value] = _local(ek.value)
        if q is not None:
            cat.node_evidence.setdefault(e.value, []).append(
                {**_evidence_item(q, *quotes.get(q.value, no_quote), ek), "origin": "guide"}
            )
    for flag, target, kind, reason, source, listed in run(
        engine, internal("network-flags").text
    ).terms:
        assert flag is not None and target is not None
        info = {
            "flag": compact(flag.value),
            "kind": _local(kind.value) if kind is not None else None,
            "reason": _text(reason),
            "source": _text(source),
        }
        cat.flags.append((target.value, flag.value, info, _text(listed)))
    _reference_facts(cat, run(engine, internal("network-reference").text).terms)
    _read_assessments(engine, cat)
    return cat


#: The verdicts, most severe first (an edge with several statements shows the most severe).
VERDICT_ORDER = (
    "Contradicted",
    "Inconsistent",
    "Unsupported",
    "Imprecise",
    "NotCheckable",
    "Supported",
)


def _read_assessments(engine: Engine, cat: _Catalogue) -> None:
    """Each guide statement's assessment, keyed by statement (``network-assessments.rq``)."""
    from ..querying.catalogue import internal
    from ..querying.sparql import run

    rows = run(engine, internal("network-assessments").text).terms
    for st, verdict, kind, reason, method, evidence, text, link in rows:
        if st is None or verdict is None:
            continue
        item = cat.assessments.setdefault(
            st.value,
            {
                "verdict": _local(verdict.value),
                "kind": _local(kind.value) if kind is not None else None,
                "reason": _text(reason),
                "method": _local(method.value) if method is not None else None,
                "statement": compact(st.value),
                "evidence": [],
            },
        )
        if evidence is not None:
            entry = {"text": _text(text) or compact(evidence.value), "link": _text(link)}
            if entry not in item["evidence"]:
                item["evidence"].append(entry)


def _reference_facts(cat: _Catalogue, rows: Iterable[tuple[Any, ...]]) -> None:
    """The reference layer's facts, by subject, in a fixed order (one label per term)."""
    facts: dict[str, dict[tuple[str, ...], dict[str, Any]]] = {}
    for s, p, plabel, o, olabel, dataset, record, quote, action, qualifier, product in rows:
        if s is None or p is None or o is None:
            continue
        item = {
            "property": _text(plabel) or _humanise(_local(p.value)),
            "value": _text(olabel) or (compact(o.value) if "://" in o.value else o.value),
            "source": _text(dataset),
            "record": _text(record),
            "quote": _text(quote),
            "action": _text(action),
            "qualifier": _text(qualifier),
            "product": _text(product),
        }
        key = (p.value, o.value, *(str(item[k] or "") for k in list(item)[2:]))
        found = facts.setdefault(s.value, {})
        if key not in found or _fact_key(item) < _fact_key(found[key]):
            found[key] = item  # several labels of one term: the same one everywhere
    for subject, items in facts.items():
        cat.reference[subject] = sorted(items.values(), key=_fact_key)


def _fact_key(item: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(item.get(k) or "") for k in ("property", "value", "source", "record",
                                                    "quote", "action", "qualifier", "product"))  # fmt: skip


def _sort_key_evidence(item: dict[str, Any]) -> tuple[Any, ...]:
    """Evidence in the order of the guide: by start offset (numbers first, any type after)."""
    start = item.get("start")
    number = (
        isinstance(start, (int, float)) and not isinstance(start, bool) and math.isfinite(start)
    )
    return (
        start is None,
        not number,
        start if number else 0,
        "" if number or start is None else str(start),
        str(item.get("quote") or ""),
        str(item.get("statement") or ""),
    )


def _record_page(cat: _Catalogue, iri: str, prop: str, value: str) -> str | None:
    """Where an identifier's record is: the page its curated statement cites (``dcterms:source``),
    else the page the one converter gives for its scheme (None for an unknown scheme)."""
    from ..data.identifiers import record_url

    for item in cat.edge_evidence.get((iri, prop, value), []):
        source = item.get("source")
        if isinstance(source, str) and source.startswith(("https://", "http://")):
            return source
    return record_url(_local(prop), value)


def _node_attrs(cat: _Catalogue, iri: str) -> dict[str, Any]:
    labels: list[tuple[bool, bool, str]] = []
    synonyms: list[str] = []
    identifiers: dict[str, str] = {}
    links: dict[str, str] = {}
    description = ""
    properties: dict[str, list[Any]] = {}
    for p, lit in sorted(cat.literals.get(iri, []), key=lambda x: (x[0], str(x[1].value))):
        value = lit.value
        if p in (_LABEL, _PREF):
            labels.append((p != _LABEL, lit.language not in (None, "en"), value))
        elif p == _ALT:
            synonyms.append(value)
        elif p in cat.identifier_props:
            if _local(p) not in identifiers:
                identifiers[_local(p)] = value
                link = _record_page(cat, iri, p, value)
                if link:
                    links[_local(p)] = link
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
        "identifier_links": dict(sorted(links.items())),
        "iri": iri,
        "curie": compact(iri),
        "description": description,
        "properties": properties,
        "evidence": evidence,
        "flagged": False,
        "flags": [],
        "reference": list(cat.reference.get(iri, [])),
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
    _attach_assessments(cat, graph)
    return graph


def _attach_assessments(cat: _Catalogue, graph: nx.MultiDiGraph) -> None:
    """Put each statement's assessment on its link, and the most severe verdict as ``verdict``."""
    for st in sorted(cat.assessments):
        if st not in cat.statements:
            continue
        s, p, o, is_literal = cat.statements[st]
        key = compact(p)
        if is_literal or not graph.has_edge(s, o, key):
            continue
        attrs = graph.edges[s, o, key]
        attrs.setdefault("assessments", []).append(cat.assessments[st])
        verdicts = [a["verdict"] for a in attrs["assessments"] if a["verdict"] in VERDICT_ORDER]
        if verdicts:
            attrs["verdict"] = min(verdicts, key=VERDICT_ORDER.index)


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
        from ..api import default_engine

        return default_engine()
    return source


def _lookup(engine: Engine, name: str) -> str:
    """The IRI ``name`` names (label, synonym, identifier, CURIE or IRI; case-insensitive)."""
    from ..querying.resolve import lookup

    return lookup(engine, name)


def find_node(graph: nx.MultiDiGraph, name: str) -> str:
    """The node of ``graph`` that ``name`` names: its IRI, CURIE, label, a synonym or an identifier.

    Case-insensitive. Raises :class:`~relaxgraph.errors.UnknownEntityError` with the closest names.
    """
    from ..errors import UnknownEntityError

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


def check_depth(depth: Any) -> None:
    """Refuse a depth that is not a whole number, 0 or more.

    >>> check_depth(-1)
    Traceback (most recent call last):
    ...
    relaxgraph.errors.InvalidArgumentError: depth must be a whole number, 0 or more, not -1
    """
    if depth is None:
        return
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 0:
        from ..errors import InvalidArgumentError

        raise InvalidArgumentError(f"depth must be a whole number, 0 or more, not {depth!r}")


def neighbourhood(graph: nx.MultiDiGraph, centre: str, depth: int) -> nx.MultiDiGraph:
    """The nodes within ``depth`` links of ``centre`` (either way) and the edges among them."""
    import networkx as nx

    check_depth(depth)
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
    >>> from relaxgraph.storage.engines import OxigraphEngine
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
    check_depth(depth)
    if depth is not None and focus is None:
        from ..errors import InvalidArgumentError

        raise InvalidArgumentError("depth needs a focus: give focus=ENTITY as well")
    engine = _engine(source)
    cat = _catalogue(engine)
    graph = _build(cat, cat.entities(), cat.links)
    if focus is not None:
        centre = _lookup(engine, focus)
        if centre not in graph:
            centre = find_node(graph, focus)
        return neighbourhood(graph, centre, 1 if depth is None else depth)
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
    kinds = cat.provenance.kinds
    provenance = {iri for iri, types in cat.types.items() if types & kinds}
    for t in triples:
        s, p, o = t.subject, t.predicate, t.object
        if (
            not isinstance(s, ox.NamedNode)
            or s.value in provenance
            or p.value in cat.provenance.properties
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
        return "; ".join(f"{k}: {_spelled(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple, set)):
        return "; ".join(_spelled(v) for v in value)
    return str(value)


def _spelled(value: Any) -> str:
    """A value as text; NaN and infinities as XSD spells them (``NaN``, ``INF``, ``-INF``)."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("INF" if value > 0 else "-INF")
    return str(_flat(value))


def _flat_evidence(items: list[dict[str, Any]]) -> str:
    return " | ".join(
        f"§{e.get('section_number') or '?'} {e.get('section') or ''}: "
        f"\u201c{e.get('quote') or ''}\u201d"
        f" [{e.get('start')}-{e.get('end')}]"
        if e.get("quote")
        else str(e.get("source") or e.get("statement") or "")
        for e in items
    )


def _flat_reference(items: list[dict[str, Any]]) -> str:
    """Reference facts as ``property: value (source, record)``, joined with `` | ``."""
    return " | ".join(
        f"{f.get('property')}: {f.get('value')}"
        + (f" ({f.get('action')})" if f.get("action") else "")
        + f" ({', '.join(str(x) for x in (f.get('source'), f.get('record')) if x)})"
        for f in items
    )


# Characters XML 1.0 cannot hold (C0 controls but tab, newline and return; U+FFFE, U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# What a GraphML attribute name (an XML name token) may not hold: ASCII only, for every tool.
_NOT_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_LONG = 2**63


def _xml_text(text: str) -> str:
    """``text`` with every character XML cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _scalar(value: Any) -> bool | int | float | str:
    """A flattened value as one XML-safe scalar (non-finite numbers and huge integers as text)."""
    value = _flat(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if -_LONG <= value < _LONG else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else _spelled(value)
    return _xml_text(str(value))


def _attribute_name(name: str, taken: dict[str, str]) -> str:
    """``name`` as a name token (letters, digits, ``.``, ``-``, ``_``), unique among ``taken``."""
    token = _NOT_NAME.sub("_", _xml_text(name)).strip("_") or "attribute"
    if token[0].isdigit() or token[0] in ".-":
        token = "_" + token
    base, n = token, 2
    while token in taken.values() and taken.get(name) != token:
        token, n = f"{base}_{n}", n + 1
    taken[name] = token
    return token


def _one_type_per_attribute(items: list[dict[str, Any]]) -> None:
    """Make every attribute hold one type across ``items``: numbers, or else text."""
    types: dict[str, set[type]] = {}
    for attrs in items:
        for key, value in attrs.items():
            types.setdefault(key, set()).add(type(value))
    for key, kinds in types.items():
        if len(kinds) < 2:
            continue
        to_float = kinds <= {int, float}
        for attrs in items:
            if key in attrs:
                value = attrs[key]
                if to_float:
                    attrs[key] = float(value)
                elif isinstance(value, bool):
                    attrs[key] = "true" if value else "false"
                else:
                    attrs[key] = str(value)


def flatten_for_export(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` that GraphML and GEXF can hold, and their schemas accept.

    - Nodes are named ``n0``, ``n1`` ... in the order of their IRIs (GraphML node ids are XML
      name tokens); the IRI is the ``iri`` attribute. Edges are keyed ``e0``, ``e1`` ... (ids
      unique in the file); the property's CURIE is the edge's ``curie`` attribute.
    - Attributes are strings, numbers or booleans: lists are joined with ``"; "``,
      identifiers written ``scheme: value``, evidence as ``§section heading: “quote”
      [start-end]``, flags as ``kind: reason``, reference facts as ``property: value
      (source, record)``, and each literal property is an attribute
      ``property_NAME``. An attribute holds one type throughout (numbers, or else text);
      ``NaN`` and infinities are written as text, as are integers beyond 64 bits.
    - Text holds only characters XML allows: others (control characters) become U+FFFD.
    """
    import networkx as nx

    names: dict[str, str] = {}
    flat = nx.MultiDiGraph()
    flat.graph.update({_attribute_name(str(k), names): _scalar(v) for k, v in graph.graph.items()})
    node_ids = {node: f"n{i}" for i, node in enumerate(sorted(graph.nodes, key=str))}
    node_attrs: list[dict[str, Any]] = []
    for node in sorted(graph.nodes, key=str):
        data = graph.nodes[node]
        attrs = {
            k: v
            for k, v in data.items()
            if k not in ("evidence", "flags", "properties", "iri", "reference")
        }
        attrs["iri"] = data.get("iri") or node
        attrs["evidence"] = _flat_evidence(data.get("evidence", []))
        attrs["reference"] = _flat_reference(data.get("reference", []))
        attrs["flags"] = "; ".join(
            f"{f.get('kind')}: {f.get('reason')}" for f in data.get("flags", [])
        )
        for name, values in data.get("properties", {}).items():
            attrs[f"property_{name}"] = values
        node_attrs.append({_attribute_name(str(k), names): _scalar(v) for k, v in attrs.items()})
    edge_attrs: list[dict[str, Any]] = []
    edges = sorted(
        graph.edges(keys=True, data=True),
        key=lambda e: (node_ids[e[0]], node_ids[e[1]], str(e[2])),
    )
    for _u, _v, key, data in edges:
        attrs = {k: val for k, val in data.items() if k not in ("evidence", "flags", "assessments")}
        if data.get("assessments"):
            attrs["assessments"] = "; ".join(
                f"{a.get('verdict')}: {a.get('reason')}" for a in data["assessments"]
            )
        attrs["curie"] = key
        attrs["evidence"] = _flat_evidence(data.get("evidence", []))
        attrs["flags"] = "; ".join(
            f"{f.get('kind')}: {f.get('reason')}" for f in data.get("flags", [])
        )
        edge_attrs.append(
            {_attribute_name(str(k), names): _scalar(val) for k, val in attrs.items()}
        )
    _one_type_per_attribute(node_attrs)
    _one_type_per_attribute(edge_attrs)
    for node, attrs in zip(node_ids.values(), node_attrs, strict=True):
        flat.add_node(node, **attrs)
    for j, ((u, v, _key, _data), attrs) in enumerate(zip(edges, edge_attrs, strict=True)):
        flat.add_edge(node_ids[u], node_ids[v], key=f"e{j}", **attrs)
    return flat
