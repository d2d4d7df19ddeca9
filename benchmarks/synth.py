"""Synthetic pharmacology-shaped graphs for benchmarks and stress tests.

The graphs follow relaxgraph's data model (``ontology/README.md``): drugs in a drug-class
hierarchy, brand names, side effects, conditions, receptors and mechanisms; every domain
triple reified by a ``rgo:GuideStatement`` with a ``rgo:Quote`` (text and offsets) in a
section; some statements flagged. Nothing here is a real fact: every entity is
``rg:synth-...`` and every label says "Synthetic".

>>> triples = list(pharma_graph(2_000, seed=1))
>>> 1_900 <= len(triples) <= 2_100
True
>>> triples == list(pharma_graph(2_000, seed=1))   # deterministic for a seed
True
>>> triples[0][0]
'<https://w3id.org/relaxgraph/id/synth-guide>'

Command line: ``python benchmarks/synth.py 100000 out.nt.gz [--seed 0]``.
"""

from __future__ import annotations

import gzip
import random
import sys
from collections.abc import Iterator
from pathlib import Path

__all__ = ["pharma_graph", "write_ntriples"]

RG = "https://w3id.org/relaxgraph/id/"
RGO = "https://w3id.org/relaxgraph/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OA = "http://www.w3.org/ns/oa#"
DCT = "http://purl.org/dc/terms/"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"

Triple = tuple[str, str, str]

_A = f"<{RDF}type>"
_LABEL = f"<{RDFS}label>"


def _iri(ns: str, local: str) -> str:
    return f"<{ns}{local}>"


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _int(n: int) -> str:
    return f'"{n}"^^<{XSD}integer>'


def _dec(x: float) -> str:
    return f'"{x:.1f}"^^<{XSD}decimal>'


# Triples per drug, roughly: 12 own + 5 side effects, 2 conditions, 1 target, 1 mechanism
# = 9 domain triples, each with a statement (6) and about half a quote (5): ~12 + 9 * 8.5.
_PER_DRUG = 90


