"""A links import written a batch at a time, in one transaction, with the change log (issues 12, 17).

``Project.link_import()`` opens the transaction (or joins the caller's) and yields a
``LinkImportWriter``. The importer reads its file a batch at a time and hands each batch's new
links to ``insert`` (or, as the batch reader has them, its columns to ``insert_columns``):
nothing of the file is held here, so memory stays flat however long it is. Profiled at 300,000
links, the store's part was most of the time; what this does about it:

- a batch is checked column by column (``_columns_ok``), not one ``link_row`` call per link, and
  any doubt goes to ``link_row_checked`` row by row;
- the per-row foreign-key lookups of both ends (~1.5 s CPU at 300k) are replaced by a lookup of
  each batch's ends in the members' ids, read once (``_ends_exist``: ~0.15 s), with the same
  refusal (``foreign_keys`` can only be turned off outside a transaction: a joined import keeps
  SQLite's own check);
- None is bound as "" and made NULL by the INSERT (``_NULLABLE``: sqlite3's adapter lookup for
  None cost ~0.5 s CPU at 300k links);
- once the import has added more links than the table held (and at least ``BULK_REBUILD``), the
  two end indexes are dropped and rebuilt at the end with their own statements (a sort instead of
  random inserts);
- the inserts are logged as runs (``store.bulklog``, format 6): the rows copied into
  ``logged_links`` by SQLite, one marker entry a step of ``_LOG_STEP`` links, so the log's entity
  index gets no entry a link (until format 5: a JSON text a link and its index entry, ~0.9 s of
  CPU at 300,000 links where the copy takes ~0.3 s); updates of stored links are logged field by
  field, as ``update_link`` does;
- each index is built with a 2 MiB page cache (``bulklog.INDEX_SORT_CACHE_KIB``: SQLite's sorter
  then sorts runs that fit the processor's caches, ~1/3 less CPU per index), and the cycle
  collector is paused for the whole import (``Project.link_import``);
- the members' ids are read once in the transaction (``member_ids``): the importer matches the
  ends by them and the new links' ends are checked against the same list, both through the same
  set (``member_set``);
- the import runs with a page cache of its own (``IMPORT_CACHE_KIB``).
Where the CPU went at 300,000 links (functions timed, 2026-11-29): the csv module 15 %, the
batch reader 17 %, the importer's hashes and runs 10 %, the inserts 18 %, the three index builds
13 %, the log 9 % and its entity index 7 %, this module's checks of each batch 6 %; the log as
runs (2026-11-30) takes ~6 % and leaves the entity index alone.
At 1,000,000 links over 333,334 members (cProfile, CPU, load ~11, 2026-11-29), 17.6 s: SQLite
8.8 s (the inserts 3.9, the three index builds 2.3, the log 1.5, its entity index 1.1), the csv
module 2.5, the batch reader 3.4 (the ends' id lookups 1.5 of it), the stream's hashes and runs
1.7, this module's checks 0.8. From 300,000 links (100,000 members) every part grew 2.7-3.4x for
3.3x the rows except the ends' id lookups (4.0x: a lookup in a table of 333,334 random ids waits
on memory, ~0.7 us) and the log (3.75x); hence one table for both lookups of an end (``member_set``).
A failure anywhere rolls everything back (the indexes with it): the file is as it was.
"""

from __future__ import annotations

import math
import operator
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from cluster_desk.core.model import DIRECTED_KINDS, LINK_FIELDS, LinkKind
from cluster_desk.store import schema
from cluster_desk.store.bulklog import (
    BULK_LOG_ROWS,
    INDEX_SORT_CACHE_KIB,
    log_by_sql,
    log_inserted,
    sorting_cache,
)
from cluster_desk.store.changes import diff, dumps
from cluster_desk.store.record_sql import _LINK_COLS, _cols, _update_sql
from cluster_desk.store.rows import MAX_ID, MAX_ROUBLES, _is_date, link_from_row, link_row_checked

__all__ = ["BULK_REBUILD", "IMPORT_CACHE_KIB", "LinkImportWriter", "Row"]

