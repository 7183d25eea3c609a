"""Benchmark one step of the "as of" slider in the real window (figures, not pass/fail).

A synthetic project (bench_core.synthetic: N members around Kazan, 3 links each; the links start
when their later end joined) is opened in the main window offscreen; the timeline dock is shown and
the slider moved year by year, back and forth. A step is timed from the slider's move to the page's
acknowledgement that it painted what was sent (MapView.drawn), and split into:

- assess: the checks on the day (core.assessment via ui.timeline.day_cache; 0 when cached),
- map: the map's change (ui.timeline.past_map: members off/on, link mask),
- window: the roster's filter and Status column, the assessment panel, the counts,
- page: from the last command sent to the page's paint.

"Settled" waits further, for the roster filter's fade timers (map members, links) to fire and the
page to paint what they sent; its CPU seconds (the GUI thread, the page's processes) are what a step
costs whatever else the shared machine runs. ``--profile FILE`` cProfiles the "ahead" walk.

Two runs: "cold" (every day assessed on the step: nothing ahead; "assess" is then the wait for
it, which runs on the worker beside the map's change) and "ahead" (the slider's year-ends assessed
in the background first, as the window does when the dock is shown).
Target (issue 14): ≤ 0.25 s per step at 100,000 members / 300,000 links.

    python bench/bench_timeline.py [--members 100000] [--profile FILE]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")
if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI run as root
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

from bench_core import emit, synthetic


def dated(n: int):
    members, links = synthetic(n)
    joined = {m.id: m.joined or "" for m in members}
    links = [dataclasses.replace(lk, start=max(joined[lk.source], joined[lk.target]) or None) for lk in links]
    return members, links


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--profile", metavar="FILE", help="cProfile the GUI thread over the 'ahead' walk "
                        "into FILE (pstats) and print its top functions")
    parser.add_argument("--draws", action="store_true", help="say, step by step, the page's full member "
                        "and link draws and the commands up to the paint and after it (perturbs the timing)")
    args = parser.parse_args()

    from cluster_desk.ui.map.scheme import register_scheme

    register_scheme()
    from PySide6.QtCore import QDeadlineTimer, QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from cluster_desk.store.project import Project
    from cluster_desk.ui.preferences import Preferences
    from cluster_desk.ui.shell.main_window import MainWindow

    app = QApplication([sys.argv[0]])
    from bench_page_draw import page_cpu  # after the scheme: that module registers it too

    # Waits sleep until an event comes (a tick every 20 ms at least), not spin: the GUI thread's
    # CPU per step is then the step's work, not the wait's.
    tick = QTimer()
    tick.start(20)

    def wait(cond, ms: int = 600_000) -> None:
        deadline = QDeadlineTimer(ms)
        while not cond():
            if deadline.hasExpired():
                raise TimeoutError(cond)
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents
                              | QEventLoop.ProcessEventsFlag.WaitForMoreEvents)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.cdesk"
        members, links = dated(args.members)
        with Project.create(path, name="Synthetic") as p:
            p.add_members(members)
            p.add_links(links)
        prefs = Preferences(QSettings(str(Path(folder) / "prefs.ini"), QSettings.Format.IniFormat))
        window = MainWindow(prefs, lang="en")
        window.resize(1400, 900)
        window.show()
        wait(lambda: window.map.is_ready)
        t = time.perf_counter()
        assert window.files.open_path(path)
        seq = window.map.fit_all()
        wait(lambda: window.map.last_drawn >= seq and bool(window.session.results))
        print(f"opened {args.members:,} members / {len(links):,} links in {time.perf_counter() - t:.1f} s",
              f"(load {os.getloadavg()[0]:.1f})")
        tl = window.timeline
        # The slider's span is read off the GUI thread (ui/timeline/span.py): its year-ends once read.
        wait(lambda: not getattr(tl, "years_pending", False))
        parts: dict[str, float] = {}

        def timed(name: str, fn):
            def run(*a, **k):
                t0 = time.perf_counter()
                try:
                    return fn(*a, **k)
                finally:
                    parts[name] = parts.get(name, 0.0) + time.perf_counter() - t0
            return run

        tl.days.results = timed("assess", tl.days.results)
        tl.past_map.show = timed("map", tl.past_map.show)
        window._show_past = timed("window", window._show_past)
        tl.pastShown.disconnect()
        tl.pastShown.connect(window._show_past)
        years = tl.widget.year_ends()
        steps = [int(d[:4]) for d in years[::-1]] + [int(d[:4]) for d in years[1:]]

        def page_stats() -> dict:
            box: list = []
            code = ("JSON.stringify({m: window.__clusterDesk.stats(), l: window.__clusterDeskLinks.stats()})")
            window.map.page().runJavaScript(code, 0, box.append)
            wait(lambda: bool(box))
            return json.loads(box[0])

        sent_ops: list[str] = []
        raw_send = window.map._send

        def counting_send(op, *a, **k):
            sent_ops.append(op)
            return raw_send(op, *a, **k)

        window.map._send = counting_send

        fade_timers = (window._fade_timer, window.links._fade_timer)

        def settled() -> bool:
            """Nothing more of the step to come: the filter-fade timers fired and the page painted."""
            return not any(t.isActive() for t in fade_timers) and window.map.last_drawn >= window.map._seq

        def walk(label: str, profile: str | None = None) -> None:
            rows = []
            cpu: list[tuple[float, float, float]] = []  # settled wall, GUI thread CPU, page CPU
            profiler = None
            if profile:
                import cProfile

                profiler = cProfile.Profile(time.thread_time)  # CPU: the shared machine waits not counted
            sent_ops.clear()
            link_draws = page_stats()["l"].get("linkDraws", 0)
            js_ms: list[tuple[float, float, float, float]] = []
            full_draws = page_stats()["m"].get("canvasFullDraws", 0)
            for year in steps:
                parts.clear()
                if args.draws:
                    before, before_ops = page_stats(), list(sent_ops)
                g0, p0 = time.thread_time(), page_cpu()
                if profiler is not None:
                    profiler.enable()
                t0 = time.perf_counter()
                tl.widget.slider.setValue(year)
                wait(lambda y=year: tl.day == f"{y}-12-31")
                t1 = time.perf_counter()
                seq = window.map._seq
                wait(lambda s=seq: window.map.last_drawn >= s)
                t2 = time.perf_counter()
                if args.draws:
                    mid, mid_ops = page_stats(), list(sent_ops)
                wait(settled)
                t3 = time.perf_counter()
                if args.draws:
                    end = page_stats()

                    def draws(a: dict, b: dict) -> str:
                        return (f"{b['m']['canvasFullDraws'] - a['m']['canvasFullDraws']} member, "
                                f"{b['l'].get('linkDraws', 0) - a['l'].get('linkDraws', 0)} link")

                    print(f"    {year}: step {draws(before, mid)} full draws {mid_ops[len(before_ops):]}; "
                          f"then {draws(mid, end)} {sent_ops[len(mid_ops):]}")
                if profiler is not None:
                    profiler.disable()
                cpu.append((t3 - t0, time.thread_time() - g0, page_cpu() - p0))
                rows.append((t2 - t0, parts.get("assess", 0.0), parts.get("map", 0.0),
                             parts.get("window", 0.0), t2 - t1))
                st = page_stats()
                js_ms.append((st["m"].get("lastFullDrawMs", 0), st["l"].get("lastLinkDrawMs", 0),
                              st["m"].get("lastOpMs", 0), st["m"].get("lastParseMs", 0)))
            med = [statistics.median(r[i] for r in rows) for i in range(5)]
            worst = max(r[0] for r in rows)
            print(f"{label}: step median {med[0]:.3f} s (assess {med[1]:.3f}, map {med[2]:.3f}, "
                  f"window {med[3]:.3f}, page {med[4]:.3f}); worst {worst:.3f} s over {len(rows)} steps "
                  f"(load {os.getloadavg()[0]:.1f})")
            settle = [statistics.median(r[i] for r in cpu) for i in range(3)]
            print(f"    settled (timers fired, page painted): median {settle[0]:.3f} s wall; "
                  f"CPU per step: GUI thread {settle[1]:.3f} s, page processes {settle[2]:.3f} s")
            if profiler is not None and profile:
                import pstats

                profiler.dump_stats(profile)
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
                pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
            after = page_stats()
            full_draws = (after["m"].get("canvasFullDraws", 0) - full_draws) / len(steps)
            link_draws = (after["l"].get("linkDraws", 0) - link_draws) / len(steps)
            ops = {op: sent_ops.count(op) for op in sorted(set(sent_ops))}
            page = [statistics.median(r[i] for r in js_ms) for i in range(4)]
            print(f"    page (medians, ms): members full draw {page[0]:.0f}, links draw {page[1]:.0f}, "
                  f"last op {page[2]:.0f}, last parse {page[3]:.0f}; "
                  f"{full_draws:.1f} full member draws, {link_draws:.1f} link draws per step; "
                  f"ops sent over {len(steps)} steps: {ops}")
            emit(f"as-of slider step ({label})", args.members, med[0])

        tl._prefetch = lambda: None  # cold: the year-ends not assessed ahead (each step's own day is)
        tl.widget.show_day("")
        tl.dock.show()
        wait(lambda: tl.dock.isVisible())
        walk("cold")
        tl.widget.show_day("")
        del tl._prefetch  # the class's again
        tl.days.drop()
        t = time.perf_counter()
        tl.days.prefetch(years)
        if hasattr(tl.past_map, "prepare"):  # as when the dock is shown (older code: on the first step)
            tl.past_map.prepare(tl.days.arrays())
        wait(lambda: all(tl.days.cached(d) for d in years))
        print(f"{len(years)} year-ends assessed ahead in {time.perf_counter() - t:.1f} s (background)")
        walk("ahead", args.profile)
        tl.widget.show_day("")
        window.close()


if __name__ == "__main__":
    main()
