"""The first paint's columns read from the tables when no snapshot holds them: a project opened
for the first time on this machine (a file a colleague sent), or edited by another program.

Where a cold open's read went at 100,000 members / 300,000 links (1f98e6c, ``Project.open_columns``
from the tables, ~0.56-0.71 s CPU): SQLite's scans ~0.3 s (the links' kinds through a ten-way
``CASE`` 65-90 ms of it), and in Python ~0.4 s: each text column split into a list of strs (the
link ids, sources and targets: 900,000 strs), every link end looked up in a dict of member ids
(0.05 s for the sources, which come in member order, 0.2 s for the targets, which come in none:
each probe misses the CPU's caches), the kinds and statuses checked and mapped value by value.

Here each table is still one scan, its texts as blobs (``CAST(group_concat(...) AS BLOB)``: no
str made): the names and link ids stay blobs (``core.tables.TextColumn``, as a snapshot gives
them; link ids that are all 32 lowercase hex digits as 16 bytes each, ``core.hex_ids``), the
link ends and every kind and status are matched in numpy (``core.text_blobs``: exact, byte for
byte), and the coordinates come exact in the same scan, as fixed-width integers (x * 2**52,
``_fixed``; so the checks' arrays can hold the open's, issue 17; as rows of REALs they were a
second scan and ~60 ms at 100,000 members, ~0.8 s CPU at a million, of Python per row). A
blob that does not split into its count (a value holding the separator), an id too long for
``text_blobs``, or text that is not UTF-8 falls back to ``Project``'s own row-by-row reads
(``RecordEdits.member_columns``/``link_columns``).

Why ~580 lines: the two tables' scans, their decoding and the links thread that reads beside
the members (its ends first, its ids after the paint, the values counted for the checks) share
one read transaction's state and the fallbacks to the row-by-row reads; they read best together.
"""

from __future__ import annotations

import codecs
import functools
import itertools
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np

from cluster_desk.core import hex_ids, text_blobs
from cluster_desk.core.later_texts import LaterTexts
from cluster_desk.core.tables import (
    KIND_VALUES,
    MEMBER_KIND_VALUES,
    STATUS_VALUES,
    LinkColumns,
    MemberColumns,
    TextColumn,
)
from cluster_desk.store import snapshot
from cluster_desk.store.errors import ProjectError

_SEP = "\x1f"
_MEMBER_KINDS = MEMBER_KIND_VALUES  # (the codes' order: MemberColumns.kind_codes)
_STATUSES = STATUS_VALUES
_CODE_BASE = 65  # a known value's code as one byte: "A" + its position; "?" another value


def _coded(column: str, values: Sequence[str]) -> str:
    """A column's values as one byte each, in SQL (a ten-way CASE costs SQLite ~0.1 us a row;
    matching the texts in numpy cost more)."""
    cases = " ".join(f"WHEN '{v}' THEN '{chr(_CODE_BASE + i)}'" for i, v in enumerate(values))
    return f"CAST(group_concat(CASE {column} {cases} ELSE '?' END, '') AS BLOB)"


#: A coordinate x as the integer x * 2**52 (exact for any double of magnitude 1 to 1000: its
#: lowest bit is worth 2**-52 or more), plus 2**62: 19 decimal digits for any |x| < 1024, so the
#: column is one blob of fixed-width numbers, no separator. SQLite writes an integer's digits
#: ~3x faster than a REAL's, and its 15-digit REAL text is not exact anyway. NULL (not placed)
#: is written as 1000 (outside every stored coordinate's range). A value under 1 in magnitude
#: may have bits below 2**-52 that the cast dropped: any such value (0 included) reads the
#: coordinates row by row instead (``_MEMBER_PLACES``; members on the equator or the prime
#: meridian, not in a Russian cluster).
_SCALE = 1 << 52
_OFFSET = 1 << 62
_DIGITS = 19
_UNPLACED = 1000


def _fixed(column: str) -> str:
    return (f"CAST(group_concat(CAST(coalesce({column}, {_UNPLACED}.0) * {_SCALE}.0 AS INTEGER) "
            f"+ {_OFFSET}, '') AS BLOB)")


