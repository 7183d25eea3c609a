"""The regional basemap on the real map page (Qt WebEngine offscreen): water, borders, subject
names in the interface language, and the "built-in map ends here" note."""

from __future__ import annotations

from typing import Any

import pytest
import pytestqt.exceptions

pytest.importorskip("PySide6.QtWebEngineWidgets")

from map_page_helpers import TIMEOUT, js, open_view, stats
from regional_helpers import KAZAN, water_point

from cluster_desk.ui.labels import basemap_texts
from cluster_desk.ui.map.scheme import ONLINE_TILE_URL
from cluster_desk.ui.map.view import MapView


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
    # The country outlines come from their own fetch: on a loaded machine they can arrive after the
    # first show(), and a layer added late has drawn none of that zoom's tiles (CI: 16 then 36).
    qtbot.waitUntil(lambda: stats(qtbot, v)["basemap"] == "ready", timeout=TIMEOUT)
    yield v
    assert console.errors == [], "JavaScript errors on the map page"


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


def test_a_zoom_step_back_shows_the_tiles_drawn_before(qtbot: Any, view: MapView) -> None:
    show(qtbot, view, *KAZAN, 7)
    show(qtbot, view, *KAZAN, 8)
    # Leaflet drops the z7 tiles a moment after the z8 ones are in (its fade): only then are they
    # kept for a step back. Before that, a step back would find them still on the page.
    try:
        qtbot.waitUntil(lambda: regional(qtbot, view)["kept"] > 0, timeout=TIMEOUT)
    except pytestqt.exceptions.TimeoutError:  # say what the page had
        pytest.fail(f"z7 tiles not kept after the z8 ones came in: {stats(qtbot, view)}")
    # Each layer prunes on its own frames: the country outlines' z7 tiles were once (1 CI run of
    # many) still on the page 20 s later. Either way a step back must draw none of them again.
    countries_kept = regional(qtbot, view)["countries"]["kept"] > 0
    drawn = regional(qtbot, view)["tilesDrawn"]
    countries_drawn = regional(qtbot, view)["countries"]["tilesDrawn"]
    show(qtbot, view, *KAZAN, 7)  # back: the z7 canvases were kept, nothing is drawn again
    layer = regional(qtbot, view)
    assert layer["tilesReused"] > 0 and layer["tilesDrawn"] == drawn
    assert layer["countries"]["tilesDrawn"] == countries_drawn
    assert layer["countries"]["tilesReused"] > 0 or not countries_kept
    # The names those kept tiles carry still count as shown (tests and the language switch).
    assert "Tatarstan" in js(qtbot, view, "window.__clusterDesk.regionalNames()")
