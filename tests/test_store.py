"""The embedded store: selection, on-disk stores, bulk loading, crash safety, bad input."""

from __future__ import annotations

import gzip
import itertools
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph as ox
import pytest

from relaxgraph.engines import connect
from relaxgraph.errors import DataFileError, StoreError
from relaxgraph.sparql import OxigraphEngine, RdflibEngine, run
from relaxgraph.store import bundled_store, is_store, load_files, open_store, rdf_format

EX = "http://example.org/"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def nt_lines(n: int, prefix: str = "s") -> str:
    return "".join(f'<{EX}{prefix}{i}> <{EX}p> "value {i}" .\n' for i in range(n))


def count(store: ox.Store, graph: ox.NamedNode | None = None) -> int:
    g = graph if graph is not None else ox.DefaultGraph()
    return sum(1 for _ in store.quads_for_pattern(None, None, None, g))


def has(store: ox.Store, subject: str) -> bool:
    return any(True for _ in store.quads_for_pattern(ox.NamedNode(EX + subject), None, None))


BUNDLED = len(bundled_store())


# --- formats -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt", "gz"),
    [
        ("a.nt", ox.RdfFormat.N_TRIPLES, False),
        ("a.NT.GZ", ox.RdfFormat.N_TRIPLES, True),
        ("chebi.owl.gz", ox.RdfFormat.RDF_XML, True),
        ("a.ttl", ox.RdfFormat.TURTLE, False),
        ("a.nq.gz", ox.RdfFormat.N_QUADS, True),
        ("a.trig", ox.RdfFormat.TRIG, False),
        ("a.rdf", ox.RdfFormat.RDF_XML, False),
        ("a.xml", ox.RdfFormat.RDF_XML, False),
    ],
)
def test_format_from_extension(name: str, fmt: ox.RdfFormat, gz: bool) -> None:
    assert rdf_format(name) == (fmt, gz)


@pytest.mark.parametrize("name", ["data.csv", "data.gz", "data"])
def test_unknown_format_is_a_clear_error(name: str) -> None:
    with pytest.raises(DataFileError, match=r"unknown RDF format.*\.nt"):
        rdf_format(name)


# --- store selection -----------------------------------------------------------------------


def test_default_engine_is_oxigraph_over_the_bundled_graph() -> None:
    engine = connect()
    assert isinstance(engine, OxigraphEngine)
    assert run(engine, COUNT).rows()[0].n == BUNDLED > 0


def test_rdflib_backend_answers_the_same() -> None:
    engine = connect(backend="rdflib")
    assert isinstance(engine, RdflibEngine)
    assert run(engine, COUNT).rows()[0].n == BUNDLED


def test_store_path_selects_the_disk_store(tmp_path: Path) -> None:
    data = tmp_path / "extra.nt"
    data.write_text(nt_lines(10))
    load_files([data], tmp_path / "db", bundled=False)
    engine = connect(store=str(tmp_path / "db"))
    assert isinstance(engine, OxigraphEngine)
    assert run(engine, COUNT).rows()[0].n == 10


def test_endpoint_selects_the_remote_engine() -> None:
    from relaxgraph.remote import RemoteEngine

    assert isinstance(connect(endpoint="http://127.0.0.1:9/sparql"), RemoteEngine)
    with pytest.raises(ValueError, match="either"):
        connect(endpoint="http://127.0.0.1:9/sparql", store="x")


# --- loading -------------------------------------------------------------------------------


def test_in_memory_load_adds_files_to_the_bundled_graph(tmp_path: Path) -> None:
    data = tmp_path / "extra.ttl"
    data.write_text(f"@prefix ex: <{EX}> . ex:a ex:p ex:b , ex:c .\n")
    report = load_files([data])
    assert report.path is None
    assert len(report) == BUNDLED + 2
    assert has(report.store, "a")


def test_bulk_load_of_a_gzipped_file(tmp_path: Path) -> None:
    data = tmp_path / "big.nt.gz"
    with gzip.open(data, "wt") as f:
        f.write(nt_lines(5000))
    seen: list[tuple[int, int]] = []
    report = load_files([data], tmp_path / "db", progress=lambda d, t: seen.append((d, t)))
    assert len(report) == BUNDLED + 5000
    assert has(report.store, "s4999")
    # progress counts the compressed bytes and ends at the file size
    assert seen and seen[-1] == (data.stat().st_size, data.stat().st_size)
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(seen))


