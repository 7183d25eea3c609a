"""The open project as the views see it: one QObject, one change signal, one undo stack.

Every edit goes through a QUndoCommand (commands.py) that calls one of the ``apply_*`` methods
here. Each of those writes to the project file in its own transaction, updates the in-memory
copy the views read from, and emits ``changed`` with a ChangeSet, so the map, the roster and the
assessment refresh only what changed (Anki's "operations report what changed" idea).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from cluster_desk.core.model import ClusterSettings, Link, Member, Status


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


class ProjectSession(QObject):
    """Holds the open Project, the in-memory members/links and the undo stack."""

    changed = Signal(object)  # ChangeSet
    assessed = Signal(object)  # list[CheckResult]
    errorOccurred = Signal(str)  # a store error during an edit (shown by the window)

    ASSESS_DELAY_MS = 50  # bulk edits and drags coalesce into one assessment

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project: Any = None  # store.project.Project (imported lazily: see open())
        self.members: dict[str, Member] = {}
        self.links: dict[str, Link] = {}
        self.settings = ClusterSettings()
        self.results: list[Any] = []
        self._full_assessment_due = True  # False while only moves happened since the last one
        self._held = False  # assessing postponed (see hold_assessment)
        self.undo_stack = QUndoStack(self)
        self._assess_timer = QTimer(self)
        self._assess_timer.setSingleShot(True)
        self._assess_timer.setInterval(self.ASSESS_DELAY_MS)
        self._assess_timer.timeout.connect(self.assess_now)

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

        project = Project.open(Path(path))
        self._adopt(project)

    def create(self, path: str | Path, name: str = "") -> None:
        from cluster_desk.store.project import Project

        project = Project.create(Path(path), name=name)
        self._adopt(project)

    def _adopt(self, project: Any) -> None:
        try:
            members = project.members()
            links = project.links()
            settings = project.settings()
        except Exception:
            project.close()
            raise
        self.close(emit=False)
        self.project = project
        self.members = {m.id: m for m in members}
        self.links = {link.id: link for link in links}
        self.settings = settings
        self.undo_stack.clear()
        self._full_assessment_due = True
        self.changed.emit(ChangeSet(reset=True, settings=True, links=True))
        # Not now: the map and roster show the members first (at 100k the assessment and the
        # distance column it triggers take ~1 s of the GUI thread). The map may hold it longer.
        self._schedule_assessment()

    def close(self, emit: bool = True) -> None:
        self.undo_stack.clear()
        if self.project is not None:
            self.project.close()
        self.project = None
        self.members = {}
        self.links = {}
        self.settings = ClusterSettings()
        self.results = []
        self._full_assessment_due = True
        self._held = False
        self._assess_timer.stop()
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

    def apply_update(self, members: Sequence[Member]) -> list[Member]:
        """Write new records; returns the old ones (for undo)."""
        if len(members) == 1:
            old = [self.project.update_member(members[0])]
        else:
            old = list(self.project.update_members(members))
        pairs = list(zip(members, old, strict=True))
        moved = frozenset(n.id for n, o in pairs if (n.lat, n.lon) != (o.lat, o.lon))
        only_moved = all(dataclasses.replace(o, lat=n.lat, lon=n.lon) == n for n, o in pairs)
        for m in members:
            self.members[m.id] = m
        self._emit(ChangeSet(upserted=frozenset(m.id for m in members), moved=moved),
                   geographic_only=only_moved)
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

    def apply_settings(self, settings: ClusterSettings) -> ClusterSettings:
        old = self.settings
        self.project.set_settings(settings)
        self.settings = settings
        circle_only = dataclasses.replace(old, centre_lat=settings.centre_lat, centre_lon=settings.centre_lon,
                                          radius_km=settings.radius_km) == settings
        self._emit(ChangeSet(settings=True), geographic_only=circle_only)
        return old

    def _emit(self, change: ChangeSet, *, geographic_only: bool = False) -> None:
        """Tell the views; assess once a burst of edits is over. Moves and circle changes only
        re-run the geographic checks (at 100,000 members: ~0.1 s instead of ~0.4 s)."""
        self.changed.emit(change)
        self._full_assessment_due |= not geographic_only
        self._schedule_assessment()

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
        self._assess_timer.stop()
        if self.project is None:
            self.results = []
        else:
            from cluster_desk.core.assessment import assess

            previous = None if self._full_assessment_due else self.results
            self.results = list(assess(list(self.members.values()), list(self.links.values()),
                                       self.settings, previous=previous or None))
        self._full_assessment_due = False
        self.assessed.emit(self.results)

    def effective_centre(self) -> tuple[float, float] | None:
        from cluster_desk.core.assessment import effective_centre

        return effective_centre(list(self.members.values()), self.settings)

    # ----- counts for the status bar ------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        c = {"members": 0, "candidates": 0, "former": 0, "unlocated": 0, "total": len(self.members)}
        for m in self.members.values():
            if m.status is Status.MEMBER:
                c["members"] += 1
            elif m.status is Status.CANDIDATE:
                c["candidates"] += 1
            else:
                c["former"] += 1
            if m.lat is None or m.lon is None:
                c["unlocated"] += 1
        return c
