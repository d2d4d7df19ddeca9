"""The embedded store: Oxigraph, in memory by default, on disk when asked.

The bundled graph is parsed with pyoxigraph's native parsers (no rdflib import), so the
command line answers a query in a fraction of a second.

Large files go into an on-disk store with :func:`load_files` (``relaxgraph load``), which
uses Oxigraph's bulk loader, reads gzipped files, and is crash-safe: it builds the new
store in a sibling folder and swaps it in with renames only when it is complete, so an
interrupted load leaves the previous store as it was.
"""

from __future__ import annotations

import contextlib
import errno
import gzip
import io
import os
import re
import shutil
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox

from ..errors import (
    DataFileError,
    InputTooLargeError,
    InvalidArgumentError,
    InvalidIRIError,
    StoreBusyError,
    StoreError,
)

__all__ = [
    "DEFAULT_MAX_SIZE",
    "FORMATS",
    "LoadReport",
    "bundled_store",
    "is_store",
    "load_files",
    "open_store",
    "parse_size",
    "parse_turtle_into",
    "rdf_format",
    "writable_store",
]

#: File extension -> RDF format understood by :func:`load_files` (each may end in ``.gz``).
FORMATS: dict[str, ox.RdfFormat] = {
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".n3": ox.RdfFormat.N3,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
}

#: Formats whose files can follow the bundled graph's lines in one bulk load.
_LINE_FORMATS = (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS)

#: ``progress(bytes_done, bytes_total)``, called while files load (bytes on disk, compressed).
Progress = Callable[[int, int], None]


def parse_turtle_into(store: ox.Store, source: Traversable, *, name: str | None = None) -> None:
    """Parse one Turtle file into the default graph of ``store``.

    Raises :class:`DataFileError` naming the file, the line and the parser's message;
    on error nothing of that file is added (``Store.load`` runs in one transaction).
    """
    label = name or str(source)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise DataFileError(label, f"cannot read the file ({exc.strerror or exc})") from None
    try:
        store.load(data, format=ox.RdfFormat.TURTLE)
    except SyntaxError as exc:
        line, column = _position(exc)
        raise DataFileError(label, _message(exc), line, column) from None


def _position(exc: SyntaxError) -> tuple[int | None, int | None]:
    return exc.lineno, exc.offset


_PARSER_PREFIX = re.compile(
    r"^Parser error at line \d+ (?:column \d+|between columns \d+ and \d+): "
)


def _message(exc: SyntaxError) -> str:
    """The parser's own words, without the position it also gives (we report that ourselves).

    >>> _message(SyntaxError("Parser error at line 2 between columns 23 and 27: bad object"))
    'bad object'
    """
    text = str(exc.msg if exc.msg else exc)
    return _PARSER_PREFIX.sub("", text)


def bundled_store(layers: Sequence[str] | None = None) -> ox.Store:
    """A fresh in-memory Oxigraph store holding the bundled graph, each layer in its own named graph.

    ``layers`` names the layers to load (ids of :func:`relaxgraph.data.layer_registry.registry`); by default
    every layer that is not optional (the ontology and the knowledge base). Queries through
    :class:`~relaxgraph.storage.engines.OxigraphEngine` see the union of the layers.
    """
    from ..data.layer_registry import load_layers, registry

    reg = registry()
    store = ox.Store()
    load_layers(store, reg.select(layers), reg)
    return store


def shipped_name(f: Traversable) -> str:
    """How error messages name a shipped data file: ``ontology/kb/guide.ttl``."""
    return f"ontology/{f.name}" if f.name == "relaxgraph.ttl" else f"ontology/kb/{f.name}"


# --- On-disk stores --------------------------------------------------------------------------

_HOW_TO_CREATE = "Create one with `relaxgraph load FILE... --store {path}`."


