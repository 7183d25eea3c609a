"""The change log of a bulk insert (imports of 100k-1M records): the rows copied, one marker a run.

Format 6 of the project file (``schema.LOGGED_MEMBERS``). A batch of at least ``BULK_LOG_ROWS``
records, just inserted into ``members`` or ``links`` at consecutive rowids, is logged by one
``INSERT INTO logged_members (seq, ...) SELECT ? + rowid, ... FROM members WHERE rowid > ?``: each
record gets the seq a per-record entry would have had (the log's next ones, in row order), and
``changes`` gets one marker row for the run (entity_id '', op 'insert', ``new`` {"first": F}) at its
last seq, so ``max(seq)`` and the seq of whatever is logged next are what they were with one entry
a record. ``expand`` gives the run back as those entries' (seq, record): ``Project.history()``
turns them into the same ``Change``s (tests/store/test_bulk_log_format.py compares both formats).

Until format 5 SQLite wrote a JSON array per record (``json_array``), and floats that 15 digits
do not give back were rewritten in Python. The copy keeps every value as stored (REALs bit for
bit), writes no text and no index entry per record: at 300,000 links ~0.3 s of CPU against
~0.55 s for the JSON rows and ~0.35 s for their entity index. Entries of older files stay
as they are and read back the same.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from cluster_desk.store.changes import dumps_record

__all__ = ["BULK_LOG_ROWS", "INDEX_SORT_CACHE_KIB", "LOGGED", "MARKER_ID", "build_index",
           "deferred_entity_index", "expand", "log_by_sql", "log_inserted", "log_inserted_columns",
           "marker_first", "sorting_cache"]

#: Batches at least this big are logged as a run (one marker); smaller ones (a window's edits)
#: one entry a record.
BULK_LOG_ROWS = 256
#: The table each entity's runs are copied into (schema format 6).
LOGGED = {"member": "logged_members", "link": "logged_links"}
#: A marker's entity_id: no record has an empty id (the tables' CHECK length(id) >= 1).
MARKER_ID = ""


def log_inserted(
    conn: sqlite3.Connection,
    table: str,
    entity: str,
    columns: Sequence[str],
    rows: list[tuple[Any, ...]],
    before: int,
    at: str,
    actor: str,
    insert_change: str,
) -> None:
    """Log ``rows`` (just inserted into ``table`` after rowid ``before``, in this order) as inserts.

    ``columns`` are the table's columns in row order (id first). ``insert_change`` is the plain
    INSERT of one change row (the small path)."""
    if len(rows) < BULK_LOG_ROWS:
        conn.executemany(
            insert_change, ((at, actor, entity, r[0], "insert", None, dumps_record(r[1:])) for r in rows)
        )
        return
    _copy(conn, table, entity, columns, before, at, actor)


def log_inserted_columns(
    conn: sqlite3.Connection,
    table: str,
    entity: str,
    columns: Sequence[str],
    values: Sequence[Sequence[Any]],
    before: int,
    at: str,
    actor: str,
    insert_change: str,
) -> None:
    """``log_inserted`` for rows given as columns (``values[i]`` holds column ``columns[i]``)."""
    count = len(values[0]) if values else 0
    if count < BULK_LOG_ROWS:
        log_inserted(conn, table, entity, columns, list(zip(*values, strict=True)), before, at, actor,
                     insert_change)
        return
    _copy(conn, table, entity, columns, before, at, actor)


def log_by_sql(conn: sqlite3.Connection, table: str, entity: str, columns: Sequence[str], before: int,
               at: str, actor: str, last: int | None = None) -> None:
    """Log the rows of ``table`` after rowid ``before`` up to ``last`` (None: all) as one run, for a
    caller that does not hold them (a streamed import)."""
    _copy(conn, table, entity, columns, before, at, actor, last)


def _copy(conn: sqlite3.Connection, table: str, entity: str, columns: Sequence[str], before: int,
          at: str, actor: str, last: int | None = None) -> None:
    """The run's rows copied into the entity's logged table under seqs after the log's newest, in
    rowid order, and its marker at the last one. The rows of a batch have consecutive rowids
    (each insert takes max(rowid) + 1; the links import checks it), so the seqs are consecutive,
    as one entry a record made them; a gap would be a bug: ValueError (the caller rolls back)."""
    top = int(conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0])
    last = top if last is None else min(last, top)
    if last <= before:
        return
    held = int(conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0])
    names = ", ".join(f'"{c}"' for c in columns)
    copied = conn.execute(
        f"INSERT INTO {LOGGED[entity]} (seq, {names}) SELECT ? + rowid, {names} FROM {table} "
        "WHERE rowid > ? AND rowid <= ? ORDER BY rowid",
        (held - before, before, last),
    ).rowcount
    if copied != last - before:
        raise ValueError(f"the {table} to log are not in consecutive rows ({copied} of {last - before})")
    if copied:
        conn.execute(
            "INSERT INTO changes (seq, at, actor, entity, entity_id, op, old, new) "
            "VALUES (?, ?, ?, ?, ?, 'insert', NULL, ?)",
            (held + last - before, at, actor, entity, MARKER_ID, json.dumps({"first": held + 1})),
        )


def marker_first(seq: int, new: str | None) -> int:
    """The first seq of the run whose marker is at ``seq`` (ValueError if ``new`` is no marker's)."""
    value = json.loads(new or "null")
    first = value.get("first") if isinstance(value, dict) else None
    if type(first) is not int or not 0 < first <= seq:
        raise ValueError(f"change log entry {seq}: not a bulk insert's marker")
    return first


def expand(conn: sqlite3.Connection, entity: str, columns: Sequence[str], first: int, last: int,
           ) -> list[tuple[Any, ...]]:
    """The records of the run ``first``..``last`` (or the part of it asked for) as (seq, id, *fields),
    in seq order."""
    names = ", ".join(f'"{c}"' for c in columns)
    rows = conn.execute(
        f"SELECT seq, {names} FROM {LOGGED[entity]} WHERE seq BETWEEN ? AND ? ORDER BY seq", (first, last)
    ).fetchall()
    if len(rows) != last - first + 1:
        raise ValueError(f"change log entries {first}..{last}: {len(rows)} records in {LOGGED[entity]}")
    return rows


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
    log holds fewer than ``below`` (None: any number): one sort instead of an index insert at a
    random place per entry. Since format 6 a bulk insert logs a marker a run, not an entry a
    record; what this still saves is the entries of an import's updates of stored records (a
    roster imported again). On an error nothing is rebuilt here: the caller's rollback puts the
    index back with everything else. ``sort_cache_kib``: the page cache while the index is built
    (``sorting_cache``)."""
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
