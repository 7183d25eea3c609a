"""Tiles viewed online are kept in a local cache: the cache itself (no Qt), then the real page
whose online layer is ``cdesk://app/online/…`` — answered by our scheme from the cache, or fetched
in Python from a tile server this test starts on 127.0.0.1 (never elsewhere)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from tile_server import TileServer, tile_colour
from tilepack_helpers import colour_of, png, tile_of

from cluster_desk.tiles.cache import MIN_MAX_BYTES, TileCache
from cluster_desk.tiles.mbtiles import MBTiles

KAZAN = (55.79, 49.11)


def blob(tag: int, size: int) -> bytes:
    """An incompressible "PNG" of ``size`` bytes (the cache only checks the signature)."""
    return b"\x89PNG\r\n\x1a\n" + bytes([tag % 256]) + os.urandom(size - 9)


# ---- the cache (no Qt) -----------------------------------------------------------------------


def test_cache_stores_reads_and_persists_as_an_mbtiles_pack(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "tile-cache.mbtiles"
    with TileCache(path) as cache:
        assert cache.is_empty() and cache.get(6, 40, 20) is None
        assert cache.put(6, 40, 20, png((1, 2, 3), 8))
        assert not cache.put(6, 40, 20, b"<html>not an image</html>")  # never cached
        assert not cache.put(6, 64, 0, png((1, 2, 3), 8))  # no such tile
        assert cache.get(6, 40, 20) == png((1, 2, 3), 8)
        cache.set_attribution("© Test tiles")
        assert cache.size_bytes == len(png((1, 2, 3), 8)) and cache.count() == 1
    with TileCache(path) as again:  # reopened: still there, size recounted
        assert again.get(6, 40, 20) == png((1, 2, 3), 8)
        assert again.size_bytes == len(png((1, 2, 3), 8)) and again.attribution == "© Test tiles"
    with MBTiles(path) as pack:  # an ordinary pack: rows flipped as MBTiles wants
        assert pack.tile(6, 40, 20) == png((1, 2, 3), 8)
        assert pack.info.name == "Cluster Desk tile cache" and pack.info.attribution == "© Test tiles"


def test_cache_evicts_the_oldest_tiles_beyond_its_cap(tmp_path: Path) -> None:
    cap = 2 * MIN_MAX_BYTES  # 2 MiB
    size = 50_000
    with TileCache(tmp_path / "c.mbtiles", max_bytes=cap) as cache:
        for i in range(40):  # 2 MB in all
            assert cache.put(10, i, 0, blob(i, size))
        for i in range(40, 80):  # 4 MB in all
            assert cache.put(10, i, 0, blob(i, size))
            assert cache.size_bytes <= cap
        assert cache.size_bytes == cache._w.tile_bytes()
        assert cache.get(10, 79, 0) is not None and cache.get(10, 0, 0) is None  # first in, first out
        kept = [i for i in range(80) if cache.get(10, i, 0) is not None]
        assert kept == list(range(kept[0], 80)) and len(kept) >= cap * 0.8 // size
        # A tile stored again counts as new: it outlives those stored after its first copy.
        first = kept[0]
        cache.put(10, first, 0, blob(first, size))
        for i in range(80, 85):
            cache.put(10, i, 0, blob(i, size))
        assert cache.get(10, first, 0) is not None and cache.get(10, first + 1, 0) is None
        # A lower cap evicts at once; clearing empties the file.
        cache.set_max_bytes(MIN_MAX_BYTES)
        assert 0 < cache.size_bytes <= MIN_MAX_BYTES and cache.get(10, 84, 0) is not None
        cache.clear()
        assert cache.is_empty() and cache.size_bytes == 0 and cache.get(10, 84, 0) is None


def test_a_damaged_cache_file_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "tile-cache.mbtiles"
    path.write_bytes(b"this is not SQLite" * 100)
    with TileCache(path) as cache:
        assert cache.is_empty() and cache.put(1, 0, 0, png((9, 9, 9), 8))
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM tiles").fetchone()[0] == 1


# ---- the page ----------------------------------------------------------------------------------

pytest.importorskip("PySide6.QtWebEngineWidgets")

from map_page_helpers import TIMEOUT, Recorder, js, pixel, ready_view, stats, wait_drawn  # noqa: E402
from PySide6.QtCore import QUrl  # noqa: E402
from PySide6.QtWebEngineCore import QWebEngineSettings  # noqa: E402

from cluster_desk.tiles.downloader import USER_AGENT, TileSource  # noqa: E402
from cluster_desk.ui.map.scheme import CSP, ONLINE_TILE_URL, SCHEME  # noqa: E402
from cluster_desk.ui.map.view import MapView  # noqa: E402
from cluster_desk.ui.offline.online_tiles import MAX_IN_FLIGHT  # noqa: E402

LOCAL_SCHEMES = {"cdesk", "qrc", "data", "blob"}
MAX_REQUESTS = 500  # the server refuses everything past this (and the test fails)
LAND = (0xF6, 0xF3, 0xEC)  # the world outlines' land colour


@pytest.fixture
def server(tile_server_factory: Any) -> TileServer:
    return tile_server_factory(size=256, colour=tile_colour, max_requests=MAX_REQUESTS)


def online_view(qtbot: Any, cache: TileCache, source: TileSource | None) -> tuple[Any, MapView, Recorder]:
    """A real page whose request interceptor records every URL; remote access is allowed so that
    any remote request the page tried would be recorded (and fail the test)."""
    view = MapView(autoload=False)
    recorder = Recorder()
    view.profile.setUrlRequestInterceptor(recorder)
    view.page().settings().setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, True)
    console = ready_view(qtbot, view)
    online = view.profile.urlSchemeHandler(SCHEME.encode()).online
    online.set_cache(cache)
    online.set_source(source)
    wait_drawn(qtbot, view, view.set_online_tiles(ONLINE_TILE_URL, "© Test tiles"))
    return console, view, recorder


def colour_at(qtbot: Any, view: MapView, lat: float, lon: float) -> tuple[int, int, int]:
    p = js(qtbot, view, f"window.__clusterDesk.point({lat}, {lon})")
    return pixel(view, round(p["x"]), round(p["y"]))


def near(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    return all(abs(x - y) <= 2 for x, y in zip(a, b, strict=True))


def finish(view: MapView, recorder: Recorder, console: Any) -> None:
    view.profile.setUrlRequestInterceptor(None)
    assert {QUrl(u).scheme() for u in recorder.urls} <= LOCAL_SCHEMES, recorder.urls
    online = [u for u in recorder.urls if "/online/" in u]
    assert online and all(u.startswith("cdesk://app/online/") for u in online)
    assert console.errors == [], console.errors


def test_tiles_viewed_online_show_again_from_the_cache_with_the_source_off(
    qtbot: Any, tmp_path: Path, server: TileServer
) -> None:
    z = 7
    x, y = tile_of(*KAZAN, z)
    cache = TileCache(tmp_path / "tile-cache.mbtiles")
    source = TileSource(server.template, attribution="© Test tiles")

    # 1. Source on: the page asks our scheme, which fetches from the server and keeps the tile.
    console, view, recorder = online_view(qtbot, cache, source)
    assert "img-src cdesk: data:;" in CSP and "http" not in CSP  # strict, whatever the source
    wait_drawn(qtbot, view, view.centre_on(*KAZAN, zoom=z))
    qtbot.waitUntil(lambda: cache.get(z, x, y) is not None, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: near(colour_at(qtbot, view, *KAZAN), colour_of(z, x, y)), timeout=TIMEOUT)
    assert stats(qtbot, view)["tiles"] is True
    assert cache.get(z, x, y) == png(colour_of(z, x, y), 256)
    assert server.hits >= 1 and f"/{z}/{x}/{y}.png" in server.paths
    assert server.agents == {USER_AGENT}
    assert server.peak <= MAX_IN_FLIGHT
    text = js(qtbot, view, "document.querySelector('.leaflet-control-attribution').textContent")
    assert text == "© Test tiles"
    qtbot.waitUntil(lambda: view.profile.urlSchemeHandler(SCHEME.encode()).online.pending() == 0,
                    timeout=TIMEOUT)
    finish(view, recorder, console)
    view.close()

    # 2. Source off (a new page: nothing in its memory cache): the same tile shows from our
    # cache and nothing reaches the server, not even for tiles never seen (the outlines show).
    hits = server.hits
    console, view, recorder = online_view(qtbot, cache, None)
    wait_drawn(qtbot, view, view.centre_on(*KAZAN, zoom=z))
    qtbot.waitUntil(lambda: near(colour_at(qtbot, view, *KAZAN), colour_of(z, x, y)), timeout=TIMEOUT)
    online = view.profile.urlSchemeHandler(SCHEME.encode()).online
    assert online.stats["cache_hits"] >= 1
    far = (KAZAN[0], KAZAN[1] - 40)  # never viewed
    wait_drawn(qtbot, view, view.centre_on(*far, zoom=z))
    qtbot.waitUntil(lambda: colour_at(qtbot, view, *far) == LAND, timeout=TIMEOUT)
    assert online.stats["not_found"] >= 1 and online.stats["fetched"] == 0
    assert online.pending() == 0 and not online._in_flight  # nothing queued to fetch later either
    assert server.hits == hits
    finish(view, recorder, console)
    view.close()

    # 3. The server gone, the source still on: cached tiles still show.
    server.stop()
    console, view, recorder = online_view(qtbot, cache, source)
    wait_drawn(qtbot, view, view.centre_on(*KAZAN, zoom=z))
    qtbot.waitUntil(lambda: near(colour_at(qtbot, view, *KAZAN), colour_of(z, x, y)), timeout=TIMEOUT)
    finish(view, recorder, console)
    view.close()
    cache.close()


def test_a_request_cancelled_before_the_reply_is_dropped_without_a_crash(
    qtbot: Any, tmp_path: Path, server: TileServer
) -> None:
    server.delay = 0.6
    cache = TileCache(tmp_path / "tile-cache.mbtiles")
    _console, view, recorder = online_view(qtbot, cache, TileSource(server.template))
    online = view.profile.urlSchemeHandler(SCHEME.encode()).online
    view.centre_on(*KAZAN, zoom=8)
    qtbot.waitUntil(lambda: online.pending() > MAX_IN_FLIGHT, timeout=TIMEOUT)  # some queued
    with qtbot.waitSignal(view.ready, timeout=TIMEOUT):
        view.load_page()  # the old page's tile requests are cancelled: Qt deletes their jobs
    qtbot.waitUntil(lambda: online.stats["dropped"] > 0, timeout=TIMEOUT)
    # The fetches in flight finish into the cache; the queued ones are never made.
    qtbot.waitUntil(lambda: online.pending() == 0 and not online._in_flight, timeout=TIMEOUT)
    assert server.peak <= MAX_IN_FLIGHT
    assert cache.count() >= 1
    # Turning the source off aborts whatever is left; the page stays alive.
    view.centre_on(*KAZAN, zoom=9)
    qtbot.waitUntil(lambda: online.pending() > 0, timeout=TIMEOUT)
    online.set_source(None)
    assert online.pending() == 0 and not online._in_flight
    wait_drawn(qtbot, view, view.centre_on(*KAZAN, zoom=8))  # the page goes on drawing after the aborts
    assert stats(qtbot, view)["tiles"] is True
    view.profile.setUrlRequestInterceptor(None)
    assert {QUrl(u).scheme() for u in recorder.urls} <= LOCAL_SCHEMES, recorder.urls
    view.close()
    cache.close()
