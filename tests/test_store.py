"""The embedded store: selection, on-disk stores, bulk loading, crash safety, bad input."""

from __future__ import annotations

import gzip
import itertools
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from relaxgraph.data.layer_registry import union_triples
from relaxgraph.errors import DataFileError, StoreError
from relaxgraph.querying.sparql import run
from relaxgraph.storage.engines import OxigraphEngine, RdflibEngine, connect
from relaxgraph.storage.store import bundled_store, is_store, load_files, open_store, rdf_format

EX = "http://example.org/"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def nt_lines(n: int, prefix: str = "s") -> str:
    return "".join(f'<{EX}{prefix}{i}> <{EX}p> "value {i}" .\n' for i in range(n))


def count(store: ox.Store, graph: ox.NamedNode | None = None) -> int:
    """Triples in ``graph``, or in what queries see: the default graph and the layer graphs."""
    if graph is None:
        return sum(1 for _ in union_triples(store))
    return sum(1 for _ in store.quads_for_pattern(None, None, None, graph))


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
    from relaxgraph.storage.remote import RemoteEngine

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
    script = (
        f"from relaxgraph.storage.store import load_files; load_files([{str(data)!r}], {str(db)!r})"
    )
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
        from relaxgraph.storage.store import load_files
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


# --- writers exclude each other (issue 10, item 6) ---------------------------------------------

_HELD_LOAD = """
import os, sys, time
from pathlib import Path
from relaxgraph.storage.store import load_files
started, go = Path(sys.argv[3]), Path(sys.argv[4])
def progress(done, total):
    if not started.exists():
        started.write_text(str(os.getpid()))
        deadline = time.monotonic() + 60
        while not go.exists() and time.monotonic() < deadline:   # hold the load open
            time.sleep(0.02)
load_files([sys.argv[1]], sys.argv[2], progress=progress)
"""


def _start_held_load(tmp_path: Path, data: Path, db: Path) -> tuple[subprocess.Popen[bytes], Path]:
    """A `load_files` in another process, stopped halfway until the returned file is created."""
    started, go = tmp_path / "started", tmp_path / "go"
    proc = subprocess.Popen(
        [sys.executable, "-c", _HELD_LOAD, str(data), str(db), str(started), str(go)]
    )
    deadline = time.monotonic() + 60
    while not started.exists():
        assert proc.poll() is None, "the load ended before it was held"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return proc, go


def test_an_update_during_a_load_is_refused_not_lost(tmp_path: Path) -> None:
    """`query --allow-update` while `load` builds the new store: before, the update was
    applied to the old store, reported as applied, and dropped by the load's swap."""
    from click.testing import CliRunner

    from relaxgraph.cli import cli

    db = _populated(tmp_path)
    big = tmp_path / "big.nt"
    big.write_text(nt_lines(2000, "big"))
    proc, go = _start_held_load(tmp_path, big, db)
    insert = f'INSERT DATA {{ <{EX}inserted> <{EX}p> "during the load" }}'
    try:
        result = CliRunner().invoke(
            cli, ["query", "--allow-update", "--store", str(db), "-e", insert]
        )
    finally:
        go.write_text("")
        assert proc.wait(timeout=120) == 0
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (
        f"Error: store {db} is being written by another relaxgraph process (pid {proc.pid}); "
        "try again when it ends"
    )
    assert "update applied" not in result.output
    store = open_store(db)
    assert has(store, "big1999") and not has(store, "inserted")
    del store
    # once the load has ended the same update goes through and stays
    result = CliRunner().invoke(cli, ["query", "--allow-update", "--store", str(db), "-e", insert])
    assert result.exit_code == 0, result.output
    assert has(open_store(db), "inserted")


