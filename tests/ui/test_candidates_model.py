"""The Plan tab's candidates model (ui/assessment/candidates_model.py, issue 17: a model, not one
item per cell): ticks by the view's check boxes, kept across a new ranking for the candidates
still ranked, cells worded as the plan's texts say, a click naming the candidate."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

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