def test_triples_into_a_named_graph_and_quads_keep_theirs(tmp_path: Path) -> None:
    nt = tmp_path / "a.nt"
    nt.write_text(nt_lines(3))
    nq = tmp_path / "b.nq"
    nq.write_text(f"<{EX}x> <{EX}p> <{EX}y> <{EX}g2> .\n")
    report = load_files([nt, nq], tmp_path / "db", graph=EX + "g1", bundled=False)
    assert count(report.store, ox.NamedNode(EX + "g1")) == 3
    assert count(report.store, ox.NamedNode(EX + "g2")) == 1
    assert count(report.store) == 0


def test_loading_again_adds_to_the_store_and_replace_starts_over(tmp_path: Path) -> None:
    a, b = tmp_path / "a.nt", tmp_path / "b.nt"
    a.write_text(nt_lines(4, "a"))
    b.write_text(nt_lines(6, "b"))
    load_files([a], tmp_path / "db", bundled=False)
    assert len(load_files([b], tmp_path / "db")) == 10
    assert len(load_files([b], tmp_path / "db", replace=True, bundled=False)) == 6


def test_disk_store_survives_the_process(tmp_path: Path) -> None:
    """Load in one process, which exits; read it back in two others: nothing is lost."""
    data = tmp_path / "data.ttl"
    data.write_text(
        f"@prefix ex: <{EX}> .\n" + "".join(f'ex:s{i} ex:p "é {i}"@fr .\n' for i in range(1000))
    )
    db = tmp_path / "db"
    script = f"from relaxgraph.store import load_files; load_files([{str(data)!r}], {str(db)!r})"
    subprocess.run([sys.executable, "-c", script], check=True)
    expected = {(q.subject, q.predicate, q.object) for q in bundled_store()}
    expected |= {(t.subject, t.predicate, t.object) for t in ox.parse(path=str(data))}
    store = open_store(db)
    got = {(q.subject, q.predicate, q.object) for q in store}
    assert len(got) == len(expected)  # blank nodes get new labels on each parse: compare the rest
    assert {t for t in got if not _blank(t)} == {t for t in expected if not _blank(t)}
    del store
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "relaxgraph",
            "query",
            "--store",
            str(db),
            "-e",
            COUNT,
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-1] == str(len(expected))


def _blank(triple: tuple[object, object, object]) -> bool:
    return any(isinstance(term, ox.BlankNode) for term in triple)


def test_two_readers_at_once(tmp_path: Path) -> None:
    data = tmp_path / "a.nt"
    data.write_text(nt_lines(3))
    load_files([data], tmp_path / "db", bundled=False)
    one, two = open_store(tmp_path / "db"), open_store(tmp_path / "db")
    assert len(one) == len(two) == 3


# --- crash safety ----------------------------------------------------------------------------


def _populated(tmp_path: Path) -> Path:
    first = tmp_path / "first.nt"
    first.write_text(nt_lines(100, "old"))
    db = tmp_path / "db"
    load_files([first], db, bundled=False)
    return db


def test_a_load_killed_halfway_leaves_the_previous_store(tmp_path: Path) -> None:
    db = _populated(tmp_path)
    big = tmp_path / "big.nt.gz"
    with gzip.open(big, "wt", compresslevel=1) as f:
        for chunk in range(20):
            f.write(nt_lines(10_000, f"new{chunk}-"))
    script = textwrap.dedent(
        f"""
        import os, signal
        from relaxgraph.store import load_files
        def progress(done, total):
            if done > total // 2:
                os.kill(os.getpid(), signal.SIGKILL)   # a crash, halfway through
        load_files([{str(big)!r}], {str(db)!r}, progress=progress)
        """
    )
    proc = subprocess.run([sys.executable, "-c", script])
    assert proc.returncode == -9
    assert (tmp_path / ".db.loading").exists()  # the half-built store was beside, not in place
    store = open_store(db)
    assert count(store) == 100 and has(store, "old99") and not has(store, "new0-0")
    del store
    # the next load cleans up and completes
    small = tmp_path / "small.nt"
    small.write_text(nt_lines(5, "next"))
    assert len(load_files([small], db)) == 105
    assert not (tmp_path / ".db.loading").exists()


