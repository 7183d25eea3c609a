"""How long explicit actions hold the GUI thread of the real window on an opened big project.

Issue 17: at 100,000 members and 300,000 links the links dock's first show, the exports and the
timeline's passport and year-end snapshot blocked the window. Each action is started from the
event loop while a 5 ms timer ticks on the GUI thread (bench_open.Bench.stall_until): the
longest gap between ticks is what a click meanwhile waits; the GUI thread's CPU between ticks is
the same, less at the mercy of the machine's load. ``done`` is what the user sees at the end:
the file in place (exports write a temp file and rename it), the snapshot in the file, the dock's
table painted.

``make bench`` runs it with no arguments and puts its ``BENCH`` lines in the table.

    python bench/bench_blocks.py [--size 100000] [--what dock,csv,gpkg,...] [--profile] [--path P]

``--path`` names the project file (default: bench_open's cached project of that size); give
each checkout its own TMPDIR and CLUSTER_DESK_CACHE when comparing (the script runs the code
of the tree it sits in: copy it into the other tree's bench/).
"""

from __future__ import annotations

import argparse
import atexit
import cProfile
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_app import spin, wait_ms
from bench_open import Bench, project_file, show_profile
from PySide6.QtCore import Qt

EXPORTS = {"csv": ".csv", "xlsx": ".xlsx", "geojson": ".geojson", "kml": ".kml", "gpkg": ".gpkg",
           "html": ".html", "links-csv": ".csv", "passport-pdf": ".pdf", "passport-html": ".html"}
WHAT = ["dock", "csv", "gpkg", "xlsx", "html", "links-csv", "passport-html", "snapshot"]


def start_action(w: Any, what: str, out: Path) -> Any:
    """Start ``what`` as the menu would; a callable saying when it is done."""
    if what == "dock":
        w.links.dock.show()
        w.links.dock.raise_()
        shown_at = time.perf_counter()
        # Done: the dock's table has had its paint (a few turns of the event loop after it).
        return lambda: w.links.panel.view.isVisible() and time.perf_counter() - shown_at > 1.0
    if what in ("sort", "filter"):  # the links table sorted by supplier, or filtered by kind
        panel = w.links.panel
        if what == "sort":
            panel.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        else:
            panel.kind.setCurrentIndex(2)
        return lambda: not getattr(panel.proxy, "pending", False)
    if what == "snapshot":
        w.timeline.freeze_year_end("2024-12-31")
        return lambda: not _busy(w) and any(k == "snapshot:2024-12-31" for k in w.session.project.meta())
    if what.startswith("passport"):
        w.timeline.export_to(out)
    elif what == "links-csv":
        w.exchange.export_links_to(out)
    else:
        w.exchange.export_to(out)
    return lambda: out.exists() and not _busy(w)


def _busy(w: Any) -> bool:
    if getattr(w.timeline, "jobs", None):
        return True
    """An export job of the new code still running (the old code has none)."""
    jobs = getattr(w.exchange, "jobs", None)
    return bool(jobs and jobs.busy)


def measure(bench: Bench, what: str, folder: Path, profile: bool, whole: bool = False) -> dict[str, float]:
    """``whole``: profile the GUI thread until done, not only the call that starts the action."""
    from PySide6.QtCore import QTimer

    w = bench.window
    out = folder / f"out-{what}{EXPORTS.get(what, '')}"
    out.unlink(missing_ok=True)
    box: dict[str, Any] = {}
    prof = cProfile.Profile() if profile else None

    def go() -> None:
        box["t0"], box["c0"] = time.perf_counter(), time.thread_time()
        if prof:
            prof.enable()
        box["done"] = start_action(w, what, out)
        box["call"] = time.perf_counter() - box["t0"]
        if prof and not whole:
            prof.disable()

    cpu0 = time.process_time()
    QTimer.singleShot(0, go)
    stall, stall_cpu, _ = bench.stall_until(lambda: "done" in box and box["done"]())
    total = time.perf_counter() - box["t0"]
    cpu = time.process_time() - cpu0
    if prof:
        prof.disable()
        show_profile(prof)
    size = out.stat().st_size if out.exists() else 0
    return {"stall": stall, "stall_cpu": stall_cpu, "call": box["call"], "total": total, "bytes": size,
            "cpu": cpu}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--path", type=Path, default=None)
    ap.add_argument("--what", default=",".join(WHAT))
    ap.add_argument("--profile", action="store_true", help="cProfile the call that starts each action")
    ap.add_argument("--profile-all", action="store_true", help="cProfile the GUI thread until done")
    args = ap.parse_args()
    path = args.path or project_file(args.size)
    bench = Bench()
    bench.open(path)
    w = bench.window
    w.session.assess_now()
    spin(lambda: not w.session.assessor.busy, timeout=600)
    wait_ms(1500)  # the work queued behind the first assessment (names, regions) settles
    folder = Path(tempfile.mkdtemp(prefix="cdesk-bench-blocks-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)  # (the exports: ~200 MB at 100k)
    print(f"{path.name}: load {os.getloadavg()[0]:.1f}")
    for what in args.what.split(","):
        r = measure(bench, what, folder, args.profile or args.profile_all, args.profile_all)
        print(f"  {what:14s} longest GUI block {r['stall'] * 1000:7.1f} ms "
              f"(GUI CPU {r['stall_cpu'] * 1000:6.1f} ms), start call {r['call'] * 1000:7.1f} ms, "
              f"done in {r['total']:6.2f} s (process CPU {r['cpu']:6.2f} s), {r['bytes']:,} bytes; "
              f"load {os.getloadavg()[0]:.1f}")
        n = len(w.session.members)
        for label, key in (("longest GUI block", "stall"), ("longest GUI block, GUI CPU", "stall_cpu"),
                           ("done", "total"), ("process CPU", "cpu")):
            # make bench's table (run_bench.py reads these lines)
            print("BENCH " + json.dumps({"work": f"blocks: {what}: {label}", "size": n, "ours": r[key]}))
        wait_ms(500)
    w.session.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
