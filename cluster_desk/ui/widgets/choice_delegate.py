"""Table cells whose value is one of a few (kind, status, ...) edit with a combo box of the
translated words; the model gets the enum value back."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QWidget


class ChoiceDelegate(QStyledItemDelegate):
    def choices(self, column: int) -> Mapping[Enum, str] | None:
        """The values and words of a choice column; None for a column edited as text."""
        return None

    def createEditor(self, parent: QWidget, option: Any, index: QModelIndex) -> QWidget:
        choices = self.choices(index.column())
        if choices is None:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        for value, text in choices.items():
            combo.addItem(text, value.value)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)
