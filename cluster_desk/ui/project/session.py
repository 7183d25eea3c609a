"""The open project as the views see it: one QObject, one change signal, one undo stack.

Every edit goes through a QUndoCommand (commands.py) that calls one of the ``apply_*`` methods
here. Each of those writes to the project file in its own transaction, updates the in-memory
copy the views read from, and emits ``changed`` with a ChangeSet, so the map, the roster and the
assessment refresh only what changed (Anki's "operations report what changed" idea).
Why ~635 lines: every apply_* path of the undo commands in one place, so each edit's file write,
in-memory update and change signal stay together; plus the hooks that hand the assessment to the
worker thread (assessor.py) and take its results back, and the reads of what others wrote (bulk
imports, merges, another process) through the change log. The open path's reading is in
loading.py. The next split: the assessment hooks and the external-change reads into modules of
their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from cluster_desk.core.model import ClusterSettings, Link, Member
from cluster_desk.core.tables import LazyRecords
from cluster_desk.ui.i18n import user_message
from cluster_desk.ui.project.assess_engine import Assessed, AssessRequest
from cluster_desk.ui.project.assess_engine import counts as count_members
from cluster_desk.ui.project.assessor import Assessor
from cluster_desk.ui.project.loading import OpenedColumns, counts_from_columns, read_opened

__all__ = ["BulkChange", "ChangeSet", "OpenedColumns", "ProjectSession"]


@dataclass(frozen=True)
class ChangeSet:
    """What one edit changed. ``reset`` means "reload everything" (open/close)."""

    upserted: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()
    settings: bool = False
    links: bool = False
    reset: bool = False
    #: Members whose position changed (the distance column needs them).
    moved: frozenset[str] = field(default=frozenset())
    #: Links added or edited / removed (``links`` is True with them); empty with ``links`` alone
    #: means "links changed, reread them" (member deletes and restores).
    link_upserted: frozenset[str] = field(default=frozenset())
    link_removed: frozenset[str] = field(default=frozenset())
    #: Who made the change: "" (a command, undo, redo, another process) or the view that did it
    #: ("map" for a marker drag), which then is not sent its own change back.
    origin: str = ""
    #: Members whose name changed (views showing names refresh them); None = not known, any
    #: upserted one may have been renamed. A marker drag says frozenset().
    renamed: frozenset[str] | None = None


#: Project meta keys a bulk change may set and its undo puts back (the merge's record of copies
#: already merged: an undone merge can be merged again).
UNDOABLE_META = ("merged_copies",)


@dataclass(frozen=True)
class BulkChange:
    """What an import or a merge changed, record by record: ``None`` means "not there"."""

    members_before: dict[str, Member | None]
    members_after: dict[str, Member | None]
    links_before: dict[str, Link | None]
    links_after: dict[str, Link | None]
    settings_before: ClusterSettings
    settings_after: ClusterSettings
    meta_before: dict[str, str]
    meta_after: dict[str, str]

    @property
    def empty(self) -> bool:
        return not (self.members_after or self.links_after or self.meta_after
                    or self.settings_before != self.settings_after)


def _diff(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The records that differ: (before, after), None where one side has none."""
    keys = [k for k in old.keys() | new.keys() if old.get(k) != new.get(k)]
    return {k: old.get(k) for k in keys}, {k: new.get(k) for k in keys}


