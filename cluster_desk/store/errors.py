"""The store's errors and notices: what the user is told when a project cannot be used.

Each carries facts for the text renderer (``code`` and JSON-safe ``params``; rendered in the
user's language by ``cluster_desk.text.store_text``) and an English line as ``str()`` (the
command line, logs). Messages made before the renderer existed have ``code == ""``: their
``str()`` is all there is.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any


class ProjectError(Exception):
    """A project file cannot be opened, created or written; ``str()`` is shown to the user."""

    def __init__(self, message: str, code: str = "", params: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.params: dict[str, Any] = dict(params or {})


class ProjectBusy(ProjectError):
    """Another window or program is writing to the project (an import, a merge): try again later."""


class RecordGone(ProjectError, KeyError):
    """The record being edited was deleted by another window or program.

    A KeyError too, so code that handles a missing record keeps working; ``str()`` is the message.
    """

    def __init__(self, path: Path, what: str, record_id: str, label: str) -> None:
        super().__init__(
            f"{path}: the {what} «{label}» was deleted in another window or program; "
            "the change was not saved.",
            "record_gone",
            {"path": str(path), "what": what, "name": label},
        )
        self.record_id = record_id

    def __str__(self) -> str:
        return str(self.args[0])


class Notice(str):
    """Something found and handled on open (a stray journal set aside): a line to show the user,
    with ``code`` and ``params`` for the renderer like ProjectError."""

    code: str
    params: dict[str, Any]

    def __new__(cls, message: str, code: str, params: Mapping[str, Any]) -> Notice:
        notice = super().__new__(cls, message)
        notice.code = code
        notice.params = dict(params)
        return notice


#: Cause codes (``params["cause"]``) and their English words.
CAUSES: dict[str, str] = {
    "disk_full": "the disk is full",
    "read_only": (
        "the file or its folder is read-only (the folder must be writable too: "
        "a journal is written beside the project while it saves)"
    ),
    "busy": "the project is busy (import in progress in another window or program)",
    "io_error": "the disk reported an error while writing (is it full or removed?)",
    "cant_open": "the file or its folder cannot be opened for writing",
}


def cause_code(e: BaseException) -> str:
    """The reason behind an SQLite or OS error as a code of CAUSES, or "" if none fits."""
    code = getattr(e, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(e)
    if isinstance(e, OSError):
        if e.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
            return "disk_full"
        if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return "read_only"
        return ""
    if primary == sqlite3.SQLITE_FULL or "database or disk is full" in text:
        return "disk_full"
    if primary == sqlite3.SQLITE_READONLY or "readonly database" in text:
        return "read_only"
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "database is locked" in text:
        return "busy"
    if primary == sqlite3.SQLITE_IOERR or "disk I/O error" in text:
        return "io_error"
    if primary == sqlite3.SQLITE_CANTOPEN or "unable to open database file" in text:
        return "cant_open"
    return ""


def detail(e: BaseException) -> str:
    """The error's own words, for a cause we have no code for."""
    if isinstance(e, OSError) and e.strerror:
        return e.strerror
    return str(e)


def cause(e: BaseException) -> str:
    """The reason behind an SQLite or OS error, in English words a user can act on."""
    return CAUSES.get(cause_code(e)) or detail(e)


def cause_params(e: BaseException) -> dict[str, str]:
    return {"cause": cause_code(e), "detail": detail(e)}


def save_error(path: Path, e: BaseException) -> ProjectError:
    """One line naming the file and the cause; ProjectBusy when another writer holds the file."""
    params = {"path": str(path), **cause_params(e)}
    if params["cause"] == "busy":
        return ProjectBusy(
            f"{path}: the project is busy (import in progress in another window or program); "
            "the change was not saved, try again when it has finished.",
            "busy",
            params,
        )
    return ProjectError(f"{path}: the change was not saved: {cause(e)}.", "not_saved", params)


def copy_error(dest: Path, e: BaseException) -> ProjectError:
    return ProjectError(
        f"Could not save a copy to {dest}: {cause(e)}.", "copy_failed", {"path": str(dest), **cause_params(e)}
    )