def test_a_malformed_file_names_the_line_and_keeps_the_store(tmp_path: Path) -> None:
    db = _populated(tmp_path)
    bad = tmp_path / "bad.nt"
    bad.write_text(nt_lines(3, "x") + f"<{EX}s> <{EX}p> oops .\n")
    with pytest.raises(DataFileError) as info:
        load_files([bad], db)
    assert info.value.path == str(bad) and info.value.line == 4
    assert str(info.value).startswith(f"{bad}:4:")
    store = open_store(db)
    assert count(store) == 100 and not has(store, "x0")
    assert not (tmp_path / ".db.loading").exists()


def test_a_crash_between_the_two_renames_is_recovered(tmp_path: Path) -> None:
    db = _populated(tmp_path)
    os.rename(db, tmp_path / ".db.previous")  # as if the process died right after the first rename
    assert count(open_store(db)) == 100
    assert is_store(db)


def test_a_missing_file_fails_before_touching_the_store(tmp_path: Path) -> None:
    db = _populated(tmp_path)
    with pytest.raises(DataFileError, match="no such file"):
        load_files([tmp_path / "nope.nt"], db)
    assert count(open_store(db)) == 100


# --- paths that are not stores ---------------------------------------------------------------


def test_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"no store at .*relaxgraph load"):
        open_store(tmp_path / "nothing")


def test_a_file_is_not_a_store(tmp_path: Path) -> None:
    f = tmp_path / "graph.ttl"
    f.write_text("")
    with pytest.raises(
        StoreError, match=r"is a file, not a store.*relaxgraph load .*graph.ttl --store"
    ):
        open_store(f)


def test_a_folder_that_is_not_a_store(tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "cat.jpg").write_bytes(b"\xff")
    with pytest.raises(StoreError, match="not an Oxigraph store"):
        open_store(tmp_path / "photos")
    data = tmp_path / "a.nt"
    data.write_text(nt_lines(1))
    with pytest.raises(StoreError, match="not an Oxigraph store"):  # never overwritten by a load
        load_files([data], tmp_path / "photos", replace=True)
    assert (tmp_path / "photos" / "cat.jpg").exists()


def test_a_store_being_written_is_reported(tmp_path: Path) -> None:
    db = _populated(tmp_path)
    writer = open_store(db, read_only=False)
    with pytest.raises(StoreError, match="another process"):
        open_store(db, read_only=False)
    del writer


def test_cli_reports_a_path_that_is_not_a_store(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from relaxgraph.cli import cli

    f = tmp_path / "x.txt"
    f.write_text("hello")
    result = CliRunner().invoke(cli, ["serve", "--store", str(f), "--port", "0"])
    assert result.exit_code == 2
    assert "is a file, not a store" in result.output
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "notes.txt").write_text("mine")
    result = CliRunner().invoke(
        cli, ["load", str(f.with_suffix(".nt")), "--store", str(tmp_path / "folder")]
    )
    assert result.exit_code == 2
    assert "no such file" in result.output
    data = tmp_path / "a.nt"
    data.write_text(nt_lines(1))
    result = CliRunner().invoke(cli, ["load", str(data), "--store", str(tmp_path / "folder")])
    assert result.exit_code == 2
    assert "not an Oxigraph store" in result.output


def test_cli_load_summary_and_malformed_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from relaxgraph.cli import cli

    good = tmp_path / "good.nt.gz"
    with gzip.open(good, "wt") as f:
        f.write(nt_lines(20))
    db = tmp_path / "db"
    result = CliRunner().invoke(cli, ["load", str(good), "--store", str(db)])
    assert result.exit_code == 0, result.output
    assert "Loaded 1 file" in result.output and f"{BUNDLED + 20:,} quads" in result.output
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b .\n")
    result = CliRunner().invoke(cli, ["load", str(bad), "--store", str(db)])
    assert result.exit_code == 2
    assert f"{bad}:3:" in result.output
    assert count(open_store(db)) == BUNDLED + 20  # the store is as it was


def test_cli_query_on_a_path_that_is_not_a_store(tmp_path: Path) -> None:
    f = tmp_path / "notes.txt"
    f.write_text("hello")
    out = subprocess.run(
        [sys.executable, "-m", "relaxgraph", "query", "--store", str(f), "-e", COUNT],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert "is a file, not a store" in out.stderr
