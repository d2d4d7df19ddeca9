"""The notebooks in ``notebooks/`` run top to bottom in a real Jupyter kernel, offline.

Each is executed with nbclient in the ``python3`` kernel, with a temporary folder as its
working directory (so nothing lands in the repository), and must finish without an error;
a few outputs are checked for the answers they should show. The stored notebooks carry no
outputs and no execution counts.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["01-tour.ipynb", "02-analysis.ipynb", "03-checking-the-guide.ipynb"]


def _text(outputs: list[Any]) -> str:
    """Everything a cell showed as text (streams, plain-text results, HTML)."""
    parts: list[str] = []
    for out in outputs:
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        data = out.get("data", {})
        for mime in ("text/plain", "text/html"):
            if mime in data:
                parts.append(data[mime] if isinstance(data[mime], str) else "".join(data[mime]))
    return "\n".join(parts)


_EXECUTED: dict[str, tuple[Any, float]] = {}


def _execute(name: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, float]:
    if name not in _EXECUTED:
        from nbclient import NotebookClient

        book = nbformat.read(NOTEBOOKS / name, as_version=4)
        workdir = tmp_path_factory.mktemp(name.split(".")[0])
        client = NotebookClient(
            book, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(workdir)}}
        )
        started = time.monotonic()
        client.execute()
        elapsed = time.monotonic() - started
        assert list(workdir.iterdir()) == [], f"{name} wrote files: {list(workdir.iterdir())}"
        _EXECUTED[name] = (book, elapsed)
    return _EXECUTED[name]


def _cell_containing(book: Any, needle: str) -> Any:
    for cell in book.cells:
        if cell.cell_type == "code" and needle in cell.source:
            return cell
    raise AssertionError(f"no code cell contains {needle!r}")


@pytest.mark.parametrize("name", NAMES)
def test_stored_notebook_is_stripped(name: str) -> None:
    book = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(book)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert code, name
    for cell in code:
        assert cell.outputs == [], f"{name}: a cell has stored outputs: {cell.source[:60]!r}"
        assert cell.execution_count is None, f"{name}: a cell has an execution count"
    assert book.metadata["kernelspec"]["name"] == "python3"


def test_every_notebook_is_tested() -> None:
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == NAMES


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_without_errors(name: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    book, elapsed = _execute(name, tmp_path_factory)
    for cell in book.cells:
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.get("output_type") == "error"]
        assert not errors, f"{name}: {cell.source[:60]!r} raised {errors[0].get('ename')}"
        for out in cell.outputs:
            assert "Traceback" not in out.get("text", ""), f"{name}: a traceback was printed"
    print(f"{name}: {elapsed:.1f} s")


@pytest.mark.slow
def test_tour_shows_the_answers(tmp_path_factory: pytest.TempPathFactory) -> None:
    book, _ = _execute("01-tour.ipynb", tmp_path_factory)
    assert "'query'" in _text(_cell_containing(book, "relaxgraph.__all__").outputs)
    side = _text(_cell_containing(book, 'drug="Lioresal"').outputs)
    for effect in ("drowsiness", "dizziness", "headache", "muscle weakness"):
        assert effect in side
    stats = _text(_cell_containing(book, "max(stats").outputs)
    assert "the largest is 95%" in stats
    classes = _text(_cell_containing(book, 'drug=relaxgraph.lookup("vecuronium")').outputs)
    assert "neuromuscular blocking agents" in classes
    syntax = _text(_cell_containing(book, "except relaxgraph.QuerySyntaxError").outputs)
    assert syntax.startswith("line 1, column")
    looked = _text(_cell_containing(book, '"CHEBI:2972"').outputs)
    assert "CHEBI:2972 -> rg:baclofen (Drug)" in looked
    assert "did you mean: ['baclofen', 'metaxalone', 'clonazepam']" in looked  # closest first
    assert "conforms: True" in _text(_cell_containing(book, "relaxgraph.validate()").outputs)
    view = _cell_containing(book, "relaxgraph.visualize(").outputs
    html = "".join(o["data"]["text/html"] for o in view if "text/html" in o.get("data", {}))
    assert "<iframe srcdoc=" in html and "vecuronium" in html


@pytest.mark.slow
def test_analysis_shows_the_answers(tmp_path_factory: pytest.TempPathFactory) -> None:
    book, _ = _execute("02-analysis.ipynb", tmp_path_factory)
    top = _text(_cell_containing(book, "most_connected(10").outputs)
    assert "baclofen" in top
    similar = _text(_cell_containing(book, 'similar_drugs("baclofen"').outputs)
    assert "diazepam" in similar and "dantrolene sodium" in similar and "methocarbamol" in similar
    sharing = _text(_cell_containing(book, 'drugs_sharing_class("vecuronium"').outputs)
    assert "succinylcholine" in sharing and "neuromuscular blocking agents" in sharing
    path = _text(_cell_containing(book, 'explain_path("diazepam", "baclofen"').outputs)
    assert path.startswith(
        "diazepam -[has therapeutic effect]-> muscle relaxation <-[has therapeutic effect]- baclofen"
    )
    assert "muscle spasticity" in path
    plot = _cell_containing(book, "plt.subplots").outputs
    assert any("image/png" in o.get("data", {}) for o in plot), "the plot did not render"
    graphml = _text(_cell_containing(book, 'export("graphml"').outputs)
    assert "bytes of GraphML" in graphml


@pytest.mark.slow
def test_checking_notebook_shows_the_answers(tmp_path_factory: pytest.TempPathFactory) -> None:
    book, _ = _execute("03-checking-the-guide.ipynb", tmp_path_factory)
    layers = _text(_cell_containing(book, "relaxgraph.layers()").outputs)
    assert "reference" in layers and "CC-BY-4.0" in layers and "assessments" in layers
    wrong = _text(_cell_containing(book, '"claims-by-verdict"').outputs)
    assert "contradicted claims" in wrong and "enhancement of the activity of GABA" in wrong
    diazepam = _text(_cell_containing(book, '"guide-vs-reference"').outputs)
    assert "The diazepam label lists 'spasticity' among its indications." in diazepam
    uses = _text(_cell_containing(book, '"labelled-uses"').outputs)
    assert "acute, painful musculoskeletal conditions" in uses and "dailymed" in uses
    unknown = _text(_cell_containing(book, "rgo:mechanismUnknown").outputs)
    assert "metaxalone" in unknown and "has not been clearly identified" in unknown
    conflicts = _text(_cell_containing(book, '"source-conflicts"').outputs)
    assert "GABA A Agonists" in conflicts
    per_source = _text(
        _cell_containing(book, "GRAPH <https://w3id.org/relaxgraph/graph/reference>").outputs
    )
    assert "LabeledIn" in per_source and "DrugCentral" in per_source
    assert "DrugCentral" in _text(_cell_containing(book, "s.layer.attribution").outputs)


# --- the documented extra, alone, in a fresh environment ---------------------------------

_RUN_IN_ENV = r"""
import json, sys
import nbformat
from nbclient import NotebookClient

