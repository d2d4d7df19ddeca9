"""Writing output files so that nothing is ever half-written, and special files still work.

- A regular file, or a new path, is written atomically: the data goes to a temporary file
  in the same folder, which is then renamed over the target. A reader sees the old file or
  the whole new one, never a part; on any error the old file stays and no temporary is left.
- A symbolic link is followed: its target is written (atomically), and the link stays a link.
- Anything else that exists (a FIFO, a terminal, ``/dev/null``, ``/dev/stdout``) is written
  through, as a shell's ``>`` would: replacing it with a regular file would lose the data
  for whoever reads it. ``/dev/stdout``, ``/dev/stderr`` and ``/dev/fd/N`` write to this
  process's own file descriptor, so ``-o /dev/stdout >> log`` appends as the shell expects.

Every failure is an :class:`~relaxgraph.errors.OutputPathError` (exit code 2) naming the path and
what to do: an empty path, a folder, a missing or read-only folder, a full file system.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import tempfile
from pathlib import Path

from .errors import OutputPathError
from .views._terminal import abbreviate

__all__ = ["write_atomic"]

#: Paths that name one of this process's own file descriptors.
_OWN_FD = re.compile(r"^/(?:dev/(?:std(?P<std>out|err)|fd/(?P<fd>\d+))|proc/self/fd/(?P<pfd>\d+))$")
#: Pseudo file systems: never put a temporary file there; write through instead.
_PSEUDO = ("/dev/", "/proc/", "/sys/")
_SHOWN = 120


def shown(path: str | os.PathLike[str]) -> str:
    """A path as an error message quotes it: long ones are cut in the middle.

    >>> shown("a" * 300)[:10], len(shown("a" * 300)) < 200
    ('aaaaaaaaaa', True)
    """
    return abbreviate(os.fspath(path), _SHOWN, tail=40)


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path``: atomically for a regular file or a new path, through
    for a FIFO or a device, to the target of a symbolic link. Returns the path written.

    Raises :class:`~relaxgraph.errors.OutputPathError` when the path cannot be written.
    """
    text = os.fspath(path)
    if not text:
        raise OutputPathError("the output path is empty (''); give a file name, or - for stdout")
    if "\0" in text:
        raise OutputPathError(f"the output path {shown(text)!r} contains a NUL character")
    target = Path(text)
    own_fd = _own_fd(text)
    if own_fd is not None:
        _write_fd(own_fd, data, target)
        return target
    info = _stat(target)
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputPathError(
            f"cannot write {shown(target)}: it is a folder; give a file name inside it "
            f"(e.g. {shown(target / 'out.ttl')})"
        )
    if text.endswith("/"):
        raise OutputPathError(
            f"cannot write {shown(text)}: a path ending in / names a folder; give a file name"
        )
    if info is not None and (
        not stat.S_ISREG(info.st_mode) or os.path.abspath(text).startswith(_PSEUDO)
    ):
        _write_through(target, data)
        return target
    real = Path(os.path.realpath(target))  # a symbolic link: write its target, keep the link
    _replace(real, data, None if info is None else stat.S_IMODE(info.st_mode), shown_as=target)
    return target


def _own_fd(text: str) -> int | None:
    m = _OWN_FD.match(os.path.abspath(text))
    if m is None:
        return None
    if m.group("std"):
        return 1 if m.group("std") == "out" else 2
    return int(m.group("fd") or m.group("pfd"))


def _stat(target: Path) -> os.stat_result | None:
    """``os.stat`` (following links), or ``None`` for a path that does not exist yet."""
    try:
        return os.stat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _error(target, exc) from None


def _error(target: Path, exc: OSError, folder: Path | None = None) -> OutputPathError:
    """An :class:`OutputPathError` that says what went wrong in words and what to do."""
    where = shown(target)
    code = exc.errno
    if code == errno.ENOTDIR:
        return OutputPathError(f"cannot write {where}: a part of that path is a file, not a folder")
    if code in (errno.ENOSPC, errno.EDQUOT):
        return OutputPathError(
            f"cannot write {where}: no space left on the device (nothing was written); "
            "free some space or write elsewhere"
        )
    if code == errno.EROFS:
        return OutputPathError(
            f"cannot write {where}: the file system is read-only; write elsewhere"
        )
    if code in (errno.EACCES, errno.EPERM):
        inside = f" in {shown(folder)}" if folder is not None else ""
        return OutputPathError(
            f"cannot write {where}: permission denied{inside}; write somewhere you may write"
        )
    if code == errno.ENAMETOOLONG:
        return OutputPathError(f"cannot write {where}: the file name is too long")
    if code == errno.ENOENT:
        return OutputPathError(f"cannot write {where}: no such file or folder")
    if code == errno.ELOOP:
        return OutputPathError(f"cannot write {where}: too many levels of symbolic links")
    if code == errno.ENXIO:
        return OutputPathError(
            f"cannot write {where}: nothing is reading it (a socket or a device)"
        )
    reason = exc.strerror or str(exc)
    return OutputPathError(f"cannot write {where}: {reason[:200]}")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _write_fd(fd: int, data: bytes, target: Path) -> None:
    """Write to one of this process's own file descriptors (``/dev/stdout``)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    try:
        _write_all(fd, data)
    except OSError as exc:
        raise _error(target, exc) from None


def _write_through(target: Path, data: bytes) -> None:
    """Write into an existing FIFO or device, as ``>`` would (no temporary, no rename)."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_TRUNC)
    except OSError as exc:
        raise _error(target, exc) from None
    try:
        _write_all(fd, data)
    except OSError as exc:
        raise _error(target, exc) from None
    finally:
        os.close(fd)


def _replace(real: Path, data: bytes, mode: int | None, shown_as: Path) -> None:
    """Write ``real`` through a temporary file in its folder, renamed over it when complete."""
    folder = real.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist; create it first"
        raise OutputPathError(f"cannot write {shown(shown_as)}: the folder {shown(folder)} {what}")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name[:100]}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _error(shown_as, exc, folder) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask  # mkstemp makes 0600; give a new file the usual mode
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _error(shown_as, exc, folder) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
