"""The SHACL shapes (ontology/shapes.ttl) and the integrity checks (ontology/checks/*.rq)."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from relaxgraph.namespaces import RG

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
ONTOLOGY = ONTOLOGY_DIR / "relaxgraph.ttl"
SHAPES = ONTOLOGY_DIR / "shapes.ttl"
CHECKS = sorted((ONTOLOGY_DIR / "checks").glob("*.rq"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"

HEADER = re.compile(
    r"\A#\+ summary: (?P<summary>[^\n]+)\n"
    r"#\+ description: (?P<description>[^\n]+)\n"
    r"#\+ tags: (?P<tags>[a-z]+(?:, [a-z]+)*)\n"
)

# focus node of the fixture -> the sh:message it must be reported with
EXPECTED_SHAPE_VIOLATIONS = {
    "bad-statement-without-evidence": (
        "A guide statement needs at least one rgo:evidence, a quote where the guide says it."
    ),
    "bad-chebi": "A ChEBI identifier is written CHEBI: and digits, e.g. CHEBI:2972.",
    "bad-price-without-currency": "A price needs exactly one rgo:currency.",
    "bad-percentage-string": (
        'rgo:percentage must be an xsd:decimal from 0 to 100 (write 80.0, not "80" or 80).'
    ),
    "bad-price-without-amount": "A price needs an rgo:minPrice or an rgo:maxPrice (or both).",
    "bad-quote-backwards": "A quote's oa:start must be less than its oa:end.",
    "bad-flag-without-reason": (
        "A flag needs an rgo:reason, a non-empty plain string saying why it was raised."
    ),
    "bad-two-labels": "An entity needs exactly one rdfs:label, a plain string or an @en string.",
}

# check -> an rg: node that must appear in its rows on tests/fixtures/broken_checks.ttl
EXPECTED_CHECK_ROWS = {
    "unreified-domain-triple": {"ok-drug", "bad-unreified-class"},
    "quote-outside-section": {"bad-quote-outside"},
    "flag-without-reason": {"bad-flag"},
    "dangling-entity": {"bad-dangling"},
    "curated-identifier-without-check": {"bad-identifier-holder"},
    "overlapping-sections": {"bad-overlapping-section"},
    "statement-without-triple": {"bad-statement-without-triple"},
}


def shapes_graph() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def kb_files() -> list[Path]:
    files = sorted((ONTOLOGY_DIR / "kb").glob("*.ttl"))
    assert files, "no knowledge-base files in ontology/kb/*.ttl"
    return files


def load_rdflib(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def load_oxigraph(*paths: Path) -> ox.Store:
    store = ox.Store()
    for path in paths:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def select(store: ox.Store, query: str) -> list[ox.QuerySolution]:
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    return list(solutions)


def violations(data: Graph) -> tuple[bool, Graph, str]:
    conforms, report, text = validate(data, shacl_graph=shapes_graph(), inference="none")
    assert isinstance(report, Graph) and isinstance(text, str)
    return bool(conforms), report, text


# --- the shapes file ----------------------------------------------------------------


def test_shapes_parse_in_rdflib_and_oxigraph() -> None:
    assert len(load_oxigraph(SHAPES)) == len(shapes_graph()) > 200


def test_every_property_shape_has_a_message() -> None:
    shapes = shapes_graph()
    # every sh:property shape (the sh:or alternatives of the price shape are not reported
    # themselves: the price shape's own message is)
    property_shapes = set(shapes.objects(None, SH.property))
    assert len(property_shapes) > 50
    missing = [s for s in property_shapes if shapes.value(s, SH.message) is None]
    assert not missing, f"property shapes without sh:message: {missing}"


def test_shapes_only_use_declared_rgo_terms() -> None:
    onto = load_rdflib(ONTOLOGY)
    declared = {s for s in onto.subjects(RDF.type, None) if isinstance(s, URIRef)}
    used = {
        t
        for triple in shapes_graph()
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith("https://w3id.org/relaxgraph/ontology#")
    }
    assert used <= declared, sorted(used - declared)


# --- the knowledge base conforms ----------------------------------------------------


def test_ontology_and_kb_conform_to_the_shapes() -> None:
    conforms, _, text = violations(load_rdflib(ONTOLOGY, *kb_files()))
    assert conforms, text[:20000]


# --- a broken fixture fails, readably -----------------------------------------------


def test_broken_fixture_fails_with_readable_messages() -> None:
    conforms, report, text = violations(load_rdflib(ONTOLOGY, FIXTURES / "broken_shapes.ttl"))
    assert not conforms
    found: dict[str, set[str]] = {}
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        message = report.value(result, SH.resultMessage)
        assert isinstance(focus, URIRef) and isinstance(message, Literal)
        found.setdefault(str(focus).removeprefix(str(RG)), set()).add(str(message))
    # exactly the broken nodes fail, each for its own reason; the ok-* nodes pass
    assert set(found) == set(EXPECTED_SHAPE_VIOLATIONS)
    for node, expected in EXPECTED_SHAPE_VIOLATIONS.items():
        assert found[node] == {expected}, (node, found[node])
        assert f"Message: {expected}" in text


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ('rgo:chebi "CHEBI:2972"', True),
        ('rgo:chebi "CHEBI-2972"', False),
        ('rgo:chebi "chebi:2972"', False),
        ('rgo:drugbank "DB00181"', True),
        ('rgo:drugbank "DB181"', False),
        ('rgo:atc "M03BX01"', True),
        ('rgo:atc "M03BX"', True),
        ('rgo:atc "M03"', True),
        ('rgo:atc "M"', True),
        ('rgo:atc "M03BX1"', False),
        ('rgo:atc "m03bx01"', False),
        ('rgo:pubchemCompound "2284"', True),
        ("rgo:pubchemCompound 2284", False),
        ('rgo:mesh "D001418"', True),
        ('rgo:mesh "D000071074"', True),
        ('rgo:mesh "E001418"', False),
        ('rgo:rxnorm "1292"', True),
        ('rgo:rxnorm "RX1292"', False),
        ('rgo:uniprot "Q9UBS5"', True),
        ('rgo:uniprot "A0A023GPI8"', True),
        ('rgo:uniprot "Q9UBS"', False),
        ('rgo:hgnc "HGNC:4070"', True),
        ('rgo:hgnc "4070"', False),
        ('rgo:mondo "MONDO:0005301"', True),
        ('rgo:mondo "MONDO:5301"', False),
        ('rgo:doid "DOID:2377"', True),
        ('rgo:doid "DOID_2377"', False),
        ('rgo:hpo "HP:0002018"', True),
        ('rgo:hpo "HPO:0002018"', False),
        ('rgo:umls "C0013144"', True),
        ('rgo:umls "C013144"', False),
        ("rgo:age 40", True),
        ('rgo:age "40"', False),
        ("rgo:supplyDays 30", True),
        ("rgo:supplyDays 0", False),
        ("rgo:referenceGiven false", True),
        ('rgo:referenceGiven "no"', False),
        ("rgo:percentage 80.0", True),
        ("rgo:percentage 80", False),
        ("rgo:percentage 180.0", False),
    ],
)
def test_value_formats(value: str, ok: bool) -> None:
    data = Graph().parse(
        data=f"""
        @prefix rg: <https://w3id.org/relaxgraph/id/> .
        @prefix rgo: <https://w3id.org/relaxgraph/ontology#> .
        rg:thing {value} .
        """,
        format="turtle",
    )
    conforms, _, text = violations(data)
    assert conforms is ok, text


# --- the integrity checks -----------------------------------------------------------


def test_the_checks_exist() -> None:
    assert {p.stem for p in CHECKS} == set(EXPECTED_CHECK_ROWS)


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_check_has_header(check: Path) -> None:
    text = check.read_text(encoding="utf-8")
    match = HEADER.match(text)
    assert match, f"{check.name} does not start with the #+ summary/description/tags header"
    assert "integrity" in match["tags"].split(", ")
    assert str(ROOT.parent) not in text


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_check_fails_on_the_broken_fixture(check: Path) -> None:
    """Every check can fail: it lists the fixture's violation, in Oxigraph and in rdflib."""
    query = check.read_text(encoding="utf-8")
    fixture = FIXTURES / "broken_checks.ttl"
    expected = {str(RG[n]) for n in EXPECTED_CHECK_ROWS[check.stem]}

    solutions = select(load_oxigraph(ONTOLOGY, fixture), query)
    ox_values = {t.value for row in solutions for t in row if isinstance(t, ox.NamedNode)}
    assert expected <= ox_values, (check.name, "oxigraph", sorted(ox_values))

    rows = load_rdflib(ONTOLOGY, fixture).query(query)
    rdflib_values = {str(t) for row in rows for t in row if isinstance(t, URIRef)}  # type: ignore[union-attr]
    assert expected <= rdflib_values, (check.name, "rdflib", sorted(rdflib_values))


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_check_passes_on_the_shapes_fixture_ok_nodes(check: Path) -> None:
    """The well-formed half of broken_shapes.ttl raises nothing in any check."""
    graph = load_rdflib(FIXTURES / "broken_shapes.ttl")
    for node in {s for s in graph.subjects() if str(s).startswith(str(RG["bad-"]))}:
        graph.remove((node, None, None))
        graph.remove((None, None, node))
    store = ox.Store()
    store.load(graph.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)
    store.load(path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE)
    rows = select(store, check.read_text(encoding="utf-8"))
    assert rows == [], (check.name, rows)


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_check_passes_on_the_kb(check: Path) -> None:
    store = load_oxigraph(ONTOLOGY, *kb_files())
    rows = select(store, check.read_text(encoding="utf-8"))
    assert rows == [], f"{check.name}: {len(rows)} violations, e.g. {rows[:10]}"
