"""Assign people (server logins) to the team cluster, with a role: manager only.

Reads and writes go to the server on a worker thread (team/people.py); every change is applied
at once and the list is read back. For anyone but a manager of the cluster the list is read-only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cluster_desk.ui.i18n import user_message
from cluster_desk.ui.team.worker import run_in_thread
from cluster_desk.ui.widgets.plain_text import title_text


class PeopleDialog(QDialog):
    """``loaded`` is emitted after each read of the list (tests wait for it)."""

    loaded = Signal()

    def __init__(self, parent: QWidget | None, dsn: str, cluster: str,
                 password: Callable[[str], str | None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("team_people_dialog")
        self.dsn, self.cluster, self.password = dsn, cluster, password
        self.roster: Any = None
        self.setWindowTitle(title_text(self.tr("People on cluster «%1»").replace("%1", cluster)))
        self.resize(560, 420)
        self.role_names = {"manager": self.tr("Manager"), "officer": self.tr("Officer"),
                           "analyst": self.tr("Analyst")}
        layout = QVBoxLayout(self)
        self.note = QLabel(self.tr("Reading the list from the server…"))
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)  # (the server's errors, logins in them)
        layout.addWidget(self.note)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([self.tr("Login"), self.tr("Role on this cluster")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.person = QComboBox()
        self.role = QComboBox()
        for key, text in self.role_names.items():
            self.role.addItem(text, key)
        self.assign_button = QPushButton(self.tr("Assign"))
        self.remove_button = QPushButton(self.tr("Remove selected"))
        self.assign_button.clicked.connect(self._assign)
        self.person.currentIndexChanged.connect(self._allowed_roles)
        self.remove_button.clicked.connect(self._remove)
        for w in (QLabel(self.tr("Person:")), self.person, QLabel(self.tr("as")), self.role,
                  self.assign_button):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._set_editable(False)
        self.reload()

    def _set_editable(self, on: bool) -> None:
        for w in (self.person, self.role, self.assign_button, self.remove_button):
            w.setEnabled(on)

    def reload(self) -> None:
        from cluster_desk.team.people import load

        dsn, cluster, password = self.dsn, self.cluster, self.password
        run_in_thread(self, lambda: load(dsn, cluster, password), self._loaded)

    def _loaded(self, roster: Any, error: BaseException | None) -> None:
        if error is not None:
            self.note.setText(user_message(error))
            self.loaded.emit()
            return
        self.roster = roster
        self.table.setRowCount(len(roster.assigned))
        for r, (login, role) in enumerate(roster.assigned.items()):
            self.table.setItem(r, 0, QTableWidgetItem(login))
            self.table.setItem(r, 1, QTableWidgetItem(self.role_names.get(role, role)))
        self.table.resizeColumnsToContents()
        self.person.clear()
        for login, group in roster.people.items():
            self.person.addItem(f"{login} ({self.role_names.get(group, group)})", login)
        if roster.manages:
            self.note.setText(self.tr("Officers edit the clusters they are assigned to; analysts only "
                                      "read. Changes apply on the server at once."))
        else:
            self.note.setText(self.tr("Only a manager of this cluster assigns people; you can see "
                                      "the list."))
        self._set_editable(roster.manages)
        self.loaded.emit()

    def _allowed_roles(self) -> None:
        """Offer only the roles the person's server role allows (an analyst login only reads)."""
        from cluster_desk.team.people import ALLOWED, ROLES

        group = self.roster.people.get(self.person.currentData(), "") if self.roster else ""
        allowed = ALLOWED.get(group, ROLES)
        model = self.role.model()
        for i in range(self.role.count()):
            item = model.item(i)  # type: ignore[attr-defined]
            item.setEnabled(self.role.itemData(i) in allowed)
        if self.role.currentData() not in allowed:
            self.role.setCurrentIndex(self.role.findData(allowed[0]))

    def _change(self, login: str, role: str | None) -> None:
        from cluster_desk.team.people import assign

        dsn, cluster, password = self.dsn, self.cluster, self.password
        self._set_editable(False)

        def done(_result: Any, error: BaseException | None) -> None:
            if error is not None:
                self.note.setText(user_message(error))
            self.reload()

        run_in_thread(self, lambda: assign(dsn, cluster, login, role, password), done)

    def _assign(self) -> None:
        login = self.person.currentData()
        if login:
            self._change(str(login), str(self.role.currentData()))

    def _remove(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        for r in sorted(rows):
            item = self.table.item(r, 0)
            if item is not None:
                self._change(item.text(), None)
