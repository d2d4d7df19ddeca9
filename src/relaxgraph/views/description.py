"""Everything the graph says about one entity, with where the guide says it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["AssessmentLine", "Description", "Relation", "describe"]

#: The query is ``queries/internal/describe-relations.rq`` (see :func:`relaxgraph.querying.catalogue.internal`).
RELATIONS_QUERY = "describe-relations"
#: Names, identifiers, flags on the entity and assessments of claims about it.
EXTRAS_QUERY = "describe-extras"
__all__ = ["Description", "ReferenceFact", "Relation", "describe"]

#: The query is ``queries/internal/describe-relations.rq`` (see :func:`relaxgraph.querying.catalogue.internal`).
RELATIONS_QUERY = "describe-relations"
#: What the reference sources say: ``queries/internal/describe-reference.rq``.
REFERENCE_QUERY = "describe-reference"


@dataclass
class Relation:
    """One triple about the entity, read from its side."""

    direction: str  # "out" (entity is the subject) or "in"
    property: str
    property_label: str
    value: str
    value_label: str
    section: str | None = None
    quote: str | None = None
    evidence_kind: str | None = None
    flag: str | None = None


@dataclass(frozen=True, order=True)
class ReferenceFact:
    """One public source's claim about the entity (a reference-layer statement), never the guide's."""

    direction: str  # "out" (entity is the subject) or "in"
    property: str
    property_label: str
    value: str
    value_label: str
    source: str  # the source dataset's label
    record: str | None = None  # the record (URL) the fact was read in
    quote: str | None = None  # the label's words, for a fact read in a label
    action: str | None = None  # how a drug acts on a target (agonist, blocker, ...)
    qualifier: str | None = None  # the restriction the source states (limitation of use ...)
    product: str | None = None  # the product a label fact belongs to


@dataclass
class AssessmentLine:
    """The assessment of one guide statement about the entity."""

    verdict: str
    claim: str
    reason: str
    evidence_kind: str | None = None


@dataclass
class Description:
    """An entity and everything the graph says about it.

    ``names`` are its labels, synonyms and brand names; ``identifiers`` its identifiers in other
    databases ("DrugBank identifier: DB00181"); ``flags`` the flags raised on the entity itself
    (a study, statistic, price or person: "missing reference: ..."); ``assessments`` the verdict
    on every guide statement about it.
    """

    iri: str
    label: str
    kind: str
    names: list[str]
    relations: list[Relation] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    assessments: list[AssessmentLine] = field(default_factory=list)
    #: What public sources say (the reference layer), kept apart from the guide's claims.
    reference: list[ReferenceFact] = field(default_factory=list)

    def text(self) -> str:
        """A readable summary, safe to print on a terminal: control characters in the data
        (ESC, C0/C1 controls, bidirectional overrides) are shown as escapes."""
        from ..querying.resolve import compact
        from ._terminal import printable
        from .table import format_table

        head = printable(f"{self.label} ({compact(self.iri)}, {self.kind})")
        others = sorted(n for n in self.names if n != self.label)
        lines = [head]
        if others:
            lines.append(printable("also known as: " + ", ".join(others)))
        if self.identifiers:
            lines.append(printable("identifiers: " + ", ".join(self.identifiers)))
        for flag in self.flags:
            lines.append(printable(f"FLAGGED: {flag}"))
        for r in self.relations:
            if r.direction == "mention" and r.quote:
                line = f"mentioned in § {r.section}: \u201c{' '.join(r.quote.split())}\u201d"
                lines.append(printable(line))
        rows = []
        for r in self.relations:
            if r.direction == "mention":
                continue
            prop = r.property_label or compact(r.property)
            value = r.value_label or (compact(r.value) if "://" in r.value else r.value)
            where = f"§ {r.section}: \u201c{r.quote}\u201d" if r.quote else ""
            if r.quote and r.evidence_kind:
                where += f" [{_spelled(r.evidence_kind)}]"
            if r.flag:
                where += f"  [FLAGGED: {r.flag}]"
            rows.append((prop if r.direction == "out" else f"\u2190 {prop}", value, where))
        lines.append(format_table(["property", "value", "where the guide says it"], rows))
        if self.reference:
            lines.append("what public sources say (reference layer, not the guide):")
            lines.append(format_table(["property", "value", "source", "record"], self._ref_rows()))
        if self.assessments:  # after the sources: the reasons cite them
            lines.append("assessments of the guide's claims about it:")
            lines.append(
                format_table(
                    ["verdict", "claim", "evidence kind", "reason"],
                    [
                        (a.verdict, a.claim, a.evidence_kind or "", a.reason)
                        for a in self.assessments
                    ],
                )
            )
        return "\n".join(lines)

    def _ref_rows(self) -> list[tuple[str, str, str, str]]:
        from ..querying.resolve import compact

        rows = []
        for f in self.reference:
            prop = f.property_label or compact(f.property)
            value = f.value_label or (compact(f.value) if "://" in f.value else f.value)
            if f.action:
                value += f" ({f.action})"
            if f.product:
                value += f" [{f.product}]"
            if f.qualifier:
                value += f" [{f.qualifier}]"
            if f.quote:
                value += f": \u201c{' '.join(f.quote.split())}\u201d"
            rows.append(
                (
                    prop if f.direction == "out" else f"\u2190 {prop}",
                    value,
                    f.source,
                    f.record or "",
                )
            )
        return rows


def _spelled(kind: str) -> str:
    """``StudyCitedWithoutReference`` -> ``study cited without reference``."""
    import re

    return re.sub(r"(?<!^)(?=[A-Z])", " ", kind).lower()


def describe(name: str, engine: Any | None = None) -> Description:
    """Describe the entity ``name`` (a label, synonym or identifier) on ``engine`` (default: bundled graph)."""
    import pyoxigraph as ox

    from ..checking.vocab import from_engine, provenance_terms
    from ..querying.catalogue import internal
    from ..querying.resolve import index
    from ..querying.sparql import run

    if engine is None:
        from ..api import default_engine

        engine = default_engine()
    entity = index(engine).lookup(name)
    result = run(engine, internal(RELATIONS_QUERY).text, {"e": ox.NamedNode(entity.iri)})
    desc = Description(entity.iri, entity.label, entity.kind, [])
    extras = run(engine, internal(EXTRAS_QUERY).text, {"e": ox.NamedNode(entity.iri)})
    _add_extras(desc, extras.terms)
    # Links through provenance properties (the ontology's rgo:layerRole rgo:Provenance) are where
    # the guide says something, shown beside each relation, not relations themselves.
    provenance = (provenance_terms() | from_engine(engine)).properties
    seen: set[tuple[str, ...]] = set()
    for row in result.terms:
        _, direction, p, plabel, other, olabel, heading, quote, kind, flag = (
            None if t is None else t.value for t in row
        )
        key = (direction or "", p or "", other or "", quote or "")
        if (direction != "mention" and p in provenance) or key in seen:
            continue
        seen.add(key)
        desc.relations.append(
            Relation(
                direction or "out",
                p or "",
                plabel or "",
                other or "",
                olabel or "",
                heading,
                quote,
                kind.rsplit("#", 1)[-1] if kind else None,
                flag,
            )
        )
    desc.reference = _reference(engine, entity.iri)
    return desc


def _add_extras(desc: Description, rows: Any) -> None:
    """Names (labels, synonyms, brand names), identifiers, flags and assessments."""
    names: set[str] = set()
    for row in rows:
        _, what, value, detail, claim, kind = (None if t is None else t.value for t in row)
        if value is None:
            continue
        if what in ("label", "synonym", "brand"):
            names.add(value)
        elif what == "identifier":
            item = f"{detail}: {value}" if detail else value
            if item not in desc.identifiers:
                desc.identifiers.append(item)
        elif what == "flag":
            item = f"{detail}: {value}" if detail else value
            if item not in desc.flags:
                desc.flags.append(item)
        elif what == "assessment":
            line = AssessmentLine(detail or "", claim or "", value, kind)
            if line not in desc.assessments:
                desc.assessments.append(line)
    desc.names = sorted(names)
    severity = ["contradicted", "inconsistent", "unsupported", "supported but", "not checkable"]
    desc.assessments.sort(
        key=lambda a: (
            next((i for i, v in enumerate(severity) if a.verdict.startswith(v)), len(severity)),
            a.claim,
        )
    )


def _reference(engine: Any, iri: str) -> list[ReferenceFact]:
    """The reference statements about ``iri``, one per fact and record, in a fixed order."""
    import pyoxigraph as ox

    from ..querying.catalogue import internal
    from ..querying.sparql import run

    result = run(engine, internal(REFERENCE_QUERY).text, {"e": ox.NamedNode(iri)})
    facts: dict[tuple[str, ...], ReferenceFact] = {}
    for row in result.terms:
        _, direction, p, plabel, other, olabel, dataset, record, quote, action, qual, product = (
            None if t is None else t.value for t in row
        )
        fact = ReferenceFact(
            direction or "out", p or "", plabel or "", other or "", olabel or "",
            dataset or "", record, quote, action, qual, product,
        )  # fmt: skip
        key: tuple[str, ...] = (fact.direction, fact.property, fact.value, fact.source)
        key += (fact.record or "", fact.quote or "", fact.action or "")
        key += (fact.qualifier or "", fact.product or "")
        # several labels of one term (languages): keep the smallest, for the same text everywhere
        if key not in facts or fact < facts[key]:
            facts[key] = fact
    return sorted(facts.values(), key=_fact_order)


def _fact_order(f: ReferenceFact) -> tuple[str, ...]:
    return ("1" if f.direction != "out" else "0", f.property_label or f.property, f.value_label or f.value,
            f.source, f.record or "", f.quote or "", f.action or "", f.qualifier or "",
            f.product or "")  # fmt: skip
