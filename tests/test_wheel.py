"""A fresh install works as the README says: the wheel, a bare environment, the README's commands.

The wheel is built and installed into a virtual environment created without system site
packages and without any extra (its dependencies come from the package index), so only what
the wheel declares can be found. Then the README's main command and its library example run
exactly as the README writes them (they are read from README.md here, so the two cannot
drift apart), from a copy of the checkout and from an empty folder.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from fresh_env import (
    README,
    bare_venv,
    built_wheel,
    checkout_copy,
    clean_env,
    installed,
    pip_install,
    readme_blocks,
)

pytestmark = pytest.mark.slow

#: What the notebooks, the test suite or the old viewer used, and a bare install must not need.
NOT_DECLARED = {"pandas", "matplotlib", "pyvis", "jupyterlab", "ipykernel", "nbclient", "pytest"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_wheel(tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def env(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bare environment with the wheel (and only what it declares) installed."""
    env_dir = bare_venv(tmp_path_factory.mktemp("bare") / "venv")
    pip_install(env_dir, str(wheel))
    return env_dir


def test_wheel_carries_ontology_knowledge_base_shapes_queries_and_vis_network(
    wheel: Path,
) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "relaxgraph/ontology/relaxgraph.ttl",
        "relaxgraph/ontology/shapes.ttl",
        "relaxgraph/ontology/kb/guide.ttl",
        "relaxgraph/ontology/kb/curation.ttl",
        "relaxgraph/ontology/kb/identifiers.ttl",
        "relaxgraph/ontology/kb/reference.ttl",
        "relaxgraph/data/layers.toml",
        "relaxgraph/data/ATTRIBUTION.md",
        "relaxgraph/queries/side-effects.rq",
        "relaxgraph/queries/internal/stats.rq",  # relaxgraph stats, describe
        "relaxgraph/queries/internal/describe-relations.rq",
        "relaxgraph/queries/internal/describe-reference.rq",
        "relaxgraph/py.typed",
        "relaxgraph/views/static/vis-network.min.js",
        "relaxgraph/views/static/LICENSE-APACHE-2.0",
        "relaxgraph/views/static/LICENSE-MIT",
        "relaxgraph/views/static/README.md",
    ):
        assert required in names, required
    assert any(n.startswith("relaxgraph/ontology/checks/") for n in names)
    assert not any("/tests/" in n or n.startswith("tools/") for n in names)
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    requires = [line for line in text.splitlines() if line.startswith("Requires-Dist:")]
    base = [r for r in requires if "extra ==" not in r]
    assert any("numpy" in r for r in base)  # the viewer's layout needs it: declared
    assert not any("pyvis" in r for r in base)  # vis-network ships inside the package
    assert "Requires-Python: >=3.11" in text


