"""The computed checks (relaxgraph.checking.assessment) on a fixture of fictional drugs.

Each check is run on one supported, one contradicted and one imprecise (or unsupported) claim;
the fixture uses the reference layer's vocabulary (rgo:ReferenceStatement, labelled indications,
routes, dosage forms, targets with action types, ATC class memberships, boxed warnings).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from relaxgraph.checking import assessment as checks
from relaxgraph.checking.assessment import Finding, ReferenceMapError, load_reference_map

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RG = "https://w3id.org/relaxgraph/id/"


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph().parse(FIXTURES / "assessment_reference.ttl", format="turtle")


@pytest.fixture(scope="module")
def findings(graph: Graph) -> dict[str, Finding]:
    rmap = load_reference_map(FIXTURES / "assessment_reference-map.tsv")
    return {f.statement.removeprefix(RG): f for f in checks.run_checks(graph, rmap)}


CASES = [
    # check, statement, verdict, evidence (reference statements)
    ("indication", "st-alphafen-treats-fx-spasticity", "Supported", {"ref-a-ind-1"}),
    ("indication", "st-alphafen-treats-fx-ms", "Imprecise", {"ref-a-ind-2"}),
    ("indication", "st-alphafen-treats-fx-spasm", "Contradicted", {"ref-a-ind-3"}),
    ("route", "st-alphafen-administrationRoute-fx-oral", "Supported", {"ref-a-route-1"}),
    ("route", "st-alphafen-administrationRoute-fx-intrathecal", "Contradicted", {"ref-a-warn-1"}),
    # a class's route, from its members' labels
    ("route", "st-fx-central-administrationRoute-fx-oral", "Supported", {"ref-g-route-1"}),
    ("route", "st-fx-direct-administrationRoute-fx-intrathecal", "Contradicted", {"ref-a-warn-1"}),
    (
        "dosage-form",
        "st-alphafen-hasDosageForm-fx-tablet",
        "Supported",
        {"ref-a-form-1", "ref-a-route-1"},
    ),
    (
        "dosage-form",
        "st-betafen-hasDosageForm-fx-intrathecal-pump",
        "Imprecise",
        {"ref-b-route-1", "ref-b-form-1"},
    ),
    (
        "dosage-form",
        "st-alphafen-hasDosageForm-fx-intrathecal-injection",
        "Contradicted",
        {"ref-a-warn-1"},
    ),
    ("mechanism", "st-betafen-hasMechanism-fx-agonism", "Supported", {"ref-b-target-1"}),
    ("mechanism", "st-betafen-hasMechanism-fx-enhancing", "Contradicted", {"ref-b-target-1"}),
    ("mechanism", "st-betafen-targets-fx-receptors", "Imprecise", {"ref-b-target-1"}),
    ("class-membership", "st-gammafen-type-fx-central", "Supported", {"ref-g-atc-1"}),
    ("class-membership", "st-gammafen-type-fx-direct", "Contradicted", {"ref-g-atc-1"}),
    (
        "class-membership",
        "st-deltafen-type-fx-central",
        "Imprecise",
        {"ref-d-atc-1", "ref-d-atc-2"},
    ),
    ("safety", "st-alphafen-hasSideEffect-fx-drowsiness", "Supported", {"ref-a-ar-1"}),
    ("safety", "st-alphafen-hasSideEffect-fx-rash", "Contradicted", {"ref-a-warn-2"}),
    ("safety", "st-alphafen-hasWithdrawalSymptom-fx-hallucinations", "Imprecise", {"ref-a-box-1"}),
    ("brand", "st-alphabrand-brandOf-alphafen", "Supported", {"ref-a-brand"}),
    ("brand", "st-betabrand-brandOf-alphafen", "Contradicted", {"ref-b-brand"}),
    ("brand", "st-nobrand-brandOf-alphafen", "Unsupported", {"ref-a-brand"}),
]


@pytest.mark.parametrize(("check", "statement", "verdict", "evidence"), CASES, ids=lambda x: str(x))
def test_each_check_judges_its_fixture_claims(
    findings: dict[str, Finding], check: str, statement: str, verdict: str, evidence: set[str]
) -> None:
    found = findings[statement]
    assert (found.check, found.verdict) == (check, verdict), found.reason
    assert {e.removeprefix(RG) for e in found.evidence} == evidence
    assert found.reason.endswith(".") and "\n" not in found.reason
    if verdict == "Supported":
        assert found.kind is None
    else:
        assert found.kind is not None


def test_every_check_has_a_supported_a_contradicted_and_an_imprecise_case() -> None:
    by_check: dict[str, set[str]] = {}
    for check, _, verdict, _ in CASES:
        by_check.setdefault(check, set()).add(verdict)
    # routes and dosage forms are one check of the issue (a dosage form or route against the labels)
    by_check["dosage-form"] |= by_check.pop("route")
    assert set(by_check) == set(checks.CHECKS) - {"route"}
    by_check.pop("brand")  # beyond the list: supported, contradicted, unsupported
    for check, verdicts in by_check.items():
        assert {"Supported", "Contradicted", "Imprecise"} <= verdicts, check


@pytest.mark.parametrize(
    "statement",
    [
        "st-alphafen-treats-fx-cp",  # no indication read names cerebral palsy
        "st-gammafen-administrationRoute-fx-intrathecal",  # only the oral route was read
        "st-gammafen-hasDosageForm-fx-intrathecal-injection",  # only a tablet was read
        "st-deltafen-hasDosageForm-fx-intrathecal-pump",  # the form read is another record's
        "st-fx-direct-administrationRoute-fx-rectal",  # no member's label read gives it
    ],
)
def test_what_the_reference_does_not_hold_is_no_verdict(
    findings: dict[str, Finding], statement: str
) -> None:
    """The label facts are what could be read, not whole labels: an absence judges nothing,
    so the claim is left to the curated review (it once read 'None of the diazepam label's
    indications mentions spasticity' when only the first indication had been read)."""
    assert statement not in findings


def test_a_claim_without_reference_facts_is_not_computed(graph: Graph) -> None:
    empty = checks.ReferenceMap()
    bare = Graph()
    for triple in graph.triples((None, None, None)):
        if "ref-" not in str(triple[0]):
            bare.add(triple)
    assert list(checks.run_checks(bare, empty)) == []


def test_compute_keeps_the_most_severe_finding(graph: Graph) -> None:
    rmap = load_reference_map(FIXTURES / "assessment_reference-map.tsv")
    computed = checks.compute(graph, rmap)
    assert computed[RG + "st-alphafen-treats-fx-spasm"].verdict == "Contradicted"
    assert len(computed) == len(CASES)


def test_a_bad_reference_map_teaches(tmp_path: Path) -> None:
    bad = tmp_path / "map.tsv"
    bad.write_text("entity\tmaps_to\tvalue\tnote\nx\taction\tEnhancer\t\n", encoding="utf-8")
    with pytest.raises(ReferenceMapError, match="unknown action type 'Enhancer'"):
        load_reference_map(bad)
    bad.write_text("entity\tmaps_to\tvalue\tnote\nx\tcolour\tred\t\n", encoding="utf-8")
    with pytest.raises(ReferenceMapError, match="unknown kind 'colour'"):
        load_reference_map(bad)
