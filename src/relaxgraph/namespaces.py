"""The relaxgraph namespaces as ``rdflib`` objects, and the SPARQL prefixes.

``RGO`` is a closed namespace: every term of ``ontology/relaxgraph.ttl`` is listed, and a
misspelt term raises instead of minting a new IRI:

>>> RGO.treats
rdflib.term.URIRef('https://w3id.org/relaxgraph/ontology#treats')
>>> RGO.treat
Traceback (most recent call last):
...
AttributeError: term 'treat' not in namespace 'https://w3id.org/relaxgraph/ontology#'
>>> RG["baclofen"]
rdflib.term.URIRef('https://w3id.org/relaxgraph/id/baclofen')
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

from relaxgraph._iris import PREFIXES, RG_NS, RGO_NS, RGSH_NS, SCHEMA_NS, prefixes_sparql

__all__ = [
    "DCTERMS",
    "OA",
    "OBO",
    "PREFIXES",
    "PREFIXES_SPARQL",
    "PROV",
    "RG",
    "RGO",
    "RGSH",
    "SCHEMA",
    "SH",
]


class RGO(DefinedNamespace):
    """The relaxgraph ontology (``rgo:``): classes, properties, evidence and flag kinds."""

    _NS = Namespace(RGO_NS)
    _fail = True

    # Classes (rgo:CaseStudy and rgo:Testimonial are also evidence kinds)
    AdministrationRoute: URIRef
    AnatomicalSite: URIRef
    BrandName: URIRef
    CaseStudy: URIRef
    CitedStudy: URIRef
    ClassList: URIRef
    ClassListEntry: URIRef
    ComplementaryTherapy: URIRef
    Condition: URIRef
    CuratedStatement: URIRef
    Disease: URIRef
    DosageForm: URIRef
    Drug: URIRef
    DrugClass: URIRef
    EvidenceKind: URIRef
    Expert: URIRef
    Flag: URIRef
    FlagKind: URIRef
    GuideStatement: URIRef
    Journal: URIRef
    MechanismOfAction: URIRef
    Neurotransmitter: URIRef
    Organization: URIRef
    Person: URIRef
    Price: URIRef
    Program: URIRef
    Quote: URIRef
    Receptor: URIRef
    Section: URIRef
    SideEffect: URIRef
    SourceDocument: URIRef
    Statistic: URIRef
    Symptom: URIRef
    Testimonial: URIRef
    TherapeuticEffect: URIRef
    Tolerance: URIRef
    ToleranceSign: URIRef
    TreatmentAdjustment: URIRef
    WithdrawalSymptom: URIRef

    # Object properties
    aboutDrug: URIRef
    actsAt: URIRef
    actsOnMuscleType: URIRef
    addressedBy: URIRef
    administrationRoute: URIRef
    brandOf: URIRef
    claimedFigure: URIRef
    conductedBy: URIRef
    covers: URIRef
    evidence: URIRef
    evidenceKind: URIRef
    flagKind: URIRef
    flags: URIRef
    hasBrandName: URIRef
    hasCondition: URIRef
    hasDosageForm: URIRef
    hasMechanism: URIRef
    hasPrice: URIRef
    hasSideEffect: URIRef
    hasSign: URIRef
    hasTherapeuticEffect: URIRef
    hasWithdrawalSymptom: URIRef
    inList: URIRef
    involvesNeurotransmitter: URIRef
    listedExample: URIRef
    listsClass: URIRef
    measure: URIRef
    offeredBy: URIRef
    population: URIRef
    priceOf: URIRef
    publishedIn: URIRef
    reportsEffect: URIRef
    reportsSideEffect: URIRef
    reportsTolerance: URIRef
    sideEffectOf: URIRef
    subject: URIRef
    targetOf: URIRef
    targets: URIRef
    toleranceTo: URIRef
    treatedBy: URIRef
    treats: URIRef
    usedWith: URIRef

    # Datatype properties
    age: URIRef
    atc: URIRef
    chebi: URIRef
    checkedIn: URIRef
    currency: URIRef
    doid: URIRef
    drugbank: URIRef
    heading: URIRef
    hgnc: URIRef
    hpo: URIRef
    identifier: URIRef
    maxPrice: URIRef
    mesh: URIRef
    minPrice: URIRef
    mondo: URIRef
    percentage: URIRef
    percentageQualifier: URIRef
    position: URIRef
    pubchemCompound: URIRef
    reason: URIRef
    referenceGiven: URIRef
    rxnorm: URIRef
    sectionNumber: URIRef
    studyDesign: URIRef
    supplyDays: URIRef
    umls: URIRef
    uniprot: URIRef

    # Annotation properties
    layerRole: URIRef
    quoteText: URIRef
    tableColumn: URIRef
    tableRow: URIRef

    # Evidence kinds (besides CaseStudy and Testimonial)
    ExpertOpinion: URIRef
    GeneralStatement: URIRef
    HypotheticalExample: URIRef
    SectionHeading: URIRef
    StudyCitedWithoutReference: URIRef
    UnattributedStatistic: URIRef

    # Layer roles (values of rgo:layerRole)
    Provenance: URIRef

    # Flag kinds
    ClassListDisagreement: URIRef
    InternalContradiction: URIRef
    MissingReference: URIRef
    PharmacologicallyUnsupported: URIRef
    TruncatedText: URIRef
    UnsupportedStatistic: URIRef
    Unverifiable: URIRef

    # Assessments (issue 13): classes, verdicts, problem kinds, methods, properties
    Assessment: URIRef
    AssessmentMethod: URIRef
    LabelExcerpt: URIRef
    ProblemKind: URIRef
    Verdict: URIRef
    Contradicted: URIRef
    Imprecise: URIRef
    Inconsistent: URIRef
    NotCheckable: URIRef
    Supported: URIRef
    Unsupported: URIRef
    Computed: URIRef
    Curated: URIRef
    CitationProblem: URIRef
    InaccuratePharmacology: URIRef
    Inconsistency: URIRef
    MissingSafetyInformation: URIRef
    OversimplifiedPharmacology: URIRef
    PromotionalFraming: URIRef
    TestimonialAsEvidence: URIRef
    UnsupportedClaim: URIRef
    UnverifiableCitation: URIRef
    assessedStatement: URIRef
    assessmentMethod: URIRef
    checkName: URIRef
    matchesFlag: URIRef
    problemKind: URIRef
    restsOn: URIRef
    verdict: URIRef
    # Fidelity of the guide layer (issue 13)
    CrossReference: URIRef
    inCrossReference: URIRef
    associatedWith: URIRef
    referenceForm: URIRef
    subSectionOf: URIRef

    # The reference layer (issue 12): classes, action types, flag kind, properties
    ActionType: URIRef
    ActionTypes: URIRef
    Agonist: URIRef
    Antagonist: URIRef
    Blocker: URIRef
    Inhibitor: URIRef
    Modulator: URIRef
    NegativeAllostericModulator: URIRef
    Opener: URIRef
    PositiveAllostericModulator: URIRef
    ReferenceDrug: URIRef
    ReferenceStatement: URIRef
    SourceDataset: URIRef
    SourceDisagreement: URIRef
    SubstanceForm: URIRef
    Target: URIRef
    actionType: URIRef
    adverseReaction: URIRef
    boxedWarning: URIRef
    brandName: URIRef
    chembl: URIRef
    controlledSubstanceSchedule: URIRef
    drugcentral: URIRef
    formRole: URIRef
    hasForm: URIRef
    hasTarget: URIRef
    inClass: URIRef
    iupharLigand: URIRef
    labelSection: URIRef
    labelWarning: URIRef
    labelledDosageForm: URIRef
    labelledIndication: URIRef
    labelledMechanism: URIRef
    labelledRoute: URIRef
    listedIndication: URIRef
    liverInjuryConcern: URIRef
    mechanismUnknown: URIRef
    product: URIRef
    qualifier: URIRef
    retrievedOn: URIRef
    setId: URIRef
    sourceDataset: URIRef
    unii: URIRef


RG = Namespace(RG_NS)
"""Entities, statements, quotes, flags and sections (``rg:``)."""

RGSH = Namespace(RGSH_NS)
"""SHACL shapes (``rgsh:``)."""

SCHEMA = Namespace(SCHEMA_NS)
"""schema.org with its ``http`` namespace (not ``rdflib.namespace.SDO``, which uses https)."""

PROV = Namespace(PREFIXES["prov"])
OA = Namespace(PREFIXES["oa"])
DCTERMS = Namespace(PREFIXES["dcterms"])
OBO = Namespace(PREFIXES["obo"])
SH = Namespace(PREFIXES["sh"])

PREFIXES_SPARQL: str = prefixes_sparql()
"""The ``PREFIX`` lines of :data:`PREFIXES`, to put in front of a SPARQL query."""