_MEMBER_TEXTS = (f"SELECT count(*), CAST(group_concat(id, '{_SEP}') AS BLOB), "
                 f"CAST(group_concat(name, '{_SEP}') AS BLOB), {_coded('kind', _MEMBER_KINDS)}, "
                 f"{_coded('status', _STATUSES)}, {_fixed('lat')}, {_fixed('lon')} FROM members NOT INDEXED")
# Exact (not through text); an unplaced member's NULL as +inf (9e999), NaN below.
_MEMBER_PLACES = "SELECT coalesce(lat, 9e999), coalesce(lon, 9e999) FROM members ORDER BY rowid"
# What the paint needs of the links (their ends and kinds), then their ids: two scans, so the
# ends are matched while the ids are read (``_LinkTexts``). The values the checks read beside
# them are counted too (the links holding any of volume, start, end: ``links_with_values``): a
# file with none needs no second scan of its links for the first assessment (three million
# links: ~0.3 s less on the assessment's worker). In the ends' scan (~0.18 s more there at three
# million links), or, on the window's links thread, in a scan of their own after the ids, which
# the open does not wait for (300,000 links: ~19 ms off the scan the open waits for; the first
# assessment waits for them). One count of the three (the reader needs only "none at all"): one
# aggregate step a link, not three (three million links: ~0.03-0.07 s less of that scan's CPU).
_ENDS = (f"SELECT count(*), CAST(group_concat(source, '{_SEP}') AS BLOB), "
         f"CAST(group_concat(target, '{_SEP}') AS BLOB), {_coded('kind', KIND_VALUES)}")
_VALUES = 'count(coalesce(volume, start, "end"))'
_LINK_ENDS = f"{_ENDS}, {_VALUES} FROM links NOT INDEXED"
_LINK_ENDS_ALONE = f"{_ENDS} FROM links NOT INDEXED"
_LINK_VALUES_COUNTED = f"SELECT {_VALUES} FROM links NOT INDEXED"
# (NOT INDEXED: the table in rowid order; the index of the ids alone would serve them sorted)
_LINK_IDS = f"SELECT count(*), CAST(group_concat(id, '{_SEP}') AS BLOB) FROM links NOT INDEXED"
_LINK_ID_ROWS = "SELECT id FROM links NOT INDEXED"  # (the same rowid order, a str a row)
_SHARED = {values: np.array(values, dtype=object) for values in (_MEMBER_KINDS, _STATUSES)}
_NOT_READ: Any = object()  # (not read yet, or not made yet)


def _codes(blob: bytes | None, count: int, values: Sequence[str]) -> np.ndarray | None:
    """Each value's position in ``values`` (uint8; 255: another value); None: not ``count``."""
    codes = np.frombuffer(blob or b"", dtype=np.uint8)
    if len(codes) != count:
        return None
    out: np.ndarray = codes - np.uint8(_CODE_BASE)  # ("?" wraps past the values: 254)
    return np.where(out < len(values), out, 255).astype(np.uint8)


#: Bytes checked at a time by ``_utf8``.
UTF8_CHUNK = 1 << 20


