"""The assessments layer (ontology/kb/assessments.ttl) and `relaxgraph check`.

Every guide statement has exactly one assessment with a verdict and a reason; every reviewed row
of data/curation/guide-review.tsv is anchored to its passage of the guide; the command's summary
counts what the layer holds, in three formats, with its documented exit codes.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import require_or_skip
from rdflib import RDF, Graph, Literal, URIRef

from relaxgraph.cli import cli
from relaxgraph.namespaces import OA, RGO

ROOT = Path(__file__).resolve().parents[1]
KB = ROOT / "ontology" / "kb"
REVIEW = ROOT / "data" / "curation" / "guide-review.tsv"
GUIDE = ROOT.parent / "shared" / "seed" / "000_ea26d7bc678bc55f.txt"
VERDICTS = (
    "contradicted",
    "inconsistent",
    "unsupported",
    "imprecise",
    "not-checkable",
    "supported",
)


@pytest.fixture(scope="module")
def layers() -> Graph:
    g = Graph().parse(ROOT / "ontology" / "relaxgraph.ttl", format="turtle")
    for name in ("guide.ttl", "curation.ttl", "assessments.ttl"):
        g.parse(KB / name, format="turtle")
    return g


def review_rows() -> list[list[str]]:
    return [line.split("\t") for line in REVIEW.read_text(encoding="utf-8").splitlines()[1:]]


def test_every_guide_statement_has_exactly_one_assessment_with_a_reason(layers: Graph) -> None:
    statements = set(layers.subjects(RDF.type, RGO.GuideStatement))
    assert len(statements) > 300
    for st in statements:
        assessments = list(layers.subjects(RGO.assessedStatement, st))
        assert len(assessments) == 1, st
        a = assessments[0]
        assert (a, OA.hasTarget, st) in layers
        reason = layers.value(a, RGO.reason)
        assert isinstance(reason, Literal) and len(str(reason)) > 20, a
        assert (layers.value(a, RGO.verdict), RDF.type, RGO.Verdict) in layers, a
        assert layers.value(a, RGO.assessmentMethod) in (RGO.Computed, RGO.Curated)


def test_every_reviewed_row_is_anchored_to_its_passage(layers: Graph) -> None:
    rows = review_rows()
    assert len(rows) == 108
    for row in rows:
        node = URIRef(f"https://w3id.org/relaxgraph/id/review-{row[0].lower()}")
        assert (node, RDF.type, RGO.Assessment) in layers, row[0]
        target = layers.value(node, OA.hasTarget)
        assert str(layers.value(target, OA.exact)) == row[2], row[0]
        assert str(layers.value(node, RGO.reason)) == row[5]
        kind = "".join(w.capitalize() for w in row[3].split("-"))
        assert layers.value(node, RGO.problemKind) == RGO[kind]


def test_flagged_rows_name_their_flag_and_flags_stay_valid(layers: Graph) -> None:
    flagged = [r for r in review_rows() if r[8]]
    matched = 0
    for row in flagged:
        node = URIRef(f"https://w3id.org/relaxgraph/id/review-{row[0].lower()}")
        flags = list(layers.objects(node, RGO.matchesFlag))
        for flag in flags:
            assert layers.value(flag, RGO.flagKind) == RGO[row[8]]
        matched += bool(flags)
    assert matched == len(flagged) == 31
    assert len(set(layers.subjects(RDF.type, RGO.Flag))) == 19


def test_a_statement_judged_by_a_reviewed_row_rests_on_it(layers: Graph) -> None:
    st = URIRef(
        "https://w3id.org/relaxgraph/id/st-baclofen-hasMechanism-enhancement-of-gaba-receptor-activity"
    )
    a = next(layers.subjects(RGO.assessedStatement, st))
    assert layers.value(a, RGO.verdict) in (RGO.Contradicted,)
    assert URIRef("https://w3id.org/relaxgraph/id/review-gr005") in set(
        layers.objects(a, RGO.restsOn)
    )
    assert URIRef("https://w3id.org/relaxgraph/id/flag-baclofen-enhances-gaba") in set(
        layers.objects(a, RGO.matchesFlag)
    )


def test_the_builder_reproduces_the_shipped_file() -> None:
    require_or_skip(GUIDE.exists(), f"the guide is not at {GUIDE}")
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        builder = importlib.import_module("build_assessments")
    finally:
        sys.path.remove(str(ROOT / "tools"))
    ttl, counts = builder.build(GUIDE.read_text(encoding="utf-8"))
    assert ttl == (KB / "assessments.ttl").read_text(encoding="utf-8")
    assert counts["reviewed passages"] == 108


# --- relaxgraph check -----------------------------------------------------------------------


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_check_json_counts_what_the_layer_holds(layers: Graph) -> None:
    code, out, _ = invoke("check", "--format", "json")
    assert code == 0
    data = json.loads(out)
    statements = len(set(layers.subjects(RDF.type, RGO.GuideStatement)))
    assert (
        data["statements"]["total"] == statements == sum(data["statements"]["by_verdict"].values())
    )
    assert data["passages"]["total"] == 108
    contradicted = {
        a
        for a in layers.subjects(RGO.verdict, RGO.Contradicted)
        if layers.value(a, RGO.assessedStatement) is not None
    }
    assert data["statements"]["by_verdict"]["contradicted"] == len(contradicted) > 0
    assert list(data["statements"]["by_verdict"]) == list(VERDICTS)


def test_check_table_and_csv_agree() -> None:
    code, out, _ = invoke("check", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    by = {(r["group"], r["value"]): r for r in rows}
    code, table, _ = invoke("check")
    assert code == 0 and "Assessments of the guide" in table
    line = next(line for line in table.splitlines() if line.startswith("verdict  contradicted"))
    assert line.split()[-2:] == [
        by[("verdict", "contradicted")]["statements"],
        by[("verdict", "contradicted")]["passages"],
    ]


def test_check_list_gives_reason_and_evidence_for_each_claim() -> None:
    code, out, _ = invoke("check", "--list", "--verdict", "contradicted", "--format", "json")
    assert code == 0
    items = json.loads(out)["assessments"]
    assert items and {i["verdict"] for i in items} == {"contradicted"}
    for item in items:
        assert item["reason"] and item["passages"], item
    assert any(e["link"] for i in items for e in i["evidence"])


def test_check_exit_codes() -> None:
    code, _, err = invoke("check", "--fail-on", "contradicted")
    assert code == 1 and "contradicted" in err
    code, _, err = invoke("check")
    assert code == 0 and err == ""
    code, _, err = invoke("check", "--format", "xml")
    assert code == 2 and "--format" in err


def test_a_bad_review_row_fails_with_file_line_and_column(tmp_path: Path) -> None:
    require_or_skip(GUIDE.exists(), f"the guide is not at {GUIDE}")
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        builder = importlib.import_module("build_assessments")
    finally:
        sys.path.remove(str(ROOT / "tools"))
    lines = REVIEW.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split("\t")
    cells[4] = "probably-true"  # not a verdict
    (tmp_path / "guide-review.tsv").write_text(
        "\n".join([lines[0], "\t".join(cells)]) + "\n", encoding="utf-8"
    )
    (tmp_path / "reference-map.tsv").write_text(
        (ROOT / "data" / "curation" / "reference-map.tsv").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    with pytest.raises(builder.AssessmentBuildError) as info:
        builder.build(GUIDE.read_text(encoding="utf-8"), data=tmp_path)
    message = str(info.value)
    assert message.startswith("data/curation/guide-review.tsv:2: column verdict: unknown value")
    assert "allowed: supported, imprecise" in message
    cells[4], cells[2] = "imprecise", "words the guide never wrote"
    (tmp_path / "guide-review.tsv").write_text(
        "\n".join([lines[0], "\t".join(cells)]) + "\n", encoding="utf-8"
    )
    with pytest.raises(builder.AssessmentBuildError, match="column quote: not found in the guide"):
        builder.build(GUIDE.read_text(encoding="utf-8"), data=tmp_path)
