"""Write the expected result of every catalogue query, run with its default parameters.

    python tools/update_expected.py            # rewrite queries/expected/*
    python tools/update_expected.py --check    # exit 1 if any expected file would change

Review the diff before committing: an expected result is a claim about the guide.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from relaxgraph.querying.catalogue import load_catalogue
from relaxgraph.storage.engines import connect

EXPECTED = Path(__file__).resolve().parents[1] / "queries" / "expected"


def render(name: str) -> tuple[str, bytes]:
    engine = connect()
    entry = load_catalogue()[name]
    result = entry.run(engine)
    if result.kind == "graph":
        lines = sorted(set(result.serialize("nt").decode().splitlines()))
        return f"{name}.nt", ("\n".join(lines) + "\n").encode()
    data = json.loads(result.data)
    if not entry.ordered and "results" in data:
        data["results"]["bindings"].sort(key=lambda b: json.dumps(b, sort_keys=True))
    return f"{name}.srj", (
        json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    ).encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    EXPECTED.mkdir(exist_ok=True)
    changed = []
    for name in load_catalogue():
        filename, data = render(name)
        path = EXPECTED / filename
        if not path.exists() or path.read_bytes() != data:
            changed.append(filename)
            if not args.check:
                path.write_bytes(data)
    print(("would change: " if args.check else "updated: ") + (", ".join(changed) or "nothing"))
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
