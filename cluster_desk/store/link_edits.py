"""Reading and editing links: the link half of the record API (mixed into Project via RecordEdits).

Edits are field-level, as for members (see store.edits): an update writes only the fields in
which the caller's record differs from the version this project last handed out or was given.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np

from cluster_desk.core.collector import gc_paused
from cluster_desk.core.model import LINK_FIELDS, Link, LinkKind
from cluster_desk.core.tables import LinkColumns, MemberColumns, end_index, link_columns
from cluster_desk.store import schema
from cluster_desk.store.bulklog import log_inserted, sorting_cache
from cluster_desk.store.changes import diff, dumps, dumps_record
from cluster_desk.store.errors import ProjectError, RecordGone
from cluster_desk.store.link_import import IMPORT_CACHE_KIB, LinkImportWriter
from cluster_desk.store.record_sql import _KNOWN_ADDS, _LINK_COLS, _cols, _merge_fields, _split, _update_sql
from cluster_desk.store.rows import LINK_ORDER, build_links, link_from_row, link_row


class LinkEnd:
    """A member as link ends are matched to it (``link_end_keys``); not a tuple (a matcher tells
    a member from its "why not" tuple by type)."""

    __slots__ = ("id", "inn", "name")

    def __init__(self, member_id: str, name: str, inn: str) -> None:
        self.id, self.name, self.inn = member_id, name, inn


_BULK_REBUILD = 20_000  # link batches at least this big (and bigger than the table) rebuild indexes
_INSERT_LINK = f"INSERT INTO links ({_cols(_LINK_COLS)}) VALUES ({', '.join('?' * len(_LINK_COLS))})"
_SELECT_LINK_ROW = f"SELECT {_cols(_LINK_COLS)} FROM links WHERE id = ?"
_SELECT_LINKS = f"SELECT {_cols(LINK_ORDER)} FROM links ORDER BY rowid"
_SELECT_LINKS_IN_ROWS = _SELECT_LINKS.replace(" ORDER BY", " WHERE rowid BETWEEN ? AND ? ORDER BY")
_SELECT_LINK_COLUMNS = "SELECT id, source, target, kind FROM links ORDER BY rowid"
# Kinds come as one byte each (LinkKind order from "A"; "?" for a value not known): no string
# per link. The ends are looked up in the member columns (``core.tables.end_index``).
_KIND_BASE = 65
_KIND_CASE = " ".join(f"WHEN '{k.value}' THEN '{chr(_KIND_BASE + i)}'" for i, k in enumerate(LinkKind))
_CONCAT_LINKS = (
    "SELECT count(*), group_concat(id, '\x1f'), group_concat(source, '\x1f'), "
    f"group_concat(target, '\x1f'), CAST(group_concat(CASE kind {_KIND_CASE} ELSE '?' END, '') AS BLOB) "
    "FROM links"
)
_UNKNOWN_LINK_KIND = (
    f"SELECT kind FROM links WHERE kind NOT IN ({', '.join(repr(k.value) for k in LinkKind)}) LIMIT 1"
)


class LinkEdits:
    """Links of an open project (a base of RecordEdits; Project provides the connection)."""

    path: Path
    _actor: str
    _known_links: dict[str, Link]
    #: The INSERT of one change-log row (Project's; bulk inserts are logged by store.bulklog).
    _insert_change: str

    def _c(self) -> sqlite3.Connection:
        raise NotImplementedError

    def _write(self) -> Any:  # contextmanager yielding the connection (Project._write)
        raise NotImplementedError

    def _log(self, conn: sqlite3.Connection, rows: Iterable[tuple[Any, ...]]) -> None:
        raise NotImplementedError

    def _now(self) -> str:
        raise NotImplementedError

    def _gone(self, what: str, record_id: str, label: str) -> RecordGone:
        raise NotImplementedError

    def _explain_duplicates(self, what: str, table: str, rows: list[tuple[Any, ...]], before: int) -> str:
        raise NotImplementedError

    def member_columns(self) -> MemberColumns:
        raise NotImplementedError

    _in_transaction: bool

    def transaction(self, touching: Any = None, *, announced: bool = False) -> Any:  # (Project's)
        raise NotImplementedError

    def about_to_write(self, member_ids: Collection[str] = (), link_ids: Collection[str] = ()) -> None:
        raise NotImplementedError

    @contextlib.contextmanager
    def link_import(self) -> Iterator[LinkImportWriter]:
        """One links import, written a batch at a time (``store.link_import``): in a transaction of
        its own, or in the caller's (``transaction()``). Everything or nothing is written."""
        conn = self._c()
        own = not self._in_transaction
        if own:  # SQLite's per-row foreign-key lookups off; the writer checks the new rows at the end
            conn.execute("PRAGMA foreign_keys = OFF")
        try:
            with contextlib.ExitStack() as stack:
                # The caller's batches are read and written inside this block: their row lists and
                # tuples would be scanned by the cycle collector several times each (and, at each
                # full collection, everything the program holds): ~0.4-0.5 s CPU of a 300,000-link
                # import, more in a window holding a big project. Nothing here makes cycles.
                stack.enter_context(gc_paused())
                if own:
                    stack.enter_context(self.transaction(announced=True))  # (update_stored names them)
                # A small page cache while the import appends (``IMPORT_CACHE_KIB``): memory stays flat.
                stack.enter_context(sorting_cache(conn, IMPORT_CACHE_KIB))
                writer = LinkImportWriter(stack.enter_context(self._write()), self._now(), self._actor,
                                          self._insert_change, check_ends=own,
                                          announce=lambda ids: self.about_to_write((), ids))
                yield writer
                writer.finish()
        finally:
            if own:
                conn.execute("PRAGMA foreign_keys = ON")
        for row in writer.old_rows:
            self._known_links.pop(row[0], None)  # the caller's base is the file now

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

    def _to_link(self, row: Sequence[Any]) -> Link:
        try:
            return link_from_row(row)
        except KeyError as e:
            raise ProjectError.of("link_unknown_kind", path=self.path, id=str(row[0]), detail=str(e)) from e

    def link_end_ids(self) -> list[str]:
        """Every member's id, in the order they were added (what most link ends are matched by)."""
        return [r[0] for r in self._c().execute("SELECT id FROM members ORDER BY rowid")]

    def link_end_keys(self) -> list[LinkEnd]:
        """Every member's id, name and INN: what an import matches link ends by (no records built)."""
        return [LinkEnd(*r) for r in self._c().execute("SELECT id, name, inn FROM members ORDER BY rowid")]

    def links_matching(self, ids: Iterable[str], sources: Iterable[str]) -> list[Link]:
        """The stored links with one of ``ids`` or whose source is one of ``sources``, in the order
        they were added: what an import preview's rows can match (by id, or by ends, kind and
        start), read through the indexes instead of reading every link."""
        conn = self._c()
        found: dict[int, Any] = {}
        for column, values in (("id", list(ids)), ("source", list(sources))):
            for k in range(0, len(values), 500):
                chunk = values[k:k + 500]
                marks = ", ".join("?" * len(chunk))
                sql = f"SELECT rowid, {_cols(_LINK_COLS)} FROM links WHERE {column} IN ({marks})"
                found.update((r[0], r[1:]) for r in conn.execute(sql, chunk))
        return [self._to_link(found[rowid]) for rowid in sorted(found)]

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
        log_inserted(conn, "links", "link", _LINK_COLS, rows, before, at, self._actor, self._insert_change)

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
        return self.delete_links([link_id])[0]

    def delete_links(self, link_ids: Iterable[str]) -> list[Link]:
        """Delete links in one transaction of their own (KeyError for one not in the file, and
        nothing deleted); returns them in the order asked (for undo via ``restore``). Not
        ``transaction()``: that is for bulk writes, and before one the window builds every
        record (an undo of one link added took seconds at 300,000 links, issue 17)."""
        wanted = list(dict.fromkeys(link_ids))
        out: list[Link] = []
        if not wanted:
            return out
        with self._write() as conn:
            at, actor = self._now(), self._actor
            log = []
            for link_id in wanted:
                row = conn.execute(_SELECT_LINK_ROW, (link_id,)).fetchone()
                if row is None:
                    if link_id in self._known_links:
                        raise self._gone("link", link_id, link_id)
                    raise KeyError(link_id)
                out.append(self._to_link(row))
                log.append((at, actor, "link", link_id, "delete", dumps_record(tuple(row[1:])), None))
            conn.executemany("DELETE FROM links WHERE id = ?", [(lid,) for lid in wanted])
            self._log(conn, log)
        for link_id in wanted:
            self._known_links.pop(link_id, None)
        return out