def is_store(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a folder holding an Oxigraph (RocksDB) database."""
    p = Path(path)
    return p.is_dir() and (p / "CURRENT").is_file() and any(p.glob("MANIFEST-*"))


def _store_path(path: str | os.PathLike[str]) -> Path:
    """``path`` as a store folder; raises :class:`StoreError` for ``''`` or ``/``."""
    text = os.fspath(path)
    if not text:
        raise StoreError("the store path is empty (''); give the folder of a store")
    target = Path(os.path.abspath(text))
    if not target.name:
        raise StoreError(f"cannot use {text!r} as a store; give a folder of its own")
    return target


def _siblings(target: Path) -> tuple[Path, Path, Path]:
    """The folders and lock file a load uses next to ``target``: new, previous, lock."""
    return (
        target.with_name(f".{target.name}.loading"),
        target.with_name(f".{target.name}.previous"),
        target.with_name(f".{target.name}.lock"),
    )


def _recover(target: Path) -> None:
    """Undo a swap a crash interrupted (the store is missing, its predecessor is not)."""
    _, previous, _ = _siblings(target)
    if not target.exists() and is_store(previous):
        os.rename(previous, target)


def _check_store_path(target: Path) -> None:
    """Raise :class:`StoreError` unless ``target`` is an Oxigraph store."""
    if not target.exists():
        raise StoreError(f"no store at {target}. " + _HOW_TO_CREATE.format(path=target))
    if not target.is_dir():
        hint = ""
        if _split_extension(target)[0] in FORMATS:
            hint = (
                f" To query this data file, load it first: `relaxgraph load {target} --store DIR`."
            )
        raise StoreError(
            f"{target} is a file, not a store "
            f"(a store is a folder made by `relaxgraph load`).{hint}"
        )
    if not is_store(target):
        raise StoreError(
            f"{target} is a folder but not an Oxigraph store "
            "(it has no CURRENT and MANIFEST files). " + _HOW_TO_CREATE.format(path="NEW_FOLDER")
        )


def open_store(path: str | os.PathLike[str], read_only: bool = True) -> ox.Store:
    """Open an on-disk store made by :func:`load_files` (``relaxgraph load``).

    ``read_only=True`` (the default) lets many processes read the same store at once.
    Raises :class:`StoreError` saying what to do when ``path`` is missing, is not a
    store, or is being written by another process. To write, prefer :func:`writable_store`,
    which also holds the store's writer lock while you write.
    """
    target = _store_path(path)
    _recover(target)
    _check_store_path(target)
    if not read_only:
        _check_not_locked(target)
    try:
        return ox.Store.read_only(str(target)) if read_only else ox.Store(str(target))
    except OSError as exc:
        raise _store_os_error(target, exc) from None


def _store_os_error(target: Path, exc: OSError) -> StoreError:
    text = str(exc)
    if "lock" in text.lower():
        return StoreError(
            f"the store {target} is open for writing by another process; "
            "wait for it to finish (or stop it) and try again"
        )
    return StoreError(f"cannot open the store {target}: {text}")


# --- Loading files ---------------------------------------------------------------------------


def _split_extension(path: Path) -> tuple[str, bool]:
    """``(extension, gzipped)`` of a data file, e.g. ``(".nt", True)`` for ``x.nt.gz``."""
    suffixes = [s.lower() for s in path.suffixes]
    gz = bool(suffixes) and suffixes[-1] == ".gz"
    if gz:
        suffixes = suffixes[:-1]
    return (suffixes[-1] if suffixes else ""), gz


def rdf_format(path: str | os.PathLike[str]) -> tuple[ox.RdfFormat, bool]:
    """The RDF format of a data file, from its extension, and whether it is gzipped.

    >>> rdf_format("chebi.owl.gz")
    (<RdfFormat RDF/XML>, True)
    >>> rdf_format("graph.nt")
    (<RdfFormat N-Triples>, False)
    """
    p = Path(path)
    ext, gz = _split_extension(p)
    fmt = FORMATS.get(ext)
    if fmt is None:
        known = ", ".join(FORMATS)
        raise DataFileError(
            str(p),
            f"unknown RDF format {ext or '(no extension)'!r}; "
            f"name the file with one of {known} (optionally + .gz)",
        )
    return fmt, gz


#: Largest load accepted by default: bytes of RDF after decompression, all files together.
DEFAULT_MAX_SIZE = 8 << 30
#: Longest value of an XML entity declared in an RDF/XML file (OWL files declare namespace IRIs).
MAX_ENTITY_VALUE = 1024
#: Deepest nesting of XML elements (RDF/XML) or of arrays and objects (JSON-LD) accepted.
MAX_NESTING = 1_000
#: How far into an RDF/XML file its DTD may reach (the declarations come before the root element).
_PROLOG_BYTES = 1 << 20


class _CountingReader(io.RawIOBase):
    """A binary reader that reports how many bytes it has read."""

    def __init__(self, raw: IO[bytes], report: Callable[[int], None]):
        self._raw = raw
        self._report = report

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        if n:
            self._report(n)
        return int(n or 0)

    def close(self) -> None:
        self._raw.close()
        super().close()


class _Budget:
    """The bytes a load may still read (after decompression), shared by its files.

    An RDF/XML file that declares XML entities can expand each ``&name;`` reference, so
    there every ``&`` is charged as the longest declared value: the bound then holds for what
    the parser builds, not only for what it reads.
    """

    def __init__(self, limit: int | None):
        self.limit = limit
        self.used = 0

    def charge(self, n: int, path: Path) -> None:
        self.used += n
        if self.limit is not None and self.used > self.limit:
            raise InputTooLargeError(
                str(path),
                f"the data to load exceeds the size limit of {_human(self.limit)} "
                f"(after decompression and entity expansion); nothing was loaded. "
                "Raise it with --max-size SIZE (e.g. 50G) or --max-size 0 for no limit",
            )


class _Checker:
    """Looks at the bytes of one file as they go to the parser; raises to stop the load."""

    def feed(self, data: bytes) -> None:
        """Check the next bytes."""

    def close(self) -> None:
        """The file has ended."""


class _XmlCheck(_Checker):
    """Well-formedness and element depth of an RDF/XML file, checked as it streams.

    Oxigraph's RDF/XML parser accepts a file cut short (a partial download loads as if it
    were whole) and recurses once per element level, so a deep enough file overflows its stack.
    """

    def __init__(self, path: Path):
        import xml.parsers.expat

        self._expat = xml.parsers.expat
        self._path = path
        self._depth = 0
        self._parser = xml.parsers.expat.ParserCreate()
        self._parser.ordered_attributes = True  # cheaper callbacks: only the depth is needed
        self._parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self._parser.StartElementHandler = self._start
        self._parser.EndElementHandler = self._end

    def _start(self, *_: object) -> None:
        self._depth += 1
        if self._depth > MAX_NESTING:
            raise DataFileError(
                str(self._path),
                f"refused: elements nest more than {MAX_NESTING:,} levels deep",
                self._parser.CurrentLineNumber,
                self._parser.CurrentColumnNumber + 1,
            )

    def _end(self, *_: object) -> None:
        self._depth -= 1

    def _parse(self, data: bytes, final: bool) -> None:
        try:
            self._parser.Parse(data, final)
        except self._expat.ExpatError as exc:
            reason = self._expat.ErrorString(exc.code)
            if final and exc.code in (
                self._expat.errors.codes[self._expat.errors.XML_ERROR_NO_ELEMENTS],
                self._expat.errors.codes[self._expat.errors.XML_ERROR_UNCLOSED_TOKEN],
            ):
                reason += " (the file ends too early: is it complete?)"
            raise DataFileError(
                str(self._path), f"not well-formed XML: {reason}", exc.lineno, exc.offset + 1
            ) from None

    def feed(self, data: bytes) -> None:
        self._parse(data, False)

    def close(self) -> None:
        self._parse(b"", True)


class _JsonDepth(_Checker):
    """How deep the arrays and objects of a JSON-LD file nest, checked as it streams.

    Oxigraph's JSON-LD parser recurses once per level and overflows its stack (a crash, not
    an error) a few thousand levels down.
    """

    _STRING_REST = re.compile(rb'[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
    _STRINGS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
    _NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")

    def __init__(self, path: Path):
        self._path = path
        self._depth = 0
        self._in_string = False
        self._pending = b""

    def feed(self, data: bytes) -> None:
        data, self._pending = self._pending + data, b""
        if self._in_string:
            m = self._STRING_REST.match(data)
            if m is None:  # the string goes on in the next chunk
                self._carry(data)
                return
            data, self._in_string = data[m.end() :], False
        outside = self._STRINGS.sub(b"", data)  # the complete strings, removed
        quote = outside.find(b'"')
        if quote >= 0:  # a string starts here and ends in a later chunk
            outside, self._in_string = outside[:quote], True
            self._carry(data)
        brackets = outside.translate(None, self._NOT_BRACKETS)
        opened = brackets.count(b"[") + brackets.count(b"{")
        if self._depth + opened <= MAX_NESTING:  # cannot reach the limit: count, no loop
            self._depth += 2 * opened - len(brackets)
            return
        for ch in brackets:
            self._depth += 1 if ch in (0x5B, 0x7B) else -1
            if self._depth > MAX_NESTING:
                raise DataFileError(
                    str(self._path),
                    f"refused: arrays and objects nest more than {MAX_NESTING:,} levels deep",
                )

    def _carry(self, data: bytes) -> None:
        """Keep a backslash that escapes the first byte of the next chunk."""
        backslashes = len(data) - len(data.rstrip(b"\\"))
        self._pending = b"\\" if backslashes % 2 else b""


class _LimitedReader(io.RawIOBase):
    """Charges every byte read (and, for RDF/XML with entities, every ``&``) to a budget,
    and shows the bytes to a :class:`_Checker` before the parser gets them."""

    def __init__(
        self, raw: IO[bytes], budget: _Budget, path: Path, expansion: int, checker: _Checker
    ):
        self._raw = raw
        self._budget = budget
        self._path = path
        self._expansion = expansion
        self._checker = checker
        self._charge = budget.limit is not None or expansion > 0
        self._ended = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = int(self._raw.readinto(buffer) or 0)  # type: ignore[attr-defined]
        if n == 0:
            if not self._ended:  # readers may ask again after the end
                self._ended = True
                self._checker.close()
            return 0
        data = bytes(buffer[:n])
        if self._charge:
            cost = n + (data.count(b"&") * self._expansion if self._expansion else 0)
            self._budget.charge(cost, self._path)
        self._checker.feed(data)
        return n


def _human(n: int) -> str:
    """``8589934592`` -> ``'8 GiB'``."""
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:g} {unit}" if unit == "bytes" else f"{n:.4g} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n:.4g} GiB"  # pragma: no cover


def parse_size(text: str) -> int | None:
    """``"500M"`` -> bytes; ``"0"`` or ``"none"`` -> ``None`` (no limit).

    >>> parse_size("8G"), parse_size("1.5k"), parse_size("1000"), parse_size("0")
    (8589934592, 1536, 1000, None)
    """
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*", text, re.IGNORECASE)
    if text.strip().lower() in ("none", "unlimited"):
        return None
    if m is None:
        raise InvalidArgumentError(
            f"--max-size {text[:40]!r} is not a size; give bytes or a number with K, M, G or T "
            "(e.g. 500M, 8G; 0 for no limit)"
        )
    value = float(m.group(1)) * 1024 ** " kmgt".index(m.group(2).lower() or " ")
    if value > 1 << 62:
        raise InvalidArgumentError(f"--max-size {text[:40]!r} is too large; 0 means no limit")
    return int(value) or None


@contextlib.contextmanager
def _open_bytes(path: Path, gz: bool) -> Iterator[IO[bytes]]:
    with open(path, "rb") as raw:
        if gz:
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield unzipped  # type: ignore[misc]
        else:
            yield raw


def _xml_entities(path: Path, gz: bool) -> int:
    """Check the XML entities an RDF/XML file declares; return the longest value (0: none).

    Entities that expand into other entities (the "billion laughs" attack), parameter and
    external entities, and long values are refused: a file of a few hundred bytes could
    otherwise build a literal of gigabytes. Plain entities, as OWL files use for namespace
    IRIs (``<!ENTITY owl "http://www.w3.org/2002/07/owl#">``), are accepted.
    """
    import xml.parsers.expat

    with _open_bytes(path, gz) as data:
        head = data.read(_PROLOG_BYTES)
    longest = 0
    problem: str | None = None

    class _RootElement(Exception):
        pass

    def on_entity(
        name: str,
        is_parameter: int,
        value: str | None,
        base: str | None,
        system_id: str | None,
        public_id: str | None,
        notation: str | None,
    ) -> None:
        nonlocal longest, problem
        if problem is not None:
            return
        if is_parameter:
            problem = f"declares the parameter entity %{name};"
        elif value is None:
            problem = f"declares the external entity &{name}; (it would read another file)"
        elif "&" in value or "%" in value:
            problem = (
                f"declares the entity &{name}; in terms of other entities, which can expand "
                'to gigabytes (the "billion laughs" attack)'
            )
        elif len(value) > MAX_ENTITY_VALUE:
            problem = (
                f"declares the entity &{name}; with a value of {len(value):,} characters "
                f"(the limit is {MAX_ENTITY_VALUE:,})"
            )
        else:
            longest = max(longest, len(value))

    def on_start(*_: object) -> None:
        raise _RootElement

    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = on_entity
    parser.StartElementHandler = on_start
    reached_root = False
    try:
        parser.Parse(head, len(head) < _PROLOG_BYTES)
    except _RootElement:
        reached_root = True
    except xml.parsers.expat.ExpatError:
        reached_root = True  # not well-formed: Oxigraph's parser reports where
    if problem is not None:
        raise DataFileError(str(path), f"refused: the file {problem}; remove the DTD entities")
    if not reached_root and len(head) >= _PROLOG_BYTES and b"<!ENTITY" in head:
        raise DataFileError(
            str(path),
            f"refused: its DTD is longer than {_human(_PROLOG_BYTES)}; remove the DTD entities",
        )
    return longest


@contextlib.contextmanager
def _open_data(
    path: Path,
    gz: bool,
    report: Callable[[int], None],
    budget: _Budget,
    expansion: int,
    checker: _Checker | None,
) -> Iterator[IO[bytes]]:
    raw = open(path, "rb")  # noqa: SIM115 - closed by the reader below
    reader: IO[bytes] = io.BufferedReader(_CountingReader(raw, report), buffer_size=1 << 20)
    try:
        if gz:
            with gzip.GzipFile(fileobj=reader, mode="rb") as unzipped:
                limited = _LimitedReader(
                    unzipped,  # type: ignore[arg-type]
                    budget,
                    path,
                    expansion,
                    checker or _Checker(),
                )
                yield io.BufferedReader(limited, buffer_size=1 << 20)
        elif checker is not None:
            limited = _LimitedReader(reader, budget, path, expansion, checker)
            yield io.BufferedReader(limited, buffer_size=1 << 20)
        else:  # its size was charged before the load began
            yield reader
    finally:
        reader.close()


def _checker(fmt: ox.RdfFormat, path: Path) -> _Checker | None:
    """What to check in a file of this format while it loads (``None``: nothing)."""
    if fmt == ox.RdfFormat.RDF_XML:
        return _XmlCheck(path)
    if fmt == ox.RdfFormat.JSON_LD:
        return _JsonDepth(path)
    return None


class _Prefixed(io.RawIOBase):
    """``prefix`` then everything ``rest`` reads."""

    def __init__(self, prefix: bytes, rest: IO[bytes]):
        self._prefix = io.BytesIO(prefix)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = self._prefix.readinto(buffer)
        if n:
            return n
        return int(self._rest.readinto(buffer) or 0)  # type: ignore[attr-defined]


def _bundled_lines() -> bytes:
    """The bundled graph as N-Quads lines (each layer in its named graph), to go in front of an
    N-Triples or N-Quads file, so that one bulk load writes both. Its blank nodes get labels of
    their own, so that they cannot merge with the file's (labels are scoped to one document)."""
    import uuid

    tag = uuid.uuid4().hex
    fresh: dict[str, ox.BlankNode] = {}

    def relabel(term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            return fresh.setdefault(term.value, ox.BlankNode(f"relaxgraph{tag}x{term.value}"))
        return term

    quads = [
        ox.Quad(relabel(q.subject), q.predicate, relabel(q.object), q.graph_name)
        for q in bundled_store()
    ]
    return as_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))


