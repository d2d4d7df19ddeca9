"""Validation: SHACL shapes and integrity-check queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..views.table import format_table

__all__ = ["CheckResult", "ValidationReport", "validate"]


@dataclass
class CheckResult:
    """One integrity check and the violations it found (none means pass)."""

    name: str
    summary: str
    variables: list[str]
    violations: list[tuple[Any, ...]]

    @property
    def passed(self) -> bool:
        return not self.violations


@dataclass
class ValidationReport:
    """What :func:`validate` found."""

    shacl_conforms: bool
    shacl_text: str
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """True when the shapes conform and every check returns no rows."""
        return self.shacl_conforms and all(c.passed for c in self.checks)

    def text(self) -> str:
        """A readable report."""
        out = [f"SHACL: {'conforms' if self.shacl_conforms else 'does NOT conform'}"]
        if not self.shacl_conforms:
            out.append(self.shacl_text.strip())
        for c in self.checks:
            status = (
                "pass"
                if c.passed
                else f"FAIL ({len(c.violations)} violation{'s' if len(c.violations) != 1 else ''})"
            )
            out.append(f"check {c.name}: {status} - {c.summary}")
            if not c.passed:
                out.append(format_table(c.variables, c.violations[:20]))
        out.append("valid" if self.conforms else "INVALID")
        return "\n".join(out)


def validate(
    graph: Any | None = None, *, shacl: bool = True, checks: bool = True
) -> ValidationReport:
    """Validate ``graph`` (an rdflib Graph; default: the bundled graph) against the shipped shapes and checks.

    >>> validate().conforms
    True
    """
    import rdflib

    from ..data import _resources
    from ..querying._convert import rdflib_to_ox
    from ..querying.catalogue import parse_query_file
    from ..querying.sparql import run
    from ..storage.engines import OxigraphEngine

    if graph is None:
        from ..storage.graph import load

        graph = load(store="memory")
    conforms, text = True, ""
    if shacl:
        import pyshacl

        shapes = rdflib.Graph().parse(data=_resources.shapes_file().read_bytes(), format="turtle")
        conforms, _, text = pyshacl.validate(
            graph, shacl_graph=shapes, inference="none", advanced=True
        )
    report = ValidationReport(bool(conforms), str(text))
    if checks:
        import pyoxigraph as ox

        store = ox.Store()
        store.extend(rdflib_to_ox(t) for t in graph)
        engine = OxigraphEngine(store)
        for f in _resources.check_files():
            q = parse_query_file(
                f.name[:-3], f.read_text(encoding="utf-8"), f"ontology/checks/{f.name}"
            )
            result = run(engine, q.text)
            report.checks.append(CheckResult(q.name, q.summary, result.variables, result.terms))
    return report
