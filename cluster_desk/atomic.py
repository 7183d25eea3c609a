"""Write a file so that readers see the old one or the complete new one, never half of it.

One mechanism for every file the app writes (exports, project copies, new projects): write a
hidden sibling temp file ``.NAME.<pid>.<hex>.tmp`` (same folder, so the rename is atomic), fsync
it, ``os.replace`` it over ``NAME``, fsync the folder so the rename survives a power cut. On any
error the temp file is removed and ``NAME`` is untouched.

A killed process leaves its temp file behind; the pid in the name lets the next run remove the
ones whose process is gone (``remove_stale_temps``). Qt-free, imports nothing of ours.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = [
    "WRITE_BUFFER",
    "atomic_open",
    "atomic_path",
    "fsync_dir",
    "fsync_file",
    "remove_stale_temps",
    "temp_sibling",
]

#: Bytes buffered between two writes to the file. Exports run on a worker thread, and each
#: write() lets go of the GIL: with the default 8 KB that was every few hundred rows, and each
#: let-go woke the GUI thread waiting for it, which restarted its wait before it could demand a
#: switch while the worker took the GIL straight back. The window then froze for as long as the
#: writes kept coming (CSV export at 100,000 members: 150-600 ms at a time, issue 17). A write a
#: megabyte leaves that wait time to run out, and the GUI thread gets its turn.
WRITE_BUFFER = 1 << 20

#: ``.NAME.<pid>.<8 hex>.tmp``, plus the ``-journal`` SQLite may leave beside a temp database.
_TEMP_RE = re.compile(r"\A\.(?P<name>.+)\.(?P<pid>[0-9]+)\.[0-9a-f]{8}\.tmp(?:-journal)?\Z")


def temp_sibling(path: Path) -> Path:
    """A fresh hidden temp name next to ``path`` (same file system, so os.replace is atomic)."""
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def fsync_file(path: Path) -> None:
    """Flush a written file to the disk (a rename of an unflushed file can leave it empty)."""
    fd = os.open(path, os.O_RDONLY if sys.platform != "win32" else os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename durable; folders cannot be opened for fsync on Windows."""
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(dest: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temp path to write ``dest``'s new content to; it replaces ``dest`` when the block ends.

    The block may write the path any way it likes (a library's ``save(path)``, SQLite); the file
    is then fsynced and renamed over ``dest``. An exception leaves ``dest`` as it was and removes
    the temp file (and a ``-journal`` beside it).
    """
    dest = Path(dest)
    remove_stale_temps(dest.parent, dest.name)
    tmp = temp_sibling(dest)
    try:
        yield tmp
        fsync_file(tmp)
        os.replace(tmp, dest)
        fsync_dir(dest.parent)
    except BaseException:
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_open(dest: str | os.PathLike[str], mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """``open()`` for writing that replaces ``dest`` only when the block completes.

    ``mode`` is "w" or "wb" (the temp file is created exclusively); ``kwargs`` go to ``open``
    (encoding, newline).
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open writes whole files; mode {mode!r} is not supported")
    kwargs.setdefault("buffering", WRITE_BUFFER)
    with atomic_path(dest) as tmp, tmp.open(mode.replace("w", "x"), **kwargs) as f:
        yield f
        f.flush()


def _pid_is_gone(pid: int) -> bool:
    if pid == os.getpid():
        return False
    if sys.platform == "win32":
        return False  # os.kill(pid, 0) would send CTRL_C_EVENT there: keep the file
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # PermissionError: alive, another user's
        return False
    return False


def remove_stale_temps(folder: Path, name: str | None = None) -> list[Path]:
    """Remove the temp files in ``folder`` left by processes of ours that no longer run.

    Only names of our exact pattern whose pid is not a running process are touched (a temp file
    being written right now by another process has a live pid). ``name`` limits the clean-up to
    the temp files of one destination. Returns what was removed; errors are ignored (a folder we
    cannot list or a file we cannot remove is simply left).
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP_RE.match(entry.name)
        if match is None or (name is not None and match["name"] != name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False) or not _pid_is_gone(int(match["pid"])):
                continue
            os.unlink(entry.path)
        except (OSError, ValueError):
            continue
        removed.append(Path(entry.path))
    return removed