def as_bytes(data: bytes | None) -> bytes:
    if data is None:  # pragma: no cover - only when an output file is given
        raise TypeError("expected serialized bytes")
    return data


def _load_one(
    store: ox.Store,
    path: Path,
    to_graph: ox.NamedNode | None,
    report: Callable[[int], None],
    budget: _Budget,
    prefix: bytes = b"",
) -> None:
    """Bulk-load one file (after ``prefix``, lines of the same format, if given)."""
    fmt, gz = rdf_format(path)
    if not path.is_file():
        raise DataFileError(str(path), "no such file" if not path.exists() else "not a file")
    base = path.resolve().as_uri()
    try:
        expansion = _xml_entities(path, gz) if fmt == ox.RdfFormat.RDF_XML else 0
        with _open_data(path, gz, report, budget, expansion, _checker(fmt, path)) as data:
            source = io.BufferedReader(_Prefixed(prefix, data), 1 << 20) if prefix else data
            # the bundled layers come as N-Quads (each in its named graph); N-Triples lines
            # are N-Quads lines too, so the file after them reads the same
            load_as = ox.RdfFormat.N_QUADS if prefix else fmt
            store.bulk_load(input=source, format=load_as, base_iri=base, to_graph=to_graph)
    except SyntaxError as exc:
        line, column = _position(exc)
        if line is not None and prefix:
            line -= prefix.count(b"\n")
        raise DataFileError(str(path), _message(exc), line, column) from None
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise DataFileError(str(path), f"not a complete gzip file ({exc})") from None
    except OSError as exc:
        if exc.errno == errno.ENOSPC or "space" in str(exc).lower():
            raise StoreError(f"no space left while loading {path}: {exc}") from None
        raise DataFileError(str(path), f"cannot read the file ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise DataFileError(str(path), str(exc)) from None


@dataclass
class LoadReport:
    """What :func:`load_files` did."""

    store: ox.Store
    """The loaded store, open for reading (on disk) or in memory."""
    path: Path | None
    """The store's folder, or ``None`` for an in-memory store."""
    files: list[Path] = field(default_factory=list)
    bytes_read: int = 0
    seconds: float = 0.0

    def __len__(self) -> int:
        """The number of quads in the store (counts them: a scan of the whole store)."""
        return len(self.store)


def load_files(
    paths: Sequence[str | os.PathLike[str]],
    store_path: str | os.PathLike[str] | None = None,
    *,
    progress: Progress | None = None,
    graph: str | None = None,
    bundled: bool = True,
    replace: bool = False,
    max_size: int | None = DEFAULT_MAX_SIZE,
) -> LoadReport:
    """Bulk-load RDF files into a store and return a :class:`LoadReport`.

    - ``store_path=None``: a new in-memory store; else an on-disk store at that folder,
      created if missing. An existing store keeps its content and gains the files'
      (``replace=True`` starts from scratch instead).
    - A new store starts with the bundled graph (``bundled=False`` leaves it out).
    - The format comes from each file's extension (see :data:`FORMATS`); ``.gz`` files are
      decompressed on the fly. Triples go to the default graph, or to the named graph
      ``graph``; quads (N-Quads, TriG) keep their own graphs.
    - On disk the load is crash-safe: the new store is built beside the old one and swapped
      in with renames once complete; on any error (a malformed file, an interruption) the
      previous store stays as it was.

    - ``max_size`` bounds the bytes of RDF read, all files together, after decompression
      (``None``: no limit); RDF/XML files may not declare nested, parameter or external
      XML entities. Either way the load stops with :class:`InputTooLargeError` or
      :class:`DataFileError` before building anything out of bounds.
    - Only one process writes a store at a time: a load, or an update through
      :func:`writable_store`, holds the store's lock file (``.NAME.lock`` beside it); another
      writer gets :class:`StoreBusyError` naming the process that holds it.

    Raises :class:`DataFileError` for a missing, unknown or malformed file (with its line),
    :class:`InvalidIRIError` for a ``graph`` that is not an absolute IRI, and
    :class:`StoreError` for a store path that cannot be used.
    """
    files = [Path(p) for p in paths]
    budget = _Budget(max_size)
    for f in files:  # fail before doing any work
        _, gz = rdf_format(f)
        if not f.is_file():
            raise DataFileError(str(f), "no such file" if not f.exists() else "not a file")
        if not gz:  # a plain file is read as it is: charge it now (gzip is charged as it inflates)
            budget.charge(f.stat().st_size, f)
    to_graph = _graph_node(graph)
    total = sum(f.stat().st_size for f in files)
    done = 0

    def report(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    started = time.perf_counter()
    if store_path is None:
        store = bundled_store() if bundled else ox.Store()
        for f in files:
            _load_one(store, f, to_graph, report, budget)
        return LoadReport(store, None, files, done, time.perf_counter() - started)

    target = _store_path(store_path)
    loading, previous, _ = _siblings(target)
    if not target.parent.is_dir():
        raise StoreError(
            f"cannot create the store {target}: the folder {target.parent} does not exist"
        )
    with _writer_lock(target):
        _recover(target)
        fresh = replace or not target.exists() or _is_empty_dir(target)
        if target.exists() and not fresh and not is_store(target):
            _check_store_path(target)  # raises with the reason
        if target.exists() and replace and not is_store(target) and not _is_empty_dir(target):
            _check_store_path(target)  # never replace a folder that is not a store
        shutil.rmtree(loading, ignore_errors=True)  # left by an interrupted load
        try:
            prefix = b""
            if fresh:
                store = ox.Store(str(loading))
                first = rdf_format(files[0])[0] if files else None
                if bundled and to_graph is None and first in _LINE_FORMATS:
                    # one bulk load for both: two would leave two sets of files, which
                    # queries read about 1.2x slower until an `optimize` merges them
                    prefix = _bundled_lines()
                elif bundled:
                    store.bulk_extend(bundled_store())
            else:
                try:
                    ox.Store(str(target)).backup(str(loading))
                except OSError as exc:
                    raise _store_os_error(target, exc) from None
                store = ox.Store(str(loading))
            for i, f in enumerate(files):
                _load_one(store, f, to_graph, report, budget, prefix if i == 0 else b"")
            if prefix and rdf_format(files[0])[0] == ox.RdfFormat.N_TRIPLES:
                _check_triples_only(store, files[0])
            store.flush()
            if not fresh or (bundled and not prefix):
                # more than one set of files (a copy and new data, or the bundled graph and
                # the data): merge them, for queries' sake. A single bulk load needs none.
                store.optimize()
            del store
            if is_store(target):
                _check_no_open_writer(target)  # an update would be lost with the old store
        except BaseException:
            shutil.rmtree(loading, ignore_errors=True)
            raise
        _swap(loading, target, previous)
    return LoadReport(open_store(target), target, files, done, time.perf_counter() - started)


def _check_triples_only(store: ox.Store, path: Path) -> None:
    """Refuse an N-Triples file that held quads.

    Behind the bundled layers' N-Quads lines the file is read by the N-Quads parser, which
    also takes four-term lines: a malformed ``.nt`` file could then write into named graphs,
    the layers' included. The layer graphs must hold exactly the bundled quads and no other
    named graph may exist; if not, the file is read again as N-Triples (only on this error
    path) for the parser's own message and line.
    """
    expected: dict[str, int] = {}
    for quad in bundled_store():
        name = quad.graph_name
        if isinstance(name, ox.NamedNode):
            expected[name.value] = expected.get(name.value, 0) + 1
    graphs = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
    clean = graphs <= set(expected) and all(
        sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(g))) == n
        for g, n in expected.items()
    )
    if clean:
        return
    _, gz = rdf_format(path)
    try:
        with path.open("rb") as raw:
            handle = cast("IO[bytes]", gzip.GzipFile(fileobj=raw, mode="rb") if gz else raw)
            for _ in ox.parse(handle, format=ox.RdfFormat.N_TRIPLES):
                pass
    except SyntaxError as exc:
        line, column = _position(exc)
        raise DataFileError(str(path), _message(exc), line, column) from None
    raise DataFileError(
        str(path), "the file holds quads (a graph name on a line); N-Quads files end in .nq"
    )


