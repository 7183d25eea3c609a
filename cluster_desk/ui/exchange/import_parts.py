"""Small parts the import and merge dialogs share: the project behind a session, the undo step
after a bulk write, a combo the mouse wheel leaves alone, and the conflicts' Decision cells."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QSize, Qt
from PySide6.QtGui import QPainter, QWheelEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionComboBox,
    QStyleOptionViewItem,
    QWidget,
)

__all__ = ["CHOICE_ROLE", "FILE_ROW_ROLE", "DecisionDelegate", "NoWheelComboBox", "project_of",
           "reload_views"]


def project_of(session_or_project: Any) -> Any:
    return getattr(session_or_project, "project", session_or_project)


def reload_views(session_or_project: Any, text: str = "") -> None:
    # A ProjectSession adopts what the import wrote as one undo step (the views follow what
    # changed); a bare Project needs nothing.
    if hasattr(session_or_project, "project") and hasattr(session_or_project, "take_bulk_change"):
        from cluster_desk.ui.project.commands import record_bulk_change

        record_bulk_change(session_or_project, text or QApplication.translate("import", "Import roster"))


class NoWheelComboBox(QComboBox):
    """A combo the mouse wheel changes only when it has focus (click it first)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # the table under it scrolls instead


#: The Decision column's item data: the decision's code, and the file row it is for.
CHOICE_ROLE = Qt.ItemDataRole.UserRole
FILE_ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class DecisionDelegate(QStyledItemDelegate):
    """A conflict's Decision cell drawn as a combo box and edited with one: one editor at a
    time, not a widget a row. ``choices()``: (code, words); ``decide(file_row, code)`` takes the
    user's choice."""

    def __init__(self, choices: Callable[[], list[tuple[str, str]]], decide: Callable[[int, str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices, self._decide = choices, decide
        self._size: QSize | None = None

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        box = QStyleOptionComboBox()
        box.rect = option.rect.adjusted(1, 1, -1, -1)
        box.state = option.state | QStyle.StateFlag.State_Enabled
        box.currentText = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        style = QApplication.style()
        style.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, box, painter)
        style.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, box, painter)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        if self._size is None:  # (the widest choice in a combo: one measure for every row)
            combo = NoWheelComboBox()
            for _code, words in self._choices():
                combo.addItem(words)
            self._size = combo.sizeHint()
        return self._size

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:
        combo = NoWheelComboBox(parent)
        for code, words in self._choices():
            combo.addItem(words, code)
        combo.activated.connect(lambda _i, box=combo: self.commitData.emit(box))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(CHOICE_ROLE))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex) -> None:
        if not isinstance(editor, QComboBox):
            return
        code = str(editor.currentData())
        if code == index.data(CHOICE_ROLE):
            return
        model.setData(index, code, CHOICE_ROLE)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.DisplayRole)
        self._decide(int(index.data(FILE_ROW_ROLE)), code)
