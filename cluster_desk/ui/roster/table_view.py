"""The roster's table view: a change of many rows repaints only the strip of the columns it is
about. Qt repaints the whole viewport for any dataChanged bigger than one cell: after a drop that
moved the proposed centre, "every distance changed" repainted every visible cell (12-15 ms of
the GUI thread at 100,000 members, the longest stretch of the drop, issue 17), even with the
distance column scrolled out of view."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractItemView, QTableView

Index = QModelIndex | QPersistentModelIndex


class RosterTable(QTableView):
    def dataChanged(self, top_left: Index, bottom_right: Index, roles: Sequence[int] = ()) -> None:
        # One cell, an open editor (its data is refreshed) or an accessibility client (told of
        # the change): Qt's own handling.
        if (top_left == bottom_right or self.state() == QAbstractItemView.State.EditingState
                or QAccessible.isActive()):
            super().dataChanged(top_left, bottom_right, list(roles))
            return
        strip = self.changed_rect(top_left, bottom_right)
        if not strip.isEmpty():
            self.viewport().update(strip)

    def changed_rect(self, top_left: Index, bottom_right: Index) -> QRect:
        """The part of the viewport the cells from ``top_left`` to ``bottom_right`` cover (empty
        when none of them is in view)."""
        view = self.viewport().rect()
        xs = [(self.columnViewportPosition(c), self.columnWidth(c))
              for c in range(top_left.column(), bottom_right.column() + 1) if not self.isColumnHidden(c)]
        if not xs:
            return QRect()
        left = min(x for x, _ in xs)
        right = max(x + w for x, w in xs)
        # (rows out of view have positions above or below it: the intersection drops them)
        top = self.rowViewportPosition(top_left.row())
        bottom = self.rowViewportPosition(bottom_right.row()) + self.rowHeight(bottom_right.row())
        return QRect(left, top, right - left, bottom - top).intersected(view)
