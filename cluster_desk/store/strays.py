"""Stray ``-journal`` and ``-wal`` files beside a project: recognised before SQLite opens it.

SQLite plays back a hot ``NAME-journal`` and checkpoints a ``NAME-wal`` on the next open without
asking whose they are: a journal left by another copy of the project, or a WAL of another
database that ended up beside ours, would be written into the project and destroy it. Neither
file names its database, so we decide from their contents, reading only, before SQLite opens the
file; a stray is renamed aside (kept, never played) and the user is told.
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

from cluster_desk.store import schema
from cluster_desk.store.errors import Notice, ProjectError
from cluster_desk.store.fileguard import SQLITE_MAGIC, journal_path, quick_check, wal_path

_JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")
_WAL_MAGICS = (0x377F0682, 0x377F0683)
_PENDING_BYTE = 0x40000000
_RESERVED_BYTE = _PENDING_BYTE + 1
_MAX_JOURNAL_SEGMENTS = 10_000


def _writer_active(path: Path) -> bool:
    """Whether another process holds SQLite's RESERVED lock on ``path`` (a live writer).

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
        for start in (_RESERVED_BYTE,):  # what SQLite's unixCheckReservedLock asks
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
    if page_one[:16] != SQLITE_MAGIC or int.from_bytes(page_one[68:72], "big") != schema.APPLICATION_ID:
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
