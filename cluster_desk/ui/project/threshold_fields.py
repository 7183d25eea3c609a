"""The Thresholds tab of the settings dialog: every project setting the checks apply (the keys
of core.checks' ``uses(...)``) and the cluster organisation's recorded facts, grouped by check,
each with its default and source (text.check_words.ThresholdSources) and validated before the
dialog may close. A field left as shown keeps the stored value exactly (1/3 is not rounded to
33.3 %), so only what the user changed becomes "project setting (default …)" under a check."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from cluster_desk.core.model import ClusterSettings, SizeScheme
from cluster_desk.text.check_words import SourceLine
from cluster_desk.ui.i18n import ui_text

_DEFAULTS = ClusterSettings()
NOT_RECORDED = -1.0  # the spin box's minimum, shown as "not recorded" (None in the settings)


@dataclass(frozen=True)
class Field:
    key: str  # ClusterSettings field
    unit: str  # "km", "share" (shown in %), "count", "number", "fte", "roubles", "scheme"
    low: float = 0.0
    high: float = 1.0
    optional: bool = False  # a recorded fact: None = not recorded




class ThresholdsTab(QScrollArea):
    """The fields; ``values()`` gives the settings they make, ``problem()`` why they cannot."""

    def __init__(self, settings: ClusterSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the notes wrap instead
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self._settings = settings
        self.editors: dict[str, QDoubleSpinBox | QComboBox] = {}
        self._fields: dict[str, Field] = {}
        self._shown: dict[str, Any] = {}  # what each editor showed at first
        self.notes: dict[str, QLabel] = {}
        self._note_texts: dict[str, tuple[SourceLine, str]] = {}  # per key: words, its source or ""
        words = SourceLine(ui_text())
        sources = words.sources()
        body = QWidget()
        form = QFormLayout(body)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        for title, fields in self.groups():
            head = QLabel(title)
            head.setStyleSheet("font-weight: 600; margin-top: 8px;")
            form.addRow(head)
            last_source = ""
            for field, label in fields:
                editor = self._editor(field, getattr(settings, field.key))
                self.editors[field.key] = editor
                self._fields[field.key] = field
                self._shown[field.key] = self._read_raw(field.key)
                form.addRow(label, editor)
                source = sources.get(field.key, "")
                note = QLabel()
                note.setWordWrap(True)
                note.setStyleSheet("color: #6b7079; font-size: 11px;")
                self._note_texts[field.key] = (words, source if source != last_source else "")
                last_source = source or last_source
                self.notes[field.key] = note
                form.addRow(note)
                self._connect(editor, field.key)
                self._update_note(field.key)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        self.restore = QPushButton(self.tr("Restore Defaults"))
        self.restore.setToolTip(self.tr("Set every threshold on this tab to its default"))
        self.restore.clicked.connect(self.restore_defaults)
        outer = QWidget()
        layout = QVBoxLayout(outer)
        layout.addWidget(body)
        layout.addWidget(self.error)
        layout.addWidget(self.restore, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.setWidget(outer)

    def groups(self) -> list[tuple[str, list[tuple[Field, str]]]]:
        """(group title, [(field, label)]) in the order of the checks."""
        return [
            (self.tr("Geographic concentration and critical mass"), [
                (Field("radius_km", "km", 0.1, 20_000), self.tr("Norm radius:")),
                (Field("concentration_warning_share", "share"),
                 self.tr("Warning (not failing) from this share inside:")),
                (Field("mass_min", "count", 1, 100_000), self.tr("Critical mass, at least (firms):")),
                (Field("mass_max", "count", 1, 100_000), self.tr("Critical mass, at most (firms):")),
            ]),
            (self.tr("Cluster organisation"), [
                (Field("org_min_fte", "fte", 0, 1000), self.tr("Management staff, at least (FTE):")),
                (Field("org_min_private_share", "share"), self.tr("Private share of funding, at least:")),
                (Field("org_fte", "fte", NOT_RECORDED, 1000, True),
                 self.tr("Recorded management staff (FTE):")),
                (Field("org_fees", "roubles", NOT_RECORDED, 1e13, True),
                 self.tr("Recorded membership fees (roubles a year):")),
                (Field("org_private_share", "share", NOT_RECORDED, 1, True),
                 self.tr("Recorded private share of funding:")),
            ]),
            (self.tr("Focal model"), [
                (Field("anchor_employment_share", "share"),
                 self.tr("(a) Largest firm's share of firm employment above:")),
                (Field("anchor_link_share", "share"),
                 self.tr("(b) Best-linked participant's share of links above:")),
                (Field("dependence_share", "share"),
                 self.tr("(c) Share of selling SMEs dependent on one buyer above:")),
                (Field("size_scheme", "scheme"), self.tr("Size classes:")),
            ]),
            (self.tr("Specialisation and diversity"), [
                (Field("hhi_concentrated", "number", 0, 1), self.tr("“Narrow” above HHI by employment:")),
                (Field("scattered_top_share", "share"),
                 self.tr("“Scattered”: largest division's share of employment below:")),
                (Field("scattered_core_share", "share"), self.tr("… and core firms' share of firms below:")),
            ]),
            (self.tr("Links and the seven gaps"), [
                (Field("gap_min_coverage", "share"), self.tr("A gap is open below this coverage of firms:")),
            ]),
            (self.tr("Registry pre-check (Decree 779)"), [
                (Field("registry_share", "share"), self.tr("Functional dependence, at least:")),
                (Field("registry_special_share", "share"), self.tr("… in special territories, at least:")),
                (Field("registry_special_territory_share", "share"),
                 self.tr("Special territories apply from this share of participants:")),
                (Field("registry_max_unlinked", "count", 0, 1000),
                 self.tr("Participants organising production without a contract, at most:")),
            ]),
        ]

    # ----- editors ------------------------------------------------------------------------------

    def _editor(self, field: Field, value: Any) -> QDoubleSpinBox | QComboBox:
        if field.unit == "scheme":
            box = QComboBox()
            # Short names: the classes themselves are in the source line under it.
            box.addItem(self.tr("Federal Law 209-FZ"), SizeScheme.RU_209FZ.value)
            box.addItem(self.tr("EU recommendation 2003/361 (< 10, < 50, < 250)"), SizeScheme.EU.value)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(18)
            box.setCurrentIndex(max(0, box.findData(str(value))))
            return box
        spin = QDoubleSpinBox()
        percent = field.unit == "share"
        scale = 100.0 if percent else 1.0
        decimals = {"km": 1, "share": 1, "count": 0, "number": 2, "fte": 1, "roubles": 0}[field.unit]
        low = field.low * scale if field.low != NOT_RECORDED else NOT_RECORDED
        spin.setRange(low, field.high * scale)
        spin.setDecimals(decimals)
        spin.setSingleStep({"km": 5.0, "share": 1.0, "count": 1.0, "number": 0.05, "fte": 0.5,
                            "roubles": 100_000.0}[field.unit])
        spin.setSuffix({"km": self.tr(" km"), "share": " %"}.get(field.unit, ""))
        spin.setGroupSeparatorShown(field.unit in ("roubles", "count", "km"))
        if field.optional:
            spin.setSpecialValueText(self.tr("not recorded"))
        spin.setValue(NOT_RECORDED if value is None else float(value) * scale)
        spin.setMinimumWidth(150)
        return spin

    @staticmethod
    def _display(field: Field, value: Any) -> Any:
        """What the editor shows for ``value``."""
        if field.unit == "scheme":
            return str(value)
        if value is None:
            return NOT_RECORDED
        decimals = {"km": 1, "share": 1, "count": 0, "number": 2, "fte": 1, "roubles": 0}[field.unit]
        return round(float(value) * (100.0 if field.unit == "share" else 1.0), decimals)

    def _connect(self, editor: QDoubleSpinBox | QComboBox, key: str) -> None:
        if isinstance(editor, QComboBox):
            editor.currentIndexChanged.connect(lambda _i: self._edited(key))
        else:
            editor.valueChanged.connect(lambda _v: self._edited(key))

    def _edited(self, key: str) -> None:
        self._update_note(key)
        if self.error.isVisible():
            self.show_problem()

    def _read_raw(self, key: str) -> Any:
        editor = self.editors[key]
        return editor.currentData() if isinstance(editor, QComboBox) else editor.value()

    def value(self, key: str) -> Any:
        """The setting ``key`` as the editor gives it (the stored value while it is as shown)."""
        raw = self._read_raw(key)
        if raw == self._shown[key]:
            return getattr(self._settings, key)
        field = self._fields[key]
        default = getattr(_DEFAULTS, key)
        if raw == self._display(field, default):
            return default  # exactly (1/3 shows as 33.3 %)
        if field.unit == "scheme":
            return str(raw)
        if field.optional and raw == NOT_RECORDED:
            return None
        if field.unit == "share":
            return raw / 100.0
        if field.unit == "count":
            return round(raw)
        return float(raw)

    def _update_note(self, key: str) -> None:
        words, source = self._note_texts[key]
        value, default = self.value(key), getattr(_DEFAULTS, key)
        if self._fields[key].optional:
            said = self.tr("A fact about the cluster organisation, shown under its check; "
                           "not recorded by default.")
        elif value == default:
            said = self.tr("Default: %1.").replace("%1", words.setting(key, default))
        else:
            said = self.tr("Project setting (default %1).").replace("%1", words.setting(key, default))
        self.notes[key].setText(f"{said} {source}".strip())

    def restore_defaults(self) -> None:
        for key, editor in self.editors.items():
            field = self._fields[key]
            default = getattr(_DEFAULTS, key)
            if isinstance(editor, QComboBox):
                editor.setCurrentIndex(max(0, editor.findData(str(default))))
            else:
                scale = 100.0 if field.unit == "share" else 1.0
                editor.setValue(NOT_RECORDED if default is None else float(default) * scale)

    # ----- the result -------------------------------------------------------------------------

    def values(self, settings: ClusterSettings) -> ClusterSettings:
        """``settings`` with every threshold of this tab."""
        return dataclasses.replace(settings, **{key: self.value(key) for key in self.editors})

    def problem(self) -> str:
        """Why these values cannot be kept ("" when they can): the ranges are the spin boxes'."""
        v = self.value
        if v("mass_min") > v("mass_max"):
            return self.tr("Critical mass: the lower bound is above the upper one.")
        if v("registry_special_share") > v("registry_share"):
            return self.tr("Registry: the threshold in special territories is above the usual one.")
        if v("radius_km") <= 0:
            return self.tr("The norm radius must be above 0 km.")
        if any(v(k) is not None and v(k) < 0 for k in ("org_fte", "org_fees", "org_private_share")):
            return self.tr("A recorded fact of the cluster organisation is below 0: "
                           "set it, or “not recorded”.")
        return ""

    def show_problem(self) -> bool:
        """Show the problem under the fields (or hide it); True when there is one."""
        problem = self.problem()
        self.error.setText(problem)
        self.error.setVisible(bool(problem))
        return bool(problem)
