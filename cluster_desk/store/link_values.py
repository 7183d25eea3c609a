"""The links' values the links table sorts and filters by, read as columns of a known file state.

The links dock's first sort or text filter needed every Link record (built a slice at a time
between frames, then one key per row in Python: 2.8-5 s at 300,000 links, issue 17). The open's
columns hold the ends and kinds already; what they lack is read here, one column at a time, on
the caller's thread (a worker), on a read-only connection of its own: the volume as the stored
doubles (``real_columns``), each text column as one joined blob coded by its distinct values (a
code a link, the values once: ten years of dates, a few contracts). Nothing is read when the
file is no longer in the state the caller's columns were read of (None: the caller falls back).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cluster_desk.store import snapshot
from cluster_desk.store.assess_columns import reading
from cluster_desk.store.column_read import links_with_values
from cluster_desk.store.real_columns import SPARSE_SHARE, real_column

#: The text columns and whether they may be NULL (start and end: "no date").
TEXT_COLUMNS: dict[str, bool] = {"start": True, "end": True, "contract": False, "notes": False}
_SEP = b"\x1f"


@dataclass(frozen=True)
class Coded:
    """A text column as its distinct values (None: NULL) and each link's position among them."""

    values: list[str | None]
    codes: np.ndarray  # int32, one a link, in file order


def _joined_sql(column: str, nullable: bool) -> str:
    # (a NULL as '' and every value behind a 'v': NULL and '' stay apart)
    value = (f"""CASE WHEN "{column}" IS NULL THEN '' ELSE 'v' || "{column}" END""" if nullable
             else f'"{column}"')
    return (f"SELECT count(*), CAST(group_concat(v, char(31)) AS BLOB) FROM "
            f'(SELECT {value} AS v FROM links ORDER BY rowid)')


def _coded(parts: list[Any], nullable: bool) -> Coded:
    table: dict[Any, int] = {}
    at = table.setdefault
    codes = np.fromiter((at(p, len(table)) for p in parts), np.int32, len(parts))
    values: list[str | None] = []
    for p in table:
        if isinstance(p, bytes):
            p = p.decode()  # (a UnicodeDecodeError: not UTF-8, the caller falls back)
            if nullable:
                p = p[1:] if p else None
        values.append(p)
    return Coded(values, codes)


def _text_column(conn: sqlite3.Connection, column: str, count: int, present: int, lo: int,
                 hi: int) -> Coded | None:
    """``column`` coded; ``present``: its values not NULL (nullable) or not empty (else)."""
    nullable = TEXT_COLUMNS[column]
    blank: str | None = None if nullable else ""
    if not present:  # (no date, contract or note recorded: the common case, nothing read)
        return Coded([blank], np.zeros(count, dtype=np.int32))
    if present <= count * SPARSE_SHARE and count == hi - lo + 1:  # a few, no rowid missing
        test = "IS NOT NULL" if nullable else "!= ''"
        rows = conn.execute(f'SELECT rowid - ?, "{column}" FROM links WHERE "{column}" {test} ORDER BY rowid',
                            (lo,)).fetchall()
        if len(rows) != present:
            return None
        table: dict[Any, int] = {blank: 0}
        at = table.setdefault
        codes = np.zeros(count, dtype=np.int32)
        codes[np.fromiter((r[0] for r in rows), np.int64, len(rows))] = np.fromiter(
            (at(r[1], len(table)) for r in rows), np.int32, len(rows))
        return Coded(list(table), codes)
    n, blob = conn.execute(_joined_sql(column, nullable)).fetchone()
    if n != count:
        return None
    parts = (blob or b"").split(_SEP)
    if len(parts) != count:  # a value holding the separator: row by row
        listed = [r[0] for r in conn.execute(f'SELECT "{column}" FROM links ORDER BY rowid')]
        return _coded(listed, False) if len(listed) == count else None
    return _coded(parts, nullable)


#: Every column this module reads.
COLUMNS: tuple[str, ...] = ("volume", *TEXT_COLUMNS)


def read_link_values(path: Path, key: dict[str, Any], count: int, columns: tuple[str, ...],
                     held: dict[str, int] | None = None) -> tuple[dict[str, Any], dict[str, int]] | None:
    """``columns`` (of COLUMNS) of the ``count`` links of the file at ``path`` in rowid order:
    "volume" as float64 (NaN: none), a text column as ``Coded``; and ``held``: how many values
    each of COLUMNS holds (not NULL, a text not empty: ``_held``), counted in one scan of the
    links when not given (a column holding none is not read; pass them on to the next call). None when
    the file is not in state ``key`` now (snapshot.file_key), holds another count, or a text
    is not UTF-8."""
    try:
        with reading(path) as conn:
            if snapshot.file_key(conn, Path(path), counts=False) != snapshot.without_counts(key):
                return None
            held = _held(conn, key) if held is None else held
            if held["rows"] != count:
                return None
            out: dict[str, Any] = {}
            for column in columns:
                got: Any
                if column == "volume":
                    got = real_column(conn, "links", "volume", held["lo"], held["hi"], count, held[column])
                else:
                    got = _text_column(conn, column, count, held[column], held["lo"], held["hi"])
                if got is None:
                    return None
                out[column] = got
            return out, held
    except (sqlite3.Error, UnicodeDecodeError, OSError):
        return None


def _held(conn: sqlite3.Connection, key: dict[str, Any]) -> dict[str, int]:
    """How many values each of COLUMNS holds; the links' count ("rows") and their first and
    last rowid ("lo", "hi")."""
    # (no volume, start or end, as the open's scan counted: none of them to count)
    none_dated = links_with_values(key) == 0
    looked = [c for c in COLUMNS if not (none_dated and (c == "volume" or TEXT_COLUMNS.get(c)))]
    tests = [f'count("{c}")' if c == "volume" or TEXT_COLUMNS[c] else f"""sum("{c}" != '')"""
             for c in looked]
    n, lo, hi, *present = conn.execute(
        "SELECT count(*), coalesce(min(rowid), 0), coalesce(max(rowid), 0)"
        f"{''.join(', ' + t for t in tests)} FROM links").fetchone()
    held = {c: 0 for c in COLUMNS}
    held.update((c, int(v or 0)) for c, v in zip(looked, present, strict=True))
    return {**held, "rows": n, "lo": lo, "hi": hi}


def read_present(path: Path, columns: tuple[str, ...]) -> dict[str, tuple[list[str], list[Any]]] | None:
    """The links of the file at ``path`` as it is now that hold a value in any of ``columns``
    (not NULL; a text not empty), in one scan: by column, the ids and values of those holding
    one (for columns once read of another state: the caller finds the links by id). None when
    the file cannot be read."""
    tests = ["IS NOT NULL" if c == "volume" or TEXT_COLUMNS[c] else "!= ''" for c in columns]
    try:
        with reading(path) as conn:
            rows = conn.execute(
                f"""SELECT id, {', '.join(f'"{c}"' for c in columns)} FROM links WHERE """
                + " OR ".join(f'"{c}" {t}' for c, t in zip(columns, tests, strict=True))).fetchall()
    except (sqlite3.Error, UnicodeDecodeError, OSError):
        return None
    out: dict[str, tuple[list[str], list[Any]]] = {}
    for k, (column, test) in enumerate(zip(columns, tests, strict=True)):
        blank = None if test == "IS NOT NULL" else ""
        held = [(r[0], r[k + 1]) for r in rows if r[k + 1] is not None and r[k + 1] != blank]
        out[column] = ([i for i, _v in held], [v for _i, v in held])
    return out
