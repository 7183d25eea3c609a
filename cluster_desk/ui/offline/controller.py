"""The offline-map parts hooked into the window: the place search box, the Basemap menu (tile
packs), the towns layer (View > Towns), the regional basemap's parts (View > Regional Map), the
online tile source preference and "Make This Area Available Offline…".

The window composes this; it holds no map logic of its own (the parts are place_search.py,
tile_packs.py, offline_area_dialog.py, online_tiles.py and MapView). Nothing touches the network
unless the user turns the online tile source on in the settings.

Online tiles: the page's online layer is ``cdesk://app/online/{z}/{x}/{y}`` (the page itself
never talks to the internet). The scheme handler answers it from the tile cache
(``<AppDataLocation>/tile-cache.mbtiles``, capped at ``tiles/cache_max_mb``, 500 MB by default)
and, only while the source is on, fetches what the cache lacks and keeps it. With the source off
the layer stays on the map as long as the cache has tiles: areas seen before still show.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import time
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, Qt
from PySide6.QtWidgets import QMenu, QSizePolicy

from cluster_desk.text.tiles_text import tile_error
from cluster_desk.tiles.cache import CACHE_FILE_NAME, TileCache
from cluster_desk.ui.context import AppContext
from cluster_desk.ui.i18n import ui_text
from cluster_desk.ui.map.scheme import ONLINE_TILE_URL, SCHEME
from cluster_desk.ui.map.view import TownsPayload
from cluster_desk.ui.offline.online_tiles import OnlineTiles
from cluster_desk.ui.offline.place_search import PlaceSearchBox
from cluster_desk.ui.offline.regional_menu import RegionalMapMenu
from cluster_desk.ui.offline.tile_packs import TilePackManager
from cluster_desk.ui.thread_answers import run_off_gui

if TYPE_CHECKING:
    from cluster_desk.ui.map.view import MapView
    from cluster_desk.ui.offline.area_dialog import OfflineAreaDialog

log = logging.getLogger(__name__)

STATUS_MS = 8000
#: Towns of at least this many inhabitants go to the map (about 52,000 places, 1.7-1.9 MB JSON).
TOWNS_MIN_POPULATION = 5_000


class TownsLayer(QObject):
    """The map's offline towns layer: the GeoNames columns are built in a background thread
    (``places.default_index`` is shared and locked, so this waits for a load the search box or
    the roster already started instead of loading twice; the answer comes back through
    ``ui.thread_answers``), then sent to the page once. Opening a project never waits for it.
    The View > Towns toggle only shows or hides what the page has."""

    def __init__(self, map_view: MapView, lang: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.map = map_view
        self.lang = lang
        #: The seq of the setTowns command once sent (None before); ``failed`` if the data is missing.
        self.seq: int | None = None
        self.failed = False
        self.build_s = 0.0  # background time to build the columns (load included)
        self._started = False
        self._payload: TownsPayload | None = None  # built, held while the page paints an open

    def start(self) -> None:
        """Build and send the towns once the page has painted everything it was given first
        (the project being opened at start): their thread and their ~1 MB of text would
        otherwise compete with that first paint (issue 17: start <= 2 s)."""
        if self._started:
            return
        self._started = True
        self.map.drawn.connect(self._page_painted)

    def _page_painted(self, seq: int) -> None:
        if seq < self.map.seq:
            return  # more is on its way to the page
        self.map.drawn.disconnect(self._page_painted)
        run_off_gui(self, partial(_build_towns, self.lang), self._built, name="towns-layer")

    def _built(self, answer: tuple[TownsPayload | None, float]) -> None:
        payload, self.build_s = answer
        if payload is None:
            self.failed = True
            return
        self._payload = payload
        if self.map.last_drawn < self.map.seq:
            # The page is painting (a project opened meanwhile): after that paint. Sent in the
            # middle of a first open, the towns' ~1.7 MB were parsed and laid out (~0.1 s of
            # the page) before its members were drawn.
            self.map.drawn.connect(self._send_when_painted)
            return
        self._send()

    def _send_when_painted(self, seq: int) -> None:
        if seq < self.map.seq:
            return  # more is on its way to the page
        self.map.drawn.disconnect(self._send_when_painted)
        self._send()

    def _send(self) -> None:
        payload, self._payload = self._payload, None
        if payload is not None:
            self.seq = self.map.set_towns(payload)

    @property
    def settled(self) -> bool:
        """Nothing more will come: sent (and drawn by the page) or failed."""
        return self.failed or (self.seq is not None and self.map.last_drawn >= self.seq)


def _build_towns(lang: str) -> tuple[TownsPayload | None, float]:
    """On the thread: the towns' payload (None: the data is missing) and the seconds it took."""
    t0 = time.perf_counter()
    try:
        from cluster_desk.places import towns

        # Validated and encoded here too: the GUI thread only hands the text to the page.
        payload: TownsPayload | None = TownsPayload(towns(TOWNS_MIN_POPULATION, lang))
    except Exception:  # a missing or damaged data file: the map simply has no towns
        log.exception("towns layer: could not build the towns from the place index")
        payload = None
    return payload, time.perf_counter() - t0


