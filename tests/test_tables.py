"""The curated tables (data/) and their build into ontology/kb/*.ttl (tools/build_kb.py).

The guide is not shipped; the tests that need it read it from ``../shared/seed/``.
"""

from __future__ import annotations

import importlib
import random
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import require_or_skip
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
KB = ROOT / "ontology" / "kb"
TOOLS = ROOT / "tools"
GUIDE = ROOT.parent / "shared" / "seed" / "000_ea26d7bc678bc55f.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "tables"
OUTPUTS = ("guide.ttl", "curation.ttl", "identifiers.ttl")
RGO = Namespace("https://w3id.org/relaxgraph/ontology#")


@pytest.fixture(scope="module")
def build_kb() -> ModuleType:
    if str(TOOLS) not in sys.path:
        sys.path.insert(0, str(TOOLS))
    return importlib.import_module("build_kb")


@pytest.fixture(scope="module")
def guide_text() -> str:
    require_or_skip(GUIDE.exists(), f"the guide is not at {GUIDE}")
    return GUIDE.read_text(encoding="utf-8")


def run_build(data: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            str(TOOLS / "build_kb.py"),
            "--guide",
            str(GUIDE),
            "--data",
            str(data),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


# ---------------------------------------------------------------------------------------------
# The tables rebuild today's graph
# ---------------------------------------------------------------------------------------------
def test_rebuilt_graph_is_isomorphic_to_the_shipped_one(
    build_kb: ModuleType, guide_text: str
) -> None:
    built = build_kb.build(guide_text, DATA)
    rebuilt, shipped = Graph(), Graph()
    for name, content in built.files().items():
        rebuilt.parse(data=content, format="turtle")
        shipped.parse(KB / name, format="turtle")
    assert len(rebuilt) == len(shipped) > 4000
    assert isomorphic(rebuilt, shipped)


def test_rebuilt_files_are_the_shipped_bytes(build_kb: ModuleType, guide_text: str) -> None:
    built = build_kb.build(guide_text, DATA)
    for name, content in built.files().items():
        assert content == (KB / name).read_text(encoding="utf-8"), name


def test_building_twice_gives_identical_bytes(tmp_path: Path, guide_text: str) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        proc = run_build(DATA, out)
        assert proc.returncode == 0, proc.stderr
    for name in OUTPUTS:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_row_order_does_not_change_the_output(
    tmp_path: Path, build_kb: ModuleType, guide_text: str
) -> None:
    # statements of one triple are numbered by evidence kind, not by row order
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    rng = random.Random(11)
    for table in ("guide/claims.tsv", "guide/entities.tsv", "curation/flags.tsv"):
        header, *rows = (data / table).read_text(encoding="utf-8").splitlines()
        rng.shuffle(rows)
        (data / table).write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    shuffled = build_kb.build(guide_text, data).files()
    assert shuffled == build_kb.build(guide_text, DATA).files()


def test_check_mode_reports_a_stale_file(tmp_path: Path, guide_text: str) -> None:
    out = tmp_path / "out"
    assert run_build(DATA, out).returncode == 0
    (out / "curation.ttl").write_text("# stale\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(TOOLS / "build_kb.py"), "--check", "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "curation.ttl is out of date" in proc.stderr


# ---------------------------------------------------------------------------------------------
# Bad rows: file, line and column named, exit 2, nothing written
# ---------------------------------------------------------------------------------------------
def test_the_good_fixture_builds(tmp_path: Path, guide_text: str) -> None:
    proc = run_build(FIXTURES / "good", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(OUTPUTS)


BAD_ROWS = {
    "wrong-type": "data/guide/people.tsv:2: column age: 'forty' is not a whole number"
    " (allowed: a whole number such as 40)",
    "unknown-evidence-kind": "data/guide/claims.tsv:3: column evidence_kind: unknown value"
    " 'Rumour' (allowed: GeneralStatement, HypotheticalExample, CaseStudy,",
    "quote-not-in-guide": "data/guide/claims.tsv:2: column quote: quote not found in section 19"
    " ('Common Side Effects of Baclofen'): 'Drowsiness: the rarest side effect of Baclofen'",
    "unknown-section": "data/guide/entities.tsv:2: column section: no section 99 (allowed: 1 to 28",
    "duplicate-id": "data/guide/entities.tsv:7: column id: duplicate id 'headache'"
    " (first at data/guide/entities.tsv:5)",
    "unknown-entity": "data/guide/claims.tsv:3: column object: unknown entity 'sleepiness'",
    "bad-identifier": "data/mappings/identifiers.sssom.tsv:19: column object_id: 'M03BX1' is"
    " not a valid atc identifier",
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_a_bad_row_fails_with_file_line_and_column(
    case: str, tmp_path: Path, guide_text: str
) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "good", data)
    shutil.copytree(FIXTURES / "bad" / case, data, dirs_exist_ok=True)
    out = tmp_path / "out"
    proc = run_build(data, out)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert lines[0].startswith(f"build_kb: {BAD_ROWS[case]}"), lines[0]
    assert not out.exists() or not any(out.iterdir())


def test_a_bad_row_in_a_shipped_table_leaves_the_output_alone(
    tmp_path: Path, guide_text: str
) -> None:
    out = tmp_path / "out"
    assert run_build(DATA, out).returncode == 0
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    claims = data / "guide" / "claims.tsv"
    claims.write_text(
        claims.read_text(encoding="utf-8").replace("\tGeneralStatement\t", "\tRumour\t", 1),
        encoding="utf-8",
    )
    proc = run_build(data, out)
    assert proc.returncode == 2
    assert "data/guide/claims.tsv:2: column evidence_kind: unknown value 'Rumour'" in proc.stderr
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before


def test_wide_table_value_without_its_quote_is_refused(tmp_path: Path) -> None:
    if str(TOOLS) not in sys.path:
        sys.path.insert(0, str(TOOLS))
    tables = importlib.import_module("tables")
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "good", data)
    header = (DATA / "guide" / "case-studies.tsv").read_text(encoding="utf-8").splitlines()[0]
    row = "review-mark\tTestimonial\tMark's review\tTestimonial\t20\tI started\tmark\t\t\t\t"
    (data / "guide" / "case-studies.tsv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    with pytest.raises(tables.TableError) as err:
        tables.load(data)
    assert str(err.value) == (
        "data/guide/case-studies.tsv:2: column person_quote: person is given without its quote"
    )


# ---------------------------------------------------------------------------------------------
# The schema's vocabularies are the ontology's
# ---------------------------------------------------------------------------------------------
def test_schema_terms_are_declared_in_the_ontology() -> None:
    if str(TOOLS) not in sys.path:
        sys.path.insert(0, str(TOOLS))
    tables = importlib.import_module("tables")
    onto = Graph().parse(ROOT / "ontology" / "relaxgraph.ttl", format="turtle")
    declared = set(onto.subjects(RDF.type, None))
    for name in (*tables.ENTITY_TYPES, *tables.EVIDENCE_KINDS, *tables.FLAG_KINDS):
        if name == "owl:Class":
            continue
        assert RGO[name] in declared, name
    kinds = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    for p in tables.PREDICATES:
        if p in ("type", "subClassOf"):
            continue
        assert set(onto.objects(RGO[p], RDF.type)) & kinds, p


def test_sssom_object_ids_expand_to_the_record_pages() -> None:
    builder = importlib.import_module("build_identifiers")
    text = (DATA / "mappings" / "identifiers.sssom.tsv").read_text(encoding="utf-8")
    curie_map = {}
    for line in text.splitlines():
        if line.startswith("#   "):
            prefix, _, url = line[4:].partition(": ")
            curie_map[prefix] = url
    graph = Graph().parse(KB / "identifiers.ttl", format="turtle")
    sources = {str(o) for o in graph.objects(None, DCTERMS.source)}
    rows = builder.read_table(DATA / "mappings" / "identifiers.sssom.tsv")
    for row in rows:
        prefix, _, local = row.object_id.partition(":")
        page = curie_map[prefix] + local
        assert page == builder.SCHEMES[row.scheme].url(row.value), row
        if row.asserted:
            assert page in sources, row
    assert {URIRef(curie_map["rg"])} == {URIRef("https://w3id.org/relaxgraph/id/")}
