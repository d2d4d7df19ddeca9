"""networkx analytics, checked against answers worked out by hand from the guide.

The guide (sections "Main Classes or Categories of Muscle Relaxant Drugs", the baclofen
sections) names seven drugs: baclofen, dantrolene sodium, diazepam, hyoscine butylbromide,
succinylcholine, vecuronium, and (through the "See also" links to Robaxin, curated with the
FDA label) methocarbamol. The answers below follow from what it says about each.
"""

from __future__ import annotations

import io

import networkx as nx
import pytest

import relaxgraph
from relaxgraph import analytics
from relaxgraph.errors import UnknownEntityError

RG = "https://w3id.org/relaxgraph/id/"


@pytest.fixture(scope="module")
def g() -> nx.MultiDiGraph:
    return relaxgraph.to_networkx()


# --- drugs sharing a class ----------------------------------------------------------------


def test_vecuronium_shares_its_class_with_succinylcholine(g: nx.MultiDiGraph) -> None:
    # "Examples of neuromuscular blocking agents include succinylcholine and vecuronium."
    # No other drug is placed in that class, and vecuronium is in no other class.
    found = analytics.drugs_sharing_class("vecuronium", graph=g)
    assert [(s.label, s.shared["classes"]) for s in found] == [
        ("succinylcholine", ("neuromuscular blocking agents",))
    ]
    assert found[0].drug == RG + "succinylcholine"
    assert found[0].shared_nodes["classes"] == (RG + "neuromuscular-blocking-agents",)


def test_drugs_sharing_class_by_hand(g: nx.MultiDiGraph) -> None:
    # diazepam is the guide's only benzodiazepine example; hyoscine butylbromide the only
    # antispasmodic agent; dantrolene sodium the only direct-acting muscle relaxant. baclofen
    # ("a widely prescribed muscle relaxant drug") and methocarbamol (curated: Robaxin's
    # active ingredient, a muscle relaxant) are both typed "muscle relaxants" directly.
    expected = {
        "succinylcholine": [("vecuronium", ("neuromuscular blocking agents",))],
        "diazepam": [],
        "hyoscine butylbromide": [],
        "dantrolene sodium": [],
        "baclofen": [("methocarbamol", ("muscle relaxants",))],
        "Robaxin": [("baclofen", ("muscle relaxants",))],  # a brand name stands for its drug
    }
    for drug, answer in expected.items():
        found = analytics.drugs_sharing_class(drug, graph=g)
        assert [(s.label, s.shared["classes"]) for s in found] == answer, drug


def test_drugs_sharing_class_agrees_with_the_catalogue_query(g: nx.MultiDiGraph) -> None:
    drugs = sorted(d["label"] for _, d in g.nodes(data=True) if d["kind"] == "Drug")
    assert len(drugs) == 7
    for drug in drugs:
        rows = relaxgraph.query("drugs-sharing-class", drug=drug).rows()
        from_sparql = {(r.otherLabel, r.classLabel) for r in rows}
        from_networkx = {
            (s.label, c)
            for s in analytics.drugs_sharing_class(drug, graph=g)
            for c in s.shared["classes"]
        }
        assert from_networkx == from_sparql, drug


# --- similar drugs ------------------------------------------------------------------------


def test_drugs_most_similar_to_baclofen(g: nx.MultiDiGraph) -> None:
    # diazepam: "possess muscle relaxant effects" and "effective in reducing muscle spasticity"
    #   -> shares the effects muscle relaxation and reduction of muscle spasticity, and the
    #   condition muscle spasticity, with baclofen: 3.
    # dantrolene sodium: "used for conditions such as muscle spasms associated with neurological
    #   disorders ... and spasticity" (the qualifier is kept since issue 13: a condition of its
    #   own), "a 30% reduction in muscle spasms" -> shares muscle spasticity and the effect
    #   reduction of muscle spasms: 2.
    # methocarbamol: only the class muscle relaxants: 1.
    # vecuronium, succinylcholine, hyoscine butylbromide share nothing with baclofen.
    found = analytics.similar_drugs("baclofen", graph=g)
    assert [(s.label, s.score) for s in found] == [
        ("diazepam", 3),
        ("dantrolene sodium", 2),
        ("methocarbamol", 1),
    ]
    diazepam, dantrolene, methocarbamol = found
    assert diazepam.shared == {
        "targets": (),
        "effects": ("muscle relaxation", "reduction of muscle spasticity"),
        "conditions": ("muscle spasticity",),
        "classes": (),
    }
    assert dantrolene.shared["conditions"] == ("muscle spasticity",)
    assert dantrolene.shared["effects"] == ("reduction of muscle spasms",)
    assert methocarbamol.shared["classes"] == ("muscle relaxants",)
    assert diazepam.jaccard > dantrolene.jaccard > methocarbamol.jaccard > 0
    assert "muscle relaxation" in str(diazepam)


