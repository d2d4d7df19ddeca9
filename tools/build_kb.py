#!/usr/bin/env python3
# ruff: noqa: RUF001  (verbatim quotes of the guide keep its typography)
"""Generate ``ontology/kb/guide.ttl``, ``curation.ttl`` and ``identifiers.ttl`` from the tables.

The facts are curated as tables under ``data/`` (``data/README.md`` describes them):
``data/guide/*.tsv`` (what the guide says), ``data/curation/*.tsv`` (flags and facts from other
sources) and ``data/mappings/identifiers.sssom.tsv`` (identifiers).  This script

* reads and checks every table (``tools/tables.py``): a bad row fails the build with
  ``file:line: column X: what is wrong``, exit code 2, and nothing is written;
* finds the guide's sections (heading lines) and checks them against ``sections.tsv``;
* finds every quote's offsets in the guide text itself: the fragment must occur exactly once
  inside its section, otherwise the build fails;
* reifies every domain triple with a statement node (one per triple and evidence kind; several
  quotes of the same kind are merged into one statement);
* writes deterministic, sorted, prefixed Turtle.

Usage: ``python tools/build_kb.py [--guide PATH] [--data DIR] [--out DIR] [--check]``
(defaults: the guide at ``../shared/seed/`` next to the repository, the tables in ``data/``,
output ``ontology/kb/``).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import build_identifiers  # noqa: E402
import tables  # noqa: E402
from tables import Claim, Dataset, Lit, Quote, TableError  # noqa: E402

REPO = HERE.parent
DEFAULT_DATA = REPO / "data"
DEFAULT_GUIDE = REPO.parent / "shared" / "seed" / "000_ea26d7bc678bc55f.txt"
DEFAULT_OUT = REPO / "ontology" / "kb"
OUTPUTS = ("guide.ttl", "curation.ttl", "identifiers.ttl")

PREFIXES = (
    ("rg", "https://w3id.org/relaxgraph/id/"),
    ("rgo", "https://w3id.org/relaxgraph/ontology#"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("oa", "http://www.w3.org/ns/oa#"),
)

# datatype of a literal object, by predicate
DATATYPES = tables.LITERAL_PREDICATES
# the order in which the statements of one triple are numbered (st-..., st-...-2, ...)
KIND_ORDER = {kind: i for i, kind in enumerate(tables.EVIDENCE_KINDS)}


class BuildError(TableError):
    """The tables do not match the guide (a quote not found, not unique, a heading differs...)."""


# ------------------------------------------------------------------------------------------
# Sections and quotes
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Section:
    number: int
    heading: str | None  # None: an untitled section (the closing paragraph)
    start: int
    end: int

    @property
    def iri(self) -> str:
        return f"rg:section-{self.number:02d}"


def find_sections(text: str) -> list[Section]:
    """Heading lines: short stand-alone lines (blank line before and after) not ending in '.'.

    Line 1 (the title), "See also" lines and review attributions ("- Sarah, ..." with an en dash) are not
    headings. A paragraph after two or more blank lines starts an untitled section (the guide's
    closing paragraph), so that it is not swallowed by the section before it.
    """
    lines = text.split("\n")
    offsets: list[int] = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    found: list[tuple[int, str | None]] = []
    for i, line in enumerate(lines):
        s = line.strip()
        if i == 0 or not s:  # line 1 is the document title
            continue
        before = lines[i - 1].strip()
        after = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if i >= 3 and before == "" and lines[i - 2].strip() == "" and found:
            found.append((offsets[i] + (len(line) - len(line.lstrip())), None))
            continue
        if (
            before == ""
            and after == ""
            and len(s) <= 90
            and not s.endswith(".")
            and not s.startswith(("See also", "–", "“"))
        ):
            found.append((offsets[i] + (len(line) - len(line.lstrip())), s))
    sections = []
    for n, (start, heading) in enumerate(found, start=1):
        end = found[n][0] if n < len(found) else len(text.rstrip("\n"))
        sections.append(Section(n, heading, start, end))
    return sections


def check_sections(sections: list[Section], rows: list[tables.SectionRow], shown: str) -> None:
    """The guide's headings must be the table's, in the same order."""
    for sec, row in zip(sections, rows, strict=False):
        if sec.heading != row.heading:
            raise BuildError(
                row.where,
                f"the guide's headings differ from the table: section {sec.number} of the guide"
                f" is headed {sec.heading!r}, not {row.heading!r}",
                "heading",
            )
    if len(sections) != len(rows):
        found = [s.heading for s in sections[len(rows) :]] or "none"
        raise BuildError(
            shown,
            f"the guide's headings differ from the table: the guide has {len(sections)}"
            f" sections, the table {len(rows)} (extra in the guide: {found})",
        )


@dataclass(frozen=True)
class QuoteSpan:
    start: int
    end: int
    section: int


def locate(text: str, sections: list[Section], q: Quote) -> QuoteSpan:
    """Where ``q`` lies in the guide: it must occur exactly once inside its section."""
    where = q.where or "quote"
    if not 1 <= q.section <= len(sections):
        raise BuildError(where, f"no section {q.section}", "section", f"1 to {len(sections)}")
    sec = sections[q.section - 1]
    body = text[sec.start : sec.end]
    hits = [m.start() for m in re.finditer(re.escape(q.text), body)]
    if not hits:
        raise BuildError(
            where,
            f"quote not found in section {q.section} ({sec.heading!r}): {q.text!r};"
            " copy it verbatim from the guide, typography included",
            q.column,
        )
    if len(hits) > 1:
        raise BuildError(
            where,
            f"quote not unique in section {q.section}: {q.text!r}; quote a longer fragment",
            q.column,
        )
    if len(q.text) > tables.MAX_QUOTE:
        raise BuildError(
            where, f"quote longer than {tables.MAX_QUOTE} characters: {q.text!r}", q.column
        )
    start = sec.start + hits[0]
    return QuoteSpan(start, start + len(q.text), q.section)


SEE_ALSO = re.compile(r"^See also\u00a0\s*(.+)$", re.MULTILINE)


def cross_references(text: str) -> list[tuple[int, int]]:
    """The offsets of the titles in the guide's "See also" lines (after the no-break space)."""
    return [(m.start(1), m.end(1)) for m in SEE_ALSO.finditer(text)]


