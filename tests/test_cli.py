"""The command line: every command, every output format, and each bad-input case.

Most tests use click's runner (fast, in-process); a few run a real subprocess to check
what a user sees: no traceback, the exit code, and stdout/stderr kept apart.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from relaxgraph.cli import cli

TRAVERSAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def invoke(*args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def run_cli(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "relaxgraph", *args],
        capture_output=True,
        text=True,
        input=input,
        timeout=120,
    )


# --- help, version, completion -------------------------------------------------------


def test_help_lists_every_command_with_exit_codes() -> None:
    code, out, _ = invoke("--help")
    assert code == 0
    for name in (
        "query",
        "queries",
        "describe",
        "stats",
        "validate",
        "export",
        "viz",
        "load",
        "push",
        "serve",
    ):
        assert f"  {name} " in out
    assert "Exit codes" in out


def _all_commands() -> list[str]:
    import click

    from relaxgraph.cli import cli

    return sorted(cli.list_commands(click.Context(cli)))


def test_the_command_list_is_what_the_cli_registers() -> None:
    assert {"check", "layers", "query", "report", "serve", "site", "viz"} <= set(_all_commands())


@pytest.mark.parametrize("command", _all_commands())
def test_every_command_has_help_with_an_example(command: str) -> None:
    code, out, _ = invoke(command, "--help")
    assert code == 0
    assert "Example" in out
    assert "relaxgraph " + command in out


def test_version() -> None:
    code, out, _ = invoke("--version")
    assert code == 0 and "relaxgraph" in out


def test_unknown_command_suggests() -> None:
    code, _, err = invoke("qeury")
    assert code == 2
    assert "Did you mean: query" in err


def test_shell_completion_script() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "from relaxgraph.cli import main; main()"],
        env={"_RELAXGRAPH_COMPLETE": "bash_source", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0
    assert "complete" in proc.stdout and "_RELAXGRAPH_COMPLETE" in proc.stdout


# --- query ----------------------------------------------------------------------------


def test_query_catalogue_by_name_with_param_as_csv() -> None:
    code, out, _ = invoke("query", "side-effects", "--param", "drug=Lioresal", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    labels = {r["sideEffectLabel"].lower() for r in rows}
    assert {"drowsiness", "dizziness", "headache"} <= labels
    assert all(r["drug"].endswith("/baclofen") for r in rows)


@pytest.mark.parametrize(
    "name", ["baclofen", "BACLOFEN", "Lioresal", "rg:baclofen", "DB00181", "M03BX01"]
)
def test_entity_named_by_label_synonym_or_identifier(name: str) -> None:
    code, out, err = invoke("query", "side-effects", "-p", f"drug={name}", "--format", "tsv")
    assert code == 0, err
    assert "<https://w3id.org/relaxgraph/id/baclofen>" in out


def test_query_inline_json_is_w3c_sparql_json() -> None:
    code, out, _ = invoke(
        "query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["head"]["vars"] == ["n"]
    assert int(data["results"]["bindings"][0]["n"]["value"]) > 1000


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "xml"])
def test_select_output_formats(fmt: str) -> None:
    code, out, _ = invoke("query", "statistics-table", "--format", fmt)
    assert code == 0
    if fmt == "table":
        assert "Cerebral Palsy" in out and "(9 rows)" in out
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert len(rows) == 9
    elif fmt == "tsv":
        assert out.splitlines()[0] == "?condition\t?measure\t?percentage"
        assert len(out.strip().splitlines()) == 10
    elif fmt == "json":
        assert len(json.loads(out)["results"]["bindings"]) == 9
    else:
        assert out.startswith("<?xml") and out.count("<result>") == 9


@pytest.mark.parametrize("fmt", ["ttl", "nt"])
def test_construct_output_formats(fmt: str) -> None:
    import rdflib

    code, out, _ = invoke("query", "entity-neighbourhood", "-p", "entity=baclofen", "--format", fmt)
    assert code == 0
    g = rdflib.Graph().parse(data=out, format="turtle" if fmt == "ttl" else "nt")
    assert (rdflib.URIRef("https://w3id.org/relaxgraph/id/baclofen"), None, None) in g


def test_construct_refuses_table_formats() -> None:
    code, _, err = invoke("query", "entity-neighbourhood", "--format", "csv")
    assert code == 2
    assert "ttl or nt" in err


def test_query_file(tmp_path: Path) -> None:
    f = tmp_path / "q.rq"
    f.write_text("PREFIX rgo: <https://w3id.org/relaxgraph/ontology#>\nASK { ?d a rgo:Drug }\n")
    code, out, _ = invoke("query", "--file", str(f))
    assert code == 0
    assert out.strip() == "true"


def test_query_output_file_is_written_atomically(tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    code, _, _ = invoke("query", "statistics-table", "--format", "csv", "-o", str(out))
    assert code == 0
    assert out.read_text().startswith("condition,measure,percentage")
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_infer_finds_drugs_of_every_subclass() -> None:
    q = (
        "PREFIX rg: <https://w3id.org/relaxgraph/id/> "
        "SELECT ?d WHERE { ?d a rg:muscle-relaxants } ORDER BY ?d"
    )
    code, plain, _ = invoke("query", "-e", q, "--format", "csv")
    assert code == 0
    code, inferred, _ = invoke("query", "-e", q, "--format", "csv", "--infer")
    assert code == 0
    found = set(inferred.split()[1:])
    assert "https://w3id.org/relaxgraph/id/baclofen" in found
    assert "https://w3id.org/relaxgraph/id/vecuronium" in found
    assert len(found) > len(set(plain.split()[1:]))


def test_rdflib_backend_gives_the_same_answer() -> None:
    _, a, _ = invoke("query", "statistics-table", "--format", "csv")
    _, b, _ = invoke("query", "statistics-table", "--format", "csv", "--backend", "rdflib")
    assert sorted(a.splitlines()) == sorted(b.splitlines())


# --- bad input ------------------------------------------------------------------------


def test_syntax_error_shows_line_and_column_exit_2() -> None:
    proc = run_cli("query", "-e", "SELECT ?x\nWHERE { ?x ?p }")
    assert proc.returncode == 2
    assert "line 2, column" in proc.stderr
    assert "expected" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_unknown_query_suggests_closest() -> None:
    code, _, err = invoke("query", "side-efects")
    assert code == 2
    assert "unknown query 'side-efects'" in err and "side-effects" in err


def test_unknown_parameter_suggests_closest() -> None:
    code, _, err = invoke("query", "side-effects", "--param", "drgu=baclofen")
    assert code == 2
    assert "unknown parameter 'drgu'" in err and "'drug'" in err


def test_unknown_entity_says_so_exit_4() -> None:
    proc = run_cli("query", "side-effects", "--param", "drug=baclofenn")
    assert proc.returncode == 4
    assert "unknown entity 'baclofenn'" in proc.stderr
    assert "baclofen" in proc.stderr.split("did you mean", 1)[1]
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "update",
    [
        "DROP ALL",
        "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
        "CLEAR DEFAULT",
        "PREFIX x: <http://x/>\nDELETE WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/x.ttl>",
    ],
)
def test_updates_are_refused(update: str) -> None:
    code, out, err = invoke("query", "-e", update)
    assert code == 2
    assert "refused" in err and "update" in err
    assert out == ""


def test_update_needs_an_explicit_store() -> None:
    code, _, err = invoke("query", "--allow-update", "-e", "DROP ALL")
    assert code == 2
    assert "--store" in err


def test_timeout_stops_a_runaway_query() -> None:
    proc = run_cli("query", "-e", TRAVERSAL, "--timeout", "1")
    assert proc.returncode == 3
    assert "stopped after 1 s" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_query_file() -> None:
    code, _, err = invoke("query", "--file", "no-such.rq")
    assert code == 2 and "no-such.rq" in err


def test_bad_param_syntax() -> None:
    code, _, err = invoke("query", "side-effects", "--param", "baclofen")
    assert code == 2 and "key=value" in err


def test_output_into_missing_folder_writes_nothing(tmp_path: Path) -> None:
    code, _, err = invoke("query", "statistics-table", "-o", str(tmp_path / "nope" / "x.csv"))
    assert code != 0 and "does not exist" in err
    assert list(tmp_path.iterdir()) == []


# --- injection -------------------------------------------------------------------------


def test_injection_through_a_string_parameter_returns_nothing_and_changes_nothing() -> None:
    import relaxgraph
    from relaxgraph.querying.catalogue import get
    from relaxgraph.querying.sparql import run

    engine = relaxgraph.connect()
    before = run(engine, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows()[0].n
    hostile = 'baclofen" } ; DROP ALL #'
    for name in ("search", "find-quote"):
        result = get(name).run(engine, text=hostile)
        assert result.rows() == []
    after = run(engine, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows()[0].n
    assert before == after
    code, out, _ = invoke("query", "search", "--param", f"text={hostile}", "--format", "csv")
    assert code == 0 and out.strip() == "text,entity,label,kind"


def test_injection_through_an_entity_parameter_is_an_unknown_entity() -> None:
    code, _, err = invoke("query", "side-effects", "--param", 'drug=baclofen" } ; DROP ALL #')
    assert code == 4 and "unknown entity" in err


# --- queries, describe, stats, validate, export, build ---------------------------------------


def test_queries_lists_the_catalogue() -> None:
    code, out, _ = invoke("queries")
    assert code == 0
    assert "side-effects" in out and "statistics-table" in out


def test_queries_as_rdf() -> None:
    import rdflib

    code, out, _ = invoke("queries", "--format", "ttl")
    assert code == 0
    g = rdflib.Graph().parse(data=out, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert len(set(g.subjects(rdflib.RDF.type, sh.SPARQLSelectExecutable))) >= 25


def test_describe_shows_evidence() -> None:
    code, out, _ = invoke("describe", "baclofen")
    assert code == 0
    assert out.startswith("baclofen (rg:baclofen, Drug)")
    line = next(
        ln for ln in out.splitlines() if ln.startswith("has side effect") and "drowsiness" in ln
    )
    assert "\u201cDrowsiness: One of the most commonly reported side effects of Baclofen" in line


def test_describe_a_brand_name_shows_its_drug_and_the_quote() -> None:
    code, out, _ = invoke("describe", "Lioresal")
    assert code == 0
    assert out.startswith("Lioresal (rg:lioresal, BrandName)")
    assert (
        "brand of" in out and "\u201cBaclofen, also known by its brand name Lioresal\u201d" in out
    )


def test_describe_unknown_entity() -> None:
    code, _, err = invoke("describe", "aspirin")
    assert code == 4 and "unknown entity 'aspirin'" in err


def test_stats_json() -> None:
    code, out, _ = invoke("stats", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["triples"] > 1000
    assert data["type Drug"] >= 7


def test_validate_passes() -> None:
    code, out, _ = invoke("validate")
    assert code == 0, out
    assert out.strip().endswith("valid")


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "xml", "csv", "graphml", "gexf"])
def test_export_formats(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"g.{fmt}"
    code, _, err = invoke("export", "--format", fmt, "-o", str(out))
    assert code == 0, err
    data = out.read_bytes()
    assert len(data) > 1000
    if fmt in ("ttl", "nt", "jsonld", "xml"):
        import rdflib

        parsed = rdflib.Graph().parse(
            data=data, format={"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml"}[fmt]
        )
        assert len(parsed) > 1000
    if fmt == "graphml":
        import networkx as nx

        g = nx.read_graphml(out)
        iris = {data["iri"] for _, data in g.nodes(data=True)}
        assert "https://w3id.org/relaxgraph/id/baclofen" in iris  # node ids are XML tokens


def test_build_writes_merged_graph(tmp_path: Path) -> None:
    out = tmp_path / "g.nt"
    code, _, err = invoke("build", "-o", str(out))
    assert code == 0, err
    assert len(out.read_text().splitlines()) > 1000


def test_build_stops_at_a_malformed_file_and_writes_nothing(tmp_path: Path) -> None:
    import shutil

    from relaxgraph.data import _resources

    src = tmp_path / "ontology"
    shutil.copytree(str(_resources.ontology_dir()), src)
    bad = src / "kb" / "guide.ttl"
    lines = bad.read_text().splitlines()
    lines.append("rg:broken rgo:treats .")
    bad.write_text("\n".join(lines) + "\n")
    out = tmp_path / "g.nt"
    proc = run_cli("build", "--source", str(src), "-o", str(out))
    assert proc.returncode == 2
    assert f"{bad}:{len(lines)}" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ontology"]


def test_demo_builds_queries_and_draws(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    proc = run_cli("demo", "-d", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "relaxgraph query side-effects --param drug=baclofen" in proc.stdout
    assert "Cerebral Palsy" in proc.stdout
    assert sorted(p.name for p in out.iterdir()) == ["relaxgraph.html", "relaxgraph.nt"]
    html = (out / "relaxgraph.html").read_text()
    assert html.lstrip().lower().startswith("<!doctype html")
    assert "cdn." not in html and "https://unpkg" not in html


def test_update_runs_against_an_explicit_store(tmp_path: Path) -> None:
    data = tmp_path / "g.nt"
    store = tmp_path / "store"
    assert invoke("export", "--format", "nt", "-o", str(data))[0] == 0
    assert invoke("load", str(data), "--store", str(store))[0] == 0
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = int(
        invoke("query", "--store", str(store), "-e", count, "--format", "csv")[1].split()[1]
    )
    insert = 'INSERT DATA { <http://example.org/a> <http://example.org/b> "c" }'
    code, _, err = invoke("query", "--allow-update", "--store", str(store), "-e", insert)
    assert code == 0, err
    after = int(
        invoke("query", "--store", str(store), "-e", count, "--format", "csv")[1].split()[1]
    )
    assert after == before + 1


def test_errors_survive_the_time_limited_child_process() -> None:
    import pickle

    from relaxgraph.errors import QuerySyntaxError, QueryTimeoutError, UnknownEntityError
    from relaxgraph.querying.sparql import run
    from relaxgraph.storage.engines import connect

    for error in (
        QuerySyntaxError("expected WHERE", "SELECT ?x", 1, 10),
        QueryTimeoutError(2.0),
        UnknownEntityError("asprin", ["aspirin"]),
    ):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and str(copy) == str(error)
    with pytest.raises(QuerySyntaxError) as info:
        run(connect(), "SELECT ?x WHERE { ?x ?p }", timeout=5)
    assert info.value.line == 1 and info.value.column == 26


# --- -o: atomic for regular files, through for the rest (issue 10, item 7) ---------------------

STATS = ("query", "statistics-table", "--format", "csv")


def _stats_csv() -> bytes:
    result = CliRunner().invoke(cli, list(STATS), catch_exceptions=False)
    assert result.exit_code == 0
    return result.stdout_bytes


def test_output_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    target = tmp_path / "real.csv"
    target.write_text("old\n")
    target.chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(target.name)
    code, _, err = invoke(*STATS, "-o", str(link))
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == "real.csv"
    assert target.read_bytes() == _stats_csv()
    assert (target.stat().st_mode & 0o777) == 0o640  # the file keeps its mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.csv", "real.csv"]


def test_output_through_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "new.csv")
    assert invoke(*STATS, "-o", str(link))[0] == 0
    assert link.is_symlink() and (tmp_path / "new.csv").read_bytes() == _stats_csv()


def test_output_into_a_fifo_writes_to_its_reader(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, _, err = invoke(*STATS, "-o", str(fifo))
    reader.join(timeout=30)
    assert code == 0, err
    assert received == [_stats_csv()]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still a FIFO, not a regular file
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def _char_device(tmp_path: Path, name: str, minor: int) -> Path:
    """A character device to write to: our own node when root (so that a regression cannot
    replace the machine's /dev entries), else the system's (which nobody else may replace)."""
    if os.geteuid() == 0:
        node = tmp_path / name
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
        return node
    return Path("/dev") / name


def test_output_into_a_device_writes_through(tmp_path: Path) -> None:
    null = _char_device(tmp_path, "null", 3)
    code, out, err = invoke(*STATS, "-o", str(null))
    assert (code, out, err) == (0, "", "")
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    full = _char_device(tmp_path, "full", 7)
    code, _, err = invoke(*STATS, "-o", str(full))
    assert code == 2
    assert (
        err
        == f"Error: cannot write {full}: no space left on the device (nothing was written); free some space or write elsewhere\n"
    )
    assert stat.S_ISCHR(os.lstat(full).st_mode)


@pytest.mark.parametrize("path", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"])
def test_output_to_dev_stdout_goes_to_stdout(path: str, tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    log.write_text("kept\n")
    try:
        with open(log, "a") as out:  # `>> log`: appended, never truncated or replaced
            proc = subprocess.run(
                [sys.executable, "-m", "relaxgraph", *STATS, "-o", path],
                stdout=out,
                stderr=subprocess.PIPE,
                text=True,
                timeout=120,
            )
        assert proc.returncode == 0, proc.stderr
        assert log.read_bytes() == b"kept\n" + _stats_csv()
        piped = subprocess.run(  # and into a pipe
            [sys.executable, "-m", "relaxgraph", *STATS, "-o", path],
            capture_output=True,
            timeout=120,
        )
        assert piped.returncode == 0 and piped.stdout == _stats_csv()
    finally:
        if not os.path.islink("/dev/stdout"):  # a regression replaced it (as root): repair
            os.unlink("/dev/stdout")
            os.symlink("/proc/self/fd/1", "/dev/stdout")
            pytest.fail("-o /dev/stdout replaced the /dev/stdout link")


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("", "the output path is empty (''); give a file name, or - for stdout"),
        ("{tmp}", "cannot write {tmp}: it is a folder; give a file name inside it"),
        ("{tmp}/no/x.csv", "cannot write {tmp}/no/x.csv: the folder {tmp}/no does not exist"),
        ("{tmp}/f.txt/x.csv", "cannot write {tmp}/f.txt/x.csv: a part of that path is a file"),
        ("/proc/version", "cannot write /proc/version: "),
        ("/proc/no-such-dir/x.csv", "cannot write /proc/no-such-dir/x.csv: the folder"),
        ("{tmp}/" + "n" * 300, "nnnn: the file name is too long"),
    ],
)
def test_output_paths_that_cannot_be_written(where: str, message: str, tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_text("a file")
    code, _, err = invoke(*STATS, "-o", where.format(tmp=tmp_path))
    assert code == 2
    assert err.startswith("Error: cannot write " if where else "Error: "), err
    assert message.format(tmp=tmp_path) in err and err.count("\n") == 1, err
    assert len(err) < 400
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.txt"]


def _mounted(options: str) -> bool:
    """Whether this machine lets us mount a tmpfs in a private namespace (`unshare -rm`)."""
    import shutil as sh

    if sh.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", f"mount -t tmpfs -o {options} tmpfs /mnt"],
        capture_output=True,
        timeout=30,
    )
    return probe.returncode == 0


def _run_on_tmpfs(
    tmp_path: Path, options: str, setup: str, *args: str
) -> subprocess.CompletedProcess[str]:
    """Run `relaxgraph ARGS` with a tmpfs (mount options ``options``) at tmp_path/mnt."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    cli = " ".join(f"'{a}'" for a in ["-m", "relaxgraph", *args])
    script = (
        f"mount -t tmpfs -o {options} tmpfs {mnt} && {setup} && "
        f"{sys.executable} {cli}; rc=$?; ls -A {mnt}; cat {mnt}/* 2>/dev/null | head -c 100; exit $rc"
    )
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=120
    )


