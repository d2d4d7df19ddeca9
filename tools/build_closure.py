"""Precompute the OWL 2 RL entailments of the bundled graph into ``ontology/entailed.nt``.

    python tools/build_closure.py           # rewrite the file
    python tools/build_closure.py --check   # exit 1 if it is out of date

owlrl takes several seconds on the bundled graph; shipping its result lets
``relaxgraph query --infer`` on the bundled graph answer at once. Other stores are
reasoned over on demand. Re-run after changing the ontology or the knowledge base.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyoxigraph as ox

from relaxgraph.checking.reasoning import closure
from relaxgraph.storage.store import bundled_store

TARGET = Path(__file__).resolve().parents[1] / "ontology" / "entailed.nt"


def _kept(t: ox.Triple) -> bool:
    # Blank nodes (the ontology's owl:unionOf lists) get fresh labels at every parse, so
    # their entailments cannot be shipped; reflexive owl:sameAs says nothing.
    if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
        return False
    return not (t.predicate.value == OWL_SAME_AS and t.subject == t.object)


OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"


def render(asserted: ox.Store | None = None, inferred: ox.Store | None = None) -> bytes:
    """The entailed.nt bytes; ``asserted`` and its ``inferred`` closure if already computed."""
    if asserted is None:
        asserted = bundled_store()
    if inferred is None:
        inferred = closure(asserted)
    new = {q.triple for q in inferred} - {q.triple for q in asserted}
    lines = sorted({str(t) + " ." for t in new if _kept(t)})
    return ("\n".join(lines) + "\n").encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    data = render()
    if args.check:
        same = TARGET.exists() and TARGET.read_bytes() == data
        print(
            "up to date"
            if same
            else f"{TARGET.name} is out of date: run python tools/build_closure.py"
        )
        return 0 if same else 1
    TARGET.write_bytes(data)
    print(f"wrote {TARGET.name}: {len(data.splitlines())} entailed triples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
