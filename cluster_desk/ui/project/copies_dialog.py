"""File › Automatic Copies…: the copies the store keeps before each import, merge and
synchronisation (store.backups), listed newest first; one is saved as a project of its own and
opened, so a user can go back to the roster as it was before a bulk change. The project stays as
it is (never written over: another window may have it open)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cluster_desk.ui.i18n import ui_text, user_message

if TYPE_CHECKING:
    from cluster_desk.store.backups import Copy

#: A copy's path in its list item.
PATH_ROLE = Qt.ItemDataRole.UserRole + 1


class CopiesDialog(QDialog):
    """The automatic copies of the project at ``project``, newest first; ``chosen()`` once
    accepted."""

    def __init__(self, project: Path, parent: QWidget | None = None) -> None:
        from cluster_desk.store.backups import describe, list_backups
        from cluster_desk.text.store_text import ProjectErrorText

        super().__init__(parent)
        self.setWindowTitle(self.tr("Automatic Copies"))
        self.copies = [describe(p) for p in reversed(list_backups(project))]
        intro = QLabel(self.tr("A copy of «%1» is kept before every import, merge and synchronisation "
                               "(the last five). Open one as a project of its own to go back to the "
                               "roster as it was; «%1» stays as it is.").replace("%1", project.stem))
        intro.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels([self.tr("Made"), self.tr("Before"), self.tr("Members"), self.tr("Links")])
        speaker = ProjectErrorText(ui_text())
        for copy in self.copies:
            item = QTreeWidgetItem([made_text(copy), str(speaker.change(copy.reason)) if copy.reason else "",
                                    count_text(copy.members), count_text(copy.links)])
            for column in (2, 3):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setData(0, PATH_ROLE, str(copy.path))
            self.list.addTopLevelItem(item)
        header = self.list.header()
        header.setStretchLastSection(False)
        for column in range(4):
            header.setSectionResizeMode(column, header.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, header.ResizeMode.Stretch)  # (the counts stay by their headers)
        self.empty = QLabel(self.tr("No automatic copies yet."))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_button = self.buttons.addButton(self.tr("Open as New Project…"),
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda *_a: self.accept())
        self.list.itemSelectionChanged.connect(self._enable)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(self.empty)
        layout.addWidget(self.buttons)
        self.list.setVisible(bool(self.copies))
        self.empty.setVisible(not self.copies)
        if self.copies:
            self.list.setCurrentItem(self.list.topLevelItem(0))
        self._enable()
        self.resize(560, 320)

    def _enable(self) -> None:
        self.open_button.setEnabled(self.chosen() is not None)

    def chosen(self) -> Copy | None:
        items = self.list.selectedItems()
        if not items:
            return None
        path = Path(str(items[0].data(0, PATH_ROLE)))
        return next((c for c in self.copies if c.path == path), None)


def made_text(copy: Copy) -> str:
    """When the copy was made, in this computer's time zone (the name says UTC)."""
    return ui_text().moment(copy.made) if copy.made is not None else copy.path.name


def count_text(n: int | None) -> str:
    return "—" if n is None else ui_text().number(n)


class AutomaticCopies(QObject):
    """The File menu's action: the dialog, then the chosen copy saved where the user says and opened
    (``files``: the window's ProjectFiles). ``run_dialog`` and ``ask_path`` are the modal parts
    (tests replace them)."""

    def __init__(self, ctx: Any, files: Any) -> None:
        super().__init__(ctx.dialog_parent)
        self.ctx, self.files = ctx, files
        self.run_dialog = lambda d: d.exec() == QDialog.DialogCode.Accepted
        self.ask_path = self._ask_path

    def show(self) -> bool:
        """Returns whether a copy was opened."""
        from cluster_desk.store.backups import save_as
        from cluster_desk.team.workcopy import CONFLICTS_KEY, TEAM_KEY, team_link

        session = self.ctx.session
        if not session.is_open:
            return False
        project = Path(session.path)
        dialog = CopiesDialog(project, self.ctx.dialog_parent)
        try:
            if not self.run_dialog(dialog) or (copy := dialog.chosen()) is None:
                return False
        finally:
            dialog.deleteLater()
        dest = self.ask_path(project, copy)
        if dest is None:
            return False
        if dest.resolve() == project.resolve():  # (the open project is never written over)
            self.ctx.notifier.error(self.tr("Cannot save the copy"),
                                    self.tr("%1 is the open project; choose another name for the copy.")
                                    .replace("%1", str(dest)))
            return False
        # A team working copy's copy opens as a local project: syncing it would speak for the
        # working copy itself (its edits sent and received twice, or skipped).
        linked = team_link(session.project) is not None
        try:
            save_as(copy.path, dest, meta={TEAM_KEY: "", CONFLICTS_KEY: "[]"} if linked else None)
        except Exception as exc:  # (ProjectError, OSError: one line naming the file)
            self.ctx.notifier.error(self.tr("Cannot save the copy"), user_message(exc))
            return False
        if not self.files.open_path(dest):
            return False
        said = (self.tr("Opened the copy made %1 as %2, a local project (not linked to the team server); "
                        "«%3» is as it was.") if linked
                else self.tr("Opened the copy made %1 as %2; «%3» is as it was."))
        self.ctx.notifier.status(said.replace("%1", made_text(copy)).replace("%2", dest.name)
                                 .replace("%3", project.stem))
        return True

    def _ask_path(self, project: Path, copy: Copy) -> Path | None:
        stamp = copy.made.astimezone().strftime("%Y-%m-%d") if copy.made is not None else "copy"
        start = project.with_name(f"{project.stem}-{stamp}{project.suffix}")
        path, _ = QFileDialog.getSaveFileName(self.ctx.dialog_parent, self.tr("Open Copy as New Project"),
                                              str(start), self.files.project_filter())
        if not path:
            return None
        return Path(path if path.endswith(project.suffix) else path + project.suffix)
