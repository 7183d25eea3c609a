"""The GUI thread during marker drops in the real window (issues 13 and 17: "a drag must never
stutter"; "nothing on the GUI thread longer than one frame (16 ms) while dragging").

For each drop (the page's own ``simulateDrag``: the markerMoved message a real mouse-up sends)
on a project of N members with 3N links, from the drop until the assessment panel shows the new
result and the page has drawn what followed, plus a short settle:

* **drop handling**: the busy stretch that took the drop (bridge ->
  MoveMember -> store write -> session -> map/roster slots);
* **the result's arrival**: the busy stretch that took the worker's result (the session, the
  map's circle and outside rings, the checks panel, the planner);
* **longest GUI busy stretch**: the longest time the GUI thread worked without returning to wait
  for input in that span (from the event dispatcher's ``awake`` to its ``aboutToBlock``: timers,
  queued signals, page messages, paints);
* **GUI busy**: the sum of all those stretches;
* **event-loop stall**: the longest gap of a 5 ms heartbeat timer, minus 5 ms (what a user
  feels, including waits for Python's GIL while the assessment runs on another thread);
* **drop -> assessment shown**: until the panel's cards show the result of the new state.

Two kinds of drop: a typical one (a member moved 1 km: the proposed centre stays) and one that
moves the proposed centre (the member farthest from the centre pushed further out: every
distance is re-measured). The project is ``bench_app.project_file(n)`` copied to a private file
(the edits stay out of the shared cache).

Run: ``python bench/bench_drag.py [--sizes 100000] [--drops 12] [--kinds typical,centre]
[--no-links | --links-only]``; with bench/run_bench.py it prints ``BENCH`` rows (figures in
seconds).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster_desk.ui.map.scheme import register_scheme

register_scheme()

from PySide6.QtCore import QEvent, QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

HEARTBEAT_MS = 5
FRAME_MS = 16.0


class Heartbeat:
    """A timer every HEARTBEAT_MS on the GUI thread recording (wall clock, the GUI thread's CPU
    time). Between two ticks the thread did one stretch of work without a chance to react: its
    CPU time is the work itself (robust on a loaded machine), the wall gap what a user felt."""

    def __init__(self) -> None:
        self.ticks: list[tuple[float, float]] = []
        self.timer = QTimer()
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self.tick)

    def tick(self) -> None:
        self.ticks.append((time.perf_counter(), time.thread_time()))

    def gaps(self) -> list[tuple[float, float, float]]:
        """(start, wall seconds, GUI CPU seconds) between consecutive ticks."""
        t = self.ticks
        return [(a[0], b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(t)]


def spin(until: Any, timeout: float = 300.0, poll_ms: int = 5) -> None:
    """Run the event loop until ``until()``; polls every ``poll_ms`` (its own CPU cost is a
    few microseconds per poll, next to nothing in the GUI figures)."""
    deadline = time.perf_counter() + timeout
    loop = QEventLoop()
    while not until():
        if time.perf_counter() > deadline:
            raise TimeoutError("no answer in time")
        QTimer.singleShot(poll_ms, loop.quit)
        loop.exec()


def wait_ms(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def private_copy(n: int) -> Path:
    from bench_app import project_file

    dest = Path(tempfile.mkdtemp(prefix="cdesk-bench-drag-")) / f"drag-{n}.cdesk"
    shutil.copyfile(project_file(n), dest)
    return dest


def run(n: int, drops: int, kinds: tuple[str, ...] = ("typical", "moves the centre"),
        links: bool = True) -> list[dict]:
    from cluster_desk.ui.preferences import Preferences
    from cluster_desk.ui.shell.main_window import MainWindow

    path = private_copy(n)
    prefs = Preferences(QSettings(str(path.parent / "prefs.ini"), QSettings.Format.IniFormat))
    window = MainWindow(prefs, lang="en")
    window.report_error = lambda title, text: print(f"ERROR {title}: {text}")  # type: ignore[method-assign]
    window.resize(1400, 900)
    window.show()
    spin(lambda: window.map.is_ready)
    assert window.files.open_path(path)
    session, view = window.session, window.map
    spin(lambda: bool(session.results))
    seq = view.fit_all()
    spin(lambda: view.last_drawn >= seq)
    wait_ms(500)
    shown: list[float] = []
    # Connected after the window's own slot: runs once the panel shows the result.
    session.assessed.connect(lambda _r: shown.append(time.perf_counter()))
    runs: list[Any] = []  # what the worker reported (session.assess_now hands it this method)
    arrived: list[float] = []  # when it reached the GUI thread
    take = getattr(session, "_take_assessment", None)  # None: a session that assesses on the GUI thread
    if take is not None:
        session._take_assessment = lambda done: (runs.append(done), arrived.append(time.perf_counter()),  # type: ignore[method-assign]
                                                 take(done))
    edits: list[float] = []  # when the session took the drop (inside the drop's event)
    session.changed.connect(lambda c: c.origin == "map" and edits.append(time.perf_counter()))
    beat = Heartbeat()
    rows: list[dict] = []
    located = [m for m in session.members.values() if m.located]
    for kind in kinds:
        drop_ms, longest_ms, busy_ms, stall_ms, assess_ms, worker_ms, how = [], [], [], [], [], [], []
        result_ms: list[float] = []  # the stretch that took the worker's result (the map, panel)
        lane_ms: list[float] = []  # drop -> every lane answered (the distances' too), wall
        for i in range(drops):
            if kind == "typical":
                m = located[(i * 7919 + 13) % len(located)]
                lat, lon = float(m.lat) + 0.009, float(m.lon) - 0.009  # type: ignore[arg-type]
            else:
                centre = session.centre or (55.79, 49.12)
                m = max((x for x in session.members.values() if x.located),
                        key=lambda x: (x.lat - centre[0]) ** 2 + ((x.lon - centre[1]) * 0.56) ** 2)  # type: ignore[operator]
                lat = centre[0] + (float(m.lat) - centre[0]) * 1.02  # type: ignore[arg-type]
                lon = centre[1] + (float(m.lon) - centre[1]) * 1.02  # type: ignore[arg-type]
            seq = view.select(m.id, pan=False)
            spin(lambda seq=seq: view.last_drawn >= seq)
            wait_ms(300)  # the previous drop's tail settles
            shown.clear()
            runs.clear()
            arrived.clear()
            edits.clear()
            beat.ticks.clear()
            beat.timer.start()
            wait_ms(20)
            t0 = time.perf_counter()
            view.page().runJavaScript(f"window.__clusterDesk.simulateDrag('{m.id}', {lat}, {lon})", 0)
            spin(lambda m=m, lat=lat: session.members[m.id].lat == lat and bool(shown), timeout=120)
            t_shown = shown[-1]
            # The roster's distances follow a centre move as a second lane: its arrival is part
            # of the drop (the heartbeat runs on until it is taken).
            spin(lambda: not session.assessor.busy, timeout=120)
            lane_ms.append((time.perf_counter() - t0) * 1000)
            seq = view._seq  # everything sent so far
            spin(lambda seq=seq: view.last_drawn >= seq)
            wait_ms(150)
            beat.timer.stop()
            gaps = [g for g in beat.gaps() if g[0] + g[1] >= t0]
            t_edit = edits[-1] if edits else t0
            drop = next((g for g in gaps if g[0] <= t_edit <= g[0] + g[1]), (0.0, 0.0, 0.0))
            drop_ms.append(drop[2] * 1000)
            if arrived:
                took = next((g for g in gaps if g[0] <= arrived[-1] <= g[0] + g[1]), (0.0, 0.0, 0.0))
                result_ms.append(took[2] * 1000)
            longest_ms.append(max((g[2] for g in gaps), default=0.0) * 1000)
            busy_ms.append(sum(g[2] for g in gaps if g[0] <= t_shown) * 1000)
            stall_ms.append(max(0.0, max((g[1] for g in gaps), default=0.0) * 1000 - HEARTBEAT_MS))
            assess_ms.append((t_shown - t0) * 1000)
            if runs:
                worker_ms.append(runs[-1].seconds * 1000)
                checks = "all checks" if runs[-1].full else "geographic checks"
                how.append(f"{checks} on {runs[-1].arrays} arrays")
        med = statistics.median
        print(f"{n:>7,} members, {kind} drop ({drops} drops); GUI thread CPU time:")
        for label, xs in (("the drop's own handling", drop_ms), ("the result's arrival", result_ms),
                          ("longest stretch", longest_ms),
                          ("all, drop -> shown", busy_ms), ("(wall) event-loop stall", stall_ms),
                          ("(wall) drop -> assessed", assess_ms), ("(wall) the worker's run", worker_ms),
                          ("(wall) drop -> distances in", lane_ms)):
            if xs:
                print(f"   {label:<26} median {med(xs):7.1f} ms, worst {max(xs):7.1f} ms")
        print(f"   the worker: {', '.join(sorted(set(how))) or 'none (the GUI thread assesses)'}")
        frame = "within a frame" if max(longest_ms) <= FRAME_MS else "OVER one frame"
        print(f"   -> the longest GUI stretch is {frame} ({FRAME_MS:.0f} ms)")
        for work, values in ((f"drag: GUI thread, the drop's own handling ({kind})", drop_ms),
                             (f"drag: GUI thread, the result's arrival ({kind})", result_ms),
                             (f"drag: GUI thread, longest stretch per drop ({kind})", longest_ms),
                             (f"drag: GUI thread, all work drop -> assessed ({kind})", busy_ms),
                             (f"drag: event-loop stall, wall ({kind})", stall_ms),
                             (f"drag: drop -> assessment shown, wall ({kind})", assess_ms),
                             (f"drag: the worker's run, wall ({kind})", worker_ms),
                             (f"drag: drop -> every lane answered (distances too), wall ({kind})", lane_ms)):
            if values:
                rows.append({"work": work, "size": n, "ours": med(values) / 1000})
    if links:
        rows += link_edits(window, beat, shown, runs, n, drops)
    session.close(emit=False)
    window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    shutil.rmtree(path.parent, ignore_errors=True)
    return rows


def link_edits(window: Any, beat: Heartbeat, shown: list[float], runs: list[Any], n: int,
               count: int) -> list[dict]:
    """Issue 12: "adding one link updates map, table and checks within 50 ms". Links added, edited
    and deleted through their undo commands (as the Links table and the map's Link mode do):
    from the command until the assessment panel shows the new result, and the GUI thread's
    stretches meanwhile (the same measures as a drop)."""
    from cluster_desk.core.model import Link, LinkKind
    from cluster_desk.ui.links.commands import AddLink, DeleteLinks, EditLink

    session, view = window.session, window.map
    ids = [m.id for m in session.members.values() if m.located]
    rows: list[dict] = []
    added: list[Link] = []
    marks: dict[str, float] = {}  # the stages of one edit (perf_counter), see trace_stages
    trace_stages(session, marks)
    for action in ("add", "edit", "delete"):
        took, longest, stall, worker, worker_cpu, how = [], [], [], [], [], []
        stages: dict[str, list[float]] = {}
        for i in range(count):
            wait_ms(300)
            shown.clear()
            runs.clear()
            beat.ticks.clear()
            beat.timer.start()
            wait_ms(20)
            marks.clear()
            t0 = time.perf_counter()
            if action == "add":
                link = Link(ids[(i * 7919) % len(ids)], ids[(i * 104729 + 1) % len(ids)], LinkKind.RND,
                            id=f"bench-link-{i}")
                added.append(link)
                session.undo_stack.push(AddLink(session, link))
            elif action == "edit":
                session.undo_stack.push(EditLink(session, replace(added[i], volume=1e6 + i)))
            else:
                session.undo_stack.push(DeleteLinks(session, [added[i].id]))
            spin(lambda: bool(shown) and not session.assessment_pending, timeout=120)
            t_shown = shown[-1]
            seq = view._seq
            spin(lambda seq=seq: view.last_drawn >= seq)
            wait_ms(100)
            beat.timer.stop()
            gaps = [g for g in beat.gaps() if g[0] + g[1] >= t0]
            took.append((t_shown - t0) * 1000)
            marks["checks shown"] = t_shown
            last = t0
            for stage in STAGES:
                if stage in marks:
                    stages.setdefault(stage, []).append((marks[stage] - last) * 1000)
                    last = marks[stage]
            longest.append(max((g[2] for g in gaps), default=0.0) * 1000)
            stall.append(max(0.0, max((g[1] for g in gaps), default=0.0) * 1000 - HEARTBEAT_MS))
            if runs:
                worker.append(runs[-1].seconds * 1000)
                worker_cpu.append(runs[-1].cpu * 1000)
                how.append(runs[-1].arrays)
        med = statistics.median
        print(f"{n:>7,} members, link {action} ({count}):")
        for label, xs in (("(wall) command -> checks shown", took), ("(wall) the worker's run", worker),
                          ("the worker's run (its CPU)", worker_cpu),
                          ("GUI longest stretch (CPU)", longest), ("(wall) event-loop stall", stall)):
            if xs:
                print(f"   {label:<32} median {med(xs):7.1f} ms, worst {max(xs):7.1f} ms")
        print(f"   the worker's arrays: {', '.join(sorted(set(how)))}")
        print("   wall per stage, median ms (each from the one before): "
              + ", ".join(f"{k} {med(v):.1f}" for k, v in stages.items()))
        for work, values in ((f"link {action}: command -> checks shown, wall", took),
                             (f"link {action}: the worker's run, wall", worker),
                             (f"link {action}: the worker's run, its CPU", worker_cpu),
                             (f"link {action}: GUI thread, longest stretch", longest)):
            if values:
                rows.append({"work": work, "size": n, "ours": med(values) / 1000})
    return rows


#: The stages of a link edit on its way to the checks, in order (trace_stages marks them).
STAGES = ("command done", "request made", "worker started", "worker done", "result arrived",
          "checks shown")


def trace_stages(session: Any, marks: dict[str, float]) -> None:
    """Marks when each of STAGES is reached: the command's store write and the views' updates
    (the undo stack's push returns), the snapshot for the worker, the worker's start and end,
    the result's arrival on the GUI thread (a queued signal) and the panel showing it."""
    stack, request = session.undo_stack, session._request
    run, take = session.assessor.run, session._take_assessment

    def push(command: Any) -> None:
        type(stack).push(stack, command)
        marks.setdefault("command done", time.perf_counter())

    def made(*a: Any, **k: Any) -> Any:
        out = request(*a, **k)
        marks.setdefault("request made", time.perf_counter())
        return out

    def queued(lane: str, work: Any, deliver: Any, failed: Any = None, **follow: Any) -> int:
        def timed(engine: Any) -> Any:
            marks.setdefault("worker started", time.perf_counter())
            out = work(engine)
            marks.setdefault("worker done", time.perf_counter())
            return out
        return run(lane, timed, deliver, failed, **follow)  # (background=, then=: the distances' lane)

    def arrived(done: Any) -> None:
        marks.setdefault("result arrived", time.perf_counter())
        take(done)

    stack.push, session._request, session.assessor.run = push, made, queued
    session._take_assessment = arrived


def results(sizes: list[int], drops: int = 8) -> list[dict]:
    _app = QApplication.instance() or QApplication([])
    return [row for n in sizes for row in run(n, drops)]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100000")
    ap.add_argument("--drops", type=int, default=12)
    ap.add_argument("--links-only", action="store_true", help="only the link edits (issue 12)")
    ap.add_argument("--kinds", default="typical,centre",
                    help="the drops measured: typical, centre (moves the centre), or both")
    ap.add_argument("--no-links", action="store_true", help="skip the link edits")
    args = ap.parse_args()
    _app = QApplication(sys.argv)
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
          f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    named = {"typical": "typical", "centre": "moves the centre"}
    kinds = () if args.links_only else tuple(named[k] for k in args.kinds.split(",") if k)
    for row in [r for n in args.sizes.split(",")
                for r in run(int(n), args.drops, kinds, links=not args.no_links)]:
        print("BENCH " + json.dumps(row))
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
