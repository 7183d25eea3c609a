"""The Python process's memory (RSS) around an open of a big project in the real window (issue 17:
a million members and three million links under 1 GB at the paint and once assessed).

Opens ``bench_open.project_file(n)`` (the same synthetic project, its columns snapshot and
arrays cache in ``$CLUSTER_DESK_CACHE``: run it once to write them, then again) in a MainWindow
at 1400x900 offscreen and prints the RSS of this process:

* ``before``: the window shown, nothing open;
* ``paint``: the page has drawn the opened project;
* ``end``: the first assessment is shown (what ``bench_open.py`` reports as "RSS Python"),
  with the GUI thread's longest stall from the paint to then (wall, and its own CPU);
* ``settled``: the worker's jobs queued behind it are done (the links' id -> slot and
  links-by-member maps, the links table's rows, the roster's name key) and 3 s have passed;
* ``trim``: after ``gc.collect()`` and glibc's ``malloc_trim`` (what the heap held free).

With ``--offline`` the same parts without a window, each step's RSS added and its highest RSS:
the open's columns, the checks' arrays (holding the open's texts, ends and kinds, read as the
window's worker reads them after an open: store.assess_columns.arrays_after_open, or the arrays
cache), the assessment, the distances::

    python bench/memory_probe.py [--sizes 1000000] [--no-assess] [--offline]

``--timeline``: the RSS sampled every 20 ms on a thread, with the highest between the marks the
window's steps leave (the open call, each payload taken for the page, the member texts sent, each paint, the
worker busy and quiet, the assessment shown): where a peak comes from. Beside each mark, the CPU
until the next one of the busiest threads, of the page's processes and of every other process on
the machine (/proc/stat): what the worker shared the two cores with; and the worker's time ready
to run but waiting for a core (/proc schedstat) and asleep (wall less both: the GIL, I/O).

``--trace 10``: tracemalloc's largest live allocations (by the innermost 4 frames of ours) at the
paint, once assessed and settled (slow; its own bookkeeping adds to the RSS: read where, not
how much); ``--gui-profile``: cProfile of the GUI thread from the paint until assessed.

``--rings``: the red outside rings of the first result (ui/map/sync.py ``MapSync._send_outside``):
the GUI thread's CPU and wall in that step, and when the page acknowledged their command (painted
them) after the assessment was shown; the longest stall is then measured until the rings are
painted (the step runs a turn of the event loop after the result).

(Not run by ``make bench``: a million members takes minutes; run it by hand, one at a time, under
``flock /tmp/cdesk-1m.lock``.)

Why ~490 lines: the window's run, the offline steps and the RSS timeline with its marks measure
the same open three ways and share its setup.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import ctypes
import functools
import gc
import io
import os
import pstats
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

_CACHE = os.environ.get("CLUSTER_DESK_CACHE") or str(Path(tempfile.gettempdir()) / "cluster-desk-bench-cache")
import bench_open as bo  # noqa: E402 (the offscreen platform)

# bench_open imports bench_app, which points the cache at a fresh folder of its own (its first
# opens): here every run then read the tables, never the snapshot the last run wrote. The
# caller's folder (or bench_open's usual one) instead, so a second run is a warm open.
if os.environ.get("CLUSTER_DESK_CACHE") != _CACHE:
    with contextlib.suppress(OSError):
        os.rmdir(os.environ["CLUSTER_DESK_CACHE"])  # (bench_app's, still empty)
    os.environ["CLUSTER_DESK_CACHE"] = _CACHE


def rss() -> float:
    return bo.rss_mb(os.getpid())


def thread_cpu() -> dict[str, float]:
    """CPU seconds of each of this process's threads ("name/tid"; Linux /proc, else none)."""
    import threading

    out: dict[str, float] = {}
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    python_names = {t.native_id: t.name for t in threading.enumerate()}
    with contextlib.suppress(OSError):
        for tid in os.listdir("/proc/self/task"):
            with contextlib.suppress(OSError), open(f"/proc/self/task/{tid}/stat") as f:
                stat = f.read()
            name = python_names.get(int(tid)) or stat[stat.index("(") + 1:stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2:].split()
            out[f"{name}/{tid}"] = (int(fields[11]) + int(fields[12])) / tick
            if name == WORKER:  # its wait in the run queue (/proc schedstat: ns on a CPU, waiting, slices)
                with contextlib.suppress(OSError, ValueError, IndexError), \
                        open(f"/proc/self/task/{tid}/schedstat") as f:
                    out[WAITED] = int(f.read().split()[1]) / 1e9
    out["(page processes)"] = bo.renderer_cpu_s()
    out["(other processes)"] = machine_cpu() - process_cpu() - out["(page processes)"]
    return out


