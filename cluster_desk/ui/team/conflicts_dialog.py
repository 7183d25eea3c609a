"""The conflicts a sync recorded: both values, who made each and when; the user keeps one.

"Keep the server's" changes nothing (the copy already shows the server's value); "Use mine" is
an ordinary, undoable edit through the undo stack, and syncs like any other edit.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cluster_desk.team.records import is_deleted


def _when(at: str) -> str:
    try:
        return datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return at or ""


class ConflictsDialog(QDialog):
    """``choices()`` after exec: index in the list -> "mine" | "theirs" (undecided left out)."""

    def __init__(self, parent: QWidget | None, conflicts: list[dict[str, Any]],
                 names: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("team_conflicts_dialog")
        self.conflicts = conflicts
        self.setWindowTitle(self.tr("Team conflicts"))
        self.resize(920, 420)
        layout = QVBoxLayout(self)
        text = QLabel(self.tr("You and a colleague changed the same thing. The server's value is shown "
                              "now; choose what to keep. Using yours is an edit you can undo, and it "
                              "syncs like any other."))
        text.setWordWrap(True)
        layout.addWidget(text)
        self.table = QTableWidget(len(conflicts), 5)
        self.table.setHorizontalHeaderLabels([self.tr("Record"), self.tr("Field"), self.tr("Server"),
                                              self.tr("Yours"), self.tr("Keep")])
        self.table.horizontalHeader().setStretchLastSection(True)
        from cluster_desk.ui.roster_model import COLUMNS, column_titles

        titles = dict(zip(COLUMNS, column_titles(), strict=True))
        names = names or {}
        for row, c in enumerate(conflicts):
            field = str(c.get("field") or "")
            cells = (
                names.get(str(c.get("entity_id")), str(c.get("label") or c.get("entity_id"))),
                titles.get(field, field) if field else self.tr("(whole record)"),
                self._side(c.get("server_value"), c.get("server_actor", ""), c.get("server_at", "")),
                self._side(c.get("client_value"), c.get("client_actor", ""), c.get("client_at", "")),
            )
            for col, cell in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(cell))
            combo = QComboBox()
            combo.addItem(self.tr("Decide later"), "")
            combo.addItem(self.tr("The server's"), "theirs")
            if c.get("entity", "member") == "member":
                combo.addItem(self.tr("Mine"), "mine")
            self.table.setCellWidget(row, 4, combo)
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _side(self, value: Any, who: str, at: str) -> str:
        if is_deleted(value):
            shown = self.tr("deleted it")
        elif isinstance(value, dict):
            shown = self.tr("changed %1").replace("%1", ", ".join(sorted(value)))
        elif value is None or value == "":
            shown = self.tr("(empty)")
        else:
            shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        return f"{shown} — {who}, {_when(at)}"

    def set_choice(self, row: int, choice: str) -> None:
        combo = self.table.cellWidget(row, 4)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findData(choice))

    def choices(self) -> dict[int, str]:
        out: dict[int, str] = {}
        for row in range(self.table.rowCount()):
            combo = self.table.cellWidget(row, 4)
            if isinstance(combo, QComboBox) and combo.currentData():
                out[row] = str(combo.currentData())
        return out
