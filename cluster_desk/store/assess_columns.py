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

After a cold open (a file never opened on this machine: no arrays cache) the window's worker
passes the open's columns (``core.tables.SharedTexts``: ids, names, kinds, statuses, exact
coordinates, link ids, ends, kinds), and ``arrays_after_open`` reads only the rest: 1.0-1.25 s
-> 0.47-0.56 s CPU at 100,000 / 300,000 (same runs, load 8-11; bench_checks). Its values go into
columns made once in the arrays' types (no blocks joined: a million members' read held ~0.15 GB
less at its peak; a column of one value throughout is never made whole: store.window_columns);
industry codes, special territories and organising production come as one letter a member. What
is left there: the REALs (output, volume), read as the stored doubles (SQLite renders a REAL to
15 digits; an exact text of it, two integers per value, cost more in SQLite's VM than rows do in
Python), now 16 values a row (store.real_columns: 0.37-0.54 -> 0.29-0.46 s CPU at 100,000 /
300,000, alternating runs, load 5-7; what is left of them is SQLite's and the sqlite3 module's
per value), and SQLite's scans of the dates and texts. Each window's scan also counts the values
of output and volume, and of each date column it does not join: a REAL column with none is not
read and a few are read alone (store.real_columns), a date column with no date is counted but
not joined in the next window, and while none is joined one count of them all and the REAL
stands for their counts (_Dates); dates come as blobs of ten bytes a date (none: ten dashes),
parsed in numpy a digit's column at a time. bench_checks' 100,000 / 300,000, the read after an
open, medians of 21 alternating runs in one process (load ~5): 350 -> 321 ms CPU; bench_open's
million members / three million links, the rest of the links 584 -> 477 ms, the members' 701 ->
677 (medians of 5, load ~5). Sectors come as a blob whose divisions are found in numpy, industry,
special territory and organising production as one letter (nested CASEs: no number written out),
employees parsed in numpy, kinds and statuses from the open's codes. bench_open's million
members / three million links (no output, volume or date): 3.4-4.7 -> 1.4-1.5 s CPU
(alternating, load 4-6). At 100,000 / 300,000 with outputs, volumes and dates in most rows
(bench_checks) it is within the noise: what is left there is SQLite's per-value work (~0.1 us a
value and aggregate step) and the REALs' ~0.14 us a value in the sqlite3 module (each
sqlite3_column_* call takes the connection's mutex); the floor of the same values visited by one
scan each is ~0.2 s of the ~0.35-0.5 s (load 3-6).
The full read finds the links' ends among the member ids in numpy (core.text_blobs.Table).

