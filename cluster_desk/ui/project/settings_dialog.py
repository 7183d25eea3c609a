"""Cluster settings (centre, radius, thresholds, each with its source) and app preferences."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cluster_desk.core.model import ClusterSettings
from cluster_desk.text.checks import threshold_source
from cluster_desk.ui.i18n import ui_text
from cluster_desk.ui.preferences import tile_url_problem


def _spin(lo: float, hi: float, decimals: int, step: float, suffix: str = "") -> QDoubleSpinBox:
    s = QDoubleSpinBox()
    s.setRange(lo, hi)
    s.setDecimals(decimals)
    s.setSingleStep(step)
    s.setSuffix(suffix)
    return s


class SettingsDialog(QDialog):
    def __init__(self, settings: ClusterSettings, language: str,
                 proposed_centre: tuple[float, float] | None = None,
                 parent: QWidget | None = None, *,
                 online_tiles: tuple[bool, str, str] = (False, "", ""),
                 tile_cache_owner: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self._settings = settings
        self.setMinimumWidth(760)
        text = ui_text()

        def note(key: str) -> QLabel:
            label = QLabel(threshold_source(key, text))
            label.setWordWrap(True)
            label.setStyleSheet("color: #8a8f98; font-size: 11px;")
            return label

        # ----- cluster tab ----------------------------------------------------------------------
        self.name = QLineEdit(settings.name)
        self.auto_centre = QCheckBox(self.tr("Propose the centre from the members"))
        self.centre_lat = _spin(-90, 90, 5, 0.01, "°")
        self.centre_lon = _spin(-180, 180, 5, 0.01, "°")
        lat, lon = settings.centre_lat, settings.centre_lon
        if lat is None or lon is None:
            lat, lon = proposed_centre or (0.0, 0.0)
        self.centre_lat.setValue(lat)
        self.centre_lon.setValue(lon)
        self.auto_centre.toggled.connect(lambda on: (self.centre_lat.setDisabled(on),
                                                     self.centre_lon.setDisabled(on)))
        self.auto_centre.setChecked(settings.centre_lat is None)
        self.centre_lat.setDisabled(self.auto_centre.isChecked())
        self.centre_lon.setDisabled(self.auto_centre.isChecked())
        self.radius = _spin(0.1, 20000, 1, 5, self.tr(" km"))
        self.radius.setValue(settings.radius_km)
        self.mass_min = QSpinBox()
        self.mass_max = QSpinBox()
        for s in (self.mass_min, self.mass_max):
            s.setRange(1, 100000)
        self.mass_min.setValue(settings.mass_min)
        self.mass_max.setValue(settings.mass_max)
        self.registry_share = _spin(0, 100, 0, 1, " %")
        self.registry_share.setValue(settings.registry_share * 100)
        self.max_unlinked = QSpinBox()
        self.max_unlinked.setRange(0, 1000)
        self.max_unlinked.setValue(settings.registry_max_unlinked)
        self.anchor_emp = _spin(0, 100, 0, 5, " %")
        self.anchor_emp.setValue(settings.anchor_employment_share * 100)
        self.anchor_links = _spin(0, 100, 0, 5, " %")
        self.anchor_links.setValue(settings.anchor_link_share * 100)
        self.hhi = _spin(0, 1, 2, 0.05)
        self.hhi.setValue(settings.hhi_concentrated)

        centre = QHBoxLayout()
        centre.addWidget(QLabel(self.tr("lat")))
        centre.addWidget(self.centre_lat)
        centre.addWidget(QLabel(self.tr("lon")))
        centre.addWidget(self.centre_lon)
        mass = QHBoxLayout()
        mass.addWidget(self.mass_min)
        mass.addWidget(QLabel("–"))
        mass.addWidget(self.mass_max)
        mass.addWidget(QLabel(self.tr("member firms")))
        mass.addStretch(1)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Cluster name:"), self.name)
        form.addRow(self.tr("Centre:"), self.auto_centre)
        form.addRow("", centre)
        form.addRow(self.tr("Radius:"), self.radius)
        form.addRow(note("radius_km"))  # the source spans the row
        form.addRow(self.tr("Critical mass:"), mass)
        form.addRow(note("mass_min"))  # the source spans the row
        form.addRow(self.tr("Output to other members:"), self.registry_share)
        form.addRow(self.tr("Participants without a link, at most:"), self.max_unlinked)
        form.addRow(note("registry_share"))  # the source spans the row
        form.addRow(self.tr("Focal model, largest firm's employment share:"), self.anchor_emp)
        form.addRow(self.tr("Focal model, best-linked member's share of links:"), self.anchor_links)
        form.addRow(note("anchor_employment_share"))  # the source spans the row
        form.addRow(self.tr("Narrow specialisation above HHI:"), self.hhi)
        form.addRow(note("hhi_concentrated"))  # the source spans the row
        cluster_tab = QWidget()
        cluster_tab.setLayout(form)

        # ----- application tab ------------------------------------------------------------------
        self.language = QComboBox()
        self.language.addItem(self.tr("System language"), "")
        self.language.addItem("English", "en")
        self.language.addItem("Русский", "ru")
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        restart = QLabel(self.tr("The language changes the next time Cluster Desk starts."))
        restart.setStyleSheet("color: #8a8f98;")
        on, url, attribution = online_tiles
        self.online_tiles = QCheckBox(self.tr("Use an online tile source"))
        self.online_tiles.setChecked(on)
        self.tile_url = QLineEdit(url)
        self.tile_url.setPlaceholderText("https://tile.example.org/{z}/{x}/{y}.png")
        self.tile_attribution = QLineEdit(attribution)
        self.tile_attribution.setPlaceholderText(self.tr("e.g. © OpenStreetMap contributors"))
        tiles_note = QLabel(self.tr(
            "Off by default: Cluster Desk fetches nothing from the internet unless this is on. "
            "When on, the map shows tiles from this server (mind its usage policy), keeps the "
            "tiles it showed in a local cache (they still show when offline) and "
            "“Make This Area Available Offline…” can save an area into a tile pack."))
        tiles_note.setWordWrap(True)
        tiles_note.setStyleSheet("color: #8a8f98;")
        self.tile_error = QLabel()
        self.tile_error.setWordWrap(True)
        self.tile_error.setStyleSheet("color: #c62828;")
        self.tile_error.hide()
        self.online_tiles.toggled.connect(self._online_toggled)
        self._online_toggled(on)
        app_form = QFormLayout()
        app_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        app_form.addRow(self.tr("Interface language:"), self.language)
        app_form.addRow("", restart)
        app_form.addRow(self.tr("Map tiles:"), self.online_tiles)
        app_form.addRow(self.tr("URL template:"), self.tile_url)
        app_form.addRow(self.tr("Attribution:"), self.tile_attribution)
        app_form.addRow("", self.tile_error)
        app_form.addRow("", tiles_note)
        # The cache of tiles viewed online (the offline-maps part, handed in; absent in a bare
        # dialog): it has tile_cache(), clear_tile_cache() and prefs.
        self._offline: Any = tile_cache_owner
        self.cache_size = QLabel()
        self.cache_size.setWordWrap(True)
        self.clear_cache = QPushButton(self.tr("Clear Tile Cache"))
        self.clear_cache.setToolTip(self.tr("Delete the tiles kept from viewing the map online"))
        self.clear_cache.clicked.connect(self._clear_tile_cache)
        cache_row = QHBoxLayout()
        cache_row.addWidget(self.cache_size, 1)
        cache_row.addWidget(self.clear_cache)
        if self._offline is not None:
            app_form.addRow(self.tr("Tile cache:"), cache_row)
            self._show_cache_size()
        else:
            self.cache_size.hide()
            self.clear_cache.hide()
        app_tab = QWidget()
        app_tab.setLayout(app_form)

        self.tabs = QTabWidget()
        self.tabs.addTab(cluster_tab, self.tr("Cluster"))
        self.tabs.addTab(app_tab, self.tr("Application"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons, 0, Qt.AlignmentFlag.AlignRight)

    def show_application_tab(self) -> None:
        self.tabs.setCurrentIndex(1)

    def _online_toggled(self, on: bool) -> None:
        self.tile_url.setEnabled(on)
        self.tile_attribution.setEnabled(on)
        if not on:
            self.tile_error.hide()

    def _show_cache_size(self) -> None:
        cache = self._offline.tile_cache()
        used = cache.size_bytes if cache is not None else 0
        cap = cache.max_bytes if cache is not None else self._offline.prefs.tile_cache_max_mb * 1024 * 1024
        size = self.locale().formattedDataSize
        fmt = QLocale.DataSizeFormat.DataSizeTraditionalFormat
        self.cache_size.setText(
            self.tr("%1 of at most %2: tiles seen online, shown again when offline")
            .replace("%1", size(used, 1, fmt)).replace("%2", size(cap, 0, fmt)))
        self.clear_cache.setEnabled(used > 0)

    def _clear_tile_cache(self) -> None:
        self._offline.clear_tile_cache()
        self._show_cache_size()

    def tile_problem(self) -> str:
        """Why the online tile settings cannot be kept ("" when they can or the source is off)."""
        return tile_url_problem(self.tile_url.text()) if self.online_tiles.isChecked() else ""

    def accept(self) -> None:
        problem = self.tile_problem()
        if problem:  # keep the dialog open and say what is wrong, next to the field
            self.tile_error.setText(problem)
            self.tile_error.show()
            self.show_application_tab()
            self.tile_url.setFocus()
            return
        super().accept()

    def chosen_online_tiles(self) -> tuple[bool, str, str]:
        return (self.online_tiles.isChecked(), self.tile_url.text().strip(),
                self.tile_attribution.text().strip())

    def cluster_settings(self) -> ClusterSettings:
        auto = self.auto_centre.isChecked()
        lo, hi = sorted((self.mass_min.value(), self.mass_max.value()))
        return dataclasses.replace(
            self._settings,
            name=self.name.text().strip(),
            centre_lat=None if auto else self.centre_lat.value(),
            centre_lon=None if auto else self.centre_lon.value(),
            radius_km=self.radius.value(),
            mass_min=lo,
            mass_max=hi,
            registry_share=self.registry_share.value() / 100,
            registry_max_unlinked=self.max_unlinked.value(),
            anchor_employment_share=self.anchor_emp.value() / 100,
            anchor_link_share=self.anchor_links.value() / 100,
            hhi_concentrated=self.hhi.value(),
        )

    def chosen_language(self) -> str:
        return str(self.language.currentData() or "")
