#!/usr/bin/env python3

"""Rebuild every layer, in the order the layer registry declares them.

    python tools/build_all.py           # run each layer's builder in turn
    python tools/build_all.py --check   # write nothing; exit 1 if any layer is out of date

The builders are the ones ``src/relaxgraph/data/layers.toml`` names (its ``builder`` field,
first word: a script under ``tools/``); a script that builds two layers runs once. Order
matters and is the registry's: the assessments read the guide and reference layers, the
entailments read them all. Exit codes: 0 built (or current), 1 out of date (``--check``), 2 a
builder refused its input (its own one-line message says which row); the first failure stops a
build, so no later layer is written from a stale one.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def builders() -> list[Path]:
    """The builder scripts of the registry's layers, in its order, each once."""
    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))
    from relaxgraph.data.layer_registry import registry

    scripts: list[Path] = []
    for layer in registry().layers:
        first = layer.builder.split()[0] if layer.builder.strip() else ""
        if not first.endswith(".py"):
            continue  # "none: edited by hand"
        script = ROOT / first
        if not script.is_file():
            raise SystemExit(
                f"build_all: layer {layer.id!r} names the builder {first!r}, which does not exist; "
                "fix its builder field in src/relaxgraph/data/layers.toml"
            )
        if script not in scripts:
            scripts.append(script)
    return scripts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if out of date")
    args = ap.parse_args(argv)
    stale: list[str] = []
    for script in builders():
        name = script.relative_to(ROOT).as_posix()
        command = [sys.executable, str(script)] + (["--check"] if args.check else [])
        print(f"build_all: {name}{' --check' if args.check else ''}", flush=True)
        code = subprocess.run(command, cwd=ROOT, check=False).returncode
        if code == 1 and args.check:
            stale.append(name)
        elif code != 0:
            print(
                f"build_all: {name} failed (exit {code}); later layers were not built",
                file=sys.stderr,
            )
            return code if code in (1, 2) else 2
    if stale:
        print(
            f"build_all: out of date: {', '.join(stale)}; run python tools/build_all.py",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
