"""Reading and editing members and links: the record half of the Project API.

Edits are field-level. The project remembers the version of each record it last handed out
(``members()``, ``member()``) or was given to write (``_known``): what the caller holds. An update
writes only the fields in which the caller's record differs from that version, onto what is in
the file now. So a window holding a stale copy of a member (another
process changed its notes) writes the field the user changed and keeps the other process's notes.
A record deleted by someone else raises RecordGone naming it.

Why ~590 lines: members and links share the field-level write, the version tracking and the bulk
paths (imports, the open's columns, the record slices' batch reads). The next split is the links
half (``add_links``/``update_links``/``link_columns``) into its own module.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np

from cluster_desk.core.model import LINK_FIELDS, MEMBER_FIELDS, Link, LinkKind, Member, MemberKind, Status
from cluster_desk.core.tables import LinkColumns, MemberColumns, end_index, link_columns, member_columns
from cluster_desk.store import schema, snapshot
from cluster_desk.store.bulklog import deferred_entity_index, log_inserted, log_inserted_columns
from cluster_desk.store.changes import diff, dumps, dumps_record
from cluster_desk.store.errors import ProjectError, RecordGone
from cluster_desk.store.rows import (
    LINK_ORDER,
    MEMBER_ORDER,
    build_links,
    build_members,
    gc_paused,
    link_from_row,
    link_row,
    member_columns_checked,
    member_from_row,
    member_row,
)

#: Added records are remembered as "known" only in small batches (a window's edits): an import
#: streaming 100k members must not keep them all alive. Unknown records are written whole.
_KNOWN_ADDS = 1000
_BULK_REBUILD = 20_000  # link batches at least this big (and bigger than the table) rebuild indexes

# Column order of the members table: id, then the editable fields.
_MEMBER_COLS: tuple[str, ...] = ("id", *MEMBER_FIELDS)
_LINK_COLS: tuple[str, ...] = ("id", *LINK_FIELDS)
_MEMBER_REALS = tuple(i for i, c in enumerate(_MEMBER_COLS) if c in ("lat", "lon", "output"))
_LINK_REALS = tuple(i for i, c in enumerate(_LINK_COLS) if c in ("share", "volume"))


def _cols(cols: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in cols)


_INSERT_MEMBER = f"INSERT INTO members ({_cols(_MEMBER_COLS)}) VALUES ({', '.join('?' * len(_MEMBER_COLS))})"
_SELECT_MEMBER_ROW = f"SELECT {_cols(_MEMBER_COLS)} FROM members WHERE id = ?"
_INSERT_LINK = f"INSERT INTO links ({_cols(_LINK_COLS)}) VALUES ({', '.join('?' * len(_LINK_COLS))})"
_SELECT_LINK_ROW = f"SELECT {_cols(_LINK_COLS)} FROM links WHERE id = ?"
_SELECT_MEMBER_LINKS = f"SELECT {_cols(_LINK_COLS)} FROM links WHERE source = ? OR target = ? ORDER BY rowid"
_SELECT_MEMBERS = f"SELECT {_cols(MEMBER_ORDER)} FROM members ORDER BY rowid"
_SELECT_LINKS = f"SELECT {_cols(LINK_ORDER)} FROM links ORDER BY rowid"
_SELECT_MEMBERS_IN_ROWS = _SELECT_MEMBERS.replace(" ORDER BY", " WHERE rowid BETWEEN ? AND ? ORDER BY")
_SELECT_LINKS_IN_ROWS = _SELECT_LINKS.replace(" ORDER BY", " WHERE rowid BETWEEN ? AND ? ORDER BY")
_SELECT_MEMBER_COLUMNS = "SELECT id, name, kind, status, lat, lon FROM members ORDER BY rowid"
_SELECT_LINK_COLUMNS = "SELECT id, source, target, kind FROM links ORDER BY rowid"
# The same columns as one text each (one scan, so every column comes in the same row order):
# the sqlite3 module's per-row cost (a tuple and a step per row) is most of reading 300k rows.
_SEP = "\x1f"  # unit separator; a value that contains it is noticed by the count (see _split)
_CONCAT_MEMBERS = (
    "SELECT count(*), group_concat(id, char(31)), group_concat(name, char(31)), "
    "group_concat(kind, char(31)), group_concat(status, char(31)), group_concat(coalesce(lat, 'nan'), ' '), "
    "group_concat(coalesce(lon, 'nan'), ' ') FROM members"
)
# Kinds come as one byte each (LinkKind order from "A"; "?" for a value not known): no string
# per link. The ends are looked up in the member columns (``core.tables.end_index``).
_KIND_BASE = 65
_KIND_CASE = " ".join(f"WHEN '{k.value}' THEN char({_KIND_BASE + i})" for i, k in enumerate(LinkKind))
_CONCAT_LINKS = (
    "SELECT count(*), group_concat(id, char(31)), group_concat(source, char(31)), "
    f"group_concat(target, char(31)), CAST(group_concat(CASE kind {_KIND_CASE} ELSE '?' END, '') AS BLOB) "
    "FROM links"
)
_UNKNOWN_LINK_KIND = (
    f"SELECT kind FROM links WHERE kind NOT IN ({', '.join(repr(k.value) for k in LinkKind)}) LIMIT 1"
)
#: Dates are stored as validated ISO text, so text order is date order: min and max per column.
_DATED = (
    'SELECT min(joined), max(joined), min("left"), max("left") FROM members',
    'SELECT min(start), max(start), min("end"), max("end") FROM links',
)


def _split(text: str | None, count: int) -> list[str] | None:
    """group_concat's text back as a list, or None if it does not split into ``count`` values."""
    if not count:
        return []
    values = (text or "").split(_SEP) if text is not None else []
    return values if len(values) == count else None


