"""Everything the graph says about one entity, with where the guide says it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Description", "Relation", "describe"]

#: The query is ``queries/internal/describe-relations.rq`` (see :func:`relaxgraph.querying.catalogue.internal`).
RELATIONS_QUERY = "describe-relations"


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


@dataclass
class Description:
    """An entity and everything the graph says about it."""

    iri: str
    label: str
    kind: str
    names: list[str]
    relations: list[Relation] = field(default_factory=list)

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
            if r.flag:
                where += f"  [FLAGGED: {r.flag}]"
            rows.append((prop if r.direction == "out" else f"\u2190 {prop}", value, where))
        lines.append(format_table(["property", "value", "where the guide says it"], rows))
        return "\n".join(lines)


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
    desc = Description(entity.iri, entity.label, entity.kind, sorted(entity.names))
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
    return desc
