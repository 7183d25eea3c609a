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

import contextlib
import functools
import json
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from cluster_desk.store.changes import dumps_record

__all__ = ["BULK_LOG_ROWS", "INDEX_SORT_CACHE_KIB", "build_index", "deferred_entity_index",
           "inexact_in_columns", "inexact_rows", "log_by_sql", "log_inserted", "log_inserted_columns",
           "sorting_cache", "sqlite_json_ok"]

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


#: Exact powers of ten (int -> float is exact up to 10**22).
_POW10 = np.array([float(10**i) for i in range(23)])


def _inexact_in(column: Sequence[Any]) -> list[int]:
    """Indexes of the floats in ``column`` that 15 digits do not give back (``_exact15``).

    Vectorised sieve: a value equal to ``round(x * 10**k) / 10**k`` for an integer of at most 15
    digits is the double nearest to that 15-digit decimal, so 15 digits give it back. Only the
    values the sieve cannot clear (a few per file, or none) are formatted in Python.
    """
    if column.count(None) == len(column):
        return []  # an unused column (output, mostly): converting its Nones is slower than a column of floats
    try:
        a = np.array(column, dtype=np.float64)  # None -> NaN
    except (TypeError, ValueError):
        return [k for k, x in enumerate(column) if type(x) is float and not _exact15(x)]
    with np.errstate(all="ignore"):
        digits = np.clip(14 - np.floor(np.log10(np.abs(a))), 0, 22)
        scale = _POW10[np.nan_to_num(digits).astype(np.intp)]
        whole = np.round(a * scale)
        cleared = ((np.abs(whole) < 1e15) & (whole / scale == a)) | (a == 0) | np.isnan(a)
    return [k for k in np.flatnonzero(~cleared).tolist()
            if type(column[k]) is float and not _exact15(column[k])]


def _inexact_rows(rows: list[tuple[Any, ...]], real_columns: Sequence[int]) -> list[int]:
    """Indexes of the rows with a float that 15 digits do not give back (``_exact15``)."""
    found: set[int] = set()
    for i in real_columns:
        found.update(_inexact_in([r[i] for r in rows]))
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
    seq_before = _insert_select(conn, table, entity, columns, before, at, actor)
    _rewrite(conn, seq_before, [(k, rows[k]) for k in _inexact_rows(rows, real_columns)])


def log_inserted_columns(
    conn: sqlite3.Connection,
    table: str,
    entity: str,
    columns: Sequence[str],
    real_columns: Sequence[int],
    values: Sequence[Sequence[Any]],
    before: int,
    at: str,
    actor: str,
    insert_change: str,
    literals: Sequence[str | None] = (),
) -> None:
    """``log_inserted`` for rows given as columns (``values[i]`` holds column ``columns[i]``).

    ``literals[i]``, when given and not None, is the SQL literal every row's column ``i`` holds
    (``record_sql.constant_literals``: NULL or a plain text): SQLite's JSON takes it as it is
    instead of reading the column back and encoding it a row at a time."""
    count = len(values[0]) if values else 0
    if count < BULK_LOG_ROWS or not _sqlite_json_ok():
        log_inserted(conn, table, entity, columns, real_columns, list(zip(*values, strict=True)), before, at,
                     actor, insert_change)
        return
    seq_before = _insert_select(conn, table, entity, columns, before, at, actor, literals=literals)
    inexact: set[int] = set()
    for i in real_columns:
        if not (i < len(literals) and literals[i] is not None):  # NULL in every row: nothing inexact
            inexact.update(_inexact_in(values[i]))
    _rewrite(conn, seq_before, [(k, tuple(c[k] for c in values)) for k in sorted(inexact)])


def _insert_select(conn: sqlite3.Connection, table: str, entity: str, columns: Sequence[str], before: int,
                   at: str, actor: str, last: int | None = None, literals: Sequence[str | None] = ()) -> int:
    """Log every row of ``table`` after rowid ``before`` (up to ``last``, if given: SQLite's
    JSON); the log's seq before. A column with a JSON-safe literal in ``literals`` (see
    ``log_inserted_columns``) is given to ``json_array`` as that literal."""
    names = ", ".join(_json_arg(c, literals[i] if i < len(literals) else None)
                      for i, c in enumerate(columns) if i)
    seq_before = int(conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0])
    upto = "" if last is None else f" AND rowid <= {int(last)}"
    conn.execute(
        "INSERT INTO changes (at, actor, entity, entity_id, op, old, new) "
        f"SELECT ?, ?, ?, id, 'insert', NULL, json_array({names}) FROM {table} WHERE rowid > ?{upto} "
        "ORDER BY rowid",
        (at, actor, entity, before),
    )
    return seq_before


def _json_arg(column: str, literal: str | None) -> str:
    """``json_array``'s argument for ``column``: its literal when that encodes as the stored value
    does (NULL, or a text in quotes: ``record_sql._literal`` allows no quote inside), else the
    column. A number literal is not used: in a TEXT column SQLite would store it as text."""
    if literal is not None and (literal == "NULL" or literal.startswith("'")):
        return literal
    return f'"{column}"'


