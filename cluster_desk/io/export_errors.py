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

__all__ = ["CAUSES_EN", "ExportError", "reporting_export_errors"]

#: errno -> cause code (the window translates the code; str() says it in English).
_CAUSE_OF_ERRNO = {
    errno.ENOSPC: "disk_full", errno.EDQUOT: "quota", errno.EFBIG: "too_large",
    errno.EROFS: "read_only", errno.EACCES: "permission", errno.EPERM: "permission",
    errno.ENOENT: "no_folder", errno.ENOTDIR: "no_folder", errno.EISDIR: "is_folder",
}  # fmt: skip
CAUSES_EN = {
    "disk_full": "the disk is full",
    "quota": "the disk quota is exceeded",
    "too_large": "the file is larger than this system allows",
    "read_only": "the disk is read-only",
    "permission": "permission denied",
    "no_folder": "the folder does not exist",
    "is_folder": "it is a folder",
}


class ExportError(OSError):
    """An export could not be written: the destination the user chose and why.

    ``cause`` is a code from CAUSES_EN, or "other" with the system's words in ``detail``;
    str() is one English line: "<destination>: cannot write the export (<cause>)".
    """

    def __init__(self, destination: Path, cause: str, detail: str = "") -> None:
        self.destination, self.cause, self.detail = destination, cause, detail
        super().__init__(f"{destination}: cannot write the export ({CAUSES_EN.get(cause, detail)})")


def _cause(e: BaseException) -> tuple[str, str]:
    if isinstance(e, OSError) and e.errno in _CAUSE_OF_ERRNO:
        return _CAUSE_OF_ERRNO[e.errno], ""
    if isinstance(e, sqlite3.Error) and "disk is full" in str(e):
        return "disk_full", ""
    if isinstance(e, OSError) and e.strerror:
        return "other", e.strerror  # without the file name: it would be the hidden temp file
    return "other", " ".join(str(e).split()) or type(e).__name__


@contextmanager
def reporting_export_errors(destination: str | os.PathLike[str]) -> Iterator[None]:
    """Turn a write failure inside the block into an ExportError naming ``destination``."""
    try:
        yield
    except ExportError:
        raise
    except (OSError, sqlite3.Error) as e:
        raise ExportError(Path(destination), *_cause(e)) from e
