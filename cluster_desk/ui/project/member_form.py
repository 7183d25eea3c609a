"""Add / edit member dialog. Opened with ``open()`` (no nested event loop); the window listens to
``accepted`` and reads ``member()``."""

from __future__ import annotations

import dataclasses
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cluster_desk.core.days import typed_day
from cluster_desk.core.model import Industry, Member, MemberKind, SpecialTerritory, Status
from cluster_desk.core.validation import Code, Severity, member_problems
from cluster_desk.io.coords import parse_coordinate
from cluster_desk.places.coords import parse_coordinates
from cluster_desk.ui import labels
from cluster_desk.ui.i18n import ui_text
from cluster_desk.ui.links.labels import territory_labels
from cluster_desk.ui.links.model import format_roubles, parse_volume


class MemberForm(QDialog):
    def __init__(self, member: Member | None = None, lat: float | None = None,
                 lon: float | None = None, parent: QWidget | None = None,
                 links: list[str] | None = None) -> None:
        super().__init__(parent)
        self._original = member
        self.setWindowTitle(self.tr("New member") if member is None else self.tr("Edit member"))
        self.setMinimumWidth(480)

        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("Required"))
        self.kind = QComboBox()
        for kind, text in labels.kind_labels().items():
            self.kind.addItem(text, kind.value)
        self.status = QComboBox()
        for status, text in labels.status_labels().items():
            self.status.addItem(text, status.value)
        self.sector = QLineEdit()
        self.sector.setPlaceholderText(self.tr("OKVED 2 / NACE code, e.g. 29.10"))
        self.industry = QComboBox()
        self.industry.addItem(self.tr("Not specified"), Industry.UNSPECIFIED.value)
        self.industry.addItem(labels.industry_labels()[Industry.CORE], Industry.CORE.value)
        self.industry.addItem(labels.industry_labels()[Industry.RELATED], Industry.RELATED.value)
        self.employees = QSpinBox()
        self.employees.setRange(-1, 10_000_000)
        self.employees.setSpecialValueText(self.tr("unknown"))
        self.employees.setGroupSeparatorShown(True)
        # Degrees as typed ("55,7963"), or as copied: DMS and Russian hemisphere words in one
        # field, a whole pair (Yandex Maps' "55.796389, 49.108889") split over both.
        self.lat = QLineEdit()
        self.lon = QLineEdit()
        self._coord_texts = {self.lat: "", self.lon: ""}  # as last shown: a paste adds many characters
        for edit in (self.lat, self.lon):
            edit.setPlaceholderText(self.tr("not placed"))
            edit.textEdited.connect(lambda text, e=edit: self._split_pair(e, text))
            edit.textChanged.connect(lambda text, e=edit: self._coord_texts.__setitem__(e, text))
        self.address = QLineEdit()
        self.inn = QLineEdit()
        # Digits only, as a validator would keep them, but a pasted "ИНН 1650 018 159" keeps its
        # digits (a validator refuses the whole paste, silently).
        self.inn.textEdited.connect(self._inn_digits)
        self.inn.setPlaceholderText(self.tr("10 or 12 digits"))
        self.website = QLineEdit()
        self.contact = QLineEdit()
        self.joined = QLineEdit()
        self.left = QLineEdit()
        for edit in (self.joined, self.left):
            edit.setPlaceholderText(self.tr("YYYY-MM-DD", "a date's placeholder"))
            edit.setInputMask("")
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(70)
        # Registry facts (Decree 779): yearly output, special territory, organising production.
        self.output = QLineEdit()
        self.output.setPlaceholderText(self.tr("roubles a year; empty if unknown"))
        self.territory = QComboBox()
        for territory, text in territory_labels().items():
            self.territory.addItem(text, territory.value)
        self.organising = QCheckBox(self.tr("Organises production (no industrial output yet)"))
        self.links = QListWidget()
        self.links.setFixedHeight(72)
        self.links.addItems(links or [])
        self.links.setVisible(links is not None)

        coords = QHBoxLayout()
        coords.addWidget(QLabel(self.tr("Lat")))
        coords.addWidget(self.lat)
        coords.addWidget(QLabel(self.tr("Lon")))
        coords.addWidget(self.lon)
        dates = QHBoxLayout()
        dates.addWidget(self.joined)
        dates.addWidget(QLabel(self.tr("left")))
        dates.addWidget(self.left)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&Kind:"), self.kind)
        form.addRow(self.tr("&Status:"), self.status)
        form.addRow(self.tr("S&ector:"), self.sector)
        form.addRow(self.tr("Core/related:"), self.industry)
        form.addRow(self.tr("&Employees:"), self.employees)
        form.addRow(self.tr("Location:"), coords)
        form.addRow(self.tr("&Address:"), self.address)
        form.addRow(self.tr("&INN:"), self.inn)
        form.addRow(self.tr("&Website:"), self.website)
        form.addRow(self.tr("&Contact:"), self.contact)
        form.addRow(self.tr("Joined:"), dates)  # a layout has no buddy: no & here
        form.addRow(self.tr("N&otes:"), self.notes)
        form.addRow(self.tr("O&utput:"), self.output)
        form.addRow(self.tr("Special territory:"), self.territory)
        form.addRow("", self.organising)
        if links is not None:
            form.addRow(self.tr("Links (%1):").replace("%1", ui_text().number(len(links))), self.links)

        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self._load(member or Member(name="", lat=lat, lon=lon, joined=date.today().isoformat()))
        for edit in (self.name, self.inn, self.lat, self.lon, self.joined, self.left):
            edit.textChanged.connect(lambda _t: self._validate())
        self._validate()

    def _load(self, m: Member) -> None:
        self.name.setText(m.name)
        self.kind.setCurrentIndex(max(0, self.kind.findData(m.kind.value)))
        self.status.setCurrentIndex(max(0, self.status.findData(m.status.value)))
        self.sector.setText(m.sector)
        self.industry.setCurrentIndex(max(0, self.industry.findData(m.industry.value)))
        self.employees.setValue(-1 if m.employees is None else m.employees)
        number = ui_text().number  # ("55,730670" in Russian, as the settings and the roster write it)
        self.lat.setText("" if m.lat is None else number(m.lat, 6))
        self.lon.setText("" if m.lon is None else number(m.lon, 6))
        self.address.setText(m.address)
        self.inn.setText(m.inn)
        self.website.setText(m.website)
        self.contact.setText(m.contact)
        self.joined.setText(ui_text().day(m.joined))  # ("01.09.2016" in Russian)
        self.left.setText(ui_text().day(m.left))
        self.notes.setPlainText(m.notes)
        self.output.setText(format_roubles(m.output))
        self.territory.setCurrentIndex(max(0, self.territory.findData(m.special_territory.value)))
        self.organising.setChecked(m.organising_production)

    # ----- validation ---------------------------------------------------------------------------

    def problems(self) -> list[str]:
        """Errors that keep the form open (the rules are core.validation's)."""
        return self._texts(Severity.ERROR)

    def warnings(self) -> list[str]:
        """Probably wrong but kept (a mistyped INN check digit, left before joined)."""
        return self._texts(Severity.WARNING)

    def _texts(self, severity: Severity) -> list[str]:
        out: list[str] = []
        try:
            lat, lon = self._coord(self.lat, "lat"), self._coord(self.lon, "lon")
        except ValueError:
            lat = lon = None  # (not the range's message: not a coordinate at all)
            if severity is Severity.ERROR:
                out.append(self.tr("Write a coordinate as 55,7963 or 55°47′47″ N."))
        candidate = dataclasses.replace(self._fields(), lat=lat, lon=lon)
        if severity is Severity.ERROR and self._output() is None and self.output.text().strip():
            out.append(self.tr("The output is a sum of roubles of 0 or more."))
        for p in member_problems(candidate):
            text = self._problem_text(p.code)
            if p.severity is severity and text not in out:
                out.append(text)
        return out

    def _problem_text(self, code: Code) -> str:
        return {
            Code.NAME_EMPTY: self.tr("The name is required."),
            Code.COORDS_PARTIAL: self.tr("Give both latitude and longitude, or neither."),
            Code.LAT_RANGE: self.tr("Latitude must be within ±90°, longitude within ±180°."),
            Code.LON_RANGE: self.tr("Latitude must be within ±90°, longitude within ±180°."),
            Code.EMPLOYEES_RANGE: self.tr("Employees must be a whole number from 0."),
            Code.INN_NOT_DIGITS: self.tr("An INN has 10 (organisation) or 12 (individual) digits."),
            Code.INN_LENGTH: self.tr("An INN has 10 (organisation) or 12 (individual) digits."),
            Code.INN_CHECK_DIGIT: self.tr("The INN's check digit does not match: a typo?"),
            Code.DATE_FORMAT: self.tr("Write dates as YYYY-MM-DD or DD.MM.YYYY."),
            Code.LEFT_BEFORE_JOINED: self.tr("The date left is before the date joined."),
        }[code]

    def _validate(self) -> bool:
        problems = self.problems()
        shown = problems if self.isVisible() or len(problems) > 1 else []
        self.error.setText(" ".join(shown + self.warnings()))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(self.name.text().strip()))
        return not problems

    @staticmethod
    def _coord(edit: QLineEdit, axis: str) -> float | None:
        """The field's degrees, None when empty; ValueError when it is not a coordinate."""
        text = edit.text().strip()
        return parse_coordinate(text, axis) if text else None

    def _inn_digits(self, text: str) -> None:
        digits = "".join(c for c in text if "0" <= c <= "9")
        if digits != text:  # (the cursor stays after the digits before it)
            before = text[:self.inn.cursorPosition()]
            self.inn.setText(digits)
            self.inn.setCursorPosition(sum(1 for c in before if "0" <= c <= "9"))

    def _split_pair(self, edit: QLineEdit, text: str) -> None:
        """A pair pasted (or dropped) into either field: latitude and longitude each in its own.
        Not while typing: "55 47" typed on the way to the degrees and minutes "55 47 24" reads
        as a pair too."""
        if len(text) - len(self._coord_texts[edit]) < 2:
            return
        try:
            lat, lon = parse_coordinates(text)  # (not coordinates at all: a CoordinateError too)
        except ValueError:
            return
        number = ui_text().number
        self.lat.setText(number(lat, 6))
        self.lon.setText(number(lon, 6))

    def accept(self) -> None:
        problems = self.problems()
        if problems:
            self.error.setText(" ".join(problems))
            return
        super().accept()

    def member(self) -> Member:
        """The record as entered (keeps the id of the member being edited)."""
        return dataclasses.replace(self._fields(), lat=self._coord(self.lat, "lat"),
                                   lon=self._coord(self.lon, "lon"))

    def _output(self) -> float | None:
        """Roubles a year as typed ("1,5 млрд"), None when empty, unknown or not a sum."""
        try:
            return parse_volume(self.output.text())
        except ValueError:
            return None

    def _fields(self) -> Member:
        """Every field but the coordinates (which may not be numbers while typing)."""
        base = self._original or Member(name="")
        employees = self.employees.value()
        return dataclasses.replace(
            base,
            name=self.name.text().strip(),
            kind=MemberKind(self.kind.currentData()),
            status=Status(self.status.currentData()),
            sector=self.sector.text().strip(),
            industry=Industry(self.industry.currentData()),
            employees=None if employees < 0 else employees,
            address=self.address.text().strip(),
            inn=self.inn.text().strip(),
            website=self.website.text().strip(),
            contact=self.contact.text().strip(),
            joined=typed_day(self.joined.text()),
            left=typed_day(self.left.text()),
            notes=self.notes.toPlainText().strip(),
            output=self._output(),
            special_territory=SpecialTerritory(self.territory.currentData()),
            organising_production=self.organising.isChecked(),
        )
