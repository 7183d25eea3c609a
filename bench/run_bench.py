"""Run every bench and write one page, bench/RESULTS.md (``make bench``).

The convention every ``bench/bench_*.py`` follows to appear in the table (one of the two):

1. It defines ``results(sizes: list[int]) -> list[dict]``. The runner calls it in a fresh
   Python process per script (so one script's memory does not weigh on the next) with the
   sizes asked for (default 1,000 / 10,000 / 100,000; ``--huge`` adds 1,000,000).
2. Otherwise, run as a plain script, it prints lines ``BENCH {json}`` (``bench_core.emit``);
   the runner runs it with the arguments ``SCRIPT_ARGS`` gives for the run's sizes (once per
   argument list: scripts taking one size are run once per size, so their growth shows too),
   or with none, and reads those lines.

Each row (dict or JSON object) has: ``work`` (what was done, e.g. "core: csv import"), ``size``
(members, rows, places...), ``ours`` (the figure), ``unit`` ("s" if missing; "MB"...), and,
when something comparable was measured in the same run, ``peer`` (what: a floor such as plain
``executemany``, or a peer tool such as ``ogr2ogr``) and ``peer_value``. The ratio is
ours / peer_value. For every work timed at 2+ sizes the page shows the growth exponent
(``growth.py``: slope of log time against log size, least squares; 1.0 is linear).

Scripts doing neither are listed on the page as not taking part. A script that fails, exits
non-zero (bench_map and bench_app do when a target is missed) or runs past ``--timeout`` is
listed with its last error or output line, and the rows it printed are kept; the others still run.

    python bench/run_bench.py [--sizes 1000,10000,100000] [--huge] [--only core,places]
                              [--timeout 900] [--out bench/RESULTS.md] [--render RESULTS.json]

The figures are also saved as JSON beside the page (bench/RESULTS.json); ``--render`` writes
the page again from them without running anything.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from growth import exponents, verdict

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
NOTES = BENCH / "profile_notes.md"  # hand-written "where the time goes" (from bench/profile_core.py)

_SHIM = """
import json, sys
sys.path.insert(0, {bench!r}); sys.path.insert(0, {tests!r})
import {module} as m
for row in m.results({sizes!r}):
    print("BENCH " + json.dumps(row), flush=True)
