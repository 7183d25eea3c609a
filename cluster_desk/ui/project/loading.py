"""How the session reads an opened project: columns first, records when first asked for.

Opening 100,000 members and 300,000 links used to build every record before the first paint.
Now the file gives the columns the first paint needs (``Project.member_columns``/``link_columns``,
one query per table) and the session's ``members``/``links`` are ``core.tables.LazyRecords`` over
them; the views' reset paints from ``OpenedColumns`` (kept until the first change). The records
are built in one pass when something walks them (the first assessment, after the paint) or
before the first bulk write (``Project.before_bulk_write``: imports and merges diff against them).
"""

from __future__ import annotations

import functools
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cluster_desk.core.later_texts import LaterTexts
from cluster_desk.core.model import Link, Member, Status
from cluster_desk.core.soon_thread import SoonThread
from cluster_desk.core.tables import LazyRecords, LinkColumns, MemberColumns, SharedTexts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OpenedColumns:
    """The columns a freshly opened project was read as: the views' reset paints from them
    instead of building every record. The session drops them at the first change."""

    members: MemberColumns
    links: LinkColumns
    #: The state of the file they were read of (store.snapshot.file_key): the checks' arrays of
    #: the same state hold their ids and names rather than copies (core.tables.SharedTexts).
    key: Any = None
    #: Read from the columns snapshot (store.snapshot), not the tables.
    from_snapshot: bool = False

    def shared_texts(self) -> SharedTexts | None:
        if self.key is None:
            return None
        ends = (self.links.source_index, self.links.target_index)
        # (the ids as read: the checks' worker waits for them if the links thread reads them still)
        return SharedTexts(self.key, self.members, self.links.ids_as_read, ends, self.links.kind_codes)


@dataclass(frozen=True)
class Opened:
    members: LazyRecords[Member]
    links: LazyRecords[Link]
    columns: OpenedColumns
    #: What starts once the map has painted the open (``read_opened(save_snapshot=False)`` leaves
    #: it to its caller): the members' id -> row map made on a thread, and the columns snapshot
    #: for the next open written on another (none when they came from one).
    save_snapshot: Any = None


def read_opened(project: Any, save_snapshot: bool = True) -> Opened:
    """The project's records as lazy mappings over its columns (store.ProjectError if the
    columns hold a value the model does not know). Columns read from the tables are written to
    the snapshot cache on a thread (``store.snapshot``): the next open of a big project reads
    them from there. ``save_snapshot=False``: not yet; the caller calls ``Opened.save_snapshot``
    (the window: once the map has painted the open, issue 17: on two cores the write's CPU and
    its hold on the interpreter slowed the paint of a first open)."""
    # (the window's: the links thread reads the link ids once the map has painted, _after_paint)
    read = project.open_columns(ids_after_paint=not save_snapshot)
    project.after_close = refresh_snapshot_later  # an edited project's snapshot, for the next open
    write = None if read.from_snapshot else functools.partial(
        _in_background, _save_snapshot, read, project.path)
    save: Any = functools.partial(_after_paint, read.members, read.links, write)
    if save_snapshot:
        save()
        save = None
    # The members' id -> row map answers lookups by id and single edits (no dict of a million
    # ids); the roster's rows ask by their place in the column instead (LazyRecords.at), so the
    # first rows shown neither make that map nor wait for its thread (issue 17).
    members = read.members
    return Opened(LazyRecords(members.ids, project.member, project.members, lambda: members.index),
                  # (with the link id lookup the worker makes: a link edit makes no dict of all)
                  # (its ids as read: a first open's may still be read on its links thread)
                  LazyRecords(read.links.ids_as_read, project.link, project.links, read.links.id_index_made),
                  OpenedColumns(read.members, read.links, read.key, read.from_snapshot), save)


@dataclass(frozen=True)
class ProjectRead:
    """An opened project and what the session adopts of it (``ProjectSession.adopt``)."""

    project: Any  # store.project.Project
    opened: Opened
    settings: Any  # core.model.ClusterSettings
    #: The change log's last seq before the columns were read (take_bulk_change reads what follows).
    log_seen: int


def read_of(project: Any) -> ProjectRead:
    """Read ``project`` as the session shows it (columns only); closes it if the read fails."""
    try:
        log_seen = project.last_seq()  # before the columns
        # columns only; records built when first asked for; a snapshot written after the paint
        opened = read_opened(project, save_snapshot=False)
        return ProjectRead(project, opened, project.settings(), log_seen)
    except BaseException:
        project.close()
        raise