#: A link as stored: (id, *LINK_FIELDS), the kind as its value.
Row = tuple[Any, ...]
BULK_REBUILD = 20_000
#: The page cache for the whole import (KiB, as PRAGMA cache_size takes it; ``Project.link_import``).
#: A bulk import appends: its pages are written once and rarely read again until the index
#: builds (which use ``INDEX_SORT_CACHE_KIB``), so the project's 64 MiB cache only held ~64 MiB of
#: dirty pages the process kept to the end (peak RSS growth at 300,000 links 139 -> ~80 MB, at
#: 1,000,000 links see bench/bench_links.py) for no CPU saved: measured alternately at 300,000
#: links, CPU medians 7.66 s (64 MiB) against 7.32 s (8 MiB) at load 13-15.
IMPORT_CACHE_KIB = -8192
_KINDS = frozenset(k.value for k in LinkKind)
#: The columns that may hold NULL (dates and numbers: "" is never one of their values). Python's
#: sqlite3 binds None through its adapter lookup, two failed attribute lookups each formatting an
#: AttributeError (~3,200 instructions: at 300,000 links with no share and no end, ~0.5 s CPU);
#: these columns are bound with "" for None instead, and NULLIF makes it NULL again.
_NULLABLE = tuple(i for i, c in enumerate(_LINK_COLS) if c in ("start", "share", "end", "volume"))
_INSERT = (f"INSERT INTO links ({_cols(_LINK_COLS)}) VALUES ("
           + ", ".join("NULLIF(?, '')" if i in _NULLABLE else "?" for i in range(len(_LINK_COLS))) + ")")
_SELECT_BY_ROWID = f"SELECT rowid, {_cols(_LINK_COLS)} FROM links WHERE rowid = ?"
_SELECT_BY_ID = f"SELECT rowid, {_cols(_LINK_COLS)} FROM links WHERE id = ?"
_SELECT_ROW = f"SELECT {_cols(_LINK_COLS)} FROM links WHERE id = ?"
_SELECT_RUN = f"SELECT {_cols(_LINK_COLS)} FROM links WHERE rowid BETWEEN ? AND ? ORDER BY rowid"
_REPLACE = _update_sql("links", LINK_FIELDS).replace("WHERE id = ?", "WHERE rowid = ?")
#: The indexes a bulk import drops and builds once at the end, the id's first (the import has
#: made its new ids unique; a duplicate would fail there and roll everything back).
_DROPPED = ("links_id", "links_source", "links_target")
_REBUILD = (schema.LINK_ID_INDEX, *schema.LINK_INDEXES)
#: Links logged per statement at the end (a progress tick, and a chance to cancel, between them).
_LOG_STEP = 50_000
_UNDIRECTED = " AND ".join(f"kind <> '{v}'" for v in sorted(k.value for k in DIRECTED_KINDS)) or "1"
_KEY_ENDS = (f"CASE WHEN {_UNDIRECTED} AND target < source THEN target ELSE source END, "
             f"CASE WHEN {_UNDIRECTED} AND target < source THEN source ELSE target END")
_MISSING_END = (
    "SELECT id, source, target, source IN (SELECT id FROM members) FROM links WHERE rowid > ? "
    "AND (source NOT IN (SELECT id FROM members) OR target NOT IN (SELECT id FROM members)) LIMIT 1"
)


def _texts_ok(column: Sequence[Any], shortest: int = 0, longest: int | None = None) -> bool:
    if set(map(type, column)) != {str}:
        return False
    if longest is None:
        return True
    lengths = set(map(len, column))
    return min(lengths) >= shortest and max(lengths) <= longest


def _reals_ok(column: Sequence[Any], top: float) -> bool:
    """None or a finite float in 0..top, each (all in C: no Python call per value)."""
    types = set(map(type, column))
    if not types <= {float, type(None)}:
        return False
    if float not in types:
        return True
    values = list(filter(_not_none, column)) if type(None) in types else column
    return all(map(math.isfinite, values)) and min(values) >= 0.0 and max(values) <= top


def _not_none(value: object) -> bool:
    return value is not None


def _columns_ok(columns: Sequence[Sequence[Any]]) -> bool:
    """Whether every row is what ``link_row_checked`` would return for it, checked by columns
    (``columns[i]`` holds the table's column i; no tuple per row is taken apart)."""
    ids, sources, targets, kinds, starts, shares, notes, ends, volumes, contracts = columns
    dates = set(starts) | set(ends)
    return (
        _texts_ok(ids, 1, MAX_ID) and _texts_ok(sources, 1, MAX_ID) and _texts_ok(targets, 1, MAX_ID)
        and not any(map(operator.eq, sources, targets))
        and set(kinds) <= _KINDS
        and all(d is None or _is_date(d) for d in dates)
        and _reals_ok(shares, 1.0) and _reals_ok(volumes, MAX_ROUBLES)
        and _texts_ok(notes) and _texts_ok(contracts)
        and (set(ends) == {None} or not any(
            s is not None and e is not None and e < s for s, e in zip(starts, ends, strict=True)))
    )  # fmt: skip


