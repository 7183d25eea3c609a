"""One REAL column of a rowid window as a numpy array, exact, several values to a row (issue 17).

A REAL's text in SQLite 3.40 has 15 significant digits (``group_concat``, ``json``, ``quote``
round it), so an exact read takes each value as the double SQLite stores: as rows. What a row
costs is Python's (the sqlite3 module's step, tuple and iteration: ~0.4 us a row, SQLite's own
scan ~0.05 us): a first assessment after a cold open at 100,000 members / 300,000 links spent
~0.2 s of its ~0.45 s on the output and volume columns one value a row. Exact integers made of
a REAL in SQL (its integer part and its fraction times 2**62, with a range guard) cost more in
SQLite's VM than the rows do in Python (measured: 0.19-0.26 s against 0.13-0.21 s).

So a window of consecutive rowids (no gap: ``count == hi - lo + 1``) is cut into ``SPREAD`` runs
of ``run`` rowids and read as ``run`` rows of ``SPREAD`` values: run k's row r is joined by rowid
(``t{k}.rowid = t0.rowid + k * run``), which SQLite steps to from the row before rather than
searching (sqlite3BtreeTableMoveto's next-row path), each value still the stored double (the
same sqlite3_column_double as a row's). 300,000 volumes: 0.10-0.11 s against 0.13-0.23 s as rows
(same runs, load 2-4). A window with a gap (rows deleted) is read a value a row.

The caller may say how many of the window's values are not NULL (``present``: a ``count()`` in
the scan it makes anyway, ~30 ns a row): none is no read at all (a million members and three
million links with no output or volume recorded spent ~2 s of CPU reading NULLs 16 a row), and a
few (up to a third) are read as (position, value) rows of those alone.
"""

from __future__ import annotations

import functools
import itertools
import math
import sqlite3

import numpy as np

#: Values a row: 4, 8, 16 cost ~0.8x, ~0.65x, ~0.55x of the rows' read; 32 and 64 no less than 16.
SPREAD = 16
#: NULL read as this (below every value a CHECK (x >= 0) lets in), then NaN.
_NULL = "-9e999"
#: Up to this share of a window's values present, they are read alone, two values a row (a
#: row costs ~2.5x a value of the spread read; SQLite's scan of the rest is ~0.1 us a row).
SPARSE_SHARE = 1 / 3


@functools.cache
def _spread_sql(table: str, column: str) -> str:
    values = ", ".join(f'coalesce(t{k}."{column}", {_NULL})' for k in range(SPREAD))
    joins = " ".join(f'LEFT JOIN "{table}" t{k} ON t{k}.rowid = t0.rowid + {k} * ?3'
                     for k in range(1, SPREAD))
    return (f'SELECT {values} FROM "{table}" t0 {joins} WHERE t0.rowid BETWEEN ?1 AND ?1 + ?3 - 1 '
            "ORDER BY t0.rowid")


@functools.cache
def _present_sql(table: str, column: str) -> str:
    return (f'SELECT rowid - ?1, "{column}" FROM "{table}" WHERE rowid BETWEEN ?1 AND ?2 '
            f'AND "{column}" IS NOT NULL ORDER BY rowid')


@functools.cache
def _rows_sql(table: str, column: str) -> str:
    return f'SELECT coalesce("{column}", {_NULL}) FROM "{table}" WHERE rowid BETWEEN ? AND ? ORDER BY rowid'


def real_column(conn: sqlite3.Connection, table: str, column: str, lo: int, hi: int,
                count: int, present: int | None = None) -> np.ndarray | None:
    """``column`` of the ``count`` rows of ``table`` with rowids lo..hi, in rowid order, as
    float64, exact, NULL as NaN; None when the window does not hold ``count`` rows (or not
    ``present`` values that are not NULL, when given: counted in the same read transaction)."""
    if count <= 0:
        return np.zeros(0) if count == 0 else None
    gapless = count == hi - lo + 1
    if present == 0:
        return np.full(count, math.nan)
    if present is not None and gapless and present <= count * SPARSE_SHARE:
        return _sparse(conn, table, column, lo, hi, count, present)
    if gapless:  # every rowid of the window is there: runs of it join up
        run = -(-count // SPREAD)
        rows = conn.execute(_spread_sql(table, column), (lo, hi, run))
        try:
            spread = np.fromiter(itertools.chain.from_iterable(rows), np.float64, run * SPREAD)
        except ValueError:  # fewer rows: a row went between the count and this read
            return None
        values = spread.reshape(run, SPREAD).T.ravel()[:count]  # (run k's values, in order)
    else:
        try:
            values = np.fromiter(itertools.chain.from_iterable(
                conn.execute(_rows_sql(table, column), (lo, hi))), np.float64, count)
        except ValueError:  # fewer rows
            return None
    values[values == -math.inf] = math.nan
    return values


def _sparse(conn: sqlite3.Connection, table: str, column: str, lo: int, hi: int, count: int,
            present: int) -> np.ndarray | None:
    """The ``present`` values that are not NULL read alone with their positions (a window with
    no gap: a position is rowid - lo), NaN elsewhere."""
    rows = conn.execute(_present_sql(table, column), (lo, hi))
    try:
        pairs = np.fromiter(itertools.chain.from_iterable(rows), np.float64, 2 * present)
    except ValueError:  # fewer values than counted
        return None
    if next(rows, None) is not None:  # more
        return None
    values = np.full(count, math.nan)
    values[pairs[0::2].astype(np.int64)] = pairs[1::2]  # (positions < 2**53: exact as doubles)
    return values
