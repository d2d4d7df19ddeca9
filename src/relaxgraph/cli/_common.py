"""Options and helpers shared by the subcommands."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

STORE_OPTION = click.option(
    "--store",
    metavar="PATH",
    default=None,
    help="Query an on-disk store made with `relaxgraph load`.",
)
ENDPOINT_OPTION = click.option(
    "--endpoint",
    metavar="URL",
    default=None,
    envvar="RELAXGRAPH_ENDPOINT",
    help="Query a remote SPARQL 1.1 endpoint (credentials: RELAXGRAPH_ENDPOINT_USER/_PASSWORD).",
)
INFER_OPTION = click.option(
    "--infer", is_flag=True, help="Answer over the RDFS/OWL-RL closure (computed on demand)."
)
BACKEND_OPTION = click.option(
    "--backend",
    type=click.Choice(["oxigraph", "rdflib"]),
    default="oxigraph",
    show_default=True,
    help="Embedded engine for the bundled graph.",
)


def engine_options(f: F) -> F:
    """Add --store, --endpoint, --infer and --backend to a command."""
    for option in (BACKEND_OPTION, INFER_OPTION, ENDPOINT_OPTION, STORE_OPTION):
        f = option(f)
    return f


def open_engine(
    store: str | None, endpoint: str | None, infer: bool, backend: str = "oxigraph"
) -> Any:
    from ..engines import connect

    return connect(store=store, endpoint=endpoint, infer=infer, backend=backend)  # type: ignore[arg-type]


def handle_errors(f: F) -> F:
    """Turn relaxgraph's errors into a one-line message and the documented exit code."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..errors import RelaxgraphError

        try:
            return f(*args, **kwargs)
        except RelaxgraphError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


def write_output(data: bytes | str, output: str | None) -> None:
    """Write to stdout, or atomically to ``output`` (a temporary file renamed into place)."""
    if isinstance(data, str):
        data = data.encode()
    if output is None or output == "-":
        sys.stdout.buffer.write(data)
        if data and not data.endswith(b"\n"):
            sys.stdout.buffer.write(b"\n")
        sys.stdout.flush()
        return
    from .._atomic import write_atomic

    write_atomic(output, data)


def parse_params(values: tuple[str, ...]) -> dict[str, str]:
    """``("drug=baclofen",)`` -> ``{"drug": "baclofen"}``; a value without ``=`` is a usage error."""
    params: dict[str, str] = {}
    for item in values:
        if "=" not in item:
            raise click.BadParameter(
                f"{item!r} is not key=value (e.g. --param drug=baclofen)", param_hint="--param"
            )
        key, value = item.split("=", 1)
        params[key.strip()] = value
    return params
