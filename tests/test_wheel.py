"""The data ships inside the wheel: build it, install it in a fresh virtual environment, load the graph.

The fresh environment has no access to this checkout: it is created without system site
packages, the wheel's dependencies come from the package index, and the check runs from
an empty folder, so only what the wheel carries can be found.
"""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("relaxgraph-*.whl")
    return built


def test_wheel_carries_ontology_knowledge_base_shapes_and_queries(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "relaxgraph/ontology/relaxgraph.ttl",
        "relaxgraph/ontology/shapes.ttl",
        "relaxgraph/ontology/kb/guide.ttl",
        "relaxgraph/ontology/kb/curation.ttl",
        "relaxgraph/ontology/kb/identifiers.ttl",
        "relaxgraph/queries/side-effects.rq",
        "relaxgraph/py.typed",
    ):
        assert required in names, required
    assert any(n.startswith("relaxgraph/ontology/checks/") for n in names)
    assert not any("/tests/" in n or n.startswith("tools/") for n in names)


def test_installed_wheel_loads_the_graph_in_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        check=True,
        capture_output=True,
        timeout=900,
    )
    script = (
        "import relaxgraph, pathlib\n"
        "assert 'site-packages' in relaxgraph.__file__, relaxgraph.__file__\n"
        "g = relaxgraph.load()\n"
        "print(len(g))\n"
        "from relaxgraph.catalogue import get\n"
        "print(len(get('side-effects').run(drug='Lioresal').rows()))\n"
    )
    workdir = tmp_path / "empty"
    workdir.mkdir()
    proc = subprocess.run(
        [str(python), "-c", script], cwd=workdir, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    triples, side_effects = (int(x) for x in proc.stdout.split())
    assert triples > 5000
    assert side_effects >= 6
    cli = subprocess.run(
        [str(env_dir / "bin" / "relaxgraph"), "query", "statistics-table", "--format", "csv"],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert cli.returncode == 0, cli.stderr
    assert len(cli.stdout.strip().splitlines()) == 10
    assert list(workdir.iterdir()) == []
