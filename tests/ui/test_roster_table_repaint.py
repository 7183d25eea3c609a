"""The roster's table repaints only the strip of a column whose every row changed (issue 17: after
a drop that moved the proposed centre, "every distance changed" repainted the whole viewport,
12-15 ms of the GUI thread at 100,000 members, even with the distance column out of view)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtGui import QRegion

from cluster_desk.core.model import Member, MemberKind
from cluster_desk.ui.project.session import ProjectSession
from cluster_desk.ui.roster.model import COL, RosterModel
from cluster_desk.ui.roster.panel import RosterPanel


class Painted(QObject):
    """The regions the watched widget was asked to paint."""

    def __init__(self, widget: Any) -> None:
        super().__init__()
        self.regions: list[QRegion] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.regions.append(QRegion(event.region()))  # type: ignore[attr-defined]
        return False


@pytest.fixture
def panel(qapp: Any, qtbot: Any, tmp_path: Path) -> Any:
    from cluster_desk.store.project import Project

    path = tmp_path / "t.cdesk"
    project = Project.create(path, name="T")
    project.add_members([Member(name=f"Firm {i:03d}", kind=MemberKind.FIRM, lat=55 + i / 100, lon=49.0)
                         for i in range(300)])
    project.close()
    session = ProjectSession()
    session.open(path)
    qtbot.waitUntil(lambda: bool(session.results), timeout=20_000)
    roster = RosterPanel(RosterModel(session))
    roster.resize(700, 400)
    roster.show()
    qtbot.waitExposed(roster)
    yield roster
    roster.close()
    session.close(emit=False)


def _every_distance_changed(panel: Any, qtbot: Any, painted: Painted) -> QRegion:
    """Tell the roster every distance changed (as a result that moved the centre does), then
    a sentinel pixel: the first paint after it holds whatever the change asked for."""
    session = panel.model.session
    session.distances = {mid: d + 1.0 for mid, d in session.distances.items()}
    panel.view.viewport().repaint()  # (paints whatever is pending now: a scroll's repaint)
    painted.regions.clear()
    session.geometryChanged.emit(None)
    sentinel = QRect(0, 0, 1, 1)
    panel.view.viewport().update(sentinel)
    qtbot.waitUntil(lambda: bool(painted.regions))
    return painted.regions[0]


def test_every_distance_repaints_the_distance_column_alone(panel: Any, qtbot: Any) -> None:
    view = panel.view
    distance = COL["distance"]
    view.scrollTo(panel.proxy.index(0, distance))
    qtbot.waitUntil(lambda: 0 <= view.columnViewportPosition(distance) < view.viewport().width())
    painted = Painted(view.viewport())
    region = _every_distance_changed(panel, qtbot, painted)
    x, w = view.columnViewportPosition(distance), view.columnWidth(distance)
    strip = QRect(x, 0, w, view.viewport().height()).intersected(view.viewport().rect())
    assert region.contains(strip)  # the new distances are painted
    assert (region - QRegion(strip) - QRegion(QRect(0, 0, 1, 1))).isEmpty()  # and nothing else


def test_a_column_out_of_view_repaints_nothing(panel: Any, qtbot: Any) -> None:
    view = panel.view
    view.scrollTo(panel.proxy.index(0, 0))
    qtbot.waitUntil(lambda: view.columnViewportPosition(COL["distance"]) >= view.viewport().width())
    painted = Painted(view.viewport())
    region = _every_distance_changed(panel, qtbot, painted)
    assert region == QRegion(QRect(0, 0, 1, 1))  # only the sentinel


def test_one_cell_still_repaints_that_cell(panel: Any, qtbot: Any) -> None:
    view = panel.view
    painted = Painted(view.viewport())
    index = panel.proxy.index(2, COL["name"])
    view.viewport().repaint()
    painted.regions.clear()
    panel.proxy.dataChanged.emit(index, index, [])
    qtbot.waitUntil(lambda: bool(painted.regions))
    assert painted.regions[0].contains(view.visualRect(index))


def test_the_proxy_answers_each_cell_as_the_model_does(panel: Any) -> None:
    """The proxy asks the model for a painted cell by row (RosterModel.cell, no index mapped):
    sorted and filtered, every role of every cell and its flags are the model's for the row the
    proxy maps to; past the rows shown, and for an invalid index, nothing."""
    from PySide6.QtCore import QModelIndex, Qt

    from cluster_desk.ui.roster.model import COLUMNS, EDITABLE, ID_ROLE

    proxy, model = panel.proxy, panel.model
    proxy.sort(COL["name"], Qt.SortOrder.DescendingOrder)
    proxy.set_text("Firm 1")
    names = [proxy.data(proxy.index(row, COL["name"])) for row in range(proxy.rowCount())]
    assert names == sorted((f"Firm {i:03d}" for i in range(100, 200)), reverse=True)
    roles = [*range(0, 11), int(ID_ROLE)]
    for row in range(proxy.rowCount()):
        for column in range(proxy.columnCount()):
            index = proxy.index(row, column)
            source = proxy.mapToSource(index)
            flags = proxy.flags(index)
            assert flags & Qt.ItemFlag.ItemIsSelectable and flags & Qt.ItemFlag.ItemIsEnabled
            assert bool(flags & Qt.ItemFlag.ItemIsEditable) == (COLUMNS[column] in EDITABLE)
            for role in roles:
                assert proxy.data(index, role) == model.data(source, role), (row, column, role)
    first = proxy.index(0, 0)
    assert proxy.data(first, ID_ROLE) == model.member_id(proxy.mapToSource(first).row())
    assert proxy.data(QModelIndex(), Qt.ItemDataRole.DisplayRole) is None
    assert proxy.data(proxy.createIndex(proxy.rowCount(), 0), Qt.ItemDataRole.DisplayRole) is None
