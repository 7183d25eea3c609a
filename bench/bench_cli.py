"""``cluster-desk check`` as a user runs it: a subprocess per run, wall, CPU and peak RSS.

Rows for 100,000 members / 300,000 links and, with ``--huge`` (run_bench) or when bench_open's
million-member file is already there, 1,000,000 / 3,000,000. Each figure is the median of RUNS
runs on a file never opened on this machine (an empty cache folder: no columns snapshot nor
checks' arrays cache, no integrity check remembered). The "again" rows: the same file opened
before, as a user meets it the next day (the cache a window leaves when it closes the project,
``snapshot.refresh``, and the verdict of one ``check`` before: ``store.checked``). Issue 17's
targets: the assessment of a million members <= 3 s, the process under 1 GB (the records path
this replaced took 33-36 s and 2.4 GB: not a floor).

    python bench/bench_cli.py [--sizes 100000,1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 3
HUGE = 1_000_000
#: Issue 17's targets at a million members (for the rows' text).
TARGET_S, TARGET_MB = 3.0, 1024


def bench_file(n: int) -> Path:
    """bench_open's project of ``n`` members and 3n links (made by it when missing)."""
    path = Path(tempfile.gettempdir()) / f"cluster-desk-bench-open-{n}.cdesk"
    if not path.exists():
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bench_open import project_file

        path = project_file(n)
    return path


def run_check(path: Path, *args: str, cache: str | None = None) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MB) of one ``python -m cluster_desk check PATH ARGS``, with the
    cache folder ``cache`` (else an empty one)."""
    with contextlib.ExitStack() as stack:
        if cache is None:
            cache = stack.enter_context(tempfile.TemporaryDirectory())
        return _run_check(path, args, cache)


def _run_check(path: Path, args: tuple[str, ...], cache: str) -> tuple[float, float, float]:
    import time

    env = {**os.environ, "CLUSTER_DESK_CACHE": cache, "LANG": "en_GB.UTF-8",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "cluster_desk", "check", str(path), *args], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise RuntimeError(f"check {path} exited {proc.returncode}: {err.strip()[-300:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def sizes_to_run(sizes: list[int]) -> list[int]:
    """100,000, and a million when asked for or its file is already there."""
    out = [100_000]
    if HUGE in sizes or (Path(tempfile.gettempdir()) / f"cluster-desk-bench-open-{HUGE}.cdesk").exists():
        out.append(HUGE)
    return out


def opened_before(path: Path, cache: str) -> None:
    """``cache`` as a user's is once a window has closed ``path`` and ``check`` has run on it."""
    env = {**os.environ, "CLUSTER_DESK_CACHE": cache}
    code = "import sys; from cluster_desk.store import snapshot; snapshot.refresh(sys.argv[1])"
    subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT, env=env, check=True)
    run_check(path, cache=cache)


def _rows(label: str, n: int, got: list[tuple[float, float, float]]) -> list[dict]:
    wall, cpu, rss = (statistics.median(x) for x in zip(*got, strict=True))
    return [
        {"work": f"cli: {label}, wall (target <= {TARGET_S:g} s at 1M)", "size": n, "ours": round(wall, 3)},
        {"work": f"cli: {label}, CPU (all threads)", "size": n, "ours": round(cpu, 3)},
        {"work": f"cli: {label}, peak RSS (target < {TARGET_MB} MB at 1M)", "size": n,
         "ours": round(rss), "unit": "MB"},
    ]


def results(sizes: list[int], runs: int = RUNS) -> list[dict]:
    rows: list[dict] = []
    for n in sizes_to_run(sizes):
        path = bench_file(n)
        for label, args in (("check", ()), ("check --json", ("--json",))):
            rows += _rows(label, n, [run_check(path, *args) for _ in range(runs)])
        with tempfile.TemporaryDirectory() as cache:
            opened_before(path, cache)
            rows += _rows("check again (file opened before)", n,
                          [run_check(path, cache=cache) for _ in range(runs)])
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000")
    ap.add_argument("--runs", type=int, default=RUNS)
    args = ap.parse_args()
    for row in results([int(s) for s in args.sizes.split(",")], args.runs):
        print("BENCH " + json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
