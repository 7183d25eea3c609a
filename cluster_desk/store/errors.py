"""The store's errors and notices: what the user is told when a project cannot be used.

Each carries facts for the text renderer (``code`` and JSON-safe ``params``; rendered in the
user's language by ``cluster_desk.text.store_text``) and an English line as ``str()`` (logs,
scripts). The English lines are the templates of MESSAGES; the renderer writes the same
sentences through the .ts catalogues (tests/store/test_store_text.py checks that they agree and
that every code speaks Russian). Raise with ``ProjectError.of(code, path=..., ...)``.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Self

#: code -> English line (str.format fields are the params; ``because`` is the cause in words,
#: from ``cause`` and ``detail``). Numbers the renderer groups by thousands are ``{n:,}`` here.
MESSAGES: dict[str, str] = {
    # opening: the file guard
    "not_found": "{path} does not exist.",
    "cant_read": "{path} cannot be read: {detail}.",
    "not_a_file": "{path} is not a file.",
    "empty": "{path} is empty (0 bytes): it is not a Cluster Desk project.",
    "zip_archive": "{path} is a ZIP archive, not a Cluster Desk project.",
    "not_sqlite": "{path} is not a Cluster Desk project (it is not an SQLite database).",
    "truncated": "{path} is truncated ({size:,} bytes): the project file is damaged.",
    "truncated_header": (
        "{path} is truncated ({size:,} bytes; its header says {expected:,}): the project file is damaged."
    ),
    "other_program": "{path} is an SQLite database of another program, not a Cluster Desk project.",
    "newer_format": (
        "{path} was saved by a newer Cluster Desk (format {version}; this version reads up to "
        "{current}). Please update Cluster Desk to open it."
    ),
    "bad_format_number": "{path} is damaged (invalid format number {version}).",
    "bad_page_size": "{path} is damaged (invalid page size {page_size}).",
    "damaged": "{path} is damaged or not a Cluster Desk project ({detail}).",
    "damaged_check": "{path} is damaged: {detail}.",
    "cant_open": "{path} cannot be opened: {detail}.",
    "foreign_objects": (
        "{path} contains triggers or views that Cluster Desk did not create ({names}); it was not "
        "opened because they could run code when the project is edited."
    ),
    "wrong_tables": (
        "{path} does not have the tables of a Cluster Desk project (format {version}); it may have "
        "been changed by another program."
    ),
    "sqlite_too_old": "Cluster Desk needs SQLite {need} or newer; this Python has {have}.",
    "upgrade_copy_failed": (
        "{path} is in an older format (format {version}); a copy could not be kept as {copy} "
        "before upgrading it ({detail}), so it was not changed."
    ),
    # creating, opening for editing, upgrading
    "exists": "{path} already exists; choose another name.",
    "cant_create": "{path} cannot be created: {because}.",
    "recovery_failed": "{path} could not be recovered after a crash: {because}.",
    "cant_edit": "{path} cannot be opened for editing: {because}.",
    "upgrade_failed": (
        "{path} could not be upgraded from format {version} to {to}: {because}. "
        "The file was left at its last complete format."
    ),
    "upgrade_incomplete": "{path} does not have the expected tables after the upgrade.",
    "closed": "{path} is closed.",
    # reading records and settings
    "setting_damaged": "{path}: setting “{key}” is damaged ({detail}).",
    "settings_invalid": "{path}: the stored settings are invalid ({detail}).",
    "changelog_damaged": "{path}: the change log is damaged ({detail}).",
    "members_unknown_value": "{path}: a member has an unknown kind, status or industry {detail}.",
    "member_unknown_value": "{path}: member “{id}” has an unknown kind, status or industry {detail}.",
    "links_unknown_kind": "{path}: a link has an unknown kind {detail}.",
    "link_unknown_kind": "{path}: link “{id}” has an unknown kind {detail}.",
    # writing
    "busy": (
        "{path}: the project is busy (import in progress in another window or program); "
        "the change was not saved, try again when it has finished."
    ),
    "not_saved": "{path}: the change was not saved: {because}.",
    "record_gone": (
        "{path}: the {what} «{name}» was deleted in another window or program; the change was not saved."
    ),
    "copy_failed": "Could not save a copy to {path}: {because}.",
    "copy_is_self": "{path} is the open project itself; choose another file for the copy.",
    "backup_failed": "{path}: the automatic copy before the {reason} could not be made ({because}).",
    # field copies (store.merge) and team working copies (team/)
    "copy_is_master": "{path} is the master project itself, not a field copy.",
    "not_field_copy": (
        "{path} is not a field copy (it has no field-copy marker); only copies made with "
        "“Export field copy” can be merged."
    ),
    "other_projects_copy": "{path} is a field copy of another project, not of {master}.",
    "team_settings_damaged": "{path}: the team server settings are damaged ({detail}).",
    "not_working_copy": (
        "{path} is not a working copy of a team cluster "
        "(use `cluster-desk clone` or `cluster-desk server publish` first)."
    ),
    "already_working_copy": "{path} is already a working copy of cluster «{cluster}».",
}


def english(code: str, params: Mapping[str, Any]) -> str:
    """The English line of ``code`` (MESSAGES) with ``params`` filled in."""
    fields = dict(params)
    if "cause" in fields:
        fields["because"] = CAUSES.get(fields["cause"]) or fields.get("detail", "")
    return MESSAGES[code].format(**fields)


class ProjectError(Exception):
    """A project file cannot be opened, created or written; ``str()`` is shown to the user."""

    def __init__(self, message: str, code: str = "", params: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.params: dict[str, Any] = dict(params or {})

    @classmethod
    def of(cls, code: str, **params: Any) -> Self:
        """The error ``code`` of MESSAGES; paths become text (params stay JSON-safe)."""
        facts = {k: str(v) if isinstance(v, Path) else v for k, v in params.items()}
        return cls(english(code, facts), code, facts)


class ProjectBusy(ProjectError):
    """Another window or program is writing to the project (an import, a merge): try again later."""


class RecordGone(ProjectError, KeyError):
    """The record being edited was deleted by another window or program.

    A KeyError too, so code that handles a missing record keeps working; ``str()`` is the message.
    """

    def __init__(self, path: Path, what: str, record_id: str, label: str) -> None:
        params = {"path": str(path), "what": what, "name": label}
        super().__init__(english("record_gone", params), "record_gone", params)
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
        return ProjectBusy.of("busy", **params)
    return ProjectError.of("not_saved", **params)


def copy_error(dest: Path, e: BaseException) -> ProjectError:
    return ProjectError.of("copy_failed", path=dest, **cause_params(e))