def _utf8(blob: bytes, chunk: int = UTF8_CHUNK) -> bool:
    """``blob`` is UTF-8 (as ``blob.decode("utf-8")`` finds it), decoded a chunk at a time: no str
    of the whole blob (a million members' names: 35 MB of Cyrillic, a 70 MB str of fresh pages;
    ~41 -> ~27 ms of the open's CPU, issue 17)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(blob)
    try:
        for at in range(0, len(view), chunk):
            decoder.decode(view[at:at + chunk])
        decoder.decode(b"", final=True)  # (a character cut off at the end)
    except UnicodeDecodeError:
        return False
    return True


#: Rows of a coordinate column made numbers at a time (``_coordinates``): a block's digits and
#: numbers (~0.9 MB) stay in the processor's cache over the 19 passes. The whole column at once
#: read its digits from memory again in every pass (each pass reads one byte of every row's 19,
#: so every cache line): a million members' column ~26 -> ~13 ms (issue 17: at 100,000 the
#: column fits in the cache either way, so it grew ~12x for 10x the rows).
COORD_BLOCK = 1 << 15


def _coordinates(blob: bytes | None, count: int) -> np.ndarray | None:
    """A column of ``_fixed`` numbers as float64 (NaN: not placed); None when the blob is not
    ``count`` of them or holds a value under 1 in magnitude (maybe truncated: the rows say)."""
    digits = np.frombuffer(blob or b"", dtype=np.uint8)
    if len(digits) != _DIGITS * count:
        return None
    digits = digits.reshape(count, _DIGITS)
    number = np.empty(count, dtype=np.uint64)
    ten = np.uint64(10)
    for start in range(0, count, COORD_BLOCK):
        block = digits[start:start + COORD_BLOCK] - np.uint8(48)
        if int(block.max()) > 9:  # (not a digit: a REAL or a sign, a value out of range)
            return None
        part = number[start:start + COORD_BLOCK]
        part[:] = block[:, 0]
        for column in range(1, _DIGITS):  # (digit by digit: no (rows, 19) array of uint64)
            np.multiply(part, ten, out=part)
            np.add(part, block[:, column], out=part, casting="unsafe")
    scaled = number.astype(np.int64) - np.int64(_OFFSET)
    out = scaled.astype(np.float64)  # exact: each is a double times 2**52, 53 bits at most
    out /= _SCALE
    if count and float(np.abs(out).min()) < 1.0:
        return None  # maybe truncated
    out[out == _UNPLACED] = np.nan
    return out


def read_members(conn: sqlite3.Connection) -> tuple[MemberColumns, bytes] | None:
    """The members' columns and their ids as one blob; None when they need the row-by-row read."""
    count, ids, names, kinds, statuses, lats, lons = conn.execute(_MEMBER_TEXTS).fetchone()
    ids, names = ids or b"", names or b""
    kind_codes, status_codes = _codes(kinds, count, _MEMBER_KINDS), _codes(statuses, count, _STATUSES)
    if kind_codes is None or status_codes is None or not _utf8(names):
        return None
    try:  # (decoded once: checking it first was a second pass over the blob)
        id_list = ids.decode("utf-8").split(_SEP) if count else []
    except UnicodeDecodeError:
        return None
    if len(id_list) != count:
        return None
    try:
        name_column: Sequence[str] = TextColumn(names, count) if count else []
    except ValueError:  # a name holding the separator
        return None
    if count and (int(kind_codes.max()) == 255 or int(status_codes.max()) == 255):
        return None  # a value the model does not know: the row-by-row read names it
    lat, lon = _coordinates(lats, count), _coordinates(lons, count)
    if lat is None or lon is None:
        try:  # (a row at a time into the array: no list of a million tuples held)
            coords = np.fromiter(itertools.chain.from_iterable(conn.execute(_MEMBER_PLACES)), np.float64,
                                 2 * count).reshape(-1, 2)
        except ValueError:  # fewer rows (written meanwhile: not in one read transaction)
            return None
        coords[np.isinf(coords)] = np.nan  # not placed
        lat, lon = np.ascontiguousarray(coords[:, 0]), np.ascontiguousarray(coords[:, 1])
    return MemberColumns(id_list, name_column, _SHARED[_MEMBER_KINDS][kind_codes].tolist(),
                         _SHARED[_STATUSES][status_codes].tolist(), lat, lon, kind_codes, status_codes), ids


def id_column(row: tuple[Any, ...]) -> Sequence[str] | None:
    """The links' ids as ``_LINK_IDS`` reads them (count, blob): 32 lowercase hex digits each as
    16 bytes (``core.hex_ids``), else the text; None when they need the row-by-row read."""
    count, blob = row
    blob = blob or b""
    if not count:
        return []
    packed = hex_ids.packed(blob, count)  # (hex digits alone: UTF-8 with no check of its own)
    if packed is not None:
        return packed
    if not _utf8(blob):
        return None
    try:
        return TextColumn(blob, count)
    except ValueError:
        return None


def member_table(members: MemberColumns, member_ids: bytes | None) -> text_blobs.Table | None:
    """The members' ids to find the link ends among (``member_ids``: as ``read_members`` joined
    them, None to join them here); None when there are no members or the ids cannot be held so
    (too long, holding the separator)."""
    if not len(members):
        return None
    if member_ids is None:
        member_ids = snapshot.joined(members.ids)
    return text_blobs.Table.of(member_ids, len(members)) if member_ids is not None else None


