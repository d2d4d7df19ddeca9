"""`python tools/build_all.py`: one command rebuilds every layer, in the registry's order."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD_ALL = ROOT / "tools" / "build_all.py"


def test_builders_follow_the_registry_order_each_once() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import build_all
    finally:
        sys.path.remove(str(ROOT / "tools"))
    names = [p.relative_to(ROOT).as_posix() for p in build_all.builders()]
    assert names == [
        "tools/build_kb.py",  # guide and curation: one script, run once
        "tools/build_identifiers.py",
        "tools/import_reference.py",
        "tools/build_assessments.py",  # reads the guide and reference layers
        "tools/build_closure.py",  # reads them all
    ]


def test_every_shipped_layer_is_current() -> None:
    """The check a contributor runs before committing: fails naming the stale builder."""
    done = subprocess.run(
        [sys.executable, str(BUILD_ALL), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("build_all: tools/") == 5
