"""Helpers for the tests that install relaxgraph as a new user would: a built wheel, a bare venv.

A bare environment is created without system site packages and with nothing but pip; what it
installs comes from the package index (through pip's usual configuration), so only what the
wheel declares can be found. Commands run with that environment first on ``PATH`` and none of
this checkout's Python settings (``PYTHONPATH``, a venv) in the environment.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

_BUILT: dict[str, Path] = {}


def built_wheel(out: Path) -> Path:
    """The project's wheel, built once per test session (without build isolation)."""
    if "wheel" not in _BUILT or not _BUILT["wheel"].is_file():
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
        (_BUILT["wheel"],) = out.glob("relaxgraph-*.whl")
    return _BUILT["wheel"]


def bare_venv(path: Path) -> Path:
    """A new virtual environment at ``path``: no system site packages, only pip."""
    venv.EnvBuilder(with_pip=True, system_site_packages=False, clear=True).create(path)
    return path


def clean_env(env_dir: Path, home: Path | None = None) -> dict[str, str]:
    """The process environment for commands run as a user of ``env_dir`` would run them."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("PYTHON", "VIRTUAL_ENV", "JUPYTER", "IPYTHON", "CONDA", "PYENV_VERSION")
        )
    }
    env["PATH"] = str(env_dir / "bin") + os.pathsep + env.get("PATH", "")
    env["VIRTUAL_ENV"] = str(env_dir)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    if home is not None:  # Jupyter's and IPython's per-user folders, empty and private
        for name in ("JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
            folder = home / name.lower()
            folder.mkdir(parents=True, exist_ok=True)
            env[name] = str(folder)
    return env


def pip_install(env_dir: Path, requirement: str, timeout: float = 1200) -> None:
    proc = subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", requirement],
        env=clean_env(env_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]


def installed(env_dir: Path) -> set[str]:
    """The distribution names installed in ``env_dir``, normalised (lower case, ``-``)."""
    out = subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "pip", "list", "--format=freeze"],
        env=clean_env(env_dir),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return {
        re.sub(r"[-_.]+", "-", line.split("==")[0]).lower() for line in out.split() if "==" in line
    }


def checkout_copy(dest: Path) -> Path:
    """A copy of this checkout as a new user's clone has it (no venv, caches or build output)."""
    ignore = shutil.ignore_patterns(
        ".venv", ".git", "__pycache__", "*.egg-info", "dist", "build", ".mypy_cache",
        ".ruff_cache", ".pytest_cache", "relaxgraph-demo",
    )  # fmt: skip
    shutil.copytree(ROOT, dest, symlinks=True, ignore=ignore)
    return dest


def readme_section(heading: str) -> str:
    """The text of the README section under ``## heading``."""
    text = README.read_text(encoding="utf-8")
    _, found, rest = text.partition(f"\n## {heading}\n")
    assert found, f"README has no section {heading!r}"
    return rest.split("\n## ", 1)[0]


def readme_blocks(heading: str, language: str) -> list[str]:
    """The fenced code blocks in ``language`` of a README section, as written."""
    return re.findall(rf"^```{language}\n(.*?)^```", readme_section(heading), re.S | re.M)
