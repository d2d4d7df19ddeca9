"""External identifiers (ontology/kb/identifiers.ttl) and the SSSOM table they are built from."""

from __future__ import annotations

import importlib.util
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

ROOT = Path(__file__).resolve().parents[1]
TTL = ROOT / "ontology" / "kb" / "identifiers.ttl"
TSV = ROOT / "data" / "mappings" / "identifiers.sssom.tsv"
ONTOLOGY = ROOT / "ontology" / "relaxgraph.ttl"

RG = Namespace("https://w3id.org/relaxgraph/id/")
RGO = Namespace("https://w3id.org/relaxgraph/ontology#")

IDENTIFIER_PROPERTIES = {
    "chebi": "chebi",
    "drugbank": "drugbank",
    "atc": "atc",
    "pubchemCompound": "pubchem",
    "mesh": "mesh",
    "rxnorm": "rxnorm",
    "uniprot": "uniprot",
    "hgnc": "hgnc",
    "mondo": "mondo",
    "doid": "doid",
    "hpo": "hpo",
    "umls": "umls",
}


def _load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_identifiers", ROOT / "tools" / "build_identifiers.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_identifiers"] = module
    spec.loader.exec_module(module)
    return module


builder = _load_builder()


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph().parse(TTL, format="turtle")


@pytest.fixture(scope="module")
def rows() -> list[Any]:
    return list(builder.read_table(TSV))


def _identifier_triples(graph: Graph) -> list[tuple[URIRef, str, Literal]]:
    triples = []
    for prop, scheme in IDENTIFIER_PROPERTIES.items():
        for s, o in graph.subject_objects(RGO[prop]):
            if (s, RDF.type, RGO.CuratedStatement) in graph:
                continue
            assert isinstance(s, URIRef) and isinstance(o, Literal)
            triples.append((s, scheme, o))
    return triples


def test_ttl_parses_and_is_not_empty(graph: Graph) -> None:
    assert len(_identifier_triples(graph)) >= 30


def test_ttl_is_what_the_builder_generates(rows: list[Any]) -> None:
    assert TTL.read_text(encoding="utf-8") == builder.render(rows), (
        "identifiers.ttl is out of date: run python tools/build_identifiers.py"
    )


def test_builder_is_deterministic(rows: list[Any]) -> None:
    assert builder.render(rows) == builder.render(list(reversed(rows)))


def test_every_value_matches_its_scheme(graph: Graph) -> None:
    for subject, scheme, value in _identifier_triples(graph):
        assert builder.value_matches_scheme(scheme, str(value)), (subject, scheme, value)


def test_scheme_formats_reject_wrong_forms() -> None:
    bad = {
        "chebi": "2972",
        "drugbank": "DB181",
        "atc": "M03BX1",
        "pubchem": "CID2284",
        "mesh": "001418",
        "hgnc": "4070",
        "mondo": "MONDO:5301",
        "doid": "2377",
        "hpo": "HP:2018",
        "umls": "C13144",
        "uniprot": "GABBR1",
    }
    for scheme, value in bad.items():
        assert not builder.value_matches_scheme(scheme, value), (scheme, value)


def test_only_contract_identifier_properties_are_used(graph: Graph) -> None:
    ontology = Graph().parse(ONTOLOGY, format="turtle")
    for prop in IDENTIFIER_PROPERTIES:
        assert (RGO[prop], RDFS.subPropertyOf, RGO.identifier) in ontology, prop
    used = {p for _, p, _ in graph if str(p).startswith(str(RGO))}
    allowed = {RGO[p] for p in IDENTIFIER_PROPERTIES} | {RGO.checkedIn}
    assert used <= allowed, used - allowed


