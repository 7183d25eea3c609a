"""A member's change history (when, who, what: field old -> new), from Project.history(member_id).

Hook-up (roster context menu / member form):
    show_history_dialog(self, self.session, member_id)
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from cluster_desk.store.changes import Change
from cluster_desk.ui import labels

__all__ = ["HistoryDialog", "history_rows", "show_history_dialog"]


def _show(value: Any, field: str = "") -> str:
    """A value as the user reads it: kinds and statuses in words, coordinates to 5 decimals
    (about a metre) with the interface language's decimal mark."""
    if value is None or value == "":
        return "—"
    if field in ("lat", "lon") and isinstance(value, int | float):
        return QLocale().toString(float(value), "f", 5)
    words = _value_words().get(field)
    if words is not None and isinstance(value, str):
        return words.get(value, value)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _value_words() -> dict[str, dict[str, str]]:
    return {
        "kind": {k.value: t for k, t in labels.kind_labels().items()},
        "status": {k.value: t for k, t in labels.status_labels().items()},
        "industry": {k.value: t for k, t in labels.industry_labels().items()},
    }


def field_labels() -> dict[str, str]:
    """Member fields as the form names them (never the codes)."""
    t = QCoreApplication.translate
    return {
        "name": t("History", "Name"), "kind": t("History", "Kind"), "status": t("History", "Status"),
        "sector": t("History", "Sector"), "industry": t("History", "Core/related"),
        "employees": t("History", "Employees"), "lat": t("History", "Latitude"),
        "lon": t("History", "Longitude"), "address": t("History", "Address"), "inn": t("History", "INN"),
        "website": t("History", "Website"), "contact": t("History", "Contact"),
        "joined": t("History", "Joined"), "left": t("History", "Left"), "notes": t("History", "Notes"),
    }


def _when(at: str) -> str:
    try:
        return datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return at


def history_rows(changes: list[Change]) -> list[tuple[str, str, str, str, str, str]]:
    """(when, who, what, field, old, new) per changed field, newest first (Qt-free, testable)."""
    t = QCoreApplication.translate
    ops = {"insert": t("History", "added"), "update": t("History", "changed"),
           "delete": t("History", "deleted")}
    names = field_labels()
    rows = []
    for ch in reversed(changes):
        what = ops[ch.op]
        if ch.entity == "link":
            what = QCoreApplication.translate("History", "link %1").replace("%1", what)
        if ch.op == "update":
            for f in ch.new:
                rows.append((_when(ch.at), ch.actor, what, names.get(f, f),
                             _show(ch.old.get(f), f), _show(ch.new.get(f), f)))
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
