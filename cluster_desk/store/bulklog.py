"""The change log of a bulk insert, written by SQLite itself (imports of 100k-1M records).

Every inserted record is logged whole, as a JSON array of its field values (``dumps_record``).
Encoding 100,000 records in Python and binding them again was about half of a CSV import's
store time; ``INSERT INTO changes SELECT ... json_array(...) FROM members WHERE rowid > ?`` does
the same in one statement, reading the rows just written.

One difference needs care: SQLite writes a REAL with 15 significant digits, which does not give
back every double (0.1 + 0.2, a coordinate typed with 17 digits). The rows whose floats need more
digits are found in Python (``_exact15``) and their log entries rewritten with Python's encoder,
so the log always reads back the stored values exactly. A SQLite build without JSON functions,
or whose 15-digit text does not read back as expected, gets the plain Python path.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from cluster_desk.store.changes import dumps_record

__all__ = ["BULK_LOG_ROWS", "inexact_rows", "log_by_sql", "log_inserted", "sqlite_json_ok"]

#: Batches at least this big are logged by SQLite; smaller ones (a window's edits) in Python.
BULK_LOG_ROWS = 256

_PROBES = (0.1, 55.79, -179.123456, 1e-07, 123456789.125, 1e15, 6.02214076e23, 100.0)


@functools.lru_cache(maxsize=1)
def _sqlite_json_ok() -> bool:
    """Whether this SQLite has json_array and its REALs read back as Python's 15-digit text."""
    conn = sqlite3.connect(":memory:")
    try:
        for x in _PROBES:
            text = conn.execute("SELECT json_array(?)", (x,)).fetchone()[0]
            if json.loads(text) != [x]:
                return False
        return True
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def _exact15(x: float) -> bool:
    """Whether 15 significant digits give ``x`` back. A shortest repr of at most 16 characters
    has at most 15 digits (the common case, decided without formatting twice)."""
    text = repr(x)
    return len(text) <= 16 or float(f"{x:.15g}") == x


def _inexact_rows(rows: list[tuple[Any, ...]], real_columns: Sequence[int]) -> list[int]:
    """Indexes of the rows with a float that 15 digits do not give back (``_exact15``). A column
    at a time: ``repr`` through ``map`` sorts out the short ones (nearly all) without a Python
    call per value."""
    found: set[int] = set()
    for i in real_columns:
        column = [r[i] for r in rows]
        long = [k for k, n in enumerate(map(len, map(repr, column))) if n > 16]
        found.update(k for k in long if type(column[k]) is float and not _exact15(column[k]))
    return sorted(found)


def log_inserted(
    conn: sqlite3.Connection,
    table: str,
    entity: str,
    columns: Sequence[str],
    real_columns: Sequence[int],
    rows: list[tuple[Any, ...]],
    before: int,
    at: str,
    actor: str,
    insert_change: str,
) -> None:
    """Log ``rows`` (just inserted into ``table`` after rowid ``before``, in this order) as inserts.

    ``columns`` are the table's columns in row order (id first); ``real_columns`` the row indexes
    holding floats. ``insert_change`` is the plain INSERT of one change row (the small path).
    """
    if len(rows) < BULK_LOG_ROWS or not _sqlite_json_ok():
        conn.executemany(
            insert_change, ((at, actor, entity, r[0], "insert", None, dumps_record(r[1:])) for r in rows)
        )
        return
    log_by_sql(conn, table, entity, columns, before, at, actor,
               [rows[k] for k in _inexact_rows(rows, real_columns)])


def log_by_sql(
    conn: sqlite3.Connection,
    table: str,
    entity: str,
    columns: Sequence[str],
    before: int,
    at: str,
    actor: str,
    inexact: Sequence[tuple[Any, ...]],
) -> None:
    """The bulk path of ``log_inserted`` for a caller that found the ``inexact`` rows itself (a
    streamed import, batch by batch: ``inexact_rows``), so the rows need not be held. Needs
    ``sqlite_json_ok()``."""
    values = ", ".join(f'"{c}"' for c in columns[1:])
    seq_before = conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]
    conn.execute(
        "INSERT INTO changes (at, actor, entity, entity_id, op, old, new) "
        f"SELECT ?, ?, ?, id, 'insert', NULL, json_array({values}) FROM {table} WHERE rowid > ? "
        "ORDER BY rowid",
        (at, actor, entity, before),
    )
    if inexact:
        conn.executemany(
            "UPDATE changes SET new = ? WHERE entity_id = ? AND seq > ?",
            [(dumps_record(r[1:]), r[0], seq_before) for r in inexact],
        )


def inexact_rows(rows: Sequence[tuple[Any, ...]], real_columns: Sequence[int]) -> list[tuple[Any, ...]]:
    """The rows with a float SQLite's JSON would not give back exactly (see ``_exact15``)."""
    listed = rows if isinstance(rows, list) else list(rows)
    return [listed[k] for k in _inexact_rows(listed, real_columns)]


def sqlite_json_ok() -> bool:
    """Whether this SQLite can log a bulk insert itself (``log_by_sql``)."""
    return _sqlite_json_ok()
