"""The what-if planner tab: candidates ranked by what each would close, a selection of them, the
whole assessment "as if they joined" beside today's, and "Apply plan" as one undoable command.

The ranking and the "as if" assessment run on the session's worker thread (its "plan" lanes:
~0.1-0.5 s at 100,000 members): the GUI thread only fills the tables with what arrives. The
tab's arrays (core.checks.context.Arrays, kept between refreshes and brought up to date with
``refreshed``) are only ever touched by those jobs, which the one worker runs one after another."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cluster_desk.core.assessment import assess_arrays
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.planner import CandidateGain, apply_plan, rank_candidates
from cluster_desk.text.check_words import CheckWords
from cluster_desk.text.plan_text import PlanText
from cluster_desk.ui.i18n import ui_text

STATUS_MARK = {"ok": "✓", "warning": "!", "failing": "✗", "not_applicable": "–"}


class PlannerPanel(QWidget):
    """Shows the ranking once the tab is visible; the "as if" column follows the ticked rows."""

    candidateClicked = Signal(str)  # a candidate's id (the window selects it on the map)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: Any = None
        self.ranked: list[CandidateGain] = []
        self._arrays: Arrays | None = None
        self._stale = True
        self._filling = False
        self.intro = QLabel(self.tr("Tick candidates to see the assessment as if they joined."))
        self.intro.setWordWrap(True)
        self.candidates = QTableWidget(0, 3)
        self.candidates.setHorizontalHeaderLabels([self.tr("Candidate"), self.tr("Distance"),
                                                   self.tr("Would close")])
        self.candidates.verticalHeader().hide()
        self.candidates.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.candidates.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.candidates.setWordWrap(True)
        header = self.candidates.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.candidates.setColumnWidth(0, 170)
        self.candidates.itemChanged.connect(self._ticked)
        self.candidates.cellClicked.connect(self._clicked)
        self.compare = QTableWidget(0, 3)
        self.compare.setHorizontalHeaderLabels(
            [self.tr("Check"), self.tr("Today"), self.tr("As if they joined")]
        )
        self.compare.verticalHeader().hide()
        self.compare.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.compare.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            self.compare.horizontalHeader().setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.apply = QPushButton(self.tr("Apply plan"))
        self.apply.setToolTip(self.tr("Make the ticked candidates members from today (one step to undo)"))
        self.apply.setEnabled(False)
        self.apply.clicked.connect(self._apply)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.candidates)
        split.addWidget(self.compare)
        split.setSizes([300, 260])
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.apply)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addWidget(self.intro)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)

    def attach(self, session: Any) -> None:
        self.session = session
        session.assessed.connect(self._assessed)

    def _assessed(self, _results: list[Any]) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # ----- ranking ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Rank the candidates again (after any assessment, when the tab is shown), on the worker."""
        self._stale = False
        s = self.session
        if s is None or not s.is_open:
            self._arrays = None
            self._show_ranked([])
            return
        members, links = s.members_snapshot(), s.links_snapshot()
        settings, results = s.settings, s.results or None

        def rank(_engine: Any) -> list[CandidateGain]:  # on the worker thread
            # Kept between refreshes: after an edit only the changed rows are rewritten.
            self._arrays = (Arrays(members, links) if self._arrays is None
                            else self._arrays.refreshed(members, links))
            return rank_candidates((), (), settings, arrays=self._arrays, results=results)

        s.assessor.run("plan", rank, self._show_ranked)

    def _show_ranked(self, ranked: list[CandidateGain]) -> None:
        self.ranked = ranked
        ticked = set(self.ticked())
        say = PlanText(ui_text())
        self._filling = True
        self.candidates.setRowCount(len(self.ranked))
        for row, g in enumerate(self.ranked):
            name = QTableWidgetItem(say.name(g))
            name.setData(Qt.ItemDataRole.UserRole, g.id)
            name.setFlags(name.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            name.setCheckState(Qt.CheckState.Checked if g.id in ticked else Qt.CheckState.Unchecked)
            self.candidates.setItem(row, 0, name)
            self.candidates.setItem(row, 1, QTableWidgetItem(say.distance(g)))
            self.candidates.setItem(row, 2, QTableWidgetItem(say.gains(g)))
        self._filling = False
        self.candidates.resizeRowsToContents()
        if not self.ranked:
            self.intro.setText(say.empty())
        else:
            self.intro.setText(self.tr("Tick candidates to see the assessment as if they joined."))
        self._compare()

    def ticked(self) -> list[str]:
        out = []
        for row in range(self.candidates.rowCount()):
            item = self.candidates.item(row, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def tick(self, ids: list[str]) -> None:
        """Tick exactly these candidates (tests, and a plan chosen elsewhere)."""
        wanted = set(ids)
        self._filling = True
        for row in range(self.candidates.rowCount()):
            item = self.candidates.item(row, 0)
            if item is not None:
                on = str(item.data(Qt.ItemDataRole.UserRole)) in wanted
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self._filling = False
        self._compare()

    def _ticked(self, item: QTableWidgetItem) -> None:
        if not self._filling and item.column() == 0:
            self._compare()

    def _clicked(self, row: int, _col: int) -> None:
        item = self.candidates.item(row, 0)
        if item is not None:
            self.candidateClicked.emit(str(item.data(Qt.ItemDataRole.UserRole)))

    # ----- as if ------------------------------------------------------------------------------

    def _compare(self) -> None:
        """Today's checks beside the ticked candidates' "as if" (assessed on the worker)."""
        s = self.session
        ids = self.ticked()
        self.apply.setEnabled(bool(ids))
        if s is None or not s.is_open or not self.ranked:
            self.compare.setRowCount(0)
            return
        settings, results = s.settings, s.results

        def compare(_engine: Any) -> tuple[list[Any], list[Any]] | None:  # on the worker thread
            if self._arrays is None:
                return None
            today = results or assess_arrays(self._arrays, settings)
            return today, (assess_arrays(self._arrays, settings, as_if=ids) if ids else today)

        s.assessor.run("plan-compare", compare, self._show_compared)

    def _show_compared(self, pair: tuple[list[Any], list[Any]] | None) -> None:
        if pair is None:
            self.compare.setRowCount(0)
            return
        today, as_if = pair
        words = CheckWords(ui_text())
        self.compare.setRowCount(len(today))
        for row, (now, then) in enumerate(zip(today, as_if, strict=True)):
            self.compare.setItem(row, 0, QTableWidgetItem(words.title(now.id)))
            shown = [f"{STATUS_MARK.get(str(r.status), '?')} {words.figure(r)}" for r in (now, then)]
            for col, r, said in ((1, now, shown[0]), (2, then, shown[1])):
                cell = QTableWidgetItem(said)
                cell.setToolTip(words.status(str(r.status)))
                if col == 2 and said != shown[0]:  # bold where the plan changes what is shown
                    font = cell.font()
                    font.setBold(True)
                    cell.setFont(font)
                self.compare.setItem(row, col, cell)
        self.compare.resizeRowsToContents()

    def _apply(self) -> None:
        from cluster_desk.ui.project.commands import EditMembers

        s = self.session
        ids = self.ticked()
        records = apply_plan(list(s.members.values()), ids) if s is not None else []
        if not records:
            return
        text = self.tr("Apply plan (%1 members)").replace("%1", str(len(records)))
        s.undo_stack.push(EditMembers(s, records, text))
