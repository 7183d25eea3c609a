"""The checks' columns read straight from a project file, with no Member or Link record built.

The window's first assessment after an open used to need every record (a million members and
three million links took Python to ~4 GB, issue 17). ``read_arrays(path)`` reads what
``core.checks.context.Arrays`` holds (MEMBER_VALUES, LINK_VALUES) a window of ``WINDOW`` rowids at
a time, each turned into numpy columns before the next is read (texts as one joined text per
column, numbers as rows: exact), on a read-only connection of its own:
the assessor's worker thread calls it (an sqlite3 connection belongs to the thread that made it,
and the window's stays free for edits). One read transaction: members and links of one state.

Where a first read's time went at 100,000 members / 300,000 links (cProfile, py-spy, SQLite's
VM steps; 733bf13, 1.7-2.4 s CPU): SQLite 1.2 s, of it 0.3 s the two joins that searched the
members' id index for every link end and ~0.4 s ``char(31)``, the separator, evaluated again
for every value; in Python the ends' rowids parsed and searched (0.2 s), the cycle collector
(its full passes scan the window's records too: 2.4 s in bench_checks, 1.7 s alone), and the
texts split and coded. Now the ends are matched in the members' id -> row map (a dict lookup
each, cheaper than an index search in SQLite), the separator is a literal, the collector is
paused: 1.4-1.7x a plain ``SELECT`` of the same columns as rows measured in the same run
(733bf13: 2.3x; bench_checks --file-read-only). What is left: SQLite's texts (~45 %), the
ends' lookups, splitting the texts and coding them (core.checks.roster_rows).
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import numpy as np

from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.checks.roster_rows import LINK_VALUES, MEMBER_VALUES
from cluster_desk.core.collector import gc_paused
from cluster_desk.core.tables import SharedTexts, TextColumn
from cluster_desk.store import arrays_cache, snapshot
from cluster_desk.store.errors import ProjectError

#: Rows (rowids) read and turned into columns at a time: what lives of a batch beside the
#: columns is its texts, a few MB.
WINDOW = 131_072
#: How long a read waits for a writer's commit (the window's own edit) before it fails.
BUSY_MS = 10_000
MMAP_BYTES = 4 << 30
_SEP = chr(TextColumn.SEP)


def _texts(columns: tuple[str, ...], nullable: frozenset[str]) -> str:
    """One text per column of the rows in a rowid window, joined by _SEP (the sqlite3 module's
    cost per row and value is most of reading 400,000 rows as tuples; this is one step)."""
    parts = [_joined(f'coalesce("{c}", \'\')' if c in nullable else f'"{c}"') for c in columns]
    return f"SELECT count(*), {', '.join(parts)} FROM {{table}} WHERE rowid BETWEEN ? AND ?"


def _joined(value: str) -> str:
    """``group_concat`` of a value by _SEP, written as a text literal: ``char(31)`` or ``x'1f'``
    is evaluated again for every row (a 300,000-link read: 0.32 s of SQLite CPU, not 0.13)."""
    return f"group_concat({value}, '{_SEP}')"


def _quoted(names: tuple[str, ...]) -> str:
    return ", ".join(f'"{n}"' for n in names)


# Texts come joined; integers too (exact as text); reals as rows (their text would round).
_MEMBER_TEXTS = ("id", "name", "kind", "status", "sector", "industry", "joined", "left", "special_territory")
_MEMBER_REALS = ("lat", "lon", "output")
_CONCAT_MEMBERS = _texts(_MEMBER_TEXTS, frozenset({"joined", "left"})).format(table="members").replace(
    " FROM", ", group_concat(coalesce(employees, 'nan'), ' '), group_concat(organising_production, ' ') FROM")
_REALS_MEMBERS = (f"SELECT {_quoted(_MEMBER_REALS)} FROM members WHERE rowid BETWEEN ? AND ? "
                  "ORDER BY rowid")
# A link's ends as the members' ids (mapped to rows by the members' id -> row map the arrays
# hold: a dict lookup per end is ~5x cheaper than SQLite's search of its id index per end).
_LINK_TEXTS = ("id", "kind", "start", "end", "source", "target")
_CONCAT_LINKS = _texts(_LINK_TEXTS, frozenset({"start", "end"})).format(table="links")
_REALS_LINKS = "SELECT volume FROM links WHERE rowid BETWEEN ? AND ? ORDER BY rowid"
# A window with a separator inside a text: its rows as tuples.
_ROWS_MEMBERS = f"SELECT {_quoted(MEMBER_VALUES)} FROM members WHERE rowid BETWEEN ? AND ? ORDER BY rowid"
_ROWS_LINKS = f"SELECT {_quoted(LINK_VALUES)} FROM links WHERE rowid BETWEEN ? AND ? ORDER BY rowid"


def _windows(conn: sqlite3.Connection, table: str) -> Iterator[tuple[int, int]]:
    last = int(conn.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0])
    for lo in range(1, last + 1, WINDOW):
        yield lo, min(lo + WINDOW - 1, last)


def _split(text: str | None, count: int) -> list[str] | None:
    """The values of a joined text; None when a value holds the separator (read row by row)."""
    values = text.split(_SEP) if text is not None else []
    return values if len(values) == count else None


def _numbers(text: str | None, count: int) -> np.ndarray | None:
    values = np.fromstring(text or "", sep=" ") if count else np.zeros(0)
    return values if len(values) == count else None


def _member_parts(conn: sqlite3.Connection) -> Iterator[tuple[Any, ...]]:
    """The members' columns (MEMBER_VALUES order), a rowid window at a time."""
    for lo, hi in _windows(conn, "members"):
        count, *joined, employees_text, organising_text = conn.execute(_CONCAT_MEMBERS, (lo, hi)).fetchone()
        if not count:
            continue
        texts = [_split(t, count) for t in joined]
        employees, organising = _numbers(employees_text, count), _numbers(organising_text, count)
        reals = conn.execute(_REALS_MEMBERS, (lo, hi)).fetchall()
        if any(t is None for t in texts) or employees is None or organising is None or len(reals) != count:
            yield tuple(zip(*conn.execute(_ROWS_MEMBERS, (lo, hi)).fetchall(), strict=True))
            continue
        ids, names, kinds, statuses, sectors, industries, joined_on, left_on, territory = cast(
            list[list[str]], texts)
        lat, lon, output = zip(*reals, strict=True)
        yield (ids, names, kinds, statuses, sectors, industries, employees, lat, lon, joined_on, left_on,
               output, territory, organising)


