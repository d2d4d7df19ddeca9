# ruff: noqa: RUF001, RUF002  (verbatim quotes of the guide keep its typography)
"""What the guide says, as compact data for ``tools/build_kb.py``.

Every fact here is the guide's own claim, tied to a section number and a short verbatim
fragment of the guide (``build_kb.py`` finds the fragment's offsets in the guide text itself,
so no offset is ever typed by hand).  Nothing here goes beyond the guide; facts from other
sources, and our judgements about the guide's claims (flags), live in ``curation_facts.py``.

Sections are the guide's heading lines: every short stand-alone line (a blank line before and
after it) that does not end in a full stop, including the sub-headings that end in a colon
("Inhibiting the release of excitatory amino acids:") and the numbered ones ("1. The Cost
Advantage of Baclofen").  "See also" lines, the review attributions ("– Sarah, ...") and
the document title (line 1) are not headings.  ``HEADINGS`` lists them in document order;
the build fails if the guide's headings differ.

Evidence kinds (``rgo:`` individuals), abbreviated:
G GeneralStatement, H HypotheticalExample, C CaseStudy, T Testimonial, X ExpertOpinion,
U UnattributedStatistic, S StudyCitedWithoutReference, SH SectionHeading.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

GUIDE_FILE = "000_ea26d7bc678bc55f.txt"
GUIDE_TITLE = "The Functions and Effects of Baclofen – A Comprehensive Guide"

HEADINGS: tuple[str, ...] = (
    "Short General Description of Baclofen",  # 1
    "How Baclofen Functions to Reduce Muscle Tension and Spasms",  # 2
    "Signs of Developing Tolerance to Baclofen and Adjusting the Treatment Plan",  # 3
    "Real-World Success Stories or Case Studies with Baclofen",  # 4
    "Main Classes or Categories of Muscle Relaxant Drugs",  # 5 (class list 1)
    "How Baclofen Functions to Reduce Muscle Tension and Spasms",  # 6
    "Inhibiting the release of excitatory amino acids:",  # 7
    "Targeting GABA-B receptors:",  # 8
    "Improving mobility:",  # 9
    "Enhancing overall quality of life:",  # 10
    "Complementary treatments and combination therapy:",  # 11
    "Signs of developing tolerance to Baclofen and adjusting the treatment plan",  # 12
    "Real-world success stories and case studies with Baclofen",  # 13
    "Case study: Sarah’s remarkable progress with Baclofen therapy",  # 14
    "Success story: John’s increased quality of life with Baclofen",  # 15
    "Statistical data: Baclofen’s effectiveness in various case studies",  # 16
    "Main Classes or Categories of Muscle Relaxant Drugs",  # 17 (class list 2)
    "Baclofen Side Effects and Reviews: What to Expect",  # 18
    "Common Side Effects of Baclofen",  # 19
    "Real User Reviews of Baclofen",  # 20
    "Safety and Precautions",  # 21
    "Baclofen as an Affordable Option for Americans in Need of Cheap Medicines",  # 22
    "1. The Cost Advantage of Baclofen",  # 23
    "2. Accessibility and Availability of Baclofen",  # 24
    "3. Expanding Affordable Healthcare Programs and Baclofen",  # 25
    "4. Public Perception and Patient Satisfaction",  # 26
    "5. Comparative Data on Medication Affordability",  # 27
)

KINDS = {
    "G": "GeneralStatement",
    "H": "HypotheticalExample",
    "C": "CaseStudy",
    "T": "Testimonial",
    "X": "ExpertOpinion",
    "U": "UnattributedStatistic",
    "S": "StudyCitedWithoutReference",
    "SH": "SectionHeading",
}


@dataclass(frozen=True)
class Q:
    """A verbatim fragment of the guide, looked up within section ``sec``."""

    sec: int
    text: str


@dataclass(frozen=True)
class Lit:
    """A literal object; its datatype follows from the predicate (see build_kb.DATATYPES)."""

    value: str | int | Decimal | bool


@dataclass(frozen=True)
class Entity:
    slug: str
    types: tuple[str, ...]  # rgo: class local names, or "owl:Class"
    label: str
    quotes: tuple[Q, ...]
    kind: str = "G"
    alt: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rel:
    """A domain triple.  ``p`` is an rgo: local name, or "type" / "subClassOf"."""

    s: str
    p: str
    o: str | Lit
    q: Q
    kind: str = "G"


ENTITIES: list[Entity] = []
RELATIONS: list[Rel] = []


def ent(
    slug: str,
    types: str,
    label: str,
    sec: int,
    text: str,
    *more: tuple[int, str],
    kind: str = "G",
    alt: tuple[str, ...] = (),
) -> None:
    quotes = (Q(sec, text), *(Q(s, t) for s, t in more))
    ENTITIES.append(Entity(slug, tuple(types.split()), label, quotes, kind, alt))


def rel(
    s: str, p: str, objs: str | Lit | list[str | Lit], sec: int, text: str, kind: str = "G"
) -> None:
    for o in objs if isinstance(objs, list) else [objs]:
        RELATIONS.append(Rel(s, p, o, Q(sec, text), kind))


def lit(value: str | int | Decimal | bool) -> Lit:
    return Lit(value)


# ---------------------------------------------------------------------------------------------
# Drugs and brand names
# ---------------------------------------------------------------------------------------------
BACLOFEN_INTRO = "Baclofen, also known by its brand name Lioresal"
ent("baclofen", "Drug", "baclofen", 1, BACLOFEN_INTRO)
ent("lioresal", "BrandName", "Lioresal", 1, BACLOFEN_INTRO)
rel("lioresal", "brandOf", "baclofen", 1, BACLOFEN_INTRO)

DANTROLENE = "One example of a direct-acting muscle relaxant is dantrolene sodium"
ent("dantrolene-sodium", "Drug", "dantrolene sodium", 17, DANTROLENE)
NMBA_EXAMPLES = "Examples of neuromuscular blocking agents include succinylcholine and vecuronium"
ent("succinylcholine", "Drug", "succinylcholine", 17, NMBA_EXAMPLES)
ent("vecuronium", "Drug", "vecuronium", 17, NMBA_EXAMPLES)
HYOSCINE = "Antispasmodic agents, such as hyoscine butylbromide"
ent("hyoscine-butylbromide", "Drug", "hyoscine butylbromide", 17, HYOSCINE)
DIAZEPAM = "some benzodiazepines, such as diazepam, also possess muscle relaxant effects"
ent("diazepam", "Drug", "diazepam", 17, DIAZEPAM)
# Robaxin appears only in two "See also" link titles: a brand name whose active ingredient the
# guide never names (curation_facts.py resolves it, with a cited source).
ent(
    "robaxin",
    "BrandName",
    "Robaxin",
    8,
    "Exploring the Benefits, Uses, and Cost Considerations of Robaxin Muscle Relaxant Medication",
    (18, "A Guide to Buying Robaxin Online"),
)

# ---------------------------------------------------------------------------------------------
# Drug classes, the two class lists, hierarchy and membership
# ---------------------------------------------------------------------------------------------
L1_INTRO = "Muscle relaxant drugs can be broadly classified into several main categories"
L2_INTRO = "Here are the main categories of muscle relaxant drugs:"
DC = "DrugClass owl:Class"
ent(
    "muscle-relaxants",
    DC,
    "muscle relaxants",
    5,
    L1_INTRO,
    alt=("muscle relaxant drugs", "muscle relaxant"),
)
L1 = {
    1: (
        "centrally-acting-muscle-relaxants",
        "1. Centrally Acting Muscle Relaxants (e.g., Baclofen)",
    ),
    2: ("neuromuscular-blocking-agents", "2. Neuromuscular Blocking Agents"),
    3: ("direct-acting-skeletal-muscle-relaxants", "3. Direct-Acting Skeletal Muscle Relaxants"),
    4: ("benzodiazepines", "4. Benzodiazepines"),
    5: ("other-miscellaneous-muscle-relaxants", "5. Other Miscellaneous Muscle Relaxants"),
}
L2 = {
    1: ("centrally-acting-muscle-relaxants", "1. Centrally Acting Muscle Relaxants"),
    2: ("direct-acting-muscle-relaxants", "2. Direct-Acting Muscle Relaxants"),
    3: ("neuromuscular-blocking-agents", "3. Neuromuscular Blocking Agents"),
    4: ("antispasmodic-agents", "4. Antispasmodic Agents"),
    5: ("benzodiazepines", "5. Benzodiazepines"),
}
ent(
    "centrally-acting-muscle-relaxants",
    DC,
    "centrally acting muscle relaxants",
    5,
    L1[1][1],
    alt=("Centrally Acting Muscle Relaxants",),
)
ent(
    "neuromuscular-blocking-agents",
    DC,
    "neuromuscular blocking agents",
    5,
    L1[2][1],
    alt=("Neuromuscular Blocking Agents",),
)
ent(
    "direct-acting-skeletal-muscle-relaxants",
    DC,
    "direct-acting skeletal muscle relaxants",
    5,
    L1[3][1],
    alt=("Direct-Acting Skeletal Muscle Relaxants",),
)
ent("benzodiazepines", DC, "benzodiazepines", 5, L1[4][1], alt=("Benzodiazepines",))
ent(
    "other-miscellaneous-muscle-relaxants",
    DC,
    "other miscellaneous muscle relaxants",
    5,
    L1[5][1],
    alt=("Other Miscellaneous Muscle Relaxants",),
)
ent(
    "antispasmodics",
    DC,
    "antispasmodics",
    5,
    "antispasmodics, which primarily alleviate muscle spasms",
)
ent(
    "antispasticity-agents",
    DC,
    "antispasticity agents",
    5,
    "antispasticity agents, which target muscle stiffness associated with neurological conditions",
)
ent(
    "direct-acting-muscle-relaxants",
    DC,
    "direct-acting muscle relaxants",
    17,
    L2[2][1],
    alt=("Direct-Acting Muscle Relaxants",),
)
ent("antispasmodic-agents", DC, "antispasmodic agents", 17, L2[4][1], alt=("Antispasmodic Agents",))
ent(
    "gaba-b-receptor-agonists",
    DC,
    "GABA-B receptor agonists",
    1,
    "It falls into the class of medications called GABA-B receptor agonists",
)

ent(
    "class-list-1",
    "ClassList",
    "Main classes of muscle relaxant drugs (list 1, section 5)",
    5,
    L1_INTRO,
)
ent(
    "class-list-2",
    "ClassList",
    "Main classes of muscle relaxant drugs (list 2, section 17)",
    17,
    L2_INTRO,
)
EXAMPLES = {
    (1, 1): ["baclofen"],
    (2, 1): ["baclofen"],
    (2, 2): ["dantrolene-sodium"],
    (2, 3): ["succinylcholine", "vecuronium"],
    (2, 4): ["hyoscine-butylbromide"],
    (2, 5): ["diazepam"],
}
EXAMPLE_QUOTES = {
    (1, 1): (5, L1[1][1]),
    (2, 1): (17, "These medications, such as Baclofen"),
    (2, 2): (17, DANTROLENE),
    (2, 3): (17, NMBA_EXAMPLES),
    (2, 4): (17, HYOSCINE),
    (2, 5): (17, DIAZEPAM),
}
for n, (sec, entries) in ((1, (5, L1)), (2, (17, L2))):
    for pos, (cls, text) in entries.items():
        entry = f"class-list-{n}-entry-{pos}"
        ent(entry, "ClassListEntry", f"List {n}, entry {pos}: {text.split('. ', 1)[1]}", sec, text)
        rel(entry, "inList", f"class-list-{n}", sec, text)
        rel(entry, "position", lit(pos), sec, text)
        rel(entry, "listsClass", cls, sec, text)
        if (n, pos) in EXAMPLES:
            qsec, qtext = EXAMPLE_QUOTES[(n, pos)]
            rel(entry, "listedExample", list(EXAMPLES[(n, pos)]), qsec, qtext)
        # every class in either list is a kind of muscle relaxant drug, as the list says
        rel(cls, "subClassOf", "muscle-relaxants", sec, text)

SUBCLASSES = (
    "They can be further classified into two subclasses: antispasmodics, which primarily "
    "alleviate muscle spasms, and antispasticity agents"
)
rel("antispasmodics", "subClassOf", "direct-acting-skeletal-muscle-relaxants", 5, SUBCLASSES)
rel("antispasticity-agents", "subClassOf", "direct-acting-skeletal-muscle-relaxants", 5, SUBCLASSES)

# membership (rdf:type, reified)
rel("baclofen", "type", "muscle-relaxants", 1, "is a widely prescribed muscle relaxant drug")
rel(
    "baclofen",
    "type",
    "muscle-relaxants",
    6,
    "Baclofen, a muscle relaxant drug, works by targeting",
)
rel("baclofen", "type", "muscle-relaxants", 13, "Baclofen, a muscle relaxant drug, has shown")
rel("baclofen", "type", "muscle-relaxants", 22, "Baclofen, a muscle relaxant drug, not only offers")
rel(
    "baclofen",
    "type",
    "gaba-b-receptor-agonists",
    1,
    "It falls into the class of medications called GABA-B receptor agonists",
)
rel("baclofen", "type", "centrally-acting-muscle-relaxants", 5, L1[1][1])
rel(
    "baclofen",
    "type",
    "centrally-acting-muscle-relaxants",
    17,
    "1. Centrally Acting Muscle Relaxants: These medications, such as Baclofen",
)
rel("dantrolene-sodium", "type", "direct-acting-muscle-relaxants", 17, DANTROLENE)
rel("succinylcholine", "type", "neuromuscular-blocking-agents", 17, NMBA_EXAMPLES)
rel("vecuronium", "type", "neuromuscular-blocking-agents", 17, NMBA_EXAMPLES)
rel("hyoscine-butylbromide", "type", "antispasmodic-agents", 17, HYOSCINE)
rel("diazepam", "type", "benzodiazepines", 17, DIAZEPAM)

# ---------------------------------------------------------------------------------------------
# Receptors, neurotransmitters, anatomical sites, mechanisms
# ---------------------------------------------------------------------------------------------
ent(
    "gaba-b-receptor",
    "Receptor",
    "GABA-B receptor",
    2,
    "activating GABA-B receptors in the brain and spinal cord",
    alt=("GABA-B receptors",),
)
ent("gaba-receptors", "Receptor", "GABA receptors", 2, "enhancing the activity of GABA receptors")
ent(
    "gaba",
    "Neurotransmitter",
    "GABA",
    2,
    "GABA is an inhibitory neurotransmitter that dampens nerve activity",
    (17, "a neurotransmitter called gamma-aminobutyric acid (GABA)"),
    alt=("gamma-aminobutyric acid",),
)
ent(
    "excitatory-amino-acids",
    "Neurotransmitter",
    "excitatory amino acids",
    2,
    "excitatory amino acids, which are neurotransmitters",
)

ent("spinal-cord", "AnatomicalSite", "spinal cord", 1, "certain nerve signals in the spinal cord")
ent("brain", "AnatomicalSite", "brain", 2, "GABA-B receptors in the brain and spinal cord")
ent(
    "central-nervous-system",
    "AnatomicalSite",
    "central nervous system",
    5,
    "primarily target the central nervous system",
)
ent(
    "neuromuscular-junction",
    "AnatomicalSite",
    "neuromuscular junction",
    5,
    "block neuromuscular transmission at the neuromuscular junction",
)
ent(
    "skeletal-muscle",
    "AnatomicalSite",
    "skeletal muscle",
    5,
    "temporary paralysis of skeletal muscles",
    alt=("skeletal muscles",),
)
ent(
    "skeletal-muscle-fibers",
    "AnatomicalSite",
    "skeletal muscle fibers",
    5,
    "act directly on skeletal muscle fibers",
)
ent("muscle-fibers", "AnatomicalSite", "muscle fibers", 17, "directly target the muscle fibers")
ent(
    "smooth-muscle",
    "AnatomicalSite",
    "smooth muscle",
    17,
    "These drugs primarily target smooth muscle",
)

GABA_B_AGONISM_2 = (
    "The mechanism of action of Baclofen involves activating GABA-B receptors in "
    "the brain and spinal cord"
)
GABA_B_AGONISM_8 = (
    "Baclofen functions as a GABA-B receptor agonist, meaning it stimulates the "
    "GABA-B receptors in the spinal cord"
)
ent("gaba-b-receptor-agonism", "MechanismOfAction", "GABA-B receptor agonism", 8, GABA_B_AGONISM_8)
EAA_2 = (
    "Baclofen exerts its therapeutic effects by inhibiting the release of excitatory amino acids"
)
EAA_7 = (
    "One of the key ways Baclofen reduces muscle tension and spasms is by inhibiting the "
    "release of excitatory amino acids in the spinal cord"
)
ent(
    "inhibition-of-excitatory-amino-acid-release",
    "MechanismOfAction",
    "inhibition of the release of excitatory amino acids",
    2,
    EAA_2,
)
SUPPRESS_1 = (
    "GABA-B receptor agonists, which work by suppressing certain nerve signals in the spinal cord"
)
SUPPRESS_6 = (
    "works by targeting the spinal cord and suppressing the activity of specific nerve signals"
)
ent(
    "suppression-of-nerve-signals-in-the-spinal-cord",
    "MechanismOfAction",
    "suppression of nerve signals in the spinal cord",
    1,
    SUPPRESS_1,
)
ENHANCE_RECEPTORS = (
    "By enhancing the activity of GABA receptors, Baclofen further decreases the "
    "transmission of excitatory signals"
)
ent(
    "enhancement-of-gaba-receptor-activity",
    "MechanismOfAction",
    "enhancement of the activity of GABA receptors",
    2,
    ENHANCE_RECEPTORS,
)
ENHANCE_GABA_8 = (
    "By activating the GABA-B receptors, Baclofen enhances the inhibitory effects of GABA"
)
ENHANCE_GABA_17 = (
    "They work by enhancing the inhibitory effects of a neurotransmitter called "
    "gamma-aminobutyric acid (GABA) in the central nervous system"
)
ent(
    "enhancement-of-gaba-inhibitory-effects",
    "MechanismOfAction",
    "enhancement of the inhibitory effects of GABA",
    8,
    ENHANCE_GABA_8,
    (17, ENHANCE_GABA_17),
)
NMB_5 = "These medications block neuromuscular transmission at the neuromuscular junction"
NMB_17 = "These medications block the transmission of nerve impulses at the neuromuscular junction"
ent(
    "neuromuscular-transmission-blockade",
    "MechanismOfAction",
    "blockade of neuromuscular transmission",
    5,
    NMB_5,
    (17, NMB_17),
)
DIRECT_5 = "These drugs act directly on skeletal muscle fibers to induce relaxation"
DIRECT_17 = (
    "These muscle relaxants directly target the muscle fibers and interfere with their "
    "ability to contract"
)
ent(
    "direct-action-on-muscle-fibers",
    "MechanismOfAction",
    "direct action on muscle fibers",
    5,
    DIRECT_5,
    (17, DIRECT_17),
)
SMOOTH_17 = (
    "They work by relaxing the smooth muscle, reducing spasms, and relieving associated symptoms"
)
ent("smooth-muscle-relaxation", "MechanismOfAction", "relaxation of smooth muscle", 17, SMOOTH_17)

# baclofen
rel("baclofen", "hasMechanism", "gaba-b-receptor-agonism", 2, GABA_B_AGONISM_2)
rel("baclofen", "hasMechanism", "gaba-b-receptor-agonism", 8, GABA_B_AGONISM_8)
rel("baclofen", "hasMechanism", "gaba-b-receptor-agonism", 11, "stimulation of GABA-B receptors")
rel(
    "baclofen",
    "hasMechanism",
    "gaba-b-receptor-agonism",
    17,
    "Baclofen is a GABA-B receptor agonist",
)
rel("baclofen", "targets", "gaba-b-receptor", 2, GABA_B_AGONISM_2)
rel("baclofen", "targets", "gaba-b-receptor", 8, GABA_B_AGONISM_8)
rel("gaba-b-receptor-agonism", "targets", "gaba-b-receptor", 8, GABA_B_AGONISM_8)
rel("gaba-b-receptor-agonism", "actsAt", ["brain", "spinal-cord"], 2, GABA_B_AGONISM_2)
rel("gaba-b-receptor-agonism", "actsAt", "spinal-cord", 8, GABA_B_AGONISM_8)
rel("gaba-b-receptor", "involvesNeurotransmitter", "gaba", 8, ENHANCE_GABA_8)
rel("baclofen", "hasMechanism", "inhibition-of-excitatory-amino-acid-release", 2, EAA_2)
rel("baclofen", "hasMechanism", "inhibition-of-excitatory-amino-acid-release", 7, EAA_7)
rel(
    "baclofen",
    "hasMechanism",
    "inhibition-of-excitatory-amino-acid-release",
    11,
    "lies in its inhibition of excitatory amino acids",
)
rel(
    "inhibition-of-excitatory-amino-acid-release",
    "involvesNeurotransmitter",
    "excitatory-amino-acids",
    2,
    EAA_2,
)
rel("inhibition-of-excitatory-amino-acid-release", "actsAt", "spinal-cord", 7, EAA_7)
rel("baclofen", "hasMechanism", "suppression-of-nerve-signals-in-the-spinal-cord", 6, SUPPRESS_6)
rel("baclofen", "actsAt", "spinal-cord", 6, SUPPRESS_6)
rel("baclofen", "actsAt", "spinal-cord", 9, "Through its action on the spinal cord")
rel("suppression-of-nerve-signals-in-the-spinal-cord", "actsAt", "spinal-cord", 1, SUPPRESS_1)
rel(
    "gaba-b-receptor-agonists",
    "hasMechanism",
    "suppression-of-nerve-signals-in-the-spinal-cord",
    1,
    SUPPRESS_1,
)
rel("baclofen", "hasMechanism", "enhancement-of-gaba-receptor-activity", 2, ENHANCE_RECEPTORS)
rel("enhancement-of-gaba-receptor-activity", "targets", "gaba-receptors", 2, ENHANCE_RECEPTORS)
rel("baclofen", "hasMechanism", "enhancement-of-gaba-inhibitory-effects", 8, ENHANCE_GABA_8)
rel("enhancement-of-gaba-inhibitory-effects", "involvesNeurotransmitter", "gaba", 8, ENHANCE_GABA_8)
rel(
    "enhancement-of-gaba-inhibitory-effects",
    "involvesNeurotransmitter",
    "gaba",
    17,
    ENHANCE_GABA_17,
)

# classes
CENTRAL_5 = (
    "These drugs primarily target the central nervous system, acting on the brain and "
    "spinal cord to reduce muscle spasms and promote relaxation"
)
CENTRAL_17 = "work by targeting the central nervous system, specifically the spinal cord"
rel(
    "centrally-acting-muscle-relaxants",
    "actsAt",
    ["central-nervous-system", "brain", "spinal-cord"],
    5,
    CENTRAL_5,
)
rel(
    "centrally-acting-muscle-relaxants",
    "actsAt",
    ["central-nervous-system", "spinal-cord"],
    17,
    CENTRAL_17,
)
rel(
    "centrally-acting-muscle-relaxants",
    "hasMechanism",
    "suppression-of-nerve-signals-in-the-spinal-cord",
    17,
    "They suppress nerve signals that cause increased muscle activity and spasms",
)
rel(
    "neuromuscular-blocking-agents", "hasMechanism", "neuromuscular-transmission-blockade", 5, NMB_5
)
rel(
    "neuromuscular-blocking-agents",
    "hasMechanism",
    "neuromuscular-transmission-blockade",
    17,
    NMB_17,
)
rel("neuromuscular-blocking-agents", "actsAt", "neuromuscular-junction", 5, NMB_5)
rel("neuromuscular-blocking-agents", "actsAt", "neuromuscular-junction", 17, NMB_17)
rel("neuromuscular-transmission-blockade", "actsAt", "neuromuscular-junction", 5, NMB_5)
rel("neuromuscular-transmission-blockade", "actsAt", "neuromuscular-junction", 17, NMB_17)
rel(
    "neuromuscular-blocking-agents",
    "actsOnMuscleType",
    "skeletal-muscle",
    5,
    "leading to temporary paralysis of skeletal muscles",
)
rel(
    "direct-acting-skeletal-muscle-relaxants",
    "hasMechanism",
    "direct-action-on-muscle-fibers",
    5,
    DIRECT_5,
)
rel("direct-acting-skeletal-muscle-relaxants", "actsAt", "skeletal-muscle-fibers", 5, DIRECT_5)
rel("direct-acting-skeletal-muscle-relaxants", "actsOnMuscleType", "skeletal-muscle", 5, DIRECT_5)
rel("direct-action-on-muscle-fibers", "actsAt", "skeletal-muscle-fibers", 5, DIRECT_5)
rel("direct-action-on-muscle-fibers", "actsAt", "muscle-fibers", 17, DIRECT_17)
rel(
    "direct-acting-muscle-relaxants",
    "hasMechanism",
    "direct-action-on-muscle-fibers",
    17,
    DIRECT_17,
)
rel("direct-acting-muscle-relaxants", "actsAt", "muscle-fibers", 17, DIRECT_17)
rel(
    "antispasmodic-agents",
    "actsOnMuscleType",
    "smooth-muscle",
    17,
    "These drugs primarily target smooth muscle",
)
rel("antispasmodic-agents", "hasMechanism", "smooth-muscle-relaxation", 17, SMOOTH_17)
rel("smooth-muscle-relaxation", "actsAt", "smooth-muscle", 17, SMOOTH_17)
rel(
    "benzodiazepines", "hasMechanism", "enhancement-of-gaba-inhibitory-effects", 17, ENHANCE_GABA_17
)
rel("benzodiazepines", "actsAt", "central-nervous-system", 17, ENHANCE_GABA_17)

# ---------------------------------------------------------------------------------------------
# Dosage forms and routes
# ---------------------------------------------------------------------------------------------
FORMS = "Baclofen is available in both oral tablet form and as an intrathecal injection"
ent("oral-tablet", "DosageForm", "oral tablet", 1, FORMS)
ent("intrathecal-injection", "DosageForm", "intrathecal injection", 1, FORMS)
ent("oral", "AdministrationRoute", "oral", 1, "oral tablet form")
ent(
    "intrathecal",
    "AdministrationRoute",
    "intrathecal",
    1,
    "as an intrathecal injection, where it is administered directly into the spinal fluid",
)
ent("intravenous", "AdministrationRoute", "intravenous", 17, "administered intravenously")
rel("baclofen", "hasDosageForm", ["oral-tablet", "intrathecal-injection"], 1, FORMS)
rel("baclofen", "administrationRoute", ["oral", "intrathecal"], 1, FORMS)
rel("oral-tablet", "administrationRoute", "oral", 1, "oral tablet form")
rel(
    "intrathecal-injection",
    "administrationRoute",
    "intrathecal",
    1,
    "as an intrathecal injection, where it is administered directly into the spinal fluid",
)
rel(
    "neuromuscular-blocking-agents",
    "administrationRoute",
    "intravenous",
    17,
    "are administered intravenously under close medical supervision",
)

# ---------------------------------------------------------------------------------------------
# Conditions (diseases and symptoms) and what treats them
# ---------------------------------------------------------------------------------------------
CONDITIONS_1 = "associated with various conditions such as multiple sclerosis, spinal cord injuries, and cerebral palsy"
SYMPTOMS_1 = "used to alleviate muscle spasms, stiffness, and pain"
ent("multiple-sclerosis", "Disease", "multiple sclerosis", 1, CONDITIONS_1)
ent(
    "spinal-cord-injuries",
    "Disease",
    "spinal cord injuries",
    1,
    CONDITIONS_1,
    alt=("spinal cord injury",),
)
ent("cerebral-palsy", "Disease", "cerebral palsy", 1, CONDITIONS_1)
DANTROLENE_USES = (
    "It is primarily used for conditions such as muscle spasms associated with "
    "neurological disorders, malignant hyperthermia, and spasticity"
)
ent("malignant-hyperthermia", "Disease", "malignant hyperthermia", 17, DANTROLENE_USES)
ent(
    "neurological-disorders",
    "Disease",
    "neurological disorders",
    17,
    DANTROLENE_USES,
    alt=("neurological conditions",),
)
HYOSCINE_USES = (
    "Antispasmodic agents, such as hyoscine butylbromide, are commonly used to treat "
    "conditions such as irritable bowel syndrome and menstrual cramps"
)
ent("irritable-bowel-syndrome", "Disease", "irritable bowel syndrome", 17, HYOSCINE_USES)
ent("menstrual-cramps", "Symptom", "menstrual cramps", 17, HYOSCINE_USES)
BENZO_5 = "especially in controlling muscle spasms caused by anxiety or stress"
ent("anxiety", "Condition", "anxiety", 5, BENZO_5)
ent("stress", "Condition", "stress", 5, BENZO_5)
ent("muscle-spasms", "Symptom", "muscle spasms", 1, SYMPTOMS_1, alt=("spasms",))
ent("muscle-stiffness", "Symptom", "muscle stiffness", 1, SYMPTOMS_1, alt=("stiffness",))
ent("muscle-pain", "Symptom", "muscle pain", 1, SYMPTOMS_1, alt=("pain",))
ent(
    "muscle-spasticity",
    "Symptom",
    "muscle spasticity",
    3,
    "an increase in muscle spasticity",
    alt=("spasticity",),
)
ent(
    "muscle-tension",
    "Symptom",
    "muscle tension",
    2,
    "resulting in a decrease in muscle tension and spasms",
)
HYOSCINE_STUDY = (
    "hyoscine butylbromide significantly reduced abdominal cramps in over 80% of "
    "patients with irritable bowel syndrome"
)
ent("abdominal-cramps", "Symptom", "abdominal cramps", 17, HYOSCINE_STUDY)

rel("baclofen", "treats", ["muscle-spasms", "muscle-stiffness", "muscle-pain"], 1, SYMPTOMS_1)
for sec, text in (
    (1, CONDITIONS_1),
    (
        6,
        "in patients with conditions such as multiple sclerosis, spinal cord injuries, and cerebral palsy",
    ),
    (
        17,
        "commonly prescribed for conditions like multiple sclerosis, spinal cord injuries, and cerebral palsy",
    ),
):
    rel(
        "baclofen",
        "treats",
        ["multiple-sclerosis", "spinal-cord-injuries", "cerebral-palsy"],
        sec,
        text,
    )
rel(
    "baclofen",
    "treats",
    "muscle-pain",
    12,
    "Baclofen is often prescribed to alleviate muscle pain associated with conditions such as "
    "multiple sclerosis and spinal cord injuries",
)
rel(
    "baclofen",
    "treats",
    "muscle-spasticity",
    12,
    "relying on Baclofen for muscle spasticity management",
)
rel(
    "dantrolene-sodium",
    "treats",
    ["muscle-spasms", "malignant-hyperthermia", "muscle-spasticity"],
    17,
    DANTROLENE_USES,
)
rel(
    "hyoscine-butylbromide",
    "treats",
    ["irritable-bowel-syndrome", "menstrual-cramps"],
    17,
    HYOSCINE_USES,
)
rel("hyoscine-butylbromide", "treats", "abdominal-cramps", 17, HYOSCINE_STUDY, "S")
DIAZEPAM_STUDY = (
    "diazepam was effective in reducing muscle spasticity in patients with cerebral palsy"
)
rel("diazepam", "treats", "muscle-spasticity", 17, DIAZEPAM_STUDY, "S")
# class-level uses (the guide states them of the class; rgo:treats is for drugs, so the class
# claims are recorded as therapeutic effects of the class)
rel(
    "muscle-relaxants",
    "hasTherapeuticEffect",
    "reduction-of-muscle-spasms",
    17,
    "commonly used to treat muscle spasms and related conditions",
)
rel("benzodiazepines", "hasTherapeuticEffect", "reduction-of-muscle-spasms", 5, BENZO_5)
rel(
    "antispasmodics",
    "hasTherapeuticEffect",
    "reduction-of-muscle-spasms",
    5,
    "antispasmodics, which primarily alleviate muscle spasms",
)
rel(
    "antispasticity-agents",
    "hasTherapeuticEffect",
    "reduction-of-muscle-stiffness",
    5,
    "antispasticity agents, which target muscle stiffness associated with neurological conditions",
)

# ---------------------------------------------------------------------------------------------
# Therapeutic effects
# ---------------------------------------------------------------------------------------------
TE = "TherapeuticEffect"
ent(
    "reduction-of-muscle-tension",
    TE,
    "reduction of muscle tension",
    2,
    "resulting in a decrease in muscle tension and spasms",
)
ent(
    "reduction-of-muscle-spasms",
    TE,
    "reduction of muscle spasms",
    2,
    "resulting in a decrease in muscle tension and spasms",
)
ent("muscle-relaxation", TE, "muscle relaxation", 2, "leading to enhanced muscle relaxation")
ent(
    "improved-mobility",
    TE,
    "improved mobility",
    4,
    "the effectiveness of Baclofen in improving mobility",
)
ent(
    "improved-quality-of-life",
    TE,
    "improved quality of life",
    4,
    "enhancing overall quality of life",
)
ent(
    "pain-relief",
    TE,
    "pain relief",
    16,
    "showcases the effectiveness of Baclofen in improving mobility, providing pain relief",
)
ent("improved-range-of-motion", TE, "improved range of motion", 17, "improved range of motion")
ent(
    "reduction-of-muscle-tone",
    TE,
    "reduction of muscle tone",
    17,
    "a significant reduction in muscle tone and spasticity",
)
ent(
    "reduction-of-muscle-spasticity",
    TE,
    "reduction of muscle spasticity",
    17,
    "a significant reduction in muscle tone and spasticity",
)
ent(
    "reduction-of-muscle-stiffness",
    TE,
    "reduction of muscle stiffness",
    20,
    "My muscle stiffness and pain have greatly reduced",
)
ent("reduction-of-abdominal-cramps", TE, "reduction of abdominal cramps", 17, HYOSCINE_STUDY)
ent(
    "decrease-in-muscle-activity",
    TE,
    "decrease in muscle activity",
    17,
    "a 95% decrease in muscle activity",
)
ent(
    "temporary-paralysis-of-skeletal-muscles",
    TE,
    "temporary paralysis of skeletal muscles",
    5,
    "leading to temporary paralysis of skeletal muscles",
)
ent(
    "anxiolytic-effect",
    TE,
    "anxiolytic effect",
    5,
    "primarily recognized for their anxiolytic properties",
)
ent(
    "sedative-effect",
    TE,
    "sedative effect",
    17,
    "primarily known for their anxiolytic and sedative properties",
)
ent(
    "improved-mental-well-being",
    TE,
    "improved mental well-being",
    15,
    "but also boosted my mental well-being",
)
ent("improved-sleep", TE, "improved sleep", 20, "now it helps me sleep better too")

rel(
    "baclofen",
    "hasTherapeuticEffect",
    ["reduction-of-muscle-tension", "reduction-of-muscle-spasms"],
    2,
    "resulting in a decrease in muscle tension and spasms",
)
rel(
    "baclofen",
    "hasTherapeuticEffect",
    ["reduction-of-muscle-tension", "reduction-of-muscle-spasms"],
    6,
    "This mechanism of action helps to reduce muscle tension and spasms",
)
rel(
    "baclofen",
    "hasTherapeuticEffect",
    "muscle-relaxation",
    2,
    "leading to enhanced muscle relaxation",
)
rel("baclofen", "hasTherapeuticEffect", "muscle-relaxation", 7, "result in muscle relaxation")
rel(
    "baclofen",
    "hasTherapeuticEffect",
    "improved-mobility",
    4,
    "the effectiveness of Baclofen in improving mobility",
)
rel(
    "baclofen",
    "hasTherapeuticEffect",
    "improved-mobility",
    9,
    "Baclofen can effectively improve mobility in individuals with muscle stiffness and spasms",
)
rel(
    "baclofen",
    "hasTherapeuticEffect",
    "improved-quality-of-life",
    10,
    "Baclofen has the potential to improve the overall quality of life for patients",
)
rel(
    "baclofen",
    "hasTherapeuticEffect",
    "improved-quality-of-life",
    13,
    "has shown promising results in improving the quality of life",
)
rel(
    "baclofen",
    "hasTherapeuticEffect",
    "pain-relief",
    16,
    "showcases the effectiveness of Baclofen in improving mobility, providing pain relief",
)
JON = (
    "patients who were administered Baclofen experienced a significant reduction in muscle tone "
    "and spasticity, leading to improved mobility and quality of life"
)
rel(
    "baclofen",
    "hasTherapeuticEffect",
    [
        "reduction-of-muscle-tone",
        "reduction-of-muscle-spasticity",
        "improved-mobility",
        "improved-quality-of-life",
    ],
    17,
    JON,
    "S",
)
rel(
    "gaba-b-receptor-agonists",
    "hasTherapeuticEffect",
    ["reduction-of-muscle-tension", "muscle-relaxation"],
    1,
    "to reduce muscle tension and promote relaxation",
)
rel(
    "centrally-acting-muscle-relaxants",
    "hasTherapeuticEffect",
    ["reduction-of-muscle-spasms", "muscle-relaxation"],
    5,
    "acting on the brain and spinal cord to reduce muscle spasms and promote relaxation",
)
rel(
    "centrally-acting-muscle-relaxants",
    "hasTherapeuticEffect",
    "muscle-relaxation",
    17,
    "resulting in muscle relaxation",
)
rel(
    "neuromuscular-blocking-agents",
    "hasTherapeuticEffect",
    "temporary-paralysis-of-skeletal-muscles",
    5,
    "leading to temporary paralysis of skeletal muscles",
)
rel(
    "neuromuscular-blocking-agents",
    "hasTherapeuticEffect",
    "muscle-relaxation",
    17,
    "where nerves communicate with muscles, leading to muscle relaxation",
)
rel(
    "direct-acting-skeletal-muscle-relaxants",
    "hasTherapeuticEffect",
    "muscle-relaxation",
    5,
    DIRECT_5,
)
rel(
    "benzodiazepines",
    "hasTherapeuticEffect",
    "anxiolytic-effect",
    5,
    "primarily recognized for their anxiolytic properties",
)
rel(
    "benzodiazepines",
    "hasTherapeuticEffect",
    ["anxiolytic-effect", "sedative-effect"],
    17,
    "primarily known for their anxiolytic and sedative properties",
)
rel(
    "benzodiazepines",
    "hasTherapeuticEffect",
    "muscle-relaxation",
    5,
    "benzodiazepines also possess muscle relaxant effects",
)
rel("diazepam", "hasTherapeuticEffect", "muscle-relaxation", 17, DIAZEPAM)
rel(
    "dantrolene-sodium",
    "hasTherapeuticEffect",
    ["reduction-of-muscle-spasms", "improved-range-of-motion"],
    17,
    "reported a 30% reduction in muscle spasms and improved range of motion",
    "S",
)
rel(
    "vecuronium",
    "hasTherapeuticEffect",
    "decrease-in-muscle-activity",
    17,
    "the use of vecuronium during surgery resulted in a 95% decrease in muscle activity",
    "S",
)
rel(
    "hyoscine-butylbromide",
    "hasTherapeuticEffect",
    "reduction-of-abdominal-cramps",
    17,
    HYOSCINE_STUDY,
    "S",
)
rel("diazepam", "hasTherapeuticEffect", "reduction-of-muscle-spasticity", 17, DIAZEPAM_STUDY, "S")

# ---------------------------------------------------------------------------------------------
# Side effects and withdrawal
# ---------------------------------------------------------------------------------------------
SE = {
    "drowsiness": (
        "drowsiness",
        "Drowsiness: One of the most commonly reported side effects of Baclofen is drowsiness",
    ),
    "dizziness": (
        "dizziness",
        "Some individuals may experience dizziness or lightheadedness while taking Baclofen",
    ),
    "nausea": (
        "nausea",
        "Nausea and vomiting: Upset stomach and vomiting can occur as a result of Baclofen use",
    ),
    "vomiting": (
        "vomiting",
        "Nausea and vomiting: Upset stomach and vomiting can occur as a result of Baclofen use",
    ),
    "headache": ("headache", "Baclofen may cause headaches in some individuals"),
    "muscle-weakness": (
        "muscle weakness",
        "some people may experience temporary muscle weakness as a side effect of the medication",
    ),
}
for slug, (label, text) in SE.items():
    ent(slug, "SideEffect", label, 19, text)
    rel("baclofen", "hasSideEffect", slug, 19, text)
WITHDRAWAL = (
    "Abruptly stopping the medication can lead to withdrawal symptoms, such as "
    "hallucinations and seizures"
)
ent("hallucinations", "WithdrawalSymptom", "hallucinations", 21, WITHDRAWAL)
ent("seizures", "WithdrawalSymptom", "seizures", 21, WITHDRAWAL)
rel("baclofen", "hasWithdrawalSymptom", ["hallucinations", "seizures"], 21, WITHDRAWAL)

# ---------------------------------------------------------------------------------------------
# Tolerance, its signs and the treatment adjustments
# ---------------------------------------------------------------------------------------------
ent(
    "tolerance-to-baclofen",
    "Tolerance",
    "tolerance to baclofen",
    3,
    "a decrease in its effectiveness over time due to the development of tolerance",
)
rel(
    "tolerance-to-baclofen",
    "toleranceTo",
    "baclofen",
    3,
    "Some indicators that a patient may be developing tolerance to Baclofen",
)
rel(
    "tolerance-to-baclofen",
    "toleranceTo",
    "baclofen",
    12,
    "it is possible for them to develop tolerance to the drug",
)
SIGNS = {
    "increased-muscle-spasticity": (
        "increased muscle spasticity",
        "an increase in muscle spasticity",
        "Increased muscle spasticity: Patients may notice",
    ),
    "decreased-relief-from-muscle-pain": (
        "decreased relief from muscle pain",
        "reduced relief from muscle pain",
        "Decreased relief from muscle pain:",
    ),
    "increased-dosage-requirements": (
        "increased dosage requirements",
        "the need for higher doses of the medication to achieve the same level of symptom relief",
        "Increased dosage requirements:",
    ),
}
for slug, (label, t3, t12) in SIGNS.items():
    ent(slug, "ToleranceSign", label, 3, t3, (12, t12))
    rel("tolerance-to-baclofen", "hasSign", slug, 3, t3)
    rel("tolerance-to-baclofen", "hasSign", slug, 12, t12)
ADJUST = {
    "gradually-increasing-the-dosage": (
        "gradually increasing the dosage",
        "gradually increasing the dosage of Baclofen",
        "Gradually increasing the dosage:",
    ),
    "adding-or-switching-to-another-muscle-relaxant": (
        "adding or switching to another muscle relaxant medication",
        "considering the addition or switch to another muscle relaxant medication",
        "Adding or switching to another muscle relaxant medication:",
    ),
    "combining-baclofen-with-another-treatment-approach": (
        "combining baclofen with another treatment approach",
        "combining Baclofen with alternative treatment approaches",
        "Combining Baclofen with another treatment approach:",
    ),
}
for slug, (label, t3, t12) in ADJUST.items():
    ent(slug, "TreatmentAdjustment", label, 3, t3, (12, t12))
    rel("tolerance-to-baclofen", "addressedBy", slug, 3, t3)
    rel("tolerance-to-baclofen", "addressedBy", slug, 12, t12)
rel(
    "tolerance-to-baclofen",
    "addressedBy",
    ["gradually-increasing-the-dosage", "adding-or-switching-to-another-muscle-relaxant"],
    11,
    "healthcare professionals may consider adjusting the dosage of Baclofen or combining it with "
    "other muscle relaxant medications in cases where tolerance has developed",
)

# ---------------------------------------------------------------------------------------------
# Complementary therapies
# ---------------------------------------------------------------------------------------------
CT = "ComplementaryTherapy"
PLAN_1 = "may include physical therapy, exercise, and other interventions"
PLAN_11 = (
    "Physical therapy, occupational therapy, and assistive devices may be incorporated into "
    "the overall management plan"
)
PLAN_12 = (
    "combining Baclofen with other treatment modalities, such as physical therapy, "
    "occupational therapy, or alternative therapies"
)
ent("physical-therapy", CT, "physical therapy", 1, PLAN_1)
ent("exercise", CT, "exercise", 1, PLAN_1)
ent("occupational-therapy", CT, "occupational therapy", 11, PLAN_11)
ent("assistive-devices", CT, "assistive devices", 11, PLAN_11)
ent("alternative-therapies", CT, "alternative therapies", 12, PLAN_12)
rel("baclofen", "usedWith", ["physical-therapy", "exercise"], 1, PLAN_1)
rel(
    "baclofen",
    "usedWith",
    ["physical-therapy", "occupational-therapy", "assistive-devices"],
    11,
    PLAN_11,
)
rel(
    "baclofen",
    "usedWith",
    ["physical-therapy", "occupational-therapy", "alternative-therapies"],
    12,
    PLAN_12,
)

# ---------------------------------------------------------------------------------------------
# Case studies, testimonials, persons
# ---------------------------------------------------------------------------------------------
HYPO = (
    "a case study may focus on a patient with multiple sclerosis who experienced remarkable "
    "improvements in mobility and a significant reduction in muscle spasms"
)
ent(
    "hypothetical-ms-patient",
    "Person",
    "hypothetical patient with multiple sclerosis",
    4,
    "a case study may focus on a patient with multiple sclerosis",
    kind="H",
)
rel(
    "hypothetical-ms-patient",
    "hasCondition",
    "multiple-sclerosis",
    4,
    "a case study may focus on a patient with multiple sclerosis",
    "H",
)
ent(
    "hypothetical-case-study",
    "CaseStudy",
    "hypothetical case study of a patient with multiple sclerosis",
    4,
    HYPO,
    kind="H",
)
rel("hypothetical-case-study", "subject", "hypothetical-ms-patient", 4, HYPO, "H")
rel("hypothetical-case-study", "aboutDrug", "baclofen", 4, "after initiating Baclofen therapy", "H")
rel(
    "hypothetical-case-study",
    "reportsEffect",
    ["improved-mobility", "reduction-of-muscle-spasms"],
    4,
    HYPO,
    "H",
)

SARAH_40 = (
    "One notable case study involves Sarah, a 40-year-old woman diagnosed with multiple sclerosis"
)
ent(
    "sarah-case-study",
    "Person",
    "Sarah (case study, section 14)",
    14,
    SARAH_40,
    kind="C",
    alt=("Sarah",),
)
rel("sarah-case-study", "age", lit(40), 14, SARAH_40, "C")
rel("sarah-case-study", "hasCondition", "multiple-sclerosis", 14, SARAH_40, "C")
rel(
    "sarah-case-study",
    "hasCondition",
    ["muscle-spasms", "muscle-stiffness"],
    14,
    "Sarah had been experiencing severe muscle spasms and stiffness",
    "C",
)
ent(
    "case-study-sarah",
    "CaseStudy",
    "Case study: Sarah’s remarkable progress with Baclofen therapy",
    14,
    "Case study: Sarah’s remarkable progress with Baclofen therapy",
    kind="C",
)
rel("case-study-sarah", "subject", "sarah-case-study", 14, SARAH_40, "C")
rel(
    "case-study-sarah",
    "aboutDrug",
    "baclofen",
    14,
    "After starting Baclofen therapy, Sarah reported significant improvements in her condition",
    "C",
)
SARAH_WORDS = "since starting Baclofen, I’ve seen a dramatic reduction in spasms"
rel("case-study-sarah", "quoteText", lit(SARAH_WORDS), 14, SARAH_WORDS, "C")
rel("case-study-sarah", "reportsEffect", "reduction-of-muscle-spasms", 14, SARAH_WORDS, "C")
rel(
    "case-study-sarah",
    "reportsEffect",
    "improved-mobility",
    14,
    "I can now walk without assistance",
    "C",
)

JOHN_30 = (
    "Another success story involves John, a 30-year-old man with a spinal cord injury "
    "resulting in muscle spasticity"
)
ent("john", "Person", "John", 15, JOHN_30, kind="C")
rel("john", "age", lit(30), 15, JOHN_30, "C")
rel("john", "hasCondition", ["spinal-cord-injuries", "muscle-spasticity"], 15, JOHN_30, "C")
rel(
    "john",
    "hasCondition",
    ["muscle-pain", "muscle-stiffness"],
    15,
    "John experienced constant pain and muscle stiffness",
    "C",
)
ent(
    "case-study-john",
    "CaseStudy",
    "Success story: John’s increased quality of life with Baclofen",
    15,
    "Success story: John’s increased quality of life with Baclofen",
    kind="C",
)
rel("case-study-john", "subject", "john", 15, JOHN_30, "C")
JOHN_WORDS = "Baclofen has been a game-changer for me"
rel("case-study-john", "aboutDrug", "baclofen", 15, JOHN_WORDS, "C")
rel("case-study-john", "quoteText", lit(JOHN_WORDS), 15, JOHN_WORDS, "C")
rel(
    "case-study-john",
    "reportsEffect",
    "improved-quality-of-life",
    15,
    "John’s increased quality of life with Baclofen",
    "SH",  # the claim is the section heading's
)
rel(
    "case-study-john",
    "reportsEffect",
    ["pain-relief", "improved-mobility"],
    15,
    "providing relief from pain, enhancing mobility",
    "C",
)
rel(
    "case-study-john",
    "reportsEffect",
    "improved-mental-well-being",
    15,
    "but also boosted my mental well-being",
    "C",
)

SARAH_45 = "– Sarah, a 45-year-old multiple sclerosis patient"
SARAH_REVIEW = (
    "I have been using Baclofen for my multiple sclerosis-related muscle spasms for "
    "several years now"
)
ent(
    "sarah-reviewer",
    "Person",
    "Sarah (user review, section 20)",
    20,
    SARAH_45,
    kind="T",
    alt=("Sarah",),
)
rel("sarah-reviewer", "age", lit(45), 20, SARAH_45, "T")
rel("sarah-reviewer", "hasCondition", "multiple-sclerosis", 20, SARAH_45, "T")
rel(
    "sarah-reviewer",
    "hasCondition",
    "muscle-spasms",
    20,
    "for my multiple sclerosis-related muscle spasms",
    "T",
)
ent("review-sarah", "Testimonial", "Sarah’s user review of baclofen", 20, SARAH_REVIEW, kind="T")
rel("review-sarah", "subject", "sarah-reviewer", 20, SARAH_45, "T")
rel("review-sarah", "aboutDrug", "baclofen", 20, SARAH_REVIEW, "T")
rel(
    "review-sarah",
    "reportsEffect",
    "improved-quality-of-life",
    20,
    "It has significantly improved my quality of life",
    "T",
)
rel(
    "review-sarah",
    "reportsEffect",
    ["reduction-of-muscle-stiffness", "pain-relief"],
    20,
    "My muscle stiffness and pain have greatly reduced",
    "T",
)
rel("review-sarah", "reportsEffect", "improved-sleep", 20, "now it helps me sleep better too", "T")
SARAH_DROWSY = "The drowsiness was a little overwhelming at first"
rel("review-sarah", "reportsSideEffect", "drowsiness", 20, SARAH_DROWSY, "T")
rel("review-sarah", "quoteText", lit(SARAH_DROWSY), 20, SARAH_DROWSY, "T")

MARK_32 = "– Mark, a 32-year-old with a spinal cord injury"
MARK_REVIEW = (
    "I started taking Baclofen for my spinal cord injury-induced muscle spasms and stiffness"
)
ent("mark", "Person", "Mark", 20, MARK_32, kind="T")
rel("mark", "age", lit(32), 20, MARK_32, "T")
rel("mark", "hasCondition", "spinal-cord-injuries", 20, MARK_32, "T")
rel("mark", "hasCondition", ["muscle-spasms", "muscle-stiffness"], 20, MARK_REVIEW, "T")
ent("review-mark", "Testimonial", "Mark’s user review of baclofen", 20, MARK_REVIEW, kind="T")
rel("review-mark", "subject", "mark", 20, MARK_32, "T")
rel("review-mark", "aboutDrug", "baclofen", 20, MARK_REVIEW, "T")
MARK_TOLERANCE = "I developed tolerance after a few months"
rel("review-mark", "reportsTolerance", "tolerance-to-baclofen", 20, MARK_TOLERANCE, "T")
rel("review-mark", "quoteText", lit(MARK_TOLERANCE), 20, MARK_TOLERANCE, "T")
rel(
    "tolerance-to-baclofen",
    "addressedBy",
    "gradually-increasing-the-dosage",
    20,
    "My doctor adjusted my treatment plan by increasing the dosage, and it was effective again",
    "T",
)
rel(
    "review-mark",
    "reportsSideEffect",
    ["headache", "dizziness"],
    20,
    "I experienced mild headaches and occasional dizziness as side effects",
    "T",
)
rel(
    "review-mark",
    "reportsEffect",
    "improved-mobility",
    20,
    "Baclofen has helped me regain some mobility",
    "T",
)

ROBERTS = (
    "Dr. Emily Roberts, a renowned neurologist specializing in the treatment of muscle spasticity"
)
ROBERTS_WORDS = "Baclofen’s affordability has been a game-changer for many of my patients"
ent("emily-roberts", "Person Expert", "Dr. Emily Roberts", 27, ROBERTS, kind="X")
ent(
    "testimonial-emily-roberts",
    "Testimonial",
    "Dr. Emily Roberts on baclofen’s affordability",
    27,
    ROBERTS_WORDS,
    kind="X",
)
rel("testimonial-emily-roberts", "subject", "emily-roberts", 27, ROBERTS, "X")
rel("testimonial-emily-roberts", "aboutDrug", "baclofen", 27, ROBERTS_WORDS, "X")
rel("testimonial-emily-roberts", "quoteText", lit(ROBERTS_WORDS), 27, ROBERTS_WORDS, "X")

# ---------------------------------------------------------------------------------------------
# The per-condition statistics table (section 16), cell by cell
# ---------------------------------------------------------------------------------------------
TABLE_HEADER = "Condition Improved Mobility Pain Relief Quality of Life"
TABLE_COLUMNS = (
    ("Improved Mobility", "improved-mobility"),
    ("Pain Relief", "pain-relief"),
    ("Quality of Life", "improved-quality-of-life"),
)
TABLE_ROWS = (
    ("Multiple Sclerosis", "multiple-sclerosis", (80, 75, 90)),
    ("Spinal Cord Injuries", "spinal-cord-injuries", (70, 65, 85)),
    ("Cerebral Palsy", "cerebral-palsy", (90, 80, 95)),
)
for row, condition, values in TABLE_ROWS:
    row_text = f"{row} " + " ".join(f"{v}%" for v in values)
    for (column, effect), value in zip(TABLE_COLUMNS, values, strict=True):
        stat = f"stat-{condition}-{effect}"
        ent(
            stat,
            "Statistic",
            f"baclofen, {row.lower()}: {column.lower()} {value}% (table)",
            16,
            row_text,
            kind="U",
        )
        rel(stat, "percentage", lit(Decimal(value)), 16, row_text, "U")
        rel(stat, "population", condition, 16, row_text, "U")
        rel(stat, "measure", effect, 16, TABLE_HEADER, "U")
        rel(stat, "aboutDrug", "baclofen", 16, "Based on multiple case studies", "U")
        rel(stat, "tableRow", lit(row), 16, row_text, "U")
        rel(stat, "tableColumn", lit(column), 16, TABLE_HEADER, "U")

# ---------------------------------------------------------------------------------------------
# Cited studies and surveys, journals, their figures
# ---------------------------------------------------------------------------------------------
JOURNALS = {
    "journal-of-neurology": ("Journal of Neurology", 17, "published in the Journal of Neurology"),
    "american-journal-of-physical-medicine-and-rehabilitation": (
        "American Journal of Physical Medicine & Rehabilitation",
        17,
        "the American Journal of Physical Medicine & Rehabilitation",
    ),
    "journal-of-anesthesia-and-analgesia": (
        "Journal of Anesthesia and Analgesia",
        17,
        "published in the Journal of Anesthesia and Analgesia",
    ),
    "british-journal-of-clinical-pharmacology": (
        "British Journal of Clinical Pharmacology",
        17,
        "published in the British Journal of Clinical Pharmacology",
    ),
    "journal-of-clinical-psychopharmacology": (
        "Journal of Clinical Psychopharmacology",
        17,
        "published in the Journal of Clinical Psychopharmacology",
    ),
    "journal-of-pharmaceutical-economics": (
        "Journal of Pharmaceutical Economics",
        27,
        "published in the Journal of Pharmaceutical Economics",
    ),
}
for slug, (label, sec, text) in JOURNALS.items():
    ent(slug, "Journal", label, sec, text)


@dataclass(frozen=True)
class Study:
    slug: str
    label: str
    design: str
    journal: str | None
    drug: str
    sec: int
    intro: str  # quote naming the study
    ref_quote: str  # quote showing the (empty) reference
    effects: tuple[str, ...]
    effects_quote: str
    stat: str | None
    stat_label: str
    stat_value: int | None
    stat_quote: str
    qualifier: str | None = None
    population: str | None = None
    measure: str | None = None


STUDIES = (
    Study(
        "study-journal-of-neurology-baclofen",
        "Journal of Neurology study of baclofen",
        "study",
        "journal-of-neurology",
        "baclofen",
        17,
        "According to a study published in the Journal of Neurology",
        "leading to improved mobility and quality of life. [source](",
        (
            "reduction-of-muscle-tone",
            "reduction-of-muscle-spasticity",
            "improved-mobility",
            "improved-quality-of-life",
        ),
        JON,
        None,
        "",
        None,
        "",
    ),
    Study(
        "survey-dantrolene-sodium",
        "American Journal of Physical Medicine & Rehabilitation survey of dantrolene sodium",
        "survey",
        "american-journal-of-physical-medicine-and-rehabilitation",
        "dantrolene-sodium",
        17,
        "According to a survey conducted by the American Journal of Physical Medicine & Rehabilitation",
        "improved range of motion. [source](",
        ("reduction-of-muscle-spasms", "improved-range-of-motion"),
        "reported a 30% reduction in muscle spasms and improved range of motion",
        "stat-dantrolene-sodium-muscle-spasm-reduction",
        "dantrolene sodium: 30% reduction in muscle spasms (survey)",
        30,
        "patients who were treated with dantrolene sodium reported a 30% reduction in muscle spasms",
        measure="reduction-of-muscle-spasms",
    ),
    Study(
        "trial-vecuronium",
        "Journal of Anesthesia and Analgesia randomized controlled trial of vecuronium",
        "randomized controlled trial",
        "journal-of-anesthesia-and-analgesia",
        "vecuronium",
        17,
        "A randomized controlled trial published in the Journal of Anesthesia and Analgesia",
        "ensuring optimal surgical conditions. [source](",
        ("decrease-in-muscle-activity",),
        "the use of vecuronium during surgery resulted in a 95% decrease in muscle activity",
        "stat-vecuronium-muscle-activity-decrease",
        "vecuronium: 95% decrease in muscle activity during surgery (trial)",
        95,
        "resulted in a 95% decrease in muscle activity",
        measure="decrease-in-muscle-activity",
    ),
    Study(
        "meta-analysis-hyoscine-butylbromide",
        "British Journal of Clinical Pharmacology meta-analysis of hyoscine butylbromide",
        "meta-analysis",
        "british-journal-of-clinical-pharmacology",
        "hyoscine-butylbromide",
        17,
        "A meta-analysis published in the British Journal of Clinical Pharmacology",
        "patients with irritable bowel syndrome. [source](",
        ("reduction-of-abdominal-cramps",),
        HYOSCINE_STUDY,
        "stat-hyoscine-butylbromide-abdominal-cramp-reduction",
        "hyoscine butylbromide: abdominal cramps reduced in over 80% of IBS patients "
        "(meta-analysis)",
        80,
        HYOSCINE_STUDY,
        qualifier="over",
        population="irritable-bowel-syndrome",
        measure="reduction-of-abdominal-cramps",
    ),
    Study(
        "study-diazepam",
        "Journal of Clinical Psychopharmacology study of diazepam",
        "study",
        "journal-of-clinical-psychopharmacology",
        "diazepam",
        17,
        "A study published in the Journal of Clinical Psychopharmacology",
        "observed in over 60% of participants. [source](",
        ("reduction-of-muscle-spasticity",),
        DIAZEPAM_STUDY,
        "stat-diazepam-spasticity-improvement",
        "diazepam: spasticity improved in over 60% of participants with cerebral palsy (study)",
        60,
        "with improvements observed in over 60% of participants",
        qualifier="over",
        population="cerebral-palsy",
        measure="reduction-of-muscle-spasticity",
    ),
    Study(
        "study-baclofen-cost-savings",
        "Journal of Pharmaceutical Economics study of baclofen's cost",
        "study",
        "journal-of-pharmaceutical-economics",
        "baclofen",
        27,
        "A study published in the Journal of Pharmaceutical Economics demonstrated",
        "A study published in the Journal of Pharmaceutical Economics demonstrated",
        (),
        "",
        "stat-baclofen-average-cost-savings",
        "baclofen: 70% average cost savings compared to other muscle relaxants (study)",
        70,
        "with an average cost savings of 70% compared to its counterparts",
    ),
    Study(
        "survey-baclofen-affordability",
        "survey by an unnamed leading medical publication on baclofen's affordability",
        "survey",
        None,
        "baclofen",
        26,
        "According to a recent survey conducted by a leading medical publication",
        "According to a recent survey conducted by a leading medical publication",
        (),
        "",
        "stat-baclofen-affordability-survey",
        "baclofen: 80% of patients say its affordable cost made them more willing to continue "
        "treatment (survey)",
        80,
        "80% of patients using Baclofen reported that the affordable cost of the medication "
        "positively impacted their willingness to continue treatment",
    ),
)
for st in STUDIES:
    ent(st.slug, "CitedStudy", st.label, st.sec, st.intro, kind="S")
    rel(st.slug, "studyDesign", lit(st.design), st.sec, st.intro, "S")
    if st.journal:
        rel(st.slug, "publishedIn", st.journal, st.sec, st.intro, "S")
    rel(st.slug, "aboutDrug", st.drug, st.sec, st.effects_quote or st.stat_quote, "S")
    rel(st.slug, "referenceGiven", lit(False), st.sec, st.ref_quote, "S")
    # What a study reports is recorded at drug level (rgo:hasTherapeuticEffect, kind S):
    # rgo:reportsEffect is for case studies and testimonials.  Check it is there.
    for effect in st.effects:
        if not any(
            r.s == st.drug and r.p == "hasTherapeuticEffect" and r.o == effect and r.kind == "S"
            for r in RELATIONS
        ):
            raise ValueError(f"{st.slug}: no drug-level statement that {st.drug} has {effect}")
    if st.stat and st.stat_value is not None:
        ent(st.stat, "Statistic", st.stat_label, st.sec, st.stat_quote, kind="S")
        rel(st.slug, "claimedFigure", st.stat, st.sec, st.stat_quote, "S")
        rel(st.stat, "percentage", lit(Decimal(st.stat_value)), st.sec, st.stat_quote, "S")
        rel(st.stat, "aboutDrug", st.drug, st.sec, st.stat_quote, "S")
        if st.qualifier:
            rel(st.stat, "percentageQualifier", lit(st.qualifier), st.sec, st.stat_quote, "S")
        if st.population:
            rel(st.stat, "population", st.population, st.sec, st.stat_quote, "S")
        if st.measure:
            rel(st.stat, "measure", st.measure, st.sec, st.stat_quote, "S")

# ---------------------------------------------------------------------------------------------
# Prices and programmes
# ---------------------------------------------------------------------------------------------
PRICE_B = "The average price for a 30-day supply of Baclofen is approximately $10 to $30"
PRICE_O = "other muscle relaxants can have prices ranging from $50 to $200 for the same duration"
ent(
    "price-baclofen-30-day-supply",
    "Price",
    "average price of a 30-day supply of baclofen",
    23,
    PRICE_B,
    kind="U",
)
ent(
    "price-other-muscle-relaxants-30-day-supply",
    "Price",
    "price of a 30-day supply of other muscle relaxants",
    23,
    PRICE_O,
    kind="U",
)
for slug, target, lo, hi, text in (
    ("price-baclofen-30-day-supply", "baclofen", 10, 30, PRICE_B),
    ("price-other-muscle-relaxants-30-day-supply", "muscle-relaxants", 50, 200, PRICE_O),
):
    rel(slug, "priceOf", target, 23, text, "U")
    rel(slug, "minPrice", lit(Decimal(lo)), 23, text, "U")
    rel(slug, "maxPrice", lit(Decimal(hi)), 23, text, "U")
    rel(slug, "currency", lit("USD"), 23, text, "U")
    rel(slug, "supplyDays", lit(30), 23, text, "U")

PROGRAMS = "Government-funded programs such as Medicaid and Medicare provide coverage for Baclofen"
ent("medicaid", "Program", "Medicaid", 25, PROGRAMS)
ent("medicare", "Program", "Medicare", 25, PROGRAMS)
rel("medicaid", "covers", "baclofen", 25, PROGRAMS)
rel("medicare", "covers", "baclofen", 25, PROGRAMS)
ent(
    "patient-assistance-programs",
    "Program",
    "patient assistance programs",
    25,
    "various patient assistance programs, offered by pharmaceutical manufacturers and charitable "
    "organizations",
)