class ProjectSession(QObject):
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

    ASSESS_DELAY_MS = 50  # bulk edits and drags coalesce into one assessment
    #: How often the window asks SQLite whether another process committed (a cheap PRAGMA).
    EXTERNAL_POLL_MS = 1000

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
        #: The assessment, distances and counts run on a worker thread (assessor.py) on a snapshot;
        #: results of a state that has been edited since are dropped (the edit scheduled another).
        self.assessor = Assessor(self)
        self._edit_generation = 0  # bumped by every change the views are told about
        self._pending = False
        self._counts: tuple[int, dict[str, int]] | None = None  # (edit generation, counts)
        self._links_snapshot: tuple[Link, ...] | None = None  # while the links are unchanged
        #: "Every distance changed" is told a frame after a result arrives: the roster's repaint
        #: of the column (~10 ms at 100,000) and the map and panel updates then are two stretches
        #: of GUI work, each within a frame, with input handled between them.
        self._all_distances_changed = QTimer(self, singleShot=True, interval=16)
        self._all_distances_changed.timeout.connect(lambda: self.geometryChanged.emit(None))
        self.undo_stack = QUndoStack(self)
        self._assess_timer = QTimer(self)
        self._assess_timer.setSingleShot(True)
        self._assess_timer.setInterval(self.ASSESS_DELAY_MS)
        self._assess_timer.timeout.connect(self.assess_now)
        #: Changes by other processes (the command line, a second window, a sync) are noticed
        #: through SQLite's data_version and shown (issue 11.4).
        self._external_timer = QTimer(self)
        self._external_timer.setInterval(self.EXTERNAL_POLL_MS)
        self._external_timer.timeout.connect(self.check_external_changes)
        #: Polls the integrity check that runs while a big project is painted (store.fileguard).
        self._integrity_timer = QTimer(self)
        self._integrity_timer.setInterval(100)
        self._integrity_timer.timeout.connect(self._integrity_checked)

    # ----- life cycle ---------------------------------------------------------------------------

    @property
    def path(self) -> Path | None:
        return Path(self.project.path) if self.project is not None else None

    @property
    def is_open(self) -> bool:
        return self.project is not None

    def open(self, path: str | Path) -> None:
        """Open a project file; raises store.ProjectError and leaves the session unchanged."""
        from cluster_desk.store.project import Project

        project = Project.open(Path(path), check_later=True)
        self._adopt(project)

    def create(self, path: str | Path, name: str = "") -> None:
        from cluster_desk.store.project import Project

        project = Project.create(Path(path), name=name)
        self._adopt(project)

    def _adopt(self, project: Any) -> None:
        try:
            log_seen = project.last_seq()  # before the records: take_bulk_change reads what follows
            opened = read_opened(project)  # columns only; records built when first asked for
            settings = project.settings()
        except Exception:
            project.close()
            raise
        self.close(emit=False)
        self.project = project
        self.members, self.links, self.opened = opened.members, opened.links, opened.columns
        # Imports and merges diff the file against these records: build them before they write.
        project.before_bulk_write = self.load_records
        self.settings = settings
        self.centre = None
        self.distances = {}
        self._last_circle = None
        self._meta_seen = {k: v for k, v in project.meta().items() if k in UNDOABLE_META}
        self._log_seen = log_seen
        self.undo_stack.clear()
        self._edited(links=True)
        self._external_timer.start()
        if project.integrity is not None:
            self._integrity_timer.start()
        self.changed.emit(ChangeSet(reset=True, settings=True, links=True))
        # Not now: the map and roster show the members first (at 100k the assessment and the
        # distance column it triggers take ~1 s of the GUI thread). The map may hold it longer.
        self._schedule_assessment()

    def load_records(self) -> None:
        """Build every member and link record not built yet (one query per table)."""
        self.members.load_all()
        self.links.load_all()

    def _integrity_checked(self) -> None:
        """The file's integrity check finished: a damaged file is closed with the message."""
        check = getattr(self.project, "integrity", None)
        if check is not None and not check.done:
            return
        self._integrity_timer.stop()
        if check is not None and check.error is not None:
            self.close()
            self.openFailed.emit(user_message(check.error))  # in the interface language

    def _reread(self) -> None:
        """Show the file as it is now, as a fresh open does (the undo stack stays)."""
        opened = read_opened(self.project)
        self.members, self.links, self.opened = opened.members, opened.links, opened.columns
        self.settings = self.project.settings()
        self.centre = None
        self.distances = {}
        self._last_circle = None
        self._edited(links=True)
        self.changed.emit(ChangeSet(reset=True, settings=True, links=True))
        self._schedule_assessment()

    def close(self, emit: bool = True) -> None:
        self._external_timer.stop()
        self._integrity_timer.stop()
        self.undo_stack.clear()
        if self.project is not None:
            self.project.close()
        self.project = None
        self.members = LazyRecords.of(())
        self.links = LazyRecords.of(())
        self.opened = None
        self.settings = ClusterSettings()
        self.results = []
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
        for link in links:
            self.links[link.id] = link
        self._emit(ChangeSet(links=True, link_upserted=frozenset(lk.id for lk in links)))

    def apply_update_link(self, link: Link) -> Link:
        old: Link = self.project.update_link(link)
        self.links[link.id] = link
        self._emit(ChangeSet(links=True, link_upserted=frozenset({link.id})))
        return old

    def apply_delete_links(self, ids: Sequence[str]) -> list[Link]:
        gone: list[Link] = []
        with self.project.transaction():
            for lid in ids:
                gone.append(self.project.delete_link(lid))
        for lk in gone:
            self.links.pop(lk.id, None)
        self._emit(ChangeSet(links=True, link_removed=frozenset(lk.id for lk in gone)))
        return gone

    def reload_records(
        self, upserted: Iterable[str], removed: Iterable[str], links: bool, settings: bool = False
    ) -> None:
        """Re-read records another writer changed in the file (a team sync's pull) and tell the
        views. The undo stack stays: the team controller rebases its commands on the pulled
        values (ui/team/rebase.py), so undoing an own edit never reverts a colleague's."""
        upserted, removed = frozenset(upserted), frozenset(removed)
        for mid in upserted:
            self.members[mid] = self.project.member(mid)
        for mid in removed:
            self.members.pop(mid, None)
        if links or removed:
            self.links = LazyRecords.of(self.project.links())
        if settings:
            self.settings = self.project.settings()
        self._emit(ChangeSet(upserted=upserted, removed=removed, links=bool(links or removed),
                             moved=upserted, settings=settings))

    def apply_settings(self, settings: ClusterSettings) -> ClusterSettings:
        old = self.settings
        self.project.set_settings(settings)
        self.settings = settings
        self._emit(ChangeSet(settings=True))
        return old

    def check_external_changes(self) -> bool:
        """If another process committed to the file, read what changed and show it (the undo
        stack stays: the store writes field by field, so undoing an own edit keeps theirs).
        True when something was refreshed."""
        if not self.project.changed_externally():
            return False
        if not (getattr(self.members, "loaded", True) and getattr(self.links, "loaded", True)):
            # Records not built yet would be read as they are now: nothing to diff against.
            self._reread()
            return True
        change = self.take_bulk_change()
        return not change.empty

    # ----- bulk changes (import, merge): one undoable step each ----------------------------------

    def take_bulk_change(self) -> BulkChange:
        """After an import or a merge wrote to the project directly: read it back, find what
        changed against the in-memory copy (which is still the state before), adopt it and
        tell the views. The returned change is what an undo command needs."""
        project = self.project
        # Only the records the change log names since the last look (an import of 100 rows into
        # 100,000 members reads 100, not the whole project).
        self._log_seen, members, links = project.records_changed_since(self._log_seen)
        settings = project.settings()
        meta = {k: v for k, v in project.meta().items() if k in UNDOABLE_META}
        m_before, m_after = _diff({k: self.members.get(k) for k in members}, members)
        l_before, l_after = _diff({k: self.links.get(k) for k in links}, links)
        meta_before, meta_after = _diff(self._meta_seen, meta)
        change = BulkChange(m_before, m_after, l_before, l_after, self.settings, settings,
                            {k: v or "" for k, v in meta_before.items()},
                            {k: v or "" for k, v in meta_after.items()})
        self._adopt_state(change, after=True)
        return change

    def apply_bulk(self, change: BulkChange, *, after: bool) -> None:
        """Write one side of a bulk change (undo: ``after=False``; redo: True) in one transaction."""
        want_m = change.members_after if after else change.members_before
        want_l = change.links_after if after else change.links_before
        settings = change.settings_after if after else change.settings_before
        meta = change.meta_after if after else change.meta_before
        project = self.project
        gone_m = [i for i, m in want_m.items() if m is None and i in self.members]
        new_m = [m for i, m in want_m.items() if m is not None and i not in self.members]
        changed_m = [m for i, m in want_m.items()
                     if m is not None and i in self.members and self.members[i] != m]
        with project.transaction():
            gone_links: set[str] = set()
            if gone_m:
                _members, dropped = project.delete_members(gone_m)
                gone_links = {link.id for link in dropped}
            for i, link in want_l.items():
                if link is None and i in self.links and i not in gone_links:
                    project.delete_link(i)
            if new_m:
                project.add_members(new_m)
            if changed_m:
                project.update_members(changed_m)
            new_l = [li for i, li in want_l.items()
                     if li is not None and (i not in self.links or i in gone_links)]
            if new_l:
                project.add_links(new_l)
            for i, link in want_l.items():
                if link is not None and i in self.links and i not in gone_links and self.links[i] != link:
                    project.update_link(link)
            if settings != self.settings:
                project.set_settings(settings)
            if meta:
                project.set_meta(meta)
        self._adopt_state(change, after=after)

    def _adopt_state(self, change: BulkChange, *, after: bool) -> None:
        want_m = change.members_after if after else change.members_before
        want_l = change.links_after if after else change.links_before
        old_positions = {i: (m.lat, m.lon) if m else None for i, m in
                         ((i, self.members.get(i)) for i in want_m)}
        for i, m in want_m.items():
            if m is None:
                self.members.pop(i, None)
            else:
                self.members[i] = m
        for i, link in want_l.items():
            if link is None:
                self.links.pop(i, None)
            else:
                self.links[i] = link
        self.settings = change.settings_after if after else change.settings_before
        self._meta_seen.update(change.meta_after if after else change.meta_before)
        removed = frozenset(i for i, m in want_m.items() if m is None)
        upserted = frozenset(i for i, m in want_m.items() if m is not None)
        moved = frozenset(i for i in upserted
                          if old_positions.get(i) != (want_m[i].lat, want_m[i].lon))  # type: ignore[union-attr]
        self._emit(ChangeSet(upserted=upserted, removed=removed, moved=moved, links=bool(want_l),
                             settings=change.settings_before != change.settings_after,
                             link_upserted=frozenset(i for i, lk in want_l.items() if lk is not None),
                             link_removed=frozenset(i for i, lk in want_l.items() if lk is None)))

    def _emit(self, change: ChangeSet) -> None:
        """Tell the views; assess once a burst of edits is over (on the worker thread, which
        re-runs only the geographic checks after moves and circle changes: assess_engine.py)."""
        self.opened = None  # the columns no longer match what the views hold
        self._edited(links=change.links or change.reset)
        for mid in change.removed:
            self.distances.pop(mid, None)
        if change.moved:
            self._measure(list(change.moved))
        self.changed.emit(change)
        if change.moved:
            self.geometryChanged.emit(sorted(change.moved))
        self._schedule_assessment()

    def _edited(self, *, links: bool) -> None:
        self._edit_generation += 1
        if links:
            self._links_snapshot = None
        if self.project is not None:
            self._set_pending(True)

    def _set_pending(self, pending: bool) -> None:
        if pending != self._pending:
            self._pending = pending
            self.assessmentPending.emit(pending)

    @property
    def assessment_pending(self) -> bool:
        """An edit since the assessment shown: a new one is scheduled or running."""
        return self._pending

    def _schedule_assessment(self) -> None:
        if not self._held:
            self._assess_timer.start()  # restart: a burst of edits assesses once

    def hold_assessment(self) -> None:
        """Postpone assessing until release_assessment(): the map holds it while it paints a
        freshly opened project, so the GUI thread stays free for that first paint."""
        self._held = True
        self._assess_timer.stop()

    def release_assessment(self) -> None:
        if self._held:
            self._held = False
            self._assess_timer.start()

    # ----- assessment ---------------------------------------------------------------------------

    def assess_now(self) -> None:
        """Assess the current state now (no debounce), on the worker thread: ``assessed`` follows
        once it is done, unless the project was edited meanwhile (then the next one follows)."""
        self._assess_timer.stop()
        if self.project is None:
            self.results = []
            self.assessed.emit(self.results)
            return
        request = self._request()
        self.assessor.run("live", lambda engine: engine.assess(request), self._take_assessment,
                          self._assessment_failed)

    def assess_on(self, day: str, deliver: Callable[[Assessed], None], lane: str = "as_of") -> None:
        """The project as it stands, assessed on ``day`` (ISO; the past view), on the worker
        thread: ``deliver`` gets an Assessed (``results``, ``participants``: that day's ids) on
        the GUI thread, unless ``assess_on`` was called again in the lane meanwhile. Nothing of
        the session changes (the live checks stay as they are)."""
        request = AssessRequest(tuple(self.members.values()), self.links_snapshot() or (), self.settings,
                                on=day, participant_ids=True)
        self.assessor.run(lane, lambda engine: engine.assess(request), deliver, self._report_failure)

    def _report_failure(self, error: BaseException) -> None:
        self.errorOccurred.emit(f"{type(error).__name__}: {error}")

    def assess_sync(self) -> None:
        """The same on the calling thread (scripts and benches that time the work itself)."""
        from cluster_desk.ui.project.assess_engine import Engine

        self._assess_timer.stop()
        if self.project is not None:
            self._take_assessment(Engine().assess(self._request()))

    def links_snapshot(self, build: bool = True) -> tuple[Link, ...] | None:
        """The links as an immutable tuple for worker threads, the same object while the links
        are unchanged (300,000 links: ~5 ms to build); ``build=False``: None if not built since."""
        if self._links_snapshot is None and build:
            self._links_snapshot = tuple(self.links.values())
        return self._links_snapshot

    def _request(self) -> AssessRequest:
        """An immutable snapshot of the state (frozen records in tuples): ~2 ms at 100,000."""
        links = self.links_snapshot()
        assert links is not None
        known = self.centre if self.distances or not self.members else None
        return AssessRequest(tuple(self.members.values()), links, self.settings,
                             distances=True, known_centre=known, tag=self._edit_generation)

    def _take_assessment(self, done: Assessed) -> None:
        if done.request.tag != self._edit_generation or self.project is None:
            return  # edited since the snapshot: the edit scheduled a new run
        self.results = done.results
        self._counts = (self._edit_generation, done.counts)
        if done.distances is not None:
            self.centre = done.centre
            self.distances = done.distances
        if done.distances is not None or self.circle != self._last_circle:
            self._last_circle = self.circle
            self._all_distances_changed.start()
        self._set_pending(False)
        self.assessed.emit(self.results)

    def _assessment_failed(self, error: BaseException) -> None:
        self._set_pending(False)
        self._report_failure(error)

    def effective_centre(self) -> tuple[float, float] | None:
        """The centre now (before the first assessment it is computed on the spot)."""
        if self.centre is not None or self.results:
            return self.centre
        from cluster_desk.core.assessment import effective_centre

        return effective_centre(list(self.members.values()), self.settings)

    # ----- derived geometry ---------------------------------------------------------------------

    @property
    def circle(self) -> tuple[float, float, float] | None:
        """(lat, lon, radius_km) around the effective centre, or None when there is no centre."""
        if self.centre is None:
            return None
        return self.centre[0], self.centre[1], float(self.settings.radius_km)

    def distance(self, member_id: str) -> float | None:
        return self.distances.get(member_id)

    def inside_ids(self) -> list[str]:
        """Located members within the radius (all kinds: what the map shows as the cluster)."""
        r = self.settings.radius_km
        return [mid for mid, d in self.distances.items() if d <= r]

    def _measure(self, ids: list[str]) -> None:
        """Geodesic distances (core.geodesy, vectorised) of ``ids`` to the centre."""
        if self.centre is None or not ids:
            return
        import numpy as np

        from cluster_desk.core.geodesy import distances_km

        members = self.members
        located: list[str] = []
        lats: list[float] = []
        lons: list[float] = []
        for i in ids:
            m = members.get(i)
            if m is not None and m.lat is not None and m.lon is not None:
                located.append(i)
                lats.append(m.lat)
                lons.append(m.lon)
            else:
                self.distances.pop(i, None)
        if located:
            d = distances_km(self.centre[0], self.centre[1], np.array(lats, dtype=float),
                             np.array(lons, dtype=float))
            self.distances.update(zip(located, d.tolist(), strict=True))

    def dated_years(self) -> tuple[int, int] | None:
        """First and last year any date names (the timeline's span); no records built for it."""
        from cluster_desk.core.timeline import dated_years

        built = getattr(self.members, "loaded", True) and getattr(self.links, "loaded", True)
        if self.project is not None and not built:
            return self.project.dated_years()  # type: ignore[no-any-return]
        return dated_years(list(self.members.values()), list(self.links.values()))

    # ----- counts for the status bar ------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """As counted with the last assessment when nothing changed since (the worker did it);
        right after opening, from the columns."""
        if self.opened is not None:
            return counts_from_columns(self.opened.members)
        if self._counts is not None and self._counts[0] == self._edit_generation:
            return dict(self._counts[1])
        return count_members(list(self.members.values()))
