"""The window as of a past date, the passport export and the year-end snapshot.

Viewing the past is a view, not an edit: the map shows the participants of that day, the roster
is filtered to them, the assessment panel shows the checks on that day (core.timeline.assess_on,
the same call as ``cluster-desk check --as-of``), and every editing path is off (actions, map
drags, in-place table edits) until "Back to Today".

The controller is handed the app context and the editing actions to switch off; what viewing the
past does to the other parts (map, roster, links, assessment) it announces as signals that the main
window wires (``pastShown``, ``todayShown``, ``readOnlyChanged``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMessageBox

from cluster_desk.ui.timeline.dock import TimelineDock

if TYPE_CHECKING:
    from collections.abc import Callable

    from cluster_desk.ui.context import AppContext
    from cluster_desk.ui.project.session import ChangeSet


class TimelineController(QObject):
    #: The past on screen: the checks on that day, the ids of that day's participants, a label.
    pastShown = Signal(object, list, str)
    #: Back to the live project.
    todayShown = Signal()
    #: Editing is off (True) while the past is shown, and on again (False) after.
    readOnlyChanged = Signal(bool)

    def __init__(self, ctx: AppContext, editing_actions: Callable[[], list[QAction]]) -> None:
        super().__init__(ctx.dialog_parent)
        self.ctx = ctx
        self.session = ctx.session
        self._editing_actions = editing_actions
        self.day = ""  # "" = today (live and editable)
        self._arrays: Any = None
        self.widget = TimelineDock(ctx.lang)
        self.dock = QDockWidget(self.tr("As of a Date"))
        self.dock.setObjectName("timeline_dock")
        self.dock.setWidget(self.widget)
        # Hidden until asked for (View › As of a Date): the map keeps its height for the present.
        self.dock.hide()
        self.dock.toggleViewAction().setShortcut("Ctrl+T")
        self.export_passport = QAction(self.tr("Export &Passport…"), self)
        self.export_passport.setStatusTip(self.tr("Write the cluster passport (A4 PDF or one HTML file) "
                                                  "as of the date shown"))
        self.freeze = QAction(self.tr("Freeze &Year-End Snapshot"), self)
        self.freeze.setStatusTip(self.tr("Keep the assessment as of 31 December in the project, so next "
                                         "year's passport shows the change since"))
        self.export_passport.triggered.connect(self.export_dialog)
        self.freeze.triggered.connect(self.freeze_year_end)
        self.widget.dayChosen.connect(self._apply)
        # Closing the dock while it shows the past goes back to today (the banner would be gone).
        self.dock.visibilityChanged.connect(self._dock_shown)
        self.session.changed.connect(self._session_changed)
        self.session.assessed.connect(self._assessed)
        self._update_enabled()

    # ----- menus ------------------------------------------------------------------------------------

    def _update_enabled(self) -> None:
        is_open = self.session.is_open
        self.export_passport.setEnabled(is_open)
        self.freeze.setEnabled(is_open and not self.day)
        self.widget.setEnabled(is_open)

    # ----- the past as a view -------------------------------------------------------------------------

    @property
    def editing_actions(self) -> list[QAction]:
        return [*self._editing_actions(), self.freeze]

    def enforce_read_only(self) -> None:
        """Switch the editing actions off again (other parts re-enable them on selection)."""
        if self.day:
            for action in self.editing_actions:
                action.setEnabled(False)

    def _session_changed(self, change: ChangeSet) -> None:
        self._arrays = None
        if change.reset:
            if self.day:
                self.show_day("")  # a project opened or closed: back to the live view
            span = self.session.dated_years()  # no records built for it on opening
            this_year = date.today().year
            self.widget.set_years(span[0] if span else this_year, this_year)
            self._update_enabled()

    def _assessed(self, results: list[Any]) -> None:
        if self.day:  # a late live assessment must not overwrite the past on screen
            self._show_past()

    def _dock_shown(self, shown: bool) -> None:
        if not shown and self.day:
            self.show_day("")

    def show_day(self, day: str) -> None:
        """Show the cluster as it was on ``day`` (ISO), or the live project for "" (the dock's
        controls follow, and the dock shows: its banner says editing is off)."""
        if day:
            self.dock.show()
        self.widget.show_day(day)

    def _apply(self, day: str) -> None:
        if not self.session.is_open:
            self.day = ""
            return
        was = self.day
        self.day = day
        if day:
            self.dock.show()
            if not was:
                self._set_read_only(True)
            self._show_past()
        elif was:
            self._set_read_only(False)
            self.todayShown.emit()
            self.session.assess_now()  # the live checks back in the panel and on the map
        self._update_enabled()

    def _roster_arrays(self) -> Any:
        """The roster as arrays, built once per state of the project (a slider step then only
        assesses: at 100,000 members building them is most of the cost)."""
        if self._arrays is None:
            from cluster_desk.core.checks.context import Arrays

            self._arrays = Arrays(list(self.session.members.values()), list(self.session.links.values()))
        return self._arrays

    def _show_past(self) -> None:
        import numpy as np

        from cluster_desk.core.assessment import assess_arrays

        s = self.session
        a = self._roster_arrays()
        results = assess_arrays(a, s.settings, on=self.day)  # = assess(..., on=day), as `check --on`
        ids = [a.members[i].id for i in np.flatnonzero(a.participants(self.day)).tolist()]
        self.results = results
        self.pastShown.emit(results, ids, self._day_text())

    def _day_text(self) -> str:
        d = date.fromisoformat(self.day)
        return self.tr("As of %1").replace("%1", d.strftime("%d.%m.%Y") if self.ctx.lang == "ru"
                                           else d.isoformat())

    def _set_read_only(self, on: bool) -> None:
        self.readOnlyChanged.emit(on)
        if on:
            self.enforce_read_only()

    # ----- passport and snapshot ------------------------------------------------------------------

    def export_dialog(self) -> None:
        if not self.session.is_open:
            return
        filters = {self.tr("PDF document (*.pdf)"): ".pdf", self.tr("Web page (*.html)"): ".html"}
        base = self.session.path.with_suffix("") if self.session.path else Path("passport")
        path, chosen = QFileDialog.getSaveFileName(self.ctx.dialog_parent, self.tr("Export Passport"),
                                                   f"{base}-passport.pdf", ";;".join(filters))
        if path:
            dest = Path(path)
            if dest.suffix.lower() not in (".pdf", ".html"):
                dest = dest.with_name(dest.name + filters.get(chosen, ".pdf"))
            self.export_to(dest)

    def export_to(self, dest: Path) -> bool:
        """Write the passport of what the window shows (today, or the day viewed)."""
        from cluster_desk.report import passport_data, write_passport
        from cluster_desk.report.snapshots import latest_before

        s = self.session
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            snapshot = latest_before(s.project, self.day or date.today().isoformat())
            data = passport_data(list(s.members.values()), list(s.links.values()), s.settings,
                                 lang=self.ctx.lang, day=self.day or None, name=s.display_name(),
                                 snapshot=snapshot)
            write_passport(data, dest)
        except (OSError, ValueError) as e:
            self.ctx.notifier.error(self.tr("Export failed"), f"{dest}: {e}")
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        done = self.tr("Wrote the passport to %1").replace("%1", str(dest))
        self.ctx.notifier.status(done, path=dest)
        return True

    def freeze_year_end(self, day: str | None = None) -> str | None:
        from cluster_desk.report.snapshots import freeze, last_year_end

        s = self.session
        if not s.is_open or self.day:
            return None
        when = day or last_year_end()
        try:
            freeze(s.project, list(s.members.values()), list(s.links.values()), s.settings, when)
        except (OSError, ValueError) as e:
            self.ctx.notifier.error(self.tr("Snapshot failed"), str(e))
            return None
        if day is None:
            kept = self.tr("The assessment as of %1 is kept in the project.").replace("%1", when)
            QMessageBox.information(self.ctx.dialog_parent, self.tr("Year-End Snapshot"), kept)
        return when