def test_every_identifier_triple_has_a_checked_sourced_statement(graph: Graph) -> None:
    for subject, scheme, value in _identifier_triples(graph):
        prop = next(p for p, s in IDENTIFIER_PROPERTIES.items() if s == scheme)
        statements = [
            st
            for st in graph.subjects(RDF.subject, subject)
            if (st, RDF.predicate, RGO[prop]) in graph and (st, RDF.object, value) in graph
        ]
        assert len(statements) == 1, (subject, prop, value)
        st = statements[0]
        assert (st, RDF.type, RGO.CuratedStatement) in graph
        checked = list(graph.objects(st, RGO.checkedIn))
        sources = list(graph.objects(st, DCTERMS.source))
        comments = [str(c) for c in graph.objects(st, RDFS.comment)]
        # the file read is pinned: a repository commit, or a package version (name==version)
        assert len(checked) == 1 and ("commit" in checked[0] or "==" in checked[0]), st
        assert len(sources) == 1 and isinstance(sources[0], URIRef), st
        assert str(sources[0]).startswith(("https://", "http://purl.obolibrary.org/obo/")), st
        assert len(comments) == 1 and comments[0].startswith("label in file: "), st


def test_every_statement_reifies_an_asserted_triple(graph: Graph) -> None:
    for st in graph.subjects(RDF.type, RGO.CuratedStatement):
        s = graph.value(st, RDF.subject)
        p = graph.value(st, RDF.predicate)
        o = graph.value(st, RDF.object)
        assert s is not None and p is not None and o is not None
        assert (s, p, o) in graph, st


def test_record_page_matches_the_identifier(graph: Graph) -> None:
    for st in graph.subjects(RDF.type, RGO.CuratedStatement):
        value = str(graph.value(st, RDF.object))
        source = str(graph.value(st, DCTERMS.source))
        assert value in source or value.replace(":", "_") in source, (value, source)


def test_no_identifier_is_shared_by_two_entities(graph: Graph) -> None:
    owners: dict[tuple[str, str], set[URIRef]] = defaultdict(set)
    for subject, scheme, value in _identifier_triples(graph):
        owners[(scheme, str(value))].add(subject)
    shared = {key: subjects for key, subjects in owners.items() if len(subjects) > 1}
    assert not shared


def test_table_rejects_an_identifier_on_two_entities(
    rows: list[Any],
) -> None:
    first = next(r for r in rows if r.asserted)
    clash = builder.Row(**{**first.__dict__, "entity": "some-other-entity"})
    with pytest.raises(builder.TableError):
        builder.check_table([*rows, clash])


def test_table_and_graph_agree(graph: Graph, rows: list[Any]) -> None:
    in_graph = {(str(s), scheme, str(v)) for s, scheme, v in _identifier_triples(graph)}
    asserted = {(str(RG[r.entity]), r.scheme, r.value) for r in rows if r.asserted}
    assert in_graph == asserted
    for r in rows:
        if not r.asserted:
            assert (str(RG[r.entity]), r.scheme, r.value) not in in_graph, r


# --- salts and moieties -------------------------------------------------------------------


def _values(graph: Graph, entity: str, prop: str) -> set[str]:
    return {str(o) for o in graph.objects(RG[entity], RGO[prop])}


def test_dantrolene_sodium_carries_no_free_acid_identifier(graph: Graph) -> None:
    # DB01219, CHEBI:4317 and CID 6914273 are dantrolene (the free acid), not the salt.
    assert _values(graph, "dantrolene-sodium", "drugbank") == set()
    assert "CHEBI:4317" not in _values(graph, "dantrolene-sodium", "chebi")
    assert "6914273" not in _values(graph, "dantrolene-sodium", "pubchemCompound")
    assert _values(graph, "dantrolene-sodium", "atc") == {"M03CA01"}


def test_salt_identifiers_say_why_they_apply_to_the_salt(graph: Graph) -> None:
    for entity in ("dantrolene-sodium", "hyoscine-butylbromide"):
        statements = list(graph.subjects(RDF.subject, RG[entity]))
        assert statements, entity
        for st in statements:
            comment = str(graph.value(st, RDFS.comment))
            assert "salt:" in comment and "moiety" in comment, (entity, comment)


