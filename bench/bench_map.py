"""Map page timings: set_members -> painted at 1k/10k/100k, a marker-drag round trip at 100k, and
the towns layer (payload size, set_towns -> painted, one paint of the labels at several zooms: the
first look at each view and the median of repeated paints of it).

"Painted" is the page's ``drawn`` ack, sent from the animation frame after the command ran
(Leaflet's canvas redraw is queued on that same frame before it). The drag round trip is what a
drag does once the mouse is released: the page sends markerMoved, Python validates it and answers
with upsertMember, the page repaints and acks. It is timed on the Python clock (runJavaScript
call until the ack is back in Python) and on the page's clock (markerMoved sent until the upsert's
frame was painted), for members that are not selected (repainted on the member canvas) and for
the selected one (the only one a user can drag: drawn on its own small SVG layer).
Medians of several runs (the machine may be shared). Run: ``python bench/bench_map.py
[--repeat 3] [--drags 25]``; the end-to-end figures in the real app are in bench_app.py.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()

import PySide6  # noqa: E402
from PySide6.QtCore import QEvent, QEventLoop, QTimer  # noqa: E402
from PySide6.QtWebEngineCore import qWebEngineChromiumVersion  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from cluster_desk.core.model import Member, MemberKind, Status  # noqa: E402
from cluster_desk.ui.map.view import MapView  # noqa: E402

TARGETS = {1_000: None, 10_000: 1.0, 100_000: 3.0}
ROUND_TRIP_TARGET_MS = 100.0
TOWNS_PAYLOAD_TARGET = 2_000_000  # bytes of JSON, once per page
TOWNS_SEND_TARGET_MS = 150.0  # set_towns -> painted, Python clock (encode, channel, parse, paint)
TOWNS_PAINT_TARGET_MS = 30.0  # one paint of the towns canvas after a pan or zoom (medians)


def spin(until: callable, timeout: float = 120.0) -> None:  # type: ignore[valid-type]
    """Run the event loop until ``until()`` (benchmark only: the app never waits like this)."""
    deadline = time.perf_counter() + timeout
    loop = QEventLoop()
    while not until():
        if time.perf_counter() > deadline:
            raise TimeoutError("the page did not answer in time")
        QTimer.singleShot(1, loop.quit)
        loop.exec()


def members(n: int, seed: int = 7) -> list[Member]:
    rnd = random.Random(seed)
    kinds = list(MemberKind)
    statuses = [Status.MEMBER] * 8 + [Status.CANDIDATE, Status.FORMER]
    return [
        Member(
            name=f"Member {i}",
            kind=rnd.choice(kinds),
            status=rnd.choice(statuses),
            lat=55.79 + rnd.gauss(0, 1.2),
            lon=49.11 + rnd.gauss(0, 2.0),
        )
        for i in range(n)
    ]


def _install_probe(view: MapView) -> None:
    state = {"ready": False, "asked": False}

    def answer(value: object) -> None:
        state["asked"] = False
        state["ready"] = value == "ready"

    def probe() -> bool:
        if not state["ready"] and not state["asked"]:
            state["asked"] = True
            view.page().runJavaScript("window.__clusterDesk.stats().basemap", 0, answer)
        return state["ready"]

    view.basemap_ready_probe = probe  # type: ignore[attr-defined]


def page_stat(view: MapView, key: str) -> object:
    box: list[object] = []
    view.page().runJavaScript(f"JSON.stringify(window.__clusterDesk.stats().{key})", 0, box.append)
    spin(lambda: bool(box))
    return json.loads(box[0]) if box[0] else None  # type: ignore[arg-type]


def page_stats(view: MapView) -> dict[str, object]:
    box: list[object] = []
    view.page().runJavaScript("JSON.stringify(window.__clusterDesk.stats())", 0, box.append)
    spin(lambda: bool(box))
    return json.loads(box[0])  # type: ignore[arg-type]


def bench_towns(view: MapView, repeat: int) -> bool:
    """The towns layer: payload, send -> painted, and paints at the zooms a user sees."""
    from cluster_desk.places import default_index, towns
    from cluster_desk.ui.map.view import TownsPayload
    from cluster_desk.ui.offline.controller import TOWNS_MIN_POPULATION

    ok = True
    t0 = time.perf_counter()
    default_index()
    load = time.perf_counter() - t0
    for lang in ("en", "ru"):
        t0 = time.perf_counter()
        cols = towns(TOWNS_MIN_POPULATION, lang)
        build = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        payload = TownsPayload(cols)  # validated and encoded: in the app, in the worker thread
        encode = (time.perf_counter() - t0) * 1000
        size = len(payload.json.encode("utf-8"))
        times, parse, handle, paint = [], [], [], []
        for _ in range(repeat):
            t0 = time.perf_counter()
            seq = view.set_towns(payload)
            spin(lambda seq=seq: view.last_drawn >= seq)
            times.append((time.perf_counter() - t0) * 1000)
            st = page_stats(view)
            parse.append(float(st["lastParseMs"]))  # type: ignore[arg-type]
            handle.append(float(st["setTownsMs"]))  # type: ignore[arg-type]
            paint.append(float(st["lastTownDrawMs"]))  # type: ignore[arg-type]
        med = statistics.median(times)
        good = size < TOWNS_PAYLOAD_TARGET and med < TOWNS_SEND_TARGET_MS
        ok &= good
        print(f"towns ({lang}, population >= {TOWNS_MIN_POPULATION:,}): {len(cols['name']):,} places, "
              f"{size / 1e6:.2f} MB JSON (index load {load:.2f} s once, columns {build:.0f} ms, "
              f"validate + JSON {encode:.0f} ms, all in the background thread); set_towns -> painted "
              f"{ms(times)}; page: JSON.parse {statistics.median(parse):.1f} ms, setTowns "
              f"{statistics.median(handle):.1f} ms, paint {statistics.median(paint):.1f} ms"
              f"{' OK' if good else ' OVER target'}")
        load = 0.0
    # One paint of the towns canvas (the page's clock around its paint: placing the labels, the
    # members' occupancy grid, drawing; not the members' canvas) at 15 views. The first paint of
    # a view measures the names it has not shown before (a user's first look at an area); the
    # repeats (towns toggled off and on) are what any later paint of that view costs. One paint
    # is a few ms of JavaScript: a single sample on a shared machine is mostly the scheduler,
    # so the target is held against medians (each view's repeats; all views' first paints).
    firsts: list[float] = []
    for label, (lat, lon) in (("Kazan", (55.75, 50.5)), ("Germany (dense)", (50.9, 9.5)),
                              ("India (dense)", (23.0, 79.0))):
        row = []
        for z in (4, 6, 7, 9, 11):
            draws = int(page_stats(view)["townDraws"])  # type: ignore[arg-type]
            view.page().runJavaScript(f"window.__clusterDesk.view({lat}, {lon}, {z})", 0)
            spin(lambda d=draws: int(page_stats(view)["townDraws"]) > d)  # type: ignore[arg-type]
            synced = view.set_mode("browse")
            spin(lambda seq=synced: view.last_drawn >= seq)
            st = page_stats(view)
            first = float(st["lastTownDrawMs"])  # type: ignore[arg-type]
            measured = int(st["lastTownMeasured"])  # type: ignore[arg-type]
            firsts.append(first)
            again = []
            for _ in range(max(repeat, 3)):
                for on in (False, True):
                    seq = view.show_towns(on)
                    spin(lambda seq=seq: view.last_drawn >= seq)
                again.append(float(page_stats(view)["lastTownDrawMs"]))  # type: ignore[arg-type]
            ok &= statistics.median(again) < TOWNS_PAINT_TARGET_MS
            row.append(f"z{z} {st['townLabels']:>3} labels ({measured:>3} names measured) first "
                       f"{first:5.1f} ms, again {statistics.median(again):5.1f} ms")
        print(f"towns paint around {label:<16} ({view.width()}x{view.height()} px, "
              f"{page_stats(view)['members']:,} members): " + "; ".join(row))
    med_first = statistics.median(firsts)
    ok &= med_first < TOWNS_PAINT_TARGET_MS
    print(f"towns paint, first look at a view: median {med_first:.1f} ms, worst {max(firsts):.1f} ms over "
          f"{len(firsts)} views (target {TOWNS_PAINT_TARGET_MS:.0f} ms on the medians)")
    print("BENCH " + json.dumps({"work": "map: towns paint, first look at a view (median)",
                                 "size": int(page_stats(view)["members"]), "ours": med_first / 1000}))
    return ok


def ms(xs: list[float]) -> str:
    return f"median {statistics.median(xs):6.1f} ms, worst {max(xs):6.1f} ms"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3, help="set_members runs per size")
    ap.add_argument("--drags", type=int, default=25, help="drags per series")
    args = ap.parse_args()
    app = QApplication(sys.argv[:1])
    view = MapView()
    view.resize(1200, 800)
    view.show()
    spin(lambda: view.is_ready)
    _install_probe(view)
    print(
        f"machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, PySide6 {PySide6.__version__}, "
        f"Chromium {qWebEngineChromiumVersion()}, QPA {app.platformName()}"
    )
    spin(lambda: view.basemap_ready_probe())  # the basemap loads once, on the same JS thread
    view.set_members(members(100))  # warm up the JIT
    view.set_circle(55.79, 49.11, 200.0)
    fit = view.fit_all()
    spin(lambda: view.last_drawn >= fit)

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    ok = True
    roster: list[Member] = []
    for n, target in TARGETS.items():
        roster = members(n)
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            seq = view.set_members(roster)
            spin(lambda seq=seq: view.last_drawn >= seq)
            times.append(time.perf_counter() - t0)
        dt = statistics.median(times)
        verdict = "" if target is None else (" OK" if dt < target else f" OVER target {target} s")
        ok &= target is None or dt < target
        print(f"set_members -> painted, {n:>7,} members: median {dt:6.3f} s, worst {max(times):6.3f} s "
              f"({len(times)} runs){verdict}")
        print("BENCH " + json.dumps({"work": "map: set_members -> painted", "size": n, "ours": dt}))

    # Drag round trip at 100k: markerMoved -> validate -> upsert_member -> painted.
    by_id = {m.id: m for m in roster}
    answered: list[int] = []

    def on_moved(mid: str, lat: float, lon: float) -> None:
        by_id[mid] = replace(by_id[mid], lat=lat, lon=lon)
        answered.append(view.upsert_member(by_id[mid]))

    ok &= bench_towns(view, args.repeat)  # with the 100,000 members on the map (labels avoid them)

    view.memberMoved.connect(on_moved)
    ids = list(by_id)[: args.drags]
    for selected in (False, True):
        times, page_times = [], []
        for i, mid in enumerate(ids):
            if selected:
                seq = view.select(mid, pan=False)
                spin(lambda seq=seq: view.last_drawn >= seq)
            answered.clear()
            t0 = time.perf_counter()
            code = f"window.__clusterDesk.simulateDrag('{mid}', {55.0 + i * 0.01}, {49.0})"
            view.page().runJavaScript(code, 0)
            spin(lambda: bool(answered) and view.last_drawn >= answered[0])
            times.append((time.perf_counter() - t0) * 1000)
            page = page_stat(view, "dragRoundTripMs")
            if isinstance(page, int | float):
                page_times.append(float(page))
        med = statistics.median(times)
        ok &= med < ROUND_TRIP_TARGET_MS
        verdict = " OK" if med < ROUND_TRIP_TARGET_MS else f" OVER target {ROUND_TRIP_TARGET_MS} ms"
        which = "selected member  " if selected else "unselected member"
        print("BENCH " + json.dumps({"work": f"map: drag round trip, {which.strip()}", "size": len(roster),
                                     "ours": med / 1000}))
        print(f"drag round trip at {len(roster):,} members, {which}: Python clock {ms(times)}; "
              f"page clock {ms(page_times) if page_times else 'n/a'} ({len(times)} drags){verdict}")
        view.select(None)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    view.close()
    view.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