#: The assessor's worker thread, and what the timeline says of it: seconds it was ready to run but
#: waited for a core (the run queue), and asleep (wall - its CPU - that wait: the GIL, a lock, I/O).
WORKER = "cluster-desk-assessor"
WAITED = "(worker waited for a core)"
ASLEEP = "(worker asleep: GIL, I/O)"


def machine_cpu() -> float:
    """CPU seconds every process of the machine used so far (/proc/stat: all but idle and I/O
    wait), to tell what else shared the cores with the worker."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()[1:8]
    except OSError:
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq = (int(v) for v in fields)
    return (user + nice + system + irq + softirq) / tick


def process_cpu() -> float:
    t = os.times()
    return t.user + t.system


def trim() -> float:
    """gc.collect, then glibc's malloc_trim: the trim's own wall time (s)."""
    gc.collect()
    t0 = time.perf_counter()
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    return time.perf_counter() - t0


def traced_top(label: str, snap: Any, limit: int) -> None:
    """The largest live allocations of ``snap`` by where they were made (the innermost frames of
    ours, so a numpy call inside a helper is named by the helper's caller too). Each snapshot is
    also dumped to $TMPDIR/memory_probe-<n>-<step>.trace (tracemalloc.Snapshot.load)."""
    stats = snap.statistics("traceback")
    total = sum(s.size for s in stats)
    print(f"  tracemalloc at {label}: {total / 2**20:.0f} MB traced; largest:")
    for s in stats[:limit]:
        ours = [f for f in reversed(s.traceback) if "cluster_desk" in f.filename or "bench" in f.filename]
        frames = ours[:4]
        where = " < ".join(f"{Path(f.filename).name}:{f.lineno}" for f in frames) or str(s.traceback[0])
        print(f"    {s.size / 2**20:7.1f} MB {s.count:>9,} blocks  {where}")


class Timeline:
    """RSS every 20 ms on a thread, and named marks; ``report`` prints the highest RSS between
    consecutive marks."""

    def __init__(self) -> None:
        import threading

        self.samples: list[tuple[float, float]] = []
        self.marks: list[tuple[float, str]] = []
        self.threads: list[dict[str, float]] = []  # each thread's CPU seconds at each mark
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.samples.append((time.perf_counter(), rss()))

    def mark(self, label: str) -> None:
        self.marks.append((time.perf_counter(), label))
        self.samples.append((time.perf_counter(), rss()))
        self.threads.append(thread_cpu())

    @property
    def highest(self) -> float:
        return max((m for _, m in self.samples), default=float("nan"))

    def report(self, quiet: bool = False) -> None:
        self._stop.set()
        self._thread.join()
        if quiet:
            return
        t0 = self.marks[0][0] if self.marks else 0.0
        print("  RSS timeline (s from the open: mark, then the highest RSS until the next mark):")
        ends = [t for t, _ in self.marks[1:]] + [float("inf")]
        nexts = [*self.threads[1:], thread_cpu()]
        for (t, label), end, at, then in zip(self.marks, ends, self.threads, nexts, strict=True):
            inside = [m for ts, m in self.samples if t <= ts < end]
            top = max(inside) if inside else float("nan")
            spent = {k: then[k] - at.get(k, 0.0) for k in then}
            worker = next((k for k in then if k.startswith(WORKER + "/") and k in at), None)
            if worker is not None and WAITED in then and WAITED in at and end != float("inf"):
                spent[ASLEEP] = max(0.0, (end - t) - spent[worker] - spent[WAITED])
            busy = sorted(((v, k) for k, v in spent.items()), reverse=True)
            cpu = ", ".join(f"{k} {s * 1000:.0f}" for s, k in busy[:8] if s >= 0.02)
            print(f"    {t - t0:7.2f} {label:<40} max {top:6.0f} MB  CPU ms until next: {cpu}")

    def hook(self, window: Any) -> None:
        """Marks at the window's steps (patched on the instances: any checkout's window)."""
        view, session, handler = window.map, window.session, window.map._scheme_handler

        def wrap(obj: Any, name: str, label: Callable[..., str]) -> None:
            inner = getattr(obj, name)

            def marked(*args: Any, **kwargs: Any) -> Any:
                out = inner(*args, **kwargs)
                self.mark(label(*args, **kwargs))
                return out

            setattr(obj, name, marked)

        wrap(view, "_on_drawn", lambda seq: f"page painted seq {seq}")
        wrap(view, "_send_texts", lambda: "member texts sent")
        wrap(handler.blobs, "take", lambda token: "a payload taken for the page")
        session.assessor.busyChanged.connect(lambda busy: self.mark(f"worker {'busy' if busy else 'quiet'}"))
        self.hook_worker()
        session.assessed.connect(lambda _results: self.mark("assessment shown"))


    def hook_worker(self) -> None:
        """Marks at the worker's steps: its read of the file (after an open, or whole) and the
        rules (the module functions the engine and the read call, patched for this process)."""
        from cluster_desk.store import assess_columns
        from cluster_desk.ui.project import assess_engine, distance_lane

        def around(module: Any, name: str, label: str) -> None:
            inner = getattr(module, name)

            def marked(*args: Any, **kwargs: Any) -> Any:
                self.mark(f"worker: {label}")
                try:
                    return inner(*args, **kwargs)
                finally:
                    self.mark(f"worker: {label} done")

            setattr(module, name, marked)

        around(assess_columns, "arrays_after_open", "read after the open")
        around(assess_columns, "arrays_of", "read of every column")
        around(assess_engine, "assess_arrays", "rules")
        from cluster_desk.core.checks import geography, relations, structure
        from cluster_desk.core.checks.context import Arrays

        around(geography, "locate", "rules: circles, distances")
        around(Arrays, "network", "rules: the day's network")
        for module, name in ((structure, "helix"), (relations, "links"), (relations, "focal"),
                             (relations, "registry")):
            around(module, name, f"rules: {name}")
        # (the roster's distances: the live result's second lane, after "assessment shown")
        around(distance_lane.MeasureDistances, "run", "distances' lane")


class Rings:
    """The outside rings' step on the GUI thread and the page's ack of its command (``--rings``).
    Patched on the class before the window exists (the timer holds the bound method): any
    checkout's MapSync."""

    def __init__(self) -> None:
        from cluster_desk.ui.map.sync import MapSync

        self.steps: list[tuple[float, float, float, int]] = []  # (start, wall, GUI CPU, seq sent)
        inner = MapSync._send_outside
        steps = self.steps

        def timed(sync: Any, *args: Any) -> None:
            t0, c0, seq0 = time.perf_counter(), time.thread_time(), sync.map.seq
            inner(sync, *args)
            seq = sync.map.seq
            steps.append((t0, time.perf_counter() - t0, time.thread_time() - c0, seq if seq > seq0 else -1))

        MapSync._send_outside = timed  # type: ignore[method-assign]
        # The worker's own CPU and wall for each live result (Assessed.cpu, .seconds).
        from cluster_desk.ui.project.live_assessment import LiveAssessment

        self.worker: list[tuple[float, float, float]] = []  # (when taken, worker CPU, worker wall)
        take, worker = LiveAssessment._take_assessment, self.worker

        def taken(session: Any, done: Any) -> None:
            worker.append((time.perf_counter(), float(done.cpu), float(done.seconds)))
            take(session, done)

        LiveAssessment._take_assessment = taken  # type: ignore[method-assign]

    def painted(self, acked: list[tuple[int, float]], after: float = 0.0) -> float | None:
        """When the page acknowledged the first ring command sent after ``after`` (perf_counter),
        None before."""
        sent = [s for s in self.steps if s[3] > 0 and s[0] > after]
        if not sent:
            return None
        seq = sent[0][3]
        return next((t for s, t in acked if s >= seq), None)