def test_bare_install_has_only_what_the_wheel_declares(env: Path) -> None:
    names = installed(env)
    assert "relaxgraph" in names and "numpy" in names
    assert not names & NOT_DECLARED, names & NOT_DECLARED
    check = subprocess.run(
        [str(env / "bin" / "python"), "-m", "pip", "check"],
        env=clean_env(env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_installed_wheel_loads_the_graph_in_a_fresh_venv(env: Path, tmp_path: Path) -> None:
    script = (
        "import relaxgraph, pathlib\n"
        "assert 'site-packages' in relaxgraph.__file__, relaxgraph.__file__\n"
        "g = relaxgraph.load()\n"
        "print(len(g))\n"
        "from relaxgraph.querying.catalogue import get\n"
        "print(len(get('side-effects').run(drug='Lioresal').rows()))\n"
    )
    workdir = tmp_path / "empty"
    workdir.mkdir()
    proc = subprocess.run(
        [str(env / "bin" / "python"), "-c", script],
        cwd=workdir,
        env=clean_env(env),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    triples, side_effects = (int(x) for x in proc.stdout.split())
    assert triples > 5000
    assert side_effects >= 6
    cli = subprocess.run(
        [str(env / "bin" / "relaxgraph"), "query", "statistics-table", "--format", "csv"],
        cwd=workdir,
        env=clean_env(env),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert cli.returncode == 0, cli.stderr
    assert len(cli.stdout.strip().splitlines()) == 10
    assert list(workdir.iterdir()) == []


def main_command() -> str:
    """The README's main command, as written (the line that installs and runs the demo)."""
    lines = [
        line
        for block in readme_blocks("The two commands", "bash")
        for line in block.splitlines()
        if line.startswith("pip install")
    ]
    assert len(lines) == 1, lines
    return lines[0]


def test_readme_main_command_works_in_a_bare_venv(env: Path, tmp_path: Path) -> None:
    command = main_command()
    assert command == "pip install . && relaxgraph demo -d relaxgraph-demo"  # the documented one
    checkout = checkout_copy(tmp_path / "relaxgraph")
    proc = subprocess.run(
        ["bash", "-c", command],
        cwd=checkout,
        env=clean_env(env),
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    assert "Wrote the interactive graph" in proc.stdout
    demo = checkout / "relaxgraph-demo"
    assert sorted(p.name for p in demo.iterdir()) == ["relaxgraph.html", "relaxgraph.nt"]
    # the merged graph: every triple of the bundled graph
    store = ox.Store()
    store.load(path=str(demo / "relaxgraph.nt"), format=ox.RdfFormat.N_TRIPLES)
    from relaxgraph.data.build import build_graph

    assert len(store) == build_graph() > 5000
    # the page: one self-contained file with vis-network and the whole entity network in it
    page = (demo / "relaxgraph.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "@version 9.1.2" in page and "vis.Network" in page
    tags = re.findall(r"<(script|link|img|iframe)\b([^>]*)>", page)
    assert tags and all("src=" not in a and "href=" not in a for _, a in tags)
    data = json.loads(
        re.search(r'<script type="application/json" id="rg-data">(.*?)</script>', page, re.S)[1]  # type: ignore[index]
    )
    from relaxgraph.views.network import to_networkx

    graph = to_networkx()
    assert len(data["nodes"]) == graph.number_of_nodes() > 100
    assert len(data["edges"]) == graph.number_of_edges()
    assert "rg:baclofen" in {d.get("curie") for d in data["nodeDetails"]}


def test_readme_library_example_runs_as_written_in_a_bare_venv(env: Path, tmp_path: Path) -> None:
    (example, doctest_block) = readme_blocks("As a library", "python")
    assert example.startswith("import relaxgraph\n") and doctest_block.startswith(">>> ")
    workdir = tmp_path / "empty"
    workdir.mkdir()
    proc = subprocess.run(
        [str(env / "bin" / "python"), "-c", example],
        cwd=workdir,
        env=clean_env(env),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "baclofen" in proc.stdout and "\u201c" in proc.stdout  # a quote from the guide
    # the >>> example, checked by doctest against the output the README shows
    example_file = workdir.parent / "readme-doctest.txt"
    example_file.write_text(doctest_block, encoding="utf-8")
    proc = subprocess.run(
        [
            str(env / "bin" / "python"),
            "-c",
            "import doctest, sys, relaxgraph\n"
            f"r = doctest.testfile({str(example_file)!r}, module_relative=False,"
            " globs={'relaxgraph': relaxgraph})\n"
            "sys.exit(1 if r.failed or not r.attempted else 0)\n",
        ],
        cwd=workdir,
        env=clean_env(env),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert list(workdir.iterdir()) == []


def find_python310() -> str | None:
    """A Python 3.10 interpreter that runs: ``python3.10`` on PATH, or one of pyenv's."""
    candidates = [shutil.which("python3.10")]
    pyenv = shutil.which("pyenv")
    if pyenv is not None:
        root = subprocess.run([pyenv, "root"], capture_output=True, text=True, timeout=60)
        versions = Path(root.stdout.strip()) / "versions"
        candidates += [str(p) for p in sorted(versions.glob("3.10*/bin/python3.10"))]
    for candidate in filter(None, candidates):
        probe = subprocess.run(
            [candidate, "-c", "import sys; print(sys.version_info[:2] == (3, 10))"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if probe.stdout.strip() == "True":
            return candidate
    return None


def test_python_310_is_refused_as_the_package_says(wheel: Path, tmp_path: Path) -> None:
    """The package claims Python 3.11 or newer (what the tests run); pip on 3.10 refuses it."""
    python310 = find_python310()
    if python310 is None:
        pytest.skip("no Python 3.10 on this machine (on PATH or under pyenv)")
    env310 = tmp_path / "venv310"
    subprocess.run([python310, "-m", "venv", str(env310)], check=True, timeout=300)
    proc = subprocess.run(
        [str(env310 / "bin" / "python"), "-m", "pip", "install", "--no-deps", str(wheel)],
        env=clean_env(env310),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode != 0
    assert "requires a different Python" in proc.stderr + proc.stdout
    assert "3.11" in README.read_text(encoding="utf-8").split("## The two commands", 1)[1][:200]
