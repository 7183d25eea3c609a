"""The project file: one SQLite database per cluster (``*.cdesk``).

The files around it: ``fileguard`` (checks before SQLite touches a file, opening), ``rows``
(validation and records), ``errors`` (ProjectError); ``cluster_desk.atomic`` writes copies.

Journal mode: rollback journal (``journal_mode=DELETE``) with ``synchronous=FULL``. Between edits
the ``.cdesk`` file is complete on its own: users copy it, mail it and put it on shared folders, and
a WAL file left beside it would silently hold their latest edits. Each edit is one transaction
that is on disk when the method returns (journal and database are fsynced), so a killed process or
a power cut loses at most the edit in flight; a hot journal left by a crash is rolled back on the
next open. WAL would save one fsync per commit, but commits here measure a few milliseconds.
"""


from __future__ import annotations

import contextlib
import getpass
import json
import os
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from cluster_desk import APP_NAME, __version__
from cluster_desk.atomic import atomic_path
from cluster_desk.core.model import LINK_FIELDS, MEMBER_FIELDS, ClusterSettings, Link, Member
from cluster_desk.store import fileguard, schema
from cluster_desk.store.changes import Change, Entity, Op, diff, dumps, dumps_record, loads
from cluster_desk.store.errors import ProjectError
from cluster_desk.store.rows import (
    LINK_ORDER,
    MEMBER_ORDER,
    SETTINGS_FIELDS,
    build_links,
    build_members,
    check_text,
    dumps_value,
    gc_paused,
    link_from_row,
    link_row,
    member_from_row,
    member_row,
    settings_items,
    validate_settings,
)

__all__ = ["Change", "Project", "ProjectError"]

_BULK_REBUILD = 20_000  # link batches at least this big (and bigger than the table) rebuild indexes

# Column order of the members table: id, then the editable fields.
_MEMBER_COLS: tuple[str, ...] = ("id", *MEMBER_FIELDS)
_LINK_COLS: tuple[str, ...] = ("id", *LINK_FIELDS)

def _cols(cols: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in cols)


_INSERT_MEMBER = f"INSERT INTO members ({_cols(_MEMBER_COLS)}) VALUES ({', '.join('?' * len(_MEMBER_COLS))})"
_UPDATE_MEMBER = f"UPDATE members SET {_cols(MEMBER_FIELDS).replace(',', ' = ?,')} = ? WHERE id = ?"
_SELECT_MEMBER_ROW = f"SELECT {_cols(_MEMBER_COLS)} FROM members WHERE id = ?"
_INSERT_LINK = f"INSERT INTO links ({_cols(_LINK_COLS)}) VALUES ({', '.join('?' * len(_LINK_COLS))})"
_UPDATE_LINK = f"UPDATE links SET {_cols(LINK_FIELDS).replace(',', ' = ?,')} = ? WHERE id = ?"
_SELECT_LINK_ROW = f"SELECT {_cols(_LINK_COLS)} FROM links WHERE id = ?"
_SELECT_MEMBER_LINKS = f"SELECT {_cols(_LINK_COLS)} FROM links WHERE source = ? OR target = ? ORDER BY rowid"
_INSERT_CHANGE = (
    "INSERT INTO changes (at, actor, entity, entity_id, op, old, new) VALUES (?, ?, ?, ?, ?, ?, ?)"
)


_SELECT_MEMBERS = f"SELECT {_cols(MEMBER_ORDER)} FROM members ORDER BY rowid"
_SELECT_LINKS = f"SELECT {_cols(LINK_ORDER)} FROM links ORDER BY rowid"


# --------------------------------------------------------------------------- helpers


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in the environment or the password database
        return "unknown"


# --------------------------------------------------------------------------- the project


