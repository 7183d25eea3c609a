"""The main window: composes the map, the roster, the assessment and the legend; menus come
from actions.py, edits from commands.py, file handling from project_files.py. It holds no
domain logic (Picard's thin window, not its 1800-line tagger).

Why ~530 lines: the window composes every part and wires their signals (menus, docks, the past
view, the first open's order); it holds no domain logic.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from cluster_desk import APP_NAME
from cluster_desk.ui.assessment.check_marks import CheckMarks
from cluster_desk.ui.assessment.panel import AssessmentPanel
from cluster_desk.ui.charts.dock import ChartsDock
from cluster_desk.ui.context import AppContext, Notifier
from cluster_desk.ui.exchange.controller import RosterExchange
from cluster_desk.ui.i18n import ui_text
from cluster_desk.ui.links.controller import LinksController
from cluster_desk.ui.map.area import MapArea
from cluster_desk.ui.map.fit_circles import FitCircles
from cluster_desk.ui.map.legend import Legend
from cluster_desk.ui.map.sync import MapSync
from cluster_desk.ui.map.view import MapView
from cluster_desk.ui.offline.controller import OfflineMaps
from cluster_desk.ui.preferences import Preferences
from cluster_desk.ui.project.copies_dialog import AutomaticCopies
from cluster_desk.ui.project.edit_controller import EditController
from cluster_desk.ui.project.files import ProjectFiles, dropped_project
from cluster_desk.ui.project.session import ChangeSet, ProjectSession
from cluster_desk.ui.roster.model import RosterModel
from cluster_desk.ui.roster.panel import RosterPanel
from cluster_desk.ui.shell.actions import Actions
from cluster_desk.ui.shell.first_open import paint_map_first, warm_after_first_paint
from cluster_desk.ui.shell.start_page import StartPage
from cluster_desk.ui.team.controller import TeamController
from cluster_desk.ui.timeline.controller import PastDay, TimelineController
from cluster_desk.ui.widgets.plain_text import plain_tip, title_text, warn

if TYPE_CHECKING:
    from cluster_desk.core.check_facts import CheckResult

ErrorReporter = Callable[[str, str], None]


class MainWindow(QMainWindow):
    def __init__(self, preferences: Preferences | None = None, lang: str = "en",
                 parent: QWidget | None = None, map_view: MapView | None = None) -> None:
        """``map_view``: the map's web view made beforehand (run_app makes it first, so that
        Chromium starts while the rest is built); else one is made here."""
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.prefs = preferences or Preferences()
        self.lang = lang
        #: Shows an error to the user; tests replace it to catch messages without a modal box.
        self.report_error: ErrorReporter = self._message_box
        self.session = ProjectSession(self)
        self.actions = Actions(self, self.session.undo_stack)

        # ----- parts ----------------------------------------------------------------------------
        self.map = map_view or MapView()
        self.map.set_language(lang)
        self.sync = MapSync(self.session, self.map, self)
        self.start_page = StartPage(self.actions, self.prefs)
        self.legend = Legend()
        area = MapArea(self.map, self.legend, self.start_page)
        self.setCentralWidget(area)
        # The legend collapses or opens once the window has its size: keep the opening fit clear of it.
        area.legendPlaced.connect(lambda: self.session.is_open and self.map.refit_padding(self._padding()))

        #: What every part is handed (no part sees this window).
        self.notifier = Notifier(self)
        self.ctx = AppContext(self.session, self.prefs, self.map, self.actions, self.notifier, lang, self)
        self.offline = OfflineMaps(self.ctx)  # search box, basemaps, online tiles, offline areas

        self.roster_model = RosterModel(self.session, self, lang=lang)
        self.roster = RosterPanel(self.roster_model)
        self.assessment = AssessmentPanel(self.actions.fit_circle)
        self.roster_dock = self._dock("roster", self.tr("Roster"), self.roster,
                                      Qt.DockWidgetArea.BottomDockWidgetArea)
        self.assessment_dock = self._dock("assessment", self.tr("Assessment"), self.assessment,
                                          Qt.DockWidgetArea.RightDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.resizeDocks([self.assessment_dock], [400], Qt.Orientation.Horizontal)
        self.resizeDocks([self.roster_dock], [320], Qt.Orientation.Vertical)

        self.files = ProjectFiles(self.ctx)
        self.copies = AutomaticCopies(self.ctx, self.files)  # File › Automatic Copies…
        self.actions.automatic_copies.triggered.connect(self.copies.show)
        self.start_page.openRequested.connect(self.files.open_path)
        self.edits = EditController(self.ctx, self.sync, self.roster, tile_cache_owner=self.offline)
        self.exchange = RosterExchange(self.ctx, self.edits.selected)
        self.fit_circles = FitCircles(self.session, self.map, self.legend, self)  # issue 13
        self.edits.circlesFitted.connect(self.fit_circles.show)
        self.team = TeamController(self.ctx)  # File › Team Server, status indicator
        self.team.openRequested.connect(self.files.open_path)
        self.links = LinksController(self.ctx, self.roster, self.legend)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.links.dock)
        self.tabifyDockWidget(self.roster_dock, self.links.dock)
        self.roster_dock.raise_()
        self.timeline = TimelineController(self.ctx, self._editing_actions, self.links.layer)
        self.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, self.timeline.dock)
        self.timeline.pastShown.connect(self._show_past)
        self.timeline.pastChecked.connect(self._show_past_checks)
        self.timeline.todayShown.connect(self._show_today)
        self.timeline.readOnlyChanged.connect(self._set_read_only)
        self.roster.selectionChanged.connect(lambda _ids: self.timeline.enforce_read_only())
        self._edit_triggers = self.roster.view.editTriggers()
        self.charts = ChartsDock(self.ctx, lambda: self.timeline.day)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.charts.dock)
        self.timeline.widget.dayChosen.connect(lambda _d: self.charts.refresh())
        self._build_menus()
        self._build_status_bar()

        # ----- wiring ---------------------------------------------------------------------------
        # Cross-part effects are signals wired here, never one part reaching into another.
        self.notifier.statusShown.connect(self._show_status)
        self.notifier.errorShown.connect(lambda title, text: self.report_error(title, text))
        self.files.opened.connect(self.fit_cluster)
        # The first open: the map paints before the roster (its first paint loads the subjects'
        # index), and what an open imports on first use is imported once the page has painted.
        self._first_open_done = False
        self.files.opened.connect(self._paint_map_first)
        self.warmed = warm_after_first_paint(self.map)
        # Members the roster's filter hides fade on the map (once typing pauses).
        self._fade_timer = QTimer(self, singleShot=True, interval=120)
        self._fade_timer.timeout.connect(lambda: self.map.set_shown(self.roster.proxy.fade_set()))
        self.roster.proxy.filterChanged.connect(self._fade_timer.start)
        self.session.changed.connect(
            lambda _c: self._fade_timer.start() if self.roster.proxy.active else None)
        self.edits.preferencesChanged.connect(self.offline.apply_online_tiles)
        self.offline.search.placeChosen.connect(self.edits.place_found)
        self.session.changed.connect(self._session_changed)
        self.session.assessed.connect(self._assessed)
        self.session.assessmentPending.connect(self.assessment.set_updating)
        self.session.errorOccurred.connect(lambda text: self.report_error(self.tr("Edit failed"), text))
        self.assessment.radiusEdited.connect(self.sync.set_radius)
        self.checks = CheckMarks(self.assessment, self.roster, self.map, self.links, self._fade_timer, self)
        self._first_checks_to_come = False  # an open's (_assessed: the map's members made ahead)
        self.assessment.checkClicked.connect(self._check_clicked)
        self.assessment.cardsApproached.connect(self.checks.prepare_view)
        self.assessment.planner.attach(self.session)
        self.assessment.planner.candidateClicked.connect(lambda mid: self.map.select(mid, pan=True))
        self.roster.checkFilterCleared.connect(self.checks.clear)
        self.map.cursorMoved.connect(self._cursor_moved)
        self.map.ready.connect(self._install_drop_filter)
        if self.map.is_ready:  # the page may have started while the window was being imported
            self._install_drop_filter()
        self.actions.fit_all.triggered.connect(lambda: self.sync.fit_members_in_circle(self._padding()))
        self.actions.fit_everything.triggered.connect(self.map.fit_all)
        self.actions.find.triggered.connect(self._find)
        self.actions.about.triggered.connect(self._about)
        self.actions.quit.triggered.connect(self.close)

        self.setAcceptDrops(True)
        self.resize(1400, 900)
        self._update_title()
        self._update_enabled()
        self.offline.restore()

    # ----- composition ------------------------------------------------------------------------

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{name}_dock")  # saveState needs names
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def _build_menus(self) -> None:
        a = self.actions
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addActions([a.new, a.open])
        file_menu.addMenu(self.files.recent_menu)
        file_menu.addAction(a.open_demo)
        file_menu.addSeparator()
        file_menu.addActions([a.save_as, a.automatic_copies, a.close])
        file_menu.addSeparator()
        file_menu.addActions([a.import_roster, a.export_roster])
        file_menu.addSeparator()
        file_menu.addActions([self.timeline.export_passport, self.timeline.freeze])
        file_menu.addSeparator()
        file_menu.addActions([a.field_copy, a.merge_copy])
        file_menu.addSeparator()
        file_menu.addActions([a.team_connect, a.team_sync])
        file_menu.addSeparator()
        file_menu.addAction(a.quit)

        edit_menu = bar.addMenu(self.tr("&Edit"))
        edit_menu.addActions([a.undo, a.redo])
        edit_menu.addSeparator()
        edit_menu.addActions([a.add_member, a.add_member_form, a.edit_member, a.place_member,
                              a.delete_members])
        edit_menu.addMenu(self.edits.set_status_menu)
        edit_menu.addMenu(self.edits.set_kind_menu)
        edit_menu.addAction(a.member_history)
        edit_menu.addSeparator()
        edit_menu.addAction(a.find)

        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.addActions([a.fit_all, a.fit_everything])
        view_menu.addAction(a.find_place)
        view_menu.addMenu(self.offline.basemap_menu)
        view_menu.addMenu(self.offline.regional.menu)
        view_menu.addAction(a.show_towns)
        view_menu.addAction(a.make_offline)
        view_menu.addSeparator()
        for dock in (self.roster_dock, self.assessment_dock, self.timeline.dock, self.charts.dock):
            view_menu.addAction(dock.toggleViewAction())
        self.legend_action = view_menu.addAction(self.tr("Legend"))
        self.legend_action.setCheckable(True)
        self.legend_action.setChecked(True)
        self.legend_action.toggled.connect(
            lambda on: self.legend.setVisible(on and self.session.is_open))
        view_menu.addSeparator()
        view_menu.addAction(a.language)

        self.links.add_to_menus(edit_menu, view_menu)

        cluster_menu = bar.addMenu(self.tr("&Cluster"))
        cluster_menu.addActions([a.settings, a.fit_circle, a.draw_radius])

        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(a.about)

        tools = QToolBar(self.tr("Main toolbar"), self)
        tools.setObjectName("main_toolbar")
        tools.setMovable(False)
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tools.addActions([a.open, a.undo, a.redo])
        tools.addSeparator()
        tools.addActions([a.add_member, a.place_member, a.edit_member, a.delete_members])
        tools.addSeparator()
        tools.addActions([a.fit_all, a.fit_circle, a.draw_radius, a.settings])
        tools.addSeparator()
        tools.addAction(self.links.link_mode)
        self.addToolBar(tools)
        self.toolbar = tools
        # The place search on the right of the same row, in a toolbar of its own: when the window
        # is narrow (or the labels long, as in Russian) the buttons fold into the "»" menu first
        # and the search box stays visible.
        find = QToolBar(self.tr("Find a place"), self)
        find.setObjectName("search_toolbar")
        find.setMovable(False)
        spacer = QWidget()  # pushes the search box to the right end
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        find.addWidget(spacer)
        find.addWidget(self.offline.search)
        find.setMinimumWidth(self.offline.search.minimumWidth() + 16)  # never folds away
        self.addToolBar(find)
        self.search_toolbar = find

        # The roster's context menu: the member actions plus bulk edits.
        view = self.roster.view
        view.addActions([a.edit_member, a.place_member, a.member_history, a.delete_members])
        view.addAction(self.edits.set_status_menu.menuAction())
        view.addAction(self.edits.set_kind_menu.menuAction())

    def _build_status_bar(self) -> None:
        self.count_label = QLabel()
        self.cursor_label = QLabel()
        self.cursor_label.setMinimumWidth(170)
        self.cursor_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # "Open folder" after a message about a file written (exports, field copies).
        self.folder_link = QLabel()
        self.folder_link.setObjectName("folder_link")
        self.folder_link.setTextFormat(Qt.TextFormat.RichText)
        self.folder_link.linkActivated.connect(lambda url: QDesktopServices.openUrl(QUrl(url)))
        self.folder_link.hide()
        bar = self.statusBar()
        bar.addPermanentWidget(self.folder_link)  # a temporary message would hide a normal one
        bar.messageChanged.connect(lambda text: self.folder_link.setVisible(
            bool(text) and text == self._linked_message))
        self._linked_message = ""
        bar.addPermanentWidget(self.count_label)
        bar.addPermanentWidget(self.cursor_label)
        bar.addPermanentWidget(self.team.indicator)

    def _show_status(self, text: str, ms: int, path: str) -> None:
        """A part's status message; with a path, a link that opens the folder it is in."""
        self._linked_message = text if path else ""
        if path:
            folder = Path(path) if Path(path).is_dir() else Path(path).parent
            url = QUrl.fromLocalFile(str(folder)).toString()
            label = html.escape(self.tr("Open folder"))
            self.folder_link.setText(f'<a href="{html.escape(url)}">{label}</a>')
            self.folder_link.setToolTip(plain_tip(str(folder)))
        if text:
            self.statusBar().showMessage(text, ms)
        else:
            self.statusBar().clearMessage()

    # ----- session events ---------------------------------------------------------------------

    def _session_changed(self, change: ChangeSet) -> None:
        if change.reset:
            self.start_page.setVisible(not self.session.is_open)
            self.legend.setVisible(self.session.is_open and self.legend_action.isChecked())
            self.start_page.refresh()
            self.assessment.select("")
            self.roster.clear_check_filter()
            self.checks.prepare_view_ahead = True  # (the open's first checks: see CheckMarks)
            self._first_checks_to_come = self.session.is_open
            self.sync.highlight([])
            if not self.session.is_open:
                self.map.clear_circle()
            self._update_enabled()
        if change.reset or change.settings:
            self._update_title()
            if self.session.is_open:
                self.assessment.show_norm(self.session.settings, opened=change.reset)
        self.timeline.enforce_read_only()  # (a change shown in the past view enables nothing)

    def _assessed(self, results: list) -> None:
        self.assessment.set_settings(self.session.settings, self.session.centre)
        if self.timeline.day:
            return  # the past is on screen: the live checks come back with "Back to Today"
        self.assessment.set_results(results, self.session.settings)
        if self.assessment.selected and self.assessment.selected in self.assessment.results:
            self.checks.show(self.assessment.selected)  # its members may have changed
        self.checks.look_ahead()
        if self._first_checks_to_come:  # (what the open's first edit would make, made ahead)
            self._first_checks_to_come = False
            self.map.make_members_ahead()
        self._update_counts()

    def _update_counts(self, counts: dict[str, int] | None = None, day_label: str = "") -> None:
        """Status counts of today, or of the past day shown (``counts`` from core.timeline)."""
        if not self.session.is_open:
            self.count_label.setText("")
            return
        c = counts if counts is not None else self.session.counts()
        number = ui_text().number  # (grouped as the language writes it: "91,934", "91 934")
        # One phrase a count, each in its plural ("1 candidate"; it said "1 candidates").
        parts = (self.tr("%1 member(s)", "status bar", c["members"]),
                 self.tr("%1 candidate(s)", "status bar", c["candidates"]),
                 self.tr("%1 unlocated", "status bar"))
        counts_shown = (c["members"], c["candidates"], c["unlocated"])
        text = " · ".join(p.replace("%1", number(n)) for p, n in zip(parts, counts_shown, strict=True))
        self.count_label.setText(f"{day_label}: {text}" if day_label else text)

    def _update_title(self) -> None:
        path = self.session.path
        if path is None:
            self.setWindowTitle(APP_NAME)
            self.setWindowFilePath("")
            return
        self.setWindowFilePath(str(path))
        self.setWindowTitle(title_text(f"{self.session.display_name()} — {path.name} — {APP_NAME}"))

    def _update_enabled(self) -> None:
        is_open = self.session.is_open
        for action in self.actions.project_actions:
            action.setEnabled(is_open)
        self.roster_dock.setEnabled(is_open)
        self.assessment.setEnabled(is_open)
        self.edits.update_enabled()
        self.links.update_enabled()  # (link mode: off while the past was shown)

    # ----- the past as a view (ui.timeline announces it; the parts follow here) -----------------

    def _editing_actions(self) -> list[QAction]:
        a = self.actions
        return [a.undo, a.redo, a.add_member, a.edit_member, a.delete_members, a.place_member, a.settings,
                a.fit_circle, a.draw_radius, a.import_roster, a.merge_copy, self.links.link_mode,
                self.links.add_link, self.edits.set_status_menu.menuAction(),
                self.edits.set_kind_menu.menuAction()]

    def _show_past(self, past: PastDay) -> None:
        # The map is the timeline's (incremental: ui/timeline/past_map.py); the rest follows here.
        # The outside rings go in the step's one message (MapView.held: one paint), which then
        # leaves: the page paints while the window catches up.
        if past.results is not None:
            self.sync.apply_results(past.results)
        self.map.send_held()
        if past.results is not None:
            self.assessment.set_results(past.results, self.session.settings)
        self.assessment.set_updating(past.results is None)  # (the day's checks on their way)
        self.roster_model.show_day_status(past.status_of)
        # (the members the day's filter hides are off the map: nothing fades, the links neither,
        # no keep set of ~65,000 ids built and sent a step at 100,000 members)
        self.roster.set_check_filter(past.label, past.ids, past.among, off_map=True)
        # The day's fade right after, not timers later (a flash, a second paint).
        self._fade_timer.stop()
        self.map.set_shown(self.roster.proxy.fade_set())
        self.links.fade_now()
        self._update_counts(past.counts, past.label)

    def _show_past_checks(self, results: list[CheckResult]) -> None:
        self.sync.apply_results(results)
        self.assessment.set_results(results, self.session.settings)
        self.assessment.set_updating(False)

    def _show_today(self) -> None:
        self.roster_model.show_day_status(None)
        # (the fade too when no check's filter was on: the members coming back are kept unfaded
        # by the page, and a user's own filter may hide some of them)
        self.checks.clear()
        self._update_counts()

    def _set_read_only(self, on: bool) -> None:
        self.sync.set_read_only(on)
        self.roster.view.setEditTriggers(
            QAbstractItemView.EditTrigger.NoEditTriggers if on else self._edit_triggers)
        self.links.dock.widget().setEnabled(not on)
        self.assessment.radius.setEnabled(not on)  # editing it would change the settings
        if not on:
            self._update_enabled()
            self.actions.undo.setEnabled(self.session.undo_stack.canUndo())
            self.actions.redo.setEnabled(self.session.undo_stack.canRedo())

    # ----- checks ------------------------------------------------------------------------------

    def _check_clicked(self, check_id: str) -> None:
        if not check_id:
            self.checks.clear()
            return
        self.checks.show(check_id)

    def _paint_map_first(self) -> None:
        if not self._first_open_done:
            self._first_open_done = True
            paint_map_first(self.map, self.roster.view)

    def fit_cluster(self) -> int:
        """Show the cluster circle filling the map, beside the floating legend rather than under
        it (whichever side leaves the larger square: left of it or below it)."""
        return self.sync.fit_cluster(self._padding())

    def _padding(self) -> tuple[int, int, int, int]:
        """Map padding (left, top, right, bottom) that keeps the floating legend clear."""
        pad = 24
        padding = (pad, pad, pad, pad)
        if self.legend.isVisible():
            w, h = self.map.width(), self.map.height()
            lg = self.legend.geometry()
            right = w - lg.left() + pad  # keep the legend's columns clear
            top = lg.bottom() + pad  # or its rows
            beside = min(w - right - pad, h - 2 * pad)
            below = min(w - 2 * pad, h - top - pad)
            if max(beside, below) > 0.6 * min(w - 2 * pad, h - 2 * pad):
                padding = (pad, pad, right, pad) if beside >= below else (pad, top, pad, pad)
        return padding

    # ----- small handlers -----------------------------------------------------------------------

    def _cursor_moved(self, lat: float, lon: float) -> None:
        ns = self.tr("N") if lat >= 0 else self.tr("S")
        ew = self.tr("E") if lon >= 0 else self.tr("W")
        number = ui_text().number  # "55,79000" in Russian
        self.cursor_label.setText(f"{number(abs(lat), 5)}° {ns}  {number(abs(lon), 5)}° {ew}")

    def _find(self) -> None:
        self.roster_dock.show()
        self.roster_dock.raise_()
        self.roster.focus_filter()

    def _about(self) -> None:
        from cluster_desk.ui.shell.about import about_text

        QMessageBox.about(self, self.tr("About Cluster Desk"), about_text())

    def _message_box(self, title: str, text: str) -> None:
        warn(self, title, text)

    # ----- drag and drop a project file -------------------------------------------------------

    def _install_drop_filter(self) -> None:
        # The web view's render widget takes drops itself; catch project files there too.
        proxy = self.map.focusProxy()
        if proxy is not None:
            proxy.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and dropped_project(event):
            event.acceptProposedAction()
            return True
        if event.type() == QEvent.Type.Drop and (path := dropped_project(event)):
            event.acceptProposedAction()
            self.files.open_path(path)
            return True
        return super().eventFilter(watched, event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_project(event):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = dropped_project(event)
        if path:
            event.acceptProposedAction()
            self.files.open_path(path)

    # ----- closing -----------------------------------------------------------------------------

    def restore_layout(self) -> None:
        if not self.prefs.geometry.isEmpty():
            self.restoreGeometry(self.prefs.geometry)
        if not self.prefs.window_state.isEmpty():
            self.restoreState(self.prefs.window_state)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.edits.cancel_forms()
        self.prefs.geometry = self.saveGeometry()
        self.prefs.window_state = self.saveState()
        self.prefs.sync()
        self.offline.close()
        self.team.stop()
        self.session.close(emit=False)
        super().closeEvent(event)
