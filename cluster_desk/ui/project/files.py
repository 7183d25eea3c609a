"""File menu behaviour: new, open, open recent, open demo, save as, close; errors shown to the
user with the file left untouched (the store refuses before writing anything)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu

from cluster_desk import PROJECT_SUFFIX
from cluster_desk.ui.context import AppContext
from cluster_desk.ui.i18n import user_message
from cluster_desk.ui.open_collector import OpenCollector
from cluster_desk.ui.widgets.plain_text import menu_text, plain_tip

if TYPE_CHECKING:
    from cluster_desk.ui.project.loading import ProjectRead


def dropped_project(event: QEvent) -> str:
    """The first local project file in a drag/drop event, or ""."""
    get_mime = getattr(event, "mimeData", None)  # drag enter/move and drop events carry one
    mime = get_mime() if get_mime is not None else None
    if mime is None or not mime.hasUrls():
        return ""
    for url in mime.urls():
        if url.isLocalFile() and url.toLocalFile().lower().endswith(PROJECT_SUFFIX):
            return url.toLocalFile()
    return ""


def demo_path() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home()) / "demo" / f"kazan-auto{PROJECT_SUFFIX}"


def write_demo(path: Path) -> None:
    """The demo cluster (core.demo) as a project file."""
    from cluster_desk.core.demo import demo_cluster
    from cluster_desk.store.project import Project

    members, links, settings = demo_cluster()
    path.parent.mkdir(parents=True, exist_ok=True)
    project = Project.create(path, name=settings.name)
    try:
        project.add_members(members)
        project.add_links(links)
        project.set_settings(settings)
    finally:
        project.close()


class ProjectFiles(QObject):
    #: A project was opened from a file (the window shows the cluster circle).
    opened = Signal()

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx.dialog_parent)
        self.ctx = ctx
        self.parent_widget = ctx.dialog_parent
        self.session = ctx.session
        self.collector = OpenCollector(self.session)  # (freezes around each open: issue 17)
        self.session.openFailed.connect(
            lambda text: self.ctx.notifier.error(self.tr("Cannot open project"), text))
        self.prefs = ctx.prefs
        self.upgrade_dialog: QDialog | None = None  # while an older file is upgraded
        self.opening_dialog: QDialog | None = None  # while a file is read
        self.recent_menu = QMenu(self.tr("Open &Recent"), ctx.dialog_parent)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        a = ctx.actions
        a.new.triggered.connect(self.new)
        a.open.triggered.connect(self.open)
        a.open_demo.triggered.connect(self.open_demo)
        a.save_as.triggered.connect(self.save_as)
        a.close.triggered.connect(self.close)

    def project_filter(self) -> str:
        """The file dialogs' filter for project files."""
        return self.tr("Cluster Desk projects (*%1)").replace("%1", PROJECT_SUFFIX)

    def _folder(self) -> str:
        recent = self.prefs.recent_files
        if recent:
            return str(Path(recent[0]).parent)
        return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)

    # ----- actions ------------------------------------------------------------------------------

    def open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.parent_widget, self.tr("Open Project"), self._folder(),
                                              self.project_filter())
        if path:
            self.open_path(path)

    def open_path(self, path: str | Path) -> bool:
        """Open a project; on failure show the store's message and keep the current project."""
        from cluster_desk.store.project import ProjectError
        from cluster_desk.store.upgrade import upgrade_needed

        path = Path(path)
        try:
            if upgrade_needed(path):  # an older format: upgraded once, behind a progress dialog
                self._upgrade(path)
            self.collector.opening()  # (just before the open)
            read = self._read(path)
            if read is None:  # cancelled: the window stays as it was
                return False
            self.session.adopt(read)
        except ProjectError as exc:
            self.ctx.notifier.error(self.tr("Cannot open project"), user_message(exc))
            return False
        except OSError as exc:
            self.ctx.notifier.error(self.tr("Cannot open project"),
                                     self.tr("%1: %2").replace("%1", str(path))
                                     .replace("%2", exc.strerror or str(exc)))
            self.prefs.remove_recent(str(path))
            return False
        self.prefs.add_recent(str(path.resolve()))
        project = self.session.project
        for notice in getattr(project, "notices", ()):  # e.g. a stray journal set aside
            self.ctx.notifier.status(user_message(notice), path=path)
        self.opened.emit()  # the window fits the cluster circle (Fit All stays a command)
        return True

    def _read(self, path: Path) -> ProjectRead | None:
        """Open and read the file on a thread while the window paints (None: cancelled)."""
        from cluster_desk.ui.project.opening_dialog import OpeningDialog

        dialog = OpeningDialog(path, self.parent_widget)
        self.opening_dialog = dialog  # (tests look at it while it reads)
        try:
            return dialog.run()
        finally:
            self.opening_dialog = None
            dialog.deleteLater()

    def _upgrade(self, path: Path) -> None:
        """Upgrade the file's format on a thread while a dialog shows how far it got (raises
        what the upgrade raised: the file is then as it was)."""
        from cluster_desk.ui.project.upgrade_dialog import UpgradeDialog

        dialog = UpgradeDialog(path, self.parent_widget)
        self.upgrade_dialog = dialog  # (tests look at it while it runs)
        try:
            error = dialog.run()
        finally:
            self.upgrade_dialog = None
            dialog.deleteLater()
        if error is not None:
            raise error

    def new(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.parent_widget, self.tr("New Project"),
                                              str(Path(self._folder()) / self.tr("cluster")),
                                              self.project_filter())
        if not path:
            return
        if not path.endswith(PROJECT_SUFFIX):
            path += PROJECT_SUFFIX
        self.create_path(path)

    def create_path(self, path: str | Path, name: str = "") -> bool:
        from cluster_desk.store.project import ProjectError

        path = Path(path)
        if path.exists():
            # The save dialog asked about replacing; the store never overwrites a project.
            try:
                path.unlink()
            except OSError as exc:
                self.ctx.notifier.error(self.tr("Cannot create project"), str(exc))
                return False
        try:
            self.session.create(path, name=name or path.stem)
        except (ProjectError, OSError) as exc:
            self.ctx.notifier.error(self.tr("Cannot create project"), user_message(exc))
            return False
        self.prefs.add_recent(str(path.resolve()))
        return True

    def open_demo(self) -> None:
        path = demo_path()
        if not path.exists():
            try:
                write_demo(path)
            except Exception as exc:
                self.ctx.notifier.error(self.tr("Cannot create the demo project"), str(exc))
                return
        self.open_path(path)

    def save_as(self) -> None:
        if not self.session.is_open:
            return
        start = str(self.session.path.with_name(self.session.path.stem + "-copy" + PROJECT_SUFFIX))
        path, _ = QFileDialog.getSaveFileName(self.parent_widget, self.tr("Save Project As"), start,
                                              self.project_filter())
        if path:
            self.save_as_path(path if path.endswith(PROJECT_SUFFIX) else path + PROJECT_SUFFIX)

    def save_as_path(self, path: str | Path) -> bool:
        """Write a consistent copy, then continue working in the copy."""
        from cluster_desk.store.project import ProjectError

        try:
            self.session.save_copy(path)
        except (ProjectError, OSError) as exc:
            self.ctx.notifier.error(self.tr("Cannot save project"), user_message(exc))
            return False
        return self.open_path(path)

    def close(self) -> None:
        self.session.close()

    # ----- recent files -------------------------------------------------------------------------

    def _fill_recent(self) -> None:
        menu = self.recent_menu
        menu.clear()
        files = self.prefs.recent_files
        for i, path in enumerate(files, 1):
            action = menu.addAction(f"&{i} {menu_text(Path(path).name)}")
            action.setToolTip(plain_tip(path))
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))
        if files:
            menu.addSeparator()
            menu.addAction(self.tr("&Clear Menu"), self.prefs.clear_recent)
        else:
            menu.addAction(self.tr("No recent projects")).setEnabled(False)
