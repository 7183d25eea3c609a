"""Undoable edits. Each command's redo/undo calls the session (which writes the file in one
transaction and reports what changed); one QUndoStack per open project (orange-canvas-core)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from cluster_desk.core.model import ClusterSettings, Link, Member
from cluster_desk.ui.i18n import ui_text, user_message
from cluster_desk.ui.project.session import BulkChange, ProjectSession

_MOVE_ID = 1001  # QUndoCommand.id(): consecutive drags of one member merge
_RADIUS_ID = 1002  # consecutive radius changes (spin box steps, edge drags) merge


translate = QCoreApplication.translate  # lupdate extracts translate("Context", "text")


class _SessionCommand(QUndoCommand):
    """Reports store failures instead of raising inside Qt, and drops a command whose first
    redo failed (an obsolete command is not kept on the stack)."""

    def __init__(self, session: ProjectSession, text: str) -> None:
        super().__init__(text)
        self.session = session
        self._done_once = False

    def redo(self) -> None:
        try:
            self._redo()
        except Exception as exc:
            self.session.errorOccurred.emit(user_message(exc))
            if not self._done_once:
                self.setObsolete(True)
            return
        self._done_once = True

    def undo(self) -> None:
        try:
            self._undo()
        except Exception as exc:
            self.session.errorOccurred.emit(user_message(exc))

    def _redo(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class AddMembers(_SessionCommand):
    def __init__(self, session: ProjectSession, members: Sequence[Member]) -> None:
        if len(members) == 1:
            text = translate("Commands", "Add “%1”").replace("%1", members[0].name)
        else:
            text = translate("Commands", "Add %1 members").replace("%1", ui_text().number(len(members)))
        super().__init__(session, text)
        self.members = list(members)

    def _redo(self) -> None:
        self.session.apply_add(self.members)

    def _undo(self) -> None:
        self.session.apply_delete([m.id for m in self.members])


def AddMember(session: ProjectSession, member: Member) -> AddMembers:
    return AddMembers(session, [member])


class EditMembers(_SessionCommand):
    """One or many edited records in one transaction (bulk edits are one undo step)."""

    def __init__(self, session: ProjectSession, members: Sequence[Member], text: str = "") -> None:
        if not text:
            text = (
                translate("Commands", "Edit “%1”").replace("%1", members[0].name)
                if len(members) == 1
                else translate("Commands", "Edit %1 members").replace("%1", ui_text().number(len(members)))
            )
        super().__init__(session, text)
        self.new = list(members)
        self.old: list[Member] = [session.members[m.id] for m in members]

    #: Who made the first change (see ChangeSet.origin); redo after an undo comes from the stack.
    origin = ""

    def _redo(self) -> None:
        origin, self.origin = self.origin, ""
        self.old = self.session.apply_update(self.new, origin=origin)

    def _undo(self) -> None:
        self.session.apply_update(self.old)


def EditMember(session: ProjectSession, member: Member) -> EditMembers:
    return EditMembers(session, [member])


class MoveMember(EditMembers):
    """A marker drag or a placement; consecutive drags of the same member merge into one step."""

    def __init__(
        self, session: ProjectSession, member_id: str, lat: float, lon: float, place: bool = False,
        origin: str = "",
    ) -> None:
        member = dataclasses.replace(session.members[member_id], lat=lat, lon=lon)
        verb = translate("Commands", "Place “%1”") if place else translate("Commands", "Move “%1”")
        super().__init__(session, [member], verb.replace("%1", member.name))
        self.place = place
        self.origin = origin

    def id(self) -> int:
        return -1 if self.place else _MOVE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, MoveMember) or other.place or other.new[0].id != self.new[0].id:
            return False
        self.new = other.new  # keep our `old`, take their final position
        return True


class DeleteMembers(_SessionCommand):
    """Delete members and their links; undo restores both (store.restore)."""

    def __init__(self, session: ProjectSession, ids: Sequence[str]) -> None:
        ids = list(ids)
        text = (
            translate("Commands", "Delete “%1”").replace("%1", session.members[ids[0]].name)
            if len(ids) == 1
            else translate("Commands", "Delete %1 members").replace("%1", ui_text().number(len(ids)))
        )
        super().__init__(session, text)
        self.ids = ids
        self.deleted: tuple[list[Member], list[Link]] = ([], [])

    def _redo(self) -> None:
        self.deleted = self.session.apply_delete(self.ids)

    def _undo(self) -> None:
        self.session.apply_restore(*self.deleted)


class SetSettings(_SessionCommand):
    """Cluster settings (centre, radius, thresholds). ``merge`` joins consecutive radius edits."""

    def __init__(
        self, session: ProjectSession, settings: ClusterSettings, text: str = "", merge: bool = False
    ) -> None:
        super().__init__(session, text or translate("Commands", "Change cluster settings"))
        self.new = settings
        self.old = session.settings
        self.merge = merge

    def id(self) -> int:
        return _RADIUS_ID if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetSettings) or not other.merge:
            return False
        self.new = other.new
        self.setText(other.text())  # "Change radius to 150 km": the final value
        return True

    def _redo(self) -> None:
        self.old = self.session.apply_settings(self.new)

    def _undo(self) -> None:
        self.session.apply_settings(self.old)


class BulkCommand(_SessionCommand):
    """An import or a merge as one undo step. It is pushed after the change was written (the
    import and the merge run their own transaction), so its first redo does nothing."""

    def __init__(self, session: ProjectSession, change: BulkChange, text: str) -> None:
        super().__init__(session, text)
        self.change = change
        self._written = True

    def _redo(self) -> None:
        if self._written:
            self._written = False
            return
        self.session.apply_bulk(self.change, after=True)

    def _undo(self) -> None:
        self.session.apply_bulk(self.change, after=False)


def record_bulk_change(session: ProjectSession, text: str) -> BulkChange | None:
    """After an import or a merge: adopt what it wrote and put it on the undo stack."""
    change = session.take_bulk_change()
    if change.empty:
        return None
    session.undo_stack.push(BulkCommand(session, change, text))
    return change
