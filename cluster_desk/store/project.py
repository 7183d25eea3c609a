"""The project file: one SQLite database per cluster (``*.cdesk``), and the Project API.

The files around it: ``fileguard`` (checks before SQLite touches a file, opening), ``strays``
(journals and WALs that are not the file's), ``rows`` (validation and records), ``edits``
(members and links, field-level), ``errors`` (ProjectError and its kinds), ``backups`` (copies
kept before bulk changes); ``cluster_desk.atomic`` writes copies, ``snapshot`` the open's columns
cache. Why ~680 lines: the lifecycle, transactions and change tracking share the connection's
state and read best together; the open's column reads, the snapshot hooks and the expansion of
bulk inserts' runs in the history (``store.bulklog``) and the reads held open until a
write (``held_reads``) grew it last.

Journal mode: rollback journal (``journal_mode=DELETE``) with ``synchronous=FULL``. Between edits
the ``.cdesk`` file is complete on its own: users copy it, mail it and put it on shared folders, and
a WAL file left beside it would silently hold their latest edits. Each edit is one transaction
that is on disk when the method returns (journal and database are fsynced), so a killed process or
a power cut loses at most the edit in flight; a hot journal left by a crash is rolled back on the
next open, after the file guard made sure it is this file's. WAL would save one fsync per commit,
but commits here measure a few milliseconds.

Other processes may edit the same file (a second window, an import from the command line):
``changed_externally()`` (SQLite's ``data_version``) tells a window to refresh, and
``external_changes()`` says what changed; writes are field-level (see ``edits``).
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import sqlite3
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import numpy as np

from cluster_desk import APP_NAME, __version__
from cluster_desk.atomic import atomic_path, remove_stale_temps
from cluster_desk.core.model import LINK_FIELDS, MEMBER_FIELDS, ClusterSettings, Link, Member
from cluster_desk.store import fileguard, member_fields, schema, upgrade
from cluster_desk.store.backups import list_backups, make_backup
from cluster_desk.store.bulklog import LOGGED, MARKER_ID, expand, marker_first
from cluster_desk.store.changes import Change, Entity, Op, diff, dumps, loads
from cluster_desk.store.edits import RecordEdits
from cluster_desk.store.errors import (
    Notice,
    ProjectBusy,
    ProjectError,
    RecordGone,
    cause_params,
    copy_error,
    save_error,
)
from cluster_desk.store.keys_read import SELECT_LAST_SEQ
from cluster_desk.store.record_sql import _cols
from cluster_desk.store.rows import (
    SETTINGS_FIELDS,
    check_text,
    dumps_value,
    settings_items,
    validate_settings,
)
from cluster_desk.store.strays import set_aside_strays

__all__ = ["Change", "Project", "ProjectBusy", "ProjectError", "RecordGone"]

_INSERT_CHANGE = (
    "INSERT INTO changes (at, actor, entity, entity_id, op, old, new) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
#: The fields of the records the log names (records stored whole as JSON arrays or logged rows).
_RECORD_FIELDS: dict[str, tuple[str, ...]] = {"member": MEMBER_FIELDS, "link": LINK_FIELDS}
#: How long an edit waits for another process's transaction (an import) before ProjectBusy.
BUSY_TIMEOUT_MS = 5000
#: Pages ``save_copy`` copies between two calls of its ``step`` (8 MB at 4 KB pages).
COPY_STEP_PAGES = 2048


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in the environment or the password database
        return "unknown"


class Project(RecordEdits):
    """An open project file. Every edit method is one transaction, committed when it returns."""

    _insert_change = _INSERT_CHANGE

    path: Path

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        # Use Project.open / Project.create.
        self.path = path
        self._conn: sqlite3.Connection | None = conn
        self._actor = _actor()
        self._in_transaction = False
        self._known_members: dict[str, Member] = {}
        self._known_links: dict[str, Link] = {}
        self._known_settings: ClusterSettings | None = None
        #: Messages about the file found on open (a stray journal set aside); the UI shows them.
        self.notices: list[Notice] = []
        # Change-log entries up to here have been seen; own writes are not "external".
        self._seen_seq = self.last_seq()
        self._own_seqs: list[tuple[int, int]] = []
        self._data_version = self._pragma_data_version()
        #: The integrity check still running on its own thread (see ``open(check_later=True)``).
        self.integrity: fileguard.BackgroundCheck | None = None
        #: Called once, before the first ``transaction()`` that names nothing of what it writes
        #: (a team sync's): a reader holding records it has not read yet (core.tables.LazyRecords)
        #: reads them now, while the file is as it opened.
        self.before_bulk_write: Callable[[], None] | None = None
        #: Called instead with the records a bulk write names: at ``transaction(touching=...)``
        #: (a merge, an undo of a bulk change) and at each ``about_to_write`` inside
        #: ``transaction(announced=True)`` (an import's batches). Only those are read (a
        #: 100,000-member window's first merge or import built all 400,000 records first: ~2 s).
        self.before_bulk_write_of: Callable[[Collection[str], Collection[str]], None] | None = None
        #: Called with the path once the connection is closed (a window brings its columns
        #: snapshot up to date then: ui.project.loading).
        self.after_close: Callable[[Path], None] | None = None
        #: Threads of this process holding a read transaction on the file until they are let go
        #: (a first open's links thread: its link ids are read once the map has painted,
        #: store.column_read): let go before a write (whose commit would wait for them) and at
        #: close.
        self.held_reads: list[Callable[[], None]] = []
        #: Stops the scans of the last open's links thread (store.column_read), if it had one.
        self.stop_reading: Callable[[], None] | None = None

    # ---- lifecycle

    @classmethod
    def create(cls, path: str | os.PathLike[str], name: str = "") -> Project:
        """A new, empty project at ``path``; refuses to overwrite an existing file."""
        fileguard.require_sqlite()
        path = Path(path)
        settings = validate_settings(ClusterSettings(name=check_text(name, "project", "name")))
        remove_stale_temps(path.parent)
        try:
            # O_EXCL: never overwrite, even if the file appears between a check and the write.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            raise ProjectError.of("exists", path=path) from None
        except OSError as e:
            raise ProjectError.of("cant_create", path=path, **cause_params(e)) from e
        conn: sqlite3.Connection | None = None
        try:
            conn = fileguard.connect(path)
            schema.migrate(conn)
            project = cls(path, conn)
            with project._write() as c:
                c.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [("uuid", uuid.uuid4().hex), ("name", name), ("created", _now()),
                     ("app", APP_NAME), ("app_version", __version__)],
                )  # fmt: skip
                c.executemany(
                    "INSERT INTO settings (key, value) VALUES (?, ?)", settings_items(settings)
                )
            return project
        except BaseException as e:
            if conn is not None:
                conn.close()
            with contextlib.suppress(OSError):
                path.unlink()
                fileguard.journal_path(path).unlink(missing_ok=True)
            if isinstance(e, sqlite3.Error):
                raise ProjectError.of("cant_create", path=path, **cause_params(e)) from e
            raise

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, check_later: bool = False,
             start_check: bool = True, progress: upgrade.Progress | None = None,
             integrity: fileguard.BackgroundCheck | None = None) -> Project:
        """Open an existing project: validates, rolls back a crash's hot journal, migrates old formats.

        ``check_later``: the ``quick_check`` of the tables runs on a thread (``integrity``) while
        the caller reads; the first write waits for it and a damaged file refuses it. A file that
        needs an upgrade is always checked first. ``start_check=False``: the caller starts that
        thread (``integrity.start()``: a window, once the open is painted); the first write
        starts it if nobody has.

        A ``-journal`` or ``-wal`` beside the file that is not its own is renamed aside, never
        played back (``notices`` says so); hidden temp files of killed runs are removed.

        ``progress(stage, fraction)`` follows an upgrade of an older format (``store.upgrade``).

        ``integrity``: that check, already started by the caller (``fileguard.early_check``); the
        open owns it from here (it cancels it when it refuses the file or checks it itself).
        """
        try:
            return cls._open(path, check_later=check_later, start_check=start_check,
                             progress=progress, integrity=integrity)
        except BaseException:
            if integrity is not None:
                integrity.cancel()
            raise

    @classmethod
    def _open(cls, path: str | os.PathLike[str], *, check_later: bool, start_check: bool,
              progress: upgrade.Progress | None, integrity: fileguard.BackgroundCheck | None) -> Project:
        fileguard.require_sqlite()
        path = Path(path)
        remove_stale_temps(path.parent)
        fileguard.check_header(path, check_size=False)
        notices = set_aside_strays(path)
        if fileguard.hot_journal(path):
            # A crash left an unfinished transaction of this file: let SQLite roll the journal
            # back; that write restores the last committed state.
            try:
                conn = sqlite3.connect(str(path), isolation_level=None)
                try:
                    conn.execute("PRAGMA trusted_schema = OFF")
                    conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
                finally:
                    conn.close()
            except sqlite3.Error as e:
                raise ProjectError.of("recovery_failed", path=path, **cause_params(e)) from e
        version = fileguard.check_header(path)
        later = check_later and version == schema.current_version()
        if integrity is not None and not later:
            integrity.cancel()  # (checked below, before anything is read)
            integrity = None
        if progress is not None and version < schema.current_version():
            progress("check", 0.0)
        fileguard.inspect_readonly(path, version, integrity=not later)
        try:
            conn = fileguard.connect(path)
        except sqlite3.Error as e:
            raise ProjectError.of("cant_edit", path=path, **cause_params(e)) from e
        try:
            if version < schema.current_version():
                watch = upgrade.UpgradeWatch(conn, progress)
                try:
                    watch.stage("copy")
                    fileguard.copy_before_upgrade(conn, path, version)
                    watch.stage("rebuild")
                    schema.migrate(conn)
                except ProjectError:
                    raise
                except Exception as e:
                    raise ProjectError.of(
                        "upgrade_failed", path=path, version=str(version),
                        to=str(schema.current_version()), **cause_params(e),
                    ) from e
                finally:
                    watch.close()
                if schema.schema_objects(conn) != schema.expected_objects(schema.current_version()):
                    raise ProjectError.of("upgrade_incomplete", path=path)
            project = cls(path, conn)
            project.notices = notices
            if later:
                project.integrity = integrity or fileguard.BackgroundCheck(path, start=start_check)
            project.settings()  # stored settings are JSON: validate them now, not in the middle of a check
            return project
        except BaseException as e:
            conn.close()
            if isinstance(e, sqlite3.Error):
                raise fileguard.damaged(path, e) from e
            raise

    def close(self) -> None:
        self._let_reads_go()
        if self.integrity is not None:  # a check still running has nothing left to guard
            self.integrity.cancel()
        if self._conn is not None:
            self._conn.close()
            self._conn = None
            if self.after_close is not None:
                self.after_close(self.path)

    def interrupt(self) -> None:
        """Stop the statement this project's connection runs and the open's links thread (from
        another thread: an open cancelled while its columns are read); the read raises. A no-op
        when none runs."""
        conn, stop_reading = self._conn, self.stop_reading
        if conn is not None:
            with contextlib.suppress(sqlite3.ProgrammingError):  # (closed meanwhile: nothing runs)
                conn.interrupt()
        if stop_reading is not None:  # (the open's links thread)
            stop_reading()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Project({str(self.path)!r}{'' if self._conn else ', closed'})"

    @property
    def closed(self) -> bool:
        return self._conn is None

    def member_fields(self, fields: Sequence[str],
                      joined: Sequence[str] = ()) -> dict[str, list[str] | np.ndarray]:
        """Whole members columns in file order, no record built (``store.member_fields``)."""
        return member_fields.read(self._c(), fields, joined)

    def _c(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ProjectError.of("closed", path=self.path)
        return self._conn

    def _now(self) -> str:
        return _now()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed (and fsynced) on success, rolled back on any error.

        Errors of SQLite or the disk become one-line ProjectErrors naming the file and the cause
        (ProjectBusy when another process's transaction held the file past BUSY_TIMEOUT_MS).
        """
        conn = self._c()
        if self._in_transaction:
            yield from self._savepoint(conn)
            return
        self._let_reads_go()
        if self.integrity is not None:  # never write to a file before it passed the check
            self.integrity.wait()
            self.integrity = None
        try:
            conn.execute("BEGIN IMMEDIATE")
            first = self.last_seq()
        except sqlite3.Error as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise save_error(self.path, e) from e
        try:
            yield conn
            last = self.last_seq()
            conn.execute("COMMIT")
        except BaseException as e:
            with contextlib.suppress(sqlite3.Error):
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            if isinstance(e, sqlite3.IntegrityError):
                raise ValueError(f"the change was refused: {e}") from e
            if isinstance(e, sqlite3.Error):
                raise save_error(self.path, e) from e
            raise
        if last > first:
            own = self._own_seqs
            if own and own[-1][1] == first:  # no one else wrote in between: one range
                own[-1] = (own[-1][0], last)
            else:
                own.append((first + 1, last))

    def _let_reads_go(self) -> None:
        held, self.held_reads = self.held_reads, []
        for let_go in held:
            let_go()

    def _savepoint(self, conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        """Inside transaction(): a savepoint, so a failed edit undoes only itself."""
        self._member_ids_back()  # an edit inside a bulk members write finds the id index in place
        conn.execute("SAVEPOINT edit")
        try:
            yield conn
            conn.execute("RELEASE edit")
        except BaseException as e:
            # A full disk or an I/O error makes SQLite roll back the whole transaction itself:
            # then there is no savepoint left to return to, and the first error is the one to tell.
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK TO edit")
                    conn.execute("RELEASE edit")
            if isinstance(e, sqlite3.IntegrityError):
                raise ValueError(f"the change was refused: {e}") from e
            raise

    @property
    def in_transaction(self) -> bool:
        """Inside ``transaction()``: edit calls join it (an import of members and links)."""
        return self._in_transaction

    @contextlib.contextmanager
    def transaction(self, touching: tuple[Collection[str], Collection[str]] | None = None, *,
                    announced: bool = False) -> Iterator[None]:
        """Group edit calls into one transaction (imports, merges): all of them or none.

        Every edit method called inside joins this transaction; an exception leaving the block
        rolls everything back and is re-raised (SQLite and disk errors as a one-line ProjectError).
        ``touching``: the (member ids, link ids) of every record the block may write, the links
        its member deletes take with them included (``before_bulk_write_of``). ``announced``: the
        block names them batch by batch instead (``about_to_write``: an import, which learns
        which stored records it updates as it reads the file); new records need no naming.
        """
        if self._in_transaction:
            raise RuntimeError("transaction() cannot be nested")  # a bug, not a user's error
        if touching is not None and self.before_bulk_write_of is not None:
            self.before_bulk_write_of(*touching)
        elif announced and self.before_bulk_write_of is not None:
            pass  # (about_to_write, before each write of stored records)
        elif self.before_bulk_write is not None:
            hook, self.before_bulk_write = self.before_bulk_write, None
            hook()
        with self._write():
            self._in_transaction = True
            try:
                yield
            finally:
                self._in_transaction = False

    def about_to_write(self, member_ids: Collection[str] = (), link_ids: Collection[str] = ()) -> None:
        """Inside ``transaction(announced=True)``: the stored records the next write changes."""
        if self.before_bulk_write_of is not None:
            self.before_bulk_write_of(member_ids, link_ids)

    def set_meta(self, values: dict[str, str]) -> None:
        """Store application keys in ``meta`` (field-copy markers); the built-in keys are refused."""
        reserved = {"uuid", "name", "created", "app", "app_version"} & values.keys()
        if reserved:
            raise ValueError(f"meta keys {sorted(reserved)} are maintained by the store")
        with self._write() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                [(check_text(k, "meta", "key"), check_text(v, "meta", k)) for k, v in values.items()],
            )

    def _log(self, conn: sqlite3.Connection, rows: Iterable[tuple[Any, ...]]) -> None:
        conn.executemany(_INSERT_CHANGE, rows)

    # ---- changes made by other processes

    def _pragma_data_version(self) -> int:
        return int(self._c().execute("PRAGMA data_version").fetchone()[0])

    def changed_externally(self) -> bool:
        """Whether another connection committed to the file since the last call (cheap: poll it).

        SQLite's ``data_version``; a window calls this on a timer and, when True, reads
        ``external_changes()`` and refreshes what it shows.
        """
        now = self._pragma_data_version()
        changed = now != self._data_version
        self._data_version = now
        return changed

    def external_changes(self) -> list[Change]:
        """Change-log entries written by other processes since the last call (oldest first)."""
        own, self._own_seqs = self._own_seqs, []
        seen, self._seen_seq = self._seen_seq, self.last_seq()
        out = []
        for ch in self.history_since(seen):
            if not any(a <= ch.seq <= b for a, b in own):
                out.append(ch)
        return out

    # ---- team sync hooks (issue 16): pulled edits are logged under their server author

    @contextlib.contextmanager
    def acting_as(self, actor: str) -> Iterator[None]:
        """Log the edits made inside the block under ``actor`` (a colleague's edit pulled from a
        team server), so Member History names who made it."""
        saved = self._actor
        self._actor = check_text(actor, "actor", "name") or saved
        try:
            yield
        finally:
            self._actor = saved

    def last_seq(self) -> int:
        """The newest change-log ``seq`` (0 for an empty log)."""
        return int(self._c().execute(SELECT_LAST_SEQ).fetchone()[0])

    def history_since(self, seq: int) -> list[Change]:
        """The change-log entries after ``seq``, oldest first (a sync reads only its own edits)."""
        return self._history_query(" WHERE seq > ?", (seq,), since=seq)

    # ---- meta and settings

    def meta(self) -> dict[str, str]:
        """uuid, name, created (UTC ISO), app, app_version of the creating release."""
        return {str(k): str(v) for k, v in self._c().execute("SELECT key, value FROM meta")}

    def settings(self) -> ClusterSettings:
        values: dict[str, Any] = {}
        for key, text in self._c().execute("SELECT key, value FROM settings"):
            if key in SETTINGS_FIELDS:  # keys of a later minor release are ignored
                try:
                    values[key] = json.loads(text)
                except ValueError as e:
                    raise ProjectError.of("setting_damaged", path=self.path, key=key, detail=str(e)) from e
        try:
            s = validate_settings(replace(ClusterSettings(), **values))
        except ValueError as e:
            raise ProjectError.of("settings_invalid", path=self.path, detail=str(e)) from e
        self._known_settings = s
        return s

    def set_settings(self, s: ClusterSettings) -> None:
        """Write the settings the caller changed (against the version last read), keep the rest."""
        new = validate_settings(s)
        known = self._known_settings
        if known is not None and new == known:
            return
        with self._write() as conn:
            old = self.settings()
            values = tuple(getattr(new, f) for f in SETTINGS_FIELDS)
            if known is not None:
                changed, _ = diff(SETTINGS_FIELDS, tuple(getattr(known, f) for f in SETTINGS_FIELDS), values)
                values = tuple(getattr(new, f) if f in changed else getattr(old, f) for f in SETTINGS_FIELDS)
            before, after = diff(SETTINGS_FIELDS, tuple(getattr(old, f) for f in SETTINGS_FIELDS), values)
            if after:
                conn.executemany(
                    "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                    [(k, dumps_value(v)) for k, v in after.items()],
                )
                self._log(
                    conn,
                    [(_now(), self._actor, "settings", "settings", "update", dumps(before), dumps(after))],
                )
        self._known_settings = replace(old, **after)

    # ---- change log and copies

    def history(self, entity_id: str | None = None) -> list[Change]:
        """The change log, oldest first; only one record's entries if ``entity_id`` is given.

        A bulk insert's run (``store.bulklog``: one marker row, the records in ``logged_members``
        / ``logged_links``) comes back as one insert entry a record, as an older file logged it."""
        if entity_id is None:
            return self._history_query("", ())
        if entity_id == MARKER_ID:
            return []  # no record has an empty id (a run's marker does)
        return self._record_history(entity_id)

    def last_deleted(self, entity_id: str) -> dict[str, Any] | None:
        """The record's values as its last delete logged them (whole), or None: no delete logged.
        By the change log's index alone: a bulk insert's runs hold inserts only (a conflict's
        record restored at 1,000,000 members would otherwise scan them, ~0.1 s a record)."""
        try:
            row = self._c().execute(
                "SELECT entity, old FROM changes WHERE entity_id = ? AND op = 'delete' "
                "ORDER BY seq DESC LIMIT 1", (entity_id,)).fetchone()
            return None if row is None else dict(loads(row[1], _RECORD_FIELDS.get(row[0], ())))
        except (ValueError, sqlite3.DatabaseError) as e:
            raise ProjectError.of("changelog_damaged", path=self.path, detail=str(e)) from e

    def _history_query(self, where: str, params: tuple[Any, ...], since: int = 0) -> list[Change]:
        sql = "SELECT seq, at, actor, entity, entity_id, op, old, new FROM changes" + where
        conn = self._c()
        out: list[Change] = []
        try:
            for seq, at, actor, entity, eid, op, old, new in conn.execute(sql + " ORDER BY seq", params):
                f = _RECORD_FIELDS.get(entity, ())
                if eid == MARKER_ID and entity in LOGGED:
                    first = max(marker_first(seq, new), since + 1)
                    out += [Change(r[0], at, actor, entity, r[1], "insert", {},
                                   dict(zip(f, r[2:], strict=True)))
                            for r in expand(conn, entity, ("id", *f), first, seq)]
                    continue
                out.append(
                    Change(
                        seq, at, actor, cast(Entity, entity), eid, cast(Op, op), loads(old, f), loads(new, f)
                    )
                )
        except (ValueError, sqlite3.DatabaseError) as e:
            raise ProjectError.of("changelog_damaged", path=self.path, detail=str(e)) from e
        return out

    def _record_history(self, entity_id: str) -> list[Change]:
        """``history(entity_id)``: its own entries (by the index) and its inserts in bulk runs."""
        return self._records_history([entity_id], tuple(LOGGED))

    def _records_history(self, ids: list[str], entities: tuple[str, ...]) -> list[Change]:
        """The entries of the records ``ids`` (by the index; at most 500: SQLite's host
        parameters) and their inserts in the bulk runs of ``entities`` (the logged tables have no
        index by id: one scan each, ~0.1 s at 1,000,000 records), oldest first."""
        marks = ", ".join("?" * len(ids))
        out = self._history_query(f" WHERE entity_id IN ({marks})", tuple(ids))
        conn = self._c()
        try:
            for entity in entities:
                table, f = LOGGED[entity], _RECORD_FIELDS[entity]
                for seq, eid, *values in conn.execute(
                        f"SELECT seq, {_cols(('id', *f))} FROM {table} WHERE id IN ({marks})",
                        ids).fetchall():
                    marker = conn.execute("SELECT seq, at, actor, entity, entity_id, new FROM changes "
                                          "WHERE seq >= ? ORDER BY seq LIMIT 1", (seq,)).fetchone()
                    if (marker is None or marker[3] != entity or marker[4] != MARKER_ID
                            or marker_first(marker[0], marker[5]) > seq):
                        raise ValueError(f"{table} row {seq}: no bulk insert's marker")
                    out.append(Change(seq, marker[1], marker[2], cast(Entity, entity), eid, "insert", {},
                                      dict(zip(f, values, strict=True))))
        except (ValueError, sqlite3.DatabaseError) as e:
            raise ProjectError.of("changelog_damaged", path=self.path, detail=str(e)) from e
        return sorted(out, key=lambda c: c.seq)

    def member_history(self, member_id: str) -> list[Change]:
        """A member's own entries and those of every link that ever touched it, oldest first.

        A link is found by its whole records (insert/delete name both ends) or, still stored, by
        its current ends; its updates then come with it even when they name only the changed field.
        """
        link_ids = {
            str(r[0]) for r in self._c().execute(
                "SELECT id FROM links WHERE source = ? OR target = ?", (member_id, member_id))
        }  # fmt: skip
        link_ids.update(r[0] for r in self._c().execute(  # links a bulk insert logged (a scan)
            f"SELECT id FROM {LOGGED['link']} WHERE source = ? OR target = ?", (member_id, member_id)))
        pattern = f'%"{member_id}"%'
        for eid, old, new in self._c().execute(
            "SELECT entity_id, old, new FROM changes WHERE entity = 'link' AND op <> 'update' "
            "AND (old LIKE ? OR new LIKE ?)", (pattern, pattern)
        ):
            record = loads(old or new, LINK_FIELDS)
            if member_id in (record.get("source"), record.get("target")):
                link_ids.add(str(eid))
        own = self.history(member_id)
        # Those links' entries only (reading the whole log, every bulk run expanded, took ~2 s at
        # 100,000 members and 300,000 links; issue 17).
        ids = sorted(link_ids)
        linked = [c for start in range(0, len(ids), 500)
                  for c in self._records_history(ids[start:start + 500], ("link",)) if c.entity == "link"]
        return sorted([*own, *linked], key=lambda c: c.seq)

    def check(self) -> list[str]:
        """Full ``PRAGMA quick_check`` of the whole file (open skips the change log of huge files)."""
        try:
            return fileguard.quick_check(self._c(), full=True)
        except sqlite3.DatabaseError as e:
            return [str(e)]

    def backup(self, reason: str, *, step: Callable[[], None] | None = None) -> Path:
        """Keep an automatic copy before a bulk change (``reason``: "import", "merge", "sync").

        The copy goes to the hidden folder ``.NAME.backups/`` beside the project, named
        ``STEM-YYYYMMDD-HHMMSS-REASON.cdesk`` (UTC); the last 5 are kept (see ``store.backups``).
        Returns its path; ProjectError if it cannot be written (do not start the change then).
        ``step``: as ``save_copy``'s.
        """
        return make_backup(self, reason, step=step)

    def backups(self) -> list[Path]:
        """The automatic copies of this project, oldest first."""
        return list_backups(self.path)

    def save_copy(self, dest: str | os.PathLike[str], *, meta: dict[str, str] | None = None,
                  step: Callable[[], None] | None = None) -> None:
        """Write a consistent snapshot to ``dest``; an existing ``dest`` is replaced only when complete.

        ``meta`` keys are written into the snapshot before it takes ``dest``'s name (a field
        copy's marker): a copy is never seen without them. ``step``: called between parts of
        the copy of a file bigger than one part (``COPY_STEP_PAGES`` each: a window's progress
        handles its events there, at a million members ~1.3-8 s of copying); whatever it raises
        stops the copy, ``dest`` as it was. (A write by another connection between parts makes
        SQLite start the copy again.)
        """
        conn = self._c()
        dest = Path(dest)
        if dest.exists() and dest.resolve() == self.path.resolve():
            raise ProjectError.of("copy_is_self", path=dest)
        if conn.in_transaction:  # (the copy would hold what is not committed yet)
            raise RuntimeError("save_copy() inside a transaction")  # a bug, not a user's error
        try:
            # SQLite's online backup copies the last commit's pages to a new file in one step (a
            # read lock held throughout; the interpreter let go meanwhile); atomic_path fsyncs it
            # and renames it over dest in one step. (VACUUM INTO, which rebuilt every table and
            # index as it copied, took 2.5-9 s at 1,000,000 members against 1.2-1.5 s: issue 17.)
            with atomic_path(dest) as tmp:
                target = sqlite3.connect(str(tmp), isolation_level=None)
                try:
                    pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
                    if step is None or pages <= COPY_STEP_PAGES:  # (one part: nothing to wait for)
                        conn.backup(target)
                    else:
                        conn.backup(target, pages=COPY_STEP_PAGES, progress=lambda *_: step())
                finally:
                    target.close()
                if meta:
                    write_meta(tmp, meta)
        except (OSError, sqlite3.Error) as e:
            raise copy_error(dest, e) from e


def write_meta(path: Path, values: dict[str, str]) -> None:
    """Add ``meta`` keys to a fresh snapshot (not yet under its real name; no log entry)."""
    snapshot = sqlite3.connect(str(path), isolation_level=None)
    try:
        snapshot.execute("PRAGMA journal_mode = DELETE")
        snapshot.execute("PRAGMA synchronous = FULL")
        snapshot.execute("BEGIN IMMEDIATE")
        snapshot.executemany(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            [(check_text(k, "meta", "key"), check_text(v, "meta", k)) for k, v in values.items()],
        )
        snapshot.execute("COMMIT")
    finally:
        snapshot.close()
