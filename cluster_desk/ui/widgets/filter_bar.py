"""The row of filters above a table (roster, links): a text field, "All …" combos of choices,
whatever else a panel adds, and the "N of M" count. The panels pass their own translated words,
so the wording (and its translation context) stays theirs."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from cluster_desk.ui.i18n import ui_text


class FilterBar(QWidget):
    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLineEdit()
        self.text.setPlaceholderText(placeholder)
        self.text.setClearButtonEnabled(True)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)

    def add(self, widget: QWidget, stretch: int = 0) -> QWidget:
        self.row.addWidget(widget, stretch)
        return widget

    def choice(self, everything: str, choices: Mapping[Enum, str], *, shrink: bool = False) -> QComboBox:
        """A combo of ``everything`` (data None: no filter) and the choices (data: the enum value).
        ``shrink``: it may narrow to 8 characters (long Russian words) so the count is never cut."""
        combo = QComboBox()
        combo.addItem(everything, None)
        for value, text in choices.items():
            combo.addItem(text, value.value)
        if shrink:
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        return combo


def show_count(label: QLabel, shown: int, total: int, all_rows: str, some_rows: str) -> None:
    """"%1 rows" when nothing is filtered out, else "%1 of %2 rows" (grouped by thousands as
    the interface language writes them)."""
    number = ui_text().number
    text = all_rows.replace("%1", number(total)) if shown == total else (
        some_rows.replace("%1", number(shown)).replace("%2", number(total)))
    label.setText(text)
