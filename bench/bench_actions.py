"""Every common action in the window on a big project, timed as a user meets it (issue 17).

The real MainWindow offscreen at 1400x900 (``bench_open.Bench``), a copy of the 100,000-member
project of ``bench_app`` (3 links per member, joining dates over ten years: the timeline has
years to step through), opened and settled (painted, assessed, the roster's threads done).
Then each action in turn, and for each:

* ``stall``: the longest gap between ticks of a 5 ms QTimer on the GUI thread from the moment
  the action starts until its result is on screen (what a click meanwhile would wait);
* ``stall cpu``: the most CPU the GUI thread spent between two ticks (``time.thread_time``;
  less at the mercy of the shared machine's load);
* ``result``: from the action's start until its result is on screen: the page's ``drawn`` ack
  of every command sent for it, and the widget or model state the action is about;
* ``checks`` (an edit's): from its start until the checks are delivered again, and
  ``every thread's CPU``: the process's CPU over all its threads until both are (the work an
  action costs beside the GUI thread's; printed, not in ``results()``).

The slider's drag is a burst of steps 16 ms apart (a mouse moving over it): its figures are the
worst gap of any step. Exports run off the GUI thread; for them only the stall counts.

    python bench/bench_actions.py [--path FILE] [--only WORDS] [--json OUT]

In ``make bench`` (``results()``): the rows at 100,000 members.

``--path``: another project (copied first: the actions edit it); ``--only``: the actions whose
name holds any of the comma-separated words.

Why ~470 lines: every action runs in one window, one after another (each leaves the state the next
starts from: the edits before the as-of dock, the dock's steps before the drag), timed by the one
``time``; split by area, each part would need the window's opening and settling again.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import json
import os
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_app import project_file, spin, wait_ms
from bench_open import Bench


class Actions:
    """The window opened on a project, and the timer every action is measured with."""

    def __init__(self, path: Path, only: list[str], profile: str = "") -> None:
        self.profile = profile  # the GUI thread's cProfile of the actions named with this
        self.bench = Bench()
        self.w: Any = self.bench.window
        self.only = only
        self.rows: list[dict[str, Any]] = []
        self.assessed = 0
        self.tmp = Path(tempfile.mkdtemp(prefix="cdesk-actions-"))
        opened = self.bench.open(path)
        print(f"opened {path.name}: painted {opened['painted']:.2f} s, assessed {opened['assessed']:.2f} s",
              flush=True)
        self.bench.settle(path)
        self.w.session.assessed.connect(self._note_assessed)

    def _note_assessed(self, _results: object) -> None:
        self.assessed += 1

    def wanted(self, name: str) -> bool:
        return not self.only or any(word in name for word in self.only)

    def drawn(self) -> Callable[[], bool]:
        """Every command sent so far drawn (the seq read when the action has run)."""
        view = self.w.map
        return lambda: view.last_drawn >= view.seq

    def settle(self) -> None:
        """The last action's work done: its assessment, and the as-of dock's days assessed ahead
        (a user reading the screen meanwhile; a step waiting for its day's run is timed apart)."""
        s, days = self.w.session, self.w.timeline.days
        spin(lambda: not (s.assessor.busy or s._assess_timer.isActive() or days._running), timeout=600)
        wait_ms(150)

    def time(self, name: str, act: Callable[[], object], done: Callable[[], bool],
             checks: bool = False, at_least_ms: int = 0) -> dict[str, Any]:
        """Run ``act`` with a 5 ms ticker on the GUI thread; wait for ``done()`` (and, with
        ``checks``, for an assessment delivered after it: the edit's checks on screen)."""
        from PySide6.QtCore import QTimer

        if not self.wanted(name):
            return {}
        self.settle()
        ticks = [(time.perf_counter(), time.thread_time())]
        ticker = QTimer()
        ticker.setInterval(5)
        ticker.timeout.connect(lambda: ticks.append((time.perf_counter(), time.thread_time())))
        ticker.start()
        seen = self.assessed
        prof = cProfile.Profile() if any(p and p in name for p in self.profile.split(",")) else None
        if prof:
            prof.enable()
        t0, all0 = time.perf_counter(), time.process_time()
        act()
        shown: list[float] = []
        assessed: list[float] = []

        def finished() -> bool:
            if not shown and done():
                shown.append(time.perf_counter())
            if checks and not assessed and self.assessed > seen:
                assessed.append(time.perf_counter())
            return bool(shown) and (not checks or bool(assessed))

        spin(finished, timeout=120)
        end, all_cpu = time.perf_counter(), time.process_time() - all0
        if prof:
            prof.disable()
            print(f"--- profile of {name} (GUI thread, until shown) ---")
            pstats.Stats(prof).sort_stats(os.environ.get("PROF_SORT", "cumulative")).print_stats(45)
        if at_least_ms:  # the paints the action queued (a tab shown) run in these
            wait_ms(max(0, at_least_ms - int((end - t0) * 1000)))
        ticker.stop()
        ticks.append((time.perf_counter(), time.thread_time()))
        gaps = [(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(ticks)]
        row = {"action": name, "stall_ms": 1000 * max(g[0] for g in gaps),
               "stall_cpu_ms": 1000 * max(g[1] for g in gaps), "result_ms": 1000 * (shown[0] - t0),
               "checks_ms": 1000 * (assessed[0] - t0) if checks else None, "load": os.getloadavg()[0],
               "all_cpu_ms": 1000 * all_cpu}
        self.rows.append(row)
        checks_text = f", checks {row['checks_ms']:7.0f} ms" if checks else ""
        print(f"  {name:<48} stall {row['stall_ms']:6.0f} ms (cpu {row['stall_cpu_ms']:5.0f}), "
              f"result {row['result_ms']:7.0f} ms{checks_text}, "
              f"every thread's CPU {row['all_cpu_ms']:6.0f} ms  load {row['load']:.1f}", flush=True)
        return row

    # ----- the actions ------------------------------------------------------------------------------

    def run(self) -> None:
        # (the charts last: they build every record, which the actions before never need)
        for part in (self.member_edits, self.circles, self.plan_and_checks, self.timeline, self.place_search,
                     self.links, self.map_moves, self.exports, self.charts):
            part()

    def member_edits(self) -> None:
        w, s = self.w, self.w.session
        model, roster = w.roster_model, w.roster
        from cluster_desk.ui.roster.model import COL

        mid = next(m for m in list(s.members)[100:200] if s.members[m].located)
        roster.select_ids([mid])
        spin(lambda: roster.selected_ids() == [mid])
        self.time("member form: open", w.edits.edit_selected,
                  lambda: w.edits.form is not None and w.edits.form.isVisible(), at_least_ms=100)
        form = w.edits.form
        self.time("member form: close", lambda: form.reject() if form is not None else None,
                  lambda: w.edits.form is None)
        old = s.members[mid].name
        new = old + " (renamed)"
        index = model.index(model.row_of(mid), COL["name"])
        self.time("roster cell: name edited", lambda: model.setData(index, new),
                  lambda: s.members[mid].name == new
                  and model.data(model.index(model.row_of(mid), COL["name"])) == new,
                  checks=True)
        self.time("undo the name", s.undo_stack.undo, lambda: s.members[mid].name == old, checks=True)
        # Place mode: the click on the map opens the form at that point; its OK adds the member.
        before = set(s.members)
        self.time("add member: place mode, map clicked", lambda: (w.actions.add_member.trigger(),
                                                                   w.sync.click_at(55.8, 49.1)),
                  lambda: w.edits.form is not None and w.edits.form.isVisible(), at_least_ms=100)
        form = w.edits.form

        def accept() -> None:
            form.name.setText("ООО «Новый участник»")
            form.accept()

        added: list[str] = []

        def in_roster() -> bool:
            if not added:
                added.extend(set(s.members) - before)
            return bool(added) and model.row_of(added[0]) >= 0 and self.drawn()()

        self.time("add member: form OK -> on map and roster", accept, in_roster, checks=True)
        victim = next(m for m in list(s.members)[300:400] if s.members[m].located)
        roster.select_ids([victim])
        spin(lambda: roster.selected_ids() == [victim])
        drawn = self.drawn()
        self.time("delete a member (with its links)", w.edits.delete_selected,
                  lambda: victim not in s.members and model.row_of(victim) < 0 and drawn(), checks=True)
        self.time("undo the delete", s.undo_stack.undo,
                  lambda: victim in s.members and model.row_of(victim) >= 0 and drawn(), checks=True)

    def plan_and_checks(self) -> None:
        w = self.w
        panel = w.assessment
        planner = panel.planner
        shown: list[int] = []
        show_ranked = planner._show_ranked

        def noted(ranked: Any) -> None:
            shown.append(len(ranked))
            show_ranked(ranked)

        planner._show_ranked = noted
        w.assessment_dock.show()
        w.assessment_dock.raise_()
        self.time("Plan tab shown (candidates ranked)", lambda: panel.tabs.setCurrentWidget(planner),
                  lambda: bool(shown), at_least_ms=50)
        panel.tabs.setCurrentIndex(0)
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        # On screen: the highlight and the fades of members and links drawn (the fades were sent
        # on timers after the click: until they have gone, nothing says the page is done).
        timers = [t for t in (getattr(w, "_fade_timer", None), getattr(w.links, "_fade_timer", None)) if t]
        drawn = self.drawn()

        def on_screen() -> bool:
            return drawn() and not proxy_busy(w.roster.proxy) and not any(t.isActive() for t in timers)

        # The pointer comes over the cards first, as a user's does before a click (the page then
        # makes the view's faint crowd and lines while idle: CheckMarks.prepare_view).
        QTest.mouseMove(panel.scroll.viewport(), panel.scroll.viewport().rect().center())
        for cid, card in list(panel.cards.items()):
            self.time(f"check card clicked: {cid}",
                      lambda c=card: QTest.mouseClick(c, Qt.MouseButton.LeftButton),
                      lambda c=cid: panel.selected == c and on_screen(), at_least_ms=30)
        last = panel.selected
        if last:
            self.time("check card clicked again (filter off)",
                      lambda: QTest.mouseClick(panel.cards[last], Qt.MouseButton.LeftButton),
                      lambda: panel.selected == "" and on_screen(), at_least_ms=30)

    def charts(self) -> None:
        panel = self.w.charts.panel
        dock = self.w.charts.dock

        def shown_drawn() -> bool:  # the current tab's chart drawn at its size (on the worker)
            chart = panel.tabs.currentWidget()
            return chart is not None and chart.is_drawn()

        self.time("Charts dock shown (charts drawn)", dock.show,
                  lambda: bool(panel.figures) and shown_drawn(), at_least_ms=100)
        for i in range(1, panel.tabs.count()):
            self.time(f"chart tab {i}: {panel.tabs.tabText(i)}", lambda i=i: panel.tabs.setCurrentIndex(i),
                      shown_drawn, at_least_ms=150)
        dock.hide()

    def timeline(self) -> None:
        t = self.w.timeline
        widget = t.widget
        # (shown: its span read, the day cache's arrays made, the map's masks over them made)
        self.time("timeline dock shown", t.dock.show,
                  lambda: not t.years_pending and t.days._arrays is not None
                  and t.past_map._arrays is t.days._arrays,
                  at_least_ms=100)
        today = date.today()
        year_ago = today.replace(year=today.year - 1).isoformat()

        def past(day: str) -> Callable[[], bool]:
            drawn = self.drawn()
            return lambda: t.day == day and drawn()

        self.time("as of one year ago", lambda: t.show_day(year_ago), past(year_ago))
        first = widget.slider.minimum()
        # (a year ago is on that year's step: the steps from the year before)
        for year in range(today.year - 2, max(first, today.year - 5) - 1, -1):
            day = f"{year}-12-31"
            self.time(f"step to {day}", lambda v=year: widget.slider.setValue(v), past(day))
        self.time("back to today", widget.today_button.click, lambda: t.day == "" and self.drawn()(),
                  checks=True)
        self.drag(widget)
        self.edit_then_step(widget, past)

    def edit_then_step(self, widget: Any, past: Callable[[str], Callable[[], bool]]) -> None:
        """A member deleted and the delete undone with the dock open, today shown (the file's links
        then in another order than the open read them): each until its checks are shown and the
        as-of arrays and the map's masks over them are made again; then a year step over them."""
        if not self.wanted("the dock open"):
            return
        w, s, t = self.w, self.w.session, self.w.timeline
        victim = next(m for m in list(s.members)[500:600] if s.members[m].located)
        w.roster.select_ids([victim])
        spin(lambda: w.roster.selected_ids() == [victim])

        def remade() -> bool:
            a = t.days.ready_arrays()
            return a is not None and t.past_map._arrays is a

        self.time("delete a member, the dock open", w.edits.delete_selected,
                  lambda: victim not in s.members and remade(), checks=True)
        self.time("undo the delete, the dock open", s.undo_stack.undo,
                  lambda: victim in s.members and remade(), checks=True)
        year = date.today().year - 3
        self.time("step after the edits, the dock open", lambda: widget.slider.setValue(year),
                  past(f"{year}-12-31"))
        self.time("today again, the dock open", widget.today_button.click,
                  lambda: t.day == "" and self.drawn()(), checks=True)

    def drag(self, widget: Any) -> None:
        """The slider dragged over every year and back, a step each 16 ms: the worst gap of any."""
        if not self.wanted("slider drag"):
            return
        from PySide6.QtCore import QTimer

        self.settle()
        slider = widget.slider
        lo, hi = slider.minimum(), slider.maximum()
        steps = list(range(hi - 1, lo - 1, -1)) + list(range(lo + 1, hi + 1))
        ticks = [(time.perf_counter(), time.thread_time())]
        ticker = QTimer()
        ticker.setInterval(5)
        ticker.timeout.connect(lambda: ticks.append((time.perf_counter(), time.thread_time())))
        ticker.start()
        t0 = time.perf_counter()
        for v in steps:
            slider.setValue(v)
            wait_ms(16)
        t = self.w.timeline
        spin(lambda: t.day == "" and self.w.map.last_drawn >= self.w.map.seq, timeout=600)
        end = time.perf_counter()
        ticker.stop()
        gaps = [(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(ticks)]
        row = {"action": f"slider drag ({len(steps)} steps, 16 ms apart)",
               "stall_ms": 1000 * max(g[0] for g in gaps), "stall_cpu_ms": 1000 * max(g[1] for g in gaps),
               "result_ms": 1000 * (end - t0), "checks_ms": None, "load": os.getloadavg()[0]}
        self.rows.append(row)
        print(f"  {row['action']:<48} stall {row['stall_ms']:6.0f} ms (cpu {row['stall_cpu_ms']:5.0f}), "
              f"all drawn {row['result_ms']:7.0f} ms  load {row['load']:.1f}", flush=True)

    def circles(self) -> None:
        w = self.w
        drawn_now = self.drawn
        # (the members in the circle may be found on the worker: the map moves when they come)
        self.time("View > Fit cluster", w.actions.fit_all.trigger,
                  lambda: not w.session.assessor.busy and drawn_now()())
        self.time("Fit smallest circles", w.actions.fit_circle.trigger,
                  lambda: w.fit_circles.circles is not None and drawn_now()(), checks=True)
        radius = w.assessment.radius

        def typed() -> None:
            radius.lineEdit().selectAll()
            radius.lineEdit().insert("150")
            radius.interpretText()
            radius.editingFinished.emit()

        self.time("radius typed: 150 km", typed,
                  lambda: abs(w.session.settings.radius_km - 150) < 1e-9 and drawn_now()(), checks=True)

    def place_search(self) -> None:
        from PySide6.QtCore import QEvent, Qt
        from PySide6.QtGui import QKeyEvent
        from PySide6.QtWidgets import QApplication

        search = self.w.offline.search
        search.setFocus()
        search.clear()

        def type_it() -> None:  # (QTest.keyClicks asserts on non-Latin letters: the key events by hand)
            for ch in "Казань":
                QApplication.sendEvent(search, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_unknown,
                                                         Qt.KeyboardModifier.NoModifier, ch))

        self.time("place search: a town's name typed", type_it, lambda: bool(search._hits))
        drawn_now = self.drawn
        self.time("place search: first hit picked", search.choose_current, lambda: drawn_now()())

    def links(self) -> None:
        from PySide6.QtCore import Qt

        from cluster_desk.core.model import LinkKind
        from cluster_desk.ui.links.model import COLUMNS

        c = self.w.links
        drawn_now = self.drawn
        action = c.kind_actions[LinkKind.SUPPLY]
        self.time("View > Links: a kind hidden", action.trigger, lambda: drawn_now()())
        self.time("View > Links: the kind shown", action.trigger, lambda: drawn_now()())
        panel = c.panel
        if not self.time("Links dock shown", lambda: (c.dock.show(), c.dock.raise_()),
                         lambda: panel._attached and panel.proxy.rowCount() > 0, at_least_ms=100):
            c.dock.show()  # (not timed, but the sort and filter need the table shown)
            c.dock.raise_()
            spin(lambda: panel._attached)
        self.time("Links: sorted by volume", lambda: panel.view.sortByColumn(COLUMNS.index("volume"),
                                                                             Qt.SortOrder.DescendingOrder),
                  lambda: not panel.proxy.pending and panel.proxy.sortColumn() == COLUMNS.index("volume"),
                  at_least_ms=50)
        self.time("Links: filtered by text", lambda: panel.text.setText("Компания 123"),
                  lambda: not panel.proxy.pending and panel.proxy.text == "компания 123", at_least_ms=50)
        source = COLUMNS.index("source")
        self.time("Links: filtered, sorted by member 1", lambda: panel.view.sortByColumn(
            source, Qt.SortOrder.AscendingOrder),
                  lambda: not panel.proxy.pending and panel.proxy.sortColumn() == source, at_least_ms=50)
        self.time("Links: filter cleared", lambda: panel.text.setText(""),
                  lambda: not panel.proxy.pending and panel.proxy.text == "", at_least_ms=50)
        panel.text.setText("")
        self.w.roster_dock.raise_()

    def exports(self) -> None:
        x = self.w.exchange
        jobs: list[Any] = []
        self.time("File > Export roster (CSV), off the thread",
                  lambda: jobs.append(x.export_to(self.tmp / "r.csv")),
                  lambda: bool(jobs) and jobs[-1].finished)
        self.time("Export passport (HTML), off the thread",
                  lambda: jobs.append(self.w.timeline.export_to(self.tmp / "p.html")),
                  lambda: bool(jobs) and jobs[-1].finished)

    def map_moves(self) -> None:
        """Zoom and pan from a town's view (Kazan at zoom 10, where the place search leaves the
        map), whatever the actions before left: the rows of a full run and of ``--only map:`` are
        the same moves. There the lines in view are long (links run across the region): what
        the page's raster costs shows."""
        if not self.wanted("map:"):
            return
        view = self.w.map
        lat, lon, zoom = 55.78874, 49.12214, 10
        seq = view.centre_on(lat, lon, zoom)
        spin(lambda: view.last_drawn >= seq, timeout=120)
        drawn_now = self.drawn
        self.time("map: zoom in", lambda: view.centre_on(lat, lon, zoom + 1), lambda: drawn_now()(),
                  at_least_ms=300)
        self.time("map: zoom out", lambda: view.centre_on(lat, lon, zoom), lambda: drawn_now()(),
                  at_least_ms=300)
        self.time("map: pan", lambda: view.centre_on(lat + 0.5, lon + 0.8, zoom), lambda: drawn_now()(),
                  at_least_ms=300)


def proxy_busy(proxy: Any) -> bool:
    return bool(getattr(proxy, "pending", False))


def working_copy(source: Path) -> Path:
    """A copy of ``source`` in a folder of its own, on the disk before the window opens it (the
    copy's pages still dirty in the page cache made the first edit's commit write the whole
    file: ~0.25 s of that edit's stall, which a project kept on the disk does not have)."""
    work = Path(tempfile.mkdtemp(prefix="cdesk-actions-file-")) / source.name
    shutil.copyfile(source, work)
    with work.open("rb+") as f:
        os.fsync(f.fileno())
    return work


def results(sizes: list[int]) -> list[dict[str, Any]]:
    """``run_bench``'s rows (at 100,000 members only: the actions need bench_app's dated project):
    each action's longest GUI-thread stall, its CPU, and the time until its result is on screen."""
    if 100_000 not in sizes:
        return []
    work = working_copy(project_file(100_000))
    try:
        actions = Actions(work, [])
        actions.run()
        actions.w.session.close()
    finally:
        shutil.rmtree(work.parent, ignore_errors=True)
    rows: list[dict[str, Any]] = []
    for r in actions.rows:
        for what, key in (("longest GUI stall", "stall_ms"), ("longest GUI stall, CPU", "stall_cpu_ms"),
                          ("until on screen", "result_ms")):
            rows.append({"work": f"action: {r['action']}, {what}", "size": 100_000, "ours": r[key] / 1000})
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--path", type=Path, help="a project to copy and use (default: bench_app's 100k)")
    ap.add_argument("--only", default="", help="comma-separated words: only the actions named with one")
    ap.add_argument("--profile", default="",
                    help="comma-separated words: the GUI thread's cProfile of the actions named with one")
    ap.add_argument("--json", type=Path, help="write the rows here")
    args = ap.parse_args()
    work = working_copy(args.path or project_file(100_000))
    try:
        actions = Actions(work, [w for w in args.only.split(",") if w], args.profile)
        actions.run()
        if args.json:
            args.json.write_text(json.dumps(actions.rows, ensure_ascii=False, indent=1))
        actions.w.session.close()
    finally:
        shutil.rmtree(work.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
