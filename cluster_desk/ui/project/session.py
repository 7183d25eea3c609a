"""The open project as the views see it: one QObject, one change signal, one undo stack.

Every edit goes through a QUndoCommand (commands.py) that calls one of the ``apply_*`` methods
here. Each of those writes to the project file in its own transaction, updates the in-memory
copy the views read from, and emits ``changed`` with a ChangeSet, so the map, the roster and the
assessment refresh only what changed (Anki's "operations report what changed" idea).
The assessment hooks are in live_assessment.py, the reads of what others wrote (another process,
a team pull, imports and merges) in outside_writes.py, the open path's reading in loading.py.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from cluster_desk.core.model import ClusterSettings, Link, Member
from cluster_desk.core.tables import LazyRecords
from cluster_desk.ui.i18n import user_message
from cluster_desk.ui.project.change_set import ChangeSet
from cluster_desk.ui.project.live_assessment import LiveAssessment
from cluster_desk.ui.project.loading import OpenedColumns, OpenRead, ProjectRead, read_of
from cluster_desk.ui.project.outside_writes import UNDOABLE_META, BulkChange, OutsideWrites

__all__ = ["UNDOABLE_META", "BulkChange", "ChangeSet", "OpenedColumns", "ProjectSession"]

#: Records a bulk write names that are built one query each (~25 ms for 500); more are read
#: 500 to a query, into the ids' map (made then if not yet: ~0.9 s at a million members).
_BUILD_ONE_BY_ONE = 500


class ProjectSession(LiveAssessment, OutsideWrites, QObject):
    """Holds the open Project, the in-memory members/links and the undo stack."""

    changed = Signal(object)  # ChangeSet
    assessed = Signal(object)  # list[CheckResult]
    #: True once an edit made the shown assessment stale; False when the new one is shown.
    assessmentPending = Signal(bool)
    errorOccurred = Signal(str)  # a store error during an edit (shown by the window)
    #: The integrity check that ran while an opened file was painted found it damaged: the
    #: project was closed again (ProjectFiles shows the message).
    openFailed = Signal(str)
    #: The derived geometry changed: the ids whose distance changed, or None for every one
    #: (the centre or the radius moved).
    geometryChanged = Signal(object)
    #: The map has painted a freshly opened project (it held the assessment meanwhile, see
    #: ``painting``): work put off so as not to compete with that paint may start now.
    openPainted = Signal()

    #: How often the window asks SQLite whether another process committed (a cheap PRAGMA).
    EXTERNAL_POLL_MS = 1000
    #: The open's integrity check starts with the first assessment shown, or this long after the
    #: paint if none is shown by then (a write before either starts it and waits for it).
    INTEGRITY_FALLBACK_MS = 20_000

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project: Any = None  # store.project.Project (imported lazily: see open())
        #: {id: record}; right after opening, records are built on first use (core.tables).
        self.members: LazyRecords[Member] = LazyRecords.of(())
        self.links: LazyRecords[Link] = LazyRecords.of(())
        #: The columns the open read (None once anything changed): the reset's fast path.
        self.opened: OpenedColumns | None = None
        self.settings = ClusterSettings()
        self.results: list[Any] = []
        #: Derived state, owned here and computed by the core: the effective centre (settings or
        #: proposed), and each located member's geodesic distance to it in km.
        self.centre: tuple[float, float] | None = None
        self.distances: dict[str, float] = {}
        self._last_circle: tuple[float, float, float] | None = None  # as last announced
        self._meta_seen: dict[str, str] = {}  # UNDOABLE_META values as last read or written
        self._log_seen = 0  # change-log seq the in-memory records are up to date with
        self._held = False  # assessing postponed (see hold_assessment)
        self._init_live_assessment(self)
        self.undo_stack = QUndoStack(self)
        #: Changes by other processes (the command line, a second window, a sync) are noticed
        #: through SQLite's data_version and shown (issue 11.4).
        self._external_timer = QTimer(self)
        self._external_timer.setInterval(self.EXTERNAL_POLL_MS)
        self._external_timer.timeout.connect(self.check_external_changes)
        #: Polls the integrity check that runs while a big project is painted (store.fileguard).
        self._integrity_timer = QTimer(self)
        self._integrity_timer.setInterval(100)
        self._integrity_timer.timeout.connect(self._integrity_checked)
        # The check starts once the first assessment is shown (or, if none comes, a while after
        # the paint): on two cores its CPU slowed the worker's read (issue 17).
        self._integrity_fallback = QTimer(self, singleShot=True, interval=self.INTEGRITY_FALLBACK_MS)
        self._integrity_fallback.timeout.connect(self._start_integrity_check)
        self.openPainted.connect(self._integrity_fallback.start)
        self.assessed.connect(self._start_integrity_check)
        self.openPainted.connect(self._start_snapshot)
        self._save_snapshot: Any = None  # a first open's columns snapshot, written after its paint

    # ----- life cycle ---------------------------------------------------------------------------

    @property
    def path(self) -> Path | None:
        return Path(self.project.path) if self.project is not None else None

    @property
    def is_open(self) -> bool:
        return self.project is not None

    def open(self, path: str | Path) -> None:
        """Open a project file; raises store.ProjectError and leaves the session unchanged.
        (The window reads the file on a thread instead: ``ProjectFiles.open_path``.)"""
        self.adopt(OpenRead(Path(path)).run())

    def create(self, path: str | Path, name: str = "") -> None:
        from cluster_desk.store.project import Project

        self.adopt(read_of(Project.create(Path(path), name=name)))

    def adopt(self, read: ProjectRead) -> None:
        """Show a project read by ``loading.OpenRead`` (or ``read_of``), closing the one shown."""
        project, opened, settings = read.project, read.opened, read.settings
        self.close(emit=False)
        self.project = project
        self.members, self.links, self.opened = opened.members, opened.links, opened.columns
        self._save_snapshot = opened.save_snapshot
        # Imports and merges diff the file against these records: build them before they write
        # (merges, undos and imports' batches name the records they write: only those).
        project.before_bulk_write = self.load_records
        project.before_bulk_write_of = self.load_records_of
        self.settings = settings
        self.centre = None
        self.distances = {}
        self._last_circle = None
        self._meta_seen = {k: v for k, v in project.meta().items() if k in UNDOABLE_META}
        self._log_seen = read.log_seen
        self.undo_stack.clear()
        self._edited(links=True)
        self._external_timer.start()
        if project.integrity is not None:
            self._integrity_timer.start()
        self.changed.emit(ChangeSet(reset=True, settings=True, links=True))
        if not self.painting:  # no map is painting it (else: openPainted starts these)
            self._start_integrity_check()
            self._start_snapshot()
        self.record_slices.stop()  # (a reread: the slices of the records replaced)
        self._slices_after_assessment = True  # records built in slices once it is assessed (if small)
        # Not now: the map and roster show the members first (at 100k the assessment and the
        # distance column it triggers take ~1 s of the GUI thread). The map may hold it longer.
        self._schedule_assessment()

    def load_records(self) -> None:
        """Build every member and link record not built yet (one query per table)."""
        self.members.load_all()
        self.links.load_all()

    def load_records_of(self, member_ids: Collection[str], link_ids: Collection[str]) -> None:
        """Build these records if not built yet (a bulk write is about to change them: what they
        were is what its undo puts back); ids the project does not hold are passed over. Many
        are read 500 to a query (an import updating 100,000 members: not one query each)."""
        project = self.project
        assert project is not None
        if not self.members.loaded:
            if len(member_ids) <= _BUILD_ONE_BY_ONE:
                for key in member_ids:
                    self.members.get(key)
            else:
                self.members.fill(project.members_among(member_ids))
        if not self.links.loaded:
            if len(link_ids) <= _BUILD_ONE_BY_ONE:
                for key in link_ids:
                    self.links.get(key)
            else:
                self.links.fill(project.links_matching(link_ids, []))

    def _start_integrity_check(self, _results: object = None) -> None:
        """The open's quick_check thread (once), after the first paint and the first assessment:
        on two cores its CPU slowed the page's decode and draw, then the worker's read of the
        checks' columns (~0.2 s of CPU at 100,000 members, ~1 s at a million; issue 17). A write
        before then starts it and waits."""
        self._integrity_fallback.stop()
        check = getattr(self.project, "integrity", None)
        if check is not None:
            check.start()

    def _start_snapshot(self) -> None:
        """A first open's columns snapshot (store.snapshot), written on a thread once the map
        has painted the open, so the next open reads it."""
        save, self._save_snapshot = self._save_snapshot, None
        if save is not None:
            save()

    def _integrity_checked(self) -> None:
        """The file's integrity check finished: a damaged file is closed with the message."""
        check = getattr(self.project, "integrity", None)
        if check is not None and not check.done:
            return
        self._integrity_timer.stop()
        if check is not None and check.error is not None:
            self.close()
            self.openFailed.emit(user_message(check.error))  # in the interface language

    def close(self, emit: bool = True) -> None:
        self.record_slices.stop()
        self._after_records.clear()  # (views waiting for the closed project's records)
        self._external_timer.stop()
        self._integrity_timer.stop()
        self.undo_stack.clear()
        self._save_snapshot = None  # (closed before its paint: the close's refresh writes it)
        if self.project is not None:
            self.project.close()
        self.project = None
        self.members = LazyRecords.of(())
        self.links = LazyRecords.of(())
        self.opened = None
        self.settings = ClusterSettings()
        self.results = []
        self.outside_rows = None
        self.centre = None
        self.distances = {}
        self._last_circle = None
        self._held = False
        self._assess_timer.stop()
        self.assessor.cancel()  # a run in flight is dropped; the worker forgets the roster
        self._edited(links=True)
        self._set_pending(False)
        if emit:
            self.changed.emit(ChangeSet(reset=True, settings=True, links=True))
            self.assessed.emit([])

    def save_copy(self, dest: str | Path) -> None:
        self.project.save_copy(Path(dest))

    def display_name(self) -> str:
        if self.settings.name:
            return self.settings.name
        return self.path.stem if self.path else ""

    # ----- edits (called by commands; each one store transaction) -------------------------------

    def apply_add(self, members: Sequence[Member]) -> None:
        if len(members) == 1:
            self.project.add_member(members[0])
        else:
            self.project.add_members(members)
        for m in members:
            self.members[m.id] = m
        ids = frozenset(m.id for m in members)
        self._emit(ChangeSet(upserted=ids, moved=ids))

    def apply_update(self, members: Sequence[Member], origin: str = "") -> list[Member]:
        """Write new records; returns the old ones (for undo). ``origin``: see ChangeSet."""
        if len(members) == 1:
            old = [self.project.update_member(members[0])]
        else:
            old = list(self.project.update_members(members))
        pairs = list(zip(members, old, strict=True))
        moved = frozenset(n.id for n, o in pairs if (n.lat, n.lon) != (o.lat, o.lon))
        renamed = frozenset(n.id for n, o in pairs if n.name != o.name)
        for m in members:
            self.members[m.id] = m
        self._emit(ChangeSet(upserted=frozenset(m.id for m in members), moved=moved, origin=origin,
                             renamed=renamed))
        return old

    def apply_delete(self, ids: Iterable[str]) -> tuple[list[Member], list[Link]]:
        ids = list(ids)
        members, links = self.project.delete_members(ids)
        for mid in ids:
            self.members.pop(mid, None)
        for link in links:
            self.links.pop(link.id, None)
        self._emit(ChangeSet(removed=frozenset(ids), links=bool(links),
                             link_removed=frozenset(lk.id for lk in links)))
        return list(members), list(links)

    def apply_restore(self, members: Sequence[Member], links: Sequence[Link]) -> None:
        self.project.restore(list(members), list(links))
        for m in members:
            self.members[m.id] = m
        for link in links:
            self.links[link.id] = link
        ids = frozenset(m.id for m in members)
        self._emit(ChangeSet(upserted=ids, moved=ids, links=bool(links),
                             link_upserted=frozenset(lk.id for lk in links)))

    # ----- link edits (ui.links.commands) -----

    def apply_add_links(self, links: Sequence[Link]) -> None:
        self.project.add_links(list(links))
        self.links.add_new(links)  # new ids (the file took them): no map of every link made for them
        self._emit(ChangeSet(links=True, link_upserted=frozenset(lk.id for lk in links)))

    def apply_update_link(self, link: Link) -> Link:
        old: Link = self.project.update_link(link)
        self.links[link.id] = link
        self._emit(ChangeSet(links=True, link_upserted=frozenset({link.id})))
        return old

    def apply_delete_links(self, ids: Sequence[str]) -> list[Link]:
        # One transaction of the store's own (not ``transaction()``: before a bulk write the
        # records of every member and link are built, seconds at 100,000 members; issue 17).
        gone: list[Link] = self.project.delete_links(ids)
        for lk in gone:
            self.links.pop(lk.id, None)
        self._emit(ChangeSet(links=True, link_removed=frozenset(lk.id for lk in gone)))
        return gone

    def apply_settings(self, settings: ClusterSettings) -> ClusterSettings:
        old = self.settings
        self.project.set_settings(settings)
        self.settings = settings
        self._emit(ChangeSet(settings=True))
        return old

    def _emit(self, change: ChangeSet) -> None:
        """Tell the views; assess once a burst of edits is over (on the worker thread, which
        re-runs only the geographic checks after moves and circle changes: assess_engine.py)."""
        self.opened = None  # the columns no longer match what the views hold
        self._edited(links=change.links or change.reset, change=change)
        for mid in change.removed:
            self.distances.pop(mid, None)
        if change.moved:
            self._measure(list(change.moved))
        self.changed.emit(change)
        if change.moved:
            self.geometryChanged.emit(sorted(change.moved))
        self._schedule_assessment(change)

    def dated_years(self) -> tuple[int, int] | None:
        """First and last year any date names (the timeline's span); no records built for it."""
        from cluster_desk.core.timeline import dated_years

        built = getattr(self.members, "loaded", True) and getattr(self.links, "loaded", True)
        if self.project is not None and not built:
            return self.project.dated_years()  # type: ignore[no-any-return]
        return dated_years(list(self.members.values()), list(self.links.values()))


