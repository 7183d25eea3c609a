"""The store's errors: what the user is shown when a project cannot be used, in one line.

User-facing texts are English for now (the text renderer of issue 9.1 will take them over).
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path


class ProjectError(Exception):
    """A project file cannot be opened, created or written; ``str()`` is shown to the user."""


class ProjectBusy(ProjectError):
    """Another window or program is writing to the project (an import, a merge): try again later."""


class RecordGone(ProjectError, KeyError):
    """The record being edited was deleted by another window or program.

    A KeyError too, so code that handles a missing record keeps working; ``str()`` is the message.
    """

    def __init__(self, message: str, record_id: str) -> None:
        super().__init__(message)
        self.record_id = record_id

    def __str__(self) -> str:
        return str(self.args[0])


def cause(e: BaseException) -> str:
    """The reason behind an SQLite or OS error, in words a user can act on."""
    code = getattr(e, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(e)
    if isinstance(e, OSError):
        if e.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
            return "the disk is full"
        if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return "the file or its folder is read-only"
        return e.strerror or text
    if primary == sqlite3.SQLITE_FULL or "database or disk is full" in text:
        return "the disk is full"
    if primary == sqlite3.SQLITE_READONLY or "readonly database" in text:
        return (
            "the file or its folder is read-only (the folder must be writable too: "
            "a journal is written beside the project while it saves)"
        )
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "database is locked" in text:
        return "the project is busy (import in progress in another window or program)"
    if primary == sqlite3.SQLITE_IOERR or "disk I/O error" in text:
        return "the disk reported an error while writing (is it full or removed?)"
    if primary == sqlite3.SQLITE_CANTOPEN or "unable to open database file" in text:
        return "the file or its folder cannot be opened for writing"
    return text


def is_busy(e: BaseException) -> bool:
    code = getattr(e, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return True
    return "database is locked" in str(e)


def save_error(path: Path, e: BaseException, doing: str = "the change was not saved") -> ProjectError:
    """One line naming the file and the cause; ProjectBusy when another writer holds the file."""
    if is_busy(e):
        return ProjectBusy(
            f"{path}: the project is busy (import in progress in another window or program); "
            f"{doing}, try again when it has finished."
        )
    return ProjectError(f"{path}: {doing}: {cause(e)}.")
