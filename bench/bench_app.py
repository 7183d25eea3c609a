"""End-to-end timings in the real app (MainWindow, a project file of N members on disk).

* open -> painted: ``files.open_path`` (store read, roster, assessment, map) until the page has
  drawn every command sent so far (its ``drawn`` ack);
* drag -> stored: the page sends markerMoved for the selected member (``simulateDrag``, the
  message a real drag sends on mouse-up) -> MapView validates -> MapSync pushes MoveMember ->
  the store writes (timed in Python until the session holds the new position; the page already
  shows the marker there, so nothing is sent back: bench_drag.py splits the GUI thread's share);
* drag -> assessment panel updated (the assessment is debounced by ProjectSession.ASSESS_DELAY_MS).

The project is made with the store API from ``bench_core.synthetic`` (3 links per member) and
cached under the temp directory. Run: ``python bench/bench_app.py [--sizes 100000] [--drags 25]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()

import json  # noqa: E402

import PySide6  # noqa: E402
from PySide6.QtCore import QEvent, QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWebEngineCore import qWebEngineChromiumVersion  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

OPEN_TARGETS = {1_000: None, 10_000: 1.0, 100_000: 3.0}
ROUND_TRIP_TARGET_MS = 100.0


def spin(until: callable, timeout: float = 180.0) -> None:  # type: ignore[valid-type]
    """Run the event loop until ``until()`` (benchmark only)."""
    deadline = time.perf_counter() + timeout
    loop = QEventLoop()
    while not until():
        if time.perf_counter() > deadline:
            raise TimeoutError("no answer in time")
        QTimer.singleShot(1, loop.quit)
        loop.exec()


def wait_ms(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def project_file(n: int) -> Path:
    """A cached project of ``n`` synthetic members (bench_core.synthetic) and 3n links."""
    from bench_core import synthetic

    from cluster_desk.core.model import ClusterSettings
    from cluster_desk.store.project import Project

    path = Path(tempfile.gettempdir()) / f"cluster-desk-bench-app-{n}.cdesk"
    if path.exists():
        try:
            Project.open(path).close()
            return path
        except Exception:
            path.unlink()
    members, links = synthetic(n)
    tmp = path.with_suffix(".tmp.cdesk")
    tmp.unlink(missing_ok=True)
    project = Project.create(tmp, name=f"Bench {n:,}")
    try:
        project.add_members(members)
        project.add_links(links)
        project.set_settings(ClusterSettings(name=f"Bench {n:,}", radius_km=200.0))
    finally:
        project.close()
    os.replace(tmp, path)
    return path


def js(window: object, code: str) -> object:
    box: list[object] = []
    window.map.page().runJavaScript(f"JSON.stringify({code})", 0, box.append)  # type: ignore[attr-defined]
    spin(lambda: bool(box))
    return None if box[0] in ("", None) else json.loads(box[0])  # type: ignore[arg-type]


def fmt(xs: list[float]) -> str:
    return f"median {statistics.median(xs):7.1f} ms, worst {max(xs):7.1f} ms"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--drags", type=int, default=25)
    ap.add_argument("--repeat", type=int, default=1, help="opens per size")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    app = QApplication(sys.argv)
    from cluster_desk.ui.preferences import Preferences
    from cluster_desk.ui.shell.main_window import MainWindow

    prefs_dir = tempfile.mkdtemp(prefix="cdesk-bench-prefs-")
    prefs = Preferences(QSettings(str(Path(prefs_dir) / "prefs.ini"), QSettings.Format.IniFormat))
    window = MainWindow(prefs, lang="en")
    window.report_error = lambda title, text: print(f"ERROR {title}: {text}")  # type: ignore[method-assign]
    window.resize(1400, 900)
    window.show()
    spin(lambda: window.map.is_ready)
    spin(lambda: js(window, "window.__clusterDesk.stats().basemap") == "ready")
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"PySide6 {PySide6.__version__}, Chromium {qWebEngineChromiumVersion()}, QPA {app.platformName()}"
    )
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    ok = True
    for n in sizes:
        path = project_file(n)
        opens = []
        for _ in range(args.repeat):
            window.session.close()
            wait_ms(200)
            t0 = time.perf_counter()
            assert window.files.open_path(path)
            seq = window.map._seq  # everything the window sent while opening
            spin(lambda seq=seq: window.map.last_drawn >= seq)
            opens.append(time.perf_counter() - t0)
        target = OPEN_TARGETS.get(n)
        med = statistics.median(opens)
        verdict = "" if target is None else (" OK" if med < target else f" OVER target {target} s")
        ok &= target is None or med < target
        print(f"open -> painted, {n:>7,} members: median {med:6.3f} s, worst {max(opens):6.3f} s "
              f"({len(opens)} opens){verdict}")
        print("BENCH " + json.dumps({"work": "app: open -> every marker painted", "size": n, "ours": med}))
    if not sizes or args.drags <= 0:
        return 0 if ok else 1

    # ---- drag round trips on the last (largest) project ----------------------------------------
    session, view = window.session, window.map
    located = [m for m in session.members.values() if m.located]
    upserts: list[int] = []
    original = view.upsert_member

    def recording_upsert(member: object) -> int:
        seq = original(member)  # type: ignore[arg-type]
        upserts.append(seq)
        return seq

    view.upsert_member = recording_upsert  # type: ignore[method-assign]
    assessed: list[float] = []
    session.assessed.connect(lambda _r: assessed.append(time.perf_counter()))

    py_times, page_times, assess_times = [], [], []
    for i in range(args.drags):
        m = located[(i * 7919) % len(located)]
        window.sync.highlight([])
        seq = view.select(m.id, pan=False)
        spin(lambda seq=seq: view.last_drawn >= seq)
        wait_ms(150)  # let the previous edit's assessment and redraws settle
        upserts.clear()
        assessed.clear()
        lat, lon = float(m.lat) + 0.01, float(m.lon) - 0.01  # type: ignore[arg-type]
        t0 = time.perf_counter()
        view.page().runJavaScript(f"window.__clusterDesk.simulateDrag('{m.id}', {lat}, {lon})", 0)
        # The page shows a dragged marker where it was dropped; the window no longer sends it
        # back (MapSync skips the echo), so the round trip ends when the store holds the move.
        spin(lambda m=m, lat=lat: abs((session.members[m.id].lat or 0.0) - lat) < 1e-5)
        py_times.append((time.perf_counter() - t0) * 1000)
        spin(lambda: bool(assessed))
        assess_times.append((assessed[0] - t0) * 1000)
        page = js(window, "window.__clusterDesk.stats().dragRoundTripMs")
        if isinstance(page, int | float):
            page_times.append(float(page))
    n = len(located)
    verdict = " OK" if statistics.median(py_times) < ROUND_TRIP_TARGET_MS else " OVER target"
    ok &= statistics.median(py_times) < ROUND_TRIP_TARGET_MS
    print(f"drag -> stored at {n:,} located members (Python clock): {fmt(py_times)} "
          f"({len(py_times)} drags){verdict}")
    if page_times:
        print(f"drag round trip at {n:,} located members (page clock):   {fmt(page_times)}")
    print(f"drag -> assessment panel updated at {n:,}:          {fmt(assess_times)}")
    for work, times in (("app: drag -> stored (Python clock)", py_times),
                        ("app: drag -> assessment panel updated", assess_times)):
        print("BENCH " + json.dumps({"work": work, "size": n, "ours": statistics.median(times) / 1000}))
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    window.session.close(emit=False)
    window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