def _is_empty_dir(p: Path) -> bool:
    return p.is_dir() and not any(p.iterdir())


def _swap(new: Path, target: Path, previous: Path) -> None:
    """Put ``new`` at ``target``, keeping the old one (as ``previous``) until it is in place."""
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        os.rename(target, previous)
    os.rename(new, target)
    _fsync_dir(target.parent)
    shutil.rmtree(previous, ignore_errors=True)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _graph_node(graph: str | None) -> ox.NamedNode | None:
    """The named graph to load into, or ``None``; raises :class:`InvalidIRIError` for a non-IRI."""
    if not graph:
        return None
    shown = graph if len(graph) <= 80 else graph[:60] + "…"
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", graph):
        raise InvalidIRIError(
            f"--graph {shown!r} is not an absolute IRI; give one such as "
            "https://example.org/graph/chebi"
        )
    try:
        return ox.NamedNode(graph)
    except ValueError as exc:
        raise InvalidIRIError(f"--graph {shown!r} is not a valid IRI ({exc})") from None


def _check_no_open_writer(target: Path) -> None:
    """Raise :class:`StoreError` if a process (even one not using relaxgraph) has ``target``
    open for writing: swapping the store would silently drop what it writes."""
    try:
        probe = ox.Store(str(target))
    except OSError as exc:
        raise _store_os_error(target, exc) from None
    del probe


