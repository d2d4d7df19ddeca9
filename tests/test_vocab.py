"""The ontology says once which terms are provenance, and every reader asks it (issue 11, item 3).

The network view, the integrity check ``unreified-domain-triple.rq`` and ``describe`` all take
the set from ``rgo:layerRole rgo:Provenance`` in the ontology: mark one more property in a copy
of the ontology and all three treat it as provenance at once.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from relaxgraph import _resources
from relaxgraph.description import describe
from relaxgraph.network import PROVENANCE_KINDS, to_networkx
from relaxgraph.sparql import OxigraphEngine, run
from relaxgraph.store import parse_turtle_into
from relaxgraph.vocab import from_engine, from_turtle, provenance_terms

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology"
RGO = "https://w3id.org/relaxgraph/ontology#"
RG = "https://w3id.org/relaxgraph/id/"
SIDE_EFFECT = RGO + "hasSideEffect"
CHECK = ONTOLOGY / "checks" / "unreified-domain-triple.rq"

# An unreified domain triple: the check must report it while hasSideEffect is a domain property.
UNREIFIED = f"<{RG}baclofen> <{SIDE_EFFECT}> <{RG}test-only-effect> .\n"
# The one line a curator would add to the ontology to make hasSideEffect provenance.
MARK = f"<{SIDE_EFFECT}> <{RGO}layerRole> <{RGO}Provenance> .\n"


def _engine(tmp_path: Path, *, mark: bool) -> OxigraphEngine:
    """The shipped data plus one unreified triple; ``mark``: the ontology copy marks hasSideEffect."""
    folder = tmp_path / ("marked" if mark else "plain")
    shutil.copytree(ONTOLOGY, folder, ignore=shutil.ignore_patterns("entailed.nt"))
    with (folder / "kb" / "extra.ttl").open("w", encoding="utf-8") as f:
        f.write(UNREIFIED)
    if mark:
        with (folder / "relaxgraph.ttl").open("a", encoding="utf-8") as f:
            f.write("\n" + MARK)
    store = ox.Store()
    for ttl in [folder / "relaxgraph.ttl", *sorted((folder / "kb").glob("*.ttl"))]:
        parse_turtle_into(store, ttl)
    return OxigraphEngine(store)


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, OxigraphEngine]:
    tmp = tmp_path_factory.mktemp("vocab")
    return {mark: _engine(tmp, mark=mark) for mark in (False, True)}


def _check_predicates(engine: OxigraphEngine) -> set[str]:
    rows = run(engine, CHECK.read_text(encoding="utf-8")).terms
    return {p.value for _, p, _ in rows if p is not None}


def _network_predicates(engine: OxigraphEngine) -> set[str]:
    return {d["predicate"] for _, _, d in to_networkx(engine).edges(data=True)}


def _describe_predicates(engine: OxigraphEngine) -> set[str]:
    return {r.property for r in describe("baclofen", engine).relations if r.direction != "mention"}


def test_shipped_ontology_marks_the_provenance_terms() -> None:
    terms = provenance_terms()
    assert {RGO + p for p in ("evidence", "evidenceKind", "flags", "flagKind", "inList")} <= (
        terms.properties
    )
    assert {"GuideStatement", "CuratedStatement", "Quote", "Section", "Flag"} <= terms.kinds
    assert SIDE_EFFECT not in terms and RGO + "Drug" not in terms
    assert terms.classes.isdisjoint(terms.properties)
    # network's public constant is the ontology's answer, not a list of its own
    assert terms.kinds == PROVENANCE_KINDS


def test_an_engine_reports_what_its_ontology_declares(engines: dict[bool, OxigraphEngine]) -> None:
    plain, marked = from_engine(engines[False]), from_engine(engines[True])
    assert plain == provenance_terms()
    assert marked.properties == plain.properties | {SIDE_EFFECT}
    assert from_turtle(MARK.encode()).properties == {SIDE_EFFECT}


def test_network_check_and_describe_follow_the_ontology(
    engines: dict[bool, OxigraphEngine],
) -> None:
    plain, marked = engines[False], engines[True]
    # As shipped, hasSideEffect is a domain property: drawn, described, and its unreified triple reported.
    assert SIDE_EFFECT in _network_predicates(plain)
    assert SIDE_EFFECT in _describe_predicates(plain)
    assert _check_predicates(plain) == {SIDE_EFFECT}
    # One line in the ontology copy, and all three treat it as provenance.
    assert SIDE_EFFECT not in _network_predicates(marked)
    assert SIDE_EFFECT not in _describe_predicates(marked)
    assert _check_predicates(marked) == set()


def test_no_reader_shows_a_provenance_property(engines: dict[bool, OxigraphEngine]) -> None:
    """On the shipped data the network and describe use no property the ontology calls provenance."""
    provenance = provenance_terms().properties
    engine = engines[False]
    assert not _network_predicates(engine) & provenance
    for name in ("baclofen", "centrally acting muscle relaxants", "drowsiness"):
        used = {r.property for r in describe(name, engine).relations if r.direction != "mention"}
        assert used and not used & provenance, name


def test_shipped_files_are_what_is_read() -> None:
    shipped = (_resources.ontology_dir() / "relaxgraph.ttl").read_bytes()
    assert from_turtle(shipped) == provenance_terms()