class OfflineMaps(QObject):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx.dialog_parent)
        self.ctx = ctx
        self.session = ctx.session
        self.map = ctx.map
        self.prefs = ctx.prefs
        self.search = PlaceSearchBox(lang=ctx.lang)
        self.search.setObjectName("place_search")
        self.search.setPlaceholderText(self.tr("Find a place or coordinates…"))
        self.search.setToolTip(self.tr("A town or village by name (Russian or Latin script), or "
                                       "coordinates such as 55.79, 49.12 — Ctrl+L"))
        self.search.setMinimumWidth(220)
        self.search.setMaximumWidth(340)
        self.search.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.search.placeFound.connect(self.centre_on)
        self.search.message.connect(self._message)

        self.packs = TilePackManager(self.map, self.prefs.qsettings, self)
        self.basemap_menu = QMenu(self.tr("&Basemap"), ctx.dialog_parent)
        self.basemap_menu.aboutToShow.connect(lambda: self.packs.populate_menu(self.basemap_menu))
        #: The open "make this area available offline" dialog (tests fill and read it).
        self.dialog: OfflineAreaDialog | None = None
        self._tiles_shown: tuple[str, str] | None = None  # (url, attribution) the map was given
        self._cache: TileCache | None = None
        self._cache_failed = False

        self.towns = TownsLayer(self.map, ctx.lang, self)
        shown = self.prefs.show_towns
        ctx.actions.show_towns.setChecked(shown)
        if not shown:
            self.map.show_towns(False)
        ctx.actions.show_towns.toggled.connect(self.show_towns)
        # View > Regional Map: the built-in regional basemap's parts (regional_menu.py).
        self.regional = RegionalMapMenu(self.map, self.prefs, ctx.dialog_parent)

        ctx.actions.find_place.triggered.connect(self.focus_search)
        ctx.actions.make_offline.triggered.connect(self.make_area_offline)

    # ----- start and quit ---------------------------------------------------------------------

    def restore(self) -> None:
        """At start: reopen the remembered tile packs and the online source if it is on."""
        self.packs.restore()
        if self.packs.problems:
            self._message(self.tr("Some tile packs could not be opened: %1")
                          .replace("%1", "; ".join(self.packs.problems)))
        self.apply_online_tiles()
        self.towns.start()  # in the background; the page gets the towns when they are ready

    def close(self) -> None:
        self.packs.close()
        self.online.set_source(None)
        self.online.set_cache(None)
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    # ----- towns layer ---------------------------------------------------------------------------

    def show_towns(self, on: bool) -> None:
        """View > Towns: show or hide the towns (remembered in the preferences)."""
        self.prefs.show_towns = on
        if on != self.map.towns_shown:
            self.map.show_towns(on)

    # ----- search -------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def centre_on(self, lat: float, lon: float, name: str, zoom: int) -> int:
        seq = self.map.centre_on(lat, lon, zoom)
        self.ctx.notifier.status(self.tr("Centred on %1").replace("%1", name), STATUS_MS)
        return seq

    def _message(self, text: str) -> None:
        if text:
            self.ctx.notifier.status(text, STATUS_MS)
        else:
            self.ctx.notifier.clear()

    # ----- online tile source -------------------------------------------------------------------

    @property
    def online(self) -> OnlineTiles:
        """The scheme handler's online layer (cache and fetching)."""
        handler = self.map.profile.urlSchemeHandler(SCHEME.encode())
        return handler.online  # type: ignore[attr-defined]

    def cache_path(self) -> Path:
        configured = self.prefs.tile_cache_path
        if configured:
            return Path(configured)
        base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        return Path(base or Path.home()) / CACHE_FILE_NAME

    def tile_cache(self, create: bool = False) -> TileCache | None:
        """The open tile cache; opened on first use (created only when ``create``: nothing is
        written to disk while the online source has never been on)."""
        if self._cache is None and not self._cache_failed:
            path = self.cache_path()
            if create or path.is_file():
                try:
                    self._cache = TileCache(path, self.prefs.tile_cache_max_mb * 1024 * 1024)
                except (OSError, sqlite3.Error) as e:
                    self._cache_failed = True  # not retried on every change: once per run
                    log.warning("tile cache %s cannot be opened: %s", path, e)
                    self._message(self.tr("The tile cache cannot be opened: %1").replace("%1", str(e)))
                else:
                    self.online.set_cache(self._cache)
        return self._cache

    def clear_tile_cache(self) -> None:
        cache = self.tile_cache()
        if cache is not None:
            cache.clear()
        self.apply_online_tiles()

    def apply_online_tiles(self) -> None:
        """Set the online source from the preferences (or none: nothing is fetched) and give the
        map the online layer when it can show something: the source is on, or the cache has
        tiles seen before."""
        from cluster_desk.tiles.downloader import TileSource

        source = self.prefs.online_tile_source()
        cache = self.tile_cache(create=source is not None)
        self.online.set_source(TileSource(*source) if source is not None else None)
        if source is not None:
            if cache is not None:
                cache.set_attribution(source[1])
            shown: tuple[str, str] | None = (ONLINE_TILE_URL, source[1])
        elif cache is not None and not cache.is_empty():
            shown = (ONLINE_TILE_URL, cache.attribution)
        else:
            shown = None
        if shown == self._tiles_shown:
            return
        if shown is None:
            self.map.set_online_tiles(None)
        else:
            self.map.set_online_tiles(*shown)
        self._tiles_shown = shown

    # ----- make this area available offline -----------------------------------------------------

    def make_area_offline(self) -> None:
        """Ask the page what it shows, then open the dialog (never waits for the page)."""
        self.map.request_view_bounds(self._open_dialog)

    def _default_target(self) -> Path:
        base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        session = self.session
        stem = session.path.stem if session.path is not None else "area"
        stem = re.sub(r"[^\w.-]+", "-", stem).strip("-") or "area"
        return Path(base or Path.home()) / "tiles" / f"{stem}-{date.today().isoformat()}.mbtiles"

    def _open_dialog(self, view_bbox: tuple[float, float, float, float] | None) -> None:
        from cluster_desk.tiles.downloader import TileSource

        if self.dialog is not None:
            self.dialog.raise_()
            return
        configured = self.prefs.online_tile_source()
        source = TileSource(configured[0], configured[1]) if configured else None
        circle = self.session.circle if self.session.is_open else None
        target = self._default_target()
        if source is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
        from cluster_desk.tiles.presets import bulk_download_forbidden
        from cluster_desk.ui.offline.tile_presets import bulk_refusal_text

        forbidding = bulk_download_forbidden(source.url_template) if source is not None else None
        refused = bulk_refusal_text(forbidding) if forbidding is not None else ""
        from cluster_desk.ui.offline.area_dialog import OfflineAreaDialog  # here: not needed at start

        dialog = OfflineAreaDialog(source, circle, view_bbox, target, self.ctx.dialog_parent, refused=refused)
        dialog.packReady.connect(self._pack_ready)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None) if self.dialog is dialog else None)
        self.dialog = dialog
        dialog.open()

    def _pack_ready(self, path: str) -> None:
        from cluster_desk.tiles.mbtiles import MBTilesError

        try:
            info = self.packs.add(path)
        except MBTilesError as e:
            self.ctx.notifier.error(self.tr("Cannot open the tile pack"), tile_error(e, ui_text()))
            return
        self.packs.set_active(info.pack_id)
        self._message(self.tr("The downloaded area is now the basemap: %1").replace("%1", info.name))
