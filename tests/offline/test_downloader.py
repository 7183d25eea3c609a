"""The tile downloader against tile servers this test starts on 127.0.0.1 (never elsewhere):
a good one, one that drops connections mid-response, one that answers 429 with Retry-After."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from tilepack_helpers import colour_of, png

from cluster_desk.tiles.downloader import (
    USER_AGENT,
    Area,
    Downloader,
    DownloadError,
    TileSource,
    bbox_tiles,
    circle_tiles,
    estimate,
    lonlat_to_tile,
    tile_bounds,
)
from cluster_desk.tiles.mbtiles import MBTiles

KAZAN = (55.79, 49.11)


@pytest.fixture
def server_factory(tile_server_factory: Any) -> Any:
    return tile_server_factory  # the shared one in conftest.py (tests/tile_server.py)


def _downloader(server: Any, area: Area, target: Path, **kw: Any) -> Downloader:
    kw.setdefault("rate", 200.0)  # tests: fast, still sequential
    return Downloader(
        TileSource(server.template, attribution="© Test tiles contributors", name="Test"),
        area,
        target,
        use_system_proxy=False,
        timeout=5.0,
        **kw,
    )


SMALL = Area(zooms=(8, 9), circle=(*KAZAN, 40.0))


# ---- tile lists ------------------------------------------------------------------------------


def test_tile_maths() -> None:
    assert lonlat_to_tile(0.0, 0.0, 1) == (1, 1)
    assert lonlat_to_tile(85.0, -180.0, 3) == (0, 0)
    x, y = lonlat_to_tile(*KAZAN, 10)
    w, s, e, n = tile_bounds(10, x, y)
    assert w <= KAZAN[1] <= e and s <= KAZAN[0] <= n


def test_circle_tiles_cover_the_circle_and_little_more() -> None:
    z = 10
    tiles = set(circle_tiles(*KAZAN, 30.0, z))
    box = set(bbox_tiles(*_box(KAZAN, 30.0), z))
    assert lonlat_to_tile(*KAZAN, z) in tiles
    assert tiles <= box and len(tiles) < len(box)  # corners of the box are dropped
    # points on the circle (pyproj) are all inside covered tiles
    from cluster_desk.core.geodesy import circle_outline

    for lat, lon in circle_outline(*KAZAN, 29.9, n=64):
        assert lonlat_to_tile(lat, lon, z) in tiles


def _box(c: tuple[float, float], km: float) -> tuple[float, float, float, float]:
    from cluster_desk.tiles.downloader import circle_bbox

    return circle_bbox(c[0], c[1], km)


def test_tiles_across_the_180th_meridian() -> None:
    z = 6
    tiles = set(circle_tiles(65.0, 179.9, 60.0, z))
    xs = {x for x, _ in tiles}
    assert 0 in xs and (1 << z) - 1 in xs  # both sides of 180°
    box = set(bbox_tiles(179.0, 64.0, -179.0, 66.0, z))
    assert {x for x, _ in box} == {0, (1 << z) - 1}


def test_estimate_counts_and_samples_before_start(server_factory: Any, tmp_path: Path) -> None:
    server = server_factory()
    target = tmp_path / "kazan.mbtiles"
    d = _downloader(server, SMALL, target)
    est = estimate(SMALL, target, sample=d.fetch, sample_size=3)
    assert est.tiles == est.missing == SMALL.count() > 4
    assert est.sampled == 3 and 60 < est.bytes_per_tile < 100  # 16-px test PNGs
    assert est.total_bytes == est.missing * est.bytes_per_tile
    assert not target.exists() and len(server.requests) == 3  # nothing stored, 3 requests only


# ---- downloading -----------------------------------------------------------------------------


def test_download_writes_a_pack_with_attribution(server_factory: Any, tmp_path: Path) -> None:
    server = server_factory()
    server.missing.add((8, *lonlat_to_tile(*KAZAN, 8)))  # e.g. the sea: 404 is not an error
    target = tmp_path / "kazan.mbtiles"
    seen: list[int] = []
    p = _downloader(server, SMALL, target, progress_cb=lambda pr: seen.append(pr.done)).run()
    n = SMALL.count()
    assert (p.done, p.fetched, p.absent, p.message) == (n, n - 1, 1, "done")
    assert seen[-1] == n and seen == sorted(seen)
    assert {ua for _, ua, _ in server.requests} == {USER_AGENT}
    with MBTiles(target) as mb:
        assert mb.info.attribution == "© Test tiles contributors"
        assert (mb.info.min_zoom, mb.info.max_zoom, mb.info.format) == (8, 9, "png")
        x, y = lonlat_to_tile(*KAZAN, 9)
        assert mb.tile(9, x, y) == png(colour_of(9, x, y), 16)  # right tile in the right row
        w, s, e, nn = mb.info.bounds or (0, 0, 0, 0)
        assert w < KAZAN[1] < e and s < KAZAN[0] < nn


def test_resume_after_lost_connections(server_factory: Any, tmp_path: Path) -> None:
    server = server_factory(drop_every=4)  # every 4th response is cut off half-way
    target = tmp_path / "kazan.mbtiles"
    p = _downloader(server, SMALL, target, batch_size=3).run()
    n = SMALL.count()
    assert p.fetched == n and p.retries >= n // 5
    with MBTiles(target) as mb:  # every stored tile is whole
        for z, x, y in SMALL.tiles():
            assert mb.tile(z, x, y) == png(colour_of(z, x, y), 16)


def test_gives_up_then_resumes_where_it_stopped(server_factory: Any, tmp_path: Path) -> None:
    server = server_factory()
    target = tmp_path / "kazan.mbtiles"
    n = SMALL.count()
    server.drop_every = 1  # the connection is lost every time, after some tiles
    first = _downloader(server, SMALL, target, batch_size=2, max_retries=1)
    # the first 6 tiles arrive, then every response is cut off
    server.drop_every = 0
    orig = first.fetch
    calls = {"n": 0}

    def flaky(z: int, x: int, y: int) -> bytes | None:
        calls["n"] += 1
        if calls["n"] > 6:
            server.drop_every = 1
        return orig(z, x, y)

    first.fetch = flaky  # type: ignore[method-assign]
    with pytest.raises(DownloadError, match="start again to resume"):
        first.run()
    with MBTiles(target) as mb:
        stored = sum(1 for t in SMALL.tiles() if mb.tile(*t) is not None)
    assert stored == 6  # the finished tiles were kept
    server.drop_every = 0
    before = len(server.requests)
    p = _downloader(server, SMALL, target).run()
    assert (p.skipped, p.fetched) == (6, n - 6)
    assert len(server.requests) - before == n - 6  # nothing fetched twice
    assert estimate(SMALL, target).missing == 0


def test_429_retry_after_is_honoured(server_factory: Any, tmp_path: Path) -> None:
    server = server_factory(throttle_first=2, retry_after="1")
    area = Area(zooms=(5,), circle=(*KAZAN, 10.0))
    t0 = time.monotonic()
    p = _downloader(server, area, tmp_path / "t.mbtiles").run()
    took = time.monotonic() - t0
    assert p.fetched == area.count() and p.retries == 2
    assert took >= 2.0  # waited Retry-After (1 s) twice instead of hammering the server
    assert len(server.requests) == area.count() + 2


def test_rate_limit_default_is_polite(server_factory: Any, tmp_path: Path) -> None:
    server = server_factory()
    area = Area(zooms=(4,), bbox=(40.0, 50.0, 60.0, 60.0))  # a few tiles
    d = Downloader(TileSource(server.template), area, tmp_path / "r.mbtiles", use_system_proxy=False)
    assert d.rate == 2.0
    t0 = time.monotonic()
    p = d.run()
    assert p.fetched == area.count() >= 3
    assert time.monotonic() - t0 >= (p.fetched - 1) / 2.0 - 0.05


def test_cancel_stops_between_requests_and_keeps_tiles(server_factory: Any, tmp_path: Path) -> None:
    server = server_factory()
    target = tmp_path / "c.mbtiles"
    d = _downloader(server, SMALL, target, rate=20.0, batch_size=100)

    def on_progress(p: Any) -> None:
        if p.fetched == 5:
            d.cancel()

    d.progress_cb = on_progress
    p = d.run()
    assert p.message == "cancelled" and p.fetched == 5 and len(server.requests) == 5
    with MBTiles(target) as mb:  # the unfinished batch was still written
        assert sum(1 for t in SMALL.tiles() if mb.tile(*t) is not None) == 5


def test_cancel_interrupts_a_retry_wait(server_factory: Any, tmp_path: Path) -> None:
    server = server_factory(throttle_first=100, retry_after="120")
    d = _downloader(server, SMALL, tmp_path / "w.mbtiles")
    threading.Timer(0.5, d.cancel).start()
    t0 = time.monotonic()
    p = d.run()
    assert time.monotonic() - t0 < 10 and p.message == "cancelled"


def test_refusals_and_non_images_stop_with_a_message(server_factory: Any, tmp_path: Path) -> None:
    server = server_factory()
    bad = TileSource(f"http://127.0.0.1:{server.port}/nope/{{z}}/{{x}}/{{y}}")
    d = Downloader(bad, SMALL, tmp_path / "x.mbtiles", use_system_proxy=False, rate=100)
    with pytest.raises(DownloadError, match="HTTP 400"):
        d.run()


# ---- the dialog (real worker thread, real local server) --------------------------------------


def test_offline_area_dialog_estimates_downloads_and_resumes(
    qtbot: Any, server_factory: Any, tmp_path: Path
) -> None:
    pytest.importorskip("PySide6.QtWidgets")
    from cluster_desk.ui.offline.area_dialog import OfflineAreaDialog

    server = server_factory()
    target = tmp_path / "area.mbtiles"
    src = TileSource(server.template, attribution="© Test")
    dlg = OfflineAreaDialog(src, (*KAZAN, 40.0), None, target, rate=200.0, use_system_proxy=False)
    qtbot.addWidget(dlg)
    dlg.min_zoom.setValue(8)
    dlg.max_zoom.setValue(9)
    assert not dlg.start_btn.isEnabled()  # no estimate yet
    dlg.start_estimate()
    qtbot.waitUntil(lambda: dlg.last_estimate is not None and dlg.start_btn.isEnabled(), timeout=10_000)
    assert dlg.last_estimate.tiles == SMALL.count() and "tiles" in dlg.info.text()
    with qtbot.waitSignal(dlg.packReady, timeout=20_000) as ready:
        dlg.start_download()
    assert ready.args == [str(target)]
    qtbot.waitUntil(lambda: dlg.close_btn.isEnabled(), timeout=10_000)
    assert dlg.last_progress.fetched == SMALL.count() and dlg.bar.value() == SMALL.count()
    # a second run on the same pack fetches nothing
    before = len(server.requests)
    dlg.start_estimate()
    qtbot.waitUntil(lambda: dlg.last_estimate is not None and dlg.start_btn.isEnabled(), timeout=10_000)
    assert dlg.last_estimate.missing == 0 and len(server.requests) == before


def test_offline_area_dialog_needs_an_online_source(qtbot: Any) -> None:
    from cluster_desk.ui.offline.area_dialog import OfflineAreaDialog

    dlg = OfflineAreaDialog(None, (*KAZAN, 40.0), None, "x.mbtiles")
    qtbot.addWidget(dlg)
    assert not dlg.estimate_btn.isEnabled() and not dlg.start_btn.isEnabled()
    assert "online tile source" in dlg.info.text()
