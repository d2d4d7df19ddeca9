"""The fuzz corpus: bad input to the command line never gives a traceback.

Each case in ``tests/fuzz/cases.tsv`` (SPARQL text, ``--param`` values, paths, data files in
``tests/fuzz/data/`` and command-line arguments) runs through the CLI: in-process through
click's runner (fast), or in a real process (``sub``) where a crash would take the test run
with it. For every case:

- the documented exit code (2 bad input, 4 unknown entity, 5 endpoint unreachable);
- exactly one error line on stderr, ``Error: ...``, naming what was wrong (click's usage
  header and the quoted line of a SPARQL syntax error aside), short even for huge input, with
  no control character from the input;
- no traceback;
- nothing half-written: the case's folder, the store it names and the new store it would
  have created are exactly as before.

Cases another item of issue 10 fixes carry that owner and run as strict xfails, so that they
show up (as XPASS, failing) once fixed, and the mark can go.
"""

from __future__ import annotations

import gzip
import json
import os
import resource
import signal
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from relaxgraph.cli import cli
from relaxgraph.views._terminal import printable

HERE = Path(__file__).parent / "fuzz"
DATA = HERE / "data"
CASES = HERE / "cases.tsv"
EX = "http://example.org/"


@dataclass(frozen=True)
class Case:
    id: str
    mode: str
    exit: int
    expect: str
    owner: str
    args: tuple[str, ...]


def read_cases(path: Path = CASES) -> list[Case]:
    cases = []
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    header, *rows = lines
    assert header.split("\t") == ["id", "mode", "exit", "expect", "owner", "args"]
    for row in rows:
        id_, mode, code, expect, owner, args = row.split("\t")
        assert mode in ("in", "sub"), id_
        cases.append(Case(id_, mode, int(code), expect, owner, tuple(json.loads(args))))
    return cases


def _own_char_device(tmp: Path, name: str, minor: int) -> str:
    """A character device: our own node when root (so that no regression can replace the
    machine's /dev entries), else the system's (which a normal user cannot replace)."""
    if os.geteuid() != 0:
        return f"/dev/{name}"
    node = tmp / name
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    return str(node)


def _gzip_bomb(tmp: Path) -> str:
    path = tmp / "bomb.nt.gz"
    line = f'<{EX}s> <{EX}p> "{"z" * 1000}" .\n'.encode()
    with gzip.open(path, "wb", compresslevel=9) as out:
        for _ in range(3):
            out.write(line * 1000)  # 3 MB of N-Triples in a few KB
    return str(path)


def _file(tmp: Path, name: str, text: str) -> str:
    (tmp / name).write_text(text)
    return str(tmp / name)


def _folder_with_a_file(tmp: Path) -> str:
    (tmp / "photos").mkdir()
    (tmp / "photos" / "cat.jpg").write_bytes(b"\xff\xd8")
    return str(tmp / "photos")


def _loop(tmp: Path) -> str:
    (tmp / "loop").symlink_to(tmp / "loop")
    return str(tmp / "loop")


#: ``{gen:NAME}`` in a case's arguments: the value (files go in the case's folder).
GENERATORS: dict[str, Callable[[Path], str]] = {
    "nest3000": lambda _: "SELECT * WHERE " + "{" * 3000 + "}" * 3000,
    "paren5000": lambda _: "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
    "unionfile": lambda tmp: _file(
        tmp, "unions.rq", "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 10_000) + " }"
    ),
    "query2mb": lambda _: "SELECT * WHERE { ?s ?p ?o } LIMIT 1 # " + "x" * 2_000_000,
    "longline": lambda _: "SELECT * WHERE { " + "?s ?p ?o . " * 45_000 + "oops",
    "name100k": lambda _: "x" * 100_000,
    "name300": lambda _: "n" * 300,
    "longpath": lambda tmp: str(tmp) + ("/" + "d" * 200) * 30 + "/x",
    "looplink": _loop,
    "devfull": lambda tmp: _own_char_device(tmp, "full", 7),
    "gzbomb": _gzip_bomb,
    "goodnt": lambda tmp: _file(tmp, "good.nt", f"<{EX}s> <{EX}p> <{EX}o> .\n"),
    "photos": _folder_with_a_file,
}