# ------------------------------------------------------------------------------------------
# Terms and Turtle output
# ------------------------------------------------------------------------------------------
def literal(value: str | int | Decimal | bool, datatype: str = "string") -> str:
    if datatype == "boolean" or isinstance(value, bool):
        return "true" if value else "false"
    if datatype == "integer":
        return str(int(value))
    if datatype == "decimal":
        d = Decimal(value)
        lex = format(d, "f")
        return lex if "." in lex else lex + ".0"
    s = str(value)
    s = (
        s.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{s}"'


def iri(url: str) -> str:
    return f"<{url}>"


Graph = dict[str, dict[str, set[str]]]


def add(g: Graph, s: str, p: str, o: str) -> None:
    g.setdefault(s, {}).setdefault(p, set()).add(o)


def _pred_key(p: str) -> tuple[int, str]:
    first = {
        "a": 0,
        "rdfs:label": 1,
        "skos:altLabel": 2,
        "rdf:subject": 3,
        "rdf:predicate": 4,
        "rdf:object": 5,
    }
    return (first.get(p, 9), p)


def _obj_key(o: str) -> tuple[int, str]:
    m = re.fullmatch(r"rg:q-(\d+)", o)
    return (0, f"{int(m.group(1)):08d}") if m else (1, o)


def serialize(g: Graph, header: str, order: dict[str, tuple[int, str]]) -> str:
    out = [f"# {line}".rstrip() for line in header.splitlines()]
    out.append("")
    out += [f"@prefix {p}: <{u}> ." for p, u in PREFIXES]
    out.append("")
    for s in sorted(g, key=lambda x: order.get(x, (99, x))):
        preds = sorted(g[s], key=_pred_key)
        lines = []
        for p in preds:
            objs = sorted(g[s][p], key=_obj_key)
            lines.append(f"    {p} {', '.join(objs)}")
        out.append(s)
        out.append(" ;\n".join(lines) + " .")
        out.append("")
    return "\n".join(out)


# ------------------------------------------------------------------------------------------
# Building
# ------------------------------------------------------------------------------------------
def slugify(value: str | int | Decimal | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    s = re.sub(r"[^a-z0-9]+", "-", str(value).lower().replace("’", "")).strip("-")
    if len(s) > 40:
        s = s[:40].rsplit("-", 1)[0]
    return s


def pred_term(p: str) -> str:
    return {"type": "a", "subClassOf": "rdfs:subClassOf"}.get(p, f"rgo:{p}")


def pred_iri(p: str) -> str:
    return {"type": "rdf:type", "subClassOf": "rdfs:subClassOf"}.get(p, f"rgo:{p}")


def type_term(t: str) -> str:
    return t if ":" in t else f"rgo:{t}"


def object_term(r_p: str, o: str | Lit) -> str:
    if isinstance(o, Lit):
        return literal(o.value, DATATYPES.get(r_p, "string"))
    return f"rg:{o}"


def statement_base(s: str, p: str, o: str | Lit) -> str:
    oslug = slugify(o.value) if isinstance(o, Lit) else o
    return f"st-{s}-{p}-{oslug}"


@dataclass
class Built:
    guide: str
    curation: str
    identifiers: str
    counts: dict[str, int]

    def files(self) -> dict[str, str]:
        return {
            "guide.ttl": self.guide,
            "curation.ttl": self.curation,
            "identifiers.ttl": self.identifiers,
        }


def build(text: str, data_dir: Path = DEFAULT_DATA) -> Built:
    """Read the tables in ``data_dir``, check them against the guide ``text``, build Turtle."""
    data = tables.load(data_dir)
    sections = find_sections(text)
    check_sections(
        sections, data.sections, tables.display(data_dir / "guide" / "sections.tsv", data_dir)
    )
    id_rows = build_identifiers.read_table(data_dir / "mappings" / "identifiers.sssom.tsv")
    guide_ttl, quote_iri, statement_ids, groups, n_quotes = build_guide(text, sections, data)
    curation_ttl = build_curation(data, quote_iri, statement_ids)
    known = {e.id for e in data.entities} | {ce.id for ce in data.curated_entities}
    for row in id_rows:
        if row.entity not in known:
            raise BuildError(row.where, f"unknown entity {row.entity!r}", "subject_id")
    counts = {
        "sections": len(sections),
        "entities": len(data.entities),
        "curated entities": len(data.curated_entities),
        "domain relations": len(groups),
        "guide statements": sum(len(v) for v in groups.values()),
        "curated statements": len(data.curated),
        "quotes": n_quotes,
        "flags": len(data.flags),
        "identifiers": sum(1 for r in id_rows if r.asserted),
    }
    return Built(guide_ttl, curation_ttl, build_identifiers.render(id_rows), counts)


Groups = dict[tuple[str, str, "str | Lit"], dict[str, list[Quote]]]


def build_guide(
    text: str, sections: list[Section], data: Dataset
) -> tuple[str, dict[Quote, str], set[str], Groups, int]:
    """guide.ttl, the quote IRIs, the statement ids, the statements by triple, the quote count."""
    # every quote used anywhere: entities, claims, flags
    used: list[Quote] = []
    for e in data.entities:
        used += e.quotes
    used += [c.quote for c in data.claims]
    for f in data.flags:
        if f.quote is not None and f.quote_section is not None:
            used.append(Quote(f.quote_section, f.quote, f.where))
    spans: dict[Quote, QuoteSpan] = {}
    for q in used:
        if q not in spans:
            spans[q] = locate(text, sections, q)
    numbered = sorted({(sp.start, sp.end, sp.section) for sp in spans.values()})
    qid = {key: f"rg:q-{i:04d}" for i, key in enumerate(numbered, start=1)}
    quote_iri = {q: qid[(sp.start, sp.end, sp.section)] for q, sp in spans.items()}

    g: Graph = {}
    order: dict[str, tuple[int, str]] = {}
    guide = "rg:guide"
    doc = data.document
    add(g, guide, "a", "rgo:SourceDocument")
    add(g, guide, "rdfs:label", literal(doc.title))
    add(g, guide, "dcterms:title", literal(doc.title))
    add(g, guide, "dcterms:identifier", literal(doc.file))
    order[guide] = (0, "")
    for sec in sections:
        add(g, sec.iri, "a", "rgo:Section")
        row = data.sections[sec.number - 1]
        if sec.heading is not None:
            add(g, sec.iri, "rgo:heading", literal(sec.heading))
        elif row.note:
            add(g, sec.iri, "rdfs:label", literal(row.note))
        if row.parent is not None:
            add(g, sec.iri, "rgo:subSectionOf", sections[row.parent - 1].iri)
        add(g, sec.iri, "rgo:sectionNumber", literal(sec.number, "integer"))
        add(g, sec.iri, "oa:start", literal(sec.start, "integer"))
        add(g, sec.iri, "oa:end", literal(sec.end, "integer"))
        add(g, sec.iri, "dcterms:isPartOf", guide)
        order[sec.iri] = (1, f"{sec.number:04d}")

    for e in data.entities:
        s = f"rg:{e.id}"
        for t in e.types:
            add(g, s, "a", type_term(t))
        add(g, s, "rdfs:label", literal(e.label))
        for a in e.synonyms:
            add(g, s, "skos:altLabel", literal(a))
        for q in e.quotes:
            add(g, s, "rgo:evidence", quote_iri[q])
        add(g, s, "rgo:evidenceKind", f"rgo:{e.kind}")
        order[s] = (2, e.id)

    # statements: one per (triple, evidence kind), numbered in the order of EVIDENCE_KINDS
    groups: Groups = {}
    for c in data.claims:
        groups.setdefault((c.subject, c.predicate, c.object), {}).setdefault(c.kind, []).append(
            c.quote
        )
    statement_ids: dict[str, Claim] = {}
    first_claim = {(c.subject, c.predicate, c.object): c for c in reversed(data.claims)}
    for (s_slug, p, o), by_kind in groups.items():
        s = f"rg:{s_slug}"
        o_term = object_term(p, o)
        add(g, s, pred_term(p), o_term)
        base = statement_base(s_slug, p, o)
        kinds = sorted(by_kind, key=KIND_ORDER.__getitem__)
        for i, kind in enumerate(kinds, start=1):
            st_id = base if i == 1 else f"{base}-{i}"
            claim = first_claim[(s_slug, p, o)]
            if st_id in statement_ids:
                other = statement_ids[st_id]
                raise BuildError(
                    claim.where,
                    f"statement id {st_id} collides with the claim at {other.where};"
                    " choose distinct ids",
                    claim.column,
                )
            statement_ids[st_id] = claim
            st = f"rg:{st_id}"
            add(g, st, "a", "rgo:GuideStatement")
            add(g, st, "rdf:subject", s)
            add(g, st, "rdf:predicate", pred_iri(p))
            add(g, st, "rdf:object", o_term)
            for q in by_kind[kind]:
                add(g, st, "rgo:evidence", quote_iri[q])
            add(g, st, "rgo:evidenceKind", f"rgo:{kind}")
            order[st] = (3, st_id)

    sec_by_number = {sec.number: sec for sec in sections}
    see_also = cross_references(text)
    for n, (start, end) in enumerate(see_also, start=1):
        node = f"rg:see-also-{n}"
        add(g, node, "a", "rgo:CrossReference")
        add(g, node, "rdfs:label", literal(f"See also: {text[start:end]}"))
        add(g, node, "oa:exact", literal(text[start:end]))
        add(g, node, "oa:start", literal(start, "integer"))
        add(g, node, "oa:end", literal(end, "integer"))
        add(g, node, "dcterms:isPartOf", guide)
        order[node] = (1, f"9{n:03d}")
    for (start, end, sec_no), q_iri in qid.items():
        add(g, q_iri, "a", "rgo:Quote")
        add(g, q_iri, "oa:exact", literal(text[start:end]))
        add(g, q_iri, "oa:start", literal(start, "integer"))
        add(g, q_iri, "oa:end", literal(end, "integer"))
        add(g, q_iri, "dcterms:isPartOf", sec_by_number[sec_no].iri)
        for n, (s, e) in enumerate(see_also, start=1):
            if s <= start and end <= e:  # a "See also" title, not the section's own text
                add(g, q_iri, "rgo:inCrossReference", f"rg:see-also-{n}")
        order[q_iri] = (4, q_iri)

    guide_ttl = serialize(
        g,
        "relaxgraph knowledge base: what the guide says, every statement with its provenance.\n"
        f"Source document: {doc.file} ({doc.title}).\n"
        "Generated by tools/build_kb.py from data/guide/*.tsv; do not edit by hand.",
        order,
    )
    return guide_ttl, quote_iri, set(statement_ids), groups, len(qid)


def build_curation(data: Dataset, quote_iri: dict[Quote, str], statement_ids: set[str]) -> str:
    """curation.ttl: curated entities and statements, class-list matches, flags."""
    known = {e.id for e in data.entities}
    c: Graph = {}
    corder: dict[str, tuple[int, str]] = {}
    for ce in data.curated_entities:
        s = f"rg:{ce.id}"
        for t in ce.types:
            add(c, s, "a", type_term(t))
        add(c, s, "rdfs:label", literal(ce.label))
        add(c, s, "dcterms:source", iri(ce.source))
        corder[s] = (0, ce.id)
    ids = set(statement_ids)
    for cs in data.curated:
        s, o = f"rg:{cs.subject}", f"rg:{cs.object}"
        add(c, s, pred_term(cs.predicate), o)
        st_id = statement_base(cs.subject, cs.predicate, cs.object)
        if st_id in ids:
            raise BuildError(cs.where, f"statement id {st_id} is already a guide statement")
        ids.add(st_id)
        st = f"rg:{st_id}"
        add(c, st, "a", "rgo:CuratedStatement")
        add(c, st, "rdf:subject", s)
        add(c, st, "rdf:predicate", pred_iri(cs.predicate))
        add(c, st, "rdf:object", o)
        add(c, st, "dcterms:source", iri(cs.source))
        add(c, st, "rdfs:comment", literal(cs.comment))
        corder[st] = (1, st_id)
    for m in data.matches:
        add(c, f"rg:{m.cls}", f"skos:{m.match}", f"rg:{m.other_class}")
        corder[f"rg:{m.cls}"] = (0, m.cls)
    for f in data.flags:
        s = f"rg:flag-{f.id}"
        add(c, s, "a", "rgo:Flag")
        add(c, s, "rgo:flagKind", f"rgo:{f.kind}")
        if f.quote is not None and f.quote_section is not None:
            add(c, s, "rgo:flags", quote_iri[Quote(f.quote_section, f.quote)])
        for target in f.targets:
            if target not in ids and target not in known:
                raise BuildError(
                    f.where,
                    f"unknown target {target!r}: not an entity id nor a statement id (st-...)",
                    "targets",
                )
            add(c, s, "rgo:flags", f"rg:{target}")
        add(c, s, "rgo:reason", literal(f.reason))
        if f.source:
            add(c, s, "dcterms:source", iri(f.source))
        corder[s] = (2, f.id)
    return serialize(
        c,
        "relaxgraph curation: what we add beyond the guide (flags and their reasons,\n"
        "class-list alignments, facts with a cited public source).\n"
        "Generated by tools/build_kb.py from data/curation/*.tsv; do not edit by hand.",
        corder,
    )


def write(built: Built, out: Path) -> Iterable[Path]:
    """Write the three files; each is written to a temporary name first, then renamed."""
    out.mkdir(parents=True, exist_ok=True)
    for name, content in built.files().items():
        path = out / name
        tmp = path.with_name(f".{name}.tmp")
        tmp.write_text(content, encoding="utf-8", newline="\n")
        tmp.replace(path)
        yield path


def main(argv: list[str] | None = None) -> int:
    """Build; exit 0 when written (or up to date with --check), 1 when stale, 2 on bad input."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--guide", type=Path, default=DEFAULT_GUIDE, help="the guide's text file")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the tables' folder")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if out of date")
    args = ap.parse_args(argv)
    try:
        text = args.guide.read_text(encoding="utf-8")
    except OSError as exc:
        print(f"build_kb: cannot read the guide {args.guide}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        built = build(text, args.data)
    except TableError as exc:
        print(f"build_kb: {exc}", file=sys.stderr)
        return 2
    if args.check:
        stale = [
            name
            for name, content in built.files().items()
            if not (args.out / name).exists()
            or (args.out / name).read_text(encoding="utf-8") != content
        ]
        for name in stale:
            print(f"build_kb: {name} is out of date; run python tools/build_kb.py", file=sys.stderr)
        return 1 if stale else 0
    for path in write(built, args.out):
        print(f"wrote {path.name}")
    for k, v in built.counts.items():
        print(f"{k}: {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
