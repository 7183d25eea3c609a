"""Offline tile packs (MBTiles) as basemaps: add, remove, choose the active one; remembered.

``TilePackManager`` owns the open packs, registers them with the MapView's URL scheme and keeps
the list and the active pack in QSettings (``tiles/packs``, ``tiles/active``). Its
``populate_menu(menu)`` fills a "Basemap" menu: the layer switcher (world outlines only, or one
pack), "Add tile pack…" and "Remove this pack".
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QSettings, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from cluster_desk.text.tiles_text import tile_error
from cluster_desk.tiles.mbtiles import MBTiles, MBTilesError, PackInfo
from cluster_desk.ui.i18n import ui_text
from cluster_desk.ui.map.view import MapView
from cluster_desk.ui.widgets.plain_text import menu_text, plain_tip, warn

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

KEY_PACKS = "tiles/packs"
KEY_ACTIVE = "tiles/active"


class TilePackManager(QObject):
    packsChanged = Signal()  # list or active pack changed

    def __init__(self, map_view: MapView, settings: QSettings | None = None, parent: QObject | None = None):
        super().__init__(parent or map_view)
        self._view = map_view
        self._settings = settings if settings is not None else QSettings()
        self._packs: dict[str, MBTiles] = {}
        self.problems: list[str] = []  # packs that could not be reopened at start (moved, damaged)

    # -- state --

    def restore(self) -> None:
        """Reopen the remembered packs and re-select the active one. Missing files are kept
        in the list (a USB stick may be unplugged) but reported in ``problems``."""
        active = str(self._settings.value(KEY_ACTIVE, "") or "")
        for path in self._remembered():
            try:
                info = self._open(path)
            except MBTilesError as e:
                self.problems.append(tile_error(e, ui_text()))
                continue
            if path == active:
                self._view.set_tile_pack(info.pack_id)
        self.packsChanged.emit()

    def _remembered(self) -> list[str]:
        value = self._settings.value(KEY_PACKS, [])
        if isinstance(value, str):  # QSettings gives a bare string for a one-item list
            value = [value]
        return [str(v) for v in (value or []) if v]

    def _open(self, path: str) -> PackInfo:
        pack = MBTiles(path)
        if pack.info.pack_id in self._packs:
            pack.close()
            return self._packs[pack.info.pack_id].info
        self._packs[pack.info.pack_id] = pack
        self._view.add_tile_pack(pack)
        return pack.info

    def packs(self) -> list[PackInfo]:
        return [p.info for p in self._packs.values()]

    @property
    def active(self) -> str | None:
        return self._view.active_tile_pack

    def add(self, path: str | Path) -> PackInfo:
        """Open a pack and remember it (MBTilesError with a readable message if it is not one)."""
        path = str(Path(path).resolve())
        info = self._open(path)
        remembered = self._remembered()
        if path not in remembered:
            self._settings.setValue(KEY_PACKS, [*remembered, path])
        self.packsChanged.emit()
        return info

    def remove(self, pack_id: str) -> None:
        pack = self._packs.pop(pack_id, None)
        if pack is None:
            return
        self._view.remove_tile_pack(pack_id)
        self._settings.setValue(KEY_PACKS, [p for p in self._remembered() if p != pack.info.path])
        if self._settings.value(KEY_ACTIVE, "") == pack.info.path:
            self._settings.setValue(KEY_ACTIVE, "")
        pack.close()
        self.packsChanged.emit()

    def set_active(self, pack_id: str | None) -> None:
        self._view.set_tile_pack(pack_id)
        path = self._packs[pack_id].info.path if pack_id else ""
        self._settings.setValue(KEY_ACTIVE, path)
        self.packsChanged.emit()

    def close(self) -> None:
        for pid in list(self._packs):
            self._view.remove_tile_pack(pid)
            self._packs.pop(pid).close()

    # -- UI --

    def populate_menu(self, menu: QMenu) -> None:
        """(Re)fill ``menu`` with the layer switcher and pack commands; call on aboutToShow."""
        menu.clear()
        group = QActionGroup(menu)
        group.setExclusive(True)
        none = QAction(translate("TilePacks", "World outlines only"), menu, checkable=True)
        none.setChecked(self.active is None)
        none.triggered.connect(lambda: self.set_active(None))
        group.addAction(none)
        menu.addAction(none)
        for info in self.packs():
            label = menu_text(info.name) + f"  (z{info.min_zoom}–{info.max_zoom})"
            act = QAction(label, menu, checkable=True)
            act.setToolTip(plain_tip(info.path))
            act.setChecked(self.active == info.pack_id)
            act.triggered.connect(lambda _c=False, pid=info.pack_id: self.set_active(pid))
            group.addAction(act)
            menu.addAction(act)
        menu.addSeparator()
        add = menu.addAction(translate("TilePacks", "Add tile pack (MBTiles)…"))
        add.triggered.connect(lambda: self.add_with_dialog(menu.parentWidget()))
        if self.active is not None:
            rm = menu.addAction(translate("TilePacks", "Remove the shown pack from the list"))
            rm.triggered.connect(lambda: self.remove(self.active or ""))

    def add_with_dialog(self, parent: QWidget | None) -> PackInfo | None:
        path, _ = QFileDialog.getOpenFileName(
            parent,
            translate("TilePacks", "Add a tile pack"),
            "",
            translate("TilePacks", "MBTiles tile packs (*.mbtiles);;All files (*)"),
        )
        if not path:
            return None
        try:
            info = self.add(path)
        except MBTilesError as e:
            warn(parent, translate("TilePacks", "Not a tile pack"), tile_error(e, ui_text()))
            return None
        self.set_active(info.pack_id)
        return info
