"""A member's change history (when, who, what: field old -> new), from Project.history(member_id).

Hook-up (roster context menu / member form):
    show_history_dialog(self, self.session, member_id)
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from cluster_desk.store.changes import Change

__all__ = ["HistoryDialog", "history_rows", "show_history_dialog"]


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _when(at: str) -> str:
    try:
        return datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return at


def history_rows(changes: list[Change]) -> list[tuple[str, str, str, str, str, str]]:
    """(when, who, what, field, old, new) per changed field, newest first (Qt-free, testable)."""
    rows = []
    for ch in reversed(changes):
        what = {"insert": "added", "update": "changed", "delete": "deleted"}[ch.op]
        if ch.entity == "link":
            what = "link " + what
        if ch.op == "update":
            for f in ch.new:
                rows.append((_when(ch.at), ch.actor, what, f, _show(ch.old.get(f)), _show(ch.new.get(f))))
        elif ch.entity == "link":
            rec = ch.new or ch.old
            rows.append((_when(ch.at), ch.actor, what, "kind", "", _show(rec.get("kind"))))
        else:
            rows.append((_when(ch.at), ch.actor, what, "", "", _show((ch.new or ch.old).get("name"))))
    return rows


class HistoryDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, changes: list[Change]) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("History — %s") % title)
        self.resize(760, 420)
        layout = QVBoxLayout(self)
        rows = history_rows(changes)
        self.table = QTableWidget(len(rows), 6)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("When"),
                self.tr("Who"),
                self.tr("What"),
                self.tr("Field"),
                self.tr("Old"),
                self.tr("New"),
            ]
        )
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def show_history_dialog(
    parent: QWidget | None, session_or_project: Any, member_id: str
) -> HistoryDialog | None:
    project = getattr(session_or_project, "project", session_or_project)
    if project is None:
        return None
    # With the member's links: adding, editing or removing a link is part of its history.
    changes = project.member_history(member_id)
    try:
        title = project.member(member_id).name
    except KeyError:  # a deleted member still has its history
        title = next((c.old.get("name", member_id) for c in reversed(changes) if c.old), member_id)
    dialog = HistoryDialog(parent, str(title), changes)
    dialog.open()  # non-modal: the user can keep the roster in view
    return dialog
