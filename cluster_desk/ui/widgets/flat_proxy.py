"""The index plumbing every proxy of a flat table needs (the roster's, the links table's)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractProxyModel, QModelIndex, QPersistentModelIndex

Index = QModelIndex | QPersistentModelIndex


class FlatProxy(QAbstractProxyModel):
    """A proxy showing some rows of a flat source table in an order of its own. Subclasses say
    how many rows they show (``_count``) and set ``columns``; they map rows to the source."""

    columns = 0

    def _count(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else self._count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.columns

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < self._count() and 0 <= column < self.columns):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: Any = None) -> Any:  # a flat table
        if child is None:  # QObject.parent()
            return super().parent()
        return QModelIndex()

    def sibling(self, row: int, column: int, idx: Index) -> QModelIndex:
        return self.index(row, column)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._count() > 0
