"""Undoable link edits: each one store transaction, one step on the undo stack, one entry (or
more) in the change log that the member's history shows."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from cluster_desk.core.model import Link
from cluster_desk.ui.i18n import ui_text
from cluster_desk.ui.project.commands import _SessionCommand
from cluster_desk.ui.project.session import ProjectSession

translate = QCoreApplication.translate


def _ends(session: ProjectSession, link: Link) -> str:
    a, b = session.members.get(link.source), session.members.get(link.target)
    return f"{a.name if a else link.source} – {b.name if b else link.target}"


class AddLink(_SessionCommand):
    def __init__(self, session: ProjectSession, link: Link) -> None:
        super().__init__(session, translate("Links", "Add link “%1”").replace("%1", _ends(session, link)))
        self.link = link

    def _redo(self) -> None:
        self.session.apply_add_links([self.link])

    def _undo(self) -> None:
        self.session.apply_delete_links([self.link.id])


class EditLink(_SessionCommand):
    def __init__(self, session: ProjectSession, link: Link) -> None:
        super().__init__(session, translate("Links", "Edit link “%1”").replace("%1", _ends(session, link)))
        self.new = link
        self.old = session.links[link.id]

    def _redo(self) -> None:
        self.old = self.session.apply_update_link(self.new)

    def _undo(self) -> None:
        self.session.apply_update_link(self.old)


class DeleteLinks(_SessionCommand):
    def __init__(self, session: ProjectSession, ids: Sequence[str]) -> None:
        ids = [i for i in ids if i in session.links]
        text = (
            translate("Links", "Delete link “%1”").replace("%1", _ends(session, session.links[ids[0]]))
            if len(ids) == 1
            else translate("Links", "Delete %1 links").replace("%1", ui_text().number(len(ids)))
        )
        super().__init__(session, text)
        self.ids = ids
        self.deleted: list[Link] = []

    def _redo(self) -> None:
        self.deleted = self.session.apply_delete_links(self.ids)

    def _undo(self) -> None:
        self.session.apply_restore([], self.deleted)
