"""View > Regional Map on the real window and page: the parts of the built-in regional basemap
(lakes and reservoirs, rivers, borders with names) toggle on the map and are remembered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()  # before pytest-qt creates the QApplication (module import time)

from regional_helpers import KAZAN, water_point  # noqa: E402
from ui_helpers import TIMEOUT, js, make_window  # noqa: E402


def regional(qtbot: Any, window: Any) -> dict[str, Any]:
    return js(qtbot, window, "window.__clusterDesk.stats().regional")


def redrawn(qtbot: Any, window: Any, seq: int, loads_before: int) -> None:
    """Until the page ran command ``seq`` and the regional layer drew its tiles again."""
    qtbot.waitUntil(lambda: window.map.last_drawn >= seq, timeout=TIMEOUT)

    def done() -> bool:
        r = regional(qtbot, window)
        return not r["loading"] and r["loads"] > loads_before

    qtbot.waitUntil(done, timeout=TIMEOUT)


def centre_colour(qtbot: Any, window: Any) -> list[int]:
    x, y = window.map.width() // 2, window.map.height() // 2
    return js(qtbot, window, f"window.__clusterDesk.regionalColourAt({x}, {y})")



@pytest.mark.usefixtures("russian")
def test_regional_map_menu_toggles_parts_and_remembers_them(qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings

    prefs = QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat)
    prefs.setValue("map/regional_hidden", ["rivers"])  # remembered from an earlier run
    prefs.sync()
    win = make_window(qtbot, tmp_path, lang="ru")
    qtbot.waitUntil(lambda: (regional(qtbot, win) or {}).get("labels") == "ready", timeout=TIMEOUT)
    menu = win.offline.regional.menu
    view_menu = win.menuBar().actions()[2].menu()
    assert menu.menuAction() in view_menu.actions()
    assert menu.title().replace("&", "") == "Карта регионов"
    actions = win.offline.regional.actions
    assert [a.text().replace("&", "") for a in actions.values()] == [
        "Озёра и водохранилища", "Реки", "Границы и названия регионов"]
    assert {k: a.isChecked() for k, a in actions.items()} == {"water": True, "rivers": False, "borders": True}
    assert regional(qtbot, win)["parts"] == {"water": True, "rivers": False, "borders": True}

    # On a reservoir near Kazan the centre is water-blue; without the water part it is not.
    lat, lon = water_point()
    before = regional(qtbot, win)["loads"]
    redrawn(qtbot, win, win.map.centre_on(lat, lon, 9), before)
    r, g, b, a = centre_colour(qtbot, win)
    assert a > 200 and b > r + 30, (r, g, b, a)

    before = regional(qtbot, win)["loads"]
    actions["water"].setChecked(False)
    redrawn(qtbot, win, win.map.set_mode(win.map.mode), before)
    assert regional(qtbot, win)["parts"]["water"] is False
    assert centre_colour(qtbot, win)[3] < 50  # nothing of the layer drawn there now
    assert win.prefs.regional_parts == {"water": False, "rivers": False, "borders": True}

    # Names go with the borders: at z7 over Kazan, Tatarstan is named, then not.
    before = regional(qtbot, win)["loads"]
    redrawn(qtbot, win, win.map.centre_on(*KAZAN, 7), before)
    assert "Республика Татарстан" in js(qtbot, win, "window.__clusterDesk.regionalNames()")
    before = regional(qtbot, win)["loads"]
    actions["borders"].setChecked(False)
    qtbot.waitUntil(lambda: not regional(qtbot, win)["shown"], timeout=TIMEOUT)  # every part off
    assert js(qtbot, win, "window.__clusterDesk.regionalNames()") == []
    actions["borders"].setChecked(True)
    qtbot.waitUntil(lambda: regional(qtbot, win)["shown"] and regional(qtbot, win)["loads"] > before
                    and not regional(qtbot, win)["loading"], timeout=TIMEOUT)
    assert "Республика Татарстан" in js(qtbot, win, "window.__clusterDesk.regionalNames()")
    win.prefs.sync()
    assert QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat).value(
        "map/regional_hidden") == ["water", "rivers"]
