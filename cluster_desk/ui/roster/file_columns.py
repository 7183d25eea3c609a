"""Whole roster columns read from the project file while an opened project's records are not built.

Right after an open the session holds its members' records lazily. The first sort by employees,
sector or kind, or the first text filter, needs one or a few fields of every member: read as
columns (``store.member_fields``), not by building 100,000 records (0.7-1.0 s, issue 17). Every
acknowledged edit is in the file, so the file's values are the roster's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import numpy as np

from cluster_desk.store import member_fields


def read_rows(session: Any, row_ids: list[str], fields: list[str],
              joined: list[str] | None = None) -> list[Any] | None:
    """Each field of ``fields`` for the members ``row_ids`` (the roster's rows, in their order):
    a list of str per text field, a float array (NaN: blank) per number field; then, with
    ``joined``, each row's texts of those fields joined by "\x01" (the text filter's haystack).
    None when the records are built already (reading them is cheaper) or the file does not hold
    these rows."""
    if not _readable(session):
        return None
    opened = session.opened  # just opened: its ids are the file's, in file order
    if opened is not None and not joined and set(fields) <= {"lat", "lon"}:  # read at the open
        return _in_row_order(opened.members.ids, [getattr(opened.members, f) for f in fields], row_ids)
    file_ids = opened.members.ids if opened is not None else None
    return _arranged(session.project.member_fields(_asked(fields, file_ids), joined or ()),
                     fields, joined, file_ids, row_ids)


def reader(session: Any, row_ids: list[str], fields: list[str],
           joined: list[str] | None = None) -> Callable[[], list[Any] | None] | None:
    """``read_rows`` to run later on a worker thread, on a connection of its own: what it needs
    of the session is taken now. None when the records are built already. The call gives None
    too when the file cannot be read or does not hold these rows (then ask ``read_rows``)."""
    if not _readable(session):
        return None
    path = session.project.path
    opened = session.opened
    file_ids = list(opened.members.ids) if opened is not None else None
    row_ids = list(row_ids)  # (copies: the GUI thread may change its lists meanwhile)

    def read() -> list[Any] | None:
        try:
            got = member_fields.read_file(path, _asked(fields, file_ids), joined or ())
        except sqlite3.Error:
            return None
        return _arranged(got, fields, joined, file_ids, row_ids)

    return read


def _asked(fields: list[str], file_ids: list[str] | None) -> list[str]:
    """The fields to read: with the ids too when the open's are not known."""
    return fields if file_ids is not None else ["id", *fields]


def _arranged(got: dict[str, Any], fields: list[str], joined: list[str] | None,
              file_ids: list[str] | None, row_ids: list[str]) -> list[Any] | None:
    """What was read, as ``read_rows`` gives it: the fields, then the joined texts, in row order."""
    columns = [got[f] for f in fields] + ([got["joined"]] if joined else [])
    return _in_row_order(file_ids or got["id"], columns, row_ids)


def _readable(session: Any) -> bool:
    members, project = session.members, session.project
    return not getattr(members, "loaded", True) and project is not None and hasattr(project, "member_fields")


def _in_row_order(file_ids: list[str], columns: list[Any], row_ids: list[str]) -> list[Any] | None:
    if file_ids == row_ids:
        return columns
    # The rows are in another order than the file's (a restored member): place each by id.
    where = dict(zip(file_ids, range(len(file_ids)), strict=True))
    try:
        order = np.fromiter(map(where.__getitem__, row_ids), dtype=np.int64, count=len(row_ids))
    except KeyError:  # a row the file does not hold (another program deleted it): the records
        return None
    return [c[order] if isinstance(c, np.ndarray) else list(map(c.__getitem__, order.tolist()))
            for c in columns]