def _link_parts(conn: sqlite3.Connection) -> Iterator[tuple[Any, ...]]:
    """The links' columns (LINK_VALUES order), a rowid window at a time: the ids as one text."""
    for lo, hi in _windows(conn, "links"):
        count, ids, *joined = conn.execute(_CONCAT_LINKS, (lo, hi)).fetchone()
        if not count:
            continue
        texts = [_split(t, count) for t in joined]
        volume = [v for (v,) in conn.execute(_REALS_LINKS, (lo, hi)).fetchall()]
        if any(t is None for t in texts) or len(volume) != count or ids.count(_SEP) != count - 1:
            yield tuple(zip(*conn.execute(_ROWS_LINKS, (lo, hi)).fetchall(), strict=True))
            continue
        kinds, start, end, sources, targets = cast(list[list[str]], texts)
        yield (ids, sources, targets, kinds, start, end, volume)


def arrays_of(conn: sqlite3.Connection, path: Path) -> Arrays:
    """The arrays of what ``conn`` holds now (inside the caller's read transaction, if any)."""
    try:
        with gc_paused():  # lists and tuples by the million: nothing that makes a cycle, yet each
            # full collection would scan every object of the process (a window's records too)
            return Arrays.from_columns(_member_parts(conn), _link_parts(conn))
    except KeyError as e:  # a kind, status or link kind the model does not know
        raise ProjectError.of("members_unknown_value", path=path, detail=str(e)) from e


@contextlib.contextmanager
def reading(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection of its own (this thread's), in one read transaction."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA query_only = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        # The file mapped rather than paged through a 2 MB cache (each page read in place, not
        # copied; the arrays cache's key is read here too); unmapped at close.
        conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")
    finally:
        conn.close()


def read_arrays(path: Path) -> Arrays:
    """The arrays of the project file at ``path`` as committed now (a connection of its own)."""
    with gc_paused(), reading(path) as conn:
        return arrays_of(conn, Path(path))


def read_for_assessment(path: Path, texts: SharedTexts | None = None
                        ) -> tuple[Arrays, Callable[[], object] | None]:
    """``read_arrays``, from the arrays cache when it holds the file as it is now
    (store.arrays_cache); else read from the tables, with what keeps them there for the next
    open (call it once the assessment's result is on its way; None: nothing to keep).
    ``texts``: the member ids, names and link ids an open read, with the file's key then: when
    the file is still in that state the arrays hold them instead of reading their own (issue
    17: one copy of each at a million members)."""
    path = Path(path)
    with reading(path) as conn:
        key = snapshot.file_key(conn, path)
        if texts is not None and texts.key != key:
            texts = None  # edited since the open: the arrays read their own
        if not snapshot.worth_keeping(key):
            return _shared(arrays_of(conn, path), texts), None
        cached = arrays_cache.load(path, key, texts)
        if cached is not None:
            return cached, None
        arrays = _shared(arrays_of(conn, path), texts)  # (texts read of this very state: the same)
    return arrays, functools.partial(_keep, path, key, arrays)


def _shared(arrays: Arrays, texts: SharedTexts | None) -> Arrays:
    if texts is not None and len(texts.ids) == len(arrays.names) and len(texts.link_ids) == len(arrays.links):
        arrays.share_texts(texts)
    return arrays


def _keep(path: Path, key: dict[str, Any], arrays: Arrays) -> bool:
    try:
        return arrays_cache.save(path, key, arrays)
    except OSError:  # a full or read-only cache: the next open reads the tables
        return False
