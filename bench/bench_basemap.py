"""The regional basemap (resources/web/basemap.js): a zoom step and a pan at regional scale.

Timed on the page's clock: from the view change (Leaflet's zoomstart/movestart) until every tile
of the new view is drawn (the grid layer's ``load``) and the frame after it was painted. "Cold"
is the first visit (tiles fetched through the cdesk scheme from maps/basemap/*.mbtiles); "drawn
anew" draws every tile again from data the page holds (the kept canvases dropped before each
step); "seen before" steps back to zooms whose drawn tiles the page kept. Prints BENCH rows for
bench/run_bench.py. Zoom steps around Kazan from z6 (a 500 km view)
to z12 (20 km), pans of 300 px at z8 (the 200 km cluster circle) and z11. Also the subject
lookup (cluster_desk.places.regions) for 100,000 members.
Run: ``python bench/bench_basemap.py [--repeat 3]``. Figures, not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()

import numpy as np  # noqa: E402
from bench_core import emit  # noqa: E402
from bench_map import page_stats, spin  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from cluster_desk.ui.map.view import MapView  # noqa: E402

KAZAN = (55.79, 49.12)
TARGET_MS = 100.0  # a zoom step at regional scale, painted
DRAWS: list[tuple[int, float]] = []  # per timed view change: regional tiles drawn, ms drawing them


def regional(view: MapView) -> dict[str, object]:
    return page_stats(view)["regional"]  # type: ignore[return-value]


def timed(view: MapView, js: str, key: str = "lastPaintedMs") -> float:
    """Run a view change in the page; ms until its tiles were drawn and the frame painted
    (``lastPaintedMs``) or until the first frame after it (``lastFrameMs``: every layer's
    synchronous redraw, the regional tiles excluded)."""
    box: list[object] = []
    view.page().runJavaScript("window.CdRegional.api().resetTiming(); 1", 0, box.append)
    spin(lambda: bool(box))
    view.page().runJavaScript(js, 0)

    def done() -> bool:
        time.sleep(0.02)  # ask the page now and then: constant polling would slow it down
        return regional(view)[key] is not None

    spin(done)
    r = regional(view)
    DRAWS.append((int(r["tilesDrawn"]), float(r["drawMsTotal"])))  # type: ignore[call-overload, arg-type]
    return float(r[key])  # type: ignore[arg-type]


def zoom_steps(view: MapView, zooms: list[int], key: str = "lastPaintedMs") -> list[float]:
    return [timed(view, f"window.__clusterDesk.view({KAZAN[0]}, {KAZAN[1]}, {z})", key) for z in zooms]


def pans(view: MapView, zoom: int, n: int) -> list[float]:
    # (A view equal to the current one is no view change at all: nothing would be timed.)
    timed(view, f"window.__clusterDesk.view({KAZAN[0]}, {KAZAN[1] - 1.0}, {zoom})")
    return [timed(view, "window.CdRegional.api().panBy(300, 0)") for _ in range(n)]


def spin_view(view: MapView, zoom: int) -> None:
    timed(view, f"window.__clusterDesk.view({KAZAN[0]}, {KAZAN[1]}, {zoom})")


def fmt(ms: list[float]) -> str:
    return f"median {statistics.median(ms):6.1f} ms, worst {max(ms):6.1f} ms (n={len(ms)})"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    app = QApplication(sys.argv)
    print(f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    view = MapView()
    view.resize(1000, 700)
    view.show()
    spin(lambda: view.is_ready)
    spin(lambda: regional(view) is not None and regional(view)["labels"] == "ready")
    spin_view(view, 6)

    up = list(range(7, 13))
    cold = zoom_steps(view, up)
    for z, ms in zip(up, cold, strict=True):
        print(f"zoom step to z{z:<2} (cold: tiles fetched): {ms:6.1f} ms")
    sweep = list(range(11, 5, -1)) + up
    drawn: list[float] = []  # every tile drawn anew (its data in memory)
    for _ in range(args.repeat):
        for z in sweep:
            view.page().runJavaScript("window.CdRegional.api().forgetDrawn(); 1", 0)
            drawn += zoom_steps(view, [z])
    steps = DRAWS[-len(drawn):]
    print(f"zoom step z6..z12, tiles drawn anew: {fmt(drawn)}")
    print(f"  regional tiles drawn per step: median {statistics.median(t for t, _ in steps):.0f}, "
          f"drawing them {fmt([ms for _, ms in steps])}")
    emit("basemap: zoom step z6-z12, tiles drawn anew (painted)", 1, statistics.median(drawn), unit="ms")
    reused: list[float] = []  # back to zooms seen just before: their canvases are kept
    for _ in range(args.repeat):
        reused += zoom_steps(view, sweep)
    print(f"zoom step z6..z12, tiles seen before: {fmt(reused)}")
    emit("basemap: zoom step z6-z12, tiles seen before (painted)", 1, statistics.median(reused), unit="ms")
    frames = []
    for _ in range(args.repeat):
        for z in sweep:
            view.page().runJavaScript("window.CdRegional.api().forgetDrawn(); 1", 0)
            frames += zoom_steps(view, [z], "lastFrameMs")
    print(f"  of which the first frame (countries, towns, members redrawn): {fmt(frames)}")
    view.page().runJavaScript("window.CdRegional.api().setShown(false)", 0)
    bare = []
    for _ in range(args.repeat):
        for z in sweep:
            view.page().runJavaScript("window.CdRegional.api().forgetDrawn(); 1", 0)
            bare += zoom_steps(view, [z], "lastFrameMs")
    print(f"zoom step without the regional layer (first frame): {fmt(bare)}")
    view.page().runJavaScript("window.CdRegional.api().setShown(true)", 0)
    for z in (8, 11):
        p = pans(view, z, 6 * args.repeat)
        print(f"pan 300 px at z{z:<2}:                  {fmt(p)}")
        emit(f"basemap: pan 300 px at z{z} (painted)", 1, statistics.median(p), unit="ms")
    r = regional(view)
    slowest = float(r["maxDrawMs"])  # type: ignore[arg-type]
    countries = r["countries"]
    print(f"regional tiles drawn {r['tilesDrawn']}, reused {r['tilesReused']}, fetched {r['fetches']}, "
          f"slowest tile draw {slowest:.1f} ms; countries: slowest tile {countries['maxDrawMs']:.1f} ms")  # type: ignore[index]
    ok = statistics.median(drawn) < TARGET_MS

    from cluster_desk.places.regions import SubjectIndex

    t0 = time.perf_counter()
    index = SubjectIndex()
    load = time.perf_counter() - t0
    rng = np.random.default_rng(1)
    lats, lons = rng.uniform(50, 62, 100_000), rng.uniform(35, 65, 100_000)
    t0 = time.perf_counter()
    found = index.lookup(lats, lons)
    dt = time.perf_counter() - t0
    print(f"federal subject of 100,000 points: {dt:.2f} s (index load {load:.2f} s once; "
          f"{sum(s is not None for s in found):,} inside Russia)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"OK: a zoom step at regional scale, tiles drawn anew, is painted in under {TARGET_MS:.0f} ms" if ok
          else f"SLOW: a zoom step at regional scale, tiles drawn anew, takes over {TARGET_MS:.0f} ms")
    view.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
