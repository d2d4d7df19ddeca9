#!/usr/bin/env python3

"""Generate ``ontology/kb/assessments.ttl``: an assessment of every guide statement and passage.

Reads the built layers (``ontology/kb/guide.ttl``, ``curation.ttl`` and, when present,
``reference.ttl``), the reviewed tables ``data/curation/guide-review.tsv`` (problems found by
reading the guide) and ``data/curation/reference-map.tsv`` (what guide entities mean in the
reference layer's terms), and the guide's text (to anchor the reviewed passages). Writes:

* one ``rgo:Assessment`` per reviewed row (``rg:review-gr001`` ...), targeting its passage
  (``oa:hasTarget``), with its verdict, kind, reason, evidence (label excerpts, other rows, guide
  passages) and the existing flag it matches;
* one ``rgo:Assessment`` per guide statement (``rg:assessment-st-...``): computed by
  :mod:`relaxgraph.checking.assessment` where the reference layer allows; otherwise the most
  severe reviewed row whose passage overlaps the statement's quote; otherwise a flag on the
  statement; otherwise a stated rule by the statement's evidence kind ("not checkable" with the
  reason). Every statement assessment rests on the reviewed rows that overlap it.

Usage: ``python tools/build_assessments.py [--guide PATH] [--check]``. Deterministic output;
bad input exits 2 with one line naming the file and row; nothing half-written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import build_kb  # noqa: E402
from build_kb import add, literal, serialize  # noqa: E402
from rdflib import Graph, URIRef  # noqa: E402
from rdflib.namespace import RDF  # noqa: E402
from tables import FLAG_KINDS, TableError  # noqa: E402

from relaxgraph.checking.assessment import (  # noqa: E402
    SEVERITY,
    Finding,
    ReferenceMapError,
    compute,
    load_reference_map,
)
from relaxgraph.namespaces import OA, RG, RGO  # noqa: E402

REPO = HERE.parent
KB = REPO / "ontology" / "kb"
DATA = REPO / "data" / "curation"
OUT = KB / "assessments.ttl"

VERDICTS = {
    "supported": "Supported",
    "imprecise": "Imprecise",
    "contradicted": "Contradicted",
    "unsupported": "Unsupported",
    "not-checkable": "NotCheckable",
    "inconsistent": "Inconsistent",
}
KINDS = {
    "oversimplified-pharmacology": "OversimplifiedPharmacology",
    "inaccurate-pharmacology": "InaccuratePharmacology",
    "missing-safety-information": "MissingSafetyInformation",
    "promotional-framing": "PromotionalFraming",
    "unsupported-claim": "UnsupportedClaim",
    "testimonial-as-evidence": "TestimonialAsEvidence",
    "inconsistency": "Inconsistency",
    "internal-contradiction": "InternalContradiction",
    "unsupported-statistic": "UnsupportedStatistic",
    "unverifiable-citation": "UnverifiableCitation",
    "citation-problem": "CitationProblem",
    "truncated-text": "TruncatedText",
}
# A flag on a statement that no reviewed row covers: its verdict and kind of problem.
FLAG_VERDICTS = {
    "InternalContradiction": ("Inconsistent", "InternalContradiction"),
    "PharmacologicallyUnsupported": ("Contradicted", "InaccuratePharmacology"),
    "UnsupportedStatistic": ("Unsupported", "UnsupportedStatistic"),
    "MissingReference": ("NotCheckable", "UnverifiableCitation"),
    "ClassListDisagreement": ("Inconsistent", "Inconsistency"),
    "TruncatedText": ("NotCheckable", "TruncatedText"),
    "Unverifiable": ("Unsupported", "UnsupportedClaim"),
}
# The stated rule for a statement nothing else judges, by the statement's evidence kind.
BY_EVIDENCE_KIND = {
    "HypotheticalExample": (
        "NotCheckable",
        "TestimonialAsEvidence",
        "The guide offers this only as what a case study 'may' show, a hypothetical example that is no evidence.",
    ),
    "CaseStudy": (
        "NotCheckable",
        "TestimonialAsEvidence",
        "This rests on one patient's story with no source, which cannot be checked and says nothing about how often the drug helps.",
    ),
    "Testimonial": (
        "NotCheckable",
        "TestimonialAsEvidence",
        "This rests on an unsourced user review, which cannot be checked and says nothing about how often the drug helps.",
    ),
    "ExpertOpinion": (
        "NotCheckable",
        "UnverifiableCitation",
        "This rests on an expert quoted without affiliation or source, so it cannot be checked.",
    ),
    "UnattributedStatistic": (
        "Unsupported",
        "UnsupportedStatistic",
        "The guide gives this figure without any source, sample or method.",
    ),
    "StudyCitedWithoutReference": (
        "NotCheckable",
        "UnverifiableCitation",
        "The guide credits this to a study it names without authors, year or a working link, so it cannot be checked.",
    ),
    "SectionHeading": (
        "NotCheckable",
        None,
        "Only a section heading says this; the reference layer holds no fact to compare it with.",
    ),
}
LAYOUT_PREDICATES = {"inList", "position", "listsClass"}
LAYOUT_REASON = (
    "This records how the guide lays out its list of drug classes, not a fact about drugs."
)
GENERAL_REASON = (
    "The guide gives no source for this, and neither the reference layer nor the reviewed"
    " tables hold a fact that could confirm or refute it."
)


class AssessmentBuildError(TableError):
    """The review table does not fit the guide or its closed lists."""


@dataclass(frozen=True)
class ReviewRow:
    where: str
    id: str
    section: str
    quote: str
    kind: str
    verdict: str
    reason: str
    evidence: str
    evidence_quote: str
    already_flagged: str


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def covers(self, other: Span) -> bool:
        """They share at least half of the shorter span (a passage bears on a statement's quote)."""
        shared = min(self.end, other.end) - max(self.start, other.start)
        shorter = min(self.end - self.start, other.end - other.start)
        return shared > 0 and 2 * shared >= shorter

    def covers_most_of(self, other: Span) -> bool:
        """This passage holds at least half of ``other`` (a row judges the statement it covers)."""
        shared = min(self.end, other.end) - max(self.start, other.start)
        return shared > 0 and 2 * shared >= other.end - other.start


# ------------------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------------------
REVIEW_COLUMNS = (
    "id",
    "section",
    "quote",
    "kind",
    "verdict",
    "reason",
    "evidence",
    "evidence_quote",
    "already_flagged",
)


def read_review(path: Path) -> list[ReviewRow]:
    shown = f"data/curation/{path.name}"
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except OSError as exc:
        raise AssessmentBuildError(shown, f"cannot read: {exc.strerror}") from exc
    if tuple(lines[0].split("\t")) != REVIEW_COLUMNS:
        raise AssessmentBuildError(f"{shown}:1", f"header must be {' | '.join(REVIEW_COLUMNS)}")
    rows: list[ReviewRow] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        where = f"{shown}:{number}"
        cells = line.split("\t")
        if len(cells) != len(REVIEW_COLUMNS):
            raise AssessmentBuildError(where, f"{len(cells)} cells, not {len(REVIEW_COLUMNS)}")
        row = ReviewRow(where, *cells)
        for column, value, allowed in (
            ("kind", row.kind, tuple(KINDS)),
            ("verdict", row.verdict, tuple(VERDICTS)),
            ("already_flagged", row.already_flagged, ("", *FLAG_KINDS)),
        ):
            if value not in allowed:
                raise AssessmentBuildError(
                    where, f"unknown value {value!r}", column, ", ".join(a for a in allowed if a)
                )
        for column in ("id", "section", "quote", "reason"):
            if not getattr(row, column):
                raise AssessmentBuildError(where, "is empty", column)
        rows.append(row)
    return rows


def sections_by_heading(sections: list[build_kb.Section]) -> dict[str, build_kb.Section]:
    """Headings as the review table writes them: a repeated heading gets ' (2)'."""
    out: dict[str, build_kb.Section] = {}
    for sec in sections:
        name, n = sec.heading, 2
        while name in out:
            name = f"{sec.heading} ({n})"
            n += 1
        out[name] = sec
    return out


def find_span(
    text: str, words: str, section: build_kb.Section | None, where: str, column: str
) -> Span:
    """Where ``words`` lie: the one occurrence inside ``section``, else the one in the guide."""
    hits = []
    start = text.find(words)
    while start != -1:
        hits.append(start)
        start = text.find(words, start + 1)
    if section is not None:
        inside = [h for h in hits if section.start <= h < section.end]
        if len(inside) == 1:
            return Span(inside[0], inside[0] + len(words))
    if len(hits) == 1:
        return Span(hits[0], hits[0] + len(words))
    problem = "not found in the guide" if not hits else f"found {len(hits)} times"
    raise AssessmentBuildError(where, f"{problem}: {words!r}; copy it verbatim", column)


# ------------------------------------------------------------------------------------------
# Building
# ------------------------------------------------------------------------------------------
@dataclass
class Layers:
    graph: Graph
    quote_spans: dict[str, Span]  # rg:q-NNNN -> span
    statement_quotes: dict[str, list[str]]  # st IRI -> quote IRIs
    statement_kind: dict[str, str]  # st IRI -> evidence kind local name
    flags_on: dict[str, list[tuple[str, str]]]  # target IRI -> [(flag IRI, kind)]
    flag_spans: dict[str, list[Span]]  # flag IRI -> spans of what it flags
    flag_kind: dict[str, str]
    flag_reason: dict[str, str]


def _int(graph: Graph, node: URIRef, prop: URIRef) -> int:
    value = graph.value(node, prop)
    assert value is not None, (node, prop)
    return int(value)


def read_layers(kb: Path) -> Layers:
    graph = Graph()
    for name in ("guide.ttl", "curation.ttl", "reference.ttl"):
        path = kb / name
        if path.exists():
            graph.parse(path, format="turtle")
    quote_spans = {
        str(q): Span(_int(graph, q, OA.start), _int(graph, q, OA.end))  # type: ignore[arg-type]
        for q in graph.subjects(RDF.type, RGO.Quote)
    }
    statement_quotes: dict[str, list[str]] = {}
    statement_kind: dict[str, str] = {}
    for st in graph.subjects(RDF.type, RGO.GuideStatement):
        statement_quotes[str(st)] = sorted(str(q) for q in graph.objects(st, RGO.evidence))
        kind = graph.value(st, RGO.evidenceKind)
        statement_kind[str(st)] = str(kind).rsplit("#", 1)[-1] if kind else "GeneralStatement"
    flags_on: dict[str, list[tuple[str, str]]] = {}
    flag_spans: dict[str, list[Span]] = {}
    flag_kind: dict[str, str] = {}
    flag_reason: dict[str, str] = {}
    for flag in graph.subjects(RDF.type, RGO.Flag):
        kind = str(graph.value(flag, RGO.flagKind)).rsplit("#", 1)[-1]
        flag_kind[str(flag)] = kind
        flag_reason[str(flag)] = str(graph.value(flag, RGO.reason))
        spans: list[Span] = []
        for target in graph.objects(flag, RGO.flags):
            flags_on.setdefault(str(target), []).append((str(flag), kind))
            if str(target) in quote_spans:
                spans.append(quote_spans[str(target)])
            for q in graph.objects(target, RGO.evidence):
                if str(q) in quote_spans:
                    spans.append(quote_spans[str(q)])
        flag_spans[str(flag)] = spans
    return Layers(
        graph,
        quote_spans,
        statement_quotes,
        statement_kind,
        flags_on,
        flag_spans,
        flag_kind,
        flag_reason,
    )


def _local(iri: str) -> str:
    return iri.removeprefix(str(RG))


def rg_term(iri: str) -> str:
    local = _local(iri)
    return f"rg:{local}" if local != iri else f"<{iri}>"


@dataclass
class Judgement:
    verdict: str
    kind: str | None
    reason: str
    method: str  # Computed or Curated
    check: str | None = None
    by_rule: bool = False  # the stated rule: it rests on the guide's own words


def build(text: str, kb: Path = KB, data: Path = DATA) -> tuple[str, dict[str, int]]:
    """The Turtle of the assessments layer and its counts."""
    sections = build_kb.find_sections(text)
    by_heading = sections_by_heading(sections)
    layers = read_layers(kb)
    rows = read_review(data / "guide-review.tsv")
    rmap = load_reference_map(data / "reference-map.tsv")
    computed: dict[str, Finding] = compute(layers.graph, rmap)

    g: build_kb.Graph = {}
    order: dict[str, tuple[int, str]] = {}
    ids = {r.id for r in rows}
    span_to_quote = {(sp.start, sp.end): q for q, sp in layers.quote_spans.items()}

    def passage(span: Span, node: str) -> str:
        """The guide's quote node for ``span``, or a new passage node ``node``."""
        known = span_to_quote.get((span.start, span.end))
        if known is not None:
            return rg_term(known) if known.startswith(str(RG)) else known
        span_to_quote[(span.start, span.end)] = node
        sec = next(s for s in sections if s.start <= span.start < s.end)
        add(g, node, "a", "oa:TextQuoteSelector")
        add(g, node, "a", "oa:TextPositionSelector")
        add(g, node, "oa:exact", literal(text[span.start : span.end]))
        add(g, node, "oa:start", literal(span.start, "integer"))
        add(g, node, "oa:end", literal(span.end, "integer"))
        add(g, node, "dcterms:isPartOf", sec.iri)
        order[node] = (3, f"{span.start:08d}")
        return node

    review_spans: dict[str, Span] = {}
    review_matches = 0
    for row in rows:
        section = by_heading.get(row.section)
        if section is None:
            raise AssessmentBuildError(row.where, f"no section headed {row.section!r}", "section")
        span = find_span(text, row.quote, section, row.where, "quote")
        review_spans[row.id] = span
        node = f"rg:review-{row.id.lower()}"
        order[node] = (1, row.id)
        add(g, node, "a", "rgo:Assessment")
        add(g, node, "dcterms:identifier", literal(row.id))
        add(g, node, "oa:hasTarget", passage(span, f"rg:passage-{row.id.lower()}"))
        add(g, node, "rgo:verdict", f"rgo:{VERDICTS[row.verdict]}")
        add(g, node, "rgo:problemKind", f"rgo:{KINDS[row.kind]}")
        add(g, node, "rgo:reason", literal(row.reason))
        add(g, node, "rgo:assessmentMethod", "rgo:Curated")
        if row.evidence.startswith(("https://", "http://")):
            excerpt = f"rg:excerpt-{row.id.lower()}"
            add(g, excerpt, "a", "rgo:LabelExcerpt")
            add(g, excerpt, "oa:exact", literal(row.evidence_quote))
            add(g, excerpt, "dcterms:source", f"<{row.evidence}>")
            order[excerpt] = (4, row.id)
            add(g, node, "rgo:restsOn", excerpt)
        elif row.evidence in ids:
            add(g, node, "rgo:restsOn", f"rg:review-{row.evidence.lower()}")
        elif row.evidence:
            other = find_span(text, row.evidence, None, row.where, "evidence")
            add(g, node, "rgo:restsOn", passage(other, f"rg:passage-{row.id.lower()}-evidence"))
        if row.already_flagged:
            for flag in matching_flags(text, span, row.already_flagged, layers):
                add(g, node, "rgo:matchesFlag", rg_term(flag))
            review_matches += bool(matching_flags(text, span, row.already_flagged, layers))

    counts = {"reviewed passages": len(rows), "reviewed rows matching a flag": review_matches}
    methods: dict[str, int] = {}
    for st in sorted(layers.statement_quotes):
        spans = [layers.quote_spans[q] for q in layers.statement_quotes[st]]
        overlapping = sorted(
            (r for r in rows if any(review_spans[r.id].covers(s) for s in spans)),
            key=lambda r: (SEVERITY.index(VERDICTS[r.verdict]), r.id),
        )
        flags = sorted(layers.flags_on.get(st, []))
        judging = [
            r for r in overlapping if any(review_spans[r.id].covers_most_of(s) for s in spans)
        ]
        judgement = judge(st, computed.get(st), judging, flags, layers)
        node = f"rg:assessment-{_local(st)}"
        order[node] = (2, _local(st))
        add(g, node, "a", "rgo:Assessment")
        add(g, node, "rgo:assessedStatement", rg_term(st))
        add(g, node, "oa:hasTarget", rg_term(st))
        add(g, node, "rgo:verdict", f"rgo:{judgement.verdict}")
        if judgement.kind:
            add(g, node, "rgo:problemKind", f"rgo:{judgement.kind}")
        add(g, node, "rgo:reason", literal(judgement.reason))
        add(g, node, "rgo:assessmentMethod", f"rgo:{judgement.method}")
        if judgement.check:
            add(g, node, "rgo:checkName", literal(judgement.check))
        found = computed.get(st)
        for ref in found.evidence if found else ():
            add(g, node, "rgo:restsOn", rg_term(ref))
        for r in overlapping:
            add(g, node, "rgo:restsOn", f"rg:review-{r.id.lower()}")
        if judgement.by_rule:  # the guide's own words are what the rule reads
            for q in layers.statement_quotes[st]:
                add(g, node, "rgo:restsOn", rg_term(q))
        for flag, _ in flags:
            add(g, node, "rgo:matchesFlag", rg_term(flag))
        key = f"statements {judgement.method.lower()}"
        methods[key] = methods.get(key, 0) + 1
    counts.update(sorted(methods.items()))
    counts["statements"] = len(layers.statement_quotes)
    ttl = serialize(
        g,
        "relaxgraph assessments: every guide statement and every reviewed passage judged,\n"
        "with a verdict, the kind of problem, a reason and the evidence it rests on.\n"
        "Generated by tools/build_assessments.py from the built layers, data/curation/guide-review.tsv\n"
        "and data/curation/reference-map.tsv; do not edit by hand.",
        order,
    )
    return ttl, counts


def _around(text: str, span: Span, separator: str) -> Span:
    start = text.rfind(separator, 0, span.start)
    end = text.find(separator, span.end)
    return Span(0 if start < 0 else start, len(text) if end < 0 else end)


def matching_flags(text: str, span: Span, kind: str, layers: Layers) -> list[str]:
    """The flags of ``kind`` on the passage: overlapping it, else on its line, else the one
    flag of that kind in its paragraph (a flag may sit on a neighbouring quote of the same
    list item or table)."""
    candidates = sorted(f for f, k in layers.flag_kind.items() if k == kind)
    for area in (span, _around(text, span, "\n")):
        hits = [f for f in candidates if any(area.overlaps(s) for s in layers.flag_spans[f])]
        if hits:
            return hits
    paragraph = _around(text, span, "\n\n")
    hits = [f for f in candidates if any(paragraph.overlaps(s) for s in layers.flag_spans[f])]
    return hits if len(hits) == 1 else []


def judge(
    st: str,
    found: Finding | None,
    overlapping: Iterable[ReviewRow],
    flags: list[tuple[str, str]],
    layers: Layers,
) -> Judgement:
    """The statement's verdict: computed, else reviewed, else flagged, else the stated rule."""
    if found is not None:
        return Judgement(found.verdict, found.kind, found.reason, "Computed", found.check)
    predicate = layers.graph.value(URIRef(st), RDF.predicate)
    if predicate is not None and str(predicate).rsplit("#", 1)[-1] in LAYOUT_PREDICATES:
        return Judgement("NotCheckable", None, LAYOUT_REASON, "Curated", by_rule=True)
    rows = list(overlapping)
    if rows:
        r = rows[0]
        return Judgement(VERDICTS[r.verdict], KINDS[r.kind], r.reason, "Curated")
    if flags:
        flag, kind = flags[0]
        verdict, problem = FLAG_VERDICTS[kind]
        return Judgement(verdict, problem, layers.flag_reason[flag], "Curated")
    evidence_kind = layers.statement_kind[st]
    if evidence_kind in BY_EVIDENCE_KIND:
        verdict, problem, reason = BY_EVIDENCE_KIND[evidence_kind]
        return Judgement(verdict, problem, reason, "Curated", by_rule=True)
    return Judgement("NotCheckable", None, GENERAL_REASON, "Curated", by_rule=True)


def main(argv: list[str] | None = None) -> int:
    """Build; exit 0 when written (or current with --check), 1 when stale, 2 on bad input."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--guide", type=Path, default=build_kb.DEFAULT_GUIDE, help="the guide's text")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if out of date")
    args = ap.parse_args(argv)
    try:
        text = args.guide.read_text(encoding="utf-8")
    except OSError as exc:
        print(
            f"build_assessments: cannot read the guide {args.guide}: {exc.strerror}",
            file=sys.stderr,
        )
        return 2
    try:
        ttl, counts = build(text)
    except (TableError, ReferenceMapError) as exc:
        print(f"build_assessments: {exc}", file=sys.stderr)
        return 2
    if args.check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != ttl:
            print(
                "build_assessments: assessments.ttl is out of date; run python tools/build_assessments.py",
                file=sys.stderr,
            )
            return 1
        return 0
    tmp = OUT.with_name(f".{OUT.name}.tmp")
    tmp.write_text(ttl, encoding="utf-8", newline="\n")
    tmp.replace(OUT)
    print(f"wrote {OUT.name}")
    for k, v in counts.items():
        print(f"{k}: {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
