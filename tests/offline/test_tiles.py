"""MBTiles packs: reading (flipped TMS rows, metadata, big packs) and serving into the real page."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from tilepack_helpers import colour_of, coloured_tiles, make_pack, png, tile_of

from cluster_desk.tiles.mbtiles import (
    MBTiles,
    MBTilesError,
    MBTilesWriter,
    pack_id_for,
    sniff_format,
    tms_row,
)

KAZAN = (55.79, 49.11)


# ---- the reader ------------------------------------------------------------------------------


def test_flipped_rows_read_the_right_tile(tmp_path: Path) -> None:
    z = 3
    tiles = [(z, x, y, png(colour_of(z, x, y), 8)) for x in range(8) for y in range(8)]
    pack = make_pack(tmp_path / "a.mbtiles", tiles)
    with MBTiles(pack) as mb:
        for x, y in [(0, 0), (0, 7), (5, 1), (7, 7)]:
            assert mb.tile(z, x, y) == png(colour_of(z, x, y), 8)
        # straight from SQLite: XYZ (5, 1) lives in TMS row 6
        raw = sqlite3.connect(pack).execute(
            "SELECT tile_data FROM tiles WHERE zoom_level=3 AND tile_column=5 AND tile_row=6"
        ).fetchone()[0]
        assert mb.tile(3, 5, 1) == raw
        assert tms_row(3, 1) == 6 and tms_row(0, 0) == 0


def test_missing_and_out_of_range_tiles_are_none(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "a.mbtiles", [(1, 0, 0, png((1, 2, 3), 8))])
    with MBTiles(pack) as mb:
        assert mb.tile(1, 1, 1) is None
        assert mb.tile(1, 2, 0) is None and mb.tile(-1, 0, 0) is None and mb.tile(31, 0, 0) is None


def test_metadata_is_read(tmp_path: Path) -> None:
    pack = make_pack(
        tmp_path / "kazan.mbtiles",
        [(5, 20, 10, png((1, 2, 3), 8))],
        {
            "name": "Kazan region",
            "format": "jpg",
            "bounds": "47.0,54.5,52.0,56.5",
            "minzoom": "5",
            "maxzoom": "12",
            "attribution": "© OpenStreetMap contributors",
        },
    )
    with MBTiles(pack) as mb:
        i = mb.info
        assert (i.name, i.format, i.min_zoom, i.max_zoom) == ("Kazan region", "jpg", 5, 12)
        assert i.bounds == (47.0, 54.5, 52.0, 56.5)
        assert i.attribution == "© OpenStreetMap contributors"
        assert mb.mime_type == "image/jpeg"
        assert i.pack_id == pack_id_for(pack) and len(i.pack_id) == 12
        assert i.to_json()["bounds"] == [47.0, 54.5, 52.0, 56.5]


def test_format_and_zooms_are_guessed_when_metadata_lacks_them(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "b.mbtiles", [(4, 1, 1, png((9, 9, 9), 8)), (7, 3, 3, png((9, 9, 9), 8))])
    db = sqlite3.connect(pack)
    db.execute("DELETE FROM metadata")
    db.commit()
    db.close()
    with MBTiles(pack) as mb:
        assert (mb.info.format, mb.info.min_zoom, mb.info.max_zoom) == ("png", 4, 7)
        assert mb.info.name == "b"
    assert sniff_format(b"\xff\xd8\xff\xe0") == "jpg"
    assert sniff_format(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"


def test_bad_files_are_refused_with_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(MBTilesError, match="no such file"):
        MBTiles(tmp_path / "nope.mbtiles")
    (tmp_path / "text.mbtiles").write_text("hello, not sqlite" * 100)
    with pytest.raises(MBTilesError, match=r"text\.mbtiles"):
        MBTiles(tmp_path / "text.mbtiles")
    sqlite3.connect(tmp_path / "empty.mbtiles").execute("CREATE TABLE x (a)").connection.commit()
    with pytest.raises(MBTilesError, match="no 'tiles' table"):
        MBTiles(tmp_path / "empty.mbtiles")
    vec = make_pack(tmp_path / "vec.mbtiles", [(0, 0, 0, b"\x1a\x00pbf")], {"format": "pbf"})
    with pytest.raises(MBTilesError, match="not a raster"):
        MBTiles(vec)


def test_reader_never_writes(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "a.mbtiles", [(0, 0, 0, png((1, 1, 1), 8))])
    before = pack.stat().st_mtime_ns, pack.read_bytes()
    with MBTiles(pack) as mb:
        with pytest.raises(sqlite3.OperationalError):
            mb._db.execute("DELETE FROM tiles")
        assert mb.tile(0, 0, 0) is not None
    assert (pack.stat().st_mtime_ns, pack.read_bytes()) == before


def _rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc (Linux)")
def test_big_pack_is_not_loaded_into_memory(tmp_path: Path) -> None:
    # 100,000 tiles of 1.5 KB (150 MB): the reader's memory must not grow with the file.
    pack = tmp_path / "big.mbtiles"
    blob = os.urandom(1500)
    z = 9

    def tiles():
        for i in range(100_000):
            yield z, i % 512, i // 512, blob

    make_pack(pack, tiles())
    size = pack.stat().st_size
    assert size > 150_000_000
    rss0 = _rss_bytes()
    with MBTiles(pack) as mb:
        assert mb.info.max_zoom == 8 or mb.info.max_zoom >= 0  # metadata read, no scan
        for i in range(0, 100_000, 97):  # ~1,000 tiles scattered over the whole file
            assert mb.tile(z, i % 512, i // 512) == blob
        grown = _rss_bytes() - rss0
    assert grown < 40_000_000, f"memory grew by {grown / 1e6:.0f} MB for a {size / 1e6:.0f} MB pack"


# ---- the writer ------------------------------------------------------------------------------


def test_writer_round_trip_and_resume_helpers(tmp_path: Path) -> None:
    path = tmp_path / "w.mbtiles"
    with MBTilesWriter(path) as w:
        assert w.put_tiles([(2, 1, 0, b"a"), (2, 3, 3, b"b")]) == 2
        w.set_metadata({"name": "w", "format": "png", "attribution": "© test"})
        assert w.has_tile(2, 1, 0) and not w.has_tile(2, 1, 3)
        assert w.existing(2) == {(1, 0), (3, 3)}
    row = sqlite3.connect(path).execute("SELECT tile_row FROM tiles WHERE tile_column=1").fetchone()
    assert row == (3,)  # stored flipped
    with MBTiles(path) as mb:
        assert mb.tile(2, 1, 0) == b"a" and mb.info.attribution == "© test"


# ---- the scheme (no page) --------------------------------------------------------------------

pytest.importorskip("PySide6.QtWebEngineWidgets")


from cluster_desk.ui.map.scheme import SchemeHandler  # noqa: E402
from cluster_desk.ui.map.view import MapView  # noqa: E402


def test_scheme_tile_paths(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "a.mbtiles", [(3, 5, 1, png((7, 7, 7), 8))])
    handler = SchemeHandler()
    with MBTiles(pack) as mb:
        pid = handler.add_pack(mb)
        assert handler.tile_response(f"/tiles/{pid}/3/5/1") == (png((7, 7, 7), 8), b"image/png")
        assert handler.tile_response(f"/tiles/{pid}/3/5/1.png") is not None
        for bad in (
            f"/tiles/{pid}/3/5/2",  # not in the pack
            "/tiles/000000000000/3/5/1",  # unknown pack
            f"/tiles/{pid}/3/5/1/x",
            f"/tiles/{pid}/../3/5/1",
            f"/tiles/{pid}/3/-5/1",
            f"/tiles/{pid}/3/5/1.txt",
            f"/tiles/{pid}/99999999999/5/1",
            # upper case is refused; an id of digits only (1 in ~280) has no upper case to try
            *([f"/tiles/{pid.upper()}/3/5/1"] if pid.upper() != pid else []),
        ):
            assert handler.tile_response(bad) is None, bad
        handler.remove_pack(pid)
        assert handler.tile_response(f"/tiles/{pid}/3/5/1") is None


# ---- the real page ---------------------------------------------------------------------------

from map_page_helpers import (  # noqa: E402
    TIMEOUT,
    Recorder,
    js,
    pixel,
    ready_view,
    stats,
    wait_drawn,
    wait_pixel,
)


def test_page_shows_tiles_from_a_pack_with_rows_flipped(qtbot: Any, tmp_path: Path) -> None:
    z = 7
    pack_path = make_pack(
        tmp_path / "kazan.mbtiles",
        coloured_tiles(*KAZAN, [z], radius=4),
        {"minzoom": str(z), "maxzoom": str(z), "attribution": "Test tiles ©"},
    )
    view = MapView(autoload=False)
    console = ready_view(qtbot, view)
    with MBTiles(pack_path) as mb:
        pid = view.add_tile_pack(mb)
        view.set_tile_pack(pid)
        wait_drawn(qtbot, view, view.centre_on(*KAZAN, zoom=z))
        qtbot.waitUntil(lambda: stats(qtbot, view)["packLoaded"] >= 4, timeout=TIMEOUT)
        s = stats(qtbot, view)
        assert s["pack"] == pid and s["packErrors"] == 0 and s["zoom"] == z
        p = js(qtbot, view, f"window.__clusterDesk.point({KAZAN[0] + 0.02}, {KAZAN[1] + 0.02})")
        x, y = tile_of(*KAZAN, z)
        want = colour_of(z, x, y)
        # Leaflet fades tiles in: wait for the colour, not for a time.
        wait_pixel(qtbot, view, round(p["x"]), round(p["y"]), want, tolerance=2)
        attribution = js(qtbot, view, "document.querySelector('.cd-pack-attribution').textContent")
        assert attribution == "Test tiles ©"
        view.set_tile_pack(None)
        view.remove_tile_pack(pid)
        wait_drawn(qtbot, view, view.fit_all())
        assert stats(qtbot, view)["pack"] is None
    assert console.errors == []


def test_missing_tiles_show_the_world_basemap_without_js_errors(qtbot: Any, tmp_path: Path) -> None:
    # A pack holding one tile at zoom 6: everything else must fall through to the outlines.
    z = 6
    x, y = tile_of(*KAZAN, z)
    pack_path = make_pack(
        tmp_path / "one.mbtiles", [(z, x, y, png((255, 0, 255), 64))], {"minzoom": "6", "maxzoom": "6"}
    )
    view = MapView(autoload=False)
    console = ready_view(qtbot, view)
    with MBTiles(pack_path) as mb:
        view.set_tile_pack(view.add_tile_pack(mb))
        wait_drawn(qtbot, view, view.centre_on(*KAZAN, zoom=z))
        qtbot.waitUntil(lambda: stats(qtbot, view)["packErrors"] >= 4, timeout=TIMEOUT)
        qtbot.waitUntil(lambda: stats(qtbot, view)["packLoaded"] >= 1, timeout=TIMEOUT)
        here = js(qtbot, view, f"window.__clusterDesk.point({KAZAN[0]}, {KAZAN[1]})")
        wait_pixel(qtbot, view, round(here["x"]), round(here["y"]), (255, 0, 255))
        # A tile and more west of Kazan there is no pack tile: the land colour of the
        # world outlines (#f6f3ec) shows, not a broken-image icon or a blank.
        far = js(qtbot, view, f"window.__clusterDesk.point({KAZAN[0]}, {KAZAN[1] - 7})")
        assert pixel(view, round(far["x"]), round(far["y"])) == (0xF6, 0xF3, 0xEC)
    errors = [e for e in console.errors if "ERR_" not in e]
    assert errors == [] and console.errors == [], console.errors


def test_no_remote_request_with_a_tile_pack(qtbot: Any, tmp_path: Path) -> None:
    pack_path = make_pack(tmp_path / "k.mbtiles", coloured_tiles(*KAZAN, [5, 6], radius=2))
    view = MapView(autoload=False)
    recorder = Recorder()
    view.profile.setUrlRequestInterceptor(recorder)
    from PySide6.QtWebEngineCore import QWebEngineSettings

    view.page().settings().setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, True)
    console = ready_view(qtbot, view)
    with MBTiles(pack_path) as mb:
        view.set_tile_pack(view.add_tile_pack(mb))
        wait_drawn(qtbot, view, view.centre_on(*KAZAN, zoom=6))
        qtbot.waitUntil(lambda: stats(qtbot, view)["packLoaded"] >= 1, timeout=TIMEOUT)
        loaded = stats(qtbot, view)["packLoaded"]
        wait_drawn(qtbot, view, view.centre_on(*KAZAN, zoom=5))
        qtbot.waitUntil(lambda: stats(qtbot, view)["packLoaded"] > loaded, timeout=TIMEOUT)
    tile_urls = [u for u in recorder.urls if "/tiles/" in u]
    assert tile_urls and all(u.startswith("cdesk://app/tiles/") for u in tile_urls)
    from PySide6.QtCore import QUrl

    assert {QUrl(u).scheme() for u in recorder.urls} <= {"cdesk", "qrc", "data", "blob"}, recorder.urls
    assert console.errors == []
    view.profile.setUrlRequestInterceptor(None)


def test_active_pack_survives_a_reload(qtbot: Any, tmp_path: Path) -> None:
    pack_path = make_pack(tmp_path / "k.mbtiles", coloured_tiles(*KAZAN, [5], radius=1))
    view = MapView(autoload=False)
    ready_view(qtbot, view)
    with MBTiles(pack_path) as mb:
        pid = view.add_tile_pack(mb)
        wait_drawn(qtbot, view, view.set_tile_pack(pid))
        with qtbot.waitSignal(view.ready, timeout=TIMEOUT):
            view.load_page()
        qtbot.waitUntil(lambda: stats(qtbot, view)["pack"] == pid, timeout=TIMEOUT)
        assert view.active_tile_pack == pid
        with pytest.raises(KeyError):
            view.set_tile_pack("000000000000")
        with pytest.raises(ValueError):
            view.centre_on(91, 0)
    assert json.loads(json.dumps(mb.info.to_json()))["id"] == pid


def test_tile_pack_manager_remembers_packs(qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMenu

    from cluster_desk.ui.offline.tile_packs import TilePackManager

    a = make_pack(tmp_path / "a.mbtiles", coloured_tiles(*KAZAN, [5], radius=1), {"name": "Pack A"})
    b = make_pack(tmp_path / "b.mbtiles", coloured_tiles(*KAZAN, [6], radius=1), {"name": "Pack B"})
    settings = QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat)
    view = MapView(autoload=False)
    qtbot.addWidget(view)
    mgr = TilePackManager(view, settings)
    ia = mgr.add(a)
    ib = mgr.add(b)
    mgr.set_active(ib.pack_id)
    menu = QMenu()
    mgr.populate_menu(menu)
    labels = [act.text() for act in menu.actions()]
    assert labels[0] == "World outlines only" and any(t.startswith("Pack B") for t in labels)
    assert [act.isChecked() for act in menu.actions()[:3]] == [False, True, False] or [
        act.isChecked() for act in menu.actions()[:3]
    ] == [False, False, True]
    mgr.close()
    settings.sync()

    view2 = MapView(autoload=False)
    qtbot.addWidget(view2)
    again = TilePackManager(view2, QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))
    again.restore()
    assert {p.pack_id for p in again.packs()} == {ia.pack_id, ib.pack_id}
    assert again.active == ib.pack_id
    again.remove(ib.pack_id)
    assert again.active is None and [p.name for p in again.packs()] == ["Pack A"]
    b.unlink()
    again.close()
