"""The conflicts a sync recorded: both values, who made each and when; the user keeps one.

"Keep the server's" changes nothing (the copy already shows the server's value); "Use mine" is
an ordinary, undoable edit through the undo stack, and syncs like any other edit.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication
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

from cluster_desk.team.records import is_deleted, member_from, values_of


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
        from cluster_desk.ui.roster.model import COLUMNS, column_titles

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


def resolve(session: Any, project: Any, items: list[dict[str, Any]], choices: dict[int, str]) -> set[int]:
    """Apply the user's choices; returns the indexes resolved. "Mine" becomes ordinary commands on
    the undo stack (one macro): a field value back, a deleted record back, or the delete again."""
    from cluster_desk.ui.project.commands import AddMembers, DeleteMembers, EditMembers

    edits: dict[str, Any] = {}
    restore: list[Any] = []
    delete: list[str] = []
    for index, choice in choices.items():
        c = items[index]
        if choice != "mine" or c.get("entity", "member") != "member":
            continue
        mid, field, mine = c["entity_id"], c.get("field", ""), c.get("client_value")
        if field and mid in session.members:
            current = edits.get(mid, session.members[mid])
            edits[mid] = member_from(mid, {**values_of(current), field: mine})
        elif not field and is_deleted(mine) and mid in session.members:
            delete.append(mid)
        elif not field and isinstance(mine, dict) and mid not in session.members:
            last = _last_record(project, mid)
            if last is not None:
                restore.append(member_from(mid, {**last, **mine}))
    stack = session.undo_stack
    if edits or restore or delete:
        stack.beginMacro(QCoreApplication.translate("ConflictsDialog", "Resolve team conflicts"))
        if edits:
            stack.push(EditMembers(session, list(edits.values())))
        if restore:
            stack.push(AddMembers(session, restore))
        if delete:
            stack.push(DeleteMembers(session, delete))
        stack.endMacro()
    return set(choices)


def _last_record(project: Any, member_id: str) -> dict[str, Any] | None:
    """The member's values as last seen here (the pulled delete logged the whole record)."""
    for change in reversed(project.history(member_id)):
        if change.op == "delete":
            return dict(change.old)
    return None
