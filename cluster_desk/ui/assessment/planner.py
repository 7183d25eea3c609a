"""The what-if planner tab: candidates ranked by what each would close, a selection of them, the
whole assessment "as if they joined" beside today's, and "Apply plan" as one undoable command.

The ranking and the "as if" assessment run on the session's worker thread (its "plan" lanes:
~0.1-0.5 s at 100,000 members): the GUI thread only fills the tables with what arrives. They
work on the assessment engine's own arrays (core.checks.context.Arrays read from the file and
patched by each edit: ``Engine.arrays_of``), which only that one worker touches."""

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
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cluster_desk.core.assessment import assess_arrays
from cluster_desk.core.planner import CandidateGain, apply_plan, rank_candidates
from cluster_desk.text.check_words import CheckWords
from cluster_desk.text.plan_text import PlanText
from cluster_desk.ui.assessment.candidates_model import CandidatesModel
from cluster_desk.ui.i18n import ui_text

#: Up to this many candidates, rows are fitted to their wrapped texts (each costs a layout of its
#: cells); more keep one line each, the full text in their tooltip.
FIT_ROWS_UP_TO = 300

STATUS_MARK = {"ok": "✓", "warning": "!", "failing": "✗", "not_applicable": "–"}


class PlannerPanel(QWidget):
    """Shows the ranking once the tab is visible; the "as if" column follows the ticked rows."""

    candidateClicked = Signal(str)  # a candidate's id (the window selects it on the map)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: Any = None
        self.ranked: list[CandidateGain] = []
        self._stale = True
        self.intro = QLabel(self.tr("Tick candidates to see the assessment as if they joined."))
        self.intro.setWordWrap(True)
        self.model = CandidatesModel([self.tr("Candidate"), self.tr("Distance"), self.tr("Would close")],
                                     self)
        self.model.ticksChanged.connect(self._compare)
        self.candidates = QTableView()
        self.candidates.setModel(self.model)
        self.candidates.verticalHeader().hide()
        self.candidates.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.candidates.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.candidates.setWordWrap(True)
        header = self.candidates.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)  # (fitted: _fit_distances)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.candidates.setColumnWidth(0, 170)
        self.candidates.clicked.connect(
            lambda index: self.candidateClicked.emit(self.model.candidate_id(index.row())))
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
            self._show_ranked([])
            return
        settings = s.settings
        roster = s.roster_assessed()

        def rank(engine: Any) -> list[CandidateGain]:  # on the worker thread
            arrays, results = roster(engine)  # (today's results, when the last run's are of them)
            return rank_candidates((), (), settings, arrays=arrays, results=results)

        s.assessor.run("plan", rank, self._show_ranked)

    def _show_ranked(self, ranked: list[CandidateGain]) -> None:
        self.ranked = ranked
        say = PlanText(ui_text())
        self.model.set_ranked(ranked, say)
        self._fit_distances(ranked)
        if len(ranked) <= FIT_ROWS_UP_TO:  # wrapped texts in rows fitted to them
            self.candidates.resizeRowsToContents()
        if not self.ranked:
            self.intro.setText(say.empty())
        else:
            self.intro.setText(self.tr("Tick candidates to see the assessment as if they joined."))
        self._compare()

    def _fit_distances(self, ranked: list[CandidateGain]) -> None:
        """The distance column as wide as its widest text: the farthest candidate's, or "not on
        the map". Fitting it to its contents asked every row for its texts (~1,000 candidates at
        100,000 members: ~0.1 s each time the Plan tab was shown, issue 17)."""
        placed = [row for row, g in enumerate(ranked) if g.distance_km is not None]
        rows = [max(placed, key=lambda row: ranked[row].distance_km or 0.0)] if placed else []
        rows += [row for row, g in enumerate(ranked) if g.distance_km is None][:1]
        hints = [self.candidates.sizeHintForIndex(self.model.index(row, 1)).width() for row in rows]
        header = self.candidates.horizontalHeader()
        header.resizeSection(1, max([header.sectionSizeHint(1), *hints]) + self.candidates.showGrid())

    def ticked(self) -> list[str]:
        return self.model.ticked()

    def tick(self, ids: list[str]) -> None:
        """Tick exactly these candidates (tests, and a plan chosen elsewhere)."""
        self.model.tick(ids)

    # ----- as if ------------------------------------------------------------------------------

    def _compare(self) -> None:
        """Today's checks beside the ticked candidates' "as if" (assessed on the worker)."""
        s = self.session
        ids = self.ticked()
        self.apply.setEnabled(bool(ids))
        if s is None or not s.is_open or not self.ranked:
            self.compare.setRowCount(0)
            return
        settings, roster = s.settings, s.roster_assessed()

        def compare(engine: Any) -> tuple[list[Any], list[Any]]:  # on the worker thread
            arrays, results = roster(engine)
            today = results if results is not None else assess_arrays(arrays, settings)
            return today, (assess_arrays(arrays, settings, as_if=ids) if ids else today)

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
        # only the ticked members' records (not every record: issue 17)
        records = apply_plan([s.members[i] for i in ids if i in s.members], ids) if s is not None else []
        if not records:
            return
        n = len(records)
        text = self.tr("Apply plan (%1 member(s))", "", n).replace("%1", ui_text().number(n))
        s.undo_stack.push(EditMembers(s, records, text))
