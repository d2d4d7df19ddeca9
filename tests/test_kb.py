"""The knowledge base (ontology/kb/guide.ttl, ontology/kb/curation.ttl) against the guide itself.

The guide is not shipped; these tests read it from ``../shared/seed/`` next to the repository.
"""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest
from conftest import require_or_skip
from rdflib import RDF, RDFS, Graph, Literal, Node, URIRef
from rdflib.namespace import DCTERMS, SKOS

from relaxgraph.checking.vocab import provenance_terms

ROOT = Path(__file__).resolve().parents[1]
KB = ROOT / "ontology" / "kb"
GUIDE_TTL = KB / "guide.ttl"
CURATION_TTL = KB / "curation.ttl"
TOOLS = ROOT / "tools"
GUIDE = ROOT.parent / "shared" / "seed" / "000_ea26d7bc678bc55f.txt"

RG = "https://w3id.org/relaxgraph/id/"
RGO = "https://w3id.org/relaxgraph/ontology#"
OA = "http://www.w3.org/ns/oa#"


def rg(local: str) -> URIRef:
    return URIRef(RG + local)


def rgo(local: str) -> URIRef:
    return URIRef(RGO + local)


def oa(local: str) -> URIRef:
    return URIRef(OA + local)


# rgo: properties that are provenance or document structure, not domain facts: the ontology says
# which (rgo:layerRole rgo:Provenance), so this test keeps no list of its own.
NOT_DOMAIN = {URIRef(p) for p in provenance_terms().properties}
PROVENANCE_CLASSES = {URIRef(c) for c in provenance_terms().classes}
EVIDENCE_KINDS = {
    rgo(k)
    for k in [
        "GeneralStatement",
        "HypotheticalExample",
        "CaseStudy",
        "Testimonial",
        "ExpertOpinion",
        "UnattributedStatistic",
        "StudyCitedWithoutReference",
        "SectionHeading",
    ]
}
FLAG_KINDS = {
    rgo(k)
    for k in [
        "InternalContradiction",
        "PharmacologicallyUnsupported",
        "UnsupportedStatistic",
        "MissingReference",
        "ClassListDisagreement",
        "TruncatedText",
        "Unverifiable",
    ]
}


@pytest.fixture(scope="module")
def guide_text() -> str:
    require_or_skip(GUIDE.exists(), f"the guide is not at {GUIDE}")
    return GUIDE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def guide_graph() -> Graph:
    return Graph().parse(GUIDE_TTL, format="turtle")


@pytest.fixture(scope="module")
def curation_graph() -> Graph:
    return Graph().parse(CURATION_TTL, format="turtle")


@pytest.fixture(scope="module")
def kb(guide_graph: Graph, curation_graph: Graph) -> Graph:
    g = Graph()
    for t in guide_graph:
        g.add(t)
    for t in curation_graph:
        g.add(t)
    return g


@pytest.fixture(scope="module")
def build_kb() -> ModuleType:
    if str(TOOLS) not in sys.path:
        sys.path.insert(0, str(TOOLS))
    return importlib.import_module("build_kb")


def ints(g: Graph, s: Node, p: URIRef) -> int:
    value = g.value(s, p)
    assert isinstance(value, Literal), (s, p)
    result = value.toPython()
    assert isinstance(result, int)
    return result


# ---------------------------------------------------------------------------------------------
# Parsing and regeneration
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [GUIDE_TTL, CURATION_TTL], ids=lambda p: p.name)
def test_parses_with_rdflib_and_pyoxigraph_alike(path: Path) -> None:
    g = Graph().parse(path, format="turtle")
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    assert len(g) > 100
    assert len(store) == len(g)


