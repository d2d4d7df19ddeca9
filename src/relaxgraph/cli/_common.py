"""Options and helpers shared by the subcommands."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

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

_LAYERS_KEY = "relaxgraph.layers"


def _remember_layers(ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> None:
    ctx.meta[_LAYERS_KEY] = list(value) if value else None


LAYER_OPTION = click.option(
    "--layer",
    "layers",
    metavar="ID",
    multiple=True,
    expose_value=False,
    callback=_remember_layers,
    help="See only this layer (repeatable; ids from `relaxgraph layers`). Default: every layer.",
)


def selected_layers() -> list[str] | None:
    """The layers ``--layer`` named for the running command, or None (the union of all)."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(_LAYERS_KEY) if ctx is not None else None


def engine_options(f: F) -> F:
    """Add --store, --endpoint, --infer, --backend and --layer to a command."""
    for option in (LAYER_OPTION, BACKEND_OPTION, INFER_OPTION, ENDPOINT_OPTION, STORE_OPTION):
        f = option(f)
    return f


def open_engine(
    store: str | None,
    endpoint: str | None,
    infer: bool,
    backend: str = "oxigraph",
    *,
    timeout: float | None = None,
    memory_limit: int | None = None,
) -> Any:
    """The engine the engine options name: with none of them, the library's one default
    engine (:func:`relaxgraph.api.default_engine`); otherwise :func:`relaxgraph.connect`."""
    layers = selected_layers()
    if store is None and endpoint is None and not infer and backend == "oxigraph" and not layers:
        from ..api import default_engine

        return default_engine()
    from ..storage.engines import connect

    return connect(
        store=store,
        endpoint=endpoint,
        infer=infer,
        backend=backend,  # type: ignore[arg-type]
        timeout=timeout,
        memory_limit=memory_limit,
        layers=layers,
    )


def handle_errors(f: F) -> F:
    """Turn errors into a one-line message and the documented exit code, never a traceback.

    relaxgraph's own errors carry their exit code. Arguments that are not valid UTF-8,
    files that are not, and operating-system errors (a path that cannot be read or written)
    are bad input: exit 2. Messages are cut when an input is huge and never pass control
    characters to the terminal.
    """

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..errors import RelaxgraphError

        try:
            _check_text_arguments(kwargs)
            return f(*args, **kwargs)
        except RelaxgraphError as exc:
            fail(str(exc), exc.exit_code)
        except UnicodeDecodeError as exc:
            fail(_undecodable(exc, kwargs), 2)
        except UnicodeEncodeError as exc:
            fail(f"cannot use text that is not valid Unicode ({exc.reason})", 2)
        except OSError as exc:
            fail(_os_message(exc), 2)
        except KeyboardInterrupt:
            fail("Interrupted.", 130, prefix="")

    return wrapper  # type: ignore[return-value]


def fail(message: str, code: int, prefix: str = "Error: ") -> NoReturn:
    """Print ``message`` to stderr (cut if huge, control characters escaped) and exit ``code``."""
    text = prefix + "\n".join(_message_lines(message))
    sys.stderr.buffer.write(text.encode("utf-8", "backslashreplace") + b"\n")
    sys.stderr.flush()
    sys.exit(code)


_MAX_LINE = 400


def _message_lines(message: str) -> list[str]:
    """One line for the error, then at most two indented lines of context (a syntax error's
    quoted line and caret): other line breaks (a parser's wrapped message) become spaces,
    long lines are cut, and control characters are escaped.

    >>> _message_lines("bad thing: expected one of\\n| a | b\\n  SELECT ?x\\n         ^")
    ['bad thing: expected one of | a | b', '  SELECT ?x', '         ^']
    """
    from ..views._terminal import printable, shorten

    head, *rest = message.split("\n")
    context: list[str] = []
    for line in rest:
        if line.startswith("  ") and len(context) < 2:
            context.append(line)
        elif not context:
            head += " " + line.strip()
    lines = [shorten(head), *context]
    cut = [line if len(line) <= _MAX_LINE else line[: _MAX_LINE - 1] + "…" for line in lines]
    return [printable(line) for line in cut]


def _parameters() -> dict[str, click.Parameter]:
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return {}
    return {p.name: p for p in ctx.command.params if p.name}


def _is_path(param: click.Parameter | None) -> bool:
    if param is None:
        return False
    return isinstance(param.type, click.Path) or (param.metavar or "") in ("FILE", "PATH", "DIR")


def _label(name: str, param: click.Parameter | None) -> str:
    if isinstance(param, click.Option):
        return "/".join(param.opts)
    return name.upper()


def _check_text_arguments(kwargs: dict[str, Any]) -> None:
    """Refuse a text argument (not a path) that holds bytes which are not UTF-8.

    Python keeps undecodable bytes of the command line as lone surrogates; paths may hold
    them (file names are bytes), but query text, names and parameters must be UTF-8.
    """
    from ..errors import InvalidArgumentError

    params = _parameters()
    for name, value in kwargs.items():
        param = params.get(name)
        if _is_path(param):
            continue
        for text in value if isinstance(value, tuple) else (value,):
            if not isinstance(text, str):
                continue
            bad = next((i for i, ch in enumerate(text) if "\ud800" <= ch <= "\udfff"), None)
            if bad is not None:
                byte = ord(text[bad]) - 0xDC00
                raise InvalidArgumentError(
                    f"{_label(name, param)} is not valid UTF-8 text (byte 0x{byte:02x} at "
                    f"character {bad + 1}); give it as UTF-8"
                )


def _undecodable(exc: UnicodeDecodeError, kwargs: dict[str, Any]) -> str:
    """Name the input file that is not UTF-8, when the command was given one."""
    params = _parameters()
    files = [
        str(v)
        for k, v in kwargs.items()
        if isinstance(v, str) and _is_path(params.get(k)) and os.path.isfile(v)
    ]
    from ..views._terminal import not_utf8

    return not_utf8(files[0] if len(files) == 1 else "an input file", exc)


def _os_message(exc: OSError) -> str:
    from .._atomic import shown

    what = exc.strerror or str(exc) or type(exc).__name__
    if exc.filename is not None:
        return f"cannot use {shown(os.fsdecode(exc.filename))}: {what}"
    return what


def write_output(data: bytes | str, output: str | None) -> None:
    """Write to stdout, or to ``output`` (atomically for a regular file; see :mod:`.._atomic`)."""
    if isinstance(data, str):
        data = data.encode()
    if output is None or output == "-":
        try:
            sys.stdout.buffer.write(data)
            if data and not data.endswith(b"\n"):
                sys.stdout.buffer.write(b"\n")
            sys.stdout.flush()
        except BrokenPipeError:  # the reader stopped early (`| head`): not an error
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
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
