"""The Plan tab's candidates model (ui/assessment/candidates_model.py, issue 17: a model, not one
item per cell): ticks by the view's check boxes, kept across a new ranking for the candidates
still ranked, cells worded as the plan's texts say, a click naming the candidate."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cluster_desk.core.planner import CandidateGain
from cluster_desk.text.plan_text import PlanText
from cluster_desk.ui.assessment.planner import PlannerPanel
from cluster_desk.ui.i18n import ui_text
from cluster_desk.ui.widgets.plain_text import plain_tip


def _gain(i: int, draft: bool = False) -> CandidateGain:
    return CandidateGain(f"c{i}", f"ООО «Фирма {i}» <b>", "firm", bool(i % 2), None, (), (), None,
                         float(i), float(10 - i), draft)


def test_ticks_cells_and_clicks(qtbot: Any) -> None:
    planner = PlannerPanel()
    qtbot.addWidget(planner)
    model, say = planner.model, PlanText(ui_text())
    changes: list[bool] = []
    model.ticksChanged.connect(lambda: changes.append(True))
    ranked = [_gain(i) for i in range(5)]
    model.set_ranked(ranked, say)
    assert model.rowCount() == 5 and model.columnCount() == 3
    assert [model.index(r, c).data() for r in (1,) for c in range(3)] == [
        say.name(ranked[1]), say.distance(ranked[1]), say.gains(ranked[1])]
    assert model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole) == plain_tip(say.name(ranked[1]))
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsUserCheckable
    assert not model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsUserCheckable
    # the view's check box: setData with the check state
    assert model.setData(model.index(3, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.setData(model.index(1, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.ticked() == ["c1", "c3"] and len(changes) == 2
    assert model.index(3, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert not model.setData(model.index(3, 2), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    # a new ranking keeps the ticks of those still ranked, in its order
    model.set_ranked([_gain(3), _gain(7), _gain(2)], say)
    assert model.ticked() == ["c3"]
    model.tick(["c2", "c7", "gone"])
    assert model.ticked() == ["c7", "c2"] and planner.ticked() == ["c7", "c2"]
    clicked: list[str] = []
    planner.candidateClicked.connect(clicked.append)
    planner.candidates.clicked.emit(model.index(2, 1))
    assert clicked == ["c2"]


def test_the_distance_column_fits_its_widest_text_without_asking_every_row(
        qtbot: Any, monkeypatch: Any) -> None:
    """Fitted to its contents, the distance column asked every candidate for its text each time
    the ranking came (~1,000 candidates at 100,000 members: ~0.1 s). It is now as wide as the
    widest of the farthest candidate's text and "not on the map", which is what fitting it to
    every row gives."""
    asked: list[str] = []
    real = PlanText.distance

    def distance(self: PlanText, g: CandidateGain) -> str:
        asked.append(g.id)
        return real(self, g)

    monkeypatch.setattr(PlanText, "distance", distance)
    planner = PlannerPanel()
    qtbot.addWidget(planner)
    planner.resize(700, 500)
    planner.show()
    ranked = [CandidateGain(f"c{i}", f"Фирма {i}", "firm", True, None, (), (), None, float(i), float(i % 90),
                            False) for i in range(1000)]
    ranked[400] = dataclasses.replace(ranked[400], distance_km=12345.6)  # the farthest, mid-list
    for unplaced in (False, True):
        if unplaced:
            ranked[700] = dataclasses.replace(ranked[700], distance_km=None)  # "not on the map"
        asked.clear()
        planner._show_ranked(ranked)
        _assert_fitted(qtbot, planner, asked)


def _assert_fitted(qtbot: Any, planner: PlannerPanel, asked: list[str]) -> None:
    qtbot.waitUntil(lambda: planner.candidates.viewport().isVisible())
    QApplication.processEvents()  # (the view's delayed layout: where a fit to contents runs)
    planner.candidates.viewport().repaint()
    assert len(asked) < 100, len(asked)  # the two widest and the rows painted, not 1,000
    view, header = planner.candidates, planner.candidates.horizontalHeader()
    fit = max(view.sizeHintForColumn(1), header.sectionSizeHint(1))  # (asks every row)
    assert fit <= header.sectionSize(1) <= fit + 1
