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

from relaxgraph.checking.vocab import from_engine, from_turtle, provenance_terms
from relaxgraph.data import _resources
from relaxgraph.querying.sparql import run
from relaxgraph.storage.engines import OxigraphEngine
from relaxgraph.storage.store import parse_turtle_into
from relaxgraph.views.description import describe
from relaxgraph.views.network import PROVENANCE_KINDS, to_networkx

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


# ---------------------------------------------------------------------------------------------
# One identifier converter (issue 11, item 4)
# ---------------------------------------------------------------------------------------------
_RECORDS = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rgo: <https://w3id.org/relaxgraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?e ?p ?value ?url WHERE {
  ?e ?p ?value . ?p rdfs:subPropertyOf+ rgo:identifier .
  OPTIONAL { ?st a rgo:CuratedStatement ; rdf:subject ?e ; rdf:predicate ?p ; rdf:object ?value ;
                 dcterms:source ?url }
}"""


def identifier_records() -> list[tuple[str, str, str, str | None]]:
    """(entity, rgo: property local name, value, the record URL the data cites) for every identifier."""
    from relaxgraph.storage.engines import connect

    rows = run(connect(), "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + _RECORDS)
    return sorted(
        (e.value, p.value[len(RGO) :], v.value, None if u is None else u.value)
        for e, p, v, u in rows.terms
        if e is not None and p is not None and v is not None
    )


RECORDS = identifier_records()


def test_every_identifier_in_the_graph_has_a_record_url() -> None:
    assert len(RECORDS) >= 60
    assert all(url for *_, url in RECORDS), [r for r in RECORDS if not r[3]][:5]


@pytest.mark.parametrize(("entity", "prop", "value", "url"), RECORDS)
def test_identifier_round_trips_through_the_one_converter(
    entity: str, prop: str, value: str, url: str
) -> None:
    from relaxgraph.data import identifiers

    curie = identifiers.identifier_curie(prop, value)
    # the converter expands the CURIE to the very page the data cites, and compacts it back
    assert identifiers.expand(curie) == url == identifiers.record_url(prop, value)
    assert identifiers.compact(url) == curie
    assert identifiers.expand(identifiers.compact(url)) == url
    # and the local part is the written value (less its prefix where the value carries one)
    assert curie.split(":", 1)[1] == value.split(":", 1)[-1]


def test_project_namespaces_compact_and_expand_through_the_same_converter() -> None:
    from relaxgraph._iris import PREFIXES
    from relaxgraph.data import identifiers
    from relaxgraph.querying import resolve
    from relaxgraph.views import network

    for prefix, ns in PREFIXES.items():
        assert identifiers.compact(ns + "x") == f"{prefix}:x"
        assert identifiers.expand(f"{prefix}:x") == ns + "x"
    iri = RG + "baclofen"
    assert resolve.compact(iri) == network.compact(iri) == identifiers.compact(iri) == "rg:baclofen"
    assert identifiers.compact("http://example.org/not-known") == "http://example.org/not-known"


def test_viewer_links_are_the_record_urls_in_the_data() -> None:
    from relaxgraph.storage.engines import connect
    from relaxgraph.views.network import from_entities
    from relaxgraph.views.viz import page_data

    entities = {e for e, *_ in RECORDS}
    data = page_data(from_entities(entities, connect()))
    cited = {(e, p, v): url for e, p, v, url in RECORDS}
    shown = 0
    for details in data["nodeDetails"]:
        links = details.get("identifier_links", {})
        assert set(links) == set(details.get("identifiers", {})), details["iri"]
        for prop, link in links.items():
            value = details["identifiers"][prop]
            assert link == cited[(details["iri"], prop, value)], (details["iri"], prop)
            shown += 1
    # (an entity shows one value per scheme: the first, as it always has)
    assert shown == len({(e, p) for e, p, *_ in RECORDS})


def test_the_viewer_template_builds_no_link_of_its_own() -> None:
    """The page's JavaScript holds no record-page address: every link it draws is in its data."""
    from relaxgraph.data.identifiers import schemes

    template = (ROOT / "src" / "relaxgraph" / "views" / "_viz_template.html").read_text(
        encoding="utf-8"
    )
    assert schemes()
    for scheme in schemes().values():
        host = scheme.uri_prefix.split("/")[2]
        assert host not in template, scheme.prefix
