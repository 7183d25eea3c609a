"""The file guard: what is checked before SQLite touches a project file, and how it is opened.

Opening is defensive because project files travel by e-mail and USB stick: the header, the
application id and the format version are read with plain file I/O (a non-SQLite or foreign file
never reaches SQLite), then the schema and ``PRAGMA quick_check`` through a connection that only
reads (``query_only``). Only a file that passes all of that is used for editing, so a file we
refuse is left byte-for-byte as it was.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import struct
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from cluster_desk import APP_NAME
from cluster_desk.store import schema
from cluster_desk.store.errors import Notice, ProjectError

_SQLITE_MAGIC = b"SQLite format 3\x00"
#: Files up to this size get the full quick_check on open (a real cluster's file is far smaller).
FULL_CHECK_MAX_BYTES = 64 * 1024 * 1024


def journal_path(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def hot_journal(path: Path) -> bool:
    try:
        return journal_path(path).stat().st_size > 0
    except OSError:
        return False


def check_header(path: Path, *, check_size: bool = True) -> int:
    """Refuse anything that is not a Cluster Desk project, reading only; returns user_version."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ProjectError(f"{path} does not exist.") from None
    except OSError as e:
        raise ProjectError(f"{path} cannot be read: {e.strerror or e}.") from e
    if not path.is_file():
        raise ProjectError(f"{path} is not a file.")
    size = st.st_size
    if size == 0:
        # SQLite would happily treat an empty file as an empty database and write into it.
        raise ProjectError(f"{path} is empty (0 bytes): it is not a Cluster Desk project.")
    try:
        with path.open("rb") as f:
            head = f.read(100)
    except OSError as e:
        raise ProjectError(f"{path} cannot be read: {e.strerror or e}.") from e
    if not head.startswith(_SQLITE_MAGIC):
        if head.startswith(b"PK\x03\x04"):
            raise ProjectError(f"{path} is a ZIP archive, not a Cluster Desk project.")
        raise ProjectError(f"{path} is not a Cluster Desk project (it is not an SQLite database).")
    if len(head) < 100:
        raise ProjectError(f"{path} is truncated ({size} bytes): the project file is damaged.")
    app_id = int.from_bytes(head[68:72], "big")
    if app_id != schema.APPLICATION_ID:
        raise ProjectError(f"{path} is an SQLite database of another program, not a Cluster Desk project.")
    version = int.from_bytes(head[60:64], "big", signed=True)
    current = schema.current_version()
    if version > current:
        raise ProjectError(
            f"{path} was saved by a newer {APP_NAME} (format {version}; this version reads up to {current}). "
            f"Please update {APP_NAME} to open it."
        )
    if version < 0:
        raise ProjectError(f"{path} is damaged (invalid format number {version}).")
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise ProjectError(f"{path} is damaged (invalid page size {page_size}).")
    pages = int.from_bytes(head[28:32], "big")
    # The in-header page count is only valid when the two change counters agree (SQLite file format).
    if check_size and pages and head[24:28] == head[92:96] and size < pages * page_size:
        raise ProjectError(
            f"{path} is truncated ({size} bytes; its header says {pages * page_size}): "
            "the project file is damaged."
        )
    return version


def damaged(path: Path, e: sqlite3.Error) -> ProjectError:
    return ProjectError(f"{path} is damaged or not a Cluster Desk project ({e}).")


def quick_check(conn: sqlite3.Connection, *, full: bool) -> list[str]:
    """Problems found by quick_check (b-tree structure, NOT NULL, CHECK and STRICT types); [] if none.

    ``full=False`` checks the tables that open loads (meta, settings, members, links and their
    indexes) but not the append-only change log: at 100k members + 300k links the log is most of a
    230 MB file and checking it costs ~1 s; ``history()`` reports damage there when it reads it and
    ``Project.check()`` runs the full check on demand.
    """
    tables = [None] if full else ["meta", "settings", "members", "links"]
    problems: list[str] = []
    for table in tables:
        sql = "PRAGMA quick_check(5)" if table is None else f"PRAGMA quick_check({table})"
        problems += [str(r[0]) for r in conn.execute(sql)]
    return [p for p in problems if p != "ok"]


