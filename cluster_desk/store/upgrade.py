"""How far a file's one-time format upgrade has got, for a progress dialog.

Opening a file of an older format (``Project.open``) checks it, keeps it as ``NAME.formatN.cdesk``
(VACUUM INTO) and migrates it in one transaction per step (``schema.migrate``). Format 4 rebuilds
the links table: about 25 s for 3M links, which froze the window with no word (format 5 changes
the members' schema text only, format 6 adds the bulk log's two empty tables: both instant). ``Project.open``
now reports ``progress(stage, fraction)``: ``check`` (the integrity check: not measurable),
``copy`` and ``rebuild``, measured with SQLite's progress handler (VM instructions) against an
estimate from the tables' row counts; at most once per percent, and never 1.0 before the end.
Nothing about the upgrade itself changes (transactions, the copy, the checks after it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from cluster_desk.store import fileguard, schema
from cluster_desk.store.errors import ProjectError

#: ``progress(stage, fraction of the whole upgrade done)``: stage is one of STAGES.
Progress = Callable[[str, float], None]
STAGES = ("check", "copy", "rebuild")
#: SQLite calls the handler every this many VM instructions (~1 ms of work).
TICK_OPS = 10_000
#: VM instructions per row, measured (SQLite 3.40; 100k members, 300k links, 400k log entries:
#: 9.6M for the copy, 39M for the rebuild). Only an estimate: the fraction is capped below 1.
COPY_OPS_PER_ROW = 12
REBUILD_OPS_PER_LINK = 130
#: Files older than this format have their links rebuilt (format 4); formats 5 and 6 copy no row
#: (``schema._migrate_4_to_5`` rewrites the members' schema text, ``_migrate_5_to_6`` adds tables).
REBUILT_LINKS_FROM = 4
_CAP = 0.99


def upgrade_needed(path: Path) -> bool:
    """The file is a project of an older format (opening it upgrades it). False for anything
    else, including a file that cannot be read: the open itself then says what is wrong."""
    try:
        return fileguard.check_header(Path(path)) < schema.current_version()
    except (ProjectError, OSError, sqlite3.Error):
        return False


class UpgradeWatch:
    """Reports ``progress`` while ``conn`` copies and migrates the file (see the module's text).
    With ``progress`` None it does nothing."""

    def __init__(self, conn: sqlite3.Connection, progress: Progress | None) -> None:
        self.conn, self.progress = conn, progress
        self.ops = 0
        self.total = 1
        self._shown = -1
        self._stage = ""
        if progress is None:
            return
        rows, links = 0, 0
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        for name in tables:
            n = int(conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
            rows += n
            links += n if name == "links" and version < REBUILT_LINKS_FROM else 0
        self.total = max(1, rows * COPY_OPS_PER_ROW + links * REBUILD_OPS_PER_LINK)
        conn.set_progress_handler(self._tick, TICK_OPS)

    def stage(self, name: str) -> None:
        self._stage = name
        self._report(force=True)

    def _tick(self) -> int:
        self.ops += TICK_OPS
        self._report(force=False)
        return 0  # go on

    def _report(self, force: bool) -> None:
        if self.progress is None:
            return
        fraction = min(_CAP, self.ops / self.total)
        percent = int(fraction * 100)
        if force or percent != self._shown:
            self._shown = percent
            self.progress(self._stage, fraction)

    def close(self) -> None:
        if self.progress is not None:
            self.conn.set_progress_handler(None, 0)


def upgrade_file(path: Path, progress: Progress | None = None) -> None:
    """Open the file (which upgrades an older format, keeping the copy) and close it: what the
    window runs on a thread of its own, with its own connection, before its usual open."""
    from cluster_desk.store.project import Project

    Project.open(Path(path), progress=progress).close()
