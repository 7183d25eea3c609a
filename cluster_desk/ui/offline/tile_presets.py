"""Online tile sources as presets in the settings: a source list, each with its terms, plus
"Custom" (cluster_desk.tiles.presets holds the sources; the texts users read are here)."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from cluster_desk.tiles.presets import CUSTOM, PRESETS, TilePreset, preset, preset_for_url

translate = QCoreApplication.translate  # lupdate extracts translate("Context", "text")


def terms_text(p: TilePreset) -> str:
    """The operator's usage terms in a sentence or two (plain text)."""
    if p.key == "osm":
        return translate(
            "TilePresets",
            "OpenStreetMap Foundation tile usage policy: for viewing the map, light use only; "
            "bulk downloading (saving areas for offline use) is forbidden.",
        )
    if p.key == "opentopomap":
        return translate(
            "TilePresets",
            "openmaps.fr tile usage policy: free for non-commercial projects at low volume "
            "(under about 400,000 tiles a month); heavy use may be blocked without notice.",
        )
    return ""


def bulk_refusal_text(p: TilePreset) -> str:
    """Why an area download from this source is refused (plain text)."""
    return (
        translate(
            "TilePresets",
            "%1 does not allow bulk downloading: its tile usage policy forbids saving areas for "
            "offline use (%2). Choose another source in Settings › Application, or add a tile "
            "pack (View › Basemap).",
        )
        .replace("%1", p.name)
        .replace("%2", p.terms_url)
    )


class TileSourcePicker(QComboBox):
    """Presets plus "Custom". A preset fills the URL and attribution fields (read-only) and shows
    its terms under them; "Custom" leaves them to the user."""

    def __init__(self, url_edit: QLineEdit, attribution_edit: QLineEdit, terms: QLabel,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._url, self._attribution, self._terms = url_edit, attribution_edit, terms
        for p in PRESETS:
            self.addItem(p.name, p.key)
        self.addItem(translate("TilePresets", "Custom"), CUSTOM)
        found = preset_for_url(url_edit.text())
        exact = found is not None and found.url_template == url_edit.text().strip()
        # What "Custom" shows: the user's own URL and attribution, kept while a preset is shown.
        self._custom = ("", "") if exact else (url_edit.text(), attribution_edit.text())
        if exact and found is not None:
            key = found.key
        else:
            key = CUSTOM if url_edit.text().strip() else PRESETS[0].key
        self._shown_custom = False
        self.setCurrentIndex(max(0, self.findData(key)))
        self.currentIndexChanged.connect(self._apply)
        self._apply()

    def _apply(self, *_args: object) -> None:
        if self._shown_custom:  # leaving "Custom": keep what was typed for a way back
            self._custom = (self._url.text(), self._attribution.text())
        p = preset(str(self.currentData()))
        self._shown_custom = p is None
        self._url.setReadOnly(p is not None)
        self._attribution.setReadOnly(p is not None)
        if p is None:
            self._url.setText(self._custom[0])
            self._attribution.setText(self._custom[1])
            self._terms.setText(html.escape(translate(
                "TilePresets", "Custom: respect the tile server's usage policy and credit it as it asks.")))
            return
        self._url.setText(p.url_template)
        self._attribution.setText(p.attribution)
        link = html.escape(p.terms_url)
        self._terms.setText(f'{html.escape(terms_text(p))} <a href="{link}">{link}</a>')