def test_a_load_during_an_update_is_refused(tmp_path: Path) -> None:
    from relaxgraph.storage.store import writable_store

    db = _populated(tmp_path)
    data = tmp_path / "more.nt"
    data.write_text(nt_lines(5, "more"))
    with writable_store(db) as store:
        store.update(f'INSERT DATA {{ <{EX}mine> <{EX}p> "kept" }}')
        proc = subprocess.run(
            [sys.executable, "-m", "relaxgraph", "load", str(data), "--store", str(db)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert proc.returncode == 2
    assert proc.stderr == (
        f"Error: store {db} is being written by another relaxgraph process "
        f"(pid {os.getpid()}); try again when it ends\n"
    )
    store = open_store(db)
    assert has(store, "mine") and not has(store, "more0")
    assert not (tmp_path / ".db.loading").exists()


def test_opening_a_store_for_writing_during_a_load_is_refused(tmp_path: Path) -> None:
    from relaxgraph.errors import StoreBusyError

    db = _populated(tmp_path)
    big = tmp_path / "big.nt"
    big.write_text(nt_lines(2000, "big"))
    proc, go = _start_held_load(tmp_path, big, db)
    try:
        with pytest.raises(StoreBusyError, match=f"pid {proc.pid}") as info:
            open_store(db, read_only=False)
        assert info.value.pid == proc.pid and info.value.exit_code == 2
        assert count(open_store(db)) == 100  # reading is still fine
    finally:
        go.write_text("")
        assert proc.wait(timeout=120) == 0


def test_a_swap_never_drops_a_store_someone_has_open_for_writing(tmp_path: Path) -> None:
    """A writer that bypasses relaxgraph's lock (raw pyoxigraph) still keeps its data."""
    db = _populated(tmp_path)
    data = tmp_path / "more.nt"
    data.write_text(nt_lines(5, "more"))
    raw = ox.Store(str(db))
    raw.update(f'INSERT DATA {{ <{EX}raw> <{EX}p> "kept" }}')
    with pytest.raises(StoreError, match="open for writing by another process"):
        load_files([data], db, replace=True, bundled=False)
    del raw
    store = open_store(db)
    assert has(store, "raw") and count(store) == 101
    assert not (tmp_path / ".db.loading").exists()


# --- hostile data files (issue 10, item 4) -------------------------------------------------------

RDF_XML_HEAD = (
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:ex="http://example.org/">\n'
)


def billion_laughs(depth: int = 9, width: int = 10) -> bytes:
    """An RDF/XML file whose one literal expands to 3 * width ** depth characters."""
    entities = ['<!ENTITY a0 "lol">'] + [
        f'<!ENTITY a{i} "{f"&a{i - 1};" * width}">' for i in range(1, depth + 1)
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n'
        + "\n".join(entities)
        + "\n]>\n"
        + RDF_XML_HEAD
        + f'<rdf:Description rdf:about="{EX}s"><ex:p>&a{depth};</ex:p></rdf:Description>\n'
        + "</rdf:RDF>\n"
    ).encode()


def _run_bounded(
    script: str, *args: str, memory: int = 1 << 30
) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a child limited to ``memory`` bytes of address space and 60 s, so that
    a regression fails the test instead of taking the machine's memory."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit,
    )


def test_billion_laughs_rdf_xml_is_refused_at_once(tmp_path: Path) -> None:
    bomb = tmp_path / "laughs.rdf"
    bomb.write_bytes(billion_laughs())
    assert len(bomb.read_bytes()) < 1000  # expands to a 3 GB literal
    db = _populated(tmp_path)
    script = textwrap.dedent(
        """
        import sys, time
        from relaxgraph.errors import DataFileError
        from relaxgraph.storage.store import load_files
        started = time.perf_counter()
        try:
            load_files([sys.argv[1]], sys.argv[2])
        except DataFileError as exc:
            print(f"refused in {time.perf_counter() - started:.3f} s: {exc}")
        """
    )
    proc = _run_bounded(script, str(bomb), str(db))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("refused in "), proc.stdout
    assert "billion laughs" in proc.stdout and str(bomb) in proc.stdout
    assert float(proc.stdout.split()[2]) < 2.0
    assert count(open_store(db)) == 100
    assert not (tmp_path / ".db.loading").exists()


@pytest.mark.parametrize(
    ("dtd", "reason"),
    [
        ('<!ENTITY x SYSTEM "file:///etc/hostname">', "external entity &x;"),
        ('<!ENTITY % p "x">', "parameter entity %p;"),
        ('<!ENTITY big "' + "y" * 5000 + '">', "value of 5,000 characters"),
        ('<!ENTITY a "ha"> <!ENTITY b "&a;&a;">', "in terms of other entities"),
    ],
)
def test_unsafe_xml_entities_are_refused(tmp_path: Path, dtd: str, reason: str) -> None:
    f = tmp_path / "x.owl"
    f.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ {dtd} ]>\n{RDF_XML_HEAD}</rdf:RDF>\n')
    with pytest.raises(DataFileError, match="refused: the file declares") as info:
        load_files([f])
    assert reason in str(info.value)