class OpenCancelled(Exception):
    """The user cancelled an open while its file was read."""


class OpenRead:
    """Open and read one project file, on any thread (``run``), stoppable from another (``cancel``).

    The window reads a file on a thread while it keeps painting (ui/project/opening_dialog.py):
    a million members from a disk not in the OS cache took 33 s of a frozen window here (issue
    17). The project's connection is made on that thread and used by the GUI thread afterwards
    (``fileguard.connect`` allows the hand-over: one thread uses it at a time).
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._cancelled = False
        self._project: Any = None

    def run(self) -> ProjectRead:
        from cluster_desk.store.project import Project

        # The integrity check starts once the map has painted the open (session.adopt).
        project = Project.open(self.path, check_later=True, start_check=False)
        with self._lock:
            self._project = project
            cancelled = self._cancelled
        if cancelled:
            project.close()
            raise OpenCancelled
        read = read_of(project)
        with self._lock:
            self._project = project.stop_reading = None  # (read: nothing left to stop)
            cancelled = self._cancelled
        if cancelled:  # (cancelled as the read ended: nobody will adopt it)
            project.close()
            raise OpenCancelled
        return read

    def cancel(self) -> None:
        """Stop the read (its statement is interrupted); ``run`` then raises OpenCancelled or
        the interrupted read's error, with the project closed."""
        with self._lock:
            self._cancelled = True
            if self._project is not None:
                self._project.interrupt()

    @property
    def cancelled(self) -> bool:
        return self._cancelled


def _after_paint(members: MemberColumns, links: LinkColumns, write_snapshot: Any) -> None:
    """Let the open's links thread read the link ids (``LaterTexts.begin``: held until now, so
    their CPU was not beside the paint's), start the members' id -> row map on a thread
    (``MemberColumns.index_in_background``), then the snapshot write if any. The assessment's
    read asks for that map right after the paint, and an edit or a lookup by id later; at a
    million members its build is ~0.2-0.3 s of CPU (issue 17: the GUI thread's, when the
    roster's first rows asked for it). Whoever asks while it is made waits for it."""
    ids = links.ids_as_read
    if isinstance(ids, LaterTexts):
        ids.begin()
    members.index_in_background()
    if write_snapshot is not None:
        write_snapshot()


def refresh_snapshot_later(path: Path) -> None:
    """After a window closed a project: bring its columns snapshot up to date on a thread, so
    the next open of a big project that was edited reads arrays, not the tables."""
    from cluster_desk.store.snapshot import refresh

    _in_background(refresh, Path(path))


def _in_background(work: Any, *args: Any) -> None:
    """Run a snapshot's write or refresh on a thread of its own. Not a daemon: quitting the app
    closes the project (and so starts its refresh) just before the process ends, and a daemon
    thread would be killed there, half done, leaving the snapshot stale for the next launch
    (its 100k open then read the tables: 1.1-1.4 s instead of ~0.4 s). The interpreter waits
    for it after the window is gone; the user waits for nothing. A write killed anyway (power,
    SIGKILL) leaves only a temp file the next write removes (store.snapshot.write_cached).
    Started without waiting for it (``core.soon_thread``: the window starts it at the paint)."""
    thread = SoonThread(target=work, args=args, daemon=False, name="columns-snapshot")
    with _lock:
        _threads[:] = [t for t in _threads if t.is_alive()]
        _threads.append(thread)
    thread.start()


_lock = threading.Lock()
_threads: list[threading.Thread] = []


def wait_for_snapshots() -> None:
    """Let the snapshot writes and refreshes started so far finish (tests, benches)."""
    with _lock:
        running = list(_threads)
    for thread in running:
        thread.join()


def _save_snapshot(read: Any, path: Path) -> None:
    try:
        read.save_snapshot(path)
    except Exception:  # a read-only or full cache (or a bug): the next open reads the tables again
        log.warning("columns snapshot not written for %s", path, exc_info=True)


def counts_from_columns(cols: MemberColumns) -> dict[str, int]:
    """The status bar's counts (as ProjectSession.counts) without building a record."""
    by_status = cols.status_counts()
    members = by_status.get(Status.MEMBER.value, 0)
    candidates = by_status.get(Status.CANDIDATE.value, 0)
    drafts = by_status.get("draft", 0)
    return {"members": members, "candidates": candidates, "drafts": drafts,
            "former": len(cols) - members - candidates - drafts,
            "unlocated": len(cols) - int(cols.located.sum()), "total": len(cols)}