def _lock_holder(fd: int) -> int | None:
    """The process id written in a lock file, if any."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


@contextlib.contextmanager
def _writer_lock(target: Path) -> Iterator[None]:
    """Hold the store's writer lock (``.NAME.lock`` beside it) with this process's id in it.

    Every relaxgraph write to a store (a load, an update) holds it, so writers exclude each
    other: the second gets :class:`StoreBusyError` naming the first, instead of a lost write.
    The file is removed on release; a writer that opened it just before checks, once it holds
    the lock, that the file is still the one in place (else it tries again).
    """
    import fcntl

    lock = _siblings(target)[2]
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(
                f"cannot write the store {target}: cannot create its lock file "
                f"{lock.name} in {lock.parent} ({exc.strerror or exc})"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _lock_holder(fd)
            os.close(fd)
            raise StoreBusyError(str(target), holder) from None
        if _same_file(fd, lock):
            break
        os.close(fd)  # its holder removed it as we opened it: take the new one
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()  # while still holding it: nothing is left behind
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.stat(path).st_ino == os.fstat(fd).st_ino
    except OSError:
        return False


def _check_not_locked(target: Path) -> None:
    """Raise :class:`StoreBusyError` if another process holds ``target``'s writer lock."""
    import fcntl

    lock = _siblings(target)[2]
    try:
        fd = os.open(lock, os.O_RDONLY)
    except OSError:
        return  # no lock file: no relaxgraph process has written here
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreBusyError(str(target), _lock_holder(fd)) from None
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextlib.contextmanager
def writable_store(path: str | os.PathLike[str]) -> Iterator[ox.Store]:
    """Open an on-disk store for writing, holding its writer lock until the block ends.

    ``relaxgraph query --allow-update`` writes through this, so an update never runs during
    a load (whose swap would drop it) or during another update: the second writer gets
    :class:`StoreBusyError` ("store S is being written by another relaxgraph process (pid N)").
    """
    target = _store_path(path)
    _recover(target)
    _check_store_path(target)  # before the lock: say "no store here" rather than "cannot lock"
    with _writer_lock(target):
        _recover(target)
        _check_store_path(target)
        try:
            store = ox.Store(str(target))
        except OSError as exc:
            raise _store_os_error(target, exc) from None
        yield store
        store.flush()
