"""Cluster settings (name, centre; every threshold of the checks on the Thresholds tab, each with
its default and source: ui.project.threshold_fields) and app preferences."""

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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cluster_desk.core.model import ClusterSettings
from cluster_desk.ui.offline.tile_presets import TileSourcePicker
from cluster_desk.ui.preferences import tile_url_problem
from cluster_desk.ui.project.threshold_fields import ThresholdsTab


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
        self.resize(820, 660)  # the Thresholds tab scrolls; this shows a good part of it

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
        centre = QHBoxLayout()
        centre.addWidget(QLabel(self.tr("lat")))
        centre.addWidget(self.centre_lat)
        centre.addWidget(QLabel(self.tr("lon")))
        centre.addWidget(self.centre_lon)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Cluster name:"), self.name)
        form.addRow(self.tr("Centre:"), self.auto_centre)
        form.addRow("", centre)
        where = QLabel(self.tr("The norm radius is measured from this centre. It and every other "
                               "threshold of the checks are on the Thresholds tab, each with its "
                               "default and source."))
        where.setWordWrap(True)
        where.setStyleSheet("color: #6b7079;")
        form.addRow("", where)
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
        # Presets with their usage terms, or "Custom" (tile_presets.py).
        self.tile_terms = QLabel(wordWrap=True, openExternalLinks=True)
        self.tile_terms.setTextFormat(Qt.TextFormat.RichText)
        self.tile_terms.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.tile_source = TileSourcePicker(self.tile_url, self.tile_attribution, self.tile_terms)
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
        app_form.addRow(self.tr("Source:"), self.tile_source)
        app_form.addRow(self.tr("URL template:"), self.tile_url)
        app_form.addRow(self.tr("Attribution:"), self.tile_attribution)
        app_form.addRow("", self.tile_terms)
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
        self.thresholds = ThresholdsTab(settings)
        self.tabs.addTab(cluster_tab, self.tr("Cluster"))
        self.tabs.addTab(self.thresholds, self.tr("Thresholds"))
        self.tabs.addTab(app_tab, self.tr("Application"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.thresholds.error)  # under the tabs: seen wherever the tab is scrolled
        layout.addWidget(buttons, 0, Qt.AlignmentFlag.AlignRight)

    def show_application_tab(self) -> None:
        self.tabs.setCurrentIndex(2)

    def _online_toggled(self, on: bool) -> None:
        self.tile_url.setEnabled(on)
        self.tile_attribution.setEnabled(on)
        self.tile_source.setEnabled(on)
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
        if self.thresholds.show_problem():  # keep the dialog open: the problem shows under the fields
            self.tabs.setCurrentWidget(self.thresholds)
            return
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
        s = dataclasses.replace(
            self._settings,
            name=self.name.text().strip(),
            centre_lat=None if auto else self.centre_lat.value(),
            centre_lon=None if auto else self.centre_lon.value(),
        )
        return self.thresholds.values(s)

    def chosen_language(self) -> str:
        return str(self.language.currentData() or "")
