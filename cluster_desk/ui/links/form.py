"""The small form for a new link (or editing one): the two ends, kind, dates, volume, contract."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cluster_desk.core.days import iso_day, typed_day
from cluster_desk.core.model import DIRECTED_KINDS, Link, LinkKind, Member
from cluster_desk.ui.i18n import ui_text
from cluster_desk.ui.links.labels import link_kind_labels
from cluster_desk.ui.links.model import format_roubles, parse_volume


class LinkForm(QDialog):
    def __init__(
        self, first: Member, second: Member, link: Link | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New link") if link is None else self.tr("Edit link"))
        self.setMinimumWidth(440)
        self._link = link
        self._ends = [first, second]
        self.source_label = QLabel()
        self.target_label = QLabel()
        for label in (self.source_label, self.target_label):
            label.setTextFormat(Qt.TextFormat.PlainText)  # names are untrusted text
        self.swap = QPushButton(self.tr("Swap"))
        self.swap.setToolTip(self.tr("Swap supplier and buyer"))
        self.swap.clicked.connect(self._swap)
        self.kind = QComboBox()
        for kind, text in link_kind_labels().items():
            self.kind.addItem(text, kind.value)
        self.start = QLineEdit()
        self.end = QLineEdit()
        for edit in (self.start, self.end):
            edit.setPlaceholderText(self.tr("YYYY-MM-DD", "a date's placeholder"))
        self.volume = QLineEdit()
        self.volume.setPlaceholderText(self.tr("roubles a year, e.g. 1 250 000 or 1,25 млн"))
        self.contract = QLineEdit()
        self.contract.setPlaceholderText(self.tr("number and date"))
        self.notes = QLineEdit()
        ends = QHBoxLayout()
        ends.addWidget(self.source_label, 1)
        ends.addWidget(QLabel("→"))
        ends.addWidget(self.target_label, 1)
        ends.addWidget(self.swap)
        dates = QHBoxLayout()
        dates.addWidget(self.start)
        dates.addWidget(QLabel(self.tr("to")))
        dates.addWidget(self.end)
        form = QFormLayout()
        form.addRow(self.tr("Members:"), ends)
        form.addRow(self.tr("&Kind:"), self.kind)
        form.addRow(self.tr("Dates:"), dates)
        form.addRow(self.tr("&Volume:"), self.volume)
        form.addRow(self.tr("&Contract:"), self.contract)
        form.addRow(self.tr("N&otes:"), self.notes)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        if link is not None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(link.kind.value)))
            self.start.setText(ui_text().day(link.start))  # ("01.09.2016" in Russian)
            self.end.setText(ui_text().day(link.end))
            self.volume.setText(format_roubles(link.volume))
            self.contract.setText(link.contract)
            self.notes.setText(link.notes)
        self.kind.currentIndexChanged.connect(lambda _i: self._show_ends())
        self._show_ends()

    def _show_ends(self) -> None:
        directed = LinkKind(self.kind.currentData()) in DIRECTED_KINDS
        a, b = self._ends
        self.source_label.setText(a.name + (self.tr(" (supplier)") if directed else ""))
        self.target_label.setText(b.name + (self.tr(" (buyer)") if directed else ""))
        self.swap.setEnabled(directed)

    def _swap(self) -> None:
        self._ends.reverse()
        self._show_ends()

    def problems(self) -> list[str]:
        out = []
        start, end = typed_day(self.start.text()), typed_day(self.end.text())
        if any(text and iso_day(text) is None for text in (start, end)):
            out.append(self.tr("Write dates as YYYY-MM-DD or DD.MM.YYYY."))
        elif start and end and end < start:
            out.append(self.tr("The end is before the start."))
        try:
            parse_volume(self.volume.text())
        except ValueError:
            out.append(self.tr("The volume is a sum of roubles of 0 or more (н/д if unknown)."))
        return out

    def accept(self) -> None:
        problems = self.problems()
        if problems:
            self.error.setText(" ".join(problems))
            return
        super().accept()

    def link(self) -> Link:
        a, b = self._ends
        base = self._link or Link(a.id, b.id)
        return dataclasses.replace(
            base, source=a.id, target=b.id, kind=LinkKind(self.kind.currentData()),
            start=typed_day(self.start.text()), end=typed_day(self.end.text()),
            volume=parse_volume(self.volume.text()), contract=self.contract.text().strip(),
            notes=self.notes.text().strip(),
        )  # fmt: skip
