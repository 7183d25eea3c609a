"""What an import matches a file's rows by, read from a project file on a worker's own connection.

File ▸ Import matches rows to the project's members by id, INN and name key
(``io.roster.project_keys``). At a million members reading them takes ~4 s, which froze the
import dialog before it showed its first preview. The dialog now reads them on a thread, here:
a read-only connection of the thread's own (``assess_columns.reading``), one read transaction,
so the change log's ``seq`` it reports is exactly the state the keys were read at (the import
then reuses them while the project's log has not moved).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

#: What an import matches a member by: id, INN, name, lat, lon.
MemberKey = tuple[str, str, str, float | None, float | None]
SELECT_MEMBER_KEYS = "SELECT id, inn, name, lat, lon FROM members ORDER BY rowid"
SELECT_LAST_SEQ = "SELECT coalesce(max(seq), 0) FROM changes"

T = TypeVar("T")


class KeysStopped(Exception):
    """The reader was asked to stop (the dialog that wanted the keys was closed)."""


def member_keys_in(conn: sqlite3.Connection, size: int = 50_000) -> Iterator[list[MemberKey]]:
    """(id, INN, name, lat, lon) of every member in the order they were added, ``size`` at a time."""
    cursor = conn.execute(SELECT_MEMBER_KEYS)
    while chunk := cursor.fetchmany(size):
        yield chunk


class FileKeys:
    """The two reads ``io.roster.project_keys`` makes of a project, on ``conn``; between chunks
    it raises KeysStopped once ``stopped()`` is true (no one waits for the rest)."""

    def __init__(self, conn: sqlite3.Connection, stopped: Callable[[], bool]) -> None:
        self._conn, self._stopped = conn, stopped

    def last_seq(self) -> int:
        return int(self._conn.execute(SELECT_LAST_SEQ).fetchone()[0])

    def member_keys(self, size: int = 10_000) -> Iterator[list[MemberKey]]:
        # (smaller chunks than a whole import's: the caller's name keys of one chunk are a few
        # calls holding the GIL, and the window waits for each; ~10 ms each at this size)
        for chunk in member_keys_in(self._conn, size):
            if self._stopped():
                raise KeysStopped
            yield chunk


def read_keys(path: Path, keys_of: Callable[[FileKeys], T], stopped: Callable[[], bool]) -> T:
    """``keys_of`` given the project file at ``path`` as one committed state (call it on the
    thread that reads). Raises sqlite3.Error if the file cannot be read (busy, gone)."""
    from cluster_desk.store.assess_columns import reading  # (the checks' arrays: not at start)

    with reading(path) as conn:
        return keys_of(FileKeys(conn, stopped))