"""


#: Sizes above this go only to the scripts built for them (bench_core/io/open: results()); the
#: plain scripts below make their projects with the store API or drive the window row by row,
#: which at 1,000,000 would take most of an hour each.
PLAIN_MAX = 100_000

#: The argument lists each plain script is run with, from the run's sizes (one run per list).
SCRIPT_ARGS: dict[str, Callable[[list[int]], list[list[str]]]] = {
    "bench_app.py": lambda sizes: [["--sizes", ",".join(map(str, sizes)), "--drags", "10"]],
    "bench_blocks.py": lambda sizes: [["--size", str(max(sizes))]],
    "bench_htmlmap.py": lambda sizes: [["--members", *map(str, sizes)]],
    "bench_links.py": lambda sizes: [["--members", str(max(sizes)), "--links", str(3 * max(sizes)),
                                      "--no-ui"]],
    "bench_network.py": lambda sizes: [["--members", str(n), "--links", str(3 * n)] for n in sizes],
    "bench_report.py": lambda sizes: [["--sizes", str(max(sizes))]],
    "bench_roster.py": lambda sizes: [["--n", str(n)] for n in sizes],
    "bench_timeline.py": lambda sizes: [["--members", str(max(sizes))]],
}


def plain_args(name: str, sizes: list[int]) -> list[list[str]]:
    """The argument lists a plain script is run with (``[[]]``: once, with its own defaults)."""
    make = SCRIPT_ARGS.get(name)
    small = sorted({min(n, PLAIN_MAX) for n in sizes})
    return make(small) if make else [[]]


def has_results(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(n, ast.FunctionDef) and n.name == "results" for n in tree.body)


def run_script(path: Path, sizes: list[int], timeout: float) -> tuple[list[dict], str, float]:
    """(rows, problem or "", seconds) of one bench script: one process per argument list."""
    if has_results(path):
        return run_once(path, sizes, timeout, None)
    rows: list[dict] = []
    problems: list[str] = []
    took = 0.0
    for args in plain_args(path.name, sizes):
        got, problem, seconds = run_once(path, sizes, timeout, args)
        rows += got
        took += seconds
        if problem:
            problems.append(f"{' '.join(args)}: {problem}" if args else problem)
    return rows, "; ".join(problems), took


def run_once(path: Path, sizes: list[int], timeout: float,
             args: list[str] | None) -> tuple[list[dict], str, float]:
    """(rows, problem or "", seconds) of one run of a bench script in its own process:
    ``results(sizes)`` when ``args`` is None, else the script with ``args``."""
    pythonpath = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": pythonpath,
           "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    if args is None:
        code = _SHIM.format(bench=str(BENCH), tests=str(ROOT / "tests"), module=path.stem, sizes=sizes)
        cmd = [sys.executable, "-c", code]
    else:
        cmd = [sys.executable, str(path), *args]
    t = time.perf_counter()
    try:
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
        out, problem = done.stdout, "" if done.returncode == 0 else f"exit code {done.returncode}"
        err = done.stderr
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
        problem = f"stopped after the {timeout:.0f} s timeout"
    rows = [json.loads(line[6:]) for line in out.splitlines() if line.startswith("BENCH ")]
    if problem:
        # the last error line, else the last figure printed (bench_map/app exit 1 on a missed target)
        errors = [ln for ln in err.splitlines() if "Error" in ln or "Exception" in ln]
        said = [ln for ln in out.splitlines() if ln.strip() and not ln.startswith("BENCH ")]
        tail = (errors or said or [""])[-1].strip().replace("|", "/")[:200]
        problem = f"{problem} (a missed target or a failure): {tail}"
    elif not rows:
        problem = "no results() and no BENCH lines: not in the table"
    return rows, problem, time.perf_counter() - t


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        from PySide6 import __version__ as qt
    except ImportError:
        qt = "not installed"
    return [f"CPU: {cpu}, {os.cpu_count()} cores; {platform.system()} {platform.release()}",
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, PySide6/Qt {qt}"]


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        return f"{value * 1000:.2f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value:.1f} {unit}"


def _short(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else (
        f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else f"{n:,}")


def page(rows: list[dict], problems: dict[str, str], took: dict[str, float], load: tuple,
         sizes: list[int], when: str = "") -> str:
    lines = ["# Bench results", "",
             "Written by `make bench` (`bench/run_bench.py`; the convention is in its docstring).",
             "Figures from one run on a shared machine: compare ratios within a run, not across runs.", "",
             "Peers measured in the same run: `app: open with links -> painted` (bench_open: a first "
             "open, then the same file opened again) against QGIS "
             "loading and rendering the same members from our own GeoPackage export at 1400x900 "
             "(`bench/qgis_peer.py`; PyQGIS from `make bench-system`, else the row says it is not "
             "installed); `app: start -> demo painted` from source and from the frozen build, timed "
             "alike from outside the app (bench_start); CSV imports against `csv.reader` + "
             "`executemany`, exports against `ogr2ogr` (bench_io, bench_core).", ""]
    if NOTES.is_file():
        lines += [NOTES.read_text(encoding="utf-8").strip(), ""]
    lines += ["## Machine", "", *[f"- {m}" for m in machine()],
              f"- Load average (1, 5, 15 min) before: {load[0]}, after: {load[1]}",
              f"- Sizes: {', '.join(f'{s:,}' for s in sizes)}; "
              f"run at {when or time.strftime('%Y-%m-%d %H:%M %Z')}", "",
              "## Table", "",
              "| work | size | ours | floor or peer (same run) | theirs | ratio |",
              "|---|---:|---:|---|---:|---:|"]
    for r in rows:
        unit = r.get("unit", "s")
        ours = r.get("ours", r.get("seconds"))
        peer_value = r.get("peer_value", r.get("peer_seconds"))
        ratio = f"{ours / peer_value:.3g}×" if ours is not None and peer_value else "—"
        lines.append(f"| {r['work']} | {r['size']:,} | {fmt(ours, unit)} | {r.get('peer') or '—'} | "
                     f"{fmt(peer_value, unit)} | {ratio} |")
    exps = exponents([{**r, "ours": r.get("ours", r.get("seconds"))} for r in rows])
    if exps:
        lines += ["", "## Growth (exponent of time in size; 1.0 = linear)", "",
                  "Least-squares slope of log(time) on log(size) (`bench/growth.py`): over all the "
                  "sizes measured in this run, and over the two largest (the top decade). At the "
                  "small sizes fixed costs (a process start, a page frame, a query) hide the "
                  "per-member cost, so the top decade is what says whether a work is linear; the "
                  "words read it.", "",
                  "| work | sizes | all sizes | top decade | reads as (top decade) |",
                  "|---|---|---:|---:|---|"]
        lines += [f"| {w} | {', '.join(_short(n) for n in g.sizes)} | {g.overall:.2f} | {g.top:.2f} | "
                  f"{verdict(g.top)} |" for w, g in exps.items()]
    lines += ["", "## Scripts", "", "| script | took | note |", "|---|---:|---|"]
    lines += [f"| {name} | {took[name]:.0f} s | {problems.get(name) or 'ok'} |" for name in took]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--huge", action="store_true", help="also 1,000,000 (slow; memory hungry)")
    ap.add_argument("--only", default="", help="comma-separated parts of script names to run")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per script")
    ap.add_argument("--out", default=str(BENCH / "RESULTS.md"))
    ap.add_argument("--render", default="", metavar="RESULTS.json",
                    help="run nothing: write the page again from a run's saved figures")
    args = ap.parse_args(argv)
    if args.render:
        saved = json.loads(Path(args.render).read_text(encoding="utf-8"))
        Path(args.out).write_text(page(saved["rows"], saved["problems"], saved["took"],
                                       tuple(tuple(x) for x in saved["load"]), saved["sizes"], saved["when"]),
                                  encoding="utf-8")
        print(f"wrote {args.out}")
        return 0
    sizes = [int(s) for s in args.sizes.split(",")] + ([1_000_000] if args.huge else [])
    wanted = [w for w in args.only.split(",") if w]
    scripts = [p for p in sorted(BENCH.glob("bench_*.py")) if not wanted or any(w in p.stem for w in wanted)]
    load_before = tuple(round(x, 2) for x in os.getloadavg())
    rows: list[dict] = []
    problems: dict[str, str] = {}
    took: dict[str, float] = {}
    for path in scripts:
        print(f"{path.name} ...", flush=True)
        got, problem, seconds = run_script(path, sizes, args.timeout)
        rows += got
        took[path.name] = seconds
        if problem:
            problems[path.name] = problem
        print(f"  {len(got)} rows in {seconds:.0f} s {problem}", flush=True)
    load_after = tuple(round(x, 2) for x in os.getloadavg())
    when = time.strftime("%Y-%m-%d %H:%M %Z")
    Path(args.out).write_text(page(rows, problems, took, (load_before, load_after), sizes, when),
                              encoding="utf-8")
    saved = {"rows": rows, "problems": problems, "took": took, "load": [load_before, load_after],
             "sizes": sizes, "when": when}  # the figures, for --render and for comparing runs
    Path(args.out).with_suffix(".json").write_text(json.dumps(saved, indent=1), encoding="utf-8")
    print(f"wrote {args.out} and its .json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
