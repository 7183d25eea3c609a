"""The file guard: what is checked before SQLite touches a project file, and how it is opened.

Opening is defensive because project files travel by e-mail and USB stick: the header, the
application id and the format version are read with plain file I/O (a non-SQLite or foreign file
never reaches SQLite), then the schema and ``PRAGMA quick_check`` through a connection that only
reads (``query_only``). Only a file that passes all of that is used for editing, so a file we
refuse is left byte-for-byte as it was.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from cluster_desk.atomic import atomic_path
from cluster_desk.store import checked, schema
from cluster_desk.store.errors import ProjectError

SQLITE_MAGIC = b"SQLite format 3\x00"
#: Files up to this size get the full quick_check on open (a real cluster's file is far smaller).
FULL_CHECK_MAX_BYTES = 64 * 1024 * 1024


def journal_path(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def wal_path(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


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
        raise ProjectError.of("not_found", path=path) from None
    except OSError as e:
        raise ProjectError.of("cant_read", path=path, detail=e.strerror or str(e)) from e
    if not path.is_file():
        raise ProjectError.of("not_a_file", path=path)
    size = st.st_size
    if size == 0:
        # SQLite would happily treat an empty file as an empty database and write into it.
        raise ProjectError.of("empty", path=path)
    try:
        with path.open("rb") as f:
            head = f.read(100)
    except OSError as e:
        raise ProjectError.of("cant_read", path=path, detail=e.strerror or str(e)) from e
    if not head.startswith(SQLITE_MAGIC):
        if head.startswith(b"PK\x03\x04"):
            raise ProjectError.of("zip_archive", path=path)
        raise ProjectError.of("not_sqlite", path=path)
    if len(head) < 100:
        raise ProjectError.of("truncated", path=path, size=size)
    app_id = int.from_bytes(head[68:72], "big")
    if app_id != schema.APPLICATION_ID:
        raise ProjectError.of("other_program", path=path)
    version = int.from_bytes(head[60:64], "big", signed=True)
    current = schema.current_version()
    if version > current:
        raise ProjectError.of("newer_format", path=path, version=str(version), current=str(current))
    if version < 0:
        raise ProjectError.of("bad_format_number", path=path, version=str(version))
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise ProjectError.of("bad_page_size", path=path, page_size=str(page_size))
    pages = int.from_bytes(head[28:32], "big")
    # The in-header page count is only valid when the two change counters agree (SQLite file format).
    if check_size and pages and head[24:28] == head[92:96] and size < pages * page_size:
        raise ProjectError.of("truncated_header", path=path, size=size, expected=pages * page_size)
    return version


def damaged(path: Path, e: sqlite3.Error) -> ProjectError:
    return ProjectError.of("damaged", path=path, detail=str(e))


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


def checked_file(conn: sqlite3.Connection, path: Path) -> None:
    """The open's ``quick_check`` of ``path`` on ``conn`` (the change log left out of a big
    file's); ProjectError ``damaged_check`` naming what it found. A big file unchanged since a
    check passed on it is not checked again (``store.checked``)."""
    before = checked.state(path)
    if checked.passed_before(before):
        return
    problems = quick_check(conn, full=path.stat().st_size <= FULL_CHECK_MAX_BYTES)
    if problems:
        raise ProjectError.of("damaged_check", path=path, detail="; ".join(problems))
    checked.remember(path, before)


def inspect_readonly(path: Path, version: int, *, integrity: bool = True) -> None:
    """Schema and integrity checks on a connection that only reads: nothing is written.

    ``integrity=False`` leaves out ``quick_check`` (the caller runs a BackgroundCheck instead).

    Not ``mode=ro``: SQLite skips CHECK constraints in quick_check on read-only connections, and
    those constraints are how we verify every stored coordinate, head count and share. The header
    (application id) was already checked, and ``query_only`` refuses any write statement.
    """
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=rw", uri=True, isolation_level=None)
    except sqlite3.Error as e:
        raise ProjectError.of("cant_open", path=path, detail=str(e)) from e
    try:
        conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA trusted_schema = OFF")
        objects = schema.schema_objects(conn)
        foreign = sorted(name for kind, name, _, _ in objects if kind in ("trigger", "view"))
        if foreign:
            raise ProjectError.of("foreign_objects", path=path, names=", ".join(foreign))
        if objects != schema.expected_objects(version):
            raise ProjectError.of("wrong_tables", path=path, version=str(version))
        if integrity:
            checked_file(conn, path)
    except sqlite3.Error as e:
        raise damaged(path, e) from e
    finally:
        conn.close()


class BackgroundCheck:
    """``quick_check`` of a file on a thread of its own, while the window reads and paints it.

    At 100k members and 300k links the check takes 1-2 s, longer than reading what the first
    paint needs; SQLite releases the GIL while it checks, so both run at once on two cores.
    The project waits for the verdict before its first write (``wait`` raises ProjectError for
    a damaged file), so a refused file is still never written to; a window polls ``done`` and
    closes the project with the message if ``problem`` is set.
    """

    def __init__(self, path: Path, *, start: bool = True) -> None:
        import threading

        self.path = path
        #: What the check found wrong (None: nothing, or not finished yet).
        self.error: ProjectError | None = None
        self._thread = threading.Thread(target=self._run, name="quick_check", daemon=True)
        self._started = False
        # cancel() may come from another thread while the check runs: the lock keeps its
        # interrupt() off a connection that is being opened or closed.
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._cancelled = False
        if start:
            self.start()

    def start(self) -> None:
        """Start the check (once). A window starts it after the open's first paint: on two
        cores its 1-2 s of CPU would otherwise slow the page's decode and draw (issue 17)."""
        if not self._started:
            self._started = True
            self._thread.start()

    def cancel(self) -> None:
        """Stop the check without a verdict (the project is closing): at 1M members it would
        otherwise hold a core for seconds after the window has moved on to another file."""
        with self._lock:
            self._cancelled = True
            if self._conn is not None:
                self._conn.interrupt()

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self.path.resolve().as_uri() + "?mode=rw", uri=True, isolation_level=None)
            with self._lock:
                if self._cancelled:
                    conn.close()
                    return
                self._conn = conn
            try:
                conn.execute("PRAGMA query_only = ON")
                conn.execute("PRAGMA trusted_schema = OFF")
                checked_file(conn, self.path)
            except sqlite3.OperationalError:
                if self._cancelled:  # interrupted by cancel(): no verdict, not a damaged file
                    return
                raise
            finally:
                with self._lock:
                    self._conn = None
                    conn.close()
        except ProjectError as e:
            self.error = e
        except sqlite3.Error as e:
            self.error = damaged(self.path, e)
        except OSError as e:
            self.error = ProjectError.of("cant_open", path=self.path, detail=e.strerror or str(e))

    @property
    def problem(self) -> str | None:
        """The check's finding as one English line (None: nothing wrong, or not finished)."""
        return None if self.error is None else str(self.error)

    @property
    def started(self) -> bool:
        return self._started

    @property
    def done(self) -> bool:
        return self._started and not self._thread.is_alive()

    def wait(self) -> None:
        """Block until the check is over (starting it if it was not); ProjectError if it found
        the file damaged."""
        self.start()
        self._thread.join()
        if self.error is not None:
            raise self.error
        if self._cancelled:  # no verdict: only a closed project cancels, and it takes no writes
            raise ProjectError.of("closed", path=self.path)