def test_output_on_a_full_file_system_leaves_the_old_file(
    tmp_path: Path, require_or_skip: Callable[[bool, str], None]
) -> None:
    require_or_skip(_mounted("size=16k"), "cannot mount a tmpfs in a user namespace (unshare -rm)")
    mnt = tmp_path / "mnt"
    proc = _run_on_tmpfs(
        tmp_path,
        "size=16k",
        f"echo old > {mnt}/out.ttl",
        "export",
        "--format",
        "ttl",
        "-o",
        f"{mnt}/out.ttl",
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == (
        f"Error: cannot write {mnt}/out.ttl: no space left on the device (nothing was written); "
        "free some space or write elsewhere\n"
    )
    assert proc.stdout == "out.ttl\nold\n"  # no temporary file left, the old content intact


def test_output_on_a_read_only_file_system(
    tmp_path: Path, require_or_skip: Callable[[bool, str], None]
) -> None:
    require_or_skip(_mounted("ro"), "cannot mount a tmpfs in a user namespace (unshare -rm)")
    mnt = tmp_path / "mnt"
    proc = _run_on_tmpfs(tmp_path, "ro", "true", *STATS, "-o", f"{mnt}/x.csv")
    assert proc.returncode == 2, proc.stderr
    assert (
        proc.stderr
        == f"Error: cannot write {mnt}/x.csv: the file system is read-only; write elsewhere\n"
    )
    assert proc.stdout == ""


# --- terminal escape injection (issue 10, item 8) ------------------------------------------------

HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202egnp.exe\x00"
HOSTILE_SPARQL = "\\u001B]0;pwned\\u0007\\u001B[2J\\u009B31m\\u202Egnp.exe\\u0000"


def _no_controls(text: str) -> None:
    for ch in "\x1b\x07\x9b\u202e\x00":
        assert ch not in text, repr(ch)


def test_table_output_escapes_control_characters_and_csv_stays_exact() -> None:
    q = f'SELECT ("label {HOSTILE_SPARQL} end" AS ?x) WHERE {{}}'
    code, out, _ = invoke("query", "-e", q, "--format", "table")
    assert code == 0
    _no_controls(out)
    assert "label \\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202egnp.exe\\x00 end" in out
    code, out, _ = invoke("query", "-e", q, "--format", "tsv")
    assert code == 0 and HOSTILE in out  # W3C formats keep the data byte for byte


def test_describe_escapes_control_characters(tmp_path: Path) -> None:
    data = tmp_path / "hostile.ttl"
    data.write_text(
        "@prefix rg: <https://w3id.org/relaxgraph/id/> .\n"
        "@prefix rgo: <https://w3id.org/relaxgraph/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f'rg:evil a rgo:Drug ; rdfs:label "evil {HOSTILE_SPARQL}" ;\n'
        f'  rgo:hasSideEffect rg:evil-effect ; rdfs:comment "line one\\nline {HOSTILE_SPARQL}" .\n'
        f'rg:evil-effect a rgo:SideEffect ; rdfs:label "effect {HOSTILE_SPARQL}" .\n'
    )
    store = tmp_path / "db"
    assert invoke("load", str(data), "--store", str(store), "--no-bundled", "-q")[0] == 0
    code, out, err = invoke("describe", "rg:evil", "--store", str(store))
    assert code == 0, err
    _no_controls(out)
    assert out.startswith(
        "evil \\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202egnp.exe\\x00 (rg:evil, Drug)"
    )
    assert "effect \\x1b]0;pwned" in out and "line one line \\x1b]0;pwned" in out


def test_error_messages_escape_control_characters() -> None:
    code, _, err = invoke("query", f"side{HOSTILE}effects")
    assert code == 2
    _no_controls(err)
    assert err.count("\n") == 1


# --- one-line errors (issue 10, item 11) ---------------------------------------------------------


def test_a_query_file_that_is_not_utf8(tmp_path: Path) -> None:
    f = tmp_path / "latin1.rq"
    f.write_bytes("SELECT ?caf\xe9 WHERE { ?caf\xe9 ?p ?o }".encode("latin-1"))
    code, _, err = invoke("query", "--file", str(f))
    assert code == 2
    assert (
        err
        == f"Error: {f} is not UTF-8 text (byte 0xe9 at offset 11); save it as UTF-8 and try again\n"
    )


@pytest.mark.parametrize(
    ("args", "label"),
    [
        (["query", "-e", "SELECT * WHERE { ?s ?p \udcff }"], "-e/--execute"),
        (["query", "side-effects", "--param", "drug=bac\udce9lofen"], "-p/--param"),
        (["query", "side\udcffeffects"], "NAME"),
        (["describe", "bac\udcfflofen"], "ENTITY"),
        (["load", "x.nt", "--graph", "http://example.org/\udcff"], "--graph"),
    ],
)
def test_arguments_that_are_not_utf8(args: list[str], label: str) -> None:
    code, _, err = invoke(*args)
    assert code == 2
    assert (
        err.startswith(f"Error: {label} is not valid UTF-8 text (byte 0x") and err.count("\n") == 1
    )


def test_arguments_that_are_not_utf8_in_a_real_process() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "relaxgraph", "query", "-e", b"SELECT \xff WHERE {}"],
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr == (
        b"Error: -e/--execute is not valid UTF-8 text (byte 0xff at character 8); give it as UTF-8\n"
    )


def test_a_huge_query_name_is_not_echoed_whole() -> None:
    name = "x" * 100_000
    code, _, err = invoke("query", name)
    assert code == 2
    assert err.startswith("Error: unknown query 'xxxxx") and "characters]…xxxxx" in err
    assert len(err) < 400 and err.count("\n") == 1
