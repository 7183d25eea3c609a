"""Whole columns of the members table, in file order, with no Member record built.

An opened project holds its members' records lazily (``core.tables.LazyRecords``). The roster's
first sort by a column such as employees or sector, or its first text filter, needs that one
column of every member: building every record for it took 0.7-1.0 s at 100,000 members (issue
17); one column read as one joined text takes a few tens of milliseconds.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from cluster_desk.store.record_sql import _cols, _split

#: The text columns a caller may ask for (never NULL in the schema).
TEXTS = frozenset({"id", "name", "kind", "status", "sector", "industry", "inn", "address", "notes"})
#: The number columns (NULL: not given; NaN in the array).
NUMBERS = frozenset({"employees", "lat", "lon"})


def read(conn: sqlite3.Connection, fields: Sequence[str],
         joined: Sequence[str] = ()) -> dict[str, list[str] | np.ndarray]:
    """``fields`` of every member in rowid order (the order ``member_columns`` reads): a list of
    str per text field, a float array per number field; with ``joined`` text fields, also each
    member's values of those joined by "\x01" (key "joined": the roster's text filter looks in
    them; one scan, one text, one split). One read transaction for all."""
    unknown = (set(fields) - TEXTS - NUMBERS) | (set(joined) - TEXTS)
    if unknown:
        raise ValueError(f"not a members column: {sorted(unknown)}")
    own = not conn.in_transaction  # one state of the file for every field
    if own:
        conn.execute("BEGIN")
    try:
        count = conn.execute("SELECT count(*) FROM members").fetchone()[0]
        out = {f: _texts(conn, f, count) if f in TEXTS else _numbers(conn, f, count) for f in fields}
        if joined:
            out["joined"] = _joined(conn, joined, count)
        return out
    finally:
        if own:
            conn.execute("COMMIT")


def read_file(path: Path, fields: Sequence[str],
              joined: Sequence[str] = ()) -> dict[str, list[str] | np.ndarray]:
    """``read`` on a read-only connection of its own to the project file at ``path``, made and
    used on the calling thread (a worker's: SQLite's work runs without the GIL). Raises
    sqlite3.Error if the file cannot be read."""
    # (imported here: store.project imports this module, and assess_columns brings the checks'
    # modules and pyproj, ~0.2 s that `check` loads beside its quick_check, not before it)
    from cluster_desk.store.assess_columns import reading

    with reading(path) as conn:
        return read(conn, fields, joined)


def _joined(conn: sqlite3.Connection, fields: Sequence[str], count: int) -> list[str]:
    values = _windowed(conn, " || '\x01' || ".join(f'"{f}"' for f in fields), count)
    if values is not None:
        return values
    # a value holding the separator: row by row
    return ["\x01".join(r) for r in conn.execute(f"SELECT {_cols(fields)} FROM members ORDER BY rowid")]


def _in_rowid_order(aggregate: str) -> str:
    """An aggregate over the members in rowid order: NOT INDEXED makes it walk the table itself (a
    plain ``FROM members`` may walk the id's index instead, and join the ids in that order)."""
    return f"SELECT {aggregate} FROM members NOT INDEXED"


def _windowed(conn: sqlite3.Connection, value: str, count: int) -> list[str] | None:
    """The text ``value`` of every member in rowid order, joined and split a rowid window at a
    time (issue 17: one text of a million members' values lived beside its split list, the
    roster's filter text ~227 MB at once; a window's is a few MB). None when a value holds the
    separator (the caller reads row by row)."""
    if not count:
        return []
    values: list[str] | None = None  # (filled in place: a list grown window by window is copied)
    at = 0
    sql = (f"SELECT count(*), group_concat({value}, '\x1f') FROM members NOT INDEXED "
           "WHERE rowid BETWEEN ? AND ?")
    from cluster_desk.store.assess_columns import windows  # (here: read_file says why)

    for lo, hi in windows(conn, "members"):
        n, text = conn.execute(sql, (lo, hi)).fetchone()
        part = _split(text, n)
        if part is None or at + n > count:
            return None
        if n == count:  # one window holds them all
            return part
        if values is None:
            values = [""] * count
        values[at:at + n] = part
        at += n
    return values if at == count else None


def _texts(conn: sqlite3.Connection, field: str, count: int) -> list[str]:
    values = _windowed(conn, f'"{field}"', count)
    if values is not None:
        return values
    # a value holding the separator: row by row
    return [r[0] for r in conn.execute(f'SELECT "{field}" FROM members ORDER BY rowid')]


def _numbers(conn: sqlite3.Connection, field: str, count: int) -> np.ndarray:
    if field == "employees":  # integers are exact as text: one joined text
        joined = conn.execute(_in_rowid_order("group_concat(coalesce(employees, 'nan'), ' ')")).fetchone()[0]
        values = np.fromstring(joined or "", sep=" ") if count else np.zeros(0)
        if len(values) == count:
            return values
    # reals as rows (their text would round)
    rows = conn.execute(f'SELECT "{field}" FROM members ORDER BY rowid').fetchall()
    return np.array([np.nan if r[0] is None else r[0] for r in rows], dtype=float)