report = {}
for path in sys.argv[2:]:
    book = nbformat.read(path, as_version=4)
    book.cells.append(nbformat.v4.new_code_cell("import sys; print('PREFIX=' + sys.prefix)"))
    NotebookClient(book, kernel_name="python3", timeout=600,
                   resources={"metadata": {"path": sys.argv[1]}}).execute()
    errors, texts, images = [], [], 0
    for cell in book.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                errors.append(out.get("ename"))
            texts.append(out.get("text", "") + str(out.get("data", {}).get("text/plain", "")))
            images += "image/png" in out.get("data", {})
    report[path] = {"errors": errors, "text": "\n".join(texts), "images": images}
print(json.dumps(report))
"""


@pytest.mark.slow
def test_notebooks_run_with_only_the_notebooks_extra_installed(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    import json
    import subprocess

    from fresh_env import bare_venv, built_wheel, clean_env, installed, pip_install

    wheel = built_wheel(tmp_path_factory.mktemp("dist"))
    home = tmp_path_factory.mktemp("home")
    env = bare_venv(home / "venv")
    pip_install(env, f"{wheel}[notebooks]")
    names = installed(env)
    assert {"pandas", "matplotlib", "jupyterlab", "ipykernel", "nbclient"} <= names
    assert not names & {"pytest", "pyvis", "playwright", "mypy"}  # nothing from the test extra
    workdir = home / "work"
    workdir.mkdir()
    proc = subprocess.run(
        [str(env / "bin" / "python"), "-c", _RUN_IN_ENV, str(workdir)]
        + [str(NOTEBOOKS / name) for name in NAMES],
        cwd=workdir,
        env=clean_env(env, home=home),
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    for name in NAMES:
        result = report[str(NOTEBOOKS / name)]
        assert result["errors"] == [], f"{name}: {result['errors']}"
        assert f"PREFIX={env}" in result["text"], "the kernel was not the environment's Python"
    tour = report[str(NOTEBOOKS / "01-tour.ipynb")]["text"]
    assert "the largest is 95%" in tour and "conforms: True" in tour
    analysis = report[str(NOTEBOOKS / "02-analysis.ipynb")]
    assert analysis["images"] >= 1  # matplotlib drew the plot
    assert "diazepam -[has therapeutic effect]-> muscle relaxation" in analysis["text"]
    assert list(workdir.iterdir()) == []