def read_links(conn: sqlite3.Connection, members: MemberColumns, member_ids: bytes | None,
               texts: tuple[Any, ...] | None = None,
               ids: Callable[[], Sequence[str] | None] | None = None,
               table: Any = _NOT_READ, beside: bool = False) -> LinkColumns | None:
    """The links' columns, their ends as positions in ``members`` (as read by ``read_members``
    in the same read transaction; ``member_ids``: their ids joined, None to join them here);
    None when they need the row-by-row read. ``texts``: the links' ends and kinds
    (``_LINK_ENDS``) and ``ids``: their id column (``id_column``), both read of the same state
    already or being read (``_LinkTexts``), asked for once the ends are matched. ``table``:
    ``member_table`` of the members if made already. ``beside``: a core is idle (the links'
    thread waits): the sources are matched on a thread of their own meanwhile."""
    count, sources, targets, kinds = (texts if texts is not None else conn.execute(_LINK_ENDS).fetchone())[:4]
    codes = _codes(kinds, count, KIND_VALUES)
    if codes is None:
        return None
    if table is _NOT_READ:
        table = member_table(members, member_ids)
    if table is None and len(members):
        return None  # an id too long, or one holding the separator

    def matched(blob: bytes) -> np.ndarray | None:
        return (table.find_joined(blob, count) if table is not None
                else (np.full(count, -1, np.int32) if text_blobs.bounds(blob, count) is not None else None))

    if beside and count >= MATCH_BESIDE_FROM:  # the sources on a thread of their own, the targets here
        source_rows: list[np.ndarray | None] = []
        thread = threading.Thread(target=lambda: source_rows.append(matched(sources or b"")),
                                  name="open-ends")
        thread.start()
        target_rows = matched(targets or b"")
        thread.join()
        ends = [source_rows[0] if source_rows else None, target_rows]
    else:
        ends = [matched(sources or b""), matched(targets or b"")]
    if ends[0] is None or ends[1] is None:
        return None
    column = ids() if ids is not None else id_column(conn.execute(_LINK_IDS).fetchone())
    if column is None or len(column) != count:
        return None
    # (255: a kind the model does not know; the caller names it)
    return LinkColumns(column, members.ids, ends[0], ends[1], codes)


def read_columns(conn: sqlite3.Connection,
                 by_rows: tuple[Callable[[], MemberColumns], Callable[[MemberColumns], LinkColumns]],
                 link_texts: _LinkTexts | None = None, *, link_ids: bool = True,
                 counted: Callable[[int], None] | None = None
                 ) -> tuple[MemberColumns, LinkColumns]:
    """Both tables' columns (inside the caller's read transaction); ``by_rows``: the row-by-row
    reads (``RecordEdits.member_columns``, ``link_columns``) for what the blobs cannot hold;
    ``link_texts``: the links' texts being read on a thread meanwhile. ``link_ids`` False: the
    links' ids are not read (core.checks.roster_rows.UnreadIds stands for them). ``counted``:
    given the links' values counted in the ends' scan (``_VALUES``) when the links' columns
    came from it."""
    got = read_members(conn)
    members, member_ids = got if got is not None else (by_rows[0](), None)
    # The ids to match the ends against, made while the links' thread still scans (the members'
    # scan ends first: at 100,000 members ~15 ms of the open that waited, issue 17).
    table = member_table(members, member_ids)
    threaded = link_texts.ends() if link_texts is not None else None
    ends = threaded if threaded is not None else tuple(conn.execute(_LINK_ENDS).fetchone())
    if not link_ids:
        from cluster_desk.core.checks.roster_rows import UnreadIds  # (the command's: not the window's start)

        links = read_links(conn, members, member_ids, ends, lambda: UnreadIds(int(ends[0])), table)
    elif threaded is not None and link_texts is not None:
        # The ids as the links' thread reads them still: the paint needs none, so neither the
        # open nor the views' reset waits for them (~10-15 ms at 300,000 links); whatever reads
        # an id first waits (core.later_texts).
        later = LaterTexts(int(ends[0]), link_texts.later_ids, link_texts.go)
        links = read_links(conn, members, member_ids, ends, lambda: later, table, beside=link_texts.held)
    else:
        links = read_links(conn, members, member_ids, ends, table=table)
    if links is None or (len(links) and int(links.kind_codes.max()) >= len(KIND_VALUES)):
        links = by_rows[1](members)  # (it names an unknown kind: ProjectError)
    elif counted is not None and len(ends) > 4:  # (else the links' thread counts them)
        counted(int(ends[4]))
    return members, links