def test_similarity_by_one_aspect(g: nx.MultiDiGraph) -> None:
    # Only baclofen has a target (the GABA-B receptor), so no drug shares one.
    assert analytics.similar_drugs("baclofen", by=("targets",), graph=g) == []
    # Side effects are listed for baclofen only.
    assert analytics.similar_drugs("baclofen", by=("side_effects",), graph=g) == []
    # diazepam treats muscle spasticity only; so do dantrolene sodium (with muscle spasms and
    # malignant hyperthermia: 3 conditions) and baclofen (with 6 more: 7). Equal scores, and
    # the shared condition is a larger share of dantrolene's three than of baclofen's seven.
    by_conditions = analytics.similar_drugs("diazepam", by=("conditions",), graph=g)
    assert [(s.label, s.shared["conditions"], s.jaccard) for s in by_conditions] == [
        ("dantrolene sodium", ("muscle spasticity",), round(1 / 3, 4)),
        ("baclofen", ("muscle spasticity",), round(1 / 7, 4)),
    ]


def test_similar_drugs_bad_input(g: nx.MultiDiGraph) -> None:
    with pytest.raises(ValueError, match="unknown aspect 'colour'"):
        analytics.similar_drugs("baclofen", by=("colour",), graph=g)
    with pytest.raises(UnknownEntityError) as unknown:
        analytics.similar_drugs("diazepan", graph=g)
    assert "diazepam" in unknown.value.suggestions
    with pytest.raises(UnknownEntityError, match="not a drug"):
        analytics.similar_drugs("drowsiness", graph=g)


# --- most connected -----------------------------------------------------------------------


def test_most_connected(g: nx.MultiDiGraph) -> None:
    top = analytics.most_connected(5, graph=g)
    assert len(top) == 5
    assert top[0].label == "baclofen" and top[0].kind == "Drug"
    assert top[0].degree == g.degree(RG + "baclofen")
    assert [c.degree for c in top] == sorted((c.degree for c in top), reverse=True)
    # The class every class list hangs from is the second hub.
    assert top[1].label == "muscle relaxants"


def test_degree_of_vecuronium_by_hand(g: nx.MultiDiGraph) -> None:
    # vecuronium: is a neuromuscular blocking agent; has the effect "decrease in muscle
    # activity"; is what the Journal of Anesthesia and Analgesia trial and its 95% figure are
    # about. Four links, to four different entities.
    drugs = {c.label: c for c in analytics.most_connected(100, kind="Drug", graph=g)}
    assert set(drugs) == {
        "baclofen", "dantrolene sodium", "diazepam", "hyoscine butylbromide",
        "methocarbamol", "succinylcholine", "vecuronium",
    }  # fmt: skip
    assert (drugs["vecuronium"].degree, drugs["vecuronium"].neighbours) == (4, 4)
    assert drugs["succinylcholine"].degree == 1  # only its class
    assert drugs["methocarbamol"].degree == 2  # its class and its brand Robaxin


# --- explanation paths --------------------------------------------------------------------


def test_path_from_diazepam_to_baclofen(g: nx.MultiDiGraph) -> None:
    # The guide never relates diazepam and baclofen directly, so the shortest chain has two
    # links, through something both are said to do or treat:
    #   diazepam "possess muscle relaxant effects"; baclofen leads "to enhanced muscle relaxation"
    #   diazepam "effective in reducing muscle spasticity"; baclofen for "muscle spasticity"
    #   (treats muscle spasticity, and has the effect reduction of muscle spasticity).
    # The class route (diazepam is a benzodiazepine, a subclass of muscle relaxants, of which
    # baclofen is one) is three links, so it is not among the shortest.
    paths = analytics.explain_paths("diazepam", "baclofen", graph=g)
    assert [p.labels for p in paths] == [
        ("diazepam", "muscle relaxation", "baclofen"),
        ("diazepam", "muscle spasticity", "baclofen"),
        ("diazepam", "reduction of muscle spasticity", "baclofen"),
    ]
    path = analytics.explain_path("diazepam", "baclofen", graph=g)
    assert path == paths[0]
    assert len(path) == 2
    assert path.nodes == (RG + "diazepam", RG + "muscle-relaxation", RG + "baclofen")
    first, second = path.steps
    assert (first.key, first.label, first.forward) == (
        "rgo:hasTherapeuticEffect", "has therapeutic effect", True,
    )  # fmt: skip
    assert (second.source_label, second.target_label, second.forward) == (
        "muscle relaxation", "baclofen", False,
    )  # fmt: skip
    assert str(path) == (
        "diazepam -[has therapeutic effect]-> muscle relaxation "
        "<-[has therapeutic effect]- baclofen"
    )
    assert str(paths[1]) == "diazepam -[treats]-> muscle spasticity <-[treats]- baclofen"


