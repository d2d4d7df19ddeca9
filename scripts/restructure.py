"""One-off, re-runnable move of the flat ``src/relaxgraph`` into sub-packages by capability.

Run from the repository root on a tree that still has the flat layout:
``python scripts/restructure.py``. It ``git mv``s the modules, writes each sub-package's
``__init__.py``, and rewrites every import and dotted name (relative imports in the package,
``relaxgraph.x`` in code, tests, tools, benchmarks, scripts, notebooks and docs). The commit
that ran it then moved the package-data paths and two exception classes by hand.

On a tree that is already moved, ``python scripts/restructure.py FILE...`` rewrites the old
dotted names (``relaxgraph.sparql``, ``from relaxgraph import store``) in those files only,
e.g. in a branch's new test or tool written against the flat layout.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src" / "relaxgraph"

#: old module (flat) -> new dotted path under relaxgraph
MOVES: dict[str, str] = {
    "_resources": "data._resources",
    "layer_registry": "data.layer_registry",
    "build": "data.build",
    "identifiers": "data.identifiers",
    "store": "storage.store",
    "graph": "storage.graph",
    "engines": "storage.engines",
    "remote": "storage.remote",
    "sparql": "querying.sparql",
    "guard": "querying.guard",
    "_inline": "querying._inline",
    "catalogue": "querying.catalogue",
    "resolve": "querying.resolve",
    "_convert": "querying._convert",
    "validation": "checking.validation",
    "reasoning": "checking.reasoning",
    "vocab": "checking.vocab",
    "description": "views.description",
    "network": "views.network",
    "viz": "views.viz",
    "exporting": "views.exporting",
    "table": "views.table",
    "analytics": "views.analytics",
    "_terminal": "views._terminal",
    "server": "server.endpoint",
    "_workers": "server._workers",
}
#: data files that move with their modules
DATA_MOVES = {
    "layers.toml": "data/layers.toml",
    "ATTRIBUTION.md": "data/ATTRIBUTION.md",
    "identifier_prefixes.json": "data/identifier_prefixes.json",
    "_viz_template.html": "views/_viz_template.html",
    "static": "views/static",
}
PACKAGES = {
    "data": "The shipped data and how it is declared: the layer registry (``layers.toml``), "
    "where the files are,\nthe identifier converter, and the build of the merged graph.",
    "storage": "Where the graph is kept: the Oxigraph store (memory or disk), rdflib's "
    "``load()``, a remote\nSPARQL endpoint, and ``connect()``, which opens any of them.",
    "querying": "Running SPARQL: the guard on query text, the engines' common interface and "
    "results, parameter\nbinding, the query catalogue and name-to-entity resolution.",
    "checking": "Checking the graph: SHACL shapes and integrity queries, OWL RL inference, and "
    "the ontology's\nown vocabulary (what is provenance).",
    "views": "What the graph looks like to a reader: ``describe``, the networkx bridge and its "
    "analytics,\nthe offline HTML viewer, exports and terminal tables.",
    "server": "``relaxgraph serve``: a read-only SPARQL endpoint (waitress), one worker "
    "process per query.",
}
# Old top-level names that stay public attributes of ``relaxgraph`` (lazy): not rewritten when
# used as ``relaxgraph.views.analytics.<function>`` or ``from relaxgraph import analytics``.
PUBLIC_MODULES = {"analytics"}

# Files whose text mentions dotted module names or imports.
TEXT_GLOBS = [
    "src/**/*.py",
    "tests/**/*.py",
    "benchmarks/**/*.py",
    "benchmarks/*.md",
    "benchmarks/*.sh",
    "scripts/*.py",
    "scripts/*.sh",
    "tools/*.py",
    "notebooks/*.ipynb",
    "docs/**/*.md",
    "README.md",
    "ARCHITECTURE.md",
    "pyproject.toml",
    "src/relaxgraph/data/layers.toml",
    "src/relaxgraph/data/ATTRIBUTION.md",
]


def git(*args: str) -> None:
    subprocess.run(["git", *args], cwd=ROOT, check=True)


def move() -> None:
    for pkg in PACKAGES:
        (PKG / pkg).mkdir(exist_ok=True)
    for old, new in MOVES.items():
        target = PKG / (new.replace(".", "/") + ".py")
        git("mv", str(PKG / f"{old}.py"), str(target))
    for old, new in DATA_MOVES.items():
        git("mv", str(PKG / old), str(PKG / new))
    for pkg, doc in PACKAGES.items():
        init = PKG / pkg / "__init__.py"
        init.write_text(f'"""{doc}"""\n', encoding="utf-8")
        git("add", str(init))


def new_name(old_abs: str) -> str:
    """``relaxgraph.querying.sparql.run`` -> ``relaxgraph.querying.sparql.run`` (others unchanged)."""
    parts = old_abs.split(".")
    if len(parts) >= 2 and parts[0] == "relaxgraph" and parts[1] in MOVES:
        return ".".join(["relaxgraph", *MOVES[parts[1]].split("."), *parts[2:]])
    return old_abs


def old_package_of(new_module: str) -> str:
    """The package a (moved) module lived in before the move."""
    inverse = {"relaxgraph." + v: "relaxgraph." + k for k, v in MOVES.items()}
    old = inverse.get(new_module, new_module)
    return old.rsplit(".", 1)[0]


def relative(from_package: str, target: str) -> str:
    """The relative spelling of module ``target`` seen from inside ``from_package``."""
    here = from_package.split(".")
    there = target.split(".")
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    dots = "." * (len(here) - common + 1)
    return dots + ".".join(there[common:])


REL_FROM = re.compile(
    r"^(?P<indent>[ \t]*)from (?P<dots>\.+)(?P<mod>[\w.]*) import (?P<names>\(?)", re.M
)


def rewrite_relative(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    rel = path.relative_to(ROOT / "src").with_suffix("")
    new_module = ".".join(rel.parts)
    if rel.name == "__init__":
        new_module = ".".join(rel.parts[:-1])
        new_pkg = new_module
        old_pkg = new_module
    else:
        new_pkg = new_module.rsplit(".", 1)[0]
        old_pkg = old_package_of(new_module)

    def resolve(dots: str, mod: str) -> str:
        base = old_pkg.split(".")
        base = base[: len(base) - (len(dots) - 1)]
        return ".".join([*base, mod]) if mod else ".".join(base)

    out: list[str] = []
    for line in text.splitlines(keepends=True):
        m = REL_FROM.match(line)
        if not m:
            out.append(line)
            continue
        old_abs = resolve(m["dots"], m["mod"])
        if m["mod"]:
            target = new_name(old_abs)
            line = line.replace(
                f"from {m['dots']}{m['mod']} import", f"from {relative(new_pkg, target)} import", 1
            )
        else:
            # from . import a, b  (modules of a package)
            rest = line[m.end() - len(m["names"]) :]
            names = [n.strip() for n in rest.strip().strip("()").split(",") if n.strip()]
            lines = []
            for n in names:
                name, _, alias = n.partition(" as ")
                target = new_name(f"{old_abs}.{name}")
                pkg, _, leaf = target.rpartition(".")
                spelled = leaf + (f" as {alias}" if alias else "")
                lines.append(f"{m['indent']}from {relative(new_pkg, pkg)} import {spelled}\n")
            line = "".join(lines)
        out.append(line)
    return "".join(out)


ABS = re.compile(r"(?<![\w./])relaxgraph\.(?P<mod>[A-Za-z_]\w*)(?P<tail>\.[A-Za-z_]\w*)?")
NEW_NAMES = set(MOVES.values())
# ``relaxgraph.network.fit()`` in the viewer's JavaScript (window.relaxgraph is the page's object)
JS_MEMBER = re.compile(r"\.(fit|body|get[A-Z]\w*|select[A-Z]\w*|moveTo|focus|redraw|setData|on)")
FROM_PKG = re.compile(
    r"^(?P<indent>[ \t]*)from relaxgraph import (?P<names>[\w, ]+?)(?P<comment>\s*#.*)?$", re.M
)


def rewrite_absolute(text: str) -> str:
    def from_pkg(m: re.Match[str]) -> str:
        names = [n.strip() for n in m["names"].split(",") if n.strip()]
        moved = [n for n in names if n.split(" as ")[0] in MOVES and n not in PUBLIC_MODULES]
        if not moved:
            return m.group(0)
        kept = [n for n in names if n not in moved]
        lines = [f"{m['indent']}from relaxgraph import {', '.join(kept)}"] if kept else []
        for n in moved:
            name, _, alias = n.partition(" as ")
            pkg, _, leaf = ("relaxgraph." + MOVES[name]).rpartition(".")
            lines.append(
                f"{m['indent']}from {pkg} import {leaf}" + (f" as {alias}" if alias else "")
            )
        lines[0] += m["comment"] or ""
        return "\n".join(lines)

    text = FROM_PKG.sub(from_pkg, text)

    def dotted(m: re.Match[str]) -> str:
        mod, tail = m["mod"], m["tail"] or ""
        if mod not in MOVES or JS_MEMBER.fullmatch(tail):
            return m.group(0)
        if tail and f"{mod}{tail}" in NEW_NAMES:
            return m.group(0)  # already the new name (relaxgraph.server.endpoint)
        if mod in PUBLIC_MODULES:
            # relaxgraph.analytics.explain_path is the public spelling; keep it
            line_start = text.rfind("\n", 0, m.start()) + 1
            line = text[line_start : text.find("\n", m.end())]
            if not re.search(r"\b(import|from)\b", line):
                return m.group(0)
        return "relaxgraph." + MOVES[mod] + tail

    return ABS.sub(dotted, text)


def main() -> None:
    if len(sys.argv) > 1:
        for name in sys.argv[1:]:
            path = Path(name)
            path.write_text(rewrite_absolute(path.read_text(encoding="utf-8")), encoding="utf-8")
        return
    if not (PKG / "sparql.py").exists():
        raise SystemExit("the package is already split; give the files to rewrite")
    move()
    for path in sorted((PKG).rglob("*.py")):
        path.write_text(rewrite_relative(path), encoding="utf-8")
    for pattern in TEXT_GLOBS:
        for path in sorted(ROOT.glob(pattern)):
            if ".venv" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            new = rewrite_absolute(text)
            if new != text:
                path.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