class Project:
    """An open project file. Every edit method is one transaction, committed when it returns."""

    path: Path

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        # Use Project.open / Project.create.
        self.path = path
        self._conn: sqlite3.Connection | None = conn
        self._actor = _actor()

    # ---- lifecycle

    @classmethod
    def create(cls, path: str | os.PathLike[str], name: str = "") -> Project:
        """A new, empty project at ``path``; refuses to overwrite an existing file."""
        fileguard.require_sqlite()
        path = Path(path)
        settings = validate_settings(ClusterSettings(name=check_text(name, "project", "name")))
        try:
            # O_EXCL: never overwrite, even if the file appears between a check and the write.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            raise ProjectError(f"{path} already exists; choose another name.") from None
        except OSError as e:
            raise ProjectError(f"{path} cannot be created: {e.strerror or e}.") from e
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
                raise ProjectError(f"{path} cannot be created: {e}.") from e
            raise

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Project:
        """Open an existing project: validates, rolls back a crash's hot journal, migrates old formats."""
        fileguard.require_sqlite()
        path = Path(path)
        if fileguard.hot_journal(path):
            # A crash left an unfinished transaction. Check it is our file (read-only), then let
            # SQLite roll the journal back: that write restores the last committed state.
            fileguard.check_header(path, check_size=False)
            try:
                conn = sqlite3.connect(str(path), isolation_level=None)
                try:
                    conn.execute("PRAGMA trusted_schema = OFF")
                    conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
                finally:
                    conn.close()
            except sqlite3.Error as e:
                raise ProjectError(f"{path} could not be recovered after a crash: {e}.") from e
        version = fileguard.check_header(path)
        fileguard.inspect_readonly(path, version)
        try:
            conn = fileguard.connect(path)
        except sqlite3.Error as e:
            raise ProjectError(f"{path} cannot be opened for editing: {e}.") from e
        try:
            if version < schema.current_version():
                fileguard.copy_before_upgrade(conn, path, version)
                try:
                    schema.migrate(conn)
                except Exception as e:
                    raise ProjectError(
                        f"{path} could not be upgraded from format {version} "
                        f"to {schema.current_version()}: {e}. "
                        "The file was left at its last complete format."
                    ) from e
                if schema.schema_objects(conn) != schema.expected_objects(schema.current_version()):
                    raise ProjectError(f"{path} does not have the expected tables after the upgrade.")
            project = cls(path, conn)
            project.settings()  # stored settings are JSON: validate them now, not in the middle of a check
            return project
        except BaseException as e:
            conn.close()
            if isinstance(e, sqlite3.Error):
                raise fileguard.damaged(path, e) from e
            raise

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Project({str(self.path)!r}{'' if self._conn else ', closed'})"

    @property
    def closed(self) -> bool:
        return self._conn is None

    def _c(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ProjectError(f"{self.path} is closed.")
        return self._conn

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed (and fsynced) on success, rolled back on any error."""
        conn = self._c()
        if getattr(self, "_in_transaction", False):
            # Inside transaction(): a savepoint, so a failed edit undoes only itself.
            conn.execute("SAVEPOINT edit")
            try:
                yield conn
                conn.execute("RELEASE edit")
            except BaseException as e:
                conn.execute("ROLLBACK TO edit")
                conn.execute("RELEASE edit")
                if isinstance(e, sqlite3.IntegrityError):
                    raise ValueError(f"the change was refused: {e}") from e
                raise
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise ProjectError(f"{self.path} cannot be written: {e}.") from e
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(e, sqlite3.IntegrityError):
                raise ValueError(f"the change was refused: {e}") from e
            if isinstance(e, sqlite3.Error):
                raise ProjectError(f"{self.path} could not be saved: {e}.") from e
            raise

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Group edit calls into one transaction (imports, merges): all of them or none.

        Added for io/merge (issue 5): every edit method called inside joins this transaction;
        an exception leaving the block rolls everything back.
        """
        if getattr(self, "_in_transaction", False):
            raise ProjectError("transaction() cannot be nested.")
        with self._write():
            self._in_transaction = True
            try:
                yield
            finally:
                self._in_transaction = False

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
                    raise ProjectError(f"{self.path}: setting {key!r} is damaged ({e}).") from e
        try:
            return validate_settings(replace(ClusterSettings(), **values))
        except ValueError as e:
            raise ProjectError(f"{self.path}: the stored settings are invalid ({e}).") from e

    def set_settings(self, s: ClusterSettings) -> None:
        new = validate_settings(s)
        old = self.settings()
        before, after = diff(
            SETTINGS_FIELDS,
            tuple(getattr(old, f) for f in SETTINGS_FIELDS),
            tuple(getattr(new, f) for f in SETTINGS_FIELDS),
        )
        if not after:
            return
        with self._write() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                [(k, dumps_value(v)) for k, v in after.items()],
            )
            self._log(
                conn, [(_now(), self._actor, "settings", "settings", "update", dumps(before), dumps(after))]
            )

    # ---- members

    def members(self) -> list[Member]:
        """All members (including candidates and former ones), in the order they were added."""
        cursor = self._c().execute(_SELECT_MEMBERS)
        try:
            with gc_paused():
                return build_members(cursor)
        except KeyError as e:
            raise ProjectError(f"{self.path}: a member has an unknown kind, status or industry {e}.") from e

    def member(self, member_id: str) -> Member:
        row = self._c().execute(_SELECT_MEMBER_ROW, (member_id,)).fetchone()
        if row is None:
            raise KeyError(member_id)
        return self._to_member(row)

    def _to_member(self, row: Sequence[Any]) -> Member:
        try:
            return member_from_row(row)
        except KeyError as e:
            raise ProjectError(
                f"{self.path}: member {row[0]!r} has an unknown kind, status or industry {e}."
            ) from e

    def _to_link(self, row: Sequence[Any]) -> Link:
        try:
            return link_from_row(row)
        except KeyError as e:
            raise ProjectError(f"{self.path}: link {row[0]!r} has an unknown kind {e}.") from e

    def add_member(self, m: Member) -> None:
        self.add_members([m])

    def add_members(self, ms: Iterable[Member]) -> int:
        """Insert new members in one transaction (imports, demo); returns how many."""
        rows = [member_row(m) for m in ms]
        if not rows:
            return 0
        with self._write() as conn:
            self._insert_members(conn, rows, _now())
        return len(rows)

    def _insert_members(self, conn: sqlite3.Connection, rows: list[tuple[Any, ...]], at: str) -> None:
        before = conn.execute("SELECT coalesce(max(rowid), 0) FROM members").fetchone()[0]
        try:
            conn.executemany(_INSERT_MEMBER, rows)
        except sqlite3.IntegrityError:
            raise ValueError(self._explain_duplicates("member", "members", rows, before)) from None
        actor = self._actor
        self._log(conn, ((at, actor, "member", r[0], "insert", None, dumps_record(r[1:])) for r in rows))

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
        """Replace the stored member with ``m`` (same id); returns the old record."""
        return self.update_members([m])[0]

    def update_members(self, ms: Iterable[Member]) -> list[Member]:
        """Update several members in one transaction; returns the old records (KeyError if one is missing)."""
        rows = [member_row(m) for m in ms]
        olds: list[Member] = []
        if not rows:
            return olds
        with self._write() as conn:
            at, log = _now(), []
            for row in rows:
                old_row = conn.execute(_SELECT_MEMBER_ROW, (row[0],)).fetchone()
                if old_row is None:
                    raise KeyError(row[0])
                olds.append(self._to_member(old_row))
                before, after = diff(MEMBER_FIELDS, tuple(old_row[1:]), row[1:])
                if after:
                    conn.execute(_UPDATE_MEMBER, (*row[1:], row[0]))
                    log.append((at, self._actor, "member", row[0], "update", dumps(before), dumps(after)))
            self._log(conn, log)
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
            at, actor = _now(), self._actor
            for mid in wanted:
                row = conn.execute(_SELECT_MEMBER_ROW, (mid,)).fetchone()
                if row is None:
                    raise KeyError(mid)
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
        return members, [li for li, _ in links.values()]

    def restore(self, members: Iterable[Member], links: Iterable[Link]) -> None:
        """Put deleted members and links back (undo of delete), logged as inserts; one transaction."""
        mrows = [member_row(m) for m in members]
        lrows = [link_row(li) for li in links]
        with self._write() as conn:
            at = _now()
            if mrows:
                self._insert_members(conn, mrows, at)
            if lrows:
                self._insert_links(conn, lrows, at)

    # ---- links

    def links(self) -> list[Link]:
        """All links, in the order they were added."""
        cursor = self._c().execute(_SELECT_LINKS)
        try:
            with gc_paused():
                return build_links(cursor)
        except KeyError as e:
            raise ProjectError(f"{self.path}: a link has an unknown kind {e}.") from e

    def link(self, link_id: str) -> Link:
        row = self._c().execute(_SELECT_LINK_ROW, (link_id,)).fetchone()
        if row is None:
            raise KeyError(link_id)
        return self._to_link(row)

    def add_link(self, link: Link) -> None:
        self.add_links([link])

    def add_links(self, ls: Iterable[Link]) -> int:
        """Insert new links in one transaction; both ends must exist. Returns how many."""
        rows = [link_row(li) for li in ls]
        if not rows:
            return 0
        with self._write() as conn:
            self._insert_links(conn, rows, _now())
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
        actor = self._actor
        self._log(conn, ((at, actor, "link", r[0], "insert", None, dumps_record(r[1:])) for r in rows))

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
        """Replace the stored link with ``link`` (same id); returns the old record."""
        row = link_row(link)
        with self._write() as conn:
            old_row = conn.execute(_SELECT_LINK_ROW, (row[0],)).fetchone()
            if old_row is None:
                raise KeyError(row[0])
            old = self._to_link(old_row)
            before, after = diff(LINK_FIELDS, tuple(old_row[1:]), row[1:])
            if after:
                try:
                    conn.execute(_UPDATE_LINK, (*row[1:], row[0]))
                except sqlite3.IntegrityError:
                    raise ValueError(self._explain_link_failure([row], 0)) from None
                self._log(
                    conn, [(_now(), self._actor, "link", row[0], "update", dumps(before), dumps(after))]
                )
        return old

    def delete_link(self, link_id: str) -> Link:
        """Delete one link; returns it (for undo via ``restore([], [link])``)."""
        with self._write() as conn:
            row = conn.execute(_SELECT_LINK_ROW, (link_id,)).fetchone()
            if row is None:
                raise KeyError(link_id)
            old = self._to_link(row)
            conn.execute("DELETE FROM links WHERE id = ?", (link_id,))
            self._log(
                conn,
                [(_now(), self._actor, "link", link_id, "delete", dumps_record(tuple(row[1:])), None)],
            )
        return old

    # ---- change log and copies

    def history(self, entity_id: str | None = None) -> list[Change]:
        """The change log, oldest first; only one record's entries if ``entity_id`` is given."""
        sql = "SELECT seq, at, actor, entity, entity_id, op, old, new FROM changes"
        params: tuple[str, ...] = ()
        if entity_id is not None:
            sql, params = sql + " WHERE entity_id = ?", (entity_id,)
        names = {"member": MEMBER_FIELDS, "link": LINK_FIELDS}  # for records stored as arrays
        out: list[Change] = []
        try:
            for seq, at, actor, entity, eid, op, old, new in self._c().execute(sql + " ORDER BY seq", params):
                f = names.get(entity, ())
                out.append(
                    Change(
                        seq, at, actor, cast(Entity, entity), eid, cast(Op, op), loads(old, f), loads(new, f)
                    )
                )
        except (ValueError, sqlite3.DatabaseError) as e:
            raise ProjectError(f"{self.path}: the change log is damaged ({e}).") from e
        return out

    def member_history(self, member_id: str) -> list[Change]:
        """A member's own entries and those of every link that ever touched it, oldest first.

        A link is found by its whole records (insert/delete name both ends) or, still stored, by
        its current ends; its updates then come with it even when they name only the changed field.
        """
        link_ids = {
            str(r[0]) for r in self._c().execute(
                "SELECT id FROM links WHERE source = ? OR target = ?", (member_id, member_id))
        }  # fmt: skip
        pattern = f'%"{member_id}"%'
        for eid, old, new in self._c().execute(
            "SELECT entity_id, old, new FROM changes WHERE entity = 'link' AND op <> 'update' "
            "AND (old LIKE ? OR new LIKE ?)", (pattern, pattern)
        ):
            record = loads(old or new, LINK_FIELDS)
            if member_id in (record.get("source"), record.get("target")):
                link_ids.add(str(eid))
        own = self.history(member_id)
        linked = [c for c in self.history() if c.entity == "link" and c.entity_id in link_ids]
        return sorted([*own, *linked], key=lambda c: c.seq)

    def check(self) -> list[str]:
        """Full ``PRAGMA quick_check`` of the whole file (open skips the change log of huge files)."""
        try:
            return fileguard.quick_check(self._c(), full=True)
        except sqlite3.DatabaseError as e:
            return [str(e)]

    def save_copy(self, dest: str | os.PathLike[str]) -> None:
        """Write a consistent snapshot to ``dest``; an existing ``dest`` is replaced only when complete."""
        conn = self._c()
        dest = Path(dest)
        if dest.exists() and dest.resolve() == self.path.resolve():
            raise ProjectError(f"{dest} is the open project itself; choose another file for the copy.")
        try:
            # VACUUM INTO writes a compact snapshot of the last commit to a new file (SQLite >= 3.27)
            # but does not fsync it: atomic_path does, then renames it over dest in one step.
            with atomic_path(dest) as tmp:
                conn.execute("VACUUM INTO ?", (str(tmp),))
        except (OSError, sqlite3.Error) as e:
            detail = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            raise ProjectError(f"Could not save a copy to {dest}: {detail}.") from e


