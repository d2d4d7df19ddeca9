"""Generate ``ontology/kb/identifiers.ttl`` from the curated table ``tools/identifiers.tsv``.

Every row of the table is one identifier that was looked up in a public data file: the
entity slug, the scheme, the value, whether it is asserted on the entity, the label the file
gives it, the file that was read (repository, path, commit), the file's public URL, the row
that was read, and a note. Only rows with status ``asserted`` become triples; rows with
status ``not-asserted`` document identifiers that were found but deliberately left off (an
ID of the free base where the entity is a salt, a broader or related term).

Each asserted identifier becomes a plain triple and a ``rgo:CuratedStatement`` reifying it,
with ``rgo:checkedIn`` (the file read), ``dcterms:source`` (the public page of the record),
``rdfs:seeAlso`` (the public URL of the file read) and ``rdfs:comment`` (the label found in
the file and the note).

The output is deterministic (sorted, no timestamps). Usage::

    python tools/build_identifiers.py            # write ontology/kb/identifiers.ttl
    python tools/build_identifiers.py --check    # exit 1 if the file is out of date
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TSV_PATH = ROOT / "tools" / "identifiers.tsv"
TTL_PATH = ROOT / "ontology" / "kb" / "identifiers.ttl"

COLUMNS = (
    "entity",
    "scheme",
    "value",
    "status",
    "label_in_file",
    "checked_in",
    "file_url",
    "row_read",
    "note",
)
STATUSES = ("asserted", "not-asserted")
SALT_ENTITIES = frozenset({"dantrolene-sodium", "hyoscine-butylbromide"})


@dataclass(frozen=True)
class Scheme:
    """An identifier scheme: its rgo: property, its written form and its record page."""

    prop: str
    pattern: str
    record_url: str

    def url(self, value: str) -> str:
        return self.record_url.format(value=value, obo=value.replace(":", "_"))


SCHEMES: dict[str, Scheme] = {
    "chebi": Scheme(
        "chebi", r"CHEBI:[1-9][0-9]*", "https://www.ebi.ac.uk/chebi/searchId.do?chebiId={value}"
    ),
    "drugbank": Scheme("drugbank", r"DB[0-9]{5}", "https://go.drugbank.com/drugs/{value}"),
    "atc": Scheme(
        "atc",
        r"[A-Z]([0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?)?",
        "https://atcddd.fhi.no/atc_ddd_index/?code={value}",
    ),
    "pubchem": Scheme(
        "pubchemCompound", r"[1-9][0-9]*", "https://pubchem.ncbi.nlm.nih.gov/compound/{value}"
    ),
    "mesh": Scheme("mesh", r"[DC][0-9]{6,9}", "https://meshb.nlm.nih.gov/record/ui?ui={value}"),
    "rxnorm": Scheme(
        "rxnorm",
        r"[1-9][0-9]*",
        "https://mor.nlm.nih.gov/RxNav/search?searchBy=RXCUI&searchTerm={value}",
    ),
    "uniprot": Scheme(
        "uniprot",
        r"([OPQ][0-9][A-Z0-9]{3}[0-9]|[A-NR-Z][0-9]([A-Z][A-Z0-9]{2}[0-9]){1,2})",
        "https://www.uniprot.org/uniprotkb/{value}",
    ),
    "hgnc": Scheme(
        "hgnc",
        r"HGNC:[1-9][0-9]*",
        "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/{value}",
    ),
    "mondo": Scheme("mondo", r"MONDO:[0-9]{7}", "http://purl.obolibrary.org/obo/{obo}"),
    "doid": Scheme("doid", r"DOID:[1-9][0-9]*", "http://purl.obolibrary.org/obo/{obo}"),
    "hpo": Scheme("hpo", r"HP:[0-9]{7}", "http://purl.obolibrary.org/obo/{obo}"),
    "umls": Scheme("umls", r"C[0-9]{7}", "https://uts.nlm.nih.gov/uts/umls/concept/{value}"),
}

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True)
class Row:
    """One row of ``tools/identifiers.tsv``."""

    entity: str
    scheme: str
    value: str
    status: str
    label_in_file: str
    checked_in: str
    file_url: str
    row_read: str
    note: str

    @property
    def asserted(self) -> bool:
        return self.status == "asserted"


class TableError(ValueError):
    """The identifier table breaks one of its rules."""


def value_matches_scheme(scheme: str, value: str) -> bool:
    """Whether ``value`` has the usual written form of ``scheme``.

    >>> value_matches_scheme("chebi", "CHEBI:2972")
    True
    >>> value_matches_scheme("chebi", "2972")
    False
    >>> value_matches_scheme("atc", "M03BX01")
    True
    """
    return re.fullmatch(SCHEMES[scheme].pattern, value) is not None


def read_table(path: Path = TSV_PATH) -> list[Row]:
    """Read and validate the identifier table."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t")
        header = next(reader)
        if tuple(header) != COLUMNS:
            raise TableError(f"{path.name}: header must be {COLUMNS}, got {tuple(header)}")
        rows = []
        for number, fields in enumerate(reader, start=2):
            if len(fields) != len(COLUMNS):
                raise TableError(f"{path.name}:{number}: {len(fields)} fields, not {len(COLUMNS)}")
            row = Row(*fields)
            check_row(row, f"{path.name}:{number}")
            rows.append(row)
    check_table(rows)
    return rows


