"""A member's change history (when, who, what: field old -> new), from Project.history(member_id).

Hook-up (roster context menu / member form):
    show_history_dialog(self, self.session, member_id)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from cluster_desk.store.changes import Change
from cluster_desk.ui import labels
from cluster_desk.ui.i18n import ui_text
from cluster_desk.ui.links.labels import link_kind_labels, territory_labels

__all__ = ["HistoryDialog", "history_rows", "show_history_dialog"]

# lupdate extracts only calls named translate(...) or tr(...): under another name (it was "t")
# the operations and field names were never in the catalogue, and read in English in Russian.
translate = QCoreApplication.translate


def _show(value: Any, field: str = "") -> str:
    """A value as the user reads it: kinds and statuses in words, coordinates to 5 decimals
    (about a metre) with the interface language's decimal mark."""
    if value is None or value == "":
        return "—"
    if field in ("lat", "lon") and isinstance(value, int | float):
        return QLocale().toString(float(value), "f", 5)
    if field in ("joined", "left", "start", "end") and isinstance(value, str):
        return ui_text().day(value)  # ("01.09.2016" in Russian)
    if field == "organising_production" and value in (0, 1):
        return translate("History", "yes") if value else translate("History", "no")
    words = _value_words().get(field)
    if words is not None and isinstance(value, str):
        return words.get(value, value)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _value_words() -> dict[str, dict[str, str]]:
    return {
        "kind": {k.value: text for k, text in labels.kind_labels().items()},
        "status": {k.value: text for k, text in labels.status_labels().items()},
        "industry": {k.value: text for k, text in labels.industry_labels().items()},
        "special_territory": {k.value: text for k, text in territory_labels().items()},
    }


def field_labels() -> dict[str, str]:
    """Member fields as the form names them (never the codes)."""
    return {
        "name": translate("History", "Name"), "kind": translate("History", "Kind"),
        "status": translate("History", "Status"), "sector": translate("History", "Sector"),
        "industry": translate("History", "Core/related"), "employees": translate("History", "Employees"),
        "lat": translate("History", "Latitude"), "lon": translate("History", "Longitude"),
        "address": translate("History", "Address"), "inn": translate("History", "INN"),
        "website": translate("History", "Website"), "contact": translate("History", "Contact"),
        "joined": translate("History", "Joined"), "left": translate("History", "Left"),
        "notes": translate("History", "Notes"), "output": translate("History", "Output"),
        "special_territory": translate("History", "Special territory"),
        "organising_production": translate("History", "Organises production"),
    }


def link_field_labels() -> dict[str, str]:
    """A link's fields as the links table names them."""
    return {
        "source": translate("History", "Member 1 (supplier)"),
        "target": translate("History", "Member 2 (buyer)"),
        "kind": translate("History", "Kind"), "start": translate("History", "Start"),
        "end": translate("History", "End"), "share": translate("History", "Share"),
        "volume": translate("History", "Volume"), "contract": translate("History", "Contract"),
        "notes": translate("History", "Notes"),
    }


def _when(at: str) -> str:
    return ui_text().moment(at)


def history_rows(changes: list[Change], member_id: str = "",
                 name_of: Callable[[str], str] = str) -> list[tuple[str, str, str, str, str, str]]:
    """(when, who, what, field, old, new) per changed field, newest first (Qt-free, testable).
    A link added or removed shows its kind and the member at its other end from ``member_id``
    (``name_of``: a member id's name), as the member form lists its links."""
    ops = {"insert": translate("History", "added"), "update": translate("History", "changed"),
           "delete": translate("History", "deleted")}
    names, link_names = field_labels(), link_field_labels()
    link_kinds = {k.value: text for k, text in link_kind_labels().items()}
    rows = []
    for ch in reversed(changes):
        what = ops[ch.op]
        link = ch.entity == "link"
        if link:
            what = translate("History", "link %1").replace("%1", what)
        if ch.op == "update":
            for f in ch.new:
                label = (link_names if link else names).get(f, f)
                old, new = ch.old.get(f), ch.new.get(f)
                if link and f in ("source", "target"):
                    old, new = (name_of(v) if isinstance(v, str) else v for v in (old, new))
                if link and f == "kind":
                    old, new = (link_kinds.get(v, v) if isinstance(v, str) else v for v in (old, new))
                rows.append((_when(ch.at), ch.actor, what, label, _show(old, f), _show(new, f)))
        elif link:
            said = _link_text(ch.new or ch.old, member_id, name_of, link_kinds)
            rows.append((_when(ch.at), ch.actor, what, "", "", said))
        else:
            rows.append((_when(ch.at), ch.actor, what, "", "", _show((ch.new or ch.old).get("name"))))
    return rows


def _link_text(record: dict[str, Any], member_id: str, name_of: Callable[[str], str],
               kinds: dict[str, str]) -> str:
    """"→ ООО «Камапласт»: Supply of industrial products" (← when the member is its target)."""
    source, target = str(record.get("source", "")), str(record.get("target", ""))
    outgoing = source == member_id or target != member_id
    other = target if outgoing else source
    kind = kinds.get(str(record.get("kind", "")), str(record.get("kind", "")))
    return f"{'→' if outgoing else '←'} {name_of(other)}: {kind}" if other else "—"


class HistoryDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, changes: list[Change], member_id: str = "",
                 name_of: Callable[[str], str] = str) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("History — %s") % title)
        self.resize(760, 420)
        layout = QVBoxLayout(self)
        rows = history_rows(changes, member_id, name_of)
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
                item = QTableWidgetItem(text)
                if c >= 4:  # (a long value or a link's other end, cut at the dialog's edge)
                    item.setToolTip(text)
                self.table.setItem(r, c, item)
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
    dialog = HistoryDialog(parent, str(_name_in(project, member_id)), changes, member_id,
                           lambda other: str(_name_in(project, other)))
    dialog.open()  # non-modal: the user can keep the roster in view
    return dialog


def _name_in(project: Any, member_id: str) -> str:
    """A member's name; a deleted one's as its last delete logged it, else its id."""
    try:
        return str(project.member(member_id).name)
    except KeyError:
        old = project.last_deleted(member_id)
        return str(old.get("name", member_id)) if old else member_id