def in_window(n: int, assess: bool, trace: int = 0, gui_profile: bool = False,
              timeline: bool = False, rings: bool = False) -> None:
    ring = Rings() if rings else None
    bench = bo.Bench()
    marks_at: dict[str, float] = {}  # (read by the rings' stall test below, set at the paint)
    if ring is not None:
        stall_until = bench.stall_until
        all_acks: list[tuple[int, float]] = []
        on_drawn = bench.window.map._on_drawn

        def noted(seq: int) -> None:
            all_acks.append((seq, time.perf_counter()))
            on_drawn(seq)

        bench.window.map._on_drawn = noted  # type: ignore[method-assign]
        assessed_at: list[float] = []
        assessed_epoch: list[float] = []
        bench.window.session.assessed.connect(
            lambda _r: (assessed_at.append(time.perf_counter()), assessed_epoch.append(time.time())))
        # (until the first result's rings are painted: their step runs a turn after the result)
        bench.stall_until = lambda done: stall_until(  # type: ignore[method-assign]
            lambda: done() and ring.painted(all_acks, marks_at.get("paint", 0.0)) is not None)
    line = Timeline() if timeline else None
    if line is not None:
        line.hook(bench.window)
    if not assess:
        bench.window.session._assess_timer.timeout.disconnect()
        bench.assess = False
    path = bo.project_file(n)
    marks: dict[str, float] = {}
    painted = bench.painted

    snaps: dict[str, Any] = {}
    prof = cProfile.Profile() if gui_profile else None

    def at_paint(t0: float) -> float:
        took = painted(t0)
        marks_at["paint"] = time.perf_counter()
        marks["paint"] = rss()
        if trace:
            snaps["paint"] = tracemalloc.take_snapshot()
        if prof is not None:
            prof.enable()  # (this thread's calls only: the GUI thread's from the paint on)
        return took

    bench.painted = at_paint  # type: ignore[method-assign]
    bo.wait_ms(500)
    marks["before"] = rss()
    if trace:
        tracemalloc.start(trace)
    if line is not None:
        line.mark("open")
        files = bench.window.files
        open_path = files.open_path

        def opened(*args: Any, **kwargs: Any) -> Any:
            out = open_path(*args, **kwargs)
            line.mark("open call returned")
            return out

        files.open_path = opened
    got = bench.open(path)
    marks["end"] = rss()
    if line is not None:
        line.mark("assessed (measured)")
    if prof is not None:
        prof.disable()
    if trace:
        snaps["end"] = tracemalloc.take_snapshot()
    if assess:
        bo.spin(lambda: not bench.window.session.assessor.busy, timeout=600)
        if line is not None:
            line.mark("worker quiet")
        bo.wait_ms(3000)
        marks["settled"] = rss()
        if line is not None:
            line.mark("settled (measured)")
        if trace:
            snaps["settled"] = tracemalloc.take_snapshot()
    if ring is not None:
        paint = marks_at.get("paint", 0.0)  # (a close before the open emits results and rings too)
        first = next((s for s in ring.steps if s[0] > paint and s[3] > 0), None)
        shown = next((t for t in assessed_at if t > paint), float("nan"))
        at = ring.painted([a for a in all_acks if a[1] > paint], paint)
        if first is not None:
            done = next((w for w in ring.worker if w[0] > paint), None)
            if done is not None:
                print(f"  the worker's first assessment: {done[1]:.2f} s CPU, {done[2]:.2f} s wall")
            print(f"  paint -> checks shown {(shown - paint):.2f} s"
                  + (f", -> rings painted {(at - paint):.2f} s" if at is not None else ""))
            print(f"  rings: step {first[2] * 1000:.1f} ms GUI CPU, {first[1] * 1000:.1f} ms wall, started "
                  f"{(first[0] - shown) * 1000:+.0f} ms after the checks were shown; painted "
                  + (f"{(at - shown) * 1000:+.0f} ms after" if at is not None else "never"))
            if os.environ.get("PROBE_PAGE_TRACE"):  # the page's last steps (map.js traceStep), ms after
                paint_epoch = time.time() - (time.perf_counter() - paint)
                epoch = next((t for t in assessed_epoch if t > paint_epoch), 0.0)
                trace = bo.js(bench.window, "window.__clusterDesk.stats().trace") or []
                print("  page: " + "; ".join(f"{(t / 1000 - epoch) * 1000:+.0f} {what}" for what, t in trace
                                            if t / 1000 > epoch - 1.0))
    trim_ms = trim() * 1000
    marks["trim"] = rss()
    if line is not None:
        line.mark(f"gc, malloc_trim ({trim_ms:.0f} ms)")
        line.report()
    if trace:
        tracemalloc.stop()
    print(f"{n:,} members ({'first open: the tables' if got['from_tables'] else 'from the snapshot'}), "
          f"assessment {'on' if assess else 'off'}: painted {got['painted']:.2f} s, "
          f"paint -> assessed {got['assessed'] - got['painted']:.2f} s (longest GUI stall "
          f"{got['stall'] * 1000:.0f} ms, {got['stall_cpu'] * 1000:.0f} ms CPU); "
          f"load {os.getloadavg()[0]:.1f}")
    print("  Python RSS MB: " + ", ".join(f"{k} {v:.0f}" for k, v in marks.items())
          + f"; page {bo.renderer_rss_mb():.0f}")
    if prof is not None:
        print("  The GUI thread from the paint until assessed (cProfile):")
        for key in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats(key).print_stats(22)
            print(out.getvalue())
    for label, snap in snaps.items():
        traced_top(label, snap, 30)
        snap.dump(str(Path(tempfile.gettempdir()) / f"memory_probe-{n}-{label}.trace"))


