"""The Plan tab's ranked candidates as a table model: name (with its tick), distance, what it would
close. A model, not a table of items: a 100,000-member roster may rank tens of thousands of
candidates, and one item per cell took ~0.4 s to fill and ~0.7 s more to fit the rows (issue 17).
Cells are worded when shown; the ticks are a set of ids kept across a new ranking."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from cluster_desk.core.planner import CandidateGain
from cluster_desk.text.plan_text import PlanText
from cluster_desk.ui.widgets.plain_text import plain_tip

Index = QModelIndex | QPersistentModelIndex


class CandidatesModel(QAbstractTableModel):
    """Columns: candidate (checkable), distance, would close. ``ticksChanged`` after a tick."""

    ticksChanged = Signal()

    def __init__(self, titles: list[str], parent: Any = None) -> None:
        super().__init__(parent)
        self._titles = titles
        self._ranked: list[CandidateGain] = []
        self._say: PlanText | None = None
        self._ticked: set[str] = set()

    # ----- content --------------------------------------------------------------------------

    def set_ranked(self, ranked: list[CandidateGain], say: PlanText) -> None:
        """A new ranking; the ticks of candidates still in it stay."""
        self.beginResetModel()
        self._ranked, self._say = ranked, say
        self._ticked &= {g.id for g in ranked}
        self.endResetModel()

    def ticked(self) -> list[str]:
        """The ticked candidates' ids, in ranking order."""
        return [g.id for g in self._ranked if g.id in self._ticked]

    def tick(self, ids: list[str]) -> None:
        """Tick exactly these candidates (those ranked)."""
        self._ticked = set(ids) & {g.id for g in self._ranked}
        if self._ranked:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ranked) - 1, 0),
                                  [Qt.ItemDataRole.CheckStateRole])
        self.ticksChanged.emit()

    def candidate_id(self, row: int) -> str:
        return self._ranked[row].id

    # ----- Qt's model interface ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._ranked)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._titles[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._say is None:
            return None
        g = self._ranked[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            said = (self._say.name, self._say.distance, self._say.gains)[index.column()](g)
            return said if role == Qt.ItemDataRole.DisplayRole else plain_tip(said)
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            return Qt.CheckState.Checked if g.id in self._ticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.UserRole:
            return g.id
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != 0 or not index.isValid():
            return False
        gid = self._ranked[index.row()].id
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self._ticked.add(gid)
        else:
            self._ticked.discard(gid)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.ticksChanged.emit()
        return True
