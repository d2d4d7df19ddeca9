"""The ontology (ontology/relaxgraph.ttl) and the code vocabulary (relaxgraph.namespaces)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from relaxgraph import _iris
from relaxgraph.namespaces import OBO, PREFIXES, PREFIXES_SPARQL, RG, RGO, SCHEMA

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "relaxgraph.ttl"
KB_DIR = ROOT / "ontology" / "kb"
ONTOLOGY_IRI = URIRef("https://w3id.org/relaxgraph/ontology")
NS = _iris.RGO_NS


def words(text: str) -> list[str]:
    return text.split()


# The contract (ontology/README.md), term by term.
CONTRACT_CLASSES = words("""
Drug BrandName DrugClass Receptor Neurotransmitter MechanismOfAction AnatomicalSite Condition
Disease Symptom TherapeuticEffect SideEffect WithdrawalSymptom Tolerance ToleranceSign
TreatmentAdjustment ComplementaryTherapy DosageForm AdministrationRoute Price Statistic CaseStudy
Testimonial Person Expert CitedStudy Journal Program SourceDocument Section Quote ClassList
ClassListEntry GuideStatement CuratedStatement Flag EvidenceKind FlagKind
""")
CONTRACT_OBJECT_PROPERTIES = words("""
brandOf hasBrandName treats treatedBy hasTherapeuticEffect hasSideEffect sideEffectOf
hasWithdrawalSymptom hasMechanism targets targetOf involvesNeurotransmitter actsAt hasDosageForm
administrationRoute usedWith toleranceTo hasSign addressedBy priceOf hasPrice aboutDrug population
measure subject hasCondition reportsEffect reportsSideEffect publishedIn claimedFigure covers
inList listsClass listedExample actsOnMuscleType evidence evidenceKind flags flagKind
""")
CONTRACT_DATA_PROPERTIES = words("""
age percentage percentageQualifier minPrice maxPrice currency supplyDays position tableRow
tableColumn studyDesign referenceGiven quoteText heading sectionNumber reason checkedIn
identifier chebi drugbank atc pubchemCompound mesh rxnorm uniprot hgnc mondo doid hpo umls
""")
CONTRACT_EVIDENCE_KINDS = words("""
GeneralStatement HypotheticalExample CaseStudy Testimonial ExpertOpinion UnattributedStatistic
StudyCitedWithoutReference SectionHeading
""")
CONTRACT_FLAG_KINDS = words("""
InternalContradiction PharmacologicallyUnsupported UnsupportedStatistic MissingReference
ClassListDisagreement TruncatedText Unverifiable SourceDisagreement
""")
CONTRACT_INVERSES = [
    ("brandOf", "hasBrandName"),
    ("treats", "treatedBy"),
    ("hasSideEffect", "sideEffectOf"),
    ("targets", "targetOf"),
    ("priceOf", "hasPrice"),
]
# Terms added beyond the contract (listed in the ontology, reported to the team).
EXTENSION_PROPERTIES = ["offeredBy", "conductedBy", "reportsTolerance"]
# The layer-role annotation that marks provenance terms once (issue 11), and its one value.
LAYER_ROLE_TERMS = ["layerRole", "Provenance"]
# The assessment vocabulary (issue 13): classes, verdicts, methods, problem kinds, properties.
ASSESSMENT_TERMS = words("""
Assessment Verdict ProblemKind AssessmentMethod LabelExcerpt Supported Imprecise Contradicted
Unsupported NotCheckable Inconsistent Computed Curated OversimplifiedPharmacology
InaccuratePharmacology MissingSafetyInformation PromotionalFraming UnsupportedClaim
TestimonialAsEvidence Inconsistency UnverifiableCitation CitationProblem assessedStatement verdict
problemKind assessmentMethod restsOn matchesFlag checkName CrossReference subSectionOf inCrossReference
associatedWith referenceForm
""")
# The reference layer (issue 12): classes, the closed list of action types, properties.
REFERENCE_TERMS = words("""
ReferenceStatement SourceDataset ReferenceDrug SubstanceForm Target ActionType ActionTypes
Agonist Antagonist PositiveAllostericModulator NegativeAllostericModulator Modulator Blocker
Opener Inhibitor sourceDataset retrievedOn labelSection setId hasForm formRole hasTarget
actionType inClass labelledIndication listedIndication labelledRoute labelledDosageForm
boxedWarning labelWarning labelledMechanism mechanismUnknown controlledSubstanceSchedule
adverseReaction qualifier product unii chembl iupharLigand drugcentral brandName liverInjuryConcern
""")
EXTENSIONS = [
    "Organization",
    *EXTENSION_PROPERTIES,
    *LAYER_ROLE_TERMS,
    *REFERENCE_TERMS,
    *ASSESSMENT_TERMS,
]

PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def rgo_subjects(graph: Graph, rdf_type: URIRef) -> set[URIRef]:
    return {s for s in graph.subjects(RDF.type, rdf_type) if isinstance(s, URIRef) and s in RGO}


def declared_terms(graph: Graph) -> set[URIRef]:
    """Every rgo: IRI that the ontology types (class, property or individual)."""
    return {
        s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(NS)
    }


def kb_files() -> list[Path]:
    return sorted(KB_DIR.glob("*.ttl"))


def require_kb() -> list[Path]:
    files = kb_files()
    assert files, (
        f"no knowledge-base files in {KB_DIR.relative_to(ROOT)}/*.ttl: the KB (guide.ttl, "
        "curation.ttl, identifiers.ttl) must exist for this test to mean anything"
    )
    return files


# --- the file -----------------------------------------------------------------------


def test_ontology_parses_in_rdflib_and_oxigraph(onto: Graph) -> None:
    store = ox.Store()
    store.load(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE)
    assert len(store) == len(onto) > 500


def test_ontology_header(onto: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    for prop in (DCTERMS.title, DCTERMS.description, OWL.versionInfo, DCTERMS.license):
        assert onto.value(ONTOLOGY_IRI, prop) is not None, f"ontology header lacks {prop}"
    created = onto.value(ONTOLOGY_IRI, DCTERMS.created)
    assert isinstance(created, Literal) and created.datatype is not None


def test_ontology_has_no_machine_paths() -> None:
    text = ONTOLOGY.read_text(encoding="utf-8")
    assert str(ROOT.parent) not in text and "file:" not in text


# --- labels and definitions ---------------------------------------------------------


def test_every_term_has_one_english_label_and_one_one_line_definition(onto: Graph) -> None:
    terms = declared_terms(onto)
    assert len(terms) > 100
    problems = []
    for term in sorted(terms):
        labels = list(onto.objects(term, RDFS.label))
        if len(labels) != 1 or not isinstance(labels[0], Literal) or labels[0].language != "en":
            problems.append(f"{term}: labels {labels!r}")
        definitions = list(onto.objects(term, SKOS.definition))
        if len(definitions) != 1:
            problems.append(f"{term}: {len(definitions)} skos:definition")
        elif "\n" in str(definitions[0]) or not str(definitions[0]).strip():
            problems.append(f"{term}: definition is not one non-empty line")
    assert not problems, "\n".join(problems)


def test_labels_are_unique(onto: Graph) -> None:
    seen: dict[str, URIRef] = {}
    for term in declared_terms(onto):
        label = str(onto.value(term, RDFS.label)).lower()
        assert label not in seen, f"{term} and {seen[label]} share the label {label!r}"
        seen[label] = term


# --- the contract -------------------------------------------------------------------


def test_contract_classes_are_declared(onto: Graph) -> None:
    classes = rgo_subjects(onto, OWL.Class)
    missing = {RGO[n] for n in [*CONTRACT_CLASSES, "Organization"]} - classes
    assert not missing, f"classes missing: {sorted(missing)}"


def test_contract_properties_are_declared(onto: Graph) -> None:
    object_props = rgo_subjects(onto, OWL.ObjectProperty)
    missing = {RGO[n] for n in [*CONTRACT_OBJECT_PROPERTIES, *EXTENSION_PROPERTIES]}
    assert not (missing - object_props), sorted(missing - object_props)
    data_props = rgo_subjects(onto, OWL.DatatypeProperty) | rgo_subjects(
        onto, OWL.AnnotationProperty
    )
    missing = {RGO[n] for n in CONTRACT_DATA_PROPERTIES} - data_props
    assert not missing, sorted(missing)


def test_no_undeclared_extras(onto: Graph) -> None:
    """Everything in the ontology is in the contract or a listed extension."""
    known = {
        RGO[n]
        for n in [
            *CONTRACT_CLASSES,
            *CONTRACT_OBJECT_PROPERTIES,
            *CONTRACT_DATA_PROPERTIES,
            *CONTRACT_EVIDENCE_KINDS,
            *CONTRACT_FLAG_KINDS,
            *EXTENSIONS,
        ]
    }
    assert declared_terms(onto) == known


def test_evidence_and_flag_kinds_are_named_individuals(onto: Graph) -> None:
    evidence = rgo_subjects(onto, RGO.EvidenceKind)
    flags = rgo_subjects(onto, RGO.FlagKind)
    assert evidence == {RGO[n] for n in CONTRACT_EVIDENCE_KINDS}
    assert flags == {RGO[n] for n in CONTRACT_FLAG_KINDS}
    for kind in evidence | flags:
        assert (kind, RDF.type, OWL.NamedIndividual) in onto


def test_properties_have_domains_and_ranges(onto: Graph) -> None:
    # provenance properties apply to any node: no domain
    any_domain = {RGO.evidence, RGO.evidenceKind}
    for prop in rgo_subjects(onto, OWL.ObjectProperty):
        if prop not in any_domain:
            assert onto.value(prop, RDFS.domain) is not None, f"{prop} has no rdfs:domain"
        if prop != RGO.flags:
            assert onto.value(prop, RDFS.range) is not None, f"{prop} has no rdfs:range"
    for prop in rgo_subjects(onto, OWL.DatatypeProperty):
        assert onto.value(prop, RDFS.range) is not None, f"{prop} has no rdfs:range"


def test_drug_or_drug_class_domains_are_unions(onto: Graph) -> None:
    domain = onto.value(RGO.hasMechanism, RDFS.domain)
    members = onto.value(domain, OWL.unionOf)
    assert members is not None
    assert set(onto.items(members)) == {RGO.Drug, RGO.DrugClass}


def test_inverses(onto: Graph) -> None:
    for a, b in CONTRACT_INVERSES:
        assert (RGO[a], OWL.inverseOf, RGO[b]) in onto, f"rgo:{a} owl:inverseOf rgo:{b} missing"


def test_alignments(onto: Graph) -> None:
    expected = [
        (RGO.Drug, RDFS.subClassOf, SCHEMA.Drug),
        (RGO.DrugClass, RDFS.subClassOf, SCHEMA.DrugClass),
        (RGO.Condition, RDFS.subClassOf, SCHEMA.MedicalCondition),
        (RGO.Price, RDFS.subClassOf, SCHEMA.DrugCost),
        (RGO.Person, RDFS.subClassOf, SCHEMA.Person),
        (RGO.Disease, RDFS.subClassOf, RGO.Condition),
        (RGO.Symptom, RDFS.subClassOf, RGO.Condition),
        (RGO.Expert, RDFS.subClassOf, RGO.Person),
        (RGO.GuideStatement, RDFS.subClassOf, RDF.Statement),
        (RGO.GuideStatement, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")),
        (RGO.CuratedStatement, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")),
        (RGO.Quote, RDFS.subClassOf, URIRef("http://www.w3.org/ns/oa#TextQuoteSelector")),
        (RGO.Quote, RDFS.subClassOf, URIRef("http://www.w3.org/ns/oa#TextPositionSelector")),
        (RGO.ClassList, RDFS.subClassOf, SKOS.ConceptScheme),
        # RO:0002606 "is substance that treats" (checked in the RO source)
        (RGO.treats, RDFS.subPropertyOf, OBO.RO_0002606),
        (RGO.identifier, RDFS.subPropertyOf, DCTERMS.identifier),
    ]
    for triple in expected:
        assert triple in onto, f"missing alignment {triple}"
    for prop in words(
        "chebi drugbank atc pubchemCompound mesh rxnorm uniprot hgnc mondo doid hpo umls"
    ):
        assert (RGO[prop], RDFS.subPropertyOf, RGO.identifier) in onto


def test_schema_org_is_written_with_http(onto: Graph) -> None:
    used = {str(o) for o in onto.objects() if isinstance(o, URIRef)}
    assert any(u.startswith("http://schema.org/") for u in used)
    assert not any(u.startswith("https://schema.org/") for u in used)


# --- the code vocabulary ------------------------------------------------------------


def test_rgo_in_code_equals_ontology(onto: Graph) -> None:
    in_code = set(dir(RGO))
    in_ontology = declared_terms(onto)
    assert in_code - in_ontology == set(), "in RGO but not in the ontology"
    assert in_ontology - in_code == set(), "in the ontology but not in RGO"


def test_misspelt_rgo_term_raises() -> None:
    assert RGO.treats == URIRef(NS + "treats")
    with pytest.raises(AttributeError):
        _ = RGO.treat
    with pytest.raises(AttributeError):
        _ = RGO["hasSideEffects"]


def test_prefixes() -> None:
    assert PREFIXES["rgo"] == NS == str(RGO)
    assert PREFIXES["rg"] == str(RG) == "https://w3id.org/relaxgraph/id/"
    assert PREFIXES["schema"] == "http://schema.org/"
    for prefix in words("rg rgo rdf rdfs owl xsd skos schema prov oa dcterms obo sh"):
        assert f"PREFIX {prefix}: <{PREFIXES[prefix]}>\n" in PREFIXES_SPARQL
    # the PREFIX lines make a query parse in both engines
    query = PREFIXES_SPARQL + "SELECT ?c WHERE { ?c a owl:Class ; rdfs:subClassOf schema:Drug }"
    store = ox.Store()
    store.load(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE)
    rows = store.query(query)
    assert isinstance(rows, ox.QuerySolutions)
    assert [r["c"].value for r in rows] == [str(RGO.Drug)]


def test_iris_module_does_not_import_rdflib() -> None:
    code = "import sys, relaxgraph._iris; sys.exit('rdflib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --- the knowledge base against the ontology ----------------------------------------


def test_every_rgo_term_used_in_the_kb_is_declared(onto: Graph) -> None:
    declared = declared_terms(onto)
    undeclared: dict[str, set[str]] = {}
    for path in require_kb():
        kb = Graph().parse(path, format="turtle")
        used = {t for triple in kb for t in triple if isinstance(t, URIRef) and t.startswith(NS)}
        if used - declared:
            undeclared[path.name] = {str(t) for t in used - declared}
    assert not undeclared, f"rgo: terms used but not declared in the ontology: {undeclared}"


def _closure(graph: Graph) -> float:
    import owlrl

    start = time.perf_counter()
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(graph)
    return time.perf_counter() - start


def test_owlrl_closure_of_a_small_graph_infers_the_class_hierarchy(onto: Graph) -> None:
    graph = Graph()
    graph += onto
    graph.parse(
        data="""
        @prefix rg: <https://w3id.org/relaxgraph/id/> .
        @prefix rgo: <https://w3id.org/relaxgraph/ontology#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        rg:root a rgo:DrugClass, owl:Class .
        rg:sub a rgo:DrugClass, owl:Class ; rdfs:subClassOf rg:root .
        rg:x a rgo:Drug, rg:sub ; rgo:treats rg:y .
        rg:y a rgo:Disease .
        """,
        format="turtle",
    )
    _closure(graph)
    assert (RG.x, RDF.type, RG.root) in graph
    assert (RG.y, RGO.treatedBy, RG.x) in graph  # owl:inverseOf
    assert (RG.x, OBO.RO_0002606, RG.y) in graph  # rdfs:subPropertyOf
    assert (RG.y, RDF.type, SCHEMA.MedicalCondition) in graph
    assert (RG.x, RDF.type, SCHEMA.Drug) in graph


def test_owlrl_closure_of_ontology_and_kb_types_every_drug_as_a_muscle_relaxant(
    onto: Graph,
) -> None:
    graph = Graph()
    graph += onto
    # The reference layer (two thirds of the triples) is left out of the closure: it types no
    # individual with a drug class (its class memberships are its sources' claims, reified),
    # which is checked here, so it cannot hide a drug that is not a muscle relaxant.
    reference = Graph()
    for path in require_kb():
        (reference if path.name == "reference.ttl" else graph).parse(path, format="turtle")
    root = RG["muscle-relaxants"]
    assert (root, RDF.type, RGO.DrugClass) in graph, "rg:muscle-relaxants is not an rgo:DrugClass"
    classes = set(graph.subjects(RDF.type, RGO.DrugClass)) | set(
        reference.subjects(RDF.type, RGO.DrugClass)
    )
    assert not [t for t in reference.triples((None, RDF.type, None)) if t[2] in classes]
    seconds = _closure(graph)
    assert seconds < 60, f"owlrl took {seconds:.1f} s"
    drug_classes = set(graph.subjects(RDF.type, RGO.DrugClass))
    members = {
        s for c in drug_classes for s in graph.subjects(RDF.type, c) if s not in drug_classes
    }
    assert members, "no individual is typed with a drug class"
    not_relaxants = sorted(str(m) for m in members if (m, RDF.type, root) not in graph)
    assert not not_relaxants, (
        f"typed with a drug class but not rg:muscle-relaxants: {not_relaxants}"
    )