def test_path_through_brands(g: nx.MultiDiGraph) -> None:
    # Lioresal is only linked to baclofen, Robaxin only to methocarbamol, and methocarbamol
    # only to Robaxin and the class muscle relaxants, of which baclofen is one.
    paths = analytics.explain_paths("Lioresal", "Robaxin", graph=g)
    assert len(paths) == 1
    assert str(paths[0]) == (
        "Lioresal -[brand of]-> baclofen -[is a]-> muscle relaxants "
        "<-[is a]- methocarbamol <-[brand of]- Robaxin"
    )


def test_path_avoiding_kinds(g: nx.MultiDiGraph) -> None:
    avoided = analytics.explain_paths(
        "diazepam", "baclofen", graph=g, avoid=("TherapeuticEffect", "Symptom")
    )
    assert avoided and all(len(p) >= 3 for p in avoided)
    kinds = {g.nodes[n]["kind"] for p in avoided for n in p.nodes[1:-1]}
    assert not kinds & {"TherapeuticEffect", "Symptom"}


def test_path_names_and_errors(g: nx.MultiDiGraph) -> None:
    by_id = analytics.explain_path("DB00829", "CHEBI:2972", graph=g)  # diazepam, baclofen
    assert by_id.labels[0] == "diazepam" and by_id.labels[-1] == "baclofen"
    with pytest.raises(UnknownEntityError) as unknown:
        analytics.explain_path("diazepam", "baclofn", graph=g)
    assert "baclofen" in unknown.value.suggestions
    isolated = next(n for n in g if g.degree(n) == 0)
    with pytest.raises(nx.NetworkXNoPath):
        analytics.explain_path("baclofen", isolated, graph=g)


# --- communities --------------------------------------------------------------------------


def test_communities_partition_the_graph(g: nx.MultiDiGraph) -> None:
    groups = analytics.communities(graph=g)
    members = [m for c in groups for m in c.members]
    assert sorted(members) == sorted(g.nodes)  # every entity exactly once
    assert [len(c) for c in groups] == sorted((len(c) for c in groups), reverse=True)
    again = analytics.communities(graph=g)
    assert [c.members for c in again] == [c.members for c in groups]  # fixed seed
    for c in groups:
        assert c.hub == c.labels[0]


def test_communities_by_hand(g: nx.MultiDiGraph) -> None:
    # An entity with a single link always sits with its one neighbour in a modularity
    # optimum (moving it there only adds to modularity): succinylcholine with its class,
    # Robaxin with methocarbamol, Lioresal with baclofen.
    groups = analytics.communities(graph=g)

    def group_of(label: str) -> set[str]:
        return set(next(c.labels for c in groups if label in c.labels))

    assert "neuromuscular blocking agents" in group_of("succinylcholine")
    assert "methocarbamol" in group_of("Robaxin")
    assert "baclofen" in group_of("Lioresal")
    # Entities with no links at all are communities of one.
    for node in (n for n in g if g.degree(n) == 0):
        assert group_of(g.nodes[node]["label"]) == {g.nodes[node]["label"]}


# --- defaults, neighbourhoods, Gephi and Cytoscape ----------------------------------------


def test_default_graph_is_the_bundled_one() -> None:
    assert analytics.drugs_sharing_class("vecuronium")[0].label == "succinylcholine"
    assert analytics.most_connected(1)[0].label == "baclofen"


def test_analytics_on_a_neighbourhood() -> None:
    around = relaxgraph.to_networkx(focus="vecuronium", depth=2)
    path = analytics.explain_path("vecuronium", "succinylcholine", graph=around)
    assert path.labels == ("vecuronium", "neuromuscular blocking agents", "succinylcholine")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_for_gephi_and_cytoscape(g: nx.MultiDiGraph, fmt: str) -> None:
    whole = relaxgraph.export(fmt)
    read = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    back = read(io.BytesIO(whole))
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    by_iri = {data["iri"]: data for _, data in back.nodes(data=True)}  # node ids are XML tokens
    node = by_iri[RG + "vecuronium"]
    assert node["kind"] == "Drug"
    assert node["label"] == "vecuronium"
    around = relaxgraph.to_networkx(focus="vecuronium", depth=1)
    part = read(io.BytesIO(relaxgraph.export(fmt, around)))
    assert {data["iri"] for _, data in part.nodes(data=True)} == set(around.nodes)
    assert len(part) == 5  # vecuronium, its class, its effect, the trial and its figure
    with pytest.raises(ValueError, match="graphml or gexf"):
        relaxgraph.export("ttl", around)