def inspect_readonly(path: Path, version: int) -> None:
    """Schema and integrity checks on a connection that only reads: nothing is written.

    Not ``mode=ro``: SQLite skips CHECK constraints in quick_check on read-only connections, and
    those constraints are how we verify every stored coordinate, head count and share. The header
    (application id) was already checked, and ``query_only`` refuses any write statement.
    """
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=rw", uri=True, isolation_level=None)
    except sqlite3.Error as e:
        raise ProjectError(f"{path} cannot be opened: {e}.") from e
    try:
        conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA trusted_schema = OFF")
        objects = schema.schema_objects(conn)
        foreign = sorted(name for kind, name, _, _ in objects if kind in ("trigger", "view"))
        if foreign:
            raise ProjectError(
                f"{path} contains triggers or views that {APP_NAME} did not create ({', '.join(foreign)}); "
                "it was not opened because they could run code when the project is edited."
            )
        if objects != schema.expected_objects(version):
            raise ProjectError(
                f"{path} does not have the tables of a {APP_NAME} project (format {version}); "
                "it may have been changed by another program."
            )
        problems = quick_check(conn, full=path.stat().st_size <= FULL_CHECK_MAX_BYTES)
        if problems:
            raise ProjectError(f"{path} is damaged: {'; '.join(problems)}.")
    except sqlite3.Error as e:
        raise damaged(path, e) from e
    finally:
        conn.close()


def connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, one transaction per edit method.
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        if str(mode).lower() != "delete":
            raise sqlite3.OperationalError(f"cannot switch to rollback journal (journal mode is {mode})")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA cache_size = -65536")  # 64 MiB: 100k members + 300k links stay cached
    except BaseException:
        conn.close()
        raise
    return conn


def require_sqlite() -> None:
    if sqlite3.sqlite_version_info < schema.MIN_SQLITE:
        need = ".".join(map(str, schema.MIN_SQLITE))
        raise ProjectError(
            f"{APP_NAME} needs SQLite {need} or newer; this Python has {sqlite3.sqlite_version}."
        )


# --------------------------------------------------------------------------- stray journal and WAL
#
# SQLite plays back a hot ``NAME-journal`` and checkpoints a ``NAME-wal`` on the next open without
# asking whose they are: a journal left by another copy of the project, or a WAL of another
# database that ended up beside ours, would be written into the project and destroy it. Neither
# file names its database, so we decide from their contents, reading only, before SQLite opens the
# file; a stray is renamed aside (kept, never played) and the user is told.

_JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")
_WAL_MAGICS = (0x377F0682, 0x377F0683)
_PENDING_BYTE = 0x40000000
_RESERVED_BYTE = _PENDING_BYTE + 1
_MAX_JOURNAL_SEGMENTS = 10_000