def check_row(row: Row, where: str) -> None:
    """Raise ``TableError`` if a row breaks a rule."""
    if SLUG.fullmatch(row.entity) is None:
        raise TableError(f"{where}: entity {row.entity!r} is not a kebab-case slug")
    if row.scheme not in SCHEMES:
        raise TableError(f"{where}: unknown scheme {row.scheme!r}")
    if not value_matches_scheme(row.scheme, row.value):
        raise TableError(f"{where}: {row.value!r} is not a {row.scheme} identifier")
    if row.status not in STATUSES:
        raise TableError(f"{where}: status must be one of {STATUSES}")
    for name in ("label_in_file", "checked_in", "file_url", "row_read"):
        if not getattr(row, name).strip():
            raise TableError(f"{where}: {name} is empty")
    if not row.file_url.startswith("https://"):
        raise TableError(f"{where}: file_url must be an https URL")
    if not row.asserted and not row.note.strip():
        raise TableError(f"{where}: a not-asserted row must say why in its note")
    if row.asserted and row.entity in SALT_ENTITIES and not row.note.startswith("salt:"):
        raise TableError(f"{where}: an identifier on a salt must carry a 'salt:' note")


def check_table(rows: list[Row]) -> None:
    """Raise ``TableError`` on duplicates or on one identifier shared by two entities."""
    keys = Counter((r.entity, r.scheme, r.value) for r in rows)
    for key, count in keys.items():
        if count > 1:
            raise TableError(f"duplicate row {key}")
    owners: dict[tuple[str, str], str] = {}
    for r in rows:
        if not r.asserted:
            continue
        other = owners.setdefault((r.scheme, r.value), r.entity)
        if other != r.entity:
            raise TableError(f"{r.scheme} {r.value} is asserted on both {other} and {r.entity}")


def statement_slug(row: Row, rows: list[Row]) -> str:
    """The local name of a row's statement node: ``id-<entity>-<scheme>[-<value>]``.

    The value is appended only when the entity has more than one asserted value in the scheme.
    """
    base = f"id-{row.entity}-{row.scheme}"
    siblings = [r for r in rows if r.asserted and (r.entity, r.scheme) == (row.entity, row.scheme)]
    if len(siblings) == 1:
        return base
    suffix = re.sub(r"[^a-z0-9]+", "-", row.value.lower()).strip("-")
    suffix = suffix.removeprefix(f"{row.scheme}-")
    return f"{base}-{suffix}"


def literal(text: str) -> str:
    """A Turtle string literal."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def comment(row: Row) -> str:
    text = f"label in file: {row.label_in_file}; row read: {row.row_read}"
    if row.note.strip():
        text += f". {row.note.strip()}"
    return text


HEADER = """\
# External identifiers of relaxgraph entities, each checked in a public data file.
# GENERATED by tools/build_identifiers.py from tools/identifiers.tsv: do not edit by hand.
# Each identifier triple is reified by a rgo:CuratedStatement with rgo:checkedIn (the file
# read, with its repository and commit), dcterms:source (the public page of the record),
# rdfs:seeAlso (the public URL of the file read) and rdfs:comment (the label in the file,
# the row read and any note).

@prefix rg:      <https://w3id.org/relaxgraph/id/> .
@prefix rgo:     <https://w3id.org/relaxgraph/ontology#> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""


def render(rows: list[Row]) -> str:
    """The Turtle text for the asserted rows, sorted by entity, scheme and value."""
    asserted = sorted((r for r in rows if r.asserted), key=lambda r: (r.entity, r.scheme, r.value))
    parts = [HEADER]
    entity = None
    for row in asserted:
        scheme = SCHEMES[row.scheme]
        if row.entity != entity:
            entity = row.entity
            parts.append(f"\n#### {entity}\n")
        value = literal(row.value)
        parts.append(
            f"\nrg:{row.entity} rgo:{scheme.prop} {value} .\n"
            f"rg:{statement_slug(row, rows)} a rgo:CuratedStatement ;\n"
            f"    rdf:subject rg:{row.entity} ; rdf:predicate rgo:{scheme.prop} ;"
            f" rdf:object {value} ;\n"
            f"    rgo:checkedIn {literal(row.checked_in)} ;\n"
            f"    dcterms:source <{scheme.url(row.value)}> ;\n"
            f"    rdfs:seeAlso <{row.file_url}> ;\n"
            f"    rdfs:comment {literal(comment(row))} .\n"
        )
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the TTL is out of date")
    args = parser.parse_args(argv)
    text = render(read_table())
    if args.check:
        current = TTL_PATH.read_text(encoding="utf-8") if TTL_PATH.exists() else ""
        if current != text:
            print(f"{TTL_PATH.relative_to(ROOT)} is out of date", file=sys.stderr)
            return 1
        return 0
    TTL_PATH.parent.mkdir(parents=True, exist_ok=True)
    TTL_PATH.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