def expand(arg: str, tmp: Path, store: Path) -> str:
    for name, make in GENERATORS.items():
        token = "{gen:" + name + "}"
        if token in arg:
            arg = arg.replace(token, make(tmp))
    return (
        arg.replace("{data}", str(DATA))
        .replace("{tmp}", str(tmp))
        .replace("{store}", str(store))
        .replace("{new}", str(tmp / "new-store"))
    )


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every path under ``folder`` with its type, size and modification time."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            p = Path(root) / name
            st = p.lstat()
            found[str(p.relative_to(folder))] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return found


def error_lines(stderr: str) -> list[str]:
    """stderr without click's usage header and a syntax error's quoted line and caret."""
    return [
        line
        for line in stderr.splitlines()
        if line.strip() and not line.startswith(("Usage: ", "Try '", "  "))
    ]


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def run_case(mode: str, args: list[str]) -> tuple[int, str, str]:
    """Run ``relaxgraph ARGS`` in-process (``in``) or in a real process (``sub``)."""
    if mode == "sub":
        proc = subprocess.Popen(
            [sys.executable, "-m", "relaxgraph", *(os.fsencode(a) for a in args)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=_limit_memory,
            start_new_session=True,  # so that a timeout can stop its children too
        )
        try:
            out, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            err += b"\n(the case ran longer than 60 s and was stopped)"
        return (
            proc.returncode,
            out.decode("utf-8", "replace"),
            err.decode("utf-8", "replace"),
        )
    result = CliRunner().invoke(cli, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        trace = "".join(traceback.format_exception(*result.exc_info))  # type: ignore[misc]
        return 1, result.stdout, result.stderr + trace
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from relaxgraph.storage.store import load_files

    folder = tmp_path_factory.mktemp("fuzz-store")
    data = folder / "data.nt"
    data.write_text("".join(f'<{EX}s{i}> <{EX}p> "v{i}" .\n' for i in range(20)))
    load_files([data], folder / "db", bundled=False)
    return folder / "db"


def _store_state(store: Path) -> int:
    from relaxgraph.storage.store import open_store

    return len(open_store(store))


def _params() -> list[object]:
    params: list[object] = []
    for case in read_cases():
        marks = [pytest.mark.xfail(strict=True, reason=case.owner)] if case.owner else []
        params.append(pytest.param(case, id=case.id, marks=marks))
    return params


def test_the_corpus_is_large_and_well_formed() -> None:
    cases = read_cases()
    assert len(cases) >= 150
    assert len({c.id for c in cases}) == len(cases)
    assert sum(c.mode == "sub" for c in cases) >= 3
    used = {a for c in cases for a in c.args}
    for name in GENERATORS:
        assert any("{gen:" + name + "}" in a for a in used), f"unused generator {name}"
    for c in cases:
        for a in c.args:
            if a.startswith("{data}/"):
                assert (DATA / a.removeprefix("{data}/").split("/")[0]).exists(), (c.id, a)


@pytest.mark.parametrize("case", _params())
def test_bad_input_gets_one_line_and_the_documented_exit_code(
    case: Case, tmp_path: Path, store: Path
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    args = [expand(a, work, store) for a in case.args]  # generated files are made here
    before, quads = snapshot(work), _store_state(store)
    code, stdout, stderr = run_case(case.mode, args)
    assert "Traceback" not in stderr and "Traceback" not in stdout, stderr[-3000:]
    lines = error_lines(stderr)
    assert len(lines) == 1 and lines[0].startswith("Error: "), stderr[-3000:]
    assert case.expect in lines[0], lines[0]
    assert code == case.exit, stderr
    assert len(stderr) < 2_000, f"{len(stderr)} characters on stderr"
    assert printable(stderr, keep_newlines=True) == stderr, "a control character reached stderr"
    assert snapshot(work) == before, "the case wrote or left files"
    assert _store_state(store) == quads
    assert not (work / "new-store").exists() and not (work / ".new-store.loading").exists()
