"""Competency questions: what the knowledge graph must answer, as SPARQL, with the answers
written from the guide (and, for curated facts, from their cited sources).

The graph is ``ontology/relaxgraph.ttl`` plus ``ontology/kb/*.ttl`` parsed with rdflib; the
inference questions add the OWL 2 RL closure computed with owlrl (the shipped
``ontology/entailed.nt``, checked against a fresh closure in ``tests/test_reasoning.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "relaxgraph.ttl"
KB_DIR = ROOT / "ontology" / "kb"
ENTAILED = ROOT / "ontology" / "entailed.nt"
RG = "https://w3id.org/relaxgraph/id/"

PREFIXES = """
PREFIX rg: <https://w3id.org/relaxgraph/id/>
PREFIX rgo: <https://w3id.org/relaxgraph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def _files() -> list[Path]:
    return [p for p in [ONTOLOGY, *sorted(KB_DIR.glob("*.ttl"))] if p.exists()]


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    for path in _files():
        g.parse(path, format="turtle")
    return g


@pytest.fixture(scope="module")
def inferred(graph: Graph) -> Graph:
    """The graph and its OWL 2 RL closure: the shipped entailments (``ontology/entailed.nt``,
    computed with owlrl over the whole default union), which tests/test_reasoning.py keeps
    equal to a fresh owlrl closure. Running owlrl again here took most of this file's time."""
    if not ONTOLOGY.exists():
        pytest.fail(f"the inference questions need the ontology, missing: {ONTOLOGY}")
    if not ENTAILED.exists():
        pytest.fail(f"the inference questions need the entailments, missing: {ENTAILED}")
    g = Graph()
    for t in graph:
        g.add(t)
    g.parse(ENTAILED, format="nt")
    return g


def py(node: Any) -> Any:
    """rg: IRIs as their local slug, literals as Python values."""
    if isinstance(node, URIRef):
        s = str(node)
        return s[len(RG) :] if s.startswith(RG) else s
    if isinstance(node, Literal):
        return node.toPython()
    return node


def answer(g: Graph, query: str) -> list[Any]:
    rows = []
    for row in g.query(PREFIXES + query):
        values = tuple(py(v) for v in row)  # type: ignore[union-attr]
        rows.append(values[0] if len(values) == 1 else values)
    return rows


@dataclass(frozen=True)
class CQ:
    id: str
    question: str
    sparql: str
    expected: Any  # a set (order-free), or a list (ordered answer)
    infer: bool = False