def pharma_graph(n_triples: int, seed: int = 0) -> Iterator[Triple]:
    """Yield about ``n_triples`` triples (within a few percent), as N-Triples term strings.

    Each item is ``(subject, predicate, object)``; ``" ".join(t) + " ."`` is an N-Triples
    line. The same ``n_triples`` and ``seed`` always give the same graph.
    """
    rnd = random.Random(seed)
    n_drugs = max(1, n_triples // _PER_DRUG)
    n_side = max(5, n_drugs // 20)
    n_cond = max(3, n_drugs // 40)
    n_recv = max(2, n_drugs // 100)
    n_mech = max(2, n_drugs // 100)
    n_sections = max(3, n_drugs // 50)
    emitted = 0

    def t(s: str, p: str, o: str) -> Triple:
        nonlocal emitted
        emitted += 1
        return (s, p, o)

    guide = _iri(RG, "synth-guide")
    yield t(guide, _A, _iri(RGO, "SourceDocument"))
    yield t(guide, _LABEL, _lit("Synthetic guide"))
    sections = [_iri(RG, f"synth-section-{i}") for i in range(n_sections)]
    for i, sec in enumerate(sections):
        yield t(sec, _A, _iri(RGO, "Section"))
        yield t(sec, _iri(RGO, "heading"), _lit(f"Synthetic section {i}"))
        yield t(sec, _iri(RGO, "sectionNumber"), _int(i + 1))
        yield t(sec, _iri(DCT, "isPartOf"), guide)

    # A drug-class tree, four levels deep, under rg:muscle-relaxants.
    root = _iri(RG, "muscle-relaxants")
    classes = [root]
    parents = [root]
    for depth in range(3):
        level = []
        for j in range(4 ** (depth + 1) if depth < 2 else max(16, n_drugs // 25)):
            c = _iri(RG, f"synth-class-{depth}-{j}")
            p = parents[j % len(parents)]
            yield t(c, _A, _iri(RGO, "DrugClass"))
            yield t(c, _A, _iri(OWL, "Class"))
            yield t(c, _iri(RDFS, "subClassOf"), p)
            yield t(c, _LABEL, _lit(f"Synthetic class {depth}-{j}"))
            level.append(c)
        classes.extend(level)
        parents = level
    leaves = parents

    def pool(kind: str, cls: str, n: int) -> list[str]:
        return [_iri(RG, f"synth-{kind}-{i}") for i in range(n)]

    side = pool("side-effect", "SideEffect", n_side)
    cond = pool("condition", "Condition", n_cond)
    recv = pool("receptor", "Receptor", n_recv)
    mech = pool("mechanism", "MechanismOfAction", n_mech)
    for kind, cls, items in (
        ("side effect", "SideEffect", side),
        ("condition", "Disease", cond),
        ("receptor", "Receptor", recv),
        ("mechanism", "MechanismOfAction", mech),
    ):
        for i, e in enumerate(items):
            yield t(e, _A, _iri(RGO, cls))
            yield t(e, _LABEL, _lit(f"Synthetic {kind} {i}"))

    quote_no = 0
    stmt_kinds = [
        _iri(RGO, k) for k in ("GeneralStatement", "Testimonial", "UnattributedStatistic")
    ]
    flag_kinds = [_iri(RGO, k) for k in ("PharmacologicallyUnsupported", "UnsupportedStatistic")]
    ev, evk = _iri(RGO, "evidence"), _iri(RGO, "evidenceKind")
    drug_no = 0
    while emitted < n_triples - _PER_DRUG // 2:
        d = _iri(RG, f"synth-drug-{drug_no}")
        yield t(d, _A, _iri(RGO, "Drug"))
        yield t(d, _A, leaves[rnd.randrange(len(leaves))])
        yield t(d, _LABEL, _lit(f"Synthetic drug {drug_no}"))
        for b in range(2):
            brand = _iri(RG, f"synth-brand-{drug_no}-{b}")
            yield t(d, _iri(SKOS, "altLabel"), _lit(f"Synthbrand {drug_no}-{b}"))
            yield t(brand, _A, _iri(RGO, "BrandName"))
            yield t(brand, _iri(RGO, "brandOf"), d)
        price = _iri(RG, f"synth-price-{drug_no}")
        yield t(price, _A, _iri(RGO, "Price"))
        yield t(price, _iri(RGO, "priceOf"), d)
        yield t(price, _iri(RGO, "minPrice"), _dec(rnd.uniform(5, 50)))
        yield t(price, _iri(RGO, "maxPrice"), _dec(rnd.uniform(50, 500)))
        facts = [(_iri(RGO, "hasSideEffect"), rnd.choice(side)) for _ in range(5)]
        facts += [(_iri(RGO, "treats"), rnd.choice(cond)) for _ in range(2)]
        facts.append((_iri(RGO, "targets"), rnd.choice(recv)))
        facts.append((_iri(RGO, "hasMechanism"), rnd.choice(mech)))
        quote = ""
        for k, (p, o) in enumerate(dict.fromkeys(facts)):
            yield t(d, p, o)
            if k % 2 == 0:  # a quote shared by two statements
                quote = _iri(RG, f"synth-q-{quote_no}")
                start = quote_no * 80
                yield t(quote, _A, _iri(RGO, "Quote"))
                yield t(
                    quote,
                    _iri(OA, "exact"),
                    _lit(f"Synthetic quote {quote_no} about drug {drug_no}"),
                )
                yield t(quote, _iri(OA, "start"), _int(start))
                yield t(quote, _iri(OA, "end"), _int(start + 40))
                yield t(quote, _iri(DCT, "isPartOf"), rnd.choice(sections))
                quote_no += 1
            st = _iri(RG, f"synth-st-{drug_no}-{k}")
            yield t(st, _A, _iri(RGO, "GuideStatement"))
            yield t(st, _iri(RDF, "subject"), d)
            yield t(st, _iri(RDF, "predicate"), p)
            yield t(st, _iri(RDF, "object"), o)
            yield t(st, ev, quote)
            yield t(st, evk, rnd.choice(stmt_kinds))
            if rnd.random() < 0.02:
                flag = _iri(RG, f"synth-flag-{drug_no}-{k}")
                yield t(flag, _A, _iri(RGO, "Flag"))
                yield t(flag, _iri(RGO, "flagKind"), rnd.choice(flag_kinds))
                yield t(flag, _iri(RGO, "flags"), st)
                yield t(flag, _iri(RGO, "reason"), _lit(f"Synthetic reason {drug_no}-{k}"))
        drug_no += 1


def write_ntriples(path: str | Path, n_triples: int, seed: int = 0) -> int:
    """Write :func:`pharma_graph` to ``path`` as N-Triples (gzipped if it ends in ``.gz``).

    Returns the number of triples written.
    """
    target = Path(path)
    opener = gzip.open if target.name.endswith(".gz") else open
    n = 0
    with opener(target, "wt", encoding="utf-8") as out:
        lines = []
        for s, p, o in pharma_graph(n_triples, seed):
            lines.append(f"{s} {p} {o} .\n")
            if len(lines) >= 10_000:
                out.write("".join(lines))
                n += len(lines)
                lines = []
        out.write("".join(lines))
        n += len(lines)
    return n


if __name__ == "__main__":
    args = sys.argv[1:]
    seed = 0
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i : i + 2]
    if len(args) != 2:
        sys.exit("usage: python benchmarks/synth.py N_TRIPLES OUT.nt[.gz] [--seed S]")
    written = write_ntriples(args[1], int(args[0]), seed)
    print(f"{written} triples -> {args[1]}")
