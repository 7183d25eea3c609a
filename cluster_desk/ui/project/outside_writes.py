"""The session's reads of what others wrote to the open file: another process (the command line, a
second window; noticed through SQLite's data_version), a team sync's pull, a bulk import or a
merge. Only the records the change log names are read back; each becomes one undoable
BulkChange (or, for a team pull, a reload the team controller rebases on). A mixin of
ProjectSession (session.py), which owns the state these methods update.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cluster_desk.core.model import ClusterSettings, Link, Member
from cluster_desk.core.tables import LazyRecords
from cluster_desk.ui.project.change_set import ChangeSet
from cluster_desk.ui.project.loading import read_opened

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


class OutsideWrites:
    """ProjectSession's part that adopts what others wrote (see the module docstring)."""

    project: Any
    members: LazyRecords[Member]
    links: LazyRecords[Link]
    settings: ClusterSettings
    _meta_seen: dict[str, str]
    _log_seen: int
    record_slices: Any  # record_slices.RecordSlices (LiveAssessment's)

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
        self.record_slices.stop()  # (a reread: the slices of the records replaced)
        self._slices_after_assessment = True  # records built in slices once it is assessed (if small)
        self._schedule_assessment()

    def reload_records(
        self, upserted: Iterable[str], removed: Iterable[str], links: bool, settings: bool = False, *,
        link_upserted: Iterable[str] | None = None, link_removed: Iterable[str] = (),
    ) -> None:
        """Re-read records another writer changed in the file (a team sync's pull) and tell the
        views. The undo stack stays: the team controller rebases its commands on the pulled
        values (ui/team/rebase.py), so undoing an own edit never reverts a colleague's.
        ``link_upserted``/``link_removed``: the links written, those of the removed members
        included; only these are read (and the views told them, as after a merge). Without
        them, every link is read again (``links`` or ``removed``)."""
        upserted, removed = frozenset(upserted), frozenset(removed)
        for mid in upserted:
            self.members[mid] = self.project.member(mid)
        for mid in removed:
            self.members.pop(mid, None)
        if link_upserted is None:
            if links or removed:
                self.links = LazyRecords.of(self.project.links())
            named_up, named_gone = frozenset[str](), frozenset[str]()
            links = bool(links or removed)
        else:
            named_up, named_gone = frozenset(link_upserted), frozenset(link_removed)
            for lid in named_gone:
                self.links.pop(lid, None)
            read = self.project.links_matching(named_up, [])  # (in file order: new ones so too)
            for link in read:
                self.links[link.id] = link
            for lid in named_up.difference(link.id for link in read):
                self.links.pop(lid, None)  # (gone meanwhile: another process)
            # A view told "links changed" without their ids rebuilds from every record: at
            # 300,000 links and 100,000 members unbuilt, seconds of building (issue 17).
            links = bool(named_up or named_gone)
        if settings:
            self.settings = self.project.settings()
        self._emit(ChangeSet(upserted=upserted, removed=removed, links=links, moved=upserted,
                             settings=settings, link_upserted=named_up, link_removed=named_gone))

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
        # (the links of a member it deletes are among want_l: the change log had them go too)
        with project.transaction((want_m.keys(), want_l.keys())):
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