def _rows_ok(rows: Sequence[Row]) -> bool:
    """``_columns_ok`` of rows."""
    return _columns_ok(tuple(zip(*rows, strict=True)))


def _blank_none(columns: Sequence[Sequence[Any]]) -> list[Sequence[Any]]:
    """``columns`` with None as "" in the nullable ones (see ``_NULLABLE``; checked values: a date
    or a float, never "")."""
    out = list(columns)
    for i in _NULLABLE:
        column = out[i]
        nones = column.count(None) if isinstance(column, list | tuple) else None
        if nones == len(column):
            out[i] = [""] * len(column)
        elif nones != 0:
            out[i] = ["" if v is None else v for v in column]
    return out


def _checked(rows: Sequence[Row]) -> list[Row]:
    """``rows`` as the store takes them; ValueError naming the first bad link."""
    if not rows:
        return []
    if set(map(len, rows)) == {len(_LINK_COLS)} and _rows_ok(rows):
        return list(rows)
    out = []
    for r in rows:
        if len(r) != len(_LINK_COLS) or r[3] not in _KINDS:
            raise ValueError(f"link {r[0]!r}: not a link row (unknown kind or {len(r)} values)")
        out.append(link_row_checked(link_from_row(r)))
    return out


class LinkImportWriter:
    """The import's side of the links table, valid inside ``Project.link_import()`` only."""

    def __init__(self, conn: sqlite3.Connection, at: str, actor: str, insert_change: str,
                 check_ends: bool, announce: Callable[[list[str]], None] | None = None) -> None:
        self.conn, self._at, self._actor, self._insert_change = conn, at, actor, insert_change
        self._announce = announce  # told the ids of stored links before they are updated
        self._check_ends = check_ends  # foreign keys are off: check the new rows' ends at the end
        self.before = int(conn.execute("SELECT coalesce(max(rowid), 0) FROM links").fetchone()[0])
        self.stored = int(conn.execute("SELECT count(*) FROM links").fetchone()[0])
        self.added = 0
        self._dropped = False
        self._built: set[str] = set()  # dropped indexes built again
        #: Called between the steps of ``finish`` (the import's progress; may raise to cancel).
        self.tick: Callable[[], None] | None = None
        self.old_rows: list[Row] = []  # stored links as they were before an update
        self._member_ids: list[str] | None = None  # every member's id (``member_ids``)
        self._members: set[str] | None = None  # ... as a set, made at the first insert

    # --- reading what is stored

    def member_ids(self) -> list[str]:
        """Every member's id, in the order they were added, as this transaction sees them (read
        once: the importer matches link ends by them, and the new links' ends are checked
        against the same list)."""
        if self._member_ids is None:
            self._member_ids = [r[0] for r in self.conn.execute("SELECT id FROM members ORDER BY rowid")]
        return self._member_ids

    def member_set(self) -> set[str]:
        """``member_ids`` as a set (made once; the new links' ends are checked against it). The
        importer asks it first whether an id cell names a member: one hash table for both
        lookups of an end, the second finding its lines in the processor's caches (a set's slot
        holds the hash and the key, one memory access fewer than a dict's: at 1,000,000 links
        over 333,334 members the two lookups of an end ~1.25 -> ~0.85 us, memory-bound)."""
        if self._members is None:
            self._members = set(self.member_ids())
        return self._members

    def stored_keys(self, size: int = 50_000) -> Iterator[list[tuple[int, str, str, str, str, str]]]:
        """(rowid, id, *key) of every link stored before the import, a chunk at a time (the importer
        keeps only hashes of them). The key is ``io.linkstream.key_of``'s, built by SQLite: the ends
        of an undirected kind in order (TEXT compares as UTF-8 bytes: code point order, as str
        does), then the kind and the start ("" if none)."""
        sql = f"SELECT rowid, id, {_KEY_ENDS}, kind, coalesce(start, '') FROM links WHERE rowid > ? " \
              "AND rowid <= ? ORDER BY rowid LIMIT ?"
        last = 0
        while True:
            chunk = self.conn.execute(sql, (last, self.before, size)).fetchall()
            if not chunk:
                return
            yield chunk
            last = chunk[-1][0]

    def by_rowid(self, rowid: int) -> Row | None:
        """(rowid, id, *LINK_FIELDS) of the link at ``rowid`` as it is now, or None."""
        row = self.conn.execute(_SELECT_BY_ROWID, (rowid,)).fetchone()
        return tuple(row) if row is not None else None

    def by_rowids(self, rowids: Sequence[int]) -> list[Row]:
        """(rowid, id, *LINK_FIELDS) of the links at ``rowids`` as they are now (those that exist),
        in one query a thousand at a time."""
        out: list[Row] = []
        if rowids and max(rowids) - min(rowids) < 2 * len(rowids):  # a run (the same file again): one range
            wanted = set(rowids)
            rows = self.conn.execute(_SELECT_BY_ROWID.replace("rowid = ?", "rowid BETWEEN ? AND ?"),
                                     (min(rowids), max(rowids)))
            return [tuple(r) for r in rows if r[0] in wanted]
        for k in range(0, len(rowids), 1000):
            chunk = rowids[k:k + 1000]
            sql = _SELECT_BY_ROWID.replace("rowid = ?", f"rowid IN ({', '.join('?' * len(chunk))})")
            out += map(tuple, self.conn.execute(sql, chunk))
        return out

    def same_run(self, first: int, rows: Sequence[Row]) -> bool:
        """Whether the links at rowids ``first``, ``first + 1``, ... are ``rows`` exactly (each
        as LINK_FIELDS' values, in that order). The same file imported again: its rows name the
        stored links in the order they were added, so a batch is one run of rowids, read in one
        range and compared as the tuples the cursor gives (no tuple of each row built again, no
        map of rowids: 300,000 links ~0.3 s less of ~1.2 s)."""
        got = self.conn.execute(_SELECT_RUN, (first, first + len(rows) - 1)).fetchall()
        return got == rows  # (a rowid missing in the run: fewer rows, not the same)

    def by_id(self, link_id: str) -> Row | None:
        row = self.conn.execute(_SELECT_BY_ID, (link_id,)).fetchone()
        return tuple(row) if row is not None else None

    # --- writing

    def insert(self, rows: Sequence[Row]) -> int:
        """Add new links (in this order); returns the rowid of the first (the rest follow it)."""
        if rows and set(map(len, rows)) == {len(_LINK_COLS)}:
            return self.insert_columns(tuple(zip(*rows, strict=True)))
        return self._insert(_checked(rows))  # (a row of the wrong length: refused there)

    def insert_columns(self, columns: Sequence[Sequence[Any]]) -> int:
        """``insert`` of rows given as columns (``columns[i]`` holds the table's column i), as the
        batch reader has them: checked, written and logged without a tuple per row."""
        count = len(columns[0]) if columns else 0
        if not count:
            return 0
        if len(columns) != len(_LINK_COLS) or set(map(len, columns)) != {count} or not _columns_ok(columns):
            return self._insert(_checked(list(zip(*columns, strict=False))))  # explains, or normalises
        return self._insert_checked(columns, count)

    def _insert(self, rows: list[Row]) -> int:
        return self._insert_checked(tuple(zip(*rows, strict=True)), len(rows)) if rows else 0

    def _insert_checked(self, columns: Sequence[Sequence[Any]], count: int) -> int:
        if self._check_ends:
            self._ends_exist(columns)
        if not self._dropped and self.added + count >= max(BULK_REBUILD, self.stored + 1):
            for name in _DROPPED:  # rebuilt in finish(); rolled back on failure
                self.conn.execute(f"DROP INDEX {name}")
            self._dropped = True
        first = int(self.conn.execute("SELECT coalesce(max(rowid), 0) FROM links").fetchone()[0]) + 1
        try:
            self.conn.executemany(_INSERT, zip(*_blank_none(columns), strict=True))
        except sqlite3.IntegrityError as e:
            raise ValueError(f"links could not be added: {e}") from None
        last = int(self.conn.execute("SELECT max(rowid) FROM links").fetchone()[0])
        if last != first + count - 1:  # rowids are max+1 each: the caller relies on it
            raise ValueError("links could not be added in order (the table's row ids are exhausted)")
        self.added += count
        return first

    def _ends_exist(self, columns: Sequence[Sequence[Any]]) -> None:
        """ValueError naming the first link whose source or target is no member (foreign keys are
        off in an import of its own: the ends are looked up in the members' ids, read once)."""
        members = self.member_set()
        if members.issuperset(columns[1]) and members.issuperset(columns[2]):
            return
        for link_id, source, target in zip(columns[0], columns[1], columns[2], strict=True):
            if source not in members or target not in members:
                raise ValueError(_missing_end((link_id, source, target, source in members)))

    def replace_added(self, rowids: Sequence[int], rows: Sequence[Row]) -> None:
        """Rewrite links this import added at ``rowids`` (a later row of the file repeats them; by
        rowid: the id index may be dropped until the end): their log entry is written at the end
        from the row as it is then."""
        checked = _checked(rows)
        self.conn.executemany(_REPLACE, [(*r[1:], int(k)) for k, r in zip(rowids, checked, strict=True)])
        if self._check_ends and checked:  # an id may have moved the link to other ends
            self._ends_exist(tuple(zip(*checked, strict=True)))

    def update_stored(self, rows: Sequence[Row]) -> None:
        """Write links stored before the import (whole records, the same ids), each change logged
        field by field; the records as they were go to ``old_rows``."""
        log = []
        checked = _checked(rows)
        if checked:
            self._rebuild(_REBUILD[:1])  # found by id: the id index back first
            if self._announce is not None:
                self._announce([row[0] for row in checked])
        for n, row in enumerate(checked):
            if n % 20_000 == 19_999:
                self._tick()
            old = self.conn.execute(_SELECT_ROW, (row[0],)).fetchone()
            if old is None:
                raise ValueError(f"link {row[0]!r} is gone")
            before, after = diff(LINK_FIELDS, tuple(old[1:]), tuple(row[1:]))
            if after:
                try:
                    self.conn.execute(_update_sql("links", after), (*after.values(), row[0]))
                except sqlite3.IntegrityError as e:
                    raise ValueError(f"link {row[0]!r} could not be updated: {e}") from None
                log.append((self._at, self._actor, "link", row[0], "update", dumps(before), dumps(after)))
                self.old_rows.append(tuple(old))
        self.conn.executemany(self._insert_change, log)
        if self._check_ends and log:
            ids = [entry[3] for entry in log]
            for k in range(0, len(ids), 500):
                chunk = ids[k:k + 500]
                where = f"id IN ({', '.join('?' * len(chunk))})"
                bad = self.conn.execute(_MISSING_END.replace("rowid > ?", where), chunk).fetchone()
                if bad is not None:
                    raise ValueError(_missing_end(bad))

    def _tick(self) -> None:
        if self.tick is not None:
            self.tick()

    def _rebuild(self, statements: Sequence[str]) -> None:
        """The dropped indexes among ``statements`` built again (each once, a tick before each)."""
        for statement in statements:
            if self._dropped and statement not in self._built:
                self._tick()
                try:
                    with sorting_cache(self.conn, INDEX_SORT_CACHE_KIB):  # (see there: ~1/3 less CPU)
                        self.conn.execute(statement)
                except sqlite3.IntegrityError as e:  # (the id index: a duplicate id)
                    raise ValueError(f"links could not be added: {e}") from None
                self._built.add(statement)

    def finish(self) -> None:
        """The end of the import: the ends checked, the indexes back, the inserts logged. ``tick``
        is called between the steps (at 300,000 links each takes ~0.1-0.5 s): what it raises
        (``ImportCancelled``) rolls everything back, as during the batches."""
        conn = self.conn
        self._members = self._member_ids = None
        self._tick()  # (the ends were checked batch by batch)
        self._rebuild(_REBUILD)
        if not self.added:
            return
        # Logged as runs (``store.bulklog``): a marker row a step, so the log's entity index is not
        # dropped and built again around them as it was when every link had its own entry.
        if self.added >= BULK_LOG_ROWS:
            last = int(conn.execute("SELECT coalesce(max(rowid), 0) FROM links").fetchone()[0])
            for lo in range(self.before, last, _LOG_STEP):
                self._tick()
                log_by_sql(conn, "links", "link", _LINK_COLS, lo, self._at, self._actor, last=lo + _LOG_STEP)
        else:  # few rows: read them back and log them one entry each
            sql = f"SELECT {_cols(_LINK_COLS)} FROM links WHERE rowid > ? ORDER BY rowid"
            rows = [tuple(r) for r in conn.execute(sql, (self.before,))]
            log_inserted(conn, "links", "link", _LINK_COLS, rows, self.before, self._at, self._actor,
                         self._insert_change)
        self._tick()


def _missing_end(bad: Sequence[Any]) -> str:
    link_id, source, target, source_ok = bad
    label, end = ("target", target) if source_ok else ("source", source)
    return f"link {link_id!r}: the {label} member {end!r} does not exist"