def offline(n: int) -> None:
    from cluster_desk.core.assessment import assess_arrays
    from cluster_desk.core.roster_distances import all_distances
    from cluster_desk.core.tables import SharedTexts
    from cluster_desk.store.assess_columns import read_for_assessment
    from cluster_desk.store.project import Project
    from cluster_desk.ui.project.assess_engine import _centre_of

    path = bo.project_file(n)
    print(f"{n:,} members, no window: imports RSS {rss():.0f} MB; load {os.getloadavg()[0]:.1f}")

    def step(label: str, work: functools.partial[object]) -> object:
        m0, c0 = rss(), time.process_time()
        line = Timeline()
        out = work()
        line.report(quiet=True)
        gc.collect()
        print(f"  {label:<34} CPU {time.process_time() - c0:6.2f} s, RSS {rss():6.0f} MB ({rss() - m0:+.0f}),"
              f" highest {line.highest:6.0f} MB")
        return out

    project = Project.open(path)
    opened = step("open's columns", functools.partial(project.open_columns))
    print(f"  (the columns from {'the snapshot' if opened.from_snapshot else 'the tables'})")
    if not opened.from_snapshot:  # (the next run reads the snapshot)
        opened.save_snapshot(path)
    # What the window hands the worker (ui/project/loading.OpenedColumns.shared_texts): with the
    # link ends and kinds, its first read takes every column the open read (arrays_after_open).
    links = opened.links
    texts = SharedTexts(opened.key, opened.members, links.ids, (links.source_index, links.target_index),
                        links.kind_codes)
    read = functools.partial(read_for_assessment, path, texts)
    arrays, keep = step("checks' arrays (the open's texts)", read)  # type: ignore[misc]
    if keep is not None:
        keep()
    results = step("first assessment", functools.partial(assess_arrays, arrays, project.settings()))
    centre = _centre_of(results)
    if centre is not None:
        step("distances", functools.partial(all_distances, centre, arrays))
    trim()
    print(f"  after gc and malloc_trim: RSS {rss():.0f} MB")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000000")
    ap.add_argument("--no-assess", action="store_true")
    ap.add_argument("--offline", action="store_true")
    ap.add_argument("--timeline", action="store_true",
                    help="the RSS every 20 ms, highest between the window's steps")
    ap.add_argument("--gui-profile", action="store_true",
                    help="cProfile the GUI thread from the paint until the assessment is shown")
    ap.add_argument("--rings", action="store_true",
                    help="the outside rings' GUI step and when the page painted them")
    ap.add_argument("--trace", type=int, default=0, metavar="FRAMES",
                    help="tracemalloc with this many frames: the largest allocations at each step "
                         "(slows the run and adds to its RSS: read where, not how much RSS)")
    args = ap.parse_args()
    for n in (int(s) for s in args.sizes.split(",")):
        if args.offline:
            offline(n)
        else:
            in_window(n, not args.no_assess, args.trace, args.gui_profile, args.timeline, args.rings)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
