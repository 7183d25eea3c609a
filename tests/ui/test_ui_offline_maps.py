"""The offline-map parts in the main window: place search, basemap menu, online tile source,
"make this area available offline", the nearest-place column and the view at open.
Real page, real project and tile-pack files in tmp_path, no mocks."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from map_page_helpers import wait_settled  # noqa: E402
from PySide6.QtCore import QLocale, QUrl  # noqa: E402
from PySide6.QtWebEngineCore import (  # noqa: E402
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)
from tile_server import TileServer, tile_colour  # noqa: E402
from tilepack_helpers import coloured_tiles, make_pack  # noqa: E402
from ui_helpers import TIMEOUT, demo_file, js, make_window  # noqa: E402

KAZAN = (55.7887, 49.1221)
LOCAL_SCHEMES = {"cdesk", "qrc", "data", "blob"}


@pytest.fixture
def window(qtbot: Any, tmp_path: Path) -> Any:
    # The tile cache in tmp_path, not in the user's application data (make_window reads this file).
    from PySide6.QtCore import QSettings

    prefs = QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat)
    prefs.setValue("tiles/cache_path", str(tmp_path / "cache" / "tile-cache.mbtiles"))
    prefs.sync()
    return make_window(qtbot, tmp_path)


def open_demo(qtbot: Any, window: Any, tmp_path: Path) -> Path:
    path = demo_file(tmp_path)
    assert window.files.open_path(path)
    synced(qtbot, window)
    return path


def synced(qtbot: Any, window: Any) -> None:
    """Until the page has run every command sent so far (a no-op command as the marker: acks
    coalesce to the latest, so its ack means all earlier ones ran); the view is left as is."""
    seq = window.map.set_mode(window.map.mode)
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)


def view_bounds(qtbot: Any, window: Any) -> tuple[float, float, float, float]:
    box: list[Any] = []
    window.map.request_view_bounds(box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=TIMEOUT)
    assert box[0] is not None
    return box[0]


class Recorder(QWebEngineUrlRequestInterceptor):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        self.urls.append(info.requestUrl().toString())


def test_search_box_centres_the_map_on_a_town_and_on_coordinates(qtbot: Any, tmp_path: Path,
                                                                  window: Any) -> None:
    open_demo(qtbot, window, tmp_path)
    search = window.offline.search
    assert window.search_toolbar.isAncestorOf(search) and search.isVisible()
    assert search.placeholderText() == "Find a place or coordinates…"
    assert window.actions.find_place.shortcut().toString() == "Ctrl+L"
    search.setText("Naberezhnye Chelny")
    assert search.choose_current()
    synced(qtbot, window)
    stats = js(qtbot, window, "window.__clusterDesk.stats()")
    assert stats["centre"] == pytest.approx([55.74, 52.40], abs=0.05)
    assert stats["zoom"] == 11  # a town of half a million
    assert "Naberezhnyye Chelny" in window.statusBar().currentMessage()

    search.setText("55.5, 51.0")
    assert search.choose_current()
    synced(qtbot, window)
    stats = js(qtbot, window, "window.__clusterDesk.stats()")
    assert stats["centre"] == pytest.approx([55.5, 51.0], abs=1e-6) and stats["zoom"] == 12

    search.setText("95, 10")  # not a latitude: the status bar says why, the map stays
    assert not search.choose_current()
    assert "95" in window.statusBar().currentMessage()


def test_basemap_menu_lists_an_added_pack_and_shows_it(qtbot: Any, tmp_path: Path, window: Any) -> None:
    pack = make_pack(tmp_path / "kazan.mbtiles", coloured_tiles(*KAZAN, [6, 7], radius=1),
                     {"name": "Kazan test pack", "minzoom": "6", "maxzoom": "7"})
    menu = window.offline.basemap_menu
    assert menu.menuAction() in window.menuBar().actions()[2].menu().actions()  # View → Basemap
    info = window.offline.packs.add(pack)
    menu.aboutToShow.emit()
    texts = [a.text() for a in menu.actions()]
    assert texts[0] == "World outlines only" and menu.actions()[0].isChecked()
    assert "Kazan test pack  (z6–7)" in texts and any(t.startswith("Add tile pack") for t in texts)
    next(a for a in menu.actions() if a.text().startswith("Kazan test pack")).trigger()
    assert window.map.active_tile_pack == info.pack_id
    synced(qtbot, window)
    assert js(qtbot, window, "window.__clusterDesk.stats().pack") == info.pack_id
    menu.aboutToShow.emit()  # refilled: the pack is now the checked one
    assert next(a for a in menu.actions() if a.text().startswith("Kazan")).isChecked()
    assert str(pack.resolve()) in str(window.prefs.qsettings.value("tiles/packs"))


@pytest.fixture
def server(tile_server_factory: Any) -> TileServer:
    return tile_server_factory(size=256, colour=tile_colour, max_requests=500)


def test_online_tiles_are_off_by_default_and_nothing_leaves_the_machine(qtbot: Any, tmp_path: Path,
                                                                         window: Any, server: Any) -> None:
    recorder = Recorder()
    window.map.profile.setUrlRequestInterceptor(recorder)
    # Chromium would block remote requests before the interceptor sees them; allow them so that
    # any remote request the page tried would be recorded here.
    window.map.page().settings().setAttribute(
        QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, True)
    assert window.prefs.online_tiles is False and window.prefs.online_tile_source() is None
    open_demo(qtbot, window, tmp_path)
    js(qtbot, window, "window.__clusterDesk.view(55.79, 49.12, 12)")
    # No tile layer exists, so nothing at this zoom can ask for a tile (the view is set synchronously).
    assert js(qtbot, window, "window.__clusterDesk.stats().tiles") is False
    assert {QUrl(u).scheme() for u in recorder.urls} <= LOCAL_SCHEMES, recorder.urls
    cache_file = tmp_path / "cache" / "tile-cache.mbtiles"
    assert not cache_file.exists()  # nothing written while the source was never on

    # The offline-area command explains that it needs a source and stays disabled. Its circle
    # choice needs the cluster circle, which the assessment (on the worker) brings.
    qtbot.waitUntil(lambda: window.session.circle is not None, timeout=TIMEOUT)
    window.actions.make_offline.trigger()
    qtbot.waitUntil(lambda: window.offline.dialog is not None, timeout=TIMEOUT)
    dlg = window.offline.dialog
    assert not dlg.estimate_btn.isEnabled() and not dlg.start_btn.isEnabled()
    assert "online tile source" in dlg.info.text()
    assert dlg.circle_btn.isEnabled() and dlg.circle_btn.isChecked() and dlg.view_btn.isEnabled()
    dlg.reject()
    assert window.offline.dialog is None

    # Settings → Application: a bad template is refused next to the field, a good one is used.
    window.edits.open_settings(True)
    settings = window.edits.settings_dialog
    assert not settings.online_tiles.isChecked() and not settings.tile_url.isEnabled()
    settings.online_tiles.setChecked(True)
    settings.tile_url.setText("ftp://tiles.local/{z}/{x}.png")
    settings.accept()
    assert settings.isVisible() and "https://" in settings.tile_error.text()
    settings.tile_url.setText(server.template)  # http is fine: Python fetches, not the page
    settings.tile_attribution.setText("© Test tiles")
    assert settings.cache_size.text().startswith("0 bytes of at most 500 MB")
    assert not settings.clear_cache.isEnabled()
    settings.accept()  # no page reload: the CSP does not change
    assert window.prefs.online_tile_source() == (server.template, "© Test tiles")
    qtbot.waitUntil(lambda: js(qtbot, window, "window.__clusterDesk.stats().tiles") is True,
                    timeout=TIMEOUT)
    assert js(qtbot, window, "window.__clusterDesk.stats().members") == len(window.map.member_ids())
    # The page asked cdesk://app/online/…; Python fetched from the server and kept the tiles.
    qtbot.waitUntil(lambda: server.hits > 0, timeout=TIMEOUT)
    cache = window.offline.tile_cache()
    assert cache is not None and cache.path == cache_file
    qtbot.waitUntil(lambda: cache.count() > 0, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.offline.online.pending() == 0, timeout=TIMEOUT)

    window.actions.make_offline.trigger()
    qtbot.waitUntil(lambda: window.offline.dialog is not None, timeout=TIMEOUT)
    dlg = window.offline.dialog
    assert dlg.estimate_btn.isEnabled() and "© Test tiles" in dlg.info.text()
    assert dlg.target.text().endswith(".mbtiles")
    dlg.reject()

    # Source off: the layer stays (cached tiles still show) and nothing more is fetched.
    window.edits.open_settings(True)
    settings = window.edits.settings_dialog
    # The size the cache holds (one tile is a few hundred bytes, more are a few kB).
    used = settings.locale().formattedDataSize(
        cache.size_bytes, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)
    assert cache.size_bytes > 0 and settings.clear_cache.isEnabled()
    assert settings.cache_size.text().startswith(f"{used} of at most 500 MB")
    settings.online_tiles.setChecked(False)
    settings.accept()
    hits = server.hits
    assert window.offline.online.source is None
    assert js(qtbot, window, "window.__clusterDesk.stats().tiles") is True
    online = window.offline.online
    refused = online.stats["not_found"]
    js(qtbot, window, "window.__clusterDesk.view(55.0, 40.0, 9)")  # never seen
    # The page asks for that view's tiles; each is answered at once, none fetched.
    qtbot.waitUntil(lambda: online.stats["not_found"] > refused and online.pending() == 0, timeout=TIMEOUT)
    assert server.hits == hits

    # "Clear Tile Cache": the cache is empty and, with the source off, the layer goes.
    window.edits.open_settings(True)
    settings = window.edits.settings_dialog
    settings.clear_cache.click()
    assert cache.is_empty() and settings.cache_size.text().startswith("0 bytes")
    settings.reject()
    qtbot.waitUntil(lambda: js(qtbot, window, "window.__clusterDesk.stats().tiles") is False,
                    timeout=TIMEOUT)
    assert {QUrl(u).scheme() for u in recorder.urls} <= LOCAL_SCHEMES, recorder.urls
    assert any(u.startswith("cdesk://app/online/") for u in recorder.urls)
    assert server.hits == hits
    window.map.profile.setUrlRequestInterceptor(None)


def test_nearest_place_fills_in_for_visible_rows_only(qtbot: Any, tmp_path: Path, window: Any) -> None:
    open_demo(qtbot, window, tmp_path)
    model, view = window.roster_model, window.roster.view
    proxy = window.roster.proxy
    first = next(r for r in range(proxy.rowCount())
                 if model.member_at(proxy.mapToSource(proxy.index(r, 0)).row()).located)
    member = model.member_at(proxy.mapToSource(proxy.index(first, 0)).row())
    qtbot.waitUntil(lambda: model.nearest.cached(member) is not None, timeout=TIMEOUT)
    text = model.nearest.cached(member)
    m = re.fullmatch(r"(.+) \((\d+(?:\.\d)?) km\)", text)
    assert m and float(m.group(2)) < 100, text
    from cluster_desk.ui.roster.model import COL

    index = proxy.index(first, COL["nearest"])
    assert index.data() == text and text in index.data(3)  # display and tooltip
    # A Kazan firm's nearest place is a Kazan-area settlement, a few km away at most.
    kazan = next(x for x in window.session.members.values()
                 if x.located and abs(x.lat - KAZAN[0]) < 0.05 and abs(x.lon - KAZAN[1]) < 0.08)
    row = window.roster.proxy.mapFromSource(model.index(model.row_of(kazan.id), 0)).row()
    view.scrollTo(window.roster.proxy.index(row, 0))
    qtbot.waitUntil(lambda: model.nearest.cached(kazan) is not None, timeout=TIMEOUT)
    assert float(re.search(r"\((\d+(?:\.\d)?) km\)", model.nearest.cached(kazan)).group(1)) < 15
    # Rows never shown are never computed.
    shown = {view.rowAt(y) for y in range(0, view.viewport().height(), 4)}
    hidden = [r for r in range(window.roster.proxy.rowCount()) if r not in shown and abs(r - row) > 40]
    assert hidden
    far = model.member_at(window.roster.proxy.mapToSource(window.roster.proxy.index(hidden[-1], 0)).row())
    assert model.nearest.cached(far) is None


def test_open_fits_the_cluster_circle_not_the_world(qtbot: Any, tmp_path: Path, window: Any) -> None:
    from cluster_desk.core.geodesy import circle_outline

    open_demo(qtbot, window, tmp_path)
    qtbot.waitUntil(lambda: window.session.circle is not None)  # assessed after the map
    lat, lon, radius = window.session.circle
    ring = circle_outline(lat, lon, radius)
    south, north = min(p[0] for p in ring), max(p[0] for p in ring)
    west, east = min(p[1] for p in ring), max(p[1] for p in ring)
    vw, vs, ve, vn = view_bounds(qtbot, window)
    assert vw <= west and ve >= east and vs <= south and vn >= north  # the whole circle shows
    assert ve - vw < 4 * (east - west) and vn - vs < 4 * (north - south)  # and fills the map
    assert vw > 20  # not stretched to the foreign partners in Germany

    window.actions.fit_everything.trigger()  # Fit Everything includes them
    synced(qtbot, window)
    assert view_bounds(qtbot, window)[0] < 10
    with pytest.raises(ValueError):
        window.map.fit_bounds(50, 40, 45, 50)  # south above north
    with pytest.raises(ValueError):
        window.map.fit_bounds(float("nan"), 40, 45, 50)


def test_the_opening_fit_follows_the_legend_until_the_user_moves_the_map(
        qtbot: Any, tmp_path: Path, window: Any) -> None:
    """The legend collapses or opens by the map's size once the window has its size; the opening
    fit is made again to keep it clear (it was left off-centre, fitted beside a legend that had
    since collapsed). Once the user has moved the map, the legend no longer moves the view."""
    window.resize(1400, 900)  # a map wide enough that the fit keeps beside the open legend
    open_demo(qtbot, window, tmp_path)
    qtbot.waitUntil(lambda: window.session.circle is not None)
    wait_settled(qtbot, window.map)
    toggle = window.legend.toggle
    if not toggle.isChecked():
        toggle.click()  # open (as the user would: the legend then keeps the user's choice)
    qtbot.waitUntil(lambda: window._padding()[2] > 100, timeout=TIMEOUT)
    synced(qtbot, window)
    wait_settled(qtbot, window.map)
    seen = []
    for _ in range(2):  # collapse and open again: both change the padding
        padding = window._padding()
        toggle.click()
        qtbot.waitUntil(lambda p=padding: window._padding() != p, timeout=TIMEOUT)
        synced(qtbot, window)
        wait_settled(qtbot, window.map)
        after_toggle = view_bounds(qtbot, window)
        window.fit_cluster()  # what a fresh fit with the legend as it is now shows
        synced(qtbot, window)
        wait_settled(qtbot, window.map)
        assert view_bounds(qtbot, window) == pytest.approx(after_toggle, abs=1e-6)
        seen.append(after_toggle)
    assert seen[0] != pytest.approx(seen[1], abs=1e-3)  # the padding did move the view

    js(qtbot, window, "document.querySelector('.leaflet-container').dispatchEvent("
                      "new MouseEvent('mousedown', {bubbles: true})), true")  # the user takes the map
    moved = view_bounds(qtbot, window)
    toggle.click()
    synced(qtbot, window)
    wait_settled(qtbot, window.map)
    assert view_bounds(qtbot, window) == pytest.approx(moved, abs=1e-9)
    toggle.click()

def test_about_credits_the_place_data_once(qtbot: Any) -> None:
    from cluster_desk.ui.shell.about import about_text

    text = about_text()
    assert "GeoNames" in text and "CC BY 4.0" in text
    assert text.count("Natural Earth") == 1


def test_towns_layer_is_sent_once_in_the_background_and_toggles(qtbot: Any, tmp_path: Path,
                                                                 window: Any) -> None:
    ops: list[str] = []
    window.map.bridge.command.connect(lambda text: ops.append(json.loads(text)["op"]))
    open_demo(qtbot, window, tmp_path)  # opening never waits for the place index
    window.fit_cluster()
    towns = window.offline.towns
    qtbot.waitUntil(lambda: towns.settled, timeout=TIMEOUT)
    assert not towns.failed
    synced(qtbot, window)
    stats = js(qtbot, window, "window.__clusterDesk.stats()")
    assert stats["towns"] > 40_000 and stats["townsReceived"] == 1 and stats["townsShown"]
    names = {t["name"] for t in js(qtbot, window, "window.__clusterDesk.towns()")}
    # Around the 200 km circle at the opening zoom (Latin names in an English window). The largest
    # towns always get a label; smaller neighbours (Yelabuga beside Chelny and Nizhnekamsk) give way
    # to them when labels would collide, which depends on the zoom the window's layout leaves.
    assert {"Kazan", "Naberezhnyye Chelny", "Cheboksary", "Ulyanovsk"} <= names
    assert len(names & {"Nizhnekamsk", "Yelabuga", "Almetyevsk", "Al’met’yevsk", "Zelenodolsk"}) >= 1
    assert ops.count("setTowns") <= 1  # 0 when sent before we listened (index already loaded)
    sent = ops.count("setTowns")

    # View > Towns: checked by default; off hides the labels and is remembered.
    action = window.actions.show_towns
    assert action.isCheckable() and action.isChecked() and window.prefs.show_towns
    assert action in window.menuBar().actions()[2].menu().actions()  # the View menu
    action.setChecked(False)
    synced(qtbot, window)
    stats = js(qtbot, window, "window.__clusterDesk.stats()")
    assert stats["townLabels"] == 0 and not stats["townsShown"]
    assert window.prefs.show_towns is False
    action.setChecked(True)
    synced(qtbot, window)
    stats = js(qtbot, window, "window.__clusterDesk.stats()")
    assert stats["townLabels"] > 0 and stats["townsReceived"] == 1
    assert ops.count("setTowns") == sent  # the toggle never sends the data again


def test_towns_are_named_in_russian_and_the_toggle_is_remembered(qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings

    prefs = QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat)
    prefs.setValue("map/towns", False)
    prefs.sync()
    win = make_window(qtbot, tmp_path, lang="ru")
    assert not win.actions.show_towns.isChecked()
    open_demo(qtbot, win, tmp_path)
    win.fit_cluster()
    qtbot.waitUntil(lambda: win.offline.towns.settled, timeout=TIMEOUT)
    synced(qtbot, win)
    stats = js(qtbot, win, "window.__clusterDesk.stats()")
    assert stats["towns"] > 40_000 and not stats["townsShown"] and stats["townLabels"] == 0
    win.actions.show_towns.setChecked(True)
    synced(qtbot, win)
    names = {t["name"] for t in js(qtbot, win, "window.__clusterDesk.towns()")}
    assert {"Казань", "Набережные Челны", "Нижнекамск", "Елабуга", "Альметьевск"} <= names


def test_towns_wait_for_the_first_paint_of_a_project_opened_at_start(qtbot: Any, tmp_path: Path) -> None:
    # As at start: the project is opened before the page is ready; the towns (a thread and
    # ~1 MB of text) must not compete with its first paint.
    from PySide6.QtCore import QSettings

    from cluster_desk.ui.preferences import Preferences
    from cluster_desk.ui.shell.main_window import MainWindow

    window = MainWindow(Preferences(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(window)
    painted_when_sent: list[int] = []
    window.map.bridge.command.connect(
        lambda text: painted_when_sent.append(window.map.last_drawn)
        if json.loads(text)["op"] == "setTowns" else None)
    window.show()
    assert not window.map.is_ready
    assert window.files.open_path(demo_file(tmp_path))
    opened = window.map.seq
    towns = window.offline.towns
    qtbot.waitUntil(lambda: towns.settled, timeout=TIMEOUT)
    assert not towns.failed
    assert painted_when_sent and painted_when_sent[0] >= opened
