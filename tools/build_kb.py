#!/usr/bin/env python3
# ruff: noqa: RUF001  (verbatim quotes of the guide keep its typography)
"""Generate ``ontology/kb/guide.ttl`` and ``ontology/kb/curation.ttl``.

The facts are authored in ``tools/guide_facts.py`` (what the guide says) and
``tools/curation_facts.py`` (flags and facts from other sources).  This script

* finds the guide's sections (heading lines, see ``guide_facts``) and checks them against
  ``guide_facts.HEADINGS``;
* finds every quote's offsets in the guide text itself: the fragment must occur exactly once
  inside its section, otherwise the build fails;
* reifies every domain triple with a statement node (one per triple and evidence kind; several
  quotes of the same kind are merged into one statement);
* writes deterministic, sorted, prefixed Turtle.

Usage: ``python tools/build_kb.py [--guide PATH] [--out DIR]``
(defaults: the guide at ``../shared/seed/`` next to the repository, output ``ontology/kb/``).
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

import curation_facts as cf  # noqa: E402
import guide_facts as gf  # noqa: E402

REPO = HERE.parent
DEFAULT_GUIDE = REPO.parent / "shared" / "seed" / gf.GUIDE_FILE
DEFAULT_OUT = REPO / "ontology" / "kb"

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

# datatype of a literal object, by predicate (anything else is a plain xsd:string)
DATATYPES = {
    "age": "integer",
    "position": "integer",
    "supplyDays": "integer",
    "percentage": "decimal",
    "minPrice": "decimal",
    "maxPrice": "decimal",
    "referenceGiven": "boolean",
}


class BuildError(Exception):
    """The facts do not match the guide (a quote not found, not unique, an unknown slug...)."""


# ------------------------------------------------------------------------------------------
# Sections and quotes
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Section:
    number: int
    heading: str
    start: int
    end: int

    @property
    def iri(self) -> str:
        return f"rg:section-{self.number:02d}"


def find_sections(text: str) -> list[Section]:
    """Heading lines: short stand-alone lines (blank line before and after) not ending in '.'."""
    lines = text.split("\n")
    offsets: list[int] = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    found: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        s = line.strip()
        if i == 0 or not s:  # line 1 is the document title
            continue
        before = lines[i - 1].strip()
        after = lines[i + 1].strip() if i + 1 < len(lines) else ""
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
    headings = tuple(s.heading for s in sections)
    if headings != gf.HEADINGS:
        raise BuildError(f"the guide's headings differ from guide_facts.HEADINGS: {headings!r}")
    return sections


@dataclass(frozen=True)
class QuoteSpan:
    start: int
    end: int
    section: int


def locate(text: str, sections: list[Section], q: gf.Q) -> QuoteSpan:
    if not 1 <= q.sec <= len(sections):
        raise BuildError(f"no section {q.sec} for quote {q.text!r}")
    sec = sections[q.sec - 1]
    body = text[sec.start : sec.end]
    hits = [m.start() for m in re.finditer(re.escape(q.text), body)]
    if not hits:
        raise BuildError(f"quote not found in section {q.sec} ({sec.heading!r}): {q.text!r}")
    if len(hits) > 1:
        raise BuildError(f"quote not unique in section {q.sec}: {q.text!r}")
    if len(q.text) > 200:
        raise BuildError(f"quote longer than 200 characters: {q.text!r}")
    start = sec.start + hits[0]
    return QuoteSpan(start, start + len(q.text), q.sec)


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


def object_term(r_p: str, o: str | gf.Lit) -> str:
    if isinstance(o, gf.Lit):
        return literal(o.value, DATATYPES.get(r_p, "string"))
    return f"rg:{o}"


def statement_base(s: str, p: str, o: str | gf.Lit) -> str:
    oslug = slugify(o.value) if isinstance(o, gf.Lit) else o
    return f"st-{s}-{p}-{oslug}"


@dataclass
class Built:
    guide: str
    curation: str
    counts: dict[str, int]


def build(text: str) -> Built:
    sections = find_sections(text)

    # every quote used anywhere: entities, relations, flags
    used: list[gf.Q] = []
    for e in gf.ENTITIES:
        used += e.quotes
    used += [r.q for r in gf.RELATIONS]
    for f in cf.FLAGS:
        used += [t for t in f.targets if isinstance(t, gf.Q)]
    spans = {q: locate(text, sections, q) for q in used}
    numbered = sorted({(sp.start, sp.end, sp.section) for sp in spans.values()})
    qid = {key: f"rg:q-{i:04d}" for i, key in enumerate(numbered, start=1)}

    def quote_iri(q: gf.Q) -> str:
        sp = spans[q]
        return qid[(sp.start, sp.end, sp.section)]

    slugs = [e.slug for e in gf.ENTITIES]
    dupes = {s for s in slugs if slugs.count(s) > 1}
    if dupes:
        raise BuildError(f"entities declared twice: {sorted(dupes)}")
    known = set(slugs)

    g: Graph = {}
    order: dict[str, tuple[int, str]] = {}
    guide = "rg:guide"
    add(g, guide, "a", "rgo:SourceDocument")
    add(g, guide, "rdfs:label", literal(gf.GUIDE_TITLE))
    add(g, guide, "dcterms:title", literal(gf.GUIDE_TITLE))
    add(g, guide, "dcterms:identifier", literal(gf.GUIDE_FILE))
    order[guide] = (0, "")
    for sec in sections:
        add(g, sec.iri, "a", "rgo:Section")
        add(g, sec.iri, "rgo:heading", literal(sec.heading))
        add(g, sec.iri, "rgo:sectionNumber", literal(sec.number, "integer"))
        add(g, sec.iri, "oa:start", literal(sec.start, "integer"))
        add(g, sec.iri, "oa:end", literal(sec.end, "integer"))
        add(g, sec.iri, "dcterms:isPartOf", guide)
        order[sec.iri] = (1, f"{sec.number:04d}")

    for e in gf.ENTITIES:
        s = f"rg:{e.slug}"
        for t in e.types:
            add(g, s, "a", type_term(t))
        add(g, s, "rdfs:label", literal(e.label))
        for a in e.alt:
            add(g, s, "skos:altLabel", literal(a))
        for q in e.quotes:
            add(g, s, "rgo:evidence", quote_iri(q))
        add(g, s, "rgo:evidenceKind", f"rgo:{gf.KINDS[e.kind]}")
        order[s] = (2, e.slug)

    # statements: one per (triple, evidence kind)
    groups: dict[tuple[str, str, str | gf.Lit], dict[str, list[gf.Q]]] = {}
    for r in gf.RELATIONS:
        for node in (r.s, r.o):
            if isinstance(node, str) and node not in known:
                raise BuildError(f"relation {r} uses an undeclared entity {node!r}")
        if r.kind not in gf.KINDS:
            raise BuildError(f"unknown evidence kind {r.kind!r} in {r}")
        groups.setdefault((r.s, r.p, r.o), {}).setdefault(r.kind, []).append(r.q)
    statement_ids: set[str] = set()
    for (s_slug, p, o), by_kind in groups.items():
        s = f"rg:{s_slug}"
        o_term = object_term(p, o)
        add(g, s, pred_term(p), o_term)
        base = statement_base(s_slug, p, o)
        for i, (kind, quotes) in enumerate(by_kind.items(), start=1):
            st_id = base if i == 1 else f"{base}-{i}"
            if st_id in statement_ids:
                raise BuildError(f"statement IRI collision: {st_id}")
            statement_ids.add(st_id)
            st = f"rg:{st_id}"
            add(g, st, "a", "rgo:GuideStatement")
            add(g, st, "rdf:subject", s)
            add(g, st, "rdf:predicate", pred_iri(p))
            add(g, st, "rdf:object", o_term)
            for q in quotes:
                add(g, st, "rgo:evidence", quote_iri(q))
            add(g, st, "rgo:evidenceKind", f"rgo:{gf.KINDS[kind]}")
            order[st] = (3, st_id)

    sec_by_number = {sec.number: sec for sec in sections}
    for (start, end, sec_no), q_iri in qid.items():
        add(g, q_iri, "a", "rgo:Quote")
        add(g, q_iri, "oa:exact", literal(text[start:end]))
        add(g, q_iri, "oa:start", literal(start, "integer"))
        add(g, q_iri, "oa:end", literal(end, "integer"))
        add(g, q_iri, "dcterms:isPartOf", sec_by_number[sec_no].iri)
        order[q_iri] = (4, q_iri)

    guide_ttl = serialize(
        g,
        "relaxgraph knowledge base: what the guide says, every statement with its provenance.\n"
        f"Source document: {gf.GUIDE_FILE} ({gf.GUIDE_TITLE}).\n"
        "Generated by tools/build_kb.py from tools/guide_facts.py; do not edit by hand.",
        order,
    )

    # ---- curation ----
    c: Graph = {}
    corder: dict[str, tuple[int, str]] = {}
    curated_slugs = {ce.slug for ce in cf.CURATED_ENTITIES}
    for ce in cf.CURATED_ENTITIES:
        s = f"rg:{ce.slug}"
        for t in ce.types:
            add(c, s, "a", type_term(t))
        add(c, s, "rdfs:label", literal(ce.label))
        add(c, s, "dcterms:source", iri(ce.source))
        corder[s] = (0, ce.slug)
    for cs in cf.CURATED:
        for slug in (cs.s, cs.o):
            if slug not in known | curated_slugs:
                raise BuildError(f"curated statement {cs} uses an undeclared entity {slug!r}")
        s, o = f"rg:{cs.s}", f"rg:{cs.o}"
        add(c, s, pred_term(cs.p), o)
        st_id = statement_base(cs.s, cs.p, cs.o)
        if st_id in statement_ids:
            raise BuildError(f"statement IRI collision: {st_id}")
        statement_ids.add(st_id)
        st = f"rg:{st_id}"
        add(c, st, "a", "rgo:CuratedStatement")
        add(c, st, "rdf:subject", s)
        add(c, st, "rdf:predicate", pred_iri(cs.p))
        add(c, st, "rdf:object", o)
        add(c, st, "dcterms:source", iri(cs.source))
        add(c, st, "rdfs:comment", literal(cs.comment))
        corder[st] = (1, st_id)
    for a, rel_name, b in cf.CLOSE_MATCHES:
        if a not in known or b not in known:
            raise BuildError(f"unknown class in match {a} {b}")
        add(c, f"rg:{a}", f"skos:{rel_name}", f"rg:{b}")
        corder[f"rg:{a}"] = (0, a)
    flag_slugs = set()
    for f in cf.FLAGS:
        if f.slug in flag_slugs:
            raise BuildError(f"flag declared twice: {f.slug}")
        flag_slugs.add(f.slug)
        s = f"rg:flag-{f.slug}"
        add(c, s, "a", "rgo:Flag")
        add(c, s, "rgo:flagKind", f"rgo:{f.kind}")
        for target in f.targets:
            if isinstance(target, gf.Q):
                add(c, s, "rgo:flags", quote_iri(target))
            elif target in statement_ids or target in known:
                add(c, s, "rgo:flags", f"rg:{target}")
            else:
                raise BuildError(f"flag {f.slug} targets unknown {target!r}")
        add(c, s, "rgo:reason", literal(f.reason))
        if f.source:
            add(c, s, "dcterms:source", iri(f.source))
        corder[s] = (2, f.slug)
    curation_ttl = serialize(
        c,
        "relaxgraph curation: what we add beyond the guide (flags and their reasons,\n"
        "class-list alignments, facts with a cited public source).\n"
        "Generated by tools/build_kb.py from tools/curation_facts.py; do not edit by hand.",
        corder,
    )

    counts = {
        "sections": len(sections),
        "entities": len(gf.ENTITIES),
        "curated entities": len(cf.CURATED_ENTITIES),
        "domain relations": len(groups),
        "guide statements": sum(len(v) for v in groups.values()),
        "curated statements": len(cf.CURATED),
        "quotes": len(qid),
        "flags": len(cf.FLAGS),
    }
    return Built(guide_ttl, curation_ttl, counts)


def write(built: Built, out: Path) -> Iterable[Path]:
    out.mkdir(parents=True, exist_ok=True)
    for name, content in (("guide.ttl", built.guide), ("curation.ttl", built.curation)):
        path = out / name
        path.write_text(content, encoding="utf-8", newline="\n")
        yield path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--guide", type=Path, default=DEFAULT_GUIDE, help="the guide's text file")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    args = ap.parse_args(argv)
    text = args.guide.read_text(encoding="utf-8")
    try:
        built = build(text)
    except BuildError as exc:
        print(f"build_kb: {exc}", file=sys.stderr)
        return 1
    for path in write(built, args.out):
        print(f"wrote {path.name}")
    for k, v in built.counts.items():
        print(f"{k}: {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
