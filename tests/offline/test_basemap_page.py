"""The regional basemap on the real map page (Qt WebEngine offscreen): water, borders, subject
names in the interface language, and the "built-in map ends here" note."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")

from test_map_page import TIMEOUT, js, open_view, stats

from cluster_desk.tiles.regional import RegionalTiles
from cluster_desk.ui.labels import basemap_texts
from cluster_desk.ui.map.scheme import ONLINE_TILE_URL
from cluster_desk.ui.map.view import MapView

KAZAN = (55.79, 49.12)


def regional(qtbot: Any, view: MapView) -> dict[str, Any]:
    return stats(qtbot, view)["regional"]


def show(qtbot: Any, view: MapView, lat: float, lon: float, zoom: int) -> None:
    """Centre the map and wait until the regional layer has drawn every tile of the view."""
    before = regional(qtbot, view)["loads"]
    seq = view.centre_on(lat, lon, zoom)
    qtbot.waitUntil(lambda: view.last_drawn >= seq, timeout=TIMEOUT)

    def settled() -> bool:
        r = regional(qtbot, view)
        return stats(qtbot, view)["zoom"] == zoom and not r["loading"] and r["loads"] > before

    qtbot.waitUntil(settled, timeout=TIMEOUT)


@pytest.fixture
def view(qtbot: Any) -> MapView:
    v = MapView()
    console = open_view(qtbot, v)
    with qtbot.waitSignal(v.ready, timeout=TIMEOUT):
        pass
    qtbot.waitUntil(lambda: (stats(qtbot, v)["regional"] or {}).get("labels") == "ready", timeout=TIMEOUT)
    yield v
    assert console.errors == [], "JavaScript errors on the map page"


def water_point() -> tuple[float, float]:
    """A point inside a lake or reservoir near Kazan, from the shipped tile itself."""
    import shapely

    z = 8
    n = 2**z
    x = int((KAZAN[1] + 180) / 360 * n)
    s = math.sin(math.radians(KAZAN[0]))
    y = int((0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * n)
    data = json.loads(RegionalTiles().tile(z, x, y) or b"{}")
    best = None
    for poly in data["w"]:
        rings = []
        for ring in poly:
            pts, px, py = [], 0, 0
            for i in range(0, len(ring) - 1, 2):
                px += ring[i]
                py += ring[i + 1]
                pts.append((px, py))
            rings.append(pts)
        shape = shapely.Polygon(rings[0], rings[1:]).buffer(0)
        if best is None or shape.area > best.area:
            best = shape
    assert best is not None
    p = best.buffer(-40).representative_point()  # well inside: 2.5 px at z8
    wx, wy = (x * 4096 + p.x) / (4096 * n), (y * 4096 + p.y) / (4096 * n)
    lon = wx * 360 - 180
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * wy))))
    return lat, lon


def test_regional_layer_draws_water_and_borders_from_tiles(qtbot: Any, view: MapView) -> None:
    lat, lon = water_point()
    show(qtbot, view, lat, lon, 9)
    layer = regional(qtbot, view)
    assert layer["zooms"] == [4, 9]  # from basemap/meta.json: the file's zooms
    assert layer["shown"] and layer["tilesDrawn"] > 0 and layer["fetches"] > 0 and layer["tileErrors"] == 0
    x, y = view.width() // 2, view.height() // 2
    r, g, b, a = js(qtbot, view, f"window.__clusterDesk.regionalColourAt({x}, {y})")
    assert a > 200 and b > r + 30, (r, g, b, a)  # the reservoir's blue, not the land's beige


def test_subject_names_follow_the_interface_language(qtbot: Any, view: MapView) -> None:
    show(qtbot, view, *KAZAN, 7)
    assert "Tatarstan" in js(qtbot, view, "window.__clusterDesk.regionalNames()")
    before = regional(qtbot, view)["loads"]
    view.set_language("ru")
    qtbot.waitUntil(lambda: regional(qtbot, view)["loads"] > before and not regional(qtbot, view)["loading"],
                    timeout=TIMEOUT)
    names = js(qtbot, view, "window.__clusterDesk.regionalNames()")
    assert "Республика Татарстан" in names and "Tatarstan" not in names


def test_note_shows_closer_than_about_two_km_unless_another_source_has_detail(
    qtbot: Any, view: MapView
) -> None:
    show(qtbot, view, *KAZAN, 12)
    assert stats(qtbot, view)["basemapNote"] is None
    show(qtbot, view, *KAZAN, 16)
    note = stats(qtbot, view)["basemapNote"]
    assert note == basemap_texts()["note"] and "View › Basemap" in note
    # With an online source on, the online tiles show the detail: no note.
    seq = view.set_online_tiles(ONLINE_TILE_URL, "© test")
    qtbot.waitUntil(lambda: view.last_drawn >= seq, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: stats(qtbot, view)["basemapNote"] is None, timeout=TIMEOUT)
    seq = view.set_online_tiles(None)
    qtbot.waitUntil(lambda: stats(qtbot, view)["basemapNote"] == note, timeout=TIMEOUT)
