"""Run every bench and write one page, bench/RESULTS.md (``make bench``).

The convention every ``bench/bench_*.py`` follows to appear in the table (one of the two):

1. It defines ``results(sizes: list[int]) -> list[dict]``. The runner calls it in a fresh
   Python process per script (so one script's memory does not weigh on the next) with the
   sizes asked for (default 1,000 / 10,000 / 100,000; ``--huge`` adds 1,000,000).
2. Otherwise, run as a plain script, it prints lines ``BENCH {json}`` (``bench_core.emit``);
   the runner runs it with no arguments and reads those lines.

Each row (dict or JSON object) has: ``work`` (what was done, e.g. "core: csv import"), ``size``
(members, rows, places...), ``ours`` (the figure), ``unit`` ("s" if missing; "MB"...), and,
when something comparable was measured in the same run, ``peer`` (what: a floor such as plain
``executemany``, or a peer tool such as ``ogr2ogr``) and ``peer_value``. The ratio is
ours / peer_value. For every work measured at 2+ sizes the page shows the growth exponent
(slope of log time against log size: 1.0 is linear).

Scripts doing neither are listed on the page as not taking part. A script that fails, exits
non-zero (bench_map and bench_app do when a target is missed) or runs past ``--timeout`` is
listed with its last error or output line, and the rows it printed are kept; the others still run.

    python bench/run_bench.py [--sizes 1000,10000,100000] [--huge] [--only core,places]
                              [--timeout 900] [--out bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import ast
import json
import math
import os
import platform
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

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


def has_results(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(n, ast.FunctionDef) and n.name == "results" for n in tree.body)


def run_script(path: Path, sizes: list[int], timeout: float) -> tuple[list[dict], str, float]:
    """(rows, problem or "", seconds) of one bench script, run in its own process."""
    pythonpath = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": pythonpath,
           "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    if has_results(path):
        code = _SHIM.format(bench=str(BENCH), tests=str(ROOT / "tests"), module=path.stem, sizes=sizes)
        cmd = [sys.executable, "-c", code]
    else:
        cmd = [sys.executable, str(path)]
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


def growth(rows: list[dict]) -> dict[str, float]:
    """Slope of log(ours) on log(size) per work (least squares), for works with 2+ sizes."""
    by_work: dict[str, list[tuple[float, float]]] = {}
    for r in rows:
        if r.get("ours") and r["ours"] > 0 and r.get("size", 0) > 0 and r.get("unit", "s") == "s":
            by_work.setdefault(r["work"], []).append((math.log(r["size"]), math.log(r["ours"])))
    out = {}
    for work, pts in by_work.items():
        if len({x for x, _ in pts}) < 2:
            continue
        mx = sum(x for x, _ in pts) / len(pts)
        my = sum(y for _, y in pts) / len(pts)
        out[work] = sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)
    return out


def page(rows: list[dict], problems: dict[str, str], took: dict[str, float], load: tuple,
         sizes: list[int]) -> str:
    lines = ["# Bench results", "",
             "Written by `make bench` (`bench/run_bench.py`; the convention is in its docstring).",
             "Figures from one run on a shared machine: compare ratios within a run, not across runs.", ""]
    if NOTES.is_file():
        lines += [NOTES.read_text(encoding="utf-8").strip(), ""]
    lines += ["## Machine", "", *[f"- {m}" for m in machine()],
              f"- Load average (1, 5, 15 min) before: {load[0]}, after: {load[1]}",
              f"- Sizes: {', '.join(f'{s:,}' for s in sizes)}; "
              f"run at {time.strftime('%Y-%m-%d %H:%M %Z')}", "",
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
    exps = growth([{**r, "ours": r.get("ours", r.get("seconds"))} for r in rows])
    if exps:
        lines += ["", "## Growth (exponent of time in size; 1.0 = linear)", "",
                  "| work | exponent |", "|---|---:|"]
        lines += [f"| {w} | {e:.2f} |" for w, e in exps.items()]
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
    args = ap.parse_args(argv)
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
    Path(args.out).write_text(page(rows, problems, took, (load_before, load_after), sizes), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
