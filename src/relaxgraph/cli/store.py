"""``relaxgraph load``, ``push`` and ``serve``: on-disk stores, SPARQL servers, serving."""

from __future__ import annotations

import math
import sys
import time
from typing import Any

import click

from ._common import STORE_OPTION, handle_errors

#: The named graph ``push`` fills by default.
DEFAULT_GRAPH = "https://w3id.org/relaxgraph/graph"

_BAR_BYTES = 8 << 20  # show a progress bar for loads of more than this many bytes


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"  # pragma: no cover


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--store",
    metavar="PATH",
    default=None,
    help="The on-disk store to load into (created if missing). Without it, files are only checked.",
)
@click.option(
    "--graph",
    metavar="IRI",
    default=None,
    help="Put triples into this named graph (default: the default graph).",
)
@click.option("--replace", is_flag=True, help="Start the store afresh instead of adding to it.")
@click.option("--no-bundled", is_flag=True, help="Leave relaxgraph's own graph out of a new store.")
@click.option(
    "--max-size",
    metavar="SIZE",
    default="8G",
    show_default=True,
    help="Refuse to load more than this much RDF (after decompression; K, M, G, T; 0: no limit).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
@handle_errors
def load(
    files: tuple[str, ...],
    store: str | None,
    graph: str | None,
    replace: bool,
    no_bundled: bool,
    max_size: str,
    quiet: bool,
) -> None:
    """Bulk-load RDF files (.nt .ttl .nq .trig .rdf .owl .xml .n3 .jsonld, each optionally .gz).

    \b
    A new store starts with relaxgraph's own graph, so the catalogue's queries keep working
    over the merged data. Loading is crash-safe: the new store is built beside the old one
    and swapped in when complete; an interrupted or failed load leaves the old one as it was.
    One process writes a store at a time: a second load or update is refused, not lost.

    \b
    Examples:
      relaxgraph load chebi.owl.gz sider.nt.gz --store big.db
      relaxgraph query side-effects --store big.db
    """
    from ..storage.store import load_files, parse_size

    limit = parse_size(max_size)
    bar: Any = None
    total_bytes = 0

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if quiet or total < _BAR_BYTES:
            return
        if bar is None:
            bar = click.progressbar(length=total, label="Loading", file=sys.stderr, show_eta=True)
            bar.__enter__()
        bar.update(done - bar.pos)

    started = time.perf_counter()
    try:
        report = load_files(
            list(files),
            store,
            progress=progress,
            graph=graph,
            bundled=not no_bundled,
            replace=replace,
            max_size=limit,
        )
        total_bytes = report.bytes_read
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if quiet:
        return
    n = len(report)
    elapsed = time.perf_counter() - started
    where = f"into {store}" if store else "in memory (nothing saved: add --store PATH to keep it)"
    click.echo(
        f"Loaded {len(files)} file{'s' if len(files) != 1 else ''} ({_size(total_bytes)}) {where} "
        f"in {elapsed:.1f} s; the store holds {n:,} quads."
    )


@click.command()
@click.option(
    "--endpoint",
    metavar="URL",
    required=True,
    envvar="RELAXGRAPH_ENDPOINT",
    help="The SPARQL endpoint (SPARQL Update goes here unless --update-url is given).",
)
@click.option(
    "--graph",
    metavar="IRI",
    default=DEFAULT_GRAPH,
    show_default=True,
    help="The named graph to fill (replaced).",
)
@click.option(
    "--graph-store",
    metavar="URL",
    default=None,
    help="A Graph Store Protocol URL (Virtuoso: /sparql-graph-crud-auth): one PUT, no updates.",
)
@click.option(
    "--update-url",
    metavar="URL",
    default=None,
    help="Where to send SPARQL Update (e.g. Virtuoso's /sparql-auth).",
)
@STORE_OPTION
@click.option(
    "--timeout",
    type=float,
    default=300.0,
    show_default=True,
    help="Seconds each request may take in all (connecting, sending and reading).",
)
@click.option(
    "--chunk-size",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Most triples in one SPARQL Update request (a refused request is halved and retried).",
)
@handle_errors
def push(
    endpoint: str,
    graph: str,
    graph_store: str | None,
    update_url: str | None,
    store: str | None,
    timeout: float,
    chunk_size: int,
) -> None:
    """Upload the graph into a named graph of a SPARQL server (idempotent: the graph is replaced).

    \b
    Credentials come from RELAXGRAPH_ENDPOINT_USER and RELAXGRAPH_ENDPOINT_PASSWORD
    (HTTP basic or digest); they go to the servers of --endpoint, --update-url and
    --graph-store, and nowhere else. Then query it with
    `relaxgraph query NAME --endpoint URL` and RELAXGRAPH_ENDPOINT_GRAPH=IRI.

    \b
    A failed push loses nothing: by SPARQL Update the triples go into a staging graph
    that replaces the named graph in one MOVE at the end; a Graph Store PUT is one request.

    \b
    Example (Virtuoso):
      RELAXGRAPH_ENDPOINT_USER=dba RELAXGRAPH_ENDPOINT_PASSWORD=... \\
      relaxgraph push --endpoint http://localhost:8890/sparql \\
                      --graph-store http://localhost:8890/sparql-graph-crud-auth
    """
    from ..storage.remote import push as push_graph
    from ..storage.store import bundled_store, open_store

    source = open_store(store) if store else bundled_store()
    started = time.perf_counter()
    n = push_graph(
        source,
        endpoint,
        graph,
        graph_store=graph_store,
        update_url=update_url,
        timeout=timeout,
        chunk_size=chunk_size,
    )
    how = (
        f"Graph Store Protocol PUT to {graph_store}"
        if graph_store
        else f"SPARQL Update at {update_url or endpoint}"
    )
    click.echo(
        f"Pushed {n:,} triples into <{graph}> ({how}) in {time.perf_counter() - started:.1f} s."
    )


#: Largest --timeout ``serve`` accepts (a day): beyond it a "limit" protects nothing.
_MAX_SERVE_TIMEOUT = 86_400.0


def _serve_config_error(message: str) -> Exception:
    from ..errors import ServerConfigError

    return ServerConfigError(message)


def _check_serve_options(
    port: int, timeout: float, max_rows: int, workers: int, memory_limit: int
) -> None:
    """Refuse out-of-range ``serve`` options before anything starts (one line, exit 2)."""
    if not 0 <= port <= 65535:
        raise _serve_config_error(
            f"--port {port} is not a TCP port; give 0 to 65535 (0 picks a free one)"
        )
    if not (math.isfinite(timeout) and 0 < timeout <= _MAX_SERVE_TIMEOUT):
        raise _serve_config_error(
            f"--timeout {timeout:g} is not a time limit; give a number of seconds "
            f"above 0 and at most {_MAX_SERVE_TIMEOUT:g}"
        )
    if max_rows < 1:
        raise _serve_config_error(f"--max-rows {max_rows} must be at least 1")
    if not 1 <= workers <= 64:
        raise _serve_config_error(f"--workers {workers} must be between 1 and 64")
    if not 64 <= memory_limit <= 1 << 20:
        raise _serve_config_error(
            f"--memory-limit {memory_limit} MB is out of range; give 64 to 1048576 (MB)"
        )


@click.command()
@STORE_OPTION
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on (0.0.0.0 opens it to the network).",
)
@click.option(
    "--port", type=int, default=7878, show_default=True, help="Port (0 picks a free one)."
)
@click.option(
    "--timeout",
    type=float,
    default=30.0,
    show_default=True,
    help="Time limit of one query, in seconds.",
)
@click.option(
    "--max-rows",
    type=int,
    default=10_000,
    show_default=True,
    help="Largest result served (rows or triples); a longer one is cut and says so "
    "(header X-SPARQL-MaxRows).",
)
@click.option(
    "--workers",
    type=int,
    default=2,
    show_default=True,
    help="Queries run at once, each in its own process.",
)
@click.option(
    "--memory-limit",
    type=int,
    default=1024,
    show_default=True,
    metavar="MB",
    help="Memory one query may use beyond the graph.",
)
@click.option(
    "--allow-service",
    "allow_service",
    multiple=True,
    metavar="URL",
    help="Let SERVICE call this endpoint (repeatable). Federation is off without it.",
)
@click.option(
    "--connections",
    type=int,
    default=256,
    show_default=True,
    help="Most open connections; more wait in the listen queue.",
)
@click.option(
    "--request-timeout",
    type=float,
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="Time a client has to send one whole request (headers and body).",
)
@click.option("--infer", is_flag=True, help="Serve the RDFS/OWL-RL closure (computed at start).")
@click.option(
    "--site/--no-site",
    default=True,
    show_default=True,
    help="Also serve the browser workbench: home at /, /id/NAME, /query, /network, /guide.",
)
@handle_errors
def serve(
    store: str | None,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    workers: int,
    memory_limit: int,
    allow_service: tuple[str, ...],
    connections: int,
    request_timeout: float,
    infer: bool,
    site: bool,
) -> None:
    """Serve the graph as a read-only SPARQL 1.1 endpoint at /sparql, and the site at /.

    \b
    The site (off with --no-site): home at /, a page per entity at /id/NAME (Turtle,
    N-Triples or JSON-LD to clients by Accept), the query page at /query, /network and
    the annotated guide at /guide. Without the site, / is the endpoint's query page.

    \b
    Each query runs in its own process, with a time limit, a memory limit and a row cap;
    CORS is open (read-only), so web pages elsewhere can query it. SIGTERM or Ctrl-C
    stops it and every query it runs.

    \b
    Example:
      relaxgraph serve --port 7878 &
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3' \\
           http://127.0.0.1:7878/sparql
    """
    import signal

    from ..server.endpoint import SparqlServer

    _check_serve_options(port, timeout, max_rows, workers, memory_limit)
    if not 1 <= connections <= 10_000:
        raise _serve_config_error(f"--connections {connections} must be between 1 and 10000")
    if not (math.isfinite(request_timeout) and 0 < request_timeout <= 3600):
        raise _serve_config_error(
            f"--request-timeout {request_timeout:g} is not a time limit; give seconds above 0 "
            "and at most 3600"
        )
    source: Any
    if store is not None and not infer:
        source = store  # opened read-only by each query process, never by this one
    else:
        from ..storage.engines import connect

        source = connect(store=store, infer=infer)
    try:
        server = SparqlServer(
            source,
            host=host,
            port=port,
            timeout=timeout,
            max_rows=max_rows,
            workers=workers,
            memory_mb=memory_limit,
            allow_service=allow_service,
            connections=connections,
            request_timeout=request_timeout,
            log=True,
            site=site,
        )
    except OSError as exc:
        from ..errors import RelaxgraphError

        raise RelaxgraphError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"Warning: listening on {host}: anyone who can reach this machine can query it.",
            err=True,
        )
    root = server.url[: -len("sparql")]
    pages = f"site: {root}, query page: {root}query" if site else f"query page: {root}"
    click.echo(f"SPARQL endpoint: {server.url}  ({pages}; Ctrl-C stops)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
    finally:
        server.shutdown()
