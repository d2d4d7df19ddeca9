"""A throw-away Virtuoso on loopback, for tests.

:func:`running_virtuoso` writes a ``virtuoso.ini`` into a fresh folder (database, logs and
temporary files all inside it), picks two free loopback ports, starts ``virtuoso-t`` in the
foreground as a child process, waits until its SPARQL endpoint answers, yields its URLs and
always stops it (and deletes nothing the caller did not give it).

Debian package: ``virtuoso-opensource-7-bin`` (only the server binary is needed; the
endpoints used here are built in, no VAD packages).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BINARY = "virtuoso-t"
#: The built-in database administrator of a new Virtuoso database.
DBA_USER = "dba"
DBA_PASSWORD = "dba"


@dataclass(frozen=True)
class Virtuoso:
    """URLs of a running Virtuoso."""

    base: str
    folder: Path

    @property
    def sparql(self) -> str:
        """The public, read-only SPARQL endpoint."""
        return f"{self.base}/sparql"

    @property
    def sparql_auth(self) -> str:
        """The SPARQL endpoint that asks for credentials (HTTP digest) and allows updates."""
        return f"{self.base}/sparql-auth"

    @property
    def graph_store(self) -> str:
        """The SPARQL 1.1 Graph Store Protocol endpoint with digest authentication."""
        return f"{self.base}/sparql-graph-crud-auth"

    def log(self) -> str:
        path = self.folder / "virtuoso.log"
        return path.read_text(errors="replace") if path.exists() else ""


def available() -> bool:
    """Whether the Virtuoso server binary is on PATH."""
    return shutil.which(BINARY) is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 0
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = ., {d}
ServerThreads = 10
DefaultIsolation = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
MaxClientConnections = 8
ServerThreads = 8
MaxKeepAlives = 10
KeepAliveTimeout = 10

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
DefaultQuery = SELECT * WHERE {{ ?s ?p ?o }} LIMIT 1
"""


def _ready(url: str) -> bool:
    query = urllib.parse.urlencode({"query": "ASK { }"})
    try:
        with urllib.request.urlopen(f"{url}?{query}", timeout=2) as r:
            return bool(r.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def running_virtuoso(
    folder: Path, start_timeout: float = 120.0, max_rows: int = 10_000
) -> Iterator[Virtuoso]:
    """Start a Virtuoso whose files all live in ``folder``; stop it when the block ends.

    ``max_rows`` is Virtuoso's ``ResultSetMaxRows``: it cuts longer results short (and says
    so in a response header); 10,000 is Virtuoso's own default.
    """
    folder.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = _free_port(), _free_port()
    while sql_port == http_port:
        sql_port = _free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_INI.format(d=folder, sql_port=sql_port, http_port=http_port, max_rows=max_rows))
    out = open(folder / "virtuoso.stdout", "wb")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen(
        [BINARY, "+configfile", str(ini), "+foreground"],
        cwd=folder,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Virtuoso(f"http://127.0.0.1:{http_port}", folder)
    try:
        deadline = time.monotonic() + start_timeout
        while not _ready(server.sparql):
            if proc.poll() is not None:
                raise RuntimeError(
                    f"virtuoso-t exited with {proc.returncode}:\n{server.log()[-3000:]}"
                )
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"virtuoso-t did not answer within {start_timeout:g} s:\n{server.log()[-3000:]}"
                )
            time.sleep(0.3)
        yield server
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # Virtuoso checkpoints and exits on SIGTERM
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
        out.close()
