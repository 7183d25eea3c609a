"""Benchmark the passport and the "as of" view (figures, not pass/fail).

- matplotlib's start-up cost (a fresh interpreter importing Figure and the Agg canvas);
- the passport of the demo and of a synthetic 100,000-member project, through the command line
  (`cluster-desk report`: read the project, assess, yearly series, charts, map, HTML; the PDF
  adds Qt WebEngine start-up and printing). Targets (issue 14): demo ≤ 3 s, 100k ≤ 15 s;
- the passport's yearly series at 100k (one critical-mass figure and the link figures a year-end);
- one step of the date slider at 100k: the cluster as of a year-end and its assessment (what the
  window recomputes; the map then repaints the participants: see bench_map.py for that cost).
  Target: ≤ 0.25 s together with the map.

    python bench/bench_report.py [--sizes 100000] [--repeat 3]

The demo's passports: one run first (caches a first run builds), then the median of --repeat.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_core import emit, synthetic

from cluster_desk.core.assessment import assess_arrays
from cluster_desk.core.checks.context import Arrays
from cluster_desk.core.model import ClusterSettings
from cluster_desk.core.timeline import yearly_series
from cluster_desk.store.project import Project

REPO = Path(__file__).resolve().parents[1]


def _load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def _run(*args: str) -> float:
    """CPU seconds (user + system) of the child and its children: the machine is shared by many
    processes, so wall time there says more about the load than about the code (the last wall
    time is kept in _WALL for the passport's wall-time goal)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, *args], check=True, env=env, capture_output=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"    ({' '.join(args[:3])}…: wall {wall:.2f} s, cpu {cpu:.2f} s)")
    _WALL.append(wall)
    return cpu


_WALL: list[float] = []


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--repeat", type=int, default=3, help="timed passports of the demo (median)")
    args = parser.parse_args()
    print(_load())
    bare = _run("-c", "pass")
    # What the passport imports (report.charts: Figure and the Agg canvas, not pyplot).
    mpl = _run("-c", "import matplotlib.figure, matplotlib.backends.backend_agg")
    print(f"matplotlib import (Figure, Agg): {mpl - bare:.2f} s over a bare interpreter ({bare:.2f} s)")
    emit("matplotlib import, Figure + Agg (CPU s)", 1, mpl, "bare interpreter", bare)
    # The passport imports it without the 3D toolkit and kwdoc's docstring tables (report.charts),
    # after the assessment (numpy is in): timed inside the process, that import alone.
    code = ("import time, cluster_desk.report.data; "
            "from cluster_desk.report.charts import set_up_matplotlib; "
            "t = time.process_time(); set_up_matplotlib(); print(time.process_time() - t)")
    own = float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                               env={**os.environ, "PYTHONPATH": str(REPO)}).stdout)
    print(f"matplotlib import as the passport does it (numpy already in): {own:.2f} s cpu")
    emit("matplotlib import as the passport does it (CPU s)", 1, own)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        demo = tmp / "demo.cdesk"
        _run("-m", "cluster_desk", "demo", str(demo))
        for suffix in (".html", ".pdf"):
            out = str(tmp / f"demo{suffix}")
            # One run first, not counted: it may build what later runs reuse (matplotlib's font
            # list, the country outlines' cache, .pyc files of a fresh checkout); then the median
            # of the repeats (CPU time on a shared machine: see _run).
            first = _run("-m", "cluster_desk", "report", str(demo), out, "--lang", "ru")
            _WALL.clear()
            times = [_run("-m", "cluster_desk", "report", str(demo), out, "--lang", "ru")
                     for _ in range(args.repeat)]
            cpu, wall = statistics.median(times), statistics.median(_WALL)
            print(f"demo passport {suffix}: median {cpu:.2f} s cpu, {wall:.2f} s wall of {len(times)} "
                  f"(first run {first:.2f} s cpu; target 3 s)  {_load()}")
            emit(f"passport {suffix[1:]} of the demo (cli, CPU s)", 1, cpu, "goal (issue 14)", 3.0)
            emit(f"passport {suffix[1:]} of the demo (cli, wall s)", 1, wall, "goal (issue 14)", 3.0)
        for n in (int(s) for s in args.sizes.split(",")):
            members, links = synthetic(n)
            path = tmp / f"big{n}.cdesk"
            with Project.create(path, name=f"Synthetic {n}") as p:
                p.set_settings(ClusterSettings(name=f"Synthetic {n}"))
                p.add_members(members)
                p.add_links(links)
            for suffix in (".html", ".pdf"):
                t = _run("-m", "cluster_desk", "report", str(path), str(tmp / f"big{suffix}"), "--lang", "ru")
                print(f"{n:,} members passport {suffix}: {t:.2f} s cpu (target 15 s)  {_load()}")
                emit(f"passport {suffix[1:]} (cli, CPU s)", n, t, "goal (issue 14)", 15.0)
            settings = ClusterSettings()
            t = time.process_time()
            arrays = Arrays(members, links)  # the window builds them once per state of the project
            arrays_cpu = time.process_time() - t
            print(f"{n:,} members, roster arrays (once per edit): {arrays_cpu:.2f} s cpu")
            emit("passport: roster arrays (CPU s)", n, arrays_cpu)
            t = time.process_time()
            series = yearly_series(members, links, settings, until="2024-12-31", arrays=arrays)
            series_cpu = time.process_time() - t
            print(f"{n:,} members, yearly series ({len(series)} year-ends): {series_cpu:.2f} s cpu")
            emit("passport: yearly series (CPU s)", n, series_cpu)
            steps = []
            for year in (2018, 2020, 2022):
                t = time.process_time()
                day = f"{year}-12-31"
                then = [arrays.members[i] for i in np.flatnonzero(arrays.participants(day)).tolist()]
                assess_arrays(arrays, settings, on=day)
                steps.append(time.process_time() - t)
            print(f"{n:,} members, one slider step (participants + assessment; {len(then):,} then): median "
                  f"{sorted(steps)[1]:.2f} s cpu (target 0.25 s with the map)  {_load()}")
            emit("as-of step: participants + assessment (CPU s)", n, sorted(steps)[1])


if __name__ == "__main__":
    main()