def early_check(path: Path) -> BackgroundCheck | None:
    """A BackgroundCheck of ``path`` started before ``Project.open`` (which takes it as
    ``integrity``), or None where the open must look at the file first: a journal or WAL beside
    it (the open plays back its own journal and sets a stray one aside before SQLite may read the
    file), or a header that is not ours or not of the current format (refused, or upgraded and
    checked first). ``check`` starts it before numpy and the project's modules load: ~0.1 s
    sooner on a core otherwise idle, of a check that takes ~1.5 s of CPU at a million members
    (issue 17). The open still refuses what it refuses; it then cancels this check."""
    try:
        if check_header(path, check_size=False) != schema.current_version():
            return None
    except ProjectError:
        return None
    if journal_path(path).exists() or wal_path(path).exists():
        return None
    return BackgroundCheck(path)


def connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, one transaction per edit method.
    # check_same_thread=False: a window opens and reads the file on a thread, then hands the
    # project to the GUI thread (ui/project/loading.OpenRead); one thread uses it at a time.
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
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
        raise ProjectError.of("sqlite_too_old", need=need, have=sqlite3.sqlite_version)


def upgrade_copy_path(path: Path, version: int) -> Path:
    """Where ``copy_before_upgrade`` keeps the file of ``version``: the first free name."""
    dest = path.with_name(f"{path.stem}.format{version}{path.suffix}")
    n = 2
    while dest.exists():
        dest = path.with_name(f"{path.stem}.format{version}-{n}{path.suffix}")
        n += 1
    return dest


def copy_before_upgrade(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """Keep the file as it is, next to it, before migrating it: ``NAME.format2.cdesk``.

    An older release can still open that copy (a newer format it refuses). Written as a consistent
    snapshot (VACUUM INTO a temp sibling, fsync, rename); an earlier copy of the same name is kept
    and a number added instead.
    """
    dest = upgrade_copy_path(path, version)
    try:
        with atomic_path(dest) as tmp:
            conn.execute("VACUUM INTO ?", (str(tmp),))
    except (OSError, sqlite3.Error) as e:
        detail = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        raise ProjectError.of(
            "upgrade_copy_failed", path=path, version=str(version), copy=dest.name, detail=detail
        ) from e
    return dest
