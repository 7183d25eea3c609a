"""File menu parts that move rosters in and out: import, export, field copies, merge, history.

The dialogs themselves live in import_dialog.py, merge_dialog.py and history_dialog.py; this
controller only connects them to the window's actions, so main_window.py stays a composition.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QFileDialog

from cluster_desk.ui.context import AppContext
from cluster_desk.ui.exchange.export_job import ExportJobs
from cluster_desk.ui.i18n import ui_text

if TYPE_CHECKING:
    from cluster_desk.ui.exchange.export_job import ExportJob


class RosterExchange(QObject):
    def __init__(self, ctx: AppContext, selected: Callable[[], list[str]]) -> None:
        super().__init__(ctx.dialog_parent)
        self.ctx = ctx
        self.window = ctx.dialog_parent  # the dialogs' parent
        self.session = ctx.session
        self._selected = selected  # the roster's selected member ids
        self.jobs = ExportJobs()  # exports running now (off the GUI thread)
        a = ctx.actions
        a.import_roster.triggered.connect(self.import_roster)
        a.export_roster.triggered.connect(self.export_roster)
        a.field_copy.triggered.connect(self.field_copy)
        a.merge_copy.triggered.connect(self.merge_copy)
        a.member_history.triggered.connect(self.member_history)

    def import_roster(self) -> None:
        from cluster_desk.io.links import LinkImportReport
        from cluster_desk.text import import_summary
        from cluster_desk.text.reports import link_import_summary
        from cluster_desk.ui.exchange.import_run import run_import_dialog

        report = run_import_dialog(self.window, self.session)
        if isinstance(report, LinkImportReport):  # the status line keeps what the summary box said
            self.ctx.notifier.status(link_import_summary(report, ui_text()))
        elif report is not None:
            self.ctx.notifier.status(import_summary(report, ui_text()))

    def export_roster(self) -> None:
        if not self.session.is_open:
            return
        filters = {
            self.tr("CSV for Excel (*.csv)"): ".csv",
            self.tr("Excel workbook (*.xlsx)"): ".xlsx",
            self.tr("GeoJSON (*.geojson)"): ".geojson",
            self.tr("KML for Google Earth (*.kml)"): ".kml",
            self.tr("GeoPackage for QGIS (*.gpkg)"): ".gpkg",
            self.tr("Interactive HTML map (*.html)"): ".html",
        }
        links_table = self.tr("Links table, CSV (*.csv)")
        filters[links_table] = ".csv"
        base = self.session.path.with_suffix("") if self.session.path else Path("roster")
        path, chosen = QFileDialog.getSaveFileName(
            self.window, self.tr("Export Roster"), str(base) + ".csv", ";;".join(filters))
        if path and chosen == links_table:
            self.export_links_to(path)
        elif path:
            self.export_to(path, filters.get(chosen, ".csv"))

    def export_links_to(self, path: str | Path) -> ExportJob | None:
        """Write the links table (CSV/TSV: both ends' names and INNs, as `export --links` does),
        off the GUI thread; the job (None: no project open)."""
        path = Path(path)
        if path.suffix.lower() not in (".csv", ".tsv", ".txt"):
            path = path.with_name(path.name + ".csv")
        return self._start(path, "links")

    def export_to(self, path: str | Path, default_suffix: str = ".csv") -> ExportJob | None:
        """Write the roster in the format the suffix names (the chosen filter's, if none), off
        the GUI thread from the file's committed state; the job (None: no project open)."""
        from cluster_desk.io import EXPORT_SUFFIXES

        path = Path(path)
        if path.suffix.lower() not in EXPORT_SUFFIXES:
            path = path.with_name(path.name + default_suffix)
        return self._start(path, "roster")

    def _start(self, dest: Path, kind: str) -> ExportJob | None:
        """The records are read and written on a thread (export_job.py) while a progress dialog
        shows and the window stays usable; the outcome is said when it ends."""
        from cluster_desk.ui.exchange.export_job import export_job

        project_path = self.session.path
        if project_path is None:
            return None
        job = export_job(project_path, dest, kind, title=self.session.display_name(), lang=self.ctx.lang,
                         parent_widget=self.window, owner=self)
        self.jobs.add(job, self._ended)
        return job

    def _ended(self, job: ExportJob) -> None:
        number = ui_text().number
        if job.cancelled:
            said = self.tr("Export cancelled: %1 was not written").replace("%1", str(job.dest))
            self.ctx.notifier.status(said)
        elif job.error is not None:
            self.ctx.notifier.error(self.tr("Export failed"), job.error)
        elif job.kind == "links":
            said = self.tr("Exported %1 link(s) to %2", "", job.count).replace("%1", number(job.count))
            self.ctx.notifier.status(said.replace("%2", str(job.dest)), path=job.dest)
        elif job.links:
            said = (self.tr("Exported %1 members and %2 links to %3").replace("%1", number(job.count))
                    .replace("%2", number(job.links)).replace("%3", str(job.dest)))
            self.ctx.notifier.status(said, path=job.dest)
        else:
            said = (self.tr("Exported %1 member(s) to %2", "", job.count).replace("%1", number(job.count))
                    .replace("%2", str(job.dest)))
            self.ctx.notifier.status(said, path=job.dest)

    def field_copy(self) -> None:
        from cluster_desk.ui.exchange.merge_dialog import run_field_copy_dialog

        dest = run_field_copy_dialog(self.window, self.session)
        if dest is not None:
            self.ctx.notifier.status(self.tr("Field copy written to %1").replace("%1", str(dest)), path=dest)

    def merge_copy(self) -> None:
        from cluster_desk.ui.exchange.merge_dialog import run_merge_dialog

        run_merge_dialog(self.window, self.session)

    def member_history(self) -> None:
        ids = self._selected()
        if ids:
            self.show_history(ids[0])

    def show_history(self, member_id: str) -> QDialog | None:
        from cluster_desk.ui.project.history_dialog import show_history_dialog

        return show_history_dialog(self.window, self.session, member_id)
