"""The entity network: nodes, edges, evidence and flags, on fixture graphs and the real one."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from relaxgraph.errors import UnknownEntityError
from relaxgraph.querying.sparql import run
from relaxgraph.storage.engines import OxigraphEngine
from relaxgraph.views.network import (
    PROVENANCE_KINDS,
    find_node,
    flatten_for_export,
    from_entities,
    from_triples,
    neighbourhood,
    to_networkx,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RG = "https://w3id.org/relaxgraph/id/"
GUIDE = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "000_ea26d7bc678bc55f.txt"


def engine_for(name: str) -> OxigraphEngine:
    store = ox.Store()
    store.load(path=str(FIXTURES / name), format=ox.RdfFormat.TURTLE)
    return OxigraphEngine(store)


@pytest.fixture(scope="module")
def small() -> nx.MultiDiGraph:
    return to_networkx(engine_for("viz_small.ttl"))


def test_nodes_are_entities_only(small: nx.MultiDiGraph) -> None:
    assert sorted(n[len(RG) :] for n in small) == [
        "baclofen",
        "centrally-acting-muscle-relaxants",
        "dizziness",
        "drowsiness",
        "enhancing-gaba-activity",
        "gaba-b-receptor",
        "lioresal",
        "multiple-sclerosis",
        "stat-ms-mobility",
    ]
    assert not any(small.nodes[n]["kind"] in PROVENANCE_KINDS for n in small)


def test_node_attributes(small: nx.MultiDiGraph) -> None:
    baclofen = small.nodes[RG + "baclofen"]
    assert baclofen["kind"] == "Drug"  # most specific rgo: type; the drug class is an edge
    assert baclofen["label"] == "Baclofen"
    assert baclofen["identifiers"] == {"drugbank": "DB00181"}
    assert baclofen["curie"] == "rg:baclofen"
    assert baclofen["flagged"] is False
    assert [e["quote"] for e in baclofen["evidence"]] == [
        "Baclofen, also known by its brand name Lioresal"
    ]
    assert (
        small.nodes[RG + "multiple-sclerosis"]["kind"] == "Disease"
    )  # not its superclass Condition
    assert small.nodes[RG + "dizziness"]["synonyms"] == ["lightheadedness"]
    stat = small.nodes[RG + "stat-ms-mobility"]
    assert stat["properties"] == {"percentage": [80.0]}
    assert stat["evidence_kind"] == "UnattributedStatistic"


def test_edges_carry_property_labels_and_evidence(small: nx.MultiDiGraph) -> None:
    keys = sorted(k for _, _, k in small.edges(keys=True))
    assert keys == [
        "rdf:type", "rgo:aboutDrug", "rgo:brandOf", "rgo:hasMechanism", "rgo:hasSideEffect",
        "rgo:hasSideEffect", "rgo:population", "rgo:targets", "rgo:treats",
    ]  # fmt: skip
    edge = small.edges[RG + "baclofen", RG + "drowsiness", "rgo:hasSideEffect"]
    assert edge["label"] == "has side effect"
    (ev,) = edge["evidence"]
    assert ev["section"] == "Common Side Effects of Baclofen"
    assert ev["section_number"] == 20
    assert ev["quote"] == "Drowsiness: One of the most commonly reported side effects of Baclofen"
    assert (ev["start"], ev["end"]) == (19822, 19892)
    assert ev["evidence_kind"] == "GeneralStatement"
    assert ev["origin"] == "guide"
    assert (
        small.edges[RG + "baclofen", RG + "centrally-acting-muscle-relaxants", "rdf:type"]["label"]
        == "is a"
    )


def test_fixture_quotes_are_the_guides_words(small: nx.MultiDiGraph) -> None:
    if not GUIDE.is_file():
        pytest.skip("the guide is not next to the repository")
    text = GUIDE.read_text(encoding="utf-8")
    items = [e for _, _, d in small.edges(data=True) for e in d["evidence"]]
    items += [e for _, d in small.nodes(data=True) for e in d["evidence"]]
    items = [e for e in items if e.get("quote") is not None]
    assert len(items) >= 8
    for e in items:
        assert text[e["start"] : e["end"]] == e["quote"]


def test_flags_mark_the_flagged_edge_and_claim(small: nx.MultiDiGraph) -> None:
    flagged_edges = [(u, v, k) for u, v, k, d in small.edges(keys=True, data=True) if d["flagged"]]
    assert flagged_edges == [(RG + "baclofen", RG + "enhancing-gaba-activity", "rgo:hasMechanism")]
    (flag,) = small.edges[flagged_edges[0]]["flags"]
    assert flag["kind"] == "PharmacologicallyUnsupported"
    assert flag["statement"] == "rg:st-baclofen-hasMechanism-enhancing"
    flagged_nodes = [n for n in small if small.nodes[n]["flagged"]]
    assert flagged_nodes == [RG + "stat-ms-mobility"]
    assert small.nodes[RG + "stat-ms-mobility"]["flags"][0]["kind"] == "UnsupportedStatistic"


def test_focus_and_depth() -> None:
    engine = engine_for("viz_small.ttl")
    one = to_networkx(engine, focus="lioresal", depth=1)
    assert sorted(one) == [RG + "baclofen", RG + "lioresal"]
    two = to_networkx(engine, focus="Lioresal", depth=2)
    assert len(two) == 9 - 0 and RG + "stat-ms-mobility" in two
    zero = to_networkx(engine, focus="DB00181", depth=0)
    assert list(zero) == [RG + "baclofen"]
    with pytest.raises(UnknownEntityError):
        to_networkx(engine, focus="no such drug")


def test_find_node_by_label_synonym_identifier(small: nx.MultiDiGraph) -> None:
    assert find_node(small, "LIGHTHEADEDNESS") == RG + "dizziness"
    assert find_node(small, "drugbank:DB00181") == RG + "baclofen"
    assert find_node(small, "rg:lioresal") == RG + "lioresal"
    with pytest.raises(UnknownEntityError, match="drowsines"):
        find_node(small, "drowsines")
    assert sorted(neighbourhood(small, RG + "dizziness", 1)) == [RG + "baclofen", RG + "dizziness"]


def test_from_triples_projects_a_construct_without_provenance() -> None:
    engine = engine_for("viz_small.ttl")
    result = run(
        engine,
        "PREFIX rg: <https://w3id.org/relaxgraph/id/> "
        "CONSTRUCT { rg:baclofen ?p ?o } WHERE { rg:baclofen ?p ?o }",
    )
    graph = from_triples(result.triples, engine)
    assert RG + "baclofen" in graph
    assert not any("q-" in n for n in graph)  # rgo:evidence -> quotes is provenance
    assert graph.nodes[RG + "drowsiness"]["label"] == "Drowsiness"
    assert graph.has_edge(RG + "baclofen", RG + "drowsiness", "rgo:hasSideEffect")
    assert graph.edges[RG + "baclofen", RG + "drowsiness", "rgo:hasSideEffect"]["evidence"]


def test_from_entities_keeps_links_among_them() -> None:
    engine = engine_for("viz_small.ttl")
    graph = from_entities(
        [RG + "baclofen", RG + "dizziness", RG + "q-brand", "http://example.org/x"], engine
    )
    assert sorted(graph) == [RG + "baclofen", RG + "dizziness"]
    assert graph.number_of_edges() == 1


def test_flatten_for_export_writes_graphml(small: nx.MultiDiGraph, tmp_path: Path) -> None:
    flat = flatten_for_export(small)
    out = tmp_path / "g.graphml"
    nx.write_graphml(flat, out)
    back = nx.read_graphml(out, force_multigraph=True)
    assert back.number_of_nodes() == small.number_of_nodes()
    assert back.number_of_edges() == small.number_of_edges()
    node = {data["iri"]: n for n, data in flat.nodes(data=True)}
    pair = (node[RG + "baclofen"], node[RG + "drowsiness"])
    (edge,) = [
        data
        for u, v, data in flat.edges(data=True)
        if (u, v) == pair and data["curie"] == "rgo:hasSideEffect"
    ]
    assert "Drowsiness: One of the most" in edge["evidence"]


def test_bundled_graph_projection_is_consistent() -> None:
    graph = to_networkx()
    entities = (
        run(
            __import__("relaxgraph").connect(),
            """SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?t .
           FILTER(isIRI(?s) && STRSTARTS(STR(?t), "https://w3id.org/relaxgraph/ontology#")
                  && !STRSTARTS(STR(?s), "https://w3id.org/relaxgraph/ontology#")) }""",
        )
        .rows()[0]
        .n
    )
    assert 0 < graph.number_of_nodes() <= entities
    for _, data in graph.nodes(data=True):
        assert data["kind"] not in PROVENANCE_KINDS and data["label"]
    for u, v, _k, data in graph.edges(keys=True, data=True):
        assert u in graph and v in graph and data["label"]