def wal_path(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def _writer_active(path: Path) -> bool:
    """Whether another process holds SQLite's RESERVED or PENDING lock on ``path`` (a live writer).

    SQLite's own rule: a journal is hot only when no one holds RESERVED. We ask with F_GETLK,
    which takes no lock. Unknown platforms answer False (then the contents alone decide).
    """
    try:
        import fcntl
    except ImportError:
        return False
    if sys.platform.startswith("linux"):
        layout, order = "hhqqi4x", "type-first"
    elif sys.platform == "darwin":
        layout, order = "qqihh", "type-last"
    else:
        return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        for start in (_PENDING_BYTE, _RESERVED_BYTE):
            if order == "type-first":
                query = struct.pack(layout, fcntl.F_WRLCK, os.SEEK_SET, start, 1, 0)
                l_type = struct.unpack(layout, fcntl.fcntl(fd, fcntl.F_GETLK, query))[0]
            else:
                query = struct.pack(layout, start, 1, 0, fcntl.F_WRLCK, os.SEEK_SET)
                l_type = struct.unpack(layout, fcntl.fcntl(fd, fcntl.F_GETLK, query))[3]
            if l_type != fcntl.F_UNLCK:
                return True
    except OSError:
        return False
    finally:
        os.close(fd)
    return False


def _journal_page_one(journal: Path, page_size: int) -> tuple[bytes | None, int, list[int]]:
    """(page 1 as journaled or None, records read, page numbers) of a rollback journal.

    Follows SQLite's format: a header per segment (magic, record count, checksum nonce, original
    size, sector size, page size), then records of page number + page + checksum; only page 1's
    checksum is verified (SQLite stops playing at the first bad one).
    """
    pages: list[int] = []
    size = journal.stat().st_size
    with journal.open("rb") as f:
        offset = 0
        for _ in range(_MAX_JOURNAL_SEGMENTS):
            f.seek(offset)
            head = f.read(28)
            if len(head) < 28 or head[:8] != _JOURNAL_MAGIC:
                break
            n_rec, nonce, _orig, sector, jpage = struct.unpack(">IIIII", head[8:28])
            if jpage != page_size or sector < 32 or sector & (sector - 1):
                raise _Stray("page_size", f"its page size ({jpage}) is not the project's ({page_size})")
            record = 4 + page_size + 4
            start = offset + sector
            if n_rec == 0xFFFFFFFF:
                n_rec = max(0, (size - start) // record)
            for i in range(n_rec):
                f.seek(start + i * record)
                number = f.read(4)
                if len(number) < 4:
                    return None, len(pages), pages
                pgno = int.from_bytes(number, "big")
                pages.append(pgno)
                if pgno == 1:
                    data = f.read(page_size)
                    stored = int.from_bytes(f.read(4), "big")
                    check = nonce
                    i_byte = page_size - 200
                    while i_byte > 0:
                        check += data[i_byte]
                        i_byte -= 200
                    if len(data) == page_size and check & 0xFFFFFFFF == stored:
                        return data, len(pages), pages
                    return None, len(pages), pages
            if n_rec == 0:
                break
            offset = -(-(start + n_rec * record) // sector) * sector
    return None, len(pages), pages


class _Stray(Exception):
    """Why a journal or WAL does not belong to the project: a code for the renderer and English."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _journal_verdict(path: Path, journal: Path, head: bytes) -> None:
    """Raise _Stray if ``journal`` cannot be this project's unfinished transaction."""
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_one, records, pages = _journal_page_one(journal, page_size)
    if page_one is None:
        if not records:
            return  # header only: nothing to play back
        # SQLite journals page 1 (to bump the change counter) before it writes any page into
        # the database, even when a big transaction spills early: without page 1 the database
        # was not touched, so playing the journal back must change nothing. If it would, the
        # journal is another file's.
        with path.open("rb") as db, journal.open("rb") as j:
            for pgno in pages[:64]:
                db.seek((pgno - 1) * page_size)
                if db.read(page_size) != _journaled_page(j, pgno, page_size):
                    raise _Stray("pages_differ", "its pages are not this project's")
        return
    if page_one[:16] != _SQLITE_MAGIC or int.from_bytes(page_one[68:72], "big") != schema.APPLICATION_ID:
        raise _Stray("other_program", "it belongs to a database of another program")
    before = int.from_bytes(page_one[24:28], "big")
    now = int.from_bytes(head[24:28], "big")
    if now == before:
        if page_one[100:] != _read_page(path, 1, page_size)[100:]:
            raise _Stray("other_copy", "it belongs to another copy of the project")
    elif now != (before + 1) & 0xFFFFFFFF:
        raise _Stray("other_copy", "it belongs to another copy of the project (another change counter)")
    # Every Cluster Desk file starts alike, so page 1 can match by chance: play the journal back
    # on a copy first; a journal of another file leaves pages that do not fit together.
    if _trial_rollback_damages(path, journal):
        raise _Stray("would_damage", "played back, it would damage the project")


def _trial_rollback_damages(path: Path, journal: Path) -> bool:
    """Roll ``journal`` back into a temporary copy of ``path`` and check the result."""
    try:
        folder = tempfile.TemporaryDirectory(prefix="cluster-desk-journal-")
    except OSError:
        return False  # no room for the trial: the header checks above decide alone
    with folder as name:
        copy = Path(name) / path.name
        try:
            shutil.copyfile(path, copy)
            shutil.copyfile(journal, journal_path(copy))
        except OSError:
            return False
        try:
            conn = sqlite3.connect(str(copy), isolation_level=None)
        except sqlite3.Error:
            return True
        try:
            conn.execute("PRAGMA trusted_schema = OFF")
            conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()  # SQLite plays it back
            if conn.execute("PRAGMA application_id").fetchone()[0] != schema.APPLICATION_ID:
                return True
            return bool(quick_check(conn, full=True))
        except sqlite3.Error:
            return True
        finally:
            conn.close()


def _read_page(path: Path, pgno: int, page_size: int) -> bytes:
    with path.open("rb") as f:
        f.seek((pgno - 1) * page_size)
        return f.read(page_size)


def _journaled_page(j: Any, pgno: int, page_size: int) -> bytes | None:
    """The first journaled copy of ``pgno`` in the first segment (enough for the no-op test)."""
    j.seek(0)
    head = j.read(28)
    sector = int.from_bytes(head[20:24], "big")
    n_rec = int.from_bytes(head[8:12], "big")
    record = 4 + page_size + 4
    for i in range(min(n_rec, 1_000_000)):
        j.seek(sector + i * record)
        number = j.read(4)
        if len(number) < 4:
            return None
        if int.from_bytes(number, "big") == pgno:
            return bytes(j.read(page_size))
    return None


def _wal_verdict(head: bytes, wal: Path) -> None:
    """Raise _Stray if ``wal`` cannot hold this project's committed transactions."""
    with wal.open("rb") as f:
        wal_head = f.read(32)
    if len(wal_head) < 32 or int.from_bytes(wal_head[:4], "big") not in _WAL_MAGICS:
        return  # SQLite ignores a WAL without a valid header
    # A project written by this app is in rollback mode (header bytes 18 and 19 are 1); a WAL
    # can only hold its edits if some program switched the file to WAL mode (bytes 2).
    if head[18] != 2 or head[19] != 2:
        raise _Stray("not_wal_mode", "the project is not in WAL mode, so the WAL is another database's")
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if int.from_bytes(wal_head[8:12], "big") != page_size:
        raise _Stray("page_size", "its page size is not the project's")


def set_aside_strays(path: Path) -> list[Notice]:
    """Rename a stray ``-journal`` or ``-wal`` next to ``path`` aside; returns a message for each.

    Reads only; a journal of a writer that is running right now (it holds SQLite's lock) is left
    alone. Assumes ``check_header`` accepted ``path``'s first 100 bytes as ours.
    """
    messages: list[Notice] = []
    candidates = [p for p in (journal_path(path), wal_path(path)) if _non_empty(p)]
    if not candidates or _writer_active(path):
        return messages
    with path.open("rb") as f:
        head = f.read(100)
    for stray in candidates:
        try:
            if stray.name.endswith("-journal"):
                _journal_verdict(path, stray, head)
            else:
                _wal_verdict(head, stray)
            continue
        except _Stray as e:
            code, reason = e.code, str(e)
        except OSError as e:
            code, reason = "unreadable", f"it cannot be read ({e.strerror or e})"
        aside = stray.with_name(f"{stray.name}.set-aside-{datetime.now().strftime('%Y%m%d-%H%M%S')}")
        params = {"path": str(path), "file": stray.name, "reason": code, "aside": aside.name}
        try:
            os.replace(stray, aside)
            for extra in (path.with_name(path.name + "-shm"),) if stray.name.endswith("-wal") else ():
                if extra.exists():
                    os.replace(extra, extra.with_name(f"{extra.name}.set-aside-{aside.name[-15:]}"))
        except OSError as e:
            raise ProjectError(
                f"{path}: {stray.name} beside it is not its own ({reason}) and could not be set aside "
                f"({e.strerror or e}); move it away, then open the project again.",
                "stray_stuck",
                {**params, "detail": e.strerror or str(e)},
            ) from e
        messages.append(
            Notice(
                f"{path}: {stray.name} beside it was not its own ({reason}); "
                f"it was set aside as {aside.name} and not used.",
                "stray_set_aside",
                params,
            )
        )
    return messages


def _non_empty(p: Path) -> bool:
    try:
        return p.stat().st_size > 0
    except OSError:
        return False
