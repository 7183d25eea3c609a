"""Reading and editing members and links: the record half of the Project API.

Edits are field-level. The project remembers the version of each record it last handed out
(``members()``, ``member()``) or was given to write (``_known``): what the caller holds. An update
writes only the fields in which the caller's record differs from that version, onto what is in
the file now. So a window holding a stale copy of a member (another
process changed its notes) writes the field the user changed and keeps the other process's notes.
A record deleted by someone else raises RecordGone naming it.

The link half (``links``/``add_links``/``update_link``/``link_columns``) is store.link_edits;
the SQL helpers both share are in store.record_sql.

Why ~570 lines: reading (records, columns, an import's keys and matched records, a merge's records),
adding (one at a time and in bulk, with the id index dropped and built once around a big import),
updating and deleting members share the known-version bookkeeping and the change log; splitting them would
pass that state between modules.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np

from cluster_desk.core.collector import gc_paused
from cluster_desk.core.model import MEMBER_FIELDS, Link, Member, MemberKind, Status
from cluster_desk.core.tables import MemberColumns, member_columns
from cluster_desk.store import column_read, schema, snapshot
from cluster_desk.store.bulklog import LOGGED, build_index, deferred_entity_index, log_inserted_columns
from cluster_desk.store.changes import diff, dumps, dumps_record
from cluster_desk.store.errors import ProjectError, RecordGone
from cluster_desk.store.keys_read import MemberKey, member_keys_in
from cluster_desk.store.link_edits import _SELECT_LINKS, LinkEdits
from cluster_desk.store.record_sql import (
    _KNOWN_ADDS,
    _LINK_COLS,
    _cols,
    _merge_fields,
    _split,
    _update_sql,
    constant_literals,
    insert_columns,
)
from cluster_desk.store.rows import (
    MEMBER_ORDER,
    build_links,
    build_members,
    link_row,
    member_columns_checked,
    member_from_row,
    member_row,
)

# Column order of the members table: id, then the editable fields.
_MEMBER_COLS: tuple[str, ...] = ("id", *MEMBER_FIELDS)
#: Every column bound (bench/bench_open.py); the store's inserts use ``insert_columns``.
_INSERT_MEMBER = f"INSERT INTO members ({_cols(_MEMBER_COLS)}) VALUES ({', '.join('?' * len(_MEMBER_COLS))})"
_SELECT_MEMBER_ROW = f"SELECT {_cols(_MEMBER_COLS)} FROM members WHERE id = ?"
#: The members' columns that may hold NULL and never hold "" (numbers and dates). Python's sqlite3
#: binds None through its adapter look-up (two failed attribute look-ups, each raising and clearing
#: an AttributeError: ~0.6 µs a value, 70 % more than an int): in a bulk insert these columns bind
#: None as "" and NULLIF makes it NULL again (store/link_import.py does the same for links). A
#: roster that leaves the head count, the dates or the place of most rows empty saves ~1 µs a row.
_MEMBER_NULLABLE = frozenset(i for i, c in enumerate(_MEMBER_COLS)
                             if c in ("employees", "lat", "lon", "joined", "left", "output"))
_SELECT_MEMBER_LINKS = f"SELECT {_cols(_LINK_COLS)} FROM links WHERE source = ? OR target = ? ORDER BY rowid"
_SELECT_MEMBERS = f"SELECT {_cols(MEMBER_ORDER)} FROM members ORDER BY rowid"
_SELECT_MEMBERS_IN_ROWS = _SELECT_MEMBERS.replace(" ORDER BY", " WHERE rowid BETWEEN ? AND ? ORDER BY")
_SELECT_MEMBER_COLUMNS = "SELECT id, name, kind, status, lat, lon FROM members ORDER BY rowid"
# The same columns as one text each (one scan, so every column comes in the same row order):
# the sqlite3 module's per-row cost (a tuple and a step per row) is most of reading 300k rows.
_CONCAT_MEMBERS = (
    "SELECT count(*), group_concat(id, '\x1f'), group_concat(name, '\x1f'), "
    "group_concat(kind, '\x1f'), group_concat(status, '\x1f'), group_concat(coalesce(lat, 'nan'), ' '), "
    "group_concat(coalesce(lon, 'nan'), ' ') FROM members"
)
#: Dates are stored as validated ISO text, so text order is date order: min and max per column.
_DATED = (
    'SELECT min(joined), max(joined), min("left"), max("left") FROM members',
    'SELECT min(start), max(start), min("end"), max("end") FROM links',
)


def dated_years_in(conn: sqlite3.Connection) -> tuple[int, int] | None:
    """First and last year any member or link date names: two scans of unindexed columns
    (~60 ms at 100,000 members, ~1.5 s at 1,000,000), so the window runs it off the GUI thread
    (``read_dated_years``)."""
    dates = [d for sql in _DATED for d in conn.execute(sql).fetchone() if d]
    years = [int(d[:4]) for d in dates if d[:4].isdigit()]
    return (min(years), max(years)) if years else None


def read_dated_years(path: Path) -> tuple[int, int] | None:
    """``dated_years_in`` on a read-only connection of its own to the project file at ``path``
    (made and used on the calling thread: a worker's). Raises sqlite3.Error if it cannot be read."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA query_only = ON")
        conn.execute("BEGIN")  # both tables as of one state of the file
        try:
            return dated_years_in(conn)
        finally:
            conn.execute("COMMIT")
    finally:
        conn.close()


#: A bulk members write drops the id index (and builds it at the end) once it has added at least
#: this many members and more than the table held (``RecordEdits.bulk_logging``). An import's
#: first write (io.roster.CHUNK) already passes it: one sort of every id at the end instead of
#: the first chunks' ids inserted one by one at random places of the live index.
MEMBERS_REBUILD = 5000

# value -> the one str object every column entry shares
_MEMBER_KINDS = {k.value: k.value for k in MemberKind}
_STATUSES = {s.value: s.value for s in Status}


def _nulls_bound_as_empty(sql: str, bound: list[Sequence[Any]], columns: Sequence[Sequence[Any]],
                          ) -> tuple[str, list[Sequence[Any]]]:
    """``insert_columns``' INSERT and bound columns with the None of ``_MEMBER_NULLABLE`` columns
    bound as "" inside ``NULLIF(?, '')`` (the k-th "?" binds the k-th bound column; the statement's
    names and literals hold no "?")."""
    pieces = sql.split("?")
    out, kept, at = [pieces[0]], [], 0
    for k, column in enumerate(bound):
        while columns[at] is not column:  # ``bound`` is ``columns`` less the ones written as literals
            at += 1
        if at in _MEMBER_NULLABLE and None in column:
            out.append("NULLIF(?, '')")
            column = ["" if v is None else v for v in column]
        else:
            out.append("?")
        out.append(pieces[k + 1])
        kept.append(column)
        at += 1
    return "".join(out), kept


class RecordEdits(LinkEdits):
    """Members and links of an open project (mixed into Project, which provides the connection)."""

    # The connection, _write, _log, _now and _insert_change are declared in LinkEdits.
    _known_members: dict[str, Member]
    _bulk_write = False  # inside bulk_logging(): its savepoint holds the bulk's inserts
    #: Inside bulk_logging(): the members' rows before it, the rows it added, and where the
    #: members' id index stands ("kept", "dropped": built again at the end, "back": built again
    #: early, because another edit needed it; it stays then).
    _bulk_held = 0
    _bulk_added = 0
    _member_ids = "kept"

    # ---- members

    def members(self) -> list[Member]:
        """All members (including candidates and former ones), in the order they were added."""
        cursor = self._c().execute(_SELECT_MEMBERS)
        try:
            with gc_paused():
                out = build_members(cursor)
        except KeyError as e:
            raise ProjectError.of("members_unknown_value", path=self.path, detail=str(e)) from e
        self._known_members = {m.id: m for m in out}
        return out

    def member_keys(self, size: int = 50_000) -> Iterator[list[MemberKey]]:
        """(id, INN, name, lat, lon) of every member in the order they were added, ``size`` at a
        time: what an import matches its rows by (``io.roster``), no record built per member (a
        million members' records held ~1.2 GB through a re-import, issue 17)."""
        return member_keys_in(self._c(), size)

    def members_with_ids(self, ids: Sequence[str]) -> list[Member]:
        """The members of ``ids``, in the order they were added: an import's matched rows, a
        batch at a time. RecordGone for one deleted since the caller read its id (another window
        or program). Not kept as this project's base for field-level edits (a million of them
        would be held again): the import passes those it updates to ``update_members`` as
        ``bases``."""
        out = self.members_among(ids)
        if len(out) < len(set(ids)):
            found = {m.id for m in out}
            gone = next(i for i in ids if i not in found)
            raise self._gone("member", gone, gone)
        return out

    def members_among(self, ids: Iterable[str]) -> list[Member]:
        """The members of ``ids`` that this project holds (others left out: the records a merge,
        a team sync or a window's bulk write names), 500 to a query, each in the order they were
        added. Not kept as bases, as ``members_with_ids``."""
        wanted, out, conn = list(ids), [], self._c()
        try:
            with gc_paused():
                for start in range(0, len(wanted), 500):  # (SQLite's host parameters: 999 in old builds)
                    part = wanted[start:start + 500]
                    out += build_members(conn.execute(_SELECT_MEMBERS.replace(
                        " ORDER BY", f" WHERE id IN ({', '.join('?' * len(part))}) ORDER BY"), part))
        except KeyError as e:
            raise ProjectError.of("members_unknown_value", path=self.path, detail=str(e)) from e
        return out

    def last_with_inn(self, inns: list[str]) -> dict[str, str]:
        """INN -> id of the last member added with it (by rowid), for ``inns``: what a dict built
        from ``members()`` gives, without building them (``check --as-if`` by INN at 1M)."""
        owners: dict[str, str] = {}
        conn = self._c()
        for start in range(0, len(inns), 500):  # (SQLite's host parameters: 999 in old builds)
            part = inns[start:start + 500]
            sql = f"SELECT id, inn FROM members WHERE inn IN ({', '.join('?' * len(part))}) ORDER BY rowid"
            for mid, inn in conn.execute(sql, part):
                owners[inn] = mid  # (later rows win)
        return owners

    def records_changed_since(self, seq: int) -> tuple[int, dict[str, Member | None], dict[str, Link | None]]:
        """The records the change log names after ``seq``, as stored now: (the newest ``seq``,
        members by id, links by id; None for one deleted since). A window that holds the records
        as of ``seq`` reads only these after an import or a merge, not the whole project."""
        conn = self._c()
        # Entries one a record, and the records of bulk inserts (their runs' markers name none).
        named = ("SELECT entity_id FROM changes WHERE seq > ?1 AND seq <= ?2 AND entity = '{0}' "
                 "AND entity_id <> '' UNION ALL SELECT id FROM {1} WHERE seq > ?1 AND seq <= ?2")
        named_m, named_l = named.format("member", LOGGED["member"]), named.format("link", LOGGED["link"])
        conn.execute("BEGIN")  # one snapshot for the reads
        try:
            last = int(conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0])
            args = (seq, last)
            members: dict[str, Member | None] = dict.fromkeys(
                r[0] for r in conn.execute(f"SELECT DISTINCT entity_id FROM ({named_m})", args))
            links: dict[str, Link | None] = dict.fromkeys(
                r[0] for r in conn.execute(f"SELECT DISTINCT entity_id FROM ({named_l})", args))
            select_m = _SELECT_MEMBERS.replace(" ORDER BY rowid", f" WHERE id IN ({named_m}) ORDER BY rowid")
            select_l = _SELECT_LINKS.replace(" ORDER BY rowid", f" WHERE id IN ({named_l}) ORDER BY rowid")
            with gc_paused():
                if members:
                    members.update((m.id, m) for m in build_members(conn.execute(select_m, args)))
                if links:
                    links.update((li.id, li) for li in build_links(conn.execute(select_l, args)))
        except KeyError as e:
            raise ProjectError.of("members_unknown_value", path=self.path, detail=str(e)) from e
        finally:
            conn.execute("COMMIT")
        # What the caller now holds is its base for the next field-level edit (as members()).
        for mid, m in members.items():
            if m is None:
                self._known_members.pop(mid, None)
            else:
                self._known_members[mid] = m
        for lid, li in links.items():
            if li is None:
                self._known_links.pop(lid, None)
            else:
                self._known_links[lid] = li
        return last, members, links

    def link_ids_of(self, member_id: str) -> list[str]:
        """Ids of the links with ``member_id`` at either end, in file order (the member form
        lists them without every link record built)."""
        rows = self._c().execute("SELECT id FROM links WHERE source = ? OR target = ? ORDER BY rowid",
                                 (member_id, member_id))
        return [r[0] for r in rows]

    def last_rowids(self) -> tuple[int, int]:
        """The highest rowid of the members and of the links tables (0: empty): where a reader
        going through them in slices (``members_in_rows``) stops."""
        row = self._c().execute(
            "SELECT (SELECT coalesce(max(rowid), 0) FROM members), "
            "(SELECT coalesce(max(rowid), 0) FROM links)"
        ).fetchone()
        return int(row[0]), int(row[1])

    def members_in_rows(self, first: int, last: int) -> list[Member]:
        """The members stored at rowids ``first``..``last`` (one slice of ``members()``: a window
        builds its records a few thousand at a time between frames)."""
        try:
            with gc_paused():
                out = build_members(self._c().execute(_SELECT_MEMBERS_IN_ROWS, (first, last)))
        except KeyError as e:
            raise ProjectError.of("members_unknown_value", path=self.path, detail=str(e)) from e
        for m in out:  # the caller's base for field-level edits, unless it holds one already
            self._known_members.setdefault(m.id, m)
        return out

    def member_columns(self) -> MemberColumns:
        """Every member's id, name, kind, status and coordinates as columns (one query; no
        records built): what the map's first paint needs."""
        conn = self._c()
        count, *texts = conn.execute(_CONCAT_MEMBERS).fetchone()
        lists = [_split(t, count) for t in texts[:4]]
        if all(x is not None for x in lists):
            ids, names, kinds, statuses = cast(list[list[str]], lists)
            lat = np.fromstring(texts[4] or "", sep=" ")  # 'nan': not placed
            lon = np.fromstring(texts[5] or "", sep=" ")
            cols = MemberColumns(ids, names, kinds, statuses, lat, lon)
        else:  # a separator inside a value: row by row
            cols = member_columns(conn.execute(_SELECT_MEMBER_COLUMNS).fetchall())
        if not len(cols.lat) == len(cols.lon) == len(cols):
            raise ProjectError.of("damaged_check", path=self.path, detail="members' coordinates")
        bad = (set(cols.kinds) - _MEMBER_KINDS.keys()) | (set(cols.statuses) - _STATUSES.keys())
        if bad:
            raise ProjectError.of("members_unknown_value", path=self.path, detail=repr(sorted(bad)[0]))
        # One shared string per kind and status (a million members: ~150 MB less than one each).
        cols.kinds[:] = map(_MEMBER_KINDS.__getitem__, cols.kinds)
        cols.statuses[:] = map(_STATUSES.__getitem__, cols.statuses)
        return cols

    def open_columns(self, *, link_ids: bool = True, then: Callable[..., object] | None = None,
                     ids_after_paint: bool = False) -> snapshot.OpenColumns:
        """The member and link columns for opening, in one read transaction: from the snapshot
        in the user's cache when it was taken of the file as it is now (``store.snapshot``),
        else from the tables as blobs (``store.column_read``; the caller may then ``save_snapshot``
        for the next open). ``link_ids`` False: not the links' ids (``cluster-desk check``);
        ``then``: more to read beside, ``ids_after_paint`` (``column_read.open_columns``)."""
        return column_read.open_columns(self, link_ids=link_ids, then=then, ids_after_paint=ids_after_paint)

    def dated_years(self) -> tuple[int, int] | None:
        """First and last year any member or link date names (as ``core.timeline.dated_years``)."""
        return dated_years_in(self._c())

    def member(self, member_id: str) -> Member:
        row = self._c().execute(_SELECT_MEMBER_ROW, (member_id,)).fetchone()
        if row is None:
            raise KeyError(member_id)
        m = self._to_member(row)
        self._known_members[m.id] = m
        return m

    def _to_member(self, row: Sequence[Any]) -> Member:
        try:
            return member_from_row(row)
        except KeyError as e:
            raise ProjectError.of(
                "member_unknown_value", path=self.path, id=str(row[0]), detail=str(e)
            ) from e

    def _gone(self, what: str, record_id: str, label: str) -> RecordGone:
        return RecordGone(self.path, what, record_id, label)

    def add_member(self, m: Member) -> None:
        self.add_members([m])

    def add_members(self, ms: Iterable[Member]) -> int:
        """Insert new members in one transaction (imports, demo); returns how many."""
        members = list(ms)
        rows = [member_row(m) for m in members]
        if not rows:
            return 0
        with self._write() as conn:
            self._insert_members(conn, list(zip(*rows, strict=True)), self._now())
        if len(members) <= _KNOWN_ADDS:
            self._known_members.update((m.id, m) for m in members)
        return len(rows)

    def add_member_columns(self, columns: Sequence[Sequence[Any]]) -> int:
        """Insert new members given as columns, in one transaction (the bulk path of imports: no
        ``Member`` per row); returns how many. ``columns`` are in table order (``MEMBER_COLUMNS``:
        the id, then ``MEMBER_FIELDS``) and hold what a ``Member`` would (enums, bools); they are
        validated as ``add_members`` validates, a column at a time. The added members are not
        remembered as known (a field-level edit of one later writes it whole, as after an import)."""
        checked = member_columns_checked(columns)
        if not checked[0]:
            return 0
        if self._bulk_write:  # inside bulk_logging's one savepoint: no savepoint a chunk (see _bulk)
            conn, count = self._c(), len(checked[0])
            outgrown = self._bulk_added + count >= max(MEMBERS_REBUILD, self._bulk_held + 1)
            if self._member_ids == "kept" and outgrown:
                conn.execute("DROP INDEX members_id")  # built again in _bulk; a rollback restores it
                self._member_ids = "dropped"
            self._insert_members(conn, checked, self._now(), exact_types=True)
            self._bulk_added += count
            return count
        with self._write() as conn:
            self._insert_members(conn, checked, self._now(), exact_types=True)
        return len(checked[0])

    def bulk_logging(self, coming: int) -> contextlib.AbstractContextManager[None]:
        """Inside ``transaction()``, around a bulk import's writes of about ``coming`` records: the
        change log's entity index is built once at the end instead of row by row, when the log
        is small (``bulklog.deferred_entity_index``), and so is the members' id index once the
        import has added more members than the table held (at least MEMBERS_REBUILD): a sort
        instead of an insert at a random place of an on-disk B-tree per random id (at 1,000,000
        members ~3 s CPU of ~8). Any other edit inside the bulk write (an import's updates, a
        workbook's links) first builds the id index again (``_member_ids_back``), so every
        lookup by id and every foreign key finds it. Nothing changes for readers: the indexes are
        back before the transaction commits, and a rollback restores them with the rest. A
        repeated id, which the import reports and leaves out before it writes, would fail the
        index's build and undo the whole bulk write (ValueError naming the id)."""
        if not getattr(self, "in_transaction", False):
            raise RuntimeError("bulk_logging() belongs inside transaction()")
        return self._bulk(coming)

    @contextlib.contextmanager
    def _bulk(self, coming: int) -> Iterator[None]:
        """One savepoint around the whole bulk write; ``add_member_columns`` inside it opens none.

        A savepoint a chunk made SQLite copy every page of the members' id index that the chunk
        changed and an earlier chunk had changed too (random ids touch nearly all of them) into
        its statement journal: at 1,000,000 members ~2-3 s of CPU, growing faster than the rows
        (nothing at 100,000). A failed chunk now undoes the whole bulk write, not only itself; the
        import rolled its whole transaction back after one anyway."""
        if self._bulk_write:
            raise RuntimeError("bulk_logging() cannot be nested")
        conn = self._c()
        conn.execute("SAVEPOINT bulk")
        try:
            self._bulk_held = int(conn.execute("SELECT count(*) FROM members").fetchone()[0])
            self._bulk_added, self._member_ids = 0, "kept"
            with deferred_entity_index(conn, coming):
                self._bulk_write = True
                yield
                self._member_ids_back()
            conn.execute("RELEASE bulk")
        except BaseException:
            # A full disk or an I/O error rolls the whole transaction back (no savepoint left).
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK TO bulk")
                    conn.execute("RELEASE bulk")
            raise
        finally:
            self._bulk_write = False
            self._member_ids = "kept"

    def _member_ids_back(self) -> None:
        """The members' id index built again if a bulk write dropped it (ValueError naming an id
        the added rows repeat; the caller's rollback undoes the bulk write)."""
        if self._member_ids != "dropped":
            return
        conn = self._c()
        try:
            build_index(conn, schema.MEMBER_ID_INDEX)
        except sqlite3.IntegrityError:
            twice = conn.execute("SELECT id FROM members GROUP BY id HAVING count(*) > 1 LIMIT 1").fetchone()
            raise ValueError(f"a member with id {twice[0] if twice else '?'!r} already exists") from None
        self._member_ids = "back"

    def _insert_members(self, conn: sqlite3.Connection, columns: Sequence[Sequence[Any]], at: str, *,
                        exact_types: bool = False) -> None:
        """Insert validated members given as columns (table order) and log each one. SQLite
        checks the table's CHECKs again: the file's own guard, whatever a caller let through
        (tests/store/test_bulk_checks.py: the Python check refuses first, with its message).
        ``exact_types``: the columns come from ``member_columns_checked`` (``constant_literals``)."""
        before = conn.execute("SELECT coalesce(max(rowid), 0) FROM members").fetchone()[0]
        literals = constant_literals(columns, exact_types=exact_types)
        sql, bound = _nulls_bound_as_empty(*insert_columns("members", _MEMBER_COLS, columns, literals),
                                           columns)
        try:
            conn.executemany(sql, zip(*bound, strict=True))
        except sqlite3.IntegrityError:
            rows = list(zip(*columns, strict=True))
            raise ValueError(self._explain_duplicates("member", "members", rows, before)) from None
        log_inserted_columns(conn, "members", "member", _MEMBER_COLS, columns, before, at, self._actor,
                             self._insert_change)

    def _explain_duplicates(self, what: str, table: str, rows: list[tuple[Any, ...]], before: int) -> str:
        """Why a batch hit a UNIQUE constraint; ``before`` is max(rowid) before the batch started."""
        seen: set[str] = set()
        for r in rows:
            if r[0] in seen:
                return f"{what} id {r[0]!r} appears twice in the same batch"
            seen.add(r[0])
        conn = self._c()
        for r in rows:
            if conn.execute(f"SELECT 1 FROM {table} WHERE id = ? AND rowid <= ?", (r[0], before)).fetchone():
                return f"a {what} with id {r[0]!r} already exists"
        return f"the {what}s could not be added (constraint failed)"

    def update_member(self, m: Member) -> Member:
        """Write the fields of ``m`` the caller changed (same id); returns the record as it was stored."""
        return self.update_members([m])[0]

    def update_members(self, ms: Iterable[Member], bases: Mapping[str, Member] | None = None) -> list[Member]:
        """Update several members in one transaction; returns the records as they were stored.

        Field-level: only the fields in which a member differs from the version this project last
        read or wrote are written; fields changed meanwhile by another process are kept. A member
        deleted meanwhile raises RecordGone (a KeyError), a never-known missing id KeyError.
        ``bases``: the versions the caller read (by id; an import's ``members_with_ids``), for
        those this project last read.
        """
        members = list(ms)
        rows = [member_row(m) for m in members]
        olds: list[Member] = []
        if not rows:
            return olds
        known = self._known_members if bases is None else bases
        with self._write() as conn:
            at, log = self._now(), []
            for row in rows:
                old_row = conn.execute(_SELECT_MEMBER_ROW, (row[0],)).fetchone()
                if old_row is None:
                    base = known.get(row[0])
                    if base is None:
                        raise KeyError(row[0])
                    raise self._gone("member", row[0], base.name)
                olds.append(self._to_member(old_row))
                base = known.get(row[0])
                base_row = member_row(base)[1:] if base is not None else None
                new = _merge_fields(MEMBER_FIELDS, base_row, row[1:], tuple(old_row[1:]))
                before, after = diff(MEMBER_FIELDS, tuple(old_row[1:]), new)
                if after:
                    conn.execute(_update_sql("members", after), (*after.values(), row[0]))
                    log.append((at, self._actor, "member", row[0], "update", dumps(before), dumps(after)))
            self._log(conn, log)
        # The caller's records are now its base: its next edit is diffed against what it holds,
        # not against fields another process wrote that it has not seen yet.
        self._known_members.update((m.id, m) for m in members)
        return olds

    def delete_member(self, member_id: str) -> tuple[Member, list[Link]]:
        """Delete a member and its links; both are returned so undo can ``restore`` them."""
        members, links = self.delete_members([member_id])
        return members[0], links

    def delete_members(self, ids: Iterable[str]) -> tuple[list[Member], list[Link]]:
        """Delete members and every link touching them, in one transaction (KeyError if one is missing)."""
        wanted = list(dict.fromkeys(ids))
        members: list[Member] = []
        member_log: list[tuple[Any, ...]] = []
        links: dict[str, tuple[Link, tuple[Any, ...]]] = {}
        if not wanted:
            return members, []
        with self._write() as conn:
            at, actor = self._now(), self._actor
            for mid in wanted:
                row = conn.execute(_SELECT_MEMBER_ROW, (mid,)).fetchone()
                if row is None:
                    base = self._known_members.get(mid)
                    if base is None:
                        raise KeyError(mid)
                    raise self._gone("member", mid, base.name)
                members.append(self._to_member(row))
                # Log the values as stored, not re-validated: deleting must work for any stored row.
                member_log.append((at, actor, "member", mid, "delete", dumps_record(tuple(row[1:])), None))
                for lrow in conn.execute(_SELECT_MEMBER_LINKS, (mid, mid)):
                    if lrow[0] not in links:
                        links[lrow[0]] = (self._to_link(lrow), lrow)
            conn.executemany("DELETE FROM links WHERE id = ?", [(lid,) for lid in links])
            conn.executemany("DELETE FROM members WHERE id = ?", [(mid,) for mid in wanted])
            self._log(
                conn,
                [
                    (at, actor, "link", lid, "delete", dumps_record(tuple(r[1:])), None)
                    for lid, (_, r) in links.items()
                ],
            )
            self._log(conn, member_log)
        for mid in wanted:
            self._known_members.pop(mid, None)
        for lid in links:
            self._known_links.pop(lid, None)
        return members, [li for li, _ in links.values()]

    def restore(self, members: Iterable[Member], links: Iterable[Link]) -> None:
        """Put deleted members and links back (undo of delete), logged as inserts; one transaction."""
        ms, ls = list(members), list(links)
        mrows = [member_row(m) for m in ms]
        lrows = [link_row(li) for li in ls]
        with self._write() as conn:
            at = self._now()
            if mrows:
                self._insert_members(conn, list(zip(*mrows, strict=True)), at)
            if lrows:
                self._insert_links(conn, lrows, at)
        self._known_members.update((m.id, m) for m in ms)
        self._known_links.update((li.id, li) for li in ls)
