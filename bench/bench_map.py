"""Map page timings: set_members -> painted at 1k/10k/100k, and a marker-drag round trip at 100k.

"Painted" is the page's ``drawn`` ack, sent from the animation frame after the command ran
(Leaflet's canvas redraw is queued on that same frame before it). The drag round trip is what a
drag does once the mouse is released: the page sends markerMoved, Python validates it and answers
with upsertMember, the page repaints and acks. Run: ``python bench/bench_map.py``.
"""

from __future__ import annotations

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

from cluster_desk.ui.scheme import register_scheme

register_scheme()

import PySide6  # noqa: E402
from PySide6.QtCore import QEvent, QEventLoop, QTimer  # noqa: E402
from PySide6.QtWebEngineCore import qWebEngineChromiumVersion  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from cluster_desk.core.model import Member, MemberKind, Status  # noqa: E402
from cluster_desk.ui.map_view import MapView  # noqa: E402

TARGETS = {1_000: None, 10_000: 1.0, 100_000: 3.0}
ROUND_TRIP_TARGET_MS = 100.0


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


def main() -> int:
    app = QApplication(sys.argv)
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

    ok = True
    roster: list[Member] = []
    for n, target in TARGETS.items():
        roster = members(n)
        t0 = time.perf_counter()
        seq = view.set_members(roster)
        spin(lambda seq=seq: view.last_drawn >= seq)
        dt = time.perf_counter() - t0
        verdict = "" if target is None else (" OK" if dt < target else f" OVER target {target} s")
        ok &= target is None or dt < target
        print(f"set_members -> painted, {n:>7,} members: {dt:6.3f} s{verdict}")

    # Drag round trip at 100k: markerMoved -> validate -> upsert_member -> painted.
    by_id = {m.id: m for m in roster}
    answered: list[int] = []

    def on_moved(mid: str, lat: float, lon: float) -> None:
        by_id[mid] = replace(by_id[mid], lat=lat, lon=lon)
        answered.append(view.upsert_member(by_id[mid]))

    view.memberMoved.connect(on_moved)
    ids = list(by_id)[:25]
    times = []
    for i, mid in enumerate(ids):
        answered.clear()
        t0 = time.perf_counter()
        view.page().runJavaScript(f"window.__clusterDesk.simulateDrag('{mid}', {55.0 + i * 0.01}, {49.0})", 0)
        spin(lambda: bool(answered) and view.last_drawn >= answered[0])
        times.append((time.perf_counter() - t0) * 1000)
    med, worst = statistics.median(times), max(times)
    ok &= med < ROUND_TRIP_TARGET_MS
    verdict = " OK" if med < ROUND_TRIP_TARGET_MS else f" OVER target {ROUND_TRIP_TARGET_MS} ms"
    print(
        f"drag round trip at {len(roster):,} members: median {med:.1f} ms, worst {worst:.1f} ms "
        f"({len(times)} drags){verdict}"
    )
    view.close()
    view.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
