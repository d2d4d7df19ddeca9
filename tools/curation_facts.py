# ruff: noqa: RUF001  (verbatim quotes of the guide keep its typography)
"""What we add beyond the guide, as compact data for ``tools/build_kb.py``.

* ``CURATED``: facts the guide does not state, each with the public authoritative page it was
  read from (``dcterms:source``) and a comment saying what that page says.
* ``FLAGS``: problems with the guide's claims, each with a kind, the statements / claim entities /
  quotes it is about, a one-line reason, and (for pharmacology corrections) the source page.

Flag targets are statement IRIs (``st-...``), entity slugs, or ``Q`` quotes of the guide; the
build fails if a target does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from guide_facts import STUDIES, TABLE_COLUMNS, TABLE_ROWS, Q

# Pages read (via the project's search tool) for the curated facts and corrections.
FDA_ROBAXIN_LABEL = (
    "https://api.fda.gov/drug/label.json?search=set_id%3A%22090a3d3d-92c3-4c30-a648-436461f81702%22"
)
DAILYMED_BACLOFEN_LABEL = (
    "https://dailymed.nlm.nih.gov/dailymed/fda/fdaDrugXsl.cfm?setid="
    "2a7e8eb1-6a38-47b1-bc2b-b59f709f8cda"
)


@dataclass(frozen=True)
class CuratedEntity:
    slug: str
    types: tuple[str, ...]
    label: str
    source: str


@dataclass(frozen=True)
class Curated:
    s: str
    p: str  # rgo: local name, or "type"
    o: str
    source: str
    comment: str


@dataclass(frozen=True)
class Flag:
    slug: str
    kind: str  # rgo:FlagKind local name
    targets: tuple[str | Q, ...]
    reason: str
    source: str | None = None


CURATED_ENTITIES = (CuratedEntity("methocarbamol", ("Drug",), "methocarbamol", FDA_ROBAXIN_LABEL),)

CURATED = (
    Curated(
        "robaxin",
        "brandOf",
        "methocarbamol",
        FDA_ROBAXIN_LABEL,
        "The FDA label for ROBAXIN gives methocarbamol as its active ingredient "
        "(the guide names Robaxin only in 'See also' links).",
    ),
    Curated(
        "methocarbamol",
        "type",
        "muscle-relaxants",
        FDA_ROBAXIN_LABEL,
        "The FDA label describes methocarbamol as a CNS depressant with sedative and "
        "musculoskeletal relaxant properties.",
    ),
)

# Class-list IRIs that are close but not the same class (linked in curation.ttl).
CLOSE_MATCHES = (
    ("direct-acting-skeletal-muscle-relaxants", "closeMatch", "direct-acting-muscle-relaxants"),
    ("antispasmodics", "relatedMatch", "antispasmodic-agents"),
)

TABLE_STATS = tuple(
    f"stat-{condition}-{effect}" for _, condition, _ in TABLE_ROWS for _, effect in TABLE_COLUMNS
)

FLAGS: list[Flag] = [
    Flag(
        "baclofen-enhances-gaba",
        "PharmacologicallyUnsupported",
        (
            "st-baclofen-hasMechanism-enhancement-of-gaba-receptor-activity",
            "st-baclofen-hasMechanism-enhancement-of-gaba-inhibitory-effects",
        ),
        "Baclofen is a GABA analogue that itself activates GABA-B receptors (a direct agonist, as "
        "the guide also says); it does not enhance the activity of GABA or of GABA receptors.",
        DAILYMED_BACLOFEN_LABEL,
    ),
    Flag(
        "list-1-direct-acting-subclasses",
        "PharmacologicallyUnsupported",
        (
            "st-antispasmodics-subClassOf-direct-acting-skeletal-muscle-relaxants",
            "st-antispasticity-agents-subClassOf-direct-acting-skeletal-muscle-relaxants",
        ),
        "Antispasticity agents include baclofen, which acts on reflexes at the spinal level, not "
        "directly on muscle fibres, so they are not a subclass of direct-acting skeletal muscle "
        "relaxants; nor are antispasmodics as a group.",
        DAILYMED_BACLOFEN_LABEL,
    ),
    Flag(
        "antispasmodic-agents-smooth-muscle",
        "PharmacologicallyUnsupported",
        ("st-antispasmodic-agents-subClassOf-muscle-relaxants", "class-list-2-entry-4"),
        "Antispasmodic agents such as hyoscine butylbromide relax the smooth muscle of the gut "
        "(as the guide itself says); the WHO ATC index files butylscopolamine under A03 (functional "
        "gastrointestinal disorders), not M03 (muscle relaxants).",
        "https://atcddd.fhi.no/atc_ddd_index/?code=A03BB01",
    ),
    Flag(
        "class-list-1-truncated",
        "TruncatedText",
        ("class-list-1", Q(5, "allows healthcare professionals to choose the most")),
        "List 1's closing sentence breaks off mid-sentence at 'choose the most'.",
    ),
    Flag(
        "muscle-weakness-resolves",
        "Unverifiable",
        (
            "st-baclofen-hasSideEffect-muscle-weakness",
            Q(19, "This side effect typically resolves with continued use."),
        ),
        "The guide gives no source for its claim that baclofen's muscle weakness typically "
        "resolves with continued use.",
    ),
    Flag(
        "unattributed-prices",
        "UnsupportedStatistic",
        ("price-baclofen-30-day-supply", "price-other-muscle-relaxants-30-day-supply"),
        "The 30-day price ranges ($10-$30 for baclofen, $50-$200 for other muscle relaxants) are "
        "given without any source, date or pharmacy basis.",
    ),
    Flag(
        "table-statistics-unsupported",
        "UnsupportedStatistic",
        TABLE_STATS,
        "The per-condition percentages are attributed only to 'multiple case studies', with no "
        "source, sample size or method.",
    ),
    Flag(
        "sarah-age-contradiction",
        "InternalContradiction",
        ("st-sarah-case-study-age-40", "st-sarah-reviewer-age-45"),
        "The multiple sclerosis patient Sarah is 40 in the case study (section 14, 'Case study: "
        "Sarah’s remarkable progress') but 45 in the user review (section 20, 'Real User "
        "Reviews').",
    ),
    Flag(
        "class-lists-direct-acting",
        "ClassListDisagreement",
        ("class-list-1-entry-3", "class-list-2-entry-2"),
        "List 1 has 'Direct-Acting Skeletal Muscle Relaxants' (with antispasmodic and "
        "antispasticity subclasses); list 2 has 'Direct-Acting Muscle Relaxants' with dantrolene "
        "sodium as its example.",
    ),
    Flag(
        "class-lists-antispasmodics",
        "ClassListDisagreement",
        ("class-list-1-entry-3", "class-list-2-entry-4"),
        "List 1 puts antispasmodics under direct-acting skeletal muscle relaxants; list 2 makes "
        "antispasmodic agents a class of its own that acts on smooth muscle.",
    ),
    Flag(
        "class-lists-other-miscellaneous",
        "ClassListDisagreement",
        ("class-list-1-entry-5", "class-list-2"),
        "Only list 1 has 'Other Miscellaneous Muscle Relaxants'; list 2 has no such class.",
    ),
    Flag(
        "emily-roberts-unverifiable",
        "Unverifiable",
        ("testimonial-emily-roberts", "emily-roberts"),
        "The quoted 'renowned neurologist' Dr. Emily Roberts is given no affiliation or source, "
        "so the endorsement cannot be checked.",
    ),
]

for _st in STUDIES:
    _what = {
        "survey-baclofen-affordability": "The survey's 'leading medical publication' is not named and no reference is given.",
        "study-baclofen-cost-savings": "The Journal of Pharmaceutical Economics study is named without authors, year or link.",
    }.get(_st.slug, f"The {_st.label} is named but its '[source](' link is empty.")
    _targets: tuple[str | Q, ...] = (_st.slug,) + ((_st.stat,) if _st.stat else ())
    FLAGS.append(Flag(f"missing-reference-{_st.slug}", "MissingReference", _targets, _what))