def test_rebuild_reproduces_committed_files(tmp_path: Path, guide_text: str) -> None:
    proc = subprocess.run(
        [sys.executable, str(TOOLS / "build_kb.py"), "--guide", str(GUIDE), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    for name in ("guide.ttl", "curation.ttl", "identifiers.ttl"):
        assert (tmp_path / name).read_bytes() == (KB / name).read_bytes(), name


def test_build_fails_loudly_on_a_quote_not_in_its_section(
    build_kb: ModuleType, guide_text: str
) -> None:
    quote = build_kb.Quote
    sections = build_kb.find_sections(guide_text)
    # in the guide, but in section 19, not section 1
    with pytest.raises(build_kb.BuildError, match="not found"):
        build_kb.locate(guide_text, sections, quote(1, "Common Side Effects of Baclofen"))
    # occurs twice in section 16
    with pytest.raises(build_kb.BuildError, match="not unique"):
        build_kb.locate(guide_text, sections, quote(16, "providing pain relief"))
    span = build_kb.locate(guide_text, sections, quote(19, "Baclofen may cause headaches"))
    assert guide_text[span.start : span.end] == "Baclofen may cause headaches"


def test_build_rejects_a_guide_whose_headings_differ(build_kb: ModuleType, guide_text: str) -> None:
    altered = guide_text.replace("\nSafety and Precautions\n", "\nSafety\n")
    with pytest.raises(build_kb.BuildError, match="headings differ"):
        build_kb.build(altered)


def test_no_machine_paths_in_kb_files() -> None:
    for path in (GUIDE_TTL, CURATION_TTL):
        text = path.read_text(encoding="utf-8")
        assert str(ROOT.parent) not in text and "file:" not in text


# ---------------------------------------------------------------------------------------------
# Sections and quotes
# ---------------------------------------------------------------------------------------------
def test_sections_tile_the_guide_in_document_order(guide_graph: Graph, guide_text: str) -> None:
    sections = sorted(
        guide_graph.subjects(RDF.type, rgo("Section")),
        key=lambda s: ints(guide_graph, s, rgo("sectionNumber")),
    )
    assert len(sections) == 28  # 27 headed sections and the untitled closing paragraph
    previous_end = None
    for n, sec in enumerate(sections, start=1):
        assert sec == rg(f"section-{n:02d}")
        assert ints(guide_graph, sec, rgo("sectionNumber")) == n
        start, end = ints(guide_graph, sec, oa("start")), ints(guide_graph, sec, oa("end"))
        if n == 28:
            assert guide_graph.value(sec, rgo("heading")) is None
            assert guide_text[start:].startswith("Baclofen, a muscle relaxant commonly prescribed")
            assert guide_text[start - 3 : start] == "\n\n\n"
            continue
        heading = str(guide_graph.value(sec, rgo("heading")))
        assert guide_text[start : start + len(heading)] == heading
        assert start < end <= len(guide_text)
        if previous_end is not None:
            assert start == previous_end
        previous_end = end
        assert guide_graph.value(sec, DCTERMS.isPartOf) == rg("guide")
    headings = Counter(str(guide_graph.value(s, rgo("heading"))) for s in sections[:27])
    assert headings["How Baclofen Functions to Reduce Muscle Tension and Spasms"] == 2
    assert headings["Main Classes or Categories of Muscle Relaxant Drugs"] == 2
    # the two tolerance and the two success-story sections differ only in capitalisation
    assert {h.lower() for h in headings if h.lower().startswith("signs of developing")} == {
        "signs of developing tolerance to baclofen and adjusting the treatment plan"
    }
    assert sum(1 for h in headings if h.lower().startswith("signs of developing")) == 2
    assert sum(1 for h in headings if h.lower().startswith("real-world success")) == 2


def test_every_quote_is_verbatim_and_inside_its_section(
    guide_graph: Graph, guide_text: str
) -> None:
    quotes = list(guide_graph.subjects(RDF.type, rgo("Quote")))
    assert len(quotes) >= 150
    for q in quotes:
        assert re.fullmatch(RG + r"q-\d{4}", str(q))
        start, end = ints(guide_graph, q, oa("start")), ints(guide_graph, q, oa("end"))
        exact = str(guide_graph.value(q, oa("exact")))
        assert guide_text[start:end] == exact, q
        assert 0 < len(exact) <= 200
        sec = guide_graph.value(q, DCTERMS.isPartOf)
        assert sec is not None and (sec, RDF.type, rgo("Section")) in guide_graph
        assert ints(guide_graph, sec, oa("start")) <= start
        assert end <= ints(guide_graph, sec, oa("end"))


def test_every_quote_is_used(kb: Graph) -> None:
    for q in kb.subjects(RDF.type, rgo("Quote")):
        assert any(kb.subjects(rgo("evidence"), q)) or any(kb.subjects(rgo("flags"), q)), q


# ---------------------------------------------------------------------------------------------
# Statements: every domain triple reified, every statement well formed
# ---------------------------------------------------------------------------------------------
def _is_drug_class(g: Graph, node: Node) -> bool:
    return (node, RDF.type, rgo("DrugClass")) in g


def domain_triples(g: Graph) -> set[tuple[Node, Node, Node]]:
    out: set[tuple[Node, Node, Node]] = set()
    for s, p, o in g:
        if isinstance(p, URIRef) and str(p).startswith(RGO) and p not in NOT_DOMAIN:
            # statement nodes, quotes, sections, class-list entries are not domain subjects
            if any((s, RDF.type, c) in g for c in PROVENANCE_CLASSES):
                continue
            out.add((s, p, o))
        elif (p == RDF.type and _is_drug_class(g, o)) or (
            p == RDFS.subClassOf and _is_drug_class(g, s) and _is_drug_class(g, o)
        ):
            out.add((s, p, o))
    return out


def statement_triples(g: Graph) -> dict[tuple[Node, Node, Node], list[Node]]:
    out: dict[tuple[Node, Node, Node], list[Node]] = {}
    for kind in (rgo("GuideStatement"), rgo("CuratedStatement")):
        for st in g.subjects(RDF.type, kind):
            s, p, o = g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object)
            assert s is not None and p is not None and o is not None, st
            out.setdefault((s, p, o), []).append(st)
    return out


def test_every_domain_triple_has_a_statement_node(kb: Graph) -> None:
    triples = domain_triples(kb)
    reified = statement_triples(kb)
    # (class-list structure, rgo:inList & co., is provenance by the ontology, so not counted)
    assert len(triples) >= 290
    missing = sorted(str(t) for t in triples if t not in reified)
    assert not missing, missing[:10]
    # and every statement node describes a triple that is asserted
    dangling = sorted(str(t) for t in reified if t not in kb)
    assert not dangling, dangling[:10]


def test_guide_statements_have_evidence_and_one_kind(guide_graph: Graph) -> None:
    statements = list(guide_graph.subjects(RDF.type, rgo("GuideStatement")))
    assert len(statements) >= 300
    for st in statements:
        assert re.fullmatch(RG + r"st-[a-z0-9-]+-[A-Za-z]+-[a-z0-9-]+", str(st)), st
        evidence = list(guide_graph.objects(st, rgo("evidence")))
        assert evidence, st
        assert all((q, RDF.type, rgo("Quote")) in guide_graph for q in evidence)
        kinds = list(guide_graph.objects(st, rgo("evidenceKind")))
        assert len(kinds) == 1 and kinds[0] in EVIDENCE_KINDS, st


def test_every_entity_has_a_label_evidence_and_kind(guide_graph: Graph) -> None:
    skip = {
        rgo(t) for t in ["GuideStatement", "Quote", "Section", "SourceDocument", "CrossReference"]
    }
    subjects = {
        s
        for s in guide_graph.subjects(RDF.type)
        if not (set(guide_graph.objects(s, RDF.type)) & skip)
    }
    assert len(subjects) >= 150
    for s in subjects:
        assert len(list(guide_graph.objects(s, RDFS.label))) == 1, s
        assert any(guide_graph.objects(s, rgo("evidence"))), s
        assert guide_graph.value(s, rgo("evidenceKind")) in EVIDENCE_KINDS, s


def test_guide_and_curation_are_kept_apart(guide_graph: Graph, curation_graph: Graph) -> None:
    for kind in ("CuratedStatement", "Flag"):
        assert not any(guide_graph.subjects(RDF.type, rgo(kind))), kind
    assert not any(curation_graph.subjects(RDF.type, rgo("GuideStatement")))
    assert not any(curation_graph.subjects(RDF.type, rgo("Quote")))
    assert not any(guide_graph.triples((None, DCTERMS.source, None)))
    for st in curation_graph.subjects(RDF.type, rgo("CuratedStatement")):
        source = curation_graph.value(st, DCTERMS.source)
        assert isinstance(source, URIRef) and str(source).startswith("https://"), st
        assert curation_graph.value(st, RDFS.comment) is not None, st


# ---------------------------------------------------------------------------------------------
# What the guide holds, counted
# ---------------------------------------------------------------------------------------------
MIN_COUNTS = {
    "Drug": 6,  # in guide.ttl; methocarbamol is curated
    "BrandName": 2,
    "DrugClass": 11,
    "Receptor": 2,
    "Neurotransmitter": 2,
    "MechanismOfAction": 8,
    "AnatomicalSite": 8,
    "Disease": 6,
    "Symptom": 7,
    "TherapeuticEffect": 15,
    "SideEffect": 6,
    "WithdrawalSymptom": 2,
    "Tolerance": 1,
    "ToleranceSign": 3,
    "TreatmentAdjustment": 3,
    "ComplementaryTherapy": 5,
    "DosageForm": 2,
    "AdministrationRoute": 3,
    "Price": 2,
    "Statistic": 15,
    "CaseStudy": 3,
    "Testimonial": 3,
    "Person": 6,
    "Expert": 1,
    "CitedStudy": 7,
    "Journal": 6,
    "Program": 3,
    "ClassList": 2,
    "ClassListEntry": 10,
}


@pytest.mark.parametrize(("cls", "minimum"), sorted(MIN_COUNTS.items()))
def test_counts_by_type(guide_graph: Graph, cls: str, minimum: int) -> None:
    assert len(set(guide_graph.subjects(RDF.type, rgo(cls)))) >= minimum


def test_seven_drugs_with_robaxin_resolved_by_a_cited_curated_statement(kb: Graph) -> None:
    drugs = {str(d).removeprefix(RG) for d in kb.subjects(RDF.type, rgo("Drug"))}
    assert drugs == {
        "baclofen",
        "dantrolene-sodium",
        "succinylcholine",
        "vecuronium",
        "hyoscine-butylbromide",
        "diazepam",
        "methocarbamol",
    }
    assert (rg("robaxin"), rgo("brandOf"), rg("methocarbamol")) in kb
    assert (rg("lioresal"), rgo("brandOf"), rg("baclofen")) in kb
    (st,) = statement_triples(kb)[(rg("robaxin"), rgo("brandOf"), rg("methocarbamol"))]
    assert (st, RDF.type, rgo("CuratedStatement")) in kb
    # the guide itself never says what Robaxin is
    guide_only = Graph().parse(GUIDE_TTL, format="turtle")
    assert (rg("robaxin"), rgo("brandOf"), None) not in guide_only
    assert (rg("methocarbamol"), None, None) not in guide_only


def test_two_class_lists_with_five_entries_each(guide_graph: Graph) -> None:
    expected = {
        "class-list-1": [
            "centrally-acting-muscle-relaxants",
            "neuromuscular-blocking-agents",
            "direct-acting-skeletal-muscle-relaxants",
            "benzodiazepines",
            "other-miscellaneous-muscle-relaxants",
        ],
        "class-list-2": [
            "centrally-acting-muscle-relaxants",
            "direct-acting-muscle-relaxants",
            "neuromuscular-blocking-agents",
            "antispasmodic-agents",
            "benzodiazepines",
        ],
    }
    for lst, classes in expected.items():
        entries = list(guide_graph.subjects(rgo("inList"), rg(lst)))
        assert len(entries) == 5
        by_position = {ints(guide_graph, e, rgo("position")): e for e in entries}
        got = [str(guide_graph.value(by_position[i], rgo("listsClass"))) for i in range(1, 6)]
        assert got == [RG + c for c in classes]
        for c in classes:
            assert (rg(c), RDF.type, rgo("DrugClass")) in guide_graph
            assert (rg(c), RDFS.subClassOf, rg("muscle-relaxants")) in guide_graph


def test_class_list_disagreements_name_both_entries(curation_graph: Graph) -> None:
    flags = list(curation_graph.subjects(rgo("flagKind"), rgo("ClassListDisagreement")))
    assert len(flags) >= 3
    for f in flags:
        targets = {str(t).removeprefix(RG) for t in curation_graph.objects(f, rgo("flags"))}
        assert any(t.startswith("class-list-1") for t in targets), f
        assert any(t.startswith("class-list-2") for t in targets), f
    assert (
        rg("direct-acting-skeletal-muscle-relaxants"),
        SKOS.closeMatch,
        rg("direct-acting-muscle-relaxants"),
    ) in curation_graph


TABLE = {
    ("Multiple Sclerosis", "Improved Mobility"): 80,
    ("Multiple Sclerosis", "Pain Relief"): 75,
    ("Multiple Sclerosis", "Quality of Life"): 90,
    ("Spinal Cord Injuries", "Improved Mobility"): 70,
    ("Spinal Cord Injuries", "Pain Relief"): 65,
    ("Spinal Cord Injuries", "Quality of Life"): 85,
    ("Cerebral Palsy", "Improved Mobility"): 90,
    ("Cerebral Palsy", "Pain Relief"): 80,
    ("Cerebral Palsy", "Quality of Life"): 95,
}


def test_statistics_table_cell_by_cell(kb: Graph) -> None:
    cells = {}
    for stat in kb.subjects(rgo("tableRow"), None):
        row, column = str(kb.value(stat, rgo("tableRow"))), str(kb.value(stat, rgo("tableColumn")))
        pct = kb.value(stat, rgo("percentage"))
        assert isinstance(pct, Literal) and isinstance(pct.toPython(), Decimal)
        cells[(row, column)] = pct.toPython()
        assert (stat, RDF.type, rgo("Statistic")) in kb
        assert kb.value(stat, rgo("evidenceKind")) == rgo("UnattributedStatistic")
        assert kb.value(stat, rgo("population")) == rg(row.lower().replace(" ", "-"))
        assert kb.value(stat, rgo("aboutDrug")) == rg("baclofen")
        assert kb.value(stat, rgo("measure")) is not None
        flags = set(kb.subjects(rgo("flags"), stat))
        assert any(kb.value(f, rgo("flagKind")) == rgo("UnsupportedStatistic") for f in flags)
    assert cells == TABLE


def test_prices_are_typed(kb: Graph) -> None:
    price = rg("price-baclofen-30-day-supply")
    assert kb.value(price, rgo("priceOf")) == rg("baclofen")
    for p, value in (("minPrice", Decimal(10)), ("maxPrice", Decimal(30))):
        lit = kb.value(price, rgo(p))
        assert isinstance(lit, Literal) and lit.toPython() == value
        assert str(lit.datatype).endswith("#decimal")
    assert str(kb.value(price, rgo("currency"))) == "USD"
    assert ints(kb, price, rgo("supplyDays")) == 30


def test_cited_studies_have_no_reference_and_are_flagged(kb: Graph) -> None:
    studies = set(kb.subjects(RDF.type, rgo("CitedStudy")))
    assert len(studies) == 7
    for study in studies:
        assert kb.value(study, rgo("referenceGiven")) == Literal(False)
        assert kb.value(study, rgo("studyDesign")) is not None
        assert kb.value(study, rgo("evidenceKind")) == rgo("StudyCitedWithoutReference")
        kinds = {kb.value(f, rgo("flagKind")) for f in kb.subjects(rgo("flags"), study)}
        assert rgo("MissingReference") in kinds, study
    journals = {str(kb.value(j, RDFS.label)) for j in kb.subjects(RDF.type, rgo("Journal"))}
    assert journals == {
        "Journal of Neurology",
        "American Journal of Physical Medicine & Rehabilitation",
        "Journal of Anesthesia and Analgesia",
        "British Journal of Clinical Pharmacology",
        "Journal of Clinical Psychopharmacology",
        "Journal of Pharmaceutical Economics",
    }


def test_flags_are_well_formed(kb: Graph) -> None:
    flags = list(kb.subjects(RDF.type, rgo("Flag")))
    assert len(flags) >= 15
    kinds = Counter(kb.value(f, rgo("flagKind")) for f in flags)
    assert set(kinds) == FLAG_KINDS  # every kind is used at least once
    for f in flags:
        assert re.fullmatch(RG + r"flag-[a-z0-9-]+", str(f))
        reason = str(kb.value(f, rgo("reason")))
        assert 20 < len(reason) < 300 and "\n" not in reason, f
        targets = list(kb.objects(f, rgo("flags")))
        assert targets and all(any(kb.triples((t, None, None))) for t in targets), f
        for source in kb.objects(f, DCTERMS.source):
            assert str(source).startswith("https://"), f
    pharm = [
        f for f in flags if kb.value(f, rgo("flagKind")) == rgo("PharmacologicallyUnsupported")
    ]
    assert any(kb.value(f, DCTERMS.source) is not None for f in pharm)


def test_sarah_age_contradiction_names_both_sections(kb: Graph) -> None:
    (flag,) = kb.subjects(rgo("flagKind"), rgo("InternalContradiction"))
    ages = set()
    sections = set()
    for st in kb.objects(flag, rgo("flags")):
        age = kb.value(st, RDF.object)
        assert isinstance(age, Literal)
        ages.add(age.toPython())
        for q in kb.objects(st, rgo("evidence")):
            sections.add(kb.value(q, DCTERMS.isPartOf))
    assert ages == {40, 45}
    assert sections == {rg("section-14"), rg("section-20")}
    reason = str(kb.value(flag, rgo("reason")))
    assert "section 14" in reason and "section 20" in reason
