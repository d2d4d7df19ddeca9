"""Generate ``ontology/kb/identifiers.ttl`` from the SSSOM table ``data/mappings/identifiers.sssom.tsv``.

Every row of the table is one identifier that was looked up in a public data file: the
entity (``subject_id``, ``rg:<slug>``), the identifier (``object_id``, a CURIE whose prefix
names the scheme), whether it is asserted on the entity (``predicate_modifier`` empty) or
deliberately left off (``Not``), the label the file gives it (``object_label``), the file that
was read (``checked_in``: repository, path, commit; ``see_also``: its public URL), the row that
was read (``row_read``) and a note (``comment``).  Rows left off document identifiers that
were found but do not apply (an ID of the free base where the entity is a salt, a broader or
related term).

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
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import tables  # noqa: E402

from relaxgraph.data import identifiers  # noqa: E402

ROOT = HERE.parent
TSV_PATH = ROOT / "data" / "mappings" / "identifiers.sssom.tsv"
TSV_NAME = "data/mappings/identifiers.sssom.tsv"
TTL_PATH = ROOT / "ontology" / "kb" / "identifiers.ttl"

STATUSES = ("asserted", "not-asserted")
SALT_ENTITIES = frozenset({"dantrolene-sodium", "hyoscine-butylbromide"})


@dataclass(frozen=True)
class Scheme:
    """An identifier scheme: its rgo: property and its written form.

    Its CURIE prefix and record page come from the one converter (``relaxgraph.data.identifiers``,
    over the shipped prefix map ``src/relaxgraph/data/identifier_prefixes.json``), not from here.
    """

    prop: str
    pattern: str

    def url(self, value: str) -> str:
        url = identifiers.record_url(self.prop, value)
        if url is None:
            raise TableError(f"no record page for rgo:{self.prop} {value!r} in the prefix map")
        return url


SCHEMES: dict[str, Scheme] = {
    "chebi": Scheme("chebi", r"CHEBI:[1-9][0-9]*"),
    "drugbank": Scheme("drugbank", r"DB[0-9]{5}"),
    "atc": Scheme("atc", r"[A-Z]([0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?)?"),
    "pubchem": Scheme("pubchemCompound", r"[1-9][0-9]*"),
    "mesh": Scheme("mesh", r"[DC][0-9]{6,9}"),
    "rxnorm": Scheme("rxnorm", r"[1-9][0-9]*"),
    "uniprot": Scheme(
        "uniprot", r"([OPQ][0-9][A-Z0-9]{3}[0-9]|[A-NR-Z][0-9]([A-Z][A-Z0-9]{2}[0-9]){1,2})"
    ),
    "hgnc": Scheme("hgnc", r"HGNC:[1-9][0-9]*"),
    "mondo": Scheme("mondo", r"MONDO:[0-9]{7}"),
    "doid": Scheme("doid", r"DOID:[1-9][0-9]*"),
    "hpo": Scheme("hpo", r"HP:[0-9]{7}"),
    "umls": Scheme("umls", r"C[0-9]{7}"),
}

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


# The CURIE prefix of each scheme in the SSSOM table, and whether its written form already is
# the CURIE ("CHEBI:2972"; else the CURIE is prefix + ":" + value, "drugbank:DB00181"): both
# read from the shipped prefix map, which tools/build_prefixes.py generates from bioregistry.
CURIE_PREFIXES = {scheme: identifiers.schemes()[s.prop].prefix for scheme, s in SCHEMES.items()}
PREFIXED_VALUES = frozenset(
    scheme for scheme, s in SCHEMES.items() if identifiers.schemes()[s.prop].written_with_prefix
)
SCHEME_OF_PREFIX = {prefix: scheme for scheme, prefix in CURIE_PREFIXES.items()}

SSSOM_COLUMNS = (
    "subject_id",
    "predicate_id",
    "predicate_modifier",
    "object_id",
    "object_label",
    "mapping_justification",
    "see_also",
    "checked_in",
    "row_read",
    "comment",
)
# Every row says "this entity has this database cross-reference" (asserted: predicate_modifier
# empty) or "it has not" (left off: predicate_modifier Not); a person read the row in the file.
PREDICATE = "oboInOwl:hasDbXref"
JUSTIFICATION = "semapv:ManualMappingCuration"
SUBJECT_PREFIX = "rg:"
FIXED_PREFIXES = {
    "rg": "https://w3id.org/relaxgraph/id/",
    "oboInOwl": "http://www.geneontology.org/formats/oboInOwl#",
    "semapv": "https://w3id.org/semapv/vocab/",
}
METADATA = {
    "mapping_set_id": "https://w3id.org/relaxgraph/mappings/identifiers.sssom.tsv",
    "mapping_set_description": (
        "External identifiers of relaxgraph entities, each read in a public data file"
        " (checked_in, see_also, row_read); rows with predicate_modifier Not were found"
        " and deliberately left off (comment says why)."
    ),
    "license": "https://opensource.org/licenses/MIT",
}


@dataclass(frozen=True)
class Row:
    """One row of ``data/mappings/identifiers.sssom.tsv``, in the terms of the identifier."""

    entity: str
    scheme: str
    value: str
    status: str
    label_in_file: str
    checked_in: str
    file_url: str
    row_read: str
    note: str
    where: str = field(default="", compare=False)

    @property
    def asserted(self) -> bool:
        return self.status == "asserted"

    @property
    def object_id(self) -> str:
        return identifiers.identifier_curie(SCHEMES[self.scheme].prop, self.value)


class TableError(tables.TableError):
    """The identifier table breaks one of its rules."""

    def __init__(self, message: str, where: str = TSV_NAME, column: str | None = None) -> None:
        super().__init__(where, message, column)


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


def expansion(prefix: str) -> str:
    """The URI prefix of a CURIE prefix (for a scheme: its record page without the local part)."""
    if prefix in FIXED_PREFIXES:
        return FIXED_PREFIXES[prefix]
    return identifiers.converter().prefix_map[prefix]


def sssom_header(prefixes: list[str]) -> str:
    """The SSSOM metadata block (YAML in comment lines) for a table using ``prefixes``."""
    lines = ["curie_map:"]
    lines += [f"  {p}: {expansion(p)}" for p in [*FIXED_PREFIXES, *prefixes]]
    lines += [f"{key}: {value}" for key, value in METADATA.items()]
    return "".join(f"#{' ' if line else ''}{line}\n" for line in lines)


def to_sssom(rows: list[Row]) -> str:
    """The SSSOM TSV text (metadata block, header, one row per identifier) of ``rows``."""
    used = sorted({CURIE_PREFIXES[r.scheme] for r in rows}, key=str.lower)
    out = [sssom_header(used), "\t".join(SSSOM_COLUMNS) + "\n"]
    for r in rows:
        cells = (
            f"{SUBJECT_PREFIX}{r.entity}",
            PREDICATE,
            "" if r.asserted else "Not",
            r.object_id,
            r.label_in_file,
            JUSTIFICATION,
            r.file_url,
            r.checked_in,
            r.row_read,
            r.note,
        )
        for cell in cells:
            if "\t" in cell or "\n" in cell:
                raise TableError(f"a tab or line break in {cell!r}")
        out.append("\t".join(cells) + "\n")
    return "".join(out)


def parse_metadata(lines: list[tuple[int, str]], shown: str) -> dict[str, str]:
    """The curie_map of the metadata block (comment lines at the top), checked."""
    curie_map: dict[str, str] = {}
    keys: set[str] = set()
    in_map = False
    for number, line in lines:
        body = line[1:].removeprefix(" ")
        if not body.strip():
            continue
        if body.startswith("  ") and in_map:
            prefix, _, url = body.strip().partition(": ")
            curie_map[prefix] = url.strip()
            continue
        key, _, value = body.partition(":")
        keys.add(key)
        in_map = key == "curie_map" and not value.strip()
        if key in METADATA and value.strip() != METADATA[key]:
            raise TableError(f"{key} must be {METADATA[key]}", f"{shown}:{number}")
    for key in ("curie_map", *METADATA):
        if key not in keys:
            raise TableError(f"the metadata block lacks {key}", shown)
    for prefix, url in curie_map.items():
        if prefix not in FIXED_PREFIXES and prefix not in SCHEME_OF_PREFIX:
            raise TableError(f"unknown prefix {prefix!r} in curie_map", shown, None)
        if url != expansion(prefix):
            raise TableError(f"curie_map: {prefix} must expand to {expansion(prefix)}", shown)
    return curie_map


def read_table(path: Path = TSV_PATH) -> list[Row]:
    """Read and validate the SSSOM identifier table."""
    shown = tables.display(path, path.parent.parent)
    lines = list(tables.split_lines(path, shown))
    meta = [(n, line) for n, line in lines if line.startswith("#")]
    body = [(n, line) for n, line in lines if not line.startswith("#")]
    curie_map = parse_metadata(meta, shown)
    columns = [tables.Column(name, "text", required=name not in OPTIONAL) for name in SSSOM_COLUMNS]
    cells = tables.read_rows(body, SssomRow, shown, columns)
    rows = [row_of(c, curie_map) for c in cells]
    check_table(rows)
    return rows


OPTIONAL = frozenset({"predicate_modifier", "comment"})


@dataclass(frozen=True)
class SssomRow(tables.Row):
    subject_id: str
    predicate_id: str
    predicate_modifier: str | None
    object_id: str
    object_label: str
    mapping_justification: str
    see_also: str
    checked_in: str
    row_read: str
    comment: str | None


def row_of(c: SssomRow, curie_map: dict[str, str]) -> Row:
    """The identifier a SSSOM row records, checked."""
    if not c.subject_id.startswith(SUBJECT_PREFIX):
        raise TableError(f"{c.subject_id!r} is not rg:<entity>", c.where, "subject_id")
    entity = c.subject_id.removeprefix(SUBJECT_PREFIX)
    if c.predicate_id != PREDICATE:
        raise TableError(
            f"unknown predicate {c.predicate_id!r} (allowed: {PREDICATE})", c.where, "predicate_id"
        )
    if c.predicate_modifier not in (None, "Not"):
        raise TableError(
            f"unknown modifier {c.predicate_modifier!r} (allowed: Not, or empty)",
            c.where,
            "predicate_modifier",
        )
    if c.mapping_justification != JUSTIFICATION:
        raise TableError(
            f"unknown justification (allowed: {JUSTIFICATION})", c.where, "mapping_justification"
        )
    prefix, _, local = c.object_id.partition(":")
    if prefix not in SCHEME_OF_PREFIX:
        allowed = ", ".join(sorted(SCHEME_OF_PREFIX))
        raise TableError(f"unknown prefix {prefix!r} (allowed: {allowed})", c.where, "object_id")
    if prefix not in curie_map:
        raise TableError(f"prefix {prefix!r} is not in the curie_map", c.where, "object_id")
    scheme = SCHEME_OF_PREFIX[prefix]
    value = c.object_id if scheme in PREFIXED_VALUES else local
    row = Row(
        entity,
        scheme,
        value,
        "asserted" if c.predicate_modifier is None else "not-asserted",
        c.object_label,
        c.checked_in,
        c.see_also,
        c.row_read,
        c.comment or "",
        c.where,
    )
    check_row(row, c.where)
    return row


def check_row(row: Row, where: str) -> None:
    """Raise ``TableError`` if a row breaks a rule."""
    if SLUG.fullmatch(row.entity) is None:
        raise TableError(f"entity {row.entity!r} is not a kebab-case slug", where, "subject_id")
    if row.scheme not in SCHEMES:
        raise TableError(f"unknown scheme {row.scheme!r}", where, "object_id")
    if not value_matches_scheme(row.scheme, row.value):
        raise TableError(
            f"{row.value!r} is not a valid {row.scheme} identifier"
            f" (allowed: the pattern {SCHEMES[row.scheme].pattern})",
            where,
            "object_id",
        )
    if row.status not in STATUSES:
        raise TableError(f"status must be one of {STATUSES}", where, "predicate_modifier")
    for name, column in (
        ("label_in_file", "object_label"),
        ("checked_in", "checked_in"),
        ("file_url", "see_also"),
        ("row_read", "row_read"),
    ):
        if not getattr(row, name).strip():
            raise TableError("is empty", where, column)
    if not row.file_url.startswith("https://"):
        raise TableError("must be an https URL", where, "see_also")
    if not row.asserted and not row.note.strip():
        raise TableError("a row left off (Not) must say why", where, "comment")
    if row.asserted and row.entity in SALT_ENTITIES and not row.note.startswith("salt:"):
        raise TableError("an identifier on a salt must carry a 'salt:' note", where, "comment")


def check_table(rows: list[Row]) -> None:
    """Raise ``TableError`` on duplicates or on one identifier shared by two entities."""
    seen: dict[tuple[str, str, str], str] = {}
    for r in rows:
        key = (r.entity, r.scheme, r.value)
        if key in seen:
            raise TableError(f"duplicate row {key} (first at {seen[key]})", r.where or TSV_NAME)
        seen[key] = r.where
    owners: dict[tuple[str, str], str] = {}
    for r in rows:
        if not r.asserted:
            continue
        other = owners.setdefault((r.scheme, r.value), r.entity)
        if other != r.entity:
            raise TableError(
                f"{r.scheme} {r.value} is asserted on both {other} and {r.entity}",
                r.where or TSV_NAME,
                "object_id",
            )


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
# GENERATED by tools/build_identifiers.py from data/mappings/identifiers.sssom.tsv: do not edit by hand.
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
    try:
        text = render(read_table())
    except tables.TableError as exc:
        print(f"build_identifiers: {exc}", file=sys.stderr)
        return 2
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
