"""What exporters report: one line naming the destination the user chose and the cause.

Exports write a hidden temp file next to the destination and rename it; a failure (full disk,
read-only folder, file too large) must name the destination, never the temp file, and must
leave an existing destination as it was (the temp file is removed by the exporter).
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["ExportError", "reporting_export_errors"]

_CAUSES = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EFBIG: "the file is larger than this system allows",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "the folder does not exist",
    errno.EISDIR: "it is a folder",
}


class ExportError(OSError):
    """An export could not be written. str() is one line: "<destination>: cannot write ... (cause)"."""


def _cause(e: BaseException) -> str:
    if isinstance(e, OSError) and e.errno in _CAUSES:
        return _CAUSES[e.errno]
    if isinstance(e, OSError) and e.strerror:
        return e.strerror  # without the file name: it would be the hidden temp file
    if isinstance(e, sqlite3.Error):
        text = str(e)
        return "the disk is full" if "disk is full" in text else text
    return " ".join(str(e).split()) or type(e).__name__


@contextmanager
def reporting_export_errors(destination: str | os.PathLike[str]) -> Iterator[None]:
    """Turn a write failure inside the block into an ExportError naming ``destination``."""
    try:
        yield
    except ExportError:
        raise
    except (OSError, sqlite3.Error) as e:
        raise ExportError(f"{Path(destination)}: cannot write the export ({_cause(e)})") from e