#: From this many links the links' texts are read on a thread while the members are read.
LINKS_ON_A_THREAD = 50_000
#: From this many links their sources and targets are matched to the members on two threads
#: while the links' thread is held (numpy lets go of the interpreter: 300,000 links ~27 -> ~17
#: ms of the open; beside that thread's own read of the ids it was no faster).
MATCH_BESIDE_FROM = 50_000
#: Up to this many links an open that asks (``ids_after_paint``: the window's) has that thread
#: read the ids and count the values only once let go (the map painted, an id asked for, a
#: write, the close), holding its read transaction meanwhile: at 300,000 links their ~60-80 ms
#: of CPU beside the open's reset and the page's first draw made the paint ~15-20 ms later on
#: two cores. Above it they are read at once, as before: at three million links the first
#: assessment, which needs them, would wait ~1 s more after the paint (not measured).
HOLD_IDS_UP_TO = 1_000_000
#: A held thread goes on by itself after this many seconds (a window that never painted).
HOLD_AT_MOST = 10.0


class _LinkTexts:
    """The links' ends and kinds (``_LINK_ENDS``), then their ids (``_LINK_IDS``, packed by
    ``id_column`` there too), then the values the checks count (``links_with_values``, not waited
    for), read on a thread with a read-only connection of its own while the caller's thread
    reads the members: SQLite's scans of the two tables on two cores (the sqlite3 module lets
    go of the interpreter while SQLite works). The ends come first: the caller matches them to
    the members while the ids are read, which the paint does not need (1,000,000 members /
    3,000,000 links: ~0.45 s of SQLite and ~0.2 s of packing, on the second core, in the shadow
    of the matching, where they were before it; 100,000 / 300,000: ~55 ms). All are read in
    one read transaction, so they are of one state. Its answers are used only when that
    connection saw the file in the state the caller's read transaction sees (the same
    ``snapshot.file_key``, its row counts aside, the links' taken from the ends' scan);
    anything else (busy, changed meanwhile, an error) leaves the caller to read them itself
    (``ends`` None; ``ids`` then reads them on the caller's connection)."""

    def __init__(self, path: Path, key: dict[str, Any], *, with_ids: bool = True,
                 then: Callable[[sqlite3.Connection | None], object] | None = None,
                 hold: bool = False) -> None:
        self._path, self._key = Path(path), key
        self._go = threading.Event()  # (hold: the ids are read once let go, ``go``)
        if not hold:
            self._go.set()
        self._ends: tuple[Any, ...] | None = None
        self._ids: Any = _NOT_READ  # the id column, None (not one the blobs hold), or not read
        self._with_ids = with_ids
        self._then = then
        self._ends_read = threading.Event()
        self._ids_read = threading.Event()
        self._stopped = False  # (``stop``: an open cancelled)
        self._conn: sqlite3.Connection | None = None
        self._conn_lock = threading.Lock()  # (stop's interrupt never meets a closing connection)
        self._thread = threading.Thread(target=self._read, args=(Path(path), key), name="open-links",
                                        daemon=True)  # (read-only: nothing to finish at exit)
        self._thread.start()

    def _read(self, path: Path, key: dict[str, Any]) -> None:
        conn = None
        counting = None
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                                   check_same_thread=False)  # (``stop`` interrupts it from another)
            with self._conn_lock:
                self._conn = conn
            conn.execute("PRAGMA trusted_schema = OFF")
            conn.execute("PRAGMA query_only = ON")
            conn.execute("BEGIN")
            try:
                # The key's two row counts are each a scan (~7 ms at 300,000 links, before this
                # thread's own scan, which the caller waits for): the links' is taken from that
                # scan, the members' not (the header's change counter, bumped by every commit in
                # the project's rollback-journal mode, already tells another state; and the
                # caller's read transaction holds its shared lock all along, so none can commit).
                if snapshot.file_key(conn, path, counts=False) == snapshot.without_counts(key):
                    # With the ids the values are counted after them, in a scan the open does not
                    # wait for (``links_with_values`` does).
                    counting = _counting(key, self._go) if self._with_ids else None
                    ends = tuple(conn.execute(_LINK_ENDS_ALONE if self._with_ids else _LINK_ENDS).fetchone())
                    # (a key without counts, ``open_columns``' from the scans: the count is this scan's)
                    matched = "links" not in key or int(ends[0]) == key["links"]
                    self._ends = ends if matched else None
                    del ends  # (the caller takes them: not held here while counting and reading on)
                    self._ends_read.set()
                    if self._with_ids and matched:
                        self._go.wait(HOLD_AT_MOST)  # (in this read transaction still)
                        if self._stopped:
                            raise sqlite3.OperationalError("interrupted")
                        ids = id_column(tuple(conn.execute(_LINK_IDS).fetchone()))
                        # (not a column the blob holds: row by row, in this same read transaction)
                        self._ids = ids if ids is not None else [r[0] for r in conn.execute(_LINK_ID_ROWS)]
                        del ids
                        self._ids_read.set()
                        _counted(key, int(conn.execute(_LINK_VALUES_COUNTED).fetchone()[0]))
                    # (in this read transaction: the state ``key``)
                    if self._then is not None and matched:
                        then, self._then = self._then, None
                        then(conn)
            finally:
                conn.execute("COMMIT")
        except (sqlite3.Error, OSError):
            pass  # (the caller reads what this thread could not: ``_ids`` is set only once read)
        finally:
            self._ends_read.set()
            self._ids_read.set()
            if counting is not None:
                _counting_done(key, counting)
            if conn is not None:
                with self._conn_lock:
                    self._conn = None
                conn.close()
            if self._then is not None:  # (not called in the transaction: said so)
                self._then(None)

    def ends(self) -> tuple[Any, ...] | None:
        """The links' (count, sources, targets, kinds) as ``_LINK_ENDS`` reads them, once read;
        None when this thread cannot give them."""
        self._ends_read.wait()
        got, self._ends = self._ends, None  # (handed over: asked for once)
        return got

    def go(self) -> None:
        """Let a held thread read the ids (and count the values) now."""
        self._go.set()

    def stop(self) -> None:
        """Stop the thread's scans (an open cancelled): what it has not read, the caller reads."""
        self._stopped = True
        self._go.set()
        with self._conn_lock:
            if self._conn is not None:
                self._conn.interrupt()

    @property
    def held(self) -> bool:
        """The thread waits to be let go (after the ends): the second core is idle meanwhile."""
        return not self._go.is_set()

    def later_ids(self) -> Sequence[str]:
        """The links' id column once this thread has read it (``LaterTexts``' fetch: called on
        whichever thread first reads an id, after the caller's read transaction ended). If this
        thread could not (an error of SQLite or the disk in its scan), read again on a
        connection of its own, only if the file is still in the state of the ends."""
        self._go.set()
        self._ids_read.wait()
        got = self._ids
        if got is not _NOT_READ:
            self._ids = _NOT_READ  # (handed over: the LaterTexts keeps it)
            return cast("Sequence[str]", got)
        conn = sqlite3.connect(f"{self._path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
        try:
            conn.execute("BEGIN")
            if snapshot.file_key(conn, self._path, counts=False) != snapshot.without_counts(self._key):
                raise ProjectError.of("cant_read", path=self._path,
                                      detail="another program changed it while it was opened")
            column = id_column(tuple(conn.execute(_LINK_IDS).fetchone()))
            return column if column is not None else [r[0] for r in conn.execute(_LINK_ID_ROWS)]
        finally:
            conn.close()


def open_columns(project: Any, *, link_ids: bool = True, then: Callable[..., object] | None = None,
                 ids_after_paint: bool = False) -> snapshot.OpenColumns:
    """The member and link columns for opening ``project`` (a store Project), in one read
    transaction: from the snapshot in the user's cache when it was taken of the file as it is
    now (``store.snapshot``), else from the tables (the caller may then ``save_snapshot``).
    ``link_ids`` False (``cluster-desk check``: no rule reads them; at a million members their
    scan and packing were ~0.6 s of CPU on the core the file's quick_check runs on): read from
    the tables, the links' ids are ``UnreadIds`` of their count (never a snapshot's to save).
    ``then(conn, key=key)``: called once, with a read-only connection in a read transaction of
    the state ``key`` the columns are of, on the links' thread after their ends (the second
    core is idle while this thread matches them), or with ``(None, key=None)`` when there is
    no such thread or it cannot (the caller then reads on its own). ``ids_after_paint`` (the
    window's open, up to ``HOLD_IDS_UP_TO`` links): that thread reads the ids, counts the values
    and calls ``then`` only once let go (``LaterTexts.begin`` at the paint, the first id or value
    asked for, a write or the close: ``Project.held_reads``), in the same read transaction.
    With ``link_ids`` False and no snapshot in the cache, the key's row counts are the scans'
    (``then`` is given the key without them: ``MembersAhead`` compares keys so)."""
    conn: sqlite3.Connection = project._c()
    conn.execute("BEGIN")  # one state of the file for the key and the reads
    try:
        # No snapshot to load and none to save (no link ids): the key's row counts are the scans'
        # own, in this read transaction, not two scans of an index first (a million members'
        # check: ~0.07 s of its main thread's CPU before the links thread started).
        from_scans = not link_ids and not snapshot.cache_file(project.path).exists()
        key = snapshot.file_key(conn, project.path, counts=not from_scans)
        got = snapshot.load(project.path, key) if not from_scans and snapshot.worth_keeping(key) else None
        if got is not None:
            if then is not None:
                then(None, key=None)
            return snapshot.OpenColumns(got[0], got[1], key, True)
        threaded = int(key["link_rowid" if from_scans else "links"]) >= LINKS_ON_A_THREAD  # (rowid: >= count)
        after = None if then is None else functools.partial(then, key=key)
        hold = ids_after_paint and link_ids and int(key["links"]) <= HOLD_IDS_UP_TO
        elsewhere = (_LinkTexts(project.path, key, with_ids=link_ids, then=after, hold=hold) if threaded
                     else None)
        if elsewhere is not None and hold:
            project.held_reads.append(elsewhere.go)  # (a write or the close lets it go first)
        project.stop_reading = None if elsewhere is None else elsewhere.stop  # (Project.interrupt)
        if then is not None and elsewhere is None:
            then(None, key=None)
        counted: list[int] = []
        members, links = read_columns(conn, (project.member_columns, project.link_columns), elsewhere,
                                      link_ids=link_ids, counted=counted.append)
        if from_scans:
            key = snapshot.with_counts(key, len(members), len(links))
        if counted:
            _counted(key, counted[0])
        return snapshot.OpenColumns(members, links, key, False)
    finally:
        conn.execute("COMMIT")


# How many links hold a value (volume, start or end) as the ends' scan of an open counted, by the file's state
# (``snapshot.file_key``, as every cache of the file is known by): what the first assessment's
# read after that open (store.assess_columns.arrays_after_open, on another thread) asks, so it
# need not scan three million links again to find none (~0.3 s). A few states: one per file
# the process opened lately.
_COUNTED: dict[tuple[Any, ...], int] = {}
_COUNTED_LOCK = threading.Lock()
_COUNTED_STATES = 4


def _state(key: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(sorted(key.items()))


def _counted(key: dict[str, Any], count: int) -> None:
    with _COUNTED_LOCK:
        _COUNTED.pop(_state(key), None)
        _COUNTED[_state(key)] = count
        while len(_COUNTED) > _COUNTED_STATES:
            del _COUNTED[next(iter(_COUNTED))]


# The states whose values a links thread is counting still (``_LinkTexts``): ``links_with_values``
# waits for them.
_COUNTING: dict[tuple[Any, ...], tuple[threading.Event, threading.Event]] = {}


def _counting(key: dict[str, Any], go: threading.Event) -> threading.Event:
    """The event set once the values of ``key`` are counted (``go``: the thread's, set to let a
    held thread go on: whoever waits for the values lets it)."""
    done = threading.Event()
    with _COUNTED_LOCK:
        _COUNTING[_state(key)] = done, go
    return done


def _counting_done(key: dict[str, Any], done: threading.Event) -> None:
    with _COUNTED_LOCK:
        if _COUNTING.get(_state(key), (None,))[0] is done:
            del _COUNTING[_state(key)]
    done.set()


def links_with_values(key: dict[str, Any]) -> int | None:
    """How many links hold any of volume, start and end, as an open's scan of the file in
    state ``key`` counted them (once its links thread has, if it is counting them still); None
    when no open of that state read its links' tables."""
    with _COUNTED_LOCK:
        counting = _COUNTING.get(_state(key))
    if counting is not None:
        done, go = counting
        go.set()  # (a thread held until the paint counts them now)
        done.wait()
    with _COUNTED_LOCK:
        got = _COUNTED.get(_state(key))
    return got