def _rewrite(conn: sqlite3.Connection, seq_before: int, rows: list[tuple[int, tuple[Any, ...]]]) -> None:
    """The log entries of ``rows`` ((position in the batch, row): floats 15 digits do not give
    back) in Python's encoding. The k-th row of the batch was logged as ``seq_before + k + 1``
    (one INSERT numbers its rows one after another): found by the key, not by the entity index
    (which a bulk import may be rebuilding: ``deferred_entity_index``)."""
    if rows:
        conn.executemany(
            "UPDATE changes SET new = ? WHERE seq = ? AND entity_id = ?",
            [(dumps_record(r[1:]), seq_before + k + 1, r[0]) for k, r in rows],
        )


def log_by_sql(
    conn: sqlite3.Connection,
    table: str,
    entity: str,
    columns: Sequence[str],
    before: int,
    at: str,
    actor: str,
    inexact: Sequence[tuple[Any, ...]],
    last: int | None = None,
) -> None:
    """The bulk path of ``log_inserted`` for a caller that found the ``inexact`` rows itself (a
    streamed import, batch by batch: ``inexact_rows``), so the rows need not be held; the rows
    after rowid ``before`` up to ``last`` (None: all). Needs ``sqlite_json_ok()``; the inexact rows
    are found by id (the entity index must be in place)."""
    seq_before = _insert_select(conn, table, entity, columns, before, at, actor, last)
    if inexact:
        conn.executemany(
            "UPDATE changes SET new = ? WHERE entity_id = ? AND seq > ?",
            [(dumps_record(r[1:]), r[0], seq_before) for r in inexact],
        )


def inexact_rows(rows: Sequence[tuple[Any, ...]], real_columns: Sequence[int]) -> list[tuple[Any, ...]]:
    """The rows with a float SQLite's JSON would not give back exactly (see ``_exact15``)."""
    listed = rows if isinstance(rows, list) else list(rows)
    return [listed[k] for k in _inexact_rows(listed, real_columns)]


def inexact_in_columns(columns: Sequence[Sequence[Any]], real_columns: Sequence[int],
                       ) -> list[tuple[Any, ...]]:
    """``inexact_rows`` of rows given as columns (``columns[i]`` holds column i)."""
    found: set[int] = set()
    for i in real_columns:
        found.update(_inexact_in(columns[i]))
    return [tuple(c[k] for c in columns) for k in sorted(found)]


def sqlite_json_ok() -> bool:
    """Whether this SQLite can log a bulk insert itself (``log_by_sql``)."""
    return _sqlite_json_ok()


#: The page cache while an index dropped for a bulk write is built again (KiB, negative as PRAGMA
#: cache_size takes it). SQLite's sorter sorts runs of at most the cache's size in memory and
#: merges them from a temporary file: runs of 2 MiB stay in the processor's caches, where one
#: 15-25 MB run is sorted by chasing pointers through main memory, and the peak memory is lower.
#: Measured (CPU, best of 3): at 300,000 links links_id 0.30 s -> 0.20 s, links_source 0.30 ->
#: 0.20, the log's entity index 0.40 -> 0.27; a UNIQUE index on 1,000,000 random member ids
#: 0.97-1.07 s (16 MiB) -> 0.84-0.85 s.
INDEX_SORT_CACHE_KIB = -2048

#: A bulk insert defers the change log's entity index when the log holds fewer entries than this.
DEFER_INDEX_BELOW = 50_000


@contextlib.contextmanager
def deferred_entity_index(conn: sqlite3.Connection, coming: int, *,
                          below: int | None = DEFER_INDEX_BELOW,
                          sort_cache_kib: int = INDEX_SORT_CACHE_KIB) -> Iterator[None]:
    """Inside a transaction: the change log's index by entity dropped, and built again once at
    the end, when ``coming`` (the rows about to be logged) is more than the log holds and the
    log holds fewer than ``below`` (None: any number). Logging 100,000 imported members is then
    about a third cheaper (one sort instead of an index insert at a random place per member);
    300,000 links into a log of 100,000, 0.3 s of 1.5. On an error nothing is rebuilt here: the
    caller's rollback puts the index back with everything else. ``sort_cache_kib``: the page
    cache while the index is built (``sorting_cache``)."""
    if not conn.in_transaction:
        raise RuntimeError("deferred_entity_index needs a transaction")
    row = conn.execute(
        "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = 'changes_entity'"
    ).fetchone()
    held = conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]  # at least the count
    if row is None or row[0] is None or held >= (coming if below is None else min(coming, below)):
        yield
        return
    conn.execute("DROP INDEX changes_entity")
    yield
    build_index(conn, row[0], sort_cache_kib)  # the very text it had: the schema stays as it was


def build_index(conn: sqlite3.Connection, create: str, kib: int = INDEX_SORT_CACHE_KIB) -> None:
    """Run ``create`` (an index dropped for a bulk write) with a smaller page cache (``kib``).

    SQLite's sorter keeps as much in memory as the page cache may hold (64 MiB), beside the cache
    itself: a smaller cache while the index is built keeps a 1M-row import's peak lower and
    costs less CPU (``INDEX_SORT_CACHE_KIB``; dirty pages reach the file a little before the
    commit would write them anyway)."""
    with sorting_cache(conn, kib):
        conn.execute(create)


@contextlib.contextmanager
def sorting_cache(conn: sqlite3.Connection, kib: int) -> Iterator[None]:
    """The page cache set to ``kib`` (PRAGMA cache_size) inside the block, then as it was."""
    cache = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    conn.execute(f"PRAGMA cache_size = {int(kib)}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {cache}")
