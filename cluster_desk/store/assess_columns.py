"""The checks' columns read straight from a project file, with no Member or Link record built.

The window's first assessment after an open used to need every record (a million members and
three million links took Python to ~4 GB, issue 17). ``read_arrays(path)`` reads what
``core.checks.context.Arrays`` holds (MEMBER_VALUES, LINK_VALUES) in batches of ``BATCH`` rows,
each turned into numpy columns before the next is fetched, on a read-only connection of its own:
the assessor's worker thread calls it (an sqlite3 connection belongs to the thread that made it,
and the window's stays free for edits). One read transaction: members and links of one state.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.checks.roster_rows import LINK_VALUES, MEMBER_VALUES
from cluster_desk.store.errors import ProjectError

#: Rows fetched and turned into columns at a time (the tuples of one batch are all that lives).
BATCH = 65_536
#: How long a read waits for a writer's commit (the window's own edit) before it fails.
BUSY_MS = 10_000


def _quoted(names: tuple[str, ...]) -> str:
    return ", ".join(f'"{n}"' for n in names)


_SELECT_MEMBERS = f"SELECT {_quoted(MEMBER_VALUES)} FROM members ORDER BY rowid"
_SELECT_LINKS = f"SELECT {_quoted(LINK_VALUES)} FROM links ORDER BY rowid"


def _batches(conn: sqlite3.Connection, sql: str) -> Iterator[list[Any]]:
    cursor = conn.execute(sql)
    try:
        while True:
            rows = cursor.fetchmany(BATCH)
            if not rows:
                return
            yield rows
    finally:
        cursor.close()


def arrays_of(conn: sqlite3.Connection, path: Path) -> Arrays:
    """The arrays of what ``conn`` holds now (inside the caller's read transaction, if any)."""
    try:
        return Arrays.from_rows(_batches(conn, _SELECT_MEMBERS), _batches(conn, _SELECT_LINKS))
    except KeyError as e:  # a kind, status or link kind the model does not know
        raise ProjectError.of("members_unknown_value", path=path, detail=str(e)) from e


def read_arrays(path: Path) -> Arrays:
    """The arrays of the project file at ``path`` as committed now (a connection of its own)."""
    path = Path(path)
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA query_only = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        conn.execute("BEGIN")
        try:
            return arrays_of(conn, path)
        finally:
            conn.execute("COMMIT")
    finally:
        conn.close()
