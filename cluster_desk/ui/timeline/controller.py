"""The window as of a past date, the passport export and the year-end snapshot.

Viewing the past is a view, not an edit: the map shows the participants of that day, the roster
is filtered to them, the assessment panel shows the checks on that day (core.timeline.assess_on,
the same call as ``cluster-desk check --as-of``), and every editing path is off (actions, map
drags, in-place table edits) until "Back to Today".

The controller is handed the app context, the editing actions to switch off and the map's link
layer. The map it changes itself, incrementally (past_map.py: members and a link mask, only what a
step changes); what viewing the past does to the other parts (roster and its Status column, status
counts, assessment) it announces as signals that the main window wires (``pastShown`` with a
``PastDay``, ``todayShown``, ``readOnlyChanged``). Assessments per day are cached and the slider's
year-ends assessed ahead off the GUI thread (day_cache.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QFileDialog

from cluster_desk.text import dates
from cluster_desk.ui.timeline.day_cache import DayCache, Submit
from cluster_desk.ui.timeline.dock import TimelineDock
from cluster_desk.ui.timeline.past_map import PastMap
from cluster_desk.ui.timeline.span import YearSpanReader
from cluster_desk.ui.widgets.plain_text import inform

if TYPE_CHECKING:
    from collections.abc import Callable

    from cluster_desk.core.check_facts import CheckResult
    from cluster_desk.core.timeline import DayStatus
    from cluster_desk.ui.context import AppContext
    from cluster_desk.ui.exchange.export_job import ExportJob
    from cluster_desk.ui.project.session import ChangeSet


#: From this many members an opened project's span is read after its first assessment is shown.
SPAN_AFTER_ASSESSED_FROM = 250_000


@dataclass(frozen=True)
class PastDay:
    """What the window shows of a past day (the map is already changed when this is announced)."""

    day: str  # ISO
    label: str  # "As of 31.12.2021" in the interface language
    #: = cluster-desk check --as-of day; None while they are assessed (``pastChecked`` brings them)
    results: list[CheckResult] | None
    ids: list[str]  # that day's participants
    #: The same as (an id array kept while the project does not change, a mask over it): the
    #: roster filters with it in one vectorised pass (RosterProxy.set_ids' ``among``).
    among: tuple[Any, Any]
    counts: dict[str, int]  # core.timeline.counts_on: members, candidates, former, unlocated, total
    status_of: Callable[[str], DayStatus | None]  # a member's status that day (None: not in the project)


class TimelineController(QObject):
    #: The past on screen (a PastDay).
    pastShown = Signal(object)
    #: The checks of the day shown, assessed after it was (a list of CheckResult).
    pastChecked = Signal(object)
    #: Back to the live project.
    todayShown = Signal()
    #: Editing is off (True) while the past is shown, and on again (False) after.
    readOnlyChanged = Signal(bool)
    #: The day cache's arrays are made (emitted on the thread that made them).
    _built = Signal()
    #: A day's checks assessed (emitted on the thread that ran them).
    _day_assessed = Signal(str)

    def __init__(self, ctx: AppContext, editing_actions: Callable[[], list[QAction]], link_layer: Any,
                 submit: Submit | None = None) -> None:
        """``link_layer``: the map's links (ui.links.map_layer); ``submit``: where assessments of
        days ahead run (day_cache.DayCache; default a private background thread)."""
        super().__init__(ctx.dialog_parent)
        self.ctx = ctx
        self.session = ctx.session
        self._editing_actions = editing_actions
        self.day = ""  # "" = today (live and editable)
        self.days = DayCache(self.session, submit)
        self.days.built = self._built.emit  # (from the thread that made them: queued to this one)
        self._built.connect(self._arrays_built)
        # (queued even when the run had ended already: the day's checks follow its pastShown)
        self._day_assessed.connect(self._checks_arrived, Qt.ConnectionType.QueuedConnection)
        self.results: list[CheckResult] | None = None  # the checks of the day shown (None: coming)
        app = QCoreApplication.instance()
        if app is not None:  # days assessed ahead must not hold the process open at exit
            app.aboutToQuit.connect(self.days.close)
        self.past_map = PastMap(self.session, ctx.map, link_layer)
        self.days.after_built = self.past_map.finder  # (the link rows found with the arrays)
        # Changes while the past is shown (another process, a team sync) are shown once settled.
        self._reshow = QTimer(self, singleShot=True, interval=0)
        self._reshow.timeout.connect(lambda: self._show_past() if self.day else None)
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
        self._span = YearSpanReader(self)
        self._span.arrived.connect(self._years_arrived)
        self._years_token = 0
        self._years_stale = False
        #: A big project's span waits for its first assessment (``_set_years``).
        self._assessed_since_open = False
        self.jobs: list[ExportJob] = []  # passports and snapshots running (off the GUI thread)
        self.session.changed.connect(self._session_changed)
        self.session.assessed.connect(self._assessed)
        self.session.openPainted.connect(self._open_painted)
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
        self.days.drop()
        if not change.reset and self.day:
            self._reshow.start()
        if change.reset:
            if self.day:
                self.show_day("")  # a project opened or closed: back to the live view
            self._update_enabled()
            self._years_token += 1  # answers read for the project before are dropped
            self._years_stale = True
            self._assessed_since_open = False
            # The slider's span once the open has sent the map its layers, not in front of them.
            QTimer.singleShot(0, self, self._set_years)
        elif _may_move_dates(change):
            self._years_stale = True
            if self.dock.isVisible():  # else read when the dock is shown (a drag at 1M: no 1.5 s scan)
                self._set_years()

    @property
    def years_pending(self) -> bool:
        """The slider's span is being read (or is out of date and will be read when the dock shows)."""
        return self._years_stale or self._span.busy

    def _set_years(self) -> None:
        """Read the slider's span off the GUI thread (span.py): two scans of unindexed date
        columns, ~60 ms at 100,000 members and ~1.5 s at 1,000,000."""
        path = self.session.path if self.session.is_open else None
        if path is not None and self.session.painting:
            # The map is painting the open: the scan would take the core (and at times the GIL)
            # its paint needs; it runs once the paint is done (issue 17).
            self._years_stale = True
            return
        if (path is not None and not self._assessed_since_open
                and len(self.session.members) >= SPAN_AFTER_ASSESSED_FROM):
            # A big project's scan would share the cores with the worker's first read and rules
            # (issue 17: 0.45-0.8 s of CPU beside them at 1,000,000): it runs once they are shown.
            self._years_stale = True
            return
        self._years_stale = False
        if path is None:
            self._show_years(self.session.dated_years() if self.session.is_open else None)
            return
        self._span.read(path, self._years_token)

    def _open_painted(self) -> None:
        if self._years_stale:
            self._set_years()

    def _years_arrived(self, token: object, span: tuple[int, int] | None, read: bool) -> None:
        if token != self._years_token or not self.session.is_open:
            return  # read for a project closed since
        if not read:  # busy or gone: read again when the dock is next shown
            self._years_stale = True
            return
        self._show_years(span)
        if self.day:
            self._prefetch()  # the new span's year-ends
        elif self.dock.isVisible():  # (after an edit, today shown: the first step's year only)
            self._prefetch(first=1)

    def _show_years(self, span: tuple[int, int] | None) -> None:
        this_year = date.today().year
        self.widget.set_years(span[0] if span else this_year, this_year)

    def _assessed(self, results: list[Any]) -> None:
        if results and not self._assessed_since_open:  # (a close or reset says [])
            self._assessed_since_open = True
            if self._years_stale and self.session.is_open:
                self._set_years()
        if self.day:  # a late live assessment must not overwrite the past on screen
            self._show_past()

    def _dock_shown(self, shown: bool) -> None:
        if not shown and self.day:
            self.show_day("")
        elif shown and self.session.is_open:
            if self._years_stale:  # dates edited while the dock was hidden
                self._set_years()
            # The slider is in reach: the arrays made off this thread (``_arrays_built``), then its
            # year-ends assessed ahead.
            self.days.build()
            self._prefetch()
            if self.days.ready_arrays() is not None:
                self._arrays_built()

    def _arrays_built(self) -> None:
        """The map's masks over the new arrays made now, not on the first step (their 300,000
        link rows found on the arrays' thread: the slots from them here)."""
        a = self.days.ready_arrays()
        if a is not None and self.session.is_open and self.dock.isVisible():
            self.past_map.prepare(a, self.days.beside(a))

    def _prefetch(self, first: int | None = None) -> None:
        """The slider's year-ends, nearest the day shown first, assessed off the GUI thread
        (``first``: only that many of them). With the dock open and today shown, every edit
        asks for the nearest one only; the rest when a past day is shown (each year-end is an
        assessment: at 100,000 members ~10 of them, 1-2 s of CPU beside the next edit's checks
        after each edit, at 1,000,000 ~10 times that, issue 17)."""
        year = int(self.day[:4]) if self.day else date.today().year
        ends = sorted(self.widget.year_ends(), key=lambda d: abs(int(d[:4]) - year))
        self.days.prefetch(ends[:first])

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
            if not was:
                self._prefetch()
        elif was:
            self._set_read_only(False)
            self.past_map.today(self.days.ready_arrays())
            self.todayShown.emit()
            self.session.assess_now()  # the live checks back in the panel and on the map
        self._update_enabled()

    def _show_past(self) -> None:
        from cluster_desk.core.timeline import DayStatus, counts_on, statuses_on

        day = self.day
        a = self.days.arrays()
        # Not assessed ahead: the checks start on the worker while the map changes here.
        self.days.prefetch([day])
        part = self.days.participants(day)
        # The map's part of the step and the window's (outside rings) in one message, one paint
        # (the window sends it once its map part is done: MapView.send_held).
        with self.ctx.map.held():
            self.past_map.show(a, day, part, self.days.beside(a))
            codes = statuses_on(a, day)
            index = a.index

            def status_of(member_id: str) -> DayStatus | None:
                row = index.get(member_id)
                return None if row is None else DayStatus(int(codes[row]))

            ids = a.ids[part].tolist()
            # The checks of a day not assessed ahead follow once the worker has them: the map and
            # the roster do not wait (at 100,000 members ~0.13-0.3 s frozen before).
            results = self.results = self._checks_of(day)
            self.pastShown.emit(PastDay(day, self._day_text(), results, ids, (a.ids, part),
                                        counts_on(codes, a.located), status_of))

    def _checks_of(self, day: str) -> list[CheckResult] | None:
        """The day's checks if assessed; None while a run for it is under way (``_checks_arrived``
        follows it); with no run under way (a failed one) assessed here, so its error surfaces."""
        results = self.days.ready(day)
        if results is None and not self.days.when_assessed(day, lambda: self._day_assessed.emit(day)):
            results = self.days.results(day)
        return results

    def _checks_arrived(self, day: str) -> None:
        if day != self.day or self.results is not None:
            return  # another day shown since, or shown again with its checks
        self.results = self._checks_of(day)  # (None: a run started again since, the project changed)
        if self.results is not None:
            self.pastChecked.emit(self.results)

    def _day_text(self) -> str:
        return self.tr("As of %1").replace("%1", dates.day(self.day, self.ctx.lang))

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

    def export_to(self, dest: Path) -> ExportJob | None:
        """Write the passport of what the window shows (today, or the day viewed), off the GUI
        thread from the file's committed state (passport_work.py); the job (None: no project)."""
        from cluster_desk.ui.exchange.export_job import ExportJob
        from cluster_desk.ui.timeline.passport_work import passport_page

        s = self.session
        path = s.path if s.is_open else None
        if path is None:
            return None
        day, lang, name = self.day or None, self.ctx.lang, s.display_name()

        def work(progress: Any, cancel: Any) -> Path | None:
            return passport_page(path, dest, day=day, lang=lang, name=name, progress=progress, cancel=cancel)

        def printed(page: Path | None, finish: Any) -> None:
            from cluster_desk.ui.timeline.passport_print import PdfPrint

            if page is None:  # the HTML passport: written by the worker
                finish(None)
            else:
                PdfPrint(page, dest, finish, lambda: job.cancel_requested, job)

        stages = {"read": (self.tr("Reading the project…"), 0, 20),
                  "assess": (self.tr("Assessing the cluster…"), 20, 45),
                  "draw": (self.tr("Drawing the charts and the map…"), 45, 75),
                  "write": (self.tr("Writing %1…"), 75, 85),
                  "after": (self.tr("Printing the PDF…"), 85, 100)}
        job = ExportJob(work, dest, kind="passport", stages=stages, parent_widget=self.ctx.dialog_parent,
                        owner=self, title=self.tr("Exporting the passport"), after=printed)
        job.done.connect(self._passport_done)
        self.jobs.append(job)
        return job

    def _passport_done(self, job: ExportJob) -> None:
        self.jobs.remove(job)
        if job.error is not None:
            self.ctx.notifier.error(self.tr("Export failed"), job.error)
        elif job.cancelled:
            said = self.tr("Export cancelled: %1 was not written").replace("%1", str(job.dest))
            self.ctx.notifier.status(said)
        else:
            done = self.tr("Wrote the passport to %1").replace("%1", str(job.dest))
            self.ctx.notifier.status(done, path=job.dest)

    def freeze_year_end(self, day: str | None = None) -> ExportJob | None:
        """Keep the assessment as of ``day`` (default: last 31 December) in the project: assessed
        off the GUI thread on the file's arrays, then written here in one small transaction; the
        job (None: no project open, or the past is shown)."""
        from cluster_desk.report.snapshots import last_year_end
        from cluster_desk.ui.exchange.export_job import ExportJob
        from cluster_desk.ui.timeline.passport_work import year_end_checks

        s = self.session
        if not s.is_open or self.day or s.path is None:
            return None
        path, when = s.path, day or last_year_end()

        def work(progress: Any, cancel: Any) -> list[dict[str, Any]]:
            return year_end_checks(path, when, progress=progress, cancel=cancel)

        stages = {"read": (self.tr("Reading the project…"), 0, 40),
                  "assess": (self.tr("Assessing the cluster as of %1…").replace("%1", when), 40, 100)}
        job = ExportJob(work, path, kind="snapshot", stages=stages, parent_widget=self.ctx.dialog_parent,
                        owner=self, title=self.tr("Year-End Snapshot"))
        job.done.connect(lambda j: self._snapshot_done(j, path, when, tell=day is None))
        self.jobs.append(job)
        return job

    def _snapshot_done(self, job: ExportJob, path: Path, when: str, *, tell: bool) -> None:
        from cluster_desk.report.snapshots import keep
        from cluster_desk.store.errors import ProjectError
        from cluster_desk.ui.i18n import user_message

        self.jobs.remove(job)
        s = self.session
        if job.cancelled:
            return
        if job.error is None and (not s.is_open or s.path != path):
            job.error = self.tr("The project was closed before the snapshot was kept.")
        if job.error is None:
            try:
                keep(s.project, when, job.result)
            except ProjectError as e:  # (a full disk, a file another program holds: one line)
                job.error = user_message(e)
            except (OSError, ValueError) as e:
                job.error = str(e)
        if job.error is not None:
            self.ctx.notifier.error(self.tr("Snapshot failed"), job.error)
            return
        kept = self.tr("The assessment as of %1 is kept in the project.").replace("%1", when)
        if tell:
            inform(self.ctx.dialog_parent, self.tr("Year-End Snapshot"), kept)
        else:
            self.ctx.notifier.status(kept)


def _may_move_dates(change: ChangeSet) -> bool:
    """Could this edit have changed a date, so the slider's span? Not a marker drag (positions
    only) nor a settings change."""
    if change.origin == "map" and change.upserted <= change.moved and not change.removed:
        return False
    return bool(change.upserted or change.removed or change.links)