def test_plain_xml_entities_of_owl_files_still_load(tmp_path: Path) -> None:
    """Protégé writes namespaces as entities; those expand once, to short IRIs: accepted."""
    f = tmp_path / "onto.owl.gz"
    with gzip.open(f, "wt") as out:
        out.write(
            '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n'
            '  <!ENTITY ex "http://example.org/" >\n'
            '  <!ENTITY owl "http://www.w3.org/2002/07/owl#" >\n]>\n'
            + RDF_XML_HEAD
            + '<rdf:Description rdf:about="&ex;cls"><rdf:type rdf:resource="&owl;Class"/>'
            "</rdf:Description>\n</rdf:RDF>\n"
        )
    report = load_files([f], bundled=False)
    assert [str(q.object) for q in report.store] == ["<http://www.w3.org/2002/07/owl#Class>"]


def test_many_references_to_one_entity_count_against_the_size_limit(tmp_path: Path) -> None:
    """The quadratic variant: one 1,000-character entity referenced 20,000 times (60 KB of
    file, 20 MB of literal)."""
    from relaxgraph.errors import InputTooLargeError

    f = tmp_path / "quadratic.rdf"
    f.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY k "'
        + "k" * 1000
        + '"> ]>\n'
        + RDF_XML_HEAD
        + f'<rdf:Description rdf:about="{EX}s"><ex:p>'
        + "&k;" * 20_000
        + "</ex:p></rdf:Description>\n</rdf:RDF>\n"
    )
    assert f.stat().st_size < 100_000
    with pytest.raises(InputTooLargeError, match="size limit of 10 MiB"):
        load_files([f], max_size=10 << 20)
    try:  # without a limit, expat's own amplification guard (2.4+) may still refuse it
        assert len(load_files([f], max_size=None, bundled=False)) == 1
    except DataFileError as exc:
        assert "amplification" in str(exc)


def test_a_file_over_the_size_limit_is_refused_before_any_work(tmp_path: Path) -> None:
    from relaxgraph.errors import InputTooLargeError

    db = _populated(tmp_path)
    data = tmp_path / "big.nt"
    data.write_text(nt_lines(2000))
    with pytest.raises(InputTooLargeError, match=r"big\.nt: .*size limit of 50 KiB") as info:
        load_files([data], db, max_size=50 << 10)
    assert info.value.exit_code == 2
    assert count(open_store(db)) == 100
    assert not (tmp_path / ".db.loading").exists()


def test_a_gzip_bomb_stops_at_the_size_limit_and_leaves_the_store(tmp_path: Path) -> None:
    from relaxgraph.errors import InputTooLargeError

    db = _populated(tmp_path)
    bomb = tmp_path / "bomb.nt.gz"
    line = f'<{EX}s> <{EX}p> "{"z" * 1000}" .\n'.encode()
    with gzip.open(bomb, "wb", compresslevel=9) as out:
        for _ in range(20):
            out.write(line * 1000)  # 20 MB of N-Triples in about 60 KB
    assert bomb.stat().st_size < 200_000
    with pytest.raises(InputTooLargeError, match="size limit of 5 MiB"):
        load_files([bomb], db, max_size=5 << 20)
    assert count(open_store(db)) == 100
    assert not (tmp_path / ".db.loading").exists()