Which values the first assessment needs (issue 17, session 16): every column read here is used
per row by some rule, not only as a sum: dates (the participants and links of the day, every
rule), sectors' divisions and industries (rules 1, 2, 6), employees (rule 6, the SMEs of 5
and 8), output (rule 8: each firm's share sold), volume (rules 5, 8: per pair and per seller),
special territory (rule 8: a share of the counted), organising production (rule 8: who is
exempt). Measured at 100,000 / 300,000 (bench_checks' file): the members' scan ~60-75 ms, the
links' ~80 ms, their numpy parse ~40 ms, output ~38 ms and volume ~90-108 ms as doubles. Read
in the open's own scans instead, they save nothing (the fused members' scan cost 16 ms more
than the two, the links' 6 ms less); read on a second thread, they would share the second core
with the integrity check and the roster's threads, which run from the paint (memory_probe
--timeline's CPU per thread).

The links' values after an open (issue 17, session 20): the open's scan of the links' ends
counts the links holding a volume, start or end too (store.column_read.links_with_values, by
the file's key); when it counted none, the read after it takes each of those columns as one
value throughout and does not scan the links at all. bench_open's million members / three million links (none
recorded), the read after an open: 0.94-0.98 -> 0.62-0.64 s CPU (alternating, load 5-7); the
open's ends' scan costs ~0.18 s more on its links thread.

The members' rest beside the open (issue 17, session 21): ``cluster-desk check`` hands the
open a ``MembersAhead``; the open's links thread reads the members' rest windows after the
links' ends, in its own read transaction of the same state, while the main thread matches the
ends (a million members: the main thread's CPU ~3.5 -> ~2.7 s with the members' map not made;
the peak RSS within ~10 MB of before: a thread of its own, holding its windows beside the
open's matching, read ~25-30 MB more; the window's worker reads them itself, as before).

Why ~780 lines: the two reads (full, after an open) share their windows, queries and the
row-by-row fallback of every fast path, and the read after an open parses each column's blob
in numpy (~150 lines: dates, flags, whole numbers, divisions; ~50 more: its members' part read
beside the open). A split would move that read and its parsers to a module of their own; the
tests patch this module's WINDOW, which both use.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

import numpy as np

from cluster_desk.core import text_blobs
from cluster_desk.core.checks.context import COMPACT, UNIFORM, Arrays, compact_column
from cluster_desk.core.checks.roster_rows import (
    INDUSTRY_CODE,
    LINK_CODE,
    LINK_VALUES,
    MEMBER_CODE,
    MEMBER_COLUMNS,
    MEMBER_VALUES,
    NO_DAY_HIGH,
    NO_DAY_LOW,
    STATUS_CODE,
    day_codes,
    divisions_in,
    floats,
    link_block,
    member_block,
)
from cluster_desk.core.collector import gc_paused
from cluster_desk.core.tables import (
    KIND_VALUES,
    MEMBER_KIND_VALUES,
    STATUS_VALUES,
    MemberColumns,
    SharedTexts,
    TextColumn,
)
from cluster_desk.store import arrays_cache, snapshot
from cluster_desk.store.errors import ProjectError
from cluster_desk.store.real_columns import real_column
from cluster_desk.store.window_columns import WindowColumn

#: Rows (rowids) read and turned into columns at a time: what lives of a batch beside the
#: columns is its texts, a few MB.
WINDOW = 131_072
#: How long a read waits for a writer's commit (the window's own edit) before it fails.
BUSY_MS = 10_000
#: The read pages through SQLite's own cache, the file never mapped: a mapped page the read
#: touched counts in the process's RSS until the connection closes (issue 17: a million
#: members' first assessment touched ~600 MB of the file, a 1.86 GB peak; the same CPU unmapped).
MMAP_BYTES = 0
_SEP = chr(TextColumn.SEP)
#: A link kind code of the open's (core.tables.KIND_VALUES order) as the checks' (LINK_CODE).
_LINK_CODES = np.array([LINK_CODE[k] for k in KIND_VALUES], dtype=np.int8)  # (COMPACT's)
#: The links' columns read after an open (the rest: ends and kinds are the open's).
_REST_OF_LINKS = ("volume", "start", "end")


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


# Texts come joined; integers too (exact as text); reals as rows (their text would round): the
# members' three a row, the links' volume 16 a row (store.real_columns).
_MEMBER_TEXTS = ("id", "name", "kind", "status", "sector", "industry", "joined", "left", "special_territory")
_MEMBER_REALS = ("lat", "lon", "output")
_CONCAT_MEMBERS = _texts(_MEMBER_TEXTS, frozenset({"joined", "left"})).format(table="members").replace(
    " FROM", ", group_concat(coalesce(employees, 'nan'), ' '), group_concat(organising_production, ' ') FROM")
_REALS_MEMBERS = (f"SELECT {_quoted(_MEMBER_REALS)} FROM members WHERE rowid BETWEEN ? AND ? "
                  "ORDER BY rowid")
# A link's ends as the members' ids (mapped to rows by the members' id -> row map the arrays
# hold: a dict lookup per end is ~5x cheaper than SQLite's search of its id index per end).
_LINK_TEXTS = ("id", "kind", "start", "end", "source", "target")
_CONCAT_LINKS = _texts(_LINK_TEXTS, frozenset({"start", "end"})).format(table="links").replace(
    _joined('"source"'), f"CAST({_joined('source')} AS BLOB)").replace(
    _joined('"target"'), f"CAST({_joined('target')} AS BLOB)")
# What an open's columns do not hold (store.column_read: ids, names, kinds, statuses, exact
# coordinates, link ids, ends and kinds): the rest of MEMBER_VALUES / LINK_VALUES. Dates as
# blobs (parsed in numpy, _day_codes), reals as rows of one value (NULL as -inf: below every
# CHECK (x >= 0)), read without a tuple kept per row. No date is written as _NO_DATE, ten bytes
# like an ISO date (and never one: no digit where a year's are), so a column of dates is one of
# fixed width, parsed with no search for its separators (_day_codes).
_NO_DATE = "-" * 10
_DATES = "CAST(group_concat(coalesce({}, '" + _NO_DATE + "'), '" + _SEP + "') AS BLOB)"
# (the date columns: read by _Dates, after these)


def _flag_case() -> str:
    """A member's industry code (roster_rows.INDUSTRY_CODE, 2 for any other text), special
    territory and organising production (0 or 1 each) as one letter, "A" + 4 * industry + 2 *
    special + organising ("?": a value the rows must say): nested CASEs that give a text
    literal, no arithmetic and no number written out (a million members: the two-digit number
    this replaced cost SQLite ~0.25-0.39 s, this ~0.22-0.27 s; alternating, load 4-5)."""
    def organising(code: int) -> str:
        return (f"CASE organising_production WHEN 0 THEN '{chr(_FLAG_BASE + code)}' "
                f"WHEN 1 THEN '{chr(_FLAG_BASE + code + 1)}' ELSE '?' END")

    def special(industry: int) -> str:
        return (f"CASE WHEN special_territory = '' THEN {organising(4 * industry)} "
                f"WHEN special_territory <> '' THEN {organising(4 * industry + 2)} ELSE '?' END")

    known = " ".join(f"WHEN '{k.value.replace(chr(39), chr(39) * 2)}' THEN {special(v)}"
                     for k, v in INDUSTRY_CODE.items() if v != 2)
    return f"CAST(group_concat(CASE industry {known} ELSE {special(2)} END, '') AS BLOB)"


_FLAG_BASE = 65  # "A"
_FLAGS = _flag_case()
_CONCAT_REST_MEMBERS = (
    f"SELECT count(*), CAST({_joined('sector')} AS BLOB), {_FLAGS}, "
    f"CAST({_joined('coalesce(employees, ' + chr(39) * 2 + ')')} AS BLOB)"
    "{counted} FROM members WHERE rowid BETWEEN ? AND ?")
_ROWS_REST_MEMBERS = ('SELECT sector, industry, employees, joined, "left", output, special_territory, '
                      "organising_production FROM members WHERE rowid BETWEEN ? AND ? ORDER BY rowid")
_CONCAT_REST_LINKS = "SELECT count(*){counted} FROM links WHERE rowid BETWEEN ? AND ?"
_ROWS_REST_LINKS = 'SELECT start, "end", volume FROM links WHERE rowid BETWEEN ? AND ? ORDER BY rowid'
# A window with a separator inside a text: its rows as tuples.
_ROWS_MEMBERS = f"SELECT {_quoted(MEMBER_VALUES)} FROM members WHERE rowid BETWEEN ? AND ? ORDER BY rowid"
_ROWS_LINKS = f"SELECT {_quoted(LINK_VALUES)} FROM links WHERE rowid BETWEEN ? AND ? ORDER BY rowid"


def windows(conn: sqlite3.Connection, table: str) -> Iterator[tuple[int, int]]:
    """(lo, hi) rowid windows of WINDOW rowids covering ``table`` (store.member_fields too)."""
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


def _member_parts(conn: sqlite3.Connection, ids_seen: list[str] | None = None) -> Iterator[tuple[Any, ...]]:
    """The members' columns (MEMBER_VALUES order), a rowid window at a time (``ids_seen``: each
    window's ids joined by _SEP are added to it, for the links' ends)."""
    for lo, hi in windows(conn, "members"):
        count, *joined, employees_text, organising_text = conn.execute(_CONCAT_MEMBERS, (lo, hi)).fetchone()
        if not count:
            continue
        texts = [_split(t, count) for t in joined]
        employees, organising = _numbers(employees_text, count), _numbers(organising_text, count)
        reals = conn.execute(_REALS_MEMBERS, (lo, hi)).fetchall()
        if any(t is None for t in texts) or employees is None or organising is None or len(reals) != count:
            part = tuple(zip(*conn.execute(_ROWS_MEMBERS, (lo, hi)).fetchall(), strict=True))
            if ids_seen is not None:
                ids_seen.append(_SEP.join(part[0]) if part else "")
            yield part
            continue
        if ids_seen is not None:
            ids_seen.append(joined[0])
        ids, names, kinds, statuses, sectors, industries, joined_on, left_on, territory = cast(
            list[list[str]], texts)
        lat, lon, output = zip(*reals, strict=True)
        yield (ids, names, kinds, statuses, sectors, industries, employees, lat, lon, joined_on, left_on,
               output, territory, organising)


def _link_parts(conn: sqlite3.Connection, member_ids: list[str] | None = None) -> Iterator[tuple[Any, ...]]:
    """The links' columns (LINK_VALUES order), a rowid window at a time: the ids as one text.
    ``member_ids``: the members' ids joined by _SEP, a text per window (_member_parts): the ends
    are then found among them in numpy (core.text_blobs: no str and no dict probe per end,
    issue 17) and come as member rows; else (or when the ids cannot make a table) as ids."""
    table = _id_table(member_ids)
    for lo, hi in windows(conn, "links"):
        count, ids, *joined = conn.execute(_CONCAT_LINKS, (lo, hi)).fetchone()
        if not count:
            continue
        texts = [_split(t, count) for t in joined[:3]]
        ends = [_ends(table, t, count) for t in joined[3:]]
        volume = real_column(conn, "links", "volume", lo, hi, count)  # (16 a row: store.real_columns)
        if (any(t is None for t in (*texts, *ends)) or volume is None
                or ids.count(_SEP) != count - 1):
            yield tuple(zip(*conn.execute(_ROWS_LINKS, (lo, hi)).fetchall(), strict=True))
            continue
        kinds, start, end = cast(list[list[str]], texts)
        sources, targets = ends
        yield (ids, sources, targets, kinds, start, end, volume)


def _id_table(member_ids: list[str] | None) -> text_blobs.Table | None:
    """The members' ids as a core.text_blobs.Table (position = row), or None: not given, or
    ids it cannot hold (the same id twice, one holding the separator or over its width)."""
    if member_ids is None:
        return None
    joined = _SEP.join(t for t in member_ids if t)
    count = sum(t.count(_SEP) + 1 for t in member_ids if t)
    if not count:
        return None
    try:
        blob = joined.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return None
    return text_blobs.Table.of(blob, count)


def _ends(table: text_blobs.Table | None, blob: bytes | None, count: int) -> Any:
    """The member row of each of ``count`` ends joined in ``blob`` (int32, -1: no such member),
    or the ends as ids when there is no table; None when the blob does not split into ``count``."""
    if table is None:
        return _split(blob.decode("utf-8"), count) if blob is not None else None
    return table.find_joined(blob or b"", count)


def _flags(blob: bytes | None, count: int) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    """Industry codes (int8), special territories and organising production (uint8 0/1) of
    ``count`` _FLAGS letters; three None when it is not so."""
    data = np.frombuffer(blob or b"", dtype=np.uint8)
    if len(data) != count:
        return None, None, None
    value = data - np.uint8(_FLAG_BASE)  # ("?" and anything below "A" wrap past 11)
    if count and int(value.max()) > 11:
        return None, None, None
    return ((value >> 2).astype(np.int8), ((value >> 1) & 1).astype(np.uint8), (value & 1).astype(np.uint8))


#: Digits of an integer read exactly as a float64 (below 2**53).
_MAX_DIGITS = 15


def _whole_numbers(blob: bytes | None, count: int) -> np.ndarray | None:
    """Non-negative integers written in decimal, joined by _SEP ('' for none: NaN), as float64,
    parsed in numpy (np.fromstring took ~0.18 us a value: ~0.18 s at a million members); None
    when the blob is not ``count`` of them of at most _MAX_DIGITS digits."""
    got = text_blobs.bounds(blob or b"", count)
    if got is None:
        return None
    starts, lengths = got
    longest = int(lengths.max()) if count else 0
    if longest > _MAX_DIGITS:
        return None
    data = np.frombuffer(blob or b"", dtype=np.uint8)
    last = starts + lengths - 1
    value = np.zeros(count, dtype=np.int64)
    scale = 1
    for k in range(longest):  # the k-th digit from the right of each number that has one
        has = lengths > k
        digit = np.where(has, data[np.where(has, last - k, 0)].astype(np.int64) - 48, 0)
        if count and (int(digit.min()) < 0 or int(digit.max()) > 9):
            return None
        value += digit * scale
        scale *= 10
    out = value.astype(np.float64)
    out[lengths == 0] = np.nan
    return out


def _day_codes(blob: bytes | None, count: int, missing: int) -> np.ndarray | None:
    """``roster_rows.day_codes`` of ISO dates joined in ``blob`` (_NO_DATE for none), in numpy;
    None when a text is not 10 bytes long or holds the separator (the caller parses those one
    by one). Texts of ten bytes that are not a date (_NO_DATE among them) are ``missing``, as
    day_codes has them."""
    if not count:
        return None if blob else np.zeros(0, dtype=np.int32)
    width = _DATE_BYTES + 1  # (a date and its separator)
    blob = blob or b""
    if len(blob) != count * width - 1 or blob.count(TextColumn.SEP) != count - 1:
        return None
    rows = np.frombuffer(blob + _SEP.encode(), dtype=np.uint8).reshape(count, width)
    if not bool((rows[:, _DATE_BYTES] == TextColumn.SEP).all()):
        return None  # (as many separators, not one after each ten bytes)
    good = (rows[:, 4] == 45) & (rows[:, 7] == 45)  # "-"
    code = np.zeros(count, dtype=np.int32)
    for at in (0, 1, 2, 3, 5, 6, 8, 9):  # each digit's byte of every row, strided: no gather
        digit = rows[:, at] - np.uint8(48)  # (below "0" wraps past 9)
        good &= digit <= 9
        code *= 10
        code += digit  # (a row that is no date may overflow: not taken)
    return np.where(good, code, missing).astype(np.int32, copy=False)


#: An ISO date's length in bytes.
_DATE_BYTES = 10


class _Dates:
    """A table's REAL column and date columns, often empty (no output or volume recorded, no
    member left, no link dated), read a rowid window at a time with the window's other values
    (one scan): the REAL's count of values (store.real_columns reads them), and each date column
    as one blob of its texts, or as its count of dates when the last window had no date in it.
    Such a column (no link ended, no member left) is then counted but not joined (bench_open's
    million members and three million links, no date at all: ~0.4 s of SQLite's CPU); a window
    whose count finds dates after all reads that column again, alone. A joined column is not
    counted too: its blob says whether it held a date (a ``count()`` beside the blob cost SQLite
    ~60 ns a row: 300,000 links' start dates, ~10-20 ms). Where no date column is joined, one
    ``count(coalesce(...))`` of them all and the REAL stands for their counts, and only a window
    where it finds a value counts them one by one (bench_open's three million links: their three
    counts cost SQLite ~0.33 s beyond its scan, the one ~0.23 s)."""

    def __init__(self, table: str, real: str, columns: tuple[tuple[str, int], ...]) -> None:
        self.table = table
        self.real = real
        self.columns = columns  # (quoted name, the day code of no date)
        self.joined = [True] * len(columns)

    def sql(self) -> str:
        """The window's values to select (after its others): the count of all, where no date
        column is joined (``_one_count``); else the REAL's count, then each date column's blob
        where joined, else its count."""
        if self._one_count():
            return f", count(coalesce({self.real}, {', '.join(c for c, _ in self.columns)}))"
        return f", count({self.real})" + "".join(
            f", {_DATES.format(c)}" if joined else f", count({c})"
            for (c, _), joined in zip(self.columns, self.joined, strict=True))

    def _one_count(self) -> bool:
        return not any(self.joined)

    def values(self, conn: sqlite3.Connection, values: tuple[Any, ...], lo: int, hi: int,
               count: int) -> tuple[int, list[np.ndarray | None]]:
        """The REAL's count of values and each date column's day codes, from the values selected
        by ``sql()`` (None: a text that is no ISO date, the caller reads rows); decides which
        date columns the next window joins."""
        if self._one_count():
            if not values[0]:
                return 0, [np.full(count, missing, dtype=np.int32) for _, missing in self.columns]
            counts = ", ".join(f"count({c})" for c in (self.real, *(c for c, _ in self.columns)))
            values = conn.execute(f"SELECT {counts} FROM {self.table} WHERE rowid BETWEEN ? AND ?",
                                  (lo, hi)).fetchone()
        out: list[np.ndarray | None] = []
        for k, ((column, missing), value) in enumerate(zip(self.columns, values[1:], strict=True)):
            if self.joined[k]:
                blob = value
            elif value:  # counted dates in a column not joined: read it alone
                blob = conn.execute(f"SELECT {_DATES.format(column)} FROM {self.table} "
                                    "WHERE rowid BETWEEN ? AND ?", (lo, hi)).fetchone()[0]
            else:
                blob = None
            self.joined[k] = _has_text(blob)
            # (only _NO_DATE or nothing: no date, whatever the texts' lengths; not parsed)
            out.append(_day_codes(blob, count, missing) if self.joined[k] else
                       np.full(count, missing, dtype=np.int32))
        return int(values[0]), out


def _has_text(blob: bytes | None) -> bool:
    """Whether a _DATES blob holds anything but _NO_DATE's dashes and separators (else no text
    of it is a date; one of ten dashes stored only makes the next window join the column)."""
    blob = blob or b""
    return blob.count(_NO_DATE[:1].encode()) + blob.count(_SEP.encode()) != len(blob)  # (C's loops)


def _member_dates() -> _Dates:
    return _Dates("members", "output", (("joined", NO_DAY_LOW), ('"left"', NO_DAY_HIGH)))


def _link_dates() -> _Dates:
    return _Dates("links", "volume", (("start", NO_DAY_LOW), ('"end"', NO_DAY_HIGH)))


def _rest_of_members(conn: sqlite3.Connection, lo: int, hi: int, dates: _Dates) -> tuple[int, dict[str, Any]]:
    """The members' values an open did not read, in rowid window lo..hi: (count, values by
    member_block's parameter names; joined/left already as day codes when they parsed so)."""
    read = conn.execute(_CONCAT_REST_MEMBERS.format(counted=dates.sql()), (lo, hi)).fetchone()
    count, sectors, flags, employees_blob = read[:4]
    if not count:
        return 0, {}
    outputs, (joined_on, left_on) = dates.values(conn, read[4:], lo, hi, count)
    divisions = _divisions(sectors, count)
    industries, special, organising = _flags(flags, count)
    employees = _whole_numbers(employees_blob, count)
    output = real_column(conn, "members", "output", lo, hi, count, outputs)
    parsed = (divisions, industries, special, organising, employees, output, joined_on, left_on)
    if any(p is None for p in parsed):
        rows = conn.execute(_ROWS_REST_MEMBERS, (lo, hi)).fetchall()
        names = ("sectors", "industries", "employees", "joined", "left", "output", "special", "organising")
        got: dict[str, Any] = dict(zip(names, (list(c) for c in zip(*rows, strict=True)), strict=True))
        got["joined"], got["left"] = day_codes(got["joined"], NO_DAY_LOW), day_codes(got["left"], NO_DAY_HIGH)
        return len(rows), got
    return count, {"sectors": divisions, "industries": cast(np.ndarray, industries).astype(np.int8),
                   "special": special, "employees": employees, "organising": organising, "output": output,
                   "joined": joined_on, "left": left_on}


def _divisions(blob: bytes | None, count: int) -> np.ndarray | None:
    """The sectors' divisions (roster_rows.divisions_in) of ``count`` texts joined in ``blob``;
    None when it does not split so or is not UTF-8 (the rows then)."""
    got = text_blobs.bounds(blob or b"", count)
    if got is None:
        return None
    try:
        return divisions_in(blob or b"", *got)
    except UnicodeDecodeError:
        return None


def _rest_of_links(conn: sqlite3.Connection, lo: int, hi: int, dates: _Dates) -> tuple[int, list[Any]]:
    """The links' start and end (day codes) and volume in rowid window lo..hi."""
    read = conn.execute(_CONCAT_REST_LINKS.format(counted=dates.sql()), (lo, hi)).fetchone()
    count = read[0]
    if not count:
        return 0, []
    volumes, (start, end) = dates.values(conn, read[1:], lo, hi, count)
    volume = real_column(conn, "links", "volume", lo, hi, count, volumes)
    if start is None or end is None or volume is None:
        rows = conn.execute(_ROWS_REST_LINKS, (lo, hi)).fetchall()
        first, last, amounts = (list(c) for c in zip(*rows, strict=True))
        return len(rows), [day_codes(first, NO_DAY_LOW), day_codes(last, NO_DAY_HIGH), floats(amounts)]
    return count, [start, end, volume]


class MembersAhead:
    """The rest of the members' columns (``_rest_of_members``, every window) read beside the
    caller's own work: ``cluster-desk check`` hands it to the open (``column_read.open_columns
    (then=...)``), whose links' thread reads them after the links' ends, in the same read
    transaction, while the main thread matches those ends to the members (issue 17: at a
    million members the read, ~0.37 s of CPU, waited for the matching on the main thread while
    the second core sat idle once the integrity check was done; SQLite lets go of the
    interpreter while it steps). Its windows are used only for the state of the file they were
    read of (``windows(key)``); anything else leaves the caller to read them."""

    def __init__(self) -> None:
        self._key: dict[str, Any] | None = None
        self._windows: list[tuple[int, dict[str, Any]]] | None = None
        self._done = threading.Event()

    def __call__(self, conn: sqlite3.Connection | None, key: dict[str, Any] | None = None) -> None:
        """Read them on ``conn`` (in a read transaction of the file in state ``key``); None:
        they will not be read here (the caller's read does)."""
        try:
            if conn is not None and key is not None:
                dates = _member_dates()
                self._windows = [_held(*_rest_of_members(conn, lo, hi, dates))
                                 for lo, hi in windows(conn, "members")]
                self._key = key
        except Exception:  # (busy, damaged, a value the model does not know: the caller's read says)
            self._windows, self._key = None, None
        finally:
            self._done.set()

    def windows(self, key: Any) -> list[tuple[int, dict[str, Any]]] | None:
        """Each window's (count, values) as ``_rest_of_members`` gives them, once read, when
        read of the file in state ``key``; else None."""
        self._done.wait()
        got, self._windows = self._windows, None  # (handed over: asked for once)
        # (a key without row counts tells the state: the open's thread may hold one, _key_now)
        same = (self._key is not None and isinstance(key, dict)
                and snapshot.without_counts(self._key) == snapshot.without_counts(key))
        return got if same else None


def _held(count: int, rest: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """A window's values as ``MembersAhead`` holds them until asked: a column of one value
    throughout (no output, no member left: UNIFORM) as a read-only view of it, as the arrays
    hold it anyway (``compact_column``; a million members' windows: ~20 MB less held beside the
    open's matching, the read's peak; the block copies what it changes)."""
    for name in UNIFORM.intersection(rest):
        if isinstance(rest[name], np.ndarray):
            rest[name] = compact_column(name, rest[name])
    return count, rest


def arrays_after_open(conn: sqlite3.Connection, shared: SharedTexts,
                      ahead: MembersAhead | None = None) -> Arrays | None:
    """The arrays of what ``conn`` holds now, which is the state an open read ``shared`` of
    (the caller compared their keys inside this read transaction): its ids, names, kinds,
    statuses, coordinates, link ids, ends and kinds taken as they are, only the rest read from
    the tables (issue 17: a first assessment of a file never opened here read every column
    again, 1.1 s of CPU at 100,000 members / 300,000 links). None when ``shared`` lacks the
    links' ends or kinds, or does not fit the tables' rows.

    Each window's values go straight into columns made once in the arrays' own types (COMPACT),
    and the open's coordinates, ends and kinds are held as they are: no block kept to be joined,
    no int64 copy to narrow (a million members and three million links: ~0.15 GB less at the
    first assessment's peak)."""
    if shared.link_ends is None or shared.link_kinds is None:
        return None
    m = shared.members
    # The open's exact coordinates are held as they are (the blocks' are copies of them).
    held = {name: theirs for name, theirs in (("lat", m.lat), ("lon", m.lon))
            if isinstance(theirs, np.ndarray) and theirs.dtype == np.float64 and theirs.shape == (len(m),)}
    filled = tuple(name for name in MEMBER_COLUMNS if name not in held)
    members = {**_empty_columns(filled, _NO_MEMBERS, len(m)), **held}
    coded = _open_codes(m)
    dates = _member_dates()
    read = ahead.windows(shared.key) if ahead is not None else None
    at = 0
    for count, rest in read if read is not None else (
            _rest_of_members(conn, lo, hi, dates) for lo, hi in windows(conn, "members")):
        if not count:
            continue
        if at + count > len(m):
            return None
        part = slice(at, at + count)
        ids = m.ids[part]
        lat, lon = cast(Any, m.lat[part]), cast(Any, m.lon[part])  # (floats() takes arrays as they are)
        kinds, statuses = ((coded[0][part], coded[1][part]) if coded
                           else (m.kinds[part], m.statuses[part]))  # type: Any, Any
        block = member_block(ids, ids, kinds, statuses, rest["sectors"], rest["industries"],
                             rest["employees"], lat, lon, (), (), rest["output"], rest["special"],
                             rest["organising"])
        block["joined"], block["left"] = rest["joined"], rest["left"]  # (day codes already)
        for name in filled:
            column = members[name]
            if isinstance(column, WindowColumn):
                column.put(at, block[name])
            else:
                column[part] = block[name]
        at += count
    del read  # (the windows ahead, copied into the columns: not held while the links are read)
    if at != len(m):
        return None
    members = _columns_of(members)
    if len(shared.link_kinds) and int(shared.link_kinds.max()) >= len(KIND_VALUES):
        return None  # a kind the model does not know (the full read names it)
    # The open's ends and kinds whole, in the arrays' own types (core.checks.context.COMPACT):
    # not cut into int64 blocks and joined (three million links: ~140 MB more at the peak).
    sources, targets = shared.link_ends
    links = {"src": sources.astype(np.int32, copy=False), "dst": targets.astype(np.int32, copy=False),
             "link_kind": _LINK_CODES[shared.link_kinds]}
    links.update(_empty_columns(_REST_OF_LINKS, _NO_LINKS, len(shared.link_ids)))
    if _no_link_values(shared):  # (the open's scan of this state counted none: no scan here)
        for name, none in (("start", NO_DAY_LOW), ("end", NO_DAY_HIGH), ("volume", np.nan)):
            links[name].put(0, np.broadcast_to(np.array(none, dtype=links[name].dtype), len(shared.link_ids)))
        return Arrays.of_columns([], [], members, [], _columns_of(links), shared=shared)
    at = 0
    dates = _link_dates()
    for lo, hi in windows(conn, "links"):
        count, values = _rest_of_links(conn, lo, hi, dates)
        if not count:
            continue
        if at + count > len(shared.link_ids):
            return None
        for name, column in zip(("start", "end", "volume"), values, strict=True):
            links[name].put(at, column)
        at += count
    if at != len(shared.link_ids):
        return None
    return Arrays.of_columns([], [], members, [], _columns_of(links), shared=shared)


def _no_link_values(shared: SharedTexts) -> bool:
    """Whether the open that read ``shared`` (of the state the caller's read transaction sees)
    counted no volume, start or end on any of its links (store.column_read.links_with_values):
    each of those columns is then one value throughout, as the windows' read would give it."""
    from cluster_desk.store.column_read import links_with_values

    counted = links_with_values(shared.key) if isinstance(shared.key, dict) else None
    return (counted == 0 and len(shared.link_ids) > 0
            and int(shared.key.get("links", -1)) == len(shared.link_ids))


#: An open's member kind and status codes (core.tables: positions in MEMBER_KIND_VALUES,
#: STATUS_VALUES; 255 another value) as the checks' (roster_rows.MEMBER_CODE, STATUS_CODE; -1
#: where the model knows no such value).
_KIND_OF_OPEN = np.full(256, -1, dtype=np.int8)
_KIND_OF_OPEN[:len(MEMBER_KIND_VALUES)] = [MEMBER_CODE[v] for v in MEMBER_KIND_VALUES]
_STATUS_OF_OPEN = np.full(256, -1, dtype=np.int8)
_STATUS_OF_OPEN[:len(STATUS_VALUES)] = [STATUS_CODE[v] for v in STATUS_VALUES]  # type: ignore[index]


def _open_codes(m: MemberColumns) -> tuple[np.ndarray, np.ndarray] | None:
    """The checks' kind and status codes of the open's (no str looked up per member: a million
    members' two dict probes each were ~0.2 s); None when it holds none, or a value the model
    does not know (the texts then: their read names it)."""
    if m.kind_codes is None or m.status_codes is None or len(m.kind_codes) != len(m) or (
            len(m.status_codes) != len(m)):
        return None
    kinds, statuses = _KIND_OF_OPEN[m.kind_codes], _STATUS_OF_OPEN[m.status_codes]
    if len(m) and (int(kinds.min()) < 0 or int(statuses.min()) < 0):
        return None
    return kinds, statuses


#: The columns of no rows (their types: what the blocks of rows are made in).
_NO_MEMBERS = member_block(*([()] * len(MEMBER_VALUES)))
_NO_LINKS = link_block((), (), (), (), (), (), {})


def _empty_columns(names: tuple[str, ...], none: dict[str, Any], count: int) -> dict[str, Any]:
    """Columns of ``count`` rows to fill, each in the type the arrays hold it in (COMPACT); one
    the arrays may hold as one value (UNIFORM) is made whole only when it holds more than one
    (store.window_columns: a million members' and three million links' read, 64 MB less)."""
    return {name: (WindowColumn if name in UNIFORM else np.empty)(count, COMPACT.get(name, none[name].dtype))
            for name in names}


def _columns_of(columns: dict[str, Any]) -> dict[str, Any]:
    return {name: c.column() if isinstance(c, WindowColumn) else c for name, c in columns.items()}


def arrays_of(conn: sqlite3.Connection, path: Path) -> Arrays:
    """The arrays of what ``conn`` holds now (inside the caller's read transaction, if any)."""
    try:
        with gc_paused():  # lists and tuples by the million: nothing that makes a cycle, yet each
            # full collection would scan every object of the process (a window's records too)
            member_ids: list[str] = []
            return Arrays.from_columns(_member_parts(conn, member_ids), _link_parts(conn, member_ids))
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
        conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")  # (MMAP_BYTES: why not mapped)
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


def read_for_assessment(path: Path, texts: SharedTexts | None = None, ahead: MembersAhead | None = None
                        ) -> tuple[Arrays, Callable[[], object] | None]:
    """``read_arrays``, from the arrays cache when it holds the file as it is now
    (store.arrays_cache); else read from the tables, with what keeps them there for the next
    open (call it once the assessment's result is on its way; None: nothing to keep).
    ``texts``: the member ids, names and link ids an open read, with the file's key then: when
    the file is still in that state the arrays hold them instead of reading their own (issue
    17: one copy of each at a million members). ``ahead``: the rest of the members' columns
    being read meanwhile (used when of this state)."""
    path = Path(path)
    with reading(path) as conn:
        key = _key_now(conn, path, texts)
        if texts is not None and texts.key != key:
            texts = None  # edited since the open: the arrays read their own
        if not snapshot.worth_keeping(key):
            return _read(conn, path, texts, ahead), None
        cached = arrays_cache.load(path, key, texts)
        if cached is not None:
            return cached, None
        arrays = _read(conn, path, texts, ahead)  # (texts read of this very state: the same)
    return arrays, functools.partial(_keep, path, key, arrays)


def _key_now(conn: sqlite3.Connection, path: Path, texts: SharedTexts | None) -> dict[str, Any]:
    """The file's key (``snapshot.file_key``) in ``conn``'s read transaction. When ``texts`` were
    read of a state with the same header (its change counter, bumped by every commit in the
    project's rollback-journal mode), size, change log and last rowids, that state is this one:
    their key is taken, its row counts not counted again (two scans of an index each: a million
    members' check, ~0.03 s of its main thread's CPU; store.column_read's links thread compares
    the same way)."""
    if texts is not None and isinstance(texts.key, dict) and (
            snapshot.file_key(conn, path, counts=False) == snapshot.without_counts(texts.key)):
        return texts.key
    return snapshot.file_key(conn, path)


def _read(conn: sqlite3.Connection, path: Path, texts: SharedTexts | None,
          ahead: MembersAhead | None = None) -> Arrays:
    """The arrays from the tables: the columns an open read of this state taken from it."""
    if texts is not None:
        try:
            with gc_paused():
                arrays = arrays_after_open(conn, texts, ahead)
        except KeyError as e:  # a value the model does not know
            raise ProjectError.of("members_unknown_value", path=path, detail=str(e)) from e
        if arrays is not None:
            return arrays
    return _shared(arrays_of(conn, path), texts)


def _shared(arrays: Arrays, texts: SharedTexts | None) -> Arrays:
    if texts is not None and len(texts.ids) == len(arrays.names) and len(texts.link_ids) == len(arrays.links):
        arrays.share_texts(texts)
    return arrays


def _keep(path: Path, key: dict[str, Any], arrays: Arrays) -> bool:
    try:
        return arrays_cache.save(path, key, arrays)
    except OSError:  # a full or read-only cache: the next open reads the tables
        return False
