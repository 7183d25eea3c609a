"""View > Regional Map: show or hide the parts of the built-in regional basemap (lakes and
reservoirs, rivers, federal-subject borders with their names), remembered in the preferences.

The page draws the parts (``resources/web/basemap.js``); this only keeps the menu, the
preferences and the map in step.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from cluster_desk.tiles.regional import PARTS
from cluster_desk.ui.map.view import MapView
from cluster_desk.ui.preferences import Preferences


class RegionalMapMenu(QObject):
    def __init__(self, map_view: MapView, prefs: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.map = map_view
        self.prefs = prefs
        self.menu = QMenu(self.tr("&Regional Map"), parent)
        self.menu.setObjectName("regional_map_menu")
        self.menu.setToolTipsVisible(True)
        titles = {
            "water": (self.tr("&Lakes and Reservoirs"), self.tr("Lakes and reservoirs of Russia (GSHHG)")),
            "rivers": (self.tr("&Rivers"), self.tr("Rivers of Russia (WDBII)")),
            "borders": (self.tr("&Borders and Names of Regions"),
                        self.tr("Borders of Russia’s federal subjects and their names (DCW-GMT)")),
        }
        #: One checkable action per part, keyed by the part's name ("water", "rivers", "borders").
        self.actions: dict[str, QAction] = {}
        shown = prefs.regional_parts
        for part in PARTS:
            text, tip = titles[part]
            action = self.menu.addAction(text)
            action.setToolTip(tip)
            action.setCheckable(True)
            action.setChecked(shown[part])
            action.setObjectName(f"regional_{part}")
            action.toggled.connect(lambda on, part=part: self.set_shown(part, on))
            self.actions[part] = action
        if not all(shown.values()):
            self.map.set_regional_parts(shown)

    def set_shown(self, part: str, on: bool) -> None:
        """Show or hide one part, on the map and in the preferences."""
        self.prefs.regional_parts = {part: on}
        if self.map.regional_parts.get(part) != on:
            self.map.set_regional_parts({part: on})