def test_cli_load_max_size_and_graph_errors(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from relaxgraph.cli import cli

    data = tmp_path / "a.nt"
    data.write_text(nt_lines(100))
    runner = CliRunner()
    for args, message in [
        (["--max-size", "1K"], "exceeds the size limit of 1 KiB"),
        (["--max-size", "lots"], "--max-size 'lots' is not a size"),
        (["--graph", "not an iri"], "--graph 'not an iri' is not an absolute IRI"),
        (["--graph", "http://example.org/a b"], "is not a valid IRI"),
    ]:
        result = runner.invoke(cli, ["load", str(data), "--store", str(tmp_path / "db"), *args])
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
        assert not (tmp_path / "db").exists() and not (tmp_path / ".db.loading").exists()
    result = runner.invoke(
        cli, ["load", str(data), "--store", str(tmp_path / "db"), "--max-size", "0"]
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "cut.rdf",
            RDF_XML_HEAD + f'<rdf:Description rdf:about="{EX}s">\n',
            "ends too early: is it complete?",
        ),
        (
            "deep.rdf",
            RDF_XML_HEAD + "<rdf:Description>" * 1500 + "</rdf:Description>" * 1500 + "</rdf:RDF>",
            "elements nest more than 1,000 levels deep",
        ),
        (
            "deep.jsonld",
            '{"@id": "http://example.org/s", "http://example.org/p": '
            + '{"http://example.org/p": ' * 5000
            + '"x"'
            + "}" * 5001,
            "arrays and objects nest more than 1,000 levels deep",
        ),
    ],
)
def test_truncated_and_deeply_nested_files_are_refused(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    """Oxigraph loads an RDF/XML file cut short as if whole, and its RDF/XML and JSON-LD
    parsers overflow the stack (the process dies) on deep enough nesting. Run in a child
    so that a regression fails the test instead of killing the test run."""
    f = tmp_path / name
    f.write_text(text)
    script = textwrap.dedent(
        """
        import sys
        from relaxgraph.errors import DataFileError
        from relaxgraph.storage.store import load_files
        try:
            load_files([sys.argv[1]], bundled=False)
            print("loaded")
        except DataFileError as exc:
            print(exc)
        """
    )
    proc = _run_bounded(script, str(f))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith(f"{f}:") and message in proc.stdout, proc.stdout


def test_a_json_ld_string_full_of_brackets_is_not_nesting(tmp_path: Path) -> None:
    f = tmp_path / "brackets.jsonld"
    value = "[{" * 3000 + '" \\ ]}'
    f.write_text(json.dumps({"@id": EX + "s", EX + "p": value}))
    report = load_files([f], bundled=False)
    assert [q.object.value for q in report.store] == [value]


# --- one bulk load for the bundled graph and the data (issue 9, item 21) -----------------------


def test_a_fresh_load_writes_the_bundled_graph_and_the_file_in_one_pass(tmp_path: Path) -> None:
    """N-Triples and N-Quads files follow the bundled graph's lines in one bulk load; its blank
    nodes keep to themselves even when the file uses the same labels."""
    bundled = bundled_store()
    labels = sorted({q.subject.value for q in bundled if isinstance(q.subject, ox.BlankNode)})
    assert labels, "the bundled graph has blank nodes"
    data = tmp_path / "same-labels.nt"
    data.write_text("".join(f'_:{label} <{EX}mine> "{i}" .\n' for i, label in enumerate(labels)))
    report = load_files([data], tmp_path / "db")
    store = report.store
    assert len(store) == BUNDLED + len(labels)
    mine = list(store.quads_for_pattern(None, ox.NamedNode(EX + "mine"), None))
    assert len({q.subject for q in mine}) == len(labels)
    for q in mine:  # no blank node of the file gained the bundled graph's triples
        assert len(list(store.quads_for_pattern(q.subject, None, None))) == 1
    bad = tmp_path / "bad.nq"
    bad.write_text(nt_lines(3) + f"<{EX}s> <{EX}p> .\n")
    with pytest.raises(DataFileError) as info:
        load_files([bad], tmp_path / "db2")
    assert info.value.line == 4  # the file's line, not the line in the combined stream
    assert not (tmp_path / "db2").exists()


@pytest.mark.parametrize("gz", [False, True])
def test_an_ntriples_file_with_quads_cannot_write_into_a_layer(tmp_path: Path, gz: bool) -> None:
    """A new store reads an .nt file behind the layers' N-Quads lines: a four-term line must
    still be refused, not land in a named graph (here: the guide's layer)."""
    text = (
        b'<http://e/s> <http://e/p> "x" .\n'
        b'<http://e/s> <http://e/p> "y" <https://w3id.org/relaxgraph/graph/guide> .\n'
    )
    path = tmp_path / ("q.nt.gz" if gz else "q.nt")
    path.write_bytes(gzip.compress(text) if gz else text)
    target = tmp_path / "store"
    with pytest.raises(DataFileError) as caught:
        load_files([path], target)
    assert caught.value.line == 2
    assert not target.exists() and list(tmp_path.iterdir()) == [path]