CQS = [
    # ---- lookups ----
    CQ(
        "brand-name",
        "What is baclofen's brand name?",
        "SELECT ?name WHERE { ?b rgo:brandOf rg:baclofen ; rdfs:label ?name }",
        {"Lioresal"},
    ),
    CQ(
        "side-effects",
        "What side effects of baclofen does the guide list?",
        "SELECT ?l WHERE { rg:baclofen rgo:hasSideEffect ?s . ?s rdfs:label ?l }",
        {"drowsiness", "dizziness", "nausea", "vomiting", "headache", "muscle weakness"},
    ),
    CQ(
        "withdrawal",
        "What withdrawal symptoms can abruptly stopping baclofen cause?",
        "SELECT ?l WHERE { rg:baclofen rgo:hasWithdrawalSymptom ?s . ?s rdfs:label ?l }",
        {"hallucinations", "seizures"},
    ),
    CQ(
        "dosage-forms-and-routes",
        "In what forms, and by what routes, is baclofen given?",
        """SELECT ?form ?route WHERE { rg:baclofen rgo:hasDosageForm ?form .
           ?form rgo:administrationRoute ?route }""",
        {("oral-tablet", "oral"), ("intrathecal-injection", "intrathecal")},
    ),
    CQ(
        "receptor",
        "Which receptor does baclofen target?",
        "SELECT ?r WHERE { rg:baclofen rgo:targets ?r }",
        {"gaba-b-receptor"},
    ),
    CQ(
        "mechanisms",
        "By what mechanisms does the guide say baclofen works?",
        "SELECT ?m WHERE { rg:baclofen rgo:hasMechanism ?m }",
        {
            "gaba-b-receptor-agonism",
            "inhibition-of-excitatory-amino-acid-release",
            "suppression-of-nerve-signals-in-the-spinal-cord",
            "enhancement-of-gaba-receptor-activity",
            "enhancement-of-gaba-inhibitory-effects",
        },
    ),
    CQ(
        "tolerance-signs",
        "What signs indicate developing tolerance to baclofen?",
        """SELECT ?l WHERE { ?t rgo:toleranceTo rg:baclofen ; rgo:hasSign ?s .
           ?s rdfs:label ?l }""",
        {
            "increased muscle spasticity",
            "decreased relief from muscle pain",
            "increased dosage requirements",
        },
    ),
    CQ(
        "tolerance-adjustments",
        "How can the treatment plan be adjusted for tolerance?",
        "SELECT ?a WHERE { ?t rgo:toleranceTo rg:baclofen ; rgo:addressedBy ?a }",
        {
            "gradually-increasing-the-dosage",
            "adding-or-switching-to-another-muscle-relaxant",
            "combining-baclofen-with-another-treatment-approach",
        },
    ),
    CQ(
        "complementary-therapies",
        "What is baclofen used together with?",
        "SELECT ?c WHERE { rg:baclofen rgo:usedWith ?c . ?c a rgo:ComplementaryTherapy }",
        {
            "physical-therapy",
            "occupational-therapy",
            "assistive-devices",
            "exercise",
            "alternative-therapies",
        },
    ),
    CQ(
        "programs",
        "Which programmes cover baclofen?",
        "SELECT ?l WHERE { ?p rgo:covers rg:baclofen ; rdfs:label ?l }",
        {"Medicaid", "Medicare"},
    ),
    # ---- joins across classes ----
    CQ(
        "nmj-drugs",
        "Which drugs belong to a class that acts at the neuromuscular junction?",
        """SELECT DISTINCT ?d WHERE { ?d a rgo:Drug ; a ?c .
           ?c rgo:actsAt rg:neuromuscular-junction }""",
        {"succinylcholine", "vecuronium"},
    ),
    CQ(
        "central-conditions",
        "Which conditions are treated by centrally acting muscle relaxants?",
        """SELECT DISTINCT ?c WHERE { ?d a rg:centrally-acting-muscle-relaxants ;
           rgo:treats ?c }""",
        {
            "multiple-sclerosis",
            "spinal-cord-injuries",
            "cerebral-palsy",
            "muscle-spasms",
            "muscle-stiffness",
            "muscle-pain",
            "muscle-spasticity",
        },
    ),
    CQ(
        "baclofen-diseases",
        "Which diseases (not symptoms) does the guide say baclofen treats?",
        "SELECT ?c WHERE { rg:baclofen rgo:treats ?c . ?c a rgo:Disease }",
        {"multiple-sclerosis", "spinal-cord-injuries", "cerebral-palsy"},
    ),
    CQ(
        "smooth-muscle-drugs",
        "Which drugs are in a class said to act on smooth muscle, and what do they treat?",
        """SELECT ?d ?c WHERE { ?k rgo:actsOnMuscleType rg:smooth-muscle .
           ?d a ?k ; rgo:treats ?c }""",
        {
            ("hyoscine-butylbromide", "irritable-bowel-syndrome"),
            ("hyoscine-butylbromide", "menstrual-cramps"),
            ("hyoscine-butylbromide", "abdominal-cramps"),
        },
    ),
    CQ(
        "gaba-mechanisms",
        "Which drugs or classes work through a mechanism involving GABA?",
        """SELECT DISTINCT ?x WHERE { ?x rgo:hasMechanism ?m .
           ?m rgo:involvesNeurotransmitter rg:gaba }""",
        {"baclofen", "benzodiazepines"},
    ),
    CQ(
        "mark-reports",
        "What did Mark report: side effects and tolerance?",
        """SELECT ?x WHERE { ?r rgo:subject rg:mark .
           { ?r rgo:reportsSideEffect ?x } UNION { ?r rgo:reportsTolerance ?x } }""",
        {"headache", "dizziness", "tolerance-to-baclofen"},
    ),
    CQ(
        "expert",
        "Who is the guide's quoted expert?",
        """SELECT ?name WHERE { ?p a rgo:Expert ; rdfs:label ?name .
           ?t rgo:subject ?p ; rgo:evidenceKind rgo:ExpertOpinion }""",
        {"Dr. Emily Roberts"},
    ),
    # ---- numbers ----
    CQ(
        "cp-pain-relief",
        "What pain-relief figure does the table give for cerebral palsy?",
        """SELECT ?p WHERE { ?s a rgo:Statistic ; rgo:population rg:cerebral-palsy ;
           rgo:measure rg:pain-relief ; rgo:tableRow ?row ; rgo:percentage ?p }""",
        {Decimal(80)},
    ),
    CQ(
        "table-cell",
        "What is the table's cell at row 'Spinal Cord Injuries', column 'Quality of Life'?",
        """SELECT ?p WHERE { ?s rgo:tableRow "Spinal Cord Injuries" ;
           rgo:tableColumn "Quality of Life" ; rgo:percentage ?p }""",
        {Decimal(85)},
    ),
    CQ(
        "baclofen-price",
        "What does a 30-day supply of baclofen cost?",
        """SELECT ?min ?max ?cur ?days WHERE { ?p rgo:priceOf rg:baclofen ;
           rgo:minPrice ?min ; rgo:maxPrice ?max ; rgo:currency ?cur ; rgo:supplyDays ?days }""",
        {(Decimal(10), Decimal(30), "USD", 30)},
    ),
    CQ(
        "other-price",
        "What do other muscle relaxants cost for the same duration?",
        """SELECT ?min ?max WHERE { ?p rgo:priceOf rg:other-muscle-relaxants ;
           rgo:minPrice ?min ; rgo:maxPrice ?max }""",
        {(Decimal(50), Decimal(200))},
    ),
    CQ(
        "mark-age",
        "How old is Mark?",
        "SELECT ?age WHERE { rg:mark rgo:age ?age }",
        {32},
    ),
    CQ(
        "sarah-ages",
        "How old is Sarah (every person called Sarah)?",
        """SELECT ?age WHERE { ?p a rgo:Person ; skos:altLabel "Sarah" ; rgo:age ?age }""",
        {40, 45},
    ),
    CQ(
        "hyoscine-figure",
        "What figure does the meta-analysis give for hyoscine butylbromide, and for whom?",
        """SELECT ?q ?p ?pop WHERE { ?study rgo:aboutDrug rg:hyoscine-butylbromide ;
           rgo:claimedFigure ?s . ?s rgo:percentageQualifier ?q ; rgo:percentage ?p ;
           rgo:population ?pop }""",
        {("over", Decimal(80), "irritable-bowel-syndrome")},
    ),
    CQ(
        "vecuronium-trial",
        "Where was the vecuronium trial published, what design, what figure?",
        """SELECT ?j ?design ?p WHERE { ?s rgo:aboutDrug rg:vecuronium ; a rgo:CitedStudy ;
           rgo:publishedIn/rdfs:label ?j ; rgo:studyDesign ?design ;
           rgo:claimedFigure/rgo:percentage ?p }""",
        {("Journal of Anesthesia and Analgesia", "randomized controlled trial", Decimal(95))},
    ),
    CQ(
        "cost-savings",
        "What average cost savings does the guide claim for baclofen?",
        """SELECT ?p WHERE { ?s a rgo:CitedStudy ; rgo:publishedIn
           rg:journal-of-pharmaceutical-economics ; rgo:claimedFigure/rgo:percentage ?p }""",
        {Decimal(70)},
    ),
    # ---- provenance ----
    CQ(
        "drowsiness-provenance",
        "Where does the guide say baclofen causes drowsiness (section heading and quote)?",
        """SELECT ?heading ?exact WHERE { ?st rdf:subject rg:baclofen ;
           rdf:predicate rgo:hasSideEffect ; rdf:object rg:drowsiness ; rgo:evidence ?q .
           ?q oa:exact ?exact ; dcterms:isPartOf/rgo:heading ?heading }""",
        {
            (
                "Common Side Effects of Baclofen",
                "Drowsiness: One of the most commonly reported side effects of Baclofen is "
                "drowsiness",
            )
        },
    ),
    CQ(
        "how-baclofen-functions-count",
        "How many sections are headed 'How Baclofen Functions to Reduce ...'?",
        """SELECT (COUNT(?s) AS ?n) WHERE { ?s a rgo:Section ;
           rgo:heading "How Baclofen Functions to Reduce Muscle Tension and Spasms" }""",
        {2},
    ),
    CQ(
        "main-classes-sections",
        "Which sections hold the two class lists?",
        """SELECT ?n WHERE { ?l a rgo:ClassList ; rgo:evidence/dcterms:isPartOf ?s .
           ?s rgo:sectionNumber ?n ;
           rgo:heading "Main Classes or Categories of Muscle Relaxant Drugs" }""",
        {5, 17},
    ),
    CQ(
        "evidence-sections-for-ms",
        "In which sections does the guide say baclofen treats multiple sclerosis?",
        """SELECT ?n WHERE { ?st rdf:subject rg:baclofen ; rdf:predicate rgo:treats ;
           rdf:object rg:multiple-sclerosis ;
           rgo:evidence/dcterms:isPartOf/rgo:sectionNumber ?n }""",
        {1, 6, 17},
    ),
    # ---- class lists ----
    CQ(
        "list-1-direct-acting-subclasses",
        "What does list 1 put under direct-acting skeletal muscle relaxants?",
        """SELECT ?c WHERE { ?c rdfs:subClassOf rg:direct-acting-skeletal-muscle-relaxants .
           FILTER (?c != rg:direct-acting-skeletal-muscle-relaxants) }""",
        {"antispasmodics", "antispasticity-agents"},
    ),
    CQ(
        "classes-in-one-list",
        "Which classes appear in only one of the two lists?",
        """SELECT ?c WHERE { ?e rgo:listsClass ?c ; rgo:inList ?l }
           GROUP BY ?c HAVING (COUNT(DISTINCT ?l) = 1)""",
        {
            "direct-acting-skeletal-muscle-relaxants",
            "other-miscellaneous-muscle-relaxants",
            "direct-acting-muscle-relaxants",
            "antispasmodic-agents",
        },
    ),
    CQ(
        "classes-in-both-lists",
        "Which classes appear in both lists?",
        """SELECT ?c WHERE { ?e rgo:listsClass ?c ; rgo:inList ?l }
           GROUP BY ?c HAVING (COUNT(DISTINCT ?l) = 2)""",
        {"centrally-acting-muscle-relaxants", "neuromuscular-blocking-agents", "benzodiazepines"},
    ),
    CQ(
        "list-2-order",
        "What are list 2's classes, in order?",
        """SELECT ?label WHERE { ?e rgo:inList rg:class-list-2 ; rgo:position ?pos ;
           rgo:listsClass/rdfs:label ?label } ORDER BY ?pos""",
        [
            "centrally acting muscle relaxants",
            "direct-acting muscle relaxants",
            "neuromuscular blocking agents",
            "antispasmodic agents",
            "benzodiazepines",
        ],
    ),
    CQ(
        "class-list-disagreements",
        "Which disagreements between the lists are flagged, naming an entry of each list?",
        """SELECT DISTINCT ?f WHERE { ?f rgo:flagKind rgo:ClassListDisagreement ;
           rgo:flags ?a, ?b . ?a rgo:inList rg:class-list-1 .
           FILTER (?b = rg:class-list-2 || EXISTS { ?b rgo:inList rg:class-list-2 }) }""",
        {
            "flag-class-lists-direct-acting",
            "flag-class-lists-antispasmodics",
            "flag-class-lists-other-miscellaneous",
        },
    ),
    # ---- flags ----
    CQ(
        "flag-kinds-with-reasons",
        "Which kinds of flag are raised, each with a reason?",
        "SELECT DISTINCT ?k WHERE { ?f a rgo:Flag ; rgo:flagKind ?k ; rgo:reason ?r }",
        {
            "https://w3id.org/relaxgraph/ontology#" + k
            for k in (
                "InternalContradiction",
                "PharmacologicallyUnsupported",
                "UnsupportedStatistic",
                "MissingReference",
                "ClassListDisagreement",
                "TruncatedText",
                "Unverifiable",
                "SourceDisagreement",  # the reference layer's conflict flag (baclofen GABA-A)
            )
        },
    ),
    CQ(
        "age-contradiction",
        "Which ages contradict each other, and in which sections?",
        """SELECT ?age ?heading WHERE { ?f rgo:flagKind rgo:InternalContradiction ;
           rgo:flags ?st . ?st rdf:predicate rgo:age ; rdf:object ?age ;
           rgo:evidence/dcterms:isPartOf/rgo:heading ?heading }""",
        {
            (40, "Case study: Sarah’s remarkable progress with Baclofen therapy"),  # noqa: RUF001
            (45, "Real User Reviews of Baclofen"),
        },
    ),
    CQ(
        "flagged-baclofen-mechanisms",
        "Which of baclofen's stated mechanisms are flagged as pharmacologically unsupported?",
        """SELECT ?m WHERE { ?f rgo:flagKind rgo:PharmacologicallyUnsupported ; rgo:flags ?st .
           ?st rdf:subject rg:baclofen ; rdf:predicate rgo:hasMechanism ; rdf:object ?m }""",
        {"enhancement-of-gaba-receptor-activity", "enhancement-of-gaba-inhibitory-effects"},
    ),
    CQ(
        "truncated-text",
        "Where is the guide's text truncated?",
        """SELECT ?n ?exact WHERE { ?f rgo:flagKind rgo:TruncatedText ; rgo:flags ?q .
           ?q a rgo:Quote ; oa:exact ?exact ; dcterms:isPartOf/rgo:sectionNumber ?n }""",
        {(5, "allows healthcare professionals to choose the most")},
    ),
    # ---- evidence kinds ----
    CQ(
        "statistics-without-source",
        "How many statistics does the guide give without a usable source?",
        """SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a rgo:Statistic .
           { ?s rgo:evidenceKind rgo:UnattributedStatistic }
           UNION { ?study rgo:claimedFigure ?s ; rgo:referenceGiven false } }""",
        {15},
    ),
    CQ(
        "testimonial-side-effects",
        "Which side effects are reported only in testimonials, by whom?",
        """SELECT ?who ?se WHERE { ?t a rgo:Testimonial ; rgo:evidenceKind rgo:Testimonial ;
           rgo:subject ?who ; rgo:reportsSideEffect ?se }""",
        {("sarah-reviewer", "drowsiness"), ("mark", "headache"), ("mark", "dizziness")},
    ),
    CQ(
        "robaxin-ingredient",
        "What is Robaxin, and on what authority (the guide does not say)?",
        """SELECT ?ing ?kind WHERE { rg:robaxin rgo:brandOf ?ing .
           ?st rdf:subject rg:robaxin ; rdf:predicate rgo:brandOf ; rdf:object ?ing ;
           a ?kind ; dcterms:source ?src }""",
        {("methocarbamol", "https://w3id.org/relaxgraph/ontology#CuratedStatement")},
    ),
    # ---- the path without inference, and inference ----
    CQ(
        "classified-drugs-by-path",
        "Which drugs are muscle relaxants, following rdf:type/rdfs:subClassOf* (no inference)?",
        """SELECT DISTINCT ?d WHERE { ?d a rgo:Drug ; a/rdfs:subClassOf* rg:muscle-relaxants }""",
        {
            "baclofen",
            "dantrolene-sodium",
            "succinylcholine",
            "vecuronium",
            "hyoscine-butylbromide",
            "diazepam",
            "methocarbamol",
        },
    ),
    CQ(
        "classified-drugs-inferred",
        "With OWL-RL inference, which individuals are muscle relaxants?",
        "SELECT ?d WHERE { ?d a rg:muscle-relaxants }",
        {
            "baclofen",
            "dantrolene-sodium",
            "succinylcholine",
            "vecuronium",
            "hyoscine-butylbromide",
            "diazepam",
            "methocarbamol",
        },
        infer=True,
    ),
    CQ(
        "treated-by-inferred",
        "With inference (rgo:treatedBy is the inverse of rgo:treats), what treats MS?",
        "SELECT ?d WHERE { rg:multiple-sclerosis rgo:treatedBy ?d }",
        {"baclofen"},
        infer=True,
    ),
    CQ(
        "brand-inverse-inferred",
        "With inference, which brand names does each drug have?",
        "SELECT ?d ?b WHERE { ?d rgo:hasBrandName ?b }",
        {("baclofen", "lioresal"), ("methocarbamol", "robaxin")},
        infer=True,
    ),
]


def test_at_least_thirty_questions() -> None:
    assert len(CQS) >= 30
    assert len({cq.id for cq in CQS}) == len(CQS)


@pytest.mark.parametrize("cq", CQS, ids=[cq.id for cq in CQS])
def test_competency_question(cq: CQ, request: pytest.FixtureRequest) -> None:
    g: Graph = request.getfixturevalue("inferred" if cq.infer else "graph")
    got = answer(g, cq.sparql)
    if isinstance(cq.expected, list):
        assert got == cq.expected, cq.question
    else:
        assert len(got) == len(set(got)) or "DISTINCT" not in cq.sparql
        assert set(got) == cq.expected, cq.question


def test_no_drug_class_is_inferred_to_be_a_drug(inferred: Graph) -> None:
    """Class-level claims must not make a drug class an instance of rgo:Drug by domain rules."""
    rows = answer(
        inferred,
        "SELECT ?c WHERE { ?c a rgo:DrugClass ; a rgo:Drug }",
    )
    assert rows == []