# value -> the one str object every column entry shares
_MEMBER_KINDS = {k.value: k.value for k in MemberKind}
_STATUSES = {s.value: s.value for s in Status}


def _update_sql(table: str, names: Iterable[str]) -> str:
    return f"UPDATE {table} SET {', '.join(f'{_cols([n])} = ?' for n in names)} WHERE id = ?"


def _merge_fields(
    fields: tuple[str, ...], known: tuple[Any, ...] | None, mine: tuple[Any, ...], stored: tuple[Any, ...]
) -> tuple[Any, ...]:
    """The record to store: the caller's values for the fields it changed, the file's for the rest."""
    if known is None:
        return mine  # the caller's record is not one we handed out: it replaces the stored one
    changed, _ = diff(fields, known, mine)
    return tuple(m if f in changed else s for f, m, s in zip(fields, mine, stored, strict=True))


class RecordEdits:
    """Members and links of an open project (mixed into Project, which provides the connection)."""

    path: Path
    _actor: str
    _known_members: dict[str, Member]
    _known_links: dict[str, Link]

    def _c(self) -> sqlite3.Connection:
        raise NotImplementedError

    def _write(self) -> Any:  # contextmanager yielding the connection (Project._write)
        raise NotImplementedError

    def _log(self, conn: sqlite3.Connection, rows: Iterable[tuple[Any, ...]]) -> None:
        raise NotImplementedError

    def _now(self) -> str:
        raise NotImplementedError

    #: The INSERT of one change-log row (Project's; bulk inserts are logged by store.bulklog).
    _insert_change: str

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

    def records_changed_since(self, seq: int) -> tuple[int, dict[str, Member | None], dict[str, Link | None]]:
        """The records the change log names after ``seq``, as stored now: (the newest ``seq``,
        members by id, links by id; None for one deleted since). A window that holds the records
        as of ``seq`` reads only these after an import or a merge, not the whole project."""
        conn = self._c()
        named = "SELECT entity_id FROM changes WHERE seq > ? AND seq <= ? AND entity = ?"
        distinct = f"SELECT DISTINCT entity_id FROM ({named})"
        where = f" WHERE id IN ({named}) ORDER BY rowid"
        conn.execute("BEGIN")  # one snapshot for the reads
        try:
            last = int(conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0])
            m_args, l_args = (seq, last, "member"), (seq, last, "link")
            members: dict[str, Member | None] = dict.fromkeys(r[0] for r in conn.execute(distinct, m_args))
            links: dict[str, Link | None] = dict.fromkeys(r[0] for r in conn.execute(distinct, l_args))
            select_m = _SELECT_MEMBERS.replace(" ORDER BY rowid", where)
            select_l = _SELECT_LINKS.replace(" ORDER BY rowid", where)
            with gc_paused():
                if members:
                    members.update((m.id, m) for m in build_members(conn.execute(select_m, m_args)))
                if links:
                    links.update((li.id, li) for li in build_links(conn.execute(select_l, l_args)))
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

    def links_in_rows(self, first: int, last: int) -> list[Link]:
        """The links stored at rowids ``first``..``last`` (as ``members_in_rows``)."""
        try:
            with gc_paused():
                out = build_links(self._c().execute(_SELECT_LINKS_IN_ROWS, (first, last)))
        except KeyError as e:
            raise ProjectError.of("links_unknown_kind", path=self.path, detail=str(e)) from e
        for li in out:
            self._known_links.setdefault(li.id, li)
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

    def link_columns(self, members: MemberColumns | None = None) -> LinkColumns:
        """Every link's id, ends and kind as columns (one query; no records built). The ends are
        looked up in ``members`` (the file's member columns, read now when not given)."""
        members = self.member_columns() if members is None else members
        conn = self._c()
        count, ids, sources, targets, kinds = conn.execute(_CONCAT_LINKS).fetchone()
        lists = [_split(t, count) for t in (ids, sources, targets)]
        codes = np.frombuffer(kinds or b"", dtype=np.uint8)
        if all(x is not None for x in lists) and len(codes) == count:
            id_list, source_list, target_list = cast(list[list[str]], lists)
            cols = LinkColumns(id_list, members.ids, end_index(members, source_list, count),
                               end_index(members, target_list, count), codes - _KIND_BASE)
            del source_list, target_list  # (a million members: ~350 MB of short-lived strings)
        else:  # a separator inside a value: row by row
            cols = link_columns(conn.execute(_SELECT_LINK_COLUMNS).fetchall(), members)
        if len(cols) and int(cols.kind_codes.max()) >= len(cols.kind_values):
            bad = conn.execute(_UNKNOWN_LINK_KIND).fetchone()
            raise ProjectError.of("links_unknown_kind", path=self.path, detail=repr(bad[0] if bad else "?"))
        return cols

    def open_columns(self) -> snapshot.OpenColumns:
        """The member and link columns for opening, in one read transaction: from the snapshot
        in the user's cache when it was taken of the file as it is now (``store.snapshot``),
        else from the tables (the caller may then ``save_snapshot`` for the next open)."""
        conn = self._c()
        conn.execute("BEGIN")  # one state of the file for the key and the reads
        try:
            key = snapshot.file_key(conn, self.path)
            got = snapshot.load(self.path, key) if snapshot.worth_keeping(key) else None
            if got is not None:
                return snapshot.OpenColumns(got[0], got[1], key, True)
            members = self.member_columns()
            return snapshot.OpenColumns(members, self.link_columns(members), key, False)
        finally:
            conn.execute("COMMIT")

    def dated_years(self) -> tuple[int, int] | None:
        """First and last year any member or link date names (as ``core.timeline.dated_years``)."""
        dates = [d for sql in _DATED for d in self._c().execute(sql).fetchone() if d]
        years = [int(d[:4]) for d in dates if d[:4].isdigit()]
        return (min(years), max(years)) if years else None

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

    def _to_link(self, row: Sequence[Any]) -> Link:
        try:
            return link_from_row(row)
        except KeyError as e:
            raise ProjectError.of("link_unknown_kind", path=self.path, id=str(row[0]), detail=str(e)) from e

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
        with self._write() as conn:
            self._insert_members(conn, checked, self._now())
        return len(checked[0])

    def bulk_logging(self, coming: int) -> contextlib.AbstractContextManager[None]:
        """Inside ``transaction()``, around a bulk import's writes of about ``coming`` records: the
        change log's entity index is built once at the end instead of row by row, when the log
        is small (``bulklog.deferred_entity_index``). Nothing changes for readers: the index is
        back before the transaction commits, and a rollback restores it with the rest."""
        if not getattr(self, "in_transaction", False):
            raise RuntimeError("bulk_logging() belongs inside transaction()")
        return deferred_entity_index(self._c(), coming)

    def _insert_members(self, conn: sqlite3.Connection, columns: Sequence[Sequence[Any]], at: str) -> None:
        """Insert validated members given as columns (table order) and log each one."""
        before = conn.execute("SELECT coalesce(max(rowid), 0) FROM members").fetchone()[0]
        try:
            conn.executemany(_INSERT_MEMBER, zip(*columns, strict=True))
        except sqlite3.IntegrityError:
            rows = list(zip(*columns, strict=True))
            raise ValueError(self._explain_duplicates("member", "members", rows, before)) from None
        log_inserted_columns(conn, "members", "member", _MEMBER_COLS, _MEMBER_REALS, columns, before, at,
                             self._actor, self._insert_change)

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

    def update_members(self, ms: Iterable[Member]) -> list[Member]:
        """Update several members in one transaction; returns the records as they were stored.

        Field-level: only the fields in which a member differs from the version this project last
        read or wrote are written; fields changed meanwhile by another process are kept. A member
        deleted meanwhile raises RecordGone (a KeyError), a never-known missing id KeyError.
        """
        members = list(ms)
        rows = [member_row(m) for m in members]
        olds: list[Member] = []
        if not rows:
            return olds
        known = self._known_members
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
        known.update((m.id, m) for m in members)
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

    # ---- links

    def links(self) -> list[Link]:
        """All links, in the order they were added."""
        cursor = self._c().execute(_SELECT_LINKS)
        try:
            with gc_paused():
                out = build_links(cursor)
        except KeyError as e:
            raise ProjectError.of("links_unknown_kind", path=self.path, detail=str(e)) from e
        self._known_links = {li.id: li for li in out}
        return out

    def link(self, link_id: str) -> Link:
        row = self._c().execute(_SELECT_LINK_ROW, (link_id,)).fetchone()
        if row is None:
            raise KeyError(link_id)
        li = self._to_link(row)
        self._known_links[li.id] = li
        return li

    def add_link(self, link: Link) -> None:
        self.add_links([link])

    def add_links(self, ls: Iterable[Link]) -> int:
        """Insert new links in one transaction; both ends must exist. Returns how many."""
        links = list(ls)
        rows = [link_row(li) for li in links]
        if not rows:
            return 0
        with self._write() as conn:
            self._insert_links(conn, rows, self._now())
        if len(links) <= _KNOWN_ADDS:
            self._known_links.update((li.id, li) for li in links)
        return len(rows)

    def _insert_links(self, conn: sqlite3.Connection, rows: list[tuple[Any, ...]], at: str) -> None:
        # Big batches into a small table: drop the endpoint indexes and rebuild them once (a sort)
        # instead of 2 x N random index inserts; the transaction makes this invisible to readers.
        rebuild = (
            len(rows) >= _BULK_REBUILD
            and len(rows) > conn.execute("SELECT count(*) FROM links").fetchone()[0]
        )
        if rebuild:
            conn.execute("DROP INDEX links_source")
            conn.execute("DROP INDEX links_target")
        before = conn.execute("SELECT coalesce(max(rowid), 0) FROM links").fetchone()[0]
        try:
            conn.executemany(_INSERT_LINK, rows)
        except sqlite3.IntegrityError:
            raise ValueError(self._explain_link_failure(rows, before)) from None
        if rebuild:
            for statement in schema.LINK_INDEXES:
                conn.execute(statement)
        log_inserted(conn, "links", "link", _LINK_COLS, _LINK_REALS, rows, before, at, self._actor,
                     self._insert_change)

    def _explain_link_failure(self, rows: list[tuple[Any, ...]], before: int) -> str:
        conn = self._c()
        known: set[str] = set()
        for r in rows:
            for end, label in ((r[1], "source"), (r[2], "target")):
                if end not in known:
                    if conn.execute("SELECT 1 FROM members WHERE id = ?", (end,)).fetchone() is None:
                        return f"link {r[0]!r}: the {label} member {end!r} does not exist"
                    known.add(end)
        return self._explain_duplicates("link", "links", rows, before)

    def update_link(self, link: Link) -> Link:
        """Write the fields of ``link`` the caller changed (same id); returns the stored record."""
        row = link_row(link)
        with self._write() as conn:
            old_row = conn.execute(_SELECT_LINK_ROW, (row[0],)).fetchone()
            base = self._known_links.get(row[0])
            if old_row is None:
                if base is None:
                    raise KeyError(row[0])
                raise self._gone("link", row[0], row[0])
            old = self._to_link(old_row)
            new = _merge_fields(
                LINK_FIELDS, link_row(base)[1:] if base is not None else None, row[1:], tuple(old_row[1:])
            )
            before, after = diff(LINK_FIELDS, tuple(old_row[1:]), new)
            if after:
                try:
                    conn.execute(_update_sql("links", after), (*after.values(), row[0]))
                except sqlite3.IntegrityError:
                    raise ValueError(self._explain_link_failure([(row[0], *new)], 0)) from None
                self._log(
                    conn, [(self._now(), self._actor, "link", row[0], "update", dumps(before), dumps(after))]
                )
        self._known_links[link.id] = link  # the caller's base for its next edit (see update_members)
        return old

    def delete_link(self, link_id: str) -> Link:
        """Delete one link; returns it (for undo via ``restore([], [link])``)."""
        with self._write() as conn:
            row = conn.execute(_SELECT_LINK_ROW, (link_id,)).fetchone()
            if row is None:
                if link_id in self._known_links:
                    raise self._gone("link", link_id, link_id)
                raise KeyError(link_id)
            old = self._to_link(row)
            conn.execute("DELETE FROM links WHERE id = ?", (link_id,))
            self._log(
                conn,
                [(self._now(), self._actor, "link", link_id, "delete", dumps_record(tuple(row[1:])), None)],
            )
        self._known_links.pop(link_id, None)
        return old