def test_hyoscine_butylbromide_is_not_scopolamine(graph: Graph) -> None:
    # Scopolamine (hyoscine hydrobromide) is A04AD01 / N05CM05; butylscopolamine is A03BB01.
    assert _values(graph, "hyoscine-butylbromide", "atc") == {"A03BB01"}
    # MeSH has the salt itself: Butylscopolammonium Bromide (D002077 is Butorphanol).
    assert _values(graph, "hyoscine-butylbromide", "mesh") == {"D002086"}
    for prop in ("drugbank", "chebi", "pubchemCompound", "rxnorm"):
        assert _values(graph, "hyoscine-butylbromide", prop) == set(), prop


def test_known_lookalike_ids_are_not_used(graph: Graph) -> None:
    # Both were found next to the right ID in the MeSH file and are different descriptors.
    everything = {str(o) for _, _, o in graph}
    assert "D008717" not in everything  # Methionine Sulfoximine, not methocarbamol (D008721)
    assert "D002077" not in everything  # Butorphanol, not butylscopolammonium bromide (D002086)
    assert _values(graph, "methocarbamol", "mesh") == {"D008721"}


def test_moiety_entities_use_the_moiety_ids(graph: Graph) -> None:
    assert _values(graph, "vecuronium", "drugbank") == {"DB01339"}
    assert _values(graph, "succinylcholine", "drugbank") == {"DB00202"}
    assert _values(graph, "succinylcholine", "atc") == {"M03AB01"}


def test_gaba_b_receptor_records_both_subunits(graph: Graph) -> None:
    assert _values(graph, "gaba-b-receptor", "hgnc") == {"HGNC:4070", "HGNC:4507"}
    assert _values(graph, "gaba-b-receptor", "uniprot") == {"Q9UBS5", "O75899"}
    for st in graph.subjects(RDF.subject, RG["gaba-b-receptor"]):
        if graph.value(st, RDF.predicate) not in (RGO.hgnc, RGO.uniprot):
            continue
        comment = str(graph.value(st, RDFS.comment))
        assert "heterodimer of GABBR1 and GABBR2" in comment or "GABBR1/GABBR2 heterodimer" in (
            comment
        ), comment


def test_generic_gaba_receptors_have_no_gene_or_protein_identifier(graph: Graph) -> None:
    # The generic class has a MeSH descriptor (Receptors, GABA) but no single gene or protein.
    assert {str(p) for p, _ in graph.predicate_objects(RG["gaba-receptors"])} == {str(RGO.mesh)}
    assert _values(graph, "gaba-receptors", "mesh") == {"D018079"}


def test_identifier_subjects_exist_in_the_kb(
    graph: Graph, require_or_skip: Callable[[bool, str], None]
) -> None:
    # Every identified entity is typed in the guide KB or in the curation KB (entities beyond
    # the guide, such as methocarbamol, live in curation.ttl).
    kb_files = [ROOT / "ontology" / "kb" / name for name in ("guide.ttl", "curation.ttl")]
    require_or_skip(all(f.exists() for f in kb_files), "guide.ttl or curation.ttl not written yet")
    kb = Graph()
    for f in kb_files:
        kb.parse(f, format="turtle")
    missing = {str(s) for s, _, _ in _identifier_triples(graph) if (s, RDF.type, None) not in kb}
    assert not missing, sorted(missing)


def test_check_mode_detects_a_stale_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / "identifiers.ttl"
    stale.write_text("# stale\n", encoding="utf-8")
    monkeypatch.setattr(builder, "TTL_PATH", stale)
    monkeypatch.setattr(builder, "ROOT", tmp_path)
    assert builder.main(["--check"]) == 1
    assert builder.main([]) == 0
    assert builder.main(["--check"]) == 0
